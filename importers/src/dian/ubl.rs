//! From the tree of a UBL 2.1 document to a [`DocumentoDian`], collecting every problem found.

use rust_decimal::Decimal;

use super::valores::{fecha, mensaje_monto, monto, nit};
use super::xml::{muestra, nombre, Arbol, Ns};
use super::{salud, DocumentoDian, Limites, LineaDian, TipoDocumento};
use crate::error::{ImportError, Ubicacion};

/// What the root element is.
pub(crate) enum Raiz {
    Documento(TipoDocumento),
    Contenedor,
}

const RAICES: [(&str, Ns); 4] = [
    ("Invoice", Ns::Invoice),
    ("CreditNote", Ns::CreditNote),
    ("DebitNote", Ns::DebitNote),
    ("AttachedDocument", Ns::Attached),
];

pub(crate) fn raiz(arbol: &Arbol, archivo: &str) -> Result<Raiz, ImportError> {
    let n = &arbol.nodos[0];
    let ubicacion = Ubicacion::XPath(format!("{}/{}", arbol.base, n.local));
    let Some((_, esperado)) = RAICES.iter().find(|(local, _)| *local == n.local) else {
        return Err(ImportError::new(
            archivo,
            Ubicacion::XPath(format!("{}/{}", arbol.base, muestra(&n.qname))),
            None,
            format!(
                "el documento es <{}>; se espera una factura electrónica DIAN: Invoice, CreditNote, DebitNote o \
                 AttachedDocument",
                muestra(&n.qname)
            ),
        ));
    };
    if n.ns != *esperado {
        let llego = match n.ns {
            Ns::Ninguno => "no declara espacio de nombres".to_string(),
            ref otro => format!("está en el espacio de nombres '{}'", muestra(otro.uri())),
        };
        return Err(ImportError::new(
            archivo,
            ubicacion,
            Some(n.local.as_str()),
            format!(
                "el elemento raíz <{}> {llego}; se espera xmlns=\"{}\"",
                n.local,
                esperado.uri()
            ),
        ));
    }
    Ok(match n.ns {
        Ns::Invoice => Raiz::Documento(TipoDocumento::Factura),
        Ns::CreditNote => Raiz::Documento(TipoDocumento::NotaCredito),
        Ns::DebitNote => Raiz::Documento(TipoDocumento::NotaDebito),
        _ => Raiz::Contenedor,
    })
}

/// The document inside an AttachedDocument and the XPath of the element that holds it.
pub(crate) fn documento_adjunto(
    arbol: &Arbol,
    archivo: &str,
    limites: &Limites,
) -> Result<(String, String), ImportError> {
    let pasos = [
        (Ns::Cac, "Attachment"),
        (Ns::Cac, "ExternalReference"),
        (Ns::Cbc, "Description"),
    ];
    let ruta_esperada = format!(
        "{}/AttachedDocument/cac:Attachment/cac:ExternalReference/cbc:Description",
        arbol.base
    );
    let Some(desc) = arbol.camino(0, &pasos) else {
        return Err(ImportError::new(
            archivo,
            Ubicacion::XPath(ruta_esperada),
            Some("cbc:Description"),
            "el AttachedDocument no trae la factura: falta cac:Attachment/cac:ExternalReference/cbc:Description",
        ));
    };
    let base = arbol.ruta(desc);
    let texto = arbol.nodos[desc]
        .texto
        .trim()
        .trim_start_matches('\u{feff}')
        .trim_start();
    if texto.is_empty() {
        return Err(ImportError::new(
            archivo,
            Ubicacion::XPath(base),
            Some("cbc:Description"),
            "el AttachedDocument trae vacío cbc:Description; ahí debe venir el XML de la factura",
        ));
    }
    if texto.len() > limites.max_bytes {
        return Err(ImportError::new(
            archivo,
            Ubicacion::XPath(base),
            Some("cbc:Description"),
            format!(
                "la factura embebida pesa {} bytes y el máximo aceptado es {} bytes",
                texto.len(),
                limites.max_bytes
            ),
        ));
    }
    Ok((texto.to_string(), base))
}

// ---------------------------------------------------------------------------------------------
// Extraction
// ---------------------------------------------------------------------------------------------

/// Element names that change with the kind of document.
struct Esquema {
    raiz: &'static str,
    linea: &'static str,
    cantidad: &'static str,
    /// Monetary total elements, in order of preference.
    totales: &'static [&'static str],
    /// What `cbc:UUID` is called for this document.
    uuid: &'static str,
}

