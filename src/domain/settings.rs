//! Institution-wide settings.

use super::calendar::{CallWindows, HolidayEdits};
use super::{Field, FieldError};

/// The coded reasons of "No interesado" by default (`settings.no_interest_reasons`).
pub const DEFAULT_NO_INTEREST_REASONS: [&str; 6] = [
    "precio",
    "financiacion",
    "horario",
    "otra_institucion",
    "no_cumple_requisitos",
    "otro",
];

/// The longest reason code accepted (it is stored with every attempt).
pub const MAX_REASON_LEN: usize = 60;

fn default_reasons() -> Vec<String> {
    DEFAULT_NO_INTEREST_REASONS
        .iter()
        .map(|c| (*c).to_owned())
        .collect()
}

fn default_click_to_call() -> String {
    super::call::DEFAULT_CLICK_TO_CALL.to_owned()
}

/// Settings every desk shares (kept in the database).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Settings {
    /// IANA time zone for "today", weeks and calling windows.
    pub time_zone: String,
    /// 12-hour clock ("4:20 p. m.") when true, 24-hour ("16:20") when false.
    pub hour12: bool,
    /// When calls may be placed, by weekday (Ley 2300 de 2023 by default).
    pub call_windows: CallWindows,
    /// Days added to or removed from the computed public holidays.
    pub holidays: HolidayEdits,
    /// The codes an agent picks from when the outcome is "No interesado" (negativo), in order.
    #[serde(default = "default_reasons")]
    pub no_interest_reasons: Vec<String>,
    /// How "Llamar" dials: a link (`tel:{telefono}`, `sip:{telefono}@pbx`) or a softphone's
    /// command line (`"C:\Program Files\MicroSIP\microsip.exe" {numero}`); see
    /// [`dial_target`](super::call::dial_target).
    #[serde(default = "default_click_to_call")]
    pub click_to_call: String,
    /// The head's e-mail address: where "Enviar a jefatura" sends the weekly report (users
    /// have no e-mail of their own). Empty: not set.
    #[serde(default)]
    pub head_email: String,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            time_zone: "America/Bogota".to_owned(),
            hour12: true,
            call_windows: CallWindows::default(),
            holidays: HolidayEdits::default(),
            no_interest_reasons: default_reasons(),
            click_to_call: default_click_to_call(),
            head_email: String::new(),
        }
    }
}

/// The words of a reason code: the locale's label for a default code, the code as typed for
/// one the institution added.
pub fn reason_label(code: &str) -> String {
    let text = crate::i18n::t(&format!("no_interest.{code}"));
    if text.starts_with("[[") {
        code.to_owned()
    } else {
        text
    }
}

