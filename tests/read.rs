//! The contact-file reader: format by content, encodings, delimiters, header search, column
//! mapping, row numbers, and every file in `tests/fixtures` (see `../shared/data/README.md`).

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use telemercadeo::import::read::{
    Format, MAX_CELL_CHARS, RowResult, Sniffed, Source, Table, map_columns, open, preview, sniff,
};
use telemercadeo::import::{Field, ReadError, Row};

fn fixture(name: &str) -> Source {
    Source::File(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name),
    )
}

fn bytes(name: &str, data: Vec<u8>) -> Source {
    Source::Bytes {
        name: name.to_string(),
        data: Arc::new(data),
    }
}

/// Everything a table yields, sorted by kind.
#[derive(Debug, Default)]
struct Collected {
    rows: Vec<Row>,
    blank: usize,
    wrong: Vec<(usize, usize, usize)>,
    failed: Option<(usize, ReadError)>,
}

impl Collected {
    fn too_few(&self) -> Vec<usize> {
        self.wrong
            .iter()
            .filter(|(_, got, expected)| got < expected)
            .map(|(n, _, _)| *n)
            .collect()
    }

    fn too_many(&self) -> Vec<usize> {
        self.wrong
            .iter()
            .filter(|(_, got, expected)| got > expected)
            .map(|(n, _, _)| *n)
            .collect()
    }
}

fn collect(table: &mut Table) -> Collected {
    let mut out = Collected::default();
    for result in table.rows() {
        match result {
            RowResult::Ok(row) if row.is_blank() => out.blank += 1,
            RowResult::Ok(row) => out.rows.push(row),
            RowResult::WrongWidth {
                number,
                cells,
                expected,
            } => out.wrong.push((number, cells.len(), expected)),
            RowResult::Failed { number, error } => out.failed = Some((number, error)),
        }
    }
    out
}

fn read_all(source: &Source) -> (Sniffed, Table, Collected) {
    let sniffed = sniff(source).expect("sniff");
    let mut table = open(source, &sniffed, None).expect("open");
    let collected = collect(&mut table);
    for row in &collected.rows {
        assert_eq!(row.cells.len(), table.headers.len(), "row {}", row.number);
    }
    assert_eq!(table.fields.len(), table.headers.len());
    (sniffed, table, collected)
}

fn phone_headers(table: &Table) -> Vec<String> {
    table
        .headers
        .iter()
        .zip(&table.fields)
        .filter(|(_, f)| **f == Field::Phone)
        .map(|(h, _)| h.clone())
        .collect()
}

fn col(table: &Table, header: &str) -> usize {
    table
        .headers
        .iter()
        .position(|h| h == header)
        .unwrap_or_else(|| panic!("no column {header} in {:?}", table.headers))
}

fn extra(s: &str) -> Field {
    Field::Extra(s.to_string())
}

// --- good files ------------------------------------------------------------------------------

#[test]
fn utf8_comma_csv() {
    let (sniffed, table, got) = read_all(&fixture("contacts_utf8.csv"));
    assert_eq!(
        sniffed.format,
        Format::Delimited {
            encoding: "UTF-8",
            delimiter: b','
        }
    );
    assert!(sniffed.sheets.is_empty());
    assert_eq!(sniffed.note, None);
    assert_eq!(table.sheet, None);
    assert_eq!(table.header_row, 1);
    assert_eq!(
        table.headers,
        [
            "Nombres",
            "Apellidos",
            "Celular",
            "Teléfono fijo",
            "Correo electrónico",
            "Programa de interés",
            "Ciudad",
            "Documento",
            "Observaciones"
        ]
    );
    assert_eq!(
        table.fields,
        [
            Field::FirstName,
            Field::LastName,
            Field::Phone,
            Field::Phone,
            Field::Email,
            Field::Program,
            Field::City,
            Field::Document,
            Field::Notes
        ]
    );
    assert_eq!(phone_headers(&table), ["Celular", "Teléfono fijo"]);
    assert_eq!(got.rows.len(), 2000);
    assert!(got.wrong.is_empty(), "{:?}", got.wrong);
    assert!(got.failed.is_none());
    assert!(table.warnings().is_empty(), "{:?}", table.warnings());
    // Cells are trimmed: "Rosa Myriam  " and " 319 225 3649 ".
    let rosa = got
        .rows
        .iter()
        .find(|r| r.cells[0].starts_with("Rosa Myriam"))
        .expect("Rosa");
    assert_eq!(rosa.cells[0], "Rosa Myriam");
    assert_eq!(rosa.cells[2], "319 225 3649");
}

#[test]
fn multiline_quoted_note_keeps_line_numbers() {
    let (_, table, got) = read_all(&fixture("contacts_utf8.csv"));
    let notes = col(&table, "Observaciones");
    // Line 2 starts a record whose quoted note spans lines 2-3; the next record is on line 4.
    assert_eq!(got.rows[0].number, 2);
    assert_eq!(
        got.rows[0].cells[notes],
        "Nota del asesor:\n\"Cliente muy interesado\"; enviar brochure"
    );
    assert_eq!(got.rows[1].number, 4);
    assert!(got.rows[1].cells[0].starts_with("Rosa Myriam"));
    assert_eq!(got.rows[2].number, 5);
    // Against the file itself (record start lines computed independently, with Python's csv
    // module): quoted line breaks and blank lines are counted.
    let at = |i: usize| (got.rows[i].number, got.rows[i].cells[0].as_str());
    assert_eq!(at(99), (105, "María"));
    assert_eq!(at(999), (1106, "Estefanía María"));
    assert_eq!(at(1999), (2243, "cristian"));
    let (_, _, got) = read_all(&fixture("contacts_excel_es.csv"));
    let at = |i: usize| (got.rows[i].number, got.rows[i].cells[0].as_str());
    assert_eq!(at(1), (3, "Patricia Quintero Rojas"));
    assert_eq!(at(99), (104, "PATRICIA GÓMEZ LONDOÑO"));
    assert_eq!(at(999), (1018, "JORGE REINEL MUÑOZ LOZANO"));
    assert_eq!(at(1999), (2029, "Liliana Sofía Corredor Morales"));
}

