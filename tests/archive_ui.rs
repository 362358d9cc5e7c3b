//! Informes y archivo › Archivo in the window: on the demo database with a weekly report
//! recorded, the head sees it in the list with its hash, verifies it (✓), and reads the
//! registry's four seeded records with their retention "sin definir"; the professional sees
//! the list but not the registry's editor; a solicitante does not see the weekly report.

mod common;

use std::sync::Arc;

use common::{
    NOW, app, click, fill, log_in, store_with_people, try_log_in, visible, visible_containing,
    wait_until,
};
use egui_kittest::kittest::Queryable;
use telemercadeo::domain::procedure::CampaignKind;
use telemercadeo::domain::weekly::{Delivery, IsoWeek};
use telemercadeo::domain::{Actor, Role, TestClock};
use telemercadeo::store::{Store, Target};

/// The demo database with the current week's consolidated report recorded: the store, the
/// demo password, the head's and the professional's logins, and the report's title and hash.
fn demo() -> (Store, String, String, String, String, String) {
    let store =
        Store::open_with_clock(&Target::Memory, Arc::new(TestClock::at(NOW))).expect("store");
    let s = telemercadeo::demo::fill(&store, &Actor::cli()).expect("demo");
    let login = |role| {
        s.users
            .iter()
            .find(|(_, r)| *r == role)
            .map(|(l, _)| l.clone())
            .expect("user")
    };
    let (head, prof) = (login(Role::Jefe), login(Role::Profesional));
    let settings = store.settings().expect("settings");
    let week = IsoWeek::of_instant(NOW, &settings);
    let cli = Actor::cli();
    let report = store.weekly(&cli, week, None).expect("weekly");
    assert!(report.total.calls() > 0, "the demo has calls this week");
    let bytes =
        telemercadeo::report::weekly_xlsx::weekly_xlsx(&report, &settings, NOW).expect("xlsx");
    store
        .weekly_record(&cli, &report, Delivery::Exportado, "", &bytes)
        .expect("recorded");
    let list = store.archive_list(&cli, &Default::default()).expect("list");
    let r = list.first().expect("archived");
    (
        store.clone(),
        s.password,
        head,
        prof,
        r.title.clone(),
        r.sha256.clone(),
    )
}

#[test]
fn the_head_sees_the_weekly_report_with_its_hash_and_the_registry() {
    let (store, pw, head, _, title, sha) = demo();
    let mut h = app(store);
    try_log_in(&mut h, &head, &pw);
    click(&mut h, "Informes y archivo");
    click(&mut h, "Archivo");
    wait_until(&mut h, "the archive's list", |h| visible(h, &title));
    assert!(visible(&h, &sha[..12]), "the hash, short");
    assert!(visible(&h, "Consolidado semanal"), "its kind");
    // Verified on demand: the mark appears.
    click(&mut h, "Verificar todo");
    wait_until(&mut h, "the verification", |h| visible(h, "✓"));
    // The registry: the procedure's four records, retention not defined yet.
    for name in [
        "Brief para campañas de telemercadeo",
        "Campañas Contact Center",
        "Consolidado llamadas recibidas y salientes",
        "Bases de datos",
    ] {
        assert!(visible(&h, name), "{name}");
    }
    assert!(visible(&h, "GF-MK-PR-01-01"));
    assert!(visible(&h, "sin definir"));
    assert!(visible(&h, "Editar"), "the head edits the registry");
    assert!(visible(&h, "Eliminar"), "the head may remove");
}

#[test]
fn the_head_sets_a_retention_and_the_dates_follow() {
    let (store, pw, head, _, title, _) = demo();
    let mut h = app(store.clone());
    try_log_in(&mut h, &head, &pw);
    click(&mut h, "Informes y archivo");
    click(&mut h, "Archivo");
    wait_until(&mut h, "the archive's list", |h| visible(h, &title));
    // The third entry is the weekly consolidation's.
    let edit = h
        .query_all_by_label("Editar")
        .nth(2)
        .expect("the third Editar");
    edit.click();
    h.run();
    common::fill(&mut h, "Años en archivo de gestión", "2");
    common::fill(&mut h, "Años en archivo central", "tres");
    click(&mut h, "Guardar cambios");
    assert!(
        visible_containing(&h, "número entero"),
        "a retention that is not a number says so"
    );
    common::fill(&mut h, "Años en archivo central", "3");
    click(&mut h, "Guardar cambios");
    wait_until(&mut h, "the new retention", |h| visible(h, "2 años"));
    let r = store
        .archive_list(&Actor::cli(), &Default::default())
        .expect("list")
        .remove(0);
    assert_eq!(
        r.central_at,
        Some(telemercadeo::domain::archive::add_years(r.created_at, 2))
    );
}

#[test]
fn the_professional_reads_the_list_but_does_not_edit_the_registry() {
    let (store, pw, _, prof, title, _) = demo();
    let mut h = app(store);
    try_log_in(&mut h, &prof, &pw);
    click(&mut h, "Informes y archivo");
    click(&mut h, "Archivo");
    wait_until(&mut h, "the archive's list", |h| visible(h, &title));
    assert!(visible(&h, "Bases de datos"));
    assert!(!visible(&h, "Editar"));
    assert!(!visible(&h, "Eliminar"));
}

#[test]
fn a_brief_printed_in_the_window_is_archived_and_its_department_reads_it() {
    let store = store_with_people();
    let cli = Actor::cli();
    let dept = store.departments().expect("departments")[0].id;
    store
        .campaign_create_cli(
            &cli,
            "Feria de posgrados",
            dept,
            CampaignKind::Evento,
            "10/12/2026",
            "20/12/2026",
        )
        .expect("campaign");
    // A weekly report too, which belongs to no department.
    let week = IsoWeek::of_instant(NOW, &store.settings().expect("settings"));
    let report = store.weekly(&cli, week, None).expect("weekly");
    store
        .weekly_record(&cli, &report, Delivery::Exportado, "", b"PK xlsx")
        .expect("recorded");

    let mut h = app(store.clone());
    h.state_mut().dialog = telemercadeo::ui::files::unavailable;
    log_in(&mut h, "mcastro");
    click(&mut h, "Feria de posgrados");
    click(&mut h, "Imprimir (PDF)…");
    let dir = tempfile::tempdir().expect("dir");
    fill(&mut h, "Imprimir (PDF)…", &dir.path().display().to_string());
    click(&mut h, "Guardar aquí");
    let printed: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .map(|e| e.expect("e").path())
        .collect();
    assert_eq!(printed.len(), 1, "the PDF was written");
    let bytes = std::fs::read(&printed[0]).expect("pdf");
    let kept = store
        .archive_list(&cli, &Default::default())
        .expect("list")
        .into_iter()
        .find(|r| r.kind == "brief_pdf")
        .expect("the printed brief is archived");
    assert_eq!(kept.code, "GF-MK-PR-01-01");
    assert_eq!(kept.department_id, Some(dept));
    let (_, content) = store.archive_content(&cli, kept.id).expect("content");
    assert_eq!(content, bytes, "what was printed is what is kept");

    // The department's user sees its brief in the archive, not the weekly report.
    log_in(&mut h, "posgrados");
    click(&mut h, "Informes y archivo");
    click(&mut h, "Archivo");
    wait_until(&mut h, "the archive's list", |h| visible(h, &kept.title));
    assert!(!visible_containing(&h, "Consolidado semanal —"));
    assert!(!visible(&h, "Editar"));
}
