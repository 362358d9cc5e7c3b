//! Real enrolments (issue 12): a list of the academic system is matched to the demo's contacts
//! by document, then phone, then e-mail, and a campaign's real conversion equals direct counts
//! on the database; a list that cannot be matched is refused whole; the command line prints it.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use telemercadeo::domain::enrolment::Stage;
use telemercadeo::domain::{Actor, TestClock};
use telemercadeo::import::enrolments::import_file;
use telemercadeo::import::read::Source;
use telemercadeo::store::{Store, Target};

/// 2026-12-03 16:00 in Bogotá.
const NOW: i64 = 1_796_331_600;

fn demo() -> (tempfile::TempDir, Store, rusqlite::Connection, i64) {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("demo.sqlite3");
    let store = Store::open_with_clock(&Target::Sqlite(path.clone()), Arc::new(TestClock::at(NOW)))
        .expect("store");
    let s = telemercadeo::demo::fill(&store, &Actor::cli()).expect("demo");
    let sql = rusqlite::Connection::open(&path).expect("sql");
    (dir, store, sql, s.active_campaign)
}

/// (contact id, person id, phone, e-mail, document) of a campaign's contacts.
fn contacts(sql: &rusqlite::Connection, campaign: i64) -> Vec<(i64, i64, String, String, String)> {
    let mut st = sql
        .prepare("SELECT id, person_id, phone, COALESCE(email, ''), COALESCE(document, '') FROM campaign_contacts WHERE campaign_id = ?1 ORDER BY id")
        .expect("prepare");
    st.query_map([campaign], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
    })
    .expect("rows")
    .collect::<Result<_, _>>()
    .expect("contacts")
}

