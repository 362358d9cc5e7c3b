//! The date and time of a callback ("Volver a llamar") as the agent types it: `DD/MM/AAAA` (or
//! `AAAA-MM-DD`) and `16:30`, `4:30 p. m.`, `4 pm`, in the institution's time zone.

use chrono::{NaiveTime, TimeZone};

use super::brief::parse_date;
use super::{Field, FieldError};

/// A time of day as typed: `16:30`, `16.30`, `4:30 pm`, `4:30 p. m.`, `4 p.m.`, `9` (24-hour).
pub fn parse_time(text: &str) -> Option<NaiveTime> {
    let s = text.trim().to_lowercase();
    let compact: String = s
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '.')
        .collect();
    let (digits, pm) = if let Some(d) = compact.strip_suffix("pm") {
        (d.to_owned(), Some(true))
    } else if let Some(d) = compact.strip_suffix("am") {
        (d.to_owned(), Some(false))
    } else {
        (s.replace('.', ":").replace(' ', ""), None)
    };
    let (h, m) = match digits.split_once(':') {
        Some((h, m)) => (h.parse::<u32>().ok()?, m.parse::<u32>().ok()?),
        None => (digits.parse::<u32>().ok()?, 0),
    };
    let h = match pm {
        Some(pm) => {
            if !(1..=12).contains(&h) {
                return None;
            }
            match (pm, h) {
                (true, 12) => 12,
                (true, h) => h + 12,
                (false, 12) => 0,
                (false, h) => h,
            }
        }
        None => h,
    };
    NaiveTime::from_hms_opt(h, m, 0)
}

/// The callback's instant (UTC seconds) from the typed date and time, which must lie after
/// `now`. Errors name the field to fix.
pub fn callback_at(date: &str, time: &str, tz: chrono_tz::Tz, now: i64) -> Result<i64, FieldError> {
    let err = FieldError::new;
    if date.trim().is_empty() {
        return Err(err(Field::CallbackDate, "callback.err_date_missing"));
    }
    let d = parse_date(date).ok_or_else(|| err(Field::CallbackDate, "callback.err_date"))?;
    if time.trim().is_empty() {
        return Err(err(Field::CallbackTime, "callback.err_time_missing"));
    }
    let tm = parse_time(time).ok_or_else(|| err(Field::CallbackTime, "callback.err_time"))?;
    let at = tz
        .from_local_datetime(&d.and_time(tm))
        .earliest()
        .map(|dt| dt.timestamp())
        .ok_or_else(|| err(Field::CallbackTime, "callback.err_time"))?;
    if at <= now {
        return Err(err(Field::CallbackTime, "callback.err_past"));
    }
    Ok(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_as_typed() {
        let hm = |h, m| NaiveTime::from_hms_opt(h, m, 0);
        assert_eq!(parse_time("16:30"), hm(16, 30));
        assert_eq!(parse_time("4:30 pm"), hm(16, 30));
        assert_eq!(parse_time("4:30 p. m."), hm(16, 30));
        assert_eq!(parse_time("4 p.m."), hm(16, 0));
        assert_eq!(parse_time("12 pm"), hm(12, 0));
        assert_eq!(parse_time("12:15 a. m."), hm(0, 15));
        assert_eq!(parse_time("9"), hm(9, 0));
        assert_eq!(parse_time("9.45"), hm(9, 45));
        assert_eq!(parse_time("25:00"), None);
        assert_eq!(parse_time("13 pm"), None);
        assert_eq!(parse_time("mañana"), None);
        assert_eq!(parse_time(""), None);
    }

    #[test]
    fn a_callback_in_bogota_time_after_now() {
        crate::i18n::with_lang(crate::i18n::Lang::Es, || {
            let tz = chrono_tz::America::Bogota;
            // 2026-12-01 15:00 UTC = 10:00 in Bogotá.
            let now = 1_796_137_200;
            let at = callback_at("01/12/2026", "4:30 p. m.", tz, now).expect("valid");
            assert_eq!(at, now + 6 * 3600 + 30 * 60);
            assert_eq!(callback_at("2026-12-01", "16:30", tz, now), Ok(at));
            let e = callback_at("01/12/2026", "9:00", tz, now).expect_err("refused");
            assert_eq!(e.field, Field::CallbackTime);
            assert!(e.message.to_string().contains("después"), "{}", e.message);
            assert_eq!(
                callback_at("", "9:00", tz, now).expect_err("refused").field,
                Field::CallbackDate
            );
            assert_eq!(
                callback_at("31/02/2026", "9:00", tz, now)
                    .expect_err("refused")
                    .field,
                Field::CallbackDate
            );
            assert_eq!(
                callback_at("02/12/2026", "", tz, now)
                    .expect_err("refused")
                    .field,
                Field::CallbackTime
            );
        });
    }
}
