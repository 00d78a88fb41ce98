//! The web application's sessions and forms over plain HTTP, on both backends (the browser
//! journeys, on the embedded SQLite, are `backend/tests/navegador/`): the cookie and headers a
//! page carries, the lock-out shared with the API, CSRF, sessions closed by sign-out and by
//! disabling the user, and a glosa reviewed (nothing written) then registered with the same
//! due date.

use std::collections::HashMap;

use serde_json::{json, Value};
use trazo_tests::{id, TestApp};

const CLAVE: &str = "una-clave-de-prueba";

/// A browser without a browser: no redirects followed, the session cookie kept by hand.
struct Cliente<'a> {
    app: &'a TestApp,
    agente: ureq::Agent,
    cookie: Option<String>,
}

struct Pagina {
    status: u16,
    cabeceras: HashMap<String, String>,
    cuerpo: String,
}

impl Pagina {
    fn cabecera(&self, k: &str) -> &str {
        self.cabeceras.get(k).map(String::as_str).unwrap_or_default()
    }

    /// The value of the first `<input name=...>` of the page.
    fn campo(&self, nombre: &str) -> String {
        let marca = format!("name=\"{nombre}\" value=\"");
        let i = self
            .cuerpo
            .find(&marca)
            .unwrap_or_else(|| panic!("no {nombre} in {}", self.cuerpo))
            + marca.len();
        self.cuerpo[i..].split('"').next().unwrap().to_string()
    }
}

impl<'a> Cliente<'a> {
    fn new(app: &'a TestApp) -> Self {
        Cliente {
            app,
            agente: ureq::AgentBuilder::new().redirects(0).build(),
            cookie: None,
        }
    }

    fn pedir(&mut self, metodo: &str, ruta: &str, form: Option<&str>, extra: &[(&str, &str)]) -> Pagina {
        let mut r = self.agente.request(metodo, &format!("{}{ruta}", self.app.base));
        if let Some(c) = &self.cookie {
            r = r.set("Cookie", &format!("trazo_sesion={c}"));
        }
        for (k, v) in extra {
            r = r.set(k, v);
        }
        let r = match form {
            Some(f) => r
                .set("Content-Type", "application/x-www-form-urlencoded")
                .send_string(f),
            None => r.call(),
        };
        let r = match r {
            Ok(r) => r,
            Err(ureq::Error::Status(_, r)) => r,
            Err(e) => panic!("{metodo} {ruta}: {e}"),
        };
        let mut cabeceras = HashMap::new();
        for h in r.headers_names() {
            if h == "set-cookie" {
                for v in r.all(&h) {
                    if let Some(valor) = v.strip_prefix("trazo_sesion=") {
                        let valor = valor.split(';').next().unwrap_or_default();
                        self.cookie = (!valor.is_empty()).then(|| valor.to_string());
                    }
                    cabeceras.insert(format!("set-cookie:{}", v.split('=').next().unwrap()), v.to_string());
                }
            } else if let Some(v) = r.header(&h) {
                cabeceras.insert(h.clone(), v.to_string());
            }
        }
        let status = r.status();
        let cuerpo = r.into_string().unwrap_or_default();
        Pagina {
            status,
            cabeceras,
            cuerpo,
        }
    }

    fn ingresar(&mut self, email: &str, clave: &str) -> Pagina {
        let f = format!(
            "email={}&password={}&siguiente=%2Ffacturas",
            form_urlencoded::byte_serialize(email.as_bytes()).collect::<String>(),
            form_urlencoded::byte_serialize(clave.as_bytes()).collect::<String>()
        );
        self.pedir("POST", "/ingresar", Some(&f), &[])
    }
}

/// A user of the tenant whose e-mail and password the test knows.
fn usuario(app: &TestApp, admin: &str, rol: &str) -> (String, String) {
    let email = format!("{rol}-web-{}@prueba.trazo", uuid::Uuid::now_v7().simple());
    let u = app
        .post(
            "/api/v1/usuarios",
            admin,
            &json!({"email": email, "nombre": "Ana Web", "rol": rol, "password": CLAVE}),
        )
        .expect(201)
        .json();
    (email, id(&u))
}

