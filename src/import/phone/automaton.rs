//! A tiny regex engine for the metadata patterns: over the ten digits only, with the syntax the
//! metadata uses (digits, `\d`, `[…]` with ranges, `(…)`, `(?:…)`, `|`, `?`, `*`, `+`, `{n}`,
//! `{n,}`, `{n,m}`; whitespace ignored, as the crate compiles them). Anything else is an error,
//! and the region then goes without the fast path. Compiled to a DFA: one table lookup a digit.

use std::collections::HashMap;

/// All ten digits.
pub(super) const ALL_DIGITS: u16 = 0x3FF;
/// Limits that keep a strange pattern from using much memory.
pub(super) const MAX_NFA_STATES: usize = 200_000;
pub(super) const MAX_DFA_STATES: usize = 50_000;
pub(super) const MAX_REPEAT: u32 = 100;

/// A pattern's syntax tree.
#[derive(Debug)]
pub(super) enum Node {
    /// One digit out of a set (bit `d` for digit `d`).
    Digits(u16),
    Concat(Vec<Node>),
    Alternation(Vec<Node>),
    Repeat(Box<Node>, u32, Option<u32>),
}

pub(super) struct Parser<'a> {
    pub(super) chars: &'a [char],
    pub(super) pos: usize,
    /// Read the anchors `^` and `$` as matching the empty string: the pattern then matches
    /// more, which is safe for the prefixes the fast path only uses to step aside.
    pub(super) lenient: bool,
}

impl Parser<'_> {
    pub(super) fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    pub(super) fn bump(&mut self) -> Option<char> {
        let c = self.peek();
        if c.is_some() {
            self.pos += 1;
        }
        c
    }

    pub(super) fn expect(&mut self, want: char) -> Result<(), String> {
        match self.bump() {
            Some(c) if c == want => Ok(()),
            other => Err(format!(
                "expected {want:?} at {}, found {other:?}",
                self.pos
            )),
        }
    }

    pub(super) fn alternation(&mut self) -> Result<Node, String> {
        let mut branches = vec![self.concatenation()?];
        while self.peek() == Some('|') {
            self.pos += 1;
            branches.push(self.concatenation()?);
        }
        Ok(Node::Alternation(branches))
    }

    pub(super) fn concatenation(&mut self) -> Result<Node, String> {
        let mut items = Vec::new();
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            let atom = self.atom()?;
            items.push(self.quantified(atom)?);
        }
        Ok(Node::Concat(items))
    }

    pub(super) fn atom(&mut self) -> Result<Node, String> {
        match self.bump() {
            Some(c) if c.is_ascii_digit() => Ok(Node::Digits(1 << digit(c))),
            // Over digit strings, any character is a digit.
            Some('.') => Ok(Node::Digits(ALL_DIGITS)),
            Some('\\') => match self.bump() {
                Some('d') => Ok(Node::Digits(ALL_DIGITS)),
                other => Err(format!("unsupported escape {other:?}")),
            },
            Some('[') => self.class(),
            Some('^' | '$') if self.lenient => Ok(Node::Concat(Vec::new())),
            Some('(') => {
                if self.peek() == Some('?') {
                    self.pos += 1;
                    self.expect(':')?;
                }
                let inner = self.alternation()?;
                self.expect(')')?;
                Ok(inner)
            }
            other => Err(format!("unsupported {other:?} at {}", self.pos)),
        }
    }

    pub(super) fn class(&mut self) -> Result<Node, String> {
        let negated = self.peek() == Some('^');
        if negated {
            self.pos += 1;
        }
        let mut set = 0u16;
        loop {
            match self.bump() {
                Some(']') => break,
                Some('\\') => match self.bump() {
                    Some('d') => set |= ALL_DIGITS,
                    other => return Err(format!("unsupported escape {other:?} in a class")),
                },
                Some(c) if c.is_ascii_digit() => {
                    let low = digit(c);
                    let range_end = self.chars.get(self.pos + 1).copied();
                    match (self.peek(), range_end) {
                        (Some('-'), Some(end)) if end.is_ascii_digit() => {
                            self.pos += 2;
                            let high = digit(end);
                            if high < low {
                                return Err(format!("bad range {c}-{end}"));
                            }
                            for d in low..=high {
                                set |= 1 << d;
                            }
                        }
                        _ => set |= 1 << low,
                    }
                }
                other => return Err(format!("unsupported {other:?} in a class")),
            }
        }
        Ok(Node::Digits(if negated { !set & ALL_DIGITS } else { set }))
    }

    pub(super) fn quantified(&mut self, node: Node) -> Result<Node, String> {
        let (min, max) = match self.peek() {
            Some('?') => (0, Some(1)),
            Some('*') => (0, None),
            Some('+') => (1, None),
            Some('{') => {
                self.pos += 1;
                let min = self.number()?;
                let max = if self.peek() == Some(',') {
                    self.pos += 1;
                    if self.peek() == Some('}') {
                        None
                    } else {
                        Some(self.number()?)
                    }
                } else {
                    Some(min)
                };
                if self.peek() != Some('}') {
                    return Err(format!("bad repetition at {}", self.pos));
                }
                if max.is_some_and(|max| max < min) {
                    return Err(format!("bad repetition {{{min},{max:?}}}"));
                }
                (min, max)
            }
            _ => return Ok(node),
        };
        self.pos += 1;
        // A lazy quantifier matches the same strings.
        if self.peek() == Some('?') {
            self.pos += 1;
        }
        if matches!(self.peek(), Some('?' | '*' | '+' | '{')) {
            return Err(format!("stacked repetition at {}", self.pos));
        }
        Ok(Node::Repeat(Box::new(node), min, max))
    }

    pub(super) fn number(&mut self) -> Result<u32, String> {
        let start = self.pos;
        let mut value = 0u32;
        while let Some(c) = self.peek().filter(char::is_ascii_digit) {
            value = value * 10 + u32::from(digit(c));
            if value > MAX_REPEAT {
                return Err(format!("repetition over {MAX_REPEAT}"));
            }
            self.pos += 1;
        }
        if self.pos == start {
            return Err(format!("expected a number at {start}"));
        }
        Ok(value)
    }
}

