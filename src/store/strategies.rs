//! Strategies: the head writes one per accepted brief and assigns it to a professional.

use std::collections::BTreeMap;

use super::briefs::{load, set_status};
use super::db::Row;
use super::{Error, Result, Store, Tx, What, require};
use crate::domain::brief::{Brief, iso_date};
use crate::domain::procedure::{BriefStatus, CampaignStatus};
use crate::domain::strategy::{Amendment, Priority, Strategy, StrategyChange, StrategyForm};
use crate::domain::{Action, Actor, Field, FieldError, Role};
use crate::i18n::{Msg, tf};
use crate::params;

const COLS: &str = "s.id, s.brief_id, s.approach, s.arguments, s.priority, s.targets, s.agents, s.start_date, s.end_date, s.assigned_to, a.name, COALESCE(w.login, ''), s.updated_at";
const FROM: &str = "strategies s LEFT JOIN users a ON a.id = s.assigned_to LEFT JOIN users w ON w.id = s.author_id";

fn from_row(r: &Row) -> Strategy {
    let targets: BTreeMap<String, f64> = serde_json::from_str(&r.text(5)).unwrap_or_default();
    Strategy {
        id: r.i64(0),
        brief_id: r.i64(1),
        form: StrategyForm {
            approach: r.text(2),
            arguments: r.text(3),
            priority: Priority::from_code(&r.text(4)).unwrap_or_default(),
            targets,
            agents: r.opt_i64(6),
            start_date: r
                .opt_text(7)
                .map(|d| crate::domain::brief::display_date(&d))
                .unwrap_or_default(),
            end_date: r
                .opt_text(8)
                .map(|d| crate::domain::brief::display_date(&d))
                .unwrap_or_default(),
            assigned_to: r.opt_i64(9),
        },
        assigned_name: r.opt_text(10),
        author: r.text(11),
        updated_at: r.i64(12),
    }
}

pub(crate) fn for_brief(tx: &mut Tx<'_>, brief_id: i64) -> Result<Option<Strategy>> {
    Ok(tx
        .conn
        .query_opt(
            &format!("SELECT {COLS} FROM {FROM} WHERE s.brief_id = ?1"),
            params![brief_id],
        )?
        .as_ref()
        .map(from_row))
}

/// Whether the brief's strategy is frozen: its campaign is running, or paused or closed after
/// having run (`domain::strategy::frozen`). Whether a closed campaign ran is read from its
/// history: it was started, or calls were recorded in it.
pub(crate) fn is_frozen(tx: &mut Tx<'_>, brief_id: i64) -> Result<bool> {
    let Some(r) = tx.conn.query_opt(
        "SELECT c.status,
                EXISTS (SELECT 1 FROM audit_log a WHERE a.entity = 'campaign' AND a.entity_id = c.id AND a.action = 'campaign.status' AND a.detail = 'activa')
                OR EXISTS (SELECT 1 FROM call_attempts t WHERE t.campaign_id = c.id)
         FROM campaigns c WHERE c.brief_id = ?1 ORDER BY c.id DESC LIMIT 1",
        params![brief_id],
    )?
    else {
        return Ok(false);
    };
    Ok(crate::domain::strategy::frozen(
        CampaignStatus::from_code(&r.text(0)),
        r.i64(1) != 0,
    ))
}

/// The name of an active professional (the only people a strategy is assigned to), or the
/// field error saying so.
fn assignee_name(tx: &mut Tx<'_>, uid: Option<i64>) -> Result<Option<String>> {
    let Some(uid) = uid else {
        return Ok(None);
    };
    let name = tx
        .conn
        .query_opt(
            "SELECT name FROM users WHERE id = ?1 AND role = 'profesional' AND active = 1",
            params![uid],
        )?
        .map(|r| r.text(0));
    match name {
        Some(n) => Ok(Some(n)),
        None => Err(FieldError::new(Field::AssignedTo, "strategy.err_not_professional").into()),
    }
}

fn user_name(tx: &mut Tx<'_>, id: Option<i64>) -> Result<String> {
    Ok(match id {
        Some(id) => tx
            .conn
            .query_opt("SELECT name FROM users WHERE id = ?1", params![id])?
            .map(|r| r.text(0))
            .unwrap_or_default(),
        None => String::new(),
    })
}

