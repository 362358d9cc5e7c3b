//! The brief (record GF-MK-PR-01-01, "Brief para campañas de telemercadeo") as an XLSX template
//! for departments that do not install the program: [`brief_template`] writes the blank template,
//! [`read_brief`] reads a filled one back as a draft.
//!
//! Layout of the sheet `Solicitud` (0-based rows): row 0 the title, row 1 the instructions, row 2
//! the column headings, then one row per field of [`FIELDS`] — column A the label, column B the
//! answer (the only unlocked cells), column C a hint and the hidden column D the field's code.
//! The import finds the fields by the codes of column D, so it depends neither on the labels'
//! text (or language) nor on the order of the rows. A hidden sheet `Listas` holds the values of
//! the drop-down lists (departments, campaign kinds).
//!
//! The template is a Spanish record: its labels come from the Spanish locale file whatever the
//! language of the interface, and its instructions, hints and the import's messages are Spanish.

use std::collections::HashMap;
use std::io::Cursor;

use calamine::{Data, ExcelDateTimeType, Range, Reader, Xlsx};
use chrono::NaiveDate;
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, DocProperties, Format, FormatAlign,
    FormatBorder, Formula, ProtectionOptions, RowNum, Workbook, Worksheet, XlsxError,
};

use crate::domain::BriefForm;
use crate::domain::brief::{FIELDS, LEAD_DAYS, parse_date};
use crate::domain::format;
use crate::domain::procedure::CampaignKind;
use crate::domain::text::fold;
use crate::i18n::{Lang, t_in};

/// Code of the record.
const RECORD_CODE: &str = "GF-MK-PR-01-01";
/// Name of the record.
const RECORD_NAME: &str = "Brief para campañas de telemercadeo";
/// The sheet the department fills.
const SHEET: &str = "Solicitud";
/// The hidden sheet with the values of the drop-down lists.
const LIST_SHEET: &str = "Listas";
/// Written in the hidden code column of the title row, to tell template versions apart.
const TEMPLATE_VERSION: &str = "GF-MK-PR-01-01 plantilla v1";

const TITLE_ROW: RowNum = 0;
const INSTRUCTIONS_ROW: RowNum = 1;
const HEADING_ROW: RowNum = 2;
const FIRST_FIELD_ROW: RowNum = 3;

const LABEL_COL: u16 = 0;
const VALUE_COL: u16 = 1;
const HINT_COL: u16 = 2;
const CODE_COL: u16 = 3;

/// Fields that hold a date.
const DATE_FIELDS: [&str; 2] = ["start_date", "end_date"];
/// Fields with room for a paragraph.
const LONG_FIELDS: [&str; 6] = [
    "objective",
    "audience",
    "key_message",
    "expected_result",
    "database_fields",
    "observations",
];
/// Fields a submitted brief may leave empty (see `BriefForm::validate_submit`).
const OPTIONAL_FIELDS: [&str; 2] = ["database_fields", "observations"];

/// The label of a field in the record's language.
fn label(key: &str) -> String {
    t_in(Lang::Es, key)
}

/// The label of a campaign kind in the record's language.
fn kind_label(kind: CampaignKind) -> String {
    t_in(Lang::Es, &format!("campaign_kind.{}", kind.code()))
}

/// The hint of column C.
fn hint(code: &str, has_departments: bool) -> &'static str {
    match code {
        "department" if has_departments => "Elija de la lista",
        "department" => "Nombre de su dependencia",
        "contact_name" => "Nombre y apellido",
        "contact_email" => "Correo institucional",
        "campaign_name" => "Nombre corto y claro",
        "kind" => "Elija de la lista",
        "objective" => "¿Qué debe lograr la campaña?",
        "audience" => "¿A quién se debe llamar?",
        "key_message" => "Mensaje y datos que darán los agentes",
        "start_date" => "DD/MM/AAAA (al menos 8 días después del envío)",
        "end_date" => "DD/MM/AAAA",
        "expected_result" => "Meta medible (p. ej., 200 inscritos)",
        "database_fields" => "Columnas de la base: Nombre, Teléfono, Email…",
        "observations" => "Opcional",
        _ => "",
    }
}

fn xlsx_err(e: XlsxError) -> String {
    format!("No se pudo crear la plantilla del brief: {e}")
}