#[test]
fn windows_1252_semicolon_csv() {
    let (sniffed, table, got) = read_all(&fixture("contacts_excel_es.csv"));
    assert_eq!(
        sniffed.format,
        Format::Delimited {
            encoding: "windows-1252",
            delimiter: b';'
        }
    );
    assert_eq!(table.header_row, 1);
    assert_eq!(
        table.headers,
        [
            "NOMBRE COMPLETO",
            "TELEFONO",
            "CELULAR",
            "E-MAIL",
            "PROGRAMA",
            "CIUDAD",
            "CEDULA"
        ]
    );
    assert_eq!(
        table.fields,
        [
            Field::FullName,
            Field::Phone,
            Field::Phone,
            Field::Email,
            Field::Program,
            Field::City,
            Field::Document
        ]
    );
    assert_eq!(phone_headers(&table), ["TELEFONO", "CELULAR"]);
    assert_eq!(got.rows.len(), 2000);
    assert!(got.wrong.is_empty(), "{:?}", got.wrong);
    assert!(got.failed.is_none());
    // Accents decoded, CRLF not left in cells.
    assert_eq!(got.rows[0].cells[0], "ALEJANDRA CARMEN CARDONA BELTRÁN");
    assert!(
        got.rows
            .iter()
            .any(|r| r.cells[4] == "Especialización en Seguridad y Salud en el Trabajo")
    );
    assert!(
        got.rows
            .iter()
            .all(|r| r.cells.iter().all(|c| !c.contains('\r')))
    );
    assert!(
        got.rows.iter().any(|r| r.cells[0].contains(", ")),
        "APELLIDO, NOMBRE names kept whole"
    );
}

#[test]
fn xlsx_workbook() {
    let (sniffed, table, got) = read_all(&fixture("contacts.xlsx"));
    assert_eq!(sniffed.format, Format::Xlsx);
    assert_eq!(sniffed.sheets, ["Contactos"]);
    assert_eq!(sniffed.note, None);
    assert_eq!(table.sheet.as_deref(), Some("Contactos"));
    assert_eq!(table.header_row, 1);
    assert_eq!(
        table.headers,
        [
            "Nombres",
            "Apellidos",
            "Celular",
            "Teléfono",
            "Correo",
            "Programa de interés",
            "Ciudad",
            "Documento",
            "Fecha de registro"
        ]
    );
    assert_eq!(
        table.fields,
        [
            Field::FirstName,
            Field::LastName,
            Field::Phone,
            Field::Phone,
            Field::Email,
            Field::Program,
            Field::City,
            Field::Document,
            extra("Fecha de registro")
        ]
    );
    assert_eq!(phone_headers(&table), ["Celular", "Teléfono"]);
    assert_eq!(got.rows.len(), 2000);
    assert!(got.wrong.is_empty());
    assert!(got.failed.is_none(), "{:?}", got.failed);
    // Row 2: text phone, a date cell; row 3: numeric phone and document cells.
    let row2 = &got.rows[0];
    assert_eq!(row2.number, 2);
    assert_eq!(row2.cells[0], "Milena Maritza");
    assert_eq!(row2.cells[2], "310-279-0544");
    assert_eq!(row2.cells[8], "25/11/2023");
    let row3 = &got.rows[1];
    assert_eq!(row3.number, 3);
    assert_eq!(row3.cells[2], "573214321672");
    assert_eq!(row3.cells[7], "1097645295");
    // " Alex Felipe" is trimmed; an absent cell is empty.
    let row5 = &got.rows[3];
    assert_eq!(row5.number, 5);
    assert_eq!(row5.cells[0], "Alex Felipe");
    assert_eq!(row5.cells[3], "");
    // Every date cell is DD/MM/AAAA.
    assert!(got.rows.iter().all(|r| {
        let d = r.cells[8].as_bytes();
        d.is_empty() || (d.len() == 10 && d[2] == b'/' && d[5] == b'/')
    }));
    // No numeric phone cell is left with a decimal part.
    assert!(got.rows.iter().all(|r| !r.cells[2].ends_with(".0")));
}

#[test]
fn bytes_source_reads_like_a_file() {
    for name in ["contacts.xlsx", "contacts_excel_es.csv"] {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        let data = std::fs::read(path).expect("read");
        let (s1, t1, g1) = read_all(&fixture(name));
        let (s2, t2, g2) = read_all(&bytes(name, data));
        assert_eq!(s1, s2);
        assert_eq!(t1.headers, t2.headers);
        assert_eq!(g1.rows, g2.rows);
    }
}

#[test]
fn preview_gives_the_first_rows() {
    let p = preview(&fixture("contacts.xlsx"), None, 5).expect("preview");
    assert_eq!(p.sniffed.format, Format::Xlsx);
    assert_eq!(p.sheet.as_deref(), Some("Contactos"));
    assert_eq!(p.header_row, 1);
    assert_eq!(p.headers.len(), 9);
    assert_eq!(p.fields[2], Field::Phone);
    assert_eq!(p.rows.len(), 5);
    assert_eq!(p.rows[0].number, 2);
    assert!(p.rows.iter().all(|r| !r.is_blank()));

    let p = preview(&fixture("bad/ragged.csv"), None, 3).expect("preview");
    assert_eq!(
        p.rows.iter().map(|r| r.number).collect::<Vec<_>>(),
        [2, 3, 5],
        "wrong-width rows are left out of the sample"
    );
}

