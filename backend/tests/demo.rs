//! `trazo demo` loads a data set that shows every state of an invoice and every alert kind.

use std::collections::BTreeSet;

use diesel::prelude::*;
use trazo::app::{demo, reportes, Actor};
use trazo::db::{schema, Db};
use trazo::domain::factura::EstadoFactura;
use trazo::domain::rol::Rol;
use trazo::domain::terminos::Terminos;

#[test]
fn the_demo_covers_every_state_and_every_alert() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::connect(&dir.path().join("demo.db").to_string_lossy(), 2).unwrap();
    let hoy: chrono::NaiveDate = "2026-11-23".parse().unwrap();
    let r = demo::cargar(&db, &Terminos::por_defecto(), hoy).unwrap();
    assert_eq!((r.facturas, r.pagadores), (demo::FACTURAS_DEMO, 8));
    assert!(r.facturas >= 300);

    let mut c = db.conn().unwrap();
    let estados: BTreeSet<String> = schema::facturas::table
        .select(schema::facturas::estado)
        .distinct()
        .load::<String>(&mut c)
        .unwrap()
        .into_iter()
        .collect();
    let todos: BTreeSet<String> = EstadoFactura::ALL.iter().map(|e| e.as_str().to_string()).collect();
    assert_eq!(estados, todos, "every state of the life cycle");
    let tipos: BTreeSet<String> = schema::pagadores::table
        .select(schema::pagadores::tipo)
        .distinct()
        .load::<String>(&mut c)
        .unwrap()
        .into_iter()
        .collect();
    assert!(tipos.len() >= 6, "{tipos:?}");
    let con_items = schema::factura_items::table
        .select(schema::factura_items::factura_id)
        .distinct()
        .load::<String>(&mut c)
        .unwrap();
    assert_eq!(con_items.len(), r.facturas, "every invoice has lines");

    let (prestador_id, usuario_id): (String, String) = schema::usuarios::table
        .filter(schema::usuarios::email.eq("cartera@demo.trazo"))
        .select((schema::usuarios::prestador_id, schema::usuarios::id))
        .first(&mut c)
        .unwrap();
    let actor = Actor {
        usuario_id,
        prestador_id,
        rol: Rol::Cartera,
    };
    let alertas = reportes::alertas(&db, &Terminos::por_defecto(), &actor, 5, hoy).unwrap();
    let kinds: BTreeSet<String> = alertas
        .items
        .iter()
        .map(|a| serde_json::to_value(a.tipo).unwrap().as_str().unwrap().to_string())
        .collect();
    let esperadas: BTreeSet<String> = [
        "glosa_por_responder",
        "glosa_vencida",
        "glosa_extemporanea",
        "radicacion_por_vencer",
        "decision_vencida",
        "subsanacion_por_vencer",
        "devolucion_por_responder",
        "devolucion_extemporanea",
        "nota_credito_pendiente",
        "devolucion_injustificada",
        "pago_anticipo_vencido",
        "pago_vencido",
    ]
    .map(String::from)
    .into();
    assert_eq!(kinds, esperadas);
}
