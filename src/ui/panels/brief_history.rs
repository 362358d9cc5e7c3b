//! A brief's changes of status: when, from → to, who, and the comment.

use egui::{RichText, Ui};

use crate::domain::brief::BriefEvent;
use crate::domain::format;
use crate::i18n::tf;

/// The brief's history, oldest first.
pub fn history_ui(ui: &mut Ui, history: &[BriefEvent], settings: &crate::domain::Settings) {
    for e in history {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(format::datetime(e.at, settings)).weak());
            match e.from {
                Some(from) => ui.label(format!("{} → {}", from.label(), e.to.label())),
                None => ui.label(e.to.label()),
            };
            let who = crate::domain::audit::who(&e.actor, e.actor_name.as_deref());
            let l = ui.label(RichText::new(&who).weak());
            if who != e.actor {
                l.on_hover_text(&e.actor);
            }
            if !e.comment.is_empty() {
                ui.label(RichText::new(tf("text.quoted", &[("text", &e.comment)])).italics());
            }
        });
    }
}
