//! The campaign results report (issue 12, "Informe de resultados"): every figure equals a
//! direct SQL count on the demo database; the XLSX read back with calamine (sheets, figures,
//! phones as text, neutralised formulas, a cut huge text); the PDF's text (figures, "Página 1
//! de N"); exports of the hostile fixture files; an empty report for a planned campaign; the
//! record (narrative, due date, delivery by e-mail and by hand, satisfaction) with its rules;
//! the command line.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::Arc;

use calamine::{Data, Reader, Xlsx};
use telemercadeo::domain::procedure::{BriefStatus, CampaignStatus};
use telemercadeo::domain::results::ReportStatus;
use telemercadeo::domain::weekly::{Delivery, XLSX_MIME};
use telemercadeo::domain::{Actor, TestClock};
use telemercadeo::report::results::{results_csv, results_pdf, results_xlsx};
use telemercadeo::store::{Error, Store, Target};

/// 2026-12-03 16:00 in Bogotá.
const NOW: i64 = 1_796_331_600;

struct Demo {
    _dir: tempfile::TempDir,
    path: PathBuf,
    store: Store,
    active: i64,
}

fn demo() -> Demo {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("demo.sqlite3");
    let store = Store::open_with_clock(&Target::Sqlite(path.clone()), Arc::new(TestClock::at(NOW)))
        .expect("store");
    let s = telemercadeo::demo::fill(&store, &Actor::cli()).expect("demo");
    Demo {
        _dir: dir,
        path,
        store,
        active: s.active_campaign,
    }
}

fn count(sql: &rusqlite::Connection, q: &str, c: i64) -> i64 {
    sql.query_row(q, [c], |r| r.get(0)).expect(q)
}

