//! A payer's remittance (payment sheet) books money only on that payer's invoices.

use serde_json::json;
use trazo_tests::{id, TestApp};

#[test]
fn a_row_for_another_payers_invoice_is_refused_naming_both_payers() {
    let app = TestApp::spawn_el("2026-06-30");
    let e = app.equipo();
    let st1 = id(&app.factura(&e, "ST-1", "2026-05-04"));
    let st2 = id(&app.factura(&e, "ST-2", "2026-05-04"));
    app.radicar(&e, &st1, "R-1", "2026-05-06");
    app.radicar(&e, &st2, "R-2", "2026-05-06");
    let adres = app.pagador(&e.tenant.admin, "adres");
    let ad = id(&app
        .post(
            "/api/v1/facturas",
            &e.facturacion,
            &json!({"numero": "AD-1", "pagador_id": id(&adres), "fecha_expedicion": "2026-05-04", "valor_total": "500000.00"}),
        )
        .expect(201)
        .json());
    app.radicar(&e, &ad, "R-3", "2026-05-06");
    // The EPS's remittance, with one row for the ADRES invoice.
    let hoja = "numero_factura,valor,fecha,referencia\n\
                ST-1,100000,2026-06-20,TRF-77\n\
                AD-1,50000,2026-06-20,TRF-77\n\
                ST-2,100000,2026-06-20,TRF-77\n";
    let v = app.importar(
        &e.finanzas,
        "tipo=pagos_xlsx&archivo=remesa.csv",
        "text/csv",
        hoja.as_bytes(),
    );
    assert_eq!(v["estado"], "rechazada", "{v}");
    let errores = v["errores"].as_array().unwrap();
    assert_eq!(errores.len(), 1, "{v}");
    let m = errores[0]["message"].as_str().unwrap();
    assert!(
        m.contains("AD-1") && m.contains("Pagador adres") && m.contains("EPS de prueba"),
        "{m}"
    );
    assert_eq!(
        (errores[0]["row"].as_i64(), errores[0]["archivo"].as_str()),
        (Some(3), Some("remesa.csv"))
    );
    // Nothing was booked on either payer.
    assert_eq!(app.get("/api/v1/pagos", &e.finanzas).expect(200).json()["total"], 0);
    for f in [&st1, &st2, &ad] {
        assert_eq!(app.ver_factura(&e.cartera, f)["estado"], "radicada");
    }
    // Without that row the remittance lands on the EPS's invoices.
    let hoja = "numero_factura,valor,fecha,referencia\nST-1,100000,2026-06-20,TRF-77\nST-2,100000,2026-06-20,TRF-77\n";
    let v = app.importar(
        &e.finanzas,
        "tipo=pagos_xlsx&archivo=remesa-corregida.csv",
        "text/csv",
        hoja.as_bytes(),
    );
    assert_eq!(
        (v["estado"].as_str(), v["creados"].as_i64()),
        (Some("terminada"), Some(2)),
        "{v}"
    );
}
