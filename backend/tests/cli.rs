//! The `trazo` command as an administrator uses it: init, user add, migrate, bad config.

use std::process::{Command, Output};

fn trazo(data_dir: &std::path::Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_trazo"));
    cmd.arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("DATABASE_URL")
        .env("TRAZO_LOG__LEVEL", "warn");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run trazo")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn init_then_user_add_then_duplicates_are_refused_with_reasons() {
    let dir = tempfile::tempdir().unwrap();
    let init = [
        "init",
        "--prestador-nit",
        "900.123.456-8",
        "--prestador-nombre",
        "Clínica Norte",
        "--admin-email",
        "jefe@norte.co",
    ];
    let o = trazo(dir.path(), &init, &[("TRAZO_ADMIN_PASSWORD", "una-clave-larga")]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(dir.path().join("trazo.db").exists());

    let again = trazo(dir.path(), &init, &[("TRAZO_ADMIN_PASSWORD", "una-clave-larga")]);
    assert!(!again.status.success());
    assert!(
        text(&again).contains("ya existe un prestador con NIT 900123456-8"),
        "{}",
        text(&again)
    );

    let add = [
        "user",
        "add",
        "--prestador-nit",
        "900123456",
        "--email",
        "ana@norte.co",
        "--nombre",
        "Ana",
        "--rol",
        "cartera",
    ];
    let o = trazo(dir.path(), &add, &[("TRAZO_USER_PASSWORD", "otra-clave-larga")]);
    assert!(o.status.success(), "{}", text(&o));
    let o = trazo(dir.path(), &add, &[("TRAZO_USER_PASSWORD", "otra-clave-larga")]);
    assert!(
        text(&o).contains("el correo ana@norte.co no está disponible"),
        "{}",
        text(&o)
    );

    let short = [
        "user",
        "add",
        "--prestador-nit",
        "900123456",
        "--email",
        "b@norte.co",
        "--nombre",
        "B",
        "--rol",
        "auditor",
    ];
    let o = trazo(dir.path(), &short, &[("TRAZO_USER_PASSWORD", "corta")]);
    assert!(
        !o.status.success() && text(&o).contains("password: la contraseña debe tener al menos 10"),
        "{}",
        text(&o)
    );

    let bad_role = [
        "user",
        "add",
        "--prestador-nit",
        "900123456",
        "--email",
        "c@norte.co",
        "--nombre",
        "C",
        "--rol",
        "jefe",
    ];
    let o = trazo(dir.path(), &bad_role, &[("TRAZO_USER_PASSWORD", "otra-clave-larga")]);
    assert!(!o.status.success() && text(&o).contains("facturacion"), "{}", text(&o));

    let unknown = [
        "user",
        "add",
        "--prestador-nit",
        "800197268",
        "--email",
        "d@x.co",
        "--nombre",
        "D",
        "--rol",
        "admin",
    ];
    let o = trazo(dir.path(), &unknown, &[("TRAZO_USER_PASSWORD", "otra-clave-larga")]);
    assert!(
        text(&o).contains("no existe un prestador con NIT 800197268-4"),
        "{}",
        text(&o)
    );
}

#[test]
fn bad_configuration_names_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let o = trazo(dir.path(), &["migrate"], &[("TRAZO_PORT", "ochenta")]);
    assert!(!o.status.success());
    assert!(text(&o).contains("server.port"), "{}", text(&o));

    let cfg = dir.path().join("trazo.toml");
    std::fs::write(&cfg, "[auth]\ntoken_ttl_minutos = 5\n").unwrap();
    let o = trazo(dir.path(), &["--config", cfg.to_str().unwrap(), "migrate"], &[]);
    assert!(!o.status.success());
    assert!(text(&o).contains("token_ttl_minutos"), "{}", text(&o));
}

