//! When calls may be placed (Ley 2300 de 2023): Colombian public holidays computed for any
//! year, the permitted calling windows, and the rule that joins them in the configured zone.
//!
//! The holidays are those the program can cite: the fixed days and the days moved to the
//! following Monday by Ley 51 de 1983, and the days tied to Easter (Jueves and Viernes Santo;
//! Ascensión, Corpus Christi and Sagrado Corazón, already on Mondays as observed in Colombia).
//! "Nuestra Señora del Rosario de Chiquinquirá" (9 July moved to Monday), listed by some
//! libraries from 2026 on but absent from the 2026 calendars of 18 holidays, is not included:
//! the list is editable ([`HolidayEdits`]), so an institution adds a day when a law or decree
//! says so.

use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveTime, TimeZone, Weekday};

use crate::i18n::{t, tf};

/// A public holiday of the law (its name comes from the locale files).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HolidayKind {
    /// 1 January.
    AnoNuevo,
    /// 6 January, moved to Monday (Ley 51 de 1983).
    ReyesMagos,
    /// 19 March, moved to Monday.
    SanJose,
    /// Easter − 3 days.
    JuevesSanto,
    /// Easter − 2 days.
    ViernesSanto,
    /// 1 May.
    Trabajo,
    /// Easter + 43 days (Thursday + 39 moved to Monday).
    Ascension,
    /// Easter + 64 days (Thursday + 60 moved to Monday).
    CorpusChristi,
    /// Easter + 71 days (Friday + 68 moved to Monday).
    SagradoCorazon,
    /// 29 June, moved to Monday.
    SanPedroSanPablo,
    /// 20 July.
    Independencia,
    /// 7 August.
    BatallaBoyaca,
    /// 15 August, moved to Monday.
    Asuncion,
    /// 12 October, moved to Monday.
    DiaRaza,
    /// 1 November, moved to Monday.
    TodosSantos,
    /// 11 November, moved to Monday.
    IndependenciaCartagena,
    /// 8 December.
    InmaculadaConcepcion,
    /// 25 December.
    Navidad,
}

impl HolidayKind {
    /// Every holiday of the law, in calendar order (Easter days where they usually fall).
    pub const ALL: [HolidayKind; 18] = [
        HolidayKind::AnoNuevo,
        HolidayKind::ReyesMagos,
        HolidayKind::SanJose,
        HolidayKind::JuevesSanto,
        HolidayKind::ViernesSanto,
        HolidayKind::Trabajo,
        HolidayKind::Ascension,
        HolidayKind::CorpusChristi,
        HolidayKind::SagradoCorazon,
        HolidayKind::SanPedroSanPablo,
        HolidayKind::Independencia,
        HolidayKind::BatallaBoyaca,
        HolidayKind::Asuncion,
        HolidayKind::DiaRaza,
        HolidayKind::TodosSantos,
        HolidayKind::IndependenciaCartagena,
        HolidayKind::InmaculadaConcepcion,
        HolidayKind::Navidad,
    ];

