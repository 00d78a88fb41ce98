use std::str::FromStr;

use rust_decimal::Decimal;

use super::*;
use crate::error::Ubicacion;

fn fixture(nombre: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/fixtures/bancos/{nombre}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn perfil(nombre: &str) -> PerfilBanco {
    let texto =
        std::fs::read_to_string(format!("{}/../config/bancos/{nombre}.toml", env!("CARGO_MANIFEST_DIR"))).unwrap();
    PerfilBanco::leer(&texto, nombre).unwrap()
}

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

#[test]
fn every_shipped_bank_profile_reads() {
    let dir = format!("{}/../config/bancos", env!("CARGO_MANIFEST_DIR"));
    let mut n = 0;
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        let t = std::fs::read_to_string(&p).unwrap();
        assert!(
            t.contains("Verified:") && t.contains("Assumed:"),
            "{p:?} must say what is verified"
        );
        PerfilBanco::leer(&t, &p.to_string_lossy()).unwrap_or_else(|e| panic!("{p:?}: {e:?}"));
        n += 1;
    }
    assert!(n >= 5);
}

#[test]
fn a_camt053_gives_its_booked_credits_with_payer_and_remittance() {
    let x = camt053(&fixture("camt053-marzo.xml"), "marzo.xml").unwrap();
    assert_eq!(x.cuenta.as_deref(), Some("12345678901"));
    // The debit and the pending credit are left out; the debit is counted.
    assert_eq!(x.debitos, 1);
    assert_eq!(x.movimientos.len(), 3);
    let m = &x.movimientos[0];
    assert_eq!(m.posicion, "Ntry[1]");
    assert_eq!(m.valor, d("3450000"));
    assert_eq!(m.fecha.to_string(), "2026-03-10");
    assert_eq!(m.fecha_valor.map(|f| f.to_string()).as_deref(), Some("2026-03-10"));
    assert_eq!(m.referencia, "TRF-88812");
    assert_eq!(m.nit_tercero, "800251440-6");
    assert_eq!(m.nombre_tercero, "EPS SANITAS S.A.S.");
    assert!(m.descripcion.contains("FE-1203 Y FE-1204"), "{}", m.descripcion);
    // A DtTm booking date is its civil date; two identical entries stay two.
    assert_eq!(x.movimientos[1].fecha.to_string(), "2026-03-15");
    assert_eq!(
        x.movimientos[2],
        Movimiento {
            posicion: "Ntry[5]".into(),
            ..x.movimientos[1].clone()
        }
    );
    assert_eq!(
        x.periodo().map(|(a, b)| (a.to_string(), b.to_string())),
        Some(("2026-03-10".into(), "2026-03-15".into()))
    );
}

#[test]
fn a_camt053_of_version_8_has_the_debtor_inside_pty() {
    let x = leer(&fixture("camt053-v8.xml"), "v8.xml", None).unwrap();
    assert_eq!(x.cuenta.as_deref(), Some("CO00TEST0000000000000001"));
    let m = &x.movimientos[0];
    assert_eq!(
        (m.nit_tercero.as_str(), m.nombre_tercero.as_str()),
        ("900156264", "NUEVA EPS")
    );
    assert_eq!(m.referencia, "REF-V8");
    assert_eq!(m.descripcion, "FACT A-77 | ABONO");
}

fn camt_con_valor(valor: &str, moneda: &str) -> String {
    format!(
        r#"<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><Stmt>
        <Ntry><Amt Ccy="COP">10.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2026-03-01</Dt></BookgDt></Ntry>
        <Ntry><Amt Ccy="{moneda}">{valor}</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2026-03-02</Dt></BookgDt></Ntry>
        </Stmt></BkToCstmrStmt></Document>"#
    )
}

#[test]
fn a_bad_amount_of_a_camt053_names_its_element() {
    let e = camt053(camt_con_valor("1.000,50", "COP").as_bytes(), "x.xml").unwrap_err();
    assert_eq!(e.len(), 1);
    assert_eq!(
        e[0].ubicacion,
        Ubicacion::XPath("/Document/BkToCstmrStmt/Stmt/Ntry[2]/Amt".into())
    );
    assert!(
        e[0].to_string()
            .starts_with("x.xml, /Document/BkToCstmrStmt/Stmt/Ntry[2]/Amt, Amt:"),
        "{}",
        e[0]
    );
    let e = camt053(camt_con_valor("1000.505", "COP").as_bytes(), "x.xml").unwrap_err();
    assert!(e[0].mensaje.contains("fracciones de centavo"), "{}", e[0]);
    let e = camt053(camt_con_valor("1000.00", "USD").as_bytes(), "x.xml").unwrap_err();
    assert!(e[0].mensaje.contains("COP"), "{}", e[0]);
}

