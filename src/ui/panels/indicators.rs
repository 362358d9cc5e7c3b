//! The campaign indicators against the strategy's targets, as a table (Seguimiento) or as a
//! row of cards (Indicadores): one list of lines, each with its value, its target (green when
//! met, amber when not; fewer is better for marcaciones por registro) and how it is computed.

use std::collections::BTreeMap;

use egui::{RichText, Ui};

use crate::domain::format;
use crate::domain::indicators::Indicators;
use crate::domain::tally::mmss;
use crate::i18n::t;
use crate::ui::widgets::{SUCCESS, WARNING};

/// One indicator as shown.
pub struct IndicatorLine {
    /// The key (the strategy's target key where it has one).
    pub key: &'static str,
    /// The value as shown (`45,2 %`).
    pub shown: String,
    /// The value compared with the target (percent points for ratios).
    pub value: Option<f64>,
    /// The target as shown, when the strategy sets one.
    pub target: Option<String>,
    /// The target's value.
    pub goal: Option<f64>,
    /// Whether the target is met (`None`: no target or no value).
    pub met: Option<bool>,
    /// A ratio (percent points) rather than a count.
    pub percent: bool,
}

impl IndicatorLine {
    /// The indicator's name.
    pub fn name(&self) -> String {
        t(&format!(
            "indicators.{}",
            if self.key == "registros" {
                "registros_validos"
            } else {
                self.key
            }
        ))
    }

    /// How it is computed.
    pub fn how(&self) -> String {
        t(&format!("indicators.how_{}", self.key))
    }

    /// The difference with the target (`+2,5 pp`, `−120`), when there is one.
    pub fn delta(&self) -> Option<String> {
        let d = self.value? - self.goal?;
        let sign = if d >= 0.0 { "+" } else { "−" };
        Some(if self.percent {
            crate::i18n::tf(
                "dashboard.delta_points",
                &[("delta", &format!("{sign}{}", format::decimal(d.abs())))],
            )
        } else if self.key == "marcaciones_por_registro" {
            format!("{sign}{}", format::decimal(d.abs()))
        } else {
            format!("{sign}{}", format::int(d.abs().round() as i64))
        })
    }

    /// The colour of its target: green when met, amber when not.
    pub fn color(&self) -> Option<egui::Color32> {
        self.met.map(|m| if m { SUCCESS } else { WARNING })
    }
}

/// Every indicator of `i` against `targets` (by key, `UX.md`).
pub fn lines(i: &Indicators, targets: &BTreeMap<String, f64>) -> Vec<IndicatorLine> {
    let pct = |r: Option<f64>| r.map_or("—".to_owned(), format::percent);
    let num = |r: Option<f64>| r.map_or("—".to_owned(), format::decimal);
    let count = |key: &'static str, n: i64, with_target: bool| {
        (key, format::int(n), Some(n as f64), with_target, false)
    };
    let ratio = |key: &'static str, r: Option<f64>| (key, pct(r), r.map(|r| r * 100.0), true, true);
    let rows = vec![
        count("registros", i.registros_validos, true),
        count("gestionados", i.gestionados, false),
        ratio("barrido", i.barrido()),
        ratio("contactabilidad", i.contactabilidad()),
        ratio("efectividad", i.efectividad()),
        ratio("rendimiento", i.rendimiento()),
        count("positivos", i.positivos, true),
        (
            "marcaciones_por_registro",
            num(i.marcaciones_por_registro()),
            i.marcaciones_por_registro(),
            true,
            false,
        ),
        (
            "marcaciones_por_contacto",
            num(i.marcaciones_por_contacto()),
            None,
            false,
            false,
        ),
        (
            "tmo",
            mmss(i.tmo_secs().map(|s| s.round() as i64)),
            None,
            false,
            false,
        ),
        count("pendientes", i.pendientes, false),
        count("agendados_hoy", i.agendados_hoy, false),
    ];
    rows.into_iter()
        .map(|(key, shown, value, with_target, percent)| {
            let goal = with_target.then(|| targets.get(key).copied()).flatten();
            let target = goal.map(|g| {
                if percent {
                    format!("{} %", format::decimal(g))
                } else if key == "marcaciones_por_registro" {
                    format::decimal(g)
                } else {
                    format::int(g as i64)
                }
            });
            // More is better, but for dials per record (fewer is better).
            let met = match (value, goal) {
                (Some(v), Some(g)) if key == "marcaciones_por_registro" => Some(v <= g),
                (Some(v), Some(g)) => Some(v >= g),
                _ => None,
            };
            IndicatorLine {
                key,
                shown,
                value,
                target,
                goal,
                met,
                percent,
            }
        })
        .collect()
}

