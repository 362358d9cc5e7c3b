//! Reads never take the write lock: while another connection holds the database's write lock,
//! every getter a tab uses on load still answers (from the read-only reader connection), and
//! a write fails as `Busy`. `check` reads a database without changing a byte of it.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use sha2::{Digest, Sha256};
use telemercadeo::domain::brief::BriefFilter;
use telemercadeo::domain::contact::ContactFilter;
use telemercadeo::domain::distribution::DistributionPlan;
use telemercadeo::domain::{Actor, Role};
use telemercadeo::store::{Error, Store, Target, db, migrate};

fn actor_of(store: &Store, login: &str) -> Actor {
    let u = store
        .user_by_login(login)
        .expect("user by login")
        .expect("demo user");
    Actor::User {
        id: u.id,
        login: u.login,
        role: u.role,
        department_id: u.department_id,
    }
}

fn sha256(path: &Path) -> Vec<u8> {
    Sha256::digest(std::fs::read(path).expect("read file")).to_vec()
}

#[test]
fn every_getter_answers_while_another_connection_holds_the_write_lock() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("reads.sqlite3");
    let store = Store::open(&Target::Sqlite(path.clone())).expect("open");
    let summary = telemercadeo::demo::fill(&store, &Actor::cli()).expect("demo");
    let login_of = |role: Role| {
        summary
            .users
            .iter()
            .find(|(_, r)| *r == role)
            .map(|(l, _)| l.clone())
            .expect("a demo user of the role")
    };
    let head = actor_of(&store, &login_of(Role::Jefe));
    let prof = actor_of(&store, &login_of(Role::Profesional));

    // What the tabs show, read before the lock.
    let briefs = store
        .briefs(&head, &BriefFilter::default())
        .expect("briefs");
    let campaigns = store.campaigns(&head).expect("campaigns");
    let campaign = campaigns
        .iter()
        .find(|c| c.contacts > 0)
        .expect("a campaign with contacts")
        .clone();
    let brief_id = campaign.brief_id.expect("the campaign's brief");
    let script = store
        .script_of_brief(&prof, brief_id)
        .expect("script")
        .expect("the demo wrote a script");
    let count = store
        .contacts_count(campaign.id, &ContactFilter::default())
        .expect("count");
    let audit = store.audit_log(&head, 50).expect("audit");
    assert!(count > 0 && !briefs.is_empty() && !audit.is_empty());

    // Another desk (or an import) holds the write lock, with a change not yet committed.
    let other = rusqlite::Connection::open(&path).expect("second connection");
    other
        .execute_batch(
            "BEGIN IMMEDIATE; INSERT INTO audit_log (at, actor, action, entity, entity_id, detail) VALUES (0, 'otro', 'x', 'x', NULL, 'sin confirmar');",
        )
        .expect("the other connection takes the write lock");
    // A wait would show as an error at once, not as a delay.
    store
        .set_busy_timeout(Duration::ZERO)
        .expect("busy timeout");

    // Briefs tab.
    assert_eq!(
        store
            .briefs(&head, &BriefFilter::default())
            .expect("briefs")
            .len(),
        briefs.len()
    );
    let b = store.brief(&head, brief_id).expect("brief");
    assert_eq!(b.id, brief_id);
    assert!(
        !store
            .brief_history(&head, brief_id)
            .expect("history")
            .is_empty()
    );
    store.brief_files(&head, brief_id).expect("files");
    store.today().expect("today");
    // Strategies tab.
    assert!(!store.strategies(&prof).expect("strategies").is_empty());
    assert!(
        store
            .strategy_for_brief(&prof, brief_id)
            .expect("strategy")
            .is_some()
    );
    // Scripts tab: a brief that has its script only reads it.
    let d = store
        .script_of_brief(&prof, brief_id)
        .expect("script of brief")
        .expect("the script");
    assert_eq!(d.id, script.id);
    store.script_versions(&prof, script.id).expect("versions");
    store.script_latest(&prof, script.id).expect("latest");
    store.script_placeholders(script.id).expect("placeholders");
    store
        .campaign_script(&prof, campaign.id)
        .expect("campaign script");
    // Campaigns tab, contacts, distribution.
    assert_eq!(
        store.campaigns(&head).expect("campaigns").len(),
        campaigns.len()
    );
    assert_eq!(
        store.campaign(&head, campaign.id).expect("campaign").id,
        campaign.id
    );
    assert_eq!(
        store
            .campaign_of_brief(&head, brief_id)
            .expect("campaign of brief")
            .map(|c| c.id),
        Some(campaign.id)
    );
    store
        .campaign_start_blockers(&prof, campaign.id)
        .expect("start blockers");
    assert_eq!(
        store
            .contacts_count(campaign.id, &ContactFilter::default())
            .expect("count"),
        count
    );
    assert_eq!(
        store
            .contacts_page(campaign.id, &ContactFilter::default(), None, 0, 50)
            .expect("page")
            .len(),
        count.min(50) as usize
    );
    assert!(
        !store
            .import_batches(campaign.id)
            .expect("batches")
            .is_empty()
    );
    store.import_issues(1).expect("issues");
    store.pending_counts(campaign.id).expect("pending");
    store
        .distribution_preview(&prof, campaign.id, &DistributionPlan::default())
        .expect("preview");
    store.campaign_keys(campaign.id).expect("keys");
    // Users, catalogs, settings, audit, account.
    assert_eq!(
        store.users(&head).expect("users").len(),
        summary.users.len()
    );
    assert!(store.user_count().expect("user count") > 0);
    assert!(!store.departments().expect("departments").is_empty());
    assert!(!store.programs().expect("programs").is_empty());
    assert!(!store.dispositions().expect("dispositions").is_empty());
    store.settings().expect("settings");
    assert_eq!(
        store.audit_log(&head, 50).expect("audit"),
        audit,
        "the other desk's insert is not committed"
    );
    assert!(store.check().expect("check").ok);

    // A write waits for the lock, then fails as busy, with its cause kept.
    let e = store
        .add_department(&head, "Dependencia nueva")
        .expect_err("the write lock is taken");
    assert!(matches!(e, Error::Busy(_)), "{e:?}");
    assert!(e.is_busy());
    assert!(std::error::Error::source(&e).is_some());
    assert!(!e.to_string().is_empty());

    // Once the other desk is done, the write goes through.
    other.execute_batch("ROLLBACK").expect("rollback");
    store
        .add_department(&head, "Dependencia nueva")
        .expect("the write lock is free");
}

