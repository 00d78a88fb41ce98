//! Registering an invoice by hand, with its lines (facturación): the same use case as
//! `POST /api/v1/facturas`. Empty line rows are ignored; each error shows next to its field,
//! a line's on its own row.

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use rust_decimal::Decimal;

use super::formato::{fecha, leer_pesos, pesos};
use super::formulario::{estado, leer_fecha, leer_valor, por_campo, Errores};
use super::sesion::{con_aviso, en_bloque, formulario, pagina, Usuario};
use super::{html_con, ErrorWeb, Marco};
use crate::api::AppState;
use crate::app::facturas::{self, FacturaVista, NuevaFactura, NuevoItem};
use crate::app::{contratos, AppError};
use crate::domain::factura::total_de_linea;

/// How many line rows the form offers.
const FILAS: usize = 5;
const CAMPOS_LINEA: [&str; 4] = ["codigo", "descripcion", "cantidad", "valor_unitario"];

/// A line row as typed, with its own errors by field.
#[derive(Default, Clone)]
pub struct FormLinea {
    pub codigo: String,
    pub descripcion: String,
    pub cantidad: String,
    pub valor_unitario: String,
    pub errores: Errores,
}

impl FormLinea {
    fn vacia(&self) -> bool {
        [&self.codigo, &self.descripcion, &self.cantidad, &self.valor_unitario]
            .iter()
            .all(|v| v.trim().is_empty())
    }
}

/// The form as typed. Its fields are read by name (`numero`, `items[2].cantidad`...).
#[derive(Default, Clone)]
pub struct FormFactura {
    pub numero: String,
    pub pagador_id: String,
    pub contrato_id: String,
    pub fecha_expedicion: String,
    pub valor_total: String,
    pub copagos: String,
    pub cuotas_moderadoras: String,
    pub cufe: String,
    pub lineas: Vec<FormLinea>,
}

