//! A payer's sheet of payments (xlsx, xls, ods, csv), read with a mapping profile. Rows of the
//! same payer, date and reference are one payment (a transfer that covers many invoices),
//! registered as the payment use case registers one typed by hand, with every field it takes:
//! the payer (its NIT, or the invoice's), the means, the reference and the whole value.

use std::collections::HashMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use trazo_importers::sheets::{self, Lectura, Perfil};
use trazo_importers::Ubicacion;

use super::motor::{en_paralelo_parcial, ordenar, Falla, Formato, Leido, Nuevo, Parseo, Tanda};
use super::{en, error, Actor, AppError, Contexto, ErrorImportacion, Resumen};
use crate::app::numeros::Numeros;
use crate::app::pagos::{registrar_en, NuevaAplicacion, NuevoPago, MEDIO_POR_DEFECTO};
use crate::db::{self, AnyConnection};
use crate::domain::nit::Nit;

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

/// What the rows of one payment must agree on, with the row that said it first.
#[derive(Default)]
struct Datos {
    medio: Option<(String, usize)>,
    valor_pago: Option<(Decimal, usize)>,
}

/// A row of the sheet as an application of its payment to an invoice.
struct Aplicacion {
    archivo: String,
    fila: usize,
    aplicacion: NuevaAplicacion,
}

/// The payers of the prestador: by id their name, by NIT their id.
struct Pagadores {
    nombres: HashMap<String, String>,
    por_nit: HashMap<String, String>,
}

impl Pagadores {
    fn nombre(&self, id: &str) -> String {
        self.nombres.get(id).cloned().unwrap_or_else(|| id.to_string())
    }

    /// The payer a row names by NIT, or why not (the message for the `nit_pagador` cell).
    fn por_nit(&self, escrito: &str) -> Result<&String, String> {
        let nit = Nit::parse(escrito).map_err(|e| e.to_string())?;
        self.por_nit.get(nit.as_str()).ok_or_else(|| {
            format!("no hay un pagador con NIT {escrito} en Trazo; regístrelo antes de importar sus pagos")
        })
    }
}

