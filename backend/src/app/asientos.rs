//! Entries for the books: a period's facts that change what the payers owe, as balanced double
//! entries an accountant loads into the ledger (Siigo, SAP, any other), with the totals per
//! account and concept and the reconciliation of the receivable with the cartera report.
//!
//! The entries are the ledger's movements (`movimientos`), one each, and the glosas silence
//! accepted (which the cartera report subtracts and the ledger does not hold): the receivable's
//! net from the beginning through `hasta` is then the cartera report's total at that cut-off.
//! Trazo records no provisions (deterioro): the accountant computes them in the ledger, and a
//! castigo is booked against the account `contabilidad.castigo` says.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};
use rust_decimal::Decimal;
use serde::Serialize;
use utoipa::ToSchema;

use super::hoja::{self, Celda, Hoja};
use super::{Actor, AppError};
use crate::db::{self, Db};
use crate::domain::asiento::{self, Concepto, Cuentas, Partida};
use crate::domain::money::from_centavos;
use crate::domain::terminos::Terminos;
use crate::domain::Violation;

/// Who reads the entries: those who read the cartera (finance, cartera, admins, auditors).
pub const LECTORES: &[crate::domain::rol::Rol] = super::cartera::LECTORES;

/// One balanced entry: `valor` debited to `cuenta_debito` and credited to `cuenta_credito`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Asiento {
    /// Stable across exports: the ledger movement's id, or `glosa-tacita:{glosa}` (and
    /// `...:reverso`) for a glosa accepted by silence.
    pub id: String,
    pub fecha: NaiveDate,
    pub concepto: Concepto,
    pub descripcion: String,
    /// The voucher: the invoice, nota or payment reference, or the castigo's acta.
    pub comprobante: String,
    /// The payer that owes the invoice (also when a third party paid on its behalf).
    pub tercero_nit: String,
    pub tercero_nombre: String,
    pub factura: String,
    pub cuenta_debito: String,
    pub cuenta_credito: String,
    /// Pesos, exact, always positive: the accounts say the direction.
    #[schema(value_type = String)]
    pub valor: Decimal,
    /// Undoes a previous entry of its concept (a payment given back, an acceptance undone).
    pub reverso: bool,
    /// The fact behind it: the invoice, glosa, payment or nota (null on movements recorded
    /// before Trazo kept it).
    pub origen_id: Option<String>,
}

/// Debits and credits of one account in one concept.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TotalCuenta {
    pub cuenta: String,
    pub concepto: Concepto,
    pub asientos: i64,
    #[schema(value_type = String)]
    pub debitos: Decimal,
    #[schema(value_type = String)]
    pub creditos: Decimal,
}

/// One concept's entries: how many, the value of those that go its usual way and of those
/// that reverse it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TotalConcepto {
    pub concepto: Concepto,
    pub nombre: String,
    pub asientos: i64,
    #[schema(value_type = String)]
    pub valor: Decimal,
    #[schema(value_type = String)]
    pub reversos: Decimal,
}

/// The receivable by the entries against the cartera report at the same cut-off.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CuadreCartera {
    /// The receivable account (`contabilidad.cuenta_por_cobrar`).
    pub cuenta: String,
    /// The day before `desde`: the opening balance is the receivable at its end.
    pub corte_inicial: NaiveDate,
    #[schema(value_type = String)]
    pub saldo_inicial: Decimal,
    #[schema(value_type = String)]
    pub debitos: Decimal,
    #[schema(value_type = String)]
    pub creditos: Decimal,
    /// saldo_inicial + debitos − creditos.
    #[schema(value_type = String)]
    pub saldo_final: Decimal,
    /// The cartera report's total at `hasta` (`GET /reportes/cartera?corte=hasta`).
    #[schema(value_type = String)]
    pub cartera_al_corte: Decimal,
    /// saldo_final − cartera_al_corte.
    #[schema(value_type = String)]
    pub diferencia: Decimal,
    pub cuadra: bool,
}