#[test]
fn every_figure_equals_a_direct_count() {
    let d = demo();
    let c = d.active;
    let sql = rusqlite::Connection::open(&d.path).expect("sql");
    let r = d.store.results(&Actor::cli(), c).expect("results");
    let i = &r.indicators;
    assert_eq!(
        i.registros_validos,
        count(
            &sql,
            "SELECT COUNT(*) FROM campaign_contacts WHERE campaign_id = ?1",
            c
        )
    );
    assert!(i.marcaciones > 0, "the demo has calls");
    assert_eq!(
        i.marcaciones,
        count(
            &sql,
            "SELECT COUNT(*) FROM call_attempts WHERE campaign_id = ?1",
            c
        )
    );
    assert_eq!(
        i.gestionados,
        count(
            &sql,
            "SELECT COUNT(DISTINCT contact_id) FROM call_attempts WHERE campaign_id = ?1",
            c
        )
    );
    assert_eq!(
        i.contactados,
        count(
            &sql,
            "SELECT COUNT(DISTINCT a.contact_id) FROM call_attempts a JOIN dispositions d ON d.id = a.disposition_id WHERE a.campaign_id = ?1 AND d.reached = 1 AND d.category <> 'tercero'",
            c
        )
    );
    assert_eq!(
        i.positivos,
        count(
            &sql,
            "SELECT COUNT(DISTINCT a.contact_id) FROM call_attempts a JOIN dispositions d ON d.id = a.disposition_id WHERE a.campaign_id = ?1 AND d.category = 'positivo'",
            c
        )
    );
    assert_eq!(
        i.talk_secs,
        count(
            &sql,
            "SELECT SUM(duration_secs) FROM call_attempts WHERE campaign_id = ?1",
            c
        )
    );
    assert_eq!(
        i.pendientes,
        count(
            &sql,
            "SELECT COUNT(*) FROM campaign_contacts WHERE campaign_id = ?1 AND status IN ('pendiente', 'agendado')",
            c
        )
    );
    // Per disposition: records by their best outcome, attempts by theirs.
    for row in &r.dispositions {
        let records: i64 = sql
            .query_row(
                "SELECT COUNT(*) FROM campaign_contacts cc JOIN dispositions d ON d.id = cc.best_disposition_id WHERE cc.campaign_id = ?1 AND d.code = ?2",
                rusqlite::params![c, row.code],
                |x| x.get(0),
            )
            .expect("records");
        let attempts: i64 = sql
            .query_row(
                "SELECT COUNT(*) FROM call_attempts a JOIN dispositions d ON d.id = a.disposition_id WHERE a.campaign_id = ?1 AND d.code = ?2",
                rusqlite::params![c, row.code],
                |x| x.get(0),
            )
            .expect("attempts");
        assert_eq!(
            (row.records, row.attempts),
            (records, attempts),
            "{}",
            row.code
        );
    }
    assert_eq!(
        r.dispositions.iter().map(|d| d.records).sum::<i64>(),
        i.gestionados,
        "every record attempted has one best outcome"
    );
    assert_eq!(
        r.terceros,
        count(
            &sql,
            "SELECT COUNT(*) FROM campaign_contacts cc JOIN dispositions d ON d.id = cc.best_disposition_id WHERE cc.campaign_id = ?1 AND d.code = 'tercero'",
            c
        )
    );
    assert_eq!(
        r.reasons.iter().map(|x| x.1).sum::<i64>(),
        count(
            &sql,
            "SELECT COUNT(*) FROM call_attempts WHERE campaign_id = ?1 AND reason IS NOT NULL AND reason <> ''",
            c
        )
    );
    // Per day, heatmap and per agent add up to the attempts.
    assert_eq!(
        r.days.iter().map(|x| x.attempts).sum::<i64>(),
        i.marcaciones
    );
    let heat: i64 = r.heatmap.iter().flatten().map(|x| x.0).sum();
    assert_eq!(heat + r.outside_bands, i.marcaciones);
    let reached_attempts = count(
        &sql,
        "SELECT COUNT(*) FROM call_attempts a JOIN dispositions d ON d.id = a.disposition_id WHERE a.campaign_id = ?1 AND d.reached = 1 AND d.category <> 'tercero'",
        c,
    );
    assert_eq!(
        r.days.iter().map(|x| x.reached).sum::<i64>(),
        reached_attempts
    );
    assert_eq!(
        r.agents.iter().map(|a| a.attempts).sum::<i64>(),
        i.marcaciones
    );
    for a in &r.agents {
        let n: i64 = sql
            .query_row(
                "SELECT COUNT(*) FROM call_attempts a JOIN users u ON u.id = a.agent_id WHERE a.campaign_id = ?1 AND u.login = ?2",
                rusqlite::params![c, a.login],
                |x| x.get(0),
            )
            .expect("agent");
        assert_eq!(a.attempts, n, "{}", a.login);
    }
    // Contacts: one row each, with their attempts.
    assert_eq!(r.contacts.len() as i64, i.registros_validos);
    assert_eq!(
        r.contacts.iter().map(|x| x.attempts).sum::<i64>(),
        i.marcaciones
    );
    // Survey answers: as many as the attempts' answers hold.
    let answered: i64 = sql
        .prepare("SELECT answers FROM call_attempts WHERE campaign_id = ?1")
        .expect("prepare")
        .query_map([c], |x| x.get::<_, String>(0))
        .expect("rows")
        .map(|a| {
            let v: serde_json::Value = serde_json::from_str(&a.expect("row")).expect("json");
            v.as_object().map_or(0, |o| {
                o.values()
                    .map(|v| match v {
                        serde_json::Value::Array(a) => a.len() as i64,
                        serde_json::Value::Null => 0,
                        serde_json::Value::String(s) if s.trim().is_empty() => 0,
                        _ => 1,
                    })
                    .sum()
            })
        })
        .sum();
    assert_eq!(r.survey.iter().map(|s| s.count).sum::<i64>(), answered);
    assert_eq!(r.record.status, ReportStatus::Borrador, "the campaign runs");
}

fn cell(range: &calamine::Range<Data>, row: u32, col: u32) -> Data {
    range.get_value((row, col)).cloned().unwrap_or(Data::Empty)
}

