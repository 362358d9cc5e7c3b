//! A call's outcome and what it does to the contact: the one definition of a contact's "best"
//! outcome (`UX.md`, "Indicators": per record its best outcome counts, not its last) and the
//! contact's derived state after an attempt.

use super::catalog::{Disposition, DispositionCategory};
use super::contact::ContactStatus;

/// How long a desk's claim on a contact lasts (seconds): a claim older than this counts as
/// free, so that a desk that crashed frees its contact.
pub const CLAIM_TTL_SECS: i64 = 15 * 60;

/// Whether a claim taken at `claimed_at` has expired at `now`.
pub fn claim_expired(claimed_at: i64, now: i64) -> bool {
    claimed_at < claim_cutoff(now)
}

/// Claims taken before this instant have expired at `now` (for conditions written in SQL).
pub fn claim_cutoff(now: i64) -> i64 {
    now - CLAIM_TTL_SECS
}

/// How good an outcome is for the campaign's indicators; the higher wins.
///
/// First whether the person was reached, so that "Contactabilidad" (records whose best outcome
/// is `reached`) counts every record reached at least once, whatever came after; then the
/// category: positivo > agendado > negativo and exclusión (a refusal) > tercero > no
/// contactado > número inválido (a wrong number says the least about the person). A catalog
/// disposition with an unusual `reached` flag still ranks by both, so custom dispositions
/// follow the same rule.
pub fn rank(d: &Disposition) -> (bool, u8) {
    (d.reached, category_rank(d.category))
}

/// The category's place in the ranking of [`rank`].
pub fn category_rank(c: DispositionCategory) -> u8 {
    match c {
        DispositionCategory::Positivo => 6,
        DispositionCategory::Agendado => 5,
        DispositionCategory::Negativo | DispositionCategory::Exclusion => 4,
        DispositionCategory::Tercero => 3,
        DispositionCategory::NoContactado => 2,
        DispositionCategory::NumeroInvalido => 1,
    }
}

/// Whether `new` replaces `best` as the contact's best outcome (on a tie the newer wins: its
/// notes and time are the ones worth showing).
pub fn is_better(new: &Disposition, best: Option<&Disposition>) -> bool {
    best.is_none_or(|b| rank(new) >= rank(b))
}

/// The campaign's retry rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryRules {
    /// Attempts after which a contact without a final outcome is closed.
    pub max_attempts: i64,
    /// Hours between two attempts on the same contact.
    pub min_hours_between: i64,
}

/// The contact's derived fields after an attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AfterOutcome {
    /// Pendiente (to be called again), agendado (a callback) or cerrado.
    pub status: ContactStatus,
    /// Attempts so far, this one included.
    pub attempts: i64,
    /// When the contact may be offered again (UTC seconds); `None` when closed.
    pub next_call_at: Option<i64>,
    /// The contact moves on to its next alternate phone (a wrong or dead number).
    pub next_phone: bool,
}

/// What an outcome does to a contact that had `attempts` attempts before it, at `now`:
/// - a final outcome closes it;
/// - a number that is final for the phone moves the contact to its next alternate phone (to be
///   called at once) when it has one, and closes it otherwise;
/// - a callback schedules it at the agreed time — even past `max_attempts`: the person asked;
/// - otherwise it is closed once `max_attempts` are spent, or called again after
///   `min_hours_between`.
pub fn after_outcome(
    d: &Disposition,
    attempts: i64,
    callback_at: Option<i64>,
    has_alternate: bool,
    rules: RetryRules,
    now: i64,
) -> AfterOutcome {
    let attempts = attempts.max(0) + 1;
    let closed = AfterOutcome {
        status: ContactStatus::Cerrado,
        attempts,
        next_call_at: None,
        next_phone: false,
    };
    if d.is_final {
        return closed;
    }
    if d.final_for_phone {
        return if has_alternate {
            AfterOutcome {
                status: ContactStatus::Pendiente,
                attempts,
                next_call_at: Some(now),
                next_phone: true,
            }
        } else {
            closed
        };
    }
    if let Some(at) = callback_at {
        return AfterOutcome {
            status: ContactStatus::Agendado,
            attempts,
            next_call_at: Some(at),
            next_phone: false,
        };
    }
    if attempts >= rules.max_attempts {
        return closed;
    }
    AfterOutcome {
        status: ContactStatus::Pendiente,
        attempts,
        next_call_at: Some(now + rules.min_hours_between.max(0) * 3600),
        next_phone: false,
    }
}

