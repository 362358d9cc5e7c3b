//! The window, driven headless with egui_kittest: first run, login, tabs per role, users.

mod common;

use common::{
    H, PW, actor, admin_menu, choose, click, fill, input, log_in, store_with_people, try_log_in,
    visible, visible_containing, wait_until,
};
use egui::accesskit::Role as A11y;
use egui_kittest::kittest::{NodeT, Queryable};
use telemercadeo::domain::brief::{BriefFilter, BriefForm};
use telemercadeo::domain::contact::{ImportCounts, NewContact};
use telemercadeo::domain::distribution::{DistributionPlan, Order};
use telemercadeo::domain::procedure::{CampaignKind, CampaignStatus};
use telemercadeo::domain::script::ScriptContent;
use telemercadeo::domain::strategy::StrategyForm;
use telemercadeo::domain::{Actor, NewUser, Role};
use telemercadeo::store::Store;
use telemercadeo::ui::Screen;

/// A laptop's window.
fn harness(store: Store) -> H {
    common::app_sized(store, 1366.0, 768.0)
}

#[test]
fn first_run_creates_the_head_then_logout_and_login() {
    let store = Store::memory().expect("store");
    let mut h = harness(store.clone());
    assert!(matches!(h.state().screen, Screen::FirstRun(_)));
    assert!(visible(&h, "Bienvenido a Telemercadeo"));

    // A mismatch is shown under the field, nothing is created.
    fill(&mut h, "Nombre completo", "María Fernanda Castro");
    fill(&mut h, "Usuario", "mcastro");
    fill(&mut h, "Contraseña", PW);
    fill(&mut h, "Repita la contraseña", "otra-cosa-1");
    click(&mut h, "Crear cuenta");
    assert!(visible(&h, "Las dos contraseñas no coinciden."));
    assert_eq!(store.user_count().expect("count"), 0);

    fill(&mut h, "Repita la contraseña", PW);
    click(&mut h, "Crear cuenta");
    assert_eq!(store.user_count().expect("count"), 1);
    assert!(matches!(h.state().screen, Screen::Main(_)));
    assert_eq!(h.state().current_user().map(|u| u.role), Some(Role::Jefe));
    assert_eq!(
        admin_menu(&mut h),
        [
            "Usuarios",
            "Catálogos",
            "Configuración",
            "Correo",
            "Mi cuenta"
        ],
        "the head administers from the menu"
    );
    assert!(visible(&h, "María Fernanda Castro"));
    assert!(visible(&h, "Jefe de marketing"));

    click(&mut h, "Cerrar sesión");
    assert!(matches!(h.state().screen, Screen::Login(_)));

    // A wrong password says so and stays on the login screen.
    try_log_in(&mut h, "mcastro", "equivocada");
    assert!(matches!(h.state().screen, Screen::Login(_)));
    assert!(visible(
        &h,
        "Usuario o contraseña incorrectos. Revise las mayúsculas y vuelva a intentarlo."
    ));

    log_in(&mut h, "mcastro");
    assert!(matches!(h.state().screen, Screen::Main(_)));
    assert!(admin_menu(&mut h).contains(&"Configuración".to_string()));
}

#[test]
fn an_agent_does_not_see_user_administration() {
    let mut h = harness(store_with_people());
    log_in(&mut h, "aperez");
    assert!(matches!(h.state().screen, Screen::Main(_)));
    assert_eq!(
        admin_menu(&mut h),
        ["Correo", "Mi cuenta"],
        "an agent's menu holds its own mail and account"
    );
    assert!(visible(&h, "⚙ Mi cuenta ▾"));
    assert!(visible(&h, "Auxiliar de call center"));
    assert!(visible(&h, "Guiones"), "agents read the published scripts");
    for hidden in [
        "Usuarios",
        "Catálogos",
        "Configuración",
        "Nuevo usuario",
        "Solicitudes",
        "Estrategias",
        "Campañas",
    ] {
        assert!(!visible(&h, hidden), "an agent must not see {hidden}");
    }
}

#[test]
fn the_professional_sees_catalogs_but_not_users() {
    let mut h = harness(store_with_people());
    log_in(&mut h, "lgomez");
    assert_eq!(admin_menu(&mut h), ["Catálogos", "Correo", "Mi cuenta"]);
    // The catalogs tab opens on the departments.
    click(&mut h, "Catálogos");
    assert!(visible(&h, "Dirección de Posgrados"));
}

#[test]
fn the_head_adds_an_agent_from_the_users_tab() {
    let store = store_with_people();
    let mut h = harness(store.clone());
    log_in(&mut h, "mcastro");
    click(&mut h, "Usuarios");
    assert!(visible(&h, "4 usuarios"));
    click(&mut h, "Nuevo usuario");
    fill(&mut h, "Nombre completo", "Camila Ruiz Ospina");
    fill(&mut h, "Usuario", "cruiz");
    // Saving without a role says what is missing, under the field.
    fill(&mut h, "Contraseña", PW);
    fill(&mut h, "Repita la contraseña", PW);
    click(&mut h, "Crear usuario");
    assert!(visible(&h, "Elija un rol."));
    assert!(store.user_by_login("cruiz").expect("lookup").is_none());

    click(&mut h, "Rol");
    click(&mut h, "Auxiliar de call center");
    click(&mut h, "Crear usuario");
    let u = store
        .user_by_login("cruiz")
        .expect("lookup")
        .expect("created through the UI");
    assert_eq!(u.role, Role::Auxiliar);
    assert_eq!(u.name, "Camila Ruiz Ospina");
    assert!(store.login("cruiz", PW).is_ok());
    assert!(visible(&h, "5 usuarios"));
}

