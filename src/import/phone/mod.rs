//! Phone normalisation for contact imports.
//!
//! The rule (`shared/data/README.md`): a cell's text, trimmed and with one trailing `.0`
//! removed, holds a valid phone when libphonenumber parses it for the default region (CO) and
//! `is_valid_number` is true; the phone is kept as E.164. A cell may hold several numbers
//! (`300 123 4567 / 310 765 4321`): the whole cell is tried as one number first, and only when
//! it is not one valid number is it split on `/`, `,`, `;`, ` y `, ` o ` and line breaks.
//!
//! Two paths give the same answers:
//!
//! - The **fast path** takes the common shapes (digits with spaces, dashes, dots, parentheses
//!   and an optional leading `+` with the region's country code), keeps the digits and matches
//!   the national number against the region's own metadata from the `phonenumber` crate (the
//!   general, fixed-line, mobile, toll-free, … `national_number` patterns and their possible
//!   lengths), compiled once into one small automaton over the ten digits. About 50 ns a
//!   number (release build).
//! - The **full path** is `phonenumber::parse` (about 3.5 µs a number) for everything else:
//!   another country code, leading text (`Cel: 300 123 4567`), odd punctuation, extensions.
//!
//! Where the `phonenumber` crate departs from libphonenumber, libphonenumber's rule is kept:
//!
//! - A letter between the first and the last digit makes the text invalid. The crate reads any
//!   letter as a keypad digit (`300 200 19O2` would be valid); libphonenumber drops one or two
//!   stray letters and converts three or more. A typed letter means a wrong digit, so such
//!   numbers are rejected. Text before the first digit is skipped (as libphonenumber does), a
//!   trailing extension (`ext. 12`, `extensión 12`, `anexo 12`, `x12`) is dropped (E.164 has
//!   none), and after the last digit one or two letters are dropped and three or more are read
//!   as keypad digits (as libphonenumber does: `3001234567 casa` is not a valid number).
//! - The crate accepts a number when a pattern matches a *prefix* of it and its length is a
//!   possible one (so `46 1234 5678`, ten digits, passes as a fixed line); libphonenumber
//!   requires the whole national number to match. [`PhoneParser::parse_one`] and
//!   [`PhoneParser::parse_cell`] match whole numbers on both paths, for any country;
//!   [`PhoneParser::parse_full`] keeps the crate's own verdict, for comparing.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use phonenumber::metadata::{DATABASE, Database, Descriptor};
use phonenumber::{Metadata, PhoneNumber, country};

mod automaton;
mod landline;

use automaton::*;
pub use landline::{AREA_CODES, area_code, complete_landline};

/// A valid phone number as its E.164 digits without '+', e.g. 573001234567 (fits in u64).
pub type E164 = u64;

/// The E.164 text of a number: `+573001234567`.
pub fn e164_string(n: E164) -> String {
    format!("+{n}")
}

/// Parses `+573001234567` back: a `+` and 2 to 19 digits, the first not `0`. Only the form is
/// checked, not whether the number is valid.
pub fn parse_e164(s: &str) -> Option<E164> {
    let digits = s.strip_prefix('+')?;
    if !(2..=19).contains(&digits.len())
        || digits.starts_with('0')
        || !digits.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    digits.parse().ok()
}

/// Phone parsing for one default region: compiled once; cheap to share (`Send + Sync`), e.g. in
/// an `Arc` or a `OnceLock` (see [`colombia`]).
pub struct PhoneParser {
    /// The default region.
    id: country::Id,
    /// Its country calling code (57 for CO).
    code: u16,
    /// Whether no other region shares the country code (then its own patterns decide).
    own_code: bool,
    /// The default region's patterns (`None` if they use syntax the automata do not support).
    matcher: Option<RegionMatcher>,
    /// What the fast path needs (`None`: every text takes the full path).
    fast: Option<FastPath>,
    /// Patterns of other regions, compiled the first time a number of theirs shows up.
    others: Mutex<RegionCache>,
}

