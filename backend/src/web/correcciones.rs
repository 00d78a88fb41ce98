//! Corrections from the web: voiding (anular) what was recorded by mistake — a glosa, its
//! answer or the payer's decision on it; a devolución, its answer or its decision; a
//! radicación; a payment or one of its applications. Each is a page that says what will be
//! voided and what follows, asks for the reason and to confirm, and calls the same use case
//! as `POST /api/v1/.../anulacion` (`api/correcciones.rs`). Nothing is edited or erased: the
//! use case records a reversal event with the reason, kept in the trazabilidad.
//!
//! The page is `GET` of the same path it posts to; only the roles the use case allows are
//! offered it, and a post from any other role is refused by the use case itself.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::formato::{fecha, fecha_o_guion, palabras, pesos};
use super::formulario::{por_campo, Errores};
use super::sesion::{con_aviso, en_bloque, formulario, pagina, Usuario};
use super::{html_con, ErrorWeb, Marco};
use crate::api::AppState;
use crate::app::correcciones::{quienes_anulan, Anulacion};
use crate::app::devoluciones::DevolucionVista;
use crate::app::facturas::FacturaVista;
use crate::app::{devoluciones, facturas, glosas, pagadores, pagos, radicaciones, AppError};
use crate::domain::rol::Rol;

/// What can be voided from the web.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tipo {
    Glosa,
    RespuestaGlosa,
    DecisionGlosa,
    Devolucion,
    RespuestaDevolucion,
    DecisionDevolucion,
    Radicacion,
    Pago,
    Aplicacion,
}

/// The ids in the path: `{id}`, and `{fid}` (the invoice of a devolución) or `{aid}` (an
/// application of payment `{id}`).
struct Ids {
    id: String,
    fid: String,
    aid: String,
}

impl Ids {
    fn de(req: &HttpRequest) -> Ids {
        let m = req.match_info();
        let v = |k| m.get(k).unwrap_or_default().to_string();
        Ids {
            id: v("id"),
            fid: v("fid"),
            aid: v("aid"),
        }
    }
}

/// What is about to be voided, as the confirmation page says it, and where to go after.
struct Descripcion {
    titulo: String,
    /// The breadcrumb before "Anular": (link, text).
    migas: Vec<(String, String)>,
    datos: Vec<(&'static str, String)>,
    /// What follows from voiding it.
    efecto: String,
    /// The question asked before posting.
    confirmar: String,
    /// Back, without voiding.
    volver: String,
    /// Where to go once voided, and what to say there.
    despues: String,
    aviso: String,
}

impl Tipo {
    /// Who may void it: who records it, and admin (the use case's own rule).
    fn roles(self) -> Vec<Rol> {
        quienes_anulan(match self {
            Tipo::Glosa | Tipo::RespuestaGlosa | Tipo::DecisionGlosa => glosas::CARTERA,
            Tipo::Devolucion | Tipo::RespuestaDevolucion | Tipo::DecisionDevolucion => devoluciones::REGISTRAN,
            Tipo::Radicacion => radicaciones::RADICAN,
            Tipo::Pago | Tipo::Aplicacion => pagos::REGISTRAN,
        })
    }

    fn que(self) -> &'static str {
        match self {
            Tipo::Glosa => "anular glosas",
            Tipo::RespuestaGlosa => "anular respuestas a glosas",
            Tipo::DecisionGlosa => "anular decisiones del pagador sobre glosas",
            Tipo::Devolucion => "anular devoluciones",
            Tipo::RespuestaDevolucion => "anular respuestas a devoluciones",
            Tipo::DecisionDevolucion => "anular decisiones del pagador sobre devoluciones",
            Tipo::Radicacion => "anular radicaciones",
            Tipo::Pago => "anular pagos",
            Tipo::Aplicacion => "anular aplicaciones de pagos",
        }
    }

    /// Whether `rol` is offered this correction (the page hides what the use case refuses).
    fn puede(self, rol: Rol) -> bool {
        self.roles().contains(&rol)
    }

