//! The life of an invoice after expedición: radicación, devolución, glosas, pagos, notas
//! crédito, castigo. The invoice's state and balance are derived from these facts, so they
//! can never disagree with them.

use chrono::NaiveDate;

use super::factura::EstadoFactura;
use super::glosa::{EstadoGlosa, Glosa};
use super::money::from_centavos;
use super::terminos::{FechaGlosa, Reglas, Terminos};
use super::Rechazo;

/// The facts of one invoice that the rules need. Values in centavos.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Factura {
    pub numero: String,
    /// Value less copagos and cuotas moderadoras: what the payer was billed.
    pub a_cargo: i64,
    pub fecha_expedicion: NaiveDate,
    /// (line, value) of each line.
    pub items: Vec<(i32, i64)>,
    /// Date of the radicación in force, if any.
    pub fecha_radicacion: Option<NaiveDate>,
    pub radicaciones: u32,
    /// Date of the devolución of the radicación in force, if it was returned.
    pub devuelta_en: Option<NaiveDate>,
    pub glosas: Vec<Glosa>,
    pub pagado: i64,
    pub notas: i64,
    pub castigado: i64,
    pub anulada: bool,
}

/// The payer's terms that a radicación starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanRadicacion {
    pub reradicacion: bool,
    /// Last day the prestador had to radicate (first radicación only).
    pub fecha_limite_radicacion: Option<NaiveDate>,
    pub en_termino: bool,
    pub fecha_limite_devolucion: NaiveDate,
    pub fecha_limite_glosa: NaiveDate,
    pub fecha_limite_pago: NaiveDate,
}

/// A glosa as the payer communicated it.
#[derive(Debug, Clone)]
pub struct NuevaGlosa {
    pub item_linea: Option<i32>,
    pub valor: i64,
    pub fecha_formulacion: NaiveDate,
    pub fecha_recepcion: NaiveDate,
    /// Ley 1438/2011 art. 57 admits new glosas after the first formulation only for new
    /// facts found in the prestador's answer.
    pub hecho_nuevo: bool,
}

fn pesos(c: i64) -> String {
    from_centavos(c).to_string()
}

impl Factura {
    fn cerrada(&self) -> Result<(), Rechazo> {
        if self.anulada {
            return Err(Rechazo::Estado(format!(
                "la factura {} está anulada por nota crédito",
                self.numero
            )));
        }
        if self.castigado > 0 {
            return Err(Rechazo::Estado(format!("la factura {} está castigada", self.numero)));
        }
        Ok(())
    }

    /// Radicated and not returned: the payer has it.
    fn radicada_vigente(&self) -> Option<NaiveDate> {
        self.fecha_radicacion.filter(|_| self.devuelta_en.is_none())
    }

    /// What the prestador has lost for good through glosas as of `hoy`.
    pub fn glosado_contra(&self, hoy: NaiveDate, reglas: &Reglas) -> i64 {
        self.glosas.iter().map(|g| g.contra_prestador(hoy, reglas)).sum()
    }

    /// What is still owed as of `hoy`: the value billed less glosas accepted or conciliated
    /// against the prestador, payments applied, notas crédito and castigo. Disputed glosas
    /// are still owed (they are `en_discusion`, part of the saldo).
    pub fn saldo(&self, hoy: NaiveDate, reglas: &Reglas) -> i64 {
        self.a_cargo - self.glosado_contra(hoy, reglas) - self.pagado - self.notas - self.castigado
    }

    /// The value of glosas still disputed as of `hoy`.
    pub fn en_discusion(&self, hoy: NaiveDate, reglas: &Reglas) -> i64 {
        self.glosas.iter().map(|g| g.en_discusion(hoy, reglas)).sum()
    }

