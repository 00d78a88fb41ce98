//! Glosas, with their answer, decision and conciliation as the current state of the row.

use diesel::prelude::*;

use super::schema::glosas;
use super::AnyConnection;

#[derive(Debug, Clone, serde::Serialize, Default, Queryable, Selectable, Insertable, AsChangeset)]
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

/// What a list of glosas across invoices asks for. `concepto` is the code's first two letters
/// (FA facturación, TA tarifas, SO soportes, AU autorización, CO cobertura, CL calidad, SA
/// seguimiento a acuerdos); `vence_*` bound the answer's due date.
#[derive(Debug, Clone, Default)]
pub struct Filtro {
    pub estado: Option<crate::domain::glosa::EstadoGlosa>,
    pub pagador_id: Option<String>,
    pub factura_id: Option<String>,
    pub codigo: Option<String>,
    pub concepto: Option<String>,
    pub vence_desde: Option<chrono::NaiveDate>,
    pub vence_hasta: Option<chrono::NaiveDate>,
    pub extemporanea: Option<bool>,
    /// Glosas of the payers this cartera analyst is responsible for.
    pub responsable_id: Option<String>,
}

fn filtrada<'a>(prestador_id: &'a str, f: &'a Filtro) -> glosas::BoxedQuery<'a, super::DbBackend> {
    use super::schema::facturas;
    let mut q = glosas::table.filter(glosas::prestador_id.eq(prestador_id)).into_boxed();
    if let Some(e) = f.estado {
        q = q.filter(glosas::estado.eq(e));
    }
    if let Some(p) = &f.pagador_id {
        q = q.filter(
            glosas::factura_id.eq_any(
                facturas::table
                    .filter(facturas::prestador_id.eq(prestador_id).and(facturas::pagador_id.eq(p)))
                    .select(facturas::id),
            ),
        );
    }
    if let Some(id) = &f.factura_id {
        q = q.filter(glosas::factura_id.eq(id));
    }
    if let Some(c) = &f.codigo {
        q = q.filter(glosas::codigo.eq(c));
    }
    if let Some(c) = &f.concepto {
        q = q.filter(glosas::codigo.like(format!("{}%", c.replace(['%', '_'], ""))));
    }
    if let Some(d) = f.vence_desde {
        q = q.filter(glosas::fecha_limite_respuesta.ge(d));
    }
    if let Some(h) = f.vence_hasta {
        q = q.filter(glosas::fecha_limite_respuesta.le(h));
    }
    if let Some(x) = f.extemporanea {
        q = q.filter(glosas::extemporanea.eq(x));
    }
    if let Some(r) = &f.responsable_id {
        use super::schema::cobro_pagadores;
        let pagadores = cobro_pagadores::table
            .filter(
                cobro_pagadores::prestador_id
                    .eq(prestador_id)
                    .and(cobro_pagadores::responsable_id.eq(r)),
            )
            .select(cobro_pagadores::pagador_id);
        q = q.filter(
            glosas::factura_id.eq_any(
                facturas::table
                    .filter(
                        facturas::prestador_id
                            .eq(prestador_id)
                            .and(facturas::pagador_id.eq_any(pagadores)),
                    )
                    .select(facturas::id),
            ),
        );
    }
    q
}

/// The glosas that match, by answer due date (the most urgent first), a page of them, and
/// how many match.
pub fn listar(
    c: &mut AnyConnection,
    prestador_id: &str,
    f: &Filtro,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<Glosa>, i64)> {
    let total = filtrada(prestador_id, f).count().get_result(c)?;
    let items = filtrada(prestador_id, f)
        .order((glosas::fecha_limite_respuesta.asc(), glosas::id.asc()))
        .offset(offset)
        .limit(limit)
        .select(Glosa::as_select())
        .load(c)?;
    Ok((items, total))
}

/// Takes a voided glosa out of the live table (its copy stays in `correcciones`).
pub fn borrar(c: &mut AnyConnection, prestador_id: &str, id: &str, version: i32) -> QueryResult<usize> {
    diesel::delete(
        glosas::table.filter(
            glosas::prestador_id
                .eq(prestador_id)
                .and(glosas::id.eq(id))
                .and(glosas::version.eq(version)),
        ),
    )
    .execute(c)
}
