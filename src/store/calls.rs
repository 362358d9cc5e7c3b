//! "Mis llamadas": the agent's queue (`call next`).
//!
//! The queue, in order: the agent's callbacks that are due, then contacts never attempted (file
//! order), then retries past the campaign's `min_hours_between` and below its `max_attempts`.
//! Never a closed contact nor another agent's. Each step is one indexed read that stops at the
//! first row; the contact chosen is claimed by one conditional write checked by the rows it
//! changed, and stays the agent's until an outcome is recorded (asking again gives it back).
//!
//! A person reached today (`persons.last_reached_at` since local midnight, in any campaign) is
//! not offered again the same day, except for a callback the person asked for.
//!
//! `call record`: the outcome, the attempt and the contact's derived fields in one transaction:
//! "No interesado" needs a coded reason of the settings' list, an outcome that reached the
//! person needs the script's required answers, a retry goes to another time band of the day,
//! and what the outcome replaced is kept (`call_undo`) so that `call_undo` can put it back for
//! `domain::call::UNDO_SECS` (plus a grace).

use super::catalogs::disposition_from_row;
use super::{Error, Result, Store, Tx, require};
use crate::domain::call::{
    Next, NextContact, NoCallReason, Recorded, RetryRules, after_outcome, day_start, is_better,
    needs_callback, next_phone,
};
use crate::domain::catalog::{Disposition, DispositionCategory};
use crate::domain::contact::ContactStatus;
use crate::domain::procedure::{CampaignStatus, DistributionMode};
use crate::domain::{Action, Actor, Field, FieldError, User};
use crate::i18n::Msg;
use crate::params;

/// The agent named by `login`, who may record calls and is active; the acting user may only
/// act for itself (the command line for anyone).
pub(crate) fn agent_for(tx: &mut Tx<'_>, actor: &Actor, login: &str) -> Result<User> {
    require(actor, Action::RecordCalls)?;
    let login = crate::domain::user::normalize_login(login);
    let Some(r) = tx.conn.query_opt(
        "SELECT id, login, name, role, department_id, active FROM users WHERE login = ?1",
        params![login.as_str()],
    )?
    else {
        return Err(Error::Conflict(Msg::with(
            "call.err_agent_unknown",
            &[("login", &login)],
        )));
    };
    let role =
        crate::domain::Role::from_code(&r.text(3)).unwrap_or(crate::domain::Role::Solicitante);
    let user = User {
        id: r.i64(0),
        login: r.text(1),
        name: r.text(2),
        role,
        department_id: r.opt_i64(4),
        department: None,
        active: r.i64(5) != 0,
    };
    if !crate::domain::perm::allowed(role, Action::RecordCalls) {
        return Err(Error::Conflict(Msg::with(
            "call.err_not_agent",
            &[("login", &user.login)],
        )));
    }
    if !user.active {
        return Err(Error::Conflict(Msg::with(
            "call.err_agent_inactive",
            &[("login", &user.login)],
        )));
    }
    if actor.user_id().is_some_and(|id| id != user.id) {
        return Err(Error::Forbidden(Msg::new("perm.forbidden")));
    }
    Ok(user)
}

fn contact(tx: &mut Tx<'_>, id: i64) -> Result<NextContact> {
    let r = tx.conn.query_one(
        "SELECT id, name, phone, alt_phones, email, attempts, status FROM campaign_contacts WHERE id = ?1",
        params![id],
    )?;
    Ok(NextContact {
        contact_id: r.i64(0),
        name: r.text(1),
        phone: r.text(2),
        alt_phones: r.text(3),
        email: r.opt_text(4),
        attempts: r.i64(5),
        callback: r.text(6) == "agendado",
    })
}

/// The first id a query returns, if any.
fn first(tx: &mut Tx<'_>, sql: &str, vals: &[super::db::Val]) -> Result<Option<i64>> {
    Ok(tx.conn.query_opt(sql, vals)?.and_then(|r| r.opt_i64(0)))
}

