//! The window, driven headless with egui_kittest: first run, login, tabs per role, users.

mod common;

use common::{
    H, PW, choose, click, fill, input, log_in, store_with_people, try_log_in, visible,
    visible_containing,
};
use egui::accesskit::Role as A11y;
use egui_kittest::kittest::Queryable;
use telemercadeo::domain::Role;
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
