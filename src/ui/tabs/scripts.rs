//! Guiones: the professional writes the campaign's script in sections with placeholders and a
//! survey, previews it for a sample contact and publishes immutable versions. The head reads;
//! agents read the published version of their campaigns.

use std::collections::BTreeMap;

use egui::{RichText, Ui};

use super::{Tab, TabView};
use crate::domain::FieldError;
use crate::domain::script::{
    DiffLine, Question, QuestionKind, ScriptContent, Section, SectionKind, diff,
    offered_placeholders, reading_values, render, unknown_placeholders,
};
use crate::domain::script::{ScriptDraft, ScriptVersion};
use crate::domain::{Action, Role};
use crate::i18n::{t, tf};
use crate::store::Error;
use crate::ui::commands::{Applied, Command, Cx, Nav};
use crate::ui::guard;
use crate::ui::widgets::{self, combo_ui, empty_state_ui, section_ui};

/// An entry of the list: a brief's script (head, professional) or a campaign's (agents).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Entry {
    title: String,
    subtitle: String,
    brief_id: Option<i64>,
    campaign_id: Option<i64>,
}

/// The Guiones tab.
#[derive(Default)]
pub struct ScriptsTab {
    loaded: bool,
    entries: Vec<Entry>,
    selected: Option<usize>,
    draft: Option<ScriptDraft>,
    content: ScriptContent,
    extra: Vec<String>,
    versions: Vec<ScriptVersion>,
    shown_version: Option<usize>,
    errors: Vec<FieldError>,
    department: String,
    dirty: bool,
    /// The professional hid the preview (it then gives the editor the whole width).
    preview_hidden: bool,
    /// Another script asked for while the editor held changes: the question shows.
    pending: Option<usize>,
}

/// The narrowest the editor gets: its rows and buttons fit without breaking.
const EDITOR_MIN: f32 = 480.0;
/// The narrowest the preview gets beside the editor; with less room it goes below the editor.
const PREVIEW_MIN: f32 = 280.0;

impl ScriptsTab {
    fn editor(cx: &Cx<'_>) -> bool {
        cx.actor.can(Action::RunCampaigns)
    }

    fn reload(&mut self, cx: &mut Cx<'_>) {
        self.entries.clear();
        // The placeholders follow the data: the brief's declared fields and the columns of
        // the files imported into its campaign since the script was opened.
        if let Some(id) = self.draft.as_ref().map(|d| d.id) {
            self.extra = cx
                .shown(cx.store.script_placeholders(id))
                .unwrap_or_default();
        }
        if cx.actor.can(Action::ViewAllBriefs) {
            match cx.store.strategies(cx.actor) {
                Ok(list) => {
                    for (_, b) in list {
                        self.entries.push(Entry {
                            title: b.form.campaign_name.clone(),
                            subtitle: format!(
                                "{} · {}",
                                tf("text.number", &[("n", &b.id)]),
                                b.department
                            ),
                            brief_id: Some(b.id),
                            campaign_id: None,
                        });
                    }
                }
                Err(e) => cx.toasts.error(e.to_string()),
            }
        } else {
            match cx.store.campaigns(cx.actor) {
                Ok(list) => {
                    for c in list
                        .into_iter()
                        .filter(|c| c.status != crate::domain::procedure::CampaignStatus::Cerrada)
                    {
                        self.entries.push(Entry {
                            title: c.form.name.clone(),
                            subtitle: c.department.clone(),
                            brief_id: None,
                            campaign_id: Some(c.id),
                        });
                    }
                }
                Err(e) => cx.toasts.error(e.to_string()),
            }
        }
        self.loaded = true;
    }

