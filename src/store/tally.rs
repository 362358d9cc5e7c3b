//! Seguimiento: the live tally of one campaign (`domain::tally`), read in one snapshot by a
//! handful of aggregate queries over that campaign's contacts and attempts — never a query per
//! contact, never the `visible_contacts` view per row:
//! - the contacts with an agent of their own (every contact ever called has one: recording an
//!   outcome writes it) grouped by `agent_id`;
//! - the contacts still under a distribution rule grouped by their slot, one indexed range
//!   read per dealing segment (`contact_assignments`);
//! - the few held from the shared queue grouped by `claimed_by`;
//! - the attempts grouped by agent, today's read by `(campaign_id, started_at)`.
//!
//! The agent of a contact is `COALESCE(agent_id, rule, claimed_by)`, as everywhere
//! (`store::distribution`). Also the campaign's past distributions (audit log and
//! `distribution_log`).

use std::collections::{BTreeMap, HashMap};

use super::catalogs::disposition_from_row;
use super::db::Row;
use super::{Result, Store, Tx, require};
use crate::domain::tally::{
    AgentTally, DistributionEvent, DistributionKind, Figures, Periods, Tally, counts_as_positive,
    counts_as_reached, parse_audit_detail, today_bounds,
};
use crate::domain::{Action, Actor};
use crate::params;

/// Records what a distribution gave each agent (by login; zeros left out), beside its audit
/// row (same campaign, instant and action).
pub(crate) fn log_distribution(
    tx: &mut Tx<'_>,
    campaign_id: i64,
    action: &str,
    per_agent: &BTreeMap<String, i64>,
) -> Result<()> {
    let given: BTreeMap<&String, &i64> = per_agent.iter().filter(|(_, n)| **n > 0).collect();
    let json = serde_json::to_string(&given).unwrap_or_else(|_| "{}".into());
    tx.conn.execute(
        "INSERT INTO distribution_log (campaign_id, at, action, per_agent) VALUES (?1, ?2, ?3, ?4)",
        params![campaign_id, tx.now, action, json],
    )?;
    Ok(())
}

/// `(1,2,3)` for an SQL `IN`: ids read from the database (never typed by a user).
fn id_list(ids: &[i64]) -> String {
    if ids.is_empty() {
        return "(NULL)".to_owned();
    }
    let parts: Vec<String> = ids.iter().map(i64::to_string).collect();
    format!("({})", parts.join(","))
}

/// The contact figures of a group of the campaign's contacts `v` (after any leading columns):
/// records, handled, reached, positive, callbacks due by the end of today (?2), pending.
fn contact_aggregates(reached: &str, positive: &str) -> String {
    format!(
        "COUNT(*),
         COALESCE(SUM(CASE WHEN v.attempts > 0 THEN 1 ELSE 0 END), 0),
         COALESCE(SUM(CASE WHEN v.best_disposition_id IN {reached} THEN 1 ELSE 0 END), 0),
         COALESCE(SUM(CASE WHEN v.best_disposition_id IN {positive} THEN 1 ELSE 0 END), 0),
         COALESCE(SUM(CASE WHEN v.status = 'agendado' AND v.next_call_at < ?2 THEN 1 ELSE 0 END), 0),
         COALESCE(SUM(CASE WHEN v.status IN ('pendiente', 'en_gestion', 'agendado') THEN 1 ELSE 0 END), 0)"
    )
}

/// Reads the six contact figures starting at column `at`.
fn contact_figures(r: &Row, at: usize) -> Figures {
    Figures {
        assigned: r.i64(at),
        handled: r.i64(at + 1),
        reached: r.i64(at + 2),
        positive: r.i64(at + 3),
        callbacks_today: r.i64(at + 4),
        pending: r.i64(at + 5),
        ..Default::default()
    }
}

