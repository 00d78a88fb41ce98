//! Gestión de cobro: the numbers finance reports upward (DSO, rotación, CEI, mora interest),
//! the collection stage a payer's debt is in, how payments fulfil a payment agreement, how
//! risky a payer is, and why a payer's statement differs from the prestador's books.
//!
//! Pure: money in integer centavos, dates as civil dates; the callers bring the facts.

use chrono::{Duration, NaiveDate};
use rust_decimal::prelude::*;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::money::from_centavos;
use super::text_enum;

text_enum! {
    /// The collection stages of DOMAIN.md § Cartera, in the order debt goes through them.
    Etapa {
        /// Before the due date: reminders.
        Preventiva => "preventiva",
        /// Overdue, friendly: calls, e-mails, letters, meetings, acuerdos de pago.
        Administrativa => "administrativa",
        /// Formal demand letters warning of legal action.
        Prejuridica => "prejuridica",
        /// Lawsuit, embargo.
        Juridica => "juridica",
    }
}

impl Etapa {
    fn orden(self) -> usize {
        Etapa::ALL.iter().position(|e| *e == self).unwrap_or(0)
    }
}

text_enum! {
    /// The kinds of collection action a cartera team logs.
    TipoGestion {
        Llamada => "llamada",
        Correo => "correo",
        Reunion => "reunion",
        Carta => "carta",
        MesaConciliacion => "mesa_conciliacion",
        CobroPrejuridico => "cobro_prejuridico",
        Demanda => "demanda",
    }
}

/// Rounds a ratio for people to read (2 decimals, half away from zero).
pub fn redondear(v: Decimal) -> Decimal {
    let mut r = v.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    r.rescale(2);
    r
}

/// `parte / total × 100`, or none when there is no total.
pub fn porcentaje(parte: i64, total: i64) -> Option<Decimal> {
    (total != 0).then(|| redondear(Decimal::from(parte) * Decimal::ONE_HUNDRED / Decimal::from(total)))
}

/// DSO (días de cartera) = cartera / ventas a crédito × días del periodo (DOMAIN.md).
pub fn dso(cartera_final: i64, facturado: i64, dias: i64) -> Option<Decimal> {
    (facturado != 0).then(|| redondear(Decimal::from(cartera_final) * Decimal::from(dias) / Decimal::from(facturado)))
}

/// Rotación de cartera = ventas / cartera promedio (average of the opening and closing
/// balances), times in the period.
pub fn rotacion(facturado: i64, cartera_inicial: i64, cartera_final: i64) -> Option<Decimal> {
    let promedio = Decimal::from(cartera_inicial + cartera_final) / Decimal::TWO;
    (!promedio.is_zero()).then(|| redondear(Decimal::from(facturado) / promedio))
}

/// CEI = (cartera inicial + facturado − cartera final) / (cartera inicial + facturado −
/// cartera corriente final) × 100 (DOMAIN.md): what was collected of what could have been.
pub fn cei(cartera_inicial: i64, facturado: i64, cartera_final: i64, corriente_final: i64) -> Option<Decimal> {
    let cobrable = cartera_inicial + facturado - corriente_final;
    (cobrable != 0).then(|| {
        redondear(
            Decimal::from(cartera_inicial + facturado - cartera_final) * Decimal::ONE_HUNDRED / Decimal::from(cobrable),
        )
    })
}

/// The rate of mora interest in force from a date (until the next one starts).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct TasaMora {
    pub desde: NaiveDate,
    /// Annual rate in percent, as DIAN publishes it for the month (e.g. `24.36`).
    pub tasa: Decimal,
}

/// Days of mora of an invoice at `corte`, by the one definition every view uses: calendar days
/// since its payment term ended, none while it is not due or while the payer returned it
/// (a returned invoice is not owed until it is radicated again, Res. 2284/2023 art. 6).
pub fn dias_mora(vence: Option<NaiveDate>, devuelta: bool, corte: NaiveDate) -> i64 {
    match vence {
        Some(v) if !devuelta => (corte - v).num_days().max(0),
        _ => 0,
    }
}

/// When an invoice's balance falls due: all of it at `vence` (Ley 1122/2007 art. 13 lit. d:
/// 30 días after presentation); where the 50% rule of the same article applies, everything but
/// `resto` is due already at `anticipo`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Vencimiento {
    pub vence: NaiveDate,
    /// (due date of the first share, what may remain unpaid until `vence`).
    pub anticipo: Option<(NaiveDate, i64)>,
}