fn write_fields(tx: &mut Tx<'_>, actor: &Actor, brief_id: i64, form: &StrategyForm) -> Result<()> {
    let targets = serde_json::to_string(&form.targets).unwrap_or_else(|_| "{}".into());
    tx.conn.execute(
        "INSERT INTO strategies (brief_id, author_id, assigned_to, approach, arguments, priority, targets, agents, start_date, end_date, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)
         ON CONFLICT (brief_id) DO UPDATE SET author_id = excluded.author_id, assigned_to = excluded.assigned_to,
           approach = excluded.approach, arguments = excluded.arguments, priority = excluded.priority,
           targets = excluded.targets, agents = excluded.agents, start_date = excluded.start_date,
           end_date = excluded.end_date, updated_at = excluded.updated_at",
        params![
            brief_id,
            actor.user_id(),
            form.assigned_to,
            form.approach.trim(),
            form.arguments.trim(),
            form.priority.code(),
            targets,
            form.agents,
            iso_date(&form.start_date),
            iso_date(&form.end_date),
            tx.now
        ],
    )?;
    Ok(())
}

impl Store {
    /// The strategy of a brief, if written. The head sees every one; a professional the ones
    /// assigned to them.
    pub fn strategy_for_brief(&self, actor: &Actor, brief_id: i64) -> Result<Option<Strategy>> {
        if !actor.can(Action::DecideBriefs) {
            require(actor, Action::RunCampaigns)?;
        }
        self.read(|tx| {
            load(tx, actor, brief_id)?;
            let s = for_brief(tx, brief_id)?;
            Ok(match (actor, s) {
                (
                    Actor::User {
                        role: Role::Profesional,
                        id,
                        ..
                    },
                    Some(s),
                ) if s.form.assigned_to != Some(*id) => None,
                (_, s) => s,
            })
        })
    }

    /// Saves the head's strategy for an accepted brief; with `assign`, hands it to the chosen
    /// professional (the brief becomes "asignada").
    pub fn strategy_save(
        &self,
        actor: &Actor,
        brief_id: i64,
        form: &StrategyForm,
        assign: bool,
    ) -> Result<Strategy> {
        require(actor, Action::DecideBriefs)?;
        if let Some(e) = form.validate(assign).into_iter().next() {
            return Err(e.into());
        }
        self.write(|tx| {
            let b = load(tx, actor, brief_id)?;
            // Once its campaign has run, the strategy changes only through an amendment.
            if is_frozen(tx, brief_id)? {
                return Err(Error::Conflict(Msg::new("strategy.err_frozen")));
            }
            if !matches!(b.status, BriefStatus::EnDefinicion | BriefStatus::Asignada) {
                return Err(Error::Conflict(Msg::with(
                    "brief.err_wrong_status",
                    &[("status", &b.status.label())],
                )));
            }
            let assignee = assignee_name(tx, form.assigned_to)?;
            write_fields(tx, actor, brief_id, form)?;
            tx.audit(actor, "strategy.save", "brief", Some(brief_id), "")?;
            if assign && b.status == BriefStatus::EnDefinicion {
                let name = assignee.unwrap_or_default();
                set_status(
                    tx,
                    actor,
                    &b,
                    BriefStatus::Asignada,
                    &tf("strategy.assigned_to", &[("name", &name)]),
                )?;
            }
            for_brief(tx, brief_id)?.ok_or_else(|| Error::NotFound(What::Strategy))
        })
    }

    /// Whether the brief's strategy is frozen (its campaign has run): it then changes only
    /// through [`Store::strategy_amend`].
    pub fn strategy_frozen(&self, actor: &Actor, brief_id: i64) -> Result<bool> {
        if !actor.can(Action::DecideBriefs) {
            require(actor, Action::RunCampaigns)?;
        }
        self.read(|tx| {
            load(tx, actor, brief_id)?;
            is_frozen(tx, brief_id)
        })
    }

