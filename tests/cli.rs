//! The command line on temporary database files: exit codes, JSON shapes, passwords.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_telemercadeo"));
    c.env_remove("TELEMERCADEO_PASSWORD")
        .env_remove("TELEMERCADEO_DB")
        .env("USER", "prueba");
    c
}

fn run(db: &Path, args: &[&str], password: Option<&str>) -> Output {
    let mut c = bin();
    c.arg("--db").arg(db).args(args);
    if let Some(pw) = password {
        c.env("TELEMERCADEO_PASSWORD", pw);
    }
    c.stdin(Stdio::null()).output().expect("run")
}

fn json(o: &Output) -> serde_json::Value {
    assert!(
        o.status.success(),
        "exit {:?}, stderr: {}",
        o.status.code(),
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).expect("stdout is one JSON value")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn user_add_list_and_passwd() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("t.sqlite3");
    let added = json(&run(
        &db,
        &[
            "user",
            "add",
            "--login",
            "mcastro",
            "--name",
            "María Castro",
            "--role",
            "jefe",
            "--json",
        ],
        Some("clave-segura-1"),
    ));
    assert_eq!(added["login"], "mcastro");
    assert!(added["id"].as_i64().expect("id") > 0);

    // A solicitante with an unknown department: the department is created, with a note.
    let o = run(
        &db,
        &[
            "user",
            "add",
            "--login",
            "posgrados",
            "--name",
            "Sandra Torres",
            "--role",
            "solicitante",
            "--department",
            "Dirección de Posgrados",
        ],
        Some("clave-segura-2"),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("Dirección de Posgrados"),
        "{}",
        stderr(&o)
    );

    let list = json(&run(&db, &["user", "list", "--json"], None));
    let list = list.as_array().expect("array");
    assert_eq!(list.len(), 2);
    let sol = list
        .iter()
        .find(|u| u["login"] == "posgrados")
        .expect("solicitante");
    assert_eq!(sol["role"], "solicitante");
    assert_eq!(sol["department"], "Dirección de Posgrados");
    assert_eq!(sol["active"], true);
    for key in ["id", "login", "name", "role", "department", "active"] {
        assert!(sol.get(key).is_some(), "{key}");
    }

    // The password from standard input, and it works afterwards.
    let mut child = bin()
        .arg("--db")
        .arg(&db)
        .args(["user", "passwd", "--login", "mcastro"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"otra-clave-9\n")
        .expect("write");
    let o = child.wait_with_output().expect("wait");
    assert!(o.status.success(), "{}", stderr(&o));
    let store = telemercadeo::store::Store::open(&telemercadeo::store::Target::Sqlite(db.clone()))
        .expect("open");
    assert!(store.login("mcastro", "otra-clave-9").is_ok());
    assert!(store.login("mcastro", "clave-segura-1").is_err());
    // Audited as the command line.
    let head = store.login("mcastro", "otra-clave-9").expect("login");
    let actor = telemercadeo::domain::Actor::User {
        id: head.id,
        login: head.login,
        role: head.role,
        department_id: None,
    };
    let log = store.audit_log(&actor, 1).expect("log");
    assert_eq!(log[0].actor, "cli:prueba");
    assert_eq!(log[0].action, "user.reset_password");
}

#[test]
fn bad_input_gets_the_right_exit_code_and_a_spanish_message() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("t.sqlite3");
    // Unknown role: usage error.
    let o = run(
        &db,
        &[
            "user", "add", "--login", "x", "--name", "X", "--role", "gerente",
        ],
        Some("clave-segura-1"),
    );
    assert_eq!(o.status.code(), Some(2));
    // No password anywhere: usage error, nothing added.
    let o = run(
        &db,
        &[
            "user", "add", "--login", "x", "--name", "X", "--role", "auxiliar",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("TELEMERCADEO_PASSWORD"));
    // Too short a password: the job fails, nothing changed.
    let o = run(
        &db,
        &[
            "user", "add", "--login", "x", "--name", "X", "--role", "auxiliar",
        ],
        Some("corta"),
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("al menos 8 caracteres"),
        "{}",
        stderr(&o)
    );
    // The same in English.
    let o = run(
        &db,
        &[
            "--lang", "en", "user", "add", "--login", "x", "--name", "X", "--role", "auxiliar",
        ],
        Some("corta"),
    );
    assert!(
        stderr(&o).contains("at least 8 characters"),
        "{}",
        stderr(&o)
    );
    // A solicitante without a department.
    let o = run(
        &db,
        &[
            "user",
            "add",
            "--login",
            "x",
            "--name",
            "X",
            "--role",
            "solicitante",
        ],
        Some("clave-segura-1"),
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("dependencia"), "{}", stderr(&o));
    // Duplicate login.
    let ok = run(
        &db,
        &[
            "user", "add", "--login", "x", "--name", "X", "--role", "auxiliar",
        ],
        Some("clave-segura-1"),
    );
    assert!(ok.status.success());
    let o = run(
        &db,
        &[
            "user", "add", "--login", "X", "--name", "Y", "--role", "auxiliar",
        ],
        Some("clave-segura-1"),
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("ya existe"), "{}", stderr(&o));
    // passwd for nobody.
    let o = run(
        &db,
        &["user", "passwd", "--login", "nadie"],
        Some("clave-segura-1"),
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("No existe el usuario"));
    let list = json(&run(&db, &["user", "list", "--json"], None));
    assert_eq!(list.as_array().expect("array").len(), 1);
}

#[test]
fn check_reports_a_sound_database_and_fails_on_a_broken_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("t.sqlite3");
    let r = json(&run(&db, &["check", "--json"], None));
    assert_eq!(r["ok"], true);
    assert_eq!(r["schema_version"], r["program_schema_version"]);
    assert_eq!(r["counts"]["users"], 0);

    // A dangling foreign key makes it unsound: exit 1.
    {
        let c = rusqlite::Connection::open(&db).expect("raw");
        c.execute_batch(
            "PRAGMA foreign_keys = OFF; INSERT INTO users (login, name, role, department_id, password_hash, created_at) VALUES ('z', 'Z', 'auxiliar', 77, 'x', 0);",
        )
        .expect("corrupt");
    }
    let o = run(&db, &["check", "--json"], None);
    assert_eq!(o.status.code(), Some(1));
    let r: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json even when unsound");
    assert_eq!(r["ok"], false);
    assert_eq!(r["foreign_key_errors"].as_array().map(Vec::len), Some(1));
}

