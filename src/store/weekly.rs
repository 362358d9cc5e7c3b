//! The weekly consolidated report (`domain::weekly`): a week's figures read in one snapshot by
//! a few aggregate queries (inbound calls grouped by who took them and by every breakdown at
//! once; their times in quarter-hour buckets, turned into local hours here; outbound attempts
//! grouped by agent, campaign and outcome, by `call_attempts_started`), never a row per call.
//! And the archive of the weekly reports that left the program: exported, sent to the head
//! through the outbox with the file attached, or delivered by hand (`archived_records`).

use std::collections::{BTreeMap, HashMap};

use super::outbox::{NewMessage, enqueue, put_blob};
use super::{Error, Result, Store, Tx, What, require};
use crate::domain::inbound::{AskedAbout, Channel, Followup, InboundResult, OutboxKind};
use crate::domain::weekly::{
    AgentWeek, Delivery, Figures, IsoWeek, Weekly, WeeklyRecord, XLSX_MIME, add_named, is_email,
};
use crate::domain::{Action, Actor, Field, FieldError, Role, Settings, format};
use crate::i18n::Msg;
use crate::params;

/// Seconds of a time bucket: a quarter of an hour, so that zones half an hour or 45 minutes
/// off UTC still put every call in its own local hour.
const BUCKET: i64 = 900;

/// A user as the report names them.
struct Person {
    login: String,
    name: String,
    role: Role,
}

/// Reads the figures of `[start, end)`, per user id (calls of nobody under `None`), for one
/// user when `only` is set.
fn figures_in(
    tx: &mut Tx<'_>,
    (start, end): (i64, i64),
    only: Option<i64>,
    settings: &Settings,
) -> Result<BTreeMap<Option<i64>, Figures>> {
    let names = |tx: &mut Tx<'_>, table: &str| -> Result<HashMap<i64, String>> {
        Ok(tx
            .conn
            .query(&format!("SELECT id, name FROM {table}"), &[])?
            .iter()
            .map(|r| (r.i64(0), r.text(1)))
            .collect())
    };
    let programs = names(tx, "programs")?;
    let departments = names(tx, "departments")?;
    let campaigns = names(tx, "campaigns")?;
    let dispositions = names(tx, "dispositions")?;
    let taken = only.map_or(String::new(), |id| format!(" AND taken_by = {id}"));
    let by_agent = only.map_or(String::new(), |id| format!(" AND agent_id = {id}"));
    let mut out: BTreeMap<Option<i64>, Figures> = BTreeMap::new();

    // Inbound calls, every breakdown in one grouping.
    for r in tx.conn.query(
        &format!(
            "SELECT taken_by, channel, kind, result, COALESCE(followup_status, 'pendiente'), program_id, department_id, COALESCE(redirected_to, ''), COUNT(*)
             FROM inbound_calls WHERE received_at >= ?1 AND received_at < ?2{taken}
             GROUP BY taken_by, channel, kind, result, COALESCE(followup_status, 'pendiente'), program_id, department_id, COALESCE(redirected_to, '')"
        ),
        params![start, end],
    )? {
        let f = out.entry(r.opt_i64(0)).or_default();
        let n = r.i64(8);
        f.inbound += n;
        if let Some(c) = Channel::from_code(&r.text(1)) {
            f.add_channel(c, n);
        }
        if let Some(a) = AskedAbout::from_code(&r.text(2)) {
            f.add_asked(a, n);
        }
        let result = InboundResult::from_code(&r.text(3));
        if let Some(res) = result {
            f.add_result(res, n);
        }
        let program = r
            .opt_i64(5)
            .and_then(|id| programs.get(&id).cloned())
            .unwrap_or_default();
        add_named(&mut f.by_program, &program, n);
        match result {
            Some(InboundResult::Remitido) => {
                if let Some(s) = Followup::from_code(&r.text(4)) {
                    f.add_followup(s, n);
                }
            }
            Some(InboundResult::Transferida) => {
                // The department transferred to; else what the agent wrote.
                let to = r
                    .opt_i64(6)
                    .and_then(|id| departments.get(&id).cloned())
                    .unwrap_or_else(|| r.text(7));
                add_named(&mut f.transfers, &to, n);
            }
            _ => {}
        }
    }
    // Outbound attempts by agent, campaign and outcome.
    for r in tx.conn.query(
        &format!(
            "SELECT agent_id, campaign_id, disposition_id, COUNT(*) FROM call_attempts
             WHERE started_at >= ?1 AND started_at < ?2{by_agent}
             GROUP BY agent_id, campaign_id, disposition_id"
        ),
        params![start, end],
    )? {
        let f = out.entry(r.opt_i64(0)).or_default();
        let n = r.i64(3);
        f.outbound += n;
        let name =
            |m: &HashMap<i64, String>, i: usize| m.get(&r.i64(i)).cloned().unwrap_or_default();
        add_named(&mut f.by_campaign, &name(&campaigns, 1), n);
        add_named(&mut f.by_outcome, &name(&dispositions, 2), n);
    }
    // The hours of both, in quarter-hour buckets turned into local hours.
    for (table, who, at, filter) in [
        ("inbound_calls", "taken_by", "received_at", &taken),
        ("call_attempts", "agent_id", "started_at", &by_agent),
    ] {
        for r in tx.conn.query(
            &format!(
                "SELECT {who}, {at} / {BUCKET}, COUNT(*) FROM {table}
                 WHERE {at} >= ?1 AND {at} < ?2{filter} GROUP BY {who}, {at} / {BUCKET}"
            ),
            params![start, end],
        )? {
            use chrono::Timelike;
            let hour = format::local(r.i64(1) * BUCKET, settings).hour() as usize;
            out.entry(r.opt_i64(0)).or_default().by_hour[hour % 24] += r.i64(2);
        }
    }
    for f in out.values_mut() {
        f.sort();
    }
    Ok(out)
}

