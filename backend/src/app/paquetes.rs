//! The radicación package (Res. 2284/2023 Anexo Técnico No. 2): the soportes of a lote of one
//! payer's invoices in one zip — files named `TIPO_NIT_NUMEROFACTURA.ext`, no folders, at most
//! 1 GB — built after the checklist, then radicated with the payer's automatic acknowledgement
//! (date and time, Anexo 2 num. 1.3). Its hash, size and manifest are the radicación's
//! evidence, recorded in each invoice's trazabilidad.
//!
//! The zip is written the same way every time (entries in name order, a fixed date, the same
//! compression), so Trazo keeps its manifest rather than a second copy of up to 1 GB: a
//! download builds it again from the stored soportes and checks it against the recorded hash.

use std::io::Write;

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::radicaciones::{self, RADICAN};
use super::{chequeo, Actor, AppError};
use crate::db::{self, paquetes::Paquete, AnyConnection, Db};
use crate::domain::rol::Rol;
use crate::domain::soporte::{self, Contenido, TipoSoporte};
use crate::domain::terminos::Terminos;
use crate::domain::Violation;

/// Who reads packages and downloads them again: the staff who see invoices.
pub const LECTORES: &[Rol] = chequeo::LECTORES;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NuevoPaquete {
    pub pagador_id: String,
    /// The invoices of the lote, all of this payer.
    pub factura_ids: Vec<String>,
    /// Why the package goes with invoices whose soportes are not complete; required then
    /// (with `radicacion.exigir_soportes`), and recorded with what each one lacked.
    #[serde(default)]
    pub excepcion: Option<String>,
}

/// One file of the zip.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Entrada {
    /// Its name in the zip (Anexo 2).
    pub nombre: String,
    /// SHA-256 of its content, lowercase hex.
    pub hash: String,
    pub tamano: i64,
    pub factura_id: String,
    pub soporte_id: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PaqueteVista {
    pub id: String,
    pub pagador_id: String,
    /// The zip's name: `RAD_<NIT>_<pagador NIT>_<fecha y hora>.zip`.
    pub nombre: String,
    /// SHA-256 of the zip, lowercase hex.
    pub hash: String,
    pub tamano: i64,
    pub facturas: Vec<String>,
    pub manifiesto: Vec<Entrada>,
    /// What the checklist found missing, by invoice, when it was built with an exception.
    #[schema(value_type = Object)]
    pub faltantes: serde_json::Value,
    pub motivo_excepcion: String,
    /// `generado`, then `radicado`.
    pub estado: String,
    pub numero_radicado: Option<String>,
    /// The payer's acknowledgement of receipt.
    pub acuse_en: Option<DateTime<Utc>>,
    pub acuse_referencia: String,
    pub creado_en: DateTime<Utc>,
    pub radicado_en: Option<DateTime<Utc>>,
}

fn vista(p: Paquete, facturas: Vec<String>) -> Result<PaqueteVista, AppError> {
    Ok(PaqueteVista {
        manifiesto: serde_json::from_str(&p.manifiesto).map_err(anyhow::Error::from)?,
        faltantes: serde_json::from_str(&p.faltantes).map_err(anyhow::Error::from)?,
        id: p.id,
        pagador_id: p.pagador_id,
        nombre: p.nombre,
        hash: p.hash,
        tamano: p.tamano,
        facturas,
        motivo_excepcion: p.motivo_excepcion,
        estado: p.estado,
        numero_radicado: p.numero_radicado,
        acuse_en: p.acuse_en.map(|t| t.and_utc()),
        acuse_referencia: p.acuse_referencia,
        creado_en: p.creado_en.and_utc(),
        radicado_en: p.radicado_en.map(|t| t.and_utc()),
    })
}