impl fmt::Debug for PhoneParser {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PhoneParser")
            .field("region", &self.id)
            .field("code", &self.code)
            .field("fast_path", &self.fast.is_some())
            .finish_non_exhaustive()
    }
}

/// Other regions' patterns by country code and region id (`None`: could not be compiled).
type RegionCache = HashMap<(u16, String), Option<Arc<RegionMatcher>>>;

/// The outcome of the fast path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FastOutcome {
    Valid(E164),
    Invalid,
    /// Not a shape the fast path handles: the full parse decides.
    Declined,
}

impl PhoneParser {
    /// A parser for a default region (`"CO"`, ISO 3166 code, any case); `None` for an unknown
    /// region code.
    pub fn new(region: &str) -> Option<Self> {
        let id: country::Id = region.trim().to_ascii_uppercase().parse().ok()?;
        let database: &'static Database = &DATABASE;
        let meta = database.by_id(id.as_ref())?;
        let code = meta.country_code();
        let own_code = database.region(&code).is_some_and(|r| r.len() == 1);
        let matcher = RegionMatcher::new(meta).ok();
        let fast = if own_code && matcher.is_some() {
            FastPath::new(meta).ok()
        } else {
            None
        };
        Some(Self {
            id,
            code,
            own_code,
            matcher,
            fast,
            others: Mutex::new(HashMap::new()),
        })
    }

    /// Whether the fast path is in use for this region (it is for CO).
    pub fn has_fast_path(&self) -> bool {
        self.fast.is_some()
    }

    /// The valid numbers in one cell, in order, without repeats: the whole cell if it is one
    /// valid number, else each valid part between `/`, `,`, `;`, ` y `, ` o ` and line breaks.
    pub fn parse_cell(&self, cell: &str) -> Vec<E164> {
        let text = clean(cell);
        if text.is_empty() {
            return Vec::new();
        }
        if let Some(n) = self.one(text) {
            return vec![n];
        }
        let parts = split_numbers(cell.trim());
        if parts.len() < 2 {
            return Vec::new();
        }
        let mut found = Vec::new();
        for part in parts {
            if let Some(n) = self.one(clean(part))
                && !found.contains(&n)
            {
                found.push(n);
            }
        }
        found
    }

    /// One number (fast path, falling back to the full parse); `None` if the text is not one
    /// valid number.
    pub fn parse_one(&self, text: &str) -> Option<E164> {
        self.one(clean(text))
    }

    /// The full libphonenumber parse alone (for tests and for comparing): the same text
    /// preparation as [`parse_one`](Self::parse_one) (trailing `.0`, letters, extension), then
    /// `phonenumber::parse` and the crate's own `is_valid`, prefix matching included.
    pub fn parse_full(&self, text: &str) -> Option<E164> {
        let prepared = prepare(clean(text))?;
        let number = phonenumber::parse(Some(self.id), prepared.as_ref()).ok()?;
        if !phonenumber::is_valid(&number) {
            return None;
        }
        let digits = national_digits(&number)?;
        e164(number.code().value(), &digits)
    }

    /// The fast path alone (for tests and benchmarks): `None` when the text is not a shape it
    /// handles, else `Some` of what [`parse_one`](Self::parse_one) returns.
    pub fn parse_fast(&self, text: &str) -> Option<Option<E164>> {
        match self.fast(clean(text)) {
            FastOutcome::Valid(n) => Some(Some(n)),
            FastOutcome::Invalid => Some(None),
            FastOutcome::Declined => None,
        }
    }

    /// One cleaned text.
    fn one(&self, text: &str) -> Option<E164> {
        match self.fast(text) {
            FastOutcome::Valid(n) => Some(n),
            FastOutcome::Invalid => None,
            FastOutcome::Declined => self.slow(text),
        }
    }

