//! Conciliación de cartera with a payer: its statement of account (a sheet with its view of
//! each invoice's balance) set beside the prestador's books at the statement's cut-off, each
//! difference with its cause, as Circular Conjunta 030/2013 (MinSalud – Supersalud) asks the
//! parties to reconcile and report.

use std::collections::HashMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use super::hoja::{self, Celda, Hoja};
use super::numeros::Numeros;
use super::{Actor, AppError};
use crate::db::{self, cobro as dbc, AnyConnection, Db};
use crate::domain::cobro::{causa, CausaDiferencia, LadoPagador, LadoPrestador};
use crate::domain::money::{from_centavos, to_centavos};
use crate::domain::terminos::Reglas;
use crate::domain::Violation;
use trazo_importers::sheets::{self, Perfil};

/// One invoice of the reconciliation: both sides and why they differ.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FilaConciliacion {
    pub numero_factura: String,
    pub factura_id: Option<String>,
    /// The row of the payer's sheet, when the payer lists it.
    pub fila: Option<i32>,
    pub fecha_expedicion: Option<NaiveDate>,
    pub fecha_radicacion: Option<NaiveDate>,
    #[schema(value_type = Option<String>)]
    pub valor_prestador: Option<Decimal>,
    #[schema(value_type = Option<String>)]
    pub saldo_prestador: Option<Decimal>,
    #[schema(value_type = Option<String>)]
    pub pagado_prestador: Option<Decimal>,
    #[schema(value_type = Option<String>)]
    pub glosa_en_tramite: Option<Decimal>,
    #[schema(value_type = Option<String>)]
    pub valor_pagador: Option<Decimal>,
    #[schema(value_type = Option<String>)]
    pub glosado_pagador: Option<Decimal>,
    #[schema(value_type = Option<String>)]
    pub pagado_pagador: Option<Decimal>,
    #[schema(value_type = Option<String>)]
    pub saldo_pagador: Option<Decimal>,
    /// Prestador's balance minus payer's.
    #[schema(value_type = String)]
    pub diferencia: Decimal,
    pub causa: CausaDiferencia,
}

/// Totals of one cause.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ResumenCausa {
    pub causa: CausaDiferencia,
    pub facturas: i64,
    #[schema(value_type = String)]
    pub saldo_prestador: Decimal,
    #[schema(value_type = String)]
    pub saldo_pagador: Decimal,
    #[schema(value_type = String)]
    pub diferencia: Decimal,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Conciliacion {
    pub id: String,
    pub pagador_id: String,
    pub pagador: String,
    pub corte: NaiveDate,
    pub archivo: String,
    /// True when this very file had been received before: nothing new was recorded.
    pub duplicado: bool,
    #[schema(value_type = String)]
    pub saldo_prestador: Decimal,
    #[schema(value_type = String)]
    pub saldo_pagador: Decimal,
    #[schema(value_type = String)]
    pub diferencia: Decimal,
    pub resumen: Vec<ResumenCausa>,
    pub filas: Vec<FilaConciliacion>,
}

/// What the history of received statements asks for: `?pagador_id=&desde=&hasta=&page=&per_page=&formato=`
/// (`desde`/`hasta` bound the statements' cut-off).
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct ConsultaEstadosCuenta {
    pub pagador_id: Option<String>,
    /// Cut-off on or after this day.
    pub desde: Option<NaiveDate>,
    /// Cut-off on or before this day.
    pub hasta: Option<NaiveDate>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
    /// `xlsx` for a workbook of every statement that matches.
    pub formato: Option<String>,
}

/// At most this many statements in a workbook: a payer sends one a month, so this is decades
/// of every payer, and it keeps the ids the query binds under SQLite's limit of variables.
const FILAS_XLSX: i64 = 20_000;

/// A statement received, as the history lists it; `GET /estados-cuenta/{id}` reconciles it.
#[derive(Debug, Serialize, ToSchema)]
pub struct EstadoCuentaRecibido {
    pub id: String,
    pub pagador_id: String,
    pub pagador: String,
    pub corte: NaiveDate,
    pub archivo: String,
    /// Invoices the payer listed.
    pub facturas: i64,
    /// What the payer says it owes, in all.
    #[schema(value_type = String)]
    pub saldo_pagador: Decimal,
    /// The e-mail of who received it.
    pub usuario: String,
    pub recibido_en: chrono::DateTime<chrono::Utc>,
}