#[test]
fn a_session_is_a_hardened_cookie_that_sign_out_and_disabling_end() {
    let app = TestApp::spawn();
    let e = app.equipo();
    let (email, uid) = usuario(&app, &e.tenant.admin, "cartera");
    let mut c = Cliente::new(&app);

    // Not signed in: to the sign-in page, which is itself under the strict policy.
    let p = c.pedir("GET", "/", None, &[]);
    assert_eq!(p.status, 303);
    assert_eq!(p.cabecera("location"), "/ingresar?siguiente=%2F");
    let p = c.pedir("GET", "/ingresar", None, &[]);
    assert_eq!(p.status, 200);
    assert!(p.cabecera("content-security-policy").contains("script-src 'self'"));
    assert!(p.cabecera("content-security-policy").contains("frame-ancestors 'none'"));
    assert_eq!(p.cabecera("cache-control"), "no-store");

    // A wrong password: the API's words, no cookie.
    let p = c.ingresar(&email, "equivocada");
    assert_eq!(p.status, 401);
    assert!(p.cuerpo.contains("Correo o contraseña incorrectos"), "{}", p.cuerpo);
    assert!(c.cookie.is_none());

    let p = c.ingresar(&email, CLAVE);
    assert_eq!(p.status, 303);
    assert_eq!(p.cabecera("location"), "/facturas");
    let galleta = p.cabecera("set-cookie:trazo_sesion").to_string();
    assert!(
        galleta.contains("HttpOnly") && galleta.contains("SameSite=Lax"),
        "{galleta}"
    );
    assert!(
        !galleta.contains("Secure"),
        "off by default for http://localhost: {galleta}"
    );
    let p = c.pedir("GET", "/facturas", None, &[]);
    assert_eq!(p.status, 200);
    assert!(p.cuerpo.contains("<h1>Facturas</h1>"));
    // /api/v1 stays Bearer-only: the cookie opens nothing there.
    let p = c.pedir("GET", "/api/v1/facturas", None, &[]);
    assert_eq!(p.status, 401);

    // Sign-out needs the form's token; with it the session ends for good.
    let csrf = c.pedir("GET", "/facturas", None, &[]).campo("csrf");
    assert_eq!(c.pedir("POST", "/salir", Some(""), &[]).status, 403);
    assert_eq!(
        c.pedir(
            "POST",
            "/salir",
            Some(&format!("csrf={csrf}")),
            &[("Origin", "http://evil.example")]
        )
        .status,
        403
    );
    let vieja = c.cookie.clone();
    let p = c.pedir("POST", "/salir", Some(&format!("csrf={csrf}")), &[]);
    assert_eq!((p.status, p.cabecera("location")), (303, "/ingresar?salio=1"));
    c.cookie = vieja;
    assert_eq!(c.pedir("GET", "/facturas", None, &[]).status, 303);

    // A user disabled by the admin loses an open session at once.
    c.ingresar(&email, CLAVE);
    assert_eq!(c.pedir("GET", "/facturas", None, &[]).status, 200);
    let u = app
        .get(&format!("/api/v1/usuarios/{uid}"), &e.tenant.admin)
        .expect(200)
        .json();
    app.patch(
        &format!("/api/v1/usuarios/{uid}"),
        &e.tenant.admin,
        &json!({"version": u["version"], "activo": false, "motivo": "retiro"}),
    )
    .expect(200);
    let p = c.pedir("GET", "/facturas", None, &[]);
    assert_eq!(p.status, 303);
    assert!(p.cabecera("location").starts_with("/ingresar"));
}

