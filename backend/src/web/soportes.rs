//! The "Soportes" block of a record (an invoice, a glosa or devolución being answered, an
//! acuerdo or an acta): its files with who attached them and when, a download link, removal
//! with a reason, and the form to attach one. The pages that show a record load the block by
//! htmx from `GET /soportes/{objeto}/{id}` (`templates/soportes_carga.html`, one include), so
//! their own handlers do not change; without scripts the same path is a page of its own.
//! Attaching and removing are plain forms that come back to the page they were sent from.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use futures_util::StreamExt;
use serde::Deserialize;

use super::formato::tamano;
use super::sesion::{con_aviso, en_bloque, exigir_csrf, formulario, pagina, Usuario};
use super::{html_con, subida, ErrorWeb, Marco};
use crate::api::AppState;
use crate::app::soportes::{self, ListaSoportes, NuevoSoporte};
use crate::app::AppError;
use crate::domain::soporte::{ObjetoSoporte, TipoSoporte};

/// A soporte as the block lists it.
pub struct Fila {
    pub id: String,
    pub tipo: &'static str,
    pub tipo_nombre: &'static str,
    pub nombre: String,
    pub nombre_anexo2: String,
    pub documento_usuario: String,
    pub tamano: String,
    pub quien: String,
    pub cuando: String,
    /// "Retirado el ... por ...: motivo", for the history.
    pub retiro: Option<String>,
}

/// A type of the select: its abbreviation and name.
pub struct OpcionTipo {
    pub valor: &'static str,
    pub texto: String,
}

/// What the block shows: the record's soportes and, for who may attach, the form.
pub struct Bloque {
    pub objeto: &'static str,
    pub objeto_id: String,
    /// Where the forms come back to.
    pub volver: String,
    pub csrf: String,
    pub filas: Vec<Fila>,
    pub retirados: Vec<Fila>,
    pub puede_adjuntar: bool,
    pub tipos: Vec<OpcionTipo>,
    pub tipo: String,
    pub documento_usuario: String,
    pub error: Option<String>,
    pub espacio: String,
}

/// The block alone: what htmx puts in the page.
#[derive(Template)]
#[template(path = "soportes.html")]
struct Fragmento {
    b: Bloque,
}

/// The block as a page of its own (without scripts, or after a refused upload).
#[derive(Template)]
#[template(path = "soportes_pagina.html")]
struct Pagina {
    marco: Marco,
    titulo: String,
    b: Bloque,
}

#[derive(Deserialize)]
struct Vuelta {
    #[serde(default)]
    volver: String,
}

/// A path of this site to come back to: `/...`, never `//host` or a scheme.
fn volver_valido(v: &str) -> Option<String> {
    let v = v.trim();
    (v.starts_with('/') && !v.starts_with("//") && !v.contains('\\') && !v.chars().any(char::is_control))
        .then(|| v.to_string())
}

/// Where a record's page is, to come back to when the form did not say.
fn pagina_de(objeto: ObjetoSoporte, id: &str) -> String {
    match objeto {
        ObjetoSoporte::Factura => format!("/facturas/{id}"),
        ObjetoSoporte::Glosa => format!("/glosas/{id}/responder"),
        ObjetoSoporte::Acta => format!("/actas/{id}"),
        ObjetoSoporte::Devolucion | ObjetoSoporte::Acuerdo => format!("/soportes/{objeto}/{id}"),
    }
}

/// The page htmx loaded the block from (`HX-Current-URL`), if it is of this site.
fn pagina_actual(req: &HttpRequest) -> Option<String> {
    let url = req.headers().get("hx-current-url")?.to_str().ok()?;
    let host = req.connection_info().host().to_string();
    let resto = url.split_once("://")?.1;
    let ruta = resto.strip_prefix(host.as_str())?;
    volver_valido(ruta)
}

fn objeto(texto: &str) -> Result<ObjetoSoporte, AppError> {
    texto
        .parse()
        .map_err(|_| AppError::NotFound("no existe esa página de soportes".into()))
}

fn fila(s: soportes::SoporteVista) -> Fila {
    let cuando = |t: chrono::DateTime<chrono::Utc>| {
        let bogota = chrono::FixedOffset::west_opt(5 * 3600).expect("valid offset");
        t.with_timezone(&bogota).format("%d/%m/%Y %H:%M").to_string()
    };
    Fila {
        tipo: s.tipo.as_str(),
        tipo_nombre: s.tipo.nombre(),
        nombre_anexo2: s.nombre_anexo2.unwrap_or_default(),
        documento_usuario: s.documento_usuario,
        tamano: tamano(usize::try_from(s.tamano).unwrap_or(0)),
        quien: s.actor,
        cuando: cuando(s.creado_en),
        retiro: s
            .retirado
            .map(|r| format!("Retirado el {} por {}: {}", cuando(r.en), r.por, r.motivo)),
        id: s.id,
        nombre: s.nombre,
    }
}

