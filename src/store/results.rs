//! The campaign results report (`domain::results`): its figures read in one snapshot by a few
//! aggregate queries over the campaign's attempts and contacts, and its record
//! (`results_reports`): narrative, due date, delivery (e-mail through the outbox with the file
//! attached, or by hand) and the department's satisfaction. Every file generated or delivered
//! is kept in `archived_records` (kind `informe_resultados`, period = the campaign's id).
//!
//! The indicators and the records by best outcome come from the dashboards' own read
//! (`indicators::campaign_records`). Still read here, in the report's shapes, and duplicating
//! the dashboards' (`store/indicators.rs`): attempts by disposition, coded reasons (any attempt
//! with a reason, where the dashboard takes the negative outcomes'), attempts per day, the
//! heatmap band × weekday, per agent and survey answers. TODO: one read for both.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate};

use super::outbox::{NewMessage, enqueue, put_blob};
use super::{Error, Result, Store, Tx, What};
use crate::domain::call::Band;
use crate::domain::inbound::OutboxKind;
use crate::domain::indicators::Indicators;
use crate::domain::procedure::{BriefStatus, CampaignStatus};
use crate::domain::results::{
    AgentRow, ContactRow, DayRow, Delivered, DispositionRow, RECORD_KIND, ReportRecord,
    ReportStatus, ReportSummary, ResultsData, Satisfaction, SurveyRow, check_narrative,
    check_satisfaction, default_due_date,
};
use crate::domain::weekly::{Delivery, is_email};
use crate::domain::{Action, Actor, Field, FieldError, Role, Settings, format};
use crate::i18n::{Msg, t, tf};
use crate::params;

/// Seconds of a time bucket (a quarter of an hour, as in the weekly report).
const BUCKET: i64 = 900;

/// The campaign facts the record needs.
struct CampaignInfo {
    name: String,
    department_id: i64,
    department: String,
    status: CampaignStatus,
    brief_id: Option<i64>,
    end: Option<NaiveDate>,
    contacts: i64,
}

fn campaign_info(tx: &mut Tx<'_>, id: i64) -> Result<CampaignInfo> {
    let c = super::campaigns::get(tx, id)?;
    Ok(CampaignInfo {
        end: crate::domain::brief::parse_date(&c.form.end_date),
        name: c.form.name,
        department_id: c.department_id,
        department: c.department,
        status: c.status,
        brief_id: c.brief_id,
        contacts: c.contacts,
    })
}

/// Whether `actor` may read the reports of a campaign of `department_id`: the head, the
/// professional and the command line all; a solicitante its own department's.
fn may_read(actor: &Actor, department_id: i64) -> bool {
    match actor {
        Actor::User {
            role: Role::Solicitante,
            department_id: own,
            ..
        } => *own == Some(department_id),
        _ => actor.can(Action::ViewAllBriefs),
    }
}

/// Whether `actor` writes the report (narrative, due date, files, delivery).
fn may_write(actor: &Actor) -> bool {
    actor.can(Action::ViewAllBriefs)
}

fn forbidden() -> Error {
    Error::Forbidden(Msg::new("perm.forbidden"))
}

const RECORD_COLS: &str = "narrative, due_date, updated_at, updated_by, delivery, delivered_at, delivered_by, delivered_to, delivered_record_id, satisfaction, satisfaction_comment, satisfaction_by, satisfaction_at";

