//! What the entries for the books read: the ledger's movements of a period with their
//! invoice, payer and payment, the glosas silence accepted, and the ledger's net at a cut-off.

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Nullable, Text};

use super::cartera::{consultar, Param, Silencio};
use super::AnyConnection;

/// One movement of the ledger with what an entry shows of it.
#[derive(Debug, QueryableByName)]
pub struct MovimientoContable {
    #[diesel(sql_type = Text)]
    pub id: String,
    #[diesel(sql_type = Text)]
    pub tipo: String,
    #[diesel(sql_type = BigInt)]
    pub valor: i64,
    #[diesel(sql_type = Date)]
    pub fecha: NaiveDate,
    #[diesel(sql_type = Text)]
    pub origen: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub origen_id: Option<String>,
    #[diesel(sql_type = Text)]
    pub documento: String,
    #[diesel(sql_type = Text)]
    pub factura_id: String,
    #[diesel(sql_type = Text)]
    pub factura: String,
    #[diesel(sql_type = Text)]
    pub nit: String,
    #[diesel(sql_type = Text)]
    pub pagador: String,
    /// Who paid on the payer's behalf (ADRES giro directo), for payments.
    #[diesel(sql_type = Nullable<Text>)]
    pub pagado_por: Option<String>,
}

/// The movements of the tenant dated `desde..=hasta`, in date order, then as recorded.
pub fn movimientos(
    c: &mut AnyConnection,
    prestador_id: &str,
    desde: NaiveDate,
    hasta: NaiveDate,
) -> QueryResult<Vec<MovimientoContable>> {
    consultar(
        c,
        "SELECT m.id AS id, m.tipo AS tipo, m.valor AS valor, m.fecha AS fecha, m.origen AS origen, \
                m.origen_id AS origen_id, m.documento AS documento, f.id AS factura_id, f.numero AS factura, \
                p.nit AS nit, p.nombre AS pagador, t.nombre AS pagado_por \
         FROM movimientos m \
         JOIN facturas f ON f.id = m.factura_id \
         JOIN pagadores p ON p.id = f.pagador_id \
         LEFT JOIN pagos g ON g.id = m.origen_id AND g.prestador_id = m.prestador_id \
                          AND m.origen IN ('aplicacion', 'aplicacion_anulada') \
         LEFT JOIN pagadores t ON t.id = g.pagado_por_id \
         WHERE m.prestador_id = ? AND m.fecha >= ? AND m.fecha <= ? AND f.prestador_id = ? \
         ORDER BY m.fecha, m.creado_en, m.id",
        &[
            Param::Texto(prestador_id.into()),
            Param::Fecha(desde),
            Param::Fecha(hasta),
            Param::Texto(prestador_id.into()),
        ],
    )
}

/// A glosa silence may have accepted, with its invoice and payer.
#[derive(Debug, QueryableByName)]
pub struct GlosaTacita {
    #[diesel(sql_type = Text)]
    pub id: String,
    #[diesel(sql_type = Text)]
    pub codigo: String,
    #[diesel(sql_type = BigInt)]
    pub valor: i64,
    #[diesel(sql_type = Date)]
    pub limite: NaiveDate,
    #[diesel(sql_type = Nullable<Date>)]
    pub respuesta: Option<NaiveDate>,
    #[diesel(sql_type = Text)]
    pub factura_id: String,
    #[diesel(sql_type = Text)]
    pub factura: String,
    #[diesel(sql_type = Text)]
    pub nit: String,
    #[diesel(sql_type = Text)]
    pub pagador: String,
}

/// The glosas whose tacit acceptance (its first day, the day after the term) or its reversal
/// (the day of a late answer) may fall in `desde..=hasta`, under the rules of `silencio`
/// (the same the cartera report applies): none when silence accepts nothing.
pub fn glosas_tacitas(
    c: &mut AnyConnection,
    prestador_id: &str,
    desde: NaiveDate,
    hasta: NaiveDate,
    silencio: Silencio,
) -> QueryResult<Vec<GlosaTacita>> {
    if !silencio.aceptacion {
        return Ok(Vec::new());
    }
    let extemporaneas = if silencio.aceptacion_extemporanea {
        ""
    } else {
        " AND NOT g.extemporanea"
    };
    consultar(
        c,
        &format!(
            "SELECT g.id AS id, g.codigo AS codigo, g.valor AS valor, g.fecha_limite_respuesta AS limite, \
                    g.fecha_respuesta AS respuesta, f.id AS factura_id, f.numero AS factura, p.nit AS nit, \
                    p.nombre AS pagador \
             FROM glosas g \
             JOIN facturas f ON f.id = g.factura_id \
             JOIN pagadores p ON p.id = f.pagador_id \
             WHERE g.prestador_id = ? AND g.fecha_limite_respuesta < ? \
               AND (g.fecha_respuesta IS NULL OR g.fecha_respuesta >= ?){extemporaneas} AND f.prestador_id = ? \
             ORDER BY g.fecha_limite_respuesta, g.id"
        ),
        &[
            Param::Texto(prestador_id.into()),
            Param::Fecha(hasta),
            Param::Fecha(desde),
            Param::Texto(prestador_id.into()),
        ],
    )
}

#[derive(Debug, QueryableByName)]
struct Suma {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// What the payers owed at the end of `corte` by the ledger: every movement up to it, less the
/// glosas silence had accepted by then (which the ledger does not hold), all invoices summed.
pub fn neto_al_corte(
    c: &mut AnyConnection,
    prestador_id: &str,
    corte: NaiveDate,
    silencio: Silencio,
) -> QueryResult<i64> {
    let libro: Vec<Suma> = consultar(
        c,
        "SELECT CAST(COALESCE(SUM(valor), 0) AS BIGINT) AS n FROM movimientos WHERE prestador_id = ? AND fecha <= ?",
        &[Param::Texto(prestador_id.into()), Param::Fecha(corte)],
    )?;
    let tacitas: Vec<Suma> = match super::cartera::tacitas_sql(prestador_id, corte, silencio) {
        Some((sql, params)) => consultar(
            c,
            &format!("SELECT CAST(COALESCE(SUM(t.valor), 0) AS BIGINT) AS n FROM ({sql}) t"),
            &params,
        )?,
        None => Vec::new(),
    };
    let n = |v: &[Suma]| v.first().map_or(0, |s| s.n);
    Ok(n(&libro) - n(&tacitas))
}