/// The types offered for a record: all of Anexo 2 for an invoice; for the rest, other
/// documents first (evidence of an answer, a signed agreement).
fn tipos(o: ObjetoSoporte) -> Vec<OpcionTipo> {
    let mut ts: Vec<TipoSoporte> = TipoSoporte::ALL.to_vec();
    if o != ObjetoSoporte::Factura {
        ts.retain(|t| *t != TipoSoporte::Otro);
        ts.insert(0, TipoSoporte::Otro);
    }
    ts.into_iter()
        .map(|t| OpcionTipo {
            valor: t.as_str(),
            texto: match t.numeral() {
                Some(n) => format!("{} — {} (Anexo 2, {n})", t.as_str(), t.nombre()),
                None => format!("{} — {}", t.as_str(), t.nombre()),
            },
        })
        .collect()
}

fn bloque(u: &Usuario, o: ObjetoSoporte, id: &str, volver: String, l: ListaSoportes) -> Bloque {
    let (retirados, vigentes): (Vec<_>, Vec<_>) = l.items.into_iter().partition(|s| s.retirado.is_some());
    Bloque {
        objeto: o.as_str(),
        objeto_id: id.to_string(),
        volver,
        csrf: u.sesion.csrf.clone(),
        filas: vigentes.into_iter().map(fila).collect(),
        retirados: retirados.into_iter().map(fila).collect(),
        puede_adjuntar: soportes::adjuntan(o).contains(&u.sesion.actor.rol),
        tipos: tipos(o),
        tipo: String::new(),
        documento_usuario: String::new(),
        error: None,
        espacio: format!(
            "Los soportes del prestador ocupan {} de {}.",
            tamano(usize::try_from(l.bytes_usados).unwrap_or(0)),
            tamano(usize::try_from(l.bytes_maximos).unwrap_or(usize::MAX))
        ),
    }
}

async fn leer(state: &web::Data<AppState>, u: &Usuario, o: ObjetoSoporte, id: &str) -> Result<ListaSoportes, ErrorWeb> {
    let (st, id) = (state.clone(), id.to_string());
    en_bloque(u, move |u| {
        soportes::listar(&st.db, &st.soportes, &u.sesion.actor, o, &id, true)
    })
    .await
}

fn titulo(l: &ListaSoportes) -> String {
    format!("Soportes de {}", l.registro)
}

/// `GET /soportes/{objeto}/{id}`: the block for htmx, or a page of its own.
async fn ver(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: Usuario,
    ruta: web::Path<(String, String)>,
    q: web::Query<Vuelta>,
) -> Result<HttpResponse, ErrorWeb> {
    let (o, id) = ruta.into_inner();
    let o = objeto(&o).map_err(Marco::fallo(&u))?;
    let l = leer(&state, &u, o, &id).await?;
    let volver = volver_valido(&q.volver)
        .or_else(|| pagina_actual(&req))
        .unwrap_or_else(|| pagina_de(o, &id));
    let t = titulo(&l);
    let b = bloque(&u, o, &id, volver, l);
    if req.headers().contains_key("hx-request") {
        return html_con(StatusCode::OK, &Fragmento { b });
    }
    pagina(
        &u,
        &Pagina {
            marco: Marco::de(&u, t.clone(), ""),
            titulo: t,
            b,
        },
    )
}

