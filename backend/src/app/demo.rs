//! The demo data set of `trazo demo`: one prestador, payers of every kind with contracts,
//! a year of invoices with lines, and one user per role. Fictitious names and numbers.

use chrono::{Datelike, Duration, NaiveDate};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rust_decimal::Decimal;

use super::facturas::FacturaLista;
use super::usuarios::{self, NuevoUsuario};
use super::{Actor, AppError};
use crate::db::{self, contratos::Contrato, facturas::Factura, pagadores::Pagador, prestadores::Prestador, Db};
use crate::domain::contrato::Modalidad;
use crate::domain::factura::{self as dominio, FacturaEntrada, ItemEntrada};
use crate::domain::pagador::TipoPagador;
use crate::domain::rol::Rol;
use crate::domain::terminos::Terminos;

pub const DEMO_PASSWORD: &str = "demo";
pub const DEMO_PRESTADOR_NIT: &str = "900123456";
pub const FACTURAS_DEMO: usize = 320;

/// What the demo loaded, to print at start.
#[derive(Debug)]
pub struct Resumen {
    pub prestador: String,
    pub usuarios: Vec<(Rol, String)>,
    pub pagadores: usize,
    pub contratos: usize,
    pub facturas: usize,
}

const PAGADORES: &[(&str, &str, TipoPagador, Modalidad)] = &[
    (
        "800250119",
        "EPS Andina Salud (contributivo)",
        TipoPagador::EpsContributivo,
        Modalidad::Evento,
    ),
    (
        "805001157",
        "Salud Total Demo EPS",
        TipoPagador::EpsContributivo,
        Modalidad::Pgp,
    ),
    (
        "830003564",
        "Comunidad Solidaria EPS-S",
        TipoPagador::EpsSubsidiado,
        Modalidad::Capita,
    ),
    ("901037916", "ADRES", TipoPagador::Adres, Modalidad::Evento),
    (
        "890480059",
        "Secretaría Departamental de Salud",
        TipoPagador::EnteTerritorial,
        Modalidad::Evento,
    ),
    (
        "860009578",
        "Aseguradora Vial SOAT S.A.",
        TipoPagador::Soat,
        Modalidad::Evento,
    ),
    (
        "860011153",
        "Riesgos Laborales ARL Demo",
        TipoPagador::Arl,
        Modalidad::Paquete,
    ),
    (
        "800130907",
        "Medicina Prepagada del Valle",
        TipoPagador::Prepagada,
        Modalidad::Evento,
    ),
];

/// (CUPS code, description, unit value in pesos)
const SERVICIOS: &[(&str, &str, i64)] = &[
    ("890201", "Consulta de primera vez por medicina general", 45_000),
    ("890301", "Consulta de control por medicina general", 38_000),
    ("890202", "Consulta de primera vez por medicina especializada", 92_000),
    ("890701", "Consulta de urgencias por medicina general", 68_000),
    ("903841", "Glucosa en suero u otro fluido", 9_800),
    ("902210", "Hemograma IV (automatizado)", 21_500),
    ("903895", "Creatinina en suero", 8_900),
    ("881302", "Ecografía de abdomen total", 118_000),
    ("871121", "Radiografía de tórax (PA o AP y lateral)", 64_000),
    ("895100", "Electrocardiograma de ritmo o de superficie", 42_000),
    ("470101", "Apendicectomía por laparotomía", 2_350_000),
    ("S12101", "Internación en habitación bipersonal (día)", 410_000),
    ("19943-1", "Acetaminofén 500 mg tableta", 120),
];

/// Builds the demo data set in an empty database: the invoices in one transaction, then
/// each taken through its life cycle by the same use cases the API runs, so its events,
/// balances and terms are those a user would have produced.
pub fn cargar(db: &Db, t: &Terminos, hoy: NaiveDate) -> Result<Resumen, AppError> {
    cargar_con_semilla(db, t, hoy, 2026)
}

