//! File dialogs (rfd) behind one small function, [`Dialog`], that the app holds and hands to the
//! tabs in `Cx` (tests replace it), and the [`Chooser`] every open and save action uses: the
//! dialog when this desk can show one; otherwise — or when the dialog came back without a file —
//! a path field under the button ("o escriba la ruta"), with completion of folder names. Choosing
//! a file never fails silently. Tests also drop files onto the window as a user would.

use std::path::{Path, PathBuf};

use egui::{RichText, Ui};

use crate::i18n::{t, tf};
use crate::ui::widgets;

/// Open an existing file, or choose where to save one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Choose a file to read.
    Open,
    /// Choose where to write a file.
    Save,
}

/// What an open or save action asks for.
#[derive(Clone, Debug)]
pub struct Request {
    /// Open or save.
    pub mode: Mode,
    /// The dialog's title (the action's label).
    pub title: String,
    /// The name proposed when saving.
    pub default_name: String,
    /// The filter's name (`Excel`) and its extensions (`xlsx`).
    pub filter: (String, Vec<String>),
}

impl Request {
    /// A file to open, with a filter (`"Excel", &["xlsx"]`).
    pub fn open(title: &str, filter_name: &str, extensions: &[&str]) -> Self {
        Self {
            mode: Mode::Open,
            title: title.to_owned(),
            default_name: String::new(),
            filter: (
                filter_name.to_owned(),
                extensions.iter().map(|e| (*e).to_owned()).collect(),
            ),
        }
    }

    /// Where to save a file, proposing `default_name`.
    pub fn save(title: &str, default_name: &str, filter_name: &str, extensions: &[&str]) -> Self {
        Self {
            mode: Mode::Save,
            default_name: default_name.to_owned(),
            ..Self::open(title, filter_name, extensions)
        }
    }
}

/// No file dialog can be shown on this desk (no desktop portal and no `zenity`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Unavailable;

/// Shows a file dialog: `Ok(Some(path))` chosen, `Ok(None)` closed without a file,
/// `Err(Unavailable)` when none can be shown. The app holds [`native`]; tests set another.
pub type Dialog = fn(&Request) -> Result<Option<PathBuf>, Unavailable>;

/// The system's dialog (rfd).
pub fn native(req: &Request) -> Result<Option<PathBuf>, Unavailable> {
    let exts: Vec<&str> = req.filter.1.iter().map(String::as_str).collect();
    match req.mode {
        Mode::Open => pick_open(&req.title, (&req.filter.0, &exts)),
        Mode::Save => pick_save(&req.title, &req.default_name, (&req.filter.0, &exts)),
    }
}

/// A desk without any dialog (tests, or to try the path field).
pub fn unavailable(_: &Request) -> Result<Option<PathBuf>, Unavailable> {
    Err(Unavailable)
}

/// Asks for a file to open, with a filter (`("Excel", &["xlsx"])`).
pub fn pick_open(title: &str, filter: (&str, &[&str])) -> Result<Option<PathBuf>, Unavailable> {
    available()?;
    Ok(rfd::FileDialog::new()
        .set_title(title)
        .add_filter(filter.0, filter.1)
        .add_filter("*", &["*"])
        .pick_file())
}

/// Asks where to save a file, proposing `default_name`.
pub fn pick_save(
    title: &str,
    default_name: &str,
    filter: (&str, &[&str]),
) -> Result<Option<PathBuf>, Unavailable> {
    available()?;
    Ok(rfd::FileDialog::new()
        .set_title(title)
        .set_file_name(default_name)
        .add_filter(filter.0, filter.1)
        .save_file())
}

