//! Import, distribution and paging at realistic sizes. `cargo bench --bench import`
//! (BENCH_ROWS=100000 for a quicker run). Files are generated deterministically into
//! `target/bench-data/` on first use.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use telemercadeo::domain::contact::ContactFilter;
use telemercadeo::domain::distribution::DistributionPlan;
use telemercadeo::domain::procedure::CampaignKind;
use telemercadeo::domain::{Actor, NewUser, Role};
use telemercadeo::import::job::{self, ImportOptions};
use telemercadeo::import::read::Source;
use telemercadeo::store::{Store, Target};

fn rows() -> usize {
    std::env::var("BENCH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000)
}

fn data_dir() -> PathBuf {
    let d = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    std::fs::create_dir_all(&d).expect("bench dir");
    d
}

/// The UTF-8 `,` file and its Windows-1252 `;` twin.
fn csv_files(n: usize) -> (PathBuf, PathBuf) {
    let utf8 = data_dir().join(format!("contacts-{n}.csv"));
    let cp = data_dir().join(format!("contacts-{n}-1252.csv"));
    if !utf8.exists() {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&utf8).expect("create"));
        telemercadeo::import::synthetic::write_csv(&mut f, n, 7, b',').expect("write");
    }
    if !cp.exists() {
        let mut text = Vec::new();
        telemercadeo::import::synthetic::write_csv(&mut text, n, 7, b';').expect("write");
        let s = String::from_utf8(text).expect("utf8");
        let crlf = s.replace('\n', "\r\n");
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&crlf);
        std::fs::write(&cp, bytes).expect("write");
    }
    (utf8, cp)
}

/// A 100k-row workbook made from the same generator.
fn xlsx_file(n: usize) -> PathBuf {
    let path = data_dir().join(format!("contacts-{n}.xlsx"));
    if !path.exists() {
        let mut text = Vec::new();
        telemercadeo::import::synthetic::write_csv(&mut text, n, 11, b'\t').expect("write");
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        for (r, line) in String::from_utf8(text).expect("utf8").lines().enumerate() {
            for (c, cell) in line.split('\t').enumerate() {
                ws.write_string(r as u32, c as u16, cell).expect("cell");
            }
        }
        wb.save(&path).expect("save");
    }
    path
}

fn fresh_store(dir: &Path) -> (Store, i64) {
    let _ = std::fs::remove_file(dir.join("bench.sqlite3"));
    let _ = std::fs::remove_file(dir.join("bench.sqlite3-wal"));
    let _ = std::fs::remove_file(dir.join("bench.sqlite3-shm"));
    let store = Store::open(&Target::Sqlite(dir.join("bench.sqlite3"))).expect("store");
    let cli = Actor::cli();
    let dept = store.add_department(&cli, "D").expect("dept").id;
    let c = store
        .campaign_create_cli(&cli, "Bench", dept, CampaignKind::Otro, "", "")
        .expect("campaign")
        .id;
    (store, c)
}

fn import_file(store: &Store, campaign: i64, file: &Path) -> i64 {
    let never = AtomicBool::new(false);
    job::run(
        store,
        &Actor::cli(),
        campaign,
        &Source::File(file.to_path_buf()),
        &ImportOptions::default(),
        &|_| {},
        &never,
    )
    .expect("import")
    .counts
    .imported
}

fn bench_import(c: &mut Criterion) {
    let n = rows();
    let (utf8, cp1252) = csv_files(n);
    let xlsx = xlsx_file(100_000);
    let dir = tempfile::tempdir().expect("dir");
    let mut g = c.benchmark_group("import");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(30));
    g.bench_function(format!("csv_utf8_{n}"), |b| {
        b.iter_with_setup(
            || fresh_store(dir.path()),
            |(s, c)| import_file(&s, c, &utf8),
        )
    });
    g.bench_function(format!("csv_1252_semicolon_{n}"), |b| {
        b.iter_with_setup(
            || fresh_store(dir.path()),
            |(s, c)| import_file(&s, c, &cp1252),
        )
    });
    g.bench_function("xlsx_100000", |b| {
        b.iter_with_setup(
            || fresh_store(dir.path()),
            |(s, c)| import_file(&s, c, &xlsx),
        )
    });
    g.finish();
}

fn loaded_store(dir: &Path, n: usize, agents: usize) -> (Store, i64) {
    let (store, c) = fresh_store(dir);
    let (utf8, _) = csv_files(n);
    import_file(&store, c, &utf8);
    let cli = Actor::cli();
    for i in 0..agents {
        store
            .add_user(
                &cli,
                &NewUser {
                    login: format!("aux{i}"),
                    name: format!("Auxiliar {i}"),
                    role: Some(Role::Auxiliar),
                    department_id: None,
                },
                "clave-segura-1",
                "clave-segura-1",
            )
            .expect("agent");
    }
    (store, c)
}

/// Runs `f` while another connection takes the writer lock for an empty transaction again and
/// again; returns `f`'s time and that connection's longest wait (the longest writer-lock hold).
fn with_writer_probe<T>(db: &Path, f: impl FnOnce() -> T) -> (T, Duration, Duration) {
    let stop = std::sync::Arc::new(AtomicBool::new(false));
    let probe = {
        let (db, stop) = (db.to_path_buf(), stop.clone());
        std::thread::spawn(move || {
            let c = rusqlite::Connection::open(&db).expect("probe");
            c.busy_timeout(Duration::from_secs(30)).expect("timeout");
            let mut longest = Duration::ZERO;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let t = std::time::Instant::now();
                c.execute_batch("BEGIN IMMEDIATE; COMMIT;")
                    .expect("probe write");
                longest = longest.max(t.elapsed());
                std::thread::sleep(Duration::from_millis(2));
            }
            longest
        })
    };
    std::thread::sleep(Duration::from_millis(20));
    let t = std::time::Instant::now();
    let out = f();
    let took = t.elapsed();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    (out, took, probe.join().expect("probe"))
}

