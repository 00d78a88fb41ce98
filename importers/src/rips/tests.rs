//! Tests over the synthetic fixtures in `tests/fixtures/rips/` (see the README there).

use std::path::PathBuf;
use std::str::FromStr;

use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;

use super::*;
use crate::error::{ImportError, Ubicacion};

fn ruta_fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/rips")
        .join(rel)
}

fn fixture(rel: &str) -> Vec<u8> {
    std::fs::read(ruta_fixture(rel)).expect("fixture")
}

/// Every file of a fixture folder, by name.
fn entrega(carpeta: &str) -> Vec<(String, Vec<u8>)> {
    let mut archivos: Vec<(String, Vec<u8>)> = std::fs::read_dir(ruta_fixture(carpeta))
        .expect("carpeta de fixtures")
        .map(|e| {
            let e = e.expect("entrada");
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).expect("archivo"),
            )
        })
        .collect();
    archivos.sort();
    archivos
}

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).expect("decimal de prueba")
}

fn fh(s: &str) -> Option<NaiveDateTime> {
    Some(NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").expect("fecha de prueba"))
}

fn textos(errores: &[ImportError]) -> Vec<String> {
    errores.iter().map(ToString::to_string).collect()
}

fn errores_planos(carpeta: &str) -> Vec<String> {
    textos(&parse_planos(&entrega(carpeta)).expect_err("la entrega debe fallar"))
}

fn servicio(
    tipo: TipoServicio,
    codigo: Option<&str>,
    fecha: &str,
    dx: Option<&str>,
    aut: Option<&str>,
    valor: &str,
) -> ServicioRips {
    ServicioRips {
        tipo,
        codigo: codigo.map(str::to_string),
        fecha: if fecha.is_empty() { None } else { fh(fecha) },
        cod_diagnostico: dx.map(str::to_string),
        num_autorizacion: aut.map(str::to_string),
        valor: d(valor),
    }
}

// ---------------------------------------------------------------- values and text

#[test]
fn amounts_are_parsed_exactly_and_never_through_a_float() {
    for (texto, esperado) in [
        ("15000", "15000"),
        ("15000.50", "15000.50"),
        (" 42 ", "42"),
        ("0", "0"),
        ("-0", "0"),
        ("0.000", "0"),
        (".5", "0.5"),
        ("7.", "7"),
        ("1e3", "1000"),
        ("1.25E+2", "125"),
        ("15e-1", "1.5"),
        ("123456789012.34", "123456789012.34"),
        ("999999999999999.99", "999999999999999.99"),
        ("0.1", "0.1"),
    ] {
        assert_eq!(parse_valor(texto), Ok(d(esperado)), "{texto}");
    }
    assert_eq!(
        parse_valor("12a"),
        Err("se espera un valor numérico; llegó '12a'".to_string())
    );
    assert_eq!(
        parse_valor("15.000,50"),
        Err("se espera un valor numérico; llegó '15.000,50'".to_string())
    );
    assert_eq!(
        parse_valor(""),
        Err("se espera un valor numérico; llegó ''".to_string())
    );
    assert_eq!(
        parse_valor("-5"),
        Err("se espera un valor positivo o cero; llegó '-5'".to_string())
    );
    assert_eq!(
        parse_valor("1000000000000000"),
        Err("el valor tiene más de 15 dígitos enteros; llegó '1000000000000000'".to_string())
    );
    assert_eq!(
        parse_valor("1e9999"),
        Err("el valor tiene más de 15 dígitos enteros; llegó '1e9999'".to_string())
    );
    assert_eq!(
        parse_valor("1e-40"),
        Err("el valor tiene demasiados decimales; llegó '1e-40'".to_string())
    );
    for malo in [
        "1.2.3", "e5", "1e", "1e+", "+", "-", ".", "1 000", "١٢", "1e99999", "0x10", "NaN", "inf",
    ] {
        assert!(parse_valor(malo).is_err(), "{malo}");
    }
}

#[test]
fn text_is_utf8_or_windows_1252_and_a_bom_is_dropped() {
    assert_eq!(decodificar(b"\xEF\xBB\xBFMU\xC3\x91OZ"), "MUÑOZ");
    assert_eq!(decodificar(b"MU\xD1OZ,PE\xD1A"), "MUÑOZ,PEÑA");
    assert_eq!(decodificar(b""), "");
}

// ---------------------------------------------------------------- JSON

#[test]
fn a_json_rips_with_every_kind_of_service_is_read_whole() {
    let r = parse_json(&fixture("json/completo.json"), "completo.json").expect("RIPS válido");
    assert_eq!(r.num_documento_id_obligado, "900000001");
    assert_eq!(r.num_factura, "FE2001");
    assert_eq!(r.tipo_nota, None);
    assert_eq!(r.num_nota, None);
    assert_eq!(r.usuarios.len(), 2);
    assert_eq!(r.cantidad_servicios(), 9);
    // 45000 + 38000.5 + 25000.75 + 5000 + 10000 + 40000; urgencias, hospitalización and recién
    // nacidos carry no vrServicio.
    assert_eq!(r.valor_servicios(), d("163001.25"));

    let u = &r.usuarios[0];
    assert_eq!(
        (u.tipo_documento.as_str(), u.numero_documento.as_str(), u.consecutivo),
        ("CC", "1000000001", Some(1))
    );
    use TipoServicio::*;
    assert_eq!(
        u.servicios,
        vec![
            servicio(
                Consulta,
                Some("890201"),
                "2024-02-10 08:30",
                Some("J069"),
                Some("AUT-1"),
                "45000"
            ),
            // A bare date is taken at 00:00; 38000.5 stays exactly 38000.5.
            servicio(
                Consulta,
                Some("890301"),
                "2024-02-12 00:00",
                Some("A09X"),
                None,
                "38000.5"
            ),
            // vrServicio written as a numeric string.
            servicio(
                Procedimiento,
                Some("903841"),
                "2024-02-11 09:00",
                Some("J069"),
                Some("AUT-2"),
                "25000.75"
            ),
            servicio(Urgencia, None, "2024-02-13 22:15", Some("A09X"), None, "0"),
            servicio(
                Hospitalizacion,
                None,
                "2024-02-14 08:30",
                Some("J189"),
                Some("AUT-3"),
                "0"
            ),
            servicio(
                Medicamento,
                Some("19931234-01"),
                "2024-02-14 09:00",
                Some("J189"),
                Some("AUT-4"),
                "5000"
            ),
            servicio(OtroServicio, Some("MAT-001"), "2024-02-14 09:30", None, None, "10000"),
        ]
    );
    let u = &r.usuarios[1];
    assert_eq!((u.numero_documento.as_str(), u.consecutivo), ("1000000003", Some(2)));
    assert_eq!(
        u.servicios,
        vec![
            servicio(
                Consulta,
                Some("890201"),
                "2024-02-15 07:00",
                Some("Z000"),
                None,
                "40000"
            ),
            servicio(RecienNacido, None, "2024-02-20 03:40", Some("P073"), None, "0"),
        ]
    );
}

#[test]
fn every_problem_of_a_json_rips_is_reported_with_its_path() {
    let errores = parse_json(&fixture("json/errores.json"), "rips.json").expect_err("RIPS con errores");
    assert_eq!(
        textos(&errores),
        vec![
            "rips.json, numFactura: falta el campo",
            "rips.json, usuarios[0].servicios.consultas[1].vrServicio: se espera un valor numérico; llegó '12a'",
            "rips.json, usuarios[0].servicios.consultas[2].vrServicio: falta el campo",
            "rips.json, usuarios[0].servicios.procedimientos[0].fechaInicioAtencion: se espera una fecha y hora \
             AAAA-MM-DD HH:MM; llegó '16/02/2024'",
            "rips.json, usuarios[1].numDocumentoIdentificacion: el campo está vacío",
            "rips.json, usuarios[1].servicios.consulta: grupo de servicios desconocido; se espera consultas, \
             procedimientos, urgencias, hospitalizacion, recienNacidos, medicamentos u otrosServicios",
            "rips.json, usuarios[1].servicios.otrosServicios[0].vrServicio: se espera un valor positivo o cero; \
             llegó '-500'",
        ]
    );
    assert_eq!(
        errores[2],
        ImportError::new(
            "rips.json",
            Ubicacion::Json("usuarios[0].servicios.consultas[2].vrServicio".into()),
            None,
            "falta el campo"
        )
    );
}

#[test]
fn a_truncated_json_says_it_is_incomplete() {
    let errores = parse_json(&fixture("json/truncado.json"), "truncado.json").expect_err("JSON cortado");
    assert_eq!(
        textos(&errores),
        vec!["truncado.json: el archivo JSON está incompleto: termina antes de cerrar sus llaves y corchetes"]
    );
}

#[test]
fn a_json_syntax_error_names_line_and_column_in_spanish() {
    let json = b"{\n  \"numFactura\": \"F1\",\n  \"usuarios\": [],\n}\n";
    assert_eq!(
        textos(&parse_json(json, "r.json").unwrap_err()),
        vec!["r.json, línea 4: el archivo no es un JSON válido (columna 1): sobra una coma antes del cierre"]
    );
    assert_eq!(
        textos(&parse_json(b"{\"numFactura\" \"F1\"}", "r.json").unwrap_err()),
        vec![
            "r.json, línea 1: el archivo no es un JSON válido (columna 15): falta ':' entre el nombre de un campo y \
              su valor"
        ]
    );
    assert_eq!(
        textos(&parse_json(b"{\"numFactura\": \"F\n1\"}", "r.json").unwrap_err()),
        vec![
            "r.json, línea 2: el archivo no es un JSON válido (columna 0): un texto tiene un carácter de control \
              (¿un salto de línea dentro de las comillas?)"
        ]
    );
}

#[test]
fn a_json_that_is_not_a_rips_object_is_refused() {
    assert_eq!(
        textos(&parse_json(b"[1, 2]", "x.json").unwrap_err()),
        vec!["x.json: se espera un objeto JSON con numFactura y usuarios; llegó una lista"]
    );
    assert_eq!(
        textos(
            &parse_json(
                b"{\"numDocumentoIdObligado\": \"9\", \"numFactura\": \"F1\", \"usuarios\": {}}",
                "x.json"
            )
            .unwrap_err()
        ),
        vec!["x.json, usuarios: se espera una lista de usuarios; llegó un objeto"]
    );
    assert_eq!(textos(&parse_json(b"", "x.json").unwrap_err()).len(), 1);
}

#[test]
fn json_values_are_exact_in_any_numeric_form_and_latin1_or_bom_is_tolerated() {
    let json = "\u{FEFF}{\"numDocumentoIdObligado\": 900000001, \"numFactura\": \"FE3\", \"tipoNota\": \"NC\", \
                \"numNota\": \"NC7\", \"usuarios\": [{\"tipoDocumentoIdentificacion\": \"CC\", \
                \"numDocumentoIdentificacion\": \"1\", \"consecutivo\": \"3\", \"nombre\": \"MUÑOZ\", \"servicios\": \
                {\"consultas\": [{\"codConsulta\": \"890201\", \"fechaInicioAtencion\": \"2024-01-02 07:05\", \
                \"vrServicio\": 123456789012.34}, {\"codConsulta\": \"890201\", \"fechaInicioAtencion\": \
                \"2024-01-02T07:05:09\", \"vrServicio\": 1.5e4}], \"urgencias\": null}}]}";
    let latin1 = encoding_rs::WINDOWS_1252
        .encode(json.trim_start_matches('\u{FEFF}'))
        .0
        .into_owned();
    for bytes in [json.as_bytes().to_vec(), latin1] {
        let r = parse_json(&bytes, "r.json").expect("válido");
        assert_eq!(r.num_documento_id_obligado, "900000001");
        assert_eq!(
            (r.tipo_nota.as_deref(), r.num_nota.as_deref()),
            (Some("NC"), Some("NC7"))
        );
        assert_eq!(r.usuarios[0].consecutivo, Some(3));
        let s = &r.usuarios[0].servicios;
        assert_eq!(s[0].valor, d("123456789012.34"));
        assert_eq!(s[1].valor, d("15000"));
        assert_eq!(
            s[1].fecha,
            NaiveDate::from_ymd_opt(2024, 1, 2).and_then(|f| f.and_hms_opt(7, 5, 9))
        );
        assert_eq!(r.valor_servicios(), d("123456804012.34"));
    }
}

#[test]
fn wrong_json_types_are_named() {
    let json = br#"{"numDocumentoIdObligado": "9", "numFactura": ["F1"], "usuarios": [7, {
        "tipoDocumentoIdentificacion": "CC", "numDocumentoIdentificacion": "1", "consecutivo": 0,
        "servicios": {"consultas": [{"codConsulta": true, "fechaInicioAtencion": null, "vrServicio": {}}],
                      "medicamentos": "no", "procedimientos": [3]}}]}"#;
    assert_eq!(
        textos(&parse_json(json, "t.json").unwrap_err()),
        vec![
            "t.json, numFactura: se espera un texto; llegó una lista",
            "t.json, usuarios[0]: se espera un objeto usuario; llegó 7",
            "t.json, usuarios[1].consecutivo: se espera un número entero desde 1; llegó 0",
            "t.json, usuarios[1].servicios.consultas[0].codConsulta: se espera un texto; llegó true",
            "t.json, usuarios[1].servicios.consultas[0].fechaInicioAtencion: el campo está vacío (null)",
            "t.json, usuarios[1].servicios.consultas[0].vrServicio: se espera un valor numérico; llegó un objeto",
            "t.json, usuarios[1].servicios.procedimientos[0]: se espera un objeto; llegó 3",
            "t.json, usuarios[1].servicios.medicamentos: se espera una lista; llegó 'no'",
        ]
    );
}