impl Vencimiento {
    /// Everything due at one date.
    pub fn total(vence: NaiveDate) -> Vencimiento {
        Vencimiento { vence, anticipo: None }
    }

    /// The first day of mora: the day after the first due date.
    pub fn primer_dia(&self) -> NaiveDate {
        self.anticipo.map_or(self.vence, |(a, _)| a.min(self.vence)) + Duration::days(1)
    }
}

/// Mora interest on an invoice's overdue balance.
///
/// Ley 1438/2011 art. 56 and Decreto-Ley 1281/2002 art. 4: late payments to prestadores earn
/// interest at the rate of the taxes DIAN administers, i.e. Estatuto Tributario art. 635 (usura
/// for consumer credit minus two points), liquidated for each calendar day of delay (ET art.
/// 634). Each day earns `base × tasa / 366`, the daily rate DIAN's Circular Externa 003/2013
/// prescribes; interest does not capitalise. The base of a day is the balance at the end of the
/// previous day (`movimientos` are the dated changes of the balance, the first being the
/// charge), less what is still in dispute (`en_discusion`: glosas are not due until lifted,
/// Ley 1438/2011 art. 57). Days run from the day after the first due date to `hasta`, both
/// included; until `vence` only what exceeds the unpaid rest allowed by the 50% rule bears
/// interest (and never what is in dispute).
/// Returns centavos, rounded half away from zero, and zero with no rate configured.
pub fn interes_mora(
    movimientos: &[(NaiveDate, i64)],
    en_discusion: i64,
    venc: &Vencimiento,
    hasta: NaiveDate,
    tasas: &[TasaMora],
) -> i64 {
    let dias_anio = Decimal::from(366);
    let mut total = Decimal::ZERO;
    let vence = venc.vence;
    let mut dia = venc.primer_dia();
    while dia <= hasta {
        // Segments of constant balance and rate, to avoid a loop per day per invoice.
        let saldo: i64 = movimientos.iter().filter(|(f, _)| *f < dia).map(|(_, v)| v).sum();
        let proximo_mov = movimientos
            .iter()
            .map(|(f, _)| *f + Duration::days(1))
            .filter(|f| *f > dia)
            .min();
        let proxima_tasa = tasas.iter().map(|t| t.desde).filter(|f| *f > dia).min();
        let todo_vencido = Some(vence + Duration::days(1)).filter(|f| *f > dia);
        let fin = [Some(hasta + Duration::days(1)), proximo_mov, proxima_tasa, todo_vencido]
            .into_iter()
            .flatten()
            .min()
            .expect("hasta is always there");
        let dias = (fin - dia).num_days();
        let tasa = tasas
            .iter()
            .filter(|t| t.desde <= dia)
            .max_by_key(|t| t.desde)
            .map(|t| t.tasa);
        // Before `vence` only the first share is due: what exceeds the allowed rest.
        let no_exigible = match venc.anticipo {
            Some((_, resto)) if dia <= vence => en_discusion.max(resto),
            _ => en_discusion,
        };
        let base = (saldo - no_exigible).max(0);
        if let Some(tasa) = tasa {
            total += Decimal::from(base) * tasa / Decimal::ONE_HUNDRED * Decimal::from(dias) / dias_anio;
        }
        dia = fin;
    }
    total
        .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
        .to_i64()
        .unwrap_or(i64::MAX)
}

/// From how many days of mora and what overdue amount a stage applies.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Umbral {
    pub dias_mora: i64,
    /// Overdue amount in pesos, e.g. `"10000000"` (or a whole number, as the environment gives it).
    #[serde(deserialize_with = "pesos")]
    pub monto: Decimal,
}

/// Pesos from configuration: a decimal text or a whole number, never a float.
fn pesos<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Valor {
        Texto(String),
        Entero(i64),
    }
    match Valor::deserialize(d)? {
        Valor::Texto(t) => t
            .trim()
            .parse()
            .map_err(|_| serde::de::Error::custom(format!("'{t}' no es un valor en pesos"))),
        Valor::Entero(n) => Ok(Decimal::from(n)),
    }
}

/// The rule that moves a payer's debt between stages: each stage applies from its threshold
/// (both the oldest overdue invoice's days of mora and the overdue amount must reach it).
/// `juridica` is optional: going to court is usually decided by hand.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReglaEtapas {
    pub administrativa: Umbral,
    pub prejuridica: Umbral,
    pub juridica: Option<Umbral>,
}

