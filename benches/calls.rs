//! Choosing the next contact ("Mis llamadas") at 1M contacts and 50 agents: `call_next` +
//! `call_record` pairs through the store, at the campaign's start and once ~30 % of the
//! contacts have attempts, against a yardstick measured in the same run: the same indexed
//! first-row `SELECT` as a plain prepared rusqlite query, and a bare one-row write transaction.
//!
//! `cargo bench --bench calls` (BENCH_UNTRIED_INDEX=1 adds an experimental partial index of the
//! never-attempted contacts; BENCH_ROWS=300000 for a quicker run; each agent needs a few
//! thousand contacts for the pairs criterion runs). The contact file is the
//! import bench's (`target/bench-data/contacts-N.csv`, generated on first use).

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use telemercadeo::domain::call::Next;
use telemercadeo::domain::procedure::{CampaignKind, CampaignStatus};
use telemercadeo::domain::{Actor, NewUser, Role, TestClock};
use telemercadeo::import::job::{self, ImportOptions};
use telemercadeo::import::read::Source;
use telemercadeo::store::calls::Outcome;
use telemercadeo::store::{Store, Target};

const AGENTS: usize = 50;

fn rows() -> usize {
    std::env::var("BENCH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000)
}

fn csv_file(n: usize) -> PathBuf {
    let d = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    std::fs::create_dir_all(&d).expect("bench dir");
    let path = d.join(format!("contacts-{n}.csv"));
    if !path.exists() {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&path).expect("create"));
        telemercadeo::import::synthetic::write_csv(&mut f, n, 7, b',').expect("write");
    }
    path
}

/// Tuesday 1 December 2026, 10:00 in Bogotá: inside the calling windows.
fn tuesday_10am() -> i64 {
    chrono::NaiveDate::from_ymd_opt(2026, 12, 1)
        .and_then(|d| d.and_hms_opt(15, 0, 0))
        .expect("date")
        .and_utc()
        .timestamp()
}

/// A campaign of `n` rows imported, dealt in blocks among 50 agents, its script published,
/// started; the store's clock inside the calling windows.
fn campaign(dir: &Path, n: usize) -> (Store, i64, Vec<String>) {
    let db = dir.join("calls.sqlite3");
    let store =
        Store::open_with_clock(&Target::Sqlite(db), Arc::new(TestClock::at(tuesday_10am())))
            .expect("store");
    let cli = Actor::cli();
    let dept = store.add_department(&cli, "D").expect("dept").id;
    let c = store
        .campaign_create_cli(&cli, "Bench", dept, CampaignKind::Otro, "", "")
        .expect("campaign")
        .id;
    let never = AtomicBool::new(false);
    let t = Instant::now();
    let imported = job::run(
        &store,
        &cli,
        c,
        &Source::File(csv_file(n)),
        &ImportOptions::default(),
        &|_| {},
        &never,
    )
    .expect("import")
    .counts
    .imported;
    eprintln!("imported {imported} contacts in {:?}", t.elapsed());
    let mut logins = Vec::new();
    for i in 0..AGENTS {
        let login = format!("aux{i}");
        store
            .add_user(
                &cli,
                &NewUser {
                    login: login.clone(),
                    name: format!("Auxiliar {i}"),
                    role: Some(Role::Auxiliar),
                    department_id: None,
                },
                "clave-segura-1",
                "clave-segura-1",
            )
            .expect("agent");
        logins.push(login);
    }
    store
        .distribute(&cli, c, &Default::default())
        .expect("distribute");
    let campaign = store.campaign(&cli, c).expect("campaign");
    let draft = store
        .script_of_brief(&cli, campaign.brief_id.expect("brief"))
        .expect("script")
        .expect("a draft");
    let mut content = draft.content.clone();
    for s in content.sections.iter_mut().skip(1) {
        s.text = "Buenos días, {nombre}.".into();
    }
    store
        .script_publish(&cli, draft.id, &content)
        .expect("published");
    store
        .campaign_set_status(&cli, c, CampaignStatus::Activa)
        .expect("started");
    (store, c, logins)
}