/// Writes the blank template: a sheet "Solicitud" with a title row (record code GF-MK-PR-01-01
/// and name), an instructions row (fill column B, dates as DD/MM/AAAA, send it back to Marketing
/// at least 8 days before the start, attach the contact database), a row of headings, then one
/// row per field of [`FIELDS`]: column A the field's label (bold, locked), column B the value to
/// fill (unlocked, wide, wrapped), column C a short hint. The department cell gets a list
/// validation with `departments` (none when the list is empty), the kind cell a list validation
/// with the kinds' labels, the date cells a date format and an input message. The hidden column
/// D carries the field codes so [`read_brief`] depends neither on the labels nor on the order of
/// the rows. The sheet is protected without a password so that only column B is editable (row
/// heights may still be changed). Returns the .xlsx bytes.
pub fn brief_template(departments: &[String]) -> Result<Vec<u8>, String> {
    build_workbook(departments, &mut |ws, row, _code, fmt| {
        ws.write_blank(row, VALUE_COL, fmt).map(|_| ())
    })
}

/// Writes one value cell: (sheet, row, field code, the cell's format).
type ValueWriter<'a> =
    dyn FnMut(&mut Worksheet, RowNum, &str, &Format) -> Result<(), XlsxError> + 'a;

/// The template's layout; `write_value` writes column B of each field row (blank in the real
/// template, filled in the tests).
fn build_workbook(
    departments: &[String],
    write_value: &mut ValueWriter<'_>,
) -> Result<Vec<u8>, String> {
    let departments: Vec<&str> = departments
        .iter()
        .map(|d| d.trim())
        .filter(|d| !d.is_empty())
        .collect();
    let kinds: Vec<String> = CampaignKind::ALL.iter().map(|k| kind_label(*k)).collect();

    let navy = Color::RGB(0x1F_3A_5F);
    let title_fmt = Format::new()
        .set_bold()
        .set_font_size(14)
        .set_font_color(Color::White)
        .set_background_color(navy)
        .set_align(FormatAlign::VerticalCenter);
    let instructions_fmt = Format::new()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_background_color(Color::RGB(0xF2_F2_F2));
    let heading_fmt = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xD9_E1_F2))
        .set_border(FormatBorder::Thin);
    let label_fmt = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_border(FormatBorder::Thin);
    let value_fmt = Format::new()
        .set_unlocked()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_num_format("@")
        .set_background_color(Color::RGB(0xFF_FB_E6))
        .set_border(FormatBorder::Thin);
    let date_fmt = Format::new()
        .set_unlocked()
        .set_align(FormatAlign::Top)
        .set_align(FormatAlign::Left)
        .set_num_format("dd/mm/yyyy")
        .set_background_color(Color::RGB(0xFF_FB_E6))
        .set_border(FormatBorder::Thin);
    let hint_fmt = Format::new()
        .set_italic()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_font_color(Color::RGB(0x59_59_59));

    let mut wb = Workbook::new();
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!("{RECORD_CODE} {RECORD_NAME}"))
            .set_subject(RECORD_NAME)
            .set_category(RECORD_CODE)
            .set_keywords("brief, telemercadeo, GF-MK-PR-01-01"),
    );

    {
        let ws = wb.add_worksheet();
        ws.set_name(SHEET).map_err(xlsx_err)?;
        ws.set_column_width(LABEL_COL, 30).map_err(xlsx_err)?;
        ws.set_column_width(VALUE_COL, 70).map_err(xlsx_err)?;
        ws.set_column_width(HINT_COL, 30).map_err(xlsx_err)?;
        ws.set_column_hidden(CODE_COL).map_err(xlsx_err)?;

        ws.set_row_height(TITLE_ROW, 28).map_err(xlsx_err)?;
        ws.merge_range(
            TITLE_ROW,
            LABEL_COL,
            TITLE_ROW,
            HINT_COL,
            &format!("{RECORD_CODE} · {RECORD_NAME}"),
            &title_fmt,
        )
        .map_err(xlsx_err)?;
        ws.write_string(TITLE_ROW, CODE_COL, TEMPLATE_VERSION)
            .map_err(xlsx_err)?;

        let instructions = format!(
            "Instrucciones: escriba sus respuestas solo en la columna B («Respuesta»); las demás \
             celdas están protegidas. Los campos marcados con * son obligatorios. Escriba las \
             fechas como DD/MM/AAAA (por ejemplo, 15/12/2026). Envíe este archivo diligenciado a \
             Marketing al menos {LEAD_DAYS} días calendario antes de la fecha de inicio de la \
             campaña y adjunte la base de datos de contactos (Nombre, Teléfono, Email…)."
        );
        ws.set_row_height(INSTRUCTIONS_ROW, 78).map_err(xlsx_err)?;
        ws.merge_range(
            INSTRUCTIONS_ROW,
            LABEL_COL,
            INSTRUCTIONS_ROW,
            HINT_COL,
            &instructions,
            &instructions_fmt,
        )
        .map_err(xlsx_err)?;

        for (col, text) in [
            (LABEL_COL, "Campo"),
            (VALUE_COL, "Respuesta"),
            (HINT_COL, "Indicaciones"),
        ] {
            ws.write_string_with_format(HEADING_ROW, col, text, &heading_fmt)
                .map_err(xlsx_err)?;
        }
        ws.write_string(HEADING_ROW, CODE_COL, "codigo")
            .map_err(xlsx_err)?;

        for (i, (code, key)) in FIELDS.iter().enumerate() {
            let row = FIRST_FIELD_ROW + i as RowNum;
            let mut text = label(key);
            if !OPTIONAL_FIELDS.contains(code) {
                text.push_str(" *");
            }
            ws.write_string_with_format(row, LABEL_COL, &text, &label_fmt)
                .map_err(xlsx_err)?;
            let is_date = DATE_FIELDS.contains(code);
            write_value(ws, row, code, if is_date { &date_fmt } else { &value_fmt })
                .map_err(xlsx_err)?;
            ws.write_string_with_format(
                row,
                HINT_COL,
                hint(code, !departments.is_empty()),
                &hint_fmt,
            )
            .map_err(xlsx_err)?;
            ws.write_string(row, CODE_COL, *code).map_err(xlsx_err)?;
            let height = if LONG_FIELDS.contains(code) { 60 } else { 22 };
            ws.set_row_height(row, height).map_err(xlsx_err)?;

            let validation = match *code {
                "department" if !departments.is_empty() => Some(
                    DataValidation::new()
                        .allow_list_formula(Formula::new(format!(
                            "={LIST_SHEET}!$A$2:$A${}",
                            departments.len() + 1
                        )))
                        .set_input_title("Dependencia")
                        .and_then(|v| v.set_input_message("Elija su dependencia de la lista."))
                        .and_then(|v| v.set_error_title("Dependencia no válida"))
                        .and_then(|v| {
                            v.set_error_message(
                                "Elija una dependencia de la lista. Si la suya no aparece, \
                                 escríbala en Observaciones y avise a Marketing.",
                            )
                        })
                        .map_err(xlsx_err)?,
                ),
                "kind" => Some(
                    DataValidation::new()
                        .allow_list_formula(Formula::new(format!(
                            "={LIST_SHEET}!$B$2:$B${}",
                            kinds.len() + 1
                        )))
                        .set_input_title("Tipo de campaña")
                        .and_then(|v| v.set_input_message("Elija el tipo de la lista."))
                        .and_then(|v| v.set_error_title("Tipo no válido"))
                        .and_then(|v| v.set_error_message("Elija un tipo de campaña de la lista."))
                        .map_err(xlsx_err)?,
                ),
                c if DATE_FIELDS.contains(&c) => Some(
                    DataValidation::new()
                        .allow_any_value()
                        .set_input_title("Fecha (DD/MM/AAAA)")
                        .and_then(|v| {
                            v.set_input_message(
                                "Escriba la fecha como DD/MM/AAAA, por ejemplo 15/12/2026.",
                            )
                        })
                        .map_err(xlsx_err)?,
                ),
                _ => None,
            };
            if let Some(v) = validation {
                let v = v.set_error_style(DataValidationErrorStyle::Stop);
                ws.add_data_validation(row, VALUE_COL, row, VALUE_COL, &v)
                    .map_err(xlsx_err)?;
            }
        }

        ws.set_freeze_panes(FIRST_FIELD_ROW, 0).map_err(xlsx_err)?;
        ws.set_selection(FIRST_FIELD_ROW, VALUE_COL, FIRST_FIELD_ROW, VALUE_COL)
            .map_err(xlsx_err)?;
        ws.protect_with_options(&ProtectionOptions {
            format_rows: true,
            ..ProtectionOptions::default()
        });
        ws.set_paper_size(1); // Letter, as printed in Colombia.
        ws.set_print_fit_to_pages(1, 0);
        ws.set_print_center_horizontally(true);
        ws.set_active(true);
    }

    {
        let ws = wb.add_worksheet();
        ws.set_name(LIST_SHEET).map_err(xlsx_err)?;
        ws.write_string(0, 0, "Dependencias").map_err(xlsx_err)?;
        ws.write_string(0, 1, "Tipos de campaña")
            .map_err(xlsx_err)?;
        for (i, d) in departments.iter().enumerate() {
            ws.write_string(1 + i as RowNum, 0, *d).map_err(xlsx_err)?;
        }
        for (i, k) in kinds.iter().enumerate() {
            ws.write_string(1 + i as RowNum, 1, k).map_err(xlsx_err)?;
        }
        ws.set_column_width(0, 40).map_err(xlsx_err)?;
        ws.set_column_width(1, 20).map_err(xlsx_err)?;
        ws.set_hidden(true);
        ws.protect();
    }

    wb.save_to_buffer().map_err(xlsx_err)
}