/// The record of a campaign (a default one when none was written yet).
fn record(
    tx: &mut Tx<'_>,
    campaign_id: i64,
    c: &CampaignInfo,
    settings: &Settings,
) -> Result<ReportRecord> {
    let r = tx.conn.query_opt(
        &format!("SELECT {RECORD_COLS} FROM results_reports WHERE campaign_id = ?1"),
        params![campaign_id],
    )?;
    let default_due = c
        .end
        .map(|end| default_due_date(end, c.contacts, &settings.holidays));
    let Some(r) = r else {
        return Ok(ReportRecord {
            campaign_id,
            narrative: String::new(),
            due_date: default_due,
            due_date_set: false,
            status: ReportStatus::of(c.status, false),
            delivered: None,
            satisfaction: None,
            updated_at: 0,
            updated_by: String::new(),
        });
    };
    let name_of = |tx: &mut Tx<'_>, login: &str| -> Result<String> {
        Ok(tx
            .conn
            .query_opt("SELECT name FROM users WHERE login = ?1", params![login])?
            .map_or_else(|| login.to_owned(), |r| r.text(0)))
    };
    let delivered_by = r.opt_text(6).unwrap_or_default();
    let delivered_name = name_of(tx, &delivered_by)?;
    let satisfaction_by = r.opt_text(11).unwrap_or_default();
    let satisfaction_name = name_of(tx, &satisfaction_by)?;
    let set_due = r
        .opt_text(1)
        .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok());
    let delivered = match (
        r.opt_text(4).and_then(|c| Delivery::from_code(&c)),
        r.opt_i64(5),
    ) {
        (Some(how), Some(at)) => Some(Delivered {
            how,
            at,
            by: delivered_by,
            by_name: delivered_name,
            to: r.text(7),
            record_id: r.opt_i64(8),
        }),
        _ => None,
    };
    let satisfaction = r.opt_i64(9).map(|score| Satisfaction {
        score,
        comment: r.text(10),
        by: satisfaction_by.clone(),
        by_name: satisfaction_name.clone(),
        at: r.opt_i64(12).unwrap_or_default(),
    });
    Ok(ReportRecord {
        campaign_id,
        narrative: r.text(0),
        due_date: set_due.or(default_due),
        due_date_set: set_due.is_some(),
        status: ReportStatus::of(c.status, delivered.is_some()),
        delivered,
        satisfaction,
        updated_at: r.i64(2),
        updated_by: r.text(3),
    })
}

/// Makes sure the campaign has its row in `results_reports`.
fn ensure_row(tx: &mut Tx<'_>, campaign_id: i64) -> Result<()> {
    if tx
        .conn
        .query_opt(
            "SELECT 1 FROM results_reports WHERE campaign_id = ?1",
            params![campaign_id],
        )?
        .is_none()
    {
        tx.conn.execute(
            "INSERT INTO results_reports (campaign_id) VALUES (?1)",
            params![campaign_id],
        )?;
    }
    Ok(())
}

/// Keeps a generated or delivered file in `archived_records`.
/// Keeps a generated or delivered report in the archive (`store::archive::insert`: its
/// SHA-256, record code and retention), readable by the campaign's department.
#[allow(clippy::too_many_arguments)]
fn archive_insert(
    tx: &mut Tx<'_>,
    c: &CampaignInfo,
    campaign_id: i64,
    file_name: &str,
    mime: &str,
    content: &[u8],
    who: &str,
    delivery: Delivery,
    recipient: &str,
    outbox_id: Option<i64>,
) -> Result<i64> {
    let title = tf("results.record_title", &[("campaign", &c.name)]);
    let period = campaign_id.to_string();
    super::archive::insert(
        tx,
        &super::archive::NewRecord {
            kind: RECORD_KIND,
            title: &title,
            period: &period,
            file_name,
            mime,
            content,
            created_by: who,
            department_id: Some(c.department_id),
            delivery: Some(delivery.code()),
            recipient,
            outbox_id,
        },
    )
}

