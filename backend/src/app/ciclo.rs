//! Loading an invoice with everything the rules need (one query per table, for one invoice
//! or a page of them), and saving what the rules decided with its event, in the caller's
//! transaction.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde_json::Value;

use super::{Actor, AppError};
use crate::db::{self, facturas::Factura as Fila, glosas::Glosa as GlosaFila, AnyConnection};
use crate::domain::catalogo::{Catalogo, EfectoRespuesta};
use crate::domain::ciclo::Factura;
use crate::domain::contrato::Modalidad;
use crate::domain::devolucion::{Devolucion, RespuestaDevolucion};
use crate::domain::factura::{a_cargo_pagador, EstadoFactura};
use crate::domain::glosa::Glosa;
use crate::domain::terminos::{Reglas, Terminos};
use crate::domain::Rechazo;

impl From<Rechazo> for AppError {
    fn from(r: Rechazo) -> AppError {
        match r {
            Rechazo::Estado(m) => AppError::Conflict(m),
            Rechazo::Valores(v) => AppError::Invalid(v),
        }
    }
}

/// An invoice as stored, with its lines, glosas and history, and the rules' view of it.
#[derive(Debug, Clone)]
pub struct Expediente {
    pub fila: Fila,
    pub items: Vec<db::facturas::Item>,
    pub glosas: Vec<GlosaFila>,
    pub radicaciones: Vec<db::radicaciones::Radicacion>,
    pub devoluciones: Vec<db::radicaciones::Devolucion>,
    /// Under a cápita contract, paid a month in advance: the 50% within 5 days of Ley
    /// 1122/2007 art. 13 lit. d is for the other modalities.
    pub capita: bool,
    pub dominio: Factura,
}

pub fn glosa_dominio(g: &GlosaFila) -> Glosa {
    Glosa {
        item_linea: g.item_linea,
        valor: g.valor,
        fecha_formulacion: g.fecha_formulacion,
        fecha_recepcion: g.fecha_recepcion,
        fecha_limite_respuesta: g.fecha_limite_respuesta,
        extemporanea: g.extemporanea,
        estado: g.estado,
        valor_aceptado: g.valor_aceptado,
        valor_sustentado: g.valor_sustentado,
        fecha_respuesta: g.fecha_respuesta,
        respuesta_extemporanea: g.respuesta_extemporanea,
        fecha_limite_decision: g.fecha_limite_decision,
        resultado_decision: g.resultado_decision,
        valor_levantado: g.valor_levantado,
        fecha_decision: g.fecha_decision,
        valor_conciliado_prestador: g.valor_conciliado_prestador,
        valor_conciliado_pagador: g.valor_conciliado_pagador,
        fecha_conciliacion: g.fecha_conciliacion,
    }
}

/// A stored devolución as the rules see it, its terms derived by the terms in force. The
/// answer's meaning comes from its code: RE9701 (and 997) accept it, the others sustain.
pub fn devolucion_dominio(d: &db::radicaciones::Devolucion, t: &Terminos) -> Result<Devolucion, AppError> {
    let respuesta = match (&d.respuesta_codigo, d.respuesta_fecha) {
        (Some(codigo), Some(fecha)) => {
            let acepta = Catalogo::oficial()
                .buscar(codigo)
                .is_some_and(|c| c.efecto_respuesta == Some(EfectoRespuesta::AceptaTotal));
            Some(RespuestaDevolucion {
                codigo: codigo.clone(),
                efecto: if acepta {
                    EfectoRespuesta::AceptaTotal
                } else {
                    EfectoRespuesta::NoAcepta
                },
                fecha,
            })
        }
        _ => None,
    };
    let decision = match (d.decision, d.decision_fecha) {
        (Some(x), Some(f)) => Some((x, f)),
        _ => None,
    };
    Ok(Devolucion::con_terminos(
        d.fecha,
        d.extemporanea,
        respuesta,
        decision,
        t,
    ))
}

