//! The window, driven headless with egui_kittest: first run, login, tabs per role, users.

mod common;

use common::{
    H, PW, actor, click, fill, input, log_in, store_with_people, try_log_in, visible,
    visible_containing,
};
use egui::accesskit::Role as A11y;
use egui_kittest::kittest::{NodeT, Queryable};
use telemercadeo::domain::Role;
use telemercadeo::domain::brief::{BriefFilter, BriefForm};
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
    for tab in ["Usuarios", "Catálogos", "Configuración", "Mi cuenta"] {
        assert!(visible(&h, tab), "the head sees {tab}");
    }
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
    assert!(visible(&h, "Usuarios"));
    assert!(visible(&h, "Configuración"));
}

#[test]
fn an_agent_does_not_see_user_administration() {
    let mut h = harness(store_with_people());
    log_in(&mut h, "aperez");
    assert!(matches!(h.state().screen, Screen::Main(_)));
    assert!(visible(&h, "Mi cuenta"));
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
    assert!(visible(&h, "Catálogos"));
    assert!(!visible(&h, "Usuarios"));
    assert!(!visible(&h, "Configuración"));
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
