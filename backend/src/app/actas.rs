//! Actas de conciliación de cartera (Circular Conjunta 030/2013 MinSalud – Supersalud): after
//! setting a payer's statement beside the books (`estados_cuenta`), both sides sign what they
//! agreed on each invoice and the commitments that follow. Recording the acta does, in the
//! same transaction, what each outcome implies:
//!
//! - every line is an event `acta_conciliacion` of its invoice;
//! - the lines the payer will pay become one acuerdo de pago (`ACTA-<número>`, one instalment
//!   per agreed date), so they enter the work list, alert when due and count as broken in the
//!   payer's segmentation like any agreement;
//! - a glosa accepted is the conciliation of the invoice's ratified glosas (Ley 1438/2011
//!   art. 57), through the glosa's own rules (`glosas::conciliar_en`);
//! - an invoice to radicate again, or a payment to apply, is a commitment of the prestador;
//!   other commitments come with the acta. Those of the payer left undone count against it.

use std::collections::HashMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::hoja::{self, Celda, Hoja};
use super::{ciclo, Actor, AppError};
use crate::db::{self, actas as dba, cobro as dbc, AnyConnection, Db};
use crate::domain::acta::{self, estado_compromiso, EstadoCompromiso, Parte, ResultadoActa};
use crate::domain::glosa::{Conciliacion as ConciliacionGlosa, EstadoGlosa};
use crate::domain::money::{from_centavos, pesos_colombianos, to_centavos, to_centavos_no_negativo};
use crate::domain::rol::Rol;
use crate::domain::terminos::Terminos;
use crate::domain::Violation;

/// Who records an acta and marks its commitments fulfilled: the people who sit at the table.
pub const REGISTRAN: &[Rol] = &[Rol::Cartera, Rol::Finanzas];

/// Who reads and exports actas (the payer's own users do not: the acta is the prestador's
/// record of the meeting).
pub const LECTORES: &[Rol] = &[Rol::Cartera, Rol::Finanzas, Rol::Auditor, Rol::Admin];

/// Someone at the meeting, who signs the acta.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Participante {
    pub nombre: String,
    #[serde(default)]
    pub cargo: String,
    /// Which side they speak for.
    pub entidad: Parte,
}

/// What was agreed on one invoice.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LineaActa {
    pub factura_id: String,
    pub resultado: ResultadoActa,
    /// What is paid (`pagar`), accepted of the glosa (`glosa_aceptada`) or to apply
    /// (`aplicar_pago`); optional otherwise.
    #[schema(value_type = Option<crate::app::DecimalExacto>)]
    #[serde(default, deserialize_with = "crate::app::exacto::opcional")]
    pub valor: Option<Decimal>,
    /// By when: required for `pagar`, `radicar_de_nuevo` and `aplicar_pago`.
    pub fecha_compromiso: Option<NaiveDate>,
    #[serde(default)]
    pub nota: String,
}

