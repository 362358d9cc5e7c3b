//! The dashboards (Indicadores) at real size: one campaign of 1M contacts and 5M attempts
//! spread over 250 days, 50 agents and the catalog's outcomes (survey answers on the positive
//! ones, coded reasons on the refusals). Measured in the same run:
//! - `dashboard`: a campaign's whole dashboard through `Store::dashboard` (every query of the
//!   tab), and `Store::indicators` (the main aggregate: records by their best outcome);
//! - the yardstick: the same main aggregate SQL through the `sqlite3` command-line tool on
//!   the same file (`.timer on`, median of its runs; skipped with a message when the tool is
//!   not installed);
//! - `campaigns()` (the first screen) on that database and on an empty one.
//!
//! `cargo bench --bench indicators`. The database is built once and kept in
//! `target/bench-data/indicators-v2-N.sqlite3` (BENCH_ROWS=100000 for a quicker run: contacts;
//! attempts are 5 per contact on average).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use telemercadeo::domain::indicators::DashboardFilter;
use telemercadeo::domain::procedure::CampaignKind;
use telemercadeo::domain::{Actor, NewUser, Role, TestClock};
use telemercadeo::store::{Store, Target};

const AGENTS: i64 = 50;
const DAYS: i64 = 250;

fn rows() -> i64 {
    std::env::var("BENCH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000)
}

/// 1 December 2026, 10:00 in Bogotá.
const NOW: i64 = 1_796_137_200;

fn clock() -> Arc<TestClock> {
    Arc::new(TestClock::at(NOW))
}

/// A category's place in `domain::call::category_rank`.
fn rank_of(cat: &str) -> i64 {
    match cat {
        "positivo" => 6,
        "agendado" => 5,
        "negativo" | "exclusion" => 4,
        "tercero" => 3,
        "no_contactado" => 2,
        "numero_invalido" => 1,
        _ => 0,
    }
}

/// The big database (built on first use) and its campaign's id.
fn database(n: i64) -> (PathBuf, i64) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    std::fs::create_dir_all(&dir).expect("bench dir");
    let path = dir.join(format!("indicators-v2-{n}.sqlite3"));
    if path.exists() {
        return (path, 1);
    }
    let tmp = dir.join(format!("indicators-v2-{n}.part.sqlite3"));
    for ext in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{ext}", tmp.display()));
    }
    let t = Instant::now();
    let c = {
        let store = Store::open_with_clock(&Target::Sqlite(tmp.clone()), clock()).expect("store");
        let cli = Actor::cli();
        let dept = store.add_department(&cli, "Mercadeo").expect("dept").id;
        let c = store
            .campaign_create_cli(&cli, "Inscripciones", dept, CampaignKind::Otro, "", "")
            .expect("campaign")
            .id;
        for i in 0..AGENTS {
            store
                .add_user(
                    &cli,
                    &NewUser {
                        login: format!("aux{i}"),
                        name: format!("Auxiliar {i:02}"),
                        role: Some(Role::Auxiliar),
                        department_id: None,
                    },
                    "clave-segura-1",
                    "clave-segura-1",
                )
                .expect("agent");
        }
        c
    };
    assert_eq!(c, 1, "the bench's campaign is the first");
    let raw = rusqlite::Connection::open(&tmp).expect("raw");
    raw.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF; PRAGMA cache_size = -400000;",
    )
    .expect("pragmas");
    // Drop the two tables' indexes, load, and build them again (sorted: much faster).
    let indexes: Vec<String> = raw
        .prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('call_attempts', 'campaign_contacts', 'persons')")
        .expect("prepare")
        .query_map([], |r| r.get(0))
        .expect("indexes")
        .collect::<Result<_, _>>()
        .expect("index sql");
    let names: Vec<String> = raw
        .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('call_attempts', 'campaign_contacts', 'persons')")
        .expect("prepare")
        .query_map([], |r| r.get(0))
        .expect("names")
        .collect::<Result<_, _>>()
        .expect("index names");
    for name in &names {
        raw.execute_batch(&format!("DROP INDEX {name}"))
            .expect("drop");
    }
    let agent0: i64 = raw
        .query_row(
            "SELECT MIN(id) FROM users WHERE login LIKE 'aux%'",
            [],
            |r| r.get(0),
        )
        .expect("agents");
    let dispositions: Vec<(i64, String)> = raw
        .prepare("SELECT id, category FROM dispositions WHERE active = 1 ORDER BY sort")
        .expect("prepare")
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("dispositions")
        .collect::<Result<_, _>>()
        .expect("dispositions");
    let disp_case: String = dispositions
        .iter()
        .enumerate()
        .map(|(k, (id, _))| format!(" WHEN {k} THEN {id}"))
        .collect();
    let nd = dispositions.len();
    let negative: Vec<String> = dispositions
        .iter()
        .filter(|d| d.1 == "negativo")
        .map(|d| d.0.to_string())
        .collect();
    let positive: Vec<String> = dispositions
        .iter()
        .filter(|d| d.1 == "positivo")
        .map(|d| d.0.to_string())
        .collect();
    let first_day = NOW - DAYS * 86_400;
    let first_day = first_day - first_day.rem_euclid(86_400) + 12 * 3600; // 7:00 in Bogotá
    raw.execute_batch(&format!(
        "BEGIN;
         WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {n})
         INSERT INTO persons (id, uuid, name, created_at) SELECT i, 'p' || i, 'Persona ' || i, {NOW} FROM s;
         WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {n})
         INSERT INTO campaign_contacts (id, campaign_id, person_id, name, phone, program, city, agent_id, status, attempts)
            SELECT i, {c}, i, 'Persona ' || i, '+57300' || (1000000 + i),
                   'Programa ' || (i % 40), 'Ciudad ' || ((i * 7) % 60), {agent0} + i % {AGENTS},
                   CASE i % 5 WHEN 0 THEN 'cerrado' WHEN 1 THEN 'agendado' ELSE 'pendiente' END, 1 + i % 9
            FROM s;
         WITH RECURSIVE k(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM k WHERE j < 8)
         INSERT INTO call_attempts (uuid, campaign_id, contact_id, agent_id, phone, disposition_id, reason, started_at, ended_at, duration_secs, answers, script_version_id)
            SELECT 'a' || id || '-' || j, {c}, id, agent_id, phone, disp,
                   CASE WHEN disp IN ({neg}) THEN CASE (id + j) % 3 WHEN 0 THEN 'Costo' WHEN 1 THEN 'Ubicación' ELSE 'Horario' END END,
                   at, at + secs, secs,
                   CASE WHEN disp IN ({pos}) THEN '{{\"1\": \"' || CASE id % 3 WHEN 0 THEN 'Sí' WHEN 1 THEN 'No' ELSE 'No sabe' END || '\"}}' ELSE '{{}}' END,
                   NULL
            FROM (SELECT cc.id AS id, k.j AS j, cc.agent_id AS agent_id, cc.phone AS phone,
                         CASE ((cc.id * 31 + k.j * 17) % {nd}) {disp_case} END AS disp,
                         {first_day} + ((cc.id * 7 + k.j * 13) % {DAYS}) * 86400 + (cc.id * 37 + k.j * 101) % 43200 AS at,
                         30 + (cc.id * 7 + k.j) % 300 AS secs
                  FROM campaign_contacts cc JOIN k ON k.j < cc.attempts
                  WHERE cc.campaign_id = {c});
         UPDATE campaigns SET contact_count = {n} WHERE id = {c};
         COMMIT;",
        neg = if negative.is_empty() { "0".to_owned() } else { negative.join(", ") },
        pos = if positive.is_empty() { "0".to_owned() } else { positive.join(", ") },
    ))
    .expect("load");
    for sql in &indexes {
        raw.execute_batch(sql).expect("index");
    }
    // Each contact's best outcome, as `call_record` keeps it (rank, then the newer).
    let mut rank = String::from("CASE a.disposition_id");
    for (id, cat) in &dispositions {
        let reached: i64 = raw
            .query_row(
                "SELECT reached FROM dispositions WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .expect("reached");
        rank.push_str(&format!(" WHEN {id} THEN {}", reached * 8 + rank_of(cat)));
    }
    rank.push_str(" ELSE 0 END");
    raw.execute_batch(&format!(
        "UPDATE campaign_contacts SET best_disposition_id = t.best % 1048576,
                last_attempt_at = (t.best / 1048576) % 8589934592
         FROM (SELECT a.contact_id AS contact_id,
                      MAX(({rank}) * 2251799813685248 + a.started_at * 1048576 + a.disposition_id) AS best
               FROM call_attempts a GROUP BY a.contact_id) t
         WHERE t.contact_id = campaign_contacts.id"
    ))
    .expect("best outcomes");
    drop(raw);
    // The dashboards' counts the store keeps, computed from the rows written here.
    Store::open_with_clock(&Target::Sqlite(tmp.clone()), clock())
        .expect("store")
        .recount(&Actor::cli())
        .expect("recount");
    let raw = rusqlite::Connection::open(&tmp).expect("raw");
    raw.execute_batch("ANALYZE; PRAGMA wal_checkpoint(TRUNCATE);")
        .expect("analyze");
    let attempts: i64 = raw
        .query_row("SELECT COUNT(*) FROM call_attempts", [], |r| r.get(0))
        .expect("count");
    drop(raw);
    std::fs::rename(&tmp, &path).expect("rename");
    eprintln!(
        "built {} ({n} contacts, {attempts} attempts) in {:.0} s",
        path.display(),
        t.elapsed().as_secs_f64()
    );
    (path, c)
}