// ---------------------------------------------------------------- flat files

#[test]
fn a_flat_delivery_with_every_kind_of_file_is_read_whole() {
    let facturas = parse_planos(&entrega("planos/completa")).expect("entrega válida");
    assert_eq!(facturas.len(), 2);
    use TipoServicio::*;

    let f = &facturas[0];
    assert_eq!(f.numero_factura, "FE1001");
    assert_eq!(f.codigo_prestador, "110010000101");
    assert_eq!(f.nit_prestador, "900000001");
    assert_eq!(f.fecha_expedicion, NaiveDate::from_ymd_opt(2024, 3, 5).expect("fecha"));
    assert_eq!(f.codigo_entidad, "EPS999");
    assert_eq!(f.numero_contrato.as_deref(), Some("CT-2024-01"));
    assert_eq!(f.copago, d("12500"));
    assert_eq!(f.valor_neto, d("587500.50"));
    assert_eq!(f.usuarios.len(), 2);
    let u = &f.usuarios[0];
    assert_eq!(
        (u.tipo_documento.as_str(), u.numero_documento.as_str(), u.consecutivo),
        ("CC", "1000000001", None)
    );
    assert_eq!(
        u.servicios,
        vec![
            servicio(
                Consulta,
                Some("890201"),
                "2024-02-10 00:00",
                Some("J069"),
                Some("AUT-1"),
                "45000"
            ),
            servicio(
                Procedimiento,
                Some("903841"),
                "2024-02-11 00:00",
                Some("J069"),
                Some("AUT-2"),
                "25000"
            ),
            servicio(
                Hospitalizacion,
                None,
                "2024-02-14 08:30",
                Some("J189"),
                Some("AUT-3"),
                "0"
            ),
            servicio(Medicamento, Some("19931234-01"), "", None, Some("AUT-4"), "5000"),
            servicio(OtroServicio, Some("MAT-001"), "", None, None, "10000"),
        ]
    );
    let u = &f.usuarios[1];
    assert_eq!(
        (u.tipo_documento.as_str(), u.numero_documento.as_str()),
        ("TI", "1000000002")
    );
    assert_eq!(
        u.servicios,
        vec![
            servicio(
                Consulta,
                Some("890301"),
                "2024-02-12 00:00",
                Some("A09X"),
                None,
                "38000.50"
            ),
            servicio(Urgencia, None, "2024-02-13 22:15", Some("A09X"), None, "0"),
        ]
    );

    let f = &facturas[1];
    assert_eq!(f.numero_factura, "FE1002");
    assert_eq!(f.numero_contrato, None);
    // An empty copago is zero.
    assert_eq!(f.copago, Decimal::ZERO);
    assert_eq!(f.valor_neto, d("100000"));
    assert_eq!(f.usuarios.len(), 1);
    assert_eq!(
        f.usuarios[0].servicios,
        vec![
            servicio(
                Consulta,
                Some("890201"),
                "2024-02-15 00:00",
                Some("Z000"),
                None,
                "40000"
            ),
            // Identified by the mother's document.
            servicio(RecienNacido, None, "2024-02-20 03:40", Some("P073"), None, "0"),
            servicio(OtroServicio, Some("TRAS-01"), "", None, None, "60000"),
        ]
    );
}