#[test]
fn the_lock_out_is_the_apis_and_the_cookie_is_secure_when_configured() {
    let app = TestApp::con(|s| {
        s.auth.login_attempts_per_minute = 2;
        s.auth.cookie_segura = true;
    });
    let e = app.equipo();
    let (email, _) = usuario(&app, &e.tenant.admin, "finanzas");
    let mut c = Cliente::new(&app);
    for _ in 0..2 {
        assert_eq!(c.ingresar(&email, "equivocada").status, 401);
    }
    let p = c.ingresar(&email, CLAVE);
    assert!(p.cuerpo.contains("Demasiados intentos fallidos"), "{}", p.cuerpo);
    assert!(c.cookie.is_none());
    // The API counts the same failures.
    app.login(&email, CLAVE).problem(429);

    let (otro, _) = usuario(&app, &e.tenant.admin, "auditor");
    let p = c.ingresar(&otro, CLAVE);
    assert!(p.cabecera("set-cookie:trazo_sesion").contains("Secure"));
}

#[test]
fn a_glosa_reviewed_writes_nothing_and_registered_keeps_the_due_date_shown() {
    let app = TestApp::spawn_el("2026-06-30");
    let e = app.equipo();
    let (email, _) = usuario(&app, &e.tenant.admin, "cartera");
    let f = app
        .post(
            "/api/v1/facturas",
            &e.facturacion,
            &json!({"numero": "WEB-1", "pagador_id": e.pagador_id, "fecha_expedicion": "2026-06-01", "valor_total": "500000.00"}),
        )
        .expect(201)
        .json();
    app.radicar(&e, &id(&f), "RAD-W1", "2026-06-02");
    let mut c = Cliente::new(&app);
    c.ingresar(&email, CLAVE);
    let ruta = format!("/facturas/{}/glosas/nueva", id(&f));
    let csrf = c.pedir("GET", &ruta, None, &[]).campo("csrf");
    // Received on Friday 2026-06-19: 15 días hábiles (Ley 1438/2011 art. 57) skip Monday
    // 29 June (San Pedro y San Pablo) and Monday 13 July (Chiquinquirá, Ley 2578/2026), and
    // end on Tuesday 2026-07-14.
    let form = |accion: &str| {
        format!(
            "csrf={csrf}&accion={accion}&codigo=FA0101&valor=120.000&item=&fecha_formulacion=2026-06-18&fecha_recepcion=2026-06-19&observacion="
        )
    };
    let p = c.pedir(
        "POST",
        &format!("/facturas/{}/glosas", id(&f)),
        Some(&form("revisar")),
        &[],
    );
    assert_eq!(p.status, 200);
    assert!(
        p.cuerpo.contains("La respuesta vence el <strong>14/07/2026</strong>"),
        "{}",
        p.cuerpo
    );
    let ver = || app.ver_factura(&e.cartera, &id(&f));
    assert_eq!(ver()["glosas"], json!([]), "a review writes nothing");

    let p = c.pedir(
        "POST",
        &format!("/facturas/{}/glosas", id(&f)),
        Some(&form("registrar")),
        &[],
    );
    assert_eq!(p.status, 303);
    let v: Value = ver();
    assert_eq!(v["glosas"][0]["fecha_limite_respuesta"], "2026-07-14");
    assert_eq!(v["glosas"][0]["valor"], "120000.00");

    // An amount that is not one comes back beside its field, the rest kept.
    let malo = format!(
        "csrf={csrf}&accion=registrar&codigo=FA0101&valor=doce&item=&fecha_formulacion=2026-06-18&fecha_recepcion=2026-06-19&observacion=sin+soporte"
    );
    let p = c.pedir("POST", &format!("/facturas/{}/glosas", id(&f)), Some(&malo), &[]);
    assert_eq!(p.status, 422);
    assert!(p.cuerpo.contains("doce&#39; no es un valor en pesos"), "{}", p.cuerpo);
    assert!(p.cuerpo.contains(">sin soporte</textarea>"));
    assert_eq!(ver()["glosas"].as_array().unwrap().len(), 1);
}

