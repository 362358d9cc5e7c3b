//! Reading the audit log.

use super::{Result, Store, require};
use crate::domain::audit::AuditEntry;
use crate::domain::{Action, Actor};
use crate::params;

impl Store {
    /// The newest audit entries first (head only).
    pub fn audit_log(&self, actor: &Actor, limit: i64) -> Result<Vec<AuditEntry>> {
        require(actor, Action::ViewAudit)?;
        self.read(|c| {
            Ok(c.query(
                "SELECT a.at, a.actor, a.action, a.entity, a.entity_id, a.detail, u.name FROM audit_log a LEFT JOIN users u ON u.login = a.actor ORDER BY a.id DESC LIMIT ?1",
                params![limit],
            )?
            .into_iter()
            .map(|r| AuditEntry {
                at: r.i64(0),
                actor: r.text(1),
                action: r.text(2),
                entity: r.text(3),
                entity_id: r.opt_i64(4),
                detail: r.text(5),
                actor_name: r.opt_text(6),
            })
            .collect())
        })
    }
}