/// The contact `call next` offers.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct NextContact {
    /// The campaign contact.
    pub contact_id: i64,
    /// Name.
    pub name: String,
    /// The phone to dial, E.164 digits.
    pub phone: String,
    /// Other phones, E.164, comma-separated.
    pub alt_phones: String,
    /// E-mail.
    pub email: Option<String>,
    /// Attempts so far.
    pub attempts: i64,
    /// A callback the person asked for.
    pub callback: bool,
}

/// Why `call next` offers nothing now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoCallReason {
    /// Outside the calling windows (Sundays included).
    FueraDeHorario,
    /// A public holiday.
    Festivo,
    /// Nothing in the agent's queue is due.
    ColaVacia,
}

impl NoCallReason {
    /// The stable code of `CLI.md`.
    pub fn code(self) -> &'static str {
        match self {
            Self::FueraDeHorario => "fuera_de_horario",
            Self::Festivo => "festivo",
            Self::ColaVacia => "cola_vacia",
        }
    }

    /// The calendar's reason as `call next` reports it (Sunday is outside the windows).
    pub fn of(r: &super::calendar::NotNowReason) -> Self {
        match r {
            super::calendar::NotNowReason::Festivo(_) => Self::Festivo,
            super::calendar::NotNowReason::FueraDeHorario
            | super::calendar::NotNowReason::Domingo => Self::FueraDeHorario,
        }
    }
}

/// What `call next` gives: a contact, or why nothing may be called now and when that may
/// change (UTC seconds; `None`: unknown).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Next {
    /// Call this contact.
    Contact(NextContact),
    /// Nothing now.
    Nothing {
        /// Why.
        reason: NoCallReason,
        /// The calendar's reason, when it is the calendar (its words name the holiday).
        why: Option<super::calendar::NotNowReason>,
        /// When calling may resume.
        next_window: Option<i64>,
    },
}

/// What `call record` gives back: the attempt saved and the contact's state after it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recorded {
    /// The attempt's UUID (v7).
    pub attempt_uuid: String,
    /// The campaign contact.
    pub contact_id: i64,
    /// The contact's status after the outcome.
    pub status: ContactStatus,
    /// Attempts so far, this one included.
    pub attempts: i64,
    /// When the contact may be offered again (UTC seconds); `None` when closed.
    pub next_call_at: Option<i64>,
}

/// The phones after a wrong number: the first alternate becomes the phone to dial and the
/// wrong one is dropped. `None` when there is no alternate.
pub fn next_phone(alt_phones: &str) -> Option<(String, String)> {
    let mut rest = alt_phones
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty());
    let first = rest.next()?.to_owned();
    Some((first, rest.collect::<Vec<_>>().join(",")))
}

/// Whether the outcome needs a callback time ("Volver a llamar").
pub fn needs_callback(d: &Disposition) -> bool {
    d.category == DispositionCategory::Agendado
}

/// How long the agent may undo its last outcome (seconds): the window counts it down.
pub const UNDO_SECS: i64 = 10;

/// What the store accepts past [`UNDO_SECS`]: a click in the last second that reaches the disk
/// a little later, or two desks whose clocks differ slightly.
pub const UNDO_GRACE_SECS: i64 = 5;

/// Whether an outcome recorded at `recorded_at` may still be undone at `now`.
pub fn undo_open(recorded_at: i64, now: i64) -> bool {
    now - recorded_at <= UNDO_SECS + UNDO_GRACE_SECS
}

/// The local time of `at` (UTC seconds) in `tz`.
fn local(at: i64, tz: chrono_tz::Tz) -> Option<chrono::DateTime<chrono_tz::Tz>> {
    chrono::DateTime::from_timestamp(at, 0).map(|d| d.with_timezone(&tz))
}