    fn select(&mut self, cx: &mut Cx<'_>, i: usize) {
        let Some(entry) = self.entries.get(i).cloned() else {
            return;
        };
        self.selected = Some(i);
        self.errors.clear();
        self.shown_version = None;
        self.dirty = false;
        self.department = entry
            .subtitle
            .rsplit(" · ")
            .next()
            .unwrap_or_default()
            .to_owned();
        if let Some(brief_id) = entry.brief_id {
            // Reading never writes: the professional's first look creates the script by command.
            let found = match cx.store.script_of_brief(cx.actor, brief_id) {
                Ok(None) if cx.actor.can(Action::RunCampaigns) => {
                    match cx.apply(Command::CreateScript(brief_id)) {
                        Ok(Applied::Script(d)) => Ok(Some(*d)),
                        Ok(_) => Ok(None),
                        Err(e) => Err(e),
                    }
                }
                other => other,
            };
            match found {
                Ok(Some(d)) => {
                    self.content = d.content.clone();
                    // The brief's declared fields, then the extra columns of the files
                    // imported into its campaign (`Store::campaign_columns`, per batch).
                    self.extra = cx
                        .shown(cx.store.script_placeholders(d.id))
                        .unwrap_or_default();
                    self.versions = cx
                        .shown(cx.store.script_versions(cx.actor, d.id))
                        .unwrap_or_default();
                    self.draft = Some(d);
                }
                Ok(None) => {
                    self.draft = None;
                    self.versions.clear();
                }
                Err(e) => cx.toasts.error(e.to_string()),
            }
        } else if let Some(cid) = entry.campaign_id {
            self.draft = None;
            self.versions = cx
                .shown(cx.store.campaign_script(cx.actor, cid))
                .flatten()
                .into_iter()
                .collect();
        }
    }

    /// Opens the script of a brief (from another tab).
    pub fn open_brief(&mut self, cx: &mut Cx<'_>, brief_id: i64) {
        self.reload(cx);
        if let Some(i) = self
            .entries
            .iter()
            .position(|e| e.brief_id == Some(brief_id))
        {
            self.select(cx, i);
        }
    }
}

impl TabView for ScriptsTab {
    fn id(&self) -> Tab {
        Tab::Guiones
    }

    fn label(&self) -> String {
        t("tab.scripts")
    }

    fn visible_for(&self, role: Role) -> bool {
        let p = |a| crate::domain::perm::allowed(role, a);
        p(Action::ViewAllBriefs) || p(Action::RecordCalls)
    }

    fn mark_stale(&mut self) {
        self.loaded = false;
    }

    fn open(&mut self, cx: &mut Cx<'_>, nav: Nav) {
        if let Nav::CampaignScript(id) = nav {
            self.reload(cx);
            if let Some(i) = self.entries.iter().position(|e| e.campaign_id == Some(id)) {
                self.select(cx, i);
            }
        }
    }

    fn unsaved(&self) -> bool {
        self.dirty && self.draft.is_some()
    }

    fn save_unsaved(&mut self, cx: &mut Cx<'_>) -> bool {
        let Some(id) = self.draft.as_ref().map(|d| d.id) else {
            return true;
        };
        let saved = cx
            .apply(Command::SaveScript(id, self.content.clone()))
            .is_ok();
        if saved {
            self.saved();
        }
        saved
    }

    fn discard_unsaved(&mut self) {
        if let Some(d) = &self.draft {
            self.content = d.content.clone();
        }
        self.errors.clear();
        self.dirty = false;
    }

