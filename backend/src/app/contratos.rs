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
    #[serde(default, deserialize_with = "crate::app::exacto::opcional")]
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

/// Checks a contract's terms; every problem at once. Returns (numero, plazo, valor).
fn terminos(
    numero: &str,
    fecha_inicio: chrono::NaiveDate,
    fecha_fin: Option<chrono::NaiveDate>,
    plazo: i32,
    valor: Option<Decimal>,
) -> Result<(String, i32, Option<i64>), AppError> {
    let mut errs = Vec::new();
    let numero = numero.trim().to_string();
    if numero.is_empty() || numero.chars().count() > 60 {
        errs.push(Violation::new(
            "numero",
            "se espera el número del contrato (hasta 60 caracteres)",
        ));
    }
    if let Some(fin) = fecha_fin {
        if fin < fecha_inicio {
            errs.push(Violation::new(
                "fecha_fin",
                format!("termina ({fin}) antes de empezar ({fecha_inicio})"),
            ));
        }
    }
    if !(0..=PLAZO_PAGO_MAX_DIAS).contains(&plazo) {
        errs.push(Violation::new(
            "plazo_pago_dias",
            format!("se espera un plazo entre 0 y {PLAZO_PAGO_MAX_DIAS} días; llegó {plazo}"),
        ));
    }
    let valor = match valor.map(money::to_centavos_no_negativo).transpose() {
        Ok(v) => v,
        Err(e) => {
            errs.push(Violation::new("valor", e.to_string()));
            None
        }
    };
    if !errs.is_empty() {
        return Err(AppError::Invalid(errs));
    }
    Ok((numero, plazo, valor))
}

/// Who manages contracts.
const EDITAN: &[Rol] = &[Rol::Admin, Rol::Facturacion];

pub fn crear(db: &Db, actor: &Actor, n: NuevoContrato) -> Result<ContratoVista, AppError> {
    actor.exigir(EDITAN, "crear contratos")?;
    let (numero, plazo, valor) = terminos(
        &n.numero,
        n.fecha_inicio,
        n.fecha_fin,
        n.plazo_pago_dias.unwrap_or(PLAZO_PAGO_LEGAL_DIAS),
        n.valor,
    )?;
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

/// A change of a contract's terms: only the fields sent change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CambioContrato {
    /// The version read: 409 if someone changed it since.
    pub version: i32,
    pub numero: Option<String>,
    pub modalidad: Option<Modalidad>,
    pub fecha_inicio: Option<chrono::NaiveDate>,
    pub fecha_fin: Option<chrono::NaiveDate>,
    pub plazo_pago_dias: Option<i32>,
    #[schema(value_type = Option<crate::app::DecimalExacto>, example = "150000000.00")]
    #[serde(default, deserialize_with = "crate::app::exacto::opcional")]
    pub valor: Option<Decimal>,
    /// Why it changes (an otrosí, a typing error); kept with the change.
    #[serde(default)]
    pub motivo: String,
}

/// Changes a contract's terms under its version, keeping the terms before and after.
pub fn modificar(
    db: &Db,
    hoy: chrono::NaiveDate,
    actor: &Actor,
    id: &str,
    cambio: CambioContrato,
) -> Result<ContratoVista, AppError> {
    actor.exigir(EDITAN, "modificar contratos")?;
    db.write(|c| {
        let antes =
            db::contratos::por_id(c, &actor.prestador_id, id)?.ok_or_else(|| AppError::not_found("un contrato"))?;
        if antes.version != cambio.version {
            return Err(super::pagadores::stale(antes.version, cambio.version));
        }
        let fecha_inicio = cambio.fecha_inicio.unwrap_or(antes.fecha_inicio);
        let fecha_fin = cambio.fecha_fin.or(antes.fecha_fin);
        let (numero, plazo, valor) = terminos(
            cambio.numero.as_deref().unwrap_or(&antes.numero),
            fecha_inicio,
            fecha_fin,
            cambio.plazo_pago_dias.unwrap_or(antes.plazo_pago_dias),
            cambio.valor.or_else(|| antes.valor.map(money::from_centavos)),
        )?;
        if numero != antes.numero && db::contratos::existe_numero(c, &actor.prestador_id, &antes.pagador_id, &numero)? {
            return Err(AppError::Conflict(format!(
                "ese pagador ya tiene un contrato número {numero}"
            )));
        }
        let despues = Contrato {
            numero,
            modalidad: cambio.modalidad.unwrap_or(antes.modalidad),
            fecha_inicio,
            fecha_fin,
            plazo_pago_dias: plazo,
            valor,
            version: antes.version + 1,
            ..antes.clone()
        };
        if db::contratos::actualizar(c, &despues, antes.version)? == 0 {
            return Err(super::pagadores::stale(antes.version + 1, antes.version));
        }
        let que = super::correcciones::Que {
            entidad: "contrato",
            entidad_id: id,
            factura_id: None,
        };
        super::correcciones::modificado(c, actor, que, cambio.motivo.trim(), &antes, &despues, hoy)?;
        Ok(despues.into())
    })
}

pub fn obtener(db: &Db, actor: &Actor, id: &str) -> Result<ContratoVista, AppError> {
    db.read(|c| db::contratos::por_id(c, &actor.prestador_id, id)?.ok_or_else(|| AppError::not_found("un contrato")))
        .map(Into::into)
}

/// A contract in a list, with its payer's name.
#[derive(Debug, Serialize, ToSchema)]
pub struct ContratoEnLista {
    #[serde(flatten)]
    pub contrato: ContratoVista,
    pub pagador: String,
}

/// Contracts, by payer; `pagina` none gives every match (a workbook).
pub fn listar(
    db: &Db,
    actor: &Actor,
    pagador_id: Option<&str>,
    pagina: Option<Pagina>,
) -> Result<Lista<ContratoEnLista>, AppError> {
    let (offset, limit) = pagina.map_or((0, 200_000), |p| (p.offset(), p.per_page));
    let ((items, total), nombres) = db.read(|c| {
        Ok::<_, AppError>((
            db::contratos::listar(c, &actor.prestador_id, pagador_id, offset, limit)?,
            db::pagadores::nombres(c, &actor.prestador_id)?,
        ))
    })?;
    Ok(Lista {
        items: items
            .into_iter()
            .map(|x| ContratoEnLista {
                pagador: nombres.get(&x.pagador_id).cloned().unwrap_or_default(),
                contrato: x.into(),
            })
            .collect(),
        total,
    })
}

/// The list as a workbook, one row per contract.
pub fn xlsx(l: &Lista<ContratoEnLista>) -> Result<Vec<u8>, AppError> {
    use super::hoja::{self, Celda, Hoja};
    let filas = l
        .items
        .iter()
        .map(|x| {
            let c = &x.contrato;
            vec![
                c.numero.as_str().into(),
                x.pagador.as_str().into(),
                c.modalidad.as_str().into(),
                Celda::Fecha(c.fecha_inicio),
                c.fecha_fin.into(),
                Celda::Entero(c.plazo_pago_dias.into()),
                c.valor.into(),
            ]
        })
        .collect();
    hoja::libro(&[Hoja {
        nombre: "Contratos".into(),
        encabezado: vec![("Contratos".into(), l.total.to_string())],
        columnas: vec![
            ("Contrato", 18.0),
            ("Pagador", 30.0),
            ("Modalidad", 14.0),
            ("Inicio", 12.0),
            ("Fin", 12.0),
            ("Plazo de pago (días)", 12.0),
            ("Valor", 18.0),
        ],
        filas,
    }])
}
