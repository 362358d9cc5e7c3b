//! What the agent's screen reads about a contact: the card (name, phones, e-mail, the file's
//! extra fields, this person's history), the script's values for it, corrections of its phone
//! or e-mail, and the agent's progress in a campaign.

use std::collections::BTreeMap;

use super::contact::ContactStatus;
use super::perm::{Action, Actor};
use super::script::placeholder_name;
use crate::i18n::tf;

/// At most this many entries of a person's history are read.
pub const HISTORY_LIMIT: usize = 50;

/// What happened to a person: a call attempt, or a correction of a contact's phone or e-mail.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum HistoryKind {
    /// A call attempt with its outcome.
    Attempt,
    /// An agent corrected the phone or the e-mail.
    Correction,
}

/// The contact data an agent may correct.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum ChangeField {
    /// The phone dialled.
    Phone,
    /// The e-mail.
    Email,
}

impl ChangeField {
    /// The stable code stored in `contact_changes.field`.
    pub fn code(self) -> &'static str {
        match self {
            ChangeField::Phone => "phone",
            ChangeField::Email => "email",
        }
    }

    /// The field of a stored code.
    pub fn from_code(code: &str) -> Option<ChangeField> {
        match code {
            "phone" => Some(ChangeField::Phone),
            "email" => Some(ChangeField::Email),
            _ => None,
        }
    }
}

/// A correction: which field, what it held and what it holds now.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Change {
    /// Phone or e-mail.
    pub field: ChangeField,
    /// The value before (a phone as stored, `+573001234567`; empty: there was none).
    pub old: String,
    /// The value after.
    pub new: String,
}

/// One entry of a person's history, in this campaign or another.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct HistoryEntry {
    /// When (UTC seconds): the attempt's start, or the correction.
    pub at: i64,
    /// The campaign's name.
    pub campaign: String,
    /// Who called or corrected (the user's name).
    pub agent: String,
    /// An attempt: the outcome's name (catalog text). A correction: the field's code
    /// (`phone`, `email`); its words come from [`HistoryEntry::what`].
    pub outcome: String,
    /// The attempt's notes (empty for a correction).
    pub notes: String,
    /// The phone dialled, as stored (empty for a correction).
    pub phone: String,
    /// The attempt's coded reason ("No interesado").
    pub reason: Option<String>,
    /// An attempt or a correction.
    pub kind: HistoryKind,
    /// A correction's old and new values.
    pub change: Option<Change>,
}

impl HistoryEntry {
    /// What happened, in words: the outcome, or "Corrigió el teléfono: antes …, ahora …"
    /// (phones formatted for reading).
    pub fn what(&self) -> String {
        match (&self.kind, &self.change) {
            (HistoryKind::Correction, Some(c)) => {
                let shown = |v: &str| match c.field {
                    ChangeField::Phone => super::format::phone(v),
                    ChangeField::Email => v.to_owned(),
                };
                let key = match c.field {
                    ChangeField::Phone => "card.history_phone",
                    ChangeField::Email => "card.history_email",
                };
                let old = if c.old.is_empty() {
                    crate::i18n::t("card.history_none")
                } else {
                    shown(&c.old)
                };
                tf(key, &[("old", &old), ("new", &shown(&c.new))])
            }
            _ => self.outcome.clone(),
        }
    }
}

/// The contact as the agent's screen shows it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Card {
    /// The campaign contact.
    pub contact_id: i64,
    /// The person (one human across campaigns).
    pub person_id: i64,
    /// Full name (every name column of the file).
    pub name: String,
    /// The phone to dial, E.164 as stored (`+573001234567`).
    pub phone: String,
    /// Other phones, E.164 as stored, in order.
    pub alternates: Vec<String>,
    /// E-mail.
    pub email: Option<String>,
    /// Document number.
    pub document: Option<String>,
    /// Program of interest.
    pub program: Option<String>,
    /// City.
    pub city: Option<String>,
    /// The file's extra columns: (header, value), in the file's order, empty values skipped.
    pub fields: Vec<(String, String)>,
    /// Attempts so far in this campaign.
    pub attempts: i64,
    /// Where the contact stands.
    pub status: ContactStatus,
    /// The agreed callback (UTC seconds), when one is scheduled.
    pub callback_at: Option<i64>,
    /// This person's attempts (this and other campaigns) and corrections, newest first, at
    /// most [`HISTORY_LIMIT`].
    pub history: Vec<HistoryEntry>,
}

