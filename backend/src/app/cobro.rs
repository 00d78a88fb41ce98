//! Gestión de cobro: each payer's collection stage (by rule or by hand), contact and
//! responsible user; the log of actions; payment agreements with instalments and their
//! fulfilment. Every action is also an event of the invoices it touches, so it shows in their
//! trazabilidad.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::{ciclo, Actor, AppError, Lista, Pagina};
use crate::db::{self, cobro as dbc, AnyConnection, Db};
use crate::domain::cobro::{self, EstadoAcuerdo, EstadoCuota, Etapa, ReglaEtapas, TipoGestion};
use crate::domain::money::{from_centavos, to_centavos_no_negativo};
use crate::domain::rol::Rol;
use crate::domain::Violation;

/// Who works collection: the cartera team, finance and admins.
pub const GESTORES: &[Rol] = &[Rol::Cartera, Rol::Finanzas, Rol::Admin];

/// Appends one event to each of these invoices, with their balances as stored.
pub fn eventos_en(
    c: &mut AnyConnection,
    actor: &Actor,
    facturas: &[db::facturas::Factura],
    tipo: &str,
    fecha: NaiveDate,
    datos: serde_json::Value,
) -> Result<(), AppError> {
    let eventos: Vec<_> = facturas
        .iter()
        .map(|f| ciclo::nuevo_evento(actor, &f.id, tipo, fecha, datos.clone(), (f.saldo, f.en_discusion)))
        .collect();
    Ok(db::eventos::insertar(c, &eventos)?)
}

/// The invoices named by id, each of the tenant and of this payer, or what is wrong with each.
pub fn facturas_del_pagador(
    c: &mut AnyConnection,
    prestador_id: &str,
    pagador_id: &str,
    ids: &[String],
    campo: &str,
) -> Result<Vec<db::facturas::Factura>, AppError> {
    let filas = db::facturas::por_ids(c, prestador_id, ids)?;
    let mut errores = Vec::new();
    let mut out = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        match filas.iter().find(|f| &f.id == id) {
            None => errores.push(Violation::new(
                format!("{campo}[{i}]"),
                format!("no existe la factura {id} en su prestador"),
            )),
            Some(f) if f.pagador_id != pagador_id => errores.push(Violation::new(
                format!("{campo}[{i}]"),
                format!("la factura {} es de otro pagador", f.numero),
            )),
            Some(f) if out.iter().any(|o: &db::facturas::Factura| o.id == f.id) => {
                errores.push(Violation::new(format!("{campo}[{i}]"), "factura repetida"))
            }
            Some(f) => out.push(f.clone()),
        }
    }
    if errores.is_empty() {
        Ok(out)
    } else {
        Err(AppError::Invalid(errores))
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CambioEtapaVista {
    pub pagador_id: String,
    pub etapa: Etapa,
    pub anterior: Etapa,
    /// `regla` or `manual`.
    pub origen: String,
    pub motivo: String,
    pub fecha: NaiveDate,
    pub actor_id: String,
    pub registrado_en: chrono::DateTime<chrono::Utc>,
}

fn vista_etapa(e: dbc::CambioEtapa) -> CambioEtapaVista {
    CambioEtapaVista {
        pagador_id: e.pagador_id,
        etapa: e.etapa,
        anterior: e.anterior,
        origen: e.origen,
        motivo: e.motivo,
        fecha: e.fecha,
        actor_id: e.actor_id,
        registrado_en: e.registrado_en.and_utc(),
    }
}

/// What the cartera team keeps of a payer.
#[derive(Debug, Serialize, ToSchema)]
pub struct CobroVista {
    pub pagador_id: String,
    pub etapa: Etapa,
    pub email_contacto: Option<String>,
    pub responsable_id: Option<String>,
    /// 0 until the record is first written; send it back to change it.
    pub version: i32,
    /// Every change of stage, oldest first.
    pub historial: Vec<CambioEtapaVista>,
}

fn cobro_o_nuevo(c: &mut AnyConnection, prestador_id: &str, pagador_id: &str) -> Result<dbc::CobroPagador, AppError> {
    super::pagadores::buscar(c, prestador_id, pagador_id)?;
    Ok(
        dbc::cobro_de(c, prestador_id, pagador_id)?.unwrap_or(dbc::CobroPagador {
            pagador_id: pagador_id.into(),
            prestador_id: prestador_id.into(),
            etapa: Etapa::Preventiva,
            email_contacto: None,
            responsable_id: None,
            version: 0,
            actualizado_en: db::now(),
        }),
    )
}

/// Writes the record if still at the version read (0 = never written).
fn guardar_cobro(c: &mut AnyConnection, mut p: dbc::CobroPagador) -> Result<(), AppError> {
    let version = p.version;
    p.actualizado_en = db::now();
    let n = if version == 0 {
        p.version = 1;
        dbc::guardar_cobro(c, &p, None)?
    } else {
        dbc::guardar_cobro(c, &p, Some(version))?
    };
    if n == 0 {
        return Err(AppError::Conflict(
            "otro usuario cambió la gestión de este pagador al mismo tiempo; vuelva a leerla y repita".into(),
        ));
    }
    Ok(())
}

pub fn obtener(db: &Db, actor: &Actor, pagador_id: &str) -> Result<CobroVista, AppError> {
    db.read(|c| {
        let p = cobro_o_nuevo(c, &actor.prestador_id, pagador_id)?;
        let historial = dbc::etapas_de(c, &actor.prestador_id, pagador_id)?
            .into_iter()
            .map(vista_etapa)
            .collect();
        Ok(CobroVista {
            pagador_id: p.pagador_id,
            etapa: p.etapa,
            email_contacto: p.email_contacto,
            responsable_id: p.responsable_id,
            version: p.version,
            historial,
        })
    })
}

/// The contact and the responsible user of a payer's collection.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CambioCobro {
    /// The payer's e-mail for statements and reminders; empty to remove it.
    pub email_contacto: Option<String>,
    /// A user of the prestador with the cartera role; empty to leave it unassigned.
    pub responsable_id: Option<String>,
    /// The `version` last read (0 for a payer never worked).
    pub version: i32,
}

