//! Briefs (record GF-MK-PR-01-01): drafts, submission with the 8-day rule, the head's
//! decision, attachments and history. A solicitante sees only its department's briefs.

use chrono::NaiveDate;

use super::db::{Row, Val};
use super::{Error, Result, Store, Tx, What, require};
use crate::domain::brief::{
    Brief, BriefEvent, BriefFile, BriefFilter, BriefForm, days_short, iso_date, may_edit, may_see,
};
use crate::domain::procedure::{BriefStatus, CampaignKind};
use crate::domain::{Action, Actor, Field, FieldError, Role};
use crate::i18n::{Msg, tf};
use crate::params;

/// Largest attachment accepted (a contact base of a few hundred thousand rows fits easily).
pub const MAX_FILE_BYTES: usize = 50 * 1024 * 1024;

const BRIEF_COLS: &str = "b.id, b.department_id, b.contact_name, b.contact_email, b.campaign_name, b.kind, b.objective, b.audience, b.key_message, b.start_date, b.end_date, b.expected_result, b.database_fields, b.observations, b.status, b.late_days, b.submitted_at, b.decision_comment, b.source, COALESCE(u.login, b.source), b.created_at, b.updated_at, d.name";
const BRIEF_FROM: &str = "briefs b JOIN departments d ON d.id = b.department_id LEFT JOIN users u ON u.id = b.created_by";

fn brief_from_row(r: &Row) -> Brief {
    Brief {
        id: r.i64(0),
        form: BriefForm {
            department_id: r.opt_i64(1),
            contact_name: r.text(2),
            contact_email: r.text(3),
            campaign_name: r.text(4),
            kind: CampaignKind::from_code(&r.text(5)),
            objective: r.text(6),
            audience: r.text(7),
            key_message: r.text(8),
            start_date: r
                .opt_text(9)
                .map(|d| crate::domain::brief::display_date(&d))
                .unwrap_or_default(),
            end_date: r
                .opt_text(10)
                .map(|d| crate::domain::brief::display_date(&d))
                .unwrap_or_default(),
            expected_result: r.text(11),
            database_fields: r.text(12),
            observations: r.text(13),
        },
        status: BriefStatus::from_code(&r.text(14)).unwrap_or(BriefStatus::Borrador),
        late_days: r.opt_i64(15),
        submitted_at: r.opt_i64(16),
        decision_comment: r.opt_text(17),
        source: r.text(18),
        created_by: r.text(19),
        created_at: r.i64(20),
        updated_at: r.i64(21),
        department: r.text(22),
    }
}

/// Loads a brief for the program's own rules (the campaign → brief status), whoever acts.
pub(crate) fn load_unchecked(tx: &mut Tx<'_>, id: i64) -> Result<Brief> {
    let row = tx.conn.query_opt(
        &format!("SELECT {BRIEF_COLS} FROM {BRIEF_FROM} WHERE b.id = ?1"),
        params![id],
    )?;
    row.map(|r| brief_from_row(&r))
        .ok_or(Error::NotFound(What::Brief))
}

/// Loads a brief inside a transaction, refusing what the actor may not see.
pub(crate) fn load(tx: &mut Tx<'_>, actor: &Actor, id: i64) -> Result<Brief> {
    let row = tx.conn.query_opt(
        &format!("SELECT {BRIEF_COLS}, b.created_by FROM {BRIEF_FROM} WHERE b.id = ?1"),
        params![id],
    )?;
    let Some(row) = row else {
        return Err(Error::NotFound(What::Brief));
    };
    let b = brief_from_row(&row);
    if !may_see(actor, row.i64(1), b.status, row.opt_i64(23)) {
        // Not "forbidden": a brief of another department does not exist for this user.
        return Err(Error::NotFound(What::Brief));
    }
    Ok(b)
}