/// A commitment agreed at the meeting besides those its lines imply.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NuevoCompromiso {
    pub responsable: Parte,
    pub descripcion: String,
    pub vence: NaiveDate,
    /// The invoice it is about, if one.
    pub factura_id: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NuevaActa {
    /// The acta's number, unique in the prestador.
    pub numero: String,
    /// The day of the meeting.
    pub fecha: NaiveDate,
    /// The payer's statement whose reconciliation was discussed: each line keeps both balances
    /// as they stood.
    pub estado_cuenta_id: Option<String>,
    /// Cut-off of the balances; by default the statement's, or the acta's date.
    pub corte: Option<NaiveDate>,
    #[serde(default)]
    pub lugar: String,
    /// At least one person of each side.
    pub participantes: Vec<Participante>,
    #[serde(default)]
    pub observaciones: String,
    pub facturas: Vec<LineaActa>,
    #[serde(default)]
    pub compromisos: Vec<NuevoCompromiso>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LineaVista {
    pub factura_id: String,
    pub numero_factura: String,
    pub fecha_radicacion: Option<NaiveDate>,
    #[schema(value_type = String)]
    pub valor_factura: Decimal,
    /// The prestador's balance when the acta was signed (the reconciliation's, if any).
    #[schema(value_type = String)]
    pub saldo_prestador: Decimal,
    /// The payer's, from its statement; none without a reconciliation.
    #[schema(value_type = Option<String>)]
    pub saldo_pagador: Option<Decimal>,
    #[schema(value_type = Option<String>)]
    pub diferencia: Option<Decimal>,
    pub resultado: ResultadoActa,
    #[schema(value_type = String)]
    pub valor: Decimal,
    pub fecha_compromiso: Option<NaiveDate>,
    pub nota: String,
}

/// The lines of one outcome, added up.
#[derive(Debug, Serialize, ToSchema)]
pub struct TotalResultado {
    pub resultado: ResultadoActa,
    pub facturas: i64,
    #[schema(value_type = String)]
    pub valor: Decimal,
    #[schema(value_type = String)]
    pub saldo_prestador: Decimal,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CompromisoVista {
    pub id: String,
    pub acta_id: String,
    /// The acta's number.
    pub acta: String,
    pub pagador_id: String,
    pub factura_id: Option<String>,
    pub numero_factura: Option<String>,
    pub responsable: Parte,
    pub descripcion: String,
    pub vence: NaiveDate,
    pub cumplido_en: Option<NaiveDate>,
    pub estado: EstadoCompromiso,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ActaVista {
    pub id: String,
    pub numero: String,
    pub pagador_id: String,
    pub pagador: String,
    pub pagador_nit: String,
    pub prestador: String,
    pub prestador_nit: String,
    pub fecha: NaiveDate,
    pub corte: NaiveDate,
    pub estado_cuenta_id: Option<String>,
    pub lugar: String,
    pub participantes: Vec<Participante>,
    pub observaciones: String,
    /// The acuerdo de pago its `pagar` lines became.
    pub acuerdo_id: Option<String>,
    pub actor_id: String,
    pub creado_en: chrono::DateTime<chrono::Utc>,
    pub facturas: Vec<LineaVista>,
    pub totales: Vec<TotalResultado>,
    pub compromisos: Vec<CompromisoVista>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ActaEnLista {
    pub id: String,
    pub numero: String,
    pub pagador_id: String,
    pub pagador: String,
    pub fecha: NaiveDate,
    pub corte: NaiveDate,
    pub acuerdo_id: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Cumplimiento {
    /// The day it was done.
    pub fecha: NaiveDate,
}

/// A line checked, ready to write.
struct Linea<'a> {
    entrada: &'a LineaActa,
    factura: db::facturas::Factura,
    valor: i64,
    saldo_prestador: i64,
    saldo_pagador: Option<i64>,
}

fn violaciones(r: Result<(), AppError>, errores: &mut Vec<Violation>) -> Result<(), AppError> {
    match r {
        Ok(()) => Ok(()),
        Err(AppError::Invalid(v)) => {
            errores.extend(v);
            Ok(())
        }
        Err(e) => Err(e),
    }
}

/// What can be checked without the database; every problem at once.
fn revisar(n: &NuevaActa, hoy: NaiveDate) -> Result<(Vec<Violation>, Vec<i64>), AppError> {
    let mut errores = Vec::new();
    let numero = n.numero.trim();
    if numero.is_empty() || numero.chars().count() > 40 {
        errores.push(Violation::new(
            "numero",
            "se espera el número del acta (hasta 40 caracteres)",
        ));
    }
    violaciones(super::no_futura("fecha", n.fecha, hoy), &mut errores)?;
    if let Some(c) = n.corte.filter(|c| *c > n.fecha) {
        errores.push(Violation::new(
            "corte",
            format!(
                "el corte ({c}) no puede ser posterior a la fecha del acta ({})",
                n.fecha
            ),
        ));
    }
    // Circular Conjunta 030/2013: the acta is signed by both parties.
    for parte in Parte::ALL {
        if !n
            .participantes
            .iter()
            .any(|p| p.entidad == *parte && !p.nombre.trim().is_empty())
        {
            errores.push(Violation::new(
                "participantes",
                format!("el acta la firma al menos una persona por el {parte}"),
            ));
        }
    }
    for (i, p) in n.participantes.iter().enumerate() {
        if p.nombre.trim().is_empty() {
            errores.push(Violation::new(
                format!("participantes[{i}].nombre"),
                "escriba el nombre",
            ));
        }
    }
    if n.facturas.is_empty() {
        errores.push(Violation::new("facturas", "el acta concilia al menos una factura"));
    }
    let mut valores = Vec::with_capacity(n.facturas.len());
    for (i, l) in n.facturas.iter().enumerate() {
        let valor = match l.valor.map(to_centavos_no_negativo).transpose() {
            Ok(v) => Some(v.unwrap_or(0)),
            Err(e) => {
                errores.push(Violation::new(format!("facturas[{i}].valor"), e.to_string()));
                None
            }
        };
        if l.resultado.exige_valor() && valor == Some(0) {
            errores.push(Violation::new(
                format!("facturas[{i}].valor"),
                format!("«{}» necesita un valor mayor que cero", l.resultado.texto()),
            ));
        }
        match l.fecha_compromiso {
            None if l.resultado.exige_fecha() => errores.push(Violation::new(
                format!("facturas[{i}].fecha_compromiso"),
                format!("«{}» necesita la fecha en que se cumplirá", l.resultado.texto()),
            )),
            Some(f) if f < n.fecha => errores.push(Violation::new(
                format!("facturas[{i}].fecha_compromiso"),
                format!("el compromiso ({f}) no puede ser anterior al acta ({})", n.fecha),
            )),
            _ => {}
        }
        valores.push(valor.unwrap_or(0));
    }
    for (j, x) in n.compromisos.iter().enumerate() {
        if x.descripcion.trim().is_empty() {
            errores.push(Violation::new(
                format!("compromisos[{j}].descripcion"),
                "diga en qué consiste el compromiso",
            ));
        }
        if x.vence < n.fecha {
            errores.push(Violation::new(
                format!("compromisos[{j}].vence"),
                format!(
                    "el compromiso ({}) no puede vencer antes del acta ({})",
                    x.vence, n.fecha
                ),
            ));
        }
    }
    Ok((errores, valores))
}

/// Records the acta of a reconciliation meeting with payer `pagador_id` and everything its
/// outcomes imply, in one transaction: nothing is written if any line is refused.
pub fn registrar(
    db: &Db,
    t: &Terminos,
    actor: &Actor,
    hoy: NaiveDate,
    pagador_id: &str,
    n: NuevaActa,
) -> Result<ActaVista, AppError> {
    actor.exigir(REGISTRAN, "registrar actas de conciliación de cartera")?;
    let (mut errores, valores) = revisar(&n, hoy)?;
    let numero = n.numero.trim().to_string();
    let pid = actor.prestador_id.clone();
    let id = db.write(|c| {
        super::pagadores::buscar(c, &pid, pagador_id)?;
        if dba::por_numero(c, &pid, &numero)?.is_some() {
            return Err(AppError::Conflict(format!("ya existe el acta de conciliación {numero}")));
        }
        // The reconciliation discussed, as it reads now: each line keeps its two balances.
        let mut corte = n.corte.unwrap_or(n.fecha);
        let mut filas: Vec<super::estados_cuenta::FilaConciliacion> = Vec::new();
        if let Some(eid) = &n.estado_cuenta_id {
            match dbc::estado_cuenta(c, &pid, eid)? {
                Some((e, guardadas)) if e.pagador_id == pagador_id => {
                    if n.corte.is_some_and(|x| x != e.corte) {
                        errores.push(Violation::new(
                            "corte",
                            format!("el estado de cuenta conciliado tiene corte {}", e.corte),
                        ));
                    }
                    corte = e.corte;
                    filas = super::estados_cuenta::conciliar(c, &t.reglas, &pid, &e, &guardadas)?;
                }
                _ => errores.push(Violation::new(
                    "estado_cuenta_id",
                    "no existe ese estado de cuenta de este pagador en su prestador",
                )),
            }
        }
        let ids: Vec<String> = n.facturas.iter().map(|l| l.factura_id.clone()).collect();
        let facturas = match super::cobro::facturas_del_pagador(c, &pid, pagador_id, &ids, "facturas") {
            Ok(f) => f,
            Err(AppError::Invalid(v)) => {
                errores.extend(v);
                Vec::new()
            }
            Err(e) => return Err(e),
        };
        let mut lineas: Vec<Linea> = Vec::new();
        // Per glosa accepted: (glosa, a favor del pagador, a favor del prestador).
        let mut glosas: Vec<(String, i64, i64)> = Vec::new();
        for (i, (l, f)) in n.facturas.iter().zip(facturas).enumerate() {
            let valor = valores[i];
            let fila = filas.iter().find(|x| x.factura_id.as_deref() == Some(f.id.as_str()));
            let saldo_prestador = fila
                .and_then(|x| x.saldo_prestador)
                .and_then(|v| to_centavos(v).ok())
                .unwrap_or(f.saldo);
            let saldo_pagador = fila.and_then(|x| x.saldo_pagador).and_then(|v| to_centavos(v).ok());
            match l.resultado {
                ResultadoActa::Pagar | ResultadoActa::AplicarPago if valor > f.saldo => {
                    errores.push(Violation::new(
                        format!("facturas[{i}].valor"),
                        format!(
                            "la factura {} tiene saldo {}; no se puede acordar {}",
                            f.numero,
                            pesos_colombianos(f.saldo),
                            pesos_colombianos(valor)
                        ),
                    ))
                }
                ResultadoActa::GlosaAceptada => {
                    let e = ciclo::cargar(c, t, &pid, &f.id)?;
                    let mut abiertas: Vec<_> = e
                        .glosas
                        .iter()
                        .filter(|g| matches!(g.estado, EstadoGlosa::Ratificada | EstadoGlosa::EnConciliacion))
                        .collect();
                    abiertas.sort_by(|a, b| a.fecha_recepcion.cmp(&b.fecha_recepcion).then(a.id.cmp(&b.id)));
                    let ratificados: Vec<i64> = abiertas
                        .iter()
                        .map(|g| ciclo::glosa_dominio(g).ratificado())
                        .collect();
                    match acta::repartir(valor, &ratificados) {
                        _ if abiertas.is_empty() => errores.push(Violation::new(
                            format!("facturas[{i}].valor"),
                            format!(
                                "la factura {} no tiene glosas ratificadas ni en conciliación: no hay glosa que aceptar en el acta",
                                f.numero
                            ),
                        )),
                        None => errores.push(Violation::new(
                            format!("facturas[{i}].valor"),
                            format!(
                                "lo ratificado de las glosas de la factura {} suma {}; no se puede aceptar {}",
                                f.numero,
                                pesos_colombianos(ratificados.iter().sum()),
                                pesos_colombianos(valor)
                            ),
                        )),
                        Some(reparto) => glosas.extend(
                            abiertas
                                .iter()
                                .zip(reparto)
                                .map(|(g, (pagador, prestador))| (g.id.clone(), pagador, prestador)),
                        ),
                    }
                }
                _ => {}
            }
            lineas.push(Linea {
                entrada: l,
                factura: f,
                valor,
                saldo_prestador,
                saldo_pagador,
            });
        }
        // The commitments' invoices are the payer's too.
        let de_compromisos: Vec<String> = n.compromisos.iter().filter_map(|x| x.factura_id.clone()).collect();
        let otras = db::facturas::por_ids(c, &pid, &de_compromisos)?;
        for (j, x) in n.compromisos.iter().enumerate() {
            if let Some(fid) = &x.factura_id {
                if !otras.iter().any(|f| &f.id == fid && f.pagador_id == pagador_id) {
                    errores.push(Violation::new(
                        format!("compromisos[{j}].factura_id"),
                        format!("no existe la factura {fid} de este pagador en su prestador"),
                    ));
                }
            }
        }
        if !errores.is_empty() {
            return Err(AppError::Invalid(std::mem::take(&mut errores)));
        }
        let acta_id = db::new_id();
        // First what the meeting said of each invoice, then what follows from it.
        let eventos: Vec<_> = lineas
            .iter()
            .map(|l| {
                ciclo::nuevo_evento(
                    actor,
                    &l.factura.id,
                    "acta_conciliacion",
                    n.fecha,
                    json!({"acta_id": acta_id, "acta": numero, "resultado": l.entrada.resultado,
                           "valor": from_centavos(l.valor), "fecha_compromiso": l.entrada.fecha_compromiso,
                           "saldo_pagador": l.saldo_pagador.map(from_centavos), "nota": l.entrada.nota.trim()}),
                    (l.factura.saldo, l.factura.en_discusion),
                )
            })
            .collect();
        db::eventos::insertar(c, &eventos)?;
        let a_pagar: Vec<&Linea> = lineas
            .iter()
            .filter(|l| l.entrada.resultado == ResultadoActa::Pagar)
            .collect();
        let acuerdo_id = if a_pagar.is_empty() {
            None
        } else {
            let plan: Vec<(NaiveDate, i64)> = a_pagar
                .iter()
                .map(|l| (l.entrada.fecha_compromiso.unwrap_or(n.fecha), l.valor))
                .collect();
            let nuevo = super::cobro::NuevoAcuerdo {
                numero: format!("ACTA-{numero}"),
                fecha: n.fecha,
                facturas: a_pagar.iter().map(|l| l.factura.id.clone()).collect(),
                cuotas: acta::cuotas(&plan)
                    .into_iter()
                    .map(|(f, v)| super::cobro::NuevaCuota {
                        fecha_vencimiento: f,
                        valor: from_centavos(v),
                    })
                    .collect(),
                observacion: format!("Acta de conciliación de cartera {numero} (Circular Conjunta 030/2013)"),
            };
            Some(super::cobro::crear_acuerdo_en(c, actor, hoy, pagador_id, &nuevo)?.id)
        };
        let compromiso = |factura_id: Option<String>, responsable: Parte, descripcion: String, vence: NaiveDate| {
            dba::Compromiso {
                id: db::new_id(),
                prestador_id: pid.clone(),
                acta_id: acta_id.clone(),
                pagador_id: pagador_id.to_string(),
                factura_id,
                responsable,
                descripcion,
                vence,
                cumplido_en: None,
                cumplido_por: None,
            }
        };
        let mut compromisos = Vec::new();
        for l in &lineas {
            let vence = l.entrada.fecha_compromiso.unwrap_or(n.fecha);
            let fid = Some(l.factura.id.clone());
            match l.entrada.resultado {
                ResultadoActa::RadicarDeNuevo => compromisos.push(compromiso(
                    fid,
                    Parte::Prestador,
                    format!("Radicar de nuevo la factura {}", l.factura.numero),
                    vence,
                )),
                ResultadoActa::AplicarPago => compromisos.push(compromiso(
                    fid,
                    Parte::Prestador,
                    format!(
                        "Aplicar el pago de {} que reporta el pagador a la factura {}",
                        pesos_colombianos(l.valor),
                        l.factura.numero
                    ),
                    vence,
                )),
                _ => {}
            }
        }
        for x in &n.compromisos {
            compromisos.push(compromiso(
                x.factura_id.clone(),
                x.responsable,
                x.descripcion.trim().to_string(),
                x.vence,
            ));
        }
        let registro = dba::Acta {
            id: acta_id.clone(),
            prestador_id: pid.clone(),
            pagador_id: pagador_id.into(),
            numero: numero.clone(),
            fecha: n.fecha,
            corte,
            estado_cuenta_id: n.estado_cuenta_id.clone(),
            lugar: n.lugar.trim().into(),
            participantes: serde_json::to_string(&n.participantes)
                .map_err(|e| AppError::Internal(anyhow::anyhow!("participantes: {e}")))?,
            observaciones: n.observaciones.trim().into(),
            acuerdo_id,
            actor_id: actor.usuario_id.clone(),
            creado_en: db::now(),
        };
        let filas: Vec<dba::ActaFactura> = lineas
            .iter()
            .map(|l| dba::ActaFactura {
                id: db::new_id(),
                prestador_id: pid.clone(),
                acta_id: acta_id.clone(),
                factura_id: l.factura.id.clone(),
                resultado: l.entrada.resultado,
                valor: l.valor,
                fecha_compromiso: l.entrada.fecha_compromiso,
                saldo_prestador: l.saldo_prestador,
                saldo_pagador: l.saldo_pagador,
                nota: l.entrada.nota.trim().into(),
            })
            .collect();
        dba::insertar(c, &registro, &filas, &compromisos)?;
        // Ley 1438/2011 art. 57: what the acta settles of each ratified glosa, by the glosa's
        // own rules (its event, its ledger movement, the invoice's balance).
        for (glosa_id, a_favor_pagador, a_favor_prestador) in glosas {
            let conc = ConciliacionGlosa {
                a_favor_prestador: Some(a_favor_prestador),
                a_favor_pagador: Some(a_favor_pagador),
                fecha: n.fecha,
            };
            super::glosas::conciliar_en(c, t, hoy, actor, &glosa_id, &conc, Some(numero.clone()))?;
        }
        Ok(acta_id)
    })?;
    obtener(db, actor, hoy, &id)
}

/// The commitments with their acta's number and their invoice's, and their state at `hoy`.
fn vistas_compromisos(
    c: &mut AnyConnection,
    prestador_id: &str,
    hoy: NaiveDate,
    cs: Vec<dba::Compromiso>,
) -> Result<Vec<CompromisoVista>, AppError> {
    let mut numeros: HashMap<String, String> = HashMap::new();
    for x in &cs {
        if !numeros.contains_key(&x.acta_id) {
            let n = dba::por_id(c, prestador_id, &x.acta_id)?.map_or_else(String::new, |a| a.numero);
            numeros.insert(x.acta_id.clone(), n);
        }
    }
    let ids: Vec<String> = cs.iter().filter_map(|x| x.factura_id.clone()).collect();
    let facturas = db::facturas::por_ids(c, prestador_id, &ids)?;
    Ok(cs
        .into_iter()
        .map(|x| CompromisoVista {
            acta: numeros.get(&x.acta_id).cloned().unwrap_or_default(),
            numero_factura: x
                .factura_id
                .as_ref()
                .and_then(|f| facturas.iter().find(|g| &g.id == f))
                .map(|f| f.numero.clone()),
            estado: estado_compromiso(x.vence, x.cumplido_en, hoy),
            id: x.id,
            acta_id: x.acta_id,
            pagador_id: x.pagador_id,
            factura_id: x.factura_id,
            responsable: x.responsable,
            descripcion: x.descripcion,
            vence: x.vence,
            cumplido_en: x.cumplido_en,
        })
        .collect())
}

pub fn obtener(db: &Db, actor: &Actor, hoy: NaiveDate, id: &str) -> Result<ActaVista, AppError> {
    actor.exigir(LECTORES, "ver actas de conciliación de cartera")?;
    db.read(|c| {
        let pid = &actor.prestador_id;
        let a = dba::por_id(c, pid, id)?.ok_or_else(|| AppError::not_found("un acta de conciliación"))?;
        let pagador = super::pagadores::buscar(c, pid, &a.pagador_id)?;
        let prestador = db::prestadores::por_id(c, pid)?
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("prestador {pid} sin fila")))?;
        let filas = dba::lineas(c, pid, &a.id)?;
        let ids: Vec<String> = filas.iter().map(|l| l.factura_id.clone()).collect();
        let facturas = db::facturas::por_ids(c, pid, &ids)?;
        let lineas: Vec<LineaVista> = filas
            .into_iter()
            .map(|l| {
                let f = facturas.iter().find(|f| f.id == l.factura_id);
                LineaVista {
                    numero_factura: f.map_or_else(String::new, |f| f.numero.clone()),
                    fecha_radicacion: f.and_then(|f| f.fecha_radicacion),
                    valor_factura: from_centavos(f.map_or(0, |f| f.valor_total)),
                    saldo_prestador: from_centavos(l.saldo_prestador),
                    saldo_pagador: l.saldo_pagador.map(from_centavos),
                    diferencia: l.saldo_pagador.map(|p| from_centavos(l.saldo_prestador - p)),
                    factura_id: l.factura_id,
                    resultado: l.resultado,
                    valor: from_centavos(l.valor),
                    fecha_compromiso: l.fecha_compromiso,
                    nota: l.nota,
                }
            })
            .collect();
        let totales = ResultadoActa::ALL
            .iter()
            .filter_map(|r| {
                let de: Vec<&LineaVista> = lineas.iter().filter(|l| l.resultado == *r).collect();
                (!de.is_empty()).then(|| TotalResultado {
                    resultado: *r,
                    facturas: de.len() as i64,
                    valor: de.iter().map(|l| l.valor).sum(),
                    saldo_prestador: de.iter().map(|l| l.saldo_prestador).sum(),
                })
            })
            .collect();
        let cs = dba::compromisos_de(c, pid, &a.id)?;
        let compromisos = vistas_compromisos(c, pid, hoy, cs)?;
        let participantes: Vec<Participante> = serde_json::from_str(&a.participantes)
            .map_err(|e| AppError::Internal(anyhow::anyhow!("actas.participantes de {}: {e}", a.id)))?;
        Ok(ActaVista {
            id: a.id,
            numero: a.numero,
            pagador_id: a.pagador_id,
            pagador: pagador.nombre,
            pagador_nit: pagador.nit,
            prestador: prestador.nombre,
            prestador_nit: prestador.nit,
            fecha: a.fecha,
            corte: a.corte,
            estado_cuenta_id: a.estado_cuenta_id,
            lugar: a.lugar,
            participantes,
            observaciones: a.observaciones,
            acuerdo_id: a.acuerdo_id,
            actor_id: a.actor_id,
            creado_en: a.creado_en.and_utc(),
            facturas: lineas,
            totales,
            compromisos,
        })
    })
}

/// The prestador's actas, of one payer if given, the latest first.
pub fn listar(db: &Db, actor: &Actor, pagador_id: Option<&str>) -> Result<Vec<ActaEnLista>, AppError> {
    actor.exigir(LECTORES, "ver actas de conciliación de cartera")?;
    db.read(|c| {
        let pid = &actor.prestador_id;
        if let Some(p) = pagador_id {
            super::pagadores::buscar(c, pid, p)?;
        }
        let nombres = db::pagadores::nombres(c, pid)?;
        Ok(dba::listar(c, pid, pagador_id)?
            .into_iter()
            .map(|a| ActaEnLista {
                pagador: nombres.get(&a.pagador_id).cloned().unwrap_or_default(),
                id: a.id,
                numero: a.numero,
                pagador_id: a.pagador_id,
                fecha: a.fecha,
                corte: a.corte,
                acuerdo_id: a.acuerdo_id,
            })
            .collect())
    })
}

/// Marks a commitment fulfilled on `fecha`, with an event on its invoice if it names one.
pub fn cumplir(db: &Db, actor: &Actor, hoy: NaiveDate, id: &str, n: Cumplimiento) -> Result<CompromisoVista, AppError> {
    actor.exigir(REGISTRAN, "registrar el cumplimiento de compromisos de un acta")?;
    super::no_futura("fecha", n.fecha, hoy)?;
    db.write(|c| {
        let pid = &actor.prestador_id;
        let x = dba::compromiso(c, pid, id)?.ok_or_else(|| AppError::not_found("un compromiso"))?;
        let a = dba::por_id(c, pid, &x.acta_id)?.ok_or_else(|| AppError::not_found("un acta de conciliación"))?;
        if let Some(f) = x.cumplido_en {
            return Err(AppError::Conflict(format!("el compromiso ya se cumplió el {f}")));
        }
        if n.fecha < a.fecha {
            return Err(AppError::invalid(
                "fecha",
                format!(
                    "el compromiso no pudo cumplirse ({}) antes del acta ({})",
                    n.fecha, a.fecha
                ),
            ));
        }
        if dba::cumplir(c, pid, id, n.fecha, &actor.usuario_id)? == 0 {
            return Err(AppError::Conflict(
                "otro usuario lo marcó cumplido al mismo tiempo".into(),
            ));
        }
        if let Some(fid) = &x.factura_id {
            let facturas = db::facturas::por_ids(c, pid, std::slice::from_ref(fid))?;
            super::cobro::eventos_en(
                c,
                actor,
                &facturas,
                "compromiso_cumplido",
                n.fecha,
                json!({"compromiso_id": x.id, "acta_id": a.id, "acta": a.numero, "descripcion": x.descripcion,
                       "responsable": x.responsable, "vence": x.vence, "a_tiempo": n.fecha <= x.vence}),
            )?;
        }
        let mut hecho = x;
        hecho.cumplido_en = Some(n.fecha);
        hecho.cumplido_por = Some(actor.usuario_id.clone());
        Ok(vistas_compromisos(c, pid, hoy, vec![hecho])?.remove(0))
    })
}

/// Commitments not fulfilled due on or before `hasta`, overdue ones included (the work list).
pub fn por_cumplir(
    c: &mut AnyConnection,
    prestador_id: &str,
    hoy: NaiveDate,
    hasta: NaiveDate,
) -> Result<Vec<CompromisoVista>, AppError> {
    let cs = dba::abiertos_hasta(c, prestador_id, hasta)?;
    vistas_compromisos(c, prestador_id, hoy, cs)
}

/// Per payer, the commitments it owed and broke (undone past their date, or done late).
pub fn incumplidos_por_pagador(
    c: &mut AnyConnection,
    prestador_id: &str,
    hoy: NaiveDate,
) -> Result<HashMap<String, i64>, AppError> {
    let mut out: HashMap<String, i64> = HashMap::new();
    for x in dba::vencidos_de(c, prestador_id, Parte::Pagador, hoy)? {
        if estado_compromiso(x.vence, x.cumplido_en, hoy).incumplido() {
            *out.entry(x.pagador_id).or_default() += 1;
        }
    }
    Ok(out)
}

/// The events of an acta in words, for the trazabilidad.
pub fn texto(tipo: &str, datos: &serde_json::Value) -> Option<String> {
    let s = |k: &str| datos.get(k).and_then(serde_json::Value::as_str).unwrap_or_default();
    match tipo {
        "acta_conciliacion" => {
            let resultado: ResultadoActa = s("resultado").parse().ok()?;
            let mut t = format!("Acta de conciliación de cartera {}: {}", s("acta"), resultado.texto());
            if let Ok(v) = s("valor").parse::<Decimal>() {
                if !v.is_zero() {
                    t.push_str(&format!(" por {}", pesos_colombianos(to_centavos(v).ok()?)));
                }
            }
            if !s("fecha_compromiso").is_empty() {
                t.push_str(&format!(", a más tardar el {}", s("fecha_compromiso")));
            }
            Some(t)
        }
        "compromiso_cumplido" => Some(format!(
            "Compromiso del acta {} cumplido{}: {}",
            s("acta"),
            if datos.get("a_tiempo") == Some(&serde_json::Value::Bool(false)) {
                " tarde"
            } else {
                ""
            },
            s("descripcion")
        )),
        _ => None,
    }
}

/// The acta as a workbook: its invoices with both balances and what was agreed, the totals by
/// outcome, the commitments and who signed (Circular Conjunta 030/2013).
pub fn xlsx(a: &ActaVista) -> Result<Vec<u8>, AppError> {
    let encabezado = vec![
        ("Acta de conciliación de cartera".to_string(), a.numero.clone()),
        (
            "Prestador (IPS)".to_string(),
            format!("{} — NIT {}", a.prestador, a.prestador_nit),
        ),
        (
            "Pagador (ERP)".to_string(),
            format!("{} — NIT {}", a.pagador, a.pagador_nit),
        ),
        ("Fecha del acta".to_string(), a.fecha.to_string()),
        ("Fecha de corte".to_string(), a.corte.to_string()),
        ("Lugar".to_string(), a.lugar.clone()),
    ];
    let d = |v: Option<Decimal>| v.map_or(Celda::Vacia, Celda::Dinero);
    let facturas = a
        .facturas
        .iter()
        .map(|l| {
            vec![
                l.numero_factura.as_str().into(),
                l.fecha_radicacion.into(),
                Celda::Dinero(l.valor_factura),
                Celda::Dinero(l.saldo_prestador),
                d(l.saldo_pagador),
                d(l.diferencia),
                l.resultado.as_str().into(),
                l.resultado.texto().into(),
                Celda::Dinero(l.valor),
                l.fecha_compromiso.into(),
                l.nota.as_str().into(),
            ]
        })
        .collect();
    let totales = a
        .totales
        .iter()
        .map(|x| {
            vec![
                x.resultado.as_str().into(),
                x.resultado.texto().into(),
                Celda::Entero(x.facturas),
                Celda::Dinero(x.saldo_prestador),
                Celda::Dinero(x.valor),
            ]
        })
        .collect();
    let compromisos = a
        .compromisos
        .iter()
        .map(|x| {
            vec![
                x.responsable.as_str().into(),
                x.descripcion.as_str().into(),
                x.numero_factura.clone().unwrap_or_default().into(),
                Celda::Fecha(x.vence),
                x.cumplido_en.into(),
                x.estado.as_str().into(),
            ]
        })
        .collect();
    let participantes = a
        .participantes
        .iter()
        .map(|p| {
            vec![
                p.entidad.as_str().into(),
                p.nombre.as_str().into(),
                p.cargo.as_str().into(),
            ]
        })
        .collect();
    hoja::libro(&[
        Hoja {
            nombre: "Acta".into(),
            encabezado: encabezado.clone(),
            columnas: vec![
                ("Número de factura", 16.0),
                ("Fecha de radicación", 12.0),
                ("Valor factura", 16.0),
                ("Saldo IPS", 16.0),
                ("Saldo ERP", 16.0),
                ("Diferencia", 16.0),
                ("Resultado", 18.0),
                ("Resultado acordado", 30.0),
                ("Valor acordado", 16.0),
                ("Fecha de compromiso", 12.0),
                ("Observación", 40.0),
            ],
            filas: facturas,
        },
        Hoja {
            nombre: "Totales".into(),
            encabezado: encabezado.clone(),
            columnas: vec![
                ("Resultado", 18.0),
                ("Resultado acordado", 30.0),
                ("Facturas", 10.0),
                ("Saldo IPS", 16.0),
                ("Valor acordado", 16.0),
            ],
            filas: totales,
        },
        Hoja {
            nombre: "Compromisos".into(),
            encabezado: encabezado.clone(),
            columnas: vec![
                ("Responsable", 12.0),
                ("Compromiso", 60.0),
                ("Factura", 16.0),
                ("Vence", 12.0),
                ("Cumplido", 12.0),
                ("Estado", 14.0),
            ],
            filas: compromisos,
        },
        Hoja {
            nombre: "Participantes".into(),
            encabezado,
            columnas: vec![("Entidad", 12.0), ("Nombre", 36.0), ("Cargo", 36.0)],
            filas: participantes,
        },
    ])
}
