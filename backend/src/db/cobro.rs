//! Gestión de cobro: each payer's stage and contact, the stage history, the log of actions,
//! payment agreements with their instalments, and payers' statements of account.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::{
    acuerdo_facturas, acuerdos_pago, aplicaciones, cobro_pagadores, cuotas, estado_cuenta_filas, estados_cuenta,
    etapas, gestion_facturas, gestiones,
};
use super::AnyConnection;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = cobro_pagadores)]
pub struct CobroPagador {
    pub pagador_id: String,
    pub prestador_id: String,
    pub etapa: crate::domain::cobro::Etapa,
    pub email_contacto: Option<String>,
    pub responsable_id: Option<String>,
    pub version: i32,
    pub actualizado_en: NaiveDateTime,
}

/// The payer's collection record; payers nobody has worked yet have none.
pub fn cobro_de(c: &mut AnyConnection, prestador_id: &str, pagador_id: &str) -> QueryResult<Option<CobroPagador>> {
    cobro_pagadores::table
        .filter(
            cobro_pagadores::prestador_id
                .eq(prestador_id)
                .and(cobro_pagadores::pagador_id.eq(pagador_id)),
        )
        .select(CobroPagador::as_select())
        .first(c)
        .optional()
}

pub fn cobros(c: &mut AnyConnection, prestador_id: &str) -> QueryResult<Vec<CobroPagador>> {
    cobro_pagadores::table
        .filter(cobro_pagadores::prestador_id.eq(prestador_id))
        .select(CobroPagador::as_select())
        .load(c)
}

/// Inserts the record, or writes it if still at `version`; returns the rows changed (0 = a
/// concurrent edit won).
pub fn guardar_cobro(c: &mut AnyConnection, p: &CobroPagador, version: Option<i32>) -> QueryResult<usize> {
    match version {
        None => diesel::insert_into(cobro_pagadores::table).values(p).execute(c),
        Some(v) => diesel::update(
            cobro_pagadores::table.filter(
                cobro_pagadores::prestador_id
                    .eq(&p.prestador_id)
                    .and(cobro_pagadores::pagador_id.eq(&p.pagador_id))
                    .and(cobro_pagadores::version.eq(v)),
            ),
        )
        .set((
            cobro_pagadores::etapa.eq(&p.etapa),
            cobro_pagadores::email_contacto.eq(&p.email_contacto),
            cobro_pagadores::responsable_id.eq(&p.responsable_id),
            cobro_pagadores::version.eq(v + 1),
            cobro_pagadores::actualizado_en.eq(p.actualizado_en),
        ))
        .execute(c),
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = etapas)]
pub struct CambioEtapa {
    pub id: String,
    pub prestador_id: String,
    pub pagador_id: String,
    pub etapa: crate::domain::cobro::Etapa,
    pub anterior: crate::domain::cobro::Etapa,
    pub origen: String,
    pub motivo: String,
    pub fecha: NaiveDate,
    pub actor_id: String,
    pub registrado_en: NaiveDateTime,
}

pub fn insertar_etapa(c: &mut AnyConnection, e: &CambioEtapa) -> QueryResult<()> {
    diesel::insert_into(etapas::table).values(e).execute(c).map(|_| ())
}

pub fn etapas_de(c: &mut AnyConnection, prestador_id: &str, pagador_id: &str) -> QueryResult<Vec<CambioEtapa>> {
    etapas::table
        .filter(
            etapas::prestador_id
                .eq(prestador_id)
                .and(etapas::pagador_id.eq(pagador_id)),
        )
        .order((etapas::registrado_en.asc(), etapas::id.asc()))
        .select(CambioEtapa::as_select())
        .load(c)
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = gestiones)]
pub struct Gestion {
    pub id: String,
    pub prestador_id: String,
    pub pagador_id: String,
    pub tipo: crate::domain::cobro::TipoGestion,
    pub fecha: NaiveDate,
    pub contacto: String,
    pub resultado: String,
    pub compromiso: String,
    pub proximo_paso: String,
    pub fecha_proximo_paso: Option<NaiveDate>,
    pub actor_id: String,
    pub registrado_en: NaiveDateTime,
    /// Recorded by Trazo itself (a reminder's e-mail), not by a person.
    pub automatica: bool,
}

pub fn insertar_gestion(c: &mut AnyConnection, g: &Gestion, facturas: &[String]) -> QueryResult<()> {
    diesel::insert_into(gestiones::table).values(g).execute(c)?;
    // A reminder names every open invoice of the payer: one INSERT per batch, not per invoice.
    let filas: Vec<_> = facturas
        .iter()
        .map(|f| {
            (
                gestion_facturas::gestion_id.eq(g.id.clone()),
                gestion_facturas::factura_id.eq(f.clone()),
                gestion_facturas::prestador_id.eq(g.prestador_id.clone()),
            )
        })
        .collect();
    super::insertar_en_lotes!(c, gestion_facturas::table, filas);
    Ok(())
}

