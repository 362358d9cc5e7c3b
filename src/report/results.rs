//! The campaign results report (`domain::results::ResultsData`) as an XLSX workbook (summary
//! with the indicators and native Excel charts, one sheet per table, the contacts with their
//! best outcome and notes, survey answers, the narrative), as a PDF record with the ISO header
//! and simple bar charts, and as a CSV of the contacts.
//!
//! Every text cell goes through `neutralise` (never a formula) and is cut, with a visible mark,
//! at XLSX's 32.767-character limit; phones are written as text, `300 123 4567`.

use rust_xlsxwriter::{
    Chart, ChartType, ConditionalFormat3ColorScale, Format, Workbook, Worksheet,
};

use super::issues::neutralise;
use super::pdf;
use crate::domain::indicators::Indicators;
use crate::domain::results::{RECORD_CODE, RECORD_VERSION, ResultsData};
use crate::domain::{Settings, format};
use crate::i18n::{t, tf};

type Res<T> = Result<T, String>;

fn err(e: rust_xlsxwriter::XlsxError) -> String {
    e.to_string()
}

/// XLSX's limit of characters in a cell.
pub const CELL_LIMIT: usize = 32_767;

/// A text as a cell: neutralised, and cut with a visible mark when longer than a cell holds.
pub fn cell_text(s: &str) -> String {
    let safe = neutralise(s);
    if safe.chars().count() <= CELL_LIMIT {
        return safe;
    }
    let mark = tf(
        "results.cut_mark",
        &[("n", &format::int(s.chars().count() as i64))],
    );
    let keep = CELL_LIMIT - mark.chars().count();
    let mut out: String = safe.chars().take(keep).collect();
    out.push_str(&mark);
    out
}

/// A phone as text: `300 123 4567`; another country's number without a leading `+`
/// (`(+58) 4121234567`), so that no spreadsheet reads it as a number or a formula.
pub fn phone_text(e164: &str) -> String {
    let shown = format::phone(e164);
    match shown.strip_prefix('+') {
        Some(rest) => {
            let split = rest
                .char_indices()
                .nth(2)
                .map_or(rest.len(), |(i, _)| i.min(rest.len()));
            format!("(+{}) {}", &rest[..split], &rest[split..])
        }
        None => shown,
    }
}

/// One indicator: its name, its value as shown, its value as a number (ratios 0..1), whether
/// it is a ratio, and how it is computed (with its denominator).
pub struct Line {
    /// The UX.md name.
    pub name: String,
    /// As shown ("12,5 %", "1.234", "—").
    pub shown: String,
    /// The number (None: no denominator yet).
    pub value: Option<f64>,
    /// A percentage.
    pub percent: bool,
    /// How it is computed.
    pub how: String,
}

/// The indicators of the report in the order of UX.md, each with its denominator stated.
pub fn lines(i: &Indicators, terceros: i64) -> Vec<Line> {
    let count = |key: &str, n: i64, how: &str| Line {
        name: t(&format!("indicators.{key}")),
        shown: format::int(n),
        value: Some(n as f64),
        percent: false,
        how: t(how),
    };
    let ratio = |key: &str, v: Option<f64>, num: i64, den: i64, how: &str| Line {
        name: t(&format!("indicators.{key}")),
        shown: v.map_or_else(
            || t("results.no_denominator"),
            |v| {
                tf(
                    "results.ratio_of",
                    &[
                        ("pct", &format::percent(v)),
                        ("num", &format::int(num)),
                        ("den", &format::int(den)),
                    ],
                )
            },
        ),
        value: v,
        percent: true,
        how: t(how),
    };
    let plain = |key: &str, v: Option<f64>, shown: String, how: &str| Line {
        name: t(&format!("indicators.{key}")),
        shown: if v.is_some() {
            shown
        } else {
            t("results.no_denominator")
        },
        value: v,
        percent: false,
        how: t(how),
    };
    vec![
        count(
            "registros_validos",
            i.registros_validos,
            "indicators.how_registros",
        ),
        count("gestionados", i.gestionados, "results.how_gestionados"),
        ratio(
            "barrido",
            i.barrido(),
            i.gestionados,
            i.registros_validos,
            "indicators.how_barrido",
        ),
        count("contactados", i.contactados, "results.how_contactados"),
        ratio(
            "contactabilidad",
            i.contactabilidad(),
            i.contactados,
            i.gestionados,
            "indicators.how_contactabilidad",
        ),
        count("positivos", i.positivos, "indicators.how_positivos"),
        ratio(
            "efectividad",
            i.efectividad(),
            i.positivos,
            i.contactados,
            "indicators.how_efectividad",
        ),
        ratio(
            "rendimiento",
            i.rendimiento(),
            i.positivos,
            i.registros_validos,
            "indicators.how_rendimiento",
        ),
        count("marcaciones", i.marcaciones, "results.how_marcaciones"),
        plain(
            "marcaciones_por_registro",
            i.marcaciones_por_registro(),
            i.marcaciones_por_registro()
                .map(format::decimal)
                .unwrap_or_default(),
            "indicators.how_marcaciones_por_registro",
        ),
        plain(
            "marcaciones_por_contacto",
            i.marcaciones_por_contacto(),
            i.marcaciones_por_contacto()
                .map(format::decimal)
                .unwrap_or_default(),
            "indicators.how_marcaciones_por_contacto",
        ),
        plain(
            "tmo",
            i.tmo_secs(),
            crate::domain::tally::mmss(i.tmo_secs().map(|s| s.round() as i64)),
            "indicators.how_tmo",
        ),
        Line {
            name: t("results.terceros"),
            shown: format::int(terceros),
            value: Some(terceros as f64),
            percent: false,
            how: t("results.how_terceros"),
        },
        count("pendientes", i.pendientes, "results.how_pendientes"),
        count("agendados_hoy", i.agendados_hoy, "results.how_agendados"),
    ]
}

