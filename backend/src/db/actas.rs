//! Actas de conciliación de cartera, their invoices and the commitments they leave.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::{acta_facturas, actas, compromisos};
use super::AnyConnection;
use crate::domain::acta::{Parte, ResultadoActa};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = actas)]
pub struct Acta {
    pub id: String,
    pub prestador_id: String,
    pub pagador_id: String,
    pub numero: String,
    pub fecha: NaiveDate,
    pub corte: NaiveDate,
    pub estado_cuenta_id: Option<String>,
    pub lugar: String,
    /// JSON: `[{"nombre", "cargo", "entidad"}]`.
    pub participantes: String,
    pub observaciones: String,
    pub acuerdo_id: Option<String>,
    pub actor_id: String,
    pub creado_en: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = acta_facturas)]
pub struct ActaFactura {
    pub id: String,
    pub prestador_id: String,
    pub acta_id: String,
    pub factura_id: String,
    pub resultado: ResultadoActa,
    pub valor: i64,
    pub fecha_compromiso: Option<NaiveDate>,
    pub saldo_prestador: i64,
    pub saldo_pagador: Option<i64>,
    pub nota: String,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = compromisos)]
pub struct Compromiso {
    pub id: String,
    pub prestador_id: String,
    pub acta_id: String,
    pub pagador_id: String,
    pub factura_id: Option<String>,
    pub responsable: Parte,
    pub descripcion: String,
    pub vence: NaiveDate,
    pub cumplido_en: Option<NaiveDate>,
    pub cumplido_por: Option<String>,
}

pub fn insertar(c: &mut AnyConnection, a: &Acta, lineas: &[ActaFactura], cs: &[Compromiso]) -> QueryResult<()> {
    diesel::insert_into(actas::table).values(a).execute(c)?;
    for l in lineas {
        diesel::insert_into(acta_facturas::table).values(l).execute(c)?;
    }
    for x in cs {
        diesel::insert_into(compromisos::table).values(x).execute(c)?;
    }
    Ok(())
}

/// Records the agreement the acta's payable lines became (written after the acta, which the
/// agreement does not know).
pub fn poner_acuerdo(c: &mut AnyConnection, prestador_id: &str, id: &str, acuerdo_id: &str) -> QueryResult<usize> {
    diesel::update(actas::table.filter(actas::prestador_id.eq(prestador_id).and(actas::id.eq(id))))
        .set(actas::acuerdo_id.eq(acuerdo_id))
        .execute(c)
}

pub fn por_id(c: &mut AnyConnection, prestador_id: &str, id: &str) -> QueryResult<Option<Acta>> {
    actas::table
        .filter(actas::prestador_id.eq(prestador_id).and(actas::id.eq(id)))
        .select(Acta::as_select())
        .first(c)
        .optional()
}

pub fn por_numero(c: &mut AnyConnection, prestador_id: &str, numero: &str) -> QueryResult<Option<Acta>> {
    actas::table
        .filter(actas::prestador_id.eq(prestador_id).and(actas::numero.eq(numero)))
        .select(Acta::as_select())
        .first(c)
        .optional()
}

/// The prestador's actas, of one payer if given, the latest first.
pub fn listar(c: &mut AnyConnection, prestador_id: &str, pagador_id: Option<&str>) -> QueryResult<Vec<Acta>> {
    let mut q = actas::table
        .filter(actas::prestador_id.eq(prestador_id))
        .select(Acta::as_select())
        .order((actas::fecha.desc(), actas::creado_en.desc()))
        .into_boxed();
    if let Some(p) = pagador_id {
        q = q.filter(actas::pagador_id.eq(p.to_string()));
    }
    q.load(c)
}

/// The acta's invoices in the order they were agreed.
pub fn lineas(c: &mut AnyConnection, prestador_id: &str, acta_id: &str) -> QueryResult<Vec<ActaFactura>> {
    acta_facturas::table
        .filter(
            acta_facturas::prestador_id
                .eq(prestador_id)
                .and(acta_facturas::acta_id.eq(acta_id)),
        )
        .order(acta_facturas::id.asc())
        .select(ActaFactura::as_select())
        .load(c)
}

pub fn compromisos_de(c: &mut AnyConnection, prestador_id: &str, acta_id: &str) -> QueryResult<Vec<Compromiso>> {
    compromisos::table
        .filter(
            compromisos::prestador_id
                .eq(prestador_id)
                .and(compromisos::acta_id.eq(acta_id)),
        )
        .order((compromisos::vence.asc(), compromisos::id.asc()))
        .select(Compromiso::as_select())
        .load(c)
}

/// Commitments not fulfilled that fall due on or before `hasta` (overdue ones included).
pub fn abiertos_hasta(c: &mut AnyConnection, prestador_id: &str, hasta: NaiveDate) -> QueryResult<Vec<Compromiso>> {
    compromisos::table
        .filter(
            compromisos::prestador_id
                .eq(prestador_id)
                .and(compromisos::cumplido_en.is_null())
                .and(compromisos::vence.le(hasta)),
        )
        .order((compromisos::vence.asc(), compromisos::id.asc()))
        .select(Compromiso::as_select())
        .load(c)
}

/// Commitments owed by `responsable` that fell due before `hoy`: the broken ones are among
/// them (open, or fulfilled late).
pub fn vencidos_de(
    c: &mut AnyConnection,
    prestador_id: &str,
    responsable: Parte,
    hoy: NaiveDate,
) -> QueryResult<Vec<Compromiso>> {
    compromisos::table
        .filter(
            compromisos::prestador_id
                .eq(prestador_id)
                .and(compromisos::responsable.eq(responsable))
                .and(compromisos::vence.lt(hoy)),
        )
        .select(Compromiso::as_select())
        .load(c)
}

pub fn compromiso(c: &mut AnyConnection, prestador_id: &str, id: &str) -> QueryResult<Option<Compromiso>> {
    compromisos::table
        .filter(compromisos::prestador_id.eq(prestador_id).and(compromisos::id.eq(id)))
        .select(Compromiso::as_select())
        .first(c)
        .optional()
}

/// Marks it fulfilled if it was not yet; returns the rows changed (0 = someone did first).
pub fn cumplir(
    c: &mut AnyConnection,
    prestador_id: &str,
    id: &str,
    fecha: NaiveDate,
    usuario_id: &str,
) -> QueryResult<usize> {
    diesel::update(
        compromisos::table.filter(
            compromisos::prestador_id
                .eq(prestador_id)
                .and(compromisos::id.eq(id))
                .and(compromisos::cumplido_en.is_null()),
        ),
    )
    .set((
        compromisos::cumplido_en.eq(fecha),
        compromisos::cumplido_por.eq(usuario_id),
    ))
    .execute(c)
}
