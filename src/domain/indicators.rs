//! The campaign indicators of `UX.md` ("Indicators"), with their definitions in one place: the
//! counts a campaign's figures come from, and the ratios, each over its stated denominator.
//! A record (a contact of the campaign) counts by its best outcome in the period: reached when
//! any of its attempts reached the person (a third party never counts), positive when any was
//! positive.

/// A campaign's counts over a period (the whole campaign when no dates are given).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Indicators {
    /// The campaign.
    pub campaign_id: i64,
    /// First day of the period (local), when one was given.
    pub from: Option<chrono::NaiveDate>,
    /// Last day of the period (local, included), when one was given.
    pub to: Option<chrono::NaiveDate>,
    /// Registros válidos: contacts imported into the campaign.
    pub registros_validos: i64,
    /// Gestionados: records with at least one attempt in the period.
    pub gestionados: i64,
    /// Contactados: records reached in the period.
    pub contactados: i64,
    /// Positivos: records with a positive outcome in the period.
    pub positivos: i64,
    /// Marcaciones: attempts in the period.
    pub marcaciones: i64,
    /// Agendados para hoy: callbacks due today.
    pub agendados_hoy: i64,
    /// Pendientes: records without a final outcome that may still be called.
    pub pendientes: i64,
    /// Seconds talked in the period's attempts (for the TMO).
    pub talk_secs: i64,
}

fn ratio(num: i64, den: i64) -> Option<f64> {
    (den > 0).then(|| num as f64 / den as f64)
}

impl Indicators {
    /// Barrido: gestionados ÷ registros válidos.
    pub fn barrido(&self) -> Option<f64> {
        ratio(self.gestionados, self.registros_validos)
    }
    /// Contactabilidad: contactados ÷ gestionados.
    pub fn contactabilidad(&self) -> Option<f64> {
        ratio(self.contactados, self.gestionados)
    }
    /// Efectividad: positivos ÷ contactados.
    pub fn efectividad(&self) -> Option<f64> {
        ratio(self.positivos, self.contactados)
    }
    /// Rendimiento: positivos ÷ registros válidos.
    pub fn rendimiento(&self) -> Option<f64> {
        ratio(self.positivos, self.registros_validos)
    }
    /// Marcaciones por registro: marcaciones ÷ gestionados.
    pub fn marcaciones_por_registro(&self) -> Option<f64> {
        ratio(self.marcaciones, self.gestionados)
    }
    /// Marcaciones por contacto: marcaciones ÷ contactados.
    pub fn marcaciones_por_contacto(&self) -> Option<f64> {
        ratio(self.marcaciones, self.contactados)
    }
    /// Tiempo medio de gestión (TMO): mean attempt duration, seconds.
    pub fn tmo_secs(&self) -> Option<f64> {
        ratio(self.talk_secs, self.marcaciones)
    }
}

/// What a dashboard shows: one campaign or every campaign the reader may see, a period of
/// local days, one agent or all.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DashboardFilter {
    /// One campaign (`None`: every campaign).
    pub campaign_id: Option<i64>,
    /// First local day, included.
    pub from: Option<chrono::NaiveDate>,
    /// Last local day, included.
    pub to: Option<chrono::NaiveDate>,
    /// Only this agent's attempts (the records they handled). Registros válidos, pendientes and
    /// agendados para hoy stay the campaign's.
    pub agent_id: Option<i64>,
}

/// Records by their best outcome and attempts by their outcome, for one disposition.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OutcomeRow {
    /// The disposition's code (`interesado`).
    pub code: String,
    /// Its name.
    pub name: String,
    /// Its category's code (`positivo`).
    pub category: String,
    /// Records whose best outcome in the period is this one.
    pub records: i64,
    /// Attempts of the period with this outcome.
    pub attempts: i64,
}

/// One local day: attempts and records reached that day (a record reached twice counts once).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DayRow {
    /// The local day.
    pub day: chrono::NaiveDate,
    /// Attempts (marcaciones).
    pub attempts: i64,
    /// Records reached that day.
    pub reached: i64,
}

/// One cell of the contactability heatmap: a time band of a weekday.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HeatCell {
    /// Attempts started in the band (local time).
    pub attempts: i64,
    /// Those that reached the person (a third party never does).
    pub reached: i64,
}

impl HeatCell {
    /// Contactabilidad por franja: reached attempts ÷ attempts.
    pub fn ratio(&self) -> Option<f64> {
        ratio(self.reached, self.attempts)
    }
}

/// The heatmap: `cells[band][weekday]`, bands in `call::Band::ALL` order, weekdays Monday
/// first. Attempts outside every band are not in it.
pub type Heatmap = [[HeatCell; 7]; 3];

