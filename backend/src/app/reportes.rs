//! Work lists (alertas), computed in SQL.

use chrono::{Duration, NaiveDate};
use rust_decimal::Decimal;
use serde::Serialize;
use utoipa::ToSchema;

use super::{Actor, AppError};
use crate::db::{self, Db};
use crate::domain::calendario::{add_dias_habiles, dias_habiles_entre};
use crate::domain::money::from_centavos;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TipoAlerta {
    /// A glosa whose answer is due within the window (the prestador must act).
    GlosaPorResponder,
    /// A glosa whose answer is overdue: accepted by silence unless the law reads otherwise.
    GlosaVencida,
    /// An issued invoice near or past its radicación term.
    RadicacionPorVencer,
    /// The payer did not decide on an answer within its term.
    DecisionVencida,
    /// The payer did not pay within its term.
    PagoVencido,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Alerta {
    pub tipo: TipoAlerta,
    pub factura_id: String,
    pub numero: String,
    pub pagador_id: String,
    pub glosa_id: Option<String>,
    pub vence: NaiveDate,
    pub vencida: bool,
    /// Días hábiles left (negative when overdue).
    pub dias_habiles_restantes: i64,
    /// Calendar days since the payment term ended (pago_vencido only): días de mora.
    pub dias_mora: Option<i64>,
    /// The value at stake.
    #[schema(value_type = String)]
    pub valor: Decimal,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Alertas {
    pub hoy: NaiveDate,
    /// Alerts cover deadlines up to this date (today + `dias` días hábiles).
    pub hasta: NaiveDate,
    pub items: Vec<Alerta>,
    pub total: usize,
}

/// Overdue glosas older than this are money already lost; the list shows the recent ones.
const DIAS_GLOSAS_VENCIDAS: i64 = 30;

pub fn alertas(db: &Db, actor: &Actor, dias: u32, hoy: NaiveDate) -> Result<Alertas, AppError> {
    if dias > 60 {
        return Err(AppError::invalid("dias", "se esperan hasta 60 días hábiles"));
    }
    let hasta = add_dias_habiles(hoy, dias);
    let pid = &actor.prestador_id;
    let (por_responder, vencidas, decisiones, radicaciones, pagos) = db.read(|c| {
        Ok((
            db::reportes::glosas_por_vencer(c, pid, "formulada", false, Some(hoy), hasta)?,
            db::reportes::glosas_por_vencer(
                c,
                pid,
                "formulada",
                false,
                Some(hoy - Duration::days(DIAS_GLOSAS_VENCIDAS)),
                hoy - Duration::days(1),
            )?,
            db::reportes::glosas_por_vencer(c, pid, "respondida", true, None, hoy - Duration::days(1))?,
            db::reportes::radicacion_por_vencer(c, pid, hasta)?,
            db::reportes::pagos_vencidos(c, pid, hoy)?,
        ))
    })?;
    let mut items = Vec::new();
    let alerta = |tipo,
                  factura_id: String,
                  numero: String,
                  pagador_id: String,
                  glosa_id: Option<String>,
                  vence: NaiveDate,
                  valor: i64| Alerta {
        tipo,
        factura_id,
        numero,
        pagador_id,
        glosa_id,
        vence,
        vencida: hoy > vence,
        dias_habiles_restantes: dias_habiles_entre(hoy, vence),
        dias_mora: (tipo == TipoAlerta::PagoVencido).then(|| (hoy - vence).num_days()),
        valor: from_centavos(valor),
    };
    for (tipo, lista) in [
        (TipoAlerta::GlosaPorResponder, por_responder),
        (TipoAlerta::GlosaVencida, vencidas),
        (TipoAlerta::DecisionVencida, decisiones),
    ] {
        for g in lista {
            if let Some(v) = g.vence {
                items.push(alerta(
                    tipo,
                    g.factura_id,
                    g.numero,
                    g.pagador_id,
                    Some(g.glosa_id),
                    v,
                    g.valor,
                ));
            }
        }
    }
    for (tipo, lista) in [
        (TipoAlerta::RadicacionPorVencer, radicaciones),
        (TipoAlerta::PagoVencido, pagos),
    ] {
        for (id, numero, pagador_id, vence, saldo) in lista {
            if let Some(v) = vence {
                items.push(alerta(tipo, id, numero, pagador_id, None, v, saldo));
            }
        }
    }
    items.sort_by(|a, b| a.vence.cmp(&b.vence).then(a.numero.cmp(&b.numero)));
    Ok(Alertas {
        hoy,
        hasta,
        total: items.len(),
        items,
    })
}