// --- bad files -------------------------------------------------------------------------------

#[test]
fn empty_file_is_an_error() {
    let err = sniff(&fixture("bad/empty.csv")).expect_err("empty");
    assert!(err.to_string().contains("el archivo está vacío"), "{err}");
    let err = sniff(&bytes("vacio.csv", Vec::new())).expect_err("empty");
    assert!(err.to_string().contains("el archivo está vacío"), "{err}");
    // Only a BOM and blank lines is empty too.
    let err = sniff(&bytes("vacio.csv", b"\xEF\xBB\xBF\r\n  \r\n".to_vec())).expect_err("empty");
    assert!(err.to_string().contains("el archivo está vacío"), "{err}");
    // Only delimiters: sniffs as text, but there is no header to find.
    let source = bytes("vacio.csv", b";;;\n;;;\n".to_vec());
    let sniffed = sniff(&source).expect("sniff");
    let err = open(&source, &sniffed, None).expect_err("all blank");
    assert!(err.to_string().contains("vacío"), "{err}");
}

/// The reader's messages are looked up when shown, in the user's language. `with_lang` sets
/// the language of this thread only: the other tests of this binary assert on the Spanish
/// texts in parallel, and `set_lang` (global) would race with them.
#[test]
fn messages_are_in_the_users_language() {
    use std::error::Error as _;
    use telemercadeo::i18n::{Lang, with_lang};

    let not_a_table = || sniff(&fixture("bad/not_a_table.csv")).expect_err("binary");
    let all_blank = || {
        let source = bytes("vacio.csv", b";;;\n;;;\n".to_vec());
        let sniffed = sniff(&source).expect("sniff");
        open(&source, &sniffed, None).expect_err("all blank")
    };
    // No row looks like a header: the first row is taken, with a warning.
    let no_header = || {
        let source = bytes(
            "sin_encabezado.csv",
            b"3001234567,300\n3109876543,310\n".to_vec(),
        );
        let (_, table, got) = read_all(&source);
        assert_eq!(got.rows.len(), 1);
        table.warnings().join("\n")
    };
    let spanish = [
        "archivo",
        "vacío",
        "tabla",
        "Ábralo",
        "fila",
        "encabezado",
        "Revise",
    ];
    with_lang(Lang::En, || {
        let empty = sniff(&fixture("bad/empty.csv"))
            .expect_err("empty")
            .to_string();
        let texts = [
            (empty, "the file is empty"),
            (not_a_table().to_string(), "is not a readable table"),
            (not_a_table().to_string(), "Open it in Excel"),
            (all_blank().to_string(), "all its rows are blank"),
            (no_header(), "No header row was recognised"),
        ];
        for (text, english) in &texts {
            assert!(text.contains(english), "{text}");
            for word in spanish {
                assert!(!text.contains(word), "Spanish «{word}» in: {text}");
            }
        }
        let note = sniff(&bytes("base.csv", workbook()))
            .expect("sniff")
            .note
            .expect("note");
        assert!(note.contains("has the extension .csv"), "{note}");
        assert!(note.contains("an Excel workbook (.xlsx)"), "{note}");
    });
    with_lang(Lang::Es, || {
        let empty = sniff(&fixture("bad/empty.csv"))
            .expect_err("empty")
            .to_string();
        assert!(empty.contains("el archivo está vacío"), "{empty}");
        let text = not_a_table().to_string();
        assert!(text.contains("no es una tabla legible"), "{text}");
        assert!(text.contains("Ábralo en Excel"), "{text}");
        let text = all_blank().to_string();
        assert!(text.contains("todas sus filas están en blanco"), "{text}");
        let text = no_header();
        assert!(
            text.contains("No se reconoció la fila de encabezados"),
            "{text}"
        );
    });
    // Made in one language, shown in another: the words are chosen when shown.
    let err = with_lang(Lang::Es, not_a_table);
    assert!(matches!(err, ReadError::NotATable { .. }), "{err:?}");
    let text = with_lang(Lang::En, || err.to_string());
    assert!(text.contains("is not a readable table"), "{text}");
    // A disk error keeps its cause.
    let err = with_lang(Lang::En, || {
        sniff(&fixture("no_existe.csv")).expect_err("missing")
    });
    assert!(matches!(err, ReadError::NotFound { .. }), "{err:?}");
    assert!(err.source().is_some(), "{err:?}");
    let text = with_lang(Lang::En, || err.to_string());
    assert!(
        text.contains("was not found") && text.contains("no_existe.csv"),
        "{text}"
    );
}

#[test]
fn header_only_gives_no_rows() {
    let (_, table, got) = read_all(&fixture("bad/header_only.csv"));
    assert_eq!(table.header_row, 1);
    assert_eq!(table.headers.len(), 9);
    assert!(table.fields.contains(&Field::Phone));
    assert!(got.rows.is_empty());
    assert!(got.wrong.is_empty());
    assert!(got.failed.is_none());
}

