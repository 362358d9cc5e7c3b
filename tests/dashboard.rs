//! The dashboards (Indicadores, issue 12): on the demo's campaign in progress, every figure of
//! every breakdown equals a count made here one attempt at a time from plain SQL rows — for
//! the whole campaign, for one day, for one agent, and across campaigns; the command line
//! prints them; the head and the professional open the tab and see the cards and the
//! heatmap, an agent does not see it.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use chrono::{Datelike, NaiveDate, TimeZone, Timelike};
use egui_kittest::kittest::Queryable;
use telemercadeo::domain::call::Band;
use telemercadeo::domain::indicators::DashboardFilter;
use telemercadeo::domain::{Actor, TestClock};
use telemercadeo::store::{Store, Target};

#[path = "common/mod.rs"]
mod common;

/// 2026-12-03 16:00 in Bogotá.
const NOW: i64 = 1_796_331_600;

fn local(ts: i64) -> chrono::DateTime<chrono_tz::Tz> {
    chrono_tz::America::Bogota
        .timestamp_opt(ts, 0)
        .single()
        .expect("instant")
}

/// One attempt as read with plain SQL.
struct Attempt {
    contact: i64,
    agent: Option<i64>,
    disposition: i64,
    reason: String,
    at: i64,
    secs: i64,
    answers: String,
}

/// A disposition: code, category, reached flag.
type Disp = (String, String, bool);

fn rank(d: &Disp) -> i64 {
    let c = match d.1.as_str() {
        "positivo" => 6,
        "agendado" => 5,
        "negativo" | "exclusion" => 4,
        "tercero" => 3,
        "no_contactado" => 2,
        "numero_invalido" => 1,
        _ => 0,
    };
    i64::from(d.2) * 8 + c
}

fn reached(d: &Disp) -> bool {
    d.2 && d.1 != "tercero"
}

fn demo() -> (tempfile::TempDir, std::path::PathBuf, Store, i64) {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("demo.sqlite3");
    let store = Store::open_with_clock(&Target::Sqlite(path.clone()), Arc::new(TestClock::at(NOW)))
        .expect("store");
    let s = telemercadeo::demo::fill(&store, &Actor::cli()).expect("demo");
    (dir, path, store, s.active_campaign)
}