/// [`cargar`] with another draw of payers, dates and values: other histories of the same
/// shape, for tests that check a property over many of them.
pub fn cargar_con_semilla(db: &Db, t: &Terminos, hoy: NaiveDate, semilla: u64) -> Result<Resumen, AppError> {
    let mut rng = StdRng::seed_from_u64(semilla);
    // Users are hashed before the transaction: argon2 is slow on purpose.
    let mut preparados = Vec::new();
    for rol in Rol::ALL {
        let email = format!("{rol}@demo.trazo");
        let n = NuevoUsuario {
            // Replaced by the first payer once it exists (`del_pagador`).
            pagador_id: (*rol == Rol::Pagador).then(|| "primer-pagador".into()),
            email: email.clone(),
            nombre: format!("Demo {rol}"),
            rol: *rol,
            password: DEMO_PASSWORD.into(),
        };
        // The demo password is short on purpose and documented; real users get the minimum.
        preparados.push((*rol, email, usuarios::preparar_con(n, 1)?));
    }
    let creado = db.write(|c| {
        if db::prestadores::por_nit(c, DEMO_PRESTADOR_NIT)?.is_some() {
            return Err(AppError::Conflict(
                "la base de datos ya tiene los datos de demostración".into(),
            ));
        }
        let prestador = Prestador {
            id: db::new_id(),
            nit: DEMO_PRESTADOR_NIT.into(),
            nombre: "Clínica Demo Trazo S.A.S.".into(),
            creado_en: db::now(),
        };
        db::prestadores::insertar(c, &prestador)?;
        let mut usuarios_creados = Vec::new();
        let mut ids = Vec::new();
        // The payer's user belongs to a payer: it is added once the payers exist.
        let (de_pagador, preparados): (Vec<_>, Vec<_>) =
            preparados.into_iter().partition(|(rol, _, _)| *rol == Rol::Pagador);
        for (rol, email, u) in preparados {
            let fila = usuarios::insertar(c, &prestador.id, u)?;
            ids.push((rol, fila.id));
            usuarios_creados.push((rol, email));
        }
        let actor = Actor {
            usuario_id: ids
                .iter()
                .find(|(r, _)| *r == Rol::Facturacion)
                .map(|(_, id)| id.clone())
                .expect("facturacion user"),
            prestador_id: prestador.id.clone(),
            rol: Rol::Facturacion,
        };
        let now = db::now();
        let inicio_contratos = NaiveDate::from_ymd_opt(hoy.year() - 1, 1, 1).expect("valid date");
        let mut pagadores = Vec::new();
        for (i, (nit, nombre, tipo, modalidad)) in PAGADORES.iter().enumerate() {
            let p = Pagador {
                id: db::new_id(),
                prestador_id: prestador.id.clone(),
                nit: (*nit).into(),
                nombre: (*nombre).into(),
                tipo: *tipo,
                version: 1,
                creado_en: now,
                actualizado_en: now,
            };
            db::pagadores::insertar(c, &p)?;
            let contrato = Contrato {
                id: db::new_id(),
                prestador_id: prestador.id.clone(),
                pagador_id: p.id.clone(),
                numero: format!("CT-{}-{:03}", inicio_contratos.year(), i + 1),
                modalidad: *modalidad,
                fecha_inicio: inicio_contratos,
                fecha_fin: NaiveDate::from_ymd_opt(hoy.year() + 1, 12, 31),
                plazo_pago_dias: if *tipo == TipoPagador::Adres { 60 } else { 30 },
                valor: (*modalidad != Modalidad::Evento).then_some(rng.gen_range(50..400) * 10_000_000),
                version: 1,
                creado_en: now,
            };
            db::contratos::insertar(c, &contrato)?;
            pagadores.push((p, contrato));
        }
        for (rol, email, u) in de_pagador {
            usuarios::insertar(c, &prestador.id, u.del_pagador(&pagadores[0].0.id))?;
            usuarios_creados.push((rol, email));
        }
        let mut lote = Vec::with_capacity(FACTURAS_DEMO);
        let mut metas = Vec::with_capacity(FACTURAS_DEMO);
        for n in 0..FACTURAS_DEMO {
            let (pagador, contrato) = &pagadores[rng.gen_range(0..pagadores.len())];
            let meta = METAS[n % METAS.len()];
            let fecha = hoy - Duration::days(meta.dias_desde_expedicion(&mut rng));
            let mut items = Vec::new();
            for _ in 0..rng.gen_range(1..=5) {
                let (codigo, descripcion, unitario) = SERVICIOS[rng.gen_range(0..SERVICIOS.len())];
                let cantidad: i64 = if unitario < 1_000 {
                    rng.gen_range(10..60)
                } else {
                    rng.gen_range(1..=3)
                };
                items.push(ItemEntrada {
                    codigo: codigo.into(),
                    descripcion: descripcion.into(),
                    cantidad: Decimal::from(cantidad),
                    valor_unitario: Decimal::from(unitario),
                    valor_total: Decimal::from(unitario * cantidad),
                });
            }
            let total: Decimal = items.iter().map(|i| i.valor_total).sum();
            let contributivo = pagador.tipo == TipoPagador::EpsContributivo;
            let entrada = FacturaEntrada {
                numero: format!("FEV{}", 10_000 + n),
                fecha_expedicion: fecha,
                valor_total: total,
                copagos: Decimal::ZERO,
                // Never the whole invoice: a small one must still leave something to the payer.
                cuotas_moderadoras: if contributivo {
                    Decimal::from(4_700).min(total / Decimal::from(2))
                } else {
                    Decimal::ZERO
                },
                // A CUFE is a SHA-384 in hex: 96 characters.
                cufe: Some(format!(
                    "{:032x}{:032x}{:032x}",
                    rng.gen::<u128>(),
                    rng.gen::<u128>(),
                    rng.gen::<u128>()
                )),
                items,
            };
            let factura = dominio::validar(entrada, hoy)
                .map_err(|v| AppError::Internal(anyhow::anyhow!("demo invoice {n} does not validate: {v:?}")))?;
            metas.push(meta);
            lote.push(FacturaLista {
                factura,
                pagador_id: pagador.id.clone(),
                contrato_id: Some(contrato.id.clone()),
                origen: None,
            });
        }
        let filas = super::facturas::insertar(c, &actor, t, lote)?;
        let resumen = Resumen {
            prestador: prestador.nombre,
            usuarios: usuarios_creados,
            pagadores: pagadores.len(),
            contratos: pagadores.len(),
            facturas: filas.len(),
        };
        let plan: Vec<_> = filas.into_iter().zip(metas).collect();
        Ok((resumen, ids, plan))
    })?;
    let (resumen, ids, plan) = creado;
    let actor = |rol: Rol| Actor {
        usuario_id: ids
            .iter()
            .find(|(r, _)| *r == rol)
            .map(|(_, id)| id.clone())
            .expect("one user per role"),
        prestador_id: plan.first().map(|(f, _)| f.prestador_id.clone()).unwrap_or_default(),
        rol,
    };
    let equipo = Equipo {
        facturacion: actor(Rol::Facturacion),
        cartera: actor(Rol::Cartera),
        finanzas: actor(Rol::Finanzas),
    };
    for (i, (f, meta)) in plan.iter().enumerate() {
        recorrer(db, t, hoy, &equipo, f, *meta, i).map_err(|e| {
            AppError::Internal(anyhow::anyhow!(
                "demo: la factura {} no llegó a {meta:?}: {e}",
                f.numero
            ))
        })?;
    }
    Ok(resumen)
}

