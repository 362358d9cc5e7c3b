//! The audit log's vocabulary: the actions the store records and their words for people.

/// Every action code the store writes to the audit log (each has a text in `[audit_action]`).
pub const ACTIONS: [&str; 65] = [
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
    "enrolments.import",
    "nonconformity.save",
    "nonconformity.close",
    "distribution.run",
    "distribution.move",
    "distribution.rebalance",
    "call.next",
    "call.record",
    "optout.call",
    "contact.correct",
    "call.undo",
    "strategy.amend",
    "weekly.record",
    "smtp.save",
    "outbox.resend",
    "outbox.hand_over",
    "department.extension",
    "program.details",
    "program.brochure",
    "inbound.register",
    "inbound.followup",
    "inbound.send_info",
    "settings.remission_template",
    "contact.send_info",
    "archive.add",
    "archive.registry",
    "archive.mismatch",
    "archive.transfer",
    "archive.remove",
    "backup.settings",
    "backup.restore",
    "counts.recount",
    "results.save",
    "results.export",
    "results.deliver",
    "results.satisfaction",
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

/// Who did something, in words: the user's name when the login is a user's (`name`, joined by
/// the store), "Línea de comandos (x)" for `cli:x`, else the login as recorded.
pub fn who(login: &str, name: Option<&str>) -> String {
    if let Some(name) = name.filter(|n| !n.trim().is_empty()) {
        return name.to_owned();
    }
    match login.strip_prefix("cli:") {
        Some(os_user) => crate::i18n::tf("audit.cli_actor", &[("user", &os_user)]),
        None => login.to_owned(),
    }
}

/// The kind of record an entry is about, in words ("Solicitud"); the code when unknown.
pub fn entity_label(code: &str) -> String {
    let text = crate::i18n::t(&format!("audit_entity.{code}"));
    if text.starts_with("[[") {
        code.to_owned()
    } else {
        text
    }
}

/// What an entry is about, in words: the record ("Solicitud 12") and its detail, with codes
/// (statuses, roles, the brief's origin) given their labels and counts their nouns. Free text
/// (names, file names, a time zone) stays as recorded. `name` gives a login's user name.
pub fn subject(e: &AuditEntry, name: &dyn Fn(&str) -> Option<String>) -> String {
    use crate::domain::Role;
    use crate::domain::procedure::{BriefStatus, CampaignStatus};
    use crate::i18n::tf;
    let count = |key: &str| {
        e.detail
            .parse::<i64>()
            .map(|n| tf(key, &[("n", &n)]))
            .unwrap_or_else(|_| e.detail.clone())
    };
    let detail = match e.action.as_str() {
        "brief.status" => BriefStatus::from_code(&e.detail).map(BriefStatus::label),
        "campaign.status" => CampaignStatus::from_code(&e.detail).map(CampaignStatus::label),
        "user.add" | "user.update" => Role::from_code(&e.detail).map(Role::label),
        "brief.create" => match e.detail.as_str() {
            "gui" | "cli" | "xlsx" => Some(crate::i18n::t(&format!("audit_source.{}", e.detail))),
            _ => None,
        },
        "import.commit" => Some(count("audit_detail.contacts")),
        "optout.import" => Some(count("audit_detail.numbers")),
        "distribution.run" => Some(count("audit_detail.agents")),
        "distribution.rebalance" => Some(count("audit_detail.moves")),
        "script.publish" => Some(count("audit_detail.version")),
        "distribution.move" => e.detail.split_once(" -> ").and_then(|(from, n)| {
            let n: i64 = n.trim().parse().ok()?;
            let from = who(from, name(from).as_deref());
            Some(tf("audit_detail.moved", &[("from", &from), ("n", &n)]))
        }),
        _ => None,
    }
    .unwrap_or_else(|| e.detail.clone());
    let record = match e.entity_id {
        Some(id) => tf(
            "audit.record",
            &[("what", &entity_label(&e.entity)), ("id", &id)],
        ),
        None => entity_label(&e.entity),
    };
    if detail.trim().is_empty() {
        record
    } else {
        format!("{record} · {detail}")
    }
}

/// One audit entry.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct AuditEntry {
    /// When, UTC seconds.
    pub at: i64,
    /// Who: a login or `cli:<os user>` (as recorded; shown with [`who`]).
    pub actor: String,
    /// The name of the user whose login `actor` is (joined by the store), if one is.
    pub actor_name: Option<String>,
    /// What (`user.add`, …).
    pub action: String,
    /// On what kind of record.
    pub entity: String,
    /// Which record.
    pub entity_id: Option<i64>,
    /// A short, non-personal detail.
    pub detail: String,
}