    /// The stable code (locale key `holiday.<code>`).
    pub fn code(self) -> &'static str {
        match self {
            HolidayKind::AnoNuevo => "ano_nuevo",
            HolidayKind::ReyesMagos => "reyes_magos",
            HolidayKind::SanJose => "san_jose",
            HolidayKind::JuevesSanto => "jueves_santo",
            HolidayKind::ViernesSanto => "viernes_santo",
            HolidayKind::Trabajo => "trabajo",
            HolidayKind::Ascension => "ascension",
            HolidayKind::CorpusChristi => "corpus_christi",
            HolidayKind::SagradoCorazon => "sagrado_corazon",
            HolidayKind::SanPedroSanPablo => "san_pedro_san_pablo",
            HolidayKind::Independencia => "independencia",
            HolidayKind::BatallaBoyaca => "batalla_boyaca",
            HolidayKind::Asuncion => "asuncion",
            HolidayKind::DiaRaza => "dia_raza",
            HolidayKind::TodosSantos => "todos_santos",
            HolidayKind::IndependenciaCartagena => "independencia_cartagena",
            HolidayKind::InmaculadaConcepcion => "inmaculada_concepcion",
            HolidayKind::Navidad => "navidad",
        }
    }

    /// The holiday's name for the user ("Día de los Reyes Magos", …).
    pub fn label(self) -> String {
        t(&format!("holiday.{}", self.code()))
    }

    /// The day it is observed in `year`.
    pub fn date(self, year: i32) -> NaiveDate {
        let fixed = |m, d| NaiveDate::from_ymd_opt(year, m, d).unwrap_or_default();
        let moved = |m, d| next_monday(fixed(m, d));
        let easter_plus = |days: i64| easter(year) + chrono::Duration::days(days);
        match self {
            HolidayKind::AnoNuevo => fixed(1, 1),
            HolidayKind::ReyesMagos => moved(1, 6),
            HolidayKind::SanJose => moved(3, 19),
            HolidayKind::JuevesSanto => easter_plus(-3),
            HolidayKind::ViernesSanto => easter_plus(-2),
            HolidayKind::Trabajo => fixed(5, 1),
            HolidayKind::Ascension => easter_plus(43),
            HolidayKind::CorpusChristi => easter_plus(64),
            HolidayKind::SagradoCorazon => easter_plus(71),
            HolidayKind::SanPedroSanPablo => moved(6, 29),
            HolidayKind::Independencia => fixed(7, 20),
            HolidayKind::BatallaBoyaca => fixed(8, 7),
            HolidayKind::Asuncion => moved(8, 15),
            HolidayKind::DiaRaza => moved(10, 12),
            HolidayKind::TodosSantos => moved(11, 1),
            HolidayKind::IndependenciaCartagena => moved(11, 11),
            HolidayKind::InmaculadaConcepcion => fixed(12, 8),
            HolidayKind::Navidad => fixed(12, 25),
        }
    }
}

/// Easter Sunday of a Gregorian year (the anonymous Gregorian algorithm, "Meeus/Jones/Butcher").
pub fn easter(year: i32) -> NaiveDate {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32).unwrap_or_default()
}

/// The day itself when it is a Monday, else the following Monday (Ley 51 de 1983).
pub fn next_monday(d: NaiveDate) -> NaiveDate {
    let ahead = (7 - d.weekday().num_days_from_monday()) % 7;
    d + Days::new(u64::from(ahead))
}

/// The holidays of the law in `year`, by date (two may share a day).
pub fn computed(year: i32) -> Vec<(NaiveDate, HolidayKind)> {
    let mut v: Vec<_> = HolidayKind::ALL
        .iter()
        .map(|k| (k.date(year), *k))
        .collect();
    v.sort_by_key(|(d, _)| *d);
    v
}

/// A holiday's name: one of the law, or one an institution added in the settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HolidayName {
    /// A holiday of the law (named in the user's language).
    Law(HolidayKind),
    /// A day added in the settings, with the name given there.
    Added(String),
}

impl HolidayName {
    /// The name for the user.
    pub fn label(&self) -> String {
        match self {
            HolidayName::Law(k) => k.label(),
            HolidayName::Added(name) => name.clone(),
        }
    }
}

/// A day without calls, with every name it holds (2025-06-30 is two holidays).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Holiday {
    /// The day, in the configured zone.
    pub date: NaiveDate,
    /// What is celebrated.
    pub names: Vec<HolidayName>,
}