#[test]
fn ragged_rows_are_reported_with_their_lines() {
    let (sniffed, table, got) = read_all(&fixture("bad/ragged.csv"));
    assert_eq!(
        sniffed.format,
        Format::Delimited {
            encoding: "UTF-8",
            delimiter: b','
        }
    );
    assert_eq!(table.headers.len(), 9);
    assert_eq!(got.rows.len(), 14);
    assert_eq!(
        got.rows.iter().map(|r| r.number).collect::<Vec<_>>(),
        [2, 3, 5, 8, 11, 13, 14, 17, 18, 20, 23, 26, 28, 29]
    );
    assert_eq!(got.too_few(), [6, 9, 12, 15, 21, 24, 27, 30]);
    assert_eq!(got.too_many(), [4, 7, 10, 16, 19, 22, 25, 31]);
    assert!(got.wrong.iter().all(|(_, _, expected)| *expected == 9));
    assert!(got.failed.is_none());
}

#[test]
fn random_bytes_are_not_a_table_and_fail_fast() {
    let started = Instant::now();
    let err = sniff(&fixture("bad/not_a_table.csv")).expect_err("binary");
    assert!(err.to_string().contains("no es una tabla legible"), "{err}");
    assert!(err.to_string().contains("Ábralo en Excel"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(2));
    // Same for a PDF and for an HTML page saved as .xls.
    let err = sniff(&bytes("base.csv", b"%PDF-1.7\n...".to_vec())).expect_err("pdf");
    assert!(err.to_string().contains("PDF"), "{err}");
    let html = b"<html><body><table><tr><td>Nombre</td><td>Celular</td></tr></table></body></html>";
    let err = sniff(&bytes("base.xls", html.to_vec())).expect_err("html");
    assert!(err.to_string().contains("HTML"), "{err}");
}

#[test]
fn no_phone_column_opens_without_phones() {
    let (_, table, got) = read_all(&fixture("bad/no_phone_column.csv"));
    assert!(!table.fields.contains(&Field::Phone), "{:?}", table.fields);
    assert_eq!(table.fields[col(&table, "Documento")], Field::Document);
    assert_eq!(got.rows.len(), 40);
    assert!(got.wrong.is_empty());
}

#[test]
fn formula_text_stays_verbatim() {
    let (_, table, got) = read_all(&fixture("bad/formula_injection.csv"));
    assert_eq!(got.rows.len(), 25);
    assert!(got.wrong.is_empty());
    let notes = col(&table, "Observaciones");
    assert_eq!(
        got.rows[0].cells[0],
        "=HYPERLINK(\"http://example.invalid\",\"x\")"
    );
    assert_eq!(got.rows[0].cells[notes], "-2+3");
    assert_eq!(got.rows[2].cells[0], "+SUM(1,2)");
    assert_eq!(got.rows[2].cells[2], "+57 311 796 1144");
    assert_eq!(got.rows[4].cells[0], "@SUM(A1:A2)");
    assert!(
        got.rows
            .iter()
            .any(|r| r.cells[notes] == "=cmd|' /C calc'!A0")
    );
}

#[test]
fn huge_field_is_cut_with_a_warning() {
    let (_, table, got) = read_all(&fixture("bad/huge_field.csv"));
    assert_eq!(got.rows.len(), 10);
    assert!(got.wrong.is_empty(), "{:?}", got.wrong);
    let notes = col(&table, "Observaciones");
    let cut: Vec<&Row> = got
        .rows
        .iter()
        .filter(|r| r.cells[notes].chars().count() == MAX_CELL_CHARS)
        .collect();
    assert_eq!(cut.len(), 1);
    assert!(
        got.rows
            .iter()
            .all(|r| r.cells[notes].chars().count() <= MAX_CELL_CHARS)
    );
    let n = cut[0].number;
    assert_eq!(table.warnings().len(), 1, "{:?}", table.warnings());
    let w = &table.warnings()[0];
    assert!(
        w.contains(&format!("Fila {n}")) && w.contains("Observaciones"),
        "{w}"
    );
}

#[test]
fn truncated_xlsx_is_a_damaged_workbook() {
    let err = sniff(&fixture("bad/truncated.xlsx")).expect_err("damaged");
    assert!(
        err.to_string()
            .contains("libro de Excel dañado o incompleto"),
        "{err}"
    );
    let data = std::fs::read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bad/truncated.xlsx"),
    )
    .expect("read");
    let err = sniff(&bytes("base.xlsx", data)).expect_err("damaged");
    assert!(
        err.to_string()
            .contains("libro de Excel dañado o incompleto"),
        "{err}"
    );
    // Forcing it open as a workbook fails the same way, with no rows.
    let sniffed = Sniffed {
        format: Format::Xlsx,
        sheets: vec![],
        size: 8962,
        note: None,
    };
    let err = open(&fixture("bad/truncated.xlsx"), &sniffed, None).expect_err("damaged");
    assert!(err.to_string().contains("dañado o incompleto"), "{err}");
}

#[test]
fn wrong_extension_is_read_by_content_with_a_note() {
    let (sniffed, table, got) = read_all(&fixture("bad/wrong_extension.xlsx"));
    assert_eq!(
        sniffed.format,
        Format::Delimited {
            encoding: "UTF-8",
            delimiter: b','
        }
    );
    let note = sniffed.note.expect("note");
    assert!(note.contains(".xlsx") && note.contains("CSV"), "{note}");
    assert_eq!(phone_headers(&table), ["Celular", "Teléfono fijo"]);
    assert_eq!(got.rows.len(), 12);
    assert!(got.wrong.is_empty());
}

// --- mapping ---------------------------------------------------------------------------------

