//! Invoices: registering them with their lines, reading them.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::ciclo::Expediente;
use super::{Actor, AppError, Lista, Pagina};
use crate::db::{self, eventos::Evento, facturas::Factura, facturas::Item, movimientos::Movimiento, AnyConnection, Db};
use crate::domain::factura::{self as dominio, EstadoFactura, FacturaEntrada, FacturaValida, ItemEntrada};
use crate::domain::money::from_centavos;
use crate::domain::rol::Rol;
use crate::domain::terminos::Terminos;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NuevoItem {
    /// CUPS, CUM or the prestador's own code.
    #[schema(example = "890201")]
    pub codigo: String,
    pub descripcion: String,
    #[schema(value_type = crate::app::DecimalExacto, example = "1")]
    #[serde(deserialize_with = "crate::app::exacto::requerido")]
    pub cantidad: Decimal,
    #[schema(value_type = crate::app::DecimalExacto, example = "45000.00")]
    #[serde(deserialize_with = "crate::app::exacto::requerido")]
    pub valor_unitario: Decimal,
    #[schema(value_type = crate::app::DecimalExacto, example = "45000.00")]
    #[serde(deserialize_with = "crate::app::exacto::requerido")]
    pub valor_total: Decimal,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NuevaFactura {
    /// Prefijo + consecutivo, unique per prestador.
    #[schema(example = "FEV-10023")]
    pub numero: String,
    pub pagador_id: String,
    pub fecha_expedicion: chrono::NaiveDate,
    /// Value of the services; when `items` are sent it must be their sum.
    #[schema(value_type = crate::app::DecimalExacto, example = "1250000.00")]
    #[serde(deserialize_with = "crate::app::exacto::requerido")]
    pub valor_total: Decimal,
    #[schema(value_type = Option<crate::app::DecimalExacto>, example = "0.00")]
    #[serde(default, deserialize_with = "crate::app::exacto::opcional")]
    pub copagos: Option<Decimal>,
    #[schema(value_type = Option<crate::app::DecimalExacto>, example = "0.00")]
    #[serde(default, deserialize_with = "crate::app::exacto::opcional")]
    pub cuotas_moderadoras: Option<Decimal>,
    pub cufe: Option<String>,
    pub contrato_id: Option<String>,
    #[serde(default)]
    pub items: Vec<NuevoItem>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ItemVista {
    pub linea: i32,
    pub codigo: String,
    pub descripcion: String,
    #[schema(value_type = String)]
    pub cantidad: Decimal,
    #[schema(value_type = String)]
    pub valor_unitario: Decimal,
    #[schema(value_type = String)]
    pub valor_total: Decimal,
    /// Taxes of the line (IVA, INC...) over `valor_total`, as the electronic invoice states them.
    #[schema(value_type = String)]
    pub impuestos: Decimal,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FacturaVista {
    pub id: String,
    pub numero: String,
    pub pagador_id: String,
    pub contrato_id: Option<String>,
    pub cufe: Option<String>,
    pub fecha_expedicion: chrono::NaiveDate,
    #[schema(value_type = String, example = "1250000.00")]
    pub valor_total: Decimal,
    #[schema(value_type = String)]
    pub copagos: Decimal,
    #[schema(value_type = String)]
    pub cuotas_moderadoras: Decimal,
    pub estado: EstadoFactura,
    /// What the payer still owes.
    #[schema(value_type = String)]
    pub saldo: Decimal,
    /// Value of glosas still open.
    #[schema(value_type = String)]
    pub en_discusion: Decimal,
    pub numero_radicado: Option<String>,
    pub fecha_radicacion: Option<chrono::NaiveDate>,
    /// Last day the prestador had to radicate.
    pub fecha_limite_radicacion: Option<chrono::NaiveDate>,
    /// Last day the payer had to glosar (from the radicación in force).
    pub fecha_limite_glosa: Option<chrono::NaiveDate>,
    /// Payment due date (from the radicación in force).
    pub fecha_limite_pago: Option<chrono::NaiveDate>,
    pub version: i32,
    /// Present when one invoice is read, absent in lists.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub items: Option<Vec<ItemVista>>,
    /// The invoice's glosas (when one invoice is read).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub glosas: Option<Vec<super::glosas::GlosaVista>>,
    /// The invoice's devoluciones (when one invoice is read).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub devoluciones: Option<Vec<super::devoluciones::DevolucionVista>>,
    /// A devolución was accepted (RE9701 or silence, Res. 2284/2023 art. 6.2): issue the nota
    /// crédito or radicate the corrected invoice again (when one invoice is read).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub nota_credito_debida: Option<bool>,
    /// Deadlines still running or missed (when one invoice is read).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub plazos: Option<Vec<super::plazos::Plazo>>,
}

/// The invoice as the API shows it. `saldo` and `en_discusion` are as of `hoy`, with
/// acceptance and lifting by silence applied.
fn vista(f: Factura, saldo: i64, en_discusion: i64) -> FacturaVista {
    FacturaVista {
        estado: f.estado,
        saldo: from_centavos(saldo),
        en_discusion: from_centavos(en_discusion),
        valor_total: from_centavos(f.valor_total),
        copagos: from_centavos(f.copagos),
        cuotas_moderadoras: from_centavos(f.cuotas_moderadoras),
        id: f.id,
        numero: f.numero,
        pagador_id: f.pagador_id,
        contrato_id: f.contrato_id,
        cufe: f.cufe,
        fecha_expedicion: f.fecha_expedicion,
        numero_radicado: f.numero_radicado,
        fecha_radicacion: f.fecha_radicacion,
        fecha_limite_radicacion: f.fecha_limite_radicacion,
        fecha_limite_glosa: f.fecha_limite_glosa,
        fecha_limite_pago: f.fecha_limite_pago,
        version: f.version,
        items: None,
        glosas: None,
        devoluciones: None,
        nota_credito_debida: None,
        plazos: None,
    }
}

fn item_vista(i: Item) -> ItemVista {
    ItemVista {
        linea: i.linea,
        cantidad: i.cantidad.parse().unwrap_or_default(),
        valor_unitario: from_centavos(i.valor_unitario),
        valor_total: from_centavos(i.valor_total),
        impuestos: from_centavos(i.impuestos),
        codigo: i.codigo,
        descripcion: i.descripcion,
    }
}

/// The full view of one loaded invoice: lines, glosas and running deadlines.
pub fn vista_completa(e: Expediente, t: &Terminos, hoy: chrono::NaiveDate) -> Result<FacturaVista, AppError> {
    let saldo = e.dominio.saldo(hoy, &t.reglas);
    let en_discusion = e.dominio.en_discusion(hoy, &t.reglas);
    let plazos = super::plazos::de_factura(&e, t, hoy);
    let glosas = e.glosas.iter().map(|g| super::glosas::vista(g, hoy, t)).collect();
    let devoluciones = super::devoluciones::de_expediente(&e, t, hoy)?;
    let estado = e.dominio.estado(hoy, &t.reglas);
    let nota_credito_debida = e.dominio.nota_credito_debida(hoy, &t.reglas);
    let mut v = vista(e.fila, saldo, en_discusion);
    // Silence moves the state as days pass (a devolución found unjustified puts the invoice
    // back with the payer): the stored one is as recorded.
    v.estado = estado;
    v.nota_credito_debida = Some(nota_credito_debida);
    v.items = Some(e.items.into_iter().map(item_vista).collect());
    v.glosas = Some(glosas);
    v.devoluciones = Some(devoluciones);
    v.plazos = Some(plazos);
    Ok(v)
}

/// An invoice checked against the domain and the tenant's payers, ready to insert.
pub struct FacturaLista {
    pub factura: FacturaValida,
    pub pagador_id: String,
    pub contrato_id: Option<String>,
    /// What the source says beyond the invoice's own fields, kept in its `expedida` event (a
    /// DIAN invoice in another currency: the currency, rate and amounts as written).
    pub origen: Option<serde_json::Value>,
}

/// Inserts checked invoices with their lines and their first event, in the caller's
/// transaction. Returns the rows as stored.
pub fn insertar(
    c: &mut AnyConnection,
    actor: &Actor,
    terminos: &Terminos,
    lote: Vec<FacturaLista>,
) -> Result<Vec<Factura>, AppError> {
    let now = db::now();
    let mut movimientos = Vec::with_capacity(lote.len());
    let mut facturas = Vec::with_capacity(lote.len());
    let mut items = Vec::new();
    let mut eventos = Vec::with_capacity(lote.len());
    for FacturaLista {
        factura: v,
        pagador_id,
        contrato_id,
        origen,
    } in lote
    {
        let id = db::new_id();
        let a_cargo = v.valor_a_cargo_pagador();
        for (i, it) in v.items.iter().enumerate() {
            items.push(Item {
                id: db::new_id(),
                prestador_id: actor.prestador_id.clone(),
                factura_id: id.clone(),
                linea: i as i32 + 1,
                codigo: it.codigo.clone(),
                descripcion: it.descripcion.clone(),
                cantidad: it.cantidad.to_string(),
                valor_unitario: it.valor_unitario,
                valor_total: it.valor_total,
                impuestos: it.impuestos,
            });
        }
        movimientos.push(
            Movimiento::new(
                &actor.prestador_id,
                &id,
                db::movimientos::CARGO,
                v.valor_a_cargo_pagador(),
                v.fecha_expedicion,
            )
            .de(db::movimientos::origen::FACTURA, &id, &v.numero),
        );
        eventos.push(Evento {
            id: db::new_id(),
            prestador_id: actor.prestador_id.clone(),
            factura_id: id.clone(),
            tipo: "expedida".into(),
            datos: {
                let mut datos = serde_json::json!({
                    "numero": v.numero,
                    "valor_total": from_centavos(v.valor_total),
                    "items": v.items.len(),
                    "saldo": from_centavos(v.valor_a_cargo_pagador()),
                    "en_discusion": from_centavos(0),
                    "termino": {"nombre": "radicacion", "abre": true, "vence": terminos.radicacion.vence(v.fecha_expedicion), "fuente": terminos.radicacion.fuente},
                });
                if let (Some(o), serde_json::Value::Object(m)) = (origen, &mut datos) {
                    m.insert("origen".into(), o);
                }
                datos
            }
            .to_string(),
            actor_id: actor.usuario_id.clone(),
            fecha: v.fecha_expedicion,
            registrado_en: now,
        });
        facturas.push(Factura {
            id,
            prestador_id: actor.prestador_id.clone(),
            pagador_id,
            contrato_id,
            numero: v.numero,
            cufe: v.cufe,
            fecha_expedicion: v.fecha_expedicion,
            valor_total: v.valor_total,
            copagos: v.copagos,
            cuotas_moderadoras: v.cuotas_moderadoras,
            estado: EstadoFactura::Expedida,
            version: 1,
            creado_en: now,
            numero_radicado: None,
            fecha_radicacion: None,
            // Res. 2284/2023 (terminos.radicacion): the prestador's term to radicate.
            fecha_limite_radicacion: Some(terminos.radicacion.vence(v.fecha_expedicion)),
            fecha_limite_glosa: None,
            fecha_limite_pago: None,
            saldo: a_cargo,
            en_discusion: 0,
        });
    }
    db::facturas::insertar(c, &facturas, &items)?;
    db::movimientos::insertar(c, &movimientos)?;
    db::eventos::insertar(c, &eventos)?;
    Ok(facturas)
}

/// Who registers invoices one by one.
pub const REGISTRAN: &[Rol] = &[Rol::Facturacion];

pub fn crear(db: &Db, t: &Terminos, hoy: NaiveDate, actor: &Actor, n: NuevaFactura) -> Result<FacturaVista, AppError> {
    actor.exigir(REGISTRAN, "registrar facturas")?;
    let entrada = FacturaEntrada {
        numero: n.numero,
        fecha_expedicion: n.fecha_expedicion,
        valor_total: n.valor_total,
        copagos: n.copagos.unwrap_or_default(),
        cuotas_moderadoras: n.cuotas_moderadoras.unwrap_or_default(),
        cufe: n.cufe,
        items: n
            .items
            .into_iter()
            .map(|i| ItemEntrada {
                codigo: i.codigo,
                descripcion: i.descripcion,
                cantidad: i.cantidad,
                valor_unitario: i.valor_unitario,
                valor_total: i.valor_total,
            })
            .collect(),
    };
    let valida = dominio::validar(entrada, hoy).map_err(AppError::Invalid)?;
    let (pagador_id, contrato_id) = (n.pagador_id, n.contrato_id);
    let id = db.write(|c| {
        super::pagadores::buscar(c, &actor.prestador_id, &pagador_id)?;
        if let Some(cid) = &contrato_id {
            match db::contratos::por_id(c, &actor.prestador_id, cid)? {
                None => return Err(AppError::not_found("un contrato")),
                Some(x) if x.pagador_id != pagador_id => {
                    return Err(AppError::invalid("contrato_id", "el contrato es de otro pagador"))
                }
                Some(_) => {}
            }
        }
        if db::facturas::existe_numero(c, &actor.prestador_id, &valida.numero)? {
            return Err(AppError::Conflict(format!("ya existe la factura {}", valida.numero)));
        }
        let mut filas = insertar(
            c,
            actor,
            t,
            vec![FacturaLista {
                factura: valida,
                pagador_id,
                contrato_id,
                origen: None,
            }],
        )?;
        Ok(filas.remove(0).id)
    })?;
    obtener(db, t, hoy, actor, &id)
}

pub fn obtener(db: &Db, t: &Terminos, hoy: NaiveDate, actor: &Actor, id: &str) -> Result<FacturaVista, AppError> {
    let e = db.read(|c| super::ciclo::cargar(c, t, &actor.prestador_id, id))?;
    vista_completa(e, t, hoy)
}

/// What a list of invoices asks for: `?estado=&pagador_id=&desde=&hasta=&q=&page=&per_page=`.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct ConsultaFacturas {
    pub estado: Option<String>,
    pub pagador_id: Option<String>,
    /// Issued on or after this date.
    pub desde: Option<chrono::NaiveDate>,
    /// Issued on or before this date.
    pub hasta: Option<chrono::NaiveDate>,
    /// Part of the number (with or without its prefix) or of the radicado, or the whole CUFE.
    pub q: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
    /// `xlsx` for a workbook of every invoice that matches.
    pub formato: Option<String>,
}

/// An invoice in a list, with its payer's name.
#[derive(Debug, Serialize, ToSchema)]
pub struct FacturaEnLista {
    #[serde(flatten)]
    pub factura: FacturaVista,
    pub pagador: String,
}

/// At most this many invoices in a workbook.
const FILAS_XLSX: i64 = 200_000;

/// Invoices, the latest issued first; `todas` gives every match (a workbook).
pub fn listar(
    db: &Db,
    t: &Terminos,
    hoy: NaiveDate,
    actor: &Actor,
    consulta: ConsultaFacturas,
    todas: bool,
) -> Result<Lista<FacturaEnLista>, AppError> {
    let pagina = Pagina::new(consulta.page, consulta.per_page)?;
    let (offset, limit) = pagina.rango(todas, FILAS_XLSX);
    let filtro = db::facturas::Filtro {
        estado: consulta.estado,
        pagador_id: consulta.pagador_id,
        desde: consulta.desde,
        hasta: consulta.hasta,
        q: consulta.q,
    };
    if let Some(e) = &filtro.estado {
        e.parse::<EstadoFactura>()
            .map_err(|err| AppError::invalid("estado", err.to_string()))?;
    }
    db.read(|c| {
        let (filas, total) = db::facturas::listar(c, &actor.prestador_id, &filtro, offset, limit)?;
        let nombres = db::pagadores::nombres(c, &actor.prestador_id)?;
        // Balances move by silence as days pass: apply it to the page from its glosas.
        let ids: Vec<String> = filas.iter().map(|f| f.id.clone()).collect();
        let mut ajustes: std::collections::HashMap<String, (i64, i64)> = Default::default();
        for g in db::glosas::de_facturas(c, &actor.prestador_id, &ids)? {
            let (ds, dd) = super::glosas::ajuste_por_silencio(&g, hoy, &t.reglas);
            let a = ajustes.entry(g.factura_id.clone()).or_default();
            a.0 += ds;
            a.1 += dd;
        }
        // A devolución's silences move the state too (Res. 2284/2023 art. 6.3): the page's
        // returned invoices are read whole, the others keep their stored state.
        let devueltas: Vec<String> = filas
            .iter()
            .filter(|f| f.estado == EstadoFactura::Devuelta)
            .map(|f| f.id.clone())
            .collect();
        let estados: std::collections::HashMap<String, EstadoFactura> =
            super::ciclo::cargar_varias(c, t, &actor.prestador_id, &devueltas)?
                .into_iter()
                .map(|e| (e.fila.id.clone(), e.dominio.estado(hoy, &t.reglas)))
                .collect();
        let items = filas
            .into_iter()
            .map(|f| {
                let (ds, dd) = ajustes.get(&f.id).copied().unwrap_or_default();
                let (saldo, en_discusion) = (f.saldo - ds, f.en_discusion - dd);
                let estado = estados.get(&f.id).copied();
                let pagador = nombres.get(&f.pagador_id).cloned().unwrap_or_default();
                let mut v = vista(f, saldo, en_discusion);
                if let Some(e) = estado {
                    v.estado = e;
                }
                FacturaEnLista { factura: v, pagador }
            })
            .collect();
        Ok(Lista { items, total })
    })
}

/// The list as a workbook, one row per invoice.
pub fn xlsx(l: &Lista<FacturaEnLista>) -> Result<Vec<u8>, AppError> {
    use super::hoja::{self, Celda, Hoja};
    let filas = l
        .items
        .iter()
        .map(|x| {
            let f = &x.factura;
            vec![
                f.numero.as_str().into(),
                x.pagador.as_str().into(),
                Celda::Fecha(f.fecha_expedicion),
                Celda::Dinero(f.valor_total),
                f.estado.as_str().into(),
                f.numero_radicado.clone().unwrap_or_default().into(),
                f.fecha_radicacion.into(),
                Celda::Dinero(f.saldo),
                Celda::Dinero(f.en_discusion),
                f.fecha_limite_glosa.into(),
                f.fecha_limite_pago.into(),
            ]
        })
        .collect();
    hoja::libro(&[Hoja {
        nombre: "Facturas".into(),
        encabezado: vec![("Facturas".into(), l.total.to_string())],
        columnas: vec![
            ("Factura", 16.0),
            ("Pagador", 30.0),
            ("Expedición", 12.0),
            ("Valor", 16.0),
            ("Estado", 14.0),
            ("Radicado", 18.0),
            ("Radicación", 12.0),
            ("Saldo", 16.0),
            ("En discusión", 16.0),
            ("Vence glosa", 12.0),
            ("Vence pago", 12.0),
        ],
        filas,
    }])
}

/// A correction of an invoice's data before it is radicated: only the fields sent change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CambioFactura {
    /// The version read (`version` of the invoice): 409 if someone changed it since.
    pub version: i32,
    pub numero: Option<String>,
    pub pagador_id: Option<String>,
    pub contrato_id: Option<String>,
    pub cufe: Option<String>,
    pub fecha_expedicion: Option<chrono::NaiveDate>,
    #[schema(value_type = Option<crate::app::DecimalExacto>, example = "1250000.00")]
    #[serde(default, deserialize_with = "crate::app::exacto::opcional")]
    pub valor_total: Option<Decimal>,
    #[schema(value_type = Option<crate::app::DecimalExacto>, example = "0.00")]
    #[serde(default, deserialize_with = "crate::app::exacto::opcional")]
    pub copagos: Option<Decimal>,
    #[schema(value_type = Option<crate::app::DecimalExacto>, example = "0.00")]
    #[serde(default, deserialize_with = "crate::app::exacto::opcional")]
    pub cuotas_moderadoras: Option<Decimal>,
    /// Why it changes; kept with the change.
    #[serde(default)]
    pub motivo: String,
}

/// Corrects an invoice's data while it is not radicated (after radicación the payer holds
/// it: a nota crédito or the payer's process corrects it). The change is an event of its
/// trazabilidad and a correction with the data before and after.
pub fn modificar(
    db: &Db,
    t: &Terminos,
    hoy: NaiveDate,
    actor: &Actor,
    id: &str,
    cambio: CambioFactura,
) -> Result<FacturaVista, AppError> {
    actor.exigir(&[Rol::Facturacion, Rol::Admin], "modificar facturas")?;
    let motivo = cambio.motivo.trim().to_string();
    db.write(|c| {
        let e = super::ciclo::cargar(c, t, &actor.prestador_id, id)?;
        let f = &e.fila;
        if f.version != cambio.version {
            return Err(super::pagadores::stale(f.version, cambio.version));
        }
        if !e.radicaciones.is_empty() || e.dominio.anulada || e.dominio.notas > 0 || e.dominio.debitos > 0 {
            return Err(AppError::Conflict(format!(
                "la factura {} ya fue radicada (o tiene notas): sus datos se corrigen con nota crédito o \
                 en el proceso del pagador, no aquí",
                f.numero
            )));
        }
        let items = e
            .items
            .iter()
            .map(|i| ItemEntrada {
                codigo: i.codigo.clone(),
                descripcion: i.descripcion.clone(),
                cantidad: i.cantidad.parse().unwrap_or_default(),
                valor_unitario: from_centavos(i.valor_unitario),
                valor_total: from_centavos(i.valor_total),
            })
            .collect();
        let valida = dominio::validar(
            FacturaEntrada {
                numero: cambio.numero.clone().unwrap_or_else(|| f.numero.clone()),
                fecha_expedicion: cambio.fecha_expedicion.unwrap_or(f.fecha_expedicion),
                valor_total: cambio.valor_total.unwrap_or_else(|| from_centavos(f.valor_total)),
                copagos: cambio.copagos.unwrap_or_else(|| from_centavos(f.copagos)),
                cuotas_moderadoras: cambio
                    .cuotas_moderadoras
                    .unwrap_or_else(|| from_centavos(f.cuotas_moderadoras)),
                cufe: cambio.cufe.clone().or_else(|| f.cufe.clone()),
                items,
            },
            hoy,
        )
        .map_err(AppError::Invalid)?;
        let pagador_id = cambio.pagador_id.clone().unwrap_or_else(|| f.pagador_id.clone());
        let contrato_id = cambio.contrato_id.clone().or_else(|| f.contrato_id.clone());
        super::pagadores::buscar(c, &actor.prestador_id, &pagador_id)?;
        if let Some(cid) = &contrato_id {
            match db::contratos::por_id(c, &actor.prestador_id, cid)? {
                None => return Err(AppError::not_found("un contrato")),
                Some(x) if x.pagador_id != pagador_id => {
                    return Err(AppError::invalid("contrato_id", "el contrato es de otro pagador"))
                }
                Some(_) => {}
            }
        }
        if valida.numero != f.numero && db::facturas::existe_numero(c, &actor.prestador_id, &valida.numero)? {
            return Err(AppError::Conflict(format!("ya existe la factura {}", valida.numero)));
        }
        let antes = db::facturas::Datos {
            numero: f.numero.clone(),
            pagador_id: f.pagador_id.clone(),
            contrato_id: f.contrato_id.clone(),
            cufe: f.cufe.clone(),
            fecha_expedicion: f.fecha_expedicion,
            valor_total: f.valor_total,
            copagos: f.copagos,
            cuotas_moderadoras: f.cuotas_moderadoras,
            fecha_limite_radicacion: f.fecha_limite_radicacion,
        };
        let a_cargo = valida.valor_a_cargo_pagador();
        let despues = db::facturas::Datos {
            numero: valida.numero.clone(),
            pagador_id,
            contrato_id,
            cufe: valida.cufe.clone(),
            fecha_expedicion: valida.fecha_expedicion,
            valor_total: valida.valor_total,
            copagos: valida.copagos,
            cuotas_moderadoras: valida.cuotas_moderadoras,
            // Res. 2284/2023 (terminos.radicacion): the term runs from the expedición.
            fecha_limite_radicacion: Some(t.radicacion.vence(valida.fecha_expedicion)),
        };
        if db::facturas::editar(c, &actor.prestador_id, id, f.version, &despues)? == 0 {
            return Err(super::pagadores::stale(f.version + 1, f.version));
        }
        // The ledger's charge follows what the payer is billed.
        let diferencia = a_cargo - e.dominio.a_cargo;
        if diferencia != 0 {
            db::movimientos::insertar(
                c,
                &[Movimiento::new(&actor.prestador_id, id, db::movimientos::CARGO, diferencia, hoy).de(
                    db::movimientos::origen::CORRECCION,
                    id,
                    &valida.numero,
                )],
            )?;
        }
        let que = super::correcciones::Que {
            entidad: "factura",
            entidad_id: id,
            factura_id: Some(id),
        };
        super::correcciones::modificado(c, actor, que, &motivo, &antes, &despues, hoy)?;
        let cambiado = |a: serde_json::Value, d: serde_json::Value| {
            let (serde_json::Value::Object(a), serde_json::Value::Object(d)) = (a, d) else {
                return serde_json::Value::Null;
            };
            let campos: serde_json::Map<_, _> = d
                .into_iter()
                .filter(|(k, v)| a.get(k) != Some(v) && k != "fecha_limite_radicacion")
                .map(|(k, v)| (k.clone(), serde_json::json!({"antes": a.get(&k), "despues": v})))
                .collect();
            serde_json::Value::Object(campos)
        };
        let cambios = cambiado(
            serde_json::to_value(&antes).unwrap_or_default(),
            serde_json::to_value(&despues).unwrap_or_default(),
        );
        // The balance as the rules see the corrected invoice (anticipos and notes included).
        let nueva = super::ciclo::cargar(c, t, &actor.prestador_id, id)?;
        let saldos = super::ciclo::guardar(c, &nueva, &t.reglas, None)?;
        super::ciclo::evento(
            c,
            actor,
            id,
            "factura_modificada",
            hoy,
            serde_json::json!({"cambios": cambios, "motivo": motivo,
                "termino": {"nombre": "radicacion", "abre": true, "vence": despues.fecha_limite_radicacion, "fuente": t.radicacion.fuente}}),
            saldos,
        )?;
        Ok(())
    })?;
    obtener(db, t, hoy, actor, id)
}

/// How an invoice's saldo comes about, line by line from its ledger (`movimientos`, by type):
/// valor − copagos − cuotas moderadoras + notas débito − anticipos − glosas aceptadas −
/// glosas conciliadas − glosas aceptadas por silencio − pagos − notas crédito − castigo =
/// saldo. `en_discusion` is the part of the saldo still disputed in open glosas.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct Desglose {
    #[schema(value_type = String)]
    pub valor: Decimal,
    #[schema(value_type = String)]
    pub copagos: Decimal,
    #[schema(value_type = String)]
    pub cuotas: Decimal,
    /// Raise what is owed.
    #[schema(value_type = String)]
    pub notas_debito: Decimal,
    /// Paid by the payer before the invoice.
    #[schema(value_type = String)]
    pub anticipos: Decimal,
    /// Glosas the prestador accepted (or lost at the payer's decision).
    #[schema(value_type = String)]
    pub glosa_aceptada: Decimal,
    /// What conciliation left against the prestador.
    #[schema(value_type = String)]
    pub glosa_conciliada: Decimal,
    /// Glosas not answered in term, accepted by silence as of the day (not in the ledger: it
    /// depends on the day one looks).
    #[schema(value_type = String)]
    pub aceptada_por_silencio: Decimal,
    #[schema(value_type = String)]
    pub pagos: Decimal,
    #[schema(value_type = String)]
    pub notas_credito: Decimal,
    #[schema(value_type = String)]
    pub castigado: Decimal,
    #[schema(value_type = String)]
    pub saldo: Decimal,
    #[schema(value_type = String)]
    pub en_discusion: Decimal,
}

