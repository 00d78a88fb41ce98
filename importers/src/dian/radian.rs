//! RADIAN events: the `ApplicationResponse` a buyer (or, for the tacit acceptance, the
//! issuer) sends to DIAN about an invoice.
//!
//! Sources: Decreto 1154 de 2020 (circulation of the factura electrónica de venta como título
//! valor: arts. 2.2.2.53.4 and following on acceptance), Res. DIAN 000085 de 2022 (RADIAN) and
//! its anexo técnico, tabla 13.3.1 "Eventos de un documento electrónico" (030 acuse de recibo,
//! 031 reclamo, 032 recibo del bien o prestación del servicio, 033 aceptación expresa, 034
//! aceptación tácita) and tabla 13.3.12 "Concepto de reclamo" (the `listID` of the 031
//! `cbc:ResponseCode`), as in DIAN's own examples (Caja de herramientas FE v1.9, "Eventos
//! RADIAN"). The elements read:
//!
//! ```text
//! /ApplicationResponse/cbc:ID, cbc:UUID (CUDE of the event), cbc:IssueDate, cbc:Note*
//!     /cac:SenderParty/cac:PartyTaxScheme/cbc:CompanyID
//!     /cac:DocumentResponse/cac:Response/cbc:ResponseCode (@listID, @name), cbc:Description
//!     /cac:DocumentResponse/cac:DocumentReference/cbc:ID, cbc:UUID (CUFE of the invoice)
//!     /cac:DocumentResponse/cac:IssuerParty/cac:Person (who received, for 030 and 032)
//! ```

use super::valores::{fecha, nit};
use super::xml::{muestra, Arbol, Ns};
use super::{EventoDian, TipoEvento};
use crate::error::{ImportError, Ubicacion};

use super::ubl::Ctx;

/// Concepts of a claim (tabla 13.3.12).
const CONCEPTOS_RECLAMO: [&str; 4] = ["01", "02", "03", "04"];

fn hexadecimal(t: &str) -> bool {
    !t.is_empty() && t.bytes().all(|b| b.is_ascii_hexdigit())
}

