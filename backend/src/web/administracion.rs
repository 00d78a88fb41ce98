//! Administración: the users and their roles (create, disable or enable, change the role, reset
//! the password), the payers, the contracts, the payer sheet profiles in use and the legal terms
//! in force with their sources. The same use cases as `/api/v1/usuarios`, `/api/v1/pagadores`
//! and `/api/v1/contratos`; who may do what is theirs to say.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::formato::{fecha, fecha_o_guion, palabras, pesos};
use super::sesion::{con_aviso, formulario, pagina, Usuario};
use super::{nombre_rol, ErrorWeb, Marco};
use crate::api::AppState;
use crate::app::pagadores::{self, ConsultaPagadores, NuevoPagador};
use crate::app::usuarios::{self, CambioUsuario, NuevoUsuario};
use crate::app::{configuracion, contratos, AppError, Pagina};
use crate::domain::contrato::Modalidad;
use crate::domain::pagador::TipoPagador;
use crate::domain::rol::Rol;
use crate::domain::terminos::{Termino, Unidad};

const POR_PAGINA: i64 = 50;

/// The messages of a form, by field (`path` of the use case's violations).
#[derive(Default)]
pub struct Errores(Vec<(String, String)>);

impl Errores {
    /// The message for `campo`, if any ("; " between several).
    pub fn de(&self, campo: &str) -> Option<String> {
        let m: Vec<&str> = self
            .0
            .iter()
            .filter(|(c, _)| c == campo)
            .map(|(_, m)| m.as_str())
            .collect();
        (!m.is_empty()).then(|| primera_mayuscula(&m.join("; ")))
    }

    fn con(mut self, campo: &str, m: impl Into<String>) -> Self {
        self.0.push((campo.to_string(), m.into()));
        self
    }

    pub fn vacio(&self) -> bool {
        self.0.is_empty()
    }

    /// The errors a use case gave that a form shows beside its fields: the violations, and a
    /// conflict (a taken e-mail or NIT, a stale version) beside `campo_conflicto`. Anything
    /// else is not the form's to show.
    fn de_app(e: AppError, campo_conflicto: &str) -> Result<Errores, AppError> {
        match e {
            AppError::Invalid(v) => Ok(Errores(v.into_iter().map(|x| (x.path, x.message)).collect())),
            AppError::Conflict(m) => Ok(Errores::default().con(campo_conflicto, m)),
            e => Err(e),
        }
    }
}