/// An action and the invoices it named.
pub type GestionConFacturas = (Gestion, Vec<String>);

/// Per payer: (pagador_id, date of its latest gestión, the agreed next step still pending, its
/// date).
pub type UltimaGestion = (String, NaiveDate, String, Option<NaiveDate>);

/// The payer's actions, newest first, each with the invoices it named.
pub fn gestiones_de(
    c: &mut AnyConnection,
    prestador_id: &str,
    pagador_id: &str,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<GestionConFacturas>, i64)> {
    let filtro = gestiones::prestador_id
        .eq(prestador_id)
        .and(gestiones::pagador_id.eq(pagador_id));
    let total = gestiones::table.filter(filtro).count().get_result(c)?;
    let filas: Vec<Gestion> = gestiones::table
        .filter(filtro)
        .order((gestiones::fecha.desc(), gestiones::registrado_en.desc()))
        .offset(offset)
        .limit(limit)
        .select(Gestion::as_select())
        .load(c)?;
    let ids: Vec<&String> = filas.iter().map(|g| &g.id).collect();
    let pares: Vec<(String, String)> = gestion_facturas::table
        .filter(
            gestion_facturas::prestador_id
                .eq(prestador_id)
                .and(gestion_facturas::gestion_id.eq_any(ids)),
        )
        .select((gestion_facturas::gestion_id, gestion_facturas::factura_id))
        .load(c)?;
    let items = filas
        .into_iter()
        .map(|g| {
            let f = pares
                .iter()
                .filter(|(gid, _)| *gid == g.id)
                .map(|(_, f)| f.clone())
                .collect();
            (g, f)
        })
        .collect();
    Ok((items, total))
}

/// The latest action of each payer of the prestador.
pub fn ultimas_gestiones(c: &mut AnyConnection, prestador_id: &str) -> QueryResult<Vec<UltimaGestion>> {
    type Fila = (String, NaiveDate, NaiveDateTime, String, Option<NaiveDate>, bool);
    let filas: Vec<Fila> = gestiones::table
        .filter(gestiones::prestador_id.eq(prestador_id))
        .order((
            gestiones::pagador_id.asc(),
            gestiones::fecha.desc(),
            gestiones::registrado_en.desc(),
        ))
        .select((
            gestiones::pagador_id,
            gestiones::fecha,
            gestiones::registrado_en,
            gestiones::proximo_paso,
            gestiones::fecha_proximo_paso,
            gestiones::automatica,
        ))
        .load(c)?;
    let mut out: Vec<UltimaGestion> = Vec::new();
    for grupo in filas.chunk_by(|a, b| a.0 == b.0) {
        // Newest first. The pending step is the newest one agreed, unless a person recorded a
        // gestión after it without a new step (it reports what came of it): Trazo's own
        // gestiones (a reminder) never erase a person's agreement.
        let (pagador, ultima) = (grupo[0].0.clone(), grupo[0].1);
        let mut pendiente = (String::new(), None);
        for (_, _, _, paso, fecha_paso, automatica) in grupo {
            if !paso.is_empty() || fecha_paso.is_some() {
                pendiente = (paso.clone(), *fecha_paso);
                break;
            }
            if !automatica {
                break;
            }
        }
        out.push((pagador, ultima, pendiente.0, pendiente.1));
    }
    Ok(out)
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = acuerdos_pago)]
pub struct Acuerdo {
    pub id: String,
    pub prestador_id: String,
    pub pagador_id: String,
    pub numero: String,
    pub fecha: NaiveDate,
    pub valor: i64,
    pub observacion: String,
    pub actor_id: String,
    pub creado_en: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = cuotas)]
pub struct Cuota {
    pub id: String,
    pub prestador_id: String,
    pub acuerdo_id: String,
    pub numero: i32,
    pub fecha_vencimiento: NaiveDate,
    pub valor: i64,
}

pub fn insertar_acuerdo(c: &mut AnyConnection, a: &Acuerdo, facturas: &[String], cs: &[Cuota]) -> QueryResult<()> {
    diesel::insert_into(acuerdos_pago::table).values(a).execute(c)?;
    let filas: Vec<_> = facturas
        .iter()
        .map(|f| {
            (
                acuerdo_facturas::acuerdo_id.eq(a.id.clone()),
                acuerdo_facturas::factura_id.eq(f.clone()),
                acuerdo_facturas::prestador_id.eq(a.prestador_id.clone()),
            )
        })
        .collect();
    super::insertar_en_lotes!(c, acuerdo_facturas::table, filas);
    super::insertar_en_lotes!(c, cuotas::table, cs);
    Ok(())
}