    fn describir(self, st: &AppState, u: &Usuario, ids: &Ids) -> Result<Descripcion, AppError> {
        let actor = &u.sesion.actor;
        let hoy = st.hoy();
        let t = &st.terminos;
        let en_factura = |f: &FacturaVista| {
            vec![
                ("/facturas".to_string(), "Facturas".to_string()),
                (format!("/facturas/{}", f.id), f.numero.clone()),
            ]
        };
        match self {
            Tipo::Glosa | Tipo::RespuestaGlosa | Tipo::DecisionGlosa => {
                let g = glosas::obtener(&st.db, t, hoy, actor, &ids.id)?;
                let f = facturas::obtener(&st.db, t, hoy, actor, &g.factura_id)?;
                let volver = format!("/facturas/{}", f.id);
                let base = Descripcion {
                    titulo: String::new(),
                    migas: en_factura(&f),
                    datos: vec![
                        (
                            "Glosa",
                            format!("{} — {}", g.codigo, g.descripcion_codigo.clone().unwrap_or_default()),
                        ),
                        ("Valor glosado", pesos(g.valor)),
                        ("Recibida", fecha(g.fecha_recepcion)),
                        ("Estado", palabras(g.estado.as_str())),
                    ],
                    efecto: String::new(),
                    confirmar: String::new(),
                    despues: volver.clone(),
                    volver,
                    aviso: String::new(),
                };
                Ok(match self {
                    Tipo::Glosa => Descripcion {
                        titulo: format!("Anular la glosa {} de la factura {}", g.codigo, f.numero),
                        efecto: "La glosa deja de contar en el saldo, los plazos y las alertas; lo que había \
                                 quedado a cargo del prestador vuelve a deberse. Queda en la trazabilidad con su \
                                 anulación y el motivo. Si el pagador glosó otra cosa, registre luego la glosa \
                                 correcta."
                            .into(),
                        confirmar: format!(
                            "¿Anular la glosa {} por {} de la factura {}?",
                            g.codigo,
                            pesos(g.valor),
                            f.numero
                        ),
                        aviso: format!(
                            "Glosa {} por {} anulada; queda en la trazabilidad con el motivo.",
                            g.codigo,
                            pesos(g.valor)
                        ),
                        ..base
                    },
                    Tipo::RespuestaGlosa => {
                        let codigo = g.respuesta_codigo.clone().unwrap_or_default();
                        let mut datos = base.datos;
                        datos.push((
                            "Respuesta",
                            format!(
                                "{codigo} del {}: aceptado {}, sustentado {}",
                                fecha_o_guion(g.fecha_respuesta),
                                pesos(g.valor_aceptado),
                                pesos(g.valor_sustentado)
                            ),
                        ));
                        let vence = fecha(g.fecha_limite_respuesta);
                        Descripcion {
                            titulo: format!("Anular la respuesta a la glosa {} de la factura {}", g.codigo, f.numero),
                            datos,
                            efecto: format!(
                                "La glosa vuelve a esperar respuesta con su término original, que vence el {vence} \
                                 ({}); si ya venció, el silencio la acepta. La respuesta queda en la trazabilidad \
                                 con su anulación y el motivo.",
                                t.respuesta.fuente
                            ),
                            confirmar: format!("¿Anular la respuesta {codigo} a la glosa {}?", g.codigo),
                            aviso: format!(
                                "Respuesta {codigo} a la glosa {} anulada: la glosa espera respuesta de nuevo \
                                 (vence el {vence}).",
                                g.codigo
                            ),
                            ..base
                        }
                    }
                    _ => {
                        let mut datos = base.datos;
                        datos.push((
                            "Decisión del pagador",
                            format!(
                                "{}: levantado {}, ratificado {}",
                                g.resultado_decision.map(|r| palabras(r.as_str())).unwrap_or_default(),
                                pesos(g.valor_levantado),
                                pesos(g.valor_ratificado)
                            ),
                        ));
                        let vence = fecha_o_guion(g.fecha_limite_decision);
                        Descripcion {
                            titulo: format!(
                                "Anular la decisión del pagador sobre la glosa {} de la factura {}",
                                g.codigo, f.numero
                            ),
                            datos,
                            efecto: format!(
                                "La glosa vuelve a quedar respondida, esperando la decisión del pagador con su \
                                 término original, que vence el {vence} ({}). Lo sustentado ({}) vuelve a estar en \
                                 discusión. La decisión queda en la trazabilidad con su anulación y el motivo.",
                                t.decision.fuente,
                                pesos(g.valor_sustentado)
                            ),
                            confirmar: format!(
                                "¿Anular la decisión del pagador (levantado {}) sobre la glosa {}?",
                                pesos(g.valor_levantado),
                                g.codigo
                            ),
                            aviso: format!(
                                "Decisión del pagador sobre la glosa {} anulada: la glosa espera su decisión de \
                                 nuevo (vence el {vence}).",
                                g.codigo
                            ),
                            ..base
                        }
                    }
                })
            }
            Tipo::Devolucion | Tipo::RespuestaDevolucion | Tipo::DecisionDevolucion => {
                let f = facturas::obtener(&st.db, t, hoy, actor, &ids.fid)?;
                let Some(d) = f.devoluciones.iter().flatten().find(|d| d.id == ids.id) else {
                    return Err(AppError::not_found("la devolución"));
                };
                Ok(describir_devolucion(self, st, &f, d, en_factura(&f)))
            }
            Tipo::Radicacion => {
                let f = facturas::obtener(&st.db, t, hoy, actor, &ids.id)?;
                let Some(radicada) = f.fecha_radicacion else {
                    return Err(AppError::Conflict(format!(
                        "la factura {} no está radicada; no hay radicación que anular",
                        f.numero
                    )));
                };
                let radicado = f.numero_radicado.clone().unwrap_or_default();
                let volver = format!("/facturas/{}", f.id);
                Ok(Descripcion {
                    titulo: format!("Anular la radicación de la factura {}", f.numero),
                    migas: en_factura(&f),
                    datos: vec![
                        ("Radicado", radicado.clone()),
                        ("Radicada el", fecha(radicada)),
                        ("Estado", palabras(f.estado.as_str())),
                    ],
                    efecto: "La factura vuelve a su radicación anterior, o a no radicada, con sus términos. Solo \
                             se puede mientras ninguna devolución, glosa ni pago se apoye en esta radicación. \
                             Queda en la trazabilidad con su anulación y el motivo; registre luego la radicación \
                             correcta."
                        .into(),
                    confirmar: format!("¿Anular la radicación {radicado} de la factura {}?", f.numero),
                    aviso: format!("Radicación {radicado} de la factura {} anulada.", f.numero),
                    despues: volver.clone(),
                    volver,
                })
            }
            Tipo::Pago | Tipo::Aplicacion => {
                let p = pagos::obtener(&st.db, actor, &ids.id)?;
                let pagador = pagadores::obtener(&st.db, actor, &p.pagador_id)?.nombre;
                let migas = vec![
                    ("/pagos".to_string(), "Pagos".to_string()),
                    (format!("/pagos/{}", p.id), format!("{} · {pagador}", fecha(p.fecha))),
                ];
                let volver = format!("/pagos/{}", p.id);
                let apls = p.aplicaciones.unwrap_or_default();
                if self == Tipo::Pago {
                    return Ok(Descripcion {
                        titulo: format!("Anular el pago de {} de {pagador}", pesos(p.valor)),
                        migas,
                        datos: vec![
                            ("Pagador", pagador.clone()),
                            ("Recibido", fecha(p.fecha)),
                            ("Valor", pesos(p.valor)),
                            ("Aplicado a facturas", pesos(p.aplicado)),
                            ("Referencia", p.referencia.clone()),
                        ],
                        efecto: format!(
                            "Cada una de sus {} aplicaciones se deshace: esas facturas vuelven a deber lo aplicado. \
                             El pago sale de la lista y queda en las correcciones tal como estaba, con el motivo.",
                            apls.len()
                        ),
                        confirmar: format!(
                            "¿Anular el pago de {} de {pagador}? Se deshacen sus {} aplicaciones.",
                            pesos(p.valor),
                            apls.len()
                        ),
                        aviso: format!(
                            "Pago de {} de {pagador} anulado; {} aplicaciones deshechas en sus facturas.",
                            pesos(p.valor),
                            apls.len()
                        ),
                        volver,
                        despues: "/pagos".into(),
                    });
                }
                let Some(a) = apls.into_iter().find(|a| a.id == ids.aid) else {
                    return Err(AppError::not_found("la aplicación de este pago"));
                };
                let numero = pagos::numeros(&st.db, actor, std::slice::from_ref(&a.factura_id))?
                    .remove(&a.factura_id)
                    .unwrap_or_default();
                Ok(Descripcion {
                    titulo: format!("Anular la aplicación del pago a la factura {numero}"),
                    migas,
                    datos: vec![
                        (
                            "Pago",
                            format!("{} de {pagador}, recibido el {}", pesos(p.valor), fecha(p.fecha)),
                        ),
                        ("Factura", numero.clone()),
                        ("Valor aplicado", pesos(a.valor)),
                        ("Aplicado el", fecha(a.fecha)),
                    ],
                    efecto: format!(
                        "La factura {numero} vuelve a deber {} y ese valor queda en el pago por aplicar, para \
                         aplicarlo bien. Queda en la trazabilidad de la factura con su anulación y el motivo.",
                        pesos(a.valor)
                    ),
                    confirmar: format!("¿Anular la aplicación de {} a la factura {numero}?", pesos(a.valor)),
                    aviso: format!(
                        "Aplicación de {} a la factura {numero} anulada: la factura vuelve a deberlo y queda por \
                         aplicar en el pago.",
                        pesos(a.valor)
                    ),
                    despues: volver.clone(),
                    volver,
                })
            }
        }
    }

