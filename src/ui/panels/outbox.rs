//! Correo saliente: the outbox as a list — status (pendiente / enviado / fallido with the
//! server's error), kind, recipient, subject, when queued, attempts — filtered by status, with
//! "Reenviar" for a failed message and the two hand-overs ("Abrir en el correo", a `mailto:`
//! link, and "Entregado a mano"). Above it, what the background sender last did, and where the
//! server asks for a password this machine does not keep, the field to give it for the session.

use egui::{RichText, Ui};
use egui_extras::{Column, TableBuilder};

use crate::domain::inbound::OutboxStatus;
use crate::domain::mail::{HandedOver, OutboxFilter, OutboxMessage, SmtpSettings, status_words};
use crate::domain::{Action, format};
use crate::i18n::{t, tf};
use crate::mail::background::{self, Round};
use crate::ui::commands::{Command, Cx};
use crate::ui::widgets::{self, ERROR, SUCCESS, WARNING, chip_ui, empty_state_ui, section_ui};

/// The outbox panel's state.
#[derive(Default)]
pub struct OutboxPanel {
    filter: OutboxFilter,
    list: Option<Vec<OutboxMessage>>,
    smtp: Option<SmtpSettings>,
    /// The last sender round seen (a new one reloads the list).
    seen: Option<Round>,
    /// The password typed for this session.
    password: String,
    /// The message whose body shows.
    open: Option<i64>,
}

fn status_color(s: OutboxStatus) -> egui::Color32 {
    match s {
        OutboxStatus::Pendiente => WARNING,
        OutboxStatus::Enviado => SUCCESS,
        OutboxStatus::Fallido => ERROR,
    }
}

impl OutboxPanel {
    /// Reads the list and the settings again the next time it shows.
    pub fn mark_stale(&mut self) {
        self.list = None;
        self.smtp = None;
    }

