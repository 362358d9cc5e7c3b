//! The head's decision on a submitted brief: accept, return with comments, reject (the last two
//! confirmed in a dialog, after the reason is written).

use egui::{RichText, Ui};

use crate::domain::Field;
use crate::domain::FieldError;
use crate::domain::brief::Brief;
use crate::i18n::t;
use crate::store::Error;
use crate::ui::commands::{Command, Cx};
use crate::ui::widgets::{Confirm, confirm_ui, err_for, text_area_ui};

/// A decision waiting for confirmation.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Decision {
    Return,
    Reject,
}

/// The head's decision on a submitted brief: accept, return with comments, reject.
#[derive(Default)]
pub struct DecisionPanel {
    comment: String,
    errors: Vec<FieldError>,
    confirm: Option<Decision>,
}

impl DecisionPanel {
    /// Draws the panel; true when the brief changed.
    pub fn ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>, b: &Brief) -> bool {
        let mut changed = false;
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.set_width(ui.available_width().min(640.0));
            ui.label(RichText::new(t("brief.decision")).strong());
            text_area_ui(
                ui,
                &t("brief.comment"),
                &mut self.comment,
                err_for(&self.errors, Field::Comment),
                2,
            );
            ui.horizontal(|ui| {
                if b.status.awaiting_decision()
                    && ui
                        .button(RichText::new(t("brief.accept")).strong())
                        .on_hover_text(t("brief.accept_hover"))
                        .clicked()
                {
                    match cx.apply(Command::AcceptBrief(b.id, self.comment.clone())) {
                        Ok(_) => {
                            *self = Self::default();
                            changed = true;
                        }
                        Err(Error::Invalid(e)) => self.errors = vec![e],
                        Err(_) => {}
                    }
                }
                for (label, decision) in [
                    (t("brief.return"), Decision::Return),
                    (t("brief.reject"), Decision::Reject),
                ] {
                    if ui.button(label).clicked() {
                        // The reason is asked for before the confirmation, not after it.
                        if self.comment.trim().is_empty() {
                            self.errors = vec![FieldError::new(
                                crate::domain::Field::Comment,
                                "brief.err_comment",
                            )];
                        } else {
                            self.errors.clear();
                            self.confirm = Some(decision);
                        }
                    }
                }
            });
        });
        ui.add_space(8.0);
        changed
    }

    /// The confirmation dialog of a return or a rejection; true when the brief changed.
    pub fn confirm_ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>, id: i64) -> bool {
        let Some(decision) = self.confirm else {
            return false;
        };
        let (title, body, yes) = match decision {
            Decision::Return => (
                t("brief.return_title"),
                t("brief.return_body"),
                t("brief.return"),
            ),
            Decision::Reject => (
                t("brief.reject_title"),
                t("brief.reject_body"),
                t("brief.reject"),
            ),
        };
        match confirm_ui(ui, "confirm_brief_decision", &title, &body, &yes) {
            Confirm::Open => false,
            Confirm::No => {
                self.confirm = None;
                false
            }
            Confirm::Yes => {
                self.confirm = None;
                let cmd = match decision {
                    Decision::Return => Command::ReturnBrief(id, self.comment.clone()),
                    Decision::Reject => Command::RejectBrief(id, self.comment.clone()),
                };
                match cx.apply(cmd) {
                    Ok(_) => {
                        *self = Self::default();
                        true
                    }
                    Err(Error::Invalid(e)) => {
                        self.errors = vec![e];
                        false
                    }
                    Err(_) => false,
                }
            }
        }
    }
}
