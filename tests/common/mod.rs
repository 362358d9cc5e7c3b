//! The kittest harness shared by the UI tests: the app over a store, a store with people,
//! logging in, filling a labelled field, clicking and choosing by label, looking for text.
// Each test file uses part of it.
#![allow(dead_code)]

use std::sync::Arc;

use egui::accesskit::Role as A11y;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use telemercadeo::domain::{Actor, NewUser, Role, TestClock};
use telemercadeo::store::{Store, Target};
use telemercadeo::ui::{App, Screen};

/// Everyone's password in the tests.
pub const PW: &str = "clave-segura-1";
/// 2026-11-29 15:00 UTC.
pub const NOW: i64 = 1_795_910_400 + 15 * 3600;

/// The app under test.
pub type H = Harness<'static, App>;

/// The window over `store`, tall enough that long forms need no scrolling.
pub fn app(store: Store) -> H {
    app_sized(store, 1366.0, 2200.0)
}

/// The window over `store` at a given size.
pub fn app_sized(store: Store, width: f32, height: f32) -> H {
    // A background job (a count, a file's preview) that ends during a click's frames asks for a
    // few more: allow them, rather than fail on how fast the machine happened to be.
    let mut h = Harness::builder()
        .with_size(egui::vec2(width, height))
        .with_max_steps(16)
        .build_ui_state(|ui, app: &mut App| app.ui(ui), App::new(store));
    h.run();
    h
}

/// A store at [`NOW`] with the head (`mcastro`), a professional (`lgomez`, Laura Gómez), an
/// agent (`aperez`) and a solicitante of the Dirección de Posgrados (`posgrados`).
pub fn store_with_people() -> Store {
    store_with_people_at(TestClock::at(NOW))
}

/// [`store_with_people`] on a clock the test moves.
pub fn store_with_people_at(clock: TestClock) -> Store {
    store_with_people_in(&Target::Memory, clock)
}

/// [`store_with_people`] in a database of the test's choice (a file it reads with SQL).
pub fn store_with_people_in(target: &Target, clock: TestClock) -> Store {
    let store = Store::open_with_clock(target, Arc::new(clock)).expect("store");
    store
        .create_first_head("María Castro", "mcastro", PW, PW)
        .expect("head");
    let cli = Actor::cli();
    let dept = store
        .add_department(&cli, "Dirección de Posgrados")
        .expect("dept");
    for (login, name, role, d) in [
        ("lgomez", "Laura Gómez", Role::Profesional, None),
        ("aperez", "Andrés Pérez", Role::Auxiliar, None),
        (
            "posgrados",
            "Sandra Torres",
            Role::Solicitante,
            Some(dept.id),
        ),
    ] {
        store
            .add_user(
                &cli,
                &NewUser {
                    login: login.into(),
                    name: name.into(),
                    role: Some(role),
                    department_id: d,
                },
                PW,
                PW,
            )
            .expect("user");
    }
    store
}

/// The store's actor for a user.
pub fn actor(store: &Store, login: &str) -> Actor {
    let u = store.user_by_login(login).expect("lookup").expect("user");
    Actor::User {
        id: u.id,
        login: u.login,
        role: u.role,
        department_id: u.department_id,
    }
}

/// The text, multiline or password field labelled `label`.
pub fn input<'h>(h: &'h H, label: &'h str) -> egui_kittest::Node<'h> {
    [
        A11y::TextInput,
        A11y::MultilineTextInput,
        A11y::PasswordInput,
    ]
    .into_iter()
    .find_map(|role| h.query_by_role_and_label(role, label))
    .unwrap_or_else(|| panic!("no field labelled «{label}»"))
}

/// Replaces what the field labelled `label` holds with `text`.
pub fn fill(h: &mut H, label: &str, text: &str) {
    input(h, label).focus();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run();
    input(h, label).type_text(text);
    h.run();
}

/// Clicks the button (or, failing that, the one widget) labelled `label`. An administrative
/// tab (Usuarios, Configuración, …) is in the menu at the right of the top bar: when `label`
/// shows nowhere, the menu is opened first.
pub fn click(h: &mut H, label: &str) {
    if h.query_by_role_and_label(A11y::Button, label).is_none() && h.query_by_label(label).is_none()
    {
        open_admin_menu(h);
    }
    match h.query_by_role_and_label(A11y::Button, label) {
        Some(b) => b.click(),
        None => h.get_by_label(label).click(),
    }
    settle(h);
}

/// Opens the menu of administrative tabs («⚙ Administración» or «⚙ Mi cuenta»).
pub fn open_admin_menu(h: &mut H) {
    h.get_by_label_contains("⚙").click();
    h.run();
}

/// The administrative tabs the menu offers (it is opened and closed again).
pub fn admin_menu(h: &mut H) -> Vec<String> {
    open_admin_menu(h);
    let names = [
        "Usuarios",
        "Catálogos",
        "Configuración",
        "Correo",
        "Mi cuenta",
    ]
    .into_iter()
    .filter(|n| h.query_all_by_label(n).next().is_some())
    .map(String::from)
    .collect();
    h.key_press(egui::Key::Escape);
    h.run();
    names
}

/// Opens the drop-down labelled `label` and picks `option`.
pub fn choose(h: &mut H, label: &str, option: &str) {
    h.get_by_role_and_label(A11y::ComboBox, label).click();
    h.run();
    click(h, option);
}

/// Whether something labelled exactly `label` shows.
pub fn visible(h: &H, label: &str) -> bool {
    h.query_all_by_label(label).next().is_some()
}

/// Whether something whose label contains `part` shows.
pub fn visible_containing(h: &H, part: &str) -> bool {
    h.query_all_by_label_contains(part).next().is_some()
}

/// Runs frames until the window has nothing more to draw, letting real time pass while a
/// background job (a list or a report being read) keeps a spinner turning. Panics after a
/// minute.
pub fn settle(h: &mut H) {
    let t0 = std::time::Instant::now();
    while h.try_run().is_err() {
        assert!(
            t0.elapsed() < std::time::Duration::from_secs(60),
            "the window kept repainting for a minute"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// Steps frames, with real time passing, until `done` holds: for work done in the background
/// (an import, a count). Panics after a minute.
pub fn wait_until(h: &mut H, what: &str, done: impl Fn(&H) -> bool) {
    let t0 = std::time::Instant::now();
    while !done(h) {
        assert!(
            t0.elapsed() < std::time::Duration::from_secs(60),
            "waited a minute for {what}"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
        h.step();
    }
    settle(h);
}

/// Logs out if someone is in, then fills the login form and submits it (it may fail).
pub fn try_log_in(h: &mut H, login: &str, pw: &str) {
    if matches!(h.state().screen, Screen::Main(_)) {
        click(h, "Cerrar sesión");
    }
    fill(h, "Usuario", login);
    fill(h, "Contraseña", pw);
    click(h, "Ingresar");
}

/// Logs in as `login` with [`PW`] (logging out whoever was in) and checks it worked.
pub fn log_in(h: &mut H, login: &str) {
    try_log_in(h, login, PW);
    assert!(
        matches!(h.state().screen, Screen::Main(_)),
        "{login} logged in"
    );
}