fn weekdays() -> [String; 7] {
    ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map(|d| t(&format!("calendar.weekday_{d}")))
}

fn bands() -> [String; 3] {
    crate::domain::call::Band::ALL.map(|b| {
        let (from, to) = b.hours();
        format!("{} ({from}–{to} h)", b.label())
    })
}

/// Writes a header row in bold at `row`.
fn header(ws: &mut Worksheet, row: u32, cols: &[String], bold: &Format) -> Res<()> {
    for (c, h) in cols.iter().enumerate() {
        ws.write_string_with_format(row, c as u16, cell_text(h), bold)
            .map_err(err)?;
    }
    Ok(())
}

fn text(ws: &mut Worksheet, row: u32, col: u16, s: &str) -> Res<()> {
    ws.write_string(row, col, cell_text(s)).map_err(err)?;
    Ok(())
}

fn num(ws: &mut Worksheet, row: u32, col: u16, n: f64) -> Res<()> {
    ws.write_number(row, col, n).map_err(err)?;
    Ok(())
}

/// Excel's sheet names: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
        .take(31)
        .collect()
}

/// The report's heading lines (label, value): campaign, department, dates, status, due date.
fn heading(d: &ResultsData, settings: &Settings) -> Vec<(String, String)> {
    let mut rows = vec![
        (t("results.campaign"), d.campaign.clone()),
        (t("results.department"), d.department.clone()),
        (
            t("results.period"),
            tf(
                "results.period_value",
                &[("start", &d.start), ("end", &d.end)],
            ),
        ),
        (t("results.campaign_status"), d.campaign_status.label()),
        (t("results.report_status"), d.record.status.label()),
        (
            t("results.due_date"),
            d.record
                .due_date
                .map_or_else(|| t("results.no_due_date"), |x| format::date(&x)),
        ),
        (
            t("results.generated"),
            format::datetime(d.generated_at, settings),
        ),
    ];
    if let Some(del) = &d.record.delivered {
        rows.push((
            t("results.delivered"),
            tf(
                "results.delivered_value",
                &[
                    ("how", &del.how.label()),
                    ("when", &format::datetime(del.at, settings)),
                    ("to", &del.to),
                    ("by", &del.by_name),
                ],
            ),
        ));
    }
    rows
}

