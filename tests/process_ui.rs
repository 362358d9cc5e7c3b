//! Indicadores in the window (issue 12): the head's process page (figures and the register of
//! non-conformities, refused when incomplete, then saved), not shown to the professional; and
//! the real conversion of the campaign shown, after loading a list of the academic system.

use std::path::PathBuf;
use std::sync::Arc;

use telemercadeo::domain::{Actor, TestClock};
use telemercadeo::store::{Store, Target};

#[path = "common/mod.rs"]
mod common;
use common::{click, fill, visible, visible_containing, wait_until};

/// 2026-12-03 16:00 in Bogotá.
const NOW: i64 = 1_796_331_600;

fn demo() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("demo.sqlite3");
    let store =
        Store::open_with_clock(&Target::Sqlite(path), Arc::new(TestClock::at(NOW))).expect("store");
    telemercadeo::demo::fill(&store, &Actor::cli()).expect("demo");
    for u in ["mcastro", "lgomez"] {
        let id = store.user_by_login(u).expect("read").expect("user").id;
        store
            .reset_password(&Actor::cli(), id, common::PW, common::PW)
            .expect("password");
    }
    (dir, store)
}

/// Clicks a button whose work runs on a job (a spinner repaints until it ends).
fn press(h: &mut common::H, label: &str) {
    use egui::accesskit::Role;
    use egui_kittest::kittest::Queryable;
    h.get_by_role_and_label(Role::Button, label).click();
    h.step();
}

#[test]
fn the_head_keeps_the_register_of_non_conformities_in_indicadores() {
    let (_dir, store) = demo();
    let mut h = common::app(store.clone());
    common::log_in(&mut h, "lgomez");
    click(&mut h, "Indicadores");
    assert!(
        !visible(&h, "Indicadores del proceso"),
        "the professional has no process page"
    );

    common::log_in(&mut h, "mcastro");
    click(&mut h, "Indicadores");
    click(&mut h, "Indicadores del proceso");
    wait_until(&mut h, "the process figures", |h| {
        visible(h, "Solicitudes recibidas")
    });
    assert!(visible_containing(
        &h,
        "No hay no conformidades registradas"
    ));
    click(&mut h, "Nueva no conformidad");
    // Saving without what happened says so under the field, and nothing is written.
    click(&mut h, "Guardar");
    assert!(visible(&h, "Escriba qué pasó."));
    assert!(visible(&h, "Escriba quién responde por la acción."));
    let head = common::actor(&store, "mcastro");
    assert!(store.nonconformities(&head).expect("list").is_empty());
    fill(
        &mut h,
        "Qué pasó",
        "Se llamó a un contacto fuera del horario",
    );
    fill(&mut h, "Responsable de la acción", "Laura Gómez Ríos");
    click(&mut h, "Guardar");
    let list = store.nonconformities(&head).expect("list");
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].finding, "Se llamó a un contacto fuera del horario");
    wait_until(&mut h, "the register", |h| {
        visible(h, "Se llamó a un contacto fuera del horario")
    });
    assert!(visible(&h, "Abierta"));
}

fn list_path() -> PathBuf {
    std::env::temp_dir().join(format!(
        "telemercadeo-matriculados-{}.csv",
        std::process::id()
    ))
}

fn open_list(
    _: &telemercadeo::ui::files::Request,
) -> Result<Option<PathBuf>, telemercadeo::ui::files::Unavailable> {
    Ok(Some(list_path()))
}

#[test]
fn the_campaigns_real_conversion_shows_once_a_list_is_loaded() {
    let (dir, store) = demo();
    let sql = rusqlite::Connection::open(dir.path().join("demo.sqlite3")).expect("sql");
    // Three contacts of the campaign in progress enrolled, by their phones.
    let mut st = sql
        .prepare("SELECT phone FROM campaign_contacts WHERE campaign_id = 1 ORDER BY id LIMIT 3")
        .expect("prepare");
    let phones: Vec<String> = st
        .query_map([], |r| r.get(0))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("phones");
    let mut csv = String::from("Celular,Programa,Estado\n");
    for p in &phones {
        csv += &format!("{p},Derecho,Matriculado\n");
    }
    std::fs::write(list_path(), csv).expect("write");

    // Tall enough that the section below the charts is on screen (a click needs it there).
    let mut h = common::app_sized(store.clone(), 1366.0, 4000.0);
    common::log_in(&mut h, "mcastro");
    click(&mut h, "Indicadores");
    wait_until(&mut h, "the conversion section", |h| {
        visible_containing(h, "Aún no se ha cargado ninguna lista")
    });
    h.state_mut().dialog = open_list;
    press(&mut h, "Cargar lista del sistema académico…");
    wait_until(&mut h, "the list loaded", |h| {
        visible_containing(h, "Cruzadas con contactos: 3")
    });
    wait_until(&mut h, "the conversion", |h| {
        visible(h, "Conversión real")
            && visible(h, "Por auxiliar (quien registró el mejor resultado):")
    });
    let conv = store.conversion(&Actor::cli(), 1).expect("conversion");
    assert_eq!(conv.total.converted, 3);
    assert_eq!(conv.total.enrolled, 3);
    let _ = std::fs::remove_file(list_path());
}