    /// The full path: `phonenumber::parse`, then whole-number validation.
    fn slow(&self, text: &str) -> Option<E164> {
        // The crate finds no number with fewer than two ASCII digits; skip its cost.
        if text.bytes().filter(u8::is_ascii_digit).take(2).count() < 2 {
            return None;
        }
        let prepared = prepare(text)?;
        let number = phonenumber::parse(Some(self.id), prepared.as_ref()).ok()?;
        let digits = national_digits(&number)?;
        let code = number.code().value();
        let valid = match &self.matcher {
            Some(matcher) if code == self.code && self.own_code => matcher.is_valid(&digits),
            _ => self.valid_for_code(code, &digits),
        };
        if valid { e164(code, &digits) } else { None }
    }

    /// The fast path over a cleaned text.
    fn fast(&self, text: &str) -> FastOutcome {
        let (Some(fast), Some(matcher)) = (&self.fast, &self.matcher) else {
            return FastOutcome::Declined;
        };
        let bytes = text.as_bytes();
        let (plus, body) = match bytes.split_first() {
            Some((b'+', rest)) => (true, rest),
            _ => (false, bytes),
        };
        let mut buffer = [0u8; MAX_FAST_DIGITS];
        let mut count = 0;
        for &b in body {
            match b {
                b'0'..=b'9' => {
                    // Longer than any national number even after a prefix and a country code.
                    let Some(slot) = buffer.get_mut(count) else {
                        return FastOutcome::Invalid;
                    };
                    *slot = b - b'0';
                    count += 1;
                }
                b' ' | b'-' | b'.' | b'(' | b')' => {}
                _ => return FastOutcome::Declined,
            }
        }
        let digits = &buffer[..count];
        // An international call prefix (00…): the full parse finds the country.
        if fast
            .idd
            .as_ref()
            .is_some_and(|idd| idd.prefix_match(digits))
        {
            return FastOutcome::Declined;
        }
        let after_code = digits.strip_prefix(fast.code_digits.as_slice());
        let national = match (plus, after_code) {
            (true, Some(rest)) => rest,
            (true, None) => return FastOutcome::Declined,
            (false, Some(rest)) => {
                // The crate always drops a leading country code here; libphonenumber only when
                // the rest is a national number and the whole is not (or is too long). Take
                // the fast path only when they agree.
                if (!matcher.general_matches(digits) && matcher.general_matches(rest))
                    || digits.len() > matcher.max_len
                {
                    rest
                } else {
                    return FastOutcome::Declined;
                }
            }
            (false, None) => digits,
        };
        // A national (trunk) prefix such as CO's 0 or 03: the full parse strips it.
        if (!fast.national_prefix.is_empty() && national.starts_with(&fast.national_prefix))
            || fast
                .national_prefix_for_parsing
                .as_ref()
                .is_some_and(|p| p.prefix_match(national))
        {
            return FastOutcome::Declined;
        }
        if matcher.is_valid(national) {
            e164(self.code, national).map_or(FastOutcome::Invalid, FastOutcome::Valid)
        } else {
            FastOutcome::Invalid
        }
    }

    /// Whether a national number is valid for a country code, choosing the region among those
    /// that share the code as libphonenumber does.
    fn valid_for_code(&self, code: u16, digits: &[u8]) -> bool {
        let database: &'static Database = &DATABASE;
        let Some(regions) = database.region(&code) else {
            return false;
        };
        if let [only] = regions.as_slice() {
            let meta = if *only == NON_GEOGRAPHIC {
                database.by_code(&code).and_then(|m| m.into_iter().next())
            } else {
                database.by_id(*only)
            };
            return meta.is_some_and(|meta| self.valid_in(meta, digits));
        }
        let national: String = digits.iter().map(|&d| char::from(b'0' + d)).collect();
        for region in regions {
            let Some(meta) = database.by_id(region) else {
                continue;
            };
            match meta.leading_digits() {
                Some(leading) => {
                    if leading.find(&national).is_some_and(|m| m.start() == 0) {
                        return self.valid_in(meta, digits);
                    }
                }
                None => {
                    if self.valid_in(meta, digits) {
                        return true;
                    }
                }
            }
        }
        false
    }

