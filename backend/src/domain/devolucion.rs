//! A devolución and its own life, as Res. 2284/2023 art. 6 writes it: the payer returns the
//! whole invoice once, within 5 días hábiles of radicación (6.1); the prestador answers within
//! 5 días hábiles if it finds it unjustified, or its silence accepts it (6.2); the payer then
//! accepts the answer or reiterates within 5 días hábiles, or its silence means the devolución
//! was unjustified (6.3). A devolución after its term is inadmissible: it is recorded, the
//! prestador answers RE9501, and the invoice stays in the payer's process.

use chrono::NaiveDate;

use super::catalogo::EfectoRespuesta;
use super::terminos::{Reglas, Terminos};
use super::{Rechazo, Violation};

super::text_enum! {
    /// Where a devolución stands as of a day.
    EstadoDevolucion {
        /// Received in time; the prestador may answer within its term.
        Comunicada => "comunicada",
        /// After the payer's term: no effect on the invoice; answered RE9501.
        Extemporanea => "extemporanea",
        /// Accepted by the prestador (RE9701) or by its silence: a nota crédito is due, or the
        /// corrected invoice is radicated again.
        Aceptada => "aceptada",
        /// Answered as unjustified (RE9601); the payer accepts the answer or reiterates.
        Respondida => "respondida",
        /// The payer reiterated: the devolución stands.
        Reiterada => "reiterada",
        /// The payer accepted the answer, or kept silent: the invoice is back in its process.
        Injustificada => "injustificada",
    }
}

super::text_enum! {
    /// What the payer does with the prestador's answer (Res. 2284/2023 art. 6.3).
    DecisionDevolucion {
        /// Accepts the answer: the devolución is withdrawn.
        AceptaRespuesta => "acepta_respuesta",
        /// Reiterates the devolución.
        Reitera => "reitera",
    }
}

/// The prestador's answer to a devolución.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RespuestaDevolucion {
    pub codigo: String,
    /// `AceptaTotal` (RE9701) or `NoAcepta` (RE9601, RE9501).
    pub efecto: EfectoRespuesta,
    pub fecha: NaiveDate,
}

/// A devolución as the rules see it. Its terms are derived from its dates by the terms in
/// force ([`Devolucion::con_terminos`]), so they are never stored apart from the facts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Devolucion {
    /// When the payer communicated it.
    pub fecha: NaiveDate,
    /// Communicated after the payer's term (art. 6.1): inadmissible.
    pub extemporanea: bool,
    pub respuesta: Option<RespuestaDevolucion>,
    pub decision: Option<(DecisionDevolucion, NaiveDate)>,
    /// Last day of the prestador's answer (art. 6.2), for a devolución in time.
    pub fecha_limite_respuesta: Option<NaiveDate>,
    /// Last day for the payer to accept the answer or reiterate (art. 6.3), once answered
    /// as unjustified.
    pub fecha_limite_reiteracion: Option<NaiveDate>,
}

impl Devolucion {
    /// A devolución with its terms computed from its facts.
    pub fn con_terminos(
        fecha: NaiveDate,
        extemporanea: bool,
        respuesta: Option<RespuestaDevolucion>,
        decision: Option<(DecisionDevolucion, NaiveDate)>,
        t: &Terminos,
    ) -> Devolucion {
        let fecha_limite_reiteracion = match &respuesta {
            Some(r) if !extemporanea && r.efecto == EfectoRespuesta::NoAcepta => {
                Some(t.reiteracion_devolucion.vence(r.fecha))
            }
            _ => None,
        };
        Devolucion {
            fecha,
            extemporanea,
            respuesta,
            decision,
            fecha_limite_respuesta: (!extemporanea).then(|| t.respuesta_devolucion.vence(fecha)),
            fecha_limite_reiteracion,
        }
    }

    /// Where it stands as of `hoy`, silence applied by the rules in force.
    pub fn estado(&self, hoy: NaiveDate, r: &Reglas) -> EstadoDevolucion {
        use EstadoDevolucion as E;
        if self.extemporanea {
            return E::Extemporanea;
        }
        match (&self.respuesta, self.decision) {
            (_, Some((DecisionDevolucion::Reitera, _))) => E::Reiterada,
            (_, Some((DecisionDevolucion::AceptaRespuesta, _))) => E::Injustificada,
            (Some(resp), None) if resp.efecto == EfectoRespuesta::AceptaTotal => E::Aceptada,
            (Some(_), None) => {
                let vencido = self.fecha_limite_reiteracion.is_some_and(|l| hoy > l);
                if vencido && r.devolucion_injustificada_por_silencio {
                    E::Injustificada
                } else {
                    E::Respondida
                }
            }
            (None, None) => {
                let vencido = self.fecha_limite_respuesta.is_some_and(|l| hoy > l);
                if vencido && r.devolucion_aceptacion_tacita {
                    E::Aceptada
                } else {
                    E::Comunicada
                }
            }
        }
    }

