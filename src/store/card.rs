//! What the agent's screen reads about a contact: its card (`call_card`), the file's extra
//! columns recorded per import batch (`import_columns`, `campaign_columns`), an agent's
//! correction of a contact's phone or e-mail (`contact_correct`) and an agent's progress in a
//! campaign (`agent_progress`).

use std::collections::BTreeMap;

use super::db::Row;
use super::{Error, Result, Store, Tx, What, require};
use crate::domain::card::{
    Card, Change, ChangeField, HISTORY_LIMIT, HistoryEntry, HistoryKind, Progress, day_bounds,
    ordered_fields, stored_phone, supervises, union_columns,
};
use crate::domain::contact::ContactStatus;
use crate::domain::{Action, Actor, Field, FieldError};
use crate::i18n::Msg;
use crate::params;

/// The agent a contact is assigned to: its own override (`agent_id`), else the distribution
/// rule covering it (the rule of `call_record`).
pub(crate) fn assigned_agent(
    tx: &mut Tx<'_>,
    campaign_id: i64,
    contact_id: i64,
    agent_override: Option<i64>,
) -> Result<Option<i64>> {
    Ok(match agent_override {
        Some(id) => Some(id),
        None => super::distribution::rules(tx, campaign_id)?
            .iter()
            .find(|rule| rule.owns(contact_id))
            .map(|rule| rule.agent),
    })
}

/// Whether `agent` holds a contact, as `call_record` decides it: its own claim (even expired:
/// nobody claimed it since), or its assigned contact that nobody holds (or whose claim expired,
/// a desk that crashed).
pub(crate) fn holds(
    agent: i64,
    assigned: Option<i64>,
    claimed_by: Option<i64>,
    claimed_at: Option<i64>,
    now: i64,
) -> bool {
    let free = claimed_by.is_none()
        || claimed_at.is_some_and(|at| crate::domain::call::claim_expired(at, now));
    claimed_by == Some(agent) || (assigned == Some(agent) && free)
}

/// How many contacts are the agent's, exactly as `distribution::count_for_agent` counts them
/// (its overrides, plus what its rules give less what was taken out of them, plus what it holds
/// from the shared queue outside every rule), reading only the agent's rows: its overrides by
/// `campaign_contacts_agent`, each block rule's id range once (the contacts dealt to it, not
/// the campaign's), its claims by `campaign_contacts_claimed`. An agent dealt interleaved (its
/// rules' ranges span every agent's contacts) is counted by `count_for_agent` itself.
pub(crate) fn assigned_count(tx: &mut Tx<'_>, campaign_id: i64, agent: i64) -> Result<i64> {
    let rules = super::distribution::rules(tx, campaign_id)?;
    let mine: Vec<_> = rules.iter().filter(|r| r.agent == agent).copied().collect();
    if mine.iter().any(|r| r.step > 1) {
        return super::distribution::count_for_agent(tx, campaign_id, agent);
    }
    let own = tx
        .conn
        .query_one(
            "SELECT COUNT(*) FROM campaign_contacts WHERE campaign_id = ?1 AND agent_id = ?2",
            params![campaign_id, agent],
        )?
        .i64(0);
    let mut by_rules = 0;
    for r in &mine {
        let taken = tx
            .conn
            .query_one(
                "SELECT COUNT(*) FROM campaign_contacts WHERE id BETWEEN ?1 AND ?2 AND campaign_id = ?3 AND agent_id IS NOT NULL",
                params![r.first, r.last, campaign_id],
            )?
            .i64(0);
        by_rules += r.count() - taken;
    }
    let mut held = 0;
    tx.conn.for_each_row(
        "SELECT id FROM campaign_contacts WHERE campaign_id = ?1 AND claimed_by = ?2 AND agent_id IS NULL",
        params![campaign_id, agent],
        |row| {
            let id = row.i64(0);
            if !rules.iter().any(|r| id >= r.first && id <= r.last) {
                held += 1;
            }
        },
    )?;
    Ok(own + by_rules + held)
}

