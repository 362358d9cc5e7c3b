//! The eframe application: first run, login, and the shell with one tab per part of the procedure.
//! The GUI never writes SQL: tabs send commands applied through the store by
//! [`commands::Cx::apply`]; the first-run and login screens send an [`commands::Entry`].

pub mod commands;
pub mod dial;
pub mod files;
pub mod guard;
pub mod login;
pub mod panels;
pub mod shell;
pub mod tabs;
pub mod widgets;

use std::process::ExitCode;

use crate::domain::{Actor, Settings, User};
use crate::i18n::{self, Lang, t};
use crate::store::{Store, Target};
use commands::{Entry, EntryRefused};
use login::{FirstRunForm, LoginForm};
use shell::Shell;
use widgets::Toasts;

/// Preferences of this desk, remembered between runs (window size and position too, by eframe).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Prefs {
    /// Language of the interface.
    pub lang: Lang,
    /// Dark theme.
    pub dark: bool,
}

impl Default for Prefs {
    fn default() -> Self {
        Self {
            lang: Lang::Es,
            dark: false,
        }
    }
}

/// Which screen is showing.
pub enum Screen {
    /// The database could not be opened: say why.
    Fatal(String),
    /// No user yet: create the marketing head.
    FirstRun(FirstRunForm),
    /// Log in.
    Login(LoginForm),
    /// Logged in.
    Main(Box<Shell>),
}

/// What the window asks of the desktop: a file dialog, a dial. The system's in the program,
/// others in tests.
#[derive(Clone, Copy)]
pub struct Outside {
    /// The file dialog.
    pub dialog: files::Dialog,
    /// How "Llamar" dials.
    pub dial: dial::Dialer,
}

/// The whole program's window.
pub struct App {
    /// The data (none when it could not be opened).
    pub store: Option<Store>,
    /// What shows now.
    pub screen: Screen,
    /// This desk's preferences.
    pub prefs: Prefs,
    /// Institution settings, reloaded when saved.
    pub settings: Settings,
    /// Messages in the corner.
    pub toasts: Toasts,
    /// The file dialog: the system's, or in tests one that says none can show.
    pub dialog: files::Dialog,
    /// How "Llamar" dials: the system's, or in tests one that records.
    pub dial: dial::Dialer,
    style_applied: Option<bool>,
}

impl App {
    /// The app over an open store: first-run screen on an empty database, else login.
    pub fn new(store: Store) -> Self {
        let (screen, settings) = match (store.user_count(), store.settings()) {
            (Ok(0), Ok(s)) => (Screen::FirstRun(FirstRunForm::default()), s),
            (Ok(_), Ok(s)) => (Screen::Login(LoginForm::default()), s),
            (Err(e), _) | (_, Err(e)) => (Screen::Fatal(e.to_string()), Settings::default()),
        };
        Self {
            store: Some(store),
            screen,
            prefs: Prefs::default(),
            settings,
            toasts: Toasts::default(),
            dialog: files::native,
            dial: dial::native,
            style_applied: None,
        }
    }

    /// The app when the database could not be opened.
    pub fn failed(message: String) -> Self {
        Self {
            store: None,
            screen: Screen::Fatal(message),
            prefs: Prefs::default(),
            settings: Settings::default(),
            toasts: Toasts::default(),
            dialog: files::native,
            dial: dial::native,
            style_applied: None,
        }
    }

    /// The logged-in user, if any.
    pub fn current_user(&self) -> Option<&User> {
        match &self.screen {
            Screen::Main(shell) => Some(&shell.user),
            _ => None,
        }
    }

    /// Opens the shell for a user who just logged in.
    pub fn enter(&mut self, user: User) {
        let actor = Actor::User {
            id: user.id,
            login: user.login.clone(),
            role: user.role,
            department_id: user.department_id,
        };
        set_desk_user(&user.login);
        self.screen = Screen::Main(Box::new(Shell::new(user, actor)));
    }

    /// Logs out to the login screen.
    pub fn logout(&mut self) {
        set_desk_user("");
        self.screen = Screen::Login(LoginForm::default());
    }

