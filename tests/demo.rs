//! `demo`'s campaign in progress, at chosen instants of the demo's clock: started about two
//! weeks before today, dealt among the four auxiliares, its past calling days recorded through
//! the store (every derived field the store's own), contacts still to call, callbacks due today.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

use chrono::{Datelike, NaiveDate, TimeZone};
use telemercadeo::demo::DemoSummary;
use telemercadeo::domain::procedure::CampaignStatus;
use telemercadeo::domain::{Actor, TestClock};
use telemercadeo::store::{Store, Target};

/// UTC seconds of a Bogotá local time (UTC−5, no daylight saving).
fn bogota(y: i32, m: u32, d: u32, h: u32) -> i64 {
    chrono::NaiveDate::from_ymd_opt(y, m, d)
        .and_then(|d| d.and_hms_opt(h, 0, 0))
        .expect("date")
        .and_utc()
        .timestamp()
        + 5 * 3600
}

fn local_day(ts: i64) -> NaiveDate {
    chrono_tz::America::Bogota
        .timestamp_opt(ts, 0)
        .single()
        .expect("instant")
        .date_naive()
}

/// The demo on a fresh file whose clock stands at `now`.
fn demo_at(dir: &Path, now: i64) -> (Store, DemoSummary, rusqlite::Connection) {
    let path = dir.join("demo.sqlite3");
    let store = Store::open_with_clock(&Target::Sqlite(path.clone()), Arc::new(TestClock::at(now)))
        .expect("open");
    let t = std::time::Instant::now();
    let summary = telemercadeo::demo::fill(&store, &Actor::cli()).expect("demo");
    eprintln!("demo filled in {:?}", t.elapsed());
    let sql = rusqlite::Connection::open(&path).expect("sql");
    (store, summary, sql)
}

/// An attempt as read back: started, ended, agent login, outcome code, reason, script version.
type AttemptRow = (i64, i64, String, String, Option<String>, Option<i64>);

fn count(sql: &rusqlite::Connection, q: &str, campaign: i64) -> i64 {
    sql.query_row(q, [campaign], |r| r.get(0)).expect(q)
}

