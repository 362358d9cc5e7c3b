//! Issue 9's import storage: an existing database migrates into the lookup tables, a dead
//! batch is purged by its id ranges, and the campaign counters always equal a full count.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use telemercadeo::domain::contact::{ContactFilter, NewContact};
use telemercadeo::domain::procedure::CampaignKind;
use telemercadeo::domain::{Actor, TestClock};
use telemercadeo::import::job::{self, ImportError, ImportOptions};
use telemercadeo::import::read::Source;
use telemercadeo::store::db::{EngineKind, ddl_for};
use telemercadeo::store::migrate::MIGRATIONS;
use telemercadeo::store::{Store, Target};

fn raw(db: &std::path::Path, sql: &str) -> i64 {
    let c = rusqlite::Connection::open(db).expect("raw");
    c.query_row(sql, [], |r| r.get(0)).expect(sql)
}

fn csv(rows: &[(&str, &str, &str)]) -> Source {
    let mut s = String::from("Nombre,Celular,Documento\n");
    for (n, p, d) in rows {
        s.push_str(&format!("{n},{p},{d}\n"));
    }
    Source::Bytes {
        name: "base.csv".into(),
        data: Arc::new(s.into_bytes()),
    }
}

fn import(store: &Store, campaign: i64, src: &Source) -> Result<i64, ImportError> {
    let never = AtomicBool::new(false);
    Ok(job::run(
        store,
        &Actor::cli(),
        campaign,
        src,
        &ImportOptions::default(),
        &|_| {},
        &never,
    )?
    .counts
    .imported)
}

fn counters_match(store: &Store) {
    for c in store.campaigns(&Actor::cli()).expect("campaigns") {
        let scanned = store.contacts_count_scanned(c.id).expect("scan");
        assert_eq!(c.contacts, scanned, "campaign {}", c.id);
        assert_eq!(
            store
                .contacts_count(c.id, &ContactFilter::default())
                .expect("count"),
            scanned
        );
    }
}

#[test]
fn an_existing_database_moves_its_persons_into_the_lookup_tables() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("old.sqlite3");
    {
        // A database at schema 3, as the previous program left it.
        let c = rusqlite::Connection::open(&db).expect("open");
        c.execute_batch("PRAGMA foreign_keys = ON; CREATE TABLE schema_version (version BIGINT NOT NULL PRIMARY KEY, applied_at BIGINT NOT NULL);")
            .expect("version table");
        for (i, m) in MIGRATIONS.iter().take(3).enumerate() {
            c.execute_batch(&ddl_for(EngineKind::Sqlite, m))
                .expect("migration");
            c.execute("INSERT INTO schema_version VALUES (?1, 0)", [i as i64 + 1])
                .expect("version");
        }
        c.execute_batch(
            "INSERT INTO departments (name, name_key, created_at) VALUES ('D', 'd', 0);
             INSERT INTO campaigns (uuid, name, department_id, created_at, updated_at) VALUES ('u1', 'Vieja', 1, 0, 0);
             INSERT INTO import_batches (campaign_id, file_name, status, created_by, created_at) VALUES (1, 'a.csv', 'confirmada', 'cli', 0);
             INSERT INTO persons (uuid, name, document, created_at) VALUES ('p1', 'Ana', '1001', 0), ('p2', 'Luis', NULL, 0);
             INSERT INTO person_phones (person_id, e164) VALUES (1, '+573001234567'), (1, '+576012345678'), (2, '+573109876543');
             INSERT INTO campaign_contacts (campaign_id, person_id, batch_id, name, phone, document) VALUES
                 (1, 1, 1, 'Ana', '+573001234567', '1001'), (1, 2, 1, 'Luis', '+573109876543', NULL);",
        )
        .expect("old data");
    }
    let store = Store::open(&Target::Sqlite(db.clone())).expect("migrates");
    assert_eq!(
        raw(&db, "SELECT MAX(version) FROM schema_version"),
        MIGRATIONS.len() as i64
    );
    assert_eq!(raw(&db, "SELECT COUNT(*) FROM person_phone_keys"), 3);
    assert_eq!(
        raw(
            &db,
            "SELECT person_id FROM person_phone_keys WHERE e164 = 576012345678"
        ),
        1
    );
    assert_eq!(
        raw(
            &db,
            "SELECT person_id FROM person_document_keys WHERE document = '1001'"
        ),
        1
    );
    assert_eq!(
        raw(
            &db,
            "SELECT COUNT(*) FROM sqlite_master WHERE name IN ('person_phones', 'persons_document')"
        ),
        0
    );
    counters_match(&store);
    assert_eq!(store.campaigns(&Actor::cli()).expect("list")[0].contacts, 2);
    // The same people in a new campaign are the same persons; the old campaign dedupes.
    let cli = Actor::cli();
    let c2 = store
        .campaign_create_cli(&cli, "Nueva", 1, CampaignKind::Otro, "", "")
        .expect("campaign")
        .id;
    let src = csv(&[
        ("Ana", "300 123 4567", ""),
        ("Otra", "601 234 5678", ""),
        ("Doc", "311 000 0000", "1001"),
    ]);
    assert_eq!(import(&store, c2, &src).expect("import"), 3);
    assert_eq!(
        raw(&db, "SELECT COUNT(*) FROM persons"),
        2,
        "all three are Ana"
    );
    assert_eq!(
        import(&store, 1, &src).expect("again"),
        2,
        "Ana is already there"
    );
    counters_match(&store);
    assert!(store.check().expect("check").ok);
}

