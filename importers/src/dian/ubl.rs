//! From the tree of a UBL 2.1 document to a [`DocumentoDian`], collecting every problem found.

use rust_decimal::Decimal;

use super::valores::{fecha, mensaje_monto, monto, monto_con_signo, nit};
use super::xml::{muestra, nombre, Arbol, Ns};
use super::{salud, DocumentoDian, Limites, LineaDian, TipoDocumento};
use crate::error::{ImportError, Ubicacion};

/// What the root element is.
pub(crate) enum Raiz {
    Documento(TipoDocumento),
    /// An `ApplicationResponse`: a RADIAN event.
    Evento,
    Contenedor,
}

const RAICES: [(&str, Ns); 5] = [
    ("Invoice", Ns::Invoice),
    ("CreditNote", Ns::CreditNote),
    ("DebitNote", Ns::DebitNote),
    ("AttachedDocument", Ns::Attached),
    ("ApplicationResponse", Ns::ApplicationResponse),
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
                "el documento es <{}>; se espera una factura electrónica DIAN: Invoice, CreditNote, DebitNote, \
                 AttachedDocument o un evento RADIAN (ApplicationResponse)",
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
        Ns::ApplicationResponse => Raiz::Evento,
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

pub(crate) struct Ctx<'a> {
    pub(crate) arbol: &'a Arbol,
    pub(crate) archivo: &'a str,
    pub(crate) errores: Vec<ImportError>,
}

