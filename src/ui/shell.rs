//! The shell after login: top bar, tab bar (which tabs follow from the role), status bar.

use egui::{RichText, Ui};

use super::Prefs;
use super::commands::Cx;
use super::tabs::{
    AccountTab, BriefsTab, CampaignsTab, CatalogsTab, ScriptsTab, SettingsTab, StrategiesTab,
    UsersTab,
};
use super::widgets::{self, Toasts, chip_ui};
use crate::domain::{Action, Actor, Role, Settings, User, format};
use crate::i18n::{Lang, t};
use crate::store::Store;

/// A tab of the shell. Later issues add the procedure's tabs before the administrative ones.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Tab {
    /// Briefs (record GF-MK-PR-01-01).
    Solicitudes,
    /// The head's decisions and strategies; the professional's assigned strategies.
    Estrategias,
    /// Campaign scripts.
    Guiones,
    /// Campaigns.
    Campanas,
    /// Users: add, edit, deactivate, reset passwords (head).
    Usuarios,
    /// Departments, programs and services, dispositions (head, professional).
    Catalogos,
    /// Institution settings and the audit log (head).
    Configuracion,
    /// The user's own account.
    MiCuenta,
}

impl Tab {
    /// Every tab, in the order of the tab bar.
    pub const ALL: [Tab; 8] = [
        Tab::Solicitudes,
        Tab::Estrategias,
        Tab::Guiones,
        Tab::Campanas,
        Tab::Usuarios,
        Tab::Catalogos,
        Tab::Configuracion,
        Tab::MiCuenta,
    ];

    /// The tab's name in the tab bar.
    pub fn label(self) -> String {
        t(match self {
            Tab::Solicitudes => "tab.briefs",
            Tab::Estrategias => "tab.strategies",
            Tab::Guiones => "tab.scripts",
            Tab::Campanas => "tab.campaigns",
            Tab::Usuarios => "tab.users",
            Tab::Catalogos => "tab.catalogs",
            Tab::Configuracion => "tab.settings",
            Tab::MiCuenta => "tab.account",
        })
    }

    /// Whether a role sees this tab (`UX.md`, "The tabs and who sees them").
    pub fn visible_for(self, role: Role) -> bool {
        let p = |a| crate::domain::perm::allowed(role, a);
        match self {
            Tab::Solicitudes => p(Action::SubmitBriefs) || p(Action::ViewAllBriefs),
            Tab::Estrategias => p(Action::DecideBriefs) || p(Action::RunCampaigns),
            Tab::Guiones => p(Action::ViewAllBriefs) || p(Action::RecordCalls),
            Tab::Campanas => p(Action::ViewAllBriefs),
            Tab::Usuarios => p(Action::ManageUsers),
            Tab::Catalogos => p(Action::ManageCatalogs),
            Tab::Configuracion => p(Action::EditSettings),
            Tab::MiCuenta => true,
        }
    }

    /// The tabs a role sees, in order.
    pub fn for_role(role: Role) -> Vec<Tab> {
        Tab::ALL
            .into_iter()
            .filter(|t| t.visible_for(role))
            .collect()
    }
}

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

