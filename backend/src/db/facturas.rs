//! Invoices and their lines.

use diesel::prelude::*;

use super::schema::{factura_items, facturas};
use super::AnyConnection;

#[derive(Debug, Clone, serde::Serialize, Queryable, Selectable, Insertable)]
#[diesel(table_name = facturas, treat_none_as_default_value = false)]
pub struct Factura {
    pub id: String,
    pub prestador_id: String,
    pub pagador_id: String,
    pub contrato_id: Option<String>,
    pub numero: String,
    pub cufe: Option<String>,
    pub fecha_expedicion: chrono::NaiveDate,
    pub valor_total: i64,
    pub copagos: i64,
    pub cuotas_moderadoras: i64,
    /// As recorded (silence is applied on read).
    pub estado: crate::domain::factura::EstadoFactura,
    pub version: i32,
    pub creado_en: chrono::NaiveDateTime,
    pub numero_radicado: Option<String>,
    pub fecha_radicacion: Option<chrono::NaiveDate>,
    pub fecha_limite_radicacion: Option<chrono::NaiveDate>,
    pub fecha_limite_glosa: Option<chrono::NaiveDate>,
    pub fecha_limite_pago: Option<chrono::NaiveDate>,
    /// What is owed after every recorded movement (acceptance by silence is applied on read).
    pub saldo: i64,
    pub en_discusion: i64,
}

/// The plain data of an invoice not yet radicated, as a clerk corrects it.
#[derive(Debug, Clone, serde::Serialize, AsChangeset)]
#[diesel(table_name = facturas, treat_none_as_null = true)]
pub struct Datos {
    pub numero: String,
    pub pagador_id: String,
    pub contrato_id: Option<String>,
    pub cufe: Option<String>,
    pub fecha_expedicion: chrono::NaiveDate,
    pub valor_total: i64,
    pub copagos: i64,
    pub cuotas_moderadoras: i64,
    pub fecha_limite_radicacion: Option<chrono::NaiveDate>,
}

/// Writes corrected data if the invoice is still at `version`.
pub fn editar(c: &mut AnyConnection, prestador_id: &str, id: &str, version: i32, d: &Datos) -> QueryResult<usize> {
    diesel::update(
        facturas::table.filter(
            facturas::prestador_id
                .eq(prestador_id)
                .and(facturas::id.eq(id))
                .and(facturas::version.eq(version)),
        ),
    )
    .set((d, facturas::version.eq(version + 1)))
    .execute(c)
}

/// The columns the life cycle changes.
#[derive(Debug, Clone, AsChangeset)]
#[diesel(table_name = facturas, treat_none_as_null = true)]
pub struct Cambios {
    pub estado: String,
    pub numero_radicado: Option<String>,
    pub fecha_radicacion: Option<chrono::NaiveDate>,
    pub fecha_limite_glosa: Option<chrono::NaiveDate>,
    pub fecha_limite_pago: Option<chrono::NaiveDate>,
    pub saldo: i64,
    pub en_discusion: i64,
}

#[derive(Debug, Clone, serde::Serialize, Queryable, Selectable, Insertable)]
#[diesel(table_name = factura_items)]
pub struct Item {
    pub id: String,
    pub prestador_id: String,
    pub factura_id: String,
    pub linea: i32,
    pub codigo: String,
    pub descripcion: String,
    pub cantidad: String,
    pub valor_unitario: i64,
    pub valor_total: i64,
    /// Taxes of the line (IVA, INC...), over `valor_total`.
    pub impuestos: i64,
}

/// Filters of the invoice list.
#[derive(Debug, Default)]
pub struct Filtro {
    pub estado: Option<String>,
    pub pagador_id: Option<String>,
    pub desde: Option<chrono::NaiveDate>,
    pub hasta: Option<chrono::NaiveDate>,
    /// Part of the number or CUFE.
    pub q: Option<String>,
}