/// Copies what the rules changed back into the row.
pub fn glosa_a_fila(g: &Glosa, fila: &mut GlosaFila) {
    fila.estado = g.estado;
    fila.valor_aceptado = g.valor_aceptado;
    fila.valor_sustentado = g.valor_sustentado;
    fila.fecha_respuesta = g.fecha_respuesta;
    fila.respuesta_extemporanea = g.respuesta_extemporanea;
    fila.fecha_limite_decision = g.fecha_limite_decision;
    fila.resultado_decision = g.resultado_decision;
    fila.valor_levantado = g.valor_levantado;
    fila.fecha_decision = g.fecha_decision;
    fila.valor_conciliado_prestador = g.valor_conciliado_prestador;
    fila.valor_conciliado_pagador = g.valor_conciliado_pagador;
    fila.fecha_conciliacion = g.fecha_conciliacion;
}

/// Loads these invoices of the tenant (missing ids are simply absent), a few thousand per
/// round of queries so no statement exceeds the backends' limits on parameters.
pub fn cargar_varias(
    c: &mut AnyConnection,
    t: &Terminos,
    prestador_id: &str,
    ids: &[String],
) -> Result<Vec<Expediente>, AppError> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(4000) {
        out.extend(cargar_lote(c, t, prestador_id, chunk)?);
    }
    Ok(out)
}

fn cargar_lote(
    c: &mut AnyConnection,
    t: &Terminos,
    prestador_id: &str,
    ids: &[String],
) -> Result<Vec<Expediente>, AppError> {
    let filas = db::facturas::por_ids(c, prestador_id, ids)?;
    let ids: Vec<String> = filas.iter().map(|f| f.id.clone()).collect();
    let mut items = agrupar(db::facturas::items_de(c, prestador_id, &ids)?, |i| i.factura_id.clone());
    let mut glosas = agrupar(db::glosas::de_facturas(c, prestador_id, &ids)?, |g| {
        g.factura_id.clone()
    });
    let mut rads = agrupar(db::radicaciones::de_facturas(c, prestador_id, &ids)?, |r| {
        r.factura_id.clone()
    });
    let mut devs = agrupar(
        db::radicaciones::devoluciones_de_facturas(c, prestador_id, &ids)?,
        |d| d.factura_id.clone(),
    );
    let contratos: Vec<String> = filas.iter().filter_map(|f| f.contrato_id.clone()).collect();
    let capita: std::collections::HashSet<String> = db::contratos::modalidades(c, prestador_id, &contratos)?
        .into_iter()
        .filter(|(_, m)| m == Modalidad::Capita.as_str())
        .map(|(id, _)| id)
        .collect();
    let mut sumas: HashMap<String, HashMap<String, i64>> = HashMap::new();
    for (f, tipo, s) in db::movimientos::sumas(c, prestador_id, &ids)? {
        sumas.entry(f).or_default().insert(tipo, s);
    }
    filas
        .into_iter()
        .map(|fila| {
            let items = items.remove(&fila.id).unwrap_or_default();
            let glosas = glosas.remove(&fila.id).unwrap_or_default();
            let radicaciones = rads.remove(&fila.id).unwrap_or_default();
            let devoluciones = devs.remove(&fila.id).unwrap_or_default();
            let s = sumas.remove(&fila.id).unwrap_or_default();
            let reduccion = |tipo: &str| -s.get(tipo).copied().unwrap_or(0);
            let ultima = radicaciones.last();
            let devolucion = ultima
                .and_then(|r| devoluciones.iter().find(|d| d.radicacion_id == r.id))
                .map(|d| devolucion_dominio(d, t))
                .transpose()?;
            let dominio = Factura {
                numero: fila.numero.clone(),
                a_cargo: a_cargo_pagador(fila.valor_total, fila.copagos, fila.cuotas_moderadoras),
                fecha_expedicion: fila.fecha_expedicion,
                items: items.iter().map(|i| (i.linea, i.valor_total)).collect(),
                fecha_radicacion: ultima.map(|r| r.fecha),
                radicaciones: radicaciones.len() as u32,
                devolucion,
                devoluciones: devoluciones.len() as u32,
                glosas: glosas.iter().map(glosa_dominio).collect(),
                pagado: reduccion(db::movimientos::PAGO),
                notas: reduccion(db::movimientos::NOTA_CREDITO),
                debitos: s.get(db::movimientos::NOTA_DEBITO).copied().unwrap_or(0),
                anticipos: reduccion(db::movimientos::ANTICIPO),
                castigado: reduccion(db::movimientos::CASTIGO),
                anulada: fila.estado == EstadoFactura::Anulada,
            };
            Ok(Expediente {
                capita: fila.contrato_id.as_ref().is_some_and(|c| capita.contains(c)),
                fila,
                items,
                glosas,
                radicaciones,
                devoluciones,
                dominio,
            })
        })
        .collect()
}