    /// Whether a national number is valid in one region (whole-number matching; the crate's
    /// own check if that region's patterns could not be compiled).
    fn valid_in(&self, meta: &'static Metadata, digits: &[u8]) -> bool {
        let key = (meta.country_code(), meta.id().to_owned());
        let matcher = {
            let mut others = self.others.lock().unwrap_or_else(PoisonError::into_inner);
            others
                .entry(key)
                .or_insert_with(|| RegionMatcher::new(meta).ok().map(Arc::new))
                .clone()
        };
        match matcher {
            Some(matcher) => matcher.is_valid(digits),
            None => {
                let national: String = digits.iter().map(|&d| char::from(b'0' + d)).collect();
                crate_type_known(meta, &national)
            }
        }
    }
}

/// A shared parser for region CO.
pub fn colombia() -> &'static PhoneParser {
    static PARSER: OnceLock<PhoneParser> = OnceLock::new();
    PARSER.get_or_init(|| PhoneParser::new("CO").expect("the phonenumber metadata has region CO"))
}

/// A phone a user typed (a correction on the agent's screen), as the store keeps it
/// (`+573001234567`): the same parser as imports, Colombia as the default country; `None` when
/// the text is not one valid number.
pub fn normalize_phone(text: &str) -> Option<String> {
    colombia().parse_one(text).map(e164_string)
}

/// The region id of non-geographic entities (+800, +808, …).
const NON_GEOGRAPHIC: &str = "001";

/// More digits than this cannot be a valid number, whatever the prefixes.
const MAX_FAST_DIGITS: usize = 32;

/// Trims the text and removes one trailing `.0` (a number that went through a spreadsheet).
fn clean(text: &str) -> &str {
    let text = text.trim();
    text.strip_suffix(".0").unwrap_or(text)
}

/// The parts of a cell between number separators: `/`, `,`, `;`, line breaks, ` y `, ` o `.
fn split_numbers(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut parts = Vec::new();
    let (mut start, mut i) = (0, 0);
    while i < bytes.len() {
        let word = |at: usize| bytes.get(at).copied();
        if matches!(bytes[i], b'/' | b',' | b';' | b'\n' | b'\r') {
            parts.push(&text[start..i]);
            i += 1;
            start = i;
        } else if matches!(bytes[i], b' ' | b'\t')
            && matches!(word(i + 1), Some(b'y' | b'Y' | b'o' | b'O'))
            && matches!(word(i + 2), Some(b' ' | b'\t'))
        {
            parts.push(&text[start..i]);
            i += 3;
            start = i;
        } else {
            i += 1;
        }
    }
    parts.push(&text[start..]);
    parts
}

/// Prepares a cleaned text for `phonenumber::parse` so that it reads it as libphonenumber
/// does: drops a trailing extension, rejects a letter between the first and the last digit,
/// and drops one or two letters after the last digit. `None`: not a valid number.
fn prepare(text: &str) -> Option<Cow<'_, str>> {
    let main = strip_extension(text);
    let first = main.find(char::is_numeric)?;
    let (last, last_char) = main.char_indices().rev().find(|(_, c)| c.is_numeric())?;
    let end = last + last_char.len_utf8();
    if main[first..end].chars().any(char::is_alphabetic) {
        return None;
    }
    let tail = &main[end..];
    let letters = tail.chars().filter(char::is_ascii_alphabetic).count();
    if (1..3).contains(&letters) {
        let mut kept = String::with_capacity(main.len());
        kept.push_str(&main[..end]);
        kept.extend(tail.chars().filter(|c| !c.is_ascii_alphabetic()));
        Some(Cow::Owned(kept))
    } else {
        Some(Cow::Borrowed(main))
    }
}

