//! Passwords (argon2id) and access tokens (JWT, HS256).

use std::path::Path;

use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use super::{Actor, AppError};
use crate::db::{usuarios, Db};
use crate::domain::rol::Rol;

/// Hashes a password with argon2id and a random salt (PHC string).
pub fn hash_password(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(anyhow::anyhow!("argon2: {e}")))
}

fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc)
        .map(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
        .unwrap_or(false)
}

/// What a token says about its bearer.
#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    /// usuario id
    pub sub: String,
    /// prestador id: the tenant every request of this token is confined to
    pub pid: String,
    pub rol: Rol,
    pub iat: i64,
    pub exp: i64,
}

/// Signing and checking keys, and how long a token lives.
#[derive(Clone)]
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    pub ttl_seconds: i64,
}

impl TokenKeys {
    pub fn from_secret(secret: &[u8], ttl_seconds: i64) -> TokenKeys {
        TokenKeys {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            ttl_seconds,
        }
    }

    /// The configured secret, or else one generated on first start and kept in the data
    /// directory, so that tokens survive restarts and no key is ever built into the source.
    pub fn load(configured: Option<&str>, data_dir: &Path, ttl_seconds: i64) -> anyhow::Result<TokenKeys> {
        if let Some(s) = configured {
            anyhow::ensure!(s.len() >= 32, "auth.jwt_secret debe tener al menos 32 caracteres");
            return Ok(TokenKeys::from_secret(s.as_bytes(), ttl_seconds));
        }
        let path = data_dir.join("jwt.key");
        let secret = match std::fs::read(&path) {
            Ok(bytes) if bytes.len() >= 32 => bytes,
            Ok(_) => anyhow::bail!(
                "la clave {} está dañada (muy corta); bórrela para generar otra",
                path.display()
            ),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                std::fs::create_dir_all(data_dir)?;
                let secret: Vec<u8> = (0..64).map(|_| rand::random::<u8>()).collect();
                write_private(&path, &secret)?;
                secret
            }
            Err(e) => anyhow::bail!("no se pudo leer {}: {e}", path.display()),
        };
        Ok(TokenKeys::from_secret(&secret, ttl_seconds))
    }

    pub fn issue(&self, usuario_id: &str, prestador_id: &str, rol: Rol) -> Result<String, AppError> {
        let now = chrono::Utc::now().timestamp();
        let claims = Claims {
            sub: usuario_id.to_string(),
            pid: prestador_id.to_string(),
            rol,
            iat: now,
            exp: now + self.ttl_seconds,
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| AppError::Internal(anyhow::anyhow!("jwt: {e}")))
    }

    pub fn verify(&self, token: &str) -> Result<Actor, AppError> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 5;
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &validation).map_err(|e| {
            AppError::Unauthorized(match e.kind() {
                jsonwebtoken::errors::ErrorKind::ExpiredSignature => "la sesión expiró; inicie sesión de nuevo".into(),
                _ => "el token de acceso no es válido".into(),
            })
        })?;
        Ok(Actor {
            usuario_id: data.claims.sub,
            prestador_id: data.claims.pid,
            rol: data.claims.rol,
        })
    }
}

#[cfg(unix)]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(bytes)
}

#[cfg(not(unix))]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, bytes)
}

/// A granted session.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Sesion {
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: &'static str,
    /// Seconds until the token expires.
    pub expires_in: i64,
}

/// Checks an e-mail and password. The same answer, and about the same time, whether the
/// e-mail exists or not, so the login cannot be used to discover accounts.
pub fn login(db: &Db, keys: &TokenKeys, email: &str, password: &str) -> Result<Sesion, AppError> {
    let u = verificar(db, email, password)?;
    Ok(Sesion {
        access_token: keys.issue(&u.id, &u.prestador_id, u.rol)?,
        token_type: "Bearer",
        expires_in: keys.ttl_seconds,
    })
}

/// The active user with this e-mail and password, for a token or a web session; the same
/// refusal, in about the same time, whether the e-mail exists or not.
pub fn verificar(db: &Db, email: &str, password: &str) -> Result<usuarios::Usuario, AppError> {
    let email = email.trim().to_lowercase();
    let usuario = db.read(|c| Ok::<_, AppError>(usuarios::por_email(c, &email)?))?;
    let rechazo = || AppError::Unauthorized("correo o contraseña incorrectos".into());
    let Some(u) = usuario else {
        verify_password(
            password,
            DUMMY_HASH.get_or_init(|| hash_password("x").unwrap_or_default()),
        );
        return Err(rechazo());
    };
    if !verify_password(password, &u.password_hash) || !u.activo {
        return Err(rechazo());
    }
    Ok(u)
}

