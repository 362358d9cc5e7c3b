//! Telemercadeo: a university contact center's telemarketing procedure (GF-MK-PR-01) —
//! outbound campaigns from the department's brief to the results report, and inbound calls
//! from registration to the weekly consolidated report.
//!
//! Dependencies point one way: `ui` and `cli` → `demo` → `store` → `domain`; `i18n` is used by all.

pub mod assets;
pub mod cli;
pub mod demo;
pub mod domain;
pub mod i18n;
pub mod import;
pub mod jobs;
pub mod mail;
pub mod report;
pub mod store;
pub mod ui;
