//! The script editor offers the columns of the files imported into its campaign as
//! placeholders, and does not flag them as unknown (egui_kittest).

mod common;

use std::sync::atomic::AtomicBool;

use common::{actor, click, fill, log_in, store_with_people, visible_containing};
use telemercadeo::domain::Actor;
use telemercadeo::domain::procedure::CampaignKind;
use telemercadeo::domain::strategy::StrategyForm;
use telemercadeo::import::job::{self, ImportOptions};
use telemercadeo::import::read::Source;

#[test]
fn the_script_editor_offers_an_imported_files_column() {
    let store = store_with_people();
    let cli = Actor::cli();
    let dept = store.departments().expect("departments")[0].id;
    let c = store
        .campaign_create_cli(
            &cli,
            "Inscripciones 2027-1",
            dept,
            CampaignKind::Otro,
            "",
            "",
        )
        .expect("campaign");
    let lgomez = store.user_by_login("lgomez").expect("q").expect("user");
    store
        .strategy_save(
            &actor(&store, "mcastro"),
            c.brief_id.expect("brief"),
            &StrategyForm {
                approach: "Llamar primero a los colegios de Pereira".into(),
                assigned_to: Some(lgomez.id),
                ..Default::default()
            },
            true,
        )
        .expect("assigned");
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("base.csv");
    std::fs::write(
        &file,
        "Primer nombre,Primer apellido,Celular,Colegio\nMaría,Rojas,300 123 4567,INEM\n",
    )
    .expect("write");
    let never = AtomicBool::new(false);
    job::run(
        &store,
        &actor(&store, "lgomez"),
        c.id,
        &Source::File(file),
        &ImportOptions::default(),
        &|_| {},
        &never,
    )
    .expect("imported");

    let mut h = common::app(store);
    log_in(&mut h, "lgomez");
    click(&mut h, "Guiones");
    click(&mut h, "Inscripciones 2027-1");
    assert!(
        visible_containing(&h, "{colegio}"),
        "the file's column is offered"
    );
    fill(
        &mut h,
        "Texto de «Mensaje central»",
        "¿Sigue estudiando en el {colegio}? ¿Y su {apodo}?",
    );
    // Only the placeholder that is neither a base one nor a column of the file is flagged.
    assert!(visible_containing(&h, "Campo desconocido: {apodo}"));
    assert!(!visible_containing(&h, "{colegio}, {apodo}"));
    fill(
        &mut h,
        "Texto de «Mensaje central»",
        "¿Sigue estudiando en el {colegio}?",
    );
    assert!(!visible_containing(&h, "Campo desconocido"));
}