/// The logged-in screen.
pub struct Shell {
    /// Who is logged in.
    pub user: User,
    /// The same user as the store's actor.
    pub actor: Actor,
    /// The tab showing.
    pub tab: Tab,
    /// Solicitudes.
    pub briefs: BriefsTab,
    /// Estrategias.
    pub strategies: StrategiesTab,
    /// Guiones.
    pub scripts: ScriptsTab,
    /// Campañas.
    pub campaigns: CampaignsTab,
    users: UsersTab,
    catalogs: CatalogsTab,
    settings: SettingsTab,
    account: AccountTab,
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
            briefs: BriefsTab::default(),
            strategies: StrategiesTab::default(),
            scripts: ScriptsTab::default(),
            campaigns: CampaignsTab::default(),
            users: UsersTab::default(),
            catalogs: CatalogsTab::default(),
            settings: SettingsTab::default(),
            account: AccountTab::default(),
        }
    }

    /// Makes a tab reload its data the next time it shows (other tabs may have changed it).
    fn refresh_tab(&mut self, tab: Tab) {
        match tab {
            Tab::Solicitudes => self.briefs.mark_stale(),
            Tab::Estrategias => self.strategies.mark_stale(),
            Tab::Guiones => self.scripts.mark_stale(),
            Tab::Campanas => self.campaigns.mark_stale(),
            _ => {}
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
    ) -> ShellEvent {
        let mut event = ShellEvent::None;
        egui::Panel::top("top_bar").show(ui, |ui| {
            ui.add_space(4.0);
            ui.horizontal(|ui| {
                ui.label(
                    RichText::new("Telemercadeo")
                        .size(18.0)
                        .strong()
                        .color(widgets::ACCENT),
                );
                ui.separator();
                ui.label(RichText::new(&self.user.name).strong());
                chip_ui(ui, &self.user.role.label(), widgets::ACCENT);
                if let Some(d) = &self.user.department {
                    ui.label(RichText::new(d).weak());
                }
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    if ui
                        .button(t("shell.logout"))
                        .on_hover_text(t("shell.logout_hover"))
                        .clicked()
                    {
                        event = ShellEvent::Logout;
                    }
                    prefs_ui(ui, prefs);
                });
            });
            ui.add_space(2.0);
            ui.horizontal(|ui| {
                for tab in Tab::for_role(self.user.role) {
                    let selected = self.tab == tab;
                    let text = RichText::new(tab.label()).size(15.5);
                    let text = if selected { text.strong() } else { text };
                    if ui.selectable_label(selected, text).clicked() {
                        if self.tab != tab {
                            self.refresh_tab(tab);
                        }
                        self.tab = tab;
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
            };
            match self.tab {
                Tab::Solicitudes => self.briefs.ui(ui, &mut cx),
                Tab::Estrategias => self.strategies.ui(ui, &mut cx),
                Tab::Guiones => self.scripts.ui(ui, &mut cx),
                Tab::Campanas => self.campaigns.ui(ui, &mut cx),
                Tab::Usuarios => self.users.ui(ui, &mut cx),
                Tab::Catalogos => self.catalogs.ui(ui, &mut cx),
                Tab::Configuracion => self.settings.ui(ui, &mut cx),
                Tab::MiCuenta => self.account.ui(ui, &mut cx),
            }
            if let Some(id) = self.strategies.open_campaign.take() {
                self.tab = Tab::Campanas;
                self.campaigns.select(&mut cx, id);
            }
            if cx.settings_changed {
                event = ShellEvent::SettingsChanged;
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

    #[test]
    fn every_tab_is_listed_once() {
        // A new variant must be added to ALL: this match stops compiling otherwise.
        let index = |t: Tab| match t {
            Tab::Solicitudes => 0,
            Tab::Estrategias => 1,
            Tab::Guiones => 2,
            Tab::Campanas => 3,
            Tab::Usuarios => 4,
            Tab::Catalogos => 5,
            Tab::Configuracion => 6,
            Tab::MiCuenta => 7,
        };
        for (i, t) in Tab::ALL.into_iter().enumerate() {
            assert_eq!(index(t), i);
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
                Guiones,
                Campanas,
                Usuarios,
                Catalogos,
                Configuracion,
                MiCuenta
            ]
        );
        assert_eq!(
            names(Role::Profesional),
            vec![
                Solicitudes,
                Estrategias,
                Guiones,
                Campanas,
                Catalogos,
                MiCuenta
            ]
        );
        assert_eq!(names(Role::Auxiliar), vec![Guiones, MiCuenta]);
        assert_eq!(names(Role::Solicitante), vec![Solicitudes, MiCuenta]);
    }
}
