//! The weekly consolidated report (procedure 5.2, "consolidar semanalmente"): the ISO week
//! (Monday to Sunday in the settings' time zone; `2026-W48` on the command line and in the
//! archive, "Semana del 23 al 29 nov. 2026" on screen), the figures of a week per agent and in
//! total, the change against the previous week, and how a report was delivered.

use chrono::{Datelike, Duration, NaiveDate, TimeZone, Weekday};

use super::inbound::{AskedAbout, Channel, Followup, InboundResult};
use super::procedure::code_enum;
use super::settings::Settings;
use crate::i18n::{t, tf};

/// An ISO 8601 week: weeks start on Monday, week 1 is the one holding the year's first
/// Thursday, so a year has 52 or 53 weeks and its first days may belong to the year before.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IsoWeek {
    /// The ISO year (not always the calendar year of every day in the week).
    pub year: i32,
    /// 1..=52 or 53.
    pub week: u32,
}

/// How many ISO weeks `year` has (52 or 53): 28 December is always in the year's last week.
pub fn weeks_in_year(year: i32) -> u32 {
    NaiveDate::from_ymd_opt(year, 12, 28)
        .map(|d| d.iso_week().week())
        .unwrap_or(52)
}

impl IsoWeek {
    /// The week `year`-W`week`, if it exists.
    pub fn new(year: i32, week: u32) -> Option<IsoWeek> {
        (week >= 1 && week <= weeks_in_year(year) && (1..=9998).contains(&year))
            .then_some(IsoWeek { year, week })
    }

    /// Reads `2026-W48` (also `2026-w48`, `2026W48`); `None` for anything else or a week the
    /// year does not have (`2026-W53`: 2026 has 53 weeks; `2027-W53`: 2027 has 52).
    pub fn parse(text: &str) -> Option<IsoWeek> {
        let s = text.trim();
        let (y, w) = s.split_once(['W', 'w'])?;
        let y = y.strip_suffix('-').unwrap_or(y);
        if y.len() != 4 || w.is_empty() || w.len() > 2 {
            return None;
        }
        if !y.chars().chain(w.chars()).all(|c| c.is_ascii_digit()) {
            return None;
        }
        IsoWeek::new(y.parse().ok()?, w.parse().ok()?)
    }

    /// `2026-W48` (the command line's and the archive's period).
    pub fn code(&self) -> String {
        format!("{:04}-W{:02}", self.year, self.week)
    }

    /// The week a date falls in.
    pub fn of_date(d: NaiveDate) -> IsoWeek {
        let w = d.iso_week();
        IsoWeek {
            year: w.year(),
            week: w.week(),
        }
    }

    /// The week of an instant (UTC seconds) in the settings' time zone.
    pub fn of_instant(ts: i64, settings: &Settings) -> IsoWeek {
        Self::of_date(super::format::local(ts, settings).date_naive())
    }

    /// Its Monday.
    pub fn monday(&self) -> NaiveDate {
        NaiveDate::from_isoywd_opt(self.year, self.week, Weekday::Mon).unwrap_or_default()
    }

    /// Its Sunday.
    pub fn sunday(&self) -> NaiveDate {
        self.monday() + Duration::days(6)
    }

    /// The week before.
    pub fn previous(&self) -> IsoWeek {
        Self::of_date(self.monday() - Duration::days(7))
    }

    /// The week after.
    pub fn next(&self) -> IsoWeek {
        Self::of_date(self.monday() + Duration::days(7))
    }

    /// Its instants, UTC seconds `[start, end)`: from Monday's local midnight to the next
    /// Monday's, in the settings' time zone (a week across a clock change is 167 or 169 hours).
    pub fn bounds(&self, settings: &Settings) -> (i64, i64) {
        let tz = settings.tz();
        let midnight = |d: NaiveDate| {
            let naive = d.and_hms_opt(0, 0, 0).unwrap_or_default();
            tz.from_local_datetime(&naive)
                .earliest()
                // A zone that skips midnight: the hour after.
                .or_else(|| {
                    tz.from_local_datetime(&(naive + Duration::hours(1)))
                        .earliest()
                })
                .map_or(naive.and_utc().timestamp(), |t| t.timestamp())
        };
        (
            midnight(self.monday()),
            midnight(self.monday() + Duration::days(7)),
        )
    }

