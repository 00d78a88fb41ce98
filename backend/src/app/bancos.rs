//! Bank statements: the prestador's accounts, statements imported into them, and each credit
//! matched with payments, announcements and invoices by the rules of
//! [`crate::domain::conciliacion_bancaria`]. What the rules make certain is done in the import's
//! transaction through the payments' own use cases (so the invoices' events and balances move as
//! with a payment typed by hand); what is not waits for a person; the rest is unidentified money.

use crate::domain::normal;
use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDate;
use diesel::Connection as _;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use trazo_importers::banco::{self, PerfilBanco};
use utoipa::{IntoParams, ToSchema};

use super::pagos::{self, NuevaAplicacion, NuevoPago};
use super::{ciclo, Actor, AppError, Lista, Pagina};
use crate::db::{self, bancos as dbb, AnyConnection, Db};
use crate::domain::conciliacion_bancaria::{
    self as regla, Accion, AnuncioPendiente, Candidato, Conocido, Credito, EstadoMovimiento, FacturaAbierta,
    PagoRegistrado, Regla, RepartoNombradas,
};
use crate::domain::money::{from_centavos, pesos_colombianos, to_centavos_no_negativo};
use crate::domain::rol::Rol;
use crate::domain::terminos::Terminos;
use crate::domain::Violation;

/// Who registers accounts, imports statements and decides what waits for a person.
pub const ACTUAN: &[Rol] = &[Rol::Cartera, Rol::Admin];
/// Who reads accounts, movements and the report.
pub const LEEN: &[Rol] = &[Rol::Cartera, Rol::Admin, Rol::Finanzas, Rol::Auditor];

// ---------------------------------------------------------------------------------------------
// Profiles.

/// The profiles shipped with Trazo (`config/bancos/`), built in so that a server started from
/// anywhere has them; a deployment's folder adds or replaces them by file name.
const INCORPORADOS: &[(&str, &str)] = &[
    ("bancolombia", include_str!("../../../config/bancos/bancolombia.toml")),
    ("davivienda", include_str!("../../../config/bancos/davivienda.toml")),
    (
        "banco-de-bogota",
        include_str!("../../../config/bancos/banco-de-bogota.toml"),
    ),
    ("bbva", include_str!("../../../config/bancos/bbva.toml")),
    (
        "banco-de-occidente",
        include_str!("../../../config/bancos/banco-de-occidente.toml"),
    ),
];

fn leer_perfil(texto: &str, archivo: &str, nombre: &str) -> anyhow::Result<PerfilBanco> {
    let mut p = PerfilBanco::leer(texto, archivo).map_err(|errores| {
        let lineas: Vec<String> = errores.iter().map(ToString::to_string).collect();
        anyhow::anyhow!("{}", lineas.join("\n"))
    })?;
    // Chosen by its file's name (`?perfil=bancolombia`), which has no spaces.
    p.nombre = nombre.to_string();
    Ok(p)
}

/// The built-in bank profiles and every `*.toml` in `dir`.
pub fn cargar_perfiles(dir: &Path) -> anyhow::Result<Vec<PerfilBanco>> {
    let mut v = INCORPORADOS
        .iter()
        .map(|(n, t)| leer_perfil(t, &format!("config/bancos/{n}.toml"), n))
        .collect::<anyhow::Result<Vec<_>>>()?;
    for (nombre, ruta, texto) in super::importaciones::archivos_de_perfiles(dir)? {
        let p = leer_perfil(&texto, &ruta, &nombre)?;
        v.retain(|x| x.nombre != p.nombre);
        v.push(p);
    }
    Ok(v)
}

/// The profile named `nombre`, or 422 listing those there are.
pub fn perfil<'a>(perfiles: &'a [PerfilBanco], nombre: &str) -> Result<&'a PerfilBanco, AppError> {
    perfiles.iter().find(|p| p.nombre == nombre).ok_or_else(|| {
        let hay: Vec<_> = perfiles.iter().map(|p| p.nombre.as_str()).collect();
        AppError::invalid(
            "perfil",
            format!("no hay un perfil de banco '{nombre}'; hay: {}", hay.join(", ")),
        )
    })
}

/// A bank profile as offered to people.
#[derive(Debug, Serialize, ToSchema)]
pub struct PerfilBancoVista {
    /// What `?perfil=` takes.
    pub nombre: String,
    pub banco: String,
    /// How it writes amounts: `1.234.567,89` or `1234567.89`.
    pub formato_valor: String,
}

pub fn perfiles(actor: &Actor, perfiles: &[PerfilBanco]) -> Result<Vec<PerfilBancoVista>, AppError> {
    actor.exigir(LEEN, "ver los perfiles de bancos")?;
    Ok(perfiles
        .iter()
        .map(|p| PerfilBancoVista {
            nombre: p.nombre.clone(),
            banco: p.banco.clone(),
            formato_valor: p.formato_valor.ejemplo().into(),
        })
        .collect())
}