/// Whether rfd can show a dialog here. On Linux and the BSDs it asks the desktop portal over
/// D-Bus and falls back to `zenity`; with neither it only logs an error and returns nothing,
/// which cannot be told from a cancel — so look for them first.
fn available() -> Result<(), Unavailable> {
    #[cfg(all(unix, not(target_os = "macos")))]
    {
        if on_path("zenity") || portal_installed() {
            Ok(())
        } else {
            log::warn!("no file-chooser portal and no zenity: the path field is shown instead");
            Err(Unavailable)
        }
    }
    #[cfg(not(all(unix, not(target_os = "macos"))))]
    {
        Ok(())
    }
}

#[cfg(all(unix, not(target_os = "macos")))]
fn on_path(cmd: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(cmd).is_file()))
}

/// A session bus, the portal service and a portal backend that offers the file chooser.
#[cfg(all(unix, not(target_os = "macos")))]
fn portal_installed() -> bool {
    let bus = std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some()
        || std::env::var_os("XDG_RUNTIME_DIR").is_some_and(|d| Path::new(&d).join("bus").exists());
    let data_dirs = std::env::var("XDG_DATA_DIRS")
        .ok()
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| "/usr/local/share:/usr/share".to_owned());
    let dirs: Vec<PathBuf> = std::env::split_paths(&data_dirs).collect();
    let service = dirs.iter().any(|d| {
        d.join("dbus-1/services/org.freedesktop.portal.Desktop.service")
            .exists()
    });
    let chooser = dirs.iter().any(|d| {
        std::fs::read_dir(d.join("xdg-desktop-portal/portals"))
            .into_iter()
            .flatten()
            .flatten()
            .any(|e| {
                std::fs::read_to_string(e.path())
                    .is_ok_and(|s| s.contains("org.freedesktop.impl.portal.FileChooser"))
            })
    });
    bus && service && chooser
}

/// The user's home folder, where a typed path starts.
fn home() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .or_else(|| std::env::var_os("USERPROFILE"))
        .map(PathBuf::from)
}

/// `~/x` → the home folder's `x`.
fn expand(text: &str) -> PathBuf {
    let text = text.trim();
    match (text.strip_prefix("~/"), home()) {
        (Some(rest), Some(h)) => h.join(rest),
        _ if text == "~" => home().unwrap_or_default(),
        _ => PathBuf::from(text),
    }
}

/// A path typed after the dialog was closed or could not show.
struct Asked<T> {
    req: Request,
    tag: T,
    unavailable: bool,
    text: String,
    error: Option<String>,
    /// The text the completions were made for, and the completions (full texts).
    completions: Option<(String, Vec<String>)>,
}

/// One open or save action: the dialog, and the path field under its button when the dialog
/// cannot show or came back without a file. `T` tells the caller which of its files it was
/// (a brief file's id, the XLSX or the CSV).
pub struct Chooser<T = ()> {
    asked: Option<Asked<T>>,
}

impl<T> Default for Chooser<T> {
    fn default() -> Self {
        Self { asked: None }
    }
}

impl<T: Clone> Chooser<T> {
    /// Shows the dialog (call when the action's button is clicked). The path chosen, or `None`:
    /// then [`Chooser::ui`] shows the path field, saying why.
    pub fn ask(&mut self, dialog: Dialog, req: Request, tag: T) -> Option<(T, PathBuf)> {
        let unavailable = match dialog(&req) {
            Ok(Some(p)) => {
                self.asked = None;
                return Some((tag, p));
            }
            Ok(None) => false,
            Err(Unavailable) => true,
        };
        let mut text = home()
            .map(|h| format!("{}{}", h.display(), std::path::MAIN_SEPARATOR))
            .unwrap_or_default();
        if req.mode == Mode::Save {
            text.push_str(&req.default_name);
        }
        self.asked = Some(Asked {
            req,
            tag,
            unavailable,
            text,
            error: None,
            completions: None,
        });
        None
    }

    /// Whether the path field shows.
    pub fn is_open(&self) -> bool {
        self.asked.is_some()
    }

    /// Closes the path field.
    pub fn close(&mut self) {
        self.asked = None;
    }