    /// Where the invoice is: who has the ball.
    pub fn estado(&self, hoy: NaiveDate, reglas: &Reglas) -> EstadoFactura {
        use EstadoFactura as E;
        if self.anulada {
            return E::Anulada;
        }
        if self.castigado > 0 {
            return E::Castigada;
        }
        if self.fecha_radicacion.is_some() && self.saldo(hoy, reglas) == 0 {
            return E::Pagada;
        }
        let hay = |e: EstadoGlosa| self.glosas.iter().any(|g| g.estado == e);
        if hay(EstadoGlosa::Formulada) {
            return E::Glosada;
        }
        if hay(EstadoGlosa::Respondida) {
            return E::Respondida;
        }
        if hay(EstadoGlosa::EnConciliacion) {
            return E::EnConciliacion;
        }
        if hay(EstadoGlosa::Ratificada) {
            return E::Ratificada;
        }
        if self.pagado > 0 {
            return E::PagadaParcial;
        }
        if hay(EstadoGlosa::Conciliada) {
            return E::Conciliada;
        }
        if self.glosas.iter().any(|g| g.valor_levantado > 0) {
            return E::Levantada;
        }
        // With no glosa process open the payer holds the invoice to pay it.
        match (self.fecha_radicacion, self.devuelta_en, self.radicaciones) {
            (None, _, _) => E::Expedida,
            (Some(_), Some(_), _) => E::Devuelta,
            (Some(_), None, n) if n > 1 => E::Reradicada,
            _ => E::Radicada,
        }
    }

    /// Files the invoice with the payer, for the first time or again after a devolución;
    /// the payer's terms start from this date (Ley 1438/2011 art. 57).
    pub fn radicar(&self, fecha: NaiveDate, t: &Terminos) -> Result<PlanRadicacion, Rechazo> {
        self.cerrada()?;
        if let Some(r) = self.radicada_vigente() {
            return Err(Rechazo::Estado(format!(
                "la factura {} ya está radicada desde {r}; solo se radica de nuevo después de una devolución",
                self.numero
            )));
        }
        if fecha < self.fecha_expedicion {
            return Err(Rechazo::uno(
                "fecha_radicacion",
                format!(
                    "la radicación ({fecha}) no puede ser anterior a la expedición ({})",
                    self.fecha_expedicion
                ),
            ));
        }
        if let Some(dev) = self.devuelta_en {
            if fecha < dev {
                return Err(Rechazo::uno(
                    "fecha_radicacion",
                    format!("la nueva radicación ({fecha}) no puede ser anterior a la devolución ({dev})"),
                ));
            }
        }
        let reradicacion = self.devuelta_en.is_some();
        // The prestador's term to radicate runs from expedición (first radicación only).
        let limite = (!reradicacion).then(|| t.radicacion.vence(self.fecha_expedicion));
        Ok(PlanRadicacion {
            reradicacion,
            fecha_limite_radicacion: limite,
            en_termino: limite.is_none_or(|l| fecha <= l),
            fecha_limite_devolucion: t.devolucion.vence(fecha),
            fecha_limite_glosa: t.glosa.vence(fecha),
            fecha_limite_pago: t.pago.vence(fecha),
        })
    }

    /// The payer returns the whole invoice. Returns whether it did so after its term
    /// (Ley 1438/2011 art. 57, `terminos.devolucion`); a late devolución is recorded and marked.
    pub fn devolver(&self, fecha: NaiveDate, t: &Terminos) -> Result<bool, Rechazo> {
        self.cerrada()?;
        let Some(radicada) = self.radicada_vigente() else {
            return Err(Rechazo::Estado(format!(
                "la factura {} no está en poder del pagador (no está radicada, o ya fue devuelta)",
                self.numero
            )));
        };
        // A devolución stops the audit of the whole invoice; once the payer glosó or paid it,
        // it audited it (Res. 3047/2008 anexo técnico 6).
        if !self.glosas.is_empty() || self.pagado > 0 {
            return Err(Rechazo::Estado(format!(
                "el pagador ya glosó o pagó la factura {}; después de eso no puede devolverla",
                self.numero
            )));
        }
        if fecha < radicada {
            return Err(Rechazo::uno(
                "fecha",
                format!("la devolución ({fecha}) es anterior a la radicación ({radicada})"),
            ));
        }
        Ok(fecha > t.devolucion.vence(radicada))
    }

