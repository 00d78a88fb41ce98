//! Contracts (acuerdos de voluntades) of a prestador.

use diesel::prelude::*;

use super::schema::contratos;
use super::AnyConnection;

#[derive(Debug, Clone, serde::Serialize, Queryable, Selectable, Insertable)]
#[diesel(table_name = contratos, treat_none_as_default_value = false)]
pub struct Contrato {
    pub id: String,
    pub prestador_id: String,
    pub pagador_id: String,
    pub numero: String,
    pub modalidad: crate::domain::contrato::Modalidad,
    pub fecha_inicio: chrono::NaiveDate,
    pub fecha_fin: Option<chrono::NaiveDate>,
    pub plazo_pago_dias: i32,
    pub valor: Option<i64>,
    pub version: i32,
    pub creado_en: chrono::NaiveDateTime,
}

pub fn insertar(c: &mut AnyConnection, x: &Contrato) -> QueryResult<()> {
    diesel::insert_into(contratos::table).values(x).execute(c).map(|_| ())
}

/// Writes the contract's terms if it is still at `version`.
pub fn actualizar(c: &mut AnyConnection, x: &Contrato, version: i32) -> QueryResult<usize> {
    diesel::update(
        contratos::table.filter(
            contratos::prestador_id
                .eq(&x.prestador_id)
                .and(contratos::id.eq(&x.id))
                .and(contratos::version.eq(version)),
        ),
    )
    .set((
        contratos::numero.eq(&x.numero),
        contratos::modalidad.eq(x.modalidad),
        contratos::fecha_inicio.eq(x.fecha_inicio),
        contratos::fecha_fin.eq(x.fecha_fin),
        contratos::plazo_pago_dias.eq(x.plazo_pago_dias),
        contratos::valor.eq(x.valor),
        contratos::version.eq(version + 1),
    ))
    .execute(c)
}

pub fn por_id(c: &mut AnyConnection, prestador_id: &str, id: &str) -> QueryResult<Option<Contrato>> {
    contratos::table
        .filter(contratos::prestador_id.eq(prestador_id).and(contratos::id.eq(id)))
        .select(Contrato::as_select())
        .first(c)
        .optional()
}

pub fn existe_numero(c: &mut AnyConnection, prestador_id: &str, pagador_id: &str, numero: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        contratos::table.filter(
            contratos::prestador_id
                .eq(prestador_id)
                .and(contratos::pagador_id.eq(pagador_id))
                .and(contratos::numero.eq(numero)),
        ),
    ))
    .get_result(c)
}

fn filtrada<'a>(prestador_id: &'a str, pagador_id: Option<&'a str>) -> contratos::BoxedQuery<'a, super::DbBackend> {
    let mut q = contratos::table
        .filter(contratos::prestador_id.eq(prestador_id))
        .into_boxed();
    if let Some(p) = pagador_id {
        q = q.filter(contratos::pagador_id.eq(p));
    }
    q
}

pub fn listar(
    c: &mut AnyConnection,
    prestador_id: &str,
    pagador_id: Option<&str>,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<Contrato>, i64)> {
    let total = filtrada(prestador_id, pagador_id).count().get_result(c)?;
    let items = filtrada(prestador_id, pagador_id)
        .order((contratos::fecha_inicio.desc(), contratos::id.desc()))
        .offset(offset)
        .limit(limit)
        .select(Contrato::as_select())
        .load(c)?;
    Ok((items, total))
}

/// (id, modalidad) of these contracts of the tenant.
pub fn modalidades(c: &mut AnyConnection, prestador_id: &str, ids: &[String]) -> QueryResult<Vec<(String, String)>> {
    contratos::table
        .filter(contratos::prestador_id.eq(prestador_id).and(contratos::id.eq_any(ids)))
        .select((contratos::id, contratos::modalidad))
        .load(c)
}