pub fn acuerdo_por_numero(c: &mut AnyConnection, prestador_id: &str, numero: &str) -> QueryResult<Option<Acuerdo>> {
    acuerdos_pago::table
        .filter(
            acuerdos_pago::prestador_id
                .eq(prestador_id)
                .and(acuerdos_pago::numero.eq(numero)),
        )
        .select(Acuerdo::as_select())
        .first(c)
        .optional()
}

/// Agreements of the prestador (of one payer if given), oldest first.
pub fn acuerdos(c: &mut AnyConnection, prestador_id: &str, pagador_id: Option<&str>) -> QueryResult<Vec<Acuerdo>> {
    let mut q = acuerdos_pago::table
        .filter(acuerdos_pago::prestador_id.eq(prestador_id))
        .into_boxed();
    if let Some(p) = pagador_id {
        q = q.filter(acuerdos_pago::pagador_id.eq(p));
    }
    q.order((acuerdos_pago::fecha.asc(), acuerdos_pago::id.asc()))
        .select(Acuerdo::as_select())
        .load(c)
}

pub fn acuerdo(c: &mut AnyConnection, prestador_id: &str, id: &str) -> QueryResult<Option<Acuerdo>> {
    acuerdos_pago::table
        .filter(
            acuerdos_pago::prestador_id
                .eq(prestador_id)
                .and(acuerdos_pago::id.eq(id)),
        )
        .select(Acuerdo::as_select())
        .first(c)
        .optional()
}

/// An agreement's instalments in order, its invoices, and the payments applied to those
/// invoices from its date: (fecha, valor).
pub type DetalleAcuerdo = (Vec<Cuota>, Vec<String>, Vec<(NaiveDate, i64)>);

pub fn detalle_acuerdo(c: &mut AnyConnection, a: &Acuerdo) -> QueryResult<DetalleAcuerdo> {
    let cs = cuotas::table
        .filter(
            cuotas::prestador_id
                .eq(&a.prestador_id)
                .and(cuotas::acuerdo_id.eq(&a.id)),
        )
        .order(cuotas::numero.asc())
        .select(Cuota::as_select())
        .load(c)?;
    let facturas: Vec<String> = acuerdo_facturas::table
        .filter(
            acuerdo_facturas::prestador_id
                .eq(&a.prestador_id)
                .and(acuerdo_facturas::acuerdo_id.eq(&a.id)),
        )
        .select(acuerdo_facturas::factura_id)
        .load(c)?;
    let pagos = aplicaciones::table
        .filter(
            aplicaciones::prestador_id
                .eq(&a.prestador_id)
                .and(aplicaciones::factura_id.eq_any(&facturas))
                .and(aplicaciones::fecha.ge(a.fecha)),
        )
        .select((aplicaciones::fecha, aplicaciones::valor))
        .load(c)?;
    Ok((cs, facturas, pagos))
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = estados_cuenta)]
pub struct EstadoCuenta {
    pub id: String,
    pub prestador_id: String,
    pub pagador_id: String,
    pub corte: NaiveDate,
    pub archivo: String,
    pub hash: String,
    pub actor_id: String,
    pub creado_en: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = estado_cuenta_filas)]
pub struct FilaEstadoCuenta {
    pub id: String,
    pub prestador_id: String,
    pub estado_cuenta_id: String,
    pub fila: i32,
    pub numero_factura: String,
    pub valor_factura: Option<i64>,
    pub valor_glosado: Option<i64>,
    pub valor_pagado: Option<i64>,
    pub saldo: i64,
}

pub fn insertar_estado_cuenta(c: &mut AnyConnection, e: &EstadoCuenta, filas: &[FilaEstadoCuenta]) -> QueryResult<()> {
    diesel::insert_into(estados_cuenta::table).values(e).execute(c)?;
    super::insertar_en_lotes!(c, estado_cuenta_filas::table, filas);
    Ok(())
}

pub fn estado_cuenta_por_hash(
    c: &mut AnyConnection,
    prestador_id: &str,
    pagador_id: &str,
    hash: &str,
) -> QueryResult<Option<EstadoCuenta>> {
    estados_cuenta::table
        .filter(
            estados_cuenta::prestador_id
                .eq(prestador_id)
                .and(estados_cuenta::pagador_id.eq(pagador_id))
                .and(estados_cuenta::hash.eq(hash)),
        )
        .select(EstadoCuenta::as_select())
        .first(c)
        .optional()
}

