//! A payer's sheet of payments (xlsx, xls, ods, csv), read with a mapping profile. Rows of the
//! same payer, date and reference are one payment (a transfer that covers many invoices),
//! registered as the payment use case registers one typed by hand.

use std::collections::HashMap;

use chrono::NaiveDate;
use trazo_importers::sheets::{self, Perfil};
use trazo_importers::Ubicacion;

use super::motor::{en_paralelo, Falla, Formato, Leido, Nuevo, Parseo, Tanda};
use super::{en, error, Actor, AppError, Contexto, ErrorImportacion, Resumen};
use crate::app::numeros::Numeros;
use crate::app::pagos::{registrar_en, NuevaAplicacion, NuevoPago};
use crate::db::{self, AnyConnection};

pub(super) struct Pagos<'a> {
    pub cx: &'a Contexto<'a>,
    pub actor: &'a Actor,
    pub perfil: &'a Perfil,
}

/// The payment a row belongs to.
#[derive(PartialEq)]
struct Clave {
    pagador_id: String,
    fecha: NaiveDate,
    referencia: String,
}

/// A row of the sheet as an application of its payment to an invoice.
struct Aplicacion {
    archivo: String,
    fila: usize,
    aplicacion: NuevaAplicacion,
}

impl Formato for Pagos<'_> {
    type Documento = Leido<Vec<sheets::FilaPago>>;

    fn parsear(&self, archivos: &[Nuevo]) -> Parseo<Self::Documento> {
        en_paralelo(archivos, |a| sheets::leer_pagos(&a.bytes, &a.nombre, self.perfil))
    }

    fn escribir(
        &mut self,
        c: &mut AnyConnection,
        tanda: Tanda<'_, Self::Documento>,
        errores: &mut Vec<ErrorImportacion>,
    ) -> Result<Resumen, Falla> {
        let (cx, actor) = (self.cx, self.actor);
        let numeros = Numeros::de(db::facturas::numeros(c, &actor.prestador_id)?);
        let ids: Vec<String> = tanda
            .documentos
            .iter()
            .flat_map(|d| {
                d.contenido
                    .iter()
                    .filter_map(|f| numeros.buscar(&f.numero_factura).cloned())
            })
            .collect();
        let pagador_de: HashMap<String, String> = db::facturas::por_ids(c, &actor.prestador_id, &ids)?
            .into_iter()
            .map(|f| (f.id, f.pagador_id))
            .collect();
        let nombres: HashMap<String, String> =
            db::pagadores::listar(c, &actor.prestador_id, &Default::default(), 0, i64::MAX)?
                .0
                .into_iter()
                .map(|p| (p.id, p.nombre))
                .collect();
        // In the order each payment first appears in the sheets.
        let mut pagos: Vec<(Clave, Vec<Aplicacion>)> = Vec::new();
        for Leido { archivo, contenido } in tanda.documentos {
            let archivo = tanda.archivos[archivo].archivo.nombre.clone();
            // A sheet is one payer's remittance: the payer of most of its invoices. A row for
            // an invoice of another payer would book that money on the wrong cartera.
            let del_archivo = pagador_del_archivo(&contenido, &numeros, &pagador_de);
            for f in contenido {
                let Some(factura_id) = numeros.buscar(&f.numero_factura).cloned() else {
                    errores.push(error(
                        &archivo,
                        Ubicacion::Fila(f.fila),
                        Some("numero_factura"),
                        format!("la factura {} no está en Trazo", f.numero_factura),
                    ));
                    continue;
                };
                let suyo = &pagador_de[&factura_id];
                if let Some(hoja) = del_archivo.as_ref().filter(|h| *h != suyo) {
                    let nombre = |id: &str| nombres.get(id).cloned().unwrap_or_else(|| id.to_string());
                    errores.push(error(
                        &archivo,
                        Ubicacion::Fila(f.fila),
                        Some("numero_factura"),
                        format!(
                            "la factura {} es de {}, pero esta relación de pagos es de {}: un pago no se aplica a \
                             facturas de otro pagador",
                            f.numero_factura,
                            nombre(suyo),
                            nombre(hoja)
                        ),
                    ));
                    continue;
                }
                let clave = Clave {
                    pagador_id: pagador_de[&factura_id].clone(),
                    fecha: f.fecha,
                    referencia: f.referencia.trim().to_string(),
                };
                let aplicacion = Aplicacion {
                    archivo: archivo.clone(),
                    fila: f.fila,
                    aplicacion: NuevaAplicacion {
                        factura_id,
                        valor: f.valor,
                    },
                };
                match pagos.iter_mut().find(|(k, _)| *k == clave) {
                    Some((_, v)) => v.push(aplicacion),
                    None => pagos.push((clave, vec![aplicacion])),
                }
            }
        }
        if !errores.is_empty() {
            return Ok(Resumen::default());
        }
        let mut resumen = Resumen::default();
        for (clave, aplicaciones) in pagos {
            let valor: rust_decimal::Decimal = aplicaciones.iter().map(|a| a.aplicacion.valor).sum();
            let centavos = crate::domain::money::to_centavos(valor).unwrap_or(0);
            let Clave {
                pagador_id,
                fecha,
                referencia,
            } = clave;
            if db::pagos::existe(c, &actor.prestador_id, &pagador_id, fecha, &referencia, centavos)? {
                resumen.duplicados += aplicaciones.len();
                continue;
            }
            let lugares: Vec<(String, usize)> = aplicaciones.iter().map(|a| (a.archivo.clone(), a.fila)).collect();
            let pago = NuevoPago {
                pagador_id,
                fecha,
                valor,
                referencia,
                medio: "transferencia".into(),
                aplicaciones: aplicaciones.into_iter().map(|a| a.aplicacion).collect(),
            };
            match registrar_en(c, cx.terminos, cx.hoy, actor, &pago) {
                Ok(_) => resumen.creados += lugares.len(),
                Err(AppError::Invalid(v)) => {
                    for x in v {
                        // aplicaciones[i].valor → the row of application i.
                        let i = x
                            .path
                            .strip_prefix("aplicaciones[")
                            .and_then(|r| r.split(']').next())
                            .and_then(|n| n.parse::<usize>().ok());
                        let (archivo, fila) = i
                            .and_then(|i| lugares.get(i))
                            .cloned()
                            .unwrap_or_else(|| lugares[0].clone());
                        let campo = x.path.rsplit('.').next().unwrap_or("valor").to_string();
                        errores.push(error(&archivo, Ubicacion::Fila(fila), Some(&campo), x.message));
                    }
                }
                Err(e) => errores.extend(en(&lugares[0].0, Ubicacion::Fila(lugares[0].1), e)),
            }
        }
        Ok(resumen)
    }
}

/// The payer of most of the sheet's invoices (the first one seen on a tie), if any is known.
fn pagador_del_archivo(
    filas: &[sheets::FilaPago],
    numeros: &Numeros,
    pagador_de: &HashMap<String, String>,
) -> Option<String> {
    let mut cuenta: Vec<(&String, usize)> = Vec::new();
    for id in filas.iter().filter_map(|f| numeros.buscar(&f.numero_factura)) {
        let p = &pagador_de[id];
        match cuenta.iter_mut().find(|(q, _)| *q == p) {
            Some((_, n)) => *n += 1,
            None => cuenta.push((p, 1)),
        }
    }
    // `max_by_key` keeps the last maximum: search from the end to keep the first.
    cuenta.into_iter().rev().max_by_key(|(_, n)| *n).map(|(p, _)| p.clone())
}