#[test]
fn the_payers_decision_and_its_anulacion_from_the_web_refuse_other_roles_and_prestadores() {
    let app = TestApp::spawn_el("2026-07-31");
    let e = app.equipo();
    let f = app.factura(&e, "WEB-D1", "2026-06-01");
    let fid = id(&f);
    app.radicar(&e, &fid, "RAD-D1", "2026-06-02");
    let g = app
        .glosar(&e, &fid, &trazo_tests::Glosa::new("FA0101", "200000.00", "2026-06-19"))
        .expect(201)
        .json();
    let gid = id(&g);
    app.post(
        &format!("/api/v1/glosas/{gid}/respuestas"),
        &e.cartera,
        &json!({"codigo": "RE9801", "valor_aceptado": "50000.00", "valor_sustentado": "150000.00",
                "justificacion": "soportes", "fecha": "2026-07-01"}),
    )
    .expect(201);
    let glosa = || app.get(&format!("/api/v1/glosas/{gid}"), &e.cartera).expect(200).json();

    // Cartera records the payer's decision: a value the decision cannot have comes back
    // beside its field with the use case's words and what was typed; then it is recorded.
    let (email, _) = usuario(&app, &e.tenant.admin, "cartera");
    let mut c = Cliente::new(&app);
    c.ingresar(&email, CLAVE);
    let p = c.pedir("GET", &format!("/facturas/{fid}"), None, &[]);
    assert!(p.cuerpo.contains(&format!("/glosas/{gid}/decidir")), "{}", p.cuerpo);
    let csrf = p.campo("csrf");
    let decidir = |v: &str| format!("csrf={csrf}&resultado=parcial&valor_levantado={v}&fecha=2026-07-10");
    let p = c.pedir(
        "POST",
        &format!("/glosas/{gid}/decision"),
        Some(&decidir("150.000")),
        &[],
    );
    assert_eq!(p.status, 422);
    assert!(
        p.cuerpo.contains("parcial: el valor levantado debe estar entre 0 y"),
        "{}",
        p.cuerpo
    );
    assert!(p.cuerpo.contains("value=\"150.000\""), "{}", p.cuerpo);
    assert_eq!(glosa()["estado"], "respondida");
    let p = c.pedir(
        "POST",
        &format!("/glosas/{gid}/decision"),
        Some(&decidir("100.000")),
        &[],
    );
    assert_eq!(
        (p.status, p.cabecera("location")),
        (303, format!("/facturas/{fid}").as_str())
    );
    assert_eq!(glosa()["estado"], "ratificada");
    assert_eq!(glosa()["valor_levantado"], "100000.00");

    // The auditor sees no correction and a hand-made post is refused by the use case.
    let (aud, _) = usuario(&app, &e.tenant.admin, "auditor");
    let mut a = Cliente::new(&app);
    a.ingresar(&aud, CLAVE);
    let p = a.pedir("GET", &format!("/facturas/{fid}"), None, &[]);
    assert!(
        !p.cuerpo.contains("/anulacion") && !p.cuerpo.contains("/decidir"),
        "{}",
        p.cuerpo
    );
    let csrf_a = p.campo("csrf");
    let motivo = |csrf: &str| format!("csrf={csrf}&motivo=la+decisi%C3%B3n+era+de+otra+glosa");
    assert_eq!(
        a.pedir("GET", &format!("/glosas/{gid}/decisiones/anulacion"), None, &[])
            .status,
        403
    );
    for ruta in [
        format!("/glosas/{gid}/decisiones/anulacion"),
        format!("/glosas/{gid}/anulacion"),
        format!("/facturas/{fid}/radicaciones/anulacion"),
    ] {
        let p = a.pedir("POST", &ruta, Some(&motivo(&csrf_a)), &[]);
        assert_eq!(p.status, 403, "{ruta}: {}", p.cuerpo);
    }
    assert_eq!(glosa()["estado"], "ratificada");

    // Another prestador's cartera: its glosa does not exist for them, on the forms and posts.
    let otro = app.equipo();
    let (email_o, _) = usuario(&app, &otro.tenant.admin, "cartera");
    let mut o = Cliente::new(&app);
    o.ingresar(&email_o, CLAVE);
    let csrf_o = o.pedir("GET", "/facturas", None, &[]).campo("csrf");
    for ruta in ["decidir", "conciliar", "decisiones/anulacion", "anulacion"] {
        let p = o.pedir("GET", &format!("/glosas/{gid}/{ruta}"), None, &[]);
        assert_eq!(p.status, 404, "{ruta}");
    }
    for (ruta, cuerpo) in [
        ("decisiones/anulacion", motivo(&csrf_o)),
        ("anulacion", motivo(&csrf_o)),
        (
            "decision",
            format!("csrf={csrf_o}&resultado=levantada&valor_levantado=&fecha=2026-07-10"),
        ),
    ] {
        let p = o.pedir("POST", &format!("/glosas/{gid}/{ruta}"), Some(&cuerpo), &[]);
        assert_eq!(p.status, 404, "{ruta}: {}", p.cuerpo);
    }
    assert_eq!(glosa()["estado"], "ratificada");

    // An empty reason comes back beside its field; with one, the decision is reversed by an
    // event (the glosa waits for the payer again) and the trazabilidad keeps both.
    let ruta = format!("/glosas/{gid}/decisiones/anulacion");
    let p = c.pedir("POST", &ruta, Some(&format!("csrf={csrf}&motivo=+++")), &[]);
    assert_eq!(p.status, 422);
    assert!(p.cuerpo.contains("se espera el motivo"), "{}", p.cuerpo);
    let p = c.pedir("POST", &ruta, Some(&motivo(&csrf)), &[]);
    assert_eq!(
        (p.status, p.cabecera("location")),
        (303, format!("/facturas/{fid}").as_str())
    );
    assert_eq!(glosa()["estado"], "respondida");
    assert_eq!(glosa()["valor_levantado"], "0.00");
    let t = app.trazabilidad(&e.cartera, &fid);
    let tipos = trazo_tests::tipos(&t);
    assert!(
        tipos.contains(&"glosa_decidida") && tipos.contains(&"decision_glosa_anulada"),
        "{tipos:?}"
    );
}

