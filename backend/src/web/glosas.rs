//! Registering a glosa (the due date of the answer shown before saving, extemporánea said at
//! once) and answering one (only the response codes that fit), from an invoice's page. The
//! same use cases as `POST /api/v1/facturas/{id}/glosas` and `POST /api/v1/glosas/{id}/respuesta`.

use std::collections::HashMap;

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::formato::{dias_habiles, fecha, palabras, pesos};
use super::formulario::{estado, leer_fecha, leer_valor, por_campo, Opcion};
use super::sesion::{con_aviso, formulario, pagina, Usuario};
use super::{html_con, ErrorWeb, Marco};
use crate::api::AppState;
use crate::app::glosas::{self, GlosaVista, NuevaGlosa, NuevaRespuesta};
use crate::app::{facturas, AppError};
use crate::domain::calendario::dias_habiles_entre;
use crate::domain::catalogo::{Catalogo, RespondeA};

/// What a form typed, as typed, to give it back with its errors.
#[derive(Deserialize, Default, Clone)]
pub struct FormGlosa {
    #[serde(default)]
    pub codigo: String,
    #[serde(default)]
    pub valor: String,
    #[serde(default)]
    pub fecha_formulacion: String,
    #[serde(default)]
    pub fecha_recepcion: String,
    #[serde(default)]
    pub item: String,
    #[serde(default)]
    pub observacion: String,
    /// `revisar` to see what would be recorded, anything else to record it.
    #[serde(default)]
    pub accion: String,
}

#[derive(Template)]
#[template(path = "glosa_nueva.html")]
struct GlosaNueva {
    marco: Marco,
    factura_id: String,
    numero: String,
    saldo: String,
    f: FormGlosa,
    codigos: Vec<Opcion>,
    lineas: Vec<(i32, String)>,
    errores: HashMap<String, String>,
    /// What would be recorded, after "Revisar".
    revision: Option<Revision>,
}

/// A form that comes back: what was typed, its errors by field, and the review if asked.
type Vuelta = (FormGlosa, HashMap<String, String>, Option<Revision>);

pub struct Revision {
    pub vence: String,
    pub plazo: String,
    pub fuente: String,
    pub extemporanea: bool,
}

impl FormGlosa {
    /// The use case's input, or the errors of what could not be read.
    fn nueva(&self) -> Result<NuevaGlosa, HashMap<String, String>> {
        let mut e = HashMap::new();
        let valor = leer_valor("valor", &self.valor, &mut e);
        let formulacion = leer_fecha("fecha_formulacion", &self.fecha_formulacion, &mut e);
        let recepcion = leer_fecha("fecha_recepcion", &self.fecha_recepcion, &mut e);
        let item = match self.item.trim() {
            "" => None,
            i => match i.parse() {
                Ok(n) => Some(n),
                Err(_) => {
                    e.insert("item".into(), "elija un servicio de la lista".into());
                    None
                }
            },
        };
        match (valor, formulacion, recepcion) {
            (Some(valor), Some(fecha_formulacion), Some(fecha_recepcion)) if e.is_empty() => Ok(NuevaGlosa {
                codigo: self.codigo.trim().to_string(),
                valor,
                fecha_formulacion,
                fecha_recepcion,
                item,
                observacion: self.observacion.trim().to_string(),
                hecho_nuevo: false,
                reemplaza: None,
            }),
            _ => Err(e),
        }
    }
}

/// The page of the form, with what the invoice offers to pick.
fn form_glosa(
    st: &AppState,
    u: &Usuario,
    factura_id: &str,
    f: FormGlosa,
    errores: HashMap<String, String>,
    revision: Option<Revision>,
) -> Result<GlosaNueva, AppError> {
    let fac = facturas::obtener(&st.db, &st.terminos, st.hoy(), &u.sesion.actor, factura_id)?;
    let codigos = Catalogo::oficial()
        .glosas_para(fac.fecha_expedicion)
        .into_iter()
        .map(Opcion::de)
        .collect();
    let lineas = fac
        .items
        .unwrap_or_default()
        .into_iter()
        .map(|i| {
            (
                i.linea,
                format!("{} · {} · {}", i.linea, i.descripcion, pesos(i.valor_total)),
            )
        })
        .collect();
    Ok(GlosaNueva {
        marco: Marco::de(u, format!("Registrar glosa · {}", fac.numero), "/facturas"),
        factura_id: fac.id,
        numero: fac.numero,
        saldo: pesos(fac.saldo),
        f,
        codigos,
        lineas,
        errores,
        revision,
    })
}

