//! Cartera reports computed in SQL: balances at a cut-off by age, the period's flows
//! (facturado, radicado, glosado, pagado) per payer, and glosas grouped by cause.
//!
//! Every query is written once with `?` placeholders and the filters of [`Filtro`]; the same
//! text runs on SQLite and (numbered) on PostgreSQL.

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::query_builder::{BoxedSqlQuery, SqlQuery};
use diesel::sql_types::{BigInt, Bool, Date, Integer, Nullable, Text};

use super::AnyConnection;

/// A bound value of a report query.
#[derive(Debug, Clone)]
pub enum Param {
    Texto(String),
    Fecha(NaiveDate),
    Entero(i64),
}

fn ligar<'a, DB>(mut q: BoxedSqlQuery<'a, DB, SqlQuery>, params: &[Param]) -> BoxedSqlQuery<'a, DB, SqlQuery>
where
    DB: diesel::backend::Backend + diesel::sql_types::HasSqlType<Text> + diesel::sql_types::HasSqlType<Date>,
    DB: diesel::sql_types::HasSqlType<BigInt>,
    String: diesel::serialize::ToSql<Text, DB>,
    NaiveDate: diesel::serialize::ToSql<Date, DB>,
    i64: diesel::serialize::ToSql<BigInt, DB>,
{
    for p in params {
        q = match p {
            Param::Texto(s) => q.bind::<Text, _>(s.clone()),
            Param::Fecha(f) => q.bind::<Date, _>(*f),
            Param::Entero(n) => q.bind::<BigInt, _>(*n),
        };
    }
    q
}

/// Runs a report query written with `?` placeholders on either backend.
pub fn consultar<T>(c: &mut AnyConnection, sql: &str, params: &[Param]) -> QueryResult<Vec<T>>
where
    T: QueryableByName<diesel::sqlite::Sqlite> + QueryableByName<diesel::pg::Pg> + 'static,
{
    match c {
        AnyConnection::Sqlite(conn) => ligar(diesel::sql_query(sql).into_boxed(), params).load(conn),
        AnyConnection::Postgresql(conn) => {
            ligar(diesel::sql_query(super::numerar_parametros(sql)).into_boxed(), params).load(conn)
        }
    }
}

/// What a report covers: the tenant always; a payer, a payer type, a contract and a range of
/// dates (of the date the report ages or counts by) when given.
#[derive(Debug, Clone, Default)]
pub struct Filtro {
    pub pagador_id: Option<String>,
    pub tipo: Option<String>,
    pub contrato_id: Option<String>,
}

impl Filtro {
    /// `AND ...` over invoice `f` and payer `p`, with its parameters appended to `params`.
    fn sql(&self, params: &mut Vec<Param>) -> String {
        let mut s = String::new();
        // The payer type through a subquery, so that queries need not join the payers.
        for (cond, v) in [
            ("f.pagador_id = ?", &self.pagador_id),
            ("f.pagador_id IN (SELECT id FROM pagadores WHERE tipo = ?)", &self.tipo),
            ("f.contrato_id = ?", &self.contrato_id),
        ] {
            if let Some(v) = v {
                s.push_str(&format!(" AND {cond}"));
                params.push(Param::Texto(v.clone()));
            }
        }
        s
    }
}

/// The date a balance's age is counted from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Base {
    /// Radicación, or expedición for what was not radicated by the cut-off (DOMAIN.md).
    Radicacion,
    Expedicion,
}

/// One invoice with a balance at the cut-off.
#[derive(Debug, QueryableByName)]
pub struct SaldoFactura {
    #[diesel(sql_type = Text)]
    pub factura_id: String,
    #[diesel(sql_type = Text)]
    pub numero: String,
    #[diesel(sql_type = Text)]
    pub pagador_id: String,
    #[diesel(sql_type = Text)]
    pub pagador: String,
    #[diesel(sql_type = Date)]
    pub fecha_expedicion: NaiveDate,
    #[diesel(sql_type = Nullable<Date>)]
    pub fecha_radicacion: Option<NaiveDate>,
    #[diesel(sql_type = Date)]
    pub fecha_base: NaiveDate,
    #[diesel(sql_type = Nullable<Date>)]
    pub fecha_limite_pago: Option<NaiveDate>,
    #[diesel(sql_type = Text)]
    pub estado: String,
    #[diesel(sql_type = BigInt)]
    pub saldo: i64,
}

