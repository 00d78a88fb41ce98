//! The append-only event log. There is no update or delete here, and the database refuses
//! them too (triggers in the migrations).

use diesel::prelude::*;

use super::schema::eventos;
use super::AnyConnection;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = eventos)]
pub struct Evento {
    pub id: String,
    pub prestador_id: String,
    pub factura_id: String,
    pub tipo: String,
    /// JSON with what changed.
    pub datos: String,
    pub actor_id: String,
    /// The civil date the user states the fact happened on.
    pub fecha: chrono::NaiveDate,
    /// When the server recorded it (UTC).
    pub registrado_en: chrono::NaiveDateTime,
}

pub fn insertar(c: &mut AnyConnection, e: &[Evento]) -> QueryResult<()> {
    super::insertar_en_lotes!(c, eventos::table, e);
    Ok(())
}

/// The events of one invoice in the order they were recorded.
pub fn de_factura(c: &mut AnyConnection, prestador_id: &str, factura_id: &str) -> QueryResult<Vec<Evento>> {
    eventos::table
        .filter(
            eventos::prestador_id
                .eq(prestador_id)
                .and(eventos::factura_id.eq(factura_id)),
        )
        .order((eventos::fecha.asc(), eventos::registrado_en.asc(), eventos::id.asc()))
        .select(Evento::as_select())
        .load(c)
}