    /// "Semana del 23 al 29 nov. 2026", "Semana del 30 nov. al 6 dic. 2026",
    /// "Semana del 28 dic. 2026 al 3 ene. 2027".
    pub fn label(&self) -> String {
        let (a, b) = (self.monday(), self.sunday());
        let part = |key: &str, d: NaiveDate| {
            tf(
                key,
                &[
                    ("day", &d.day()),
                    ("month", &t(&format!("weekly.month_{}", d.month()))),
                    ("year", &d.year()),
                ],
            )
        };
        let (from, to) = if a.year() != b.year() {
            (part("weekly.week_from_year", a), part("weekly.week_to", b))
        } else if a.month() != b.month() {
            (part("weekly.week_from_month", a), part("weekly.week_to", b))
        } else {
            (
                part("weekly.week_from_day", a),
                part("weekly.week_to_same_month", b),
            )
        };
        tf("weekly.week_label", &[("from", &from), ("date", &to)])
    }
}

impl std::fmt::Display for IsoWeek {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.code())
    }
}

impl std::str::FromStr for IsoWeek {
    type Err = String;
    /// The command line's `--week`: the reason in the user's words when it is not a week.
    fn from_str(s: &str) -> Result<Self, String> {
        IsoWeek::parse(s).ok_or_else(|| tf("weekly.err_week", &[("text", &s)]))
    }
}

/// A named count: a program, a department, a campaign or an outcome, and how many.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Named {
    /// The name as the catalog has it (empty: none given).
    pub name: String,
    /// How many.
    pub n: i64,
}

/// The figures of a week, for one person or for everyone. Every list holds only what
/// happened (no zero rows), except the enum breakdowns, which list every value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Figures {
    /// Inbound calls registered.
    pub inbound: i64,
    /// By channel (every channel, in display order).
    pub by_channel: Vec<(Channel, i64)>,
    /// By what the caller asked about (every value).
    pub by_asked: Vec<(AskedAbout, i64)>,
    /// By result (every value).
    pub by_result: Vec<(InboundResult, i64)>,
    /// By program or service, most first (`name` empty: none chosen).
    pub by_program: Vec<Named>,
    /// The remitted calls by where their follow-up stands (every value; a remission nobody
    /// followed up yet is pendiente).
    pub by_followup: Vec<(Followup, i64)>,
    /// The transferred calls by department, most first.
    pub transfers: Vec<Named>,
    /// Outbound attempts recorded.
    pub outbound: i64,
    /// Outbound attempts by campaign, most first.
    pub by_campaign: Vec<Named>,
    /// Outbound attempts by outcome (disposition), most first.
    pub by_outcome: Vec<Named>,
    /// Calls (inbound and outbound) by local hour of the day, 0..24.
    pub by_hour: [i64; 24],
}

impl Default for Figures {
    fn default() -> Self {
        Self {
            inbound: 0,
            by_channel: Channel::ALL.iter().map(|c| (*c, 0)).collect(),
            by_asked: AskedAbout::ALL.iter().map(|c| (*c, 0)).collect(),
            by_result: InboundResult::ALL.iter().map(|c| (*c, 0)).collect(),
            by_program: Vec::new(),
            by_followup: Followup::ALL.iter().map(|c| (*c, 0)).collect(),
            transfers: Vec::new(),
            outbound: 0,
            by_campaign: Vec::new(),
            by_outcome: Vec::new(),
            by_hour: [0; 24],
        }
    }
}

fn add_to<K: PartialEq>(list: &mut [(K, i64)], k: K, n: i64) {
    if let Some(e) = list.iter_mut().find(|(c, _)| *c == k) {
        e.1 += n;
    }
}

/// Adds `n` to the count named `name`.
pub fn add_named(list: &mut Vec<Named>, name: &str, n: i64) {
    match list.iter_mut().find(|x| x.name == name) {
        Some(x) => x.n += n,
        None => list.push(Named {
            name: name.to_owned(),
            n,
        }),
    }
}