    /// Draws the tab.
    fn ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        if !self.loaded {
            self.reload(cx);
        }
        egui::Panel::left("scripts_list")
            .default_size(300.0)
            .resizable(true)
            .show(ui, |ui| self.list_ui(ui, cx));
        self.pending_ui(ui, cx);
        if self.selected.is_none() {
            egui::CentralPanel::default().show(ui, |ui| {
                empty_state_ui(ui, &t("script.select_hint"));
            });
            return;
        }
        if Self::editor(cx) && self.draft.is_some() {
            // The preview sits beside the editor when both keep their minimum width; on a
            // narrower window it goes below the editor. Either way it never covers the editor.
            let room = ui.available_width();
            let beside = !self.preview_hidden && room >= EDITOR_MIN + PREVIEW_MIN;
            if beside {
                egui::Panel::right("script_preview")
                    .default_size(440.0_f32.min(room - EDITOR_MIN))
                    .size_range(PREVIEW_MIN..=room - EDITOR_MIN)
                    .resizable(true)
                    .show(ui, |ui| {
                        egui::ScrollArea::vertical()
                            .id_salt("preview_scroll")
                            .show(ui, |ui| self.preview_ui(ui, cx));
                    });
            }
            egui::CentralPanel::default().show(ui, |ui| {
                // The actions stay in view above the scrolling editor.
                self.editor_bar_ui(ui, cx);
                ui.separator();
                egui::ScrollArea::vertical()
                    .id_salt("editor_scroll")
                    .show(ui, |ui| {
                        self.editor_ui(ui);
                        if !self.preview_hidden && !beside {
                            ui.add_space(10.0);
                            ui.separator();
                            self.preview_ui(ui, cx);
                        }
                    });
            });
        } else {
            egui::CentralPanel::default().show(ui, |ui| {
                egui::ScrollArea::vertical().show(ui, |ui| self.read_ui(ui, cx));
            });
        }
    }
}

impl ScriptsTab {
    /// The editor's content is the draft's now.
    fn saved(&mut self) {
        self.dirty = false;
        if let Some(d) = &mut self.draft {
            d.content = self.content.clone();
        }
    }