/// Moves a brief to `to`, recording who, when and why.
pub(crate) fn set_status(
    tx: &mut Tx<'_>,
    actor: &Actor,
    brief: &Brief,
    to: BriefStatus,
    comment: &str,
) -> Result<()> {
    tx.conn.execute(
        "UPDATE briefs SET status = ?1, updated_at = ?2 WHERE id = ?3",
        params![to.code(), tx.now, brief.id],
    )?;
    history(tx, actor, brief.id, Some(brief.status), to, comment)?;
    tx.audit(actor, "brief.status", "brief", Some(brief.id), to.code())
}

fn history(
    tx: &mut Tx<'_>,
    actor: &Actor,
    brief_id: i64,
    from: Option<BriefStatus>,
    to: BriefStatus,
    comment: &str,
) -> Result<()> {
    tx.conn.execute(
        "INSERT INTO brief_history (brief_id, at, actor, from_status, to_status, comment) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![brief_id, tx.now, actor.audit_name(), from.map(BriefStatus::code), to.code(), comment],
    )?;
    Ok(())
}

/// The department a brief must have: a solicitante's own; otherwise the form's.
fn department_for(actor: &Actor, form: &BriefForm) -> Result<i64> {
    match actor {
        Actor::User {
            role: Role::Solicitante,
            department_id,
            ..
        } => department_id.ok_or_else(|| Error::Forbidden(Msg::new("perm.forbidden"))),
        _ => form
            .department_id
            .ok_or_else(|| FieldError::new(Field::Department, "brief.err_department").into()),
    }
}

/// The form's twelve stored columns, from `contact_name` to `observations`, trimmed, dates in ISO.
fn form_values(form: &BriefForm) -> Vec<Val> {
    vec![
        form.contact_name.trim().into(),
        form.contact_email.trim().into(),
        form.campaign_name.trim().into(),
        form.kind.unwrap_or(CampaignKind::Otro).code().into(),
        form.objective.trim().into(),
        form.audience.trim().into(),
        form.key_message.trim().into(),
        iso_date(&form.start_date).into(),
        iso_date(&form.end_date).into(),
        form.expected_result.trim().into(),
        form.database_fields.trim().into(),
        form.observations.trim().into(),
    ]
}

/// Inserts a new draft brief (shared with the command line's `campaign create`).
pub(crate) fn insert(
    tx: &mut Tx<'_>,
    actor: &Actor,
    form: &BriefForm,
    department_id: i64,
    source: &str,
    status: BriefStatus,
    comment: &str,
) -> Result<i64> {
    let id = tx.conn.insert(
        "INSERT INTO briefs (uuid, department_id, created_by, source, contact_name, contact_email, campaign_name, kind, objective, audience, key_message, start_date, end_date, expected_result, database_fields, observations, status, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?18) RETURNING id",
        &[
            vec![
                uuid::Uuid::new_v4().to_string().into(),
                department_id.into(),
                actor.user_id().into(),
                source.into(),
            ],
            form_values(form),
            vec![status.code().into(), tx.now.into()],
        ]
        .concat(),
    )?;
    history(tx, actor, id, None, status, comment)?;
    tx.audit(actor, "brief.create", "brief", Some(id), source)?;
    Ok(id)
}

/// A brief the actor may still change (draft or returned, theirs to edit), loaded in `tx`.
fn load_editable(tx: &mut Tx<'_>, actor: &Actor, id: i64) -> Result<Brief> {
    let b = load(tx, actor, id)?;
    if !b.status.editable() {
        return Err(Error::Conflict(Msg::new("brief.err_not_editable")));
    }
    if !may_edit(actor, &b) {
        return Err(Error::Forbidden(Msg::new("brief.err_not_yours")));
    }
    Ok(b)
}

/// Writes the form over an editable brief.
fn update_fields(
    tx: &mut Tx<'_>,
    actor: &Actor,
    id: i64,
    department_id: i64,
    form: &BriefForm,
) -> Result<()> {
    load_editable(tx, actor, id)?;
    tx.conn.execute(
        "UPDATE briefs SET department_id = ?1, contact_name = ?2, contact_email = ?3, campaign_name = ?4, kind = ?5, objective = ?6, audience = ?7, key_message = ?8, start_date = ?9, end_date = ?10, expected_result = ?11, database_fields = ?12, observations = ?13, updated_at = ?14 WHERE id = ?15",
        &[
            vec![department_id.into()],
            form_values(form),
            vec![tx.now.into(), id.into()],
        ]
        .concat(),
    )?;
    tx.audit(actor, "brief.update", "brief", Some(id), "")
}

