//! Llamadas entrantes, driven headless with egui_kittest: an agent registers a call by the
//! keyboard alone (Tab, typing, arrows, Space, Ctrl+Enter), the caller contacted by a campaign
//! shows that history, the program's sheet shows, the authorisation and the remission land
//! in the outbox; a transfer shows the department's extension; remitting without
//! authorisation is refused under its field; the head edits a program's sheet in Catálogos.

mod common;

use egui::{Event, Key, Modifiers};
use egui_kittest::kittest::Queryable as _;

use common::{
    H, NOW, app, click, fill, log_in, store_with_people_in, visible, visible_containing, wait_until,
};
use telemercadeo::domain::catalog::ProgramDetails;
use telemercadeo::domain::contact::{ImportCounts, NewContact};
use telemercadeo::domain::distribution::{DistributionPlan, Order};
use telemercadeo::domain::inbound::ProgramSheet;
use telemercadeo::domain::procedure::{CampaignKind, CampaignStatus};
use telemercadeo::domain::{Actor, ProgramKind, TestClock};
use telemercadeo::store::{Store, Target};

/// Monday 2026-11-30, 10:00 in Bogotá: calls are permitted.
const MONDAY_10AM: i64 = NOW + 86_400;

/// Psicología (manager and sheet) and Admisiones (extension 4321); a campaign whose contact
/// Persona 0 (+573001000000) was called once ("No contesta").
fn setup(store: &Store) {
    let cli = Actor::cli();
    let adm = store.add_department(&cli, "Admisiones").expect("dept");
    store
        .set_department_extension(&cli, adm.id, "4321")
        .expect("extension");
    let p = store
        .add_program(&cli, "Psicología", ProgramKind::Programa, Some(adm.id))
        .expect("program");
    store
        .program_set_details(
            &cli,
            p.id,
            &ProgramDetails {
                manager_name: "Carlos Mejía".into(),
                manager_email: "cmejia@universidad.edu.co".into(),
                sheet: ProgramSheet {
                    cost: "$ 4.500.000 por semestre".into(),
                    modality: "Presencial".into(),
                    ..Default::default()
                },
            },
        )
        .expect("details");
    let c = store
        .campaign_create_cli(
            &cli,
            "Inscripciones 2027-1",
            adm.id,
            CampaignKind::Inscripciones,
            "10/11/2026",
            "20/12/2026",
        )
        .expect("campaign");
    let mut content = telemercadeo::domain::script::ScriptContent::default();
    content.sections[1].text = "Buenos días, {nombre}.".into();
    content.sections[3].text = "Hay inscripciones abiertas.".into();
    store
        .script_publish(&cli, c.script_id.expect("script"), &content)
        .expect("published");
    let batch = store
        .import_begin(&cli, c.id, "base.csv", "csv", &Default::default())
        .expect("batch");
    let contacts = vec![NewContact {
        source_row: 2,
        name: "Persona 0".into(),
        phone: 573_001_000_000,
        ..Default::default()
    }];
    store
        .import_chunk(batch, c.id, &contacts, &[])
        .expect("chunk");
    store
        .import_commit(
            &cli,
            batch,
            &ImportCounts {
                rows_read: 1,
                imported: 1,
                ..Default::default()
            },
            &[],
        )
        .expect("commit");
    store
        .distribute(
            &cli,
            c.id,
            &DistributionPlan {
                agents: vec!["aperez".to_owned()],
                weights: Vec::new(),
                order: Order::Blocks,
            },
        )
        .expect("distributed");
    store
        .campaign_set_status(&cli, c.id, CampaignStatus::Activa)
        .expect("started");
    let agent = common::actor(store, "aperez");
    let telemercadeo::domain::call::Next::Contact(contact) =
        store.call_next(&agent, c.id, "aperez").expect("next")
    else {
        panic!("a contact");
    };
    store
        .call_record(
            &agent,
            "aperez",
            c.id,
            contact.contact_id,
            &telemercadeo::domain::call::Outcome {
                key_or_code: "no_contesta",
                reason: None,
                notes: "Sonó y colgó",
                callback_at: None,
                duration_secs: 20,
                answers: None,
            },
        )
        .expect("recorded");
}

fn file_store() -> (tempfile::TempDir, Store, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("t.sqlite3");
    let store = store_with_people_in(&Target::Sqlite(path.clone()), TestClock::at(MONDAY_10AM));
    setup(&store);
    (dir, store, path)
}

