//! A campaign's indicators (`domain::indicators`) and its dashboards. A whole campaign reads
//! only the counts `store::counts` keeps in the transactions that change them (a few thousand
//! rows whatever the number of contacts and attempts): contacts by program, city, status and
//! best outcome; attempts per agent and clock hour (days, heatmap, agents); per outcome and
//! reason; survey answers; records reached per day. A period or one agent reads the attempts
//! of that period (each record by its best outcome there, from the covering index
//! `call_attempts_campaign_contact`; a best outcome is not additive), the hourly counts for
//! outcomes and reasons, and the survey answers of the period. Inbound calls are grouped by
//! quarter-hour made local weeks. Contacts of an import that is not confirmed are left out by
//! their batch (the counts) or its id range (the reads of contacts), never through the
//! `visible_contacts` view (a batch look-up per row).

use std::collections::{BTreeMap, HashMap, HashSet};

use super::db::Val;
use super::{Result, Store, Tx, counts, require};
use crate::domain::call::Band;
use crate::domain::catalog::DispositionCategory;
use crate::domain::indicators::{
    AgentRow, Dashboard, DashboardFilter, DayRow, GroupRow, Heatmap, InboundWeek, Indicators,
    OutcomeRow, SurveyRow, add_named, sort_named, weekday_index,
};
use crate::domain::settings::Settings;
use crate::domain::{Action, Actor, format};
use crate::params;

/// A contact's best outcome in the period is kept in one integer per contact: its rank (the
/// domain's `call::rank`), then the attempt's time (a tie goes to the newer), then the
/// disposition id, so that `MAX` picks it in either engine.
const BEST_RANK: i64 = 1 << 51;
const BEST_TIME: i64 = 1 << 20;

/// A disposition as the queries need it.
struct Outcome {
    code: String,
    name: String,
    /// The category's code.
    category: String,
    /// Counts as reached (a third party never does).
    reached: bool,
    positive: bool,
    /// "No interesado" and its kind: carries a coded reason.
    negative: bool,
    /// `call::rank` as one integer.
    rank: i64,
}

/// The dispositions as the queries need them.
struct Outcomes {
    by_id: BTreeMap<i64, Outcome>,
    /// The catalog's order.
    order: Vec<i64>,
}

impl Outcomes {
    fn read(tx: &mut Tx<'_>) -> Result<Outcomes> {
        let mut by_id = BTreeMap::new();
        let mut order = Vec::new();
        for r in tx.conn.query(
            "SELECT id, code, name, category, reached FROM dispositions ORDER BY sort, id",
            &[],
        )? {
            let category = DispositionCategory::from_code(&r.text(3));
            let reached_flag = r.i64(4) == 1;
            let reached = reached_flag && category != Some(DispositionCategory::Tercero);
            let rank = i64::from(reached_flag) * 8
                + category.map_or(0, |c| i64::from(crate::domain::call::category_rank(c)));
            by_id.insert(
                r.i64(0),
                Outcome {
                    code: r.text(1),
                    name: r.text(2),
                    category: r.text(3),
                    reached,
                    positive: category == Some(DispositionCategory::Positivo),
                    negative: category == Some(DispositionCategory::Negativo),
                    rank,
                },
            );
            order.push(r.i64(0));
        }
        Ok(Outcomes { by_id, order })
    }

    /// `CASE WHEN a.disposition_id IN (ids) THEN 1 ELSE 0 END` over the ids that pass `f`.
    fn flag(&self, f: impl Fn(&Outcome) -> bool) -> String {
        let ids: Vec<String> = self
            .by_id
            .iter()
            .filter(|(_, v)| f(v))
            .map(|(id, _)| id.to_string())
            .collect();
        if ids.is_empty() {
            "0".to_owned()
        } else {
            format!(
                "CASE WHEN a.disposition_id IN ({}) THEN 1 ELSE 0 END",
                ids.join(", ")
            )
        }
    }

    /// The rank of an attempt's outcome as SQL.
    fn rank_sql(&self) -> String {
        let mut s = String::from("CASE a.disposition_id");
        for (id, v) in &self.by_id {
            s.push_str(&format!(" WHEN {id} THEN {}", v.rank));
        }
        s.push_str(" ELSE 0 END");
        s
    }
}