#[test]
fn a_dead_batch_is_purged_by_its_ranges_and_counters_stay_exact() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("t.sqlite3");
    let clock = TestClock::at(1_000_000);
    let store = Store::open_with_clock(&Target::Sqlite(db.clone()), Arc::new(clock.clone()))
        .expect("store");
    let cli = Actor::cli();
    let dept = store.add_department(&cli, "D").expect("dept").id;
    let c = store
        .campaign_create_cli(&cli, "C", dept, CampaignKind::Otro, "", "")
        .expect("campaign")
        .id;
    let first = csv(&[
        ("Ana", "300 123 4567", "1001"),
        ("Luis", "310 987 6543", ""),
    ]);
    assert_eq!(import(&store, c, &first).expect("first"), 2);
    counters_match(&store);
    // A batch that dies half-way: its contacts, persons and keys are written, never confirmed.
    let batch = store
        .import_begin(&cli, c, "b.csv", "csv", &Default::default())
        .expect("begin");
    let contacts: Vec<NewContact> = (0..500)
        .map(|i| NewContact {
            source_row: i + 2,
            name: format!("P{i}"),
            phone: 573_200_000_000 + i as u64,
            document: Some(format!("{}", 90_000 + i)),
            ..Default::default()
        })
        .chain(std::iter::once(NewContact {
            source_row: 600,
            name: "Ana otra vez".into(),
            phone: 573_001_234_567,
            ..Default::default()
        }))
        .collect();
    store.import_chunk(batch, c, &contacts, &[]).expect("chunk");
    assert_eq!(raw(&db, "SELECT COUNT(*) FROM persons"), 502);
    assert_eq!(raw(&db, "SELECT COUNT(*) FROM person_phone_keys"), 502);
    counters_match(&store);
    // Another import meanwhile does not see the dead batch's persons.
    let c2 = store
        .campaign_create_cli(&cli, "C2", dept, CampaignKind::Otro, "", "")
        .expect("campaign")
        .id;
    assert_eq!(
        import(&store, c2, &csv(&[("X", "320 000 0001", "")])).expect("other"),
        1
    );
    assert_eq!(
        raw(&db, "SELECT COUNT(*) FROM persons"),
        503,
        "a new person, not the dead batch's"
    );
    drop(store);
    // The next start, once the batch is silent, removes everything it wrote.
    clock.advance(3600);
    let store = Store::open_with_clock(&Target::Sqlite(db.clone()), Arc::new(clock.clone()))
        .expect("reopen");
    assert_eq!(raw(&db, "SELECT COUNT(*) FROM persons"), 3);
    assert_eq!(raw(&db, "SELECT COUNT(*) FROM campaign_contacts"), 3);
    assert_eq!(raw(&db, "SELECT COUNT(*) FROM person_phone_keys"), 3);
    assert_eq!(raw(&db, "SELECT COUNT(*) FROM person_document_keys"), 1);
    assert_eq!(
        raw(
            &db,
            &format!(
                "SELECT COUNT(*) FROM import_batches WHERE id = {batch} AND status = 'cancelada'"
            )
        ),
        1
    );
    counters_match(&store);
    // A cancelled import leaves the counters as they were.
    let cancel = AtomicBool::new(true);
    let e = job::run(
        &store,
        &cli,
        c,
        &csv(&[("Z", "315 555 5555", "")]),
        &ImportOptions::default(),
        &|_| {},
        &cancel,
    );
    assert!(matches!(e, Err(ImportError::Cancelled)));
    counters_match(&store);
    // And the purged phones can be imported again, as new persons.
    assert_eq!(
        import(&store, c, &csv(&[("P0", "320 000 0000", "90000")])).expect("again"),
        1
    );
    counters_match(&store);
    assert!(store.check().expect("check").ok);
}