    /// Amends a frozen strategy (the head): the new fields, and the amendment recorded in the
    /// same transaction — who, when, each field changed with its value before and after, and
    /// why (`why` is required). Refused for a strategy not frozen (it is simply saved), and
    /// when nothing changed.
    pub fn strategy_amend(
        &self,
        actor: &Actor,
        brief_id: i64,
        form: &StrategyForm,
        why: &str,
    ) -> Result<Amendment> {
        require(actor, Action::DecideBriefs)?;
        let why = why.trim();
        let mut errors = form.validate(true);
        if why.is_empty() {
            errors.insert(
                0,
                FieldError::new(Field::Comment, "strategy.err_amend_reason"),
            );
        }
        if let Some(e) = errors.into_iter().next() {
            return Err(e.into());
        }
        self.write(|tx| {
            load(tx, actor, brief_id)?;
            let before = for_brief(tx, brief_id)?.ok_or(Error::NotFound(What::Strategy))?;
            if !is_frozen(tx, brief_id)? {
                return Err(Error::Conflict(Msg::new("strategy.err_not_frozen")));
            }
            assignee_name(tx, form.assigned_to)?;
            let mut names: Vec<(Option<i64>, String)> = Vec::new();
            for id in [before.form.assigned_to, form.assigned_to] {
                names.push((id, user_name(tx, id)?));
            }
            let name = |id: Option<i64>| {
                names
                    .iter()
                    .find(|(i, _)| *i == id)
                    .map(|(_, n)| n.clone())
                    .unwrap_or_default()
            };
            let changes = crate::domain::strategy::diff(&before.form, form, &name);
            if changes.is_empty() {
                return Err(Error::Conflict(Msg::new("strategy.err_amend_nothing")));
            }
            write_fields(tx, actor, brief_id, form)?;
            let json = serde_json::to_string(&changes).unwrap_or_else(|_| "[]".into());
            let id = tx.conn.insert(
                "INSERT INTO strategy_amendments (strategy_id, brief_id, at, actor, changes, reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
                params![before.id, brief_id, tx.now, actor.audit_name(), json, why],
            )?;
            let fields: Vec<&str> = changes.iter().map(|c| c.field.as_str()).collect();
            tx.audit(
                actor,
                "strategy.amend",
                "brief",
                Some(brief_id),
                &fields.join(","),
            )?;
            amendments_in(tx, brief_id)?
                .into_iter()
                .find(|a| a.id == id)
                .ok_or(Error::NotFound(What::Strategy))
        })
    }

    /// The amendments of a brief's strategy, oldest first.
    pub fn strategy_amendments(&self, actor: &Actor, brief_id: i64) -> Result<Vec<Amendment>> {
        if !actor.can(Action::DecideBriefs) {
            require(actor, Action::RunCampaigns)?;
        }
        self.read(|tx| {
            load(tx, actor, brief_id)?;
            amendments_in(tx, brief_id)
        })
    }

    /// Strategies with their briefs: for a professional the ones assigned to them, for the
    /// head every one. Newest first.
    pub fn strategies(&self, actor: &Actor) -> Result<Vec<(Strategy, Brief)>> {
        if !actor.can(Action::DecideBriefs) {
            require(actor, Action::RunCampaigns)?;
        }
        self.read(|tx| {
            let rows = tx.conn.query(
                &format!("SELECT {COLS} FROM {FROM} ORDER BY s.updated_at DESC, s.id DESC"),
                &[],
            )?;
            let mut out = Vec::new();
            for r in &rows {
                let s = from_row(r);
                let mine = match actor {
                    Actor::User {
                        role: Role::Profesional,
                        id,
                        ..
                    } => s.form.assigned_to == Some(*id),
                    _ => true,
                };
                if mine {
                    let b = load(tx, actor, s.brief_id)?;
                    out.push((s, b));
                }
            }
            Ok(out)
        })
    }
}

fn amendments_in(tx: &mut Tx<'_>, brief_id: i64) -> Result<Vec<Amendment>> {
    Ok(tx
        .conn
        .query(
            "SELECT m.id, m.at, m.actor, u.name, m.changes, m.reason FROM strategy_amendments m
             LEFT JOIN users u ON u.login = m.actor WHERE m.brief_id = ?1 ORDER BY m.at, m.id",
            params![brief_id],
        )?
        .iter()
        .map(|r| Amendment {
            id: r.i64(0),
            at: r.i64(1),
            who: crate::domain::audit::who(&r.text(2), r.opt_text(3).as_deref()),
            changes: serde_json::from_str::<Vec<StrategyChange>>(&r.text(4)).unwrap_or_default(),
            reason: r.text(5),
        })
        .collect())
}
