//! Roles a user account can hold.

crate::named_enum! {
    /// What an account may do; the access policy in [`crate::access`] reads it.
    pub enum Role("role") {
        /// Runs the installation: users, programs, settings, audit.
        Admin => "admin",
        /// Sees every group of their programs.
        Supervisor => "supervisor",
        /// Leads groups they are assigned to.
        Facilitator => "facilitator",
        /// Co-leads or observes groups they are assigned to.
        CoFacilitator => "co-facilitator",
        /// Reflection-board-only account (students, members).
        Participant => "participant",
    }
}

impl Role {
    /// Words for the role in the interface.
    pub const fn label(self) -> &'static str {
        match self {
            Role::Admin => "Administrator",
            Role::Supervisor => "Supervisor",
            Role::Facilitator => "Facilitator",
            Role::CoFacilitator => "Co-facilitator",
            Role::Participant => "Participant",
        }
    }

    /// Staff roles work with groups and members; participants only use the board.
    pub const fn is_staff(self) -> bool {
        !matches!(self, Role::Participant)
    }
}
