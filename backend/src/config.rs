//! Configuration, layered: `config/default.toml` (built in) < the file given with
//! `--config` < environment (`TRAZO_<SECTION>__<KEY>`, `DATABASE_URL`) < command-line flags.

use std::path::{Path, PathBuf};

use serde::Deserialize;

const DEFAULTS: &str = include_str!("../../config/default.toml");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub data_dir: PathBuf,
    /// A terms file replacing the built-in config/terminos.toml; empty for the built-in one.
    pub terminos_file: PathBuf,
    pub server: Server,
    pub database: Database,
    pub auth: Auth,
    pub log: Log,
    pub reloj: Reloj,
    pub importaciones: Importaciones,
    pub cobro: Cobro,
    pub smtp: Smtp,
    /// The account codes of the entries for the books.
    pub contabilidad: crate::domain::asiento::Cuentas,
    pub soportes: Soportes,
    pub radicacion: Radicacion,
    /// Bank statement profiles.
    pub bancos: Bancos,
}

/// What radicación asks of an invoice's soportes and how big its package may be.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Radicacion {
    /// Radicate only invoices whose soportes checklist is complete, or with a recorded reason.
    pub exigir_soportes: bool,
    /// Largest radicación package, in bytes (Res. 2284/2023 Anexo 2 num. 3.3: 1 GB).
    pub max_bytes_paquete: u64,
}

/// How much the soportes (files attached to records, kept in the database) may take.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Soportes {
    /// Largest file, in bytes.
    pub max_bytes_archivo: usize,
    /// What all of one prestador's files may add up to, in bytes (each content counted once).
    pub max_bytes_prestador: u64,
}

/// Bank statements: where the deployment's bank profiles are (the shipped ones are built in).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bancos {
    pub perfiles_dir: PathBuf,
}

/// Gestión de cobro: the stage rule and the mora interest rates.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cobro {
    pub etapas: crate::domain::cobro::ReglaEtapas,
    pub tasas_mora: Vec<crate::domain::cobro::TasaMora>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SeguridadSmtp {
    /// Plain SMTP: only for a relay on the same host or private network.
    Ninguna,
    /// SMTP upgraded with STARTTLS (port 587).
    Starttls,
    /// SMTP over TLS from the start (port 465).
    Tls,
}

/// A secret of the configuration (the JWT key, the SMTP password): usable where it is
/// needed, never printed: its `Debug` shows `***`, so logging the settings leaks nothing.
#[derive(Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct Secreto(String);

impl Secreto {
    pub fn new(valor: impl Into<String>) -> Secreto {
        Secreto(valor.into())
    }

    /// The value, for the one place that uses it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<&str> for Secreto {
    fn from(valor: &str) -> Secreto {
        Secreto::new(valor)
    }
}

impl std::fmt::Debug for Secreto {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_empty() { "\"\"" } else { "***" })
    }
}

/// The mail server reminders go through.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Smtp {
    /// Empty: no mail server, reminders are refused with a clear message.
    pub host: String,
    pub port: u16,
    pub usuario: String,
    pub clave: Secreto,
    pub remitente: String,
    pub seguridad: SeguridadSmtp,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Importaciones {
    pub max_bytes: usize,
    pub zip_max_archivos: usize,
    pub zip_max_bytes: u64,
    pub zip_max_bytes_archivo: u64,
    pub zip_max_razon: u64,
    /// What one file may describe (see `trazo_importers::limites`).
    pub max_celdas: u64,
    pub max_filas: u64,
    pub max_columnas: u64,
    pub max_textos_compartidos: u64,
    pub max_elementos_xml: u64,
    pub max_profundidad_xml: usize,
    /// Runs working at once; the rest wait their turn, in order (`en_cola`).
    pub max_simultaneas: usize,
    /// Runs waiting at once; more are refused with 503 (each upload waits in the database).
    pub max_en_cola: usize,
    /// A process that runs imports and has not said it is alive for this long is taken for
    /// stopped: its runs are run again by a server (or marked `interrumpida`).
    pub silencio_segundos: u64,
    pub perfiles_dir: PathBuf,
    /// What a RIPS whose services add up to other than its invoice's value does to the run.
    pub rips_total_distinto: RipsTotalDistinto,
}