struct Equipo {
    facturacion: Actor,
    cartera: Actor,
    finanzas: Actor,
}

/// Where each demo invoice is taken, so the demo shows every state and every alert.
#[derive(Debug, Clone, Copy)]
enum Meta {
    Expedida,
    Radicada,
    Devuelta,
    Reradicada,
    /// Its answer is due within days: on the work list.
    GlosadaReciente,
    /// Its answer was due weeks ago: accepted by silence, on the work list.
    GlosadaVencida,
    RespondidaReciente,
    /// The payer's decision is overdue.
    RespondidaVencida,
    Levantada,
    Ratificada,
    EnConciliacion,
    Conciliada,
    PagadaParcial,
    Pagada,
    Castigada,
    Anulada,
    /// Issued four weeks ago: its radicación term ends within days.
    ExpedidaPorVencer,
    /// Radicated days ago: the 50% is overdue, the rest is not due yet.
    RadicadaReciente,
    /// Returned two days ago: its answer is due within days.
    DevueltaReciente,
    /// Returned after the payer's term: to answer RE9501.
    DevueltaTarde,
    /// Returned, answered RE9601, and the payer let its term pass: unjustified.
    DevolucionInjustificada,
    /// A glosa received after the payer's term: to answer RE9502.
    GlosaExtemporanea,
    /// Ratified days ago: the prestador may still cure it.
    Subsanable,
}

