//! Auditoría: the event log of the tenant's invoices, filtered by user, dates and invoice, paged
//! in SQL and downloadable as filtered. The same use case as `GET /api/v1/auditoria`.

use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::formato::{fecha, palabras, pesos};
use super::sesion::{pagina, Usuario};
use super::{ErrorWeb, Marco};
use crate::api::AppState;
use crate::app::auditoria::{self, ConsultaEventos};
use crate::app::facturas::{self, ConsultaFacturas};
use crate::app::{Actor, AppError};

const POR_PAGINA: i64 = 50;

/// The filters as the URL keeps them; the invoice by its number, as people know it.
#[derive(Deserialize, Default, Clone)]
pub struct Filtros {
    #[serde(default)]
    pub usuario_id: String,
    #[serde(default)]
    pub factura: String,
    #[serde(default)]
    pub desde: String,
    #[serde(default)]
    pub hasta: String,
    pub page: Option<i64>,
}

impl Filtros {
    /// The use case's query; the invoice number is looked up among the tenant's invoices.
    fn consulta(&self, st: &AppState, actor: &Actor, todas: bool) -> Result<ConsultaEventos, AppError> {
        let fecha = super::formulario::fecha_filtro;
        let numero = self.factura.trim();
        let factura_id = if numero.is_empty() {
            None
        } else {
            let l = facturas::listar(
                &st.db,
                &st.terminos,
                st.hoy(),
                actor,
                ConsultaFacturas {
                    q: Some(numero.to_string()),
                    page: Some(1),
                    per_page: Some(20),
                    ..Default::default()
                },
                false,
            )?;
            let exacta = l.items.iter().find(|i| i.factura.numero.eq_ignore_ascii_case(numero));
            let una = exacta.or(if l.items.len() == 1 { l.items.first() } else { None });
            match una {
                Some(i) => Some(i.factura.id.clone()),
                None => {
                    return Err(AppError::invalid(
                        "factura",
                        format!("no hay una factura con el número '{numero}'"),
                    ))
                }
            }
        };
        Ok(ConsultaEventos {
            usuario_id: Some(self.usuario_id.clone()).filter(|v| !v.is_empty()),
            tipo: None,
            factura_id,
            desde: fecha("desde", &self.desde)?,
            hasta: fecha("hasta", &self.hasta)?,
            page: (!todas).then_some(self.page.unwrap_or(1).max(1)),
            per_page: Some(POR_PAGINA),
            formato: None,
        })
    }

    /// This search's URL at `ruta`, on page `pagina`.
    fn url(&self, ruta: &str, pagina: Option<i64>) -> String {
        let p = pagina.map(|p| p.to_string()).unwrap_or_default();
        super::url(
            ruta,
            &[
                ("usuario_id", &self.usuario_id),
                ("factura", &self.factura),
                ("desde", &self.desde),
                ("hasta", &self.hasta),
                ("page", &p),
            ],
        )
    }
}

/// What an event recorded, in one line: `clave: valor` of its data in words, dates as
/// dd/mm/aaaa, amounts in pesos, nested values in parentheses; internal ids and the norms'
/// long citations (shown on the invoice) left out.
pub fn detalle(datos: &serde_json::Value) -> String {
    let texto = match datos {
        serde_json::Value::Null => String::new(),
        otro => en_palabras("", otro),
    };
    const MAXIMO: usize = 240;
    if texto.chars().count() > MAXIMO {
        texto.chars().take(MAXIMO).collect::<String>() + "…"
    } else {
        texto
    }
}

fn es_dinero(clave: &str) -> bool {
    [
        "valor",
        "saldo",
        "en_discusion",
        "copagos",
        "cuotas",
        "aceptado",
        "levantado",
        "ratificado",
    ]
    .iter()
    .any(|p| clave.starts_with(p))
}

fn en_palabras(clave: &str, v: &serde_json::Value) -> String {
    use serde_json::Value;
    match v {
        Value::Object(m) => m
            .iter()
            .filter(|(k, _)| !(k.as_str() == "id" || k.ends_with("_id") || k.as_str() == "fuente"))
            .map(|(k, v)| match v {
                Value::Object(_) => format!("{}: ({})", k.replace('_', " "), en_palabras(k, v)),
                _ => format!("{}: {}", k.replace('_', " "), en_palabras(k, v)),
            })
            .collect::<Vec<_>>()
            .join(" · "),
        Value::Array(a) => a.iter().map(|x| en_palabras(clave, x)).collect::<Vec<_>>().join(", "),
        Value::String(s) => {
            if let Ok(d) = s.parse::<chrono::NaiveDate>() {
                fecha(d)
            } else if es_dinero(clave) {
                s.parse::<rust_decimal::Decimal>().map_or_else(|_| s.clone(), pesos)
            } else if clave == "nombre" || clave == "tipo" || clave == "estado" {
                palabras(s)
            } else {
                s.clone()
            }
        }
        Value::Number(n) if es_dinero(clave) => n
            .to_string()
            .parse::<rust_decimal::Decimal>()
            .map_or_else(|_| n.to_string(), pesos),
        Value::Null => "—".to_string(),
        Value::Bool(true) => "sí".to_string(),
        Value::Bool(false) => "no".to_string(),
        otro => otro.to_string(),
    }
}