/// What reading a filled template gave.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportedBrief {
    /// The fields as read (dates normalised to DD/MM/AAAA text when they were Excel date cells
    /// or parseable text; the department NAME goes in `department_name`, not in the form).
    pub form: BriefForm,
    /// The department as written in the file (to be looked up by the caller).
    pub department_name: String,
    /// Problems found, in Spanish, each naming the field ("Tipo de campaña: «Feria» no es un
    /// tipo conocido; use uno de la lista.").
    pub errors: Vec<String>,
}

/// Reads a filled template (bytes of an .xlsx; an .xls or .ods saved from the template is also
/// read). A file that is not a workbook, a damaged workbook, or a workbook without the
/// "Solicitud" sheet or the field codes gives `Err` with a Spanish message that says what to do.
/// Unknown kinds, unparseable dates, Excel error cells and fields missing from the sheet are
/// listed in `errors` (the rest is still read). Cells may be text, numbers (a number typed in a
/// text field is its digits, 3001234567.0 → "3001234567") or Excel dates (normalised to
/// DD/MM/AAAA).
pub fn read_brief(bytes: &[u8]) -> Result<ImportedBrief, String> {
    let range = load_sheet(bytes)?;
    let rows = field_rows(&range)?;
    let mut out = ImportedBrief::default();
    for (code, key) in FIELDS {
        let name = label(key);
        let Some(&row) = rows.get(code) else {
            out.errors.push(format!(
                "{name}: no está en el archivo (la plantilla fue modificada); complételo en el \
                 programa."
            ));
            continue;
        };
        let cell = range
            .get_value((row, u32::from(VALUE_COL)))
            .unwrap_or(&Data::Empty);
        if DATE_FIELDS.contains(&code) {
            let (text, ok) = date_text(cell);
            if !ok {
                out.errors.push(format!(
                    "{name}: «{text}» no es una fecha válida; escríbala como DD/MM/AAAA (por \
                     ejemplo, 15/12/2026)."
                ));
            }
            set_text(&mut out, code, text);
            continue;
        }
        let text = match cell_text(cell) {
            Ok(text) => text,
            Err(excel_error) => {
                out.errors.push(format!(
                    "{name}: la celda tiene un error de Excel ({excel_error}); escriba el valor \
                     de nuevo."
                ));
                continue;
            }
        };
        if code == "kind" {
            if !text.is_empty() {
                out.form.kind = kind_from_text(&text);
                if out.form.kind.is_none() {
                    out.errors.push(format!(
                        "{name}: «{text}» no es un tipo conocido; use uno de la lista."
                    ));
                }
            }
        } else {
            set_text(&mut out, code, text);
        }
    }
    Ok(out)
}