impl ReglaEtapas {
    /// The stage the rule gives a payer whose oldest overdue invoice is `dias_mora` days late
    /// with `vencido` centavos overdue in all.
    pub fn etapa(&self, dias_mora: i64, vencido: i64) -> Etapa {
        let alcanza = |u: &Umbral| vencido > 0 && dias_mora >= u.dias_mora && from_centavos(vencido) >= u.monto;
        if self.juridica.as_ref().is_some_and(alcanza) {
            Etapa::Juridica
        } else if alcanza(&self.prejuridica) {
            Etapa::Prejuridica
        } else if alcanza(&self.administrativa) {
            Etapa::Administrativa
        } else {
            Etapa::Preventiva
        }
    }

    /// Where the rule moves a payer now at `actual`: the rule escalates, and brings the debt
    /// back to `preventiva` only once nothing is overdue; a stage set by hand above the rule's
    /// stays. None when nothing changes.
    pub fn mover(&self, actual: Etapa, dias_mora: i64, vencido: i64) -> Option<Etapa> {
        let regla = self.etapa(dias_mora, vencido);
        let nueva = if vencido <= 0 {
            Etapa::Preventiva
        } else if regla.orden() > actual.orden() {
            regla
        } else {
            actual
        };
        (nueva != actual).then_some(nueva)
    }
}

/// An instalment of a payment agreement as the payments applied leave it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CuotaCumplida {
    pub vence: NaiveDate,
    pub valor: i64,
    pub pagado: i64,
    /// The day the instalment was covered in full.
    pub pagada_en: Option<NaiveDate>,
    pub estado: EstadoCuota,
}

text_enum! {
    EstadoCuota {
        /// Covered in full on or before its due date.
        Pagada => "pagada",
        /// Covered in full after its due date.
        PagadaTarde => "pagada_tarde",
        /// Partly covered, not due yet.
        Parcial => "parcial",
        /// Not due yet.
        Pendiente => "pendiente",
        /// Due and not covered in full: the agreement is broken.
        Vencida => "vencida",
    }
}

text_enum! {
    EstadoAcuerdo {
        Vigente => "vigente",
        Cumplido => "cumplido",
        /// An instalment is overdue, or was paid late.
        Incumplido => "incumplido",
    }
}

/// How the payments applied to the agreement's invoices (from its date) cover its instalments:
/// in order of due date, each payment filling the oldest instalment not yet covered.
pub fn cumplimiento(
    cuotas: &[(NaiveDate, i64)],
    pagos: &[(NaiveDate, i64)],
    hoy: NaiveDate,
) -> (Vec<CuotaCumplida>, EstadoAcuerdo) {
    let mut pagos: Vec<(NaiveDate, i64)> = pagos.to_vec();
    pagos.sort();
    let mut resultado: Vec<CuotaCumplida> = cuotas
        .iter()
        .map(|&(vence, valor)| CuotaCumplida {
            vence,
            valor,
            pagado: 0,
            pagada_en: None,
            estado: EstadoCuota::Pendiente,
        })
        .collect();
    let mut i = 0;
    for (fecha, mut valor) in pagos {
        while valor > 0 && i < resultado.len() {
            let c = &mut resultado[i];
            let toma = valor.min(c.valor - c.pagado);
            c.pagado += toma;
            valor -= toma;
            if c.pagado == c.valor {
                c.pagada_en = Some(fecha);
                i += 1;
            }
        }
    }
    for c in &mut resultado {
        c.estado = match c.pagada_en {
            Some(f) if f <= c.vence => EstadoCuota::Pagada,
            Some(_) => EstadoCuota::PagadaTarde,
            None if hoy > c.vence => EstadoCuota::Vencida,
            None if c.pagado > 0 => EstadoCuota::Parcial,
            None => EstadoCuota::Pendiente,
        };
    }
    let estado = if resultado
        .iter()
        .any(|c| matches!(c.estado, EstadoCuota::Vencida | EstadoCuota::PagadaTarde))
    {
        EstadoAcuerdo::Incumplido
    } else if resultado.iter().all(|c| c.estado == EstadoCuota::Pagada) {
        EstadoAcuerdo::Cumplido
    } else {
        EstadoAcuerdo::Vigente
    };
    (resultado, estado)
}