    /// The path field, when the dialog could not show or came back without a file: the path
    /// typed (or pasted) once the user confirms it and it fits the action.
    pub fn ui(&mut self, ui: &mut Ui) -> Option<(T, PathBuf)> {
        let a = self.asked.as_mut()?;
        let mut chosen = None;
        let mut close = false;
        let color = if a.unavailable {
            widgets::WARNING
        } else {
            widgets::ACCENT
        };
        egui::Frame::new()
            .fill(color.gamma_multiply(0.10))
            .stroke(egui::Stroke::new(1.0, color.gamma_multiply(0.5)))
            .corner_radius(6.0)
            .inner_margin(8.0)
            .show(ui, |ui| {
                ui.set_width(ui.available_width().min(640.0));
                if a.unavailable {
                    ui.label(RichText::new(t("files.unavailable")).strong().color(color));
                    ui.label(t("files.unavailable_hint"));
                } else {
                    ui.label(RichText::new(t("files.or_type")).weak());
                }
                let l = ui.label(&a.req.title);
                let (verb, hint) = match a.req.mode {
                    Mode::Open => (t("files.open"), t("files.path_hint_open")),
                    Mode::Save => (t("files.save"), t("files.path_hint_save")),
                };
                let (field, confirm) = ui
                    .horizontal(|ui| {
                        let field = ui
                            .add(
                                egui::TextEdit::singleline(&mut a.text)
                                    .hint_text(hint)
                                    .desired_width((ui.available_width() - 200.0).max(200.0)),
                            )
                            .labelled_by(l.id);
                        let confirm = ui.button(&verb).clicked();
                        if ui.button(t("common.cancel")).clicked() {
                            close = true;
                        }
                        (field, confirm)
                    })
                    .inner;
                let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                if field.changed() {
                    a.error = None;
                }
                if let Some(e) = &a.error {
                    widgets::error_text_ui(ui, e);
                }
                // Completion: the folders (and, to open, the files) that start with what is typed.
                if a.completions
                    .as_ref()
                    .is_none_or(|(for_text, _)| *for_text != a.text)
                {
                    a.completions = Some((a.text.clone(), completions(&a.text, &a.req)));
                }
                let mut pick = None;
                if let Some((_, list)) = &a.completions
                    && !list.is_empty()
                {
                    ui.horizontal_wrapped(|ui| {
                        ui.label(RichText::new(t("files.completions")).weak().small());
                        for c in list {
                            let name = c
                                .trim_end_matches(std::path::MAIN_SEPARATOR)
                                .rsplit(std::path::MAIN_SEPARATOR)
                                .next()
                                .unwrap_or(c);
                            let shown = if c.ends_with(std::path::MAIN_SEPARATOR) {
                                format!("{name}{}", std::path::MAIN_SEPARATOR)
                            } else {
                                name.to_owned()
                            };
                            if ui.small_button(shown).clicked() {
                                pick = Some(c.clone());
                            }
                        }
                    });
                }
                if let Some(c) = pick {
                    a.text = c;
                    a.error = None;
                    field.request_focus();
                }
                if confirm || enter {
                    match checked(&a.text, &a.req) {
                        Ok(p) => chosen = Some((a.tag.clone(), p)),
                        Err(e) => a.error = Some(e),
                    }
                }
            });
        ui.add_space(4.0);
        if close || chosen.is_some() {
            self.asked = None;
        }
        chosen
    }
}

/// The typed path, if it fits the action: an existing file to open; to save, a file in an
/// existing folder (a folder alone gets the proposed name).
fn checked(text: &str, req: &Request) -> Result<PathBuf, String> {
    if text.trim().is_empty() {
        return Err(t("files.err_empty"));
    }
    let path = expand(text);
    let shown = path.display();
    match req.mode {
        Mode::Open if path.is_file() => Ok(path),
        Mode::Open if path.is_dir() => Err(tf("files.err_is_folder", &[("path", &shown)])),
        Mode::Open => Err(tf("files.err_not_found", &[("path", &shown)])),
        Mode::Save if path.is_dir() => Ok(path.join(&req.default_name)),
        Mode::Save => match path.parent() {
            Some(p) if p.as_os_str().is_empty() || p.is_dir() => Ok(path),
            Some(p) => Err(tf("files.err_no_folder", &[("path", &p.display())])),
            None => Err(tf("files.err_not_found", &[("path", &shown)])),
        },
    }
}