/// A `multipart/form-data` post made by hand, as the statement form sends it (the CSRF token
/// first, then the fields, then the file): its status and the page that came back.
fn subir_estado(c: &Cliente, ruta: &str, campos: &[(&str, &str)], archivo: (&str, &[u8])) -> (u16, String) {
    const LIMITE: &str = "----trazo-web-9Qp2ZbTt";
    let mut cuerpo = Vec::new();
    for (k, v) in campos {
        cuerpo.extend_from_slice(
            format!("--{LIMITE}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").as_bytes(),
        );
    }
    cuerpo.extend_from_slice(
        format!(
            "--{LIMITE}\r\nContent-Disposition: form-data; name=\"archivo\"; filename=\"{}\"\r\n\
             Content-Type: text/csv\r\n\r\n",
            archivo.0
        )
        .as_bytes(),
    );
    cuerpo.extend_from_slice(archivo.1);
    cuerpo.extend_from_slice(format!("\r\n--{LIMITE}--\r\n").as_bytes());
    let r = c
        .agente
        .post(&format!("{}{ruta}", c.app.base))
        .set(
            "Cookie",
            &format!("trazo_sesion={}", c.cookie.as_deref().unwrap_or_default()),
        )
        .set("Content-Type", &format!("multipart/form-data; boundary={LIMITE}"))
        .send_bytes(&cuerpo);
    let r = match r {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("POST {ruta}: {e}"),
    };
    (r.status(), r.into_string().unwrap_or_default())
}