#[test]
fn the_xlsx_reads_back_with_its_sheets_figures_and_safe_cells() {
    let d = demo();
    let c = d.active;
    let sql = rusqlite::Connection::open(&d.path).expect("sql");
    // A hostile name and a note longer than a cell holds.
    let first: i64 = sql
        .query_row(
            "SELECT contact_id FROM call_attempts WHERE campaign_id = ?1 ORDER BY contact_id LIMIT 1",
            [c],
            |r| r.get(0),
        )
        .expect("contact");
    sql.execute(
        "UPDATE campaign_contacts SET name = '=HYPERLINK(\"http://x.invalid\",\"x\")' WHERE id = ?1",
        [first],
    )
    .expect("name");
    sql.execute(
        "UPDATE call_attempts SET notes = '@' || printf('%.40000c', 'n') WHERE contact_id = ?1",
        [first],
    )
    .expect("note");
    drop(sql);
    let r = d.store.results(&Actor::cli(), c).expect("results");
    let settings = d.store.settings().expect("settings");
    let bytes = results_xlsx(&r, &settings).expect("xlsx");
    // Two native Excel charts on the summary (their parts' names are stored uncompressed).
    for part in ["xl/charts/chart1.xml", "xl/charts/chart2.xml"] {
        assert!(
            bytes.windows(part.len()).any(|w| w == part.as_bytes()),
            "{part} in the workbook"
        );
    }
    let mut wb: Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).expect("open");
    let names = wb.sheet_names();
    for s in [
        "Resumen",
        "Por resultado",
        "Por día",
        "Por auxiliar",
        "Motivos",
        "Contactabilidad por franja",
        "Contactos",
        "Encuesta",
        "Conclusiones",
    ] {
        assert!(names.iter().any(|n| n == s), "sheet {s} in {names:?}");
    }
    // Summary: each indicator with its value and how it is computed.
    let summary = wb.worksheet_range("Resumen").expect("summary");
    let find = |label: &str| {
        (0..summary.height() as u32)
            .find(|&row| cell(&summary, row, 0) == Data::String(label.into()))
            .unwrap_or_else(|| panic!("{label} in the summary"))
    };
    let i = &r.indicators;
    for (label, v) in [
        ("Registros válidos", i.registros_validos),
        ("Gestionados", i.gestionados),
        ("Contactados", i.contactados),
        ("Positivos", i.positivos),
        ("Marcaciones", i.marcaciones),
    ] {
        assert_eq!(
            cell(&summary, find(label), 1),
            Data::Float(v as f64),
            "{label}"
        );
    }
    let barrido = find("Barrido");
    assert_eq!(
        cell(&summary, barrido, 1),
        Data::Float(i.gestionados as f64 / i.registros_validos as f64)
    );
    assert_eq!(
        cell(&summary, barrido, 3),
        Data::String("gestionados ÷ registros válidos".into())
    );
    // Per disposition: the first row is the largest.
    let disp = wb.worksheet_range("Por resultado").expect("disp");
    assert_eq!(
        cell(&disp, 1, 2),
        Data::Float(r.dispositions[0].records as f64)
    );
    // Contacts: phones as text, the hostile name neutralised, the long note cut with a mark.
    let contacts = wb.worksheet_range("Contactos").expect("contacts");
    assert_eq!(contacts.height(), r.contacts.len() + 1);
    let mut phones = 0;
    for row in 1..contacts.height() as u32 {
        match cell(&contacts, row, 1) {
            Data::String(p) => {
                assert!(!p.starts_with('+'), "{p}");
                if p.len() == 12 {
                    assert_eq!(p.as_bytes()[3], b' ', "{p}");
                    phones += 1;
                }
            }
            other => panic!("a phone as {other:?}"),
        }
        for col in 0..contacts.width() as u32 {
            if let Data::String(s) = cell(&contacts, row, col) {
                assert!(
                    !s.starts_with(['=', '+', '-', '@']),
                    "row {row} col {col}: {s:.40}"
                );
                assert!(s.chars().count() <= 32_767);
            }
        }
    }
    assert!(phones > 0);
    let hostile = (1..contacts.height() as u32)
        .find(|&row| matches!(cell(&contacts, row, 0), Data::String(s) if s.contains("HYPERLINK")))
        .expect("the hostile row");
    assert_eq!(
        cell(&contacts, hostile, 0),
        Data::String("'=HYPERLINK(\"http://x.invalid\",\"x\")".into())
    );
    let Data::String(note) = cell(&contacts, hostile, 10) else {
        panic!("notes")
    };
    assert!(note.starts_with("'@"), "{note:.20}");
    assert!(note.contains("texto recortado"), "a visible mark");
    // No formula anywhere.
    for s in wb.sheet_names() {
        let f = wb.worksheet_formula(&s).expect("formulas");
        assert!(f.used_cells().next().is_none(), "no formula in {s}");
    }
}

