//! Soportes: the files attached to an invoice, to the answer to a glosa or a devolución, to an
//! acuerdo de pago or to an acta.
//!
//! The soportes de cobro an invoice travels with, and how each is named and formatted, are those
//! of Res. 2284/2023 Anexo Técnico No. 2 ("Envío y recepción de los soportes de cobro"), whose
//! table numbers them after Anexo Técnico No. 1: 1 the factura electrónica (XML, numeral 2.1),
//! 2.1–13 and 15 documents in PDF (numeral 2.3), 14 the RIPS (JSON, numeral 2.2). Anything else
//! a user keeps as evidence (a letter answering a glosa, a scanned acta) is `OTRO`.
//!
//! The kind of content is read from the bytes (their magic numbers), never from the file's
//! name or the Content-Type the client sent: a `.pdf` that is an executable is refused.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::text_enum;

text_enum! {
    /// The record a soporte is attached to.
    ObjetoSoporte {
        Factura => "factura",
        /// The answer to a glosa (Res. 2284/2023 art. 12: the prestador answers with its soportes).
        Glosa => "glosa",
        /// The answer to a devolución.
        Devolucion => "devolucion",
        /// An acuerdo de pago with the payer.
        Acuerdo => "acuerdo",
        /// An acta de conciliación de cartera.
        Acta => "acta",
    }
}

impl ObjetoSoporte {
    /// The record, as a sentence names it ("la glosa").
    pub fn nombre(self) -> &'static str {
        match self {
            Self::Factura => "la factura",
            Self::Glosa => "la glosa",
            Self::Devolucion => "la devolución",
            Self::Acuerdo => "el acuerdo de pago",
            Self::Acta => "el acta de conciliación",
        }
    }
}

/// The kinds of soporte: the abbreviations of Res. 2284/2023 Anexo Técnico No. 2, numeral 1
/// (table "Aspectos técnicos"), with their number in Anexo Técnico No. 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TipoSoporte {
    /// 1. Factura de venta en salud: the DIAN XML (Anexo 2 num. 2.1; Res. 510/2022).
    Fev,
    /// 2.1 Resumen de atención u hoja de evolución.
    Hev,
    /// 2.2 Epicrisis.
    Epi,
    /// 3. Resultado de los procedimientos de apoyo diagnóstico.
    Pdx,
    /// 4. Descripción quirúrgica.
    Dqx,
    /// 5. Registro de anestesia.
    Ran,
    /// 6. Comprobante de recibido del usuario.
    Crc,
    /// 7.1 Traslado asistencial de pacientes.
    Tap,
    /// 7.2 Transporte no asistencial ambulatorio de la persona.
    Tna,
    /// 8.1 Factura de venta por el cobro a la aseguradora SOAT, la ADRES o quien haga sus veces.
    Fat,
    /// 8.2 Factura de venta del material de osteosíntesis expedida por el proveedor.
    Fmo,
    /// 9. Orden o prescripción facultativa.
    Opf,
    /// 10. Lista de precios.
    Ldp,
    /// 11. Hoja de atención de urgencia.
    Hau,
    /// 12. Hoja de atención odontológica.
    Hao,
    /// 13. Hoja de administración de medicamentos.
    Ham,
    /// 14. RIPS: its JSON (Anexo 2 num. 2.2; Res. 2275/2023).
    Rips,
    /// 15. Evidencia del envío del trámite respectivo.
    Pde,
    /// Not a soporte de cobro of Anexo 1: evidence of a glosa's answer, a letter, a scan.
    Otro,
}