// ---------------------------------------------------------------------------------------------
// Accounts.

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NuevaCuentaBancaria {
    #[schema(example = "Bancolombia")]
    pub banco: String,
    #[schema(example = "123-456789-01")]
    pub numero: String,
    /// How the team calls it ("Recaudo EPS").
    #[serde(default)]
    pub nombre: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CuentaBancaria {
    pub id: String,
    pub banco: String,
    pub numero: String,
    pub nombre: String,
}

fn cuenta_vista(c: dbb::Cuenta) -> CuentaBancaria {
    CuentaBancaria {
        id: c.id,
        banco: c.banco,
        numero: c.numero,
        nombre: c.nombre,
    }
}

pub fn crear_cuenta(db: &Db, actor: &Actor, n: NuevaCuentaBancaria) -> Result<CuentaBancaria, AppError> {
    actor.exigir(ACTUAN, "registrar cuentas bancarias")?;
    let mut errs = Vec::new();
    let banco = n.banco.trim().to_string();
    let numero = n.numero.trim().to_string();
    if banco.is_empty() || banco.chars().count() > 80 {
        errs.push(Violation::new(
            "banco",
            "se espera el nombre del banco (hasta 80 caracteres)",
        ));
    }
    if !numero.chars().any(|c| c.is_ascii_digit()) || numero.chars().count() > 40 {
        errs.push(Violation::new(
            "numero",
            "se espera el número de la cuenta, con dígitos (hasta 40 caracteres)",
        ));
    }
    if n.nombre.trim().chars().count() > 120 {
        errs.push(Violation::new("nombre", "el nombre tiene hasta 120 caracteres"));
    }
    if !errs.is_empty() {
        return Err(AppError::Invalid(errs));
    }
    let c = dbb::Cuenta {
        id: db::new_id(),
        prestador_id: actor.prestador_id.clone(),
        nombre: if n.nombre.trim().is_empty() {
            format!("{banco} {numero}")
        } else {
            n.nombre.trim().to_string()
        },
        banco,
        numero,
        creado_en: db::now(),
    };
    db.write(|x| {
        dbb::insertar_cuenta(x, &c).map_err(|e| match AppError::from(e) {
            AppError::Conflict(_) => AppError::Conflict(format!(
                "ya hay una cuenta {} número {} en su prestador",
                c.banco, c.numero
            )),
            otro => otro,
        })
    })?;
    Ok(cuenta_vista(c))
}

pub fn cuentas(db: &Db, actor: &Actor) -> Result<Vec<CuentaBancaria>, AppError> {
    actor.exigir(LEEN, "ver las cuentas bancarias")?;
    let v = db.read(|c| Ok::<_, AppError>(dbb::cuentas(c, &actor.prestador_id)?))?;
    Ok(v.into_iter().map(cuenta_vista).collect())
}

fn cuenta_de(c: &mut AnyConnection, actor: &Actor, id: &str) -> Result<dbb::Cuenta, AppError> {
    dbb::cuenta(c, &actor.prestador_id, id)?.ok_or_else(|| AppError::not_found("una cuenta bancaria"))
}

pub fn cuenta(db: &Db, actor: &Actor, id: &str) -> Result<CuentaBancaria, AppError> {
    actor.exigir(LEEN, "ver las cuentas bancarias")?;
    db.read(|c| cuenta_de(c, actor, id)).map(cuenta_vista)
}

// ---------------------------------------------------------------------------------------------
// Import and matching.

/// What an import did.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExtractoVista {
    pub id: String,
    pub cuenta_id: String,
    pub archivo: String,
    /// `camt053` or the bank profile it was read with.
    pub formato: String,
    pub desde: Option<NaiveDate>,
    pub hasta: Option<NaiveDate>,
    /// Credits in the file.
    pub creditos: i32,
    /// Credits new to the account (the rest were in an earlier statement).
    pub nuevos: i32,
    /// Debits in the file: not kept, they are not payers' money.
    pub debitos: i32,
    /// The same file had been imported: nothing changed.
    pub duplicado: bool,
    /// How many of the new credits ended in each state.
    pub por_estado: HashMap<String, i64>,
    pub creado_en: chrono::DateTime<chrono::Utc>,
}

fn extracto_vista(e: dbb::Extracto, duplicado: bool, por_estado: HashMap<String, i64>) -> ExtractoVista {
    ExtractoVista {
        id: e.id,
        cuenta_id: e.cuenta_id,
        archivo: e.archivo,
        formato: e.formato,
        desde: e.desde,
        hasta: e.hasta,
        creditos: e.creditos,
        nuevos: e.nuevos,
        debitos: e.debitos,
        duplicado,
        por_estado,
        creado_en: e.creado_en.and_utc(),
    }
}

/// The fingerprint of each credit: its date, value, reference (its description when it has
/// none) and its ordinal among the identical ones of its file, so that two equal transfers of
/// one day are two, and the same transfer in next month's overlapping export is one.
fn huellas(movs: &[(banco::Movimiento, i64)]) -> Vec<String> {
    let mut vistos: HashMap<String, usize> = HashMap::new();
    movs.iter()
        .map(|(m, centavos)| {
            let r = if m.referencia.is_empty() {
                &m.descripcion
            } else {
                &m.referencia
            };
            let clave = format!("{}|{centavos}|{}", m.fecha, normal(r));
            let n = vistos.entry(clave.clone()).or_insert(0);
            *n += 1;
            super::importaciones::hash(format!("{clave}|{n}").as_bytes())
        })
        .collect()
}

/// Imports a statement into an account: camt.053 (recognised by content) or a sheet read with
/// the bank profile `perfil`. The same file again changes nothing; credits already in the
/// account (an overlapping export) are skipped; every new credit is matched and recorded in
/// one transaction. A file with any problem writes nothing (422 naming every problem).
#[allow(clippy::too_many_arguments)]
pub fn importar(
    db: &Db,
    t: &Terminos,
    hoy: NaiveDate,
    actor: &Actor,
    cuenta_id: &str,
    archivo: &str,
    bytes: &[u8],
    perfil: Option<&PerfilBanco>,
) -> Result<ExtractoVista, AppError> {
    actor.exigir(ACTUAN, "importar extractos bancarios")?;
    let es_camt = banco::es_camt053(bytes);
    let x = banco::leer(bytes, archivo, perfil).map_err(|errores| {
        AppError::Invalid(errores.iter().map(|e| Violation::new(archivo, e.to_string())).collect())
    })?;
    let mut creditos = Vec::with_capacity(x.movimientos.len());
    let mut errs = Vec::new();
    for m in x.movimientos {
        match to_centavos_no_negativo(m.valor) {
            Ok(v) => creditos.push((m, v)),
            Err(e) => errs.push(Violation::new(format!("{archivo}: {}", m.posicion), e.to_string())),
        }
    }
    if let Some((m, _)) = creditos.iter().find(|(m, _)| m.fecha > hoy) {
        errs.push(Violation::new(
            format!("{archivo}: {}", m.posicion),
            format!("la fecha {} es posterior a hoy ({hoy})", m.fecha),
        ));
    }
    if !errs.is_empty() {
        return Err(AppError::Invalid(errs));
    }
    let hash = super::importaciones::hash(bytes);
    let formato = if es_camt {
        "camt053".to_string()
    } else {
        perfil.map(|p| p.nombre.clone()).unwrap_or_default()
    };
    let huellas = huellas(&creditos);
    db.write(|c| {
        cuenta_de(c, actor, cuenta_id)?;
        if let Some(e) = dbb::extracto_por_hash(c, &actor.prestador_id, cuenta_id, &hash)? {
            return Ok(extracto_vista(e, true, HashMap::new()));
        }
        let ya: std::collections::HashSet<String> = dbb::huellas(c, &actor.prestador_id, cuenta_id, &huellas)?
            .into_iter()
            .collect();
        let periodo = creditos.iter().map(|(m, _)| m.fecha);
        let e = dbb::Extracto {
            id: db::new_id(),
            prestador_id: actor.prestador_id.clone(),
            cuenta_id: cuenta_id.to_string(),
            archivo: archivo.to_string(),
            hash: hash.clone(),
            formato: formato.clone(),
            desde: periodo.clone().min(),
            hasta: periodo.max(),
            creditos: creditos.len() as i32,
            nuevos: huellas.iter().filter(|h| !ya.contains(*h)).count() as i32,
            debitos: x.debitos as i32,
            actor_id: actor.usuario_id.clone(),
            creado_en: db::now(),
        };
        dbb::insertar_extracto(c, &e)?;
        let pagadores = pagadores(c, actor)?;
        let mut abiertas = Abiertas::default();
        let mut por_estado: HashMap<String, i64> = HashMap::new();
        for ((m, valor), huella) in creditos.iter().zip(&huellas) {
            if ya.contains(huella) {
                continue;
            }
            let mut fila = dbb::Movimiento {
                id: db::new_id(),
                prestador_id: actor.prestador_id.clone(),
                cuenta_id: cuenta_id.to_string(),
                extracto_id: e.id.clone(),
                huella: huella.clone(),
                fecha: m.fecha,
                fecha_valor: m.fecha_valor,
                valor: *valor,
                referencia: m.referencia.clone(),
                descripcion: m.descripcion.clone(),
                nit_tercero: m.nit_tercero.clone(),
                nombre_tercero: m.nombre_tercero.clone(),
                estado: String::new(),
                regla: String::new(),
                explicacion: String::new(),
                automatico: true,
                pagador_id: None,
                pago_id: None,
                anuncio_id: None,
                candidatos: "[]".into(),
                motivo: String::new(),
                decidido_por: None,
                decidido_en: None,
                creado_en: db::now(),
            };
            let cambio = conciliar(c, t, hoy, actor, &fila, &pagadores, None, &mut abiertas)?;
            abiertas.tras(&cambio);
            aplicar_cambio(&mut fila, cambio);
            *por_estado.entry(fila.estado.clone()).or_default() += 1;
            dbb::insertar_movimiento(c, &fila)?;
        }
        Ok(extracto_vista(e, false, por_estado))
    })
}

