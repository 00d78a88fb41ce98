//! Glosas: formulated by the payer, answered by the prestador, decided by the payer,
//! conciliated. Each step is one transaction with its event (Ley 1438/2011 art. 57).

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::ciclo::{self, glosa_a_fila, glosa_dominio, Expediente};
use super::{Actor, AppError};
use crate::db::{self, glosas::Glosa as Fila, AnyConnection, Db};
use crate::domain::catalogo::{Catalogo, CodigoUsado, RespondeA};
use crate::domain::ciclo::NuevaGlosa as NuevaGlosaDominio;
use crate::domain::glosa::{self, EstadoGlosa, ResultadoDecision};
use crate::domain::money::{from_centavos, to_centavos_no_negativo};
use crate::domain::rol::Rol;
use crate::domain::terminos::{Reglas, Terminos};

/// Who registers, answers and corrects glosas.
pub const CARTERA: &[Rol] = &[Rol::Cartera];

fn centavos(path: &str, v: Decimal) -> Result<i64, AppError> {
    to_centavos_no_negativo(v).map_err(|e| AppError::invalid(path, e.to_string()))
}

fn codigo(r: Result<CodigoUsado, String>) -> Result<CodigoUsado, AppError> {
    r.map_err(|m| AppError::invalid("codigo", m))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NuevaGlosa {
    /// An application code of the manual in force for the invoice (Res. 2284/2023: `FA0101`;
    /// Res. 3047/2008 codes such as `101` only for invoices issued before 2024-10-01).
    #[schema(example = "FA0101")]
    pub codigo: String,
    #[schema(value_type = crate::app::DecimalExacto, example = "150000.00")]
    #[serde(deserialize_with = "crate::app::exacto::requerido")]
    pub valor: Decimal,
    pub fecha_formulacion: chrono::NaiveDate,
    /// When the prestador received it: the answer's term runs from here.
    pub fecha_recepcion: chrono::NaiveDate,
    /// The invoice line it objects to; none for the whole invoice.
    pub item: Option<i32>,
    #[serde(default)]
    pub observacion: String,
    /// A glosa after the first formulation, for new facts found in the answer (Ley 1438/2011 art. 57).
    #[serde(default)]
    pub hecho_nuevo: bool,
    /// The id of a glosa of this invoice voided by mistake that this one replaces: the
    /// trazabilidad links them.
    #[serde(default)]
    pub reemplaza: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NuevaRespuesta {
    /// Response code answering a glosa: RE9602, RE9702, RE9801, RE9901, RE9502 (only for an
    /// extemporánea glosa); 996-999 for invoices issued before 2024-10-01.
    #[schema(example = "RE9801")]
    pub codigo: String,
    #[schema(value_type = crate::app::DecimalExacto, example = "50000.00")]
    #[serde(deserialize_with = "crate::app::exacto::requerido")]
    pub valor_aceptado: Decimal,
    #[schema(value_type = crate::app::DecimalExacto, example = "100000.00")]
    #[serde(deserialize_with = "crate::app::exacto::requerido")]
    pub valor_sustentado: Decimal,
    #[serde(default)]
    pub justificacion: String,
    pub fecha: chrono::NaiveDate,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NuevaDecision {
    pub resultado: ResultadoDecision,
    /// What the payer lifted (all of what was sustained for `levantada`, 0 for `ratificada`).
    #[schema(value_type = crate::app::DecimalExacto, example = "60000.00")]
    #[serde(deserialize_with = "crate::app::exacto::requerido")]
    pub valor_levantado: Decimal,
    pub fecha: chrono::NaiveDate,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NuevaConciliacion {
    /// Both values from the acta; send neither to record that the conciliation started.
    #[schema(value_type = Option<crate::app::DecimalExacto>)]
    #[serde(default, deserialize_with = "crate::app::exacto::opcional")]
    pub valor_a_favor_prestador: Option<Decimal>,
    #[schema(value_type = Option<crate::app::DecimalExacto>)]
    #[serde(default, deserialize_with = "crate::app::exacto::opcional")]
    pub valor_a_favor_pagador: Option<Decimal>,
    pub acta: Option<String>,
    pub fecha: chrono::NaiveDate,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GlosaVista {
    pub id: String,
    pub factura_id: String,
    pub item: Option<i32>,
    pub codigo: String,
    pub descripcion_codigo: Option<String>,
    #[schema(value_type = String)]
    pub valor: Decimal,
    pub fecha_formulacion: chrono::NaiveDate,
    pub fecha_recepcion: chrono::NaiveDate,
    /// Due date of the prestador's answer.
    pub fecha_limite_respuesta: chrono::NaiveDate,
    /// Formulated or communicated after the payer's term.
    pub extemporanea: bool,
    pub observacion: String,
    pub estado: EstadoGlosa,
    /// Not answered in time: accepted by silence (as of today; after a late answer the
    /// acceptance is recorded and the glosa is `aceptada`).
    pub aceptada_tacitamente: bool,
    /// Answered but not decided in time, where a deployment takes that as lifted.
    pub levantada_tacitamente: bool,
    /// The payer's decision is overdue (as of today): the glosa stays in discussion.
    pub decision_vencida: bool,
    /// An extemporánea glosa still unanswered: answer it RE9502.
    pub responder_re9502: bool,
    /// Last day to cure a ratified glosa (subsanación, Ley 1438/2011 art. 57).
    pub fecha_limite_subsanacion: Option<chrono::NaiveDate>,
    pub respuesta_codigo: Option<String>,
    #[schema(value_type = String)]
    pub valor_aceptado: Decimal,
    #[schema(value_type = String)]
    pub valor_sustentado: Decimal,
    pub fecha_respuesta: Option<chrono::NaiveDate>,
    pub respuesta_extemporanea: bool,
    pub fecha_limite_decision: Option<chrono::NaiveDate>,
    pub resultado_decision: Option<ResultadoDecision>,
    #[schema(value_type = String)]
    pub valor_levantado: Decimal,
    #[schema(value_type = String)]
    pub valor_ratificado: Decimal,
    #[schema(value_type = String)]
    pub valor_a_favor_prestador: Decimal,
    #[schema(value_type = String)]
    pub valor_a_favor_pagador: Decimal,
    /// Still disputed as of today.
    #[schema(value_type = String)]
    pub en_discusion: Decimal,
    pub version: i32,
}

pub fn vista(f: &Fila, hoy: chrono::NaiveDate, t: &Terminos) -> GlosaVista {
    let reglas = &t.reglas;
    let g = glosa_dominio(f);
    GlosaVista {
        id: f.id.clone(),
        factura_id: f.factura_id.clone(),
        item: f.item_linea,
        codigo: f.codigo.clone(),
        descripcion_codigo: Catalogo::oficial().buscar(&f.codigo).map(|c| c.descripcion.clone()),
        valor: from_centavos(f.valor),
        fecha_formulacion: f.fecha_formulacion,
        fecha_recepcion: f.fecha_recepcion,
        fecha_limite_respuesta: f.fecha_limite_respuesta,
        extemporanea: f.extemporanea,
        observacion: f.observacion.clone(),
        estado: g.estado,
        aceptada_tacitamente: g.aceptada_tacitamente(hoy, reglas),
        levantada_tacitamente: g.levantada_tacitamente(hoy, reglas),
        decision_vencida: g.decision_vencida(hoy),
        responder_re9502: g.pide_re9502(reglas),
        fecha_limite_subsanacion: g.fecha_limite_subsanacion(t),
        respuesta_codigo: f.respuesta_codigo.clone(),
        valor_aceptado: from_centavos(f.valor_aceptado),
        valor_sustentado: from_centavos(f.valor_sustentado),
        fecha_respuesta: f.fecha_respuesta,
        respuesta_extemporanea: f.respuesta_extemporanea,
        fecha_limite_decision: f.fecha_limite_decision,
        resultado_decision: g.resultado_decision,
        valor_levantado: from_centavos(f.valor_levantado),
        valor_ratificado: from_centavos(g.ratificado()),
        valor_a_favor_prestador: from_centavos(f.valor_conciliado_prestador),
        valor_a_favor_pagador: from_centavos(f.valor_conciliado_pagador),
        en_discusion: from_centavos(g.en_discusion(hoy, reglas)),
        version: f.version,
    }
}

/// How much silence moves a stored glosa's invoice as of `hoy`: (less saldo, less en_discusion).
pub fn ajuste_por_silencio(f: &Fila, hoy: chrono::NaiveDate, reglas: &Reglas) -> (i64, i64) {
    let g = glosa_dominio(f);
    let registrado = ciclo::registrado(reglas);
    (
        g.contra_prestador(hoy, reglas) - g.contra_prestador(hoy, &registrado),
        g.en_discusion(hoy, &registrado) - g.en_discusion(hoy, reglas),
    )
}

/// A glosa checked against a loaded invoice (which now includes it), with the row and the
/// event to write. Used for one glosa and for a sheet of thousands in one transaction.
pub fn preparar(
    e: &mut Expediente,
    t: &Terminos,
    actor: &Actor,
    cod: &CodigoUsado,
    n: &NuevaGlosa,
    valor: i64,
) -> Result<(Fila, db::eventos::Evento), AppError> {
    let nueva = NuevaGlosaDominio {
        item_linea: n.item,
        valor,
        fecha_formulacion: n.fecha_formulacion,
        fecha_recepcion: n.fecha_recepcion,
        hecho_nuevo: n.hecho_nuevo,
    };
    let g = e.dominio.glosar(&nueva, t)?;
    let mut fila = Fila {
        id: db::new_id(),
        prestador_id: actor.prestador_id.clone(),
        factura_id: e.fila.id.clone(),
        item_linea: g.item_linea,
        codigo: cod.codigo.clone(),
        valor,
        fecha_formulacion: g.fecha_formulacion,
        fecha_recepcion: g.fecha_recepcion,
        fecha_limite_respuesta: g.fecha_limite_respuesta,
        extemporanea: g.extemporanea,
        observacion: n.observacion.trim().to_string(),
        version: 1,
        creado_en: db::now(),
        ..Fila::default()
    };
    glosa_a_fila(&g, &mut fila);
    e.dominio.glosas.push(g.clone());
    e.glosas.push(fila.clone());
    let evento = ciclo::nuevo_evento(
        actor,
        &e.fila.id,
        "glosa_recibida",
        n.fecha_recepcion,
        json!({
            "glosa_id": fila.id, "codigo": fila.codigo,
            "valor": from_centavos(valor), "item": n.item, "fecha_formulacion": n.fecha_formulacion,
            "extemporanea": g.extemporanea, "hecho_nuevo": n.hecho_nuevo, "observacion": fila.observacion,
            "reemplaza": n.reemplaza,
            "responder": g.pide_re9502(&t.reglas).then_some("RE9502"),
            "termino": {"nombre": "respuesta", "abre": true, "vence": g.fecha_limite_respuesta, "fuente": t.respuesta.fuente},
            "cierra": e.fila.fecha_limite_glosa.map(|l| json!({"nombre": "glosa", "vencia": l, "cumplido": !g.extemporanea, "fuente": t.glosa.fuente})),
        }),
        ciclo::saldos(e, &t.reglas),
    );
    Ok((fila, evento))
}

/// Checks a glosa's code against the manual in force for an invoice issued on
/// `fecha_expedicion` (Res. 2284/2023 arts. 4 and 12), and its value.
pub fn entrada(n: &NuevaGlosa, fecha_expedicion: NaiveDate) -> Result<(CodigoUsado, i64), AppError> {
    Ok((
        codigo(Catalogo::oficial().validar_glosa(&n.codigo, fecha_expedicion))?,
        centavos("valor", n.valor)?,
    ))
}

/// Records a glosa the payer communicated.
pub fn glosar(
    db: &Db,
    t: &Terminos,
    hoy: NaiveDate,
    actor: &Actor,
    factura_id: &str,
    n: NuevaGlosa,
) -> Result<GlosaVista, AppError> {
    registrar(db, t, hoy, actor, factura_id, n, true)
}

/// What [`glosar`] would record — the answer's due date, whether it is extemporánea — with
/// every check it makes, writing nothing: shown to the user before saving.
pub fn revisar(
    db: &Db,
    t: &Terminos,
    hoy: NaiveDate,
    actor: &Actor,
    factura_id: &str,
    n: NuevaGlosa,
) -> Result<GlosaVista, AppError> {
    registrar(db, t, hoy, actor, factura_id, n, false)
}

fn registrar(
    db: &Db,
    t: &Terminos,
    hoy: NaiveDate,
    actor: &Actor,
    factura_id: &str,
    n: NuevaGlosa,
    guardar: bool,
) -> Result<GlosaVista, AppError> {
    actor.exigir(CARTERA, "registrar glosas")?;
    super::no_futura("fecha_recepcion", n.fecha_recepcion, hoy)?;
    let fila = super::ensayar(db, guardar, |c| {
        let mut e = ciclo::cargar(c, t, &actor.prestador_id, factura_id)?;
        let (cod, valor) = entrada(&n, e.dominio.fecha_expedicion)?;
        if let Some(r) = &n.reemplaza {
            reemplazable(c, actor, r, &e.fila.id)?;
        }
        let (fila, evento) = preparar(&mut e, t, actor, &cod, &n, valor)?;
        db::glosas::insertar(c, std::slice::from_ref(&fila))?;
        ciclo::guardar(c, &e, &t.reglas, None)?;
        db::eventos::insertar(c, &[evento])?;
        Ok(fila)
    })?;
    Ok(vista(&fila, hoy, t))
}

/// A glosa names the one it replaces only if that one was voided, and on the same invoice.
fn reemplazable(c: &mut AnyConnection, actor: &Actor, id: &str, factura_id: &str) -> Result<(), AppError> {
    match db::correcciones::anulacion_de(c, &actor.prestador_id, id)? {
        Some(x) if x.entidad == "glosa" && x.factura_id.as_deref() == Some(factura_id) => Ok(()),
        _ => Err(AppError::invalid(
            "reemplaza",
            format!("se espera el id de una glosa anulada de esta factura; llegó '{id}'"),
        )),
    }
}

/// Loads a glosa and its invoice, applies `cambio` to the glosa, saves both with an event.
fn cambiar(
    db: &Db,
    t: &Terminos,
    hoy: NaiveDate,
    actor: &Actor,
    glosa_id: &str,
    cambio: impl FnOnce(
        &crate::domain::ciclo::Factura,
        &mut glosa::Glosa,
        &mut Fila,
    ) -> Result<(String, chrono::NaiveDate, serde_json::Value), AppError>,
) -> Result<GlosaVista, AppError> {
    corregir(db, t, hoy, actor, glosa_id, None, cambio)
}

/// [`cambiar`], keeping the glosa as it was in `correcciones` when the change voids part of
/// it (`anula`: what is voided, and why).
fn corregir(
    db: &Db,
    t: &Terminos,
    hoy: NaiveDate,
    actor: &Actor,
    glosa_id: &str,
    anula: Option<(&str, &str)>,
    cambio: impl FnOnce(
        &crate::domain::ciclo::Factura,
        &mut glosa::Glosa,
        &mut Fila,
    ) -> Result<(String, chrono::NaiveDate, serde_json::Value), AppError>,
) -> Result<GlosaVista, AppError> {
    let fila = db.write(|c: &mut AnyConnection| corregir_en(c, t, hoy, actor, glosa_id, anula, cambio))?;
    Ok(vista(&fila, hoy, t))
}

/// [`corregir`] in the caller's transaction.
fn corregir_en(
    c: &mut AnyConnection,
    t: &Terminos,
    hoy: NaiveDate,
    actor: &Actor,
    glosa_id: &str,
    anula: Option<(&str, &str)>,
    cambio: impl FnOnce(
        &crate::domain::ciclo::Factura,
        &mut glosa::Glosa,
        &mut Fila,
    ) -> Result<(String, chrono::NaiveDate, serde_json::Value), AppError>,
) -> Result<Fila, AppError> {
    let Some(mut fila) = db::glosas::por_id(c, &actor.prestador_id, glosa_id)? else {
        return Err(super::correcciones::no_existe(c, actor, glosa_id, "la glosa"));
    };
    if let Some((entidad, motivo)) = anula {
        let que = super::correcciones::Que {
            entidad,
            entidad_id: &fila.id,
            factura_id: Some(&fila.factura_id),
        };
        super::correcciones::anulado(c, actor, que, motivo, &fila, hoy)?;
    }
    let mut e = ciclo::cargar(c, t, &actor.prestador_id, &fila.factura_id)?;
    let pos = e
        .glosas
        .iter()
        .position(|g| g.id == fila.id)
        .expect("the glosa belongs to its invoice");
    let mut g = glosa_dominio(&fila);
    let antes = g.contra_prestador(fila.fecha_recepcion, &ciclo::registrado(&t.reglas));
    let (tipo, fecha, datos) = cambio(&e.dominio, &mut g, &mut fila)?;
    glosa_a_fila(&g, &mut fila);
    let version = fila.version;
    if db::glosas::guardar(c, &fila, version)? == 0 {
        return Err(AppError::Conflict(
            "otro usuario cambió esta glosa al mismo tiempo; vuelva a leerla antes de repetir la acción".into(),
        ));
    }
    fila.version = version + 1;
    // What the change made final against the prestador goes to the ledger.
    let despues = g.contra_prestador(fecha, &ciclo::registrado(&t.reglas));
    if despues != antes {
        let tipo_mov = if g.estado == EstadoGlosa::Conciliada {
            db::movimientos::GLOSA_CONCILIADA
        } else {
            db::movimientos::GLOSA_ACEPTADA
        };
        let m =
            db::movimientos::Movimiento::new(&actor.prestador_id, &fila.factura_id, tipo_mov, antes - despues, fecha)
                .de(db::movimientos::origen::GLOSA, &fila.id, &fila.codigo);
        db::movimientos::insertar(c, &[m])?;
    }
    e.dominio.glosas[pos] = g;
    let saldos = ciclo::guardar(c, &e, &t.reglas, None)?;
    let mut datos = datos;
    datos["glosa_id"] = json!(fila.id);
    datos["estado_glosa"] = json!(fila.estado);
    ciclo::evento(c, actor, &fila.factura_id, &tipo, fecha, datos, saldos)?;
    Ok(fila)
}

pub fn responder(
    db: &Db,
    t: &Terminos,
    hoy: NaiveDate,
    actor: &Actor,
    glosa_id: &str,
    n: NuevaRespuesta,
) -> Result<GlosaVista, AppError> {
    actor.exigir(CARTERA, "responder glosas")?;
    super::no_futura("fecha", n.fecha, hoy)?;
    let valor_aceptado = centavos("valor_aceptado", n.valor_aceptado)?;
    let valor_sustentado = centavos("valor_sustentado", n.valor_sustentado)?;
    cambiar(db, t, hoy, actor, glosa_id, |f, g, fila| {
        // Res. 2284/2023 Anexo Técnico 3: the code must answer a glosa, and RE9502 only an
        // extemporánea one.
        let cod = codigo(Catalogo::oficial().validar_respuesta(
            &n.codigo,
            RespondeA::Glosa,
            g.extemporanea,
            f.fecha_expedicion,
        ))?;
        let r = glosa::Respuesta {
            codigo: cod.codigo.clone(),
            efecto: cod
                .efecto_respuesta
                .ok_or_else(|| AppError::invalid("codigo", "el código de respuesta no tiene efecto"))?,
            valor_aceptado,
            valor_sustentado,
            fecha: n.fecha,
        };
        let limite = g.fecha_limite_respuesta;
        let tacita = g.responder(&r, t)?;
        fila.respuesta_codigo = Some(r.codigo.clone());
        fila.justificacion = Some(n.justificacion.trim().to_string());
        Ok((
            "glosa_respondida".into(),
            n.fecha,
            json!({
                "codigo": r.codigo, "valor_aceptado": from_centavos(r.valor_aceptado),
                "valor_sustentado": from_centavos(r.valor_sustentado), "justificacion": n.justificacion.trim(),
                "extemporanea": g.respuesta_extemporanea,
                "cierra": {"nombre": "respuesta", "vencia": limite, "cumplido": !g.respuesta_extemporanea, "fuente": t.respuesta.fuente},
                "termino": g.fecha_limite_decision.map(|v| json!({"nombre": "decision", "abre": true, "vence": v, "fuente": t.decision.fuente})),
                // The answer came after the term: silence had accepted the glosa and the
                // acceptance stands (RE2202); what the answer said is kept here.
                "aceptacion_tacita": tacita.then(|| json!({"desde": limite + chrono::Duration::days(1),
                    "valor": from_centavos(g.valor), "regla": t.reglas.aceptacion_tacita_tras_respuesta_tardia_fuente})),
            }),
        ))
    })
}

/// The payer's notice RE2202: the answer came late, so silence accepted the glosa. Recorded
/// in the trazabilidad; refused when the glosa was answered in time.
pub fn avisar(
    db: &Db,
    t: &Terminos,
    hoy: NaiveDate,
    actor: &Actor,
    glosa_id: &str,
    n: super::devoluciones::NuevoAviso,
) -> Result<GlosaVista, AppError> {
    actor.exigir(CARTERA, "registrar avisos del pagador")?;
    super::no_futura("fecha", n.fecha, hoy)?;
    let cod = codigo(Catalogo::oficial().validar_aviso(&n.codigo, RespondeA::Glosa))?;
    cambiar(db, t, hoy, actor, glosa_id, |_, g, _| {
        let tacita = g.aceptada_tacitamente(n.fecha, &t.reglas)
            || (g.estado == EstadoGlosa::Aceptada && g.respuesta_extemporanea && g.valor_aceptado == g.valor);
        if !tacita {
            return Err(AppError::Conflict(format!(
                "{}: la glosa no quedó aceptada tácitamente (se respondió en término, o es extemporánea); el aviso no procede",
                cod.codigo
            )));
        }
        Ok((
            "aviso_pagador".into(),
            n.fecha,
            json!({"codigo": cod.codigo, "descripcion": cod.descripcion, "observacion": n.observacion.trim(),
                "regla": t.reglas.aceptacion_tacita_fuente}),
        ))
    })
}

pub fn decidir(
    db: &Db,
    t: &Terminos,
    hoy: NaiveDate,
    actor: &Actor,
    glosa_id: &str,
    n: NuevaDecision,
) -> Result<GlosaVista, AppError> {
    actor.exigir(CARTERA, "registrar la decisión del pagador")?;
    super::no_futura("fecha", n.fecha, hoy)?;
    let d = glosa::Decision {
        resultado: n.resultado,
        valor_levantado: centavos("valor_levantado", n.valor_levantado)?,
        fecha: n.fecha,
    };
    cambiar(db, t, hoy, actor, glosa_id, |_, g, _| {
        let limite = g.fecha_limite_decision;
        g.decidir(&d)?;
        let cumplido = limite.is_none_or(|l| n.fecha <= l);
        Ok((
            "glosa_decidida".into(),
            n.fecha,
            json!({
                "resultado": d.resultado, "valor_levantado": from_centavos(d.valor_levantado),
                "valor_ratificado": from_centavos(g.ratificado()),
                "cierra": limite.map(|l| json!({"nombre": "decision", "vencia": l, "cumplido": cumplido, "fuente": t.decision.fuente})),
                "termino": (d.valor_levantado > 0).then(|| json!({"nombre": "pago_levantado", "abre": true,
                    "vence": t.pago_levantado.vence(n.fecha), "fuente": t.pago_levantado.fuente})),
                "terminos": g.fecha_limite_subsanacion(t).map(|v| vec![json!({"nombre": "subsanacion", "abre": true, "vence": v, "fuente": t.subsanacion.fuente})]),
            }),
        ))
    })
}

pub fn conciliar(
    db: &Db,
    t: &Terminos,
    hoy: NaiveDate,
    actor: &Actor,
    glosa_id: &str,
    n: NuevaConciliacion,
) -> Result<GlosaVista, AppError> {
    actor.exigir(CARTERA, "registrar conciliaciones")?;
    super::no_futura("fecha", n.fecha, hoy)?;
    let p = n
        .valor_a_favor_prestador
        .map(|v| centavos("valor_a_favor_prestador", v))
        .transpose()?;
    let q = n
        .valor_a_favor_pagador
        .map(|v| centavos("valor_a_favor_pagador", v))
        .transpose()?;
    let conc = glosa::Conciliacion {
        a_favor_prestador: p,
        a_favor_pagador: q,
        fecha: n.fecha,
    };
    let fila = db.write(|c| conciliar_en(c, t, hoy, actor, glosa_id, &conc, n.acta.clone()))?;
    Ok(vista(&fila, hoy, t))
}

/// A glosa's conciliation in the caller's transaction, with its event (an acta de conciliación
/// de cartera settles the glosas of its invoices this way), without the check of role.
pub fn conciliar_en(
    c: &mut AnyConnection,
    t: &Terminos,
    hoy: NaiveDate,
    actor: &Actor,
    glosa_id: &str,
    conc: &glosa::Conciliacion,
    acta: Option<String>,
) -> Result<Fila, AppError> {
    corregir_en(c, t, hoy, actor, glosa_id, None, |_, g, fila| {
        let subsanacion = g.fecha_limite_subsanacion(t);
        g.conciliar(conc)?;
        let fecha = conc.fecha;
        fila.acta_conciliacion = acta.clone().or(fila.acta_conciliacion.take());
        let (tipo, datos) = if g.estado == EstadoGlosa::EnConciliacion {
            (
                "conciliacion_iniciada",
                json!({"acta": acta, "valor_ratificado": from_centavos(g.ratificado()),
                    "cierra": subsanacion.map(|l| json!({"nombre": "subsanacion", "vencia": l, "cumplido": fecha <= l, "fuente": t.subsanacion.fuente})),
                    "termino": {"nombre": "conciliacion", "abre": true, "vence": t.conciliacion.vence(fecha), "fuente": t.conciliacion.fuente}}),
            )
        } else {
            (
                "glosa_conciliada",
                json!({"acta": acta, "valor_a_favor_prestador": from_centavos(g.valor_conciliado_prestador),
                    "valor_a_favor_pagador": from_centavos(g.valor_conciliado_pagador)}),
            )
        };
        Ok((tipo.into(), fecha, datos))
    })
}

pub fn obtener(db: &Db, t: &Terminos, hoy: NaiveDate, actor: &Actor, id: &str) -> Result<GlosaVista, AppError> {
    let f = db.read(|c| match db::glosas::por_id(c, &actor.prestador_id, id)? {
        Some(f) => Ok(f),
        None => Err(super::correcciones::no_existe(c, actor, id, "la glosa")),
    })?;
    Ok(vista(&f, hoy, t))
}

pub fn de_factura(
    db: &Db,
    t: &Terminos,
    hoy: NaiveDate,
    actor: &Actor,
    factura_id: &str,
) -> Result<Vec<GlosaVista>, AppError> {
    let e = db.read(|c| ciclo::cargar(c, t, &actor.prestador_id, factura_id))?;
    Ok(e.glosas.iter().map(|g| vista(g, hoy, t)).collect())
}

/// At most this many rows in a workbook (Excel opens a million; a year of glosas of a large
/// hospital is a few tens of thousands).
const FILAS_XLSX: i64 = 200_000;

/// The concepts of the manual (the code's first two letters), Res. 2284/2023 Anexo Técnico 3.
const CONCEPTOS: [&str; 7] = ["FA", "TA", "SO", "AU", "CO", "CL", "SA"];

/// What a list of glosas across invoices asks for:
/// `?estado=&pagador_id=&factura_id=&codigo=&concepto=&vence_desde=&vence_hasta=&extemporanea=&page=&per_page=&formato=`.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct ConsultaGlosas {
    /// The state as recorded (`formulada` includes those already accepted by silence: see
    /// `aceptada_tacitamente` on each).
    pub estado: Option<EstadoGlosa>,
    pub pagador_id: Option<String>,
    pub factura_id: Option<String>,
    /// A whole code, e.g. `FA0101`.
    pub codigo: Option<String>,
    /// FA, TA, SO, AU, CO, CL or SA.
    pub concepto: Option<String>,
    /// Answer due on or after this day.
    pub vence_desde: Option<NaiveDate>,
    /// Answer due on or before this day.
    pub vence_hasta: Option<NaiveDate>,
    pub extemporanea: Option<bool>,
    /// Glosas of the payers assigned to this cartera analyst (`PATCH /pagadores/{id}/cobro`).
    pub responsable_id: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
    /// `xlsx` for a workbook of every glosa that matches (not only one page).
    pub formato: Option<String>,
}

/// A glosa in a list: the glosa, its invoice's number and its payer's name.
#[derive(Debug, Serialize, ToSchema)]
pub struct GlosaEnLista {
    #[serde(flatten)]
    pub glosa: GlosaVista,
    pub numero_factura: String,
    pub pagador_id: String,
    pub pagador: String,
}

/// Glosas across invoices, the most urgent answer first, filtered and paged in SQL; `todas`
/// gives every match (for a workbook).
pub fn listar(
    db: &Db,
    t: &Terminos,
    hoy: NaiveDate,
    actor: &Actor,
    q: &ConsultaGlosas,
    todas: bool,
) -> Result<super::Lista<GlosaEnLista>, AppError> {
    let pagina = super::Pagina::new(q.page, q.per_page)?;
    let concepto = q.concepto.as_deref().map(|c| c.trim().to_uppercase());
    if let Some(c) = concepto.as_deref().filter(|c| !CONCEPTOS.contains(c)) {
        return Err(AppError::invalid(
            "concepto",
            format!(
                "'{c}' no es un concepto de glosa; se espera uno de: {}",
                CONCEPTOS.join(", ")
            ),
        ));
    }
    let f = db::glosas::Filtro {
        estado: q.estado,
        pagador_id: q.pagador_id.clone(),
        factura_id: q.factura_id.clone(),
        codigo: q.codigo.as_deref().map(|c| c.trim().to_uppercase()),
        concepto,
        vence_desde: q.vence_desde,
        vence_hasta: q.vence_hasta,
        extemporanea: q.extemporanea,
        responsable_id: q.responsable_id.clone(),
    };
    let pid = &actor.prestador_id;
    let (filas, total, facturas, nombres) = db.read(|c| {
        let (offset, limit) = pagina.rango(todas, FILAS_XLSX);
        let (filas, total) = db::glosas::listar(c, pid, &f, offset, limit)?;
        let ids: Vec<&str> = filas.iter().map(|g| g.factura_id.as_str()).collect();
        let facturas = db::facturas::numeros_y_pagadores(c, pid, &ids)?;
        Ok::<_, AppError>((filas, total, facturas, db::pagadores::nombres(c, pid)?))
    })?;
    let items = filas
        .iter()
        .map(|g| {
            let (numero, pagador_id) = facturas.get(&g.factura_id).cloned().unwrap_or_default();
            GlosaEnLista {
                glosa: vista(g, hoy, t),
                numero_factura: numero,
                pagador: nombres.get(&pagador_id).cloned().unwrap_or_default(),
                pagador_id,
            }
        })
        .collect();
    Ok(super::Lista { items, total })
}

/// The list as a workbook: one row per glosa, in the list's order.
pub fn xlsx(hoy: NaiveDate, l: &super::Lista<GlosaEnLista>) -> Result<Vec<u8>, AppError> {
    use super::hoja::{self, Celda, Hoja};
    let si_no = |b: bool| Celda::from(if b { "sí" } else { "no" });
    let filas = l
        .items
        .iter()
        .map(|x| {
            let g = &x.glosa;
            vec![
                x.numero_factura.as_str().into(),
                x.pagador.as_str().into(),
                g.codigo.as_str().into(),
                g.descripcion_codigo.clone().unwrap_or_default().into(),
                Celda::Dinero(g.valor),
                Celda::Fecha(g.fecha_recepcion),
                Celda::Fecha(g.fecha_limite_respuesta),
                si_no(g.extemporanea),
                g.estado.as_str().into(),
                si_no(g.aceptada_tacitamente),
                g.respuesta_codigo.clone().unwrap_or_default().into(),
                Celda::Dinero(g.en_discusion),
            ]
        })
        .collect();
    hoja::libro(&[Hoja {
        nombre: "Glosas".into(),
        encabezado: vec![("Al".into(), hoy.to_string()), ("Glosas".into(), l.total.to_string())],
        columnas: vec![
            ("Factura", 16.0),
            ("Pagador", 30.0),
            ("Código", 10.0),
            ("Descripción", 60.0),
            ("Valor", 16.0),
            ("Recibida", 12.0),
            ("Vence respuesta", 14.0),
            ("Extemporánea", 12.0),
            ("Estado", 14.0),
            ("Aceptada por silencio", 14.0),
            ("Respuesta", 10.0),
            ("En discusión", 16.0),
        ],
        filas,
    }])
}

/// Who voids a glosa, its answer or the payer's decision: who records them, and admin.
fn anulan() -> Vec<Rol> {
    super::correcciones::quienes_anulan(CARTERA)
}

/// Voids a glosa registered by mistake (wrong code, value or invoice). It leaves the invoice's
/// live glosas — balance, deadlines and alerts no longer count it — and stays in the
/// trazabilidad with its reversal; what was final against the prestador goes back to the
/// ledger. The right glosa is then registered as usual, naming the voided one in `reemplaza`.
pub fn anular(
    db: &Db,
    t: &Terminos,
    hoy: NaiveDate,
    actor: &Actor,
    glosa_id: &str,
    a: super::correcciones::Anulacion,
) -> Result<crate::app::facturas::FacturaVista, AppError> {
    actor.exigir(&anulan(), "anular glosas")?;
    let motivo = a.motivo()?;
    let e = db.write(|c| {
        let Some(fila) = db::glosas::por_id(c, &actor.prestador_id, glosa_id)? else {
            return Err(super::correcciones::no_existe(c, actor, glosa_id, "la glosa"));
        };
        let mut e = ciclo::cargar(c, t, &actor.prestador_id, &fila.factura_id)?;
        let pos = e
            .glosas
            .iter()
            .position(|g| g.id == fila.id)
            .expect("the glosa belongs to its invoice");
        let g = e.dominio.glosas.remove(pos);
        e.glosas.remove(pos);
        if db::glosas::borrar(c, &actor.prestador_id, &fila.id, fila.version)? == 0 {
            return Err(AppError::Conflict(
                "otro usuario cambió esta glosa al mismo tiempo; vuelva a leerla antes de anularla".into(),
            ));
        }
        let que = super::correcciones::Que {
            entidad: "glosa",
            entidad_id: &fila.id,
            factura_id: Some(&fila.factura_id),
        };
        super::correcciones::anulado(c, actor, que, &motivo, &fila, hoy)?;
        // What the glosa had made final against the prestador is owed again.
        let final_ = g.contra_prestador(hoy, &ciclo::registrado(&t.reglas));
        if final_ != 0 {
            let tipo = if g.estado == EstadoGlosa::Conciliada {
                db::movimientos::GLOSA_CONCILIADA
            } else {
                db::movimientos::GLOSA_ACEPTADA
            };
            let m = db::movimientos::Movimiento::new(&actor.prestador_id, &fila.factura_id, tipo, final_, hoy).de(
                db::movimientos::origen::GLOSA_ANULADA,
                &fila.id,
                &fila.codigo,
            );
            db::movimientos::insertar(c, &[m])?;
        }
        let saldos = ciclo::guardar(c, &e, &t.reglas, None)?;
        ciclo::evento(
            c,
            actor,
            &fila.factura_id,
            "glosa_anulada",
            hoy,
            json!({"glosa_id": fila.id, "codigo": fila.codigo, "valor": from_centavos(fila.valor),
                "estado_glosa": fila.estado, "fecha_recepcion": fila.fecha_recepcion, "motivo": motivo}),
            saldos,
        )?;
        ciclo::cargar(c, t, &actor.prestador_id, &fila.factura_id)
    })?;
    super::facturas::vista_completa(e, t, hoy)
}

/// Voids the prestador's answer recorded by mistake: the glosa is waiting for its answer
/// again, under its original term; the answer stays in the trazabilidad with its reversal.
pub fn anular_respuesta(
    db: &Db,
    t: &Terminos,
    hoy: NaiveDate,
    actor: &Actor,
    glosa_id: &str,
    a: super::correcciones::Anulacion,
) -> Result<GlosaVista, AppError> {
    actor.exigir(&anulan(), "anular respuestas a glosas")?;
    let motivo = a.motivo()?;
    corregir(
        db,
        t,
        hoy,
        actor,
        glosa_id,
        Some(("respuesta_glosa", &motivo)),
        |_, g, fila| {
            let anterior = json!({"codigo": fila.respuesta_codigo, "fecha": g.fecha_respuesta,
            "valor_aceptado": from_centavos(g.valor_aceptado), "valor_sustentado": from_centavos(g.valor_sustentado)});
            g.anular_respuesta()?;
            fila.respuesta_codigo = None;
            fila.justificacion = None;
            Ok((
                "respuesta_glosa_anulada".into(),
                hoy,
                json!({"anulada": anterior, "motivo": motivo,
                "termino": {"nombre": "respuesta", "abre": true, "vence": g.fecha_limite_respuesta, "fuente": t.respuesta.fuente}}),
            ))
        },
    )
}

/// Voids the payer's decision recorded by mistake: the glosa is answered and waiting for the
/// decision again, under its original term.
pub fn anular_decision(
    db: &Db,
    t: &Terminos,
    hoy: NaiveDate,
    actor: &Actor,
    glosa_id: &str,
    a: super::correcciones::Anulacion,
) -> Result<GlosaVista, AppError> {
    actor.exigir(&anulan(), "anular decisiones del pagador sobre glosas")?;
    let motivo = a.motivo()?;
    corregir(
        db,
        t,
        hoy,
        actor,
        glosa_id,
        Some(("decision_glosa", &motivo)),
        |_, g, _| {
            let anterior = json!({"resultado": g.resultado_decision, "fecha": g.fecha_decision,
            "valor_levantado": from_centavos(g.valor_levantado)});
            g.anular_decision()?;
            Ok((
                "decision_glosa_anulada".into(),
                hoy,
                json!({"anulada": anterior, "motivo": motivo,
                "termino": g.fecha_limite_decision.map(|v| json!({"nombre": "decision", "abre": true, "vence": v, "fuente": t.decision.fuente}))}),
            ))
        },
    )
}