/// The soportes of these invoices that travel in the package, named by Anexo 2, in name
/// order; two files that would take one name (two epicrisis of one invoice and person) are
/// refused: Anexo 2 asks one PDF per soporte, so they are joined into one before.
fn manifiesto(
    c: &mut AnyConnection,
    prestador_id: &str,
    nit: &str,
    facturas: &[db::facturas::Factura],
) -> Result<Vec<Entrada>, AppError> {
    let ids: Vec<String> = facturas.iter().map(|f| f.id.clone()).collect();
    let mut entradas: Vec<Entrada> = Vec::new();
    let mut errs = Vec::new();
    for s in db::soportes::activos_de_facturas(c, prestador_id, &ids)? {
        let Ok(tipo) = s.tipo.parse::<TipoSoporte>() else {
            continue;
        };
        // Evidence of other kinds (a letter, a photo) is not a soporte de cobro of Anexo 1.
        if tipo == TipoSoporte::Otro {
            continue;
        }
        let Some(f) = facturas.iter().find(|f| Some(&f.id) == s.factura_id.as_ref()) else {
            continue;
        };
        let extension = Contenido::de_media_type(&s.media_type).map_or("bin", |c| c.extension());
        let nombre = soporte::nombre_anexo2(tipo, nit, &f.numero, &s.documento_usuario, extension);
        if let Some(otra) = entradas.iter().find(|e| e.nombre == nombre) {
            let i = ids.iter().position(|x| *x == f.id).unwrap_or(0);
            let ya = otra.soporte_id.clone();
            errs.push(Violation::new(
                format!("factura_ids[{i}]"),
                format!(
                    "la factura {} tiene dos soportes {} ({} y {}) que irían con el mismo nombre {nombre}: el Anexo 2 pide un solo PDF por soporte; únalos o retire uno",
                    f.numero, tipo.as_str(), ya, s.id
                ),
            ));
            continue;
        }
        entradas.push(Entrada {
            nombre,
            hash: s.hash,
            tamano: s.tamano,
            factura_id: f.id.clone(),
            soporte_id: s.id,
        });
    }
    if !errs.is_empty() {
        return Err(AppError::Invalid(errs));
    }
    entradas.sort_by(|a, b| a.nombre.cmp(&b.nombre));
    Ok(entradas)
}

/// Writes the zip of these entries: flat (Anexo 2 num. 3.2, no folders), in the order given,
/// each dated 1980-01-01 so the same soportes always give the same bytes.
fn empaquetar(c: &mut AnyConnection, prestador_id: &str, entradas: &[Entrada], max: u64) -> Result<Vec<u8>, AppError> {
    let total: u64 = entradas.iter().map(|e| e.tamano.max(0) as u64).sum();
    if total > max {
        return Err(AppError::Excedido(format!(
            "los soportes del paquete suman {total} bytes y el paquete admite {max} (radicacion.max_bytes_paquete; Res. 2284/2023 Anexo 2 num. 3.3: 1 GB): divida el lote"
        )));
    }
    let opciones = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(6))
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644)
        .large_file(false);
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for e in entradas {
        let bytes = db::soportes::contenido(c, prestador_id, &e.hash)?
            .ok_or_else(|| anyhow::anyhow!("the content {} of soporte {} is missing", e.hash, e.soporte_id))?;
        w.start_file(e.nombre.as_str(), opciones).map_err(anyhow::Error::from)?;
        w.write_all(&bytes).map_err(anyhow::Error::from)?;
    }
    let bytes = w.finish().map_err(anyhow::Error::from)?.into_inner();
    if bytes.len() as u64 > max {
        return Err(AppError::Excedido(format!(
            "el paquete comprimido ocupa {} bytes y se admiten {max} (radicacion.max_bytes_paquete): divida el lote",
            bytes.len()
        )));
    }
    Ok(bytes)
}