#[test]
fn a_file_that_is_not_a_statement_says_what_was_expected() {
    let e = camt053(
        b"<Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\"/>",
        "f.xml",
    )
    .unwrap_err();
    assert!(e[0].mensaje.contains("camt.053"), "{}", e[0]);
    let e = leer(b"a;b\n1;2\n", "x.csv", None).unwrap_err();
    assert!(e[0].mensaje.contains("perfil"), "{}", e[0]);
    // A DOCTYPE (entity expansion) is refused like in DIAN documents.
    let bomba = b"<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY a \"aaaa\">]><Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt/></Document>";
    assert!(camt053(bomba, "b.xml").is_err());
}

#[test]
fn a_signed_csv_keeps_credits_and_counts_debits() {
    let x = hoja(&fixture("bancolombia.csv"), "b.csv", &perfil("bancolombia")).unwrap();
    assert_eq!(x.debitos, 1);
    assert_eq!(x.movimientos.len(), 2);
    let m = &x.movimientos[0];
    assert_eq!(m.posicion, "fila 4");
    assert_eq!(m.valor, d("3450000"));
    assert_eq!(m.referencia, "TRF-88812");
    assert!(m.descripcion.contains("NIT 800251440"));
}

#[test]
fn a_two_column_csv_reads_credits_with_the_originator() {
    let x = hoja(&fixture("davivienda.csv"), "d.csv", &perfil("davivienda")).unwrap();
    assert_eq!((x.movimientos.len(), x.debitos), (1, 1));
    let m = &x.movimientos[0];
    assert_eq!(
        (m.nit_tercero.as_str(), m.nombre_tercero.as_str()),
        ("800251440", "EPS SANITAS")
    );
    assert_eq!(m.valor, d("3450000"));
}

#[test]
fn a_bad_amount_of_a_sheet_names_its_row_cell_and_column() {
    let csv = "FECHA;DESCRIPCIÓN;DCTO.;VALOR\n10/03/2026;ABONO;T-1;1.000,00\n11/03/2026;ABONO;T-2;1000.50\n12/03/2026;ABONO;T-3;5,005\n";
    let e = hoja(csv.as_bytes(), "mal.csv", &perfil("bancolombia")).unwrap_err();
    assert_eq!(e.len(), 2);
    assert_eq!(e[0].ubicacion, Ubicacion::Fila(3));
    assert_eq!(e[0].campo.as_deref(), Some("valor"));
    assert!(
        e[0].mensaje.contains("celda D3") && e[0].mensaje.contains("«VALOR»"),
        "{}",
        e[0]
    );
    assert!(e[1].mensaje.contains("fracciones de centavo"), "{}", e[1]);
}

#[test]
fn a_sheet_without_the_profiles_columns_says_which_it_expected() {
    let e = hoja(b"A;B\n1;2\n", "x.csv", &perfil("davivienda")).unwrap_err();
    assert!(
        e[0].mensaje.contains("credito") && e[0].mensaje.contains("Davivienda"),
        "{}",
        e[0]
    );
}

#[test]
fn a_row_with_credit_and_debit_or_a_bad_date_is_refused() {
    let csv = "Fecha,Referencia,Descripcion,Debitos,Creditos\n2026-03-10,T1,X,5.00,7.00\n31/02/2026,T2,X,,7.00\n";
    let e = hoja(csv.as_bytes(), "x.csv", &perfil("davivienda")).unwrap_err();
    assert_eq!(e.len(), 2);
    assert!(e[0].mensaje.contains("crédito y débito"), "{}", e[0]);
    assert_eq!(e[1].campo.as_deref(), Some("fecha"));
}

#[test]
fn a_profile_without_an_amount_column_is_refused() {
    let e = PerfilBanco::leer(
        "nombre = \"X\"\nbanco = \"X\"\nformato_valor = \"1234567.89\"\n[columnas]\nfecha = [\"F\"]\n",
        "x.toml",
    )
    .unwrap_err();
    assert!(e[0].to_string().contains("valor"), "{e:?}");
    let e = PerfilBanco::leer(
        "nombre = \"X\"\nbanco = \"X\"\nformato_valor = \"1,5\"\n[columnas]\nfecha = [\"F\"]\nvalor=[\"V\"]\n",
        "x.toml",
    )
    .unwrap_err();
    assert!(e[0].to_string().contains("formato_valor"), "{e:?}");
}
