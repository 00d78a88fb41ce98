//! Tests of the DIAN parser. Fixtures are synthetic (see tests/fixtures/dian/README.md).

use std::str::FromStr;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::*;
use crate::error::{ImportError, Ubicacion};

const FACTURA: &[u8] = include_bytes!("../../tests/fixtures/dian/factura_salud.xml");
const ADJUNTO: &[u8] = include_bytes!("../../tests/fixtures/dian/attached_factura.xml");
const NOTA_CREDITO: &[u8] = include_bytes!("../../tests/fixtures/dian/nota_credito.xml");
const NOTA_DEBITO: &[u8] = include_bytes!("../../tests/fixtures/dian/nota_debito.xml");
const LATIN1: &[u8] = include_bytes!("../../tests/fixtures/dian/factura_latin1.xml");
const PREFIJOS: &[u8] = include_bytes!("../../tests/fixtures/dian/prefijos_raros.xml");
const OTRO_ESPACIO: &[u8] = include_bytes!("../../tests/fixtures/dian/raiz_otro_espacio.xml");
const DOCTYPE: &[u8] = include_bytes!("../../tests/fixtures/dian/doctype_entidades.xml");
const TRUNCADA: &[u8] = include_bytes!("../../tests/fixtures/dian/truncada.xml");

const CUFE_FACTURA: &str =
    "898b3b4b4e794487e1ed608e6996adebc9fc68aa1b83882c712920b01c5d04a61bf3c52673141afee4636978e9b47259";
const RUTA_DESCRIPCION: &str = "/AttachedDocument/cac:Attachment/cac:ExternalReference/cbc:Description";

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn ok(bytes: &[u8], archivo: &str) -> DocumentoDian {
    parse(bytes, archivo).unwrap_or_else(|e| panic!("{archivo} debía leerse sin errores: {e:#?}"))
}

fn errores(bytes: &[u8], archivo: &str) -> Vec<ImportError> {
    match parse(bytes, archivo) {
        Ok(doc) => panic!("{archivo} debía fallar y se leyó: {doc:#?}"),
        Err(e) => e,
    }
}

fn xpath(archivo: &str, ruta: &str, campo: &str, mensaje: &str) -> ImportError {
    ImportError::new(archivo, Ubicacion::XPath(ruta.to_string()), Some(campo), mensaje)
}

/// The invoice fixture with one piece of text replaced (which must be there).
fn factura_con(de: &str, a: &str) -> Vec<u8> {
    let s = std::str::from_utf8(FACTURA).unwrap();
    assert!(s.contains(de), "la factura de prueba no contiene {de:?}");
    s.replacen(de, a, 1).into_bytes()
}

fn linea_de(bytes: &[u8], aguja: &str) -> usize {
    let s = String::from_utf8_lossy(bytes);
    let pos = s.find(aguja).unwrap();
    s[..pos].matches('\n').count() + 1
}

// ---------------------------------------------------------------------------------------------
// Documents that must be read
// ---------------------------------------------------------------------------------------------

#[test]
fn an_invoice_is_read_with_every_field() {
    let f = ok(FACTURA, "factura_salud.xml");
    assert_eq!(f.tipo, TipoDocumento::Factura);
    assert_eq!(f.numero, "FEV1001");
    assert_eq!(f.cufe, CUFE_FACTURA, "el CUFE se guarda en minúsculas");
    assert_eq!(f.fecha_emision, NaiveDate::from_ymd_opt(2025, 3, 14).unwrap());
    assert_eq!(f.nit_emisor, "900123456");
    assert_eq!(
        f.nit_adquirente, "800987654",
        "leído de cac:PartyLegalEntity cuando no hay PartyTaxScheme"
    );
    assert_eq!(f.moneda, "COP");
    assert_eq!(f.valor_bruto, d("118000.00"));
    assert_eq!(
        f.impuestos,
        d("6840.00"),
        "las retenciones (cac:WithholdingTaxTotal) no se suman"
    );
    assert_eq!(
        f.anticipos,
        d("20500.00"),
        "copago + cuota moderadora + cuota de recuperación + pagos compartidos"
    );
    assert_eq!(f.valor_a_pagar, d("104340.00"));
    assert_eq!(f.factura_referenciada, None);
    assert_eq!(
        f.lineas,
        vec![
            LineaDian {
                numero: 1,
                codigo: "890201".into(),
                descripcion: "Consulta de primera vez por medicina general".into(),
                cantidad: d("1"),
                valor_unitario: d("45000"),
                valor_total: d("45000"),
                impuestos: d("0"),
            },
            LineaDian {
                numero: 2,
                codigo: "902210".into(),
                descripcion: "Hemograma IV método automático".into(),
                cantidad: d("2"),
                valor_unitario: d("18500"),
                valor_total: d("37000"),
                impuestos: d("0"),
            },
            LineaDian {
                numero: 3,
                codigo: "INS-0042".into(),
                descripcion: "Kit de curación estéril (gasas & apósitos) – talla M".into(),
                cantidad: d("3"),
                valor_unitario: d("12000"),
                valor_total: d("36000"),
                impuestos: d("0"),
            },
        ]
    );
}

#[test]
fn each_health_field_is_read_from_the_interoperabilidad_group() {
    let s = ok(FACTURA, "factura_salud.xml").salud;
    assert_eq!(s.codigo_prestador.as_deref(), Some("110010123401"));
    assert_eq!(
        s.modalidad_pago.as_deref(),
        Some("04"),
        "el código del schemeID, no el texto"
    );
    assert_eq!(s.cobertura_plan_beneficios.as_deref(), Some("01"));
    assert_eq!(s.numero_contrato.as_deref(), Some("CT-2025-0087"));
    assert_eq!(s.numero_poliza.as_deref(), Some("POL-554433"));
    assert_eq!(s.copago, Some(d("11800.00")));
    assert_eq!(s.cuota_moderadora, Some(d("4700.00")));
    assert_eq!(s.cuota_recuperacion, Some(d("1500.00")));
    assert_eq!(s.pagos_compartidos, Some(d("2500.00")));
}