    /// The use case, exactly as `api/correcciones.rs` calls it.
    fn ejecutar(self, st: &AppState, u: &Usuario, ids: &Ids, a: Anulacion) -> Result<(), AppError> {
        let (db, t, hoy, actor) = (&st.db, &st.terminos, st.hoy(), &u.sesion.actor);
        match self {
            Tipo::Glosa => glosas::anular(db, t, hoy, actor, &ids.id, a).map(drop),
            Tipo::RespuestaGlosa => glosas::anular_respuesta(db, t, hoy, actor, &ids.id, a).map(drop),
            Tipo::DecisionGlosa => glosas::anular_decision(db, t, hoy, actor, &ids.id, a).map(drop),
            Tipo::Devolucion => devoluciones::anular(db, t, hoy, actor, &ids.id, a).map(drop),
            Tipo::RespuestaDevolucion => devoluciones::anular_respuesta(db, t, hoy, actor, &ids.id, a).map(drop),
            Tipo::DecisionDevolucion => devoluciones::anular_decision(db, t, hoy, actor, &ids.id, a).map(drop),
            Tipo::Radicacion => radicaciones::anular(db, t, hoy, actor, &ids.id, a).map(drop),
            Tipo::Pago => pagos::anular(db, t, hoy, actor, &ids.id, a).map(drop),
            Tipo::Aplicacion => pagos::anular_aplicacion(db, t, hoy, actor, &ids.id, &ids.aid, a).map(drop),
        }
    }
}

