//! Numbers, dates and times as a Colombian user writes them.

use chrono::{DateTime, Datelike, Timelike};

use super::settings::Settings;

/// `1234567` → `1.234.567`.
pub fn int(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// A phone as people read it: a Colombian number as `300 123 4567` (landlines `601 555 1234`),
/// any other country with its `+` code.
pub fn phone(e164: &str) -> String {
    match e164.strip_prefix("+57") {
        Some(n) if n.len() == 10 && n.chars().all(|c| c.is_ascii_digit()) => {
            format!("{} {} {}", &n[..3], &n[3..6], &n[6..])
        }
        _ => e164.to_owned(),
    }
}

/// A number as typed back to its user: `150`, `12,5` (decimal comma, no trailing zeros).
pub fn decimal(v: f64) -> String {
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.replace('.', ",")
}

/// `0.125` → `12,5 %` (one decimal).
pub fn percent(ratio: f64) -> String {
    format!("{:.1} %", ratio * 100.0).replace('.', ",")
}

/// The local date and time of a UTC timestamp in the configured zone.
pub fn local(ts: i64, settings: &Settings) -> DateTime<chrono_tz::Tz> {
    DateTime::from_timestamp(ts, 0)
        .unwrap_or_default()
        .with_timezone(&settings.tz())
}

/// Today's date in the configured zone.
pub fn today(now: i64, settings: &Settings) -> chrono::NaiveDate {
    local(now, settings).date_naive()
}

/// A local day's first instant and the next day's (UTC seconds, half-open) in `tz`. A day that
/// starts in a gap (a clock moved forward at midnight) starts at its first hour.
pub fn day_bounds(day: chrono::NaiveDate, tz: chrono_tz::Tz) -> (i64, i64) {
    use chrono::TimeZone;
    let start = |d: chrono::NaiveDate| {
        let midnight = d.and_hms_opt(0, 0, 0).unwrap_or_default();
        match tz.from_local_datetime(&midnight) {
            chrono::LocalResult::Single(t) | chrono::LocalResult::Ambiguous(t, _) => t.timestamp(),
            chrono::LocalResult::None => tz
                .from_local_datetime(&(midnight + chrono::Duration::hours(1)))
                .earliest()
                .map_or(midnight.and_utc().timestamp(), |t| t.timestamp()),
        }
    };
    let next = day.succ_opt().unwrap_or(day);
    (start(day), start(next))
}

/// `29/11/2026`.
pub fn date<T: Datelike>(d: &T) -> String {
    format!("{:02}/{:02}/{}", d.day(), d.month(), d.year())
}

/// `4:20 p. m.` (12-hour; `4:20 PM` in English) or `16:20` (24-hour).
pub fn time<T: Timelike>(t: &T, hour12: bool) -> String {
    if hour12 {
        let (pm, h) = t.hour12();
        let suffix = crate::i18n::t(if pm { "text.pm" } else { "text.am" });
        format!("{}:{:02} {suffix}", h, t.minute())
    } else {
        format!("{:02}:{:02}", t.hour(), t.minute())
    }
}

/// `29/11/2026 4:20 p. m.` for a UTC timestamp, in local time.
pub fn datetime(ts: i64, settings: &Settings) -> String {
    let l = local(ts, settings);
    format!("{} {}", date(&l), time(&l, settings.hour12))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(int(0), "0");
        assert_eq!(int(999), "999");
        assert_eq!(int(1000), "1.000");
        assert_eq!(int(1234567), "1.234.567");
        assert_eq!(int(-45000), "-45.000");
        assert_eq!(percent(0.125), "12,5 %");
        assert_eq!(phone("+573001234567"), "300 123 4567");
        assert_eq!(phone("+584121234567"), "+584121234567");
    }

    #[test]
    fn bogota_time() {
        let s = Settings::default();
        // 2026-11-29 21:20 UTC = 4:20 p. m. in Bogotá (UTC-5).
        let ts = 1_795_910_400 + 21 * 3600 + 20 * 60;
        let es = crate::i18n::with_lang(crate::i18n::Lang::Es, || datetime(ts, &s));
        assert_eq!(es, "29/11/2026 4:20 p. m.");
        let en = crate::i18n::with_lang(crate::i18n::Lang::En, || datetime(ts, &s));
        assert_eq!(en, "29/11/2026 4:20 PM", "no Spanish left in English times");
        let s24 = Settings { hour12: false, ..s };
        assert_eq!(datetime(ts, &s24), "29/11/2026 16:20");
    }
}