/// The headers recorded with a batch (a JSON array; none for an older batch).
fn columns_of(json: &str) -> Vec<String> {
    serde_json::from_str(json).unwrap_or_default()
}

/// The file columns of the campaigns that use a script (their confirmed batches, in order):
/// placeholders the script may use besides the base ones and the brief's declared fields.
pub(crate) fn script_columns(tx: &mut Tx<'_>, script_id: i64) -> Result<Vec<String>> {
    let rows = tx.conn.query(
        "SELECT ib.extra_columns FROM import_batches ib JOIN campaigns c ON c.id = ib.campaign_id WHERE c.script_id = ?1 AND ib.status = 'confirmada' ORDER BY ib.id",
        params![script_id],
    )?;
    Ok(union_columns(rows.iter().map(|r| columns_of(&r.text(0)))))
}

fn contact_unknown(contact_id: i64) -> Error {
    Error::Conflict(Msg::with(
        "card.err_contact_unknown",
        &[("contact", &contact_id)],
    ))
}

/// This person's attempts (every campaign) and corrections, newest first, at most
/// [`HISTORY_LIMIT`]. Read by the person's contacts (`campaign_contacts_person`), then each
/// contact's attempts (`call_attempts_contact`) and changes (`contact_changes_contact`).
pub(crate) fn history(tx: &mut Tx<'_>, person_id: i64) -> Result<Vec<HistoryEntry>> {
    let limit = HISTORY_LIMIT as i64;
    let mut out: Vec<(i64, i64, HistoryEntry)> = tx
        .conn
        .query(
            "SELECT a.started_at, a.id, c.name, COALESCE(u.name, ''), d.name, a.notes, a.phone, a.reason
             FROM campaign_contacts cc
             JOIN call_attempts a ON a.contact_id = cc.id
             JOIN campaigns c ON c.id = a.campaign_id
             JOIN dispositions d ON d.id = a.disposition_id
             LEFT JOIN users u ON u.id = a.agent_id
             WHERE cc.person_id = ?1 ORDER BY a.started_at DESC, a.id DESC LIMIT ?2",
            params![person_id, limit],
        )?
        .iter()
        .map(|r| {
            (
                r.i64(0),
                r.i64(1),
                HistoryEntry {
                    at: r.i64(0),
                    campaign: r.text(2),
                    agent: r.text(3),
                    outcome: r.text(4),
                    notes: r.text(5),
                    phone: r.text(6),
                    reason: r.opt_text(7).filter(|s| !s.is_empty()),
                    kind: HistoryKind::Attempt,
                    change: None,
                },
            )
        })
        .collect();
    let changes = tx.conn.query(
        "SELECT ch.changed_at, ch.id, c.name, COALESCE(u.name, ''), ch.field, ch.old_value, ch.new_value
         FROM campaign_contacts cc
         JOIN contact_changes ch ON ch.contact_id = cc.id
         JOIN campaigns c ON c.id = cc.campaign_id
         LEFT JOIN users u ON u.id = ch.changed_by
         WHERE cc.person_id = ?1 ORDER BY ch.changed_at DESC, ch.id DESC LIMIT ?2",
        params![person_id, limit],
    )?;
    for r in &changes {
        let Some(field) = ChangeField::from_code(&r.text(4)) else {
            continue;
        };
        out.push((
            r.i64(0),
            r.i64(1),
            HistoryEntry {
                at: r.i64(0),
                campaign: r.text(2),
                agent: r.text(3),
                outcome: field.code().to_owned(),
                notes: String::new(),
                phone: String::new(),
                reason: None,
                kind: HistoryKind::Correction,
                change: Some(Change {
                    field,
                    old: r.text(5),
                    new: r.text(6),
                }),
            },
        ));
    }
    // Newest first (an attempt's time is its start: a correction made during the call
    // comes after it); at the same second, later rows first.
    out.sort_by(|a, b| {
        (b.0, b.2.kind == HistoryKind::Correction, b.1).cmp(&(
            a.0,
            a.2.kind == HistoryKind::Correction,
            a.1,
        ))
    });
    out.truncate(HISTORY_LIMIT);
    Ok(out.into_iter().map(|(_, _, e)| e).collect())
}