/// The figures of today's attempts starting at column `at`: calls, seconds, records handled,
/// reached and positive (each record once).
fn attempt_aggregates(reached: &str, positive: &str) -> String {
    format!(
        "COUNT(*), COALESCE(SUM(a.duration_secs), 0), COUNT(DISTINCT a.contact_id),
         COUNT(DISTINCT CASE WHEN a.disposition_id IN {reached} THEN a.contact_id END),
         COUNT(DISTINCT CASE WHEN a.disposition_id IN {positive} THEN a.contact_id END)"
    )
}

/// Today's figures of an agent (or the campaign): the attempts of the day, with the contact
/// state (assigned, callbacks, pending) of `now`.
fn today_from(r: &Row, at: usize, now: &Figures) -> Figures {
    Figures {
        assigned: now.assigned,
        callbacks_today: now.callbacks_today,
        pending: now.pending,
        calls: r.i64(at),
        talk_secs: r.i64(at + 1),
        handled: r.i64(at + 2),
        reached: r.i64(at + 3),
        positive: r.i64(at + 4),
    }
}

fn tally_in(
    tx: &mut Tx<'_>,
    campaign_id: i64,
    only: Option<i64>,
    day: (i64, i64),
) -> Result<Tally> {
    super::campaigns::get(tx, campaign_id)?;
    // The indicators' definitions are the domain's: which outcomes count as reached, positive.
    let dispositions: Vec<_> = tx
        .conn
        .query(
            "SELECT id, hotkey, code, name, category, reached, is_final, final_for_phone, active FROM dispositions",
            &[],
        )?
        .iter()
        .map(disposition_from_row)
        .collect();
    let ids = |f: &dyn Fn(&crate::domain::Disposition) -> bool| {
        id_list(
            &dispositions
                .iter()
                .filter(|d| f(d))
                .map(|d| d.id)
                .collect::<Vec<_>>(),
        )
    };
    let reached = ids(&counts_as_reached);
    let positive = ids(&counts_as_positive);
    let agg = contact_aggregates(&reached, &positive);
    let (start, end) = day;
    let only_sql = |col: &str| only.map_or(String::new(), |id| format!(" AND {col} = {id}"));

    // Contacts by agent: their own agent, then the rules, then what desks hold.
    let mut by_agent: BTreeMap<i64, Figures> = BTreeMap::new();
    for r in tx.conn.query(
        &format!(
            "SELECT v.agent_id, {agg} FROM campaign_contacts v
             WHERE v.campaign_id = ?1 AND v.agent_id IS NOT NULL{} GROUP BY v.agent_id",
            only_sql("v.agent_id")
        ),
        params![campaign_id, end],
    )? {
        by_agent
            .entry(r.i64(0))
            .or_default()
            .add(&contact_figures(&r, 1));
    }
    let rules = super::distribution::rules(tx, campaign_id)?;
    let mut segments: BTreeMap<(i64, i64, i64), Vec<Option<i64>>> = BTreeMap::new();
    for r in &rules {
        let slots = segments
            .entry((r.first, r.last, r.step))
            .or_insert_with(|| vec![None; r.step.max(1) as usize]);
        if let Some(s) = slots.get_mut(r.slot as usize) {
            *s = Some(r.agent);
        }
    }
    for ((first, last, step), slots) in segments {
        if let Some(me) = only
            && !slots.contains(&Some(me))
        {
            continue;
        }
        // An agent: only its slot (checked on the index's ids, before reading a row).
        let slot = match only {
            Some(me) => slots
                .iter()
                .position(|a| *a == Some(me))
                .map_or(String::new(), |s| format!(" AND (v.id - ?3) % ?4 = {s}")),
            None => String::new(),
        };
        for r in tx.conn.query(
            &format!(
                "SELECT (v.id - ?3) % ?4, {agg} FROM campaign_contacts v
                 WHERE v.campaign_id = ?1 AND v.agent_id IS NULL AND v.id BETWEEN ?3 AND ?5{slot}
                 GROUP BY 1"
            ),
            params![campaign_id, end, first, step, last],
        )? {
            if let Some(Some(agent)) = slots.get(r.i64(0) as usize)
                && only.is_none_or(|me| me == *agent)
            {
                by_agent
                    .entry(*agent)
                    .or_default()
                    .add(&contact_figures(&r, 1));
            }
        }
    }
    let outside =
        super::distribution::outside_rules_sql(&crate::domain::distribution::covered(&rules));
    for r in tx.conn.query(
        &format!(
            "SELECT v.claimed_by, {agg} FROM campaign_contacts v
             WHERE v.campaign_id = ?1 AND v.claimed_by IS NOT NULL AND v.agent_id IS NULL AND {outside}{}
             GROUP BY v.claimed_by",
            only_sql("v.claimed_by")
        ),
        params![campaign_id, end],
    )? {
        by_agent
            .entry(r.i64(0))
            .or_default()
            .add(&contact_figures(&r, 1));
    }

    // Attempts by agent: the campaign so far, and today.
    let mut calls: HashMap<i64, (i64, i64)> = HashMap::new();
    for r in tx.conn.query(
        &format!(
            "SELECT a.agent_id, COUNT(*), COALESCE(SUM(a.duration_secs), 0) FROM call_attempts a
             WHERE a.campaign_id = ?1 AND a.agent_id IS NOT NULL{} GROUP BY a.agent_id",
            only_sql("a.agent_id")
        ),
        params![campaign_id],
    )? {
        calls.insert(r.i64(0), (r.i64(1), r.i64(2)));
    }
    let att = attempt_aggregates(&reached, &positive);
    let mut today: HashMap<i64, Row> = HashMap::new();
    for r in tx.conn.query(
        &format!(
            "SELECT a.agent_id, {att} FROM call_attempts a
             WHERE a.campaign_id = ?1 AND a.started_at >= ?2 AND a.started_at < ?3 AND a.agent_id IS NOT NULL{}
             GROUP BY a.agent_id",
            only_sql("a.agent_id")
        ),
        params![campaign_id, start, end],
    )? {
        today.insert(r.i64(0), r);
    }

    // The agents: whoever has contacts or calls in it, those chosen for it, and the agent asking.
    let mut agent_ids: Vec<i64> = by_agent.keys().copied().collect();
    agent_ids.extend(calls.keys().copied());
    agent_ids.extend(
        tx.conn
            .query(
                &format!(
                    "SELECT user_id FROM campaign_agents WHERE campaign_id = ?1{}",
                    only_sql("user_id")
                ),
                params![campaign_id],
            )?
            .iter()
            .map(|r| r.i64(0)),
    );
    agent_ids.extend(only);
    agent_ids.sort_unstable();
    agent_ids.dedup();
    let mut agents = Vec::new();
    for id in agent_ids {
        let Some(u) = tx
            .conn
            .query_opt("SELECT login, name FROM users WHERE id = ?1", params![id])?
        else {
            continue;
        };
        let mut campaign = by_agent.get(&id).copied().unwrap_or_default();
        let (n, secs) = calls.get(&id).copied().unwrap_or_default();
        campaign.calls = n;
        campaign.talk_secs = secs;
        let today = match today.get(&id) {
            Some(r) => today_from(r, 1, &campaign),
            None => Figures {
                assigned: campaign.assigned,
                callbacks_today: campaign.callbacks_today,
                pending: campaign.pending,
                ..Default::default()
            },
        };
        agents.push(AgentTally {
            agent_id: id,
            login: u.text(0),
            name: u.text(1),
            figures: Periods { today, campaign },
        });
    }
    agents.sort_by(|a, b| a.name.cmp(&b.name).then(a.agent_id.cmp(&b.agent_id)));

    if only.is_some() {
        return Ok(Tally {
            campaign_id,
            summary: None,
            agents,
            distributions: Vec::new(),
            computed_at: tx.now,
        });
    }

    // The whole campaign: every agent's records, and those of nobody (read by the agent index:
    // once dealt, only what was imported since), leaving out an import still running.
    let r = tx.conn.query_one(
        &format!(
            "SELECT {agg} FROM campaign_contacts v
             WHERE v.campaign_id = ?1 AND v.agent_id IS NULL AND v.claimed_by IS NULL AND {outside}
             AND (v.batch_id IS NULL OR v.batch_id NOT IN (SELECT id FROM import_batches WHERE status <> 'confirmada'))"
        ),
        params![campaign_id, end],
    )?;
    let mut campaign = contact_figures(&r, 0);
    for f in by_agent.values() {
        campaign.add(f);
    }
    let r = tx.conn.query_one(
        "SELECT COUNT(*), COALESCE(SUM(a.duration_secs), 0) FROM call_attempts a WHERE a.campaign_id = ?1",
        params![campaign_id],
    )?;
    campaign.calls = r.i64(0);
    campaign.talk_secs = r.i64(1);
    let r = tx.conn.query_one(
        &format!(
            "SELECT {att} FROM call_attempts a WHERE a.campaign_id = ?1 AND a.started_at >= ?2 AND a.started_at < ?3"
        ),
        params![campaign_id, start, end],
    )?;
    let today = today_from(&r, 0, &campaign);
    Ok(Tally {
        campaign_id,
        summary: Some(Periods { today, campaign }),
        agents,
        distributions: distributions(tx, campaign_id)?,
        computed_at: tx.now,
    })
}

