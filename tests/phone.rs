//! Phone normalisation (`import::phone`) against the sample files of `shared/data` (copied in
//! `tests/fixtures`): the fast path agrees with the full parse on every cell, and the README's
//! row rule gives exactly the expected counts.

use std::collections::HashSet;
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Instant;

use calamine::{Data, Reader, Xlsx, open_workbook};
use telemercadeo::import::phone::{E164, PhoneParser, colombia, e164_string, parse_e164};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

/// A file as text cells: the header and the data rows.
struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    fn column(&self, name: &str) -> usize {
        self.header
            .iter()
            .position(|h| h.trim() == name)
            .unwrap_or_else(|| panic!("no column {name:?} in {:?}", self.header))
    }

    /// The cells of the named columns, row by row.
    fn cells<'a>(&'a self, columns: &[&str]) -> Vec<&'a str> {
        let indexes: Vec<usize> = columns.iter().map(|c| self.column(c)).collect();
        self.rows
            .iter()
            .flat_map(|row| indexes.iter().filter_map(|&i| row.get(i)))
            .map(String::as_str)
            .collect()
    }
}

fn read(name: &str) -> Vec<u8> {
    std::fs::read(format!("{FIXTURES}/{name}")).expect("fixture")
}

fn csv_table(text: &str, delimiter: u8) -> Table {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader
        .records()
        .map(|r| r.expect("csv record").iter().map(str::to_owned).collect());
    let header = records.next().unwrap_or_default();
    Table {
        header,
        rows: records.collect(),
    }
}

fn utf8_csv() -> Table {
    csv_table(
        &String::from_utf8(read("contacts_utf8.csv")).expect("utf-8"),
        b',',
    )
}

fn excel_es_csv() -> Table {
    let bytes = read("contacts_excel_es.csv");
    let (text, _, had_errors) = encoding_rs::WINDOWS_1252.decode(&bytes);
    assert!(!had_errors);
    csv_table(&text, b';')
}

/// The README's cell-to-text rule: a numeric cell is its integer digits, text is trimmed.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_owned(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e18 => format!("{}", *f as i64),
        other => other.to_string(),
    }
}

fn xlsx() -> Table {
    let mut workbook: Xlsx<_> =
        open_workbook(format!("{FIXTURES}/contacts.xlsx")).expect("workbook");
    let range = workbook.worksheet_range("Contactos").expect("sheet");
    let mut rows = range.rows().map(|r| r.iter().map(cell_text).collect());
    let header = rows.next().unwrap_or_default();
    Table {
        header,
        rows: rows.collect(),
    }
}

/// The three good files with their phone columns, left to right.
fn good_files() -> Vec<(&'static str, Table, [&'static str; 2])> {
    vec![
        (
            "contacts_utf8.csv",
            utf8_csv(),
            ["Celular", "Teléfono fijo"],
        ),
        (
            "contacts_excel_es.csv",
            excel_es_csv(),
            ["TELEFONO", "CELULAR"],
        ),
        ("contacts.xlsx", xlsx(), ["Celular", "Teléfono"]),
    ]
}

/// Every cell of the files in `bad/` that are text (all columns: names, e-mails, notes and
/// random bytes are good tests of the fast path stepping aside).
fn bad_cells() -> Vec<String> {
    let mut cells = Vec::new();
    for name in [
        "empty.csv",
        "header_only.csv",
        "ragged.csv",
        "not_a_table.csv",
        "no_phone_column.csv",
        "formula_injection.csv",
        "huge_field.csv",
        "wrong_extension.xlsx",
    ] {
        let text = String::from_utf8_lossy(&read(&format!("bad/{name}"))).into_owned();
        let table = csv_table(&text, b',');
        cells.extend(table.header);
        cells.extend(table.rows.into_iter().flatten());
        // The random bytes also cut at every line and comma, without the CSV quoting rules.
        if name == "not_a_table.csv" {
            cells.extend(text.split(['\n', ',']).map(str::to_owned));
        }
    }
    cells
}

#[derive(Debug, PartialEq, Eq)]
struct Counts {
    rows_read: usize,
    imported: usize,
    duplicates: usize,
    rejected: usize,
}