#[test]
fn health_pairs_are_found_anywhere_under_ubl_extensions_whatever_their_namespace() {
    let extension = r#"
  <e:UBLExtensions xmlns:e="urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2"
                   xmlns:sts="dian:gov:co:facturaelectronica:Structures-2-1">
    <e:UBLExtension><e:ExtensionContent>
      <sts:Interoperabilidad><sts:AdditionalInformation><sts:Name>modalidad_contratacion</sts:Name><sts:Value>Pago por evento</sts:Value></sts:AdditionalInformation></sts:Interoperabilidad>
      <AdditionalInformation><Name>COPAGO</Name><Value>1000</Value></AdditionalInformation>
      <AdditionalInformation xmlns=""><Name>COPAGO</Name><Value>250.50</Value></AdditionalInformation>
      <AdditionalInformation xmlns=""><Name>NUMERO_POLIZA</Name><Value>  </Value></AdditionalInformation>
    </e:ExtensionContent></e:UBLExtension>
  </e:UBLExtensions>"#;
    let texto = std::str::from_utf8(NOTA_DEBITO).unwrap();
    let inicio = texto.find("<DebitNote").unwrap();
    let fin = texto[inicio..].find('>').unwrap() + inicio + 1;
    let doc = format!("{}{}{}", &texto[..fin], extension, &texto[fin..]);
    let s = ok(doc.as_bytes(), "nota.xml").salud;
    assert_eq!(
        s.modalidad_pago.as_deref(),
        Some("Pago por evento"),
        "nombre de la Res. 506; sin schemeID, el texto"
    );
    assert_eq!(s.copago, Some(d("1250.50")), "los montos de varias Collection se suman");
    assert_eq!(s.numero_poliza, None, "un valor vacío es ausencia");
    assert_eq!(s.cuota_moderadora, None);
}

#[test]
fn a_credit_note_is_read_with_its_billing_reference() {
    let n = ok(NOTA_CREDITO, "nota_credito.xml");
    assert_eq!(n.tipo, TipoDocumento::NotaCredito);
    assert_eq!(n.numero, "NC77");
    assert_eq!(
        n.cufe,
        "288126a77549c2041cc2e4b2a7a1040eedd19bef14f1a1a2a6c610729a1bcb9130589d04c23316397921f38febd55c46"
    );
    assert_eq!(n.fecha_emision, NaiveDate::from_ymd_opt(2025, 4, 2).unwrap());
    assert_eq!(
        n.nit_emisor, "900123456",
        "puntos y dígito de verificación '-8' retirados"
    );
    assert_eq!(n.nit_adquirente, "800987654");
    assert_eq!(n.factura_referenciada.as_deref(), Some("FEV1001"));
    assert_eq!(
        (n.valor_bruto, n.impuestos, n.anticipos, n.valor_a_pagar),
        (d("18500"), d("0"), d("0"), d("18500"))
    );
    assert_eq!(
        n.lineas,
        vec![LineaDian {
            numero: 1,
            codigo: "902210".into(),
            descripcion: "Hemograma IV método automático".into(),
            cantidad: d("1"),
            valor_unitario: d("18500"),
            valor_total: d("18500"),
            impuestos: d("0"),
        }]
    );
    assert_eq!(
        n.salud,
        CamposSalud {
            codigo_prestador: Some("110010123401".into()),
            numero_contrato: Some("CT-2025-0087".into()),
            ..CamposSalud::default()
        }
    );
}

#[test]
fn a_debit_note_is_read_with_its_requested_monetary_total() {
    let n = ok(NOTA_DEBITO, "nota_debito.xml");
    assert_eq!(n.tipo, TipoDocumento::NotaDebito);
    assert_eq!(n.numero, "ND12");
    assert_eq!(n.factura_referenciada.as_deref(), Some("FEV1001"));
    assert_eq!(n.moneda, "COP", "sin cbc:DocumentCurrencyCode se asume COP");
    assert_eq!(n.valor_bruto, d("5250.50"));
    assert_eq!(n.valor_a_pagar, d("5250.50"));
    assert_eq!(n.lineas.len(), 2);
    assert_eq!(n.lineas[0].codigo, "AJ-890201");
    assert_eq!(n.lineas[1].codigo, "", "sin identificación del ítem, código vacío");
    assert_eq!(n.lineas[1].cantidad, d("0.5"));
    assert_eq!(n.salud, CamposSalud::default());
}

#[test]
fn an_attached_document_yields_the_invoice_in_its_cdata() {
    let adjunto = ok(ADJUNTO, "ad.xml");
    assert_eq!(adjunto, ok(FACTURA, "factura.xml"));
}

#[test]
fn utf8_with_bom_and_utf16_with_bom_are_read() {
    let mut con_bom = vec![0xEF, 0xBB, 0xBF];
    con_bom.extend_from_slice(FACTURA);
    assert_eq!(ok(&con_bom, "bom.xml"), ok(FACTURA, "factura.xml"));

    let mut utf16 = vec![0xFF, 0xFE];
    for u in std::str::from_utf8(FACTURA).unwrap().encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    assert_eq!(ok(&utf16, "utf16.xml"), ok(FACTURA, "factura.xml"));
}

#[test]
fn iso_8859_1_declared_is_decoded_as_windows_1252() {
    assert!(
        LATIN1.windows(15).any(|w| w == b"Atenci\xf3n m\xe9dica"),
        "la prueba debe traer bytes Latin-1"
    );
    let f = ok(LATIN1, "factura_latin1.xml");
    assert_eq!(
        f.lineas[0].descripcion,
        "Atención médica domiciliaria – niño de año y medio"
    );
    assert_eq!(f.nit_emisor, "890399010");
}

#[test]
fn latin1_bytes_declared_as_utf8_are_refused_with_the_line() {
    let texto = String::from_utf8_lossy(LATIN1).replace("ISO-8859-1", "UTF-8");
    let mut bytes = LATIN1.to_vec();
    let pos = bytes.windows(10).position(|w| w == b"ISO-8859-1").unwrap();
    bytes.splice(pos..pos + 10, b"UTF-8".iter().copied());
    assert!(texto.contains("UTF-8"));
    let byte_malo = bytes.iter().position(|&b| b >= 0x80).unwrap();
    assert_eq!(
        errores(&bytes, "ansi.xml"),
        vec![ImportError::new(
            "ansi.xml",
            Ubicacion::Linea(16),
            None,
            format!(
                "el archivo se lee como UTF-8 pero el byte {} no es UTF-8 válido; si fue guardado en ISO-8859-1 \
                 (ANSI), la declaración debe decir <?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>",
                byte_malo + 1
            )
        )]
    );
}

