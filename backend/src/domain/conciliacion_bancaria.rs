//! Matching a credit of a bank statement (an abono) with what Trazo knows: the payments already
//! recorded, the payments the payers announced from their window, and the open invoices.
//!
//! Exact centavos and explained rules, tried in this order; the first that decides wins:
//!
//! 1. **pago_registrado** — a payment already recorded of the same payer (or of any payer when the
//!    credit names none), same value, its reference inside the bank's text, dated within
//!    [`DIAS`] days: the credit *is* that payment (conciliado), no new money.
//! 2. **anuncio** — a payment the payer announced and nobody decided yet, same value, within
//!    [`DIAS`] days (and, when the credit names no payer, the announced reference in the bank's
//!    text): it is confirmed, which records it with its announced detail.
//! 3. **facturas_nombradas** — the payer is identified and the bank's text names invoice numbers
//!    whose open balances add up exactly to the credit: it is applied to them.
//! 4. **saldo_unico** — the payer is identified and exactly one of its open invoices owes exactly
//!    the credit: it is applied to it.
//!
//! What is not certain waits for a person (**varios_candidatos**) with every candidate found; a
//! person chooses one or says why none. What matches nothing is unidentified money: of its payer
//! (**sin_coincidencia**) or of nobody yet (**sin_pagador**). A payment of the same payer and
//! value recorded by hand without the bank's reference is always a candidate, never ignored:
//! applying the credit as new money would count that money twice.
//!
//! Res. 2284/2023 art. 7 lets the IPS apply a payment without detail to the oldest invoices; that
//! is a decision of the cartera team on the payment (Pagos › aplicar sin detalle), not of this
//! matching, which applies only what the bank's data makes certain.

use super::normal;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::money::pesos_colombianos;
use super::nit::digito_verificacion;

/// Days between the bank's booking date and the date of a payment or announcement for them to be
/// the same money: a transfer ordered on a Friday is booked on Monday, and ACH adds a day.
pub const DIAS: i64 = 5;

super::text_enum! {
    /// What became of a credit.
    EstadoMovimiento {
        /// It is a payment already in Trazo.
        Conciliado => "conciliado",
        /// It became a payment applied to invoices (or the confirmation of an announcement).
        Aplicado => "aplicado",
        /// Waits for a person to choose among candidates.
        Pendiente => "pendiente",
        /// Money nobody could place: of its payer, or of no payer yet.
        SinIdentificar => "sin_identificar",
        /// A person said it is not a payer's money (a refund, interest, a transfer between the
        /// IPS's own accounts), with the reason.
        Descartado => "descartado",
    }
}

super::text_enum! {
    /// The rule that decided a credit.
    Regla {
        PagoRegistrado => "pago_registrado",
        Anuncio => "anuncio",
        FacturasNombradas => "facturas_nombradas",
        SaldoUnico => "saldo_unico",
        VariosCandidatos => "varios_candidatos",
        SinCoincidencia => "sin_coincidencia",
        SinPagador => "sin_pagador",
        /// A person decided.
        DecisionManual => "decision_manual",
    }
}

/// A credit as the rules see it (centavos).
#[derive(Debug, Clone)]
pub struct Credito<'a> {
    pub fecha: NaiveDate,
    pub valor: i64,
    pub referencia: &'a str,
    pub descripcion: &'a str,
    /// The payer's identification as the bank gives it (camt.053 `Dbtr/Id`, a NIT column).
    pub nit_tercero: &'a str,
}

impl Credito<'_> {
    /// Everything the bank says of the credit, where a NIT, a reference or an invoice number
    /// may be written.
    pub fn texto(&self) -> String {
        format!("{} {} {}", self.referencia, self.descripcion, self.nit_tercero)
    }
}

/// A payer of the prestador: `nit` as stored (digits, without the check digit).
#[derive(Debug, Clone)]
pub struct Pagador {
    pub id: String,
    pub nit: String,
    pub nombre: String,
}

/// A payment already recorded, not yet tied to another bank credit.
#[derive(Debug, Clone)]
pub struct PagoRegistrado {
    pub id: String,
    pub pagador_id: String,
    pub fecha: NaiveDate,
    pub valor: i64,
    pub referencia: String,
}

/// A payment a payer announced that nobody decided yet.
#[derive(Debug, Clone)]
pub struct AnuncioPendiente {
    pub id: String,
    pub pagador_id: String,
    pub fecha: NaiveDate,
    pub valor: i64,
    pub referencia: String,
}

