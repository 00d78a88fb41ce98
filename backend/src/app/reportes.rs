//! Work lists (alertas) and the aging of cartera, computed in SQL.

use chrono::{Duration, NaiveDate};
use rust_decimal::Decimal;
use serde::Serialize;
use utoipa::ToSchema;

use super::{Actor, AppError};
use crate::db::{self, Db};
use crate::domain::calendario::{add_dias_habiles, dias_habiles_entre};
use crate::domain::money::from_centavos;
use crate::domain::terminos::Terminos;

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

/// Balance per age bucket in days since radicación.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct Edades {
    #[serde(rename = "0-30")]
    #[schema(value_type = String)]
    pub d0_30: Decimal,
    #[serde(rename = "31-60")]
    #[schema(value_type = String)]
    pub d31_60: Decimal,
    #[serde(rename = "61-90")]
    #[schema(value_type = String)]
    pub d61_90: Decimal,
    #[serde(rename = "91-180")]
    #[schema(value_type = String)]
    pub d91_180: Decimal,
    #[serde(rename = "181-360")]
    #[schema(value_type = String)]
    pub d181_360: Decimal,
    #[serde(rename = ">360")]
    #[schema(value_type = String)]
    pub mas_360: Decimal,
}

impl Edades {
    fn vacias() -> Edades {
        let z = Decimal::new(0, 2);
        Edades {
            d0_30: z,
            d31_60: z,
            d61_90: z,
            d91_180: z,
            d181_360: z,
            mas_360: z,
        }
    }

    /// Adds to bucket `edad` (0 = 0-30 ... 5 = >360, as the SQL numbers them).
    fn sumar(&mut self, edad: i32, v: Decimal) {
        let b = match edad {
            0 => &mut self.d0_30,
            1 => &mut self.d31_60,
            2 => &mut self.d61_90,
            3 => &mut self.d91_180,
            4 => &mut self.d181_360,
            _ => &mut self.mas_360,
        };
        *b += v;
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FilaCartera {
    pub pagador_id: String,
    pub pagador: String,
    pub tipo: String,
    pub facturas: i64,
    pub edades: Edades,
    #[schema(value_type = String)]
    pub total: Decimal,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Cartera {
    pub corte: NaiveDate,
    pub filas: Vec<FilaCartera>,
    pub totales: Edades,
    #[schema(value_type = String)]
    pub total: Decimal,
}

/// Balances owed at `corte` by payer and age since radicación.
pub fn cartera(db: &Db, t: &Terminos, actor: &Actor, corte: NaiveDate) -> Result<Cartera, AppError> {
    // Bucket k holds invoices radicated on or after corte − upper bound of bucket k.
    let limites = [30, 60, 90, 180, 360].map(|d| corte - Duration::days(d));
    let celdas = db.read(|c| {
        Ok(db::reportes::cartera_por_edad(
            c,
            &actor.prestador_id,
            corte,
            limites,
            t.reglas.aceptacion_tacita,
        )?)
    })?;
    let mut filas: Vec<FilaCartera> = Vec::new();
    let mut totales = Edades::vacias();
    let mut total = Decimal::new(0, 2);
    for c in celdas {
        let fila = match filas.iter_mut().position(|f| f.pagador_id == c.pagador_id) {
            Some(i) => &mut filas[i],
            None => {
                filas.push(FilaCartera {
                    pagador_id: c.pagador_id.clone(),
                    pagador: c.pagador.clone(),
                    tipo: c.tipo.clone(),
                    facturas: 0,
                    edades: Edades::vacias(),
                    total: Decimal::new(0, 2),
                });
                filas.last_mut().expect("just pushed")
            }
        };
        let v = from_centavos(c.saldo);
        fila.edades.sumar(c.edad, v);
        fila.total += v;
        fila.facturas += c.facturas;
        totales.sumar(c.edad, v);
        total += v;
    }
    Ok(Cartera {
        corte,
        filas,
        totales,
        total,
    })
}
