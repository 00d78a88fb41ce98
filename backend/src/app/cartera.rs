//! Cartera reports: the aging of balances at a cut-off (by payer or by invoice, since
//! radicación or since expedición), the indicators of a period per payer, and where glosas
//! take money (by code, service or payer). Computed in SQL; JSON and XLSX.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate};
use rust_decimal::Decimal;
use serde::Serialize;
use utoipa::ToSchema;

use super::hoja::{self, Celda, Hoja};
use super::{Actor, AppError, Lista, Pagina};
use crate::db::cartera::{Agrupar, Base, Filtro, Flujo};
use crate::db::{self, AnyConnection, Db};
use crate::domain::catalogo::Catalogo;
use crate::domain::cobro::{self, TasaMora};
use crate::domain::money::from_centavos;
use crate::domain::pagador::TipoPagador;
use crate::domain::rol::Rol;
use crate::domain::terminos::{Reglas, Terminos};

/// Who reads cartera reports: finance, the cartera team, admins and auditors.
pub const LECTORES: &[Rol] = &[Rol::Finanzas, Rol::Cartera, Rol::Admin, Rol::Auditor];

/// The filters every report takes.
#[derive(Debug, Clone, Default)]
pub struct Filtros {
    pub pagador_id: Option<String>,
    pub tipo: Option<String>,
    pub contrato_id: Option<String>,
}

impl Filtros {
    fn validar(&self) -> Result<Filtro, AppError> {
        if let Some(t) = &self.tipo {
            t.parse::<TipoPagador>()
                .map_err(|e| AppError::invalid("tipo", e.to_string()))?;
        }
        Ok(Filtro {
            pagador_id: self.pagador_id.clone(),
            tipo: self.tipo.clone(),
            contrato_id: self.contrato_id.clone(),
        })
    }
}

/// The age buckets of DOMAIN.md, in days.
pub const EDADES: [&str; 6] = ["0-30", "31-60", "61-90", "91-180", "181-360", ">360"];

/// Balance per age bucket.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Edades {
    #[serde(rename = "0-30")]
    #[schema(value_type = String)]
    pub d0_30: Decimal,
    #[serde(rename = "31-60")]
    #[schema(value_type = String)]
    pub d31_60: Decimal,
    #[serde(rename = "61-90")]
    #[schema(value_type = String)]
    pub d61_90: Decimal,
    #[serde(rename = "91-180")]
    #[schema(value_type = String)]
    pub d91_180: Decimal,
    #[serde(rename = "181-360")]
    #[schema(value_type = String)]
    pub d181_360: Decimal,
    #[serde(rename = ">360")]
    #[schema(value_type = String)]
    pub mas_360: Decimal,
}

impl Default for Edades {
    fn default() -> Edades {
        let z = from_centavos(0);
        Edades {
            d0_30: z,
            d31_60: z,
            d61_90: z,
            d91_180: z,
            d181_360: z,
            mas_360: z,
        }
    }
}

impl Edades {
    fn celda(&mut self, edad: i32) -> &mut Decimal {
        match edad {
            0 => &mut self.d0_30,
            1 => &mut self.d31_60,
            2 => &mut self.d61_90,
            3 => &mut self.d91_180,
            4 => &mut self.d181_360,
            _ => &mut self.mas_360,
        }
    }

    fn valores(&self) -> [Decimal; 6] {
        [
            self.d0_30,
            self.d31_60,
            self.d61_90,
            self.d91_180,
            self.d181_360,
            self.mas_360,
        ]
    }
}