impl TipoSoporte {
    pub const ALL: &'static [TipoSoporte] = &[
        Self::Fev,
        Self::Hev,
        Self::Epi,
        Self::Pdx,
        Self::Dqx,
        Self::Ran,
        Self::Crc,
        Self::Tap,
        Self::Tna,
        Self::Fat,
        Self::Fmo,
        Self::Opf,
        Self::Ldp,
        Self::Hau,
        Self::Hao,
        Self::Ham,
        Self::Rips,
        Self::Pde,
        Self::Otro,
    ];

    /// The abbreviation, as Anexo 2 writes it and the file name begins.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Fev => "FEV",
            Self::Hev => "HEV",
            Self::Epi => "EPI",
            Self::Pdx => "PDX",
            Self::Dqx => "DQX",
            Self::Ran => "RAN",
            Self::Crc => "CRC",
            Self::Tap => "TAP",
            Self::Tna => "TNA",
            Self::Fat => "FAT",
            Self::Fmo => "FMO",
            Self::Opf => "OPF",
            Self::Ldp => "LDP",
            Self::Hau => "HAU",
            Self::Hao => "HAO",
            Self::Ham => "HAM",
            Self::Rips => "RIPS",
            Self::Pde => "PDE",
            Self::Otro => "OTRO",
        }
    }

    /// The soporte's name in Anexo 2.
    pub fn nombre(self) -> &'static str {
        match self {
            Self::Fev => "Factura electrónica de venta (XML)",
            Self::Hev => "Resumen de atención u hoja de evolución",
            Self::Epi => "Epicrisis",
            Self::Pdx => "Resultado de los procedimientos de apoyo diagnóstico",
            Self::Dqx => "Descripción quirúrgica",
            Self::Ran => "Registro de anestesia",
            Self::Crc => "Comprobante de recibido del usuario",
            Self::Tap => "Traslado asistencial de pacientes",
            Self::Tna => "Transporte no asistencial ambulatorio de la persona",
            Self::Fat => "Factura de venta a la aseguradora SOAT o la ADRES",
            Self::Fmo => "Factura del material de osteosíntesis",
            Self::Opf => "Orden o prescripción facultativa",
            Self::Ldp => "Lista de precios",
            Self::Hau => "Hoja de atención de urgencia",
            Self::Hao => "Hoja de atención odontológica",
            Self::Ham => "Hoja de administración de medicamentos",
            Self::Rips => "RIPS (JSON)",
            Self::Pde => "Evidencia del envío del trámite",
            Self::Otro => "Otro documento",
        }
    }

    /// Its number in the table of Anexo 2 (that of Anexo 1); none for `OTRO`.
    pub fn numeral(self) -> Option<&'static str> {
        Some(match self {
            Self::Fev => "1",
            Self::Hev => "2.1",
            Self::Epi => "2.2",
            Self::Pdx => "3",
            Self::Dqx => "4",
            Self::Ran => "5",
            Self::Crc => "6",
            Self::Tap => "7.1",
            Self::Tna => "7.2",
            Self::Fat => "8.1",
            Self::Fmo => "8.2",
            Self::Opf => "9",
            Self::Ldp => "10",
            Self::Hau => "11",
            Self::Hao => "12",
            Self::Ham => "13",
            Self::Rips => "14",
            Self::Pde => "15",
            Self::Otro => return None,
        })
    }

    /// The contents a soporte of this type may have: the invoice is its DIAN XML (Anexo 2 num.
    /// 2.1), the RIPS its JSON (num. 2.2), the soportes 2 to 13 PDF (num. 2.3 and 3.1.3; the table
    /// names number 15 `.pdf` too); anything else a user keeps may be any content Trazo stores.
    pub fn admitidos(self) -> &'static [Contenido] {
        match self {
            Self::Fev => &[Contenido::Xml],
            Self::Rips => &[Contenido::Json],
            Self::Otro => Contenido::ALL,
            _ => &[Contenido::Pdf],
        }
    }

    /// Why the rule is what it is, for the message that refuses a file.
    fn norma(self) -> &'static str {
        match self {
            Self::Fev => "Res. 2284/2023, Anexo 2 num. 2.1",
            Self::Rips => "Res. 2284/2023, Anexo 2 num. 2.2",
            Self::Otro => "lo que Trazo guarda",
            _ => "Res. 2284/2023, Anexo 2 num. 2.3",
        }
    }
}

