//! Institution-wide settings.

use super::calendar::{CallWindows, HolidayEdits};
use super::{Field, FieldError};

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
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            time_zone: "America/Bogota".to_owned(),
            hour12: true,
            call_windows: CallWindows::default(),
            holidays: HolidayEdits::default(),
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
            .map_err(|_| FieldError::new(Field::TimeZone, "settings.err_time_zone"))?;
        if !self.call_windows.is_valid() {
            return Err(FieldError::new(
                Field::CallWindows,
                "calendar.err_call_window",
            ));
        }
        Ok(())
    }

    /// Whether a call may be placed at `now` (UTC seconds) under these settings; if not, why
    /// and when calling may resume.
    pub fn may_call_at(&self, now: i64) -> Result<(), super::calendar::NotNow> {
        super::calendar::may_call_at(now, &self.call_windows, &self.holidays, self.tz())
    }
}