fn agrupar<T>(v: Vec<T>, key: impl Fn(&T) -> String) -> HashMap<String, Vec<T>> {
    let mut m: HashMap<String, Vec<T>> = HashMap::new();
    for x in v {
        m.entry(key(&x)).or_default().push(x);
    }
    m
}

/// One invoice of the tenant, or 404.
pub fn cargar(c: &mut AnyConnection, t: &Terminos, prestador_id: &str, id: &str) -> Result<Expediente, AppError> {
    cargar_varias(c, t, prestador_id, &[id.to_string()])?
        .pop()
        .ok_or_else(|| AppError::not_found("una factura"))
}

/// The rules without the effects of silence, which depend on the day one looks: what is
/// stored is what was recorded; acceptance or lifting by silence is applied when reading.
pub fn registrado(reglas: &Reglas) -> Reglas {
    Reglas {
        aceptacion_tacita: false,
        levantamiento_tacito: false,
        devolucion_aceptacion_tacita: false,
        devolucion_injustificada_por_silencio: false,
        ..reglas.clone()
    }
}

/// (saldo, en_discusion) as recorded: without silence, which depends on the day one looks.
pub fn saldos(e: &Expediente, reglas: &Reglas) -> (i64, i64) {
    let r = registrado(reglas);
    // Without silence the recorded state does not depend on the day: any date will do.
    let hoy = e.dominio.fecha_expedicion;
    (e.dominio.saldo(hoy, &r), e.dominio.en_discusion(hoy, &r))
}

/// The state as recorded (without silence, like [`saldos`]).
fn estado_registrado(e: &Expediente, reglas: &Reglas) -> String {
    e.dominio
        .estado(e.dominio.fecha_expedicion, &registrado(reglas))
        .as_str()
        .to_string()
}

/// [`guardar`] for many invoices whose radicación did not change (a glosa sheet), in a few
/// statements; 409 if someone changed any of them since they were loaded.
pub fn guardar_saldos(c: &mut AnyConnection, es: &[&Expediente], reglas: &Reglas) -> Result<(), AppError> {
    let Some(primera) = es.first() else {
        return Ok(());
    };
    let filas: Vec<db::facturas::Saldo> = es
        .iter()
        .map(|e| {
            let (saldo, en_discusion) = saldos(e, reglas);
            db::facturas::Saldo {
                id: &e.fila.id,
                version: e.fila.version,
                estado: estado_registrado(e, reglas),
                saldo,
                en_discusion,
            }
        })
        .collect();
    if db::facturas::guardar_saldos(c, &primera.fila.prestador_id, &filas)? < filas.len() {
        return Err(AppError::Conflict(
            "otro usuario modificó alguna de estas facturas al mismo tiempo; repita la importación".into(),
        ));
    }
    Ok(())
}