fn primera_mayuscula(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|p| p.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// `?page=` of a list.
#[derive(Deserialize, Default)]
struct Pag {
    page: Option<i64>,
}

/// Page `actual` of `total` rows: (pages, previous, next) with their URLs built by `url`.
fn paginas(total: i64, actual: i64, url: impl Fn(i64) -> String) -> (i64, Option<String>, Option<String>) {
    let n = ((total + POR_PAGINA - 1) / POR_PAGINA).max(1);
    (
        n,
        (actual > 1).then(|| url(actual - 1)),
        (actual < n).then(|| url(actual + 1)),
    )
}

fn roles() -> Vec<(&'static str, &'static str)> {
    Rol::ALL.iter().map(|r| (r.as_str(), nombre_rol(*r))).collect()
}

// ---------------------------------------------------------------------------------------------
// The section's first page.

#[derive(Template)]
#[template(path = "admin.html")]
struct Inicio {
    marco: Marco,
    pestana: &'static str,
    usuarios: i64,
    pagadores: i64,
    contratos: i64,
    perfiles: usize,
    terminos: usize,
}

async fn inicio(state: web::Data<AppState>, u: Usuario) -> Result<HttpResponse, ErrorWeb> {
    let actor = u.sesion.actor.clone();
    let st = state.clone();
    let (nu, np, nc, nperf, nterm) = web::block(move || {
        let uno = Pagina { page: 1, per_page: 1 };
        let nu = usuarios::listar(&st.db, &actor, uno)?.total;
        let np = pagadores::listar(
            &st.db,
            &actor,
            ConsultaPagadores {
                page: Some(1),
                per_page: Some(1),
                ..Default::default()
            },
            false,
        )?
        .total;
        let nc = contratos::listar(&st.db, &actor, None, Some(Pagina { page: 1, per_page: 1 }))?.total;
        let nperf = configuracion::perfiles(&actor, &st.perfiles)?.len();
        let nterm = configuracion::terminos(&actor, &st.terminos)?.todos().len();
        Ok::<_, AppError>((nu, np, nc, nperf, nterm))
    })
    .await?
    .map_err(Marco::fallo(&u))?;
    pagina(
        &u,
        &Inicio {
            marco: Marco::de(&u, "Administración", "/administracion"),
            pestana: "",
            usuarios: nu,
            pagadores: np,
            contratos: nc,
            perfiles: nperf,
            terminos: nterm,
        },
    )
}

// ---------------------------------------------------------------------------------------------
// Usuarios.

pub struct FilaUsuario {
    pub id: String,
    pub email: String,
    pub nombre: String,
    pub rol: &'static str,
    pub rol_codigo: &'static str,
    pub activo: bool,
    pub version: i32,
    pub creado: String,
    /// The signed-in admin herself.
    pub yo: bool,
}

/// What was typed in the form of a new user (never the password).
#[derive(Default)]
pub struct Tecleado {
    pub email: String,
    pub nombre: String,
    pub rol: String,
    pub pagador_id: String,
}

#[derive(Template)]
#[template(path = "admin_usuarios.html")]
struct Usuarios {
    marco: Marco,
    pestana: &'static str,
    filas: Vec<FilaUsuario>,
    roles: Vec<(&'static str, &'static str)>,
    /// The payers a payer's user may belong to.
    pagadores: Vec<(String, String)>,
    nuevo: Tecleado,
    errores: Errores,
    /// The user whose change failed, and why.
    fallo_fila: Option<(String, Errores)>,
    total: i64,
    pagina: i64,
    paginas: i64,
    anterior: Option<String>,
    siguiente: Option<String>,
}

impl Usuarios {
    /// The message of the failed change of the row `id`, on field `campo`.
    fn error_fila(&self, id: &str, campo: &str) -> Option<String> {
        self.fallo_fila
            .as_ref()
            .filter(|(f, _)| f == id)
            .and_then(|(_, e)| e.de(campo))
    }

    fn fila_abierta(&self, id: &str) -> bool {
        self.fallo_fila.as_ref().is_some_and(|(f, _)| f == id)
    }
}

/// The users page, with the form as typed and the errors of what failed.
async fn usuarios_pagina(
    state: &web::Data<AppState>,
    u: &Usuario,
    page: i64,
    nuevo: Tecleado,
    errores: Errores,
    fallo_fila: Option<(String, Errores)>,
) -> Result<HttpResponse, ErrorWeb> {
    let actor = u.sesion.actor.clone();
    let st = state.clone();
    let pag = Pagina::new(Some(page), Some(POR_PAGINA)).map_err(Marco::fallo(u))?;
    let (l, pagadores) = web::block(move || {
        let l = usuarios::listar(&st.db, &actor, pag)?;
        let p = crate::app::pagadores::listar(&st.db, &actor, Default::default(), true)?;
        Ok::<_, AppError>((l, p.items.into_iter().map(|p| (p.id, p.nombre)).collect::<Vec<_>>()))
    })
    .await?
    .map_err(Marco::fallo(u))?;
    let (n, anterior, siguiente) = paginas(l.total, page, |p| format!("/administracion/usuarios?page={p}"));
    let yo = u.sesion.actor.usuario_id.clone();
    let filas = l
        .items
        .into_iter()
        .map(|x| FilaUsuario {
            yo: x.id == yo,
            rol: nombre_rol(x.rol),
            rol_codigo: x.rol.as_str(),
            creado: fecha(x.creado_en.date_naive()),
            id: x.id,
            email: x.email,
            nombre: x.nombre,
            activo: x.activo,
            version: x.version,
        })
        .collect();
    let falla = !errores.vacio() || fallo_fila.is_some();
    let status = match &fallo_fila {
        Some((_, e)) if e.de("version").is_some() => StatusCode::CONFLICT,
        _ if falla => StatusCode::UNPROCESSABLE_ENTITY,
        _ => StatusCode::OK,
    };
    let p = Usuarios {
        marco: Marco::de(u, "Usuarios", "/administracion"),
        pestana: "usuarios",
        filas,
        roles: roles(),
        pagadores,
        nuevo,
        errores,
        fallo_fila,
        total: l.total,
        pagina: page,
        paginas: n,
        anterior,
        siguiente,
    };
    let mut r = pagina(u, &p)?;
    *r.status_mut() = status;
    Ok(r)
}

async fn usuarios_lista(state: web::Data<AppState>, u: Usuario, q: web::Query<Pag>) -> Result<HttpResponse, ErrorWeb> {
    let page = q.page.unwrap_or(1).max(1);
    usuarios_pagina(&state, &u, page, Tecleado::default(), Errores::default(), None).await
}

#[derive(Deserialize)]
struct FormUsuario {
    #[serde(default)]
    email: String,
    #[serde(default)]
    nombre: String,
    #[serde(default)]
    rol: String,
    #[serde(default)]
    password: String,
    /// For role pagador: the payer whose window the user sees.
    #[serde(default)]
    pagador_id: String,
}

async fn usuario_crear(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: Usuario,
    cuerpo: web::Bytes,
) -> Result<HttpResponse, ErrorWeb> {
    let f: FormUsuario = formulario(&req, &u, &cuerpo)?;
    let tecleado = Tecleado {
        email: f.email.clone(),
        nombre: f.nombre.clone(),
        rol: f.rol.clone(),
        pagador_id: f.pagador_id.clone(),
    };
    let rol = match f.rol.parse::<Rol>() {
        Ok(r) => r,
        Err(_) => {
            let e = Errores::default().con("rol", "elija el rol del usuario");
            return usuarios_pagina(&state, &u, 1, tecleado, e, None).await;
        }
    };
    let actor = u.sesion.actor.clone();
    let st = state.clone();
    let nuevo = NuevoUsuario {
        // Only a payer's user takes the payer chosen (the field stays on the form otherwise).
        pagador_id: Some(f.pagador_id).filter(|p| rol == Rol::Pagador && !p.is_empty()),
        email: f.email,
        nombre: f.nombre,
        rol,
        password: f.password,
    };
    match web::block(move || usuarios::crear(&st.db, &actor, nuevo)).await? {
        Ok(creado) => Ok(con_aviso(
            "/administracion/usuarios",
            &format!(
                "Usuario {} creado con el rol {}. Entréguele la contraseña por un canal seguro.",
                creado.email,
                nombre_rol(creado.rol)
            ),
        )),
        Err(e) => {
            let e = Errores::de_app(e, "email").map_err(Marco::fallo(&u))?;
            usuarios_pagina(&state, &u, 1, tecleado, e, None).await
        }
    }
}

#[derive(Deserialize)]
struct FormCambio {
    accion: String,
    version: i32,
    #[serde(default)]
    motivo: String,
    rol: Option<String>,
    password: Option<String>,
}

async fn usuario_modificar(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: Usuario,
    id: web::Path<String>,
    cuerpo: web::Bytes,
) -> Result<HttpResponse, ErrorWeb> {
    let id = id.into_inner();
    let f: FormCambio = formulario(&req, &u, &cuerpo)?;
    let mut cambio = CambioUsuario {
        version: f.version,
        nombre: None,
        rol: None,
        activo: None,
        password: None,
        motivo: f.motivo.trim().to_string(),
    };
    let mut errores = Errores::default();
    match f.accion.as_str() {
        "desactivar" => cambio.activo = Some(false),
        "activar" => cambio.activo = Some(true),
        "rol" => match f.rol.as_deref().unwrap_or_default().parse::<Rol>() {
            Ok(r) => cambio.rol = Some(r),
            Err(_) => errores = errores.con("rol", "elija el rol nuevo"),
        },
        "clave" => cambio.password = f.password,
        otra => {
            return Err(ErrorWeb::App(AppError::invalid(
                "accion",
                format!("acción desconocida '{otra}'"),
            )))
        }
    }
    // The form asks why; the change is kept with it in the corrections log.
    if cambio.motivo.is_empty() {
        errores = errores.con("motivo", "escriba el motivo del cambio");
    }
    if !errores.vacio() {
        return usuarios_pagina(
            &state,
            &u,
            1,
            Tecleado::default(),
            Errores::default(),
            Some((id, errores)),
        )
        .await;
    }
    let accion = f.accion;
    let actor = u.sesion.actor.clone();
    let st = state.clone();
    let cual = id.clone();
    match web::block(move || usuarios::modificar(&st.db, st.hoy(), &actor, &cual, cambio)).await? {
        Ok(x) => {
            // Its next API request is judged by what the database says now.
            state.vigentes.olvidar(&id);
            let aviso = match accion.as_str() {
                "desactivar" => format!(
                    "Usuario {} desactivado: ya no puede ingresar y sus sesiones se cerraron.",
                    x.email
                ),
                "activar" => format!("Usuario {} activado de nuevo.", x.email),
                "rol" => format!("El rol de {} ahora es {}.", x.email, nombre_rol(x.rol)),
                _ => format!(
                    "Contraseña de {} restablecida; sus sesiones se cerraron. Entréguele la nueva por un canal seguro.",
                    x.email
                ),
            };
            Ok(con_aviso("/administracion/usuarios", &aviso))
        }
        Err(AppError::Conflict(m)) => {
            let e = Errores::default().con("version", m);
            usuarios_pagina(&state, &u, 1, Tecleado::default(), Errores::default(), Some((id, e))).await
        }
        Err(AppError::Invalid(v)) => {
            let e = Errores(v.into_iter().map(|x| (x.path, x.message)).collect());
            usuarios_pagina(&state, &u, 1, Tecleado::default(), Errores::default(), Some((id, e))).await
        }
        Err(e) => Err(Marco::fallo(&u)(e)),
    }
}

// ---------------------------------------------------------------------------------------------
// Pagadores.

#[derive(Deserialize, Default, Clone)]
struct FiltroPagadores {
    #[serde(default)]
    q: String,
    #[serde(default)]
    tipo: String,
    page: Option<i64>,
}

impl FiltroPagadores {
    fn consulta(&self, todas: bool) -> Result<ConsultaPagadores, AppError> {
        let tipo = if self.tipo.is_empty() {
            None
        } else {
            Some(
                self.tipo
                    .parse::<TipoPagador>()
                    .map_err(|e| AppError::invalid("tipo", e.to_string()))?,
            )
        };
        Ok(ConsultaPagadores {
            tipo,
            q: Some(self.q.trim().to_string()).filter(|q| !q.is_empty()),
            page: (!todas).then_some(self.page.unwrap_or(1).max(1)),
            per_page: Some(POR_PAGINA),
            formato: None,
        })
    }

    /// This search's URL at `ruta`, on page `pagina`.
    fn url(&self, ruta: &str, pagina: Option<i64>) -> String {
        let p = pagina.map(|p| p.to_string()).unwrap_or_default();
        super::url(ruta, &[("q", &self.q), ("tipo", &self.tipo), ("page", &p)])
    }
}

pub struct FilaPagador {
    pub nombre: String,
    pub nit: String,
    pub tipo: String,
    pub actualizado: String,
}

#[derive(Default)]
pub struct PagadorTecleado {
    pub nit: String,
    pub nombre: String,
    pub tipo: String,
}

#[derive(Template)]
#[template(path = "admin_pagadores.html")]
struct Pagadores {
    marco: Marco,
    pestana: &'static str,
    f: FiltroPagadores,
    tipos: Vec<(&'static str, String)>,
    filas: Vec<FilaPagador>,
    nuevo: PagadorTecleado,
    errores: Errores,
    total: i64,
    pagina: i64,
    paginas: i64,
    anterior: Option<String>,
    siguiente: Option<String>,
    xlsx: String,
}

async fn pagadores_pagina(
    state: &web::Data<AppState>,
    u: &Usuario,
    f: FiltroPagadores,
    nuevo: PagadorTecleado,
    errores: Errores,
) -> Result<HttpResponse, ErrorWeb> {
    let consulta = f.consulta(false).map_err(Marco::fallo(u))?;
    let actor = u.sesion.actor.clone();
    let st = state.clone();
    let l = web::block(move || pagadores::listar(&st.db, &actor, consulta, false))
        .await?
        .map_err(Marco::fallo(u))?;
    let actual = f.page.unwrap_or(1).max(1);
    let (n, anterior, siguiente) = paginas(l.total, actual, |p| f.url("/administracion/pagadores", Some(p)));
    let filas = l
        .items
        .into_iter()
        .map(|p| FilaPagador {
            nit: format!("{}-{}", p.nit, p.digito_verificacion),
            tipo: palabras(p.tipo.as_str()),
            actualizado: fecha(p.actualizado_en.date_naive()),
            nombre: p.nombre,
        })
        .collect();
    let status = if errores.vacio() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let p = Pagadores {
        marco: Marco::de(u, "Pagadores", "/administracion"),
        pestana: "pagadores",
        tipos: TipoPagador::ALL
            .iter()
            .map(|t| (t.as_str(), palabras(t.as_str())))
            .collect(),
        filas,
        nuevo,
        errores,
        total: l.total,
        pagina: actual,
        paginas: n,
        anterior,
        siguiente,
        xlsx: f.url("/administracion/pagadores.xlsx", None),
        f,
    };
    let mut r = pagina(u, &p)?;
    *r.status_mut() = status;
    Ok(r)
}

async fn pagadores_lista(
    state: web::Data<AppState>,
    u: Usuario,
    q: web::Query<FiltroPagadores>,
) -> Result<HttpResponse, ErrorWeb> {
    pagadores_pagina(
        &state,
        &u,
        q.into_inner(),
        PagadorTecleado::default(),
        Errores::default(),
    )
    .await
}

async fn pagadores_xlsx(
    state: web::Data<AppState>,
    u: Usuario,
    q: web::Query<FiltroPagadores>,
) -> Result<HttpResponse, ErrorWeb> {
    let consulta = q.consulta(true).map_err(Marco::fallo(&u))?;
    let actor = u.sesion.actor.clone();
    let bytes = web::block(move || {
        let l = pagadores::listar(&state.db, &actor, consulta, true)?;
        pagadores::xlsx(&l)
    })
    .await?
    .map_err(Marco::fallo(&u))?;
    let mut r = crate::api::reportes::xlsx("pagadores.xlsx", bytes);
    super::cabeceras(r.headers_mut());
    Ok(r)
}

#[derive(Deserialize)]
struct FormPagador {
    #[serde(default)]
    nit: String,
    #[serde(default)]
    nombre: String,
    #[serde(default)]
    tipo: String,
}

async fn pagador_crear(
    state: web::Data<AppState>,
    req: HttpRequest,
    u: Usuario,
    cuerpo: web::Bytes,
) -> Result<HttpResponse, ErrorWeb> {
    let f: FormPagador = formulario(&req, &u, &cuerpo)?;
    let tecleado = PagadorTecleado {
        nit: f.nit.clone(),
        nombre: f.nombre.clone(),
        tipo: f.tipo.clone(),
    };
    let Ok(tipo) = f.tipo.parse::<TipoPagador>() else {
        let e = Errores::default().con("tipo", "elija el tipo de pagador");
        return pagadores_pagina(&state, &u, FiltroPagadores::default(), tecleado, e).await;
    };
    let actor = u.sesion.actor.clone();
    let st = state.clone();
    let nuevo = NuevoPagador {
        nit: f.nit,
        nombre: f.nombre,
        tipo,
    };
    match web::block(move || pagadores::crear(&st.db, &actor, nuevo)).await? {
        Ok(p) => Ok(con_aviso(
            "/administracion/pagadores",
            &format!("Pagador {} (NIT {}-{}) creado.", p.nombre, p.nit, p.digito_verificacion),
        )),
        Err(e) => {
            let e = Errores::de_app(e, "nit").map_err(Marco::fallo(&u))?;
            pagadores_pagina(&state, &u, FiltroPagadores::default(), tecleado, e).await
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Contratos.

pub struct FilaContrato {
    pub numero: String,
    pub pagador: String,
    pub modalidad: String,
    pub inicio: String,
    pub fin: String,
    pub plazo: i32,
    pub valor: String,
}

#[derive(Template)]
#[template(path = "admin_contratos.html")]
struct Contratos {
    marco: Marco,
    pestana: &'static str,
    filas: Vec<FilaContrato>,
    total: i64,
    pagina: i64,
    paginas: i64,
    anterior: Option<String>,
    siguiente: Option<String>,
}

/// A contract's modality as the sector writes it.
pub fn modalidad(m: Modalidad) -> &'static str {
    match m {
        Modalidad::Evento => "Evento",
        Modalidad::Capita => "Cápita",
        Modalidad::Pgp => "PGP (pago global prospectivo)",
        Modalidad::Paquete => "Paquete o canasta",
        Modalidad::Grd => "GRD (grupo relacionado por diagnóstico)",
        Modalidad::Otra => "Otra",
    }
}

async fn contratos_lista(state: web::Data<AppState>, u: Usuario, q: web::Query<Pag>) -> Result<HttpResponse, ErrorWeb> {
    let actual = q.page.unwrap_or(1).max(1);
    let pag = Pagina::new(Some(actual), Some(POR_PAGINA)).map_err(Marco::fallo(&u))?;
    let actor = u.sesion.actor.clone();
    let l = web::block(move || contratos::listar(&state.db, &actor, None, Some(pag)))
        .await?
        .map_err(Marco::fallo(&u))?;
    let (n, anterior, siguiente) = paginas(l.total, actual, |p| format!("/administracion/contratos?page={p}"));
    let filas = l
        .items
        .into_iter()
        .map(|x| FilaContrato {
            numero: x.contrato.numero,
            pagador: x.pagador,
            modalidad: modalidad(x.contrato.modalidad).to_string(),
            inicio: fecha(x.contrato.fecha_inicio),
            fin: fecha_o_guion(x.contrato.fecha_fin),
            plazo: x.contrato.plazo_pago_dias,
            valor: x.contrato.valor.map_or_else(|| "—".to_string(), pesos),
        })
        .collect();
    pagina(
        &u,
        &Contratos {
            marco: Marco::de(&u, "Contratos", "/administracion"),
            pestana: "contratos",
            filas,
            total: l.total,
            pagina: actual,
            paginas: n,
            anterior,
            siguiente,
        },
    )
}

async fn contratos_xlsx(state: web::Data<AppState>, u: Usuario) -> Result<HttpResponse, ErrorWeb> {
    let actor = u.sesion.actor.clone();
    let bytes = web::block(move || {
        let l = contratos::listar(&state.db, &actor, None, None)?;
        contratos::xlsx(&l)
    })
    .await?
    .map_err(Marco::fallo(&u))?;
    let mut r = crate::api::reportes::xlsx("contratos.xlsx", bytes);
    super::cabeceras(r.headers_mut());
    Ok(r)
}

// ---------------------------------------------------------------------------------------------
// Perfiles de hojas.

pub struct SeccionPerfil {
    pub titulo: &'static str,
    /// (field, header names it may have).
    pub campos: Vec<(String, String)>,
}

pub struct VistaPerfil {
    pub nombre: String,
    pub secciones: Vec<SeccionPerfil>,
}

#[derive(Template)]
#[template(path = "admin_perfiles.html")]
struct Perfiles {
    marco: Marco,
    pestana: &'static str,
    perfiles: Vec<VistaPerfil>,
}

fn seccion(titulo: &'static str, m: &std::collections::HashMap<String, Vec<String>>) -> Option<SeccionPerfil> {
    if m.is_empty() {
        return None;
    }
    let mut campos: Vec<(String, String)> = m
        .iter()
        .map(|(k, v)| {
            let cols: Vec<String> = v.iter().map(|c| format!("«{c}»")).collect();
            (k.clone(), cols.join(", "))
        })
        .collect();
    campos.sort();
    Some(SeccionPerfil { titulo, campos })
}

async fn perfiles(state: web::Data<AppState>, u: Usuario) -> Result<HttpResponse, ErrorWeb> {
    let lista = configuracion::perfiles(&u.sesion.actor, &state.perfiles).map_err(Marco::fallo(&u))?;
    let perfiles = lista
        .iter()
        .map(|p| VistaPerfil {
            nombre: p.nombre.clone(),
            secciones: [
                seccion("Glosas", &p.glosas),
                seccion("Pagos", &p.pagos),
                seccion("Estados de cuenta", &p.estados_cuenta),
            ]
            .into_iter()
            .flatten()
            .collect(),
        })
        .collect();
    pagina(
        &u,
        &Perfiles {
            marco: Marco::de(&u, "Perfiles de hojas de pagadores", "/administracion"),
            pestana: "perfiles",
            perfiles,
        },
    )
}

// ---------------------------------------------------------------------------------------------
// Términos legales.

/// Each term of `config/terminos.toml`: its name and what it applies to, in the words of the
/// people who use Trazo.
pub fn termino_en_palabras(clave: &str) -> Option<(&'static str, &'static str)> {
    Some(match clave {
        "radicacion" => (
            "Radicación",
            "El prestador radica la factura con sus soportes, contado desde la expedición.",
        ),
        "devolucion" => (
            "Devolución",
            "El pagador puede devolver la factura completa, una sola vez, contado desde la radicación.",
        ),
        "respuesta_devolucion" => (
            "Respuesta a la devolución",
            "El prestador responde la devolución que considera injustificada, contado desde que la recibe; \
             su silencio la acepta.",
        ),
        "reiteracion_devolucion" => (
            "Reiteración de la devolución",
            "El pagador acepta la respuesta o reitera la devolución, contado desde que recibe la respuesta.",
        ),
        "reradicacion" => (
            "Nueva radicación",
            "La factura devuelta, corregida, se radica de nuevo desde que la devolución queda en firme.",
        ),
        "glosa" => (
            "Glosa",
            "El pagador formula y comunica sus glosas, contado desde la radicación.",
        ),
        "respuesta" => (
            "Respuesta a la glosa",
            "El prestador responde cada glosa, contado desde que la recibe.",
        ),
        "decision" => (
            "Decisión del pagador",
            "El pagador levanta o ratifica la glosa, contado desde que recibe la respuesta.",
        ),
        "subsanacion" => (
            "Subsanación",
            "El prestador subsana la glosa no levantada que puede corregirse, contado desde la decisión.",
        ),
        "pago_levantado" => (
            "Pago de lo levantado",
            "El pagador paga los valores levantados, contado desde la decisión.",
        ),
        "pago_anticipo" => (
            "Pago anticipado",
            "El pagador paga la parte anticipada de la factura por evento, contado desde la radicación.",
        ),
        "pago" => (
            "Pago",
            "El pagador paga la factura por evento, contado desde la radicación.",
        ),
        "conciliacion" => (
            "Conciliación",
            "Meta interna para cerrar la conciliación de una glosa ratificada.",
        ),
        "prescripcion" => (
            "Prescripción",
            "Un pago sin detalle no se aplica a facturas cuyo plazo de pago venció hace más que esto.",
        ),
        _ => return None,
    })
}

/// "22 días hábiles", "1.095 días calendario".
pub fn duracion(t: &Termino) -> String {
    let unidad = match t.unidad {
        Unidad::Habiles if t.dias == 1 => "día hábil",
        Unidad::Habiles => "días hábiles",
        Unidad::Calendario if t.dias == 1 => "día calendario",
        Unidad::Calendario => "días calendario",
    };
    let mut n = t.dias.to_string();
    let mut i = n.len();
    while i > 3 {
        i -= 3;
        n.insert(i, '.');
    }
    format!("{n} {unidad}")
}

pub struct FilaTermino {
    pub nombre: String,
    pub aplica: String,
    pub duracion: String,
    pub fuente: String,
}

pub struct FilaRegla {
    pub regla: String,
    pub vale: String,
    pub fuente: String,
}

#[derive(Template)]
#[template(path = "admin_terminos.html")]
struct Terminos {
    marco: Marco,
    pestana: &'static str,
    filas: Vec<FilaTermino>,
    reglas: Vec<FilaRegla>,
}

fn si_no(b: bool) -> String {
    if b { "Sí" } else { "No" }.to_string()
}

async fn terminos(state: web::Data<AppState>, u: Usuario) -> Result<HttpResponse, ErrorWeb> {
    let t = configuracion::terminos(&u.sesion.actor, &state.terminos).map_err(Marco::fallo(&u))?;
    let filas = t
        .todos()
        .into_iter()
        .map(|(clave, x)| {
            let (nombre, aplica) = termino_en_palabras(clave).unwrap_or(("", ""));
            FilaTermino {
                nombre: if nombre.is_empty() {
                    palabras(clave)
                } else {
                    nombre.to_string()
                },
                aplica: aplica.to_string(),
                duracion: duracion(x),
                fuente: x.fuente.clone(),
            }
        })
        .collect();
    let r = &t.reglas;
    let regla = |texto: &str, vale: String, fuente: &str| FilaRegla {
        regla: texto.to_string(),
        vale,
        fuente: fuente.to_string(),
    };
    let reglas = vec![
        regla(
            "Una glosa no respondida a tiempo queda aceptada por el prestador",
            si_no(r.aceptacion_tacita),
            &r.aceptacion_tacita_fuente,
        ),
        regla(
            "Una respuesta tardía no deshace esa aceptación",
            si_no(r.aceptacion_tacita_tras_respuesta_tardia),
            &r.aceptacion_tacita_tras_respuesta_tardia_fuente,
        ),
        regla(
            "El silencio también acepta una glosa extemporánea",
            si_no(r.aceptacion_tacita_glosa_extemporanea),
            &r.aceptacion_tacita_glosa_extemporanea_fuente,
        ),
        regla(
            "El silencio del pagador sobre la respuesta levanta la glosa",
            si_no(r.levantamiento_tacito),
            &r.levantamiento_tacito_fuente,
        ),
        regla(
            "Una devolución no respondida a tiempo queda aceptada",
            si_no(r.devolucion_aceptacion_tacita),
            &r.devolucion_aceptacion_tacita_fuente,
        ),
        regla(
            "Una devolución respondida que el pagador no reitera era injustificada",
            si_no(r.devolucion_injustificada_por_silencio),
            &r.devolucion_injustificada_por_silencio_fuente,
        ),
        regla(
            "Parte de la factura que se paga en el plazo del pago anticipado",
            format!("{} %", r.pago_anticipo_porcentaje),
            &t.pago_anticipo.fuente,
        ),
        regla(
            "Fecha de la glosa que se compara con su término para llamarla extemporánea",
            match r.extemporaneidad_glosa_segun {
                crate::domain::terminos::FechaGlosa::Recepcion => "La de recepción".to_string(),
                crate::domain::terminos::FechaGlosa::Formulacion => "La de formulación".to_string(),
            },
            &t.glosa.fuente,
        ),
    ];
    pagina(
        &u,
        &Terminos {
            marco: Marco::de(&u, "Términos legales", "/administracion"),
            pestana: "terminos",
            filas,
            reglas,
        },
    )
}

pub fn rutas(cfg: &mut web::ServiceConfig) {
    cfg.route("/administracion", web::get().to(inicio))
        .route("/administracion/usuarios", web::get().to(usuarios_lista))
        .route("/administracion/usuarios", web::post().to(usuario_crear))
        .route("/administracion/usuarios/{id}", web::post().to(usuario_modificar))
        .route("/administracion/pagadores", web::get().to(pagadores_lista))
        .route("/administracion/pagadores", web::post().to(pagador_crear))
        .route("/administracion/pagadores.xlsx", web::get().to(pagadores_xlsx))
        .route("/administracion/contratos", web::get().to(contratos_lista))
        .route("/administracion/contratos.xlsx", web::get().to(contratos_xlsx))
        .route("/administracion/perfiles", web::get().to(perfiles))
        .route("/administracion/terminos", web::get().to(terminos));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::terminos::Terminos as T;

    #[test]
    fn every_term_in_force_is_named_and_explained_in_spanish() {
        let t = T::por_defecto();
        for (clave, _) in t.todos() {
            let (nombre, aplica) = termino_en_palabras(clave).unwrap_or_else(|| panic!("{clave}"));
            assert!(!nombre.is_empty() && aplica.ends_with('.'), "{clave}");
        }
    }

    #[test]
    fn term_lengths_are_written_out() {
        let t = |dias, unidad| Termino {
            dias,
            unidad,
            fuente: String::new(),
        };
        assert_eq!(duracion(&t(22, Unidad::Habiles)), "22 días hábiles");
        assert_eq!(duracion(&t(1, Unidad::Habiles)), "1 día hábil");
        assert_eq!(duracion(&t(1095, Unidad::Calendario)), "1.095 días calendario");
    }

    #[test]
    fn form_errors_are_found_by_field() {
        let e = Errores::default()
            .con("password", "la contraseña debe tener al menos 10 caracteres")
            .con("email", "no es un correo");
        assert_eq!(
            e.de("password").as_deref(),
            Some("La contraseña debe tener al menos 10 caracteres")
        );
        assert_eq!(e.de("nombre"), None);
        assert!(!e.vacio());
    }
}
