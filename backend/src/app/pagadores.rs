//! Payers: the EPS, ADRES, entes territoriales, SOAT insurers... a prestador bills.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{Actor, AppError, Lista, Pagina};
use crate::db::{self, pagadores::Pagador, AnyConnection, Db};
use crate::domain::nit::Nit;
use crate::domain::pagador::TipoPagador;
use crate::domain::rol::Rol;

const EDITAN: &[Rol] = &[Rol::Admin, Rol::Facturacion];

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NuevoPagador {
    /// With or without dots and check digit: `901.037.916-1`.
    #[schema(example = "901037916-1")]
    pub nit: String,
    #[schema(example = "ADRES")]
    pub nombre: String,
    pub tipo: TipoPagador,
}

/// The fields to change and the `version` the client last read.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CambioPagador {
    pub nit: Option<String>,
    pub nombre: Option<String>,
    pub tipo: Option<TipoPagador>,
    /// The `version` of the payer as the client read it; a newer one on the server is 409.
    pub version: i32,
    /// Why it changes; kept with the change.
    #[serde(default)]
    pub motivo: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PagadorVista {
    pub id: String,
    /// Digits only, without the check digit.
    pub nit: String,
    pub digito_verificacion: u32,
    pub nombre: String,
    pub tipo: TipoPagador,
    pub version: i32,
    pub creado_en: chrono::DateTime<chrono::Utc>,
    pub actualizado_en: chrono::DateTime<chrono::Utc>,
}

impl From<Pagador> for PagadorVista {
    fn from(p: Pagador) -> Self {
        PagadorVista {
            digito_verificacion: crate::domain::nit::digito_verificacion(&p.nit),
            tipo: p.tipo,
            id: p.id,
            nit: p.nit,
            nombre: p.nombre,
            version: p.version,
            creado_en: p.creado_en.and_utc(),
            actualizado_en: p.actualizado_en.and_utc(),
        }
    }
}

fn nit(text: &str) -> Result<Nit, AppError> {
    Nit::parse(text).map_err(|e| AppError::invalid("nit", e.to_string()))
}

fn nombre(text: &str) -> Result<String, AppError> {
    let n = text.trim();
    if n.is_empty() || n.chars().count() > 200 {
        return Err(AppError::invalid(
            "nombre",
            "se espera el nombre del pagador (hasta 200 caracteres)",
        ));
    }
    Ok(n.to_string())
}

fn nit_libre(c: &mut AnyConnection, prestador_id: &str, nit: &Nit, excepto: Option<&str>) -> Result<(), AppError> {
    match db::pagadores::por_nit(c, prestador_id, nit.as_str())? {
        Some(otro) if Some(otro.id.as_str()) != excepto => Err(AppError::Conflict(format!(
            "ya existe el pagador '{}' con NIT {nit}",
            otro.nombre
        ))),
        _ => Ok(()),
    }
}

pub fn crear(db: &Db, actor: &Actor, n: NuevoPagador) -> Result<PagadorVista, AppError> {
    actor.exigir(EDITAN, "crear pagadores")?;
    let nit = nit(&n.nit)?;
    let nombre = nombre(&n.nombre)?;
    db.write(|c| {
        nit_libre(c, &actor.prestador_id, &nit, None)?;
        let now = db::now();
        let p = Pagador {
            id: db::new_id(),
            prestador_id: actor.prestador_id.clone(),
            nit: nit.as_str().to_string(),
            nombre,
            tipo: n.tipo,
            version: 1,
            creado_en: now,
            actualizado_en: now,
        };
        db::pagadores::insertar(c, &p)?;
        Ok(p.into())
    })
}

pub fn obtener(db: &Db, actor: &Actor, id: &str) -> Result<PagadorVista, AppError> {
    db.read(|c| buscar(c, &actor.prestador_id, id)).map(Into::into)
}

/// The payer `id` of the tenant, or 404.
pub fn buscar(c: &mut AnyConnection, prestador_id: &str, id: &str) -> Result<Pagador, AppError> {
    db::pagadores::por_id(c, prestador_id, id)?.ok_or_else(|| AppError::not_found("un pagador"))
}