/// The UTC seconds of `date` at `hour`:00 local time (a time skipped by a clock change reads
/// as the first instant after it).
fn local_hour(date: chrono::NaiveDate, hour: u32, tz: chrono_tz::Tz) -> Option<i64> {
    use chrono::TimeZone;
    let mut naive = match hour {
        24 => date.succ_opt()?.and_hms_opt(0, 0, 0)?,
        h => date.and_hms_opt(h, 0, 0)?,
    };
    for _ in 0..4 {
        if let Some(dt) = tz.from_local_datetime(&naive).earliest() {
            return Some(dt.timestamp());
        }
        naive += chrono::Duration::minutes(30);
    }
    None
}

/// The first instant of the local day of `at` in `tz` (midnight), UTC seconds: "today" for the
/// rule that a person reached today is not offered again the same day.
pub fn day_start(at: i64, tz: chrono_tz::Tz) -> i64 {
    local(at, tz)
        .and_then(|l| local_hour(l.date_naive(), 0, tz))
        .unwrap_or(at)
}

/// A time band of the day (local time). A retry goes to another band than the attempt before
/// it, so that a person who does not answer in the morning is tried in the afternoon.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Band {
    /// 7:00–12:00.
    Manana,
    /// 12:00–17:00.
    Tarde,
    /// 17:00–19:00.
    Noche,
}

impl Band {
    /// Every band, in the order of the day.
    pub const ALL: [Band; 3] = [Band::Manana, Band::Tarde, Band::Noche];

    /// The band's hours, local time: `start` included, `end` not.
    pub fn hours(self) -> (u32, u32) {
        match self {
            Band::Manana => (7, 12),
            Band::Tarde => (12, 17),
            Band::Noche => (17, 19),
        }
    }

    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Band::Manana => "manana",
            Band::Tarde => "tarde",
            Band::Noche => "noche",
        }
    }

    /// The band for the user ("mañana").
    pub fn label(self) -> String {
        crate::i18n::t(&format!("call.band_{}", self.code()))
    }

    /// The band of a local hour of the day (`None`: outside every band).
    pub fn of_hour(hour: u32) -> Option<Band> {
        Band::ALL.into_iter().find(|b| {
            let (start, end) = b.hours();
            (start..end).contains(&hour)
        })
    }

    /// The band of an instant (UTC seconds) in `tz`.
    pub fn at(at: i64, tz: chrono_tz::Tz) -> Option<Band> {
        use chrono::Timelike;
        local(at, tz).and_then(|l| Band::of_hour(l.hour()))
    }
}

/// The next band boundary (or midnight) strictly after `at`, local time in `tz`.
fn next_boundary(at: i64, tz: chrono_tz::Tz) -> Option<i64> {
    let l = local(at, tz)?;
    let date = l.date_naive();
    let mut hours: Vec<u32> = Band::ALL
        .iter()
        .flat_map(|b| [b.hours().0, b.hours().1])
        .collect();
    hours.push(24);
    hours.sort_unstable();
    hours
        .into_iter()
        .filter_map(|h| local_hour(date, h, tz))
        .find(|&t| t > at)
}

/// How far ahead [`retry_at`] looks for another band before it gives up on the band rule.
pub const BAND_LOOK_AHEAD_SECS: i64 = 7 * 86_400;

/// When a contact not reached at `attempt_at` may be called again: the earliest instant at or
/// after `attempt_at + min_hours_between` that is inside a calling window (the settings'
/// windows and holidays, in their zone) and in another time [`Band`] than the attempt's. When
/// no such instant comes within [`BAND_LOOK_AHEAD_SECS`] (a window that spans one band only),
/// the first permitted instant; when no window opens at all, the earliest instant by the rule.
pub fn retry_at(attempt_at: i64, min_hours_between: i64, s: &super::Settings) -> i64 {
    let tz = s.tz();
    let earliest = attempt_at + min_hours_between.max(0) * 3600;
    let window = |at: i64| super::calendar::next_window(at, &s.call_windows, &s.holidays, tz);
    let Some(first) = window(earliest) else {
        return earliest;
    };
    let before = Band::at(attempt_at, tz);
    let limit = earliest + BAND_LOOK_AHEAD_SECS;
    let mut at = first;
    // Each step moves past a band boundary or to the next window: a week has a few dozen.
    for _ in 0..200 {
        if at > limit {
            break;
        }
        if Band::at(at, tz) != before {
            return at;
        }
        match next_boundary(at, tz).and_then(window) {
            Some(next) if next > at => at = next,
            _ => break,
        }
    }
    first
}

