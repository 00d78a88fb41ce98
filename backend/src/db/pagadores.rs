//! Payers of a prestador.

use diesel::prelude::*;

use super::schema::pagadores;
use super::AnyConnection;

#[derive(Debug, Clone, serde::Serialize, Queryable, Selectable, Insertable)]
#[diesel(table_name = pagadores)]
pub struct Pagador {
    pub id: String,
    pub prestador_id: String,
    pub nit: String,
    pub nombre: String,
    pub tipo: crate::domain::pagador::TipoPagador,
    pub version: i32,
    pub creado_en: chrono::NaiveDateTime,
    pub actualizado_en: chrono::NaiveDateTime,
}

/// Filters of the payer list.
#[derive(Debug, Default)]
pub struct Filtro {
    pub tipo: Option<String>,
    /// Part of the name or NIT.
    pub q: Option<String>,
}

pub fn insertar(c: &mut AnyConnection, p: &Pagador) -> QueryResult<()> {
    diesel::insert_into(pagadores::table).values(p).execute(c).map(|_| ())
}

pub fn por_id(c: &mut AnyConnection, prestador_id: &str, id: &str) -> QueryResult<Option<Pagador>> {
    pagadores::table
        .filter(pagadores::prestador_id.eq(prestador_id).and(pagadores::id.eq(id)))
        .select(Pagador::as_select())
        .first(c)
        .optional()
}

pub fn por_nit(c: &mut AnyConnection, prestador_id: &str, nit: &str) -> QueryResult<Option<Pagador>> {
    pagadores::table
        .filter(pagadores::prestador_id.eq(prestador_id).and(pagadores::nit.eq(nit)))
        .select(Pagador::as_select())
        .first(c)
        .optional()
}

fn filtrada<'a>(prestador_id: &'a str, f: &'a Filtro) -> pagadores::BoxedQuery<'a, super::DbBackend> {
    let mut q = pagadores::table
        .filter(pagadores::prestador_id.eq(prestador_id))
        .into_boxed();
    if let Some(t) = &f.tipo {
        q = q.filter(pagadores::tipo.eq(t));
    }
    if let Some(text) = &f.q {
        let like = super::contiene(text);
        q = q.filter(
            super::lower(pagadores::nombre)
                .like(like.clone())
                .or(pagadores::nit.like(like)),
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
) -> QueryResult<(Vec<Pagador>, i64)> {
    let total = filtrada(prestador_id, f).count().get_result(c)?;
    let items = filtrada(prestador_id, f)
        .order(pagadores::nombre.asc())
        .offset(offset)
        .limit(limit)
        .select(Pagador::as_select())
        .load(c)?;
    Ok((items, total))
}

/// Every payer's name by id: lists name the payer beside its id.
pub fn nombres(c: &mut AnyConnection, prestador_id: &str) -> QueryResult<std::collections::HashMap<String, String>> {
    Ok(pagadores::table
        .filter(pagadores::prestador_id.eq(prestador_id))
        .select((pagadores::id, pagadores::nombre))
        .load::<(String, String)>(c)?
        .into_iter()
        .collect())
}

/// Writes the new values if the row is still at `version`; returns how many rows changed
/// (0 when another user edited it first, or it does not exist in this tenant).
pub fn actualizar(c: &mut AnyConnection, p: &Pagador, version: i32) -> QueryResult<usize> {
    diesel::update(
        pagadores::table.filter(
            pagadores::prestador_id
                .eq(&p.prestador_id)
                .and(pagadores::id.eq(&p.id))
                .and(pagadores::version.eq(version)),
        ),
    )
    .set((
        pagadores::nit.eq(&p.nit),
        pagadores::nombre.eq(&p.nombre),
        pagadores::tipo.eq(&p.tipo),
        pagadores::version.eq(version + 1),
        pagadores::actualizado_en.eq(p.actualizado_en),
    ))
    .execute(c)
}