impl Store {
    /// The agent's next contact in an active campaign, claimed for it; or why nothing may be
    /// called now (outside the calling windows, a holiday, nothing due). Audited as the actor
    /// (the command line acting for the agent).
    pub fn call_next(&self, actor: &Actor, campaign_id: i64, agent_login: &str) -> Result<Next> {
        let settings = self.settings()?;
        self.write(|tx| {
            let agent = agent_for(tx, actor, agent_login)?;
            let c = super::campaigns::get(tx, campaign_id)?;
            if c.status != CampaignStatus::Activa {
                return Err(Error::Conflict(Msg::with(
                    "call.err_campaign_not_active",
                    &[("name", &c.form.name), ("status", &c.status.label())],
                )));
            }
            let now = tx.now;
            if let Err(not_now) = settings.may_call_at(now) {
                return Ok(Next::Nothing {
                    reason: NoCallReason::of(&not_now.reason),
                    why: Some(not_now.reason),
                    next_window: not_now.next_window,
                });
            }
            let a = agent.id;
            // A claim older than its time to live counts as free (a desk that crashed).
            let cutoff = crate::domain::call::claim_cutoff(now);
            // A person reached today (in any campaign) is not offered again the same day, except
            // for a callback the person asked for. The persons reached since local midnight are
            // few (read by the partial index of migration 7); each queue read below leaves them
            // out as it walks its index, so it still stops at the first row that qualifies.
            let midnight = day_start(now, settings.tz());
            let not_reached = |col: &str| {
                format!(
                    "{col} NOT IN (SELECT p.id FROM persons p WHERE p.last_reached_at >= {midnight})"
                )
            };
            // What the agent already holds (asked again before recording an outcome); the claim
            // is not extended (it dates from when the contact was handed out). A contact held
            // whose person was reached since it was handed out goes back (a callback stays).
            let mut held = None;
            for _ in 0..8 {
                let Some(id) = first(
                    tx,
                    "SELECT id FROM campaign_contacts WHERE claimed_by = ?1 AND campaign_id = ?2 AND status IN ('pendiente', 'agendado') ORDER BY id LIMIT 1",
                    params![a, campaign_id],
                )?
                else {
                    break;
                };
                let released = tx.conn.execute(
                    "UPDATE campaign_contacts SET claimed_by = NULL, claimed_at = NULL WHERE id = ?1 AND status = 'pendiente' AND EXISTS (SELECT 1 FROM persons p WHERE p.id = campaign_contacts.person_id AND p.last_reached_at >= ?2)",
                    params![id, midnight],
                )?;
                if released == 0 {
                    held = Some(id);
                    break;
                }
            }
            let chosen = match held {
                Some(id) => Some(id),
                None => {
                    let callback = first(
                        tx,
                        "SELECT id FROM campaign_contacts WHERE campaign_id = ?1 AND agent_id = ?2 AND status = 'agendado' AND next_call_at <= ?3 AND (claimed_by IS NULL OR claimed_at < ?4) ORDER BY next_call_at LIMIT 1",
                        params![campaign_id, a, now, cutoff],
                    )?;
                    let untried = match callback {
                        Some(id) => Some(id),
                        // `+attempts`: never the attempts' index (kept for sorting the contacts
                        // table); the agent's index walks only its own range. The statistics a
                        // sampled ANALYZE leaves (`analysis_limit`) cannot tell them apart.
                        None => super::distribution::next_free(
                            tx,
                            campaign_id,
                            a,
                            c.form.distribution_mode == DistributionMode::ColaCompartida,
                            &format!("+v.attempts = 0 AND {}", not_reached("v.person_id")),
                        )?,
                    };
                    match untried {
                        Some(id) => Some(id),
                        None => first(
                            tx,
                            &format!(
                                "SELECT id FROM campaign_contacts WHERE campaign_id = ?1 AND agent_id = ?2 AND status = 'pendiente' AND next_call_at <= ?3 AND +attempts > 0 AND +attempts < ?4 AND (claimed_by IS NULL OR claimed_at < ?5) AND {} ORDER BY next_call_at LIMIT 1",
                                not_reached("person_id")
                            ),
                            params![campaign_id, a, now, c.form.max_attempts, cutoff],
                        )?,
                    }
                }
            };
            let Some(id) = chosen else {
                // When something of the agent's falls due next.
                let due = tx
                    .conn
                    .query_one(
                        "SELECT MIN(next_call_at) FROM campaign_contacts WHERE campaign_id = ?1 AND agent_id = ?2 AND status IN ('pendiente', 'agendado') AND next_call_at > ?3",
                        params![campaign_id, a, now],
                    )?
                    .opt_i64(0);
                let next_window = due.and_then(|at| {
                    crate::domain::calendar::next_window(
                        at,
                        &settings.call_windows,
                        &settings.holidays,
                        settings.tz(),
                    )
                });
                return Ok(Next::Nothing {
                    reason: NoCallReason::ColaVacia,
                    why: None,
                    next_window,
                });
            };
            // A new claim, or the agent's own claim past its time to live taken again (from
            // now); a live claim is given back as it is, never extended.
            let live = match held {
                Some(id) => first(
                    tx,
                    "SELECT id FROM campaign_contacts WHERE id = ?1 AND claimed_at >= ?2",
                    params![id, cutoff],
                )?
                .is_some(),
                None => false,
            };
            if !live {
                let n = tx.conn.execute(
                    "UPDATE campaign_contacts SET claimed_by = ?1, claimed_at = ?2 WHERE id = ?3 AND (claimed_by IS NULL OR claimed_by = ?1 OR claimed_at < ?4)",
                    params![a, now, id, cutoff],
                )?;
                if n != 1 {
                    return Err(Error::Conflict(Msg::new("call.err_taken")));
                }
                tx.audit(
                    actor,
                    "call.next",
                    "contact",
                    Some(id),
                    &agent.login,
                )?;
            }
            contact(tx, id).map(Next::Contact)
        })
    }
}