/// [`Desglose`] of an invoice (its row's value, copagos and cuotas; its rules' view; the sums
/// of its ledger by type) as of `hoy`.
pub fn desglosar(
    valores: (i64, i64, i64),
    d: &crate::domain::ciclo::Factura,
    sumas: &std::collections::HashMap<String, i64>,
    hoy: NaiveDate,
    reglas: &crate::domain::terminos::Reglas,
) -> Desglose {
    let menos = |tipo: &str| -sumas.get(tipo).copied().unwrap_or(0);
    let mas = |tipo: &str| sumas.get(tipo).copied().unwrap_or(0);
    let silencio = d.glosado_contra(hoy, reglas) - d.glosado_contra(hoy, &super::ciclo::registrado(reglas));
    let (valor, copagos, cuotas) = valores;
    Desglose {
        valor: from_centavos(valor),
        copagos: from_centavos(copagos),
        cuotas: from_centavos(cuotas),
        notas_debito: from_centavos(mas(db::movimientos::NOTA_DEBITO)),
        anticipos: from_centavos(menos(db::movimientos::ANTICIPO)),
        glosa_aceptada: from_centavos(menos(db::movimientos::GLOSA_ACEPTADA)),
        glosa_conciliada: from_centavos(menos(db::movimientos::GLOSA_CONCILIADA)),
        aceptada_por_silencio: from_centavos(silencio),
        pagos: from_centavos(menos(db::movimientos::PAGO)),
        notas_credito: from_centavos(menos(db::movimientos::NOTA_CREDITO)),
        castigado: from_centavos(menos(db::movimientos::CASTIGO)),
        saldo: from_centavos(d.saldo(hoy, reglas)),
        en_discusion: from_centavos(d.en_discusion(hoy, reglas)),
    }
}

