//! A glosa and its own life: formulada → respondida (or aceptada) → levantada / ratificada →
//! en conciliación → conciliada. Ley 1438/2011 art. 57 sets the steps and their terms.

use chrono::NaiveDate;

use super::catalogo::EfectoRespuesta;
use super::money::from_centavos;
use super::terminos::{Reglas, Terminos};
use super::{Rechazo, Violation};

super::text_enum! {
    EstadoGlosa {
        /// Received; the prestador must answer within the term.
        Formulada => "formulada",
        /// Answered (all or part sustained); the payer must decide.
        Respondida => "respondida",
        /// The prestador accepted it whole.
        Aceptada => "aceptada",
        /// The payer lifted everything the prestador sustained.
        Levantada => "levantada",
        /// The payer kept some or all of what the prestador sustained.
        Ratificada => "ratificada",
        /// The ratified value is being conciliated.
        EnConciliacion => "en_conciliacion",
        /// Conciliated: the acta split the ratified value.
        Conciliada => "conciliada",
    }
}

/// A glosa starts its life formulated: the state of a glosa just received.
impl Default for EstadoGlosa {
    fn default() -> EstadoGlosa {
        EstadoGlosa::Formulada
    }
}

super::text_enum! {
    /// The payer's answer to the prestador's response.
    ResultadoDecision {
        Levantada => "levantada",
        Ratificada => "ratificada",
        Parcial => "parcial",
    }
}

/// A glosa as the rules see it. Values in centavos.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Glosa {
    pub item_linea: Option<i32>,
    pub valor: i64,
    pub fecha_formulacion: NaiveDate,
    pub fecha_recepcion: NaiveDate,
    pub fecha_limite_respuesta: NaiveDate,
    pub extemporanea: bool,
    pub estado: EstadoGlosa,
    pub valor_aceptado: i64,
    pub valor_sustentado: i64,
    pub fecha_respuesta: Option<NaiveDate>,
    pub respuesta_extemporanea: bool,
    pub fecha_limite_decision: Option<NaiveDate>,
    pub resultado_decision: Option<ResultadoDecision>,
    pub valor_levantado: i64,
    pub fecha_decision: Option<NaiveDate>,
    pub valor_conciliado_prestador: i64,
    pub valor_conciliado_pagador: i64,
    pub fecha_conciliacion: Option<NaiveDate>,
}

/// The prestador's answer. `efecto` is what the response code means in the official table.
#[derive(Debug, Clone)]
pub struct Respuesta {
    pub codigo: String,
    pub efecto: EfectoRespuesta,
    pub valor_aceptado: i64,
    pub valor_sustentado: i64,
    pub fecha: NaiveDate,
}

#[derive(Debug, Clone)]
pub struct Decision {
    pub resultado: ResultadoDecision,
    pub valor_levantado: i64,
    pub fecha: NaiveDate,
}

/// Opening a conciliation (no values) or its outcome (both values, from the acta).
#[derive(Debug, Clone)]
pub struct Conciliacion {
    pub a_favor_prestador: Option<i64>,
    pub a_favor_pagador: Option<i64>,
    pub fecha: NaiveDate,
}

fn pesos(c: i64) -> String {
    from_centavos(c).to_string()
}

impl Glosa {
    /// A glosa just received, waiting for the prestador's answer.
    pub fn formulada(
        item_linea: Option<i32>,
        valor: i64,
        fecha_formulacion: NaiveDate,
        fecha_recepcion: NaiveDate,
        fecha_limite_respuesta: NaiveDate,
        extemporanea: bool,
    ) -> Glosa {
        Glosa {
            item_linea,
            valor,
            fecha_formulacion,
            fecha_recepcion,
            fecha_limite_respuesta,
            extemporanea,
            estado: EstadoGlosa::Formulada,
            valor_aceptado: 0,
            valor_sustentado: 0,
            fecha_respuesta: None,
            respuesta_extemporanea: false,
            fecha_limite_decision: None,
            resultado_decision: None,
            valor_levantado: 0,
            fecha_decision: None,
            valor_conciliado_prestador: 0,
            valor_conciliado_pagador: 0,
            fecha_conciliacion: None,
        }
    }

    /// The part of what the prestador sustained that the payer kept.
    pub fn ratificado(&self) -> i64 {
        self.valor_sustentado - self.valor_levantado
    }

