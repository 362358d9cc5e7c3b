//! The call rules at the store, at chosen instants of the test clock: a person reached today is
//! not offered again the same day (in any campaign) except for a callback; a retry goes to
//! another time band; the last outcome can be undone for a short while (an opt-out included);
//! survey answers and coded reasons are enforced; the call settings round-trip.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::Arc;

use telemercadeo::domain::call::{Next, NextContact, UNDO_GRACE_SECS, UNDO_SECS};
use telemercadeo::domain::contact::ContactStatus;
use telemercadeo::domain::script::{Question, QuestionKind};
use telemercadeo::domain::{Actor, Field, Settings, TestClock};
use telemercadeo::store::calls::Outcome;
use telemercadeo::store::{Error, Store, Target};

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

fn json(o: &Output) -> serde_json::Value {
    assert!(
        o.status.success(),
        "exit {:?}, stderr: {}",
        o.status.code(),
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).expect("stdout is one JSON value")
}

/// UTC seconds of a Bogotá local time (UTC−5, no daylight saving).
fn bogota(y: i32, m: u32, d: u32, h: u32, min: u32) -> i64 {
    chrono::NaiveDate::from_ymd_opt(y, m, d)
        .and_then(|d| d.and_hms_opt(h, min, 0))
        .expect("date")
        .and_utc()
        .timestamp()
        + 5 * 3600
}

