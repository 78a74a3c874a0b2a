//! The access policy: one function, `can`, asked by every handler before it acts.
//!
//! Scope comes from assignments, not from the role alone: a supervisor sees the groups of
//! their programs, a facilitator or co-facilitator only the groups they are assigned to.
//! Handlers answer 404 (not 403) when `can` says no for a specific record, so ids don't leak.

use std::collections::{BTreeMap, BTreeSet};

use crate::{GroupId, GroupStaffRole, ProgramId, Role, UserId};

/// The signed-in user with the assignments that scope what they see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: UserId,
    pub role: Role,
    /// Programs the user belongs to (a supervisor sees every group of these).
    pub programs: BTreeSet<ProgramId>,
    /// Groups the user staffs, and in which part.
    pub groups: BTreeMap<GroupId, GroupStaffRole>,
}

impl Actor {
    pub fn new(user_id: UserId, role: Role) -> Self {
        Self {
            user_id,
            role,
            programs: BTreeSet::new(),
            groups: BTreeMap::new(),
        }
    }
}

/// A group as the policy needs it: its id and its program.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GroupRef {
    pub id: GroupId,
    pub program_id: ProgramId,
}

/// What is being acted on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resource<'a> {
    /// Organisation settings, programs, user accounts.
    Administration,
    /// One program and its groups' overview.
    Program(ProgramId),
    /// One group, with everything recorded in its sessions.
    Group(GroupRef),
    /// A member, reachable through the groups they are or were enrolled in.
    Member { groups: &'a [GroupRef] },
    /// A user's own account (password, sign-out).
    Account(UserId),
    /// The audit trail.
    AuditLog,
}

/// What the actor wants to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Read it.
    View,
    /// Record what happens in sessions: attendance, notes, tally, questionnaires.
    RunSession,
    /// Change its set-up: create, edit, assign, close.
    Manage,
}

/// May `actor` do `action` on `resource`?
pub fn can(actor: &Actor, action: Action, resource: Resource<'_>) -> bool {
    let role = actor.role;
    match resource {
        Resource::Administration => role == Role::Admin,
        Resource::AuditLog => {
            matches!(role, Role::Admin | Role::Supervisor) && action == Action::View
        }
        Resource::Account(owner) => {
            owner == actor.user_id || (role == Role::Admin && action != Action::RunSession)
        }
        Resource::Program(program) => match role {
            Role::Admin => true,
            Role::Supervisor => actor.programs.contains(&program) && action != Action::RunSession,
            _ => false,
        },
        Resource::Group(group) => can_on_group(actor, action, group),
        Resource::Member { groups } => groups
            .iter()
            .any(|group| can_on_group(actor, action, *group)),
    }
}

fn can_on_group(actor: &Actor, action: Action, group: GroupRef) -> bool {
    match actor.role {
        Role::Admin => true,
        Role::Supervisor => actor.programs.contains(&group.program_id),
        Role::Facilitator | Role::CoFacilitator => match actor.groups.get(&group.id) {
            Some(GroupStaffRole::Lead) => true,
            Some(GroupStaffRole::CoFacilitator) => action != Action::Manage,
            None => false,
        },
        Role::Participant => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PROGRAM: ProgramId = ProgramId(1);
    const OTHER_PROGRAM: ProgramId = ProgramId(2);
    const GROUP: GroupRef = GroupRef {
        id: GroupId(10),
        program_id: PROGRAM,
    };
    const FOREIGN_GROUP: GroupRef = GroupRef {
        id: GroupId(11),
        program_id: OTHER_PROGRAM,
    };

    fn actor(role: Role) -> Actor {
        let mut actor = Actor::new(UserId(5), role);
        actor.programs.insert(PROGRAM);
        match role {
            Role::Facilitator => {
                actor.groups.insert(GROUP.id, GroupStaffRole::Lead);
            }
            Role::CoFacilitator => {
                actor.groups.insert(GROUP.id, GroupStaffRole::CoFacilitator);
            }
            _ => {}
        }
        actor
    }

    #[test]
    fn facilitators_see_only_their_groups() {
        let lead = actor(Role::Facilitator);
        assert!(can(&lead, Action::Manage, Resource::Group(GROUP)));
        assert!(!can(&lead, Action::View, Resource::Group(FOREIGN_GROUP)));
        let co = actor(Role::CoFacilitator);
        assert!(can(&co, Action::RunSession, Resource::Group(GROUP)));
        assert!(!can(&co, Action::Manage, Resource::Group(GROUP)));
    }

    #[test]
    fn supervisors_see_their_programs_groups_only() {
        let sup = actor(Role::Supervisor);
        assert!(can(&sup, Action::View, Resource::Group(GROUP)));
        assert!(!can(&sup, Action::View, Resource::Group(FOREIGN_GROUP)));
        assert!(can(&sup, Action::View, Resource::AuditLog));
        assert!(!can(&sup, Action::Manage, Resource::Administration));
    }

    #[test]
    fn members_are_reached_through_any_of_their_groups() {
        let lead = actor(Role::Facilitator);
        assert!(can(
            &lead,
            Action::View,
            Resource::Member {
                groups: &[FOREIGN_GROUP, GROUP]
            }
        ));
        assert!(!can(
            &lead,
            Action::View,
            Resource::Member {
                groups: &[FOREIGN_GROUP]
            }
        ));
        assert!(!can(&lead, Action::View, Resource::Member { groups: &[] }));
    }

    #[test]
    fn participants_reach_only_their_own_account() {
        let participant = actor(Role::Participant);
        assert!(!can(&participant, Action::View, Resource::Group(GROUP)));
        assert!(can(
            &participant,
            Action::Manage,
            Resource::Account(UserId(5))
        ));
        assert!(!can(
            &participant,
            Action::View,
            Resource::Account(UserId(6))
        ));
        assert!(!can(&participant, Action::View, Resource::AuditLog));
    }

    #[test]
    fn only_admins_administer() {
        for role in Role::ALL {
            assert_eq!(
                can(&actor(*role), Action::Manage, Resource::Administration),
                *role == Role::Admin
            );
        }
    }
}
