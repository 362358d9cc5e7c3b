//! Configuración › Copias de seguridad (the head): a backup now (a save dialog, then a
//! background job), the automatic backup's folder and how many copies to keep, and restoring
//! from a backup after confirming (a background job; the store checks the copy and refuses
//! while other desks have the database open; afterwards the user logs in again).

use egui::{RichText, Ui};

use crate::domain::archive::BackupSettings;
use crate::domain::{FieldError, format};
use crate::i18n::{t, tf};
use crate::jobs::Job;
use crate::store::{Error, Store};
use crate::ui::commands::{Command, Cx, spawn_restore};
use crate::ui::files;
use crate::ui::widgets::{Confirm, confirm_ui, error_text_ui, text_field_ui};

/// The section's state.
#[derive(Default)]
pub struct BackupSection {
    open: bool,
    /// The settings as edited, and the number of copies as typed.
    form: Option<BackupSettings>,
    /// Reading the settings failed (said once in a toast).
    load_failed: bool,
    keep: String,
    /// Where automatic copies go when the folder is left empty (shown as a hint).
    default_folder: Option<String>,
    error: Option<FieldError>,
    save_file: files::Chooser,
    restore_file: files::Chooser,
    backup_job: Option<Job<std::path::PathBuf, Error>>,
    restore_job: Option<Job<Option<std::path::PathBuf>, Error>>,
    /// The backup the head is asked to confirm restoring.
    confirming: Option<std::path::PathBuf>,
    background: Option<Store>,
}

impl BackupSection {
    /// The toggle that opens the section (beside the settings' other toggles).
    pub fn toggle_ui(&mut self, ui: &mut Ui) {
        if ui
            .toggle_value(&mut self.open, t("backup.title"))
            .on_hover_text(t("backup.hover"))
            .clicked()
        {
            // Opened again: a read that failed is tried again.
            self.load_failed = false;
        }
    }

