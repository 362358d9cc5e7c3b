//! A campaign's contacts: the table (visible rows only, fetched a page at a time by key, so it
//! stays smooth at a million rows) with its filters. The count runs in the background, once the
//! filters have been still for [`COUNT_DELAY`] seconds; the previous count shows meanwhile.

use std::collections::HashMap;

use egui::{RichText, Ui};
use egui_extras::{Column, TableBuilder};

use crate::domain::contact::{ContactFilter, ContactRow, ContactSort, ContactStatus};
use crate::domain::{User, format};
use crate::i18n::{t, tf};
use crate::jobs::Job;
use crate::store::{Error, Store};
use crate::ui::commands::Cx;
use crate::ui::widgets::{combo_ui, empty_state_ui, text_field_ui};

/// Rows fetched per page.
pub const PAGE: usize = 100;

/// Seconds the filters must stay still before the contacts are counted again (a count takes
/// about 0,2 s at a million rows: not on every keystroke).
pub const COUNT_DELAY: f64 = 0.3;

/// Acts once things have been quiet for a while: [`Debounce::touch`] on every change,
/// [`Debounce::ready`] says (once) when the last change is old enough. Times in seconds.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Debounce {
    at: Option<f64>,
}

impl Debounce {
    /// Something changed at `now`: act `delay` seconds from now, unless it changes again.
    pub fn touch(&mut self, now: f64, delay: f64) {
        self.at = Some(now + delay);
    }

    /// True once, when the time to act has come.
    pub fn ready(&mut self, now: f64) -> bool {
        let ready = self.at.is_some_and(|at| now >= at);
        if ready {
            self.at = None;
        }
        ready
    }

    /// Seconds left before acting, while waiting.
    pub fn remaining(&self, now: f64) -> Option<f64> {
        self.at.map(|at| (at - now).max(0.0))
    }
}

/// The contacts table with its filters.
#[derive(Default)]
pub struct ContactsTable {
    campaign_id: Option<i64>,
    filter: ContactFilter,
    /// The filter the pages and the count (done or coming) are for.
    applied: Option<ContactFilter>,
    /// The last count; `None` before the first one.
    count: Option<i64>,
    recount: Debounce,
    counting: Option<Job<i64, Error>>,
    /// A second connection for the counts.
    background: Option<Store>,
    pages: HashMap<usize, Vec<ContactRow>>,
    agents: Vec<User>,
}

impl ContactsTable {
    /// Forgets cached pages and counts again (after an import or a distribution).
    pub fn invalidate(&mut self) {
        self.applied = None;
        self.pages.clear();
    }

    /// Starts counting the contacts that pass the filter, off the UI thread.
    fn start_count(&mut self, ctx: &egui::Context, cx: &Cx<'_>, campaign_id: i64) {
        let store = cx.background(&mut self.background);
        let filter = self.filter.clone();
        let ctx = ctx.clone();
        self.counting = Some(Job::spawn(
            "count-contacts",
            String::new(),
            move || ctx.request_repaint(),
            move |_, _| store.contacts_count(campaign_id, &filter),
        ));
    }