/// The text without a trailing extension (`ext. 12`, `Extensión: 12`, `anexo 12`, `x12`,
/// up to 7 digits and an optional `#`); the text itself if it has none.
fn strip_extension(text: &str) -> &str {
    let body = text.trim_end();
    let body = body.strip_suffix('#').unwrap_or(body);
    let before_digits = body.trim_end_matches(|c: char| c.is_ascii_digit());
    if !(1..=7).contains(&(body.len() - before_digits.len())) {
        return text;
    }
    let before = before_digits.trim_end_matches([' ', '\t', ',', '-', '\u{a0}']);
    let before = before.strip_suffix([':', '.']).unwrap_or(before);
    for marker in ["extensión", "extension", "extn", "ext", "anexo", "x"] {
        if let Some(main) = strip_suffix_ignore_case(before, marker) {
            if main.chars().next_back().is_some_and(char::is_alphabetic) {
                return text;
            }
            return main.trim_end();
        }
    }
    text
}

/// `text` without the suffix `suffix` (compared in lower case).
fn strip_suffix_ignore_case<'a>(text: &'a str, suffix: &str) -> Option<&'a str> {
    let mut chars = text.char_indices().rev();
    let mut start = text.len();
    for want in suffix.chars().rev() {
        let (at, got) = chars.next()?;
        if !got.to_lowercase().eq(want.to_lowercase()) {
            return None;
        }
        start = at;
    }
    Some(&text[..start])
}

/// The national number's digits (0–9 each, leading zeros kept).
fn national_digits(number: &PhoneNumber) -> Option<Vec<u8>> {
    number
        .national()
        .to_string()
        .bytes()
        .map(|b| b.is_ascii_digit().then(|| b - b'0'))
        .collect()
}

/// The E.164 value of a country code and national digits (`None` if it would overflow).
fn e164(code: u16, national: &[u8]) -> Option<E164> {
    national.iter().try_fold(u64::from(code), |acc, &d| {
        acc.checked_mul(10)?.checked_add(u64::from(d))
    })
}

/// The crate's own type check (`number_type != Unknown`): prefix matching, as a last resort.
fn crate_type_known(meta: &Metadata, national: &str) -> bool {
    let d = meta.descriptors();
    d.general().is_match(national)
        && validity_descriptors(meta)
            .into_iter()
            .flatten()
            .any(|desc| desc.is_match(national))
}

/// The descriptors whose match makes a number valid, in libphonenumber's order.
fn validity_descriptors(meta: &Metadata) -> [Option<&Descriptor>; 10] {
    let d = meta.descriptors();
    [
        d.premium_rate(),
        d.toll_free(),
        d.shared_cost(),
        d.voip(),
        d.personal_number(),
        d.pager(),
        d.uan(),
        d.voicemail(),
        d.fixed_line(),
        d.mobile(),
    ]
}

/// What the fast path needs besides the region's patterns.
#[derive(Debug)]
struct FastPath {
    /// The country code's digits (`[5, 7]`).
    code_digits: Vec<u8>,
    /// The international call prefix (`00…`).
    idd: Option<Dfa>,
    /// The national prefix for parsing (CO: `0` and a carrier code).
    national_prefix_for_parsing: Option<Dfa>,
    /// The national prefix (CO: `0`).
    national_prefix: Vec<u8>,
}

impl FastPath {
    fn new(meta: &Metadata) -> Result<Self, String> {
        let digits = |s: &str| -> Result<Vec<u8>, String> {
            s.bytes()
                .map(|b| b.is_ascii_digit().then(|| b - b'0'))
                .collect::<Option<Vec<u8>>>()
                .ok_or_else(|| format!("not digits: {s}"))
        };
        Ok(Self {
            code_digits: digits(&meta.country_code().to_string())?,
            idd: meta
                .international_prefix()
                .map(|p| Dfa::compile_loose(p.as_str()))
                .transpose()?,
            national_prefix_for_parsing: meta
                .national_prefix_for_parsing()
                .map(|p| Dfa::compile_loose(p.as_str()))
                .transpose()?,
            national_prefix: digits(meta.national_prefix().unwrap_or(""))?,
        })
    }
}

/// The validity patterns of one region, compiled together into one automaton whose
/// components are the general descriptor (bit 0) and the number types (premium rate, toll
/// free, …, fixed line, mobile: bits 1 and up).
#[derive(Debug)]
struct RegionMatcher {
    dfa: Dfa,
    /// For each length below 32, the components whose possible lengths allow it.
    allowed: [u32; 32],
    /// The longest possible length of any descriptor (libphonenumber's "too long").
    max_len: usize,
}