impl Holiday {
    /// The names for the user, joined ("Sagrado Corazón; San Pedro y San Pablo").
    pub fn name(&self) -> String {
        self.names
            .iter()
            .map(HolidayName::label)
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// The institution's changes to the computed holidays (kept in the settings): days added with
/// a name, days removed. The computed list is the default (no edits).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct HolidayEdits {
    /// Days added, with their names.
    pub added: Vec<(NaiveDate, String)>,
    /// Days removed (every holiday of that day).
    pub removed: Vec<NaiveDate>,
}

impl HolidayEdits {
    /// The holidays of `year` as the program applies them: computed + added − removed.
    pub fn year(&self, year: i32) -> Vec<Holiday> {
        let mut out: Vec<Holiday> = Vec::new();
        let law = computed(year)
            .into_iter()
            .map(|(d, k)| (d, HolidayName::Law(k)));
        let added = self
            .added
            .iter()
            .filter(|(d, _)| d.year() == year)
            .map(|(d, n)| (*d, HolidayName::Added(n.clone())));
        let mut all: Vec<_> = law.chain(added).collect();
        all.sort_by_key(|(d, _)| *d);
        for (date, name) in all {
            if self.removed.contains(&date) {
                continue;
            }
            match out.last_mut() {
                Some(last) if last.date == date => {
                    if !last.names.contains(&name) {
                        last.names.push(name);
                    }
                }
                _ => out.push(Holiday {
                    date,
                    names: vec![name],
                }),
            }
        }
        out
    }

    /// The holiday on `date`, if it is one.
    pub fn on(&self, date: NaiveDate) -> Option<Holiday> {
        self.year(date.year()).into_iter().find(|h| h.date == date)
    }

    /// The settings text: one line a day, `+2026-07-13 Name` (added) or `-2026-01-12` (removed).
    pub fn to_text(&self) -> String {
        let added = self.added.iter().map(|(d, n)| format!("+{d} {}", n.trim()));
        let removed = self.removed.iter().map(|d| format!("-{d}"));
        added.chain(removed).collect::<Vec<_>>().join("\n")
    }

    /// Reads [`to_text`](Self::to_text); `None` on a line that is not a day.
    pub fn parse(text: &str) -> Option<Self> {
        let mut edits = Self::default();
        for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let (sign, rest) = line.split_at(1);
            let (day, name) = rest.split_once(' ').unwrap_or((rest, ""));
            let date = NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()?;
            match sign {
                "+" => edits.added.push((date, name.trim().to_owned())),
                "-" => edits.removed.push(date),
                _ => return None,
            }
        }
        Some(edits)
    }
}

impl From<HolidayEdits> for String {
    fn from(e: HolidayEdits) -> Self {
        e.to_text()
    }
}

impl TryFrom<String> for HolidayEdits {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        HolidayEdits::parse(&s).ok_or(s)
    }
}

/// A span of a weekday when calls are permitted, local time, `start` included, `end` not.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    /// The day of the week.
    pub day: Weekday,
    /// First permitted minute.
    pub start: NaiveTime,
    /// End of the window (not included).
    pub end: NaiveTime,
}

/// The permitted calling windows of the week (a setting; Colombia's Ley 2300 de 2023 by default).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct CallWindows(pub Vec<Window>);

fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default()
}

impl Default for CallWindows {
    /// Monday–Friday 7:00–19:00, Saturday 8:00–15:00, never on Sundays (Ley 2300 de 2023).
    fn default() -> Self {
        let weekdays = [
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
        ];
        let mut v: Vec<Window> = weekdays
            .into_iter()
            .map(|day| Window {
                day,
                start: hm(7, 0),
                end: hm(19, 0),
            })
            .collect();
        v.push(Window {
            day: Weekday::Sat,
            start: hm(8, 0),
            end: hm(15, 0),
        });
        Self(v)
    }
}

impl CallWindows {
    /// The windows of one weekday, earliest first.
    pub fn of(&self, day: Weekday) -> Vec<Window> {
        let mut v: Vec<Window> = self.0.iter().filter(|w| w.day == day).copied().collect();
        v.sort_by_key(|w| w.start);
        v
    }

