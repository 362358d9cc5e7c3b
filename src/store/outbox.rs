//! The outbox: messages queued in the transaction that decides them (a remission with its
//! call), sent later by whoever holds the lease. Queueing ([`enqueue`]) and the files stored
//! once by content ([`put_blob`]); the sender's steps — the due messages, the claim (one
//! conditional `UPDATE` setting `lease_owner`/`lease_until`), marking sent, a failure with its
//! back-off — and the screen's list, resend and hand-over. The SMTP side is `crate::mail`.

use super::{Error, Result, Store, Tx, require};
use crate::domain::inbound::{OutboxKind, OutboxStatus};
use crate::domain::mail::{
    self, AttachmentInfo, HandedOver, OutboxFilter, OutboxMessage, Outgoing, SmtpSettings,
};
use crate::domain::{Action, Actor};
use crate::i18n::Msg;
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
    let sha = super::archive::sha256_hex(content);
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

/// The most messages a list shows (newest first).
pub const LIST_LIMIT: i64 = 500;

const COLUMNS: &str = "id, uuid, to_addr, subject, body, kind, status, created_at, created_by, attempts, last_error, sent_at, next_attempt_at, handed_over, lease_until, inbound_call_id";

fn message_from(r: &super::db::Row) -> OutboxMessage {
    OutboxMessage {
        id: r.i64(0),
        uuid: r.text(1),
        to: r.text(2),
        subject: r.text(3),
        body: r.text(4),
        kind: OutboxKind::from_code(&r.text(5)).unwrap_or(OutboxKind::Otro),
        status: OutboxStatus::from_code(&r.text(6)).unwrap_or(OutboxStatus::Pendiente),
        created_at: r.i64(7),
        created_by: r.text(8),
        attempts: r.i64(9),
        last_error: r.opt_text(10),
        sent_at: r.opt_i64(11),
        next_attempt_at: r.opt_i64(12),
        handed_over: r.opt_text(13).and_then(|c| HandedOver::from_code(&c)),
        lease_until: r.opt_i64(14),
        inbound_call_id: r.opt_i64(15),
        attachments: Vec::new(),
    }
}

fn attachments_of(tx: &mut Tx<'_>, id: i64) -> Result<Vec<AttachmentInfo>> {
    Ok(tx
        .conn
        .query(
            "SELECT b.id, b.file_name, b.mime, b.size FROM outbox_attachments a JOIN blobs b ON b.id = a.blob_id WHERE a.outbox_id = ?1 ORDER BY b.id",
            params![id],
        )?
        .iter()
        .map(|r| AttachmentInfo {
            blob_id: r.i64(0),
            file_name: r.text(1),
            mime: r.text(2),
            size: r.i64(3),
        })
        .collect())
}

fn message_by_id(tx: &mut Tx<'_>, id: i64) -> Result<Option<OutboxMessage>> {
    let Some(r) = tx.conn.query_opt(
        &format!("SELECT {COLUMNS} FROM outbox WHERE id = ?1"),
        params![id],
    )?
    else {
        return Ok(None);
    };
    let mut m = message_from(&r);
    m.attachments = attachments_of(tx, id)?;
    Ok(Some(m))
}

/// The login whose messages an actor sees: `None` for everyone's (head, professional, the
/// command line), the agent's own login otherwise.
fn own_only(actor: &Actor) -> Option<String> {
    (!actor.can(Action::ViewAllOutbox)).then(|| actor.audit_name())
}

/// The message `id` as `actor` may see it; not found when it is another agent's.
fn visible_message(tx: &mut Tx<'_>, actor: &Actor, id: i64) -> Result<OutboxMessage> {
    match message_by_id(tx, id)? {
        Some(m) if own_only(actor).is_none_or(|login| login == m.created_by) => Ok(m),
        _ => Err(Error::NotFound(super::What::Message)),
    }
}

