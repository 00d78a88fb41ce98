//! End-to-end harness: starts a real Trazo server on a random port, on SQLite (a fresh
//! temporary database per test) or, when `TEST_DATABASE_URL` names a PostgreSQL database,
//! on PostgreSQL (tests share the database and keep apart by using their own prestadores,
//! which is the same isolation the product relies on). A PostgreSQL URL that does not
//! answer fails every test: nothing is skipped.
//!
//! The suite itself is one binary, `tests/e2e/` (one module per area). What more than one
//! of its modules needs is here: the server ([`TestApp::con`] changes its typed
//! [`Settings`]), teams of users, the steps of an invoice's life ([`ciclo`]), files
//! ([`archivos`]) and snapshots with redactions ([`snapshot!`]).

pub mod archivos;
pub mod ataques;
pub mod ciclo;
pub mod openapi;
pub mod snapshots;

pub use archivos::{hoja, hoja_de_pagador, zip_de, XLSX};
pub use ciclo::{eventos, id, tipos, Glosa};
pub use insta;

use std::sync::mpsc;
use std::time::Duration;

use serde_json::{json, Value};
use trazo::app::auth::TokenKeys;
use trazo::config::Settings;
use trazo::domain::rol::Rol;

/// The signing key of test servers, so tests can forge expired tokens with the right key.
pub const JWT_SECRET: &str = "clave-de-pruebas-de-trazo-de-32-caracteres-o-mas";
pub const PASSWORD: &str = "contraseña-segura-1";

pub struct TestApp {
    pub base: String,
    pub database_url: String,
    agent: ureq::Agent,
    server: actix_web::dev::ServerHandle,
    /// Closed when the server's thread has ended, its database pool dropped.
    stopped: std::sync::Mutex<mpsc::Receiver<()>>,
    _dir: tempfile::TempDir,
}

/// A test's server stops with the test: the whole suite is one process, and servers left
/// running would keep their database connections (PostgreSQL refuses past
/// `max_connections`).
impl Drop for TestApp {
    fn drop(&mut self) {
        // The command is sent now; the returned future only waits for it.
        drop(self.server.stop(false));
        if let Ok(stopped) = self.stopped.get_mut() {
            let _ = stopped.recv_timeout(Duration::from_secs(30));
        }
    }
}

/// A response, whatever its status.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub content_type: String,
    pub headers: Vec<(String, String)>,
    pub text: String,
    /// The body as it came (a workbook is not text).
    pub bytes: Vec<u8>,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    /// Asserts the status, printing the body when it is another.
    #[track_caller]
    pub fn expect(self, status: u16) -> Resp {
        assert_eq!(self.status, status, "unexpected status; body: {}", self.text);
        self
    }
    /// Asserts an RFC 9457 problem with this status and returns its body.
    #[track_caller]
    pub fn problem(self, status: u16) -> Value {
        let r = self.expect(status);
        assert_eq!(r.content_type, "application/problem+json", "{}", r.text);
        let v = r.json();
        assert_eq!(v["status"], status, "{v}");
        assert!(
            v["type"].as_str().is_some_and(|t| t.starts_with("urn:trazo:problema:")),
            "{v}"
        );
        assert!(v["title"].is_string() && v["detail"].is_string(), "{v}");
        v
    }
}

/// [`TestApp::peticion_invalida`]: the same calls, with only the answer checked against the
/// OpenAPI document.
pub struct PeticionInvalida<'a>(&'a TestApp);

impl PeticionInvalida<'_> {
    #[track_caller]
    pub fn request(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        content_type: Option<&str>,
        body: Option<&[u8]>,
    ) -> Resp {
        self.0.enviar(method, path, token, content_type, body, false)
    }

    #[track_caller]
    pub fn get(&self, path: &str, token: &str) -> Resp {
        self.request("GET", path, Some(token), None, None)
    }

    #[track_caller]
    pub fn post(&self, path: &str, token: &str, body: &Value) -> Resp {
        let body = body.to_string();
        self.request(
            "POST",
            path,
            Some(token),
            Some("application/json"),
            Some(body.as_bytes()),
        )
    }

    #[track_caller]
    pub fn patch(&self, path: &str, token: &str, body: &Value) -> Resp {
        let body = body.to_string();
        self.request(
            "PATCH",
            path,
            Some(token),
            Some("application/json"),
            Some(body.as_bytes()),
        )
    }
}