impl RegionMatcher {
    fn new(meta: &Metadata) -> Result<Self, String> {
        let d = meta.descriptors();
        let components: Vec<&Descriptor> = std::iter::once(d.general())
            .chain(validity_descriptors(meta).into_iter().flatten())
            .collect();
        let mut allowed = [0u32; 32];
        for (component, desc) in components.iter().enumerate() {
            let bit = 1u32 << component;
            if desc.possible_length().is_empty() {
                allowed.iter_mut().for_each(|a| *a |= bit);
            }
            for &length in desc.possible_length() {
                *allowed
                    .get_mut(usize::from(length))
                    .ok_or_else(|| format!("possible length {length}"))? |= bit;
            }
        }
        let patterns: Vec<&str> = components
            .iter()
            .map(|desc| desc.national_number().as_str())
            .collect();
        let all = [
            Some(d.general()),
            d.fixed_line(),
            d.mobile(),
            d.toll_free(),
            d.premium_rate(),
            d.shared_cost(),
            d.personal_number(),
            d.voip(),
            d.pager(),
            d.uan(),
            d.emergency(),
            d.voicemail(),
            d.short_code(),
            d.standard_rate(),
            d.carrier(),
            d.no_international(),
        ];
        let max_len = all
            .into_iter()
            .flatten()
            .flat_map(|desc| desc.possible_length().iter().copied())
            .max()
            .map_or(usize::MAX, usize::from);
        Ok(Self {
            dfa: Dfa::compile_all(&patterns, false)?,
            allowed,
            max_len,
        })
    }

    /// The components that match the whole number, with a possible length (libphonenumber's
    /// rule).
    fn matching(&self, digits: &[u8]) -> u32 {
        self.allowed
            .get(digits.len())
            .map_or(0, |&allowed| allowed & self.dfa.full_mask(digits))
    }

    /// libphonenumber's `is_valid_number` for a national number of this region: the general
    /// pattern and one of the types match.
    fn is_valid(&self, digits: &[u8]) -> bool {
        let matching = self.matching(digits);
        matching & 1 != 0 && matching & !1 != 0
    }

    /// Whether the general pattern matches the whole number.
    fn general_matches(&self, digits: &[u8]) -> bool {
        self.matching(digits) & 1 != 0
    }