    /// A new glosa, checked against the invoice and its line, with its response term
    /// (Ley 1438/2011 art. 57).
    pub fn glosar(&self, n: &NuevaGlosa, t: &Terminos) -> Result<Glosa, Rechazo> {
        self.cerrada()?;
        let Some(radicada) = self.radicada_vigente() else {
            return Err(Rechazo::Estado(format!(
                "la factura {} no está radicada (o fue devuelta): no se puede glosar",
                self.numero
            )));
        };
        if n.valor <= 0 {
            return Err(Rechazo::uno("valor", "el valor de la glosa debe ser mayor que cero"));
        }
        if n.fecha_recepcion < n.fecha_formulacion {
            return Err(Rechazo::uno(
                "fecha_recepcion",
                format!(
                    "la glosa se recibió ({}) antes de formularse ({})",
                    n.fecha_recepcion, n.fecha_formulacion
                ),
            ));
        }
        if n.fecha_formulacion < radicada {
            return Err(Rechazo::uno(
                "fecha_formulacion",
                format!(
                    "la glosa ({}) es anterior a la radicación ({radicada})",
                    n.fecha_formulacion
                ),
            ));
        }
        // Ley 1438/2011 art. 57: glosas are formulated once; later ones only for new facts.
        if let Some(primera) = self.glosas.iter().map(|g| g.fecha_formulacion).min() {
            if n.fecha_formulacion != primera && !n.hecho_nuevo {
                return Err(Rechazo::Estado(format!(
                    "el pagador ya formuló glosas a esta factura el {primera}; una glosa posterior solo cabe por hechos \
                     nuevos de la respuesta (Ley 1438 de 2011, art. 57): márquela con hecho_nuevo"
                )));
            }
        }
        let comprometido: i64 =
            self.glosas.iter().map(Glosa::vigente).sum::<i64>() + self.pagado + self.notas + self.castigado;
        let disponible = self.a_cargo - comprometido;
        if n.valor > disponible {
            return Err(Rechazo::uno(
                "valor",
                format!(
                    "la glosa de {} supera lo que queda por glosar de la factura {} ({})",
                    pesos(n.valor),
                    self.numero,
                    pesos(disponible.max(0))
                ),
            ));
        }
        if let Some(linea) = n.item_linea {
            let Some(&(_, valor_linea)) = self.items.iter().find(|(l, _)| *l == linea) else {
                return Err(Rechazo::uno(
                    "item",
                    format!("la factura {} no tiene la línea {linea}", self.numero),
                ));
            };
            let en_linea: i64 = self
                .glosas
                .iter()
                .filter(|g| g.item_linea == Some(linea))
                .map(Glosa::vigente)
                .sum();
            if n.valor > valor_linea - en_linea {
                return Err(Rechazo::uno(
                    "valor",
                    format!(
                        "la glosa de {} supera lo que queda por glosar de la línea {linea} ({})",
                        pesos(n.valor),
                        pesos((valor_linea - en_linea).max(0))
                    ),
                ));
            }
        }
        let referencia = match t.reglas.extemporaneidad_glosa_segun {
            FechaGlosa::Recepcion => n.fecha_recepcion,
            FechaGlosa::Formulacion => n.fecha_formulacion,
        };
        Ok(Glosa::formulada(
            n.item_linea,
            n.valor,
            n.fecha_formulacion,
            n.fecha_recepcion,
            t.respuesta.vence(n.fecha_recepcion),
            referencia > t.glosa.vence(radicada),
        ))
    }

    /// Applies part of a payment. More than the saldo is refused: the rest of the payment
    /// stays unapplied for another invoice.
    pub fn aplicar_pago(&self, valor: i64, hoy: NaiveDate, reglas: &Reglas) -> Result<(), Rechazo> {
        self.cerrada()?;
        if valor <= 0 {
            return Err(Rechazo::uno("valor", "el valor aplicado debe ser mayor que cero"));
        }
        let saldo = self.saldo(hoy, reglas);
        if valor > saldo {
            return Err(Rechazo::uno(
                "valor",
                format!(
                    "aplicar {} supera el saldo de la factura {} ({})",
                    pesos(valor),
                    self.numero,
                    pesos(saldo)
                ),
            ));
        }
        Ok(())
    }

