//! The rows an import did not load, as files the user opens in Excel. Cells that Excel would
//! read as a formula (starting with `=`, `+`, `-`, `@`) are neutralised with a leading `'`.

use crate::domain::contact::Issue;
use crate::i18n::t;

/// Makes a cell safe to open in a spreadsheet: text that starts like a formula gets a `'`.
pub fn neutralise(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_owned(),
    }
}

fn header() -> Vec<String> {
    vec![
        t("contacts.row"),
        t("import.col_kind"),
        t("import.col_reason"),
        t("import.col_values"),
    ]
}

/// CSV as Spanish-locale Excel opens it: UTF-8 with BOM, `;` separated.
pub fn issues_csv(issues: &[Issue]) -> Result<Vec<u8>, String> {
    let mut out = vec![0xEF, 0xBB, 0xBF];
    {
        let mut w = csv::WriterBuilder::new()
            .delimiter(b';')
            .from_writer(&mut out);
        w.write_record(header()).map_err(|e| e.to_string())?;
        for i in issues {
            w.write_record([
                i.row.to_string(),
                i.kind.label(),
                neutralise(&i.reason),
                i.original
                    .iter()
                    .map(|c| neutralise(c))
                    .collect::<Vec<_>>()
                    .join(" | "),
            ])
            .map_err(|e| e.to_string())?;
        }
        w.flush().map_err(|e| e.to_string())?;
    }
    Ok(out)
}

/// The same as an XLSX workbook (every cell written as text, never as a formula).
pub fn issues_xlsx(issues: &[Issue]) -> Result<Vec<u8>, String> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(t("import.issues_sheet"))
        .map_err(|e| e.to_string())?;
    let bold = Format::new().set_bold();
    for (c, h) in header().iter().enumerate() {
        ws.write_string_with_format(0, c as u16, h, &bold)
            .map_err(|e| e.to_string())?;
    }
    let width = issues.iter().map(|i| i.original.len()).max().unwrap_or(0);
    for (r, i) in issues.iter().enumerate() {
        let r = r as u32 + 1;
        ws.write_number(r, 0, i.row as f64)
            .map_err(|e| e.to_string())?;
        ws.write_string(r, 1, i.kind.label())
            .map_err(|e| e.to_string())?;
        ws.write_string(r, 2, &i.reason)
            .map_err(|e| e.to_string())?;
        for (c, v) in i.original.iter().enumerate() {
            // write_string never turns "=…" into a formula.
            ws.write_string(r, 3 + c as u16, v)
                .map_err(|e| e.to_string())?;
        }
    }
    ws.set_column_width(2, 60).map_err(|e| e.to_string())?;
    ws.autofilter(0, 0, issues.len() as u32, (3 + width.max(1) - 1) as u16)
        .map_err(|e| e.to_string())?;
    wb.save_to_buffer().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::contact::IssueKind;

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralise("+57 300"), "'+57 300");
        assert_eq!(neutralise("María"), "María");
        let csv = issues_csv(&[Issue {
            row: 3,
            kind: IssueKind::Rechazada,
            reason: "Sin teléfono válido".into(),
            original: vec!["=1+1".into(), "@x".into()],
        }])
        .expect("csv");
        let text = String::from_utf8(csv[3..].to_vec()).expect("utf8");
        assert!(text.contains("'=1+1 | '@x"), "{text}");
        assert!(issues_xlsx(&[]).expect("xlsx").starts_with(b"PK"));
    }
}