fn describir_devolucion(
    tipo: Tipo,
    st: &AppState,
    f: &FacturaVista,
    d: &DevolucionVista,
    migas: Vec<(String, String)>,
) -> Descripcion {
    let t = &st.terminos;
    let volver = format!("/facturas/{}#devoluciones", f.id);
    let mut datos = vec![
        (
            "Devolución",
            format!("{} — {}", d.codigo, d.descripcion_codigo.clone().unwrap_or_default()),
        ),
        ("Comunicada", fecha(d.fecha)),
        ("Estado", palabras(d.estado.as_str())),
    ];
    let respuesta = d.respuesta_codigo.clone().unwrap_or_default();
    let base = Descripcion {
        titulo: String::new(),
        migas,
        datos: Vec::new(),
        efecto: String::new(),
        confirmar: String::new(),
        aviso: String::new(),
        despues: volver.clone(),
        volver,
    };
    match tipo {
        Tipo::Devolucion => Descripcion {
            titulo: format!("Anular la devolución {} de la factura {}", d.codigo, f.numero),
            datos,
            efecto: format!(
                "La factura vuelve a estar radicada en manos del pagador, con su radicación del {} y sus \
                 términos. La devolución queda en la trazabilidad con su anulación y el motivo.",
                fecha_o_guion(f.fecha_radicacion)
            ),
            confirmar: format!("¿Anular la devolución {} de la factura {}?", d.codigo, f.numero),
            aviso: format!(
                "Devolución {} de la factura {} anulada: la factura vuelve a estar radicada.",
                d.codigo, f.numero
            ),
            ..base
        },
        Tipo::RespuestaDevolucion => {
            datos.push((
                "Respuesta",
                format!("{respuesta} del {}", fecha_o_guion(d.respuesta_fecha)),
            ));
            let vence = fecha_o_guion(d.fecha_limite_respuesta);
            Descripcion {
                titulo: format!(
                    "Anular la respuesta a la devolución {} de la factura {}",
                    d.codigo, f.numero
                ),
                datos,
                efecto: format!(
                    "La devolución vuelve a esperar respuesta con su término original, que vence el {vence} ({}); \
                     si ya venció, el silencio la acepta. La respuesta queda en la trazabilidad con su anulación \
                     y el motivo.",
                    t.respuesta_devolucion.fuente
                ),
                confirmar: format!("¿Anular la respuesta {respuesta} a la devolución {}?", d.codigo),
                aviso: format!(
                    "Respuesta {respuesta} a la devolución {} anulada: espera respuesta de nuevo (vence el {vence}).",
                    d.codigo
                ),
                ..base
            }
        }
        _ => {
            datos.push((
                "Decisión del pagador",
                format!(
                    "{} el {}",
                    d.decision.map(|x| palabras(x.as_str())).unwrap_or_default(),
                    fecha_o_guion(d.decision_fecha)
                ),
            ));
            let vence = fecha_o_guion(d.fecha_limite_reiteracion);
            Descripcion {
                titulo: format!(
                    "Anular la decisión del pagador sobre la devolución {} de la factura {}",
                    d.codigo, f.numero
                ),
                datos,
                efecto: format!(
                    "La respuesta {respuesta} vuelve a esperar la decisión del pagador con su término original, que \
                     vence el {vence} ({}). La decisión queda en la trazabilidad con su anulación y el motivo.",
                    t.reiteracion_devolucion.fuente
                ),
                confirmar: format!("¿Anular la decisión del pagador sobre la devolución {}?", d.codigo),
                aviso: format!(
                    "Decisión del pagador sobre la devolución {} anulada: la respuesta espera su decisión de nuevo \
                     (vence el {vence}).",
                    d.codigo
                ),
                ..base
            }
        }
    }
}