/// Stores a text field by its code.
fn set_text(out: &mut ImportedBrief, code: &str, text: String) {
    let f = &mut out.form;
    let slot = match code {
        "department" => &mut out.department_name,
        "contact_name" => &mut f.contact_name,
        "contact_email" => &mut f.contact_email,
        "campaign_name" => &mut f.campaign_name,
        "objective" => &mut f.objective,
        "audience" => &mut f.audience,
        "key_message" => &mut f.key_message,
        "start_date" => &mut f.start_date,
        "end_date" => &mut f.end_date,
        "expected_result" => &mut f.expected_result,
        "database_fields" => &mut f.database_fields,
        "observations" => &mut f.observations,
        _ => return,
    };
    *slot = text;
}

/// Opens the workbook and returns the cells of its "Solicitud" sheet.
fn load_sheet(bytes: &[u8]) -> Result<Range<Data>, String> {
    let damaged = |detail: &str| {
        format!(
            "El archivo no es un libro de Excel (.xlsx) válido o está dañado: {detail}. \
             Descargue de nuevo la plantilla, llénela y guárdela como «Libro de Excel (.xlsx)»."
        )
    };
    if bytes.is_empty() {
        return Err(damaged("el archivo está vacío"));
    }
    match Xlsx::new(Cursor::new(bytes)) {
        Ok(mut wb) => sheet_range(&mut wb),
        Err(xlsx_error) => match calamine::open_workbook_auto_from_rs(Cursor::new(bytes)) {
            // An .xls or .ods saved from the template.
            Ok(mut wb) => sheet_range(&mut wb),
            Err(_) if !bytes.starts_with(b"PK") => {
                Err(damaged("su contenido no es el de una hoja de cálculo"))
            }
            Err(_) => Err(damaged(&format!(
                "no se pudo abrir (detalle técnico: {xlsx_error})"
            ))),
        },
    }
}

