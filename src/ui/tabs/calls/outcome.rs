//! Mis llamadas: the outcome panel (buttons with their keys, reason, callback, notes) and the
//! bar of the last outcome («Deshacer», «Enviar información»).

use super::*;

impl CallsTab {
    pub(super) fn outcome_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        section_ui(ui, &t("calls.outcome"));
        let busy = self.job.is_some();
        let mut picked = None;
        let dispositions = self.dispositions.clone();
        for pair in dispositions.chunks(2) {
            ui.columns(2, |cols| {
                for (col, d) in cols.iter_mut().zip(pair) {
                    let text = match d.key {
                        Some(k) => format!("[{k}] {}", d.name),
                        None => d.name.clone(),
                    };
                    let selected = self.form.chosen == Some(d.id);
                    let mut rt = RichText::new(text);
                    if let Some(c) = category_color(d) {
                        rt = rt.color(c);
                    }
                    let w = col.available_width();
                    let mut b = egui::Button::new(rt).wrap().min_size(egui::vec2(w, 30.0));
                    if selected {
                        // A frame, not a fill: the outcome's colour stays readable.
                        b = b
                            .stroke(egui::Stroke::new(2.5, ACCENT))
                            .fill(ACCENT.linear_multiply(0.12));
                    }
                    if col.add_enabled(!busy, b).clicked() {
                        picked = Some(d.clone());
                    }
                }
            });
            ui.add_space(2.0);
        }
        ui.add_space(6.0);
        let chosen = self
            .form
            .chosen
            .and_then(|id| dispositions.iter().find(|d| d.id == id))
            .cloned();
        if let Some(d) = &chosen {
            if d.category == DispositionCategory::Negativo {
                // The reasons as buttons: one click (or Tab and Space), no list to open.
                let choices = cx.settings.no_interest_reason_choices();
                widgets::label_ui(ui, widgets::req(&t("calls.reason")));
                let mut first = None;
                ui.horizontal_wrapped(|ui| {
                    for (code, label) in &choices {
                        let on = self.form.reason.as_deref() == Some(code.as_str());
                        let r = ui.selectable_label(on, label);
                        if r.clicked() {
                            self.form.reason = Some(code.clone());
                            self.form.errors.retain(|e| e.field != Field::Reason);
                        }
                        first.get_or_insert(r);
                    }
                });
                if let Some(r) = first
                    && self.form.focus.take_if(|f| *f == Field::Reason).is_some()
                {
                    r.request_focus();
                }
                if let Some(e) = err_for(&self.form.errors, Field::Reason) {
                    error_text_ui(ui, e);
                }
            }
            if crate::domain::call::needs_callback(d) {
                // Date and time side by side within the column; a field's error goes when the
                // field is edited, and Enter in either saves (as the button does).
                let width = ui.available_width();
                let mut enter = false;
                let mut edited = Vec::new();
                ui.horizontal_top(|ui| {
                    ui.vertical(|ui| {
                        ui.set_max_width((width - 8.0) * 0.6);
                        let r = widgets::date_field_ui(
                            ui,
                            widgets::req(&t("calls.callback_date")),
                            &mut self.form.callback_date,
                            err_for(&self.form.errors, Field::CallbackDate),
                        );
                        if r.changed() {
                            edited.push(Field::CallbackDate);
                        }
                        enter |= r.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
                        if self
                            .form
                            .focus
                            .take_if(|f| *f == Field::CallbackDate)
                            .is_some()
                        {
                            r.request_focus();
                        }
                    });
                    ui.vertical(|ui| {
                        ui.set_max_width((width - 8.0) * 0.4);
                        let r = widgets::text_field_ui(
                            ui,
                            widgets::req(&t("calls.callback_time")),
                            &mut self.form.callback_time,
                            err_for(&self.form.errors, Field::CallbackTime),
                        );
                        if r.changed() {
                            edited.push(Field::CallbackTime);
                        }
                        enter |= r.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
                        if self
                            .form
                            .focus
                            .take_if(|f| *f == Field::CallbackTime)
                            .is_some()
                        {
                            r.request_focus();
                        }
                    });
                });
                self.form.errors.retain(|e| !edited.contains(&e.field));
                if enter && !busy {
                    picked = Some(d.clone());
                }
            }
        }
        let l = ui.label(t("calls.notes"));
        ui.add(
            egui::TextEdit::multiline(&mut self.form.notes)
                .desired_rows(3)
                .desired_width(ui.available_width()),
        )
        .labelled_by(l.id);
        ui.add_space(6.0);
        let save_label = match &chosen {
            Some(d) => tf("calls.save_outcome", &[("outcome", &d.name)]),
            None => t("calls.save_pick_first"),
        };
        let save = ui
            .add_enabled(
                !busy && chosen.is_some(),
                egui::Button::new(RichText::new(save_label).strong())
                    .min_size(egui::vec2(ui.available_width(), 32.0)),
            )
            .on_hover_text(t("calls.save_hover"));
        if save.clicked()
            && let Some(d) = &chosen
        {
            picked = Some(d.clone());
        }
        if busy {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(RichText::new(t("calls.saving")).weak());
            });
        } else {
            ui.label(RichText::new(t("calls.keys_hint")).weak().small());
        }
        if let Some(d) = picked {
            self.pick(ui, cx, &d);
        }
    }

    /// The last outcome recorded, with "Deshacer" for a few seconds.
    pub(super) fn last_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        let mut do_undo = false;
        let mut send_info = None;
        ui.horizontal(|ui| {
            if let Some((name, outcome)) = &self.recording {
                ui.spinner();
                ui.label(tf(
                    "calls.recording",
                    &[("name", name), ("outcome", outcome)],
                ));
                return;
            }
            let Some(last) = &self.last else {
                return;
            };
            ui.label(
                RichText::new(tf(
                    "calls.last",
                    &[("name", &last.name), ("outcome", &last.outcome)],
                ))
                .strong(),
            );
            let left = UNDO_SHOWN_SECS - (ui.input(|i| i.time) - last.at);
            if left > 0.0 {
                let label = tf("calls.undo", &[("secs", &(left.ceil() as i64))]);
                let undo = ui
                    .add_enabled(self.job.is_none(), egui::Button::new(label))
                    .on_hover_text(t("calls.undo_hover"))
                    .clicked();
                let key = !ui.ctx().egui_wants_keyboard_input()
                    && ui.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, Key::Z));
                if undo || key {
                    do_undo = true;
                }
                ui.ctx()
                    .request_repaint_after(std::time::Duration::from_millis(250));
            }
            if let Some(pid) = last.info_program {
                if last.info_sent {
                    ui.label(RichText::new(t("calls.info_sent")).weak());
                } else if ui
                    .button(t("calls.send_info"))
                    .on_hover_text(t("calls.send_info_hover"))
                    .clicked()
                {
                    send_info = Some((last.campaign_id, last.contact_id, pid));
                }
            }
        });
        if do_undo {
            self.undo(ui, cx);
        }
        if let Some((campaign_id, contact_id, program_id)) = send_info
            && cx
                .apply(crate::ui::commands::Command::SendContactInfo {
                    campaign_id,
                    contact_id,
                    program_id,
                })
                .is_ok()
            && let Some(last) = &mut self.last
        {
            last.info_sent = true;
        }
    }
}

/// The outcome's colour by its family.
pub(super) fn category_color(d: &Disposition) -> Option<Color32> {
    match d.category {
        DispositionCategory::Positivo => Some(widgets::SUCCESS),
        DispositionCategory::Negativo | DispositionCategory::Exclusion => Some(widgets::ERROR),
        DispositionCategory::Agendado => Some(widgets::WARNING),
        _ => None,
    }
}
