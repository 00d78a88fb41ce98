//! Payments received and how they were applied to invoices.

use diesel::prelude::*;

use super::schema::{aplicaciones, pagos};
use super::AnyConnection;

#[derive(Debug, Clone, serde::Serialize, Queryable, Selectable, Insertable)]
#[diesel(table_name = pagos)]
pub struct Pago {
    pub id: String,
    pub prestador_id: String,
    pub pagador_id: String,
    pub fecha: chrono::NaiveDate,
    pub valor: i64,
    pub valor_aplicado: i64,
    pub referencia: String,
    pub medio: String,
    pub version: i32,
    pub creado_en: chrono::NaiveDateTime,
    /// The third party that paid on the payer's behalf (ADRES giro directo), if any.
    pub pagado_por_id: Option<String>,
}

#[derive(Debug, Clone, serde::Serialize, Queryable, Selectable, Insertable)]
#[diesel(table_name = aplicaciones)]
pub struct Aplicacion {
    pub id: String,
    pub prestador_id: String,
    pub pago_id: String,
    pub factura_id: String,
    pub valor: i64,
    pub fecha: chrono::NaiveDate,
    pub creado_en: chrono::NaiveDateTime,
    /// It recovered written-off cartera (undid that much of the castigo).
    pub recuperacion: bool,
}

pub fn insertar(c: &mut AnyConnection, p: &Pago) -> QueryResult<()> {
    diesel::insert_into(pagos::table).values(p).execute(c).map(|_| ())
}

pub fn insertar_aplicaciones(c: &mut AnyConnection, a: &[Aplicacion]) -> QueryResult<()> {
    super::insertar_en_lotes!(c, aplicaciones::table, a);
    Ok(())
}

pub fn por_id(c: &mut AnyConnection, prestador_id: &str, id: &str) -> QueryResult<Option<Pago>> {
    pagos::table
        .filter(pagos::prestador_id.eq(prestador_id).and(pagos::id.eq(id)))
        .select(Pago::as_select())
        .first(c)
        .optional()
}

pub fn aplicaciones(c: &mut AnyConnection, prestador_id: &str, pago_id: &str) -> QueryResult<Vec<Aplicacion>> {
    aplicaciones::table
        .filter(
            aplicaciones::prestador_id
                .eq(prestador_id)
                .and(aplicaciones::pago_id.eq(pago_id)),
        )
        .order(aplicaciones::creado_en.asc())
        .select(Aplicacion::as_select())
        .load(c)
}

/// Records more applied value if the payment is still at `version`.
pub fn sumar_aplicado(
    c: &mut AnyConnection,
    prestador_id: &str,
    id: &str,
    version: i32,
    aplicado: i64,
) -> QueryResult<usize> {
    diesel::update(
        pagos::table.filter(
            pagos::prestador_id
                .eq(prestador_id)
                .and(pagos::id.eq(id))
                .and(pagos::version.eq(version)),
        ),
    )
    .set((pagos::valor_aplicado.eq(aplicado), pagos::version.eq(version + 1)))
    .execute(c)
}

/// What a list of payments asks for.
#[derive(Debug, Clone, Default)]
pub struct Filtro {
    /// Who owes: the payer whose invoices the payment settles.
    pub pagador_id: Option<String>,
    /// Who paid on the debtor's behalf (ADRES giro directo).
    pub pagado_por_id: Option<String>,
    pub desde: Option<chrono::NaiveDate>,
    pub hasta: Option<chrono::NaiveDate>,
    /// Only payments with value not yet applied to invoices.
    pub sin_aplicar: bool,
}

/// The payments that match, the latest first, a page of them, and how many match.
pub fn listar(
    c: &mut AnyConnection,
    prestador_id: &str,
    f: &Filtro,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<Pago>, i64)> {
    let q = || {
        let mut q = pagos::table.filter(pagos::prestador_id.eq(prestador_id)).into_boxed();
        if let Some(p) = &f.pagador_id {
            q = q.filter(pagos::pagador_id.eq(p));
        }
        if let Some(p) = &f.pagado_por_id {
            q = q.filter(pagos::pagado_por_id.eq(p));
        }
        if let Some(d) = f.desde {
            q = q.filter(pagos::fecha.ge(d));
        }
        if let Some(h) = f.hasta {
            q = q.filter(pagos::fecha.le(h));
        }
        if f.sin_aplicar {
            q = q.filter(pagos::valor.gt(pagos::valor_aplicado));
        }
        q
    };
    let total = q().count().get_result(c)?;
    let items = q()
        .order((pagos::fecha.desc(), pagos::id.desc()))
        .offset(offset)
        .limit(limit)
        .select(Pago::as_select())
        .load(c)?;
    Ok((items, total))
}

/// Whether the payer already has a payment of this date, reference and value (the same
/// remittance imported again).
pub fn existe(
    c: &mut AnyConnection,
    prestador_id: &str,
    pagador_id: &str,
    fecha: chrono::NaiveDate,
    referencia: &str,
    valor: i64,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        pagos::table.filter(
            pagos::prestador_id
                .eq(prestador_id)
                .and(pagos::pagador_id.eq(pagador_id))
                .and(pagos::fecha.eq(fecha))
                .and(pagos::referencia.eq(referencia))
                .and(pagos::valor.eq(valor)),
        ),
    ))
    .get_result(c)
}

/// Takes a voided application out of the live table (its copy stays in `correcciones`).
pub fn borrar_aplicacion(c: &mut AnyConnection, prestador_id: &str, id: &str) -> QueryResult<usize> {
    diesel::delete(aplicaciones::table.filter(aplicaciones::prestador_id.eq(prestador_id).and(aplicaciones::id.eq(id))))
        .execute(c)
}

/// Takes a voided payment, already without applications, out of the live table.
pub fn borrar(c: &mut AnyConnection, prestador_id: &str, id: &str, version: i32) -> QueryResult<usize> {
    diesel::delete(
        pagos::table.filter(
            pagos::prestador_id
                .eq(prestador_id)
                .and(pagos::id.eq(id))
                .and(pagos::version.eq(version)),
        ),
    )
    .execute(c)
}

/// The applications to one invoice with their payments, in the order they were applied.
pub fn de_factura(c: &mut AnyConnection, prestador_id: &str, factura_id: &str) -> QueryResult<Vec<(Aplicacion, Pago)>> {
    let apls: Vec<Aplicacion> = aplicaciones::table
        .filter(
            aplicaciones::prestador_id
                .eq(prestador_id)
                .and(aplicaciones::factura_id.eq(factura_id)),
        )
        .order((aplicaciones::fecha.asc(), aplicaciones::creado_en.asc()))
        .select(Aplicacion::as_select())
        .load(c)?;
    let ids: Vec<&str> = apls.iter().map(|a| a.pago_id.as_str()).collect();
    let pagos_: Vec<Pago> = pagos::table
        .filter(pagos::prestador_id.eq(prestador_id).and(pagos::id.eq_any(ids)))
        .select(Pago::as_select())
        .load(c)?;
    Ok(apls
        .into_iter()
        .filter_map(|a| {
            let p = pagos_.iter().find(|p| p.id == a.pago_id)?.clone();
            Some((a, p))
        })
        .collect())
}
