//! The store: migrations, login and its hold, permissions per role, audit.

use std::sync::Arc;

use telemercadeo::domain::catalog::DEFAULT_DISPOSITIONS;
use telemercadeo::domain::login::LoginError;
use telemercadeo::domain::{Actor, NewUser, ProgramKind, Role, Settings, TestClock};
use telemercadeo::store::{Error, Store, Target, migrate};

const PW: &str = "clave-segura-1";

fn head(store: &Store) -> Actor {
    let u = store
        .create_first_head("María Castro", "mcastro", PW, PW)
        .expect("first head");
    actor_of(&u)
}

fn actor_of(u: &telemercadeo::domain::User) -> Actor {
    Actor::User {
        id: u.id,
        login: u.login.clone(),
        role: u.role,
        department_id: u.department_id,
    }
}

fn add(store: &Store, by: &Actor, login: &str, role: Role, dept: Option<i64>) -> Actor {
    let u = store
        .add_user(
            by,
            &NewUser {
                login: login.into(),
                name: format!("Persona {login}"),
                role: Some(role),
                department_id: dept,
            },
            PW,
            PW,
        )
        .expect("add user");
    actor_of(&u)
}

#[test]
fn migrating_an_empty_database_twice_gives_a_sound_schema() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("a.sqlite3");
    let target = Target::Sqlite(path.clone());
    let s1 = Store::open(&target).expect("first open");
    drop(s1);
    let s2 = Store::open(&target).expect("second open migrates nothing");
    let report = s2.check().expect("check");
    assert!(report.ok, "{report:?}");
    assert_eq!(report.schema_version, migrate::latest());
    assert_eq!(report.integrity, vec!["ok".to_owned()]);
    assert!(report.foreign_key_errors.is_empty());
    // Exactly one row per migration: the second open applied nothing again.
    let conn = rusqlite::Connection::open(&path).expect("raw open");
    let n: i64 = conn
        .query_row("SELECT COUNT(*) FROM schema_version", [], |r| r.get(0))
        .expect("count");
    assert_eq!(n, migrate::latest());
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .expect("journal mode");
    assert_eq!(mode, "wal");
}

#[test]
fn a_database_from_a_newer_program_is_refused_untouched() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("nueva.sqlite3");
    drop(Store::open(&Target::Sqlite(path.clone())).expect("open"));
    let future = migrate::latest() + 1;
    {
        let conn = rusqlite::Connection::open(&path).expect("raw");
        conn.execute(
            "INSERT INTO schema_version (version, applied_at) VALUES (?1, 0)",
            [future],
        )
        .expect("bump");
    }
    let err = Store::open(&Target::Sqlite(path.clone())).expect_err("must refuse");
    assert!(matches!(err, Error::NewerSchema(_)), "{err:?}");
    assert!(err.to_string().contains("más nueva"), "{err}");
    let conn = rusqlite::Connection::open(&path).expect("raw");
    let max: i64 = conn
        .query_row("SELECT MAX(version) FROM schema_version", [], |r| r.get(0))
        .expect("max");
    assert_eq!(max, future, "the newer database was not modified");
}

#[test]
fn a_file_that_is_not_a_database_gets_a_clear_message() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("hoja.sqlite3");
    std::fs::write(&path, vec![b'x'; 4096]).expect("write");
    let err = Store::open(&Target::Sqlite(path)).expect_err("not a db");
    assert!(err.to_string().contains("no es una base de datos"), "{err}");
}

#[test]
fn the_seeded_dispositions_are_the_catalog_of_ux_md() {
    let store = Store::memory().expect("store");
    let got = store.dispositions().expect("dispositions");
    assert_eq!(got.len(), DEFAULT_DISPOSITIONS.len());
    for (d, (key, code, cat, reached, fin, fin_phone)) in got.iter().zip(DEFAULT_DISPOSITIONS) {
        assert_eq!(
            (
                d.key,
                d.code.as_str(),
                d.category,
                d.reached,
                d.is_final,
                d.final_for_phone
            ),
            (key, code, cat, reached, fin, fin_phone)
        );
    }
}

