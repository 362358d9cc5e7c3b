//! Institution-wide settings.

use super::{Field, FieldError};

/// Settings every desk shares (kept in the database).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Settings {
    /// IANA time zone for "today", weeks and calling windows.
    pub time_zone: String,
    /// 12-hour clock ("4:20 p. m.") when true, 24-hour ("16:20") when false.
    pub hour12: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            time_zone: "America/Bogota".to_owned(),
            hour12: true,
        }
    }
}

impl Settings {
    /// The time zone, or Bogotá when the stored name is unknown.
    pub fn tz(&self) -> chrono_tz::Tz {
        self.time_zone.parse().unwrap_or(chrono_tz::America::Bogota)
    }

    /// Checks the fields.
    pub fn validate(&self) -> Result<(), FieldError> {
        self.time_zone
            .parse::<chrono_tz::Tz>()
            .map(|_| ())
            .map_err(|_| FieldError::new(Field::TimeZone, "settings.err_time_zone"))
    }
}