#[test]
fn every_figure_of_the_dashboard_equals_a_direct_count() {
    let (_dir, path, store, c) = demo();
    let sql = rusqlite::Connection::open(&path).expect("sql");
    let disps: HashMap<i64, Disp> = sql
        .prepare("SELECT id, code, category, reached FROM dispositions")
        .expect("prepare")
        .query_map([], |r| {
            Ok((r.get(0)?, (r.get(1)?, r.get(2)?, r.get::<_, i64>(3)? == 1)))
        })
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("dispositions");
    let attempts_of = |campaign: Option<i64>| -> Vec<Attempt> {
        let mut st = sql
            .prepare("SELECT contact_id, agent_id, disposition_id, COALESCE(reason, ''), started_at, duration_secs, answers, campaign_id FROM call_attempts")
            .expect("prepare");
        st.query_map([], |r| {
            Ok((
                r.get::<_, i64>(7)?,
                Attempt {
                    contact: r.get(0)?,
                    agent: r.get(1)?,
                    disposition: r.get(2)?,
                    reason: r.get(3)?,
                    at: r.get(4)?,
                    secs: r.get(5)?,
                    answers: r.get(6)?,
                },
            ))
        })
        .expect("rows")
        .map(|r| r.expect("row"))
        .filter(|(cid, _)| campaign.is_none_or(|c| c == *cid))
        .map(|(_, a)| a)
        .collect()
    };
    // Program and city of every visible contact (through the view: the reference).
    let contacts: HashMap<i64, (String, String, i64)> = {
        let mut st = sql
            .prepare("SELECT id, COALESCE(program, ''), COALESCE(city, ''), campaign_id FROM visible_contacts")
            .expect("prepare");
        st.query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?, r.get(3)?))))
            .expect("rows")
            .collect::<Result<_, _>>()
            .expect("contacts")
    };
    let all = attempts_of(Some(c));
    let last_day = all
        .iter()
        .map(|a| local(a.at).date_naive())
        .max()
        .expect("a day");
    let busiest_agent = {
        let mut n: BTreeMap<i64, usize> = BTreeMap::new();
        for a in &all {
            *n.entry(a.agent.expect("agent")).or_default() += 1;
        }
        *n.iter().max_by_key(|(_, n)| **n).expect("agent").0
    };
    let filters = [
        DashboardFilter {
            campaign_id: Some(c),
            ..Default::default()
        },
        DashboardFilter {
            campaign_id: Some(c),
            from: Some(last_day),
            to: Some(last_day),
            agent_id: None,
        },
        DashboardFilter {
            campaign_id: Some(c),
            agent_id: Some(busiest_agent),
            ..Default::default()
        },
        DashboardFilter::default(),
    ];
    for f in filters {
        let got = store.dashboard(&Actor::cli(), &f).expect("dashboard");
        let source = attempts_of(f.campaign_id);
        let rows: Vec<&Attempt> = source
            .iter()
            .filter(|a| {
                let d = local(a.at).date_naive();
                f.from.is_none_or(|x| d >= x)
                    && f.to.is_none_or(|x| d <= x)
                    && f.agent_id.is_none_or(|x| a.agent == Some(x))
            })
            .collect();
        assert!(!rows.is_empty(), "{f:?}");
        let what = format!("{f:?}");
        // Each record by its best outcome (rank, then the newer).
        let mut best: BTreeMap<i64, (i64, i64, i64)> = BTreeMap::new();
        let mut flags: BTreeMap<i64, (bool, bool)> = BTreeMap::new();
        for a in &rows {
            let d = &disps[&a.disposition];
            let key = (rank(d), a.at, a.disposition);
            let e = best.entry(a.contact).or_insert(key);
            if key > *e {
                *e = key;
            }
            let fl = flags.entry(a.contact).or_default();
            fl.0 |= reached(d);
            fl.1 |= d.1 == "positivo";
        }
        let ind = &got.indicators;
        assert_eq!(ind.marcaciones, rows.len() as i64, "{what}");
        assert_eq!(ind.talk_secs, rows.iter().map(|a| a.secs).sum::<i64>());
        assert_eq!(ind.gestionados, best.len() as i64);
        assert_eq!(
            ind.contactados,
            flags.values().filter(|v| v.0).count() as i64
        );
        assert_eq!(ind.positivos, flags.values().filter(|v| v.1).count() as i64);
        let visible: i64 = contacts
            .values()
            .filter(|v| f.campaign_id.is_none_or(|c| c == v.2))
            .count() as i64;
        assert_eq!(ind.registros_validos, visible, "{what}");
        // Outcomes: records by best outcome, attempts by outcome.
        for o in &got.outcomes {
            let id = *disps.iter().find(|(_, d)| d.0 == o.code).expect("code").0;
            assert_eq!(
                o.records,
                best.values().filter(|b| b.2 == id).count() as i64,
                "{what} {}",
                o.code
            );
            assert_eq!(
                o.attempts,
                rows.iter().filter(|a| a.disposition == id).count() as i64
            );
        }
        let shown: i64 = got.outcomes.iter().map(|o| o.records).sum();
        assert_eq!(shown, best.len() as i64, "every record under one outcome");
        assert_eq!(
            got.terceros,
            best.values().filter(|b| disps[&b.2].1 == "tercero").count() as i64
        );
        // Reasons for no interest.
        let mut reasons: BTreeMap<String, i64> = BTreeMap::new();
        for a in rows
            .iter()
            .filter(|a| disps[&a.disposition].1 == "negativo")
        {
            *reasons.entry(a.reason.clone()).or_default() += 1;
        }
        let got_reasons: BTreeMap<String, i64> = got.reasons.iter().cloned().collect();
        assert_eq!(got_reasons, reasons, "{what}");
        // Days: attempts and records reached.
        let mut days: BTreeMap<NaiveDate, (i64, BTreeSet<i64>)> = BTreeMap::new();
        for a in &rows {
            let e = days.entry(local(a.at).date_naive()).or_default();
            e.0 += 1;
            if reached(&disps[&a.disposition]) {
                e.1.insert(a.contact);
            }
        }
        assert_eq!(got.days.len(), days.len());
        for r in &got.days {
            let e = &days[&r.day];
            assert_eq!(
                (r.attempts, r.reached),
                (e.0, e.1.len() as i64),
                "{what} {}",
                r.day
            );
        }
        // The heatmap: band × weekday.
        let mut heat = [[(0_i64, 0_i64); 7]; 3];
        for a in &rows {
            let l = local(a.at);
            if let Some(b) = Band::of_hour(l.hour()) {
                let bi = Band::ALL.iter().position(|x| *x == b).expect("band");
                let cell = &mut heat[bi][l.weekday().num_days_from_monday() as usize];
                cell.0 += 1;
                cell.1 += i64::from(reached(&disps[&a.disposition]));
            }
        }
        for (b, row) in heat.iter().enumerate() {
            for (w, want) in row.iter().enumerate() {
                let g = got.heatmap[b][w];
                assert_eq!((g.attempts, g.reached), *want, "{what} band {b} day {w}");
            }
        }
        assert!(got.heatmap.iter().flatten().any(|c| c.attempts > 0));
        // Agents.
        for ag in &got.agents {
            let mine: Vec<&&Attempt> = rows.iter().filter(|a| a.agent == ag.agent_id).collect();
            assert_eq!(ag.attempts, mine.len() as i64);
            assert_eq!(
                ag.reached,
                mine.iter()
                    .filter(|a| reached(&disps[&a.disposition]))
                    .count() as i64
            );
            assert_eq!(
                ag.positive,
                mine.iter()
                    .filter(|a| disps[&a.disposition].1 == "positivo")
                    .count() as i64
            );
            assert_eq!(ag.talk_secs, mine.iter().map(|a| a.secs).sum::<i64>());
            let hours: BTreeSet<(NaiveDate, u32)> = mine
                .iter()
                .map(|a| (local(a.at).date_naive(), local(a.at).hour()))
                .collect();
            assert_eq!(ag.hours, hours.len() as i64, "{what} {}", ag.name);
            assert!(!ag.name.is_empty());
        }
        assert_eq!(
            got.agents.iter().map(|a| a.attempts).sum::<i64>(),
            rows.len() as i64
        );
        if f.agent_id.is_some() {
            assert_eq!(got.agents.len(), 1);
        }
        // Programs and cities.
        for (list, pick) in [(&got.programs, 0_usize), (&got.cities, 1_usize)] {
            for g in list {
                let name_of = |v: &(String, String, i64)| {
                    if pick == 0 { v.0.clone() } else { v.1.clone() }
                };
                let records = contacts
                    .values()
                    .filter(|v| f.campaign_id.is_none_or(|c| c == v.2) && name_of(v) == g.name)
                    .count() as i64;
                let mine: Vec<i64> = best
                    .keys()
                    .filter(|id| name_of(&contacts[*id]) == g.name)
                    .copied()
                    .collect();
                assert_eq!(g.records, records, "{what} {}", g.name);
                assert_eq!(g.handled, mine.len() as i64);
                assert_eq!(
                    g.reached,
                    mine.iter().filter(|id| flags[*id].0).count() as i64
                );
                assert_eq!(
                    g.positive,
                    mine.iter().filter(|id| flags[*id].1).count() as i64
                );
            }
            assert_eq!(list.iter().map(|g| g.records).sum::<i64>(), visible);
        }
        // Survey answers per question.
        let mut survey: BTreeMap<(String, String), i64> = BTreeMap::new();
        for a in &rows {
            let Ok(serde_json::Value::Object(m)) = serde_json::from_str(&a.answers) else {
                continue;
            };
            for (q, v) in m {
                let texts: Vec<String> = match v {
                    serde_json::Value::String(s) if !s.trim().is_empty() => {
                        vec![s.trim().to_owned()]
                    }
                    serde_json::Value::Array(l) => l
                        .iter()
                        .filter_map(|x| x.as_str().map(str::to_owned))
                        .collect(),
                    serde_json::Value::Number(n) => vec![n.to_string()],
                    _ => Vec::new(),
                };
                for t in texts {
                    *survey.entry((q.clone(), t)).or_default() += 1;
                }
            }
        }
        let got_survey: BTreeMap<(String, String), i64> = got
            .survey
            .iter()
            .flat_map(|q| {
                q.answers
                    .iter()
                    .map(|(a, n)| ((q.question_id.clone(), a.clone()), *n))
            })
            .collect();
        assert_eq!(got_survey, survey, "{what}");
        if f.from.is_none() && f.agent_id.is_none() {
            assert!(!survey.is_empty(), "the demo has survey answers");
            assert!(
                got.survey.iter().all(|q| q.question != q.question_id),
                "questions have their text"
            );
        }
        // Inbound calls per week.
        let mut st = sql
            .prepare("SELECT received_at, channel, result, taken_by FROM inbound_calls")
            .expect("prepare");
        let inbound: Vec<(i64, String, String, Option<i64>)> = st
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .expect("rows")
            .collect::<Result<_, _>>()
            .expect("inbound");
        let mut weeks: BTreeMap<String, (i64, BTreeMap<String, i64>)> = BTreeMap::new();
        for (at, channel, _, taken) in &inbound {
            let d = local(*at).date_naive();
            if f.from.is_some_and(|x| d < x)
                || f.to.is_some_and(|x| d > x)
                || f.agent_id.is_some_and(|x| *taken != Some(x))
            {
                continue;
            }
            let w = d.iso_week();
            let e = weeks
                .entry(format!("{}-W{:02}", w.year(), w.week()))
                .or_default();
            e.0 += 1;
            *e.1.entry(channel.clone()).or_default() += 1;
        }
        let got_weeks: BTreeMap<String, (i64, BTreeMap<String, i64>)> = got
            .inbound
            .iter()
            .map(|w| {
                (
                    w.week.clone(),
                    (w.calls, w.by_channel.iter().cloned().collect()),
                )
            })
            .collect();
        assert_eq!(got_weeks, weeks, "{what}");
        for w in &got.inbound {
            assert_eq!(w.by_program.iter().map(|p| p.1).sum::<i64>(), w.calls);
            assert_eq!(w.by_result.iter().map(|p| p.1).sum::<i64>(), w.calls);
        }
        if f == DashboardFilter::default() {
            assert!(!weeks.is_empty(), "the demo has inbound calls");
        }
    }
    // The indicators read alone equal the dashboard's.
    let whole = store
        .dashboard(
            &Actor::cli(),
            &DashboardFilter {
                campaign_id: Some(c),
                ..Default::default()
            },
        )
        .expect("dashboard");
    assert_eq!(
        store
            .indicators(&Actor::cli(), c, None, None)
            .expect("indicators"),
        whole.indicators
    );
    // An agent may not read the dashboards.
    let agent = store.user_by_login("aperez").expect("read").expect("agent");
    let agent = Actor::User {
        id: agent.id,
        login: agent.login,
        role: agent.role,
        department_id: None,
    };
    assert!(
        store
            .dashboard(&agent, &DashboardFilter::default())
            .is_err()
    );

    // The command line prints the same breakdowns, per campaign and across campaigns.
    drop(store);
    let run = |args: &[&str]| -> serde_json::Value {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_telemercadeo"))
            .args(["--db"])
            .arg(&path)
            .arg("--json")
            .args(args)
            .output()
            .expect("run");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("json")
    };
    let v = run(&["indicators", "--campaign", &c.to_string()]);
    assert_eq!(v["marcaciones"], whole.indicators.marcaciones);
    assert_eq!(v["terceros"], whole.terceros);
    assert_eq!(
        v["outcomes"].as_array().expect("outcomes").len(),
        whole.outcomes.len()
    );
    assert_eq!(
        v["heatmap"][0]["weekdays"][0]["attempts"],
        whole.heatmap[0][0].attempts
    );
    assert_eq!(
        v["agents"].as_array().expect("agents").len(),
        whole.agents.len()
    );
    assert_eq!(
        v["programs"][0]["registros_validos"],
        whole.programs[0].records
    );
    assert!(!v["survey"].as_array().expect("survey").is_empty());
    assert!(!v["inbound"].as_array().expect("inbound").is_empty());
    let across = run(&["indicators"]);
    let total: i64 = sql
        .query_row("SELECT COUNT(*) FROM call_attempts", [], |r| r.get(0))
        .expect("count");
    assert_eq!(across["marcaciones"], total);
    assert_eq!(across["campaign_id"], serde_json::Value::Null);
    let one = run(&[
        "indicators",
        "--campaign",
        &c.to_string(),
        "--agent",
        "aperez",
    ]);
    let aperez = one["agents"].as_array().expect("agents");
    assert_eq!(aperez.len(), 1);
    assert_eq!(aperez[0]["marcaciones"], one["marcaciones"]);
    // Counts broken by a hand-made change of the database are repaired by `recount`.
    sql.execute_batch("UPDATE contact_counts SET records = records + 5; DELETE FROM reached_days;")
        .expect("break the counts");
    let broken = run(&["indicators", "--campaign", &c.to_string()]);
    assert_ne!(broken["registros_validos"], v["registros_validos"]);
    // `check` says which counts are wrong and fails; after `recount` it passes.
    let check = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_telemercadeo"))
            .args(["--db"])
            .arg(&path)
            .args(["--json", "check"])
            .output()
            .expect("check")
    };
    let out = check();
    assert_eq!(out.status.code(), Some(1), "a wrong count fails the check");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(
        report["count_mismatches"],
        serde_json::json!(["reached_days", "contact_counts"])
    );
    assert_eq!(run(&["recount"])["recounted"], true);
    let repaired = run(&["indicators", "--campaign", &c.to_string()]);
    assert_eq!(repaired, v);
    let out = check();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

