//! Actas de conciliación de cartera (Circular Conjunta 030/2013 MinSalud – Supersalud): what
//! the prestador and the payer agreed on each invoice at a reconciliation meeting, and the
//! commitments that follow, each with its due date.

use chrono::NaiveDate;

use super::text_enum;

text_enum! {
    /// What both sides agreed on one invoice of the acta.
    ResultadoActa {
        /// The payer will pay the value by the agreed date (it becomes an acuerdo de pago).
        Pagar => "pagar",
        /// The prestador accepts this much of the glosa still in dispute (Ley 1438/2011 art. 57:
        /// the ratified value is settled in conciliation).
        GlosaAceptada => "glosa_aceptada",
        /// The invoice must be radicated again (the payer never received it, or returned it).
        RadicarDeNuevo => "radicar_de_nuevo",
        /// The payer paid and the prestador must apply the payment.
        AplicarPago => "aplicar_pago",
        /// No agreement: it stays in dispute.
        EnDisputa => "en_disputa",
        /// Both agree on the balance; nothing to do.
        Conforme => "conforme",
    }
}

impl ResultadoActa {
    /// Whether the line needs a value (what is paid, accepted or applied).
    pub fn exige_valor(self) -> bool {
        matches!(self, Self::Pagar | Self::GlosaAceptada | Self::AplicarPago)
    }

    /// What was agreed, as the acta says it.
    pub fn texto(self) -> &'static str {
        match self {
            Self::Pagar => "el pagador paga",
            Self::GlosaAceptada => "la IPS acepta la glosa",
            Self::RadicarDeNuevo => "la IPS radica de nuevo",
            Self::AplicarPago => "la IPS aplica el pago",
            Self::EnDisputa => "sigue en disputa",
            Self::Conforme => "conforme, sin diferencia",
        }
    }

    /// Whether the line is a commitment with a due date.
    pub fn exige_fecha(self) -> bool {
        matches!(self, Self::Pagar | Self::RadicarDeNuevo | Self::AplicarPago)
    }
}

text_enum! {
    /// A side of the acta: who attends, who owes a commitment.
    Parte {
        /// The IPS.
        Prestador => "prestador",
        /// The ERP (EPS, ADRES, entidad territorial...).
        Pagador => "pagador",
    }
}

text_enum! {
    EstadoCompromiso {
        /// Not due yet.
        Pendiente => "pendiente",
        /// Due and not fulfilled: broken.
        Vencido => "vencido",
        Cumplido => "cumplido",
        /// Fulfilled after its due date: broken too, as a late instalment is.
        CumplidoTarde => "cumplido_tarde",
    }
}

/// The state of a commitment due on `vence` as of `hoy`.
pub fn estado_compromiso(vence: NaiveDate, cumplido_en: Option<NaiveDate>, hoy: NaiveDate) -> EstadoCompromiso {
    match cumplido_en {
        Some(f) if f <= vence => EstadoCompromiso::Cumplido,
        Some(_) => EstadoCompromiso::CumplidoTarde,
        None if hoy > vence => EstadoCompromiso::Vencido,
        None => EstadoCompromiso::Pendiente,
    }
}

impl EstadoCompromiso {
    /// Counted against whoever owed it.
    pub fn incumplido(self) -> bool {
        matches!(self, Self::Vencido | Self::CumplidoTarde)
    }
}

/// How a value accepted of an invoice's glosas is spread over them, oldest first: each takes
/// up to its ratified value (what goes `a_favor_pagador`), the rest of it stays `a_favor_prestador`,
/// so both add up to the ratified value as the glosa's conciliation requires. `None` when the
/// value exceeds what is ratified.
pub fn repartir(valor: i64, ratificados: &[i64]) -> Option<Vec<(i64, i64)>> {
    let total: i64 = ratificados.iter().sum();
    if valor > total || valor < 0 {
        return None;
    }
    let mut resto = valor;
    Some(
        ratificados
            .iter()
            .map(|r| {
                let pagador = resto.min(*r);
                resto -= pagador;
                (pagador, r - pagador)
            })
            .collect(),
    )
}

/// The instalments of the lines to pay: one per distinct date, the values of that date added
/// up, in order of date.
pub fn cuotas(lineas: &[(NaiveDate, i64)]) -> Vec<(NaiveDate, i64)> {
    let mut out: Vec<(NaiveDate, i64)> = Vec::new();
    for (f, v) in lineas {
        match out.iter_mut().find(|(g, _)| g == f) {
            Some(x) => x.1 += v,
            None => out.push((*f, *v)),
        }
    }
    out.sort_by_key(|x| x.0);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn an_accepted_value_fills_the_oldest_glosa_first() {
        assert_eq!(repartir(150, &[100, 200]), Some(vec![(100, 0), (50, 150)]));
        assert_eq!(repartir(0, &[100]), Some(vec![(0, 100)]));
        assert_eq!(repartir(300, &[100, 200]), Some(vec![(100, 0), (200, 0)]));
        assert_eq!(repartir(301, &[100, 200]), None);
        assert_eq!(repartir(1, &[]), None);
    }

    #[test]
    fn one_instalment_per_date_in_order() {
        let c = cuotas(&[(d("2026-08-15"), 10), (d("2026-07-31"), 5), (d("2026-08-15"), 7)]);
        assert_eq!(c, vec![(d("2026-07-31"), 5), (d("2026-08-15"), 17)]);
    }

    #[test]
    fn a_commitment_late_or_undone_is_broken() {
        let v = d("2026-07-10");
        assert_eq!(estado_compromiso(v, None, d("2026-07-10")), EstadoCompromiso::Pendiente);
        assert_eq!(estado_compromiso(v, None, d("2026-07-11")), EstadoCompromiso::Vencido);
        assert_eq!(
            estado_compromiso(v, Some(v), d("2026-09-01")),
            EstadoCompromiso::Cumplido
        );
        assert_eq!(
            estado_compromiso(v, Some(d("2026-07-12")), d("2026-09-01")),
            EstadoCompromiso::CumplidoTarde
        );
        assert!(EstadoCompromiso::CumplidoTarde.incumplido() && !EstadoCompromiso::Pendiente.incumplido());
    }
}
