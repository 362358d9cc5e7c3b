//! The Informes y archivo tab (issue 12, "Done when"): the professional opens a closed
//! campaign's report, writes the narrative, generates the Excel file (the test's dialog gives
//! the path) and records a hand delivery after confirming to whom; the brief then shows
//! «Informe entregado»; the department's solicitante records its satisfaction.

mod common;

use std::path::PathBuf;
use std::sync::Arc;

use common::{click, fill, try_log_in, visible, visible_containing, wait_until};
use telemercadeo::domain::procedure::{BriefStatus, CampaignStatus};
use telemercadeo::domain::{Actor, TestClock};
use telemercadeo::store::{Store, Target};

/// 2026-12-03 16:00 in Bogotá.
const NOW: i64 = 1_796_331_600;

fn export_path() -> PathBuf {
    std::env::temp_dir().join(format!("informe-kittest-{}.xlsx", std::process::id()))
}

fn save_here(
    _: &telemercadeo::ui::files::Request,
) -> Result<Option<PathBuf>, telemercadeo::ui::files::Unavailable> {
    Ok(Some(export_path()))
}

/// Clicks a button whose work runs on a job (a spinner repaints until it ends): one frame,
/// then the caller waits for the result.
fn press(h: &mut common::H, label: &str) {
    use egui::accesskit::Role;
    use egui_kittest::kittest::Queryable;
    h.get_by_role_and_label(Role::Button, label).click();
    h.step();
}

#[test]
fn the_professional_writes_generates_and_delivers_and_the_department_rates_it() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("demo.sqlite3");
    let store = Store::open_with_clock(&Target::Sqlite(path.clone()), Arc::new(TestClock::at(NOW)))
        .expect("store");
    let demo = telemercadeo::demo::fill(&store, &Actor::cli()).expect("demo");
    let prof = common::actor(&store, "lgomez");
    let c = store
        .campaigns(&prof)
        .expect("campaigns")
        .into_iter()
        .find(|c| c.department == "Dirección de Posgrados")
        .expect("the Posgrados campaign");
    store
        .campaign_set_status(&prof, c.id, CampaignStatus::Cerrada)
        .expect("closed");

    let mut h = common::app(store.clone());
    try_log_in(&mut h, "lgomez", &demo.password);
    click(&mut h, "Informes y archivo");
    wait_until(&mut h, "the campaigns' list", |h| visible(h, &c.form.name));
    press(&mut h, &c.form.name);
    wait_until(&mut h, "the report's figures", |h| {
        visible(h, "Registros válidos")
    });
    assert!(visible(&h, "Final"), "a closed campaign's report is final");

    // The narrative, saved.
    fill(
        &mut h,
        "Conclusiones y recomendaciones",
        "Buena respuesta en la franja de la tarde.",
    );
    click(&mut h, "Guardar");
    let r = store.results(&prof, c.id).expect("results");
    assert_eq!(
        r.record.narrative,
        "Buena respuesta en la franja de la tarde."
    );

    // Generated to the path the dialog gives, on a job; kept in the archive.
    let _ = std::fs::remove_file(export_path());
    h.state_mut().dialog = save_here;
    press(&mut h, "Generar Excel");
    wait_until(&mut h, "the file", |h| visible_containing(h, "Guardado en"));
    let bytes = std::fs::read(export_path()).expect("written");
    assert!(bytes.starts_with(b"PK"));
    let _ = std::fs::remove_file(export_path());
    let sql = rusqlite::Connection::open(&path).expect("sql");
    let archived = |sql: &rusqlite::Connection| -> i64 {
        sql.query_row(
            "SELECT COUNT(*) FROM archived_records WHERE kind = 'informe_resultados'",
            [],
            |r| r.get(0),
        )
        .expect("count")
    };
    assert_eq!(archived(&sql), 1);

    // A hand delivery, after a confirmation that says to whom.
    fill(&mut h, "Quién lo recibió", "Sandra Ríos");
    click(&mut h, "Registrar entrega en mano");
    assert!(visible_containing(&h, "se entregó en mano a Sandra Ríos"));
    press(&mut h, "Entregar");
    wait_until(&mut h, "the delivery", |h| {
        visible_containing(h, "Entregado a mano: ")
    });
    assert!(visible(&h, "Entregado"));
    assert_eq!(archived(&sql), 2, "the file delivered is kept too");
    let brief = store
        .brief(&prof, c.brief_id.expect("brief"))
        .expect("brief");
    assert_eq!(brief.status, BriefStatus::InformeEntregado);
    click(&mut h, "Solicitudes");
    assert!(visible(&h, "Informe entregado"));

    // The archive lists the delivered report with its hash (issue 12, "Done when").
    let (title, sha): (String, String) = sql
        .query_row(
            "SELECT title, sha256 FROM archived_records WHERE kind = 'informe_resultados' ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("archived");
    assert_eq!(sha.len(), 64, "kept with its SHA-256");
    click(&mut h, "Informes y archivo");
    click(&mut h, "Archivo");
    wait_until(&mut h, "the archive", |h| visible_containing(h, &sha[..12]));
    assert!(visible_containing(&h, &title));

    // The department's solicitante: read-only, records its satisfaction.
    try_log_in(&mut h, "posgrados", &demo.password);
    click(&mut h, "Informes y archivo");
    wait_until(&mut h, "the campaigns' list", |h| visible(h, &c.form.name));
    press(&mut h, &c.form.name);
    wait_until(&mut h, "the report", |h| visible(h, "Registros válidos"));
    assert!(!visible(&h, "Generar Excel"), "read-only");
    assert!(visible_containing(
        &h,
        "Buena respuesta en la franja de la tarde."
    ));
    click(&mut h, "4 de 5");
    fill(&mut h, "Comentario", "Claro y a tiempo");
    click(&mut h, "Registrar satisfacción");
    let s = store
        .results(&prof, c.id)
        .expect("results")
        .record
        .satisfaction
        .expect("recorded");
    assert_eq!(
        (s.score, s.comment.as_str(), s.by.as_str()),
        (4, "Claro y a tiempo", "posgrados")
    );
    assert!(visible_containing(&h, "4 de 5 — «Claro y a tiempo»"));
}
