//! Entries for the books: each change of what a payer owes (the ledger's movements, and the
//! glosas silence accepts) as a balanced double entry, with the accounts the prestador's
//! accountant chose for each concept.
//!
//! The receivable (cuenta por cobrar) is on one side of every entry: debited when the payer
//! owes more (an invoice, a nota débito, a payment given back, a recovery of written-off
//! cartera) and credited when it owes less. So the receivable's net over any span is the
//! ledger's net over it, and at a cut-off it is the cartera report's total (`app::asientos`
//! shows both side by side).

use chrono::{Duration, NaiveDate};
use serde::Deserialize;

super::text_enum! {
    /// Why an entry was made.
    Concepto {
        /// The invoice's charge to the payer: cuenta por cobrar / ingresos (a correction of its
        /// value, up or down, too).
        Factura => "factura",
        /// A nota débito raises what is owed: cuenta por cobrar / ingresos.
        NotaDebito => "nota_debito",
        /// What the payer had paid in advance, applied to the invoice: anticipos recibidos /
        /// cuenta por cobrar.
        Anticipo => "anticipo",
        /// A glosa accepted or conciliated in the payer's favour: the prestador owes a nota
        /// crédito for it (devoluciones, rebajas / cuenta por cobrar).
        GlosaAceptada => "glosa_aceptada",
        /// A glosa unanswered past its term is accepted (Ley 1438/2011 art. 57): the same entry,
        /// dated the day after the term; reversed if an answer later undoes it.
        GlosaTacita => "glosa_tacita",
        /// A nota crédito issued (an annulment too): devoluciones / cuenta por cobrar.
        NotaCredito => "nota_credito",
        /// Money applied to the invoice: bancos / cuenta por cobrar, also when a third party
        /// (ADRES giro directo) paid on the payer's behalf (Res. 2284/2023 art. 8).
        Pago => "pago",
        /// A write-off approved by acta: deterioro (or the expense the accountant set) /
        /// cuenta por cobrar.
        Castigo => "castigo",
        /// Money received on written-off cartera: cuenta por cobrar / recuperaciones, then the
        /// payment itself (bancos / cuenta por cobrar).
        Recuperacion => "recuperacion",
    }
}

impl Concepto {
    /// How the concept reads in a report.
    pub fn nombre(self) -> &'static str {
        match self {
            Concepto::Factura => "Facturación",
            Concepto::NotaDebito => "Notas débito",
            Concepto::Anticipo => "Anticipos aplicados",
            Concepto::GlosaAceptada => "Glosas aceptadas (nota crédito por emitir)",
            Concepto::GlosaTacita => "Glosas aceptadas por silencio",
            Concepto::NotaCredito => "Notas crédito",
            Concepto::Pago => "Pagos aplicados",
            Concepto::Castigo => "Castigos de cartera",
            Concepto::Recuperacion => "Recuperación de cartera castigada",
        }
    }
}

/// The account codes of each concept (`[contabilidad]` in the configuration).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cuentas {
    pub cuenta_por_cobrar: String,
    pub ingresos: String,
    pub bancos: String,
    pub devoluciones: String,
    pub anticipos: String,
    pub castigo: String,
    pub recuperaciones: String,
}

