//! Soportes: files attached to an invoice (its soportes de cobro, Res. 2284/2023 Anexo 1 and 2),
//! to the answer to a glosa or a devolución, to an acuerdo de pago or to an acta de
//! conciliación. They are kept in the database (backups and every server see them), each
//! content once per prestador, within the limits of `[soportes]` in the configuration.
//!
//! Attaching and removing are events of the invoices the record is about (an acuerdo or an
//! acta: each of its invoices), so the trazabilidad says who attached what and when. Removing
//! keeps the soporte and its content, marked with who removed it, when and why.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::{json, Value};
use utoipa::ToSchema;

use super::{Actor, AppError};
use crate::config::Soportes as Limites;
use crate::db::{self, soportes as dbs, AnyConnection, Db};
use crate::domain::rol::Rol;
use crate::domain::soporte::{self, Contenido, ObjetoSoporte, TipoSoporte};

/// Who attaches and removes the soportes of an invoice: who bills it and who collects it.
pub const EN_FACTURAS: &[Rol] = &[Rol::Facturacion, Rol::Cartera, Rol::Admin];

/// Who attaches and removes the evidence of answers to glosas and devoluciones, acuerdos and
/// actas: cartera, who answers and agrees them.
pub const EN_CARTERA: &[Rol] = &[Rol::Cartera, Rol::Admin];

/// Who lists and downloads soportes: the prestador's staff who can see the record (a payer's
/// user never reaches these use cases: its window is elsewhere).
pub const LECTORES: &[Rol] = &[Rol::Admin, Rol::Facturacion, Rol::Cartera, Rol::Finanzas, Rol::Auditor];

/// The roles that attach to and remove from a record of this kind.
pub fn adjuntan(objeto: ObjetoSoporte) -> &'static [Rol] {
    match objeto {
        ObjetoSoporte::Factura => EN_FACTURAS,
        _ => EN_CARTERA,
    }
}

/// The roles that read the soportes of a record of this kind: those who read the record.
pub fn leen(objeto: ObjetoSoporte) -> &'static [Rol] {
    match objeto {
        ObjetoSoporte::Acta => super::actas::LECTORES,
        _ => LECTORES,
    }
}

/// The longest reason for removing a soporte.
const MOTIVO_MAXIMO: usize = 500;

/// A file to attach.
#[derive(Debug)]
pub struct NuevoSoporte {
    pub objeto: ObjetoSoporte,
    pub objeto_id: String,
    pub tipo: TipoSoporte,
    /// The file's name as the user gave it.
    pub nombre: String,
    /// The person of a multi-user invoice (Anexo 2 num. 3.4), e.g. `CC1234567`; empty for none.
    pub documento_usuario: String,
    pub bytes: Vec<u8>,
}

/// Who removed a soporte, when and why.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SoporteRetirado {
    /// E-mail of who removed it.
    pub por: String,
    pub en: chrono::DateTime<chrono::Utc>,
    pub motivo: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SoporteVista {
    pub id: String,
    pub objeto: ObjetoSoporte,
    pub objeto_id: String,
    /// The invoice it belongs to; none for an acuerdo or an acta (several invoices).
    pub factura_id: Option<String>,
    pub tipo: TipoSoporte,
    /// The type's name in Anexo 2.
    pub tipo_nombre: String,
    /// The person of a multi-user invoice (`CC1234567`), empty for none.
    pub documento_usuario: String,
    /// The file's name as it was uploaded.
    pub nombre: String,
    /// The name it carries in the radicación package (Res. 2284/2023 Anexo 2:
    /// `HEV_NIT_NUMEROFACTURA.pdf`); none when it belongs to no single invoice.
    pub nombre_anexo2: Option<String>,
    /// Read from the content: application/pdf, image/png, image/jpeg, image/tiff,
    /// application/xml or application/json.
    pub media_type: String,
    /// SHA-256 of the content, lowercase hex.
    pub hash: String,
    /// Bytes.
    pub tamano: i64,
    /// E-mail of who attached it.
    pub actor: String,
    pub creado_en: chrono::DateTime<chrono::Utc>,
    /// Present when it was removed.
    pub retirado: Option<SoporteRetirado>,
}