    /// Whether silence can accept this glosa at all: an extemporánea glosa "no procede" and is
    /// answered RE9502, so by default silence does not accept it (Ley 1438/2011 art. 57;
    /// Res. 2284/2023 Anexo Técnico 3, `reglas.aceptacion_tacita_glosa_extemporanea`).
    fn silencio_acepta(&self, reglas: &Reglas) -> bool {
        reglas.aceptacion_tacita && (!self.extemporanea || reglas.aceptacion_tacita_glosa_extemporanea)
    }

    /// Not answered within the term: accepted by the prestador's silence (Ley 1438/2011
    /// art. 57, `reglas.aceptacion_tacita`). Once a late answer is recorded the acceptance is
    /// a recorded fact (see [`Glosa::responder`]); until then it is applied as of `hoy`.
    pub fn aceptada_tacitamente(&self, hoy: NaiveDate, reglas: &Reglas) -> bool {
        self.silencio_acepta(reglas) && self.estado == EstadoGlosa::Formulada && hoy > self.fecha_limite_respuesta
    }

    /// An extemporánea glosa still unanswered: the prestador should answer RE9502.
    pub fn pide_re9502(&self, reglas: &Reglas) -> bool {
        self.extemporanea && self.estado == EstadoGlosa::Formulada && !self.silencio_acepta(reglas)
    }

    /// Answered but not decided within the payer's term: taken as lifted only where a
    /// deployment says so (`reglas.levantamiento_tacito`, off by default: Ley 1438/2011 art. 57
    /// sets the term without giving the payer's silence an effect).
    pub fn decision_vencida(&self, hoy: NaiveDate) -> bool {
        self.estado == EstadoGlosa::Respondida && self.fecha_limite_decision.is_some_and(|l| hoy > l)
    }

    /// Answered but not decided within the payer's term: taken as lifted
    /// (`reglas.levantamiento_tacito`; see [`Glosa::decision_vencida`]).
    pub fn levantada_tacitamente(&self, hoy: NaiveDate, reglas: &Reglas) -> bool {
        reglas.levantamiento_tacito && self.decision_vencida(hoy)
    }

    /// What the prestador has lost for good through this glosa as of `hoy`: accepted,
    /// accepted by silence, or conciliated in the payer's favour.
    pub fn contra_prestador(&self, hoy: NaiveDate, reglas: &Reglas) -> i64 {
        if self.aceptada_tacitamente(hoy, reglas) {
            return self.valor;
        }
        match self.estado {
            EstadoGlosa::Formulada => 0,
            EstadoGlosa::Conciliada => self.valor_aceptado + self.valor_conciliado_pagador,
            _ => self.valor_aceptado,
        }
    }

    /// What is still disputed as of `hoy` (owed if the prestador wins it).
    pub fn en_discusion(&self, hoy: NaiveDate, reglas: &Reglas) -> i64 {
        match self.estado {
            EstadoGlosa::Formulada if self.aceptada_tacitamente(hoy, reglas) => 0,
            EstadoGlosa::Formulada => self.valor,
            EstadoGlosa::Respondida if self.levantada_tacitamente(hoy, reglas) => 0,
            EstadoGlosa::Respondida => self.valor_sustentado,
            EstadoGlosa::Ratificada | EstadoGlosa::EnConciliacion => self.ratificado(),
            EstadoGlosa::Aceptada | EstadoGlosa::Levantada | EstadoGlosa::Conciliada => 0,
        }
    }

    /// What of this glosa still stands against the invoice's value: everything but what was
    /// lifted or conciliated in the prestador's favour. New glosas cannot exceed the rest.
    pub fn vigente(&self) -> i64 {
        self.valor - self.valor_levantado - self.valor_conciliado_prestador
    }

    /// True while the glosa is in the prestador's or the payer's hands.
    pub fn abierta(&self) -> bool {
        matches!(
            self.estado,
            EstadoGlosa::Formulada | EstadoGlosa::Respondida | EstadoGlosa::Ratificada | EstadoGlosa::EnConciliacion
        )
    }