/// The value of an ASCII digit.
pub(super) fn digit(c: char) -> u8 {
    u8::try_from(c).map_or(0, |b| b.wrapping_sub(b'0'))
}

/// A Thompson NFA: each state has ε-moves and at most one move on a set of digits.
#[derive(Default)]
pub(super) struct Nfa {
    pub(super) epsilon: Vec<Vec<usize>>,
    pub(super) on: Vec<(u16, usize)>,
}

impl Nfa {
    pub(super) fn add(&mut self) -> Result<usize, String> {
        if self.epsilon.len() >= MAX_NFA_STATES {
            return Err("pattern too large".to_owned());
        }
        self.epsilon.push(Vec::new());
        self.on.push((0, 0));
        Ok(self.epsilon.len() - 1)
    }

    /// Adds the states of a node; returns its entry and exit states.
    pub(super) fn fragment(&mut self, node: &Node) -> Result<(usize, usize), String> {
        match node {
            Node::Digits(set) => {
                let (start, end) = (self.add()?, self.add()?);
                self.on[start] = (*set, end);
                Ok((start, end))
            }
            Node::Concat(items) => {
                let start = self.add()?;
                let mut current = start;
                for item in items {
                    let (entry, exit) = self.fragment(item)?;
                    self.epsilon[current].push(entry);
                    current = exit;
                }
                Ok((start, current))
            }
            Node::Alternation(branches) => {
                let (start, end) = (self.add()?, self.add()?);
                for branch in branches {
                    let (entry, exit) = self.fragment(branch)?;
                    self.epsilon[start].push(entry);
                    self.epsilon[exit].push(end);
                }
                Ok((start, end))
            }
            Node::Repeat(inner, min, max) => {
                let start = self.add()?;
                let mut current = start;
                for _ in 0..*min {
                    let (entry, exit) = self.fragment(inner)?;
                    self.epsilon[current].push(entry);
                    current = exit;
                }
                match max {
                    None => {
                        let hub = self.add()?;
                        self.epsilon[current].push(hub);
                        let (entry, exit) = self.fragment(inner)?;
                        self.epsilon[hub].push(entry);
                        self.epsilon[exit].push(hub);
                        current = hub;
                    }
                    Some(max) => {
                        let end = self.add()?;
                        for _ in *min..*max {
                            let (entry, exit) = self.fragment(inner)?;
                            self.epsilon[current].push(entry);
                            self.epsilon[current].push(end);
                            current = exit;
                        }
                        self.epsilon[current].push(end);
                        current = end;
                    }
                }
                Ok((start, current))
            }
        }
    }

    /// The states reachable by ε-moves, keeping only those that matter (a digit move, or an
    /// accepting state), sorted.
    pub(super) fn closure(
        &self,
        seeds: &[usize],
        accepts: &[u32],
        mark: &mut [u32],
        round: u32,
    ) -> Vec<usize> {
        let mut stack = seeds.to_vec();
        let mut kept = Vec::new();
        while let Some(state) = stack.pop() {
            if mark[state] == round {
                continue;
            }
            mark[state] = round;
            if self.on[state].0 != 0 || accepts[state] != 0 {
                kept.push(state);
            }
            stack.extend(self.epsilon[state].iter().copied());
        }
        kept.sort_unstable();
        kept
    }