fn aplicar_cambio(m: &mut dbb::Movimiento, x: dbb::Cambio) {
    m.estado = x.estado;
    m.regla = x.regla;
    m.explicacion = x.explicacion;
    m.automatico = x.automatico;
    m.pagador_id = x.pagador_id;
    m.pago_id = x.pago_id;
    m.anuncio_id = x.anuncio_id;
    m.candidatos = x.candidatos;
    m.motivo = x.motivo;
    m.decidido_por = x.decidido_por;
    m.decidido_en = x.decidido_en;
}

fn pagadores(c: &mut AnyConnection, actor: &Actor) -> Result<Vec<regla::Pagador>, AppError> {
    let (l, _) = db::pagadores::listar(c, &actor.prestador_id, &Default::default(), 0, i64::MAX)?;
    Ok(l.into_iter()
        .map(|p| regla::Pagador {
            id: p.id,
            nit: p.nit,
            nombre: p.nombre,
        })
        .collect())
}

/// Runs the rules on a credit and does what they decide, in the caller's transaction; gives
/// the movement's new state. `asignado`: the payer a person said it is (then the NIT is not
/// looked for).
/// Each payer's open invoices, read once per statement rather than once per credit: a statement
/// brings hundreds of credits and an EPS may have tens of thousands of open invoices. A credit
/// that records money drops its payer's list, so the next credit reads the balances it left.
#[derive(Default)]
struct Abiertas(HashMap<String, Vec<db::facturas::Factura>>);

impl Abiertas {
    fn de(
        &mut self,
        c: &mut AnyConnection,
        prestador_id: &str,
        pagador_id: &str,
    ) -> Result<&[db::facturas::Factura], AppError> {
        if !self.0.contains_key(pagador_id) {
            let l = db::cobro::abiertas(c, prestador_id, pagador_id)?;
            self.0.insert(pagador_id.to_string(), l);
        }
        Ok(&self.0[pagador_id])
    }

