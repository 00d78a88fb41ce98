//! Cartera reports computed in SQL: balances at a cut-off by age, the period's flows
//! (facturado, radicado, glosado, pagado) per payer, and glosas grouped by cause.
//!
//! Every query is written once with `?` placeholders and the filters of [`Filtro`]; the same
//! text runs on SQLite and (numbered) on PostgreSQL.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::query_builder::{BoxedSqlQuery, SqlQuery};
use diesel::sql_types::{BigInt, Bool, Date, Nullable, Text};

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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CeldaEdad {
    pub pagador_id: String,
    pub pagador: String,
    pub tipo: String,
    pub edad: i32,
    pub facturas: i64,
    pub saldo: i64,
    /// Of it, past the payment term at the cut-off.
    pub vencido: i64,
    /// Of it, never radicated by the cut-off.
    pub sin_radicar: i64,
    /// Of it, returned by the payer and awaiting a new radicación: not overdue ([`Grupo::vencido`]).
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

/// The glosas silence has accepted by `corte` (Ley 1438/2011 art. 57): `factura_id, valor` of
/// each, when silence counts as acceptance at all.
pub(crate) fn tacitas_sql(prestador_id: &str, corte: NaiveDate, tacita: Silencio) -> Option<(String, Vec<Param>)> {
    tacita.aceptacion.then(|| {
        (
            format!(
                "SELECT factura_id, valor FROM glosas \
                 WHERE prestador_id = ? AND fecha_limite_respuesta < ? \
                   AND (fecha_respuesta IS NULL OR fecha_respuesta > ?){}",
                tacita.aceptable("")
            ),
            vec![
                Param::Texto(prestador_id.into()),
                Param::Fecha(corte),
                Param::Fecha(corte),
            ],
        )
    })
}

/// The invoices' balances at `corte` as a FROM clause over invoices `f`: the ledger up to that
/// date, less glosas unanswered past their term at that date when silence counts as acceptance
/// (`tacita`). Yields the clause, the balance's expression and the clause's parameters.
fn libro_al_corte(
    prestador_id: &str,
    corte: NaiveDate,
    tacita: Silencio,
    f: &Filtro,
) -> (String, &'static str, Vec<Param>) {
    // Parameters in the order their `?` appear: the ledger, the glosas taken by silence, the
    // tenant and the filters.
    let mut params = vec![Param::Texto(prestador_id.into()), Param::Fecha(corte)];
    let (tacito, saldo) = match tacitas_sql(prestador_id, corte, tacita) {
        Some((sql, p)) => {
            params.extend(p);
            (
                format!(
                    "LEFT JOIN (SELECT factura_id, CAST(SUM(valor) AS BIGINT) AS valor FROM ({sql}) g \
                     GROUP BY factura_id) t ON t.factura_id = f.id"
                ),
                "m.valor - COALESCE(t.valor, 0)",
            )
        }
        None => (String::new(), "m.valor"),
    };
    params.push(Param::Texto(prestador_id.into()));
    let filtro = f.sql(&mut params);
    let sql = format!(
        "FROM (SELECT factura_id, CAST(SUM(valor) AS BIGINT) AS valor FROM movimientos \
               WHERE prestador_id = ? AND fecha <= ? GROUP BY factura_id) m \
         JOIN facturas f ON f.id = m.factura_id \
         {tacito} \
         WHERE f.prestador_id = ?{filtro}"
    );
    (sql, saldo, params)
}

/// The balances at `corte` ([`libro_al_corte`]) with what the per-invoice reports show of each
/// invoice: the inner SELECT and its parameters, one row per invoice with a ledger.
fn saldos_sql(prestador_id: &str, corte: NaiveDate, base: Base, tacita: Silencio, f: &Filtro) -> (String, Vec<Param>) {
    // The columns' parameters come first: fecha_radicacion, then fecha_base.
    let mut params = vec![Param::Fecha(corte)];
    let fecha_base = match base {
        Base::Radicacion => {
            params.push(Param::Fecha(corte));
            "CASE WHEN f.fecha_radicacion <= ? THEN f.fecha_radicacion ELSE f.fecha_expedicion END"
        }
        Base::Expedicion => "f.fecha_expedicion",
    };
    let (desde, saldo, p) = libro_al_corte(prestador_id, corte, tacita, f);
    params.extend(p);
    let sql = format!(
        "SELECT f.id AS factura_id, f.numero AS numero, f.pagador_id AS pagador_id, \
                f.fecha_expedicion AS fecha_expedicion, \
                CASE WHEN f.fecha_radicacion <= ? THEN f.fecha_radicacion ELSE NULL END AS fecha_radicacion, \
                {fecha_base} AS fecha_base, f.fecha_limite_pago AS fecha_limite_pago, f.estado AS estado, \
                {saldo} AS saldo {desde}"
    );
    (sql, params)
}

/// Where an absent date is kept in `cartera_grupos` (migration 000015): after every cut-off.
pub const SIN_FECHA: &str = "9999-12-31";

/// Invoices with a positive balance at a cut-off, counted and summed by everything the aging
/// buckets on. Dates that are absent (not radicated, no payment term) are [`SIN_FECHA`].
#[derive(Debug, Clone, QueryableByName)]
pub struct Grupo {
    #[diesel(sql_type = Text)]
    pub pagador_id: String,
    #[diesel(sql_type = Date)]
    pub fecha_expedicion: NaiveDate,
    #[diesel(sql_type = Date)]
    pub fecha_radicacion: NaiveDate,
    #[diesel(sql_type = Date)]
    pub fecha_limite_pago: NaiveDate,
    #[diesel(sql_type = Bool)]
    pub devuelta: bool,
    #[diesel(sql_type = BigInt)]
    pub facturas: i64,
    #[diesel(sql_type = BigInt)]
    pub saldo: i64,
}

type Clave = (String, NaiveDate, NaiveDate, NaiveDate, bool);

impl Grupo {
    fn clave(&self) -> Clave {
        (
            self.pagador_id.clone(),
            self.fecha_expedicion,
            self.fecha_radicacion,
            self.fecha_limite_pago,
            self.devuelta,
        )
    }

    /// The one definition of what is overdue at a cut-off: past its payment term and in the
    /// payer's hands — a returned invoice is not owed until it is radicated again (Res.
    /// 2284/2023 art. 6).
    pub fn vencido(&self, corte: NaiveDate) -> bool {
        self.fecha_limite_pago < corte && !self.devuelta
    }

    /// Not radicated by the cut-off.
    pub fn sin_radicar(&self, corte: NaiveDate) -> bool {
        self.fecha_radicacion > corte
    }

    /// The date the balance's age is counted from at the cut-off.
    pub fn fecha_base(&self, corte: NaiveDate, base: Base) -> NaiveDate {
        match base {
            Base::Radicacion if !self.sin_radicar(corte) => self.fecha_radicacion,
            _ => self.fecha_expedicion,
        }
    }
}

/// The key columns of [`Grupo`] over invoices aliased `f`, absent dates as [`SIN_FECHA`].
const CLAVE_F: &str = "f.pagador_id AS pagador_id, f.fecha_expedicion AS fecha_expedicion, \
     COALESCE(f.fecha_radicacion, '9999-12-31') AS fecha_radicacion, \
     COALESCE(f.fecha_limite_pago, '9999-12-31') AS fecha_limite_pago, f.estado = 'devuelta' AS devuelta";
const GRUPO_F: &str = "f.pagador_id, f.fecha_expedicion, COALESCE(f.fecha_radicacion, '9999-12-31'), \
     COALESCE(f.fecha_limite_pago, '9999-12-31'), f.estado = 'devuelta'";

/// How [`grupos_al_corte`] reaches the balances at a cut-off; both give the same figures
/// (proved by the property test in `tests/tests/e2e/cartera_rapida.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Camino {
    /// The ledger summed up to the cut-off, invoice by invoice: reads every movement before it.
    Directo,
    /// Today's groups (`cartera_grupos`) less what happened after the cut-off: reads the
    /// movements after it and the glosas taken by silence.
    Reciente,
    /// Whichever reads fewer movements.
    Elegir,
}

