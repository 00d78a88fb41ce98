//! Payments announced by a payer from its window. An announcement is the payer's word, not
//! money in the bank: nothing of the cartera moves until the prestador's cartera team confirms
//! it (then it is registered as a payment with the announced detail, through the same use case
//! as one typed by hand, and every check of a payment applies) or rejects it with a reason.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::pagos::{NuevaAplicacion, NuevoPago, REGISTRAN};
use super::{portal, Actor, AppError};
use crate::db::{self, anuncios::Anuncio, Db};
use crate::domain::money::{from_centavos, to_centavos_no_negativo};
use crate::domain::terminos::Terminos;
use crate::domain::Violation;

/// At most this many announcements in a list.
const LISTA: i64 = 500;

/// A payment the payer says it made, with the invoices it covers.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NuevoAnuncio {
    /// The day the payer paid.
    pub fecha: NaiveDate,
    #[schema(value_type = crate::app::DecimalExacto, example = "1500000.00")]
    #[serde(deserialize_with = "crate::app::exacto::requerido")]
    pub valor: Decimal,
    /// The transfer's reference, as the bank will show it.
    #[serde(default)]
    pub referencia: String,
    #[serde(default)]
    pub medio: String,
    /// The invoices it pays and how much of each.
    #[serde(default)]
    pub aplicaciones: Vec<NuevaAplicacion>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LineaAnuncio {
    pub factura_id: String,
    /// The invoice's number, to read the announcement without looking it up.
    #[serde(default)]
    pub numero: String,
    #[schema(value_type = String)]
    pub valor: Decimal,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AnuncioVista {
    pub id: String,
    pub pagador_id: String,
    pub pagador: String,
    pub fecha: NaiveDate,
    #[schema(value_type = String)]
    pub valor: Decimal,
    pub referencia: String,
    pub medio: String,
    pub aplicaciones: Vec<LineaAnuncio>,
    /// anunciado, confirmado or rechazado.
    pub estado: String,
    /// The payment it became, once confirmed.
    pub pago_id: Option<String>,
    /// Why it was rejected.
    pub motivo: String,
    pub anunciado_en: chrono::DateTime<chrono::Utc>,
    pub decidido_en: Option<chrono::DateTime<chrono::Utc>>,
}

fn vista(a: Anuncio, pagador: String) -> AnuncioVista {
    AnuncioVista {
        aplicaciones: serde_json::from_str(&a.detalle).unwrap_or_default(),
        id: a.id,
        pagador_id: a.pagador_id,
        pagador,
        fecha: a.fecha,
        valor: from_centavos(a.valor),
        referencia: a.referencia,
        medio: a.medio,
        estado: a.estado,
        pago_id: a.pago_id,
        motivo: a.motivo,
        anunciado_en: a.creado_en.and_utc(),
        decidido_en: a.decidido_en.map(|d| d.and_utc()),
    }
}

/// The payer announces a payment of its invoices. Each line must be one of its own invoices;
/// the lines may not add up to more than the payment. Whether each invoice can take that much
/// is checked when the cartera team confirms (balances move in between).
pub fn anunciar(db: &Db, hoy: NaiveDate, actor: &Actor, n: NuevoAnuncio) -> Result<AnuncioVista, AppError> {
    super::no_futura("fecha", n.fecha, hoy)?;
    let mut errs = Vec::new();
    let valor = match to_centavos_no_negativo(n.valor) {
        Ok(v) if v > 0 => v,
        Ok(_) => {
            errs.push(Violation::new("valor", "el valor del pago debe ser mayor que cero"));
            0
        }
        Err(e) => {
            errs.push(Violation::new("valor", e.to_string()));
            0
        }
    };
    if n.referencia.trim().chars().count() > 200 {
        errs.push(Violation::new("referencia", "la referencia tiene hasta 200 caracteres"));
    }
    let mut suma = 0;
    for (i, a) in n.aplicaciones.iter().enumerate() {
        match to_centavos_no_negativo(a.valor) {
            Ok(v) if v > 0 => suma += v,
            Ok(_) => errs.push(Violation::new(
                format!("aplicaciones[{i}].valor"),
                "se espera un valor mayor que cero",
            )),
            Err(e) => errs.push(Violation::new(format!("aplicaciones[{i}].valor"), e.to_string())),
        }
    }
    if suma > valor && valor > 0 {
        errs.push(Violation::new(
            "aplicaciones",
            format!(
                "las facturas suman {} y el pago vale {}",
                from_centavos(suma),
                from_centavos(valor)
            ),
        ));
    }
    let a = db.write(|c| {
        let p = portal::pagador_de(c, actor)?;
        let ids: Vec<String> = n.aplicaciones.iter().map(|a| a.factura_id.clone()).collect();
        let suyas = db::facturas::por_ids(c, &actor.prestador_id, &ids)?;
        let mut lineas = Vec::new();
        for (i, a) in n.aplicaciones.iter().enumerate() {
            match suyas.iter().find(|f| f.id == a.factura_id && f.pagador_id == p.id) {
                Some(f) => lineas.push(LineaAnuncio {
                    factura_id: f.id.clone(),
                    numero: f.numero.clone(),
                    valor: a.valor,
                }),
                // Another payer's invoice reads as one that does not exist.
                None => errs.push(Violation::new(
                    format!("aplicaciones[{i}].factura_id"),
                    "no hay una factura de su entidad con ese id",
                )),
            }
        }
        if !errs.is_empty() {
            return Err(AppError::Invalid(std::mem::take(&mut errs)));
        }
        let a = Anuncio {
            id: db::new_id(),
            prestador_id: actor.prestador_id.clone(),
            pagador_id: p.id.clone(),
            usuario_id: actor.usuario_id.clone(),
            fecha: n.fecha,
            valor,
            referencia: n.referencia.trim().to_string(),
            medio: n.medio.trim().to_string(),
            detalle: serde_json::to_string(&lineas).map_err(|e| AppError::Internal(e.into()))?,
            estado: db::anuncios::ANUNCIADO.into(),
            pago_id: None,
            motivo: String::new(),
            decidido_por: None,
            decidido_en: None,
            creado_en: db::now(),
        };
        db::anuncios::insertar(c, &a)?;
        Ok((a, p.nombre))
    })?;
    Ok(vista(a.0, a.1))
}

/// The payer's own announcements, the latest first.
pub fn del_pagador(db: &Db, actor: &Actor) -> Result<Vec<AnuncioVista>, AppError> {
    db.read(|c| {
        let p = portal::pagador_de(c, actor)?;
        let l = db::anuncios::listar(c, &actor.prestador_id, Some(&p.id), None, LISTA)?;
        Ok(l.into_iter().map(|a| vista(a, p.nombre.clone())).collect())
    })
}

/// The announcements the cartera team sees: waiting ones by default.
pub fn listar(db: &Db, actor: &Actor, estado: Option<&str>) -> Result<Vec<AnuncioVista>, AppError> {
    actor.exigir(REGISTRAN, "ver los pagos anunciados por los pagadores")?;
    let estado = estado.unwrap_or(db::anuncios::ANUNCIADO);
    if ![
        db::anuncios::ANUNCIADO,
        db::anuncios::CONFIRMADO,
        db::anuncios::RECHAZADO,
    ]
    .contains(&estado)
    {
        return Err(AppError::invalid(
            "estado",
            "se espera anunciado, confirmado o rechazado",
        ));
    }
    db.read(|c| {
        let nombres = db::pagadores::nombres(c, &actor.prestador_id)?;
        let l = db::anuncios::listar(c, &actor.prestador_id, None, Some(estado), LISTA)?;
        Ok(l.into_iter()
            .map(|a| {
                let n = nombres.get(&a.pagador_id).cloned().unwrap_or_default();
                vista(a, n)
            })
            .collect())
    })
}

fn esperando(c: &mut db::AnyConnection, actor: &Actor, id: &str) -> Result<Anuncio, AppError> {
    let a =
        db::anuncios::por_id(c, &actor.prestador_id, id)?.ok_or_else(|| AppError::not_found("un pago anunciado"))?;
    if a.estado != db::anuncios::ANUNCIADO {
        return Err(AppError::Conflict(format!("este pago anunciado ya fue {}", a.estado)));
    }
    Ok(a)
}

/// Records the decision on an announcement still waiting (409 when someone decided it in
/// between) and gives it back as decided, with its payer's name.
fn decidido(
    c: &mut db::AnyConnection,
    actor: &Actor,
    id: &str,
    estado: &str,
    pago_id: Option<&str>,
    motivo: &str,
) -> Result<(Anuncio, String), AppError> {
    if db::anuncios::decidir(c, &actor.prestador_id, id, estado, pago_id, motivo, &actor.usuario_id)? == 0 {
        return Err(AppError::Conflict(
            "otra persona decidió este pago anunciado al mismo tiempo".into(),
        ));
    }
    let a =
        db::anuncios::por_id(c, &actor.prestador_id, id)?.ok_or_else(|| AppError::not_found("un pago anunciado"))?;
    let nombre = super::pagadores::buscar(c, &actor.prestador_id, &a.pagador_id)?.nombre;
    Ok((a, nombre))
}

/// The cartera team confirms that the money arrived: the announcement becomes a payment with
/// its detail, in one transaction (an invoice that cannot take its line refuses the whole).
pub fn confirmar(db: &Db, t: &Terminos, hoy: NaiveDate, actor: &Actor, id: &str) -> Result<AnuncioVista, AppError> {
    actor.exigir(REGISTRAN, "confirmar pagos anunciados")?;
    let (a, nombre) = db.write(|c| confirmar_en(c, t, hoy, actor, id))?;
    Ok(vista(a, nombre))
}

/// Confirms an announcement in the caller's transaction (also when a bank statement shows its
/// money arrived); gives it back decided, with its payer's name. The caller checks the role.
pub fn confirmar_en(
    c: &mut db::AnyConnection,
    t: &Terminos,
    hoy: NaiveDate,
    actor: &Actor,
    id: &str,
) -> Result<(Anuncio, String), AppError> {
    let a = esperando(c, actor, id)?;
    let lineas: Vec<LineaAnuncio> = serde_json::from_str(&a.detalle).map_err(|e| AppError::Internal(e.into()))?;
    let pago = NuevoPago {
        pagador_id: a.pagador_id.clone(),
        fecha: a.fecha,
        valor: from_centavos(a.valor),
        referencia: a.referencia.clone(),
        medio: if a.medio.is_empty() {
            super::pagos::MEDIO_POR_DEFECTO.into()
        } else {
            a.medio.clone()
        },
        aplicaciones: lineas
            .into_iter()
            .map(|l| NuevaAplicacion {
                factura_id: l.factura_id,
                valor: l.valor,
            })
            .collect(),
        pagado_por_id: None,
    };
    let pago_id = super::pagos::registrar_en(c, t, hoy, actor, &pago)?;
    decidido(c, actor, id, db::anuncios::CONFIRMADO, Some(&pago_id), "")
}

/// Why the cartera team rejects an announcement.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Rechazo {
    /// Shown to the payer in its window.
    #[schema(example = "el dinero no ha llegado a la cuenta del prestador")]
    pub motivo: String,
}

pub fn rechazar(db: &Db, actor: &Actor, id: &str, r: Rechazo) -> Result<AnuncioVista, AppError> {
    actor.exigir(REGISTRAN, "rechazar pagos anunciados")?;
    let motivo = super::correcciones::motivo(&r.motivo)?;
    let (a, nombre) = db.write(|c| {
        esperando(c, actor, id)?;
        decidido(c, actor, id, db::anuncios::RECHAZADO, None, &motivo)
    })?;
    Ok(vista(a, nombre))
}