/// The report as an XLSX workbook.
pub fn results_xlsx(d: &ResultsData, settings: &Settings) -> Res<Vec<u8>> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let title = Format::new().set_bold().set_font_size(14);
    let pct = Format::new().set_num_format("0.0%");
    let dec = Format::new().set_num_format("0.00");
    let wrap = Format::new().set_text_wrap();

    let s_summary = sheet_name(&t("results.sheet_summary"));
    let s_disp = sheet_name(&t("results.sheet_dispositions"));
    let s_days = sheet_name(&t("results.sheet_days"));

    // Summary: heading, indicators, charts.
    {
        let ws = wb.add_worksheet();
        ws.set_name(&s_summary).map_err(err)?;
        ws.write_string_with_format(
            0,
            0,
            cell_text(&tf("results.title_of", &[("campaign", &d.campaign)])),
            &title,
        )
        .map_err(err)?;
        text(
            ws,
            1,
            0,
            &format!(
                "{} {RECORD_CODE} · {} {RECORD_VERSION}",
                t("pdf.code"),
                t("pdf.version")
            ),
        )?;
        let mut row = 3u32;
        for (label, value) in heading(d, settings) {
            ws.write_string_with_format(row, 0, cell_text(&label), &bold)
                .map_err(err)?;
            text(ws, row, 1, &value)?;
            row += 1;
        }
        row += 1;
        header(
            ws,
            row,
            &[
                t("indicators.col_name"),
                t("indicators.col_value"),
                t("results.col_shown"),
                t("indicators.col_how"),
            ],
            &bold,
        )?;
        row += 1;
        for l in lines(&d.indicators, d.terceros) {
            text(ws, row, 0, &l.name)?;
            match (l.value, l.percent) {
                (Some(v), true) => {
                    ws.write_number_with_format(row, 1, v, &pct).map_err(err)?;
                }
                (Some(v), false) if v.fract() != 0.0 => {
                    ws.write_number_with_format(row, 1, v, &dec).map_err(err)?;
                }
                (Some(v), false) => num(ws, row, 1, v)?,
                (None, _) => text(ws, row, 1, &t("results.no_denominator"))?,
            }
            text(ws, row, 2, &l.shown)?;
            text(ws, row, 3, &l.how)?;
            row += 1;
        }
        ws.set_column_width(0, 30).map_err(err)?;
        ws.set_column_width(1, 14).map_err(err)?;
        ws.set_column_width(2, 28).map_err(err)?;
        ws.set_column_width(3, 44).map_err(err)?;

        // Native charts over the tables of the other sheets.
        let n_disp = d.dispositions.len() as u32;
        if n_disp > 0 {
            let mut chart = Chart::new(ChartType::Bar);
            chart
                .add_series()
                .set_name(&t("results.col_records"))
                .set_categories((s_disp.as_str(), 1, 0, n_disp, 0))
                .set_values((s_disp.as_str(), 1, 2, n_disp, 2));
            chart.title().set_name(&t("results.chart_dispositions"));
            chart.x_axis().set_name(&t("results.col_records"));
            chart.legend().set_hidden();
            ws.insert_chart(3, 5, &chart).map_err(err)?;
        }
        let n_days = d.days.len() as u32;
        if n_days > 0 {
            let mut chart = Chart::new(ChartType::Line);
            chart
                .add_series()
                .set_name(&t("indicators.marcaciones"))
                .set_categories((s_days.as_str(), 1, 0, n_days, 0))
                .set_values((s_days.as_str(), 1, 1, n_days, 1));
            chart
                .add_series()
                .set_name(&t("results.col_reached_attempts"))
                .set_categories((s_days.as_str(), 1, 0, n_days, 0))
                .set_values((s_days.as_str(), 1, 2, n_days, 2));
            chart.title().set_name(&t("results.chart_days"));
            chart.y_axis().set_name(&t("indicators.marcaciones"));
            ws.insert_chart(19, 5, &chart).map_err(err)?;
        }
    }

    // Per disposition.
    {
        let ws = wb.add_worksheet();
        ws.set_name(&s_disp).map_err(err)?;
        header(
            ws,
            0,
            &[
                t("results.col_disposition"),
                t("results.col_category"),
                t("results.col_records"),
                t("indicators.marcaciones"),
            ],
            &bold,
        )?;
        for (i, r) in d.dispositions.iter().enumerate() {
            let row = i as u32 + 1;
            text(ws, row, 0, &r.name)?;
            text(ws, row, 1, &r.category)?;
            num(ws, row, 2, r.records as f64)?;
            num(ws, row, 3, r.attempts as f64)?;
        }
        ws.set_column_width(0, 32).map_err(err)?;
        ws.set_column_width(1, 20).map_err(err)?;
    }

    // Per day.
    {
        let ws = wb.add_worksheet();
        ws.set_name(&s_days).map_err(err)?;
        header(
            ws,
            0,
            &[
                t("results.col_day"),
                t("indicators.marcaciones"),
                t("results.col_reached_attempts"),
            ],
            &bold,
        )?;
        for (i, r) in d.days.iter().enumerate() {
            let row = i as u32 + 1;
            text(ws, row, 0, &format::date(&r.day))?;
            num(ws, row, 1, r.attempts as f64)?;
            num(ws, row, 2, r.reached as f64)?;
        }
        ws.set_column_width(0, 14).map_err(err)?;
    }

    // Per agent.
    {
        let ws = wb.add_worksheet();
        ws.set_name(sheet_name(&t("results.sheet_agents")))
            .map_err(err)?;
        header(
            ws,
            0,
            &[
                t("results.col_agent"),
                t("results.col_login"),
                t("indicators.marcaciones"),
                t("indicators.contactados"),
                t("indicators.positivos"),
                t("results.col_per_hour"),
                t("results.col_tmo_secs"),
            ],
            &bold,
        )?;
        for (i, a) in d.agents.iter().enumerate() {
            let row = i as u32 + 1;
            text(ws, row, 0, &a.name)?;
            text(ws, row, 1, &a.login)?;
            num(ws, row, 2, a.attempts as f64)?;
            num(ws, row, 3, a.contacts as f64)?;
            num(ws, row, 4, a.positives as f64)?;
            if let Some(v) = a.per_hour() {
                ws.write_number_with_format(row, 5, v, &dec).map_err(err)?;
            }
            if let Some(v) = a.tmo_secs() {
                ws.write_number_with_format(row, 6, v, &dec).map_err(err)?;
            }
        }
        ws.set_column_width(0, 28).map_err(err)?;
    }

    // Reasons.
    {
        let ws = wb.add_worksheet();
        ws.set_name(sheet_name(&t("results.sheet_reasons")))
            .map_err(err)?;
        header(
            ws,
            0,
            &[t("results.col_reason"), t("indicators.marcaciones")],
            &bold,
        )?;
        for (i, (reason, n)) in d.reasons.iter().enumerate() {
            let row = i as u32 + 1;
            text(ws, row, 0, reason)?;
            num(ws, row, 1, *n as f64)?;
        }
        ws.set_column_width(0, 40).map_err(err)?;
    }

    // Heatmap: contactability per band × weekday, coloured.
    {
        let ws = wb.add_worksheet();
        ws.set_name(sheet_name(&t("results.sheet_heatmap")))
            .map_err(err)?;
        text(ws, 0, 0, &t("results.heatmap_note"))?;
        let mut head = vec![t("results.col_band")];
        head.extend(weekdays());
        header(ws, 1, &head, &bold)?;
        let mut head2 = vec![t("results.col_band")];
        head2.extend(weekdays());
        header(ws, 6, &[t("results.heatmap_attempts")], &bold)?;
        header(ws, 7, &head2, &bold)?;
        for (b, label) in bands().iter().enumerate() {
            let row = b as u32 + 2;
            text(ws, row, 0, label)?;
            text(ws, row + 6, 0, label)?;
            for wd in 0..7 {
                if let Some(v) = d.band_rate(b, wd) {
                    ws.write_number_with_format(row, wd as u16 + 1, v, &pct)
                        .map_err(err)?;
                }
                num(ws, row + 6, wd as u16 + 1, d.heatmap[b][wd].0 as f64)?;
            }
        }
        let scale = ConditionalFormat3ColorScale::new();
        ws.add_conditional_format(2, 1, 4, 7, &scale).map_err(err)?;
        ws.set_column_width(0, 22).map_err(err)?;
    }

    // Contacts with their best outcome.
    {
        let ws = wb.add_worksheet();
        ws.set_name(sheet_name(&t("results.sheet_contacts")))
            .map_err(err)?;
        header(ws, 0, &contact_head(), &bold)?;
        for (i, c) in d.contacts.iter().enumerate() {
            let row = i as u32 + 1;
            for (col, v) in contact_cells(c, settings).iter().enumerate() {
                if col == 7 {
                    num(ws, row, col as u16, c.attempts as f64)?;
                } else {
                    text(ws, row, col as u16, v)?;
                }
            }
        }
        ws.set_column_width(0, 28).map_err(err)?;
        ws.set_column_width(1, 16).map_err(err)?;
        ws.set_column_width(10, 60).map_err(err)?;
        ws.set_freeze_panes(1, 0).map_err(err)?;
        ws.autofilter(0, 0, d.contacts.len().max(1) as u32, 10)
            .map_err(err)?;
    }

    // Survey answers.
    {
        let ws = wb.add_worksheet();
        ws.set_name(sheet_name(&t("results.sheet_survey")))
            .map_err(err)?;
        header(
            ws,
            0,
            &[
                t("results.col_question"),
                t("results.col_answer"),
                t("results.col_count"),
            ],
            &bold,
        )?;
        for (i, s) in d.survey.iter().enumerate() {
            let row = i as u32 + 1;
            text(ws, row, 0, &s.question)?;
            text(ws, row, 1, &s.answer)?;
            num(ws, row, 2, s.count as f64)?;
        }
        ws.set_column_width(0, 50).map_err(err)?;
        ws.set_column_width(1, 30).map_err(err)?;
    }

    // The narrative.
    {
        let ws = wb.add_worksheet();
        ws.set_name(sheet_name(&t("results.sheet_narrative")))
            .map_err(err)?;
        ws.write_string_with_format(0, 0, cell_text(&t("results.narrative")), &bold)
            .map_err(err)?;
        let narrative = if d.record.narrative.trim().is_empty() {
            t("results.no_narrative")
        } else {
            d.record.narrative.clone()
        };
        ws.write_string_with_format(1, 0, cell_text(&narrative), &wrap)
            .map_err(err)?;
        ws.set_column_width(0, 110).map_err(err)?;
    }

    wb.save_to_buffer().map_err(err)
}

