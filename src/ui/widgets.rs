//! Small widgets every tab shares: labelled fields with their error, chips, empty states,
//! confirmation dialogs, and the toasts.

use egui::{Color32, RichText, Ui};

use super::commands::Nav;
use crate::domain::{Field, FieldError};
use crate::i18n::t;

/// The accent colour of the program.
pub const ACCENT: Color32 = Color32::from_rgb(0x1f, 0x5f, 0xad);
/// Red for errors.
pub const ERROR: Color32 = Color32::from_rgb(0xc6, 0x28, 0x28);
/// Green for success.
pub const SUCCESS: Color32 = Color32::from_rgb(0x2e, 0x7d, 0x32);

/// A field's label, and whether the field must be filled (marked with an asterisk that the
/// form's [`required_legend_ui`] explains). A `&str` is an optional field's label; [`req`]
/// marks a required one.
#[derive(Clone, Copy, Debug)]
pub struct FieldLabel<'a> {
    /// The words (the field's accessible name: the asterisk is not part of it).
    pub text: &'a str,
    /// Must be filled.
    pub required: bool,
}

impl<'a> From<&'a str> for FieldLabel<'a> {
    fn from(text: &'a str) -> Self {
        Self {
            text,
            required: false,
        }
    }
}

impl<'a> From<&'a String> for FieldLabel<'a> {
    fn from(text: &'a String) -> Self {
        Self::from(text.as_str())
    }
}

/// The label of a field that must be filled.
pub fn req(text: &str) -> FieldLabel<'_> {
    FieldLabel {
        text,
        required: true,
    }
}

/// A field's label above it: the words, and a red asterisk when the field is required.
/// Returns the words' response (the field is labelled by it).
pub fn label_ui(ui: &mut Ui, label: FieldLabel<'_>) -> egui::Response {
    if !label.required {
        return ui.label(label.text);
    }
    ui.horizontal(|ui| {
        ui.spacing_mut().item_spacing.x = 2.0;
        let l = ui.label(label.text);
        ui.label(RichText::new(REQUIRED_MARK).color(ERROR).strong())
            .on_hover_text(t("common.required"));
        l
    })
    .inner
}

/// The mark of a required field.
pub const REQUIRED_MARK: &str = "*";

/// The legend of the required mark, at the top of a form that has required fields.
pub fn required_legend_ui(ui: &mut Ui) {
    ui.label(
        RichText::new(crate::i18n::tf(
            "common.required_legend",
            &[("mark", &REQUIRED_MARK)],
        ))
        .small()
        .weak(),
    );
}

/// Asks the next labelled field drawn (text, date, password, area or drop-down) to take the
/// keyboard focus: a new form starts on its first field.
pub fn focus_next_field(ui: &Ui) {
    ui.ctx()
        .data_mut(|d| d.insert_temp(egui::Id::unique(FOCUS_NEXT), true));
}

const FOCUS_NEXT: &str = "widgets::focus_next_field";

/// Gives `r` the focus when [`focus_next_field`] asked for it.
fn take_focus_request(ui: &Ui, r: &egui::Response) {
    let id = egui::Id::unique(FOCUS_NEXT);
    if ui
        .ctx()
        .data_mut(|d| d.remove_temp::<bool>(id))
        .unwrap_or(false)
    {
        r.request_focus();
        r.scroll_to_me(None);
    }
}

/// Re-checks a form's errors after an edit, so an error goes away as soon as its field is
/// fixed: the errors of the fields in `changed` are replaced by what `fresh` (the form's
/// validation now) says of them; the other fields keep theirs (also errors only the store can
/// find, such as a user name already taken), and no new error appears while the user types.
pub fn revalidate(errors: &mut Vec<FieldError>, changed: &[Field], fresh: Vec<FieldError>) {
    if errors.is_empty() || changed.is_empty() {
        return;
    }
    let had: Vec<Field> = errors.iter().map(|e| e.field).collect();
    errors.retain(|e| !changed.contains(&e.field));
    errors.extend(
        fresh
            .into_iter()
            .filter(|e| changed.contains(&e.field) && had.contains(&e.field)),
    );
}

/// A labelled single-line text field; its error (if any) in red under it.
/// The label is the field's accessible name.
pub fn text_field_ui<'a>(
    ui: &mut Ui,
    label: impl Into<FieldLabel<'a>>,
    value: &mut String,
    error: Option<&str>,
) -> egui::Response {
    field_ui(ui, label.into(), value, false, error)
}

/// A labelled date field (`DD/MM/AAAA` shown while empty).
pub fn date_field_ui<'a>(
    ui: &mut Ui,
    label: impl Into<FieldLabel<'a>>,
    value: &mut String,
    error: Option<&str>,
) -> egui::Response {
    let l = label_ui(ui, label.into());
    let r = ui
        .add(
            egui::TextEdit::singleline(value)
                .hint_text(t("common.date_hint"))
                .desired_width(ui.available_width().min(200.0)),
        )
        .labelled_by(l.id);
    take_focus_request(ui, &r);
    if r.gained_focus() {
        r.scroll_to_me(None);
    }
    if let Some(e) = error {
        error_text_ui(ui, e);
    }
    ui.add_space(4.0);
    r
}