/// The figures of a campaign (the report's data), read in one snapshot.
fn figures(
    tx: &mut Tx<'_>,
    campaign_id: i64,
    settings: &Settings,
    now: i64,
) -> Result<ResultsData> {
    let c = super::campaigns::get(tx, campaign_id)?;
    let info = campaign_info(tx, campaign_id)?;
    let tz = settings.tz();
    let reached_sql = "CASE WHEN d.reached = 1 AND d.category <> 'tercero' THEN 1 ELSE 0 END";
    let positive_sql = "CASE WHEN d.category = 'positivo' THEN 1 ELSE 0 END";

    // The indicators and the records by best outcome: the dashboards' reads (no look-up per
    // row through `visible_contacts`).
    let shared = super::indicators::campaign_records(tx, campaign_id, settings, now)?;
    let indicators = Indicators {
        from: None,
        to: None,
        ..shared.indicators.clone()
    };
    // Per disposition: records by their best outcome, attempts by theirs.
    let mut by_disp: BTreeMap<i64, DispositionRow> = BTreeMap::new();
    let disp_rows = tx.conn.query(
        "SELECT id, code, name, category FROM dispositions ORDER BY id",
        &[],
    )?;
    let disp: HashMap<i64, (String, String, String)> = disp_rows
        .iter()
        .map(|r| (r.i64(0), (r.text(1), r.text(2), r.text(3))))
        .collect();
    let row_of = |id: i64, by_disp: &mut BTreeMap<i64, DispositionRow>| {
        let (code, name, cat) = disp.get(&id).cloned().unwrap_or_default();
        by_disp.entry(id).or_insert_with(|| DispositionRow {
            code,
            name,
            category: crate::domain::DispositionCategory::from_code(&cat)
                .map(|c| c.label())
                .unwrap_or(cat),
            records: 0,
            attempts: 0,
        });
    };
    let id_of: HashMap<String, i64> = disp
        .iter()
        .map(|(id, (code, _, _))| (code.clone(), *id))
        .collect();
    for o in shared.outcomes.iter().filter(|o| o.records > 0) {
        if let Some(id) = id_of.get(&o.code) {
            row_of(*id, &mut by_disp);
            if let Some(row) = by_disp.get_mut(id) {
                row.records = o.records;
            }
        }
    }
    for r in tx.conn.query(
        "SELECT disposition_id, COUNT(*) FROM call_attempts WHERE campaign_id = ?1 GROUP BY disposition_id",
        params![campaign_id],
    )? {
        row_of(r.i64(0), &mut by_disp);
        if let Some(row) = by_disp.get_mut(&r.i64(0)) {
            row.attempts = r.i64(1);
        }
    }
    let terceros = by_disp
        .values()
        .filter(|d| d.code == "tercero")
        .map(|d| d.records)
        .sum();
    let mut dispositions: Vec<DispositionRow> = by_disp.into_values().collect();
    dispositions.sort_by(|a, b| b.records.cmp(&a.records).then(b.attempts.cmp(&a.attempts)));

    // Coded reasons of "No interesado", per attempt.
    let mut reasons: Vec<(String, i64)> = tx
        .conn
        .query(
            "SELECT reason, COUNT(*) FROM call_attempts
             WHERE campaign_id = ?1 AND reason IS NOT NULL AND reason <> '' GROUP BY reason",
            params![campaign_id],
        )?
        .iter()
        .map(|r| (crate::domain::settings::reason_label(&r.text(0)), r.i64(1)))
        .collect();
    reasons.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));

    // Per day and the heatmap, from quarter-hour buckets made local.
    let mut days: BTreeMap<NaiveDate, (i64, i64)> = BTreeMap::new();
    let mut heatmap = [[(0_i64, 0_i64); 7]; 3];
    let mut outside_bands = 0;
    for r in tx.conn.query(
        &format!(
            "SELECT a.started_at / {BUCKET}, COUNT(*), SUM({reached_sql})
             FROM call_attempts a JOIN dispositions d ON d.id = a.disposition_id
             WHERE a.campaign_id = ?1 GROUP BY a.started_at / {BUCKET}"
        ),
        params![campaign_id],
    )? {
        let at = r.i64(0) * BUCKET;
        let local = format::local(at, settings);
        let (n, reached) = (r.i64(1), r.i64(2));
        let day = days.entry(local.date_naive()).or_default();
        day.0 += n;
        day.1 += reached;
        match Band::at(at, tz).and_then(|b| Band::ALL.iter().position(|x| *x == b)) {
            Some(band) => {
                let wd = local.weekday().num_days_from_monday() as usize;
                heatmap[band][wd].0 += n;
                heatmap[band][wd].1 += reached;
            }
            None => outside_bands += n,
        }
    }
    let days = days
        .into_iter()
        .map(|(day, (attempts, reached))| DayRow {
            day,
            attempts,
            reached,
        })
        .collect();

    // Users by id.
    let users: HashMap<i64, (String, String)> = tx
        .conn
        .query("SELECT id, login, name FROM users", &[])?
        .iter()
        .map(|r| (r.i64(0), (r.text(1), r.text(2))))
        .collect();

    // Per agent.
    let mut agents: BTreeMap<i64, AgentRow> = BTreeMap::new();
    let agent = |id: i64| {
        let (login, name) = users.get(&id).cloned().unwrap_or_default();
        AgentRow {
            login,
            name,
            attempts: 0,
            contacts: 0,
            positives: 0,
            talk_secs: 0,
            hours: 0,
        }
    };
    for r in tx.conn.query(
        "SELECT agent_id, COUNT(*), COALESCE(SUM(duration_secs), 0), COUNT(DISTINCT started_at / 3600)
         FROM call_attempts WHERE campaign_id = ?1 AND agent_id IS NOT NULL GROUP BY agent_id",
        params![campaign_id],
    )? {
        let a = agents.entry(r.i64(0)).or_insert_with(|| agent(r.i64(0)));
        a.attempts = r.i64(1);
        a.talk_secs = r.i64(2);
        a.hours = r.i64(3);
    }
    for r in tx.conn.query(
        &format!(
            "SELECT agent_id, COALESCE(SUM(reached), 0), COALESCE(SUM(positive), 0) FROM (
                SELECT a.agent_id, a.contact_id, MAX({reached_sql}) AS reached, MAX({positive_sql}) AS positive
                FROM call_attempts a JOIN dispositions d ON d.id = a.disposition_id
                WHERE a.campaign_id = ?1 AND a.agent_id IS NOT NULL GROUP BY a.agent_id, a.contact_id) t
             GROUP BY agent_id"
        ),
        params![campaign_id],
    )? {
        let a = agents.entry(r.i64(0)).or_insert_with(|| agent(r.i64(0)));
        a.contacts = r.i64(1);
        a.positives = r.i64(2);
    }
    let mut agents: Vec<AgentRow> = agents.into_values().collect();
    agents.sort_by(|a, b| a.name.cmp(&b.name).then(a.login.cmp(&b.login)));

    // Attempts per contact: count, last agent, notes (oldest first), survey answers.
    struct PerContact {
        attempts: i64,
        last_at: i64,
        last_agent: Option<i64>,
        notes: Vec<String>,
    }
    let mut per_contact: HashMap<i64, PerContact> = HashMap::new();
    let mut answers: BTreeMap<(String, String), i64> = BTreeMap::new();
    let questions: HashMap<String, String> = match c.script_id {
        Some(script) => tx
            .conn
            .query_opt(
                "SELECT content FROM script_versions WHERE script_id = ?1 ORDER BY version DESC LIMIT 1",
                params![script],
            )?
            .and_then(|r| {
                serde_json::from_str::<crate::domain::script::ScriptContent>(&r.text(0)).ok()
            })
            .map(|content| {
                content
                    .questions
                    .iter()
                    .map(|q| (q.id.to_string(), q.text.clone()))
                    .collect()
            })
            .unwrap_or_default(),
        None => HashMap::new(),
    };
    for r in tx.conn.query(
        "SELECT contact_id, started_at, agent_id, notes, answers FROM call_attempts
         WHERE campaign_id = ?1 ORDER BY contact_id, started_at, id",
        params![campaign_id],
    )? {
        let p = per_contact.entry(r.i64(0)).or_insert(PerContact {
            attempts: 0,
            last_at: 0,
            last_agent: None,
            notes: Vec::new(),
        });
        p.attempts += 1;
        p.last_at = r.i64(1);
        p.last_agent = r.opt_i64(2).or(p.last_agent);
        let note = r.text(3);
        if !note.trim().is_empty() {
            p.notes.push(note.trim().to_owned());
        }
        if let Some(map) = crate::domain::call::parse_answers(&r.text(4)) {
            for (q, v) in map {
                let question = questions.get(&q).cloned().unwrap_or(q);
                let values: Vec<String> = match v {
                    serde_json::Value::Array(items) => items.iter().map(answer_text).collect(),
                    serde_json::Value::Null => Vec::new(),
                    other => vec![answer_text(&other)],
                };
                for value in values.into_iter().filter(|v| !v.is_empty()) {
                    *answers.entry((question.clone(), value)).or_default() += 1;
                }
            }
        }
    }
    let survey = answers
        .into_iter()
        .map(|((question, answer), count)| SurveyRow {
            question,
            answer,
            count,
        })
        .collect();

    // Every contact with its best outcome.
    let contacts = tx
        .conn
        .query(
            "SELECT v.id, v.name, v.phone, COALESCE(v.email, ''), COALESCE(v.document, ''), COALESCE(v.program, ''), COALESCE(v.city, ''), v.best_disposition_id, COALESCE(v.agent_id, v.claimed_by)
             FROM visible_contacts v WHERE v.campaign_id = ?1 ORDER BY v.id",
            params![campaign_id],
        )?
        .iter()
        .map(|r| {
            let p = per_contact.get(&r.i64(0));
            let agent_id = p.and_then(|p| p.last_agent).or(r.opt_i64(8));
            ContactRow {
                id: r.i64(0),
                name: r.text(1),
                phone: r.text(2),
                email: r.text(3),
                document: r.text(4),
                program: r.text(5),
                city: r.text(6),
                best: r
                    .opt_i64(7)
                    .and_then(|id| disp.get(&id).map(|d| d.1.clone()))
                    .unwrap_or_default(),
                attempts: p.map_or(0, |p| p.attempts),
                last_attempt_at: p.map(|p| p.last_at),
                agent: agent_id
                    .and_then(|id| users.get(&id).map(|u| u.1.clone()))
                    .unwrap_or_default(),
                notes: p.map(|p| p.notes.join(" | ")).unwrap_or_default(),
            }
        })
        .collect();

    let record = record(tx, campaign_id, &info, settings)?;
    Ok(ResultsData {
        campaign_id,
        campaign: c.form.name.clone(),
        department: c.department.clone(),
        campaign_status: c.status,
        start: c.form.start_date.clone(),
        end: c.form.end_date.clone(),
        indicators,
        terceros,
        dispositions,
        reasons,
        days,
        heatmap,
        outside_bands,
        agents,
        contacts,
        survey,
        record,
        generated_at: now,
    })
}

