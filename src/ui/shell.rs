//! The shell after login: top bar, tab bar (which tabs follow from the role), status bar.

use egui::{RichText, Ui};

use super::Prefs;
use super::commands::{Cx, Nav};
use super::guard;
pub use super::tabs::Tab;
use super::tabs::{self, TabView};
use super::widgets::{self, Toasts, chip_ui};
use crate::domain::{Actor, Settings, User, format};
use crate::i18n::{Lang, t, tf};
use crate::store::Store;

/// What the shell asks the app to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShellEvent {
    /// Nothing.
    None,
    /// Log out.
    Logout,
    /// The institution settings changed: reload them.
    SettingsChanged,
}

/// Where the user asked to go while the showing tab held unsaved changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Leave {
    /// Another tab.
    Tab(Tab),
    /// Log out.
    Logout,
    /// Close the window.
    Close,
    /// Go where a toast's next-step button points.
    Nav(Nav),
}

/// The logged-in screen.
pub struct Shell {
    /// Who is logged in.
    pub user: User,
    /// The same user as the store's actor.
    pub actor: Actor,
    /// The tab showing.
    pub tab: Tab,
    /// Every tab ([`tabs::all`]); the bar shows those the user's role sees.
    tabs: Vec<Box<dyn TabView>>,
    /// Asked to leave while the tab held unsaved changes: "¿Guardar los cambios?" shows.
    pub leaving: Option<Leave>,
    /// Where a toast's next-step button asked to go this frame (the app sets it).
    pub toast_nav: Option<Nav>,
}

impl Shell {
    /// The shell for a user, on the first tab that role sees.
    pub fn new(user: User, actor: Actor) -> Self {
        let tab = Tab::for_role(user.role)
            .first()
            .copied()
            .unwrap_or(Tab::MiCuenta);
        Self {
            user,
            actor,
            tab,
            tabs: tabs::all(),
            leaving: None,
            toast_nav: None,
        }
    }

    /// Whether the showing tab holds changes not saved yet.
    pub fn unsaved(&self) -> bool {
        self.tabs
            .iter()
            .find(|v| v.id() == self.tab)
            .is_some_and(|v| v.unsaved())
    }

    /// A request to close the window: true when it must wait (unsaved changes; the question
    /// shows, and the window closes once they are saved or discarded).
    pub fn hold_close(&mut self) -> bool {
        let hold = self.unsaved();
        if hold {
            self.leaving = Some(Leave::Close);
        }
        hold
    }

    /// A tab's name in the bar or the menu.
    fn label_of(&self, id: Tab) -> String {
        self.tabs
            .iter()
            .find(|v| v.id() == id)
            .map(|v| v.label())
            .unwrap_or_default()
    }

    /// Goes to a tab, asking first when the showing one holds unsaved work.
    fn go(&mut self, id: Tab, unsaved: bool) {
        if unsaved {
            self.leaving = Some(Leave::Tab(id));
        } else if let Some(view) = self.tabs.iter_mut().find(|v| v.id() == id) {
            // Other tabs may have changed its data.
            view.mark_stale();
            self.tab = id;
        }
    }

    /// The administrative tabs the role sees (users, catalogs, settings, mail, the account),
    /// in a menu at the right of the top bar: the procedure's tabs keep the bar to
    /// themselves and fit a 1024-wide laptop. The button shows selected while one of them is
    /// open, and names it.
    fn admin_menu_ui(&mut self, ui: &mut Ui, unsaved: bool) {
        let role = self.user.role;
        let ids: Vec<Tab> = self
            .tabs
            .iter()
            .filter(|v| v.visible_for(role) && v.id().is_admin())
            .map(|v| v.id())
            .collect();
        if ids.is_empty() {
            return;
        }
        let open = self.tab.is_admin();
        let title = if ids.iter().any(|t| t.manages_others()) {
            t("shell.admin_menu")
        } else {
            t("shell.account_menu")
        };
        let text = if open {
            RichText::new(format!("⚙ {} ▾", self.label_of(self.tab))).strong()
        } else {
            RichText::new(format!("⚙ {title} ▾"))
        };
        let button = egui::Button::new(text).selected(open);
        let mut chosen = None;
        egui::containers::menu::MenuButton::from_button(button).ui(ui, |ui| {
            for id in &ids {
                let selected = self.tab == *id;
                if ui.selectable_label(selected, self.label_of(*id)).clicked() {
                    chosen = Some(*id);
                    ui.close();
                }
            }
        });
        if let Some(id) = chosen
            && id != self.tab
        {
            self.go(id, unsaved);
        }
    }