#[test]
fn columns_are_mapped_by_their_words() {
    let cases: &[(&str, Field)] = &[
        ("Tel. móvil", Field::Phone),
        ("telefono_2", Field::Phone),
        ("Otro teléfono", Field::Phone),
        ("TEL FIJO", Field::Phone),
        ("Teléfono fijo", Field::Phone),
        ("CELULAR", Field::Phone),
        ("Cel", Field::Phone),
        ("Móvil", Field::Phone),
        ("WhatsApp", Field::Phone),
        ("Phone", Field::Phone),
        ("Mobile phone", Field::Phone),
        ("Teléfono1", Field::Phone),
        ("telefonoFijo", Field::Phone),
        ("Número de contacto", Field::Phone),
        ("No. de documento", Field::Document),
        ("Cédula", Field::Document),
        ("CEDULA", Field::Document),
        ("Identificación", Field::Document),
        ("CC", Field::Document),
        ("NIT", Field::Document),
        ("ID", Field::Document),
        ("E-mail", Field::Email),
        ("Correo electrónico", Field::Email),
        ("EMAIL", Field::Email),
        ("Programa de interés", Field::Program),
        ("Carrera", Field::Program),
        ("Municipio", Field::City),
        ("Ciudad de residencia", Field::City),
        ("City", Field::City),
        ("Observaciones", Field::Notes),
        ("Comentarios", Field::Notes),
        ("Notas", Field::Notes),
        ("NOMBRE COMPLETO", Field::FullName),
        ("Nombres y apellidos", Field::FullName),
        ("APELLIDO, NOMBRE", Field::FullName),
        ("Full name", Field::FullName),
        ("Nombres", Field::FirstName),
        ("Nombre", Field::FirstName),
        ("First Name", Field::FirstName),
        ("firstName", Field::FirstName),
        ("Apellidos", Field::LastName),
        ("Last name", Field::LastName),
        ("Surname", Field::LastName),
        ("Fecha de registro", extra("Fecha de registro")),
        ("Tipo de documento", extra("Tipo de documento")),
        ("Nombre del acudiente", extra("Nombre del acudiente")),
        ("  Barrio ", extra("Barrio")),
        ("Departamento", extra("Departamento")),
        ("", Field::Ignore),
        ("   ", Field::Ignore),
    ];
    let headers: Vec<String> = cases.iter().map(|(h, _)| h.to_string()).collect();
    let mapped = map_columns(&headers);
    for ((header, want), got) in cases.iter().zip(&mapped) {
        assert_eq!(got, want, "{header:?}");
    }
}

// --- layouts and encodings -------------------------------------------------------------------

#[test]
fn header_below_title_rows_is_found() {
    let text = "Universidad - Base de aspirantes feria 2025\n\
                Generado el 12/03/2025,,,\n\
                \n\
                Nombre completo,Celular,Correo,Programa\n\
                Ana Pérez,300 123 4567,ana@example.com,Derecho\n\
                \n\
                Luis Gómez,3011234567,luis@example.com,Medicina\n";
    let (sniffed, table, got) = read_all(&bytes("feria.csv", text.as_bytes().to_vec()));
    assert_eq!(
        sniffed.format,
        Format::Delimited {
            encoding: "UTF-8",
            delimiter: b','
        }
    );
    assert_eq!(table.header_row, 4);
    assert_eq!(
        table.fields,
        [Field::FullName, Field::Phone, Field::Email, Field::Program]
    );
    assert_eq!(got.rows.len(), 2);
    assert_eq!(got.rows[0].number, 5);
    assert_eq!(got.rows[1].number, 7);
    assert!(got.wrong.is_empty());
}

#[test]
fn utf16_with_bom_reads_right() {
    let text = "Nombres\tApellidos\tCelular\r\nJosé\tBeltrán Muñoz\t300 123 4567\r\nÁngela\tPeña\t3011234567\r\n";
    let mut le = vec![0xFF, 0xFE];
    le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let mut be = vec![0xFE, 0xFF];
    be.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
    for (data, encoding) in [(le, "UTF-16LE"), (be, "UTF-16BE")] {
        let (sniffed, table, got) = read_all(&bytes("unicode.txt", data));
        assert_eq!(
            sniffed.format,
            Format::Delimited {
                encoding,
                delimiter: b'\t'
            }
        );
        assert_eq!(table.headers, ["Nombres", "Apellidos", "Celular"]);
        assert_eq!(got.rows.len(), 2);
        assert_eq!(got.rows[0].cells, ["José", "Beltrán Muñoz", "300 123 4567"]);
        assert_eq!(got.rows[1].number, 3);
        assert_eq!(got.rows[1].cells[0], "Ángela");
    }
}

#[test]
fn utf8_bom_and_sep_line() {
    let text =
        "\u{FEFF}sep=;\r\nNombre;Teléfono;Ciudad\r\nMaría, José;300 123 4567;Bogotá D.C.\r\n";
    let (sniffed, table, got) = read_all(&bytes("excel.csv", text.as_bytes().to_vec()));
    assert_eq!(
        sniffed.format,
        Format::Delimited {
            encoding: "UTF-8",
            delimiter: b';'
        }
    );
    assert_eq!(table.header_row, 2);
    assert_eq!(table.headers, ["Nombre", "Teléfono", "Ciudad"]);
    assert_eq!(got.rows.len(), 1);
    assert_eq!(got.rows[0].cells[0], "María, José");
}

#[test]
fn one_column_file_of_phones() {
    let text = "Celular\n3001234567\n300 765 4321\n";
    let (_, table, got) = read_all(&bytes("numeros.csv", text.as_bytes().to_vec()));
    assert_eq!(table.fields, [Field::Phone]);
    assert_eq!(got.rows.len(), 2);
    assert!(got.wrong.is_empty());
}