const METAS: [Meta; 23] = [
    Meta::Radicada,
    Meta::Expedida,
    Meta::Devuelta,
    Meta::Reradicada,
    Meta::GlosadaReciente,
    Meta::GlosadaVencida,
    Meta::RespondidaReciente,
    Meta::RespondidaVencida,
    Meta::Levantada,
    Meta::Ratificada,
    Meta::EnConciliacion,
    Meta::Conciliada,
    Meta::PagadaParcial,
    Meta::Pagada,
    Meta::Castigada,
    Meta::Anulada,
    Meta::ExpedidaPorVencer,
    Meta::RadicadaReciente,
    Meta::DevueltaReciente,
    Meta::DevueltaTarde,
    Meta::DevolucionInjustificada,
    Meta::GlosaExtemporanea,
    Meta::Subsanable,
];

impl Meta {
    /// How long ago the invoice was issued, so every later step fits before today.
    fn dias_desde_expedicion(self, rng: &mut StdRng) -> i64 {
        match self {
            Meta::Expedida => rng.gen_range(0..30),
            Meta::Anulada => rng.gen_range(5..60),
            Meta::GlosadaReciente => 32,
            Meta::RespondidaReciente => 62,
            Meta::Castigada => rng.gen_range(380..420),
            Meta::Radicada | Meta::PagadaParcial | Meta::Pagada => rng.gen_range(40..400),
            Meta::ExpedidaPorVencer => 28,
            Meta::RadicadaReciente | Meta::DevueltaReciente => 15,
            Meta::DevueltaTarde | Meta::DevolucionInjustificada => 40,
            Meta::GlosaExtemporanea | Meta::Subsanable => 90,
            _ => rng.gen_range(160..400),
        }
    }
}

