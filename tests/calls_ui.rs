//! Mis llamadas, driven headless with egui_kittest: the next contact with its script, an
//! outcome by its digit key, digits typed in the notes that record nothing, a callback that
//! comes back when due, nothing offered on a Sunday (and why).

mod common;

use egui_kittest::kittest::Queryable as _;

use common::{
    H, app, click, fill, input, log_in, store_with_people_in, visible, visible_containing,
    wait_until,
};
use telemercadeo::domain::contact::{ImportCounts, NewContact};
use telemercadeo::domain::distribution::{DistributionPlan, Order};
use telemercadeo::domain::procedure::{CampaignKind, CampaignStatus};
use telemercadeo::domain::script::ScriptContent;
use telemercadeo::domain::{Actor, TestClock};
use telemercadeo::store::{Store, Target};

/// Monday 2026-11-30, 10:00 in Bogotá (15:00 UTC): calls are permitted.
const MONDAY_10AM: i64 = 1_795_910_400 + 86_400 + 15 * 3600;

/// An active campaign with `n` contacts dealt to `aperez`, whose script greets the contact by
/// name and mentions a column of the file.
fn running_campaign(store: &Store, n: usize) -> i64 {
    running_campaign_named(store, "Inscripciones 2027-1", n)
}

/// [`running_campaign`] with another name.
fn running_campaign_named(store: &Store, name: &str, n: usize) -> i64 {
    let cli = Actor::cli();
    let dept = store.departments().expect("departments")[0].id;
    let c = store
        .campaign_create_cli(
            &cli,
            name,
            dept,
            CampaignKind::Inscripciones,
            "10/11/2026",
            "20/12/2026",
        )
        .expect("campaign");
    let mut content = ScriptContent::default();
    content.sections[1].text = "Buenos días, {nombre}. Le habla {agente}.".into();
    content.sections[3].text = "Hay inscripciones abiertas.".into();
    store
        .script_publish(&cli, c.script_id.expect("script"), &content)
        .expect("published");
    let batch = store
        .import_begin(&cli, c.id, "base.csv", "csv", &Default::default())
        .expect("batch");
    let contacts: Vec<NewContact> = (0..n)
        .map(|i| NewContact {
            source_row: i as i64 + 2,
            name: format!("Persona {i}"),
            phone: 573_001_000_000 + i as u64,
            email: Some(format!("persona{i}@correo.example")),
            program: Some("psicologia".into()),
            ..Default::default()
        })
        .collect();
    store
        .import_chunk(batch, c.id, &contacts, &[])
        .expect("chunk");
    store
        .import_commit(
            &cli,
            batch,
            &ImportCounts {
                rows_read: n as i64,
                imported: n as i64,
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
    c.id
}

/// The agent logged in, on Mis llamadas, once the first answer came.
fn agent_screen(store: Store) -> H {
    let mut h = app(store);
    log_in(&mut h, "aperez");
    wait_until(&mut h, "the first contact or a reason", |h| {
        visible_containing(h, "Persona") || visible_containing(h, "no se llama")
    });
    h
}

/// A store in a temporary file (read back with SQL) on `clock`.
fn file_store(clock: &TestClock) -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("tmp");
    let store = store_with_people_in(&Target::Sqlite(dir.path().join("t.sqlite3")), clock.clone());
    (dir, store)
}

/// Every attempt: the contact's name, the outcome's code, the notes.
fn attempts(dir: &tempfile::TempDir) -> Vec<(String, String, String)> {
    let c = rusqlite::Connection::open(dir.path().join("t.sqlite3")).expect("sql");
    let mut q = c
        .prepare("SELECT c.name, d.code, a.notes FROM call_attempts a JOIN campaign_contacts c ON c.id = a.contact_id JOIN dispositions d ON d.id = a.disposition_id ORDER BY a.id")
        .expect("prepare");
    q.query_map([], |r| {
        Ok((
            r.get(0)?,
            r.get(1)?,
            r.get::<_, Option<String>>(2)?.unwrap_or_default(),
        ))
    })
    .expect("query")
    .map(|r| r.expect("row"))
    .collect()
}

#[test]
fn a_digit_key_records_the_outcome_and_the_next_contact_shows() {
    let clock = TestClock::at(MONDAY_10AM);
    let (dir, store) = file_store(&clock);
    running_campaign(&store, 3);
    let mut h = agent_screen(store.clone());
    // The contact, the phone large, the script filled for this contact and agent.
    assert!(visible(&h, "Persona 0"));
    assert!(visible(&h, "300 100 0000"));
    assert!(visible(
        &h,
        "Buenos días, Persona 0. Le habla Andrés Pérez."
    ));
    // No text field has the keyboard: "4" is "No contesta".
    h.key_press(egui::Key::Num4);
    wait_until(&mut h, "the next contact", |h| visible(h, "Persona 1"));
    assert_eq!(
        attempts(&dir),
        vec![("Persona 0".into(), "no_contesta".into(), String::new())]
    );
    assert!(visible_containing(&h, "Último: Persona 0 — No contesta"));

    // Digits typed in the notes stay in the notes: nothing is recorded.
    input(&h, "Notas").focus();
    h.run();
    input(&h, "Notas").type_text("Llamar al 3001234567");
    h.key_press(egui::Key::Num4);
    h.run();
    assert_eq!(
        attempts(&dir).len(),
        1,
        "typing in the notes recorded nothing"
    );
    assert!(visible(&h, "Persona 1"));
    // The button records with the notes.
    click(&mut h, "[1] Interesado");
    h.step();

    wait_until(&mut h, "the third contact", |h| visible(h, "Persona 2"));
    assert_eq!(
        attempts(&dir)[1],
        (
            "Persona 1".into(),
            "interesado".into(),
            "Llamar al 3001234567".into()
        )
    );
}

#[test]
fn a_callback_comes_back_when_due() {
    let clock = TestClock::at(MONDAY_10AM);
    let (dir, store) = file_store(&clock);
    running_campaign(&store, 3);
    let mut h = agent_screen(store.clone());
    assert!(visible(&h, "Persona 0"));
    // "Volver a llamar" needs the date and time: the form asks for them.
    h.key_press(egui::Key::Num3);
    h.run();
    assert!(visible_containing(
        &h,
        "Escriba la fecha de la nueva llamada"
    ));
    assert!(attempts(&dir).is_empty());
    fill(&mut h, "Fecha de la nueva llamada", "30/11/2026");
    fill(&mut h, "Hora", "11:30 a. m.");
    click(&mut h, "Guardar «Volver a llamar» y seguir");
    h.step();
    wait_until(&mut h, "the next contact", |h| visible(h, "Persona 1"));
    assert_eq!(attempts(&dir)[0].1, "volver_a_llamar");
    // An hour and a half later the callback is due: it comes before the others.
    clock.advance(90 * 60);
    h.key_press(egui::Key::Num4);
    wait_until(&mut h, "the callback", |h| visible(h, "Persona 0"));
    assert!(visible(&h, "Llamada agendada"));
}

#[test]
fn on_a_sunday_nothing_is_offered_and_the_screen_says_why() {
    // Sunday 2026-11-29, 10:00 in Bogotá.
    let clock = TestClock::at(MONDAY_10AM - 86_400);
    let (dir, store) = file_store(&clock);
    running_campaign(&store, 3);
    let h = agent_screen(store.clone());
    assert!(visible(&h, "Los domingos no se llama."));
    assert!(visible_containing(
        &h,
        "Se puede volver a llamar desde 30/11/2026 7:00 a. m."
    ));
    assert!(!visible(&h, "Persona 0"));
    drop(dir);
}

#[test]
fn on_a_holiday_nothing_is_offered() {
    // Tuesday 2026-12-08, La Inmaculada Concepción, 10:00 in Bogotá.
    let clock = TestClock::at(MONDAY_10AM + 8 * 86_400);
    let (dir, store) = file_store(&clock);
    running_campaign(&store, 3);
    let h = agent_screen(store.clone());
    drop(dir);
    assert!(visible_containing(
        &h,
        "Hoy es festivo (La Inmaculada Concepción)"
    ));
    assert!(visible_containing(
        &h,
        "Se puede volver a llamar desde 09/12/2026 7:00 a. m."
    ));
}

#[test]
fn the_agent_corrects_the_phone_and_the_old_one_stays_in_the_history() {
    let clock = TestClock::at(MONDAY_10AM);
    let (dir, store) = file_store(&clock);
    running_campaign(&store, 2);
    let mut h = agent_screen(store.clone());
    assert!(visible(&h, "300 100 0000"));
    click(&mut h, "Corregir teléfono o correo");
    fill(&mut h, "Teléfono correcto", "12345");
    click(&mut h, "Guardar corrección");
    assert!(visible_containing(&h, "no es un número válido"));
    fill(&mut h, "Teléfono correcto", "310 555 0011");
    click(&mut h, "Guardar corrección");
    h.step();
    wait_until(&mut h, "the corrected phone", |h| {
        visible(h, "310 555 0011")
    });
    assert!(visible(&h, "Persona 0"), "the same contact stays on screen");
    assert!(
        visible_containing(&h, "300 100 0000"),
        "the old phone in the history"
    );
    // The outcome goes to the corrected number.
    h.key_press(egui::Key::Num4);
    wait_until(&mut h, "the next contact", |h| visible(h, "Persona 1"));
    let c = rusqlite::Connection::open(dir.path().join("t.sqlite3")).expect("sql");
    let dialled: String = c
        .query_row("SELECT phone FROM call_attempts", [], |r| r.get(0))
        .expect("attempt");
    assert_eq!(dialled, "+573105550011");
}

#[test]
fn asking_not_to_be_called_closes_the_person_in_every_campaign() {
    let clock = TestClock::at(MONDAY_10AM);
    let (dir, store) = file_store(&clock);
    // The same people in two campaigns.
    running_campaign_named(&store, "Inscripciones 2027-1", 2);
    running_campaign_named(&store, "Posgrados 2027", 2);
    let mut h = app(store.clone());
    log_in(&mut h, "aperez");
    // Two campaigns running: the agent chooses.
    assert!(visible_containing(&h, "Elija arriba la campaña"));
    common::choose(
        &mut h,
        "Campaña",
        "Inscripciones 2027-1 · Activa · por llamar: 2 de 2",
    );
    h.step();
    wait_until(&mut h, "the first contact", |h| visible(h, "Persona 0"));
    h.key_press(egui::Key::Num0);
    wait_until(&mut h, "the next contact", |h| visible(h, "Persona 1"));
    let c = rusqlite::Connection::open(dir.path().join("t.sqlite3")).expect("sql");
    let optout: i64 = c
        .query_row(
            "SELECT COUNT(*) FROM optout WHERE phone_e164 = '+573001000000' AND source = 'llamada'",
            [],
            |r| r.get(0),
        )
        .expect("optout");
    assert_eq!(optout, 1, "the phone is in the opt-out register");
    let open: Vec<(String, String)> = c
        .prepare("SELECT k.name, c.status FROM campaign_contacts c JOIN campaigns k ON k.id = c.campaign_id WHERE c.name = 'Persona 0' ORDER BY k.id")
        .expect("prepare")
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("query")
        .map(|r| r.expect("row"))
        .collect();
    assert_eq!(
        open,
        vec![
            ("Inscripciones 2027-1".to_owned(), "cerrado".to_owned()),
            ("Posgrados 2027".to_owned(), "cerrado".to_owned())
        ]
    );
    // In the other campaign the queue skips the person.
    common::choose(
        &mut h,
        "Campaña",
        "Posgrados 2027 · Activa · por llamar: 1 de 2",
    );
    h.step();
    wait_until(&mut h, "the other campaign's contact", |h| {
        visible(h, "Persona 1") && visible_containing(h, "Avance")
    });
    assert!(!visible(&h, "Persona 0"));
}

/// What "Llamar" asked the system to open, in this test binary.
static DIALLED: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

fn record_dial(t: &telemercadeo::domain::call::DialTarget) -> std::io::Result<()> {
    DIALLED.lock().expect("lock").push(format!("{t:?}"));
    Ok(())
}

#[test]
fn enter_dials_and_undo_puts_the_contact_back() {
    let clock = TestClock::at(MONDAY_10AM);
    let (dir, store) = file_store(&clock);
    running_campaign(&store, 3);
    let mut h = agent_screen(store.clone());
    h.state_mut().dial = record_dial;
    assert!(visible(&h, "Persona 0"));
    // Enter, with no text field focused, dials through the default link and starts the timer.
    h.key_press(egui::Key::Enter);
    h.run();
    assert_eq!(
        DIALLED.lock().expect("lock").as_slice(),
        ["Url(\"tel:+573001000000\")"]
    );
    assert!(visible(&h, "En llamada"));
    h.key_press(egui::Key::Num5);
    wait_until(&mut h, "the next contact", |h| visible(h, "Persona 1"));
    assert_eq!(attempts(&dir).len(), 1);
    // "Deshacer": the attempt is gone and the contact is back as it was.
    h.query_all_by_label_contains("Deshacer (")
        .next()
        .expect("the undo button")
        .click();
    h.run();
    h.step();
    wait_until(&mut h, "the contact back", |h| visible(h, "Persona 0"));
    assert!(attempts(&dir).is_empty(), "the attempt is undone");
    let c = rusqlite::Connection::open(dir.path().join("t.sqlite3")).expect("sql");
    let (status, tries): (String, i64) = c
        .query_row(
            "SELECT status, attempts FROM campaign_contacts WHERE name = 'Persona 0'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("contact");
    assert_eq!((status.as_str(), tries), ("pendiente", 0));
    assert!(!visible_containing(&h, "Deshacer ("));
    // Recorded again, then the contact handed out before the undo comes next.
    h.key_press(egui::Key::Num4);
    wait_until(&mut h, "the next contact", |h| visible(h, "Persona 1"));
    assert_eq!(attempts(&dir).len(), 1);
}

#[test]
fn no_interest_asks_for_its_coded_reason() {
    let clock = TestClock::at(MONDAY_10AM);
    let (dir, store) = file_store(&clock);
    running_campaign(&store, 2);
    let mut h = agent_screen(store.clone());
    h.key_press(egui::Key::Num2);
    h.run();
    assert!(visible(&h, "Elija el motivo de no interés."));
    assert!(attempts(&dir).is_empty());
    click(&mut h, "Financiación");
    assert!(!visible(&h, "Elija el motivo de no interés."));
    click(&mut h, "Guardar «No interesado» y seguir");
    h.step();
    wait_until(&mut h, "the next contact", |h| visible(h, "Persona 1"));
    let c = rusqlite::Connection::open(dir.path().join("t.sqlite3")).expect("sql");
    let reason: String = c
        .query_row("SELECT reason FROM call_attempts", [], |r| r.get(0))
        .expect("attempt");
    assert_eq!(reason, "financiacion");
}

#[test]
fn the_programs_sheet_shows_and_an_interested_contact_gets_the_information() {
    use telemercadeo::domain::ProgramKind;
    use telemercadeo::domain::catalog::ProgramDetails;
    use telemercadeo::domain::inbound::ProgramSheet;
    let clock = TestClock::at(MONDAY_10AM);
    let (dir, store) = file_store(&clock);
    let cli = Actor::cli();
    let p = store
        .add_program(&cli, "Psicología", ProgramKind::Programa, None)
        .expect("program");
    store
        .program_set_details(
            &cli,
            p.id,
            &ProgramDetails {
                manager_name: "Luisa Ortiz".into(),
                manager_email: "luisa@universidad.example".into(),
                sheet: ProgramSheet {
                    cost: "$ 4.500.000 por semestre".into(),
                    modality: "Presencial".into(),
                    ..Default::default()
                },
            },
        )
        .expect("sheet");
    running_campaign(&store, 2);
    let mut h = agent_screen(store.clone());
    // The contact's program (as the file wrote it) finds its sheet in the catalog.
    assert!(visible(&h, "Ficha: Psicología"));
    assert!(visible(&h, "$ 4.500.000 por semestre"));
    h.key_press(egui::Key::Num1);
    wait_until(&mut h, "the next contact", |h| visible(h, "Persona 1"));
    click(&mut h, "Enviar información");
    assert!(visible(&h, "Información enviada"));
    let c = rusqlite::Connection::open(dir.path().join("t.sqlite3")).expect("sql");
    let (to, kind, body): (String, String, String) = c
        .query_row("SELECT to_addr, kind, body FROM outbox", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .expect("message");
    assert_eq!(
        (to.as_str(), kind.as_str()),
        ("persona0@correo.example", "informacion")
    );
    assert!(body.contains("$ 4.500.000 por semestre"), "{body}");
}
