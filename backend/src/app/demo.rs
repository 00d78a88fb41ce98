//! The demo data set of `trazo demo`: one prestador, payers of every kind with contracts,
//! a year of invoices with lines, and one user per role. Fictitious names and numbers.

use chrono::{Datelike, Duration, NaiveDate};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rust_decimal::Decimal;

use super::facturas::FacturaLista;
use super::usuarios::{self, NuevoUsuario};
use super::{Actor, AppError};
use crate::db::{self, contratos::Contrato, pagadores::Pagador, prestadores::Prestador, Db};
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

/// Builds the demo data set in an empty database (one transaction).
pub fn cargar(db: &Db, t: &Terminos, hoy: NaiveDate) -> Result<Resumen, AppError> {
    let mut rng = StdRng::seed_from_u64(2026);
    // Users are hashed before the transaction: argon2 is slow on purpose.
    let mut preparados = Vec::new();
    for rol in Rol::ALL {
        let email = format!("{rol}@demo.trazo");
        let n = NuevoUsuario {
            email: email.clone(),
            nombre: format!("Demo {rol}"),
            rol: *rol,
            password: DEMO_PASSWORD.into(),
        };
        // The demo password is short on purpose and documented; real users get the minimum.
        preparados.push((*rol, email, usuarios::preparar_con(n, 1)?));
    }
    db.write(|c| {
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
        let mut facturador = None;
        for (rol, email, u) in preparados {
            let fila = usuarios::insertar(c, &prestador.id, u)?;
            if rol == Rol::Facturacion {
                facturador = Some(fila.id);
            }
            usuarios_creados.push((rol, email));
        }
        let actor = Actor {
            usuario_id: facturador.expect("the demo has a facturacion user"),
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
                tipo: tipo.as_str().into(),
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
                modalidad: modalidad.as_str().into(),
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
        let mut lote = Vec::with_capacity(FACTURAS_DEMO);
        for n in 0..FACTURAS_DEMO {
            let (pagador, contrato) = &pagadores[rng.gen_range(0..pagadores.len())];
            let fecha = hoy - Duration::days(rng.gen_range(0..420));
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
            let contributivo = pagador.tipo == TipoPagador::EpsContributivo.as_str();
            let entrada = FacturaEntrada {
                numero: format!("FEV{}", 10_000 + n),
                fecha_expedicion: fecha,
                valor_total: total,
                copagos: Decimal::ZERO,
                cuotas_moderadoras: if contributivo {
                    Decimal::from(4_700).min(total)
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
            lote.push(FacturaLista {
                factura,
                pagador_id: pagador.id.clone(),
                contrato_id: Some(contrato.id.clone()),
            });
        }
        let facturas = super::facturas::insertar(c, &actor, t, lote)?.len();
        Ok(Resumen {
            prestador: prestador.nombre,
            usuarios: usuarios_creados,
            pagadores: pagadores.len(),
            contratos: pagadores.len(),
            facturas,
        })
    })
}
