//! The append-only record of corrections: what was voided, as it was, and what plain data was
//! edited, before and after. No update or delete here; the database refuses them too.

use diesel::prelude::*;

use super::schema::correcciones;
use super::AnyConnection;

pub const ANULACION: &str = "anulacion";
pub const MODIFICACION: &str = "modificacion";

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = correcciones)]
pub struct Correccion {
    pub id: String,
    pub prestador_id: String,
    pub accion: String,
    pub entidad: String,
    pub entidad_id: String,
    pub factura_id: Option<String>,
    pub motivo: String,
    /// JSON of the record before.
    pub antes: String,
    /// JSON of the record after an edit; none for a voiding.
    pub despues: Option<String>,
    pub actor_id: String,
    pub fecha: chrono::NaiveDate,
    pub registrado_en: chrono::NaiveDateTime,
}

pub fn insertar(c: &mut AnyConnection, x: &[Correccion]) -> QueryResult<()> {
    super::insertar_en_lotes!(c, correcciones::table, x);
    Ok(())
}

/// The last voiding of this record, if it was voided.
pub fn anulacion_de(c: &mut AnyConnection, prestador_id: &str, entidad_id: &str) -> QueryResult<Option<Correccion>> {
    correcciones::table
        .filter(
            correcciones::prestador_id
                .eq(prestador_id)
                .and(correcciones::entidad_id.eq(entidad_id))
                .and(correcciones::accion.eq(ANULACION)),
        )
        .order(correcciones::registrado_en.desc())
        .select(Correccion::as_select())
        .first(c)
        .optional()
}

/// What a list of corrections asks for; `desde`/`hasta` bound the Bogotá day it was recorded.
#[derive(Debug, Clone, Default)]
pub struct Filtro {
    pub actor_id: Option<String>,
    pub accion: Option<String>,
    pub entidad: Option<String>,
    pub entidad_id: Option<String>,
    pub factura_id: Option<String>,
    pub desde: Option<chrono::NaiveDate>,
    pub hasta: Option<chrono::NaiveDate>,
}

fn filtrada<'a>(prestador_id: &'a str, f: &'a Filtro) -> correcciones::BoxedQuery<'a, super::DbBackend> {
    let mut q = correcciones::table
        .filter(correcciones::prestador_id.eq(prestador_id))
        .into_boxed();
    if let Some(a) = &f.actor_id {
        q = q.filter(correcciones::actor_id.eq(a));
    }
    if let Some(a) = &f.accion {
        q = q.filter(correcciones::accion.eq(a));
    }
    if let Some(e) = &f.entidad {
        q = q.filter(correcciones::entidad.eq(e));
    }
    if let Some(e) = &f.entidad_id {
        q = q.filter(correcciones::entidad_id.eq(e));
    }
    if let Some(e) = &f.factura_id {
        q = q.filter(correcciones::factura_id.eq(e));
    }
    if let Some(d) = f.desde {
        q = q.filter(correcciones::registrado_en.ge(super::inicio_del_dia_en_utc(d)));
    }
    if let Some(h) = f.hasta.and_then(|h| h.succ_opt()) {
        q = q.filter(correcciones::registrado_en.lt(super::inicio_del_dia_en_utc(h)));
    }
    q
}

/// The corrections that match, the last recorded first, a page of them, and how many match.
pub fn listar(
    c: &mut AnyConnection,
    prestador_id: &str,
    f: &Filtro,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<Correccion>, i64)> {
    let total = filtrada(prestador_id, f).count().get_result(c)?;
    let items = filtrada(prestador_id, f)
        .order((correcciones::registrado_en.desc(), correcciones::id.desc()))
        .offset(offset)
        .limit(limit)
        .select(Correccion::as_select())
        .load(c)?;
    Ok((items, total))
}