    /// Records the prestador's answer (Ley 1438/2011 art. 57: within 15 días hábiles of
    /// receiving the glosa). A late answer is recorded and marked `respuesta_extemporanea`;
    /// where silence had already accepted the glosa it stays accepted in full (the payer
    /// notifies RE2202; `reglas.aceptacion_tacita_tras_respuesta_tardia`) and the glosa is
    /// closed as `aceptada`: what the answer said stays in its event. Returns whether that
    /// happened.
    pub fn responder(&mut self, r: &Respuesta, t: &Terminos) -> Result<bool, Rechazo> {
        if self.estado != EstadoGlosa::Formulada {
            return Err(Rechazo::Estado(format!(
                "la glosa ya fue respondida (estado: {}); una glosa se responde una sola vez",
                self.estado
            )));
        }
        let mut errs = Vec::new();
        if r.fecha < self.fecha_recepcion {
            errs.push(Violation::new(
                "fecha",
                format!(
                    "la respuesta ({}) no puede ser anterior a la recepción de la glosa ({})",
                    r.fecha, self.fecha_recepcion
                ),
            ));
        }
        if r.valor_aceptado + r.valor_sustentado != self.valor {
            errs.push(Violation::new(
                "valor_sustentado",
                format!(
                    "aceptado ({}) más sustentado ({}) debe ser el valor de la glosa ({})",
                    pesos(r.valor_aceptado),
                    pesos(r.valor_sustentado),
                    pesos(self.valor)
                ),
            ));
        }
        let coherente = match r.efecto {
            EfectoRespuesta::AceptaTotal => r.valor_sustentado == 0,
            EfectoRespuesta::AceptaParcial => r.valor_aceptado > 0 && r.valor_sustentado > 0,
            EfectoRespuesta::NoAcepta => r.valor_aceptado == 0,
        };
        if !coherente {
            let que = match r.efecto {
                EfectoRespuesta::AceptaTotal => "acepta toda la glosa: el valor sustentado debe ser 0",
                EfectoRespuesta::AceptaParcial => "acepta una parte: aceptado y sustentado deben ser mayores que 0",
                EfectoRespuesta::NoAcepta => "no acepta la glosa: el valor aceptado debe ser 0",
            };
            errs.push(Violation::new("codigo", format!("el código {} {que}", r.codigo)));
        }
        if !errs.is_empty() {
            return Err(Rechazo::Valores(errs));
        }
        let tacita = self.aceptada_tacitamente(r.fecha, &t.reglas) && t.reglas.aceptacion_tacita_tras_respuesta_tardia;
        self.fecha_respuesta = Some(r.fecha);
        self.respuesta_extemporanea = r.fecha > self.fecha_limite_respuesta;
        if tacita {
            self.valor_aceptado = self.valor;
            self.valor_sustentado = 0;
            self.estado = EstadoGlosa::Aceptada;
            return Ok(true);
        }
        self.valor_aceptado = r.valor_aceptado;
        self.valor_sustentado = r.valor_sustentado;
        if r.valor_sustentado == 0 {
            self.estado = EstadoGlosa::Aceptada;
        } else {
            self.estado = EstadoGlosa::Respondida;
            // Ley 1438/2011 art. 57: the payer decides within 10 días hábiles of the answer.
            self.fecha_limite_decision = Some(t.decision.vence(r.fecha));
        }
        Ok(false)
    }

    /// Last day to cure a glosa the payer did not lift (Ley 1438/2011 art. 57: subsanación
    /// within 7 días hábiles), while it is ratified and not yet in conciliation.
    pub fn fecha_limite_subsanacion(&self, t: &Terminos) -> Option<NaiveDate> {
        match (self.estado, self.fecha_decision) {
            (EstadoGlosa::Ratificada, Some(d)) => Some(t.subsanacion.vence(d)),
            _ => None,
        }
    }