impl Cuentas {
    /// Each code with its key, in the order of the configuration.
    pub fn todas(&self) -> [(&'static str, &str); 7] {
        [
            ("cuenta_por_cobrar", &self.cuenta_por_cobrar),
            ("ingresos", &self.ingresos),
            ("bancos", &self.bancos),
            ("devoluciones", &self.devoluciones),
            ("anticipos", &self.anticipos),
            ("castigo", &self.castigo),
            ("recuperaciones", &self.recuperaciones),
        ]
    }

    /// Every code is a PUC code: digits only (Decreto 2650/1993 numbers classes, groups,
    /// accounts and subaccounts with 1, 2, 4 and 6 digits; auxiliaries go further). The
    /// receivable must differ from the accounts it is matched against, or its reconciliation
    /// with the cartera would mean nothing. Err: (key, why).
    pub fn validar(&self) -> Result<(), (&'static str, String)> {
        for (clave, codigo) in self.todas() {
            if codigo.is_empty() || !codigo.chars().all(|c| c.is_ascii_digit()) {
                return Err((
                    clave,
                    format!("'{codigo}' no es un código de cuenta; se esperan solo dígitos (p. ej. 130505)"),
                ));
            }
            if codigo.len() > 20 {
                return Err((clave, format!("'{codigo}' tiene más de 20 dígitos")));
            }
        }
        for (clave, codigo) in self.todas().into_iter().skip(1) {
            if codigo == self.cuenta_por_cobrar {
                return Err((
                    clave,
                    format!("es la misma cuenta por cobrar ({codigo}); cada concepto debe ir contra otra cuenta"),
                ));
            }
        }
        Ok(())
    }
}

/// The two sides of an entry: `debito` and `credito`, and whether it reverses the concept's
/// usual entry (a payment given back, a glosa's acceptance undone).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Partida {
    pub concepto: Concepto,
    pub debito: String,
    pub credito: String,
    /// The value, positive, in centavos.
    pub valor: i64,
    pub reverso: bool,
}

/// A movement of the ledger Trazo does not know how to book.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("movimiento de tipo '{0}' sin concepto contable")]
pub struct TipoDesconocido(pub String);

/// The entry of one ledger movement: its `tipo`, what made it (`origen`, empty on movements
/// older than that column) and its signed value (positive raises what the payer owes). None
/// for a movement of 0.
pub fn de_movimiento(c: &Cuentas, tipo: &str, origen: &str, valor: i64) -> Result<Option<Partida>, TipoDesconocido> {
    if valor == 0 {
        return Ok(None);
    }
    let sube = valor > 0;
    // (concept, the account the receivable is matched against, whether the concept's usual
    // entry raises the receivable).
    let (concepto, contra, normal_sube) = match tipo {
        "cargo" => (Concepto::Factura, &c.ingresos, true),
        "nota_debito" => (Concepto::NotaDebito, &c.ingresos, true),
        "anticipo" => (Concepto::Anticipo, &c.anticipos, false),
        "glosa_aceptada" | "glosa_conciliada" => (Concepto::GlosaAceptada, &c.devoluciones, false),
        "nota_credito" => (Concepto::NotaCredito, &c.devoluciones, false),
        "pago" => (Concepto::Pago, &c.bancos, false),
        // A write-off lowers the receivable; money on written-off cartera first puts that much
        // back as a recovery (the payment then credits it as any other). Voiding such a payment
        // takes the recovery back: its write-off movement comes from `aplicacion_anulada`.
        "castigo" if sube => (Concepto::Recuperacion, &c.recuperaciones, true),
        "castigo" if origen == "aplicacion_anulada" => (Concepto::Recuperacion, &c.recuperaciones, true),
        "castigo" => (Concepto::Castigo, &c.castigo, false),
        otro => return Err(TipoDesconocido(otro.to_string())),
    };
    let (debito, credito) = if sube {
        (c.cuenta_por_cobrar.clone(), contra.clone())
    } else {
        (contra.clone(), c.cuenta_por_cobrar.clone())
    };
    Ok(Some(Partida {
        concepto,
        debito,
        credito,
        valor: valor.abs(),
        reverso: sube != normal_sube,
    }))
}

/// When a glosa is taken as accepted by silence at a cut-off: its answer term ended before
/// the cut-off and no answer came by then (the rule the cartera report applies; a late answer
/// then books its own acceptance in the ledger, RE2202).
pub fn tacita_al_corte(limite: NaiveDate, respuesta: Option<NaiveDate>, corte: NaiveDate) -> bool {
    limite < corte && respuesta.is_none_or(|r| r > corte)
}