#[test]
fn a_list_is_matched_by_document_phone_and_email_and_the_conversion_equals_direct_counts() {
    let (dir, store, sql, campaign) = demo();
    let mine = contacts(&sql, campaign);
    let other: i64 = sql
        .query_row(
            "SELECT id FROM campaigns WHERE id <> ?1 ORDER BY id LIMIT 1",
            [campaign],
            |r| r.get(0),
        )
        .expect("another campaign");
    let theirs = contacts(&sql, other);
    assert!(
        theirs.iter().any(|c| !c.4.is_empty()),
        "the demo has documents"
    );

    // The academic system's list: a phone written the local way, an e-mail in capitals, a
    // document with dots, a row dated before the campaign (not its doing), one with nothing to
    // match, one matching nobody.
    let mut csv =
        String::from("Documento;Correo electrónico;Celular;Programa;Fecha de matrícula;Estado\n");
    let mut expect_by = (0, 0, 0);
    let mut converted_persons: BTreeMap<i64, &str> = BTreeMap::new();
    for (i, c) in mine.iter().enumerate().filter(|(i, _)| i % 6 == 0) {
        let stage = ["Matriculado", "INSCRITA", "Admitido"][i % 3];
        if i % 4 == 0 && !c.3.is_empty() {
            csv += &format!(";{};;Medicina;20/01/2027;{stage}\n", c.3.to_uppercase());
            expect_by.2 += 1;
        } else {
            let local = c.2.trim_start_matches("+57");
            csv += &format!(
                ";;{} {} {};Medicina;20/01/2027;{stage}\n",
                &local[..3],
                &local[3..6],
                &local[6..]
            );
            expect_by.1 += 1;
        }
        converted_persons.insert(c.1, stage);
    }
    let (_, early_person, early_phone, _, _) = mine.last().expect("a contact").clone();
    assert!(!converted_persons.contains_key(&early_person));
    csv += &format!(";;{};Medicina;01/01/2020;Matriculado\n", early_phone);
    expect_by.1 += 1;
    let with_doc = theirs.iter().find(|c| !c.4.is_empty()).expect("doc");
    let doc = &with_doc.4;
    csv += &format!(
        "{}.{};;;Derecho;;\n",
        &doc[..doc.len() - 3],
        &doc[doc.len() - 3..]
    );
    expect_by.0 += 1;
    csv += ";;;Derecho;20/01/2027;Matriculado\n";
    csv += "99999999999;nadie@ejemplo.edu.co;;Derecho;;\n";
    let file = dir.path().join("matriculados.csv");
    std::fs::write(&file, &csv).expect("write");

    let report = import_file(
        &store,
        &Actor::cli(),
        &Source::File(file.clone()),
        Stage::Matriculado,
    )
    .expect("import");
    let rows = csv.lines().count() as i64 - 1;
    assert_eq!(report.rows_read, rows);
    assert_eq!(report.rejected, 1, "the row with nothing to match");
    assert_eq!(report.stored, rows - 1);
    assert_eq!(
        (report.by_document, report.by_phone, report.by_email),
        expect_by
    );
    let stored: i64 = sql
        .query_row(
            "SELECT COUNT(*) FROM enrolments WHERE person_id IS NOT NULL",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(stored, report.matched());

    // The conversion, against a direct count: the records whose person is in the list dated on
    // or after the start (or undated), their best outcome, who recorded it.
    let conv = store
        .conversion(&Actor::cli(), campaign)
        .expect("conversion");
    let mut st = sql
        .prepare(
            "SELECT cc.id, cc.person_id, COALESCE(cc.program, ''), COALESCE(d.reached, 0), COALESCE(d.category, ''),
                    (SELECT u.name FROM call_attempts a JOIN users u ON u.id = a.agent_id
                     WHERE a.contact_id = cc.id AND a.disposition_id = cc.best_disposition_id
                     ORDER BY a.started_at DESC, a.id DESC LIMIT 1)
             FROM campaign_contacts cc LEFT JOIN dispositions d ON d.id = cc.best_disposition_id
             WHERE cc.campaign_id = ?1",
        )
        .expect("prepare");
    let dated: HashSet<i64> = converted_persons.keys().copied().collect();
    let mut total = (0, 0, 0, 0, 0, 0);
    let mut per_agent: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    let mut per_program: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    let rows: Vec<(i64, i64, String, i64, String, Option<String>)> = st
        .query_map([campaign], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("all");
    for (_, person, program, reached, category, agent) in rows {
        let converted = dated.contains(&person);
        let positive = category == "positivo";
        total.0 += 1;
        total.1 += i64::from(reached == 1 && category != "tercero");
        total.2 += i64::from(positive);
        total.3 += i64::from(converted);
        total.4 += i64::from(converted && converted_persons[&person] == "Matriculado");
        total.5 += i64::from(converted && positive);
        let a = per_agent.entry(agent.unwrap_or_default()).or_default();
        a.0 += 1;
        a.1 += i64::from(converted);
        let p = per_program.entry(program).or_default();
        p.0 += 1;
        p.1 += i64::from(converted);
    }
    let t = &conv.total;
    assert_eq!(
        (
            t.records,
            t.reached,
            t.positive,
            t.converted,
            t.enrolled,
            t.converted_positive
        ),
        total
    );
    assert!(
        t.converted > 0 && t.converted_positive > 0,
        "the demo gives both"
    );
    assert_eq!(
        t.converted,
        converted_persons.len() as i64,
        "not the one enrolled in 2020"
    );
    let got: BTreeMap<String, (i64, i64)> = conv
        .by_agent
        .iter()
        .map(|l| (l.name.clone(), (l.records, l.converted)))
        .collect();
    assert_eq!(got, per_agent);
    let got: BTreeMap<String, (i64, i64)> = conv
        .by_program
        .iter()
        .map(|l| (l.name.clone(), (l.records, l.converted)))
        .collect();
    assert_eq!(got, per_program);
    assert_eq!(conv.lists, 1);

    // The command line prints the same.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_telemercadeo"))
        .args([
            "--db",
            dir.path().join("demo.sqlite3").to_str().expect("path"),
        ])
        .args(["--json", "conversion", "--campaign", &campaign.to_string()])
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["total"]["converted"], t.converted);
    assert_eq!(v["total"]["records"], t.records);
}

#[test]
fn a_list_without_document_phone_or_email_is_refused_whole() {
    let (dir, store, sql, _) = demo();
    for (name, body) in [
        ("sin_llaves.csv", "Nombre;Programa\nAna Ruiz;Derecho\n"),
        (
            "vacias.csv",
            "Documento;Correo;Celular\n;;\n;no-es-correo;12\n",
        ),
    ] {
        let file = dir.path().join(name);
        std::fs::write(&file, body).expect("write");
        let err = import_file(
            &store,
            &Actor::cli(),
            &Source::File(file),
            Stage::Matriculado,
        )
        .expect_err(name)
        .to_string();
        assert!(
            err.contains("documento, teléfono ni correo"),
            "{name} says what is missing: {err}"
        );
    }
    let lists: i64 = sql
        .query_row("SELECT COUNT(*) FROM enrolment_lists", [], |r| r.get(0))
        .expect("count");
    assert_eq!(lists, 0, "nothing kept");
}