/// A contact's `next_call_at` when it has none, as `campaign_contacts_by_next_call` indexes it.
const NEVER: i64 = i64::MAX;

/// The batches of imports not confirmed (never counted), as a SQL list ("3, 7"), read once:
/// a few rows. `None` when every batch is confirmed.
fn unconfirmed_batches(tx: &mut Tx<'_>, campaign_id: Option<i64>) -> Result<Option<String>> {
    let ids: Vec<String> = tx
        .conn
        .query(
            "SELECT id, campaign_id FROM import_batches WHERE status <> 'confirmada'",
            &[],
        )?
        .iter()
        .filter(|r| campaign_id.is_none_or(|c| c == r.i64(1)))
        .map(|r| r.i64(0).to_string())
        .collect();
    Ok((!ids.is_empty()).then(|| ids.join(", ")))
}

/// The filter over `attempt_hours` or `agent_hours` (alias `a`): the campaign, the hours of the period (its
/// bounds are whole local days, so whole hours where the zone's offset is a whole number of
/// hours), the agent (0 counts the attempts without one).
fn hours_where(f: &DashboardFilter, (start, end): (i64, i64)) -> String {
    let mut w = vec![
        f.campaign_id
            .map_or("1 = 1".to_owned(), |c| format!("a.campaign_id = {c}")),
    ];
    if f.from.is_some() {
        w.push(format!("a.hour >= {}", start.div_euclid(3600)));
    }
    if f.to.is_some() {
        w.push(format!("a.hour < {}", (end + 3599).div_euclid(3600)));
    }
    if let Some(agent) = f.agent_id {
        w.push(format!("a.agent_id = {agent}"));
    }
    w.join(" AND ")
}

/// The attempts' filter: `a.campaign_id`, the period, the agent (values inlined: integers).
/// A bound is written only when the period has one: over a whole campaign the planner then
/// reads the covering index that fits each grouping instead of ranging over the time index.
fn attempts_where(f: &DashboardFilter, (start, end): (i64, i64)) -> String {
    let mut w = vec![
        f.campaign_id
            .map_or("1 = 1".to_owned(), |c| format!("a.campaign_id = {c}")),
    ];
    if f.from.is_some() {
        w.push(format!("a.started_at >= {start}"));
    }
    if f.to.is_some() {
        w.push(format!("a.started_at < {end}"));
    }
    if let Some(agent) = f.agent_id {
        w.push(format!("a.agent_id = {agent}"));
    }
    w.join(" AND ")
}

/// The period's bounds (UTC seconds, half-open); the whole time when no dates are given.
fn period(f: &DashboardFilter, settings: &Settings) -> (i64, i64) {
    let bound = |d: chrono::NaiveDate| format::day_bounds(d, settings.tz());
    // Bounds that both engines take as integers without overflow in the queries' sums.
    let start = f.from.map_or(0, |d| bound(d).0);
    let end = f.to.map_or(i64::from(i32::MAX) * 4, |d| bound(d).1);
    (start, end)
}

fn check(actor: &Actor) -> Result<()> {
    if !actor.can(Action::ViewAllBriefs) {
        require(actor, Action::RunCampaigns)?;
    }
    Ok(())
}

/// The survey's answers as text, one per answer given (a multiple choice gives several).
fn answer_texts(v: &serde_json::Value) -> Vec<String> {
    use serde_json::Value;
    match v {
        Value::Null => Vec::new(),
        Value::String(s) if s.trim().is_empty() => Vec::new(),
        Value::String(s) => vec![s.trim().to_owned()],
        Value::Bool(b) => vec![crate::i18n::t(if *b { "common.yes" } else { "common.no" })],
        Value::Number(n) => vec![n.to_string()],
        Value::Array(a) => a.iter().flat_map(answer_texts).collect(),
        Value::Object(_) => vec![v.to_string()],
    }
}