fn contact_head() -> Vec<String> {
    vec![
        t("results.col_name"),
        t("results.col_phone"),
        t("results.col_email"),
        t("results.col_document"),
        t("results.col_program"),
        t("results.col_city"),
        t("results.col_best"),
        t("results.col_attempts"),
        t("results.col_last_attempt"),
        t("results.col_agent"),
        t("results.col_notes"),
    ]
}

fn contact_cells(c: &crate::domain::results::ContactRow, settings: &Settings) -> Vec<String> {
    vec![
        c.name.clone(),
        phone_text(&c.phone),
        c.email.clone(),
        c.document.clone(),
        c.program.clone(),
        c.city.clone(),
        if c.best.is_empty() {
            t("results.never_called")
        } else {
            c.best.clone()
        },
        c.attempts.to_string(),
        c.last_attempt_at
            .map(|at| format::datetime(at, settings))
            .unwrap_or_default(),
        c.agent.clone(),
        c.notes.clone(),
    ]
}

/// The contacts as CSV, as the other exports: UTF-8 with BOM, `;` separated, every cell
/// neutralised.
pub fn results_csv(d: &ResultsData, settings: &Settings) -> Res<Vec<u8>> {
    let mut out = vec![0xEF, 0xBB, 0xBF];
    {
        let mut w = csv::WriterBuilder::new()
            .delimiter(b';')
            .from_writer(&mut out);
        w.write_record(contact_head().iter().map(|h| neutralise(h)))
            .map_err(|e| e.to_string())?;
        for c in &d.contacts {
            w.write_record(contact_cells(c, settings).iter().map(|v| neutralise(v)))
                .map_err(|e| e.to_string())?;
        }
        w.flush().map_err(|e| e.to_string())?;
    }
    Ok(out)
}

