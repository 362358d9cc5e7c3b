//! When calls may be placed, as the head edits it in Configuración: the windows of each weekday
//! (Ley 2300 de 2023 by default) and the public holidays of a year (computed: add a day, remove
//! one, put one back). It edits the settings form; "Guardar cambios" saves it with the rest.

use chrono::{Datelike, NaiveDate, NaiveTime, Weekday};
use egui::{RichText, Ui};

use crate::domain::Settings;
use crate::domain::calendar::{CallWindows, Window};
use crate::domain::format;
use crate::i18n::{t, tf};
use crate::ui::widgets;

const WEEK: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

/// A weekday's words (`lunes`).
fn day_name(d: Weekday) -> String {
    let code = match d {
        Weekday::Mon => "mon",
        Weekday::Tue => "tue",
        Weekday::Wed => "wed",
        Weekday::Thu => "thu",
        Weekday::Fri => "fri",
        Weekday::Sat => "sat",
        Weekday::Sun => "sun",
    };
    t(&format!("calendar.weekday_{code}"))
}

/// One weekday as typed: calls or not, from, to.
#[derive(Clone, Debug, Default)]
struct DayRow {
    on: bool,
    start: String,
    end: String,
}

/// The editor's own state (the typed times, the year shown, the day being added).
#[derive(Default)]
pub struct CalendarEditor {
    rows: Option<Vec<DayRow>>,
    /// A problem of the windows as typed (nothing is changed in the form meanwhile).
    problem: Option<String>,
    year: Option<i32>,
    new_date: String,
    new_name: String,
    add_problem: Option<String>,
}

impl CalendarEditor {
    /// Forgets what was typed (the form was saved or reloaded).
    pub fn reset(&mut self) {
        *self = Self::default();
    }

    /// The windows and the holidays, editing `form`.
    pub fn ui(&mut self, ui: &mut Ui, form: &mut Settings, now: i64) {
        widgets::section_ui(ui, &t("calendar_edit.windows_title"));
        ui.label(RichText::new(t("calendar_edit.windows_hint")).weak());
        self.windows_ui(ui, form);
        ui.add_space(8.0);
        widgets::section_ui(ui, &t("calendar_edit.holidays_title"));
        self.holidays_ui(ui, form, now);
    }

    fn windows_ui(&mut self, ui: &mut Ui, form: &mut Settings) {
        let rows = self.rows.get_or_insert_with(|| {
            WEEK.iter()
                .map(|d| match form.call_windows.of(*d).first() {
                    Some(w) => DayRow {
                        on: true,
                        start: w.start.format("%H:%M").to_string(),
                        end: w.end.format("%H:%M").to_string(),
                    },
                    None => DayRow {
                        on: false,
                        start: "08:00".into(),
                        end: "17:00".into(),
                    },
                })
                .collect()
        });
        let mut changed = false;
        egui::Grid::new("call_windows")
            .num_columns(3)
            .spacing([12.0, 4.0])
            .show(ui, |ui| {
                for (d, row) in WEEK.iter().zip(rows.iter_mut()) {
                    changed |= ui.checkbox(&mut row.on, day_name(*d)).changed();
                    ui.add_enabled_ui(row.on, |ui| {
                        ui.horizontal(|ui| {
                            // Each field named with its day ("lunes, desde") for screen
                            // readers and tests; the eye reads "de … a …" beside the day.
                            let named = |r: egui::Response, key: &str| {
                                let name = tf(key, &[("day", &day_name(*d))]);
                                r.widget_info(|| {
                                    egui::WidgetInfo::labeled(
                                        egui::Role::TextInput,
                                        true,
                                        name.clone(),
                                    )
                                });
                                r
                            };
                            ui.label(t("calendar_edit.from"));
                            let r = ui.add(
                                egui::TextEdit::singleline(&mut row.start).desired_width(56.0),
                            );
                            changed |= named(r, "calendar_edit.from_of").changed();
                            ui.label(t("calendar_edit.to"));
                            let r = ui
                                .add(egui::TextEdit::singleline(&mut row.end).desired_width(56.0));
                            changed |= named(r, "calendar_edit.to_of").changed();
                        });
                    });
                    ui.end_row();
                }
            });
        if changed {
            match windows_of(rows) {
                Ok(w) => {
                    form.call_windows = w;
                    self.problem = None;
                }
                Err(p) => self.problem = Some(p),
            }
        }
        if let Some(p) = &self.problem {
            widgets::error_text_ui(ui, p);
        }
        if ui
            .button(t("calendar_edit.windows_default"))
            .on_hover_text(t("calendar_edit.windows_default_hover"))
            .clicked()
        {
            form.call_windows = CallWindows::default();
            self.rows = None;
            self.problem = None;
        }
    }