/// Most first, then by name.
pub fn sort_named(list: &mut [Named]) {
    list.sort_by(|a, b| b.n.cmp(&a.n).then_with(|| a.name.cmp(&b.name)));
}

impl Figures {
    /// Adds `n` calls of a channel.
    pub fn add_channel(&mut self, c: Channel, n: i64) {
        add_to(&mut self.by_channel, c, n);
    }
    /// Adds `n` calls that asked about `a`.
    pub fn add_asked(&mut self, a: AskedAbout, n: i64) {
        add_to(&mut self.by_asked, a, n);
    }
    /// Adds `n` calls with a result.
    pub fn add_result(&mut self, r: InboundResult, n: i64) {
        add_to(&mut self.by_result, r, n);
    }
    /// Adds `n` remissions at a follow-up status.
    pub fn add_followup(&mut self, f: Followup, n: i64) {
        add_to(&mut self.by_followup, f, n);
    }

    /// The count of one channel.
    pub fn channel(&self, c: Channel) -> i64 {
        self.by_channel
            .iter()
            .find(|(k, _)| *k == c)
            .map_or(0, |e| e.1)
    }
    /// The count of one result.
    pub fn result(&self, r: InboundResult) -> i64 {
        self.by_result
            .iter()
            .find(|(k, _)| *k == r)
            .map_or(0, |e| e.1)
    }
    /// The count of one follow-up status.
    pub fn followup(&self, f: Followup) -> i64 {
        self.by_followup
            .iter()
            .find(|(k, _)| *k == f)
            .map_or(0, |e| e.1)
    }
    /// Calls remitted to a manager.
    pub fn remissions(&self) -> i64 {
        self.result(InboundResult::Remitido)
    }
    /// Calls transferred to another department.
    pub fn transferred(&self) -> i64 {
        self.result(InboundResult::Transferida)
    }
    /// All calls, inbound and outbound.
    pub fn calls(&self) -> i64 {
        self.inbound + self.outbound
    }

    /// Adds another person's figures (the totals are the sum of everyone's).
    pub fn add(&mut self, o: &Figures) {
        self.inbound += o.inbound;
        for (c, n) in &o.by_channel {
            self.add_channel(*c, *n);
        }
        for (c, n) in &o.by_asked {
            self.add_asked(*c, *n);
        }
        for (c, n) in &o.by_result {
            self.add_result(*c, *n);
        }
        for (c, n) in &o.by_followup {
            self.add_followup(*c, *n);
        }
        for x in &o.by_program {
            add_named(&mut self.by_program, &x.name, x.n);
        }
        for x in &o.transfers {
            add_named(&mut self.transfers, &x.name, x.n);
        }
        self.outbound += o.outbound;
        for x in &o.by_campaign {
            add_named(&mut self.by_campaign, &x.name, x.n);
        }
        for x in &o.by_outcome {
            add_named(&mut self.by_outcome, &x.name, x.n);
        }
        for (h, n) in o.by_hour.iter().enumerate() {
            self.by_hour[h] += n;
        }
        self.sort();
    }

    /// Sorts the named lists (most first).
    pub fn sort(&mut self) {
        sort_named(&mut self.by_program);
        sort_named(&mut self.transfers);
        sort_named(&mut self.by_campaign);
        sort_named(&mut self.by_outcome);
    }

    /// The hours with calls, busiest first (ties: earlier first), as `(hour, calls)`.
    pub fn busiest_hours(&self) -> Vec<(u32, i64)> {
        let mut v: Vec<(u32, i64)> = (0u32..24)
            .zip(self.by_hour)
            .filter(|(_, n)| *n > 0)
            .collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        v
    }
}

/// One person's week (an agent, or the professional, who also takes calls).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgentWeek {
    /// Login.
    pub login: String,
    /// Full name.
    pub name: String,
    /// Role.
    pub role: super::Role,
    /// The figures.
    pub figures: Figures,
}