/// The soportes of a record, and the space the prestador's files take.
#[derive(Debug, Serialize, ToSchema)]
pub struct ListaSoportes {
    /// The record, in words ("la glosa TA0201 de la factura FE-1").
    pub registro: String,
    pub items: Vec<SoporteVista>,
    pub total: i64,
    /// Bytes all of the prestador's files take (each content once).
    pub bytes_usados: i64,
    /// What they may take (`soportes.max_bytes_prestador`).
    pub bytes_maximos: u64,
}

/// The outcome of attaching: the soporte, and whether it is new (the same content already
/// attached to the record gives back that one).
#[derive(Debug)]
pub struct Adjunto {
    pub soporte: SoporteVista,
    pub nuevo: bool,
}

/// The record a soporte is attached to, as found in the prestador.
struct Registro {
    /// Its invoice, for a record of one invoice.
    factura_id: Option<String>,
    /// The invoices whose trazabilidad records the soporte.
    facturas: Vec<db::facturas::Factura>,
    /// What the events call it ("la glosa 1101 de la factura FE1").
    etiqueta: String,
}

fn registro(c: &mut AnyConnection, pid: &str, objeto: ObjetoSoporte, id: &str) -> Result<Registro, AppError> {
    let no_existe = || AppError::not_found(&objeto.nombre().replacen("la ", "una ", 1).replacen("el ", "un ", 1));
    let de_factura = |c: &mut AnyConnection, fid: &str| -> Result<db::facturas::Factura, AppError> {
        db::facturas::por_id(c, pid, fid)?.ok_or_else(no_existe)
    };
    let uno = |f: db::facturas::Factura, etiqueta: String| Registro {
        factura_id: Some(f.id.clone()),
        facturas: vec![f],
        etiqueta,
    };
    Ok(match objeto {
        ObjetoSoporte::Factura => {
            let f = de_factura(c, id)?;
            let e = format!("la factura {}", f.numero);
            uno(f, e)
        }
        ObjetoSoporte::Glosa => {
            let g = db::glosas::por_id(c, pid, id)?.ok_or_else(no_existe)?;
            let f = de_factura(c, &g.factura_id)?;
            let e = format!("la glosa {} de la factura {}", g.codigo, f.numero);
            uno(f, e)
        }
        ObjetoSoporte::Devolucion => {
            let d = db::radicaciones::devolucion_por_id(c, pid, id)?.ok_or_else(no_existe)?;
            let f = de_factura(c, &d.factura_id)?;
            let e = format!("la devolución {} de la factura {}", d.codigo, f.numero);
            uno(f, e)
        }
        ObjetoSoporte::Acuerdo => {
            let a = db::cobro::acuerdo(c, pid, id)?.ok_or_else(no_existe)?;
            let (_, ids, _) = db::cobro::detalle_acuerdo(c, &a)?;
            Registro {
                factura_id: None,
                facturas: db::facturas::por_ids(c, pid, &ids)?,
                etiqueta: format!("el acuerdo de pago {}", a.numero),
            }
        }
        ObjetoSoporte::Acta => {
            let a = db::actas::por_id(c, pid, id)?.ok_or_else(no_existe)?;
            let ids: Vec<String> = db::actas::lineas(c, pid, id)?
                .into_iter()
                .map(|l| l.factura_id)
                .collect();
            Registro {
                factura_id: None,
                facturas: db::facturas::por_ids(c, pid, &ids)?,
                etiqueta: format!("el acta de conciliación {}", a.numero),
            }
        }
    })
}

