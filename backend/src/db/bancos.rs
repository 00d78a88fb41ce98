//! Bank accounts, the statements imported into them and each credit with what became of it.

use diesel::prelude::*;

use super::schema::{cuentas_bancarias, extractos, movimientos_bancarios, pagos};
use super::AnyConnection;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = cuentas_bancarias)]
pub struct Cuenta {
    pub id: String,
    pub prestador_id: String,
    pub banco: String,
    pub numero: String,
    pub nombre: String,
    pub creado_en: chrono::NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = extractos)]
pub struct Extracto {
    pub id: String,
    pub prestador_id: String,
    pub cuenta_id: String,
    pub archivo: String,
    pub hash: String,
    pub formato: String,
    pub desde: Option<chrono::NaiveDate>,
    pub hasta: Option<chrono::NaiveDate>,
    pub creditos: i32,
    pub nuevos: i32,
    pub debitos: i32,
    pub actor_id: String,
    pub creado_en: chrono::NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = movimientos_bancarios)]
pub struct Movimiento {
    pub id: String,
    pub prestador_id: String,
    pub cuenta_id: String,
    pub extracto_id: String,
    pub huella: String,
    pub fecha: chrono::NaiveDate,
    pub fecha_valor: Option<chrono::NaiveDate>,
    pub valor: i64,
    pub referencia: String,
    pub descripcion: String,
    pub nit_tercero: String,
    pub nombre_tercero: String,
    pub estado: String,
    pub regla: String,
    pub explicacion: String,
    pub automatico: bool,
    pub pagador_id: Option<String>,
    pub pago_id: Option<String>,
    pub anuncio_id: Option<String>,
    /// JSON: the candidates while pendiente (`[]` otherwise).
    pub candidatos: String,
    pub motivo: String,
    pub decidido_por: Option<String>,
    pub decidido_en: Option<chrono::NaiveDateTime>,
    pub creado_en: chrono::NaiveDateTime,
}

/// What a decision changes on a movement.
#[derive(Debug, Clone, AsChangeset)]
#[diesel(table_name = movimientos_bancarios, treat_none_as_null = true)]
pub struct Cambio {
    pub estado: String,
    pub regla: String,
    pub explicacion: String,
    pub automatico: bool,
    pub pagador_id: Option<String>,
    pub pago_id: Option<String>,
    pub anuncio_id: Option<String>,
    pub candidatos: String,
    pub motivo: String,
    pub decidido_por: Option<String>,
    pub decidido_en: Option<chrono::NaiveDateTime>,
}

pub fn insertar_cuenta(c: &mut AnyConnection, x: &Cuenta) -> QueryResult<()> {
    diesel::insert_into(cuentas_bancarias::table)
        .values(x)
        .execute(c)
        .map(|_| ())
}

pub fn cuentas(c: &mut AnyConnection, prestador_id: &str) -> QueryResult<Vec<Cuenta>> {
    cuentas_bancarias::table
        .filter(cuentas_bancarias::prestador_id.eq(prestador_id))
        .order((cuentas_bancarias::banco.asc(), cuentas_bancarias::numero.asc()))
        .select(Cuenta::as_select())
        .load(c)
}

pub fn cuenta(c: &mut AnyConnection, prestador_id: &str, id: &str) -> QueryResult<Option<Cuenta>> {
    cuentas_bancarias::table
        .filter(
            cuentas_bancarias::prestador_id
                .eq(prestador_id)
                .and(cuentas_bancarias::id.eq(id)),
        )
        .select(Cuenta::as_select())
        .first(c)
        .optional()
}

pub fn extracto_por_hash(
    c: &mut AnyConnection,
    prestador_id: &str,
    cuenta_id: &str,
    hash: &str,
) -> QueryResult<Option<Extracto>> {
    extractos::table
        .filter(
            extractos::prestador_id
                .eq(prestador_id)
                .and(extractos::cuenta_id.eq(cuenta_id))
                .and(extractos::hash.eq(hash)),
        )
        .select(Extracto::as_select())
        .first(c)
        .optional()
}

pub fn insertar_extracto(c: &mut AnyConnection, x: &Extracto) -> QueryResult<()> {
    diesel::insert_into(extractos::table).values(x).execute(c).map(|_| ())
}

/// The statements of the prestador (of one account), the latest first; at most `limite`.
pub fn extractos(
    c: &mut AnyConnection,
    prestador_id: &str,
    cuenta_id: Option<&str>,
    limite: i64,
) -> QueryResult<Vec<Extracto>> {
    let mut q = extractos::table
        .filter(extractos::prestador_id.eq(prestador_id))
        .into_boxed();
    if let Some(cu) = cuenta_id {
        q = q.filter(extractos::cuenta_id.eq(cu));
    }
    q.order((extractos::creado_en.desc(), extractos::id.desc()))
        .limit(limite)
        .select(Extracto::as_select())
        .load(c)
}

/// Which of these fingerprints the account already holds.
pub fn huellas(
    c: &mut AnyConnection,
    prestador_id: &str,
    cuenta_id: &str,
    huellas: &[String],
) -> QueryResult<Vec<String>> {
    let mut v = Vec::new();
    for lote in huellas.chunks(1000) {
        v.extend(
            movimientos_bancarios::table
                .filter(
                    movimientos_bancarios::prestador_id
                        .eq(prestador_id)
                        .and(movimientos_bancarios::cuenta_id.eq(cuenta_id))
                        .and(movimientos_bancarios::huella.eq_any(lote)),
                )
                .select(movimientos_bancarios::huella)
                .load::<String>(c)?,
        );
    }
    Ok(v)
}