/// What is known of a payer's behaviour, for ranking by risk.
#[derive(Debug, Clone, Default)]
pub struct Comportamiento {
    /// Days from radicación to payment, weighted by value, over the payments applied.
    pub dias_pago: Option<Decimal>,
    /// Glosado / radicado × 100.
    pub pct_glosa: Option<Decimal>,
    pub acuerdos_incumplidos: i64,
    /// Commitments the payer signed in an acta de conciliación and broke.
    pub compromisos_incumplidos: i64,
    /// Overdue / balance × 100.
    pub pct_vencida: Option<Decimal>,
    pub dias_mora_max: i64,
}

text_enum! {
    NivelRiesgo {
        Bajo => "bajo",
        Medio => "medio",
        Alto => "alto",
        Critico => "critico",
    }
}

/// Points of risk with the reason for each, and the level they add up to. The thresholds are
/// the cartera team's usual rules of thumb: payment beyond the legal 30 días hábiles (≈ 45
/// calendar days) and far beyond; glosas above 10% and 25% of what was radicated; any broken
/// agreement; half the balance overdue; a year of mora.
pub fn riesgo(c: &Comportamiento) -> (u32, NivelRiesgo, Vec<String>) {
    let mut puntos = 0;
    let mut razones = Vec::new();
    let mut suma = |p: u32, razon: String| {
        puntos += p;
        razones.push(razon);
    };
    if let Some(d) = c.dias_pago {
        if d > Decimal::from(90) {
            suma(2, format!("paga en {d} días en promedio (más de 90)"));
        } else if d > Decimal::from(45) {
            suma(1, format!("paga en {d} días en promedio (más de 45)"));
        }
    }
    if let Some(g) = c.pct_glosa {
        if g > Decimal::from(25) {
            suma(2, format!("glosa el {g}% de lo radicado (más del 25%)"));
        } else if g > Decimal::TEN {
            suma(1, format!("glosa el {g}% de lo radicado (más del 10%)"));
        }
    }
    if c.acuerdos_incumplidos > 0 {
        suma(
            2 * c.acuerdos_incumplidos.min(2) as u32,
            format!("{} acuerdo(s) de pago incumplido(s)", c.acuerdos_incumplidos),
        );
    }
    if c.compromisos_incumplidos > 0 {
        suma(
            c.compromisos_incumplidos.min(2) as u32,
            format!(
                "{} compromiso(s) de acta de conciliación incumplido(s)",
                c.compromisos_incumplidos
            ),
        );
    }
    if let Some(v) = c.pct_vencida {
        if v > Decimal::from(50) {
            suma(1, format!("el {v}% de su saldo está vencido (más de la mitad)"));
        }
    }
    if c.dias_mora_max > 360 {
        suma(
            2,
            format!("tiene facturas con {} días de mora (más de un año)", c.dias_mora_max),
        );
    } else if c.dias_mora_max > 90 {
        suma(
            1,
            format!("tiene facturas con {} días de mora (más de 90)", c.dias_mora_max),
        );
    }
    let nivel = match puntos {
        0..=1 => NivelRiesgo::Bajo,
        2..=3 => NivelRiesgo::Medio,
        4..=5 => NivelRiesgo::Alto,
        _ => NivelRiesgo::Critico,
    };
    (puntos, nivel, razones)
}

text_enum! {
    /// Why an invoice's balance in the payer's statement differs from the prestador's, in the
    /// terms of the conciliation tables of Circular Conjunta 030/2013 (MinSalud – Supersalud).
    CausaDiferencia {
        /// Same balance on both sides.
        Conciliada => "conciliada",
        /// Both sides say nothing is owed.
        Pagada => "pagada",
        /// The prestador has not radicated it: the payer cannot know it.
        NoRadicada => "no_radicada",
        /// The payer returned it (devolución): it is not in its books until radicated again.
        Devuelta => "devuelta",
        /// Radicated, but the payer's statement does not list it.
        NoReconocidaPagador => "no_reconocida_pagador",
        /// In the payer's statement, unknown to the prestador.
        NoRegistradaPrestador => "no_registrada_prestador",
        /// The payer reports more paid than the prestador applied.
        PagoNoAplicado => "pago_no_aplicado",
        /// The difference is what is still in dispute.
        GlosaEnTramite => "glosa_en_tramite",
        /// Any other difference of value.
        DiferenciaValor => "diferencia_valor",
    }
}

