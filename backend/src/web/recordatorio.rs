//! Recordatorio de pago from the Pagador page: what the e-mail will carry is shown before it
//! is sent (the payer's debt as of today, by the same `recordatorios::deuda_al_dia` the
//! attachment is built from), then `recordatorios::enviar` — the use case of
//! `POST /api/v1/pagadores/{id}/recordatorios` — sends it and records it as a gestión.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use serde::Deserialize;

use super::formato::{fecha, fecha_o_guion, pesos};
use super::pagador::{responder, Formularios};
use super::sesion::{con_aviso, formulario, Usuario};
use super::{ErrorWeb, Marco};
use crate::api::AppState;
use crate::app::recordatorios::{self, NuevoRecordatorio};
use crate::app::{Actor, AppError};
use crate::domain::factura::EstadoFactura;
use crate::domain::money::from_centavos;

/// What was typed in "Enviar recordatorio", kept as text to come back with it.
#[derive(Deserialize, Default, Clone)]
pub struct FormRecordatorio {
    #[serde(default)]
    pub para: String,
    /// Copies, separated by commas, semicolons or spaces (as people paste them from Outlook).
    #[serde(default)]
    pub cc: String,
    #[serde(default)]
    pub mensaje: String,
}

/// Each field's error, shown next to it.
#[derive(Default)]
pub struct ErroresRecordatorio {
    pub para: Option<String>,
    pub cc: Option<String>,
    /// What belongs to no field (no mail server, the server refused, nothing owed).
    pub otro: Option<String>,
}

impl ErroresRecordatorio {
    pub fn alguno(&self) -> bool {
        self.para.is_some() || self.cc.is_some() || self.otro.is_some()
    }
}

/// An invoice of the statement that will be attached.
pub struct FilaPrevia {
    pub factura_id: String,
    pub numero: String,
    pub expedicion: String,
    pub vence: String,
    pub dias_mora: i64,
    pub saldo: String,
}

/// What the reminder will say if sent today.
pub struct Previa {
    pub fecha: String,
    pub facturas: usize,
    pub saldo: String,
    pub vencido: String,
    /// The first invoices of the attachment; the rest are counted.
    pub filas: Vec<FilaPrevia>,
    pub mas: usize,
    /// The payer's contact e-mail, where it goes when "Para" is left empty.
    pub contacto: String,
    /// Whether this deployment has a mail server (`smtp.host`); without one the use case
    /// refuses, and the page says so before anyone types a message.
    pub correo: bool,
}

/// Invoices listed in the preview; the attachment has them all.
const EN_PREVIA: usize = 10;

/// The preview for `pagador_id` as of `hoy`: the same invoices and balances the attached
/// statement will list.
pub fn previa(
    state: &AppState,
    actor: &Actor,
    hoy: NaiveDate,
    pagador_id: &str,
    contacto: String,
) -> Result<Previa, AppError> {
    let facturas = state
        .db
        .read(|c| recordatorios::deuda_al_dia(c, &state.terminos.reglas, &actor.prestador_id, pagador_id, hoy))?;
    let mora = |f: &crate::db::facturas::Factura| {
        crate::domain::cobro::dias_mora(f.fecha_limite_pago, f.estado == EstadoFactura::Devuelta, hoy)
    };
    let saldo: i64 = facturas.iter().map(|f| f.saldo).sum();
    let vencido: i64 = facturas.iter().filter(|f| mora(f) > 0).map(|f| f.saldo).sum();
    Ok(Previa {
        fecha: fecha(hoy),
        facturas: facturas.len(),
        saldo: pesos(from_centavos(saldo)),
        vencido: pesos(from_centavos(vencido)),
        mas: facturas.len().saturating_sub(EN_PREVIA),
        filas: facturas
            .iter()
            .take(EN_PREVIA)
            .map(|f| FilaPrevia {
                factura_id: f.id.clone(),
                numero: f.numero.clone(),
                expedicion: fecha(f.fecha_expedicion),
                vence: fecha_o_guion(f.fecha_limite_pago),
                dias_mora: mora(f),
                saldo: pesos(from_centavos(f.saldo)),
            })
            .collect(),
        contacto,
        correo: !state.smtp.host.trim().is_empty(),
    })
}

impl FormRecordatorio {
    fn nuevo(&self) -> NuevoRecordatorio {
        NuevoRecordatorio {
            para: Some(self.para.trim().to_string()).filter(|p| !p.is_empty()),
            cc: self
                .cc
                .split([',', ';', ' ', '\n', '\t'])
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(str::to_string)
                .collect(),
            mensaje: self.mensaje.clone(),
        }
    }
}

