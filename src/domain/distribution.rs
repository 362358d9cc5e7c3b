//! Dealing a campaign's contacts among agents: equal or weighted shares, in blocks or in turn,
//! and moving pending contacts when an agent leaves or joins. Pure functions: the store applies
//! the plans.

use std::collections::BTreeMap;

/// The result of a distribution: contacts per agent login, and what is left unassigned.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Distribution {
    /// Contacts given to each agent in this operation, by login.
    pub assigned: BTreeMap<String, i64>,
    /// Visible contacts of the campaign still without an agent.
    pub unassigned: i64,
}

/// How to deal the contacts.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DistributionPlan {
    /// Agents by login; empty: the campaign's agents, or every active agent.
    pub agents: Vec<String>,
    /// Weights (percentages or capacities), one per agent; empty: equal.
    pub weights: Vec<f64>,
    /// Blocks or interleaved.
    pub order: Order,
}

/// How contacts are dealt.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Order {
    /// The file's order kept in blocks: the first N to the first agent, and so on.
    #[default]
    Blocks,
    /// Dealt in turn, like cards.
    Interleaved,
}

impl Order {
    /// ASCII code (`blocks`, `interleaved`).
    pub fn code(self) -> &'static str {
        match self {
            Order::Blocks => "blocks",
            Order::Interleaved => "interleaved",
        }
    }
    /// Parses the code.
    pub fn from_code(s: &str) -> Option<Self> {
        match s {
            "blocks" => Some(Order::Blocks),
            "interleaved" => Some(Order::Interleaved),
            _ => None,
        }
    }
}

/// Shares of `n` contacts among `k` agents: equal, differing by at most one (the first agents
/// get the extra ones).
pub fn equal_shares(n: usize, k: usize) -> Vec<usize> {
    if k == 0 {
        return Vec::new();
    }
    (0..k).map(|i| n / k + usize::from(i < n % k)).collect()
}

/// Shares of `n` contacts by weights (percentages or capacities), rounded by largest remainder:
/// the shares add up to `n` exactly. Non-positive weights get nothing; all non-positive → equal.
pub fn weighted_shares(n: usize, weights: &[f64]) -> Vec<usize> {
    let total: f64 = weights.iter().filter(|w| **w > 0.0).sum();
    if weights.is_empty() || total <= 0.0 {
        return equal_shares(n, weights.len());
    }
    let exact: Vec<f64> = weights
        .iter()
        .map(|w| if *w > 0.0 { n as f64 * w / total } else { 0.0 })
        .collect();
    let mut shares: Vec<usize> = exact.iter().map(|e| e.floor() as usize).collect();
    let mut left = n - shares.iter().sum::<usize>();
    let mut order: Vec<usize> = (0..weights.len()).filter(|i| weights[*i] > 0.0).collect();
    // Largest remainder first; ties to the earlier agent.
    order.sort_by(|a, b| {
        let ra = exact[*a] - exact[*a].floor();
        let rb = exact[*b] - exact[*b].floor();
        rb.partial_cmp(&ra)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.cmp(b))
    });
    for i in order.into_iter().cycle() {
        if left == 0 {
            break;
        }
        shares[i] += 1;
        left -= 1;
    }
    shares
}

/// Which agent (by index) gets each of `n` contacts, given the shares.
pub fn deal(shares: &[usize], order: Order) -> Vec<usize> {
    let n: usize = shares.iter().sum();
    let mut out = Vec::with_capacity(n);
    match order {
        Order::Blocks => {
            for (agent, count) in shares.iter().enumerate() {
                out.extend(std::iter::repeat_n(agent, *count));
            }
        }
        Order::Interleaved => {
            let mut left = shares.to_vec();
            while out.len() < n {
                for (agent, l) in left.iter_mut().enumerate() {
                    if *l > 0 {
                        out.push(agent);
                        *l -= 1;
                    }
                }
            }
        }
    }
    out
}

/// Moves of pending contacts: `(contact, to_agent)`.
pub type Moves = Vec<(i64, i64)>;