impl fmt::Display for TipoSoporte {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for TipoSoporte {
    type Err = super::UnknownValue;

    /// The abbreviation, in any case (`hev` is `HEV`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        Self::ALL
            .iter()
            .copied()
            .find(|t| t.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| super::UnknownValue {
                value: s.to_string(),
                allowed: &[
                    "FEV", "HEV", "EPI", "PDX", "DQX", "RAN", "CRC", "TAP", "TNA", "FAT", "FMO", "OPF", "LDP", "HAU",
                    "HAO", "HAM", "RIPS", "PDE", "OTRO",
                ],
            })
    }
}

impl Serialize for TipoSoporte {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for TipoSoporte {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// In the OpenAPI document: a string of the abbreviations, as a pattern rather than an `enum`
/// (the API's enums are snake_case; these are written as the law and the file names write them).
impl utoipa::PartialSchema for TipoSoporte {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        let todos: Vec<&str> = Self::ALL.iter().map(|t| t.as_str()).collect();
        ObjectBuilder::new()
            .schema_type(Type::String)
            .pattern(Some(format!("^({})$", todos.join("|"))))
            .description(Some(format!(
                "Abreviatura del soporte (Res. 2284/2023, Anexo 2): {}. FEV es el XML de la factura, RIPS su \
                 JSON, OTRO cualquier otro documento",
                todos.join(", ")
            )))
            .into()
    }
}

impl utoipa::ToSchema for TipoSoporte {}

/// What a file holds, as its bytes say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Contenido {
    Pdf,
    Png,
    Jpeg,
    Tiff,
    Xml,
    Json,
}

impl Contenido {
    pub const ALL: &'static [Contenido] = &[Self::Pdf, Self::Png, Self::Jpeg, Self::Tiff, Self::Xml, Self::Json];

    /// The media type it is served with.
    pub fn media_type(self) -> &'static str {
        match self {
            Self::Pdf => "application/pdf",
            Self::Png => "image/png",
            Self::Jpeg => "image/jpeg",
            Self::Tiff => "image/tiff",
            Self::Xml => "application/xml",
            Self::Json => "application/json",
        }
    }

    /// The extension of a file of this content (Anexo 2 names PDF files `.pdf`).
    pub fn extension(self) -> &'static str {
        match self {
            Self::Pdf => "pdf",
            Self::Png => "png",
            Self::Jpeg => "jpg",
            Self::Tiff => "tif",
            Self::Xml => "xml",
            Self::Json => "json",
        }
    }

    /// The content of a stored media type.
    pub fn de_media_type(m: &str) -> Option<Contenido> {
        Self::ALL.iter().copied().find(|c| c.media_type() == m)
    }

    fn nombre(self) -> &'static str {
        match self {
            Self::Pdf => "PDF",
            Self::Png => "imagen PNG",
            Self::Jpeg => "imagen JPEG",
            Self::Tiff => "imagen TIFF",
            Self::Xml => "XML",
            Self::Json => "JSON",
        }
    }
}

/// What the bytes are, by their magic numbers: PDF (`%PDF-`, ISO 32000-1 §7.5.2), PNG (its
/// 8-byte signature, RFC 2083 §3.1), JPEG (SOI marker `FF D8 FF`), TIFF (`II*\0` or `MM\0*`),
/// XML (a declaration or a start tag first, after an optional byte-order mark and blanks) and
/// JSON (an object or array that parses whole). None for anything else: an executable, a zip, a
/// Word document, an empty file.
///
/// Six signatures do not need a crate: a general detector would recognise hundreds of formats
/// only for Trazo to refuse them.
pub fn detectar(bytes: &[u8]) -> Option<Contenido> {
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n";
    if bytes.starts_with(b"%PDF-") {
        return Some(Contenido::Pdf);
    }
    if bytes.starts_with(PNG) {
        return Some(Contenido::Png);
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some(Contenido::Jpeg);
    }
    if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
        return Some(Contenido::Tiff);
    }
    let texto = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let inicio = texto.iter().position(|c| !c.is_ascii_whitespace())?;
    let texto = &texto[inicio..];
    match texto.first() {
        Some(b'{' | b'[') => serde_json::from_slice::<serde::de::IgnoredAny>(texto)
            .ok()
            .map(|_| Contenido::Json),
        Some(b'<') => {
            let segundo = texto.get(1).copied().unwrap_or(b' ');
            // A declaration, or an element's name (a letter, `_`, `:` or a non-ASCII letter).
            let xml = texto.starts_with(b"<?xml")
                || segundo.is_ascii_alphabetic()
                || segundo == b'_'
                || segundo == b':'
                || segundo >= 0x80;
            xml.then_some(Contenido::Xml)
        }
        _ => None,
    }
}