#[derive(Template)]
#[template(path = "anulacion.html")]
struct PaginaAnulacion {
    marco: Marco,
    d: Descripcion,
    /// This page's own path: the form posts to it.
    accion: String,
    motivo: String,
    errores: Errores,
    /// Why the use case refused, when it is not the reason's fault (a conflict of state).
    error: Option<String>,
}

fn pagina_de(u: &Usuario, d: Descripcion, accion: String, motivo: String) -> PaginaAnulacion {
    PaginaAnulacion {
        marco: Marco::de(u, d.titulo.clone(), ""),
        d,
        accion,
        motivo,
        errores: Errores::new(),
        error: None,
    }
}

async fn confirmar(
    tipo: Tipo,
    state: web::Data<AppState>,
    req: HttpRequest,
    u: Usuario,
) -> Result<HttpResponse, ErrorWeb> {
    let ids = Ids::de(&req);
    let accion = req.path().to_string();
    let p = en_bloque(&u, move |u| {
        u.sesion.actor.exigir(&tipo.roles(), tipo.que())?;
        let d = tipo.describir(&state, u, &ids)?;
        Ok(pagina_de(u, d, accion, String::new()))
    })
    .await?;
    pagina(&u, &p)
}

#[derive(Deserialize)]
struct FormAnulacion {
    #[serde(default)]
    motivo: String,
}