    fn apply_style(&mut self, ctx: &egui::Context) {
        if self.style_applied == Some(self.prefs.dark) {
            return;
        }
        if self.style_applied.is_none() {
            // The default font lacks symbols such as → or ✓: DejaVu Sans fills them in.
            let families = [egui::FontFamily::Proportional, egui::FontFamily::Monospace]
                .into_iter()
                .map(|family| egui::epaint::text::InsertFontFamily {
                    family,
                    priority: egui::epaint::text::FontPriority::Lowest,
                })
                .collect();
            ctx.add_font(egui::epaint::text::FontInsert {
                name: "DejaVuSans".to_owned(),
                data: egui::FontData::from_static(crate::assets::DEJAVU_SANS),
                families,
            });
        }
        self.style_applied = Some(self.prefs.dark);
        ctx.set_theme(if self.prefs.dark {
            egui::Theme::Dark
        } else {
            egui::Theme::Light
        });
        ctx.all_styles_mut(|style| {
            use egui::{FontId, TextStyle};
            style
                .text_styles
                .insert(TextStyle::Body, FontId::proportional(14.5));
            style
                .text_styles
                .insert(TextStyle::Button, FontId::proportional(14.5));
            style
                .text_styles
                .insert(TextStyle::Small, FontId::proportional(12.0));
            style
                .text_styles
                .insert(TextStyle::Heading, FontId::proportional(20.0));
            style
                .text_styles
                .insert(TextStyle::Monospace, FontId::monospace(13.5));
            style.spacing.item_spacing = egui::vec2(8.0, 6.0);
            style.spacing.button_padding = egui::vec2(10.0, 4.0);
            style.spacing.interact_size.y = 26.0;
            style.visuals.selection.bg_fill = widgets::ACCENT;
            style.visuals.selection.stroke = egui::Stroke::new(1.0, egui::Color32::WHITE);
            style.visuals.hyperlink_color = widgets::ACCENT;
        });
    }

    /// Draws one frame. The real window and the tests both call this.
    pub fn ui(&mut self, ui: &mut egui::Ui) {
        i18n::set_lang(self.prefs.lang);
        self.apply_style(ui.ctx());
        let db_label = self
            .store
            .as_ref()
            .map(|s| s.target().label())
            .unwrap_or_default();
        shell::status_bar_ui(ui, &db_label, &self.settings);
        // Above the status bar, in a strip of their own: they never cover the screen's buttons.
        let toast_nav = self.toasts.ui(ui);

        // Closing the window with unsaved changes waits for the answer to "¿Guardar los cambios?".
        if ui.input(|i| i.viewport().close_requested())
            && let Screen::Main(shell) = &mut self.screen
            && shell.hold_close()
        {
            ui.ctx()
                .send_viewport_cmd(egui::ViewportCommand::CancelClose);
        }
        let mut next: Option<Transition> = None;
        let mut entry: Option<Entry> = None;
        match (&mut self.screen, &self.store) {
            (Screen::Fatal(msg), _) => login::fatal_ui(ui, msg),
            (Screen::FirstRun(form), Some(_)) => entry = form.ui(ui, &mut self.prefs),
            (Screen::Login(form), Some(_)) => entry = form.ui(ui, &mut self.prefs),
            (Screen::Main(shell), Some(store)) => {
                shell.toast_nav = toast_nav;
                match shell.ui(
                    ui,
                    store,
                    &mut self.prefs,
                    &self.settings,
                    &mut self.toasts,
                    Outside {
                        dialog: self.dialog,
                        dial: self.dial,
                    },
                ) {
                    shell::ShellEvent::None => {}
                    shell::ShellEvent::Logout => next = Some(Transition::Logout),
                    shell::ShellEvent::SettingsChanged => {
                        if let Ok(s) = store.settings() {
                            self.settings = s;
                        }
                    }
                }
            }
            (_, None) => login::fatal_ui(ui, &t("store.err_no_store")),
        }
        // The first run and the login, applied in one place.
        if let (Some(entry), Some(store)) = (entry, &self.store) {
            match (entry.apply(store, &mut self.toasts), &mut self.screen) {
                (Ok(user), _) => next = Some(Transition::Enter(user)),
                (Err(EntryRefused::FirstHead(e)), Screen::FirstRun(form)) => form.refused(e),
                (Err(EntryRefused::LogIn(e)), Screen::Login(form)) => {
                    form.refused(e, ui.input(|i| i.time));
                }
                (Err(_), _) => {}
            }
        }
        match next {
            Some(Transition::Enter(user)) => self.enter(user),
            Some(Transition::Logout) => self.logout(),
            None => {}
        }
        if self.toasts.waiting() {
            ui.ctx().request_repaint();
        }
    }
}

