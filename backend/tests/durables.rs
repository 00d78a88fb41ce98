//! A server killed (`kill -9`) in the middle of an import, on the embedded SQLite or, when
//! `TEST_DATABASE_URL` names one, on PostgreSQL: the run is never left `en_curso`; a server
//! started after it runs it again from the upload it kept, and what it holds lands once.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const PAGADOR: &str = "800250119";
const FACTURAS: u64 = 3000;

struct Servidor {
    hijo: Child,
    base: String,
}

impl Drop for Servidor {
    fn drop(&mut self) {
        self.hijo.kill().ok();
        self.hijo.wait().ok();
    }
}

fn trazo(dir: &std::path::Path, url: Option<&str>, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_trazo"));
    cmd.arg("--data-dir")
        .arg(dir)
        .args(args)
        .env_remove("DATABASE_URL")
        .env("TRAZO_LOG__LEVEL", "warn")
        .env("TRAZO_AUTH__JWT_SECRET", "una-clave-de-pruebas-de-32-caracteres-o-mas")
        // Six seconds of silence and a server is taken for stopped (sixty by default).
        .env("TRAZO_IMPORTACIONES__SILENCIO_SEGUNDOS", "6")
        .env("TRAZO_ADMIN_PASSWORD", "una-clave-larga");
    if let Some(u) = url {
        cmd.env("DATABASE_URL", u);
    }
    cmd
}

fn arrancar(dir: &std::path::Path, url: Option<&str>) -> Servidor {
    let puerto = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let hijo = trazo(dir, url, &["serve", "--port", &puerto.to_string()])
        .env("TRAZO_SERVER__HOST", "127.0.0.1")
        .stdout(Stdio::null())
        .spawn()
        .expect("start trazo");
    let s = Servidor {
        hijo,
        base: format!("http://127.0.0.1:{puerto}"),
    };
    let hasta = Instant::now() + Duration::from_secs(60);
    while ureq::get(&format!("{}/api/v1/health", s.base)).call().is_err() {
        assert!(Instant::now() < hasta, "the server did not answer in 60 s");
        std::thread::sleep(Duration::from_millis(100));
    }
    s
}

fn pedir(s: &Servidor, metodo: &str, ruta: &str, token: Option<&str>, cuerpo: Option<Value>) -> (u16, Value) {
    let mut r = ureq::request(metodo, &format!("{}/api/v1{ruta}", s.base));
    if let Some(t) = token {
        r = r.set("Authorization", &format!("Bearer {t}"));
    }
    let respuesta = match cuerpo {
        Some(c) => r.send_json(c),
        None => r.call(),
    };
    let r = match respuesta {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("{metodo} {ruta}: {e}"),
    };
    (r.status(), r.into_json().unwrap_or(Value::Null))
}

fn token(s: &Servidor, email: &str, clave: &str) -> String {
    let (st, v) = pedir(
        s,
        "POST",
        "/auth/login",
        None,
        Some(json!({"email": email, "password": clave})),
    );
    assert_eq!(st, 200, "{v}");
    v["access_token"].as_str().unwrap().to_string()
}