/// The agents `a1` and `a2`, and `campaigns` active campaigns, each with the same `n` people
/// (the same file: one person per phone across campaigns), dealt to `a1`, their script
/// published with `questions`.
fn world(db: &Path, n: usize, campaigns: usize, questions: &[Question]) -> Vec<i64> {
    for login in ["a1", "a2"] {
        let o = run(
            db,
            &[
                "user", "add", "--login", login, "--name", login, "--role", "auxiliar",
            ],
            Some("clave-segura-1"),
        );
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let file = db.with_extension("csv");
    let mut text = String::from("Nombre,Celular\n");
    for i in 0..n {
        text.push_str(&format!("Persona {i},300 555 {:04}\n", 1000 + i));
    }
    std::fs::write(&file, text).expect("write");
    (0..campaigns)
        .map(|k| campaign(db, k, questions, false))
        .collect()
}

/// One more active campaign over the file of [`world`]: dealt to `a1`, or run as a shared
/// queue.
fn campaign(db: &Path, k: usize, questions: &[Question], shared: bool) -> i64 {
    let file = db.with_extension("csv");
    let c = json(&run(
        db,
        &[
            "campaign",
            "create",
            "--name",
            &format!("Campaña {k}"),
            "--department",
            "Admisiones",
            "--json",
        ],
        None,
    ))["id"]
        .as_i64()
        .expect("id");
    json(&run(
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
    {
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
        content.questions = questions.to_vec();
        store
            .script_publish(&cli, draft.id, &content)
            .expect("published");
    }
    let id = c.to_string();
    if shared {
        rusqlite::Connection::open(db)
            .expect("sql")
            .execute(
                "UPDATE campaigns SET distribution_mode = 'cola_compartida' WHERE id = ?1",
                [c],
            )
            .expect("shared queue");
    } else {
        json(&run(
            db,
            &["distribute", "--campaign", &id, "--agents", "a1", "--json"],
            None,
        ));
    }
    json(&run(
        db,
        &["campaign", "start", "--campaign", &id, "--json"],
        None,
    ));
    c
}

/// The store at Tuesday 1 December 2026, 10:00 in Bogotá, and its clock.
fn store_at(db: &Path) -> (Store, TestClock) {
    let clock = TestClock::at(bogota(2026, 12, 1, 10, 0));
    let store = Store::open_with_clock(&Target::Sqlite(db.to_path_buf()), Arc::new(clock.clone()))
        .expect("open");
    (store, clock)
}

fn next(store: &Store, c: i64, login: &str) -> Option<NextContact> {
    match store.call_next(&Actor::cli(), c, login).expect("next") {
        Next::Contact(k) => Some(k),
        Next::Nothing { .. } => None,
    }
}

fn outcome(key: &str) -> Outcome<'_> {
    Outcome {
        key_or_code: key,
        ..Outcome::default()
    }
}

fn record(store: &Store, c: i64, id: i64, o: &Outcome<'_>) -> telemercadeo::domain::call::Recorded {
    store
        .call_record(&Actor::cli(), "a1", c, id, o)
        .unwrap_or_else(|e| panic!("{} recorded: {e}", o.key_or_code))
}

/// The conflict's locale key (or the field error's), for refusals.
fn refusal(r: Result<impl std::fmt::Debug, Error>) -> &'static str {
    match r {
        Err(Error::Conflict(m)) => m.key,
        Err(Error::Invalid(f)) => f.key(),
        other => panic!("refused expected, got {other:?}"),
    }
}

/// Every column of every contact, and each person's last_reached_at: what an undo restores.
fn state(sql: &rusqlite::Connection) -> (Vec<Vec<String>>, Vec<Option<i64>>) {
    let mut st = sql
        .prepare("SELECT * FROM campaign_contacts ORDER BY id")
        .expect("prepare");
    let cols = st.column_count();
    let contacts = st
        .query_map([], |r| {
            (0..cols)
                .map(|i| {
                    r.get::<_, rusqlite::types::Value>(i)
                        .map(|v| format!("{v:?}"))
                })
                .collect::<Result<Vec<_>, _>>()
        })
        .expect("query")
        .collect::<Result<Vec<_>, _>>()
        .expect("rows");
    let mut st = sql
        .prepare("SELECT last_reached_at FROM persons ORDER BY id")
        .expect("prepare");
    let persons = st
        .query_map([], |r| r.get(0))
        .expect("query")
        .collect::<Result<Vec<_>, _>>()
        .expect("persons");
    (contacts, persons)
}

/// The dashboards' counts as kept in the transactions (`store::counts`) equal the same counts
/// computed again from the contacts and attempts (`Store::recount`).
fn assert_counts_kept(store: &Store, sql: &rusqlite::Connection, when: &str) {
    let read = || -> Vec<String> {
        let mut all = Vec::new();
        for t in [
            "attempt_hours",
            "agent_hours",
            "attempt_outcomes",
            "answer_counts",
            "reached_days",
            "contact_counts",
        ] {
            let mut st = sql.prepare(&format!("SELECT * FROM {t}")).expect("prepare");
            let cols = st.column_count();
            let rows = st
                .query_map([], |r| {
                    (0..cols)
                        .map(|i| {
                            r.get::<_, rusqlite::types::Value>(i)
                                .map(|v| format!("{v:?}"))
                        })
                        .collect::<Result<Vec<_>, _>>()
                })
                .expect("query")
                .collect::<Result<Vec<_>, _>>()
                .expect("rows");
            all.extend(rows.into_iter().map(|r| format!("{t} {}", r.join(" "))));
        }
        all.sort();
        all
    };
    let kept = read();
    assert!(
        kept.iter().any(|r| r.starts_with("contact_counts")),
        "{when}: the contacts are counted"
    );
    store.recount(&Actor::cli()).expect("recount");
    assert_eq!(kept, read(), "{when}: the kept counts equal a recount");
}

fn count(sql: &rusqlite::Connection, q: &str) -> i64 {
    sql.query_row(q, [], |r| r.get(0)).expect("count")
}

#[test]
fn a_person_reached_today_is_not_offered_again_the_same_day() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("t.sqlite3");
    let c = world(&db, 4, 2, &[]);
    let (c1, c2) = (c[0], c[1]);
    let (store, clock) = store_at(&db);
    let sql = rusqlite::Connection::open(&db).expect("sql");

    // Persona 0 is handed out in both campaigns; reached in the first.
    let p0 = next(&store, c1, "a1").expect("Persona 0");
    let held = next(&store, c2, "a1").expect("Persona 0 in the other campaign");
    assert_eq!(held.phone, p0.phone);
    record(
        &store,
        c1,
        p0.contact_id,
        &Outcome {
            key_or_code: "no_interesado",
            reason: Some("precio"),
            ..Outcome::default()
        },
    );
    let reached: Option<i64> = sql
        .query_row(
            "SELECT p.last_reached_at FROM persons p JOIN campaign_contacts c ON c.person_id = p.id WHERE c.id = ?1",
            [p0.contact_id],
            |r| r.get(0),
        )
        .expect("person");
    assert_eq!(reached, Some(store.now()));
    // The other campaign lets go of Persona 0 (held before) and offers Persona 1.
    let p1 = next(&store, c2, "a1").expect("Persona 1");
    assert_eq!(p1.name, "Persona 1");
    let claimed: Option<i64> = sql
        .query_row(
            "SELECT claimed_by FROM campaign_contacts WHERE id = ?1",
            [held.contact_id],
            |r| r.get(0),
        )
        .expect("claim");
    assert_eq!(claimed, None, "the held contact was released");

    // Persona 1 asks to be called back in an hour: reached, but the callback comes back.
    let back_at = store.now() + 3600;
    record(
        &store,
        c2,
        p1.contact_id,
        &Outcome {
            key_or_code: "volver_a_llamar",
            callback_at: Some(back_at),
            ..Outcome::default()
        },
    );
    // Persona 2 does not answer in the second campaign (a retry at 14:00), then is reached in
    // the first one: the retry is not offered today.
    let p2 = next(&store, c2, "a1").expect("Persona 2");
    assert_eq!(p2.name, "Persona 2");
    let r = record(&store, c2, p2.contact_id, &outcome("no_contesta"));
    assert_eq!(r.next_call_at, Some(bogota(2026, 12, 1, 14, 0)));
    let in_c1 = next(&store, c1, "a1").expect("Persona 2 in the first campaign");
    assert_eq!(
        in_c1.name, "Persona 2",
        "Persona 1 was reached today in the other campaign: skipped"
    );
    record(&store, c1, in_c1.contact_id, &outcome("interesado"));
    clock.advance(3600);
    let k = next(&store, c2, "a1").expect("the callback");
    assert_eq!((k.contact_id, k.callback), (p1.contact_id, true));
    record(&store, c2, k.contact_id, &outcome("interesado"));
    let k = next(&store, c2, "a1").expect("Persona 3");
    assert_eq!(k.name, "Persona 3");
    record(&store, c2, k.contact_id, &outcome("interesado"));
    clock.set(bogota(2026, 12, 1, 14, 30));
    assert!(
        next(&store, c2, "a1").is_none(),
        "Persona 0 (untried) and Persona 2 (a retry) were reached today"
    );
    // The next day both are offered again: the untried one first.
    clock.set(bogota(2026, 12, 2, 7, 0));
    let k = next(&store, c2, "a1").expect("Persona 0 again");
    assert_eq!(k.contact_id, held.contact_id);
    record(&store, c2, k.contact_id, &outcome("no_contesta"));
    let k = next(&store, c2, "a1").expect("Persona 2's retry");
    assert_eq!(k.contact_id, p2.contact_id);
    // Not reached: the person's last contact stays as it was.
    assert_eq!(
        count(
            &sql,
            "SELECT COUNT(*) FROM persons WHERE last_reached_at IS NOT NULL"
        ),
        4
    );
}