    fn tras(&mut self, cambio: &dbb::Cambio) {
        if let (Some(_), Some(p)) = (&cambio.pago_id, &cambio.pagador_id) {
            self.0.remove(p);
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn conciliar(
    c: &mut AnyConnection,
    t: &Terminos,
    hoy: NaiveDate,
    actor: &Actor,
    m: &dbb::Movimiento,
    pagadores: &[regla::Pagador],
    asignado: Option<&regla::Pagador>,
    abiertas: &mut Abiertas,
) -> Result<dbb::Cambio, AppError> {
    let credito = Credito {
        fecha: m.fecha,
        valor: m.valor,
        referencia: &m.referencia,
        descripcion: &m.descripcion,
        nit_tercero: &m.nit_tercero,
    };
    let identificados = match asignado {
        Some(p) => vec![p],
        None => regla::identificar(&credito, pagadores),
    };
    let pagador = match identificados.as_slice() {
        [p] => Some(*p),
        _ => None,
    };
    let dias = chrono::Duration::days(regla::DIAS);
    let pagos: Vec<PagoRegistrado> =
        dbb::pagos_libres(c, &actor.prestador_id, m.valor, m.fecha - dias, m.fecha + dias)?
            .into_iter()
            .map(|(id, pagador_id, fecha, referencia)| PagoRegistrado {
                id,
                pagador_id,
                fecha,
                valor: m.valor,
                referencia,
            })
            .collect();
    let anuncios: Vec<AnuncioPendiente> = db::anuncios::listar(
        c,
        &actor.prestador_id,
        pagador.map(|p| p.id.as_str()),
        Some(db::anuncios::ANUNCIADO),
        500,
    )?
    .into_iter()
    .filter(|a| a.valor == m.valor)
    .map(|a| AnuncioPendiente {
        id: a.id,
        pagador_id: a.pagador_id,
        fecha: a.fecha,
        valor: a.valor,
        referencia: a.referencia,
    })
    .collect();
    let texto = credito.texto();
    let (facturas, nombradas) = match pagador {
        None => (Vec::new(), None),
        Some(p) => facturas_de(c, t, hoy, actor, abiertas, &p.id, m.valor, &texto)?,
    };
    let k = Conocido {
        pagador,
        pagos: &pagos,
        anuncios: &anuncios,
        facturas: &facturas,
        nombradas,
    };
    let mut d = regla::decidir(&credito, &k);
    if identificados.len() > 1 {
        let nombres: Vec<&str> = identificados.iter().map(|p| p.nombre.as_str()).collect();
        d.explicacion = format!(
            "el texto del banco tiene NIT de varios pagadores ({}); {}",
            nombres.join(", "),
            d.explicacion
        );
    }
    let pagador_id = pagador.map(|p| p.id.clone());
    let base = |estado: EstadoMovimiento, regla: Regla, explicacion: String| dbb::Cambio {
        estado: estado.as_str().into(),
        regla: regla.as_str().into(),
        explicacion,
        automatico: asignado.is_none(),
        pagador_id: pagador_id.clone(),
        pago_id: None,
        anuncio_id: None,
        candidatos: "[]".into(),
        motivo: String::new(),
        decidido_por: asignado.map(|_| actor.usuario_id.clone()),
        decidido_en: asignado.map(|_| db::now()),
    };
    Ok(match d.accion {
        Accion::Tomar(cand) => {
            // Saldos may not take it after all (a state the rules did not see): the credit waits
            // for a person with the reason, and nothing of the attempt stays.
            match c.transaction(|c| tomar(c, t, hoy, actor, m, &cand)) {
                Ok(x) => dbb::Cambio {
                    pagador_id: Some(cand.pagador_id().to_string()),
                    ..x.en(base(x.estado, d.regla, d.explicacion))
                },
                Err(AppError::Invalid(_) | AppError::Conflict(_)) | Err(AppError::NotFound(_)) => {
                    let e = format!("{}; no se pudo hacer de forma automática, elija", d.explicacion);
                    dbb::Cambio {
                        candidatos: serde_json::to_string(&[cand]).map_err(|e| AppError::Internal(e.into()))?,
                        ..base(EstadoMovimiento::Pendiente, Regla::VariosCandidatos, e)
                    }
                }
                Err(e) => return Err(e),
            }
        }
        Accion::Pendiente(cands) => dbb::Cambio {
            candidatos: serde_json::to_string(&cands).map_err(|e| AppError::Internal(e.into()))?,
            ..base(EstadoMovimiento::Pendiente, d.regla, d.explicacion)
        },
        Accion::SinIdentificar(Some(p)) => {
            let pago_id = pago_sin_detalle(c, t, hoy, actor, m, &p)?;
            dbb::Cambio {
                pago_id: Some(pago_id),
                ..base(EstadoMovimiento::SinIdentificar, d.regla, d.explicacion)
            }
        }
        Accion::SinIdentificar(None) => base(EstadoMovimiento::SinIdentificar, d.regla, d.explicacion),
    })
}

/// The payer's open invoices that the rules may use: those the bank's text names (with how the
/// credit would go to them, by the payments' own suggestion) and those whose saldo is exactly
/// the credit. Only invoices that can take a payment today count.
#[allow(clippy::too_many_arguments)]
fn facturas_de(
    c: &mut AnyConnection,
    t: &Terminos,
    hoy: NaiveDate,
    actor: &Actor,
    abiertas: &mut Abiertas,
    pagador_id: &str,
    valor: i64,
    texto: &str,
) -> Result<(Vec<FacturaAbierta>, Option<RepartoNombradas>), AppError> {
    // The kept balance narrows the read; each is then judged as of today by its rules.
    let ids: Vec<String> = abiertas
        .de(c, &actor.prestador_id, pagador_id)?
        .iter()
        .filter(|f| f.saldo == valor || pagos::nombrada(texto, &f.numero))
        .map(|f| f.id.clone())
        .collect();
    let abiertas: Vec<(FacturaAbierta, NaiveDate)> = ciclo::cargar_varias(c, t, &actor.prestador_id, &ids)?
        .into_iter()
        .filter_map(|e| {
            let saldo = e.dominio.saldo(hoy, &t.reglas);
            (saldo > 0 && e.dominio.aplicar_pago(saldo, hoy, &t.reglas).is_ok()).then_some((
                FacturaAbierta {
                    id: e.fila.id,
                    numero: e.fila.numero,
                    saldo,
                },
                e.fila.fecha_expedicion,
            ))
        })
        .collect();
    let candidatas: Vec<pagos::Candidata> = abiertas
        .iter()
        .filter(|(f, _)| pagos::nombrada(texto, &f.numero))
        .map(|(f, fecha)| pagos::Candidata {
            factura_id: f.id.clone(),
            numero: f.numero.clone(),
            fecha_expedicion: *fecha,
            saldo: f.saldo,
        })
        .collect();
    let nombradas = (!candidatas.is_empty()).then(|| {
        let (filas, sobrante) = pagos::repartir(candidatas, texto, valor);
        RepartoNombradas {
            facturas: filas
                .into_iter()
                .map(|(c, toma, _)| {
                    (
                        FacturaAbierta {
                            id: c.factura_id,
                            numero: c.numero,
                            saldo: c.saldo,
                        },
                        toma,
                    )
                })
                .collect(),
            sobrante,
        }
    });
    let iguales = abiertas
        .into_iter()
        .map(|(f, _)| f)
        .filter(|f| f.saldo == valor)
        .collect();
    Ok((iguales, nombradas))
}

/// What taking a candidate did.
struct Tomado {
    estado: EstadoMovimiento,
    pago_id: String,
    anuncio_id: Option<String>,
}

impl Tomado {
    fn en(&self, base: dbb::Cambio) -> dbb::Cambio {
        dbb::Cambio {
            estado: self.estado.as_str().into(),
            pago_id: Some(self.pago_id.clone()),
            anuncio_id: self.anuncio_id.clone(),
            ..base
        }
    }
}

/// The bank's reference of the credit as a payment's reference (its description when the
/// bank gave none), within the 200 characters a payment keeps.
fn referencia_de(m: &dbb::Movimiento) -> String {
    let r = if m.referencia.is_empty() {
        &m.descripcion
    } else {
        &m.referencia
    };
    r.chars().take(200).collect()
}

/// Ties the credit to a candidate: the payment it is, the announcement it confirms (through
/// the announcements' use case) or a new payment applied to invoices (through the payments'
/// use case, which records every invoice's event).
fn tomar(
    c: &mut AnyConnection,
    t: &Terminos,
    hoy: NaiveDate,
    actor: &Actor,
    m: &dbb::Movimiento,
    cand: &Candidato,
) -> Result<Tomado, AppError> {
    match cand {
        Candidato::Pago { pago_id, .. } => {
            let p =
                db::pagos::por_id(c, &actor.prestador_id, pago_id)?.ok_or_else(|| AppError::not_found("un pago"))?;
            if p.valor != m.valor {
                return Err(AppError::Conflict("ese pago ya no tiene el valor del abono".into()));
            }
            Ok(Tomado {
                estado: EstadoMovimiento::Conciliado,
                pago_id: p.id,
                anuncio_id: None,
            })
        }
        Candidato::Anuncio { anuncio_id, .. } => {
            let (a, _) = super::anuncios::confirmar_en(c, t, hoy, actor, anuncio_id)?;
            Ok(Tomado {
                estado: EstadoMovimiento::Aplicado,
                pago_id: a.pago_id.unwrap_or_default(),
                anuncio_id: Some(a.id),
            })
        }
        Candidato::Facturas { pagador_id, lineas, .. } => {
            let pago = NuevoPago {
                pagador_id: pagador_id.clone(),
                fecha: m.fecha,
                valor: from_centavos(m.valor),
                referencia: referencia_de(m),
                medio: pagos::MEDIO_POR_DEFECTO.into(),
                aplicaciones: lineas
                    .iter()
                    .map(|l| NuevaAplicacion {
                        factura_id: l.factura_id.clone(),
                        valor: from_centavos(l.valor),
                    })
                    .collect(),
                pagado_por_id: None,
            };
            Ok(Tomado {
                estado: EstadoMovimiento::Aplicado,
                pago_id: pagos::registrar_en(c, t, hoy, actor, &pago)?,
                anuncio_id: None,
            })
        }
    }
}

/// Unidentified money of a known payer: recorded as its payment without applications, so it
/// shows where unapplied money shows (Pagos › por aplicar, the payer's filter) and the cartera
/// team applies it when the payer sends the detail (or by Res. 2284/2023 art. 7).
fn pago_sin_detalle(
    c: &mut AnyConnection,
    t: &Terminos,
    hoy: NaiveDate,
    actor: &Actor,
    m: &dbb::Movimiento,
    pagador_id: &str,
) -> Result<String, AppError> {
    let pago = NuevoPago {
        pagador_id: pagador_id.to_string(),
        fecha: m.fecha,
        valor: from_centavos(m.valor),
        referencia: referencia_de(m),
        medio: pagos::MEDIO_POR_DEFECTO.into(),
        aplicaciones: Vec::new(),
        pagado_por_id: None,
    };
    pagos::registrar_en(c, t, hoy, actor, &pago)
}

// ---------------------------------------------------------------------------------------------
// Movements.

/// A candidate as shown: what it is and what choosing it does.
#[derive(Debug, Serialize, ToSchema)]
pub struct CandidatoMovimiento {
    /// `pago`, `anuncio` or `facturas`.
    pub tipo: String,
    pub texto: String,
    pub pagador_id: String,
    pub pagador: String,
    pub pago_id: Option<String>,
    pub anuncio_id: Option<String>,
    /// The applications a new payment would make.
    pub lineas: Vec<LineaCandidato>,
    /// What a new payment would leave unapplied.
    #[schema(value_type = String)]
    pub sobrante: Decimal,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LineaCandidato {
    pub factura_id: String,
    pub numero: String,
    #[schema(value_type = String)]
    pub valor: Decimal,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MovimientoVista {
    pub id: String,
    pub cuenta_id: String,
    pub extracto_id: String,
    pub fecha: NaiveDate,
    pub fecha_valor: Option<NaiveDate>,
    #[schema(value_type = String)]
    pub valor: Decimal,
    pub referencia: String,
    pub descripcion: String,
    pub nit_tercero: String,
    pub nombre_tercero: String,
    /// conciliado, aplicado, pendiente, sin_identificar or descartado.
    pub estado: EstadoMovimiento,
    /// The rule that decided it (`decision_manual` when a person did).
    pub regla: Regla,
    /// Why, in Spanish.
    pub explicacion: String,
    /// Decided by the rules without a person.
    pub automatico: bool,
    pub pagador_id: Option<String>,
    pub pagador: Option<String>,
    /// The payment it is or became.
    pub pago_id: Option<String>,
    /// The payer's announcement it confirmed.
    pub anuncio_id: Option<String>,
    /// What a person chooses among, while pendiente.
    pub candidatos: Vec<CandidatoMovimiento>,
    /// Why a person discarded it or left it unidentified.
    pub motivo: String,
    pub decidido_en: Option<chrono::DateTime<chrono::Utc>>,
}

fn parse<T: std::str::FromStr>(texto: &str, columna: &str) -> Result<T, AppError>
where
    T::Err: std::fmt::Display,
{
    texto
        .parse()
        .map_err(|e| AppError::Internal(anyhow::anyhow!("movimientos_bancarios.{columna}: {e}")))
}

fn movimiento_vista(m: dbb::Movimiento, nombres: &HashMap<String, String>) -> Result<MovimientoVista, AppError> {
    let cands: Vec<Candidato> = serde_json::from_str(&m.candidatos).map_err(|e| AppError::Internal(e.into()))?;
    let nombre = |id: &str| nombres.get(id).cloned().unwrap_or_default();
    Ok(MovimientoVista {
        estado: parse(&m.estado, "estado")?,
        regla: parse(&m.regla, "regla")?,
        candidatos: cands
            .into_iter()
            .map(|c| {
                let (tipo, pago_id, anuncio_id, lineas, sobrante) = match &c {
                    Candidato::Pago { pago_id, .. } => ("pago", Some(pago_id.clone()), None, Vec::new(), 0),
                    Candidato::Anuncio { anuncio_id, .. } => ("anuncio", None, Some(anuncio_id.clone()), Vec::new(), 0),
                    Candidato::Facturas { lineas, sobrante, .. } => ("facturas", None, None, lineas.clone(), *sobrante),
                };
                CandidatoMovimiento {
                    tipo: tipo.into(),
                    texto: c.texto().to_string(),
                    pagador: nombre(c.pagador_id()),
                    pagador_id: c.pagador_id().to_string(),
                    pago_id,
                    anuncio_id,
                    lineas: lineas
                        .into_iter()
                        .map(|l| LineaCandidato {
                            factura_id: l.factura_id,
                            numero: l.numero,
                            valor: from_centavos(l.valor),
                        })
                        .collect(),
                    sobrante: from_centavos(sobrante),
                }
            })
            .collect(),
        pagador: m.pagador_id.as_deref().map(nombre),
        id: m.id,
        cuenta_id: m.cuenta_id,
        extracto_id: m.extracto_id,
        fecha: m.fecha,
        fecha_valor: m.fecha_valor,
        valor: from_centavos(m.valor),
        referencia: m.referencia,
        descripcion: m.descripcion,
        nit_tercero: m.nit_tercero,
        nombre_tercero: m.nombre_tercero,
        explicacion: m.explicacion,
        automatico: m.automatico,
        pagador_id: m.pagador_id,
        pago_id: m.pago_id,
        anuncio_id: m.anuncio_id,
        motivo: m.motivo,
        decidido_en: m.decidido_en.map(|d| d.and_utc()),
    })
}

/// `?cuenta_id=&extracto_id=&estado=&pagador_id=&desde=&hasta=&page=&per_page=`
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct ConsultaMovimientos {
    pub cuenta_id: Option<String>,
    pub extracto_id: Option<String>,
    /// conciliado, aplicado, pendiente, sin_identificar or descartado.
    pub estado: Option<EstadoMovimiento>,
    pub pagador_id: Option<String>,
    /// Booked on or after this day.
    pub desde: Option<NaiveDate>,
    /// Booked on or before this day.
    pub hasta: Option<NaiveDate>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

pub fn movimientos(db: &Db, actor: &Actor, q: &ConsultaMovimientos) -> Result<Lista<MovimientoVista>, AppError> {
    actor.exigir(LEEN, "ver los movimientos bancarios")?;
    let pagina = Pagina::new(q.page, q.per_page)?;
    let f = dbb::Filtro {
        cuenta_id: q.cuenta_id.clone(),
        extracto_id: q.extracto_id.clone(),
        estado: q.estado.map(|e| e.as_str().to_string()),
        pagador_id: q.pagador_id.clone(),
        desde: q.desde,
        hasta: q.hasta,
    };
    let (offset, limit) = pagina.rango(false, 0);
    let ((items, total), nombres) = db.read(|c| {
        Ok::<_, AppError>((
            dbb::listar(c, &actor.prestador_id, &f, offset, limit)?,
            db::pagadores::nombres(c, &actor.prestador_id)?,
        ))
    })?;
    Ok(Lista {
        items: items
            .into_iter()
            .map(|m| movimiento_vista(m, &nombres))
            .collect::<Result<_, _>>()?,
        total,
    })
}

pub fn movimiento(db: &Db, actor: &Actor, id: &str) -> Result<MovimientoVista, AppError> {
    actor.exigir(LEEN, "ver los movimientos bancarios")?;
    let (m, nombres) = db.read(|c| {
        let m = dbb::movimiento(c, &actor.prestador_id, id)?
            .ok_or_else(|| AppError::not_found("un movimiento bancario"))?;
        Ok::<_, AppError>((m, db::pagadores::nombres(c, &actor.prestador_id)?))
    })?;
    movimiento_vista(m, &nombres)
}

/// What a person decides on a credit.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(tag = "accion", rename_all = "snake_case", deny_unknown_fields)]
pub enum DecisionMovimiento {
    /// A pending credit is candidate number `candidato` (0-based, in the order listed).
    Elegir { candidato: usize },
    /// A pending credit is money of its payer without detail (a payment without applications
    /// is recorded), or of nobody known yet.
    SinIdentificar { motivo: String },
    /// Not a payer's money (a refund, interest, a transfer between own accounts): nothing is
    /// recorded. From pendiente or sin_identificar without payer.
    Descartar { motivo: String },
    /// An unidentified credit without payer is this payer's: the rules run again with it.
    AsignarPagador { pagador_id: String },
}

/// A person decides a credit the rules left to them. One transaction; 409 when its state no
/// longer allows it (someone decided it first).
pub fn decidir(
    db: &Db,
    t: &Terminos,
    hoy: NaiveDate,
    actor: &Actor,
    id: &str,
    d: DecisionMovimiento,
) -> Result<MovimientoVista, AppError> {
    actor.exigir(ACTUAN, "decidir movimientos bancarios")?;
    db.write(|c| {
        let m = dbb::movimiento(c, &actor.prestador_id, id)?
            .ok_or_else(|| AppError::not_found("un movimiento bancario"))?;
        let estado: EstadoMovimiento = parse(&m.estado, "estado")?;
        let sin_pagador = estado == EstadoMovimiento::SinIdentificar && m.pagador_id.is_none();
        let persona = |estado: EstadoMovimiento, explicacion: String| dbb::Cambio {
            estado: estado.as_str().into(),
            regla: Regla::DecisionManual.as_str().into(),
            explicacion,
            automatico: false,
            pagador_id: m.pagador_id.clone(),
            pago_id: None,
            anuncio_id: None,
            candidatos: "[]".into(),
            motivo: String::new(),
            decidido_por: Some(actor.usuario_id.clone()),
            decidido_en: Some(db::now()),
        };
        let no_aplica = |que: &str| {
            AppError::Conflict(format!(
                "este movimiento está {}{}: no se puede {que}",
                m.estado,
                if sin_pagador { " sin pagador" } else { "" }
            ))
        };
        let cambio = match d {
            DecisionMovimiento::Elegir { candidato } => {
                if estado != EstadoMovimiento::Pendiente {
                    return Err(no_aplica("elegir un candidato"));
                }
                let cands: Vec<Candidato> =
                    serde_json::from_str(&m.candidatos).map_err(|e| AppError::Internal(e.into()))?;
                let Some(cand) = cands.get(candidato) else {
                    return Err(AppError::invalid(
                        "candidato",
                        format!("hay {} candidatos (0 a {})", cands.len(), cands.len().saturating_sub(1)),
                    ));
                };
                let x = tomar(c, t, hoy, actor, &m, cand)?;
                dbb::Cambio {
                    pagador_id: Some(cand.pagador_id().to_string()),
                    ..x.en(persona(x.estado, format!("elegido por una persona: {}", cand.texto())))
                }
            }
            DecisionMovimiento::SinIdentificar { motivo } => {
                if estado != EstadoMovimiento::Pendiente {
                    return Err(no_aplica("dejar sin identificar"));
                }
                let motivo = super::correcciones::motivo(&motivo)?;
                let pago_id = match &m.pagador_id {
                    Some(p) => Some(pago_sin_detalle(c, t, hoy, actor, &m, p)?),
                    None => None,
                };
                dbb::Cambio {
                    pago_id,
                    motivo: motivo.clone(),
                    ..persona(
                        EstadoMovimiento::SinIdentificar,
                        format!("una persona lo dejó sin identificar: {motivo}"),
                    )
                }
            }
            DecisionMovimiento::Descartar { motivo } => {
                if !(estado == EstadoMovimiento::Pendiente || sin_pagador) {
                    return Err(no_aplica("descartar"));
                }
                let motivo = super::correcciones::motivo(&motivo)?;
                dbb::Cambio {
                    motivo: motivo.clone(),
                    pagador_id: None,
                    ..persona(
                        EstadoMovimiento::Descartado,
                        format!("no es dinero de un pagador: {motivo}"),
                    )
                }
            }
            DecisionMovimiento::AsignarPagador { pagador_id } => {
                if !sin_pagador {
                    return Err(no_aplica("asignar un pagador"));
                }
                let p = super::pagadores::buscar(c, &actor.prestador_id, &pagador_id)
                    .map_err(|_| AppError::invalid("pagador_id", "no hay un pagador con ese id en su prestador"))?;
                let p = regla::Pagador {
                    id: p.id,
                    nit: p.nit,
                    nombre: p.nombre,
                };
                let mut x = conciliar(c, t, hoy, actor, &m, &[], Some(&p), &mut Abiertas::default())?;
                x.explicacion = format!("una persona lo asignó a {}; {}", p.nombre, x.explicacion);
                x
            }
        };
        if dbb::decidir(c, &actor.prestador_id, id, &m.estado, &cambio)? == 0 {
            return Err(AppError::Conflict(
                "otra persona decidió este movimiento al mismo tiempo; vuelva a leerlo".into(),
            ));
        }
        Ok(())
    })?;
    movimiento(db, actor, id)
}

// ---------------------------------------------------------------------------------------------
// Report.

/// `?cuenta_id=&desde=&hasta=&formato=xlsx`
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct ConsultaReporte {
    pub cuenta_id: Option<String>,
    pub desde: Option<NaiveDate>,
    pub hasta: Option<NaiveDate>,
    /// `xlsx` for a workbook.
    pub formato: Option<String>,
}

/// Credits of one account or one payer in the period, and what became of them.
#[derive(Debug, Default, Serialize, ToSchema)]
pub struct TotalesBanco {
    pub creditos: i64,
    #[schema(value_type = String)]
    pub valor: Decimal,
    /// Conciliated or applied by the rules, without a person.
    pub automaticos: i64,
    #[schema(value_type = String)]
    pub valor_automatico: Decimal,
    /// % of the credits applied automatically, by count and by value (two decimals).
    #[schema(value_type = String)]
    pub pct_automatico: Decimal,
    #[schema(value_type = String)]
    pub pct_valor_automatico: Decimal,
    /// Waiting for a person.
    pub pendientes: i64,
    #[schema(value_type = String)]
    pub valor_pendiente: Decimal,
    pub sin_identificar: i64,
    /// Money not yet applied to invoices of the unidentified credits: what is left of their
    /// payments without detail (what the team applied since no longer counts), or their whole
    /// value when no payer is known.
    #[schema(value_type = String)]
    pub saldo_sin_identificar: Decimal,
    pub descartados: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FilaCuentaBancaria {
    pub cuenta_id: String,
    pub cuenta: String,
    #[serde(flatten)]
    pub totales: TotalesBanco,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FilaPagadorBanco {
    /// None: the credits no payer is known for.
    pub pagador_id: Option<String>,
    pub pagador: String,
    #[serde(flatten)]
    pub totales: TotalesBanco,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReporteBancos {
    pub desde: Option<NaiveDate>,
    pub hasta: Option<NaiveDate>,
    pub total: TotalesBanco,
    pub por_cuenta: Vec<FilaCuentaBancaria>,
    pub por_pagador: Vec<FilaPagadorBanco>,
}

/// Centavo tallies while the report adds up.
#[derive(Default, Clone)]
struct Cuenta {
    creditos: i64,
    valor: i64,
    automaticos: i64,
    valor_automatico: i64,
    pendientes: i64,
    valor_pendiente: i64,
    sin_identificar: i64,
    saldo_sin_identificar: i64,
    descartados: i64,
}

impl Cuenta {
    fn sumar(&mut self, m: &dbb::Movimiento, sin_aplicar: i64) {
        self.creditos += 1;
        self.valor += m.valor;
        match m.estado.as_str() {
            "conciliado" | "aplicado" if m.automatico => {
                self.automaticos += 1;
                self.valor_automatico += m.valor;
            }
            "pendiente" => {
                self.pendientes += 1;
                self.valor_pendiente += m.valor;
            }
            "sin_identificar" => {
                self.sin_identificar += 1;
                self.saldo_sin_identificar += sin_aplicar;
            }
            "descartado" => self.descartados += 1,
            _ => {}
        }
    }

    fn totales(&self) -> TotalesBanco {
        let pct = |a: i64, b: i64| {
            if b == 0 {
                Decimal::new(0, 2)
            } else {
                {
                    let mut p = (Decimal::from(a) * Decimal::from(100) / Decimal::from(b)).round_dp(2);
                    p.rescale(2);
                    p
                }
            }
        };
        TotalesBanco {
            creditos: self.creditos,
            valor: from_centavos(self.valor),
            automaticos: self.automaticos,
            valor_automatico: from_centavos(self.valor_automatico),
            pct_automatico: pct(self.automaticos, self.creditos),
            pct_valor_automatico: pct(self.valor_automatico, self.valor),
            pendientes: self.pendientes,
            valor_pendiente: from_centavos(self.valor_pendiente),
            sin_identificar: self.sin_identificar,
            saldo_sin_identificar: from_centavos(self.saldo_sin_identificar),
            descartados: self.descartados,
        }
    }
}

/// At most this many credits in one report (a few years of a busy account).
const MAX_REPORTE: i64 = 200_000;

/// Per account and per payer in the period: credits, % applied automatically (by count and by
/// value), pending for a person, and the unidentified balance.
pub fn reporte(db: &Db, actor: &Actor, q: &ConsultaReporte) -> Result<ReporteBancos, AppError> {
    actor.exigir(LEEN, "ver el reporte de extractos bancarios")?;
    if let (Some(d), Some(h)) = (q.desde, q.hasta) {
        if d > h {
            return Err(AppError::invalid("desde", "desde es posterior a hasta"));
        }
    }
    let f = dbb::Filtro {
        cuenta_id: q.cuenta_id.clone(),
        desde: q.desde,
        hasta: q.hasta,
        ..Default::default()
    };
    let (movs, cuentas, nombres, pagos) = db.read(|c| {
        if let Some(cu) = &q.cuenta_id {
            cuenta_de(c, actor, cu)?;
        }
        let (movs, _) = dbb::listar(c, &actor.prestador_id, &f, 0, MAX_REPORTE)?;
        let ids: Vec<String> = movs
            .iter()
            .filter(|m| m.estado == EstadoMovimiento::SinIdentificar.as_str())
            .filter_map(|m| m.pago_id.clone())
            .collect();
        let pagos: HashMap<String, i64> = dbb::aplicado_de_pagos(c, &actor.prestador_id, &ids)?
            .into_iter()
            .map(|(id, v, a)| (id, v - a))
            .collect();
        Ok::<_, AppError>((
            movs,
            dbb::cuentas(c, &actor.prestador_id)?,
            db::pagadores::nombres(c, &actor.prestador_id)?,
            pagos,
        ))
    })?;
    let mut total = Cuenta::default();
    let mut por_cuenta: HashMap<String, Cuenta> = HashMap::new();
    let mut por_pagador: HashMap<Option<String>, Cuenta> = HashMap::new();
    for m in &movs {
        // Unidentified money of a payer is what its payment still has unapplied (a voided one
        // has none); without a payer, the whole credit.
        let sin_aplicar = match &m.pago_id {
            Some(p) => pagos.get(p).copied().unwrap_or(0),
            None => m.valor,
        };
        total.sumar(m, sin_aplicar);
        por_cuenta.entry(m.cuenta_id.clone()).or_default().sumar(m, sin_aplicar);
        por_pagador
            .entry(m.pagador_id.clone())
            .or_default()
            .sumar(m, sin_aplicar);
    }
    let mut filas_cuenta: Vec<FilaCuentaBancaria> = cuentas
        .into_iter()
        .filter_map(|cu| {
            por_cuenta.get(&cu.id).map(|t| FilaCuentaBancaria {
                cuenta: format!("{} {} — {}", cu.banco, cu.numero, cu.nombre),
                cuenta_id: cu.id,
                totales: t.totales(),
            })
        })
        .collect();
    filas_cuenta.sort_by(|a, b| a.cuenta.cmp(&b.cuenta));
    let mut filas_pagador: Vec<FilaPagadorBanco> = por_pagador
        .into_iter()
        .map(|(id, t)| FilaPagadorBanco {
            pagador: id.as_ref().map_or("Sin pagador identificado".to_string(), |i| {
                nombres.get(i).cloned().unwrap_or_default()
            }),
            pagador_id: id,
            totales: t.totales(),
        })
        .collect();
    // Payers by name, the credits without payer last.
    filas_pagador.sort_by(|a, b| (a.pagador_id.is_none(), &a.pagador).cmp(&(b.pagador_id.is_none(), &b.pagador)));
    Ok(ReporteBancos {
        desde: q.desde,
        hasta: q.hasta,
        total: total.totales(),
        por_cuenta: filas_cuenta,
        por_pagador: filas_pagador,
    })
}

/// The report as a workbook: one sheet per account, one per payer.
pub fn xlsx(r: &ReporteBancos) -> Result<Vec<u8>, AppError> {
    use super::hoja::{self, Celda, Hoja};
    let columnas = |primera: &'static str| {
        vec![
            (primera, 40.0),
            ("Abonos", 10.0),
            ("Valor", 18.0),
            ("Automáticos", 12.0),
            ("% automático (cantidad)", 14.0),
            ("% automático (valor)", 14.0),
            ("Pendientes", 11.0),
            ("Valor pendiente", 18.0),
            ("Sin identificar", 12.0),
            ("Saldo sin identificar", 18.0),
            ("Descartados", 11.0),
        ]
    };
    let celdas = |nombre: &str, t: &TotalesBanco| {
        vec![
            nombre.into(),
            Celda::Entero(t.creditos),
            Celda::Dinero(t.valor),
            Celda::Entero(t.automaticos),
            Celda::Numero(t.pct_automatico),
            Celda::Numero(t.pct_valor_automatico),
            Celda::Entero(t.pendientes),
            Celda::Dinero(t.valor_pendiente),
            Celda::Entero(t.sin_identificar),
            Celda::Dinero(t.saldo_sin_identificar),
            Celda::Entero(t.descartados),
        ]
    };
    let periodo = match (r.desde, r.hasta) {
        (None, None) => "todo".to_string(),
        (d, h) => format!(
            "{} a {}",
            d.map_or("el inicio".into(), |d| d.format("%d/%m/%Y").to_string()),
            h.map_or("hoy".into(), |h| h.format("%d/%m/%Y").to_string())
        ),
    };
    let encabezado = vec![
        ("Extractos bancarios".into(), periodo),
        (
            "% aplicado automáticamente (valor)".into(),
            r.total.pct_valor_automatico.to_string(),
        ),
        (
            "Saldo sin identificar".into(),
            pesos_colombianos(to_centavos_no_negativo(r.total.saldo_sin_identificar).unwrap_or(0)),
        ),
    ];
    let mut por_cuenta: Vec<Vec<Celda>> = r.por_cuenta.iter().map(|f| celdas(&f.cuenta, &f.totales)).collect();
    por_cuenta.push(celdas("Total", &r.total));
    hoja::libro(&[
        Hoja {
            nombre: "Por cuenta".into(),
            encabezado: encabezado.clone(),
            columnas: columnas("Cuenta"),
            filas: por_cuenta,
        },
        Hoja {
            nombre: "Por pagador".into(),
            encabezado,
            columnas: columnas("Pagador"),
            filas: r.por_pagador.iter().map(|f| celdas(&f.pagador, &f.totales)).collect(),
        },
    ])
}

/// The statements imported, the latest first (of one account).
pub fn extractos(db: &Db, actor: &Actor, cuenta_id: Option<&str>) -> Result<Vec<ExtractoVista>, AppError> {
    actor.exigir(LEEN, "ver los extractos bancarios")?;
    let v = db.read(|c| {
        if let Some(cu) = cuenta_id {
            cuenta_de(c, actor, cu)?;
        }
        Ok::<_, AppError>(dbb::extractos(c, &actor.prestador_id, cuenta_id, 200)?)
    })?;
    Ok(v.into_iter()
        .map(|e| extracto_vista(e, false, HashMap::new()))
        .collect())
}