    /// A nota crédito lowers what is owed; one that annuls the invoice must cover all of it and
    /// can only be issued while the payer has not acted on it.
    pub fn nota_credito(&self, valor: i64, anulacion: bool, hoy: NaiveDate, reglas: &Reglas) -> Result<(), Rechazo> {
        self.cerrada()?;
        if valor <= 0 {
            return Err(Rechazo::uno("valor", "el valor de la nota debe ser mayor que cero"));
        }
        let saldo = self.saldo(hoy, reglas);
        if anulacion {
            if self.radicada_vigente().is_some() || self.pagado > 0 || !self.glosas.is_empty() {
                return Err(Rechazo::Estado(format!(
                    "la factura {} está en poder del pagador o ya tiene glosas o pagos: no se anula, se ajusta con notas",
                    self.numero
                )));
            }
            if valor != saldo {
                return Err(Rechazo::uno(
                    "valor",
                    format!("una nota de anulación debe ser por todo el saldo ({})", pesos(saldo)),
                ));
            }
        } else if valor > saldo {
            return Err(Rechazo::uno(
                "valor",
                format!("la nota de {} supera el saldo ({})", pesos(valor), pesos(saldo)),
            ));
        }
        Ok(())
    }

    /// Writes off what is owed. Returns the value written off.
    pub fn castigar(&self, hoy: NaiveDate, reglas: &Reglas) -> Result<i64, Rechazo> {
        self.cerrada()?;
        if self.fecha_radicacion.is_none() {
            return Err(Rechazo::Estado(format!(
                "la factura {} nunca se radicó: no hay cartera que castigar",
                self.numero
            )));
        }
        let saldo = self.saldo(hoy, reglas);
        if saldo <= 0 {
            return Err(Rechazo::Estado(format!("la factura {} no tiene saldo", self.numero)));
        }
        Ok(saldo)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::catalogo::EfectoRespuesta;
    use crate::domain::glosa::{Conciliacion, Decision, Respuesta, ResultadoDecision};

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }
    fn t() -> Terminos {
        Terminos::por_defecto()
    }
    const P: i64 = 100; // one peso in centavos

    /// An invoice of $1.000.000 with two lines ($600.000 and $400.000), issued 2025-03-03.
    fn expedida() -> Factura {
        Factura {
            numero: "FE-1".into(),
            a_cargo: 1_000_000 * P,
            fecha_expedicion: d("2025-03-03"),
            items: vec![(1, 600_000 * P), (2, 400_000 * P)],
            fecha_radicacion: None,
            radicaciones: 0,
            devuelta_en: None,
            glosas: vec![],
            pagado: 0,
            notas: 0,
            castigado: 0,
            anulada: false,
        }
    }
    fn radicada() -> Factura {
        Factura {
            fecha_radicacion: Some(d("2025-04-11")),
            radicaciones: 1,
            ..expedida()
        }
    }
    fn devuelta() -> Factura {
        Factura {
            devuelta_en: Some(d("2025-04-15")),
            ..radicada()
        }
    }
    fn glosa(f: &Factura, linea: Option<i32>, valor: i64, recibida: &str) -> Glosa {
        f.glosar(
            &NuevaGlosa {
                item_linea: linea,
                valor,
                fecha_formulacion: d("2025-04-11"),
                fecha_recepcion: d(recibida),
                hecho_nuevo: false,
            },
            &t(),
        )
        .unwrap()
    }
    fn glosada() -> Factura {
        let mut f = radicada();
        let g = glosa(&f, Some(2), 150_000 * P, "2025-04-11");
        f.glosas.push(g);
        f
    }
    fn respuesta(aceptado: i64, sustentado: i64, efecto: EfectoRespuesta, fecha: &str) -> Respuesta {
        Respuesta {
            codigo: "RE9801".into(),
            efecto,
            valor_aceptado: aceptado,
            valor_sustentado: sustentado,
            fecha: d(fecha),
        }
    }
    fn reglas() -> Reglas {
        t().reglas
    }