fn esquema(tipo: TipoDocumento) -> Esquema {
    match tipo {
        TipoDocumento::Factura => Esquema {
            raiz: "Invoice",
            linea: "InvoiceLine",
            cantidad: "InvoicedQuantity",
            totales: &["LegalMonetaryTotal"],
            uuid: "CUFE",
        },
        TipoDocumento::NotaCredito => Esquema {
            raiz: "CreditNote",
            linea: "CreditNoteLine",
            cantidad: "CreditedQuantity",
            totales: &["LegalMonetaryTotal"],
            uuid: "CUDE",
        },
        // UBL 2.1 DebitNote has RequestedMonetaryTotal; LegalMonetaryTotal is accepted too.
        TipoDocumento::NotaDebito => Esquema {
            raiz: "DebitNote",
            linea: "DebitNoteLine",
            cantidad: "DebitedQuantity",
            totales: &["RequestedMonetaryTotal", "LegalMonetaryTotal"],
            uuid: "CUDE",
        },
    }
}

struct Ctx<'a> {
    arbol: &'a Arbol,
    archivo: &'a str,
    errores: Vec<ImportError>,
}

impl Ctx<'_> {
    fn error(&mut self, ruta: String, campo: &str, mensaje: String) {
        self.errores.push(ImportError::new(
            self.archivo,
            Ubicacion::XPath(ruta),
            Some(campo),
            mensaje,
        ));
    }

    /// The trimmed text of a child that must be there and not be empty.
    fn requerido(&mut self, padre: usize, ns: Ns, local: &str, falta: &str) -> Option<(usize, String)> {
        match self.arbol.hijo(padre, &ns, local) {
            Some(i) if !self.arbol.texto(i).is_empty() => Some((i, self.arbol.texto(i).to_string())),
            Some(i) => {
                self.error(self.arbol.ruta(i), &nombre(&ns, local), falta.to_string());
                None
            }
            None => {
                self.error(
                    self.arbol.ruta_hijo(padre, &ns, local),
                    &nombre(&ns, local),
                    falta.to_string(),
                );
                None
            }
        }
    }

    /// An amount in element `i`.
    fn monto_en(&mut self, i: usize, campo: &str) -> Option<Decimal> {
        let valor = self.arbol.texto(i);
        match monto(valor) {
            Ok(d) => Some(d),
            Err(e) => {
                let mensaje = mensaje_monto(&e, valor);
                self.error(self.arbol.ruta(i), campo, mensaje);
                None
            }
        }
    }

    /// A required amount child.
    fn monto_requerido(&mut self, padre: usize, local: &str, falta: &str) -> Option<Decimal> {
        let (i, _) = self.requerido(padre, Ns::Cbc, local, falta)?;
        self.monto_en(i, &nombre(&Ns::Cbc, local))
    }

    fn suma(&mut self, valores: &[Decimal], ruta: String, campo: &str) -> Option<Decimal> {
        let total = valores.iter().try_fold(Decimal::ZERO, |acc, v| acc.checked_add(*v));
        if total.is_none() {
            self.error(ruta, campo, "la suma de los valores es demasiado grande".to_string());
        }
        total
    }

    fn nit_de(&mut self, parte: &str, quien: &str) -> Option<String> {
        let a = self.arbol;
        let falta = format!("falta el NIT del {quien} (cac:{parte}/cac:Party/cac:PartyTaxScheme/cbc:CompanyID)");
        let Some(p) = a.hijo(0, &Ns::Cac, parte) else {
            self.error(a.ruta_hijo(0, &Ns::Cac, parte), "cbc:CompanyID", falta);
            return None;
        };
        let preferidos = [
            [(Ns::Cac, "Party"), (Ns::Cac, "PartyTaxScheme"), (Ns::Cbc, "CompanyID")],
            [
                (Ns::Cac, "Party"),
                (Ns::Cac, "PartyLegalEntity"),
                (Ns::Cbc, "CompanyID"),
            ],
        ];
        let compania = preferidos
            .iter()
            .find_map(|pasos| a.camino(p, pasos))
            .or_else(|| a.descendientes(p).find(|&d| a.es(d, &Ns::Cbc, "CompanyID")));
        let Some(c) = compania else {
            self.error(a.ruta(p), "cbc:CompanyID", falta);
            return None;
        };
        let valor = a.texto(c);
        if valor.is_empty() {
            self.error(a.ruta(c), "cbc:CompanyID", falta);
            return None;
        }
        let n = nit(valor);
        if n.is_none() {
            self.error(
                a.ruta(c),
                "cbc:CompanyID",
                format!(
                    "se espera un NIT de solo dígitos como 900123456 (el dígito de verificación va en el atributo \
                     schemeID); llegó '{}'",
                    muestra(valor)
                ),
            );
        }
        n
    }
}

