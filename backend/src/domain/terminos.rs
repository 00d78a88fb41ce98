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

impl Termino {
    /// The last start date whose term ends before `hasta`: every term started on or before
    /// it is over by `hasta` (the end never moves back when the start moves forward).
    pub fn ultimo_inicio_vencido(&self, hasta: NaiveDate) -> NaiveDate {
        let mut d = hasta - Duration::days(1);
        while self.vence(d) >= hasta {
            d -= Duration::days(1);
        }
        d
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
    /// An unanswered glosa is accepted by the prestador's silence (Ley 1438/2011 art. 57).
    pub aceptacion_tacita: bool,
    pub aceptacion_tacita_fuente: String,
    /// ... and a late answer does not undo it (Res. 2284/2023, RE2202).
    pub aceptacion_tacita_tras_respuesta_tardia: bool,
    pub aceptacion_tacita_tras_respuesta_tardia_fuente: String,
    /// Silence also accepts an extemporánea glosa (off by default: it "no procede", RE9502).
    pub aceptacion_tacita_glosa_extemporanea: bool,
    pub aceptacion_tacita_glosa_extemporanea_fuente: String,
    /// The payer's silence on an answer lifts the glosa (off by default: no norm says so).
    pub levantamiento_tacito: bool,
    pub levantamiento_tacito_fuente: String,
    /// An unanswered devolución is accepted by the prestador (Res. 2284/2023 art. 6.2).
    pub devolucion_aceptacion_tacita: bool,
    pub devolucion_aceptacion_tacita_fuente: String,
    /// An answered devolución the payer does not reiterate was unjustified (art. 6.3).
    pub devolucion_injustificada_por_silencio: bool,
    pub devolucion_injustificada_por_silencio_fuente: String,
    /// Percent of the invoice due within `pago_anticipo` (Ley 1122/2007 art. 13 lit. d).
    pub pago_anticipo_porcentaje: u32,
    pub extemporaneidad_glosa_segun: FechaGlosa,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Terminos {
    pub radicacion: Termino,
    pub devolucion: Termino,
    pub respuesta_devolucion: Termino,
    pub reiteracion_devolucion: Termino,
    pub reradicacion: Termino,
    pub glosa: Termino,
    pub respuesta: Termino,
    pub decision: Termino,
    pub subsanacion: Termino,
    pub pago_levantado: Termino,
    pub pago_anticipo: Termino,
    pub pago: Termino,
    pub conciliacion: Termino,
    pub prescripcion: Termino,
    pub reglas: Reglas,
}

impl Terminos {
    /// The terms of the law in force, as shipped.
    pub fn por_defecto() -> Terminos {
        Terminos::parse(POR_DEFECTO, "config/terminos.toml").expect("the shipped terminos.toml is valid")
    }

    /// Every term by its name in `terminos.toml`, in the order of the life cycle.
    pub fn todos(&self) -> [(&'static str, &Termino); 14] {
        [
            ("radicacion", &self.radicacion),
            ("devolucion", &self.devolucion),
            ("respuesta_devolucion", &self.respuesta_devolucion),
            ("reiteracion_devolucion", &self.reiteracion_devolucion),
            ("reradicacion", &self.reradicacion),
            ("glosa", &self.glosa),
            ("respuesta", &self.respuesta),
            ("decision", &self.decision),
            ("subsanacion", &self.subsanacion),
            ("pago_levantado", &self.pago_levantado),
            ("pago_anticipo", &self.pago_anticipo),
            ("pago", &self.pago),
            ("conciliacion", &self.conciliacion),
            ("prescripcion", &self.prescripcion),
        ]
    }

    /// The share of `a_cargo` (centavos) due within `pago_anticipo`, rounded up to the centavo.
    pub fn valor_anticipo(&self, a_cargo: i64) -> i64 {
        let p = i64::from(self.reglas.pago_anticipo_porcentaje.min(100));
        (a_cargo * p + 99) / 100
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
        assert_eq!(
            (
                t.respuesta_devolucion.dias,
                t.reiteracion_devolucion.dias,
                t.subsanacion.dias,
                t.pago_anticipo.dias,
                t.radicacion.dias
            ),
            (5, 5, 7, 5, 22)
        );
        assert!(t.glosa.fuente.contains("Ley 1438/2011 art. 57"));
        assert!(t.radicacion.fuente.contains("Res. 510/2022 art. 5"));
        assert!(t.devolucion.fuente.contains("Res. 2284/2023 art. 6.1"));
        assert!(t.respuesta_devolucion.fuente.contains("art. 6.2"));
        assert!(t.reiteracion_devolucion.fuente.contains("art. 6.3"));
        assert_eq!((t.reradicacion.dias, t.reradicacion.unidad), (22, t.radicacion.unidad));
        assert!(t.pago_anticipo.fuente.contains("Ley 1122/2007 art. 13"));
        assert_eq!(t.reglas.extemporaneidad_glosa_segun, FechaGlosa::Recepcion);
        // Silence as the law writes it.
        let r = &t.reglas;
        assert!(r.aceptacion_tacita && r.aceptacion_tacita_tras_respuesta_tardia);
        assert!(!r.aceptacion_tacita_glosa_extemporanea && !r.levantamiento_tacito);
        assert!(r.devolucion_aceptacion_tacita && r.devolucion_injustificada_por_silencio);
        assert_eq!(r.pago_anticipo_porcentaje, 50);
        for (nombre, termino) in t.todos() {
            assert!(!termino.fuente.is_empty(), "{nombre} has no source");
        }
    }

    #[test]
    fn half_of_an_odd_invoice_is_rounded_up_to_the_centavo() {
        let t = Terminos::por_defecto();
        assert_eq!(t.valor_anticipo(100_001), 50_001);
        assert_eq!(t.valor_anticipo(100_000), 50_000);
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
    fn the_last_start_whose_term_is_over() {
        // 5 días hábiles: radicated Wednesday 2026-07-01 → due 2026-07-08, over on the 9th.
        let t = Terminos::por_defecto().pago_anticipo;
        assert_eq!(t.ultimo_inicio_vencido(d("2026-07-09")), d("2026-07-01"));
        // On Tuesday 2026-07-14 (Monday 13 is Chiquinquirá): a term started Sunday 5 July ends
        // Friday 10 (6-10), over; one started Monday 6 ends on the 14th itself (7-10, 14).
        assert_eq!(t.ultimo_inicio_vencido(d("2026-07-14")), d("2026-07-05"));
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