    #[derive(Debug)]
    enum Accion {
        Radicar,
        Devolver,
        Glosar,
        Pagar,
        Anular,
        Castigar,
    }

    fn intentar(f: &Factura, a: &Accion) -> Result<(), Rechazo> {
        let hoy = d("2025-04-20");
        let g = NuevaGlosa {
            item_linea: None,
            valor: 10_000 * P,
            fecha_formulacion: d("2025-04-16"),
            fecha_recepcion: d("2025-04-16"),
            hecho_nuevo: false,
        };
        match a {
            Accion::Radicar => f.radicar(d("2025-04-16"), &t()).map(|_| ()),
            Accion::Devolver => f.devolver(d("2025-04-16"), &t()).map(|_| ()),
            Accion::Glosar => f.glosar(&g, &t()).map(|_| ()),
            Accion::Pagar => f.aplicar_pago(1_000 * P, hoy, &reglas()),
            Accion::Anular => f.nota_credito(f.saldo(hoy, &reglas()), true, hoy, &reglas()),
            Accion::Castigar => f.castigar(hoy, &reglas()).map(|_| ()),
        }
    }

    #[test]
    fn every_action_in_every_state_is_allowed_or_refused_as_the_law_says() {
        use Accion::*;
        let anulada = Factura {
            anulada: true,
            ..expedida()
        };
        let castigada = Factura {
            castigado: 1_000_000 * P,
            ..radicada()
        };
        let pagada = Factura {
            pagado: 1_000_000 * P,
            ..radicada()
        };
        let reradicada = Factura {
            radicaciones: 2,
            fecha_radicacion: Some(d("2025-04-16")),
            ..radicada()
        };
        // (state, action, allowed)
        let tabla: Vec<(&str, Factura, Accion, bool)> = vec![
            ("expedida", expedida(), Radicar, true),
            ("expedida", expedida(), Devolver, false),
            ("expedida", expedida(), Glosar, false),
            ("expedida", expedida(), Pagar, true),
            ("expedida", expedida(), Anular, true),
            ("expedida", expedida(), Castigar, false),
            ("radicada", radicada(), Radicar, false),
            ("radicada", radicada(), Devolver, true),
            ("radicada", radicada(), Glosar, true),
            ("radicada", radicada(), Pagar, true),
            ("radicada", radicada(), Anular, false),
            ("radicada", radicada(), Castigar, true),
            ("devuelta", devuelta(), Radicar, true),
            ("devuelta", devuelta(), Devolver, false),
            ("devuelta", devuelta(), Glosar, false),
            ("devuelta", devuelta(), Anular, true),
            ("reradicada", reradicada.clone(), Radicar, false),
            ("reradicada", reradicada.clone(), Devolver, true),
            ("reradicada", reradicada, Glosar, true),
            ("glosada", glosada(), Radicar, false),
            ("glosada", glosada(), Devolver, false),
            ("glosada", glosada(), Anular, false),
            ("glosada", glosada(), Pagar, true),
            ("pagada", pagada.clone(), Pagar, false),
            ("pagada", pagada.clone(), Glosar, false),
            ("pagada", pagada.clone(), Devolver, false),
            ("pagada", pagada, Castigar, false),
            ("anulada", anulada.clone(), Radicar, false),
            ("anulada", anulada.clone(), Pagar, false),
            ("anulada", anulada, Anular, false),
            ("castigada", castigada.clone(), Pagar, false),
            ("castigada", castigada.clone(), Glosar, false),
            ("castigada", castigada, Castigar, false),
        ];
        for (estado, f, accion, permitido) in tabla {
            let r = intentar(&f, &accion);
            assert_eq!(r.is_ok(), permitido, "{accion:?} on {estado}: {r:?}");
        }
    }