#[test]
fn a_line_with_the_wrong_number_of_fields_names_the_count_expected() {
    assert_eq!(
        errores_planos("planos/campos"),
        vec!["AC000124.txt, línea 2: se esperan 17 campos separados por coma; llegaron 16"]
    );
}

#[test]
fn a_service_whose_invoice_is_not_in_af_is_an_error() {
    assert_eq!(
        errores_planos("planos/factura_ajena"),
        vec!["AC000125.txt, línea 2, número factura: la factura 'FE9999' no está en el archivo de transacciones (AF)"]
    );
}

#[test]
fn a_control_count_that_does_not_match_is_an_error() {
    assert_eq!(
        errores_planos("planos/control"),
        vec!["CT000126.txt, línea 3, total de registros: el archivo AC000126 trae 1 registro; el control dice 3"]
    );
}

#[test]
fn an_unknown_file_prefix_is_an_error() {
    assert_eq!(
        errores_planos("planos/prefijo"),
        vec![
            "XX000127.txt: tipo de archivo desconocido; el nombre debe empezar por AF, US, AD, AC, AP, AU, AH, AN, \
              AM, AT o CT"
        ]
    );
}

#[test]
fn a_value_that_is_not_a_number_names_file_line_and_field() {
    let errores = parse_planos(&entrega("planos/valor")).unwrap_err();
    assert_eq!(
        textos(&errores),
        vec!["AC000123.txt, línea 14, valor consulta: se espera un valor numérico; llegó '12a'"]
    );
    assert_eq!(errores[0].numero(), Some(14));
    assert_eq!(errores[0].campo.as_deref(), Some("valor consulta"));
}

