//! Documents the program produces: PDF records and XLSX files.

pub mod brief_xlsx;
pub mod interested_xlsx;
pub mod issues;
pub mod pdf;
pub mod results;
pub mod weekly_xlsx;

use crate::domain::brief::{Brief, BriefEvent, BriefFile, FIELDS};
use crate::domain::{Settings, format};
use crate::i18n::{t, tf};

/// The record code of the brief (procedure GF-MK-PR-01, section 7).
pub const BRIEF_CODE: &str = "GF-MK-PR-01-01";
/// The record's version.
pub const BRIEF_VERSION: &str = "1";

/// The brief as the procedure's paper record: every field in a form layout, the attached
/// files and the history of its status, with the ISO header on every page.
pub fn brief_pdf(
    brief: &Brief,
    history: &[BriefEvent],
    files: &[BriefFile],
    settings: &Settings,
    now: i64,
) -> Result<Vec<u8>, String> {
    let header = pdf::RecordHeader {
        institution: t("report.institution"),
        title: t("report.brief_title"),
        code: BRIEF_CODE.to_owned(),
        version: BRIEF_VERSION.to_owned(),
        date: format::date(&format::local(now, settings)),
    };
    let mut status = vec![
        (t("report.brief_number"), brief.id.to_string()),
        (t("common.status"), brief.status.label()),
        (
            t("report.submitted"),
            brief
                .submitted_at
                .map(|ts| format::datetime(ts, settings))
                .unwrap_or_default(),
        ),
    ];
    if brief.is_late() {
        status.push((
            t("brief.late"),
            tf(
                "brief.late_days",
                &[("days", &brief.late_days.unwrap_or(0))],
            ),
        ));
    }
    if let Some(c) = brief.decision_comment.as_deref().filter(|c| !c.is_empty()) {
        status.push((t("report.decision_comment"), c.to_owned()));
    }
    let fields = FIELDS
        .iter()
        .map(|(code, key)| (t(key), brief.form.field_text(code, &brief.department)))
        .collect();
    let attachments = if files.is_empty() {
        vec![(t("report.files"), t("report.no_files"))]
    } else {
        files
            .iter()
            .map(|f| {
                (
                    f.file_name.clone(),
                    tf(
                        "report.file_line",
                        &[
                            ("size", &format::int(f.size)),
                            ("when", &format::datetime(f.uploaded_at, settings)),
                        ],
                    ),
                )
            })
            .collect()
    };
    let events = history
        .iter()
        .map(|e| {
            let what = match e.from {
                Some(from) => format!("{} → {}", from.label(), e.to.label()),
                None => e.to.label(),
            };
            let comment = if e.comment.is_empty() {
                String::new()
            } else {
                format!(" — {}", e.comment)
            };
            (
                format::datetime(e.at, settings),
                format!("{what} ({}){comment}", e.actor),
            )
        })
        .collect();
    let sections = [
        pdf::Section {
            title: t("report.section_status"),
            rows: status,
        },
        pdf::Section {
            title: t("report.section_brief"),
            rows: fields,
        },
        pdf::Section {
            title: t("report.section_files"),
            rows: attachments,
        },
        pdf::Section {
            title: t("report.section_history"),
            rows: events,
        },
    ];
    pdf::record_pdf(&header, &sections, &t("report.brief_footer"))
}

/// Imports a filled XLSX brief template as a new draft. The department is the one written in
/// the file (a solicitante's own department always wins). Returns the draft and the problems
/// found in the file, for the user to fix in the form.
pub fn import_brief_xlsx(
    store: &crate::store::Store,
    actor: &crate::domain::Actor,
    bytes: &[u8],
) -> crate::store::Result<(Brief, Vec<String>)> {
    use crate::domain::FieldError;
    let read = brief_xlsx::read_brief(bytes).map_err(|e| {
        crate::store::Error::Invalid(FieldError::of(
            crate::domain::Field::File,
            crate::i18n::Msg::text(e),
        ))
    })?;
    let mut problems = read.errors;
    let mut form = read.form;
    let own = match actor {
        crate::domain::Actor::User { department_id, .. } => *department_id,
        crate::domain::Actor::Cli { .. } => None,
    };
    form.department_id = match own {
        Some(d) => Some(d),
        None => match store.department_by_name(&read.department_name)? {
            Some(d) => Some(d.id),
            None => {
                if !read.department_name.trim().is_empty() {
                    problems.push(tf(
                        "brief.import_unknown_department",
                        &[("name", &read.department_name)],
                    ));
                }
                None
            }
        },
    };
    // A draft needs a department; without one the user picks it in the form.
    if form.department_id.is_none() {
        form.department_id = store
            .departments()?
            .into_iter()
            .find(|d| d.active)
            .map(|d| d.id);
        problems.push(t("brief.import_pick_department"));
    }
    // A draft stores only dates that parse; a bad one is already among the listed problems.
    for text in [&mut form.start_date, &mut form.end_date] {
        if !text.trim().is_empty() && crate::domain::brief::parse_date(text).is_none() {
            text.clear();
        }
    }
    let brief = store.brief_create_from(actor, &form, "xlsx")?;
    Ok((brief, problems))
}