/// Takes one invoice to its `meta` through the use cases.
fn recorrer(
    db: &Db,
    t: &Terminos,
    hoy: NaiveDate,
    eq: &Equipo,
    f: &Factura,
    meta: Meta,
    i: usize,
) -> Result<(), AppError> {
    use super::devoluciones::{self, NuevaDevolucion};
    use super::glosas::{self, NuevaConciliacion, NuevaDecision, NuevaGlosa, NuevaRespuesta};
    use super::radicaciones::{self, NuevaRadicacion};
    use crate::domain::glosa::ResultadoDecision;
    let exp = f.fecha_expedicion;
    let dia = |d: i64| exp + Duration::days(d);
    let antes = |d: i64| hoy - Duration::days(d);
    let pesos = |centavos: i64| Decimal::new(centavos, 2);
    let radicar = |fecha: NaiveDate, n: &str| {
        let r = NuevaRadicacion {
            numero_radicado: format!("{n}-{:05}", i + 1),
            fecha_radicacion: fecha,
            excepcion: None,
        };
        // The demo's history was filed before Trazo kept soportes, as a prestador's is on the
        // day it starts with Trazo: its past radicaciones are not held to the checklist.
        radicaciones::radicar(db, t, hoy, &eq.facturacion, false, &f.id, r).map(|_| ())
    };
    // A fifth of the invoice, in whole pesos, on the whole invoice.
    let valor_glosa = f.saldo / 5 / 100 * 100;
    let glosar = |recepcion: NaiveDate| {
        // Application codes of the Res. 2284/2023 manual (art. 4: a closed list).
        let codigos = ["FA0101", "TA0101", "SO0101", "AU0101", "CO0101", "CL0101"];
        let n = NuevaGlosa {
            codigo: codigos[i % codigos.len()].into(),
            valor: pesos(valor_glosa),
            fecha_formulacion: recepcion,
            fecha_recepcion: recepcion,
            item: None,
            observacion: "Glosa de demostración".into(),
            hecho_nuevo: false,
            reemplaza: None,
        };
        glosas::glosar(db, t, hoy, &eq.cartera, &f.id, n).map(|g| g.id)
    };
    let responder = |g: &str, codigo: &str, aceptado: i64, fecha: NaiveDate| {
        let n = NuevaRespuesta {
            codigo: codigo.into(),
            valor_aceptado: pesos(aceptado),
            valor_sustentado: pesos(valor_glosa - aceptado),
            justificacion: "Se anexan soportes".into(),
            fecha,
        };
        glosas::responder(db, t, hoy, &eq.cartera, g, n).map(|_| ())
    };
    let decidir = |g: &str, resultado: ResultadoDecision, levantado: i64, fecha: NaiveDate| {
        let n = NuevaDecision {
            resultado,
            valor_levantado: pesos(levantado),
            fecha,
        };
        glosas::decidir(db, t, hoy, &eq.cartera, g, n).map(|_| ())
    };
    let conciliar = |g: &str, valores: Option<(i64, i64)>, fecha: NaiveDate| {
        let n = NuevaConciliacion {
            valor_a_favor_prestador: valores.map(|v| pesos(v.0)),
            valor_a_favor_pagador: valores.map(|v| pesos(v.1)),
            acta: valores.map(|_| format!("ACTA-{}", i + 1)),
            fecha,
        };
        glosas::conciliar(db, t, hoy, &eq.cartera, g, n).map(|_| ())
    };
    let pagar = |valor: i64, fecha: NaiveDate| {
        let n = super::pagos::NuevoPago {
            pagado_por_id: None,
            pagador_id: f.pagador_id.clone(),
            fecha,
            valor: pesos(valor),
            referencia: format!("TRF-{}", 9000 + i),
            medio: "transferencia".into(),
            aplicaciones: vec![super::pagos::NuevaAplicacion {
                factura_id: f.id.clone(),
                valor: pesos(valor),
            }],
        };
        super::pagos::registrar(db, t, hoy, &eq.finanzas, n).map(|_| ())
    };
    // A glosa that went through answer and decision: (glosa id).
    let disputada = |resultado: ResultadoDecision, levantado: i64, lejos: i64| -> Result<String, AppError> {
        radicar(antes(lejos), "RAD")?;
        let g = glosar(antes(lejos - 12))?;
        responder(&g, "RE9602", 0, antes(lejos - 20))?;
        decidir(&g, resultado, levantado, antes(lejos - 28))?;
        Ok(g)
    };
    let devolver = |fecha: NaiveDate| {
        let n = NuevaDevolucion {
            codigo: "DE1601".into(),
            fecha,
            observacion: "Usuario de otro plan".into(),
        };
        devoluciones::devolver(db, t, hoy, &eq.cartera, &f.id, n)
    };
    // The devolución of the invoice as it stands after `devolver`.
    let devolucion_id = || -> Result<String, AppError> {
        let v = super::facturas::obtener(db, t, hoy, &eq.cartera, &f.id)?;
        v.devoluciones
            .and_then(|d| d.last().map(|d| d.id.clone()))
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("demo: la factura {} no tiene devolución", f.numero)))
    };
    match meta {
        Meta::Expedida | Meta::ExpedidaPorVencer => Ok(()),
        Meta::Radicada => radicar(dia(7), "RAD"),
        Meta::RadicadaReciente => radicar(antes(12), "RAD"),
        Meta::DevueltaReciente => {
            radicar(antes(4), "RAD")?;
            devolver(antes(2)).map(|_| ())
        }
        Meta::DevueltaTarde => {
            // Res. 2284/2023 art. 6.1: returned 20 days after radicación, out of its term.
            radicar(antes(30), "RAD")?;
            devolver(antes(10)).map(|_| ())
        }
        Meta::DevolucionInjustificada => {
            radicar(antes(25), "RAD")?;
            devolver(antes(24))?;
            let n = super::devoluciones::NuevaRespuestaDevolucion {
                codigo: "RE9601".into(),
                fecha: antes(23),
                justificacion: "El usuario estaba afiliado a la EPS en la fecha de la atención".into(),
            };
            super::devoluciones::responder(db, t, hoy, &eq.cartera, &devolucion_id()?, n).map(|_| ())
        }
        Meta::GlosaExtemporanea => {
            // Received 40 days after radicación: past the 20 días hábiles of Ley 1438/2011 art. 57.
            radicar(antes(80), "RAD")?;
            glosar(antes(40)).map(|_| ())
        }
        Meta::Subsanable => {
            radicar(antes(60), "RAD")?;
            let g = glosar(antes(50))?;
            responder(&g, "RE9602", 0, antes(40))?;
            decidir(&g, ResultadoDecision::Ratificada, 0, antes(6))
        }
        Meta::Devuelta | Meta::Reradicada => {
            radicar(dia(5), "RAD")?;
            devolver(dia(7))?;
            match meta {
                Meta::Reradicada => radicar(dia(13), "RAD2"),
                _ => Ok(()),
            }
        }
        Meta::GlosadaReciente => {
            radicar(antes(24), "RAD")?;
            glosar(antes(17)).map(|_| ())
        }
        Meta::GlosadaVencida => {
            radicar(antes(70), "RAD")?;
            glosar(antes(45)).map(|_| ())
        }
        Meta::RespondidaReciente | Meta::RespondidaVencida => {
            // Answered 5 days ago (the payer still has time) or 80 days ago (it did not decide).
            let (lejos, respondida) = if matches!(meta, Meta::RespondidaReciente) {
                (50, 5)
            } else {
                (110, 80)
            };
            radicar(antes(lejos), "RAD")?;
            let g = glosar(antes(lejos - 15))?;
            responder(&g, "RE9801", valor_glosa / 2 / 100 * 100, antes(respondida))
        }
        Meta::Levantada => disputada(ResultadoDecision::Levantada, valor_glosa, 150).map(|_| ()),
        Meta::Ratificada => disputada(ResultadoDecision::Ratificada, 0, 150).map(|_| ()),
        Meta::EnConciliacion => {
            let g = disputada(ResultadoDecision::Parcial, valor_glosa / 2 / 100 * 100, 150)?;
            conciliar(&g, None, antes(100))
        }
        Meta::Conciliada => {
            let g = disputada(ResultadoDecision::Ratificada, 0, 150)?;
            conciliar(&g, None, antes(110))?;
            let mitad = valor_glosa / 2 / 100 * 100;
            conciliar(&g, Some((mitad, valor_glosa - mitad)), antes(90))
        }
        Meta::PagadaParcial => {
            radicar(dia(7), "RAD")?;
            pagar(f.saldo / 2 / 100 * 100, dia(30).min(hoy))
        }
        Meta::Pagada => {
            radicar(dia(7), "RAD")?;
            let g = glosar(dia(12))?;
            responder(&g, "RE9702", valor_glosa, dia(20))?;
            pagar(f.saldo - valor_glosa, dia(35).min(hoy))
        }
        Meta::Castigada => {
            radicar(dia(10), "RAD")?;
            let n = super::notas::NuevoCastigo {
                fecha: antes(10),
                acta: "Comité de cartera, acta 11".into(),
                motivo: "Pagador liquidado".into(),
            };
            super::notas::castigar(db, t, hoy, &eq.finanzas, &f.id, n).map(|_| ())
        }
        Meta::Anulada => {
            let n = super::notas::NuevaNota {
                numero: format!("NC-{}", i + 1),
                cude: None,
                valor: pesos(f.saldo),
                fecha: dia(2).min(hoy),
                motivo: "Error en el usuario facturado".into(),
                anulacion: true,
            };
            super::notas::nota_credito(db, t, hoy, &eq.facturacion, &f.id, n).map(|_| ())
        }
    }
}
