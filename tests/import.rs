//! Contact imports end to end through the real import path: the shared data files give exactly
//! the expected counts, every bad file gives its message and imports nothing, re-imports add only
//! what is new, the opt-out register and dedupe by document work, and nothing is visible until
//! the final commit.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use sha2::{Digest, Sha256};
use telemercadeo::domain::contact::ContactFilter;
use telemercadeo::domain::procedure::CampaignKind;
use telemercadeo::domain::{Actor, NewUser, Role};
use telemercadeo::import::job::{self, Dedupe, ImportError, ImportOptions, ImportReport};
use telemercadeo::import::read::Source;
use telemercadeo::store::{Store, Target};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn truth() -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(fixture("truth.json")).expect("truth"))
        .expect("json")
}

struct World {
    _dir: tempfile::TempDir,
    store: Store,
    prof: Actor,
    dept: i64,
}

fn world() -> World {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(&Target::Sqlite(dir.path().join("t.sqlite3"))).expect("store");
    let cli = Actor::cli();
    let dept = store.add_department(&cli, "Admisiones").expect("dept").id;
    let u = store
        .add_user(
            &cli,
            &NewUser {
                login: "lgomez".into(),
                name: "Laura".into(),
                role: Some(Role::Profesional),
                department_id: None,
            },
            "clave-segura-1",
            "clave-segura-1",
        )
        .expect("prof");
    let prof = Actor::User {
        id: u.id,
        login: u.login,
        role: u.role,
        department_id: None,
    };
    World {
        _dir: dir,
        store,
        prof,
        dept,
    }
}

fn campaign(w: &World, name: &str) -> i64 {
    w.store
        .campaign_create_cli(&Actor::cli(), name, w.dept, CampaignKind::Otro, "", "")
        .expect("campaign")
        .id
}

fn options() -> ImportOptions {
    ImportOptions {
        keep_phones: true,
        ..Default::default()
    }
}

fn import(w: &World, campaign: i64, file: &str) -> Result<ImportReport, ImportError> {
    let never = AtomicBool::new(false);
    job::run(
        &w.store,
        &w.prof,
        campaign,
        &Source::File(fixture(file)),
        &options(),
        &|_| {},
        &never,
    )
}

fn visible(w: &World, campaign: i64) -> i64 {
    w.store
        .contacts_count(campaign, &ContactFilter::default())
        .expect("count")
}

