//! The archive of records (procedure section 7; ISO 9001 7.5.3): the registry seeded with the
//! procedure's four records ("sin definir"), every archived document's SHA-256 stored and
//! verified, a content changed behind the program's back flagged (in the list and by `check`),
//! retention dates computed from the registry and recomputed when the head edits it, the list
//! of what is due, removal only by the head with confirmation and audited, and access by level
//! and role (a solicitante reads its own department's records only).

mod common;

use common::{NOW, actor, store_with_people_in};
use sha2::{Digest, Sha256};
use telemercadeo::domain::archive::{
    AccessLevel, ArchiveFilter, Due, FinalDisposition, KIND_BRIEF_PDF, add_years,
};
use telemercadeo::domain::procedure::CampaignKind;
use telemercadeo::domain::weekly::{Delivery, IsoWeek};
use telemercadeo::domain::{Actor, NewUser, Role, TestClock};
use telemercadeo::store::{Error, Store, Target};

fn hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A file database with people, on a clock the test moves.
fn setup() -> (tempfile::TempDir, std::path::PathBuf, Store, TestClock) {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("t.sqlite3");
    let clock = TestClock::at(NOW);
    let store = store_with_people_in(&Target::Sqlite(db.clone()), clock.clone());
    (dir, db, store, clock)
}

/// A weekly consolidated report recorded by the professional: its bytes and record id.
fn weekly(store: &Store) -> (Vec<u8>, i64) {
    let prof = actor(store, "lgomez");
    let week = IsoWeek::of_instant(NOW, &store.settings().expect("settings"));
    let report = store.weekly(&prof, week, None).expect("weekly");
    let bytes = b"PK\x03\x04 el consolidado de la semana".to_vec();
    let r = store
        .weekly_record(&prof, &report, Delivery::Exportado, "", &bytes)
        .expect("recorded");
    (bytes, r.id)
}

/// A brief of `dept` (through a campaign from the command line) printed and archived.
fn brief_pdf(store: &Store, dept: i64, name: &str) -> i64 {
    let cli = Actor::cli();
    let c = store
        .campaign_create_cli(
            &cli,
            name,
            dept,
            CampaignKind::Evento,
            "10/12/2026",
            "20/12/2026",
        )
        .expect("campaign");
    store
        .archive_brief_pdf(
            &cli,
            c.brief_id.expect("brief"),
            "solicitud.pdf",
            format!("%PDF-1.7 {name}").as_bytes(),
        )
        .expect("archived")
}

#[test]
fn the_registry_holds_the_procedures_four_records_with_retention_undefined() {
    let (_d, _db, store, _c) = setup();
    let types = store
        .record_types(&actor(&store, "mcastro"))
        .expect("types");
    let rows: Vec<(&str, &str)> = types
        .iter()
        .map(|t| (t.form.code.as_str(), t.form.name.as_str()))
        .collect();
    assert_eq!(
        rows,
        [
            ("GF-MK-PR-01-01", "Brief para campañas de telemercadeo"),
            ("N.A", "Campañas Contact Center"),
            ("N.A", "Consolidado llamadas recibidas y salientes"),
            ("N.A", "Bases de datos"),
        ]
    );
    for t in &types {
        assert_eq!(t.form.management_years, None, "{}", t.form.name);
        assert_eq!(t.form.central_years, None);
        assert_eq!(t.form.disposition, None);
        assert_eq!(t.form.access, AccessLevel::General);
    }
    assert_eq!(types[3].form.responsible, "Auxiliares Call Center");
}