impl Desglose {
    /// The saldo the lines give: it equals `saldo` when the ledger and the rules agree.
    pub fn suma(&self) -> Decimal {
        self.valor - self.copagos - self.cuotas + self.notas_debito
            - self.anticipos
            - self.glosa_aceptada
            - self.glosa_conciliada
            - self.aceptada_por_silencio
            - self.pagos
            - self.notas_credito
            - self.castigado
    }
}

/// How one invoice's saldo comes about as of `hoy` (see [`Desglose`]).
pub fn desglose(db: &Db, t: &Terminos, hoy: NaiveDate, actor: &Actor, id: &str) -> Result<Desglose, AppError> {
    db.read(|c| {
        let e = super::ciclo::cargar(c, t, &actor.prestador_id, id)?;
        let sumas = db::movimientos::sumas(c, &actor.prestador_id, std::slice::from_ref(&e.fila.id))?
            .into_iter()
            .map(|(_, tipo, s)| (tipo, s))
            .collect();
        Ok(desglosar(
            (e.fila.valor_total, e.fila.copagos, e.fila.cuotas_moderadoras),
            &e.dominio,
            &sumas,
            hoy,
            &t.reglas,
        ))
    })
}

#[cfg(test)]
mod desglose_tests {
    use std::collections::HashMap;

