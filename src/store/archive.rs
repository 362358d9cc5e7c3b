//! The archive of records (`domain::archive`): every document the program produces and keeps
//! (`archived_records`) goes in through [`insert`], which computes its SHA-256 and files it
//! under its registry entry with its code and retention dates; the records registry
//! (`record_types`) the head edits, whose retention dates are recomputed for what is already
//! kept; the list (filtered by access level and role), a document's content, verification of
//! the hashes (a changed content is flagged), transfer to the central archive and removal
//! (the head's, audited).

use sha2::{Digest, Sha256};

use super::db::Row;
use super::{Error, Result, Store, Tx, require};
use crate::domain::archive::{
    AccessLevel, ArchiveFilter, ArchivedRecord, FinalDisposition, Medium, Reader, RecordType,
    RecordTypeForm, Verification, may_read, retention_dates, type_of_kind,
};
use crate::domain::{Action, Actor, Field, FieldError};
use crate::i18n::Msg;
use crate::params;

/// A document to archive.
#[derive(Clone, Debug, Default)]
pub struct NewRecord<'a> {
    /// `informe_resultados`, `consolidado_semanal`, `reporte_agente`, `informe_auxiliar`,
    /// `brief_pdf` (`domain::archive::KINDS`).
    pub kind: &'a str,
    /// Its title.
    pub title: &'a str,
    /// The period it covers (`2026-W48`), or empty.
    pub period: &'a str,
    /// The file's name.
    pub file_name: &'a str,
    /// Its MIME type.
    pub mime: &'a str,
    /// Its bytes.
    pub content: &'a [u8],
    /// Who produced it (`Actor::audit_name`).
    pub created_by: &'a str,
    /// The requesting department it belongs to (a solicitante reads only its own), if any.
    pub department_id: Option<i64>,
    /// How it left the program (`domain::weekly::Delivery` codes), if it did.
    pub delivery: Option<&'a str>,
    /// To whom.
    pub recipient: &'a str,
    /// The outbox message that carries it.
    pub outbox_id: Option<i64>,
}

/// The SHA-256 of `bytes`, hex.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Archives a document inside the caller's transaction (so it is kept exactly when what
/// produced it is recorded): its SHA-256, its registry entry's code, its retention dates and
/// disposition. Every writer of `archived_records` goes through here. Returns its id.
pub(crate) fn insert(tx: &mut Tx<'_>, rec: &NewRecord<'_>) -> Result<i64> {
    if rec.content.is_empty() {
        return Err(Error::Other(Msg::new("archive.err_empty")));
    }
    let ty = tx.conn.query_one(
        "SELECT id, code, management_years, central_years, final_disposition FROM record_types WHERE key = ?1",
        params![type_of_kind(rec.kind)],
    )?;
    let years = |i: usize| ty.opt_i64(i).map(|y| y as u32);
    let now = tx.now;
    let (central_at, disposition_at) = retention_dates(now, years(2), years(3));
    let uuid = uuid::Uuid::now_v7().to_string();
    let sha = sha256_hex(rec.content);
    let id = tx.conn.insert(
        "INSERT INTO archived_records (uuid, kind, title, period, file_name, mime, content, created_by, created_at, delivery, recipient, outbox_id,
                                       sha256, record_type_id, record_code, department_id, central_at, disposition_at, disposition)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19) RETURNING id",
        params![
            uuid.as_str(),
            rec.kind,
            rec.title,
            rec.period,
            rec.file_name,
            rec.mime,
            rec.content.to_vec(),
            rec.created_by,
            now,
            rec.delivery,
            rec.recipient,
            rec.outbox_id,
            sha.as_str(),
            ty.i64(0),
            ty.text(1),
            rec.department_id,
            central_at,
            disposition_at,
            ty.opt_text(4),
        ],
    )?;
    Ok(id)
}

const TYPE_COLS: &str = "id, key, code, name, medium, access_level, storage, responsible, management_years, central_years, final_disposition";

fn type_from_row(r: &Row) -> RecordType {
    RecordType {
        id: r.i64(0),
        key: r.text(1),
        form: RecordTypeForm {
            code: r.text(2),
            name: r.text(3),
            medium: Medium::from_code(&r.text(4)).unwrap_or(Medium::Electronico),
            access: AccessLevel::from_code(&r.text(5)).unwrap_or(AccessLevel::Interno),
            storage: r.text(6),
            responsible: r.text(7),
            management_years: r.opt_i64(8).map(|y| y as u32),
            central_years: r.opt_i64(9).map(|y| y as u32),
            disposition: r.opt_text(10).and_then(|c| FinalDisposition::from_code(&c)),
        },
    }
}