pub fn estado_cuenta(
    c: &mut AnyConnection,
    prestador_id: &str,
    id: &str,
) -> QueryResult<Option<(EstadoCuenta, Vec<FilaEstadoCuenta>)>> {
    let Some(e) = estados_cuenta::table
        .filter(
            estados_cuenta::prestador_id
                .eq(prestador_id)
                .and(estados_cuenta::id.eq(id)),
        )
        .select(EstadoCuenta::as_select())
        .first(c)
        .optional()?
    else {
        return Ok(None);
    };
    let filas = estado_cuenta_filas::table
        .filter(
            estado_cuenta_filas::prestador_id
                .eq(prestador_id)
                .and(estado_cuenta_filas::estado_cuenta_id.eq(id)),
        )
        .order(estado_cuenta_filas::fila.asc())
        .select(FilaEstadoCuenta::as_select())
        .load(c)?;
    Ok(Some((e, filas)))
}

/// The payer's invoices with something owed (not annulled or written off): what a stage,
/// an agreement or a reminder is about.
pub fn abiertas(
    c: &mut AnyConnection,
    prestador_id: &str,
    pagador_id: &str,
) -> QueryResult<Vec<super::facturas::Factura>> {
    use super::schema::facturas;
    facturas::table
        .filter(
            facturas::prestador_id
                .eq(prestador_id)
                .and(facturas::pagador_id.eq(pagador_id))
                .and(facturas::saldo.gt(0))
                .and(facturas::estado.ne_all(["anulada", "castigada"])),
        )
        .order((facturas::fecha_expedicion.asc(), facturas::numero.asc()))
        .select(super::facturas::Factura::as_select())
        .load(c)
}

/// A received statement in the history: the statement, its rows, what the payer says is
/// owed in all (centavos) and who received it (e-mail).
pub struct EstadoCuentaRecibido {
    pub estado: EstadoCuenta,
    pub filas: i64,
    pub saldo_pagador: i64,
    pub usuario: String,
}

/// The statements received, the latest cut-off first, of one payer or all, with cut-offs
/// between `desde` and `hasta`; a page of them and how many match.
pub fn estados_cuenta(
    c: &mut AnyConnection,
    prestador_id: &str,
    pagador_id: Option<&str>,
    desde: Option<NaiveDate>,
    hasta: Option<NaiveDate>,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<EstadoCuentaRecibido>, i64)> {
    let q = || {
        let mut q = estados_cuenta::table
            .filter(estados_cuenta::prestador_id.eq(prestador_id))
            .into_boxed();
        if let Some(p) = pagador_id {
            q = q.filter(estados_cuenta::pagador_id.eq(p));
        }
        if let Some(d) = desde {
            q = q.filter(estados_cuenta::corte.ge(d));
        }
        if let Some(h) = hasta {
            q = q.filter(estados_cuenta::corte.le(h));
        }
        q
    };
    let total = q().count().get_result(c)?;
    let estados: Vec<EstadoCuenta> = q()
        .order((estados_cuenta::corte.desc(), estados_cuenta::creado_en.desc()))
        .offset(offset)
        .limit(limit)
        .select(EstadoCuenta::as_select())
        .load(c)?;
    let ids: Vec<&str> = estados.iter().map(|e| e.id.as_str()).collect();
    let sumas: std::collections::HashMap<String, (i64, i64)> = estado_cuenta_filas::table
        .filter(
            estado_cuenta_filas::prestador_id
                .eq(prestador_id)
                .and(estado_cuenta_filas::estado_cuenta_id.eq_any(&ids)),
        )
        .select((estado_cuenta_filas::estado_cuenta_id, estado_cuenta_filas::saldo))
        .load::<(String, i64)>(c)?
        .into_iter()
        .fold(Default::default(), |mut m, (id, saldo)| {
            let s = m.entry(id).or_insert((0, 0));
            *s = (s.0 + 1, s.1 + saldo);
            m
        });
    let actores: Vec<&str> = estados.iter().map(|e| e.actor_id.as_str()).collect();
    let correos = super::usuarios::correos(c, prestador_id, &actores)?;
    let items = estados
        .into_iter()
        .map(|e| {
            let (filas, saldo_pagador) = sumas.get(&e.id).copied().unwrap_or((0, 0));
            EstadoCuentaRecibido {
                usuario: correos.get(&e.actor_id).cloned().unwrap_or_default(),
                filas,
                saldo_pagador,
                estado: e,
            }
        })
        .collect();
    Ok((items, total))
}