/// The complete delivery with one file replaced.
fn con(archivo: &str, contenido: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut e = entrega("planos/completa");
    let i = e.iter().position(|(n, _)| n == archivo).expect("archivo de la entrega");
    e[i].1 = contenido.to_vec();
    e
}

fn errores_de(archivos: &[(String, Vec<u8>)]) -> Vec<String> {
    textos(&parse_planos(archivos).expect_err("la entrega debe fallar"))
}

#[test]
fn line_numbers_count_empty_lines_and_the_bom_does_not_shift_them() {
    // The AC fixture starts with a BOM and has an empty line 2: its third record is on line 4.
    let ac = String::from_utf8(fixture("planos/completa/AC000123.txt")).expect("utf-8");
    let ac = ac.replace(",Z000,", ",Z000,,");
    assert_eq!(
        errores_de(&con("AC000123.txt", ac.as_bytes())),
        vec!["AC000123.txt, línea 4: se esperan 17 campos separados por coma; llegaron 18"]
    );
}

#[test]
fn dates_hours_users_and_repeated_records_are_checked() {
    let p = "110010000101";
    let ac = format!(
        "FE1001,{p},CC,1000000001,31/02/2024,,890201,10,13,J069,,,,1,45000,0,45000\n\
         FE1001,{p},CC,1000000001,10/02/2024,,,10,13,J069,,,,1,45000,0,45000\n\
         FE1002,{p},CC,999,15/02/2024,,890201,10,13,Z000,,,,1,40000,0,40000\n"
    );
    let mut e = con("AC000123.txt", ac.as_bytes());
    let au = format!("FE1001,{p},TI,1000000002,13/02/2024,25:00,,13,A09X,,,,1,1,,14/02/2024,06:00\n");
    e.iter_mut().find(|(n, _)| n == "AU000123.txt").expect("AU").1 = au.into_bytes();
    let af = String::from_utf8(fixture("planos/completa/AF000123.txt")).expect("utf-8");
    let af = af.replace("FE1002", "FE1001");
    e.iter_mut().find(|(n, _)| n == "AF000123.txt").expect("AF").1 = af.into_bytes();
    assert_eq!(
        errores_de(&e),
        vec![
            "AF000123.txt, línea 2, número factura: la factura 'FE1001' está repetida (ya aparece en la línea 1)",
            "AC000123.txt, línea 1, fecha consulta: se espera una fecha DD/MM/AAAA; llegó '31/02/2024'",
            "AC000123.txt, línea 2, código consulta: falta el valor",
            "AC000123.txt, línea 3, número factura: la factura 'FE1002' no está en el archivo de transacciones (AF)",
            "AC000123.txt, línea 3, número identificación usuario: el usuario CC 999 no está en el archivo de \
             usuarios (US)",
            "AU000123.txt, línea 1, hora ingreso: se espera una hora HH:MM; llegó '25:00'",
            "AN000123.txt, línea 1, número factura: la factura 'FE1002' no está en el archivo de transacciones (AF)",
            "at000123.txt, línea 2, número factura: la factura 'FE1002' no está en el archivo de transacciones (AF)",
        ]
    );
}

