//! Payments: money received from a payer and its application to invoices. What is not
//! applied stays on the payment to apply later; nothing is applied beyond an invoice's saldo.

use crate::domain::normal;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::{ciclo, Actor, AppError, Lista, Pagina};
use crate::db::{self, pagos::Aplicacion, pagos::Pago, AnyConnection, Db};
use crate::domain::money::{from_centavos, to_centavos_no_negativo};
use crate::domain::rol::Rol;
use crate::domain::terminos::Terminos;
use crate::domain::{Rechazo, Violation};

/// Who records and applies payments.
pub const REGISTRAN: &[Rol] = &[Rol::Cartera, Rol::Finanzas];

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NuevaAplicacion {
    pub factura_id: String,
    #[schema(value_type = crate::app::DecimalExacto, example = "500000.00")]
    #[serde(deserialize_with = "crate::app::exacto::requerido")]
    pub valor: Decimal,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NuevoPago {
    pub pagador_id: String,
    pub fecha: chrono::NaiveDate,
    #[schema(value_type = crate::app::DecimalExacto, example = "1500000.00")]
    #[serde(deserialize_with = "crate::app::exacto::requerido")]
    pub valor: Decimal,
    #[serde(default)]
    pub referencia: String,
    /// transferencia, giro_directo, cheque...; `giro_directo` when a third party pays and
    /// nothing is said.
    #[serde(default)]
    pub medio: String,
    #[serde(default)]
    pub aplicaciones: Vec<NuevaAplicacion>,
    /// The third party that paid on `pagador_id`'s behalf (ADRES in giro directo): the money
    /// settles `pagador_id`'s invoices. Such a payment comes with its whole detail (Res.
    /// 2284/2023 art. 8).
    #[serde(default)]
    pub pagado_por_id: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NuevasAplicaciones {
    pub aplicaciones: Vec<NuevaAplicacion>,
    /// Date of the application; the payment's date when absent.
    pub fecha: Option<chrono::NaiveDate>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AplicacionVista {
    /// To void this application (`POST /pagos/{id}/aplicaciones/{aplicacion_id}/anulacion`).
    pub id: String,
    pub factura_id: String,
    #[schema(value_type = String)]
    pub valor: Decimal,
    pub fecha: chrono::NaiveDate,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PagoVista {
    pub id: String,
    pub pagador_id: String,
    pub fecha: chrono::NaiveDate,
    #[schema(value_type = String)]
    pub valor: Decimal,
    #[schema(value_type = String)]
    pub aplicado: Decimal,
    /// Received but not yet applied to any invoice.
    #[schema(value_type = String)]
    pub sin_aplicar: Decimal,
    pub referencia: String,
    pub medio: String,
    pub version: i32,
    /// The third party that paid on the payer's behalf (ADRES giro directo), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub pagado_por_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub aplicaciones: Option<Vec<AplicacionVista>>,
}

fn vista(p: Pago, apl: Option<Vec<Aplicacion>>) -> PagoVista {
    PagoVista {
        aplicado: from_centavos(p.valor_aplicado),
        sin_aplicar: from_centavos(p.valor - p.valor_aplicado),
        valor: from_centavos(p.valor),
        id: p.id,
        pagador_id: p.pagador_id,
        fecha: p.fecha,
        referencia: p.referencia,
        medio: p.medio,
        version: p.version,
        pagado_por_id: p.pagado_por_id,
        aplicaciones: apl.map(|v| {
            v.into_iter()
                .map(|a| AplicacionVista {
                    id: a.id,
                    factura_id: a.factura_id,
                    valor: from_centavos(a.valor),
                    fecha: a.fecha,
                })
                .collect()
        }),
    }
}

/// Applies values of `pago` to invoices in the caller's transaction; every problem of every
/// line is reported at once and nothing is written if there is one.
#[allow(clippy::too_many_arguments)]
fn aplicar_en(
    c: &mut AnyConnection,
    t: &Terminos,
    hoy: NaiveDate,
    actor: &Actor,
    pago: &Pago,
    aplicaciones: &[NuevaAplicacion],
    fecha: chrono::NaiveDate,
    regla: Option<&str>,
) -> Result<i64, AppError> {
    let mut errs = Vec::new();
    let mut valores = Vec::with_capacity(aplicaciones.len());
    for (i, a) in aplicaciones.iter().enumerate() {
        match to_centavos_no_negativo(a.valor) {
            Ok(v) => valores.push(v),
            Err(e) => {
                errs.push(Violation::new(format!("aplicaciones[{i}].valor"), e.to_string()));
                valores.push(0);
            }
        }
    }
    let ids: Vec<String> = aplicaciones.iter().map(|a| a.factura_id.clone()).collect();
    let mut cargadas = ciclo::cargar_varias(c, t, &actor.prestador_id, &ids)?;
    let mut recuperadas: Vec<String> = Vec::new();
    for (i, (a, v)) in aplicaciones.iter().zip(&valores).enumerate() {
        let path = format!("aplicaciones[{i}]");
        let Some(e) = cargadas.iter_mut().find(|e| e.fila.id == a.factura_id) else {
            errs.push(Violation::new(
                format!("{path}.factura_id"),
                "no existe esa factura en su prestador",
            ));
            continue;
        };
        if e.fila.pagador_id != pago.pagador_id {
            errs.push(Violation::new(
                format!("{path}.factura_id"),
                format!("la factura {} es de otro pagador", e.fila.numero),
            ));
            continue;
        }
        // Several lines may hit one invoice: each is checked against what the previous left.
        // On a written-off invoice the money is a recovery: the write-off goes down by it.
        let recuperacion = e.dominio.castigado > 0;
        let aplicada = if recuperacion {
            e.dominio.recuperar(*v).map(|()| e.dominio.castigado -= v)
        } else {
            e.dominio.aplicar_pago(*v, hoy, &t.reglas)
        };
        if recuperacion {
            recuperadas.push(e.fila.id.clone());
        }
        match aplicada {
            Ok(()) => e.dominio.pagado += v,
            Err(Rechazo::Estado(m)) => errs.push(Violation::new(format!("{path}.factura_id"), m)),
            Err(Rechazo::Valores(vs)) => errs.extend(
                vs.into_iter()
                    .map(|x| Violation::new(format!("{path}.valor"), x.message)),
            ),
        }
    }
    let total: i64 = valores.iter().sum();
    if total > pago.valor - pago.valor_aplicado {
        errs.push(Violation::new(
            "aplicaciones",
            format!(
                "se aplican {} y el pago solo tiene {} sin aplicar",
                from_centavos(total),
                from_centavos(pago.valor - pago.valor_aplicado)
            ),
        ));
    }
    if !errs.is_empty() {
        return Err(AppError::Invalid(errs));
    }
    let mut filas = Vec::new();
    for (a, v) in aplicaciones.iter().zip(&valores) {
        filas.push(Aplicacion {
            id: db::new_id(),
            prestador_id: actor.prestador_id.clone(),
            pago_id: pago.id.clone(),
            factura_id: a.factura_id.clone(),
            valor: *v,
            fecha,
            creado_en: db::now(),
            recuperacion: recuperadas.contains(&a.factura_id),
        });
    }
    db::pagos::insertar_aplicaciones(c, &filas)?;
    let movs: Vec<_> = filas
        .iter()
        .flat_map(|a| {
            let mov = |tipo, valor| {
                db::movimientos::Movimiento::new(&actor.prestador_id, &a.factura_id, tipo, valor, fecha).de(
                    db::movimientos::origen::APLICACION,
                    &pago.id,
                    &pago.referencia,
                )
            };
            // A recovery undoes that much of the write-off, then pays it: the balance stays 0.
            let recuperacion = recuperadas
                .contains(&a.factura_id)
                .then(|| mov(db::movimientos::CASTIGO, a.valor));
            recuperacion.into_iter().chain([mov(db::movimientos::PAGO, -a.valor)])
        })
        .collect();
    db::movimientos::insertar(c, &movs)?;
    let pagado_por = match &pago.pagado_por_id {
        Some(id) => Some((id.clone(), super::pagadores::buscar(c, &actor.prestador_id, id)?.nombre)),
        None => None,
    };
    for e in &cargadas {
        let aplicado: i64 = filas
            .iter()
            .filter(|a| a.factura_id == e.fila.id)
            .map(|a| a.valor)
            .sum();
        if aplicado == 0 {
            continue;
        }
        let saldos = ciclo::guardar(c, e, &t.reglas, None)?;
        // The payment closes the payment term when it settles the invoice, or else the term of
        // the first half (Ley 1122/2007 art. 13 lit. d) when it completes it.
        let anticipo = t.valor_anticipo(e.dominio.a_cargo);
        let cierra = match (e.fila.fecha_limite_pago, e.dominio.fecha_radicacion) {
            (Some(l), _) if saldos.0 == 0 => {
                Some(json!({"nombre": "pago", "vencia": l, "cumplido": fecha <= l, "fuente": t.pago.fuente}))
            }
            (_, Some(r))
                if !e.capita
                    && e.dominio.pagado + e.dominio.anticipos - aplicado < anticipo
                    && e.dominio.pagado + e.dominio.anticipos >= anticipo =>
            {
                let l = t.pago_anticipo.vence(r);
                Some(
                    json!({"nombre": "pago_anticipo", "vencia": l, "cumplido": fecha <= l, "fuente": t.pago_anticipo.fuente}),
                )
            }
            _ => None,
        };
        let mut datos = json!({"pago_id": pago.id, "valor": from_centavos(aplicado), "referencia": pago.referencia,
            "medio": pago.medio, "regla": regla});
        if let Some((id, nombre)) = &pagado_por {
            datos["pagado_por"] = json!({"id": id, "nombre": nombre});
        }
        let tipo = if recuperadas.contains(&e.fila.id) {
            datos["castigado_por_recuperar"] = json!(from_centavos(e.dominio.castigado));
            "recuperacion_castigada"
        } else {
            datos["cierra"] = json!(cierra);
            "pago_aplicado"
        };
        ciclo::evento(c, actor, &e.fila.id, tipo, fecha, datos, saldos)?;
    }
    Ok(total)
}

/// The means of a payment when none is said: remittances are bank transfers.
pub const MEDIO_POR_DEFECTO: &str = "transferencia";

/// The means of a payment made by a third party when none is said.
pub const MEDIO_TERCERO: &str = "giro_directo";

/// A payment by a third party (ADRES giro directo) carries the detail of the invoices it pays,
/// which must be the whole of it: the detail the payer reported cannot be completed or changed
/// afterwards, only reversed by voiding an application (Res. 2284/2023 art. 8). So its lines
/// sum to its value, and a later application can only re-apply money a reversal gave back.
fn detalle_completo(n: &NuevoPago, valor: i64) -> Result<(), AppError> {
    let lineas: i64 = n
        .aplicaciones
        .iter()
        .filter_map(|a| to_centavos_no_negativo(a.valor).ok())
        .sum();
    if lineas == valor {
        return Ok(());
    }
    Err(AppError::invalid(
        "aplicaciones",
        format!(
            "un pago hecho por un tercero (giro directo) trae el detalle de todas las facturas que paga \
             (Res. 2284/2023 art. 8): sus aplicaciones suman {} y el pago vale {}",
            from_centavos(lineas),
            from_centavos(valor)
        ),
    ))
}

/// Records a payment and its applications in the caller's transaction; returns its id.
pub fn registrar_en(
    c: &mut AnyConnection,
    t: &Terminos,
    hoy: NaiveDate,
    actor: &Actor,
    n: &NuevoPago,
) -> Result<String, AppError> {
    super::no_futura("fecha", n.fecha, hoy)?;
    let valor = to_centavos_no_negativo(n.valor).map_err(|e| AppError::invalid("valor", e.to_string()))?;
    if valor == 0 {
        return Err(AppError::invalid("valor", "el valor del pago debe ser mayor que cero"));
    }
    super::pagadores::buscar(c, &actor.prestador_id, &n.pagador_id)?;
    let pagado_por_id = n.pagado_por_id.as_deref().map(str::trim).filter(|p| !p.is_empty());
    let mut medio = n.medio.trim().to_string();
    if let Some(tercero) = pagado_por_id {
        if tercero == n.pagador_id {
            return Err(AppError::invalid(
                "pagado_por_id",
                "quien paga por otro es un tercero: pagado_por_id no puede ser el mismo pagador_id",
            ));
        }
        super::pagadores::buscar(c, &actor.prestador_id, tercero).map_err(|_| {
            AppError::invalid(
                "pagado_por_id",
                "no hay un pagador con ese id en su prestador; registre antes al tercero (p. ej. ADRES)",
            )
        })?;
        detalle_completo(n, valor)?;
        if medio.is_empty() {
            medio = MEDIO_TERCERO.to_string();
        }
    }
    let mut pago = Pago {
        pagado_por_id: pagado_por_id.map(str::to_string),
        id: db::new_id(),
        prestador_id: actor.prestador_id.clone(),
        pagador_id: n.pagador_id.clone(),
        fecha: n.fecha,
        valor,
        valor_aplicado: 0,
        referencia: n.referencia.trim().to_string(),
        medio,
        version: 1,
        creado_en: db::now(),
    };
    db::pagos::insertar(c, &pago)?;
    if !n.aplicaciones.is_empty() {
        let aplicado = aplicar_en(c, t, hoy, actor, &pago, &n.aplicaciones, n.fecha, None)?;
        if db::pagos::sumar_aplicado(c, &actor.prestador_id, &pago.id, 1, aplicado)? == 0 {
            return Err(AppError::Conflict("el pago cambió mientras se aplicaba".into()));
        }
        pago.valor_aplicado = aplicado;
    }
    Ok(pago.id)
}

pub fn registrar(db: &Db, t: &Terminos, hoy: NaiveDate, actor: &Actor, n: NuevoPago) -> Result<PagoVista, AppError> {
    actor.exigir(REGISTRAN, "registrar pagos")?;
    let id = db.write(|c| registrar_en(c, t, hoy, actor, &n))?;
    obtener(db, actor, &id)
}

/// Applies (more of) the unapplied rest of a payment.
pub fn aplicar(
    db: &Db,
    t: &Terminos,
    hoy: NaiveDate,
    actor: &Actor,
    pago_id: &str,
    n: NuevasAplicaciones,
) -> Result<PagoVista, AppError> {
    actor.exigir(REGISTRAN, "aplicar pagos")?;
    if n.aplicaciones.is_empty() {
        return Err(AppError::invalid("aplicaciones", "se espera al menos una aplicación"));
    }
    if let Some(f) = n.fecha {
        super::no_futura("fecha", f, hoy)?;
    }
    db.write(|c| {
        let pago = db::pagos::por_id(c, &actor.prestador_id, pago_id)?.ok_or_else(|| AppError::not_found("un pago"))?;
        let aplicado = aplicar_en(
            c,
            t,
            hoy,
            actor,
            &pago,
            &n.aplicaciones,
            n.fecha.unwrap_or(pago.fecha),
            None,
        )?;
        sumar(c, actor, &pago, aplicado)
    })?;
    obtener(db, actor, pago_id)
}

/// Adds `aplicado` to the payment's applied value at the version it was read.
fn sumar(c: &mut AnyConnection, actor: &Actor, pago: &Pago, aplicado: i64) -> Result<(), AppError> {
    if db::pagos::sumar_aplicado(
        c,
        &actor.prestador_id,
        &pago.id,
        pago.version,
        pago.valor_aplicado + aplicado,
    )? == 0
    {
        return Err(AppError::Conflict(
            "otro usuario aplicó este pago al mismo tiempo; vuelva a leerlo".into(),
        ));
    }
    Ok(())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AplicacionSinDetalle {
    /// Date of the application; the payment's date when absent. Invoices are judged as of it.
    pub fecha: Option<chrono::NaiveDate>,
}

/// Applies the unapplied rest of a payment that came without the payer's detail by the rule
/// of Res. 2284/2023 art. 7: to the payer's oldest invoice accepted expressly or tacitly,
/// pending payment and not prescribed, then the next, each up to its saldo. What is left stays
/// unapplied. 409 when nothing is left to apply or no invoice qualifies.
pub fn aplicar_sin_detalle(
    db: &Db,
    t: &Terminos,
    hoy: NaiveDate,
    actor: &Actor,
    pago_id: &str,
    n: AplicacionSinDetalle,
) -> Result<PagoVista, AppError> {
    actor.exigir(REGISTRAN, "aplicar pagos")?;
    if let Some(f) = n.fecha {
        super::no_futura("fecha", f, hoy)?;
    }
    db.write(|c| {
        let pago = db::pagos::por_id(c, &actor.prestador_id, pago_id)?.ok_or_else(|| AppError::not_found("un pago"))?;
        let fecha = n.fecha.unwrap_or(pago.fecha);
        let resto = pago.valor - pago.valor_aplicado;
        if resto <= 0 {
            return Err(AppError::Conflict("el pago ya está aplicado por completo".into()));
        }
        let ids: Vec<String> = db::cobro::abiertas(c, &actor.prestador_id, &pago.pagador_id)?
            .into_iter()
            .map(|f| f.id)
            .collect();
        let candidatas: Vec<(String, NaiveDate, String, i64)> = ciclo::cargar_varias(c, t, &actor.prestador_id, &ids)?
            .into_iter()
            .filter(|e| e.dominio.aplicable_sin_detalle(fecha, t))
            .map(|e| {
                let saldo = e.dominio.saldo(fecha, &t.reglas);
                (e.fila.id, e.fila.fecha_expedicion, e.fila.numero, saldo)
            })
            .collect();
        let reparto = crate::domain::ciclo::repartir_sin_detalle(candidatas, resto);
        if reparto.is_empty() {
            return Err(AppError::Conflict(format!(
                "el pagador no tiene facturas aceptadas, pendientes de pago y no prescritas al {fecha} \
                 (Res. 2284 de 2023, art. 7); aplique el pago a mano"
            )));
        }
        let aplicaciones: Vec<NuevaAplicacion> = reparto
            .into_iter()
            .map(|(factura_id, v)| NuevaAplicacion {
                factura_id,
                valor: from_centavos(v),
            })
            .collect();
        let regla = "Res. 2284/2023 art. 7: pago sin detalle aplicado a la factura más antigua aceptada, pendiente y no prescrita";
        let aplicado = aplicar_en(c, t, hoy, actor, &pago, &aplicaciones, fecha, Some(regla))?;
        sumar(c, actor, &pago, aplicado)
    })?;
    obtener(db, actor, pago_id)
}

pub fn obtener(db: &Db, actor: &Actor, id: &str) -> Result<PagoVista, AppError> {
    db.read(|c| {
        let p = pago_de(c, actor, id)?;
        let a = db::pagos::aplicaciones(c, &actor.prestador_id, id)?;
        Ok(vista(p, Some(a)))
    })
}

/// What a list of payments asks for: `?pagador_id=&desde=&hasta=&sin_aplicar=&page=&per_page=&formato=`.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct ConsultaPagos {
    /// Who owes: payments that settle this payer's invoices.
    pub pagador_id: Option<String>,
    /// Who paid: payments a third party (ADRES) made on others' behalf.
    pub pagado_por_id: Option<String>,
    /// Received on or after this day.
    pub desde: Option<NaiveDate>,
    /// Received on or before this day.
    pub hasta: Option<NaiveDate>,
    /// `true`: only payments with value not yet applied to invoices.
    pub sin_aplicar: Option<bool>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
    /// `xlsx` for a workbook of every payment that matches.
    pub formato: Option<String>,
}

/// A payment in a list, with its payer's name (and the third party's that paid for it).
#[derive(Debug, Serialize, ToSchema)]
pub struct PagoEnLista {
    #[serde(flatten)]
    pub pago: PagoVista,
    pub pagador: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub pagado_por: Option<String>,
}

/// At most this many payments in a workbook.
const FILAS_XLSX: i64 = 200_000;

/// Payments, the latest first; `todas` gives every match (a workbook).
pub fn listar(db: &Db, actor: &Actor, q: &ConsultaPagos, todas: bool) -> Result<Lista<PagoEnLista>, AppError> {
    let pagina = Pagina::new(q.page, q.per_page)?;
    let f = db::pagos::Filtro {
        pagador_id: q.pagador_id.clone(),
        pagado_por_id: q.pagado_por_id.clone(),
        desde: q.desde,
        hasta: q.hasta,
        sin_aplicar: q.sin_aplicar.unwrap_or(false),
    };
    let (offset, limit) = pagina.rango(todas, FILAS_XLSX);
    let ((items, total), nombres) = db.read(|c| {
        Ok::<_, AppError>((
            db::pagos::listar(c, &actor.prestador_id, &f, offset, limit)?,
            db::pagadores::nombres(c, &actor.prestador_id)?,
        ))
    })?;
    Ok(Lista {
        items: items
            .into_iter()
            .map(|p| PagoEnLista {
                pagador: nombres.get(&p.pagador_id).cloned().unwrap_or_default(),
                pagado_por: p.pagado_por_id.as_ref().and_then(|t| nombres.get(t).cloned()),
                pago: vista(p, None),
            })
            .collect(),
        total,
    })
}

/// The list as a workbook, one row per payment.
pub fn xlsx(l: &Lista<PagoEnLista>) -> Result<Vec<u8>, AppError> {
    use super::hoja::{self, Celda, Hoja};
    let filas = l
        .items
        .iter()
        .map(|x| {
            let p = &x.pago;
            vec![
                Celda::Fecha(p.fecha),
                x.pagador.as_str().into(),
                x.pagado_por.as_deref().unwrap_or("").into(),
                p.referencia.as_str().into(),
                p.medio.as_str().into(),
                Celda::Dinero(p.valor),
                Celda::Dinero(p.aplicado),
                Celda::Dinero(p.sin_aplicar),
            ]
        })
        .collect();
    hoja::libro(&[Hoja {
        nombre: "Pagos".into(),
        encabezado: vec![("Pagos".into(), l.total.to_string())],
        columnas: vec![
            ("Fecha", 12.0),
            ("Pagador (quien debe)", 30.0),
            ("Pagado por (tercero)", 24.0),
            ("Referencia", 20.0),
            ("Medio", 14.0),
            ("Valor", 16.0),
            ("Aplicado", 16.0),
            ("Sin aplicar", 16.0),
        ],
        filas,
    }])
}

/// Who voids a payment or an application: who records them, and admin.
fn anulan() -> Vec<Rol> {
    super::correcciones::quienes_anulan(REGISTRAN)
}

/// Undoes one application in the caller's transaction: the invoice owes that value again (and
/// a recovery of written-off cartera is written off again), with its reversal event. Returns
/// the value given back to the payment.
fn revertir(
    c: &mut AnyConnection,
    t: &Terminos,
    hoy: NaiveDate,
    actor: &Actor,
    pago: &Pago,
    a: &Aplicacion,
    motivo: &str,
) -> Result<i64, AppError> {
    db::pagos::borrar_aplicacion(c, &actor.prestador_id, &a.id)?;
    let que = super::correcciones::Que {
        entidad: "aplicacion",
        entidad_id: &a.id,
        factura_id: Some(&a.factura_id),
    };
    super::correcciones::anulado(c, actor, que, motivo, a, hoy)?;
    let mov = |tipo, valor| {
        db::movimientos::Movimiento::new(&actor.prestador_id, &a.factura_id, tipo, valor, hoy).de(
            db::movimientos::origen::APLICACION_ANULADA,
            &pago.id,
            &pago.referencia,
        )
    };
    let mut movs = vec![mov(db::movimientos::PAGO, a.valor)];
    if a.recuperacion {
        movs.push(mov(db::movimientos::CASTIGO, -a.valor));
    }
    db::movimientos::insertar(c, &movs)?;
    let e = ciclo::cargar(c, t, &actor.prestador_id, &a.factura_id)?;
    let saldos = ciclo::guardar(c, &e, &t.reglas, None)?;
    ciclo::evento(
        c,
        actor,
        &a.factura_id,
        "aplicacion_anulada",
        hoy,
        json!({"pago_id": pago.id, "aplicacion_id": a.id, "valor": from_centavos(a.valor), "fecha_aplicacion": a.fecha,
            "referencia": pago.referencia, "recuperacion": a.recuperacion, "motivo": motivo}),
        saldos,
    )?;
    Ok(a.valor)
}

fn pago_de(c: &mut AnyConnection, actor: &Actor, pago_id: &str) -> Result<Pago, AppError> {
    match db::pagos::por_id(c, &actor.prestador_id, pago_id)? {
        Some(p) => Ok(p),
        None => Err(super::correcciones::no_existe(c, actor, pago_id, "el pago")),
    }
}

/// Voids an application made to the wrong invoice or for the wrong value: the invoice owes it
/// again and the value is back on the payment, unapplied, to apply right.
pub fn anular_aplicacion(
    db: &Db,
    t: &Terminos,
    hoy: NaiveDate,
    actor: &Actor,
    pago_id: &str,
    aplicacion_id: &str,
    a: super::correcciones::Anulacion,
) -> Result<PagoVista, AppError> {
    actor.exigir(&anulan(), "anular aplicaciones de pagos")?;
    let motivo = a.motivo()?;
    db.write(|c| {
        let pago = pago_de(c, actor, pago_id)?;
        let Some(apl) = db::pagos::aplicaciones(c, &actor.prestador_id, pago_id)?
            .into_iter()
            .find(|x| x.id == aplicacion_id)
        else {
            return Err(super::correcciones::no_existe(
                c,
                actor,
                aplicacion_id,
                "la aplicación de este pago",
            ));
        };
        let devuelto = revertir(c, t, hoy, actor, &pago, &apl, &motivo)?;
        if db::pagos::sumar_aplicado(
            c,
            &actor.prestador_id,
            &pago.id,
            pago.version,
            pago.valor_aplicado - devuelto,
        )? == 0
        {
            return Err(AppError::Conflict(
                "otro usuario cambió este pago al mismo tiempo; vuelva a leerlo".into(),
            ));
        }
        Ok(())
    })?;
    obtener(db, actor, pago_id)
}

/// Voids a payment recorded by mistake (wrong payer, value or date): each of its applications
/// is undone on its invoice, with its reversal event, and the payment is kept in the
/// corrections as it was.
pub fn anular(
    db: &Db,
    t: &Terminos,
    hoy: NaiveDate,
    actor: &Actor,
    pago_id: &str,
    a: super::correcciones::Anulacion,
) -> Result<super::correcciones::CorreccionVista, AppError> {
    actor.exigir(&anulan(), "anular pagos")?;
    let motivo = a.motivo()?;
    db.write(|c| {
        let pago = pago_de(c, actor, pago_id)?;
        let aplicaciones = db::pagos::aplicaciones(c, &actor.prestador_id, pago_id)?;
        for apl in &aplicaciones {
            revertir(c, t, hoy, actor, &pago, apl, &motivo)?;
        }
        if db::pagos::borrar(c, &actor.prestador_id, &pago.id, pago.version)? == 0 {
            return Err(AppError::Conflict(
                "otro usuario cambió este pago al mismo tiempo; vuelva a leerlo".into(),
            ));
        }
        let que = super::correcciones::Que {
            entidad: "pago",
            entidad_id: &pago.id,
            factura_id: None,
        };
        super::correcciones::anulado(
            c,
            actor,
            que,
            &motivo,
            &json!({"pago": pago, "aplicaciones": aplicaciones}),
            hoy,
        )?;
        Ok::<_, AppError>(())
    })?;
    let q = super::correcciones::ConsultaCorrecciones {
        entidad_id: Some(pago_id.to_string()),
        entidad: Some("pago".into()),
        ..Default::default()
    };
    db.read(|c| super::correcciones::ultima(c, actor, &q))
}

/// An open invoice a payment may go to, as the suggestion sees it (centavos).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidata {
    pub factura_id: String,
    pub numero: String,
    pub fecha_expedicion: NaiveDate,
    pub saldo: i64,
}

/// Whether the payment's reference names this invoice number: whole (`FE-1001`, `fe1001`) or,
/// for a number of three or more digits, by its digits alone (`1001`).
pub fn nombrada(referencia: &str, numero: &str) -> bool {
    let n = normal(numero);
    if n.is_empty() {
        return false;
    }
    let digitos: String = {
        let d: Vec<char> = n.chars().rev().take_while(char::is_ascii_digit).collect();
        d.into_iter().rev().collect()
    };
    let palabras: Vec<String> = referencia
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '/' | '|' | '+' | '(' | ')' | ':'))
        .map(normal)
        .filter(|t| !t.is_empty())
        .collect();
    // "FE 1001": the prefix and the digits written apart.
    let juntas = palabras.windows(2).map(|w| format!("{}{}", w[0], w[1]));
    palabras
        .iter()
        .cloned()
        .chain(juntas)
        .any(|t| t == n || (digitos.len() >= 3 && t.chars().all(|c| c.is_ascii_digit()) && t == digitos))
}

/// How an unapplied `resto` would go to these invoices: first those the reference names,
/// then the rest oldest first (each group by date of issue), each up to its saldo, until the
/// money runs out. Returns every invoice in that order with what it would take (0 when the
/// money ran out before it) and whether the reference names it, and what is left unapplied
/// (a payment larger than the balances keeps the rest on the payment).
pub fn repartir(mut candidatas: Vec<Candidata>, referencia: &str, resto: i64) -> (Vec<(Candidata, i64, bool)>, i64) {
    candidatas.sort_by(|a, b| {
        let (na, nb) = (nombrada(referencia, &a.numero), nombrada(referencia, &b.numero));
        nb.cmp(&na)
            .then(a.fecha_expedicion.cmp(&b.fecha_expedicion))
            .then(a.numero.cmp(&b.numero))
    });
    let mut queda = resto.max(0);
    let filas = candidatas
        .into_iter()
        .map(|c| {
            let toma = c.saldo.max(0).min(queda);
            queda -= toma;
            let n = nombrada(referencia, &c.numero);
            (c, toma, n)
        })
        .collect();
    (filas, queda)
}

/// An open invoice offered to apply a payment to, with what the suggestion puts on it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Sugerida {
    pub factura_id: String,
    pub numero: String,
    pub fecha_expedicion: NaiveDate,
    #[schema(value_type = String)]
    pub saldo: Decimal,
    /// What the suggestion applies to it: min(saldo, what is left of the payment).
    #[schema(value_type = String)]
    pub sugerido: Decimal,
    /// The payment's reference names this invoice.
    pub nombrada: bool,
}