impl Store {
    /// The indicators of a campaign over the local days `from..=to` (the whole campaign when
    /// none are given). For those who run or decide campaigns.
    pub fn indicators(
        &self,
        actor: &Actor,
        campaign_id: i64,
        from: Option<chrono::NaiveDate>,
        to: Option<chrono::NaiveDate>,
    ) -> Result<Indicators> {
        check(actor)?;
        let settings = self.settings()?;
        let filter = DashboardFilter {
            campaign_id: Some(campaign_id),
            from,
            to,
            agent_id: None,
        };
        let now = self.now();
        self.read(|tx| {
            super::campaigns::get(tx, campaign_id)?;
            let outcomes = Outcomes::read(tx)?;
            let mut d = Dashboard::default();
            records(tx, &filter, &settings, now, &outcomes, &mut d)?;
            Ok(d.indicators)
        })
    }

    /// A dashboard (`UX.md`, "Indicadores"): the indicators and every breakdown of one
    /// campaign or of every campaign, over a period and optionally for one agent. For those
    /// who run or decide campaigns.
    pub fn dashboard(&self, actor: &Actor, filter: &DashboardFilter) -> Result<Dashboard> {
        check(actor)?;
        let settings = self.settings()?;
        let now = self.now();
        self.read(|tx| {
            if let Some(c) = filter.campaign_id {
                super::campaigns::get(tx, c)?;
            }
            let outcomes = Outcomes::read(tx)?;
            let mut d = Dashboard {
                filter: filter.clone(),
                ..Default::default()
            };
            records(tx, filter, &settings, now, &outcomes, &mut d)?;
            attempts(tx, filter, &settings, &outcomes, &mut d)?;
            survey(tx, filter, &settings, &mut d)?;
            inbound(tx, filter, &settings, &mut d)?;
            Ok(d)
        })
    }
}

/// A whole campaign's records part of the dashboard (the indicators, records by best outcome,
/// programs, cities), inside the caller's read: what the results report shares with the
/// dashboards.
pub(crate) fn campaign_records(
    tx: &mut Tx<'_>,
    campaign_id: i64,
    settings: &Settings,
    now: i64,
) -> Result<Dashboard> {
    let filter = DashboardFilter {
        campaign_id: Some(campaign_id),
        from: None,
        to: None,
        agent_id: None,
    };
    let outcomes = Outcomes::read(tx)?;
    let mut d = Dashboard {
        filter: filter.clone(),
        ..Default::default()
    };
    records(tx, &filter, settings, now, &outcomes, &mut d)?;
    Ok(d)
}