/// One agent's row.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AgentRow {
    /// The user id (`None`: attempts of nobody).
    pub agent_id: Option<i64>,
    /// The agent's name.
    pub name: String,
    /// Marcaciones: attempts.
    pub attempts: i64,
    /// Contactos: attempts that reached the person.
    pub reached: i64,
    /// Positivos: attempts with a positive outcome.
    pub positive: i64,
    /// Seconds of those attempts.
    pub talk_secs: i64,
    /// Clock hours (local) in which the agent made at least one attempt.
    pub hours: i64,
}

impl AgentRow {
    /// Marcaciones por hora: attempts ÷ the clock hours in which the agent made at least one
    /// attempt (an hour with a single call counts whole; idle hours do not count).
    pub fn per_hour(&self) -> Option<f64> {
        ratio(self.attempts, self.hours)
    }
    /// TMO: mean attempt duration, seconds.
    pub fn tmo_secs(&self) -> Option<f64> {
        ratio(self.talk_secs, self.attempts)
    }
}

/// Records of one program or city: how many, handled, reached, positive (best outcome).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GroupRow {
    /// The program or city as loaded (empty: not given).
    pub name: String,
    /// Records (registros válidos).
    pub records: i64,
    /// Gestionados.
    pub handled: i64,
    /// Contactados.
    pub reached: i64,
    /// Positivos.
    pub positive: i64,
}

/// One survey question's answers: each answer given and how many attempts gave it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SurveyRow {
    /// The question's id in its script.
    pub question_id: String,
    /// The question (its id when no script names it).
    pub question: String,
    /// (answer, attempts), most given first.
    pub answers: Vec<(String, i64)>,
}

/// Inbound calls of one ISO week, by channel, program and result (codes and names).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InboundWeek {
    /// The week (`2026-W48`).
    pub week: String,
    /// Its Monday.
    pub monday: chrono::NaiveDate,
    /// Calls.
    pub calls: i64,
    /// By channel code.
    pub by_channel: Vec<(String, i64)>,
    /// By program name (empty: none).
    pub by_program: Vec<(String, i64)>,
    /// By result code.
    pub by_result: Vec<(String, i64)>,
}

/// A dashboard: the indicators and their breakdowns over one filter.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Dashboard {
    /// What it covers.
    pub filter: DashboardFilter,
    /// The counts and ratios (campaign id 0 across campaigns).
    pub indicators: Indicators,
    /// Terceros: records whose best outcome is a third party (shown on their own).
    pub terceros: i64,
    /// By outcome, in the catalog's order (only outcomes with records or attempts).
    pub outcomes: Vec<OutcomeRow>,
    /// The coded reasons of "No interesado": (reason, attempts), most given first.
    pub reasons: Vec<(String, i64)>,
    /// Per local day, in order.
    pub days: Vec<DayRow>,
    /// Contactability by band × weekday.
    pub heatmap: Heatmap,
    /// Per agent, by name.
    pub agents: Vec<AgentRow>,
    /// By program, most records first.
    pub programs: Vec<GroupRow>,
    /// By city, most records first.
    pub cities: Vec<GroupRow>,
    /// Survey answers per question, in the question's order.
    pub survey: Vec<SurveyRow>,
    /// Inbound calls per week (the period's weeks; every agent's unless filtered).
    pub inbound: Vec<InboundWeek>,
}

/// Adds `n` to the entry named `name`, keeping first-seen order.
pub fn add_named(list: &mut Vec<(String, i64)>, name: &str, n: i64) {
    match list.iter_mut().find(|(k, _)| k == name) {
        Some(e) => e.1 += n,
        None => list.push((name.to_owned(), n)),
    }
}

/// Sorts a named count list most first, then by name.
pub fn sort_named(list: &mut [(String, i64)]) {
    list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
}

/// The weekday index of a date, Monday 0.
pub fn weekday_index(d: chrono::NaiveDate) -> usize {
    use chrono::Datelike;
    d.weekday().num_days_from_monday() as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratios_follow_their_denominators_and_say_nothing_over_zero() {
        let i = Indicators {
            registros_validos: 200,
            gestionados: 100,
            contactados: 40,
            positivos: 10,
            marcaciones: 250,
            talk_secs: 25_000,
            ..Default::default()
        };
        assert_eq!(i.barrido(), Some(0.5));
        assert_eq!(i.contactabilidad(), Some(0.4));
        assert_eq!(i.efectividad(), Some(0.25));
        assert_eq!(i.rendimiento(), Some(0.05));
        assert_eq!(i.marcaciones_por_registro(), Some(2.5));
        assert_eq!(i.marcaciones_por_contacto(), Some(6.25));
        assert_eq!(i.tmo_secs(), Some(100.0));
        let empty = Indicators::default();
        assert_eq!(empty.barrido(), None);
        assert_eq!(empty.tmo_secs(), None);
    }
}