#[test]
fn first_head_only_once() {
    let store = Store::memory().expect("store");
    assert_eq!(store.user_count().expect("count"), 0);
    head(&store);
    let again = store.create_first_head("Otra", "otra", PW, PW);
    assert!(matches!(again, Err(Error::Conflict(_))));
    assert_eq!(store.user_count().expect("count"), 1);
}

#[test]
fn first_head_validation_is_per_field() {
    let store = Store::memory().expect("store");
    match store.create_first_head("María", "mcastro", "corta", "corta") {
        Err(Error::Invalid(e)) => assert_eq!(e.field, "password"),
        other => panic!("{other:?}"),
    }
    match store.create_first_head("María", "m castro", PW, PW) {
        Err(Error::Invalid(e)) => assert_eq!(e.field, "login"),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        store.user_count().expect("count"),
        0,
        "nothing half-written"
    );
}

#[test]
fn login_checks_the_password_and_holds_back_after_five_failures() {
    let clock = TestClock::at(1_800_000_000);
    let store = Store::open_with_clock(&Target::Memory, Arc::new(clock.clone())).expect("store");
    head(&store);
    assert_eq!(store.login("MCASTRO ", PW).expect("login").login, "mcastro");
    assert_eq!(refusal(store.login("nadie", PW)), Err(LoginError::Wrong));
    for _ in 0..4 {
        assert_eq!(
            refusal(store.login("mcastro", "mala")),
            Err(LoginError::Wrong)
        );
    }
    // The fifth failure starts a 5-second hold.
    assert_eq!(
        refusal(store.login("mcastro", "mala")),
        Err(LoginError::Held { secs: 5 })
    );
    // Even the right password waits.
    clock.advance(2);
    assert_eq!(
        refusal(store.login("mcastro", PW)),
        Err(LoginError::Held { secs: 3 })
    );
    clock.advance(3);
    // A sixth failure doubles it.
    assert_eq!(
        refusal(store.login("mcastro", "mala")),
        Err(LoginError::Held { secs: 10 })
    );
    clock.advance(10);
    let u = store.login("mcastro", PW).expect("after the hold");
    assert_eq!(u.role, Role::Jefe);
    // A success resets the count.
    assert_eq!(
        refusal(store.login("mcastro", "mala")),
        Err(LoginError::Wrong)
    );
    assert!(
        LoginError::Held { secs: 5 }
            .to_string()
            .contains("Espere 5 s")
    );
}

#[test]
fn passwords_are_stored_hashed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("h.sqlite3");
    let store = Store::open(&Target::Sqlite(path.clone())).expect("store");
    head(&store);
    drop(store);
    let bytes = std::fs::read(&path).expect("read");
    let wal = std::fs::read(path.with_extension("sqlite3-wal")).unwrap_or_default();
    let needle = PW.as_bytes();
    for b in [bytes, wal] {
        assert!(!b.windows(needle.len()).any(|w| w == needle));
    }
}

#[test]
fn deactivated_users_cannot_log_in_and_are_kept() {
    let store = Store::memory().expect("store");
    let jefe = head(&store);
    let aux = add(&store, &jefe, "aperez", Role::Auxiliar, None);
    let id = aux.user_id().expect("id");
    store.set_user_active(&jefe, id, false).expect("deactivate");
    assert_eq!(
        refusal(store.login("aperez", PW)),
        Err(LoginError::Inactive)
    );
    assert!(
        store
            .users(&jefe)
            .expect("users")
            .iter()
            .any(|u| u.id == id && !u.active)
    );
    store.set_user_active(&jefe, id, true).expect("activate");
    assert!(store.login("aperez", PW).is_ok());
}

#[test]
fn the_last_head_cannot_be_demoted_or_deactivated() {
    let store = Store::memory().expect("store");
    let jefe = head(&store);
    let id = jefe.user_id().expect("id");
    assert!(matches!(
        store.set_user_active(&jefe, id, false),
        Err(Error::Conflict(_))
    ));
    assert!(matches!(
        store.update_user(&jefe, id, "María", Role::Profesional, None),
        Err(Error::Conflict(_))
    ));
    let cli = Actor::cli();
    let other = add(&store, &cli, "jefa2", Role::Jefe, None);
    store
        .update_user(&jefe, id, "María Castro", Role::Profesional, None)
        .expect("another head exists now");
    assert!(other.can(telemercadeo::domain::Action::ManageUsers));
}