/// The records: counts, by best outcome, by program and city; the indicators' counts.
fn records(
    tx: &mut Tx<'_>,
    f: &DashboardFilter,
    settings: &Settings,
    now: i64,
    o: &Outcomes,
    d: &mut Dashboard,
) -> Result<()> {
    let bounds = period(f, settings);
    let (today_start, today_end) = crate::domain::tally::today_bounds(now, settings);
    let unconfirmed = unconfirmed_batches(tx, f.campaign_id)?;
    let visible = unconfirmed.as_ref().map_or(String::new(), |l| {
        format!(" AND (cc.batch_id IS NULL OR cc.batch_id NOT IN ({l}))")
    });
    let campaign = f
        .campaign_id
        .map_or(String::new(), |c| format!("cc.campaign_id = {c}"));
    let campaign_where = if campaign.is_empty() {
        "1 = 1".to_owned()
    } else {
        campaign
    };
    let mut programs: BTreeMap<String, GroupRow> = BTreeMap::new();
    let mut cities: BTreeMap<String, GroupRow> = BTreeMap::new();
    let ind = &mut d.indicators;
    ind.campaign_id = f.campaign_id.unwrap_or(0);
    ind.from = f.from;
    ind.to = f.to;
    // Every visible record by program, city, status and best outcome: the kept counts.
    let whole = f.from.is_none() && f.to.is_none() && f.agent_id.is_none();
    let reached_of = |id: i64| o.by_id.get(&id).is_some_and(|v| v.reached);
    let positive_of = |id: i64| o.by_id.get(&id).is_some_and(|v| v.positive);
    let mut by_best: HashMap<i64, i64> = HashMap::new();
    let counts_where = format!(
        "{}{}",
        f.campaign_id
            .map_or("1 = 1".to_owned(), |c| format!("k.campaign_id = {c}")),
        unconfirmed
            .as_ref()
            .map_or(String::new(), |l| format!(" AND k.batch_id NOT IN ({l})"))
    );
    for r in tx.conn.query(
        &format!(
            "SELECT k.program, k.city, k.status, k.best_disposition_id, SUM(k.records) FROM contact_counts k
             WHERE {counts_where} GROUP BY k.program, k.city, k.status, k.best_disposition_id"
        ),
        &[],
    )? {
        let (status, best, n) = (r.text(2), r.i64(3), r.i64(4));
        ind.registros_validos += n;
        if status == "pendiente" || status == "agendado" {
            ind.pendientes += n;
        }
        let (reached, positive) = (
            i64::from(reached_of(best)) * n,
            i64::from(positive_of(best)) * n,
        );
        for (map, key) in [(&mut programs, r.text(0)), (&mut cities, r.text(1))] {
            let g = map.entry(key).or_default();
            g.records += n;
            if whole && best != 0 {
                g.handled += n;
                g.reached += reached;
                g.positive += positive;
            }
        }
        if whole && best != 0 {
            ind.gestionados += n;
            ind.contactados += reached;
            ind.positivos += positive;
            *by_best.entry(best).or_default() += n;
        }
    }
    // Scheduled for today: a range of `campaign_contacts_by_next_call` (its expression).
    ind.agendados_hoy = tx
        .conn
        .query_one(
            &format!(
                "SELECT COUNT(*) FROM campaign_contacts cc WHERE {campaign_where} AND cc.status = 'agendado'
                 AND COALESCE(cc.next_call_at, {NEVER}) >= ?1 AND COALESCE(cc.next_call_at, {NEVER}) < ?2{visible}"
            ),
            params![today_start, today_end],
        )?
        .i64(0);
    if whole {
        let r = tx.conn.query_one(
            &format!(
                "SELECT COALESCE(SUM(a.attempts), 0), COALESCE(SUM(a.secs), 0) FROM agent_hours a WHERE {}",
                hours_where(f, bounds)
            ),
            &[],
        )?;
        ind.marcaciones = r.i64(0);
        ind.talk_secs = r.i64(1);
    }
    // A period or an agent: the records with attempts in it, each by its best outcome there
    // (not additive: read from the attempts).
    let reached = o.flag(|v| v.reached);
    let positive = o.flag(|v| v.positive);
    let rank = o.rank_sql();
    let scan = if whole {
        Vec::new()
    } else {
        tx.conn.query(
        &format!(
            "SELECT COALESCE(cc.program, ''), COALESCE(cc.city, ''), t.best % {BEST_TIME}, COUNT(*), SUM(t.r), SUM(t.p), SUM(t.n), SUM(t.s)
             FROM (SELECT a.contact_id AS contact_id, COUNT(*) AS n, MAX({reached}) AS r, MAX({positive}) AS p,
                          SUM(a.duration_secs) AS s,
                          MAX(({rank}) * {BEST_RANK} + a.started_at * {BEST_TIME} + a.disposition_id) AS best
                   FROM call_attempts a WHERE {}
                   GROUP BY a.contact_id) t
             JOIN campaign_contacts cc ON cc.id = t.contact_id
             GROUP BY COALESCE(cc.program, ''), COALESCE(cc.city, ''), t.best % {BEST_TIME}",
            attempts_where(f, bounds)
        ),
            &[],
        )?
    };
    for r in scan {
        let (n, reached, positive) = (r.i64(3), r.i64(4), r.i64(5));
        ind.gestionados += n;
        ind.contactados += reached;
        ind.positivos += positive;
        ind.marcaciones += r.i64(6);
        ind.talk_secs += r.i64(7);
        *by_best.entry(r.i64(2)).or_default() += n;
        for (map, key) in [(&mut programs, r.text(0)), (&mut cities, r.text(1))] {
            let g = map.entry(key).or_default();
            g.handled += n;
            g.reached += reached;
            g.positive += positive;
        }
    }
    d.terceros = by_best
        .iter()
        .filter(|(id, _)| o.by_id.get(id).is_some_and(|v| v.category == "tercero"))
        .map(|(_, n)| n)
        .sum();
    d.outcomes = o
        .order
        .iter()
        .map(|id| {
            let v = &o.by_id[id];
            OutcomeRow {
                code: v.code.clone(),
                name: v.name.clone(),
                category: v.category.clone(),
                records: by_best.get(id).copied().unwrap_or(0),
                attempts: 0,
            }
        })
        .collect();
    let finish = |map: BTreeMap<String, GroupRow>| {
        let mut v: Vec<GroupRow> = map
            .into_iter()
            .map(|(name, g)| GroupRow { name, ..g })
            .collect();
        v.sort_by(|a, b| b.records.cmp(&a.records).then_with(|| a.name.cmp(&b.name)));
        v
    };
    d.programs = finish(programs);
    d.cities = finish(cities);
    Ok(())
}