/// A second agent, Camila Ruiz (`cruiz`).
fn add_second_agent(store: &Store) {
    store
        .add_user(
            &Actor::cli(),
            &NewUser {
                login: "cruiz".into(),
                name: "Camila Ruiz".into(),
                role: Some(Role::Auxiliar),
                department_id: None,
            },
            PW,
            PW,
        )
        .expect("agent");
}

/// "Inscripciones 2027-1", made at the command line to start on 10/12/2026 (11 days after
/// [`common::NOW`]), with its script published and `n` contacts dealt among `agents` in blocks.
fn ready_campaign(store: &Store, agents: &[&str], n: usize) -> i64 {
    let cli = Actor::cli();
    let dept = store.departments().expect("departments")[0].id;
    let c = store
        .campaign_create_cli(
            &cli,
            "Inscripciones 2027-1",
            dept,
            CampaignKind::Inscripciones,
            "10/12/2026",
            "20/12/2026",
        )
        .expect("campaign");
    let mut content = ScriptContent::default();
    content.sections[3].text = "Hay inscripciones abiertas para {programa}.".into();
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
            phone: 573_000_000_000 + i as u64,
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
                agents: agents.iter().map(|a| (*a).to_owned()).collect(),
                weights: Vec::new(),
                order: Order::Blocks,
            },
        )
        .expect("distributed");
    c.id
}

fn status_of(store: &Store, id: i64) -> CampaignStatus {
    store.campaign(&Actor::cli(), id).expect("campaign").status
}

#[test]
fn campaign_critical_actions_ask_first_and_say_what_will_happen() {
    let store = store_with_people();
    add_second_agent(&store);
    let id = ready_campaign(&store, &["aperez", "cruiz"], 10);
    let mut h = harness(store.clone());
    log_in(&mut h, "lgomez");
    click(&mut h, "Campañas");
    click(&mut h, "Inscripciones 2027-1");

    // Starting before the start date says the date and how many days early, and waits.
    click(&mut h, "Iniciar campaña");
    assert!(visible(&h, "¿Iniciar antes de la fecha de inicio?"));
    assert!(visible_containing(&h, "empezar el 10/12/2026"));
    assert!(visible_containing(&h, "empezará 11 días antes"));
    assert_eq!(status_of(&store, id), CampaignStatus::Planificada);
    click(&mut h, "Cancelar");
    assert_eq!(status_of(&store, id), CampaignStatus::Planificada);
    click(&mut h, "Iniciar campaña");
    click(&mut h, "Iniciar ahora");
    assert_eq!(status_of(&store, id), CampaignStatus::Activa);

    // Moving an agent's pending contacts says how many, whose and to whom, and waits.
    click(&mut h, "Distribución");
    choose(&mut h, "Auxiliar que entrega", "Andrés Pérez");
    click(&mut h, "Redistribuir 5 pendientes entre 1 auxiliar");
    assert!(visible_containing(
        &h,
        "Se redistribuirán 5 contactos pendientes de Andrés Pérez entre 1 auxiliar: Camila Ruiz."
    ));
    let pending = store.pending_counts(id).expect("pending");
    assert_eq!(
        pending.get("aperez"),
        Some(&5),
        "nothing moved before the yes"
    );
    click(&mut h, "Redistribuir");
    let pending = store.pending_counts(id).expect("pending");
    assert_eq!(pending.get("aperez"), None);
    assert_eq!(pending.get("cruiz"), Some(&10));
}

#[test]
fn deactivating_an_agent_with_pending_contacts_offers_to_redistribute_them_first() {
    let store = store_with_people();
    add_second_agent(&store);
    let id = ready_campaign(&store, &["aperez", "cruiz"], 10);
    let mut h = harness(store.clone());
    log_in(&mut h, "mcastro");
    click(&mut h, "Usuarios");
    click(&mut h, "Andrés Pérez");
    click(&mut h, "Desactivar cuenta");
    assert!(visible(&h, "Andrés Pérez tiene contactos por llamar"));
    assert!(visible_containing(
        &h,
        "«Inscripciones 2027-1»: 5 contactos pendientes, para Camila Ruiz"
    ));
    assert!(visible(&h, "Desactivar sin redistribuir"));
    click(&mut h, "Redistribuir y desactivar");
    let u = store.user_by_login("aperez").expect("q").expect("user");
    assert!(!u.active, "deactivated after the redistribution");
    let pending = store.pending_counts(id).expect("pending");
    assert_eq!(pending.get("aperez"), None, "{pending:?}");
    assert_eq!(pending.get("cruiz"), Some(&10));
}

