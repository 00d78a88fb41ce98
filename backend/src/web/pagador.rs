//! Pagador: one payer as the cartera team and finance follow it — its data, its aging today,
//! its open invoices, its collection stage and the gestiones made (with the form to register
//! one), the reminder of payment to send it (with what it will say), its payment agreements and
//! the statements of account it sent (with the form to receive one; each opens its
//! reconciliation, [`super::conciliacion`]). The same use cases as `GET /api/v1/pagadores/{id}`,
//! `.../cobro`, `.../gestiones`, `/acuerdos`, `/estados-cuenta` and `/reportes/cartera`.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use chrono::NaiveDate;
use serde::Deserialize;

use super::cartera::{filas_saldo, tipo_pagador, Banda, FilaSaldo, BANDAS};
use super::conciliacion::FormEstado;
use super::formato::{fecha, fecha_hora, palabras, pesos, tamano};
use super::recordatorio::{ErroresRecordatorio, FormRecordatorio, Previa};
use super::sesion::{con_aviso, formulario, pagina, Usuario};
use super::{ErrorWeb, Marco};
use crate::api::AppState;
use crate::app::cartera::{self, Filtros};
use crate::app::cobro::{self, NuevaGestion};
use crate::app::estados_cuenta::{self, ConsultaEstadosCuenta};
use crate::app::{pagadores, AppError, Pagina};
use crate::domain::cobro::TipoGestion;

pub struct FilaGestion {
    pub fecha: String,
    pub tipo: String,
    pub contacto: String,
    pub resultado: String,
    pub compromiso: String,
    pub proximo: String,
}

pub struct FilaAcuerdo {
    pub numero: String,
    pub fecha: String,
    pub valor: String,
    pub pagado: String,
    pub pendiente: String,
    pub estado: String,
    pub cuotas: String,
}

pub struct FilaEstado {
    pub id: String,
    pub corte: String,
    pub archivo: String,
    pub facturas: i64,
    pub saldo_pagador: String,
    pub usuario: String,
    pub recibido: String,
}

/// What was typed in "Registrar gestión", kept as text to come back with it.
#[derive(Deserialize, Default, Clone)]
pub struct FormGestion {
    #[serde(default)]
    pub tipo: String,
    #[serde(default)]
    pub fecha: String,
    #[serde(default)]
    pub contacto: String,
    #[serde(default)]
    pub resultado: String,
    #[serde(default)]
    pub compromiso: String,
    #[serde(default)]
    pub proximo_paso: String,
    #[serde(default)]
    pub fecha_proximo_paso: String,
}

/// Each field's error, shown next to it.
#[derive(Default)]
pub struct Errores {
    pub tipo: Option<String>,
    pub fecha: Option<String>,
    pub resultado: Option<String>,
    pub fecha_proximo_paso: Option<String>,
    /// What belongs to no field.
    pub otro: Option<String>,
}

impl Errores {
    fn de(v: Vec<crate::domain::Violation>) -> Errores {
        let mut e = Errores::default();
        for x in v {
            let campo = match x.path.as_str() {
                "tipo" => &mut e.tipo,
                "fecha" => &mut e.fecha,
                "resultado" => &mut e.resultado,
                "fecha_proximo_paso" => &mut e.fecha_proximo_paso,
                _ => &mut e.otro,
            };
            match campo {
                Some(m) => {
                    m.push_str("; ");
                    m.push_str(&x.message);
                }
                None => *campo = Some(x.message),
            }
        }
        e
    }

    fn alguno(&self) -> bool {
        self.tipo.is_some()
            || self.fecha.is_some()
            || self.resultado.is_some()
            || self.fecha_proximo_paso.is_some()
            || self.otro.is_some()
    }
}

/// The page's forms as they come back: what was typed in each and its errors (all empty on a
/// plain visit; one filled when its post was refused).
#[derive(Default)]
pub struct Formularios {
    pub gestion: FormGestion,
    pub errores: Errores,
    pub estado: FormEstado,
    pub recordatorio: FormRecordatorio,
    pub err_recordatorio: ErroresRecordatorio,
}