/// `archived_records` (joined with its registry entry) read into an [`ArchivedRecord`].
const RECORD_COLS: &str = "a.id, a.kind, a.title, a.period, a.file_name, a.mime, a.created_by, a.created_at, LENGTH(a.content), a.sha256, a.record_code,
     COALESCE(t.name, ''), COALESCE(t.access_level, 'interno'), a.department_id, a.central_at, a.disposition_at, a.disposition, a.transferred_at, a.verified, a.verified_at";
const RECORD_FROM: &str = "archived_records a LEFT JOIN record_types t ON t.id = a.record_type_id";

fn record_from_row(r: &Row) -> ArchivedRecord {
    ArchivedRecord {
        id: r.i64(0),
        kind: r.text(1),
        title: r.text(2),
        period: r.text(3),
        file_name: r.text(4),
        mime: r.text(5),
        created_by: r.text(6),
        created_at: r.i64(7),
        size: r.i64(8),
        sha256: r.text(9),
        code: r.text(10),
        type_name: r.text(11),
        access: AccessLevel::from_code(&r.text(12)).unwrap_or(AccessLevel::Interno),
        department_id: r.opt_i64(13),
        central_at: r.opt_i64(14),
        disposition_at: r.opt_i64(15),
        disposition: r.opt_text(16).and_then(|c| FinalDisposition::from_code(&c)),
        transferred_at: r.opt_i64(17),
        verified: r.opt_i64(18).map(|v| v != 0),
        verified_at: r.opt_i64(19),
    }
}

/// The most records a list shows (newest first).
pub const LIST_LIMIT: i64 = 1000;

/// Compares every kept record's content with its hash (`only`: one record), in one read.
/// A record archived before hashes were kept (empty hash) is reported as matching.
pub(crate) fn verify_in(tx: &mut Tx<'_>, only: Option<i64>) -> Result<Vec<Verification>> {
    let ids: Vec<i64> = tx
        .conn
        .query(
            "SELECT id FROM archived_records WHERE (?1 IS NULL OR id = ?1) ORDER BY id",
            params![only],
        )?
        .iter()
        .map(|r| r.i64(0))
        .collect();
    let mut out = Vec::with_capacity(ids.len());
    // One record's content at a time: a 50 MB file is held once.
    for id in ids {
        let r = tx.conn.query_one(
            "SELECT title, sha256, content FROM archived_records WHERE id = ?1",
            params![id],
        )?;
        let kept = r.text(1);
        let ok = kept.is_empty() || sha256_hex(&r.blob(2)) == kept;
        out.push(Verification {
            id,
            title: r.text(0),
            ok,
        });
    }
    Ok(out)
}

impl Store {
    /// The largest file a brief takes (its contact base).
    pub const MAX_ATTACHMENT_BYTES: usize = super::briefs::MAX_FILE_BYTES;

    /// Who is reading, for the access rules.
    fn reader_of(actor: &Actor) -> Reader {
        match actor {
            Actor::User {
                login,
                role,
                department_id,
                ..
            } => Reader {
                role: Some(*role),
                login: login.clone(),
                department_id: *department_id,
            },
            Actor::Cli { .. } => Reader {
                role: None,
                login: actor.audit_name(),
                department_id: None,
            },
        }
    }

    /// The records registry (procedure section 7), in its order.
    pub fn record_types(&self, _actor: &Actor) -> Result<Vec<RecordType>> {
        self.read(|tx| {
            Ok(tx
                .conn
                .query(
                    &format!("SELECT {TYPE_COLS} FROM record_types ORDER BY id"),
                    &[],
                )?
                .iter()
                .map(type_from_row)
                .collect())
        })
    }

