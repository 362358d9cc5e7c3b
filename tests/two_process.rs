//! Two copies of the program recording calls on the same database file at the same time (two
//! desks on one machine): each worker runs the real binary, `call next` then `call record`,
//! for its own agent, on a shared-queue campaign and on a by-agent campaign, until both say
//! `cola_vacia`. Then every attempt is counted exactly once, no contact was handed to both
//! agents, and no outcome was lost.
//!
//! "Handed to both" is checked in its strongest form: in the shared queue an attempt makes the
//! contact its agent's (`call record` keeps the agent), so a contact given to two agents at any
//! time — not only while one of them held it — could only come from a double claim. Every
//! `call next` and every attempt of a contact must belong to one agent.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::Arc;

use telemercadeo::domain::Actor;
use telemercadeo::domain::procedure::DistributionMode;
use telemercadeo::store::{Store, Target};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_telemercadeo"));
    c.env_remove("TELEMERCADEO_PASSWORD")
        .env_remove("TELEMERCADEO_DB")
        .env("USER", "prueba");
    c
}

fn run(db: &Path, args: &[&str], password: Option<&str>) -> Output {
    let mut c = bin();
    c.arg("--db").arg(db).args(args);
    if let Some(pw) = password {
        c.env("TELEMERCADEO_PASSWORD", pw);
    }
    c.stdin(Stdio::null()).output().expect("run")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json(o: &Output) -> serde_json::Value {
    assert!(
        o.status.success(),
        "exit {:?}, stderr: {}",
        o.status.code(),
        stderr(o)
    );
    serde_json::from_slice(&o.stdout).expect("stdout is one JSON value")
}

/// Today plus `days`, `YYYY-MM-DD` in Bogotá.
fn day(days: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::days(days))
        .with_timezone(&chrono_tz::America::Bogota)
        .format("%Y-%m-%d")
        .to_string()
}

/// A campaign with `n` contacts (every other one with a second phone, the alternate a wrong
/// number moves to) and its script published.
fn campaign(db: &Path, name: &str, n: usize, first_phone: usize) -> i64 {
    let c = json(&run(
        db,
        &[
            "campaign",
            "create",
            "--name",
            name,
            "--department",
            "Admisiones",
            "--start",
            &day(0),
            "--end",
            &day(30),
            "--json",
        ],
        None,
    ))["id"]
        .as_i64()
        .expect("id");
    let file = db.with_file_name(format!("{c}.csv"));
    let mut text = String::from("Nombre,Celular,Teléfono fijo\n");
    for i in 0..n {
        let k = first_phone + i;
        let alt = if i % 2 == 0 {
            format!("601 555 {:04}", k)
        } else {
            String::new()
        };
        text.push_str(&format!("Persona {k},300 555 {:04},{alt}\n", k));
    }
    std::fs::write(&file, text).expect("write");
    let r = json(&run(
        db,
        &[
            "import",
            "--campaign",
            &c.to_string(),
            "--json",
            file.to_str().expect("path"),
        ],
        None,
    ));
    assert_eq!(r["imported"], n as i64);
    let store = Store::open(&Target::Sqlite(db.to_path_buf())).expect("open");
    let cli = Actor::cli();
    let campaign = store.campaign(&cli, c).expect("campaign");
    let draft = store
        .script_of_brief(&cli, campaign.brief_id.expect("brief"))
        .expect("script")
        .expect("a script");
    let mut content = draft.content.clone();
    for s in content.sections.iter_mut().skip(1) {
        s.text = "Buenos días, {nombre}.".into();
    }
    store
        .script_publish(&cli, draft.id, &content)
        .expect("published");
    c
}

/// What one worker saw.
#[derive(Debug, Default)]
struct Seen {
    /// (campaign, contact) of every contact `call next` handed.
    handed: Vec<(i64, i64)>,
    /// (campaign, contact, attempt uuid, outcome) of every `call record` that succeeded.
    recorded: Vec<(i64, i64, String, String)>,
    /// Busy or "taken" answers retried.
    retries: usize,
    /// Exit 3 for another reason than an empty queue (the last minute of the day).
    waits: usize,
}

