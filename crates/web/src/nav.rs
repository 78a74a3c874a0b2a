//! The navigation bar: a list each feature appends its entry to. Whether an entry shows is
//! asked of the access policy, the same question its page asks.

use domain::{Action, Actor, Resource, can};

#[derive(Debug, Clone, Copy)]
pub struct NavItem {
    pub label: &'static str,
    pub href: &'static str,
    visible_to: fn(&Actor) -> bool,
}

fn workspace(actor: &Actor) -> bool {
    can(actor, Action::View, Resource::Workspace)
}

fn administration(actor: &Actor) -> bool {
    can(actor, Action::Manage, Resource::Administration)
}

fn audit_log(actor: &Actor) -> bool {
    can(actor, Action::View, Resource::AuditLog)
}

fn own_account(actor: &Actor) -> bool {
    can(actor, Action::Manage, Resource::Account(actor.user_id))
}

/// Every entry, in display order. Add a feature's entry here.
const NAV: &[NavItem] = &[
    NavItem {
        label: "Home",
        href: "/home",
        visible_to: workspace,
    },
    NavItem {
        label: "Groups",
        href: "/groups",
        visible_to: workspace,
    },
    NavItem {
        label: "Administration",
        href: "/admin",
        visible_to: administration,
    },
    NavItem {
        label: "Audit log",
        href: "/audit",
        visible_to: audit_log,
    },
    NavItem {
        label: "Account",
        href: "/account",
        visible_to: own_account,
    },
];

pub fn for_actor(actor: &Actor) -> Vec<NavItem> {
    NAV.iter()
        .filter(|item| (item.visible_to)(actor))
        .copied()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::{Role, UserId};

    fn labels(role: Role) -> Vec<&'static str> {
        for_actor(&Actor::new(UserId(1), role))
            .iter()
            .map(|item| item.label)
            .collect()
    }

    #[test]
    fn each_role_is_offered_what_the_policy_lets_it_open() {
        assert_eq!(
            labels(Role::Admin),
            ["Home", "Groups", "Administration", "Audit log", "Account"]
        );
        assert_eq!(
            labels(Role::Supervisor),
            ["Home", "Groups", "Audit log", "Account"]
        );
        assert_eq!(labels(Role::Facilitator), ["Home", "Groups", "Account"]);
        assert_eq!(labels(Role::Participant), ["Account"]);
    }
}