/// One cell of the aging report: a payer and an age bucket.
#[derive(Debug, QueryableByName)]
pub struct CeldaEdad {
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
    /// Of it, past the payment term at the cut-off.
    #[diesel(sql_type = BigInt)]
    pub vencido: i64,
    /// Of it, never radicated by the cut-off.
    #[diesel(sql_type = BigInt)]
    pub sin_radicar: i64,
    /// Of it, returned by the payer and awaiting a new radicación: not overdue ([`VENCIDA`]).
    #[diesel(sql_type = BigInt)]
    pub devuelto: i64,
}

/// How silence counts in a report: the switches of `terminos.toml` (Ley 1438/2011 art. 57).
#[derive(Debug, Clone, Copy, Default)]
pub struct Silencio {
    /// A glosa unanswered past its term is accepted.
    pub aceptacion: bool,
    /// ... even an extemporánea one (off by default: it "no procede", RE9502).
    pub aceptacion_extemporanea: bool,
    /// An answer undecided past the payer's term lifts the glosa (off by default).
    pub levantamiento: bool,
}

impl Silencio {
    /// The condition, on glosas aliased `g`, that silence may accept a glosa at all.
    fn aceptable(self, g: &str) -> String {
        if self.aceptacion_extemporanea {
            String::new()
        } else {
            format!(" AND NOT {g}extemporanea")
        }
    }
}

/// The balances at `corte`: the ledger up to that date, less glosas unanswered past their
/// term at that date when silence counts as acceptance (`tacita`). Yields the inner SELECT and
/// its parameters: one row per invoice with a balance.
fn saldos_sql(prestador_id: &str, corte: NaiveDate, base: Base, tacita: Silencio, f: &Filtro) -> (String, Vec<Param>) {
    // Parameters in the order their `?` appear: fecha_radicacion, fecha_base, the ledger, the
    // glosas taken by silence, the tenant and the filters.
    let mut params = vec![Param::Fecha(corte)];
    let fecha_base = match base {
        Base::Radicacion => {
            params.push(Param::Fecha(corte));
            "CASE WHEN f.fecha_radicacion <= ? THEN f.fecha_radicacion ELSE f.fecha_expedicion END"
        }
        Base::Expedicion => "f.fecha_expedicion",
    };
    params.push(Param::Texto(prestador_id.into()));
    params.push(Param::Fecha(corte));
    let (tacito, menos) = if tacita.aceptacion {
        params.extend([
            Param::Texto(prestador_id.into()),
            Param::Fecha(corte),
            Param::Fecha(corte),
        ]);
        (
            format!(
                "LEFT JOIN (SELECT factura_id, CAST(SUM(valor) AS BIGINT) AS valor FROM glosas \
                   WHERE prestador_id = ? AND fecha_limite_respuesta < ? \
                     AND (fecha_respuesta IS NULL OR fecha_respuesta > ?){} GROUP BY factura_id) t ON t.factura_id = f.id",
                tacita.aceptable("")
            ),
            " - COALESCE(t.valor, 0)",
        )
    } else {
        (String::new(), "")
    };
    params.push(Param::Texto(prestador_id.into()));
    let filtro = f.sql(&mut params);
    let sql = format!(
        "SELECT f.id AS factura_id, f.numero AS numero, f.pagador_id AS pagador_id, \
                f.fecha_expedicion AS fecha_expedicion, \
                CASE WHEN f.fecha_radicacion <= ? THEN f.fecha_radicacion ELSE NULL END AS fecha_radicacion, \
                {fecha_base} AS fecha_base, f.fecha_limite_pago AS fecha_limite_pago, f.estado AS estado, \
                m.valor{menos} AS saldo \
         FROM (SELECT factura_id, CAST(SUM(valor) AS BIGINT) AS valor FROM movimientos \
               WHERE prestador_id = ? AND fecha <= ? GROUP BY factura_id) m \
         JOIN facturas f ON f.id = m.factura_id \
         {tacito} \
         WHERE f.prestador_id = ?{filtro}"
    );
    (sql, params)
}

/// The one definition of what is overdue at a cut-off, on a row of [`saldos_sql`] (`x`) and the
/// cut-off bound once: past its payment term and in the payer's hands — a returned invoice is
/// not owed until it is radicated again (Res. 2284/2023 art. 6).
const VENCIDA: &str = "x.fecha_limite_pago < ? AND x.estado <> 'devuelta'";