pub fn actualizar(db: &Db, actor: &Actor, pagador_id: &str, cambio: CambioCobro) -> Result<CobroVista, AppError> {
    actor.exigir(GESTORES, "cambiar la gestión de cobro de un pagador")?;
    if let Some(e) = cambio.email_contacto.as_deref().filter(|e| !e.trim().is_empty()) {
        if e.parse::<lettre::Address>().is_err() {
            return Err(AppError::invalid(
                "email_contacto",
                format!("'{e}' no es una dirección de correo"),
            ));
        }
    }
    db.write(|c| {
        let mut p = cobro_o_nuevo(c, &actor.prestador_id, pagador_id)?;
        if p.version != cambio.version {
            return Err(super::pagadores::stale(p.version, cambio.version));
        }
        if let Some(e) = &cambio.email_contacto {
            p.email_contacto = Some(e.trim().to_string()).filter(|e| !e.is_empty());
        }
        if let Some(r) = &cambio.responsable_id {
            p.responsable_id = if r.is_empty() {
                None
            } else {
                match db::usuarios::por_id(c, &actor.prestador_id, r)? {
                    Some(u) if u.rol == Rol::Cartera || u.rol == Rol::Finanzas => Some(u.id),
                    Some(u) => {
                        return Err(AppError::invalid(
                            "responsable_id",
                            format!(
                                "{} tiene el rol {}; la cartera la gestionan cartera o finanzas",
                                u.email, u.rol
                            ),
                        ))
                    }
                    None => {
                        return Err(AppError::invalid(
                            "responsable_id",
                            "no existe ese usuario en su prestador",
                        ))
                    }
                }
            };
        }
        guardar_cobro(c, p)
    })?;
    obtener(db, actor, pagador_id)
}