/// The reads of `Store::indicators` for a whole campaign as the store sends them (the
/// catalog, the unconfirmed imports, the contacts' kept counts by program, city, status and
/// best outcome, today's callbacks, the attempts' totals), written out for the `sqlite3` tool,
/// separated by `;`.
fn main_sql(c: i64) -> String {
    let (today_start, today_end) = telemercadeo::domain::format::day_bounds(
        chrono::DateTime::from_timestamp(NOW, 0)
            .expect("now")
            .with_timezone(&chrono_tz::America::Bogota)
            .date_naive(),
        chrono_tz::America::Bogota,
    );
    let never = i64::MAX;
    format!(
        "SELECT id, code, name, category, reached FROM dispositions ORDER BY sort, id;
         SELECT id, campaign_id FROM import_batches WHERE status <> 'confirmada';
         SELECT k.program, k.city, k.status, k.best_disposition_id, SUM(k.records) FROM contact_counts k
             WHERE k.campaign_id = {c} GROUP BY k.program, k.city, k.status, k.best_disposition_id;
         SELECT COUNT(*) FROM campaign_contacts cc WHERE cc.campaign_id = {c} AND cc.status = 'agendado'
             AND COALESCE(cc.next_call_at, {never}) >= {today_start} AND COALESCE(cc.next_call_at, {never}) < {today_end};
         SELECT COALESCE(SUM(a.attempts), 0), COALESCE(SUM(a.secs), 0) FROM agent_hours a WHERE a.campaign_id = {c}"
    )
}