    /// Changes of filter, the debounced count and its result.
    fn count_ui(&mut self, ui: &Ui, cx: &mut Cx<'_>, campaign_id: i64) {
        let now = ui.input(|i| i.time);
        if self.applied.as_ref() != Some(&self.filter) {
            self.pages.clear();
            // A first count (or one after an import) starts at once; typing waits for a pause.
            let delay = if self.applied.is_none() {
                0.0
            } else {
                COUNT_DELAY
            };
            self.recount.touch(now, delay);
            // A count for an older filter is of no use any more.
            self.counting = None;
            self.applied = Some(self.filter.clone());
        }
        if self.recount.ready(now) {
            self.start_count(ui.ctx(), cx, campaign_id);
        } else if let Some(wait) = self.recount.remaining(now) {
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_secs_f64(wait));
        }
        if let Some(job) = &mut self.counting {
            match job.poll() {
                Some(Ok(n)) => {
                    self.count = Some(n);
                    self.counting = None;
                }
                Some(Err(e)) => {
                    cx.toasts.error(e.to_string());
                    self.count = Some(0);
                    self.counting = None;
                }
                None => ui
                    .ctx()
                    .request_repaint_after(std::time::Duration::from_millis(100)),
            }
        }
    }

    fn row(&mut self, cx: &mut Cx<'_>, campaign_id: i64, index: usize) -> Option<ContactRow> {
        let page = index / PAGE;
        if !self.pages.contains_key(&page) {
            // Keyset from the page before when we have it; OFFSET only for jumps (and in
            // another order than the file's).
            let after = page
                .checked_sub(1)
                .filter(|_| self.filter.sort == ContactSort::File)
                .and_then(|p| self.pages.get(&p))
                .and_then(|rows| rows.last())
                .map(|r| r.id);
            let offset = (page * PAGE) as i64;
            match cx
                .store
                .contacts_page(campaign_id, &self.filter, after, offset, PAGE as i64)
            {
                Ok(rows) => {
                    // A bounded cache: far pages are dropped.
                    if self.pages.len() > 60 {
                        self.pages.retain(|p, _| p.abs_diff(page) < 20);
                    }
                    self.pages.insert(page, rows);
                }
                Err(e) => {
                    cx.toasts.error(e.to_string());
                    self.pages.insert(page, Vec::new());
                }
            }
        }
        self.pages.get(&page)?.get(index % PAGE).cloned()
    }

    /// Draws the filters and the table.
    pub fn ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>, campaign_id: i64) {
        if self.campaign_id != Some(campaign_id) {
            *self = Self {
                campaign_id: Some(campaign_id),
                background: self.background.take(),
                agents: cx
                    .store
                    .users(cx.actor)
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|u| u.role == crate::domain::Role::Auxiliar)
                    .collect(),
                ..Default::default()
            };
        }
        ui.horizontal_wrapped(|ui| {
            ui.vertical(|ui| {
                ui.set_width(260.0);
                text_field_ui(ui, &t("contacts.search"), &mut self.filter.search, None);
            });
            ui.vertical(|ui| {
                let agent_text = match self.filter.agent_id {
                    None => t("common.all_m"),
                    Some(0) => t("contacts.unassigned"),
                    Some(id) => self
                        .agents
                        .iter()
                        .find(|u| u.id == id)
                        .map(|u| u.name.clone())
                        .unwrap_or_default(),
                };
                combo_ui(ui, &t("contacts.agent"), agent_text, 200.0, |ui| {
                    ui.selectable_value(&mut self.filter.agent_id, None, t("common.all_m"));
                    ui.selectable_value(
                        &mut self.filter.agent_id,
                        Some(0),
                        t("contacts.unassigned"),
                    );
                    for u in &self.agents {
                        ui.selectable_value(&mut self.filter.agent_id, Some(u.id), &u.name);
                    }
                });
            });
            ui.vertical(|ui| {
                let status_text = self
                    .filter
                    .status
                    .map(ContactStatus::label)
                    .unwrap_or_else(|| t("common.all_m"));
                combo_ui(ui, &t("common.status"), status_text, 160.0, |ui| {
                    ui.selectable_value(&mut self.filter.status, None, t("common.all_m"));
                    for s in ContactStatus::ALL {
                        ui.selectable_value(&mut self.filter.status, Some(*s), s.label());
                    }
                });
            });
        });
        self.count_ui(ui, cx, campaign_id);
        let shown = self.count.map(format::int).unwrap_or_else(|| "…".into());
        ui.label(RichText::new(tf("contacts.count", &[("n", &shown)])).weak());
        let Some(count) = self.count else {
            return;
        };
        if count == 0 {
            empty_state_ui(ui, &t("contacts.empty"));
            return;
        }
        let count = count as usize;
        // Narrower than its columns (a laptop), the table scrolls sideways: no column is lost.
        egui::ScrollArea::horizontal()
            .id_salt(("contacts_h", campaign_id))
            .show(ui, |ui| self.table_ui(ui, cx, campaign_id, count));
    }

    /// A header that sorts the table by its column (again: the other way round).
    fn sort_header_ui(&mut self, ui: &mut Ui, key: &str, sort: ContactSort) {
        let mut text = t(key);
        if self.filter.sort == sort && sort != ContactSort::File {
            text.push_str(if self.filter.descending {
                " ▼"
            } else {
                " ▲"
            });
        }
        let b = ui
            .add(egui::Button::new(RichText::new(text).strong()).frame(false))
            .on_hover_text(t("contacts.sort_hover"));
        if b.clicked() {
            if self.filter.sort == sort {
                self.filter.descending = !self.filter.descending;
            } else {
                self.filter.sort = sort;
                self.filter.descending = false;
            }
            if sort == ContactSort::File {
                self.filter.descending = false;
            }
        }
    }

    fn table_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>, campaign_id: i64, count: usize) {
        // The call's progress next to the name (no sideways scrolling on a laptop); the
        // file's other columns after.
        let headers = [
            ("contacts.row", Some(ContactSort::File)),
            ("contacts.name", None),
            ("contacts.phone", None),
            ("contacts.agent", None),
            ("common.status", None),
            ("contacts.last_outcome", Some(ContactSort::LastOutcome)),
            ("contacts.attempts", Some(ContactSort::Attempts)),
            ("contacts.next_call", Some(ContactSort::NextCall)),
            ("contacts.others", None),
            ("contacts.document", None),
            ("contacts.program", None),
            ("contacts.city", None),
        ];
        TableBuilder::new(ui)
            .id_salt(("contacts", campaign_id))
            .striped(true)
            .column(Column::exact(56.0))
            .column(Column::initial(170.0).clip(true))
            .column(Column::initial(105.0))
            .column(Column::initial(120.0).clip(true))
            .column(Column::initial(100.0).at_least(90.0))
            .column(Column::initial(130.0).clip(true))
            .column(Column::initial(80.0))
            .column(Column::initial(170.0).at_least(150.0))
            .column(Column::initial(90.0).clip(true))
            .column(Column::initial(95.0).clip(true))
            .column(Column::initial(130.0).clip(true))
            .column(Column::initial(90.0).clip(true))
            .header(24.0, |mut h| {
                for (key, sort) in headers {
                    h.col(|ui| match sort {
                        Some(sort) => self.sort_header_ui(ui, key, sort),
                        None => {
                            ui.strong(t(key));
                        }
                    });
                }
            })
            .body(|body| {
                body.rows(22.0, count, |mut row| {
                    let Some(c) = self.row(cx, campaign_id, row.index()) else {
                        row.col(|ui| {
                            ui.add(egui::Label::new("…").truncate());
                        });
                        return;
                    };
                    row.col(|ui| {
                        ui.add(
                            egui::Label::new(
                                RichText::new(
                                    c.source_row.map(|r| r.to_string()).unwrap_or_default(),
                                )
                                .weak(),
                            )
                            .truncate(),
                        );
                    });
                    row.col(|ui| {
                        ui.add(egui::Label::new(&c.name).truncate());
                    });
                    row.col(|ui| {
                        ui.add(
                            egui::Label::new(RichText::new(format::phone(&c.phone)).monospace())
                                .truncate(),
                        );
                    });
                    row.col(|ui| {
                        ui.add(
                            egui::Label::new(c.agent.clone().unwrap_or_else(|| "—".into()))
                                .truncate(),
                        );
                    });
                    row.col(|ui| {
                        ui.add(egui::Label::new(c.status.label()).truncate());
                    });
                    row.col(|ui| {
                        ui.add(
                            egui::Label::new(c.last_outcome.clone().unwrap_or_else(|| "—".into()))
                                .truncate(),
                        );
                    });
                    row.col(|ui| {
                        ui.add(egui::Label::new(c.attempts.to_string()).truncate());
                    });
                    row.col(|ui| {
                        let when = c
                            .next_call_at
                            .map(|at| format::datetime(at, cx.settings))
                            .unwrap_or_else(|| "—".into());
                        ui.add(egui::Label::new(when).truncate());
                    });
                    row.col(|ui| {
                        ui.add(egui::Label::new(RichText::new(&c.alt_phones).small()).truncate());
                    });
                    row.col(|ui| {
                        ui.add(egui::Label::new(c.document.clone().unwrap_or_default()).truncate());
                    });
                    row.col(|ui| {
                        ui.add(egui::Label::new(c.program.clone().unwrap_or_default()).truncate());
                    });
                    row.col(|ui| {
                        ui.add(egui::Label::new(c.city.clone().unwrap_or_default()).truncate());
                    });
                });
            });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_count_waits_for_a_pause_in_typing() {
        let mut d = Debounce::default();
        assert!(!d.ready(0.0), "nothing to do before a change");
        assert_eq!(d.remaining(0.0), None);
        // Keystrokes every 0,2 s: no count while typing.
        for k in 0..5 {
            let now = f64::from(k) * 0.2;
            d.touch(now, COUNT_DELAY);
            assert!(!d.ready(now));
            assert!(!d.ready(now + 0.1));
        }
        // The last keystroke was at 0,8 s: the count starts 0,3 s later, once.
        assert!((d.remaining(0.9).expect("waiting") - 0.2).abs() < 1e-9);
        assert!(!d.ready(1.0));
        assert!(d.ready(1.1));
        assert!(!d.ready(1.2), "once per pause");
        assert_eq!(d.remaining(1.2), None);
        // No delay (a first count): at once.
        d.touch(2.0, 0.0);
        assert!(d.ready(2.0));
    }
}