    /// Draws the panel.
    pub fn ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>) {
        let last = background::last();
        if last != self.seen {
            self.seen = last.clone();
            self.list = None;
        }
        if self.smtp.is_none() {
            self.smtp = cx.shown(cx.store.smtp_settings());
        }
        if self.list.is_none() {
            self.list = cx.shown(cx.store.outbox_list(cx.actor, &self.filter));
        }
        let smtp = self.smtp.clone().unwrap_or_default();
        section_ui(ui, &t("outbox.title"));
        ui.label(RichText::new(t("outbox.intro")).weak());
        ui.add_space(4.0);
        self.sender_ui(ui, cx, &smtp, last.as_ref());
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            ui.label(t("outbox.filter"));
            let mut pick = |ui: &mut Ui, value: Option<OutboxStatus>, text: String| {
                if ui
                    .selectable_label(self.filter.status == value, text)
                    .clicked()
                    && self.filter.status != value
                {
                    self.filter.status = value;
                    self.list = None;
                }
            };
            pick(ui, None, t("outbox.filter_all"));
            for s in OutboxStatus::ALL {
                pick(ui, Some(*s), s.label());
            }
            ui.add_space(12.0);
            if ui.button(t("common.refresh")).clicked() {
                self.mark_stale();
            }
            if smtp.is_configured()
                && background::running()
                && ui
                    .button(t("outbox.send_now"))
                    .on_hover_text(t("outbox.send_now_hover"))
                    .clicked()
            {
                background::wake();
            }
        });
        ui.add_space(4.0);
        let list = self.list.clone().unwrap_or_default();
        if list.is_empty() {
            empty_state_ui(ui, &t("outbox.empty"));
            return;
        }
        self.table_ui(ui, cx, &list, &smtp);
        if let Some(m) = self.open.and_then(|id| list.iter().find(|m| m.id == id)) {
            ui.add_space(8.0);
            ui.separator();
            ui.label(RichText::new(&m.subject).strong());
            ui.label(RichText::new(tf("outbox.to_line", &[("to", &m.to)])).weak());
            ui.label(
                RichText::new(tf("outbox.message_id", &[("id", &m.message_id())]))
                    .weak()
                    .small(),
            );
            for a in &m.attachments {
                ui.label(format!("📎 {}", a.file_name));
            }
            ui.add(egui::Label::new(&m.body).wrap());
        }
    }

    /// What the sender did last, or why it waits; the password field when it is missing here.
    fn sender_ui(
        &mut self,
        ui: &mut Ui,
        cx: &mut Cx<'_>,
        smtp: &SmtpSettings,
        last: Option<&Round>,
    ) {
        if !smtp.is_configured() {
            widgets::callout_ui(
                ui,
                &t("outbox.no_server_title"),
                &t("outbox.no_server"),
                WARNING,
            );
            return;
        }
        let server = format!("{}:{}", smtp.host, smtp.port);
        let missing = smtp.needs_password() && !crate::mail::secret::known(&smtp.account());
        if missing {
            let text = match crate::mail::secret::keyring_state() {
                Ok(()) => t("outbox.no_password"),
                Err(_) => t("smtp.no_keyring"),
            };
            widgets::callout_ui(ui, &t("outbox.no_password_title"), &text, WARNING);
            if cx.actor.can(Action::EditSettings) {
                ui.horizontal(|ui| {
                    let label = t("outbox.password");
                    widgets::password_field_ui(ui, label.as_str(), &mut self.password, None);
                    if ui.button(t("outbox.use_password")).clicked() && !self.password.is_empty() {
                        let kept = crate::mail::secret::remember(&smtp.account(), &self.password);
                        self.password.clear();
                        cx.toasts.success(match kept {
                            crate::mail::secret::Kept::Keyring => t("smtp.saved_keyring"),
                            crate::mail::secret::Kept::Session(_) => t("smtp.saved_session"),
                        });
                        background::wake();
                    }
                });
            }
            return;
        }
        let line = match last {
            Some(Round::Sent(at, s)) => tf(
                "outbox.last_round",
                &[
                    ("server", &server),
                    ("when", &format::datetime(*at, cx.settings)),
                    ("sent", &s.sent),
                    ("retry", &(s.retry + s.failed)),
                ],
            ),
            Some(Round::Failed(e)) => tf("outbox.round_failed", &[("error", e)]),
            Some(Round::NoPassword) => t("outbox.no_password"),
            Some(Round::NotConfigured) | None => {
                if background::running() {
                    tf("outbox.sender_waiting", &[("server", &server)])
                } else {
                    tf("outbox.sender_off", &[("server", &server)])
                }
            }
        };
        ui.label(RichText::new(line).weak());
    }

    fn table_ui(
        &mut self,
        ui: &mut Ui,
        cx: &mut Cx<'_>,
        list: &[OutboxMessage],
        smtp: &SmtpSettings,
    ) {
        let now = cx.store.now();
        let mut command = None;
        let mut open_url = None;
        TableBuilder::new(ui)
            .id_salt("outbox")
            .striped(true)
            .max_scroll_height(520.0)
            .column(Column::initial(150.0))
            .column(Column::initial(110.0))
            .column(Column::initial(190.0))
            .column(Column::initial(240.0).clip(true))
            .column(Column::initial(140.0))
            .column(Column::initial(60.0))
            .column(Column::remainder())
            .header(24.0, |mut h| {
                for key in [
                    "outbox.col_status",
                    "outbox.col_kind",
                    "outbox.col_to",
                    "outbox.col_subject",
                    "outbox.col_created",
                    "outbox.col_attempts",
                    "outbox.col_actions",
                ] {
                    h.col(|ui| {
                        ui.strong(t(key));
                    });
                }
            })
            .body(|body| {
                body.rows(30.0, list.len(), |mut row| {
                    let m = &list[row.index()];
                    row.col(|ui| {
                        let chip = chip_ui(ui, &status_words(m), status_color(m.status));
                        if let Some(e) = &m.last_error {
                            chip.on_hover_text(tf("outbox.last_error", &[("error", e)]));
                        }
                    });
                    row.col(|ui| {
                        ui.label(m.kind.label());
                    });
                    row.col(|ui| {
                        ui.label(&m.to);
                    });
                    row.col(|ui| {
                        let text = if m.attachments.is_empty() {
                            m.subject.clone()
                        } else {
                            tf(
                                "outbox.subject_files",
                                &[("subject", &m.subject), ("n", &m.attachments.len())],
                            )
                        };
                        let shown = self.open == Some(m.id);
                        if ui
                            .selectable_label(shown, text)
                            .on_hover_text(t("outbox.show_body"))
                            .clicked()
                        {
                            self.open = if shown { None } else { Some(m.id) };
                        }
                    });
                    row.col(|ui| {
                        ui.label(format::datetime(m.created_at, cx.settings));
                    });
                    row.col(|ui| {
                        ui.label(m.attempts.to_string());
                    });
                    row.col(|ui| {
                        ui.horizontal(|ui| {
                            if m.status == OutboxStatus::Fallido
                                && ui
                                    .button(t("outbox.resend"))
                                    .on_hover_text(m.last_error.clone().unwrap_or_default())
                                    .clicked()
                            {
                                command = Some(Command::ResendMessage(m.id));
                            }
                            if m.status != OutboxStatus::Enviado && !m.leased_at(now) {
                                let mail = ui.button(t("outbox.open_mail")).on_hover_text(
                                    if m.attachments.is_empty() {
                                        t("outbox.open_mail_hover")
                                    } else {
                                        t("outbox.open_mail_files")
                                    },
                                );
                                if mail.clicked() {
                                    command =
                                        Some(Command::HandOverMessage(m.id, HandedOver::Mailto));
                                    open_url = Some(m.mailto());
                                }
                                if ui
                                    .button(t("outbox.by_hand"))
                                    .on_hover_text(t("outbox.by_hand_hover"))
                                    .clicked()
                                {
                                    command =
                                        Some(Command::HandOverMessage(m.id, HandedOver::AMano));
                                }
                            }
                            if m.status == OutboxStatus::Pendiente && m.leased_at(now) {
                                ui.label(RichText::new(t("outbox.sending")).weak());
                            } else if m.status == OutboxStatus::Pendiente
                                && smtp.is_configured()
                                && let Some(at) = m.next_attempt_at.filter(|at| *at > now)
                            {
                                ui.label(
                                    RichText::new(tf(
                                        "outbox.next_attempt",
                                        &[("when", &format::datetime(at, cx.settings))],
                                    ))
                                    .weak(),
                                );
                            }
                        });
                    });
                });
            });
        if let Some(cmd) = command {
            let ok = cx.apply(cmd).is_ok();
            if ok && let Some(url) = open_url {
                ui.ctx().open_url(egui::OpenUrl::new_tab(url));
            }
            self.list = None;
        }
    }
}