/// The campaign's disposition named by its digit key or its code.
fn outcome_of(tx: &mut Tx<'_>, campaign_id: i64, key_or_code: &str) -> Result<Disposition> {
    let all: Vec<Disposition> = tx
        .conn
        .query(
            "SELECT d.id, d.hotkey, d.code, d.name, d.category, d.reached, d.is_final, d.final_for_phone, d.active FROM dispositions d JOIN campaign_dispositions cd ON cd.disposition_id = d.id WHERE cd.campaign_id = ?1 ORDER BY d.sort",
            params![campaign_id],
        )?
        .iter()
        .map(disposition_from_row)
        .collect();
    let wanted = key_or_code.trim();
    let mut chars = wanted.chars();
    let key = match (chars.next(), chars.next()) {
        (Some(k), None) => Some(k),
        _ => None,
    };
    let found = all
        .iter()
        .find(|d| (key.is_some() && d.key == key) || d.code.eq_ignore_ascii_case(wanted));
    match found {
        Some(d) => Ok(d.clone()),
        None => {
            let list = all
                .iter()
                .map(|d| match d.key {
                    Some(k) => format!("{k} {}", d.code),
                    None => d.code.clone(),
                })
                .collect::<Vec<_>>()
                .join(", ");
            Err(Error::Conflict(Msg::with(
                "call_record.err_outcome_unknown",
                &[("outcome", &wanted), ("list", &list)],
            )))
        }
    }
}

fn disposition_by_id(tx: &mut Tx<'_>, id: i64) -> Result<Option<Disposition>> {
    Ok(tx
        .conn
        .query_opt(
            "SELECT id, hotkey, code, name, category, reached, is_final, final_for_phone, active FROM dispositions WHERE id = ?1",
            params![id],
        )?
        .as_ref()
        .map(disposition_from_row))
}

pub use crate::domain::call::Outcome;