#[test]
fn missing_af_or_us_and_an_empty_delivery_are_errors() {
    assert_eq!(
        textos(&parse_planos(&[]).unwrap_err()),
        vec!["entrega RIPS: la entrega no trae archivos"]
    );
    let sin: Vec<(String, Vec<u8>)> = entrega("planos/factura_ajena")
        .into_iter()
        .filter(|(n, _)| n != "AF000125.txt")
        .collect();
    assert!(errores_de(&sin).contains(&"entrega RIPS: falta el archivo de transacciones (AF)".to_string()));
    let sin: Vec<(String, Vec<u8>)> = entrega("planos/campos")
        .into_iter()
        .filter(|(n, _)| !n.starts_with("US"))
        .collect();
    assert_eq!(
        errores_de(&sin),
        vec![
            "AC000124.txt, línea 2: se esperan 17 campos separados por coma; llegaron 16",
            "entrega RIPS: falta el archivo de usuarios (US)",
        ]
    );
    // An AF with only empty lines: CT's count no longer matches, AF has no invoice, and every
    // line of AD and AC…AT (11) is left without its invoice.
    let errores = errores_de(&con("AF000123.txt", b"\r\n\r\n"));
    assert_eq!(
        errores[..3],
        [
            "CT000123.txt, línea 1, total de registros: el archivo AF000123 trae 0 registros; el control dice 2",
            "AF000123.txt: el archivo no trae facturas",
            "AD000123.txt, línea 1, número factura: la factura 'FE1001' no está en el archivo de transacciones (AF)",
        ]
    );
    assert_eq!(errores.len(), 2 + 11);
}

