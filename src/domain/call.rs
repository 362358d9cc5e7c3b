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