/// A survey answer as text.
fn answer_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.trim().to_owned(),
        serde_json::Value::Bool(true) => t("common.yes"),
        serde_json::Value::Bool(false) => t("common.no"),
        other => other.to_string(),
    }
}

impl Store {
    /// The whole report of a campaign: its figures and its record. For the head, the
    /// professional and the command line; a solicitante reads its own department's.
    pub fn results(&self, actor: &Actor, campaign_id: i64) -> Result<ResultsData> {
        let settings = self.settings()?;
        let now = self.now();
        self.read(|tx| {
            let c = campaign_info(tx, campaign_id)?;
            if !may_read(actor, c.department_id) {
                return Err(Error::NotFound(What::Campaign));
            }
            figures(tx, campaign_id, &settings, now)
        })
    }

    /// Every campaign with its report's status, newest first (a solicitante: its own
    /// department's).
    pub fn results_list(&self, actor: &Actor) -> Result<Vec<ReportSummary>> {
        let own = match actor {
            Actor::User {
                role: Role::Solicitante,
                department_id,
                ..
            } => Some(department_id.ok_or_else(forbidden)?),
            _ if actor.can(Action::ViewAllBriefs) => None,
            _ => return Err(forbidden()),
        };
        let settings = self.settings()?;
        self.read(|tx| {
            let ids: Vec<i64> = tx
                .conn
                .query(
                    "SELECT id FROM campaigns WHERE (?1 IS NULL OR department_id = ?1) ORDER BY id DESC",
                    params![own],
                )?
                .iter()
                .map(|r| r.i64(0))
                .collect();
            let mut out = Vec::with_capacity(ids.len());
            for id in ids {
                let c = campaign_info(tx, id)?;
                let record = record(tx, id, &c, &settings)?;
                out.push(ReportSummary {
                    campaign_id: id,
                    campaign: c.name,
                    department: c.department,
                    campaign_status: c.status,
                    record,
                });
            }
            Ok(out)
        })
    }