#[test]
fn an_unknown_declared_encoding_is_refused() {
    let bytes = factura_con("encoding=\"UTF-8\"", "encoding=\"EBCDIC-XYZ\"");
    assert_eq!(
        errores(&bytes, "f.xml"),
        vec![ImportError::new(
            "f.xml",
            Ubicacion::Archivo,
            None,
            "la declaración XML pide la codificación 'EBCDIC-XYZ', que no se reconoce; se espera UTF-8 o ISO-8859-1"
        )]
    );
}

#[test]
fn namespaces_are_matched_by_uri_not_by_prefix() {
    let texto = std::str::from_utf8(PREFIJOS).unwrap();
    assert!(texto.contains("<inv:Invoice") && texto.contains("<a:InvoiceLine>") && texto.contains("<q:CompanyID"));
    assert!(!texto.contains("cac:") && !texto.contains("cbc:"));
    assert_eq!(ok(PREFIJOS, "prefijos_raros.xml"), ok(FACTURA, "factura.xml"));
}

#[test]
fn predefined_entities_and_character_references_are_resolved() {
    let bytes = factura_con(
        "<cbc:ID>FEV1001</cbc:ID>",
        "<cbc:ID>FEV&#x31;&#48;0&apos;1&lt;&gt;&quot;</cbc:ID>",
    );
    assert_eq!(ok(&bytes, "f.xml").numero, "FEV100'1<>\"");
}

// ---------------------------------------------------------------------------------------------
// Documents that must be refused, with the exact message
// ---------------------------------------------------------------------------------------------

#[test]
fn a_root_in_the_wrong_namespace_is_refused() {
    assert_eq!(
        errores(OTRO_ESPACIO, "raiz_otro_espacio.xml"),
        vec![xpath(
            "raiz_otro_espacio.xml",
            "/Invoice",
            "Invoice",
            "el elemento raíz <Invoice> está en el espacio de nombres \
             'urn:oasis:names:specification:ubl:schema:xsd:Invoice-3'; se espera \
             xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\""
        )]
    );
    assert_eq!(
        errores(b"<CreditNote/>", "n.xml"),
        vec![xpath(
            "n.xml",
            "/CreditNote",
            "CreditNote",
            "el elemento raíz <CreditNote> no declara espacio de nombres; se espera \
             xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2\""
        )]
    );
}

#[test]
fn a_document_that_is_not_an_invoice_is_refused() {
    assert_eq!(
        errores(
            b"<html xmlns=\"http://www.w3.org/1999/xhtml\"><body/></html>",
            "correo.html"
        ),
        vec![ImportError::new(
            "correo.html",
            Ubicacion::XPath("/html".into()),
            None,
            "el documento es <html>; se espera una factura electrónica DIAN: Invoice, CreditNote, DebitNote, \
             AttachedDocument o un evento RADIAN (ApplicationResponse)"
        )]
    );
}

#[test]
fn a_doctype_is_refused_before_any_entity_is_expanded() {
    assert_eq!(
        errores(DOCTYPE, "doctype_entidades.xml"),
        vec![ImportError::new(
            "doctype_entidades.xml",
            Ubicacion::Archivo,
            None,
            "el XML no puede declarar DOCTYPE ni entidades"
        )]
    );
    // Also inside the CDATA of an AttachedDocument.
    let adjunto = String::from_utf8_lossy(ADJUNTO).replacen(
        "<![CDATA[<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>",
        "<![CDATA[<!DOCTYPE Invoice [<!ENTITY x \"y\">]>",
        1,
    );
    assert_eq!(
        errores(adjunto.as_bytes(), "ad.xml"),
        vec![ImportError::new(
            "ad.xml",
            Ubicacion::XPath(RUTA_DESCRIPCION.into()),
            None,
            "el XML no puede declarar DOCTYPE ni entidades"
        )]
    );
}

#[test]
fn an_unknown_entity_reference_is_an_error_not_an_expansion() {
    let bytes = factura_con("gasas &amp; apósitos", "gasas &nbsp; apósitos");
    let linea = linea_de(&bytes, "&nbsp;");
    assert_eq!(
        errores(&bytes, "f.xml"),
        vec![xpath(
            "f.xml",
            "/Invoice/cac:InvoiceLine[3]/cac:Item/cbc:Description",
            "cbc:Description",
            &format!(
                "la referencia '&nbsp;' no es una de las entidades predefinidas de XML (&amp; &lt; &gt; &quot; \
                 &apos;); este lector no expande entidades (línea {linea})"
            )
        )]
    );
    // In an attribute value too.
    let bytes = factura_con("schemeID=\"999\">890201", "schemeID=\"&xxe;\">890201");
    let e = errores(&bytes, "f.xml");
    assert_eq!(e.len(), 1);
    assert!(
        e[0].mensaje
            .starts_with("la referencia '&xxe;' no es una de las entidades predefinidas"),
        "{e:?}"
    );
}

#[test]
fn a_file_over_max_bytes_is_refused_before_parsing() {
    let limites = Limites {
        max_bytes: 1000,
        ..Limites::default()
    };
    assert_eq!(
        parse_con(FACTURA, "grande.xml", &limites),
        Err(vec![ImportError::new(
            "grande.xml",
            Ubicacion::Archivo,
            None,
            format!(
                "el archivo pesa {} bytes y el máximo aceptado es 1000 bytes",
                FACTURA.len()
            )
        )])
    );
    // Not even valid XML is looked at.
    assert!(parse_con(&vec![b'<'; 1001], "x.xml", &limites).unwrap_err()[0]
        .mensaje
        .starts_with("el archivo pesa"));
    assert_eq!(
        Limites::default(),
        Limites {
            max_bytes: 20 * 1024 * 1024,
            max_profundidad: 64
        }
    );
}