/// An open invoice of the identified payer that can take a payment, with its saldo today.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacturaAbierta {
    pub id: String,
    pub numero: String,
    pub saldo: i64,
}

/// One line of a proposed application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Linea {
    pub factura_id: String,
    pub numero: String,
    pub valor: i64,
}

/// How the credit would go to the invoices the bank's text names (the payments' own
/// suggestion: named invoices first, each up to its saldo), computed by the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepartoNombradas {
    /// Every named open invoice with its saldo and what the credit puts on it.
    pub facturas: Vec<(FacturaAbierta, i64)>,
    /// What stays unapplied.
    pub sobrante: i64,
}

/// One thing a credit may be, for a person to choose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "tipo", rename_all = "snake_case")]
pub enum Candidato {
    /// A payment already recorded.
    Pago {
        pago_id: String,
        pagador_id: String,
        texto: String,
    },
    /// A payment announced by the payer.
    Anuncio {
        anuncio_id: String,
        pagador_id: String,
        texto: String,
    },
    /// A new payment of the payer applied to these invoices; `sobrante` stays unapplied.
    Facturas {
        pagador_id: String,
        lineas: Vec<Linea>,
        sobrante: i64,
        texto: String,
    },
}

impl Candidato {
    pub fn texto(&self) -> &str {
        match self {
            Candidato::Pago { texto, .. } | Candidato::Anuncio { texto, .. } | Candidato::Facturas { texto, .. } => {
                texto
            }
        }
    }

    pub fn pagador_id(&self) -> &str {
        match self {
            Candidato::Pago { pagador_id, .. }
            | Candidato::Anuncio { pagador_id, .. }
            | Candidato::Facturas { pagador_id, .. } => pagador_id,
        }
    }
}

/// What to do with the credit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Accion {
    /// Tie it to this candidate (a payment, an announcement to confirm, invoices to apply).
    Tomar(Candidato),
    /// Wait for a person.
    Pendiente(Vec<Candidato>),
    /// Unidentified money, of this payer when known.
    SinIdentificar(Option<String>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub accion: Accion,
    pub regla: Regla,
    /// Why, in Spanish, for the clerk.
    pub explicacion: String,
}

/// What the rules look at besides the credit.
#[derive(Debug, Clone, Default)]
pub struct Conocido<'a> {
    /// The payer identified by [`identificar`], if exactly one.
    pub pagador: Option<&'a Pagador>,
    /// Payments not yet tied to a credit (of the payer, or of every payer when none).
    pub pagos: &'a [PagoRegistrado],
    pub anuncios: &'a [AnuncioPendiente],
    /// The payer's open invoices.
    pub facturas: &'a [FacturaAbierta],
    /// How the credit goes to the invoices its text names, when it names any.
    pub nombradas: Option<RepartoNombradas>,
}

/// Whether a recorded reference is inside the bank's text (at least 4 letters or digits, so
/// that `1` or `ACH` do not match everything).
pub fn referencia_contenida(referencia: &str, texto_banco: &str) -> bool {
    let r = normal(referencia);
    r.chars().count() >= 4 && normal(texto_banco).contains(&r)
}

/// The NITs a text may hold, as stored (digits without check digit): `800.251.440-6`,
/// `800251440 - 6`, `800251440` and `8002514406` (the check digit glued on, accepted only when
/// it is the right one) all give `800251440`. A number written with a wrong check digit after a
/// dash gives nothing: it is not that NIT.
pub fn nits_en(texto: &str) -> Vec<String> {
    let mut nits = Vec::new();
    let chars: Vec<char> = texto.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let mut digitos = String::new();
        while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
            if chars[i].is_ascii_digit() {
                digitos.push(chars[i]);
            }
            i += 1;
        }
        // `-6` or ` - 6` after the number: its check digit.
        let mut j = i;
        while j < chars.len() && chars[j] == ' ' {
            j += 1;
        }
        let mut dv = None;
        if j < chars.len() && chars[j] == '-' {
            let mut k = j + 1;
            while k < chars.len() && chars[k] == ' ' {
                k += 1;
            }
            if k < chars.len() && chars[k].is_ascii_digit() && !chars.get(k + 1).is_some_and(char::is_ascii_digit) {
                dv = chars[k].to_digit(10);
                i = k + 1;
            }
        }
        if !(6..=15).contains(&digitos.len()) {
            continue;
        }
        match dv {
            Some(d) if digito_verificacion(&digitos) == d => nits.push(digitos),
            Some(_) => {}
            None => {
                let (cuerpo, ultimo) = digitos.split_at(digitos.len() - 1);
                if cuerpo.len() >= 6 && ultimo.parse::<u32>().ok() == Some(digito_verificacion(cuerpo)) {
                    nits.push(cuerpo.to_string());
                }
                nits.push(digitos);
            }
        }
    }
    nits
}