impl FormFactura {
    fn de(campos: &[(String, String)]) -> FormFactura {
        let uno = |k: &str| {
            campos
                .iter()
                .find(|(c, _)| c == k)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        let lineas = (0..FILAS)
            .map(|i| {
                let [codigo, descripcion, cantidad, valor_unitario] =
                    CAMPOS_LINEA.map(|c| uno(&format!("items[{i}].{c}")));
                FormLinea {
                    codigo,
                    descripcion,
                    cantidad,
                    valor_unitario,
                    errores: Errores::new(),
                }
            })
            .collect();
        FormFactura {
            numero: uno("numero"),
            pagador_id: uno("pagador_id"),
            contrato_id: uno("contrato_id"),
            fecha_expedicion: uno("fecha_expedicion"),
            valor_total: uno("valor_total"),
            copagos: uno("copagos"),
            cuotas_moderadoras: uno("cuotas_moderadoras"),
            cufe: uno("cufe"),
            lineas,
        }
    }

    /// The rows that were filled in, by their place in the form: `items[k]` of the use case is
    /// row `filas()[k]`.
    fn filas(&self) -> Vec<usize> {
        (0..self.lineas.len()).filter(|&i| !self.lineas[i].vacia()).collect()
    }

    /// The use case's input, or the errors of what could not be read (a line's in its row).
    fn nueva(&mut self) -> Result<NuevaFactura, Errores> {
        let mut e = Errores::new();
        let fecha_expedicion = leer_fecha("fecha_expedicion", &self.fecha_expedicion, &mut e);
        let opcional = |campo: &str, v: &str, e: &mut Errores| match v.trim() {
            "" => Some(Decimal::ZERO),
            v => leer_valor(campo, v, e),
        };
        let copagos = opcional("copagos", &self.copagos, &mut e);
        let cuotas = opcional("cuotas_moderadoras", &self.cuotas_moderadoras, &mut e);
        let mut items = Vec::new();
        let mut linea_mala = false;
        for i in self.filas() {
            let l = &mut self.lineas[i];
            let cantidad = match leer_pesos(&l.cantidad) {
                Some(c) => Some(c),
                None => {
                    l.errores
                        .insert("cantidad".into(), "escriba la cantidad (p. ej. 1 o 2,5)".into());
                    None
                }
            };
            let unitario = leer_valor("valor_unitario", &l.valor_unitario, &mut l.errores);
            match (cantidad, unitario) {
                (Some(cantidad), Some(valor_unitario)) => items.push(NuevoItem {
                    codigo: l.codigo.trim().to_string(),
                    descripcion: l.descripcion.trim().to_string(),
                    cantidad,
                    valor_unitario,
                    valor_total: total_de_linea(cantidad, valor_unitario),
                }),
                _ => linea_mala = true,
            }
        }
        // Left empty with lines: the lines' sum (the use case checks it adds up either way).
        let valor_total = match self.valor_total.trim() {
            "" if !items.is_empty() => Some(items.iter().map(|i| i.valor_total).sum()),
            v => leer_valor("valor_total", v, &mut e),
        };
        if linea_mala {
            e.insert("items".into(), "revise las líneas marcadas".into());
        }
        match (fecha_expedicion, valor_total, copagos, cuotas) {
            (Some(fecha_expedicion), Some(valor_total), Some(copagos), Some(cuotas)) if e.is_empty() => {
                Ok(NuevaFactura {
                    numero: self.numero.trim().to_string(),
                    pagador_id: self.pagador_id.clone(),
                    fecha_expedicion,
                    valor_total,
                    copagos: Some(copagos),
                    cuotas_moderadoras: Some(cuotas),
                    cufe: Some(self.cufe.trim().to_string()).filter(|c| !c.is_empty()),
                    contrato_id: Some(self.contrato_id.clone()).filter(|c| !c.is_empty()),
                    items,
                })
            }
            _ => Err(e),
        }
    }

    /// The use case's violations: a line's (`items[k].cantidad`) goes to its row, the others
    /// stay by field.
    fn repartir(&mut self, errores: Errores) -> Errores {
        let filas = self.filas();
        let mut propios = Errores::new();
        for (ruta, m) in errores {
            let linea = ruta
                .strip_prefix("items[")
                .and_then(|r| r.split_once("]."))
                .and_then(|(k, campo)| Some((filas.get(k.parse::<usize>().ok()?)?, campo)));
            match linea {
                Some((&fila, campo)) => {
                    // A line's total is the page's product: its error is its unit value's.
                    let campo = if campo == "valor_total" {
                        "valor_unitario"
                    } else {
                        campo
                    };
                    self.lineas[fila].errores.entry(campo.to_string()).or_insert(m);
                    propios.insert("items".into(), "revise las líneas marcadas".into());
                }
                None => {
                    propios.insert(ruta, m);
                }
            }
        }
        propios
    }
}

pub struct OpcionContrato {
    pub id: String,
    pub texto: String,
    pub pagador: String,
}

#[derive(Template)]
#[template(path = "factura_nueva.html")]
struct FacturaNueva {
    marco: Marco,
    f: FormFactura,
    pagadores: Vec<(String, String)>,
    contratos: Vec<OpcionContrato>,
    errores: Errores,
    hoy: String,
}

fn form_factura(st: &AppState, u: &Usuario, f: FormFactura, errores: Errores) -> Result<FacturaNueva, AppError> {
    let actor = &u.sesion.actor;
    let contratos = contratos::listar(&st.db, actor, None, None)?
        .items
        .into_iter()
        .map(|c| OpcionContrato {
            texto: format!("{} · {}", c.contrato.numero, c.pagador),
            id: c.contrato.id,
            pagador: c.pagador,
        })
        .collect();
    Ok(FacturaNueva {
        marco: Marco::de(u, "Registrar factura", "/facturas"),
        pagadores: super::facturas::nombres_pagadores(st, actor)?,
        contratos,
        f,
        errores,
        hoy: st.hoy().to_string(),
    })
}

async fn nueva(state: web::Data<AppState>, u: Usuario) -> Result<HttpResponse, ErrorWeb> {
    let f = FormFactura {
        fecha_expedicion: state.hoy().to_string(),
        lineas: vec![FormLinea::default(); FILAS],
        ..Default::default()
    };
    let p = en_bloque(&u, move |u| {
        u.sesion.actor.exigir(facturas::REGISTRAN, "registrar facturas")?;
        form_factura(&state, u, f, Errores::new())
    })
    .await?;
    pagina(&u, &p)
}

async fn registrar(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: Usuario,
    cuerpo: web::Bytes,
) -> Result<HttpResponse, ErrorWeb> {
    let campos: Vec<(String, String)> = formulario(&req, &u, &cuerpo)?;
    let mut f = FormFactura::de(&campos);
    let r = en_bloque(&u, move |u| -> Result<Result<FacturaVista, FacturaNueva>, AppError> {
        // Refused before reading the form: a role that may not register gets no form back.
        u.sesion.actor.exigir(facturas::REGISTRAN, "registrar facturas")?;
        let errores = match f.nueva() {
            Ok(n) => match facturas::crear(&state.db, &state.terminos, state.hoy(), &u.sesion.actor, n) {
                Ok(v) => return Ok(Ok(v)),
                // The number is taken: said next to it.
                Err(AppError::Conflict(m)) => Errores::from([("numero".to_string(), m)]),
                Err(e) => por_campo(e)?,
            },
            Err(errores) => errores,
        };
        let errores = f.repartir(errores);
        Ok(Err(form_factura(&state, u, f, errores)?))
    })
    .await?;
    match r {
        Ok(v) => Ok(con_aviso(
            &format!("/facturas/{}", v.id),
            &format!(
                "Factura {} registrada por {}; radíquela a más tardar el {}.",
                v.numero,
                pesos(v.valor_total),
                v.fecha_limite_radicacion.map(fecha).unwrap_or_default()
            ),
        )),
        Err(p) => html_con(estado(&p.errores), &p),
    }
}

pub fn rutas(cfg: &mut web::ServiceConfig) {
    cfg.route("/facturas/nueva", web::get().to(nueva))
        .route("/facturas", web::post().to(registrar));
}