/// `POST /soportes/{objeto}/{id}` (multipart): attaches the file, then back to `volver`; a
/// refused file shows the block again with why, next to the form.
async fn adjuntar(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: Usuario,
    ruta: web::Path<(String, String)>,
    mut partes: Multipart,
) -> Result<HttpResponse, ErrorWeb> {
    let (o, id) = ruta.into_inner();
    let o = objeto(&o).map_err(Marco::fallo(&u))?;
    let maximo = state.soportes.max_bytes_archivo;
    let (mut csrf, mut tipo, mut documento, mut volver) = (String::new(), String::new(), String::new(), String::new());
    let mut archivo: Option<subida::Archivo> = None;
    while let Some(campo) = partes.next().await {
        let mut campo = campo.map_err(subida::ilegible)?;
        let nombre = campo.name().unwrap_or_default().to_string();
        if nombre == "archivo" {
            // The token and the role before the file's bytes are read.
            exigir_csrf(&req, &u, &csrf)?;
            u.sesion
                .actor
                .exigir(soportes::adjuntan(o), &format!("adjuntar soportes a {}", o.nombre()))
                .map_err(Marco::fallo(&u))?;
            let a = subida::archivo(&mut campo, maximo, &u).await?;
            if !a.nombre.is_empty() {
                archivo = Some(a);
            }
        } else {
            let v = subida::texto(&mut campo).await?;
            match nombre.as_str() {
                "csrf" => csrf = v,
                "tipo" => tipo = v,
                "documento_usuario" => documento = v,
                "volver" => volver = v,
                _ => {}
            }
        }
    }
    exigir_csrf(&req, &u, &csrf)?;
    let volver = volver_valido(&volver).unwrap_or_else(|| pagina_de(o, &id));
    let tipo_leido = tipo.parse::<TipoSoporte>();
    let r: Result<soportes::Adjunto, AppError> = match (&archivo, tipo_leido) {
        (_, Err(_)) => Err(AppError::invalid("tipo", "Elija el tipo de soporte.")),
        (None, _) => Err(AppError::invalid("archivo", "Elija el archivo que va a adjuntar.")),
        (Some(a), _) if a.demasiado => Err(AppError::Excedido(format!(
            "«{}» pesa más de {}, el máximo por archivo (soportes.max_bytes_archivo).",
            a.nombre,
            tamano(maximo)
        ))),
        (Some(_), Ok(t)) => {
            let a = archivo.take().expect("checked above");
            let n = NuevoSoporte {
                objeto: o,
                objeto_id: id.clone(),
                tipo: t,
                nombre: a.nombre,
                documento_usuario: documento.clone(),
                bytes: a.bytes,
            };
            let st = state.clone();
            let actor = u.sesion.actor.clone();
            web::block(move || soportes::adjuntar(&st.db, &st.soportes, &actor, st.hoy(), n)).await?
        }
    };
    match r {
        Ok(a) => {
            let s = &a.soporte;
            let aviso = if a.nuevo {
                format!("Soporte {} «{}» adjuntado.", s.tipo, s.nombre)
            } else {
                format!(
                    "«{}» ya estaba adjunto como soporte {}: no se guardó otra vez.",
                    s.nombre, s.tipo
                )
            };
            Ok(con_aviso(&volver, &aviso))
        }
        // Who may not, or a record that is not there, is the page's error; what is wrong with
        // the file or the fields is said next to the form.
        Err(e @ (AppError::Forbidden(_) | AppError::NotFound(_) | AppError::Internal(_) | AppError::Ocupado(_))) => {
            Err(Marco::fallo(&u)(e))
        }
        Err(e) => {
            let status = actix_web::ResponseError::status_code(&e);
            let mensaje = match e {
                AppError::Invalid(v) => v.into_iter().map(|x| x.message).collect::<Vec<_>>().join(" "),
                otro => otro.to_string(),
            };
            let l = leer(&state, &u, o, &id).await?;
            let t = titulo(&l);
            let mut b = bloque(&u, o, &id, volver, l);
            b.tipo = tipo;
            b.documento_usuario = documento;
            b.error = Some(mensaje);
            let p = Pagina {
                marco: Marco::de(&u, t.clone(), ""),
                titulo: t,
                b,
            };
            html_con(status, &p)
        }
    }
}

#[derive(Deserialize)]
struct FormRetiro {
    #[serde(default)]
    motivo: String,
    #[serde(default)]
    volver: String,
}

/// `POST /soportes/{id}/retiro`: removes it with the reason given, then back to `volver`.
async fn retirar(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: Usuario,
    id: web::Path<String>,
    cuerpo: web::Bytes,
) -> Result<HttpResponse, ErrorWeb> {
    let f: FormRetiro = formulario(&req, &u, &cuerpo)?;
    let (st, id, motivo) = (state.clone(), id.into_inner(), f.motivo);
    let s = en_bloque(&u, move |u| {
        soportes::retirar(&st.db, &u.sesion.actor, st.hoy(), &id, &motivo)
    })
    .await?;
    let volver = volver_valido(&f.volver).unwrap_or_else(|| pagina_de(s.objeto, &s.objeto_id));
    Ok(con_aviso(
        &volver,
        &format!("Soporte {} «{}» retirado; queda en el historial.", s.tipo, s.nombre),
    ))
}

/// `GET /soportes/{id}/archivo`: the file, as the API serves it.
async fn descargar(state: web::Data<AppState>, u: Usuario, id: web::Path<String>) -> Result<HttpResponse, ErrorWeb> {
    let (st, id) = (state.clone(), id.into_inner());
    let (v, bytes) = en_bloque(&u, move |u| soportes::descargar(&st.db, &u.sesion.actor, &id)).await?;
    Ok(crate::api::soportes::archivo(&v, bytes))
}

pub fn rutas(cfg: &mut web::ServiceConfig) {
    cfg.route("/soportes/{id}/archivo", web::get().to(descargar))
        .route("/soportes/{id}/retiro", web::post().to(retirar))
        .route("/soportes/{objeto}/{id}", web::get().to(ver))
        .route("/soportes/{objeto}/{id}", web::post().to(adjuntar));
}
