//! The outbox: messages queued in the transaction that decides them (a remission with its
//! call), sent later by whoever holds the lease. This file holds the queueing and the files
//! stored once by content ([`put_blob`]); the sender (lease, SMTP, back-off) builds on them.

// TODO(issue 11): the inbound form and the sender use these; remove once they do.
#![allow(dead_code)]

use sha2::{Digest, Sha256};

use super::{Result, Tx};
use crate::domain::inbound::{OutboxKind, OutboxStatus};
use crate::params;

/// A message to queue.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewMessage {
    /// Recipient address.
    pub to: String,
    /// Subject.
    pub subject: String,
    /// Plain-text body.
    pub body: String,
    /// What it is.
    pub kind: Option<OutboxKind>,
    /// Who queued it (login, or `cli:<user>`).
    pub created_by: String,
    /// The inbound call it belongs to, if any.
    pub inbound_call_id: Option<i64>,
    /// Files attached (blob ids from [`put_blob`]).
    pub attachments: Vec<i64>,
}

/// Queues a message inside the caller's transaction (so it exists exactly when what decided
/// it does): status pendiente, due now, a fresh UUID (its Message-ID). Returns its id.
pub(crate) fn enqueue(tx: &mut Tx<'_>, m: &NewMessage) -> Result<i64> {
    let now = tx.now;
    let uuid = uuid::Uuid::now_v7().to_string();
    let id = tx.conn.insert(
        "INSERT INTO outbox (uuid, to_addr, subject, body, created_at, status, kind, next_attempt_at, created_by, inbound_call_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?5, ?8, ?9) RETURNING id",
        params![
            uuid.as_str(),
            m.to.as_str(),
            m.subject.as_str(),
            m.body.as_str(),
            now,
            OutboxStatus::Pendiente.code(),
            m.kind.unwrap_or(OutboxKind::Otro).code(),
            m.created_by.as_str(),
            m.inbound_call_id,
        ],
    )?;
    for b in &m.attachments {
        tx.conn.execute(
            "INSERT INTO outbox_attachments (outbox_id, blob_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
            params![id, *b],
        )?;
    }
    Ok(id)
}

/// Stores a file once by its content (SHA-256): the same bytes give the same id, whatever the
/// name they came with the second time.
pub(crate) fn put_blob(
    tx: &mut Tx<'_>,
    file_name: &str,
    mime: &str,
    content: &[u8],
) -> Result<i64> {
    let sha = hex(&Sha256::digest(content));
    if let Some(r) = tx.conn.query_opt(
        "SELECT id FROM blobs WHERE sha256 = ?1",
        params![sha.as_str()],
    )? {
        return Ok(r.i64(0));
    }
    let now = tx.now;
    tx.conn.insert(
        "INSERT INTO blobs (sha256, file_name, mime, size, content, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
        params![
            sha.as_str(),
            file_name,
            mime,
            content.len() as i64,
            content.to_vec(),
            now,
        ],
    )
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
