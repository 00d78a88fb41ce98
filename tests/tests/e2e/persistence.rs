//! What the database itself guarantees, on the backend the suite runs on.

use diesel::connection::SimpleConnection;
use serde_json::json;
use trazo::domain::rol::Rol;
use trazo_tests::TestApp;

#[test]
fn events_cannot_be_edited_or_deleted_even_with_sql() {
    let app = TestApp::spawn();
    let t = app.tenant();
    let tok = app.user(&t, Rol::Facturacion);
    let pid = app.pagador(&t.admin, "otro")["id"].as_str().unwrap().to_string();
    let f = app
        .post(
            "/api/v1/facturas",
            &tok,
            &json!({"numero": "EV-1", "pagador_id": pid, "fecha_expedicion": "2026-11-02", "valor_total": "1.00"}),
        )
        .expect(201)
        .json();
    let id = f["id"].as_str().unwrap();
    let db = trazo::db::Db::connect(&app.database_url, 1).unwrap();
    let mut c = db.conn().unwrap();
    let prestador = eventos_prestador(&mut c, id);
    let eventos = trazo::db::eventos::de_factura(&mut c, &prestador, id).unwrap();
    assert_eq!(eventos.len(), 1);
    assert_eq!(eventos[0].tipo, "expedida");
    let update = c.batch_execute(&format!("UPDATE eventos SET tipo = 'otro' WHERE factura_id = '{id}'"));
    assert!(update.unwrap_err().to_string().contains("solo inserción"));
    let delete = c.batch_execute(&format!("DELETE FROM eventos WHERE factura_id = '{id}'"));
    assert!(delete.unwrap_err().to_string().contains("solo inserción"));
    assert_eq!(
        trazo::db::eventos::de_factura(&mut c, &eventos[0].prestador_id, id)
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn corrections_cannot_be_edited_or_deleted_even_with_sql() {
    let app = TestApp::spawn();
    let t = app.tenant();
    let pid = app.pagador(&t.admin, "otro")["id"].as_str().unwrap().to_string();
    let pg = app
        .get(&format!("/api/v1/pagadores/{pid}"), &t.admin)
        .expect(200)
        .json();
    app.patch(
        &format!("/api/v1/pagadores/{pid}"),
        &t.admin,
        &json!({"version": pg["version"], "nombre": "Nuevo nombre", "motivo": "razón social"}),
    )
    .expect(200);
    let db = trazo::db::Db::connect(&app.database_url, 1).unwrap();
    let mut c = db.conn().unwrap();
    let update = c.batch_execute(&format!(
        "UPDATE correcciones SET motivo = 'otro' WHERE entidad_id = '{pid}'"
    ));
    assert!(update.unwrap_err().to_string().contains("solo inserción"));
    let delete = c.batch_execute(&format!("DELETE FROM correcciones WHERE entidad_id = '{pid}'"));
    assert!(delete.unwrap_err().to_string().contains("solo inserción"));
    let l = app
        .get(&format!("/api/v1/correcciones?entidad_id={pid}"), &t.admin)
        .expect(200)
        .json();
    assert_eq!(
        (l["total"].as_i64(), l["items"][0]["motivo"].as_str()),
        (Some(1), Some("razón social"))
    );
}

fn eventos_prestador(c: &mut trazo::db::AnyConnection, factura_id: &str) -> String {
    use diesel::prelude::*;
    use trazo::db::schema::facturas;
    facturas::table
        .filter(facturas::id.eq(factura_id))
        .select(facturas::prestador_id)
        .first(c)
        .unwrap()
}

/// A glosa sheet writes the balances of its invoices in batched UPDATEs: each invoice is
/// written only if it is still at the version the import loaded, so a concurrent change is
/// seen (fewer rows written) rather than overwritten.
#[test]
fn batched_balances_are_written_only_at_the_loaded_version() {
    use diesel::prelude::*;
    use trazo::db::facturas::{guardar_saldos, Saldo};
    use trazo::db::schema::facturas;
    let app = TestApp::spawn();
    let e = app.equipo();
    // More than one full batch (64 rows) and a remainder.
    let ids: Vec<String> = (0..70)
        .map(|i| {
            app.factura(&e, &format!("SB-{i}"), "2026-11-02")["id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    let db = trazo::db::Db::connect(&app.database_url, 1).unwrap();
    let mut c = db.conn().unwrap();
    let prestador = eventos_prestador(&mut c, &ids[0]);
    let filas = |version: i32| -> Vec<Saldo> {
        ids.iter()
            .enumerate()
            .map(|(i, id)| Saldo {
                id,
                version,
                estado: "glosada".into(),
                saldo: 10_000 - i as i64,
                en_discusion: i as i64,
            })
            .collect()
    };
    let leer = |c: &mut trazo::db::AnyConnection| -> Vec<(String, String, i64, i64, i32)> {
        facturas::table
            .filter(facturas::prestador_id.eq(&prestador))
            .order(facturas::numero)
            .select((
                facturas::numero,
                facturas::estado,
                facturas::saldo,
                facturas::en_discusion,
                facturas::version,
            ))
            .load(c)
            .unwrap()
    };
    let antes = leer(&mut c);
    let version = antes[0].4;
    assert_eq!(guardar_saldos(&mut c, &prestador, &filas(version)).unwrap(), 70);
    let despues = leer(&mut c);
    let sb7 = despues.iter().find(|f| f.0 == "SB-7").unwrap();
    assert_eq!(sb7, &("SB-7".to_string(), "glosada".to_string(), 9_993, 7, version + 1));
    assert!(despues.iter().all(|f| f.4 == version + 1 && f.1 == "glosada"));

    // The same rows again carry the old version: nothing is written, nothing changes.
    assert_eq!(guardar_saldos(&mut c, &prestador, &filas(version)).unwrap(), 0);
    assert_eq!(leer(&mut c), despues);

    // Another tenant's prestador_id writes nothing on these invoices.
    assert_eq!(
        guardar_saldos(&mut c, "otro-prestador", &filas(version + 1)).unwrap(),
        0
    );
    assert_eq!(leer(&mut c), despues);
}