/// The content of `bytes`, a file called `nombre` given as a soporte of type `tipo`, or why it
/// is refused: what the message says names the file, what it holds and what was expected.
pub fn revisar_contenido(nombre: &str, tipo: TipoSoporte, bytes: &[u8]) -> Result<Contenido, String> {
    let esperado = {
        let nombres: Vec<&str> = tipo.admitidos().iter().map(|c| c.nombre()).collect();
        match nombres.split_last() {
            Some((ultimo, [])) => ultimo.to_string(),
            Some((ultimo, resto)) => format!("{} o {ultimo}", resto.join(", ")),
            None => String::new(),
        }
    };
    if bytes.is_empty() {
        return Err(format!("«{nombre}» está vacío; se espera un {esperado}"));
    }
    match detectar(bytes) {
        Some(c) if tipo.admitidos().contains(&c) => Ok(c),
        Some(c) => Err(format!(
            "«{nombre}» es un {}; un soporte {} ({}) debe ser {esperado} ({})",
            c.nombre(),
            tipo.as_str(),
            tipo.nombre(),
            tipo.norma()
        )),
        None => Err(format!(
            "«{nombre}» no es un archivo que Trazo guarde: se espera un {esperado} (el tipo se lee del contenido, \
             no del nombre)"
        )),
    }
}

/// Identification document types of a person (Res. 2275/2023, RIPS, table TipoIdPISIS — verify
/// against the table in force): cédula de ciudadanía, de extranjería, carné diplomático,
/// pasaporte, salvoconducto, permiso especial de permanencia, registro civil, tarjeta de
/// identidad, certificado de nacido vivo, adulto y menor sin identificar, documento extranjero,
/// permiso por protección temporal, sin identificación.
pub const TIPOS_DOCUMENTO: &[&str] = &[
    "CC", "CE", "CD", "PA", "SC", "PE", "RC", "TI", "CN", "AS", "MS", "DE", "PT", "SI",
];

/// The person of a multi-user invoice a soporte is about (Res. 2284/2023 Anexo 2 num. 3.4: "guion
/// bajo seguido del tipo y número del documento de identificación de la persona"), written as
/// the file name will carry it: `CC1234567`. Spaces, dots and a dash between type and number are
/// dropped and letters made upper case; empty is none.
pub fn documento_usuario(texto: &str) -> Result<String, String> {
    let compacto: String = texto
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '.')
        .collect::<String>()
        .to_ascii_uppercase();
    if compacto.is_empty() {
        return Ok(String::new());
    }
    let tipo = TIPOS_DOCUMENTO.iter().find(|t| compacto.starts_with(**t));
    let Some(tipo) = tipo else {
        return Err(format!(
            "'{}' no empieza por un tipo de documento; se espera uno de {} seguido del número (CC1234567)",
            texto.trim(),
            TIPOS_DOCUMENTO.join(", ")
        ));
    };
    let numero = compacto[tipo.len()..].trim_start_matches('-');
    // RIPS allows up to 20 characters; passports and foreign documents carry letters.
    if numero.is_empty() || numero.len() > 20 || !numero.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(format!(
            "'{}': después de {tipo} se espera el número del documento (letras y dígitos, hasta 20)",
            texto.trim()
        ));
    }
    Ok(format!("{tipo}{numero}"))
}