/// The bucket (0 = 0-30 ... 5 = >360) of a balance `dias` old.
pub fn edad(dias: i64) -> i32 {
    match dias {
        ..=30 => 0,
        31..=60 => 1,
        61..=90 => 2,
        91..=180 => 3,
        181..=360 => 4,
        _ => 5,
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FilaCartera {
    pub pagador_id: String,
    pub pagador: String,
    pub tipo: String,
    pub facturas: i64,
    pub edades: Edades,
    #[schema(value_type = String)]
    pub total: Decimal,
    /// Of the total, past the payment term at the cut-off.
    #[schema(value_type = String)]
    pub vencido: Decimal,
    /// Of the total, not radicated by the cut-off (aged since expedición).
    #[schema(value_type = String)]
    pub sin_radicar: Decimal,
    /// Of the total, returned by the payer and not yet radicated again: shown apart because it
    /// is not owed, hence never overdue, until the payer has it again (Res. 2284/2023 art. 6).
    #[schema(value_type = String)]
    pub devuelto: Decimal,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Cartera {
    pub corte: NaiveDate,
    /// `radicacion` or `expedicion`: the date ages are counted from.
    pub base: String,
    pub filas: Vec<FilaCartera>,
    pub totales: Edades,
    #[schema(value_type = String)]
    pub total: Decimal,
    #[schema(value_type = String)]
    pub vencido: Decimal,
    #[schema(value_type = String)]
    pub sin_radicar: Decimal,
    #[schema(value_type = String)]
    pub devuelto: Decimal,
}

/// Parses `base`.
pub fn base(texto: Option<&str>) -> Result<Base, AppError> {
    match texto.unwrap_or("radicacion") {
        "radicacion" => Ok(Base::Radicacion),
        "expedicion" => Ok(Base::Expedicion),
        otro => Err(AppError::invalid(
            "base",
            format!("'{otro}' no es una base; se espera radicacion o expedicion"),
        )),
    }
}

fn nombre_base(b: Base) -> String {
    match b {
        Base::Radicacion => "radicacion",
        Base::Expedicion => "expedicion",
    }
    .into()
}

/// How silence counts in the reports, from the rules in force.
pub fn silencio(r: &Reglas) -> db::cartera::Silencio {
    db::cartera::Silencio {
        aceptacion: r.aceptacion_tacita,
        aceptacion_extemporanea: r.aceptacion_tacita_glosa_extemporanea,
        levantamiento: r.levantamiento_tacito,
    }
}

fn limites(corte: NaiveDate) -> [NaiveDate; 5] {
    // Bucket k holds base dates on or after corte − its upper bound in days.
    [30, 60, 90, 180, 360].map(|d| corte - Duration::days(d))
}

fn edades_en(
    c: &mut AnyConnection,
    t: &Terminos,
    prestador_id: &str,
    corte: NaiveDate,
    b: Base,
    f: &Filtro,
) -> Result<Cartera, AppError> {
    let celdas = db::cartera::edades(c, prestador_id, corte, limites(corte), b, silencio(&t.reglas), f)?;
    let mut filas: Vec<FilaCartera> = Vec::new();
    let mut totales = Edades::default();
    let (mut total, mut vencido, mut sin_radicar, mut devuelto) =
        (from_centavos(0), from_centavos(0), from_centavos(0), from_centavos(0));
    for x in celdas {
        if filas.last().is_none_or(|f| f.pagador_id != x.pagador_id) {
            filas.push(FilaCartera {
                pagador_id: x.pagador_id.clone(),
                pagador: x.pagador.clone(),
                tipo: x.tipo.clone(),
                facturas: 0,
                edades: Edades::default(),
                total: from_centavos(0),
                vencido: from_centavos(0),
                sin_radicar: from_centavos(0),
                devuelto: from_centavos(0),
            });
        }
        let fila = filas.last_mut().expect("pushed above");
        let v = from_centavos(x.saldo);
        *fila.edades.celda(x.edad) += v;
        *totales.celda(x.edad) += v;
        fila.facturas += x.facturas;
        fila.total += v;
        fila.vencido += from_centavos(x.vencido);
        fila.sin_radicar += from_centavos(x.sin_radicar);
        total += v;
        vencido += from_centavos(x.vencido);
        sin_radicar += from_centavos(x.sin_radicar);
        fila.devuelto += from_centavos(x.devuelto);
        devuelto += from_centavos(x.devuelto);
    }
    Ok(Cartera {
        corte,
        base: nombre_base(b),
        filas,
        totales,
        total,
        vencido,
        sin_radicar,
        devuelto,
    })
}

/// Balances owed at `corte` by payer and age.
pub fn por_pagador(
    db: &Db,
    t: &Terminos,
    actor: &Actor,
    corte: NaiveDate,
    b: Base,
    f: &Filtros,
) -> Result<Cartera, AppError> {
    actor.exigir(LECTORES, "ver la cartera")?;
    let filtro = f.validar()?;
    db.read(|c| edades_en(c, t, &actor.prestador_id, corte, b, &filtro))
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SaldoFactura {
    pub factura_id: String,
    pub numero: String,
    pub pagador_id: String,
    pub pagador: String,
    pub estado: String,
    pub fecha_expedicion: NaiveDate,
    pub fecha_radicacion: Option<NaiveDate>,
    /// The date the age counts from.
    pub fecha_base: NaiveDate,
    pub dias: i64,
    /// The age bucket (`0-30` ... `>360`).
    pub edad: String,
    pub vence: Option<NaiveDate>,
    /// Calendar days past the payment term at the cut-off (0 when not overdue).
    pub dias_mora: i64,
    #[schema(value_type = String)]
    pub saldo: Decimal,
}

fn saldo_factura(corte: NaiveDate, s: db::cartera::SaldoFactura) -> SaldoFactura {
    let dias = (corte - s.fecha_base).num_days();
    let dias_mora = cobro::dias_mora(s.fecha_limite_pago, s.estado == "devuelta", corte);
    SaldoFactura {
        factura_id: s.factura_id,
        numero: s.numero,
        pagador_id: s.pagador_id,
        pagador: s.pagador,
        estado: s.estado,
        fecha_expedicion: s.fecha_expedicion,
        fecha_radicacion: s.fecha_radicacion,
        fecha_base: s.fecha_base,
        dias,
        edad: EDADES[edad(dias) as usize].into(),
        vence: s.fecha_limite_pago,
        dias_mora,
        saldo: from_centavos(s.saldo),
    }
}

/// The invoices with a balance at `corte`, oldest first: a page, or every one for a workbook.
pub fn por_factura(
    db: &Db,
    t: &Terminos,
    actor: &Actor,
    corte: NaiveDate,
    b: Base,
    f: &Filtros,
    pagina: Option<Pagina>,
) -> Result<Lista<SaldoFactura>, AppError> {
    actor.exigir(LECTORES, "ver la cartera")?;
    let filtro = f.validar()?;
    // A workbook holds at most 1,048,576 rows.
    let (offset, limit) = pagina.map_or((0, 1_000_000), |p| (p.offset(), p.per_page));
    let (filas, total) = db.read(|c| {
        Ok::<_, AppError>(db::cartera::saldos_por_factura(
            c,
            &actor.prestador_id,
            corte,
            b,
            silencio(&t.reglas),
            &filtro,
            offset,
            limit,
        )?)
    })?;
    Ok(Lista {
        items: filas.into_iter().map(|s| saldo_factura(corte, s)).collect(),
        total,
    })
}

pub fn xlsx_por_pagador(r: &Cartera) -> Result<Vec<u8>, AppError> {
    let mut columnas = vec![("Pagador", 36.0), ("Tipo", 18.0), ("Facturas", 10.0)];
    columnas.extend(EDADES.iter().map(|e| (*e, 16.0)));
    columnas.extend([
        ("Total", 18.0),
        ("Vencido", 18.0),
        ("Sin radicar", 16.0),
        ("Devuelto", 16.0),
    ]);
    let mut filas: Vec<Vec<Celda>> = r
        .filas
        .iter()
        .map(|f| {
            let mut v = vec![
                f.pagador.as_str().into(),
                f.tipo.as_str().into(),
                Celda::Entero(f.facturas),
            ];
            v.extend(f.edades.valores().map(Celda::Dinero));
            v.extend([
                Celda::Dinero(f.total),
                Celda::Dinero(f.vencido),
                Celda::Dinero(f.sin_radicar),
                Celda::Dinero(f.devuelto),
            ]);
            v
        })
        .collect();
    let mut total = vec![
        "TOTAL".into(),
        Celda::Vacia,
        Celda::Entero(r.filas.iter().map(|f| f.facturas).sum()),
    ];
    total.extend(r.totales.valores().map(Celda::Dinero));
    total.extend([
        Celda::Dinero(r.total),
        Celda::Dinero(r.vencido),
        Celda::Dinero(r.sin_radicar),
        Celda::Dinero(r.devuelto),
    ]);
    filas.push(total);
    hoja::libro(&[Hoja {
        nombre: "Cartera por edades".into(),
        encabezado: vec![
            ("Corte".into(), r.corte.to_string()),
            ("Edad desde".into(), r.base.clone()),
        ],
        columnas,
        filas,
    }])
}

pub fn xlsx_por_factura(corte: NaiveDate, b: Base, l: &Lista<SaldoFactura>) -> Result<Vec<u8>, AppError> {
    let filas = l
        .items
        .iter()
        .map(|s| {
            vec![
                s.numero.as_str().into(),
                s.pagador.as_str().into(),
                s.estado.as_str().into(),
                Celda::Fecha(s.fecha_expedicion),
                s.fecha_radicacion.into(),
                Celda::Entero(s.dias),
                s.edad.as_str().into(),
                s.vence.into(),
                Celda::Entero(s.dias_mora),
                Celda::Dinero(s.saldo),
            ]
        })
        .collect();
    hoja::libro(&[Hoja {
        nombre: "Cartera por factura".into(),
        encabezado: vec![
            ("Corte".into(), corte.to_string()),
            ("Edad desde".into(), nombre_base(b)),
        ],
        columnas: vec![
            ("Factura", 16.0),
            ("Pagador", 32.0),
            ("Estado", 14.0),
            ("Expedición", 12.0),
            ("Radicación", 12.0),
            ("Días", 8.0),
            ("Edad", 10.0),
            ("Vence", 12.0),
            ("Días de mora", 10.0),
            ("Saldo", 18.0),
        ],
        filas,
    }])
}

/// The indicators of one payer (or of all) over a period.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct Indicadores {
    pub pagador_id: Option<String>,
    pub pagador: String,
    pub tipo: Option<String>,
    /// Value charged to the payer of the invoices issued in the period (not annulled).
    #[schema(value_type = String)]
    pub facturado: Decimal,
    /// Value charged to the payer of the invoices radicated in the period.
    #[schema(value_type = String)]
    pub radicado: Decimal,
    /// Glosas received in the period.
    #[schema(value_type = String)]
    pub glosado: Decimal,
    /// glosado / radicado × 100.
    #[schema(value_type = Option<String>)]
    pub pct_glosa: Option<Decimal>,
    /// Of those glosas, accepted by the prestador (or by silence).
    #[schema(value_type = String)]
    pub glosa_aceptada: Decimal,
    /// Of those glosas, lifted by the payer (or by silence) or conciliated in the prestador's favour.
    #[schema(value_type = String)]
    pub glosa_levantada: Decimal,
    /// glosa_aceptada / glosado × 100.
    #[schema(value_type = Option<String>)]
    pub pct_aceptada: Option<Decimal>,
    /// Recovery: glosa_levantada / glosado × 100.
    #[schema(value_type = Option<String>)]
    pub pct_recuperacion: Option<Decimal>,
    /// Payments applied in the period.
    #[schema(value_type = String)]
    pub pagado: Decimal,
    /// Balance the day before the period.
    #[schema(value_type = String)]
    pub cartera_inicial: Decimal,
    /// Balance at the period's end...
    #[schema(value_type = String)]
    pub cartera_final: Decimal,
    /// ...of it not yet due...
    #[schema(value_type = String)]
    pub cartera_corriente: Decimal,
    /// ...and past due.
    #[schema(value_type = String)]
    pub cartera_vencida: Decimal,
    #[schema(value_type = Option<String>)]
    pub pct_vencida: Option<Decimal>,
    /// Días de cartera: cartera_final / facturado × días del periodo.
    #[schema(value_type = Option<String>)]
    pub dso: Option<Decimal>,
    /// facturado / average of cartera_inicial and cartera_final.
    #[schema(value_type = Option<String>)]
    pub rotacion: Option<Decimal>,
    /// Collection effectiveness index, percent.
    #[schema(value_type = Option<String>)]
    pub cei: Option<Decimal>,
    /// Mora interest owed at the period's end (Decreto-Ley 1281/2002 art. 4).
    #[schema(value_type = String)]
    pub interes_mora: Decimal,
    /// Of `pagado`, what came in on written-off invoices (recuperación de cartera castigada).
    #[schema(value_type = String)]
    pub recuperado_castigada: Decimal,
    /// Of `pagado`, what a third party paid on this payer's behalf (ADRES giro directo).
    #[schema(value_type = String)]
    pub pagado_por_terceros: Decimal,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReporteIndicadores {
    pub desde: NaiveDate,
    pub hasta: NaiveDate,
    pub dias: i64,
    pub filas: Vec<Indicadores>,
    pub total: Indicadores,
}

/// Centavos per payer of one measure.
#[derive(Default, Clone, Copy)]
struct Cifras {
    facturado: i64,
    radicado: i64,
    glosado: i64,
    aceptado: i64,
    levantado: i64,
    pagado: i64,
    inicial: i64,
    final_: i64,
    vencida: i64,
    interes: i64,
    recuperado: i64,
    terceros: i64,
}

impl Cifras {
    fn sumar(&mut self, o: &Cifras) {
        self.facturado += o.facturado;
        self.radicado += o.radicado;
        self.glosado += o.glosado;
        self.aceptado += o.aceptado;
        self.levantado += o.levantado;
        self.pagado += o.pagado;
        self.inicial += o.inicial;
        self.final_ += o.final_;
        self.vencida += o.vencida;
        self.interes += o.interes;
        self.recuperado += o.recuperado;
        self.terceros += o.terceros;
    }

    fn indicadores(&self, dias: i64) -> Indicadores {
        let corriente = self.final_ - self.vencida;
        Indicadores {
            facturado: from_centavos(self.facturado),
            radicado: from_centavos(self.radicado),
            glosado: from_centavos(self.glosado),
            pct_glosa: cobro::porcentaje(self.glosado, self.radicado),
            glosa_aceptada: from_centavos(self.aceptado),
            glosa_levantada: from_centavos(self.levantado),
            pct_aceptada: cobro::porcentaje(self.aceptado, self.glosado),
            pct_recuperacion: cobro::porcentaje(self.levantado, self.glosado),
            pagado: from_centavos(self.pagado),
            cartera_inicial: from_centavos(self.inicial),
            cartera_final: from_centavos(self.final_),
            cartera_corriente: from_centavos(corriente),
            cartera_vencida: from_centavos(self.vencida),
            pct_vencida: cobro::porcentaje(self.vencida, self.final_),
            dso: cobro::dso(self.final_, self.facturado, dias),
            rotacion: cobro::rotacion(self.facturado, self.inicial, self.final_),
            cei: cobro::cei(self.inicial, self.facturado, self.final_, corriente),
            interes_mora: from_centavos(self.interes),
            recuperado_castigada: from_centavos(self.recuperado),
            pagado_por_terceros: from_centavos(self.terceros),
            ..Default::default()
        }
    }
}

/// Mora interest per payer at `hasta` over the overdue invoices' ledger: from the day after
/// the first share was due where the 50% rule applies (Ley 1122/2007 art. 13 lit. d), from the
/// day after the payment term otherwise.
pub fn intereses(
    c: &mut AnyConnection,
    t: &Terminos,
    prestador_id: &str,
    hasta: NaiveDate,
    tasas: &[TasaMora],
    f: &Filtro,
) -> Result<HashMap<String, i64>, AppError> {
    let radicadas_hasta = t.pago_anticipo.ultimo_inicio_vencido(hasta);
    let movs = db::cartera::movimientos_vencidos(c, prestador_id, hasta, radicadas_hasta, f)?;
    let mut out: HashMap<String, i64> = HashMap::new();
    for grupo in movs.chunk_by(|a, b| a.factura_id == b.factura_id) {
        let m: Vec<(NaiveDate, i64)> = grupo.iter().map(|x| (x.fecha, x.valor)).collect();
        let x = &grupo[0];
        let venc = cobro::Vencimiento {
            vence: x.vence,
            anticipo: x
                .fecha_radicacion
                .filter(|_| !x.capita)
                .map(|r| (t.pago_anticipo.vence(r), x.a_cargo - t.valor_anticipo(x.a_cargo))),
        };
        *out.entry(x.pagador_id.clone()).or_default() += cobro::interes_mora(&m, x.en_discusion, &venc, hasta, tasas);
    }
    Ok(out)
}

/// The indicators per payer over `desde..=hasta`.
#[allow(clippy::too_many_arguments)]
pub fn indicadores(
    db: &Db,
    t: &Terminos,
    tasas: &[TasaMora],
    actor: &Actor,
    desde: NaiveDate,
    hasta: NaiveDate,
    hoy: NaiveDate,
    f: &Filtros,
) -> Result<ReporteIndicadores, AppError> {
    actor.exigir(LECTORES, "ver los indicadores de cartera")?;
    if hasta < desde {
        return Err(AppError::invalid("hasta", "el periodo termina antes de empezar"));
    }
    let filtro = f.validar()?;
    let pid = &actor.prestador_id;
    let dias = (hasta - desde).num_days() + 1;
    let mut cifras: HashMap<String, Cifras> = HashMap::new();
    let mut nombres: HashMap<String, (String, String)> = HashMap::new();
    db.read(|c| {
        for (que, campo) in [
            (Flujo::Facturado, 0),
            (Flujo::Radicado, 1),
            (Flujo::Pagado, 2),
            (Flujo::Recuperado, 3),
            (Flujo::PagadoPorTerceros, 4),
        ] {
            for s in db::cartera::flujo(c, pid, que, desde, hasta, &filtro)? {
                let x = cifras.entry(s.pagador_id).or_default();
                match campo {
                    0 => x.facturado = s.valor,
                    1 => x.radicado = s.valor,
                    2 => x.pagado = s.valor,
                    3 => x.recuperado = s.valor,
                    _ => x.terceros = s.valor,
                }
            }
        }
        for g in db::cartera::glosas(
            c,
            pid,
            Agrupar::Pagador,
            desde,
            hasta,
            hoy,
            silencio(&t.reglas),
            &filtro,
        )? {
            let x = cifras.entry(g.clave).or_default();
            x.glosado = g.glosado;
            x.aceptado = g.aceptado;
            x.levantado = g.levantado;
        }
        for (corte, inicial) in [(desde - Duration::days(1), true), (hasta, false)] {
            for fila in edades_en(c, t, pid, corte, Base::Radicacion, &filtro)?.filas {
                nombres.insert(fila.pagador_id.clone(), (fila.pagador.clone(), fila.tipo.clone()));
                let x = cifras.entry(fila.pagador_id).or_default();
                let centavos = |d: Decimal| crate::domain::money::to_centavos(d).unwrap_or(0);
                if inicial {
                    x.inicial = centavos(fila.total);
                } else {
                    x.final_ = centavos(fila.total);
                    x.vencida = centavos(fila.vencido);
                }
            }
        }
        for (p, i) in intereses(c, t, pid, hasta, tasas, &filtro)? {
            cifras.entry(p).or_default().interes = i;
        }
        // Names of payers that only had flows in the period.
        let (pagadores, _) = db::pagadores::listar(c, pid, &Default::default(), 0, i64::MAX)?;
        for p in pagadores {
            nombres.entry(p.id).or_insert((p.nombre, p.tipo.as_str().to_string()));
        }
        Ok::<_, AppError>(())
    })?;
    let mut total = Cifras::default();
    let mut filas: Vec<Indicadores> = cifras
        .iter()
        .map(|(id, x)| {
            total.sumar(x);
            let (nombre, tipo) = nombres.get(id).cloned().unwrap_or_default();
            Indicadores {
                pagador_id: Some(id.clone()),
                pagador: nombre,
                tipo: Some(tipo),
                ..x.indicadores(dias)
            }
        })
        .collect();
    filas.sort_by(|a, b| a.pagador.cmp(&b.pagador));
    Ok(ReporteIndicadores {
        desde,
        hasta,
        dias,
        filas,
        total: Indicadores {
            pagador: "Total".into(),
            ..total.indicadores(dias)
        },
    })
}

fn fila_indicadores(i: &Indicadores) -> Vec<Celda> {
    vec![
        i.pagador.as_str().into(),
        i.tipo.clone().unwrap_or_default().into(),
        Celda::Dinero(i.facturado),
        Celda::Dinero(i.radicado),
        Celda::Dinero(i.glosado),
        i.pct_glosa.into(),
        Celda::Dinero(i.glosa_aceptada),
        Celda::Dinero(i.glosa_levantada),
        i.pct_recuperacion.into(),
        Celda::Dinero(i.pagado),
        Celda::Dinero(i.cartera_inicial),
        Celda::Dinero(i.cartera_final),
        Celda::Dinero(i.cartera_vencida),
        i.pct_vencida.into(),
        i.dso.into(),
        i.rotacion.into(),
        i.cei.into(),
        Celda::Dinero(i.interes_mora),
        Celda::Dinero(i.recuperado_castigada),
    ]
}

const COLUMNAS_INDICADORES: [(&str, f64); 19] = [
    ("Pagador", 32.0),
    ("Tipo", 16.0),
    ("Facturado", 16.0),
    ("Radicado", 16.0),
    ("Glosado", 16.0),
    ("% glosa", 9.0),
    ("Glosa aceptada", 16.0),
    ("Glosa levantada", 16.0),
    ("% recuperación", 12.0),
    ("Pagado", 16.0),
    ("Cartera inicial", 16.0),
    ("Cartera final", 16.0),
    ("Vencida", 16.0),
    ("% vencida", 9.0),
    ("DSO (días)", 10.0),
    ("Rotación", 9.0),
    ("CEI %", 9.0),
    ("Interés de mora", 16.0),
    ("Recuperado de castigada", 16.0),
];

fn hoja_indicadores(r: &ReporteIndicadores) -> Hoja {
    let mut filas: Vec<Vec<Celda>> = r.filas.iter().map(fila_indicadores).collect();
    filas.push(fila_indicadores(&r.total));
    Hoja {
        nombre: "Indicadores".into(),
        encabezado: vec![
            ("Desde".into(), r.desde.to_string()),
            ("Hasta".into(), r.hasta.to_string()),
            ("Días".into(), r.dias.to_string()),
        ],
        columnas: COLUMNAS_INDICADORES.to_vec(),
        filas,
    }
}

pub fn xlsx_indicadores(r: &ReporteIndicadores) -> Result<Vec<u8>, AppError> {
    hoja::libro(&[hoja_indicadores(r)])
}

/// The twelve calendar months that end with the month of `hasta` (the last one cut at
/// `hasta`), oldest first, as (first day, last day).
pub fn meses_hasta(hasta: NaiveDate, meses: u32) -> Vec<(NaiveDate, NaiveDate)> {
    use chrono::{Datelike, Months};
    let primero = hasta.with_day(1).unwrap_or(hasta);
    (0..meses)
        .rev()
        .filter_map(|k| {
            let desde = primero.checked_sub_months(Months::new(k))?;
            let fin = desde.checked_add_months(Months::new(1))?.pred_opt()?;
            Some((desde, fin.min(hasta)))
        })
        .collect()
}

/// The indicators of each of the `meses` calendar months ending with the month of `hasta`,
/// oldest first: the trend finance reports upward.
#[allow(clippy::too_many_arguments)]
pub fn tendencia(
    db: &Db,
    t: &Terminos,
    tasas: &[TasaMora],
    actor: &Actor,
    hasta: NaiveDate,
    meses: u32,
    hoy: NaiveDate,
    f: &Filtros,
) -> Result<Vec<ReporteIndicadores>, AppError> {
    actor.exigir(LECTORES, "ver los indicadores de cartera")?;
    meses_hasta(hasta, meses)
        .into_iter()
        .map(|(d, h)| indicadores(db, t, tasas, actor, d, h, hoy, f))
        .collect()
}

/// The period's indicators by payer, and a second sheet with the total of each month of the
/// trend.
pub fn xlsx_tendencia(r: &ReporteIndicadores, meses: &[ReporteIndicadores]) -> Result<Vec<u8>, AppError> {
    let mut columnas = vec![("Mes", 10.0)];
    columnas.extend(COLUMNAS_INDICADORES[2..].iter().copied());
    let filas = meses
        .iter()
        .map(|m| {
            let mut v: Vec<Celda> = vec![m.desde.format("%Y-%m").to_string().into()];
            v.extend(fila_indicadores(&m.total).into_iter().skip(2));
            v
        })
        .collect();
    let tendencia = Hoja {
        nombre: "Tendencia".into(),
        encabezado: vec![(
            "Meses".into(),
            match (meses.first(), meses.last()) {
                (Some(a), Some(b)) => format!("{} a {}", a.desde, b.hasta),
                _ => String::new(),
            },
        )],
        columnas,
        filas,
    };
    hoja::libro(&[hoja_indicadores(r), tendencia])
}

/// Glosas of a group: what was objected and what became of it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FilaGlosas {
    pub clave: String,
    pub descripcion: String,
    pub glosas: i64,
    #[schema(value_type = String)]
    pub glosado: Decimal,
    /// Accepted by the prestador (or by silence): money lost.
    #[schema(value_type = String)]
    pub aceptado: Decimal,
    /// Lifted by the payer (or by silence) or conciliated in the prestador's favour: recovered.
    #[schema(value_type = String)]
    pub levantado: Decimal,
    /// Conciliated in the payer's favour: lost.
    #[schema(value_type = String)]
    pub conciliado_pagador: Decimal,
    /// Still in dispute.
    #[schema(value_type = String)]
    pub en_discusion: Decimal,
    /// aceptado + conciliado_pagador.
    #[schema(value_type = String)]
    pub perdido: Decimal,
    /// Share of all the period's glosado, percent.
    #[schema(value_type = Option<String>)]
    pub pct_del_total: Option<Decimal>,
    /// levantado / glosado × 100.
    #[schema(value_type = Option<String>)]
    pub pct_recuperacion: Option<Decimal>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReporteGlosas {
    pub desde: NaiveDate,
    pub hasta: NaiveDate,
    /// `codigo`, `servicio` or `pagador`.
    pub por: String,
    /// Every group, most glosado first.
    pub filas: Vec<FilaGlosas>,
    /// The five groups where most money was lost.
    pub principales_causas: Vec<FilaGlosas>,
    pub total: FilaGlosas,
}

pub fn agrupar(texto: Option<&str>) -> Result<Agrupar, AppError> {
    match texto.unwrap_or("codigo") {
        "codigo" => Ok(Agrupar::Codigo),
        "servicio" => Ok(Agrupar::Servicio),
        "pagador" => Ok(Agrupar::Pagador),
        otro => Err(AppError::invalid(
            "por",
            format!("'{otro}' no es una agrupación; se espera codigo, servicio o pagador"),
        )),
    }
}

/// Glosas received over `desde..=hasta` by code, service or payer.
#[allow(clippy::too_many_arguments)]
pub fn glosas(
    db: &Db,
    t: &Terminos,
    actor: &Actor,
    por: Agrupar,
    desde: NaiveDate,
    hasta: NaiveDate,
    hoy: NaiveDate,
    f: &Filtros,
) -> Result<ReporteGlosas, AppError> {
    actor.exigir(LECTORES, "ver el análisis de glosas")?;
    if hasta < desde {
        return Err(AppError::invalid("hasta", "el periodo termina antes de empezar"));
    }
    let filtro = f.validar()?;
    let grupos = db.read(|c| {
        Ok::<_, AppError>(db::cartera::glosas(
            c,
            &actor.prestador_id,
            por,
            desde,
            hasta,
            hoy,
            silencio(&t.reglas),
            &filtro,
        )?)
    })?;
    let total_glosado: i64 = grupos.iter().map(|g| g.glosado).sum();
    let fila = |clave: String, descripcion: String, g: [i64; 5]| {
        let [n, glosado, aceptado, levantado, pagador] = g;
        FilaGlosas {
            clave,
            descripcion,
            glosas: n,
            glosado: from_centavos(glosado),
            aceptado: from_centavos(aceptado),
            levantado: from_centavos(levantado),
            conciliado_pagador: from_centavos(pagador),
            en_discusion: from_centavos(glosado - aceptado - levantado - pagador),
            perdido: from_centavos(aceptado + pagador),
            pct_del_total: cobro::porcentaje(glosado, total_glosado),
            pct_recuperacion: cobro::porcentaje(levantado, glosado),
        }
    };
    let mut suma = [0i64; 5];
    let filas: Vec<FilaGlosas> = grupos
        .into_iter()
        .map(|g| {
            let v = [g.glosas, g.glosado, g.aceptado, g.levantado, g.conciliado_pagador];
            for (s, x) in suma.iter_mut().zip(v) {
                *s += x;
            }
            let (clave, descripcion) = match por {
                Agrupar::Codigo => {
                    let d = Catalogo::oficial()
                        .buscar(&g.clave)
                        .map(|c| c.descripcion.clone())
                        .unwrap_or_default();
                    (g.clave, d)
                }
                Agrupar::Servicio if g.clave.is_empty() => ("(factura completa)".into(), String::new()),
                _ => (g.clave, g.descripcion),
            };
            fila(clave, descripcion, v)
        })
        .collect();
    let mut principales: Vec<FilaGlosas> = filas.iter().filter(|f| !f.perdido.is_zero()).cloned().collect();
    principales.sort_by(|a, b| b.perdido.cmp(&a.perdido).then(a.clave.cmp(&b.clave)));
    principales.truncate(5);
    let por = match por {
        Agrupar::Codigo => "codigo",
        Agrupar::Servicio => "servicio",
        Agrupar::Pagador => "pagador",
    };
    Ok(ReporteGlosas {
        desde,
        hasta,
        por: por.into(),
        filas,
        principales_causas: principales,
        total: fila("TOTAL".into(), String::new(), suma),
    })
}

pub fn xlsx_glosas(r: &ReporteGlosas) -> Result<Vec<u8>, AppError> {
    let fila = |g: &FilaGlosas| -> Vec<Celda> {
        vec![
            g.clave.as_str().into(),
            g.descripcion.as_str().into(),
            Celda::Entero(g.glosas),
            Celda::Dinero(g.glosado),
            g.pct_del_total.into(),
            Celda::Dinero(g.aceptado),
            Celda::Dinero(g.levantado),
            Celda::Dinero(g.conciliado_pagador),
            Celda::Dinero(g.en_discusion),
            Celda::Dinero(g.perdido),
            g.pct_recuperacion.into(),
        ]
    };
    let columnas = vec![
        ("Clave", 16.0),
        ("Descripción", 48.0),
        ("Glosas", 8.0),
        ("Glosado", 16.0),
        ("% del total", 10.0),
        ("Aceptado", 16.0),
        ("Levantado", 16.0),
        ("Conciliado a favor del pagador", 16.0),
        ("En discusión", 16.0),
        ("Perdido", 16.0),
        ("% recuperación", 12.0),
    ];
    let mut filas: Vec<Vec<Celda>> = r.filas.iter().map(fila).collect();
    filas.push(fila(&r.total));
    let encabezado = vec![
        ("Desde".to_string(), r.desde.to_string()),
        ("Hasta".to_string(), r.hasta.to_string()),
        ("Agrupado por".to_string(), r.por.clone()),
    ];
    hoja::libro(&[
        Hoja {
            nombre: "Glosas".into(),
            encabezado: encabezado.clone(),
            columnas: columnas.clone(),
            filas,
        },
        Hoja {
            nombre: "Principales causas".into(),
            encabezado,
            columnas,
            filas: r.principales_causas.iter().map(fila).collect(),
        },
    ])
}

#[cfg(test)]
mod tests {
    use super::meses_hasta;
    use chrono::NaiveDate;

    #[test]
    fn the_trend_is_the_twelve_calendar_months_ending_at_the_cut_off() {
        let d = |a, m, d| NaiveDate::from_ymd_opt(a, m, d).unwrap();
        let m = meses_hasta(d(2026, 3, 15), 12);
        assert_eq!(m.len(), 12);
        assert_eq!(m[0], (d(2025, 4, 1), d(2025, 4, 30)));
        // February of a common year, and the new year crossed.
        assert!(m.contains(&(d(2026, 2, 1), d(2026, 2, 28))));
        assert!(m.contains(&(d(2025, 12, 1), d(2025, 12, 31))));
        // The month of the cut-off ends at the cut-off.
        assert_eq!(m[11], (d(2026, 3, 1), d(2026, 3, 15)));
    }
}