/// The dated entries of a glosa's tacit acceptance: the acceptance on the first day it holds,
/// and its reversal on the day an answer undoes it (true = reversal). Summed up to any cut-off
/// they give [`tacita_al_corte`].
pub fn fechas_tacita(limite: NaiveDate, respuesta: Option<NaiveDate>) -> Vec<(NaiveDate, bool)> {
    let primer_dia = limite + Duration::days(1);
    match respuesta {
        Some(r) if r <= primer_dia => vec![],
        Some(r) => vec![(primer_dia, false), (r, true)],
        None => vec![(primer_dia, false)],
    }
}

/// The entry of a tacit acceptance of `valor` centavos, or of its reversal.
pub fn de_tacita(c: &Cuentas, valor: i64, reverso: bool) -> Partida {
    let (debito, credito) = if reverso {
        (c.cuenta_por_cobrar.clone(), c.devoluciones.clone())
    } else {
        (c.devoluciones.clone(), c.cuenta_por_cobrar.clone())
    };
    Partida {
        concepto: Concepto::GlosaTacita,
        debito,
        credito,
        valor,
        reverso,
    }
}

/// What entries do to one account: debits and credits, in centavos.
pub fn movimiento_de_cuenta<'a>(partidas: impl IntoIterator<Item = &'a Partida>, cuenta: &str) -> (i64, i64) {
    partidas.into_iter().fold((0, 0), |(d, c), p| {
        (
            d + if p.debito == cuenta { p.valor } else { 0 },
            c + if p.credito == cuenta { p.valor } else { 0 },
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cuentas() -> Cuentas {
        Cuentas {
            cuenta_por_cobrar: "130505".into(),
            ingresos: "4125".into(),
            bancos: "1110".into(),
            devoluciones: "4175".into(),
            anticipos: "2805".into(),
            castigo: "1399".into(),
            recuperaciones: "4250".into(),
        }
    }

    fn p(tipo: &str, origen: &str, valor: i64) -> Partida {
        de_movimiento(&cuentas(), tipo, origen, valor).unwrap().unwrap()
    }

    fn lados(x: &Partida) -> (Concepto, &str, &str, i64, bool) {
        (x.concepto, x.debito.as_str(), x.credito.as_str(), x.valor, x.reverso)
    }

    #[test]
    fn each_concept_debits_and_credits_its_accounts() {
        use Concepto::*;
        let casos = [
            (("cargo", "factura", 100), (Factura, "130505", "4125", 100, false)),
            (("nota_debito", "nota", 30), (NotaDebito, "130505", "4125", 30, false)),
            (("anticipo", "factura", -40), (Anticipo, "2805", "130505", 40, false)),
            (
                ("glosa_aceptada", "glosa", -25),
                (GlosaAceptada, "4175", "130505", 25, false),
            ),
            (
                ("glosa_conciliada", "glosa", -5),
                (GlosaAceptada, "4175", "130505", 5, false),
            ),
            (
                ("nota_credito", "nota", -60),
                (NotaCredito, "4175", "130505", 60, false),
            ),
            (("pago", "aplicacion", -70), (Pago, "1110", "130505", 70, false)),
            (("castigo", "castigo", -80), (Castigo, "1399", "130505", 80, false)),
            (
                ("castigo", "aplicacion", 20),
                (Recuperacion, "130505", "4250", 20, false),
            ),
        ];
        for ((tipo, origen, valor), esperado) in casos {
            assert_eq!(lados(&p(tipo, origen, valor)), esperado, "{tipo} {valor}");
        }
    }

    #[test]
    fn what_undoes_a_fact_is_its_mirror_marked_as_reversal() {
        use Concepto::*;
        // A voided application gives the money back to the payment: the receivable is owed again.
        assert_eq!(
            lados(&p("pago", "aplicacion_anulada", 70)),
            (Pago, "130505", "1110", 70, true)
        );
        // ...and on written-off cartera the recovery is taken back, not a new write-off.
        assert_eq!(
            lados(&p("castigo", "aplicacion_anulada", -20)),
            (Recuperacion, "4250", "130505", 20, true)
        );
        // A voided glosa, or a lowered invoice.
        assert_eq!(
            lados(&p("glosa_aceptada", "glosa_anulada", 25)),
            (GlosaAceptada, "130505", "4175", 25, true)
        );
        assert_eq!(
            lados(&p("cargo", "correccion", -10)),
            (Factura, "4125", "130505", 10, true)
        );
        // Movements older than `origen`: the type and sign still say the concept.
        assert_eq!(lados(&p("pago", "", 9)), (Pago, "130505", "1110", 9, true));
        assert_eq!(lados(&p("castigo", "", 9)), (Recuperacion, "130505", "4250", 9, false));
    }

    #[test]
    fn every_entry_balances_and_touches_the_receivable_by_the_movement() {
        let c = cuentas();
        for tipo in [
            "cargo",
            "nota_debito",
            "anticipo",
            "glosa_aceptada",
            "glosa_conciliada",
            "nota_credito",
            "pago",
            "castigo",
        ] {
            for origen in ["", "aplicacion", "aplicacion_anulada", "glosa_anulada"] {
                for valor in [-123_456, -1, 1, 987_654_321] {
                    let x = p(tipo, origen, valor);
                    assert_ne!(x.debito, x.credito, "{tipo}");
                    assert!(x.valor > 0);
                    let (d, cr) = movimiento_de_cuenta([&x], &c.cuenta_por_cobrar);
                    assert_eq!(d - cr, valor, "{tipo} {origen} {valor}");
                }
            }
        }
        assert_eq!(de_movimiento(&c, "pago", "", 0), Ok(None));
        assert_eq!(
            de_movimiento(&c, "regalo", "", 5),
            Err(TipoDesconocido("regalo".into()))
        );
    }

    #[test]
    fn tacit_entries_summed_to_any_cut_off_give_the_tacit_acceptance_at_it() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let limite = d("2026-03-10");
        let respuestas = [
            None,
            Some(d("2026-03-01")),
            Some(d("2026-03-10")),
            Some(d("2026-03-11")),
            Some(d("2026-03-12")),
            Some(d("2026-04-20")),
        ];
        for r in respuestas {
            let fechas = fechas_tacita(limite, r);
            for dia in 0..60 {
                let corte = d("2026-03-01") + Duration::days(dia);
                let neto: i64 = fechas
                    .iter()
                    .filter(|(f, _)| *f <= corte)
                    .map(|(_, reverso)| if *reverso { 1 } else { -1 })
                    .sum();
                let esperado = if tacita_al_corte(limite, r, corte) { -1 } else { 0 };
                assert_eq!(neto, esperado, "respuesta {r:?}, corte {corte}");
            }
        }
        let c = cuentas();
        assert_eq!(
            lados(&de_tacita(&c, 50, false)),
            (Concepto::GlosaTacita, "4175", "130505", 50, false)
        );
        assert_eq!(
            lados(&de_tacita(&c, 50, true)),
            (Concepto::GlosaTacita, "130505", "4175", 50, true)
        );
    }

    #[test]
    fn account_codes_are_digits_and_the_receivable_stands_alone() {
        assert_eq!(cuentas().validar(), Ok(()));
        let mut c = cuentas();
        c.bancos = "11 10".into();
        assert_eq!(c.validar().unwrap_err().0, "bancos");
        c.bancos = String::new();
        let (clave, por_que) = c.validar().unwrap_err();
        assert_eq!(clave, "bancos");
        assert!(por_que.contains("solo dígitos"), "{por_que}");
        let mut c = cuentas();
        c.devoluciones = "130505".into();
        let (clave, por_que) = c.validar().unwrap_err();
        assert_eq!(clave, "devoluciones");
        assert!(por_que.contains("cuenta por cobrar"), "{por_que}");
    }
}