/// A prestador created for one test, with its admin's token.
pub struct Tenant {
    pub nit: String,
    pub admin: String,
}

/// Which database the suite runs on.
pub fn postgres_url() -> Option<String> {
    std::env::var("TEST_DATABASE_URL").ok().filter(|u| !u.is_empty())
}

impl TestApp {
    /// Starts a server with the harness's settings.
    pub fn spawn() -> TestApp {
        Self::con(|_| {})
    }

    /// Starts a server that takes `fecha` (AAAA-MM-DD) as today, so terms and silence are
    /// computed as of a date the test controls.
    pub fn spawn_el(fecha: &str) -> TestApp {
        Self::con(|s| s.reloj.fecha_fija = fecha.to_string())
    }

    /// Starts a server whose settings are the harness's, then changed by `cambiar`:
    ///
    /// ```ignore
    /// TestApp::con(|s| {
    ///     s.reloj.fecha_fija = "2026-06-30".into();
    ///     s.importaciones.max_bytes = 1024;
    /// });
    /// ```
    ///
    /// The harness's settings are the built-in defaults with a temporary data directory, a
    /// random port, two workers, a small pool, the test signing key, login limits no test
    /// reaches by accident, and `TEST_DATABASE_URL` when it is set. `Settings::load` checks
    /// the values it loads; what `cambiar` sets is not checked again.
    pub fn con(cambiar: impl FnOnce(&mut Settings)) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        // Only the built-in defaults: the environment of the process running the tests is
        // not read.
        let mut settings = Settings::load(None, std::iter::empty()).expect("built-in settings");
        settings.data_dir = dir.path().to_path_buf();
        settings.server.port = 0;
        settings.server.workers = 2;
        settings.database.pool_size = 4;
        settings.auth.jwt_secret = JWT_SECRET.into();
        settings.auth.login_attempts_per_minute = 1000;
        settings.auth.login_attempts_per_minute_per_address = 1000;
        settings.log.level = "warn".into();
        // The life-cycle tests radicate invoices without soportes, as a prestador does while it
        // loads those of invoices it already filed; the tests of the checklist turn it on.
        settings.radicacion.exigir_soportes = false;
        if let Some(url) = postgres_url() {
            settings.database.url = url;
        }
        cambiar(&mut settings);
        // TEST_LOG=1 shows the servers' logs (errors behind a 500, for one).
        if std::env::var_os("TEST_LOG").is_some() {
            trazo::telemetry::init(settings.log.format, "info");
        }
        let database_url = settings.database_url();
        let keys_dir = dir.path().to_path_buf();
        let (tx, rx) = mpsc::channel();
        let (stopped_tx, stopped) = mpsc::channel::<()>();
        std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let bound = trazo::db::Db::connect(&settings.database_url(), settings.database.pool_size)
                    .and_then(|db| trazo::startup::bind(&settings, db, &keys_dir));
                match bound {
                    Ok(b) => {
                        tx.send(Ok((b.port, b.server.handle()))).ok();
                        b.server.await.ok();
                    }
                    Err(e) => {
                        tx.send(Err(format!("{e:#}"))).ok();
                    }
                }
            });
            drop(stopped_tx);
        });
        let (port, server) = match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(Ok(bound)) => bound,
            Ok(Err(e)) => panic!("Trazo did not start on {}: {e}", trazo::db::redact(&database_url)),
            Err(e) => panic!("Trazo did not start in time: {e}"),
        };
        let agent = ureq::AgentBuilder::new()
            .timeout(Duration::from_secs(30))
            .redirects(0)
            .build();
        TestApp {
            base: format!("http://127.0.0.1:{port}"),
            database_url,
            agent,
            server,
            stopped: stopped.into(),
            _dir: dir,
        }
    }

    /// Sends a request and checks the exchange against the OpenAPI document ([`openapi`]):
    /// a call the document does not describe fails the test here.
    #[track_caller]
    pub fn request(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        content_type: Option<&str>,
        body: Option<&[u8]>,
    ) -> Resp {
        self.enviar(method, path, token, content_type, body, true)
    }

    /// For tests that send what the API must refuse (a wrong type, malformed JSON, a bad
    /// query value): the request is not checked against the OpenAPI document; the answer
    /// still is.
    pub fn peticion_invalida(&self) -> PeticionInvalida<'_> {
        PeticionInvalida(self)
    }

    #[track_caller]
    fn enviar(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        content_type: Option<&str>,
        body: Option<&[u8]>,
        revisar_peticion: bool,
    ) -> Resp {
        let mut req = self.agent.request(method, &format!("{}{path}", self.base));
        if let Some(t) = token {
            req = req.set("Authorization", &format!("Bearer {t}"));
        }
        if let Some(ct) = content_type {
            req = req.set("Content-Type", ct);
        }
        let result = match body {
            Some(b) => req.send_bytes(b),
            None => req.call(),
        };
        let resp = match result {
            Ok(r) => r,
            Err(ureq::Error::Status(_, r)) => r,
            Err(e) => panic!("{method} {path}: {e}"),
        };
        let status = resp.status();
        let content_type_resp = resp.content_type().to_string();
        let headers = resp
            .headers_names()
            .into_iter()
            .filter_map(|h| resp.header(&h).map(|v| (h.clone(), v.to_string())))
            .collect();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut resp.into_reader(), &mut bytes)
            .unwrap_or_else(|e| panic!("{method} {path}: reading the body: {e}"));
        let verificado = openapi::verificar(&openapi::Intercambio {
            metodo: method,
            ruta: path,
            tipo_peticion: content_type,
            peticion: body,
            status,
            tipo_respuesta: &content_type_resp,
            respuesta: &bytes,
            revisar_peticion,
        });
        if let Err(e) = verificado {
            panic!("{e}");
        }
        Resp {
            status,
            content_type: content_type_resp,
            headers,
            text: String::from_utf8(bytes.clone()).unwrap_or_default(),
            bytes,
        }
    }

    /// The raw body of a GET that must answer 200 (for binary answers such as XLSX).
    #[track_caller]
    pub fn bytes(&self, path: &str, token: &str) -> Vec<u8> {
        self.get(path, token).expect(200).bytes
    }

    #[track_caller]
    pub fn get(&self, path: &str, token: &str) -> Resp {
        self.request("GET", path, Some(token), None, None)
    }

    #[track_caller]
    pub fn post(&self, path: &str, token: &str, body: &Value) -> Resp {
        self.request(
            "POST",
            path,
            Some(token),
            Some("application/json"),
            Some(body.to_string().as_bytes()),
        )
    }

    /// A POST without a body (an action named by its path, such as a confirmation).
    #[track_caller]
    pub fn post_vacio(&self, path: &str, token: &str) -> Resp {
        self.request("POST", path, Some(token), None, None)
    }

    #[track_caller]
    pub fn patch(&self, path: &str, token: &str, body: &Value) -> Resp {
        self.request(
            "PATCH",
            path,
            Some(token),
            Some("application/json"),
            Some(body.to_string().as_bytes()),
        )
    }

    #[track_caller]
    pub fn login(&self, email: &str, password: &str) -> Resp {
        let body = json!({ "email": email, "password": password });
        self.request(
            "POST",
            "/api/v1/auth/login",
            None,
            Some("application/json"),
            Some(body.to_string().as_bytes()),
        )
    }

    /// Logs in and returns the token, failing the test otherwise.
    #[track_caller]
    pub fn token(&self, email: &str, password: &str) -> String {
        self.login(email, password).expect(200).json()["access_token"]
            .as_str()
            .expect("token")
            .to_string()
    }

    /// A new prestador with a unique NIT and its admin, created as `trazo init` does.
    #[track_caller]
    pub fn tenant(&self) -> Tenant {
        let nit = unique_nit();
        let email = format!("admin-{}@prueba.trazo", uuid::Uuid::now_v7().simple());
        let db = trazo::db::Db::connect(&self.database_url, 1).expect("db");
        trazo::app::prestadores::crear(&db, &nit, "IPS de Prueba", &email, PASSWORD).expect("init prestador");
        Tenant {
            nit,
            admin: self.token(&email, PASSWORD),
        }
    }

    /// Adds a user with `rol` to the tenant through the API and returns their token.
    #[track_caller]
    pub fn user(&self, tenant: &Tenant, rol: Rol) -> String {
        if rol == Rol::Pagador {
            // A payer's user belongs to a payer: one of its own.
            let p = self.pagador(&tenant.admin, "eps_contributivo");
            return self.user_de_pagador(tenant, p["id"].as_str().expect("id"));
        }
        let email = format!("{rol}-{}@prueba.trazo", uuid::Uuid::now_v7().simple());
        self.post(
            "/api/v1/usuarios",
            &tenant.admin,
            &json!({ "email": email, "nombre": format!("Usuario {rol}"), "rol": rol, "password": PASSWORD }),
        )
        .expect(201);
        self.token(&email, PASSWORD)
    }

    /// Creates a user of role `pagador` for that payer and returns its token.
    #[track_caller]
    pub fn user_de_pagador(&self, tenant: &Tenant, pagador_id: &str) -> String {
        let email = format!("pagador-{}@prueba.trazo", uuid::Uuid::now_v7().simple());
        self.post(
            "/api/v1/usuarios",
            &tenant.admin,
            &json!({ "email": email, "nombre": "Analista del pagador", "rol": "pagador", "pagador_id": pagador_id, "password": PASSWORD }),
        )
        .expect(201);
        self.token(&email, PASSWORD)
    }

    /// Creates a payer and returns its JSON.
    #[track_caller]
    pub fn pagador(&self, token: &str, tipo: &str) -> Value {
        let body = json!({ "nit": unique_nit(), "nombre": format!("Pagador {tipo}"), "tipo": tipo });
        self.post("/api/v1/pagadores", token, &body).expect(201).json()
    }
}