/// The median time of `runs` runs of `sql` (its statements' times added) through the `sqlite3`
/// tool (`.timer on`), or why not.
fn sqlite3_median(db: &Path, sql: &str, runs: usize) -> Result<Duration, String> {
    let statements = sql.matches(';').count() + 1;
    use std::io::Write;
    let mut script = String::from(".timer on\n.output /dev/null\n");
    for _ in 0..runs {
        script.push_str(sql);
        script.push_str(";\n");
    }
    let mut child = std::process::Command::new("sqlite3")
        .arg("-readonly")
        .arg(db)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("sqlite3 not available ({e}): the yardstick is skipped"))?;
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(script.as_bytes())
        .map_err(|e| e.to_string())?;
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    let each: Vec<f64> = text
        .lines()
        .filter_map(|l| l.strip_prefix("Run Time: real "))
        .filter_map(|l| l.split_whitespace().next()?.parse().ok())
        .collect();
    let mut times: Vec<f64> = each.chunks(statements).map(|c| c.iter().sum()).collect();
    if times.is_empty() {
        return Err(format!("sqlite3 printed no timings: {text}"));
    }
    times.sort_by(f64::total_cmp);
    Ok(Duration::from_secs_f64(times[times.len() / 2]))
}

fn median_of(runs: usize, mut f: impl FnMut()) -> Duration {
    let mut v: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    v.sort();
    v[v.len() / 2]
}