/// The entries of a period, their totals and the reconciliation.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Asientos {
    pub desde: NaiveDate,
    pub hasta: NaiveDate,
    pub asientos: Vec<Asiento>,
    pub por_concepto: Vec<TotalConcepto>,
    pub por_cuenta: Vec<TotalCuenta>,
    /// Sum of the entries: debits equal credits, entry by entry.
    #[schema(value_type = String)]
    pub total: Decimal,
    pub conciliacion: CuadreCartera,
}

/// `desde` on or before `hasta`; else what is wrong, naming the parameter.
pub fn periodo(desde: NaiveDate, hasta: NaiveDate) -> Result<(), Violation> {
    if desde > hasta {
        return Err(Violation::new(
            "desde",
            format!("el periodo empieza ({desde}) después de terminar (hasta {hasta})"),
        ));
    }
    if let Some(m) = crate::domain::antes_de_lo_posible(desde) {
        return Err(Violation::new("desde", m));
    }
    Ok(())
}

/// The entries of `desde..=hasta` (civil dates in Bogotá) of the actor's prestador.
pub fn consultar(
    db: &Db,
    t: &Terminos,
    cuentas: &Cuentas,
    actor: &Actor,
    desde: NaiveDate,
    hasta: NaiveDate,
) -> Result<Asientos, AppError> {
    actor.exigir(LECTORES, "ver los asientos contables")?;
    periodo(desde, hasta).map_err(|v| AppError::Invalid(vec![v]))?;
    let silencio = super::cartera::silencio(&t.reglas);
    let pid = actor.prestador_id.as_str();
    let inicial = desde - Duration::days(1);
    let (movs, tacitas, saldo_inicial, cartera) = db.read(|c| {
        let movs = db::asientos::movimientos(c, pid, desde, hasta)?;
        let tacitas = db::asientos::glosas_tacitas(c, pid, desde, hasta, silencio)?;
        let saldo_inicial = db::asientos::neto_al_corte(c, pid, inicial, silencio)?;
        let cartera: i64 = db::cartera::grupos_al_corte(
            c,
            pid,
            hasta,
            silencio,
            &db::cartera::Filtro::default(),
            db::cartera::Camino::Elegir,
        )?
        .iter()
        .map(|g| g.saldo)
        .sum();
        Ok::<_, AppError>((movs, tacitas, saldo_inicial, cartera))
    })?;
    let mut filas: Vec<(Asiento, Partida)> = Vec::with_capacity(movs.len() + tacitas.len());
    for m in movs {
        let partida = asiento::de_movimiento(cuentas, &m.tipo, &m.origen, m.valor)
            .map_err(|e| AppError::Internal(anyhow::anyhow!("movimiento {}: {e}", m.id)))?;
        if let Some(p) = partida {
            filas.push((de_movimiento(&m, &p), p));
        }
    }
    for g in tacitas {
        for (fecha, reverso) in asiento::fechas_tacita(g.limite, g.respuesta) {
            if fecha < desde || fecha > hasta {
                continue;
            }
            let p = asiento::de_tacita(cuentas, g.valor, reverso);
            filas.push((de_tacita(&g, fecha, &p), p));
        }
    }
    // Tacit acceptances join the ledger's entries in date order; within a day, as recorded.
    filas.sort_by_key(|(a, _)| a.fecha);
    let partidas: Vec<&Partida> = filas.iter().map(|(_, p)| p).collect();
    let (debitos, creditos) = asiento::movimiento_de_cuenta(partidas.iter().copied(), &cuentas.cuenta_por_cobrar);
    let saldo_final = saldo_inicial + debitos - creditos;
    let conciliacion = CuadreCartera {
        cuenta: cuentas.cuenta_por_cobrar.clone(),
        corte_inicial: inicial,
        saldo_inicial: from_centavos(saldo_inicial),
        debitos: from_centavos(debitos),
        creditos: from_centavos(creditos),
        saldo_final: from_centavos(saldo_final),
        cartera_al_corte: from_centavos(cartera),
        diferencia: from_centavos(saldo_final - cartera),
        cuadra: saldo_final == cartera,
    };
    Ok(Asientos {
        desde,
        hasta,
        por_concepto: por_concepto(&partidas),
        por_cuenta: por_cuenta(&partidas),
        total: from_centavos(partidas.iter().map(|p| p.valor).sum()),
        asientos: filas.into_iter().map(|(a, _)| a).collect(),
        conciliacion,
    })
}

