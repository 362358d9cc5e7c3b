//! One file per tab. Every tab is a [`TabView`]; [`all`] is the one list of them, in the order
//! of the tab bar. Parts shared between tabs live in [`super::panels`].

mod account;
pub mod briefs;
mod calls;
mod campaigns;
mod catalogs;
mod inbound;
mod indicators;
mod outbox;
mod reports;
pub mod scripts;
mod settings;
pub mod strategies;
mod tracking;
mod users;
mod weekly;

pub use account::AccountTab;
pub use briefs::BriefsTab;
pub use calls::CallsTab;
pub use campaigns::CampaignsTab;
pub use catalogs::CatalogsTab;
pub use inbound::InboundTab;
pub use indicators::IndicatorsTab;
pub use outbox::OutboxTab;
pub use reports::ReportsTab;
pub use scripts::ScriptsTab;
pub use settings::SettingsTab;
pub use strategies::StrategiesTab;
pub use tracking::TrackingTab;
pub use users::UsersTab;
pub use weekly::WeeklyTab;

use egui::Ui;

use super::commands::{Cx, Nav};
use crate::domain::Role;

/// Which tab: the identity of a [`TabView`] (what the shell shows, where a [`Nav`] goes).
/// Later issues add the procedure's tabs before the administrative ones.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Tab {
    /// Briefs (record GF-MK-PR-01-01).
    Solicitudes,
    /// The head's decisions and strategies; the professional's assigned strategies.
    Estrategias,
    /// The call tally: the next contact, the script, the outcome (agents, the professional).
    MisLlamadas,
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
    /// The live tally of a campaign, per agent (an agent: its own figures).
    Seguimiento,
    /// The weekly consolidated report (an agent: its own report).
    Consolidado,
    /// Correo saliente: the outbox (head, professional; an agent its own messages).
    Correo,
    /// Indicadores: the dashboards of one campaign or of every campaign (head, professional).
    Indicadores,
    /// Inbound calls: register them, hand them over, the recent list (agents, the
    /// professional; the head reads).
    Entrantes,
    /// Informes y archivo: the results reports and the archive of records (head,
    /// professional; a solicitante its own department's records).
    Informes,
}

impl Tab {
    /// Whether it is an administrative tab (users, catalogs, settings, mail, the account):
    /// those sit in the menu at the right of the top bar, not in the tab bar.
    pub fn is_admin(self) -> bool {
        matches!(
            self,
            Tab::Usuarios | Tab::Catalogos | Tab::Configuracion | Tab::Correo | Tab::MiCuenta
        )
    }

    /// Whether it administers the program for others (the menu is then "Administración"
    /// rather than "Mi cuenta").
    pub fn manages_others(self) -> bool {
        matches!(self, Tab::Usuarios | Tab::Catalogos | Tab::Configuracion)
    }

    /// The tabs a role sees, in the order of the tab bar.
    pub fn for_role(role: Role) -> Vec<Tab> {
        all()
            .iter()
            .filter(|v| v.visible_for(role))
            .map(|v| v.id())
            .collect()
    }
}

/// A tab of the shell: a plain struct holding its page's state.
pub trait TabView {
    /// Which tab this is.
    fn id(&self) -> Tab;

    /// Its name in the tab bar.
    fn label(&self) -> String;

    /// Whether a role sees it (`UX.md`, "The tabs and who sees them").
    fn visible_for(&self, role: Role) -> bool;

    /// Reloads its data the next time it shows (another tab may have changed it).
    fn mark_stale(&mut self) {}

    /// Shows what another tab asked for with [`super::commands::Command::Open`].
    fn open(&mut self, _cx: &mut Cx<'_>, _nav: Nav) {}

    /// Draws the tab.
    fn ui(&mut self, ui: &mut Ui, cx: &mut Cx<'_>);

    /// Whether it holds changes not saved yet: the shell asks "¿Guardar los cambios?" before
    /// another tab, logging out or closing the window.
    fn unsaved(&self) -> bool {
        false
    }

    /// Saves those changes (a form with a draft saves the draft). False when they could not be
    /// saved: the user stays, with the form's errors showing.
    fn save_unsaved(&mut self, _cx: &mut Cx<'_>) -> bool {
        true
    }

    /// Drops those changes.
    fn discard_unsaved(&mut self) {}
}

/// Every tab, in the order of the tab bar: the one list a new tab is added to.
pub fn all() -> Vec<Box<dyn TabView>> {
    vec![
        Box::<BriefsTab>::default(),
        Box::<StrategiesTab>::default(),
        Box::<CallsTab>::default(),
        Box::<TrackingTab>::default(),
        Box::<IndicatorsTab>::default(),
        Box::<InboundTab>::default(),
        Box::<ScriptsTab>::default(),
        Box::<CampaignsTab>::default(),
        Box::<WeeklyTab>::default(),
        Box::<ReportsTab>::default(),
        Box::<UsersTab>::default(),
        Box::<CatalogsTab>::default(),
        Box::<SettingsTab>::default(),
        Box::<OutboxTab>::default(),
        Box::<AccountTab>::default(),
    ]
}