const CARD_COLS: &str = "v.id, v.person_id, v.name, v.phone, v.alt_phones, v.email, v.document, v.program, v.city, v.extra, v.attempts, v.status, v.next_call_at, v.agent_id, v.claimed_by, v.claimed_at, v.batch_id, v.campaign_id";

fn card_from_row(tx: &mut Tx<'_>, r: &Row) -> Result<Card> {
    let columns = match r.opt_i64(16) {
        Some(batch) => tx
            .conn
            .query_opt(
                "SELECT extra_columns FROM import_batches WHERE id = ?1",
                params![batch],
            )?
            .map(|b| columns_of(&b.text(0)))
            .unwrap_or_default(),
        None => Vec::new(),
    };
    let extra: BTreeMap<String, String> = serde_json::from_str(&r.text(9)).unwrap_or_default();
    let status = ContactStatus::from_code(&r.text(11)).unwrap_or(ContactStatus::Pendiente);
    let person_id = r.i64(1);
    Ok(Card {
        contact_id: r.i64(0),
        person_id,
        name: r.text(2),
        phone: r.text(3),
        alternates: r
            .text(4)
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_owned)
            .collect(),
        email: r.opt_text(5).filter(|s| !s.trim().is_empty()),
        document: r.opt_text(6).filter(|s| !s.trim().is_empty()),
        program: r.opt_text(7).filter(|s| !s.trim().is_empty()),
        city: r.opt_text(8).filter(|s| !s.trim().is_empty()),
        fields: ordered_fields(&columns, &extra),
        attempts: r.i64(10),
        status,
        callback_at: r.opt_i64(12).filter(|_| status == ContactStatus::Agendado),
        history: history(tx, person_id)?,
    })
}

impl Store {
    /// Records the headers of the file's extra columns (those kept in each contact's `extra`),
    /// in file order, with an import batch that is still running.
    pub fn import_columns(&self, actor: &Actor, batch_id: i64, columns: &[String]) -> Result<()> {
        require(actor, Action::RunCampaigns)?;
        let json = serde_json::to_string(&union_columns([columns.to_vec()]))
            .unwrap_or_else(|_| "[]".into());
        self.write(|tx| {
            let n = tx.conn.execute(
                "UPDATE import_batches SET extra_columns = ?1 WHERE id = ?2 AND status = 'en_curso'",
                params![json, batch_id],
            )?;
            if n == 0 {
                return Err(Error::Conflict(Msg::new("import.err_batch_closed")));
            }
            Ok(())
        })
    }

    /// The extra columns of the campaign's confirmed imports: their headers in file order,
    /// batch after batch, each once (script placeholders, the card's fields).
    pub fn campaign_columns(&self, actor: &Actor, campaign_id: i64) -> Result<Vec<String>> {
        if !actor.can(Action::ViewAllBriefs) {
            require(actor, Action::RecordCalls)?;
        }
        self.read(|tx| {
            if tx
                .conn
                .query_opt("SELECT id FROM campaigns WHERE id = ?1", params![campaign_id])?
                .is_none()
            {
                return Err(Error::NotFound(What::Campaign));
            }
            let rows = tx.conn.query(
                "SELECT extra_columns FROM import_batches WHERE campaign_id = ?1 AND status = 'confirmada' ORDER BY id",
                params![campaign_id],
            )?;
            Ok(union_columns(rows.iter().map(|r| columns_of(&r.text(0)))))
        })
    }

    /// The contact as the agent's screen shows it, with this person's history (a read). For
    /// the agent who holds the contact or is assigned it, and for the head and the professional.
    pub fn call_card(&self, actor: &Actor, campaign_id: i64, contact_id: i64) -> Result<Card> {
        if !supervises(actor) {
            require(actor, Action::RecordCalls)?;
        }
        self.read(|tx| {
            let Some(r) = tx.conn.query_opt(
                &format!(
                    "SELECT {CARD_COLS} FROM visible_contacts v WHERE v.id = ?1 AND v.campaign_id = ?2"
                ),
                params![contact_id, campaign_id],
            )?
            else {
                return Err(contact_unknown(contact_id));
            };
            if !supervises(actor) {
                let me = actor.user_id().unwrap_or_default();
                let assigned = assigned_agent(tx, campaign_id, contact_id, r.opt_i64(13))?;
                if assigned != Some(me) && r.opt_i64(14) != Some(me) {
                    return Err(Error::Forbidden(Msg::new("card.err_not_yours")));
                }
            }
            card_from_row(tx, &r)
        })
    }