pub(crate) fn extraer(arbol: &Arbol, archivo: &str) -> Result<EventoDian, Vec<ImportError>> {
    let a = arbol;
    let mut c = Ctx {
        arbol,
        archivo,
        errores: Vec::new(),
    };
    let numero = c
        .requerido(0, Ns::Cbc, "ID", "falta el número del evento (cbc:ID)")
        .map(|(_, t)| t);
    let cude = c
        .requerido(0, Ns::Cbc, "UUID", "falta el CUDE del evento (cbc:UUID)")
        .and_then(|(i, t)| {
            if hexadecimal(&t) {
                Some(t.to_ascii_lowercase())
            } else {
                c.error(
                    a.ruta(i),
                    "cbc:UUID",
                    format!(
                        "el CUDE del evento (cbc:UUID) debe ser hexadecimal (SHA-384); llegó '{}'",
                        muestra(&t)
                    ),
                );
                None
            }
        });
    let fecha_evento = c
        .requerido(0, Ns::Cbc, "IssueDate", "falta la fecha del evento (cbc:IssueDate)")
        .and_then(|(i, t)| {
            let f = fecha(&t);
            if f.is_none() {
                c.error(
                    a.ruta(i),
                    "cbc:IssueDate",
                    format!(
                        "se espera una fecha como 2025-03-31 (año-mes-día); llegó '{}'",
                        muestra(&t)
                    ),
                );
            }
            f
        });

    let respuesta = a.hijo(0, &Ns::Cac, "DocumentResponse");
    let Some(r) = respuesta else {
        c.error(
            a.ruta_hijo(0, &Ns::Cac, "DocumentResponse"),
            "cac:DocumentResponse",
            "el evento no trae cac:DocumentResponse: ahí van el código del evento y el CUFE de la factura".to_string(),
        );
        return Err(c.errores);
    };

    let codigo = a.camino(r, &[(Ns::Cac, "Response"), (Ns::Cbc, "ResponseCode")]);
    let (tipo, concepto, nombre_codigo) = match codigo {
        Some(i) if !a.texto(i).is_empty() => {
            let t = a.texto(i);
            match TipoEvento::de_codigo(t) {
                Some(tipo) => {
                    let concepto = a.atributo(i, "listID").map(str::trim).filter(|s| !s.is_empty());
                    if tipo == TipoEvento::Reclamo {
                        match concepto {
                            Some(k) if CONCEPTOS_RECLAMO.contains(&k) => {}
                            Some(k) => c.error(
                                a.ruta(i),
                                "cbc:ResponseCode",
                                format!(
                                    "el concepto del reclamo (atributo listID) debe ser 01, 02, 03 o 04 \
                                     (tabla 13.3.12 del anexo técnico de RADIAN); llegó '{}'",
                                    muestra(k)
                                ),
                            ),
                            None => c.error(
                                a.ruta(i),
                                "cbc:ResponseCode",
                                "el reclamo (031) debe traer su concepto en el atributo listID (01 a 04, tabla \
                                 13.3.12 del anexo técnico de RADIAN)"
                                    .to_string(),
                            ),
                        }
                    }
                    let nombre = a.atributo(i, "name").map(str::trim).filter(|s| !s.is_empty());
                    (Some(tipo), concepto.map(str::to_string), nombre.map(str::to_string))
                }
                None => {
                    c.error(
                        a.ruta(i),
                        "cbc:ResponseCode",
                        format!(
                            "el evento '{}' no es uno de los que Trazo registra: 030 acuse de recibo, 031 reclamo, \
                             032 recibo del bien o servicio, 033 aceptación expresa, 034 aceptación tácita",
                            muestra(t)
                        ),
                    );
                    (None, None, None)
                }
            }
        }
        _ => {
            c.error(
                format!("{}/cac:Response/cbc:ResponseCode", a.ruta(r)),
                "cbc:ResponseCode",
                "falta el código del evento (cac:Response/cbc:ResponseCode: 030 a 034)".to_string(),
            );
            (None, None, None)
        }
    };
    let descripcion = nombre_codigo.or_else(|| {
        a.camino(r, &[(Ns::Cac, "Response"), (Ns::Cbc, "Description")])
            .map(|i| a.texto(i).to_string())
            .filter(|t| !t.is_empty())
    });

    let referencia = a.hijo(r, &Ns::Cac, "DocumentReference");
    let cufe = match referencia.and_then(|d| a.hijo(d, &Ns::Cbc, "UUID")) {
        Some(i) if hexadecimal(a.texto(i)) => Some(a.texto(i).to_ascii_lowercase()),
        Some(i) if !a.texto(i).is_empty() => {
            c.error(
                a.ruta(i),
                "cbc:UUID",
                format!(
                    "el CUFE de la factura (cbc:UUID) debe ser hexadecimal (SHA-384); llegó '{}'",
                    muestra(a.texto(i))
                ),
            );
            None
        }
        _ => {
            c.error(
                format!("{}/cac:DocumentReference/cbc:UUID", a.ruta(r)),
                "cbc:UUID",
                "falta el CUFE de la factura a la que se refiere el evento (cac:DocumentReference/cbc:UUID)"
                    .to_string(),
            );
            None
        }
    };
    let factura = referencia
        .and_then(|d| a.hijo(d, &Ns::Cbc, "ID"))
        .map(|i| a.texto(i).to_string())
        .filter(|t| !t.is_empty());

    let notas: Vec<&str> = a
        .hijos(0, &Ns::Cbc, "Note")
        .map(|i| a.texto(i))
        .filter(|t| !t.is_empty())
        .collect();
    let nota = (!notas.is_empty()).then(|| notas.join("\n"));

    let nit_emisor = a.hijo(0, &Ns::Cac, "SenderParty").and_then(|p| {
        a.descendientes(p)
            .find(|&d| a.es(d, &Ns::Cbc, "CompanyID"))
            .and_then(|d| nit(a.texto(d)))
    });

    let persona = a
        .camino(r, &[(Ns::Cac, "IssuerParty"), (Ns::Cac, "Person")])
        .map(|p| {
            let parte = |local: &str| {
                a.hijo(p, &Ns::Cbc, local)
                    .map(|i| a.texto(i).to_string())
                    .filter(|t| !t.is_empty())
            };
            let nombre: Vec<String> = [parte("FirstName"), parte("FamilyName")]
                .into_iter()
                .flatten()
                .collect();
            let mut s = nombre.join(" ");
            if let Some(cargo) = parte("JobTitle") {
                s = if s.is_empty() { cargo } else { format!("{s}, {cargo}") };
            }
            s
        })
        .filter(|s| !s.is_empty());

    let Ctx { mut errores, .. } = c;
    if let (true, Some(tipo), Some(numero), Some(cude), Some(fecha), Some(cufe)) =
        (errores.is_empty(), tipo, numero, cude, fecha_evento, cufe)
    {
        return Ok(EventoDian {
            tipo,
            numero,
            cude,
            fecha,
            cufe,
            factura,
            concepto,
            descripcion,
            nota,
            nit_emisor,
            persona,
        });
    }
    if errores.is_empty() {
        errores.push(ImportError::new(
            archivo,
            Ubicacion::XPath(format!("{}/ApplicationResponse", arbol.base)),
            None,
            "no se pudo leer el evento",
        ));
    }
    Err(errores)
}