/// Voids it: the reason's error comes back beside the field, a conflict of state (already
/// decided, something rests on it) above the form, with the reason kept.
async fn anular(
    tipo: Tipo,
    state: web::Data<AppState>,
    req: HttpRequest,
    u: Usuario,
    cuerpo: web::Bytes,
) -> Result<HttpResponse, ErrorWeb> {
    let f: FormAnulacion = formulario(&req, &u, &cuerpo)?;
    let ids = Ids::de(&req);
    let accion = req.path().to_string();
    let r = en_bloque(
        &u,
        move |u| -> Result<Result<Descripcion, (StatusCode, PaginaAnulacion)>, AppError> {
            // Read first: it must exist for this user's prestador (404 otherwise), and the message
            // after needs what it was.
            let d = tipo.describir(&state, u, &ids)?;
            let motivo = f.motivo.clone();
            match tipo.ejecutar(&state, u, &ids, Anulacion { motivo: f.motivo }) {
                Ok(()) => Ok(Ok(d)),
                Err(AppError::Conflict(m)) => {
                    let mut p = pagina_de(u, d, accion, motivo);
                    p.error = Some(format!("No se anuló: {m}."));
                    Ok(Err((StatusCode::CONFLICT, p)))
                }
                Err(e) => {
                    let mut p = pagina_de(u, d, accion, motivo);
                    p.errores = por_campo(e)?;
                    Ok(Err((StatusCode::UNPROCESSABLE_ENTITY, p)))
                }
            }
        },
    )
    .await?;
    match r {
        Ok(d) => Ok(con_aviso(&d.despues, &d.aviso)),
        Err((status, p)) => html_con(status, &p),
    }
}

/// The page and the post of one kind of correction, at `ruta`.
fn ruta(cfg: &mut web::ServiceConfig, ruta: &str, tipo: Tipo) {
    cfg.route(
        ruta,
        web::get().to(move |s: web::Data<AppState>, r: HttpRequest, u: Usuario| confirmar(tipo, s, r, u)),
    )
    .route(
        ruta,
        web::post()
            .to(move |s: web::Data<AppState>, r: HttpRequest, u: Usuario, b: web::Bytes| anular(tipo, s, r, u, b)),
    );
}

/// Where each correction lives: the API's path, without `/api/v1`.
pub fn rutas(cfg: &mut web::ServiceConfig) {
    ruta(cfg, "/glosas/{id}/anulacion", Tipo::Glosa);
    ruta(cfg, "/glosas/{id}/respuestas/anulacion", Tipo::RespuestaGlosa);
    ruta(cfg, "/glosas/{id}/decisiones/anulacion", Tipo::DecisionGlosa);
    ruta(cfg, "/facturas/{fid}/devoluciones/{id}/anulacion", Tipo::Devolucion);
    ruta(
        cfg,
        "/facturas/{fid}/devoluciones/{id}/respuestas/anulacion",
        Tipo::RespuestaDevolucion,
    );
    ruta(
        cfg,
        "/facturas/{fid}/devoluciones/{id}/decisiones/anulacion",
        Tipo::DecisionDevolucion,
    );
    ruta(cfg, "/facturas/{id}/radicaciones/anulacion", Tipo::Radicacion);
    ruta(cfg, "/pagos/{id}/anulacion", Tipo::Pago);
    ruta(cfg, "/pagos/{id}/aplicaciones/{aid}/anulacion", Tipo::Aplicacion);
}

/// Whether `rol` may void a radicación: the invoice page offers it.
pub fn anula_radicaciones(rol: Rol) -> bool {
    Tipo::Radicacion.puede(rol)
}

/// Whether `rol` may void payments and their applications: the payment page offers it.
pub fn anula_pagos(rol: Rol) -> bool {
    Tipo::Pago.puede(rol)
}
