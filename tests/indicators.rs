//! The campaign indicators (issue 12, first part): on the demo's campaign in progress, every
//! count equals a direct count made one row at a time, for the whole campaign and for one day;
//! the command line prints them.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{NaiveDate, TimeZone};
use telemercadeo::domain::{Actor, TestClock};
use telemercadeo::store::{Store, Target};

/// 2026-12-03 16:00 in Bogotá.
const NOW: i64 = 1_796_331_600;

fn local_day(ts: i64) -> NaiveDate {
    chrono_tz::America::Bogota
        .timestamp_opt(ts, 0)
        .single()
        .expect("instant")
        .date_naive()
}

#[test]
fn the_indicators_equal_direct_counts() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("demo.sqlite3");
    let store = Store::open_with_clock(&Target::Sqlite(path.clone()), Arc::new(TestClock::at(NOW)))
        .expect("store");
    let s = telemercadeo::demo::fill(&store, &Actor::cli()).expect("demo");
    let c = s.active_campaign;
    let sql = rusqlite::Connection::open(&path).expect("sql");
    // Every attempt: contact, local day, reached (a third party never), positive, seconds.
    let mut st = sql
        .prepare("SELECT a.contact_id, a.started_at, d.reached, d.category, a.duration_secs FROM call_attempts a JOIN dispositions d ON d.id = a.disposition_id WHERE a.campaign_id = ?1")
        .expect("prepare");
    let attempts: Vec<(i64, NaiveDate, bool, bool, i64)> = st
        .query_map([c], |r| {
            let category: String = r.get(3)?;
            Ok((
                r.get(0)?,
                local_day(r.get(1)?),
                r.get::<_, i64>(2)? == 1 && category != "tercero",
                category == "positivo",
                r.get(4)?,
            ))
        })
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("attempts");
    let day = attempts
        .iter()
        .map(|a| a.1)
        .max()
        .expect("a day with calls");
    for (from, to) in [(None, None), (Some(day), Some(day))] {
        let got = store
            .indicators(&Actor::cli(), c, from, to)
            .expect("indicators");
        let mut per_contact: BTreeMap<i64, (bool, bool)> = BTreeMap::new();
        let (mut dials, mut secs) = (0, 0);
        for (contact, d, reached, positive, s) in &attempts {
            if from.is_some_and(|f| *d < f) || to.is_some_and(|t| *d > t) {
                continue;
            }
            dials += 1;
            secs += s;
            let e = per_contact.entry(*contact).or_default();
            e.0 |= reached;
            e.1 |= positive;
        }
        assert!(dials > 0);
        assert_eq!(got.marcaciones, dials, "{from:?}");
        assert_eq!(got.talk_secs, secs);
        assert_eq!(got.gestionados, per_contact.len() as i64);
        assert_eq!(
            got.contactados,
            per_contact.values().filter(|v| v.0).count() as i64
        );
        assert_eq!(
            got.positivos,
            per_contact.values().filter(|v| v.1).count() as i64
        );
        assert_eq!(got.registros_validos, 480);
        let pending: i64 = sql
            .query_row(
                "SELECT COUNT(*) FROM campaign_contacts WHERE campaign_id = ?1 AND status IN ('pendiente', 'agendado')",
                [c],
                |r| r.get(0),
            )
            .expect("pending");
        assert_eq!(got.pendientes, pending);
        assert_eq!(
            got.barrido(),
            Some(per_contact.len() as f64 / 480.0),
            "gestionados ÷ registros válidos"
        );
    }
    // Nobody but those who run or decide campaigns.
    let agent = store.user_by_login("aperez").expect("read").expect("agent");
    let agent = Actor::User {
        id: agent.id,
        login: agent.login,
        role: agent.role,
        department_id: None,
    };
    assert!(store.indicators(&agent, c, None, None).is_err());

    // The command line prints the same figures.
    drop(store);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_telemercadeo"))
        .args(["--db"])
        .arg(&path)
        .args(["--json", "indicators", "--campaign", &c.to_string()])
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["marcaciones"], attempts.len() as i64);
    assert_eq!(v["registros_validos"], 480);
    // A period backwards is a usage error.
    let bad = std::process::Command::new(env!("CARGO_BIN_EXE_telemercadeo"))
        .args(["--db"])
        .arg(&path)
        .args([
            "indicators",
            "--campaign",
            &c.to_string(),
            "--from",
            "2026-12-02",
            "--to",
            "2026-12-01",
        ])
        .output()
        .expect("run");
    assert_eq!(bad.status.code(), Some(2));
}

#[path = "common/mod.rs"]
mod common;

#[test]
fn seguimiento_shows_the_indicators_against_the_strategy_to_the_head_not_to_an_agent() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("demo.sqlite3");
    let store = Store::open_with_clock(&Target::Sqlite(path.clone()), Arc::new(TestClock::at(NOW)))
        .expect("store");
    let s = telemercadeo::demo::fill(&store, &Actor::cli()).expect("demo");
    let ind = store
        .indicators(&Actor::cli(), s.active_campaign, None, None)
        .expect("indicators");
    let barrido = telemercadeo::domain::format::percent(ind.barrido().expect("barrido"));
    let mut h = common::app(store.clone());
    // Everyone shares the demo's password; the tests' helper logs in with its own.
    for u in ["mcastro", "aperez"] {
        let id = store.user_by_login(u).expect("read").expect("user").id;
        store
            .reset_password(&Actor::cli(), id, common::PW, common::PW)
            .expect("password");
    }
    common::log_in(&mut h, "mcastro");
    common::click(&mut h, "Seguimiento");
    common::wait_until(&mut h, "the indicators", |h| {
        common::visible(h, "Indicadores de la campaña frente a la estrategia")
    });
    assert!(common::visible(&h, "gestionados ÷ registros válidos"));
    assert!(common::visible(&h, &barrido), "barrido {barrido}");
    common::log_in(&mut h, "aperez");
    common::click(&mut h, "Seguimiento");
    common::wait_until(&mut h, "the agent's figures", |h| {
        common::visible_containing(h, "Cifras de las")
    });
    assert!(!common::visible(
        &h,
        "Indicadores de la campaña frente a la estrategia"
    ));
}
