//! Distributing a campaign's contacts among agents, moving pending contacts, and the shared
//! queue's atomic claim.
//!
//! An assignment is kept as rules, not written into each contact: `contact_assignments` holds
//! one row per agent and dealing segment ([`Rule`]: the ids `first ..= last` with
//! `(id - first) % step = slot`), so dealing a million contacts writes a few rows.
//! `campaign_contacts.agent_id` is the per-contact override (a contact moved afterwards, and
//! assignments made before the rules existed); `claimed_by` holds an otherwise unassigned
//! contact for the desk that claimed it. The agent of a contact is
//! `COALESCE(agent_id, the rule covering it, claimed_by)` ([`AGENT_OF`]).
//!
//! Dealing and moving read what they need on the reader (a snapshot, no lock) and then write in
//! a short transaction that checks nothing it relied on changed meanwhile: the writer lock is
//! held for the writes only.

use std::collections::{BTreeMap, HashMap};

use super::db::Val;
use super::{Error, Result, Store, Tx, What, require};
use crate::domain::distribution::{self, Distribution, DistributionPlan, Rule};
use crate::domain::procedure::DistributionMode;
use crate::domain::{Action, Actor, Field, FieldError, Role, User};
use crate::i18n::Msg;
use crate::params;

/// SQL: the agent (user id) of the contact `v`, or NULL.
pub(crate) const AGENT_OF: &str = "COALESCE(v.agent_id, (SELECT a.agent_id FROM contact_assignments a WHERE a.campaign_id = v.campaign_id AND a.first_id <= v.id AND a.last_id >= v.id AND (v.id - a.first_id) % a.step = a.slot), v.claimed_by)";

/// Pending: never attempted and not closed.
pub(crate) const PENDING: &str = "attempts = 0 AND status = 'pendiente'";
/// Pending, or a callback.
const PENDING_OR_CALLBACK: &str =
    "(attempts = 0 OR status = 'agendado') AND status IN ('pendiente', 'agendado')";

/// Beyond this many id ranges a condition is written as a subquery instead of a list of ranges
/// (an expression tree deeper than the engine allows fails).
const MAX_INLINE_RANGES: usize = 100;

/// Moves written per transaction (about 0.1 s under the writer lock when spread over the file).
const MOVES_PER_TRANSACTION: usize = 2_000;

/// Ids per `IN (…)` list.
const IDS_PER_STATEMENT: usize = 500;

fn agent_users(tx: &mut Tx<'_>, campaign_id: i64, logins: &[String]) -> Result<Vec<User>> {
    let all: Vec<User> = tx
        .conn
        .query(
            "SELECT u.id, u.login, u.name, u.role, u.department_id, NULL, u.active FROM users u WHERE u.role = 'auxiliar' AND u.active = 1 ORDER BY u.name",
            &[],
        )?
        .iter()
        .map(|r| User {
            id: r.i64(0),
            login: r.text(1),
            name: r.text(2),
            role: Role::Auxiliar,
            department_id: r.opt_i64(4),
            department: None,
            active: true,
        })
        .collect();
    if !logins.is_empty() {
        let mut out = Vec::new();
        for l in logins {
            let l = crate::domain::user::normalize_login(l);
            match all.iter().find(|u| u.login == l) {
                Some(u) => out.push(u.clone()),
                None => {
                    return Err(Error::Invalid(FieldError::with(
                        Field::Agents,
                        "distribution.err_not_agent",
                        &[("login", &l)],
                    )));
                }
            }
        }
        return Ok(out);
    }
    let chosen: Vec<i64> = tx
        .conn
        .query(
            "SELECT user_id FROM campaign_agents WHERE campaign_id = ?1",
            params![campaign_id],
        )?
        .iter()
        .map(|r| r.i64(0))
        .collect();
    Ok(if chosen.is_empty() {
        all
    } else {
        all.into_iter().filter(|u| chosen.contains(&u.id)).collect()
    })
}

