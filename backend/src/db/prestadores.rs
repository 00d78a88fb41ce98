//! Prestadores: the tenants.

use diesel::prelude::*;

use super::schema::prestadores;
use super::AnyConnection;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = prestadores)]
pub struct Prestador {
    pub id: String,
    pub nit: String,
    pub nombre: String,
    pub creado_en: chrono::NaiveDateTime,
}

pub fn insertar(c: &mut AnyConnection, p: &Prestador) -> QueryResult<()> {
    diesel::insert_into(prestadores::table).values(p).execute(c).map(|_| ())
}

pub fn por_nit(c: &mut AnyConnection, nit: &str) -> QueryResult<Option<Prestador>> {
    prestadores::table
        .filter(prestadores::nit.eq(nit))
        .select(Prestador::as_select())
        .first(c)
        .optional()
}

pub fn por_id(c: &mut AnyConnection, id: &str) -> QueryResult<Option<Prestador>> {
    prestadores::table
        .filter(prestadores::id.eq(id))
        .select(Prestador::as_select())
        .first(c)
        .optional()
}