/// Reads a list of reason codes written one a line or separated by `|` (blank ones dropped).
pub fn parse_reasons(text: &str) -> Vec<String> {
    text.split(['|', '\n'])
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The settings text of a list of reason codes: `precio|financiacion|…`.
pub fn reasons_text(codes: &[String]) -> String {
    codes
        .iter()
        .map(|c| c.trim())
        .filter(|c| !c.is_empty())
        .collect::<Vec<_>>()
        .join("|")
}

impl Settings {
    /// The time zone, or Bogotá when the stored name is unknown.
    pub fn tz(&self) -> chrono_tz::Tz {
        self.time_zone.parse().unwrap_or(chrono_tz::America::Bogota)
    }

    /// The reasons of "No interesado" as `(code, words)`, in the settings' order.
    pub fn no_interest_reason_choices(&self) -> Vec<(String, String)> {
        self.no_interest_reasons
            .iter()
            .map(|c| (c.clone(), reason_label(c)))
            .collect()
    }

    /// The reason code of the list that `given` names (its code, any case), if any.
    pub fn no_interest_reason(&self, given: &str) -> Option<&str> {
        let given = given.trim();
        self.no_interest_reasons
            .iter()
            .find(|c| c.trim().to_lowercase() == given.to_lowercase())
            .map(String::as_str)
    }

    /// Checks the fields.
    pub fn validate(&self) -> Result<(), FieldError> {
        self.time_zone
            .parse::<chrono_tz::Tz>()
            .map_err(|_| FieldError::new(Field::TimeZone, "settings.err_time_zone"))?;
        if !self.call_windows.is_valid() {
            return Err(FieldError::new(
                Field::CallWindows,
                "calendar.err_call_window",
            ));
        }
        self.validate_reasons()?;
        if let Some(m) = super::call::click_to_call_problem(&self.click_to_call) {
            return Err(FieldError::of(Field::ClickToCall, m));
        }
        let head = self.head_email.trim();
        if !head.is_empty() && !super::weekly::is_email(head) {
            return Err(FieldError::new(Field::Email, "settings.err_head_email"));
        }
        Ok(())
    }

    fn validate_reasons(&self) -> Result<(), FieldError> {
        let codes = &self.no_interest_reasons;
        if codes.iter().all(|c| c.trim().is_empty()) {
            return Err(FieldError::new(
                Field::NoInterestReasons,
                "settings.err_reasons_empty",
            ));
        }
        for (i, c) in codes.iter().enumerate() {
            let code = c.trim();
            if code.is_empty() || code.contains('|') || code.chars().count() > MAX_REASON_LEN {
                return Err(FieldError::with(
                    Field::NoInterestReasons,
                    "settings.err_reason_bad",
                    &[("code", &code), ("max", &MAX_REASON_LEN)],
                ));
            }
            if codes[..i]
                .iter()
                .any(|o| o.trim().to_lowercase() == code.to_lowercase())
            {
                return Err(FieldError::with(
                    Field::NoInterestReasons,
                    "settings.err_reason_duplicate",
                    &[("code", &code)],
                ));
            }
        }
        Ok(())
    }

    /// Whether a call may be placed at `now` (UTC seconds) under these settings; if not, why
    /// and when calling may resume.
    pub fn may_call_at(&self, now: i64) -> Result<(), super::calendar::NotNow> {
        super::calendar::may_call_at(now, &self.call_windows, &self.holidays, self.tz())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Lang, with_lang};

    #[test]
    fn reasons_have_labels_and_custom_codes_show_as_typed() {
        let mut s = Settings::default();
        assert_eq!(s.validate(), Ok(()));
        s.no_interest_reasons.push("Vive lejos".into());
        let choices = with_lang(Lang::Es, || s.no_interest_reason_choices());
        assert_eq!(choices[0], ("precio".into(), "Precio".into()));
        assert_eq!(choices[1].1, "Financiación");
        assert_eq!(
            choices.last(),
            Some(&("Vive lejos".to_owned(), "Vive lejos".to_owned()))
        );
        assert_eq!(with_lang(Lang::En, || reason_label("precio")), "Price");
        assert_eq!(s.no_interest_reason(" PRECIO "), Some("precio"));
        assert_eq!(s.no_interest_reason("vive lejos"), Some("Vive lejos"));
        assert_eq!(s.no_interest_reason("caro"), None);
        assert_eq!(
            parse_reasons("precio|horario\n\n  otro  \n"),
            ["precio", "horario", "otro"]
        );
        assert_eq!(
            reasons_text(&[" precio ".into(), String::new(), "otro".into()]),
            "precio|otro"
        );
    }

    #[test]
    fn bad_reasons_and_dial_templates_are_refused_on_their_field() {
        let field = |s: &Settings| s.validate().err().map(|e| (e.field, e.key()));
        let with = |codes: &[&str]| Settings {
            no_interest_reasons: codes.iter().map(|c| (*c).to_owned()).collect(),
            ..Settings::default()
        };
        assert_eq!(
            field(&with(&[])),
            Some((Field::NoInterestReasons, "settings.err_reasons_empty"))
        );
        assert_eq!(
            field(&with(&["precio", "Precio"])),
            Some((Field::NoInterestReasons, "settings.err_reason_duplicate"))
        );
        assert_eq!(
            field(&with(&["a|b"])),
            Some((Field::NoInterestReasons, "settings.err_reason_bad"))
        );
        assert_eq!(
            field(&with(&[&"x".repeat(MAX_REASON_LEN + 1)])),
            Some((Field::NoInterestReasons, "settings.err_reason_bad"))
        );
        let dial = Settings {
            click_to_call: "tel:{tel}".into(),
            ..Settings::default()
        };
        assert_eq!(
            field(&dial),
            Some((Field::ClickToCall, "settings.err_click_to_call_unknown"))
        );
        assert!(
            with_lang(Lang::Es, || dial.validate().expect_err("bad").message()).contains("{tel}")
        );
    }
}
