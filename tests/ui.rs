//! The window, driven headless with egui_kittest: first run, login, tabs per role, users.

use egui::accesskit::Role as A11y;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use telemercadeo::domain::{Actor, NewUser, Role};
use telemercadeo::store::Store;
use telemercadeo::ui::{App, Screen};

const PW: &str = "clave-segura-1";

fn harness(store: Store) -> Harness<'static, App> {
    Harness::builder()
        .with_size(egui::vec2(1366.0, 768.0))
        .build_ui_state(|ui, app: &mut App| app.ui(ui), App::new(store))
}

/// The text or password field labelled `label`.
fn input<'h>(h: &'h Harness<'static, App>, label: &'h str) -> egui_kittest::Node<'h> {
    h.query_by_role_and_label(A11y::TextInput, label)
        .or_else(|| h.query_by_role_and_label(A11y::PasswordInput, label))
        .unwrap_or_else(|| panic!("no field labelled {label}"))
}

/// Focuses a field and types into it (after what it holds).
fn fill(h: &mut Harness<'static, App>, label: &str, text: &str) {
    input(h, label).focus();
    h.run();
    input(h, label).type_text(text);
    h.run();
}

/// Focuses a field and selects all it holds, so typing replaces it.
fn select_all(h: &mut Harness<'static, App>, label: &str) {
    input(h, label).focus();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run();
}

/// Clicks the button (or, failing that, the one widget) labelled `label`.
fn click(h: &mut Harness<'static, App>, label: &str) {
    match h.query_by_role_and_label(A11y::Button, label) {
        Some(b) => b.click(),
        None => h.get_by_label(label).click(),
    }
    h.run();
}

fn visible(h: &Harness<'static, App>, label: &str) -> bool {
    h.query_all_by_label(label).next().is_some()
}

fn log_in(h: &mut Harness<'static, App>, login: &str, pw: &str) {
    fill(h, "Usuario", login);
    fill(h, "Contraseña", pw);
    click(h, "Ingresar");
}

#[test]
fn first_run_creates_the_head_then_logout_and_login() {
    let store = Store::memory().expect("store");
    let mut h = harness(store.clone());
    h.run();
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

    select_all(&mut h, "Repita la contraseña");
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
    log_in(&mut h, "mcastro", "equivocada");
    assert!(matches!(h.state().screen, Screen::Login(_)));
    assert!(visible(
        &h,
        "Usuario o contraseña incorrectos. Revise las mayúsculas y vuelva a intentarlo."
    ));

    select_all(&mut h, "Usuario");
    log_in(&mut h, "mcastro", PW);
    assert!(matches!(h.state().screen, Screen::Main(_)));
    assert!(visible(&h, "Usuarios"));
    assert!(visible(&h, "Configuración"));
}

fn store_with_people() -> Store {
    let store = Store::memory().expect("store");
    let head = store
        .create_first_head("María Castro", "mcastro", PW, PW)
        .expect("head");
    let cli = Actor::cli();
    let dept = store
        .add_department(&cli, "Dirección de Posgrados")
        .expect("dept");
    for (login, role, d) in [
        ("aperez", Role::Auxiliar, None),
        ("lgomez", Role::Profesional, None),
        ("posgrados", Role::Solicitante, Some(dept.id)),
    ] {
        store
            .add_user(
                &cli,
                &NewUser {
                    login: login.into(),
                    name: format!("Persona {login}"),
                    role: Some(role),
                    department_id: d,
                },
                PW,
                PW,
            )
            .expect("user");
    }
    assert_eq!(head.role, Role::Jefe);
    store
}

#[test]
fn an_agent_does_not_see_user_administration() {
    let mut h = harness(store_with_people());
    h.run();
    log_in(&mut h, "aperez", PW);
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
    h.run();
    log_in(&mut h, "lgomez", PW);
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
    h.run();
    log_in(&mut h, "mcastro", PW);
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