    /// "¿Guardar los cambios?" while another script waits.
    fn pending_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        let Some(to) = self.pending else {
            return;
        };
        let body = tf("unsaved.body", &[("what", &t("tab.scripts"))]);
        if let Some(go) = guard::leave_ui(ui.ctx(), cx, self, &body) {
            self.pending = None;
            if go {
                self.select(cx, to);
            }
        }
    }

    fn list_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        ui.add_space(6.0);
        ui.heading(t("tab.scripts"));
        ui.separator();
        if self.entries.is_empty() {
            empty_state_ui(
                ui,
                &if cx.actor.can(Action::ViewAllBriefs) {
                    t("script.empty")
                } else {
                    t("script.empty_agent")
                },
            );
            return;
        }
        let mut clicked = None;
        for (i, e) in self.entries.iter().enumerate() {
            let r = ui
                .vertical(|ui| {
                    let r = ui.selectable_label(
                        self.selected == Some(i),
                        RichText::new(&e.title).strong(),
                    );
                    ui.label(RichText::new(&e.subtitle).weak().small());
                    r
                })
                .inner;
            if r.clicked() {
                clicked = Some(i);
            }
        }
        if let Some(i) = clicked
            && self.selected != Some(i)
        {
            if self.unsaved() {
                self.pending = Some(i);
            } else {
                self.select(cx, i);
            }
        }
    }

    /// The title of the selected entry: the campaign's name.
    fn title(&self) -> String {
        self.selected
            .and_then(|i| self.entries.get(i))
            .map(|e| e.title.clone())
            .unwrap_or_default()
    }

    /// What the placeholders show: with the preview's sample contact, or (an agent reading the
    /// script before a call) without a contact, whose fields then show their names.
    fn values(&self, cx: &Cx<'_>, sample_contact: bool) -> BTreeMap<String, String> {
        reading_values(
            &cx.user.name,
            &self.title(),
            &self.department,
            &t("script.institution_sample"),
            sample_contact,
        )
    }

    /// The editor's header and actions, above its scrolling body: always in view.
    fn editor_bar_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        let Some(draft_id) = self.draft.as_ref().map(|d| d.id) else {
            return;
        };
        let latest = self.versions.first().map(|v| v.version).unwrap_or(0);
        ui.horizontal_wrapped(|ui| {
            section_ui(ui, &t("script.editor"));
            if latest > 0 {
                widgets::chip_ui(
                    ui,
                    &tf("script.published_version", &[("version", &latest)]),
                    widgets::SUCCESS,
                );
            } else {
                widgets::chip_ui(ui, &t("script.unpublished"), egui::Color32::GRAY);
            }
            if self.dirty {
                widgets::chip_ui(ui, &t("script.unsaved"), widgets::WARNING);
            }
        });
        ui.horizontal_wrapped(|ui| {
            let save = ui
                .button(t("script.save"))
                .on_hover_text(t("common.save_hover"));
            if (save.clicked()
                || ui.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, egui::Key::S)))
                && cx
                    .apply(Command::SaveScript(draft_id, self.content.clone()))
                    .is_ok()
            {
                self.saved();
            }
            let publish = ui
                .button(RichText::new(tf("script.publish", &[("version", &(latest + 1))])).strong())
                .on_hover_text(t("script.publish_hover"));
            if publish.clicked() {
                self.errors = self.content.validate_for_publish(&self.extra);
                if self.errors.is_empty() {
                    match cx.apply(Command::PublishScript(draft_id, self.content.clone())) {
                        Ok(_) => {
                            self.saved();
                            self.versions = cx
                                .shown(cx.store.script_versions(cx.actor, draft_id))
                                .unwrap_or_default();
                        }
                        Err(Error::Invalid(e)) => self.errors.push(e),
                        Err(_) => {}
                    }
                }
            }
            let toggle = if self.preview_hidden {
                t("script.preview_show")
            } else {
                t("script.preview_hide")
            };
            if ui
                .button(toggle)
                .on_hover_text(t("script.preview_hide_hover"))
                .clicked()
            {
                self.preview_hidden = !self.preview_hidden;
            }
        });
        for e in &self.errors {
            widgets::error_text_ui(ui, &e.message);
        }
    }

    fn editor_ui(&mut self, ui: &mut Ui) {
        ui.label(
            RichText::new(tf(
                "script.available_fields",
                &[(
                    "list",
                    &offered_placeholders(&self.extra)
                        .iter()
                        .map(|p| format!("{{{p}}}"))
                        .collect::<Vec<_>>()
                        .join(" "),
                )],
            ))
            .weak(),
        );
        ui.add_space(6.0);

        let mut action: Option<(usize, isize)> = None;
        let mut remove = None;
        let n = self.content.sections.len();
        for (i, s) in self.content.sections.iter_mut().enumerate() {
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.horizontal_wrapped(|ui| {
                    let l = ui.label(RichText::new(format!("{}.", i + 1)).strong());
                    if ui
                        .add(egui::TextEdit::singleline(&mut s.title).desired_width(260.0))
                        .labelled_by(l.id)
                        .on_hover_text(t("script.section_title"))
                        .changed()
                    {
                        self.dirty = true;
                    }
                    if ui
                        .add_enabled(i > 0, egui::Button::new(t("script.up")).small())
                        .clicked()
                    {
                        action = Some((i, -1));
                    }
                    if ui
                        .add_enabled(i + 1 < n, egui::Button::new(t("script.down")).small())
                        .clicked()
                    {
                        action = Some((i, 1));
                    }
                    let fixed = s.kind == SectionKind::AvisoDatos;
                    if ui
                        .add_enabled(!fixed, egui::Button::new(t("script.remove")).small())
                        .on_disabled_hover_text(t("script.notice_fixed"))
                        .clicked()
                    {
                        remove = Some(i);
                    }
                });
                if s.kind == SectionKind::AvisoDatos {
                    ui.label(RichText::new(t("script.notice_hint")).weak().small());
                }
                let l = ui.label(
                    RichText::new(tf("script.text_of", &[("title", &s.title)]))
                        .small()
                        .weak(),
                );
                let r = ui
                    .add(
                        egui::TextEdit::multiline(&mut s.text)
                            .desired_rows(3)
                            .desired_width(f32::INFINITY),
                    )
                    .labelled_by(l.id);
                if r.changed() {
                    self.dirty = true;
                }
                let unknown = unknown_placeholders(&s.text, &self.extra);
                if !unknown.is_empty() {
                    widgets::error_text_ui(
                        ui,
                        &tf(
                            "script.unknown_here",
                            &[(
                                "list",
                                &unknown
                                    .iter()
                                    .map(|p| format!("{{{p}}}"))
                                    .collect::<Vec<_>>()
                                    .join(", "),
                            )],
                        ),
                    );
                }
            });
        }
        if let Some((i, d)) = action {
            self.content.move_section(i, d);
            self.dirty = true;
        }
        if let Some(i) = remove
            && self.content.remove_section(i)
        {
            self.dirty = true;
        }
        let mut add = None;
        combo_ui(
            ui,
            &t("script.add_section"),
            t("common.choose"),
            240.0,
            |ui| {
                for k in SectionKind::ADDABLE {
                    if ui.selectable_label(false, k.label()).clicked() {
                        add = Some(k);
                    }
                }
            },
        );
        if let Some(kind) = add {
            self.content.sections.push(Section {
                kind,
                title: kind.label(),
                text: String::new(),
            });
            self.dirty = true;
        }

        ui.add_space(10.0);
        section_ui(ui, &t("script.survey"));
        ui.label(RichText::new(t("script.survey_intro")).weak());
        let mut remove_q = None;
        for (i, q) in self.content.questions.iter_mut().enumerate() {
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.set_width(ui.available_width());
                let l = ui.label(format!("{} {}", t("script.question"), i + 1));
                if ui
                    .add(egui::TextEdit::singleline(&mut q.text).desired_width(f32::INFINITY))
                    .labelled_by(l.id)
                    .changed()
                {
                    self.dirty = true;
                }
                ui.horizontal(|ui| {
                    let before = q.kind;
                    egui::ComboBox::from_id_salt(("qkind", q.id))
                        .selected_text(q.kind.label())
                        .show_ui(ui, |ui| {
                            for k in QuestionKind::ALL {
                                ui.selectable_value(&mut q.kind, k, k.label());
                            }
                        })
                        .response
                        .on_hover_text(t("script.qkind"));
                    if before != q.kind {
                        self.dirty = true;
                    }
                    self.dirty |= ui
                        .checkbox(&mut q.required, t("script.q_required"))
                        .changed();
                    self.dirty |= ui
                        .checkbox(&mut q.sensitive, t("script.q_sensitive"))
                        .on_hover_text(t("script.q_sensitive_hover"))
                        .changed();
                    if ui.small_button(t("script.remove")).clicked() {
                        remove_q = Some(i);
                    }
                });
                if q.kind.has_options() {
                    let mut text = q.options.join("\n");
                    let l = ui.label(t("script.options"));
                    if ui
                        .add(egui::TextEdit::multiline(&mut text).desired_rows(3))
                        .labelled_by(l.id)
                        .changed()
                    {
                        q.options = text.lines().map(str::to_owned).collect();
                        self.dirty = true;
                    }
                }
            });
        }
        if let Some(i) = remove_q {
            self.content.questions.remove(i);
            self.dirty = true;
        }
        if ui.button(t("script.add_question")).clicked() {
            let id = self.content.next_question_id();
            self.content.questions.push(Question {
                id,
                text: String::new(),
                kind: QuestionKind::Unica,
                options: vec![t("common.yes"), t("common.no")],
                required: false,
                sensitive: false,
            });
            self.dirty = true;
        }

        ui.add_space(10.0);
        self.versions_ui(ui);
    }

    fn preview_ui(&mut self, ui: &mut Ui, cx: &Cx<'_>) {
        section_ui(ui, &t("script.preview"));
        let values = self.values(cx, true);
        ui.label(
            RichText::new(tf(
                "script.preview_for",
                &[("name", &values.get("nombre").cloned().unwrap_or_default())],
            ))
            .weak(),
        );
        ui.add_space(4.0);
        content_ui(ui, &self.content, &values);
    }

    fn read_ui(&mut self, ui: &mut Ui, cx: &Cx<'_>) {
        match self.versions.first() {
            None => {
                empty_state_ui(ui, &t("script.nothing_published"));
            }
            Some(v) => {
                // Titled with its campaign: the agent knows which call it is for.
                ui.horizontal_wrapped(|ui| {
                    section_ui(ui, &self.title());
                    widgets::chip_ui(
                        ui,
                        &tf("script.published_version", &[("version", &v.version)]),
                        widgets::SUCCESS,
                    );
                });
                // No contact yet: the contact's fields show their names, never `{…}`.
                let values = self.values(cx, cx.actor.can(Action::RunCampaigns));
                let content = v.content.clone();
                content_ui(ui, &content, &values);
                ui.add_space(10.0);
                self.versions_ui(ui);
            }
        }
    }

    fn versions_ui(&mut self, ui: &mut Ui) {
        if self.versions.is_empty() {
            return;
        }
        egui::CollapsingHeader::new(tf("script.versions", &[("n", &self.versions.len())]))
            .default_open(false)
            .show(ui, |ui| {
                for (i, v) in self.versions.iter().enumerate() {
                    ui.horizontal(|ui| {
                        ui.label(
                            RichText::new(tf("script.version_n", &[("version", &v.version)]))
                                .strong(),
                        );
                        ui.label(RichText::new(&v.published_by).weak());
                        if i + 1 < self.versions.len()
                            && ui.small_button(t("script.see_changes")).clicked()
                        {
                            self.shown_version = Some(i);
                        }
                    });
                }
                if let Some(i) = self.shown_version
                    && let (Some(new), Some(old)) = (self.versions.get(i), self.versions.get(i + 1))
                {
                    ui.separator();
                    ui.label(
                        RichText::new(tf(
                            "script.changes_between",
                            &[("old", &old.version), ("new", &new.version)],
                        ))
                        .strong(),
                    );
                    for line in diff(&old.content, &new.content) {
                        match line {
                            DiffLine::Same(s) => {
                                ui.label(RichText::new(format!("  {s}")).weak().monospace());
                            }
                            DiffLine::Added(s) => {
                                ui.label(
                                    RichText::new(format!("+ {s}"))
                                        .color(widgets::SUCCESS)
                                        .monospace(),
                                );
                            }
                            DiffLine::Removed(s) => {
                                ui.label(
                                    RichText::new(format!("- {s}"))
                                        .color(widgets::ERROR)
                                        .strikethrough()
                                        .monospace(),
                                );
                            }
                        }
                    }
                }
            });
    }
}