impl Card {
    /// The contact as the queue offers it (`call next`).
    pub fn as_next(&self) -> super::call::NextContact {
        super::call::NextContact {
            contact_id: self.contact_id,
            name: self.name.clone(),
            phone: self.phone.clone(),
            alt_phones: self.alternates.join(","),
            email: self.email.clone(),
            attempts: self.attempts,
            callback: self.status == ContactStatus::Agendado,
        }
    }

    /// The script's placeholder values for this contact (use with
    /// [`render`](super::script::render), after the reading values of who calls): `nombre`,
    /// `telefono` (`300 123 4567`), `correo`, `programa`, `ciudad`, `documento`, and each extra
    /// column under [`placeholder_name`] of its header (never over a base one).
    pub fn values(&self) -> BTreeMap<String, String> {
        let mut v = BTreeMap::new();
        let mut put = |k: &str, val: Option<&str>| {
            if let Some(val) = val.map(str::trim).filter(|s| !s.is_empty()) {
                v.insert(k.to_owned(), val.to_owned());
            }
        };
        put("nombre", Some(&self.name));
        put("telefono", Some(&super::format::phone(&self.phone)));
        put("correo", self.email.as_deref());
        put("programa", self.program.as_deref());
        put("ciudad", self.city.as_deref());
        put("documento", self.document.as_deref());
        for (header, value) in &self.fields {
            let key = placeholder_name(header);
            if !key.is_empty() && !value.trim().is_empty() {
                v.entry(key).or_insert_with(|| value.trim().to_owned());
            }
        }
        v
    }
}

/// The file's extra fields of a contact in the order of its batch's columns (`columns`); a
/// field the batch did not record (an older import) follows in name order; empty values are
/// skipped.
pub fn ordered_fields(
    columns: &[String],
    extra: &BTreeMap<String, String>,
) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut put = |k: &str, v: &str| {
        if !v.trim().is_empty() && !out.iter().any(|(h, _)| h == k) {
            out.push((k.to_owned(), v.trim().to_owned()));
        }
    };
    for c in columns {
        if let Some(v) = extra.get(c) {
            put(c, v);
        }
    }
    for (k, v) in extra {
        put(k, v);
    }
    out
}

/// The columns of several batches, in order, each header once.
pub fn union_columns<I, L>(lists: I) -> Vec<String>
where
    I: IntoIterator<Item = L>,
    L: IntoIterator<Item = String>,
{
    let mut out: Vec<String> = Vec::new();
    for list in lists {
        for c in list {
            let c = c.trim().to_owned();
            if !c.is_empty() && !out.contains(&c) {
                out.push(c);
            }
        }
    }
    out
}

/// A phone as the store keeps it (`+` and 8 to 15 digits, no leading zero), from the E.164
/// digits a caller normalised (`573001234567` or `+573001234567`); `None` for anything else.
pub fn stored_phone(e164: &str) -> Option<String> {
    let s = e164.trim();
    let digits = s.strip_prefix('+').unwrap_or(s);
    let ok = (8..=15).contains(&digits.len())
        && digits.chars().all(|c| c.is_ascii_digit())
        && !digits.starts_with('0');
    ok.then(|| format!("+{digits}"))
}

/// Whether the actor oversees the agents (the head and the professional): it reads any
/// contact's card and any agent's progress.
pub fn supervises(actor: &Actor) -> bool {
    match actor {
        Actor::User { role, .. } => super::perm::allowed(*role, Action::ViewAllBriefs),
        Actor::Cli { .. } => true,
    }
}

/// The agent's progress in a campaign.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Progress {
    /// Contacts that are the agent's (by the distribution, moved to it, or held).
    pub assigned: i64,
    /// Those closed (a final outcome, attempts spent, opted out).
    pub done: i64,
    /// The agent's attempts in this campaign since local midnight.
    pub today_calls: i64,
    /// Those with an outcome that means the person was reached.
    pub today_reached: i64,
}

