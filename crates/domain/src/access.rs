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
    /// The staff workspace: the home page and the list of groups (scoped by `can` on
    /// each group), and starting a new group somewhere.
    Workspace,
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
    /// See members' private aliases: only the staff of the member's group, never a
    /// supervisor or an administrator for being one.
    SeeAliases,
    /// Start a new group: in a program (`Resource::Program`), or anywhere at all
    /// (`Resource::Workspace`, for offering the button).
    CreateGroup,
    /// See every row of the audit log, not only the rows about groups in one's scope.
    ViewUnscoped,
}

/// May `actor` do `action` on `resource`?
pub fn can(actor: &Actor, action: Action, resource: Resource<'_>) -> bool {
    let role = actor.role;
    match resource {
        Resource::Administration => {
            role == Role::Admin && matches!(action, Action::View | Action::Manage)
        }
        Resource::Workspace => match action {
            Action::View => role.is_staff(),
            Action::CreateGroup => {
                role == Role::Admin || (role == Role::Supervisor && !actor.programs.is_empty())
            }
            _ => false,
        },
        Resource::AuditLog => match action {
            Action::View => matches!(role, Role::Admin | Role::Supervisor),
            Action::ViewUnscoped => role == Role::Admin,
            _ => false,
        },
        Resource::Account(owner) => {
            matches!(action, Action::View | Action::Manage)
                && (owner == actor.user_id || role == Role::Admin)
        }
        Resource::Program(program) => {
            let in_scope = match role {
                Role::Admin => true,
                Role::Supervisor => actor.programs.contains(&program),
                _ => false,
            };
            in_scope && matches!(action, Action::View | Action::Manage | Action::CreateGroup)
        }
        Resource::Group(group) => can_on_group(actor, action, group),
        Resource::Member { groups } => groups
            .iter()
            .any(|group| can_on_group(actor, action, *group)),
    }
}

fn can_on_group(actor: &Actor, action: Action, group: GroupRef) -> bool {
    match action {
        Action::View | Action::RunSession | Action::Manage => {}
        // Aliases are private to the people in the room: the group's own staff.
        Action::SeeAliases => return actor.groups.contains_key(&group.id),
        Action::CreateGroup | Action::ViewUnscoped => return false,
    }
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
    fn only_the_groups_own_staff_see_aliases() {
        assert!(can(
            &actor(Role::Facilitator),
            Action::SeeAliases,
            Resource::Group(GROUP)
        ));
        assert!(can(
            &actor(Role::CoFacilitator),
            Action::SeeAliases,
            Resource::Group(GROUP)
        ));
        for role in [Role::Admin, Role::Supervisor, Role::Participant] {
            assert!(
                !can(&actor(role), Action::SeeAliases, Resource::Group(GROUP)),
                "{role}"
            );
        }
        let lead = actor(Role::Facilitator);
        assert!(!can(
            &lead,
            Action::SeeAliases,
            Resource::Group(FOREIGN_GROUP)
        ));
        assert!(can(
            &lead,
            Action::SeeAliases,
            Resource::Member {
                groups: &[FOREIGN_GROUP, GROUP]
            }
        ));
        // An admin who also staffs the group is staff of it.
        let mut admin = actor(Role::Admin);
        admin.groups.insert(GROUP.id, GroupStaffRole::Lead);
        assert!(can(&admin, Action::SeeAliases, Resource::Group(GROUP)));
    }

    #[test]
    fn groups_are_created_by_admins_and_by_supervisors_in_their_programs() {
        assert!(can(
            &actor(Role::Admin),
            Action::CreateGroup,
            Resource::Workspace
        ));
        assert!(can(
            &actor(Role::Admin),
            Action::CreateGroup,
            Resource::Program(OTHER_PROGRAM)
        ));
        let sup = actor(Role::Supervisor);
        assert!(can(&sup, Action::CreateGroup, Resource::Workspace));
        assert!(can(&sup, Action::CreateGroup, Resource::Program(PROGRAM)));
        assert!(!can(
            &sup,
            Action::CreateGroup,
            Resource::Program(OTHER_PROGRAM)
        ));
        let lonely = Actor::new(UserId(9), Role::Supervisor);
        assert!(!can(&lonely, Action::CreateGroup, Resource::Workspace));
        for role in [Role::Facilitator, Role::CoFacilitator, Role::Participant] {
            let someone = actor(role);
            assert!(!can(&someone, Action::CreateGroup, Resource::Workspace));
            assert!(!can(
                &someone,
                Action::CreateGroup,
                Resource::Program(PROGRAM)
            ));
            assert!(!can(&someone, Action::CreateGroup, Resource::Group(GROUP)));
        }
    }

    #[test]
    fn the_workspace_is_for_staff_and_the_whole_audit_log_for_admins() {
        for role in Role::ALL {
            let someone = actor(*role);
            assert_eq!(
                can(&someone, Action::View, Resource::Workspace),
                role.is_staff()
            );
            assert_eq!(
                can(&someone, Action::View, Resource::AuditLog),
                matches!(role, Role::Admin | Role::Supervisor)
            );
            assert_eq!(
                can(&someone, Action::ViewUnscoped, Resource::AuditLog),
                *role == Role::Admin
            );
            assert!(can(&someone, Action::Manage, Resource::Account(UserId(5))));
            assert!(!can(
                &someone,
                Action::SeeAliases,
                Resource::Account(UserId(5))
            ));
        }
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