/// The users the report names, by id.
fn people(tx: &mut Tx<'_>) -> Result<HashMap<i64, Person>> {
    Ok(tx
        .conn
        .query("SELECT id, login, name, role FROM users", &[])?
        .iter()
        .map(|r| {
            (
                r.i64(0),
                Person {
                    login: r.text(1),
                    name: r.text(2),
                    role: Role::from_code(&r.text(3)).unwrap_or(Role::Auxiliar),
                },
            )
        })
        .collect())
}

fn total_of(per: &BTreeMap<Option<i64>, Figures>) -> Figures {
    let mut t = Figures::default();
    for f in per.values() {
        t.add(f);
    }
    t
}

/// `archived_records` columns read into a [`WeeklyRecord`].
const RECORD_COLS: &str = "id, kind, title, period, file_name, created_by, created_at, delivery, recipient, LENGTH(content)";

fn record_from_row(r: &super::db::Row) -> WeeklyRecord {
    WeeklyRecord {
        id: r.i64(0),
        kind: r.text(1),
        title: r.text(2),
        period: r.text(3),
        file_name: r.text(4),
        created_by: r.text(5),
        created_at: r.i64(6),
        delivery: r.opt_text(7).and_then(|c| Delivery::from_code(&c)),
        recipient: r.text(8),
        size: r.i64(9),
    }
}

impl Store {
    /// Whose figures `actor` may read: everyone (`None`) or one user (its id and login). The
    /// head, the professional and the command line read everyone's, or one person's when
    /// `agent` names them; an agent only its own (naming another is refused).
    fn weekly_scope(&self, actor: &Actor, agent: Option<&str>) -> Result<Option<(i64, String)>> {
        require(actor, Action::ViewTally)?;
        let sees_all = actor.can(Action::ViewAllBriefs);
        let own = match actor {
            Actor::User { id, login, .. } => Some((*id, login.clone())),
            Actor::Cli { .. } => None,
        };
        match agent.map(str::trim).filter(|a| !a.is_empty()) {
            None if sees_all => Ok(None),
            None => Ok(own),
            Some(login) => {
                let user = self
                    .user_by_login(login)?
                    .ok_or(Error::NotFound(What::User))?;
                if !sees_all && own.as_ref().is_none_or(|(id, _)| *id != user.id) {
                    return Err(Error::Forbidden(Msg::new("weekly.err_not_own")));
                }
                Ok(Some((user.id, user.login)))
            }
        }
    }

    /// The weekly report of `week`: everyone's figures with the totals and the previous
    /// week's, or one person's (`agent`: a login; an agent always gets its own). Reads only.
    pub fn weekly(&self, actor: &Actor, week: IsoWeek, agent: Option<&str>) -> Result<Weekly> {
        let scope = self.weekly_scope(actor, agent)?;
        let settings = self.settings()?;
        let only = scope.as_ref().map(|(id, _)| *id);
        self.read(|tx| {
            let this = figures_in(tx, week.bounds(&settings), only, &settings)?;
            let before = figures_in(tx, week.previous().bounds(&settings), only, &settings)?;
            let people = people(tx)?;
            let mut agents: Vec<AgentWeek> = this
                .iter()
                .filter_map(|(id, f)| {
                    let p = people.get(&(*id)?)?;
                    Some(AgentWeek {
                        login: p.login.clone(),
                        name: p.name.clone(),
                        role: p.role,
                        figures: f.clone(),
                    })
                })
                .collect();
            // The one person asked for is listed even in a week without calls.
            if let Some((id, _)) = &scope
                && agents.is_empty()
                && let Some(p) = people.get(id)
            {
                agents.push(AgentWeek {
                    login: p.login.clone(),
                    name: p.name.clone(),
                    role: p.role,
                    figures: Figures::default(),
                });
            }
            agents.sort_by(|a, b| a.name.cmp(&b.name).then(a.login.cmp(&b.login)));
            Ok(Weekly {
                week,
                agent: scope.as_ref().map(|(_, l)| l.clone()),
                agents,
                total: total_of(&this),
                previous: total_of(&before),
            })
        })
    }