    /// Whether it keeps the invoice out of the payer's process as of `hoy`.
    pub fn vigente(&self, hoy: NaiveDate, r: &Reglas) -> bool {
        !matches!(
            self.estado(hoy, r),
            EstadoDevolucion::Extemporanea | EstadoDevolucion::Injustificada
        )
    }

    /// Accepted by the prestador's silence as of `hoy` (art. 6.2), not by an answer.
    pub fn aceptada_tacitamente(&self, hoy: NaiveDate, r: &Reglas) -> bool {
        self.respuesta.is_none() && self.estado(hoy, r) == EstadoDevolucion::Aceptada
    }

    /// Found unjustified by the payer's silence as of `hoy` (art. 6.3), not by its word.
    pub fn injustificada_por_silencio(&self, hoy: NaiveDate, r: &Reglas) -> bool {
        self.decision.is_none() && self.estado(hoy, r) == EstadoDevolucion::Injustificada
    }

    /// The day the devolución stands for good as of `hoy`: accepted by the prestador's answer
    /// (RE9701) or by its silence (the last day of its term, art. 6.2), or reiterated by the
    /// payer (art. 6.3). From then the corrected invoice is to be radicated again.
    pub fn en_firme(&self, hoy: NaiveDate, r: &Reglas) -> Option<NaiveDate> {
        match self.estado(hoy, r) {
            EstadoDevolucion::Aceptada => self.respuesta.as_ref().map(|x| x.fecha).or(self.fecha_limite_respuesta),
            EstadoDevolucion::Reiterada => self.decision.map(|(_, f)| f),
            _ => None,
        }
    }

    /// Last day to radicate the corrected invoice again, once the devolución stands
    /// (`[reradicacion]` in `terminos.toml`).
    pub fn fecha_limite_reradicacion(&self, hoy: NaiveDate, t: &Terminos) -> Option<NaiveDate> {
        self.en_firme(hoy, &t.reglas).map(|f| t.reradicacion.vence(f))
    }

    /// Records the prestador's answer. `efecto` is what its code means: RE9601 (unjustified)
    /// and RE9501 (extemporánea) sustain, RE9701 accepts. The catalog has already checked that
    /// the code answers a devolución and that RE9501 only answers a late one.
    pub fn responder(&mut self, r: &RespuestaDevolucion, t: &Terminos) -> Result<(), Rechazo> {
        if self.respuesta.is_some() {
            return Err(Rechazo::Estado(
                "la devolución ya fue respondida; se responde una sola vez (Res. 2284 de 2023, art. 6.2)".into(),
            ));
        }
        if r.fecha < self.fecha {
            return Err(Rechazo::uno(
                "fecha",
                format!(
                    "la respuesta ({}) no puede ser anterior a la devolución ({})",
                    r.fecha, self.fecha
                ),
            ));
        }
        if r.efecto == EfectoRespuesta::AceptaParcial {
            return Err(Rechazo::uno(
                "codigo",
                format!(
                    "{}: una devolución es de toda la factura; se acepta (RE9701) o se sustenta que no procede (RE9601)",
                    r.codigo
                ),
            ));
        }
        // Silence already accepted it: a late answer that sustains it changes nothing.
        if r.efecto == EfectoRespuesta::NoAcepta && self.aceptada_tacitamente(r.fecha, &t.reglas) {
            let limite = self.fecha_limite_respuesta.expect("a timely devolución has a term");
            return Err(Rechazo::Estado(format!(
                "la devolución quedó aceptada tácitamente: el término para responderla venció el {limite} \
                 (Res. 2284 de 2023, art. 6.2); corresponde expedir la nota crédito o radicar de nuevo"
            )));
        }
        *self = Devolucion::con_terminos(self.fecha, self.extemporanea, Some(r.clone()), None, t);
        Ok(())
    }