/// Whether a failed command may simply be asked again: the database was busy past the busy
/// timeout, or the contact was taken between the choice and the claim. Both change nothing.
fn retryable(o: &Output) -> bool {
    let e = stderr(o);
    o.status.code() == Some(1)
        && (e.contains("ocupada por otra operación")
            || e.contains("tomó ese contacto al mismo tiempo"))
}

/// The outcome a contact gets, by its id: final ones, a retry later, a callback tomorrow, and a
/// wrong number that moves it to its alternate (offered again at once).
fn outcome_for(contact: &serde_json::Value) -> Vec<String> {
    let id = contact["contact_id"].as_i64().expect("id");
    let has_alt = contact["alt_phones"]
        .as_str()
        .is_some_and(|s| !s.trim().is_empty());
    let tomorrow = (chrono::Utc::now() + chrono::Duration::days(1))
        .with_timezone(&chrono_tz::America::Bogota)
        .format("%Y-%m-%d 10:00")
        .to_string();
    let v: Vec<&str> = match id % 6 {
        0 => vec!["--outcome", "interesado"],
        1 => vec!["--outcome", "2", "--reason", "precio"],
        2 => vec!["--outcome", "no_contesta", "--notes", "1234"],
        3 if has_alt => vec!["--outcome", "numero_errado"],
        3 => vec!["--outcome", "buzon"],
        4 => vec!["--outcome", "volver_a_llamar", "--callback", &tomorrow],
        _ => vec!["--outcome", "tercero"],
    };
    v.into_iter().map(str::to_owned).collect()
}

/// One desk: `call next` / `call record` for `agent` on every campaign, round after round,
/// until each says `cola_vacia`.
fn desk(db: PathBuf, agent: &'static str, campaigns: Vec<i64>) -> Seen {
    let mut seen = Seen::default();
    let mut open: BTreeSet<i64> = campaigns.into_iter().collect();
    let mut rounds = 0;
    while !open.is_empty() {
        rounds += 1;
        assert!(rounds < 1_000, "{agent} never reached cola_vacia");
        for c in open.clone() {
            let cs = c.to_string();
            let o = run(
                &db,
                &[
                    "call",
                    "next",
                    "--campaign",
                    &cs,
                    "--agent",
                    agent,
                    "--json",
                ],
                None,
            );
            if retryable(&o) {
                seen.retries += 1;
                continue;
            }
            if o.status.code() == Some(3) {
                let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
                if v["reason"] == "cola_vacia" {
                    open.remove(&c);
                } else {
                    // Outside the window for a moment (the day's last minute): wait for it.
                    seen.waits += 1;
                    assert!(seen.waits < 100, "{v}");
                    std::thread::sleep(std::time::Duration::from_secs(1));
                }
                continue;
            }
            let contact = json(&o);
            let id = contact["contact_id"].as_i64().expect("contact");
            seen.handed.push((c, id));
            let outcome = outcome_for(&contact);
            let ids = id.to_string();
            let mut args = vec![
                "call",
                "record",
                "--campaign",
                &cs,
                "--agent",
                agent,
                "--contact",
                &ids,
                "--duration",
                "42",
                "--json",
            ];
            args.extend(outcome.iter().map(String::as_str));
            loop {
                let o = run(&db, &args, None);
                if retryable(&o) {
                    seen.retries += 1;
                    continue;
                }
                let r = json(&o);
                assert_eq!(r["contact_id"], id);
                seen.recorded.push((
                    c,
                    id,
                    r["attempt_uuid"].as_str().expect("uuid").to_owned(),
                    outcome[1].clone(),
                ));
                break;
            }
        }
    }
    seen
}