#[test]
fn a_documents_hash_is_stored_verified_and_a_tampered_content_is_flagged() {
    let (_d, db, store, _c) = setup();
    let (bytes, id) = weekly(&store);
    let head = actor(&store, "mcastro");
    let list = store
        .archive_list(&head, &ArchiveFilter::default())
        .expect("list");
    assert_eq!(list.len(), 1);
    let r = &list[0];
    assert_eq!(r.id, id);
    assert_eq!(r.sha256, hex(&bytes), "the hash of what was archived");
    assert_eq!(r.code, "N.A");
    assert_eq!(r.type_name, "Consolidado llamadas recibidas y salientes");
    assert_eq!(r.verified, None, "never verified yet");
    let v = store.archive_verify(&head, None).expect("verify");
    assert!(v.iter().all(|v| v.ok), "{v:?}");
    assert_eq!(
        store.archive_record(&head, id).expect("record").verified,
        Some(true)
    );
    assert!(store.check().expect("check").ok);

    // Someone changes the content behind the program's back.
    let raw = rusqlite::Connection::open(&db).expect("raw");
    raw.execute(
        "UPDATE archived_records SET content = ?1 WHERE id = ?2",
        rusqlite::params![b"otra cosa".to_vec(), id],
    )
    .expect("tamper");
    let v = store.archive_verify(&head, Some(id)).expect("verify");
    assert_eq!(v.len(), 1);
    assert!(!v[0].ok, "the changed content is flagged");
    assert_eq!(
        store.archive_record(&head, id).expect("record").verified,
        Some(false)
    );
    let check = store.check().expect("check");
    assert!(!check.ok, "check fails on an altered record");
    assert_eq!(check.archive_mismatches.len(), 1);
    assert!(check.archive_mismatches[0].starts_with(&format!("{id}: ")));
    let audited: i64 = raw
        .query_row(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'archive.mismatch'",
            [],
            |r| r.get(0),
        )
        .expect("audit");
    assert_eq!(audited, 1);
}

#[test]
fn retention_dates_come_from_the_registry_and_the_due_list_follows_them() {
    let (_d, _db, store, clock) = setup();
    let head = actor(&store, "mcastro");
    let (_, id) = weekly(&store);
    let r = store.archive_record(&head, id).expect("record");
    assert_eq!((r.central_at, r.disposition_at), (None, None), "undefined");

    // The professional may not edit the registry.
    let types = store.record_types(&head).expect("types");
    let consolidated = types
        .iter()
        .find(|t| t.key == "consolidado")
        .expect("entry");
    let mut form = consolidated.form.clone();
    form.management_years = Some(2);
    form.central_years = Some(3);
    form.disposition = Some(FinalDisposition::Eliminacion);
    assert!(matches!(
        store.record_type_save(&actor(&store, "lgomez"), consolidated.id, &form),
        Err(Error::Forbidden(_))
    ));
    let mut bad = form.clone();
    bad.central_years = Some(0);
    assert!(matches!(
        store.record_type_save(&head, consolidated.id, &bad),
        Err(Error::Invalid(_))
    ));
    store
        .record_type_save(&head, consolidated.id, &form)
        .expect("saved");
    // What was already kept gets its dates.
    let r = store.archive_record(&head, id).expect("record");
    let central = add_years(r.created_at, 2);
    assert_eq!(r.central_at, Some(central));
    assert_eq!(r.disposition_at, Some(add_years(central, 3)));
    assert_eq!(r.disposition, Some(FinalDisposition::Eliminacion));
    // A new one too, computed on insert.
    let (_, id2) = weekly(&store);
    let r2 = store.archive_record(&head, id2).expect("record");
    assert_eq!(r2.central_at, Some(add_years(r2.created_at, 2)));

    let due = |store: &Store| {
        store
            .archive_list(
                &head,
                &ArchiveFilter {
                    due_only: true,
                    ..Default::default()
                },
            )
            .expect("due")
    };
    assert!(due(&store).is_empty(), "nothing due today");
    clock.set(central + 1);
    let list = due(&store);
    assert_eq!(list.len(), 2);
    assert!(
        list.iter()
            .all(|r| r.due(central + 1) == Some(Due::Transfer))
    );
    store.archive_transfer(&head, id).expect("transferred");
    assert!(matches!(
        store.archive_transfer(&head, id),
        Err(Error::Conflict(_))
    ));
    assert_eq!(due(&store).iter().map(|r| r.id).collect::<Vec<_>>(), [id2]);
    let end = add_years(central, 3) + 1;
    clock.set(end);
    let list = due(&store);
    assert_eq!(list.len(), 2);
    assert!(list.iter().all(|r| r.due(end) == Some(Due::Disposition)));
}

