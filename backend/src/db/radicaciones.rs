//! Radicaciones and devoluciones of invoices.

use diesel::prelude::*;

use super::schema::{devoluciones, radicaciones};
use super::AnyConnection;

#[derive(Debug, Clone, serde::Serialize, Queryable, Selectable, Insertable)]
#[diesel(table_name = radicaciones)]
pub struct Radicacion {
    pub id: String,
    pub prestador_id: String,
    pub factura_id: String,
    pub numero_radicado: String,
    pub fecha: chrono::NaiveDate,
    pub creado_en: chrono::NaiveDateTime,
}

#[derive(Debug, Clone, serde::Serialize, Queryable, Selectable, Insertable)]
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
    pub respuesta_codigo: Option<String>,
    pub respuesta_fecha: Option<chrono::NaiveDate>,
    pub respuesta_justificacion: Option<String>,
    /// `acepta_respuesta` or `reitera` (domain::devolucion::DecisionDevolucion).
    pub decision: Option<crate::domain::devolucion::DecisionDevolucion>,
    pub decision_fecha: Option<chrono::NaiveDate>,
    pub version: i32,
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

/// One devolución of the tenant.
pub fn devolucion_por_id(c: &mut AnyConnection, prestador_id: &str, id: &str) -> QueryResult<Option<Devolucion>> {
    devoluciones::table
        .filter(devoluciones::prestador_id.eq(prestador_id).and(devoluciones::id.eq(id)))
        .select(Devolucion::as_select())
        .first(c)
        .optional()
}

/// Saves the answer and the payer's decision of a devolución if nobody changed it since
/// `version`; returns the rows written (0: someone did).
pub fn guardar_devolucion(c: &mut AnyConnection, d: &Devolucion, version: i32) -> QueryResult<usize> {
    diesel::update(
        devoluciones::table.filter(
            devoluciones::prestador_id
                .eq(&d.prestador_id)
                .and(devoluciones::id.eq(&d.id))
                .and(devoluciones::version.eq(version)),
        ),
    )
    .set((
        devoluciones::respuesta_codigo.eq(&d.respuesta_codigo),
        devoluciones::respuesta_fecha.eq(d.respuesta_fecha),
        devoluciones::respuesta_justificacion.eq(&d.respuesta_justificacion),
        devoluciones::decision.eq(&d.decision),
        devoluciones::decision_fecha.eq(d.decision_fecha),
        devoluciones::version.eq(version + 1),
    ))
    .execute(c)
}

/// Devoluciones of the tenant that may still need someone to act: not decided by the payer,
/// or reiterated, on invoices not closed. Few at any time (one per invoice at most), for the
/// work lists.
/// Each with its invoice's (numero, pagador_id, estado as recorded).
pub fn abiertas(c: &mut AnyConnection, prestador_id: &str) -> QueryResult<Vec<(Devolucion, String, String, String)>> {
    use super::schema::facturas;
    devoluciones::table
        .inner_join(facturas::table)
        .filter(
            devoluciones::prestador_id
                .eq(prestador_id)
                // A reiterated devolución stands: the invoice is still to be radicated again.
                .and(
                    devoluciones::decision
                        .is_null()
                        .or(devoluciones::decision.eq(crate::domain::devolucion::DecisionDevolucion::Reitera)),
                )
                .and(facturas::estado.ne_all(["anulada", "castigada", "pagada"])),
        )
        .select((
            Devolucion::as_select(),
            facturas::numero,
            facturas::pagador_id,
            facturas::estado,
        ))
        .order((devoluciones::fecha.asc(), devoluciones::id.asc()))
        .limit(5000)
        .load(c)
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

/// What a list of devoluciones across invoices asks for.
#[derive(Debug, Clone, Default)]
pub struct FiltroDevoluciones {
    pub pagador_id: Option<String>,
    pub factura_id: Option<String>,
    pub codigo: Option<String>,
    pub desde: Option<chrono::NaiveDate>,
    pub hasta: Option<chrono::NaiveDate>,
    pub extemporanea: Option<bool>,
    /// Only those without the prestador's answer.
    pub sin_respuesta: bool,
}

fn devoluciones_filtradas<'a>(
    prestador_id: &'a str,
    f: &'a FiltroDevoluciones,
) -> devoluciones::BoxedQuery<'a, super::DbBackend> {
    use super::schema::facturas;
    let mut q = devoluciones::table
        .filter(devoluciones::prestador_id.eq(prestador_id))
        .into_boxed();
    if let Some(p) = &f.pagador_id {
        q = q.filter(
            devoluciones::factura_id.eq_any(
                facturas::table
                    .filter(facturas::prestador_id.eq(prestador_id).and(facturas::pagador_id.eq(p)))
                    .select(facturas::id),
            ),
        );
    }
    if let Some(id) = &f.factura_id {
        q = q.filter(devoluciones::factura_id.eq(id));
    }
    if let Some(c) = &f.codigo {
        q = q.filter(devoluciones::codigo.eq(c));
    }
    if let Some(d) = f.desde {
        q = q.filter(devoluciones::fecha.ge(d));
    }
    if let Some(h) = f.hasta {
        q = q.filter(devoluciones::fecha.le(h));
    }
    if let Some(x) = f.extemporanea {
        q = q.filter(devoluciones::extemporanea.eq(x));
    }
    if f.sin_respuesta {
        q = q.filter(devoluciones::respuesta_codigo.is_null());
    }
    q
}

/// The devoluciones that match, the latest first, a page of them, and how many match.
pub fn listar_devoluciones(
    c: &mut AnyConnection,
    prestador_id: &str,
    f: &FiltroDevoluciones,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<Devolucion>, i64)> {
    let total = devoluciones_filtradas(prestador_id, f).count().get_result(c)?;
    let items = devoluciones_filtradas(prestador_id, f)
        .order((devoluciones::fecha.desc(), devoluciones::id.desc()))
        .offset(offset)
        .limit(limit)
        .select(Devolucion::as_select())
        .load(c)?;
    Ok((items, total))
}

/// Takes a voided radicación out of the live table (its copy stays in `correcciones`).
pub fn borrar(c: &mut AnyConnection, prestador_id: &str, id: &str) -> QueryResult<usize> {
    diesel::delete(radicaciones::table.filter(radicaciones::prestador_id.eq(prestador_id).and(radicaciones::id.eq(id))))
        .execute(c)
}

/// Takes a voided devolución out of the live table (its copy stays in `correcciones`).
pub fn borrar_devolucion(c: &mut AnyConnection, prestador_id: &str, id: &str, version: i32) -> QueryResult<usize> {
    diesel::delete(
        devoluciones::table.filter(
            devoluciones::prestador_id
                .eq(prestador_id)
                .and(devoluciones::id.eq(id))
                .and(devoluciones::version.eq(version)),
        ),
    )
    .execute(c)
}
