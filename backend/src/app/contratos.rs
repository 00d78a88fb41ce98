//! Contracts (acuerdos de voluntades): modality, validity and payment term per payer.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{Actor, AppError, Lista, Pagina};
use crate::db::{self, contratos::Contrato, Db};
use crate::domain::contrato::{Modalidad, PLAZO_PAGO_MAX_DIAS};
use crate::domain::money;
use crate::domain::rol::Rol;
use crate::domain::Violation;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NuevoContrato {
    pub pagador_id: String,
    #[schema(example = "CT-2026-014")]
    pub numero: String,
    pub modalidad: Modalidad,
    pub fecha_inicio: chrono::NaiveDate,
    pub fecha_fin: Option<chrono::NaiveDate>,
    /// Days the payer has to pay after radicación, as agreed (30 when not said: Ley 1122/2007
    /// art. 13 lit. d).
    pub plazo_pago_dias: Option<i32>,
    /// Estimated or capped value of the contract, if it has one.
    #[schema(value_type = Option<crate::app::DecimalExacto>, example = "150000000.00")]
    pub valor: Option<Decimal>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ContratoVista {
    pub id: String,
    pub pagador_id: String,
    pub numero: String,
    pub modalidad: Modalidad,
    pub fecha_inicio: chrono::NaiveDate,
    pub fecha_fin: Option<chrono::NaiveDate>,
    pub plazo_pago_dias: i32,
    #[schema(value_type = Option<String>)]
    pub valor: Option<Decimal>,
    pub version: i32,
}

impl From<Contrato> for ContratoVista {
    fn from(x: Contrato) -> Self {
        ContratoVista {
            modalidad: x.modalidad,
            valor: x.valor.map(money::from_centavos),
            id: x.id,
            pagador_id: x.pagador_id,
            numero: x.numero,
            fecha_inicio: x.fecha_inicio,
            fecha_fin: x.fecha_fin,
            plazo_pago_dias: x.plazo_pago_dias,
            version: x.version,
        }
    }
}

/// Payment term when the contract says none: 30 days (Ley 1122/2007 art. 13 lit. d).
pub const PLAZO_PAGO_LEGAL_DIAS: i32 = 30;

pub fn crear(db: &Db, actor: &Actor, n: NuevoContrato) -> Result<ContratoVista, AppError> {
    actor.exigir(&[Rol::Admin, Rol::Facturacion], "crear contratos")?;
    let mut errs = Vec::new();
    let numero = n.numero.trim().to_string();
    if numero.is_empty() || numero.chars().count() > 60 {
        errs.push(Violation::new(
            "numero",
            "se espera el número del contrato (hasta 60 caracteres)",
        ));
    }
    if let Some(fin) = n.fecha_fin {
        if fin < n.fecha_inicio {
            errs.push(Violation::new(
                "fecha_fin",
                format!("termina ({fin}) antes de empezar ({})", n.fecha_inicio),
            ));
        }
    }
    let plazo = n.plazo_pago_dias.unwrap_or(PLAZO_PAGO_LEGAL_DIAS);
    if !(0..=PLAZO_PAGO_MAX_DIAS).contains(&plazo) {
        errs.push(Violation::new(
            "plazo_pago_dias",
            format!("se espera un plazo entre 0 y {PLAZO_PAGO_MAX_DIAS} días"),
        ));
    }
    let valor = match n.valor.map(money::to_centavos_no_negativo).transpose() {
        Ok(v) => v,
        Err(e) => {
            errs.push(Violation::new("valor", e.to_string()));
            None
        }
    };
    if !errs.is_empty() {
        return Err(AppError::Invalid(errs));
    }
    db.write(|c| {
        super::pagadores::buscar(c, &actor.prestador_id, &n.pagador_id)?;
        if db::contratos::existe_numero(c, &actor.prestador_id, &n.pagador_id, &numero)? {
            return Err(AppError::Conflict(format!(
                "ese pagador ya tiene un contrato número {numero}"
            )));
        }
        let x = Contrato {
            id: db::new_id(),
            prestador_id: actor.prestador_id.clone(),
            pagador_id: n.pagador_id.clone(),
            numero,
            modalidad: n.modalidad,
            fecha_inicio: n.fecha_inicio,
            fecha_fin: n.fecha_fin,
            plazo_pago_dias: plazo,
            valor,
            version: 1,
            creado_en: db::now(),
        };
        db::contratos::insertar(c, &x)?;
        Ok(x.into())
    })
}

pub fn obtener(db: &Db, actor: &Actor, id: &str) -> Result<ContratoVista, AppError> {
    db.read(|c| db::contratos::por_id(c, &actor.prestador_id, id)?.ok_or_else(|| AppError::not_found("un contrato")))
        .map(Into::into)
}

pub fn listar(
    db: &Db,
    actor: &Actor,
    pagador_id: Option<&str>,
    pagina: Pagina,
) -> Result<Lista<ContratoVista>, AppError> {
    let (items, total) = db.read(|c| {
        Ok::<_, AppError>(db::contratos::listar(
            c,
            &actor.prestador_id,
            pagador_id,
            pagina.offset(),
            pagina.per_page,
        )?)
    })?;
    Ok(Lista {
        items: items.into_iter().map(Into::into).collect(),
        total,
    })
}