#[test]
fn nesting_deeper_than_max_profundidad_is_refused_while_parsing() {
    let limites = Limites {
        max_profundidad: 5,
        ..Limites::default()
    };
    let linea = linea_de(FACTURA, "<sts:InvoiceControl>");
    assert_eq!(
        parse_con(FACTURA, "f.xml", &limites),
        Err(vec![xpath(
            "f.xml",
            "/Invoice/ext:UBLExtensions/ext:UBLExtension/ext:ExtensionContent/sts:DianExtensions",
            "sts:DianExtensions",
            &format!("el XML anida más de 5 niveles de elementos; no parece una factura electrónica (línea {linea})")
        )])
    );
    // A hostile file: a million levels stops at the limit (and never overflows the stack).
    let profundo = format!("{}{}", "<a>".repeat(1_000_000), "</a>".repeat(1_000_000));
    let e = errores(profundo.as_bytes(), "profundo.xml");
    assert_eq!(e.len(), 1);
    assert!(e[0].mensaje.starts_with("el XML anida más de 64 niveles"), "{e:?}");
}

#[test]
fn a_truncated_file_names_the_file_and_what_was_expected() {
    let e = errores(TRUNCADA, "truncada.xml");
    assert_eq!(
        e,
        vec![xpath(
            "truncada.xml",
            "/Invoice/cac:LegalMonetaryTotal/cbc:PayableAmount",
            "cbc:PayableAmount",
            "el archivo se corta antes de terminar: se esperaba </cbc:PayableAmount> para cerrar \
             <cbc:PayableAmount> (¿el archivo llegó incompleto?)"
        )]
    );
    assert!(e[0]
        .to_string()
        .starts_with("truncada.xml, /Invoice/cac:LegalMonetaryTotal/cbc:PayableAmount, "));

    // Cut inside a tag.
    let texto = std::str::from_utf8(FACTURA).unwrap();
    let corte = texto.find("<cbc:PayableAmount").unwrap() + "<cbc:Payab".len();
    let linea = linea_de(FACTURA, "<cbc:PayableAmount");
    assert_eq!(
        errores(&FACTURA[..corte], "cortada.xml"),
        vec![xpath(
            "cortada.xml",
            "/Invoice/cac:LegalMonetaryTotal",
            "cac:LegalMonetaryTotal",
            &format!("el XML está incompleto o dañado: una etiqueta no se cierra: se esperaba '>' (línea {linea})")
        )]
    );
    // An empty file.
    assert_eq!(
        errores(b"", "vacio.xml"),
        vec![ImportError::new(
            "vacio.xml",
            Ubicacion::Archivo,
            None,
            "el archivo no contiene ningún elemento XML; se espera una factura electrónica (Invoice, CreditNote, \
             DebitNote o AttachedDocument)"
        )]
    );
}

#[test]
fn a_missing_cufe_is_an_error() {
    let linea_uuid = std::str::from_utf8(FACTURA)
        .unwrap()
        .lines()
        .find(|l| l.contains("<cbc:UUID"))
        .unwrap();
    let sin_cufe = factura_con(linea_uuid, "");
    assert_eq!(
        errores(&sin_cufe, "f.xml"),
        vec![xpath(
            "f.xml",
            "/Invoice/cbc:UUID",
            "cbc:UUID",
            "falta el CUFE (cbc:UUID)"
        )]
    );
    let vacio = factura_con(linea_uuid, "<cbc:UUID schemeName=\"CUFE-SHA384\"/>");
    assert_eq!(
        errores(&vacio, "f.xml"),
        vec![xpath(
            "f.xml",
            "/Invoice/cbc:UUID",
            "cbc:UUID",
            "falta el CUFE (cbc:UUID)"
        )]
    );
    let sin_cude =
        String::from_utf8_lossy(NOTA_CREDITO).replace("<cbc:UUID schemeID=\"2\"", "<cbc:Otro schemeID=\"2\"");
    let sin_cude = sin_cude.replacen(
        "</cbc:UUID>\n  <cbc:IssueDate>2025-04-02",
        "</cbc:Otro>\n  <cbc:IssueDate>2025-04-02",
        1,
    );
    assert_eq!(
        errores(sin_cude.as_bytes(), "nc.xml"),
        vec![xpath(
            "nc.xml",
            "/CreditNote/cbc:UUID",
            "cbc:UUID",
            "falta el CUDE (cbc:UUID)"
        )]
    );
}

#[test]
fn lines_that_do_not_add_up_to_the_centavo_are_an_error_naming_both_values() {
    let bytes = factura_con(
        "<cbc:LineExtensionAmount currencyID=\"COP\">37000.00</cbc:LineExtensionAmount>",
        "<cbc:LineExtensionAmount currencyID=\"COP\">37000.01</cbc:LineExtensionAmount>",
    );
    assert_eq!(
        errores(&bytes, "f.xml"),
        vec![xpath(
            "f.xml",
            "/Invoice/cac:LegalMonetaryTotal/cbc:LineExtensionAmount",
            "cbc:LineExtensionAmount",
            "las líneas suman 118000.01 y cbc:LineExtensionAmount dice 118000.00"
        )]
    );
    // Less than half a centavo is not a difference.
    let bytes = factura_con(
        "<cbc:LineExtensionAmount currencyID=\"COP\">37000.00</cbc:LineExtensionAmount>",
        "<cbc:LineExtensionAmount currencyID=\"COP\">37000.004</cbc:LineExtensionAmount>",
    );
    assert!(parse(&bytes, "f.xml").is_ok());
}

#[test]
fn a_negative_amount_is_an_error_naming_its_xpath() {
    let bytes = factura_con(
        "<cbc:LineExtensionAmount currencyID=\"COP\">45000.00</cbc:LineExtensionAmount>",
        "<cbc:LineExtensionAmount currencyID=\"COP\">-45000.00</cbc:LineExtensionAmount>",
    );
    assert_eq!(
        errores(&bytes, "f.xml"),
        vec![xpath(
            "f.xml",
            "/Invoice/cac:InvoiceLine[1]/cbc:LineExtensionAmount",
            "cbc:LineExtensionAmount",
            "el valor no puede ser negativo; llegó '-45000.00'"
        )]
    );
}

#[test]
fn a_non_numeric_amount_is_an_error_naming_its_xpath() {
    let bytes = factura_con(">104340.00<", ">abc<");
    assert_eq!(
        errores(&bytes, "f.xml"),
        vec![xpath(
            "f.xml",
            "/Invoice/cac:LegalMonetaryTotal/cbc:PayableAmount",
            "cbc:PayableAmount",
            "se espera un valor numérico como 1250000.00; llegó 'abc'"
        )]
    );
    for malo in ["1.250.000,00", "1e5", "+5", "12.", ".5", "", "$ 100"] {
        let bytes = factura_con(">104340.00<", &format!(">{malo}<"));
        let e = errores(&bytes, "f.xml");
        assert_eq!(e.len(), 1, "{malo:?}: {e:?}");
        assert_eq!(
            e[0].ubicacion,
            Ubicacion::XPath("/Invoice/cac:LegalMonetaryTotal/cbc:PayableAmount".into())
        );
    }
}