/// Attaches a file to a record of the actor's prestador. The same content already attached
/// to the record (and not removed) gives that soporte back and changes nothing.
pub fn adjuntar(
    db: &Db,
    limites: &Limites,
    actor: &Actor,
    hoy: NaiveDate,
    n: NuevoSoporte,
) -> Result<Adjunto, AppError> {
    actor.exigir(
        adjuntan(n.objeto),
        &format!("adjuntar soportes a {}", n.objeto.nombre()),
    )?;
    let nombre = soporte::nombre_original(&n.nombre);
    if n.bytes.len() > limites.max_bytes_archivo {
        return Err(AppError::Excedido(format!(
            "«{nombre}» pesa {} bytes; el máximo por archivo es {} bytes (soportes.max_bytes_archivo)",
            n.bytes.len(),
            limites.max_bytes_archivo
        )));
    }
    let documento =
        soporte::documento_usuario(&n.documento_usuario).map_err(|m| AppError::invalid("documento_usuario", m))?;
    let contenido = soporte::revisar_contenido(&nombre, n.tipo, &n.bytes).map_err(AppError::NoAdmitido)?;
    let pid = actor.prestador_id.clone();
    // Hashed before the transaction: 25 MB take a moment nobody else should wait for.
    let hash = db::hash(&n.bytes);
    let (fila, nuevo) = db.write(|c| {
        let r = registro(c, &pid, n.objeto, &n.objeto_id)?;
        if let Some(s) = dbs::vigente_de(c, &pid, n.objeto.as_str(), &n.objeto_id, &hash)? {
            return Ok::<_, AppError>((s, false));
        }
        if !dbs::existe_archivo(c, &pid, &hash)? {
            let usados = dbs::bytes_guardados(c, &pid)?;
            let tras = usados.saturating_add(n.bytes.len() as i64);
            if u64::try_from(tras).unwrap_or(u64::MAX) > limites.max_bytes_prestador {
                return Err(AppError::Excedido(format!(
                    "no cabe «{nombre}» ({} bytes): los soportes del prestador ya ocupan {usados} de {} bytes \
                     (soportes.max_bytes_prestador)",
                    n.bytes.len(),
                    limites.max_bytes_prestador
                )));
            }
        }
        let tamano = dbs::guardar_archivo_con_hash(c, &pid, &hash, &n.bytes)?;
        let s = dbs::Soporte {
            id: db::new_id(),
            prestador_id: pid.clone(),
            objeto: n.objeto.as_str().to_string(),
            objeto_id: n.objeto_id.clone(),
            factura_id: r.factura_id.clone(),
            tipo: n.tipo.as_str().to_string(),
            documento_usuario: documento.clone(),
            nombre: nombre.clone(),
            media_type: contenido.media_type().to_string(),
            hash: hash.clone(),
            tamano,
            actor_id: actor.usuario_id.clone(),
            creado_en: db::now(),
            retirado_por: None,
            retirado_en: None,
            motivo_retiro: String::new(),
        };
        dbs::insertar(c, &s)?;
        super::cobro::eventos_en(
            c,
            actor,
            &r.facturas,
            "soporte_adjuntado",
            hoy,
            datos_evento(&s, &r.etiqueta, None),
        )?;
        Ok((s, true))
    })?;
    let soporte = db.read(|c| vistas(c, &actor.prestador_id, vec![fila]))?.remove(0);
    Ok(Adjunto { soporte, nuevo })
}

fn datos_evento(s: &dbs::Soporte, etiqueta: &str, motivo: Option<&str>) -> Value {
    let mut d = json!({
        "soporte_id": s.id, "objeto": s.objeto, "objeto_id": s.objeto_id, "registro": etiqueta,
        "tipo": s.tipo, "nombre": s.nombre, "tamano": s.tamano, "hash": s.hash,
        "documento_usuario": s.documento_usuario,
    });
    if let Some(m) = motivo {
        d["motivo"] = Value::String(m.to_string());
    }
    d
}

/// The soportes of a record, in the order they were attached; the removed ones too with
/// `todos` (each with who removed it and why).
pub fn listar(
    db: &Db,
    limites: &Limites,
    actor: &Actor,
    objeto: ObjetoSoporte,
    objeto_id: &str,
    todos: bool,
) -> Result<ListaSoportes, AppError> {
    actor.exigir(leen(objeto), &format!("ver los soportes de {}", objeto.nombre()))?;
    let pid = &actor.prestador_id;
    db.read(|c| {
        let r = registro(c, pid, objeto, objeto_id)?;
        let filas = dbs::de_objeto(c, pid, objeto.as_str(), objeto_id, todos)?;
        let items = vistas(c, pid, filas)?;
        Ok(ListaSoportes {
            registro: r.etiqueta,
            total: items.len() as i64,
            items,
            bytes_usados: dbs::bytes_guardados(c, pid)?,
            bytes_maximos: limites.max_bytes_prestador,
        })
    })
}

/// A soporte of the actor's prestador that the actor may read.
fn legible(c: &mut AnyConnection, actor: &Actor, id: &str) -> Result<dbs::Soporte, AppError> {
    let s = dbs::por_id(c, &actor.prestador_id, id)?.ok_or_else(|| AppError::not_found("un soporte"))?;
    let objeto = objeto_de(&s)?;
    actor.exigir(leen(objeto), &format!("ver los soportes de {}", objeto.nombre()))?;
    Ok(s)
}

