//! Glosas, with their answer, decision and conciliation as the current state of the row.

use diesel::prelude::*;

use super::schema::glosas;
use super::AnyConnection;

#[derive(Debug, Clone, Default, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = glosas, treat_none_as_default_value = false, treat_none_as_null = true)]
pub struct Glosa {
    pub id: String,
    pub prestador_id: String,
    pub factura_id: String,
    pub item_linea: Option<i32>,
    pub codigo: String,
    pub valor: i64,
    pub fecha_formulacion: chrono::NaiveDate,
    pub fecha_recepcion: chrono::NaiveDate,
    pub fecha_limite_respuesta: chrono::NaiveDate,
    pub extemporanea: bool,
    pub observacion: String,
    pub estado: crate::domain::glosa::EstadoGlosa,
    pub respuesta_codigo: Option<String>,
    pub valor_aceptado: i64,
    pub valor_sustentado: i64,
    pub justificacion: Option<String>,
    pub fecha_respuesta: Option<chrono::NaiveDate>,
    pub respuesta_extemporanea: bool,
    pub fecha_limite_decision: Option<chrono::NaiveDate>,
    pub resultado_decision: Option<crate::domain::glosa::ResultadoDecision>,
    pub valor_levantado: i64,
    pub fecha_decision: Option<chrono::NaiveDate>,
    pub valor_conciliado_prestador: i64,
    pub valor_conciliado_pagador: i64,
    pub acta_conciliacion: Option<String>,
    pub fecha_conciliacion: Option<chrono::NaiveDate>,
    pub version: i32,
    pub creado_en: chrono::NaiveDateTime,
}

pub fn insertar(c: &mut AnyConnection, g: &[Glosa]) -> QueryResult<()> {
    super::insertar_en_lotes!(c, glosas::table, g);
    Ok(())
}

pub fn por_id(c: &mut AnyConnection, prestador_id: &str, id: &str) -> QueryResult<Option<Glosa>> {
    glosas::table
        .filter(glosas::prestador_id.eq(prestador_id).and(glosas::id.eq(id)))
        .select(Glosa::as_select())
        .first(c)
        .optional()
}

pub fn de_facturas(c: &mut AnyConnection, prestador_id: &str, factura_ids: &[String]) -> QueryResult<Vec<Glosa>> {
    glosas::table
        .filter(
            glosas::prestador_id
                .eq(prestador_id)
                .and(glosas::factura_id.eq_any(factura_ids)),
        )
        .order((glosas::fecha_recepcion.asc(), glosas::id.asc()))
        .select(Glosa::as_select())
        .load(c)
}

/// Writes the glosa if it is still at the version read; 0 rows when another answer won.
pub fn guardar(c: &mut AnyConnection, g: &Glosa, version: i32) -> QueryResult<usize> {
    let nueva = Glosa {
        version: version + 1,
        ..g.clone()
    };
    diesel::update(
        glosas::table.filter(
            glosas::prestador_id
                .eq(&g.prestador_id)
                .and(glosas::id.eq(&g.id))
                .and(glosas::version.eq(version)),
        ),
    )
    .set(&nueva)
    .execute(c)
}
