//! Institution-wide settings.

use super::{Result, Store, require};
use crate::domain::calendar::{CallWindows, HolidayEdits};
use crate::domain::{Action, Actor, Settings};
use crate::params;

impl Store {
    /// The settings every desk shares.
    pub fn settings(&self) -> Result<Settings> {
        let rows = self.read(|c| c.query("SELECT key, value FROM settings", &[]))?;
        let mut s = Settings::default();
        for r in rows {
            match r.text(0).as_str() {
                "time_zone" => s.time_zone = r.text(1),
                "hour12" => s.hour12 = r.text(1) != "0",
                // An unreadable value (written by hand) keeps the default, as an unknown zone does.
                "call_windows" => match CallWindows::parse(&r.text(1)) {
                    Some(w) => s.call_windows = w,
                    None => log::warn!("settings: unreadable call_windows {:?}", r.text(1)),
                },
                "holidays" => match HolidayEdits::parse(&r.text(1)) {
                    Some(h) => s.holidays = h,
                    None => log::warn!("settings: unreadable holidays {:?}", r.text(1)),
                },
                "no_interest_reasons" => {
                    let codes = crate::domain::settings::parse_reasons(&r.text(1));
                    if !codes.is_empty() {
                        s.no_interest_reasons = codes;
                    }
                }
                "click_to_call" => s.click_to_call = r.text(1),
                "head_email" => s.head_email = r.text(1),
                _ => {}
            }
        }
        Ok(s)
    }

    /// Saves the settings (head only).
    pub fn save_settings(&self, actor: &Actor, s: &Settings) -> Result<()> {
        require(actor, Action::EditSettings)?;
        s.validate()?;
        self.write(|tx| {
            for (k, v) in [
                ("time_zone", s.time_zone.clone()),
                ("hour12", if s.hour12 { "1" } else { "0" }.to_owned()),
                ("call_windows", s.call_windows.to_text()),
                ("holidays", s.holidays.to_text()),
                (
                    "no_interest_reasons",
                    crate::domain::settings::reasons_text(&s.no_interest_reasons),
                ),
                ("click_to_call", s.click_to_call.trim().to_owned()),
                ("head_email", s.head_email.trim().to_owned()),
            ] {
                tx.conn.execute(
                    "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    params![k, v],
                )?;
            }
            tx.audit(actor, "settings.save", "settings", None, &s.time_zone)
        })
    }
}