impl Ctx<'_> {
    pub(crate) fn error(&mut self, ruta: String, campo: &str, mensaje: String) {
        self.errores.push(ImportError::new(
            self.archivo,
            Ubicacion::XPath(ruta),
            Some(campo),
            mensaje,
        ));
    }

    /// The trimmed text of a child that must be there and not be empty.
    pub(crate) fn requerido(&mut self, padre: usize, ns: Ns, local: &str, falta: &str) -> Option<(usize, String)> {
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

    /// An optional amount child: 0 when absent or empty. `con_signo` for
    /// `cbc:PayableRoundingAmount`, the only total that may be negative.
    fn monto_opcional(&mut self, padre: usize, local: &str, con_signo: bool) -> Option<Decimal> {
        let a = self.arbol;
        match a.hijo(padre, &Ns::Cbc, local) {
            Some(i) if !a.texto(i).is_empty() => {
                if con_signo {
                    let valor = a.texto(i);
                    match monto_con_signo(valor) {
                        Ok(d) => Some(d),
                        Err(e) => {
                            let mensaje = mensaje_monto(&e, valor);
                            self.error(a.ruta(i), &nombre(&Ns::Cbc, local), mensaje);
                            None
                        }
                    }
                } else {
                    self.monto_en(i, &nombre(&Ns::Cbc, local))
                }
            }
            _ => Some(Decimal::ZERO),
        }
    }

    /// Sum of the `cac:TaxTotal/cbc:TaxAmount` children of `padre`; None (with the errors
    /// recorded) when one cannot be read. The second value says whether there was any.
    fn impuestos_de(&mut self, padre: usize) -> (Option<Decimal>, bool) {
        let a = self.arbol;
        let totales: Vec<usize> = a.hijos(padre, &Ns::Cac, "TaxTotal").collect();
        let mut leidos = Vec::with_capacity(totales.len());
        let mut ok = true;
        for t in &totales {
            match self.monto_requerido(*t, "TaxAmount", "falta el valor del impuesto (cbc:TaxAmount)") {
                Some(v) => leidos.push(v),
                None => ok = false,
            }
        }
        if !ok {
            return (None, !totales.is_empty());
        }
        let suma = self.suma(&leidos, a.ruta_hijo(padre, &Ns::Cac, "TaxTotal"), "cbc:TaxAmount");
        (suma, !totales.is_empty())
    }

    pub(crate) fn nit_de(&mut self, parte: &str, quien: &str) -> Option<String> {
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
    // retenciones, is a different element and is not added: the buyer withholds them from
    // what it pays, they do not change what the invoice is worth).
    let (impuestos, _) = c.impuestos_de(0);

    // A document in another currency is carried in pesos at the rate it declares itself
    // (Anexo técnico 1.9, group cac:PaymentExchangeRate, required when the currency is not COP).
    let tasa_cambio = match moneda.as_deref() {
        Some("COP") | None => None,
        Some(m) => {
            let pasos = [(Ns::Cac, "PaymentExchangeRate"), (Ns::Cbc, "CalculationRate")];
            match a.camino(0, &pasos) {
                Some(i) if !a.texto(i).is_empty() => match c.monto_en(i, "cbc:CalculationRate") {
                    Some(t) if t > Decimal::ZERO => Some(t),
                    Some(_) => {
                        c.error(
                            a.ruta(i),
                            "cbc:CalculationRate",
                            "la tasa de cambio debe ser mayor que cero".to_string(),
                        );
                        None
                    }
                    None => None,
                },
                _ => {
                    c.error(
                        format!("{}/{}/cac:PaymentExchangeRate/cbc:CalculationRate", a.base, e.raiz),
                        "cbc:CalculationRate",
                        format!(
                            "{} está en {m} y no trae la tasa de cambio a pesos \
                             (cac:PaymentExchangeRate/cbc:CalculationRate); Trazo lleva la cartera en pesos",
                            tipo.nombre()
                        ),
                    );
                    None
                }
            }
        }
    };

    // Monetary total, as DIAN's Anexo técnico 1.9 (Res. 000165 de 2023) profiles UBL 2.1:
    //   LineExtensionAmount = Σ line LineExtensionAmount (each already net of its own
    //                         discounts and charges)
    //   TaxInclusiveAmount  = LineExtensionAmount + Σ TaxTotal/TaxAmount
    //   PayableAmount       = TaxInclusiveAmount − AllowanceTotalAmount + ChargeTotalAmount
    //                         − PrepaidAmount + PayableRoundingAmount
    // TaxExclusiveAmount is, for DIAN, the taxable base (Σ TaxableAmount), which can count a
    // base twice when two taxes apply to it; it does not enter what is owed and is not checked.
    let total = e.totales.iter().find_map(|t| a.hijo(0, &Ns::Cac, t));
    let mut totales = None;
    match total {
        None => {
            c.error(
                a.ruta_hijo(0, &Ns::Cac, e.totales[0]),
                &nombre(&Ns::Cac, e.totales[0]),
                format!("faltan los totales del documento (cac:{})", e.totales[0]),
            );
        }
        Some(t) => {
            let bruto = c.monto_requerido(
                t,
                "LineExtensionAmount",
                "falta el valor bruto (cbc:LineExtensionAmount)",
            );
            let con_impuestos = match a.hijo(t, &Ns::Cbc, "TaxInclusiveAmount") {
                Some(i) if !a.texto(i).is_empty() => c.monto_en(i, "cbc:TaxInclusiveAmount").map(Some),
                _ => Some(None),
            };
            let descuentos = c.monto_opcional(t, "AllowanceTotalAmount", false);
            let cargos = c.monto_opcional(t, "ChargeTotalAmount", false);
            let anticipos = c.monto_opcional(t, "PrepaidAmount", false);
            let redondeo = c.monto_opcional(t, "PayableRoundingAmount", true);
            let pagar = c.monto_requerido(t, "PayableAmount", "falta el valor a pagar (cbc:PayableAmount)");
            if let (
                Some(bruto),
                Some(con_impuestos),
                Some(impuestos),
                Some(descuentos),
                Some(cargos),
                Some(anticipos),
                Some(redondeo),
                Some(pagar),
            ) = (
                bruto,
                con_impuestos,
                impuestos,
                descuentos,
                cargos,
                anticipos,
                redondeo,
                pagar,
            ) {
                let ruta = |local: &str| {
                    a.hijo(t, &Ns::Cbc, local)
                        .map(|i| a.ruta(i))
                        .unwrap_or_else(|| a.ruta_hijo(t, &Ns::Cbc, local))
                };
                let esperado_con = bruto.checked_add(impuestos);
                let con_impuestos = match (con_impuestos, esperado_con) {
                    (Some(dice), Some(esperado)) if dice != esperado => {
                        c.error(
                            ruta("TaxInclusiveAmount"),
                            "cbc:TaxInclusiveAmount",
                            format!(
                                "cbc:TaxInclusiveAmount dice {dice}, pero el valor bruto (cbc:LineExtensionAmount {bruto}) \
                                 más los impuestos (cac:TaxTotal {impuestos}) da {esperado}"
                            ),
                        );
                        None
                    }
                    (Some(dice), _) => Some(dice),
                    (None, esperado) => esperado,
                };
                let esperado_pagar = con_impuestos.and_then(|ci| {
                    ci.checked_sub(descuentos)?
                        .checked_add(cargos)?
                        .checked_sub(anticipos)?
                        .checked_add(redondeo)
                });
                match (con_impuestos, esperado_pagar) {
                    (Some(ci), Some(esperado)) if esperado != pagar => c.error(
                        ruta("PayableAmount"),
                        "cbc:PayableAmount",
                        format!(
                            "cbc:PayableAmount dice {pagar}, pero cbc:TaxInclusiveAmount ({ci}) − cbc:AllowanceTotalAmount \
                             ({descuentos}) + cbc:ChargeTotalAmount ({cargos}) − cbc:PrepaidAmount ({anticipos}) + \
                             cbc:PayableRoundingAmount ({redondeo}) da {esperado}"
                        ),
                    ),
                    (Some(ci), Some(_)) => {
                        totales = Some((bruto, ci, descuentos, cargos, redondeo, anticipos, pagar, ruta("LineExtensionAmount")));
                    }
                    _ => {}
                }
            }
        }
    }

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
    let mut lineas_con_impuestos = false;
    for l in indices {
        match linea(&mut c, l, &e) {
            Some((linea, con_impuestos)) => {
                lineas_con_impuestos |= con_impuestos;
                lineas.push(linea);
            }
            None => lineas_ok = false,
        }
    }

    // The lines must add up to the monetary total's LineExtensionAmount, to the centavo, and
    // their taxes, when they carry them, to the document's.
    if let (true, Some((bruto, .., ruta))) = (lineas_ok && !lineas.is_empty(), &totales) {
        let valores: Vec<Decimal> = lineas.iter().map(|l| l.valor_total).collect();
        if let Some(suma) = c.suma(&valores, ruta.clone(), "cbc:LineExtensionAmount") {
            if suma.round_dp(2) != bruto.round_dp(2) {
                c.error(
                    ruta.clone(),
                    "cbc:LineExtensionAmount",
                    format!("las líneas suman {suma} y cbc:LineExtensionAmount dice {bruto}"),
                );
            }
        }
    }
    if let (true, true, Some(impuestos)) = (lineas_ok, lineas_con_impuestos, impuestos) {
        let de_lineas: Vec<Decimal> = lineas.iter().map(|l| l.impuestos).collect();
        let ruta = a.ruta_hijo(0, &Ns::Cac, "TaxTotal");
        if let Some(suma) = c.suma(&de_lineas, ruta.clone(), "cbc:TaxAmount") {
            if suma.round_dp(2) != impuestos.round_dp(2) {
                c.error(
                    ruta,
                    "cbc:TaxAmount",
                    format!(
                        "los impuestos de las líneas (cac:{}/cac:TaxTotal) suman {suma} y los del documento \
                         (cac:TaxTotal/cbc:TaxAmount) {impuestos}",
                        e.linea
                    ),
                );
            }
        }
    }

    let salud = salud::campos(a, archivo, &mut c.errores);

    let referencia = |local: &str| match tipo {
        TipoDocumento::Factura => None,
        _ => a
            .camino(
                0,
                &[
                    (Ns::Cac, "BillingReference"),
                    (Ns::Cac, "InvoiceDocumentReference"),
                    (Ns::Cbc, local),
                ],
            )
            .map(|i| a.texto(i).to_string())
            .filter(|t| !t.is_empty()),
    };
    let factura_referenciada = referencia("ID");
    let cufe_referenciado = referencia("UUID").map(|t| t.to_ascii_lowercase());
    let motivo = match tipo {
        TipoDocumento::Factura => None,
        _ => a
            .camino(0, &[(Ns::Cac, "DiscrepancyResponse"), (Ns::Cbc, "Description")])
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
        Some(impuestos),
        Some((valor_bruto, valor_con_impuestos, descuentos, cargos, redondeo, anticipos, valor_a_pagar, _)),
    ) = (
        errores.is_empty(),
        numero,
        cufe,
        fecha_emision,
        nit_emisor,
        nit_adquirente,
        moneda,
        impuestos,
        totales,
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
            valor_con_impuestos,
            descuentos,
            cargos,
            redondeo,
            anticipos,
            valor_a_pagar,
            tasa_cambio,
            lineas,
            salud,
            factura_referenciada,
            cufe_referenciado,
            motivo,
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

/// A line, and whether it carries its own cac:TaxTotal.
fn linea(c: &mut Ctx<'_>, l: usize, e: &Esquema) -> Option<(LineaDian, bool)> {
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
    let (impuestos, con_impuestos) = c.impuestos_de(l);
    Some((
        LineaDian {
            numero: numero?,
            codigo,
            descripcion,
            cantidad: cantidad?,
            valor_unitario: valor_unitario?,
            valor_total: valor_total?,
            impuestos: impuestos?,
        },
        con_impuestos,
    ))
}