static DUMMY_HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// Who a token's holder is now: a token says who logged in, the database says whether that
/// user still exists, is active, and with which role and prestador. Answers are kept a few
/// seconds per user (a cheap check on every request); a change made through this server
/// forgets them at once, another server's change is seen within [`Vigentes::TTL`].
/// When a user was last looked up, and what was found: the actor, or why it may not act.
type Visto = (std::time::Instant, Result<Actor, String>);

#[derive(Default)]
pub struct Vigentes {
    cache: std::sync::Mutex<std::collections::HashMap<String, Visto>>,
}

impl Vigentes {
    pub const TTL: std::time::Duration = std::time::Duration::from_secs(5);

    /// What is known of the token's user from the last few seconds, if anything: the actor,
    /// or 401 if that user is gone or disabled.
    pub fn en_cache(&self, del_token: &Actor) -> Option<Result<Actor, AppError>> {
        let r = self.cache.lock().ok().and_then(|m| {
            m.get(&del_token.usuario_id)
                .filter(|(t, _)| t.elapsed() < Self::TTL)
                .map(|(_, r)| r.clone())
        })?;
        Some(Self::juzgar(r, del_token))
    }

    /// The actor the token's user is now, asking the database, or 401 if that user is gone
    /// or disabled.
    pub fn consultar(&self, db: &Db, del_token: &Actor) -> Result<Actor, AppError> {
        let id = &del_token.usuario_id;
        let r = match db.read(|c| Ok::<_, AppError>(usuarios::vigencia(c, id)?))? {
            None => Err("el usuario de este token ya no existe; inicie sesión de nuevo".to_string()),
            Some((_, _, false)) => Err("el usuario está desactivado; pida acceso al administrador".to_string()),
            Some((prestador_id, rol, true)) => Ok(Actor {
                usuario_id: id.clone(),
                prestador_id,
                rol,
            }),
        };
        if let Ok(mut m) = self.cache.lock() {
            if m.len() > 100_000 {
                m.clear();
            }
            m.insert(id.clone(), (std::time::Instant::now(), r.clone()));
        }
        Self::juzgar(r, del_token)
    }

    fn juzgar(r: Result<Actor, String>, del_token: &Actor) -> Result<Actor, AppError> {
        match r {
            // A token of one prestador never acts in another, even if the user moved.
            Ok(a) if a.prestador_id == del_token.prestador_id => Ok(a),
            Ok(_) => Err(AppError::Unauthorized(
                "el token ya no corresponde al prestador del usuario; inicie sesión de nuevo".into(),
            )),
            Err(m) => Err(AppError::Unauthorized(m)),
        }
    }

    /// Forgets what is known of a user, after a change of its role or state.
    pub fn olvidar(&self, usuario_id: &str) {
        if let Ok(mut m) = self.cache.lock() {
            m.remove(usuario_id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_hash_is_argon2id_and_verifies_only_the_right_password() {
        let h = hash_password("correcta").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correcta", &h));
        assert!(!verify_password("incorrecta", &h));
        assert!(!verify_password("correcta", "no es un hash"));
    }

    #[test]
    fn tokens_verify_with_their_key_only_and_expire() {
        let keys = TokenKeys::from_secret(&[7u8; 32], 60);
        let t = keys.issue("u1", "p1", Rol::Cartera).unwrap();
        let actor = keys.verify(&t).unwrap();
        assert_eq!(
            (actor.usuario_id.as_str(), actor.prestador_id.as_str(), actor.rol),
            ("u1", "p1", Rol::Cartera)
        );
        let other = TokenKeys::from_secret(&[8u8; 32], 60);
        assert!(matches!(other.verify(&t), Err(AppError::Unauthorized(_))));
        let expired = TokenKeys::from_secret(&[7u8; 32], -3600)
            .issue("u1", "p1", Rol::Cartera)
            .unwrap();
        match keys.verify(&expired) {
            Err(AppError::Unauthorized(m)) => assert!(m.contains("expiró")),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn generated_key_is_kept_and_reused() {
        let dir = tempfile_dir();
        let a = TokenKeys::load(None, &dir, 60)
            .unwrap()
            .issue("u", "p", Rol::Admin)
            .unwrap();
        let b = TokenKeys::load(None, &dir, 60).unwrap();
        assert!(b.verify(&a).is_ok());
        assert!(TokenKeys::load(Some("corto"), &dir, 60).is_err());
        std::fs::remove_dir_all(dir).ok();
    }

    fn tempfile_dir() -> std::path::PathBuf {
        let d = std::env::temp_dir().join(format!("trazo-auth-{}", uuid::Uuid::now_v7()));
        std::fs::create_dir_all(&d).unwrap();
        d
    }
}
