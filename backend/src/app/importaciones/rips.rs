//! RIPS of invoices already in Trazo, in either format: JSON (Res. 2275/2023, one file per
//! invoice) or flat files (Res. 3374/2000, one delivery of AF, US, AC... files for many
//! invoices). Both are summed up per invoice and written the same way.
//!
//! Sameness is judged by what was read, not by the bytes: a RIPS is known by the hash of its
//! parsed content written one way ([`rips::RipsFactura::contenido`]), so the same JSON with a
//! BOM, CRLF or its keys in another order changes nothing; a flat delivery is judged as a
//! whole (a file reused from an earlier delivery is read again with the rest), and each of its
//! invoices by its own content.

use std::collections::{HashMap, HashSet};

use rust_decimal::Decimal;
use serde_json::json;
use trazo_importers::{rips, Ubicacion};

use super::motor::{en_paralelo, Falla, Formato, Leido, Nuevo, Parseo, Tanda};
use super::{error, hash, Actor, AppError, Contexto, ErrorImportacion, Resumen};
use crate::app::ciclo;
use crate::app::numeros::Numeros;
use crate::config::RipsTotalDistinto;
use crate::db::{self, AnyConnection};
use crate::domain::money::{from_centavos, to_centavos};
use crate::domain::nit::Nit;

/// RIPS JSON, one file per invoice.
pub(super) struct RipsJson<'a> {
    pub cx: &'a Contexto<'a>,
    pub actor: &'a Actor,
}

/// Flat RIPS: the files of one delivery are read together.
pub(super) struct RipsPlanos<'a> {
    pub cx: &'a Contexto<'a>,
    pub actor: &'a Actor,
}

impl Formato for RipsJson<'_> {
    type Documento = Leido<rips::RipsFactura>;

    fn parsear(&self, archivos: &[Nuevo]) -> Parseo<Self::Documento> {
        en_paralelo(archivos, |a| rips::parse_json(&a.bytes, &a.nombre))
    }

    fn escribir(
        &mut self,
        c: &mut AnyConnection,
        tanda: Tanda<'_, Self::Documento>,
        errores: &mut Vec<ErrorImportacion>,
    ) -> Result<Resumen, Falla> {
        let Tanda { archivos, documentos } = tanda;
        let de_factura = documentos
            .into_iter()
            .map(|Leido { archivo, contenido: r }| RipsDeFactura {
                archivo: archivos[archivo].archivo.nombre.clone(),
                donde: Donde::Json,
                usuarios: r.usuarios.len(),
                tipos_servicio: rips::tipos_de(&r.usuarios),
                servicios: r.cantidad_servicios(),
                valor_servicios: r.valor_servicios(),
                hash: hash(r.contenido().as_bytes()),
                numero_factura: r.num_factura,
                obligado: r.num_documento_id_obligado,
                nota: r.tipo_nota.zip(r.num_nota),
                formato: "json",
            })
            .collect();
        escribir(c, self.cx, self.actor, de_factura, errores)
    }
}

impl Formato for RipsPlanos<'_> {
    type Documento = rips::RipsPlano;

    const POR_ENTREGA: bool = true;

    fn parsear(&self, archivos: &[Nuevo]) -> Parseo<Self::Documento> {
        let entrega: Vec<(String, Vec<u8>)> = archivos
            .iter()
            .map(|n| (n.archivo.nombre.clone(), n.archivo.bytes.clone()))
            .collect();
        // A delivery already imported whole has nothing left to read (the engine hands over
        // all of a delivery or none of it).
        let leidos = if entrega.is_empty() {
            Ok(vec![])
        } else {
            rips::parse_planos(&entrega)
        };
        match leidos {
            Ok(documentos) => Parseo {
                documentos,
                errores: vec![],
            },
            Err(e) => Parseo {
                documentos: vec![],
                errores: e.iter().map(Into::into).collect(),
            },
        }
    }

    fn escribir(
        &mut self,
        c: &mut AnyConnection,
        tanda: Tanda<'_, Self::Documento>,
        errores: &mut Vec<ErrorImportacion>,
    ) -> Result<Resumen, Falla> {
        // Each invoice is known by its own content: re-sent with only another invoice's AP
        // corrected, it is the same RIPS and changes nothing.
        let de_factura = tanda
            .documentos
            .into_iter()
            .map(|p| RipsDeFactura {
                hash: hash(p.contenido().as_bytes()),
                donde: Donde::Linea(p.linea),
                usuarios: p.usuarios.len(),
                tipos_servicio: rips::tipos_de(&p.usuarios),
                servicios: p.usuarios.iter().map(|u| u.servicios.len()).sum(),
                valor_servicios: p.valor_servicios(),
                archivo: p.archivo,
                numero_factura: p.numero_factura,
                obligado: p.nit_prestador,
                nota: None,
                formato: "planos",
            })
            .collect();
        escribir(c, self.cx, self.actor, de_factura, errores)
    }
}