#[test]
fn every_problem_of_a_document_is_reported_together() {
    let linea_uuid = std::str::from_utf8(FACTURA)
        .unwrap()
        .lines()
        .find(|l| l.contains("<cbc:UUID"))
        .unwrap();
    let s = String::from_utf8(factura_con(linea_uuid, "")).unwrap();
    let s = s
        .replacen("2025-03-14", "14/03/2025", 1)
        .replacen(">104340.00<", ">abc<", 1);
    let s = s.replacen("<Value>11800.00</Value>", "<Value>diez mil</Value>", 1);
    let s = s.replacen(">800987654<", ">EPS-SUR<", 1);
    let s = s.replacen("<cbc:ID>2</cbc:ID>", "<cbc:ID>dos</cbc:ID>", 1);
    assert_eq!(
        errores(s.as_bytes(), "f.xml"),
        vec![
            xpath("f.xml", "/Invoice/cbc:UUID", "cbc:UUID", "falta el CUFE (cbc:UUID)"),
            xpath(
                "f.xml",
                "/Invoice/cbc:IssueDate",
                "cbc:IssueDate",
                "se espera una fecha como 2025-03-31 (año-mes-día); llegó '14/03/2025'"
            ),
            xpath(
                "f.xml",
                "/Invoice/cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID",
                "cbc:CompanyID",
                "se espera un NIT de solo dígitos como 900123456 (el dígito de verificación va en el atributo \
                 schemeID); llegó 'EPS-SUR'"
            ),
            xpath(
                "f.xml",
                "/Invoice/cac:LegalMonetaryTotal/cbc:PayableAmount",
                "cbc:PayableAmount",
                "se espera un valor numérico como 1250000.00; llegó 'abc'"
            ),
            xpath(
                "f.xml",
                "/Invoice/cac:InvoiceLine[2]/cbc:ID",
                "cbc:ID",
                "se espera el número de la línea (1, 2, 3...); llegó 'dos'"
            ),
            xpath(
                "f.xml",
                "/Invoice/ext:UBLExtensions/ext:UBLExtension[2]/ext:ExtensionContent/CustomTagGeneral/\
                 Interoperabilidad/Group/Collection/AdditionalInformation[6]/Value",
                "COPAGO",
                "se espera un valor numérico como 1250000.00; llegó 'diez mil'"
            ),
        ]
    );
}

#[test]
fn missing_parts_are_each_reported() {
    let s = String::from_utf8_lossy(NOTA_DEBITO);
    let inicio = s.find("<cac:AccountingSupplierParty>").unwrap();
    let fin = s.find("<cac:DebitNoteLine>").unwrap();
    let sin_partes = format!("{}{}", &s[..inicio], &s[fin..]);
    let sin_partes = sin_partes.replacen(
        "<cac:Price><cbc:PriceAmount currencyID=\"COP\">5000.25</cbc:PriceAmount></cac:Price>",
        "",
        1,
    );
    assert_eq!(
        errores(sin_partes.as_bytes(), "nd.xml"),
        vec![
            xpath(
                "nd.xml",
                "/DebitNote/cac:AccountingSupplierParty",
                "cbc:CompanyID",
                "falta el NIT del emisor (cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID)"
            ),
            xpath(
                "nd.xml",
                "/DebitNote/cac:AccountingCustomerParty",
                "cbc:CompanyID",
                "falta el NIT del adquirente (cac:AccountingCustomerParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID)"
            ),
            xpath(
                "nd.xml",
                "/DebitNote/cac:RequestedMonetaryTotal",
                "cac:RequestedMonetaryTotal",
                "faltan los totales del documento (cac:RequestedMonetaryTotal)"
            ),
            xpath(
                "nd.xml",
                "/DebitNote/cac:DebitNoteLine[1]/cac:Price/cbc:PriceAmount",
                "cbc:PriceAmount",
                "falta el valor unitario (cac:Price/cbc:PriceAmount)"
            ),
        ]
    );
    let sin_lineas = format!("{}</DebitNote>", &s[..s.find("<cac:DebitNoteLine>").unwrap()]);
    assert_eq!(
        errores(sin_lineas.as_bytes(), "nd.xml"),
        vec![xpath(
            "nd.xml",
            "/DebitNote/cac:DebitNoteLine",
            "cac:DebitNoteLine",
            "el documento no trae líneas (cac:DebitNoteLine)"
        )]
    );
}

#[test]
fn errors_inside_an_attached_document_carry_the_wrapper_path() {
    let s = String::from_utf8_lossy(ADJUNTO).replacen(">104340.00<", ">-1<", 1);
    assert_eq!(
        errores(s.as_bytes(), "ad.xml"),
        vec![xpath(
            "ad.xml",
            &format!("{RUTA_DESCRIPCION}/Invoice/cac:LegalMonetaryTotal/cbc:PayableAmount"),
            "cbc:PayableAmount",
            "el valor no puede ser negativo; llegó '-1'"
        )]
    );
    // The embedded invoice cut short.
    let corte = s.find("<cac:InvoiceLine>").unwrap();
    let cortado = format!(
        "{}]]></cbc:Description></cac:ExternalReference></cac:Attachment></AttachedDocument>",
        &s[..corte]
    );
    assert_eq!(
        errores(cortado.as_bytes(), "ad.xml"),
        vec![xpath(
            "ad.xml",
            &format!("{RUTA_DESCRIPCION}/Invoice"),
            "Invoice",
            "el archivo se corta antes de terminar: se esperaba </Invoice> para cerrar <Invoice> (¿el archivo llegó \
             incompleto?)"
        )]
    );
}