/// What each payer owes at `corte`, by the same definition as the aging: the balance (ledger up
/// to the cut-off, less glosas accepted by silence by then), what of it is overdue, and since
/// when (the oldest overdue invoice's payment term). Payers that owe nothing are absent.
#[derive(Debug, QueryableByName)]
pub struct DeudaPagador {
    #[diesel(sql_type = Text)]
    pub pagador_id: String,
    #[diesel(sql_type = BigInt)]
    pub saldo: i64,
    #[diesel(sql_type = BigInt)]
    pub vencido: i64,
    #[diesel(sql_type = Nullable<Date>)]
    pub primer_vencimiento: Option<NaiveDate>,
}

pub fn deuda_por_pagador(
    c: &mut AnyConnection,
    prestador_id: &str,
    corte: NaiveDate,
    silencio: Silencio,
) -> QueryResult<Vec<DeudaPagador>> {
    let (inner, inner_params) = saldos_sql(prestador_id, corte, Base::Radicacion, silencio, &Filtro::default());
    let mut params = vec![Param::Fecha(corte), Param::Fecha(corte)];
    params.extend(inner_params);
    let sql = format!(
        "SELECT x.pagador_id AS pagador_id, CAST(SUM(x.saldo) AS BIGINT) AS saldo, \
                CAST(SUM(CASE WHEN {VENCIDA} THEN x.saldo ELSE 0 END) AS BIGINT) AS vencido, \
                MIN(CASE WHEN {VENCIDA} THEN x.fecha_limite_pago END) AS primer_vencimiento \
         FROM ({inner}) x WHERE x.saldo > 0 GROUP BY x.pagador_id"
    );
    consultar(c, &sql, &params)
}

/// Balances at `corte` by payer and age bucket. `limites` are the dates that open buckets
/// 0..5 (a base date on or after limites[0] → bucket 0, ...; older → 5).
pub fn edades(
    c: &mut AnyConnection,
    prestador_id: &str,
    corte: NaiveDate,
    limites: [NaiveDate; 5],
    base: Base,
    tacita: Silencio,
    f: &Filtro,
) -> QueryResult<Vec<CeldaEdad>> {
    let (inner, inner_params) = saldos_sql(prestador_id, corte, base, tacita, f);
    let mut params: Vec<Param> = limites.iter().map(|l| Param::Fecha(*l)).collect();
    params.push(Param::Fecha(corte));
    params.extend(inner_params);
    // Grouped by payer id first and named after: the payers are joined to 120 rows, not to
    // every invoice (a quarter of the time over a million invoices on SQLite).
    let sql = format!(
        "SELECT y.pagador_id AS pagador_id, p.nombre AS pagador, p.tipo AS tipo, y.edad AS edad, \
                y.facturas AS facturas, y.saldo AS saldo, y.vencido AS vencido, y.sin_radicar AS sin_radicar, \
                y.devuelto AS devuelto \
         FROM (SELECT x.pagador_id AS pagador_id, \
                CASE WHEN x.fecha_base >= ? THEN 0 WHEN x.fecha_base >= ? THEN 1 WHEN x.fecha_base >= ? THEN 2 \
                     WHEN x.fecha_base >= ? THEN 3 WHEN x.fecha_base >= ? THEN 4 ELSE 5 END AS edad, \
                COUNT(*) AS facturas, CAST(SUM(x.saldo) AS BIGINT) AS saldo, \
                CAST(SUM(CASE WHEN {VENCIDA} THEN x.saldo ELSE 0 END) AS BIGINT) AS vencido, \
                CAST(SUM(CASE WHEN x.fecha_radicacion IS NULL THEN x.saldo ELSE 0 END) AS BIGINT) AS sin_radicar, \
                CAST(SUM(CASE WHEN x.estado = 'devuelta' THEN x.saldo ELSE 0 END) AS BIGINT) AS devuelto \
               FROM ({inner}) x \
               WHERE x.saldo > 0 \
               GROUP BY x.pagador_id, edad) y \
         JOIN pagadores p ON p.id = y.pagador_id \
         ORDER BY p.nombre, y.pagador_id, y.edad"
    );
    consultar(c, &sql, &params)
}