#[test]
fn demo_fills_an_empty_database_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("demo.sqlite3");
    let o = run(&db, &["demo"], None);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    let password = out
        .lines()
        .find_map(|l| {
            l.rsplit_once(": ")
                .filter(|(a, _)| a.contains("Contraseña"))
                .map(|(_, p)| p.trim().to_owned())
        })
        .expect("the password is printed");
    let store = telemercadeo::store::Store::open(&telemercadeo::store::Target::Sqlite(db.clone()))
        .expect("open");
    let users = json(&run(&db, &["user", "list", "--json"], None));
    let roles: std::collections::BTreeSet<String> = users
        .as_array()
        .expect("array")
        .iter()
        .map(|u| u["role"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(roles.len(), 4, "every role: {roles:?}");
    for u in users.as_array().expect("array") {
        let login = u["login"].as_str().expect("login");
        assert!(
            store.login(login, &password).is_ok(),
            "{login} logs in with the demo password"
        );
    }
    assert!(store.departments().expect("depts").len() >= 5);
    assert!(store.programs().expect("programs").len() >= 10);
    // Never mixed with real data.
    let again = run(&db, &["demo"], None);
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("solo llena una base vacía"));
}

#[test]
fn a_newer_database_is_refused_with_exit_1() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("t.sqlite3");
    json(&run(&db, &["check", "--json"], None));
    {
        let c = rusqlite::Connection::open(&db).expect("raw");
        c.execute(
            "INSERT INTO schema_version (version, applied_at) VALUES (999, 0)",
            [],
        )
        .expect("bump");
    }
    let o = run(&db, &["user", "list"], None);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("versión más nueva"), "{}", stderr(&o));
}

#[test]
fn help_is_in_spanish_and_lists_the_commands() {
    let o = bin().arg("--help").output().expect("run");
    assert!(o.status.success());
    let out = String::from_utf8_lossy(&o.stdout);
    for word in ["user", "check", "demo", "--db", "--json"] {
        assert!(out.contains(word), "{word} in {out}");
    }
    assert!(out.contains("abre la ventana"));
}