pub struct FilaEvento {
    pub registrado: String,
    pub usuario: String,
    pub tipo: String,
    pub factura_id: String,
    pub numero: String,
    pub filtrar: String,
    pub fecha: String,
    pub detalle: String,
}

#[derive(Template)]
#[template(path = "auditoria.html")]
struct Auditoria {
    marco: Marco,
    f: Filtros,
    usuarios: Vec<(String, String)>,
    error_factura: Option<String>,
    filas: Vec<FilaEvento>,
    total: i64,
    pagina: i64,
    paginas: i64,
    anterior: Option<String>,
    siguiente: Option<String>,
    xlsx: String,
}

async fn lista(state: web::Data<AppState>, u: Usuario, q: web::Query<Filtros>) -> Result<HttpResponse, ErrorWeb> {
    let f = q.into_inner();
    let actor = u.sesion.actor.clone();
    let st = state.clone();
    let filtros = f.clone();
    let (usuarios, l, error_factura) = web::block(move || {
        let usuarios = auditoria::usuarios(&st.db, &actor)?;
        match filtros.consulta(&st, &actor, false) {
            Ok(c) => Ok((usuarios, auditoria::listar(&st.db, &actor, &c, false)?, None)),
            Err(AppError::Invalid(v)) if v.iter().all(|x| x.path == "factura") => {
                let m = v.into_iter().map(|x| x.message).collect::<Vec<_>>().join("; ");
                Ok((
                    usuarios,
                    crate::app::Lista {
                        items: vec![],
                        total: 0,
                    },
                    Some(m),
                ))
            }
            Err(e) => Err(e),
        }
    })
    .await?
    .map_err(Marco::fallo(&u))?;
    let actual = f.page.unwrap_or(1).max(1);
    let paginas = ((l.total + POR_PAGINA - 1) / POR_PAGINA).max(1);
    let filas = l
        .items
        .into_iter()
        .map(|e| {
            let hora = crate::app::hoja::hora_bogota(e.registrado_en);
            let registrado = match hora.split_once(' ') {
                Some((d, h)) => match d.parse::<chrono::NaiveDate>() {
                    Ok(d) => format!("{} {h}", fecha(d)),
                    Err(_) => hora.clone(),
                },
                None => hora.clone(),
            };
            FilaEvento {
                registrado,
                usuario: e.usuario,
                tipo: palabras(&e.tipo),
                filtrar: Filtros {
                    factura: e.numero_factura.clone(),
                    page: None,
                    ..f.clone()
                }
                .url("/auditoria", None),
                factura_id: e.factura_id,
                numero: e.numero_factura,
                fecha: fecha(e.fecha),
                detalle: detalle(&e.datos),
            }
        })
        .collect();
    let p = Auditoria {
        marco: Marco::de(&u, "Auditoría", "/auditoria"),
        usuarios,
        error_factura,
        filas,
        total: l.total,
        pagina: actual,
        paginas,
        anterior: (actual > 1).then(|| f.url("/auditoria", Some(actual - 1))),
        siguiente: (actual < paginas).then(|| f.url("/auditoria", Some(actual + 1))),
        xlsx: f.url("/auditoria.xlsx", None),
        f,
    };
    pagina(&u, &p)
}

/// Every event of the filter, as a workbook (the API's own).
async fn lista_xlsx(state: web::Data<AppState>, u: Usuario, q: web::Query<Filtros>) -> Result<HttpResponse, ErrorWeb> {
    let actor = u.sesion.actor.clone();
    let f = q.into_inner();
    let bytes = web::block(move || {
        let c = f.consulta(&state, &actor, true)?;
        let l = auditoria::listar(&state.db, &actor, &c, true)?;
        auditoria::xlsx(&l)
    })
    .await?
    .map_err(Marco::fallo(&u))?;
    let mut r = crate::api::reportes::xlsx("auditoria.xlsx", bytes);
    super::cabeceras(r.headers_mut());
    Ok(r)
}

pub fn rutas(cfg: &mut web::ServiceConfig) {
    cfg.route("/auditoria", web::get().to(lista))
        .route("/auditoria.xlsx", web::get().to(lista_xlsx));
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_events_data_reads_in_one_line() {
        assert_eq!(
            detalle(&json!({
                "valor": "120000.00", "codigo": "FA0101", "extemporanea": false, "nota": null,
                "glosa_id": "01ab", "cierra": {"nombre": "respuesta_devolucion", "vencia": "2026-11-13",
                "cumplido": true, "fuente": "Res. 2284/2023 art. 6.2"}
            })),
            "cierra: (cumplido: sí · nombre: Respuesta a la devolución · vencia: 13/11/2026) · codigo: FA0101 · \
             extemporanea: no · nota: — · valor: $ 120.000,00"
        );
        assert_eq!(detalle(&serde_json::Value::Null), "");
        let largo = detalle(&json!({"texto": "x".repeat(500)}));
        assert!(largo.ends_with('…') && largo.chars().count() == 241, "{largo}");
    }
}