#[test]
fn migrate_creates_the_database_in_the_data_dir() {
    let dir = tempfile::tempdir().unwrap();
    let o = trazo(dir.path(), &["migrate"], &[]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(dir.path().join("trazo.db").exists());
    // Running it again is harmless.
    assert!(trazo(dir.path(), &["migrate"], &[]).status.success());
}

#[test]
fn import_reads_folders_and_zips_and_twice_changes_nothing() {
    use std::io::Write;
    use trazo_importers::dian::generador;

    let dir = tempfile::tempdir().unwrap();
    let pw = [("TRAZO_ADMIN_PASSWORD", "una-clave-larga")];
    let init = [
        "init",
        "--prestador-nit",
        "900123456-8",
        "--prestador-nombre",
        "Clínica Norte",
        "--admin-email",
        "jefe@norte.co",
    ];
    assert!(trazo(dir.path(), &init, &pw).status.success());
    let add = [
        "user",
        "add",
        "--prestador-nit",
        "900123456",
        "--email",
        "fac@norte.co",
        "--nombre",
        "F",
        "--rol",
        "facturacion",
    ];
    assert!(trazo(dir.path(), &add, &[("TRAZO_USER_PASSWORD", "otra-clave-larga")])
        .status
        .success());
    // The payer the files name, created as an admin would through the API.
    let db = trazo::db::Db::connect(&dir.path().join("trazo.db").to_string_lossy(), 1).unwrap();
    let admin = db
        .read(|c| Ok::<_, trazo::app::AppError>(trazo::db::usuarios::por_email(c, "jefe@norte.co")?))
        .unwrap()
        .unwrap();
    let actor = trazo::app::Actor {
        usuario_id: admin.id,
        prestador_id: admin.prestador_id,
        rol: trazo::domain::rol::Rol::Admin,
    };
    let n = trazo::app::pagadores::NuevoPagador {
        nit: "800250119".into(),
        nombre: "EPS".into(),
        tipo: trazo::domain::pagador::TipoPagador::Otro,
    };
    trazo::app::pagadores::crear(&db, &actor, n).unwrap();

    let carpeta = dir.path().join("xml");
    std::fs::create_dir_all(carpeta.join("sub")).unwrap();
    for i in 1..=3 {
        std::fs::write(
            carpeta.join("sub").join(format!("f{i}.xml")),
            generador::attached_document(i, "900123456", "800250119"),
        )
        .unwrap();
    }
    let zip_path = dir.path().join("mas.zip");
    let mut w = zip::ZipWriter::new(std::fs::File::create(&zip_path).unwrap());
    for i in 4..=5 {
        w.start_file(format!("f{i}.xml"), zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(generador::attached_document(i, "900123456", "800250119").as_bytes())
            .unwrap();
    }
    w.finish().unwrap();
    let args = |extra: &[&str]| {
        let mut a = vec![
            "import",
            "dian_xml",
            carpeta.to_str().unwrap(),
            zip_path.to_str().unwrap(),
            "--prestador-nit",
            "900123456",
            "--usuario",
            "fac@norte.co",
        ];
        a.extend_from_slice(extra);
        a.into_iter().map(String::from).collect::<Vec<_>>()
    };
    let env = [("TRAZO_RELOJ__FECHA_FIJA", "2026-11-20")];
    let run = |a: Vec<String>| trazo(dir.path(), &a.iter().map(String::as_str).collect::<Vec<_>>(), &env);
    let o = run(args(&["--simular"]));
    assert!(
        o.status.success() && text(&o).contains("simulada; 5 creados"),
        "{}",
        text(&o)
    );
    let o = run(args(&[]));
    assert!(
        o.status.success() && text(&o).contains("terminada; 5 creados, 0 ya estaban"),
        "{}",
        text(&o)
    );
    let o = run(args(&[]));
    assert!(
        o.status.success() && text(&o).contains("terminada; 0 creados, 5 ya estaban"),
        "{}",
        text(&o)
    );
    // A broken file: nothing written, its name in the answer, a failing exit code.
    std::fs::write(carpeta.join("roto.xml"), "<Invoice>").unwrap();
    let o = run(args(&[]));
    assert!(!o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("roto.xml"), "{}", text(&o));
}

#[test]
fn backup_and_restore_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let init = [
        "init",
        "--prestador-nit",
        "900123456",
        "--prestador-nombre",
        "Clínica Norte",
        "--admin-email",
        "jefe@norte.co",
    ];
    let o = trazo(dir.path(), &init, &[("TRAZO_ADMIN_PASSWORD", "una-clave-larga")]);
    assert!(o.status.success(), "{}", text(&o));
    let copia = dir.path().join("copia.db");
    let copia_arg = copia.to_str().unwrap();

    let o = trazo(dir.path(), &["backup", copia_arg], &[]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("copia de seguridad escrita en") && text(&o).contains("1 prestadores"),
        "{}",
        text(&o)
    );
    let o = trazo(dir.path(), &["backup", copia_arg], &[]);
    assert!(!o.status.success() && text(&o).contains("--force"), "{}", text(&o));

    let o = trazo(dir.path(), &["restore", copia_arg], &[]);
    assert!(
        !o.status.success() && text(&o).contains("Detenga el servidor y repita con --force"),
        "{}",
        text(&o)
    );
    let o = trazo(dir.path(), &["restore", copia_arg, "--force"], &[]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("restaurada en") && text(&o).contains("quedó en"),
        "{}",
        text(&o)
    );
    // The restored database serves: the prestador is there.
    let o = trazo(dir.path(), &init, &[("TRAZO_ADMIN_PASSWORD", "una-clave-larga")]);
    assert!(text(&o).contains("ya existe un prestador"), "{}", text(&o));

    let pg = [("DATABASE_URL", "postgres://trazo:secreta@db/trazo")];
    let o = trazo(dir.path(), &["backup", copia_arg, "--force"], &pg);
    assert!(
        !o.status.success() && text(&o).contains("pg_dump") && !text(&o).contains("secreta"),
        "{}",
        text(&o)
    );
}

/// Item 5 of issue 15 with two processes: a CLI import while another process (the server)
/// holds a write transaction waits for it, says so, and lands.
#[test]
fn a_cli_import_waits_for_the_server_writing_the_same_file_and_says_so() {
    use trazo::app::{self, Actor, AppError};
    use trazo::domain::rol::Rol;

    let dir = tempfile::tempdir().unwrap();
    let init = [
        "init",
        "--prestador-nit",
        "900123456",
        "--prestador-nombre",
        "Clínica Norte",
        "--admin-email",
        "jefe@norte.co",
    ];
    let o = trazo(dir.path(), &init, &[("TRAZO_ADMIN_PASSWORD", "una-clave-larga")]);
    assert!(o.status.success(), "{}", text(&o));
    let add = [
        "user",
        "add",
        "--prestador-nit",
        "900123456",
        "--email",
        "fact@norte.co",
        "--nombre",
        "Fabio",
        "--rol",
        "facturacion",
    ];
    let o = trazo(dir.path(), &add, &[("TRAZO_USER_PASSWORD", "otra-clave-larga")]);
    assert!(o.status.success(), "{}", text(&o));

    let servidor = trazo::db::Db::connect(&dir.path().join("trazo.db").to_string_lossy(), 2).unwrap();
    let admin = servidor
        .read(|c| Ok::<_, AppError>(trazo::db::usuarios::por_email(c, "jefe@norte.co")?))
        .unwrap()
        .unwrap();
    let admin = Actor {
        usuario_id: admin.id,
        prestador_id: admin.prestador_id,
        rol: Rol::Admin,
    };
    let pagador = app::pagadores::NuevoPagador {
        nit: "800250119".into(),
        nombre: "EPS Andina".into(),
        tipo: trazo::domain::pagador::TipoPagador::EpsContributivo,
    };
    app::pagadores::crear(&servidor, &admin, pagador).unwrap();
    let xml = dir.path().join("fev1.xml");
    std::fs::write(
        &xml,
        trazo_importers::dian::generador::attached_document(1, "900123456", "800250119"),
    )
    .unwrap();

    let (tx, rx) = std::sync::mpsc::channel();
    let escritura = std::thread::spawn(move || {
        servidor
            .write(|c| {
                use diesel::connection::SimpleConnection;
                c.batch_execute("UPDATE prestadores SET nombre = nombre")?;
                tx.send(()).unwrap();
                std::thread::sleep(std::time::Duration::from_millis(3500));
                Ok::<_, AppError>(())
            })
            .unwrap();
    });
    rx.recv().unwrap();
    let importar = [
        "import",
        "dian_xml",
        xml.to_str().unwrap(),
        "--prestador-nit",
        "900123456",
        "--usuario",
        "fact@norte.co",
    ];
    let o = trazo(dir.path(), &importar, &[]);
    escritura.join().unwrap();
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("1 creados"), "{}", text(&o));
    assert!(
        text(&o).contains("está ocupada por otro proceso que escribe") && text(&o).contains("espera su turno"),
        "{}",
        text(&o)
    );
}