/// `importaciones.rips_total_distinto`: a RIPS whose total differs from its invoice's value
/// is refused (the run writes nothing), or written with a warning.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RipsTotalDistinto {
    #[default]
    Rechazar,
    Advertir,
}

impl Importaciones {
    pub fn silencio(&self) -> std::time::Duration {
        std::time::Duration::from_secs(self.silencio_segundos)
    }

    pub fn limites(&self) -> trazo_importers::archivo::LimitesArchivo {
        trazo_importers::archivo::LimitesArchivo {
            max_entradas: self.zip_max_archivos,
            max_bytes_entrada: self.zip_max_bytes_archivo,
            max_bytes_total: self.zip_max_bytes,
            max_razon: self.zip_max_razon,
            max_celdas: self.max_celdas,
            max_filas: self.max_filas,
            max_columnas: self.max_columnas,
            max_cadenas: self.max_textos_compartidos,
            max_elementos_xml: self.max_elementos_xml,
            max_profundidad_xml: self.max_profundidad_xml,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reloj {
    pub fecha_fija: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Server {
    pub host: String,
    pub port: u16,
    pub json_limit_bytes: usize,
    pub workers: usize,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Database {
    pub url: String,
    pub pool_size: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Auth {
    pub token_ttl_minutes: i64,
    pub jwt_secret: Secreto,
    pub login_attempts_per_minute: u32,
    pub login_attempts_per_minute_per_address: u32,
    /// How long a web session lives without signing in again.
    pub sesion_minutos: i64,
    /// Marks the session cookie `Secure` (sent over HTTPS only): on wherever Trazo is served
    /// over HTTPS, off for `http://localhost`.
    pub cookie_segura: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Log {
    pub format: LogFormat,
    pub level: String,
}

impl Settings {
    /// Loads the layers. `env` is the environment to read (the process's in production, a
    /// fixed one in tests).
    pub fn load(file: Option<&Path>, env: impl IntoIterator<Item = (String, String)>) -> anyhow::Result<Settings> {
        // Configuration variables are TRAZO_<SECTION>__<KEY> plus the flat names below; other
        // TRAZO_ variables (TRAZO_ADMIN_PASSWORD, TRAZO_CONFIG...) are read elsewhere.
        let mut env: std::collections::HashMap<String, String> = env
            .into_iter()
            .filter(|(k, _)| {
                (k.starts_with("TRAZO_") && k.contains("__"))
                    || matches!(
                        k.as_str(),
                        "TRAZO_PORT" | "TRAZO_DATA_DIR" | "TRAZO_TERMINOS_FILE" | "DATABASE_URL"
                    )
            })
            .collect();
        // The flat names people expect, folded into their sections.
        if let Some(port) = env.remove("TRAZO_PORT") {
            env.insert("TRAZO_SERVER__PORT".into(), port);
        }
        if let Some(url) = env.remove("DATABASE_URL") {
            env.insert("TRAZO_DATABASE__URL".into(), url);
        }
        let mut b = config::Config::builder().add_source(config::File::from_str(DEFAULTS, config::FileFormat::Toml));
        if let Some(f) = file {
            anyhow::ensure!(f.exists(), "no existe el archivo de configuración {}", f.display());
            b = b.add_source(config::File::from(f).required(true));
        }
        let source = config::Environment::with_prefix("TRAZO")
            .prefix_separator("_")
            .separator("__")
            .try_parsing(true)
            .source(Some(env));
        let s: Settings = b
            .add_source(source)
            .build()
            .and_then(|c| c.try_deserialize())
            .map_err(|e| anyhow::anyhow!("configuración inválida: {e}"))?;
        s.validate()?;
        Ok(s)
    }

    fn validate(&self) -> anyhow::Result<()> {
        let bad = |key: &str, why: &str| Err(anyhow::anyhow!("configuración inválida: {key}: {why}"));
        if self.auth.token_ttl_minutes <= 0 {
            return bad("auth.token_ttl_minutes", "debe ser mayor que 0");
        }
        if self.auth.sesion_minutos <= 0 {
            return bad("auth.sesion_minutos", "debe ser mayor que 0");
        }
        if !self.auth.jwt_secret.is_empty() && self.auth.jwt_secret.expose().len() < 32 {
            return bad("auth.jwt_secret", "debe tener al menos 32 caracteres (o dejarse vacío)");
        }
        if self.auth.login_attempts_per_minute == 0 {
            return bad("auth.login_attempts_per_minute", "debe ser mayor que 0");
        }
        if self.auth.login_attempts_per_minute_per_address == 0 {
            return bad("auth.login_attempts_per_minute_per_address", "debe ser mayor que 0");
        }
        if self.radicacion.max_bytes_paquete == 0 || self.radicacion.max_bytes_paquete > 1 << 30 {
            return bad(
                "radicacion.max_bytes_paquete",
                "debe estar entre 1 y 1073741824 bytes (Res. 2284/2023 Anexo 2 num. 3.3: 1 GB)",
            );
        }
        if self.soportes.max_bytes_archivo == 0 {
            return bad("soportes.max_bytes_archivo", "debe ser mayor que 0");
        }
        if (self.soportes.max_bytes_prestador as u128) < self.soportes.max_bytes_archivo as u128 {
            return bad(
                "soportes.max_bytes_prestador",
                "debe ser al menos soportes.max_bytes_archivo (cabe al menos un archivo)",
            );
        }
        if self.server.json_limit_bytes < 1024 {
            return bad("server.json_limit_bytes", "debe ser al menos 1024");
        }
        if self.importaciones.silencio_segundos < 6 {
            return bad(
                "importaciones.silencio_segundos",
                "debe ser al menos 6 (un proceso dice que sigue vivo seis veces en ese lapso)",
            );
        }
        if self.importaciones.max_simultaneas == 0 {
            return bad("importaciones.max_simultaneas", "debe ser mayor que 0");
        }
        if self.database.pool_size == 0 {
            return bad("database.pool_size", "debe ser mayor que 0");
        }
        let e = &self.cobro.etapas;
        if e.prejuridica.dias_mora < e.administrativa.dias_mora
            || e.juridica
                .as_ref()
                .is_some_and(|j| j.dias_mora < e.prejuridica.dias_mora)
        {
            return bad(
                "cobro.etapas",
                "los días de mora de cada etapa deben ser al menos los de la anterior",
            );
        }
        if self.cobro.tasas_mora.windows(2).any(|w| w[0].desde >= w[1].desde) {
            return bad(
                "cobro.tasas_mora",
                "las tasas deben ir en orden de fecha, sin repetir fechas",
            );
        }
        if let Err((clave, por_que)) = self.contabilidad.validar() {
            return bad(&format!("contabilidad.{clave}"), &por_que);
        }
        if !self.smtp.host.is_empty() && !self.smtp.remitente.contains('@') {
            return bad(
                "smtp.remitente",
                "se espera la dirección de correo que envía los recordatorios",
            );
        }
        Ok(())
    }

    /// The database URL: the configured one, or the SQLite file in the data directory.
    pub fn database_url(&self) -> String {
        if self.database.url.is_empty() {
            self.data_dir.join("trazo.db").to_string_lossy().into_owned()
        } else {
            self.database.url.clone()
        }
    }

    /// The legal terms in force: the deployment's file if configured, else the built-in one.
    pub fn terminos(&self) -> anyhow::Result<crate::domain::terminos::Terminos> {
        use crate::domain::terminos::Terminos;
        if self.terminos_file.as_os_str().is_empty() {
            return Ok(Terminos::por_defecto());
        }
        let text = std::fs::read_to_string(&self.terminos_file)
            .map_err(|e| anyhow::anyhow!("terminos_file: no se pudo leer {}: {e}", self.terminos_file.display()))?;
        Terminos::parse(&text, &self.terminos_file.to_string_lossy())
    }

    /// The fixed date of `reloj.fecha_fija`, if set.
    pub fn fecha_fija(&self) -> anyhow::Result<Option<chrono::NaiveDate>> {
        let f = self.reloj.fecha_fija.trim();
        if f.is_empty() {
            return Ok(None);
        }
        f.parse()
            .map(Some)
            .map_err(|_| anyhow::anyhow!("configuración inválida: reloj.fecha_fija: '{f}' no es una fecha AAAA-MM-DD"))
    }

    pub fn jwt_secret(&self) -> Option<&str> {
        Some(self.auth.jwt_secret.expose()).filter(|s| !s.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn secrets_do_not_show_in_debug() {
        let s = Settings::load(
            None,
            env(&[
                ("TRAZO_AUTH__JWT_SECRET", "una-clave-muy-secreta-de-32-caracteres-o-mas"),
                ("TRAZO_SMTP__CLAVE", "clave-del-correo"),
            ]),
        )
        .unwrap();
        let impreso = format!("{s:?}");
        assert!(
            !impreso.contains("muy-secreta") && !impreso.contains("clave-del-correo"),
            "{impreso}"
        );
        assert!(impreso.contains("jwt_secret: ***"), "{impreso}");
        assert_eq!(s.jwt_secret(), Some("una-clave-muy-secreta-de-32-caracteres-o-mas"));
        assert_eq!(s.smtp.clave.expose(), "clave-del-correo");
    }

    #[test]
    fn defaults_load_with_an_empty_environment() {
        let s = Settings::load(None, env(&[])).unwrap();
        assert_eq!(s.server.port, 8080);
        assert_eq!(s.data_dir, PathBuf::from("./data"));
        assert_eq!(s.database_url(), "./data/trazo.db");
        assert_eq!(s.jwt_secret(), None);
    }

    #[test]
    fn file_then_environment_override_in_order() {
        let dir = std::env::temp_dir().join(format!("trazo-cfg-{}", uuid::Uuid::now_v7()));
        std::fs::create_dir_all(&dir).unwrap();
        let f = dir.join("trazo.toml");
        std::fs::write(&f, "[server]\nport = 9000\n[auth]\ntoken_ttl_minutes = 30\n").unwrap();
        let s = Settings::load(
            Some(&f),
            env(&[("TRAZO_PORT", "9100"), ("DATABASE_URL", "postgres://x@h/db")]),
        )
        .unwrap();
        assert_eq!(s.server.port, 9100);
        assert_eq!(s.auth.token_ttl_minutes, 30);
        assert_eq!(s.database_url(), "postgres://x@h/db");
        let s = Settings::load(Some(&f), env(&[("TRAZO_AUTH__TOKEN_TTL_MINUTES", "15")])).unwrap();
        assert_eq!((s.server.port, s.auth.token_ttl_minutes), (9000, 15));
        std::fs::remove_dir_all(dir).ok();
    }

    #[test]
    fn bad_values_name_the_key() {
        let e = Settings::load(None, env(&[("TRAZO_PORT", "ochenta")]))
            .unwrap_err()
            .to_string();
        assert!(e.contains("server.port"), "{e}");
        let e = Settings::load(None, env(&[("TRAZO_AUTH__TOKEN_TTL_MINUTES", "0")]))
            .unwrap_err()
            .to_string();
        assert!(e.contains("auth.token_ttl_minutes"), "{e}");
        let e = Settings::load(None, env(&[("TRAZO_LOG__FORMAT", "xml")]))
            .unwrap_err()
            .to_string();
        assert!(e.contains("log.format"), "{e}");
        let e = Settings::load(Some(Path::new("/no/such/trazo.toml")), env(&[]))
            .unwrap_err()
            .to_string();
        assert!(e.contains("/no/such/trazo.toml"), "{e}");
    }

    #[test]
    fn account_codes_are_overridden_and_checked_at_start() {
        let s = Settings::load(None, env(&[])).unwrap();
        assert_eq!(s.contabilidad.cuenta_por_cobrar, "130505");
        // From the environment a code comes as a number; it stays the same digits.
        let s = Settings::load(None, env(&[("TRAZO_CONTABILIDAD__BANCOS", "11100501")])).unwrap();
        assert_eq!(s.contabilidad.bancos, "11100501");
        let e = Settings::load(None, env(&[("TRAZO_CONTABILIDAD__INGRESOS", "ventas")]))
            .unwrap_err()
            .to_string();
        assert!(e.contains("contabilidad.ingresos") && e.contains("'ventas'"), "{e}");
        let e = Settings::load(None, env(&[("TRAZO_CONTABILIDAD__BANCOS", "130505")]))
            .unwrap_err()
            .to_string();
        assert!(e.contains("contabilidad.bancos"), "{e}");
    }
}