pub fn insertar(c: &mut AnyConnection, f: &[Factura], items: &[Item]) -> QueryResult<()> {
    super::insertar_en_lotes!(c, facturas::table, f);
    super::insertar_en_lotes!(c, factura_items::table, items);
    Ok(())
}

/// Writes the new state if the invoice is still at `version` (0 rows: someone else changed
/// it first).
pub fn guardar(
    c: &mut AnyConnection,
    prestador_id: &str,
    id: &str,
    version: i32,
    cambios: &Cambios,
) -> QueryResult<usize> {
    diesel::update(
        facturas::table.filter(
            facturas::prestador_id
                .eq(prestador_id)
                .and(facturas::id.eq(id))
                .and(facturas::version.eq(version)),
        ),
    )
    .set((cambios, facturas::version.eq(version + 1)))
    .execute(c)
}

/// The balance and state of one invoice whose radicación did not change, written by
/// [`guardar_saldos`].
#[derive(Debug, Clone)]
pub struct Saldo<'a> {
    pub id: &'a str,
    /// The version the caller loaded; the row is written only if it is still there.
    pub version: i32,
    pub estado: String,
    pub saldo: i64,
    pub en_discusion: i64,
}

/// Writes the balances and states of many invoices, [`super::FILAS_POR_INSERT`] per
/// statement (one UPDATE per invoice prepared 100,000 statements for a large glosa sheet).
/// Returns the rows written: fewer than `filas` means someone changed one of them first.
pub fn guardar_saldos(c: &mut AnyConnection, prestador_id: &str, filas: &[Saldo]) -> QueryResult<usize> {
    use diesel::sql_types::{BigInt, Integer, Text};
    let pg = matches!(c, AnyConnection::Postgresql(_));
    let sql = |n: usize| {
        // UPDATE ... FROM: SQLite 3.33 and PostgreSQL alike.
        let valores = vec!["(?, ?, ?, ?, ?)"; n].join(", ");
        let s = format!(
            "WITH v(id, version, estado, saldo, en_discusion) AS (VALUES {valores}) \
             UPDATE facturas SET estado = v.estado, saldo = v.saldo, en_discusion = v.en_discusion, \
             version = v.version + 1 FROM v \
             WHERE facturas.prestador_id = ? AND facturas.id = v.id AND facturas.version = v.version"
        );
        if pg {
            super::numerar_parametros(&s)
        } else {
            s
        }
    };
    let lleno = sql(super::FILAS_POR_INSERT);
    let mut escritas = 0;
    for lote in filas.chunks(super::FILAS_POR_INSERT) {
        let texto = if lote.len() == super::FILAS_POR_INSERT {
            lleno.clone()
        } else {
            sql(lote.len())
        };
        escritas += super::por_backend!(&mut *c, |conn| {
            let mut q = diesel::sql_query(texto).into_boxed();
            for f in lote {
                q = q
                    .bind::<Text, _>(f.id)
                    .bind::<Integer, _>(f.version)
                    .bind::<Text, _>(&f.estado)
                    .bind::<BigInt, _>(f.saldo)
                    .bind::<BigInt, _>(f.en_discusion);
            }
            q.bind::<Text, _>(prestador_id).execute(conn)
        })?;
    }
    Ok(escritas)
}

/// Invoices by id (missing ones are absent from the answer).
pub fn por_ids(c: &mut AnyConnection, prestador_id: &str, ids: &[String]) -> QueryResult<Vec<Factura>> {
    let mut out = Vec::new();
    for chunk in ids.chunks(super::LOTE) {
        out.extend(
            facturas::table
                .filter(facturas::prestador_id.eq(prestador_id).and(facturas::id.eq_any(chunk)))
                .select(Factura::as_select())
                .load(c)?,
        );
    }
    Ok(out)
}