/// The campaign as if each agent had already called the first 30 % of its block once: 40 %
/// of those closed (interesado), 2 % with a callback later today, the rest to retry in 4 hours;
/// an attempt row for each. Written in bulk (SQL), the way the store would have left them.
fn thirty_percent(db: &Path, campaign: i64, now: i64) -> i64 {
    let sql = rusqlite::Connection::open(db).expect("sql");
    let disposition = |code: &str| -> i64 {
        sql.query_row("SELECT id FROM dispositions WHERE code = ?1", [code], |r| {
            r.get(0)
        })
        .expect(code)
    };
    let (yes, no_answer, callback) = (
        disposition("interesado"),
        disposition("no_contesta"),
        disposition("volver_a_llamar"),
    );
    let rules: Vec<(i64, i64, i64, i64)> = {
        let mut st = sql
            .prepare("SELECT agent_id, first_id, last_id, step FROM contact_assignments WHERE campaign_id = ?1")
            .expect("prepare");
        st.query_map([campaign], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .expect("rules")
        .collect::<Result<_, _>>()
        .expect("rules")
    };
    sql.execute_batch("BEGIN IMMEDIATE").expect("begin");
    for (agent, first, last, step) in &rules {
        assert_eq!(*step, 1, "blocks");
        let cut = first + (last - first + 1) * 3 / 10;
        sql.execute(
            "UPDATE campaign_contacts SET agent_id = ?1, attempts = 1, \
             status = CASE WHEN id % 5 < 2 THEN 'cerrado' WHEN id % 50 = 7 THEN 'agendado' ELSE 'pendiente' END, \
             next_call_at = CASE WHEN id % 5 < 2 THEN NULL WHEN id % 50 = 7 THEN ?2 + 3600 + id % 7200 ELSE ?2 + 4 * 3600 + id % 3600 END, \
             last_disposition_id = CASE WHEN id % 5 < 2 THEN ?3 WHEN id % 50 = 7 THEN ?5 ELSE ?4 END, \
             best_disposition_id = CASE WHEN id % 5 < 2 THEN ?3 WHEN id % 50 = 7 THEN ?5 ELSE ?4 END, \
             last_attempt_at = ?2 - 600 - id % 36000 \
             WHERE campaign_id = ?6 AND id >= ?7 AND id < ?8 AND status = 'pendiente' AND attempts = 0",
            rusqlite::params![agent, now, yes, no_answer, callback, campaign, first, cut],
        )
        .expect("attempted");
    }
    let n = sql
        .execute(
            "INSERT INTO call_attempts (uuid, campaign_id, contact_id, agent_id, phone, disposition_id, started_at, ended_at, duration_secs) \
             SELECT 'bench-' || id, campaign_id, id, agent_id, phone, last_disposition_id, last_attempt_at - 60, last_attempt_at, 60 \
             FROM campaign_contacts WHERE campaign_id = ?1 AND attempts > 0 AND id NOT IN (SELECT contact_id FROM call_attempts)",
            [campaign],
        )
        .expect("attempt rows");
    sql.execute_batch("COMMIT").expect("commit");
    n as i64
}

/// One `call_next` + `call_record` for the agent; (next, record) times.
fn pair(store: &Store, campaign: i64, agent: &str, k: usize) -> (Duration, Duration) {
    let cli = Actor::cli();
    let t = Instant::now();
    let next = store.call_next(&cli, campaign, agent).expect("next");
    let took_next = t.elapsed();
    let Next::Contact(contact) = next else {
        panic!("{agent}: nothing to call: {next:?}");
    };
    let t = Instant::now();
    store
        .call_record(
            &cli,
            agent,
            campaign,
            contact.contact_id,
            &Outcome {
                key_or_code: if k.is_multiple_of(3) {
                    "interesado"
                } else {
                    "no_contesta"
                },
                duration_secs: 95,
                ..Default::default()
            },
        )
        .expect("record");
    (took_next, t.elapsed())
}

fn median(v: &mut [Duration]) -> Duration {
    v.sort_unstable();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

fn bench_calls(c: &mut Criterion) {
    let n = rows();
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("calls.sqlite3");
    let (store, campaign, logins) = campaign(dir.path(), n);
    // The yardstick: the untried-contact probe of `call next` for one agent's rule, as a
    // plain prepared query on its own connection (the indexed first row), and a bare write
    // transaction touching one contact.
    let raw = rusqlite::Connection::open(&db).expect("raw");
    let rules: Vec<(i64, i64)> = {
        let mut st = raw
            .prepare("SELECT first_id, last_id FROM contact_assignments WHERE campaign_id = ?1 ORDER BY agent_id")
            .expect("prepare");
        st.query_map([campaign], |r| Ok((r.get(0)?, r.get(1)?)))
            .expect("rules")
            .collect::<Result<_, _>>()
            .expect("rules")
    };
    let select = "SELECT v.id FROM visible_contacts v WHERE v.campaign_id = ?1 AND (v.claimed_by IS NULL OR v.claimed_at < ?2) AND v.status = 'pendiente' AND v.attempts = 0 AND v.agent_id IS NULL AND v.id BETWEEN ?3 AND ?4 ORDER BY v.id LIMIT 1";
    let cutoff = tuesday_10am() - 15 * 60;

    if std::env::var_os("BENCH_UNTRIED_INDEX").is_some() {
        // An experiment, not the schema: a partial index of the never-attempted contacts by
        // agent, for the probe of an agent's own (already called) contacts.
        raw.execute_batch("CREATE INDEX bench_untried ON campaign_contacts (campaign_id, agent_id, id) WHERE attempts = 0 AND status = 'pendiente'")
            .expect("index");
        eprintln!("with the experimental partial index bench_untried");
    }
    for stage in ["start", "30pct"] {
        if stage == "30pct" {
            let t = Instant::now();
            let rows = thirty_percent(&db, campaign, tuesday_10am());
            eprintln!("{rows} attempts written in bulk in {:?}", t.elapsed());
        }
        let attempted: i64 = raw
            .query_row(
                "SELECT COUNT(*) FROM campaign_contacts WHERE campaign_id = ?1 AND attempts > 0",
                [campaign],
                |r| r.get(0),
            )
            .expect("attempted");
        eprintln!("{stage}: {attempted} of the campaign's contacts have attempts");
        // The figures for the README: medians of single pairs, split into next and record.
        let (mut nexts, mut records, mut pairs) = (Vec::new(), Vec::new(), Vec::new());
        for k in 0..2_000 {
            let (a, b) = pair(&store, campaign, &logins[k % AGENTS], k);
            nexts.push(a);
            records.push(b);
            pairs.push(a + b);
        }
        let mut worst = pairs.clone();
        worst.sort_unstable();
        eprintln!(
            "{stage}: 2000 pairs among {AGENTS} agents: call_next median {:?}, call_record median {:?}, pair median {:?}, p99 {:?}, max {:?}",
            median(&mut nexts),
            median(&mut records),
            median(&mut pairs),
            worst[worst.len() * 99 / 100],
            worst[worst.len() - 1],
        );

        let mut g = c.benchmark_group(format!("calls_{stage}_{n}"));
        g.sample_size(50);
        g.measurement_time(Duration::from_secs(10));
        let k = RefCell::new(0usize);
        g.bench_function("call_next_and_record", |b| {
            b.iter(|| {
                let mut k = k.borrow_mut();
                *k += 1;
                pair(&store, campaign, &logins[*k % AGENTS], *k)
            })
        });
        let mut st = raw.prepare_cached(select).expect("prepare");
        let j = RefCell::new(0usize);
        g.bench_function("yardstick_first_row_select", |b| {
            b.iter(|| {
                let mut j = j.borrow_mut();
                *j += 1;
                let (first, last) = rules[*j % rules.len()];
                st.query_row(rusqlite::params![campaign, cutoff, first, last], |r| {
                    r.get::<_, i64>(0)
                })
                .expect("a free contact")
            })
        });
        let w = RefCell::new(0usize);
        g.bench_function("yardstick_bare_write_tx", |b| {
            b.iter(|| {
                let mut w = w.borrow_mut();
                *w += 1;
                let (first, _) = rules[*w % rules.len()];
                raw.execute_batch("BEGIN IMMEDIATE").expect("begin");
                raw.execute(
                    "UPDATE campaign_contacts SET claimed_at = claimed_at WHERE id = ?1",
                    [first],
                )
                .expect("touch");
                raw.execute_batch("COMMIT").expect("commit");
            })
        });
        g.finish();
    }
}

criterion_group!(benches, bench_calls);
criterion_main!(benches);