#[test]
fn non_utf8_bytes_after_the_sniffed_part_fall_back_to_windows_1252() {
    let mut data = b"Nombre,Celular\n".to_vec();
    for i in 0..5000 {
        data.extend(format!("Ana {i},300 123 {i:04}\n").as_bytes());
    }
    data.extend(b"Mu\xF1oz,3001234567\n"); // "Muñoz" in Windows-1252
    let (sniffed, table, got) = read_all(&bytes("mixto.csv", data));
    assert!(matches!(
        sniffed.format,
        Format::Delimited {
            encoding: "UTF-8",
            ..
        }
    ));
    assert_eq!(got.rows.len(), 5001);
    assert_eq!(got.rows[5000].cells[0], "Muñoz");
    assert!(
        table.warnings().iter().any(|w| w.contains("Windows-1252")),
        "{:?}",
        table.warnings()
    );
}

#[test]
fn an_unclosed_quote_stops_with_an_error_instead_of_eating_memory() {
    let mut data = b"Nombre,Celular\nAna,3001234567\n\"Pepe,3011234567\n".to_vec();
    let line = b"Luis,3021234567\n";
    while data.len() < 17 * 1024 * 1024 {
        data.extend_from_slice(line);
    }
    let (_, _, got) = read_all(&bytes("comillas.csv", data));
    assert_eq!(got.rows.len(), 1);
    let (_, err) = got.failed.expect("failed");
    assert!(
        err.to_string().contains("línea 3") && err.to_string().contains("comillas"),
        "{err}"
    );

    // A table can be moved to a worker thread.
    fn assert_send<T: Send>() {}
    assert_send::<Table>();
}

#[test]
fn old_mac_line_endings_and_utf16_without_bom() {
    let text = "Nombre;Celular\rAna;3001234567\r\rLuis;\"nota\rlarga\"\rPedro;3021234567\r";
    let (_, table, got) = read_all(&bytes("mac.csv", text.as_bytes().to_vec()));
    assert_eq!(table.headers, ["Nombre", "Celular"]);
    assert_eq!(
        got.rows.iter().map(|r| r.number).collect::<Vec<_>>(),
        [2, 4, 6]
    );
    let le: Vec<u8> = "Nombre,Teléfono\r\nAna,3001234567\r\n"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let (sniffed, table, got) = read_all(&bytes("sin_bom.csv", le));
    assert_eq!(
        sniffed.format,
        Format::Delimited {
            encoding: "UTF-16LE",
            delimiter: b','
        }
    );
    assert_eq!(table.headers, ["Nombre", "Teléfono"]);
    assert_eq!(got.rows[0].cells, ["Ana", "3001234567"]);
}

// --- workbooks built here --------------------------------------------------------------------

fn workbook() -> Vec<u8> {
    use rust_xlsxwriter::{ExcelDateTime, Format as XFormat, Workbook};
    let mut wb = Workbook::new();
    let date = XFormat::new().set_num_format("dd/mm/yyyy");
    let phone = XFormat::new().set_num_format("### ### ####");
    {
        let ws = wb.add_worksheet();
        ws.set_name("Instrucciones").expect("name");
        ws.write_string(0, 0, "Llene la hoja Base").expect("w");
    }
    {
        let ws = wb.add_worksheet();
        ws.set_name("Oculta").expect("name");
        ws.write_string(0, 0, "Nombre").expect("w");
        ws.write_string(0, 1, "Celular").expect("w");
        ws.set_hidden(true);
    }
    {
        let ws = wb.add_worksheet();
        ws.set_name("Base").expect("name");
        ws.write_string(0, 1, "Listado de aspirantes").expect("w");
        ws.write_string(1, 1, "Feria universitaria 2025")
            .expect("w");
        for (c, h) in [
            "Nombre completo",
            "Tel. móvil",
            "Fecha",
            "Puntaje",
            "Observaciones",
        ]
        .iter()
        .enumerate()
        {
            ws.write_string(3, c as u16 + 1, *h).expect("w");
        }
        ws.write_string(4, 1, "Ana Pérez").expect("w");
        ws.write_number_with_format(4, 2, 3001234567.0, &phone)
            .expect("w");
        let d = ExcelDateTime::from_ymd(2025, 3, 5).expect("date");
        ws.write_datetime_with_format(4, 3, &d, &date).expect("w");
        ws.write_number(4, 4, 4.25).expect("w");
        ws.write_string(4, 5, "=HYPERLINK(\"http://x\")")
            .expect("w");
        ws.write_string(6, 1, "Luis Gómez").expect("w");
        ws.write_string(6, 2, " 300 765 4321 ").expect("w");
        ws.write_boolean(6, 4, true).expect("w");
        ws.write_string(6, 8, "sin encabezado").expect("w");
        ws.write_string(7, 1, "x".repeat(MAX_CELL_CHARS + 5))
            .expect("w");
    }
    wb.save_to_buffer().expect("save")
}

