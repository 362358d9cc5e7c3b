//! Who may do what. Checked by the store on every operation, not only by hiding tabs.

use super::role::Role;

/// Something a user may or may not be allowed to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    /// Add, edit, deactivate users and reset their passwords.
    ManageUsers,
    /// See the list of users.
    ViewUsers,
    /// Departments, programs and services, dispositions.
    ManageCatalogs,
    /// Institution-wide settings (time zone, clock).
    EditSettings,
    /// Read the audit log.
    ViewAudit,
    /// Fill and submit briefs (own department for solicitantes).
    SubmitBriefs,
    /// See every department's briefs.
    ViewAllBriefs,
    /// Accept, return or reject briefs; write and approve strategies.
    DecideBriefs,
    /// Write scripts, create and run campaigns, load and distribute contact bases.
    RunCampaigns,
    /// Place calls and record their outcomes.
    RecordCalls,
    /// Register inbound calls.
    RegisterInbound,
    /// See the live tally (Seguimiento): every agent's figures for those who run or decide
    /// campaigns, an agent's own figures for an agent.
    ViewTally,
    /// See the outbox (Correo saliente), resend and hand over messages: every message for
    /// those who run or decide, an agent's own messages for an agent.
    ViewOutbox,
    /// See every user's messages in the outbox (not only one's own).
    ViewAllOutbox,
    /// See the inbound calls (Llamadas entrantes): the head reads them.
    ViewInbound,
    /// Update a remitted lead's follow-up (the professional).
    FollowUpInbound,
    /// The process's own records (ISO 9001 9.1, 10.2): its indicators and the register of
    /// non-conformities (the head).
    ManageQuality,
    /// See the archive of records (Informes y archivo › Archivo); what each one reads follows
    /// the record's access level (`domain::archive::may_read`).
    ViewArchive,
    /// Edit the records registry, transfer records to the central archive and remove them
    /// (the head); take and restore backups from the window.
    ManageArchive,
}

/// Whether a role may do an action (the table of `UX.md`, "The tabs and who sees them").
pub fn allowed(role: Role, action: Action) -> bool {
    use Action::*;
    use Role::*;
    match action {
        ManageUsers | EditSettings | ViewAudit | DecideBriefs | ManageQuality => role == Jefe,
        ViewUsers | ManageCatalogs | ViewAllBriefs => matches!(role, Jefe | Profesional),
        SubmitBriefs => matches!(role, Jefe | Profesional | Solicitante),
        RunCampaigns => role == Profesional,
        RecordCalls | RegisterInbound => matches!(role, Profesional | Auxiliar),
        ViewTally => matches!(role, Jefe | Profesional | Auxiliar),
        ViewOutbox => matches!(role, Jefe | Profesional | Auxiliar),
        ViewAllOutbox => matches!(role, Jefe | Profesional),
        ViewInbound => matches!(role, Jefe | Profesional | Auxiliar),
        FollowUpInbound => role == Profesional,
        ViewArchive => matches!(role, Jefe | Profesional | Solicitante),
        ManageArchive => role == Jefe,
    }
}

/// Who is acting: a logged-in user, or the command line (the administrator).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Actor {
    /// A user logged into the GUI.
    User {
        /// The user's id.
        id: i64,
        /// The user's login.
        login: String,
        /// The user's role.
        role: Role,
        /// The user's department, if any.
        department_id: Option<i64>,
    },
    /// The command line, run by an operating-system user who can open the database.
    Cli {
        /// The operating-system user name.
        os_user: String,
    },
}

impl Actor {
    /// The command line, acting as the current operating-system user.
    pub fn cli() -> Self {
        let os_user = std::env::var("USER")
            .or_else(|_| std::env::var("LOGNAME"))
            .or_else(|_| std::env::var("USERNAME"))
            .unwrap_or_else(|_| "desconocido".to_owned());
        Actor::Cli { os_user }
    }

    /// Whether this actor may do `action`. The command line may do everything.
    pub fn can(&self, action: Action) -> bool {
        match self {
            Actor::User { role, .. } => allowed(*role, action),
            Actor::Cli { .. } => true,
        }
    }

    /// The name written in the audit log: the login, or `cli:<os user>`.
    pub fn audit_name(&self) -> String {
        match self {
            Actor::User { login, .. } => login.clone(),
            Actor::Cli { os_user } => format!("cli:{os_user}"),
        }
    }

    /// The acting user's id (none for the command line).
    pub fn user_id(&self) -> Option<i64> {
        match self {
            Actor::User { id, .. } => Some(*id),
            Actor::Cli { .. } => None,
        }
    }

    /// The acting user's role (none for the command line).
    pub fn role(&self) -> Option<Role> {
        match self {
            Actor::User { role, .. } => Some(*role),
            Actor::Cli { .. } => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_head_manages_users() {
        assert!(allowed(Role::Jefe, Action::ManageUsers));
        for r in [Role::Profesional, Role::Auxiliar, Role::Solicitante] {
            assert!(!allowed(r, Action::ManageUsers), "{r:?}");
        }
    }

    #[test]
    fn agents_call_but_do_not_decide() {
        assert!(allowed(Role::Auxiliar, Action::RecordCalls));
        assert!(!allowed(Role::Auxiliar, Action::DecideBriefs));
        assert!(!allowed(Role::Solicitante, Action::RecordCalls));
        assert!(!allowed(Role::Solicitante, Action::ViewAllBriefs));
    }

    #[test]
    fn the_tally_is_for_the_head_the_professional_and_agents() {
        for r in [Role::Jefe, Role::Profesional, Role::Auxiliar] {
            assert!(allowed(r, Action::ViewTally), "{r:?}");
        }
        assert!(!allowed(Role::Solicitante, Action::ViewTally));
    }
}