/// The campaign's distributions, redistributions and rebalances, newest first.
fn distributions(tx: &mut Tx<'_>, campaign_id: i64) -> Result<Vec<DistributionEvent>> {
    let names: HashMap<String, String> = tx
        .conn
        .query("SELECT login, name FROM users", &[])?
        .iter()
        .map(|r| (r.text(0), r.text(1)))
        .collect();
    let rows = tx.conn.query(
        "SELECT a.at, a.actor, a.action, a.detail,
                (SELECT l.per_agent FROM distribution_log l
                 WHERE l.campaign_id = a.entity_id AND l.at = a.at AND l.action = a.action
                 ORDER BY l.id DESC LIMIT 1)
         FROM audit_log a
         WHERE a.entity = 'campaign' AND a.entity_id = ?1
           AND a.action IN ('distribution.run', 'distribution.move', 'distribution.rebalance')
         ORDER BY a.at DESC, a.id DESC",
        params![campaign_id],
    )?;
    let mut out = Vec::new();
    for r in rows {
        let Some(kind) = DistributionKind::from_action(&r.text(2)) else {
            continue;
        };
        let (total, from) = parse_audit_detail(&r.text(3));
        let per_agent: BTreeMap<String, i64> = r
            .opt_text(4)
            .and_then(|j| serde_json::from_str(&j).ok())
            .unwrap_or_default();
        let mut per_agent: Vec<(String, i64)> = per_agent
            .into_iter()
            .map(|(login, n)| (names.get(&login).cloned().unwrap_or(login), n))
            .collect();
        per_agent.sort();
        let actor = r.text(1);
        out.push(DistributionEvent {
            at: r.i64(0),
            who: crate::domain::audit::who(&actor, names.get(&actor).map(String::as_str)),
            kind,
            from: from.map(|l| names.get(&l).cloned().unwrap_or(l)),
            total,
            per_agent,
        });
    }
    Ok(out)
}

impl Store {
    /// The live tally of a campaign (Seguimiento): per agent and for the whole campaign, for
    /// today and for the campaign so far, with its past distributions. The head and the
    /// professional (and the command line) see every agent; an agent sees only its own line.
    /// A read: one snapshot, no write lock.
    pub fn tally(&self, actor: &Actor, campaign_id: i64) -> Result<Tally> {
        require(actor, Action::ViewTally)?;
        let only = if actor.can(Action::ViewAllBriefs) {
            None
        } else {
            // An agent: its own figures only (an actor without a user sees nothing of anyone).
            Some(actor.user_id().unwrap_or(0))
        };
        let settings = self.settings()?;
        let day = today_bounds(self.now(), &settings);
        self.read(|tx| tally_in(tx, campaign_id, only, day))
    }
}