/// The README's row rule: the first valid number among the phone columns, left to right;
/// a phone seen in an earlier row is a duplicate; blank rows are skipped.
fn count(
    table: &Table,
    columns: &[&str],
    phones_of: impl Fn(&str) -> Option<E164>,
) -> (Counts, Vec<E164>) {
    let indexes: Vec<usize> = columns.iter().map(|c| table.column(c)).collect();
    let mut counts = Counts {
        rows_read: 0,
        imported: 0,
        duplicates: 0,
        rejected: 0,
    };
    let mut seen = HashSet::new();
    let mut imported = Vec::new();
    for row in &table.rows {
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        counts.rows_read += 1;
        let phone = indexes
            .iter()
            .find_map(|&i| row.get(i).and_then(|cell| phones_of(cell)));
        match phone {
            None => counts.rejected += 1,
            Some(phone) if seen.insert(phone) => {
                counts.imported += 1;
                imported.push(phone);
            }
            Some(_) => counts.duplicates += 1,
        }
    }
    (counts, imported)
}

fn truth() -> serde_json::Value {
    serde_json::from_slice(&read("truth.json")).expect("truth.json")
}

/// SHA-256 in hex through the system's `sha256sum` (the crate has no SHA-256 dependency);
/// `None` where there is no such program.
fn sha256_hex(data: &[u8]) -> Option<String> {
    let mut child = Command::new("sha256sum")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    child.stdin.take()?.write_all(data).ok()?;
    let output = child.wait_with_output().ok()?;
    if !output.status.success() {
        return None;
    }
    let text = String::from_utf8(output.stdout).ok()?;
    text.split_whitespace().next().map(str::to_owned)
}

#[test]
fn the_readme_counts_and_hashes() {
    let parser = colombia();
    let truth = truth();
    let expected = [
        ("contacts_utf8.csv", (2000, 1728, 63, 209)),
        ("contacts_excel_es.csv", (2000, 1745, 59, 196)),
        ("contacts.xlsx", (2000, 1724, 59, 217)),
    ];
    let mut hashes_checked = 0;
    for ((name, table, columns), (expected_name, (read, imported, duplicates, rejected))) in
        good_files().into_iter().zip(expected)
    {
        assert_eq!(name, expected_name);
        let want = Counts {
            rows_read: read,
            imported,
            duplicates,
            rejected,
        };
        let file = &truth["files"][name];
        for (field, value) in [
            ("rows_read", read),
            ("imported", imported),
            ("duplicates", duplicates),
            ("rejected", rejected),
        ] {
            assert_eq!(file[field].as_u64(), Some(value as u64), "{name} {field}");
        }

        let (counts, phones) = count(&table, &columns, |cell| {
            parser.parse_cell(cell).first().copied()
        });
        assert_eq!(counts, want, "{name}");

        // The fixtures hold no cell with two numbers: one number a cell gives the same.
        let (single, single_phones) = count(&table, &columns, |cell| parser.parse_one(cell));
        assert_eq!(single, want, "{name}, one number a cell");
        assert_eq!(single_phones, phones, "{name}, one number a cell");

        let joined = phones
            .iter()
            .map(|&p| e164_string(p))
            .collect::<Vec<_>>()
            .join("\n");
        match sha256_hex(joined.as_bytes()) {
            Some(hash) => {
                assert_eq!(
                    Some(hash.as_str()),
                    file["imported_e164_sha256"].as_str(),
                    "{name}"
                );
                hashes_checked += 1;
            }
            None => eprintln!("no sha256sum here: the hash of {name} is not checked"),
        }
    }
    eprintln!("imported_e164_sha256 checked for {hashes_checked} of 3 files");
}

#[test]
fn fast_path_agrees_with_the_full_parse_on_every_cell() {
    let parser = colombia();
    let mut phone_cells: Vec<String> = Vec::new();
    for (_, table, columns) in good_files() {
        phone_cells.extend(table.cells(&columns).into_iter().map(str::to_owned));
    }
    let non_empty = phone_cells.iter().filter(|c| !c.trim().is_empty()).count();
    let (mut fast, mut valid) = (0, 0);
    for cell in &phone_cells {
        let full = parser.parse_full(cell);
        if let Some(result) = parser.parse_fast(cell) {
            assert_eq!(result, full, "fast path vs full parse: {cell:?}");
            fast += 1;
        }
        // On these cells the crate's prefix matching never differs from whole matching.
        assert_eq!(parser.parse_one(cell), full, "{cell:?}");
        assert_eq!(parser.parse_cell(cell), Vec::from_iter(full), "{cell:?}");
        valid += usize::from(full.is_some());
    }
    eprintln!(
        "{} phone cells, {non_empty} not empty, {fast} on the fast path, {valid} valid",
        phone_cells.len()
    );
    assert!(
        fast * 10 >= non_empty * 8,
        "only {fast} of {non_empty} on the fast path"
    );

    let bad = bad_cells();
    let mut bad_fast = 0;
    for cell in &bad {
        if let Some(result) = parser.parse_fast(cell) {
            assert_eq!(result, parser.parse_full(cell), "bad files: {cell:?}");
            bad_fast += 1;
        }
    }
    eprintln!("{} cells of bad/, {bad_fast} on the fast path", bad.len());
}

