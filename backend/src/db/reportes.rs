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
    pub extemporanea: bool,
    pub codigo: String,
}

/// The columns of a [`GlosaAlerta`], with the date and value that matter to the alert.
macro_rules! columnas_alerta {
    ($vence:expr, $valor:expr) => {
        (
            glosas::id,
            glosas::factura_id,
            facturas::numero,
            facturas::pagador_id,
            $vence,
            $valor,
            glosas::extemporanea,
            glosas::codigo,
        )
    };
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
        q.select(columnas_alerta!(
            glosas::fecha_limite_decision,
            glosas::valor_sustentado
        ))
    } else {
        let mut q = base.filter(glosas::fecha_limite_respuesta.le(hasta));
        if let Some(d) = desde {
            q = q.filter(glosas::fecha_limite_respuesta.ge(d));
        }
        q.select(columnas_alerta!(
            glosas::fecha_limite_respuesta.nullable(),
            glosas::valor
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

/// Ratified glosas decided on or after `desde`, for the subsanación term (few: recent ones).
pub fn glosas_ratificadas(
    c: &mut AnyConnection,
    prestador_id: &str,
    desde: NaiveDate,
) -> QueryResult<Vec<GlosaAlerta>> {
    glosas::table
        .inner_join(facturas::table)
        .filter(
            glosas::prestador_id
                .eq(prestador_id)
                .and(glosas::estado.eq("ratificada"))
                .and(glosas::fecha_decision.ge(desde)),
        )
        .select(columnas_alerta!(glosas::fecha_decision, glosas::valor_sustentado))
        .order(glosas::fecha_decision.asc())
        .limit(5000)
        .load(c)
}

/// An invoice whose first share (Ley 1122/2007 art. 13 lit. d) is unpaid.
#[derive(Debug, QueryableByName)]
pub struct AnticipoPendiente {
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub id: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub numero: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub pagador_id: String,
    #[diesel(sql_type = diesel::sql_types::Date)]
    pub fecha_radicacion: NaiveDate,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub a_cargo: i64,
    /// Payments applied so far.
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub pagado: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub saldo: i64,
}

/// Invoices radicated on or before `radicadas_hasta`, not under cápita, whose payment term has
/// not ended by `hoy` (after it they are `pagos_vencidos`), in the payer's hands, with a saldo:
/// the caller keeps those paid less than the first share.
pub fn anticipos_pendientes(
    c: &mut AnyConnection,
    prestador_id: &str,
    radicadas_hasta: NaiveDate,
    hoy: NaiveDate,
) -> QueryResult<Vec<AnticipoPendiente>> {
    use super::cartera::{consultar, Param};
    consultar(
        c,
        // The invoices whose payment is not yet due are few (a month's), found first by the
        // payment deadline's index and kept apart (MATERIALIZED): otherwise the planner walks
        // every radicated invoice in radicación order, seconds on a million (BENCHMARKS.md).
        "WITH f AS MATERIALIZED ( \
             SELECT id, numero, pagador_id, prestador_id, fecha_radicacion, valor_total, copagos, \
                    cuotas_moderadoras, saldo, contrato_id \
             FROM facturas \
             WHERE prestador_id = ? AND fecha_limite_pago >= ? AND fecha_radicacion <= ? AND saldo > 0 \
               AND estado NOT IN ('anulada', 'castigada', 'devuelta', 'pagada')) \
         SELECT f.id AS id, f.numero AS numero, f.pagador_id AS pagador_id, f.fecha_radicacion AS fecha_radicacion, \
                f.valor_total - f.copagos - f.cuotas_moderadoras AS a_cargo, \
                COALESCE((SELECT CAST(-SUM(m.valor) AS BIGINT) FROM movimientos m \
                          WHERE m.prestador_id = f.prestador_id AND m.factura_id = f.id \
                            AND m.tipo IN (?, ?)), 0) AS pagado, f.saldo AS saldo \
         FROM f LEFT JOIN contratos k ON k.id = f.contrato_id \
         WHERE COALESCE(k.modalidad, '') <> 'capita' \
         ORDER BY f.fecha_radicacion, f.numero LIMIT 5000",
        &[
            Param::Texto(prestador_id.into()),
            Param::Fecha(hoy),
            Param::Fecha(radicadas_hasta),
            Param::Texto(super::movimientos::PAGO.into()),
            // An advance the payer paid before the invoice (DIAN PrepaidAmount) counts too.
            Param::Texto(super::movimientos::ANTICIPO.into()),
        ],
    )
}

/// Extemporánea glosas still unanswered (to be answered RE9502), oldest first.
pub fn glosas_extemporaneas(c: &mut AnyConnection, prestador_id: &str) -> QueryResult<Vec<GlosaAlerta>> {
    glosas::table
        .inner_join(facturas::table)
        .filter(
            glosas::prestador_id
                .eq(prestador_id)
                .and(glosas::estado.eq("formulada"))
                .and(glosas::extemporanea.eq(true)),
        )
        .select(columnas_alerta!(
            glosas::fecha_limite_respuesta.nullable(),
            glosas::valor
        ))
        .order(glosas::fecha_limite_respuesta.asc())
        .limit(5000)
        .load(c)
}