/// The use case's refusal of a reminder, by field and in the clerk's words.
fn errores(form: &FormRecordatorio, e: AppError) -> Result<(ErroresRecordatorio, StatusCode), AppError> {
    let mut x = ErroresRecordatorio::default();
    let status = match e {
        AppError::Invalid(v) => {
            for v in v {
                if v.path == "para" && form.para.trim().is_empty() {
                    x.para = Some(
                        "Escriba a qué correo enviarlo: este pagador no tiene correo de contacto registrado.".into(),
                    );
                } else if v.path == "para" {
                    x.para = Some(v.message);
                } else if v.path.starts_with("cc") {
                    x.cc = Some(v.message);
                } else {
                    x.otro = Some(v.message);
                }
            }
            StatusCode::UNPROCESSABLE_ENTITY
        }
        AppError::NoDisponible(m) => {
            x.otro = Some(format!(
                "No se envió: {m}. Pida al administrador que configure el correo."
            ));
            StatusCode::SERVICE_UNAVAILABLE
        }
        AppError::Correo(m) => {
            x.otro = Some(format!(
                "No se envió: {m}. No quedó nada registrado; inténtelo de nuevo en unos minutos."
            ));
            StatusCode::BAD_GATEWAY
        }
        AppError::Conflict(m) => {
            x.otro = Some(format!("No se envió: {m}."));
            StatusCode::CONFLICT
        }
        otro => return Err(otro),
    };
    Ok((x, status))
}

/// Sends the reminder; on success back to the payer with what was sent, to whom and for how
/// much; refused, the page comes back with what was typed and why.
async fn enviar(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: Usuario,
    id: web::Path<String>,
    cuerpo: web::Bytes,
) -> Result<HttpResponse, ErrorWeb> {
    let form: FormRecordatorio = formulario(&req, &u, &cuerpo)?;
    let id = id.into_inner();
    let actor = u.sesion.actor.clone();
    let st = state.clone();
    let pid = id.clone();
    let n = form.nuevo();
    let hoy = state.hoy();
    let r =
        web::block(move || recordatorios::enviar(&st.db, &st.smtp, &st.terminos.reglas, &actor, hoy, &pid, n)).await?;
    match r {
        Ok(r) => Ok(con_aviso(
            &format!("/pagadores/{id}"),
            &format!(
                "Recordatorio enviado a {}: estado de cuenta al {} con {} factura{} por {} (adjunto {}). Quedó \
                 registrado como gestión de cobro.",
                r.para,
                fecha(hoy),
                r.facturas,
                if r.facturas == 1 { "" } else { "s" },
                pesos(r.saldo),
                r.adjunto
            ),
        )),
        Err(e) => {
            let (err_recordatorio, status) = errores(&form, e).map_err(Marco::fallo(&u))?;
            let f = Formularios {
                recordatorio: form,
                err_recordatorio,
                ..Formularios::default()
            };
            responder(&state, &u, id, f, status).await
        }
    }
}

pub fn rutas(cfg: &mut web::ServiceConfig) {
    cfg.route("/pagadores/{id}/recordatorios", web::post().to(enviar));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Violation;

    #[test]
    fn copies_are_read_as_people_paste_them() {
        let f = FormRecordatorio {
            para: "  ".into(),
            cc: "a@eps.test; b@eps.test,c@eps.test\n".into(),
            mensaje: "Quedamos atentos.".into(),
        };
        let n = f.nuevo();
        assert_eq!(n.para, None);
        assert_eq!(n.cc, ["a@eps.test", "b@eps.test", "c@eps.test"]);
    }

    #[test]
    fn a_refusal_lands_beside_its_field_in_the_clerks_words() {
        let vacio = FormRecordatorio::default();
        let (e, s) = errores(
            &vacio,
            AppError::Invalid(vec![Violation::new("para", "el pagador no tiene correo de contacto")]),
        )
        .unwrap();
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(e.para.unwrap().starts_with("Escriba a qué correo"));
        let (e, _) = errores(
            &vacio,
            AppError::Invalid(vec![Violation::new("cc[1]", "'x' no es una dirección de correo")]),
        )
        .unwrap();
        assert!(e.cc.unwrap().contains("no es una dirección"));
        let (e, s) = errores(&vacio, AppError::NoDisponible("no hay servidor de correo".into())).unwrap();
        assert_eq!(s, StatusCode::SERVICE_UNAVAILABLE);
        assert!(e.otro.unwrap().starts_with("No se envió: no hay servidor"));
        assert!(errores(&vacio, AppError::Forbidden("no".into())).is_err());
    }
}