/// The indicators as a table (name, value, target, how), the ones Seguimiento shows.
pub fn indicators_table_ui(ui: &mut Ui, i: &Indicators, targets: &BTreeMap<String, f64>) {
    ui.label(RichText::new(t("indicators.title")).strong());
    egui::Grid::new("campaign_indicators")
        .num_columns(4)
        .spacing([18.0, 4.0])
        .striped(true)
        .show(ui, |ui| {
            for h in [
                "indicators.col_name",
                "indicators.col_value",
                "indicators.col_target",
                "indicators.col_how",
            ] {
                ui.strong(t(h));
            }
            ui.end_row();
            for line in lines(i, targets)
                .into_iter()
                .filter(|l| !matches!(l.key, "gestionados" | "pendientes" | "agendados_hoy"))
            {
                ui.label(line.name());
                ui.label(RichText::new(&line.shown).strong());
                match (&line.target, line.color()) {
                    (Some(tg), Some(color)) => {
                        ui.label(RichText::new(tg).color(color));
                    }
                    _ => {
                        ui.label(RichText::new("—").weak());
                    }
                }
                ui.label(RichText::new(line.how()).weak().small());
                ui.end_row();
            }
        });
}

/// The dashboard's cards: Registros válidos · Gestionados · Barrido · Contactabilidad ·
/// Efectividad · Rendimiento · Pendientes · Agendados para hoy, each with its target and the
/// difference from it; how it is computed on hover.
pub fn indicator_cards_ui(ui: &mut Ui, i: &Indicators, targets: &BTreeMap<String, f64>) {
    const CARDS: [&str; 8] = [
        "registros",
        "gestionados",
        "barrido",
        "contactabilidad",
        "efectividad",
        "rendimiento",
        "pendientes",
        "agendados_hoy",
    ];
    let all = lines(i, targets);
    // Eight in a row on a wide window, four in two rows on a laptop's.
    let per_row = if ui.available_width() >= 1100.0 { 8 } else { 4 };
    let gap = 8.0;
    let width = (ui.available_width() - gap * (per_row as f32 - 1.0)) / per_row as f32 - 22.0;
    egui::Grid::new("indicator_cards")
        .spacing([gap, gap])
        .show(ui, |ui| {
            for (n, key) in CARDS.iter().enumerate() {
                let Some(line) = all.iter().find(|l| l.key == *key) else {
                    continue;
                };
                egui::Frame::group(ui.style())
                    .inner_margin(egui::Margin::symmetric(10, 6))
                    .show(ui, |ui| {
                        ui.set_width(width);
                        ui.vertical(|ui| {
                            ui.label(RichText::new(line.name()).small());
                            ui.label(RichText::new(&line.shown).size(20.0).strong());
                            let target = match (&line.target, line.color(), line.delta()) {
                                (Some(tg), Some(color), Some(delta)) => RichText::new(format!(
                                    "{} {tg} · {delta}",
                                    t("dashboard.target")
                                ))
                                .color(color),
                                (Some(tg), _, _) => {
                                    RichText::new(format!("{} {tg}", t("dashboard.target"))).weak()
                                }
                                _ => RichText::new(t("dashboard.no_target")).weak(),
                            };
                            ui.add(egui::Label::new(target.small()).truncate());
                        });
                    })
                    .response
                    .on_hover_text(line.how());
                if (n + 1) % per_row == 0 {
                    ui.end_row();
                }
            }
        });
}
