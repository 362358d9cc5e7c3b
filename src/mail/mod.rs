//! The outbox's sender: due messages claimed with a lease, sent over SMTP with `lettre`
//! (`smtp`), marked enviado or retried with back-off; the SMTP password in the operating
//! system's keyring or, where there is none, kept in memory for the session (`secret`); the
//! GUI's background sender (`background`). Delivery is at least once: a crash between sending
//! and marking leaves the lease to expire and the message goes again with the same
//! `Message-ID`.

pub mod background;
pub mod secret;
pub mod smtp;

use crate::domain::inbound::OutboxStatus;
use crate::domain::mail::{SendSummary, SmtpSettings};
use crate::store::{Result, Store};

/// At most this many messages per round.
pub const ROUND_LIMIT: i64 = 100;

/// Who sends: `host:pid` (as import batches name their owner), written as `lease_owner`.
pub fn owner() -> String {
    crate::store::contacts::owner_tag()
}

/// Sends the messages due now through `smtp` (with `password` when the server asks for one),
/// one at a time: claimed with a lease, sent, marked enviado; a failure is recorded with the
/// server's words and retried later (back-off), fallido after the last attempt. Nothing is
/// done when no server is configured.
pub fn send_due(store: &Store, smtp: &SmtpSettings, password: Option<&str>) -> Result<SendSummary> {
    let mut summary = SendSummary::default();
    if !smtp.is_configured() {
        return Ok(summary);
    }
    let due = store.outbox_due(ROUND_LIMIT)?;
    summary.due = due.len();
    if due.is_empty() {
        return Ok(summary);
    }
    let owner = owner();
    let transport = match smtp::transport(smtp, password) {
        Ok(t) => Some(t),
        Err(e) => {
            summary.error = Some(e);
            None
        }
    };
    for id in due {
        let Some(out) = store.outbox_claim(&owner, id)? else {
            summary.skipped += 1;
            continue;
        };
        let sent = match &transport {
            Some(t) => smtp::send(t, smtp, &out),
            None => Err(summary.error.clone().unwrap_or_default()),
        };
        match sent {
            Ok(()) => {
                store.outbox_mark_sent(id)?;
                summary.sent += 1;
            }
            Err(e) => {
                match store.outbox_mark_failed(&owner, id, &e)? {
                    Some(OutboxStatus::Fallido) => summary.failed += 1,
                    Some(_) => summary.retry += 1,
                    None => summary.skipped += 1,
                }
                summary.error.get_or_insert(e);
            }
        }
    }
    Ok(summary)
}