    /// Records the payer's acceptance of the answer or its reiteration (art. 6.3).
    pub fn decidir(&mut self, d: DecisionDevolucion, fecha: NaiveDate, r: &Reglas) -> Result<bool, Rechazo> {
        let Some(resp) = &self.respuesta else {
            return Err(Rechazo::Estado(
                "la devolución no tiene respuesta del prestador; el pagador solo acepta o reitera una respuesta".into(),
            ));
        };
        if self.extemporanea || resp.efecto != EfectoRespuesta::NoAcepta || self.decision.is_some() {
            return Err(Rechazo::Estado(format!(
                "no hay respuesta pendiente de decisión del pagador (estado: {})",
                self.estado(fecha, r)
            )));
        }
        if fecha < resp.fecha {
            return Err(Rechazo::Valores(vec![Violation::new(
                "fecha",
                format!("la decisión ({fecha}) es anterior a la respuesta ({})", resp.fecha),
            )]));
        }
        let limite = self.fecha_limite_reiteracion;
        self.decision = Some((d, fecha));
        Ok(limite.is_none_or(|l| fecha <= l))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn t() -> Terminos {
        Terminos::por_defecto()
    }

    /// Communicated Monday 2026-07-06, in time.
    fn comunicada() -> Devolucion {
        Devolucion::con_terminos(d("2026-07-06"), false, None, None, &t())
    }
    fn r() -> Reglas {
        t().reglas
    }

    fn resp(efecto: EfectoRespuesta, fecha: &str) -> RespuestaDevolucion {
        RespuestaDevolucion {
            codigo: "RE9601".into(),
            efecto,
            fecha: d(fecha),
        }
    }

    #[test]
    fn the_prestadors_silence_accepts_it_after_five_dias_habiles_across_chiquinquira() {
        // From Monday 6 July 2026: Tue 7 (1), Wed 8 (2), Thu 9 (3), Fri 10 (4); Monday 13 is
        // the Chiquinquirá holiday (Ley 2578/2026); Tue 14 (5) → due 2026-07-14.
        let dv = comunicada();
        assert_eq!(dv.fecha_limite_respuesta, Some(d("2026-07-14")));
        assert_eq!(dv.estado(d("2026-07-14"), &r()), EstadoDevolucion::Comunicada);
        assert_eq!(dv.estado(d("2026-07-15"), &r()), EstadoDevolucion::Aceptada);
        assert!(dv.aceptada_tacitamente(d("2026-07-15"), &r()));
        assert!(dv.vigente(d("2026-07-15"), &r()));
        // A late answer sustaining it changes nothing.
        let mut tarde = dv.clone();
        assert!(matches!(
            tarde.responder(&resp(EfectoRespuesta::NoAcepta, "2026-07-15"), &t()),
            Err(Rechazo::Estado(m)) if m.contains("2026-07-14")
        ));
        // A deployment may turn the rule off.
        let mut sin = t();
        sin.reglas.devolucion_aceptacion_tacita = false;
        assert_eq!(dv.estado(d("2026-07-15"), &sin.reglas), EstadoDevolucion::Comunicada);
    }

    #[test]
    fn once_it_stands_the_invoice_is_radicated_again_within_22_dias_habiles() {
        // Silence: firm on the last day of the answer term, Tue 14 July 2026. Then 22 días
        // hábiles skip Mon 20 July, Fri 7 Aug and Mon 17 Aug (Asunción, moved from Sat 15):
        // 15,16,17,21,...,31 (12), 3–6 Aug (16), 10–14 Aug (21), Tue 18 Aug (22).
        let dv = comunicada();
        assert_eq!(
            dv.fecha_limite_reradicacion(d("2026-07-14"), &t()),
            None,
            "not yet firm"
        );
        assert_eq!(dv.en_firme(d("2026-07-15"), &r()), Some(d("2026-07-14")));
        assert_eq!(
            dv.fecha_limite_reradicacion(d("2026-07-15"), &t()),
            Some(d("2026-08-18"))
        );
        // Accepted by its answer on Wed 8 July: 9, 10, 14 (Mon 13 is Chiquinquirá) ... → 12 Aug.
        let mut aceptada = comunicada();
        let acepta = RespuestaDevolucion {
            codigo: "RE9701".into(),
            efecto: EfectoRespuesta::AceptaTotal,
            fecha: d("2026-07-08"),
        };
        aceptada.responder(&acepta, &t()).unwrap();
        assert_eq!(
            aceptada.fecha_limite_reradicacion(d("2026-07-08"), &t()),
            Some(d("2026-08-12"))
        );
        // Reiterated on Tue 21 July: 22 días hábiles → Mon 24 Aug.
        let mut reiterada = comunicada();
        reiterada
            .responder(&resp(EfectoRespuesta::NoAcepta, "2026-07-10"), &t())
            .unwrap();
        assert_eq!(
            reiterada.fecha_limite_reradicacion(d("2026-07-20"), &t()),
            None,
            "in discussion"
        );
        reiterada
            .decidir(DecisionDevolucion::Reitera, d("2026-07-21"), &r())
            .unwrap();
        assert_eq!(
            reiterada.fecha_limite_reradicacion(d("2026-07-21"), &t()),
            Some(d("2026-08-24"))
        );
        // Unjustified by the payer's silence: nothing to radicate again.
        let mut injustificada = comunicada();
        injustificada
            .responder(&resp(EfectoRespuesta::NoAcepta, "2026-07-10"), &t())
            .unwrap();
        assert_eq!(injustificada.fecha_limite_reradicacion(d("2026-07-22"), &t()), None);
    }

    #[test]
    fn an_answer_then_the_payers_silence_makes_it_unjustified() {
        // Answered RE9601 on Friday 2026-07-10; the payer's 5 días hábiles skip Monday 13 July
        // and Monday 20 July: 14, 15, 16, 17, 21 → due 2026-07-21.
        let mut dv = comunicada();
        dv.responder(&resp(EfectoRespuesta::NoAcepta, "2026-07-10"), &t())
            .unwrap();
        assert_eq!(dv.fecha_limite_reiteracion, Some(d("2026-07-21")));
        assert_eq!(dv.estado(d("2026-07-21"), &r()), EstadoDevolucion::Respondida);
        assert!(dv.vigente(d("2026-07-21"), &r()));
        assert_eq!(dv.estado(d("2026-07-22"), &r()), EstadoDevolucion::Injustificada);
        assert!(dv.injustificada_por_silencio(d("2026-07-22"), &r()));
        assert!(!dv.vigente(d("2026-07-22"), &r()));
        // Answered once only.
        assert!(matches!(
            dv.responder(&resp(EfectoRespuesta::AceptaTotal, "2026-07-11"), &t()),
            Err(Rechazo::Estado(_))
        ));
    }

    #[test]
    fn the_payer_reiterates_or_accepts_the_answer() {
        let mut dv = comunicada();
        assert!(matches!(
            dv.decidir(DecisionDevolucion::Reitera, d("2026-07-10"), &r()),
            Err(Rechazo::Estado(_))
        ));
        dv.responder(&resp(EfectoRespuesta::NoAcepta, "2026-07-10"), &t())
            .unwrap();
        let mut reiterada = dv.clone();
        assert!(reiterada
            .decidir(DecisionDevolucion::Reitera, d("2026-07-21"), &r())
            .unwrap());
        assert_eq!(reiterada.estado(d("2026-09-01"), &r()), EstadoDevolucion::Reiterada);
        assert!(reiterada.vigente(d("2026-09-01"), &r()));
        // A reiteration after the term is recorded as late.
        let mut tarde = dv.clone();
        assert!(!tarde
            .decidir(DecisionDevolucion::Reitera, d("2026-07-22"), &r())
            .unwrap());
        let mut aceptada = dv.clone();
        aceptada
            .decidir(DecisionDevolucion::AceptaRespuesta, d("2026-07-15"), &r())
            .unwrap();
        assert!(!aceptada.vigente(d("2026-07-15"), &r()));
        assert!(matches!(
            dv.decidir(DecisionDevolucion::Reitera, d("2026-07-09"), &r()),
            Err(Rechazo::Valores(_))
        ));
    }

    #[test]
    fn an_accepted_devolucion_stands_and_a_late_one_has_no_effect() {
        let mut dv = comunicada();
        let acepta = RespuestaDevolucion {
            codigo: "RE9701".into(),
            efecto: EfectoRespuesta::AceptaTotal,
            fecha: d("2026-07-08"),
        };
        dv.responder(&acepta, &t()).unwrap();
        assert_eq!(dv.estado(d("2026-12-01"), &r()), EstadoDevolucion::Aceptada);
        assert!(!dv.aceptada_tacitamente(d("2026-12-01"), &r()));
        let tardia = Devolucion::con_terminos(d("2026-07-06"), true, None, None, &t());
        assert_eq!(tardia.estado(d("2026-07-06"), &r()), EstadoDevolucion::Extemporanea);
        assert!(!tardia.vigente(d("2026-07-06"), &r()));
        assert_eq!(tardia.fecha_limite_respuesta, None);
    }
}