    /// The head edits a registry entry: the retention dates and disposition of every record
    /// already kept under it are recomputed in the same transaction. Audited.
    pub fn record_type_save(
        &self,
        actor: &Actor,
        id: i64,
        form: &RecordTypeForm,
    ) -> Result<RecordType> {
        require(actor, Action::ManageArchive)?;
        let f = form.validate()?;
        self.write(|tx| {
            let now = tx.now;
            let n = tx.conn.execute(
                "UPDATE record_types SET code = ?1, name = ?2, medium = ?3, access_level = ?4, storage = ?5, responsible = ?6,
                        management_years = ?7, central_years = ?8, final_disposition = ?9, updated_by = ?10, updated_at = ?11
                 WHERE id = ?12",
                params![
                    f.code.as_str(),
                    f.name.as_str(),
                    f.medium.code(),
                    f.access.code(),
                    f.storage.as_str(),
                    f.responsible.as_str(),
                    f.management_years.map(i64::from),
                    f.central_years.map(i64::from),
                    f.disposition.map(FinalDisposition::code),
                    actor.audit_name().as_str(),
                    now,
                    id,
                ],
            )?;
            if n == 0 {
                return Err(Error::Other(Msg::new("archive.err_type_not_found")));
            }
            let kept: Vec<(i64, i64)> = tx
                .conn
                .query(
                    "SELECT id, created_at FROM archived_records WHERE record_type_id = ?1",
                    params![id],
                )?
                .iter()
                .map(|r| (r.i64(0), r.i64(1)))
                .collect();
            for (rid, created) in kept {
                let (c, d) = retention_dates(created, f.management_years, f.central_years);
                tx.conn.execute(
                    "UPDATE archived_records SET record_code = ?1, central_at = ?2, disposition_at = ?3, disposition = ?4 WHERE id = ?5",
                    params![
                        f.code.as_str(),
                        c,
                        d,
                        f.disposition.map(FinalDisposition::code),
                        rid
                    ],
                )?;
            }
            let detail = format!(
                "{} | {} | {} | {}",
                f.code,
                f.name,
                f.management_years.map_or("-".to_owned(), |y| y.to_string()),
                f.central_years.map_or("-".to_owned(), |y| y.to_string())
            );
            tx.audit(actor, "archive.registry", "record_type", Some(id), &detail)?;
            let r = tx.conn.query_one(
                &format!("SELECT {TYPE_COLS} FROM record_types WHERE id = ?1"),
                params![id],
            )?;
            Ok(type_from_row(&r))
        })
    }

    /// The archived records `actor` may read that match `filter`, newest first (at most
    /// [`LIST_LIMIT`]). Reads only.
    pub fn archive_list(
        &self,
        actor: &Actor,
        filter: &ArchiveFilter,
    ) -> Result<Vec<ArchivedRecord>> {
        let reader = Self::reader_of(actor);
        let text = crate::domain::text::fold(filter.text.trim());
        self.read(|tx| {
            let now = tx.now;
            let rows = tx.conn.query(
                &format!(
                    "SELECT {RECORD_COLS} FROM {RECORD_FROM}
                     WHERE (?1 IS NULL OR a.kind = ?1) AND (?2 IS NULL OR a.created_at >= ?2) AND (?3 IS NULL OR a.created_at < ?3)
                     ORDER BY a.created_at DESC, a.id DESC"
                ),
                params![filter.kind.as_deref(), filter.from, filter.to],
            )?;
            Ok(rows
                .iter()
                .map(record_from_row)
                .filter(|r| may_read(&reader, r.access, &r.created_by, r.department_id))
                .filter(|r| {
                    text.is_empty()
                        || crate::domain::text::fold(&r.code).contains(&text)
                        || crate::domain::text::fold(&r.title).contains(&text)
                        || crate::domain::text::fold(&r.period).contains(&text)
                })
                .filter(|r| !filter.due_only || r.due(now).is_some())
                .take(LIST_LIMIT as usize)
                .collect())
        })
    }

    /// One archived record as listed, if `actor` may read it.
    pub fn archive_record(&self, actor: &Actor, id: i64) -> Result<ArchivedRecord> {
        let reader = Self::reader_of(actor);
        let r = self.read(|tx| {
            tx.conn
                .query_opt(
                    &format!("SELECT {RECORD_COLS} FROM {RECORD_FROM} WHERE a.id = ?1"),
                    params![id],
                )
                .map(|r| r.as_ref().map(record_from_row))
        })?;
        match r {
            Some(r) if may_read(&reader, r.access, &r.created_by, r.department_id) => Ok(r),
            Some(_) => Err(Error::Forbidden(Msg::new("archive.err_forbidden"))),
            None => Err(Error::Other(Msg::new("archive.err_not_found"))),
        }
    }

    /// A record's file name and bytes, if `actor` may read it.
    pub fn archive_content(&self, actor: &Actor, id: i64) -> Result<(String, Vec<u8>)> {
        let r = self.archive_record(actor, id)?;
        let bytes = self.read(|tx| {
            Ok(tx
                .conn
                .query_one(
                    "SELECT content FROM archived_records WHERE id = ?1",
                    params![id],
                )?
                .blob(0))
        })?;
        Ok((r.file_name, bytes))
    }