#[test]
fn an_agent_lands_on_the_call_tally_and_reads_the_script_titled_with_its_campaign() {
    let store = store_with_people();
    let id = ready_campaign(&store, &["aperez"], 10);
    store
        .campaign_set_status(&Actor::cli(), id, CampaignStatus::Activa)
        .expect("started");
    let mut h = harness(store);
    log_in(&mut h, "aperez");
    // The agent lands on Mis llamadas, on their one active campaign; the tests' clock stands on
    // a Sunday, so the screen says why nothing is offered.
    assert!(visible(&h, "Mis llamadas"));
    wait_until(&mut h, "the answer of the queue", |h| {
        visible(h, "Los domingos no se llama.")
    });
    assert_eq!(
        h.get_by_role_and_label(A11y::ComboBox, "Campaña")
            .accesskit_node()
            .value()
            .as_deref(),
        Some("Inscripciones 2027-1")
    );
    assert!(visible(&h, "Avance: 0 de 10"));
    click(&mut h, "Guiones");
    if !visible_containing(&h, "¿hablo con «nombre»?") {
        click(&mut h, "Inscripciones 2027-1");
    }
    // The script is titled with its campaign, and no `{…}` shows.
    assert!(
        h.query_all_by_label("Inscripciones 2027-1").count() >= 1,
        "the script's title names its campaign"
    );
    assert!(visible_containing(&h, "¿hablo con «nombre»?"));
    assert!(visible_containing(&h, "Le habla Andrés Pérez"));
    assert!(
        h.query_all_by_label_contains("{").next().is_none(),
        "raw placeholders reach the agent"
    );
}

/// Labels of four letters or more never end up narrower than two letters (one letter a line).
fn assert_no_letter_per_line(h: &H, screen: &str) {
    for node in h.query_all_by_role(A11y::Label) {
        let text = node.accesskit_node().label().unwrap_or_default();
        if text.chars().count() >= 4 {
            let r = node.rect();
            assert!(
                r.width() >= 16.0 || r.height() < 30.0,
                "{screen}: «{text}» is {r:?}"
            );
        }
    }
}

/// The button labelled `label` lies inside a `w`×`h` window.
fn assert_in_window(h: &H, label: &str, w: f32, ht: f32) -> egui::Rect {
    let r = h.get_by_role_and_label(A11y::Button, label).rect();
    assert!(
        r.min.x >= 0.0 && r.min.y >= 0.0 && r.max.x <= w && r.max.y <= ht,
        "«{label}» at {r:?} is outside the {w}×{ht} window"
    );
    r
}

#[test]
fn the_main_screens_work_in_a_1024_by_700_window() {
    let (w, ht) = (1024.0, 700.0);
    let store = store_with_people();
    // A brief whose strategy is assigned to the professional (Estrategias, Guiones)…
    let posgrados = actor(&store, "posgrados");
    let head = actor(&store, "mcastro");
    let b = store
        .brief_create(
            &posgrados,
            &BriefForm {
                contact_name: "Sandra Torres".into(),
                contact_email: "posgrados@universidad.edu.co".into(),
                campaign_name: "Reintegros 2027-1".into(),
                kind: Some(CampaignKind::Inscripciones),
                objective: "Que los estudiantes retirados vuelvan a matricularse".into(),
                audience: "Estudiantes retirados en los dos últimos años".into(),
                key_message: "Hay descuento por reintegro".into(),
                start_date: "10/12/2026".into(),
                end_date: "20/12/2026".into(),
                expected_result: "40 reintegros".into(),
                database_fields: "Nombre, Teléfono, Programa de interés".into(),
                ..Default::default()
            },
        )
        .expect("brief");
    store.brief_submit(&posgrados, b.id).expect("submitted");
    store.brief_accept(&head, b.id, "").expect("accepted");
    let lgomez = store.user_by_login("lgomez").expect("q").expect("user");
    store
        .strategy_save(
            &head,
            b.id,
            &StrategyForm {
                approach: "Llamar primero a quienes se retiraron hace menos de un año".into(),
                assigned_to: Some(lgomez.id),
                ..Default::default()
            },
            true,
        )
        .expect("assigned");
    // …and a campaign with contacts (Campañas, Contactos).
    ready_campaign(&store, &["aperez"], 30);

    let mut h = common::app_sized(store, w, ht);
    log_in(&mut h, "lgomez");
    assert_no_letter_per_line(&h, "Solicitudes");

    click(&mut h, "Estrategias");
    click(&mut h, "Reintegros 2027-1");
    assert!(visible(&h, "La solicitud"));
    assert_no_letter_per_line(&h, "Estrategias");

    // Guiones: the editor's actions are in the window and the preview never covers them.
    click(&mut h, "Guiones");
    click(&mut h, "Reintegros 2027-1");
    assert!(visible(&h, "Vista previa"));
    let preview: Vec<egui::Rect> = h
        .query_all_by_label("Vista previa")
        .chain(h.query_all_by_label_contains("Así lo leerá el auxiliar"))
        .chain(h.query_all_by_label_contains("¿hablo con María José"))
        .map(|n| n.rect())
        .collect();
    assert!(preview.len() >= 3, "{preview:?}");
    for label in [
        "Guardar borrador",
        "Publicar versión 1",
        "Ocultar vista previa",
    ] {
        let r = assert_in_window(&h, label, w, ht);
        for p in &preview {
            assert!(
                !r.intersects(*p),
                "the preview {p:?} covers «{label}» {r:?}"
            );
        }
    }
    // The offered extra field is filled in the preview, not shown as `{…}`.
    assert!(visible_containing(&h, "{programa_de_interes}"), "offered");
    assert_no_letter_per_line(&h, "Guiones");
    // The preview can be hidden, giving the editor the whole width.
    click(&mut h, "Ocultar vista previa");
    assert!(!visible(&h, "Vista previa"));
    assert_in_window(&h, "Mostrar vista previa", w, ht);
    click(&mut h, "Mostrar vista previa");
    assert!(visible(&h, "Vista previa"));

    // Campañas → Contactos: every column is there and scrolls into the window.
    click(&mut h, "Campañas");
    click(&mut h, "Inscripciones 2027-1");
    assert_no_letter_per_line(&h, "Campañas");
    click(&mut h, "Contactos");
    wait_until(&mut h, "the count", |h| visible(h, "30 contactos"));
    for header in [
        "Fila",
        "Nombre",
        "Teléfono",
        "Otros teléfonos",
        "Documento",
        "Programa",
        "Ciudad",
        "Auxiliar",
        "Estado",
    ] {
        // The header is the last node with that label (the filters come before the table).
        h.query_all_by_label(header)
            .last()
            .unwrap_or_else(|| panic!("no column «{header}»"))
            .scroll_to_me();
        h.run();
        let r = h.query_all_by_label(header).last().expect("header").rect();
        assert!(
            r.min.x >= 0.0 && r.max.x <= w && r.width() > 0.0,
            "column «{header}» at {r:?} cannot be brought into the {w} px window"
        );
    }
}

