//! Distributing a campaign's contacts among agents, moving pending contacts, and the shared
//! queue's atomic claim.

use std::collections::BTreeMap;

use super::{Error, Result, Store, Tx, What, require};
use crate::domain::distribution::{self, Distribution, DistributionPlan, Order};
use crate::domain::procedure::DistributionMode;
use crate::domain::{Action, Actor, Field, FieldError, Role, User};
use crate::i18n::Msg;
use crate::params;

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

/// Ids of the visible contacts without an agent, in file order.
fn unassigned_ids(tx: &mut Tx<'_>, campaign_id: i64) -> Result<Vec<i64>> {
    Ok(tx
        .conn
        .query(
            "SELECT id FROM visible_contacts WHERE campaign_id = ?1 AND agent_id IS NULL ORDER BY id",
            params![campaign_id],
        )?
        .iter()
        .map(|r| r.i64(0))
        .collect())
}

fn count_unassigned(tx: &mut Tx<'_>, campaign_id: i64) -> Result<i64> {
    Ok(tx
        .conn
        .query_one(
            "SELECT COUNT(*) FROM visible_contacts WHERE campaign_id = ?1 AND agent_id IS NULL",
            params![campaign_id],
        )?
        .i64(0))
}

/// Each pending contact (never attempted, not on anybody's screen) by agent, in file order.
fn pending_by_agent(
    tx: &mut Tx<'_>,
    campaign_id: i64,
    with_callbacks: bool,
) -> Result<BTreeMap<i64, Vec<i64>>> {
    let sql = if with_callbacks {
        "SELECT agent_id, id FROM visible_contacts WHERE campaign_id = ?1 AND agent_id IS NOT NULL AND claimed_by IS NULL AND (attempts = 0 OR status = 'agendado') AND status IN ('pendiente', 'agendado') ORDER BY id"
    } else {
        "SELECT agent_id, id FROM visible_contacts WHERE campaign_id = ?1 AND agent_id IS NOT NULL AND claimed_by IS NULL AND attempts = 0 AND status = 'pendiente' ORDER BY id"
    };
    let mut out: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    for r in tx.conn.query(sql, params![campaign_id])? {
        out.entry(r.i64(0)).or_default().push(r.i64(1));
    }
    Ok(out)
}