#[test]
fn a_retry_is_offered_in_another_time_band() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("t.sqlite3");
    let c = world(&db, 2, 1, &[])[0];
    let (store, clock) = store_at(&db);
    // 12:30 (afternoon) + 4 hours is 16:30, still the afternoon: the evening band, 17:00.
    clock.set(bogota(2026, 12, 1, 12, 30));
    let k = next(&store, c, "a1").expect("a contact");
    let r = record(&store, c, k.contact_id, &outcome("no_contesta"));
    assert_eq!(r.next_call_at, Some(bogota(2026, 12, 1, 17, 0)));
    let other = next(&store, c, "a1").expect("the other contact");
    record(&store, c, other.contact_id, &outcome("interesado"));
    clock.set(bogota(2026, 12, 1, 16, 45));
    assert!(next(&store, c, "a1").is_none(), "not in the same band");
    clock.set(bogota(2026, 12, 1, 17, 0));
    assert_eq!(
        next(&store, c, "a1").map(|k| k.contact_id),
        Some(k.contact_id)
    );
    // At 17:00 + 4 hours the windows are closed: the next morning, another band.
    let r = record(&store, c, k.contact_id, &outcome("buzon"));
    assert_eq!(r.next_call_at, Some(bogota(2026, 12, 2, 7, 0)));
}