/// The suggestion to apply what is left of a payment.
#[derive(Debug, Serialize, ToSchema)]
pub struct Sugerencia {
    pub facturas: Vec<Sugerida>,
    /// What would stay unapplied after the suggestion (the payment exceeds the balances).
    #[schema(value_type = String)]
    pub sobrante: Decimal,
    /// Open invoices of the payer not offered (beyond the oldest `limite`).
    pub omitidas: i64,
}

/// Suggests how to apply the unapplied rest of a payment: the payer's open invoices that the
/// payment's reference names first, then the oldest, each with min(saldo, what is left). At
/// most `limite` invoices not named are offered. Saldos are as of `hoy`.
pub fn sugerir(
    db: &Db,
    t: &Terminos,
    hoy: NaiveDate,
    actor: &Actor,
    pago_id: &str,
    limite: usize,
) -> Result<Sugerencia, AppError> {
    actor.exigir(REGISTRAN, "aplicar pagos")?;
    db.read(|c| {
        let pago = pago_de(c, actor, pago_id)?;
        let abiertas = db::cobro::abiertas(c, &actor.prestador_id, &pago.pagador_id)?;
        let total = abiertas.len();
        let (nombradas, otras): (Vec<_>, Vec<_>) = abiertas
            .into_iter()
            .partition(|f| nombrada(&pago.referencia, &f.numero));
        let ids: Vec<String> = nombradas
            .iter()
            .chain(otras.iter().take(limite))
            .map(|f| f.id.clone())
            .collect();
        let candidatas: Vec<Candidata> = ciclo::cargar_varias(c, t, &actor.prestador_id, &ids)?
            .into_iter()
            .filter_map(|e| {
                let saldo = e.dominio.saldo(hoy, &t.reglas);
                (saldo > 0 && e.dominio.aplicar_pago(saldo, hoy, &t.reglas).is_ok()).then_some(Candidata {
                    factura_id: e.fila.id,
                    numero: e.fila.numero,
                    fecha_expedicion: e.fila.fecha_expedicion,
                    saldo,
                })
            })
            .collect();
        let (filas, sobrante) = repartir(candidatas, &pago.referencia, pago.valor - pago.valor_aplicado);
        Ok(Sugerencia {
            omitidas: (total - ids.len()) as i64,
            sobrante: from_centavos(sobrante),
            facturas: filas
                .into_iter()
                .map(|(c, toma, n)| Sugerida {
                    factura_id: c.factura_id,
                    numero: c.numero,
                    fecha_expedicion: c.fecha_expedicion,
                    saldo: from_centavos(c.saldo),
                    sugerido: from_centavos(toma),
                    nombrada: n,
                })
                .collect(),
        })
    })
}