    /// Records the payer's decision on the answer (Ley 1438/2011 art. 57).
    pub fn decidir(&mut self, d: &Decision) -> Result<(), Rechazo> {
        if self.estado != EstadoGlosa::Respondida {
            return Err(Rechazo::Estado(format!(
                "solo se registra la decisión del pagador sobre una glosa respondida y sin decidir (estado: {})",
                self.estado
            )));
        }
        if let Some(resp) = self.fecha_respuesta {
            if d.fecha < resp {
                return Err(Rechazo::uno(
                    "fecha",
                    format!("la decisión ({}) es anterior a la respuesta ({resp})", d.fecha),
                ));
            }
        }
        let s = self.valor_sustentado;
        let ok = match d.resultado {
            ResultadoDecision::Levantada => d.valor_levantado == s,
            ResultadoDecision::Ratificada => d.valor_levantado == 0,
            ResultadoDecision::Parcial => d.valor_levantado > 0 && d.valor_levantado < s,
        };
        if !ok {
            let que = match d.resultado {
                ResultadoDecision::Levantada => format!(
                    "levantada: el valor levantado debe ser todo lo sustentado ({})",
                    pesos(s)
                ),
                ResultadoDecision::Ratificada => "ratificada: el valor levantado debe ser 0".to_string(),
                ResultadoDecision::Parcial => format!(
                    "parcial: el valor levantado debe estar entre 0 y {} sin incluirlos",
                    pesos(s)
                ),
            };
            return Err(Rechazo::uno("valor_levantado", que));
        }
        self.resultado_decision = Some(d.resultado);
        self.valor_levantado = d.valor_levantado;
        self.fecha_decision = Some(d.fecha);
        self.estado = if d.valor_levantado == s {
            EstadoGlosa::Levantada
        } else {
            EstadoGlosa::Ratificada
        };
        Ok(())
    }

    /// Voids the prestador's answer recorded by mistake: the glosa is formulated again, its
    /// answer term as it was (so silence may have accepted it meanwhile, Ley 1438/2011
    /// art. 57). Only while the payer has not decided on that answer.
    pub fn anular_respuesta(&mut self) -> Result<(), Rechazo> {
        if self.fecha_respuesta.is_none() {
            return Err(Rechazo::Estado(format!(
                "la glosa no tiene respuesta registrada que anular (estado: {})",
                self.estado
            )));
        }
        if self.resultado_decision.is_some() || self.fecha_conciliacion.is_some() {
            return Err(Rechazo::Estado(format!(
                "el pagador ya decidió sobre esta respuesta (estado: {}); anule primero la decisión",
                self.estado
            )));
        }
        self.estado = EstadoGlosa::Formulada;
        self.valor_aceptado = 0;
        self.valor_sustentado = 0;
        self.fecha_respuesta = None;
        self.respuesta_extemporanea = false;
        self.fecha_limite_decision = None;
        Ok(())
    }

    /// Voids the payer's decision recorded by mistake: the glosa is answered and waiting for
    /// the decision again, its term as it was. Not once the ratified value went to
    /// conciliation: the acta is the parties' own agreement, not a record to void.
    pub fn anular_decision(&mut self) -> Result<(), Rechazo> {
        if matches!(self.estado, EstadoGlosa::EnConciliacion | EstadoGlosa::Conciliada) {
            return Err(Rechazo::Estado(format!(
                "la glosa está {}; su decisión ya no se anula",
                if self.estado == EstadoGlosa::Conciliada {
                    "conciliada"
                } else {
                    "en conciliación"
                }
            )));
        }
        if self.resultado_decision.is_none() {
            return Err(Rechazo::Estado(format!(
                "la glosa no tiene decisión del pagador que anular (estado: {})",
                self.estado
            )));
        }
        self.resultado_decision = None;
        self.valor_levantado = 0;
        self.fecha_decision = None;
        self.estado = EstadoGlosa::Respondida;
        Ok(())
    }

