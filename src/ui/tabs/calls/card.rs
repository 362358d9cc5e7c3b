//! Mis llamadas: the contact's card (name, the phone large, «Llamar», the file's fields, the
//! person's history) and the correction of its phone or e-mail.

use super::*;

impl CallsTab {
    pub(super) fn card_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>, c: &NextContact) {
        section_ui(ui, &t("calls.contact"));
        if c.callback {
            chip_ui(ui, &t("calls.callback_due"), widgets::WARNING);
        }
        let card = self.card.clone().filter(|k| k.contact_id == c.contact_id);
        let name = card.as_ref().map_or(c.name.as_str(), |k| k.name.as_str());
        ui.label(RichText::new(name).size(20.0).strong());
        ui.add_space(6.0);
        let phone = format::phone(card.as_ref().map_or(c.phone.as_str(), |k| k.phone.as_str()));
        ui.label(
            RichText::new(&phone)
                .size(32.0)
                .strong()
                .color(ui.visuals().strong_text_color()),
        )
        .on_hover_text(t("calls.phone_hover"));
        ui.horizontal(|ui| {
            let label = if self.call_started.is_some() {
                t("calls.calling")
            } else {
                t("calls.dial")
            };
            if ui
                .add_enabled(
                    self.call_started.is_none(),
                    egui::Button::new(RichText::new(label).size(16.0).strong())
                        .fill(ACCENT.linear_multiply(0.35))
                        .min_size(egui::vec2(120.0, 32.0)),
                )
                .on_hover_text(t("calls.dial_hover"))
                .clicked()
            {
                self.dial(ui, cx);
            }
            if let Some(started) = self.call_started {
                let secs = (ui.input(|i| i.time) - started).max(0.0) as i64;
                ui.label(
                    RichText::new(format!("{}:{:02}", secs / 60, secs % 60))
                        .size(18.0)
                        .monospace(),
                );
                ui.ctx()
                    .request_repaint_after(std::time::Duration::from_millis(500));
            }
        });
        ui.add_space(6.0);
        let alternates: Vec<String> = match &card {
            Some(k) => k.alternates.iter().map(|p| format::phone(p)).collect(),
            None => c
                .alt_phones
                .split(',')
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(format::phone)
                .collect(),
        };
        egui::Grid::new("call_card_fields")
            .num_columns(2)
            .spacing([10.0, 4.0])
            .show(ui, |ui| {
                if !alternates.is_empty() {
                    widgets::read_row_ui(ui, &t("calls.alternates"), &alternates.join("\n"));
                }
                let email = card
                    .as_ref()
                    .map_or(c.email.clone(), |k| k.email.clone())
                    .unwrap_or_default();
                widgets::read_row_ui(ui, &t("calls.email"), &email);
                if let Some(k) = &card {
                    for (label, value) in [
                        (t("calls.program"), &k.program),
                        (t("calls.city"), &k.city),
                        (t("calls.document"), &k.document),
                    ] {
                        if let Some(v) = value.as_deref().filter(|v| !v.trim().is_empty()) {
                            widgets::read_row_ui(ui, &label, v);
                        }
                    }
                    for (header, value) in &k.fields {
                        widgets::read_row_ui(ui, header, value);
                    }
                }
                widgets::read_row_ui(ui, &t("calls.attempts"), &format::int(c.attempts));
            });
        ui.add_space(4.0);
        self.correction_ui(ui, cx, c);
        if let Some(k) = &card
            && !k.history.is_empty()
        {
            ui.add_space(6.0);
            ui.label(RichText::new(t("calls.history")).strong().color(ACCENT));
            for h in &k.history {
                let when = format::datetime(h.at, cx.settings);
                let head = match h.kind {
                    HistoryKind::Correction => format!("{when} · {} — {}", h.agent, h.what()),
                    _ => format!("{when} · {} · {} — {}", h.campaign, h.agent, h.what()),
                };
                ui.add(egui::Label::new(RichText::new(head).small()).wrap());
                if let Some(r) = h.reason.as_deref().filter(|r| !r.is_empty()) {
                    ui.label(
                        RichText::new(crate::domain::settings::reason_label(r))
                            .small()
                            .weak(),
                    );
                }
                if !h.notes.trim().is_empty() {
                    ui.add(egui::Label::new(RichText::new(&h.notes).small().weak()).wrap());
                }
                ui.add_space(2.0);
            }
        }
    }

    /// "Corregir teléfono o correo": the new values, checked, sent as a [`CallCommand`].
    pub(super) fn correction_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>, c: &NextContact) {
        let Some((mut phone, mut email)) = self.correcting.take() else {
            if ui
                .add_enabled(self.job.is_none(), egui::Button::new(t("calls.correct")))
                .on_hover_text(t("calls.correct_hover"))
                .clicked()
            {
                self.correcting = Some((String::new(), String::new()));
                self.form.focus = Some(Field::Phone);
            }
            return;
        };
        let mut send = false;
        let mut cancel = false;
        let busy = self.job.is_some();
        ui.group(|ui| {
            let r = widgets::text_field_ui(
                ui,
                t("calls.new_phone").as_str(),
                &mut phone,
                err_for(&self.form.errors, Field::Phone),
            );
            if self.form.focus.take_if(|f| *f == Field::Phone).is_some() {
                r.request_focus();
            }
            widgets::text_field_ui(
                ui,
                t("calls.new_email").as_str(),
                &mut email,
                err_for(&self.form.errors, Field::Email),
            );
            ui.horizontal(|ui| {
                send = ui
                    .add_enabled(!busy, egui::Button::new(t("calls.save_correction")))
                    .clicked();
                cancel = ui.button(t("common.cancel")).clicked();
            });
        });
        let clear = |errors: &mut Vec<FieldError>| {
            errors.retain(|e| !matches!(e.field, Field::Phone | Field::Email));
        };
        if cancel {
            clear(&mut self.form.errors);
            return;
        }
        let (p, e) = (phone.trim().to_owned(), email.trim().to_owned());
        self.correcting = Some((phone, email));
        if !send {
            return;
        }
        clear(&mut self.form.errors);
        let new_phone = if p.is_empty() {
            None
        } else {
            match crate::import::phone::normalize_phone(&p) {
                Some(n) => Some(n),
                None => {
                    self.form
                        .errors
                        .push(FieldError::new(Field::Phone, "calls.err_phone"));
                    return;
                }
            }
        };
        if p.is_empty() && e.is_empty() {
            self.form.errors.push(FieldError::new(
                Field::Phone,
                "calls.err_nothing_to_correct",
            ));
            return;
        }
        if let Some(campaign_id) = self.campaign {
            self.run(
                ui,
                cx,
                CallCommand::Correct {
                    campaign_id,
                    contact_id: c.contact_id,
                    phone: new_phone,
                    email: (!e.is_empty()).then_some(e),
                },
            );
        }
    }

    /// The catalog's program or service a contact's file names (case and accents aside).
    pub(super) fn program_of(&self, name: Option<&str>) -> Option<&crate::domain::Program> {
        let key = crate::domain::script::placeholder_name(name?);
        if key.is_empty() {
            return None;
        }
        self.programs
            .iter()
            .find(|p| crate::domain::script::placeholder_name(&p.name) == key)
    }
}