fn sha(phones: &[u64]) -> String {
    let joined = phones
        .iter()
        .map(|p| format!("+{p}"))
        .collect::<Vec<_>>()
        .join("\n");
    Sha256::digest(joined.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn the_shared_files_import_with_exactly_the_expected_counts() {
    let w = world();
    let truth = truth();
    for file in [
        "contacts_utf8.csv",
        "contacts_excel_es.csv",
        "contacts.xlsx",
    ] {
        let c = campaign(&w, file);
        let r = import(&w, c, file).expect(file);
        let t = &truth["files"][file];
        let got = (
            r.counts.rows_read,
            r.counts.imported,
            r.counts.duplicates,
            r.counts.rejected,
            r.counts.opted_out,
        );
        let want = (
            t["rows_read"].as_i64().expect("n"),
            t["imported"].as_i64().expect("n"),
            t["duplicates"].as_i64().expect("n"),
            t["rejected"].as_i64().expect("n"),
            0,
        );
        assert_eq!(got, want, "{file}");
        assert_eq!(
            sha(&r.imported_phones),
            t["imported_e164_sha256"].as_str().expect("hash"),
            "{file}: the same phones, in file order"
        );
        assert_eq!(visible(&w, c), want.1, "{file}: visible after the commit");
        // Every rejected or duplicate row is reported with its number and reason.
        let issues = w
            .store
            .import_issues(r.batch_id.expect("batch"))
            .expect("issues");
        let rejected = issues
            .iter()
            .filter(|i| i.kind.code() == "rechazada")
            .count() as i64;
        let duplicates = issues
            .iter()
            .filter(|i| i.kind.code() == "duplicada")
            .count() as i64;
        assert_eq!((rejected, duplicates), (want.3, want.2), "{file}");
        assert!(issues.iter().all(|i| i.row > 1 && !i.reason.is_empty()));
    }
}

#[test]
fn re_importing_a_file_adds_only_what_is_new() {
    let w = world();
    let c = campaign(&w, "re");
    let first = import(&w, c, "contacts_utf8.csv").expect("first");
    let again = import(&w, c, "contacts_utf8.csv").expect("again");
    assert_eq!(again.counts.imported, 0);
    assert_eq!(
        again.counts.duplicates,
        first.counts.imported + first.counts.duplicates
    );
    assert_eq!(visible(&w, c), first.counts.imported);
    // The same people across campaigns are one person each.
    let c2 = campaign(&w, "otra");
    import(&w, c2, "contacts_utf8.csv").expect("second campaign");
    let persons: i64 = w.store.check().expect("check").counts["campaign_contacts"];
    assert_eq!(persons, first.counts.imported * 2);
}

#[test]
fn bad_files_give_their_message_and_import_nothing() {
    let w = world();
    for (file, words) in [
        ("bad/empty.csv", "vacío"),
        ("bad/not_a_table.csv", "no es una tabla legible"),
        ("bad/no_phone_column.csv", "columna de teléfono"),
        ("bad/truncated.xlsx", "dañado o incompleto"),
    ] {
        let c = campaign(&w, file);
        let e = import(&w, c, file).expect_err(file);
        assert!(e.to_string().contains(words), "{file}: {e}");
        assert_eq!(visible(&w, c), 0, "{file}: nothing imported");
    }
    let cases = [
        ("bad/header_only.csv", (0, 0, 0, 0)),
        ("bad/ragged.csv", (30, 14, 0, 16)),
        ("bad/formula_injection.csv", (25, 25, 0, 0)),
        ("bad/huge_field.csv", (10, 10, 0, 0)),
        ("bad/wrong_extension.xlsx", (12, 11, 0, 1)),
    ];
    for (file, want) in cases {
        let c = campaign(&w, file);
        let r = import(&w, c, file).expect(file);
        let got = (
            r.counts.rows_read,
            r.counts.imported,
            r.counts.duplicates,
            r.counts.rejected,
        );
        assert_eq!(got, want, "{file}");
        match file {
            "bad/header_only.csv" => {
                assert!(
                    r.warnings
                        .iter()
                        .any(|w| w.contains("ninguna fila de datos"))
                );
            }
            "bad/ragged.csv" => {
                let lines: Vec<i64> = r.issues.iter().map(|i| i.row).collect();
                assert_eq!(lines.len(), 16);
                assert!(
                    r.issues
                        .iter()
                        .filter(|i| i.reason.contains("campos"))
                        .count()
                        >= 8,
                    "shifted rows are rejected as malformed: {:?}",
                    r.issues
                );
            }
            "bad/huge_field.csv" => {
                assert!(
                    r.warnings.iter().any(|w| w.contains("recortó")),
                    "{:?}",
                    r.warnings
                );
            }
            "bad/wrong_extension.xlsx" => {
                assert!(
                    r.warnings.iter().any(|w| w.contains("extensión")),
                    "{:?}",
                    r.warnings
                );
            }
            "bad/formula_injection.csv" => {
                // Stored verbatim, never evaluated.
                let rows = w
                    .store
                    .contacts_page(c, &ContactFilter::default(), None, 0, 100)
                    .expect("page");
                assert!(rows.iter().any(|r| r.name.starts_with('=')), "{rows:?}");
            }
            _ => {}
        }
    }
}

#[test]
fn the_opt_out_register_keeps_people_out() {
    let w = world();
    // The register is filled from a file.
    let dir = tempfile::tempdir().expect("dir");
    let list = dir.path().join("rne.csv");
    std::fs::write(
        &list,
        "Numero\n302 7687469\n319 225 3649\nno es un número\n",
    )
    .expect("write");
    let r = telemercadeo::import::optout::import_file(
        &w.store,
        &w.prof,
        &Source::File(list.clone()),
        "RNE",
    )
    .expect("optout");
    assert_eq!((r.rows_read, r.added, r.already, r.rejected), (3, 2, 0, 1));
    let again =
        telemercadeo::import::optout::import_file(&w.store, &w.prof, &Source::File(list), "RNE")
            .expect("again");
    assert_eq!((again.added, again.already), (0, 2));
    let c = campaign(&w, "optout");
    let r = import(&w, c, "contacts_utf8.csv").expect("import");
    assert_eq!(r.counts.opted_out, 2);
    assert_eq!(r.counts.imported, 1728 - 2);
    assert_eq!(
        r.counts.rows_read,
        r.counts.imported + r.counts.duplicates + r.counts.rejected + r.counts.opted_out
    );
}

#[test]
fn dedupe_by_document_keeps_siblings_who_share_a_phone() {
    let w = world();
    let dir = tempfile::tempdir().expect("dir");
    let f = dir.path().join("hermanos.csv");
    std::fs::write(
        &f,
        "Nombre,Documento,Celular\nAna Pérez,1001,300 123 4567\nLuis Pérez,1002,300 123 4567\nAna Pérez,1001,310 765 4321\n",
    )
    .expect("write");
    let c = campaign(&w, "doc");
    let never = AtomicBool::new(false);
    let by_doc = job::run(
        &w.store,
        &w.prof,
        c,
        &Source::File(f.clone()),
        &ImportOptions {
            dedupe: Dedupe::Document,
            ..Default::default()
        },
        &|_| {},
        &never,
    )
    .expect("import");
    assert_eq!((by_doc.counts.imported, by_doc.counts.duplicates), (2, 1));
    let c2 = campaign(&w, "phone");
    let by_phone = job::run(
        &w.store,
        &w.prof,
        c2,
        &Source::File(f),
        &ImportOptions::default(),
        &|_| {},
        &never,
    )
    .expect("import");
    assert_eq!(
        (by_phone.counts.imported, by_phone.counts.duplicates),
        (2, 1)
    );
}

#[test]
fn a_cancelled_import_leaves_the_campaign_as_it_was() {
    let w = world();
    let c = campaign(&w, "cancel");
    let cancel = AtomicBool::new(true);
    let e = job::run(
        &w.store,
        &w.prof,
        c,
        &Source::File(fixture("contacts_utf8.csv")),
        &options(),
        &|_| {},
        &cancel,
    )
    .expect_err("cancelled");
    assert!(matches!(e, ImportError::Cancelled));
    assert_eq!(visible(&w, c), 0);
    assert_eq!(
        w.store.check().expect("check").counts["campaign_contacts"],
        0
    );
    // A new import may start right away.
    assert_eq!(
        import(&w, c, "contacts_utf8.csv")
            .expect("then")
            .counts
            .imported,
        1728
    );
}

#[test]
fn a_second_import_into_the_same_campaign_is_refused_while_one_runs() {
    let w = world();
    let c = campaign(&w, "two");
    let batch = w
        .store
        .import_begin(&w.prof, c, "a.csv", "csv", &Default::default())
        .expect("first");
    let e = import(&w, c, "contacts_utf8.csv").expect_err("refused");
    assert!(e.to_string().contains("en curso"), "{e}");
    w.store.import_abort(batch).expect("abort");
    assert!(import(&w, c, "contacts_utf8.csv").is_ok());
}

#[test]
fn a_brief_attachment_is_validated_by_a_dry_run() {
    let bytes = std::fs::read(fixture("contacts_excel_es.csv")).expect("read");
    let r = job::dry_run(
        None,
        &Source::Bytes {
            name: "base.csv".into(),
            data: std::sync::Arc::new(bytes),
        },
        &ImportOptions::default(),
    )
    .expect("dry run");
    assert_eq!(
        (r.counts.imported, r.counts.duplicates, r.counts.rejected),
        (1745, 59, 196)
    );
    assert!(r.batch_id.is_none());
    assert!(!r.issues.is_empty());
}

#[test]
fn old_landlines_are_completed_only_when_the_user_accepts() {
    let w = world();
    let dir = tempfile::tempdir().expect("dir");
    let f = dir.path().join("fijos.csv");
    std::fs::write(
        &f,
        "Nombre,Teléfono,Ciudad\nAna,234 5678,Bogotá\nLuis,300 123 4567,Cali\nMarta,345 6789,Medellín\nSin ciudad,456 7890,\nOtra,2345678,Ciudad Desconocida\n",
    )
    .expect("write");
    let c = campaign(&w, "fijos");
    let never = AtomicBool::new(false);
    let first = job::run(
        &w.store,
        &w.prof,
        c,
        &Source::File(f.clone()),
        &options(),
        &|_| {},
        &never,
    )
    .expect("import");
    assert_eq!((first.counts.imported, first.counts.rejected), (1, 4));
    assert_eq!(
        first.completable, 2,
        "Bogotá and Medellín have area codes; the others do not"
    );
    let second = job::run(
        &w.store,
        &w.prof,
        c,
        &Source::File(f),
        &ImportOptions {
            complete_landlines: true,
            keep_phones: true,
            ..Default::default()
        },
        &|_| {},
        &never,
    )
    .expect("again, completing");
    assert_eq!(second.counts.imported, 2);
    assert_eq!(second.counts.duplicates, 1, "Luis was already imported");
    assert_eq!(second.counts.rejected, 2);
    let mut phones = second.imported_phones.clone();
    phones.sort_unstable();
    assert_eq!(phones, vec![576_012_345_678, 576_043_456_789]);
}

#[test]
fn the_progress_bar_follows_the_bytes_read_not_a_guess_per_row() {
    // 3,000 long rows, then 3,000 short ones: a bar that guessed ~100 bytes a row would lag
    // far behind while reading the long ones.
    let w = world();
    let c = campaign(&w, "Progreso");
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("progreso.csv");
    let mut text = String::from("Nombre,Celular,Observaciones\n");
    let mut ends = Vec::new();
    for i in 0..6000u64 {
        let note = if i < 3000 {
            "x".repeat(400)
        } else {
            String::new()
        };
        text.push_str(&format!("Persona {i},30{:08},{note}\n", 10_000_000 + i));
        ends.push(text.len() as u64);
    }
    std::fs::write(&path, &text).expect("write");
    let total = text.len() as f32;
    let seen = std::sync::Mutex::new(Vec::new());
    let never = AtomicBool::new(false);
    job::run(
        &w.store,
        &w.prof,
        c,
        &Source::File(path),
        &options(),
        &|p| seen.lock().expect("lock").push((p.rows, p.fraction)),
        &never,
    )
    .expect("import");
    let seen = seen.into_inner().expect("seen");
    let (rows, fraction) = *seen
        .iter()
        .find(|(rows, _)| *rows == 2048)
        .expect("a report at 2,048 rows");
    // Reading is the first 60 % of the bar; the reader may be a buffer ahead of the rows.
    let bytes = ends[rows as usize - 1] as f32 / total;
    assert!(
        fraction >= 0.6 * bytes - 0.01 && fraction <= 0.6 * (bytes + 0.15),
        "at {rows} rows the bar is at {fraction}, the bytes read at {bytes}"
    );
    let fractions: Vec<f32> = seen.iter().map(|(_, f)| *f).collect();
    assert!(fractions.windows(2).all(|w| w[0] <= w[1]), "{fractions:?}");
    assert_eq!(fractions.last(), Some(&1.0));
}