#[test]
fn the_bad_files_with_phones() {
    let parser = colombia();
    // formula_injection.csv and huge_field.csv: every row has a valid phone.
    for (name, rows) in [("formula_injection.csv", 25), ("huge_field.csv", 10)] {
        let text = String::from_utf8(read(&format!("bad/{name}"))).expect("utf-8");
        let table = csv_table(&text, b',');
        let (counts, _) = count(&table, &["Celular", "Teléfono fijo"], |cell| {
            parser.parse_cell(cell).first().copied()
        });
        assert_eq!((counts.imported, counts.rejected), (rows, 0), "{name}");
    }
    // no_phone_column.csv: the 10-digit cédulas are not phones.
    let text = String::from_utf8(read("bad/no_phone_column.csv")).expect("utf-8");
    let table = csv_table(&text, b',');
    let documents = table.cells(&["Documento"]);
    assert_eq!(documents.len(), 40);
    assert!(documents.iter().all(|d| parser.parse_cell(d).is_empty()));
}

/// `+57…` as a number.
fn co(national: u64) -> E164 {
    format!("57{national}").parse().expect("digits")
}

#[test]
fn edge_cases() {
    let p = colombia();
    let fast = |text: &str| p.parse_fast(text);

    // A letter typed for a digit: the crate alone reads it as a keypad digit.
    let crate_alone = phonenumber::parse(Some(phonenumber::country::CO), "300 200 19O2")
        .expect("the crate parses it");
    assert!(phonenumber::is_valid(&crate_alone));
    for text in [
        "300 200 19O2",
        "3OO 123 4567",
        "3o0 123 4567",
        "3x0 123 4567",
    ] {
        assert_eq!(p.parse_one(text), None, "{text}");
        assert_eq!(p.parse_full(text), None, "{text}");
        assert!(p.parse_cell(text).is_empty(), "{text}");
    }

    // Foreign numbers with '+' take the full path.
    assert_eq!(fast("+58 412 1234567"), None);
    assert_eq!(p.parse_one("+58 412 1234567"), Some(584_121_234_567));
    assert_eq!(p.parse_one("+593 99 123 4567"), Some(593_991_234_567));
    assert_eq!(p.parse_one("+34 612 34 56 78"), Some(34_612_345_678));
    assert_eq!(p.parse_one("+1 (202) 555-0123"), Some(12_025_550_123));
    assert_eq!(p.parse_one("+52 55 1234 5678"), Some(525_512_345_678));
    assert_eq!(p.parse_one("+58 412 123456"), None);

    // The shapes of the README, all on the fast path.
    let mobile = co(3_001_234_567);
    for text in [
        "3001234567",
        "300 123 4567",
        "300-123-4567",
        "300.123.4567",
        "(300) 123 4567",
        "+57 300 123 4567",
        "+573001234567",
        "573001234567",
        "57 300 123 4567",
        "+57 (300) 123-4567",
        "  300 123 4567  ",
        "3001234567.0",
        "+57-300-123-4567",
    ] {
        assert_eq!(fast(text), Some(Some(mobile)), "{text}");
        assert_eq!(p.parse_one(text), Some(mobile), "{text}");
        assert_eq!(p.parse_full(text), Some(mobile), "{text}");
    }
    let landline = co(6_015_551_234);
    for text in [
        "(601) 555 1234",
        "601.555.1234",
        "601 5551234",
        "+57 601 555 1234",
    ] {
        assert_eq!(fast(text), Some(Some(landline)), "{text}");
        assert_eq!(p.parse_full(text), Some(landline), "{text}");
    }
    assert_eq!(fast("1800 123 4567"), Some(Some(co(18_001_234_567))));

    // Invalid on the fast path, as in the full parse.
    for text in [
        "555 1234",         // 7-digit old landline
        "(1) 234 5678",     // old area code
        "603 555 1234",     // unassigned 603
        "300 123 456",      // a digit short
        "300 123 45678",    // a digit extra
        "1111111111",       // placeholder
        "5555555555",       // placeholder
        "",                 // empty
        "-",                // placeholder
        "3001234567.5",     // not a trailing .0
        "57",               // the country code alone
        "+57",              // the country code alone
        "+57 555 1234",     // 7-digit old landline
        "+57 603 555 1234", // unassigned 603
    ] {
        assert_eq!(p.parse_one(text), None, "{text}");
        assert_eq!(p.parse_full(text), None, "{text}");
        if let Some(result) = fast(text) {
            assert_eq!(result, None, "{text}");
        }
    }

    // Placeholders.
    for text in [
        "N/A",
        "no tiene",
        "NO REGISTRA",
        "0",
        "no",
        "sin número",
        "xxx-xxx-xxxx",
    ] {
        assert!(p.parse_cell(text).is_empty(), "{text}");
        assert_eq!(p.parse_full(text), None, "{text}");
    }

    // A national (trunk) prefix or an international prefix: the full parse.
    assert_eq!(fast("0 300 123 4567"), None);
    assert_eq!(fast("00 57 300 123 4567"), None);
    assert_eq!(
        p.parse_one("00 57 300 123 4567"),
        p.parse_full("00 57 300 123 4567")
    );
    assert_eq!(
        p.parse_one("0 300 123 4567"),
        p.parse_full("0 300 123 4567")
    );

    // Text around the number.
    assert_eq!(fast("Cel: 300 123 4567"), None);
    assert_eq!(p.parse_one("Cel: 300 123 4567"), Some(mobile));
    assert_eq!(
        p.parse_one("Cel. 300 123 4567 (mamá)"),
        p.parse_full("Cel. 300 123 4567 (mamá)")
    );
    assert_eq!(p.parse_one("601 555 1234 ext. 12"), Some(landline));
    assert_eq!(p.parse_one("601 555 1234 Extensión 120"), Some(landline));
    assert_eq!(p.parse_one("601 555 1234 x12"), Some(landline));
    assert_eq!(p.parse_one("300 123 4567 a"), Some(mobile)); // one or two letters are dropped
    assert_eq!(p.parse_one("300 123 4567 casa"), None); // three or more: keypad digits

    // Several numbers in a cell.
    let other = co(3_107_654_321);
    for cell in [
        "300 123 4567 / 310 765 4321",
        "3001234567,3107654321",
        "300 123 4567; 310 765 4321",
        "300 123 4567 y 310 765 4321",
        "300 123 4567 o 310 765 4321",
        "300 123 4567\n310 765 4321",
        "300 123 4567 / N/A / 310 765 4321",
        "Cel: 300 123 4567 / Otro: 310 765 4321",
        "3001234567.0 / 3107654321.0",
    ] {
        assert_eq!(p.parse_cell(cell), vec![mobile, other], "{cell:?}");
        assert_eq!(p.parse_one(cell), None, "{cell:?}");
    }
    assert_eq!(
        p.parse_cell("310 765 4321 / 300 123 4567"),
        vec![other, mobile]
    );
    assert_eq!(p.parse_cell("300 123 4567 / 3001234567"), vec![mobile]);
    assert_eq!(p.parse_cell("300 123 4567 / 555 1234"), vec![mobile]);
    // The whole cell first: one number written with slashes is one number.
    assert_eq!(p.parse_cell("601/555/1234"), vec![landline]);
    assert_eq!(p.parse_cell("601 555 1234 y"), vec![landline]);
}

