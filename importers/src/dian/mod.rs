//! DIAN electronic invoices (factura electrónica de venta, FEV) in UBL 2.1: `Invoice`,
//! `CreditNote`, `DebitNote`, and the `AttachedDocument` container in which they usually
//! travel to the payer; and the RADIAN events about them (`ApplicationResponse` 030–034,
//! `radian.rs`), read with [`parse_documento`].
//!
//! Sources for the paths read here (the DIAN annex itself was not at hand; what follows was
//! checked against public implementations of it):
//! - DIAN's *Anexo técnico de factura electrónica de venta* v1.9 (adopted by Res. 000165 de
//!   2023) profiles OASIS UBL 2.1 (<http://docs.oasis-open.org/ubl/os-UBL-2.1/>): `cbc:ID`,
//!   `cbc:UUID` (CUFE for invoices, CUDE for notes), `cbc:IssueDate`,
//!   `cac:AccountingSupplierParty` / `cac:AccountingCustomerParty` with `cbc:CompanyID` (the NIT;
//!   its check digit in the `schemeID` attribute), `cac:TaxTotal`, `cac:LegalMonetaryTotal`
//!   (`cac:RequestedMonetaryTotal` in a `DebitNote`, as UBL 2.1 names it), the line elements, and
//!   `cac:BillingReference/cac:InvoiceDocumentReference` in notes — as in the open-source DIAN
//!   templates of `rashArt/apifordian` (`resources/templates/xml/01.blade.php`, `92.blade.php`,
//!   `_billing_reference.blade.php`, `_debit_note_lines.blade.php`).
//! - The `AttachedDocument` (namespace `urn:oasis:names:specification:ubl:schema:xsd:AttachedDocument-2`)
//!   carries the validated document as the text (usually CDATA) of
//!   `cac:Attachment/cac:ExternalReference/cbc:Description`, and DIAN's `ApplicationResponse`
//!   in `cac:ParentDocumentLineReference/cac:DocumentReference/cac:Attachment/...`: only the
//!   root's own `cac:Attachment` is read as the invoice.
//! - Health sector fields: see `salud.rs` (the `Interoperabilidad` extension of MinSalud).
//!
//! Elements are matched by namespace URI, never by prefix. Error XPaths use DIAN's
//! conventional prefixes (`cac`, `cbc`, `ext`, `sts`) whatever the file uses.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::error::{ImportError, Ubicacion};

pub mod generador;
mod radian;
mod salud;
mod ubl;
mod valores;
pub(crate) mod xml;

#[cfg(test)]
mod tests;

/// Which UBL document it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TipoDocumento {
    /// `Invoice`: factura electrónica de venta.
    Factura,
    /// `CreditNote`: nota crédito.
    NotaCredito,
    /// `DebitNote`: nota débito.
    NotaDebito,
}

/// One line (`cac:InvoiceLine`, `cac:CreditNoteLine` or `cac:DebitNoteLine`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineaDian {
    /// `cbc:ID`.
    pub numero: u32,
    /// `cac:Item/cac:StandardItemIdentification/cbc:ID`, else
    /// `cac:Item/cac:SellersItemIdentification/cbc:ID`; empty when neither is present.
    pub codigo: String,
    /// `cac:Item/cbc:Description`; empty when absent.
    pub descripcion: String,
    /// `cbc:InvoicedQuantity` / `cbc:CreditedQuantity` / `cbc:DebitedQuantity`.
    pub cantidad: Decimal,
    /// `cac:Price/cbc:PriceAmount`.
    pub valor_unitario: Decimal,
    /// `cbc:LineExtensionAmount`: the line's value after its own discounts and charges
    /// (`cac:AllowanceCharge` of the line), before taxes.
    pub valor_total: Decimal,
    /// Sum of the line's `cac:TaxTotal/cbc:TaxAmount` (IVA, INC... on this line; 0 when none).
    pub impuestos: Decimal,
}

