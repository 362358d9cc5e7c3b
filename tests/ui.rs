//! The window, driven headless with egui_kittest: first run, login, tabs per role, users.

mod common;

use common::{H, PW, click, fill, log_in, store_with_people, try_log_in, visible};
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