#[test]
fn workbook_sheet_choice_title_rows_and_cell_text() {
    let source = bytes("base.xlsx", workbook());
    let sniffed = sniff(&source).expect("sniff");
    assert_eq!(sniffed.format, Format::Xlsx);
    assert_eq!(sniffed.sheets, ["Instrucciones", "Oculta", "Base"]);

    // Default: the first visible sheet with a recognisable header.
    let mut table = open(&source, &sniffed, None).expect("open");
    assert_eq!(table.sheet.as_deref(), Some("Base"));
    assert_eq!(table.header_row, 4);
    assert_eq!(
        table.headers,
        [
            "Nombre completo",
            "Tel. móvil",
            "Fecha",
            "Puntaje",
            "Observaciones"
        ]
    );
    assert_eq!(
        table.fields,
        [
            Field::FullName,
            Field::Phone,
            extra("Fecha"),
            extra("Puntaje"),
            Field::Notes
        ]
    );
    let got = collect(&mut table);
    assert!(got.failed.is_none(), "{:?}", got.failed);
    assert_eq!(got.rows.len(), 3);
    assert_eq!(got.rows[0].number, 5);
    assert_eq!(
        got.rows[0].cells,
        [
            "Ana Pérez",
            "3001234567",
            "05/03/2025",
            "4.25",
            "=HYPERLINK(\"http://x\")"
        ]
    );
    assert_eq!(got.rows[1].number, 7);
    assert_eq!(
        got.rows[1].cells,
        ["Luis Gómez", "300 765 4321", "", "VERDADERO", ""]
    );
    assert_eq!(got.rows[2].number, 8);
    assert_eq!(got.rows[2].cells[0].chars().count(), MAX_CELL_CHARS);
    let warnings = table.warnings().join("\n");
    assert!(
        warnings.contains("Fila 8, columna «Nombre completo»"),
        "{warnings}"
    );
    assert!(warnings.contains("derecha"), "{warnings}");

    // An explicit sheet, and a sheet that does not exist.
    let table = open(&source, &sniffed, Some("Oculta")).expect("open");
    assert_eq!(table.fields, [Field::FirstName, Field::Phone]);
    let err = open(&source, &sniffed, Some("Hoja9")).expect_err("missing");
    assert!(
        err.to_string().contains("Hoja9") && err.to_string().contains("Base"),
        "{err}"
    );
    let err = open(&source, &sniffed, Some("Instrucciones"));
    assert!(
        err.is_ok(),
        "a sheet without a header still opens (first row as header)"
    );
}

#[test]
fn xlsx_named_csv_gets_a_note() {
    let sniffed = sniff(&bytes("base.csv", workbook())).expect("sniff");
    assert_eq!(sniffed.format, Format::Xlsx);
    let note = sniffed.note.expect("note");
    assert!(note.contains(".csv") && note.contains("Excel"), "{note}");
}

/// A 1-million-row CSV (~100 MB) is streamed: the process does not grow by the file's size.
/// Slow in debug builds; run alone so nothing else moves the peak:
/// `cargo test --release --test read -- --ignored a_million_rows_are_streamed`.
#[test]
#[ignore]
fn a_million_rows_are_streamed() {
    use std::io::Write;
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("millon.csv");
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&path).expect("create"));
        writeln!(
            f,
            "Nombres,Apellidos,Celular,Correo,Programa,Ciudad,Documento,Observaciones"
        )
        .expect("w");
        for i in 0..1_000_000u64 {
            writeln!(
                f,
                "Nombre {i},Apellido Apellido,300 {:03} {:04},persona{i}@example.com,Derecho,\
                 Bogotá D.C.,{},\"Nota, con coma\"",
                i % 1000,
                i % 10000,
                1_000_000_000 + i
            )
            .expect("w");
        }
    }
    let size = std::fs::metadata(&path).expect("meta").len();
    assert!(size > 90_000_000, "{size}");
    let source = Source::File(path);
    let before = peak_rss_kib();
    let sniffed = sniff(&source).expect("sniff");
    let mut table = open(&source, &sniffed, None).expect("open");
    let mut count = 0usize;
    let mut last = 0usize;
    for result in table.rows() {
        match result {
            RowResult::Ok(row) if !row.is_blank() => {
                count += 1;
                last = row.number;
            }
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(count, 1_000_000);
    assert_eq!(last, 1_000_001);
    if let (Some(before), Some(after)) = (before, peak_rss_kib()) {
        eprintln!("peak RSS before {before} KiB, after {after} KiB");
        assert!(after - before < 50 * 1024, "grew by {} KiB", after - before);
    }
}

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

// --- hand-made zip files (OpenDocument, not-a-spreadsheet) -----------------------------------

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A zip archive with stored (uncompressed) entries.
fn zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data) in entries {
        let offset = out.len() as u32;
        let crc = crc32(data);
        let size = data.len() as u32;
        let header = |sig: u32, central_entry: bool| {
            let mut h = Vec::new();
            h.extend(sig.to_le_bytes());
            if central_entry {
                h.extend(20u16.to_le_bytes());
            }
            for v in [20u16, 0, 0, 0, 0x21] {
                h.extend(v.to_le_bytes());
            }
            for v in [crc, size, size] {
                h.extend(v.to_le_bytes());
            }
            h.extend((name.len() as u16).to_le_bytes());
            h.extend(0u16.to_le_bytes());
            if central_entry {
                for v in [0u16, 0, 0] {
                    h.extend(v.to_le_bytes());
                }
                h.extend(0u32.to_le_bytes());
                h.extend(offset.to_le_bytes());
            }
            h.extend(name.as_bytes());
            h
        };
        let local = header(0x0403_4b50, false);
        central.extend(header(0x0201_4b50, true));
        out.extend(local);
        out.extend(*data);
    }
    let cd_offset = out.len() as u32;
    out.extend(&central);
    out.extend(0x0605_4b50u32.to_le_bytes());
    for v in [0u16, 0, entries.len() as u16, entries.len() as u16] {
        out.extend(v.to_le_bytes());
    }
    out.extend((central.len() as u32).to_le_bytes());
    out.extend(cd_offset.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out
}

