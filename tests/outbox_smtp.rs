//! The outbox against a real SMTP server on loopback (Debian's `python3-aiosmtpd`, which
//! `.ci/run` installs), not a mock: the server saves each message it accepts as a Maildir file,
//! read back with Python's `email` parser (`tests/support/read_mail.py`). Without the server
//! the tests say so and pass, unless `CI` is set: there they must run.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};
use telemercadeo::domain::inbound::{OutboxKind, OutboxStatus};
use telemercadeo::domain::mail::{self, OutboxFilter, Security, SmtpSettings};
use telemercadeo::domain::{Actor, TestClock};
use telemercadeo::store::outbox::NewMessage;
use telemercadeo::store::{Store, Target};

const NOW: i64 = 1_795_910_400 + 15 * 3600;

/// A Python that has aiosmtpd (Debian's package installs it for /usr/bin/python3).
fn python() -> Option<&'static str> {
    ["/usr/bin/python3", "python3"].into_iter().find(|py| {
        Command::new(py)
            .args(["-c", "import aiosmtpd"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    })
}

/// The Python to use, or `None` (after saying why) when the tests may be skipped.
fn python_or_skip(test: &str) -> Option<&'static str> {
    match python() {
        Some(py) => Some(py),
        None if std::env::var_os("CI").is_some() => {
            panic!(
                "CI is set but no python3 with aiosmtpd: install python3-aiosmtpd (.ci/run does)"
            )
        }
        None => {
            eprintln!(
                "SKIPPED {test}: no SMTP server to test against (apt-get install python3-aiosmtpd)"
            );
            None
        }
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// aiosmtpd on loopback, saving messages under `dir/new/`; stopped when dropped.
struct Server {
    child: Child,
}

impl Server {
    /// `dir` must not exist yet (the Maildir is created with its `tmp/new/cur`).
    fn start(py: &str, port: u16, dir: &Path) -> Server {
        let child = Command::new(py)
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{port}"))
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start aiosmtpd");
        // Ready once it greets ("220 …"), not merely once the port accepts: on a loaded
        // machine the greeting can come well after the listen.
        let t0 = Instant::now();
        let greets = || {
            use std::io::Read;
            let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) else {
                return false;
            };
            let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
            let mut buf = [0u8; 3];
            s.read_exact(&mut buf).is_ok() && &buf == b"220"
        };
        while !greets() {
            assert!(
                t0.elapsed() < Duration::from_secs(30),
                "aiosmtpd did not greet on {port}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Server { child }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The messages the server saved, oldest first, each read back as JSON.
fn received(py: &str, dir: &Path) -> Vec<serde_json::Value> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join("new"))
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.sort_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
    files
        .iter()
        .map(|f| {
            let out = Command::new(py)
                .arg(concat!(
                    env!("CARGO_MANIFEST_DIR"),
                    "/tests/support/read_mail.py"
                ))
                .arg(f)
                .output()
                .expect("read_mail.py");
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            serde_json::from_slice(&out.stdout).expect("json")
        })
        .collect()
}

fn smtp(port: u16) -> SmtpSettings {
    SmtpSettings {
        host: "127.0.0.1".into(),
        port,
        security: Security::Ninguna,
        user: String::new(),
        from_address: "mercadeo@universidad.edu.co".into(),
        from_name: "Mercadeo Universidad".into(),
    }
}

fn store_at(clock: &TestClock) -> Store {
    Store::open_with_clock(&Target::Memory, Arc::new(clock.clone())).expect("store")
}

fn remission(to: &str) -> NewMessage {
    NewMessage {
        to: to.into(),
        subject: "Remisión: Especialización en Gerencia de Proyectos".into(),
        body: "Buenos días,\n\nAna María Ríos (300 123 4567) pide información.\nGracias.".into(),
        kind: Some(OutboxKind::Remision),
        created_by: "aperez".into(),
        ..Default::default()
    }
}

fn status_of(store: &Store, id: i64) -> telemercadeo::domain::mail::OutboxMessage {
    store.outbox_message(&Actor::cli(), id).expect("message")
}

#[test]
fn a_message_arrives_with_its_recipient_subject_body_and_attachment() {
    let Some(py) = python_or_skip("a_message_arrives") else {
        return;
    };
    let tmp = tempfile::tempdir().expect("dir");
    let dir = tmp.path().join("mail");
    let port = free_port();
    let _server = Server::start(py, port, &dir);
    let clock = TestClock::at(NOW);
    let store = store_at(&clock);
    let brochure: Vec<u8> = (0..5000u32).map(|i| (i * 7 % 251) as u8).collect();
    let id = store
        .outbox_queue(
            &Actor::cli(),
            &remission("gestor.posgrados@universidad.edu.co"),
            &[(
                "Folleto Gerencia.pdf".into(),
                "application/pdf".into(),
                brochure.clone(),
            )],
        )
        .expect("queue");
    let summary = mail::SendSummary {
        due: 1,
        sent: 1,
        ..Default::default()
    };
    let sent = telemercadeo::mail::send_due(&store, &smtp(port), None).expect("send");
    assert_eq!(
        sent,
        summary,
        "server said: {:?}",
        status_of(&store, id).last_error
    );
    let m = status_of(&store, id);
    assert_eq!(m.status, OutboxStatus::Enviado);
    assert_eq!(m.sent_at, Some(NOW));
    assert_eq!(m.lease_until, None);
    assert_eq!(m.handed_over, None);

    let got = received(py, &dir);
    assert_eq!(got.len(), 1, "{got:?}");
    let mail = &got[0];
    assert_eq!(mail["rcpt_to"], "gestor.posgrados@universidad.edu.co");
    assert_eq!(mail["mail_from"], "mercadeo@universidad.edu.co");
    assert_eq!(
        mail["subject"],
        "Remisión: Especialización en Gerencia de Proyectos"
    );
    assert!(
        mail["from"]
            .as_str()
            .is_some_and(|f| f.contains("Mercadeo Universidad") && f.contains("mercadeo@")),
        "{mail}"
    );
    assert_eq!(mail["message_id"], format!("<{}@telemercadeo>", m.uuid));
    let body = mail["body"].as_str().expect("body").replace("\r\n", "\n");
    assert!(
        body.contains("Ana María Ríos (300 123 4567) pide información."),
        "{body}"
    );
    let files = mail["attachments"].as_array().expect("attachments");
    assert_eq!(files.len(), 1);
    assert_eq!(files[0]["name"], "Folleto Gerencia.pdf");
    assert_eq!(files[0]["mime"], "application/pdf");
    assert_eq!(files[0]["size"], brochure.len());
    let sha: String = Sha256::digest(&brochure)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(files[0]["sha256"], sha);

    // Nothing is due any more: a second round sends nothing.
    let again = telemercadeo::mail::send_due(&store, &smtp(port), None).expect("again");
    assert_eq!(again.due, 0);
    assert_eq!(received(py, &dir).len(), 1);
}

#[test]
fn a_server_down_at_first_gets_the_message_on_a_later_attempt_after_the_back_off() {
    let Some(py) = python_or_skip("server_down_then_up") else {
        return;
    };
    let tmp = tempfile::tempdir().expect("dir");
    let dir = tmp.path().join("mail");
    let port = free_port();
    let clock = TestClock::at(NOW);
    let store = store_at(&clock);
    let id = store
        .outbox_queue(&Actor::cli(), &remission("gestor@universidad.edu.co"), &[])
        .expect("queue");
    // Nobody listens yet.
    let first = telemercadeo::mail::send_due(&store, &smtp(port), None).expect("round");
    assert_eq!(
        (first.due, first.sent, first.retry, first.failed),
        (1, 0, 1, 0)
    );
    assert!(first.error.is_some());
    let m = status_of(&store, id);
    assert_eq!(m.status, OutboxStatus::Pendiente);
    assert_eq!(m.attempts, 1);
    assert!(m.last_error.as_deref().is_some_and(|e| !e.is_empty()));
    assert_eq!(m.next_attempt_at, Some(NOW + mail::backoff_secs(1)));
    assert_eq!(m.lease_until, None);

    // The server comes up, but the back-off is honoured: not due before its time.
    let _server = Server::start(py, port, &dir);
    clock.advance(mail::backoff_secs(1) - 1);
    let early = telemercadeo::mail::send_due(&store, &smtp(port), None).expect("early");
    assert_eq!(early.due, 0);
    assert!(received(py, &dir).is_empty());

    clock.advance(1);
    let later = telemercadeo::mail::send_due(&store, &smtp(port), None).expect("later");
    assert_eq!((later.due, later.sent), (1, 1));
    let m = status_of(&store, id);
    assert_eq!(m.status, OutboxStatus::Enviado);
    assert_eq!(m.attempts, 1, "the failed attempt stays counted");
    assert_eq!(m.last_error, None);
    let got = received(py, &dir);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0]["rcpt_to"], "gestor@universidad.edu.co");
}

#[test]
fn a_sender_killed_between_sending_and_marking_resends_with_the_same_message_id() {
    let Some(py) = python_or_skip("killed_between_send_and_mark") else {
        return;
    };
    let tmp = tempfile::tempdir().expect("dir");
    let dir = tmp.path().join("mail");
    let port = free_port();
    let _server = Server::start(py, port, &dir);
    let clock = TestClock::at(NOW);
    let store = store_at(&clock);
    let id = store
        .outbox_queue(&Actor::cli(), &remission("gestor@universidad.edu.co"), &[])
        .expect("queue");

    // A sender claims it and sends it, then dies before marking it.
    let out = store
        .outbox_claim("otro-equipo:4242", id)
        .expect("claim")
        .expect("claimed");
    telemercadeo::mail::smtp::send_once(&smtp(port), None, &out).expect("sent");
    assert_eq!(received(py, &dir).len(), 1);

    // While its lease lasts, nobody sends it again.
    clock.advance(mail::LEASE_SECS - 1);
    let held = telemercadeo::mail::send_due(&store, &smtp(port), None).expect("held");
    assert_eq!(held.due, 0);
    assert_eq!(status_of(&store, id).status, OutboxStatus::Pendiente);

    // The lease expires: another sender takes it and sends it again, the same mail.
    clock.advance(1);
    let again = telemercadeo::mail::send_due(&store, &smtp(port), None).expect("again");
    assert_eq!((again.due, again.sent), (1, 1));
    assert_eq!(status_of(&store, id).status, OutboxStatus::Enviado);
    let got = received(py, &dir);
    assert_eq!(got.len(), 2, "at least once: delivered twice, never lost");
    assert_eq!(got[0]["message_id"], got[1]["message_id"]);
    assert_eq!(
        got[0]["message_id"],
        format!("<{}@telemercadeo>", out.message.uuid)
    );
    assert_eq!(got[0]["subject"], got[1]["subject"]);

    // The dead sender's late mark changes nothing.
    assert!(!store.outbox_mark_sent(id).expect("late mark"));
    assert_eq!(
        store
            .outbox_mark_failed("otro-equipo:4242", id, "late")
            .expect("late failure"),
        None
    );
}

#[test]
fn the_command_line_sends_what_is_due_and_prints_a_summary() {
    let Some(py) = python_or_skip("cli_outbox_send") else {
        return;
    };
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("t.sqlite3");
    let mail_dir = dir.path().join("mail");
    let port = free_port();
    let _server = Server::start(py, port, &mail_dir);
    let bin = env!("CARGO_BIN_EXE_telemercadeo");
    let run = |args: &[&str]| {
        Command::new(bin)
            .arg("--db")
            .arg(&db)
            .args(args)
            .env_remove("TELEMERCADEO_SMTP_PASSWORD")
            .output()
            .expect("run")
    };
    // No server configured yet: nothing to do (exit 3).
    {
        let store = Store::open(&Target::Sqlite(db.clone())).expect("store");
        store
            .outbox_queue(&Actor::cli(), &remission("gestor@universidad.edu.co"), &[])
            .expect("queue");
    }
    let out = run(&["outbox", "send", "--json"]);
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    {
        let store = Store::open(&Target::Sqlite(db.clone())).expect("store");
        store
            .save_smtp_settings(&Actor::cli(), &smtp(port))
            .expect("smtp");
    }
    let out = run(&["outbox", "send", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["due"], 1);
    assert_eq!(v["sent"], 1);
    assert_eq!(v["failed"], 0);
    assert_eq!(received(py, &mail_dir).len(), 1);

    let out = run(&["outbox", "list", "--json", "--status", "enviado"]);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v.as_array().map(Vec::len), Some(1));
    assert_eq!(v[0]["status"], "enviado");
    assert_eq!(v[0]["to"], "gestor@universidad.edu.co");
    let out = run(&["outbox", "list", "--status", "nada"]);
    assert_eq!(out.status.code(), Some(2));
    // A server that needs a password the command line does not have: refused (exit 1).
    {
        let store = Store::open(&Target::Sqlite(db.clone())).expect("store");
        let with_user = SmtpSettings {
            user: "mercadeo".into(),
            ..smtp(port)
        };
        store
            .save_smtp_settings(&Actor::cli(), &with_user)
            .expect("smtp");
        assert_eq!(
            store
                .outbox_list(&Actor::cli(), &OutboxFilter::default())
                .expect("list")
                .len(),
            1
        );
    }
    let out = Command::new(bin)
        .arg("--db")
        .arg(&db)
        .args(["outbox", "send"])
        .env_remove("TELEMERCADEO_SMTP_PASSWORD")
        .env("TELEMERCADEO_NO_KEYRING", "1")
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
