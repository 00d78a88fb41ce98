//! Radicación packages in the web application (Res. 2284/2023 Anexo 2): built from the invoices
//! ticked in the search ("Armar paquete"), then their page — the files with their Anexo 2 names,
//! the zip's hash and size, the download, and the form that records the radicado and the
//! payer's acknowledgement. Also the CUV form of the invoice page. The same use cases as
//! `POST /api/v1/paquetes`, `POST /api/v1/paquetes/{id}/radicacion` and
//! `POST /api/v1/facturas/{id}/rips/cuv`.

use std::collections::HashMap;

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use chrono::{NaiveDate, NaiveTime, TimeZone};

use super::formato::{fecha, tamano};
use super::radicacion::Lote;
use super::sesion::{con_aviso, formulario, pagina, Usuario};
use super::{ErrorWeb, Marco};
use crate::api::AppState;
use crate::app::chequeo::{self, RegistroCuv};
use crate::app::paquetes::{self, NuevoPaquete, PaqueteVista, RadicacionPaquete};
use crate::app::radicaciones::RADICAN;
use crate::app::AppError;

#[derive(serde::Deserialize)]
struct FormCuv {
    #[serde(default)]
    cuv: String,
}

/// `POST /facturas/{id}/rips/cuv`: back to the invoice's checklist.
async fn cuv(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: Usuario,
    id: web::Path<String>,
    cuerpo: web::Bytes,
) -> Result<HttpResponse, ErrorWeb> {
    let f: FormCuv = formulario(&req, &u, &cuerpo)?;
    let id = id.into_inner();
    let actor = u.sesion.actor.clone();
    let v = web::block(move || chequeo::registrar_cuv(&state.db, state.hoy(), &actor, &id, RegistroCuv { cuv: f.cuv }))
        .await?
        .map_err(Marco::fallo(&u))?;
    let aviso = if v.completo {
        format!("CUV registrado. La factura {} tiene sus soportes completos.", v.numero)
    } else {
        format!(
            "CUV registrado. A la factura {} aún le falta: {}.",
            v.numero,
            v.mensajes.join("; ")
        )
    };
    Ok(con_aviso(&format!("/facturas/{}#chequeo", v.factura_id), &aviso))
}

/// `POST /paquetes`: the invoices ticked in the search (`factura_ids`, repeated), one payer.
async fn generar(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: Usuario,
    cuerpo: web::Bytes,
) -> Result<HttpResponse, ErrorWeb> {
    let lote = Lote::de(&req, &u, &cuerpo)?;
    let n = NuevoPaquete {
        pagador_id: lote.uno("pagador_id"),
        factura_ids: lote.ids(),
        excepcion: Some(lote.uno("excepcion")),
    };
    let actor = u.sesion.actor.clone();
    let v = web::block(move || {
        if n.factura_ids.is_empty() {
            return Err(AppError::invalid("factura_ids", "marque las facturas del paquete"));
        }
        paquetes::generar(&state.db, &state.terminos, state.hoy(), &actor, state.radicacion, n)
    })
    .await?
    .map_err(Marco::fallo(&u))?;
    Ok(con_aviso(
        &format!("/paquetes/{}", v.id),
        &format!(
            "Paquete armado: {} facturas, {} archivos, {}. Descárguelo, envíelo al pagador y registre su acuse de recibo.",
            v.facturas.len(),
            v.manifiesto.len(),
            tamano(v.tamano as usize)
        ),
    ))
}

struct Archivo {
    nombre: String,
    factura: String,
    factura_id: String,
    tamano: String,
}

struct Fila {
    id: String,
    nombre: String,
    pagador: String,
    facturas: usize,
    tamano: String,
    estado: &'static str,
    creado: String,
    radicado: String,
}

#[derive(Template)]
#[template(path = "paquete.html")]
struct PaginaPaquete {
    marco: Marco,
    p: PaqueteVista,
    pagador: String,
    tamano: String,
    archivos: Vec<Archivo>,
    /// What each excepted invoice lacked: (number, reason and what was missing).
    excepciones: Vec<(String, String)>,
    acuse: String,
    puede_radicar: bool,
    hoy: String,
}