    #[test]
    fn radicacion_starts_the_payers_terms_across_holy_week_and_may_day() {
        // Radicated Friday 2025-04-11. Devolución: 5 días hábiles skipping Holy Thursday and
        // Friday (17-18 April) → 22 April. Glosa: 20 → 14 May (1 May skipped). Pago: 30 → 28 May.
        let p = expedida().radicar(d("2025-04-11"), &t()).unwrap();
        assert_eq!(p.fecha_limite_devolucion, d("2025-04-22"));
        assert_eq!(p.fecha_limite_glosa, d("2025-05-14"));
        assert_eq!(p.fecha_limite_pago, d("2025-05-28"));
        // Expedida Monday 2025-03-03: 22 días hábiles, 24 March (San José) skipped → 3 April.
        assert_eq!(p.fecha_limite_radicacion, Some(d("2025-04-03")));
        assert!(!p.en_termino);
        assert!(expedida().radicar(d("2025-04-03"), &t()).unwrap().en_termino);
        assert!(!p.reradicacion);
    }

    #[test]
    fn terms_across_the_year_end() {
        // Radicated 2025-12-15: skipping 25 Dec, 1 Jan and Reyes (moved to 12 Jan 2026).
        let f = Factura {
            fecha_expedicion: d("2025-12-01"),
            ..expedida()
        };
        let p = f.radicar(d("2025-12-15"), &t()).unwrap();
        assert_eq!(p.fecha_limite_glosa, d("2026-01-15"));
    }

    #[test]
    fn a_returned_invoice_is_radicated_again_and_its_terms_start_over() {
        let f = devuelta();
        assert_eq!(f.estado(d("2025-04-16"), &reglas()), EstadoFactura::Devuelta);
        let e = f.radicar(d("2025-04-14"), &t()).unwrap_err();
        assert!(
            matches!(e, Rechazo::Valores(ref v) if v[0].path == "fecha_radicacion"),
            "{e:?}"
        );
        let p = f.radicar(d("2025-04-21"), &t()).unwrap();
        assert!(p.reradicacion && p.en_termino && p.fecha_limite_radicacion.is_none());
        assert_eq!(p.fecha_limite_glosa, d("2025-05-20"));
        let re = Factura {
            fecha_radicacion: Some(d("2025-04-21")),
            radicaciones: 2,
            devuelta_en: None,
            ..f
        };
        assert_eq!(re.estado(d("2025-04-21"), &reglas()), EstadoFactura::Reradicada);
    }

    #[test]
    fn a_late_devolucion_is_recorded_as_extemporanea() {
        assert!(!radicada().devolver(d("2025-04-22"), &t()).unwrap());
        assert!(radicada().devolver(d("2025-04-23"), &t()).unwrap());
    }

    #[test]
    fn a_glosa_communicated_after_twenty_dias_habiles_is_extemporanea() {
        let f = radicada();
        assert!(!glosa(&f, None, P, "2025-05-14").extemporanea);
        assert!(glosa(&f, None, P, "2025-05-15").extemporanea);
        // Its answer is due 15 días hábiles after it was received.
        assert_eq!(glosa(&f, None, P, "2025-04-11").fecha_limite_respuesta, d("2025-05-07"));
    }

    #[test]
    fn partial_glosas_on_a_line_cannot_exceed_the_line_or_the_invoice() {
        let mut f = radicada();
        f.glosas.push(glosa(&f, Some(2), 150_000 * P, "2025-04-14"));
        f.glosas.push(glosa(&f, Some(2), 250_000 * P, "2025-04-14"));
        let otra = NuevaGlosa {
            item_linea: Some(2),
            valor: P,
            fecha_formulacion: d("2025-04-11"),
            fecha_recepcion: d("2025-04-14"),
            hecho_nuevo: false,
        };
        let e = f.glosar(&otra, &t()).unwrap_err();
        assert!(
            matches!(&e, Rechazo::Valores(v) if v[0].message.contains("línea 2 (0.00)")),
            "{e:?}"
        );
        let e = f
            .glosar(
                &NuevaGlosa {
                    item_linea: Some(9),
                    ..otra.clone()
                },
                &t(),
            )
            .unwrap_err();
        assert!(matches!(&e, Rechazo::Valores(v) if v[0].path == "item"), "{e:?}");
        // The whole invoice still has $600.000 to object to, and not a peso more.
        f.glosas.push(glosa(&f, None, 600_000 * P, "2025-04-14"));
        let e = f
            .glosar(
                &NuevaGlosa {
                    item_linea: None,
                    ..otra
                },
                &t(),
            )
            .unwrap_err();
        assert!(matches!(&e, Rechazo::Valores(v) if v[0].path == "valor"), "{e:?}");
        assert_eq!(f.en_discusion(d("2025-04-20"), &reglas()), 1_000_000 * P);
        assert_eq!(f.saldo(d("2025-04-20"), &reglas()), 1_000_000 * P);
    }

