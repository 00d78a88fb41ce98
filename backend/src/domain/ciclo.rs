//! The life of an invoice after expedición: radicación, devolución, glosas, pagos, notas
//! crédito, castigo. The invoice's state and balance are derived from these facts, so they
//! can never disagree with them.

use chrono::NaiveDate;

use super::devolucion::{Devolucion, EstadoDevolucion};
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
    /// The devolución of the radicación in force, if the payer returned it.
    pub devolucion: Option<Devolucion>,
    /// Devoluciones ever recorded for the invoice, timely or not (Res. 2284/2023 art. 6.1
    /// allows one).
    pub devoluciones: u32,
    pub glosas: Vec<Glosa>,
    pub pagado: i64,
    pub notas: i64,
    /// Notas débito: what the prestador added to the invoice after issuing it.
    pub debitos: i64,
    /// What the payer paid in advance, before the invoice (the DIAN invoice's PrepaidAmount
    /// beyond the patient's copagos and cuotas): it is not a payment applied after radicación,
    /// so it does not change who has the ball, but it is no longer owed.
    pub anticipos: i64,
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
    /// Ley 1122/2007 art. 13 lit. d: the share due within `pago_anticipo` (non-capitated).
    pub fecha_limite_anticipo: NaiveDate,
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

    /// Whether a devolución keeps the invoice out of the payer's process as of `hoy`.
    pub fn devuelta(&self, hoy: NaiveDate, reglas: &Reglas) -> bool {
        self.devolucion.as_ref().is_some_and(|d| d.vigente(hoy, reglas))
    }

    /// Radicated and not returned as of `hoy`: the payer has it.
    fn radicada_vigente(&self, hoy: NaiveDate, reglas: &Reglas) -> Option<NaiveDate> {
        self.fecha_radicacion.filter(|_| !self.devuelta(hoy, reglas))
    }

    /// A devolución accepted by the prestador (RE9701 or silence, Res. 2284/2023 art. 6.2)
    /// obliges it to issue the nota crédito, unless it radicates the corrected invoice again.
    pub fn nota_credito_debida(&self, hoy: NaiveDate, reglas: &Reglas) -> bool {
        !self.anulada
            && self
                .devolucion
                .as_ref()
                .is_some_and(|d| d.estado(hoy, reglas) == EstadoDevolucion::Aceptada)
    }

    /// What the prestador has lost for good through glosas as of `hoy`.
    pub fn glosado_contra(&self, hoy: NaiveDate, reglas: &Reglas) -> i64 {
        self.glosas.iter().map(|g| g.contra_prestador(hoy, reglas)).sum()
    }

    /// What is still owed as of `hoy`: the value billed plus notas débito, less glosas
    /// accepted or conciliated against the prestador, advances, payments applied, notas crédito
    /// and castigo. Disputed glosas are still owed (they are `en_discusion`, part of the saldo).
    pub fn saldo(&self, hoy: NaiveDate, reglas: &Reglas) -> i64 {
        self.a_cargo + self.debitos
            - self.glosado_contra(hoy, reglas)
            - self.anticipos
            - self.pagado
            - self.notas
            - self.castigado
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
        match (self.fecha_radicacion, self.devuelta(hoy, reglas), self.radicaciones) {
            (None, _, _) => E::Expedida,
            (Some(_), true, _) => E::Devuelta,
            (Some(_), false, n) if n > 1 => E::Reradicada,
            _ => E::Radicada,
        }
    }

    /// Files the invoice with the payer, for the first time or again after a devolución;
    /// the payer's terms start from this date (Ley 1438/2011 art. 57).
    pub fn radicar(&self, fecha: NaiveDate, t: &Terminos) -> Result<PlanRadicacion, Rechazo> {
        self.cerrada()?;
        if let Some(r) = self.radicada_vigente(fecha, &t.reglas) {
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
        let devuelta_en = self.devolucion.as_ref().map(|d| d.fecha);
        if let Some(dev) = devuelta_en {
            if fecha < dev {
                return Err(Rechazo::uno(
                    "fecha_radicacion",
                    format!("la nueva radicación ({fecha}) no puede ser anterior a la devolución ({dev})"),
                ));
            }
        }
        let reradicacion = devuelta_en.is_some();
        // The prestador's term to radicate runs from expedición (first radicación only).
        let limite = (!reradicacion).then(|| t.radicacion.vence(self.fecha_expedicion));
        Ok(PlanRadicacion {
            reradicacion,
            fecha_limite_radicacion: limite,
            en_termino: limite.is_none_or(|l| fecha <= l),
            fecha_limite_devolucion: t.devolucion.vence(fecha),
            fecha_limite_glosa: t.glosa.vence(fecha),
            fecha_limite_anticipo: t.pago_anticipo.vence(fecha),
            fecha_limite_pago: t.pago.vence(fecha),
        })
    }

    /// Whether the radicación in force may be voided (recorded by mistake: wrong date or
    /// radicado). Only while nothing rests on it: a devolución of it, glosas or payments
    /// are voided first, so no term or balance is left counted from a date that never was.
    pub fn anulable_radicacion(&self) -> Result<(), Rechazo> {
        if self.fecha_radicacion.is_none() {
            return Err(Rechazo::Estado(format!(
                "la factura {} no está radicada: no hay radicación que anular",
                self.numero
            )));
        }
        if self.devolucion.is_some() {
            return Err(Rechazo::Estado(format!(
                "el pagador devolvió la factura {} sobre esta radicación; anule primero la devolución",
                self.numero
            )));
        }
        if !self.glosas.is_empty() {
            return Err(Rechazo::Estado(format!(
                "la factura {} tiene {} glosa(s) registradas sobre esta radicación; anúlelas primero",
                self.numero,
                self.glosas.len()
            )));
        }
        if self.pagado > 0 {
            return Err(Rechazo::Estado(format!(
                "la factura {} tiene pagos aplicados; anule primero esas aplicaciones",
                self.numero
            )));
        }
        Ok(())
    }

    /// The payer returns the whole invoice. Returns whether it did so after its term
    /// (Res. 2284/2023 art. 6.1, `terminos.devolucion`): a late devolución is recorded and
    /// marked, and leaves the invoice in the payer's process.
    pub fn devolver(&self, fecha: NaiveDate, t: &Terminos) -> Result<bool, Rechazo> {
        self.cerrada()?;
        // Res. 2284/2023 art. 6.1: "por una única vez".
        if self.devoluciones > 0 {
            return Err(Rechazo::Estado(format!(
                "el pagador ya devolvió la factura {} una vez; la devolución procede por una única vez \
                 (Res. 2284 de 2023, art. 6.1)",
                self.numero
            )));
        }
        let Some(radicada) = self.radicada_vigente(fecha, &t.reglas) else {
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
    /// (Ley 1438/2011 art. 57). Every problem of its values comes at once; a problem of the
    /// invoice's state (closed, not radicated, glosed before without a new fact) comes alone.
    pub fn glosar(&self, n: &NuevaGlosa, t: &Terminos) -> Result<Glosa, Rechazo> {
        let mut problemas = self.problemas_de_glosa(n, t);
        if let Some(i) = problemas.iter().position(|r| matches!(r, Rechazo::Estado(_))) {
            return Err(problemas.swap_remove(i));
        }
        if !problemas.is_empty() {
            let todos = problemas
                .into_iter()
                .flat_map(|r| match r {
                    Rechazo::Valores(v) => v,
                    Rechazo::Estado(_) => Vec::new(),
                })
                .collect();
            return Err(Rechazo::Valores(todos));
        }
        let radicada = self
            .radicada_vigente(n.fecha_recepcion, &t.reglas)
            .ok_or_else(|| Rechazo::Estado("la factura no está radicada".into()))?;
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

    /// Every reason a new glosa cannot be recorded on this invoice, of its state and of its
    /// values, so that a sheet of glosas reports all of a row's problems in one run.
    pub fn problemas_de_glosa(&self, n: &NuevaGlosa, t: &Terminos) -> Vec<Rechazo> {
        let mut problemas = Vec::new();
        let valor = |path: &str, m: String| Rechazo::uno(path, m);
        if let Err(r) = self.cerrada() {
            problemas.push(r);
        }
        let radicada = self.radicada_vigente(n.fecha_recepcion, &t.reglas);
        if radicada.is_none() {
            problemas.push(Rechazo::Estado(format!(
                "la factura {} no está radicada (o fue devuelta): no se puede glosar",
                self.numero
            )));
        }
        // Ley 1438/2011 art. 57: glosas are formulated once; later ones only for new facts.
        if let Some(primera) = self.glosas.iter().map(|g| g.fecha_formulacion).min() {
            if n.fecha_formulacion != primera && !n.hecho_nuevo {
                problemas.push(Rechazo::Estado(format!(
                    "el pagador ya formuló glosas a esta factura el {primera}; una glosa posterior solo cabe por hechos \
                     nuevos de la respuesta (Ley 1438 de 2011, art. 57): márquela con hecho_nuevo"
                )));
            }
        }
        if n.valor <= 0 {
            problemas.push(valor("valor", "el valor de la glosa debe ser mayor que cero".into()));
        }
        if n.fecha_recepcion < n.fecha_formulacion {
            problemas.push(valor(
                "fecha_recepcion",
                format!(
                    "la glosa se recibió ({}) antes de formularse ({})",
                    n.fecha_recepcion, n.fecha_formulacion
                ),
            ));
        }
        if let Some(radicada) = radicada.filter(|r| n.fecha_formulacion < *r) {
            problemas.push(valor(
                "fecha_formulacion",
                format!(
                    "la glosa ({}) es anterior a la radicación ({radicada})",
                    n.fecha_formulacion
                ),
            ));
        }
        let comprometido: i64 = self.glosas.iter().map(Glosa::vigente).sum::<i64>()
            + self.anticipos
            + self.pagado
            + self.notas
            + self.castigado;
        let disponible = self.a_cargo + self.debitos - comprometido;
        if n.valor > disponible {
            problemas.push(valor(
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
            match self.items.iter().find(|(l, _)| *l == linea) {
                None => problemas.push(valor(
                    "item",
                    format!("la factura {} no tiene la línea {linea}", self.numero),
                )),
                Some(&(_, valor_linea)) => {
                    let en_linea: i64 = self
                        .glosas
                        .iter()
                        .filter(|g| g.item_linea == Some(linea))
                        .map(Glosa::vigente)
                        .sum();
                    if n.valor > valor_linea - en_linea {
                        problemas.push(valor(
                            "valor",
                            format!(
                                "la glosa de {} supera lo que queda por glosar de la línea {linea} ({})",
                                pesos(n.valor),
                                pesos((valor_linea - en_linea).max(0))
                            ),
                        ));
                    }
                }
            }
        }
        problemas
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
            if self.radicada_vigente(hoy, reglas).is_some() || self.pagado > 0 || !self.glosas.is_empty() {
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

    /// A nota débito raises what is owed (Res. DIAN 000165 de 2023, anexo técnico 1.9: the
    /// DebitNote adds to the invoice it references); a closed invoice takes none.
    pub fn nota_debito(&self, valor: i64) -> Result<(), Rechazo> {
        self.cerrada()?;
        if valor <= 0 {
            return Err(Rechazo::uno(
                "valor",
                "el valor de la nota débito debe ser mayor que cero",
            ));
        }
        Ok(())
    }

    /// Whether a payment without application detail may go to this invoice as of `hoy`
    /// (Res. 2284/2023 art. 7): "aceptada expresa o tácitamente, que se encuentre pendiente
    /// de pago y sobre la cual no haya operado la prescripción". Accepted: in the payer's
    /// hands with no glosa still disputed, and either its glosa term is over (tacit) or the
    /// payer already audited it (glosas formulated and resolved: express). The 50% paid within
    /// 5 días (Ley 1122/2007 art. 13 lit. d) is owed before any audit, so a payment alone
    /// does not make an invoice accepted. Not prescribed: its
    /// payment term ended less than `terminos.prescripcion` ago.
    pub fn aplicable_sin_detalle(&self, hoy: NaiveDate, t: &Terminos) -> bool {
        let Some(radicada) = self.radicada_vigente(hoy, &t.reglas) else {
            return false;
        };
        if self.cerrada().is_err() || self.saldo(hoy, &t.reglas) <= 0 {
            return false;
        }
        let disputa = self
            .glosas
            .iter()
            .any(|g| g.abierta() && !g.aceptada_tacitamente(hoy, &t.reglas));
        let aceptada = hoy > t.glosa.vence(radicada) || !self.glosas.is_empty();
        let prescrita = hoy > t.prescripcion.vence(t.pago.vence(radicada));
        aceptada && !disputa && !prescrita
    }

    /// A payment on a written-off invoice is a recovery of cartera castigada: money the
    /// prestador had given up comes back. It can recover up to what was written off and not yet
    /// recovered; the written-off value goes down by what is recovered.
    pub fn recuperar(&self, valor: i64) -> Result<(), Rechazo> {
        if self.anulada || self.castigado <= 0 {
            return Err(Rechazo::Estado(format!("la factura {} no está castigada", self.numero)));
        }
        if valor <= 0 {
            return Err(Rechazo::uno("valor", "el valor recuperado debe ser mayor que cero"));
        }
        if valor > self.castigado {
            return Err(Rechazo::uno(
                "valor",
                format!(
                    "recuperar {} supera lo castigado de la factura {} que falta por recuperar ({})",
                    pesos(valor),
                    self.numero,
                    pesos(self.castigado)
                ),
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

/// Res. 2284/2023 art. 7: a payment without application detail goes to the oldest invoice
/// first, each up to its saldo, until the payment is used up. `facturas` are (key, expedición,
/// número, saldo) of the invoices it may go to; returns (key, value) in the order applied.
/// What is left of the payment stays unapplied.
pub fn repartir_sin_detalle<K: Clone>(mut facturas: Vec<(K, NaiveDate, String, i64)>, pago: i64) -> Vec<(K, i64)> {
    facturas.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.2.cmp(&b.2)));
    let mut resto = pago;
    let mut out = Vec::new();
    for (k, _, _, saldo) in facturas {
        if resto <= 0 {
            break;
        }
        let v = saldo.min(resto);
        if v > 0 {
            out.push((k, v));
            resto -= v;
        }
    }
    out
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
            devolucion: None,
            devoluciones: 0,
            glosas: vec![],
            pagado: 0,
            notas: 0,
            debitos: 0,
            anticipos: 0,
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
    /// Returned in time on 2025-04-15 (radicated 2025-04-11), not yet answered.
    fn devuelta() -> Factura {
        Factura {
            devolucion: Some(Devolucion::con_terminos(d("2025-04-15"), false, None, None, &t())),
            devoluciones: 1,
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
            devoluciones: 1,
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
            ("reradicada", reradicada.clone(), Devolver, false),
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
            devolucion: None,
            ..f
        };
        assert_eq!(re.estado(d("2025-04-21"), &reglas()), EstadoFactura::Reradicada);
        // Res. 2284/2023 art. 6.1: once only, even after radicating again.
        assert!(matches!(
            re.devolver(d("2025-04-22"), &t()),
            Err(Rechazo::Estado(m)) if m.contains("única vez")
        ));
    }

    #[test]
    fn a_late_devolucion_is_recorded_as_extemporanea_and_leaves_the_invoice_with_the_payer() {
        // Radicated Friday 2025-04-11: 14, 15, 16, (Holy Thursday and Friday), 21, 22 → the
        // devolución term ends 2025-04-22.
        assert!(!radicada().devolver(d("2025-04-22"), &t()).unwrap());
        assert!(radicada().devolver(d("2025-04-23"), &t()).unwrap());
        let f = Factura {
            devolucion: Some(Devolucion::con_terminos(d("2025-04-23"), true, None, None, &t())),
            devoluciones: 1,
            ..radicada()
        };
        assert_eq!(f.estado(d("2025-04-23"), &reglas()), EstadoFactura::Radicada);
        // Still in the payer's process: it can be glosado and not radicated again.
        assert!(f.glosar(&nueva(P, "2025-04-24"), &t()).is_ok());
        assert!(matches!(f.radicar(d("2025-04-24"), &t()), Err(Rechazo::Estado(_))));
    }

    fn nueva(valor: i64, recibida: &str) -> NuevaGlosa {
        NuevaGlosa {
            item_linea: None,
            valor,
            fecha_formulacion: d("2025-04-11"),
            fecha_recepcion: d(recibida),
            hecho_nuevo: false,
        }
    }

    #[test]
    fn a_radicacion_is_voided_only_while_nothing_rests_on_it() {
        let estado = |r: Result<(), Rechazo>| match r {
            Ok(()) => "ok".to_string(),
            Err(Rechazo::Estado(m)) => m,
            Err(Rechazo::Valores(v)) => format!("{v:?}"),
        };
        assert!(estado(expedida().anulable_radicacion()).contains("no está radicada"));
        assert_eq!(estado(radicada().anulable_radicacion()), "ok");
        assert!(estado(devuelta().anulable_radicacion()).contains("anule primero la devolución"));
        let mut f = radicada();
        let g = glosa(&f, None, 100_000 * P, "2025-04-21");
        f.glosas.push(g);
        assert!(estado(f.anulable_radicacion()).contains("1 glosa(s)"));
        let pagada = Factura {
            pagado: 10 * P,
            ..radicada()
        };
        assert!(estado(pagada.anulable_radicacion()).contains("pagos aplicados"));
    }

    #[test]
    fn the_prestadors_silence_accepts_a_devolucion_and_a_nota_credito_is_due() {
        // Returned 2025-04-15; the answer is due 5 días hábiles later: 16, 21, 22, 23, 24
        // (Holy Thursday 17 and Friday 18 skipped) → 2025-04-24.
        let f = devuelta();
        let r = reglas();
        assert!(!f.nota_credito_debida(d("2025-04-24"), &r));
        assert!(f.nota_credito_debida(d("2025-04-25"), &r));
        assert_eq!(f.estado(d("2025-04-25"), &r), EstadoFactura::Devuelta);
        // Radicating the corrected invoice again ends it.
        let p = f.radicar(d("2025-04-28"), &t()).unwrap();
        assert!(p.reradicacion);
    }

    #[test]
    fn the_payers_silence_after_an_answer_puts_the_invoice_back_in_its_process() {
        // Answered RE9601 on 2025-04-16; the payer's 5 días hábiles: 21, 22, 23, 24, 25 →
        // 2025-04-25. From the 26th the devolución was unjustified: the invoice is radicada
        // with its first radicación, and its glosa term ran at the same time (art. 6 parágrafo).
        let mut f = devuelta();
        let dv = f.devolucion.as_mut().unwrap();
        dv.responder(
            &crate::domain::devolucion::RespuestaDevolucion {
                codigo: "RE9601".into(),
                efecto: EfectoRespuesta::NoAcepta,
                fecha: d("2025-04-16"),
            },
            &t(),
        )
        .unwrap();
        let r = reglas();
        assert_eq!(f.estado(d("2025-04-25"), &r), EstadoFactura::Devuelta);
        assert!(f.glosar(&nueva(P, "2025-04-25"), &t()).is_err());
        assert_eq!(f.estado(d("2025-04-26"), &r), EstadoFactura::Radicada);
        assert!(f.glosar(&nueva(P, "2025-04-28"), &t()).is_ok());
        assert!(!f.nota_credito_debida(d("2025-04-28"), &r));
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
    fn every_problem_of_a_glosa_comes_at_once_and_the_state_first() {
        let f = glosada(); // first formulated 2025-04-11; $600.000 line 1, $400.000 line 2
        let mala = NuevaGlosa {
            item_linea: Some(3),
            valor: 2_000_000 * P,
            fecha_formulacion: d("2025-04-20"),
            fecha_recepcion: d("2025-04-19"),
            hecho_nuevo: false,
        };
        let problemas = f.problemas_de_glosa(&mala, &t());
        let rutas: Vec<&str> = problemas
            .iter()
            .flat_map(|r| match r {
                Rechazo::Estado(_) => vec!["(estado)"],
                Rechazo::Valores(v) => v.iter().map(|x| x.path.as_str()).collect(),
            })
            .collect();
        // Later without a new fact; received before formulated; over the invoice; no line 3.
        assert_eq!(rutas, ["(estado)", "fecha_recepcion", "valor", "item"], "{problemas:?}");
        // The use case answers the state's problem (a conflict) alone...
        assert!(matches!(f.glosar(&mala, &t()), Err(Rechazo::Estado(m)) if m.contains("art. 57")));
        // ...and, once that is right, every problem of the values together.
        let nueva = NuevaGlosa {
            hecho_nuevo: true,
            ..mala
        };
        match f.glosar(&nueva, &t()) {
            Err(Rechazo::Valores(v)) => assert_eq!(
                v.iter().map(|x| x.path.as_str()).collect::<Vec<_>>(),
                ["fecha_recepcion", "valor", "item"]
            ),
            otro => panic!("{otro:?}"),
        }
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
    fn an_undecided_answer_stays_in_discussion_unless_a_deployment_lifts_it() {
        let mut f = glosada();
        f.glosas[0]
            .responder(
                &respuesta(0, 150_000 * P, EfectoRespuesta::NoAcepta, "2025-04-30"),
                &t(),
            )
            .unwrap();
        // Decision due 2025-05-15: the payer's silence has no legal effect by default.
        assert_eq!(f.en_discusion(d("2025-05-16"), &reglas()), 150_000 * P);
        assert_eq!(f.estado(d("2025-05-16"), &reglas()), EstadoFactura::Respondida);
        let r = Reglas {
            levantamiento_tacito: true,
            ..reglas()
        };
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
    fn a_payment_without_detail_goes_to_the_oldest_accepted_invoice_first() {
        // Res. 2284/2023 art. 7. Three invoices of $300, $500 and $200 (two issued the same
        // day: by number); a payment of $1.200 pays all three ($1.000) and $200 stays
        // unapplied — a payment larger than the balance.
        let f = |k: &str, exp: &str, n: &str, saldo: i64| (k.to_string(), d(exp), n.to_string(), saldo);
        let facturas = vec![
            f("c", "2025-03-01", "FE-3", 200),
            f("a", "2025-01-10", "FE-1", 300),
            f("b", "2025-01-10", "FE-2", 500),
        ];
        let r = repartir_sin_detalle(facturas.clone(), 1_200);
        assert_eq!(
            r,
            vec![("a".to_string(), 300), ("b".to_string(), 500), ("c".to_string(), 200)]
        );
        assert_eq!(1_200 - r.iter().map(|x| x.1).sum::<i64>(), 200);
        // A smaller payment pays part of the second oldest.
        let r = repartir_sin_detalle(facturas, 450);
        assert_eq!(r, vec![("a".to_string(), 300), ("b".to_string(), 150)]);
    }

    #[test]
    fn which_invoices_take_a_payment_without_detail() {
        let t = t();
        // Radicated 2025-04-11: glosa term ends 2025-05-14. Before it, nothing was accepted.
        let f = radicada();
        assert!(!f.aplicable_sin_detalle(d("2025-05-14"), &t));
        assert!(f.aplicable_sin_detalle(d("2025-05-15"), &t), "accepted tacitly");
        // A glosa still disputed keeps it out; one accepted by silence does not.
        let g = glosada(); // $150.000 received 2025-04-11, answer due 2025-05-07
        assert!(g.aplicable_sin_detalle(d("2025-05-08"), &t));
        let mut respondida = glosada();
        respondida.glosas[0]
            .responder(&respuesta(0, 150_000 * P, EfectoRespuesta::NoAcepta, "2025-04-30"), &t)
            .unwrap();
        assert!(!respondida.aplicable_sin_detalle(d("2025-06-01"), &t));
        // Returned, closed or prescribed invoices never take it. The payment term ended
        // 2025-05-28; three years later (1,095 days) it has prescribed.
        assert!(!devuelta().aplicable_sin_detalle(d("2025-06-01"), &t));
        assert!(f.aplicable_sin_detalle(d("2028-05-27"), &t));
        assert!(!f.aplicable_sin_detalle(d("2028-05-28"), &t));
        let pagada = Factura {
            pagado: 1_000_000 * P,
            ..radicada()
        };
        assert!(!pagada.aplicable_sin_detalle(d("2025-06-01"), &t));
    }

    #[test]
    fn radicated_on_1_july_2026_across_chiquinquira() {
        // Issue 11's example: the glosa term of a radicación on Wednesday 2026-07-01 ends
        // Friday 2026-07-31, not the 30th: 13 July (Chiquinquirá) and 20 July are skipped.
        // The 50% is due 5 días hábiles later (2, 3, 6, 7, 8 July) and the rest 30 días hábiles
        // later (7 and 17 August skipped too): 2026-08-18.
        let f = Factura {
            fecha_expedicion: d("2026-06-25"),
            ..expedida()
        };
        let p = f.radicar(d("2026-07-01"), &t()).unwrap();
        assert_eq!(p.fecha_limite_glosa, d("2026-07-31"));
        assert_eq!(p.fecha_limite_devolucion, d("2026-07-08"));
        assert_eq!(p.fecha_limite_anticipo, d("2026-07-08"));
        assert_eq!(p.fecha_limite_pago, d("2026-08-18"));
        // A glosa received on the last legal day is in time.
        let r = Factura {
            fecha_radicacion: Some(d("2026-07-01")),
            radicaciones: 1,
            ..f
        };
        let g = |recibida: &str| {
            r.glosar(
                &NuevaGlosa {
                    item_linea: None,
                    valor: P,
                    fecha_formulacion: d("2026-07-01"),
                    fecha_recepcion: d(recibida),
                    hecho_nuevo: false,
                },
                &t(),
            )
            .unwrap()
        };
        assert!(!g("2026-07-31").extemporanea);
        assert!(g("2026-08-03").extemporanea);
    }

    #[test]
    fn a_payment_on_a_written_off_invoice_is_a_recovery_up_to_what_was_written_off() {
        let castigada = Factura {
            castigado: 300_000 * P,
            pagado: 700_000 * P,
            ..radicada()
        };
        // Refused as a payment (there is no saldo), accepted as a recovery.
        assert!(castigada.aplicar_pago(P, d("2025-09-01"), &reglas()).is_err());
        assert!(castigada.recuperar(300_000 * P).is_ok());
        assert!(matches!(
            castigada.recuperar(300_000 * P + 1),
            Err(Rechazo::Valores(v)) if v[0].message.contains("300000.00")
        ));
        assert!(matches!(radicada().recuperar(P), Err(Rechazo::Estado(_))));
        // Recovering all of it leaves nothing written off and nothing owed: paid.
        let recuperada = Factura {
            castigado: 0,
            pagado: 1_000_000 * P,
            ..radicada()
        };
        assert_eq!(recuperada.estado(d("2025-09-01"), &reglas()), EstadoFactura::Pagada);
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

    #[test]
    fn a_nota_debito_raises_what_is_owed_and_an_anticipo_lowers_it_without_being_a_payment() {
        let r = reglas();
        let hoy = d("2025-04-30");
        let f = Factura {
            debitos: 200_000 * P,
            anticipos: 300_000 * P,
            ..radicada()
        };
        assert_eq!(f.saldo(hoy, &r), 900_000 * P);
        // The advance was paid before the invoice: the payer still has to act on it.
        assert_eq!(f.estado(hoy, &r), EstadoFactura::Radicada);
        // Glosas can reach what is still owed, débito included, not what was paid in advance.
        assert!(f.glosar(&nueva(900_000 * P, "2025-04-24"), &t()).is_ok());
        assert!(matches!(
            f.glosar(&nueva(900_000 * P + 1, "2025-04-24"), &t()),
            Err(Rechazo::Valores(_))
        ));
        assert!(f.nota_debito(1).is_ok());
        assert!(matches!(f.nota_debito(0), Err(Rechazo::Valores(_))));
        let castigada = Factura { castigado: P, ..f };
        assert!(matches!(castigada.nota_debito(P), Err(Rechazo::Estado(_))));
    }
}