    /// Whether every window ends after it starts.
    pub fn is_valid(&self) -> bool {
        self.0.iter().all(|w| w.start < w.end)
    }

    /// The settings text: `mon 07:00-19:00, …, sat 08:00-15:00`.
    pub fn to_text(&self) -> String {
        self.0
            .iter()
            .map(|w| {
                format!(
                    "{} {}-{}",
                    w.day.to_string().to_lowercase(),
                    w.start.format("%H:%M"),
                    w.end.format("%H:%M")
                )
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Reads [`to_text`](Self::to_text) (an empty text: no window at all).
    pub fn parse(text: &str) -> Option<Self> {
        let mut v = Vec::new();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (day, span) = part.split_once(' ')?;
            let (start, end) = span.trim().split_once('-')?;
            v.push(Window {
                day: day.parse().ok()?,
                start: NaiveTime::parse_from_str(start.trim(), "%H:%M").ok()?,
                end: NaiveTime::parse_from_str(end.trim(), "%H:%M").ok()?,
            });
        }
        Some(Self(v))
    }
}

impl From<CallWindows> for String {
    fn from(w: CallWindows) -> Self {
        w.to_text()
    }
}

impl TryFrom<String> for CallWindows {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        CallWindows::parse(&s).ok_or(s)
    }
}

/// Why no call may be placed now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NotNowReason {
    /// Outside the day's windows (or a day without windows other than Sunday).
    FueraDeHorario,
    /// A public holiday (its names).
    Festivo(String),
    /// Sunday, which has no window.
    Domingo,
}

impl NotNowReason {
    /// The stable code (`fuera_de_horario`, `festivo`, `domingo`).
    pub fn code(&self) -> &'static str {
        match self {
            NotNowReason::FueraDeHorario => "fuera_de_horario",
            NotNowReason::Festivo(_) => "festivo",
            NotNowReason::Domingo => "domingo",
        }
    }

    /// The reason for the user.
    pub fn label(&self) -> String {
        match self {
            NotNowReason::FueraDeHorario => t("calendar.reason_fuera_de_horario"),
            NotNowReason::Festivo(name) => tf("calendar.reason_festivo", &[("name", name)]),
            NotNowReason::Domingo => t("calendar.reason_domingo"),
        }
    }
}

/// No call may be placed now: why, and when calling may resume (`None`: no window in a year).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotNow {
    /// Why not.
    pub reason: NotNowReason,
    /// The next permitted instant, UTC seconds.
    pub next_window: Option<i64>,
}

/// How far ahead [`next_window`] looks (a year and a bit: a holiday list may close many days).
const LOOK_AHEAD_DAYS: u64 = 400;

/// The local instant of `date` at `time` in `tz`, as UTC seconds (a time skipped by a clock
/// change reads as the first instant after it).
fn local_instant(date: NaiveDate, time: NaiveTime, tz: chrono_tz::Tz) -> Option<i64> {
    let mut naive = date.and_time(time);
    for _ in 0..4 {
        if let Some(dt) = tz.from_local_datetime(&naive).earliest() {
            return Some(dt.timestamp());
        }
        naive += chrono::Duration::minutes(30);
    }
    None
}

/// The first instant at or after `at` (UTC seconds) when calls are permitted: inside a window
/// of its weekday, on a day that is not a holiday, in the zone `tz`. `None` when no window
/// opens within a year.
pub fn next_window(
    at: i64,
    windows: &CallWindows,
    holidays: &HolidayEdits,
    tz: chrono_tz::Tz,
) -> Option<i64> {
    let local = DateTime::from_timestamp(at, 0)?.with_timezone(&tz);
    let today = local.date_naive();
    for ahead in 0..LOOK_AHEAD_DAYS {
        let date = today.checked_add_days(Days::new(ahead))?;
        if holidays.on(date).is_some() {
            continue;
        }
        for w in windows.of(date.weekday()) {
            let (Some(start), Some(end)) = (
                local_instant(date, w.start, tz),
                local_instant(date, w.end, tz),
            ) else {
                continue;
            };
            if at < end {
                return Some(start.max(at));
            }
        }
    }
    None
}