#[test]
fn the_same_number_in_any_shape_is_the_same_phone() {
    let p = colombia();
    let shapes = [
        "300 123 4567",
        "Cel: 300 123 4567",
        "+57 (300) 123-4567",
        "573001234567",
        "Celular +57 300 123 4567",
        "tel:+57-300-123-4567",
        "300 123 4567 ext 1",
    ];
    let phones: HashSet<Option<E164>> = shapes.iter().map(|s| p.parse_one(s)).collect();
    assert_eq!(phones, HashSet::from([Some(573_001_234_567)]));
}

/// The crate takes a number whose pattern matches only a prefix (a ten-digit `46…` as the
/// eight-digit fixed line `46 123456`); libphonenumber — and `parse_one` — do not, on both
/// paths.
#[test]
fn whole_numbers_must_match() {
    let p = colombia();
    for text in ["4612345678", "90112345678"] {
        assert!(p.parse_full(text).is_some(), "{text}");
        assert_eq!(p.parse_fast(text), Some(None), "{text}");
        assert_eq!(p.parse_one(text), None, "{text}");
        assert_eq!(p.parse_one(&format!("Tel: {text}")), None, "{text}");
    }
    assert_eq!(p.parse_one("4612 3456"), Some(5_746_123_456));
    assert_eq!(p.parse_one("Tel: 4612 3456"), Some(5_746_123_456));
}

