//! Radicating invoices from the web: one from its page, or many of one payer at once from the
//! search ("radicar en lote": all of them or none). The same use cases as
//! `POST /api/v1/facturas/{id}/radicacion` and `POST /api/v1/radicaciones`.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::formato::fecha;
use super::sesion::{con_aviso, formulario, Usuario};
use super::{ErrorWeb, Marco};
use crate::api::AppState;
use crate::app::radicaciones::{self, NuevaRadicacion, RadicacionLote};
use crate::app::AppError;

#[derive(Deserialize)]
struct FormRadicacion {
    #[serde(default)]
    numero_radicado: String,
    #[serde(default)]
    fecha_radicacion: String,
    /// Why it goes without its soportes complete; empty when they are.
    #[serde(default)]
    excepcion: String,
}

fn dia(v: &str) -> Result<chrono::NaiveDate, AppError> {
    v.parse()
        .map_err(|_| AppError::invalid("fecha_radicacion", "escriba la fecha de radicación (dd/mm/aaaa)"))
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
        let n = NuevaRadicacion {
            numero_radicado: f.numero_radicado,
            fecha_radicacion: dia(&f.fecha_radicacion)?,
            excepcion: Some(f.excepcion),
        };
        radicaciones::radicar(
            &state.db,
            &state.terminos,
            state.hoy(),
            &actor,
            state.radicacion.exigir_soportes,
            &id,
            n,
        )
    })
    .await?
    .map_err(Marco::fallo(&u))?;
    Ok(con_aviso(
        &format!("/facturas/{}", v.id),
        &format!(
            "Factura {} radicada con el número {} el {}.{}",
            v.numero,
            v.numero_radicado.clone().unwrap_or_default(),
            v.fecha_radicacion.map(fecha).unwrap_or_default(),
            v.fecha_limite_glosa
                .map(|d| format!(" El pagador puede glosarla hasta el {}.", fecha(d)))
                .unwrap_or_default()
        ),
    ))
}

/// A lote as the invoice search posts it: the invoices ticked (`factura_ids`, repeated) and
/// the form's other fields (payer, radicado, reason...), after the form's CSRF check.
pub(super) struct Lote(Vec<(String, String)>);

impl Lote {
    pub(super) fn de(req: &HttpRequest, u: &Usuario, cuerpo: &[u8]) -> Result<Lote, ErrorWeb> {
        formulario::<serde::de::IgnoredAny>(req, u, cuerpo)?;
        Ok(Lote(form_urlencoded::parse(cuerpo).into_owned().collect()))
    }

    /// A field's value; empty when absent.
    pub(super) fn uno(&self, k: &str) -> String {
        self.0
            .iter()
            .find(|(c, _)| c == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    pub(super) fn ids(&self) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == "factura_ids")
            .map(|(_, v)| v.clone())
            .collect()
    }
}

/// The lote: the invoices ticked in the search (`factura_ids`, repeated), one payer.
async fn radicar_lote(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: Usuario,
    cuerpo: web::Bytes,
) -> Result<HttpResponse, ErrorWeb> {
    let lote = Lote::de(&req, &u, &cuerpo)?;
    let (ids, uno) = (lote.ids(), |k: &str| lote.uno(k));
    let (numero, dia_texto, pagador, volver, excepcion) = (
        uno("numero_radicado"),
        uno("fecha_radicacion"),
        uno("pagador_id"),
        uno("volver"),
        uno("excepcion"),
    );
    let volver = if volver.starts_with("/facturas") {
        volver
    } else {
        "/facturas".into()
    };
    let actor = u.sesion.actor.clone();
    let r = web::block(move || {
        if ids.is_empty() {
            return Err(AppError::invalid("factura_ids", "marque las facturas que va a radicar"));
        }
        let n = RadicacionLote {
            pagador_id: pagador,
            numero_radicado: numero,
            fecha_radicacion: dia(&dia_texto)?,
            factura_ids: ids,
            excepcion: Some(excepcion),
        };
        radicaciones::radicar_lote(
            &state.db,
            &state.terminos,
            state.hoy(),
            &actor,
            state.radicacion.exigir_soportes,
            n,
        )
    })
    .await?
    .map_err(Marco::fallo(&u))?;
    Ok(con_aviso(
        &volver,
        &format!(
            "{} facturas radicadas con el número {}.",
            r.radicadas, r.numero_radicado
        ),
    ))
}

pub fn rutas(cfg: &mut web::ServiceConfig) {
    cfg.route("/facturas/radicar-lote", web::post().to(radicar_lote))
        .route("/facturas/{id}/radicar", web::post().to(radicar));
}
