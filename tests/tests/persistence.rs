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

fn eventos_prestador(c: &mut trazo::db::AnyConnection, factura_id: &str) -> String {
    use diesel::prelude::*;
    use trazo::db::schema::facturas;
    facturas::table
        .filter(facturas::id.eq(factura_id))
        .select(facturas::prestador_id)
        .first(c)
        .unwrap()
}
