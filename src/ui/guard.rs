//! Work is never lost: the question asked before leaving changes that are not saved (another
//! tab, another brief, logging out, closing the window) — "Guardar / Descartar / Cancelar".

use crate::i18n::t;
use crate::ui::commands::Cx;
use crate::ui::tabs::TabView;

/// The answer to "¿Guardar los cambios?".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// Save them (a brief as a draft), then leave.
    Save,
    /// Drop them, then leave.
    Discard,
    /// Stay where the changes are (button, Esc or a click outside).
    Cancel,
}

/// The modal question; `None` while it waits for an answer. `body` says what holds the changes.
pub fn unsaved_ui(ctx: &egui::Context, body: &str) -> Option<Answer> {
    let mut answer = None;
    let modal = egui::Modal::new(egui::Id::unique("unsaved_changes")).show(ctx, |ui| {
        ui.set_max_width(440.0);
        ui.heading(t("unsaved.title"));
        ui.add_space(6.0);
        ui.label(body);
        ui.add_space(10.0);
        ui.horizontal(|ui| {
            if ui.button(t("unsaved.save")).clicked() {
                answer = Some(Answer::Save);
            }
            if ui.button(t("unsaved.discard")).clicked() {
                answer = Some(Answer::Discard);
            }
            if ui.button(t("common.cancel")).clicked() {
                answer = Some(Answer::Cancel);
            }
        });
    });
    if answer.is_none() && modal.should_close() {
        answer = Some(Answer::Cancel);
    }
    answer
}

/// Asks before leaving `view`'s unsaved work and carries out the answer: `None` while the
/// question waits; then `Some(true)` to go on (saved or discarded), `Some(false)` to stay
/// (Cancelar, or a save that failed and now shows its errors).
pub fn leave_ui(
    ctx: &egui::Context,
    cx: &mut Cx<'_>,
    view: &mut dyn TabView,
    body: &str,
) -> Option<bool> {
    Some(match unsaved_ui(ctx, body)? {
        Answer::Cancel => false,
        Answer::Save => view.save_unsaved(cx),
        Answer::Discard => {
            view.discard_unsaved();
            true
        }
    })
}