#[test]
fn a_read_never_writes_even_in_memory() {
    let store = Store::memory().expect("memory");
    let r = store.read(|tx| {
        tx.execute(
            "INSERT INTO audit_log (at, actor, action, entity, entity_id, detail) VALUES (0, 'x', 'x', 'x', NULL, '')",
            &[],
        )
    });
    assert!(r.is_err(), "a write inside a read is refused");
    assert!(
        store
            .audit_log(&Actor::cli(), 10)
            .expect("audit")
            .is_empty()
    );
    // The connection writes again afterwards.
    store
        .write(|tx| tx.audit_as("x", "x", "x", None, ""))
        .expect("write after read");
}

/// A database at schema version 1 (an older program's), in WAL mode like the program's files.
fn older_database(path: &Path) {
    let c = rusqlite::Connection::open(path).expect("raw");
    c.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0))
        .expect("wal");
    c.execute_batch(&db::ddl_for(db::EngineKind::Sqlite, migrate::MIGRATIONS[0]))
        .expect("first migration");
    c.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL PRIMARY KEY, applied_at BIGINT NOT NULL); INSERT INTO schema_version VALUES (1, 0);",
    )
    .expect("version 1");
}

#[test]
fn check_reads_an_older_database_without_changing_a_byte() {
    assert!(migrate::latest() > 1, "there is an older schema to test");
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("older.sqlite3");
    older_database(&path);
    let before = sha256(&path);

    let store = Store::open_read_only(&Target::Sqlite(path.clone())).expect("read-only open");
    assert!(store.is_read_only());
    let r = store.check().expect("check");
    assert_eq!(r.schema_version, 1, "reported, not upgraded");
    assert!(!r.ok);
    assert!(
        store.add_department(&Actor::cli(), "No").is_err(),
        "nothing can be written"
    );
    drop(store);
    assert_eq!(sha256(&path), before);

    // The command line's `check`: exit 1 (an older schema is unsound), the file untouched.
    let o = Command::new(env!("CARGO_BIN_EXE_telemercadeo"))
        .args([
            "--db",
            path.to_str().expect("utf-8 path"),
            "check",
            "--json",
        ])
        .output()
        .expect("run check");
    assert_eq!(o.status.code(), Some(1));
    let r: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(r["schema_version"], 1);
    assert_eq!(sha256(&path), before);
}

#[test]
fn check_on_a_file_that_is_not_a_database_changes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("notes.sqlite3");
    std::fs::write(&path, "Esto no es una base de datos.\n".repeat(200)).expect("write");
    let before = sha256(&path);
    let e = Store::open_read_only(&Target::Sqlite(path.clone())).expect_err("not a database");
    assert!(matches!(e, Error::Corrupt { path: Some(_), .. }), "{e:?}");
    let o = Command::new(env!("CARGO_BIN_EXE_telemercadeo"))
        .args(["--db", path.to_str().expect("utf-8 path"), "check"])
        .output()
        .expect("run check");
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no es una base de datos"));
    assert_eq!(sha256(&path), before);
}

#[test]
fn errors_are_translated_when_shown() {
    use telemercadeo::i18n::{self, Lang};
    let e = Error::NotFound(telemercadeo::store::What::Campaign);
    let es = i18n::with_lang(Lang::Es, || e.to_string());
    let en = i18n::with_lang(Lang::En, || e.to_string());
    assert_ne!(
        es, en,
        "the same error reads in the language current when shown"
    );
    assert_eq!(es, i18n::t_in(Lang::Es, "campaign.err_not_found"));
}