/// What a list of payers asks for: `?tipo=&q=&page=&per_page=`.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct ConsultaPagadores {
    pub tipo: Option<TipoPagador>,
    /// Part of the name or NIT.
    pub q: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
    /// `xlsx` for a workbook of every payer that matches.
    pub formato: Option<String>,
}

/// Payers by name; `todas` gives every match (a workbook).
pub fn listar(
    db: &Db,
    actor: &Actor,
    consulta: ConsultaPagadores,
    todas: bool,
) -> Result<Lista<PagadorVista>, AppError> {
    let pagina = Pagina::new(consulta.page, consulta.per_page)?;
    let (offset, limit) = pagina.rango(todas, 200_000);
    let filtro = db::pagadores::Filtro {
        tipo: consulta.tipo.map(|t| t.as_str().to_string()),
        q: consulta.q,
    };
    let (items, total) =
        db.read(|c| Ok::<_, AppError>(db::pagadores::listar(c, &actor.prestador_id, &filtro, offset, limit)?))?;
    Ok(Lista {
        items: items.into_iter().map(Into::into).collect(),
        total,
    })
}

/// Changes a payer's data under its version, keeping the data before and after.
pub fn actualizar(
    db: &Db,
    hoy: chrono::NaiveDate,
    actor: &Actor,
    id: &str,
    cambio: CambioPagador,
) -> Result<PagadorVista, AppError> {
    actor.exigir(EDITAN, "modificar pagadores")?;
    let nuevo_nit = cambio.nit.as_deref().map(nit).transpose()?;
    let nuevo_nombre = cambio.nombre.as_deref().map(nombre).transpose()?;
    db.write(|c| {
        let mut p = buscar(c, &actor.prestador_id, id)?;
        let antes = p.clone();
        if p.version != cambio.version {
            return Err(stale(p.version, cambio.version));
        }
        if let Some(n) = &nuevo_nit {
            nit_libre(c, &actor.prestador_id, n, Some(&p.id))?;
            p.nit = n.as_str().to_string();
        }
        if let Some(n) = nuevo_nombre {
            p.nombre = n;
        }
        if let Some(t) = cambio.tipo {
            p.tipo = t;
        }
        p.actualizado_en = db::now();
        if db::pagadores::actualizar(c, &p, cambio.version)? == 0 {
            // Another writer got there between our read and our write.
            return Err(stale(cambio.version + 1, cambio.version));
        }
        p.version = cambio.version + 1;
        let que = super::correcciones::Que {
            entidad: "pagador",
            entidad_id: id,
            factura_id: None,
        };
        super::correcciones::modificado(c, actor, que, cambio.motivo.trim(), &antes, &p, hoy)?;
        Ok(p.into())
    })
}

/// The list as a workbook, one row per payer.
pub fn xlsx(l: &Lista<PagadorVista>) -> Result<Vec<u8>, AppError> {
    use super::hoja::{self, Celda, Hoja};
    let filas = l
        .items
        .iter()
        .map(|p| {
            vec![
                p.nombre.as_str().into(),
                format!("{}-{}", p.nit, p.digito_verificacion).into(),
                p.tipo.as_str().into(),
                Celda::Texto(hoja::hora_bogota(p.actualizado_en)),
            ]
        })
        .collect();
    hoja::libro(&[Hoja {
        nombre: "Pagadores".into(),
        encabezado: vec![("Pagadores".into(), l.total.to_string())],
        columnas: vec![
            ("Pagador", 36.0),
            ("NIT", 16.0),
            ("Tipo", 18.0),
            ("Actualizado (Bogotá)", 20.0),
        ],
        filas,
    }])
}

/// The 409 of optimistic concurrency.
pub fn stale(actual: i32, enviada: i32) -> AppError {
    AppError::Conflict(format!(
        "otro usuario modificó este registro (versión {actual}, usted envió {enviada}); vuelva a leerlo y repita el cambio"
    ))
}
