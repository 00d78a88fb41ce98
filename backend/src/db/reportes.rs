//! Report queries computed in SQL: work lists.

use chrono::NaiveDate;
use diesel::prelude::*;

use super::schema::{facturas, glosas};
use super::AnyConnection;

/// A glosa with its invoice, for work lists.
#[derive(Debug, Queryable)]
pub struct GlosaAlerta {
    pub glosa_id: String,
    pub factura_id: String,
    pub numero: String,
    pub pagador_id: String,
    pub vence: Option<NaiveDate>,
    pub valor: i64,
}

/// Glosas in `estado` whose deadline column is on or before `hasta` (and on or after `desde`).
pub fn glosas_por_vencer(
    c: &mut AnyConnection,
    prestador_id: &str,
    estado: &str,
    decision: bool,
    desde: Option<NaiveDate>,
    hasta: NaiveDate,
) -> QueryResult<Vec<GlosaAlerta>> {
    let base = glosas::table
        .inner_join(facturas::table)
        .filter(glosas::prestador_id.eq(prestador_id).and(glosas::estado.eq(estado)))
        .into_boxed();
    let q = if decision {
        let mut q = base.filter(glosas::fecha_limite_decision.le(hasta));
        if let Some(d) = desde {
            q = q.filter(glosas::fecha_limite_decision.ge(d));
        }
        q.select((
            glosas::id,
            glosas::factura_id,
            facturas::numero,
            facturas::pagador_id,
            glosas::fecha_limite_decision,
            glosas::valor_sustentado,
        ))
    } else {
        let mut q = base.filter(glosas::fecha_limite_respuesta.le(hasta));
        if let Some(d) = desde {
            q = q.filter(glosas::fecha_limite_respuesta.ge(d));
        }
        q.select((
            glosas::id,
            glosas::factura_id,
            facturas::numero,
            facturas::pagador_id,
            glosas::fecha_limite_respuesta.nullable(),
            glosas::valor,
        ))
    };
    q.order(glosas::fecha_limite_respuesta.asc()).limit(5000).load(c)
}

/// An invoice with a deadline, for work lists: (id, numero, pagador_id, vence, saldo).
pub type FacturaAlerta = (String, String, String, Option<NaiveDate>, i64);

/// Issued invoices not yet radicated whose term ends on or before `hasta`.
pub fn radicacion_por_vencer(
    c: &mut AnyConnection,
    prestador_id: &str,
    hasta: NaiveDate,
) -> QueryResult<Vec<FacturaAlerta>> {
    facturas::table
        .filter(
            facturas::prestador_id
                .eq(prestador_id)
                .and(facturas::estado.eq("expedida"))
                .and(facturas::fecha_limite_radicacion.le(hasta)),
        )
        .select((
            facturas::id,
            facturas::numero,
            facturas::pagador_id,
            facturas::fecha_limite_radicacion,
            facturas::saldo,
        ))
        .order(facturas::fecha_limite_radicacion.asc())
        .limit(5000)
        .load(c)
}

/// Invoices whose payment term ended before `hoy` with something still owed.
pub fn pagos_vencidos(c: &mut AnyConnection, prestador_id: &str, hoy: NaiveDate) -> QueryResult<Vec<FacturaAlerta>> {
    facturas::table
        .filter(
            facturas::prestador_id
                .eq(prestador_id)
                .and(facturas::fecha_limite_pago.lt(hoy))
                .and(facturas::saldo.gt(0))
                .and(facturas::estado.ne_all(["anulada", "castigada", "devuelta", "pagada"])),
        )
        .select((
            facturas::id,
            facturas::numero,
            facturas::pagador_id,
            facturas::fecha_limite_pago,
            facturas::saldo,
        ))
        .order(facturas::fecha_limite_pago.asc())
        .limit(5000)
        .load(c)
}