/// The health sector's additional fields (`AdditionalInformation` Name/Value pairs under
/// `ext:UBLExtensions`). Coded fields (`MODALIDAD_PAGO`, `COBERTURA_PLAN_BENEFICIOS`) hold the
/// code of the `schemeID` attribute when there is one (e.g. `"04"`), else the text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CamposSalud {
    pub codigo_prestador: Option<String>,
    pub modalidad_pago: Option<String>,
    pub cobertura_plan_beneficios: Option<String>,
    pub numero_contrato: Option<String>,
    pub numero_poliza: Option<String>,
    pub copago: Option<Decimal>,
    pub cuota_moderadora: Option<Decimal>,
    pub cuota_recuperacion: Option<Decimal>,
    pub pagos_compartidos: Option<Decimal>,
}

/// An invoice or note as Trazo needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentoDian {
    pub tipo: TipoDocumento,
    /// `cbc:ID` (prefix + consecutive, e.g. `FEV1234`).
    pub numero: String,
    /// `cbc:UUID`: CUFE for invoices, CUDE for notes; lowercase.
    pub cufe: String,
    /// `cbc:IssueDate`.
    pub fecha_emision: NaiveDate,
    /// NIT of the issuer (the prestador): digits only, without check digit.
    pub nit_emisor: String,
    /// NIT of the buyer (the payer): digits only, without check digit.
    pub nit_adquirente: String,
    /// `cbc:DocumentCurrencyCode` (`"COP"` when absent).
    pub moneda: String,
    /// Monetary total `cbc:LineExtensionAmount`: the lines, before taxes.
    pub valor_bruto: Decimal,
    /// Sum of the document-level `cac:TaxTotal/cbc:TaxAmount` (0 when none).
    pub impuestos: Decimal,
    /// Monetary total `cbc:TaxInclusiveAmount`: the lines plus taxes.
    pub valor_con_impuestos: Decimal,
    /// Monetary total `cbc:AllowanceTotalAmount`: discounts of the whole document (0 when absent).
    pub descuentos: Decimal,
    /// Monetary total `cbc:ChargeTotalAmount`: charges of the whole document (0 when absent).
    pub cargos: Decimal,
    /// Monetary total `cbc:PayableRoundingAmount` (0 when absent; it may be negative).
    pub redondeo: Decimal,
    /// Monetary total `cbc:PrepaidAmount` (0 when absent): everything already paid before the
    /// invoice, which in a health invoice includes the copagos and cuotas moderadoras.
    pub anticipos: Decimal,
    /// Monetary total `cbc:PayableAmount`.
    pub valor_a_pagar: Decimal,
    /// `cac:PaymentExchangeRate/cbc:CalculationRate`: pesos per unit of `moneda`, when the
    /// document is not in COP.
    pub tasa_cambio: Option<Decimal>,
    pub lineas: Vec<LineaDian>,
    pub salud: CamposSalud,
    /// Notes: `cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID`.
    pub factura_referenciada: Option<String>,
    /// Notes: `cac:BillingReference/cac:InvoiceDocumentReference/cbc:UUID` (the CUFE of the
    /// invoice the note corrects), lowercase.
    pub cufe_referenciado: Option<String>,
    /// Notes: `cac:DiscrepancyResponse/cbc:Description`, why the note was issued.
    pub motivo: Option<String>,
}

impl DocumentoDian {
    /// The value of the invoice (or note): what the buyer is charged before anything paid in
    /// advance is discounted, i.e. `PayableAmount + PrepaidAmount`, which by the checked identity
    /// is `TaxInclusiveAmount − AllowanceTotalAmount + ChargeTotalAmount + PayableRoundingAmount`.
    pub fn valor_total(&self) -> Decimal {
        self.valor_a_pagar + self.anticipos
    }

    /// How the document names itself in messages: "la factura", "la nota crédito"...
    pub fn nombre(&self) -> &'static str {
        self.tipo.nombre()
    }
}