/// What can follow `text`: folders (ending in the separator) and, to open, files with one of the
/// request's extensions. At most ten, folders first.
fn completions(text: &str, req: &Request) -> Vec<String> {
    let sep = std::path::MAIN_SEPARATOR;
    let (dir_text, prefix) = match text.rfind(sep) {
        Some(i) => (&text[..=i], &text[i + 1..]),
        None => return Vec::new(),
    };
    let Ok(entries) = std::fs::read_dir(expand(dir_text)) else {
        return Vec::new();
    };
    let prefix_l = prefix.to_lowercase();
    let mut found: Vec<(bool, String)> = entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') && !prefix.starts_with('.') {
                return None;
            }
            if !name.to_lowercase().starts_with(&prefix_l) || name == prefix {
                return None;
            }
            let is_dir = e.path().is_dir();
            let ext_ok = || {
                let exts = &req.filter.1;
                exts.iter().any(|x| x == "*")
                    || Path::new(&name)
                        .extension()
                        .is_some_and(|x| exts.iter().any(|e| x.eq_ignore_ascii_case(e)))
            };
            if is_dir {
                Some((false, format!("{dir_text}{name}{sep}")))
            } else if req.mode == Mode::Open && ext_ok() {
                Some((true, format!("{dir_text}{name}")))
            } else {
                None
            }
        })
        .collect();
    found.sort();
    found.into_iter().take(10).map(|(_, s)| s).collect()
}

/// The files dropped onto the window this frame: (name, bytes). Unreadable ones are skipped.
pub fn dropped_files(ctx: &egui::Context) -> Vec<(String, Vec<u8>)> {
    ctx.input(|i| i.raw.dropped_files.clone())
        .into_iter()
        .filter_map(|f| {
            let name = f
                .path()
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            f.bytes().ok().map(|b| (name, b))
        })
        .collect()
}

/// A dropped file on disk, for tests that drop files onto the window.
#[derive(Debug)]
pub struct PathDrop(pub PathBuf);

impl egui::DroppedFile for PathDrop {
    fn path(&self) -> &std::path::Path {
        &self.0
    }
    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typed_path_is_checked_for_the_action() {
        let dir = std::env::temp_dir().join(format!("tm-files-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("Documentos")).expect("dir");
        std::fs::write(dir.join("base.csv"), "a").expect("file");
        let open = Request::open("x", "CSV", &["csv"]);
        let save = Request::save("x", "plantilla.xlsx", "Excel", &["xlsx"]);
        let d = |s: &str| format!("{}{}{s}", dir.display(), std::path::MAIN_SEPARATOR);
        assert_eq!(checked(&d("base.csv"), &open), Ok(dir.join("base.csv")));
        assert!(checked(&d("nada.csv"), &open).is_err());
        assert!(checked(&d("Documentos"), &open).is_err());
        assert!(checked("", &open).is_err());
        // A folder alone gets the proposed name; a missing folder is refused.
        assert_eq!(
            checked(&d("Documentos"), &save),
            Ok(dir.join("Documentos").join("plantilla.xlsx"))
        );
        assert!(checked(&d("no/x.xlsx"), &save).is_err());
        // Folders complete (with the separator), files only when opening and with the filter.
        assert_eq!(completions(&d("Doc"), &save), vec![d("Documentos/")]);
        assert_eq!(completions(&d("b"), &open), vec![d("base.csv")]);
        assert!(completions(&d("b"), &save).is_empty());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