    /// Who receives "Enviar a jefatura": the head's name (the first active head) and the
    /// address in the settings (`head_email`, empty when not set).
    pub fn weekly_head(&self, actor: &Actor) -> Result<(String, String)> {
        require(actor, Action::ViewTally)?;
        let email = self.settings()?.head_email;
        let name = self.read(|tx| {
            Ok(tx
                .conn
                .query_opt(
                    "SELECT name FROM users WHERE role = 'jefe' AND active = 1 ORDER BY id LIMIT 1",
                    &[],
                )?
                .map(|r| r.text(0))
                .unwrap_or_default())
        })?;
        Ok((name, email))
    }

    /// Records a weekly report that leaves the program (`content`: its XLSX bytes) in
    /// `archived_records` with its period, who, when, how and to whom. Sent by e-mail
    /// ([`Delivery::Correo`]: `recipient` must be an address), it is queued in the outbox in the
    /// same transaction, kind `consolidado`, with the file attached (stored once). Delivered by
    /// hand, `recipient` names who received it (required). Audited.
    pub fn weekly_record(
        &self,
        actor: &Actor,
        report: &Weekly,
        delivery: Delivery,
        recipient: &str,
        content: &[u8],
    ) -> Result<WeeklyRecord> {
        let scope = self.weekly_scope(actor, report.agent.as_deref())?;
        if scope.map(|(_, l)| l) != report.agent {
            return Err(Error::Forbidden(Msg::new("weekly.err_not_own")));
        }
        let recipient = recipient.trim();
        match delivery {
            Delivery::Correo if !is_email(recipient) => {
                return Err(FieldError::new(Field::Email, "weekly.err_recipient_email").into());
            }
            Delivery::AMano if recipient.is_empty() => {
                return Err(FieldError::new(Field::Name, "weekly.err_recipient_name").into());
            }
            _ => {}
        }
        if content.is_empty() {
            return Err(Error::Other(Msg::new("weekly.err_empty_file")));
        }
        let sender = match actor {
            Actor::User { login, .. } => self
                .user_by_login(login)?
                .map_or_else(|| login.clone(), |u| u.name),
            Actor::Cli { .. } => actor.audit_name(),
        };
        let (subject, body) = report.mail(&sender);
        let title = report.title();
        let file_name = report.file_name();
        let who = actor.audit_name();
        self.write(|tx| {
            let outbox_id = if delivery == Delivery::Correo {
                let blob = put_blob(tx, &file_name, XLSX_MIME, content)?;
                Some(enqueue(
                    tx,
                    &NewMessage {
                        to: recipient.to_owned(),
                        subject: subject.clone(),
                        body: body.clone(),
                        kind: Some(OutboxKind::Consolidado),
                        created_by: who.clone(),
                        inbound_call_id: None,
                        attachments: vec![blob],
                    },
                )?)
            } else {
                None
            };
            let id = super::archive::insert(
                tx,
                &super::archive::NewRecord {
                    kind: report.record_kind(),
                    title: &title,
                    period: &report.week.code(),
                    file_name: &file_name,
                    mime: XLSX_MIME,
                    content,
                    created_by: &who,
                    department_id: None,
                    delivery: Some(delivery.code()),
                    recipient,
                    outbox_id,
                },
            )?;
            let detail = if recipient.is_empty() {
                format!("{} {}", report.week.code(), delivery.code())
            } else {
                format!("{} {} {recipient}", report.week.code(), delivery.code())
            };
            tx.audit(actor, "weekly.record", "archived_record", Some(id), &detail)?;
            let r = tx.conn.query_one(
                &format!("SELECT {RECORD_COLS} FROM archived_records WHERE id = ?1"),
                params![id],
            )?;
            Ok(record_from_row(&r))
        })
    }

    /// The weekly reports recorded for `week`, newest first: everyone's for the head and the
    /// professional, an agent's own otherwise.
    pub fn weekly_records(&self, actor: &Actor, week: IsoWeek) -> Result<Vec<WeeklyRecord>> {
        require(actor, Action::ViewTally)?;
        let mine = (!actor.can(Action::ViewAllBriefs)).then(|| actor.audit_name());
        self.read(|tx| {
            Ok(tx
                .conn
                .query(
                    &format!(
                        "SELECT {RECORD_COLS} FROM archived_records
                         WHERE kind IN ('consolidado_semanal', 'reporte_agente') AND period = ?1
                           AND (?2 IS NULL OR created_by = ?2)
                         ORDER BY created_at DESC, id DESC"
                    ),
                    params![week.code(), mine],
                )?
                .iter()
                .map(record_from_row)
                .collect())
        })
    }
}