    /// Saves the narrative (conclusions and recommendations) and the due date (`None`: back to
    /// the default). Audited.
    pub fn results_save(
        &self,
        actor: &Actor,
        campaign_id: i64,
        narrative: &str,
        due_date: Option<NaiveDate>,
    ) -> Result<ReportRecord> {
        if !may_write(actor) {
            return Err(forbidden());
        }
        check_narrative(narrative)?;
        let settings = self.settings()?;
        let who = actor.audit_name();
        self.write(|tx| {
            let c = campaign_info(tx, campaign_id)?;
            ensure_row(tx, campaign_id)?;
            let now = tx.now;
            tx.conn.execute(
                "UPDATE results_reports SET narrative = ?2, due_date = ?3, updated_at = ?4, updated_by = ?5 WHERE campaign_id = ?1",
                params![
                    campaign_id,
                    narrative,
                    due_date.map(|d| d.format("%Y-%m-%d").to_string()),
                    now,
                    who.as_str(),
                ],
            )?;
            let due = due_date.map_or_else(String::new, |d| d.format("%Y-%m-%d").to_string());
            tx.audit(actor, "results.save", "campaign", Some(campaign_id), &due)?;
            record(tx, campaign_id, &c, &settings)
        })
    }

    /// Keeps a generated file (XLSX, PDF or CSV) in the archive, as exported. Returns its id.
    pub fn results_archive(
        &self,
        actor: &Actor,
        campaign_id: i64,
        file_name: &str,
        mime: &str,
        content: &[u8],
    ) -> Result<i64> {
        if content.is_empty() {
            return Err(Error::Other(Msg::new("weekly.err_empty_file")));
        }
        let who = actor.audit_name();
        self.write(|tx| {
            let c = campaign_info(tx, campaign_id)?;
            if !may_read(actor, c.department_id) {
                return Err(Error::NotFound(What::Campaign));
            }
            let id = archive_insert(
                tx,
                &c,
                campaign_id,
                file_name,
                mime,
                content,
                &who,
                Delivery::Exportado,
                "",
                None,
            )?;
            tx.audit(
                actor,
                "results.export",
                "archived_record",
                Some(id),
                file_name,
            )?;
            Ok(id)
        })
    }