/// What Trazo keeps of one invoice's RIPS, whatever its format.
struct RipsDeFactura {
    /// Where errors point to: the JSON file, or the AF file of a flat delivery...
    archivo: String,
    /// ...and, in it, the invoice's fields.
    donde: Donde,
    numero_factura: String,
    /// Who reports it: must be the prestador.
    obligado: String,
    /// The note (type, number) whose RIPS this is (JSON `tipoNota`, `numNota`); none for the
    /// invoice's own.
    nota: Option<(String, String)>,
    usuarios: usize,
    /// The kinds of service it bills ([`rips::tipos_de`]).
    tipos_servicio: String,
    servicios: usize,
    valor_servicios: Decimal,
    formato: &'static str,
    /// The hash of its content: the same RIPS imported again is known by it.
    hash: String,
}

/// Where an invoice's fields are in its RIPS.
#[derive(Clone, Copy)]
enum Donde {
    /// At the root of the JSON (or of its wrapper).
    Json,
    /// On this line of the AF file.
    Linea(usize),
}

impl Donde {
    /// Where the field is: the path `json` at the root of a JSON (the path names the field,
    /// as the parser's errors do), or the field `af` on the AF line.
    fn de(self, json: &str, af: &str) -> (Ubicacion, Option<String>) {
        match self {
            Donde::Json => (Ubicacion::Json(json.into()), None),
            Donde::Linea(n) => (Ubicacion::Linea(n), Some(af.into())),
        }
    }
}

/// What a total that differs from its invoice's value does in this run: the deployment's
/// `importaciones.rips_total_distinto`.
fn total_distinto(cx: &Contexto) -> RipsTotalDistinto {
    cx.rips_total_distinto
}

/// Pesos as a billing clerk writes them: 2.042.840,00.
fn pesos(valor: Decimal) -> String {
    let v = valor.round_dp(2);
    let texto = format!("{:.2}", v.abs());
    let (entera, fraccion) = texto.split_once('.').unwrap_or((&texto, "00"));
    let mut miles = String::new();
    for (i, c) in entera.chars().enumerate() {
        if i > 0 && (entera.len() - i) % 3 == 0 {
            miles.push('.');
        }
        miles.push(c);
    }
    let signo = if v.is_sign_negative() && !v.is_zero() { "-" } else { "" };
    format!("{signo}{miles},{fraccion}")
}

