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

/// A run of consecutive contact ids dealt together: ids `first .. first + len`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Run {
    /// The first id.
    pub first: i64,
    /// How many consecutive ids.
    pub len: usize,
}

/// Splits ascending ids into runs of consecutive ids.
pub fn runs(ids: &[i64]) -> Vec<Run> {
    let mut out: Vec<Run> = Vec::new();
    for id in ids {
        match out.last_mut() {
            Some(r) if r.first + r.len as i64 == *id => r.len += 1,
            _ => out.push(Run { first: *id, len: 1 }),
        }
    }
    out
}

/// An assignment kept as a rule instead of an agent written into each contact: the agent gets
/// the contacts whose id lies in `first ..= last` with `(id - first) % step == slot`. Blocks give
/// each agent one rule with step 1; interleaved agents share `first`, `last` and `step` (a
/// dealing segment) and differ by slot. Every id inside a segment was dealt, so an id between a
/// rule's `first` and `last` is assigned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rule {
    /// The agent (user id).
    pub agent: i64,
    /// The segment's first id.
    pub first: i64,
    /// The segment's last id.
    pub last: i64,
    /// Agents dealt in turn in the segment (1 for blocks).
    pub step: i64,
    /// This agent's turn, `0 .. step`.
    pub slot: i64,
}

impl Rule {
    /// Whether the rule gives `id` to its agent.
    pub fn owns(&self, id: i64) -> bool {
        id >= self.first && id <= self.last && (id - self.first) % self.step == self.slot
    }

    /// How many ids the rule gives (all of them exist: a segment spans consecutive dealt ids).
    pub fn count(&self) -> i64 {
        let span = self.last - self.first;
        if self.slot > span {
            0
        } else {
            (span - self.slot) / self.step + 1
        }
    }
}

/// The rules that deal the ids of `runs` (in order) by `shares` (one per agent of `agents`) in
/// `order`: exactly what [`deal`] gives position by position, in a few rows instead of one per
/// contact. Blocks: one rule per agent and run it touches. Interleaved: the turns are dealt in
/// phases (all agents while every share lasts, then those with more, and so on), one rule per
/// agent, phase and run.
pub fn rules(shares: &[usize], agents: &[i64], order: Order, runs: &[Run]) -> Vec<Rule> {
    // Segments over positions: (start, end, step, agents dealt in turn by index).
    let mut segments: Vec<(usize, usize, Vec<usize>)> = Vec::new();
    match order {
        Order::Blocks => {
            let mut pos = 0;
            for (agent, share) in shares.iter().enumerate() {
                if *share > 0 {
                    segments.push((pos, pos + share, vec![agent]));
                }
                pos += share;
            }
        }
        Order::Interleaved => {
            let (mut pos, mut level) = (0, 0);
            loop {
                let turn: Vec<usize> = (0..shares.len()).filter(|a| shares[*a] > level).collect();
                let Some(next) = turn.iter().map(|a| shares[*a]).min() else {
                    break;
                };
                let end = pos + turn.len() * (next - level);
                segments.push((pos, end, turn));
                pos = end;
                level = next;
            }
        }
    }
    let mut out = Vec::new();
    let mut run_start = 0usize;
    let mut seg = 0usize;
    for run in runs {
        let run_end = run_start + run.len;
        while seg < segments.len() && segments[seg].0 < run_end {
            let (start, end, turn) = &segments[seg];
            let (a, b) = ((*start).max(run_start), (*end).min(run_end));
            if a < b {
                let step = turn.len();
                let first = run.first + (a - run_start) as i64;
                let last = run.first + (b - 1 - run_start) as i64;
                for (i, agent) in turn.iter().enumerate() {
                    // Positions start + i, start + i + step, …: the first at or after `a`.
                    let slot = (i + step - (a - start) % step) % step;
                    if a + slot < b {
                        out.push(Rule {
                            agent: agents[*agent],
                            first,
                            last,
                            step: step as i64,
                            slot: slot as i64,
                        });
                    }
                }
            }
            if *end <= run_end {
                seg += 1;
            } else {
                break;
            }
        }
        run_start = run_end;
    }
    out
}

/// The id intervals the rules assign, merged and ascending.
pub fn covered(rules: &[Rule]) -> Vec<(i64, i64)> {
    let mut spans: Vec<(i64, i64)> = rules.iter().map(|r| (r.first, r.last)).collect();
    spans.sort_unstable();
    let mut out: Vec<(i64, i64)> = Vec::new();
    for (f, l) in spans {
        match out.last_mut() {
            Some(last) if f <= last.1.saturating_add(1) => last.1 = last.1.max(l),
            _ => out.push((f, l)),
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
    fn rules_give_what_dealing_gives() {
        let cases: &[(&[usize], &[Run])] = &[
            (&[4, 3, 3], &[Run { first: 1, len: 10 }]),
            (
                &[5, 3, 2],
                &[Run { first: 10, len: 4 }, Run { first: 20, len: 6 }],
            ),
            (
                &[0, 2, 7, 1],
                &[
                    Run { first: 3, len: 1 },
                    Run { first: 7, len: 2 },
                    Run { first: 100, len: 7 },
                ],
            ),
            (
                &[1, 1],
                &[Run { first: 5, len: 1 }, Run { first: 9, len: 1 }],
            ),
            (&[], &[]),
        ];
        for (shares, runs) in cases {
            let agents: Vec<i64> = (0..shares.len() as i64).map(|a| 100 + a).collect();
            let ids: Vec<i64> = runs
                .iter()
                .flat_map(|r| r.first..r.first + r.len as i64)
                .collect();
            assert_eq!(super::runs(&ids), runs.to_vec());
            for order in [Order::Blocks, Order::Interleaved] {
                let rules = rules(shares, &agents, order, runs);
                let want: Vec<i64> = deal(shares, order).iter().map(|a| agents[*a]).collect();
                let got: Vec<i64> = ids
                    .iter()
                    .map(|id| {
                        let owners: Vec<i64> = rules
                            .iter()
                            .filter(|r| r.owns(*id))
                            .map(|r| r.agent)
                            .collect();
                        assert_eq!(owners.len(), 1, "{id} in {rules:?}");
                        owners[0]
                    })
                    .collect();
                assert_eq!(got, want, "{shares:?} {order:?}");
                for (a, share) in agents.iter().zip(shares.iter()) {
                    let n: i64 = rules
                        .iter()
                        .filter(|r| r.agent == *a)
                        .map(Rule::count)
                        .sum();
                    assert_eq!(n, *share as i64);
                }
                let spans: i64 = covered(&rules).iter().map(|(f, l)| l - f + 1).sum();
                assert_eq!(
                    spans,
                    ids.len() as i64,
                    "every id between a rule's ends is dealt"
                );
            }
        }
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