/// A labelled password field.
pub fn password_field_ui<'a>(
    ui: &mut Ui,
    label: impl Into<FieldLabel<'a>>,
    value: &mut String,
    error: Option<&str>,
) -> egui::Response {
    field_ui(ui, label.into(), value, true, error)
}

fn field_ui(
    ui: &mut Ui,
    label: FieldLabel<'_>,
    value: &mut String,
    password: bool,
    error: Option<&str>,
) -> egui::Response {
    let l = label_ui(ui, label);
    let mut edit = egui::TextEdit::singleline(value)
        .password(password)
        .desired_width(ui.available_width().min(360.0));
    if error.is_some() {
        edit = edit.text_color(ui.visuals().text_color());
    }
    let r = ui.add(edit).labelled_by(l.id);
    take_focus_request(ui, &r);
    if r.gained_focus() {
        r.scroll_to_me(None);
    }
    if let Some(e) = error {
        error_text_ui(ui, e);
    }
    ui.add_space(4.0);
    r
}

/// A message in red (a field's problem). When a form shows errors it did not show the frame
/// before (a failed save), the view scrolls to the first error of the form.
pub fn error_text_ui(ui: &mut Ui, text: &str) {
    let r = ui.label(RichText::new(text).color(ERROR).small());
    reveal_first_error(ui, &r, text);
}

/// The errors drawn in the last frames: to see when new ones appear and scroll to the first.
#[derive(Clone, Default)]
struct ShownErrors {
    pass: u64,
    this_pass: Vec<String>,
    last_pass: Vec<String>,
    /// A new error appeared: the first error drawn in the next pass is scrolled to.
    reveal: bool,
}

