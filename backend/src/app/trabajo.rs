//! The daily work list of a cartera user: the glosas to answer, the agreement instalments
//! and the commitments of actas de conciliación falling due, and the payers to call — of the payers assigned to that user and of those
//! nobody has been assigned, so nothing falls between chairs.

use chrono::{Duration, NaiveDate};
use rust_decimal::Decimal;
use serde::Serialize;
use utoipa::ToSchema;

use super::reportes::{self, Alerta};
use super::{Actor, AppError};
use crate::db::{self, cobro as dbc, Db};
use crate::domain::cobro::{EstadoCuota, Etapa};
use crate::domain::money::from_centavos;
use crate::domain::terminos::Terminos;

/// A payer whose debt is overdue with no action for this long needs a call.
const DIAS_SIN_GESTION: i64 = 15;

#[derive(Debug, Serialize, ToSchema)]
pub struct CuotaPorVencer {
    pub acuerdo_id: String,
    pub acuerdo: String,
    pub pagador_id: String,
    pub cuota: i32,
    pub vence: NaiveDate,
    pub vencida: bool,
    /// What is still missing of it.
    #[schema(value_type = String)]
    pub pendiente: Decimal,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PagadorPorLlamar {
    pub pagador_id: String,
    pub pagador: String,
    pub etapa: Etapa,
    #[schema(value_type = String)]
    pub vencido: Decimal,
    pub ultima_gestion: Option<NaiveDate>,
    /// Why it is on the list.
    pub motivo: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ListaTrabajo {
    pub hoy: NaiveDate,
    pub hasta: NaiveDate,
    /// Glosas and devoluciones to act on: answers due or overdue (RE9502, RE9501 included),
    /// payer decisions overdue, subsanaciones, notas crédito due.
    pub glosas: Vec<Alerta>,
    pub cuotas: Vec<CuotaPorVencer>,
    /// Commitments of actas de conciliación not fulfilled, due in the window or overdue
    /// (`estado` `vencido`: broken).
    pub compromisos: Vec<super::actas::CompromisoVista>,
    pub llamar: Vec<PagadorPorLlamar>,
}

/// The list of the calling user for the next `dias` días hábiles.
pub fn lista(db: &Db, t: &Terminos, actor: &Actor, dias: u32, hoy: NaiveDate) -> Result<ListaTrabajo, AppError> {
    actor.exigir(super::cobro::GESTORES, "ver la lista de trabajo de cartera")?;
    let alertas = reportes::alertas(db, t, actor, dias, hoy)?;
    lista_con(db, t, actor, alertas, hoy)
}

/// The instalments and payers to call for the next `dias` días hábiles, without the glosas
/// (Mi bandeja lists those in its own table, and loads this after them).
pub fn sin_glosas(db: &Db, t: &Terminos, actor: &Actor, dias: u32, hoy: NaiveDate) -> Result<ListaTrabajo, AppError> {
    let ninguna = reportes::Alertas {
        hoy,
        hasta: crate::domain::calendario::add_dias_habiles(hoy, dias),
        ..Default::default()
    };
    lista_con(db, t, actor, ninguna, hoy)
}

/// The same list from alerts already computed for the same window (Mi bandeja shows both).
pub fn lista_con(
    db: &Db,
    t: &Terminos,
    actor: &Actor,
    alertas: reportes::Alertas,
    hoy: NaiveDate,
) -> Result<ListaTrabajo, AppError> {
    actor.exigir(super::cobro::GESTORES, "ver la lista de trabajo de cartera")?;
    let hasta = alertas.hasta;
    let pid = &actor.prestador_id;
    let (pagadores, cobros, vencidos, ultimas, compromisos) = db.read(|c| {
        let (pagadores, _) = db::pagadores::listar(c, pid, &Default::default(), 0, i64::MAX)?;
        Ok::<_, AppError>((
            pagadores,
            dbc::cobros(c, pid)?,
            db::cartera::deuda_por_pagador(c, pid, hoy, super::cartera::silencio(&t.reglas))?,
            dbc::ultimas_gestiones(c, pid)?,
            super::actas::por_cumplir(c, pid, hoy, hasta)?,
        ))
    })?;
    // Mine, or nobody's.
    let mios: Vec<&db::pagadores::Pagador> = pagadores
        .iter()
        .filter(|p| {
            cobros
                .iter()
                .find(|c| c.pagador_id == p.id)
                .and_then(|c| c.responsable_id.as_deref())
                .is_none_or(|r| r == actor.usuario_id)
        })
        .collect();
    let es_mio = |id: &str| mios.iter().any(|p| p.id == id);
    let glosas = alertas
        .items
        .into_iter()
        .filter(|a| a.tipo.de_glosa_o_devolucion() && es_mio(&a.pagador_id))
        .collect();
    let mut cuotas = Vec::new();
    for a in super::cobro::acuerdos(db, actor, hoy, None)? {
        if !es_mio(&a.pagador_id) {
            continue;
        }
        for q in &a.cuotas {
            let abierta = matches!(
                q.estado,
                EstadoCuota::Vencida | EstadoCuota::Pendiente | EstadoCuota::Parcial
            );
            if abierta && (q.estado == EstadoCuota::Vencida || q.fecha_vencimiento <= hasta) {
                cuotas.push(CuotaPorVencer {
                    acuerdo_id: a.id.clone(),
                    acuerdo: a.numero.clone(),
                    pagador_id: a.pagador_id.clone(),
                    cuota: q.numero,
                    vence: q.fecha_vencimiento,
                    vencida: q.estado == EstadoCuota::Vencida,
                    pendiente: q.valor - q.pagado,
                });
            }
        }
    }
    cuotas.sort_by(|a, b| a.vence.cmp(&b.vence).then(a.acuerdo.cmp(&b.acuerdo)));
    let compromisos = compromisos.into_iter().filter(|x| es_mio(&x.pagador_id)).collect();
    let mut llamar = Vec::new();
    for p in mios {
        let etapa = cobros
            .iter()
            .find(|c| c.pagador_id == p.id)
            .map(|c| c.etapa)
            // A payer nobody has worked on yet is in the first stage.
            .unwrap_or(Etapa::Preventiva);
        let vencido = vencidos.iter().find(|v| v.pagador_id == p.id).map_or(0, |v| v.vencido);
        let ultima = ultimas.iter().find(|u| u.0 == p.id);
        let motivo = match ultima {
            Some((_, _, paso, Some(f))) if *f <= hasta => Some(if paso.is_empty() {
                format!("próximo paso acordado para el {f}")
            } else {
                format!("próximo paso acordado para el {f}: {paso}")
            }),
            _ if vencido == 0 => None,
            None => Some("tiene saldo vencido y ninguna gestión registrada".to_string()),
            Some((_, f, _, _)) if hoy - *f >= Duration::days(DIAS_SIN_GESTION) => Some(format!(
                "tiene saldo vencido y su última gestión fue el {f} (hace {} días)",
                (hoy - *f).num_days()
            )),
            _ => None,
        };
        if let Some(motivo) = motivo {
            llamar.push(PagadorPorLlamar {
                pagador_id: p.id.clone(),
                pagador: p.nombre.clone(),
                etapa,
                vencido: from_centavos(vencido),
                ultima_gestion: ultima.map(|u| u.1),
                motivo,
            });
        }
    }
    llamar.sort_by(|a, b| b.vencido.cmp(&a.vencido).then(a.pagador.cmp(&b.pagador)));
    Ok(ListaTrabajo {
        hoy,
        hasta,
        glosas,
        cuotas,
        compromisos,
        llamar,
    })
}