/// The "Solicitud" sheet of an open workbook.
fn sheet_range<RS, R>(wb: &mut R) -> Result<Range<Data>, String>
where
    RS: std::io::Read + std::io::Seek,
    R: Reader<RS>,
    R::Error: std::fmt::Display,
{
    let names = wb.sheet_names();
    let name = names
        .iter()
        .find(|n| n.as_str() == SHEET)
        .or_else(|| names.iter().find(|n| n.trim().eq_ignore_ascii_case(SHEET)))
        .cloned();
    let Some(name) = name else {
        let list = names
            .iter()
            .map(|n| format!("«{n}»"))
            .collect::<Vec<_>>()
            .join(", ");
        return Err(format!(
            "El libro no tiene la hoja «{SHEET}» de la plantilla {RECORD_CODE} (sus hojas son: \
             {list}). Descargue de nuevo la plantilla y escriba sus respuestas en ella, sin \
             cambiar el nombre de la hoja."
        ));
    };
    wb.worksheet_range(&name).map_err(|e| {
        format!(
            "No se pudo leer la hoja «{SHEET}»; el archivo puede estar dañado (detalle técnico: \
             {e}). Descargue de nuevo la plantilla y copie en ella sus respuestas."
        )
    })
}

/// The row of each field, found by the codes of the hidden column D.
fn field_rows(range: &Range<Data>) -> Result<HashMap<&'static str, u32>, String> {
    let mut rows = HashMap::new();
    if let (Some((first, _)), Some((last, _))) = (range.start(), range.end()) {
        for row in first..=last {
            let Some(Data::String(s)) = range.get_value((row, u32::from(CODE_COL))) else {
                continue;
            };
            if let Some((code, _)) = FIELDS.iter().find(|(c, _)| *c == s.trim()) {
                rows.entry(*code).or_insert(row);
            }
        }
    }
    if rows.is_empty() {
        return Err(format!(
            "La hoja «{SHEET}» no tiene los códigos de campo de la plantilla {RECORD_CODE} (la \
             columna D oculta). Descargue de nuevo la plantilla desde el programa y copie en \
             ella sus respuestas."
        ));
    }
    Ok(rows)
}

/// A number as a person wrote it: whole numbers without decimals.
fn number_text(v: f64) -> String {
    if v.is_finite() && v.fract() == 0.0 && v.abs() < 1e17 {
        format!("{v:.0}")
    } else {
        v.to_string()
    }
}

/// A calendar date from an Excel serial (1900 or 1904 based), if valid.
fn excel_date(dt: &calamine::ExcelDateTime) -> Option<NaiveDate> {
    if dt.is_duration() || !(0.0..2_958_466.0).contains(&dt.as_f64()) {
        return None;
    }
    let (y, m, d, ..) = dt.to_ymd_hms_milli();
    NaiveDate::from_ymd_opt(i32::from(y), u32::from(m), u32::from(d))
}

/// The text of a cell; `Err` with Excel's code for an error cell.
fn cell_text(cell: &Data) -> Result<String, String> {
    Ok(match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.replace("\r\n", "\n").trim().to_owned(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::Bool(b) => if *b { "VERDADERO" } else { "FALSO" }.to_owned(),
        Data::DateTime(dt) => {
            let (_, _, _, h, min, ..) = dt.to_ymd_hms_milli();
            match excel_date(dt) {
                Some(d) if h == 0 && min == 0 => format::date(&d),
                Some(d) => format!("{} {h:02}:{min:02}", format::date(&d)),
                None => number_text(dt.as_f64()),
            }
        }
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.trim().to_owned(),
        Data::Error(e) => return Err(e.to_string()),
    })
}