#[test]
fn only_the_head_removes_a_record_after_confirming_and_it_is_audited() {
    let (_d, db, store, _c) = setup();
    let (bytes, id) = weekly(&store);
    let prof = actor(&store, "lgomez");
    let head = actor(&store, "mcastro");
    assert!(matches!(
        store.archive_remove(&prof, id, true),
        Err(Error::Forbidden(_))
    ));
    assert!(matches!(
        store.archive_remove(&head, id, false),
        Err(Error::Invalid(_))
    ));
    assert_eq!(
        store
            .archive_list(&head, &ArchiveFilter::default())
            .expect("list")
            .len(),
        1,
        "still there"
    );
    store.archive_remove(&head, id, true).expect("removed");
    assert!(
        store
            .archive_list(&head, &ArchiveFilter::default())
            .expect("list")
            .is_empty()
    );
    let raw = rusqlite::Connection::open(&db).expect("raw");
    let (who, detail): (String, String) = raw
        .query_row(
            "SELECT actor, detail FROM audit_log WHERE action = 'archive.remove' AND entity_id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("audited");
    assert_eq!(who, "mcastro");
    assert!(detail.contains(&hex(&bytes)), "{detail}");
}

#[test]
fn a_solicitante_reads_only_its_own_departments_records() {
    let (_d, _db, store, _c) = setup();
    let cli = Actor::cli();
    let posgrados = store
        .departments()
        .expect("departments")
        .into_iter()
        .find(|d| d.name == "Dirección de Posgrados")
        .expect("dept")
        .id;
    let bienestar = store.add_department(&cli, "Bienestar").expect("dept").id;
    store
        .add_user(
            &cli,
            &NewUser {
                login: "bienestar".into(),
                name: "Jorge Díaz".into(),
                role: Some(Role::Solicitante),
                department_id: Some(bienestar),
            },
            common::PW,
            common::PW,
        )
        .expect("user");
    let mine = brief_pdf(&store, posgrados, "Feria de posgrados");
    let theirs = brief_pdf(&store, bienestar, "Semana de la salud");
    weekly(&store);

    let sol = actor(&store, "posgrados");
    let list = store
        .archive_list(&sol, &ArchiveFilter::default())
        .expect("list");
    assert_eq!(
        list.iter().map(|r| r.id).collect::<Vec<_>>(),
        [mine],
        "its own department's brief only (not the other's, not the weekly report)"
    );
    assert_eq!(list[0].kind, KIND_BRIEF_PDF);
    assert_eq!(list[0].code, "GF-MK-PR-01-01");
    assert!(store.archive_content(&sol, mine).is_ok());
    assert!(matches!(
        store.archive_content(&sol, theirs),
        Err(Error::Forbidden(_))
    ));
    // The head reads everything; the other department's user reads its own.
    assert_eq!(
        store
            .archive_list(&actor(&store, "mcastro"), &ArchiveFilter::default())
            .expect("list")
            .len(),
        3
    );
    let other = actor(&store, "bienestar");
    let (name, bytes) = store.archive_content(&other, theirs).expect("content");
    assert_eq!(name, "solicitud.pdf");
    assert!(bytes.starts_with(b"%PDF"));
    // An agent reads only what it produced.
    assert!(
        store
            .archive_list(&actor(&store, "aperez"), &ArchiveFilter::default())
            .expect("list")
            .is_empty()
    );
}

#[test]
fn the_list_filters_by_kind_period_and_code() {
    let (_d, _db, store, clock) = setup();
    let head = actor(&store, "mcastro");
    let dept = store.departments().expect("d")[0].id;
    brief_pdf(&store, dept, "Feria");
    clock.set(NOW + 86_400);
    weekly(&store);
    let list = |f: ArchiveFilter| {
        store
            .archive_list(&head, &f)
            .expect("list")
            .into_iter()
            .map(|r| r.kind)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        list(ArchiveFilter {
            kind: Some(KIND_BRIEF_PDF.into()),
            ..Default::default()
        }),
        [KIND_BRIEF_PDF]
    );
    assert_eq!(
        list(ArchiveFilter {
            from: Some(NOW + 3600),
            ..Default::default()
        }),
        ["consolidado_semanal"]
    );
    assert_eq!(
        list(ArchiveFilter {
            text: "gf-mk".into(),
            ..Default::default()
        }),
        [KIND_BRIEF_PDF]
    );
}