/// A token signed with the test key for a user that the server never issued: expired.
pub fn expired_token() -> String {
    TokenKeys::from_secret(JWT_SECRET.as_bytes(), -3600)
        .issue("u", "p", Rol::Admin)
        .expect("token")
}

/// A well-formed token signed with another key.
pub fn forged_token() -> String {
    TokenKeys::from_secret(b"otra-clave-que-no-es-la-del-servidor-32+", 3600)
        .issue("u", "p", Rol::Admin)
        .expect("token")
}

/// A random 9-digit NIT (without check digit), unique enough for tests sharing a database.
pub fn unique_nit() -> String {
    let n = uuid::Uuid::new_v4().as_u128() % 900_000_000 + 100_000_000;
    n.to_string()
}

/// A tenant with one user per working role, and a payer.
pub struct Equipo {
    pub tenant: Tenant,
    pub facturacion: String,
    pub cartera: String,
    pub finanzas: String,
    pub auditor: String,
    pub pagador_id: String,
}

impl TestApp {
    #[track_caller]
    pub fn equipo(&self) -> Equipo {
        self.equipo_con_pagador(&unique_nit())
    }

    /// A team whose payer has this NIT (for files that name the payer by NIT).
    #[track_caller]
    pub fn equipo_con_pagador(&self, nit: &str) -> Equipo {
        let tenant = self.tenant();
        let body = json!({ "nit": nit, "nombre": "EPS de prueba", "tipo": "eps_contributivo" });
        let pagador_id = self.post("/api/v1/pagadores", &tenant.admin, &body).expect(201).json()["id"]
            .as_str()
            .expect("id")
            .to_string();
        Equipo {
            facturacion: self.user(&tenant, Rol::Facturacion),
            cartera: self.user(&tenant, Rol::Cartera),
            finanzas: self.user(&tenant, Rol::Finanzas),
            auditor: self.user(&tenant, Rol::Auditor),
            pagador_id,
            tenant,
        }
    }

    /// An invoice of $1.000.000 in two lines ($600.000 and $400.000) issued on `fecha`.
    #[track_caller]
    pub fn factura(&self, e: &Equipo, numero: &str, fecha: &str) -> Value {
        let body = json!({
            "numero": numero, "pagador_id": e.pagador_id, "fecha_expedicion": fecha, "valor_total": "1000000.00",
            "items": [
                {"codigo": "890202", "descripcion": "Consulta especializada", "cantidad": "2", "valor_unitario": "300000.00", "valor_total": "600000.00"},
                {"codigo": "881302", "descripcion": "Ecografía", "cantidad": "1", "valor_unitario": "400000.00", "valor_total": "400000.00"}
            ]
        });
        self.post("/api/v1/facturas", &e.facturacion, &body).expect(201).json()
    }
}