/// Moves a payer's stage, recording why, and tells each of its open invoices.
fn mover_etapa(
    c: &mut AnyConnection,
    actor: &Actor,
    mut p: dbc::CobroPagador,
    etapa: Etapa,
    origen: &str,
    motivo: &str,
    fecha: NaiveDate,
) -> Result<dbc::CambioEtapa, AppError> {
    let cambio = dbc::CambioEtapa {
        id: db::new_id(),
        prestador_id: actor.prestador_id.clone(),
        pagador_id: p.pagador_id.clone(),
        etapa,
        anterior: p.etapa,
        origen: origen.into(),
        motivo: motivo.into(),
        fecha,
        actor_id: actor.usuario_id.clone(),
        registrado_en: db::now(),
    };
    dbc::insertar_etapa(c, &cambio)?;
    let facturas = dbc::abiertas(c, &actor.prestador_id, &p.pagador_id)?;
    eventos_en(
        c,
        actor,
        &facturas,
        "etapa_cobro",
        fecha,
        json!({"etapa": cambio.etapa, "anterior": cambio.anterior, "origen": origen, "motivo": motivo}),
    )?;
    p.etapa = cambio.etapa;
    guardar_cobro(c, p)?;
    Ok(cambio)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NuevaEtapa {
    pub etapa: Etapa,
    /// Why, for the record (e.g. "comité de cartera del 2026-11-20, acta 45").
    pub motivo: String,
    /// Default today.
    pub fecha: Option<NaiveDate>,
}

/// A stage set by hand.
pub fn cambiar_etapa(
    db: &Db,
    actor: &Actor,
    hoy: NaiveDate,
    pagador_id: &str,
    n: NuevaEtapa,
) -> Result<CambioEtapaVista, AppError> {
    actor.exigir(GESTORES, "cambiar la etapa de cobro")?;
    let fecha = n.fecha.unwrap_or(hoy);
    super::no_futura("fecha", fecha, hoy)?;
    if n.motivo.trim().is_empty() {
        return Err(AppError::invalid("motivo", "diga por qué cambia la etapa"));
    }
    let cambio = db.write(|c| {
        let p = cobro_o_nuevo(c, &actor.prestador_id, pagador_id)?;
        if p.etapa == n.etapa {
            return Err(AppError::Conflict(format!("el pagador ya está en etapa {}", n.etapa)));
        }
        mover_etapa(c, actor, p, n.etapa, "manual", n.motivo.trim(), fecha)
    })?;
    Ok(vista_etapa(cambio))
}

/// Applies the stage rule to every payer at `hoy`: escalates by days of mora and overdue
/// amount, and back to preventiva when nothing is overdue. Returns the changes made.
pub fn aplicar_regla(
    db: &Db,
    regla: &ReglaEtapas,
    reglas: &crate::domain::terminos::Reglas,
    actor: &Actor,
    hoy: NaiveDate,
) -> Result<Vec<CambioEtapaVista>, AppError> {
    actor.exigir(GESTORES, "aplicar la regla de etapas")?;
    let cambios = db.write(|c| {
        let pid = &actor.prestador_id;
        // What is overdue, by the aging's definition (db::cartera::deuda_por_pagador).
        let vencidos: Vec<_> = db::cartera::deuda_por_pagador(c, pid, hoy, super::cartera::silencio(reglas))?
            .into_iter()
            .filter(|d| d.vencido > 0)
            .collect();
        let mut pagadores: Vec<String> = vencidos.iter().map(|v| v.pagador_id.clone()).collect();
        for p in dbc::cobros(c, pid)? {
            if !pagadores.contains(&p.pagador_id) {
                pagadores.push(p.pagador_id);
            }
        }
        pagadores.sort();
        let mut cambios = Vec::new();
        for pagador_id in pagadores {
            let p = cobro_o_nuevo(c, pid, &pagador_id)?;
            let actual: Etapa = p.etapa;
            let (dias, vencido) = vencidos
                .iter()
                .find(|v| v.pagador_id == pagador_id)
                .map_or((0, 0), |v| {
                    let dias = v.primer_vencimiento.map_or(0, |p| (hoy - p).num_days());
                    (dias, v.vencido)
                });
            if let Some(nueva) = regla.mover(actual, dias, vencido) {
                let motivo = if vencido == 0 {
                    "sin saldo vencido".to_string()
                } else {
                    format!(
                        "{dias} días de mora en la factura más antigua y {} vencidos",
                        from_centavos(vencido)
                    )
                };
                cambios.push(mover_etapa(c, actor, p, nueva, "regla", &motivo, hoy)?);
            }
        }
        Ok::<_, AppError>(cambios)
    })?;
    Ok(cambios.into_iter().map(vista_etapa).collect())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NuevaGestion {
    pub tipo: TipoGestion,
    pub fecha: NaiveDate,
    /// Whom the cartera user spoke or wrote to.
    #[serde(default)]
    pub contacto: String,
    /// What came of it.
    pub resultado: String,
    /// What the payer committed to (amount, date), if anything.
    #[serde(default)]
    pub compromiso: String,
    #[serde(default)]
    pub proximo_paso: String,
    pub fecha_proximo_paso: Option<NaiveDate>,
    /// The invoices it was about, if any.
    #[serde(default)]
    pub facturas: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GestionVista {
    pub id: String,
    pub pagador_id: String,
    pub tipo: TipoGestion,
    pub fecha: NaiveDate,
    pub contacto: String,
    pub resultado: String,
    pub compromiso: String,
    pub proximo_paso: String,
    pub fecha_proximo_paso: Option<NaiveDate>,
    pub facturas: Vec<String>,
    pub actor_id: String,
    pub registrado_en: chrono::DateTime<chrono::Utc>,
}

fn vista_gestion(g: dbc::Gestion, facturas: Vec<String>) -> GestionVista {
    GestionVista {
        id: g.id,
        pagador_id: g.pagador_id,
        tipo: g.tipo,
        fecha: g.fecha,
        contacto: g.contacto,
        resultado: g.resultado,
        compromiso: g.compromiso,
        proximo_paso: g.proximo_paso,
        fecha_proximo_paso: g.fecha_proximo_paso,
        facturas,
        actor_id: g.actor_id,
        registrado_en: g.registrado_en.and_utc(),
    }
}

/// Records an action in the caller's transaction.
/// Records a gestión in the caller's transaction; `automatica` when Trazo records it by itself
/// (a reminder), so it never replaces a person's agreed next step.
pub fn registrar_gestion_en(
    c: &mut AnyConnection,
    actor: &Actor,
    hoy: NaiveDate,
    pagador_id: &str,
    n: &NuevaGestion,
    automatica: bool,
) -> Result<GestionVista, AppError> {
    super::no_futura("fecha", n.fecha, hoy)?;
    if n.resultado.trim().is_empty() {
        return Err(AppError::invalid("resultado", "diga qué resultó de la gestión"));
    }
    if let Some(f) = n.fecha_proximo_paso.filter(|f| *f < n.fecha) {
        return Err(AppError::invalid(
            "fecha_proximo_paso",
            format!("el próximo paso ({f}) no puede ser antes de la gestión ({})", n.fecha),
        ));
    }
    super::pagadores::buscar(c, &actor.prestador_id, pagador_id)?;
    let facturas = facturas_del_pagador(c, &actor.prestador_id, pagador_id, &n.facturas, "facturas")?;
    let g = dbc::Gestion {
        id: db::new_id(),
        prestador_id: actor.prestador_id.clone(),
        pagador_id: pagador_id.into(),
        tipo: n.tipo,
        fecha: n.fecha,
        contacto: n.contacto.trim().into(),
        resultado: n.resultado.trim().into(),
        compromiso: n.compromiso.trim().into(),
        proximo_paso: n.proximo_paso.trim().into(),
        fecha_proximo_paso: n.fecha_proximo_paso,
        actor_id: actor.usuario_id.clone(),
        registrado_en: db::now(),
        automatica,
    };
    let ids: Vec<String> = facturas.iter().map(|f| f.id.clone()).collect();
    dbc::insertar_gestion(c, &g, &ids)?;
    eventos_en(
        c,
        actor,
        &facturas,
        "gestion_cobro",
        n.fecha,
        json!({"gestion_id": g.id, "tipo": g.tipo, "contacto": g.contacto, "resultado": g.resultado,
               "compromiso": g.compromiso, "proximo_paso": g.proximo_paso}),
    )?;
    Ok(vista_gestion(g, ids))
}

pub fn registrar_gestion(
    db: &Db,
    actor: &Actor,
    hoy: NaiveDate,
    pagador_id: &str,
    n: NuevaGestion,
) -> Result<GestionVista, AppError> {
    actor.exigir(GESTORES, "registrar gestiones de cobro")?;
    db.write(|c| registrar_gestion_en(c, actor, hoy, pagador_id, &n, false))
}

pub fn gestiones(db: &Db, actor: &Actor, pagador_id: &str, pagina: Pagina) -> Result<Lista<GestionVista>, AppError> {
    db.read(|c| {
        super::pagadores::buscar(c, &actor.prestador_id, pagador_id)?;
        let (items, total) = dbc::gestiones_de(c, &actor.prestador_id, pagador_id, pagina.offset(), pagina.per_page)?;
        Ok(Lista {
            items: items.into_iter().map(|(g, f)| vista_gestion(g, f)).collect(),
            total,
        })
    })
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NuevaCuota {
    pub fecha_vencimiento: NaiveDate,
    #[schema(value_type = crate::app::DecimalExacto)]
    #[serde(deserialize_with = "crate::app::exacto::requerido")]
    pub valor: Decimal,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NuevoAcuerdo {
    /// The agreement's own number or reference, unique in the prestador.
    pub numero: String,
    pub fecha: NaiveDate,
    /// The invoices it covers; empty: every invoice of the payer with a balance today.
    #[serde(default)]
    pub facturas: Vec<String>,
    pub cuotas: Vec<NuevaCuota>,
    #[serde(default)]
    pub observacion: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CuotaVista {
    pub numero: i32,
    pub fecha_vencimiento: NaiveDate,
    #[schema(value_type = String)]
    pub valor: Decimal,
    #[schema(value_type = String)]
    pub pagado: Decimal,
    pub pagada_en: Option<NaiveDate>,
    pub estado: EstadoCuota,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AcuerdoVista {
    pub id: String,
    pub pagador_id: String,
    pub numero: String,
    pub fecha: NaiveDate,
    #[schema(value_type = String)]
    pub valor: Decimal,
    /// Payments applied to its invoices since its date.
    #[schema(value_type = String)]
    pub pagado: Decimal,
    #[schema(value_type = String)]
    pub pendiente: Decimal,
    pub estado: EstadoAcuerdo,
    pub cuotas: Vec<CuotaVista>,
    pub facturas: Vec<String>,
    pub observacion: String,
}

fn vista_acuerdo(c: &mut AnyConnection, a: dbc::Acuerdo, hoy: NaiveDate) -> Result<AcuerdoVista, AppError> {
    let (cuotas, facturas, pagos) = dbc::detalle_acuerdo(c, &a)?;
    let plan: Vec<(NaiveDate, i64)> = cuotas.iter().map(|q| (q.fecha_vencimiento, q.valor)).collect();
    let (cumplidas, estado) = cobro::cumplimiento(&plan, &pagos, hoy);
    let pagado: i64 = cumplidas.iter().map(|q| q.pagado).sum();
    Ok(AcuerdoVista {
        id: a.id,
        pagador_id: a.pagador_id,
        numero: a.numero,
        fecha: a.fecha,
        valor: from_centavos(a.valor),
        pagado: from_centavos(pagado),
        pendiente: from_centavos(a.valor - pagado),
        estado,
        cuotas: cuotas
            .iter()
            .zip(cumplidas)
            .map(|(q, r)| CuotaVista {
                numero: q.numero,
                fecha_vencimiento: q.fecha_vencimiento,
                valor: from_centavos(q.valor),
                pagado: from_centavos(r.pagado),
                pagada_en: r.pagada_en,
                estado: r.estado,
            })
            .collect(),
        facturas,
        observacion: a.observacion,
    })
}

/// A payment agreement: instalments in order of due date, none before the agreement, adding
/// up to no more than what its invoices owe.
pub fn crear_acuerdo(
    db: &Db,
    actor: &Actor,
    hoy: NaiveDate,
    pagador_id: &str,
    n: NuevoAcuerdo,
) -> Result<AcuerdoVista, AppError> {
    actor.exigir(&[Rol::Cartera, Rol::Finanzas], "registrar acuerdos de pago")?;
    let a = db.write(|c| crear_acuerdo_en(c, actor, hoy, pagador_id, &n))?;
    db.read(|c| vista_acuerdo(c, a, hoy))
}

/// [`crear_acuerdo`] in the caller's transaction (an acta de conciliación records its
/// agreement with it), without the check of role.
pub fn crear_acuerdo_en(
    c: &mut AnyConnection,
    actor: &Actor,
    hoy: NaiveDate,
    pagador_id: &str,
    n: &NuevoAcuerdo,
) -> Result<dbc::Acuerdo, AppError> {
    super::no_futura("fecha", n.fecha, hoy)?;
    let mut errores = Vec::new();
    let numero = n.numero.trim().to_string();
    if numero.is_empty() || numero.len() > 60 {
        errores.push(Violation::new(
            "numero",
            "se espera el número del acuerdo (hasta 60 caracteres)",
        ));
    }
    if n.cuotas.is_empty() {
        errores.push(Violation::new("cuotas", "un acuerdo de pago tiene al menos una cuota"));
    }
    let mut valores = Vec::new();
    let mut anterior = n.fecha;
    for (i, q) in n.cuotas.iter().enumerate() {
        match to_centavos_no_negativo(q.valor) {
            Ok(v) if v > 0 => valores.push(v),
            Ok(_) => errores.push(Violation::new(
                format!("cuotas[{i}].valor"),
                "la cuota debe ser mayor que cero",
            )),
            Err(e) => errores.push(Violation::new(format!("cuotas[{i}].valor"), e.to_string())),
        }
        if q.fecha_vencimiento < anterior || (i > 0 && q.fecha_vencimiento == anterior) {
            errores.push(Violation::new(
                format!("cuotas[{i}].fecha_vencimiento"),
                format!(
                    "las cuotas vencen en orden, después de la fecha del acuerdo ({}) y de la cuota anterior",
                    n.fecha
                ),
            ));
        }
        anterior = q.fecha_vencimiento;
    }
    if !errores.is_empty() {
        return Err(AppError::Invalid(errores));
    }
    let valor: i64 = valores.iter().sum();
    super::pagadores::buscar(c, &actor.prestador_id, pagador_id)?;
    if dbc::acuerdo_por_numero(c, &actor.prestador_id, &numero)?.is_some() {
        return Err(AppError::Conflict(format!("ya existe el acuerdo de pago {numero}")));
    }
    let facturas = if n.facturas.is_empty() {
        dbc::abiertas(c, &actor.prestador_id, pagador_id)?
    } else {
        facturas_del_pagador(c, &actor.prestador_id, pagador_id, &n.facturas, "facturas")?
    };
    let deuda: i64 = facturas.iter().map(|f| f.saldo).sum();
    if facturas.is_empty() {
        return Err(AppError::invalid("facturas", "el pagador no tiene facturas con saldo"));
    }
    if valor > deuda {
        return Err(AppError::invalid(
            "cuotas",
            format!(
                "las cuotas suman {} y las facturas del acuerdo deben {}",
                from_centavos(valor),
                from_centavos(deuda)
            ),
        ));
    }
    let a = dbc::Acuerdo {
        id: db::new_id(),
        prestador_id: actor.prestador_id.clone(),
        pagador_id: pagador_id.into(),
        numero: numero.clone(),
        fecha: n.fecha,
        valor,
        observacion: n.observacion.trim().into(),
        actor_id: actor.usuario_id.clone(),
        creado_en: db::now(),
    };
    let cuotas: Vec<dbc::Cuota> = n
        .cuotas
        .iter()
        .zip(&valores)
        .enumerate()
        .map(|(i, (q, v))| dbc::Cuota {
            id: db::new_id(),
            prestador_id: actor.prestador_id.clone(),
            acuerdo_id: a.id.clone(),
            numero: i as i32 + 1,
            fecha_vencimiento: q.fecha_vencimiento,
            valor: *v,
        })
        .collect();
    let ids: Vec<String> = facturas.iter().map(|f| f.id.clone()).collect();
    dbc::insertar_acuerdo(c, &a, &ids, &cuotas)?;
    let plan: Vec<_> = cuotas
        .iter()
        .map(|q| json!({"numero": q.numero, "vence": q.fecha_vencimiento, "valor": from_centavos(q.valor)}))
        .collect();
    eventos_en(
        c,
        actor,
        &facturas,
        "acuerdo_pago",
        n.fecha,
        json!({"acuerdo_id": a.id, "numero": a.numero, "valor": from_centavos(valor), "cuotas": plan}),
    )?;
    Ok(a)
}

pub fn acuerdo(db: &Db, actor: &Actor, hoy: NaiveDate, id: &str) -> Result<AcuerdoVista, AppError> {
    db.read(|c| {
        let a = dbc::acuerdo(c, &actor.prestador_id, id)?.ok_or_else(|| AppError::not_found("un acuerdo de pago"))?;
        vista_acuerdo(c, a, hoy)
    })
}

/// Agreements of the prestador, of one payer if given, with their fulfilment today.
pub fn acuerdos(
    db: &Db,
    actor: &Actor,
    hoy: NaiveDate,
    pagador_id: Option<&str>,
) -> Result<Vec<AcuerdoVista>, AppError> {
    db.read(|c| {
        if let Some(p) = pagador_id {
            super::pagadores::buscar(c, &actor.prestador_id, p)?;
        }
        dbc::acuerdos(c, &actor.prestador_id, pagador_id)?
            .into_iter()
            .map(|a| vista_acuerdo(c, a, hoy))
            .collect()
    })
}