#[test]
fn the_pdf_shows_the_figures_and_its_pages() {
    let d = demo();
    let r = d.store.results(&Actor::cli(), d.active).expect("results");
    let settings = d.store.settings().expect("settings");
    let pdf = results_pdf(&r, &settings, NOW).expect("pdf");
    let pages = pdf_extract::extract_text_from_mem_by_pages(&pdf).expect("pages");
    let n = pages.len();
    assert!(n >= 2, "the charts take more than a page");
    assert!(
        pages[0].contains(&format!("Página 1 de {n}")),
        "{}",
        pages[0]
    );
    let text = pdf_extract::extract_text_from_mem(&pdf).expect("text");
    let i = &r.indicators;
    for v in [
        i.registros_validos,
        i.gestionados,
        i.contactados,
        i.positivos,
        i.marcaciones,
    ] {
        assert!(
            text.contains(&telemercadeo::domain::format::int(v)),
            "{v} in the PDF"
        );
    }
    for word in [
        "GF-MK-PR-01-02",
        "Contactabilidad",
        "contactados ÷ gestionados",
        "Registros por mejor resultado",
        "Marcaciones por día",
        "Conclusiones y recomendaciones",
    ] {
        assert!(text.contains(word), "{word}");
    }
    // English: the record's fixed words come from the locale files.
    let en = telemercadeo::i18n::with_lang(telemercadeo::i18n::Lang::En, || {
        results_pdf(&r, &settings, NOW).expect("pdf")
    });
    let pages = pdf_extract::extract_text_from_mem_by_pages(&en).expect("pages");
    assert!(pages[0].contains(&format!("Page 1 of {}", pages.len())));
}

#[test]
fn a_planned_campaign_gives_an_empty_report() {
    let d = demo();
    let cli = Actor::cli();
    let planned = d
        .store
        .campaigns(&cli)
        .expect("campaigns")
        .into_iter()
        .find(|c| c.status == CampaignStatus::Planificada)
        .expect("a planned campaign");
    let r = d.store.results(&cli, planned.id).expect("results");
    assert_eq!(r.indicators.marcaciones, 0);
    assert!(r.days.is_empty() && r.agents.is_empty() && r.dispositions.is_empty());
    assert_eq!(
        r.indicators.barrido(),
        Some(0.0),
        "contacts loaded, none called"
    );
    assert_eq!(r.indicators.contactabilidad(), None, "no denominator");
    let settings = d.store.settings().expect("settings");
    assert!(
        results_xlsx(&r, &settings)
            .expect("xlsx")
            .starts_with(b"PK")
    );
    let pdf = results_pdf(&r, &settings, NOW).expect("pdf");
    let text = pdf_extract::extract_text_from_mem(&pdf).expect("text");
    assert!(text.contains("Sin datos todavía"));
    let csv = results_csv(&r, &settings).expect("csv");
    assert!(csv.starts_with(&[0xEF, 0xBB, 0xBF]));
}