impl Store {
    /// Queues a message on its own (no call or report decides it in the same transaction):
    /// its files stored once by content, `created_by` the actor when the message names no one.
    /// Returns its id.
    pub fn outbox_queue(
        &self,
        actor: &Actor,
        m: &NewMessage,
        files: &[(String, String, Vec<u8>)],
    ) -> Result<i64> {
        require(actor, Action::ViewOutbox)?;
        self.write(|tx| {
            let mut m = m.clone();
            if m.created_by.is_empty() {
                m.created_by = actor.audit_name();
            }
            for (name, mime, bytes) in files {
                let blob = put_blob(tx, name, mime, bytes)?;
                m.attachments.push(blob);
            }
            enqueue(tx, &m)
        })
    }

    /// The outbox, newest first (at most [`LIST_LIMIT`]): every message for the head and the
    /// professional, an agent's own messages for an agent.
    pub fn outbox_list(&self, actor: &Actor, filter: &OutboxFilter) -> Result<Vec<OutboxMessage>> {
        require(actor, Action::ViewOutbox)?;
        let own = own_only(actor);
        self.read(|tx| {
            let mut sql = format!("SELECT {COLUMNS} FROM outbox WHERE 1 = 1");
            let mut args = Vec::new();
            if let Some(s) = filter.status {
                args.push(super::db::Val::from(s.code()));
                sql.push_str(&format!(" AND status = ?{}", args.len()));
            }
            if let Some(login) = &own {
                args.push(super::db::Val::from(login.as_str()));
                sql.push_str(&format!(" AND created_by = ?{}", args.len()));
            }
            sql.push_str(&format!(" ORDER BY id DESC LIMIT {LIST_LIMIT}"));
            let rows = tx.conn.query(&sql, &args)?;
            let mut list: Vec<OutboxMessage> = rows.iter().map(message_from).collect();
            for m in &mut list {
                m.attachments = attachments_of(tx, m.id)?;
            }
            Ok(list)
        })
    }

    /// One message of the outbox as `actor` may see it.
    pub fn outbox_message(&self, actor: &Actor, id: i64) -> Result<OutboxMessage> {
        require(actor, Action::ViewOutbox)?;
        self.read(|tx| visible_message(tx, actor, id))
    }

    /// How many messages stand pendiente and fallido (what the tab's title counts), as
    /// `actor` sees them.
    pub fn outbox_counts(&self, actor: &Actor) -> Result<(i64, i64)> {
        require(actor, Action::ViewOutbox)?;
        let own = own_only(actor);
        self.read(|tx| {
            let rows = match &own {
                None => tx.conn.query(
                    "SELECT status, COUNT(*) FROM outbox WHERE status <> ?1 GROUP BY status",
                    params![OutboxStatus::Enviado.code()],
                )?,
                Some(login) => tx.conn.query(
                    "SELECT status, COUNT(*) FROM outbox WHERE status <> ?1 AND created_by = ?2 GROUP BY status",
                    params![OutboxStatus::Enviado.code(), login.as_str()],
                )?,
            };
            let count = |s: OutboxStatus| {
                rows.iter()
                    .find(|r| r.text(0) == s.code())
                    .map_or(0, |r| r.i64(1))
            };
            Ok((count(OutboxStatus::Pendiente), count(OutboxStatus::Fallido)))
        })
    }

    /// The ids of the messages due now (pendiente, their time come, no live lease), oldest
    /// first, at most `limit`. A read: the claim decides.
    pub fn outbox_due(&self, limit: i64) -> Result<Vec<i64>> {
        self.read(|tx| {
            let now = tx.now;
            Ok(tx
                .conn
                .query(
                    "SELECT id FROM outbox WHERE status = ?1 AND next_attempt_at <= ?2 AND (lease_until IS NULL OR lease_until <= ?2) ORDER BY next_attempt_at, id LIMIT ?3",
                    params![OutboxStatus::Pendiente.code(), now, limit],
                )?
                .iter()
                .map(|r| r.i64(0))
                .collect())
        })
    }

