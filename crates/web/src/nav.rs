//! The navigation bar: a list each feature appends its entry to, shown by role.

use domain::{Actor, Role};

#[derive(Debug, Clone, Copy)]
pub struct NavItem {
    pub label: &'static str,
    pub href: &'static str,
    visible_to: fn(&Actor) -> bool,
}

fn staff(actor: &Actor) -> bool {
    actor.role.is_staff()
}

fn admin(actor: &Actor) -> bool {
    actor.role == Role::Admin
}

fn auditor(actor: &Actor) -> bool {
    matches!(actor.role, Role::Admin | Role::Supervisor)
}

/// Every entry, in display order. Add a feature's entry here.
const NAV: &[NavItem] = &[
    NavItem {
        label: "Home",
        href: "/home",
        visible_to: staff,
    },
    NavItem {
        label: "Administration",
        href: "/admin",
        visible_to: admin,
    },
    NavItem {
        label: "Audit log",
        href: "/audit",
        visible_to: auditor,
    },
    NavItem {
        label: "Account",
        href: "/account",
        visible_to: |_| true,
    },
];

pub fn for_actor(actor: &Actor) -> Vec<NavItem> {
    NAV.iter()
        .filter(|item| (item.visible_to)(actor))
        .copied()
        .collect()
}
