//! Synthetic DIAN documents for benchmarks and tests: an `AttachedDocument` that wraps, as
//! CDATA, a health-sector `Invoice` with the `Interoperabilidad` extension, 1–8 lines and
//! totals that add up, plus DIAN's `ApplicationResponse` in `cac:ParentDocumentLineReference`
//! as real containers carry it. Everything is derived deterministically from `i`; the CUFE is
//! 96 hex characters but not a real SHA-384 of the invoice, and the service codes, prices,
//! payment modality and coverage codes are plausible examples, not a catalogue.

use chrono::{Datelike, Duration, NaiveDate};
use quick_xml::escape::escape;
use rust_decimal::Decimal;

/// splitmix64: a fixed, well-mixed function of `x` (no randomness, no dependency).
fn mezcla(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// (code, description, base price in pesos).
const SERVICIOS: [(&str, &str, i64); 9] = [
    ("890201", "Consulta de primera vez por medicina general", 45_000),
    (
        "890301",
        "Consulta de control o de seguimiento por medicina general",
        38_000,
    ),
    ("902210", "Hemograma IV método automático", 18_500),
    ("903841", "Glucosa en suero u otro fluido diferente a orina", 7_900),
    ("871121", "Radiografía de tórax (PA o AP y lateral)", 62_000),
    ("881302", "Ecografía de abdomen total", 120_000),
    ("895100", "Electrocardiograma de ritmo o de superficie", 41_500),
    ("931000", "Terapia física integral", 38_000),
    (
        "S12101",
        "Estancia en habitación bipersonal, complejidad media",
        380_000,
    ),
];

/// (code, name) of the payment modality.
const MODALIDADES: [(&str, &str); 3] = [
    ("04", "Pago por evento"),
    ("03", "Pago por capitación"),
    ("02", "Pago global prospectivo"),
];

/// DIAN's check digit of a NIT (weights 3, 7, 13, 17, 19, 23, 29, 37, 41, 43, 47, 53, 59, 67,
/// 71 from the rightmost digit; 11 minus the remainder mod 11 when the remainder is over 1).
fn digito_verificacion(nit: &str) -> Option<u32> {
    const PESOS: [u32; 15] = [3, 7, 13, 17, 19, 23, 29, 37, 41, 43, 47, 53, 59, 67, 71];
    if nit.is_empty() || nit.len() > PESOS.len() || !nit.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let suma: u32 = nit.bytes().rev().zip(PESOS).map(|(b, p)| u32::from(b - b'0') * p).sum();
    let r = suma % 11;
    Some(if r > 1 { 11 - r } else { r })
}

fn company_id(nit: &str) -> String {
    let dv = digito_verificacion(nit)
        .map(|d| format!(" schemeID=\"{d}\""))
        .unwrap_or_default();
    format!(
        "<cbc:CompanyID schemeAgencyID=\"195\" schemeAgencyName=\"CO, DIAN (Dirección de Impuestos y Aduanas \
         Nacionales)\" schemeName=\"31\"{dv}>{}</cbc:CompanyID>",
        escape(nit)
    )
}

fn pesos(valor: i64) -> Decimal {
    Decimal::new(valor, 0)
}

struct Linea {
    codigo: &'static str,
    descripcion: &'static str,
    cantidad: i64,
    precio: Decimal,
    total: Decimal,
}

/// A realistic AttachedDocument for invoice number `FEV{i}`, issued by `nit_emisor` to
/// `nit_adquirente` (digits only, as [`super::parse`] expects them), which `parse` accepts.
pub fn attached_document(i: u64, nit_emisor: &str, nit_adquirente: &str) -> String {
    let h = mezcla(i);
    let numero = format!("FEV{i}");
    let cufe: String = (0..6u64)
        .map(|k| format!("{:016x}", mezcla(mezcla(i) ^ mezcla(k + 0x5EED))))
        .collect();
    let inicio = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap_or_default();
    // 669 days: 2025-01-01 ..= 2026-10-31, so that no document is dated after the "today"
    // the benchmarks and end-to-end tests fix (2026-11-20) or after their radicación dates.
    let fecha = inicio + Duration::days((mezcla(i ^ 0xA5A5) % 669) as i64);
    let vence = fecha + Duration::days(30);
    let inicio_periodo = fecha.with_day(1).unwrap_or(fecha);

    let n_lineas = 1 + (h % 8) as usize;
    let lineas: Vec<Linea> = (0..n_lineas)
        .map(|k| {
            let m = mezcla(h ^ (k as u64 + 1).wrapping_mul(0x1000_0001));
            let (codigo, descripcion, base) = SERVICIOS[(m % SERVICIOS.len() as u64) as usize];
            let cantidad = 1 + ((m >> 16) % 3) as i64;
            // ±5 % around the base price, rounded to hundreds of pesos.
            let precio = (base * (95 + ((m >> 32) % 11) as i64) / 100) / 100 * 100;
            Linea {
                codigo,
                descripcion,
                cantidad,
                precio: pesos(precio),
                total: pesos(precio * cantidad),
            }
        })
        .collect();
    let bruto: Decimal = lineas.iter().map(|l| l.total).sum();

    // Health services are excluded from IVA; one invoice in five also bills a taxed supply
    // (IVA 19 % on its first line).
    let iva = if h.is_multiple_of(5) {
        (lineas[0].total * Decimal::new(19, 2)).round_dp(2)
    } else {
        Decimal::ZERO
    };
    let (copago, cuota_moderadora) = match (h >> 8) % 4 {
        1 if bruto >= pesos(4_700) => (Decimal::ZERO, pesos(4_700)),
        2 => (
            (bruto * Decimal::new(115, 3)).round_dp(0).min(pesos(350_000)),
            Decimal::ZERO,
        ),
        _ => (Decimal::ZERO, Decimal::ZERO),
    };
    let anticipos = copago + cuota_moderadora;
    let pagar = bruto + iva - anticipos;
    let (modalidad, nombre_modalidad) = MODALIDADES[((h >> 12) % MODALIDADES.len() as u64) as usize];
    let codigo_prestador = format!("11001{:07}", (h >> 20) % 10_000_000);
    let contrato = format!("CT-{}-{:03}", fecha.year(), (h >> 40) % 900 + 100);

    let mut f = String::with_capacity(8_192);
    f.push_str(&format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" xmlns:ext="urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2" xmlns:sts="dian:gov:co:facturaelectronica:Structures-2-1">
  <ext:UBLExtensions>
    <ext:UBLExtension>
      <ext:ExtensionContent>
        <sts:DianExtensions>
          <sts:InvoiceControl>
            <sts:InvoiceAuthorization>18760000001</sts:InvoiceAuthorization>
            <sts:AuthorizedInvoices><sts:Prefix>FEV</sts:Prefix><sts:From>1</sts:From><sts:To>5000000</sts:To></sts:AuthorizedInvoices>
          </sts:InvoiceControl>
          <sts:SoftwareProvider><sts:ProviderID schemeAgencyID="195" schemeName="31">{emisor}</sts:ProviderID><sts:SoftwareID schemeAgencyID="195">00000000-0000-0000-0000-000000000000</sts:SoftwareID></sts:SoftwareProvider>
        </sts:DianExtensions>
      </ext:ExtensionContent>
    </ext:UBLExtension>
    <ext:UBLExtension>
      <ext:ExtensionContent>
        <CustomTagGeneral>
          <Name>Responsable</Name>
          <Value>url www.minsalud.gov.co</Value>
          <Name>Tipo, identificador:año del acto administrativo</Name>
          <Value>Resolución 2275:2023</Value>
          <Interoperabilidad>
            <Group schemeName="Sector Salud">
              <Collection schemeName="Usuario">
                <AdditionalInformation><Name>CODIGO_PRESTADOR</Name><Value>{codigo_prestador}</Value></AdditionalInformation>
                <AdditionalInformation><Name>MODALIDAD_PAGO</Name><Value schemeID="{modalidad}" schemeName="salud_modalidad_pago.gc">{nombre_modalidad}</Value></AdditionalInformation>
                <AdditionalInformation><Name>COBERTURA_PLAN_BENEFICIOS</Name><Value schemeID="01" schemeName="salud_cobertura.gc">Plan de beneficios en salud financiado con UPC</Value></AdditionalInformation>
                <AdditionalInformation><Name>NUMERO_CONTRATO</Name><Value>{contrato}</Value></AdditionalInformation>
                <AdditionalInformation><Name>NUMERO_POLIZA</Name><Value/></AdditionalInformation>
                <AdditionalInformation><Name>COPAGO</Name><Value>{copago:.2}</Value></AdditionalInformation>
                <AdditionalInformation><Name>CUOTA_MODERADORA</Name><Value>{cuota_moderadora:.2}</Value></AdditionalInformation>
                <AdditionalInformation><Name>CUOTA_RECUPERACION</Name><Value>0.00</Value></AdditionalInformation>
                <AdditionalInformation><Name>PAGOS_COMPARTIDOS</Name><Value>0.00</Value></AdditionalInformation>
              </Collection>
            </Group>
          </Interoperabilidad>
        </CustomTagGeneral>
      </ext:ExtensionContent>
    </ext:UBLExtension>
    <ext:UBLExtension>
      <ext:ExtensionContent/>
    </ext:UBLExtension>
  </ext:UBLExtensions>
  <cbc:UBLVersionID>UBL 2.1</cbc:UBLVersionID>
  <cbc:CustomizationID>SS-CUFE</cbc:CustomizationID>
  <cbc:ProfileID>DIAN 2.1: Factura Electrónica de Venta</cbc:ProfileID>
  <cbc:ProfileExecutionID>1</cbc:ProfileExecutionID>
  <cbc:ID>{numero}</cbc:ID>
  <cbc:UUID schemeID="1" schemeName="CUFE-SHA384">{cufe}</cbc:UUID>
  <cbc:IssueDate>{fecha}</cbc:IssueDate>
  <cbc:IssueTime>10:{min:02}:00-05:00</cbc:IssueTime>
  <cbc:DueDate>{vence}</cbc:DueDate>
  <cbc:InvoiceTypeCode>01</cbc:InvoiceTypeCode>
  <cbc:DocumentCurrencyCode>COP</cbc:DocumentCurrencyCode>
  <cbc:LineCountNumeric>{n_lineas}</cbc:LineCountNumeric>
  <cac:InvoicePeriod><cbc:StartDate>{inicio_periodo}</cbc:StartDate><cbc:EndDate>{fecha}</cbc:EndDate></cac:InvoicePeriod>
  <cac:AccountingSupplierParty>
    <cbc:AdditionalAccountID>1</cbc:AdditionalAccountID>
    <cac:Party>
      <cac:PartyName><cbc:Name>IPS Sintética Nº {sede}</cbc:Name></cac:PartyName>
      <cac:PartyTaxScheme>
        <cbc:RegistrationName>IPS Sintética Nº {sede} S.A.S.</cbc:RegistrationName>
        {cid_emisor}
        <cbc:TaxLevelCode listName="48">R-99-PN</cbc:TaxLevelCode>
        <cac:TaxScheme><cbc:ID>01</cbc:ID><cbc:Name>IVA</cbc:Name></cac:TaxScheme>
      </cac:PartyTaxScheme>
      <cac:PartyLegalEntity>
        <cbc:RegistrationName>IPS Sintética Nº {sede} S.A.S.</cbc:RegistrationName>
        {cid_emisor}
      </cac:PartyLegalEntity>
    </cac:Party>
  </cac:AccountingSupplierParty>
  <cac:AccountingCustomerParty>
    <cbc:AdditionalAccountID>1</cbc:AdditionalAccountID>
    <cac:Party>
      <cac:PartyName><cbc:Name>EPS Sintética</cbc:Name></cac:PartyName>
      <cac:PartyTaxScheme>
        <cbc:RegistrationName>EPS Sintética S.A.</cbc:RegistrationName>
        {cid_adquirente}
        <cbc:TaxLevelCode listName="48">O-13</cbc:TaxLevelCode>
        <cac:TaxScheme><cbc:ID>01</cbc:ID><cbc:Name>IVA</cbc:Name></cac:TaxScheme>
      </cac:PartyTaxScheme>
      <cac:PartyLegalEntity>
        <cbc:RegistrationName>EPS Sintética S.A.</cbc:RegistrationName>
        {cid_adquirente}
      </cac:PartyLegalEntity>
    </cac:Party>
  </cac:AccountingCustomerParty>
  <cac:PaymentMeans><cbc:ID>2</cbc:ID><cbc:PaymentMeansCode>ZZZ</cbc:PaymentMeansCode><cbc:PaymentDueDate>{vence}</cbc:PaymentDueDate></cac:PaymentMeans>
"#,
        emisor = escape(nit_emisor),
        min = h % 60,
        sede = (h >> 50) % 20 + 1,
        cid_emisor = company_id(nit_emisor),
        cid_adquirente = company_id(nit_adquirente),
    ));
    for (k, valor) in [("01", copago), ("02", cuota_moderadora)] {
        if !valor.is_zero() {
            f.push_str(&format!(
                "  <cac:PrepaidPayment><cbc:ID schemeID=\"{k}\">{k}</cbc:ID><cbc:PaidAmount currencyID=\"COP\">{valor:.2}</cbc:PaidAmount><cbc:ReceivedDate>{fecha}</cbc:ReceivedDate></cac:PrepaidPayment>\n"
            ));
        }
    }
    if !iva.is_zero() {
        f.push_str(&format!(
            r#"  <cac:TaxTotal>
    <cbc:TaxAmount currencyID="COP">{iva:.2}</cbc:TaxAmount>
    <cac:TaxSubtotal>
      <cbc:TaxableAmount currencyID="COP">{base:.2}</cbc:TaxableAmount>
      <cbc:TaxAmount currencyID="COP">{iva:.2}</cbc:TaxAmount>
      <cac:TaxCategory><cbc:Percent>19.00</cbc:Percent><cac:TaxScheme><cbc:ID>01</cbc:ID><cbc:Name>IVA</cbc:Name></cac:TaxScheme></cac:TaxCategory>
    </cac:TaxSubtotal>
  </cac:TaxTotal>
"#,
            base = lineas[0].total,
        ));
    }
    f.push_str(&format!(
        r#"  <cac:LegalMonetaryTotal>
    <cbc:LineExtensionAmount currencyID="COP">{bruto:.2}</cbc:LineExtensionAmount>
    <cbc:TaxExclusiveAmount currencyID="COP">{base_iva:.2}</cbc:TaxExclusiveAmount>
    <cbc:TaxInclusiveAmount currencyID="COP">{con_iva:.2}</cbc:TaxInclusiveAmount>
    <cbc:PrepaidAmount currencyID="COP">{anticipos:.2}</cbc:PrepaidAmount>
    <cbc:PayableAmount currencyID="COP">{pagar:.2}</cbc:PayableAmount>
  </cac:LegalMonetaryTotal>
"#,
        base_iva = if iva.is_zero() { Decimal::ZERO } else { lineas[0].total },
        con_iva = bruto + iva,
    ));
    for (k, l) in lineas.iter().enumerate() {
        f.push_str(&format!(
            r#"  <cac:InvoiceLine>
    <cbc:ID>{n}</cbc:ID>
    <cbc:InvoicedQuantity unitCode="94">{cantidad}.00</cbc:InvoicedQuantity>
    <cbc:LineExtensionAmount currencyID="COP">{total:.2}</cbc:LineExtensionAmount>
    <cac:Item>
      <cbc:Description>{descripcion}</cbc:Description>
      <cac:SellersItemIdentification><cbc:ID>SRV-{codigo}</cbc:ID></cac:SellersItemIdentification>
      <cac:StandardItemIdentification><cbc:ID schemeID="999" schemeName="Estándar de adopción del contribuyente">{codigo}</cbc:ID></cac:StandardItemIdentification>
    </cac:Item>
    <cac:Price><cbc:PriceAmount currencyID="COP">{precio:.2}</cbc:PriceAmount><cbc:BaseQuantity unitCode="94">1.00</cbc:BaseQuantity></cac:Price>
  </cac:InvoiceLine>
"#,
            n = k + 1,
            cantidad = l.cantidad,
            total = l.total,
            descripcion = l.descripcion,
            codigo = l.codigo,
            precio = l.precio,
        ));
    }
    f.push_str("</Invoice>");

    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<AttachedDocument xmlns="urn:oasis:names:specification:ubl:schema:xsd:AttachedDocument-2" xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2" xmlns:ext="urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2">
  <cbc:UBLVersionID>UBL 2.1</cbc:UBLVersionID>
  <cbc:CustomizationID>Documentos adjuntos</cbc:CustomizationID>
  <cbc:ProfileID>Factura Electrónica de Venta</cbc:ProfileID>
  <cbc:ProfileExecutionID>1</cbc:ProfileExecutionID>
  <cbc:ID>{i}</cbc:ID>
  <cbc:IssueDate>{fecha}</cbc:IssueDate>
  <cbc:IssueTime>10:{min:02}:30-05:00</cbc:IssueTime>
  <cbc:DocumentType>Contenedor de Factura Electrónica</cbc:DocumentType>
  <cbc:ParentDocumentID>{numero}</cbc:ParentDocumentID>
  <cac:SenderParty><cac:PartyTaxScheme><cbc:RegistrationName>IPS Sintética S.A.S.</cbc:RegistrationName>{cid_emisor}<cac:TaxScheme><cbc:ID>01</cbc:ID><cbc:Name>IVA</cbc:Name></cac:TaxScheme></cac:PartyTaxScheme></cac:SenderParty>
  <cac:ReceiverParty><cac:PartyTaxScheme><cbc:RegistrationName>EPS Sintética S.A.</cbc:RegistrationName>{cid_adquirente}<cac:TaxScheme><cbc:ID>01</cbc:ID><cbc:Name>IVA</cbc:Name></cac:TaxScheme></cac:PartyTaxScheme></cac:ReceiverParty>
  <cac:Attachment>
    <cac:ExternalReference>
      <cbc:MimeCode>text/xml</cbc:MimeCode>
      <cbc:EncodingCode>UTF-8</cbc:EncodingCode>
      <cbc:Description><![CDATA[{f}]]></cbc:Description>
    </cac:ExternalReference>
  </cac:Attachment>
  <cac:ParentDocumentLineReference>
    <cbc:LineID>1</cbc:LineID>
    <cac:DocumentReference>
      <cbc:ID>{numero}</cbc:ID>
      <cbc:UUID schemeName="CUFE-SHA384">{cufe}</cbc:UUID>
      <cbc:IssueDate>{fecha}</cbc:IssueDate>
      <cbc:DocumentType>ApplicationResponse</cbc:DocumentType>
      <cac:Attachment>
        <cac:ExternalReference>
          <cbc:MimeCode>text/xml</cbc:MimeCode>
          <cbc:EncodingCode>UTF-8</cbc:EncodingCode>
          <cbc:Description><![CDATA[<?xml version="1.0" encoding="UTF-8"?><ApplicationResponse xmlns="urn:oasis:names:specification:ubl:schema:xsd:ApplicationResponse-2" xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"><cbc:ID>{i}</cbc:ID><cbc:IssueDate>{fecha}</cbc:IssueDate><cac:DocumentResponse><cac:Response><cbc:ResponseCode>02</cbc:ResponseCode><cbc:Description>Documento validado por la DIAN</cbc:Description></cac:Response><cac:DocumentReference><cbc:ID>{numero}</cbc:ID><cbc:UUID schemeName="CUFE-SHA384">{cufe}</cbc:UUID></cac:DocumentReference></cac:DocumentResponse></ApplicationResponse>]]></cbc:Description>
        </cac:ExternalReference>
      </cac:Attachment>
      <cac:ResultOfVerification>
        <cbc:ValidatorID>Unidad Especial Dirección de Impuestos y Aduanas Nacionales</cbc:ValidatorID>
        <cbc:ValidationResultCode>02</cbc:ValidationResultCode>
        <cbc:ValidationDate>{fecha}</cbc:ValidationDate>
      </cac:ResultOfVerification>
    </cac:DocumentReference>
  </cac:ParentDocumentLineReference>
</AttachedDocument>
"#,
        min = h % 60,
        cid_emisor = company_id(nit_emisor),
        cid_adquirente = company_id(nit_adquirente),
    )
}