fn por_concepto(partidas: &[&Partida]) -> Vec<TotalConcepto> {
    let mut t: BTreeMap<usize, (i64, i64, i64)> = BTreeMap::new();
    for p in partidas {
        let orden = Concepto::ALL
            .iter()
            .position(|c| *c == p.concepto)
            .unwrap_or(usize::MAX);
        let e = t.entry(orden).or_default();
        e.0 += 1;
        if p.reverso {
            e.2 += p.valor;
        } else {
            e.1 += p.valor;
        }
    }
    t.into_iter()
        .filter_map(|(i, (n, v, r))| {
            Concepto::ALL.get(i).map(|c| TotalConcepto {
                concepto: *c,
                nombre: c.nombre().into(),
                asientos: n,
                valor: from_centavos(v),
                reversos: from_centavos(r),
            })
        })
        .collect()
}

fn por_cuenta(partidas: &[&Partida]) -> Vec<TotalCuenta> {
    let orden = |c: Concepto| Concepto::ALL.iter().position(|x| *x == c).unwrap_or(usize::MAX);
    let mut t: BTreeMap<(String, usize), (i64, i64, i64)> = BTreeMap::new();
    for p in partidas {
        let d = t.entry((p.debito.clone(), orden(p.concepto))).or_default();
        d.0 += 1;
        d.1 += p.valor;
        let c = t.entry((p.credito.clone(), orden(p.concepto))).or_default();
        c.0 += 1;
        c.2 += p.valor;
    }
    t.into_iter()
        .filter_map(|((cuenta, i), (n, d, c))| {
            Concepto::ALL.get(i).map(|concepto| TotalCuenta {
                cuenta,
                concepto: *concepto,
                asientos: n,
                debitos: from_centavos(d),
                creditos: from_centavos(c),
            })
        })
        .collect()
}

fn de_movimiento(m: &db::asientos::MovimientoContable, p: &Partida) -> Asiento {
    let doc = m.documento.trim();
    let f = &m.factura;
    let (descripcion, comprobante) = match (p.concepto, p.reverso) {
        (Concepto::Factura, false) => (format!("Factura {f}"), f.clone()),
        (Concepto::Factura, true) => (format!("Corrección que baja el valor de la factura {f}"), f.clone()),
        (Concepto::NotaDebito, _) => (format!("Nota débito {doc} a la factura {f}"), doc.to_string()),
        (Concepto::Anticipo, _) => (format!("Anticipo del pagador aplicado a la factura {f}"), f.clone()),
        (Concepto::GlosaAceptada, false) => (
            format!("Glosa {doc} aceptada sobre la factura {f}: nota crédito por emitir"),
            f.clone(),
        ),
        (Concepto::GlosaAceptada, true) => (
            format!("Glosa {doc} de la factura {f}: se reversa lo aceptado"),
            f.clone(),
        ),
        (Concepto::GlosaTacita, _) => (format!("Glosa {doc} de la factura {f}"), f.clone()),
        (Concepto::NotaCredito, _) => (format!("Nota crédito {doc} a la factura {f}"), doc.to_string()),
        (Concepto::Pago, false) => (format!("Pago {doc} aplicado a la factura {f}"), doc.to_string()),
        (Concepto::Pago, true) => (
            format!("Anulación de la aplicación del pago {doc} a la factura {f}"),
            doc.to_string(),
        ),
        (Concepto::Castigo, _) => (format!("Castigo de la factura {f} (acta {doc})"), doc.to_string()),
        (Concepto::Recuperacion, false) => (
            format!("Recuperación de cartera castigada: pago {doc} a la factura {f}"),
            doc.to_string(),
        ),
        (Concepto::Recuperacion, true) => (
            format!("Anulación de la recuperación: pago {doc} a la factura {f}"),
            doc.to_string(),
        ),
    };
    let descripcion = match &m.pagado_por {
        Some(tercero) => format!("{descripcion}, girado por {tercero} a nombre del pagador"),
        None => descripcion,
    };
    Asiento {
        id: m.id.clone(),
        fecha: m.fecha,
        concepto: p.concepto,
        // Movements older than `documento` have none: the invoice is their voucher.
        comprobante: if comprobante.is_empty() { f.clone() } else { comprobante },
        descripcion: descripcion.replace("  ", " ").replace(" (acta )", ""),
        tercero_nit: m.nit.clone(),
        tercero_nombre: m.pagador.clone(),
        factura: f.clone(),
        cuenta_debito: p.debito.clone(),
        cuenta_credito: p.credito.clone(),
        valor: from_centavos(p.valor),
        reverso: p.reverso,
        origen_id: m.origen_id.clone(),
    }
}