/// The campaign's assignment rules, by first id.
pub(crate) fn rules(tx: &mut Tx<'_>, campaign_id: i64) -> Result<Vec<Rule>> {
    Ok(tx
        .conn
        .query(
            "SELECT agent_id, first_id, last_id, step, slot FROM contact_assignments WHERE campaign_id = ?1 ORDER BY first_id, slot",
            params![campaign_id],
        )?
        .iter()
        .map(|r| Rule {
            agent: r.i64(0),
            first: r.i64(1),
            last: r.i64(2),
            step: r.i64(3).max(1),
            slot: r.i64(4),
        })
        .collect())
}

/// SQL condition: the contact `v` lies outside every rule (`TRUE` when there is none).
pub(crate) fn outside_rules_sql(spans: &[(i64, i64)]) -> String {
    if spans.is_empty() {
        return "1 = 1".to_owned();
    }
    if spans.len() > MAX_INLINE_RANGES {
        return "NOT EXISTS (SELECT 1 FROM contact_assignments a WHERE a.campaign_id = v.campaign_id AND a.first_id <= v.id AND a.last_id >= v.id)".to_owned();
    }
    let mut parts = vec![format!("v.id < {}", spans[0].0)];
    for w in spans.windows(2) {
        parts.push(format!("v.id BETWEEN {} AND {}", w[0].1 + 1, w[1].0 - 1));
    }
    parts.push(format!("v.id > {}", spans[spans.len() - 1].1));
    format!("({})", parts.join(" OR "))
}

/// SQL condition: the rule gives the contact `v` to its agent (`v.agent_id` not checked).
fn rule_sql(r: &Rule) -> String {
    if r.step == 1 {
        format!("v.id BETWEEN {} AND {}", r.first, r.last)
    } else {
        format!(
            "v.id BETWEEN {} AND {} AND (v.id - {}) % {} = {}",
            r.first, r.last, r.first, r.step, r.slot
        )
    }
}

/// SQL condition (` AND …`) on the contact `v` of `campaign_id`: it belongs to `agent`, or
/// with `agent` 0 to nobody (a shared-queue claim past its time to live counts as nobody's).
/// An agent's contacts are gathered by one indexed read per source
/// (its moved contacts, each of its rules, what it holds): with `page` (after this id, at most
/// this many), each read stops after a page. Ids are written into the text (they come from the
/// database), so the engine goes straight to each range.
pub(crate) fn agent_filter_sql(
    tx: &mut Tx<'_>,
    campaign_id: i64,
    agent: i64,
    page: Option<(i64, i64)>,
) -> Result<String> {
    let rules = rules(tx, campaign_id)?;
    let spans = distribution::covered(&rules);
    let outside = outside_rules_sql(&spans);
    // A claim older than its time to live counts as free (a desk that crashed).
    let cutoff = crate::domain::call::claim_cutoff(tx.now);
    if agent == 0 {
        return Ok(format!(
            " AND v.agent_id IS NULL AND (v.claimed_by IS NULL OR v.claimed_at < {cutoff}) AND {outside}"
        ));
    }
    let mine: Vec<&Rule> = rules.iter().filter(|r| r.agent == agent).collect();
    let mut arms = vec![format!("v.agent_id = {agent}")];
    if mine.len() > MAX_INLINE_RANGES {
        arms.push(format!(
            "v.agent_id IS NULL AND EXISTS (SELECT 1 FROM contact_assignments a WHERE a.campaign_id = v.campaign_id AND a.agent_id = {agent} AND a.first_id <= v.id AND a.last_id >= v.id AND (v.id - a.first_id) % a.step = a.slot)"
        ));
    } else {
        for r in mine {
            arms.push(format!("v.agent_id IS NULL AND {}", rule_sql(r)));
        }
    }
    arms.push(format!(
        "v.claimed_by = {agent} AND v.claimed_at >= {cutoff} AND v.agent_id IS NULL AND {outside}"
    ));
    let arms: Vec<String> = arms
        .into_iter()
        .map(|cond| match page {
            Some((after, limit)) => format!(
                "SELECT id FROM (SELECT v.id FROM campaign_contacts v WHERE v.campaign_id = {campaign_id} AND v.id > {after} AND {cond} ORDER BY v.id LIMIT {limit}) AS page"
            ),
            None => format!(
                "SELECT v.id FROM campaign_contacts v WHERE v.campaign_id = {campaign_id} AND {cond}"
            ),
        })
        .collect();
    Ok(format!(" AND v.id IN ({})", arms.join(" UNION ALL ")))
}