    fn holidays_ui(&mut self, ui: &mut Ui, form: &mut Settings, now: i64) {
        let this_year = format::today(now, form).year();
        let year = self.year.get_or_insert(this_year);
        ui.horizontal(|ui| {
            if ui
                .button("◀")
                .on_hover_text(t("calendar_edit.prev_year"))
                .clicked()
            {
                *year -= 1;
            }
            ui.label(RichText::new(year.to_string()).strong());
            if ui
                .button("▶")
                .on_hover_text(t("calendar_edit.next_year"))
                .clicked()
            {
                *year += 1;
            }
        });
        let year = *year;
        let days = form.holidays.year(year);
        ui.label(
            RichText::new(tf(
                "calendar.holidays_title",
                &[("year", &year), ("n", &days.len())],
            ))
            .weak(),
        );
        let mut remove = None;
        egui::Grid::new("holidays")
            .num_columns(3)
            .spacing([12.0, 2.0])
            .striped(true)
            .show(ui, |ui| {
                for h in &days {
                    ui.label(format!(
                        "{} {}",
                        day_name(h.date.weekday()),
                        format::date(&h.date)
                    ));
                    ui.label(h.name());
                    if ui
                        .small_button(t("calendar_edit.remove"))
                        .on_hover_text(t("calendar_edit.remove_hover"))
                        .clicked()
                    {
                        remove = Some(h.date);
                    }
                    ui.end_row();
                }
            });
        if let Some(d) = remove {
            let before = form.holidays.added.len();
            form.holidays.added.retain(|(a, _)| *a != d);
            if form.holidays.added.len() == before && !form.holidays.removed.contains(&d) {
                form.holidays.removed.push(d);
            }
        }
        // Days removed from the law's list, which can be put back.
        let removed: Vec<NaiveDate> = form
            .holidays
            .removed
            .iter()
            .copied()
            .filter(|d| d.year() == year)
            .collect();
        if !removed.is_empty() {
            ui.label(RichText::new(t("calendar_edit.removed_title")).weak());
            for d in removed {
                ui.horizontal(|ui| {
                    ui.label(format!("{} {}", day_name(d.weekday()), format::date(&d)));
                    if ui.small_button(t("calendar_edit.restore")).clicked() {
                        form.holidays.removed.retain(|r| *r != d);
                    }
                });
            }
        }
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            let l = ui.label(t("calendar_edit.new_date"));
            ui.add(
                egui::TextEdit::singleline(&mut self.new_date)
                    .hint_text(t("common.date_hint"))
                    .desired_width(124.0),
            )
            .labelled_by(l.id);
            let n = ui.label(t("calendar_edit.new_name"));
            ui.add(egui::TextEdit::singleline(&mut self.new_name).desired_width(220.0))
                .labelled_by(n.id);
            if ui.button(t("calendar_edit.add")).clicked() {
                match crate::domain::brief::parse_date(&self.new_date) {
                    None => self.add_problem = Some(t("calendar_edit.err_date")),
                    Some(_) if self.new_name.trim().is_empty() => {
                        self.add_problem = Some(t("calendar_edit.err_name"));
                    }
                    Some(d) => {
                        form.holidays.removed.retain(|r| *r != d);
                        form.holidays.added.retain(|(a, _)| *a != d);
                        form.holidays
                            .added
                            .push((d, self.new_name.trim().to_owned()));
                        self.year = Some(d.year());
                        self.new_date.clear();
                        self.new_name.clear();
                        self.add_problem = None;
                    }
                }
            }
        });
        if let Some(p) = &self.add_problem {
            widgets::error_text_ui(ui, p);
        }
    }
}

/// The windows of the typed rows, or what is wrong with them (in words).
fn windows_of(rows: &[DayRow]) -> Result<CallWindows, String> {
    let time = |s: &str| {
        NaiveTime::parse_from_str(s.trim(), "%H:%M")
            .ok()
            .or_else(|| crate::domain::callback::parse_time(s))
    };
    let mut out = Vec::new();
    for (d, row) in WEEK.iter().zip(rows) {
        if !row.on {
            continue;
        }
        let (Some(start), Some(end)) = (time(&row.start), time(&row.end)) else {
            return Err(tf("calendar_edit.err_time", &[("day", &day_name(*d))]));
        };
        if start >= end {
            return Err(tf("calendar_edit.err_order", &[("day", &day_name(*d))]));
        }
        out.push(Window {
            day: *d,
            start,
            end,
        });
    }
    Ok(CallWindows(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_rows_become_windows_or_say_what_is_wrong() {
        crate::i18n::with_lang(crate::i18n::Lang::Es, || {
            let row = |on: bool, s: &str, e: &str| DayRow {
                on,
                start: s.into(),
                end: e.into(),
            };
            let mut rows = vec![row(false, "", ""); 7];
            rows[0] = row(true, "07:00", "19:00");
            rows[5] = row(true, "8:00 a. m.", "3:00 p. m.");
            let w = windows_of(&rows).expect("valid");
            assert_eq!(w.of(Weekday::Mon).len(), 1);
            assert_eq!(
                w.of(Weekday::Sat)[0].end,
                NaiveTime::from_hms_opt(15, 0, 0).expect("time")
            );
            assert!(w.of(Weekday::Sun).is_empty());
            rows[1] = row(true, "19:00", "07:00");
            assert!(windows_of(&rows).expect_err("order").contains("martes"));
            rows[1] = row(true, "siete", "19:00");
            assert!(windows_of(&rows).expect_err("time").contains("martes"));
        });
    }
}
