//! The ledger of every change of an invoice's balance (append-only, like `eventos`).

use diesel::prelude::*;

use super::schema::movimientos;
use super::AnyConnection;

/// Kinds of movement. The charge and notas débito are positive; everything else takes the
/// balance down.
pub const CARGO: &str = "cargo";
pub const GLOSA_ACEPTADA: &str = "glosa_aceptada";
pub const GLOSA_CONCILIADA: &str = "glosa_conciliada";
pub const PAGO: &str = "pago";
pub const NOTA_CREDITO: &str = "nota_credito";
/// A nota débito raises what the payer owes (positive, like the charge).
pub const NOTA_DEBITO: &str = "nota_debito";
/// What the payer paid in advance, before the invoice (`cbc:PrepaidAmount` of the DIAN invoice
/// beyond the patient's copagos and cuotas).
pub const ANTICIPO: &str = "anticipo";
pub const CASTIGO: &str = "castigo";

/// What made a movement (`origen`), for the entries for the books (`app::asientos`).
pub mod origen {
    /// The invoice's charge when it was issued or imported (origen_id: the invoice).
    pub const FACTURA: &str = "factura";
    /// A correction of the invoice's value (origen_id: the invoice).
    pub const CORRECCION: &str = "correccion";
    /// A glosa's value became final against the prestador, or stopped being (origen_id: the glosa).
    pub const GLOSA: &str = "glosa";
    /// A voided glosa gives back what it had made final (origen_id: the glosa).
    pub const GLOSA_ANULADA: &str = "glosa_anulada";
    /// Money of a payment applied to the invoice (origen_id: the payment).
    pub const APLICACION: &str = "aplicacion";
    /// An application voided (origen_id: the payment).
    pub const APLICACION_ANULADA: &str = "aplicacion_anulada";
    /// A nota crédito or débito (origen_id: the nota).
    pub const NOTA: &str = "nota";
    /// A write-off (origen_id: the invoice; documento: the acta).
    pub const CASTIGO: &str = "castigo";
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = movimientos)]
pub struct Movimiento {
    pub id: String,
    pub prestador_id: String,
    pub factura_id: String,
    pub tipo: String,
    pub valor: i64,
    pub fecha: chrono::NaiveDate,
    pub creado_en: chrono::NaiveDateTime,
    /// What made it ([`origen`]); empty on movements older than that column.
    pub origen: String,
    /// The id of the fact that made it (the invoice, glosa, payment or nota).
    pub origen_id: Option<String>,
    /// The voucher an accountant files it under (nota number, payment reference, acta).
    pub documento: String,
}

impl Movimiento {
    pub fn new(prestador_id: &str, factura_id: &str, tipo: &str, valor: i64, fecha: chrono::NaiveDate) -> Movimiento {
        Movimiento {
            id: super::new_id(),
            prestador_id: prestador_id.to_string(),
            factura_id: factura_id.to_string(),
            tipo: tipo.to_string(),
            valor,
            fecha,
            creado_en: super::now(),
            origen: String::new(),
            origen_id: None,
            documento: String::new(),
        }
    }

    /// The same movement, saying what made it and the voucher behind it.
    pub fn de(self, origen: &str, origen_id: &str, documento: &str) -> Movimiento {
        Movimiento {
            origen: origen.to_string(),
            origen_id: Some(origen_id.to_string()),
            documento: documento.to_string(),
            ..self
        }
    }
}

pub fn insertar(c: &mut AnyConnection, m: &[Movimiento]) -> QueryResult<()> {
    super::insertar_en_lotes!(c, movimientos::table, m);
    Ok(())
}

/// (factura_id, tipo, sum) of the movements of these invoices.
pub fn sumas(c: &mut AnyConnection, prestador_id: &str, ids: &[String]) -> QueryResult<Vec<(String, String, i64)>> {
    movimientos::table
        .filter(
            movimientos::prestador_id
                .eq(prestador_id)
                .and(movimientos::factura_id.eq_any(ids)),
        )
        .group_by((movimientos::factura_id, movimientos::tipo))
        .select((
            movimientos::factura_id,
            movimientos::tipo,
            super::suma("movimientos.valor"),
        ))
        .load::<(String, String, Option<i64>)>(c)
        .map(|v| v.into_iter().map(|(f, t, s)| (f, t, s.unwrap_or(0))).collect())
}