/// Builds the package of a lote after its checklist, and records it with an event on each
/// invoice. The zip itself is downloaded with [`descargar`].
pub fn generar(
    db: &Db,
    t: &Terminos,
    hoy: NaiveDate,
    actor: &Actor,
    politica: crate::config::Radicacion,
    n: NuevoPaquete,
) -> Result<PaqueteVista, AppError> {
    actor.exigir(RADICAN, "armar paquetes de radicación")?;
    let motivo = chequeo::motivo_excepcion(n.excepcion.as_deref())?;
    db.write(|c| {
        // The same checks as radicating the lote today: one payer, radicable invoices.
        let cargadas = radicaciones::lote(c, t, &actor.prestador_id, &n.pagador_id, &n.factura_ids, hoy)?;
        let faltantes = radicaciones::revisar_soportes(
            c,
            politica.exigir_soportes,
            &actor.prestador_id,
            &n.factura_ids,
            motivo.as_deref(),
            |i| format!("factura_ids[{i}]"),
        )?;
        let prestador =
            db::prestadores::por_id(c, &actor.prestador_id)?.ok_or_else(|| AppError::not_found("el prestador"))?;
        let pagador = super::pagadores::buscar(c, &actor.prestador_id, &n.pagador_id)?;
        let facturas: Vec<db::facturas::Factura> = cargadas.into_iter().map(|e| e.fila).collect();
        let entradas = manifiesto(c, &actor.prestador_id, &prestador.nit, &facturas)?;
        let bytes = empaquetar(c, &actor.prestador_id, &entradas, politica.max_bytes_paquete)?;
        let creado_en = db::now();
        let p = Paquete {
            id: db::new_id(),
            prestador_id: actor.prestador_id.clone(),
            pagador_id: n.pagador_id.clone(),
            nombre: format!(
                "RAD_{}_{}_{}.zip",
                prestador.nit,
                pagador.nit,
                creado_en.format("%Y%m%d%H%M%S")
            ),
            hash: super::importaciones::hash(&bytes),
            tamano: bytes.len() as i64,
            manifiesto: serde_json::to_string(&entradas).map_err(anyhow::Error::from)?,
            faltantes: serde_json::to_string(&faltantes).map_err(anyhow::Error::from)?,
            motivo_excepcion: if faltantes.is_empty() {
                String::new()
            } else {
                motivo.clone().unwrap_or_default()
            },
            estado: "generado".into(),
            numero_radicado: None,
            acuse_en: None,
            acuse_referencia: String::new(),
            actor_id: actor.usuario_id.clone(),
            creado_en,
            radicado_por: None,
            radicado_en: None,
        };
        let ids: Vec<String> = facturas.iter().map(|f| f.id.clone()).collect();
        db::paquetes::insertar(c, &p, &ids)?;
        for f in &facturas {
            let archivos: Vec<&str> = entradas
                .iter()
                .filter(|e| e.factura_id == f.id)
                .map(|e| e.nombre.as_str())
                .collect();
            super::ciclo::evento(
                c,
                actor,
                &f.id,
                "paquete_generado",
                hoy,
                json!({"paquete_id": p.id, "nombre": p.nombre, "hash": p.hash, "tamano": p.tamano,
                    "archivos": archivos, "excepcion": faltantes.get(&f.id)}),
                (f.saldo, f.en_discusion),
            )?;
        }
        vista(p, ids)
    })
}

pub fn obtener(db: &Db, actor: &Actor, id: &str) -> Result<PaqueteVista, AppError> {
    actor.exigir(LECTORES, "ver paquetes de radicación")?;
    db.read(|c| {
        let p = db::paquetes::por_id(c, &actor.prestador_id, id)?.ok_or_else(|| AppError::not_found("el paquete"))?;
        let facturas = db::paquetes::facturas_de(c, &actor.prestador_id, id)?;
        vista(p, facturas)
    })
}

pub fn listar(db: &Db, actor: &Actor, pagador_id: Option<&str>) -> Result<Vec<PaqueteVista>, AppError> {
    actor.exigir(LECTORES, "ver paquetes de radicación")?;
    db.read(|c| {
        db::paquetes::listar(c, &actor.prestador_id, pagador_id)?
            .into_iter()
            .map(|p| {
                let facturas = db::paquetes::facturas_de(c, &actor.prestador_id, &p.id)?;
                vista(p, facturas)
            })
            .collect()
    })
}