    /// Subset construction. `accepts[i]` is the accepting state of component `i` (bit `i` of
    /// the masks). State 0 of the result is the dead state.
    pub(super) fn determinize(&self, start: usize, accepts: &[usize]) -> Result<Dfa, String> {
        let mut bits = vec![0u32; self.epsilon.len()];
        for (component, &state) in accepts.iter().enumerate() {
            bits[state] |= 1 << component;
        }
        let mut mark = vec![0u32; self.epsilon.len()];
        let mut round = 1;
        let first = self.closure(&[start], &bits, &mut mark, round);
        let mut sets: Vec<Vec<usize>> = vec![Vec::new(), first.clone()];
        let mut index: HashMap<Vec<usize>, u32> = HashMap::from([(Vec::new(), 0), (first, 1)]);
        let mut next = vec![[0u32; 10], [0u32; 10]];
        let mut current = 1;
        while current < sets.len() {
            for d in 0..10u8 {
                let targets: Vec<usize> = sets[current]
                    .iter()
                    .filter(|&&s| self.on[s].0 & (1 << d) != 0)
                    .map(|&s| self.on[s].1)
                    .collect();
                round += 1;
                let set = self.closure(&targets, &bits, &mut mark, round);
                let id = match index.get(&set) {
                    Some(&id) => id,
                    None => {
                        if sets.len() >= MAX_DFA_STATES {
                            return Err("automaton too large".to_owned());
                        }
                        let id = u32::try_from(sets.len()).map_err(|e| e.to_string())?;
                        index.insert(set.clone(), id);
                        sets.push(set);
                        next.push([0u32; 10]);
                        id
                    }
                };
                next[current][usize::from(d)] = id;
            }
            current += 1;
        }
        let accepting = sets
            .iter()
            .map(|set| set.iter().fold(0, |mask, &s| mask | bits[s]))
            .collect();
        Ok(Dfa {
            next,
            accepting,
            start: 1,
        })
    }
}

/// A deterministic automaton over the digits 0–9 for one or more patterns (components);
/// state 0 is dead.
#[derive(Debug)]
pub(super) struct Dfa {
    pub(super) next: Vec<[u32; 10]>,
    /// For each state, the components that accept there (bit `i` for pattern `i`).
    pub(super) accepting: Vec<u32>,
    pub(super) start: usize,
}

impl Dfa {
    /// An automaton for a pattern, exactly.
    #[cfg(test)]
    pub(super) fn compile(pattern: &str) -> Result<Self, String> {
        Self::compile_all(&[pattern], false)
    }

    /// An automaton that matches at least what the pattern matches (anchors ignored): enough
    /// to tell that a prefix cannot be there.
    pub(super) fn compile_loose(pattern: &str) -> Result<Self, String> {
        Self::compile_all(&[pattern], true)
    }

    /// One automaton for several patterns (at most 32), pattern `i` being component `i`.
    pub(super) fn compile_all(patterns: &[&str], lenient: bool) -> Result<Self, String> {
        if patterns.len() > 32 {
            return Err("too many patterns".to_owned());
        }
        let mut nfa = Nfa::default();
        let start = nfa.add()?;
        let mut accepts = Vec::with_capacity(patterns.len());
        for pattern in patterns {
            let chars: Vec<char> = pattern.chars().filter(|c| !c.is_whitespace()).collect();
            if chars.contains(&'#') {
                // A comment in the crate's whitespace-insensitive mode.
                return Err("`#` in a pattern".to_owned());
            }
            let mut parser = Parser {
                chars: &chars,
                pos: 0,
                lenient,
            };
            let tree = parser.alternation()?;
            if parser.pos != chars.len() {
                return Err(format!("unexpected {:?} at {}", parser.peek(), parser.pos));
            }
            let (entry, exit) = nfa.fragment(&tree)?;
            nfa.epsilon[start].push(entry);
            accepts.push(exit);
        }
        nfa.determinize(start, &accepts)
    }

    /// One step; `digit` is 0–9.
    #[inline]
    pub(super) fn step(&self, state: usize, digit: u8) -> usize {
        self.next[state][usize::from(digit)] as usize
    }

    /// The components that match the whole digit string (anchored `^(?:…)$` matches).
    pub(super) fn full_mask(&self, digits: &[u8]) -> u32 {
        let mut state = self.start;
        for &d in digits {
            state = self.step(state, d);
            if state == 0 {
                return 0;
            }
        }
        self.accepting[state]
    }

    /// Whether the whole digit string matches.
    #[cfg(test)]
    pub(super) fn full_match(&self, digits: &[u8]) -> bool {
        self.full_mask(digits) != 0
    }

    /// The components that match some prefix of the digit string, the empty one included
    /// (`^(?:…)` matches).
    pub(super) fn prefix_mask(&self, digits: &[u8]) -> u32 {
        let mut state = self.start;
        let mut mask = self.accepting[state];
        for &d in digits {
            state = self.step(state, d);
            if state == 0 {
                break;
            }
            mask |= self.accepting[state];
        }
        mask
    }

    /// Whether some prefix of the digit string, the empty one included, matches.
    pub(super) fn prefix_match(&self, digits: &[u8]) -> bool {
        self.prefix_mask(digits) != 0
    }
}
