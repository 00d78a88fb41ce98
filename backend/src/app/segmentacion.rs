//! Payers ranked by risk and behaviour — how long they take to pay, how much they glose, the
//! agreements and acta commitments they broke, how much of their debt is overdue — each with the reasons shown.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate};
use diesel::prelude::*;
use rust_decimal::Decimal;
use serde::Serialize;
use utoipa::ToSchema;

use super::{Actor, AppError};
use crate::db::cartera::{Agrupar, Filtro, Flujo};
use crate::db::schema::{aplicaciones, facturas};
use crate::db::{self, cobro as dbc, AnyConnection, Db};
use crate::domain::cobro::{self, Comportamiento, EstadoAcuerdo, Etapa, NivelRiesgo};
use crate::domain::money::from_centavos;
use crate::domain::terminos::Terminos;

/// Behaviour is judged over the last year.
const VENTANA_DIAS: i64 = 365;

#[derive(Debug, Serialize, ToSchema)]
pub struct Segmento {
    pub pagador_id: String,
    pub pagador: String,
    pub tipo: String,
    pub etapa: Etapa,
    #[schema(value_type = String)]
    pub saldo: Decimal,
    #[schema(value_type = String)]
    pub vencido: Decimal,
    #[schema(value_type = Option<String>)]
    pub pct_vencida: Option<Decimal>,
    pub dias_mora_max: i64,
    /// Days from radicación to payment, weighted by value, over the last year.
    #[schema(value_type = Option<String>)]
    pub dias_pago: Option<Decimal>,
    /// Glosado / radicado over the last year, percent.
    #[schema(value_type = Option<String>)]
    pub pct_glosa: Option<Decimal>,
    pub acuerdos_incumplidos: i64,
    /// Commitments of actas de conciliación owed by the payer and broken.
    pub compromisos_incumplidos: i64,
    pub puntaje: u32,
    pub riesgo: NivelRiesgo,
    /// Why: one line per point-earning behaviour.
    pub razones: Vec<String>,
}

/// Weighted days to pay per payer: (Σ valor × días, Σ valor) over the payments applied since `desde`.
fn dias_pago(
    c: &mut AnyConnection,
    prestador_id: &str,
    desde: NaiveDate,
) -> Result<HashMap<String, (i128, i128)>, AppError> {
    let filas: Vec<(String, NaiveDate, Option<NaiveDate>, i64)> = aplicaciones::table
        .inner_join(facturas::table)
        .filter(
            aplicaciones::prestador_id
                .eq(prestador_id)
                .and(aplicaciones::fecha.ge(desde))
                .and(facturas::fecha_radicacion.is_not_null()),
        )
        .select((
            facturas::pagador_id,
            aplicaciones::fecha,
            facturas::fecha_radicacion,
            aplicaciones::valor,
        ))
        .load(c)?;
    let mut out: HashMap<String, (i128, i128)> = HashMap::new();
    for (p, pagado, radicado, valor) in filas {
        let Some(r) = radicado else { continue };
        let dias = (pagado - r).num_days().max(0) as i128;
        let x = out.entry(p).or_default();
        x.0 += valor as i128 * dias;
        x.1 += valor as i128;
    }
    Ok(out)
}

/// Every payer with a balance or history, riskiest first.
pub fn segmentar(db: &Db, t: &Terminos, actor: &Actor, hoy: NaiveDate) -> Result<Vec<Segmento>, AppError> {
    actor.exigir(super::cartera::LECTORES, "ver la segmentación de pagadores")?;
    let pid = &actor.prestador_id;
    let desde = hoy - Duration::days(VENTANA_DIAS);
    let acuerdos = super::cobro::acuerdos(db, actor, hoy, None)?;
    let (pagadores, etapas, deudas, dias, radicado, glosado, compromisos) = db.read(|c| {
        let (pagadores, _) = db::pagadores::listar(c, pid, &Default::default(), 0, i64::MAX)?;
        let etapas: HashMap<String, Etapa> = dbc::cobros(c, pid)?
            .into_iter()
            .map(|p| (p.pagador_id, p.etapa))
            .collect();
        // The same figures as the aging's at today (one definition: db::cartera::deuda_por_pagador).
        let deudas = db::cartera::deuda_por_pagador(c, pid, hoy, super::cartera::silencio(&t.reglas))?;
        let dias = dias_pago(c, pid, desde)?;
        let radicado = db::cartera::flujo(c, pid, Flujo::Radicado, desde, hoy, &Filtro::default())?;
        let glosado = db::cartera::glosas(
            c,
            pid,
            Agrupar::Pagador,
            desde,
            hoy,
            hoy,
            super::cartera::silencio(&t.reglas),
            &Filtro::default(),
        )?;
        let compromisos = super::actas::incumplidos_por_pagador(c, pid, hoy)?;
        Ok::<_, AppError>((pagadores, etapas, deudas, dias, radicado, glosado, compromisos))
    })?;
    let mut out: Vec<Segmento> = pagadores
        .into_iter()
        .filter_map(|p| {
            let deuda = deudas.iter().find(|d| d.pagador_id == p.id);
            let saldo = deuda.map_or(0, |d| d.saldo);
            let vencido = deuda.map_or(0, |d| d.vencido);
            let dias_mora_max = deuda
                .and_then(|d| d.primer_vencimiento)
                .map_or(0, |v| (hoy - v).num_days());
            let dias_pago = dias.get(&p.id).filter(|d| d.1 > 0).map(|(num, den)| {
                cobro::redondear(Decimal::from_i128_with_scale(*num, 0) / Decimal::from_i128_with_scale(*den, 0))
            });
            let rad = radicado.iter().find(|r| r.pagador_id == p.id).map_or(0, |r| r.valor);
            let glo = glosado.iter().find(|g| g.clave == p.id).map_or(0, |g| g.glosado);
            let incumplidos = acuerdos
                .iter()
                .filter(|a| a.pagador_id == p.id && a.estado == EstadoAcuerdo::Incumplido)
                .count() as i64;
            let compromisos_incumplidos = compromisos.get(&p.id).copied().unwrap_or(0);
            if saldo == 0 && rad == 0 && dias_pago.is_none() && incumplidos == 0 && compromisos_incumplidos == 0 {
                return None;
            }
            let comportamiento = Comportamiento {
                dias_pago,
                pct_glosa: cobro::porcentaje(glo, rad),
                acuerdos_incumplidos: incumplidos,
                compromisos_incumplidos,
                pct_vencida: cobro::porcentaje(vencido, saldo),
                dias_mora_max,
            };
            let (puntaje, riesgo, razones) = cobro::riesgo(&comportamiento);
            Some(Segmento {
                // A payer nobody has worked on yet is in the first stage.
                etapa: etapas.get(&p.id).copied().unwrap_or(Etapa::Preventiva),
                pagador_id: p.id,
                pagador: p.nombre,
                tipo: p.tipo.as_str().to_string(),
                saldo: from_centavos(saldo),
                vencido: from_centavos(vencido),
                pct_vencida: comportamiento.pct_vencida,
                dias_mora_max,
                dias_pago,
                pct_glosa: comportamiento.pct_glosa,
                acuerdos_incumplidos: incumplidos,
                compromisos_incumplidos,
                puntaje,
                riesgo,
                razones,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        b.puntaje
            .cmp(&a.puntaje)
            .then(b.vencido.cmp(&a.vencido))
            .then(a.pagador.cmp(&b.pagador))
    });
    Ok(out)
}