/// The statements received, the latest cut-off first; `todas` gives every match (a workbook).
pub fn listar(
    db: &Db,
    actor: &Actor,
    q: &ConsultaEstadosCuenta,
    todas: bool,
) -> Result<super::Lista<EstadoCuentaRecibido>, AppError> {
    actor.exigir(super::cartera::LECTORES, "ver los estados de cuenta recibidos")?;
    let pagina = super::Pagina::new(q.page, q.per_page)?;
    let (offset, limit) = pagina.rango(todas, FILAS_XLSX);
    let pid = &actor.prestador_id;
    let ((filas, total), nombres) = db.read(|c| {
        Ok::<_, AppError>((
            dbc::estados_cuenta(c, pid, q.pagador_id.as_deref(), q.desde, q.hasta, offset, limit)?,
            db::pagadores::nombres(c, pid)?,
        ))
    })?;
    let items = filas
        .into_iter()
        .map(|x| EstadoCuentaRecibido {
            pagador: nombres.get(&x.estado.pagador_id).cloned().unwrap_or_default(),
            id: x.estado.id,
            pagador_id: x.estado.pagador_id,
            corte: x.estado.corte,
            archivo: x.estado.archivo,
            facturas: x.filas,
            saldo_pagador: from_centavos(x.saldo_pagador),
            usuario: x.usuario,
            recibido_en: x.estado.creado_en.and_utc(),
        })
        .collect();
    Ok(super::Lista { items, total })
}

/// The history as a workbook: one row per statement, in the list's order.
pub fn xlsx_recibidos(l: &super::Lista<EstadoCuentaRecibido>) -> Result<Vec<u8>, AppError> {
    let filas = l
        .items
        .iter()
        .map(|e| {
            vec![
                e.pagador.as_str().into(),
                Celda::Fecha(e.corte),
                e.archivo.as_str().into(),
                Celda::Entero(e.facturas),
                Celda::Dinero(e.saldo_pagador),
                e.usuario.as_str().into(),
                hoja::hora_bogota(e.recibido_en).into(),
            ]
        })
        .collect();
    hoja::libro(&[Hoja {
        nombre: "Estados de cuenta".into(),
        encabezado: vec![("Estados de cuenta".into(), l.total.to_string())],
        columnas: vec![
            ("Pagador", 30.0),
            ("Corte", 12.0),
            ("Archivo", 30.0),
            ("Facturas", 10.0),
            ("Saldo según el pagador", 18.0),
            ("Recibido por", 30.0),
            ("Recibido (hora de Bogotá)", 18.0),
        ],
        filas,
    }])
}