    /// Who "Entregar por correo" sends the report to: the requesting department's contact (the
    /// brief's) and the head (settings `head_email`), as (name, address); addresses that are
    /// not valid are left out.
    pub fn results_recipients(
        &self,
        actor: &Actor,
        campaign_id: i64,
    ) -> Result<Vec<(String, String)>> {
        if !may_write(actor) {
            return Err(forbidden());
        }
        let head_email = self.settings()?.head_email;
        self.read(|tx| recipients(tx, campaign_id, &head_email))
    }

    /// Delivers the report (`content`: the file, `file_name`/`mime` as generated): by e-mail,
    /// queued in the outbox to the department's contact and the head with the file attached,
    /// or by hand to `received_by` (required). The file is kept in the archive, the brief moves
    /// to `informe_entregado`, who, when and to whom are recorded; audited. The campaign must
    /// be closed (a draft is not delivered) and the report not delivered yet.
    #[allow(clippy::too_many_arguments)]
    pub fn results_deliver(
        &self,
        actor: &Actor,
        campaign_id: i64,
        how: Delivery,
        received_by: &str,
        file_name: &str,
        mime: &str,
        content: &[u8],
    ) -> Result<ReportRecord> {
        if !may_write(actor) {
            return Err(forbidden());
        }
        if content.is_empty() {
            return Err(Error::Other(Msg::new("weekly.err_empty_file")));
        }
        let received_by = received_by.trim();
        if how == Delivery::AMano && received_by.is_empty() {
            return Err(FieldError::new(Field::Name, "results.err_received_by").into());
        }
        if how == Delivery::Exportado {
            return Err(Error::Other(Msg::new("results.err_delivery_kind")));
        }
        let settings = self.settings()?;
        let who = actor.audit_name();
        let sender = match actor {
            Actor::User { login, .. } => self
                .user_by_login(login)?
                .map_or_else(|| login.clone(), |u| u.name),
            Actor::Cli { .. } => who.clone(),
        };
        self.write(|tx| {
            let c = campaign_info(tx, campaign_id)?;
            if c.status != CampaignStatus::Cerrada {
                return Err(Error::Conflict(Msg::new("results.err_not_closed")));
            }
            let current = record(tx, campaign_id, &c, &settings)?;
            if current.delivered.is_some() {
                return Err(Error::Conflict(Msg::new("results.err_delivered")));
            }
            let (to, outbox_id) = if how == Delivery::Correo {
                let list = recipients(tx, campaign_id, &settings.head_email)?;
                if list.is_empty() {
                    return Err(Error::Conflict(Msg::new("results.err_no_recipients")));
                }
                let blob = put_blob(tx, file_name, mime, content)?;
                let subject = tf("results.mail_subject", &[("campaign", &c.name)]);
                let body = tf(
                    "results.mail_body",
                    &[
                        ("campaign", &c.name),
                        ("department", &c.department),
                        ("sender", &sender),
                    ],
                );
                let mut first = None;
                for (_, addr) in &list {
                    let id = enqueue(
                        tx,
                        &NewMessage {
                            to: addr.clone(),
                            subject: subject.clone(),
                            body: body.clone(),
                            kind: Some(OutboxKind::Informe),
                            created_by: who.clone(),
                            inbound_call_id: None,
                            attachments: vec![blob],
                        },
                    )?;
                    first.get_or_insert(id);
                }
                let to = list
                    .iter()
                    .map(|(_, a)| a.as_str())
                    .collect::<Vec<_>>()
                    .join(", ");
                (to, first)
            } else {
                (received_by.to_owned(), None)
            };
            let record_id = archive_insert(
                tx, &c, campaign_id, file_name, mime, content, &who, how, &to, outbox_id,
            )?;
            ensure_row(tx, campaign_id)?;
            let now = tx.now;
            tx.conn.execute(
                "UPDATE results_reports SET delivery = ?2, delivered_at = ?3, delivered_by = ?4, delivered_to = ?5, delivered_record_id = ?6 WHERE campaign_id = ?1",
                params![campaign_id, how.code(), now, who.as_str(), to.as_str(), record_id],
            )?;
            if let Some(brief_id) = c.brief_id {
                let b = super::briefs::load_unchecked(tx, brief_id)?;
                if b.status != BriefStatus::InformeEntregado {
                    super::briefs::set_status(tx, actor, &b, BriefStatus::InformeEntregado, &c.name)?;
                }
            }
            tx.audit(
                actor,
                "results.deliver",
                "campaign",
                Some(campaign_id),
                &format!("{} {to}", how.code()),
            )?;
            record(tx, campaign_id, &c, &settings)
        })
    }