/// How many contacts belong to `agent`, from the rules' arithmetic and the few per-contact
/// rows (no pass over the agent's contacts): its moved contacts, plus what its rules give less
/// what was moved out of them, plus what it holds from the shared queue (a claim past its time
/// to live counts as free).
pub(crate) fn count_for_agent(tx: &mut Tx<'_>, campaign_id: i64, agent: i64) -> Result<i64> {
    let rules = rules(tx, campaign_id)?;
    let spans = distribution::covered(&rules);
    let mine: Vec<Rule> = rules.into_iter().filter(|r| r.agent == agent).collect();
    let moved_in = tx
        .conn
        .query_one(
            "SELECT COUNT(*) FROM campaign_contacts WHERE campaign_id = ?1 AND agent_id = ?2",
            params![campaign_id, agent],
        )?
        .i64(0);
    let mut by_rules: i64 = mine.iter().map(Rule::count).sum();
    if !mine.is_empty() {
        tx.conn.for_each_row(
            "SELECT id FROM campaign_contacts WHERE campaign_id = ?1 AND agent_id > 0",
            params![campaign_id],
            |r| {
                let id = r.i64(0);
                if mine.iter().any(|m| m.owns(id)) {
                    by_rules -= 1;
                }
            },
        )?;
    }
    let held = tx
        .conn
        .query_one(
            &format!(
                "SELECT COUNT(*) FROM campaign_contacts v WHERE v.campaign_id = ?1 AND v.claimed_by = ?2 AND v.claimed_at >= ?3 AND v.agent_id IS NULL AND {}",
                outside_rules_sql(&spans)
            ),
            params![
                campaign_id,
                agent,
                crate::domain::call::claim_cutoff(tx.now)
            ],
        )?
        .i64(0);
    Ok(moved_in + by_rules + held)
}

/// Visible contacts of the campaign, and how many of them belong to nobody, in one pass.
pub(crate) fn contact_counts(tx: &mut Tx<'_>, campaign_id: i64) -> Result<(i64, i64)> {
    let spans = distribution::covered(&rules(tx, campaign_id)?);
    let r = tx.conn.query_one(
        &format!(
            "SELECT COUNT(*), COALESCE(SUM(CASE WHEN v.agent_id IS NULL AND v.claimed_by IS NULL AND {} THEN 1 ELSE 0 END), 0) FROM visible_contacts v WHERE v.campaign_id = ?1",
            outside_rules_sql(&spans)
        ),
        params![campaign_id],
    )?;
    Ok((r.i64(0), r.i64(1)))
}

/// Visible contacts of the campaign that belong to nobody (once dealt, this reads only what
/// was imported since).
pub(crate) fn count_unassigned(tx: &mut Tx<'_>, campaign_id: i64) -> Result<i64> {
    let spans = distribution::covered(&rules(tx, campaign_id)?);
    Ok(tx
        .conn
        .query_one(
            &format!(
                "SELECT COUNT(*) FROM visible_contacts v WHERE v.campaign_id = ?1 AND v.agent_id IS NULL AND v.claimed_by IS NULL AND {}",
                outside_rules_sql(&spans)
            ),
            params![campaign_id],
        )?
        .i64(0))
}

