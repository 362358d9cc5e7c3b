//! The weekly consolidated report as an XLSX workbook: a summary sheet (the week, the totals
//! against the previous week, one line per person) and one sheet per table. Numbers are
//! written as numbers; every text as text (`write_string`, never a formula; names that start
//! like one are neutralised), so a phone or a code is never read as a number.

use rust_xlsxwriter::{Format, Workbook, Worksheet};

use super::issues::neutralise;
use crate::domain::weekly::{Figures, Named, Weekly};
use crate::domain::{Settings, format};
use crate::i18n::t;

type Res<T> = Result<T, String>;

fn err(e: rust_xlsxwriter::XlsxError) -> String {
    e.to_string()
}

/// Writes a header row in bold at `row`.
fn header(ws: &mut Worksheet, row: u32, cols: &[String], bold: &Format) -> Res<()> {
    for (c, h) in cols.iter().enumerate() {
        ws.write_string_with_format(row, c as u16, h, bold)
            .map_err(err)?;
    }
    Ok(())
}

/// A sheet of `(label, count)` lines: per person when the report has several, then the total.
fn table_sheet(
    wb: &mut Workbook,
    name_key: &str,
    first_col_key: &str,
    report: &Weekly,
    lines: &dyn Fn(&Figures) -> Vec<(String, i64)>,
    bold: &Format,
) -> Res<()> {
    let ws = wb.add_worksheet();
    ws.set_name(sheet_name(&t(name_key))).map_err(err)?;
    header(
        ws,
        0,
        &[
            t("weekly.col_person"),
            t(first_col_key),
            t("weekly.col_count"),
        ],
        bold,
    )?;
    let mut row = 1u32;
    let mut put = |ws: &mut Worksheet, who: &str, f: &Figures| -> Res<()> {
        for (label, n) in lines(f) {
            ws.write_string(row, 0, neutralise(who)).map_err(err)?;
            ws.write_string(row, 1, neutralise(&label)).map_err(err)?;
            ws.write_number(row, 2, n as f64).map_err(err)?;
            row += 1;
        }
        Ok(())
    };
    if report.agent.is_none() {
        for a in &report.agents {
            put(ws, &a.name, &a.figures)?;
        }
    }
    put(ws, &t("weekly.total"), &report.total)?;
    ws.set_column_width(0, 28).map_err(err)?;
    ws.set_column_width(1, 36).map_err(err)?;
    ws.autofilter(0, 0, row.saturating_sub(1).max(1), 2)
        .map_err(err)?;
    Ok(())
}

/// Excel's sheet names: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
        .take(31)
        .collect()
}

fn named(list: &[Named]) -> Vec<(String, i64)> {
    list.iter()
        .map(|x| {
            let name = if x.name.is_empty() {
                t("weekly.none")
            } else {
                x.name.clone()
            };
            (name, x.n)
        })
        .collect()
}