/// The attempts: by outcome and reason, per agent and clock hour (days, heatmap, agents), the
/// records reached per day.
fn attempts(
    tx: &mut Tx<'_>,
    f: &DashboardFilter,
    settings: &Settings,
    o: &Outcomes,
    d: &mut Dashboard,
) -> Result<()> {
    let bounds = period(f, settings);
    let w = attempts_where(f, bounds);
    // By outcome, reason, agent and hour: the counts kept per hour (migration 0021).
    let wh = hours_where(f, bounds);
    let negative: HashSet<i64> = o
        .by_id
        .iter()
        .filter(|(_, v)| v.negative)
        .map(|(id, _)| *id)
        .collect();
    let mut by_outcome: HashMap<i64, i64> = HashMap::new();
    // Over the whole campaign, the counts per outcome and reason; over a period, per hour.
    let table = if f.from.is_none() && f.to.is_none() {
        "attempt_outcomes"
    } else {
        "attempt_hours"
    };
    for r in tx.conn.query(
        &format!(
            "SELECT a.disposition_id, NULLIF(a.reason, ''), SUM(a.attempts) FROM {table} a WHERE {wh}
             GROUP BY a.disposition_id, a.reason"
        ),
        &[],
    )? {
        let (id, n) = (r.i64(0), r.i64(2));
        *by_outcome.entry(id).or_default() += n;
        if negative.contains(&id) {
            let reason = r.opt_text(1).unwrap_or_default();
            let name = settings
                .no_interest_reason(&reason)
                .map_or(reason.clone(), |s| s.to_owned());
            add_named(&mut d.reasons, &name, n);
        }
    }
    sort_named(&mut d.reasons);
    for row in d.outcomes.iter_mut() {
        if let Some(id) = o
            .by_id
            .iter()
            .find(|(_, v)| v.code == row.code)
            .map(|(id, _)| *id)
        {
            row.attempts = by_outcome.get(&id).copied().unwrap_or(0);
        }
    }
    d.outcomes.retain(|r| r.records > 0 || r.attempts > 0);

    // Per agent and clock hour: the days' lines, the heatmap, the agents' table.
    let names: HashMap<i64, String> = tx
        .conn
        .query("SELECT id, name FROM users", &[])?
        .iter()
        .map(|r| (r.i64(0), r.text(1)))
        .collect();
    let mut days: BTreeMap<chrono::NaiveDate, DayRow> = BTreeMap::new();
    let mut heat: Heatmap = Default::default();
    let mut agents: BTreeMap<Option<i64>, AgentRow> = BTreeMap::new();
    let mut hours: HashMap<Option<i64>, HashSet<(chrono::NaiveDate, u32)>> = HashMap::new();
    tx.conn.for_each_row(
        &format!(
            "SELECT NULLIF(a.agent_id, 0), a.hour, a.attempts, a.reached, a.positive, a.secs
             FROM agent_hours a WHERE {wh}"
        ),
        &[],
        |r| {
            use chrono::Timelike;
            let local = format::local(r.i64(1) * 3600, settings);
            let (n, reached) = (r.i64(2), r.i64(3));
            let day = local.date_naive();
            let e = days.entry(day).or_insert_with(|| DayRow {
                day,
                ..Default::default()
            });
            e.attempts += n;
            if let Some(b) = Band::of_hour(local.hour()) {
                let band = Band::ALL.iter().position(|x| *x == b).unwrap_or(0);
                let cell = &mut heat[band][weekday_index(day)];
                cell.attempts += n;
                cell.reached += reached;
            }
            let agent = r.opt_i64(0);
            let a = agents.entry(agent).or_default();
            a.agent_id = agent;
            a.attempts += n;
            a.reached += reached;
            a.positive += r.i64(4);
            a.talk_secs += r.i64(5);
            hours.entry(agent).or_default().insert((day, local.hour()));
        },
    )?;
    // Records reached per local day (a record reached twice that day counts once): the kept
    // counts; for one agent, from the agent's attempts (the day is taken with the zone's offset
    // now: exact in zones without daylight saving, as Colombia's).
    let mut add_day = |day: chrono::NaiveDate, n: i64| {
        days.entry(day)
            .or_insert_with(|| DayRow {
                day,
                ..Default::default()
            })
            .reached += n;
    };
    if f.agent_id.is_none() {
        let mut w = vec![
            f.campaign_id
                .map_or("1 = 1".to_owned(), |c| format!("r.campaign_id = {c}")),
        ];
        if f.from.is_some() {
            w.push(format!(
                "r.day >= {}",
                counts::day_number(bounds.0, settings)
            ));
        }
        if f.to.is_some() {
            w.push(format!(
                "r.day < {}",
                counts::day_number(bounds.1, settings)
            ));
        }
        for r in tx.conn.query(
            &format!(
                "SELECT r.day, SUM(r.records) FROM reached_days r WHERE {} GROUP BY r.day",
                w.join(" AND ")
            ),
            &[],
        )? {
            add_day(counts::day_date(r.i64(0)), r.i64(1));
        }
    } else {
        let offset = counts::offset_now(settings);
        let reached_ids = o.flag(|v| v.reached);
        if reached_ids != "0" {
            for r in tx.conn.query(
                &format!(
                    "SELECT (a.started_at + {offset}) / 86400, COUNT(DISTINCT a.contact_id) FROM call_attempts a
                     WHERE {w} AND {reached_ids} = 1 GROUP BY (a.started_at + {offset}) / 86400"
                ),
                &[],
            )? {
                add_day(counts::day_date(r.i64(0)), r.i64(1));
            }
        }
    }
    d.days = days.into_values().collect();
    d.heatmap = heat;
    let mut list: Vec<AgentRow> = agents
        .into_values()
        .map(|mut a| {
            a.hours = hours.get(&a.agent_id).map_or(0, |h| h.len() as i64);
            a.name = a
                .agent_id
                .and_then(|id| names.get(&id).cloned())
                .unwrap_or_default();
            a
        })
        .collect();
    list.sort_by(|a, b| a.name.cmp(&b.name));
    d.agents = list;
    Ok(())
}