    /// The crate's `is_valid`: a pattern matching a prefix is enough. To test the automata
    /// against its regexes.
    #[cfg(test)]
    fn crate_is_valid(&self, digits: &[u8]) -> bool {
        let matching = self
            .allowed
            .get(digits.len())
            .map_or(0, |&allowed| allowed & self.dfa.prefix_mask(digits));
        matching & 1 != 0 && matching & !1 != 0
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn area_codes_fold_like_every_other_comparison() {
        assert_eq!(area_code("NARIÑO"), Some(602));
        assert_eq!(area_code("Nariño"), Some(602));
        assert_eq!(area_code("Narino"), Some(602));
        assert_eq!(area_code("Bogotá D.C."), Some(601));
        assert_eq!(area_code("  medellín "), Some(604));
        assert_eq!(area_code("Leticia"), None);
        let parser = PhoneParser::new("CO").expect("CO");
        assert_eq!(
            complete_landline(&parser, "723 4567", Some("Nariño")),
            Some(576_027_234_567)
        );
        assert_eq!(complete_landline(&parser, "723 4567", None), None);
        assert_eq!(
            complete_landline(&parser, "300 123 4567", Some("Cali")),
            None
        );
    }
    use super::*;

    fn digits(s: &str) -> Vec<u8> {
        s.bytes().map(|b| b - b'0').collect()
    }

    #[test]
    fn automata_match_like_anchored_regexes() {
        let dfa = Dfa::compile("\n  (?:\n 46|\n 60\\d\\d\n )\\d{6}|(?:1\\d|[39])\\d{9}\n")
            .expect("compiles");
        assert!(dfa.full_match(&digits("46123456")));
        assert!(dfa.full_match(&digits("6012345678")));
        assert!(dfa.full_match(&digits("3001234567")));
        assert!(dfa.full_match(&digits("18001234567")));
        assert!(!dfa.full_match(&digits("4612345678")));
        assert!(dfa.prefix_match(&digits("4612345678")));
        assert!(!dfa.full_match(&digits("300123456")));
        assert!(!dfa.full_match(&[]));

        let dfa = Dfa::compile("0([3579]|4(?:[14]4|56))?").expect("compiles");
        assert!(dfa.full_match(&digits("0")));
        assert!(dfa.full_match(&digits("03")));
        assert!(dfa.full_match(&digits("0456")));
        assert!(!dfa.full_match(&digits("045")));
        assert!(dfa.prefix_match(&digits("045")));
        assert!(!dfa.prefix_match(&digits("3")));

        let dfa = Dfa::compile("[^0-8]{2,3}1*2+").expect("compiles");
        assert!(dfa.full_match(&digits("992")));
        assert!(dfa.full_match(&digits("999112")));
        assert!(!dfa.full_match(&digits("9911")));
        assert!(dfa.full_match(&digits("9992")));
        assert!(dfa.full_match(&digits("99922")));
        assert!(!dfa.full_match(&digits("89922")));
    }

    #[test]
    fn unsupported_syntax_is_an_error() {
        for pattern in [
            "\\s", "a", "^1", "1$", "(?i)1", "1{2}{3}", "[a]", "1{3,2}", "(1", "1)",
        ] {
            assert!(Dfa::compile(pattern).is_err(), "{pattern}");
        }
    }

    #[test]
    fn colombia_has_the_fast_path() {
        let parser = colombia();
        assert!(parser.has_fast_path());
        assert_eq!(parser.code, 57);
        let fast = parser.fast.as_ref().expect("fast path");
        assert_eq!(fast.code_digits, vec![5, 7]);
        assert_eq!(fast.national_prefix, vec![0]);
    }

    #[test]
    fn every_region_compiles() {
        let database: &Database = &DATABASE;
        let mut failures = Vec::new();
        for meta in database.iter() {
            if let Err(e) = RegionMatcher::new(meta) {
                failures.push(format!("{} patterns: {e}", meta.id()));
            }
            if let Err(e) = FastPath::new(meta) {
                failures.push(format!("{} prefixes: {e}", meta.id()));
            }
        }
        assert!(failures.is_empty(), "{failures:#?}");
    }

    /// A small deterministic generator (xorshift).
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }

    /// Digit strings near the region's examples and at random, of plausible lengths.
    fn samples(meta: &Metadata, rng: &mut Rng, count: usize) -> Vec<String> {
        let d = meta.descriptors();
        let examples: Vec<String> = std::iter::once(Some(d.general()))
            .chain(validity_descriptors(meta))
            .flatten()
            .filter_map(|desc| desc.example().map(str::to_owned))
            .collect();
        let mut out = Vec::with_capacity(count);
        for i in 0..count {
            let mut s: Vec<u8> = match examples.get(i % (examples.len() + 1)) {
                Some(example) => example.bytes().collect(),
                None => (0..4 + rng.below(10))
                    .map(|_| b'0' + rng.below(10) as u8)
                    .collect(),
            };
            // Change up to two digits, and sometimes the length.
            for _ in 0..rng.below(3) {
                if !s.is_empty() {
                    let at = rng.below(s.len() as u64) as usize;
                    s[at] = b'0' + rng.below(10) as u8;
                }
            }
            match rng.below(6) {
                0 => s.push(b'0' + rng.below(10) as u8),
                1 => {
                    s.pop();
                }
                _ => {}
            }
            if !s.is_empty() {
                out.push(String::from_utf8(s).expect("digits"));
            }
        }
        out
    }