enum Transition {
    Enter(User),
    Logout,
}

impl eframe::App for App {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        App::ui(self, ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, "prefs", &self.prefs);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        // This desk no longer has the database open (a restore elsewhere may go ahead).
        if let Some(store) = &self.store
            && let Err(e) = store.desk_leave()
        {
            log::warn!("desk: {e}");
        }
    }
}

/// Who is logged in at this desk, for the other desks' "who has the database open".
static DESK_USER: std::sync::Mutex<String> = std::sync::Mutex::new(String::new());

fn set_desk_user(login: &str) {
    let mut u = DESK_USER.lock().unwrap_or_else(|e| e.into_inner());
    login.clone_into(&mut u);
}

/// This desk, on its own connection and thread: registered as having the database open and
/// refreshed every [`Store::DESK_BEAT`] while the window is open; and, on the first start of
/// the day, the automatic backup (another desk starting at the same time finds the day taken).
fn start_desk(store: &Store) {
    let Ok(store) = store.connect_again() else {
        return;
    };
    let spawned = std::thread::Builder::new()
        .name("desk".into())
        .spawn(move || {
            let beat = |store: &Store| {
                let user = DESK_USER.lock().unwrap_or_else(|e| e.into_inner()).clone();
                if let Err(e) = store.desk_beat(&user) {
                    log::warn!("desk: {e}");
                }
            };
            beat(&store);
            match store.auto_backup() {
                Ok(Some(path)) => log::info!("automatic backup: {}", path.display()),
                Ok(None) => {}
                Err(e) => log::warn!("automatic backup failed: {e}"),
            }
            loop {
                std::thread::sleep(Store::DESK_BEAT);
                beat(&store);
            }
        });
    if let Err(e) = spawned {
        log::warn!("desk thread not started: {e}");
    }
}

/// Opens the window on `target`. The window's size and position are remembered by eframe.
pub fn run_native(target: Target) -> ExitCode {
    let icon = eframe::icon_data::from_png_bytes(crate::assets::ICON_PNG).ok();
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("Telemercadeo")
        .with_app_id("telemercadeo")
        .with_inner_size([1280.0, 720.0])
        .with_min_inner_size([1000.0, 640.0]);
    if let Some(icon) = icon {
        viewport = viewport.with_icon(icon);
    }
    let options = eframe::NativeOptions {
        viewport,
        persist_window: true,
        ..Default::default()
    };
    let result = eframe::run_native(
        "Telemercadeo",
        options,
        Box::new(move |cc| {
            let mut app = match Store::open(&target) {
                Ok(store) => {
                    // The outbox's sender: every 30 s while the window is open, on its own
                    // connection. Without it, messages wait (the outbox screen says so).
                    let ctx = cc.egui_ctx.clone();
                    if let Err(e) = crate::mail::background::start(&store, move || {
                        ctx.request_repaint();
                    }) {
                        log::warn!("outbox sender not started: {e}");
                    }
                    start_desk(&store);
                    App::new(store)
                }
                Err(e) => App::failed(e.to_string()),
            };
            if let Some(prefs) = cc
                .storage
                .and_then(|s| eframe::get_value::<Prefs>(s, "prefs"))
            {
                app.prefs = prefs;
            }
            Ok(Box::new(app))
        }),
    );
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{}: {e}", t("cli.error"));
            ExitCode::from(crate::cli::EXIT_FAILED)
        }
    }
}