/// The survey answers of the period's attempts, per question (by their distinct JSON texts:
/// a few rows, whatever the number of attempts).
fn survey(
    tx: &mut Tx<'_>,
    f: &DashboardFilter,
    settings: &Settings,
    d: &mut Dashboard,
) -> Result<()> {
    let rows = if f.from.is_none() && f.to.is_none() && f.agent_id.is_none() {
        // The whole campaign: the kept counts.
        let w = f
            .campaign_id
            .map_or("1 = 1".to_owned(), |c| format!("a.campaign_id = {c}"));
        tx.conn.query(
            &format!(
                "SELECT NULLIF(a.script_version_id, 0), a.answers, SUM(a.attempts) FROM answer_counts a
                 WHERE {w} GROUP BY a.script_version_id, a.answers_sha256, a.answers"
            ),
            &[],
        )?
    } else {
        let w = attempts_where(f, period(f, settings));
        tx.conn.query(
            &format!(
                "SELECT a.script_version_id, a.answers, COUNT(*) FROM call_attempts a
                 WHERE {w} AND a.answers <> '{{}}' GROUP BY a.script_version_id, a.answers"
            ),
            &[],
        )?
    };
    let versions: HashSet<i64> = rows.iter().filter_map(|r| r.opt_i64(0)).collect();
    // The questions' texts and order, from the scripts' versions (newest wins).
    let mut questions: BTreeMap<String, (usize, String)> = BTreeMap::new();
    let mut ids: Vec<i64> = versions.into_iter().collect();
    ids.sort_unstable();
    for id in ids {
        if let Some(r) = tx.conn.query_opt(
            "SELECT content FROM script_versions WHERE id = ?1",
            params![id],
        )? {
            let content: crate::domain::script::ScriptContent =
                match serde_json::from_str(&r.text(0)) {
                    Ok(c) => c,
                    Err(_) => continue,
                };
            for (i, q) in content.questions.iter().enumerate() {
                questions.insert(q.id.to_string(), (i, q.text.clone()));
            }
        }
    }
    let mut out: BTreeMap<String, Vec<(String, i64)>> = BTreeMap::new();
    for r in &rows {
        let Some(answers) = crate::domain::call::parse_answers(&r.text(1)) else {
            continue;
        };
        let n = r.i64(2);
        for (q, v) in &answers {
            for text in answer_texts(v) {
                add_named(out.entry(q.clone()).or_default(), &text, n);
            }
        }
    }
    let mut list: Vec<SurveyRow> = out
        .into_iter()
        .map(|(question_id, mut answers)| {
            sort_named(&mut answers);
            SurveyRow {
                question: questions
                    .get(&question_id)
                    .map_or(question_id.clone(), |q| q.1.clone()),
                question_id,
                answers,
            }
        })
        .collect();
    list.sort_by_key(|s| {
        (
            questions.get(&s.question_id).map_or(usize::MAX, |q| q.0),
            s.question_id.clone(),
        )
    });
    d.survey = list;
    Ok(())
}