impl FormGestion {
    /// The gestión to register, or every field that could not be read.
    fn nueva(&self) -> Result<NuevaGestion, AppError> {
        let mut v = Vec::new();
        let tipo = self.tipo.parse::<TipoGestion>().map_err(|_| {
            v.push(crate::domain::Violation::new("tipo", "elija el tipo de gestión"));
        });
        let leer = |campo: &str, s: &str, v: &mut Vec<crate::domain::Violation>| -> Option<NaiveDate> {
            if s.trim().is_empty() {
                return None;
            }
            s.trim()
                .parse::<NaiveDate>()
                .map_err(|_| v.push(crate::domain::Violation::new(campo, format!("'{s}' no es una fecha"))))
                .ok()
        };
        let fecha = leer("fecha", &self.fecha, &mut v);
        if self.fecha.trim().is_empty() {
            v.push(crate::domain::Violation::new("fecha", "diga cuándo se hizo la gestión"));
        }
        let proximo = leer("fecha_proximo_paso", &self.fecha_proximo_paso, &mut v);
        match (tipo, fecha) {
            (Ok(tipo), Some(fecha)) if v.is_empty() => Ok(NuevaGestion {
                tipo,
                fecha,
                contacto: self.contacto.clone(),
                resultado: self.resultado.clone(),
                compromiso: self.compromiso.clone(),
                proximo_paso: self.proximo_paso.clone(),
                fecha_proximo_paso: proximo,
                facturas: Vec::new(),
            }),
            _ => Err(AppError::Invalid(v)),
        }
    }
}

