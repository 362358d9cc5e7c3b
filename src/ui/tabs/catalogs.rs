//! Catálogos (head and professional): departments, programs and services, call dispositions.

use egui::{RichText, Ui};
use egui_extras::{Column, TableBuilder};

use super::{Tab, TabView};
use crate::domain::Field;
use crate::domain::{Action, Role};
use crate::domain::{Department, Disposition, FieldError, Program, ProgramKind};
use crate::i18n::{t, tf};
use crate::store::Error;
use crate::ui::commands::{Command, Cx};
use crate::ui::panels::department_combo_ui;
use crate::ui::widgets::{self, chip_ui, empty_state_ui, err_for, section_ui, text_field_ui};

#[derive(Default, Clone, Copy, PartialEq, Eq)]
enum Section {
    #[default]
    Departments,
    Programs,
    Dispositions,
}

/// The catalogs tab.
#[derive(Default)]
pub struct CatalogsTab {
    loaded: bool,
    section: Section,
    departments: Vec<Department>,
    programs: Vec<Program>,
    dispositions: Vec<Disposition>,
    new_department: String,
    department_errors: Vec<FieldError>,
    renaming: Option<(i64, String)>,
    rename_errors: Vec<FieldError>,
    new_program: String,
    new_program_kind: Option<ProgramKind>,
    new_program_department: Option<i64>,
    program_errors: Vec<FieldError>,
    /// A section was opened: its "new" form starts on its first field.
    focus: bool,
    /// The program whose manager and sheet are being edited, with the values typed.
    details: Option<(i64, crate::domain::catalog::ProgramDetails)>,
    details_errors: Vec<FieldError>,
    /// The brochure's file chooser (tagged with the program).
    brochure_file: crate::ui::files::Chooser<i64>,
    /// The department whose extension is being edited, with the value typed.
    extension: Option<(i64, String)>,
    extension_errors: Vec<FieldError>,
}

impl CatalogsTab {
    fn reload(&mut self, cx: &mut Cx<'_>) {
        let loaded = cx
            .store
            .departments()
            .and_then(|d| Ok((d, cx.store.programs()?, cx.store.dispositions()?)));
        match loaded {
            Ok((d, p, x)) => {
                self.departments = d;
                self.programs = p;
                self.dispositions = x;
            }
            Err(e) => cx.toasts.error(e.to_string()),
        }
        self.loaded = true;
    }
}

impl TabView for CatalogsTab {
    fn id(&self) -> Tab {
        Tab::Catalogos
    }

    fn label(&self) -> String {
        t("tab.catalogs")
    }

    fn visible_for(&self, role: Role) -> bool {
        let p = |a| crate::domain::perm::allowed(role, a);
        p(Action::ManageCatalogs)
    }

    fn mark_stale(&mut self) {
        self.focus = true;
    }

    /// Draws the tab.
    fn ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        if !self.loaded {
            self.reload(cx);
        }
        ui.horizontal(|ui| {
            for (s, key) in [
                (Section::Departments, "catalog.departments"),
                (Section::Programs, "catalog.programs"),
                (Section::Dispositions, "catalog.dispositions"),
            ] {
                if ui
                    .selectable_value(&mut self.section, s, RichText::new(t(key)).size(15.0))
                    .clicked()
                {
                    self.focus = true;
                }
            }
        });
        ui.separator();
        match self.section {
            Section::Departments => self.departments_ui(ui, cx),
            Section::Programs => self.programs_ui(ui, cx),
            Section::Dispositions => self.dispositions_ui(ui),
        }
    }
}