    fn poll(&mut self, ui: &Ui, cx: &mut Cx<'_>) {
        if let Some(job) = &mut self.backup_job
            && let Some(r) = job.poll()
        {
            self.backup_job = None;
            match r {
                Ok(path) => cx
                    .toasts
                    .success(tf("backup.done", &[("path", &path.display())])),
                Err(e) => cx.toasts.error(tf("backup.failed", &[("error", &e)])),
            }
        }
        if let Some(job) = &mut self.restore_job
            && let Some(r) = job.poll()
        {
            self.restore_job = None;
            match r {
                Ok(safety) => {
                    cx.toasts.success(match safety {
                        Some(p) => tf("backup.restored_safety", &[("path", &p.display())]),
                        None => t("backup.restored"),
                    });
                    cx.settings_changed = true;
                    cx.logout = true;
                }
                Err(e) => cx.toasts.error(e.to_string()),
            }
        }
        if self.backup_job.is_some() || self.restore_job.is_some() {
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_millis(100));
        }
    }

    /// Draws the section when it is open (a job under way keeps being followed when closed).
    pub fn ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        self.poll(ui, cx);
        self.confirm_ui(ui, cx);
        if !self.open {
            return;
        }
        ui.add_space(8.0);
        ui.label(RichText::new(t("backup.title")).strong());
        ui.label(RichText::new(t("backup.intro")).weak());
        ui.add_space(4.0);
        // A backup now.
        ui.horizontal(|ui| {
            let busy = self.backup_job.is_some();
            let mut chosen = None;
            if ui
                .add_enabled(!busy, egui::Button::new(t("backup.now")))
                .on_hover_text(t("backup.now_hover"))
                .clicked()
            {
                let stamp = chrono::DateTime::from_timestamp(cx.store.now(), 0)
                    .map(|d| {
                        format::local(d.timestamp(), cx.settings)
                            .format("%Y%m%d-%H%M")
                            .to_string()
                    })
                    .unwrap_or_default();
                chosen = self.save_file.ask(
                    cx.dialog,
                    files::Request::save(
                        &t("backup.now"),
                        &format!("telemercadeo-{stamp}.sqlite3"),
                        "SQLite",
                        &["sqlite3", "db"],
                    ),
                    (),
                );
            }
            if busy {
                ui.spinner();
                ui.label(RichText::new(t("backup.running")).weak());
            }
            if let Some(((), path)) = chosen {
                self.start_backup(ui, cx, path);
            }
        });
        if let Some(((), path)) = self.save_file.ui(ui) {
            self.start_backup(ui, cx, path);
        }
        ui.add_space(8.0);
        // The automatic backup.
        if self.form.is_none() {
            // Read once: a failure shows one toast, not one a frame (asked again when the
            // section is opened again).
            if self.load_failed {
                return;
            }
            let Some(s) = cx.shown(cx.store.backup_settings()) else {
                self.load_failed = true;
                return;
            };
            self.keep = s.keep.to_string();
            self.default_folder = cx
                .store
                .default_backup_folder()
                .map(|p| p.display().to_string());
            self.form = Some(s);
        }
        let Some(form) = &mut self.form else {
            return;
        };
        ui.label(RichText::new(t("backup.auto_title")).strong());
        ui.label(RichText::new(t("backup.auto_intro")).weak().small());
        ui.horizontal_wrapped(|ui| {
            ui.vertical(|ui| {
                ui.set_width(380.0);
                text_field_ui(ui, &t("backup.folder"), &mut form.folder, None);
                if form.folder.trim().is_empty()
                    && let Some(d) = &self.default_folder
                {
                    ui.label(
                        RichText::new(tf("backup.folder_default", &[("path", d)]))
                            .weak()
                            .small(),
                    );
                }
            });
            ui.vertical(|ui| {
                ui.set_width(190.0);
                text_field_ui(ui, &t("backup.keep"), &mut self.keep, None);
            });
        });
        if let Some(e) = &self.error {
            error_text_ui(ui, &e.message());
        }
        let edited = form.clone();
        ui.horizontal(|ui| {
            if ui.button(t("backup.save_auto")).clicked() {
                let mut s = edited;
                match self.keep.trim().parse::<u32>() {
                    Ok(n) => {
                        s.keep = n;
                        match cx.apply(Command::SaveBackupSettings(s)) {
                            Ok(_) => {
                                self.error = None;
                                self.form = None;
                            }
                            Err(Error::Invalid(e)) => self.error = Some(e),
                            Err(_) => {}
                        }
                    }
                    Err(_) => {
                        self.error = Some(FieldError::with(
                            crate::domain::Field::Form,
                            "backup.err_keep",
                            &[("max", &crate::domain::archive::MAX_BACKUP_KEEP)],
                        ));
                    }
                }
            }
        });
        ui.add_space(8.0);
        // Restore.
        ui.label(RichText::new(t("backup.restore_title")).strong());
        ui.label(RichText::new(t("backup.restore_intro")).weak().small());
        ui.horizontal(|ui| {
            let busy = self.restore_job.is_some();
            if ui
                .add_enabled(!busy, egui::Button::new(t("backup.restore")))
                .clicked()
                && let Some(((), path)) = self.restore_file.ask(
                    cx.dialog,
                    files::Request::open(&t("backup.restore"), "SQLite", &["sqlite3", "db"]),
                    (),
                )
            {
                self.confirming = Some(path);
            }
            if busy {
                ui.spinner();
                ui.label(RichText::new(t("backup.restoring")).weak());
            }
        });
        if let Some(((), path)) = self.restore_file.ui(ui) {
            self.confirming = Some(path);
        }
    }

    fn start_backup(&mut self, ui: &Ui, cx: &mut Cx<'_>, path: std::path::PathBuf) {
        let store = cx.background(&mut self.background);
        let repaint = ui.ctx().clone();
        self.backup_job = Some(Job::spawn(
            "backup",
            String::new(),
            move || repaint.request_repaint(),
            move |_, _| store.backup_to(&path).map(|()| path),
        ));
    }

    fn confirm_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        let Some(path) = self.confirming.clone() else {
            return;
        };
        match confirm_ui(
            ui,
            "backup_restore",
            &t("backup.confirm_title"),
            &tf("backup.confirm_body", &[("path", &path.display())]),
            &t("backup.confirm_yes"),
        ) {
            Confirm::Open => {}
            Confirm::No => self.confirming = None,
            Confirm::Yes => {
                self.confirming = None;
                // The restore runs on the window's own store: it replaces what every
                // connection of this desk reads.
                self.restore_job = Some(spawn_restore(
                    ui.ctx(),
                    cx.store.clone(),
                    cx.actor.clone(),
                    path,
                ));
            }
        }
    }
}
