//! The window keeps drawing while another desk (or an import chunk) holds the database's write
//! lock: every tab loads from the reader connection, nothing waits for the lock, nothing fails.
//! The longest frame in that state is printed (`cargo test --test held_lock -- --nocapture`);
//! the README quotes it. No timing is asserted: the machines are shared.

mod common;

use std::time::{Duration, Instant};

use common::{H, click, visible};
use egui::accesskit::Role as A11y;
use egui_kittest::kittest::Queryable;
use telemercadeo::domain::{Actor, Role};
use telemercadeo::store::{Store, Target};
use telemercadeo::ui::widgets::ToastKind;

/// Runs the frames a click causes and returns how long they took.
fn timed(h: &mut H, f: impl FnOnce(&mut H)) -> Duration {
    let t0 = Instant::now();
    f(h);
    common::settle(h);
    t0.elapsed()
}

fn errors(h: &H) -> Vec<String> {
    h.state()
        .toasts
        .items
        .iter()
        .filter(|t| t.kind == ToastKind::Error)
        .map(|t| t.text.clone())
        .collect()
}

#[test]
fn every_tab_loads_while_another_connection_holds_the_write_lock() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("held.sqlite3");
    let store = Store::open(&Target::Sqlite(path.clone())).expect("open");
    let demo = telemercadeo::demo::fill(&store, &Actor::cli()).expect("demo");
    let login_of = |role: Role| {
        demo.users
            .iter()
            .find(|(_, r)| *r == role)
            .map(|(l, _)| l.clone())
            .expect("a demo user of the role")
    };
    let mut longest = Duration::ZERO;
    for role in [Role::Jefe, Role::Profesional, Role::Auxiliar] {
        let mut h = common::app(store.clone());
        // Logging in writes (last login): it happens before the other desk takes the lock.
        common::fill(&mut h, "Usuario", &login_of(role));
        common::fill(&mut h, "Contraseña", &demo.password);
        click(&mut h, "Ingresar");
        assert!(visible(&h, "Cerrar sesión"), "{role:?} is in");

        let other = rusqlite::Connection::open(&path).expect("second connection");
        other
            .execute_batch(
                "BEGIN IMMEDIATE; INSERT INTO audit_log (at, actor, action, entity, detail) VALUES (0, 'otro-puesto', 'x', 'x', '');",
            )
            .expect("the other desk holds the write lock");

        let tabs: Vec<String> = telemercadeo::ui::tabs::all()
            .iter()
            .filter(|t| t.visible_for(role))
            .map(|t| t.label())
            .collect();
        for tab in &tabs {
            // An administrative tab is in the menu at the right of the top bar.
            if h.query_by_role_and_label(A11y::Button, tab).is_none() {
                common::open_admin_menu(&mut h);
            }
            let d = timed(&mut h, |h| {
                h.get_by_role_and_label(A11y::Button, tab).click();
            });
            longest = longest.max(d);
            // Open the first item of the tab's list where there is one (a brief, a campaign).
            for item in [
                "Inscripciones 2027-1",
                "Congreso Internacional",
                "Reingresos",
            ] {
                if common::visible_containing(&h, item) {
                    let d = timed(&mut h, |h| {
                        if let Some(n) = h.query_all_by_label_contains(item).next() {
                            n.click();
                        }
                    });
                    longest = longest.max(d);
                    break;
                }
            }
            assert!(
                errors(&h).is_empty(),
                "{role:?} on «{tab}» while the lock is held: {:?}",
                errors(&h)
            );
        }
        other.execute_batch("ROLLBACK").expect("release");
    }
    println!(
        "longest frame burst while another connection held the write lock: {} ms",
        longest.as_millis()
    );
}