/// Ids of the visible contacts that belong to nobody, in file order.
fn unassigned_ids(tx: &mut Tx<'_>, campaign_id: i64, spans: &[(i64, i64)]) -> Result<Vec<i64>> {
    let mut ids = Vec::new();
    tx.conn.for_each_row(
        &format!(
            "SELECT v.id FROM visible_contacts v WHERE v.campaign_id = ?1 AND v.agent_id IS NULL AND v.claimed_by IS NULL AND {} ORDER BY v.id",
            outside_rules_sql(spans)
        ),
        params![campaign_id],
        |r| ids.push(r.i64(0)),
    )?;
    Ok(ids)
}

/// Each agent's contacts that match `cond` (with `free`, also not held by a desk), ascending.
pub(crate) fn contacts_by_agent(
    tx: &mut Tx<'_>,
    campaign_id: i64,
    cond: &str,
    free: bool,
) -> Result<BTreeMap<i64, Vec<i64>>> {
    let free_sql = if free { " AND claimed_by IS NULL" } else { "" };
    let mut out: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    // Contacts moved one by one (and assignments older than the rules).
    tx.conn.for_each_row(
        &format!(
            "SELECT agent_id, id FROM visible_contacts WHERE campaign_id = ?1 AND agent_id > 0{free_sql} AND {cond}"
        ),
        params![campaign_id],
        |r| out.entry(r.i64(0)).or_default().push(r.i64(1)),
    )?;
    // The rules: one pass over each dealing segment, the slot of an id naming its agent.
    let mut segments: BTreeMap<(i64, i64, i64), Vec<Option<i64>>> = BTreeMap::new();
    for r in rules(tx, campaign_id)? {
        let slots = segments
            .entry((r.first, r.last, r.step))
            .or_insert_with(|| vec![None; r.step as usize]);
        if let Some(s) = slots.get_mut(r.slot as usize) {
            *s = Some(r.agent);
        }
    }
    let sql = format!(
        "SELECT id FROM campaign_contacts WHERE campaign_id = ?1 AND id BETWEEN ?2 AND ?3 AND agent_id IS NULL{free_sql} AND {cond}"
    );
    for ((first, last, step), slots) in segments {
        tx.conn
            .for_each_row(&sql, params![campaign_id, first, last], |r| {
                let id = r.i64(0);
                if let Some(Some(a)) = slots.get(((id - first) % step) as usize) {
                    out.entry(*a).or_default().push(id);
                }
            })?;
    }
    for ids in out.values_mut() {
        ids.sort_unstable();
    }
    Ok(out)
}

/// What the write phase checks is unchanged since the read: the campaign's rules, and how many
/// of its contacts are moved or held.
fn fingerprint(tx: &mut Tx<'_>, campaign_id: i64) -> Result<[i64; 4]> {
    let r = tx.conn.query_one(
        "SELECT (SELECT COUNT(*) FROM contact_assignments WHERE campaign_id = ?1), (SELECT COALESCE(MAX(id), 0) FROM contact_assignments WHERE campaign_id = ?1), (SELECT COUNT(*) FROM campaign_contacts WHERE campaign_id = ?1 AND agent_id > 0), (SELECT COUNT(*) FROM campaign_contacts WHERE campaign_id = ?1 AND claimed_by > 0)",
        params![campaign_id],
    )?;
    Ok([r.i64(0), r.i64(1), r.i64(2), r.i64(3)])
}

/// A distribution worked out: the rules to write and what each agent gets.
struct Deal {
    fingerprint: [i64; 4],
    agents: Vec<User>,
    shares: Vec<usize>,
    rules: Vec<Rule>,
    dealt: usize,
}

