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
        text(&o).contains("ya existe un usuario con el correo ana@norte.co"),
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
