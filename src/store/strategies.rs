//! Strategies: the head writes one per accepted brief and assigns it to a professional.

use std::collections::BTreeMap;

use super::briefs::{load, set_status};
use super::db::Row;
use super::{Error, Result, Store, Tx, What, require};
use crate::domain::brief::{Brief, iso_date};
use crate::domain::procedure::BriefStatus;
use crate::domain::strategy::{Priority, Strategy, StrategyForm};
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
            if !matches!(b.status, BriefStatus::EnDefinicion | BriefStatus::Asignada) {
                return Err(Error::Conflict(Msg::with(
                    "brief.err_wrong_status",
                    &[("status", &b.status.label())],
                )));
            }
            let assignee = match form.assigned_to {
                Some(uid) => {
                    let ok = tx
                        .conn
                        .query_opt(
                            "SELECT name FROM users WHERE id = ?1 AND role = 'profesional' AND active = 1",
                            params![uid],
                        )?
                        .map(|r| r.text(0));
                    match ok {
                        Some(name) => Some(name),
                        None => {
                            return Err(
                                FieldError::new(Field::AssignedTo, "strategy.err_not_professional")
                                    .into(),
                            );
                        }
                    }
                }
                None => None,
            };
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