pub fn insertar_movimiento(c: &mut AnyConnection, m: &Movimiento) -> QueryResult<()> {
    diesel::insert_into(movimientos_bancarios::table)
        .values(m)
        .execute(c)
        .map(|_| ())
}

pub fn movimiento(c: &mut AnyConnection, prestador_id: &str, id: &str) -> QueryResult<Option<Movimiento>> {
    movimientos_bancarios::table
        .filter(
            movimientos_bancarios::prestador_id
                .eq(prestador_id)
                .and(movimientos_bancarios::id.eq(id)),
        )
        .select(Movimiento::as_select())
        .first(c)
        .optional()
}

/// Records a decision on a movement still in `estado_previo`; 0 when someone decided it first.
pub fn decidir(
    c: &mut AnyConnection,
    prestador_id: &str,
    id: &str,
    estado_previo: &str,
    cambio: &Cambio,
) -> QueryResult<usize> {
    diesel::update(
        movimientos_bancarios::table.filter(
            movimientos_bancarios::prestador_id
                .eq(prestador_id)
                .and(movimientos_bancarios::id.eq(id))
                .and(movimientos_bancarios::estado.eq(estado_previo)),
        ),
    )
    .set(cambio)
    .execute(c)
}

/// What a list of movements filters by.
#[derive(Debug, Default, Clone)]
pub struct Filtro {
    pub cuenta_id: Option<String>,
    pub extracto_id: Option<String>,
    pub estado: Option<String>,
    pub pagador_id: Option<String>,
    pub desde: Option<chrono::NaiveDate>,
    pub hasta: Option<chrono::NaiveDate>,
}

/// Movements matching `f`, the latest first: a page and how many match.
pub fn listar(
    c: &mut AnyConnection,
    prestador_id: &str,
    f: &Filtro,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<Movimiento>, i64)> {
    let q = || {
        let mut q = movimientos_bancarios::table
            .filter(movimientos_bancarios::prestador_id.eq(prestador_id))
            .into_boxed();
        if let Some(x) = &f.cuenta_id {
            q = q.filter(movimientos_bancarios::cuenta_id.eq(x));
        }
        if let Some(x) = &f.extracto_id {
            q = q.filter(movimientos_bancarios::extracto_id.eq(x));
        }
        if let Some(x) = &f.estado {
            q = q.filter(movimientos_bancarios::estado.eq(x));
        }
        if let Some(x) = &f.pagador_id {
            q = q.filter(movimientos_bancarios::pagador_id.eq(x));
        }
        if let Some(x) = f.desde {
            q = q.filter(movimientos_bancarios::fecha.ge(x));
        }
        if let Some(x) = f.hasta {
            q = q.filter(movimientos_bancarios::fecha.le(x));
        }
        q
    };
    let total: i64 = q().count().get_result(c)?;
    let items = q()
        .order((
            movimientos_bancarios::fecha.desc(),
            movimientos_bancarios::creado_en.desc(),
            movimientos_bancarios::id.desc(),
        ))
        .offset(offset)
        .limit(limit)
        .select(Movimiento::as_select())
        .load(c)?;
    Ok((items, total))
}

/// Payments of the prestador of exactly `valor` dated between `desde` and `hasta` that no bank
/// credit is tied to yet: (id, pagador_id, fecha, referencia).
pub fn pagos_libres(
    c: &mut AnyConnection,
    prestador_id: &str,
    valor: i64,
    desde: chrono::NaiveDate,
    hasta: chrono::NaiveDate,
) -> QueryResult<Vec<(String, String, chrono::NaiveDate, String)>> {
    let atados = movimientos_bancarios::table
        .filter(
            movimientos_bancarios::prestador_id
                .eq(prestador_id)
                .and(movimientos_bancarios::pago_id.is_not_null()),
        )
        .select(movimientos_bancarios::pago_id.assume_not_null());
    pagos::table
        .filter(
            pagos::prestador_id
                .eq(prestador_id)
                .and(pagos::valor.eq(valor))
                .and(pagos::fecha.ge(desde))
                .and(pagos::fecha.le(hasta))
                .and(pagos::id.ne_all(atados)),
        )
        .order((pagos::fecha.asc(), pagos::id.asc()))
        .select((pagos::id, pagos::pagador_id, pagos::fecha, pagos::referencia))
        .load(c)
}

/// Value and applied value of these payments, by id (voided ones are absent).
pub fn aplicado_de_pagos(
    c: &mut AnyConnection,
    prestador_id: &str,
    ids: &[String],
) -> QueryResult<Vec<(String, i64, i64)>> {
    let mut v = Vec::new();
    for lote in ids.chunks(1000) {
        v.extend(
            pagos::table
                .filter(pagos::prestador_id.eq(prestador_id).and(pagos::id.eq_any(lote)))
                .select((pagos::id, pagos::valor, pagos::valor_aplicado))
                .load::<(String, i64, i64)>(c)?,
        );
    }
    Ok(v)
}