/// Writes moves of pending contacts; the receiving agents join the campaign. Returns how many
/// each received and what is still unassigned.
fn apply_moves(
    tx: &mut Tx<'_>,
    campaign_id: i64,
    agents: &[User],
    moves: &[(i64, i64)],
) -> Result<Distribution> {
    for (contact, agent) in moves {
        tx.conn.execute(
            "UPDATE campaign_contacts SET agent_id = ?1 WHERE id = ?2",
            params![*agent, *contact],
        )?;
    }
    let mut out = Distribution::default();
    for u in agents {
        out.assigned.insert(
            u.login.clone(),
            moves.iter().filter(|(_, a)| *a == u.id).count() as i64,
        );
        tx.conn.execute(
            "INSERT INTO campaign_agents (campaign_id, user_id) VALUES (?1, ?2) ON CONFLICT (campaign_id, user_id) DO NOTHING",
            params![campaign_id, u.id],
        )?;
    }
    out.unassigned = count_unassigned(tx, campaign_id)?;
    Ok(out)
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
    pub fn distribute(
        &self,
        actor: &Actor,
        campaign_id: i64,
        plan: &DistributionPlan,
    ) -> Result<Distribution> {
        require(actor, Action::RunCampaigns)?;
        self.write(|tx| {
            let c = super::campaigns::get(tx, campaign_id)?;
            if c.form.distribution_mode == DistributionMode::ColaCompartida {
                return Err(Error::Conflict(Msg::new("distribution.err_shared_queue")));
            }
            let agents = agent_users(tx, campaign_id, &plan.agents)?;
            if agents.is_empty() {
                return Err(Error::Conflict(Msg::new("distribution.err_no_agents")));
            }
            let ids = unassigned_ids(tx, campaign_id)?;
            let shares = shares(ids.len(), agents.len(), &plan.weights)?;
            let dealt = match plan.order {
                Order::Blocks => Vec::new(),
                Order::Interleaved => distribution::deal(&shares, plan.order),
            };
            let mut out = Distribution::default();
            for u in &agents {
                out.assigned.insert(u.login.clone(), 0);
            }
            match plan.order {
                // Blocks: each agent's share is a run of the unassigned ids, written as one range.
                Order::Blocks => {
                    let mut start = 0;
                    for (u, share) in agents.iter().zip(&shares) {
                        if *share == 0 {
                            continue;
                        }
                        let (first, last) = (ids[start], ids[start + share - 1]);
                        tx.conn.execute(
                            "UPDATE campaign_contacts SET agent_id = ?1 WHERE campaign_id = ?2 AND id BETWEEN ?3 AND ?4 AND agent_id IS NULL AND id IN (SELECT id FROM visible_contacts WHERE campaign_id = ?2 AND id BETWEEN ?3 AND ?4)",
                            params![u.id, campaign_id, first, last],
                        )?;
                        *out.assigned.entry(u.login.clone()).or_default() += *share as i64;
                        start += share;
                    }
                }
                Order::Interleaved => {
                    for (contact, agent_ix) in ids.iter().zip(dealt) {
                        let u = &agents[agent_ix];
                        tx.conn.execute(
                            "UPDATE campaign_contacts SET agent_id = ?1 WHERE id = ?2",
                            params![u.id, *contact],
                        )?;
                        *out.assigned.entry(u.login.clone()).or_default() += 1;
                    }
                }
            }
            // The agents who received contacts now work the campaign.
            for (u, w) in agents.iter().zip(
                plan.weights
                    .iter()
                    .copied()
                    .chain(std::iter::repeat(1.0)),
            ) {
                tx.conn.execute(
                    "INSERT INTO campaign_agents (campaign_id, user_id, weight) VALUES (?1, ?2, ?3) ON CONFLICT (campaign_id, user_id) DO UPDATE SET weight = excluded.weight",
                    params![campaign_id, u.id, w],
                )?;
            }
            out.unassigned = count_unassigned(tx, campaign_id)?;
            tx.audit(actor, "distribution.run", "campaign", Some(campaign_id), &ids.len().to_string())?;
            Ok(out)
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
        self.write(|tx| {
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
            let pending = pending_by_agent(tx, campaign_id, with_callbacks)?;
            let target_ids: Vec<i64> = targets.iter().map(|u| u.id).collect();
            let moves = distribution::redistribute(&pending, from_user.id, &target_ids);
            let out = apply_moves(tx, campaign_id, &targets, &moves)?;
            tx.audit(
                actor,
                "distribution.move",
                "campaign",
                Some(campaign_id),
                &format!("{} -> {}", from_user.login, moves.len()),
            )?;
            Ok(out)
        })
    }

    /// Rebalances pending contacts among the given agents (e.g. one who joins mid-campaign).
    pub fn rebalance(
        &self,
        actor: &Actor,
        campaign_id: i64,
        agents: &[String],
    ) -> Result<Distribution> {
        require(actor, Action::RunCampaigns)?;
        self.write(|tx| {
            let users = agent_users(tx, campaign_id, agents)?;
            let pending = pending_by_agent(tx, campaign_id, false)?;
            let ids: Vec<i64> = users.iter().map(|u| u.id).collect();
            let moves = distribution::rebalance(&pending, &ids);
            let out = apply_moves(tx, campaign_id, &users, &moves)?;
            tx.audit(
                actor,
                "distribution.rebalance",
                "campaign",
                Some(campaign_id),
                &moves.len().to_string(),
            )?;
            Ok(out)
        })
    }

    /// Pending contacts per agent login (never attempted, not claimed).
    pub fn pending_counts(&self, campaign_id: i64) -> Result<BTreeMap<String, i64>> {
        self.read(|c| {
            Ok(c.query(
                "SELECT u.login, COUNT(*) FROM visible_contacts v JOIN users u ON u.id = v.agent_id WHERE v.campaign_id = ?1 AND v.attempts = 0 AND v.status = 'pendiente' GROUP BY u.login",
                params![campaign_id],
            )?
            .iter()
            .map(|r| (r.text(0), r.i64(1)))
            .collect())
        })
    }

    /// Shared queue: atomically claims the next free contact for an agent (none: `None`).
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
            let next = tx.conn.query_opt(
                "SELECT id FROM visible_contacts WHERE campaign_id = ?1 AND claimed_by IS NULL AND status = 'pendiente' AND (agent_id IS NULL OR agent_id = ?2) ORDER BY id LIMIT 1",
                params![campaign_id, agent],
            )?;
            let Some(id) = next.map(|r| r.i64(0)) else {
                return Ok(None);
            };
            let n = tx.conn.execute(
                "UPDATE campaign_contacts SET claimed_by = ?1, claimed_at = ?2 WHERE id = ?3 AND claimed_by IS NULL",
                params![agent, tx.now, id],
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