fn plan_deal(tx: &mut Tx<'_>, campaign_id: i64, plan: &DistributionPlan) -> Result<Deal> {
    let c = super::campaigns::get(tx, campaign_id)?;
    if c.form.distribution_mode == DistributionMode::ColaCompartida {
        return Err(Error::Conflict(Msg::new("distribution.err_shared_queue")));
    }
    let agents = agent_users(tx, campaign_id, &plan.agents)?;
    if agents.is_empty() {
        return Err(Error::Conflict(Msg::new("distribution.err_no_agents")));
    }
    let fingerprint = fingerprint(tx, campaign_id)?;
    let spans = distribution::covered(&rules(tx, campaign_id)?);
    let ids = unassigned_ids(tx, campaign_id, &spans)?;
    let shares = shares(ids.len(), agents.len(), &plan.weights)?;
    let agent_ids: Vec<i64> = agents.iter().map(|u| u.id).collect();
    let rules = distribution::rules(&shares, &agent_ids, plan.order, &distribution::runs(&ids));
    Ok(Deal {
        fingerprint,
        agents,
        shares,
        rules,
        dealt: ids.len(),
    })
}

fn write_deal(
    tx: &mut Tx<'_>,
    actor: &Actor,
    campaign_id: i64,
    plan: &DistributionPlan,
    deal: &Deal,
) -> Result<Distribution> {
    for chunk in deal.rules.chunks(100) {
        let mut vals: Vec<Val> = Vec::with_capacity(chunk.len() * 7);
        let mut rows = Vec::with_capacity(chunk.len());
        for (i, r) in chunk.iter().enumerate() {
            let b = i * 7;
            rows.push(format!(
                "(?{}, ?{}, ?{}, ?{}, ?{}, ?{}, ?{})",
                b + 1,
                b + 2,
                b + 3,
                b + 4,
                b + 5,
                b + 6,
                b + 7
            ));
            vals.extend([
                Val::Int(campaign_id),
                Val::Int(r.agent),
                Val::Int(r.first),
                Val::Int(r.last),
                Val::Int(r.step),
                Val::Int(r.slot),
                Val::Int(tx.now),
            ]);
        }
        tx.conn.execute(
            &format!(
                "INSERT INTO contact_assignments (campaign_id, agent_id, first_id, last_id, step, slot, created_at) VALUES {}",
                rows.join(",")
            ),
            &vals,
        )?;
    }
    let mut out = Distribution::default();
    for (u, s) in deal.agents.iter().zip(&deal.shares) {
        out.assigned.insert(u.login.clone(), *s as i64);
    }
    // The agents who received contacts now work the campaign.
    for (u, w) in deal
        .agents
        .iter()
        .zip(plan.weights.iter().copied().chain(std::iter::repeat(1.0)))
    {
        tx.conn.execute(
            "INSERT INTO campaign_agents (campaign_id, user_id, weight) VALUES (?1, ?2, ?3) ON CONFLICT (campaign_id, user_id) DO UPDATE SET weight = excluded.weight",
            params![campaign_id, u.id, w],
        )?;
    }
    out.unassigned = count_unassigned(tx, campaign_id)?;
    tx.audit(
        actor,
        "distribution.run",
        "campaign",
        Some(campaign_id),
        &deal.dealt.to_string(),
    )?;
    super::tally::log_distribution(tx, campaign_id, "distribution.run", &out.assigned)?;
    Ok(out)
}

/// A move of a pending contact: `(contact, from agent, to agent)`.
type Move = (i64, i64, i64);