    /// Draws the shell.
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        store: &Store,
        prefs: &mut Prefs,
        settings: &Settings,
        toasts: &mut Toasts,
        outside: super::Outside,
    ) -> ShellEvent {
        let mut event = ShellEvent::None;
        let unsaved = self.unsaved();
        // A toast's next step: like a tab, it asks first when the tab holds unsaved work.
        let mut toast_nav = self.toast_nav.take();
        if unsaved && let Some(nav) = toast_nav.take() {
            self.leaving = Some(Leave::Nav(nav));
        }
        egui::Panel::top("top_bar").show(ui, |ui| {
            ui.add_space(4.0);
            // The right side first: on a narrow window the left one (the department's name)
            // is cut short rather than drawn under the buttons.
            let name = self.user.name.clone();
            let role = self.user.role.label();
            let department = self.user.department.clone();
            egui::containers::Sides::new()
                .shrink_left()
                .truncate()
                .show(
                    ui,
                    |ui| {
                        ui.label(
                            RichText::new("Telemercadeo")
                                .size(18.0)
                                .strong()
                                .color(widgets::ACCENT),
                        );
                        ui.separator();
                        ui.label(RichText::new(&name).strong());
                        chip_ui(ui, &role, widgets::ACCENT);
                        if let Some(d) = &department {
                            ui.label(RichText::new(d).weak()).on_hover_text(d);
                        }
                    },
                    |ui| {
                        // Clicked, never reached by Tab: after Esc on a combo the next Tab and
                        // space must not log out.
                        if ui
                            .add(egui::Button::new(t("shell.logout")).sense(egui::Sense::CLICK))
                            .on_hover_text(t("shell.logout_hover"))
                            .clicked()
                        {
                            if unsaved {
                                self.leaving = Some(Leave::Logout);
                            } else {
                                event = ShellEvent::Logout;
                            }
                        }
                        prefs_ui(ui, prefs);
                        self.admin_menu_ui(ui, unsaved);
                    },
                );
            ui.add_space(2.0);
            // The procedure's tabs; the administrative ones are in the menu above. On a narrow
            // window the bar wraps to a second line rather than cutting the last ones off.
            ui.horizontal_wrapped(|ui| {
                ui.spacing_mut().item_spacing.x = 2.0;
                let role = self.user.role;
                let ids: Vec<Tab> = self
                    .tabs
                    .iter()
                    .filter(|v| v.visible_for(role) && !v.id().is_admin())
                    .map(|v| v.id())
                    .collect();
                for id in ids {
                    let selected = self.tab == id;
                    let text = RichText::new(self.label_of(id)).size(14.5);
                    let text = if selected { text.strong() } else { text };
                    if ui.selectable_label(selected, text).clicked() && !selected {
                        self.go(id, unsaved);
                    }
                }
            });
            ui.add_space(2.0);
        });

        egui::CentralPanel::default().show(ui, |ui| {
            let mut cx = Cx {
                store,
                actor: &self.actor,
                user: &mut self.user,
                settings,
                toasts,
                settings_changed: false,
                nav: None,
                dialog: outside.dialog,
                dial: outside.dial,
                logout: false,
            };
            let showing = self.tab;
            if let Some(view) = self.tabs.iter_mut().find(|v| v.id() == showing) {
                view.ui(ui, &mut cx);
            }
            // Navigation asked for by the tab (`Command::Open`) or a toast's next step, carried
            // out here only.
            if let Some(nav) = cx.nav.take().or(toast_nav)
                && let Some(view) = self.tabs.iter_mut().find(|v| v.id() == nav.tab())
            {
                self.tab = view.id();
                view.open(&mut cx, nav);
            }
            // Leaving with unsaved changes: save, discard or stay.
            if let Some(leave) = self.leaving
                && let Some(view) = self.tabs.iter_mut().find(|v| v.id() == self.tab)
            {
                let body = tf("unsaved.body", &[("what", &view.label())]);
                let go = match guard::leave_ui(ui.ctx(), &mut cx, view.as_mut(), &body) {
                    None => false,
                    Some(go) => {
                        self.leaving = None;
                        go
                    }
                };
                if go {
                    match leave {
                        Leave::Tab(tab) => {
                            if let Some(v) = self.tabs.iter_mut().find(|v| v.id() == tab) {
                                v.mark_stale();
                            }
                            self.tab = tab;
                        }
                        Leave::Logout => event = ShellEvent::Logout,
                        Leave::Close => ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close),
                        Leave::Nav(nav) => {
                            if let Some(v) = self.tabs.iter_mut().find(|v| v.id() == nav.tab()) {
                                self.tab = v.id();
                                v.open(&mut cx, nav);
                            }
                        }
                    }
                }
            } else if self.leaving.is_some() {
                self.leaving = None;
            }
            if cx.settings_changed {
                event = ShellEvent::SettingsChanged;
            }
            if cx.logout {
                event = ShellEvent::Logout;
            }
        });
        event
    }
}

