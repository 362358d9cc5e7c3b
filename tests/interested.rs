//! The requesting department follows its campaign (issue 12): the contacts marked interested,
//! with the agent's notes, equal a direct count; the department of the campaign sees them on
//! its brief and exports them to Excel (phones as text, formulas neutralised, long notes cut
//! with a mark); another department may not.

use std::sync::Arc;

use calamine::{Data, Reader, Xlsx};
use telemercadeo::domain::{Actor, TestClock};
use telemercadeo::store::{Error, Store, Target};

#[path = "common/mod.rs"]
mod common;

/// 2026-12-03 16:00 in Bogotá.
const NOW: i64 = 1_796_331_600;

#[test]
fn the_department_sees_and_exports_its_campaigns_interested_contacts() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("demo.sqlite3");
    let store = Store::open_with_clock(&Target::Sqlite(path.clone()), Arc::new(TestClock::at(NOW)))
        .expect("store");
    let s = telemercadeo::demo::fill(&store, &Actor::cli()).expect("demo");
    let campaign = s.active_campaign;
    let sql = rusqlite::Connection::open(&path).expect("sql");
    // A note that Excel would read as a formula, and one longer than a cell holds.
    let (first, second): (i64, i64) = sql
        .query_row(
            "SELECT MIN(a.id), MAX(a.id) FROM call_attempts a JOIN campaign_contacts cc ON cc.id = a.contact_id
             JOIN dispositions d ON d.id = a.disposition_id
             WHERE a.campaign_id = ?1 AND d.category = 'positivo' AND a.disposition_id = cc.best_disposition_id",
            [campaign],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("positive attempts");
    assert_ne!(first, second);
    let long = "x".repeat(40_000);
    sql.execute(
        "UPDATE call_attempts SET notes = '=HIPERVINCULO(\"http://x\")' WHERE id = ?1",
        [first],
    )
    .expect("note");
    sql.execute(
        "UPDATE call_attempts SET notes = ?2 WHERE id = ?1",
        rusqlite::params![second, long],
    )
    .expect("long note");

    let expected: i64 = sql
        .query_row(
            "SELECT COUNT(*) FROM campaign_contacts cc JOIN dispositions d ON d.id = cc.best_disposition_id
             WHERE cc.campaign_id = ?1 AND d.category = 'positivo'",
            [campaign],
            |r| r.get(0),
        )
        .expect("count");
    assert!(expected > 2);
    let admisiones = common::actor(&store, "admisiones");
    let list = store
        .interested(&admisiones, campaign)
        .expect("own campaign");
    assert_eq!(list.contacts.len() as i64, expected);
    assert!(
        list.contacts.windows(2).all(|w| w[0].at >= w[1].at),
        "latest first"
    );
    // Another department may not look.
    let posgrados = common::actor(&store, "posgrados");
    assert!(matches!(
        store.interested(&posgrados, campaign),
        Err(Error::Forbidden(_))
    ));
    // Through its brief.
    let brief: i64 = sql
        .query_row(
            "SELECT brief_id FROM campaigns WHERE id = ?1",
            [campaign],
            |r| r.get(0),
        )
        .expect("brief");
    let by_brief = store
        .interested_of_brief(&admisiones, brief)
        .expect("read")
        .expect("a campaign");
    assert_eq!(by_brief.contacts, list.contacts);

    // The workbook.
    let bytes = telemercadeo::report::interested_xlsx::interested_xlsx(
        &list,
        &store.settings().expect("settings"),
    )
    .expect("xlsx");
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).expect("open");
    let range = wb.worksheet_range("Interesados").expect("sheet");
    assert_eq!(range.height() as i64, expected + 1);
    assert_eq!(range.get((0, 1)), Some(&Data::String("Teléfono".into())));
    for row in range.rows().skip(1) {
        match &row[1] {
            Data::String(p) => assert!(
                p.len() == 12 && p.chars().filter(|c| *c == ' ').count() == 2,
                "phone as people write it: {p}"
            ),
            other => panic!("phone as text, not {other:?}"),
        }
    }
    let notes: Vec<String> = range.rows().skip(1).map(|r| r[8].to_string()).collect();
    assert!(
        notes.contains(&"'=HIPERVINCULO(\"http://x\")".to_owned()),
        "neutralised"
    );
    let cut = notes
        .iter()
        .find(|n| n.starts_with("xxxx"))
        .expect("the long note");
    assert_eq!(cut.chars().count(), 32_767);
    assert!(cut.ends_with("por celda]"), "cut with a visible mark");
}

#[test]
fn the_department_reads_them_on_its_brief() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("demo.sqlite3");
    let store = Store::open_with_clock(&Target::Sqlite(path.clone()), Arc::new(TestClock::at(NOW)))
        .expect("store");
    let s = telemercadeo::demo::fill(&store, &Actor::cli()).expect("demo");
    let n = store
        .interested(&Actor::cli(), s.active_campaign)
        .expect("list")
        .contacts
        .len();
    let id = store
        .user_by_login("admisiones")
        .expect("read")
        .expect("user")
        .id;
    store
        .reset_password(&Actor::cli(), id, common::PW, common::PW)
        .expect("password");
    let mut h = common::app(store.clone());
    common::log_in(&mut h, "admisiones");
    common::click(&mut h, "Inscripciones 2027-1 · Pregrado · Colegios aliados");
    let count = format!("Interesados hasta ahora: {n}");
    common::wait_until(&mut h, "the interested contacts", |h| {
        common::visible(h, &count)
    });
    assert!(common::visible(&h, "Exportar interesados a Excel…"));
    assert!(common::visible(&h, "Notas"), "the table's header");
}