/// Movements of the tenant on one side of the cut-off, counted up to `tope`.
fn contar_movimientos(
    c: &mut AnyConnection,
    prestador_id: &str,
    corte: NaiveDate,
    despues: bool,
    tope: i64,
) -> QueryResult<i64> {
    let op = if despues { ">" } else { "<=" };
    let sql = format!(
        "SELECT COUNT(*) AS n FROM (SELECT 1 AS x FROM movimientos WHERE prestador_id = ? AND fecha {op} ? LIMIT ?) m"
    );
    let n = consultar::<Conteo>(
        c,
        &sql,
        &[
            Param::Texto(prestador_id.into()),
            Param::Fecha(corte),
            Param::Entero(tope),
        ],
    )?;
    Ok(n.first().map_or(0, |n| n.n))
}

/// The invoices with a positive balance at `corte` (the ledger up to it, less glosas taken by
/// silence by then), in groups.
pub fn grupos_al_corte(
    c: &mut AnyConnection,
    prestador_id: &str,
    corte: NaiveDate,
    tacita: Silencio,
    f: &Filtro,
    camino: Camino,
) -> QueryResult<Vec<Grupo>> {
    let camino = match camino {
        Camino::Elegir => {
            // Both sides are counted up to a limit that grows until one side falls short of
            // it: deciding costs in proportion to the smaller side, not to the whole ledger.
            let mut tope = 10_000;
            loop {
                let despues = contar_movimientos(c, prestador_id, corte, true, tope)?;
                let antes = contar_movimientos(c, prestador_id, corte, false, tope)?;
                if despues < tope || antes < tope {
                    break if antes < despues {
                        Camino::Directo
                    } else {
                        Camino::Reciente
                    };
                }
                tope *= 4;
            }
        }
        otro => otro,
    };
    match camino {
        Camino::Directo => grupos_directo(c, prestador_id, corte, tacita, f),
        _ => grupos_recientes(c, prestador_id, corte, tacita, f),
    }
}

