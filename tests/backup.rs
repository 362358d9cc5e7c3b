//! Backups: a copy taken while another connection keeps writing is sound and holds every row
//! committed before it started; the automatic copy runs once a day even when two desks start at
//! once, and keeps the last N; a restore refuses a damaged file, a newer schema and a database
//! other desks have open, and otherwise puts the copy back (keeping the database as it was
//! beside it); `check --file` verifies a copy without changing a byte of it.

mod common;

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::{Arc, Barrier};

use common::{NOW, actor, store_with_people_in};
use sha2::{Digest, Sha256};
use telemercadeo::domain::archive::BackupSettings;
use telemercadeo::domain::{Actor, TestClock};
use telemercadeo::i18n::{Lang, with_lang};
use telemercadeo::store::{Store, Target};

fn file_hash(p: &Path) -> String {
    Sha256::digest(std::fs::read(p).expect("read"))
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn setup() -> (tempfile::TempDir, std::path::PathBuf, Store, TestClock) {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("t.sqlite3");
    let clock = TestClock::at(NOW);
    let store = store_with_people_in(&Target::Sqlite(db.clone()), clock.clone());
    (dir, db, store, clock)
}

#[test]
fn a_backup_taken_while_another_connection_writes_is_sound_and_complete() {
    let (dir, db, store, _c) = setup();
    // A few megabytes, so that the copy takes a while.
    {
        let raw = rusqlite::Connection::open(&db).expect("raw");
        raw.execute_batch("CREATE TABLE churn (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
            .expect("table");
        let tx = raw.unchecked_transaction().expect("tx");
        for i in 0..20_000 {
            tx.execute(
                "INSERT INTO churn (body) VALUES (?1)",
                [format!("{i:>200}")],
            )
            .expect("row");
        }
        tx.commit().expect("commit");
    }
    let committed = Arc::new(AtomicI64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let db = db.clone();
        let committed = committed.clone();
        let stop = stop.clone();
        std::thread::spawn(move || {
            let raw = rusqlite::Connection::open(&db).expect("raw");
            raw.busy_timeout(std::time::Duration::from_secs(10))
                .expect("timeout");
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                raw.execute("INSERT INTO churn (body) VALUES ('más')", [])
                    .expect("insert");
                n += 1;
                committed.store(n, Ordering::SeqCst);
            }
            n
        })
    };
    // Let it write for a moment, then note what is committed and take the copy.
    while committed.load(Ordering::SeqCst) < 200 {
        std::thread::yield_now();
    }
    let before = 20_000 + committed.load(Ordering::SeqCst);
    let out = dir.path().join("copia.sqlite3");
    store.backup_to(&out).expect("backup");
    let during = committed.load(Ordering::SeqCst);
    stop.store(true, Ordering::Relaxed);
    let total = writer.join().expect("writer");
    assert!(during > 200, "the writer kept writing");

    let r = Store::check_backup(&out).expect("check");
    assert_eq!(r.integrity, ["ok"], "{r:?}");
    assert!(r.ok, "{r:?}");
    let copy = rusqlite::Connection::open(&out).expect("copy");
    let rows: i64 = copy
        .query_row("SELECT COUNT(*) FROM churn", [], |r| r.get(0))
        .expect("count");
    assert!(
        rows >= before,
        "every row committed before the copy started: {rows} < {before}"
    );
    assert!(rows <= 20_000 + total, "no row from nowhere");
    let mode: String = copy
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .expect("mode");
    assert_eq!(mode, "delete", "one self-contained file");
    // No temporary file left behind.
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("dir")
        .map(|e| e.expect("e").file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.iter().any(|n| n.ends_with(".partial")), "{names:?}");
}

#[test]
fn the_automatic_backup_runs_once_a_day_even_with_two_desks_and_keeps_n() {
    let (dir, db, store, clock) = setup();
    let head = actor(&store, "mcastro");
    store
        .save_backup_settings(
            &head,
            &BackupSettings {
                folder: String::new(),
                keep: 3,
            },
        )
        .expect("settings");
    let target = Target::Sqlite(db.clone());
    for day in 0..5 {
        clock.set(NOW + day * 86_400);
        // Two desks open at once.
        let barrier = Arc::new(Barrier::new(2));
        let runs: Vec<_> = (0..2)
            .map(|_| {
                let target = target.clone();
                let clock = clock.clone();
                let barrier = barrier.clone();
                std::thread::spawn(move || {
                    let s = Store::open_with_clock(&target, Arc::new(clock)).expect("open");
                    barrier.wait();
                    s.auto_backup().expect("auto")
                })
            })
            .collect();
        let done: Vec<_> = runs
            .into_iter()
            .filter_map(|h| h.join().expect("thread"))
            .collect();
        assert_eq!(done.len(), 1, "day {day}: exactly one desk made the copy");
        assert!(done[0].is_file());
        // A later start the same day does nothing.
        assert_eq!(store.auto_backup().expect("again"), None);
    }
    let folder = dir.path().join("copias");
    let mut kept: Vec<String> = std::fs::read_dir(&folder)
        .expect("folder")
        .map(|e| e.expect("e").file_name().to_string_lossy().into_owned())
        .collect();
    kept.sort();
    assert_eq!(
        kept,
        [
            "t-auto-2026-12-01.sqlite3",
            "t-auto-2026-12-02.sqlite3",
            "t-auto-2026-12-03.sqlite3"
        ],
        "the newest three"
    );
    for k in &kept {
        assert!(Store::check_backup(&folder.join(k)).expect("check").ok);
    }
}

#[test]
fn a_restore_refuses_a_damaged_file_a_newer_schema_and_other_open_desks() {
    let (dir, db, store, _c) = setup();
    let cli = Actor::cli();
    let good = dir.path().join("buena.sqlite3");
    store.backup_to(&good).expect("backup");

    with_lang(Lang::Es, || {
        // Not a database at all.
        let junk = dir.path().join("basura.sqlite3");
        std::fs::write(&junk, vec![0x5a; 8192]).expect("junk");
        let e = store.restore_from(&cli, &junk).expect_err("refused");
        assert!(e.to_string().contains("dañada"), "{e}");
        // A copy cut in half.
        let cut = dir.path().join("cortada.sqlite3");
        let bytes = std::fs::read(&good).expect("read");
        std::fs::write(&cut, &bytes[..bytes.len() / 2]).expect("cut");
        let e = store.restore_from(&cli, &cut).expect_err("refused");
        assert!(e.to_string().contains("dañada"), "{e}");
        // A copy from a newer program.
        let newer = dir.path().join("nueva.sqlite3");
        std::fs::copy(&good, &newer).expect("copy");
        {
            let raw = rusqlite::Connection::open(&newer).expect("raw");
            raw.execute(
                "INSERT INTO schema_version (version, applied_at) VALUES (999, 0)",
                [],
            )
            .expect("newer");
        }
        let e = store.restore_from(&cli, &newer).expect_err("refused");
        assert!(e.to_string().contains("versión más nueva"), "{e}");
        assert!(e.to_string().contains("999"), "{e}");
        // Only the head (or the command line) restores.
        let e = store
            .restore_from(&actor(&store, "lgomez"), &good)
            .expect_err("refused");
        assert!(matches!(e, telemercadeo::store::Error::Forbidden(_)));

        // Another desk has the database open.
        {
            let raw = rusqlite::Connection::open(&db).expect("raw");
            raw.execute(
                "INSERT INTO desks (owner, user_login, opened_at, seen_at) VALUES ('otro-pc:4242', 'aperez', ?1, ?1)",
                [NOW],
            )
            .expect("desk");
        }
        let e = store.restore_from(&cli, &good).expect_err("refused");
        assert!(e.to_string().contains("otro-pc:4242 (aperez)"), "{e}");
        // Gone for longer than a few beats: it no longer counts.
        {
            let raw = rusqlite::Connection::open(&db).expect("raw");
            raw.execute("UPDATE desks SET seen_at = ?1", [NOW - 3600])
                .expect("stale");
        }
    });

    // Nothing was changed by the refusals; now a real restore puts the copy back.
    store
        .add_department(&cli, "Creada después de la copia")
        .expect("dept");
    let r = store.restore_from(&cli, &good).expect("restored");
    let safety = r.safety_copy.expect("safety copy");
    assert!(Store::check_backup(&safety).expect("check").ok);
    let names: Vec<String> = store
        .departments()
        .expect("departments")
        .into_iter()
        .map(|d| d.name)
        .collect();
    assert!(
        !names.iter().any(|n| n == "Creada después de la copia"),
        "{names:?}"
    );
    // The safety copy still has it; the restore is audited in the restored database.
    let raw = rusqlite::Connection::open(&safety).expect("raw");
    let n: i64 = raw
        .query_row(
            "SELECT COUNT(*) FROM departments WHERE name = 'Creada después de la copia'",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(n, 1);
    let raw = rusqlite::Connection::open(&db).expect("raw");
    let n: i64 = raw
        .query_row(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'backup.restore'",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(n, 1);
    assert!(store.check().expect("check").ok);
}

#[test]
fn the_command_line_backs_up_checks_a_copy_without_changing_it_and_restores() {
    let (dir, db, store, _c) = setup();
    drop(store);
    let bin = env!("CARGO_BIN_EXE_telemercadeo");
    let run = |args: &[&str]| {
        std::process::Command::new(bin)
            .arg("--db")
            .arg(&db)
            .args(args)
            .env("TELEMERCADEO_DB", "")
            .output()
            .expect("run")
    };
    let out = dir.path().join("copia.sqlite3");
    let o = run(&["backup", "--out", out.to_str().expect("utf-8")]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let before = file_hash(&out);
    let o = run(&["--json", "check", "--file", out.to_str().expect("utf-8")]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["ok"], true);
    assert_eq!(file_hash(&out), before, "the copy is unchanged");
    let siblings: Vec<String> = std::fs::read_dir(dir.path())
        .expect("dir")
        .map(|e| e.expect("e").file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("copia"))
        .collect();
    assert_eq!(siblings, ["copia.sqlite3"], "no -wal or -shm beside it");

    let junk = dir.path().join("basura.sqlite3");
    std::fs::write(&junk, b"no soy una base").expect("junk");
    let o = run(&["check", "--file", junk.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(1));

    // Without --yes the copy is only checked.
    let o = run(&["restore", "--from", out.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--yes"));
    let o = run(&["restore", "--from", out.to_str().expect("utf-8"), "--yes"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}