/// The weekly consolidated report: everyone's figures (or one person's), the totals, and the
/// previous week's totals to compare against.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Weekly {
    /// The week.
    pub week: IsoWeek,
    /// The one person it is about (`None`: everyone).
    pub agent: Option<String>,
    /// Everyone with calls that week (or the one asked for), by name.
    pub agents: Vec<AgentWeek>,
    /// The week's totals (calls of nobody's included).
    pub total: Figures,
    /// The previous week's totals, same people.
    pub previous: Figures,
}

/// A line of "change against the previous week".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// The locale key of what is compared.
    pub key: &'static str,
    /// This week.
    pub now: i64,
    /// The week before.
    pub before: i64,
}

impl Change {
    /// This week minus the week before.
    pub fn delta(&self) -> i64 {
        self.now - self.before
    }

    /// The change as a ratio of the week before (`None` when there was nothing before).
    pub fn ratio(&self) -> Option<f64> {
        (self.before != 0).then(|| self.delta() as f64 / self.before as f64)
    }

    /// `+3 (+25,0 %)`, `-2 (-50,0 %)`, `+4` (nothing before), `0`.
    pub fn text(&self) -> String {
        let d = self.delta();
        let sign = if d > 0 { "+" } else { "" };
        match self.ratio() {
            Some(r) if d != 0 => format!(
                "{sign}{} ({sign}{})",
                super::format::int(d),
                super::format::percent(r)
            ),
            _ => format!("{sign}{}", super::format::int(d)),
        }
    }
}

impl Weekly {
    /// The totals against the previous week's: inbound, remitted, transferred, outbound, all.
    pub fn changes(&self) -> Vec<Change> {
        let (a, b) = (&self.total, &self.previous);
        vec![
            Change {
                key: "weekly.inbound",
                now: a.inbound,
                before: b.inbound,
            },
            Change {
                key: "weekly.remitted",
                now: a.remissions(),
                before: b.remissions(),
            },
            Change {
                key: "weekly.transferred",
                now: a.transferred(),
                before: b.transferred(),
            },
            Change {
                key: "weekly.outbound",
                now: a.outbound,
                before: b.outbound,
            },
            Change {
                key: "weekly.calls",
                now: a.calls(),
                before: b.calls(),
            },
        ]
    }

    /// The archive's kind: `consolidado_semanal` (everyone) or `reporte_agente` (one agent).
    pub fn record_kind(&self) -> &'static str {
        if self.agent.is_some() {
            RECORD_AGENT
        } else {
            RECORD_CONSOLIDATED
        }
    }

    /// The file name proposed: `consolidado-2026-W48.xlsx`, `reporte-aperez-2026-W48.xlsx`.
    pub fn file_name(&self) -> String {
        match &self.agent {
            Some(login) => format!("reporte-{login}-{}.xlsx", self.week.code()),
            None => format!("consolidado-{}.xlsx", self.week.code()),
        }
    }

    /// The title: "Consolidado semanal — Semana del …" or "Reporte semanal de Andrés Pérez — …".
    pub fn title(&self) -> String {
        match &self.agent {
            Some(login) => {
                let name = self
                    .agents
                    .iter()
                    .find(|a| &a.login == login)
                    .map_or(login.as_str(), |a| a.name.as_str());
                tf(
                    "weekly.title_agent",
                    &[("name", &name), ("week", &self.week.label())],
                )
            }
            None => tf("weekly.title_all", &[("week", &self.week.label())]),
        }
    }

    /// The e-mail to the head ("Enviar a jefatura"): subject and body.
    pub fn mail(&self, sender: &str) -> (String, String) {
        let lines: Vec<String> = self
            .changes()
            .iter()
            .map(|c| format!("- {}: {} ({})", t(c.key), c.now, c.text()))
            .collect();
        (
            self.title(),
            tf(
                "weekly.mail_body",
                &[
                    ("week", &self.week.label()),
                    ("period", &self.week.code()),
                    ("figures", &lines.join("\n")),
                    ("sender", &sender),
                ],
            ),
        )
    }
}

/// `archived_records.kind` of a consolidated weekly report.
pub const RECORD_CONSOLIDATED: &str = "consolidado_semanal";
/// `archived_records.kind` of an agent's own weekly report.
pub const RECORD_AGENT: &str = "reporte_agente";
/// The MIME type of the XLSX file.
pub const XLSX_MIME: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