fn bench_distribute(c: &mut Criterion) {
    let n = rows();
    let dir = tempfile::tempdir().expect("dir");
    let (store, campaign) = loaded_store(dir.path(), n, 50);
    let db = dir.path().join("bench.sqlite3");
    let snapshot = dir.path().join("snapshot.sqlite3");
    store.backup_to(&snapshot).expect("snapshot");
    drop(store);
    let restore = || {
        std::fs::copy(&snapshot, &db).expect("restore");
        let _ = std::fs::remove_file(dir.path().join("bench.sqlite3-wal"));
        let _ = std::fs::remove_file(dir.path().join("bench.sqlite3-shm"));
        Store::open(&Target::Sqlite(db.clone())).expect("open")
    };
    let interleaved = DistributionPlan {
        order: telemercadeo::domain::distribution::Order::Interleaved,
        ..Default::default()
    };
    // One run of each with another desk writing meanwhile: the figures for the README.
    for (name, plan) in [
        ("blocks", DistributionPlan::default()),
        ("interleaved", interleaved.clone()),
    ] {
        let s = restore();
        let (_, took, wait) = with_writer_probe(&db, || {
            s.distribute(&Actor::cli(), campaign, &plan)
                .expect("distribute")
        });
        eprintln!(
            "distribute {name} {n} among 50: {took:?}; another desk's longest wait for the writer: {wait:?}"
        );
        let (_, took, wait) = with_writer_probe(&db, || {
            s.redistribute(&Actor::cli(), campaign, "aux0", &[], false)
                .expect("redistribute")
        });
        eprintln!(
            "redistribute one agent's {} among 49 ({name}): {took:?}; longest wait: {wait:?}",
            n / 50
        );
        let aux1: i64 = rusqlite::Connection::open(&db)
            .expect("raw")
            .query_row("SELECT id FROM users WHERE login = 'aux1'", [], |r| {
                r.get(0)
            })
            .expect("aux1");
        let agent = Actor::User {
            id: aux1,
            login: "aux1".into(),
            role: Role::Auxiliar,
            department_id: None,
        };
        let (got, took, wait) = with_writer_probe(&db, || {
            s.claim_next_shared(&agent, campaign).expect("claim")
        });
        eprintln!(
            "claim aux1's next contact ({name}): {got:?} in {took:?}; longest wait: {wait:?}"
        );
        for (label, f) in [("aux1", Some(aux1)), ("unassigned", Some(0))] {
            let filter = ContactFilter {
                agent_id: f,
                ..Default::default()
            };
            let t = std::time::Instant::now();
            let page = s
                .contacts_page(campaign, &filter, None, 0, 100)
                .expect("page");
            let first = t.elapsed();
            let t = std::time::Instant::now();
            let count = s.contacts_count(campaign, &filter).expect("count");
            eprintln!(
                "contacts filtered by {label} ({name}): first page ({} rows) {first:?}, count {count} {:?}",
                page.len(),
                t.elapsed()
            );
        }
        let t = std::time::Instant::now();
        let pending = s.pending_counts(campaign).expect("pending");
        eprintln!(
            "pending counts ({name}, {} agents): {:?}",
            pending.len(),
            t.elapsed()
        );
    }
    let mut g = c.benchmark_group("distribute");
    g.sample_size(10);
    g.bench_function(format!("equal_{n}_among_50"), |b| {
        b.iter_with_setup(restore, |s| {
            s.distribute(&Actor::cli(), campaign, &DistributionPlan::default())
                .expect("distribute")
        })
    });
    g.bench_function(format!("interleaved_{n}_among_50"), |b| {
        b.iter_with_setup(restore, |s| {
            s.distribute(&Actor::cli(), campaign, &interleaved)
                .expect("distribute")
        })
    });
    g.bench_function(format!("redistribute_one_of_50_{n}"), |b| {
        b.iter_with_setup(
            || {
                let s = restore();
                s.distribute(&Actor::cli(), campaign, &DistributionPlan::default())
                    .expect("distribute");
                s
            },
            |s| {
                s.redistribute(&Actor::cli(), campaign, "aux0", &[], false)
                    .expect("redistribute")
            },
        )
    });
    g.finish();
}

fn bench_paging(c: &mut Criterion) {
    let mut g = c.benchmark_group("contacts_page");
    for n in [1_000usize, rows()] {
        let dir = tempfile::tempdir().expect("dir");
        let (store, campaign) = loaded_store(dir.path(), n, 0);
        let filter = ContactFilter::default();
        let total = store.contacts_count(campaign, &filter).expect("count");
        let mid = store
            .contacts_page(campaign, &filter, None, total / 2, 1)
            .expect("mid")
            .first()
            .map(|r| r.id);
        g.bench_function(format!("first_page_{n}"), |b| {
            b.iter(|| {
                store
                    .contacts_page(campaign, &filter, None, 0, 100)
                    .expect("page")
            })
        });
        g.bench_function(format!("keyset_page_middle_{n}"), |b| {
            b.iter(|| {
                store
                    .contacts_page(campaign, &filter, mid, 0, 100)
                    .expect("page")
            })
        });
        g.bench_function(format!("count_{n}"), |b| {
            b.iter(|| store.contacts_count(campaign, &filter).expect("count"))
        });
    }
    g.finish();
}

criterion_group!(benches, bench_import, bench_distribute, bench_paging);
criterion_main!(benches);