impl Formato for Pagos<'_> {
    type Documento = Leido<Lectura<sheets::FilaPago>>;

    // A bad cell on one row and an unknown invoice on another come in the same answer.
    const REVISA_TRAS_ERRORES_DE_LECTURA: bool = true;

    fn parsear(&self, archivos: &[Nuevo]) -> Parseo<Self::Documento> {
        en_paralelo_parcial(archivos, |a| {
            let mut l = sheets::pagos(&a.bytes, &a.nombre, self.perfil);
            let errores = std::mem::take(&mut l.errores);
            (l, errores)
        })
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
                let completas = d.contenido.filas.iter().map(|f| f.numero_factura.as_str());
                let incompletas = d
                    .contenido
                    .incompletas
                    .iter()
                    .filter_map(|f| f.numero_factura.as_deref());
                completas.chain(incompletas).filter_map(|n| numeros.buscar(n).cloned())
            })
            .collect();
        let pagador_de: HashMap<String, String> = db::facturas::por_ids(c, &actor.prestador_id, &ids)?
            .into_iter()
            .map(|f| (f.id, f.pagador_id))
            .collect();
        let todos = db::pagadores::listar(c, &actor.prestador_id, &Default::default(), 0, i64::MAX)?.0;
        let pagadores = Pagadores {
            por_nit: todos.iter().map(|p| (p.nit.clone(), p.id.clone())).collect(),
            nombres: todos.into_iter().map(|p| (p.id, p.nombre)).collect(),
        };
        // A layout of a third party (ADRES giro directo) names it once for every row; a payer
        // unknown to Trazo stops the run before any row is read (the file's first cell).
        let pagado_por = match self.perfil.pagado_por_nit.as_deref() {
            Some(nit) => match pagadores.por_nit(nit) {
                Ok(id) => Some(id.clone()),
                Err(m) => {
                    let archivo = tanda
                        .archivos
                        .first()
                        .map(|a| a.archivo.nombre.clone())
                        .unwrap_or_default();
                    errores.push(error(
                        &archivo,
                        Ubicacion::Archivo,
                        Some("pagado_por_nit"),
                        format!(
                            "el perfil «{}» dice que estos pagos los hace un tercero: {m}",
                            self.perfil.nombre
                        ),
                    ));
                    return Ok(Resumen::default());
                }
            },
            None => None,
        };
        // In the order each payment first appears in the sheets.
        let mut pagos: Vec<(Clave, Datos, Vec<Aplicacion>)> = Vec::new();
        for Leido { archivo, contenido } in tanda.documentos {
            let archivo = tanda.archivos[archivo].archivo.nombre.clone();
            let en_fila = |fila: usize, campo: &str, m: String| error(&archivo, Ubicacion::Fila(fila), Some(campo), m);
            // A sheet is one payer's remittance: the payer of most of its invoices. A row for
            // an invoice of another payer would book that money on the wrong cartera. A row
            // that names its payer by NIT is checked against that payer instead.
            let del_archivo = pagador_del_archivo(&contenido.filas, &numeros, &pagador_de);
            let Lectura { filas, incompletas, .. } = contenido;
            // Rows with a bad cell: their invoice and payer are still checked.
            for f in incompletas {
                let factura = f.numero_factura.as_deref().map(|n| (n, numeros.buscar(n)));
                if let Some((n, None)) = factura {
                    errores.push(en_fila(f.fila, "numero_factura", super::factura_desconocida(n)));
                }
                if let Some(nit) = f.nit_pagador.as_deref() {
                    match pagadores.por_nit(nit) {
                        Err(m) => errores.push(en_fila(f.fila, "nit_pagador", m)),
                        Ok(p) => {
                            if let Some((n, Some(id))) = factura {
                                if let Some(m) = otro_pagador(n, &pagador_de[id], p, &pagadores) {
                                    errores.push(en_fila(f.fila, "numero_factura", m));
                                }
                            }
                        }
                    }
                }
            }
            for f in filas {
                let factura_id = numeros.buscar(&f.numero_factura).cloned();
                if factura_id.is_none() {
                    errores.push(en_fila(
                        f.fila,
                        "numero_factura",
                        super::factura_desconocida(&f.numero_factura),
                    ));
                }
                let nombrado = match f.nit_pagador.as_deref().map(|nit| pagadores.por_nit(nit)) {
                    Some(Err(m)) => {
                        errores.push(en_fila(f.fila, "nit_pagador", m));
                        continue;
                    }
                    Some(Ok(p)) => Some(p.clone()),
                    None => None,
                };
                if let Err(x) = crate::app::no_futura("fecha", f.fecha, cx.hoy) {
                    errores.extend(en(&archivo, Ubicacion::Fila(f.fila), x));
                    continue;
                }
                let Some(factura_id) = factura_id else {
                    continue;
                };
                let suyo = &pagador_de[&factura_id];
                // A giro by a third party covers several debtors: a row that names none is its
                // invoice's, not the sheet's majority's.
                let del_archivo = del_archivo.as_ref().filter(|_| pagado_por.is_none());
                let pagador = match nombrado.as_ref().or(del_archivo) {
                    Some(p) => match otro_pagador(&f.numero_factura, suyo, p, &pagadores) {
                        Some(m) => {
                            errores.push(en_fila(f.fila, "numero_factura", m));
                            continue;
                        }
                        None => p.clone(),
                    },
                    None => suyo.clone(),
                };
                let clave = Clave {
                    pagador_id: pagador,
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
                let i = match pagos.iter().position(|(k, _, _)| *k == clave) {
                    Some(i) => i,
                    None => {
                        pagos.push((clave, Datos::default(), Vec::new()));
                        pagos.len() - 1
                    }
                };
                let (_, datos, aplicaciones) = &mut pagos[i];
                // The rows of one payment say one means and one whole value.
                if let Some(medio) = &f.medio {
                    match &datos.medio {
                        Some((dicho, fila)) if dicho != medio => errores.push(en_fila(
                            f.fila,
                            "medio",
                            format!(
                                "el medio de pago «{medio}» no es el de la fila {fila} («{dicho}»), del mismo pago \
                                 (mismo pagador, fecha y referencia); se espera un solo medio por pago"
                            ),
                        )),
                        Some(_) => {}
                        None => datos.medio = Some((medio.clone(), f.fila)),
                    }
                }
                if let Some(v) = f.valor_pago {
                    match datos.valor_pago {
                        Some((dicho, fila)) if dicho != v => errores.push(en_fila(
                            f.fila,
                            "valor_pago",
                            format!(
                                "el valor del pago {v:.2} no es el de la fila {fila} ({dicho:.2}), del mismo pago \
                                 (mismo pagador, fecha y referencia); se espera un solo valor por pago"
                            ),
                        )),
                        Some(_) => {}
                        None => datos.valor_pago = Some((v, f.fila)),
                    }
                }
                aplicaciones.push(aplicacion);
            }
        }
        // Every payment is checked against its invoices' balances even when rows were refused
        // above: the engine rolls the run back, and the clerk learns of an amount over a
        // balance in the same answer as of a bad cell.
        let mut resumen = Resumen::default();
        for (clave, datos, aplicaciones) in pagos {
            let aplicado: Decimal = aplicaciones.iter().map(|a| a.aplicacion.valor).sum();
            // A giro by a third party is the sum of its detail (Res. 2284/2023 art. 8); the
            // giro's total, when the sheet repeats it, covers several debtors.
            let valor_pago = datos.valor_pago.filter(|_| pagado_por.is_none());
            let valor = match valor_pago {
                Some((v, fila)) if v < aplicado => {
                    let filas: Vec<String> = aplicaciones.iter().map(|a| a.fila.to_string()).collect();
                    errores.push(error(
                        &aplicaciones[0].archivo,
                        Ubicacion::Fila(fila),
                        Some("valor_pago"),
                        format!(
                            "el pago vale {v:.2} y sus filas ({}) le aplican {aplicado:.2}; se espera un valor del pago \
                             igual o mayor que lo aplicado",
                            filas.join(", ")
                        ),
                    ));
                    continue;
                }
                Some((v, _)) => v,
                None => aplicado,
            };
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
                medio: datos.medio.map_or_else(
                    || match pagado_por {
                        Some(_) => crate::app::pagos::MEDIO_TERCERO.to_string(),
                        None => MEDIO_POR_DEFECTO.to_string(),
                    },
                    |(m, _)| m,
                ),
                aplicaciones: aplicaciones.into_iter().map(|a| a.aplicacion).collect(),
                pagado_por_id: pagado_por.clone(),
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
                        let campo = match x.path.rsplit('.').next() {
                            Some("factura_id") => "numero_factura",
                            Some(otro) => otro,
                            None => "valor",
                        };
                        errores.push(error(&archivo, Ubicacion::Fila(fila), Some(campo), x.message));
                    }
                }
                Err(e) => errores.extend(en(&lugares[0].0, Ubicacion::Fila(lugares[0].1), e)),
            }
        }
        ordenar(errores, tanda.archivos);
        if !errores.is_empty() {
            return Ok(Resumen::default());
        }
        Ok(resumen)
    }
}

/// Why an invoice of payer `suyo` cannot take money of payer `pagador`, if it cannot.
fn otro_pagador(numero: &str, suyo: &str, pagador: &str, pagadores: &Pagadores) -> Option<String> {
    (suyo != pagador).then(|| {
        format!(
            "la factura {numero} es de {}, pero este pago es de {}: un pago no se aplica a facturas de otro pagador",
            pagadores.nombre(suyo),
            pagadores.nombre(pagador)
        )
    })
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