    #[test]
    fn glosas_after_the_first_formulation_need_a_new_fact() {
        let f = glosada();
        let tarde = NuevaGlosa {
            item_linea: None,
            valor: P,
            fecha_formulacion: d("2025-04-20"),
            fecha_recepcion: d("2025-04-21"),
            hecho_nuevo: false,
        };
        assert!(matches!(f.glosar(&tarde, &t()), Err(Rechazo::Estado(m)) if m.contains("art. 57")));
        assert!(f
            .glosar(
                &NuevaGlosa {
                    hecho_nuevo: true,
                    ..tarde
                },
                &t()
            )
            .is_ok());
    }

    #[test]
    fn an_unanswered_glosa_is_accepted_by_silence_the_day_after_its_term() {
        let f = glosada(); // $150.000 received 2025-04-11, due 2025-05-07
        let r = reglas();
        assert_eq!(f.saldo(d("2025-05-07"), &r), 1_000_000 * P);
        assert_eq!(f.en_discusion(d("2025-05-07"), &r), 150_000 * P);
        assert!(!f.glosas[0].aceptada_tacitamente(d("2025-05-07"), &r));
        assert!(f.glosas[0].aceptada_tacitamente(d("2025-05-08"), &r));
        assert_eq!(f.saldo(d("2025-05-08"), &r), 850_000 * P);
        assert_eq!(f.en_discusion(d("2025-05-08"), &r), 0);
        // A deployment that reads the norm otherwise turns it off.
        let sin = Reglas {
            aceptacion_tacita: false,
            ..r
        };
        assert_eq!(f.saldo(d("2025-05-08"), &sin), 1_000_000 * P);
    }

    #[test]
    fn the_whole_cycle_to_the_peso() {
        let r = reglas();
        let mut f = glosada();
        // The prestador accepts $50.000,50 and sustains $99.999,50.
        f.glosas[0]
            .responder(
                &respuesta(5_000_050, 9_999_950, EfectoRespuesta::AceptaParcial, "2025-04-30"),
                &t(),
            )
            .unwrap();
        assert_eq!(f.estado(d("2025-04-30"), &r), EstadoFactura::Respondida);
        assert_eq!(f.saldo(d("2025-04-30"), &r), 100_000_000 - 5_000_050);
        assert_eq!(f.en_discusion(d("2025-04-30"), &r), 9_999_950);
        // Decision due 10 días hábiles after the answer: 30 Apr → 15 May (1 May skipped).
        assert_eq!(f.glosas[0].fecha_limite_decision, Some(d("2025-05-15")));
        // The payer lifts $60.000 and keeps $39.999,50.
        let dec = Decision {
            resultado: ResultadoDecision::Parcial,
            valor_levantado: 6_000_000,
            fecha: d("2025-05-09"),
        };
        f.glosas[0].decidir(&dec).unwrap();
        assert_eq!(f.estado(d("2025-05-09"), &r), EstadoFactura::Ratificada);
        assert_eq!(f.en_discusion(d("2025-05-09"), &r), 3_999_950);
        f.glosas[0]
            .conciliar(&Conciliacion {
                a_favor_prestador: None,
                a_favor_pagador: None,
                fecha: d("2025-05-20"),
            })
            .unwrap();
        assert_eq!(f.estado(d("2025-05-20"), &r), EstadoFactura::EnConciliacion);
        let acta = Conciliacion {
            a_favor_prestador: Some(2_000_000),
            a_favor_pagador: Some(1_999_950),
            fecha: d("2025-06-03"),
        };
        f.glosas[0].conciliar(&acta).unwrap();
        assert_eq!(f.estado(d("2025-06-03"), &r), EstadoFactura::Conciliada);
        // Lost for good: $50.000,50 accepted + $19.999,50 conciliated = $70.000,00.
        let saldo = f.saldo(d("2025-06-03"), &r);
        assert_eq!(saldo, 93_000_000);
        assert_eq!(f.en_discusion(d("2025-06-03"), &r), 0);
        // A payment larger than the balance is refused; the exact balance closes the invoice.
        assert!(
            matches!(f.aplicar_pago(saldo + 1, d("2025-06-10"), &r), Err(Rechazo::Valores(v)) if v[0].message.contains("930000.00"))
        );
        f.aplicar_pago(40_000_000, d("2025-06-10"), &r).unwrap();
        f.pagado = 40_000_000;
        assert_eq!(f.estado(d("2025-06-10"), &r), EstadoFactura::PagadaParcial);
        f.pagado += saldo - 40_000_000;
        assert_eq!(f.saldo(d("2025-06-10"), &r), 0);
        assert_eq!(f.estado(d("2025-06-10"), &r), EstadoFactura::Pagada);
    }