/// What an attempt replaced, kept with it while it may be undone (`call_undo.snapshot`).
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
struct Snapshot {
    /// The contact's attempts after the outcome: the undo is refused once they changed.
    attempts_after: i64,
    status: String,
    attempts: i64,
    best_disposition_id: Option<i64>,
    last_disposition_id: Option<i64>,
    last_attempt_at: Option<i64>,
    next_call_at: Option<i64>,
    phone: String,
    alt_phones: String,
    agent_id: Option<i64>,
    person_id: i64,
    /// Whether the outcome set the person's `last_reached_at` (it reached the person)…
    reached: bool,
    /// …and its value before.
    last_reached_before: Option<i64>,
    /// The opt-out rows the outcome added (E.164 text).
    optout_added: Vec<String>,
    /// The contacts the opt-out closed, as they were.
    closed: Vec<Closed>,
}

/// A contact an opt-out closed, as it was before.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
struct Closed {
    id: i64,
    status: String,
    next_call_at: Option<i64>,
    claimed_by: Option<i64>,
    claimed_at: Option<i64>,
}

impl Store {
    /// Records an agent's call outcome on a contact it holds or is assigned, in one
    /// transaction: the attempt (UUID v7, the campaign's published script version, the phone
    /// dialled), the contact's derived fields (`domain::call::after_outcome`, the best outcome
    /// by the domain's ranking), the claim released, audited as the actor acting for the agent.
    pub fn call_record(
        &self,
        actor: &Actor,
        agent_login: &str,
        campaign_id: i64,
        contact_id: i64,
        outcome: &Outcome<'_>,
    ) -> Result<Recorded> {
        let settings = self.settings()?;
        self.write(|tx| {
            let agent = agent_for(tx, actor, agent_login)?;
            let a = agent.id;
            let c = super::campaigns::get(tx, campaign_id)?;
            let cid = contact_id.to_string();
            let Some(r) = tx.conn.query_opt(
                "SELECT phone, alt_phones, agent_id, claimed_by, status, attempts, best_disposition_id, person_id, claimed_at, last_disposition_id, last_attempt_at, next_call_at FROM campaign_contacts WHERE id = ?1 AND campaign_id = ?2",
                params![contact_id, campaign_id],
            )?
            else {
                return Err(Error::Conflict(Msg::with(
                    "call_record.err_contact_unknown",
                    &[("contact", &cid)],
                )));
            };
            let (phone, alt_phones) = (r.text(0), r.text(1));
            let person_id = r.i64(7);
            // The contact's agent: its own override, else the distribution rule covering it. It
            // holds its own claim (even expired: nobody claimed it since), or the agent's contact
            // that nobody holds (or whose claim expired, a desk that crashed).
            let assigned = super::card::assigned_agent(tx, campaign_id, contact_id, r.opt_i64(2))?;
            let held = super::card::holds(a, assigned, r.opt_i64(3), r.opt_i64(8), tx.now);
            if !held {
                return Err(Error::Conflict(Msg::with(
                    "call_record.err_contact_not_yours",
                    &[("contact", &cid), ("login", &agent.login)],
                )));
            }
            if r.text(4) == ContactStatus::Cerrado.code() {
                return Err(Error::Conflict(Msg::with(
                    "call_record.err_contact_closed",
                    &[("contact", &cid)],
                )));
            }
            let attempts_before = r.i64(5);
            let best_before = match r.opt_i64(6) {
                Some(id) => disposition_by_id(tx, id)?,
                None => None,
            };
            let d = outcome_of(tx, campaign_id, outcome.key_or_code)?;
            let now = tx.now;
            match (needs_callback(&d), outcome.callback_at) {
                (true, None) => {
                    return Err(Error::Conflict(Msg::with(
                        "call_record.err_callback_missing",
                        &[("outcome", &d.name)],
                    )));
                }
                (false, Some(_)) => {
                    return Err(Error::Conflict(Msg::new(
                        "call_record.err_callback_not_expected",
                    )));
                }
                (true, Some(at)) if at <= now => {
                    return Err(Error::Conflict(Msg::new("call_record.err_callback_past")));
                }
                _ => {}
            }
            let reason = reason_for(&settings, &d, outcome.reason)?;
            let script_version = match c.script_id {
                Some(sid) => super::scripts::latest_version(tx, sid)?,
                None => None,
            };
            let answers = answers_for(&d, script_version.as_ref(), outcome.answers)?;
            let mut snapshot = Snapshot {
                status: r.text(4),
                attempts: attempts_before,
                best_disposition_id: r.opt_i64(6),
                last_disposition_id: r.opt_i64(9),
                last_attempt_at: r.opt_i64(10),
                next_call_at: r.opt_i64(11),
                phone: phone.clone(),
                alt_phones: alt_phones.clone(),
                agent_id: r.opt_i64(2),
                person_id,
                ..Snapshot::default()
            };
            let moved = next_phone(&alt_phones);
            let mut after = after_outcome(
                &d,
                attempts_before,
                outcome.callback_at,
                moved.is_some(),
                RetryRules {
                    max_attempts: c.form.max_attempts,
                    min_hours_between: c.form.min_hours_between,
                },
                now,
            );
            // A retry goes to another time band of the day, inside the calling windows.
            if after.status == ContactStatus::Pendiente && !after.next_phone {
                after.next_call_at = Some(crate::domain::call::retry_at(
                    now,
                    c.form.min_hours_between,
                    &settings,
                ));
            }
            let script_version = script_version.map(|v| v.id);
            let uuid = uuid::Uuid::now_v7().to_string();
            let duration = outcome.duration_secs.max(0);
            tx.conn.execute(
                "INSERT INTO call_attempts (uuid, campaign_id, contact_id, agent_id, phone, disposition_id, reason, started_at, ended_at, duration_secs, notes, callback_at, script_version_id, answers) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
                params![
                    uuid.as_str(),
                    campaign_id,
                    contact_id,
                    a,
                    phone.as_str(),
                    d.id,
                    reason.clone(),
                    now - duration,
                    now,
                    duration,
                    outcome.notes,
                    outcome.callback_at,
                    script_version,
                    answers.as_str(),
                ],
            )?;
            super::counts::attempt(tx, &uuid, 1, &settings)?;
            let best = if is_better(&d, best_before.as_ref()) {
                d.id
            } else {
                best_before.as_ref().map_or(d.id, |b| b.id)
            };
            let (phone, alt_phones) = match (after.next_phone, moved) {
                (true, Some(p)) => p,
                _ => (phone, alt_phones),
            };
            let counted = super::counts::contact_key(tx, contact_id)?;
            let n = tx.conn.execute(
                "UPDATE campaign_contacts SET status = ?1, attempts = ?2, next_call_at = ?3, best_disposition_id = ?4, last_disposition_id = ?5, last_attempt_at = ?6, phone = ?7, alt_phones = ?8, agent_id = ?9, claimed_by = NULL, claimed_at = NULL WHERE id = ?10 AND attempts = ?11",
                params![
                    after.status.code(),
                    after.attempts,
                    after.next_call_at,
                    best,
                    d.id,
                    now,
                    phone.as_str(),
                    alt_phones.as_str(),
                    a,
                    contact_id,
                    attempts_before,
                ],
            )?;
            if n != 1 {
                return Err(Error::Conflict(Msg::new("call.err_taken")));
            }
            super::counts::contact_moved(tx, contact_id, counted)?;
            if d.reached {
                let before = tx
                    .conn
                    .query_opt(
                        "SELECT last_reached_at FROM persons WHERE id = ?1",
                        params![person_id],
                    )?
                    .and_then(|r| r.opt_i64(0));
                tx.conn.execute(
                    "UPDATE persons SET last_reached_at = ?1 WHERE id = ?2",
                    params![now, person_id],
                )?;
                snapshot.reached = true;
                snapshot.last_reached_before = before;
            }
            if d.category == DispositionCategory::Exclusion {
                let (added, closed) =
                    opt_out(tx, actor, &agent.login, person_id, contact_id, &phone, &alt_phones)?;
                snapshot.optout_added = added;
                snapshot.closed = closed;
            }
            // Kept while the outcome may be undone; older ones are purged here.
            snapshot.attempts_after = after.attempts;
            tx.conn.execute(
                "DELETE FROM call_undo WHERE recorded_at < ?1",
                params![now - crate::domain::call::UNDO_SECS - crate::domain::call::UNDO_GRACE_SECS],
            )?;
            let text = serde_json::to_string(&snapshot)
                .map_err(|e| Error::Other(Msg::text(e.to_string())))?;
            tx.conn.execute(
                "INSERT INTO call_undo (attempt_uuid, contact_id, agent_id, recorded_at, snapshot) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![uuid.as_str(), contact_id, a, now, text],
            )?;
            tx.audit(
                actor,
                "call.record",
                "contact",
                Some(contact_id),
                &format!("{} {}", agent.login, d.code),
            )?;
            Ok(Recorded {
                attempt_uuid: uuid,
                contact_id,
                status: after.status,
                attempts: after.attempts,
                next_call_at: after.next_call_at,
            })
        })
    }
}