/// Sends an editable brief to Marketing, flagged *extemporánea* when late; the problems that
/// stop it (one per field) when it cannot be sent yet.
fn submit(
    tx: &mut Tx<'_>,
    actor: &Actor,
    id: i64,
    today: NaiveDate,
) -> Result<std::result::Result<Brief, (Brief, Vec<FieldError>)>> {
    let b = load_editable(tx, actor, id)?;
    let errs = b.form.validate_submit(today);
    if !errs.is_empty() {
        return Ok(Err((b, errs)));
    }
    let late = b.form.start().map(|s| days_short(today, s)).unwrap_or(0);
    tx.conn.execute(
        "UPDATE briefs SET late_days = ?1, submitted_at = ?2 WHERE id = ?3",
        params![late, tx.now, id],
    )?;
    let comment = if late > 0 {
        tf("brief.late_days", &[("days", &late)])
    } else {
        String::new()
    };
    set_status(tx, actor, &b, BriefStatus::Enviada, &comment)?;
    Ok(Ok(load(tx, actor, id)?))
}

impl Store {
    /// Today's date in the institution's time zone.
    pub fn today(&self) -> Result<NaiveDate> {
        Ok(crate::domain::format::today(self.now(), &self.settings()?))
    }

    /// Saves a new draft brief.
    pub fn brief_create(&self, actor: &Actor, form: &BriefForm) -> Result<Brief> {
        self.brief_create_from(actor, form, "gui")
    }

    /// Saves a new draft brief, recording where it came from (`gui`, `xlsx`).
    pub fn brief_create_from(
        &self,
        actor: &Actor,
        form: &BriefForm,
        source: &str,
    ) -> Result<Brief> {
        require(actor, Action::SubmitBriefs)?;
        let department_id = department_for(actor, form)?;
        let form = BriefForm {
            department_id: Some(department_id),
            ..form.clone()
        };
        if let Some(e) = form.validate_draft().into_iter().next() {
            return Err(e.into());
        }
        self.write(|tx| {
            let id = insert(
                tx,
                actor,
                &form,
                department_id,
                source,
                BriefStatus::Borrador,
                "",
            )?;
            load(tx, actor, id)
        })
    }

    /// Saves changes to a draft or returned brief.
    pub fn brief_update(&self, actor: &Actor, id: i64, form: &BriefForm) -> Result<Brief> {
        require(actor, Action::SubmitBriefs)?;
        let department_id = department_for(actor, form)?;
        let form = BriefForm {
            department_id: Some(department_id),
            ..form.clone()
        };
        if let Some(e) = form.validate_draft().into_iter().next() {
            return Err(e.into());
        }
        self.write(|tx| {
            update_fields(tx, actor, id, department_id, &form)?;
            load(tx, actor, id)
        })
    }

    /// Submits a draft or returned brief to Marketing. A brief less than 8 days before its
    /// start is not refused: it is flagged *extemporánea* with the days short.
    /// Every problem is returned, one per field.
    pub fn brief_submit(&self, actor: &Actor, id: i64) -> Result<Brief, Vec<FieldError>> {
        let one = |e: Error| match e {
            Error::Invalid(f) => vec![f],
            other => vec![FieldError::of(Field::Form, other.msg())],
        };
        require(actor, Action::SubmitBriefs).map_err(one)?;
        let today = self.today().map_err(one)?;
        self.write(|tx| Ok(submit(tx, actor, id, today)?.map_err(|(_, errs)| errs)))
            .map_err(one)?
    }