#[test]
fn an_attached_document_without_an_invoice_is_refused() {
    let sin = r#"<AttachedDocument xmlns="urn:oasis:names:specification:ubl:schema:xsd:AttachedDocument-2"
        xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"><cbc:ID>1</cbc:ID></AttachedDocument>"#;
    assert_eq!(
        errores(sin.as_bytes(), "ad.xml"),
        vec![xpath(
            "ad.xml",
            RUTA_DESCRIPCION,
            "cbc:Description",
            "el AttachedDocument no trae la factura: falta cac:Attachment/cac:ExternalReference/cbc:Description"
        )]
    );
    let vacio = String::from_utf8_lossy(ADJUNTO).replacen(std::str::from_utf8(FACTURA).unwrap(), "  ", 1);
    assert_eq!(
        errores(vacio.as_bytes(), "ad.xml"),
        vec![xpath(
            "ad.xml",
            RUTA_DESCRIPCION,
            "cbc:Description",
            "el AttachedDocument trae vacío cbc:Description; ahí debe venir el XML de la factura"
        )]
    );
    let anidado = String::from_utf8_lossy(ADJUNTO).replacen(
        std::str::from_utf8(FACTURA).unwrap(),
        "<AttachedDocument xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:AttachedDocument-2\"/>",
        1,
    );
    assert_eq!(
        errores(anidado.as_bytes(), "ad.xml"),
        vec![xpath(
            "ad.xml",
            RUTA_DESCRIPCION,
            "cbc:Description",
            "el AttachedDocument trae dentro otro AttachedDocument; se espera una factura (Invoice) o una nota \
             (CreditNote, DebitNote)"
        )]
    );
}