/// The payers whose NIT the credit carries (in the payer's identification or written in the
/// reference or description).
pub fn identificar<'a>(c: &Credito<'_>, pagadores: &'a [Pagador]) -> Vec<&'a Pagador> {
    let nits = nits_en(&c.texto());
    let mut v: Vec<&Pagador> = pagadores.iter().filter(|p| nits.contains(&p.nit)).collect();
    v.dedup_by_key(|p| p.id.clone());
    v
}

/// A NIT as people write it: `800.251.440`.
pub fn nit_con_puntos(nit: &str) -> String {
    let mut s = String::new();
    for (i, d) in nit.chars().enumerate() {
        if i > 0 && (nit.len() - i).is_multiple_of(3) {
            s.push('.');
        }
        s.push(d);
    }
    s
}

fn dias(a: NaiveDate, b: NaiveDate) -> i64 {
    (a - b).num_days().abs()
}

/// `FE-1`, `FE-1 y FE-2`, `FE-1, FE-2 y FE-3`.
fn enumerar(nombres: &[&str]) -> String {
    match nombres {
        [] => String::new(),
        [uno] => (*uno).to_string(),
        [resto @ .., ultimo] => format!("{} y {ultimo}", resto.join(", ")),
    }
}

/// Decides what a credit is. Pure: everything it looks at comes in `k`.
pub fn decidir(c: &Credito<'_>, k: &Conocido<'_>) -> Decision {
    let texto = c.texto();
    let valor = pesos_colombianos(c.valor);
    let quien = match k.pagador {
        Some(p) => format!("NIT {} = {}", nit_con_puntos(&p.nit), p.nombre),
        None => "sin NIT de un pagador registrado".to_string(),
    };
    let del_pagador = |pagador_id: &str| k.pagador.is_none_or(|p| p.id == pagador_id);
    let mut candidatos: Vec<Candidato> = Vec::new();

    // 1. A payment already recorded.
    let mismos: Vec<&PagoRegistrado> = k
        .pagos
        .iter()
        .filter(|p| p.valor == c.valor && del_pagador(&p.pagador_id) && dias(p.fecha, c.fecha) <= DIAS)
        .collect();
    let con_referencia: Vec<&&PagoRegistrado> = mismos
        .iter()
        .filter(|p| referencia_contenida(&p.referencia, &texto))
        .collect();
    let candidato_pago = |p: &PagoRegistrado| Candidato::Pago {
        pago_id: p.id.clone(),
        pagador_id: p.pagador_id.clone(),
        texto: format!(
            "el pago ya registrado del {} por {} (referencia «{}»)",
            p.fecha.format("%d/%m/%Y"),
            pesos_colombianos(p.valor),
            p.referencia
        ),
    };
    if let [p] = con_referencia.as_slice() {
        return Decision {
            accion: Accion::Tomar(candidato_pago(p)),
            regla: Regla::PagoRegistrado,
            explicacion: format!(
                "{quien}; es el pago ya registrado del {} por {valor} con referencia «{}»",
                p.fecha.format("%d/%m/%Y"),
                p.referencia
            ),
        };
    }
    // Same value and date without the reference (typed by hand), or several with it: a person
    // says which, never new money on top of them.
    let dudosos: Vec<&PagoRegistrado> = if con_referencia.is_empty() {
        // Without a payer, a payment of any payer with the same value is too weak to propose.
        if k.pagador.is_some() {
            mismos.clone()
        } else {
            Vec::new()
        }
    } else {
        con_referencia.iter().map(|p| **p).collect()
    };
    candidatos.extend(dudosos.iter().map(|p| candidato_pago(p)));

    // 2. A payment the payer announced.
    let anunciados: Vec<&AnuncioPendiente> = k
        .anuncios
        .iter()
        .filter(|a| {
            a.valor == c.valor
                && del_pagador(&a.pagador_id)
                && dias(a.fecha, c.fecha) <= DIAS
                && (k.pagador.is_some() || referencia_contenida(&a.referencia, &texto))
        })
        .collect();
    let candidato_anuncio = |a: &AnuncioPendiente| Candidato::Anuncio {
        anuncio_id: a.id.clone(),
        pagador_id: a.pagador_id.clone(),
        texto: format!(
            "el pago que el pagador anunció del {} por {}{}",
            a.fecha.format("%d/%m/%Y"),
            pesos_colombianos(a.valor),
            if a.referencia.is_empty() {
                String::new()
            } else {
                format!(" (referencia «{}»)", a.referencia)
            }
        ),
    };
    if let ([a], true) = (anunciados.as_slice(), candidatos.is_empty()) {
        return Decision {
            accion: Accion::Tomar(candidato_anuncio(a)),
            regla: Regla::Anuncio,
            explicacion: format!(
                "{quien}; coincide con el único pago anunciado por el pagador del {} por {valor}",
                a.fecha.format("%d/%m/%Y")
            ),
        };
    }
    candidatos.extend(anunciados.iter().map(|a| candidato_anuncio(a)));

    let Some(pagador) = k.pagador else {
        if candidatos.is_empty() {
            return Decision {
                accion: Accion::SinIdentificar(None),
                regla: Regla::SinPagador,
                explicacion: format!(
                    "{valor} {quien}: ningún NIT del extracto es de un pagador registrado y no coincide con un pago \
                     registrado ni anunciado; asígnelo a un pagador"
                ),
            };
        }
        return pendiente(candidatos, format!("{quien}; {valor}"));
    };

    // 3. Invoices the bank's text names, whose balances add up to the credit.
    if let Some(r) = &k.nombradas {
        let numeros: Vec<&str> = r.facturas.iter().map(|(f, _)| f.numero.as_str()).collect();
        let suma: i64 = r.facturas.iter().map(|(f, _)| f.saldo).sum();
        let lineas: Vec<Linea> = r
            .facturas
            .iter()
            .filter(|(_, v)| *v > 0)
            .map(|(f, v)| Linea {
                factura_id: f.id.clone(),
                numero: f.numero.clone(),
                valor: *v,
            })
            .collect();
        if !r.facturas.is_empty() && suma == c.valor && r.sobrante == 0 && candidatos.is_empty() {
            let saldos = if numeros.len() == 1 {
                "su saldo es"
            } else {
                "saldos suman"
            };
            return Decision {
                accion: Accion::Tomar(Candidato::Facturas {
                    pagador_id: pagador.id.clone(),
                    lineas,
                    sobrante: 0,
                    texto: format!("aplicar a {}", enumerar(&numeros)),
                }),
                regla: Regla::FacturasNombradas,
                explicacion: format!("{quien}; referencia nombra {}, {saldos} {valor}", enumerar(&numeros)),
            };
        }
        if !r.facturas.is_empty() {
            let texto = if r.sobrante > 0 {
                format!(
                    "aplicar a {} (saldos {}) y dejar {} sin aplicar",
                    enumerar(&numeros),
                    pesos_colombianos(suma),
                    pesos_colombianos(r.sobrante)
                )
            } else {
                format!(
                    "aplicar a {} (saldos {}) lo que alcanza",
                    enumerar(&numeros),
                    pesos_colombianos(suma)
                )
            };
            candidatos.push(Candidato::Facturas {
                pagador_id: pagador.id.clone(),
                lineas,
                sobrante: r.sobrante,
                texto,
            });
        }
    }

    // 4. The one open invoice that owes exactly the credit.
    let iguales: Vec<&FacturaAbierta> = k.facturas.iter().filter(|f| f.saldo == c.valor).collect();
    let candidato_factura = |f: &FacturaAbierta| Candidato::Facturas {
        pagador_id: pagador.id.clone(),
        lineas: vec![Linea {
            factura_id: f.id.clone(),
            numero: f.numero.clone(),
            valor: f.saldo,
        }],
        sobrante: 0,
        texto: format!("aplicar a {}, cuyo saldo es {}", f.numero, pesos_colombianos(f.saldo)),
    };
    if let ([f], true) = (iguales.as_slice(), candidatos.is_empty()) {
        return Decision {
            accion: Accion::Tomar(candidato_factura(f)),
            regla: Regla::SaldoUnico,
            explicacion: format!(
                "{quien}; {} es la única factura abierta del pagador con saldo {valor}",
                f.numero
            ),
        };
    }
    for f in iguales {
        let ya = candidatos.iter().any(
            |x| matches!(x, Candidato::Facturas { lineas, .. } if lineas.len() == 1 && lineas[0].factura_id == f.id),
        );
        if !ya {
            candidatos.push(candidato_factura(f));
        }
    }
    if !candidatos.is_empty() {
        return pendiente(candidatos, format!("{quien}; {valor}"));
    }
    Decision {
        accion: Accion::SinIdentificar(Some(pagador.id.clone())),
        regla: Regla::SinCoincidencia,
        explicacion: format!(
            "{quien}; {valor} no coincide con un pago registrado ni anunciado, la referencia no nombra facturas \
             cuyos saldos sumen ese valor y ninguna factura abierta tiene ese saldo: dinero del pagador sin identificar"
        ),
    }
}