#[derive(Template)]
#[template(path = "pagador.html")]
struct Ficha {
    marco: Marco,
    id: String,
    nombre: String,
    nit: String,
    tipo: String,
    etapa: String,
    contacto: String,
    /// The latest gestión, and the next step agreed in it.
    ultima: Option<String>,
    proximo: Option<String>,
    hoy: String,
    bandas: &'static [Banda],
    edades: Vec<String>,
    total: String,
    vencido: String,
    facturas: Vec<FilaSaldo>,
    total_facturas: i64,
    pagina: i64,
    paginas: i64,
    anterior: Option<String>,
    siguiente: Option<String>,
    gestiones: Vec<FilaGestion>,
    total_gestiones: i64,
    acuerdos: Vec<FilaAcuerdo>,
    estados: Vec<FilaEstado>,
    total_estados: i64,
    puede_gestionar: bool,
    tipos_gestion: Vec<(&'static str, String)>,
    form: FormGestion,
    errores: Errores,
    /// "Recibir estado de cuenta": the profiles to read it with, the largest file taken.
    estado: FormEstado,
    perfiles: Vec<String>,
    maximo: String,
    /// "Enviar recordatorio": what it will say (when asked for), and the form.
    previa: Option<Previa>,
    recordatorio: FormRecordatorio,
    err_recordatorio: ErroresRecordatorio,
}

const POR_PAGINA: i64 = 20;

/// A kind of gestión as the cartera team says it.
fn tipo_gestion(t: TipoGestion) -> String {
    match t {
        TipoGestion::Reunion => "Reunión".into(),
        TipoGestion::MesaConciliacion => "Mesa de conciliación".into(),
        TipoGestion::CobroPrejuridico => "Cobro prejurídico".into(),
        otro => palabras(otro.as_str()),
    }
}

#[derive(Deserialize)]
struct Consulta {
    page: Option<i64>,
    /// Asked for "Preparar recordatorio": the preview reads every invoice of the payer with a
    /// balance, so it is built when the analyst asks for it, not on every visit.
    recordatorio: Option<String>,
}

async fn ficha(
    state: &web::Data<AppState>,
    u: &Usuario,
    id: String,
    page: i64,
    formularios: Formularios,
    con_previa: bool,
) -> Result<Ficha, ErrorWeb> {
    let Formularios {
        gestion: form,
        errores,
        estado,
        recordatorio,
        err_recordatorio,
    } = formularios;
    let actor = u.sesion.actor.clone();
    let st = state.clone();
    let pid = id.clone();
    let pag = Pagina::new(Some(page), Some(POR_PAGINA)).map_err(Marco::fallo(u))?;
    let puede_gestionar = cobro::GESTORES.contains(&actor.rol);
    let (p, edades, abiertas, cobro_v, gestiones, acuerdos, estados, previa, hoy) = web::block(move || {
        let hoy = st.hoy();
        let p = pagadores::obtener(&st.db, &actor, &pid)?;
        let f = Filtros {
            pagador_id: Some(pid.clone()),
            ..Default::default()
        };
        let base = cartera::base(None)?;
        let edades = cartera::por_pagador(&st.db, &st.terminos, &actor, hoy, base, &f)?;
        let abiertas = cartera::por_factura(&st.db, &st.terminos, &actor, hoy, base, &f, Some(pag))?;
        let c = cobro::obtener(&st.db, &actor, &pid)?;
        let g = cobro::gestiones(&st.db, &actor, &pid, Pagina::new(Some(1), Some(POR_PAGINA))?)?;
        let a = cobro::acuerdos(&st.db, &actor, hoy, Some(&pid))?;
        let e = estados_cuenta::listar(
            &st.db,
            &actor,
            &ConsultaEstadosCuenta {
                pagador_id: Some(pid.clone()),
                page: Some(1),
                per_page: Some(POR_PAGINA),
                ..Default::default()
            },
            false,
        )?;
        // Only who may send a reminder is shown what it would say.
        let previa = (puede_gestionar && con_previa)
            .then(|| super::recordatorio::previa(&st, &actor, hoy, &pid, c.email_contacto.clone().unwrap_or_default()))
            .transpose()?;
        Ok::<_, AppError>((p, edades, abiertas, c, g, a, e, previa, hoy))
    })
    .await?
    .map_err(Marco::fallo(u))?;
    let paginas = ((abiertas.total + POR_PAGINA - 1) / POR_PAGINA).max(1);
    let fila = edades.filas.first();
    let valores = fila.map_or(edades.totales.clone(), |f| f.edades.clone());
    let form = FormGestion {
        fecha: if form.fecha.is_empty() {
            hoy.to_string()
        } else {
            form.fecha
        },
        ..form
    };
    Ok(Ficha {
        marco: Marco::de(u, p.nombre.clone(), "/cartera"),
        nombre: p.nombre,
        nit: format!("{}-{}", p.nit, p.digito_verificacion),
        tipo: tipo_pagador(p.tipo.as_str()),
        etapa: palabras(cobro_v.etapa.as_str()),
        contacto: cobro_v.email_contacto.unwrap_or_default(),
        ultima: gestiones
            .items
            .first()
            .map(|g| format!("{} · {}: {}", fecha(g.fecha), tipo_gestion(g.tipo), g.resultado)),
        proximo: gestiones
            .items
            .first()
            .filter(|g| !g.proximo_paso.is_empty() || g.fecha_proximo_paso.is_some())
            .map(|g| {
                let cuando = g
                    .fecha_proximo_paso
                    .map(|f| format!(" el {}", fecha(f)))
                    .unwrap_or_default();
                format!("{}{cuando}", g.proximo_paso).trim().to_string()
            }),
        hoy: fecha(hoy),
        bandas: &BANDAS,
        edades: [
            valores.d0_30,
            valores.d31_60,
            valores.d61_90,
            valores.d91_180,
            valores.d181_360,
            valores.mas_360,
        ]
        .into_iter()
        .map(pesos)
        .collect(),
        total: pesos(edades.total),
        vencido: pesos(edades.vencido),
        facturas: filas_saldo(&abiertas),
        total_facturas: abiertas.total,
        pagina: page,
        paginas,
        anterior: (page > 1).then(|| format!("/pagadores/{id}?page={}", page - 1)),
        siguiente: (page < paginas).then(|| format!("/pagadores/{id}?page={}", page + 1)),
        total_gestiones: gestiones.total,
        gestiones: gestiones
            .items
            .into_iter()
            .map(|g| FilaGestion {
                fecha: fecha(g.fecha),
                tipo: tipo_gestion(g.tipo),
                contacto: g.contacto,
                resultado: g.resultado,
                compromiso: g.compromiso,
                proximo: match (g.proximo_paso.is_empty(), g.fecha_proximo_paso) {
                    (true, None) => "—".into(),
                    (_, Some(f)) => format!("{} ({})", g.proximo_paso, fecha(f)).trim().to_string(),
                    (false, None) => g.proximo_paso,
                },
            })
            .collect(),
        acuerdos: acuerdos
            .into_iter()
            .map(|a| FilaAcuerdo {
                numero: a.numero,
                fecha: fecha(a.fecha),
                valor: pesos(a.valor),
                pagado: pesos(a.pagado),
                pendiente: pesos(a.pendiente),
                estado: palabras(a.estado.as_str()),
                cuotas: a
                    .cuotas
                    .iter()
                    .map(|c| {
                        format!(
                            "{}: {} vence {} ({})",
                            c.numero,
                            pesos(c.valor),
                            fecha(c.fecha_vencimiento),
                            palabras(c.estado.as_str()).to_lowercase()
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(" · "),
            })
            .collect(),
        total_estados: estados.total,
        estados: estados
            .items
            .into_iter()
            .map(|e| FilaEstado {
                id: e.id,
                recibido: fecha_hora(e.recibido_en),
                corte: fecha(e.corte),
                archivo: e.archivo,
                facturas: e.facturas,
                saldo_pagador: pesos(e.saldo_pagador),
                usuario: e.usuario,
            })
            .collect(),
        puede_gestionar,
        tipos_gestion: TipoGestion::ALL
            .iter()
            .map(|t| (t.as_str(), tipo_gestion(*t)))
            .collect(),
        form,
        errores,
        estado: FormEstado {
            perfil: if estado.perfil.is_empty() {
                "generico".into()
            } else {
                estado.perfil
            },
            ..estado
        },
        perfiles: state.perfiles.iter().map(|p| p.nombre.clone()).collect(),
        maximo: tamano(state.importaciones.max_bytes),
        recordatorio: FormRecordatorio {
            para: if recordatorio.para.is_empty() && !err_recordatorio.alguno() {
                previa.as_ref().map(|p| p.contacto.clone()).unwrap_or_default()
            } else {
                recordatorio.para
            },
            ..recordatorio
        },
        previa,
        err_recordatorio,
        id,
    })
}

/// The Pagador page with its forms as they came back, with `status` (422 when a form was
/// refused): for the handlers of each form.
pub async fn responder(
    state: &web::Data<AppState>,
    u: &Usuario,
    id: String,
    f: Formularios,
    status: StatusCode,
) -> Result<HttpResponse, ErrorWeb> {
    let con_previa = f.err_recordatorio.alguno();
    let f = ficha(state, u, id, 1, f, con_previa).await?;
    let mut r = pagina(u, &f)?;
    *r.status_mut() = status;
    Ok(r)
}

async fn ver(
    state: web::Data<AppState>,
    u: Usuario,
    id: web::Path<String>,
    q: web::Query<Consulta>,
) -> Result<HttpResponse, ErrorWeb> {
    let page = q.page.unwrap_or(1).max(1);
    let con_previa = q.recordatorio.is_some();
    let f = ficha(&state, &u, id.into_inner(), page, Formularios::default(), con_previa).await?;
    pagina(&u, &f)
}

/// Registers a gestión de cobro (`POST /api/v1/pagadores/{id}/gestiones`'s use case); with
/// errors the page comes back (422) with what was typed and each error by its field.
async fn registrar(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: Usuario,
    id: web::Path<String>,
    cuerpo: web::Bytes,
) -> Result<HttpResponse, ErrorWeb> {
    let form: FormGestion = formulario(&req, &u, &cuerpo)?;
    let id = id.into_inner();
    let resultado = match form.nueva() {
        Ok(n) => {
            let actor = u.sesion.actor.clone();
            let st = state.clone();
            let pid = id.clone();
            web::block(move || cobro::registrar_gestion(&st.db, &actor, st.hoy(), &pid, n)).await?
        }
        Err(e) => Err(e),
    };
    match resultado {
        Ok(g) => Ok(con_aviso(
            &format!("/pagadores/{id}"),
            &format!(
                "Gestión registrada: {} del {}{}",
                tipo_gestion(g.tipo).to_lowercase(),
                fecha(g.fecha),
                g.fecha_proximo_paso
                    .map(|f| format!(" — próximo paso el {}", fecha(f)))
                    .unwrap_or_default()
            ),
        )),
        Err(AppError::Invalid(v)) => {
            let errores = Errores::de(v);
            debug_assert!(errores.alguno());
            let f = Formularios {
                gestion: form,
                errores,
                ..Formularios::default()
            };
            responder(&state, &u, id, f, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(Marco::fallo(&u)(e)),
    }
}

pub fn rutas(cfg: &mut web::ServiceConfig) {
    cfg.route("/pagadores/{id}", web::get().to(ver))
        .route("/pagadores/{id}/gestiones", web::post().to(registrar))
        .configure(super::conciliacion::rutas)
        .configure(super::recordatorio::rutas);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_gestion_form_says_what_is_missing_field_by_field() {
        let f = FormGestion {
            tipo: "telegrama".into(),
            fecha: "30/11/2026".into(),
            fecha_proximo_paso: "mañana".into(),
            ..Default::default()
        };
        let Err(AppError::Invalid(v)) = f.nueva() else {
            panic!("accepted");
        };
        let e = Errores::de(v);
        assert!(e.tipo.is_some());
        assert!(e.fecha.unwrap().contains("no es una fecha"));
        assert!(e.fecha_proximo_paso.is_some());
        let ok = FormGestion {
            tipo: "llamada".into(),
            fecha: "2026-11-30".into(),
            resultado: "Promete pagar".into(),
            ..Default::default()
        }
        .nueva()
        .unwrap();
        assert_eq!(ok.tipo, TipoGestion::Llamada);
        assert!(ok.fecha_proximo_paso.is_none());
    }
}