/// A date cell as DD/MM/AAAA text, and whether it is a valid date (an empty cell is).
/// When it is not, the text is what the cell holds.
fn date_text(cell: &Data) -> (String, bool) {
    let parsed = match cell {
        Data::Empty => return (String::new(), true),
        Data::DateTime(dt) => excel_date(dt),
        // A date cell without a date format: the serial number itself.
        Data::Float(_) | Data::Int(_) => {
            let serial = match cell {
                Data::Float(f) => *f,
                Data::Int(i) => *i as f64,
                _ => -1.0,
            };
            if (1.0..2_958_466.0).contains(&serial) {
                excel_date(&calamine::ExcelDateTime::new(
                    serial,
                    ExcelDateTimeType::DateTime,
                    false,
                ))
            } else {
                None
            }
        }
        Data::DateTimeIso(s) => s
            .get(..10)
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
        Data::String(s) => {
            let s = s.trim();
            if s.is_empty() {
                return (String::new(), true);
            }
            // "15/12/2026 00:00:00" or "2026-12-15T00:00:00".
            parse_date(s).or_else(|| {
                s.split(|c: char| c.is_whitespace() || c == 'T')
                    .next()
                    .and_then(parse_date)
            })
        }
        Data::Bool(_) | Data::DurationIso(_) | Data::Error(_) => None,
    };
    match parsed {
        Some(d) => (format::date(&d), true),
        None => (cell_text(cell).unwrap_or_else(|e| e), false),
    }
}