    use chrono::NaiveDate;

    use super::desglosar;
    use crate::db::movimientos as m;
    use crate::domain::ciclo::Factura;
    use crate::domain::glosa::{EstadoGlosa, Glosa};
    use crate::domain::money::from_centavos;
    use crate::domain::terminos::Terminos;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn glosa(valor: i64, estado: EstadoGlosa, aceptado: i64) -> Glosa {
        Glosa {
            item_linea: None,
            valor,
            fecha_formulacion: d("2025-04-11"),
            fecha_recepcion: d("2025-04-11"),
            fecha_limite_respuesta: d("2025-05-05"),
            extemporanea: false,
            estado,
            valor_aceptado: aceptado,
            valor_sustentado: valor - aceptado,
            fecha_respuesta: None,
            respuesta_extemporanea: false,
            fecha_limite_decision: None,
            resultado_decision: None,
            valor_levantado: 0,
            fecha_decision: None,
            valor_conciliado_prestador: 0,
            valor_conciliado_pagador: 0,
            fecha_conciliacion: None,
        }
    }

    /// Each line of the breakdown comes from the ledger by type, and together they give the
    /// saldo the rules (and so the API) report, silence included.
    #[test]
    fn the_lines_of_the_breakdown_add_up_to_the_saldo() {
        let t = Terminos::por_defecto();
        let f = Factura {
            numero: "FE-1".into(),
            a_cargo: 100_000_000,
            fecha_expedicion: d("2025-03-03"),
            items: vec![(1, 110_000_000)],
            fecha_radicacion: Some(d("2025-04-01")),
            radicaciones: 1,
            devolucion: None,
            devoluciones: 0,
            // One glosa accepted in part, one never answered (accepted by silence when the
            // rules say so), one conciliated.
            glosas: vec![
                glosa(5_000_000, EstadoGlosa::Aceptada, 2_000_000),
                glosa(15_000_000, EstadoGlosa::Formulada, 0),
                Glosa {
                    valor_conciliado_pagador: 1_000_000,
                    ..glosa(3_000_000, EstadoGlosa::Conciliada, 500_000)
                },
            ],
            pagado: 30_000_000,
            notas: 1_000_000,
            debitos: 500_000,
            anticipos: 0,
            castigado: 0,
            anulada: false,
        };
        let sumas: HashMap<String, i64> = [
            (m::CARGO, 100_000_000),
            (m::GLOSA_ACEPTADA, -2_500_000),
            (m::GLOSA_CONCILIADA, -1_000_000),
            (m::PAGO, -30_000_000),
            (m::NOTA_CREDITO, -1_000_000),
            (m::NOTA_DEBITO, 500_000),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        for hoy in [d("2025-04-20"), d("2025-12-01")] {
            let x = desglosar((110_000_000, 6_000_000, 4_000_000), &f, &sumas, hoy, &t.reglas);
            assert_eq!(x.suma(), x.saldo, "{hoy}: {x:?}");
            assert_eq!(x.pagos, from_centavos(30_000_000));
            assert_eq!(x.glosa_conciliada, from_centavos(1_000_000));
        }
        let antes = desglosar(
            (110_000_000, 6_000_000, 4_000_000),
            &f,
            &sumas,
            d("2025-04-20"),
            &t.reglas,
        );
        assert_eq!(antes.aceptada_por_silencio, from_centavos(0));
        assert_eq!(antes.en_discusion, from_centavos(15_000_000));
        if t.reglas.aceptacion_tacita {
            let despues = desglosar(
                (110_000_000, 6_000_000, 4_000_000),
                &f,
                &sumas,
                d("2025-12-01"),
                &t.reglas,
            );
            assert_eq!(despues.aceptada_por_silencio, from_centavos(15_000_000));
        }
    }
}