/// Inbound calls per ISO week (local), by channel, program and result: every inbound call of
/// the period (they belong to no campaign), the agent's own when one is chosen.
fn inbound(
    tx: &mut Tx<'_>,
    f: &DashboardFilter,
    settings: &Settings,
    d: &mut Dashboard,
) -> Result<()> {
    let (start, end) = period(f, settings);
    let programs: HashMap<i64, String> = tx
        .conn
        .query("SELECT id, name FROM programs", &[])?
        .iter()
        .map(|r| (r.i64(0), r.text(1)))
        .collect();
    let taken = f
        .agent_id
        .map_or(String::new(), |id| format!(" AND taken_by = {id}"));
    let mut weeks: BTreeMap<crate::domain::weekly::IsoWeek, InboundWeek> = BTreeMap::new();
    for r in tx.conn.query(
        &format!(
            "SELECT received_at / 900, channel, program_id, result, COUNT(*) FROM inbound_calls
             WHERE received_at >= ?1 AND received_at < ?2{taken}
             GROUP BY received_at / 900, channel, program_id, result"
        ),
        &[Val::Int(start), Val::Int(end)],
    )? {
        let week = crate::domain::weekly::IsoWeek::of_instant(r.i64(0) * 900, settings);
        let n = r.i64(4);
        let e = weeks.entry(week).or_insert_with(|| InboundWeek {
            week: week.to_string(),
            monday: week.monday(),
            ..Default::default()
        });
        e.calls += n;
        add_named(&mut e.by_channel, &r.text(1), n);
        let program = r
            .opt_i64(2)
            .and_then(|id| programs.get(&id).cloned())
            .unwrap_or_default();
        add_named(&mut e.by_program, &program, n);
        add_named(&mut e.by_result, &r.text(3), n);
    }
    d.inbound = weeks
        .into_values()
        .map(|mut w| {
            sort_named(&mut w.by_channel);
            sort_named(&mut w.by_program);
            sort_named(&mut w.by_result);
            w
        })
        .collect();
    Ok(())
}
