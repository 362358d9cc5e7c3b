//! Small widgets every tab shares: labelled fields with their error, chips, empty states,
//! confirmation dialogs, and the toasts.

use egui::{Color32, RichText, Ui};

use crate::domain::{Field, FieldError};
use crate::i18n::t;

/// The accent colour of the program.
pub const ACCENT: Color32 = Color32::from_rgb(0x1f, 0x5f, 0xad);
/// Red for errors.
pub const ERROR: Color32 = Color32::from_rgb(0xc6, 0x28, 0x28);
/// Green for success.
pub const SUCCESS: Color32 = Color32::from_rgb(0x2e, 0x7d, 0x32);

/// A labelled single-line text field; its error (if any) in red under it.
/// The label is the field's accessible name.
pub fn text_field_ui(
    ui: &mut Ui,
    label: &str,
    value: &mut String,
    error: Option<&str>,
) -> egui::Response {
    field_ui(ui, label, value, false, error)
}

/// A labelled date field (`DD/MM/AAAA` shown while empty).
pub fn date_field_ui(
    ui: &mut Ui,
    label: &str,
    value: &mut String,
    error: Option<&str>,
) -> egui::Response {
    let l = ui.label(label);
    let r = ui
        .add(
            egui::TextEdit::singleline(value)
                .hint_text(t("common.date_hint"))
                .desired_width(ui.available_width().min(200.0)),
        )
        .labelled_by(l.id);
    if let Some(e) = error {
        error_text_ui(ui, e);
    }
    ui.add_space(4.0);
    r
}

/// A labelled password field.
pub fn password_field_ui(
    ui: &mut Ui,
    label: &str,
    value: &mut String,
    error: Option<&str>,
) -> egui::Response {
    field_ui(ui, label, value, true, error)
}

fn field_ui(
    ui: &mut Ui,
    label: &str,
    value: &mut String,
    password: bool,
    error: Option<&str>,
) -> egui::Response {
    let l = ui.label(label);
    let mut edit = egui::TextEdit::singleline(value)
        .password(password)
        .desired_width(ui.available_width().min(360.0));
    if error.is_some() {
        edit = edit.text_color(ui.visuals().text_color());
    }
    let r = ui.add(edit).labelled_by(l.id);
    if let Some(e) = error {
        error_text_ui(ui, e);
    }
    ui.add_space(4.0);
    r
}

/// A message in red (a field's problem).
pub fn error_text_ui(ui: &mut Ui, text: &str) {
    ui.label(RichText::new(text).color(ERROR).small());
}

/// The error for `field` among a form's errors.
pub fn err_for(errors: &[FieldError], field: Field) -> Option<&str> {
    errors
        .iter()
        .find(|e| e.field == field)
        .map(|e| e.message.as_str())
}

/// A status chip: a word on a tinted background (never colour alone).
pub fn chip_ui(ui: &mut Ui, text: &str, color: Color32) -> egui::Response {
    egui::Frame::new()
        .fill(color.gamma_multiply(0.18))
        .stroke(egui::Stroke::new(1.0, color.gamma_multiply(0.6)))
        .corner_radius(8.0)
        .inner_margin(egui::Margin::symmetric(6, 1))
        .show(ui, |ui| ui.label(RichText::new(text).small().color(color)))
        .response
}

/// An empty list says what to do next.
pub fn empty_state_ui(ui: &mut Ui, text: &str) {
    ui.add_space(24.0);
    ui.vertical_centered(|ui| {
        ui.label(RichText::new(text).weak());
    });
}

/// A section title.
pub fn section_ui(ui: &mut Ui, text: &str) {
    ui.add_space(6.0);
    ui.label(
        RichText::new(text)
            .heading()
            .color(ui.visuals().strong_text_color()),
    );
    ui.add_space(4.0);
}

/// What a confirmation dialog answered this frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confirm {
    /// Still open.
    Open,
    /// The user confirmed.
    Yes,
    /// The user cancelled (button, Esc or click outside).
    No,
}

/// A modal that says what will happen, with a confirm and a cancel button (Enter / Esc).
pub fn confirm_ui(ui: &mut Ui, id: &str, title: &str, body: &str, yes: &str) -> Confirm {
    let mut answer = Confirm::Open;
    let modal = egui::Modal::new(egui::Id::unique(id)).show(ui.ctx(), |ui| {
        ui.set_max_width(420.0);
        ui.heading(title);
        ui.add_space(6.0);
        ui.label(body);
        ui.add_space(10.0);
        ui.horizontal(|ui| {
            if ui.button(yes).clicked() || ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                answer = Confirm::Yes;
            }
            if ui.button(t("common.cancel")).clicked() {
                answer = Confirm::No;
            }
        });
    });
    if answer == Confirm::Open && modal.should_close() {
        answer = Confirm::No;
    }
    answer
}

/// How a toast looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ToastKind {
    /// A job went well; fades after a few seconds.
    Success,
    /// Something failed; stays until closed.
    Error,
}

/// A short message in the corner.
#[derive(Debug, Clone)]
pub struct Toast {
    /// Success or error.
    pub kind: ToastKind,
    /// The text.
    pub text: String,
    /// When it appeared (egui time, seconds).
    pub shown_at: Option<f64>,
}