/// The zip again, built from the stored soportes and checked against the recorded hash: what
/// is downloaded is what was recorded as sent.
pub fn descargar(db: &Db, actor: &Actor, max: u64, id: &str) -> Result<(String, Vec<u8>), AppError> {
    actor.exigir(LECTORES, "descargar paquetes de radicación")?;
    db.read(|c| {
        let p = db::paquetes::por_id(c, &actor.prestador_id, id)?.ok_or_else(|| AppError::not_found("el paquete"))?;
        let entradas: Vec<Entrada> = serde_json::from_str(&p.manifiesto).map_err(anyhow::Error::from)?;
        let bytes = empaquetar(c, &actor.prestador_id, &entradas, max.max(p.tamano as u64))?;
        let hash = super::importaciones::hash(&bytes);
        if hash != p.hash {
            return Err(AppError::Internal(anyhow::anyhow!(
                "el paquete {} no se reconstruye idéntico (hash {hash}, registrado {})",
                p.id,
                p.hash
            )));
        }
        Ok((p.nombre, bytes))
    })
}

/// The radicación of a package: the radicado the payer gave and its acknowledgement of
/// receipt, with its date and time (Anexo 2 num. 1.3).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RadicacionPaquete {
    #[schema(example = "RAD-2026-000123")]
    pub numero_radicado: String,
    /// When the payer's platform acknowledged receipt, with its offset
    /// (`2026-11-30T16:42:07-05:00`).
    pub acuse_en: DateTime<FixedOffset>,
    /// The acknowledgement's own number or reference, if it has one.
    #[serde(default)]
    pub acuse_referencia: String,
}

/// Radicates every invoice of the package on the day of the acknowledgement (in Bogotá), with
/// the package's hash, size and acknowledgement in each radicación event. Once only.
pub fn radicar(
    db: &Db,
    t: &Terminos,
    hoy: NaiveDate,
    actor: &Actor,
    id: &str,
    r: RadicacionPaquete,
) -> Result<PaqueteVista, AppError> {
    actor.exigir(RADICAN, "radicar facturas")?;
    let fecha = r.acuse_en.with_timezone(&super::bogota()).date_naive();
    super::no_futura("acuse_en", fecha, hoy)?;
    let referencia = r.acuse_referencia.trim().to_string();
    if referencia.chars().count() > 120 {
        return Err(AppError::invalid("acuse_referencia", "hasta 120 caracteres"));
    }
    let n = radicaciones::NuevaRadicacion {
        numero_radicado: r.numero_radicado,
        fecha_radicacion: fecha,
        excepcion: None,
    };
    db.write(|c| {
        let p = db::paquetes::por_id(c, &actor.prestador_id, id)?.ok_or_else(|| AppError::not_found("el paquete"))?;
        let facturas = db::paquetes::facturas_de(c, &actor.prestador_id, id)?;
        let acuse = r.acuse_en.naive_utc();
        if db::paquetes::radicar(
            c,
            &actor.prestador_id,
            id,
            n.numero_radicado.trim(),
            acuse,
            &referencia,
            &actor.usuario_id,
        )? == 0
        {
            return Err(AppError::Conflict(format!(
                "el paquete {} ya se radicó con el número {}",
                p.nombre,
                p.numero_radicado.unwrap_or_default()
            )));
        }
        let faltantes: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(&p.faltantes).map_err(anyhow::Error::from)?;
        let evidencia = |factura_id: &str| {
            json!({"id": p.id, "nombre": p.nombre, "hash": p.hash, "tamano": p.tamano,
                "acuse_en": acuse, "acuse_referencia": referencia, "excepcion": faltantes.get(factura_id)})
        };
        radicaciones::radicar_paquete_en(c, t, actor, &p.pagador_id, &facturas, &n, evidencia)?;
        let p = db::paquetes::por_id(c, &actor.prestador_id, id)?.ok_or_else(|| AppError::not_found("el paquete"))?;
        vista(p, facturas)
    })
}