    /// Records the requesting department's satisfaction with a delivered report (1–5 and a
    /// comment): by a solicitante of that department, or by the head on its behalf. Audited.
    pub fn results_satisfaction(
        &self,
        actor: &Actor,
        campaign_id: i64,
        score: i64,
        comment: &str,
    ) -> Result<ReportRecord> {
        check_satisfaction(score, comment)?;
        let settings = self.settings()?;
        let who = actor.audit_name();
        self.write(|tx| {
            let c = campaign_info(tx, campaign_id)?;
            let allowed = match actor {
                Actor::User {
                    role: Role::Solicitante,
                    department_id,
                    ..
                } => *department_id == Some(c.department_id),
                Actor::User { role, .. } => *role == Role::Jefe,
                Actor::Cli { .. } => true,
            };
            if !allowed {
                return Err(forbidden());
            }
            let current = record(tx, campaign_id, &c, &settings)?;
            if current.delivered.is_none() {
                return Err(Error::Conflict(Msg::new("results.err_not_delivered")));
            }
            let now = tx.now;
            tx.conn.execute(
                "UPDATE results_reports SET satisfaction = ?2, satisfaction_comment = ?3, satisfaction_by = ?4, satisfaction_at = ?5 WHERE campaign_id = ?1",
                params![campaign_id, score, comment.trim(), who.as_str(), now],
            )?;
            tx.audit(
                actor,
                "results.satisfaction",
                "campaign",
                Some(campaign_id),
                &score.to_string(),
            )?;
            record(tx, campaign_id, &c, &settings)
        })
    }