pub(crate) fn extraer(arbol: &Arbol, tipo: TipoDocumento, archivo: &str) -> Result<DocumentoDian, Vec<ImportError>> {
    let e = esquema(tipo);
    let mut c = Ctx {
        arbol,
        archivo,
        errores: Vec::new(),
    };
    let a = arbol;

    let numero = c
        .requerido(0, Ns::Cbc, "ID", "falta el número del documento (cbc:ID)")
        .map(|(_, t)| t);

    let falta_uuid = format!("falta el {} (cbc:UUID)", e.uuid);
    let cufe = c.requerido(0, Ns::Cbc, "UUID", &falta_uuid).and_then(|(i, t)| {
        if t.bytes().all(|b| b.is_ascii_hexdigit()) {
            Some(t.to_ascii_lowercase())
        } else {
            c.error(
                a.ruta(i),
                "cbc:UUID",
                format!(
                    "el {} (cbc:UUID) debe ser hexadecimal (SHA-384: 96 caracteres 0-9 y a-f); llegó '{}'",
                    e.uuid,
                    muestra(&t)
                ),
            );
            None
        }
    });

    let fecha_emision = c
        .requerido(0, Ns::Cbc, "IssueDate", "falta la fecha de emisión (cbc:IssueDate)")
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

    let nit_emisor = c.nit_de("AccountingSupplierParty", "emisor");
    let nit_adquirente = c.nit_de("AccountingCustomerParty", "adquirente");

    let moneda = match a.hijo(0, &Ns::Cbc, "DocumentCurrencyCode") {
        Some(i) if !a.texto(i).is_empty() => {
            let m = a.texto(i);
            if m.len() == 3 && m.bytes().all(|b| b.is_ascii_uppercase()) {
                Some(m.to_string())
            } else {
                c.error(
                    a.ruta(i),
                    "cbc:DocumentCurrencyCode",
                    format!(
                        "se espera un código de moneda ISO 4217 como COP; llegó '{}'",
                        muestra(m)
                    ),
                );
                None
            }
        }
        _ => Some("COP".to_string()),
    };

    // Document-level taxes: cac:TaxTotal children of the root (cac:WithholdingTaxTotal, the
    // retenciones, is a different element and is not added).
    let mut impuestos_leidos = Vec::new();
    let mut impuestos_ok = true;
    for t in a.hijos(0, &Ns::Cac, "TaxTotal").collect::<Vec<_>>() {
        match c.monto_requerido(t, "TaxAmount", "falta el valor del impuesto (cbc:TaxAmount)") {
            Some(v) => impuestos_leidos.push(v),
            None => impuestos_ok = false,
        }
    }
    let impuestos = if impuestos_ok {
        c.suma(&impuestos_leidos, a.ruta_hijo(0, &Ns::Cac, "TaxTotal"), "cbc:TaxAmount")
    } else {
        None
    };

    // Monetary total.
    let total = e.totales.iter().find_map(|t| a.hijo(0, &Ns::Cac, t));
    let (valor_bruto, anticipos, valor_a_pagar, ruta_bruto) = match total {
        None => {
            c.error(
                a.ruta_hijo(0, &Ns::Cac, e.totales[0]),
                &nombre(&Ns::Cac, e.totales[0]),
                format!("faltan los totales del documento (cac:{})", e.totales[0]),
            );
            (None, None, None, None)
        }
        Some(t) => {
            let bruto = c.monto_requerido(
                t,
                "LineExtensionAmount",
                "falta el valor bruto (cbc:LineExtensionAmount)",
            );
            let anticipos = match a.hijo(t, &Ns::Cbc, "PrepaidAmount") {
                Some(i) if !a.texto(i).is_empty() => c.monto_en(i, "cbc:PrepaidAmount"),
                _ => Some(Decimal::ZERO),
            };
            let pagar = c.monto_requerido(t, "PayableAmount", "falta el valor a pagar (cbc:PayableAmount)");
            let ruta_bruto = a
                .hijo(t, &Ns::Cbc, "LineExtensionAmount")
                .map(|i| a.ruta(i))
                .unwrap_or_else(|| a.ruta_hijo(t, &Ns::Cbc, "LineExtensionAmount"));
            (bruto, anticipos, pagar, Some(ruta_bruto))
        }
    };

    // Lines.
    let indices: Vec<usize> = a.hijos(0, &Ns::Cac, e.linea).collect();
    if indices.is_empty() {
        c.error(
            a.ruta_hijo(0, &Ns::Cac, e.linea),
            &nombre(&Ns::Cac, e.linea),
            format!("el documento no trae líneas (cac:{})", e.linea),
        );
    }
    let mut lineas = Vec::with_capacity(indices.len());
    let mut lineas_ok = true;
    for l in indices {
        match linea(&mut c, l, &e) {
            Some(linea) => lineas.push(linea),
            None => lineas_ok = false,
        }
    }

    // The lines must add up to the monetary total's LineExtensionAmount, to the centavo.
    if let (true, Some(bruto), Some(ruta)) = (lineas_ok && !lineas.is_empty(), valor_bruto, ruta_bruto) {
        let totales: Vec<Decimal> = lineas.iter().map(|l| l.valor_total).collect();
        if let Some(suma) = c.suma(&totales, ruta.clone(), "cbc:LineExtensionAmount") {
            if suma.round_dp(2) != bruto.round_dp(2) {
                c.error(
                    ruta,
                    "cbc:LineExtensionAmount",
                    format!("las líneas suman {suma} y cbc:LineExtensionAmount dice {bruto}"),
                );
            }
        }
    }

    let salud = salud::campos(a, archivo, &mut c.errores);

    let factura_referenciada = match tipo {
        TipoDocumento::Factura => None,
        _ => a
            .camino(
                0,
                &[
                    (Ns::Cac, "BillingReference"),
                    (Ns::Cac, "InvoiceDocumentReference"),
                    (Ns::Cbc, "ID"),
                ],
            )
            .map(|i| a.texto(i).to_string())
            .filter(|t| !t.is_empty()),
    };

    let Ctx { mut errores, .. } = c;
    if let (
        true,
        Some(numero),
        Some(cufe),
        Some(fecha_emision),
        Some(nit_emisor),
        Some(nit_adquirente),
        Some(moneda),
        Some(valor_bruto),
        Some(impuestos),
        Some(anticipos),
        Some(valor_a_pagar),
    ) = (
        errores.is_empty(),
        numero,
        cufe,
        fecha_emision,
        nit_emisor,
        nit_adquirente,
        moneda,
        valor_bruto,
        impuestos,
        anticipos,
        valor_a_pagar,
    ) {
        return Ok(DocumentoDian {
            tipo,
            numero,
            cufe,
            fecha_emision,
            nit_emisor,
            nit_adquirente,
            moneda,
            valor_bruto,
            impuestos,
            anticipos,
            valor_a_pagar,
            lineas,
            salud,
            factura_referenciada,
        });
    }
    if errores.is_empty() {
        // Every missing value above records an error; this is only a safety net.
        errores.push(ImportError::new(
            archivo,
            Ubicacion::XPath(format!("{}/{}", arbol.base, e.raiz)),
            None,
            "no se pudo leer el documento",
        ));
    }
    Err(errores)
}