/// A script rendered as the agent reads it.
pub fn content_ui(ui: &mut Ui, content: &ScriptContent, values: &BTreeMap<String, String>) {
    for s in &content.sections {
        ui.label(RichText::new(&s.title).strong().color(widgets::ACCENT));
        ui.add(egui::Label::new(render(&s.text, values)).wrap());
        ui.add_space(6.0);
    }
    if !content.questions.is_empty() {
        ui.label(
            RichText::new(t("script.survey"))
                .strong()
                .color(widgets::ACCENT),
        );
        for (i, q) in content.questions.iter().enumerate() {
            let mark = if q.is_required() { " *" } else { "" };
            ui.label(format!("{}. {}{mark}", i + 1, render(&q.text, values)));
            let hint = match q.kind {
                QuestionKind::Unica | QuestionKind::Multiple => q
                    .options
                    .iter()
                    .filter(|o| !o.trim().is_empty())
                    .map(|o| format!("( ) {o}"))
                    .collect::<Vec<_>>()
                    .join("   "),
                QuestionKind::SiNo => format!("( ) {}   ( ) {}", t("common.yes"), t("common.no")),
                QuestionKind::Escala => "( ) 1   ( ) 2   ( ) 3   ( ) 4   ( ) 5".to_owned(),
                QuestionKind::Numero => t("script.qkind_numero"),
                QuestionKind::Texto => t("script.qkind_texto"),
            };
            ui.label(RichText::new(hint).weak());
        }
    }
}