code_enum!(
    /// How a weekly report left the program (`archived_records.delivery`).
    Delivery, "weekly_delivery", {
        /// Saved as a file.
        Exportado => "exportado",
        /// Queued to the head by e-mail ("Enviar a jefatura").
        Correo => "correo",
        /// Handed to the head by hand ("Entregado a mano").
        AMano => "a_mano",
    }
);

/// A weekly report recorded in the archive: who, when, how and to whom.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WeeklyRecord {
    /// Its id.
    pub id: i64,
    /// `consolidado_semanal` or `reporte_agente`.
    pub kind: String,
    /// The title.
    pub title: String,
    /// `2026-W48`.
    pub period: String,
    /// The file's name.
    pub file_name: String,
    /// Who (login, or `cli:<user>`).
    pub created_by: String,
    /// When (UTC seconds).
    pub created_at: i64,
    /// How (`None`: a record from before deliveries were kept).
    pub delivery: Option<Delivery>,
    /// To whom (an e-mail address, a name; empty for a file saved).
    pub recipient: String,
    /// The file's size in bytes.
    pub size: i64,
}

/// Whether `text` looks like one e-mail address (something@domain.tld, no spaces).
pub fn is_email(text: &str) -> bool {
    let s = text.trim();
    let Some((user, domain)) = s.split_once('@') else {
        return false;
    };
    !user.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.contains(char::is_whitespace)
        && !domain.contains('@')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Lang, with_lang};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn weeks_parse_and_print_by_iso_rules() {
        let w = IsoWeek::parse("2026-W48").expect("week");
        assert_eq!((w.year, w.week), (2026, 48));
        assert_eq!(w.code(), "2026-W48");
        assert_eq!(w.monday(), d(2026, 11, 23));
        assert_eq!(w.sunday(), d(2026, 11, 29));
        assert_eq!(IsoWeek::parse("2026w48"), Some(w));
        assert_eq!(IsoWeek::parse(" 2026-w48 "), Some(w));
        assert_eq!("2026-W48".parse::<IsoWeek>(), Ok(w));
        // 2026 starts on a Thursday: it has 53 weeks; 2027 has 52.
        assert_eq!(weeks_in_year(2026), 53);
        assert_eq!(weeks_in_year(2027), 52);
        assert_eq!(weeks_in_year(2020), 53);
        let w53 = IsoWeek::parse("2026-W53").expect("2026 has a week 53");
        assert_eq!(w53.monday(), d(2026, 12, 28));
        assert_eq!(w53.sunday(), d(2027, 1, 3));
        assert_eq!(IsoWeek::parse("2027-W53"), None);
        let w1 = IsoWeek::parse("2027-W01").expect("w01");
        assert_eq!(w1.monday(), d(2027, 1, 4));
        assert_eq!(w53.next(), w1);
        assert_eq!(w1.previous(), w53);
        // 1 January 2027 (a Friday) is in 2026's week 53; 31 December 2024 in 2025-W01.
        assert_eq!(IsoWeek::of_date(d(2027, 1, 1)), w53);
        assert_eq!(IsoWeek::of_date(d(2024, 12, 30)).code(), "2025-W01");
        assert_eq!(
            IsoWeek::parse("2025-W01").expect("w").previous().code(),
            "2024-W52"
        );
        for bad in [
            "",
            "2026",
            "2026-W",
            "2026-W00",
            "2026-W54",
            "26-W48",
            "2026-W480",
            "2026-48",
            "2026-Wx8",
            "W48",
            "2026--W48",
            "２０２６-W48",
            "-2026-W48",
        ] {
            assert_eq!(IsoWeek::parse(bad), None, "{bad:?}");
            assert!(bad.parse::<IsoWeek>().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn the_label_says_the_days_and_months() {
        with_lang(Lang::Es, || {
            let l = |s: &str| IsoWeek::parse(s).expect("week").label();
            assert_eq!(l("2026-W48"), "Semana del 23 al 29 nov. 2026");
            assert_eq!(l("2026-W49"), "Semana del 30 nov. al 6 dic. 2026");
            assert_eq!(l("2026-W53"), "Semana del 28 dic. 2026 al 3 ene. 2027");
        });
        with_lang(Lang::En, || {
            assert_eq!(
                IsoWeek::parse("2026-W48").expect("week").label(),
                "Week of Nov 23 – 29, 2026"
            );
        });
    }

    #[test]
    fn a_week_is_monday_to_monday_in_the_time_zone() {
        let s = Settings::default();
        let w = IsoWeek::parse("2026-W48").expect("week");
        let (a, b) = w.bounds(&s);
        // Bogotá is UTC−5: Monday 23 Nov 00:00 there is 05:00 UTC.
        assert_eq!(b - a, 7 * 86_400);
        assert_eq!(
            chrono::DateTime::from_timestamp(a, 0)
                .expect("ts")
                .to_rfc3339(),
            "2026-11-23T05:00:00+00:00"
        );
        assert_eq!(IsoWeek::of_instant(a, &s), w);
        assert_eq!(IsoWeek::of_instant(a - 1, &s), w.previous());
        assert_eq!(IsoWeek::of_instant(b - 1, &s), w);
        assert_eq!(IsoWeek::of_instant(b, &s), w.next());
        // A zone with summer time: the week of the change is an hour shorter.
        let madrid = Settings {
            time_zone: "Europe/Madrid".into(),
            ..Settings::default()
        };
        let (a, b) = IsoWeek::parse("2026-W13").expect("week").bounds(&madrid);
        assert_eq!(b - a, 7 * 86_400 - 3600);
    }

    #[test]
    fn changes_compare_with_the_week_before() {
        let c = Change {
            key: "weekly.inbound",
            now: 15,
            before: 12,
        };
        assert_eq!(c.delta(), 3);
        assert_eq!(c.text(), "+3 (+25,0 %)");
        let c = Change {
            now: 1,
            before: 2,
            ..c
        };
        assert_eq!(c.text(), "-1 (-50,0 %)");
        let c = Change {
            now: 4,
            before: 0,
            ..c
        };
        assert_eq!((c.text(), c.ratio()), ("+4".to_owned(), None));
        let c = Change {
            now: 0,
            before: 0,
            ..c
        };
        assert_eq!(c.text(), "0");
    }

    #[test]
    fn figures_add_up_and_name_their_busiest_hours() {
        let mut a = Figures {
            inbound: 2,
            ..Figures::default()
        };
        a.add_channel(Channel::Whatsapp, 2);
        a.add_result(InboundResult::Remitido, 1);
        add_named(&mut a.by_program, "Psicología", 2);
        a.by_hour[9] = 2;
        let mut b = Figures {
            inbound: 1,
            outbound: 3,
            ..Figures::default()
        };
        b.add_channel(Channel::Whatsapp, 1);
        add_named(&mut b.by_program, "Derecho", 1);
        add_named(&mut b.by_program, "Psicología", 1);
        b.by_hour[9] = 1;
        b.by_hour[14] = 3;
        let mut total = Figures::default();
        total.add(&a);
        total.add(&b);
        assert_eq!(total.inbound, 3);
        assert_eq!(total.calls(), 6);
        assert_eq!(total.channel(Channel::Whatsapp), 3);
        assert_eq!(total.channel(Channel::Telefono), 0);
        assert_eq!(total.remissions(), 1);
        assert_eq!(
            total.by_program,
            vec![
                Named {
                    name: "Psicología".into(),
                    n: 3
                },
                Named {
                    name: "Derecho".into(),
                    n: 1
                }
            ]
        );
        assert_eq!(total.busiest_hours(), vec![(9, 3), (14, 3)]);
    }

    #[test]
    fn emails_are_checked_loosely() {
        assert!(is_email("jefe@universidad.edu.co"));
        assert!(is_email(" jefe@u.co "));
        for bad in [
            "",
            "jefe",
            "jefe@",
            "@u.co",
            "jefe@u",
            "je fe@u.co",
            "a@b@c.co",
            "a@.co",
        ] {
            assert!(!is_email(bad), "{bad:?}");
        }
    }
}