fn reveal_first_error(ui: &Ui, r: &egui::Response, text: &str) {
    let pass = ui.ctx().cumulative_pass_nr();
    let id = egui::Id::unique("widgets::shown_errors");
    let scroll = ui.ctx().data_mut(|d| {
        let s = d.get_temp_mut_or_default::<ShownErrors>(id);
        if s.pass != pass {
            // Errors drawn in the pass before this one; none when that pass drew no error.
            let last = std::mem::take(&mut s.this_pass);
            s.last_pass = if s.pass + 1 == pass { last } else { Vec::new() };
            s.pass = pass;
        }
        let first = s.this_pass.is_empty();
        s.this_pass.push(text.to_owned());
        if first && s.reveal {
            s.reveal = false;
            return true;
        }
        if !s.last_pass.iter().any(|t| t == text) {
            s.reveal = true;
        }
        false
    });
    if scroll {
        r.scroll_to_me(Some(egui::Align::Center));
    } else if ui
        .ctx()
        .data(|d| d.get_temp::<ShownErrors>(id))
        .is_some_and(|s| s.reveal)
    {
        ui.ctx().request_repaint();
    }
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

/// A grid's header row: each locale key's words in bold, then the end of the row.
pub fn header_row_ui(ui: &mut Ui, keys: &[&str]) {
    for key in keys {
        ui.strong(t(key));
    }
    ui.end_row();
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

/// A short message above the status bar.
#[derive(Debug, Clone)]
pub struct Toast {
    /// Success or error.
    pub kind: ToastKind,
    /// The text.
    pub text: String,
    /// When it appeared (egui time, seconds).
    pub shown_at: Option<f64>,
    /// The next step it tells of, as a button: its words and where it goes.
    pub link: Option<(String, Nav)>,
}

/// The messages waiting above the status bar.
#[derive(Debug, Default)]
pub struct Toasts {
    /// Oldest first.
    pub items: Vec<Toast>,
}

/// How long a success message stays (one that carries a next step stays longer).
const SUCCESS_SECS: f64 = 5.0;
const LINK_SECS: f64 = 15.0;

impl Toasts {
    /// Adds a success message.
    pub fn success(&mut self, text: impl Into<String>) {
        self.items.push(Toast {
            kind: ToastKind::Success,
            text: text.into(),
            shown_at: None,
            link: None,
        });
    }

    /// Adds a success message that tells the next step, with a button that goes there.
    pub fn success_with_link(
        &mut self,
        text: impl Into<String>,
        link: impl Into<String>,
        nav: Nav,
    ) {
        self.items.push(Toast {
            kind: ToastKind::Success,
            text: text.into(),
            shown_at: None,
            link: Some((link.into(), nav)),
        });
    }

    /// Adds an error message that stays until closed.
    pub fn error(&mut self, text: impl Into<String>) {
        self.items.push(Toast {
            kind: ToastKind::Error,
            text: text.into(),
            shown_at: None,
            link: None,
        });
    }

    /// Draws the toasts in a strip of their own above the status bar, right-aligned: the
    /// screen above gives them the room, so they never cover its buttons. Drawn before the
    /// screen (a toast added while it is drawn shows from the next frame). Returns where a
    /// toast's next-step button asks to go.
    pub fn ui(&mut self, ui: &mut Ui) -> Option<Nav> {
        let ctx = ui.ctx().clone();
        let now = ctx.input(|i| i.time);
        self.items.retain(|toast| {
            let secs = if toast.link.is_some() {
                LINK_SECS
            } else {
                SUCCESS_SECS
            };
            toast.kind == ToastKind::Error || toast.shown_at.is_none_or(|at| now - at < secs)
        });
        // The strip is drawn every frame, empty and flat when there is nothing to say: the
        // widgets after it keep their ids (and the keyboard focus) when a toast comes or goes.
        let empty = self.items.is_empty();
        let mut close = None;
        let mut go = None;
        let strip = egui::Panel::bottom("toasts")
            .show_separator_line(false)
            .resizable(false);
        let strip = if empty {
            strip.exact_size(0.0).frame(egui::Frame::NONE)
        } else {
            strip
                .min_size(0.0)
                .frame(egui::Frame::new().inner_margin(egui::Margin::symmetric(12, 4)))
        };
        strip.show(ui, |ui| {
            ui.with_layout(egui::Layout::top_down(egui::Align::Max), |ui| {
                for (i, toast) in self.items.iter_mut().enumerate() {
                    toast.shown_at.get_or_insert(now);
                    let color = match toast.kind {
                        ToastKind::Success => SUCCESS,
                        ToastKind::Error => ERROR,
                    };
                    egui::Frame::popup(ui.style())
                        .stroke(egui::Stroke::new(1.5, color))
                        .show(ui, |ui| {
                            ui.set_max_width(520.0);
                            ui.horizontal(|ui| {
                                ui.label(RichText::new(&toast.text).color(color));
                                if let Some((label, nav)) = &toast.link
                                    && ui.button(RichText::new(label).strong()).clicked()
                                {
                                    go = Some(*nav);
                                    close = Some(i);
                                }
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
        });
        if let Some(i) = close {
            self.items.remove(i);
        }
        if !empty {
            ctx.request_repaint_after(std::time::Duration::from_millis(500));
        }
        go
    }

    /// Whether a toast was added and not drawn yet (the frame must be redrawn to show it).
    pub fn waiting(&self) -> bool {
        self.items.iter().any(|t| t.shown_at.is_none())
    }
}

/// A drop-down with its label above it (like the text fields); the label is its accessible name.
pub fn combo_ui<'a>(
    ui: &mut Ui,
    label: impl Into<FieldLabel<'a>>,
    selected: impl Into<egui::WidgetText>,
    width: f32,
    add_contents: impl FnOnce(&mut Ui),
) -> egui::Response {
    let label = label.into();
    let l = label_ui(ui, label);
    let was_open = combo_was_open(ui, label.text);
    let r = egui::ComboBox::from_id_salt(label.text)
        .selected_text(selected)
        .width(width)
        .show_ui(ui, |ui| {
            add_contents(ui);
            close_on_enter(ui, was_open);
        })
        .response
        .labelled_by(l.id);
    take_focus_request(ui, &r);
    if r.gained_focus() {
        r.scroll_to_me(None);
    }
    ui.add_space(4.0);
    r
}

/// A key for the drop-down `id_salt`: what [`close_on_enter`] remembers of it.
fn combo_was_open(ui: &Ui, id_salt: &str) -> egui::Id {
    ui.make_persistent_id(id_salt).with("closes_on_enter")
}

/// A drop-down closes on Enter, as on Esc and on a click (once open: the Enter that opens it
/// does not close it). Called at the end of its contents, which are drawn while it is open.
fn close_on_enter(ui: &Ui, key: egui::Id) {
    let pass = ui.ctx().cumulative_pass_nr();
    let last: Option<u64> = ui.ctx().data(|d| d.get_temp(key));
    ui.ctx().data_mut(|d| d.insert_temp(key, pass));
    // Drawn in one of the last passes: it was open before this frame's keys.
    let was_open = last.is_some_and(|p| p < pass && pass - p <= 2);
    if was_open && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
        ui.close();
    }
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
        let was_open = combo_was_open(ui, label);
        let combo = egui::ComboBox::from_id_salt(label)
            .selected_text(selected)
            .width(width)
            .show_ui(ui, |ui| {
                add_contents(ui);
                close_on_enter(ui, was_open);
            })
            .response;
        let l = l.unwrap_or_else(|| ui.label(label));
        combo.labelled_by(l.id)
    })
    .inner
}

/// A labelled multi-line text field; its error (if any) in red under it.
pub fn text_area_ui<'a>(
    ui: &mut Ui,
    label: impl Into<FieldLabel<'a>>,
    value: &mut String,
    error: Option<&str>,
    rows: usize,
) -> egui::Response {
    let l = label_ui(ui, label.into());
    let r = ui
        .add(
            egui::TextEdit::multiline(value)
                .desired_rows(rows)
                .desired_width(ui.available_width().min(640.0)),
        )
        .labelled_by(l.id);
    take_focus_request(ui, &r);
    if r.gained_focus() {
        r.scroll_to_me(None);
    }
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
