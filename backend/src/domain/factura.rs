//! The invoice (factura electrónica de venta en salud) and its lines.

use rust_decimal::Decimal;

use super::money::{to_centavos, to_centavos_no_negativo};
use super::Violation;

super::text_enum! {
    /// Where an invoice is in its life, and so who has the ball (see `ciclo`).
    EstadoFactura {
        /// Issued and validated by DIAN; not yet filed with the payer.
        Expedida => "expedida",
        /// Filed with the payer: the payer's terms run.
        Radicada => "radicada",
        /// Returned whole by the payer; the prestador must correct and file it again.
        Devuelta => "devuelta",
        /// Filed again after a devolución: the payer's terms start over.
        Reradicada => "reradicada",
        /// The payer objected; some glosa waits for the prestador's answer.
        Glosada => "glosada",
        /// The prestador answered; the payer must decide.
        Respondida => "respondida",
        /// The payer lifted (all or part of) the glosas; the value lifted must be paid.
        Levantada => "levantada",
        /// The payer kept a disputed value as final.
        Ratificada => "ratificada",
        /// A ratified value is being conciliated.
        EnConciliacion => "en_conciliacion",
        /// The dispute ended in a conciliation.
        Conciliada => "conciliada",
        /// Part of the balance was paid.
        PagadaParcial => "pagada_parcial",
        /// Nothing is owed.
        Pagada => "pagada",
        /// Written off by the prestador's decision.
        Castigada => "castigada",
        /// Annulled by a nota crédito.
        Anulada => "anulada",
    }
}

/// A line as the user sends it.
#[derive(Debug, Clone)]
pub struct ItemEntrada {
    pub codigo: String,
    pub descripcion: String,
    pub cantidad: Decimal,
    pub valor_unitario: Decimal,
    pub valor_total: Decimal,
}

/// An invoice as the user sends it, before it is checked.
#[derive(Debug, Clone)]
pub struct FacturaEntrada {
    pub numero: String,
    pub fecha_expedicion: chrono::NaiveDate,
    pub valor_total: Decimal,
    pub copagos: Decimal,
    pub cuotas_moderadoras: Decimal,
    pub cufe: Option<String>,
    pub items: Vec<ItemEntrada>,
}

/// An item whose amounts have been checked, in centavos.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemValido {
    pub codigo: String,
    pub descripcion: String,
    pub cantidad: Decimal,
    pub valor_unitario: i64,
    pub valor_total: i64,
    /// Taxes of the line over `valor_total` (IVA, INC...): only electronic invoices that carry
    /// them per line (cac:InvoiceLine/cac:TaxTotal) set it; health services are excluded from IVA.
    pub impuestos: i64,
}

/// An invoice whose amounts add up, in centavos.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacturaValida {
    pub numero: String,
    pub fecha_expedicion: chrono::NaiveDate,
    pub valor_total: i64,
    pub copagos: i64,
    pub cuotas_moderadoras: i64,
    pub cufe: Option<String>,
    pub items: Vec<ItemValido>,
}

impl FacturaValida {
    /// What the payer owes before any glosa or payment: the invoice value less what the
    /// patient already paid (copagos and cuotas moderadoras reduce the payer's debt).
    pub fn valor_a_cargo_pagador(&self) -> i64 {
        a_cargo_pagador(self.valor_total, self.copagos, self.cuotas_moderadoras)
    }
}

pub fn a_cargo_pagador(valor_total: i64, copagos: i64, cuotas_moderadoras: i64) -> i64 {
    valor_total - copagos - cuotas_moderadoras
}

/// What a line is worth: cantidad × valor unitario, to the centavo (half away from zero).
pub fn total_de_linea(cantidad: Decimal, valor_unitario: Decimal) -> Decimal {
    (cantidad * valor_unitario).round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
}