async fn nueva(state: web::Data<AppState>, u: Usuario, id: web::Path<String>) -> Result<HttpResponse, ErrorWeb> {
    let hoy = state.hoy().to_string();
    let f = FormGlosa {
        fecha_formulacion: hoy.clone(),
        fecha_recepcion: hoy,
        ..Default::default()
    };
    let st = state.clone();
    let id = id.into_inner();
    let u2 = Usuario {
        sesion: u.sesion.clone(),
        aviso: None,
    };
    let p = web::block(move || {
        u2.sesion.actor.exigir(glosas::CARTERA, "registrar glosas")?;
        form_glosa(&st, &u2, &id, f, HashMap::new(), None)
    })
    .await?
    .map_err(Marco::fallo(&u))?;
    pagina(&u, &p)
}

/// Registers a glosa, or with `accion=revisar` shows what would be recorded and keeps the form.
async fn registrar(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: Usuario,
    id: web::Path<String>,
    cuerpo: web::Bytes,
) -> Result<HttpResponse, ErrorWeb> {
    let f: FormGlosa = formulario(&req, &u, &cuerpo)?;
    let id = id.into_inner();
    let st = state.clone();
    let sesion = u.sesion.clone();
    let resultado = web::block(move || -> Result<Result<GlosaVista, Vuelta>, AppError> {
        let u = Usuario { sesion, aviso: None };
        let actor = &u.sesion.actor;
        let n = match f.nueva() {
            Ok(n) => n,
            Err(errores) => return Ok(Err((f, errores, None))),
        };
        let hoy = st.hoy();
        if f.accion == "revisar" {
            return match glosas::revisar(&st.db, &st.terminos, hoy, actor, &id, n) {
                Ok(g) => {
                    let r = Revision {
                        vence: fecha(g.fecha_limite_respuesta),
                        plazo: dias_habiles(dias_habiles_entre(hoy, g.fecha_limite_respuesta)),
                        fuente: st.terminos.respuesta.fuente.clone(),
                        extemporanea: g.extemporanea,
                    };
                    Ok(Err((f, HashMap::new(), Some(r))))
                }
                Err(e) => Ok(Err((f, por_campo(e)?, None))),
            };
        }
        match glosas::glosar(&st.db, &st.terminos, hoy, actor, &id, n) {
            Ok(g) => Ok(Ok(g)),
            Err(e) => Ok(Err((f, por_campo(e)?, None))),
        }
    })
    .await?
    .map_err(Marco::fallo(&u))?;
    match resultado {
        Ok(g) => Ok(con_aviso(
            &format!("/facturas/{}", g.factura_id),
            &format!(
                "Glosa {} por {} registrada; respóndala a más tardar el {}.",
                g.codigo,
                pesos(g.valor),
                fecha(g.fecha_limite_respuesta)
            ),
        )),
        Err((f, errores, revision)) => {
            let status = estado(&errores);
            let st = state.clone();
            let sesion = u.sesion.clone();
            let fid = req.match_info().get("id").unwrap_or_default().to_string();
            let p = web::block(move || {
                let u = Usuario { sesion, aviso: None };
                form_glosa(&st, &u, &fid, f, errores, revision)
            })
            .await?
            .map_err(Marco::fallo(&u))?;
            html_con(status, &p)
        }
    }
}

#[derive(Deserialize, Default, Clone)]
pub struct FormRespuesta {
    #[serde(default)]
    pub codigo: String,
    #[serde(default)]
    pub valor_aceptado: String,
    #[serde(default)]
    pub valor_sustentado: String,
    #[serde(default)]
    pub justificacion: String,
    #[serde(default)]
    pub fecha: String,
}

#[derive(Template)]
#[template(path = "glosa_respuesta.html")]
struct GlosaRespuesta {
    marco: Marco,
    glosa_id: String,
    factura_id: String,
    numero: String,
    codigo: String,
    descripcion: String,
    valor: String,
    vence: String,
    plazo: String,
    vencida: bool,
    f: FormRespuesta,
    codigos: Vec<Opcion>,
    errores: HashMap<String, String>,
}

