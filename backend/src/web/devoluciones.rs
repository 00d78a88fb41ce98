//! Registering the payer's devolución of an invoice (the due date of the answer shown before
//! saving; only the codes the manual in force accepts for the invoice), answering it (only
//! the response codes that fit) and the payer's decision on the answer, from the invoice's
//! page; and the devolución's row on that page with the actions its state and the user's role
//! allow. The same use cases as `POST /api/v1/facturas/{id}/devolucion`, its answer and its
//! decision.

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::formato::{dias_habiles, fecha, palabras};
use super::formulario::{estado, leer_fecha, por_campo, Errores, Opcion};
use super::sesion::{con_aviso, en_bloque, formulario, pagina, Usuario};
use super::{html_con, ErrorWeb, Marco};
use crate::api::AppState;
use crate::app::devoluciones::{
    self, DevolucionVista, NuevaDecisionDevolucion, NuevaDevolucion, NuevaRespuestaDevolucion, REGISTRAN,
};
use crate::app::facturas::{self, FacturaVista};
use crate::app::{correcciones, AppError};
use crate::domain::calendario::dias_habiles_entre;
use crate::domain::catalogo::{Catalogo, RespondeA};
use crate::domain::devolucion::{DecisionDevolucion, EstadoDevolucion};
use crate::domain::rol::Rol;

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

/// A devolución's row on its invoice's page, with the actions its state and the user's role
/// allow (each refused again by its use case if forced).
pub struct FilaDevolucion {
    pub id: String,
    pub codigo: String,
    pub descripcion: String,
    pub comunicada: String,
    pub limite: String,
    pub estado: String,
    pub respuesta: String,
    /// The payer's decision on the answer, in words, or its deadline (art. 6.3).
    pub decision: String,
    pub extemporanea: bool,
    /// Still waiting for the prestador's answer.
    pub por_responder: bool,
    /// Answered as unjustified and waiting for the payer to accept the answer or reiterate.
    pub decidir: bool,
    pub anular: bool,
    pub anular_respuesta: bool,
    pub anular_decision: bool,
}

impl FilaDevolucion {
    pub fn alguna_correccion(&self) -> bool {
        self.anular || self.anular_respuesta || self.anular_decision
    }
}

/// Waiting for the payer to accept the answer or reiterate (Res. 2284/2023 art. 6.3): answered
/// as unjustified, not decided, and still the devolución of the radicación in force. Silence
/// makes it unjustified, but a late decision is still recorded.
fn por_decidir(d: &DevolucionVista) -> bool {
    d.vigente && d.decision.is_none() && (d.estado == EstadoDevolucion::Respondida || d.injustificada_por_silencio)
}

pub fn fila(d: DevolucionVista, rol: Rol) -> FilaDevolucion {
    let registra = REGISTRAN.contains(&rol);
    let anula = correcciones::quienes_anulan(REGISTRAN).contains(&rol);
    let decision = match (d.decision, d.decision_fecha) {
        (Some(x), Some(f)) => format!(
            "{} el {}",
            match x {
                DecisionDevolucion::AceptaRespuesta => "El pagador aceptó la respuesta",
                DecisionDevolucion::Reitera => "El pagador reiteró",
            },
            fecha(f)
        ),
        _ if d.injustificada_por_silencio => "El pagador no decidió a tiempo: injustificada".into(),
        _ if por_decidir(&d) => d
            .fecha_limite_reiteracion
            .map(|l| format!("Decide a más tardar el {}", fecha(l)))
            .unwrap_or_default(),
        _ => String::new(),
    };
    FilaDevolucion {
        por_responder: registra
            && d.vigente
            && d.respuesta_codigo.is_none()
            && matches!(d.estado, EstadoDevolucion::Comunicada | EstadoDevolucion::Extemporanea),
        decidir: registra && por_decidir(&d),
        anular: anula && d.vigente,
        anular_respuesta: anula && d.vigente && d.respuesta_codigo.is_some() && d.decision.is_none(),
        anular_decision: anula && d.vigente && d.decision.is_some(),
        decision,
        id: d.id,
        codigo: d.codigo,
        descripcion: d.descripcion_codigo.unwrap_or_default(),
        comunicada: fecha(d.fecha),
        limite: super::formato::fecha_o_guion(d.fecha_limite_respuesta),
        estado: palabras(d.estado.as_str()),
        respuesta: d.respuesta_codigo.unwrap_or_default(),
        extemporanea: d.extemporanea,
    }
}

#[derive(Deserialize, Default, Clone)]
pub struct FormDecision {
    /// `acepta_respuesta` or `reitera`.
    #[serde(default)]
    pub decision: String,
    #[serde(default)]
    pub fecha: String,
}

#[derive(Template)]
#[template(path = "devolucion_decision.html")]
struct DevolucionDecision {
    marco: Marco,
    factura_id: String,
    devolucion_id: String,
    numero: String,
    codigo: String,
    descripcion: String,
    respuesta: String,
    respondida: String,
    vence: String,
    plazo: String,
    vencida: bool,
    fuente: String,
    f: FormDecision,
    errores: Errores,
}