/// Invoices of the tenant with these numbers (chunked under SQLite's parameter limit).
pub fn por_numeros(c: &mut AnyConnection, prestador_id: &str, numeros: &[String]) -> QueryResult<Vec<Factura>> {
    let mut out = Vec::new();
    for chunk in numeros.chunks(super::LOTE) {
        out.extend(
            facturas::table
                .filter(
                    facturas::prestador_id
                        .eq(prestador_id)
                        .and(facturas::numero.eq_any(chunk)),
                )
                .select(Factura::as_select())
                .load(c)?,
        );
    }
    Ok(out)
}

/// Invoices of the tenant with these CUFEs (lowercase, as stored).
pub fn por_cufes(c: &mut AnyConnection, prestador_id: &str, cufes: &[String]) -> QueryResult<Vec<Factura>> {
    let mut out = Vec::new();
    for chunk in cufes.chunks(super::LOTE) {
        out.extend(
            facturas::table
                .filter(
                    facturas::prestador_id
                        .eq(prestador_id)
                        .and(facturas::cufe.eq_any(chunk)),
                )
                .select(Factura::as_select())
                .load(c)?,
        );
    }
    Ok(out)
}

/// (numero, id) of every invoice of the tenant, to match payer sheets that write numbers
/// without their prefix.
pub fn numeros(c: &mut AnyConnection, prestador_id: &str) -> QueryResult<Vec<(String, String)>> {
    facturas::table
        .filter(facturas::prestador_id.eq(prestador_id))
        .select((facturas::numero, facturas::id))
        .load(c)
}

pub fn existe_numero(c: &mut AnyConnection, prestador_id: &str, numero: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        facturas::table.filter(facturas::prestador_id.eq(prestador_id).and(facturas::numero.eq(numero))),
    ))
    .get_result(c)
}

pub fn por_id(c: &mut AnyConnection, prestador_id: &str, id: &str) -> QueryResult<Option<Factura>> {
    facturas::table
        .filter(facturas::prestador_id.eq(prestador_id).and(facturas::id.eq(id)))
        .select(Factura::as_select())
        .first(c)
        .optional()
}

/// The number and payer of each of these invoices, by id: lists of glosas, devoluciones and
/// events name the invoice and its payer, not only ids. Three columns, one query.
pub fn numeros_y_pagadores(
    c: &mut AnyConnection,
    prestador_id: &str,
    ids: &[&str],
) -> QueryResult<std::collections::HashMap<String, (String, String)>> {
    Ok(facturas::table
        .filter(facturas::prestador_id.eq(prestador_id).and(facturas::id.eq_any(ids)))
        .select((facturas::id, facturas::numero, facturas::pagador_id))
        .load::<(String, String, String)>(c)?
        .into_iter()
        .map(|(id, numero, pagador)| (id, (numero, pagador)))
        .collect())
}

pub fn items_de(c: &mut AnyConnection, prestador_id: &str, ids: &[String]) -> QueryResult<Vec<Item>> {
    factura_items::table
        .filter(
            factura_items::prestador_id
                .eq(prestador_id)
                .and(factura_items::factura_id.eq_any(ids)),
        )
        .order((factura_items::factura_id.asc(), factura_items::linea.asc()))
        .select(Item::as_select())
        .load(c)
}

pub fn items(c: &mut AnyConnection, prestador_id: &str, factura_id: &str) -> QueryResult<Vec<Item>> {
    factura_items::table
        .filter(
            factura_items::prestador_id
                .eq(prestador_id)
                .and(factura_items::factura_id.eq(factura_id)),
        )
        .order(factura_items::linea.asc())
        .select(Item::as_select())
        .load(c)
}

/// A search that finds at most this many invoices through the text index lists them by id;
/// one that finds more (a bare prefix such as "FE-") filters the list row by row.
const POR_INDICE: i64 = 1000;

