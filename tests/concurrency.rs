//! Imports and agents at the same time: an import killed half-way leaves the campaign as it
//! was, and other desks keep writing while a large import runs.

use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use telemercadeo::domain::contact::ContactFilter;
use telemercadeo::domain::procedure::CampaignKind;
use telemercadeo::domain::{Actor, Settings};
use telemercadeo::import::job::{self, ImportOptions};
use telemercadeo::import::read::Source;
use telemercadeo::store::{Store, Target};

fn big_csv(dir: &std::path::Path, rows: usize) -> std::path::PathBuf {
    let path = dir.join("grande.csv");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).expect("create"));
    telemercadeo::import::synthetic::write_csv(&mut f, rows, 42, b',').expect("write");
    drop(f);
    path
}

fn raw_count(db: &std::path::Path, sql: &str) -> i64 {
    let c = rusqlite::Connection::open(db).expect("raw");
    c.busy_timeout(Duration::from_secs(5)).expect("timeout");
    c.query_row(sql, [], |r| r.get(0)).expect("count")
}

#[test]
fn a_killed_import_leaves_the_campaign_unchanged() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("t.sqlite3");
    let file = big_csv(dir.path(), 300_000);
    let store = Store::open(&Target::Sqlite(db.clone())).expect("store");
    let cli = Actor::cli();
    let dept = store.add_department(&cli, "Admisiones").expect("dept").id;
    let c = store
        .campaign_create_cli(&cli, "Grande", dept, CampaignKind::Otro, "", "")
        .expect("campaign")
        .id;
    drop(store);

    // The import's temporary folder, to see that nothing is left in it.
    let tmp = dir.path().join("tmp");
    std::fs::create_dir(&tmp).expect("tmp");
    let mut child = Command::new(env!("CARGO_BIN_EXE_telemercadeo"))
        .env("TMPDIR", &tmp)
        .arg("--db")
        .arg(&db)
        .args(["import", "--campaign", &c.to_string()])
        .arg(&file)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    // Wait until the import has written some rows of its (invisible) batch, then kill it.
    let started = Instant::now();
    loop {
        let written = raw_count(
            &db,
            "SELECT COUNT(*) FROM campaign_contacts cc JOIN import_batches b ON b.id = cc.batch_id WHERE b.status = 'en_curso'",
        );
        if written > 0 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "the import never started writing"
        );
        assert!(
            child.try_wait().expect("wait").is_none(),
            "finished too soon to be killed"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().expect("kill");
    child.wait().expect("reap");
    // Its spill file (85 MB at a million rows) goes with it: the system removes an anonymous
    // file when the process dies.
    let left: Vec<_> = std::fs::read_dir(&tmp)
        .expect("tmp")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert!(left.is_empty(), "left in the temporary folder: {left:?}");

    // Half-written rows are there on disk, but nobody sees them…
    assert!(raw_count(&db, "SELECT COUNT(*) FROM campaign_contacts") > 0);
    assert_eq!(raw_count(&db, "SELECT COUNT(*) FROM visible_contacts"), 0);
    // …and the next start purges them: the campaign is as it was.
    let store = Store::open(&Target::Sqlite(db.clone())).expect("reopen");
    assert_eq!(
        store
            .contacts_count(c, &ContactFilter::default())
            .expect("count"),
        0
    );
    assert_eq!(raw_count(&db, "SELECT COUNT(*) FROM campaign_contacts"), 0);
    assert_eq!(raw_count(&db, "SELECT COUNT(*) FROM persons"), 0);
    assert_eq!(
        raw_count(
            &db,
            "SELECT COUNT(*) FROM import_batches WHERE status = 'cancelada'"
        ),
        1
    );
    assert!(store.check().expect("check").ok);
}

#[test]
fn other_desks_keep_writing_while_a_large_import_runs() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("t.sqlite3");
    let file = big_csv(dir.path(), 150_000);
    let store = Store::open(&Target::Sqlite(db.clone())).expect("store");
    let cli = Actor::cli();
    let dept = store.add_department(&cli, "Admisiones").expect("dept").id;
    let c = store
        .campaign_create_cli(&cli, "Grande", dept, CampaignKind::Otro, "", "")
        .expect("campaign")
        .id;

    let importing = Arc::new(AtomicBool::new(true));
    let flag = importing.clone();
    let importer = store.connect_again().expect("second connection");
    let handle = std::thread::spawn(move || {
        let never = AtomicBool::new(false);
        let r = job::run(
            &importer,
            &Actor::cli(),
            c,
            &Source::File(file),
            &ImportOptions::default(),
            &|_| {},
            &never,
        );
        flag.store(false, Ordering::SeqCst);
        r
    });
    // Another desk: short write transactions, timed.
    let desk = Store::open(&Target::Sqlite(db.clone())).expect("desk");
    let mut waits = Vec::new();
    let mut during = 0;
    while importing.load(Ordering::SeqCst) {
        let t0 = Instant::now();
        desk.save_settings(&cli, &Settings::default())
            .expect("a desk's write");
        waits.push(t0.elapsed());
        if importing.load(Ordering::SeqCst) {
            during += 1;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let report = handle.join().expect("join").expect("import");
    assert!(report.counts.imported > 100_000);
    let max = waits.iter().max().copied().unwrap_or_default();
    let mean = waits.iter().sum::<Duration>() / waits.len().max(1) as u32;
    eprintln!(
        "desk writes during the import: {during}, mean wait {mean:?}, max wait {max:?} (import {} rows)",
        report.counts.rows_read
    );
    // The writes went through while the import ran, not after it.
    assert!(
        during >= 5,
        "only {during} writes went through during the import"
    );
}

/// A desk's write waits while another connection holds the write lock and goes through once
/// it is released (the store asks again every few milliseconds); held past the busy timeout,
/// it fails as busy, with nothing written.
#[test]
fn a_write_waits_for_the_lock_and_fails_as_busy_past_its_timeout() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("busy.sqlite3");
    let store = Store::open(&Target::Sqlite(db.clone())).expect("open");
    let cli = Actor::cli();
    let hold = |ms: u64| {
        let db = db.clone();
        let (tx, rx) = std::sync::mpsc::channel();
        let t = std::thread::spawn(move || {
            let c = rusqlite::Connection::open(&db).expect("other");
            c.execute_batch("BEGIN IMMEDIATE").expect("lock");
            tx.send(()).expect("send");
            std::thread::sleep(Duration::from_millis(ms));
            c.execute_batch("COMMIT").expect("release");
        });
        rx.recv().expect("held");
        t
    };
    // Released after 300 ms: the write waits and goes through.
    let t = hold(300);
    let t0 = Instant::now();
    store
        .add_department(&cli, "Bienestar")
        .expect("written once the lock is free");
    assert!(t0.elapsed() >= Duration::from_millis(250), "it waited");
    t.join().expect("holder");
    // Held for 3 s with a 500 ms timeout: busy, nothing written.
    store
        .set_busy_timeout(Duration::from_millis(500))
        .expect("timeout");
    let t = hold(3000);
    let r = store.add_department(&cli, "Extensión");
    assert!(
        matches!(r, Err(telemercadeo::store::Error::Busy(_))),
        "busy expected, got {r:?}"
    );
    t.join().expect("holder");
    let names: Vec<String> = store
        .departments()
        .expect("departments")
        .into_iter()
        .map(|d| d.name)
        .collect();
    assert!(names.contains(&"Bienestar".to_owned()));
    assert!(!names.contains(&"Extensión".to_owned()));
}