#[test]
fn the_record_narrative_delivery_and_satisfaction() {
    let d = demo();
    let store = &d.store;
    let prof = common::actor(store, "lgomez");
    let head = common::actor(store, "mcastro");
    let posgrados = common::actor(store, "posgrados");
    let ingenieria = common::actor(store, "ingenieria");
    let agent = common::actor(store, "aperez");
    let cli = Actor::cli();
    let c = store
        .campaigns(&cli)
        .expect("campaigns")
        .into_iter()
        .find(|c| c.department == "Dirección de Posgrados")
        .expect("the Posgrados campaign");
    // Who sees it.
    assert!(store.results(&posgrados, c.id).is_ok());
    assert!(matches!(
        store.results(&ingenieria, c.id),
        Err(Error::NotFound(_))
    ));
    assert!(store.results(&agent, c.id).is_err());
    assert!(
        store
            .results_list(&ingenieria)
            .expect("list")
            .iter()
            .all(|s| s.campaign_id != c.id)
    );
    assert!(
        store
            .results_list(&posgrados)
            .expect("list")
            .iter()
            .any(|s| s.campaign_id == c.id)
    );
    // The default due date: the campaign's end plus business days by size.
    let before = store.results(&prof, c.id).expect("results").record;
    let end = telemercadeo::domain::brief::parse_date(&c.form.end_date).expect("end");
    let settings = store.settings().expect("settings");
    assert_eq!(
        before.due_date,
        Some(telemercadeo::domain::results::default_due_date(
            end,
            c.contacts,
            &settings.holidays
        ))
    );
    // Narrative and due date.
    assert!(store.results_save(&posgrados, c.id, "x", None).is_err());
    let due = chrono::NaiveDate::from_ymd_opt(2027, 1, 20).expect("date");
    let rec = store
        .results_save(&prof, c.id, "La campaña cumplió la meta.", Some(due))
        .expect("save");
    assert_eq!(rec.due_date, Some(due));
    assert!(rec.due_date_set);
    // Not delivered while the campaign has not closed; no satisfaction before delivery.
    let file = b"PK fake xlsx".to_vec();
    let err = store
        .results_deliver(
            &prof,
            c.id,
            Delivery::AMano,
            "Sandra Ríos",
            "i.xlsx",
            XLSX_MIME,
            &file,
        )
        .expect_err("a draft");
    assert!(matches!(err, Error::Conflict(_)), "{err:?}");
    assert!(store.results_satisfaction(&posgrados, c.id, 5, "").is_err());
    store
        .campaign_set_status(&prof, c.id, CampaignStatus::Cerrada)
        .expect("close");
    assert_eq!(
        store.results(&prof, c.id).expect("r").record.status,
        ReportStatus::Final
    );
    // By hand needs who received it.
    assert!(matches!(
        store.results_deliver(
            &prof,
            c.id,
            Delivery::AMano,
            " ",
            "i.xlsx",
            XLSX_MIME,
            &file
        ),
        Err(Error::Invalid(_))
    ));
    // By e-mail: to the brief's contact and the head, with the file attached.
    let mut s = store.settings().expect("settings");
    s.head_email = "jefe.marketing@universidad.edu.co".into();
    store.save_settings(&head, &s).expect("settings");
    let to = store.results_recipients(&prof, c.id).expect("recipients");
    assert!(
        to.iter()
            .any(|(_, a)| a == "jefe.marketing@universidad.edu.co")
    );
    let rec = store
        .results_deliver(
            &prof,
            c.id,
            Delivery::Correo,
            "",
            "i.xlsx",
            XLSX_MIME,
            &file,
        )
        .expect("deliver");
    assert_eq!(rec.status, ReportStatus::Entregado);
    let delivered = rec.delivered.clone().expect("delivered");
    assert_eq!(delivered.by, "lgomez");
    assert!(delivered.to.contains("jefe.marketing@universidad.edu.co"));
    assert!(matches!(
        store.results_deliver(
            &prof,
            c.id,
            Delivery::AMano,
            "Otra",
            "i.xlsx",
            XLSX_MIME,
            &file
        ),
        Err(Error::Conflict(_))
    ));
    let sql = rusqlite::Connection::open(&d.path).expect("sql");
    let queued: i64 = sql
        .query_row(
            "SELECT COUNT(*) FROM outbox o JOIN outbox_attachments a ON a.outbox_id = o.id WHERE o.kind = 'informe'",
            [],
            |r| r.get(0),
        )
        .expect("outbox");
    assert_eq!(
        queued,
        to.len() as i64,
        "one message per recipient, each with the file"
    );
    let archived: i64 = sql
        .query_row(
            "SELECT COUNT(*) FROM archived_records WHERE kind = 'informe_resultados' AND period = ?1 AND delivery = 'correo'",
            [c.id.to_string()],
            |r| r.get(0),
        )
        .expect("archive");
    assert_eq!(archived, 1);
    // The department downloads the file delivered; another department cannot.
    let record = delivered.record_id.expect("the file delivered is archived");
    let (name, mime, content) = store
        .results_file(&posgrados, c.id, record)
        .expect("download");
    assert_eq!((name.as_str(), mime.as_str()), ("i.xlsx", XLSX_MIME));
    assert_eq!(content, file);
    assert!(store.results_file(&ingenieria, c.id, record).is_err());
    // The brief moved to informe_entregado.
    let brief = store
        .brief(&prof, c.brief_id.expect("brief"))
        .expect("brief");
    assert_eq!(brief.status, BriefStatus::InformeEntregado);
    // Satisfaction: the department's solicitante (or the head), 1 to 5.
    assert!(
        store
            .results_satisfaction(&ingenieria, c.id, 4, "")
            .is_err()
    );
    assert!(store.results_satisfaction(&prof, c.id, 4, "").is_err());
    assert!(matches!(
        store.results_satisfaction(&posgrados, c.id, 6, ""),
        Err(Error::Invalid(_))
    ));
    let rec = store
        .results_satisfaction(&posgrados, c.id, 4, "Claro y a tiempo")
        .expect("satisfaction");
    let sat = rec.satisfaction.expect("recorded");
    assert_eq!(
        (sat.score, sat.comment.as_str(), sat.by.as_str()),
        (4, "Claro y a tiempo", "posgrados")
    );
    // Audited.
    for action in ["results.save", "results.deliver", "results.satisfaction"] {
        let n: i64 = sql
            .query_row(
                "SELECT COUNT(*) FROM audit_log WHERE action = ?1",
                [action],
                |r| r.get(0),
            )
            .expect("audit");
        assert_eq!(n, 1, "{action}");
    }
}