/// The invoices whose number or radicado contains `text` (3 characters or more), or whose
/// CUFE is `text`, found through the indexes of migration 000016 — FTS5 trigrams on SQLite,
/// pg_trgm on PostgreSQL — when they are at most [`POR_INDICE`]. Asked apart from the list
/// because, joined to its order, both planners preferred walking a million invoices in that
/// order to the index (0.6 s per search).
fn ids_por_texto(c: &mut AnyConnection, prestador_id: &str, text: &str) -> QueryResult<Option<Vec<String>>> {
    let like = super::contiene(text);
    let frase = &like[1..like.len() - 1];
    if frase.chars().count() < 3 {
        return Ok(None);
    }
    let de_prestador = facturas::table.filter(facturas::prestador_id.eq(prestador_id));
    let mut ids: Vec<String> = if matches!(c, AnyConnection::Sqlite(_)) {
        de_prestador
            .filter(
                diesel::dsl::sql::<diesel::sql_types::Bool>(
                    "facturas.rowid IN (SELECT rowid FROM facturas_busqueda WHERE facturas_busqueda MATCH ",
                )
                .bind::<diesel::sql_types::Text, _>(format!("\"{}\"", frase.replace('"', "\"\"")))
                .sql(")"),
            )
            .select(facturas::id)
            .limit(POR_INDICE + 1)
            .load(c)?
    } else {
        de_prestador
            .filter(
                super::lower(facturas::numero)
                    .like(like.clone())
                    .or(super::lower_nulo(facturas::numero_radicado).like(like.clone())),
            )
            .select(facturas::id)
            .limit(POR_INDICE + 1)
            .load(c)?
    };
    if ids.len() as i64 > POR_INDICE {
        return Ok(None);
    }
    // A CUFE is a SHA-384 in hex (96 characters, DIAN's Anexo técnico de factura electrónica): anything
    // shorter is not one, and is not looked up (with no CUFEs recorded, the planner's
    // statistics would have that lookup read every invoice).
    let cufe = text.trim().to_lowercase();
    if cufe.len() >= 64 && cufe.chars().all(|c| c.is_ascii_hexdigit()) {
        ids.extend(
            de_prestador
                .filter(super::lower_nulo(facturas::cufe).eq(cufe))
                .select(facturas::id)
                .load::<String>(c)?,
        );
    }
    Ok(Some(ids))
}

fn filtrada<'a>(
    prestador_id: &'a str,
    f: &'a Filtro,
    ids: Option<&'a [String]>,
) -> facturas::BoxedQuery<'a, super::DbBackend> {
    let mut q = facturas::table
        .filter(facturas::prestador_id.eq(prestador_id))
        .into_boxed();
    if let Some(e) = &f.estado {
        q = q.filter(facturas::estado.eq(e));
    }
    if let Some(p) = &f.pagador_id {
        q = q.filter(facturas::pagador_id.eq(p));
    }
    if let Some(d) = f.desde {
        q = q.filter(facturas::fecha_expedicion.ge(d));
    }
    if let Some(h) = f.hasta {
        q = q.filter(facturas::fecha_expedicion.le(h));
    }
    // By number (any part of it: with or without its prefix), by radicado, or by the whole
    // CUFE — a fragment of a hash finds invoices by chance, not by what the clerk meant.
    if let Some(ids) = ids {
        q = q.filter(facturas::id.eq_any(ids));
    } else if let Some(text) = &f.q {
        let like = super::contiene(text);
        let exacto = text.trim().to_lowercase();
        q = q.filter(
            super::lower(facturas::numero)
                .like(like.clone())
                .or(super::lower_nulo(facturas::numero_radicado).like(like))
                .or(super::lower_nulo(facturas::cufe).eq(exacto)),
        );
    }
    q
}

pub fn listar(
    c: &mut AnyConnection,
    prestador_id: &str,
    f: &Filtro,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<Factura>, i64)> {
    let ids = match &f.q {
        Some(text) => ids_por_texto(c, prestador_id, text)?,
        None => None,
    };
    let total = filtrada(prestador_id, f, ids.as_deref()).count().get_result(c)?;
    let items = filtrada(prestador_id, f, ids.as_deref())
        .order((facturas::fecha_expedicion.desc(), facturas::numero.desc()))
        .offset(offset)
        .limit(limit)
        .select(Factura::as_select())
        .load(c)?;
    Ok((items, total))
}