/// Writes moves of pending contacts as per-contact overrides, each only if the contact is still
/// its agent's and still matches `cond` (checked by the rows changed); the receiving agents join
/// the campaign. Returns how many each received and what is still unassigned.
fn apply_moves(
    tx: &mut Tx<'_>,
    campaign_id: i64,
    agents: &[User],
    moves: &[Move],
    cond: &str,
) -> Result<(Distribution, usize)> {
    let mut by_pair: BTreeMap<(i64, i64), Vec<i64>> = BTreeMap::new();
    for (contact, from, to) in moves {
        by_pair.entry((*from, *to)).or_default().push(*contact);
    }
    let mut received: HashMap<i64, i64> = HashMap::new();
    let mut moved = 0;
    for ((from, to), ids) in by_pair {
        for chunk in ids.chunks(IDS_PER_STATEMENT) {
            let mut vals = vec![Val::Int(to), Val::Int(campaign_id), Val::Int(from)];
            let marks: Vec<String> = (0..chunk.len()).map(|i| format!("?{}", i + 4)).collect();
            vals.extend(chunk.iter().map(|id| Val::Int(*id)));
            let n = tx.conn.execute(
                &format!(
                    "UPDATE campaign_contacts SET agent_id = ?1 WHERE campaign_id = ?2 AND id IN ({}) AND (agent_id IS NULL OR agent_id = ?3) AND claimed_by IS NULL AND {cond}",
                    marks.join(",")
                ),
                &vals,
            )?;
            *received.entry(to).or_default() += n as i64;
            moved += n;
        }
    }
    let mut out = Distribution::default();
    for u in agents {
        out.assigned
            .insert(u.login.clone(), received.get(&u.id).copied().unwrap_or(0));
        tx.conn.execute(
            "INSERT INTO campaign_agents (campaign_id, user_id) VALUES (?1, ?2) ON CONFLICT (campaign_id, user_id) DO NOTHING",
            params![campaign_id, u.id],
        )?;
    }
    out.unassigned = count_unassigned(tx, campaign_id)?;
    Ok((out, moved))
}

/// The first free contact (pending, not held by a desk, and matching `cond`, e.g.
/// `v.attempts = 0`) of `agent` — its own moved contacts and its rules — and, with
/// `or_unassigned`, of nobody: the queue's building block. Each probe is one indexed range
/// read; the smallest id wins (file order).
pub(crate) fn next_free(
    tx: &mut Tx<'_>,
    campaign_id: i64,
    agent: i64,
    or_unassigned: bool,
    cond: &str,
) -> Result<Option<i64>> {
    // A claim older than its time to live counts as free (a desk that crashed).
    let cutoff = crate::domain::call::claim_cutoff(tx.now);
    let rules = rules(tx, campaign_id)?;
    let mut probes: Vec<String> = vec![format!("v.agent_id = {agent}")];
    for r in rules.iter().filter(|r| r.agent == agent) {
        probes.push(format!("v.agent_id IS NULL AND {}", rule_sql(r)));
    }
    if or_unassigned {
        probes.push(format!(
            "v.agent_id IS NULL AND {}",
            outside_rules_sql(&distribution::covered(&rules))
        ));
    }
    let mut best: Option<i64> = None;
    for p in probes {
        let found = tx.conn.query_opt(
            &format!(
                "SELECT v.id FROM visible_contacts v WHERE v.campaign_id = ?1 AND (v.claimed_by IS NULL OR v.claimed_at < {cutoff}) AND v.status = 'pendiente' AND {cond} AND {p} ORDER BY v.id LIMIT 1"
            ),
            params![campaign_id],
        )?;
        if let Some(id) = found.and_then(|r| r.opt_i64(0)) {
            best = Some(best.map_or(id, |b: i64| b.min(id)));
        }
    }
    Ok(best)
}

impl Store {
    /// What a distribution would give each agent, without writing anything.
    pub fn distribution_preview(
        &self,
        actor: &Actor,
        campaign_id: i64,
        plan: &DistributionPlan,
    ) -> Result<Distribution> {
        require(actor, Action::RunCampaigns)?;
        self.read(|tx| {
            let agents = agent_users(tx, campaign_id, &plan.agents)?;
            let n = count_unassigned(tx, campaign_id)? as usize;
            let shares = shares(n, agents.len(), &plan.weights)?;
            let mut out = Distribution::default();
            for (u, s) in agents.iter().zip(shares) {
                out.assigned.insert(u.login.clone(), s as i64);
            }
            out.unassigned = if agents.is_empty() { n as i64 } else { 0 };
            Ok(out)
        })
    }