/// Local midnight (UTC seconds) of the day `now` falls on in `tz`, and the next one.
pub fn day_bounds(now: i64, tz: chrono_tz::Tz) -> (i64, i64) {
    let local = chrono::DateTime::from_timestamp(now, 0)
        .unwrap_or_default()
        .with_timezone(&tz)
        .date_naive();
    super::format::day_bounds(local, tz)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card() -> Card {
        Card {
            contact_id: 1,
            person_id: 1,
            name: "María José Rojas Peña".into(),
            phone: "+573001234567".into(),
            alternates: vec!["+576015551234".into()],
            email: Some("mjrojas@example.com".into()),
            document: None,
            program: Some("Psicología".into()),
            city: Some(" ".into()),
            fields: vec![
                ("Colegio".into(), "INEM".into()),
                ("Nombre".into(), "no pisa la base".into()),
            ],
            attempts: 0,
            status: ContactStatus::Pendiente,
            callback_at: None,
            history: Vec::new(),
        }
    }

    #[test]
    fn the_values_fill_the_script_for_this_contact() {
        let v = card().values();
        assert_eq!(v["nombre"], "María José Rojas Peña");
        assert_eq!(v["telefono"], "300 123 4567");
        assert_eq!(v["correo"], "mjrojas@example.com");
        assert_eq!(v["programa"], "Psicología");
        assert_eq!(v["colegio"], "INEM");
        assert!(!v.contains_key("ciudad"), "blank values stay out");
        assert!(!v.contains_key("documento"));
        let text = crate::domain::script::render("Hola {nombre}, del {Colegio} ({ciudad})", &v);
        assert_eq!(text, "Hola María José Rojas Peña, del INEM («ciudad»)");
    }

    #[test]
    fn fields_follow_the_files_order() {
        let extra: BTreeMap<String, String> = [
            ("Colegio", "INEM"),
            ("Acudiente", "Rosa"),
            ("Vacío", " "),
            ("Antiguo", "x"),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
        let cols = vec!["Colegio".to_owned(), "Vacío".into(), "Acudiente".into()];
        let f = ordered_fields(&cols, &extra);
        let heads: Vec<&str> = f.iter().map(|(h, _)| h.as_str()).collect();
        assert_eq!(heads, ["Colegio", "Acudiente", "Antiguo"]);
        assert_eq!(
            union_columns([
                vec!["Colegio".to_owned(), "Grado".into()],
                vec!["Grado".into(), " ".into(), "Jornada".into()],
            ]),
            ["Colegio", "Grado", "Jornada"]
        );
    }

    #[test]
    fn stored_phones_are_e164_digits() {
        assert_eq!(
            stored_phone("573001234567").as_deref(),
            Some("+573001234567")
        );
        assert_eq!(
            stored_phone(" +573001234567 ").as_deref(),
            Some("+573001234567")
        );
        for bad in [
            "",
            "+",
            "300 123 4567",
            "3001234",
            "0573001234567",
            "+57300123456789012",
            "abc",
        ] {
            assert_eq!(stored_phone(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn today_starts_at_local_midnight() {
        let tz = chrono_tz::America::Bogota;
        // 2026-12-01 10:00 in Bogotá = 15:00 UTC; midnight there = 05:00 UTC.
        let ten = 1_796_137_200;
        let (start, end) = day_bounds(ten, tz);
        assert_eq!(start, ten - 10 * 3600);
        assert_eq!(end, start + 86_400);
        // 23:30 local is still the same day; 00:00 local starts the next one.
        assert_eq!(day_bounds(start + 86_400 - 1800, tz).0, start);
        assert_eq!(day_bounds(end, tz).0, end);
    }

    #[test]
    fn a_correction_reads_in_words() {
        let e = HistoryEntry {
            at: 0,
            campaign: "C".into(),
            agent: "Ana".into(),
            outcome: "phone".into(),
            notes: String::new(),
            phone: String::new(),
            reason: None,
            kind: HistoryKind::Correction,
            change: Some(Change {
                field: ChangeField::Phone,
                old: "+573001234567".into(),
                new: "+573109876543".into(),
            }),
        };
        let es = crate::i18n::with_lang(crate::i18n::Lang::Es, || e.what());
        assert!(
            es.contains("300 123 4567") && es.contains("310 987 6543"),
            "{es}"
        );
        let en = crate::i18n::with_lang(crate::i18n::Lang::En, || e.what());
        assert_ne!(es, en);
        assert_eq!(ChangeField::from_code("email"), Some(ChangeField::Email));
        assert_eq!(ChangeField::from_code("x"), None);
    }
}
