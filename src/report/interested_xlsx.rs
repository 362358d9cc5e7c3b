//! The interested contacts of a campaign as a workbook the requesting department opens in
//! Excel: one row per contact, phones as people write them (`300 123 4567`, text), every text
//! cell neutralised (never a formula) and cut at Excel's 32,767 characters with a visible mark.

use rust_xlsxwriter::{Format, Workbook};

use super::issues::neutralise;
use crate::domain::Settings;
use crate::domain::format;
use crate::domain::interested::Interested;
use crate::i18n::t;

/// Excel's limit for the text of one cell.
pub const CELL_LIMIT: usize = 32_767;

/// A text as a cell: neutralised, and cut with a visible mark when longer than Excel allows.
pub fn cell_text(s: &str) -> String {
    let s = neutralise(s);
    if s.chars().count() <= CELL_LIMIT {
        return s;
    }
    let mark = t("report.cut_mark");
    let keep = CELL_LIMIT - mark.chars().count();
    let mut out: String = s.chars().take(keep).collect();
    out.push_str(&mark);
    out
}

/// The workbook.
pub fn interested_xlsx(list: &Interested, settings: &Settings) -> Result<Vec<u8>, String> {
    let e = |e: rust_xlsxwriter::XlsxError| e.to_string();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(t("interested.sheet")).map_err(e)?;
    let bold = Format::new().set_bold();
    let heads = [
        "interested.col_name",
        "interested.col_phone",
        "interested.col_email",
        "interested.col_program",
        "interested.col_city",
        "interested.col_outcome",
        "interested.col_when",
        "interested.col_agent",
        "interested.col_notes",
    ];
    for (c, h) in heads.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, t(h), &bold)
            .map_err(e)?;
    }
    for (i, c) in list.contacts.iter().enumerate() {
        let r = i as u32 + 1;
        let cells = [
            c.name.clone(),
            format::phone(&c.phone),
            c.email.clone(),
            c.program.clone(),
            c.city.clone(),
            c.outcome.clone(),
            format::datetime(c.at, settings),
            c.agent.clone(),
            c.notes.clone(),
        ];
        for (col, v) in cells.iter().enumerate() {
            ws.write_string(r, col as u16, cell_text(v)).map_err(e)?;
        }
    }
    for (col, w) in [28, 14, 28, 26, 16, 16, 18, 22, 60].iter().enumerate() {
        ws.set_column_width(col as u16, *w).map_err(e)?;
    }
    ws.set_freeze_panes(1, 0).map_err(e)?;
    ws.autofilter(0, 0, list.contacts.len() as u32, heads.len() as u16 - 1)
        .map_err(e)?;
    wb.save_to_buffer().map_err(e)
}