fn grupos_directo(
    c: &mut AnyConnection,
    prestador_id: &str,
    corte: NaiveDate,
    tacita: Silencio,
    f: &Filtro,
) -> QueryResult<Vec<Grupo>> {
    let (desde, saldo, params) = libro_al_corte(prestador_id, corte, tacita, f);
    // The invoice's own dates, not those seen at the cut-off: the buckets are decided in Rust.
    let sql = format!(
        "SELECT {CLAVE_F}, COUNT(*) AS facturas, CAST(SUM({saldo}) AS BIGINT) AS saldo \
         {desde} AND {saldo} > 0 GROUP BY {GRUPO_F}"
    );
    consultar(c, &sql, &params)
}

/// One group's correction: the invoices touched after the cut-off as today's groups count
/// them (`libro`) and as they stood at the cut-off.
#[derive(Debug, QueryableByName)]
struct Correccion {
    #[diesel(embed)]
    grupo: Grupo,
    #[diesel(sql_type = BigInt)]
    facturas_hoy: i64,
    #[diesel(sql_type = BigInt)]
    saldo_hoy: i64,
}

fn grupos_recientes(
    c: &mut AnyConnection,
    prestador_id: &str,
    corte: NaiveDate,
    tacita: Silencio,
    f: &Filtro,
) -> QueryResult<Vec<Grupo>> {
    let mut params = vec![Param::Texto(prestador_id.into())];
    let filtro = f.sql(&mut params);
    let hoy: Vec<Grupo> = consultar(
        c,
        &format!(
            "SELECT {CLAVE}, CAST(SUM(f.facturas) AS BIGINT) AS facturas, CAST(SUM(f.saldo) AS BIGINT) AS saldo \
             FROM cartera_grupos f WHERE f.prestador_id = ? AND f.facturas > 0{filtro} \
             GROUP BY f.pagador_id, f.fecha_expedicion, f.fecha_radicacion, f.fecha_limite_pago, f.devuelta",
            CLAVE = "f.pagador_id AS pagador_id, f.fecha_expedicion AS fecha_expedicion, \
                     f.fecha_radicacion AS fecha_radicacion, f.fecha_limite_pago AS fecha_limite_pago, f.devuelta AS devuelta"
        ),
        &params,
    )?;
    // What changed each touched invoice's balance after the cut-off: its movements dated after
    // it, and glosas silence had accepted by then (which the ledger does not hold).
    let mut params = vec![Param::Texto(prestador_id.into()), Param::Fecha(corte)];
    let tacitas = match tacitas_sql(prestador_id, corte, tacita) {
        Some((sql, p)) => {
            params.extend(p);
            format!(" UNION ALL SELECT factura_id, valor FROM ({sql}) g")
        }
        None => String::new(),
    };
    params.push(Param::Texto(prestador_id.into()));
    let filtro = f.sql(&mut params);
    let correcciones: Vec<Correccion> = consultar(
        c,
        &format!(
            "SELECT {CLAVE_F}, \
               CAST(SUM(CASE WHEN f.libro > 0 THEN 1 ELSE 0 END) AS BIGINT) AS facturas_hoy, \
               CAST(SUM(CASE WHEN f.libro > 0 THEN f.libro ELSE 0 END) AS BIGINT) AS saldo_hoy, \
               CAST(SUM(CASE WHEN f.libro - x.valor > 0 THEN 1 ELSE 0 END) AS BIGINT) AS facturas, \
               CAST(SUM(CASE WHEN f.libro - x.valor > 0 THEN f.libro - x.valor ELSE 0 END) AS BIGINT) AS saldo \
             FROM (SELECT d.factura_id AS factura_id, CAST(SUM(d.valor) AS BIGINT) AS valor FROM \
                     (SELECT factura_id, valor FROM movimientos WHERE prestador_id = ? AND fecha > ?{tacitas}) d \
                   GROUP BY d.factura_id) x \
             JOIN facturas f ON f.id = x.factura_id \
             WHERE f.prestador_id = ?{filtro} GROUP BY {GRUPO_F}"
        ),
        &params,
    )?;
    let mut grupos: HashMap<Clave, Grupo> = hoy.into_iter().map(|g| (g.clave(), g)).collect();
    for k in correcciones {
        let g = grupos.entry(k.grupo.clave()).or_insert_with(|| Grupo {
            facturas: 0,
            saldo: 0,
            ..k.grupo.clone()
        });
        g.facturas += k.grupo.facturas - k.facturas_hoy;
        g.saldo += k.grupo.saldo - k.saldo_hoy;
    }
    Ok(grupos.into_values().filter(|g| g.facturas > 0).collect())
}