fn de_tacita(g: &db::asientos::GlosaTacita, fecha: NaiveDate, p: &Partida) -> Asiento {
    let descripcion = if p.reverso {
        format!(
            "Respuesta a la glosa {} de la factura {}: se reversa su aceptación por silencio",
            g.codigo, g.factura
        )
    } else {
        format!(
            "Glosa {} de la factura {} aceptada por silencio (Ley 1438/2011 art. 57): nota crédito por emitir",
            g.codigo, g.factura
        )
    };
    Asiento {
        id: format!("glosa-tacita:{}{}", g.id, if p.reverso { ":reverso" } else { "" }),
        fecha,
        concepto: p.concepto,
        descripcion,
        comprobante: g.factura.clone(),
        tercero_nit: g.nit.clone(),
        tercero_nombre: g.pagador.clone(),
        factura: g.factura.clone(),
        cuenta_debito: p.debito.clone(),
        cuenta_credito: p.credito.clone(),
        valor: from_centavos(p.valor),
        reverso: p.reverso,
        origen_id: Some(g.id.clone()),
    }
}

/// The columns of the CSV, in order.
pub const COLUMNAS_CSV: [&str; 13] = [
    "id",
    "fecha",
    "concepto",
    "descripcion",
    "comprobante",
    "tercero_nit",
    "tercero_nombre",
    "factura",
    "cuenta_debito",
    "cuenta_credito",
    "valor",
    "reverso",
    "origen_id",
];

/// The entries as CSV for a ledger's import: UTF-8 with a byte-order mark (without it Excel
/// for Windows reads the accents as Latin-1), `;` between fields (the list separator of
/// Excel in Spanish locales, so it opens in columns), one header row, dates AAAA-MM-DD, and
/// values with a point and two decimals (`1234567.89`, no thousands separator): a value read
/// with a comma as decimal separator would be off by a factor of 100 without anyone seeing it,
/// so the importer is told to read a point.
pub fn csv(a: &Asientos) -> Result<Vec<u8>, AppError> {
    let mut w = ::csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    let fallo = |e: ::csv::Error| AppError::Internal(anyhow::anyhow!("csv: {e}"));
    w.write_record(COLUMNAS_CSV).map_err(fallo)?;
    for x in &a.asientos {
        w.write_record([
            x.id.as_str(),
            &x.fecha.to_string(),
            x.concepto.as_str(),
            &x.descripcion,
            &x.comprobante,
            &x.tercero_nit,
            &x.tercero_nombre,
            &x.factura,
            &x.cuenta_debito,
            &x.cuenta_credito,
            &x.valor.to_string(),
            if x.reverso { "si" } else { "no" },
            x.origen_id.as_deref().unwrap_or(""),
        ])
        .map_err(fallo)?;
    }
    w.into_inner()
        .map_err(|e| AppError::Internal(anyhow::anyhow!("csv: {e}")))
}

/// The rows a sheet holds, header included (Excel's limit).
const FILAS_HOJA: usize = 1_048_576;

