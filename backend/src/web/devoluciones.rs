//! Registering the payer's devolución of an invoice (the due date of the answer shown before
//! saving; only the codes the manual in force accepts for the invoice) and answering it (only
//! the response codes that fit), from the invoice's page. The same use cases as
//! `POST /api/v1/facturas/{id}/devolucion` and its answer.

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::formato::{dias_habiles, fecha, palabras};
use super::formulario::{estado, leer_fecha, por_campo, Errores, Opcion};
use super::sesion::{con_aviso, en_bloque, formulario, pagina, Usuario};
use super::{html_con, ErrorWeb, Marco};
use crate::api::AppState;
use crate::app::devoluciones::{self, DevolucionVista, NuevaDevolucion, NuevaRespuestaDevolucion, REGISTRAN};
use crate::app::facturas::{self, FacturaVista};
use crate::app::AppError;
use crate::domain::calendario::dias_habiles_entre;
use crate::domain::catalogo::{Catalogo, RespondeA};

/// What the devolución form typed.
#[derive(Deserialize, Default, Clone)]
pub struct FormDevolucion {
    #[serde(default)]
    pub codigo: String,
    #[serde(default)]
    pub fecha: String,
    #[serde(default)]
    pub observacion: String,
    /// `revisar` to see what would be recorded, anything else to record it.
    #[serde(default)]
    pub accion: String,
}

/// What the devolución would mean, before it is saved.
pub struct Revision {
    pub vence: String,
    pub plazo: String,
    pub fuente: String,
    pub extemporanea: bool,
}

#[derive(Template)]
#[template(path = "devolucion_nueva.html")]
struct DevolucionNueva {
    marco: Marco,
    factura_id: String,
    numero: String,
    radicada: String,
    f: FormDevolucion,
    codigos: Vec<Opcion>,
    errores: Errores,
    revision: Option<Revision>,
}

fn form_devolucion(
    st: &AppState,
    u: &Usuario,
    factura_id: &str,
    f: FormDevolucion,
    errores: Errores,
    revision: Option<Revision>,
) -> Result<DevolucionNueva, AppError> {
    let fac = facturas::obtener(&st.db, &st.terminos, st.hoy(), &u.sesion.actor, factura_id)?;
    Ok(DevolucionNueva {
        marco: Marco::de(u, format!("Registrar devolución · {}", fac.numero), "/facturas"),
        codigos: Opcion::todas(Catalogo::oficial().devoluciones_para(fac.fecha_expedicion)),
        factura_id: fac.id,
        numero: fac.numero,
        radicada: super::formato::fecha_o_guion(fac.fecha_radicacion),
        f,
        errores,
        revision,
    })
}

/// The devolución just recorded (or reviewed): the invoice's latest.
fn la_nueva(v: &FacturaVista) -> Option<&DevolucionVista> {
    v.devoluciones.as_ref().and_then(|d| d.iter().max_by_key(|d| d.fecha))
}

async fn nueva(state: web::Data<AppState>, u: Usuario, id: web::Path<String>) -> Result<HttpResponse, ErrorWeb> {
    let f = FormDevolucion {
        fecha: state.hoy().to_string(),
        ..Default::default()
    };
    let id = id.into_inner();
    let p = en_bloque(&u, move |u| {
        u.sesion.actor.exigir(REGISTRAN, "registrar devoluciones")?;
        form_devolucion(&state, u, &id, f, Errores::new(), None)
    })
    .await?;
    pagina(&u, &p)
}

