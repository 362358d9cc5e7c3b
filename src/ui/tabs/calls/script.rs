//! Mis llamadas: the script filled for the contact, the program's sheet and the survey.

use super::*;

impl CallsTab {
    pub(super) fn script_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>, c: &NextContact) {
        let Some(script) = &self.script else {
            section_ui(ui, &t("calls.script"));
            ui.label(RichText::new(t("script.nothing_published")).weak());
            return;
        };
        section_ui(
            ui,
            &tf("calls.script_version", &[("version", &script.version)]),
        );
        let campaign = self
            .campaign
            .and_then(|id| self.campaigns.iter().find(|x| x.id == id))
            .map(|x| x.name.clone())
            .unwrap_or_default();
        let mut values = reading_values(
            &cx.user.name,
            &campaign,
            &self.department,
            &t("script.institution_sample"),
            false,
        );
        match self.card.as_ref().filter(|k| k.contact_id == c.contact_id) {
            Some(k) => values.extend(k.values()),
            None => {
                values.insert("nombre".into(), c.name.clone());
                values.insert("telefono".into(), format::phone(&c.phone));
            }
        }
        for s in &script.content.sections {
            ui.label(RichText::new(&s.title).strong().color(ACCENT));
            ui.add(egui::Label::new(render(&s.text, &values)).wrap());
            ui.add_space(8.0);
        }
        // The program's sheet, for the questions the person asks while talking.
        let program = self
            .card
            .as_ref()
            .filter(|k| k.contact_id == c.contact_id)
            .and_then(|k| self.program_of(k.program.as_deref()));
        if let Some(p) = program
            && !p.sheet.rows().is_empty()
        {
            ui.label(
                RichText::new(tf("calls.sheet_title", &[("program", &p.name)]))
                    .strong()
                    .color(ACCENT),
            );
            egui::Grid::new("call_program_sheet")
                .num_columns(2)
                .spacing([10.0, 2.0])
                .show(ui, |ui| {
                    for (label, value) in p.sheet.rows() {
                        widgets::read_row_ui(ui, &label, value);
                    }
                });
            ui.add_space(8.0);
        }
        if script.content.questions.is_empty() {
            return;
        }
        ui.add_space(4.0);
        ui.label(RichText::new(t("calls.survey")).strong().color(ACCENT));
        if let Some(e) = err_for(&self.form.errors, Field::Answers) {
            error_text_ui(ui, e);
        }
        let questions = script.content.questions.clone();
        for q in &questions {
            let answer = self.form.answers.entry(q.id).or_default();
            let mut text = q.text.clone();
            if q.is_required() {
                text.push_str(" *");
            }
            let l = ui.label(RichText::new(text).strong());
            let options: Vec<String> = match q.kind {
                QuestionKind::SiNo => vec![t("common.yes"), t("common.no")],
                QuestionKind::Escala => (1..=5).map(|n| n.to_string()).collect(),
                QuestionKind::Unica | QuestionKind::Multiple => q.options.clone(),
                QuestionKind::Numero | QuestionKind::Texto => Vec::new(),
            };
            if options.is_empty() {
                ui.add(
                    egui::TextEdit::singleline(&mut answer.text)
                        .desired_width(ui.available_width().min(320.0)),
                )
                .labelled_by(l.id);
            } else {
                ui.horizontal_wrapped(|ui| {
                    for o in options {
                        let on = answer.chosen.contains(&o);
                        if ui.selectable_label(on, &o).clicked() {
                            if q.kind == QuestionKind::Multiple {
                                if on {
                                    answer.chosen.retain(|x| x != &o);
                                } else {
                                    answer.chosen.push(o);
                                }
                            } else {
                                answer.chosen = if on { Vec::new() } else { vec![o] };
                            }
                        }
                    }
                });
            }
            ui.add_space(4.0);
        }
    }

    /// The survey's answers as the store keeps them (`{"1": "Sí", "2": ["A", "B"]}`), when any.
    pub(super) fn answers_json(&self) -> Option<String> {
        let questions = &self.script.as_ref()?.content.questions;
        let mut out = serde_json::Map::new();
        for q in questions {
            let Some(a) = self.form.answers.get(&q.id).filter(|a| !a.is_empty()) else {
                continue;
            };
            let v = match q.kind {
                QuestionKind::Multiple => serde_json::Value::from(a.chosen.clone()),
                QuestionKind::Numero | QuestionKind::Texto => {
                    serde_json::Value::from(a.text.trim())
                }
                _ => serde_json::Value::from(a.chosen.first().cloned().unwrap_or_default()),
            };
            out.insert(q.id.to_string(), v);
        }
        (!out.is_empty()).then(|| serde_json::Value::Object(out).to_string())
    }
}