#[test]
fn campaign_create_and_list() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("t.sqlite3");
    // Without --json: the new id alone on stdout; the unknown department is created with a note.
    let o = run(
        &db,
        &[
            "campaign",
            "create",
            "--name",
            "Inscripciones 2027-1",
            "--department",
            "Admisiones",
            "--kind",
            "inscripciones",
            "--start",
            "2026-12-07",
            "--end",
            "2026-12-20",
        ],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let id: i64 = String::from_utf8_lossy(&o.stdout)
        .trim()
        .parse()
        .expect("the id alone");
    assert!(stderr(&o).contains("Admisiones"));
    let created = json(&run(
        &db,
        &[
            "campaign",
            "create",
            "--name",
            "Congreso",
            "--department",
            "Admisiones",
            "--json",
        ],
        None,
    ));
    assert!(created["id"].as_i64().expect("id") > id);
    let list = json(&run(&db, &["campaign", "list", "--json"], None));
    let list = list.as_array().expect("array");
    assert_eq!(list.len(), 2);
    let c = list
        .iter()
        .find(|c| c["id"] == id)
        .expect("the first campaign");
    assert_eq!(c["name"], "Inscripciones 2027-1");
    assert_eq!(c["department"], "Admisiones");
    assert_eq!(c["kind"], "inscripciones");
    assert_eq!(c["status"], "planificada");
    assert_eq!(c["contacts"], 0);
    assert_eq!(c["start"], "2026-12-07");
    assert_eq!(c["end"], "2026-12-20");
    let other = list
        .iter()
        .find(|c| c["name"] == "Congreso")
        .expect("second");
    assert_eq!(other["kind"], "otro");
    assert!(other["start"].is_null());
    // Bad input: exit 2, or 1 with a Spanish message; nothing created.
    let o = run(
        &db,
        &[
            "campaign",
            "create",
            "--name",
            "X",
            "--department",
            "Y",
            "--kind",
            "feria",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(2));
    let o = run(
        &db,
        &[
            "campaign",
            "create",
            "--name",
            "X",
            "--department",
            "Y",
            "--start",
            "07/12/2026",
            "--end",
            "2026-12-20",
        ],
        None,
    );
    assert_eq!(
        o.status.code(),
        Some(2),
        "dates are AAAA-MM-DD on the command line"
    );
    let o = run(
        &db,
        &[
            "campaign",
            "create",
            "--name",
            "X",
            "--department",
            "Admisiones",
            "--start",
            "2026-12-20",
            "--end",
            "2026-12-07",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("anterior a la de inicio"),
        "{}",
        stderr(&o)
    );
    let list = json(&run(&db, &["campaign", "list", "--json"], None));
    assert_eq!(list.as_array().map(Vec::len), Some(2));
}

#[test]
fn demo_brings_the_outbound_flow_to_life() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("demo.sqlite3");
    let s = json(&run(&db, &["demo", "--json"], None));
    assert_eq!(s["briefs"], 7);
    assert_eq!(s["campaigns"], 2);
    let store = telemercadeo::store::Store::open(&telemercadeo::store::Target::Sqlite(db.clone()))
        .expect("open");
    let cli = telemercadeo::domain::Actor::cli();
    let briefs = store
        .briefs(&cli, &telemercadeo::domain::brief::BriefFilter::default())
        .expect("briefs");
    let statuses: std::collections::BTreeSet<&str> =
        briefs.iter().map(|b| b.status.code()).collect();
    for s in [
        "borrador",
        "enviada",
        "en_definicion",
        "asignada",
        "devuelta",
        "rechazada",
    ] {
        assert!(statuses.contains(s), "{s} in {statuses:?}");
    }
    assert!(briefs.iter().any(|b| b.is_late()), "one extemporánea");
    let campaigns = store.campaigns(&cli).expect("campaigns");
    let script = store
        .campaign_script(&cli, campaigns[0].id)
        .expect("q")
        .expect("a published script");
    assert!(!script.content.questions.is_empty(), "with a survey");
    assert!(store.check().expect("check").ok);
}

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

#[test]
fn import_optout_distribute_and_redistribute() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("t.sqlite3");
    for (login, role) in [("a1", "auxiliar"), ("a2", "auxiliar"), ("a3", "auxiliar")] {
        let o = run(
            &db,
            &[
                "user", "add", "--login", login, "--name", login, "--role", role,
            ],
            Some("clave-segura-1"),
        );
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let c = json(&run(
        &db,
        &[
            "campaign",
            "create",
            "--name",
            "Inscripciones",
            "--department",
            "Admisiones",
            "--json",
        ],
        None,
    ))["id"]
        .as_i64()
        .expect("id")
        .to_string();
    // The exclusion register first: two numbers of the file.
    let rne = dir.path().join("rne.csv");
    std::fs::write(&rne, "Numero\n302 7687469\n+57 319 225 3649\n").expect("write");
    let o = json(&run(
        &db,
        &["optout", "import", "--json", rne.to_str().expect("path")],
        None,
    ));
    assert_eq!(
        (o["rows_read"].as_i64(), o["added"].as_i64()),
        (Some(2), Some(2))
    );
    for key in ["rows_read", "added", "already", "rejected"] {
        assert!(o.get(key).is_some(), "{key}");
    }

    let r = json(&run(
        &db,
        &[
            "import",
            "--campaign",
            &c,
            "--json",
            "--origin",
            "Feria",
            "--purpose",
            "Inscripciones",
            fixture("contacts_utf8.csv").to_str().expect("path"),
        ],
        None,
    ));
    assert_eq!(r["rows_read"], 2000);
    assert_eq!(r["imported"], 1726);
    assert_eq!(r["duplicates"], 63);
    assert_eq!(r["rejected"], 209);
    assert_eq!(r["opted_out"], 2);
    assert!(r["warnings"].is_array());

    // A file that cannot be read: exit 1, a Spanish message, nothing imported.
    let o = run(
        &db,
        &[
            "import",
            "--campaign",
            &c,
            fixture("bad/truncated.xlsx").to_str().expect("path"),
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("dañado"), "{}", stderr(&o));
    // A header without rows: a warning and exit 0.
    let o = run(
        &db,
        &[
            "import",
            "--campaign",
            &c,
            "--json",
            fixture("bad/header_only.csv").to_str().expect("path"),
        ],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));

    // Weighted distribution, then moving a1's pending contacts.
    let d = json(&run(
        &db,
        &[
            "distribute",
            "--campaign",
            &c,
            "--agents",
            "a1,a2",
            "--weights",
            "60,40",
            "--order",
            "interleaved",
            "--json",
        ],
        None,
    ));
    assert_eq!(d["assigned"]["a1"], 1036);
    assert_eq!(d["assigned"]["a2"], 690);
    assert_eq!(d["unassigned"], 0);
    let m = json(&run(
        &db,
        &[
            "redistribute",
            "--campaign",
            &c,
            "--from",
            "a1",
            "--to",
            "a2,a3",
            "--json",
        ],
        None,
    ));
    let moved =
        m["assigned"]["a2"].as_i64().expect("a2") + m["assigned"]["a3"].as_i64().expect("a3");
    assert_eq!(moved, 1036);
    // a3 (empty) is filled first: both end with the same pending count (±1).
    let store = telemercadeo::store::Store::open(&telemercadeo::store::Target::Sqlite(db.clone()))
        .expect("open");
    let pending = store
        .pending_counts(c.parse().expect("id"))
        .expect("pending");
    assert_eq!(pending.get("a1"), None);
    let (a2, a3) = (pending["a2"], pending["a3"]);
    assert!((a2 - a3).abs() <= 1, "{pending:?}");
    let list = json(&run(&db, &["campaign", "list", "--json"], None));
    assert_eq!(list[0]["contacts"], 1726);
    // Distributing with nothing left does nothing, and says so in numbers.
    let again = json(&run(&db, &["distribute", "--campaign", &c, "--json"], None));
    assert_eq!(again["unassigned"], 0);
    let none: i64 = again["assigned"]
        .as_object()
        .expect("map")
        .values()
        .filter_map(serde_json::Value::as_i64)
        .sum();
    assert_eq!(none, 0);
    // Bad weights: usage or a Spanish message, exit non-zero.
    let o = run(
        &db,
        &[
            "distribute",
            "--campaign",
            &c,
            "--weights",
            "50",
            "--agents",
            "a1,a2",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("uno por auxiliar"), "{}", stderr(&o));
}

#[test]
fn holidays_lists_the_year_as_the_program_applies_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("t.sqlite3");
    let list = json(&run(&db, &["holidays", "--year", "2026", "--json"], None));
    let list = list.as_array().expect("an array");
    assert_eq!(list.len(), 18, "{list:?}");
    assert_eq!(
        list[0],
        serde_json::json!({"date": "2026-01-01", "name": "Año Nuevo"})
    );
    assert_eq!(
        list[1],
        serde_json::json!({"date": "2026-01-12", "name": "Día de los Reyes Magos"})
    );
    let dates: Vec<&str> = list.iter().filter_map(|h| h["date"].as_str()).collect();
    assert!(dates.contains(&"2026-04-03"), "Viernes Santo");
    assert!(
        !dates.contains(&"2026-07-13"),
        "Chiquinquirá is not a holiday by default"
    );

    // The readable list, in Spanish.
    let o = run(&db, &["holidays", "--year", "2026"], None);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("18 días"), "{text}");
    assert!(text.contains("lunes"), "{text}");
    assert!(
        text.contains("12/01/2026  Día de los Reyes Magos"),
        "{text}"
    );

    // Edits in the settings are applied: a day added, a day removed.
    {
        let store =
            telemercadeo::store::Store::open(&telemercadeo::store::Target::Sqlite(db.clone()))
                .expect("open");
        let mut s = store.settings().expect("settings");
        s.holidays.added.push((
            chrono::NaiveDate::from_ymd_opt(2026, 7, 13).expect("date"),
            "Nuestra Señora del Rosario de Chiquinquirá".into(),
        ));
        s.holidays
            .removed
            .push(chrono::NaiveDate::from_ymd_opt(2026, 1, 12).expect("date"));
        store
            .save_settings(&telemercadeo::domain::Actor::cli(), &s)
            .expect("save");
    }
    let list = json(&run(&db, &["holidays", "--year", "2026", "--json"], None));
    let list = list.as_array().expect("an array");
    assert_eq!(list.len(), 18);
    assert!(list.iter().all(|h| h["date"] != "2026-01-12"));
    assert!(list.contains(&serde_json::json!({
        "date": "2026-07-13", "name": "Nuestra Señora del Rosario de Chiquinquirá"
    })));
    // Another year is untouched by 2026's edits.
    let list = json(&run(&db, &["holidays", "--year", "2027", "--json"], None));
    assert_eq!(list.as_array().expect("array").len(), 18);

    // A year the Gregorian computus does not cover is a usage error.
    let o = run(&db, &["holidays", "--year", "1200"], None);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

#[test]
fn output_piped_into_a_reader_that_stops_early_ends_quietly() {
    // `telemercadeo user list | head -1`: the reader closes the pipe; no panic, exit 0.
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("t.sqlite3");
    let mut child = bin()
        .arg("--db")
        .arg(&db)
        .args(["holidays", "--year", "2026"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(0), "{stderr}");
}

/// A campaign from the command line with `n` contacts dealt to the auxiliares `a1` and `a2`,
/// its script published (through the library: the command line has no script editor).
fn campaign_ready(db: &Path, n: usize) -> String {
    for login in ["a1", "a2"] {
        let o = run(
            db,
            &[
                "user", "add", "--login", login, "--name", login, "--role", "auxiliar",
            ],
            Some("clave-segura-1"),
        );
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let c = json(&run(
        db,
        &[
            "campaign",
            "create",
            "--name",
            "Reingresos",
            "--department",
            "Admisiones",
            "--json",
        ],
        None,
    ))["id"]
        .as_i64()
        .expect("id");
    let file = db.with_extension("csv");
    let mut text = String::from("Nombre,Celular\n");
    for i in 0..n {
        text.push_str(&format!("Persona {i},300 555 {:04}\n", 1000 + i));
    }
    std::fs::write(&file, text).expect("write");
    let r = json(&run(
        db,
        &[
            "import",
            "--campaign",
            &c.to_string(),
            "--json",
            file.to_str().expect("path"),
        ],
        None,
    ));
    assert_eq!(r["imported"], n as i64);
    let store =
        telemercadeo::store::Store::open(&telemercadeo::store::Target::Sqlite(db.to_path_buf()))
            .expect("open");
    let cli = telemercadeo::domain::Actor::cli();
    let campaign = store.campaign(&cli, c).expect("campaign");
    let draft = store
        .script_of_brief(&cli, campaign.brief_id.expect("brief"))
        .expect("script")
        .expect("a script");
    let mut content = draft.content.clone();
    for s in content.sections.iter_mut().skip(1) {
        s.text = "Buenos días, {nombre}.".into();
    }
    store
        .script_publish(&cli, draft.id, &content)
        .expect("published");
    c.to_string()
}

#[test]
fn campaign_start_pause_close_follow_the_window_rules() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("t.sqlite3");
    let c = campaign_ready(&db, 4);
    // Not distributed yet: exit 1, the reason in words, nothing changed.
    let o = run(
        &db,
        &["campaign", "start", "--campaign", &c, "--json"],
        None,
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
    assert!(stderr(&o).contains("sin auxiliar"), "{}", stderr(&o));
    let list = json(&run(&db, &["campaign", "list", "--json"], None));
    assert_eq!(list[0]["status"], "planificada");

    json(&run(&db, &["distribute", "--campaign", &c, "--json"], None));
    let s = json(&run(
        &db,
        &["campaign", "start", "--campaign", &c, "--json"],
        None,
    ));
    assert_eq!(s["status"], "activa");
    assert_eq!(s["id"].to_string(), c);
    let s = json(&run(
        &db,
        &["campaign", "pause", "--campaign", &c, "--json"],
        None,
    ));
    assert_eq!(s["status"], "pausada");
    // Without --json: one line in words.
    let o = run(&db, &["campaign", "start", "--campaign", &c], None);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("Activa"));
    let s = json(&run(
        &db,
        &["campaign", "close", "--campaign", &c, "--json"],
        None,
    ));
    assert_eq!(s["status"], "cerrada");
    // A closed campaign does not start again; an unknown one is an error too.
    let o = run(&db, &["campaign", "start", "--campaign", &c], None);
    assert_eq!(o.status.code(), Some(1));
    let o = run(&db, &["campaign", "pause", "--campaign", "999"], None);
    assert_eq!(o.status.code(), Some(1));
}

/// UTC seconds of a Bogotá local time (UTC−5, no daylight saving).
fn bogota(y: i32, m: u32, d: u32, h: u32) -> i64 {
    chrono::NaiveDate::from_ymd_opt(y, m, d)
        .and_then(|d| d.and_hms_opt(h, 0, 0))
        .expect("date")
        .and_utc()
        .timestamp()
        + 5 * 3600
}

#[test]
fn call_next_follows_the_queue_order_and_the_calling_windows() {
    use std::sync::Arc;
    use telemercadeo::domain::call::{Next, NoCallReason};
    use telemercadeo::domain::{Actor, TestClock};
    use telemercadeo::store::calls::Outcome;
    use telemercadeo::store::{Error, Store, Target};

    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("t.sqlite3");
    let c = campaign_ready(&db, 4);
    json(&run(
        &db,
        &["distribute", "--campaign", &c, "--agents", "a1", "--json"],
        None,
    ));
    let cid: i64 = c.parse().expect("id");
    // A campaign that is not active offers nothing: exit 1.
    let o = run(
        &db,
        &["call", "next", "--campaign", &c, "--agent", "a1", "--json"],
        None,
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    json(&run(
        &db,
        &["campaign", "start", "--campaign", &c, "--json"],
        None,
    ));

    // Tuesday 1 December 2026, 10:00 in Bogotá.
    let clock = TestClock::at(bogota(2026, 12, 1, 10));
    let store =
        Store::open_with_clock(&Target::Sqlite(db.clone()), Arc::new(clock.clone())).expect("open");
    let cli = Actor::cli();
    let sql = rusqlite::Connection::open(&db).expect("sql");
    let next = |login: &str| store.call_next(&cli, cid, login).expect("next");
    let id_of = |n: Next| match n {
        Next::Contact(c) => c.contact_id,
        other => panic!("{other:?}"),
    };
    let ids: Vec<i64> = {
        let mut st = sql
            .prepare("SELECT id FROM campaign_contacts WHERE campaign_id = ?1 ORDER BY id")
            .expect("prepare");
        st.query_map([cid], |r| r.get(0))
            .expect("query")
            .collect::<Result<_, _>>()
            .expect("ids")
    };
    // Outcomes through the store, as `call record` writes them.
    let record = |id: i64, outcome: &str, callback_at: Option<i64>| {
        store
            .call_record(
                &cli,
                "a1",
                cid,
                id,
                &Outcome {
                    key_or_code: outcome,
                    callback_at,
                    ..Outcome::default()
                },
            )
            .expect("recorded")
    };

    // File order first; asking again before an outcome gives the same contact.
    let first = next("a1");
    match &first {
        Next::Contact(k) => {
            assert_eq!(k.contact_id, ids[0]);
            assert_eq!(k.name, "Persona 0");
            assert_eq!(k.phone, "+573005551000");
            assert_eq!((k.attempts, k.callback), (0, false));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(id_of(next("a1")), ids[0]);
    // Another agent never gets a1's contacts.
    assert!(matches!(
        next("a2"),
        Next::Nothing {
            reason: NoCallReason::ColaVacia,
            ..
        }
    ));
    let now = store.now();
    record(ids[0], "no_contesta", None);
    // A due callback comes before contacts never attempted.
    record(ids[3], "volver_a_llamar", Some(now + 60));
    clock.advance(60);
    let got = next("a1");
    assert!(matches!(&got, Next::Contact(k) if k.contact_id == ids[3] && k.callback));
    record(ids[3], "interesado", None);
    assert_eq!(id_of(next("a1")), ids[1]);
    record(ids[1], "volver_a_llamar", Some(now + 3600));
    assert_eq!(id_of(next("a1")), ids[2]);
    record(ids[2], "1", None);
    // Nothing due: the queue is empty until the callback at 11:00.
    match next("a1") {
        Next::Nothing {
            reason: NoCallReason::ColaVacia,
            next_window,
            ..
        } => assert_eq!(next_window, Some(now + 3600)),
        other => panic!("{other:?}"),
    }
    clock.advance(3600);
    assert!(matches!(next("a1"), Next::Contact(k) if k.contact_id == ids[1] && k.callback));
    record(ids[1], "interesado", None);
    // The retry once min_hours_between has passed (14:00), not before.
    assert!(matches!(
        next("a1"),
        Next::Nothing {
            reason: NoCallReason::ColaVacia,
            ..
        }
    ));
    clock.advance(3 * 3600);
    assert!(matches!(next("a1"), Next::Contact(k) if k.contact_id == ids[0] && k.attempts == 1));
    // Attempts spent: never offered again.
    record(ids[0], "no_contesta", None);
    sql.execute(
        "UPDATE campaign_contacts SET attempts = 5, next_call_at = ?2 WHERE id = ?1",
        rusqlite::params![ids[0], store.now() - 1],
    )
    .expect("spent");
    assert!(matches!(
        next("a1"),
        Next::Nothing {
            reason: NoCallReason::ColaVacia,
            ..
        }
    ));

    // Outside the windows: a Tuesday evening, a Sunday (reported as fuera_de_horario), a holiday.
    for (at, reason, resume) in [
        (
            bogota(2026, 12, 1, 20),
            NoCallReason::FueraDeHorario,
            bogota(2026, 12, 2, 7),
        ),
        (
            bogota(2026, 12, 6, 10),
            NoCallReason::FueraDeHorario,
            bogota(2026, 12, 7, 7),
        ),
        (
            bogota(2026, 12, 8, 10),
            NoCallReason::Festivo,
            bogota(2026, 12, 9, 7),
        ),
    ] {
        clock.set(at);
        match next("a1") {
            Next::Nothing {
                reason: r,
                next_window,
                ..
            } => assert_eq!((r, next_window), (reason, Some(resume))),
            other => panic!("{other:?}"),
        }
    }

    // A deactivated agent, an unknown login: refused.
    clock.set(bogota(2026, 12, 1, 10));
    let a2 = store.user_by_login("a2").expect("read").expect("a2");
    store
        .set_user_active(&cli, a2.id, false)
        .expect("deactivated");
    assert!(matches!(
        store.call_next(&cli, cid, "a2"),
        Err(Error::Conflict(_))
    ));
    assert!(matches!(
        store.call_next(&cli, cid, "nadie"),
        Err(Error::Conflict(_))
    ));
    // Audited as the command line acting for the agent.
    let audited: i64 = sql
        .query_row(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'call.next' AND actor LIKE 'cli:%' AND detail = 'a1'",
            [],
            |r| r.get(0),
        )
        .expect("audit");
    assert!(audited >= 4, "{audited}");

    // The command line, at the machine's time: a contact, or exit 3 with the reason; the
    // queue is empty now, so a time inside the windows gives cola_vacia.
    let o = run(
        &db,
        &["call", "next", "--campaign", &c, "--agent", "a1", "--json"],
        None,
    );
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("one JSON value");
    assert!(
        ["fuera_de_horario", "festivo", "cola_vacia"]
            .contains(&v["reason"].as_str().expect("reason")),
        "{v}"
    );
    assert!(v.get("next_window").is_some(), "{v}");
    assert!(!stderr(&o).is_empty());
    let o = run(
        &db,
        &["call", "next", "--campaign", &c, "--agent", "nadie"],
        None,
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
}

#[test]
fn call_record_saves_the_attempt_and_moves_the_contact_on() {
    use std::sync::Arc;
    use telemercadeo::domain::call::Next;
    use telemercadeo::domain::contact::ContactStatus;
    use telemercadeo::domain::{Actor, TestClock};
    use telemercadeo::store::calls::Outcome;
    use telemercadeo::store::{Error, Store, Target};

    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("t.sqlite3");
    let c = campaign_ready(&db, 4);
    json(&run(
        &db,
        &["distribute", "--campaign", &c, "--agents", "a1", "--json"],
        None,
    ));
    json(&run(
        &db,
        &["campaign", "start", "--campaign", &c, "--json"],
        None,
    ));
    let cid: i64 = c.parse().expect("id");
    let clock = TestClock::at(bogota(2026, 12, 1, 10));
    let store =
        Store::open_with_clock(&Target::Sqlite(db.clone()), Arc::new(clock.clone())).expect("open");
    let cli = Actor::cli();
    let sql = rusqlite::Connection::open(&db).expect("sql");
    let next = || match store.call_next(&cli, cid, "a1").expect("next") {
        Next::Contact(k) => Some(k),
        Next::Nothing { .. } => None,
    };
    let record = |login: &str, id: i64, outcome: &str, callback_at: Option<i64>| {
        store.call_record(
            &cli,
            login,
            cid,
            id,
            &Outcome {
                key_or_code: outcome,
                notes: "nota",
                callback_at,
                duration_secs: 42,
                ..Outcome::default()
            },
        )
    };
    let counted = |id: i64| -> (i64, i64) {
        let attempts: i64 = sql
            .query_row(
                "SELECT COUNT(*) FROM call_attempts WHERE contact_id = ?1",
                [id],
                |r| r.get(0),
            )
            .expect("count");
        let on_contact: i64 = sql
            .query_row(
                "SELECT attempts FROM campaign_contacts WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .expect("attempts");
        (attempts, on_contact)
    };

    // Record, then `call next` gives the next contact; the claim is released.
    let first = next().expect("a contact");
    let r = record("a1", first.contact_id, "4", None).expect("recorded");
    assert_eq!((r.status, r.attempts), (ContactStatus::Pendiente, 1));
    assert_eq!(r.next_call_at, Some(store.now() + 4 * 3600));
    assert_eq!(&r.attempt_uuid[14..15], "7", "UUID v7: {}", r.attempt_uuid);
    let second = next().expect("the next contact");
    assert_ne!(second.contact_id, first.contact_id);
    let (phone, agent, script_version, duration, notes): (String, i64, Option<i64>, i64, String) =
        sql.query_row(
            "SELECT phone, agent_id, script_version_id, duration_secs, notes FROM call_attempts WHERE uuid = ?1",
            [&r.attempt_uuid],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?)),
        )
        .expect("attempt");
    assert_eq!(
        (phone.as_str(), duration, notes.as_str()),
        (first.phone.as_str(), 42, "nota")
    );
    assert!(script_version.is_some(), "the published script version");
    let a1: i64 = sql
        .query_row("SELECT id FROM users WHERE login = 'a1'", [], |r| r.get(0))
        .expect("a1");
    assert_eq!(agent, a1);
    let (claimed, owner, last_at): (Option<i64>, Option<i64>, Option<i64>) = sql
        .query_row(
            "SELECT claimed_by, agent_id, last_attempt_at FROM campaign_contacts WHERE id = ?1",
            [first.contact_id],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
        .expect("contact");
    assert_eq!(
        (claimed, owner, last_at),
        (None, Some(a1), Some(store.now()))
    );

    // Refused, nothing written: another agent's contact, an outcome not in the campaign, a
    // callback without its time or in the past.
    assert!(matches!(
        record("a2", second.contact_id, "4", None),
        Err(Error::Conflict(_))
    ));
    for (outcome, at) in [
        ("nada", None),
        ("volver_a_llamar", None),
        ("volver_a_llamar", Some(store.now() - 60)),
        ("no_contesta", Some(store.now() + 60)),
    ] {
        assert!(
            matches!(
                record("a1", second.contact_id, outcome, at),
                Err(Error::Conflict(_))
            ),
            "{outcome}"
        );
    }
    assert_eq!(counted(second.contact_id), (0, 0));

    // A callback comes back when due (clock moved), before contacts never attempted.
    let at = store.now() + 2 * 3600;
    let r = record("a1", second.contact_id, "volver_a_llamar", Some(at)).expect("callback");
    assert_eq!(
        (r.status, r.next_call_at),
        (ContactStatus::Agendado, Some(at))
    );
    let third = next().expect("a third contact");
    assert!(third.contact_id != second.contact_id && !third.callback);
    record("a1", third.contact_id, "interesado", None).expect("closed");
    clock.advance(2 * 3600);
    let back = next().expect("the callback");
    assert_eq!((back.contact_id, back.callback), (second.contact_id, true));
    // The best outcome stays the better one; the last is the last.
    record("a1", second.contact_id, "no_contesta", None).expect("recorded");
    let (best, last): (String, String) = sql
        .query_row(
            "SELECT b.code, l.code FROM campaign_contacts c JOIN dispositions b ON b.id = c.best_disposition_id JOIN dispositions l ON l.id = c.last_disposition_id WHERE c.id = ?1",
            [second.contact_id],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .expect("best");
    assert_eq!(
        (best.as_str(), last.as_str()),
        ("volver_a_llamar", "no_contesta")
    );
    assert_eq!(counted(second.contact_id), (2, 2));

    // max_attempts (5) closes the contact; a closed contact takes no more outcomes.
    for n in 2..=5 {
        let r = record("a1", first.contact_id, "ocupado", None).expect("recorded");
        assert_eq!(r.attempts, n);
        let closed = n == 5;
        assert_eq!(r.status == ContactStatus::Cerrado, closed, "{n}");
        assert_eq!(r.next_call_at.is_none(), closed);
    }
    assert_eq!(counted(first.contact_id), (5, 5));
    assert!(matches!(
        record("a1", first.contact_id, "ocupado", None),
        Err(Error::Conflict(_))
    ));

    // A wrong number moves the contact to its alternate phone, to be called at once.
    let fourth = next().expect("the fourth contact");
    sql.execute(
        "UPDATE campaign_contacts SET alt_phones = '+573005559999' WHERE id = ?1",
        [fourth.contact_id],
    )
    .expect("alternate");
    let r = record("a1", fourth.contact_id, "numero_errado", None).expect("recorded");
    assert_eq!(
        (r.status, r.next_call_at),
        (ContactStatus::Pendiente, Some(store.now()))
    );
    let (phone, alts): (String, String) = sql
        .query_row(
            "SELECT phone, alt_phones FROM campaign_contacts WHERE id = ?1",
            [fourth.contact_id],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .expect("phones");
    assert_eq!((phone.as_str(), alts.as_str()), ("+573005559999", ""));
    let again = next().expect("the alternate");
    assert_eq!(
        (again.contact_id, again.phone.as_str()),
        (fourth.contact_id, "+573005559999")
    );
    // No alternate left: closed.
    let r = record("a1", fourth.contact_id, "numero_errado", None).expect("recorded");
    assert_eq!(r.status, ContactStatus::Cerrado);
    let dialled: Vec<String> = {
        let mut st = sql
            .prepare("SELECT phone FROM call_attempts WHERE contact_id = ?1 ORDER BY id")
            .expect("prepare");
        st.query_map([fourth.contact_id], |r| r.get(0))
            .expect("query")
            .collect::<Result<_, _>>()
            .expect("phones")
    };
    assert_eq!(dialled, [fourth.phone.clone(), "+573005559999".to_owned()]);

    // A deactivated agent is refused.
    let a1_user = store.user_by_login("a1").expect("read").expect("a1");
    store
        .set_user_active(&cli, a1_user.id, false)
        .expect("deactivated");
    assert!(matches!(
        record("a1", fourth.contact_id, "4", None),
        Err(Error::Conflict(_))
    ));
    let audited: i64 = sql
        .query_row(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'call.record' AND actor LIKE 'cli:%'",
            [],
            |r| r.get(0),
        )
        .expect("audit");
    let saved: i64 = sql
        .query_row("SELECT COUNT(*) FROM call_attempts", [], |r| r.get(0))
        .expect("count");
    assert_eq!((audited, saved), (10, 10));
}

#[test]
fn call_record_opt_out_registers_every_phone_and_closes_the_person_everywhere() {
    use std::sync::Arc;
    use telemercadeo::domain::call::Next;
    use telemercadeo::domain::contact::ContactStatus;
    use telemercadeo::domain::{Actor, TestClock};
    use telemercadeo::store::calls::Outcome;
    use telemercadeo::store::{Store, Target};

    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("t.sqlite3");
    // The same two people in two campaigns (the second imports the same file).
    let c1 = campaign_ready(&db, 2);
    let c2 = json(&run(
        &db,
        &[
            "campaign",
            "create",
            "--name",
            "Otra",
            "--department",
            "Admisiones",
            "--json",
        ],
        None,
    ))["id"]
        .as_i64()
        .expect("id")
        .to_string();
    let file = db.with_extension("csv");
    let r = json(&run(
        &db,
        &[
            "import",
            "--campaign",
            &c2,
            "--json",
            file.to_str().expect("path"),
        ],
        None,
    ));
    assert_eq!(r["imported"], 2);
    let cli = Actor::cli();
    {
        let store = Store::open(&Target::Sqlite(db.clone())).expect("open");
        let campaign = store
            .campaign(&cli, c2.parse().expect("id"))
            .expect("campaign");
        let draft = store
            .script_of_brief(&cli, campaign.brief_id.expect("brief"))
            .expect("script")
            .expect("a script");
        let mut content = draft.content.clone();
        for s in content.sections.iter_mut().skip(1) {
            s.text = "Buenos días, {nombre}.".into();
        }
        store
            .script_publish(&cli, draft.id, &content)
            .expect("published");
    }
    for c in [&c1, &c2] {
        json(&run(
            &db,
            &["distribute", "--campaign", c, "--agents", "a1", "--json"],
            None,
        ));
        json(&run(
            &db,
            &["campaign", "start", "--campaign", c, "--json"],
            None,
        ));
    }
    let (c1, c2): (i64, i64) = (c1.parse().expect("id"), c2.parse().expect("id"));
    let clock = TestClock::at(bogota(2026, 12, 1, 10));
    let store =
        Store::open_with_clock(&Target::Sqlite(db.clone()), Arc::new(clock.clone())).expect("open");
    let sql = rusqlite::Connection::open(&db).expect("sql");
    let next = |c: i64| match store.call_next(&cli, c, "a1").expect("next") {
        Next::Contact(k) => Some(k),
        Next::Nothing { .. } => None,
    };

    // The person has one more phone on record and an alternate on the contact.
    let first = next(c1).expect("a contact");
    let person: i64 = sql
        .query_row(
            "SELECT person_id FROM campaign_contacts WHERE id = ?1",
            [first.contact_id],
            |r| r.get(0),
        )
        .expect("person");
    let people: i64 = sql
        .query_row(
            "SELECT COUNT(DISTINCT person_id) FROM campaign_contacts",
            [],
            |r| r.get(0),
        )
        .expect("people");
    assert_eq!(people, 2, "one person per phone across both campaigns");
    sql.execute(
        "INSERT INTO person_phone_keys (e164, person_id) VALUES (573005558888, ?1)",
        [person],
    )
    .expect("another phone");
    sql.execute(
        "UPDATE campaign_contacts SET alt_phones = '+573005559999' WHERE id = ?1",
        [first.contact_id],
    )
    .expect("alternate");
    // The other campaign had already handed this person to the agent (claimed).
    let other = next(c2).expect("the same person in the other campaign");
    assert_eq!(other.phone, first.phone);

    let r = store
        .call_record(
            &cli,
            "a1",
            c1,
            first.contact_id,
            &Outcome {
                key_or_code: "0",
                ..Outcome::default()
            },
        )
        .expect("opt-out recorded");
    assert_eq!(r.status, ContactStatus::Cerrado);

    // The register holds each phone, as the call wrote it.
    let mut want = [
        first.phone.clone(),
        "+573005558888".to_owned(),
        "+573005559999".to_owned(),
    ];
    want.sort();
    let got: Vec<(String, String, String, i64)> = {
        let mut st = sql
            .prepare(
                "SELECT phone_e164, source, added_by, added_at FROM optout ORDER BY phone_e164",
            )
            .expect("prepare");
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .expect("query")
            .collect::<Result<_, _>>()
            .expect("rows")
    };
    let now = store.now();
    assert_eq!(
        got,
        want.iter()
            .map(|p| (p.clone(), "llamada".to_owned(), "a1".to_owned(), now))
            .collect::<Vec<_>>()
    );
    let hash: String = sql
        .query_row(
            "SELECT phone_hash FROM optout WHERE phone_e164 = ?1",
            [&first.phone],
            |r| r.get(0),
        )
        .expect("hash");
    let n: u64 = first.phone[1..].parse().expect("e164");
    assert_eq!(hash, telemercadeo::store::contacts::phone_hash(n));

    // Every contact of that person is closed and released, in every campaign.
    let open: i64 = sql
        .query_row(
            "SELECT COUNT(*) FROM campaign_contacts WHERE person_id = ?1 AND (status <> 'cerrado' OR claimed_by IS NOT NULL)",
            [person],
            |r| r.get(0),
        )
        .expect("open");
    assert_eq!(open, 0);
    // The other campaign no longer offers them; the other person is still there.
    let then = next(c2).expect("the other person");
    assert_ne!(then.phone, first.phone);
    assert_ne!(then.contact_id, other.contact_id);
    let attempts: i64 = sql
        .query_row("SELECT COUNT(*) FROM call_attempts", [], |r| r.get(0))
        .expect("attempts");
    assert_eq!(attempts, 1);

    // A later import honours it.
    let c3 = json(&run(
        &db,
        &[
            "campaign",
            "create",
            "--name",
            "Tercera",
            "--department",
            "Admisiones",
            "--json",
        ],
        None,
    ))["id"]
        .as_i64()
        .expect("id")
        .to_string();
    let r = json(&run(
        &db,
        &[
            "import",
            "--campaign",
            &c3,
            "--json",
            file.to_str().expect("path"),
        ],
        None,
    ));
    assert_eq!(
        (r["imported"].as_i64(), r["opted_out"].as_i64()),
        (Some(1), Some(1))
    );
}

#[test]
fn call_record_prints_the_attempt() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("t.sqlite3");
    let c = campaign_ready(&db, 2);
    json(&run(
        &db,
        &["distribute", "--campaign", &c, "--agents", "a1", "--json"],
        None,
    ));
    let sql = rusqlite::Connection::open(&db).expect("sql");
    let id: i64 = sql
        .query_row(
            "SELECT MIN(id) FROM campaign_contacts WHERE campaign_id = ?1",
            [&c],
            |r| r.get(0),
        )
        .expect("id");
    let id = id.to_string();
    let rec = |agent: &str, extra: &[&str]| {
        let mut args = vec![
            "call",
            "record",
            "--campaign",
            &c,
            "--agent",
            agent,
            "--contact",
            &id,
            "--json",
        ];
        args.extend_from_slice(extra);
        run(&db, &args, None)
    };
    // Refused in words, exit 1: an unknown outcome, a callback outcome without its time,
    // another agent's contact. A malformed time: exit 2.
    for (agent, extra) in [
        ("a1", &["--outcome", "nada"][..]),
        ("a1", &["--outcome", "3"][..]),
        ("a2", &["--outcome", "4"][..]),
    ] {
        let o = rec(agent, extra);
        assert_eq!(o.status.code(), Some(1), "{extra:?}: {}", stderr(&o));
        assert!(!stderr(&o).is_empty());
        assert!(o.stdout.is_empty());
    }
    let o = rec("a1", &["--outcome", "3", "--callback", "mañana"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    // A callback by its digit key, far in the future.
    let v = json(&rec(
        "a1",
        &[
            "--outcome",
            "3",
            "--callback",
            "2099-01-05 10:30",
            "--notes",
            "tarde",
        ],
    ));
    for key in [
        "attempt_uuid",
        "contact_id",
        "status",
        "attempts",
        "next_call_at",
    ] {
        assert!(v.get(key).is_some(), "{key}: {v}");
    }
    assert_eq!(v["status"], "agendado");
    assert_eq!(v["attempts"], 1);
    assert_eq!(v["contact_id"].to_string(), id);
    assert_eq!(v["next_call_at"], "2099-01-05T10:30:00-05:00");
    // By its code; then a final outcome closes it.
    let v = json(&rec("a1", &["--outcome", "interesado"]));
    assert_eq!(
        (v["status"].as_str(), v["attempts"].as_i64()),
        (Some("cerrado"), Some(2))
    );
    assert!(v["next_call_at"].is_null());
    let n: i64 = sql
        .query_row("SELECT COUNT(*) FROM call_attempts", [], |r| r.get(0))
        .expect("count");
    assert_eq!(n, 2);
}

#[test]
fn call_next_prints_the_contact() {
    // A calling window open every day and no holiday, so the machine's time is inside it.
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("t.sqlite3");
    let c = campaign_ready(&db, 2);
    json(&run(&db, &["distribute", "--campaign", &c, "--json"], None));
    json(&run(
        &db,
        &["campaign", "start", "--campaign", &c, "--json"],
        None,
    ));
    let sql = rusqlite::Connection::open(&db).expect("sql");
    let all_week = "mon 00:00-23:59, tue 00:00-23:59, wed 00:00-23:59, thu 00:00-23:59, fri 00:00-23:59, sat 00:00-23:59, sun 00:00-23:59";
    sql.execute(
        "INSERT INTO settings (key, value) VALUES ('call_windows', ?1) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [all_week],
    )
    .expect("windows");
    let o = run(
        &db,
        &["call", "next", "--campaign", &c, "--agent", "a1", "--json"],
        None,
    );
    if o.status.code() == Some(3) {
        // A public holiday today (or the last minute of the day): the reason, as JSON.
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
        assert!(v["reason"].is_string(), "{v}");
        return;
    }
    let v = json(&o);
    for key in [
        "contact_id",
        "name",
        "phone",
        "alt_phones",
        "email",
        "attempts",
        "callback",
    ] {
        assert!(v.get(key).is_some(), "{key}: {v}");
    }
    assert_eq!(v["attempts"], 0);
}

#[test]
fn a_claim_expires_so_a_crashed_desk_frees_its_contact() {
    use std::sync::Arc;
    use telemercadeo::domain::call::{CLAIM_TTL_SECS, Next};
    use telemercadeo::domain::{Actor, TestClock};
    use telemercadeo::store::calls::Outcome;
    use telemercadeo::store::{Error, Store, Target};

    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("t.sqlite3");
    let c = campaign_ready(&db, 1);
    let cid: i64 = c.parse().expect("id");
    let sql = rusqlite::Connection::open(&db).expect("sql");
    sql.execute(
        "UPDATE campaigns SET distribution_mode = 'cola_compartida' WHERE id = ?1",
        [cid],
    )
    .expect("shared queue");
    json(&run(
        &db,
        &["campaign", "start", "--campaign", &c, "--json"],
        None,
    ));
    // Tuesday 1 December 2026, 10:00 in Bogotá.
    let clock = TestClock::at(bogota(2026, 12, 1, 10));
    let store =
        Store::open_with_clock(&Target::Sqlite(db.clone()), Arc::new(clock.clone())).expect("open");
    let cli = Actor::cli();
    let next = |login: &str| store.call_next(&cli, cid, login).expect("next");
    let record = |login: &str, id: i64| {
        store.call_record(
            &cli,
            login,
            cid,
            id,
            &Outcome {
                key_or_code: "no_contesta",
                ..Outcome::default()
            },
        )
    };

    // a1 claims the only contact; a2 gets nothing while the claim lasts (15 minutes).
    let Next::Contact(k) = next("a1") else {
        panic!("a1 gets the contact")
    };
    let id = k.contact_id;
    clock.advance(CLAIM_TTL_SECS);
    assert!(matches!(next("a2"), Next::Nothing { .. }));
    assert!(matches!(record("a2", id), Err(Error::Conflict(_))));
    // a1's own claim, expired but not taken since, is still a1's to ask for again.
    clock.advance(60);
    assert!(matches!(next("a1"), Next::Contact(k) if k.contact_id == id));
    // a1's desk crashes: 16 minutes later a2 gets the contact, and a1 may no longer record it.
    clock.advance(16 * 60);
    assert!(matches!(next("a2"), Next::Contact(k) if k.contact_id == id));
    let claimed: (i64, i64) = sql
        .query_row(
            "SELECT c.claimed_by, c.claimed_at FROM campaign_contacts c JOIN users u ON u.id = c.claimed_by WHERE c.id = ?1 AND u.login = 'a2'",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("a2 holds it");
    assert_eq!(claimed.1, store.now());
    assert!(matches!(record("a1", id), Err(Error::Conflict(_))));
    // a2's own claim, expired and nobody took it since: a2 still records it.
    clock.advance(20 * 60);
    record("a2", id).expect("a2 records its expired claim");
}
