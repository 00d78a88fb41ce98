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

/// What the audit log asks for; `desde`/`hasta` bound the Bogotá day an event was recorded.
#[derive(Debug, Clone, Default)]
pub struct Filtro {
    pub actor_id: Option<String>,
    pub tipo: Option<String>,
    pub factura_id: Option<String>,
    pub desde: Option<chrono::NaiveDate>,
    pub hasta: Option<chrono::NaiveDate>,
}

fn filtrada<'a>(prestador_id: &'a str, f: &'a Filtro) -> eventos::BoxedQuery<'a, super::DbBackend> {
    let mut q = eventos::table
        .filter(eventos::prestador_id.eq(prestador_id))
        .into_boxed();
    if let Some(a) = &f.actor_id {
        q = q.filter(eventos::actor_id.eq(a));
    }
    if let Some(t) = &f.tipo {
        q = q.filter(eventos::tipo.eq(t));
    }
    if let Some(id) = &f.factura_id {
        q = q.filter(eventos::factura_id.eq(id));
    }
    if let Some(d) = f.desde {
        q = q.filter(eventos::registrado_en.ge(super::inicio_del_dia_en_utc(d)));
    }
    if let Some(h) = f.hasta.and_then(|h| h.succ_opt()) {
        q = q.filter(eventos::registrado_en.lt(super::inicio_del_dia_en_utc(h)));
    }
    q
}

/// One entry of the audit log: the event, its invoice's number and who recorded it (e-mail).
pub struct Entrada {
    pub evento: Evento,
    pub numero_factura: String,
    pub usuario: String,
}

/// The events that match, the last recorded first, a page of them, and how many match.
pub fn listar(
    c: &mut AnyConnection,
    prestador_id: &str,
    f: &Filtro,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<Entrada>, i64)> {
    let total = filtrada(prestador_id, f).count().get_result(c)?;
    let filas: Vec<Evento> = filtrada(prestador_id, f)
        .order((eventos::registrado_en.desc(), eventos::id.desc()))
        .offset(offset)
        .limit(limit)
        .select(Evento::as_select())
        .load(c)?;
    let actores: Vec<&str> = filas.iter().map(|e| e.actor_id.as_str()).collect();
    let correos = super::usuarios::correos(c, prestador_id, &actores)?;
    let ids: Vec<&str> = filas.iter().map(|e| e.factura_id.as_str()).collect();
    let facturas = super::facturas::numeros_y_pagadores(c, prestador_id, &ids)?;
    let entradas = filas
        .into_iter()
        .map(|e| Entrada {
            numero_factura: facturas.get(&e.factura_id).map(|f| f.0.clone()).unwrap_or_default(),
            usuario: correos.get(&e.actor_id).cloned().unwrap_or_default(),
            evento: e,
        })
        .collect();
    Ok((entradas, total))
}