fn bench_indicators(c: &mut Criterion) {
    let n = rows();
    let (db, campaign) = database(n);
    let store = Store::open_with_clock(&Target::Sqlite(db.clone()), clock()).expect("store");
    let cli = Actor::cli();
    let filter = DashboardFilter {
        campaign_id: Some(campaign),
        ..Default::default()
    };
    let d = store.dashboard(&cli, &filter).expect("dashboard");
    eprintln!(
        "dashboard of {} records, {} attempts",
        d.indicators.registros_validos, d.indicators.marcaciones
    );
    let empty_dir = tempfile::tempdir().expect("tmp");
    let empty = Store::open_with_clock(
        &Target::Sqlite(empty_dir.path().join("empty.sqlite3")),
        clock(),
    )
    .expect("empty");
    {
        let dept = empty.add_department(&cli, "Mercadeo").expect("dept").id;
        empty
            .campaign_create_cli(&cli, "Inscripciones", dept, CampaignKind::Otro, "", "")
            .expect("campaign");
    }

    // Medians of single runs measured side by side (printed), then criterion's estimates.
    const RUNS: usize = 11;
    let ours_main = median_of(RUNS, || {
        store
            .indicators(&cli, campaign, None, None)
            .expect("indicators");
    });
    let ours_dash = median_of(RUNS, || {
        store.dashboard(&cli, &filter).expect("dashboard");
    });
    match sqlite3_median(&db, &main_sql(campaign), RUNS) {
        Ok(y) => eprintln!(
            "medians of {RUNS}: dashboard {:.1} ms; indicators (the kept counts by program, city, status and best outcome, today's callbacks, the attempts' totals) {:.1} ms; sqlite3, the same statements {:.1} ms = ratio {:.2}",
            ours_dash.as_secs_f64() * 1e3,
            ours_main.as_secs_f64() * 1e3,
            y.as_secs_f64() * 1e3,
            ours_main.as_secs_f64() / y.as_secs_f64()
        ),
        Err(why) => eprintln!(
            "medians of {RUNS}: dashboard {:.1} ms; indicators {:.1} ms; {why}",
            ours_dash.as_secs_f64() * 1e3,
            ours_main.as_secs_f64() * 1e3
        ),
    }
    // A period or one agent reads that period's attempts (a best outcome is not additive).
    let today = chrono::DateTime::from_timestamp(NOW, 0)
        .expect("now")
        .with_timezone(&chrono_tz::America::Bogota)
        .date_naive();
    let week = DashboardFilter {
        campaign_id: Some(campaign),
        from: Some(today - chrono::Duration::days(6)),
        to: Some(today),
        agent_id: None,
    };
    let agent = DashboardFilter {
        campaign_id: Some(campaign),
        agent_id: d.agents.first().and_then(|a| a.agent_id),
        ..Default::default()
    };
    let ours_week = median_of(5, || {
        store.dashboard(&cli, &week).expect("week");
    });
    let ours_agent = median_of(5, || {
        store.dashboard(&cli, &agent).expect("agent");
    });
    eprintln!(
        "medians of 5: dashboard of the last 7 days {:.1} ms; of one agent over the whole campaign {:.1} ms",
        ours_week.as_secs_f64() * 1e3,
        ours_agent.as_secs_f64() * 1e3
    );
    let big = median_of(101, || {
        store.campaigns(&cli).expect("campaigns");
    });
    let small = median_of(101, || {
        empty.campaigns(&cli).expect("campaigns");
    });
    eprintln!(
        "campaigns() medians of 101: {n} contacts {:.1} µs, empty {:.1} µs = ratio {:.2}",
        big.as_secs_f64() * 1e6,
        small.as_secs_f64() * 1e6,
        big.as_secs_f64() / small.as_secs_f64()
    );

    let mut g = c.benchmark_group("indicators");
    g.sample_size(10);
    g.bench_function("dashboard", |b| {
        b.iter(|| store.dashboard(&cli, &filter).expect("dashboard"))
    });
    g.bench_function("indicators", |b| {
        b.iter(|| {
            store
                .indicators(&cli, campaign, None, None)
                .expect("indicators")
        })
    });
    g.finish();
    let mut g = c.benchmark_group("campaigns");
    g.bench_function("big", |b| {
        b.iter(|| store.campaigns(&cli).expect("campaigns"))
    });
    g.bench_function("empty", |b| {
        b.iter(|| empty.campaigns(&cli).expect("campaigns"))
    });
    g.finish();
}

criterion_group!(benches, bench_indicators);
criterion_main!(benches);