#[test]
fn malformed_xml_is_reported_in_spanish_with_its_line() {
    let casos: [(&str, &str, &str); 4] = [
        (
            "</cbc:IssueDate>",
            "</cbc:IssueDat>",
            "se esperaba </cbc:IssueDate> y llegó </cbc:IssueDat>",
        ),
        (
            "gasas &amp; apósitos",
            "gasas & apósitos",
            "un '&' no termina en ';' (para escribir el carácter & use &amp;)",
        ),
        (
            "<cbc:ID>FEV1001</cbc:ID>",
            "<cbc:ID>FEV1001</cbc:ID><cbc:ID x=\"1\" x=\"2\"/>",
            "un elemento repite el mismo atributo",
        ),
        (
            "<cbc:ID>FEV1001</cbc:ID>",
            "<zz:ID>FEV1001</zz:ID>",
            "el prefijo 'zz' de <zz:ID> no está declarado (falta xmlns:zz=\"...\")",
        ),
    ];
    for (de, a, esperado) in casos {
        let e = errores(&factura_con(de, a), "f.xml");
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(e[0].mensaje.contains(esperado), "{a:?}: {:?}", e[0].mensaje);
        assert!(e[0].mensaje.contains("(línea "), "{:?}", e[0].mensaje);
    }
    assert_eq!(
        errores(br#"{"numFactura": "FEV1"}"#, "rips.json"),
        vec![ImportError::new(
            "rips.json",
            Ubicacion::Archivo,
            None,
            "el archivo no parece XML: antes del primer elemento hay texto '{\"numFactura\": \"FEV1\"}'; se espera \
             una factura electrónica (Invoice, CreditNote, DebitNote o AttachedDocument) (línea 1)"
        )]
    );
    let texto_despues = [FACTURA, b"basura".as_slice()].concat();
    assert!(errores(&texto_despues, "f.xml")[0]
        .mensaje
        .starts_with("después de cerrar el elemento raíz hay texto 'basura'"));
    let dos_raices = [FACTURA, b"<Invoice/>".as_slice()].concat();
    assert!(errores(&dos_raices, "f.xml")[0]
        .mensaje
        .starts_with("después de cerrar el elemento raíz aparece otro elemento <Invoice>"));
}

// ---------------------------------------------------------------------------------------------
// No input makes the parser panic
// ---------------------------------------------------------------------------------------------

/// A tiny linear congruential generator (Knuth's MMIX constants): fixed seed, no dependency.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[test]
fn every_truncation_of_a_valid_document_is_an_error_and_never_a_panic() {
    for (archivo, doc) in [("factura_salud.xml", FACTURA), ("attached_factura.xml", ADJUNTO)] {
        let fin_raiz = doc.iter().rposition(|&b| b == b'>').unwrap() + 1;
        for corte in 0..doc.len() {
            let r = parse(&doc[..corte], archivo);
            if corte < fin_raiz {
                assert!(r.is_err(), "{archivo} cortado en el byte {corte} no debía leerse");
            }
        }
        assert!(parse(doc, archivo).is_ok());
    }
}

#[test]
fn random_byte_flips_never_panic() {
    let mut azar = Lcg(0x7261_7a6f);
    let interesantes = b"<>&;:/\"'=![]?-#x \n\xc3\xa9\xff\x00";
    for doc in [FACTURA, ADJUNTO, NOTA_CREDITO, NOTA_DEBITO, LATIN1] {
        for _ in 0..1500 {
            let mut copia = doc.to_vec();
            for _ in 0..1 + azar.below(4) {
                let pos = azar.below(copia.len());
                copia[pos] = if azar.below(2) == 0 {
                    interesantes[azar.below(interesantes.len())]
                } else {
                    azar.next() as u8
                };
            }
            let _ = parse(&copia, "azar.xml");
        }
    }
    for _ in 0..2000 {
        let largo = azar.below(300);
        let basura: Vec<u8> = (0..largo)
            .map(|_| interesantes[azar.below(interesantes.len())])
            .collect();
        let _ = parse(&basura, "basura.xml");
    }
}

// ---------------------------------------------------------------------------------------------
// The generator
// ---------------------------------------------------------------------------------------------

#[test]
fn two_hundred_generated_documents_parse_and_add_up() {
    let mut lineas_vistas = [false; 9];
    let mut cufes = std::collections::HashSet::new();
    let desde = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
    let hasta = NaiveDate::from_ymd_opt(2026, 10, 31).unwrap();
    let mut anios = std::collections::HashSet::new();
    for i in 0..200u64 {
        let xml = generador::attached_document(i, "900123456", "800987654");
        let doc = parse(xml.as_bytes(), "gen.xml").unwrap_or_else(|e| panic!("documento {i}: {e:#?}"));
        assert_eq!(doc.tipo, TipoDocumento::Factura);
        assert_eq!(doc.numero, format!("FEV{i}"));
        assert_eq!(doc.cufe.len(), 96);
        assert!(doc
            .cufe
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
        assert!(cufes.insert(doc.cufe.clone()), "CUFE repetido en {i}");
        assert!(desde <= doc.fecha_emision && doc.fecha_emision <= hasta);
        anios.insert(chrono::Datelike::year(&doc.fecha_emision));
        assert_eq!(
            (doc.nit_emisor.as_str(), doc.nit_adquirente.as_str()),
            ("900123456", "800987654")
        );
        assert!((1..=8).contains(&doc.lineas.len()));
        lineas_vistas[doc.lineas.len()] = true;
        let suma: Decimal = doc.lineas.iter().map(|l| l.valor_total).sum();
        assert_eq!(suma, doc.valor_bruto);
        for l in &doc.lineas {
            assert_eq!(l.cantidad * l.valor_unitario, l.valor_total);
        }
        assert_eq!(doc.valor_a_pagar, doc.valor_bruto + doc.impuestos - doc.anticipos);
        let s = &doc.salud;
        let cobrado_al_usuario = s.copago.unwrap()
            + s.cuota_moderadora.unwrap()
            + s.cuota_recuperacion.unwrap()
            + s.pagos_compartidos.unwrap();
        assert_eq!(doc.anticipos, cobrado_al_usuario);
        assert!(s.codigo_prestador.is_some() && s.modalidad_pago.is_some() && s.numero_contrato.is_some());
        assert_eq!(s.numero_poliza, None);
    }
    assert!(
        lineas_vistas[1..].iter().all(|&v| v),
        "de 1 a 8 líneas: {lineas_vistas:?}"
    );
    assert_eq!(anios.len(), 2, "fechas en 2025 y 2026");
}

#[test]
fn the_generator_is_deterministic_and_escapes_what_it_is_given() {
    assert_eq!(
        generador::attached_document(42, "900123456", "800987654"),
        generador::attached_document(42, "900123456", "800987654")
    );
    assert_ne!(
        generador::attached_document(42, "900123456", "800987654"),
        generador::attached_document(43, "900123456", "800987654")
    );
    let raro = generador::attached_document(7, "9001<&>", "800987654");
    let e = errores(raro.as_bytes(), "gen.xml");
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(e[0].mensaje.contains("llegó '9001<&>'"), "{e:?}");
}

// ---------------------------------------------------------------------------------------------
// DIAN's own examples (tests/fixtures/dian/muestras, see its README)
// ---------------------------------------------------------------------------------------------

const GENERICA: &[u8] = include_bytes!("../../tests/fixtures/dian/muestras/Generica.xml");
const FIRMADA: &[u8] = include_bytes!("../../tests/fixtures/dian/muestras/invoice_signed_dian_v2.xml");
const SERVICIOS: &[u8] = include_bytes!("../../tests/fixtures/dian/muestras/Servicios.xml");
const CREDITO_DIAN: &[u8] = include_bytes!("../../tests/fixtures/dian/muestras/CreditNote.xml");
const DEBITO_DIAN: &[u8] = include_bytes!("../../tests/fixtures/dian/muestras/DebitNote.xml");
const SIN_REFERENCIA: &[u8] =
    include_bytes!("../../tests/fixtures/dian/muestras/Ejemplificacion nota credito sin referencia a factura.xml");
const RECLAMO: &[u8] =
    include_bytes!("../../tests/fixtures/dian/muestras/031 - Reclamo de la factura Electronica de Venta.xml");
const RECIBO: &[u8] = include_bytes!("../../tests/fixtures/dian/muestras/032 - Recibo_B&S.xml");

fn evento(bytes: &[u8], archivo: &str) -> EventoDian {
    match parse_documento(bytes, archivo) {
        Ok(Documento::Evento(e)) => e,
        otro => panic!("{archivo} debía leerse como evento: {otro:#?}"),
    }
}

#[test]
fn dians_invoice_with_iva_discounts_and_anticipo_is_read_with_every_total() {
    let f = ok(FIRMADA, "invoice_signed_dian_v2.xml");
    assert_eq!(f.numero, "SETP990000002");
    assert_eq!(
        (
            f.valor_bruto,
            f.impuestos,
            f.valor_con_impuestos,
            f.anticipos,
            f.valor_a_pagar
        ),
        (d("12600.06"), d("2424.01"), d("15024.07"), d("1000.00"), d("14024.07"))
    );
    assert_eq!((f.descuentos, f.cargos, f.redondeo), (d("0"), d("0"), d("0")));
    assert_eq!(f.valor_total(), d("15024.07"), "lo que vale: a pagar más lo anticipado");
    assert_eq!(f.tasa_cambio, None);
    // The first line is net of its 33.33 % discount (18900 − 6299.94); the second is free and
    // still carries IVA on a reference price.
    assert_eq!(
        (
            f.lineas[0].valor_unitario,
            f.lineas[0].valor_total,
            f.lineas[0].impuestos
        ),
        (d("18900.00"), d("12600.06"), d("2394.01"))
    );
    assert_eq!(
        (f.lineas[1].valor_total, f.lineas[1].impuestos),
        (d("0.00"), d("30.00"))
    );
    // Other invoices it references (an earlier one, a prepayment) are not notes' references.
    assert_eq!(f.factura_referenciada, None);
}

#[test]
fn a_payable_amount_that_does_not_subtract_the_prepaid_amount_is_refused() {
    let e = errores(GENERICA, "Generica.xml");
    assert_eq!(
        e,
        vec![xpath(
            "Generica.xml",
            "/Invoice/cac:LegalMonetaryTotal/cbc:PayableAmount",
            "cbc:PayableAmount",
            "cbc:PayableAmount dice 15024.07, pero cbc:TaxInclusiveAmount (15024.07) − cbc:AllowanceTotalAmount (0) + \
             cbc:ChargeTotalAmount (0) − cbc:PrepaidAmount (1000.00) + cbc:PayableRoundingAmount (0) da 14024.07",
        )]
    );
}

#[test]
fn a_tax_inclusive_amount_that_is_not_lines_plus_taxes_is_refused() {
    let s = std::str::from_utf8(FIRMADA).unwrap().replace(
        r#"<cbc:TaxInclusiveAmount currencyID="COP">15024.07</cbc:TaxInclusiveAmount>"#,
        r#"<cbc:TaxInclusiveAmount currencyID="COP">15000.00</cbc:TaxInclusiveAmount>"#,
    );
    let e = errores(s.as_bytes(), "f.xml");
    assert_eq!(e.len(), 1, "{e:#?}");
    assert_eq!(
        e[0].mensaje,
        "cbc:TaxInclusiveAmount dice 15000.00, pero el valor bruto (cbc:LineExtensionAmount 12600.06) más los \
         impuestos (cac:TaxTotal 2424.01) da 15024.07"
    );
}

#[test]
fn line_taxes_must_add_up_to_the_documents() {
    let s = std::str::from_utf8(FIRMADA).unwrap().replacen(
        r#"<cbc:TaxAmount currencyID="COP">30.00</cbc:TaxAmount>"#,
        r#"<cbc:TaxAmount currencyID="COP">31.00</cbc:TaxAmount>"#,
        3,
    );
    // The document's subtotal, then the second line's TaxTotal and subtotal: only the line's
    // TaxTotal is added; the 16 % subtotal of the document moved too but its TaxTotal did not.
    let e = errores(s.as_bytes(), "f.xml");
    assert!(
        e.iter().any(|x| x.mensaje
            == "los impuestos de las líneas (cac:InvoiceLine/cac:TaxTotal) suman 2425.01 y los del documento \
                (cac:TaxTotal/cbc:TaxAmount) 2424.01"),
        "{e:#?}"
    );
}

#[test]
fn a_document_in_another_currency_carries_its_rate_or_is_refused() {
    let s = ok(SERVICIOS, "Servicios.xml");
    assert_eq!((s.moneda.as_str(), s.tasa_cambio), ("USD", Some(d("3100"))));
    let sin_tasa = std::str::from_utf8(SERVICIOS)
        .unwrap()
        .replace("<cbc:CalculationRate>3100</cbc:CalculationRate>", "");
    let e = errores(sin_tasa.as_bytes(), "s.xml");
    assert_eq!(
        e,
        vec![xpath(
            "s.xml",
            "/Invoice/cac:PaymentExchangeRate/cbc:CalculationRate",
            "cbc:CalculationRate",
            "la factura está en USD y no trae la tasa de cambio a pesos (cac:PaymentExchangeRate/cbc:CalculationRate); \
             Trazo lleva la cartera en pesos",
        )]
    );
}

#[test]
fn dians_notes_carry_the_invoice_they_correct_and_why() {
    let c = ok(CREDITO_DIAN, "CreditNote.xml");
    assert_eq!(c.tipo, TipoDocumento::NotaCredito);
    assert_eq!(c.factura_referenciada.as_deref(), Some("SETP990000015"));
    assert_eq!(
        c.cufe_referenciado.as_deref(),
        Some("e988c01fe2901d1bbf37911758961f7083b6e5c58400552b309549d6fbaa6402c8ff67b51d3c6f4ed478dc94b0c8b0fc")
    );
    assert_eq!(c.motivo.as_deref(), Some("Factura anterior"));
    assert_eq!(c.valor_a_pagar, d("14994.07"));
    let n = ok(DEBITO_DIAN, "DebitNote.xml");
    assert_eq!(n.tipo, TipoDocumento::NotaDebito);
    assert_eq!((n.valor_con_impuestos, n.valor_a_pagar), (d("14994.07"), d("14994.07")));
    assert_eq!(n.lineas[0].impuestos, d("2394.01"));
    let sin = ok(SIN_REFERENCIA, "sin.xml");
    assert_eq!((sin.factura_referenciada, sin.cufe_referenciado), (None, None));
}

#[test]
fn errors_of_a_note_name_its_own_root() {
    let s = std::str::from_utf8(DEBITO_DIAN).unwrap().replace(
        r#"<cbc:PayableAmount currencyID="USD">14994.07</cbc:PayableAmount>"#,
        r#"<cbc:PayableAmount currencyID="USD">14000.00</cbc:PayableAmount>"#,
    );
    let e = errores(s.as_bytes(), "nd.xml");
    assert_eq!(e.len(), 1, "{e:#?}");
    assert_eq!(
        e[0].ubicacion,
        Ubicacion::XPath("/DebitNote/cac:RequestedMonetaryTotal/cbc:PayableAmount".into())
    );
}

#[test]
fn radian_events_are_read_with_what_each_says() {
    let r = evento(RECLAMO, "031.xml");
    assert_eq!(r.tipo, TipoEvento::Reclamo);
    assert_eq!(r.numero, "REC00001");
    assert_eq!(r.fecha, NaiveDate::from_ymd_opt(2020, 1, 1).unwrap());
    assert_eq!(
        r.cufe,
        "9bc549b86a0ba1f8241b94f270ddce41bfbc7ff0bcc50bbc384db0a2a203bbcf9ec62de1a41d84f21b5d60f55aef7cb7"
    );
    assert_eq!(r.factura.as_deref(), Some("NALF110"));
    assert_eq!(r.concepto.as_deref(), Some("02"));
    assert_eq!(r.descripcion.as_deref(), Some("Mercancía no entregada"));
    assert_eq!(r.nit_emisor.as_deref(), Some("901781456"));
    let b = evento(RECIBO, "032.xml");
    assert_eq!(b.tipo, TipoEvento::ReciboBien);
    assert_eq!(b.persona.as_deref(), Some("Alberto Perez, Vigilante"));
    // `parse` is for invoices and notes.
    let e = parse(RECIBO, "032.xml").unwrap_err();
    assert_eq!(
        e[0].mensaje,
        "el archivo es el evento RADIAN 032 (003), no una factura ni una nota"
    );
}

#[test]
fn a_claim_without_its_concept_or_an_unknown_event_code_is_refused() {
    let s = std::str::from_utf8(RECLAMO).unwrap();
    let sin_concepto = s.replace(r#" listID="02""#, "");
    let e = parse_documento(sin_concepto.as_bytes(), "r.xml").unwrap_err();
    assert_eq!(
        e[0].ubicacion,
        Ubicacion::XPath("/ApplicationResponse/cac:DocumentResponse/cac:Response/cbc:ResponseCode".into())
    );
    assert!(
        e[0].mensaje.starts_with("el reclamo (031) debe traer su concepto"),
        "{e:#?}"
    );
    let otro = s.replace(">031</cbc:ResponseCode>", ">02</cbc:ResponseCode>");
    let e = parse_documento(otro.as_bytes(), "r.xml").unwrap_err();
    assert!(
        e[0].mensaje
            .starts_with("el evento '02' no es uno de los que Trazo registra"),
        "{e:#?}"
    );
}