/// Gives the pending contacts of `from` to the agents `to`, filling the ones with the fewest
/// pending contacts first, so their pending counts end as equal as possible.
/// `pending` holds each agent's pending contacts (ids, in order).
pub fn redistribute(pending: &BTreeMap<i64, Vec<i64>>, from: i64, to: &[i64]) -> Moves {
    let targets: Vec<i64> = to.iter().copied().filter(|a| *a != from).collect();
    if targets.is_empty() {
        return Vec::new();
    }
    let mut counts: BTreeMap<i64, usize> = targets
        .iter()
        .map(|a| (*a, pending.get(a).map_or(0, Vec::len)))
        .collect();
    let mut moves = Vec::new();
    for contact in pending.get(&from).into_iter().flatten() {
        // The target with the fewest pending; ties to the first listed.
        let Some(agent) = targets.iter().copied().min_by_key(|a| {
            (
                counts.get(a).copied().unwrap_or(0),
                targets.iter().position(|t| t == a),
            )
        }) else {
            break;
        };
        moves.push((*contact, agent));
        *counts.entry(agent).or_default() += 1;
    }
    moves
}

/// Rebalances pending contacts among `agents` (e.g. after one joins): agents above the even
/// share give their last pending contacts to those below, until counts differ by at most one.
pub fn rebalance(pending: &BTreeMap<i64, Vec<i64>>, agents: &[i64]) -> Moves {
    if agents.is_empty() {
        return Vec::new();
    }
    let total: usize = agents
        .iter()
        .map(|a| pending.get(a).map_or(0, Vec::len))
        .sum();
    let shares = equal_shares(total, agents.len());
    // Agents that hold more keep the larger shares.
    let mut by_size: Vec<i64> = agents.to_vec();
    by_size.sort_by_key(|a| std::cmp::Reverse(pending.get(a).map_or(0, Vec::len)));
    let target: BTreeMap<i64, usize> = by_size.iter().copied().zip(shares).collect();
    let mut surplus: Vec<i64> = Vec::new();
    for a in agents {
        let mine = pending.get(a).map(Vec::as_slice).unwrap_or(&[]);
        let keep = target.get(a).copied().unwrap_or(0);
        if mine.len() > keep {
            surplus.extend_from_slice(&mine[keep..]);
        }
    }
    let mut moves = Vec::new();
    let mut it = surplus.into_iter();
    for a in agents {
        let have = pending.get(a).map_or(0, Vec::len);
        let want = target.get(a).copied().unwrap_or(0);
        for _ in have..want {
            if let Some(c) = it.next() {
                moves.push((c, *a));
            }
        }
    }
    moves
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_differs_by_at_most_one() {
        assert_eq!(equal_shares(10, 3), vec![4, 3, 3]);
        assert_eq!(equal_shares(2, 3), vec![1, 1, 0]);
        assert!(equal_shares(5, 0).is_empty());
    }

    #[test]
    fn weighted_by_largest_remainder() {
        assert_eq!(weighted_shares(10, &[50.0, 30.0, 20.0]), vec![5, 3, 2]);
        assert_eq!(weighted_shares(7, &[1.0, 1.0, 1.0]), vec![3, 2, 2]);
        assert_eq!(weighted_shares(100, &[1.0, 2.0]), vec![33, 67]);
        assert_eq!(weighted_shares(4, &[0.0, 1.0]), vec![0, 4]);
        assert_eq!(weighted_shares(3, &[0.0, 0.0]), vec![2, 1]);
    }

    #[test]
    fn dealing() {
        assert_eq!(deal(&[2, 1], Order::Blocks), vec![0, 0, 1]);
        assert_eq!(deal(&[2, 1], Order::Interleaved), vec![0, 1, 0]);
    }

    #[test]
    fn redistribution_fills_the_emptiest_first() {
        let mut p = BTreeMap::new();
        p.insert(1, vec![10, 11, 12, 13]);
        p.insert(2, vec![20, 21, 22]);
        p.insert(3, vec![]);
        let m = redistribute(&p, 1, &[2, 3]);
        let to3 = m.iter().filter(|(_, a)| *a == 3).count();
        let to2 = m.iter().filter(|(_, a)| *a == 2).count();
        assert_eq!((to2, to3), (1, 3), "{m:?}");
    }

    #[test]
    fn rebalancing_a_new_agent() {
        let mut p = BTreeMap::new();
        p.insert(1, vec![1, 2, 3, 4, 5, 6]);
        p.insert(2, vec![7, 8, 9, 10, 11, 12]);
        let m = rebalance(&p, &[1, 2, 3]);
        assert_eq!(m.len(), 4);
        assert!(m.iter().all(|(_, a)| *a == 3));
    }
}