    /// The agent's correction of a contact's phone or e-mail (one write; audited as
    /// `contact.correct` with the old value). The phone comes as E.164 digits already
    /// normalised by the caller (`import::phone::normalize_phone`); the wrong one leaves the
    /// dialling and stays in the contact's history (`contact_changes`). Only the agent who holds
    /// the contact or is assigned it (as `call_record` decides), active and acting for itself.
    pub fn contact_correct(
        &self,
        actor: &Actor,
        agent_login: &str,
        contact_id: i64,
        phone_e164: Option<&str>,
        email: Option<&str>,
    ) -> Result<()> {
        let phone = match phone_e164.map(str::trim) {
            None => None,
            Some(p) => Some(stored_phone(p).ok_or_else(|| {
                Error::Invalid(FieldError::with(
                    Field::Phone,
                    "card.err_phone",
                    &[("phone", &p)],
                ))
            })?),
        };
        let email = match email.map(str::trim) {
            None => None,
            Some(e) if crate::domain::brief::is_email(e) => Some(e.to_owned()),
            Some(e) => {
                return Err(Error::Invalid(FieldError::with(
                    Field::Email,
                    "card.err_email",
                    &[("email", &e)],
                )));
            }
        };
        if phone.is_none() && email.is_none() {
            return Err(Error::Invalid(FieldError::new(
                Field::Form,
                "card.err_nothing",
            )));
        }
        self.write(|tx| {
            let agent = super::calls::agent_for(tx, actor, agent_login)?;
            let Some(r) = tx.conn.query_opt(
                "SELECT campaign_id, phone, alt_phones, email, agent_id, claimed_by, claimed_at, person_id FROM visible_contacts WHERE id = ?1",
                params![contact_id],
            )?
            else {
                return Err(contact_unknown(contact_id));
            };
            let campaign_id = r.i64(0);
            let assigned = assigned_agent(tx, campaign_id, contact_id, r.opt_i64(4))?;
            if !holds(agent.id, assigned, r.opt_i64(5), r.opt_i64(6), tx.now) {
                return Err(Error::Conflict(Msg::with(
                    "call_record.err_contact_not_yours",
                    &[("contact", &contact_id), ("login", &agent.login)],
                )));
            }
            let now = tx.now;
            let (old_phone, alt_phones) = (r.text(1), r.text(2));
            let old_email = r.opt_text(3).unwrap_or_default();
            let change = |tx: &mut Tx<'_>, field: ChangeField, old: &str, new: &str| -> Result<()> {
                tx.conn.execute(
                    "INSERT INTO contact_changes (contact_id, field, old_value, new_value, changed_by, changed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![contact_id, field.code(), old, new, agent.id, now],
                )?;
                tx.audit(
                    actor,
                    "contact.correct",
                    "contact",
                    Some(contact_id),
                    &format!("{} {}: {old}", agent.login, field.code()),
                )
            };
            if let Some(new) = phone.as_deref().filter(|p| *p != old_phone) {
                let digits = super::contacts::parse_e164(new).unwrap_or_default();
                if tx
                    .conn
                    .query_opt(
                        "SELECT id FROM optout WHERE phone_hash = ?1",
                        params![super::contacts::phone_hash(digits)],
                    )?
                    .is_some()
                {
                    return Err(Error::Invalid(FieldError::with(
                        Field::Phone,
                        "card.err_phone_opted_out",
                        &[("phone", &crate::domain::format::phone(new))],
                    )));
                }
                // The new phone is dialled; an alternate equal to it is no longer one.
                let alternates = alt_phones
                    .split(',')
                    .map(str::trim)
                    .filter(|p| !p.is_empty() && *p != new)
                    .collect::<Vec<_>>()
                    .join(",");
                tx.conn.execute(
                    "UPDATE campaign_contacts SET phone = ?1, alt_phones = ?2 WHERE id = ?3",
                    params![new, alternates, contact_id],
                )?;
                // The person is known by this phone from now on (opt-out, later imports).
                tx.conn.execute(
                    "INSERT INTO person_phone_keys (e164, person_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
                    params![digits as i64, r.i64(7)],
                )?;
                change(tx, ChangeField::Phone, &old_phone, new)?;
            }
            if let Some(new) = email.as_deref().filter(|e| *e != old_email) {
                tx.conn.execute(
                    "UPDATE campaign_contacts SET email = ?1 WHERE id = ?2",
                    params![new, contact_id],
                )?;
                change(tx, ChangeField::Email, &old_email, new)?;
            }
            Ok(())
        })
    }

    /// The agent's progress in a campaign: its contacts, those closed, its calls of today
    /// (since local midnight in the settings' time zone) and those that reached the person.
    /// For the agent itself, and for the head and the professional (a read).
    ///
    /// Cost at a million contacts, every part an index range read of the agent's own rows: the
    /// assigned count as [`assigned_count`] reads it; closed contacts are one range count on the
    /// queue index `(campaign_id, agent_id, status, …)` plus the few closed contacts without an
    /// agent of their own; today's calls are one range read of `call_attempts_agent_day`
    /// `(campaign_id, agent_id, started_at, disposition_id)`, a day's rows only.
    pub fn agent_progress(
        &self,
        actor: &Actor,
        campaign_id: i64,
        agent_login: &str,
    ) -> Result<Progress> {
        if !supervises(actor) {
            require(actor, Action::RecordCalls)?;
        }
        let settings = self.settings()?;
        self.read(|tx| {
            let login = crate::domain::user::normalize_login(agent_login);
            let Some(u) = tx.conn.query_opt(
                "SELECT id FROM users WHERE login = ?1",
                params![login.as_str()],
            )?
            else {
                return Err(Error::Conflict(Msg::with(
                    "call.err_agent_unknown",
                    &[("login", &login)],
                )));
            };
            let a = u.i64(0);
            if !supervises(actor) && actor.user_id() != Some(a) {
                return Err(Error::Forbidden(Msg::new("perm.forbidden")));
            }
            super::campaigns::get(tx, campaign_id)?;
            let assigned = assigned_count(tx, campaign_id, a)?;
            let mut done = tx
                .conn
                .query_one(
                    "SELECT COUNT(*) FROM campaign_contacts WHERE campaign_id = ?1 AND agent_id = ?2 AND status = 'cerrado'",
                    params![campaign_id, a],
                )?
                .i64(0);
            // Closed without an agent of their own (an opt-out from another campaign): the
            // agent's when its rules cover them.
            let rules: Vec<_> = super::distribution::rules(tx, campaign_id)?
                .into_iter()
                .filter(|r| r.agent == a)
                .collect();
            if !rules.is_empty() {
                tx.conn.for_each_row(
                    "SELECT id FROM campaign_contacts WHERE campaign_id = ?1 AND agent_id IS NULL AND status = 'cerrado'",
                    params![campaign_id],
                    |r| {
                        let id = r.i64(0);
                        if rules.iter().any(|rule| rule.owns(id)) {
                            done += 1;
                        }
                    },
                )?;
            }
            let (start, end) = day_bounds(tx.now, settings.tz());
            let today = tx.conn.query_one(
                "SELECT COUNT(*), COALESCE(SUM(d.reached), 0) FROM call_attempts a JOIN dispositions d ON d.id = a.disposition_id WHERE a.campaign_id = ?1 AND a.agent_id = ?2 AND a.started_at >= ?3 AND a.started_at < ?4",
                params![campaign_id, a, start, end],
            )?;
            Ok(Progress {
                assigned,
                done,
                today_calls: today.i64(0),
                today_reached: today.i64(1),
            })
        })
    }
}