#[test]
fn undo_restores_every_field_and_an_opt_outs_closed_contacts_everywhere() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("t.sqlite3");
    let c = world(&db, 2, 2, &[]);
    let (c1, c2) = (c[0], c[1]);
    let (store, clock) = store_at(&db);
    let cli = Actor::cli();
    let sql = rusqlite::Connection::open(&db).expect("sql");

    // A wrong number with an alternate: the phone moves, then the undo moves it back.
    let k = next(&store, c1, "a1").expect("Persona 0");
    sql.execute(
        "UPDATE campaign_contacts SET alt_phones = '+573005559999' WHERE id = ?1",
        [k.contact_id],
    )
    .expect("alternate");
    let before = state(&sql);
    let r = record(&store, c1, k.contact_id, &outcome("numero_errado"));
    assert_eq!(
        count(&sql, "SELECT COUNT(*) FROM call_undo"),
        1,
        "a snapshot kept with the attempt"
    );
    assert_eq!(
        count(&sql, "SELECT COALESCE(SUM(attempts), 0) FROM attempt_hours"),
        1,
        "counted in the dashboards' hourly figures"
    );
    store
        .call_undo(&cli, "a1", &r.attempt_uuid)
        .expect("undone");
    assert_eq!(
        count(&sql, "SELECT COUNT(*) FROM attempt_hours"),
        0,
        "and counted out again, no row left at zero"
    );
    assert_eq!(
        state(&sql),
        before,
        "every field as it was, the claim included"
    );
    assert_eq!(count(&sql, "SELECT COUNT(*) FROM call_attempts"), 0);
    assert_eq!(count(&sql, "SELECT COUNT(*) FROM call_undo"), 0);
    assert_counts_kept(&store, &sql, "an outcome undone");
    // Undone once: a second undo finds nothing.
    assert_eq!(
        refusal(store.call_undo(&cli, "a1", &r.attempt_uuid)),
        "call_undo.err_unknown"
    );

    // An earlier outcome on the contact, then one to undo on top of it.
    let r = record(&store, c1, k.contact_id, &outcome("no_contesta"));
    assert_eq!(r.attempts, 1);
    clock.advance(60);
    let again = next(&store, c1, "a1").expect("the next contact");
    assert_ne!(again.contact_id, k.contact_id);
    record(&store, c1, again.contact_id, &outcome("interesado"));
    // Persona 0 is held in the other campaign too; more phones on record.
    let other = next(&store, c2, "a1").expect("Persona 0 in the other campaign");
    assert_eq!(other.phone, k.phone);
    let person: i64 = sql
        .query_row(
            "SELECT person_id FROM campaign_contacts WHERE id = ?1",
            [k.contact_id],
            |r| r.get(0),
        )
        .expect("person");
    sql.execute(
        "INSERT INTO person_phone_keys (e164, person_id) VALUES (573005558888, ?1)",
        [person],
    )
    .expect("another phone");
    // The retry comes due; a1 takes it and the person asks never to be called again.
    clock.set(bogota(2026, 12, 1, 14, 0));
    let k2 = next(&store, c1, "a1").expect("the retry");
    assert_eq!(k2.contact_id, k.contact_id);
    let before = state(&sql);
    let optout_before = count(&sql, "SELECT COUNT(*) FROM optout");
    let r = record(&store, c1, k.contact_id, &outcome("0"));
    assert_eq!(r.status, ContactStatus::Cerrado);
    assert_eq!(
        count(&sql, "SELECT COUNT(*) FROM optout") - optout_before,
        3,
        "the phone, the alternate, the other phone on record"
    );
    let closed: String = sql
        .query_row(
            "SELECT status FROM campaign_contacts WHERE id = ?1",
            [other.contact_id],
            |r| r.get(0),
        )
        .expect("other");
    assert_eq!(closed, "cerrado");
    assert_ne!(
        next(&store, c2, "a1").map(|n| n.contact_id),
        Some(other.contact_id),
        "the other campaign no longer offers the person"
    );
    assert_counts_kept(&store, &sql, "an opt-out that closed a contact elsewhere");
    // The contacts table's count by status reads those counts: equal to the rows.
    for c in [c1, c2] {
        for status in [
            ContactStatus::Pendiente,
            ContactStatus::Agendado,
            ContactStatus::Cerrado,
        ] {
            let filter = telemercadeo::domain::contact::ContactFilter {
                status: Some(status),
                ..Default::default()
            };
            assert_eq!(
                store.contacts_count(c, &filter).expect("count"),
                count(
                    &sql,
                    &format!(
                        "SELECT COUNT(*) FROM campaign_contacts WHERE campaign_id = {c} AND status = '{}'",
                        status.code()
                    )
                ),
                "{status:?} in campaign {c}"
            );
        }
    }

    clock.advance(UNDO_SECS);
    store
        .call_undo(&cli, "a1", &r.attempt_uuid)
        .expect("undone");
    let after = state(&sql);
    assert_eq!(
        count(&sql, "SELECT COUNT(*) FROM optout"),
        optout_before,
        "the register rows it added are gone"
    );
    // Every contact as before the outcome (the other campaign's reopened and held again),
    // Persona 0 back on a1's screen, claimed now; the person's last contact as it was.
    let a1: i64 = sql
        .query_row("SELECT id FROM users WHERE login = 'a1'", [], |r| r.get(0))
        .expect("a1");
    let col = |name: &str| {
        let st = sql
            .prepare("SELECT * FROM campaign_contacts LIMIT 0")
            .expect("prepare");
        st.column_index(name).expect("column")
    };
    let mut want = before.clone();
    for row in want.0.iter_mut() {
        if row[0] == format!("Integer({})", k.contact_id) {
            row[col("claimed_by")] = format!("Integer({a1})");
            row[col("claimed_at")] = format!("Integer({})", store.now());
        }
    }
    assert_eq!(after, want);
    let reopened: (String, Option<i64>) = sql
        .query_row(
            "SELECT status, claimed_by FROM campaign_contacts WHERE id = ?1",
            [other.contact_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("other");
    assert_eq!(reopened, ("pendiente".to_owned(), Some(a1)));
    assert_counts_kept(&store, &sql, "the opt-out undone");
    // The screen shows Persona 0 again; the undo is audited.
    assert_eq!(
        next(&store, c1, "a1").map(|n| n.contact_id),
        Some(k.contact_id)
    );
    assert_eq!(
        count(
            &sql,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'call.undo' AND actor LIKE 'cli:%'"
        ),
        2
    );
}

#[test]
fn undo_is_refused_too_late_for_another_agent_and_after_a_change() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("t.sqlite3");
    let c = world(&db, 2, 1, &[])[0];
    let (store, clock) = store_at(&db);
    let cli = Actor::cli();
    let sql = rusqlite::Connection::open(&db).expect("sql");
    let k = next(&store, c, "a1").expect("a contact");

    // Too late: past UNDO_SECS and its grace.
    let r = record(&store, c, k.contact_id, &outcome("no_contesta"));
    clock.advance(UNDO_SECS + UNDO_GRACE_SECS + 1);
    assert_eq!(
        refusal(store.call_undo(&cli, "a1", &r.attempt_uuid)),
        "call_undo.err_too_late"
    );
    assert_eq!(count(&sql, "SELECT COUNT(*) FROM call_attempts"), 1);
    // The next outcome purges the expired snapshot; still too late.
    let r2 = record(&store, c, k.contact_id, &outcome("ocupado"));
    assert_eq!(count(&sql, "SELECT COUNT(*) FROM call_undo"), 1);
    assert_eq!(
        refusal(store.call_undo(&cli, "a1", &r.attempt_uuid)),
        "call_undo.err_too_late"
    );
    // Not the agent who recorded it.
    assert_eq!(
        refusal(store.call_undo(&cli, "a2", &r2.attempt_uuid)),
        "call_undo.err_not_yours"
    );
    // An agent acting for another: forbidden.
    let a2 = store.user_by_login("a2").expect("read").expect("a2");
    let as_a2 = Actor::User {
        id: a2.id,
        login: a2.login.clone(),
        role: a2.role,
        department_id: None,
    };
    assert!(matches!(
        store.call_undo(&as_a2, "a1", &r2.attempt_uuid),
        Err(Error::Forbidden(_))
    ));
    // The contact changed since (another outcome on it): the older one is not undone.
    let r3 = record(&store, c, k.contact_id, &outcome("apagado"));
    assert_eq!(
        refusal(store.call_undo(&cli, "a1", &r2.attempt_uuid)),
        "call_undo.err_changed"
    );
    assert_eq!(count(&sql, "SELECT COUNT(*) FROM call_attempts"), 3);
    // The last one, within the window, is.
    store
        .call_undo(&cli, "a1", &r3.attempt_uuid)
        .expect("undone");
    let attempts: i64 = sql
        .query_row(
            "SELECT attempts FROM campaign_contacts WHERE id = ?1",
            [k.contact_id],
            |r| r.get(0),
        )
        .expect("attempts");
    assert_eq!(attempts, 2);
    assert_eq!(
        refusal(store.call_undo(&cli, "a1", "no-such-uuid")),
        "call_undo.err_unknown"
    );
}

