//! Report queries computed in SQL: work lists and balances by age.

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Integer, Text};

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

/// One cell of the aging report: a payer, an age bucket, how many invoices and their balance.
#[derive(Debug, QueryableByName)]
pub struct CeldaCartera {
    #[diesel(sql_type = Text)]
    pub pagador_id: String,
    #[diesel(sql_type = Text)]
    pub pagador: String,
    #[diesel(sql_type = Text)]
    pub tipo: String,
    #[diesel(sql_type = Integer)]
    pub edad: i32,
    #[diesel(sql_type = BigInt)]
    pub facturas: i64,
    #[diesel(sql_type = BigInt)]
    pub saldo: i64,
}

/// Balances at `corte` by payer and age bucket since radicación. `limites` are the dates
/// that open buckets 0..5 (radicated on or after limites[0] → bucket 0, ...; older → 5).
/// With `tacita`, glosas unanswered past their term at `corte` are taken as accepted.
pub fn cartera_por_edad(
    c: &mut AnyConnection,
    prestador_id: &str,
    corte: NaiveDate,
    limites: [NaiveDate; 5],
    tacita: bool,
) -> QueryResult<Vec<CeldaCartera>> {
    // The saldo at a date is the sum of the ledger up to it; silence subtracts glosas
    // unanswered past their term at that date.
    let tacito = if tacita {
        "LEFT JOIN (SELECT factura_id, SUM(valor) AS valor FROM glosas \
           WHERE prestador_id = ? AND fecha_limite_respuesta < ? \
             AND (fecha_respuesta IS NULL OR fecha_respuesta > ?) GROUP BY factura_id) t ON t.factura_id = f.id"
    } else {
        ""
    };
    let menos = if tacita { " - COALESCE(t.valor, 0)" } else { "" };
    let sql = format!(
        "SELECT x.pagador_id AS pagador_id, p.nombre AS pagador, p.tipo AS tipo, x.edad AS edad, \
                COUNT(*) AS facturas, CAST(SUM(x.saldo) AS BIGINT) AS saldo \
         FROM (SELECT f.pagador_id AS pagador_id, \
                      CASE WHEN f.fecha_radicacion >= ? THEN 0 WHEN f.fecha_radicacion >= ? THEN 1 \
                           WHEN f.fecha_radicacion >= ? THEN 2 WHEN f.fecha_radicacion >= ? THEN 3 \
                           WHEN f.fecha_radicacion >= ? THEN 4 ELSE 5 END AS edad, \
                      m.valor{menos} AS saldo \
               FROM facturas f \
               JOIN (SELECT factura_id, SUM(valor) AS valor FROM movimientos \
                     WHERE prestador_id = ? AND fecha <= ? GROUP BY factura_id) m ON m.factura_id = f.id \
               {tacito} \
               WHERE f.prestador_id = ? AND f.fecha_radicacion IS NOT NULL AND f.fecha_radicacion <= ?) x \
         JOIN pagadores p ON p.id = x.pagador_id \
         WHERE x.saldo > 0 \
         GROUP BY x.pagador_id, p.nombre, p.tipo, x.edad \
         ORDER BY p.nombre, x.edad"
    );
    let sql = match c {
        AnyConnection::Postgresql(_) => super::numerar_parametros(&sql),
        AnyConnection::Sqlite(_) => sql,
    };
    super::por_backend!(c, |conn| {
        let mut q = diesel::sql_query(&sql).into_boxed();
        for l in limites {
            q = q.bind::<Date, _>(l);
        }
        q = q.bind::<Text, _>(prestador_id.to_string()).bind::<Date, _>(corte);
        if tacita {
            q = q
                .bind::<Text, _>(prestador_id.to_string())
                .bind::<Date, _>(corte)
                .bind::<Date, _>(corte);
        }
        q.bind::<Text, _>(prestador_id.to_string())
            .bind::<Date, _>(corte)
            .load::<CeldaCartera>(conn)
    })
}
