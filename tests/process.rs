//! The process's own indicators and register of non-conformities (issue 12, ISO 9001 9.1 and
//! 10.2): on the demo, the brief figures equal direct counts; a non-conformity is written down,
//! refused when incomplete, closed, and counted; only the head keeps them; the command line.

use std::sync::Arc;

use chrono::NaiveDate;
use telemercadeo::domain::process::NonConformityForm;
use telemercadeo::domain::{Actor, Field, Role, TestClock};
use telemercadeo::store::{Error, Store, Target};

/// 2026-12-03 16:00 in Bogotá.
const NOW: i64 = 1_796_331_600;

fn as_role(store: &Store, sql: &rusqlite::Connection, role: &str) -> Actor {
    let (id, login): (i64, String) = sql
        .query_row(
            "SELECT id, login FROM users WHERE role = ?1 ORDER BY id LIMIT 1",
            [role],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("user");
    let _ = store;
    Actor::User {
        id,
        login,
        role: Role::from_code(role).expect("role"),
        department_id: None,
    }
}

#[test]
fn the_process_indicators_and_the_register_of_non_conformities() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("demo.sqlite3");
    let store = Store::open_with_clock(&Target::Sqlite(path.clone()), Arc::new(TestClock::at(NOW)))
        .expect("store");
    telemercadeo::demo::fill(&store, &Actor::cli()).expect("demo");
    let sql = rusqlite::Connection::open(&path).expect("sql");
    let head = as_role(&store, &sql, "jefe");
    let professional = as_role(&store, &sql, "profesional");

    // Briefs: every submitted one, late when submitted less than 8 days before its start.
    let (received, late): (i64, i64) = sql
        .query_row(
            "SELECT COUNT(*), SUM(CASE WHEN late_days > 0 THEN 1 ELSE 0 END) FROM briefs WHERE submitted_at IS NOT NULL",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("briefs");
    assert!(received > 0 && late > 0, "the demo has both kinds");
    let p = store
        .process_indicators(&head, None, None)
        .expect("all time");
    assert_eq!(
        (p.briefs_received, p.briefs_on_time, p.briefs_late),
        (received, received - late, late)
    );
    // A period before anything was submitted holds nothing.
    let old = NaiveDate::from_ymd_opt(2020, 1, 1).expect("day");
    let p = store
        .process_indicators(&head, Some(old), Some(old))
        .expect("old");
    assert_eq!(p.briefs_received, 0);
    assert_eq!(p.on_time_rate(), None);

    // Only the head keeps the register.
    assert!(matches!(
        store.nonconformities(&professional),
        Err(Error::Forbidden(_))
    ));
    assert!(matches!(
        store.process_indicators(&professional, None, None),
        Err(Error::Forbidden(_))
    ));

    // An incomplete one is refused and nothing is written.
    let err = store
        .nonconformity_save(&head, None, &NonConformityForm::default())
        .expect_err("incomplete");
    assert!(
        matches!(err, Error::Invalid(ref e) if e.field == Field::Finding),
        "{err:?}"
    );
    let form = NonConformityForm {
        finding: "El informe de la campaña se entregó 4 días tarde".into(),
        responsible: "Laura Gómez".into(),
        found_on: "02/12/2026".into(),
        ..Default::default()
    };
    let id = store.nonconformity_save(&head, None, &form).expect("add");
    // Closing asks for the cause and the action.
    let closing = NonConformityForm {
        closed_on: "03/12/2026".into(),
        ..form.clone()
    };
    let err = store
        .nonconformity_save(&head, Some(id), &closing)
        .expect_err("no cause");
    assert!(
        matches!(err, Error::Invalid(ref e) if e.field == Field::Cause),
        "{err:?}"
    );
    let p = store.process_indicators(&head, None, None).expect("p");
    assert_eq!(
        (
            p.nonconformities,
            p.nonconformities_closed,
            p.nonconformities_open
        ),
        (1, 0, 1)
    );
    let closed = NonConformityForm {
        cause: "La base llegó incompleta".into(),
        action: "Revisar la base al recibir la solicitud".into(),
        ..closing
    };
    store
        .nonconformity_save(&head, Some(id), &closed)
        .expect("close");
    let list = store.nonconformities(&head).expect("list");
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].closed_on, NaiveDate::from_ymd_opt(2026, 12, 3));
    assert_eq!(list[0].cause, "La base llegó incompleta");
    let p = store.process_indicators(&head, None, None).expect("p");
    assert_eq!(
        (
            p.nonconformities,
            p.nonconformities_closed,
            p.nonconformities_open
        ),
        (1, 1, 0)
    );
    let audited: i64 = sql
        .query_row(
            "SELECT COUNT(*) FROM audit_log WHERE entity = 'nonconformity' AND entity_id = ?1",
            [id],
            |r| r.get(0),
        )
        .expect("audit");
    assert_eq!(audited, 2, "written down and closed");

    // Results reports: one delivered 5 days after its due date with a satisfaction of 4, one
    // due later (not judged yet), then past due and not delivered (3 days late today).
    let delivered_at = NOW - 8 * 86_400 - 4 * 3_600; // 25/11/2026 12:00 in Bogotá
    sql.execute(
        "INSERT INTO results_reports (campaign_id, due_date, delivery, delivered_at, delivered_by, delivered_to, satisfaction, satisfaction_comment, satisfaction_by, satisfaction_at)
         VALUES (1, '2026-11-20', 'a_mano', ?1, 'mcastro', 'Admisiones', 4, 'Bien', 'admisiones', ?2)",
        [delivered_at, delivered_at + 86_400],
    )
    .expect("report 1");
    sql.execute(
        "INSERT INTO results_reports (campaign_id, due_date) VALUES (2, '2026-12-10')",
        [],
    )
    .expect("report 2");
    let p = store.process_indicators(&head, None, None).expect("p");
    assert_eq!(
        (p.reports_due, p.reports_on_time, p.reports_late),
        (1, 0, 1)
    );
    assert_eq!(p.days_late_mean, Some(5.0));
    assert_eq!((p.satisfaction_count, p.satisfaction_mean), (1, Some(4.0)));
    sql.execute(
        "UPDATE results_reports SET due_date = '2026-11-30' WHERE campaign_id = 2",
        [],
    )
    .expect("overdue");
    let p = store.process_indicators(&head, None, None).expect("p");
    assert_eq!(
        (p.reports_due, p.reports_on_time, p.reports_late),
        (2, 0, 2)
    );
    assert_eq!(p.days_late_mean, Some(4.0), "(5 + 3) / 2");
    assert_eq!(p.reports_on_time_rate(), Some(0.0));
    // A period that holds only the second due date.
    let day = |d: u32| NaiveDate::from_ymd_opt(2026, 11, d).expect("day");
    let p = store
        .process_indicators(&head, Some(day(25)), Some(day(30)))
        .expect("p");
    assert_eq!((p.reports_due, p.reports_late), (1, 1));
    assert_eq!(p.satisfaction_count, 1, "rated on 26/11");

    // The command line: add one, then the figures count it as open.
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_telemercadeo"))
            .args(["--db", path.to_str().expect("path"), "--json"])
            .args(args)
            .output()
            .expect("run");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    let (code, _) = run(&[
        "nonconformity",
        "add",
        "--finding",
        "Llamadas fuera del horario permitido",
        "--responsible",
        "Jefe de marketing",
        "--found",
        "2026-12-01",
    ]);
    assert_eq!(code, Some(0));
    let (code, out) = run(&["process"]);
    assert_eq!(code, Some(0));
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["nonconformities_open"], 1);
    assert_eq!(v["nonconformities"], 2);
    assert_eq!(v["briefs_received"], received);
    let (code, _) = run(&["process", "--from", "2026-12-02", "--to", "2026-12-01"]);
    assert_eq!(code, Some(2), "a period backwards is a usage error");
    let (code, _) = run(&[
        "nonconformity",
        "close",
        "--id",
        "99",
        "--closed",
        "2026-12-02",
    ]);
    assert_eq!(code, Some(1), "no such non-conformity");
}