/// The report as a PDF record: the ISO header (code [`RECORD_CODE`]), the campaign, the
/// indicators with their denominators, bar charts (outcomes, attempts per day, reasons), the
/// per-agent and heatmap tables, the survey, and the narrative.
pub fn results_pdf(d: &ResultsData, settings: &Settings, now: i64) -> Res<Vec<u8>> {
    let header = pdf::RecordHeader {
        institution: t("report.institution"),
        title: tf("results.title_of", &[("campaign", &d.campaign)]),
        code: RECORD_CODE.to_owned(),
        version: RECORD_VERSION.to_owned(),
        date: format::date(&format::local(now, settings)),
    };
    let none = || {
        vec![pdf::Bar {
            label: t("results.no_data"),
            value: 0.0,
            text: String::new(),
        }]
    };
    let mut blocks = vec![
        pdf::Block::Rows(pdf::Section {
            title: t("results.section_campaign"),
            rows: heading(d, settings),
        }),
        pdf::Block::Rows(pdf::Section {
            title: t("results.section_indicators"),
            rows: lines(&d.indicators, d.terceros)
                .into_iter()
                .map(|l| (l.name, format!("{} — {}", l.shown, l.how)))
                .collect(),
        }),
    ];
    let records: i64 = d.dispositions.iter().map(|r| r.records).sum();
    let mut bars: Vec<pdf::Bar> = d
        .dispositions
        .iter()
        .filter(|r| r.records > 0)
        .map(|r| pdf::Bar {
            label: r.name.clone(),
            value: r.records as f64,
            text: if records > 0 {
                format!(
                    "{} ({})",
                    format::int(r.records),
                    format::percent(r.records as f64 / records as f64)
                )
            } else {
                format::int(r.records)
            },
        })
        .collect();
    if bars.is_empty() {
        bars = none();
    }
    blocks.push(pdf::Block::Bars {
        title: t("results.chart_dispositions"),
        bars,
    });
    let mut days: Vec<pdf::Bar> = d
        .days
        .iter()
        .map(|r| pdf::Bar {
            label: format::date(&r.day),
            value: r.attempts as f64,
            text: tf(
                "results.day_bar",
                &[
                    ("n", &format::int(r.attempts)),
                    ("reached", &format::int(r.reached)),
                ],
            ),
        })
        .collect();
    if days.is_empty() {
        days = none();
    }
    blocks.push(pdf::Block::Bars {
        title: t("results.chart_days"),
        bars: days,
    });
    if !d.reasons.is_empty() {
        blocks.push(pdf::Block::Bars {
            title: t("results.chart_reasons"),
            bars: d
                .reasons
                .iter()
                .map(|(r, n)| pdf::Bar {
                    label: r.clone(),
                    value: *n as f64,
                    text: format::int(*n),
                })
                .collect(),
        });
    }
    blocks.push(pdf::Block::Table {
        title: t("results.sheet_agents"),
        head: vec![
            t("results.col_agent"),
            t("indicators.marcaciones"),
            t("indicators.contactados"),
            t("indicators.positivos"),
            t("results.col_per_hour_short"),
            t("results.col_tmo_short"),
        ],
        rows: d
            .agents
            .iter()
            .map(|a| {
                vec![
                    a.name.clone(),
                    format::int(a.attempts),
                    format::int(a.contacts),
                    format::int(a.positives),
                    a.per_hour().map(format::decimal).unwrap_or_default(),
                    crate::domain::tally::mmss(a.tmo_secs().map(|s| s.round() as i64)),
                ]
            })
            .collect(),
    });
    let mut head = vec![t("results.col_band")];
    head.extend(weekdays().map(|w| w.chars().take(3).collect::<String>()));
    blocks.push(pdf::Block::Table {
        title: t("results.sheet_heatmap"),
        head,
        rows: bands()
            .iter()
            .enumerate()
            .map(|(b, label)| {
                let mut row = vec![label.clone()];
                row.extend(
                    (0..7).map(|wd| d.band_rate(b, wd).map(format::percent).unwrap_or_default()),
                );
                row
            })
            .collect(),
    });
    if !d.survey.is_empty() {
        blocks.push(pdf::Block::Table {
            title: t("results.sheet_survey"),
            head: vec![
                t("results.col_question"),
                t("results.col_answer"),
                t("results.col_count"),
            ],
            rows: d
                .survey
                .iter()
                .map(|s| vec![s.question.clone(), s.answer.clone(), format::int(s.count)])
                .collect(),
        });
    }
    blocks.push(pdf::Block::Rows(pdf::Section {
        title: t("results.narrative"),
        rows: vec![(
            t("results.narrative_label"),
            if d.record.narrative.trim().is_empty() {
                t("results.no_narrative")
            } else {
                d.record.narrative.clone()
            },
        )],
    }));
    pdf::document_pdf(&header, &blocks, &t("results.pdf_footer"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_safe_and_fit() {
        assert_eq!(phone_text("+573001234567"), "300 123 4567");
        assert_eq!(phone_text("+584121234567"), "(+58) 4121234567");
        assert_eq!(cell_text("=1+1"), "'=1+1");
        let huge = "a".repeat(40_000);
        let cut = cell_text(&huge);
        assert!(cut.chars().count() <= CELL_LIMIT);
        assert!(cut.contains("40.000"), "the mark says how long it was");
    }
}