// ------------------------------------------------------------------------------------------
// The command line.

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_telemercadeo"));
    c.env_remove("TELEMERCADEO_PASSWORD")
        .env_remove("TELEMERCADEO_DB")
        .env("USER", "prueba");
    c
}

fn run(db: &Path, args: &[&str]) -> Output {
    bin()
        .arg("--db")
        .arg(db)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run")
}

fn ok(o: &Output) -> String {
    assert!(
        o.status.success(),
        "exit {:?}: {}",
        o.status.code(),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

#[test]
fn the_command_line_writes_every_format_and_the_brief_documents() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("t.sqlite3");
    // A planned campaign with nothing in it: an empty report, not an error.
    let id = ok(&run(
        &db,
        &[
            "campaign",
            "create",
            "--name",
            "Vacía",
            "--department",
            "Posgrados",
        ],
    ));
    let id = id.trim();
    for ext in ["xlsx", "pdf", "csv"] {
        let out = dir.path().join(format!("vacio.{ext}"));
        let o = run(
            &db,
            &[
                "report",
                "--campaign",
                id,
                "--out",
                out.to_str().expect("p"),
                "--json",
            ],
        );
        let v: serde_json::Value = serde_json::from_str(&ok(&o)).expect("json");
        assert_eq!(v["marcaciones"], 0);
        assert_eq!(v["status"], "borrador");
        assert!(std::fs::metadata(&out).expect("written").len() > 0);
    }
    // Usage: an unknown extension (2); a campaign that does not exist (1).
    let o = run(&db, &["report", "--campaign", id, "--out", "x.txt"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!Path::new("x.txt").exists());
    let o = run(
        &db,
        &[
            "report",
            "--campaign",
            "999",
            "--out",
            dir.path().join("n.pdf").to_str().expect("p"),
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no existe"));
    // Every file written is kept in the archive.
    let sql = rusqlite::Connection::open(&db).expect("sql");
    let n: i64 = sql
        .query_row(
            "SELECT COUNT(*) FROM archived_records WHERE kind = 'informe_resultados'",
            [],
            |r| r.get(0),
        )
        .expect("archive");
    assert_eq!(n, 3);
    // The brief's documents.
    let brief: i64 = sql
        .query_row("SELECT brief_id FROM campaigns WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .expect("brief");
    let pdf = dir.path().join("brief.pdf");
    ok(&run(
        &db,
        &[
            "brief",
            "pdf",
            "--brief",
            &brief.to_string(),
            "--out",
            pdf.to_str().expect("p"),
        ],
    ));
    let text =
        pdf_extract::extract_text_from_mem(&std::fs::read(&pdf).expect("pdf")).expect("text");
    assert!(text.contains("GF-MK-PR-01-01"));
    let o = run(
        &db,
        &[
            "brief",
            "pdf",
            "--brief",
            "999",
            "--out",
            pdf.to_str().expect("p"),
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let tpl = dir.path().join("plantilla.xlsx");
    ok(&run(
        &db,
        &["brief", "template", "--out", tpl.to_str().expect("p")],
    ));
    let wb: Xlsx<_> = calamine::open_workbook(&tpl).expect("template");
    assert!(!wb.sheet_names().is_empty());
}

#[test]
fn exports_of_hostile_files_are_safe() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("t.sqlite3");
    let id = ok(&run(
        &db,
        &[
            "campaign",
            "create",
            "--name",
            "Hostil",
            "--department",
            "Posgrados",
        ],
    ));
    let id = id.trim().to_owned();
    for f in ["bad/formula_injection.csv", "bad/huge_field.csv"] {
        ok(&run(
            &db,
            &["import", "--campaign", &id, fixture(f).to_str().expect("p")],
        ));
    }
    // A note longer than a cell, starting like a formula, on one contact.
    {
        let sql = rusqlite::Connection::open(&db).expect("sql");
        let contact: i64 = sql
            .query_row(
                "SELECT MIN(id) FROM campaign_contacts WHERE campaign_id = ?1",
                [&id],
                |r| r.get(0),
            )
            .expect("contact");
        let disp: i64 = sql
            .query_row(
                "SELECT id FROM dispositions WHERE code = 'no_contesta'",
                [],
                |r| r.get(0),
            )
            .expect("disp");
        sql.execute(
            "INSERT INTO call_attempts (uuid, campaign_id, contact_id, phone, disposition_id, started_at, ended_at, notes)
             VALUES ('u1', ?1, ?2, '+573001234567', ?3, 1796331600, 1796331660, '-' || printf('%.50000c', 'x'))",
            rusqlite::params![id, contact, disp],
        )
        .expect("attempt");
    }
    let xlsx = dir.path().join("h.xlsx");
    let csv = dir.path().join("h.csv");
    let pdf = dir.path().join("h.pdf");
    for out in [&xlsx, &csv, &pdf] {
        ok(&run(
            &db,
            &[
                "report",
                "--campaign",
                &id,
                "--out",
                out.to_str().expect("p"),
            ],
        ));
    }
    let mut wb: Xlsx<_> = calamine::open_workbook(&xlsx).expect("xlsx");
    let contacts = wb.worksheet_range("Contactos").expect("contacts");
    assert_eq!(contacts.height(), 1 + 25 + 10, "every imported contact");
    let mut seen_hostile = 0;
    let mut cut = 0;
    for row in contacts.rows() {
        for v in row {
            if let Data::String(s) = v {
                assert!(!s.starts_with(['=', '+', '-', '@']), "{s:.60}");
                assert!(s.chars().count() <= 32_767);
                if s.starts_with('\'') {
                    seen_hostile += 1;
                }
                if s.contains("texto recortado") {
                    cut += 1;
                }
            }
        }
    }
    assert!(
        seen_hostile >= 3,
        "the file's formulas, neutralised: {seen_hostile}"
    );
    assert_eq!(cut, 1, "the long note cut with a visible mark");
    for s in wb.sheet_names() {
        let f = wb.worksheet_formula(&s).expect("formulas");
        assert!(f.used_cells().next().is_none(), "no formula in {s}");
    }
    let bytes = std::fs::read(&csv).expect("csv");
    assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]), "UTF-8 with BOM");
    let mut r = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(&bytes[3..]);
    let mut rows = 0;
    for rec in r.records() {
        let rec = rec.expect("record");
        rows += 1;
        for f in rec.iter() {
            assert!(!f.starts_with(['=', '+', '-', '@']), "{f:.60}");
        }
        assert!(!rec[1].starts_with('+'), "phone {}", &rec[1]);
    }
    assert_eq!(rows, 35);
    assert!(std::fs::metadata(&pdf).expect("pdf").len() > 0);
}