    /// Claims the message `id` for the sender `owner` (`host:pid`) for [`mail::LEASE_SECS`]:
    /// one conditional `UPDATE` (still pendiente, due, no live lease), checked by the rows it
    /// changed. `None` when another sender took it first or it is no longer due; otherwise the
    /// message with its files' bytes.
    pub fn outbox_claim(&self, owner: &str, id: i64) -> Result<Option<Outgoing>> {
        self.write(|tx| {
            let now = tx.now;
            let changed = tx.conn.execute(
                "UPDATE outbox SET lease_owner = ?1, lease_until = ?2 WHERE id = ?3 AND status = ?4 AND next_attempt_at <= ?5 AND (lease_until IS NULL OR lease_until <= ?5)",
                params![
                    owner,
                    now + mail::LEASE_SECS,
                    id,
                    OutboxStatus::Pendiente.code(),
                    now
                ],
            )?;
            if changed != 1 {
                return Ok(None);
            }
            let Some(message) = message_by_id(tx, id)? else {
                return Ok(None);
            };
            let files = tx
                .conn
                .query(
                    "SELECT b.file_name, b.mime, b.content FROM outbox_attachments a JOIN blobs b ON b.id = a.blob_id WHERE a.outbox_id = ?1 ORDER BY b.id",
                    params![id],
                )?
                .iter()
                .map(|r| (r.text(0), r.text(1), r.blob(2)))
                .collect();
            Ok(Some(Outgoing { message, files }))
        })
    }

    /// Marks a message the server accepted: enviado, `sent_at` now, the lease let go. True
    /// when this call marked it (false: it was already marked, by another sender that had
    /// sent it again after this one's lease expired).
    pub fn outbox_mark_sent(&self, id: i64) -> Result<bool> {
        self.write(|tx| {
            let now = tx.now;
            Ok(tx.conn.execute(
                "UPDATE outbox SET status = ?1, sent_at = ?2, lease_owner = NULL, lease_until = NULL, last_error = NULL WHERE id = ?3 AND status = ?4",
                params![
                    OutboxStatus::Enviado.code(),
                    now,
                    id,
                    OutboxStatus::Pendiente.code()
                ],
            )? == 1)
        })
    }

    /// Records a failed attempt by the sender `owner` that holds the lease: `attempts + 1`,
    /// `last_error` = the server's words, due again after the back-off
    /// ([`mail::backoff_secs`]), fallido after [`mail::MAX_ATTEMPTS`]. Returns the status it
    /// now has (`None` when the lease was no longer this sender's: nothing is changed).
    pub fn outbox_mark_failed(
        &self,
        owner: &str,
        id: i64,
        error: &str,
    ) -> Result<Option<OutboxStatus>> {
        self.write(|tx| {
            let now = tx.now;
            let Some(r) = tx.conn.query_opt(
                "SELECT attempts FROM outbox WHERE id = ?1 AND status = ?2 AND lease_owner = ?3",
                params![id, OutboxStatus::Pendiente.code(), owner],
            )?
            else {
                return Ok(None);
            };
            let attempts = r.i64(0) + 1;
            let status = mail::after_failure(attempts);
            let error: String = error.chars().take(2000).collect();
            tx.conn.execute(
                "UPDATE outbox SET attempts = ?1, last_error = ?2, next_attempt_at = ?3, status = ?4, lease_owner = NULL, lease_until = NULL WHERE id = ?5 AND lease_owner = ?6",
                params![
                    attempts,
                    error,
                    now + mail::backoff_secs(attempts),
                    status.code(),
                    id,
                    owner
                ],
            )?;
            Ok(Some(status))
        })
    }

