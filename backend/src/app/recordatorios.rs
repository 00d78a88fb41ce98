//! Payment reminders: an e-mail to the payer's contact with its statement of account attached
//! (XLSX), sent through the SMTP server of the configuration, and logged as a gestión of type
//! `correo` on every invoice of the statement.

use std::time::Duration;

use chrono::NaiveDate;
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{Message, SmtpTransport, Transport};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::cobro::{GestionVista, NuevaGestion};
use super::hoja::{self, Celda, Hoja};
use super::{Actor, AppError};
use crate::config::{SeguridadSmtp, Smtp};
use crate::db::{self, cobro as dbc, Db};
use crate::domain::cobro::TipoGestion;
use crate::domain::factura::EstadoFactura;
use crate::domain::money::{from_centavos, pesos_colombianos};
use crate::domain::terminos::Reglas;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NuevoRecordatorio {
    /// Default: the payer's `email_contacto`.
    pub para: Option<String>,
    #[serde(default)]
    pub cc: Vec<String>,
    /// A paragraph of the cartera user's own, added to the message.
    #[serde(default)]
    pub mensaje: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RecordatorioEnviado {
    pub para: String,
    pub asunto: String,
    pub adjunto: String,
    pub facturas: usize,
    #[schema(value_type = String)]
    pub saldo: Decimal,
    /// The gestión that records it.
    pub gestion: GestionVista,
}

fn direccion(campo: &str, texto: &str) -> Result<Mailbox, AppError> {
    texto
        .trim()
        .parse::<Mailbox>()
        .map_err(|_| AppError::invalid(campo, format!("'{texto}' no es una dirección de correo")))
}

/// Sends the payer its statement and records it.
pub fn enviar(
    db: &Db,
    smtp: &Smtp,
    reglas: &Reglas,
    actor: &Actor,
    hoy: NaiveDate,
    pagador_id: &str,
    n: NuevoRecordatorio,
) -> Result<RecordatorioEnviado, AppError> {
    actor.exigir(super::cobro::GESTORES, "enviar recordatorios de pago")?;
    // Whose payer it is comes first: another prestador's payer is a 404 whatever the
    // deployment's configuration.
    db.read(|c| super::pagadores::buscar(c, &actor.prestador_id, pagador_id))?;
    if smtp.host.trim().is_empty() {
        return Err(AppError::NoDisponible(
            "no hay servidor de correo configurado: defina smtp.host y smtp.remitente".into(),
        ));
    }
    let (prestador, pagador, cobro, facturas) = db.read(|c| {
        let prestador = db::prestadores::por_id(c, &actor.prestador_id)?
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("prestador sin fila")))?;
        let pagador = super::pagadores::buscar(c, &actor.prestador_id, pagador_id)?;
        let cobro = dbc::cobro_de(c, &actor.prestador_id, pagador_id)?;
        let facturas = deuda_al_dia(c, reglas, &actor.prestador_id, pagador_id, hoy)?;
        let pagos = pagos_recibidos(c, &actor.prestador_id, pagador_id, hoy)?;
        Ok::<_, AppError>((prestador, pagador, cobro, (facturas, pagos)))
    })?;
    let (facturas, pagos) = facturas;
    let para = match n.para.as_deref().filter(|p| !p.trim().is_empty()) {
        Some(p) => direccion("para", p)?,
        None => match cobro.and_then(|c| c.email_contacto) {
            Some(e) => direccion("para", &e)?,
            None => {
                return Err(AppError::invalid(
                    "para",
                    "el pagador no tiene correo de contacto: envíe 'para' o regístrelo en su gestión de cobro",
                ))
            }
        },
    };
    let cc =
        n.cc.iter()
            .enumerate()
            .map(|(i, c)| direccion(&format!("cc[{i}]"), c))
            .collect::<Result<Vec<_>, _>>()?;
    if facturas.is_empty() {
        return Err(AppError::Conflict(format!(
            "{} no tiene facturas con saldo: no hay estado de cuenta que enviar",
            pagador.nombre
        )));
    }
    let saldo: i64 = facturas.iter().map(|f| f.saldo).sum();
    let vencido: i64 = facturas.iter().filter(|f| dias_mora(f, hoy) > 0).map(|f| f.saldo).sum();
    let adjunto = format!("estado-de-cuenta-{}-{hoy}.xlsx", pagador.nit);
    let libro = estado_de_cuenta(&prestador.nombre, &pagador.nombre, &pagador.nit, hoy, &facturas, &pagos)?;
    let asunto = format!(
        "Estado de cuenta de {} con {} al {hoy}",
        pagador.nombre, prestador.nombre
    );
    let mut cuerpo = format!(
        "Señores {}:\n\nAdjuntamos el estado de cuenta de {} (NIT {}) al {hoy}: {} facturas con saldo por {}, \
         de los cuales {} están vencidos.\n",
        pagador.nombre,
        prestador.nombre,
        prestador.nit,
        facturas.len(),
        pesos_colombianos(saldo),
        pesos_colombianos(vencido)
    );
    if !n.mensaje.trim().is_empty() {
        cuerpo.push('\n');
        cuerpo.push_str(n.mensaje.trim());
        cuerpo.push('\n');
    }
    cuerpo.push_str(&format!("\nCordialmente,\nÁrea de cartera — {}\n", prestador.nombre));
    let remitente = direccion("smtp.remitente", &smtp.remitente)?;
    // A Message-ID of our own: mail servers and filters distrust messages without one, and it
    // lets a reply be traced to this reminder.
    let dominio = remitente.email.domain().to_string();
    let mut m = Message::builder()
        .message_id(Some(format!("<{}@{dominio}>", db::new_id())))
        .from(remitente)
        .to(para.clone())
        .subject(&asunto);
    for c in cc {
        m = m.cc(c);
    }
    let tipo = ContentType::parse(XLSX).map_err(|e| AppError::Internal(anyhow::anyhow!("content type: {e}")))?;
    let correo = m
        .multipart(
            MultiPart::mixed()
                .singlepart(SinglePart::plain(cuerpo))
                .singlepart(Attachment::new(adjunto.clone()).body(libro, tipo)),
        )
        .map_err(|e| AppError::Internal(anyhow::anyhow!("mensaje: {e}")))?;
    transporte(smtp)?
        .send(&correo)
        .map_err(|e| AppError::Correo(format!("el servidor de correo {} no aceptó el mensaje: {e}", smtp.host)))?;
    // Sent: the gestión and the events record it (a failure above records nothing).
    let gestion = NuevaGestion {
        tipo: TipoGestion::Correo,
        fecha: hoy,
        contacto: para.email.to_string(),
        resultado: format!(
            "estado de cuenta enviado: {} facturas, saldo {}",
            facturas.len(),
            pesos_colombianos(saldo)
        ),
        compromiso: String::new(),
        proximo_paso: String::new(),
        fecha_proximo_paso: None,
        facturas: facturas.iter().map(|f| f.id.clone()).collect(),
    };
    let gestion = db.write(|c| super::cobro::registrar_gestion_en(c, actor, hoy, pagador_id, &gestion, true))?;
    Ok(RecordatorioEnviado {
        para: para.email.to_string(),
        asunto,
        adjunto,
        facturas: facturas.len(),
        saldo: from_centavos(saldo),
        gestion,
    })
}