/// The department's briefs, by campaign name.
fn brief_names(store: &Store) -> Vec<String> {
    let mut names: Vec<String> = store
        .briefs(&actor(store, "posgrados"), &BriefFilter::default())
        .expect("briefs")
        .into_iter()
        .map(|b| b.form.campaign_name)
        .collect();
    names.sort();
    names
}

/// A store where the department already has a draft brief, «Reingresos 2027-1».
fn store_with_a_draft() -> Store {
    let store = store_with_people();
    let who = actor(&store, "posgrados");
    let dept = store.user_by_login("posgrados").expect("q").expect("u");
    store
        .brief_create(
            &who,
            &BriefForm {
                department_id: dept.department_id,
                contact_name: "Sandra Torres".into(),
                campaign_name: "Reingresos 2027-1".into(),
                ..Default::default()
            },
        )
        .expect("draft");
    store
}

/// What the text field labelled `label` holds.
fn value(h: &H, label: &str) -> String {
    input(h, label)
        .accesskit_node()
        .value()
        .unwrap_or_default()
        .to_owned()
}

/// Starts a new brief and writes its campaign's name (the form now holds unsaved changes).
fn half_written_brief(h: &mut H, name: &str) {
    click(h, "Nueva solicitud");
    fill(h, "Nombre de la campaña", name);
}

#[test]
fn another_brief_asks_before_the_half_written_one_is_lost() {
    let store = store_with_a_draft();
    let mut h = harness(store.clone());
    log_in(&mut h, "posgrados");
    half_written_brief(&mut h, "Inscripciones a medias");

    // Choosing another brief asks; Cancelar keeps the text.
    click(&mut h, "Reingresos 2027-1");
    assert!(visible(&h, "¿Guardar los cambios?"));
    click(&mut h, "Cancelar");
    assert!(!visible(&h, "¿Guardar los cambios?"));
    assert_eq!(value(&h, "Nombre de la campaña"), "Inscripciones a medias");

    // Descartar drops it and shows the other brief.
    click(&mut h, "Reingresos 2027-1");
    click(&mut h, "Descartar");
    assert_eq!(value(&h, "Nombre de la campaña"), "Reingresos 2027-1");
    assert_eq!(brief_names(&store), vec!["Reingresos 2027-1"]);

    // Guardar saves it as a draft, then shows the other brief.
    half_written_brief(&mut h, "Inscripciones 2027-1");
    click(&mut h, "Reingresos 2027-1");
    assert!(visible(&h, "¿Guardar los cambios?"));
    click(&mut h, "Guardar");
    assert_eq!(
        brief_names(&store),
        vec!["Inscripciones 2027-1", "Reingresos 2027-1"]
    );
    assert_eq!(value(&h, "Nombre de la campaña"), "Reingresos 2027-1");

    // A saved form leaves without a question; a change to a saved draft asks again.
    click(&mut h, "Inscripciones 2027-1");
    assert!(!visible(&h, "¿Guardar los cambios?"));
    fill(&mut h, "Objetivo", "Llenar los cupos.");
    click(&mut h, "Reingresos 2027-1");
    click(&mut h, "Guardar");
    let saved = store
        .briefs(&actor(&store, "posgrados"), &BriefFilter::default())
        .expect("briefs")
        .into_iter()
        .find(|b| b.form.campaign_name == "Inscripciones 2027-1")
        .expect("draft");
    assert_eq!(saved.form.objective, "Llenar los cupos.");
}