fn pendiente(candidatos: Vec<Candidato>, contexto: String) -> Decision {
    let n = candidatos.len();
    Decision {
        explicacion: format!(
            "{contexto}: {}; elija uno",
            if n == 1 {
                "hay un candidato, pero no es seguro".to_string()
            } else {
                format!("hay {n} candidatos")
            }
        ),
        accion: Accion::Pendiente(candidatos),
        regla: Regla::VariosCandidatos,
    }
}

#[cfg(test)]
// Centavos written as pesos_centavos (`3_450_000_00` is $ 3.450.000,00) read like the money.
#[allow(clippy::inconsistent_digit_grouping)]
mod tests {
    use super::*;

    fn fecha(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, d).unwrap()
    }

    fn sanitas() -> Pagador {
        Pagador {
            id: "p1".into(),
            nit: "800251440".into(),
            nombre: "EPS Sanitas".into(),
        }
    }

    fn credito<'a>(valor: i64, referencia: &'a str, descripcion: &'a str) -> Credito<'a> {
        Credito {
            fecha: fecha(10),
            valor,
            referencia,
            descripcion,
            nit_tercero: "",
        }
    }

    fn factura(numero: &str, saldo: i64) -> FacturaAbierta {
        FacturaAbierta {
            id: format!("id-{numero}"),
            numero: numero.into(),
            saldo,
        }
    }

    /// The reparto the payments' suggestion makes of the named invoices (named first, each up
    /// to its saldo), for the tests.
    fn reparto(facturas: &[FacturaAbierta], mut resto: i64) -> RepartoNombradas {
        let facturas = facturas
            .iter()
            .map(|f| {
                let toma = f.saldo.min(resto);
                resto -= toma;
                (f.clone(), toma)
            })
            .collect();
        RepartoNombradas {
            facturas,
            sobrante: resto,
        }
    }

    #[test]
    fn a_nit_is_found_with_or_without_its_check_digit() {
        for t in [
            "ABONO NIT 800.251.440-6",
            "800251440 - 6 PAGO",
            "ACH 800251440",
            "ACH 8002514406",
            "800.251.440",
        ] {
            assert!(nits_en(t).contains(&"800251440".to_string()), "{t}: {:?}", nits_en(t));
        }
        // A wrong check digit after a dash is another number, not this NIT.
        assert!(!nits_en("NIT 800251440-3").contains(&"800251440".to_string()));
        // Glued on, a wrong check digit is just a longer number.
        assert!(!nits_en("8002514403").contains(&"800251440".to_string()));
        // Short numbers (dates, amounts of a few digits) are not NITs.
        assert!(nits_en("FE-1203 10/03").is_empty());
        let p = [sanitas()];
        let c = Credito {
            nit_tercero: "800251440-6",
            ..credito(1, "", "")
        };
        assert_eq!(identificar(&c, &p).len(), 1);
        assert!(identificar(&credito(1, "X", "NIT 900156264"), &p).is_empty());
    }

    #[test]
    fn rule_1_a_recorded_payment_with_its_reference_is_conciliated() {
        let p = sanitas();
        let pagos = [PagoRegistrado {
            id: "pago".into(),
            pagador_id: "p1".into(),
            fecha: fecha(8),
            valor: 100_000,
            referencia: "TRF-88812".into(),
        }];
        let k = Conocido {
            pagador: Some(&p),
            pagos: &pagos,
            ..Default::default()
        };
        let d = decidir(&credito(100_000, "TRF 88812", ""), &k);
        assert_eq!(d.regla, Regla::PagoRegistrado);
        assert!(matches!(d.accion, Accion::Tomar(Candidato::Pago { ref pago_id, .. }) if pago_id == "pago"));
        assert!(
            d.explicacion.contains("NIT 800.251.440 = EPS Sanitas"),
            "{}",
            d.explicacion
        );
        // Too far in time, or one centavo off: not that payment.
        let lejos = Credito {
            fecha: fecha(20),
            ..credito(100_000, "TRF-88812", "")
        };
        assert_ne!(decidir(&lejos, &k).regla, Regla::PagoRegistrado);
        assert_ne!(
            decidir(&credito(100_001, "TRF-88812", ""), &k).regla,
            Regla::PagoRegistrado
        );
    }

    #[test]
    fn a_payment_of_the_same_value_without_the_reference_is_a_candidate_not_new_money() {
        let p = sanitas();
        let pagos = [PagoRegistrado {
            id: "a-mano".into(),
            pagador_id: "p1".into(),
            fecha: fecha(9),
            valor: 100_000,
            referencia: String::new(),
        }];
        let facturas = [factura("FE-1", 100_000)];
        let k = Conocido {
            pagador: Some(&p),
            pagos: &pagos,
            facturas: &facturas,
            ..Default::default()
        };
        let d = decidir(&credito(100_000, "T-1", ""), &k);
        assert_eq!(d.regla, Regla::VariosCandidatos);
        let Accion::Pendiente(c) = d.accion else { panic!() };
        assert_eq!(c.len(), 2);
        assert!(matches!(c[0], Candidato::Pago { .. }));
    }

    #[test]
    fn rule_2_the_one_announced_payment_of_that_value_is_confirmed() {
        let p = sanitas();
        let anuncios = [
            AnuncioPendiente {
                id: "an".into(),
                pagador_id: "p1".into(),
                fecha: fecha(9),
                valor: 250_000,
                referencia: String::new(),
            },
            AnuncioPendiente {
                id: "otro".into(),
                pagador_id: "p1".into(),
                fecha: fecha(9),
                valor: 300_000,
                referencia: String::new(),
            },
        ];
        let k = Conocido {
            pagador: Some(&p),
            anuncios: &anuncios,
            ..Default::default()
        };
        let d = decidir(&credito(250_000, "", ""), &k);
        assert_eq!(d.regla, Regla::Anuncio);
        assert!(matches!(d.accion, Accion::Tomar(Candidato::Anuncio { ref anuncio_id, .. }) if anuncio_id == "an"));
        // Two announcements of the same value: a person chooses.
        let dos = [
            anuncios[0].clone(),
            AnuncioPendiente {
                id: "b".into(),
                ..anuncios[0].clone()
            },
        ];
        let k = Conocido {
            pagador: Some(&p),
            anuncios: &dos,
            ..Default::default()
        };
        assert_eq!(decidir(&credito(250_000, "", ""), &k).regla, Regla::VariosCandidatos);
        // Without a payer, an announcement needs its reference in the bank's text.
        let k = Conocido {
            anuncios: &anuncios[..1],
            ..Default::default()
        };
        assert_eq!(decidir(&credito(250_000, "", ""), &k).regla, Regla::SinPagador);
        let con_ref = [AnuncioPendiente {
            referencia: "PSE-4455".into(),
            ..anuncios[0].clone()
        }];
        let k = Conocido {
            anuncios: &con_ref,
            ..Default::default()
        };
        assert_eq!(decidir(&credito(250_000, "PSE4455", ""), &k).regla, Regla::Anuncio);
    }

    #[test]
    fn rule_3_named_invoices_whose_balances_sum_the_credit_are_applied() {
        let p = sanitas();
        let nombradas = [factura("FE-1203", 2_000_000_00), factura("FE-1204", 1_450_000_00)];
        let k = Conocido {
            pagador: Some(&p),
            facturas: &nombradas,
            nombradas: Some(reparto(&nombradas, 3_450_000_00)),
            ..Default::default()
        };
        let d = decidir(&credito(3_450_000_00, "", "PAGO FE-1203 Y FE-1204"), &k);
        assert_eq!(d.regla, Regla::FacturasNombradas);
        assert_eq!(
            d.explicacion,
            "NIT 800.251.440 = EPS Sanitas; referencia nombra FE-1203 y FE-1204, saldos suman $ 3.450.000,00"
        );
        let Accion::Tomar(Candidato::Facturas { lineas, sobrante, .. }) = d.accion else {
            panic!()
        };
        assert_eq!(lineas.iter().map(|l| l.valor).sum::<i64>(), 3_450_000_00);
        assert_eq!(sobrante, 0);
    }

    #[test]
    fn one_centavo_off_is_not_certain() {
        let p = sanitas();
        let nombradas = [factura("FE-1203", 2_000_000_00), factura("FE-1204", 1_450_000_00)];
        for valor in [3_450_000_01, 3_449_999_99] {
            let k = Conocido {
                pagador: Some(&p),
                facturas: &nombradas,
                nombradas: Some(reparto(&nombradas, valor)),
                ..Default::default()
            };
            let d = decidir(&credito(valor, "", "FE-1203 FE-1204"), &k);
            assert_eq!(d.regla, Regla::VariosCandidatos, "{valor}");
        }
        let una = [factura("FE-9", 100_000)];
        let k = Conocido {
            pagador: Some(&p),
            facturas: &una,
            ..Default::default()
        };
        assert_eq!(decidir(&credito(100_001, "", ""), &k).regla, Regla::SinCoincidencia);
    }

    /// A payment larger than the named invoice's balance is not applied alone: a person sees
    /// what would stay unapplied and decides.
    #[test]
    fn a_payment_larger_than_the_balance_waits_for_a_person() {
        let p = sanitas();
        let nombradas = [factura("FE-7", 1_000_000)];
        let k = Conocido {
            pagador: Some(&p),
            facturas: &nombradas,
            nombradas: Some(reparto(&nombradas, 1_200_000)),
            ..Default::default()
        };
        let d = decidir(&credito(1_200_000, "", "FE-7"), &k);
        assert_eq!(d.regla, Regla::VariosCandidatos);
        let Accion::Pendiente(c) = d.accion else { panic!() };
        let Candidato::Facturas {
            lineas,
            sobrante,
            texto,
            ..
        } = &c[0]
        else {
            panic!()
        };
        assert_eq!((lineas[0].valor, *sobrante), (1_000_000, 200_000));
        assert!(texto.contains("$ 2.000,00 sin aplicar"), "{texto}");
    }

    #[test]
    fn rule_4_the_only_invoice_with_that_balance_is_applied() {
        let p = sanitas();
        let facturas = [factura("FE-1", 500_000), factura("FE-2", 700_000)];
        let k = Conocido {
            pagador: Some(&p),
            facturas: &facturas,
            ..Default::default()
        };
        let d = decidir(&credito(700_000, "", ""), &k);
        assert_eq!(d.regla, Regla::SaldoUnico);
        assert!(
            d.explicacion.contains("FE-2 es la única factura abierta"),
            "{}",
            d.explicacion
        );
    }

    #[test]
    fn two_invoices_with_the_same_balance_wait_for_a_person() {
        let p = sanitas();
        let facturas = [factura("FE-1", 700_000), factura("FE-2", 700_000)];
        let k = Conocido {
            pagador: Some(&p),
            facturas: &facturas,
            ..Default::default()
        };
        let d = decidir(&credito(700_000, "", ""), &k);
        assert_eq!(d.regla, Regla::VariosCandidatos);
        let Accion::Pendiente(c) = d.accion else { panic!() };
        assert_eq!(c.len(), 2);
        assert!(d.explicacion.contains("hay 2 candidatos"));
    }

    #[test]
    fn nothing_matches_money_of_the_payer_or_of_nobody() {
        let p = sanitas();
        let k = Conocido {
            pagador: Some(&p),
            ..Default::default()
        };
        let d = decidir(&credito(1_000, "", ""), &k);
        assert_eq!(d.accion, Accion::SinIdentificar(Some("p1".into())));
        assert_eq!(d.regla, Regla::SinCoincidencia);
        let d = decidir(&credito(1_000, "", ""), &Conocido::default());
        assert_eq!(d.accion, Accion::SinIdentificar(None));
        assert_eq!(d.regla, Regla::SinPagador);
    }

    #[test]
    fn candidates_travel_as_json() {
        let c = Candidato::Pago {
            pago_id: "x".into(),
            pagador_id: "p".into(),
            texto: "t".into(),
        };
        let j = serde_json::to_string(&c).unwrap();
        assert!(j.contains("\"tipo\":\"pago\""), "{j}");
        assert_eq!(serde_json::from_str::<Candidato>(&j).unwrap(), c);
    }
}
