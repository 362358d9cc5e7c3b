//! Solicitudes: the brief (record GF-MK-PR-01-01). A searchable, filterable list on the left;
//! the selected brief on the right — a form while it can be edited, the record with its history
//! and the head's decision once submitted.

use egui::{RichText, Ui};

use super::{Tab, TabView};
use crate::domain::Field;
use crate::domain::brief::BriefFilter;
use crate::domain::brief::{Brief, BriefEvent, BriefFile, BriefForm};
use crate::domain::procedure::{BriefStatus, CampaignKind};
use crate::domain::{Action, Department, FieldError, Role, format};
use crate::i18n::{t, tf};
use crate::store::Error;
use crate::ui::commands::{Applied, AttachFrom, Command, Cx, spawn_attach};
use crate::ui::files;
use crate::ui::guard;
use crate::ui::panels::{
    DecisionPanel, InterestedPanel, brief_chips_ui, brief_record_ui, department_combo_ui,
    history_ui,
};
use crate::ui::widgets::{
    self, Confirm, callout_ui, combo_ui, empty_state_ui, err_for, req, section_ui, text_area_ui,
    text_field_ui,
};

#[derive(Default, Clone, Copy, PartialEq, Eq)]
enum Detail {
    #[default]
    Nothing,
    New,
    Selected(i64),
}

/// The Solicitudes tab.
#[derive(Default)]
pub struct BriefsTab {
    loaded: bool,
    list: Vec<Brief>,
    departments: Vec<Department>,
    filter: BriefFilter,
    detail: Detail,
    form: BriefForm,
    /// The form as last loaded or saved: changes are what differs from it.
    baseline: BriefForm,
    /// Another brief (or a new one) asked for while the form held changes: the question shows.
    pending: Option<Detail>,
    errors: Vec<FieldError>,
    files: Vec<BriefFile>,
    /// The dry run of the last attached file: what an import would do with it.
    validation:
        Option<crate::jobs::Job<crate::import::job::ImportReport, crate::import::job::ImportError>>,
    validated: Option<(String, Result<crate::import::job::ImportReport, String>)>,
    history: Vec<BriefEvent>,
    decision: DecisionPanel,
    /// Its campaign's interested contacts (once the brief has a campaign).
    interested: InterestedPanel,
    import_errors: Vec<String>,
    /// Each open and save action: the dialog, or the path field under its button.
    template_file: files::Chooser,
    xlsx_file: files::Chooser,
    attach_file: files::Chooser<i64>,
    copy_file: files::Chooser<i64>,
    print_file: files::Chooser<i64>,
    /// The errors shown come from sending (not only saving a draft): edits are re-checked so.
    submitting: bool,
    /// A new form takes the keyboard on its first field.
    focus_first: bool,
    /// Sending was asked for a brief without its contact base: the confirmation is open.
    confirm_no_base: Option<Option<i64>>,
    /// A file being attached (read and stored on a job, with its progress).
    attach_job: Option<crate::jobs::Job<(BriefFile, Vec<u8>), Error>>,
    /// A file being saved (read from the database and written on a job).
    copy_job: Option<crate::jobs::Job<std::path::PathBuf, Error>>,
}

impl BriefsTab {
    fn reload(&mut self, cx: &mut Cx<'_>) {
        match cx.store.briefs(cx.actor, &BriefFilter::default()) {
            Ok(l) => self.list = l,
            Err(e) => cx.toasts.error(e.to_string()),
        }
        if let Ok(d) = cx.store.departments() {
            self.departments = d;
        }
        self.loaded = true;
    }

    fn select(&mut self, cx: &mut Cx<'_>, id: i64) {
        let Some(b) = self.list.iter().find(|b| b.id == id).cloned() else {
            return;
        };
        self.form = b.form.clone();
        self.baseline = b.form.clone();
        self.errors.clear();
        self.decision = DecisionPanel::default();
        self.import_errors.clear();
        if self.detail != Detail::Selected(id) {
            self.validated = None;
            self.validation = None;
            self.close_choosers();
        }
        self.files = cx
            .shown(cx.store.brief_files(cx.actor, id))
            .unwrap_or_default();
        self.history = cx
            .shown(cx.store.brief_history(cx.actor, id))
            .unwrap_or_default();
        self.detail = Detail::Selected(id);
    }

