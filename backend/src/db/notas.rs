//! Notas crédito and notas débito of invoices.

use diesel::prelude::*;

use super::schema::notas;
use super::AnyConnection;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = notas, treat_none_as_default_value = false)]
pub struct Nota {
    pub id: String,
    pub prestador_id: String,
    pub factura_id: String,
    pub numero: String,
    pub cude: Option<String>,
    pub valor: i64,
    pub fecha: chrono::NaiveDate,
    pub motivo: String,
    pub anulacion: bool,
    pub creado_en: chrono::NaiveDateTime,
    /// [`CREDITO`] or [`DEBITO`].
    pub tipo: String,
}

pub const CREDITO: &str = "credito";
pub const DEBITO: &str = "debito";

pub fn insertar(c: &mut AnyConnection, n: &Nota) -> QueryResult<()> {
    diesel::insert_into(notas::table).values(n).execute(c).map(|_| ())
}

pub fn existe_numero(c: &mut AnyConnection, prestador_id: &str, numero: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        notas::table.filter(notas::prestador_id.eq(prestador_id).and(notas::numero.eq(numero))),
    ))
    .get_result(c)
}

/// The note of the prestador with this number (crédito or débito), if any.
pub fn por_numero(c: &mut AnyConnection, prestador_id: &str, numero: &str) -> QueryResult<Option<Nota>> {
    notas::table
        .filter(notas::prestador_id.eq(prestador_id).and(notas::numero.eq(numero)))
        .select(Nota::as_select())
        .first(c)
        .optional()
}