fn linea(c: &mut Ctx<'_>, l: usize, e: &Esquema) -> Option<LineaDian> {
    let a = c.arbol;
    let numero = c
        .requerido(l, Ns::Cbc, "ID", "falta el número de la línea (cbc:ID)")
        .and_then(|(i, t)| {
            let n = t.parse::<u32>().ok();
            if n.is_none() {
                c.error(
                    a.ruta(i),
                    "cbc:ID",
                    format!("se espera el número de la línea (1, 2, 3...); llegó '{}'", muestra(&t)),
                );
            }
            n
        });
    let falta_cantidad = format!("falta la cantidad (cbc:{})", e.cantidad);
    let cantidad = c.monto_requerido(l, e.cantidad, &falta_cantidad);
    let valor_total = c.monto_requerido(
        l,
        "LineExtensionAmount",
        "falta el valor de la línea (cbc:LineExtensionAmount)",
    );
    let valor_unitario = match a.hijo(l, &Ns::Cac, "Price") {
        Some(p) => c.monto_requerido(p, "PriceAmount", "falta el valor unitario (cac:Price/cbc:PriceAmount)"),
        None => {
            c.error(
                format!("{}/cbc:PriceAmount", a.ruta_hijo(l, &Ns::Cac, "Price")),
                "cbc:PriceAmount",
                "falta el valor unitario (cac:Price/cbc:PriceAmount)".to_string(),
            );
            None
        }
    };
    let item = a.hijo(l, &Ns::Cac, "Item");
    let codigo = item
        .and_then(|it| {
            [
                (Ns::Cac, "StandardItemIdentification"),
                (Ns::Cac, "SellersItemIdentification"),
            ]
            .into_iter()
            .filter_map(|paso| a.camino(it, &[paso, (Ns::Cbc, "ID")]))
            .map(|i| a.texto(i))
            .find(|t| !t.is_empty())
        })
        .unwrap_or("")
        .to_string();
    let descripcion = item
        .and_then(|it| a.hijo(it, &Ns::Cbc, "Description"))
        .map(|i| a.texto(i))
        .unwrap_or("")
        .to_string();
    Some(LineaDian {
        numero: numero?,
        codigo,
        descripcion,
        cantidad: cantidad?,
        valor_unitario: valor_unitario?,
        valor_total: valor_total?,
    })
}