#[test]
fn ods_spreadsheet() {
    let cell = |v: &str| {
        format!(
            "<table:table-cell office:value-type=\"string\"><text:p>{v}</text:p></table:table-cell>"
        )
    };
    let row = |cells: &[String]| format!("<table:table-row>{}</table:table-row>", cells.concat());
    let content = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
         <office:document-content \
         xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
         xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" \
         xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\">\
         <office:body><office:spreadsheet><table:table table:name=\"Aspirantes\">{}{}{}\
         </table:table></office:spreadsheet></office:body></office:document-content>",
        row(&[cell("Base feria 2025")]),
        row(&[cell("Nombre"), cell("Celular"), cell("Fecha")]),
        row(&[
            cell("Ana Peña"),
            "<table:table-cell office:value-type=\"float\" office:value=\"3001234567\">\
             <text:p>3001234567</text:p></table:table-cell>"
                .to_string(),
            "<table:table-cell office:value-type=\"date\" office:date-value=\"2025-03-05\">\
             <text:p>05/03/2025</text:p></table:table-cell>"
                .to_string(),
        ]),
    );
    let data = zip(&[
        (
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet".as_slice(),
        ),
        (
            "META-INF/manifest.xml",
            b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><manifest:manifest \
              xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\">\
              <manifest:file-entry manifest:full-path=\"/\" \
              manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/>\
              <manifest:file-entry manifest:full-path=\"content.xml\" \
              manifest:media-type=\"text/xml\"/></manifest:manifest>"
                .as_slice(),
        ),
        ("content.xml", content.as_bytes()),
    ]);
    let (sniffed, table, got) = read_all(&bytes("base.ods", data));
    assert_eq!(sniffed.format, Format::Ods);
    assert_eq!(sniffed.sheets, ["Aspirantes"]);
    assert_eq!(sniffed.note, None);
    assert_eq!(table.sheet.as_deref(), Some("Aspirantes"));
    assert_eq!(table.header_row, 2);
    assert_eq!(
        table.fields,
        [Field::FirstName, Field::Phone, extra("Fecha")]
    );
    assert_eq!(got.rows.len(), 1);
    assert_eq!(got.rows[0].number, 3);
    assert_eq!(got.rows[0].cells, ["Ana Peña", "3001234567", "05/03/2025"]);
}

#[test]
fn a_zip_that_is_not_a_spreadsheet() {
    let data = zip(&[
        ("[Content_Types].xml", b"<Types/>".as_slice()),
        ("word/document.xml", b"<w:document/>".as_slice()),
    ]);
    let err = sniff(&bytes("base.xlsx", data)).expect_err("docx");
    assert!(
        err.to_string().contains("no es una tabla legible") && err.to_string().contains("ZIP"),
        "{err}"
    );
}

/// The bytes-read position of a table: only grows, ends at the file's size, and a handle
/// taken before reading sees the same position from another thread.
fn bytes_follow_the_reading(name: &str) {
    bytes_follow(name, fixture(name));
}

fn bytes_follow(name: &str, source: Source) {
    let sniffed = sniff(&source).expect("sniff");
    let mut table = open(&source, &sniffed, None).expect("open");
    let total = table.bytes_total();
    assert_eq!(total, sniffed.size, "{name}");
    let handle = table.bytes_progress();
    let mut last = table.bytes_read();
    let mut seen = vec![last];
    let mut rows = 0usize;
    for result in table.rows() {
        assert!(matches!(result, RowResult::Ok(_)), "{name}: {result:?}");
        rows += 1;
        let now = handle.get();
        assert!(
            now >= last && now <= total,
            "{name}: {last} -> {now} of {total}"
        );
        last = now;
        seen.push(now);
    }
    assert_eq!(table.bytes_read(), total, "{name}: ends at the size");
    assert_eq!(handle.get(), total);
    assert!((handle.fraction() - 1.0).abs() < f64::EPSILON);
    // Somewhere in the middle it was neither at the start nor at the end.
    assert!(
        seen.iter().any(|b| *b > 0 && *b < total),
        "{name}: no position in between ({} rows)",
        rows
    );
}

#[test]
fn bytes_read_follows_a_text_file() {
    bytes_follow_the_reading("contacts_utf8.csv");
    bytes_follow_the_reading("contacts_excel_es.csv");
}

#[test]
fn bytes_read_follows_a_streamed_and_a_loaded_workbook() {
    bytes_follow_the_reading("contacts.xlsx");
    // An .xls (the bomb with its DIMENSIONS record told the truth): loaded whole at open,
    // its position follows its rows.
    let mut data = std::fs::read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bad/dimensions_bomb.xls"),
    )
    .expect("xls");
    let at = data
        .windows(4)
        .position(|w| w == [0x00, 0x02, 14, 0])
        .expect("DIMENSIONS");
    data[at + 8..at + 12].copy_from_slice(&501u32.to_le_bytes());
    data[at + 14..at + 16].copy_from_slice(&9u16.to_le_bytes());
    bytes_follow("contacts.xls", bytes("contacts.xls", data));
}

#[test]
fn implausible_workbooks_are_refused_with_what_to_do() {
    for name in ["bad/dimensions_bomb.xls", "bad/repeated_rows.ods"] {
        let err = sniff(&fixture(name)).expect_err(name);
        assert!(
            matches!(err, ReadError::Implausible { .. }),
            "{name}: {err:?}"
        );
        let text = err.to_string();
        assert!(text.contains("dañado o inverosímil"), "{text}");
        assert!(text.contains("No se importó nada"), "{text}");
    }
    let far = fixture("bad/far_corner.xlsx");
    let sniffed = sniff(&far).expect("sniff");
    let mut table = open(&far, &sniffed, None).expect("open");
    let c = collect(&mut table);
    assert_eq!(c.rows.len(), 2, "{c:?}");
    assert!(c.failed.is_none(), "{c:?}");
}