fn zip_de(archivos: &[(String, String)]) -> Vec<u8> {
    use std::io::Write;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (n, b) in archivos {
        w.start_file(n.as_str(), opts).unwrap();
        w.write_all(b.as_bytes()).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn ver(s: &Servidor, t: &str, run: &str) -> Value {
    let (st, v) = pedir(s, "GET", &format!("/importaciones/{run}"), Some(t), None);
    assert_eq!(st, 200, "{v}");
    v
}

/// Polls run `run` on `s` until `listo` says so, or fails after `espera`.
fn esperar(s: &Servidor, t: &str, run: &str, espera: Duration, listo: impl Fn(&Value) -> bool) -> Value {
    let hasta = Instant::now() + espera;
    loop {
        let v = ver(s, t, run);
        if listo(&v) {
            return v;
        }
        assert!(Instant::now() < hasta, "the run did not get there in {espera:?}: {v}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_server_killed_mid_import_leaves_the_run_to_the_next_which_runs_it_again_once() {
    let pg = std::env::var("TEST_DATABASE_URL").ok().filter(|u| !u.is_empty());
    let url = pg.as_deref();
    let dir = tempfile::tempdir().unwrap();
    // Its own prestador, so the test can share a PostgreSQL database with others.
    let nit = format!("9{:08}", std::process::id() as u64 * 7919 % 100_000_000);
    let admin = format!("jefe{nit}@norte.co");
    let o = trazo(
        dir.path(),
        url,
        &[
            "init",
            "--prestador-nit",
            &nit,
            "--prestador-nombre",
            "Clínica Norte",
            "--admin-email",
            &admin,
        ],
    )
    .output()
    .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

    let a = arrancar(dir.path(), url);
    let t_admin = token(&a, &admin, "una-clave-larga");
    let (st, v) = pedir(
        &a,
        "POST",
        "/pagadores",
        Some(&t_admin),
        Some(json!({
            "nit": PAGADOR, "nombre": "EPS Andina", "tipo": "eps_contributivo"
        })),
    );
    assert!(st == 201 || st == 409, "{v}");
    let clerk = format!("fact{nit}@norte.co");
    let (st, v) = pedir(
        &a,
        "POST",
        "/usuarios",
        Some(&t_admin),
        Some(json!({
            "email": clerk, "nombre": "Fabio", "rol": "facturacion", "password": "otra-clave-larga"
        })),
    );
    assert_eq!(st, 201, "{v}");
    let t = token(&a, &clerk, "otra-clave-larga");

    // Enough invoices that the run is still working when its server is killed.
    let docs: Vec<(String, String)> = (0..FACTURAS)
        .map(|i| {
            (
                format!("fev{i}.xml"),
                trazo_importers::dian::generador::attached_document(i + 1, &nit, PAGADOR),
            )
        })
        .collect();
    let lote = zip_de(&docs);
    let r = ureq::post(&format!(
        "{}/api/v1/importaciones?tipo=dian_xml&archivo=lote.zip",
        a.base
    ))
    .set("Authorization", &format!("Bearer {t}"))
    .send_bytes(&lote)
    .unwrap();
    assert_eq!(r.status(), 202);
    let run = r.into_json::<Value>().unwrap()["id"].as_str().unwrap().to_string();
    esperar(&a, &t, &run, Duration::from_secs(120), |v| v["estado"] == "en_curso");

    let mut b = None;
    if pg.is_some() {
        // Two servers on one PostgreSQL database: the second reports the first's progress.
        let otro = arrancar(dir.path(), url);
        let v = esperar(&otro, &t, &run, Duration::from_secs(120), |v| {
            v["estado"] == "terminada" || v["procesados"].as_i64().unwrap_or(0) > 0
        });
        assert_eq!(
            v["estado"], "en_curso",
            "the run ended before the kill; make it bigger: {v}"
        );
        assert_eq!(v["total"], FACTURAS, "{v}");
        b = Some(otro);
    }

    // The power goes: no chance to say anything.
    let mut a = a;
    a.hijo.kill().unwrap();
    a.hijo.wait().unwrap();
    let db = trazo::db::Db::connect(
        &url.map(str::to_string)
            .unwrap_or_else(|| dir.path().join("trazo.db").to_string_lossy().into_owned()),
        1,
    )
    .unwrap();
    let fila = |run: &str| {
        db.read(|c| Ok::<_, trazo::app::AppError>(trazo::db::importaciones::buscar(c, run)?))
            .unwrap()
            .unwrap()
    };
    let dejada = fila(&run);
    assert_eq!(
        dejada.estado.as_str(),
        "en_curso",
        "the run ended before the kill; make it bigger"
    );
    let b = b.unwrap_or_else(|| arrancar(dir.path(), url));
    // Until the silence is long enough to take the first for stopped, the run is still at
    // work; then the second runs it again from the start.
    let v = esperar(&b, &t, &run, Duration::from_secs(300), |v| {
        !matches!(v["estado"].as_str(), Some("en_curso" | "en_cola"))
    });
    assert_eq!(v["estado"], "terminada", "{v}");
    assert_eq!(v["creados"], FACTURAS, "{v}");
    assert_eq!(v["errores"], json!([]), "{v}");
    // Written once: every invoice, no more, and the upload is let go once the run ended.
    let (st, l) = pedir(&b, "GET", "/facturas?per_page=1", Some(&t), None);
    assert_eq!(st, 200, "{l}");
    assert_eq!(l["total"], FACTURAS, "{l}");
    assert_ne!(
        fila(&run).servidor_id,
        dejada.servidor_id,
        "run again by the second server"
    );
    let guardada = db
        .read(|c| Ok::<_, trazo::app::AppError>(trazo::db::importaciones::subida(c, &run)?))
        .unwrap();
    assert!(guardada.is_none(), "the upload of an ended run is not kept");
    // The same upload again changes nothing.
    let r = ureq::post(&format!(
        "{}/api/v1/importaciones?tipo=dian_xml&archivo=lote.zip",
        b.base
    ))
    .set("Authorization", &format!("Bearer {t}"))
    .send_bytes(&lote)
    .unwrap();
    let otra = r.into_json::<Value>().unwrap()["id"].as_str().unwrap().to_string();
    let v = esperar(&b, &t, &otra, Duration::from_secs(300), |v| {
        v["estado"] != "en_curso" && v["estado"] != "en_cola"
    });
    assert_eq!(v["creados"], 0, "{v}");
}