#[derive(Template)]
#[template(path = "paquetes.html")]
struct Lista {
    marco: Marco,
    filas: Vec<Fila>,
}

fn estado(e: &str) -> &'static str {
    if e == "radicado" {
        "Radicado"
    } else {
        "Por radicar"
    }
}

async fn listar(state: web::Data<AppState>, u: Usuario) -> Result<HttpResponse, ErrorWeb> {
    let actor = u.sesion.actor.clone();
    let (l, nombres) = web::block(move || {
        let l = paquetes::listar(&state.db, &actor, None)?;
        let nombres: HashMap<String, String> = super::facturas::nombres_pagadores(&state, &actor)?
            .into_iter()
            .collect();
        Ok::<_, AppError>((l, nombres))
    })
    .await?
    .map_err(Marco::fallo(&u))?;
    let filas = l
        .into_iter()
        .map(|p| Fila {
            pagador: nombres.get(&p.pagador_id).cloned().unwrap_or_default(),
            facturas: p.facturas.len(),
            tamano: tamano(p.tamano as usize),
            estado: estado(&p.estado),
            creado: super::formato::fecha_hora(p.creado_en),
            radicado: p.numero_radicado.clone().unwrap_or_default(),
            nombre: p.nombre,
            id: p.id,
        })
        .collect();
    let p = Lista {
        marco: Marco::de(&u, "Paquetes de radicación", "/facturas"),
        filas,
    };
    pagina(&u, &p)
}

async fn ver(state: web::Data<AppState>, u: Usuario, id: web::Path<String>) -> Result<HttpResponse, ErrorWeb> {
    let actor = u.sesion.actor.clone();
    let id = id.into_inner();
    let hoy = state.hoy();
    let (p, nombres, numeros) = web::block(move || {
        let p = paquetes::obtener(&state.db, &actor, &id)?;
        let nombres: HashMap<String, String> = super::facturas::nombres_pagadores(&state, &actor)?
            .into_iter()
            .collect();
        let numeros = crate::app::pagos::numeros(&state.db, &actor, &p.facturas)?;
        Ok::<_, AppError>((p, nombres, numeros))
    })
    .await?
    .map_err(Marco::fallo(&u))?;
    let numero = |id: &str| numeros.get(id).cloned().unwrap_or_default();
    let archivos = p
        .manifiesto
        .iter()
        .map(|e| Archivo {
            nombre: e.nombre.clone(),
            factura: numero(&e.factura_id),
            factura_id: e.factura_id.clone(),
            tamano: tamano(e.tamano as usize),
        })
        .collect();
    let excepciones = p
        .faltantes
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(id, v)| {
                    let faltan: Vec<&str> = v["faltantes"]
                        .as_array()
                        .map(|a| a.iter().filter_map(|x| x.as_str()).collect())
                        .unwrap_or_default();
                    (numero(id), faltan.join("; "))
                })
                .collect()
        })
        .unwrap_or_default();
    let acuse = p.acuse_en.map(super::formato::fecha_hora).unwrap_or_default();
    let v = PaginaPaquete {
        marco: Marco::de(&u, format!("Paquete {}", p.nombre), "/facturas"),
        pagador: nombres.get(&p.pagador_id).cloned().unwrap_or_default(),
        tamano: tamano(p.tamano as usize),
        puede_radicar: RADICAN.contains(&u.sesion.actor.rol) && p.estado == "generado",
        hoy: hoy.to_string(),
        archivos,
        excepciones,
        acuse,
        p,
    };
    pagina(&u, &v)
}