#[test]
fn a_payers_statement_and_reminders_are_refused_to_who_may_not_and_hidden_from_other_payers_and_prestadores() {
    let app = TestApp::spawn_el("2026-06-30");
    let e = app.equipo();
    let pid = e.pagador_id.clone();
    // One invoice owed: there is a statement to send.
    let f = app.factura(&e, "WEB-R1", "2026-06-01");
    app.radicar(&e, &id(&f), "RAD-R1", "2026-06-02");
    let csv = b"numero_factura;saldo\nFX-777;1.000.000\n";
    let c = app
        .request(
            "POST",
            &format!("/api/v1/pagadores/{pid}/estados-cuenta?corte=2026-06-30&archivo=estado.csv"),
            Some(&e.cartera),
            Some("text/csv"),
            Some(csv),
        )
        .expect(201)
        .json();
    let ruta = format!("/pagadores/{pid}/estados-cuenta/{}", id(&c));
    let recibidos = || app.get("/api/v1/estados-cuenta", &e.cartera).expect(200).json()["total"].clone();

    // Cartera reads it with its cause in words, and a bad row is named with the form kept.
    let (analista, _) = usuario(&app, &e.tenant.admin, "cartera");
    let mut cartera = Cliente::new(&app);
    cartera.ingresar(&analista, CLAVE);
    let p = cartera.pedir("GET", &ruta, None, &[]);
    assert_eq!(p.status, 200);
    assert!(p.cuerpo.contains("No registrada en Trazo"), "{}", p.cuerpo);
    assert!(p.cuerpo.contains("-$ 1.000.000,00"), "{}", p.cuerpo);
    let csrf = cartera
        .pedir("GET", &format!("/pagadores/{pid}"), None, &[])
        .campo("csrf");
    let (st, cuerpo) = subir_estado(
        &cartera,
        &format!("/pagadores/{pid}/estados-cuenta"),
        &[("csrf", &csrf), ("corte", "2026-06-30"), ("perfil", "generico")],
        ("malo.csv", b"numero_factura;saldo\nFX-2;1.000\nFX-3;mucho\n"),
    );
    assert_eq!(st, 422);
    assert!(cuerpo.contains("malo.csv, fila 3"), "{cuerpo}");
    assert!(
        cuerpo.contains("name=\"corte\" type=\"date\" value=\"2026-06-30\""),
        "{cuerpo}"
    );
    assert_eq!(recibidos(), 1);
    // Without a mail server the reminder is refused plainly, the address kept.
    let p = cartera.pedir(
        "POST",
        &format!("/pagadores/{pid}/recordatorios"),
        Some(&format!("csrf={csrf}&para=pagos%40eps.test&cc=&mensaje=")),
        &[],
    );
    assert_eq!(p.status, 503);
    assert!(
        p.cuerpo.contains("No se envió: no hay servidor de correo configurado"),
        "{}",
        p.cuerpo
    );
    assert!(p.cuerpo.contains("value=\"pagos@eps.test\""), "{}", p.cuerpo);

    // Under another payer of the same prestador, and for another prestador: not found.
    let otro_pagador = id(&app.pagador(&e.tenant.admin, "adres"));
    let p = cartera.pedir(
        "GET",
        &format!("/pagadores/{otro_pagador}/estados-cuenta/{}", id(&c)),
        None,
        &[],
    );
    assert_eq!(p.status, 404);
    let otro = app.tenant();
    let (ajeno, _) = usuario(&app, &otro.admin, "cartera");
    let mut ajena = Cliente::new(&app);
    ajena.ingresar(&ajeno, CLAVE);
    assert_eq!(ajena.pedir("GET", &ruta, None, &[]).status, 404);
    assert_eq!(ajena.pedir("GET", &format!("{ruta}.xlsx"), None, &[]).status, 404);

    // The auditor reads the reconciliation, sees neither form, and a hand-made post is refused.
    let (auditora, _) = usuario(&app, &e.tenant.admin, "auditor");
    let mut aud = Cliente::new(&app);
    aud.ingresar(&auditora, CLAVE);
    assert_eq!(aud.pedir("GET", &ruta, None, &[]).status, 200);
    let p = aud.pedir("GET", &format!("/pagadores/{pid}"), None, &[]);
    assert_eq!(p.status, 200);
    assert!(!p.cuerpo.contains("/recordatorios\""), "{}", p.cuerpo);
    assert!(!p.cuerpo.contains("enctype=\"multipart/form-data\""), "{}", p.cuerpo);
    let csrf = p.campo("csrf");
    let p = aud.pedir(
        "POST",
        &format!("/pagadores/{pid}/recordatorios"),
        Some(&format!("csrf={csrf}&para=pagos%40eps.test")),
        &[],
    );
    assert_eq!(p.status, 403);
    let (st, _) = subir_estado(
        &aud,
        &format!("/pagadores/{pid}/estados-cuenta"),
        &[("csrf", &csrf), ("corte", "2026-06-30"), ("perfil", "generico")],
        ("otro.csv", b"numero_factura;saldo\nFX-9;5.000\n"),
    );
    assert_eq!(st, 403);
    // Without the session's token, not even cartera's upload is read.
    let (st, _) = subir_estado(
        &cartera,
        &format!("/pagadores/{pid}/estados-cuenta"),
        &[("corte", "2026-06-30")],
        ("otro.csv", b"numero_factura;saldo\nFX-9;5.000\n"),
    );
    assert_eq!(st, 403);
    assert_eq!(recibidos(), 1);
}

