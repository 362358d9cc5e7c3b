//! Hostile and damaged files: the three bad workbooks of `../shared/data/README.md` and seeded
//! mutations of every shared file end in rows or a clear message, within bounded memory and
//! time — never an abort, an exhausted machine or a hang.
//!
//! An allocation failure aborts the whole process, so the reading runs in a child process: this
//! same test binary, started with `--exact child_reads_the_listed_files` under `ulimit -v`, reads
//! the files listed in `HOSTILE_LIST` and prints one line per file (`@@start i`, then
//! `@@ok i rows` or `@@err i message`) and its peak memory at the end (`@@peak kB`). The
//! parent knows which file was being read when the child died or stopped answering, and
//! keeps that file for reproduction.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use telemercadeo::import::ReadError;
use telemercadeo::import::read::{RowResult, Source, open, sniff};

/// Virtual memory allowed to the child (ulimit -v, KiB): a reading that asks for more aborts.
const CHILD_VM_KB: u64 = 1024 * 1024;
/// Longest a single file may take in the child (debug build, shared machine).
const FILE_DEADLINE: Duration = Duration::from_secs(30);

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// What reading a file gave: its data rows, or the message shown.
fn read_file(path: &Path) -> Result<usize, ReadError> {
    let source = Source::File(path.to_path_buf());
    let sniffed = sniff(&source)?;
    let mut table = open(&source, &sniffed, None)?;
    let mut rows = 0;
    for result in table.rows() {
        match result {
            RowResult::Ok(row) if !row.is_blank() => rows += 1,
            RowResult::Ok(_) | RowResult::WrongWidth { .. } => {}
            RowResult::Failed { error, .. } => return Err(error),
        }
    }
    Ok(rows)
}

/// The child's side: reads every file listed in `HOSTILE_LIST` (one path a line).
#[test]
fn child_reads_the_listed_files() {
    let Ok(list) = std::env::var("HOSTILE_LIST") else {
        return;
    };
    let list = std::fs::read_to_string(list).expect("list");
    let mut out = std::io::stdout().lock();
    for (i, path) in list.lines().enumerate() {
        writeln!(out, "@@start {i}").expect("stdout");
        out.flush().expect("flush");
        let line = match read_file(Path::new(path)) {
            Ok(rows) => format!("@@ok {i} {rows}"),
            Err(e) => format!("@@err {i} {}", e.to_string().replace('\n', " ")),
        };
        writeln!(out, "{line}").expect("stdout");
        out.flush().expect("flush");
    }
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let peak = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .unwrap_or(0);
    writeln!(out, "@@peak {peak}").expect("stdout");
}

/// How the reading of one file ended in the child.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    Rows(usize),
    Message(String),
    /// The child died while reading it (abort, out of memory, signal).
    Died(String),
    /// No answer within [`FILE_DEADLINE`].
    Hung,
}