/// Receives a payer's statement of account with cut-off `corte` and reconciles it.
#[allow(clippy::too_many_arguments)]
pub fn recibir(
    db: &Db,
    perfil: &Perfil,
    reglas: &Reglas,
    actor: &Actor,
    hoy: NaiveDate,
    pagador_id: &str,
    corte: NaiveDate,
    archivo: &str,
    bytes: &[u8],
) -> Result<Conciliacion, AppError> {
    actor.exigir(super::cobro::GESTORES, "conciliar la cartera con un pagador")?;
    super::no_futura("corte", corte, hoy)?;
    let filas = sheets::leer_estado_cuenta(bytes, archivo, perfil).map_err(|errores| {
        AppError::Invalid(errores.iter().map(|e| Violation::new(archivo, e.to_string())).collect())
    })?;
    let hash = super::importaciones::hash(bytes);
    let (id, duplicado) = db.write(|c| {
        super::pagadores::buscar(c, &actor.prestador_id, pagador_id)?;
        if let Some(e) = dbc::estado_cuenta_por_hash(c, &actor.prestador_id, pagador_id, &hash)? {
            return Ok((e.id, true));
        }
        let mut errores = Vec::new();
        let centavos = |v: Decimal, fila: usize, campo: &str, errores: &mut Vec<Violation>| {
            to_centavos(v).unwrap_or_else(|e| {
                errores.push(Violation::new(
                    format!("{archivo}: fila {fila}: {campo}"),
                    e.to_string(),
                ));
                0
            })
        };
        let e = dbc::EstadoCuenta {
            id: db::new_id(),
            prestador_id: actor.prestador_id.clone(),
            pagador_id: pagador_id.into(),
            corte,
            archivo: archivo.into(),
            hash: hash.clone(),
            actor_id: actor.usuario_id.clone(),
            creado_en: db::now(),
        };
        let mut guardadas = Vec::with_capacity(filas.len());
        for f in &filas {
            let mut opcional = |v: Option<Decimal>, campo: &str| v.map(|v| centavos(v, f.fila, campo, &mut errores));
            let valor_factura = opcional(f.valor_factura, "valor_factura");
            let valor_glosado = opcional(f.valor_glosado, "valor_glosado");
            let valor_pagado = opcional(f.valor_pagado, "valor_pagado");
            guardadas.push(dbc::FilaEstadoCuenta {
                id: db::new_id(),
                prestador_id: actor.prestador_id.clone(),
                estado_cuenta_id: e.id.clone(),
                fila: f.fila as i32,
                numero_factura: f.numero_factura.clone(),
                valor_factura,
                valor_glosado,
                valor_pagado,
                saldo: centavos(f.saldo, f.fila, "saldo", &mut errores),
            });
        }
        if !errores.is_empty() {
            return Err(AppError::Invalid(errores));
        }
        dbc::insertar_estado_cuenta(c, &e, &guardadas)?;
        // The invoices it touches learn of it, with what the payer says of each.
        let r = conciliar(c, reglas, &actor.prestador_id, &e, &guardadas)?;
        let ids: Vec<String> = r.iter().filter_map(|f| f.factura_id.clone()).collect();
        let facturas = db::facturas::por_ids(c, &actor.prestador_id, &ids)?;
        let eventos: Vec<_> = facturas
            .iter()
            .filter_map(|f| {
                let fila = r.iter().find(|x| x.factura_id.as_deref() == Some(f.id.as_str()))?;
                Some(super::ciclo::nuevo_evento(
                    actor,
                    &f.id,
                    "estado_cuenta_pagador",
                    corte,
                    json!({"estado_cuenta_id": e.id, "archivo": archivo, "saldo_pagador": fila.saldo_pagador,
                           "diferencia": fila.diferencia, "causa": fila.causa}),
                    (f.saldo, f.en_discusion),
                ))
            })
            .collect();
        db::eventos::insertar(c, &eventos)?;
        Ok((e.id, false))
    })?;
    let mut r = obtener(db, reglas, actor, &id)?;
    r.duplicado = duplicado;
    Ok(r)
}

/// Both sides of every invoice: those the payer lists, and those with a balance in the books
/// the payer does not list.
pub fn conciliar(
    c: &mut AnyConnection,
    reglas: &Reglas,
    prestador_id: &str,
    e: &dbc::EstadoCuenta,
    filas: &[dbc::FilaEstadoCuenta],
) -> Result<Vec<FilaConciliacion>, AppError> {
    let silencio = super::cartera::silencio(reglas);
    let nuestras = db::cartera::facturas_al_corte(c, prestador_id, &e.pagador_id, e.corte, silencio)?;
    let numeros = Numeros::de(nuestras.iter().map(|f| (f.numero.clone(), f.factura_id.clone())));
    let por_id: HashMap<&str, &db::cartera::FacturaAlCorte> =
        nuestras.iter().map(|f| (f.factura_id.as_str(), f)).collect();
    let lado = |f: &db::cartera::FacturaAlCorte| LadoPrestador {
        radicada: f.fecha_radicacion.is_some(),
        devuelta: f.estado == "devuelta",
        saldo: f.saldo,
        pagado: f.pagado,
        en_discusion: f.en_discusion,
    };
    let dinero = |v: i64| Some(from_centavos(v));
    let mut vistas: Vec<&str> = Vec::new();
    let mut out = Vec::new();
    for q in filas {
        let nuestra = numeros
            .buscar(&q.numero_factura)
            .and_then(|id| por_id.get(id.as_str()).copied());
        let p = nuestra.map(lado);
        let pagador = LadoPagador {
            saldo: q.saldo,
            pagado: q.valor_pagado,
            glosado: q.valor_glosado,
        };
        let (causa, diferencia) = causa(p.as_ref(), Some(&pagador));
        if let Some(f) = nuestra {
            vistas.push(&f.factura_id);
        }
        out.push(FilaConciliacion {
            numero_factura: nuestra.map_or(q.numero_factura.clone(), |f| f.numero.clone()),
            factura_id: nuestra.map(|f| f.factura_id.clone()),
            fila: Some(q.fila),
            fecha_expedicion: nuestra.map(|f| f.fecha_expedicion),
            fecha_radicacion: nuestra.and_then(|f| f.fecha_radicacion),
            valor_prestador: nuestra.and_then(|f| dinero(f.valor)),
            saldo_prestador: nuestra.and_then(|f| dinero(f.saldo)),
            pagado_prestador: nuestra.and_then(|f| dinero(f.pagado)),
            glosa_en_tramite: nuestra.and_then(|f| dinero(f.en_discusion)),
            valor_pagador: q.valor_factura.map(from_centavos),
            glosado_pagador: q.valor_glosado.map(from_centavos),
            pagado_pagador: q.valor_pagado.map(from_centavos),
            saldo_pagador: dinero(q.saldo),
            diferencia: from_centavos(diferencia),
            causa,
        });
    }
    for f in nuestras
        .iter()
        .filter(|f| f.saldo > 0 && !vistas.contains(&f.factura_id.as_str()))
    {
        let (causa, diferencia) = causa(Some(&lado(f)), None);
        out.push(FilaConciliacion {
            numero_factura: f.numero.clone(),
            factura_id: Some(f.factura_id.clone()),
            fila: None,
            fecha_expedicion: Some(f.fecha_expedicion),
            fecha_radicacion: f.fecha_radicacion,
            valor_prestador: dinero(f.valor),
            saldo_prestador: dinero(f.saldo),
            pagado_prestador: dinero(f.pagado),
            glosa_en_tramite: dinero(f.en_discusion),
            valor_pagador: None,
            glosado_pagador: None,
            pagado_pagador: None,
            saldo_pagador: None,
            diferencia: from_centavos(diferencia),
            causa,
        });
    }
    Ok(out)
}