/// The name a soporte carries in the radicación package (Res. 2284/2023 Anexo 2, table of
/// numeral 1 and numeral 3.4): `TIPO_NIT_NUMEROFACTURA.ext`, e.g. `HEV_999999999_A999999999.pdf`,
/// where NIT is the prestador's without its check digit and the invoice number carries its
/// prefix; for a multi-user invoice the person's document follows,
/// `EPI_999999999_A999999999_CC123.pdf`.
///
/// - `nit_prestador`: as stored, or written with dots and `-DV`: only the digits before the
///   dash are kept.
/// - `numero_factura`: prefix and consecutive; a character that cannot be part of a file name
///   in a zip without folders (`/`, `\`, a space...) becomes `-` (DIAN numbers are letters and
///   digits, so this only guards against bad data).
/// - `documento_usuario`: as [`documento_usuario`] gives it, empty for none.
/// - `extension`: the content's ([`Contenido::extension`]), `pdf` for the soportes of numeral 2.3.
///
/// Numerals 1 (FEV) and 14 (RIPS) leave their names to DIAN and the Ministry; this function
/// names them the same way (`FEV_..._A1.xml`, `RIPS_..._A1.json`) for a package that wants one
/// rule for every file.
pub fn nombre_anexo2(
    tipo: TipoSoporte,
    nit_prestador: &str,
    numero_factura: &str,
    documento_usuario: &str,
    extension: &str,
) -> String {
    let nit: String = nit_prestador
        .split('-')
        .next()
        .unwrap_or_default()
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    let limpio = |s: &str| -> String {
        s.trim()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '-' })
            .collect()
    };
    let mut nombre = format!("{}_{nit}_{}", tipo.as_str(), limpio(numero_factura));
    if !documento_usuario.trim().is_empty() {
        nombre.push('_');
        nombre.push_str(&limpio(documento_usuario));
    }
    nombre.push('.');
    nombre.push_str(extension);
    nombre
}