/// The hourly counts kept by `call_record` (migration 0021) are the attempts grouped by hour.
#[test]
fn the_hourly_counts_equal_the_attempts_grouped() {
    let (_dir, path, _store, _) = demo();
    let sql = rusqlite::Connection::open(&path).expect("sql");
    let rows = |q: &str| -> Vec<(i64, i64, i64, i64, String, i64, i64)> {
        let mut st = sql.prepare(q).expect("prepare");
        st.query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
            ))
        })
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("all")
    };
    let kept = rows(
        "SELECT campaign_id, hour, agent_id, disposition_id, reason, attempts, secs FROM attempt_hours ORDER BY 1, 2, 3, 4, 5",
    );
    let grouped = rows(
        "SELECT campaign_id, started_at / 3600, COALESCE(agent_id, 0), disposition_id, COALESCE(reason, ''), COUNT(*), SUM(duration_secs)
         FROM call_attempts GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5",
    );
    assert!(grouped.len() > 100, "the demo has calls over many hours");
    assert_eq!(kept, grouped);
}

#[test]
fn a_contact_of_an_unconfirmed_import_never_counts() {
    use telemercadeo::domain::contact::{ImportCounts, NewContact};
    let (_dir, _path, store, c) = demo();
    let cli = Actor::cli();
    let before = store.indicators(&cli, c, None, None).expect("indicators");
    let programs = |store: &Store| -> BTreeMap<String, i64> {
        store
            .dashboard(
                &cli,
                &DashboardFilter {
                    campaign_id: Some(c),
                    ..Default::default()
                },
            )
            .expect("dashboard")
            .programs
            .iter()
            .map(|g| (g.name.clone(), g.records))
            .collect()
    };
    let programs_before = programs(&store);
    let load = |first: u64| -> i64 {
        let batch = store
            .import_begin(&cli, c, "x.csv", "csv", &Default::default())
            .expect("batch");
        let contacts: Vec<NewContact> = (0..2)
            .map(|i| NewContact {
                source_row: i as i64 + 2,
                name: format!("Persona nueva {i}"),
                phone: first + i,
                program: Some("Programa que no existía".to_owned()),
                ..Default::default()
            })
            .collect();
        store.import_chunk(batch, c, &contacts, &[]).expect("chunk");
        batch
    };
    // An import under way: a batch not confirmed, with two contacts written.
    let batch = load(573_001_112_233);
    let during = store.indicators(&cli, c, None, None).expect("indicators");
    assert_eq!(during.registros_validos, before.registros_validos);
    assert_eq!(during.pendientes, before.pendientes);
    assert_eq!(programs(&store), programs_before);
    // Killed and purged: nothing of it counts, then or once another import is confirmed.
    store.import_abort(batch).expect("abort");
    assert_eq!(
        store
            .indicators(&cli, c, None, None)
            .expect("indicators")
            .registros_validos,
        before.registros_validos
    );
    // Confirmed, they count: in the totals and under their program.
    let batch = load(573_001_112_300);
    store
        .import_commit(
            &cli,
            batch,
            &ImportCounts {
                rows_read: 2,
                imported: 2,
                ..Default::default()
            },
            &[],
        )
        .expect("commit");
    let confirmed = store.indicators(&cli, c, None, None).expect("indicators");
    assert_eq!(confirmed.registros_validos, before.registros_validos + 2);
    assert_eq!(confirmed.pendientes, before.pendientes + 2);
    let mut expected = programs_before.clone();
    expected.insert("Programa que no existía".to_owned(), 2);
    assert_eq!(programs(&store), expected);
}