/// The reason code to save: "No interesado" (negativo) needs one from the settings' list (saved
/// as the list writes it); any other outcome takes none.
fn reason_for(
    settings: &crate::domain::Settings,
    d: &Disposition,
    given: Option<&str>,
) -> Result<Option<String>> {
    let given = given.map(str::trim).filter(|r| !r.is_empty());
    let list = || settings.no_interest_reasons.join(", ");
    if d.category != DispositionCategory::Negativo {
        return match given {
            None => Ok(None),
            Some(r) => Err(Error::Conflict(Msg::with(
                "call_record.err_reason_not_expected",
                &[("reason", &r), ("outcome", &d.name)],
            ))),
        };
    }
    let Some(r) = given else {
        return Err(Error::Conflict(Msg::with(
            "call_record.err_reason_missing",
            &[("outcome", &d.name), ("list", &list())],
        )));
    };
    match settings.no_interest_reason(r) {
        Some(code) => Ok(Some(code.to_owned())),
        None => Err(Error::Conflict(Msg::with(
            "call_record.err_reason_unknown",
            &[("reason", &r), ("list", &list())],
        ))),
    }
}

/// The survey answers to save (JSON object text): refused when they are not a JSON object,
/// name a question the script does not have, or — for an outcome that reached the person —
/// leave a required question of the script version unanswered.
fn answers_for(
    d: &Disposition,
    version: Option<&crate::domain::script::ScriptVersion>,
    given: Option<&str>,
) -> Result<String> {
    use crate::domain::call::{Answers, missing_answers, parse_answers, unknown_answers};
    let answers: Answers = match given.map(str::trim).filter(|t| !t.is_empty()) {
        None => Answers::new(),
        Some(text) => parse_answers(text).ok_or_else(|| {
            Error::Invalid(FieldError::new(
                Field::Questions,
                "call_record.err_answers_json",
            ))
        })?,
    };
    let empty = crate::domain::script::ScriptContent {
        sections: Vec::new(),
        questions: Vec::new(),
    };
    let content = version.map_or(&empty, |v| &v.content);
    let unknown = unknown_answers(content, &answers);
    if !unknown.is_empty() {
        return Err(Error::Invalid(FieldError::with(
            Field::Questions,
            "call_record.err_answers_unknown",
            &[("ids", &unknown.join(", "))],
        )));
    }
    if d.reached {
        let missing = missing_answers(content, &answers);
        if !missing.is_empty() {
            return Err(Error::Invalid(FieldError::with(
                Field::Questions,
                "call_record.err_answers_missing",
                &[("n", &missing.len()), ("questions", &missing.join(" · "))],
            )));
        }
    }
    Ok(serde_json::Value::Object(answers).to_string())
}