/// What every day of the demo has to show, whatever the date.
fn assert_in_progress(store: &Store, s: &DemoSummary, sql: &rusqlite::Connection, now: i64) {
    let cli = Actor::cli();
    let settings = store.settings().expect("settings");
    let today = local_day(now);
    let c = store.campaign(&cli, s.active_campaign).expect("campaign");
    assert_eq!(c.status, CampaignStatus::Activa);
    let start = telemercadeo::domain::brief::parse_date(&c.form.start_date).expect("start");
    let age = (today - start).num_days();
    assert!((8..=14).contains(&age), "started {age} days ago");

    // The script uses a column of the imported file; the contacts carry it.
    let script = store
        .campaign_script(&cli, c.id)
        .expect("script")
        .expect("published");
    let text: String = script
        .content
        .sections
        .iter()
        .map(|s| s.text.as_str())
        .collect();
    assert!(text.contains("{colegio}"), "{text}");
    assert_eq!(
        count(
            sql,
            "SELECT COUNT(*) FROM campaign_contacts WHERE campaign_id = ?1 AND extra LIKE '%\"Colegio\":%'",
            c.id
        ),
        count(
            sql,
            "SELECT COUNT(*) FROM campaign_contacts WHERE campaign_id = ?1",
            c.id
        ),
    );

    // Attempts on several past days, each inside the calling windows (no Sunday, no holiday),
    // with its script version, and never after now (today's morning is already worked).
    let rows: Vec<AttemptRow> = {
        let mut st = sql
            .prepare(
                "SELECT a.started_at, a.ended_at, u.login, d.code, a.reason, a.script_version_id FROM call_attempts a JOIN users u ON u.id = a.agent_id JOIN dispositions d ON d.id = a.disposition_id WHERE a.campaign_id = ?1",
            )
            .expect("prepare");
        st.query_map([c.id], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows")
    };
    assert_eq!(rows.len(), s.attempts);
    let days: BTreeSet<NaiveDate> = rows.iter().map(|r| local_day(r.0)).collect();
    assert!(days.len() >= 5, "attempts on {days:?}");
    assert!(days.iter().all(|d| *d <= today && *d >= start), "{days:?}");
    let now = store.now();
    assert!(rows.iter().all(|r| r.1 <= now), "no attempt after now");
    for (started, ended, login, code, _, version) in &rows {
        for at in [*started, *ended] {
            assert!(
                settings.may_call_at(at).is_ok(),
                "{login} {code} at {} outside the windows",
                local_day(at)
            );
        }
        assert_ne!(local_day(*started).weekday(), chrono::Weekday::Sun);
        assert!(version.is_some(), "the script version is kept");
    }
    // Several outcomes; every "No interesado" with a coded reason; exactly one opt-out.
    let mut by_code: BTreeMap<&str, usize> = BTreeMap::new();
    for r in &rows {
        *by_code.entry(r.3.as_str()).or_default() += 1;
    }
    for code in [
        "no_contesta",
        "buzon",
        "volver_a_llamar",
        "interesado",
        "no_interesado",
        "numero_errado",
    ] {
        assert!(
            by_code.get(code).is_some_and(|n| *n > 0),
            "{code}: {by_code:?}"
        );
    }
    assert_eq!(by_code.get("no_contactar"), Some(&1), "{by_code:?}");
    let reasons = [
        "precio",
        "financiacion",
        "horario",
        "otra_institucion",
        "no_cumple_requisitos",
        "otro",
    ];
    assert!(
        rows.iter()
            .filter(|r| r.3 == "no_interesado")
            .all(|r| r.4.as_deref().is_some_and(|x| reasons.contains(&x)))
    );
    let optout: i64 = sql
        .query_row(
            "SELECT COUNT(*) FROM optout WHERE source = 'llamada'",
            [],
            |r| r.get(0),
        )
        .expect("optout");
    assert!(optout >= 1, "the opt-out is in the register");
    // A wrong number moved its contact to the alternate phone: still open, on another phone.
    let moved = count(
        sql,
        "SELECT COUNT(*) FROM campaign_contacts cc WHERE cc.campaign_id = ?1 AND cc.status <> 'cerrado' AND EXISTS (SELECT 1 FROM call_attempts a JOIN dispositions d ON d.id = a.disposition_id WHERE a.contact_id = cc.id AND d.code = 'numero_errado' AND a.phone <> cc.phone)",
        c.id,
    );
    assert!(moved >= 1, "a wrong number moved on to its alternate");
    // The derived fields are the store's: attempts and last attempt agree with the rows.
    let off = count(
        sql,
        "SELECT COUNT(*) FROM campaign_contacts cc WHERE cc.campaign_id = ?1 AND (cc.attempts <> (SELECT COUNT(*) FROM call_attempts a WHERE a.contact_id = cc.id) OR COALESCE(cc.last_attempt_at, 0) <> COALESCE((SELECT MAX(ended_at) FROM call_attempts a WHERE a.contact_id = cc.id), 0))",
        c.id,
    );
    assert_eq!(off, 0);

    // Each of the four auxiliares has called and has contacts still to call.
    let pending = store.pending_counts(c.id).expect("pending");
    for login in ["aperez", "cruiz", "jmora", "dvargas"] {
        assert!(
            rows.iter().filter(|r| r.2 == login).count() >= 10,
            "{login} has attempts"
        );
        assert!(
            pending.get(login).is_some_and(|n| *n > 10),
            "{login} has contacts to call: {pending:?}"
        );
    }
    let never = count(
        sql,
        "SELECT COUNT(*) FROM campaign_contacts WHERE campaign_id = ?1 AND attempts = 0",
        c.id,
    );
    assert!(never > 50, "{never} never called");
    // Nobody holds a contact: every call ended with its outcome.
    assert_eq!(
        count(
            sql,
            "SELECT COUNT(*) FROM campaign_contacts WHERE campaign_id = ?1 AND claimed_by IS NOT NULL",
            c.id
        ),
        0
    );
    assert!(store.check().expect("check").ok);
}

/// Callbacks of the campaign due on `day`, each inside that day's windows.
fn callbacks_on(store: &Store, sql: &rusqlite::Connection, campaign: i64, day: NaiveDate) -> usize {
    let settings = store.settings().expect("settings");
    let mut st = sql
        .prepare("SELECT next_call_at FROM campaign_contacts WHERE campaign_id = ?1 AND status = 'agendado'")
        .expect("prepare");
    let due: Vec<i64> = st
        .query_map([campaign], |r| r.get(0))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows");
    for at in &due {
        assert!(
            settings.may_call_at(*at).is_ok(),
            "a callback at a callable time"
        );
    }
    due.iter().filter(|at| local_day(**at) == day).count()
}

#[test]
fn demo_has_a_campaign_in_progress_with_callbacks_due_today() {
    // Tuesday 1 December 2026, 10:00: two weeks back is Tuesday 17 November (Monday 16 was a
    // holiday); Sundays 22 and 29 have no calls.
    let dir = tempfile::tempdir().expect("tempdir");
    let now = bogota(2026, 12, 1, 10);
    let (store, s, sql) = demo_at(dir.path(), now);
    assert_eq!((s.briefs, s.campaigns), (7, 2));
    assert_in_progress(&store, &s, &sql, now);
    let today = local_day(now);
    assert!(
        callbacks_on(&store, &sql, s.active_campaign, today) >= 2,
        "callbacks due today"
    );
    let days: BTreeSet<NaiveDate> = {
        let mut st = sql
            .prepare("SELECT started_at FROM call_attempts")
            .expect("prepare");
        st.query_map([], |r| r.get::<_, i64>(0))
            .expect("query")
            .map(|r| local_day(r.expect("row")))
            .collect()
    };
    let d = |day: u32| NaiveDate::from_ymd_opt(2026, 11, day).expect("date");
    assert!(days.contains(&d(17)) && days.contains(&d(28)) && days.contains(&d(30)));
    for off in [d(16), d(22), d(29)] {
        assert!(!days.contains(&off), "{off}: a holiday or a Sunday");
    }
    // An agent asking now gets a due callback first (the queue's first rule).
    let settings = store.settings().expect("settings");
    let due_now = sql
        .query_row(
            "SELECT u.login FROM campaign_contacts cc JOIN users u ON u.id = cc.agent_id WHERE cc.campaign_id = ?1 AND cc.status = 'agendado' AND cc.next_call_at <= ?2 ORDER BY cc.next_call_at LIMIT 1",
            [s.active_campaign, now],
            |r| r.get::<_, String>(0),
        )
        .ok();
    if let Some(login) = due_now {
        let next = store
            .call_next(&Actor::cli(), s.active_campaign, &login)
            .expect("next");
        match next {
            telemercadeo::domain::call::Next::Contact(c) => assert!(c.callback, "{c:?}"),
            other => panic!("{other:?} at {}", settings.tz()),
        }
    }
}

#[test]
fn demo_after_a_holiday_skips_it_and_still_has_callbacks_due_today() {
    // Wednesday 9 December 2026: Tuesday 8 (Inmaculada Concepción) and the Sundays are skipped.
    let dir = tempfile::tempdir().expect("tempdir");
    let now = bogota(2026, 12, 9, 16);
    let (store, s, sql) = demo_at(dir.path(), now);
    assert_in_progress(&store, &s, &sql, now);
    assert!(callbacks_on(&store, &sql, s.active_campaign, local_day(now)) >= 1);
    let holiday: i64 = sql
        .query_row(
            "SELECT COUNT(*) FROM call_attempts WHERE started_at >= ?1 AND started_at < ?2",
            [bogota(2026, 12, 8, 0), bogota(2026, 12, 9, 0)],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(holiday, 0);
}

#[test]
fn demo_without_calling_windows_starts_the_campaign_and_records_nothing() {
    // Settings with no window at all (another rule): the campaign is still started, and no
    // attempt is invented outside the rules.
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("demo.sqlite3");
    let now = bogota(2026, 12, 1, 10);
    let store = Store::open_with_clock(&Target::Sqlite(path.clone()), Arc::new(TestClock::at(now)))
        .expect("open");
    let sql = rusqlite::Connection::open(&path).expect("sql");
    sql.execute(
        "INSERT INTO settings (key, value) VALUES ('call_windows', '') ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [],
    )
    .expect("no windows");
    let t = std::time::Instant::now();
    let s = telemercadeo::demo::fill(&store, &Actor::cli()).expect("demo");
    eprintln!("demo without calls filled in {:?}", t.elapsed());
    assert_eq!(s.attempts, 0);
    let c = store
        .campaign(&Actor::cli(), s.active_campaign)
        .expect("campaign");
    assert_eq!(c.status, CampaignStatus::Activa);
    assert_eq!(
        count(
            &sql,
            "SELECT COUNT(*) FROM call_attempts WHERE campaign_id = ?1",
            c.id
        ),
        0
    );
    // And a database that is not empty is refused, as before.
    assert!(telemercadeo::demo::fill(&store, &Actor::cli()).is_err());
}

/// The weekly consolidated report on the demo database equals direct counts, one row at a time,
/// and its XLSX read back holds them (issue 11).
#[test]
fn the_demo_weeks_consolidate_to_direct_counts() {
    use calamine::{Data, Reader, Xlsx};
    use telemercadeo::domain::weekly::IsoWeek;
    let dir = tempfile::tempdir().expect("tmp");
    // Thursday 3 December 2026, 16:00 in Bogotá: last week is whole, this one half done.
    let now = bogota(2026, 12, 3, 16);
    let (store, s, sql) = demo_at(dir.path(), now);
    assert!(s.inbound_calls >= 40, "{} inbound calls", s.inbound_calls);
    let settings = store.settings().expect("settings");
    let cli = Actor::cli();
    for week in [
        IsoWeek::of_instant(now, &settings),
        IsoWeek::of_instant(now, &settings).previous(),
    ] {
        let report = store.weekly(&cli, week, None).expect("weekly");
        let (from, to) = week.bounds(&settings);
        // Inbound calls, one row at a time.
        let mut by_result = std::collections::BTreeMap::<String, i64>::new();
        let mut by_channel = std::collections::BTreeMap::<String, i64>::new();
        let mut inbound = 0;
        let mut st = sql
            .prepare("SELECT received_at, result, channel FROM inbound_calls")
            .expect("prepare");
        let rows = st
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })
            .expect("rows");
        for row in rows {
            let (at, result, channel) = row.expect("row");
            if at >= from && at < to {
                inbound += 1;
                *by_result.entry(result).or_default() += 1;
                *by_channel.entry(channel).or_default() += 1;
            }
        }
        assert!(inbound > 0, "the demo has inbound calls in {}", week.code());
        assert_eq!(report.total.inbound, inbound, "{}", week.code());
        for (r, n) in &report.total.by_result {
            assert_eq!(by_result.get(r.code()).copied().unwrap_or(0), *n, "{r:?}");
        }
        for (c, n) in &report.total.by_channel {
            assert_eq!(by_channel.get(c.code()).copied().unwrap_or(0), *n, "{c:?}");
        }
        // Outbound attempts, one row at a time.
        let mut outbound = 0;
        let mut st = sql
            .prepare("SELECT started_at FROM call_attempts")
            .expect("prepare");
        for at in st.query_map([], |r| r.get::<_, i64>(0)).expect("rows") {
            let at = at.expect("row");
            if at >= from && at < to {
                outbound += 1;
            }
        }
        assert!(
            outbound > 0,
            "the demo has outbound attempts in {}",
            week.code()
        );
        assert_eq!(report.total.outbound, outbound, "{}", week.code());
        // The XLSX holds the same figures.
        let bytes = telemercadeo::i18n::with_lang(telemercadeo::i18n::Lang::Es, || {
            telemercadeo::report::weekly_xlsx::weekly_xlsx(&report, &settings, now)
        })
        .expect("xlsx");
        let mut book = Xlsx::new(std::io::Cursor::new(bytes)).expect("opens");
        let summary: Vec<Vec<Data>> = book
            .worksheet_range("Resumen")
            .expect("Resumen")
            .rows()
            .map(|r| r.to_vec())
            .collect();
        let line = |label: &str| {
            summary
                .iter()
                .find(|r| r[0] == Data::String(label.into()))
                .unwrap_or_else(|| panic!("{label}"))[1]
                .clone()
        };
        assert_eq!(line("Llamadas entrantes"), Data::Float(inbound as f64));
        assert_eq!(line("Llamadas salientes"), Data::Float(outbound as f64));
    }
}