    /// A new draft with the fields of an existing brief (dates cleared).
    pub fn brief_duplicate(&self, actor: &Actor, id: i64) -> Result<Brief> {
        require(actor, Action::SubmitBriefs)?;
        self.write(|tx| {
            let b = load(tx, actor, id)?;
            let form = BriefForm {
                start_date: String::new(),
                end_date: String::new(),
                ..b.form.clone()
            };
            let department_id = department_for(actor, &form)?;
            let new = insert(
                tx,
                actor,
                &form,
                department_id,
                "gui",
                BriefStatus::Borrador,
                &tf("brief.duplicated_from", &[("id", &id)]),
            )?;
            load(tx, actor, new)
        })
    }

    /// The briefs the actor may see, newest first.
    pub fn briefs(&self, actor: &Actor, filter: &BriefFilter) -> Result<Vec<Brief>> {
        if !actor.can(Action::ViewAllBriefs) {
            require(actor, Action::SubmitBriefs)?;
        }
        let rows = self.read(|c| {
            c.query(
                &format!("SELECT {BRIEF_COLS}, b.created_by FROM {BRIEF_FROM} ORDER BY b.updated_at DESC, b.id DESC"),
                &[],
            )
        })?;
        Ok(rows
            .iter()
            .filter(|r| {
                let status = BriefStatus::from_code(&r.text(14)).unwrap_or(BriefStatus::Borrador);
                may_see(actor, r.i64(1), status, r.opt_i64(23))
            })
            .map(brief_from_row)
            .filter(|b| filter.matches(b))
            .collect())
    }

    /// One brief.
    pub fn brief(&self, actor: &Actor, id: i64) -> Result<Brief> {
        self.read(|tx| load(tx, actor, id))
    }

    /// The brief's changes of status, oldest first.
    pub fn brief_history(&self, actor: &Actor, id: i64) -> Result<Vec<BriefEvent>> {
        self.read(|tx| {
            load(tx, actor, id)?;
            Ok(tx
                .conn
                .query(
                    "SELECT h.at, h.actor, h.from_status, h.to_status, h.comment, u.name FROM brief_history h LEFT JOIN users u ON u.login = h.actor WHERE h.brief_id = ?1 ORDER BY h.id",
                    params![id],
                )?
                .iter()
                .map(|r| BriefEvent {
                    at: r.i64(0),
                    actor: r.text(1),
                    from: r.opt_text(2).and_then(|s| BriefStatus::from_code(&s)),
                    to: BriefStatus::from_code(&r.text(3)).unwrap_or(BriefStatus::Borrador),
                    comment: r.text(4),
                    actor_name: r.opt_text(5),
                })
                .collect())
        })
    }

    /// Attaches a file (the contact database) to a brief that can still be edited.
    pub fn brief_attach(
        &self,
        actor: &Actor,
        id: i64,
        file_name: &str,
        content: &[u8],
    ) -> Result<BriefFile> {
        require(actor, Action::SubmitBriefs)?;
        if content.is_empty() {
            return Err(FieldError::new(Field::File, "brief.err_file_empty").into());
        }
        if content.len() > MAX_FILE_BYTES {
            return Err(FieldError::new(Field::File, "brief.err_file_big").into());
        }
        self.write(|tx| {
            let b = load(tx, actor, id)?;
            if !b.status.editable() {
                return Err(Error::Conflict(Msg::new("brief.err_not_editable")));
            }
            if !may_edit(actor, &b) {
                return Err(Error::Forbidden(Msg::new("brief.err_not_yours")));
            }
            let fid = tx.conn.insert(
                "INSERT INTO brief_files (brief_id, file_name, size, content, uploaded_by, uploaded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
                params![id, file_name, content.len() as i64, content.to_vec(), actor.user_id(), tx.now],
            )?;
            tx.audit(actor, "brief.attach", "brief", Some(id), file_name)?;
            Ok(BriefFile {
                id: fid,
                file_name: file_name.to_owned(),
                size: content.len() as i64,
                uploaded_at: tx.now,
            })
        })
    }