/// Reads `files` in child processes; returns each file's outcome and the peak memory (KiB) of
/// the child that read the last ones. A child that dies is replaced for the files after.
fn read_in_children(files: &[PathBuf], dir: &Path) -> (Vec<Outcome>, u64) {
    let mut outcomes: Vec<Option<Outcome>> = vec![None; files.len()];
    let mut peak = 0;
    let mut from = 0;
    while from < files.len() {
        let list = dir.join(format!("list-{from}.txt"));
        let text: Vec<String> = files[from..]
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        std::fs::write(&list, text.join("\n")).expect("list");
        let exe = std::env::current_exe().expect("test binary");
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(format!(r#"ulimit -v {CHILD_VM_KB} && exec "$0" "$@""#))
            .arg(exe)
            .args([
                "--exact",
                "child_reads_the_listed_files",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("HOSTILE_LIST", &list)
            .env("MALLOC_ARENA_MAX", "2")
            .env("RUST_BACKTRACE", "0")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("child");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut current: Option<usize> = None;
        let mut last = Instant::now();
        let mut ended_cleanly = false;
        loop {
            match rx.recv_timeout(Duration::from_millis(200)) {
                Ok(line) => {
                    last = Instant::now();
                    let mut parts = line.splitn(3, ' ');
                    let (tag, n, rest) = (parts.next(), parts.next(), parts.next());
                    let index = n.and_then(|n| n.parse::<usize>().ok()).map(|i| from + i);
                    match (tag, index) {
                        (Some("@@start"), Some(i)) => current = Some(i),
                        (Some("@@ok"), Some(i)) => {
                            let rows = rest.and_then(|r| r.parse().ok()).unwrap_or(0);
                            outcomes[i] = Some(Outcome::Rows(rows));
                            current = None;
                        }
                        (Some("@@err"), Some(i)) => {
                            outcomes[i] = Some(Outcome::Message(rest.unwrap_or("").to_string()));
                            current = None;
                        }
                        (Some("@@peak"), _) => {
                            peak = n.and_then(|n| n.parse().ok()).unwrap_or(0);
                            ended_cleanly = true;
                        }
                        _ => {}
                    }
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    if last.elapsed() > FILE_DEADLINE {
                        let _ = child.kill();
                        let _ = child.wait();
                        if let Some(i) = current {
                            outcomes[i] = Some(Outcome::Hung);
                        }
                        break;
                    }
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            }
        }
        let status = child.wait().ok();
        if !ended_cleanly && let Some(i) = current {
            let mut stderr = String::new();
            if let Some(mut e) = child.stderr.take() {
                let _ = std::io::Read::read_to_string(&mut e, &mut stderr);
            }
            let tail: String = stderr.lines().rev().take(3).collect::<Vec<_>>().join(" | ");
            outcomes[i] = Some(Outcome::Died(format!("{status:?}: {tail}")));
        }
        // Start again after the last file with an outcome.
        let done = outcomes
            .iter()
            .rposition(Option::is_some)
            .map_or(0, |i| i + 1);
        if done <= from {
            // The child could not even start: mark the next file and move on.
            outcomes[from] = Some(Outcome::Died(format!("{status:?}")));
            from += 1;
        } else {
            from = done;
        }
    }
    (
        outcomes
            .into_iter()
            .map(|o| o.unwrap_or(Outcome::Died("no answer".to_string())))
            .collect(),
        peak,
    )
}

fn one(path: PathBuf) -> (Outcome, u64) {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut outcomes, peak) = read_in_children(&[path], dir.path());
    (outcomes.remove(0), peak)
}

/// A message in the user's words, not a parser's.
fn clear(message: &str) -> bool {
    !message.trim().is_empty() && !message.contains('{') && message.contains('«')
}

#[test]
fn dimensions_bomb_is_refused_within_bounded_memory() {
    let started = Instant::now();
    let (outcome, peak) = one(fixture("bad/dimensions_bomb.xls"));
    let Outcome::Message(m) = &outcome else {
        panic!("{outcome:?}");
    };
    assert!(m.contains("dañado o inverosímil"), "{m}");
    assert!(m.contains("65536"), "names the format's limit: {m}");
    assert!(peak < 128 * 1024, "peak {peak} kB");
    assert!(started.elapsed() < Duration::from_secs(20));
}

#[test]
fn repeated_rows_are_refused_at_once_within_bounded_memory() {
    let started = Instant::now();
    let (outcome, peak) = one(fixture("bad/repeated_rows.ods"));
    let Outcome::Message(m) = &outcome else {
        panic!("{outcome:?}");
    };
    assert!(
        m.contains("dañado o inverosímil") && m.contains("1000000"),
        "{m}"
    );
    assert!(peak < 128 * 1024, "peak {peak} kB");
    assert!(started.elapsed() < Duration::from_secs(20));
}

#[test]
fn far_corner_reads_its_two_rows_within_bounded_memory() {
    let (outcome, peak) = one(fixture("bad/far_corner.xlsx"));
    assert_eq!(outcome, Outcome::Rows(2));
    assert!(peak < 128 * 1024, "peak {peak} kB");
}

/// The command line too: the three files through a real import, under a memory limit.
#[test]
fn the_cli_imports_far_corner_and_refuses_the_other_two() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("t.sqlite3");
    let bin = env!("CARGO_BIN_EXE_telemercadeo");
    let run = |args: &[&str]| {
        Command::new("sh")
            .arg("-c")
            .arg(r#"ulimit -v 1048576 && exec "$0" "$@""#)
            .arg(bin)
            .arg("--db")
            .arg(&db)
            .args(args)
            .env_remove("TELEMERCADEO_DB")
            .env("TELEMERCADEO_PASSWORD", "clave-segura-1")
            .env("USER", "prueba")
            .env("MALLOC_ARENA_MAX", "2")
            .stdin(Stdio::null())
            .output()
            .expect("run")
    };
    let o = run(&[
        "user", "add", "--login", "a1", "--name", "a1", "--role", "auxiliar",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = run(&[
        "campaign",
        "create",
        "--name",
        "X",
        "--department",
        "Admisiones",
        "--json",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let id: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let id = id["id"].as_i64().expect("id").to_string();
    let far = fixture("bad/far_corner.xlsx");
    let o = run(&[
        "import",
        "--campaign",
        &id,
        "--json",
        far.to_str().expect("path"),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["imported"].as_i64(), Some(2), "{v}");
    for bad in ["bad/dimensions_bomb.xls", "bad/repeated_rows.ods"] {
        let path = fixture(bad);
        let o = run(&["import", "--campaign", &id, path.to_str().expect("path")]);
        assert_eq!(o.status.code(), Some(1), "{bad}: {o:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("dañado o inverosímil"), "{bad}: {err}");
    }
}

/// One change to a file's bytes.
#[derive(Clone, Debug)]
enum Mutation {
    /// Flip one bit (position as a fraction of the length, in 1/65536).
    BitFlip { at: u32, bit: u8 },
    /// Keep only the start.
    Cut { at: u32 },
    /// Copy a span somewhere else (inserted).
    Duplicate { from: u32, len: u16, to: u32 },
    /// Overwrite one byte with a byte parsers care about.
    Odd { at: u32, byte: u8 },
    /// Overwrite a span with random bytes.
    Random { at: u32, bytes: Vec<u8> },
}

fn position(at: u32, len: usize) -> usize {
    (at as usize * len) >> 16
}

fn apply(data: &mut Vec<u8>, m: &Mutation) {
    if data.is_empty() {
        return;
    }
    match m {
        Mutation::BitFlip { at, bit } => {
            let i = position(*at, data.len());
            data[i] ^= 1 << (bit % 8);
        }
        Mutation::Cut { at } => data.truncate(position(*at, data.len())),
        Mutation::Duplicate { from, len, to } => {
            let from = position(*from, data.len());
            let end = (from + *len as usize).min(data.len());
            let span = data[from..end].to_vec();
            let to = position(*to, data.len());
            data.splice(to..to, span);
        }
        Mutation::Odd { at, byte } => {
            let i = position(*at, data.len());
            data[i] = *byte;
        }
        Mutation::Random { at, bytes } => {
            let i = position(*at, data.len());
            for (d, b) in data[i..].iter_mut().zip(bytes) {
                *d = *b;
            }
        }
    }
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let at = 0u32..65_536;
    prop_oneof![
        4 => (at.clone(), any::<u8>()).prop_map(|(at, bit)| Mutation::BitFlip { at, bit }),
        1 => at.clone().prop_map(|at| Mutation::Cut { at }),
        2 => (at.clone(), 1u16..4096, at.clone())
            .prop_map(|(from, len, to)| Mutation::Duplicate { from, len, to }),
        3 => (
            at.clone(),
            prop::sample::select(vec![
                0u8, 0xFF, 0x7F, 0x80, b'"', b';', b',', b'\n', b'\r', b'<', b'9', 0xFE
            ])
        )
            .prop_map(|(at, byte)| Mutation::Odd { at, byte }),
        2 => (at, prop::collection::vec(any::<u8>(), 1..512))
            .prop_map(|(at, bytes)| Mutation::Random { at, bytes }),
    ]
}

/// A readable `.xls`: the bomb with its DIMENSIONS record told the truth (501 rows, 9 columns).
fn sound_xls() -> Vec<u8> {
    let mut data = std::fs::read(fixture("bad/dimensions_bomb.xls")).expect("xls");
    let mut i = 0;
    while i + 18 <= data.len() {
        if data[i..i + 4] == [0x00, 0x02, 14, 0] {
            let rl = u32::from_le_bytes([data[i + 8], data[i + 9], data[i + 10], data[i + 11]]);
            if rl > 65_536 {
                data[i + 8..i + 12].copy_from_slice(&501u32.to_le_bytes());
                data[i + 14..i + 16].copy_from_slice(&9u16.to_le_bytes());
            }
        }
        i += 1;
    }
    data
}

#[test]
fn the_sound_xls_reads_its_494_non_blank_rows() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("sound.xls");
    std::fs::write(&path, sound_xls()).expect("write");
    let (outcome, _) = one(path);
    assert_eq!(outcome, Outcome::Rows(494));
}

/// Seeded mutations of every shared file: each ends in rows or a clear message, in a child
/// under a memory limit and a deadline. A failing case is reported with its mutations and
/// the mutated file is kept under `target/hostile-failures/` to reproduce it.
#[test]
fn mutated_files_end_in_rows_or_a_clear_message() {
    const CASES: usize = 96;
    let bases: Vec<(&str, Vec<u8>)> = vec![
        (
            "contacts_utf8.csv",
            std::fs::read(fixture("contacts_utf8.csv")).expect("base"),
        ),
        (
            "contacts_excel_es.csv",
            std::fs::read(fixture("contacts_excel_es.csv")).expect("base"),
        ),
        (
            "contacts.xlsx",
            std::fs::read(fixture("contacts.xlsx")).expect("base"),
        ),
        ("contacts.xls", sound_xls()),
        (
            "repeated_rows.ods",
            std::fs::read(fixture("bad/repeated_rows.ods")).expect("base"),
        ),
        (
            "far_corner.xlsx",
            std::fs::read(fixture("bad/far_corner.xlsx")).expect("base"),
        ),
        (
            "ragged.csv",
            std::fs::read(fixture("bad/ragged.csv")).expect("base"),
        ),
        (
            "truncated.xlsx",
            std::fs::read(fixture("bad/truncated.xlsx")).expect("base"),
        ),
    ];
    let seed = [7u8; 32];
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &seed),
    );
    let strategy = (0..bases.len(), prop::collection::vec(mutation(), 1..4));
    let dir = tempfile::tempdir().expect("tempdir");
    let mut files = Vec::new();
    let mut described = Vec::new();
    for case in 0..CASES {
        let (base, mutations) = strategy.new_tree(&mut runner).expect("strategy").current();
        let (name, data) = &bases[base];
        let mut data = data.clone();
        for m in &mutations {
            apply(&mut data, m);
        }
        let path = dir.path().join(format!("case{case:03}-{name}"));
        std::fs::write(&path, &data).expect("write");
        files.push(path);
        described.push(format!("case {case}: {name} with {mutations:?}"));
    }
    let started = Instant::now();
    let (outcomes, _) = read_in_children(&files, dir.path());
    let mut failures = Vec::new();
    for (i, outcome) in outcomes.iter().enumerate() {
        let bad = match outcome {
            Outcome::Rows(_) => false,
            Outcome::Message(m) => !clear(m),
            Outcome::Died(_) | Outcome::Hung => true,
        };
        if bad {
            let keep = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/hostile-failures");
            let _ = std::fs::create_dir_all(&keep);
            let kept = keep.join(files[i].file_name().expect("name"));
            let _ = std::fs::copy(&files[i], &kept);
            failures.push(format!(
                "{}: {outcome:?} (kept as {})",
                described[i],
                kept.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Both ends happen: some mutations still read, some are refused with a message.
    assert!(outcomes.iter().any(|o| matches!(o, Outcome::Rows(_))));
    assert!(outcomes.iter().any(|o| matches!(o, Outcome::Message(_))));
    eprintln!("{CASES} mutated files in {:?}", started.elapsed());
}