#[test]
fn two_processes_record_concurrently_without_losing_or_sharing_a_contact() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("t.sqlite3");
    for login in ["a1", "a2"] {
        let o = run(
            &db,
            &[
                "user", "add", "--login", login, "--name", login, "--role", "auxiliar",
            ],
            Some("clave-segura-1"),
        );
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let shared = campaign(&db, "Cola compartida", 60, 1000);
    let by_agent = campaign(&db, "Por auxiliar", 40, 2000);
    {
        let store = Store::open(&Target::Sqlite(db.clone())).expect("open");
        let cli = Actor::cli();
        let mut form = store.campaign(&cli, shared).expect("campaign").form;
        form.distribution_mode = DistributionMode::ColaCompartida;
        store
            .campaign_update(&cli, shared, &form)
            .expect("shared queue");
        // Calls permitted whenever the test runs: every day, all day, no holiday today or
        // tomorrow (the calendar's own rules are tested elsewhere at chosen instants).
        let mut settings = store.settings().expect("settings");
        settings.call_windows = telemercadeo::domain::calendar::CallWindows::parse(
            "mon 00:00-23:59, tue 00:00-23:59, wed 00:00-23:59, thu 00:00-23:59, fri 00:00-23:59, sat 00:00-23:59, sun 00:00-23:59",
        )
        .expect("windows");
        let today = telemercadeo::domain::format::today(store.now(), &settings);
        for d in [today, today + chrono::Duration::days(1)] {
            settings.holidays.removed.push(d);
        }
        store.save_settings(&cli, &settings).expect("settings");
    }
    json(&run(
        &db,
        &[
            "distribute",
            "--campaign",
            &by_agent.to_string(),
            "--agents",
            "a1,a2",
            "--order",
            "interleaved",
            "--json",
        ],
        None,
    ));
    for c in [shared, by_agent] {
        let s = json(&run(
            &db,
            &["campaign", "start", "--campaign", &c.to_string(), "--json"],
            None,
        ));
        assert_eq!(s["status"], "activa");
    }

    // The two desks, at once.
    let start = Arc::new(std::sync::Barrier::new(2));
    let workers: Vec<_> = ["a1", "a2"]
        .into_iter()
        .map(|agent| {
            let (db, start) = (db.clone(), start.clone());
            std::thread::spawn(move || {
                start.wait();
                (agent, desk(db, agent, vec![shared, by_agent]))
            })
        })
        .collect();
    let seen: BTreeMap<&str, Seen> = workers
        .into_iter()
        .map(|w| w.join().expect("desk"))
        .collect();
    for (agent, s) in &seen {
        eprintln!(
            "{agent}: {} handed, {} recorded, {} retried, {} waits",
            s.handed.len(),
            s.recorded.len(),
            s.retries,
            s.waits
        );
        assert_eq!(
            s.handed.len(),
            s.recorded.len(),
            "{agent}: every contact recorded"
        );
    }

    let sql = rusqlite::Connection::open(&db).expect("sql");
    // Every attempt exactly once: the rows are the records the desks were told about.
    let rows: Vec<(String, i64, i64, String, String)> = {
        let mut st = sql
            .prepare(
                "SELECT a.uuid, a.campaign_id, a.contact_id, u.login, d.code FROM call_attempts a JOIN users u ON u.id = a.agent_id JOIN dispositions d ON d.id = a.disposition_id",
            )
            .expect("prepare");
        st.query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows")
    };
    let mut told: BTreeMap<String, (i64, i64, String, String)> = BTreeMap::new();
    for (agent, s) in &seen {
        for (c, id, uuid, code) in &s.recorded {
            let code = if code == "2" { "no_interesado" } else { code };
            assert!(
                told.insert(
                    uuid.clone(),
                    (*c, *id, (*agent).to_owned(), code.to_owned())
                )
                .is_none(),
                "{uuid} reported twice"
            );
        }
    }
    assert_eq!(rows.len(), told.len(), "attempt rows = records reported");
    for (uuid, c, id, login, code) in &rows {
        // No lost outcome: each row is one the desks recorded, with its contact, agent, outcome.
        assert_eq!(
            told.get(uuid),
            Some(&(*c, *id, login.clone(), code.clone())),
            "{uuid}"
        );
    }
    // Per contact, `attempts` is its rows; nothing is left held.
    let off: i64 = sql
        .query_row(
            "SELECT COUNT(*) FROM campaign_contacts cc WHERE cc.attempts <> (SELECT COUNT(*) FROM call_attempts a WHERE a.contact_id = cc.id)",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(off, 0, "a contact's attempts differ from its rows");
    let held: i64 = sql
        .query_row(
            "SELECT COUNT(*) FROM campaign_contacts WHERE claimed_by IS NOT NULL",
            [],
            |r| r.get(0),
        )
        .expect("held");
    assert_eq!(held, 0);
    // The last outcome of each contact is its last attempt's.
    let stale: i64 = sql
        .query_row(
            "SELECT COUNT(*) FROM campaign_contacts cc WHERE cc.attempts > 0 AND cc.last_disposition_id <> (SELECT a.disposition_id FROM call_attempts a WHERE a.contact_id = cc.id ORDER BY a.ended_at DESC, a.id DESC LIMIT 1)",
            [],
            |r| r.get(0),
        )
        .expect("stale");
    assert_eq!(stale, 0);

    // No contact handed to both agents, by `call next` nor in the attempts.
    let mut owner: BTreeMap<i64, &str> = BTreeMap::new();
    for (agent, s) in &seen {
        for (_, id) in &s.handed {
            let first = *owner.entry(*id).or_insert(agent);
            assert_eq!(first, *agent, "contact {id} handed to {first} and {agent}");
        }
    }
    let two: i64 = sql
        .query_row(
            "SELECT COUNT(*) FROM (SELECT contact_id FROM call_attempts GROUP BY contact_id HAVING COUNT(DISTINCT agent_id) > 1)",
            [],
            |r| r.get(0),
        )
        .expect("two");
    assert_eq!(two, 0);
    let audited_twice: i64 = sql
        .query_row(
            "SELECT COUNT(*) FROM (SELECT entity_id FROM audit_log WHERE action = 'call.next' GROUP BY entity_id HAVING COUNT(DISTINCT detail) > 1)",
            [],
            |r| r.get(0),
        )
        .expect("audit");
    assert_eq!(audited_twice, 0);

    // Both desks took part in the shared queue, every contact of it was called, and in the
    // by-agent campaign each got exactly its own contacts.
    for (agent, s) in &seen {
        assert!(
            s.handed.iter().any(|(c, _)| *c == shared),
            "{agent} took from the shared queue"
        );
    }
    let uncalled: i64 = sql
        .query_row(
            "SELECT COUNT(*) FROM campaign_contacts WHERE campaign_id IN (?1, ?2) AND attempts = 0",
            [shared, by_agent],
            |r| r.get(0),
        )
        .expect("uncalled");
    assert_eq!(uncalled, 0, "every contact was called");
    let by_agent_handed: BTreeMap<&str, BTreeSet<i64>> = seen
        .iter()
        .map(|(a, s)| {
            (
                *a,
                s.handed
                    .iter()
                    .filter(|(c, _)| *c == by_agent)
                    .map(|(_, id)| *id)
                    .collect(),
            )
        })
        .collect();
    for (agent, ids) in &by_agent_handed {
        assert_eq!(ids.len(), 20, "{agent}: its 20 contacts");
    }
    // A contact's attempts on the by-agent campaign are by the agent it was dealt to: the
    // interleaved deal alternates, so the two sets differ.
    assert!(by_agent_handed["a1"].is_disjoint(&by_agent_handed["a2"]));
}

#[test]
fn a_desk_recording_a_contact_the_other_holds_is_refused_and_changes_nothing() {
    // The bad input of the same race: a desk records on a contact the other desk was handed
    // from the shared queue. Refused in words (exit 1), no attempt written.
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("t.sqlite3");
    for login in ["a1", "a2"] {
        let o = run(
            &db,
            &[
                "user", "add", "--login", login, "--name", login, "--role", "auxiliar",
            ],
            Some("clave-segura-1"),
        );
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let shared = campaign(&db, "Cola compartida", 4, 3000);
    {
        let store = Store::open(&Target::Sqlite(db.clone())).expect("open");
        let cli = Actor::cli();
        let mut form = store.campaign(&cli, shared).expect("campaign").form;
        form.distribution_mode = DistributionMode::ColaCompartida;
        store.campaign_update(&cli, shared, &form).expect("shared");
        let mut settings = store.settings().expect("settings");
        settings.call_windows = telemercadeo::domain::calendar::CallWindows::parse(
            "mon 00:00-23:59, tue 00:00-23:59, wed 00:00-23:59, thu 00:00-23:59, fri 00:00-23:59, sat 00:00-23:59, sun 00:00-23:59",
        )
        .expect("windows");
        let today = telemercadeo::domain::format::today(store.now(), &settings);
        settings.holidays.removed.push(today);
        store.save_settings(&cli, &settings).expect("settings");
    }
    let cs = shared.to_string();
    json(&run(
        &db,
        &["campaign", "start", "--campaign", &cs, "--json"],
        None,
    ));
    let o = run(
        &db,
        &["call", "next", "--campaign", &cs, "--agent", "a1", "--json"],
        None,
    );
    if o.status.code() == Some(3) {
        return; // the day's last minute: nothing may be called, nothing to race
    }
    let id = json(&o)["contact_id"].as_i64().expect("id").to_string();
    // a2 is handed another contact, never a1's.
    let other = json(&run(
        &db,
        &["call", "next", "--campaign", &cs, "--agent", "a2", "--json"],
        None,
    ));
    assert_ne!(
        other["contact_id"].as_i64().map(|v| v.to_string()),
        Some(id.clone())
    );
    let o = run(
        &db,
        &[
            "call",
            "record",
            "--campaign",
            &cs,
            "--agent",
            "a2",
            "--contact",
            &id,
            "--outcome",
            "1",
            "--json",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
    let n: i64 = rusqlite::Connection::open(&db)
        .expect("sql")
        .query_row("SELECT COUNT(*) FROM call_attempts", [], |r| r.get(0))
        .expect("count");
    assert_eq!(n, 0);
}

#[test]
fn a_desk_that_finds_the_database_busy_past_the_timeout_fails_cleanly_and_may_ask_again() {
    // Another program holds the write lock longer than the store's busy timeout (5 s): `call
    // next` waits, then exits 1 in words with nothing changed — the answer the desks above
    // retry — and succeeds once the lock is released.
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("t.sqlite3");
    let o = run(
        &db,
        &[
            "user", "add", "--login", "a1", "--name", "a1", "--role", "auxiliar",
        ],
        Some("clave-segura-1"),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let c = campaign(&db, "Cola compartida", 2, 4000);
    {
        let store = Store::open(&Target::Sqlite(db.clone())).expect("open");
        let cli = Actor::cli();
        let mut form = store.campaign(&cli, c).expect("campaign").form;
        form.distribution_mode = DistributionMode::ColaCompartida;
        store.campaign_update(&cli, c, &form).expect("shared");
        let mut settings = store.settings().expect("settings");
        settings.call_windows = telemercadeo::domain::calendar::CallWindows::parse(
            "mon 00:00-23:59, tue 00:00-23:59, wed 00:00-23:59, thu 00:00-23:59, fri 00:00-23:59, sat 00:00-23:59, sun 00:00-23:59",
        )
        .expect("windows");
        let today = telemercadeo::domain::format::today(store.now(), &settings);
        settings.holidays.removed.push(today);
        store.save_settings(&cli, &settings).expect("settings");
    }
    let cs = c.to_string();
    json(&run(
        &db,
        &["campaign", "start", "--campaign", &cs, "--json"],
        None,
    ));
    let other = rusqlite::Connection::open(&db).expect("other desk");
    other
        .execute_batch("BEGIN IMMEDIATE")
        .expect("the other program takes the write lock");
    let t = std::time::Instant::now();
    let o = run(
        &db,
        &["call", "next", "--campaign", &cs, "--agent", "a1", "--json"],
        None,
    );
    assert!(retryable(&o), "exit {:?}: {}", o.status.code(), stderr(&o));
    assert!(
        t.elapsed() >= std::time::Duration::from_secs(4),
        "it waited"
    );
    assert!(o.stdout.is_empty());
    other.execute_batch("ROLLBACK").expect("released");
    let held: i64 = other
        .query_row(
            "SELECT COUNT(*) FROM campaign_contacts WHERE claimed_by IS NOT NULL",
            [],
            |r| r.get(0),
        )
        .expect("held");
    assert_eq!(held, 0, "nothing was claimed");
    let o = run(
        &db,
        &["call", "next", "--campaign", &cs, "--agent", "a1", "--json"],
        None,
    );
    if o.status.code() != Some(3) {
        assert!(json(&o)["contact_id"].is_i64());
    }
}