/// The reconciliation of a statement received, as the books stand now.
pub fn obtener(db: &Db, reglas: &Reglas, actor: &Actor, id: &str) -> Result<Conciliacion, AppError> {
    actor.exigir(super::cartera::LECTORES, "ver la conciliación de cartera")?;
    db.read(|c| {
        let (e, filas) = dbc::estado_cuenta(c, &actor.prestador_id, id)?
            .ok_or_else(|| AppError::not_found("un estado de cuenta"))?;
        let pagador = super::pagadores::buscar(c, &actor.prestador_id, &e.pagador_id)?;
        let filas = conciliar(c, reglas, &actor.prestador_id, &e, &filas)?;
        let mut resumen: Vec<ResumenCausa> = Vec::new();
        let cero = from_centavos(0);
        for f in &filas {
            let i = match resumen.iter().position(|r| r.causa == f.causa) {
                Some(i) => i,
                None => {
                    resumen.push(ResumenCausa {
                        causa: f.causa,
                        facturas: 0,
                        saldo_prestador: cero,
                        saldo_pagador: cero,
                        diferencia: cero,
                    });
                    resumen.len() - 1
                }
            };
            let r = &mut resumen[i];
            r.facturas += 1;
            r.saldo_prestador += f.saldo_prestador.unwrap_or(cero);
            r.saldo_pagador += f.saldo_pagador.unwrap_or(cero);
            r.diferencia += f.diferencia;
        }
        resumen.sort_by_key(|r| CausaDiferencia::ALL.iter().position(|c| *c == r.causa));
        let saldo_prestador = resumen.iter().map(|r| r.saldo_prestador).sum();
        let saldo_pagador = resumen.iter().map(|r| r.saldo_pagador).sum();
        Ok(Conciliacion {
            id: e.id,
            pagador_id: e.pagador_id,
            pagador: pagador.nombre,
            corte: e.corte,
            archivo: e.archivo,
            duplicado: false,
            saldo_prestador,
            saldo_pagador,
            diferencia: saldo_prestador - saldo_pagador,
            resumen,
            filas,
        })
    })
}

/// What each cause means, for the people reading the workbook.
fn explicar(c: CausaDiferencia) -> &'static str {
    match c {
        CausaDiferencia::Conciliada => "Conciliada: el mismo saldo en ambos lados",
        CausaDiferencia::Pagada => "Pagada: ninguno registra saldo",
        CausaDiferencia::NoRadicada => "Factura no radicada ante el pagador",
        CausaDiferencia::Devuelta => "Factura devuelta por el pagador, pendiente de radicar de nuevo",
        CausaDiferencia::NoReconocidaPagador => "Radicada, pero el pagador no la reconoce en su estado de cuenta",
        CausaDiferencia::NoRegistradaPrestador => "El pagador la reporta y el prestador no la tiene",
        CausaDiferencia::PagoNoAplicado => "Pago del pagador que el prestador no ha aplicado",
        CausaDiferencia::GlosaEnTramite => "Glosa en trámite: el pagador descuenta lo que está en discusión",
        CausaDiferencia::DiferenciaValor => "Diferencia de valor por aclarar",
    }
}