#[test]
fn the_bandeja_shows_its_deadlines_first_and_the_payers_to_call_after_only_to_cartera() {
    let app = TestApp::spawn_el("2026-07-31");
    let e = app.equipo();
    let fid = id(&app.factura(&e, "WEB-B1", "2026-01-02"));
    app.radicar(&e, &fid, "RAD-B1", "2026-01-05");
    let (email, _) = usuario(&app, &e.tenant.admin, "cartera");
    let mut c = Cliente::new(&app);
    c.ingresar(&email, CLAVE);
    // The page carries the place the work list loads into, not the list itself.
    let p = c.pedir("GET", "/bandeja?dias=20", None, &[]);
    assert_eq!(p.status, 200);
    assert!(p.cuerpo.contains("hx-get=\"/bandeja/trabajo?dias=20\""), "{}", p.cuerpo);
    assert!(!p.cuerpo.contains("Pagadores por llamar"), "{}", p.cuerpo);
    // Loaded by htmx: the fragment alone, with the payer owing overdue money and never called.
    let f = c.pedir("GET", "/bandeja/trabajo?dias=20", None, &[("HX-Request", "true")]);
    assert_eq!(f.status, 200);
    assert!(f.cuerpo.starts_with("<section id=\"trabajo\">"), "{}", f.cuerpo);
    assert!(f.cuerpo.contains("Pagadores por llamar"), "{}", f.cuerpo);
    assert!(f.cuerpo.contains("ninguna gestión registrada"), "{}", f.cuerpo);
    // Without scripts, a page of its own in the frame.
    let f = c.pedir("GET", "/bandeja/trabajo", None, &[]);
    assert!(
        f.cuerpo.contains("<h1>Cuotas y pagadores por llamar</h1>"),
        "{}",
        f.cuerpo
    );
    assert!(f.cuerpo.contains("ninguna gestión registrada"), "{}", f.cuerpo);
    // Facturación has deadlines of its own but no payers to call: no panel, and refused.
    let (email, _) = usuario(&app, &e.tenant.admin, "facturacion");
    let mut c = Cliente::new(&app);
    c.ingresar(&email, CLAVE);
    let p = c.pedir("GET", "/bandeja", None, &[]);
    assert_eq!(p.status, 200);
    assert!(!p.cuerpo.contains("/bandeja/trabajo"), "{}", p.cuerpo);
    assert_eq!(
        c.pedir("GET", "/bandeja/trabajo", None, &[("HX-Request", "true")])
            .status,
        403
    );
    // Signed out: to sign in.
    assert_eq!(
        Cliente::new(&app).pedir("GET", "/bandeja/trabajo", None, &[]).status,
        303
    );
}