fn form_decision(
    st: &AppState,
    u: &Usuario,
    factura_id: &str,
    devolucion_id: &str,
    f: FormDecision,
    errores: Errores,
) -> Result<DevolucionDecision, AppError> {
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
        FormDecision {
            fecha: hoy.to_string(),
            ..f
        }
    } else {
        f
    };
    let l = d.fecha_limite_reiteracion;
    Ok(DevolucionDecision {
        marco: Marco::de(
            u,
            format!("Decisión del pagador · devolución {} · {}", d.codigo, fac.numero),
            "/facturas",
        ),
        factura_id: fac.id.clone(),
        devolucion_id: d.id.clone(),
        numero: fac.numero.clone(),
        codigo: d.codigo.clone(),
        descripcion: d.descripcion_codigo.clone().unwrap_or_default(),
        respuesta: d.respuesta_codigo.clone().unwrap_or_default(),
        respondida: super::formato::fecha_o_guion(d.respuesta_fecha),
        vence: l.map(fecha).unwrap_or_default(),
        plazo: l.map(|l| dias_habiles(dias_habiles_entre(hoy, l))).unwrap_or_default(),
        vencida: l.is_some_and(|l| hoy > l),
        fuente: st.terminos.reiteracion_devolucion.fuente.clone(),
        f,
        errores,
    })
}

async fn decidir_form(
    state: web::Data<AppState>,
    u: Usuario,
    ruta: web::Path<(String, String)>,
) -> Result<HttpResponse, ErrorWeb> {
    let (fid, id) = ruta.into_inner();
    let p = en_bloque(&u, move |u| {
        u.sesion
            .actor
            .exigir(REGISTRAN, "registrar la decisión del pagador sobre una devolución")?;
        form_decision(&state, u, &fid, &id, FormDecision::default(), Errores::new())
    })
    .await?;
    pagina(&u, &p)
}

/// The payer accepts the prestador's answer (the devolución is withdrawn) or reiterates it
/// (Res. 2284/2023 art. 6.3).
async fn decidir(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: Usuario,
    ruta: web::Path<(String, String)>,
    cuerpo: web::Bytes,
) -> Result<HttpResponse, ErrorWeb> {
    let f: FormDecision = formulario(&req, &u, &cuerpo)?;
    let (fid, id) = ruta.into_inner();
    let r = en_bloque(
        &u,
        move |u| -> Result<Result<(FacturaVista, String), DevolucionDecision>, AppError> {
            let actor = &u.sesion.actor;
            actor.exigir(REGISTRAN, "registrar la decisión del pagador sobre una devolución")?;
            let mut errores = Errores::new();
            let decision = match f.decision.as_str() {
                "acepta_respuesta" => Some(DecisionDevolucion::AceptaRespuesta),
                "reitera" => Some(DecisionDevolucion::Reitera),
                _ => {
                    errores.insert("decision".into(), "elija qué decidió el pagador".into());
                    None
                }
            };
            let dia = leer_fecha("fecha", &f.fecha, &mut errores);
            let (Some(decision), Some(fecha)) = (decision, dia) else {
                return Ok(Err(form_decision(&state, u, &fid, &id, f, errores)?));
            };
            // The devolución must be this invoice's: the page goes back to it.
            form_decision(&state, u, &fid, &id, f.clone(), Errores::new())?;
            let n = NuevaDecisionDevolucion { decision, fecha };
            match devoluciones::decidir(&state.db, &state.terminos, state.hoy(), actor, &id, n) {
                Ok(v) => Ok(Ok((v, id))),
                Err(e) => Ok(Err(form_decision(&state, u, &fid, &id, f, por_campo(e)?)?)),
            }
        },
    )
    .await?;
    match r {
        Ok((v, id)) => {
            let d = v.devoluciones.iter().flatten().find(|d| d.id == id);
            let texto = match d {
                Some(d) if d.decision == Some(DecisionDevolucion::Reitera) => format!(
                    "Factura {}: el pagador reiteró la devolución {}; queda en firme. Radique de nuevo la factura \
                     corregida{} o expida la nota crédito.",
                    v.numero,
                    d.codigo,
                    d.fecha_limite_reradicacion
                        .map(|l| format!(" a más tardar el {}", fecha(l)))
                        .unwrap_or_default()
                ),
                Some(d) => format!(
                    "Factura {}: el pagador aceptó la respuesta a la devolución {}; la factura sigue en su trámite \
                     con la radicación del {}.",
                    v.numero,
                    d.codigo,
                    super::formato::fecha_o_guion(v.fecha_radicacion)
                ),
                None => format!("Factura {}: decisión del pagador registrada.", v.numero),
            };
            Ok(con_aviso(&format!("/facturas/{}#devoluciones", v.id), &texto))
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
        .route("/facturas/{fid}/devoluciones/{id}/respuesta", web::post().to(responder))
        .route("/facturas/{fid}/devoluciones/{id}/decidir", web::get().to(decidir_form))
        .route("/facturas/{fid}/devoluciones/{id}/decision", web::post().to(decidir));
}
