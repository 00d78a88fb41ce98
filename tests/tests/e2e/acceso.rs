//! Access that can be withdrawn: the admin disables a user, changes its role or resets its
//! password, and every request is judged by what the database says of its user now.

use serde_json::{json, Value};
use trazo::app::auth::TokenKeys;
use trazo::domain::rol::Rol;
use trazo_tests::{id, TestApp, JWT_SECRET, PASSWORD};

/// The user with this e-mail prefix, as the admin sees it.
fn usuario(app: &TestApp, admin: &str, rol: &str) -> Value {
    app.get("/api/v1/usuarios", admin).expect(200).json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["email"].as_str().unwrap().starts_with(&format!("{rol}-")))
        .cloned()
        .unwrap_or_else(|| panic!("no {rol} user"))
}

#[test]
fn a_disabled_users_token_stops_at_once_and_a_new_role_applies_to_the_old_token() {
    let app = TestApp::spawn();
    let t = app.tenant();
    let token = app.user(&t, Rol::Facturacion);
    let u = usuario(&app, &t.admin, "facturacion");
    let url = format!("/api/v1/usuarios/{}", id(&u));
    let pagador = app.pagador(&t.admin, "eps_contributivo");
    let factura = |n: &str| json!({"numero": n, "pagador_id": id(&pagador), "fecha_expedicion": "2026-01-05", "valor_total": "1000.00"});
    app.post("/api/v1/facturas", &token, &factura("A-1")).expect(201);

    // Only the admin changes users; a stale version and a short password are refused.
    app.patch(&url, &token, &json!({"version": u["version"], "activo": false}))
        .problem(403);
    app.patch(&url, &t.admin, &json!({"version": 99, "activo": false}))
        .problem(409);
    let p = app
        .patch(&url, &t.admin, &json!({"version": u["version"], "password": "corta"}))
        .problem(422);
    assert_eq!(p["errors"][0]["path"], "password");

    let v = app
        .patch(
            &url,
            &t.admin,
            &json!({"version": u["version"], "activo": false, "motivo": "retiro"}),
        )
        .expect(200)
        .json();
    assert_eq!(v["activo"], false);
    // The token issued before is refused on the next request, and the login too.
    let p = app.get("/api/v1/facturas", &token).problem(401);
    assert!(p["detail"].as_str().unwrap().contains("desactivado"), "{p}");
    app.login(u["email"].as_str().unwrap(), PASSWORD).problem(401);

    // Back, as cartera: the same token now acts with the new role.
    let v = app
        .patch(
            &url,
            &t.admin,
            &json!({"version": v["version"], "activo": true, "rol": "cartera"}),
        )
        .expect(200)
        .json();
    let p = app.post("/api/v1/facturas", &token, &factura("A-2")).problem(403);
    assert!(p["detail"].as_str().unwrap().contains("'cartera'"), "{p}");

    // A password reset: the new one opens, the old one does not.
    app.patch(
        &url,
        &t.admin,
        &json!({"version": v["version"], "password": "otra-clave-segura-2"}),
    )
    .expect(200);
    app.login(u["email"].as_str().unwrap(), PASSWORD).problem(401);
    app.login(u["email"].as_str().unwrap(), "otra-clave-segura-2")
        .expect(200);

    // The admin cannot lock itself out.
    let yo = usuario(&app, &t.admin, "admin");
    let p = app
        .patch(
            &format!("/api/v1/usuarios/{}", id(&yo)),
            &t.admin,
            &json!({"version": yo["version"], "activo": false}),
        )
        .problem(409);
    assert!(p["detail"].as_str().unwrap().contains("a sí mismo"), "{p}");

    // Each change is kept, without the password.
    let l = app
        .get("/api/v1/correcciones?entidad=usuario", &t.admin)
        .expect(200)
        .json();
    assert_eq!(l["total"], 3, "{l}");
    let texto = l.to_string();
    assert!(!texto.contains("argon2") && !texto.contains("otra-clave"), "{texto}");
    assert_eq!(l["items"][0]["despues"]["password_restablecida"], true);
}

#[test]
fn a_token_for_a_user_that_does_not_exist_or_of_another_prestador_is_401() {
    let app = TestApp::spawn();
    let t = app.tenant();
    let keys = TokenKeys::from_secret(JWT_SECRET.as_bytes(), 3600);
    let fantasma = keys.issue("no-existe", "tampoco", Rol::Admin).unwrap();
    let p = app
        .post(
            "/api/v1/pagadores",
            &fantasma,
            &json!({"nit": "900123456", "nombre": "X", "tipo": "eps_contributivo"}),
        )
        .problem(401);
    assert!(p["detail"].as_str().unwrap().contains("ya no existe"), "{p}");
    // A real user's id under another prestador: refused, never acting elsewhere.
    let u = usuario(&app, &t.admin, "admin");
    let mezclado = keys.issue(&id(&u), "otro-prestador", Rol::Admin).unwrap();
    let p = app.get("/api/v1/usuarios", &mezclado).problem(401);
    assert!(p["detail"].as_str().unwrap().contains("prestador"), "{p}");
}

#[test]
fn another_prestadors_payer_is_404_before_any_configuration_error_and_emails_in_use_are_not_told() {
    let app = TestApp::spawn();
    let a = app.tenant();
    let b = app.tenant();
    let ajeno = app.pagador(&b.admin, "eps_contributivo");
    let cartera = app.user(&a, Rol::Cartera);
    // The test servers have no mail server: still, whose payer it is is answered first.
    app.post(
        &format!("/api/v1/pagadores/{}/recordatorios", id(&ajeno)),
        &cartera,
        &json!({}),
    )
    .problem(404);
    // An e-mail used in another prestador gets the same answer as one used here.
    let de_b = usuario(&app, &b.admin, "admin");
    let correo = de_b["email"].as_str().unwrap();
    let p = app
        .post(
            "/api/v1/usuarios",
            &a.admin,
            &json!({"email": correo, "nombre": "X", "rol": "cartera", "password": PASSWORD}),
        )
        .problem(409);
    let detalle = p["detail"].as_str().unwrap();
    assert!(
        detalle.contains("no está disponible") && !detalle.contains("existe"),
        "{p}"
    );
}