#[derive(Debug, QueryableByName)]
struct Conteo {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// The invoices with a balance at `corte`, oldest first, a page of them, and how many there are.
#[allow(clippy::too_many_arguments)]
pub fn saldos_por_factura(
    c: &mut AnyConnection,
    prestador_id: &str,
    corte: NaiveDate,
    base: Base,
    tacita: Silencio,
    f: &Filtro,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<SaldoFactura>, i64)> {
    let (inner, params) = saldos_sql(prestador_id, corte, base, tacita, f);
    let total = consultar::<Conteo>(
        c,
        &format!("SELECT COUNT(*) AS n FROM ({inner}) x WHERE x.saldo > 0"),
        &params,
    )?
    .first()
    .map_or(0, |n| n.n);
    let mut p = params;
    p.extend([Param::Entero(limit), Param::Entero(offset)]);
    let filas = consultar(
        c,
        &format!(
            "SELECT x.*, p.nombre AS pagador FROM ({inner}) x JOIN pagadores p ON p.id = x.pagador_id \
             WHERE x.saldo > 0 ORDER BY x.fecha_base, x.numero LIMIT ? OFFSET ?"
        ),
        &p,
    )?;
    Ok((filas, total))
}

/// A sum per payer.
#[derive(Debug, QueryableByName)]
pub struct SumaPagador {
    #[diesel(sql_type = Text)]
    pub pagador_id: String,
    #[diesel(sql_type = BigInt)]
    pub valor: i64,
}

/// What the period added per payer: `que` is `facturado` (value charged to the payer of the
/// invoices issued, not annulled), `radicado` (of the invoices radicated) or `pagado`
/// (payments applied).
pub fn flujo(
    c: &mut AnyConnection,
    prestador_id: &str,
    que: Flujo,
    desde: NaiveDate,
    hasta: NaiveDate,
    f: &Filtro,
) -> QueryResult<Vec<SumaPagador>> {
    let mut params = vec![
        Param::Texto(prestador_id.into()),
        Param::Fecha(desde),
        Param::Fecha(hasta),
    ];
    let filtro = f.sql(&mut params);
    let neto = "f.valor_total - f.copagos - f.cuotas_moderadoras";
    let sql = match que {
        Flujo::Facturado => format!(
            "SELECT f.pagador_id AS pagador_id, CAST(SUM({neto}) AS BIGINT) AS valor \
             FROM facturas f JOIN pagadores p ON p.id = f.pagador_id \
             WHERE f.prestador_id = ? AND f.fecha_expedicion >= ? AND f.fecha_expedicion <= ? \
               AND f.estado <> 'anulada'{filtro} GROUP BY f.pagador_id"
        ),
        Flujo::Radicado => format!(
            "SELECT f.pagador_id AS pagador_id, CAST(SUM({neto}) AS BIGINT) AS valor \
             FROM facturas f JOIN pagadores p ON p.id = f.pagador_id \
             WHERE f.prestador_id = ? AND f.fecha_radicacion >= ? AND f.fecha_radicacion <= ?{filtro} \
             GROUP BY f.pagador_id"
        ),
        Flujo::Pagado => format!(
            "SELECT f.pagador_id AS pagador_id, CAST(SUM(a.valor) AS BIGINT) AS valor \
             FROM aplicaciones a JOIN facturas f ON f.id = a.factura_id JOIN pagadores p ON p.id = f.pagador_id \
             WHERE a.prestador_id = ? AND a.fecha >= ? AND a.fecha <= ?{filtro} GROUP BY f.pagador_id"
        ),
        // A recovery undoes part of a write-off: the castigo movements that add to the balance.
        Flujo::Recuperado => format!(
            "SELECT f.pagador_id AS pagador_id, CAST(SUM(m.valor) AS BIGINT) AS valor \
             FROM movimientos m JOIN facturas f ON f.id = m.factura_id JOIN pagadores p ON p.id = f.pagador_id \
             WHERE m.prestador_id = ? AND m.fecha >= ? AND m.fecha <= ? AND m.tipo = 'castigo' AND m.valor > 0{filtro} \
             GROUP BY f.pagador_id"
        ),
    };
    consultar(c, &sql, &params)
}

#[derive(Debug, Clone, Copy)]
pub enum Flujo {
    Facturado,
    Radicado,
    Pagado,
    /// Payments on written-off invoices.
    Recuperado,
}

/// Glosas received in a period, grouped.
#[derive(Debug, QueryableByName)]
pub struct GrupoGlosas {
    #[diesel(sql_type = Text)]
    pub clave: String,
    #[diesel(sql_type = Text)]
    pub descripcion: String,
    #[diesel(sql_type = BigInt)]
    pub glosas: i64,
    #[diesel(sql_type = BigInt)]
    pub glosado: i64,
    #[diesel(sql_type = BigInt)]
    pub aceptado: i64,
    #[diesel(sql_type = BigInt)]
    pub levantado: i64,
    #[diesel(sql_type = BigInt)]
    pub conciliado_pagador: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Agrupar {
    Codigo,
    Servicio,
    Pagador,
}

/// Glosas received from `desde` to `hasta`, grouped by code, service (the glosed line's code;
/// whole-invoice glosas apart) or payer, with what the prestador accepted and what the payer
/// lifted, silence counted as of `hoy` by the rules in force (Ley 1438/2011 art. 57).
#[allow(clippy::too_many_arguments)]
pub fn glosas(
    c: &mut AnyConnection,
    prestador_id: &str,
    por: Agrupar,
    desde: NaiveDate,
    hasta: NaiveDate,
    hoy: NaiveDate,
    silencio: Silencio,
    f: &Filtro,
) -> QueryResult<Vec<GrupoGlosas>> {
    let mut params = vec![];
    let aceptado = if silencio.aceptacion {
        params.push(Param::Fecha(hoy));
        format!(
            "CASE WHEN g.estado = 'formulada' AND g.fecha_limite_respuesta < ?{} THEN g.valor ELSE g.valor_aceptado END",
            silencio.aceptable("g.")
        )
    } else {
        "g.valor_aceptado".to_string()
    };
    let levantado = if silencio.levantamiento {
        params.push(Param::Fecha(hoy));
        "g.valor_levantado + g.valor_conciliado_prestador + \
         CASE WHEN g.estado = 'respondida' AND g.fecha_limite_decision < ? THEN g.valor_sustentado ELSE 0 END"
    } else {
        "g.valor_levantado + g.valor_conciliado_prestador"
    };
    let (clave, descripcion) = match por {
        Agrupar::Codigo => ("g.codigo", "''"),
        Agrupar::Servicio => ("COALESCE(i.codigo, '')", "COALESCE(MAX(i.descripcion), '')"),
        Agrupar::Pagador => ("f.pagador_id", "MAX(p.nombre)"),
    };
    params.extend([
        Param::Texto(prestador_id.into()),
        Param::Fecha(desde),
        Param::Fecha(hasta),
    ]);
    let filtro = f.sql(&mut params);
    let sql = format!(
        "SELECT {clave} AS clave, {descripcion} AS descripcion, COUNT(*) AS glosas, \
                CAST(SUM(g.valor) AS BIGINT) AS glosado, CAST(SUM({aceptado}) AS BIGINT) AS aceptado, \
                CAST(SUM({levantado}) AS BIGINT) AS levantado, \
                CAST(SUM(g.valor_conciliado_pagador) AS BIGINT) AS conciliado_pagador \
         FROM glosas g JOIN facturas f ON f.id = g.factura_id JOIN pagadores p ON p.id = f.pagador_id \
         LEFT JOIN factura_items i ON i.factura_id = g.factura_id AND i.linea = g.item_linea \
         WHERE g.prestador_id = ? AND g.fecha_recepcion >= ? AND g.fecha_recepcion <= ?{filtro} \
         GROUP BY {clave} \
         ORDER BY glosado DESC, clave"
    );
    consultar(c, &sql, &params)
}

/// A dated change of the balance of an overdue invoice, for mora interest.
#[derive(Debug, QueryableByName)]
pub struct MovimientoVencido {
    #[diesel(sql_type = Text)]
    pub factura_id: String,
    #[diesel(sql_type = Text)]
    pub pagador_id: String,
    #[diesel(sql_type = Date)]
    pub vence: NaiveDate,
    #[diesel(sql_type = Nullable<Date>)]
    pub fecha_radicacion: Option<NaiveDate>,
    /// What the payer was billed (value less copagos and cuotas).
    #[diesel(sql_type = BigInt)]
    pub a_cargo: i64,
    /// Under a cápita contract (no 50% rule: paid in advance).
    #[diesel(sql_type = Bool)]
    pub capita: bool,
    #[diesel(sql_type = BigInt)]
    pub en_discusion: i64,
    #[diesel(sql_type = Date)]
    pub fecha: NaiveDate,
    #[diesel(sql_type = BigInt)]
    pub valor: i64,
}

/// The ledger up to `hasta` of the invoices whose payment term ended before it, or whose
/// first share (Ley 1122/2007 art. 13 lit. d, not for cápita) did: those radicated on or before
/// `radicadas_hasta`. In order.
pub fn movimientos_vencidos(
    c: &mut AnyConnection,
    prestador_id: &str,
    hasta: NaiveDate,
    radicadas_hasta: NaiveDate,
    f: &Filtro,
) -> QueryResult<Vec<MovimientoVencido>> {
    let mut params = vec![
        Param::Texto(prestador_id.into()),
        Param::Fecha(hasta),
        Param::Fecha(radicadas_hasta),
        Param::Fecha(hasta),
    ];
    let filtro = f.sql(&mut params);
    let sql = format!(
        "SELECT f.id AS factura_id, f.pagador_id AS pagador_id, f.fecha_limite_pago AS vence, \
                f.fecha_radicacion AS fecha_radicacion, \
                f.valor_total - f.copagos - f.cuotas_moderadoras AS a_cargo, \
                CASE WHEN k.modalidad = 'capita' THEN TRUE ELSE FALSE END AS capita, \
                f.en_discusion AS en_discusion, m.fecha AS fecha, m.valor AS valor \
         FROM movimientos m JOIN facturas f ON f.id = m.factura_id JOIN pagadores p ON p.id = f.pagador_id \
         LEFT JOIN contratos k ON k.id = f.contrato_id \
         WHERE m.prestador_id = ? AND f.fecha_limite_pago IS NOT NULL \
           AND (f.fecha_limite_pago < ? OR (f.fecha_radicacion <= ? AND COALESCE(k.modalidad, '') <> 'capita')) \
           AND m.fecha <= ? AND f.estado NOT IN ('anulada', 'castigada'){filtro} \
         ORDER BY f.id, m.fecha"
    );
    consultar(c, &sql, &params)
}

/// One invoice of a payer at a cut-off, for the reconciliation with the payer's statement.
#[derive(Debug, QueryableByName)]
pub struct FacturaAlCorte {
    #[diesel(sql_type = Text)]
    pub factura_id: String,
    #[diesel(sql_type = Text)]
    pub numero: String,
    #[diesel(sql_type = Date)]
    pub fecha_expedicion: NaiveDate,
    #[diesel(sql_type = Nullable<Date>)]
    pub fecha_radicacion: Option<NaiveDate>,
    #[diesel(sql_type = Text)]
    pub estado: String,
    #[diesel(sql_type = BigInt)]
    pub valor: i64,
    #[diesel(sql_type = BigInt)]
    pub en_discusion: i64,
    /// The ledger up to the cut-off.
    #[diesel(sql_type = BigInt)]
    pub saldo: i64,
    /// Payments applied up to the cut-off.
    #[diesel(sql_type = BigInt)]
    pub pagado: i64,
}

/// Every invoice of the payer issued by `corte`, with its balance (the one definition of
/// [`saldos_sql`]: the ledger and silence at the cut-off) and payments at that date.
pub fn facturas_al_corte(
    c: &mut AnyConnection,
    prestador_id: &str,
    pagador_id: &str,
    corte: NaiveDate,
    silencio: Silencio,
) -> QueryResult<Vec<FacturaAlCorte>> {
    let filtro = Filtro {
        pagador_id: Some(pagador_id.to_string()),
        ..Default::default()
    };
    let (saldos, saldos_params) = saldos_sql(prestador_id, corte, Base::Radicacion, silencio, &filtro);
    let sql = format!(
        "SELECT f.id AS factura_id, f.numero AS numero, f.fecha_expedicion AS fecha_expedicion, \
                CASE WHEN f.fecha_radicacion <= ? THEN f.fecha_radicacion ELSE NULL END AS fecha_radicacion, \
                f.estado AS estado, f.valor_total - f.copagos - f.cuotas_moderadoras AS valor, \
                f.en_discusion AS en_discusion, COALESCE(x.saldo, 0) AS saldo, \
                COALESCE((SELECT CAST(SUM(a.valor) AS BIGINT) FROM aplicaciones a \
                          WHERE a.factura_id = f.id AND a.fecha <= ?), 0) AS pagado \
         FROM facturas f LEFT JOIN ({saldos}) x ON x.factura_id = f.id \
         WHERE f.prestador_id = ? AND f.pagador_id = ? AND f.fecha_expedicion <= ? \
         ORDER BY f.fecha_expedicion, f.numero"
    );
    let mut params = vec![Param::Fecha(corte), Param::Fecha(corte)];
    params.extend(saldos_params);
    params.extend([
        Param::Texto(prestador_id.into()),
        Param::Texto(pagador_id.into()),
        Param::Fecha(corte),
    ]);
    consultar(c, &sql, &params)
}