/// Language switch and light/dark theme.
pub fn prefs_ui(ui: &mut Ui, prefs: &mut Prefs) {
    let label = if prefs.dark {
        t("shell.theme_light")
    } else {
        t("shell.theme_dark")
    };
    if ui
        .button(label)
        .on_hover_text(t("shell.theme_hover"))
        .clicked()
    {
        prefs.dark = !prefs.dark;
    }
    widgets::inline_combo_ui(
        ui,
        &t("shell.language"),
        prefs.lang.native_name(),
        90.0,
        |ui| {
            for lang in Lang::ALL {
                ui.selectable_value(&mut prefs.lang, lang, lang.native_name());
            }
        },
    );
}

/// The bottom bar: which database is open, and local date and time.
pub fn status_bar_ui(ui: &mut Ui, db_label: &str, settings: &Settings) {
    egui::Panel::bottom("status_bar").show(ui, |ui| {
        ui.horizontal(|ui| {
            ui.label(RichText::new(format!("{}: {db_label}", t("shell.database"))).small());
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                let ts = crate::domain::Clock::now(&crate::domain::SystemClock);
                // The clock shows minutes: a repaint every half minute keeps it true.
                ui.ctx()
                    .request_repaint_after(std::time::Duration::from_secs(30));
                ui.label(
                    RichText::new(format!(
                        "{} ({})",
                        format::datetime(ts, settings),
                        settings.time_zone
                    ))
                    .small(),
                );
            });
        });
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::domain::Role;

    #[test]
    fn every_tab_is_listed_once() {
        // A new variant must be added to `tabs::all`: this match stops compiling otherwise.
        let index = |t: Tab| match t {
            Tab::Solicitudes => 0,
            Tab::Estrategias => 1,
            Tab::MisLlamadas => 2,
            Tab::Seguimiento => 3,
            Tab::Indicadores => 4,
            Tab::Entrantes => 5,
            Tab::Guiones => 6,
            Tab::Campanas => 7,
            Tab::Consolidado => 8,
            Tab::Informes => 9,
            Tab::Usuarios => 10,
            Tab::Catalogos => 11,
            Tab::Configuracion => 12,
            Tab::Correo => 13,
            Tab::MiCuenta => 14,
        };
        let all = tabs::all();
        assert_eq!(all.len(), 15);
        for (i, view) in all.iter().enumerate() {
            assert_eq!(index(view.id()), i);
        }
    }

    #[test]
    fn tabs_follow_the_role() {
        let names = |r| Tab::for_role(r);
        use Tab::*;
        assert_eq!(
            names(Role::Jefe),
            vec![
                Solicitudes,
                Estrategias,
                Seguimiento,
                Indicadores,
                Entrantes,
                Guiones,
                Campanas,
                Consolidado,
                Informes,
                Usuarios,
                Catalogos,
                Configuracion,
                Correo,
                MiCuenta
            ]
        );
        assert_eq!(
            names(Role::Profesional),
            vec![
                Solicitudes,
                Estrategias,
                MisLlamadas,
                Seguimiento,
                Indicadores,
                Entrantes,
                Guiones,
                Campanas,
                Consolidado,
                Informes,
                Catalogos,
                Correo,
                MiCuenta
            ]
        );
        // An agent lands on the call tally, and sees its own figures.
        assert_eq!(
            names(Role::Auxiliar),
            vec![
                MisLlamadas,
                Seguimiento,
                Entrantes,
                Guiones,
                Consolidado,
                Correo,
                MiCuenta
            ]
        );
        assert_eq!(
            names(Role::Solicitante),
            vec![Solicitudes, Informes, MiCuenta]
        );
    }
}
