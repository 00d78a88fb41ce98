//! Devoluciones as Res. 2284/2023 art. 6 writes them: the payer returns the invoice once
//! (6.1), the prestador answers (6.2), the payer accepts the answer or reiterates (6.3); and
//! the payer's notice RE2201 when the prestador's silence accepted it. Each step is one
//! transaction with its event.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::ciclo::{self, devolucion_dominio, Expediente};
use super::facturas::FacturaVista;
use super::{Actor, AppError, Lista, Pagina};
use crate::db::{self, radicaciones::Devolucion as Fila, AnyConnection, Db};
use crate::domain::catalogo::{Catalogo, Manual, RespondeA};
use crate::domain::devolucion::{DecisionDevolucion, EstadoDevolucion, RespuestaDevolucion};
use crate::domain::rol::Rol;
use crate::domain::terminos::Terminos;

/// Who records the payer's devoluciones and answers them.
pub const REGISTRAN: &[Rol] = &[Rol::Facturacion, Rol::Cartera];

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NuevaDevolucion {
    /// Devolución code of the manual in force for the invoice (`DE1601`; `816` for invoices
    /// issued before 2024-10-01).
    #[schema(example = "DE5601")]
    pub codigo: String,
    /// When the payer communicated it: its term ran 5 días hábiles from radicación.
    pub fecha: chrono::NaiveDate,
    #[serde(default)]
    pub observacion: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NuevaRespuestaDevolucion {
    /// RE9601 (unjustified, with evidence), RE9701 (accepted), RE9501 (the devolución was
    /// extemporánea); 996/997 for old invoices.
    #[schema(example = "RE9601")]
    pub codigo: String,
    pub fecha: chrono::NaiveDate,
    #[serde(default)]
    pub justificacion: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NuevaDecisionDevolucion {
    /// `acepta_respuesta` (the devolución is withdrawn) or `reitera`.
    pub decision: DecisionDevolucion,
    pub fecha: chrono::NaiveDate,
}

/// A notice the payer sends: RE2201 (a devolución accepted by the prestador's silence) or
/// RE2202 (a glosa accepted by silence after a late answer). Recorded as a fact of the
/// trazabilidad; it changes no value, the silence already did.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NuevoAviso {
    #[schema(example = "RE2202")]
    pub codigo: String,
    pub fecha: chrono::NaiveDate,
    #[serde(default)]
    pub observacion: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DevolucionVista {
    pub id: String,
    pub factura_id: String,
    pub codigo: String,
    pub descripcion_codigo: Option<String>,
    pub fecha: NaiveDate,
    /// After the payer's 5 días hábiles (art. 6.1): no effect on the invoice; answer RE9501.
    pub extemporanea: bool,
    pub observacion: String,
    /// As of today, silence applied.
    pub estado: EstadoDevolucion,
    /// Last day of the prestador's answer (art. 6.2).
    pub fecha_limite_respuesta: Option<NaiveDate>,
    pub respuesta_codigo: Option<String>,
    pub respuesta_fecha: Option<NaiveDate>,
    pub respuesta_extemporanea: bool,
    /// Last day for the payer to accept the answer or reiterate (art. 6.3).
    pub fecha_limite_reiteracion: Option<NaiveDate>,
    pub decision: Option<DecisionDevolucion>,
    pub decision_fecha: Option<NaiveDate>,
    /// Accepted by the prestador's silence (as of today).
    pub aceptada_tacitamente: bool,
    /// Unjustified by the payer's silence (as of today).
    pub injustificada_por_silencio: bool,
    /// Last day to radicate the corrected invoice again, once the devolución stands (accepted
    /// or reiterated) and while it holds the radicación in force (`[reradicacion]`).
    pub fecha_limite_reradicacion: Option<NaiveDate>,
    /// Whether it belongs to the radicación in force (an earlier one was followed by a new
    /// radicación).
    pub vigente: bool,
    pub version: i32,
}

/// The devoluciones of a loaded invoice, oldest first, as of `hoy`.
pub fn de_expediente(e: &Expediente, t: &Terminos, hoy: NaiveDate) -> Result<Vec<DevolucionVista>, AppError> {
    let ultima = e.radicaciones.last().map(|r| r.id.as_str());
    e.devoluciones.iter().map(|f| vista(f, ultima, t, hoy)).collect()
}

/// One devolución as of `hoy`; `ultima` is its invoice's radicación in force.
fn vista(f: &Fila, ultima: Option<&str>, t: &Terminos, hoy: NaiveDate) -> Result<DevolucionVista, AppError> {
    let d = devolucion_dominio(f, t)?;
    let vigente = Some(f.radicacion_id.as_str()) == ultima;
    Ok(DevolucionVista {
        id: f.id.clone(),
        factura_id: f.factura_id.clone(),
        codigo: f.codigo.clone(),
        descripcion_codigo: Catalogo::oficial().buscar(&f.codigo).map(|c| c.descripcion.clone()),
        fecha: f.fecha,
        extemporanea: f.extemporanea,
        observacion: f.observacion.clone(),
        estado: d.estado(hoy, &t.reglas),
        fecha_limite_respuesta: d.fecha_limite_respuesta,
        respuesta_codigo: f.respuesta_codigo.clone(),
        respuesta_fecha: f.respuesta_fecha,
        respuesta_extemporanea: matches!((f.respuesta_fecha, d.fecha_limite_respuesta), (Some(r), Some(l)) if r > l),
        fecha_limite_reiteracion: d.fecha_limite_reiteracion,
        decision: d.decision.map(|x| x.0),
        decision_fecha: f.decision_fecha,
        aceptada_tacitamente: d.aceptada_tacitamente(hoy, &t.reglas),
        injustificada_por_silencio: d.injustificada_por_silencio(hoy, &t.reglas),
        fecha_limite_reradicacion: d.fecha_limite_reradicacion(hoy, t).filter(|_| vigente),
        vigente,
        version: f.version,
    })
}

/// At most this many devoluciones in a workbook.
const FILAS_XLSX: i64 = 200_000;

/// What a list of devoluciones across invoices asks for.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct ConsultaDevoluciones {
    pub pagador_id: Option<String>,
    pub factura_id: Option<String>,
    /// A whole code, e.g. `DE1601`.
    pub codigo: Option<String>,
    /// Communicated on or after this day.
    pub desde: Option<NaiveDate>,
    /// Communicated on or before this day.
    pub hasta: Option<NaiveDate>,
    pub extemporanea: Option<bool>,
    /// `true`: only those the prestador has not answered yet.
    pub sin_respuesta: Option<bool>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
    /// `xlsx` for a workbook of every devolución that matches.
    pub formato: Option<String>,
}

/// A devolución in a list, with its invoice's number and its payer's name.
#[derive(Debug, Serialize, ToSchema)]
pub struct DevolucionEnLista {
    #[serde(flatten)]
    pub devolucion: DevolucionVista,
    pub numero_factura: String,
    pub pagador_id: String,
    pub pagador: String,
}

/// Devoluciones across invoices, the latest first, filtered and paged in SQL.
pub fn listar(
    db: &Db,
    t: &Terminos,
    hoy: NaiveDate,
    actor: &Actor,
    q: &ConsultaDevoluciones,
    todas: bool,
) -> Result<Lista<DevolucionEnLista>, AppError> {
    let pagina = Pagina::new(q.page, q.per_page)?;
    let f = db::radicaciones::FiltroDevoluciones {
        pagador_id: q.pagador_id.clone(),
        factura_id: q.factura_id.clone(),
        codigo: q.codigo.as_deref().map(|c| c.trim().to_uppercase()),
        desde: q.desde,
        hasta: q.hasta,
        extemporanea: q.extemporanea,
        sin_respuesta: q.sin_respuesta.unwrap_or(false),
    };
    let pid = &actor.prestador_id;
    let (filas, total, facturas, ultimas, nombres) = db.read(|c| {
        let (offset, limit) = pagina.rango(todas, FILAS_XLSX);
        let (filas, total) = db::radicaciones::listar_devoluciones(c, pid, &f, offset, limit)?;
        let ids: Vec<&str> = filas.iter().map(|d| d.factura_id.as_str()).collect();
        let facturas = db::facturas::numeros_y_pagadores(c, pid, &ids)?;
        // Oldest first: the last one seen per invoice is the radicación in force.
        let ultimas: std::collections::HashMap<String, String> =
            db::radicaciones::de_facturas(c, pid, &filas.iter().map(|d| d.factura_id.clone()).collect::<Vec<_>>())?
                .into_iter()
                .map(|r| (r.factura_id, r.id))
                .collect();
        Ok::<_, AppError>((filas, total, facturas, ultimas, db::pagadores::nombres(c, pid)?))
    })?;
    let items = filas
        .iter()
        .map(|d| {
            let (numero, pagador_id) = facturas.get(&d.factura_id).cloned().unwrap_or_default();
            Ok(DevolucionEnLista {
                devolucion: vista(d, ultimas.get(&d.factura_id).map(String::as_str), t, hoy)?,
                numero_factura: numero,
                pagador: nombres.get(&pagador_id).cloned().unwrap_or_default(),
                pagador_id,
            })
        })
        .collect::<Result<_, AppError>>()?;
    Ok(Lista { items, total })
}

/// The list as a workbook: one row per devolución, in the list's order.
pub fn xlsx(hoy: NaiveDate, l: &Lista<DevolucionEnLista>) -> Result<Vec<u8>, AppError> {
    use super::hoja::{self, Celda, Hoja};
    let filas = l
        .items
        .iter()
        .map(|x| {
            let d = &x.devolucion;
            vec![
                x.numero_factura.as_str().into(),
                x.pagador.as_str().into(),
                d.codigo.as_str().into(),
                d.descripcion_codigo.clone().unwrap_or_default().into(),
                Celda::Fecha(d.fecha),
                Celda::from(if d.extemporanea { "sí" } else { "no" }),
                d.estado.as_str().into(),
                d.fecha_limite_respuesta.into(),
                d.respuesta_codigo.clone().unwrap_or_default().into(),
                d.fecha_limite_reradicacion.into(),
            ]
        })
        .collect();
    hoja::libro(&[Hoja {
        nombre: "Devoluciones".into(),
        encabezado: vec![
            ("Al".into(), hoy.to_string()),
            ("Devoluciones".into(), l.total.to_string()),
        ],
        columnas: vec![
            ("Factura", 16.0),
            ("Pagador", 30.0),
            ("Código", 10.0),
            ("Descripción", 60.0),
            ("Comunicada", 12.0),
            ("Extemporánea", 12.0),
            ("Estado", 14.0),
            ("Vence respuesta", 14.0),
            ("Respuesta", 10.0),
            ("Radicar de nuevo antes de", 16.0),
        ],
        filas,
    }])
}

/// Records the payer's devolución (Res. 2284/2023 art. 6.1).
pub fn devolver(
    db: &Db,
    t: &Terminos,
    hoy: NaiveDate,
    actor: &Actor,
    factura_id: &str,
    n: NuevaDevolucion,
) -> Result<FacturaVista, AppError> {
    registrar(db, t, hoy, actor, factura_id, n, true)
}

/// What [`devolver`] would record — the invoice with the devolución, its answer's due date,
/// whether it is extemporánea — with every check it makes, writing nothing: shown to the user
/// before saving.
pub fn revisar(
    db: &Db,
    t: &Terminos,
    hoy: NaiveDate,
    actor: &Actor,
    factura_id: &str,
    n: NuevaDevolucion,
) -> Result<FacturaVista, AppError> {
    registrar(db, t, hoy, actor, factura_id, n, false)
}

fn registrar(
    db: &Db,
    t: &Terminos,
    hoy: NaiveDate,
    actor: &Actor,
    factura_id: &str,
    n: NuevaDevolucion,
    guardar: bool,
) -> Result<FacturaVista, AppError> {
    actor.exigir(REGISTRAN, "registrar devoluciones")?;
    super::no_futura("fecha", n.fecha, hoy)?;
    let e = super::ensayar(db, guardar, |c| {
        let mut e = ciclo::cargar(c, t, &actor.prestador_id, factura_id)?;
        let cod = Catalogo::oficial()
            .validar_devolucion(&n.codigo, e.dominio.fecha_expedicion)
            .map_err(|m| AppError::invalid("codigo", m))?;
        let extemporanea = e.dominio.devolver(n.fecha, t)?;
        let radicacion = e.radicaciones.last().expect("a radicated invoice has a radicación");
        let limite = t.devolucion.vence(radicacion.fecha);
        let d = Fila {
            id: db::new_id(),
            prestador_id: actor.prestador_id.clone(),
            factura_id: factura_id.to_string(),
            radicacion_id: radicacion.id.clone(),
            codigo: cod.codigo.clone(),
            fecha: n.fecha,
            observacion: n.observacion.trim().to_string(),
            extemporanea,
            creado_en: db::now(),
            respuesta_codigo: None,
            respuesta_fecha: None,
            respuesta_justificacion: None,
            decision: None,
            decision_fecha: None,
            version: 1,
        };
        db::radicaciones::insertar_devolucion(c, &d)?;
        let dominio = devolucion_dominio(&d, t)?;
        let plazo = dominio.fecha_limite_respuesta;
        e.dominio.devolucion = Some(dominio);
        e.dominio.devoluciones += 1;
        let saldos = ciclo::guardar(c, &e, &t.reglas, None)?;
        ciclo::evento(
            c,
            actor,
            factura_id,
            "devuelta",
            n.fecha,
            json!({"devolucion_id": d.id, "codigo": d.codigo, "observacion": d.observacion, "extemporanea": extemporanea,
                "cierra": {"nombre": "devolucion", "vencia": limite, "cumplido": !extemporanea, "fuente": t.devolucion.fuente},
                "termino": plazo.map(|v| json!({"nombre": "respuesta_devolucion", "abre": true, "vence": v, "fuente": t.respuesta_devolucion.fuente})),
                "responder": extemporanea.then_some("RE9501")}),
            saldos,
        )?;
        ciclo::cargar(c, t, &actor.prestador_id, factura_id)
    })?;
    super::facturas::vista_completa(e, t, hoy)
}

/// A devolución of the tenant with its invoice, while it is the devolución of the
/// radicación in force (after a new radicación there is nothing left to change in it).
fn vigente(
    c: &mut AnyConnection,
    t: &Terminos,
    actor: &Actor,
    devolucion_id: &str,
) -> Result<(Fila, Expediente), AppError> {
    let Some(fila) = db::radicaciones::devolucion_por_id(c, &actor.prestador_id, devolucion_id)? else {
        return Err(super::correcciones::no_existe(c, actor, devolucion_id, "la devolución"));
    };
    let e = ciclo::cargar(c, t, &actor.prestador_id, &fila.factura_id)?;
    if e.radicaciones.last().map(|r| r.id.as_str()) != Some(fila.radicacion_id.as_str()) {
        return Err(AppError::Conflict(format!(
            "la factura {} se radicó de nuevo después de esta devolución; ya no hay nada que cambiar en ella \
             (para corregirla, anule primero la nueva radicación)",
            e.fila.numero
        )));
    }
    Ok((fila, e))
}

/// Loads a devolución and its invoice, applies `cambio` to the row and the rules' view, saves
/// both with an event, and answers with the invoice as it is now.
fn cambiar(
    db: &Db,
    t: &Terminos,
    hoy: NaiveDate,
    actor: &Actor,
    devolucion_id: &str,
    cambio: impl FnOnce(&mut Expediente, &mut Fila) -> Result<(&'static str, NaiveDate, serde_json::Value), AppError>,
) -> Result<FacturaVista, AppError> {
    corregir(db, t, hoy, actor, devolucion_id, None, cambio)
}

/// [`cambiar`], keeping the devolución as it was in `correcciones` when the change voids
/// part of it (`anula`: what is voided, and why).
fn corregir(
    db: &Db,
    t: &Terminos,
    hoy: NaiveDate,
    actor: &Actor,
    devolucion_id: &str,
    anula: Option<(&str, &str)>,
    cambio: impl FnOnce(&mut Expediente, &mut Fila) -> Result<(&'static str, NaiveDate, serde_json::Value), AppError>,
) -> Result<FacturaVista, AppError> {
    let e = db.write(|c: &mut AnyConnection| {
        let (mut fila, mut e) = vigente(c, t, actor, devolucion_id)?;
        if let Some((entidad, motivo)) = anula {
            let que = super::correcciones::Que {
                entidad,
                entidad_id: &fila.id,
                factura_id: Some(&fila.factura_id),
            };
            super::correcciones::anulado(c, actor, que, motivo, &fila, hoy)?;
        }
        let (tipo, fecha, mut datos) = cambio(&mut e, &mut fila)?;
        let version = fila.version;
        if db::radicaciones::guardar_devolucion(c, &fila, version)? == 0 {
            return Err(AppError::Conflict(
                "otro usuario cambió esta devolución al mismo tiempo; vuelva a leerla antes de repetir la acción"
                    .into(),
            ));
        }
        e.dominio.devolucion = Some(devolucion_dominio(&fila, t)?);
        let saldos = ciclo::guardar(c, &e, &t.reglas, None)?;
        datos["devolucion_id"] = json!(fila.id);
        ciclo::evento(c, actor, &fila.factura_id, tipo, fecha, datos, saldos)?;
        ciclo::cargar(c, t, &actor.prestador_id, &fila.factura_id)
    })?;
    super::facturas::vista_completa(e, t, hoy)
}

/// The prestador's answer (art. 6.2): RE9601 sustains that the devolución is unjustified,
/// RE9701 accepts it, RE9501 answers one that came after the payer's term.
pub fn responder(
    db: &Db,
    t: &Terminos,
    hoy: NaiveDate,
    actor: &Actor,
    devolucion_id: &str,
    n: NuevaRespuestaDevolucion,
) -> Result<FacturaVista, AppError> {
    actor.exigir(REGISTRAN, "responder devoluciones")?;
    super::no_futura("fecha", n.fecha, hoy)?;
    cambiar(db, t, hoy, actor, devolucion_id, |e, fila| {
        let cod = Catalogo::oficial()
            .validar_respuesta(
                &n.codigo,
                RespondeA::Devolucion,
                fila.extemporanea,
                e.dominio.fecha_expedicion,
            )
            .map_err(|m| AppError::invalid("codigo", m))?;
        // Art. 6.1: after its term "no será posible aplicar devoluciones": there is nothing to
        // accept or dispute, only to say it does not proceed.
        if fila.extemporanea && cod.manual == Manual::Res2284 && cod.codigo != "RE9501" {
            return Err(AppError::invalid(
                "codigo",
                format!(
                    "la devolución se comunicó después de los 5 días hábiles (Res. 2284 de 2023, art. 6.1): \
                     se responde RE9501, no {}",
                    cod.codigo
                ),
            ));
        }
        let efecto = cod
            .efecto_respuesta
            .ok_or_else(|| AppError::invalid("codigo", format!("el código {} no tiene efecto", cod.codigo)))?;
        let mut d = devolucion_dominio(fila, t)?;
        let limite = d.fecha_limite_respuesta;
        d.responder(
            &RespuestaDevolucion {
                codigo: cod.codigo.clone(),
                efecto,
                fecha: n.fecha,
            },
            t,
        )?;
        fila.respuesta_codigo = Some(cod.codigo.clone());
        fila.respuesta_fecha = Some(n.fecha);
        fila.respuesta_justificacion = Some(n.justificacion.trim().to_string());
        let cumplido = limite.is_none_or(|l| n.fecha <= l);
        Ok((
            "devolucion_respondida",
            n.fecha,
            json!({
                "codigo": cod.codigo, "efecto": efecto, "justificacion": n.justificacion.trim(), "extemporanea": !cumplido,
                "cierra": limite.map(|l| json!({"nombre": "respuesta_devolucion", "vencia": l, "cumplido": cumplido, "fuente": t.respuesta_devolucion.fuente})),
                "termino": d.fecha_limite_reiteracion.map(|v| json!({"nombre": "reiteracion_devolucion", "abre": true, "vence": v, "fuente": t.reiteracion_devolucion.fuente})),
            }),
        ))
    })
}

/// The payer accepts the prestador's answer or reiterates the devolución (art. 6.3).
pub fn decidir(
    db: &Db,
    t: &Terminos,
    hoy: NaiveDate,
    actor: &Actor,
    devolucion_id: &str,
    n: NuevaDecisionDevolucion,
) -> Result<FacturaVista, AppError> {
    actor.exigir(REGISTRAN, "registrar la decisión del pagador sobre una devolución")?;
    super::no_futura("fecha", n.fecha, hoy)?;
    cambiar(db, t, hoy, actor, devolucion_id, |_, fila| {
        let mut d = devolucion_dominio(fila, t)?;
        let limite = d.fecha_limite_reiteracion;
        let cumplido = d.decidir(n.decision, n.fecha, &t.reglas)?;
        fila.decision = Some(n.decision);
        fila.decision_fecha = Some(n.fecha);
        Ok((
            "devolucion_decidida",
            n.fecha,
            json!({
                "decision": n.decision,
                "cierra": limite.map(|l| json!({"nombre": "reiteracion_devolucion", "vencia": l, "cumplido": cumplido, "fuente": t.reiteracion_devolucion.fuente})),
            }),
        ))
    })
}

/// The payer's notice RE2201: the prestador's answer came late (or never), so the devolución
/// was accepted by silence (art. 6.2). Refused when the answer was in time.
pub fn avisar(
    db: &Db,
    t: &Terminos,
    hoy: NaiveDate,
    actor: &Actor,
    devolucion_id: &str,
    n: NuevoAviso,
) -> Result<FacturaVista, AppError> {
    actor.exigir(REGISTRAN, "registrar avisos del pagador")?;
    super::no_futura("fecha", n.fecha, hoy)?;
    let cod = Catalogo::oficial()
        .validar_aviso(&n.codigo, RespondeA::Devolucion)
        .map_err(|m| AppError::invalid("codigo", m))?;
    cambiar(db, t, hoy, actor, devolucion_id, |_, fila| {
        let d = devolucion_dominio(fila, t)?;
        let tardia = match (d.fecha_limite_respuesta, fila.respuesta_fecha) {
            (Some(l), Some(r)) => r > l,
            (Some(l), None) => n.fecha > l,
            (None, _) => false,
        };
        if !tardia {
            return Err(AppError::Conflict(format!(
                "{}: la devolución no quedó aceptada tácitamente (la respuesta del prestador está en término o la \
                 devolución fue extemporánea); el aviso no procede",
                cod.codigo
            )));
        }
        Ok((
            "aviso_pagador",
            n.fecha,
            json!({"codigo": cod.codigo, "descripcion": cod.descripcion, "observacion": n.observacion.trim(),
                "regla": t.reglas.devolucion_aceptacion_tacita_fuente}),
        ))
    })
}

/// Who voids a devolución, its answer or the payer's decision: who records them, and admin.
fn anulan() -> Vec<Rol> {
    super::correcciones::quienes_anulan(REGISTRAN)
}

/// Voids a devolución recorded by mistake: the invoice is again radicated and in the payer's
/// hands under its radicación; the devolución stays in the trazabilidad with its reversal.
pub fn anular(
    db: &Db,
    t: &Terminos,
    hoy: NaiveDate,
    actor: &Actor,
    devolucion_id: &str,
    a: super::correcciones::Anulacion,
) -> Result<FacturaVista, AppError> {
    actor.exigir(&anulan(), "anular devoluciones")?;
    let motivo = a.motivo()?;
    let e = db.write(|c| {
        let (fila, mut e) = vigente(c, t, actor, devolucion_id)?;
        if db::radicaciones::borrar_devolucion(c, &actor.prestador_id, &fila.id, fila.version)? == 0 {
            return Err(AppError::Conflict(
                "otro usuario cambió esta devolución al mismo tiempo; vuelva a leerla antes de anularla".into(),
            ));
        }
        let que = super::correcciones::Que {
            entidad: "devolucion",
            entidad_id: &fila.id,
            factura_id: Some(&fila.factura_id),
        };
        super::correcciones::anulado(c, actor, que, &motivo, &fila, hoy)?;
        e.devoluciones.retain(|d| d.id != fila.id);
        e.dominio.devolucion = None;
        e.dominio.devoluciones -= 1;
        let saldos = ciclo::guardar(c, &e, &t.reglas, None)?;
        ciclo::evento(
            c,
            actor,
            &fila.factura_id,
            "devolucion_anulada",
            hoy,
            json!({"devolucion_id": fila.id, "codigo": fila.codigo, "fecha_devolucion": fila.fecha, "motivo": motivo}),
            saldos,
        )?;
        ciclo::cargar(c, t, &actor.prestador_id, &fila.factura_id)
    })?;
    super::facturas::vista_completa(e, t, hoy)
}

/// Voids the prestador's answer to a devolución, recorded by mistake, while the payer has not
/// decided on it: the devolución waits for its answer again under its original term.
pub fn anular_respuesta(
    db: &Db,
    t: &Terminos,
    hoy: NaiveDate,
    actor: &Actor,
    devolucion_id: &str,
    a: super::correcciones::Anulacion,
) -> Result<FacturaVista, AppError> {
    actor.exigir(&anulan(), "anular respuestas a devoluciones")?;
    let motivo = a.motivo()?;
    corregir(
        db,
        t,
        hoy,
        actor,
        devolucion_id,
        Some(("respuesta_devolucion", &motivo)),
        |_, fila| {
            let Some(codigo) = fila.respuesta_codigo.take() else {
                return Err(AppError::Conflict(
                    "la devolución no tiene respuesta registrada que anular".into(),
                ));
            };
            if fila.decision.is_some() {
                return Err(AppError::Conflict(
                    "el pagador ya decidió sobre esta respuesta; anule primero su decisión".into(),
                ));
            }
            let anterior = json!({"codigo": codigo, "fecha": fila.respuesta_fecha.take(),
            "justificacion": fila.respuesta_justificacion.take()});
            let d = devolucion_dominio(fila, t)?;
            Ok((
                "respuesta_devolucion_anulada",
                hoy,
                json!({"anulada": anterior, "motivo": motivo,
                "termino": d.fecha_limite_respuesta.map(|v| json!({"nombre": "respuesta_devolucion", "abre": true, "vence": v, "fuente": t.respuesta_devolucion.fuente}))}),
            ))
        },
    )
}

/// Voids the payer's decision on the prestador's answer, recorded by mistake: the answer waits
/// for the payer's decision again under its original term.
pub fn anular_decision(
    db: &Db,
    t: &Terminos,
    hoy: NaiveDate,
    actor: &Actor,
    devolucion_id: &str,
    a: super::correcciones::Anulacion,
) -> Result<FacturaVista, AppError> {
    actor.exigir(&anulan(), "anular decisiones del pagador sobre devoluciones")?;
    let motivo = a.motivo()?;
    corregir(
        db,
        t,
        hoy,
        actor,
        devolucion_id,
        Some(("decision_devolucion", &motivo)),
        |_, fila| {
            let Some(decision) = fila.decision.take() else {
                return Err(AppError::Conflict(
                    "la devolución no tiene decisión del pagador que anular".into(),
                ));
            };
            let anterior = json!({"decision": decision, "fecha": fila.decision_fecha.take()});
            let d = devolucion_dominio(fila, t)?;
            Ok((
                "decision_devolucion_anulada",
                hoy,
                json!({"anulada": anterior, "motivo": motivo,
                "termino": d.fecha_limite_reiteracion.map(|v| json!({"nombre": "reiteracion_devolucion", "abre": true, "vence": v, "fuente": t.reiteracion_devolucion.fuente}))}),
            ))
        },
    )
}
