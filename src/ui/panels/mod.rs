//! Parts of a page shared between tabs, or big enough to stand alone: one file per panel.
//! Panels never import tabs; tabs import panels.

pub mod backup;
pub mod brief_chips;
pub mod brief_history;
pub mod brief_record;
pub mod calendar;
pub mod campaign_form;
pub mod contacts;
pub mod conversion;
pub mod decision;
pub mod distribution;
pub mod import;
pub mod indicators;
pub mod interested;
pub mod outbox;
pub mod pickers;
pub mod process;
pub mod smtp;

pub use backup::BackupSection;
pub use brief_chips::{brief_chips_ui, status_color as brief_status_color};
pub use brief_history::history_ui;
pub use brief_record::brief_record_ui;
pub use campaign_form::campaign_form_ui;
pub use contacts::ContactsTable;
pub use conversion::ConversionPanel;
pub use decision::DecisionPanel;
pub use distribution::DistributionPanel;
pub use import::ImportPanel;
pub use indicators::{indicator_cards_ui, indicators_table_ui};
pub use interested::InterestedPanel;
pub use outbox::OutboxPanel;
pub use pickers::{department_combo_ui, role_combo_ui};
pub use process::ProcessPanel;
pub use smtp::SmtpSection;