/// The messages waiting in the corner.
#[derive(Debug, Default)]
pub struct Toasts {
    /// Oldest first.
    pub items: Vec<Toast>,
}

impl Toasts {
    /// Adds a success message.
    pub fn success(&mut self, text: impl Into<String>) {
        self.items.push(Toast {
            kind: ToastKind::Success,
            text: text.into(),
            shown_at: None,
        });
    }

    /// Adds an error message that stays until closed.
    pub fn error(&mut self, text: impl Into<String>) {
        self.items.push(Toast {
            kind: ToastKind::Error,
            text: text.into(),
            shown_at: None,
        });
    }

    /// Draws the toasts in the bottom-right corner.
    pub fn ui(&mut self, ctx: &egui::Context) {
        let now = ctx.input(|i| i.time);
        self.items.retain(|toast| {
            toast.kind == ToastKind::Error || toast.shown_at.is_none_or(|at| now - at < 5.0)
        });
        if self.items.is_empty() {
            return;
        }
        let mut close = None;
        egui::Area::new(egui::Id::unique("toasts"))
            .anchor(egui::Align2::RIGHT_BOTTOM, [-12.0, -36.0])
            .order(egui::Order::Foreground)
            .show(ctx, |ui| {
                for (i, toast) in self.items.iter_mut().enumerate() {
                    toast.shown_at.get_or_insert(now);
                    let color = match toast.kind {
                        ToastKind::Success => SUCCESS,
                        ToastKind::Error => ERROR,
                    };
                    egui::Frame::popup(ui.style())
                        .stroke(egui::Stroke::new(1.5, color))
                        .show(ui, |ui| {
                            ui.set_max_width(380.0);
                            ui.horizontal(|ui| {
                                ui.label(RichText::new(&toast.text).color(color));
                                if ui
                                    .small_button("×")
                                    .on_hover_text(t("common.close"))
                                    .clicked()
                                {
                                    close = Some(i);
                                }
                            });
                        });
                }
            });
        if let Some(i) = close {
            self.items.remove(i);
        }
        ctx.request_repaint_after(std::time::Duration::from_millis(500));
    }
}

/// A drop-down with its label above it (like the text fields); the label is its accessible name.
pub fn combo_ui(
    ui: &mut Ui,
    label: &str,
    selected: impl Into<egui::WidgetText>,
    width: f32,
    add_contents: impl FnOnce(&mut Ui),
) -> egui::Response {
    let l = ui.label(label);
    let r = egui::ComboBox::from_id_salt(label)
        .selected_text(selected)
        .width(width)
        .show_ui(ui, add_contents)
        .response
        .labelled_by(l.id);
    ui.add_space(4.0);
    r
}

/// A drop-down with its label to the left, for tool bars.
pub fn inline_combo_ui(
    ui: &mut Ui,
    label: &str,
    selected: impl Into<egui::WidgetText>,
    width: f32,
    add_contents: impl FnOnce(&mut Ui),
) -> egui::Response {
    // In a right-to-left bar the first widget added is the rightmost: add the combo first there.
    let rtl = ui.layout().prefer_right_to_left();
    ui.horizontal(|ui| {
        let l = (!rtl).then(|| ui.label(label));
        let combo = egui::ComboBox::from_id_salt(label)
            .selected_text(selected)
            .width(width)
            .show_ui(ui, add_contents)
            .response;
        let l = l.unwrap_or_else(|| ui.label(label));
        combo.labelled_by(l.id)
    })
    .inner
}

/// A labelled multi-line text field; its error (if any) in red under it.
pub fn text_area_ui(
    ui: &mut Ui,
    label: &str,
    value: &mut String,
    error: Option<&str>,
    rows: usize,
) -> egui::Response {
    let l = ui.label(label);
    let r = ui
        .add(
            egui::TextEdit::multiline(value)
                .desired_rows(rows)
                .desired_width(ui.available_width().min(640.0)),
        )
        .labelled_by(l.id);
    if let Some(e) = error {
        error_text_ui(ui, e);
    }
    ui.add_space(4.0);
    r
}

/// A read-only label/value grid row.
pub fn read_row_ui(ui: &mut Ui, label: &str, value: &str) {
    ui.label(RichText::new(label).weak());
    if value.trim().is_empty() {
        ui.label(RichText::new("—").weak());
    } else {
        ui.add(egui::Label::new(value).wrap());
    }
    ui.end_row();
}

/// A highlighted note (e.g. the head's comment on a returned brief).
pub fn callout_ui(ui: &mut Ui, title: &str, text: &str, color: Color32) {
    egui::Frame::new()
        .fill(color.gamma_multiply(0.10))
        .stroke(egui::Stroke::new(1.0, color.gamma_multiply(0.5)))
        .corner_radius(6.0)
        .inner_margin(8.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width().min(640.0));
            ui.label(RichText::new(title).strong().color(color));
            ui.label(text);
        });
    ui.add_space(6.0);
}

/// A warning colour (late briefs, things to look at).
pub const WARNING: Color32 = Color32::from_rgb(0xb2, 0x6a, 0x00);