/// RIPS of invoices already in Trazo; the event is dated the day it was registered (Bogotá).
fn escribir(
    c: &mut AnyConnection,
    cx: &Contexto,
    actor: &Actor,
    de_factura: Vec<RipsDeFactura>,
    errores: &mut Vec<ErrorImportacion>,
) -> Result<Resumen, Falla> {
    let prestador =
        db::prestadores::por_id(c, &actor.prestador_id)?.ok_or_else(|| AppError::not_found("el prestador"))?;
    let numeros = Numeros::de(db::facturas::numeros(c, &actor.prestador_id)?);
    let politica = total_distinto(cx);
    let mut encontrados = Vec::new();
    for r in de_factura {
        if Nit::parse(&r.obligado)
            .map(|n| n.as_str() != prestador.nit)
            .unwrap_or(true)
        {
            let (ubicacion, campo) = r.donde.de("numDocumentoIdObligado", "número identificación prestador");
            errores.push(error(
                &r.archivo,
                ubicacion,
                campo.as_deref(),
                format!(
                    "el RIPS es del obligado {}, no del prestador ({})",
                    r.obligado, prestador.nit
                ),
            ));
            continue;
        }
        let Some(factura_id) = numeros.buscar(&r.numero_factura).cloned() else {
            let (ubicacion, campo) = r.donde.de("numFactura", "número factura");
            errores.push(error(
                &r.archivo,
                ubicacion,
                campo.as_deref(),
                format!("la factura {} no está en Trazo; impórtela primero", r.numero_factura),
            ));
            continue;
        };
        encontrados.push((factura_id, r));
    }
    if !errores.is_empty() {
        return Ok(Resumen::default());
    }
    let ids: Vec<String> = encontrados.iter().map(|(id, _)| id.clone()).collect();
    let facturas: HashMap<String, db::facturas::Factura> = db::facturas::por_ids(c, &actor.prestador_id, &ids)?
        .into_iter()
        .map(|f| (f.id.clone(), f))
        .collect();
    let mut filas = Vec::new();
    let mut advertencias: HashMap<String, String> = HashMap::new();
    let mut de_la_corrida = Vec::new();
    for (factura_id, r) in encontrados {
        // The RIPS's total is the sum of its services' `vrServicio` (flat files: their value
        // columns). It is compared with the invoice's `valor_total` as Trazo stores it: the
        // DIAN invoice's value before copagos and cuotas moderadoras (valor bruto + impuestos),
        // because `vrServicio` is each service's full value — what the patient paid is reported
        // apart (`valorPagoModerador`) and not subtracted — so the services add up to that
        // value, not to the net to pay. A note's RIPS details the note's value, not the
        // invoice's: it is not compared.
        if let (None, Some(f)) = (&r.nota, facturas.get(&factura_id)) {
            let de_la_factura = from_centavos(f.valor_total);
            if r.valor_servicios.round_dp(2) != de_la_factura {
                let mensaje = format!(
                    "el RIPS de la factura {} suma {} y la factura vale {}",
                    r.numero_factura,
                    pesos(r.valor_servicios),
                    pesos(de_la_factura)
                );
                let (ubicacion, campo) = r.donde.de("usuarios", "número factura");
                match politica {
                    RipsTotalDistinto::Rechazar => {
                        errores.push(error(
                            &r.archivo,
                            ubicacion,
                            campo.as_deref(),
                            format!("{mensaje}: se espera que los servicios sumen el valor de la factura"),
                        ));
                        continue;
                    }
                    RipsTotalDistinto::Advertir => {
                        let aviso = format!("{mensaje} (importado con advertencia)");
                        de_la_corrida.push((r.hash.clone(), error(&r.archivo, ubicacion, campo.as_deref(), aviso)));
                        advertencias.insert(r.hash.clone(), mensaje);
                    }
                }
            }
        }
        let (tipo_nota, num_nota) = r.nota.unzip();
        filas.push(db::importaciones::Rips {
            id: db::new_id(),
            prestador_id: actor.prestador_id.clone(),
            factura_id,
            formato: r.formato.into(),
            usuarios: r.usuarios as i32,
            servicios: r.servicios as i32,
            valor_servicios: to_centavos(r.valor_servicios).unwrap_or(0),
            hash: r.hash,
            tipo_nota,
            num_nota,
            tipos_servicio: r.tipos_servicio,
            creado_en: db::now(),
        });
    }
    if !errores.is_empty() {
        return Ok(Resumen::default());
    }
    let hashes: Vec<String> = filas.iter().map(|f| f.hash.clone()).collect();
    let mut ya: HashSet<(String, String)> = db::importaciones::rips_existentes(c, &actor.prestador_id, &hashes)?
        .into_iter()
        .collect();
    // New: not in Trazo, nor earlier in this run (the same RIPS twice in one zip).
    let (nuevas, repetidas): (Vec<_>, Vec<_>) = filas
        .into_iter()
        .partition(|f| ya.insert((f.factura_id.clone(), f.hash.clone())));
    let eventos: Vec<_> = nuevas
        .iter()
        .map(|f| {
            let mut detalle = json!({"formato": f.formato, "usuarios": f.usuarios, "servicios": f.servicios, "valor_servicios": from_centavos(f.valor_servicios)});
            if let (Some(tipo), Some(numero)) = (&f.tipo_nota, &f.num_nota) {
                detalle["tipo_nota"] = json!(tipo);
                detalle["num_nota"] = json!(numero);
            }
            if let Some(a) = advertencias.get(&f.hash) {
                detalle["advertencia"] = json!(a);
            }
            let saldos = facturas
                .get(&f.factura_id)
                .map(|x| (x.saldo, x.en_discusion))
                .unwrap_or_default();
            ciclo::nuevo_evento(actor, &f.factura_id, "rips_registrado", cx.hoy, detalle, saldos)
        })
        .collect();
    db::importaciones::insertar_rips(c, &nuevas)?;
    db::eventos::insertar(c, &eventos)?;
    // Warned of only when the RIPS landed: a duplicate was warned of the first time.
    let advertencias = de_la_corrida
        .into_iter()
        .filter(|(h, _)| nuevas.iter().any(|f| &f.hash == h))
        .map(|(_, e)| e)
        .collect();
    Ok(Resumen {
        creados: nuevas.len(),
        duplicados: repetidas.len(),
        advertencias,
        ..Resumen::default()
    })
}