/// A campaign kind from its label (Spanish or English, with or without accents) or its code.
fn kind_from_text(text: &str) -> Option<CampaignKind> {
    let wanted = fold(text);
    CampaignKind::ALL.iter().copied().find(|k| {
        let key = format!("campaign_kind.{}", k.code());
        [
            k.code().to_owned(),
            t_in(Lang::Es, &key),
            t_in(Lang::En, &key),
            k.label(),
        ]
        .iter()
        .any(|candidate| fold(candidate) == wanted)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_xlsxwriter::ExcelDateTime;

    /// The label of a field given its code.
    fn label_of(code: &str) -> String {
        FIELDS
            .iter()
            .find(|(c, _)| *c == code)
            .map_or_else(|| code.to_owned(), |(_, key)| label(key))
    }

    /// A value typed in column B by the tests.
    enum Val {
        Text(&'static str),
        Number(f64),
        Date(u16, u8, u8),
    }

    /// The template's layout with column B filled.
    fn fill_template(values: &[(&str, Val)]) -> Vec<u8> {
        build_workbook(
            &["Facultad de Ingeniería".to_owned(), "Posgrados".to_owned()],
            &mut |ws, row, code, fmt| {
                match values.iter().find(|(c, _)| *c == code).map(|(_, v)| v) {
                    None => ws.write_blank(row, VALUE_COL, fmt)?,
                    Some(Val::Text(s)) => ws.write_string_with_format(row, VALUE_COL, *s, fmt)?,
                    Some(Val::Number(n)) => ws.write_number_with_format(row, VALUE_COL, *n, fmt)?,
                    Some(Val::Date(y, m, d)) => ws.write_datetime_with_format(
                        row,
                        VALUE_COL,
                        ExcelDateTime::from_ymd(*y, *m, *d)?,
                        fmt,
                    )?,
                };
                Ok(())
            },
        )
        .expect("filled template")
    }

    fn filled_values() -> Vec<(&'static str, Val)> {
        vec![
            ("department", Val::Text("Facultad de Ingeniería")),
            ("contact_name", Val::Text("Sandra Milena Ruiz")),
            ("contact_email", Val::Text("sandra.ruiz@universidad.edu.co")),
            ("campaign_name", Val::Text("Inscripciones 2027-1")),
            ("kind", Val::Text(" inscripciones ")),
            (
                "objective",
                Val::Text("Lograr 200 inscritos.\nSegunda línea."),
            ),
            (
                "audience",
                Val::Text("Aspirantes que dejaron datos en la feria"),
            ),
            ("key_message", Val::Number(3_001_234_567.0)),
            ("start_date", Val::Date(2026, 12, 7)),
            ("end_date", Val::Text("2026-12-20")),
            ("expected_result", Val::Number(200.5)),
            ("database_fields", Val::Text("Nombre, Teléfono, Email")),
            ("observations", Val::Text("")),
        ]
    }

    #[test]
    fn the_blank_template_reads_as_an_empty_brief() {
        let bytes = brief_template(&["Posgrados".to_owned()]).expect("template");
        assert!(bytes.starts_with(b"PK"));
        let read = read_brief(&bytes).expect("read");
        assert_eq!(read.form, BriefForm::default());
        assert_eq!(read.department_name, "");
        assert!(read.errors.is_empty(), "{:?}", read.errors);

        // The layout: the title, the labels in column A, the codes in column D, both sheets.
        let mut wb = Xlsx::new(Cursor::new(bytes.as_slice())).expect("xlsx");
        assert_eq!(
            wb.sheet_names(),
            vec![SHEET.to_owned(), LIST_SHEET.to_owned()]
        );
        let range = wb.worksheet_range(SHEET).expect("sheet");
        let title = range.get_value((TITLE_ROW, 0)).expect("title").to_string();
        assert!(
            title.contains(RECORD_CODE) && title.contains(RECORD_NAME),
            "{title}"
        );
        let instructions = range.get_value((INSTRUCTIONS_ROW, 0)).expect("instr");
        assert!(instructions.to_string().contains("DD/MM/AAAA"));
        for (i, (code, key)) in FIELDS.iter().enumerate() {
            let row = FIRST_FIELD_ROW + i as u32;
            let shown = range.get_value((row, 0)).expect("label").to_string();
            assert!(shown.starts_with(&label(key)), "{shown}");
            assert_eq!(
                range.get_value((row, 3)),
                Some(&Data::String((*code).to_owned()))
            );
        }
        let lists = wb.worksheet_range(LIST_SHEET).expect("lists");
        assert_eq!(
            lists.get_value((1, 0)),
            Some(&Data::String("Posgrados".to_owned()))
        );
        assert_eq!(
            lists.get_value((1 + CampaignKind::ALL.len() as u32 - 1, 1)),
            Some(&Data::String(kind_label(CampaignKind::Otro)))
        );
    }

    #[test]
    fn a_template_with_many_departments_is_written() {
        // More than the 255 characters Excel allows in a literal list.
        let many: Vec<String> = (0..60).map(|i| format!("Dependencia número {i}")).collect();
        let bytes = brief_template(&many).expect("template");
        assert!(read_brief(&bytes).expect("read").errors.is_empty());
        assert!(brief_template(&[]).is_ok());
    }

    #[test]
    fn round_trip_of_every_field() {
        let bytes = fill_template(&filled_values());
        // The start date is a real Excel date cell, the phone number a number cell.
        let mut wb = Xlsx::new(Cursor::new(bytes.as_slice())).expect("xlsx");
        let range = wb.worksheet_range(SHEET).expect("sheet");
        let row_of = |code: &str| {
            FIRST_FIELD_ROW + FIELDS.iter().position(|(c, _)| *c == code).expect("field") as u32
        };
        let start = range.get_value((row_of("start_date"), 1));
        assert!(matches!(start, Some(Data::DateTime(_))), "{start:?}");
        let phone = range.get_value((row_of("key_message"), 1));
        assert!(matches!(phone, Some(Data::Float(_))), "{phone:?}");

        let read = read_brief(&bytes).expect("read");
        assert!(read.errors.is_empty(), "{:?}", read.errors);
        assert_eq!(read.department_name, "Facultad de Ingeniería");
        let expected = BriefForm {
            department_id: None,
            contact_name: "Sandra Milena Ruiz".into(),
            contact_email: "sandra.ruiz@universidad.edu.co".into(),
            campaign_name: "Inscripciones 2027-1".into(),
            kind: Some(CampaignKind::Inscripciones),
            objective: "Lograr 200 inscritos.\nSegunda línea.".into(),
            audience: "Aspirantes que dejaron datos en la feria".into(),
            key_message: "3001234567".into(),
            start_date: "07/12/2026".into(),
            end_date: "20/12/2026".into(),
            expected_result: "200.5".into(),
            database_fields: "Nombre, Teléfono, Email".into(),
            observations: String::new(),
        };
        assert_eq!(read.form, expected);
    }

    #[test]
    fn kinds_are_recognised_by_label_in_either_language_or_code() {
        for kind in CampaignKind::ALL {
            let key = format!("campaign_kind.{}", kind.code());
            for text in [
                t_in(Lang::Es, &key),
                t_in(Lang::En, &key),
                kind.code().to_owned(),
            ] {
                assert_eq!(kind_from_text(&text.to_uppercase()), Some(*kind), "{text}");
            }
        }
        assert_eq!(kind_from_text("Feria"), None);
    }

    #[test]
    fn an_unknown_kind_and_a_bad_date_are_listed_and_the_rest_is_read() {
        let mut values = filled_values();
        for (code, val) in values.iter_mut() {
            match *code {
                "kind" => *val = Val::Text("Feria"),
                "start_date" => *val = Val::Text("31/02/2026"),
                "end_date" => *val = Val::Text("pronto"),
                _ => {}
            }
        }
        let read = read_brief(&fill_template(&values)).expect("read");
        assert_eq!(read.errors.len(), 3, "{:?}", read.errors);
        assert_eq!(
            read.errors[0],
            format!(
                "{}: «Feria» no es un tipo conocido; use uno de la lista.",
                label_of("kind")
            )
        );
        assert!(read.errors[1].starts_with(&format!("{}: «31/02/2026»", label_of("start_date"))));
        assert!(read.errors[1].contains("DD/MM/AAAA"));
        assert!(read.errors[2].starts_with(&format!("{}: «pronto»", label_of("end_date"))));
        // What was typed is kept, so the draft loses nothing.
        assert_eq!(read.form.kind, None);
        assert_eq!(read.form.start_date, "31/02/2026");
        assert_eq!(read.form.end_date, "pronto");
        assert_eq!(read.department_name, "Facultad de Ingeniería");
        assert_eq!(read.form.contact_email, "sandra.ruiz@universidad.edu.co");
        assert_eq!(read.form.key_message, "3001234567");
    }

    #[test]
    fn cells_of_every_type() {
        assert_eq!(
            cell_text(&Data::Float(3_001_234_567.0)),
            Ok("3001234567".into())
        );
        assert_eq!(cell_text(&Data::Int(42)), Ok("42".into()));
        assert_eq!(
            cell_text(&Data::String("  a\r\nb ".into())),
            Ok("a\nb".into())
        );
        assert_eq!(cell_text(&Data::Bool(true)), Ok("VERDADERO".into()));
        assert_eq!(
            cell_text(&Data::Error(calamine::CellErrorType::NA)),
            Err("#N/A".into())
        );
        // 2026-12-07 is serial 46363 in the 1900 system.
        let dt = calamine::ExcelDateTime::new(46363.0, ExcelDateTimeType::DateTime, false);
        assert_eq!(date_text(&Data::DateTime(dt)), ("07/12/2026".into(), true));
        assert_eq!(
            date_text(&Data::Float(46363.0)),
            ("07/12/2026".into(), true)
        );
        assert_eq!(
            date_text(&Data::DateTimeIso("2026-12-07T00:00:00".into())),
            ("07/12/2026".into(), true)
        );
        assert_eq!(
            date_text(&Data::String("7-12-2026 08:00".into())),
            ("07/12/2026".into(), true)
        );
        assert_eq!(date_text(&Data::Empty), (String::new(), true));
        assert_eq!(
            date_text(&Data::Float(15_122_026.0)),
            ("15122026".into(), false)
        );
        let duration = calamine::ExcelDateTime::new(0.5, ExcelDateTimeType::TimeDelta, false);
        assert!(!date_text(&Data::DateTime(duration)).1);
    }

    #[test]
    fn bad_files_are_refused_with_a_spanish_message() {
        let err = read_brief(b"esto no es un libro de Excel, es texto").expect_err("garbage");
        assert!(
            err.starts_with("El archivo no es un libro de Excel (.xlsx)"),
            "{err}"
        );
        assert!(err.contains("Descargue de nuevo la plantilla"), "{err}");

        let err = read_brief(&[]).expect_err("empty");
        assert!(err.contains("vacío"), "{err}");

        let good = brief_template(&[]).expect("template");
        let err = read_brief(&good[..good.len() / 2]).expect_err("truncated");
        assert!(
            err.starts_with("El archivo no es un libro de Excel (.xlsx)"),
            "{err}"
        );
        assert!(err.contains("Descargue de nuevo la plantilla"), "{err}");

        let mut wb = Workbook::new();
        wb.add_worksheet()
            .set_name("Hoja1")
            .and_then(|ws| ws.write_string(0, 0, "Dependencia"))
            .expect("sheet");
        let other = wb.save_to_buffer().expect("other");
        let err = read_brief(&other).expect_err("no sheet");
        assert!(err.contains("no tiene la hoja «Solicitud»"), "{err}");
        assert!(err.contains("«Hoja1»"), "{err}");

        // The right sheet name but not the template: no field codes.
        let mut wb = Workbook::new();
        wb.add_worksheet()
            .set_name(SHEET)
            .and_then(|ws| ws.write_string(3, 1, "Posgrados"))
            .expect("sheet");
        let err = read_brief(&wb.save_to_buffer().expect("bytes")).expect_err("no codes");
        assert!(err.contains("códigos de campo"), "{err}");
    }
}