#[test]
fn ct_must_name_every_file_and_every_file_named_must_come() {
    let ct = "110010000101,06/03/2024,AF000123,2\n110010000101,06/03/2024,US000123,3\n\
              110010000101,06/03/2024,AD000123,1\n110010000101,06/03/2024,AC000123,3\n\
              110010000101,06/03/2024,AP000123,1\n110010000101,06/03/2024,AU000123,1\n\
              110010000101,06/03/2024,AH000123,1\n110010000101,06/03/2024,AN000123,1\n\
              110010000101,06/03/2024,AM000123,uno\n110010000101,06/03/2024,AX000999.txt,1\n";
    assert_eq!(
        errores_de(&con("CT000123.txt", ct.as_bytes())),
        vec![
            "CT000123.txt, línea 9, total de registros: se espera un número entero de registros; llegó 'uno'",
            "CT000123.txt, línea 10, código archivo: el archivo AX000999 no llegó en la entrega",
            "at000123.txt: el archivo no figura en el archivo de control (CT000123.txt)",
        ]
    );
}

#[test]
fn files_inside_folders_are_named_by_their_base_name_and_ct_is_optional() {
    let e: Vec<(String, Vec<u8>)> = entrega("planos/completa")
        .into_iter()
        .filter(|(n, _)| !n.starts_with("CT"))
        .map(|(n, b)| (format!("rips/envio 1\\{n}"), b))
        .collect();
    let facturas = parse_planos(&e).expect("sin CT también vale");
    assert_eq!(facturas.len(), 2);
    assert_eq!(
        facturas
            .iter()
            .map(|f| f.usuarios.iter().map(|u| u.servicios.len()).sum::<usize>())
            .sum::<usize>(),
        10
    );
}

// ---------------------------------------------------------------- no input panics

/// A tiny linear congruential generator (Knuth's MMIX constants), fixed seed: the same "random"
/// inputs on every run, no dependency.
struct Lcg(u64);