/// What each payer owes at `corte`, by the same definition as the aging: the balance (ledger up
/// to the cut-off, less glosas accepted by silence by then), what of it is overdue, and since
/// when (the oldest overdue invoice's payment term). Payers that owe nothing are absent.
#[derive(Debug)]
pub struct DeudaPagador {
    pub pagador_id: String,
    pub saldo: i64,
    pub vencido: i64,
    pub primer_vencimiento: Option<NaiveDate>,
}

pub fn deuda_por_pagador(
    c: &mut AnyConnection,
    prestador_id: &str,
    corte: NaiveDate,
    silencio: Silencio,
) -> QueryResult<Vec<DeudaPagador>> {
    let mut deudas: BTreeMap<String, DeudaPagador> = BTreeMap::new();
    for g in grupos_al_corte(c, prestador_id, corte, silencio, &Filtro::default(), Camino::Elegir)? {
        let d = deudas.entry(g.pagador_id.clone()).or_insert_with(|| DeudaPagador {
            pagador_id: g.pagador_id.clone(),
            saldo: 0,
            vencido: 0,
            primer_vencimiento: None,
        });
        d.saldo += g.saldo;
        if g.vencido(corte) {
            d.vencido += g.saldo;
            let v = g.fecha_limite_pago;
            d.primer_vencimiento = Some(d.primer_vencimiento.map_or(v, |p| p.min(v)));
        }
    }
    Ok(deudas.into_values().collect())
}