impl TipoDocumento {
    /// "la factura", "la nota crédito", "la nota débito".
    pub fn nombre(self) -> &'static str {
        match self {
            TipoDocumento::Factura => "la factura",
            TipoDocumento::NotaCredito => "la nota crédito",
            TipoDocumento::NotaDebito => "la nota débito",
        }
    }

    /// The root element, as XPaths in messages start: `Invoice`, `CreditNote`, `DebitNote`.
    pub fn raiz(self) -> &'static str {
        match self {
            TipoDocumento::Factura => "Invoice",
            TipoDocumento::NotaCredito => "CreditNote",
            TipoDocumento::NotaDebito => "DebitNote",
        }
    }

    /// The monetary total element: `LegalMonetaryTotal`, or `RequestedMonetaryTotal` in a
    /// `DebitNote` (UBL 2.1).
    pub fn totales(self) -> &'static str {
        match self {
            TipoDocumento::NotaDebito => "RequestedMonetaryTotal",
            _ => "LegalMonetaryTotal",
        }
    }
}

/// A RADIAN event (Decreto 1154 de 2020; Res. DIAN 000085 de 2022, anexo técnico de RADIAN,
/// tabla 13.3.1 "Eventos de un documento electrónico"): what the buyer (or, for the tacit
/// acceptance, the issuer) told DIAN about an invoice, as an `ApplicationResponse`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TipoEvento {
    /// 030: acuse de recibo de la FEV: the buyer received the invoice.
    AcuseRecibo,
    /// 031: reclamo de la FEV: the buyer disputes it (Código de Comercio art. 773, num. 3).
    Reclamo,
    /// 032: recibo del bien o prestación del servicio.
    ReciboBien,
    /// 033: aceptación expresa (Código de Comercio art. 773).
    AceptacionExpresa,
    /// 034: aceptación tácita: no claim within 3 días hábiles of receipt (Código de Comercio
    /// art. 773 num. 3, mod. Ley 1231 de 2008 art. 2; Decreto 1154 de 2020).
    AceptacionTacita,
}

impl TipoEvento {
    /// The event for a `cbc:ResponseCode`, if it is one of 030–034.
    pub fn de_codigo(codigo: &str) -> Option<TipoEvento> {
        Some(match codigo {
            "030" => TipoEvento::AcuseRecibo,
            "031" => TipoEvento::Reclamo,
            "032" => TipoEvento::ReciboBien,
            "033" => TipoEvento::AceptacionExpresa,
            "034" => TipoEvento::AceptacionTacita,
            _ => return None,
        })
    }

    pub fn codigo(self) -> &'static str {
        match self {
            TipoEvento::AcuseRecibo => "030",
            TipoEvento::Reclamo => "031",
            TipoEvento::ReciboBien => "032",
            TipoEvento::AceptacionExpresa => "033",
            TipoEvento::AceptacionTacita => "034",
        }
    }
}

/// A RADIAN event read from an `ApplicationResponse`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventoDian {
    pub tipo: TipoEvento,
    /// `cbc:ID` of the ApplicationResponse.
    pub numero: String,
    /// `cbc:UUID`: the CUDE of the event, lowercase.
    pub cude: String,
    /// `cbc:IssueDate`: when the event was issued (for 030 and 032, the day the payer
    /// received the invoice or the service).
    pub fecha: NaiveDate,
    /// `cac:DocumentResponse/cac:DocumentReference/cbc:UUID`: the CUFE of the invoice, lowercase.
    pub cufe: String,
    /// `cac:DocumentResponse/cac:DocumentReference/cbc:ID`: the invoice's number, as written.
    pub factura: Option<String>,
    /// 031: the `listID` of `cbc:ResponseCode` (concepto de reclamo, tabla 13.3.12).
    pub concepto: Option<String>,
    /// `cbc:ResponseCode/@name`, else `cac:Response/cbc:Description`.
    pub descripcion: Option<String>,
    /// `cbc:Note`s, joined (the claim's text, the sworn statement of a tacit acceptance...).
    pub nota: Option<String>,
    /// NIT of `cac:SenderParty` (digits only), when there is one.
    pub nit_emisor: Option<String>,
    /// `cac:IssuerParty/cac:Person`: who received, for 030 and 032 ("nombre, cargo").
    pub persona: Option<String>,
}

