//! "Mis llamadas": the agent's queue (`call next`).
//!
//! The queue, in order: the agent's callbacks that are due, then contacts never attempted (file
//! order), then retries past the campaign's `min_hours_between` and below its `max_attempts`.
//! Never a closed contact nor another agent's. Each step is one indexed read that stops at the
//! first row; the contact chosen is claimed by one conditional write checked by the rows it
//! changed, and stays the agent's until an outcome is recorded (asking again gives it back).

use super::{Error, Result, Store, Tx, require};
use crate::domain::call::{Next, NextContact, NoCallReason};
use crate::domain::procedure::{CampaignStatus, DistributionMode};
use crate::domain::{Action, Actor, User};
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
            // What the agent already holds (asked again before recording an outcome).
            let held = first(
                tx,
                "SELECT id FROM campaign_contacts WHERE claimed_by = ?1 AND campaign_id = ?2 AND status IN ('pendiente', 'agendado') ORDER BY id LIMIT 1",
                params![a, campaign_id],
            )?;
            let chosen = match held {
                Some(id) => Some(id),
                None => {
                    let callback = first(
                        tx,
                        "SELECT id FROM campaign_contacts WHERE campaign_id = ?1 AND agent_id = ?2 AND status = 'agendado' AND next_call_at <= ?3 AND claimed_by IS NULL ORDER BY next_call_at LIMIT 1",
                        params![campaign_id, a, now],
                    )?;
                    let untried = match callback {
                        Some(id) => Some(id),
                        None => super::distribution::next_free(
                            tx,
                            campaign_id,
                            a,
                            c.form.distribution_mode == DistributionMode::ColaCompartida,
                            "v.attempts = 0",
                        )?,
                    };
                    match untried {
                        Some(id) => Some(id),
                        None => first(
                            tx,
                            "SELECT id FROM campaign_contacts WHERE campaign_id = ?1 AND agent_id = ?2 AND status = 'pendiente' AND next_call_at <= ?3 AND attempts > 0 AND attempts < ?4 AND claimed_by IS NULL ORDER BY next_call_at LIMIT 1",
                            params![campaign_id, a, now, c.form.max_attempts],
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
            if held.is_none() {
                let n = tx.conn.execute(
                    "UPDATE campaign_contacts SET claimed_by = ?1, claimed_at = ?2 WHERE id = ?3 AND claimed_by IS NULL",
                    params![a, now, id],
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