#[derive(Debug, QueryableByName)]
struct NombrePagador {
    #[diesel(sql_type = Text)]
    id: String,
    #[diesel(sql_type = Text)]
    nombre: String,
    #[diesel(sql_type = Text)]
    tipo: String,
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
    edades_por(c, prestador_id, corte, limites, base, tacita, f, Camino::Elegir)
}

/// [`edades`] by the way given (the property test compares them).
#[allow(clippy::too_many_arguments)]
pub fn edades_por(
    c: &mut AnyConnection,
    prestador_id: &str,
    corte: NaiveDate,
    limites: [NaiveDate; 5],
    base: Base,
    tacita: Silencio,
    f: &Filtro,
    camino: Camino,
) -> QueryResult<Vec<CeldaEdad>> {
    let grupos = grupos_al_corte(c, prestador_id, corte, tacita, f, camino)?;
    let mut celdas: HashMap<(String, i32), CeldaEdad> = HashMap::new();
    for g in grupos {
        let fecha = g.fecha_base(corte, base);
        let edad = limites.iter().position(|l| fecha >= *l).unwrap_or(5) as i32;
        let x = celdas.entry((g.pagador_id.clone(), edad)).or_insert_with(|| CeldaEdad {
            pagador_id: g.pagador_id.clone(),
            pagador: String::new(),
            tipo: String::new(),
            edad,
            facturas: 0,
            saldo: 0,
            vencido: 0,
            sin_radicar: 0,
            devuelto: 0,
        });
        x.facturas += g.facturas;
        x.saldo += g.saldo;
        x.vencido += if g.vencido(corte) { g.saldo } else { 0 };
        x.sin_radicar += if g.sin_radicar(corte) { g.saldo } else { 0 };
        x.devuelto += if g.devuelta { g.saldo } else { 0 };
    }
    let nombres: HashMap<String, NombrePagador> = consultar::<NombrePagador>(
        c,
        "SELECT id, nombre, tipo FROM pagadores WHERE prestador_id = ?",
        &[Param::Texto(prestador_id.into())],
    )?
    .into_iter()
    .map(|p| (p.id.clone(), p))
    .collect();
    let mut celdas: Vec<CeldaEdad> = celdas.into_values().collect();
    for x in &mut celdas {
        if let Some(p) = nombres.get(&x.pagador_id) {
            x.pagador.clone_from(&p.nombre);
            x.tipo.clone_from(&p.tipo);
        }
    }
    celdas.sort_by(|a, b| (&a.pagador, &a.pagador_id, a.edad).cmp(&(&b.pagador, &b.pagador_id, b.edad)));
    Ok(celdas)
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
        // Money a third party (ADRES giro directo) paid on the debtor's behalf: the debtor's,
        // not the third party's (Res. 2284/2023 art. 8).
        Flujo::PagadoPorTerceros => format!(
            "SELECT f.pagador_id AS pagador_id, CAST(SUM(a.valor) AS BIGINT) AS valor \
             FROM aplicaciones a JOIN pagos g ON g.id = a.pago_id JOIN facturas f ON f.id = a.factura_id \
             JOIN pagadores p ON p.id = f.pagador_id \
             WHERE a.prestador_id = ? AND a.fecha >= ? AND a.fecha <= ? AND g.pagado_por_id IS NOT NULL{filtro} \
             GROUP BY f.pagador_id"
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
    /// Of the payments, those a third party made on the payer's behalf.
    PagadoPorTerceros,
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
