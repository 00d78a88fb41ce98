//! The legal terms of the life cycle, read from `config/terminos.toml` (built in, and
//! replaceable by a deployment's own file without a rebuild).

use chrono::{Duration, NaiveDate};
use serde::Deserialize;

use super::calendario::add_dias_habiles;

const POR_DEFECTO: &str = include_str!("../../../config/terminos.toml");

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Unidad {
    Habiles,
    Calendario,
}

/// One legal term: its length, unit, and the norm it comes from.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Termino {
    pub dias: u32,
    pub unidad: Unidad,
    pub fuente: String,
}

impl Termino {
    /// The last day of the term that starts the day after `desde` (the term of N días
    /// hábiles "siguientes a" a date ends on the N-th día hábil after it).
    pub fn vence(&self, desde: NaiveDate) -> NaiveDate {
        match self.unidad {
            Unidad::Habiles => add_dias_habiles(desde, self.dias),
            Unidad::Calendario => desde + Duration::days(i64::from(self.dias)),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FechaGlosa {
    Recepcion,
    Formulacion,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reglas {
    pub aceptacion_tacita: bool,
    pub aceptacion_tacita_fuente: String,
    pub levantamiento_tacito: bool,
    pub levantamiento_tacito_fuente: String,
    pub extemporaneidad_glosa_segun: FechaGlosa,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Terminos {
    pub radicacion: Termino,
    pub devolucion: Termino,
    pub glosa: Termino,
    pub respuesta: Termino,
    pub decision: Termino,
    pub pago_levantado: Termino,
    pub pago: Termino,
    pub conciliacion: Termino,
    pub reglas: Reglas,
}

impl Terminos {
    /// The terms of the law in force, as shipped.
    pub fn por_defecto() -> Terminos {
        Terminos::parse(POR_DEFECTO, "config/terminos.toml").expect("the shipped terminos.toml is valid")
    }

    /// Parses a terms file; errors name the file and the key.
    pub fn parse(text: &str, archivo: &str) -> anyhow::Result<Terminos> {
        let de = toml::Deserializer::new(text);
        serde_path_to_error::deserialize(de)
            .map_err(|e| anyhow::anyhow!("{archivo}: clave {}: {}", e.path(), e.inner()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn shipped_terms_are_the_law_in_force() {
        let t = Terminos::por_defecto();
        assert_eq!(
            (t.devolucion.dias, t.glosa.dias, t.respuesta.dias, t.decision.dias),
            (5, 20, 15, 10)
        );
        assert!(t.glosa.fuente.contains("Ley 1438/2011 art. 57"));
        assert_eq!(t.reglas.extemporaneidad_glosa_segun, FechaGlosa::Recepcion);
    }

    #[test]
    fn a_glosa_received_before_holy_week_is_due_after_may_day() {
        // DOMAIN.md's example: received Friday 2025-04-11, 15 días hábiles → 2025-05-07.
        assert_eq!(
            Terminos::por_defecto().respuesta.vence(d("2025-04-11")),
            d("2025-05-07")
        );
    }

    #[test]
    fn calendar_terms_count_every_day() {
        let t = Termino {
            dias: 30,
            unidad: Unidad::Calendario,
            fuente: String::new(),
        };
        assert_eq!(t.vence(d("2025-12-15")), d("2026-01-14"));
    }

    #[test]
    fn a_broken_file_names_the_key() {
        let text = POR_DEFECTO.replace("dias = 15", "dias = \"quince\"");
        let e = Terminos::parse(&text, "mi-terminos.toml").unwrap_err().to_string();
        assert!(e.contains("mi-terminos.toml") && e.contains("respuesta"), "{e}");
    }
}
