//! Radicaciones and devoluciones of invoices.

use diesel::prelude::*;

use super::schema::{devoluciones, radicaciones};
use super::AnyConnection;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = radicaciones)]
pub struct Radicacion {
    pub id: String,
    pub prestador_id: String,
    pub factura_id: String,
    pub numero_radicado: String,
    pub fecha: chrono::NaiveDate,
    pub creado_en: chrono::NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = devoluciones)]
pub struct Devolucion {
    pub id: String,
    pub prestador_id: String,
    pub factura_id: String,
    pub radicacion_id: String,
    pub codigo: String,
    pub fecha: chrono::NaiveDate,
    pub observacion: String,
    pub extemporanea: bool,
    pub creado_en: chrono::NaiveDateTime,
}

pub fn insertar(c: &mut AnyConnection, r: &[Radicacion]) -> QueryResult<()> {
    super::insertar_en_lotes!(c, radicaciones::table, r);
    Ok(())
}

pub fn insertar_devolucion(c: &mut AnyConnection, d: &Devolucion) -> QueryResult<()> {
    diesel::insert_into(devoluciones::table)
        .values(d)
        .execute(c)
        .map(|_| ())
}

/// Radicaciones of these invoices, oldest first.
pub fn de_facturas(c: &mut AnyConnection, prestador_id: &str, ids: &[String]) -> QueryResult<Vec<Radicacion>> {
    radicaciones::table
        .filter(
            radicaciones::prestador_id
                .eq(prestador_id)
                .and(radicaciones::factura_id.eq_any(ids)),
        )
        .order((
            radicaciones::fecha.asc(),
            radicaciones::creado_en.asc(),
            radicaciones::id.asc(),
        ))
        .select(Radicacion::as_select())
        .load(c)
}

pub fn devoluciones_de_facturas(
    c: &mut AnyConnection,
    prestador_id: &str,
    ids: &[String],
) -> QueryResult<Vec<Devolucion>> {
    devoluciones::table
        .filter(
            devoluciones::prestador_id
                .eq(prestador_id)
                .and(devoluciones::factura_id.eq_any(ids)),
        )
        .order((devoluciones::fecha.asc(), devoluciones::id.asc()))
        .select(Devolucion::as_select())
        .load(c)
}