impl CatalogsTab {
    fn departments_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        ui.horizontal_top(|ui| {
            ui.vertical(|ui| {
                ui.set_width(340.0);
                section_ui(ui, &t("department.new"));
                widgets::required_legend_ui(ui);
                if std::mem::take(&mut self.focus) {
                    widgets::focus_next_field(ui);
                }
                text_field_ui(
                    ui,
                    widgets::req(&t("department.name")),
                    &mut self.new_department,
                    err_for(&self.department_errors, Field::Name),
                );
                if ui.button(t("department.add")).clicked() {
                    self.department_errors.clear();
                    match cx.apply(Command::AddDepartment {
                        name: self.new_department.clone(),
                    }) {
                        Ok(_) => {
                            self.new_department.clear();
                            self.reload(cx);
                        }
                        Err(Error::Invalid(e)) => self.department_errors.push(e),
                        Err(_) => {}
                    }
                }
            });
            ui.separator();
            ui.vertical(|ui| {
                section_ui(
                    ui,
                    &tf("department.count", &[("n", &self.departments.len())]),
                );
                if self.departments.is_empty() {
                    empty_state_ui(ui, &t("department.empty"));
                    return;
                }
                let mut action = None;
                let mut cancel_rename = false;
                let mut ext_action = None;
                let mut ext_cancel = false;
                egui::ScrollArea::vertical().show(ui, |ui| {
                    egui::Grid::new("departments_grid")
                        .striped(true)
                        .num_columns(4)
                        .spacing([16.0, 6.0])
                        .min_col_width(80.0)
                        .show(ui, |ui| {
                            for d in &self.departments {
                                let editing =
                                    self.renaming.as_ref().is_some_and(|(id, _)| *id == d.id);
                                if let (true, Some((_, name))) = (editing, self.renaming.as_mut()) {
                                    ui.vertical(|ui| {
                                        let r = ui
                                            .add(
                                                egui::TextEdit::singleline(name)
                                                    .desired_width(300.0),
                                            )
                                            .on_hover_text(t("department.name"));
                                        if r.lost_focus()
                                            && ui.input(|i| i.key_pressed(egui::Key::Enter))
                                        {
                                            action = Some(Command::RenameDepartment {
                                                id: d.id,
                                                name: name.clone(),
                                            });
                                        }
                                        if let Some(e) = err_for(&self.rename_errors, Field::Name) {
                                            widgets::error_text_ui(ui, e);
                                        }
                                    });
                                    ui.label("");
                                    ui.label("");
                                    ui.horizontal(|ui| {
                                        if ui.button(t("common.save")).clicked() {
                                            action = Some(Command::RenameDepartment {
                                                id: d.id,
                                                name: name.clone(),
                                            });
                                        }
                                        if ui.button(t("common.cancel")).clicked() {
                                            cancel_rename = true;
                                        }
                                    });
                                } else {
                                    ui.label(RichText::new(&d.name).strong());
                                    if d.active {
                                        chip_ui(ui, &t("common.active_f"), widgets::SUCCESS);
                                    } else {
                                        chip_ui(ui, &t("common.inactive_f"), widgets::ERROR);
                                    }
                                    extension_cell_ui(
                                        ui,
                                        d,
                                        &mut self.extension,
                                        &self.extension_errors,
                                        &mut ext_action,
                                        &mut ext_cancel,
                                    );
                                    ui.horizontal(|ui| {
                                        if ui.small_button(t("common.rename")).clicked() {
                                            self.renaming = Some((d.id, d.name.clone()));
                                            self.rename_errors.clear();
                                        }
                                        let (label, active) = if d.active {
                                            (t("common.deactivate"), false)
                                        } else {
                                            (t("common.activate"), true)
                                        };
                                        if ui
                                            .small_button(label)
                                            .on_hover_text(t("department.deactivate_hover"))
                                            .clicked()
                                        {
                                            action = Some(Command::SetDepartmentActive {
                                                id: d.id,
                                                active,
                                            });
                                        }
                                    });
                                }
                                ui.end_row();
                            }
                        });
                });
                if cancel_rename {
                    self.renaming = None;
                }
                if ext_cancel {
                    self.extension = None;
                    self.extension_errors.clear();
                }
                if let Some(cmd) = ext_action {
                    match cx.apply(cmd) {
                        Ok(_) => {
                            self.extension = None;
                            self.extension_errors.clear();
                            self.reload(cx);
                        }
                        Err(Error::Invalid(e)) => self.extension_errors = vec![e],
                        Err(_) => {}
                    }
                }
                if let Some(cmd) = action {
                    let renaming = matches!(cmd, Command::RenameDepartment { .. });
                    match cx.apply(cmd) {
                        Ok(_) => {
                            self.renaming = None;
                            self.reload(cx);
                        }
                        Err(Error::Invalid(e)) if renaming => self.rename_errors = vec![e],
                        Err(_) => {}
                    }
                }
            });
        });
    }

    fn programs_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        ui.horizontal_top(|ui| {
            ui.vertical(|ui| {
                ui.set_width(360.0);
                if self.details.is_some() {
                    egui::ScrollArea::vertical()
                        .id_salt("program_details")
                        .show(ui, |ui| self.details_ui(ui, cx));
                    return;
                }
                section_ui(ui, &t("program.new"));
                widgets::required_legend_ui(ui);
                if std::mem::take(&mut self.focus) {
                    widgets::focus_next_field(ui);
                }
                text_field_ui(
                    ui,
                    widgets::req(&t("program.name")),
                    &mut self.new_program,
                    err_for(&self.program_errors, Field::Name),
                );
                let kind_text = self
                    .new_program_kind
                    .map(ProgramKind::label)
                    .unwrap_or_else(|| t("common.choose"));
                widgets::combo_ui(
                    ui,
                    widgets::req(&t("program.kind")),
                    kind_text,
                    300.0,
                    |ui| {
                        for k in [ProgramKind::Programa, ProgramKind::Servicio] {
                            ui.selectable_value(&mut self.new_program_kind, Some(k), k.label());
                        }
                    },
                );
                if let Some(e) = err_for(&self.program_errors, Field::Kind) {
                    widgets::error_text_ui(ui, e);
                }
                department_combo_ui(
                    ui,
                    &t("program.department"),
                    &mut self.new_program_department,
                    &self.departments,
                    None,
                );
                if ui.button(t("program.add")).clicked() {
                    self.program_errors.clear();
                    match self.new_program_kind {
                        None => self.program_errors.push(FieldError::new(
                            crate::domain::Field::Kind,
                            "program.err_kind",
                        )),
                        Some(kind) => match cx.apply(Command::AddProgram {
                            name: self.new_program.clone(),
                            kind,
                            department_id: self.new_program_department,
                        }) {
                            Ok(_) => {
                                self.new_program.clear();
                                self.reload(cx);
                            }
                            Err(Error::Invalid(e)) => self.program_errors.push(e),
                            Err(_) => {}
                        },
                    }
                }
            });
            ui.separator();
            ui.vertical(|ui| {
                section_ui(ui, &tf("program.count", &[("n", &self.programs.len())]));
                if self.programs.is_empty() {
                    empty_state_ui(ui, &t("program.empty"));
                    return;
                }
                let mut toggle = None;
                let mut edit = None;
                let dept_name = |id: Option<i64>| {
                    id.and_then(|id| self.departments.iter().find(|d| d.id == id))
                        .map(|d| d.name.clone())
                        .unwrap_or_default()
                };
                TableBuilder::new(ui)
                    .striped(true)
                    .column(Column::initial(300.0).at_least(160.0).clip(true))
                    .column(Column::initial(90.0))
                    .column(Column::initial(200.0).clip(true))
                    .column(Column::initial(220.0).clip(true))
                    .column(Column::remainder())
                    .header(24.0, |mut h| {
                        for key in [
                            "program.name",
                            "program.kind",
                            "program.department",
                            "program.sheet_col",
                            "common.status",
                        ] {
                            h.col(|ui| {
                                ui.strong(t(key));
                            });
                        }
                    })
                    .body(|body| {
                        body.rows(26.0, self.programs.len(), |mut row| {
                            let p = &self.programs[row.index()];
                            row.col(|ui| {
                                ui.label(&p.name);
                            });
                            row.col(|ui| {
                                ui.label(p.kind.label());
                            });
                            row.col(|ui| {
                                ui.label(dept_name(p.department_id));
                            });
                            row.col(|ui| {
                                if ui.small_button(t("program.edit")).clicked() {
                                    edit = Some(p.clone());
                                }
                                if p.manager_email.is_empty() {
                                    chip_ui(ui, &t("program.manager_missing"), widgets::WARNING)
                                        .on_hover_text(t("program.manager_missing_hover"));
                                } else {
                                    ui.label(&p.manager_email);
                                }
                            });
                            row.col(|ui| {
                                let (label, active) = if p.active {
                                    (t("common.deactivate"), false)
                                } else {
                                    (t("common.activate"), true)
                                };
                                if !p.active {
                                    chip_ui(ui, &t("common.inactive_m"), widgets::ERROR);
                                }
                                if ui.small_button(label).clicked() {
                                    toggle = Some((p.id, active));
                                }
                            });
                        });
                    });
                if let Some((id, active)) = toggle
                    && cx.apply(Command::SetProgramActive { id, active }).is_ok()
                {
                    self.reload(cx);
                }
                if let Some(p) = edit {
                    self.details = Some((
                        p.id,
                        crate::domain::catalog::ProgramDetails {
                            manager_name: p.manager_name.clone(),
                            manager_email: p.manager_email.clone(),
                            sheet: p.sheet.clone(),
                        },
                    ));
                    self.details_errors.clear();
                    self.focus = true;
                }
            });
        });
    }

    /// A program's manager, sheet and brochure.
    fn details_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        let Some((id, mut form)) = self.details.take() else {
            return;
        };
        let Some(program) = self.programs.iter().find(|p| p.id == id).cloned() else {
            return;
        };
        section_ui(ui, &tf("program.details_title", &[("name", &program.name)]));
        ui.label(RichText::new(t("program.details_hint")).weak().small());
        if std::mem::take(&mut self.focus) {
            widgets::focus_next_field(ui);
        }
        let errors = self.details_errors.clone();
        text_field_ui(
            ui,
            t("program.manager_name").as_str(),
            &mut form.manager_name,
            err_for(&errors, Field::ContactName),
        );
        text_field_ui(
            ui,
            t("program.manager_email").as_str(),
            &mut form.manager_email,
            err_for(&errors, Field::ContactEmail),
        );
        let s = &mut form.sheet;
        for (key, value, rows) in [
            ("program_sheet.cost", &mut s.cost, 1),
            ("program_sheet.dates", &mut s.dates, 2),
            ("program_sheet.requirements", &mut s.requirements, 3),
            ("program_sheet.scholarships", &mut s.scholarships, 2),
            ("program_sheet.modality", &mut s.modality, 1),
            ("program_sheet.snies", &mut s.snies, 1),
        ] {
            if rows == 1 {
                text_field_ui(ui, t(key).as_str(), value, None);
            } else {
                widgets::text_area_ui(ui, t(key).as_str(), value, None, rows);
            }
        }
        if let Some(e) = err_for(&errors, Field::Form) {
            widgets::error_text_ui(ui, e);
        }
        let mut save = false;
        let mut close = false;
        ui.horizontal(|ui| {
            save = ui.button(t("program.save_details")).clicked();
            close = ui.button(t("program.close_details")).clicked();
        });
        ui.add_space(8.0);
        section_ui(ui, &t("program.brochure"));
        match &program.brochure {
            Some(b) => {
                ui.label(tf(
                    "program.brochure_size",
                    &[
                        ("name", &b.file_name),
                        ("kb", &crate::domain::format::int((b.size + 1023) / 1024)),
                    ],
                ));
            }
            None => {
                ui.label(RichText::new(t("program.brochure_none")).weak());
            }
        }
        let mut picked = None;
        let mut remove = false;
        ui.horizontal(|ui| {
            if ui.button(t("program.brochure_choose")).clicked() {
                picked = self.brochure_file.ask(
                    cx.dialog,
                    crate::ui::files::Request::open(
                        &t("program.brochure_choose"),
                        &t("program.brochure_filter"),
                        &["pdf", "png", "jpg", "jpeg", "webp"],
                    ),
                    id,
                );
            }
            if program.brochure.is_some() {
                remove = ui.button(t("program.brochure_remove")).clicked();
            }
        });
        if let Some(e) = err_for(&errors, Field::File) {
            widgets::error_text_ui(ui, e);
        }
        let mut brochure = None;
        if let Some((pid, path)) = picked.or_else(|| self.brochure_file.ui(ui)) {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            // Too big or of another kind: said before the file is read.
            let len = std::fs::metadata(&path)
                .map(|m| m.len() as usize)
                .unwrap_or(0);
            match crate::domain::inbound_call::check_brochure(&name, len.max(1)) {
                Err(e) => self.details_errors = vec![e],
                Ok(_) => match std::fs::read(&path) {
                    Ok(bytes) => brochure = Some((pid, Some((name, bytes)))),
                    Err(e) => cx
                        .toasts
                        .error(tf("program.brochure_read_failed", &[("error", &e)])),
                },
            }
        }
        if remove {
            brochure = Some((id, None));
        }
        self.details = Some((id, form.clone()));
        if let Some((pid, file)) = brochure {
            match cx.apply(Command::SetProgramBrochure { id: pid, file }) {
                Ok(_) => {
                    self.details_errors.clear();
                    self.reload(cx);
                }
                Err(Error::Invalid(e)) => self.details_errors = vec![e],
                Err(_) => {}
            }
        }
        if close {
            self.details = None;
            self.details_errors.clear();
            self.brochure_file.close();
            return;
        }
        if save {
            match cx.apply(Command::SetProgramDetails { id, details: form }) {
                Ok(_) => {
                    self.details_errors.clear();
                    self.reload(cx);
                }
                Err(Error::Invalid(e)) => self.details_errors = vec![e],
                Err(_) => {}
            }
        }
    }

    fn dispositions_ui(&mut self, ui: &mut Ui) {
        section_ui(ui, &t("catalog.dispositions"));
        ui.label(RichText::new(t("disposition.intro")).weak());
        ui.add_space(6.0);
        let yes_no = |b: bool| if b { t("common.yes") } else { t("common.no") };
        TableBuilder::new(ui)
            .striped(true)
            .column(Column::exact(50.0))
            .column(Column::initial(240.0))
            .column(Column::initial(160.0))
            .column(Column::initial(140.0))
            .column(Column::initial(130.0))
            .column(Column::remainder())
            .header(24.0, |mut h| {
                for key in [
                    "disposition.key",
                    "disposition.name",
                    "disposition.category",
                    "disposition.reached",
                    "disposition.final",
                    "disposition.code",
                ] {
                    h.col(|ui| {
                        ui.strong(t(key));
                    });
                }
            })
            .body(|body| {
                body.rows(26.0, self.dispositions.len(), |mut row| {
                    let d = &self.dispositions[row.index()];
                    row.col(|ui| {
                        ui.monospace(d.key.map(String::from).unwrap_or_else(|| "–".into()));
                    });
                    row.col(|ui| {
                        ui.label(&d.name);
                    });
                    row.col(|ui| {
                        ui.label(d.category.label());
                    });
                    row.col(|ui| {
                        ui.label(yes_no(d.reached));
                    });
                    row.col(|ui| {
                        ui.label(if d.final_for_phone {
                            t("disposition.final_for_phone")
                        } else {
                            yes_no(d.is_final)
                        });
                    });
                    row.col(|ui| {
                        ui.monospace(&d.code);
                    });
                });
            });
    }
}