fn question(id: u32, text: &str, required: bool, sensitive: bool) -> Question {
    Question {
        id,
        text: text.into(),
        kind: QuestionKind::Texto,
        options: vec![],
        required,
        sensitive,
    }
}

#[test]
fn reasons_and_survey_answers_are_enforced() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("t.sqlite3");
    let questions = [
        question(1, "¿Qué programa le interesa?", true, false),
        question(2, "¿Tiene alguna discapacidad?", true, true),
        question(3, "¿Cómo nos conoció?", false, false),
    ];
    let c = world(&db, 3, 1, &questions)[0];
    let (store, _clock) = store_at(&db);
    let cli = Actor::cli();
    let sql = rusqlite::Connection::open(&db).expect("sql");
    let k = next(&store, c, "a1").expect("a contact");
    let try_record = |key: &str, reason: Option<&str>, answers: Option<&str>| {
        store.call_record(
            &cli,
            "a1",
            c,
            k.contact_id,
            &Outcome {
                key_or_code: key,
                reason,
                answers,
                ..Outcome::default()
            },
        )
    };
    let all = Some(r#"{"1": "Derecho"}"#);
    // "No interesado" needs a reason of the list; other outcomes take none.
    assert_eq!(
        refusal(try_record("no_interesado", None, all)),
        "call_record.err_reason_missing"
    );
    assert_eq!(
        refusal(try_record("2", Some("  "), all)),
        "call_record.err_reason_missing"
    );
    assert_eq!(
        refusal(try_record("no_interesado", Some("caro"), all)),
        "call_record.err_reason_unknown"
    );
    assert_eq!(
        refusal(try_record("no_contesta", Some("precio"), None)),
        "call_record.err_reason_not_expected"
    );
    // Reached: the required question must be answered (the sensitive one never).
    match try_record(
        "no_interesado",
        Some("precio"),
        Some(r#"{"3": "radio", "1": " "}"#),
    ) {
        Err(Error::Invalid(f)) => {
            assert_eq!(f.field, Field::Questions);
            let text = telemercadeo::i18n::with_lang(telemercadeo::i18n::Lang::Es, || f.message());
            assert!(text.contains("¿Qué programa le interesa?"), "{text}");
            assert!(!text.contains("discapacidad"), "{text}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        refusal(try_record("interesado", None, None)),
        "call_record.err_answers_missing"
    );
    // Not an object, or a question the script does not have.
    assert_eq!(
        refusal(try_record("no_contesta", None, Some("[1]"))),
        "call_record.err_answers_json"
    );
    assert_eq!(
        refusal(try_record("no_contesta", None, Some(r#"{"9": "x"}"#))),
        "call_record.err_answers_unknown"
    );
    assert_eq!(count(&sql, "SELECT COUNT(*) FROM call_attempts"), 0);
    // Not reached: nothing required.
    try_record("no_contesta", None, None).expect("no answers needed");
    // The reason saved as the list writes it, the answers as given.
    let r = try_record("no_interesado", Some(" PRECIO "), all).expect("recorded");
    let (reason, answers): (Option<String>, String) = sql
        .query_row(
            "SELECT reason, answers FROM call_attempts WHERE uuid = ?1",
            [&r.attempt_uuid],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .expect("attempt");
    assert_eq!(reason.as_deref(), Some("precio"));
    let v: serde_json::Value = serde_json::from_str(&answers).expect("json");
    assert_eq!(v, serde_json::json!({"1": "Derecho"}));
    let plain: String = sql
        .query_row(
            "SELECT answers FROM call_attempts WHERE reason IS NULL",
            [],
            |r| r.get(0),
        )
        .expect("attempt");
    assert_eq!(plain, "{}");

    // The list is a setting: a custom code is accepted as typed, a removed one refused.
    let settings = Settings {
        no_interest_reasons: vec!["precio".into(), "Vive lejos".into()],
        ..Settings::default()
    };
    store.save_settings(&cli, &settings).expect("saved");
    let k = next(&store, c, "a1").expect("another contact");
    let rec = |reason: &str| {
        store.call_record(
            &cli,
            "a1",
            c,
            k.contact_id,
            &Outcome {
                key_or_code: "no_interesado",
                reason: Some(reason),
                answers: all,
                ..Outcome::default()
            },
        )
    };
    assert_eq!(refusal(rec("horario")), "call_record.err_reason_unknown");
    let r = rec("vive lejos").expect("recorded");
    let reason: String = sql
        .query_row(
            "SELECT reason FROM call_attempts WHERE uuid = ?1",
            [&r.attempt_uuid],
            |row| row.get(0),
        )
        .expect("attempt");
    assert_eq!(reason, "Vive lejos");

    // The command line: --answers and --reason; bad JSON is exit 1 with the words.
    let id: i64 = sql
        .query_row(
            "SELECT MAX(id) FROM campaign_contacts WHERE campaign_id = ?1",
            [c],
            |r| r.get(0),
        )
        .expect("id");
    let (c, id) = (c.to_string(), id.to_string());
    let args = |extra: &[&'static str]| {
        let mut v = vec![
            "call",
            "record",
            "--campaign",
            c.as_str(),
            "--agent",
            "a1",
            "--contact",
            id.as_str(),
            "--outcome",
            "interesado",
            "--json",
        ];
        v.extend_from_slice(extra);
        v
    };
    let o = run(&db, &args(&["--answers", "no es json"]), None);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("JSON"));
    let o = run(&db, &args(&["--answers", r#"{"1": "Medicina"}"#]), None);
    assert_eq!(json(&o)["status"], "cerrado");
}

#[test]
fn call_settings_round_trip_and_bad_ones_are_refused() {
    let store = Store::memory().expect("store");
    let cli = Actor::cli();
    let s = store.settings().expect("settings");
    assert_eq!(s.click_to_call, "tel:{telefono}");
    assert_eq!(s.no_interest_reasons.len(), 6);
    let mine = Settings {
        click_to_call: r#""C:\Program Files\MicroSIP\microsip.exe" {numero}"#.into(),
        no_interest_reasons: vec!["precio".into(), "Vive lejos".into()],
        ..Settings::default()
    };
    store.save_settings(&cli, &mine).expect("saved");
    assert_eq!(store.settings().expect("settings"), mine);
    for bad in [
        Settings {
            click_to_call: "tel:".into(),
            ..mine.clone()
        },
        Settings {
            no_interest_reasons: vec![],
            ..mine.clone()
        },
        Settings {
            no_interest_reasons: vec!["otro".into(), "OTRO".into()],
            ..mine.clone()
        },
    ] {
        assert!(matches!(
            store.save_settings(&cli, &bad),
            Err(Error::Invalid(_))
        ));
    }
    assert_eq!(store.settings().expect("settings"), mine, "nothing written");
}

#[test]
fn asking_again_keeps_the_claim_and_an_expired_claim_counts_as_free() {
    use telemercadeo::domain::call::CLAIM_TTL_SECS;
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("t.sqlite3");
    world(&db, 2, 0, &[]);
    let c = campaign(&db, 0, &[], true);
    let (store, clock) = store_at(&db);
    let sql = rusqlite::Connection::open(&db).expect("sql");
    let a1 = store.user_by_login("a1").expect("read").expect("a1");
    let me = Actor::User {
        id: a1.id,
        login: a1.login.clone(),
        role: a1.role,
        department_id: None,
    };
    let mine = || {
        store
            .agent_campaigns(&me)
            .expect("campaigns")
            .into_iter()
            .find(|x| x.id == c)
            .map(|x| (x.total, x.pending))
    };
    let k = next(&store, c, "a1").expect("a contact from the shared queue");
    let claimed_at = |id: i64| -> i64 {
        sql.query_row(
            "SELECT claimed_at FROM campaign_contacts WHERE id = ?1",
            [id],
            |r| r.get(0),
        )
        .expect("claimed")
    };
    let at = store.now();
    // A shared queue is the whole campaign's for every agent (Mis llamadas shows it whatever
    // they hold): its counts are the queue's.
    assert_eq!(mine(), Some((2, 2)), "the shared queue, whole");
    // Asking again gives it back without extending the claim.
    clock.advance(10 * 60);
    assert_eq!(
        next(&store, c, "a1").map(|n| n.contact_id),
        Some(k.contact_id)
    );
    assert_eq!(claimed_at(k.contact_id), at);
    // Past its time to live the claim counts as free: no longer a1's in the counts.
    clock.advance(CLAIM_TTL_SECS - 10 * 60 + 1);
    assert_eq!(mine(), Some((2, 2)), "the shared queue, whole");
    // Taken again, it is a1's again, from now.
    assert_eq!(
        next(&store, c, "a1").map(|n| n.contact_id),
        Some(k.contact_id)
    );
    assert_eq!(mine(), Some((2, 2)));
    assert!(claimed_at(k.contact_id) > at, "taken again from now");
}