impl Lcg {
    fn siguiente(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn hasta(&mut self, n: usize) -> usize {
        (self.siguiente() % n as u64) as usize
    }
}

/// Bytes that make parsers stumble: digits, separators, quotes, the start of multi-byte UTF-8,
/// Windows-1252 letters, and anything at all.
fn byte_raro(g: &mut Lcg) -> u8 {
    const RAROS: &[u8] = b"0123456789,.:-/\"{}[]e\r\n \xEF\xBB\xBF\xC3\xD1\xFF\x00";
    if g.hasta(3) == 0 {
        g.siguiente() as u8
    } else {
        RAROS[g.hasta(RAROS.len())]
    }
}

#[test]
fn no_truncation_or_byte_flip_of_a_json_rips_panics() {
    let bytes = fixture("json/completo.json");
    assert!(parse_json(&bytes, "r.json").is_ok());
    for n in 0..bytes.len() {
        let r = parse_json(&bytes[..n], "r.json");
        assert!(r.is_err() || r.is_ok());
    }
    let mut g = Lcg(0x5EED_2275);
    for _ in 0..3000 {
        let mut b = bytes.clone();
        for _ in 0..=g.hasta(3) {
            let i = g.hasta(b.len());
            b[i] = byte_raro(&mut g);
        }
        let r = parse_json(&b, "r.json");
        assert!(r.is_err() || r.is_ok());
    }
}

#[test]
fn no_truncation_or_byte_flip_of_a_flat_delivery_panics() {
    let completa = entrega("planos/completa");
    assert!(parse_planos(&completa).is_ok());
    let af = completa.iter().position(|(n, _)| n.starts_with("AF")).expect("AF");
    for n in 0..completa[af].1.len() {
        let mut e = completa.clone();
        e[af].1.truncate(n);
        let r = parse_planos(&e);
        assert!(r.is_err() || r.is_ok());
        // The AF file alone, truncated, too.
        let r = parse_planos(&e[af..=af]);
        assert!(r.is_err() || r.is_ok());
    }
    let mut g = Lcg(0x5EED_3374);
    for _ in 0..3000 {
        let mut e = completa.clone();
        for _ in 0..=g.hasta(3) {
            let f = g.hasta(e.len());
            if e[f].1.is_empty() {
                continue;
            }
            let i = g.hasta(e[f].1.len());
            e[f].1[i] = byte_raro(&mut g);
        }
        let r = parse_planos(&e);
        assert!(r.is_err() || r.is_ok());
    }
}

fn completo() -> String {
    String::from_utf8(fixture("json/completo.json")).expect("utf-8")
}

fn errores_json(texto: &str) -> Vec<String> {
    textos(&parse_json(texto.as_bytes(), "rips.json").expect_err("el RIPS debe fallar"))
}

#[test]
fn the_misspelt_obligado_key_is_read_as_the_right_one() {
    let bien = parse_json(completo().as_bytes(), "rips.json").expect("completo");
    let mal = completo().replace("numDocumentoIdObligado", "numDocumentoldObligado");
    let leido = parse_json(mal.as_bytes(), "rips.json").expect("con la clave mal escrita");
    assert_eq!(leido, bien);
    // Without either, the right one is asked for.
    let sin = completo().replace("\"numDocumentoIdObligado\": \"900000001\",", "");
    assert_eq!(
        errores_json(&sin),
        vec!["rips.json, numDocumentoIdObligado: falta el campo"]
    );
}

#[test]
fn the_muv_wrappers_are_opened_and_their_paths_named() {
    let bien = parse_json(completo().as_bytes(), "rips.json").expect("completo");
    let con_xml = format!(
        r#"{{"rips": {}, "xmlFevFile": "PD94bWwgdmVyc2lvbj0iMS4wIj8+"}}"#,
        completo()
    );
    assert_eq!(
        parse_json(con_xml.as_bytes(), "rips.json").expect("rips + xmlFevFile"),
        bien
    );
    let transaccion = format!(r#"{{"transaccion": {}}}"#, completo());
    assert_eq!(
        parse_json(transaccion.as_bytes(), "rips.json").expect("transaccion"),
        bien
    );
    // Unknown fields, inside and outside, are tolerated; an error inside says where it is.
    let malo = format!(r#"{{"otro": 1, "rips": {}}}"#, completo().replace("\"FE2001\"", "null"));
    assert_eq!(
        errores_json(&malo),
        vec!["rips.json, rips.numFactura: el campo está vacío (null)"]
    );
    let malo = format!(
        r#"{{"transaccion": {}}}"#,
        completo().replacen("\"vrServicio\": 45000", "\"vrServicio\": \"x\"", 1)
    );
    assert_eq!(
        errores_json(&malo),
        vec!["rips.json, transaccion.usuarios[0].servicios.consultas[0].vrServicio: se espera un valor numérico; llegó 'x'"]
    );
}

#[test]
fn the_same_rips_in_other_bytes_has_the_same_content() {
    let original = completo();
    let base = parse_json(original.as_bytes(), "a.json").expect("completo").contenido();
    let mut valor: serde_json::Value = serde_json::from_str(&original).expect("json");
    valor["usuarios"][0]["codSexo"] = serde_json::json!("M");
    let variantes = [
        format!("\u{feff}{original}"),
        original.replace('\n', "\r\n"),
        // Compact, so the keys go in another order and the spacing changes.
        serde_json::to_string(&valor).expect("json"),
        // The same amount written another way.
        original.replace("\"vrServicio\": 45000,", "\"vrServicio\": 45000.00,"),
    ];
    for (i, v) in variantes.iter().enumerate() {
        let c = parse_json(v.as_bytes(), "b.json").expect("variante").contenido();
        assert_eq!(c, base, "variant {i}");
    }
    // A different service value is a different RIPS.
    let otro = original.replace("\"vrServicio\": 45000,", "\"vrServicio\": 45001,");
    assert_ne!(parse_json(otro.as_bytes(), "c.json").expect("otro").contenido(), base);
    // The same for a flat delivery's invoice, whatever its line ends.
    let e = entrega("planos/completa");
    let crlf: Vec<(String, Vec<u8>)> = e
        .iter()
        .map(|(n, b)| {
            (
                n.clone(),
                String::from_utf8_lossy(b)
                    .replace("\r\n", "\n")
                    .replace('\n', "\r\n")
                    .into_bytes(),
            )
        })
        .collect();
    let a: Vec<String> = parse_planos(&e)
        .expect("completa")
        .iter()
        .map(RipsPlano::contenido)
        .collect();
    let b: Vec<String> = parse_planos(&crlf)
        .expect("completa, CRLF")
        .iter()
        .map(RipsPlano::contenido)
        .collect();
    assert_eq!(a, b);
}

#[test]
fn an_empty_rips_is_an_error_naming_the_file() {
    let vacio = r#"{"numDocumentoIdObligado": "900000001", "numFactura": "FE2001", "usuarios": []}"#;
    assert_eq!(
        errores_json(vacio),
        vec!["rips.json, usuarios: la lista de usuarios está vacía: se espera al menos un usuario con sus servicios"]
    );
    // A flat delivery with an empty US, and an invoice no service line names.
    let mut e = con("US000123.txt", b"");
    e.retain(|(n, _)| !n.starts_with("CT"));
    assert!(
        errores_de(&e).contains(
            &"US000123.txt: el archivo de usuarios está vacío: se espera una línea por usuario atendido".to_string()
        ),
        "{:?}",
        errores_de(&e)
    );
    let solo_af: Vec<(String, Vec<u8>)> = entrega("planos/completa")
        .into_iter()
        .filter(|(n, _)| n.starts_with("AF"))
        .collect();
    assert_eq!(
        errores_de(&solo_af),
        vec![
            "AF000123.txt, línea 1, número factura: la factura 'FE1001' no trae servicios: se espera al menos una línea \
             suya en AC, AP, AU, AH, AN, AM o AT",
            "AF000123.txt, línea 2, número factura: la factura 'FE1002' no trae servicios: se espera al menos una línea \
             suya en AC, AP, AU, AH, AN, AM o AT",
        ]
    );
}

#[test]
fn a_notes_rips_keeps_the_note() {
    let nota = completo()
        .replace("\"tipoNota\": null", "\"tipoNota\": \"NC\"")
        .replace("\"numNota\": null", "\"numNota\": \"NC-7\"");
    let r = parse_json(nota.as_bytes(), "nota.json").expect("nota");
    assert_eq!(
        (r.tipo_nota.as_deref(), r.num_nota.as_deref()),
        (Some("NC"), Some("NC-7"))
    );
    let factura = parse_json(completo().as_bytes(), "f.json").expect("factura");
    assert_ne!(r.contenido(), factura.contenido(), "a note's RIPS is not the invoice's");
    // One without the other names nothing.
    let media = completo().replace("\"tipoNota\": null", "\"tipoNota\": \"ND\"");
    assert_eq!(
        errores_json(&media),
        vec!["rips.json, numNota: falta el número de la nota: el RIPS de una nota (tipoNota) debe traer numNota"]
    );
}