    /// Opens a brief by id (from another tab).
    pub fn open(&mut self, cx: &mut Cx<'_>, id: i64) {
        self.reload(cx);
        self.select(cx, id);
    }

    fn start_new(&mut self, cx: &Cx<'_>) {
        self.form = BriefForm {
            department_id: cx.user.department_id,
            contact_name: if cx.user.role == Role::Solicitante {
                cx.user.name.clone()
            } else {
                String::new()
            },
            ..Default::default()
        };
        self.baseline = self.form.clone();
        self.errors.clear();
        self.files.clear();
        self.history.clear();
        self.import_errors.clear();
        self.close_choosers();
        self.detail = Detail::New;
        self.focus_first = true;
    }

    /// The path fields of the brief that was showing (they name its id).
    fn close_choosers(&mut self) {
        self.attach_file.close();
        self.copy_file.close();
        self.print_file.close();
    }

    /// Shows another brief, a new form or nothing — asking first when the form holds changes.
    fn go(&mut self, cx: &mut Cx<'_>, to: Detail) {
        if matches!(to, Detail::Selected(_)) && to == self.detail {
            return;
        }
        if self.unsaved() {
            self.pending = Some(to);
        } else {
            self.show(cx, to);
        }
    }

    fn show(&mut self, cx: &mut Cx<'_>, to: Detail) {
        match to {
            Detail::Nothing => self.detail = Detail::Nothing,
            Detail::New => self.start_new(cx),
            Detail::Selected(id) => self.select(cx, id),
        }
    }

    /// "¿Guardar los cambios?" while another brief waits.
    fn pending_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        let Some(to) = self.pending else {
            return;
        };
        let body = t("unsaved.body_brief");
        if let Some(go) = guard::leave_ui(ui.ctx(), cx, self, &body) {
            self.pending = None;
            if go {
                self.show(cx, to);
            }
        }
    }

    fn is_solicitante(cx: &Cx<'_>) -> bool {
        cx.user.role == Role::Solicitante
    }
}

impl TabView for BriefsTab {
    fn id(&self) -> Tab {
        Tab::Solicitudes
    }

    fn label(&self) -> String {
        t("tab.briefs")
    }

    fn visible_for(&self, role: Role) -> bool {
        let p = |a| crate::domain::perm::allowed(role, a);
        p(Action::SubmitBriefs) || p(Action::ViewAllBriefs)
    }

    fn mark_stale(&mut self) {
        self.loaded = false;
        self.interested.mark_stale();
    }

    fn unsaved(&self) -> bool {
        self.detail != Detail::Nothing && self.form != self.baseline
    }

    fn save_unsaved(&mut self, cx: &mut Cx<'_>) -> bool {
        match self.detail {
            Detail::Nothing => true,
            Detail::New => self.save(cx, None, false),
            Detail::Selected(id) => self.save(cx, Some(id), false),
        }
    }

    fn discard_unsaved(&mut self) {
        self.form = self.baseline.clone();
        self.errors.clear();
        if self.detail == Detail::New {
            self.detail = Detail::Nothing;
        }
    }

    /// Draws the tab.
    fn ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        if !self.loaded {
            self.reload(cx);
        }
        if cx.actor.can(Action::SubmitBriefs)
            && ui.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, egui::Key::N))
        {
            self.go(cx, Detail::New);
        }
        self.handle_drops(ui, cx);
        self.poll_files(ui, cx);
        egui::Panel::left("briefs_list")
            .default_size(380.0)
            .resizable(true)
            .show(ui, |ui| self.list_ui(ui, cx));
        egui::CentralPanel::default().show(ui, |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| match self.detail {
                Detail::Nothing => empty_state_ui(
                    ui,
                    &if cx.actor.can(Action::SubmitBriefs) {
                        t("brief.select_hint")
                    } else {
                        t("brief.select_hint_read")
                    },
                ),
                Detail::New => self.form_ui(ui, cx, None),
                Detail::Selected(id) => {
                    if let Some(b) = self.list.iter().find(|b| b.id == id).cloned() {
                        if b.status.editable()
                            && cx.actor.can(Action::SubmitBriefs)
                            && crate::domain::brief::may_edit(cx.actor, &b)
                        {
                            self.form_ui(ui, cx, Some(&b));
                        } else {
                            self.record_ui(ui, cx, &b);
                        }
                    } else {
                        self.detail = Detail::Nothing;
                    }
                }
            });
        });
        if let Some(id) = self.confirm_no_base {
            match widgets::confirm_ui(
                ui,
                "brief_no_base",
                &t("brief.no_base_title"),
                &t("brief.no_base_body"),
                &t("brief.no_base_send"),
            ) {
                Confirm::Open => {}
                Confirm::Yes => {
                    self.confirm_no_base = None;
                    self.submit(cx, id);
                }
                Confirm::No => self.confirm_no_base = None,
            }
        }
        if let Detail::Selected(id) = self.detail
            && self.decision.confirm_ui(ui, cx, id)
        {
            self.reload(cx);
            self.select(cx, id);
        }
        self.pending_ui(ui, cx);
    }
}