#[test]
fn the_head_and_the_professional_see_the_dashboards_an_agent_does_not() {
    let (_dir, _path, store, _c) = demo();
    for u in ["mcastro", "lgomez", "aperez"] {
        let id = store.user_by_login(u).expect("read").expect("user").id;
        store
            .reset_password(&Actor::cli(), id, common::PW, common::PW)
            .expect("password");
    }
    let mut h = common::app(store.clone());
    for who in ["mcastro", "lgomez"] {
        common::log_in(&mut h, who);
        // The tab (the first node with that name: the tab bar comes before the page's title).
        h.query_all_by_label("Indicadores")
            .next()
            .expect("the Indicadores tab")
            .click();
        h.run();
        common::wait_until(&mut h, "the dashboard", |h| {
            common::visible(h, "Contactabilidad por franja y día de la semana")
        });
        for card in [
            "Registros válidos",
            "Gestionados",
            "Barrido",
            "Contactabilidad",
            "Efectividad",
            "Rendimiento",
            "Pendientes",
            "Agendados para hoy",
        ] {
            assert!(common::visible(&h, card), "{who}: card {card}");
        }
        for label in ["Lun", "Dom", "mañana (7:00–12:00)", "noche (17:00–19:00)"] {
            assert!(common::visible(&h, label), "{who}: heatmap label {label}");
        }
        assert!(common::visible(&h, "Por auxiliar"));
        assert!(common::visible(&h, "Llamadas entrantes por semana"));
        // A period without calls says what to do.
        common::fill(&mut h, "Desde", "01/01/2020");
        common::fill(&mut h, "Hasta", "02/01/2020");
        common::wait_until(&mut h, "the empty period", |h| {
            common::visible_containing(h, "Aún no hay llamadas en este periodo")
        });
        // A date that is not one says so.
        common::fill(&mut h, "Hasta", "32/13/2020");
        assert!(common::visible_containing(&h, "no es una fecha válida"));
        common::fill(&mut h, "Desde", "");
        common::fill(&mut h, "Hasta", "");
    }
    common::log_in(&mut h, "aperez");
    assert!(
        !common::visible(&h, "Indicadores"),
        "an agent has no Indicadores tab"
    );
}