/// Checks an invoice as a billing clerk would: every amount a valid peso value, lines that
/// multiply out and add up to the total, patient payments no larger than the invoice.
/// Returns every problem at once, each with the field it is in.
pub fn validar(f: FacturaEntrada, hoy: chrono::NaiveDate) -> Result<FacturaValida, Vec<Violation>> {
    let mut errs = Vec::new();
    let mut money = |path: &str, v: Decimal| match to_centavos_no_negativo(v) {
        Ok(c) => c,
        Err(e) => {
            errs.push(Violation::new(path, e.to_string()));
            0
        }
    };
    let valor_total = money("valor_total", f.valor_total);
    let copagos = money("copagos", f.copagos);
    let cuotas = money("cuotas_moderadoras", f.cuotas_moderadoras);
    let mut items = Vec::with_capacity(f.items.len());
    for (i, it) in f.items.iter().enumerate() {
        let p = |field: &str| format!("items[{i}].{field}");
        let unitario = money(&p("valor_unitario"), it.valor_unitario);
        let total = money(&p("valor_total"), it.valor_total);
        items.push((i, it, unitario, total));
    }
    let numero = f.numero.trim().to_uppercase();
    if numero.is_empty() || numero.len() > 40 || !numero.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        errs.push(Violation::new(
            "numero",
            "se espera el número de la factura: prefijo y consecutivo, letras, dígitos o guion, hasta 40 caracteres (p. ej. \"FE-1234\")",
        ));
    }
    if valor_total == 0 && errs.iter().all(|e| e.path != "valor_total") {
        errs.push(Violation::new(
            "valor_total",
            "el valor de la factura debe ser mayor que cero",
        ));
    }
    if copagos + cuotas > valor_total {
        errs.push(Violation::new(
            "copagos",
            "los copagos y cuotas moderadoras no pueden superar el valor de la factura",
        ));
    }
    if f.fecha_expedicion > hoy {
        errs.push(Violation::new(
            "fecha_expedicion",
            format!("la fecha {} es posterior a hoy ({hoy})", f.fecha_expedicion),
        ));
    }
    if let Some(m) = super::antes_de_lo_posible(f.fecha_expedicion) {
        errs.push(Violation::new("fecha_expedicion", m));
    }
    let mut valid_items = Vec::with_capacity(items.len());
    let mut suma = 0i64;
    for (i, it, unitario, total) in items {
        if it.codigo.trim().is_empty() {
            errs.push(Violation::new(
                format!("items[{i}].codigo"),
                "falta el código del servicio (CUPS, CUM o código propio)",
            ));
        }
        if it.cantidad <= Decimal::ZERO {
            errs.push(Violation::new(
                format!("items[{i}].cantidad"),
                "la cantidad debe ser mayor que cero",
            ));
        }
        // A line is right when cantidad × valor_unitario equals its total to the centavo.
        let esperado = total_de_linea(it.cantidad, Decimal::new(unitario, 2));
        if to_centavos(esperado).ok() != Some(total) {
            errs.push(Violation::new(
                format!("items[{i}].valor_total"),
                format!(
                    "{} × {} = {esperado}, pero la línea dice {}",
                    it.cantidad, it.valor_unitario, it.valor_total
                ),
            ));
        }
        suma += total;
        valid_items.push(ItemValido {
            codigo: it.codigo.trim().to_string(),
            descripcion: it.descripcion.trim().to_string(),
            cantidad: it.cantidad.normalize(),
            valor_unitario: unitario,
            valor_total: total,
            impuestos: 0,
        });
    }
    if !valid_items.is_empty() && suma != valor_total {
        errs.push(Violation::new(
            "valor_total",
            format!(
                "las líneas suman {} y la factura dice {}",
                super::money::from_centavos(suma),
                super::money::from_centavos(valor_total)
            ),
        ));
    }
    if !errs.is_empty() {
        return Err(errs);
    }
    Ok(FacturaValida {
        numero,
        fecha_expedicion: f.fecha_expedicion,
        valor_total,
        copagos,
        cuotas_moderadoras: cuotas,
        cufe: f.cufe.map(|c| c.trim().to_lowercase()).filter(|c| !c.is_empty()),
        items: valid_items,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }
    fn hoy() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }
    fn item(cant: &str, unit: &str, total: &str) -> ItemEntrada {
        ItemEntrada {
            codigo: "890201".into(),
            descripcion: "Consulta de primera vez por medicina general".into(),
            cantidad: d(cant),
            valor_unitario: d(unit),
            valor_total: d(total),
        }
    }
    fn factura(total: &str, items: Vec<ItemEntrada>) -> FacturaEntrada {
        FacturaEntrada {
            numero: " fe-1001 ".into(),
            fecha_expedicion: NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
            valor_total: d(total),
            copagos: d("4500"),
            cuotas_moderadoras: d("0"),
            cufe: None,
            items,
        }
    }

    #[test]
    fn a_correct_invoice_is_normalised_to_centavos() {
        let f = validar(
            factura(
                "120000.50",
                vec![item("2", "35000.25", "70000.50"), item("1", "50000", "50000")],
            ),
            hoy(),
        )
        .unwrap();
        assert_eq!(f.numero, "FE-1001");
        assert_eq!(f.valor_total, 12_000_050);
        assert_eq!(f.valor_a_cargo_pagador(), 12_000_050 - 450_000);
        assert_eq!(f.items[0].valor_unitario, 3_500_025);
    }

    #[test]
    fn fractional_quantities_round_to_the_centavo() {
        // Half a box of a medicine at 3,333.33 is 1,666.665: people round half up to
        // 1,666.67 (banker's rounding would give 1,666.66 and refuse a correct line).
        let sin_copago = |total: &str, linea: &str| FacturaEntrada {
            copagos: Decimal::ZERO,
            ..factura(total, vec![item("0.5", "3333.33", linea)])
        };
        let f = validar(sin_copago("1666.67", "1666.67"), hoy()).unwrap();
        assert_eq!(f.valor_total, 166_667);
        let errs = validar(sin_copago("1666.66", "1666.66"), hoy()).unwrap_err();
        assert_eq!(errs[0].path, "items[0].valor_total");
    }

    #[test]
    fn lines_that_do_not_add_up_name_the_line_and_the_sums() {
        let errs = validar(
            factura("100000", vec![item("2", "35000", "70000"), item("1", "20000", "25000")]),
            hoy(),
        )
        .unwrap_err();
        let paths: Vec<_> = errs.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(paths, ["items[1].valor_total", "valor_total"]);
        assert!(
            errs[1].message.contains("95000.00") && errs[1].message.contains("100000.00"),
            "{}",
            errs[1].message
        );
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let mut f = factura("-5", vec![]);
        f.numero = "".into();
        f.copagos = d("1.001");
        f.fecha_expedicion = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
        let errs = validar(f, hoy()).unwrap_err();
        let paths: Vec<_> = errs.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(paths, ["valor_total", "copagos", "numero", "fecha_expedicion"]);
        let mut f = factura("5", vec![]);
        f.fecha_expedicion = NaiveDate::from_ymd_opt(1, 1, 1).unwrap();
        let errs = validar(f, hoy()).unwrap_err();
        let fecha = errs
            .iter()
            .find(|e| e.path == "fecha_expedicion")
            .expect("a date error");
        assert!(fecha.message.contains("desde 2000-01-01"), "{}", fecha.message);
    }

    #[test]
    fn patient_payments_cannot_exceed_the_invoice() {
        let mut f = factura("4000", vec![]);
        f.copagos = d("4500");
        let errs = validar(f, hoy()).unwrap_err();
        assert_eq!(errs[0].path, "copagos");
    }
}