#[test]
fn another_tab_and_logging_out_ask_before_unsaved_work_is_lost() {
    let store = store_with_a_draft();
    let mut h = harness(store.clone());
    log_in(&mut h, "posgrados");
    let tab = |h: &H| match &h.state().screen {
        Screen::Main(shell) => Some(shell.tab),
        _ => None,
    };

    // Another tab: Cancelar stays with the text.
    half_written_brief(&mut h, "Inscripciones a medias");
    click(&mut h, "Mi cuenta");
    assert!(visible(&h, "¿Guardar los cambios?"));
    assert!(visible_containing(&h, "cambios sin guardar"));
    click(&mut h, "Cancelar");
    assert_eq!(tab(&h), Some(telemercadeo::ui::shell::Tab::Solicitudes));
    assert_eq!(value(&h, "Nombre de la campaña"), "Inscripciones a medias");

    // Descartar goes there; back in Solicitudes the text is gone, nothing was saved.
    click(&mut h, "Mi cuenta");
    click(&mut h, "Descartar");
    assert_eq!(tab(&h), Some(telemercadeo::ui::shell::Tab::MiCuenta));
    click(&mut h, "Solicitudes");
    assert!(h.query_by_label("Nombre de la campaña").is_none());
    assert_eq!(brief_names(&store), vec!["Reingresos 2027-1"]);

    // Guardar saves the draft, then goes there.
    half_written_brief(&mut h, "Inscripciones 2027-1");
    click(&mut h, "Mi cuenta");
    click(&mut h, "Guardar");
    assert_eq!(tab(&h), Some(telemercadeo::ui::shell::Tab::MiCuenta));
    assert_eq!(
        brief_names(&store),
        vec!["Inscripciones 2027-1", "Reingresos 2027-1"]
    );

    // Logging out asks too: Cancelar stays logged in, Guardar saves and logs out.
    click(&mut h, "Solicitudes");
    half_written_brief(&mut h, "Egresados 2027");
    click(&mut h, "Cerrar sesión");
    assert!(visible(&h, "¿Guardar los cambios?"));
    click(&mut h, "Cancelar");
    assert!(matches!(h.state().screen, Screen::Main(_)));
    assert_eq!(value(&h, "Nombre de la campaña"), "Egresados 2027");
    click(&mut h, "Cerrar sesión");
    click(&mut h, "Guardar");
    assert!(matches!(h.state().screen, Screen::Login(_)));
    assert!(brief_names(&store).contains(&"Egresados 2027".to_owned()));

    // With nothing unsaved, logging out does not ask.
    log_in(&mut h, "posgrados");
    click(&mut h, "Cerrar sesión");
    assert!(matches!(h.state().screen, Screen::Login(_)));
}

#[test]
fn closing_the_window_with_unsaved_work_is_cancelled_and_asks() {
    let store = store_with_a_draft();
    let mut h = harness(store.clone());
    log_in(&mut h, "posgrados");
    let close_requested = |h: &mut H| {
        h.input_mut()
            .viewports
            .entry(egui::ViewportId::ROOT)
            .or_default()
            .events
            .push(egui::ViewportEvent::Close);
        h.step();
    };
    let commands = |h: &H| {
        h.output()
            .viewport_output
            .get(&egui::ViewportId::ROOT)
            .map(|v| v.commands.clone())
            .unwrap_or_default()
    };

    // Nothing unsaved: the window closes.
    close_requested(&mut h);
    assert!(!commands(&h).contains(&egui::ViewportCommand::CancelClose));
    h.run();

    // Unsaved work: the close is cancelled and the question shows.
    half_written_brief(&mut h, "Inscripciones a medias");
    close_requested(&mut h);
    assert!(commands(&h).contains(&egui::ViewportCommand::CancelClose));
    h.run();
    assert!(visible(&h, "¿Guardar los cambios?"));
    assert!(matches!(h.state().screen, Screen::Main(_)));

    // Cancelar keeps the window and the text.
    click(&mut h, "Cancelar");
    assert_eq!(value(&h, "Nombre de la campaña"), "Inscripciones a medias");

    // Guardar saves the draft, then closes the window.
    close_requested(&mut h);
    h.run();
    h.get_by_role_and_label(A11y::Button, "Guardar").click();
    h.step();
    assert!(commands(&h).contains(&egui::ViewportCommand::Close));
    assert!(brief_names(&store).contains(&"Inscripciones a medias".to_owned()));
}