fn key(h: &mut H, k: Key) {
    h.key_press(k);
    h.run();
}

fn typed(h: &mut H, text: &str) {
    h.event(Event::Text(text.to_owned()));
    h.run();
}

/// The agent on Llamadas entrantes.
fn agent_on_inbound(store: Store) -> H {
    let mut h = app(store);
    log_in(&mut h, "aperez");
    click(&mut h, "Entrantes");
    h
}

fn combo_value(h: &H, label: &str) -> Option<String> {
    h.get_by_role_and_label(egui::accesskit::Role::ComboBox, label)
        .value()
}

fn focused_label(h: &H) -> String {
    use egui_kittest::kittest::NodeT as _;
    h.query_all(egui_kittest::kittest::by())
        .find(|n| n.is_focused())
        .and_then(|n| n.accesskit_node().label())
        .unwrap_or_default()
}

#[test]
fn an_agent_registers_and_remits_a_call_by_keyboard_alone() {
    let (_dir, store, path) = file_store();
    let mut h = agent_on_inbound(store);
    // The form opens on the channel; the arrow changes it without opening the list.
    assert_eq!(focused_label(&h), "Canal");
    key(&mut h, Key::ArrowDown);
    assert_eq!(combo_value(&h, "Canal").as_deref(), Some("WhatsApp"));
    assert_eq!(
        focused_label(&h),
        "Canal",
        "the arrow keeps the keyboard there"
    );
    key(&mut h, Key::Tab);
    assert_eq!(focused_label(&h), "Nombre de quien llama");
    typed(&mut h, "Ana Ruiz");
    key(&mut h, Key::Tab);
    typed(&mut h, "300 100 0000");
    // The phone belongs to a person a campaign called: their history shows.
    wait_until(&mut h, "the caller's history", |h| {
        visible_containing(h, "Ya nos conoce")
    });
    assert!(visible_containing(&h, "Inscripciones 2027-1"));
    assert!(visible_containing(&h, "No contesta"));
    assert!(visible(&h, "Sonó y colgó"));
    key(&mut h, Key::Tab);
    typed(&mut h, "ana@correo.com");
    key(&mut h, Key::Tab); // document: none
    key(&mut h, Key::Tab);
    assert_eq!(focused_label(&h), "Pregunta por");
    key(&mut h, Key::ArrowDown);
    assert_eq!(
        combo_value(&h, "Pregunta por").as_deref(),
        Some("Un programa")
    );
    key(&mut h, Key::Tab);
    assert_eq!(focused_label(&h), "Programa o servicio");
    typed(&mut h, "psico");
    key(&mut h, Key::Enter);
    // Picked: the sheet shows; the keyboard stays, Tab goes on to the notes.
    assert!(visible(&h, "$ 4.500.000 por semestre"));
    assert_eq!(focused_label(&h), "Programa o servicio");
    key(&mut h, Key::Tab);
    assert_eq!(focused_label(&h), "Observaciones");
    typed(&mut h, "Quiere estudiar de noche");
    key(&mut h, Key::Tab);
    assert_eq!(focused_label(&h), "Autoriza el tratamiento de datos");
    key(&mut h, Key::Space);
    key(&mut h, Key::Tab); // Informado
    key(&mut h, Key::Tab); // Remitido
    assert_eq!(focused_label(&h), "Remitido");
    key(&mut h, Key::Space);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Enter);
    h.run();
    assert!(
        visible_containing(&h, "remitida a cmejia@universidad.edu.co"),
        "the toast says where it went"
    );
    assert!(visible(&h, "Última llamada registrada"));

    let sql = rusqlite::Connection::open(&path).expect("sql");
    let (channel, result, person, authorized): (String, String, Option<i64>, Option<i64>) = sql
        .query_row(
            "SELECT channel, result, person_id, authorized_at FROM inbound_calls",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .expect("one call");
    assert_eq!(
        (channel.as_str(), result.as_str()),
        ("whatsapp", "remitido")
    );
    assert_eq!(authorized, Some(MONDAY_10AM));
    let contact_person: i64 = sql
        .query_row("SELECT person_id FROM campaign_contacts", [], |r| r.get(0))
        .expect("contact");
    assert_eq!(
        person,
        Some(contact_person),
        "linked to the contacted person"
    );
    let (to, kind, body): (String, String, String) = sql
        .query_row("SELECT to_addr, kind, body FROM outbox", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .expect("the remission");
    assert_eq!(
        (to.as_str(), kind.as_str()),
        ("cmejia@universidad.edu.co", "remision")
    );
    assert!(body.contains("Ana Ruiz") && body.contains("Quiere estudiar de noche"));
    // The list shows it.
    assert!(visible(&h, "1 llamada"));
}

#[test]
fn remitting_without_authorisation_is_refused_under_its_field() {
    let (_dir, store, path) = file_store();
    let mut h = agent_on_inbound(store);
    fill(&mut h, "Nombre de quien llama", "Luis Mora");
    fill(&mut h, "Teléfono", "311 222 3344");
    common::choose(&mut h, "Pregunta por", "Un programa");
    fill(&mut h, "Programa o servicio", "Psico");
    click(&mut h, "Psicología");
    click(&mut h, "Remitido");
    click(&mut h, "Registrar");
    assert!(visible_containing(
        &h,
        "Para remitir, la persona debe autorizar el tratamiento de sus datos"
    ));
    let n: i64 = rusqlite::Connection::open(&path)
        .expect("sql")
        .query_row("SELECT COUNT(*) FROM inbound_calls", [], |r| r.get(0))
        .expect("count");
    assert_eq!(n, 0);
    // A bad phone is refused under its field before anything is sent.
    fill(&mut h, "Teléfono", "12");
    click(&mut h, "Registrar");
    assert!(visible_containing(&h, "El teléfono no es válido"));
}

#[test]
fn a_transfer_shows_the_departments_extension() {
    let (_dir, store, _path) = file_store();
    let mut h = agent_on_inbound(store);
    fill(&mut h, "Nombre de quien llama", "Pedro Gil");
    fill(&mut h, "Teléfono", "601 555 1234");
    common::choose(&mut h, "Pregunta por", "Otra dependencia");
    common::choose(&mut h, "Dependencia", "Admisiones");
    assert!(visible(&h, "Extensión 4321"));
    click(&mut h, "Transferida");
    click(&mut h, "Registrar");
    assert!(visible_containing(&h, "Llamada de Pedro Gil registrada"));
    assert!(visible(&h, "Extensión 4321"), "the last call keeps it");
}

#[test]
fn the_head_reads_the_calls_and_edits_a_programs_sheet() {
    let (_dir, store, _path) = file_store();
    let mut h = app(store.clone());
    log_in(&mut h, "mcastro");
    click(&mut h, "Entrantes");
    assert!(visible(
        &h,
        "Consulta de las llamadas entrantes registradas por el equipo."
    ));
    assert!(h.query_by_label("Registrar").is_none());
    click(&mut h, "Catálogos");
    click(&mut h, "Programas y servicios");
    click(&mut h, "Editar ficha");
    fill(&mut h, "Correo del gestor", "gestor@");
    click(&mut h, "Guardar ficha");
    assert!(visible_containing(&h, "El correo del gestor no es válido"));
    fill(&mut h, "Correo del gestor", "gestora@universidad.edu.co");
    fill(&mut h, "Código SNIES", "90210");
    click(&mut h, "Guardar ficha");
    assert!(visible_containing(&h, "guardada"));
    let p = store
        .programs()
        .expect("programs")
        .into_iter()
        .find(|p| p.name == "Psicología")
        .expect("program");
    assert_eq!(p.manager_email, "gestora@universidad.edu.co");
    assert_eq!(p.sheet.snies, "90210");
    assert_eq!(p.sheet.cost, "$ 4.500.000 por semestre", "the rest kept");

    // The remission template, in Configuración: checked, saved.
    click(&mut h, "Configuración");
    click(&mut h, "Correo de remisión");
    fill(&mut h, "Plantilla del correo al gestor", "Hola {apellido}");
    click(&mut h, "Guardar plantilla");
    assert!(visible_containing(
        &h,
        "«apellido» no es un campo de la plantilla."
    ));
    fill(
        &mut h,
        "Plantilla del correo al gestor",
        "Interesado: {nombre} ({telefono}) en {programa}.",
    );
    click(&mut h, "Guardar plantilla");
    assert!(visible(&h, "Plantilla guardada."));
    assert_eq!(
        store.remission_template().expect("template"),
        "Interesado: {nombre} ({telefono}) en {programa}."
    );
}