fn transporte(smtp: &Smtp) -> Result<SmtpTransport, AppError> {
    let error = |e: lettre::transport::smtp::Error| AppError::Correo(format!("servidor de correo {}: {e}", smtp.host));
    let b = match smtp.seguridad {
        SeguridadSmtp::Ninguna => SmtpTransport::builder_dangerous(&smtp.host),
        SeguridadSmtp::Starttls => SmtpTransport::starttls_relay(&smtp.host).map_err(error)?,
        SeguridadSmtp::Tls => SmtpTransport::relay(&smtp.host).map_err(error)?,
    };
    let mut b = b.port(smtp.port).timeout(Some(Duration::from_secs(30)));
    if !smtp.usuario.is_empty() {
        b = b.credentials(Credentials::new(smtp.usuario.clone(), smtp.clave.expose().to_string()));
    }
    Ok(b.build())
}

/// The statement of account a payer receives: its open invoices with dates and balances.
/// The payer's invoices with a balance at `hoy`, by the aging's definition (the ledger, glosas
/// accepted by silence): what the statement says is what every report says.
pub fn deuda_al_dia(
    c: &mut crate::db::AnyConnection,
    reglas: &Reglas,
    prestador_id: &str,
    pagador_id: &str,
    hoy: NaiveDate,
) -> Result<Vec<db::facturas::Factura>, AppError> {
    use crate::db::cartera::{saldos_por_factura, Base, Filtro};
    let filtro = Filtro {
        pagador_id: Some(pagador_id.to_string()),
        ..Default::default()
    };
    let silencio = super::cartera::silencio(reglas);
    let (al_dia, _) = saldos_por_factura(c, prestador_id, hoy, Base::Radicacion, silencio, &filtro, 0, i64::MAX)?;
    let saldos: std::collections::HashMap<String, i64> = al_dia.into_iter().map(|s| (s.factura_id, s.saldo)).collect();
    let ids: Vec<String> = saldos.keys().cloned().collect();
    let mut filas = db::facturas::por_ids(c, prestador_id, &ids)?;
    // What is in dispute moves with silence too, as in every list of invoices.
    let mut disputa: std::collections::HashMap<String, i64> = Default::default();
    for g in db::glosas::de_facturas(c, prestador_id, &ids)? {
        let (_, menos) = super::glosas::ajuste_por_silencio(&g, hoy, reglas);
        *disputa.entry(g.factura_id.clone()).or_default() += menos;
    }
    for f in &mut filas {
        f.saldo = saldos[&f.id];
        f.en_discusion -= disputa.get(&f.id).copied().unwrap_or(0);
    }
    filas.sort_by(|a, b| (a.fecha_expedicion, &a.numero).cmp(&(b.fecha_expedicion, &b.numero)));
    Ok(filas)
}