    #[test]
    fn an_undecided_answer_is_lifted_by_silence() {
        let r = reglas();
        let mut f = glosada();
        f.glosas[0]
            .responder(
                &respuesta(0, 150_000 * P, EfectoRespuesta::NoAcepta, "2025-04-30"),
                &t(),
            )
            .unwrap();
        assert_eq!(f.en_discusion(d("2025-05-15"), &r), 150_000 * P);
        assert_eq!(f.en_discusion(d("2025-05-16"), &r), 0);
        assert_eq!(
            f.saldo(d("2025-05-16"), &r),
            1_000_000 * P,
            "lifted values are still owed"
        );
    }

    #[test]
    fn lifted_and_accepted_glosas_leave_the_ball_with_the_payer() {
        let r = reglas();
        let mut f = glosada();
        f.glosas[0]
            .responder(
                &respuesta(150_000 * P, 0, EfectoRespuesta::AceptaTotal, "2025-04-30"),
                &t(),
            )
            .unwrap();
        assert_eq!(f.estado(d("2025-04-30"), &r), EstadoFactura::Radicada);
        assert_eq!(f.saldo(d("2025-04-30"), &r), 850_000 * P);
        let mut f = glosada();
        f.glosas[0]
            .responder(
                &respuesta(0, 150_000 * P, EfectoRespuesta::NoAcepta, "2025-04-30"),
                &t(),
            )
            .unwrap();
        let dec = Decision {
            resultado: ResultadoDecision::Levantada,
            valor_levantado: 150_000 * P,
            fecha: d("2025-05-05"),
        };
        f.glosas[0].decidir(&dec).unwrap();
        assert_eq!(f.estado(d("2025-05-05"), &r), EstadoFactura::Levantada);
        assert_eq!(f.saldo(d("2025-05-05"), &r), 1_000_000 * P);
    }

    #[test]
    fn annulment_and_write_off() {
        let r = reglas();
        let hoy = d("2025-05-01");
        assert!(matches!(
            expedida().nota_credito(999_999 * P, true, hoy, &r),
            Err(Rechazo::Valores(_))
        ));
        assert!(expedida().nota_credito(1_000_000 * P, true, hoy, &r).is_ok());
        assert!(radicada().nota_credito(1_000 * P, false, hoy, &r).is_ok());
        assert!(radicada().nota_credito(1_000_001 * P, false, hoy, &r).is_err());
        assert_eq!(radicada().castigar(hoy, &r).unwrap(), 1_000_000 * P);
        let castigada = Factura {
            castigado: 1_000_000 * P,
            ..radicada()
        };
        assert_eq!(castigada.estado(hoy, &r), EstadoFactura::Castigada);
        assert_eq!(castigada.saldo(hoy, &r), 0);
    }
}