impl BriefsTab {
    fn handle_drops(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        let dropped = files::dropped_files(ui.ctx());
        if dropped.is_empty() {
            return;
        }
        let Detail::Selected(id) = self.detail else {
            cx.toasts.error(t("brief.drop_hint"));
            return;
        };
        for (name, bytes) in dropped {
            self.attach(ui, cx, id, AttachFrom::Bytes(name, bytes));
        }
    }

    fn attach(&mut self, ui: &Ui, cx: &mut Cx<'_>, id: i64, from: AttachFrom) {
        if self.attach_job.is_some() {
            cx.toasts.error(t("brief.attach_busy"));
            return;
        }
        let store = cx
            .store
            .connect_again()
            .unwrap_or_else(|_| cx.store.clone());
        self.attach_job = Some(spawn_attach(ui.ctx(), store, cx.actor.clone(), id, from));
    }

    /// Follows the attachment and the copy under way; a finished attachment lists the file
    /// and starts its check.
    fn poll_files(&mut self, ui: &Ui, cx: &mut Cx<'_>) {
        if let Some(job) = &mut self.attach_job
            && let Some(r) = job.poll()
        {
            self.attach_job = None;
            match r {
                Ok((f, bytes)) => {
                    cx.toasts
                        .success(tf("brief.attached", &[("name", &f.file_name)]));
                    if let Detail::Selected(id) = self.detail {
                        self.files = cx
                            .shown(cx.store.brief_files(cx.actor, id))
                            .unwrap_or_default();
                    }
                    self.validate(cx, &f.file_name, &bytes);
                }
                Err(Error::Invalid(e)) => cx.toasts.error(e.message),
                Err(e) => cx.toasts.error(e.to_string()),
            }
        }
        if let Some(job) = &mut self.copy_job
            && let Some(r) = job.poll()
        {
            self.copy_job = None;
            match r {
                Ok(path) => cx
                    .toasts
                    .success(tf("common.saved_to", &[("path", &path.display())])),
                Err(e) => cx.toasts.error(tf("common.err_write", &[("detail", &e)])),
            }
        }
        if self.attach_job.is_some() || self.copy_job.is_some() {
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_millis(100));
        }
    }

    /// The progress of a file being attached or saved.
    fn file_jobs_ui(&self, ui: &mut Ui) {
        if let Some(job) = &self.attach_job {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.add(
                    egui::ProgressBar::new(job.progress.fraction)
                        .desired_width(240.0)
                        .text(tf("brief.attaching", &[("name", &job.title)])),
                );
            });
        }
        if self.copy_job.is_some() {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(t("brief.saving_copy"));
            });
        }
    }

    /// Checks an attached base at once, as an import would (nothing is written), so the
    /// department can send a better file within the 8 days.
    fn validate(&mut self, cx: &mut Cx<'_>, name: &str, bytes: &[u8]) {
        let store = cx.shown(cx.store.connect_again());
        let source = crate::import::read::Source::Bytes {
            name: name.to_owned(),
            data: std::sync::Arc::new(bytes.to_vec()),
        };
        self.validated = None;
        self.validation = Some(crate::jobs::Job::spawn(
            "validate-base",
            name.to_owned(),
            || {},
            move |_, _| crate::import::job::dry_run(store.as_ref(), &source, &Default::default()),
        ));
    }

    fn validation_ui(&mut self, ui: &mut Ui) {
        if let Some(job) = &mut self.validation {
            match job.poll() {
                Some(r) => {
                    self.validated = Some((job.title.clone(), r.map_err(|e| e.to_string())));
                    self.validation = None;
                }
                None => {
                    ui.horizontal(|ui| {
                        ui.spinner();
                        ui.label(t("brief.validating"));
                    });
                    ui.ctx()
                        .request_repaint_after(std::time::Duration::from_millis(100));
                    return;
                }
            }
        }
        let Some((name, result)) = &self.validated else {
            return;
        };
        match result {
            Ok(r) => {
                let c = &r.counts;
                let color = if c.rejected + c.duplicates > 0 {
                    widgets::WARNING
                } else {
                    widgets::SUCCESS
                };
                let mut text = tf(
                    "brief.validation_counts",
                    &[
                        ("read", &format::int(c.rows_read)),
                        ("ok", &format::int(c.imported)),
                        ("dup", &format::int(c.duplicates)),
                        ("rej", &format::int(c.rejected)),
                        ("out", &format::int(c.opted_out)),
                    ],
                );
                for i in r
                    .issues
                    .iter()
                    .filter(|i| i.kind != crate::domain::contact::IssueKind::Aviso)
                    .take(8)
                {
                    text.push_str(&format!(
                        "\n· {} {}: {}",
                        t("contacts.row"),
                        i.row,
                        i.reason
                    ));
                }
                for w in &r.warnings {
                    text.push_str(&format!("\n{w}"));
                }
                callout_ui(
                    ui,
                    &tf("brief.validation_title", &[("name", name)]),
                    &text,
                    color,
                );
            }
            Err(e) => callout_ui(
                ui,
                &tf("brief.validation_title", &[("name", name)]),
                e,
                widgets::ERROR,
            ),
        }
    }

    fn list_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            ui.heading(t("tab.briefs"));
            if cx.actor.can(Action::SubmitBriefs) {
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    if ui
                        .button(t("brief.new"))
                        .on_hover_text(t("brief.new_hover"))
                        .clicked()
                    {
                        self.go(cx, Detail::New);
                    }
                });
            }
        });
        if cx.actor.can(Action::SubmitBriefs) {
            let (mut template, mut xlsx) = (None, None);
            ui.horizontal(|ui| {
                if ui
                    .small_button(t("brief.template"))
                    .on_hover_text(t("brief.template_hover"))
                    .clicked()
                {
                    template = self.template_file.ask(
                        cx.dialog,
                        files::Request::save(
                            &t("brief.template"),
                            "brief-telemercadeo-GF-MK-PR-01-01.xlsx",
                            "Excel",
                            &["xlsx"],
                        ),
                        (),
                    );
                }
                if ui
                    .small_button(t("brief.import_xlsx"))
                    .on_hover_text(t("brief.import_xlsx_hover"))
                    .clicked()
                {
                    xlsx = self.xlsx_file.ask(
                        cx.dialog,
                        files::Request::open(&t("brief.import_xlsx"), "Excel", &["xlsx"]),
                        (),
                    );
                }
            });
            if let Some(((), p)) = template.or_else(|| self.template_file.ui(ui)) {
                self.export_template(cx, &p);
            }
            if let Some(((), p)) = xlsx.or_else(|| self.xlsx_file.ui(ui)) {
                self.import_xlsx(cx, &p);
            }
        }
        let search = text_field_ui(ui, &t("common.search"), &mut self.filter.search, None);
        if ui.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, egui::Key::F)) {
            search.request_focus();
        }
        egui::CollapsingHeader::new(t("brief.filters"))
            .default_open(false)
            .show(ui, |ui| {
                let status_text = self
                    .filter
                    .status
                    .map(BriefStatus::label)
                    .unwrap_or_else(|| t("common.all_f"));
                combo_ui(ui, &t("common.status"), status_text, 220.0, |ui| {
                    ui.selectable_value(&mut self.filter.status, None, t("common.all_f"));
                    for s in BriefStatus::ALL {
                        ui.selectable_value(&mut self.filter.status, Some(*s), s.label());
                    }
                });
                if !Self::is_solicitante(cx) {
                    let dept_text = self
                        .filter
                        .department_id
                        .and_then(|id| self.departments.iter().find(|d| d.id == id))
                        .map(|d| d.name.clone())
                        .unwrap_or_else(|| t("common.all_f"));
                    combo_ui(ui, &t("brief.f_department"), dept_text, 220.0, |ui| {
                        ui.selectable_value(
                            &mut self.filter.department_id,
                            None,
                            t("common.all_f"),
                        );
                        for d in &self.departments {
                            ui.selectable_value(
                                &mut self.filter.department_id,
                                Some(d.id),
                                &d.name,
                            );
                        }
                    });
                }
                let kind_text = self
                    .filter
                    .kind
                    .map(CampaignKind::label)
                    .unwrap_or_else(|| t("common.all_m"));
                combo_ui(ui, &t("brief.f_kind"), kind_text, 220.0, |ui| {
                    ui.selectable_value(&mut self.filter.kind, None, t("common.all_m"));
                    for k in CampaignKind::ALL {
                        ui.selectable_value(&mut self.filter.kind, Some(*k), k.label());
                    }
                });
                ui.checkbox(&mut self.filter.late_only, t("brief.late_only"));
            });
        let visible: Vec<Brief> = self
            .list
            .iter()
            .filter(|b| self.filter.matches(b))
            .cloned()
            .collect();
        ui.label(RichText::new(tf("brief.count", &[("n", &visible.len())])).weak());
        ui.separator();
        if self.list.is_empty() {
            empty_state_ui(
                ui,
                &if cx.actor.can(Action::SubmitBriefs) {
                    t("brief.empty")
                } else {
                    t("brief.empty_read")
                },
            );
            return;
        }
        if visible.is_empty() {
            empty_state_ui(ui, &t("common.no_matches"));
        }
        egui::ScrollArea::vertical().show(ui, |ui| {
            for b in &visible {
                let selected = self.detail == Detail::Selected(b.id);
                let name = if b.form.campaign_name.is_empty() {
                    t("brief.unnamed")
                } else {
                    b.form.campaign_name.clone()
                };
                let r = ui
                    .vertical(|ui| {
                        let r = ui.selectable_label(selected, RichText::new(&name).strong());
                        ui.horizontal(|ui| {
                            ui.label(
                                RichText::new(format!(
                                    "{} · {}",
                                    tf("text.number", &[("n", &b.id)]),
                                    b.department
                                ))
                                .weak()
                                .small(),
                            );
                            brief_chips_ui(ui, b);
                        });
                        ui.add_space(2.0);
                        r
                    })
                    .inner;
                if r.clicked() {
                    self.go(cx, Detail::Selected(b.id));
                }
            }
        });
    }

    fn export_template(&mut self, cx: &mut Cx<'_>, path: &std::path::Path) {
        let names: Vec<String> = self
            .departments
            .iter()
            .filter(|d| d.active)
            .map(|d| d.name.clone())
            .collect();
        match crate::report::brief_xlsx::brief_template(&names)
            .and_then(|b| std::fs::write(path, b).map_err(|e| e.to_string()))
        {
            Ok(()) => cx
                .toasts
                .success(tf("common.saved_to", &[("path", &path.display())])),
            Err(e) => cx.toasts.error(e),
        }
    }

    /// Imports a filled XLSX template as a new draft; problems are listed above the form.
    pub fn import_xlsx(&mut self, cx: &mut Cx<'_>, path: &std::path::Path) {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                cx.toasts.error(tf("common.err_read", &[("detail", &e)]));
                return;
            }
        };
        match cx.apply(Command::ImportBriefXlsx { bytes }) {
            Ok(Applied::Brief(b, problems)) => {
                self.reload(cx);
                if self.unsaved() {
                    self.pending = Some(Detail::Selected(b.id));
                } else {
                    self.select(cx, b.id);
                    self.import_errors = problems;
                }
            }
            Ok(_) => {}
            Err(e) => {
                if let Error::Invalid(f) = e {
                    cx.toasts.error(f.message);
                }
            }
        }
    }

    fn form_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>, existing: Option<&Brief>) {
        let before = self.form.clone();
        self.form_fields_ui(ui, cx, existing);
        if !self.errors.is_empty() && self.form != before {
            let changed = self.form.changed_fields(&before);
            let fresh = self.validation_errors(cx);
            widgets::revalidate(&mut self.errors, &changed, fresh);
        }
    }

    /// The form's problems now, as the last save or send would find them.
    fn validation_errors(&self, cx: &Cx<'_>) -> Vec<FieldError> {
        let mut errors = if self.submitting {
            self.form
                .validate_submit(format::today(cx.store.now(), cx.settings))
        } else {
            self.form.validate_draft()
        };
        if Self::is_solicitante(cx) {
            errors.retain(|e| e.field != "department");
        }
        errors
    }

    fn form_fields_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>, existing: Option<&Brief>) {
        match existing {
            None => section_ui(ui, &t("brief.new")),
            Some(b) => {
                ui.horizontal(|ui| {
                    section_ui(
                        ui,
                        &format!(
                            "{} {}",
                            t("brief.record"),
                            tf("text.number", &[("n", &b.id)])
                        ),
                    );
                    brief_chips_ui(ui, b);
                });
                if b.status == BriefStatus::Devuelta
                    && let Some(c) = &b.decision_comment
                {
                    callout_ui(ui, &t("brief.returned_title"), c, widgets::WARNING);
                }
            }
        }
        if !self.import_errors.is_empty() {
            callout_ui(
                ui,
                &t("brief.import_problems"),
                &self.import_errors.join("\n"),
                widgets::WARNING,
            );
        }
        ui.label(RichText::new(t("brief.form_intro")).weak());
        widgets::required_legend_ui(ui);
        ui.add_space(4.0);
        if std::mem::take(&mut self.focus_first) {
            widgets::focus_next_field(ui);
        }
        let f = &mut self.form;
        let e = &self.errors;
        if !Self::is_solicitante(cx) {
            department_combo_ui(
                ui,
                req(&t("brief.f_department")),
                &mut f.department_id,
                &self.departments,
                err_for(e, Field::Department),
            );
        }
        text_field_ui(
            ui,
            req(&t("brief.f_contact_name")),
            &mut f.contact_name,
            err_for(e, Field::ContactName),
        );
        text_field_ui(
            ui,
            req(&t("brief.f_contact_email")),
            &mut f.contact_email,
            err_for(e, Field::ContactEmail),
        );
        text_field_ui(
            ui,
            req(&t("brief.f_campaign_name")),
            &mut f.campaign_name,
            err_for(e, Field::CampaignName),
        );
        let kind_text = f
            .kind
            .map(CampaignKind::label)
            .unwrap_or_else(|| t("common.choose"));
        combo_ui(ui, req(&t("brief.f_kind")), kind_text, 300.0, |ui| {
            for k in CampaignKind::ALL {
                ui.selectable_value(&mut f.kind, Some(*k), k.label());
            }
        });
        if let Some(m) = err_for(e, Field::Kind) {
            widgets::error_text_ui(ui, m);
        }
        text_area_ui(
            ui,
            req(&t("brief.f_objective")),
            &mut f.objective,
            err_for(e, Field::Objective),
            2,
        );
        text_area_ui(
            ui,
            req(&t("brief.f_audience")),
            &mut f.audience,
            err_for(e, Field::Audience),
            2,
        );
        text_area_ui(
            ui,
            req(&t("brief.f_key_message")),
            &mut f.key_message,
            err_for(e, Field::KeyMessage),
            3,
        );
        ui.horizontal_top(|ui| {
            ui.vertical(|ui| {
                ui.set_width(200.0);
                widgets::date_field_ui(
                    ui,
                    req(&t("brief.f_start_date")),
                    &mut f.start_date,
                    err_for(e, Field::StartDate),
                );
            });
            ui.vertical(|ui| {
                ui.set_width(200.0);
                widgets::date_field_ui(
                    ui,
                    req(&t("brief.f_end_date")),
                    &mut f.end_date,
                    err_for(e, Field::EndDate),
                );
            });
        });
        if let Some(start) = f.start() {
            let today = format::today(cx.store.now(), cx.settings);
            let short = crate::domain::brief::days_short(today, start);
            if short > 0 {
                callout_ui(
                    ui,
                    &t("brief.late"),
                    &tf("brief.late_warning", &[("days", &short)]),
                    widgets::WARNING,
                );
            }
        }
        text_area_ui(
            ui,
            req(&t("brief.f_expected_result")),
            &mut f.expected_result,
            err_for(e, Field::ExpectedResult),
            2,
        );
        text_area_ui(
            ui,
            &t("brief.f_database_fields"),
            &mut f.database_fields,
            err_for(e, Field::DatabaseFields),
            2,
        );
        text_area_ui(
            ui,
            &t("brief.f_observations"),
            &mut f.observations,
            err_for(e, Field::Observations),
            2,
        );

        if let Some(b) = existing {
            self.files_ui(ui, cx, b, true);
        } else {
            ui.label(RichText::new(t("brief.attach_after_save")).weak());
        }
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            let save = ui
                .button(t("brief.save_draft"))
                .on_hover_text(t("common.save_hover"));
            let submit = ui.button(t("brief.submit"));
            if save.clicked()
                || ui.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, egui::Key::S))
            {
                self.save(cx, existing.map(|b| b.id), false);
            }
            if submit.clicked() {
                // The procedure's brief carries its contact base: sending without it asks first.
                if self.files.is_empty() {
                    self.confirm_no_base = Some(existing.map(|b| b.id));
                } else {
                    self.submit(cx, existing.map(|b| b.id));
                }
            }
        });
        if let Some(m) = err_for(&self.errors, Field::Form) {
            widgets::error_text_ui(ui, m);
        }
        if !self.errors.is_empty() {
            widgets::error_text_ui(ui, &t("brief.fix_fields"));
        }
    }

    /// Saves and sends the brief.
    fn submit(&mut self, cx: &mut Cx<'_>, id: Option<i64>) {
        self.save(cx, id, true);
    }

    /// Saves the form (and submits it); false when it was not saved (the errors show).
    fn save(&mut self, cx: &mut Cx<'_>, id: Option<i64>, submit: bool) -> bool {
        self.submitting = submit;
        self.errors = self.form.validate_draft();
        if Self::is_solicitante(cx) {
            self.errors.retain(|e| e.field != "department");
        }
        if !self.errors.is_empty() {
            // Not even a draft can be saved; show everything sending would also need.
            self.errors = self.validation_errors(cx);
            return false;
        }
        let cmd = match (id, submit) {
            (id, true) => Command::SaveAndSubmitBrief(id, self.form.clone()),
            (None, false) => Command::CreateBrief(self.form.clone()),
            (Some(id), false) => Command::UpdateBrief(id, self.form.clone()),
        };
        let (saved, errs) = match cx.apply(cmd) {
            Ok(Applied::Brief(b, _)) => (b, Vec::new()),
            Ok(Applied::Submitted(b, errs)) => (b, errs),
            Ok(_) => return false,
            Err(Error::Invalid(e)) => {
                self.errors.push(e);
                return false;
            }
            Err(_) => return false,
        };
        self.reload(cx);
        self.select(cx, saved.id);
        self.errors = errs;
        true
    }

    fn files_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>, b: &Brief, editable: bool) {
        ui.add_space(6.0);
        ui.label(RichText::new(t("brief.files")).strong());
        if self.files.is_empty() {
            ui.label(RichText::new(t("brief.no_files")).weak());
        }
        let mut copy = None;
        for f in &self.files {
            ui.horizontal(|ui| {
                ui.label(&f.file_name);
                ui.label(
                    RichText::new(tf("import.bytes", &[("n", &format::int(f.size))]))
                        .weak()
                        .small(),
                );
                if ui.small_button(t("brief.save_copy")).clicked() {
                    copy = self.copy_file.ask(
                        cx.dialog,
                        files::Request::save(&t("brief.save_copy"), &f.file_name, "*", &["*"]),
                        f.id,
                    );
                }
            });
        }
        if let Some((fid, path)) = copy.or_else(|| self.copy_file.ui(ui)) {
            let store = cx
                .store
                .connect_again()
                .unwrap_or_else(|_| cx.store.clone());
            let actor = cx.actor.clone();
            let repaint = ui.ctx().clone();
            self.copy_job = Some(crate::jobs::Job::spawn(
                "save-brief-file",
                String::new(),
                move || repaint.request_repaint(),
                move |_, _| {
                    let (_, bytes) = store.brief_file_content(&actor, fid)?;
                    std::fs::write(&path, bytes)?;
                    Ok(path)
                },
            ));
        }
        self.file_jobs_ui(ui);
        if editable {
            self.validation_ui(ui);
            let mut picked = None;
            ui.horizontal(|ui| {
                if ui.button(t("brief.attach")).clicked() {
                    picked = self.attach_file.ask(
                        cx.dialog,
                        files::Request::open(
                            &t("brief.attach"),
                            &t("brief.contact_files"),
                            &["csv", "xlsx", "xls", "ods", "txt"],
                        ),
                        b.id,
                    );
                }
                ui.label(RichText::new(t("brief.drop_here")).weak().small());
            });
            if let Some((id, p)) = picked.or_else(|| self.attach_file.ui(ui)) {
                self.attach(ui, cx, id, AttachFrom::Path(p));
            }
        }
    }

    fn record_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>, b: &Brief) {
        ui.horizontal(|ui| {
            section_ui(
                ui,
                &format!(
                    "{} {}",
                    t("brief.record"),
                    tf("text.number", &[("n", &b.id)])
                ),
            );
            brief_chips_ui(ui, b);
        });
        if b.is_late() {
            callout_ui(
                ui,
                &t("brief.late"),
                &tf("brief.late_short", &[("days", &b.late_days.unwrap_or(0))]),
                widgets::WARNING,
            );
        }
        if b.status == BriefStatus::Rechazada
            && let Some(c) = &b.decision_comment
        {
            callout_ui(ui, &t("brief.rejected_title"), c, widgets::ERROR);
        }
        let mut print = None;
        ui.horizontal(|ui| {
            if ui
                .button(t("brief.print"))
                .on_hover_text(t("brief.print_hover"))
                .clicked()
            {
                print = self.print_file.ask(
                    cx.dialog,
                    files::Request::save(
                        &t("brief.print"),
                        &format!("solicitud-{}-GF-MK-PR-01-01.pdf", b.id),
                        "PDF",
                        &["pdf"],
                    ),
                    b.id,
                );
            }
            if cx.actor.can(Action::SubmitBriefs)
                && ui.button(t("brief.duplicate")).clicked()
                && let Ok(Applied::Brief(n, _)) = cx.apply(Command::DuplicateBrief(b.id))
            {
                self.reload(cx);
                self.select(cx, n.id);
            }
        });
        if let Some((_, path)) = print.or_else(|| self.print_file.ui(ui)) {
            self.print(cx, b, &path);
        }
        ui.add_space(6.0);
        if matches!(
            b.status,
            BriefStatus::Asignada
                | BriefStatus::EnEjecucion
                | BriefStatus::Finalizada
                | BriefStatus::InformeEntregado
        ) {
            self.interested.ui(ui, cx, b.id);
            ui.add_space(8.0);
        }
        if cx.actor.can(Action::DecideBriefs)
            && b.status.can_return()
            && self.decision.ui(ui, cx, b)
        {
            self.reload(cx);
            self.select(cx, b.id);
        }
        brief_record_ui(ui, b);
        self.files_ui(ui, cx, b, false);
        ui.add_space(8.0);
        ui.label(RichText::new(t("brief.history")).strong());
        history_ui(ui, &self.history, cx.settings);
    }

    fn print(&mut self, cx: &mut Cx<'_>, b: &Brief, path: &std::path::Path) {
        let bytes =
            crate::report::brief_pdf(b, &self.history, &self.files, cx.settings, cx.store.now());
        match bytes {
            Ok(bytes) => match std::fs::write(path, &bytes) {
                Ok(()) => {
                    cx.toasts
                        .success(tf("common.saved_to", &[("path", &path.display())]));
                    // The record as printed is kept in the archive with its hash.
                    let file_name = path
                        .file_name()
                        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
                    let _ = cx.apply(Command::ArchiveBriefPdf {
                        brief_id: b.id,
                        file_name,
                        content: bytes,
                    });
                }
                Err(e) => cx.toasts.error(tf("common.err_write", &[("detail", &e)])),
            },
            Err(e) => cx.toasts.error(e),
        }
    }
}