/// Days of mora of a statement's invoice (one definition: `domain::cobro::dias_mora`).
fn dias_mora(f: &db::facturas::Factura, hoy: NaiveDate) -> i64 {
    crate::domain::cobro::dias_mora(f.fecha_limite_pago, f.estado == EstadoFactura::Devuelta, hoy)
}

/// How far back the statement lists the payments received.
const DIAS_PAGOS: i64 = 365;

/// A payment received for the payer's invoices, with the third party that made it (ADRES giro
/// directo), if any.
pub type PagoRecibido = (db::pagos::Pago, Option<String>);

/// The payments that settle the payer's invoices in the year to `hoy`, the latest first —
/// including those a third party made on its behalf (Res. 2284/2023 art. 8): the statement
/// shows the debtor what was paid for it and by whom.
pub fn pagos_recibidos(
    c: &mut crate::db::AnyConnection,
    prestador_id: &str,
    pagador_id: &str,
    hoy: NaiveDate,
) -> Result<Vec<PagoRecibido>, AppError> {
    let f = db::pagos::Filtro {
        pagador_id: Some(pagador_id.to_string()),
        pagado_por_id: None,
        desde: Some(hoy - chrono::Duration::days(DIAS_PAGOS)),
        hasta: Some(hoy),
        sin_aplicar: false,
    };
    let (pagos, _) = db::pagos::listar(c, prestador_id, &f, 0, 10_000)?;
    let nombres = db::pagadores::nombres(c, prestador_id)?;
    Ok(pagos
        .into_iter()
        .map(|p| {
            let tercero = p.pagado_por_id.as_ref().and_then(|t| nombres.get(t).cloned());
            (p, tercero)
        })
        .collect())
}

pub fn estado_de_cuenta(
    prestador: &str,
    pagador: &str,
    nit: &str,
    hoy: NaiveDate,
    facturas: &[db::facturas::Factura],
    pagos: &[PagoRecibido],
) -> Result<Vec<u8>, AppError> {
    let recibidos = pagos
        .iter()
        .map(|(p, tercero)| {
            vec![
                Celda::Fecha(p.fecha),
                p.referencia.as_str().into(),
                p.medio.replace('_', " ").into(),
                tercero.clone().unwrap_or_else(|| pagador.to_string()).into(),
                Celda::Dinero(from_centavos(p.valor)),
                Celda::Dinero(from_centavos(p.valor_aplicado)),
            ]
        })
        .collect();
    let filas = facturas
        .iter()
        .map(|f| {
            vec![
                f.numero.as_str().into(),
                Celda::Fecha(f.fecha_expedicion),
                f.numero_radicado.clone().unwrap_or_default().into(),
                f.fecha_radicacion.into(),
                f.fecha_limite_pago.into(),
                Celda::Entero(dias_mora(f, hoy)),
                Celda::Dinero(from_centavos(f.valor_total - f.copagos - f.cuotas_moderadoras)),
                Celda::Dinero(from_centavos(f.en_discusion)),
                Celda::Dinero(from_centavos(f.saldo)),
            ]
        })
        .chain(std::iter::once(vec![
            "Total".into(),
            Celda::Vacia,
            Celda::Vacia,
            Celda::Vacia,
            Celda::Vacia,
            Celda::Vacia,
            Celda::Dinero(from_centavos(
                facturas
                    .iter()
                    .map(|f| f.valor_total - f.copagos - f.cuotas_moderadoras)
                    .sum(),
            )),
            Celda::Dinero(from_centavos(facturas.iter().map(|f| f.en_discusion).sum())),
            Celda::Dinero(from_centavos(facturas.iter().map(|f| f.saldo).sum())),
        ]))
        .collect();
    hoja::libro(&[
        Hoja {
            nombre: "Estado de cuenta".into(),
            encabezado: vec![
                ("Prestador".into(), prestador.into()),
                ("Pagador".into(), format!("{pagador} — NIT {nit}")),
                ("Fecha".into(), hoy.to_string()),
            ],
            columnas: vec![
                ("Factura", 16.0),
                ("Expedición", 12.0),
                ("Radicado", 16.0),
                ("Radicación", 12.0),
                ("Vence", 12.0),
                ("Días de mora", 10.0),
                ("Valor a cargo", 16.0),
                ("En discusión (glosas)", 16.0),
                ("Saldo", 16.0),
            ],
            filas,
        },
        Hoja {
            nombre: "Pagos recibidos".into(),
            encabezado: vec![
                ("Pagador".into(), format!("{pagador} — NIT {nit}")),
                ("Desde".into(), (hoy - chrono::Duration::days(DIAS_PAGOS)).to_string()),
            ],
            columnas: vec![
                ("Recibido", 12.0),
                ("Referencia", 20.0),
                ("Medio", 14.0),
                ("Pagado por", 28.0),
                ("Valor", 16.0),
                ("Aplicado a facturas", 16.0),
            ],
            filas: recibidos,
        },
    ])
}