#[test]
fn a_payers_user_lands_in_its_window_announces_and_cartera_confirms_from_pagos() {
    let app = TestApp::spawn_el("2026-06-30");
    let e = app.equipo();
    // An older invoice first in the table: a line's error must not land on it.
    let antes = id(&app.factura(&e, "WEB-P0", "2026-05-03"));
    app.radicar(&e, &antes, "RAD-P0", "2026-05-06");
    let fid = id(&app.factura(&e, "WEB-P1", "2026-05-04"));
    app.radicar(&e, &fid, "RAD-P1", "2026-05-06");
    let email = format!("pagador-web-{}@prueba.trazo", uuid::Uuid::now_v7().simple());
    app.post(
        "/api/v1/usuarios",
        &e.tenant.admin,
        &json!({"email": email, "nombre": "Analista EPS", "rol": "pagador", "pagador_id": e.pagador_id, "password": CLAVE}),
    )
    .expect(201);
    let mut c = Cliente::new(&app);
    c.ingresar(&email, CLAVE);
    // Its landing is its window; the prestador's screens are refused.
    let p = c.pedir("GET", "/bandeja", None, &[]);
    assert_eq!((p.status, p.cabecera("location")), (303, "/portal"));
    for ruta in ["/facturas", &format!("/facturas/{fid}"), "/pagos", "/cartera"] {
        assert_eq!(c.pedir("GET", ruta, None, &[]).status, 403, "{ruta}");
    }
    let p = c.pedir("GET", "/portal", None, &[]);
    assert_eq!(p.status, 200);
    assert!(
        p.cuerpo.contains("WEB-P1") && p.cuerpo.contains("Anunciar el pago"),
        "{}",
        p.cuerpo
    );
    assert!(
        !p.cuerpo.contains("href=\"/bandeja\""),
        "no staff navigation: {}",
        p.cuerpo
    );
    let csrf = p.campo("csrf");
    // A bad amount comes back with the form and nothing announced.
    let malo = format!("csrf={csrf}&fecha=2026-06-20&valor=abc&referencia=TRF-1&valor_{fid}=100.000");
    let r = c.pedir("POST", "/portal/anuncios", Some(&malo), &[]);
    assert_eq!(r.status, 422);
    assert!(r.cuerpo.contains("no es un valor en pesos"), "{}", r.cuerpo);
    // A line the use case refuses is shown on its invoice's row.
    let cero = format!("csrf={csrf}&fecha=2026-06-20&valor=100.000&referencia=TRF-1&valor_{fid}=0");
    let r = c.pedir("POST", "/portal/anuncios", Some(&cero), &[]);
    assert_eq!(r.status, 422);
    let fila = |numero: &str| {
        let resto = r.cuerpo.split_once(&format!(">{numero}<")).map_or("", |(_, r)| r);
        resto.split("</tr>").next().unwrap_or_default().to_string()
    };
    assert!(fila("WEB-P1").contains("mayor que cero"), "{}", r.cuerpo);
    assert!(!fila("WEB-P0").contains("mayor que cero"), "{}", r.cuerpo);
    let bueno = format!("csrf={csrf}&fecha=2026-06-20&valor=100.000&referencia=TRF-1&valor_{fid}=100.000");
    let r = c.pedir("POST", "/portal/anuncios", Some(&bueno), &[]);
    assert_eq!((r.status, r.cabecera("location")), (303, "/portal"));
    let p = c.pedir("GET", "/portal", None, &[]);
    assert!(p.cuerpo.contains("Por confirmar"), "{}", p.cuerpo);
    let t = c.pedir("GET", &format!("/portal/facturas/{fid}"), None, &[]);
    assert!(t.status == 200 && t.cuerpo.contains("RAD-P1"), "{}", t.cuerpo);
    assert!(c
        .pedir("GET", "/portal/estado-de-cuenta.xlsx", None, &[])
        .cuerpo
        .starts_with("PK"));

    // The staff do not enter the window; cartera confirms from Pagos.
    let (email, _) = usuario(&app, &e.tenant.admin, "cartera");
    let mut k = Cliente::new(&app);
    k.ingresar(&email, CLAVE);
    assert_eq!(k.pedir("GET", "/portal", None, &[]).status, 403);
    let p = k.pedir("GET", "/pagos", None, &[]);
    assert!(p.cuerpo.contains("Pagos anunciados por los pagadores"), "{}", p.cuerpo);
    let anuncio = app.get("/api/v1/anuncios", &e.cartera).expect(200).json()[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let csrf = p.campo("csrf");
    let r = k.pedir(
        "POST",
        &format!("/pagos/anuncios/{anuncio}/confirmacion"),
        Some(&format!("csrf={csrf}")),
        &[],
    );
    assert_eq!(r.status, 303, "{}", r.cuerpo);
    assert!(r.cabecera("location").starts_with("/pagos/"));
    assert_eq!(app.ver_factura(&e.cartera, &fid)["saldo"], "900000.00");
    let p = c.pedir("GET", "/portal", None, &[]);
    assert!(p.cuerpo.contains("Confirmado y aplicado"), "{}", p.cuerpo);
}