/// The workbook: the entries, the totals per account and concept, and the reconciliation.
pub fn xlsx(a: &Asientos) -> Result<Vec<u8>, AppError> {
    if a.asientos.len() + 4 > FILAS_HOJA {
        return Err(AppError::invalid(
            "formato",
            format!(
                "el periodo tiene {} asientos y una hoja de cálculo admite {}; pida un periodo más corto o formato=csv",
                a.asientos.len(),
                FILAS_HOJA - 4
            ),
        ));
    }
    let periodo = vec![
        ("Desde".into(), a.desde.to_string()),
        ("Hasta".into(), a.hasta.to_string()),
    ];
    let asientos = Hoja {
        nombre: "Asientos".into(),
        encabezado: periodo.clone(),
        columnas: vec![
            ("Fecha", 12.0),
            ("Concepto", 16.0),
            ("Descripción", 56.0),
            ("Comprobante", 16.0),
            ("NIT tercero", 14.0),
            ("Tercero", 30.0),
            ("Factura", 14.0),
            ("Cuenta débito", 14.0),
            ("Cuenta crédito", 14.0),
            ("Valor", 16.0),
            ("Reverso", 9.0),
            ("Id", 38.0),
            ("Id del hecho", 38.0),
        ],
        filas: a
            .asientos
            .iter()
            .map(|x| {
                vec![
                    Celda::Fecha(x.fecha),
                    x.concepto.as_str().into(),
                    x.descripcion.as_str().into(),
                    x.comprobante.as_str().into(),
                    x.tercero_nit.as_str().into(),
                    x.tercero_nombre.as_str().into(),
                    x.factura.as_str().into(),
                    // Codes as text: a number would lose the leading zeros of some charts.
                    x.cuenta_debito.as_str().into(),
                    x.cuenta_credito.as_str().into(),
                    Celda::Dinero(x.valor),
                    (if x.reverso { "sí" } else { "no" }).into(),
                    x.id.as_str().into(),
                    x.origen_id.as_deref().unwrap_or("").into(),
                ]
            })
            .collect(),
    };
    let mut totales: Vec<Vec<Celda>> = a
        .por_cuenta
        .iter()
        .map(|t| {
            vec![
                t.cuenta.as_str().into(),
                t.concepto.nombre().into(),
                Celda::Entero(t.asientos),
                Celda::Dinero(t.debitos),
                Celda::Dinero(t.creditos),
            ]
        })
        .collect();
    totales.push(vec![
        "TOTAL".into(),
        Celda::Vacia,
        Celda::Entero(a.asientos.len() as i64),
        Celda::Dinero(a.total),
        Celda::Dinero(a.total),
    ]);
    let k = &a.conciliacion;
    let conciliacion = vec![
        vec![
            format!("Saldo inicial de la cartera al {}", k.corte_inicial).into(),
            Celda::Dinero(k.saldo_inicial),
        ],
        vec!["+ Débitos del periodo".into(), Celda::Dinero(k.debitos)],
        vec!["− Créditos del periodo".into(), Celda::Dinero(k.creditos)],
        vec![
            format!("= Saldo final al {}", a.hasta).into(),
            Celda::Dinero(k.saldo_final),
        ],
        vec![
            format!("Total del informe de cartera al {}", a.hasta).into(),
            Celda::Dinero(k.cartera_al_corte),
        ],
        vec!["Diferencia".into(), Celda::Dinero(k.diferencia)],
        vec!["Cuadra".into(), (if k.cuadra { "sí" } else { "no" }).into()],
    ];
    hoja::libro(&[
        asientos,
        Hoja {
            nombre: "Totales".into(),
            encabezado: periodo.clone(),
            columnas: vec![
                ("Cuenta", 14.0),
                ("Concepto", 40.0),
                ("Asientos", 10.0),
                ("Débitos", 18.0),
                ("Créditos", 18.0),
            ],
            filas: totales,
        },
        Hoja {
            nombre: "Conciliación".into(),
            encabezado: [periodo, vec![("Cuenta por cobrar".into(), k.cuenta.clone())]].concat(),
            columnas: vec![("Concepto", 48.0), ("Valor", 20.0)],
            filas: conciliacion,
        },
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asiento(id: &str, concepto: Concepto, valor: i64, reverso: bool) -> Asiento {
        Asiento {
            id: id.into(),
            fecha: "2026-03-05".parse().unwrap(),
            concepto,
            descripcion: "Pago T-1; \"urgente\" aplicado a la factura FE-1".into(),
            comprobante: "T-1".into(),
            tercero_nit: "900123456".into(),
            tercero_nombre: "EPS Sanitas".into(),
            factura: "FE-1".into(),
            cuenta_debito: "1110".into(),
            cuenta_credito: "130505".into(),
            valor: from_centavos(valor),
            reverso,
            origen_id: None,
        }
    }

    #[test]
    fn the_csv_is_utf8_with_semicolons_and_point_decimals() {
        let a = Asientos {
            desde: "2026-03-01".parse().unwrap(),
            hasta: "2026-03-31".parse().unwrap(),
            asientos: vec![asiento("m1", Concepto::Pago, 123_456_789, false)],
            por_concepto: vec![],
            por_cuenta: vec![],
            total: from_centavos(123_456_789),
            conciliacion: CuadreCartera {
                cuenta: "130505".into(),
                corte_inicial: "2026-02-28".parse().unwrap(),
                saldo_inicial: from_centavos(0),
                debitos: from_centavos(0),
                creditos: from_centavos(0),
                saldo_final: from_centavos(0),
                cartera_al_corte: from_centavos(0),
                diferencia: from_centavos(0),
                cuadra: true,
            },
        };
        let bytes = csv(&a).unwrap();
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
        let texto = String::from_utf8(bytes[3..].to_vec()).unwrap();
        let lineas: Vec<&str> = texto.lines().collect();
        assert_eq!(lineas[0], COLUMNAS_CSV.join(";"));
        assert_eq!(
            lineas[1],
            "m1;2026-03-05;pago;\"Pago T-1; \"\"urgente\"\" aplicado a la factura FE-1\";T-1;900123456;EPS Sanitas;FE-1;1110;130505;1234567.89;no;"
        );
    }

    #[test]
    fn totals_say_each_concept_and_each_account_side() {
        let p = |concepto, debito: &str, credito: &str, valor, reverso| Partida {
            concepto,
            debito: debito.into(),
            credito: credito.into(),
            valor,
            reverso,
        };
        let partidas = [
            p(Concepto::Factura, "130505", "4125", 1000, false),
            p(Concepto::Pago, "1110", "130505", 600, false),
            p(Concepto::Pago, "130505", "1110", 100, true),
        ];
        let refs: Vec<&Partida> = partidas.iter().collect();
        let c = por_concepto(&refs);
        assert_eq!(c.len(), 2);
        assert_eq!((c[0].concepto, c[0].asientos), (Concepto::Factura, 1));
        assert_eq!(
            (c[1].concepto, c[1].asientos, c[1].valor, c[1].reversos),
            (Concepto::Pago, 2, from_centavos(600), from_centavos(100))
        );
        let k = por_cuenta(&refs);
        let de = |cuenta: &str, concepto| {
            k.iter()
                .find(|t| t.cuenta == cuenta && t.concepto == concepto)
                .map(|t| (t.debitos, t.creditos))
                .unwrap()
        };
        assert_eq!(de("130505", Concepto::Pago), (from_centavos(100), from_centavos(600)));
        assert_eq!(de("1110", Concepto::Pago), (from_centavos(600), from_centavos(100)));
        assert_eq!(de("4125", Concepto::Factura), (from_centavos(0), from_centavos(1000)));
        let debitos: Decimal = k.iter().map(|t| t.debitos).sum();
        let creditos: Decimal = k.iter().map(|t| t.creditos).sum();
        assert_eq!(debitos, creditos);
    }

    #[test]
    fn a_period_that_ends_before_it_starts_names_desde() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert!(periodo(d("2026-03-01"), d("2026-03-01")).is_ok());
        let v = periodo(d("2026-03-02"), d("2026-03-01")).unwrap_err();
        assert_eq!(v.path, "desde");
    }
}