/// A department's extension: shown, or edited in place.
fn extension_cell_ui(
    ui: &mut Ui,
    d: &Department,
    extension: &mut Option<(i64, String)>,
    errors: &[FieldError],
    action: &mut Option<Command>,
    cancel: &mut bool,
) {
    let editing = extension.as_ref().is_some_and(|(id, _)| *id == d.id);
    if let (true, Some((_, ext))) = (editing, extension.as_mut()) {
        ui.vertical(|ui| {
            ui.horizontal(|ui| {
                let l = ui.label(t("department.extension"));
                ui.add(egui::TextEdit::singleline(ext).desired_width(80.0))
                    .labelled_by(l.id);
                if ui.small_button(t("department.extension_save")).clicked() {
                    *action = Some(Command::SetDepartmentExtension {
                        id: d.id,
                        extension: ext.clone(),
                    });
                }
                if ui.small_button(t("common.cancel")).clicked() {
                    *cancel = true;
                }
            });
            if let Some(e) = err_for(errors, Field::Extension) {
                widgets::error_text_ui(ui, e);
            }
        });
    } else {
        let text = if d.extension.is_empty() {
            t("department.extension")
        } else {
            format!("{} {}", t("department.extension"), d.extension)
        };
        if ui
            .small_button(text)
            .on_hover_text(t("department.extension_save"))
            .clicked()
        {
            *extension = Some((d.id, d.extension.clone()));
        }
    }
}