    /// A file of the report kept in the archive (name, MIME type, bytes): for downloading a
    /// delivered report. A solicitante reads only its department's delivered ones.
    pub fn results_file(
        &self,
        actor: &Actor,
        campaign_id: i64,
        record_id: i64,
    ) -> Result<(String, String, Vec<u8>)> {
        self.read(|tx| {
            let c = campaign_info(tx, campaign_id)?;
            if !may_read(actor, c.department_id) {
                return Err(Error::NotFound(What::Campaign));
            }
            let r = tx
                .conn
                .query_opt(
                    "SELECT file_name, mime, content FROM archived_records WHERE id = ?1 AND kind = ?2 AND period = ?3",
                    params![record_id, RECORD_KIND, campaign_id.to_string()],
                )?
                .ok_or(Error::NotFound(What::Campaign))?;
            Ok((r.text(0), r.text(1), r.blob(2)))
        })
    }
}

/// The report's recipients: the brief's contact and the head.
fn recipients(
    tx: &mut Tx<'_>,
    campaign_id: i64,
    head_email: &str,
) -> Result<Vec<(String, String)>> {
    let c = campaign_info(tx, campaign_id)?;
    let mut out: Vec<(String, String)> = Vec::new();
    if let Some(brief_id) = c.brief_id {
        let b = super::briefs::load_unchecked(tx, brief_id)?;
        if is_email(&b.form.contact_email) {
            out.push((
                b.form.contact_name.trim().to_owned(),
                b.form.contact_email.trim().to_owned(),
            ));
        }
    }
    if is_email(head_email) {
        let name = tx
            .conn
            .query_opt(
                "SELECT name FROM users WHERE role = 'jefe' AND active = 1 ORDER BY id LIMIT 1",
                &[],
            )?
            .map(|r| r.text(0))
            .unwrap_or_default();
        let addr = head_email.trim().to_owned();
        if !out.iter().any(|(_, a)| a.eq_ignore_ascii_case(&addr)) {
            out.push((name, addr));
        }
    }
    Ok(out)
}