fn objeto_de(s: &dbs::Soporte) -> Result<ObjetoSoporte, AppError> {
    s.objeto
        .parse()
        .map_err(|e| AppError::Internal(anyhow::anyhow!("soporte {}: objeto {e}", s.id)))
}

/// One soporte.
pub fn obtener(db: &Db, actor: &Actor, id: &str) -> Result<SoporteVista, AppError> {
    db.read(|c| {
        let s = legible(c, actor, id)?;
        Ok(vistas(c, &actor.prestador_id, vec![s])?.remove(0))
    })
}

/// A soporte and its content (also of a removed one: it is the evidence the events cite).
pub fn descargar(db: &Db, actor: &Actor, id: &str) -> Result<(SoporteVista, Vec<u8>), AppError> {
    db.read(|c| {
        let s = legible(c, actor, id)?;
        let bytes = dbs::contenido(c, &actor.prestador_id, &s.hash)?
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("soporte {} sin su archivo {}", s.id, s.hash)))?;
        Ok((vistas(c, &actor.prestador_id, vec![s])?.remove(0), bytes))
    })
}

/// Removes a soporte from its record, saying why: it stays in the history (and its content
/// kept), and the invoices' trazabilidad records the removal.
pub fn retirar(db: &Db, actor: &Actor, hoy: NaiveDate, id: &str, motivo: &str) -> Result<SoporteVista, AppError> {
    let motivo = motivo.trim();
    let pid = actor.prestador_id.clone();
    let fila = db.write(|c| {
        let s = dbs::por_id(c, &pid, id)?.ok_or_else(|| AppError::not_found("un soporte"))?;
        let objeto = objeto_de(&s)?;
        actor.exigir(adjuntan(objeto), &format!("retirar soportes de {}", objeto.nombre()))?;
        if motivo.is_empty() || motivo.chars().count() > MOTIVO_MAXIMO {
            return Err(AppError::invalid(
                "motivo",
                format!("diga por qué se retira el soporte (hasta {MOTIVO_MAXIMO} caracteres)"),
            ));
        }
        if let Some(en) = s.retirado_en {
            return Err(AppError::Conflict(format!(
                "el soporte «{}» ya se retiró el {}",
                s.nombre,
                en.format("%Y-%m-%d")
            )));
        }
        if dbs::retirar(c, &pid, id, &actor.usuario_id, motivo)? == 0 {
            return Err(AppError::Conflict("otro usuario lo retiró al mismo tiempo".into()));
        }
        let r = registro(c, &pid, objeto, &s.objeto_id)?;
        super::cobro::eventos_en(
            c,
            actor,
            &r.facturas,
            "soporte_retirado",
            hoy,
            datos_evento(&s, &r.etiqueta, Some(motivo)),
        )?;
        Ok::<_, AppError>(dbs::por_id(c, &pid, id)?.unwrap_or(s))
    })?;
    db.read(|c| Ok(vistas(c, &actor.prestador_id, vec![fila])?.remove(0)))
}