/// How a softphone or the system is asked to dial (the `click_to_call` setting filled in).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DialTarget {
    /// A link opened by the system (`tel:+573001234567`, `sip:…`, `callto:…`).
    Url(String),
    /// A program and its arguments (a softphone's command line).
    Command(Vec<String>),
}

/// The default `click_to_call` setting: the system's `tel:` link.
pub const DEFAULT_CLICK_TO_CALL: &str = "tel:{telefono}";

/// The placeholders a `click_to_call` template may use: `{telefono}`, the E.164 number with
/// `+`; `{numero}`, the national digits (10 in Colombia).
pub const DIAL_PLACEHOLDERS: [&str; 2] = ["telefono", "numero"];

/// The national digits of an E.164 number: Colombia's 10 (`+573001234567` → `3001234567`);
/// for another country, the last 10 digits.
pub fn national_digits(e164: &str) -> String {
    let digits: String = e164.chars().filter(char::is_ascii_digit).collect();
    match digits.strip_prefix("57") {
        Some(rest) if rest.len() == 10 => rest.to_owned(),
        _ if digits.len() > 10 => digits[digits.len() - 10..].to_owned(),
        _ => digits,
    }
}

/// Whether a template is a link (`scheme:` of two or more letters and no space) rather than a
/// command line (`C:\…` has a one-letter "scheme": a drive).
fn is_url(template: &str) -> bool {
    let Some((scheme, _)) = template.split_once(':') else {
        return false;
    };
    scheme.len() >= 2
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && !template.contains(char::is_whitespace)
}

/// Splits a command line into words: spaces separate them, except inside double or single
/// quotes, which are removed; backslashes are kept as written (Windows paths). `None` when a
/// quote is left open.
pub fn split_command(line: &str) -> Option<Vec<String>> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    for c in line.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => word.push(c),
            None if c == '"' || c == '\'' => {
                quote = Some(c);
                in_word = true;
            }
            None if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            None => {
                word.push(c);
                in_word = true;
            }
        }
    }
    if quote.is_some() {
        return None;
    }
    if in_word {
        words.push(word);
    }
    Some(words)
}

fn fill_dial(text: &str, e164: &str) -> String {
    let plus = if e164.starts_with('+') {
        e164.to_owned()
    } else {
        format!("+{e164}")
    };
    text.replace("{telefono}", &plus)
        .replace("{numero}", &national_digits(e164))
}

/// What to open or run to dial `e164` with the `click_to_call` template: a link with the
/// number filled in, or the command line split into words (respecting quotes) with the number
/// filled into each word. An empty template gives the default `tel:` link.
pub fn dial_target(template: &str, e164: &str) -> DialTarget {
    let template = match template.trim() {
        "" => DEFAULT_CLICK_TO_CALL,
        t => t,
    };
    if is_url(template) {
        return DialTarget::Url(fill_dial(template, e164));
    }
    let words = split_command(template)
        .unwrap_or_else(|| template.split_whitespace().map(str::to_owned).collect());
    DialTarget::Command(words.iter().map(|w| fill_dial(w, e164)).collect())
}

/// What is wrong with a `click_to_call` template, in words made when shown: empty, no number
/// placeholder, an unknown `{placeholder}`, a quote left open.
pub fn click_to_call_problem(template: &str) -> Option<crate::i18n::Msg> {
    use crate::i18n::Msg;
    let template = template.trim();
    if template.is_empty() {
        return Some(Msg::new("settings.err_click_to_call_empty"));
    }
    let names = super::script::placeholders(template);
    if let Some(bad) = names
        .iter()
        .find(|n| !DIAL_PLACEHOLDERS.contains(&n.as_str()))
    {
        return Some(Msg::with(
            "settings.err_click_to_call_unknown",
            &[("text", &format!("{{{bad}}}"))],
        ));
    }
    if !template.contains("{telefono}") && !template.contains("{numero}") {
        return Some(Msg::new("settings.err_click_to_call_number"));
    }
    if !is_url(template) && split_command(template).is_none() {
        return Some(Msg::new("settings.err_click_to_call_quote"));
    }
    None
}

