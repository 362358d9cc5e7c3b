//! The brief (record GF-MK-PR-01-01) as a read-only grid of its fields.

use egui::Ui;

use crate::domain::brief::{Brief, FIELDS};
use crate::i18n::t;
use crate::ui::widgets::read_row_ui;

/// The brief's fields as a read-only grid.
pub fn brief_record_ui(ui: &mut Ui, b: &Brief) {
    egui::Grid::new(("brief_record", b.id))
        .num_columns(2)
        .spacing([16.0, 6.0])
        .striped(true)
        .show(ui, |ui| {
            for (code, key) in FIELDS {
                read_row_ui(ui, &t(key), &b.form.field_text(code, &b.department));
            }
        });
}