/// Saves the invoice's derived state after a change, refusing with 409 if someone changed
/// it since it was loaded. Returns (saldo, en_discusion) as recorded.
pub fn guardar(
    c: &mut AnyConnection,
    e: &Expediente,
    reglas: &Reglas,
    radicado: Option<(&str, NaiveDate, NaiveDate, NaiveDate)>,
) -> Result<(i64, i64), AppError> {
    let f = &e.fila;
    escribir(
        c,
        e,
        reglas,
        (
            radicado.map(|r| r.0.to_string()).or_else(|| f.numero_radicado.clone()),
            radicado.map(|r| r.1).or(f.fecha_radicacion),
            radicado.map(|r| r.2).or(f.fecha_limite_glosa),
            radicado.map(|r| r.3).or(f.fecha_limite_pago),
        ),
    )
}

/// [`guardar`] with the radicación in force given whole: (radicado, date, last day to glosar,
/// last day to pay), or none when a voided radicación leaves the invoice unradicated.
pub fn guardar_radicado(
    c: &mut AnyConnection,
    e: &Expediente,
    reglas: &Reglas,
    radicado: Option<(&str, NaiveDate, NaiveDate, NaiveDate)>,
) -> Result<(i64, i64), AppError> {
    escribir(
        c,
        e,
        reglas,
        (
            radicado.map(|r| r.0.to_string()),
            radicado.map(|r| r.1),
            radicado.map(|r| r.2),
            radicado.map(|r| r.3),
        ),
    )
}

type Radicado = (Option<String>, Option<NaiveDate>, Option<NaiveDate>, Option<NaiveDate>);

fn escribir(c: &mut AnyConnection, e: &Expediente, reglas: &Reglas, r: Radicado) -> Result<(i64, i64), AppError> {
    let (saldo, en_discusion) = saldos(e, reglas);
    let cambios = db::facturas::Cambios {
        estado: estado_registrado(e, reglas),
        numero_radicado: r.0,
        fecha_radicacion: r.1,
        fecha_limite_glosa: r.2,
        fecha_limite_pago: r.3,
        saldo,
        en_discusion,
    };
    if db::facturas::guardar(c, &e.fila.prestador_id, &e.fila.id, e.fila.version, &cambios)? == 0 {
        return Err(AppError::Conflict(format!(
            "otro usuario modificó la factura {} al mismo tiempo; vuelva a leerla y repita la acción",
            e.fila.numero
        )));
    }
    Ok((saldo, en_discusion))
}

/// An event of the invoice. `datos` says what happened; the balances after it are added so
/// the trazabilidad can show them without recomputing history.
pub fn nuevo_evento(
    actor: &Actor,
    factura_id: &str,
    tipo: &str,
    fecha: NaiveDate,
    mut datos: Value,
    saldos: (i64, i64),
) -> db::eventos::Evento {
    use crate::domain::money::from_centavos;
    if let Value::Object(m) = &mut datos {
        m.insert("saldo".into(), Value::String(from_centavos(saldos.0).to_string()));
        m.insert(
            "en_discusion".into(),
            Value::String(from_centavos(saldos.1).to_string()),
        );
    }
    db::eventos::Evento {
        id: db::new_id(),
        prestador_id: actor.prestador_id.clone(),
        factura_id: factura_id.to_string(),
        tipo: tipo.to_string(),
        datos: datos.to_string(),
        actor_id: actor.usuario_id.clone(),
        fecha,
        registrado_en: db::now(),
    }
}

/// Appends an event of the invoice (see [`nuevo_evento`]).
pub fn evento(
    c: &mut AnyConnection,
    actor: &Actor,
    factura_id: &str,
    tipo: &str,
    fecha: NaiveDate,
    datos: Value,
    saldos: (i64, i64),
) -> Result<(), AppError> {
    Ok(db::eventos::insertar(
        c,
        &[nuevo_evento(actor, factura_id, tipo, fecha, datos, saldos)],
    )?)
}