/// The side-by-side as a workbook: the prestador's columns, the payer's, the difference and its
/// cause (the conciliation table of Circular Conjunta 030/2013 — verify its columns), with a
/// summary sheet by cause.
pub fn xlsx(r: &Conciliacion, prestador: (&str, &str), pagador_nit: &str) -> Result<Vec<u8>, AppError> {
    let encabezado = vec![
        (
            "Prestador (IPS)".to_string(),
            format!("{} — NIT {}", prestador.1, prestador.0),
        ),
        (
            "Pagador (ERP)".to_string(),
            format!("{} — NIT {}", r.pagador, pagador_nit),
        ),
        ("Fecha de corte".to_string(), r.corte.to_string()),
        ("Estado de cuenta".to_string(), r.archivo.clone()),
    ];
    let d = |v: Option<Decimal>| v.map_or(Celda::Vacia, Celda::Dinero);
    let detalle = r
        .filas
        .iter()
        .map(|f| {
            vec![
                f.numero_factura.as_str().into(),
                f.fecha_expedicion.into(),
                f.fecha_radicacion.into(),
                d(f.valor_prestador),
                d(f.pagado_prestador),
                d(f.glosa_en_tramite),
                d(f.saldo_prestador),
                d(f.valor_pagador),
                d(f.glosado_pagador),
                d(f.pagado_pagador),
                d(f.saldo_pagador),
                Celda::Dinero(f.diferencia),
                f.causa.as_str().into(),
                explicar(f.causa).into(),
            ]
        })
        .collect();
    let resumen = r
        .resumen
        .iter()
        .map(|x| {
            vec![
                x.causa.as_str().into(),
                explicar(x.causa).into(),
                Celda::Entero(x.facturas),
                Celda::Dinero(x.saldo_prestador),
                Celda::Dinero(x.saldo_pagador),
                Celda::Dinero(x.diferencia),
            ]
        })
        .chain([vec![
            "TOTAL".into(),
            Celda::Vacia,
            Celda::Entero(r.filas.len() as i64),
            Celda::Dinero(r.saldo_prestador),
            Celda::Dinero(r.saldo_pagador),
            Celda::Dinero(r.diferencia),
        ]])
        .collect();
    hoja::libro(&[
        Hoja {
            nombre: "Conciliación".into(),
            encabezado: encabezado.clone(),
            columnas: vec![
                ("Número de factura", 16.0),
                ("Fecha de expedición", 12.0),
                ("Fecha de radicación", 12.0),
                ("Valor factura IPS", 16.0),
                ("Pagos aplicados IPS", 16.0),
                ("Glosa en trámite IPS", 16.0),
                ("Saldo IPS", 16.0),
                ("Valor factura ERP", 16.0),
                ("Glosado ERP", 16.0),
                ("Pagado ERP", 16.0),
                ("Saldo ERP", 16.0),
                ("Diferencia", 16.0),
                ("Causa", 22.0),
                ("Explicación", 60.0),
            ],
            filas: detalle,
        },
        Hoja {
            nombre: "Resumen".into(),
            encabezado,
            columnas: vec![
                ("Causa", 22.0),
                ("Explicación", 60.0),
                ("Facturas", 10.0),
                ("Saldo IPS", 16.0),
                ("Saldo ERP", 16.0),
                ("Diferencia", 16.0),
            ],
            filas: resumen,
        },
    ])
}

/// The names the workbook's header needs: (prestador NIT, prestador name, payer NIT).
pub fn partes(db: &Db, actor: &Actor, pagador_id: &str) -> Result<(String, String, String), AppError> {
    db.read(|c| {
        let p = db::prestadores::por_id(c, &actor.prestador_id)?
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("prestador {} sin fila", actor.prestador_id)))?;
        let q = super::pagadores::buscar(c, &actor.prestador_id, pagador_id)?;
        Ok((p.nit, p.nombre, q.nit))
    })
}