/// Records a devolución, or with `accion=revisar` shows what would be recorded and keeps the
/// form (nothing is written).
async fn registrar(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: Usuario,
    id: web::Path<String>,
    cuerpo: web::Bytes,
) -> Result<HttpResponse, ErrorWeb> {
    let f: FormDevolucion = formulario(&req, &u, &cuerpo)?;
    let id = id.into_inner();
    let r = en_bloque(
        &u,
        move |u| -> Result<Result<FacturaVista, DevolucionNueva>, AppError> {
            let actor = &u.sesion.actor;
            actor.exigir(REGISTRAN, "registrar devoluciones")?;
            let mut errores = Errores::new();
            let Some(dia) = leer_fecha("fecha", &f.fecha, &mut errores) else {
                return Ok(Err(form_devolucion(&state, u, &id, f, errores, None)?));
            };
            let n = NuevaDevolucion {
                codigo: f.codigo.trim().to_string(),
                fecha: dia,
                observacion: f.observacion.trim().to_string(),
            };
            let hoy = state.hoy();
            let revisar = f.accion == "revisar";
            let hecho = if revisar {
                devoluciones::revisar(&state.db, &state.terminos, hoy, actor, &id, n)
            } else {
                devoluciones::devolver(&state.db, &state.terminos, hoy, actor, &id, n)
            };
            match hecho {
                Ok(v) if !revisar => Ok(Ok(v)),
                Ok(v) => {
                    let d = la_nueva(&v);
                    let vence = d.and_then(|d| d.fecha_limite_respuesta);
                    let r = Revision {
                        vence: vence.map(fecha).unwrap_or_else(|| "—".into()),
                        plazo: vence
                            .map(|l| dias_habiles(dias_habiles_entre(hoy, l)))
                            .unwrap_or_default(),
                        fuente: state.terminos.respuesta_devolucion.fuente.clone(),
                        extemporanea: d.is_some_and(|d| d.extemporanea),
                    };
                    Ok(Err(form_devolucion(&state, u, &id, f, errores, Some(r))?))
                }
                Err(e) => Ok(Err(form_devolucion(&state, u, &id, f, por_campo(e)?, None)?)),
            }
        },
    )
    .await?;
    match r {
        Ok(v) => {
            let d = la_nueva(&v);
            let que = match d {
                Some(d) if d.extemporanea => format!(
                    "Devolución {} registrada como extemporánea (no tiene efecto): respóndala con RE9501.",
                    d.codigo
                ),
                Some(d) => format!(
                    "Devolución {} registrada; respóndala a más tardar el {}.",
                    d.codigo,
                    d.fecha_limite_respuesta.map(fecha).unwrap_or_default()
                ),
                None => "Devolución registrada.".into(),
            };
            Ok(con_aviso(
                &format!("/facturas/{}", v.id),
                &format!("Factura {}: {que}", v.numero),
            ))
        }
        Err(p) => html_con(estado(&p.errores), &p),
    }
}

#[derive(Deserialize, Default, Clone)]
pub struct FormRespuesta {
    #[serde(default)]
    pub codigo: String,
    #[serde(default)]
    pub fecha: String,
    #[serde(default)]
    pub justificacion: String,
}

#[derive(Template)]
#[template(path = "devolucion_respuesta.html")]
struct DevolucionRespuesta {
    marco: Marco,
    factura_id: String,
    devolucion_id: String,
    numero: String,
    codigo: String,
    descripcion: String,
    comunicada: String,
    extemporanea: bool,
    vence: String,
    plazo: String,
    vencida: bool,
    f: FormRespuesta,
    codigos: Vec<Opcion>,
    errores: Errores,
}