async fn zip(state: web::Data<AppState>, u: Usuario, id: web::Path<String>) -> Result<HttpResponse, ErrorWeb> {
    let actor = u.sesion.actor.clone();
    let id = id.into_inner();
    let (nombre, bytes) =
        web::block(move || paquetes::descargar(&state.db, &actor, state.radicacion.max_bytes_paquete, &id))
            .await?
            .map_err(Marco::fallo(&u))?;
    let mut r = HttpResponse::Ok()
        .content_type("application/zip")
        .insert_header(("Content-Disposition", format!("attachment; filename=\"{nombre}\"")))
        .body(bytes);
    super::cabeceras(r.headers_mut());
    Ok(r)
}

#[derive(serde::Deserialize)]
struct FormRadicacion {
    #[serde(default)]
    numero_radicado: String,
    #[serde(default)]
    acuse_fecha: String,
    #[serde(default)]
    acuse_hora: String,
    #[serde(default)]
    acuse_referencia: String,
}

/// The acknowledgement's date and time as the clerk reads them on the payer's receipt: Bogotá.
fn acuse(f: &FormRadicacion) -> Result<chrono::DateTime<chrono::FixedOffset>, AppError> {
    let d: NaiveDate = f
        .acuse_fecha
        .parse()
        .map_err(|_| AppError::invalid("acuse_en", "escriba la fecha del acuse de recibo (dd/mm/aaaa)"))?;
    let h = NaiveTime::parse_from_str(&f.acuse_hora, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(&f.acuse_hora, "%H:%M:%S"))
        .map_err(|_| AppError::invalid("acuse_en", "escriba la hora del acuse de recibo (hh:mm)"))?;
    crate::app::bogota()
        .from_local_datetime(&d.and_time(h))
        .single()
        .ok_or_else(|| AppError::invalid("acuse_en", "fecha y hora inválidas"))
}

async fn radicar(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: Usuario,
    id: web::Path<String>,
    cuerpo: web::Bytes,
) -> Result<HttpResponse, ErrorWeb> {
    let f: FormRadicacion = formulario(&req, &u, &cuerpo)?;
    let id = id.into_inner();
    let actor = u.sesion.actor.clone();
    let v = web::block(move || {
        let r = RadicacionPaquete {
            acuse_en: acuse(&f)?,
            numero_radicado: f.numero_radicado,
            acuse_referencia: f.acuse_referencia,
        };
        paquetes::radicar(&state.db, &state.terminos, state.hoy(), &actor, &id, r)
    })
    .await?
    .map_err(Marco::fallo(&u))?;
    Ok(con_aviso(
        &format!("/paquetes/{}", v.id),
        &format!(
            "{} facturas radicadas con el número {} el {}.",
            v.facturas.len(),
            v.numero_radicado.clone().unwrap_or_default(),
            v.acuse_en
                .map(|a| fecha(a.with_timezone(&crate::app::bogota()).date_naive()))
                .unwrap_or_default()
        ),
    ))
}

pub fn rutas(cfg: &mut web::ServiceConfig) {
    cfg.route("/facturas/{id}/rips/cuv", web::post().to(cuv))
        .route("/paquetes", web::get().to(listar))
        .route("/paquetes", web::post().to(generar))
        .route("/paquetes/{id}.zip", web::get().to(zip))
        .route("/paquetes/{id}", web::get().to(ver))
        .route("/paquetes/{id}/radicar", web::post().to(radicar));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_acknowledgement_is_read_as_bogota_time() {
        let f = FormRadicacion {
            numero_radicado: "R-1".into(),
            acuse_fecha: "2026-11-30".into(),
            acuse_hora: "21:30".into(),
            acuse_referencia: String::new(),
        };
        // 21:30 in Bogotá is 02:30 of the next day in UTC: the radicación is still the 30th.
        let a = acuse(&f).unwrap();
        assert_eq!(a.naive_utc().to_string(), "2026-12-01 02:30:00");
        assert_eq!(a.date_naive().to_string(), "2026-11-30");
        let mal = FormRadicacion {
            acuse_hora: "9 pm".into(),
            ..f
        };
        assert!(acuse(&mal).is_err());
    }
}