/// A call's survey answers as saved in `call_attempts.answers`: a JSON object, the question's
/// id (as text) → its answer (text, number, yes/no, or a list for multiple choice).
pub type Answers = serde_json::Map<String, serde_json::Value>;

/// Reads answers written as a JSON object (`{"1": "Sí", "2": ["A", "B"]}`); `None` when the
/// text is not one.
pub fn parse_answers(text: &str) -> Option<Answers> {
    match serde_json::from_str(text) {
        Ok(serde_json::Value::Object(m)) => Some(m),
        _ => None,
    }
}

/// Whether an answer says something: not null, not blank text, not an empty list.
pub fn is_answered(v: &serde_json::Value) -> bool {
    match v {
        serde_json::Value::Null => false,
        serde_json::Value::String(s) => !s.trim().is_empty(),
        serde_json::Value::Array(a) => a.iter().any(is_answered),
        _ => true,
    }
}

/// The questions (their text) that must be answered before an outcome that means the person
/// was reached and are not: required ones ([`Question::is_required`](super::script::Question::is_required);
/// sensitive questions are always optional), in the script's order.
pub fn missing_answers(content: &super::script::ScriptContent, answers: &Answers) -> Vec<String> {
    content
        .questions
        .iter()
        .filter(|q| q.is_required())
        .filter(|q| !answers.get(&q.id.to_string()).is_some_and(is_answered))
        .map(|q| q.text.clone())
        .collect()
}

/// The answers' keys that are no question of the script (a stale or mistyped id).
pub fn unknown_answers(content: &super::script::ScriptContent, answers: &Answers) -> Vec<String> {
    answers
        .keys()
        .filter(|k| !content.questions.iter().any(|q| q.id.to_string() == **k))
        .cloned()
        .collect()
}