    /// "Reenviar": a fallido message goes back to pendiente, due now, its attempts counted
    /// afresh (its last error kept until the next attempt). Audited.
    pub fn outbox_resend(&self, actor: &Actor, id: i64) -> Result<OutboxMessage> {
        require(actor, Action::ViewOutbox)?;
        self.write(|tx| {
            let m = visible_message(tx, actor, id)?;
            if m.status != OutboxStatus::Fallido {
                return Err(Error::Conflict(Msg::new("outbox.err_not_failed")));
            }
            let now = tx.now;
            tx.conn.execute(
                "UPDATE outbox SET status = ?1, attempts = 0, next_attempt_at = ?2, lease_owner = NULL, lease_until = NULL WHERE id = ?3",
                params![OutboxStatus::Pendiente.code(), now, id],
            )?;
            tx.audit(actor, "outbox.resend", "outbox", Some(id), m.kind.code())?;
            visible_message(tx, actor, id)
        })
    }

    /// "Abrir en el correo" / "Entregado a mano": a message not yet sent is recorded as
    /// handed over that way (enviado, `handed_over`, `sent_at` now). Refused while a sender
    /// holds it (it may be on its way) and once it was sent. Audited.
    pub fn outbox_hand_over(
        &self,
        actor: &Actor,
        id: i64,
        how: HandedOver,
    ) -> Result<OutboxMessage> {
        require(actor, Action::ViewOutbox)?;
        self.write(|tx| {
            let m = visible_message(tx, actor, id)?;
            let now = tx.now;
            if m.status == OutboxStatus::Enviado {
                return Err(Error::Conflict(Msg::new("outbox.err_already_sent")));
            }
            if m.leased_at(now) {
                return Err(Error::Conflict(Msg::new("outbox.err_sending")));
            }
            let changed = tx.conn.execute(
                "UPDATE outbox SET status = ?1, handed_over = ?2, sent_at = ?3, lease_owner = NULL, lease_until = NULL WHERE id = ?4 AND status <> ?1 AND (lease_until IS NULL OR lease_until <= ?3)",
                params![OutboxStatus::Enviado.code(), how.code(), now, id],
            )?;
            if changed != 1 {
                return Err(Error::Conflict(Msg::new("outbox.err_sending")));
            }
            tx.audit(actor, "outbox.hand_over", "outbox", Some(id), how.code())?;
            visible_message(tx, actor, id)
        })
    }

    /// The SMTP server's settings (the password is not here: it is in the keyring).
    pub fn smtp_settings(&self) -> Result<SmtpSettings> {
        let rows = self.read(|tx| {
            tx.conn.query(
                "SELECT key, value FROM settings WHERE key LIKE 'smtp_%'",
                &[],
            )
        })?;
        let mut s = SmtpSettings::default();
        for r in rows {
            let v = r.text(1);
            match r.text(0).as_str() {
                "smtp_host" => s.host = v,
                "smtp_port" => match mail::parse_port(&v) {
                    Some(p) => s.port = p,
                    None => log::warn!("settings: unreadable smtp_port {v:?}"),
                },
                "smtp_security" => match mail::Security::from_code(&v) {
                    Some(sec) => s.security = sec,
                    None => log::warn!("settings: unknown smtp_security {v:?}"),
                },
                "smtp_user" => s.user = v,
                "smtp_from" => s.from_address = v,
                "smtp_from_name" => s.from_name = v,
                _ => {}
            }
        }
        Ok(s)
    }

    /// Saves the SMTP server's settings (head only; fields trimmed). Audited with the server.
    pub fn save_smtp_settings(&self, actor: &Actor, s: &SmtpSettings) -> Result<()> {
        require(actor, Action::EditSettings)?;
        s.validate()?;
        self.write(|tx| {
            for (k, v) in [
                ("smtp_host", s.host.trim().to_owned()),
                ("smtp_port", s.port.to_string()),
                ("smtp_security", s.security.code().to_owned()),
                ("smtp_user", s.user.trim().to_owned()),
                ("smtp_from", s.from_address.trim().to_owned()),
                ("smtp_from_name", s.from_name.trim().to_owned()),
            ] {
                tx.conn.execute(
                    "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    params![k, v],
                )?;
            }
            let detail = format!("{}:{}", s.host.trim(), s.port);
            tx.audit(actor, "smtp.save", "settings", None, &detail)
        })
    }
}