/// What a DIAN XML holds: an invoice or note, or a RADIAN event.
// Almost every file of a run is an invoice: boxing it to shrink the rare event would cost an
// allocation per invoice.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Documento {
    Comercial(DocumentoDian),
    Evento(EventoDian),
}

/// Limits that protect the importer from oversized or hostile files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limites {
    /// Largest file accepted, checked before parsing (and again for an embedded document).
    pub max_bytes: usize,
    /// Deepest element nesting accepted (the root is level 1).
    pub max_profundidad: usize,
}

impl Default for Limites {
    fn default() -> Limites {
        Limites {
            max_bytes: 20 * 1024 * 1024,
            max_profundidad: 64,
        }
    }
}

/// Parses an `AttachedDocument` (the invoice is the CDATA text of
/// `cac:Attachment/cac:ExternalReference/cbc:Description`, itself parsed with the same limits)
/// or a bare `Invoice` / `CreditNote` / `DebitNote`, with the default [`Limites`]. A RADIAN
/// event is refused here: read it with [`parse_documento`].
pub fn parse(bytes: &[u8], archivo: &str) -> Result<DocumentoDian, Vec<ImportError>> {
    parse_con(bytes, archivo, &Limites::default())
}

/// [`parse`] with explicit limits.
pub fn parse_con(bytes: &[u8], archivo: &str, limites: &Limites) -> Result<DocumentoDian, Vec<ImportError>> {
    match parse_documento_con(bytes, archivo, limites)? {
        Documento::Comercial(d) => Ok(d),
        Documento::Evento(e) => Err(vec![ImportError::new(
            archivo,
            Ubicacion::XPath("/ApplicationResponse".into()),
            None,
            format!(
                "el archivo es el evento RADIAN {} ({}), no una factura ni una nota",
                e.tipo.codigo(),
                e.numero
            ),
        )]),
    }
}

/// Like [`parse`], and also reads RADIAN events (`ApplicationResponse` 030–034), bare or in
/// an `AttachedDocument`.
pub fn parse_documento(bytes: &[u8], archivo: &str) -> Result<Documento, Vec<ImportError>> {
    parse_documento_con(bytes, archivo, &Limites::default())
}

/// [`parse_documento`] with explicit limits.
pub fn parse_documento_con(bytes: &[u8], archivo: &str, limites: &Limites) -> Result<Documento, Vec<ImportError>> {
    if bytes.len() > limites.max_bytes {
        return Err(vec![ImportError::new(
            archivo,
            Ubicacion::Archivo,
            None,
            format!(
                "el archivo pesa {} bytes y el máximo aceptado es {} bytes",
                bytes.len(),
                limites.max_bytes
            ),
        )]);
    }
    let texto = xml::decodificar(bytes, archivo).map_err(|e| vec![e])?;
    let arbol = xml::construir(&texto, archivo, limites.max_profundidad, "").map_err(|e| vec![e])?;
    match ubl::raiz(&arbol, archivo).map_err(|e| vec![e])? {
        ubl::Raiz::Documento(tipo) => ubl::extraer(&arbol, tipo, archivo).map(Documento::Comercial),
        ubl::Raiz::Evento => radian::extraer(&arbol, archivo).map(Documento::Evento),
        ubl::Raiz::Contenedor => {
            let (interno, base) = ubl::documento_adjunto(&arbol, archivo, limites).map_err(|e| vec![e])?;
            let arbol_interno =
                xml::construir(&interno, archivo, limites.max_profundidad, &base).map_err(|e| vec![e])?;
            match ubl::raiz(&arbol_interno, archivo).map_err(|e| vec![e])? {
                ubl::Raiz::Documento(tipo) => ubl::extraer(&arbol_interno, tipo, archivo).map(Documento::Comercial),
                ubl::Raiz::Evento => radian::extraer(&arbol_interno, archivo).map(Documento::Evento),
                ubl::Raiz::Contenedor => Err(vec![ImportError::new(
                    archivo,
                    Ubicacion::XPath(base),
                    Some("cbc:Description"),
                    "el AttachedDocument trae dentro otro AttachedDocument; se espera una factura (Invoice) o una \
                     nota (CreditNote, DebitNote)",
                )]),
            }
        }
    }
}