/// A file's name as a user gave it, made safe to keep and to send back in a
/// `Content-Disposition`: no folders (the part after the last `/` or `\`), no control
/// characters or quotes, at most 200 characters; `archivo` when nothing is left.
pub fn nombre_original(nombre: &str) -> String {
    let base = nombre.rsplit(['/', '\\']).next().unwrap_or_default();
    let limpio: String = base
        .chars()
        .filter(|c| !c.is_control() && *c != '"')
        .take(200)
        .collect();
    let limpio = limpio.trim();
    if limpio.is_empty() {
        "archivo".into()
    } else {
        limpio.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

    #[test]
    fn every_type_reads_back_from_its_abbreviation_in_any_case() {
        for t in TipoSoporte::ALL {
            assert_eq!(t.as_str().parse::<TipoSoporte>(), Ok(*t));
            assert_eq!(t.as_str().to_lowercase().parse::<TipoSoporte>(), Ok(*t));
            assert!(!t.nombre().is_empty());
        }
        let e = "XYZ".parse::<TipoSoporte>().unwrap_err().to_string();
        assert!(e.contains("'XYZ'") && e.contains("HEV") && e.contains("OTRO"), "{e}");
        assert_eq!(TipoSoporte::ALL.len(), 19);
        assert_eq!(TipoSoporte::Hev.numeral(), Some("2.1"));
        assert_eq!(TipoSoporte::Rips.numeral(), Some("14"));
        assert_eq!(TipoSoporte::Otro.numeral(), None);
        assert_eq!(serde_json::to_string(&TipoSoporte::Epi).unwrap(), "\"EPI\"");
        assert_eq!(
            serde_json::from_str::<TipoSoporte>("\"pde\"").unwrap(),
            TipoSoporte::Pde
        );
    }

    #[test]
    fn content_is_read_from_the_bytes() {
        assert_eq!(detectar(PDF), Some(Contenido::Pdf));
        assert_eq!(detectar(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Some(Contenido::Png));
        assert_eq!(detectar(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]), Some(Contenido::Jpeg));
        assert_eq!(detectar(b"II*\0\x08\0\0\0"), Some(Contenido::Tiff));
        assert_eq!(detectar(b"MM\0*\0\0\0\x08"), Some(Contenido::Tiff));
        assert_eq!(
            detectar(b"\xEF\xBB\xBF<?xml version=\"1.0\"?><Invoice/>"),
            Some(Contenido::Xml)
        );
        assert_eq!(detectar(b"  \n<AttachedDocument xmlns=\"x\"/>"), Some(Contenido::Xml));
        assert_eq!(
            detectar(b"{\"numFactura\": \"A1\", \"usuarios\": []}"),
            Some(Contenido::Json)
        );
        assert_eq!(detectar(b"\n[1, 2]"), Some(Contenido::Json));
    }

    #[test]
    fn what_trazo_does_not_keep_is_not_recognised() {
        // An executable, a zip (and so a .docx or .xlsx), an old Word file, text, nothing.
        assert_eq!(detectar(b"MZ\x90\0\x03\0\0\0"), None);
        assert_eq!(detectar(b"\x7fELF\x02\x01\x01"), None);
        assert_eq!(detectar(b"PK\x03\x04\x14\0\0\0"), None);
        assert_eq!(detectar(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]), None);
        assert_eq!(detectar(b"hola"), None);
        assert_eq!(detectar(b""), None);
        assert_eq!(detectar(b"   "), None);
        // JSON must parse whole; `<` followed by a blank or digit is not a tag.
        assert_eq!(detectar(b"{\"a\": "), None);
        assert_eq!(detectar(b"{} trailing"), None);
        assert_eq!(detectar(b"< 3"), None);
        // A PDF's signature must open the file, not appear inside it.
        assert_eq!(detectar(b"MZ....%PDF-1.4"), None);
    }

    #[test]
    fn the_soportes_of_numeral_2_3_must_be_pdf() {
        for t in TipoSoporte::ALL {
            let pdf = revisar_contenido("x.pdf", *t, PDF);
            match t {
                TipoSoporte::Fev | TipoSoporte::Rips => assert!(pdf.is_err(), "{t}"),
                _ => assert_eq!(pdf, Ok(Contenido::Pdf), "{t}"),
            }
        }
        let e = revisar_contenido("foto.png", TipoSoporte::Hev, b"\x89PNG\r\n\x1a\n....").unwrap_err();
        assert!(
            e.contains("«foto.png»") && e.contains("imagen PNG") && e.contains("HEV") && e.contains("PDF"),
            "{e}"
        );
        assert!(e.contains("Anexo 2 num. 2.3"), "{e}");
    }

    #[test]
    fn the_invoice_is_its_xml_and_the_rips_its_json() {
        let xml = b"<?xml version=\"1.0\"?><Invoice/>";
        assert_eq!(revisar_contenido("f.xml", TipoSoporte::Fev, xml), Ok(Contenido::Xml));
        let e = revisar_contenido("f.pdf", TipoSoporte::Fev, PDF).unwrap_err();
        assert!(e.contains("XML") && e.contains("num. 2.1"), "{e}");
        assert_eq!(
            revisar_contenido("r.json", TipoSoporte::Rips, b"{\"usuarios\":[]}"),
            Ok(Contenido::Json)
        );
        let e = revisar_contenido("r.json", TipoSoporte::Rips, b"{\"usuarios\":").unwrap_err();
        assert!(e.contains("«r.json»") && e.contains("JSON"), "{e}");
    }

    #[test]
    fn otro_takes_any_content_trazo_keeps_and_nothing_else() {
        for (bytes, c) in [
            (PDF, Contenido::Pdf),
            (b"\x89PNG\r\n\x1a\n".as_slice(), Contenido::Png),
            (b"<a/>".as_slice(), Contenido::Xml),
            (b"[]".as_slice(), Contenido::Json),
        ] {
            assert_eq!(revisar_contenido("x", TipoSoporte::Otro, bytes), Ok(c));
        }
        let e = revisar_contenido("instalador.pdf", TipoSoporte::Otro, b"MZ\x90\0").unwrap_err();
        assert!(
            e.contains("«instalador.pdf»") && e.contains("PDF") && e.contains("JSON"),
            "{e}"
        );
        let e = revisar_contenido("vacio.pdf", TipoSoporte::Hev, b"").unwrap_err();
        assert!(e.contains("«vacio.pdf» está vacío") && e.contains("PDF"), "{e}");
    }

    #[test]
    fn the_person_of_a_multi_user_invoice_is_a_document_type_and_number() {
        assert_eq!(documento_usuario("CC1234567"), Ok("CC1234567".into()));
        assert_eq!(documento_usuario(" cc 1.234.567 "), Ok("CC1234567".into()));
        assert_eq!(documento_usuario("TI-1002003004"), Ok("TI1002003004".into()));
        assert_eq!(documento_usuario("PA AB123456"), Ok("PAAB123456".into()));
        assert_eq!(documento_usuario("RC1"), Ok("RC1".into()));
        assert_eq!(documento_usuario("CE998877"), Ok("CE998877".into()));
        assert_eq!(documento_usuario(""), Ok(String::new()));
        assert_eq!(documento_usuario("  "), Ok(String::new()));
        let e = documento_usuario("1234567").unwrap_err();
        assert!(e.contains("'1234567'") && e.contains("CC") && e.contains("TI"), "{e}");
        assert!(documento_usuario("XX123").is_err());
        assert!(documento_usuario("CC").is_err());
        assert!(documento_usuario("CC12/34").is_err());
        assert!(documento_usuario(&format!("CC{}", "1".repeat(21))).is_err());
    }

    #[test]
    fn the_file_name_of_anexo_2() {
        // The table's own examples.
        assert_eq!(
            nombre_anexo2(TipoSoporte::Hev, "999999999", "A999999999", "", "pdf"),
            "HEV_999999999_A999999999.pdf"
        );
        assert_eq!(
            nombre_anexo2(TipoSoporte::Epi, "999999999", "A999999999", "CC123", "pdf"),
            "EPI_999999999_A999999999_CC123.pdf"
        );
        // The NIT without its check digit, however it was written.
        assert_eq!(
            nombre_anexo2(TipoSoporte::Pde, "900.123.456-8", "FE 77", "", "pdf"),
            "PDE_900123456_FE-77.pdf"
        );
        // Nothing in the name can make a folder in the zip.
        let n = nombre_anexo2(TipoSoporte::Otro, "900123456", "../A1", "", "png");
        assert_eq!(n, "OTRO_900123456_---A1.png");
        assert!(!n.contains('/'));
        assert_eq!(
            nombre_anexo2(TipoSoporte::Rips, "900123456", "A1", "", "json"),
            "RIPS_900123456_A1.json"
        );
    }

    #[test]
    fn an_uploaded_name_keeps_no_folder_nor_quotes() {
        assert_eq!(nombre_original("C:\\Users\\ana\\epicrisis.pdf"), "epicrisis.pdf");
        assert_eq!(nombre_original("../../etc/passwd"), "passwd");
        assert_eq!(nombre_original("a\"b\r\n.pdf"), "ab.pdf");
        assert_eq!(nombre_original(""), "archivo");
        assert_eq!(nombre_original("dir/"), "archivo");
        assert_eq!(nombre_original(&"x".repeat(300)).len(), 200);
    }

    #[test]
    fn objects_read_back_from_their_text() {
        for o in ObjetoSoporte::ALL {
            assert_eq!(o.as_str().parse::<ObjetoSoporte>(), Ok(*o));
        }
        assert!("lote".parse::<ObjetoSoporte>().is_err());
    }
}