/// The workbook of a weekly report, made at `now` (the summary says when).
pub fn weekly_xlsx(report: &Weekly, settings: &Settings, now: i64) -> Res<Vec<u8>> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let title = Format::new().set_bold().set_font_size(14);
    {
        let ws = wb.add_worksheet();
        ws.set_name(sheet_name(&t("weekly.sheet_summary")))
            .map_err(err)?;
        ws.write_string_with_format(0, 0, neutralise(&report.title()), &title)
            .map_err(err)?;
        ws.write_string(1, 0, t("weekly.period")).map_err(err)?;
        ws.write_string(1, 1, report.week.code()).map_err(err)?;
        ws.write_string(2, 0, t("weekly.made_at")).map_err(err)?;
        ws.write_string(2, 1, format::datetime(now, settings))
            .map_err(err)?;
        header(
            ws,
            4,
            &[
                t("weekly.col_figure"),
                t("weekly.col_this_week"),
                t("weekly.col_previous_week"),
                t("weekly.col_change"),
            ],
            &bold,
        )?;
        let mut row = 5u32;
        for c in report.changes() {
            ws.write_string(row, 0, t(c.key)).map_err(err)?;
            ws.write_number(row, 1, c.now as f64).map_err(err)?;
            ws.write_number(row, 2, c.before as f64).map_err(err)?;
            ws.write_number(row, 3, c.delta() as f64).map_err(err)?;
            row += 1;
        }
        row += 1;
        header(
            ws,
            row,
            &[
                t("weekly.col_person"),
                t("weekly.col_role"),
                t("weekly.inbound"),
                t("weekly.remitted"),
                t("weekly.transferred"),
                t("weekly.outbound"),
                t("weekly.calls"),
            ],
            &bold,
        )?;
        row += 1;
        for a in &report.agents {
            let f = &a.figures;
            ws.write_string(row, 0, neutralise(&a.name)).map_err(err)?;
            ws.write_string(row, 1, a.role.label()).map_err(err)?;
            for (c, n) in [
                f.inbound,
                f.remissions(),
                f.transferred(),
                f.outbound,
                f.calls(),
            ]
            .into_iter()
            .enumerate()
            {
                ws.write_number(row, 2 + c as u16, n as f64).map_err(err)?;
            }
            row += 1;
        }
        if report.agent.is_none() {
            let f = &report.total;
            ws.write_string_with_format(row, 0, t("weekly.total"), &bold)
                .map_err(err)?;
            for (c, n) in [
                f.inbound,
                f.remissions(),
                f.transferred(),
                f.outbound,
                f.calls(),
            ]
            .into_iter()
            .enumerate()
            {
                ws.write_number_with_format(row, 2 + c as u16, n as f64, &bold)
                    .map_err(err)?;
            }
        }
        ws.set_column_width(0, 34).map_err(err)?;
        for c in 1..7 {
            ws.set_column_width(c, 16).map_err(err)?;
        }
    }
    table_sheet(
        &mut wb,
        "weekly.sheet_channel",
        "weekly.col_channel",
        report,
        &|f| f.by_channel.iter().map(|(c, n)| (c.label(), *n)).collect(),
        &bold,
    )?;
    table_sheet(
        &mut wb,
        "weekly.sheet_program",
        "weekly.col_program",
        report,
        &|f| named(&f.by_program),
        &bold,
    )?;
    table_sheet(
        &mut wb,
        "weekly.sheet_asked",
        "weekly.col_asked",
        report,
        &|f| f.by_asked.iter().map(|(c, n)| (c.label(), *n)).collect(),
        &bold,
    )?;
    table_sheet(
        &mut wb,
        "weekly.sheet_result",
        "weekly.col_result",
        report,
        &|f| f.by_result.iter().map(|(c, n)| (c.label(), *n)).collect(),
        &bold,
    )?;
    table_sheet(
        &mut wb,
        "weekly.sheet_followup",
        "weekly.col_followup",
        report,
        &|f| f.by_followup.iter().map(|(c, n)| (c.label(), *n)).collect(),
        &bold,
    )?;
    table_sheet(
        &mut wb,
        "weekly.sheet_transfers",
        "weekly.col_department",
        report,
        &|f| named(&f.transfers),
        &bold,
    )?;
    table_sheet(
        &mut wb,
        "weekly.sheet_campaigns",
        "weekly.col_campaign",
        report,
        &|f| named(&f.by_campaign),
        &bold,
    )?;
    table_sheet(
        &mut wb,
        "weekly.sheet_outcomes",
        "weekly.col_outcome",
        report,
        &|f| named(&f.by_outcome),
        &bold,
    )?;
    table_sheet(
        &mut wb,
        "weekly.sheet_hours",
        "weekly.col_hour",
        report,
        &|f| {
            (0u32..24)
                .zip(f.by_hour)
                .filter(|(_, n)| *n > 0)
                .map(|(h, n)| (hour_label(h), n))
                .collect()
        },
        &bold,
    )?;
    wb.save_to_buffer().map_err(err)
}

/// `09:00–10:00`: an hour of the day, as text.
pub fn hour_label(h: u32) -> String {
    format!("{:02}:00–{:02}:00", h, (h + 1) % 24)
}