    /// Assigns the campaign's unassigned contacts (running it again deals only new imports).
    /// The dealing is worked out on a snapshot; the writer lock is held only to write the rules
    /// (one row per agent and segment), after checking the snapshot still holds.
    pub fn distribute(
        &self,
        actor: &Actor,
        campaign_id: i64,
        plan: &DistributionPlan,
    ) -> Result<Distribution> {
        require(actor, Action::RunCampaigns)?;
        for _ in 0..2 {
            let deal = self.read(|tx| plan_deal(tx, campaign_id, plan))?;
            let done = self.write(|tx| {
                if fingerprint(tx, campaign_id)? != deal.fingerprint {
                    return Ok(None);
                }
                write_deal(tx, actor, campaign_id, plan, &deal).map(Some)
            })?;
            if let Some(out) = done {
                return Ok(out);
            }
        }
        // Others kept changing the assignment: deal under the lock.
        self.write(|tx| {
            let deal = plan_deal(tx, campaign_id, plan)?;
            write_deal(tx, actor, campaign_id, plan, &deal)
        })
    }

    /// Moves an agent's pending contacts (with `with_callbacks`, also its callbacks) to other
    /// agents, equalising their pending counts. Contacts with history stay; a contact on an
    /// agent's screen is skipped.
    pub fn redistribute(
        &self,
        actor: &Actor,
        campaign_id: i64,
        from: &str,
        to: &[String],
        with_callbacks: bool,
    ) -> Result<Distribution> {
        // The head, who deactivates users, may first move a leaving agent's pending contacts.
        if !actor.can(Action::ManageUsers) {
            require(actor, Action::RunCampaigns)?;
        }
        let cond = if with_callbacks {
            PENDING_OR_CALLBACK
        } else {
            PENDING
        };
        let (from_user, targets, moves) = self.read(|tx| {
            super::campaigns::get(tx, campaign_id)?;
            let from_user = agent_users(tx, campaign_id, &[from.to_owned()])?
                .pop()
                .ok_or_else(|| Error::NotFound(What::Agent))?;
            let targets: Vec<User> = agent_users(tx, campaign_id, to)?
                .into_iter()
                .filter(|u| u.id != from_user.id)
                .collect();
            if targets.is_empty() {
                return Err(Error::Conflict(Msg::new("distribution.err_no_targets")));
            }
            let pending = contacts_by_agent(tx, campaign_id, cond, true)?;
            let target_ids: Vec<i64> = targets.iter().map(|u| u.id).collect();
            let moves: Vec<Move> = distribution::redistribute(&pending, from_user.id, &target_ids)
                .into_iter()
                .map(|(c, to)| (c, from_user.id, to))
                .collect();
            Ok((from_user, targets, moves))
        })?;
        let (out, moved) = self.apply_in_steps(campaign_id, &targets, &moves, cond)?;
        self.write(|tx| {
            tx.audit(
                actor,
                "distribution.move",
                "campaign",
                Some(campaign_id),
                &format!("{} -> {moved}", from_user.login),
            )?;
            super::tally::log_distribution(tx, campaign_id, "distribution.move", &out.assigned)
        })?;
        Ok(out)
    }

    /// Rebalances pending contacts among the given agents (e.g. one who joins mid-campaign).
    pub fn rebalance(
        &self,
        actor: &Actor,
        campaign_id: i64,
        agents: &[String],
    ) -> Result<Distribution> {
        require(actor, Action::RunCampaigns)?;
        let (users, moves) = self.read(|tx| {
            let users = agent_users(tx, campaign_id, agents)?;
            let pending = contacts_by_agent(tx, campaign_id, PENDING, true)?;
            let ids: Vec<i64> = users.iter().map(|u| u.id).collect();
            let owner: HashMap<i64, i64> = pending
                .iter()
                .flat_map(|(a, cs)| cs.iter().map(move |c| (*c, *a)))
                .collect();
            let moves: Vec<Move> = distribution::rebalance(&pending, &ids)
                .into_iter()
                .filter_map(|(c, to)| owner.get(&c).map(|from| (c, *from, to)))
                .collect();
            Ok((users, moves))
        })?;
        let (out, moved) = self.apply_in_steps(campaign_id, &users, &moves, PENDING)?;
        self.write(|tx| {
            tx.audit(
                actor,
                "distribution.rebalance",
                "campaign",
                Some(campaign_id),
                &moved.to_string(),
            )?;
            super::tally::log_distribution(tx, campaign_id, "distribution.rebalance", &out.assigned)
        })?;
        Ok(out)
    }

