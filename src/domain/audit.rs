//! The audit log's vocabulary: the actions the store records and their words for people.

/// Every action code the store writes to the audit log (each has a text in `[audit_action]`).
pub const ACTIONS: [&str; 32] = [
    "department.add",
    "department.rename",
    "department.activate",
    "department.deactivate",
    "login.held",
    "program.add",
    "program.set_active",
    "settings.save",
    "user.add",
    "user.update",
    "user.activate",
    "user.deactivate",
    "user.change_own_password",
    "user.first_head",
    "user.reset_password",
    "brief.create",
    "brief.update",
    "brief.status",
    "brief.attach",
    "strategy.save",
    "script.create",
    "script.save",
    "script.publish",
    "campaign.create",
    "campaign.update",
    "campaign.status",
    "import.begin",
    "import.commit",
    "optout.import",
    "distribution.run",
    "distribution.move",
    "distribution.rebalance",
];

/// The action's description for people ("Creó un usuario"); the code itself when unknown.
pub fn action_label(code: &str) -> String {
    let key = format!("audit_action.{}", code.replace('.', "_"));
    let text = crate::i18n::t(&key);
    if text.starts_with("[[") {
        code.to_owned()
    } else {
        text
    }
}

/// One audit entry.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct AuditEntry {
    /// When, UTC seconds.
    pub at: i64,
    /// Who: a login or `cli:<os user>`.
    pub actor: String,
    /// What (`user.add`, …).
    pub action: String,
    /// On what kind of record.
    pub entity: String,
    /// Which record.
    pub entity_id: Option<i64>,
    /// A short, non-personal detail.
    pub detail: String,
}