/// Whether a call may be placed at `at` (UTC seconds); if not, why and when it may resume.
pub fn may_call_at(
    at: i64,
    windows: &CallWindows,
    holidays: &HolidayEdits,
    tz: chrono_tz::Tz,
) -> Result<(), NotNow> {
    let next = next_window(at, windows, holidays, tz);
    if next == Some(at) {
        return Ok(());
    }
    let date = DateTime::from_timestamp(at, 0)
        .map(|d| d.with_timezone(&tz).date_naive())
        .unwrap_or_default();
    let reason = if let Some(h) = holidays.on(date) {
        NotNowReason::Festivo(h.name())
    } else if date.weekday() == Weekday::Sun && windows.of(Weekday::Sun).is_empty() {
        NotNowReason::Domingo
    } else {
        NotNowReason::FueraDeHorario
    };
    Err(NotNow {
        reason,
        next_window: next,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn easter_of_known_years() {
        assert_eq!(easter(2024), d(2024, 3, 31));
        assert_eq!(easter(2025), d(2025, 4, 20));
        assert_eq!(easter(2026), d(2026, 4, 5));
        assert_eq!(easter(2027), d(2027, 3, 28));
        assert_eq!(easter(2038), d(2038, 4, 25));
        assert_eq!(easter(2285), d(2285, 3, 22));
    }

    #[test]
    fn moved_days_fall_on_the_next_monday() {
        assert_eq!(next_monday(d(2026, 1, 6)), d(2026, 1, 12));
        assert_eq!(
            next_monday(d(2025, 1, 6)),
            d(2025, 1, 6),
            "already a Monday"
        );
        for y in 1990..2100 {
            for (date, kind) in computed(y) {
                assert_eq!(date.year(), y, "{kind:?} {y}");
                let monday_rule = !matches!(
                    kind,
                    HolidayKind::AnoNuevo
                        | HolidayKind::JuevesSanto
                        | HolidayKind::ViernesSanto
                        | HolidayKind::Trabajo
                        | HolidayKind::Independencia
                        | HolidayKind::BatallaBoyaca
                        | HolidayKind::InmaculadaConcepcion
                        | HolidayKind::Navidad
                );
                if monday_rule {
                    assert_eq!(date.weekday(), Weekday::Mon, "{kind:?} {y}");
                }
            }
        }
    }

    #[test]
    fn settings_texts_read_back() {
        let w = CallWindows::default();
        assert_eq!(
            w.to_text(),
            "mon 07:00-19:00, tue 07:00-19:00, wed 07:00-19:00, thu 07:00-19:00, fri 07:00-19:00, sat 08:00-15:00"
        );
        assert_eq!(CallWindows::parse(&w.to_text()), Some(w));
        let e = HolidayEdits {
            added: vec![(d(2026, 7, 13), "Virgen de Chiquinquirá".into())],
            removed: vec![d(2026, 1, 12)],
        };
        assert_eq!(HolidayEdits::parse(&e.to_text()), Some(e));
        assert_eq!(HolidayEdits::parse(""), Some(HolidayEdits::default()));
        assert_eq!(HolidayEdits::parse("+13/07/2026 x"), None);
        assert_eq!(CallWindows::parse("lunes 7-19"), None);
    }

    /// The independent list (PyPI `holidays`, CO), copied from `../shared/data`.
    const FESTIVOS: &str = include_str!("../../tests/fixtures/festivos_co.json");

    fn is_chiquinquira(name: &str) -> bool {
        name.contains("Chiquinquirá")
    }

    #[test]
    fn computed_years_equal_the_independent_list_without_chiquinquira() {
        let json: serde_json::Value = serde_json::from_str(FESTIVOS).expect("json");
        let edits = HolidayEdits::default();
        for year in 2025..=2028 {
            let listed = json["years"][year.to_string()].as_array().expect("year");
            let mut chiquinquira = 0;
            let mut expected = Vec::new();
            for h in listed {
                let name = h["name"].as_str().expect("name");
                let date = NaiveDate::parse_from_str(h["date"].as_str().expect("date"), "%Y-%m-%d")
                    .expect("iso date");
                if is_chiquinquira(name) {
                    chiquinquira += 1;
                } else {
                    expected.push(date);
                }
            }
            expected.dedup();
            let ours: Vec<NaiveDate> = edits.year(year).iter().map(|h| h.date).collect();
            assert_eq!(ours, expected, "{year}");
            // The library lists Chiquinquirá from 2026 on; the program does not (see the module).
            assert_eq!(chiquinquira, usize::from(year >= 2026), "{year}");
            assert_eq!(ours.len(), if year == 2025 { 17 } else { 18 }, "{year}");
        }
    }

    #[test]
    fn names_read_as_the_program_shows_them() {
        let edits = HolidayEdits::default();
        crate::i18n::with_lang(crate::i18n::Lang::Es, || {
            let on = |y, m, day| edits.on(d(y, m, day)).expect("a holiday").name();
            assert_eq!(on(2026, 1, 12), "Día de los Reyes Magos");
            assert_eq!(on(2026, 4, 3), "Viernes Santo");
            assert_eq!(on(2026, 5, 18), "Ascensión del Señor");
            assert_eq!(on(2026, 6, 8), "Corpus Christi");
            assert_eq!(on(2026, 6, 15), "Sagrado Corazón");
            assert_eq!(on(2025, 6, 30), "Sagrado Corazón; San Pedro y San Pablo");
            assert_eq!(on(2027, 11, 15), "Independencia de Cartagena");
            assert!(
                edits.on(d(2026, 7, 13)).is_none(),
                "Chiquinquirá not by default"
            );
        });
        crate::i18n::with_lang(crate::i18n::Lang::En, || {
            assert_eq!(
                edits.on(d(2026, 12, 25)).expect("holiday").name(),
                "Christmas Day"
            );
        });
    }

    const BOGOTA: chrono_tz::Tz = chrono_tz::America::Bogota;

    /// A local time in Bogotá, as UTC seconds.
    fn at(y: i32, m: u32, day: u32, h: u32, mi: u32) -> i64 {
        BOGOTA
            .with_ymd_and_hms(y, m, day, h, mi, 0)
            .single()
            .expect("instant")
            .timestamp()
    }

    fn check(instant: i64, edits: &HolidayEdits) -> Result<(), NotNow> {
        may_call_at(instant, &CallWindows::default(), edits, BOGOTA)
    }

    fn not_now(reason: NotNowReason, next: i64) -> Result<(), NotNow> {
        Err(NotNow {
            reason,
            next_window: Some(next),
        })
    }

    #[test]
    fn calls_only_inside_the_windows() {
        let none = HolidayEdits::default();
        // Tuesday 13 January 2026.
        assert_eq!(check(at(2026, 1, 13, 18, 59), &none), Ok(()));
        assert_eq!(check(at(2026, 1, 13, 7, 0), &none), Ok(()));
        assert_eq!(
            check(at(2026, 1, 13, 19, 0), &none),
            not_now(NotNowReason::FueraDeHorario, at(2026, 1, 14, 7, 0))
        );
        assert_eq!(
            check(at(2026, 1, 14, 6, 30), &none),
            not_now(NotNowReason::FueraDeHorario, at(2026, 1, 14, 7, 0)),
            "before opening: the same morning"
        );
        // Saturday 17 January: 8:00–15:00.
        assert_eq!(check(at(2026, 1, 17, 14, 59), &none), Ok(()));
        assert_eq!(
            check(at(2026, 1, 17, 7, 30), &none),
            not_now(NotNowReason::FueraDeHorario, at(2026, 1, 17, 8, 0))
        );
        assert_eq!(
            check(at(2026, 1, 17, 15, 0), &none),
            not_now(NotNowReason::FueraDeHorario, at(2026, 1, 19, 7, 0))
        );
        // Sunday 18 January.
        assert_eq!(
            check(at(2026, 1, 18, 10, 0), &none),
            not_now(NotNowReason::Domingo, at(2026, 1, 19, 7, 0))
        );
        assert_eq!(
            next_window(
                at(2026, 1, 18, 10, 0),
                &CallWindows::default(),
                &none,
                BOGOTA
            ),
            Some(at(2026, 1, 19, 7, 0))
        );
    }

    #[test]
    fn no_calls_on_holidays() {
        let none = HolidayEdits::default();
        crate::i18n::with_lang(crate::i18n::Lang::Es, || {
            // Monday 12 January 2026, Reyes (6 January moved to Monday).
            assert_eq!(
                check(at(2026, 1, 12, 10, 0), &none),
                not_now(
                    NotNowReason::Festivo("Día de los Reyes Magos".into()),
                    at(2026, 1, 13, 7, 0)
                )
            );
            // Saturday afternoon before it: Sunday and the holiday are skipped.
            assert_eq!(
                check(at(2026, 1, 10, 16, 0), &none),
                not_now(NotNowReason::FueraDeHorario, at(2026, 1, 13, 7, 0))
            );
            // Holy week 2026: Thursday 2 and Friday 3 April, then Saturday 4 opens at 8:00.
            assert_eq!(
                check(at(2026, 4, 1, 20, 0), &none),
                not_now(NotNowReason::FueraDeHorario, at(2026, 4, 4, 8, 0))
            );
        });
    }

    #[test]
    fn added_and_removed_days_are_honoured() {
        let edits = HolidayEdits {
            added: vec![(d(2026, 7, 13), "Virgen de Chiquinquirá".into())],
            removed: vec![d(2026, 1, 12)],
        };
        assert_eq!(
            check(at(2026, 7, 13, 10, 0), &edits),
            not_now(
                NotNowReason::Festivo("Virgen de Chiquinquirá".into()),
                at(2026, 7, 14, 7, 0)
            )
        );
        assert_eq!(check(at(2026, 1, 12, 10, 0), &edits), Ok(()), "removed");
        let year = edits.year(2026);
        assert_eq!(year.len(), 18, "one added, one removed");
        assert!(year.iter().all(|h| h.date != d(2026, 1, 12)));
        // Through the settings, in their zone.
        let s = crate::domain::Settings {
            holidays: edits,
            ..Default::default()
        };
        assert!(s.may_call_at(at(2026, 7, 13, 10, 0)).is_err());
        assert_eq!(s.may_call_at(at(2026, 1, 12, 10, 0)), Ok(()));
        let madrid = crate::domain::Settings {
            time_zone: "Europe/Madrid".into(),
            ..Default::default()
        };
        // 18:59 in Bogotá is 00:59 on Wednesday in Madrid: outside Madrid's windows.
        assert!(madrid.may_call_at(at(2026, 1, 13, 18, 59)).is_err());
    }

    #[test]
    fn no_window_at_all_gives_no_next_window() {
        let err = may_call_at(
            at(2026, 1, 13, 10, 0),
            &CallWindows(Vec::new()),
            &HolidayEdits::default(),
            BOGOTA,
        );
        assert_eq!(
            err,
            Err(NotNow {
                reason: NotNowReason::FueraDeHorario,
                next_window: None
            })
        );
        assert!(
            !CallWindows(vec![Window {
                day: Weekday::Mon,
                start: hm(9, 0),
                end: hm(8, 0)
            }])
            .is_valid()
        );
    }
}