#[test]
fn each_role_is_refused_what_it_may_not_do() {
    let store = Store::memory().expect("store");
    let jefe = head(&store);
    let dept = store
        .add_department(&jefe, "Dirección de Posgrados")
        .expect("dept");
    let prof = add(&store, &jefe, "lgomez", Role::Profesional, None);
    let aux = add(&store, &jefe, "aperez", Role::Auxiliar, None);
    let sol = add(&store, &jefe, "posgrados", Role::Solicitante, Some(dept.id));
    let new = NewUser {
        login: "intruso".into(),
        name: "Intruso".into(),
        role: Some(Role::Jefe),
        department_id: None,
    };
    for actor in [&prof, &aux, &sol] {
        let e = store
            .add_user(actor, &new, PW, PW)
            .expect_err("only the head");
        assert!(matches!(e, Error::Forbidden(_)), "{e:?}");
        assert!(e.to_string().contains("Su rol no permite"));
        assert!(matches!(
            store.reset_password(actor, jefe.user_id().expect("id"), PW, PW),
            Err(Error::Forbidden(_))
        ));
        assert!(matches!(
            store.save_settings(actor, &Settings::default()),
            Err(Error::Forbidden(_))
        ));
        assert!(matches!(
            store.audit_log(actor, 10),
            Err(Error::Forbidden(_))
        ));
    }
    // The professional manages catalogs; the agent and the requester do not.
    store
        .add_program(&prof, "Psicología", ProgramKind::Programa, Some(dept.id))
        .expect("professional adds a program");
    for actor in [&aux, &sol] {
        assert!(matches!(
            store.add_department(actor, "Otra"),
            Err(Error::Forbidden(_))
        ));
        assert!(matches!(store.users(actor), Err(Error::Forbidden(_))));
    }
    assert_eq!(
        store.user_count().expect("count"),
        4,
        "no intruder was added"
    );
}

#[test]
fn every_write_is_audited_with_its_author() {
    let store = Store::memory().expect("store");
    let jefe = head(&store);
    add(&store, &jefe, "aperez", Role::Auxiliar, None);
    let cli = Actor::cli();
    store.add_department(&cli, "Bienestar").expect("dept");
    let log = store.audit_log(&jefe, 10).expect("log");
    let actions: Vec<(&str, &str)> = log
        .iter()
        .map(|e| (e.actor.as_str(), e.action.as_str()))
        .collect();
    assert_eq!(actions[0].1, "department.add");
    assert!(actions[0].0.starts_with("cli:"), "{actions:?}");
    assert_eq!(actions[1], ("mcastro", "user.add"));
    assert_eq!(actions[2], ("mcastro", "user.first_head"));
}

#[test]
fn a_failed_write_leaves_nothing_behind() {
    let store = Store::memory().expect("store");
    let jefe = head(&store);
    // Unknown department: refused inside the transaction.
    let e = store
        .add_user(
            &jefe,
            &NewUser {
                login: "ana".into(),
                name: "Ana".into(),
                role: Some(Role::Solicitante),
                department_id: Some(999),
            },
            PW,
            PW,
        )
        .expect_err("unknown department");
    assert!(matches!(e, Error::Invalid(ref f) if f.field == "department"));
    assert_eq!(store.user_count().expect("count"), 1);
    assert_eq!(store.audit_log(&jefe, 10).expect("log").len(), 1);
}

#[test]
fn department_names_are_unique_ignoring_case_and_accents() {
    let store = Store::memory().expect("store");
    let jefe = head(&store);
    store
        .add_department(&jefe, "Facultad de Ingeniería")
        .expect("dept");
    let e = store
        .add_department(&jefe, "  facultad de  ingenieria ")
        .expect_err("duplicate");
    assert!(
        e.to_string().contains("Ya existe «Facultad de Ingeniería»"),
        "{e}"
    );
    assert_eq!(
        store
            .department_by_name("FACULTAD DE INGENIERÍA")
            .expect("find")
            .map(|d| d.name),
        Some("Facultad de Ingeniería".to_owned())
    );
}