/// The prestador's side of one invoice at the statement's cut-off.
#[derive(Debug, Clone)]
pub struct LadoPrestador {
    pub radicada: bool,
    pub devuelta: bool,
    pub saldo: i64,
    pub pagado: i64,
    pub en_discusion: i64,
}

/// The payer's side of one invoice, as its statement says.
#[derive(Debug, Clone)]
pub struct LadoPagador {
    pub saldo: i64,
    pub pagado: Option<i64>,
    pub glosado: Option<i64>,
}

/// Classifies one invoice of the reconciliation; the difference is the prestador's balance
/// minus the payer's.
pub fn causa(p: Option<&LadoPrestador>, q: Option<&LadoPagador>) -> (CausaDiferencia, i64) {
    match (p, q) {
        (None, None) => (CausaDiferencia::Conciliada, 0),
        (None, Some(q)) => (CausaDiferencia::NoRegistradaPrestador, -q.saldo),
        (Some(p), None) => {
            let c = if !p.radicada {
                CausaDiferencia::NoRadicada
            } else if p.devuelta {
                CausaDiferencia::Devuelta
            } else if p.saldo == 0 {
                CausaDiferencia::Pagada
            } else {
                CausaDiferencia::NoReconocidaPagador
            };
            (c, p.saldo)
        }
        (Some(p), Some(q)) => {
            let d = p.saldo - q.saldo;
            let c = if d == 0 {
                if p.saldo == 0 {
                    CausaDiferencia::Pagada
                } else {
                    CausaDiferencia::Conciliada
                }
            } else if !p.radicada {
                CausaDiferencia::NoRadicada
            } else if p.devuelta {
                CausaDiferencia::Devuelta
            } else if q.pagado.is_some_and(|pq| pq > p.pagado && d <= pq - p.pagado && d > 0) {
                CausaDiferencia::PagoNoAplicado
            } else if d > 0 && (d == p.en_discusion || q.glosado.is_some_and(|g| g == d)) {
                CausaDiferencia::GlosaEnTramite
            } else {
                CausaDiferencia::DiferenciaValor
            };
            (c, d)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn indicators_by_the_domain_formulas() {
        // Cartera 300, facturado 600 in a 90-day quarter: 45 days of sales in cartera.
        assert_eq!(dso(300, 600, 90), Some(dec("45.00")));
        assert_eq!(dso(100, 0, 90), None);
        // Average cartera (200 + 300) / 2 = 250; 600 / 250 = 2.4 times.
        assert_eq!(rotacion(600, 200, 300), Some(dec("2.40")));
        // (200 + 600 − 300) / (200 + 600 − 100) = 500 / 700 = 71.43%.
        assert_eq!(cei(200, 600, 300, 100), Some(dec("71.43")));
        assert_eq!(cei(0, 0, 0, 0), None);
        assert_eq!(porcentaje(1, 3), Some(dec("33.33")));
        assert_eq!(porcentaje(2, 3), Some(dec("66.67")));
    }

    #[test]
    fn mora_interest_is_simple_daily_interest_at_the_rate_of_each_day() {
        let tasas = [
            TasaMora {
                desde: d("2026-01-01"),
                tasa: dec("24.40"),
            },
            TasaMora {
                desde: d("2026-02-01"),
                tasa: dec("36.60"),
            },
        ];
        // $1.000.000 due 2026-01-21: 10 days in January at 24.40% and 5 in February at 36.60%:
        // 1.000.000 × (0.244 × 10 + 0.366 × 5) / 366 = 11.666,67 → 11.666,67 pesos.
        let cargo = [(d("2025-12-01"), 100_000_000)];
        assert_eq!(
            interes_mora(&cargo, 0, &Vencimiento::total(d("2026-01-21")), d("2026-02-05"), &tasas),
            1_166_667
        );
        // Half paid on 2026-01-31: from 1 February the base is $500.000.
        let con_pago = [(d("2025-12-01"), 100_000_000), (d("2026-01-31"), -50_000_000)];
        // 1.000.000 × 0.244 × 10 / 366 + 500.000 × 0.366 × 5 / 366 = 6.666,67 + 2.500 = 9.166,67
        assert_eq!(
            interes_mora(
                &con_pago,
                0,
                &Vencimiento::total(d("2026-01-21")),
                d("2026-02-05"),
                &tasas
            ),
            916_667
        );
        // What is in dispute is not due: $400.000 of glosas leave a base of $600.000.
        assert_eq!(
            interes_mora(
                &cargo,
                40_000_000,
                &Vencimiento::total(d("2026-01-21")),
                d("2026-01-31"),
                &tasas
            ),
            400_000
        );
        // Not due yet, or no rate: nothing.
        assert_eq!(
            interes_mora(&cargo, 0, &Vencimiento::total(d("2026-02-05")), d("2026-02-05"), &tasas),
            0
        );
        assert_eq!(
            interes_mora(&cargo, 0, &Vencimiento::total(d("2026-01-21")), d("2026-02-05"), &[]),
            0
        );
    }

    #[test]
    fn the_first_half_bears_interest_from_its_own_due_date() {
        // Ley 1122/2007 art. 13 lit. d. $1.000.000 radicated Wednesday 2026-07-01: 50% due 5
        // días hábiles later, 2026-07-08 (2, 3, 6, 7, 8); the rest 30 días hábiles later,
        // 2026-08-18 (13 July Chiquinquirá, 20 July, 7 August and 17 August skipped). At 36.60%
        // a year, $500.000 overdue from 9 July to 18 August (41 days) = 500.000 × 0.366 × 41 /
        // 366 = 20.500; then $1.000.000 for 19-23 August (5 days) = 5.000 → 25.500,00.
        let tasas = [TasaMora {
            desde: d("2026-01-01"),
            tasa: dec("36.60"),
        }];
        let venc = Vencimiento {
            vence: d("2026-08-18"),
            anticipo: Some((d("2026-07-08"), 50_000_000)),
        };
        let cargo = [(d("2026-07-01"), 100_000_000)];
        assert_eq!(venc.primer_dia(), d("2026-07-09"));
        assert_eq!(interes_mora(&cargo, 0, &venc, d("2026-08-23"), &tasas), 2_550_000);
        // The half paid on 2026-07-08 leaves nothing overdue until the rest is due:
        // $500.000 × 0.366 × 5 / 366 = 2.500,00.
        let pagado = [(d("2026-07-01"), 100_000_000), (d("2026-07-08"), -50_000_000)];
        assert_eq!(interes_mora(&pagado, 0, &venc, d("2026-08-23"), &tasas), 250_000);
        // A payment larger than the half (70%) is more than the law asked for: no interest
        // before the full term, and only on the 30% left after it: 300.000 × 0.366 × 5 / 366.
        let mas = [(d("2026-07-01"), 100_000_000), (d("2026-07-03"), -70_000_000)];
        assert_eq!(interes_mora(&mas, 0, &venc, d("2026-08-23"), &tasas), 150_000);
    }

    fn regla() -> ReglaEtapas {
        ReglaEtapas {
            administrativa: Umbral {
                dias_mora: 1,
                monto: Decimal::ZERO,
            },
            prejuridica: Umbral {
                dias_mora: 90,
                monto: dec("10000000"),
            },
            juridica: None,
        }
    }

    #[test]
    fn stages_escalate_by_days_and_amount_and_go_back_only_when_nothing_is_overdue() {
        let r = regla();
        assert_eq!(r.etapa(0, 0), Etapa::Preventiva);
        assert_eq!(r.etapa(5, 100), Etapa::Administrativa);
        // 120 days but only $5.000.000 overdue: the amount keeps it administrative.
        assert_eq!(r.etapa(120, 500_000_000), Etapa::Administrativa);
        assert_eq!(r.etapa(90, 1_000_000_000), Etapa::Prejuridica);
        // Without a jurídica threshold the rule never goes to court.
        assert_eq!(r.etapa(5000, i64::MAX / 2), Etapa::Prejuridica);
        assert_eq!(r.mover(Etapa::Preventiva, 95, 1_200_000_000), Some(Etapa::Prejuridica));
        // A stage set by hand above the rule's stays; a payment of everything ends collection.
        assert_eq!(r.mover(Etapa::Juridica, 95, 1_200_000_000), None);
        assert_eq!(r.mover(Etapa::Prejuridica, 10, 100), None);
        assert_eq!(r.mover(Etapa::Prejuridica, 0, 0), Some(Etapa::Preventiva));
    }

    #[test]
    fn payments_fill_instalments_in_order() {
        let cuotas = [(d("2026-03-31"), 100), (d("2026-04-30"), 100), (d("2026-05-31"), 100)];
        // 150 on time: the first paid, the second half; on 2026-04-15 the agreement is alive.
        let (c, e) = cumplimiento(&cuotas, &[(d("2026-03-20"), 150)], d("2026-04-15"));
        assert_eq!(
            c.iter().map(|c| (c.pagado, c.estado)).collect::<Vec<_>>(),
            [
                (100, EstadoCuota::Pagada),
                (50, EstadoCuota::Parcial),
                (0, EstadoCuota::Pendiente)
            ]
        );
        assert_eq!(e, EstadoAcuerdo::Vigente);
        // On 2026-05-05 the second is overdue: broken.
        let (c, e) = cumplimiento(&cuotas, &[(d("2026-03-20"), 150)], d("2026-05-05"));
        assert_eq!(c[1].estado, EstadoCuota::Vencida);
        assert_eq!(e, EstadoAcuerdo::Incumplido);
        // Paid later in full: the second instalment was late, the agreement stays broken.
        let (c, e) = cumplimiento(
            &cuotas,
            &[(d("2026-03-20"), 150), (d("2026-05-10"), 150)],
            d("2026-06-01"),
        );
        assert_eq!(c[1].estado, EstadoCuota::PagadaTarde);
        assert_eq!(c[2].estado, EstadoCuota::Pagada);
        assert_eq!(e, EstadoAcuerdo::Incumplido);
        // A payment larger than everything covers everything and no more.
        let (c, e) = cumplimiento(&cuotas, &[(d("2026-03-01"), 1000)], d("2026-06-01"));
        assert!(c.iter().all(|c| c.pagado == 100 && c.estado == EstadoCuota::Pagada));
        assert_eq!(e, EstadoAcuerdo::Cumplido);
    }

    #[test]
    fn risk_adds_up_with_its_reasons() {
        let (p, n, r) = riesgo(&Comportamiento::default());
        assert_eq!((p, n, r.len()), (0, NivelRiesgo::Bajo, 0));
        let (p, n, r) = riesgo(&Comportamiento {
            dias_pago: Some(dec("120.5")),
            pct_glosa: Some(dec("12.00")),
            acuerdos_incumplidos: 1,
            compromisos_incumplidos: 0,
            pct_vencida: Some(dec("80.00")),
            dias_mora_max: 200,
        });
        assert_eq!((p, n), (7, NivelRiesgo::Critico));
        assert_eq!(r[0], "paga en 120.5 días en promedio (más de 90)");
        assert_eq!(r.len(), 5);
    }

    #[test]
    fn each_kind_of_difference_of_a_reconciliation() {
        let p = |saldo, pagado, en_discusion| LadoPrestador {
            radicada: true,
            devuelta: false,
            saldo,
            pagado,
            en_discusion,
        };
        let q = |saldo, pagado| LadoPagador {
            saldo,
            pagado,
            glosado: None,
        };
        assert_eq!(
            causa(Some(&p(100, 0, 0)), Some(&q(100, None))),
            (CausaDiferencia::Conciliada, 0)
        );
        assert_eq!(
            causa(Some(&p(0, 100, 0)), Some(&q(0, None))),
            (CausaDiferencia::Pagada, 0)
        );
        assert_eq!(
            causa(Some(&p(100, 0, 0)), None),
            (CausaDiferencia::NoReconocidaPagador, 100)
        );
        assert_eq!(
            causa(None, Some(&q(70, None))),
            (CausaDiferencia::NoRegistradaPrestador, -70)
        );
        // The payer paid 40 the prestador has not applied.
        assert_eq!(
            causa(Some(&p(100, 0, 0)), Some(&q(60, Some(40)))),
            (CausaDiferencia::PagoNoAplicado, 40)
        );
        // The payer counts the 30 in dispute as not owed.
        assert_eq!(
            causa(Some(&p(100, 0, 30)), Some(&q(70, None))),
            (CausaDiferencia::GlosaEnTramite, 30)
        );
        assert_eq!(
            causa(Some(&p(100, 0, 0)), Some(&q(130, None))),
            (CausaDiferencia::DiferenciaValor, -30)
        );
        let mut no_rad = p(100, 0, 0);
        no_rad.radicada = false;
        assert_eq!(causa(Some(&no_rad), None), (CausaDiferencia::NoRadicada, 100));
        let mut dev = p(100, 0, 0);
        dev.devuelta = true;
        assert_eq!(causa(Some(&dev), Some(&q(0, None))), (CausaDiferencia::Devuelta, 100));
    }
}