/// An outcome to record (`call record`).
#[derive(Clone, Copy, Debug, Default)]
pub struct Outcome<'a> {
    /// The disposition's digit key or its code.
    pub key_or_code: &'a str,
    /// The coded reason ("No interesado").
    pub reason: Option<&'a str>,
    /// Free notes.
    pub notes: &'a str,
    /// The agreed callback time (UTC seconds), for a callback outcome.
    pub callback_at: Option<i64>,
    /// How long the call took.
    pub duration_secs: i64,
    /// The survey's answers: a JSON object, question id → answer
    /// ([`Answers`]). Required questions must be answered when
    /// the outcome reached the person.
    pub answers: Option<&'a str>,
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_claim_expires_after_its_ttl() {
        use super::{CLAIM_TTL_SECS, claim_expired};
        assert!(!claim_expired(1_000, 1_000));
        assert!(!claim_expired(1_000, 1_000 + CLAIM_TTL_SECS));
        assert!(claim_expired(1_000, 1_000 + CLAIM_TTL_SECS + 1));
    }

    use super::*;
    use crate::domain::catalog::DEFAULT_DISPOSITIONS;

    fn catalog() -> Vec<Disposition> {
        DEFAULT_DISPOSITIONS
            .iter()
            .enumerate()
            .map(
                |(i, (key, code, category, reached, is_final, ffp))| Disposition {
                    id: i as i64 + 1,
                    key: *key,
                    code: (*code).to_owned(),
                    name: (*code).to_owned(),
                    category: *category,
                    reached: *reached,
                    is_final: *is_final,
                    final_for_phone: *ffp,
                    active: true,
                },
            )
            .collect()
    }

    fn d(code: &str) -> Disposition {
        catalog()
            .into_iter()
            .find(|d| d.code == code)
            .expect("in the catalog")
    }

    const RULES: RetryRules = RetryRules {
        max_attempts: 3,
        min_hours_between: 4,
    };

    #[test]
    fn best_outcome_ranks_positive_first_and_reached_above_not_reached() {
        let order = [
            "interesado",
            "volver_a_llamar",
            "no_interesado",
            "tercero",
            "no_contesta",
            "numero_errado",
        ];
        for w in order.windows(2) {
            assert!(rank(&d(w[0])) > rank(&d(w[1])), "{} > {}", w[0], w[1]);
        }
        assert_eq!(rank(&d("encuesta_completa")), rank(&d("interesado")));
        assert_eq!(rank(&d("no_contactar")), rank(&d("no_interesado")));
        // Once reached, never back to not reached.
        assert!(!is_better(&d("no_contesta"), Some(&d("no_interesado"))));
        assert!(is_better(&d("interesado"), Some(&d("volver_a_llamar"))));
        assert!(
            is_better(&d("buzon"), Some(&d("no_contesta"))),
            "tie: newer"
        );
        assert!(is_better(&d("numero_errado"), None));
        // Every reached outcome ranks above every outcome that did not reach the person.
        let all = catalog();
        for a in all.iter().filter(|a| a.reached) {
            for b in all.iter().filter(|b| !b.reached) {
                assert!(rank(a) > rank(b), "{} > {}", a.code, b.code);
            }
        }
    }

    #[test]
    fn contact_state_after_each_kind_of_outcome() {
        let now = 1_000_000;
        let s = after_outcome(&d("interesado"), 0, None, false, RULES, now);
        assert_eq!(
            (s.status, s.attempts, s.next_call_at),
            (ContactStatus::Cerrado, 1, None)
        );
        let s = after_outcome(&d("no_contesta"), 0, None, false, RULES, now);
        assert_eq!(
            (s.status, s.attempts, s.next_call_at),
            (ContactStatus::Pendiente, 1, Some(now + 4 * 3600))
        );
        // The last allowed attempt closes the contact.
        let s = after_outcome(&d("ocupado"), 2, None, false, RULES, now);
        assert_eq!((s.status, s.attempts), (ContactStatus::Cerrado, 3));
        // A callback at the agreed time, even when attempts are spent.
        let at = now + 86_400;
        for before in [0, 5] {
            let s = after_outcome(&d("volver_a_llamar"), before, Some(at), false, RULES, now);
            assert_eq!(
                (s.status, s.next_call_at),
                (ContactStatus::Agendado, Some(at))
            );
        }
        assert!(needs_callback(&d("volver_a_llamar")));
        assert!(!needs_callback(&d("no_contesta")));
        // A wrong number: the next phone at once, or closed without one.
        let s = after_outcome(&d("numero_errado"), 0, None, true, RULES, now);
        assert_eq!(
            (s.status, s.next_call_at, s.next_phone),
            (ContactStatus::Pendiente, Some(now), true)
        );
        let s = after_outcome(&d("fuera_de_servicio"), 0, None, false, RULES, now);
        assert_eq!((s.status, s.next_phone), (ContactStatus::Cerrado, false));
        // Opt-out is final.
        let s = after_outcome(&d("no_contactar"), 0, None, false, RULES, now);
        assert_eq!(s.status, ContactStatus::Cerrado);
    }

    #[test]
    fn a_wrong_number_moves_to_the_first_alternate() {
        assert_eq!(next_phone(""), None);
        assert_eq!(next_phone(" , "), None);
        assert_eq!(
            next_phone("+573001112233"),
            Some(("+573001112233".to_owned(), String::new()))
        );
        assert_eq!(
            next_phone("+573001112233, +573004445566"),
            Some(("+573001112233".to_owned(), "+573004445566".to_owned()))
        );
    }
}

#[cfg(test)]
mod rule_tests {
    use super::*;
    use crate::domain::Settings;
    use crate::domain::calendar::{CallWindows, Window};
    use chrono::{NaiveDate, NaiveTime, Weekday};