/// The numbers of these invoices of the tenant, by id (to name the invoices a payment went to).
pub fn numeros(db: &Db, actor: &Actor, ids: &[String]) -> Result<std::collections::HashMap<String, String>, AppError> {
    let filas = db.read(|c| Ok::<_, AppError>(db::facturas::por_ids(c, &actor.prestador_id, ids)?))?;
    Ok(filas.into_iter().map(|f| (f.id, f.numero)).collect())
}

/// A payment applied to an invoice, as the invoice sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct PagoDeFactura {
    pub aplicacion_id: String,
    pub pago_id: String,
    /// Date of the application.
    pub fecha: NaiveDate,
    #[schema(value_type = String)]
    pub valor: Decimal,
    /// Date the payment was received.
    pub fecha_pago: NaiveDate,
    pub referencia: String,
    pub medio: String,
    /// It recovered written-off cartera.
    pub recuperacion: bool,
    /// The third party that paid on the payer's behalf (ADRES giro directo), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub pagado_por_id: Option<String>,
}

/// The payments applied to one invoice, in the order they were applied.
pub fn de_factura(db: &Db, actor: &Actor, factura_id: &str) -> Result<Vec<PagoDeFactura>, AppError> {
    let filas = db.read(|c| Ok::<_, AppError>(db::pagos::de_factura(c, &actor.prestador_id, factura_id)?))?;
    Ok(filas
        .into_iter()
        .map(|(a, p)| PagoDeFactura {
            aplicacion_id: a.id,
            pago_id: p.id,
            fecha: a.fecha,
            valor: from_centavos(a.valor),
            fecha_pago: p.fecha,
            referencia: p.referencia,
            medio: p.medio,
            recuperacion: a.recuperacion,
            pagado_por_id: p.pagado_por_id,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    #[test]
    fn json_shape_of_an_application() {
        let a: super::NuevaAplicacion = serde_json::from_str(r#"{"factura_id":"x","valor":"10.50"}"#).unwrap();
        assert_eq!(a.valor.to_string(), "10.50");
    }

    use super::{nombrada, repartir, Candidata};
    use chrono::NaiveDate;

    fn c(numero: &str, dia: u32, saldo: i64) -> Candidata {
        Candidata {
            factura_id: format!("id-{numero}"),
            numero: numero.into(),
            fecha_expedicion: NaiveDate::from_ymd_opt(2026, 3, dia).unwrap(),
            saldo,
        }
    }

    #[test]
    fn a_reference_names_an_invoice_whole_or_by_its_digits() {
        assert!(nombrada("Pago FE-1001 y FE-1003", "FE-1001"));
        assert!(nombrada("pago fe1003", "FE-1003"));
        assert!(nombrada("Transferencia facturas 1001, 1002", "FE-1002"));
        assert!(nombrada("FE 1002", "FE-1002"));
        assert!(!nombrada("FE-10011", "FE-1001"));
        assert!(!nombrada("TRF 2026", "FE-1001"));
        assert!(!nombrada("", "FE-1001"));
        // Two digits are too few to be sure.
        assert!(!nombrada("pago 12", "FE-12"));
    }

    #[test]
    fn the_named_invoices_take_the_money_first_then_the_oldest() {
        let (filas, queda) = repartir(
            vec![c("FE-3", 3, 300), c("FE-1", 1, 100), c("FE-2", 2, 200)],
            "abono FE-3",
            450,
        );
        let orden: Vec<(&str, i64, bool)> = filas.iter().map(|(c, v, n)| (c.numero.as_str(), *v, *n)).collect();
        assert_eq!(
            orden,
            vec![("FE-3", 300, true), ("FE-1", 100, false), ("FE-2", 50, false)]
        );
        assert_eq!(queda, 0);
    }

    /// Partial payments: what is left of a payment goes to the next invoice in part, and a
    /// later payment finishes it.
    #[test]
    fn a_partial_payment_leaves_the_last_invoice_with_a_balance() {
        let (filas, queda) = repartir(vec![c("FE-1", 1, 100), c("FE-2", 2, 200)], "", 150);
        assert_eq!(filas.iter().map(|x| x.1).collect::<Vec<_>>(), vec![100, 50]);
        assert_eq!(queda, 0);
        let (filas, queda) = repartir(vec![c("FE-2", 2, 150)], "", 150);
        assert_eq!(filas[0].1, 150);
        assert_eq!(queda, 0);
    }

    /// A payment larger than the balances: each invoice takes its saldo and no more; the rest
    /// stays on the payment, unapplied.
    #[test]
    fn a_payment_larger_than_the_balance_keeps_the_rest_unapplied() {
        let (filas, queda) = repartir(vec![c("FE-1", 1, 100), c("FE-2", 2, 200)], "FE-2", 1_000);
        assert_eq!(filas.iter().map(|x| x.1).collect::<Vec<_>>(), vec![200, 100]);
        assert_eq!(queda, 700);
        let (filas, queda) = repartir(vec![], "", 500);
        assert!(filas.is_empty());
        assert_eq!(queda, 500);
    }
}