/// "Solicita no ser contactado", inside the attempt's transaction: every phone of the person
/// (its phone keys, the contact's phone and alternates) goes into the opt-out register the way
/// `optout import` writes it (source `llamada`, the agent, now), and every open contact of that
/// person, or dialling one of those phones, in any campaign is closed and released. Gives the
/// phones it added to the register and the contacts it closed as they were (for an undo).
fn opt_out(
    tx: &mut Tx<'_>,
    actor: &Actor,
    agent_login: &str,
    person_id: i64,
    contact_id: i64,
    phone: &str,
    alt_phones: &str,
) -> Result<(Vec<String>, Vec<Closed>)> {
    let mut phones: Vec<u64> = tx
        .conn
        .query(
            "SELECT e164 FROM person_phone_keys WHERE person_id = ?1",
            params![person_id],
        )?
        .iter()
        .filter_map(|r| u64::try_from(r.i64(0)).ok())
        .collect();
    phones.extend(
        std::iter::once(phone)
            .chain(alt_phones.split(','))
            .filter_map(super::contacts::parse_e164),
    );
    phones.sort_unstable();
    phones.dedup();
    let now = tx.now;
    let mut added = Vec::new();
    for p in &phones {
        let text = super::contacts::e164_text(*p);
        let n = tx.conn.execute(
            "INSERT INTO optout (phone_e164, phone_hash, source, added_by, added_at) VALUES (?1, ?2, 'llamada', ?3, ?4) ON CONFLICT DO NOTHING",
            params![
                text.as_str(),
                super::contacts::phone_hash(*p),
                agent_login,
                now,
            ],
        )?;
        if n > 0 {
            added.push(text);
        }
    }
    // The contacts to close, as they are (read once by each condition), then closed by id.
    const OPEN: &str =
        "SELECT id, status, next_call_at, claimed_by, claimed_at FROM campaign_contacts";
    let mut rows = tx.conn.query(
        &format!("{OPEN} WHERE person_id = ?1 AND id <> ?2 AND status <> 'cerrado'"),
        params![person_id, contact_id],
    )?;
    for p in &phones {
        let text = super::contacts::e164_text(*p);
        rows.extend(tx.conn.query(
            &format!("{OPEN} WHERE id <> ?1 AND status <> 'cerrado' AND (phone = ?2 OR (',' || REPLACE(alt_phones, ' ', '') || ',') LIKE ('%,' || ?2 || ',%'))"),
            params![contact_id, text.as_str()],
        )?);
    }
    let mut closed: Vec<Closed> = Vec::new();
    for r in rows {
        let id = r.i64(0);
        if closed.iter().any(|c| c.id == id) {
            continue;
        }
        let counted = super::counts::contact_key(tx, id)?;
        let n = tx.conn.execute(
            "UPDATE campaign_contacts SET status = 'cerrado', next_call_at = NULL, claimed_by = NULL, claimed_at = NULL WHERE id = ?1 AND status <> 'cerrado'",
            params![id],
        )?;
        super::counts::contact_moved(tx, id, counted)?;
        if n == 1 {
            closed.push(Closed {
                id,
                status: r.text(1),
                next_call_at: r.opt_i64(2),
                claimed_by: r.opt_i64(3),
                claimed_at: r.opt_i64(4),
            });
        }
    }
    tx.audit(
        actor,
        "optout.call",
        "contact",
        Some(contact_id),
        &format!("{agent_login} {} {}", added.len(), closed.len()),
    )?;
    Ok((added, closed))
}