    /// UTC seconds of a Bogotá local time (UTC−5).
    fn bogota(y: i32, m: u32, d: u32, h: u32, min: u32) -> i64 {
        NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|d| d.and_hms_opt(h, min, 0))
            .expect("date")
            .and_utc()
            .timestamp()
            + 5 * 3600
    }

    const BOGOTA: chrono_tz::Tz = chrono_tz::America::Bogota;

    #[test]
    fn bands_and_the_local_day() {
        assert_eq!(Band::of_hour(6), None);
        assert_eq!(Band::of_hour(7), Some(Band::Manana));
        assert_eq!(Band::of_hour(11), Some(Band::Manana));
        assert_eq!(Band::of_hour(12), Some(Band::Tarde));
        assert_eq!(Band::of_hour(17), Some(Band::Noche));
        assert_eq!(Band::of_hour(19), None);
        // 23:30 in Bogotá is the next day in UTC: the band and the day are local.
        assert_eq!(
            Band::at(bogota(2026, 12, 1, 18, 59), BOGOTA),
            Some(Band::Noche)
        );
        assert_eq!(
            day_start(bogota(2026, 12, 1, 23, 30), BOGOTA),
            bogota(2026, 12, 1, 0, 0)
        );
        assert_eq!(
            day_start(bogota(2026, 12, 2, 0, 0), BOGOTA),
            bogota(2026, 12, 2, 0, 0)
        );
        let labels: Vec<String> = crate::i18n::with_lang(crate::i18n::Lang::Es, || {
            Band::ALL.iter().map(|b| b.label()).collect()
        });
        assert_eq!(labels, ["mañana", "tarde", "noche"]);
    }

    #[test]
    fn a_retry_goes_to_another_band_inside_the_windows() {
        let s = Settings::default();
        let at = |h, m| bogota(2026, 12, 1, h, m); // Tuesday 1 December 2026
        for (attempt, hours, want, why) in [
            (
                at(10, 0),
                4,
                at(14, 0),
                "morning → afternoon, already another band",
            ),
            (
                at(12, 0),
                4,
                at(17, 0),
                "16:00 is still the afternoon: the evening",
            ),
            (at(13, 0), 4, at(17, 0), "17:00 is the evening"),
            (
                at(17, 30),
                4,
                bogota(2026, 12, 2, 7, 0),
                "after the window: the next morning",
            ),
            (
                at(8, 0),
                24,
                bogota(2026, 12, 2, 12, 0),
                "a day later in the morning again: that afternoon",
            ),
            (at(11, 30), 0, at(12, 0), "no wait: the next band"),
            (
                bogota(2026, 12, 5, 13, 0),
                1,
                bogota(2026, 12, 7, 7, 0),
                "Saturday closes at 15:00: Monday morning",
            ),
            (
                bogota(2026, 12, 7, 18, 0),
                4,
                bogota(2026, 12, 9, 7, 0),
                "8 December is a holiday",
            ),
        ] {
            assert_eq!(retry_at(attempt, hours, &s), want, "{why}");
        }
    }

    #[test]
    fn a_retry_falls_back_to_the_first_permitted_instant() {
        // Windows inside the morning only: no other band opens within a week.
        let morning = |day| Window {
            day,
            start: NaiveTime::from_hms_opt(8, 0, 0).expect("time"),
            end: NaiveTime::from_hms_opt(11, 0, 0).expect("time"),
        };
        let s = Settings {
            call_windows: CallWindows(
                [Weekday::Mon, Weekday::Tue, Weekday::Wed]
                    .into_iter()
                    .map(morning)
                    .collect(),
            ),
            ..Settings::default()
        };
        assert_eq!(
            retry_at(bogota(2026, 12, 1, 9, 0), 4, &s),
            bogota(2026, 12, 2, 8, 0)
        );
        // No window at all: the rule's earliest instant.
        let none = Settings {
            call_windows: CallWindows(Vec::new()),
            ..Settings::default()
        };
        let t = bogota(2026, 12, 1, 9, 0);
        assert_eq!(retry_at(t, 4, &none), t + 4 * 3600);
        // A negative wait counts as none.
        assert_eq!(
            retry_at(t, -3, &Settings::default()),
            bogota(2026, 12, 1, 12, 0)
        );
    }

    #[test]
    fn undo_is_open_for_its_window_and_a_grace() {
        assert!(undo_open(100, 100));
        assert!(undo_open(100, 100 + UNDO_SECS + UNDO_GRACE_SECS));
        assert!(!undo_open(100, 101 + UNDO_SECS + UNDO_GRACE_SECS));
    }

    #[test]
    fn dial_targets_from_links_and_command_lines() {
        let n = "+573001234567";
        assert_eq!(
            dial_target("tel:{telefono}", n),
            DialTarget::Url("tel:+573001234567".into())
        );
        assert_eq!(
            dial_target("", "573001234567"),
            DialTarget::Url("tel:+573001234567".into()),
            "empty: the default; the + is added"
        );
        assert_eq!(
            dial_target(" sip:{numero}@pbx.local ", n),
            DialTarget::Url("sip:3001234567@pbx.local".into())
        );
        assert_eq!(
            dial_target("callto:{telefono}", n),
            DialTarget::Url("callto:+573001234567".into())
        );
        assert_eq!(
            dial_target(r#""C:\Program Files\MicroSIP\microsip.exe" {numero}"#, n),
            DialTarget::Command(vec![
                r"C:\Program Files\MicroSIP\microsip.exe".into(),
                "3001234567".into()
            ])
        );
        assert_eq!(
            dial_target(r"C:\sip\call.exe {telefono}", n),
            DialTarget::Command(vec![r"C:\sip\call.exe".into(), "+573001234567".into()]),
            "a drive letter is no URL scheme"
        );
        assert_eq!(
            dial_target("'my phone'  --dial={numero} -x", n),
            DialTarget::Command(vec![
                "my phone".into(),
                "--dial=3001234567".into(),
                "-x".into()
            ])
        );
        assert_eq!(national_digits("+573001234567"), "3001234567");
        assert_eq!(national_digits("+6012345678"), "6012345678");
        assert_eq!(national_digits("+14155550123"), "4155550123");
        assert_eq!(split_command(r#"a "b c"#), None);
        assert_eq!(
            split_command(r#""" x"#),
            Some(vec![String::new(), "x".into()])
        );
    }

    #[test]
    fn click_to_call_templates_are_checked() {
        for ok in [
            "tel:{telefono}",
            "sip:{numero}@pbx",
            r#""C:\Program Files\MicroSIP\microsip.exe" {numero}"#,
        ] {
            assert_eq!(click_to_call_problem(ok), None, "{ok}");
        }
        let key = |t: &str| click_to_call_problem(t).map(|m| m.key);
        assert_eq!(key("  "), Some("settings.err_click_to_call_empty"));
        assert_eq!(key("tel:"), Some("settings.err_click_to_call_number"));
        assert_eq!(
            key("tel:{ telefono }"),
            Some("settings.err_click_to_call_number")
        );
        assert_eq!(
            click_to_call_problem("tel:{tel}"),
            Some(crate::i18n::Msg::with(
                "settings.err_click_to_call_unknown",
                &[("text", &"{tel}")]
            ))
        );
        assert_eq!(
            key(r#""C:\Program Files\x.exe {numero}"#),
            Some("settings.err_click_to_call_quote")
        );
    }

    #[test]
    fn required_answers_but_never_sensitive_ones() {
        use crate::domain::script::{Question, QuestionKind, ScriptContent};
        let q = |id, text: &str, required, sensitive| Question {
            id,
            text: text.into(),
            kind: QuestionKind::Texto,
            options: vec![],
            required,
            sensitive,
        };
        let content = ScriptContent {
            sections: vec![],
            questions: vec![
                q(1, "¿Qué programa le interesa?", true, false),
                q(2, "¿Tiene alguna discapacidad?", true, true),
                q(3, "¿Cómo nos conoció?", false, false),
                q(4, "¿Cuándo empezaría?", true, false),
            ],
        };
        let a = |t: &str| parse_answers(t).expect("an object");
        assert_eq!(
            missing_answers(&content, &a("{}")),
            ["¿Qué programa le interesa?", "¿Cuándo empezaría?"]
        );
        assert_eq!(
            missing_answers(&content, &a(r#"{"1": "  ", "4": [], "3": "radio"}"#)).len(),
            2,
            "blank text and an empty list are no answer"
        );
        assert!(missing_answers(&content, &a(r#"{"1": ["Derecho"], "4": false}"#)).is_empty());
        assert_eq!(
            missing_answers(&content, &a(r#"{"1": null, "4": 2027}"#)),
            ["¿Qué programa le interesa?"]
        );
        assert_eq!(parse_answers("[1]"), None);
        assert_eq!(parse_answers("{"), None);
        assert_eq!(
            unknown_answers(&content, &a(r#"{"1": "x", "9": 1}"#)),
            ["9"]
        );
    }
}
