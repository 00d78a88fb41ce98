//! DIAN electronic invoices (factura electrónica de venta, FEV) in UBL 2.1: `Invoice`,
//! `CreditNote`, `DebitNote`, and the `AttachedDocument` container in which they usually
//! travel to the payer.
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
mod salud;
mod ubl;
mod valores;
mod xml;

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
    /// `cbc:LineExtensionAmount`.
    pub valor_total: Decimal,
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
    /// Monetary total `cbc:LineExtensionAmount`.
    pub valor_bruto: Decimal,
    /// Sum of the document-level `cac:TaxTotal/cbc:TaxAmount` (0 when none).
    pub impuestos: Decimal,
    /// Monetary total `cbc:PrepaidAmount` (0 when absent).
    pub anticipos: Decimal,
    /// Monetary total `cbc:PayableAmount`.
    pub valor_a_pagar: Decimal,
    pub lineas: Vec<LineaDian>,
    pub salud: CamposSalud,
    /// Notes: `cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID`.
    pub factura_referenciada: Option<String>,
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
/// or a bare `Invoice` / `CreditNote` / `DebitNote`, with the default [`Limites`].
pub fn parse(bytes: &[u8], archivo: &str) -> Result<DocumentoDian, Vec<ImportError>> {
    parse_con(bytes, archivo, &Limites::default())
}

/// [`parse`] with explicit limits.
pub fn parse_con(bytes: &[u8], archivo: &str, limites: &Limites) -> Result<DocumentoDian, Vec<ImportError>> {
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
        ubl::Raiz::Documento(tipo) => ubl::extraer(&arbol, tipo, archivo),
        ubl::Raiz::Contenedor => {
            let (interno, base) = ubl::documento_adjunto(&arbol, archivo, limites).map_err(|e| vec![e])?;
            let arbol_interno =
                xml::construir(&interno, archivo, limites.max_profundidad, &base).map_err(|e| vec![e])?;
            match ubl::raiz(&arbol_interno, archivo).map_err(|e| vec![e])? {
                ubl::Raiz::Documento(tipo) => ubl::extraer(&arbol_interno, tipo, archivo),
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