fn form_respuesta(
    st: &AppState,
    u: &Usuario,
    glosa_id: &str,
    f: FormRespuesta,
    errores: HashMap<String, String>,
) -> Result<GlosaRespuesta, AppError> {
    let hoy = st.hoy();
    let g = glosas::obtener(&st.db, &st.terminos, hoy, &u.sesion.actor, glosa_id)?;
    let fac = facturas::obtener(&st.db, &st.terminos, hoy, &u.sesion.actor, &g.factura_id)?;
    let codigos = Catalogo::oficial()
        .respuestas_para(RespondeA::Glosa, g.extemporanea, fac.fecha_expedicion)
        .into_iter()
        .map(Opcion::de)
        .collect();
    let f = if f.valor_sustentado.is_empty() && f.valor_aceptado.is_empty() {
        FormRespuesta {
            valor_aceptado: "0".into(),
            valor_sustentado: pesos(g.valor).trim_start_matches("$ ").to_string(),
            fecha: hoy.to_string(),
            ..f
        }
    } else {
        f
    };
    Ok(GlosaRespuesta {
        marco: Marco::de(u, format!("Responder glosa {} · {}", g.codigo, fac.numero), "/facturas"),
        glosa_id: g.id,
        factura_id: fac.id,
        numero: fac.numero,
        codigo: g.codigo,
        descripcion: g.descripcion_codigo.unwrap_or_default(),
        valor: pesos(g.valor),
        vence: fecha(g.fecha_limite_respuesta),
        plazo: dias_habiles(dias_habiles_entre(hoy, g.fecha_limite_respuesta)),
        vencida: hoy > g.fecha_limite_respuesta,
        f,
        codigos,
        errores,
    })
}

async fn responder_form(
    state: web::Data<AppState>,
    u: Usuario,
    id: web::Path<String>,
) -> Result<HttpResponse, ErrorWeb> {
    let st = state.clone();
    let sesion = u.sesion.clone();
    let id = id.into_inner();
    let p = web::block(move || {
        let u = Usuario { sesion, aviso: None };
        u.sesion.actor.exigir(glosas::CARTERA, "responder glosas")?;
        form_respuesta(&st, &u, &id, FormRespuesta::default(), HashMap::new())
    })
    .await?
    .map_err(Marco::fallo(&u))?;
    pagina(&u, &p)
}

async fn responder(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: Usuario,
    id: web::Path<String>,
    cuerpo: web::Bytes,
) -> Result<HttpResponse, ErrorWeb> {
    let f: FormRespuesta = formulario(&req, &u, &cuerpo)?;
    let id = id.into_inner();
    let st = state.clone();
    let sesion = u.sesion.clone();
    let r = web::block(move || -> Result<Result<GlosaVista, GlosaRespuesta>, AppError> {
        let u = Usuario { sesion, aviso: None };
        let mut errores = HashMap::new();
        let aceptado = leer_valor("valor_aceptado", &f.valor_aceptado, &mut errores);
        let sustentado = leer_valor("valor_sustentado", &f.valor_sustentado, &mut errores);
        let dia = leer_fecha("fecha", &f.fecha, &mut errores);
        let (Some(valor_aceptado), Some(valor_sustentado), Some(fecha)) = (aceptado, sustentado, dia) else {
            return Ok(Err(form_respuesta(&st, &u, &id, f, errores)?));
        };
        let n = NuevaRespuesta {
            codigo: f.codigo.trim().to_string(),
            valor_aceptado,
            valor_sustentado,
            justificacion: f.justificacion.trim().to_string(),
            fecha,
        };
        match glosas::responder(&st.db, &st.terminos, st.hoy(), &u.sesion.actor, &id, n) {
            Ok(g) => Ok(Ok(g)),
            Err(e) => {
                let errores = por_campo(e)?;
                Ok(Err(form_respuesta(&st, &u, &id, f, errores)?))
            }
        }
    })
    .await?
    .map_err(Marco::fallo(&u))?;
    match r {
        Ok(g) => Ok(con_aviso(
            &format!("/facturas/{}", g.factura_id),
            &format!(
                "Glosa {} respondida: aceptado {}, sustentado {}. Estado: {}.",
                g.codigo,
                pesos(g.valor_aceptado),
                pesos(g.valor_sustentado),
                palabras(g.estado.as_str())
            ),
        )),
        Err(p) => html_con(actix_web::http::StatusCode::UNPROCESSABLE_ENTITY, &p),
    }
}

pub fn rutas(cfg: &mut web::ServiceConfig) {
    cfg.route("/facturas/{id}/glosas/nueva", web::get().to(nueva))
        .route("/facturas/{id}/glosas", web::post().to(registrar))
        .route("/glosas/{id}/responder", web::get().to(responder_form))
        .route("/glosas/{id}/respuesta", web::post().to(responder));
}