#[test]
fn settings_round_trip_and_reject_unknown_zones() {
    let store = Store::memory().expect("store");
    let jefe = head(&store);
    assert_eq!(store.settings().expect("settings"), Settings::default());
    let s = Settings {
        time_zone: "America/Lima".into(),
        hour12: false,
        ..Settings::default()
    };
    store.save_settings(&jefe, &s).expect("save");
    assert_eq!(store.settings().expect("settings"), s);
    let bad = Settings {
        time_zone: "Bogotá".into(),
        hour12: true,
        ..Settings::default()
    };
    assert!(matches!(
        store.save_settings(&jefe, &bad),
        Err(Error::Invalid(_))
    ));
    assert_eq!(store.settings().expect("settings"), s);
}

#[test]
fn changing_ones_own_password_needs_the_current_one() {
    let store = Store::memory().expect("store");
    let jefe = head(&store);
    let aux = add(&store, &jefe, "aperez", Role::Auxiliar, None);
    match store.change_own_password(&aux, "mala", "otra-clave-1", "otra-clave-1") {
        Err(Error::Invalid(e)) => assert_eq!(e.field, "current"),
        other => panic!("{other:?}"),
    }
    store
        .change_own_password(&aux, PW, "otra-clave-1", "otra-clave-1")
        .expect("change");
    assert!(store.login("aperez", "otra-clave-1").is_ok());
    assert_eq!(refusal(store.login("aperez", PW)), Err(LoginError::Wrong));
}

#[test]
fn backup_copies_a_consistent_database() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(&Target::Sqlite(dir.path().join("a.sqlite3"))).expect("store");
    head(&store);
    let out = dir.path().join("copia.sqlite3");
    store.backup_to(&out).expect("backup");
    let copy = Store::open(&Target::Sqlite(out)).expect("open copy");
    assert_eq!(copy.user_count().expect("count"), 1);
    assert!(copy.check().expect("check").ok);
}

/// A login's refusal, if it was refused (any other failure fails the test).
fn refusal(
    r: Result<telemercadeo::domain::User, telemercadeo::store::Error>,
) -> Result<(), LoginError> {
    match r {
        Ok(_) => Ok(()),
        Err(telemercadeo::store::Error::Login(l)) => Err(l),
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn the_audit_log_and_brief_histories_join_the_users_names() {
    let store = Store::memory().expect("store");
    let jefe = head(&store);
    let cli = Actor::cli();
    let dept = store
        .add_department(&cli, "Dirección de Posgrados")
        .expect("dept");
    let sol = add(&store, &jefe, "posgrados", Role::Solicitante, Some(dept.id));
    let b = store
        .brief_create(
            &sol,
            &telemercadeo::domain::BriefForm {
                campaign_name: "Reingresos 2027-1".into(),
                ..Default::default()
            },
        )
        .expect("draft");

    let history = store.brief_history(&sol, b.id).expect("history");
    assert_eq!(history[0].actor, "posgrados", "the login stays recorded");
    assert_eq!(history[0].actor_name.as_deref(), Some("Persona posgrados"));

    let log = store.audit_log(&jefe, 50).expect("audit");
    let by = |action: &str| log.iter().find(|e| e.action == action).expect(action);
    let user_add = by("user.add");
    assert_eq!(user_add.actor, "mcastro");
    assert_eq!(user_add.actor_name.as_deref(), Some("María Castro"));
    let dept_add = by("department.add");
    assert!(dept_add.actor.starts_with("cli:"));
    assert_eq!(dept_add.actor_name, None);
    // Shown: the name, or the command line in words.
    use telemercadeo::domain::audit::who;
    assert_eq!(
        who(&user_add.actor, user_add.actor_name.as_deref()),
        "María Castro"
    );
    assert_eq!(who("cli:ana", None), "Línea de comandos (ana)");
}