fn form_respuesta(
    st: &AppState,
    u: &Usuario,
    factura_id: &str,
    devolucion_id: &str,
    f: FormRespuesta,
    errores: Errores,
) -> Result<DevolucionRespuesta, AppError> {
    let hoy = st.hoy();
    let fac = facturas::obtener(&st.db, &st.terminos, hoy, &u.sesion.actor, factura_id)?;
    let Some(d) = fac
        .devoluciones
        .as_ref()
        .and_then(|ds| ds.iter().find(|d| d.id == devolucion_id))
    else {
        return Err(AppError::not_found("la devolución"));
    };
    let f = if f.fecha.is_empty() {
        FormRespuesta {
            fecha: hoy.to_string(),
            ..f
        }
    } else {
        f
    };
    Ok(DevolucionRespuesta {
        marco: Marco::de(
            u,
            format!("Responder devolución {} · {}", d.codigo, fac.numero),
            "/facturas",
        ),
        codigos: Opcion::todas(Catalogo::oficial().respuestas_para(
            RespondeA::Devolucion,
            d.extemporanea,
            fac.fecha_expedicion,
        )),
        factura_id: fac.id.clone(),
        devolucion_id: d.id.clone(),
        numero: fac.numero.clone(),
        codigo: d.codigo.clone(),
        descripcion: d.descripcion_codigo.clone().unwrap_or_default(),
        comunicada: fecha(d.fecha),
        extemporanea: d.extemporanea,
        vence: d.fecha_limite_respuesta.map(fecha).unwrap_or_default(),
        plazo: d
            .fecha_limite_respuesta
            .map(|l| dias_habiles(dias_habiles_entre(hoy, l)))
            .unwrap_or_default(),
        vencida: d.fecha_limite_respuesta.is_some_and(|l| hoy > l),
        f,
        errores,
    })
}

async fn responder_form(
    state: web::Data<AppState>,
    u: Usuario,
    ruta: web::Path<(String, String)>,
) -> Result<HttpResponse, ErrorWeb> {
    let (fid, id) = ruta.into_inner();
    let p = en_bloque(&u, move |u| {
        u.sesion.actor.exigir(REGISTRAN, "responder devoluciones")?;
        form_respuesta(&state, u, &fid, &id, FormRespuesta::default(), Errores::new())
    })
    .await?;
    pagina(&u, &p)
}

async fn responder(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: Usuario,
    ruta: web::Path<(String, String)>,
    cuerpo: web::Bytes,
) -> Result<HttpResponse, ErrorWeb> {
    let f: FormRespuesta = formulario(&req, &u, &cuerpo)?;
    let (fid, id) = ruta.into_inner();
    let r = en_bloque(
        &u,
        move |u| -> Result<Result<(FacturaVista, String), DevolucionRespuesta>, AppError> {
            let mut errores = Errores::new();
            let Some(dia) = leer_fecha("fecha", &f.fecha, &mut errores) else {
                return Ok(Err(form_respuesta(&state, u, &fid, &id, f, errores)?));
            };
            let n = NuevaRespuestaDevolucion {
                codigo: f.codigo.trim().to_string(),
                fecha: dia,
                justificacion: f.justificacion.trim().to_string(),
            };
            match devoluciones::responder(&state.db, &state.terminos, state.hoy(), &u.sesion.actor, &id, n) {
                Ok(v) => Ok(Ok((v, id))),
                Err(e) => {
                    let errores = por_campo(e)?;
                    Ok(Err(form_respuesta(&state, u, &fid, &id, f, errores)?))
                }
            }
        },
    )
    .await?;
    match r {
        Ok((v, id)) => {
            let d = v.devoluciones.iter().flatten().find(|d| d.id == id);
            let texto = match d {
                Some(d) => format!(
                    "Devolución {} de la factura {} respondida con {}. Estado: {}.",
                    d.codigo,
                    v.numero,
                    d.respuesta_codigo.clone().unwrap_or_default(),
                    palabras(d.estado.as_str())
                ),
                None => format!("Devolución de la factura {} respondida.", v.numero),
            };
            Ok(con_aviso(&format!("/facturas/{}", v.id), &texto))
        }
        Err(p) => html_con(actix_web::http::StatusCode::UNPROCESSABLE_ENTITY, &p),
    }
}

pub fn rutas(cfg: &mut web::ServiceConfig) {
    cfg.route("/facturas/{id}/devoluciones/nueva", web::get().to(nueva))
        .route("/facturas/{id}/devoluciones", web::post().to(registrar))
        .route(
            "/facturas/{fid}/devoluciones/{id}/responder",
            web::get().to(responder_form),
        )
        .route("/facturas/{fid}/devoluciones/{id}/respuesta", web::post().to(responder));
}