impl Store {
    /// Undoes the agent's last outcome while it may be (`domain::call::UNDO_SECS`, the store
    /// accepting `UNDO_GRACE_SECS` more): only the agent who recorded it, only while the
    /// contact has not changed since (its attempts). The attempt is deleted; the contact's
    /// derived fields, phones and owner, the person's `last_reached_at`, and for an opt-out the
    /// register rows it added and the contacts it closed are put back as they were; the
    /// contact is the agent's again, claimed (the screen shows it again). Audited `call.undo`.
    pub fn call_undo(&self, actor: &Actor, agent_login: &str, attempt_uuid: &str) -> Result<()> {
        let settings = self.settings()?;
        self.write(|tx| {
            let agent = agent_for(tx, actor, agent_login)?;
            let now = tx.now;
            let Some(r) = tx.conn.query_opt(
                "SELECT a.id, a.contact_id, a.agent_id, a.disposition_id, u.recorded_at, u.snapshot FROM call_attempts a LEFT JOIN call_undo u ON u.attempt_uuid = a.uuid WHERE a.uuid = ?1",
                params![attempt_uuid.trim()],
            )?
            else {
                return Err(Error::Conflict(Msg::new("call_undo.err_unknown")));
            };
            let (attempt_id, contact_id) = (r.i64(0), r.i64(1));
            if r.opt_i64(2) != Some(agent.id) {
                return Err(Error::Conflict(Msg::with(
                    "call_undo.err_not_yours",
                    &[("login", &agent.login)],
                )));
            }
            let (Some(recorded_at), Some(text)) = (r.opt_i64(4), r.opt_text(5)) else {
                return Err(Error::Conflict(Msg::with(
                    "call_undo.err_too_late",
                    &[("secs", &crate::domain::call::UNDO_SECS)],
                )));
            };
            if !crate::domain::call::undo_open(recorded_at, now) {
                return Err(Error::Conflict(Msg::with(
                    "call_undo.err_too_late",
                    &[("secs", &crate::domain::call::UNDO_SECS)],
                )));
            }
            let s: Snapshot = serde_json::from_str(&text)
                .map_err(|e| Error::Other(Msg::text(e.to_string())))?;
            let counted = super::counts::contact_key(tx, contact_id)?;
            let n = tx.conn.execute(
                "UPDATE campaign_contacts SET status = ?1, attempts = ?2, best_disposition_id = ?3, last_disposition_id = ?4, last_attempt_at = ?5, next_call_at = ?6, phone = ?7, alt_phones = ?8, agent_id = ?9, claimed_by = ?10, claimed_at = ?11 WHERE id = ?12 AND attempts = ?13",
                params![
                    s.status.as_str(),
                    s.attempts,
                    s.best_disposition_id,
                    s.last_disposition_id,
                    s.last_attempt_at,
                    s.next_call_at,
                    s.phone.as_str(),
                    s.alt_phones.as_str(),
                    s.agent_id,
                    agent.id,
                    now,
                    contact_id,
                    s.attempts_after,
                ],
            )?;
            if n != 1 {
                return Err(Error::Conflict(Msg::new("call_undo.err_changed")));
            }
            super::counts::contact_moved(tx, contact_id, counted)?;
            // The person's last contact, unless a later call reached the person since.
            if s.reached {
                tx.conn.execute(
                    "UPDATE persons SET last_reached_at = ?1 WHERE id = ?2 AND last_reached_at = ?3",
                    params![s.last_reached_before, s.person_id, recorded_at],
                )?;
            }
            for p in &s.optout_added {
                tx.conn.execute(
                    "DELETE FROM optout WHERE phone_e164 = ?1 AND source = 'llamada' AND added_at = ?2",
                    params![p.as_str(), recorded_at],
                )?;
            }
            for c in &s.closed {
                let counted = super::counts::contact_key(tx, c.id)?;
                tx.conn.execute(
                    "UPDATE campaign_contacts SET status = ?1, next_call_at = ?2, claimed_by = ?3, claimed_at = ?4 WHERE id = ?5 AND status = 'cerrado'",
                    params![
                        c.status.as_str(),
                        c.next_call_at,
                        c.claimed_by,
                        c.claimed_at,
                        c.id,
                    ],
                )?;
                super::counts::contact_moved(tx, c.id, counted)?;
            }
            super::counts::attempt(tx, attempt_uuid.trim(), -1, &settings)?;
            tx.conn.execute(
                "DELETE FROM call_attempts WHERE id = ?1",
                params![attempt_id],
            )?;
            tx.conn.execute(
                "DELETE FROM call_undo WHERE attempt_uuid = ?1",
                params![attempt_uuid.trim()],
            )?;
            let code = disposition_by_id(tx, r.i64(3))?.map(|d| d.code).unwrap_or_default();
            tx.audit(
                actor,
                "call.undo",
                "contact",
                Some(contact_id),
                &format!("{} {code}", agent.login),
            )
        })
    }
}
