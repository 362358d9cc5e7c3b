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