    /// Writes moves in short transactions of [`MOVES_PER_TRANSACTION`] (moves spread over the
    /// whole file touch a page each): each move is checked by the row it changes, so a partial
    /// run leaves every contact with one agent, and running again moves what is left.
    fn apply_in_steps(
        &self,
        campaign_id: i64,
        agents: &[User],
        moves: &[Move],
        cond: &str,
    ) -> Result<(Distribution, usize)> {
        let mut out = Distribution::default();
        let mut moved = 0;
        let mut steps = moves.chunks(MOVES_PER_TRANSACTION).peekable();
        if steps.peek().is_none() {
            return self.write(|tx| apply_moves(tx, campaign_id, agents, &[], cond));
        }
        for step in steps {
            let (d, n) = self.write(|tx| apply_moves(tx, campaign_id, agents, step, cond))?;
            for (login, k) in d.assigned {
                *out.assigned.entry(login).or_default() += k;
            }
            out.unassigned = d.unassigned;
            moved += n;
        }
        Ok((out, moved))
    }

    /// Pending contacts per agent login (never attempted, not closed).
    pub fn pending_counts(&self, campaign_id: i64) -> Result<BTreeMap<String, i64>> {
        self.read(|tx| {
            let by_agent = contacts_by_agent(tx, campaign_id, PENDING, false)?;
            let logins: HashMap<i64, String> = tx
                .conn
                .query("SELECT id, login FROM users", &[])?
                .iter()
                .map(|r| (r.i64(0), r.text(1)))
                .collect();
            Ok(by_agent
                .into_iter()
                .filter_map(|(a, ids)| logins.get(&a).map(|l| (l.clone(), ids.len() as i64)))
                .collect())
        })
    }

    /// Shared queue: atomically claims the next free contact for an agent (none: `None`): its
    /// own, or one that belongs to nobody.
    pub fn claim_next_shared(&self, actor: &Actor, campaign_id: i64) -> Result<Option<i64>> {
        require(actor, Action::RecordCalls)?;
        let Some(agent) = actor.user_id() else {
            return Err(Error::Forbidden(Msg::new("perm.forbidden")));
        };
        self.write(|tx| {
            // One contact at a time per agent: give back anything still held.
            tx.conn.execute(
                "UPDATE campaign_contacts SET claimed_by = NULL, claimed_at = NULL WHERE campaign_id = ?1 AND claimed_by = ?2",
                params![campaign_id, agent],
            )?;
            let Some(id) = next_free(tx, campaign_id, agent, true, "1 = 1")? else {
                return Ok(None);
            };
            let n = tx.conn.execute(
                "UPDATE campaign_contacts SET claimed_by = ?1, claimed_at = ?2 WHERE id = ?3 AND (claimed_by IS NULL OR claimed_at < ?4)",
                params![agent, tx.now, id, crate::domain::call::claim_cutoff(tx.now)],
            )?;
            Ok((n == 1).then_some(id))
        })
    }
}

fn shares(n: usize, agents: usize, weights: &[f64]) -> Result<Vec<usize>> {
    if weights.is_empty() {
        return Ok(distribution::equal_shares(n, agents));
    }
    if weights.len() != agents {
        return Err(Error::Invalid(FieldError::with(
            Field::Weights,
            "distribution.err_weights",
            &[("weights", &weights.len()), ("agents", &agents)],
        )));
    }
    if weights.iter().any(|w| !w.is_finite() || *w < 0.0) || weights.iter().all(|w| *w == 0.0) {
        return Err(Error::Invalid(FieldError::new(
            Field::Weights,
            "distribution.err_weight_values",
        )));
    }
    Ok(distribution::weighted_shares(n, weights))
}