    /// The automata, run with the crate's prefix rule, agree with the crate's regexes.
    #[test]
    fn automata_agree_with_the_crate_regexes() {
        let database: &Database = &DATABASE;
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        for region in [
            "CO", "VE", "EC", "ES", "US", "MX", "AR", "BR", "PE", "DE", "GB", "IT",
        ] {
            let meta = database.by_id(region).expect("region");
            let matcher = RegionMatcher::new(meta).expect("compiles");
            let mut valid = 0;
            for national in samples(meta, &mut rng, 3000) {
                let ours = matcher.crate_is_valid(&digits(&national));
                assert_eq!(
                    ours,
                    crate_type_known(meta, &national),
                    "{region} {national}"
                );
                valid += usize::from(ours);
            }
            assert!(valid > 100, "{region}: only {valid} valid samples");
        }
    }

    /// The same over every region of the metadata, with fewer samples each.
    #[test]
    fn automata_agree_with_the_crate_regexes_in_every_region() {
        let database: &Database = &DATABASE;
        let mut rng = Rng(0x2545_F491_4F6C_DD1D);
        let (mut checked, mut valid) = (0, 0);
        for meta in database.iter() {
            let matcher = RegionMatcher::new(meta).expect("compiles");
            for national in samples(meta, &mut rng, 100) {
                let ours = matcher.crate_is_valid(&digits(&national));
                assert_eq!(
                    ours,
                    crate_type_known(meta, &national),
                    "{} {national}",
                    meta.id()
                );
                checked += 1;
                valid += usize::from(ours);
            }
        }
        assert!(
            checked > 20_000 && valid > 5_000,
            "{checked} checked, {valid} valid"
        );
    }

    /// Where the two rules differ for CO: a pattern matching only a prefix of the number.
    #[test]
    fn whole_number_matching_rejects_what_the_crate_takes_by_prefix() {
        let database: &Database = &DATABASE;
        let meta = database.by_id("CO").expect("CO");
        let matcher = RegionMatcher::new(meta).expect("compiles");
        for national in ["4612345678", "90112345678"] {
            assert!(crate_type_known(meta, national), "{national}");
            assert!(matcher.crate_is_valid(&digits(national)), "{national}");
            assert!(!matcher.is_valid(&digits(national)), "{national}");
        }
        for national in [
            "46123456",
            "9011234567",
            "3001234567",
            "6015551234",
            "18001234567",
        ] {
            assert!(matcher.is_valid(&digits(national)), "{national}");
        }
    }

    #[test]
    fn text_preparation() {
        assert_eq!(clean("  3001234567.0 "), "3001234567");
        assert_eq!(clean("3001234567.0.0"), "3001234567.0");
        assert_eq!(strip_extension("601 555 1234 ext. 12"), "601 555 1234");
        assert_eq!(
            strip_extension("601 555 1234 Extensión: 120#"),
            "601 555 1234"
        );
        assert_eq!(strip_extension("601 555 1234 EXT 12"), "601 555 1234");
        assert_eq!(strip_extension("601 555 1234 anexo 3"), "601 555 1234");
        assert_eq!(strip_extension("601 555 1234x3"), "601 555 1234");
        assert_eq!(strip_extension("3x0 123 4567"), "3x0 123 4567");
        assert_eq!(
            strip_extension("601 555 1234 text 12"),
            "601 555 1234 text 12"
        );
        assert_eq!(strip_extension("3001234567"), "3001234567");
        assert_eq!(prepare("300 200 19O2"), None);
        assert_eq!(
            prepare("Cel: 300 123 4567").as_deref(),
            Some("Cel: 300 123 4567")
        );
        assert_eq!(
            prepare("300 123 4567 (a)").as_deref(),
            Some("300 123 4567 ()")
        );
        assert_eq!(
            prepare("300 123 4567 casa").as_deref(),
            Some("300 123 4567 casa")
        );
        assert_eq!(prepare("N/A"), None);
        assert_eq!(
            split_numbers("300 / 310, 320; 330 y 340 O 350\n360"),
            vec!["300 ", " 310", " 320", " 330", "340", "350", "360"]
        );
    }

    #[test]
    fn parser_is_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<PhoneParser>();
    }
}