/// The rows as the API shows them: e-mails instead of user ids, and the Anexo 2 name of those
/// of one invoice.
fn vistas(c: &mut AnyConnection, pid: &str, filas: Vec<dbs::Soporte>) -> Result<Vec<SoporteVista>, AppError> {
    let mut usuarios: Vec<&str> = filas.iter().map(|s| s.actor_id.as_str()).collect();
    usuarios.extend(filas.iter().filter_map(|s| s.retirado_por.as_deref()));
    let correos = db::usuarios::correos(c, pid, &usuarios)?;
    let ids: Vec<&str> = filas.iter().filter_map(|s| s.factura_id.as_deref()).collect();
    let numeros: HashMap<String, (String, String)> = db::facturas::numeros_y_pagadores(c, pid, &ids)?;
    let nit = match ids.is_empty() {
        true => String::new(),
        false => db::prestadores::por_id(c, pid)?.map(|p| p.nit).unwrap_or_default(),
    };
    let correo = |id: &str| correos.get(id).cloned().unwrap_or_else(|| id.to_string());
    filas
        .into_iter()
        .map(|s| {
            let tipo: TipoSoporte = s
                .tipo
                .parse()
                .map_err(|e| AppError::Internal(anyhow::anyhow!("soporte {}: tipo {e}", s.id)))?;
            let objeto = objeto_de(&s)?;
            let extension = Contenido::de_media_type(&s.media_type).map_or("pdf", Contenido::extension);
            let nombre_anexo2 = s
                .factura_id
                .as_ref()
                .and_then(|f| numeros.get(f))
                .map(|(numero, _)| soporte::nombre_anexo2(tipo, &nit, numero, &s.documento_usuario, extension));
            Ok(SoporteVista {
                retirado: match (&s.retirado_por, s.retirado_en) {
                    (Some(por), Some(en)) => Some(SoporteRetirado {
                        por: correo(por),
                        en: en.and_utc(),
                        motivo: s.motivo_retiro.clone(),
                    }),
                    _ => None,
                },
                actor: correo(&s.actor_id),
                id: s.id,
                objeto,
                objeto_id: s.objeto_id,
                factura_id: s.factura_id,
                tipo,
                tipo_nombre: tipo.nombre().to_string(),
                documento_usuario: s.documento_usuario,
                nombre: s.nombre,
                nombre_anexo2,
                media_type: s.media_type,
                hash: s.hash,
                tamano: s.tamano,
                creado_en: s.creado_en.and_utc(),
            })
        })
        .collect()
}

/// The soporte events in words, for the trazabilidad: "Soporte HEV (Resumen de atención u hoja
/// de evolución) adjuntado a la factura FE1: hoja.pdf".
pub fn texto(tipo: &str, datos: &Value) -> Option<String> {
    let s = |k: &str| datos.get(k).and_then(Value::as_str).unwrap_or_default();
    let clase = match s("tipo").parse::<TipoSoporte>() {
        Ok(t) => format!("Soporte {} ({})", t.as_str(), t.nombre()),
        Err(_) => format!("Soporte {}", s("tipo")),
    };
    let persona = match s("documento_usuario") {
        "" => String::new(),
        d => format!(" — usuario {d}"),
    };
    match tipo {
        "soporte_adjuntado" => Some(format!(
            "{clase} adjuntado a {}: {}{persona}",
            s("registro"),
            s("nombre")
        )),
        "soporte_retirado" => Some(format!(
            "{clase} retirado de {}: {}{persona} — motivo: {}",
            s("registro"),
            s("nombre"),
            s("motivo")
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_read_in_words() {
        let d = json!({"tipo": "HEV", "registro": "la factura FE1", "nombre": "hoja.pdf", "documento_usuario": ""});
        assert_eq!(
            texto("soporte_adjuntado", &d).unwrap(),
            "Soporte HEV (Resumen de atención u hoja de evolución) adjuntado a la factura FE1: hoja.pdf"
        );
        let d = json!({"tipo": "EPI", "registro": "la glosa FA0101 de la factura FE1", "nombre": "e.pdf",
                       "documento_usuario": "CC123", "motivo": "era de otro paciente"});
        assert_eq!(
            texto("soporte_retirado", &d).unwrap(),
            "Soporte EPI (Epicrisis) retirado de la glosa FA0101 de la factura FE1: e.pdf — usuario CC123 — motivo: era de otro paciente"
        );
        assert_eq!(texto("radicada", &d), None);
    }

    #[test]
    fn roles_follow_the_record() {
        assert!(adjuntan(ObjetoSoporte::Factura).contains(&Rol::Facturacion));
        for o in [
            ObjetoSoporte::Glosa,
            ObjetoSoporte::Devolucion,
            ObjetoSoporte::Acuerdo,
            ObjetoSoporte::Acta,
        ] {
            assert!(!adjuntan(o).contains(&Rol::Facturacion), "{o}");
            assert!(adjuntan(o).contains(&Rol::Cartera), "{o}");
        }
        for o in ObjetoSoporte::ALL {
            assert!(!adjuntan(*o).contains(&Rol::Finanzas) && !adjuntan(*o).contains(&Rol::Pagador));
            assert!(!leen(*o).contains(&Rol::Pagador));
            assert!(leen(*o).contains(&Rol::Auditor));
        }
        // Actas are read by who reads actas (not billing).
        assert!(!leen(ObjetoSoporte::Acta).contains(&Rol::Facturacion));
    }
}