#[test]
fn e164_text() {
    assert_eq!(e164_string(573_001_234_567), "+573001234567");
    assert_eq!(parse_e164("+573001234567"), Some(573_001_234_567));
    for n in [573_001_234_567, 584_121_234_567, 12_025_550_123] {
        assert_eq!(parse_e164(&e164_string(n)), Some(n));
    }
    for bad in [
        "573001234567",
        "+",
        "+0573001234567",
        "+57 300",
        "+57a",
        "",
        "+12345678901234567890",
    ] {
        assert_eq!(parse_e164(bad), None, "{bad}");
    }
}

#[test]
fn other_regions() {
    assert!(PhoneParser::new("XX").is_none());
    assert!(PhoneParser::new("").is_none());
    let venezuela = PhoneParser::new("VE").expect("VE");
    assert!(venezuela.has_fast_path());
    assert_eq!(venezuela.parse_one("0412 1234567"), Some(584_121_234_567));
    assert_eq!(venezuela.parse_one("412 1234567"), Some(584_121_234_567));
    assert_eq!(
        venezuela.parse_one("+57 300 123 4567"),
        Some(573_001_234_567)
    );
    let lower = PhoneParser::new("co").expect("co");
    assert_eq!(lower.parse_one("300 123 4567"), Some(573_001_234_567));
    // A code shared by several regions (+1): no fast path, the region is found per number.
    let us = PhoneParser::new("US").expect("US");
    assert!(!us.has_fast_path());
    assert_eq!(us.parse_one("(202) 555-0123"), Some(12_025_550_123));
    assert_eq!(
        us.parse_one("(416) 555-0123"),
        us.parse_full("(416) 555-0123")
    );
}

#[test]
fn shared_between_threads() {
    let parser = colombia();
    assert!(std::ptr::eq(parser, colombia()));
    let results: Vec<Option<E164>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|i| s.spawn(move || parser.parse_one(&format!("+58 412 123 456{i}"))))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("thread"))
            .collect()
    });
    assert!(results.iter().all(Option::is_some));
}

/// `cargo test --release --test phone -- --ignored --nocapture timing`
#[test]
#[ignore = "timing; run in --release"]
fn timing() {
    let parser = colombia();
    let mut cells: Vec<String> = Vec::new();
    for (_, table, columns) in good_files() {
        cells.extend(
            table
                .cells(&columns)
                .into_iter()
                .filter(|c| !c.trim().is_empty())
                .map(str::to_owned),
        );
    }
    let fast_cells: Vec<&String> = cells
        .iter()
        .filter(|c| parser.parse_fast(c).is_some())
        .collect();
    let rounds = 20;
    let per = |f: &dyn Fn(&str) -> Option<E164>, items: &[&String]| {
        let start = Instant::now();
        let mut found = 0usize;
        for _ in 0..rounds {
            for cell in items {
                found += usize::from(std::hint::black_box(f(cell)).is_some());
            }
        }
        std::hint::black_box(found);
        start.elapsed().as_nanos() as f64 / (rounds * items.len()) as f64
    };
    let all: Vec<&String> = cells.iter().collect();
    let fast = per(&|c| parser.parse_fast(c).flatten(), &fast_cells);
    let full_on_fast = per(&|c| parser.parse_full(c), &fast_cells);
    let one_all = per(&|c| parser.parse_one(c), &all);
    let cell_all = per(&|c| parser.parse_cell(c).first().copied(), &all);
    let full_all = per(&|c| parser.parse_full(c), &all);
    eprintln!(
        "{} non-empty phone cells, {} on the fast path",
        all.len(),
        fast_cells.len()
    );
    eprintln!("fast path:                {fast:8.0} ns/number (fast-path cells)");
    eprintln!("full parse:               {full_on_fast:8.0} ns/number (same cells)");
    eprintln!("parse_one:                {one_all:8.0} ns/number (all cells)");
    eprintln!("parse_cell:               {cell_all:8.0} ns/number (all cells)");
    eprintln!("full parse:               {full_all:8.0} ns/number (all cells)");
}