    /// Compares the records' contents with their hashes (`only`: one record) and keeps the
    /// result with each (a mismatch is flagged in the list). The contents are read in one
    /// snapshot, the results written briefly afterwards. Those `actor` may not read are
    /// neither checked nor reported.
    pub fn archive_verify(&self, actor: &Actor, only: Option<i64>) -> Result<Vec<Verification>> {
        let readable: std::collections::HashSet<i64> = match only {
            Some(id) => [self.archive_record(actor, id)?.id].into(),
            None => self
                .archive_list(actor, &ArchiveFilter::default())?
                .iter()
                .map(|r| r.id)
                .collect(),
        };
        let results: Vec<Verification> = self
            .read(|tx| verify_in(tx, only))?
            .into_iter()
            .filter(|v| readable.contains(&v.id))
            .collect();
        if self.is_read_only() {
            return Ok(results);
        }
        self.write(|tx| {
            let now = tx.now;
            for v in &results {
                tx.conn.execute(
                    "UPDATE archived_records SET verified = ?1, verified_at = ?2 WHERE id = ?3",
                    params![i64::from(v.ok), now, v.id],
                )?;
            }
            let bad: Vec<String> = results
                .iter()
                .filter(|v| !v.ok)
                .map(|v| v.id.to_string())
                .collect();
            if !bad.is_empty() {
                tx.audit(
                    actor,
                    "archive.mismatch",
                    "archived_record",
                    None,
                    &bad.join(","),
                )?;
            }
            Ok(())
        })?;
        Ok(results)
    }

    /// The head records a record's transfer to the central archive. Audited.
    pub fn archive_transfer(&self, actor: &Actor, id: i64) -> Result<ArchivedRecord> {
        require(actor, Action::ManageArchive)?;
        self.write(|tx| {
            let now = tx.now;
            let n = tx.conn.execute(
                "UPDATE archived_records SET transferred_at = ?1 WHERE id = ?2 AND transferred_at IS NULL",
                params![now, id],
            )?;
            if n == 0 {
                return Err(Error::Conflict(Msg::new("archive.err_transferred")));
            }
            tx.audit(actor, "archive.transfer", "archived_record", Some(id), "")?;
            Ok(())
        })?;
        self.archive_record(actor, id)
    }

    /// The head removes a record, having confirmed it (`confirmed` must be true: the window
    /// asks, the command line takes `--yes`). What was removed (its title, code, kind and hash)
    /// stays in the audit log.
    pub fn archive_remove(&self, actor: &Actor, id: i64, confirmed: bool) -> Result<()> {
        require(actor, Action::ManageArchive)?;
        if !confirmed {
            return Err(FieldError::new(Field::Form, "archive.err_confirm").into());
        }
        self.write(|tx| {
            let Some(r) = tx.conn.query_opt(
                &format!("SELECT {RECORD_COLS} FROM {RECORD_FROM} WHERE a.id = ?1"),
                params![id],
            )?
            else {
                return Err(Error::Other(Msg::new("archive.err_not_found")));
            };
            let r = record_from_row(&r);
            if r.kind == crate::domain::weekly::RECORD_CONSOLIDATED
                || r.kind == crate::domain::weekly::RECORD_AGENT
            {
                // The outbox keeps its own copy of an e-mailed file; only the link goes.
                tx.conn.execute(
                    "UPDATE archived_records SET outbox_id = NULL WHERE id = ?1",
                    params![id],
                )?;
            }
            tx.conn
                .execute("DELETE FROM archived_records WHERE id = ?1", params![id])?;
            let detail = format!(
                "{} | {} | {} | {} | {}",
                r.code, r.kind, r.title, r.file_name, r.sha256
            );
            tx.audit(
                actor,
                "archive.remove",
                "archived_record",
                Some(id),
                &detail,
            )
        })
    }
}

impl Store {
    /// Archives a brief's PDF (record GF-MK-PR-01-01) as printed, under the brief's
    /// department, if `actor` may see the brief. Returns the record's id.
    pub fn archive_brief_pdf(
        &self,
        actor: &Actor,
        brief_id: i64,
        file_name: &str,
        content: &[u8],
    ) -> Result<i64> {
        let who = actor.audit_name();
        self.write(|tx| {
            let brief = super::briefs::load(tx, actor, brief_id)?;
            let title = crate::i18n::tf(
                "archive.brief_title",
                &[("id", &brief.id), ("name", &brief.form.campaign_name)],
            );
            let id = insert(
                tx,
                &NewRecord {
                    kind: crate::domain::archive::KIND_BRIEF_PDF,
                    title: &title,
                    period: "",
                    file_name,
                    mime: "application/pdf",
                    content,
                    created_by: &who,
                    department_id: brief.form.department_id,
                    ..NewRecord::default()
                },
            )?;
            tx.audit(
                actor,
                "archive.add",
                "archived_record",
                Some(id),
                &format!("brief_pdf {brief_id}"),
            )?;
            Ok(id)
        })
    }
}