    /// The files attached to a brief.
    pub fn brief_files(&self, actor: &Actor, id: i64) -> Result<Vec<BriefFile>> {
        self.read(|tx| {
            load(tx, actor, id)?;
            Ok(tx
                .conn
                .query(
                    "SELECT id, file_name, size, uploaded_at FROM brief_files WHERE brief_id = ?1 ORDER BY id",
                    params![id],
                )?
                .iter()
                .map(|r| BriefFile {
                    id: r.i64(0),
                    file_name: r.text(1),
                    size: r.i64(2),
                    uploaded_at: r.i64(3),
                })
                .collect())
        })
    }

    /// The bytes of an attached file.
    pub fn brief_file_content(&self, actor: &Actor, file_id: i64) -> Result<(String, Vec<u8>)> {
        self.read(|tx| {
            let r = tx
                .conn
                .query_opt(
                    "SELECT brief_id, file_name, content FROM brief_files WHERE id = ?1",
                    params![file_id],
                )?
                .ok_or_else(|| Error::NotFound(What::Brief))?;
            load(tx, actor, r.i64(0))?;
            Ok((r.text(1), r.blob(2)))
        })
    }

    /// The head accepts a submitted brief: it moves to "en definición de estrategia".
    pub fn brief_accept(&self, actor: &Actor, id: i64, comment: &str) -> Result<Brief> {
        self.decide(actor, id, BriefStatus::EnDefinicion, comment, false)
    }

    /// The head returns a brief to the department with comments (it becomes editable again).
    pub fn brief_return(&self, actor: &Actor, id: i64, comment: &str) -> Result<Brief> {
        self.decide(actor, id, BriefStatus::Devuelta, comment, true)
    }

    /// The head rejects a brief, with the reason.
    pub fn brief_reject(&self, actor: &Actor, id: i64, reason: &str) -> Result<Brief> {
        self.decide(actor, id, BriefStatus::Rechazada, reason, true)
    }

    fn decide(
        &self,
        actor: &Actor,
        id: i64,
        to: BriefStatus,
        comment: &str,
        needs_comment: bool,
    ) -> Result<Brief> {
        require(actor, Action::DecideBriefs)?;
        if needs_comment && comment.trim().is_empty() {
            return Err(FieldError::new(Field::Comment, "brief.err_comment").into());
        }
        self.write(|tx| {
            let b = load(tx, actor, id)?;
            let allowed = match to {
                BriefStatus::EnDefinicion => b.status.awaiting_decision(),
                _ => b.status.can_return(),
            };
            if !allowed {
                return Err(Error::Conflict(Msg::with(
                    "brief.err_wrong_status",
                    &[("status", &b.status.label())],
                )));
            }
            if needs_comment {
                tx.conn.execute(
                    "UPDATE briefs SET decision_comment = ?1 WHERE id = ?2",
                    params![comment.trim(), id],
                )?;
            }
            set_status(tx, actor, &b, to, comment.trim())?;
            load(tx, actor, id)
        })
    }

    /// "Guardar y enviar": saves the form (a new draft when `id` is `None`) and submits it, in
    /// one transaction. When it cannot be submitted yet the draft is still saved, and every
    /// problem is returned with it, one per field; an empty list means it was submitted.
    pub fn brief_save_and_submit(
        &self,
        actor: &Actor,
        id: Option<i64>,
        form: &BriefForm,
    ) -> Result<(Brief, Vec<FieldError>)> {
        require(actor, Action::SubmitBriefs)?;
        let department_id = department_for(actor, form)?;
        let form = BriefForm {
            department_id: Some(department_id),
            ..form.clone()
        };
        if let Some(e) = form.validate_draft().into_iter().next() {
            return Err(e.into());
        }
        let today = self.today()?;
        self.write(|tx| {
            let id = match id {
                None => insert(
                    tx,
                    actor,
                    &form,
                    department_id,
                    "gui",
                    BriefStatus::Borrador,
                    "",
                )?,
                Some(id) => {
                    update_fields(tx, actor, id, department_id, &form)?;
                    id
                }
            };
            Ok(match submit(tx, actor, id, today)? {
                Ok(b) => (b, Vec::new()),
                Err((b, errs)) => (b, errs),
            })
        })
    }
}