    /// Opens a conciliation of the ratified value, or records its outcome (Ley 1438/2011
    /// art. 57: what stays in dispute goes to conciliation).
    pub fn conciliar(&mut self, c: &Conciliacion) -> Result<(), Rechazo> {
        if !matches!(self.estado, EstadoGlosa::Ratificada | EstadoGlosa::EnConciliacion) {
            return Err(Rechazo::Estado(format!(
                "solo se concilia el valor ratificado de una glosa (estado: {})",
                self.estado
            )));
        }
        if let Some(dec) = self.fecha_decision {
            if c.fecha < dec {
                return Err(Rechazo::uno(
                    "fecha",
                    format!("la conciliación ({}) es anterior a la ratificación ({dec})", c.fecha),
                ));
            }
        }
        match (c.a_favor_prestador, c.a_favor_pagador) {
            (None, None) if self.estado == EstadoGlosa::EnConciliacion => Err(Rechazo::Estado(
                "la glosa ya está en conciliación; registre el resultado del acta".into(),
            )),
            (None, None) => {
                self.estado = EstadoGlosa::EnConciliacion;
                Ok(())
            }
            (Some(p), Some(q)) if p >= 0 && q >= 0 && p + q == self.ratificado() => {
                self.valor_conciliado_prestador = p;
                self.valor_conciliado_pagador = q;
                self.fecha_conciliacion = Some(c.fecha);
                self.estado = EstadoGlosa::Conciliada;
                Ok(())
            }
            (Some(p), Some(q)) => Err(Rechazo::uno(
                "valor_a_favor_pagador",
                format!(
                    "a favor del prestador ({}) más a favor del pagador ({}) debe ser el valor ratificado ({})",
                    pesos(p),
                    pesos(q),
                    pesos(self.ratificado())
                ),
            )),
            _ => Err(Rechazo::uno(
                "valor_a_favor_prestador",
                "se esperan los dos valores del acta, o ninguno para abrir la conciliación",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn formulada(valor: i64) -> Glosa {
        Glosa::formulada(None, valor, d("2025-04-10"), d("2025-04-11"), d("2025-05-07"), false)
    }

    fn r(codigo: &str, efecto: EfectoRespuesta, a: i64, s: i64, fecha: &str) -> Respuesta {
        Respuesta {
            codigo: codigo.into(),
            efecto,
            valor_aceptado: a,
            valor_sustentado: s,
            fecha: d(fecha),
        }
    }

    fn paths(e: Rechazo) -> Vec<String> {
        match e {
            Rechazo::Valores(v) => v.into_iter().map(|x| x.path).collect(),
            Rechazo::Estado(m) => vec![format!("estado: {m}")],
        }
    }

    #[test]
    fn voiding_an_answer_reopens_the_glosa_and_its_term() {
        let t = Terminos::por_defecto();
        let mut g = formulada(100_000);
        g.responder(
            &r("RE9801", EfectoRespuesta::AceptaParcial, 30_000, 70_000, "2025-04-20"),
            &t,
        )
        .unwrap();
        assert_eq!(g.estado, EstadoGlosa::Respondida);
        g.anular_respuesta().unwrap();
        assert_eq!(g, formulada(100_000));
        // Answered again, now after the term of 2025-05-07: recorded as late.
        g.responder(&r("RE9901", EfectoRespuesta::NoAcepta, 0, 100_000, "2025-05-08"), &t)
            .unwrap();
        assert!(g.respuesta_extemporanea);
        let mut sin = formulada(100_000);
        assert!(paths(sin.anular_respuesta().unwrap_err())[0].contains("no tiene respuesta"));
    }

    #[test]
    fn a_decision_is_voided_before_its_answer_and_never_after_conciliation() {
        let t = Terminos::por_defecto();
        let mut g = formulada(100_000);
        g.responder(&r("RE9901", EfectoRespuesta::NoAcepta, 0, 100_000, "2025-04-20"), &t)
            .unwrap();
        let respondida = g.clone();
        g.decidir(&Decision {
            resultado: ResultadoDecision::Parcial,
            valor_levantado: 40_000,
            fecha: d("2025-04-25"),
        })
        .unwrap();
        assert!(paths(g.clone().anular_respuesta().unwrap_err())[0].contains("anule primero la decisión"));
        let mut sin_decision = g.clone();
        sin_decision.anular_decision().unwrap();
        assert_eq!(sin_decision, respondida);
        g.conciliar(&Conciliacion {
            a_favor_prestador: None,
            a_favor_pagador: None,
            fecha: d("2025-05-02"),
        })
        .unwrap();
        assert!(paths(g.anular_decision().unwrap_err())[0].contains("en conciliación"));
    }

    #[test]
    fn an_answer_must_add_up_and_agree_with_its_code() {
        let t = Terminos::por_defecto();
        let mut g = formulada(1000);
        assert_eq!(
            paths(
                g.responder(&r("X", EfectoRespuesta::NoAcepta, 0, 999, "2025-04-20"), &t)
                    .unwrap_err()
            ),
            ["valor_sustentado"]
        );
        assert_eq!(
            paths(
                g.responder(&r("X", EfectoRespuesta::NoAcepta, 10, 990, "2025-04-20"), &t)
                    .unwrap_err()
            ),
            ["codigo"]
        );
        assert_eq!(
            paths(
                g.responder(&r("X", EfectoRespuesta::AceptaTotal, 990, 10, "2025-04-20"), &t)
                    .unwrap_err()
            ),
            ["codigo"]
        );
        assert_eq!(
            paths(
                g.responder(&r("X", EfectoRespuesta::AceptaParcial, 1000, 0, "2025-04-20"), &t)
                    .unwrap_err()
            ),
            ["codigo"]
        );
        assert_eq!(
            paths(
                g.responder(&r("X", EfectoRespuesta::NoAcepta, 0, 1000, "2025-04-01"), &t)
                    .unwrap_err()
            ),
            ["fecha"]
        );
        assert_eq!(g, formulada(1000), "a refused answer changes nothing");
        g.responder(&r("X", EfectoRespuesta::AceptaTotal, 1000, 0, "2025-04-20"), &t)
            .unwrap();
        assert_eq!(g.estado, EstadoGlosa::Aceptada);
        assert!(
            g.fecha_limite_decision.is_none(),
            "nothing left for the payer to decide"
        );
        let e = g
            .responder(&r("X", EfectoRespuesta::AceptaTotal, 1000, 0, "2025-04-21"), &t)
            .unwrap_err();
        assert!(matches!(e, Rechazo::Estado(_)));
    }

    #[test]
    fn a_late_answer_is_recorded_and_the_tacit_acceptance_stands() {
        // Received Friday 2025-04-11; 15 días hábiles skip Holy Thursday/Friday (17-18 April)
        // and 1 May → due Wednesday 2025-05-07. Answered on the 8th: late.
        let t = Terminos::por_defecto();
        let mut g = formulada(1000);
        assert!(g
            .responder(&r("X", EfectoRespuesta::NoAcepta, 0, 1000, "2025-05-08"), &t)
            .unwrap());
        assert!(g.respuesta_extemporanea);
        // RE2202: the acceptance by silence is kept; the whole glosa is lost.
        assert_eq!(
            (g.estado, g.valor_aceptado, g.valor_sustentado),
            (EstadoGlosa::Aceptada, 1000, 0)
        );
        assert_eq!(g.fecha_limite_decision, None, "nothing for the payer to decide");
        assert_eq!(g.contra_prestador(d("2025-05-08"), &t.reglas), 1000);
        // On the last day it is in time.
        let mut g = formulada(1000);
        assert!(!g
            .responder(&r("X", EfectoRespuesta::NoAcepta, 0, 1000, "2025-05-07"), &t)
            .unwrap());
        assert!(!g.respuesta_extemporanea);
        assert_eq!(g.estado, EstadoGlosa::Respondida);
        // A deployment that reads RE2202 otherwise lets the late answer open the decision.
        let mut otra = t.clone();
        otra.reglas.aceptacion_tacita_tras_respuesta_tardia = false;
        let mut g = formulada(1000);
        assert!(!g
            .responder(&r("X", EfectoRespuesta::NoAcepta, 0, 1000, "2025-05-08"), &otra)
            .unwrap());
        assert_eq!((g.estado, g.respuesta_extemporanea), (EstadoGlosa::Respondida, true));
    }

    #[test]
    fn silence_does_not_accept_an_extemporanea_glosa() {
        let t = Terminos::por_defecto();
        let g = Glosa::formulada(None, 1000, d("2025-04-10"), d("2025-04-11"), d("2025-05-07"), true);
        assert!(!g.aceptada_tacitamente(d("2025-06-01"), &t.reglas));
        assert_eq!(g.en_discusion(d("2025-06-01"), &t.reglas), 1000);
        assert!(g.pide_re9502(&t.reglas));
        // A late RE9502 does not lose it either.
        let mut g2 = g.clone();
        assert!(!g2
            .responder(&r("RE9502", EfectoRespuesta::NoAcepta, 0, 1000, "2025-06-01"), &t)
            .unwrap());
        assert_eq!(g2.estado, EstadoGlosa::Respondida);
        let mut otra = t.clone();
        otra.reglas.aceptacion_tacita_glosa_extemporanea = true;
        assert!(g.aceptada_tacitamente(d("2025-06-01"), &otra.reglas));
        assert!(!g.pide_re9502(&otra.reglas));
    }

    #[test]
    fn the_payers_silence_keeps_the_glosa_in_discussion() {
        // Answered 2025-04-30; the decision is due 10 días hábiles later, 2025-05-15 (1 May
        // skipped). On the 16th it is overdue, and the glosa is still disputed.
        let t = Terminos::por_defecto();
        let mut g = formulada(1000);
        g.responder(&r("X", EfectoRespuesta::NoAcepta, 0, 1000, "2025-04-30"), &t)
            .unwrap();
        assert_eq!(g.fecha_limite_decision, Some(d("2025-05-15")));
        assert!(!g.decision_vencida(d("2025-05-15")));
        assert!(g.decision_vencida(d("2025-05-16")));
        assert!(!g.levantada_tacitamente(d("2025-05-16"), &t.reglas));
        assert_eq!(g.en_discusion(d("2025-05-16"), &t.reglas), 1000);
        let mut otra = t.clone();
        otra.reglas.levantamiento_tacito = true;
        assert!(g.levantada_tacitamente(d("2025-05-16"), &otra.reglas));
        assert_eq!(g.en_discusion(d("2025-05-16"), &otra.reglas), 0);
    }

    #[test]
    fn a_ratified_glosa_may_be_cured_within_seven_dias_habiles() {
        // Ratified Friday 2025-06-27: Mon 30 June is a holiday (San Pedro and Sagrado Corazón),
        // so 1, 2, 3, 4, 7, 8, 9 July → due 2025-07-09.
        let t = Terminos::por_defecto();
        let mut g = formulada(1000);
        g.responder(&r("X", EfectoRespuesta::NoAcepta, 0, 1000, "2025-04-30"), &t)
            .unwrap();
        assert_eq!(g.fecha_limite_subsanacion(&t), None);
        g.decidir(&Decision {
            resultado: ResultadoDecision::Ratificada,
            valor_levantado: 0,
            fecha: d("2025-06-27"),
        })
        .unwrap();
        assert_eq!(g.fecha_limite_subsanacion(&t), Some(d("2025-07-09")));
    }

    #[test]
    fn decisions_must_match_their_result() {
        let t = Terminos::por_defecto();
        let mut g = formulada(1000);
        let dec = |res, v, f: &str| Decision {
            resultado: res,
            valor_levantado: v,
            fecha: d(f),
        };
        assert!(matches!(
            g.decidir(&dec(ResultadoDecision::Levantada, 1000, "2025-04-30")),
            Err(Rechazo::Estado(_))
        ));
        g.responder(&r("X", EfectoRespuesta::AceptaParcial, 200, 800, "2025-04-20"), &t)
            .unwrap();
        for (res, v) in [
            (ResultadoDecision::Levantada, 799),
            (ResultadoDecision::Ratificada, 1),
            (ResultadoDecision::Parcial, 800),
            (ResultadoDecision::Parcial, 0),
        ] {
            assert_eq!(
                paths(g.decidir(&dec(res, v, "2025-04-30")).unwrap_err()),
                ["valor_levantado"],
                "{res:?} {v}"
            );
        }
        assert_eq!(
            paths(
                g.decidir(&dec(ResultadoDecision::Ratificada, 0, "2025-04-19"))
                    .unwrap_err()
            ),
            ["fecha"]
        );
        g.decidir(&dec(ResultadoDecision::Ratificada, 0, "2025-04-30")).unwrap();
        assert_eq!((g.estado, g.ratificado()), (EstadoGlosa::Ratificada, 800));
    }

    #[test]
    fn a_conciliation_splits_exactly_the_ratified_value() {
        let t = Terminos::por_defecto();
        let mut g = formulada(1000);
        let c = |p, q| Conciliacion {
            a_favor_prestador: p,
            a_favor_pagador: q,
            fecha: d("2025-06-01"),
        };
        assert!(matches!(g.conciliar(&c(None, None)), Err(Rechazo::Estado(_))));
        g.responder(&r("X", EfectoRespuesta::NoAcepta, 0, 1000, "2025-04-20"), &t)
            .unwrap();
        g.decidir(&Decision {
            resultado: ResultadoDecision::Parcial,
            valor_levantado: 400,
            fecha: d("2025-04-30"),
        })
        .unwrap();
        assert_eq!(
            paths(g.conciliar(&c(Some(300), Some(301))).unwrap_err()),
            ["valor_a_favor_pagador"]
        );
        assert_eq!(
            paths(g.conciliar(&c(Some(600), None)).unwrap_err()),
            ["valor_a_favor_prestador"]
        );
        g.conciliar(&c(None, None)).unwrap();
        assert!(matches!(g.conciliar(&c(None, None)), Err(Rechazo::Estado(_))));
        g.conciliar(&c(Some(350), Some(250))).unwrap();
        assert_eq!(g.estado, EstadoGlosa::Conciliada);
        assert_eq!(g.vigente(), 1000 - 400 - 350);
    }
}