#[test]
fn with_no_file_dialog_every_action_offers_a_path_field() {
    let store = store_with_a_draft();
    // Tall: the brief's files are below its form.
    let mut h = common::app(store.clone());
    h.state_mut().dialog = telemercadeo::ui::files::unavailable;
    log_in(&mut h, "posgrados");
    let dir = std::env::temp_dir().join(format!("tm-ui-files-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");

    // Saving: the message and the path field show; a folder gets the proposed name.
    click(&mut h, "Plantilla Excel…");
    assert!(visible(
        &h,
        "No se pudo abrir la ventana para elegir archivos en este equipo."
    ));
    fill(&mut h, "Plantilla Excel…", &dir.display().to_string());
    click(&mut h, "Guardar aquí");
    let template = dir.join("brief-telemercadeo-GF-MK-PR-01-01.xlsx");
    assert!(template.is_file(), "the template was written");
    assert!(!visible(&h, "Guardar aquí"), "the field closes once used");

    // Opening: a missing file is said under the field; a typed path attaches the base.
    click(&mut h, "Reingresos 2027-1");
    click(&mut h, "Adjuntar base de datos…");
    assert!(visible(
        &h,
        "No se pudo abrir la ventana para elegir archivos en este equipo."
    ));
    let missing = dir.join("no-existe.csv");
    fill(
        &mut h,
        "Adjuntar base de datos…",
        &missing.display().to_string(),
    );
    click(&mut h, "Abrir este archivo");
    assert!(visible_containing(&h, "No existe el archivo"));
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/contacts_utf8.csv"
    );
    fill(&mut h, "Adjuntar base de datos…", fixture);
    // The attached base is checked in the background (a spinner): step frames until it is.
    h.get_by_role_and_label(A11y::Button, "Abrir este archivo")
        .click();
    h.step();
    common::wait_until(&mut h, "the base's check", |h| {
        visible_containing(h, "Revisión de «contacts_utf8.csv»")
    });
    let who = actor(&store, "posgrados");
    let id = store
        .briefs(&who, &BriefFilter::default())
        .expect("briefs")
        .pop()
        .expect("brief")
        .id;
    let files = store.brief_files(&who, id).expect("files");
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].file_name, "contacts_utf8.csv");

    // A dialog closed without a file still offers the path, more quietly.
    h.state_mut().dialog = |_| Ok(None);
    click(&mut h, "Importar de Excel…");
    assert!(visible_containing(&h, "¿No apareció la ventana"));
    assert!(!visible(
        &h,
        "No se pudo abrir la ventana para elegir archivos en este equipo."
    ));
    click(&mut h, "Cancelar");
    assert!(!visible_containing(&h, "¿No apareció la ventana"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// The labelled error texts shown (red, under their fields) that read exactly `text`.
fn shown(h: &H, text: &str) -> usize {
    h.query_all_by_label(text).count()
}

#[test]
fn a_form_shows_every_error_at_once_scrolled_to_the_first_and_clears_each_when_fixed() {
    let mut h = harness(store_with_people());
    log_in(&mut h, "posgrados");
    click(&mut h, "Nueva solicitud");
    // A new form starts on its first field; required fields are marked, and the mark explained.
    assert!(
        input(&h, "Persona de contacto").is_focused(),
        "first field focused"
    );
    assert!(visible(&h, "Los campos marcados con * son obligatorios."));
    assert_eq!(
        h.query_all_by_label("*").count(),
        10,
        "the ten fields a brief needs to be sent are marked"
    );
    // A date that does not exist says so (not "write it as DD/MM/AAAA").
    fill(&mut h, "Fecha de inicio deseada", "31/02/2026");
    // Sending from the bottom of the long form: every problem at once, the first one in view.
    h.get_by_role_and_label(A11y::Button, "Enviar solicitud")
        .scroll_to_me();
    h.run();
    click(&mut h, "Enviar solicitud");
    click(&mut h, "Enviar sin base");
    assert!(visible(
        &h,
        "La fecha 31/02/2026 no existe: ese mes tiene 28 días."
    ));
    let required = "Este campo es obligatorio para enviar la solicitud.";
    assert_eq!(
        shown(&h, required),
        7,
        "e-mail, name, objective, audience, message, end date, result: all at once"
    );
    assert!(visible(&h, "Elija el tipo de campaña."));
    let first_error = h
        .query_all_by_label(required)
        .map(|n| n.rect())
        .min_by(|a, b| a.top().total_cmp(&b.top()))
        .expect("errors");
    assert!(
        first_error.top() >= 0.0 && first_error.bottom() <= 768.0,
        "the first error is scrolled into view: {first_error:?}"
    );
    // Each error goes away as soon as its field is fixed; the others stay.
    fill(&mut h, "Correo de contacto", "posgrados@universidad.edu.co");
    assert_eq!(shown(&h, required), 6);
    fill(&mut h, "Fecha de inicio deseada", "28/02/2027");
    assert!(!visible_containing(&h, "no existe"));
    choose(&mut h, "Tipo de campaña", "Inscripciones");
    assert!(!visible(&h, "Elija el tipo de campaña."));
    assert_eq!(shown(&h, required), 6, "no new error while typing");
}

#[test]
fn after_a_failed_login_the_password_field_keeps_the_keyboard() {
    let mut h = harness(store_with_people());
    fill(&mut h, "Usuario", "mcastro");
    fill(&mut h, "Contraseña", "equivocada");
    h.key_press(egui::Key::Enter);
    h.run();
    assert!(matches!(h.state().screen, Screen::Login(_)));
    assert!(visible_containing(&h, "Usuario o contraseña incorrectos"));
    assert!(
        input(&h, "Contraseña").is_focused(),
        "the user types the password again at once"
    );
}

#[test]
fn the_first_run_form_shows_every_error_at_once() {
    let store = Store::memory().expect("store");
    let mut h = harness(store.clone());
    assert!(
        input(&h, "Nombre completo").is_focused(),
        "first field focused"
    );
    fill(&mut h, "Contraseña", "corta");
    click(&mut h, "Crear cuenta");
    assert_eq!(store.user_count().expect("count"), 0);
    for field_error in [
        "Escriba el nombre completo.",
        "Escriba un nombre de usuario.",
    ] {
        assert!(visible(&h, field_error), "{field_error}");
    }
    assert!(visible_containing(&h, "al menos 8"), "the password too");
}

#[test]
fn a_drop_down_closes_on_enter() {
    let mut h = harness(store_with_people());
    log_in(&mut h, "posgrados");
    click(&mut h, "Nueva solicitud");
    h.get_by_role_and_label(A11y::ComboBox, "Tipo de campaña")
        .click();
    h.run();
    assert!(visible(&h, "Reingresos"), "the list is open");
    h.key_press(egui::Key::ArrowDown);
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
    assert!(!visible(&h, "Reingresos"), "Enter closes the list");
}

#[test]
fn an_empty_group_says_so_in_words() {
    use telemercadeo::domain::BriefForm;
    use telemercadeo::domain::procedure::CampaignKind;
    let store = store_with_people();
    // One brief, already accepted: nothing is left to decide.
    let form = BriefForm {
        department_id: None,
        contact_name: "Sandra Torres".into(),
        contact_email: "posgrados@universidad.edu.co".into(),
        campaign_name: "Inscripciones 2027-1".into(),
        kind: Some(CampaignKind::Inscripciones),
        objective: "Aumentar inscripciones".into(),
        audience: "Egresados".into(),
        key_message: "Descuento".into(),
        start_date: "15/01/2027".into(),
        end_date: "30/01/2027".into(),
        expected_result: "80 inscritos".into(),
        ..Default::default()
    };
    let (b, errors) = store
        .brief_save_and_submit(&common::actor(&store, "posgrados"), None, &form)
        .expect("submit");
    assert!(errors.is_empty(), "{errors:?}");
    store
        .brief_accept(&common::actor(&store, "mcastro"), b.id, "")
        .expect("accept");
    let mut h = harness(store);
    log_in(&mut h, "mcastro");
    click(&mut h, "Estrategias");
    assert!(visible(&h, "Por decidir (0)"));
    assert!(visible(&h, "Nada por decidir"));
}

/// «Reintegros 2027-1», submitted by the Dirección de Posgrados: the head has it to decide.
fn submitted_brief(store: &Store) -> i64 {
    let posgrados = actor(store, "posgrados");
    let b = store
        .brief_create(
            &posgrados,
            &BriefForm {
                contact_name: "Sandra Torres".into(),
                contact_email: "posgrados@universidad.edu.co".into(),
                campaign_name: "Reintegros 2027-1".into(),
                kind: Some(CampaignKind::Inscripciones),
                objective: "Que los estudiantes retirados vuelvan a matricularse".into(),
                audience: "Estudiantes retirados en los dos últimos años".into(),
                key_message: "Hay descuento por reintegro".into(),
                start_date: "10/12/2026".into(),
                end_date: "20/12/2026".into(),
                expected_result: "40 reintegros".into(),
                database_fields: "Nombre, Teléfono, Programa de interés".into(),
                ..Default::default()
            },
        )
        .expect("brief");
    store.brief_submit(&posgrados, b.id).expect("submitted");
    b.id
}

/// Every label of the window.
fn labels(h: &H) -> Vec<String> {
    h.query_all_by_role(A11y::Label)
        .map(|n| n.accesskit_node().label().unwrap_or_default().to_owned())
        .collect()
}

#[test]
fn histories_and_the_audit_log_name_people_and_say_codes_in_words() {
    let store = store_with_people();
    let id = submitted_brief(&store);
    store
        .brief_accept(&actor(&store, "mcastro"), id, "")
        .expect("accepted");
    let mut h = harness(store);
    log_in(&mut h, "mcastro");

    // The brief's history: who by name (Sandra Torres sent it, María Castro accepted it).
    click(&mut h, "Reintegros 2027-1");
    assert!(visible(&h, "Sandra Torres"), "{:?}", labels(&h));
    assert!(visible(&h, "María Castro"));
    assert!(!visible(&h, "posgrados") && !visible(&h, "mcastro"));

    // The audit log: names, the command line in words, actions and states in words.
    click(&mut h, "Configuración");
    let all = labels(&h);
    assert!(visible(&h, "María Castro"), "{all:?}");
    assert!(visible_containing(&h, "Línea de comandos ("), "{all:?}");
    assert!(
        visible(&h, "Solicitud 1 · En definición de estrategia"),
        "{all:?}"
    );
    assert!(
        visible(&h, "Usuario 2 · Profesional de marketing"),
        "{all:?}"
    );
    assert!(visible(&h, "Solicitud 1 · creada en la ventana"), "{all:?}");
    for code in [
        "en_definicion",
        "enviada",
        "gui",
        "cli:",
        "profesional",
        "brief",
        "mcastro",
    ] {
        assert!(
            !all.iter().any(|l| l.split([' ', '#']).any(|w| w == code)
                || l.contains("en_definicion")
                || l.contains("cli:")),
            "a code «{code}» shows: {all:?}"
        );
    }
}

#[test]
fn common_zones_are_listed_and_fill_the_time_zone_field() {
    let mut h = harness(store_with_people());
    log_in(&mut h, "mcastro");
    click(&mut h, "Configuración");
    let zones: Vec<String> = h
        .query_all_by_role(A11y::Button)
        .filter_map(|n| n.accesskit_node().label())
        .filter(|l| l.starts_with("America/") || l.starts_with("Europe/"))
        .collect();
    assert_eq!(
        zones.first().map(String::as_str),
        Some("America/Bogota"),
        "{zones:?}"
    );
    assert!(
        zones.len() >= 10 && zones.iter().any(|z| z == "Europe/Madrid"),
        "{zones:?}"
    );
    click(&mut h, "Europe/Madrid");
    assert_eq!(value(&h, "Zona horaria"), "Europe/Madrid");
    click(&mut h, "Guardar cambios");
    assert!(visible(&h, "Cambios guardados."), "{:?}", labels(&h));
}

/// The toasts' rectangles: their texts and close buttons.
fn toast_rects(h: &H) -> Vec<egui::Rect> {
    h.query_all_by_label_contains("No se pudo")
        .map(|n| n.rect())
        .chain(
            h.query_all_by_role_and_label(A11y::Button, "×")
                .map(|n| n.rect()),
        )
        .collect()
}

fn assert_not_covered(h: &mut H, label: &str, where_: &str) {
    let toasts = toast_rects(h);
    assert!(toasts.len() >= 6, "{where_}: the toasts show: {toasts:?}");
    h.get_by_role_and_label(A11y::Button, label).scroll_to_me();
    h.run();
    let r = h.get_by_role_and_label(A11y::Button, label).rect();
    for t in toast_rects(h) {
        assert!(
            !t.intersects(r),
            "{where_}: a toast {t:?} covers «{label}» {r:?}"
        );
    }
}

#[test]
fn toasts_never_cover_the_buttons_of_a_form() {
    for (w, ht) in [(1366.0, 768.0), (1024.0, 700.0)] {
        let store = store_with_people();
        let id = submitted_brief(&store);
        let mut h = common::app_sized(store.clone(), w, ht);
        let toasts = |h: &mut H| {
            for i in 0..3 {
                h.state_mut().toasts.error(format!(
                    "No se pudo leer el archivo {i}: la carpeta compartida no responde; revise la red y vuelva a intentarlo."
                ));
            }
            h.run();
        };
        let at = format!("{w}×{ht}");
        log_in(&mut h, "posgrados");
        click(&mut h, "Nueva solicitud");
        toasts(&mut h);
        for b in ["Guardar borrador", "Enviar solicitud"] {
            assert_not_covered(&mut h, b, &at);
        }
        log_in(&mut h, "mcastro");
        toasts(&mut h);
        click(&mut h, "Reintegros 2027-1");
        for b in ["Aceptar solicitud", "Devolver con comentarios", "Rechazar"] {
            assert_not_covered(&mut h, b, &at);
        }
        store
            .brief_accept(&actor(&store, "mcastro"), id, "")
            .expect("accepted");
        click(&mut h, "Estrategias");
        click(&mut h, "Reintegros 2027-1");
        assert_not_covered(&mut h, "Guardar estrategia", &at);
    }
}

#[test]
fn accepting_a_brief_says_what_next_with_a_button_that_goes_there() {
    let store = store_with_people();
    submitted_brief(&store);
    let mut h = harness(store);
    log_in(&mut h, "mcastro");
    click(&mut h, "Reintegros 2027-1");
    click(&mut h, "Aceptar solicitud");
    if h.query_by_role_and_label(A11y::Button, "Aceptar").is_some() {
        click(&mut h, "Aceptar");
    }
    assert!(
        visible_containing(&h, "Ahora defina la estrategia"),
        "{:?}",
        labels(&h)
    );
    click(&mut h, "Definir la estrategia");
    let Screen::Main(shell) = &h.state().screen else {
        panic!("logged in")
    };
    assert_eq!(shell.tab, telemercadeo::ui::shell::Tab::Estrategias);
    assert!(
        h.query_by_role_and_label(A11y::Button, "Guardar estrategia")
            .is_some()
    );
}

#[test]
fn the_other_forms_mark_required_fields_and_start_on_the_first() {
    let mut h = harness(store_with_people());
    log_in(&mut h, "mcastro");
    let marks = |h: &H| h.query_all_by_label("*").count();

    click(&mut h, "Mi cuenta");
    assert!(input(&h, "Contraseña actual").is_focused(), "Mi cuenta");
    assert_eq!(marks(&h), 3, "Mi cuenta");

    click(&mut h, "Catálogos");
    assert!(
        input(&h, "Nombre de la dependencia").is_focused(),
        "Catálogos"
    );
    assert_eq!(marks(&h), 1, "dependencias");

    click(&mut h, "Configuración");
    assert!(input(&h, "Zona horaria").is_focused(), "Configuración");
    assert_eq!(marks(&h), 1, "Configuración");
}

#[test]
fn a_new_campaign_form_marks_required_fields_and_starts_on_its_name() {
    let store = store_with_people();
    let id = submitted_brief(&store);
    let head = actor(&store, "mcastro");
    store.brief_accept(&head, id, "").expect("accepted");
    let lgomez = store.user_by_login("lgomez").expect("q").expect("user");
    store
        .strategy_save(
            &head,
            id,
            &StrategyForm {
                approach: "Llamar primero a quienes se retiraron hace menos de un año".into(),
                assigned_to: Some(lgomez.id),
                ..Default::default()
            },
            true,
        )
        .expect("assigned");
    let mut h = harness(store);
    log_in(&mut h, "lgomez");
    click(&mut h, "Estrategias");
    click(&mut h, "Reintegros 2027-1");
    assert!(
        input(&h, "Nombre de la campaña").is_focused(),
        "{:?}",
        labels(&h)
    );
    assert!(h.query_all_by_label("*").count() >= 4);
}
