//! RIPS of invoices already in Trazo, in either format: JSON (Res. 2275/2023, one file per
//! invoice) or flat files (Res. 3374/2000, one delivery of AF, US, AC... files for many
//! invoices). Both are summed up per invoice and written the same way.

use std::collections::{HashMap, HashSet};

use rust_decimal::Decimal;
use serde_json::json;
use trazo_importers::{rips, Ubicacion};

use super::motor::{en_paralelo, Falla, Formato, Leido, Nuevo, Parseo, Tanda};
use super::{error, hash, Actor, AppError, Contexto, ErrorImportacion, Resumen};
use crate::app::ciclo;
use crate::app::numeros::Numeros;
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
                usuarios: r.usuarios.len(),
                servicios: r.cantidad_servicios(),
                valor_servicios: r.valor_servicios(),
                numero_factura: r.num_factura,
                obligado: r.num_documento_id_obligado,
                formato: "json",
                hash: archivos[archivo].hash.clone(),
            })
            .collect();
        escribir(c, self.cx, self.actor, de_factura, errores)
    }
}

impl Formato for RipsPlanos<'_> {
    type Documento = rips::RipsPlano;

    fn parsear(&self, archivos: &[Nuevo]) -> Parseo<Self::Documento> {
        let entrega: Vec<(String, Vec<u8>)> = archivos
            .iter()
            .map(|n| (n.archivo.nombre.clone(), n.archivo.bytes.clone()))
            .collect();
        // A delivery already imported whole has nothing left to read.
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
        // The delivery's hash: of its files' hashes, in order.
        let entrega = hash(&tanda.archivos.iter().flat_map(|n| n.hash.bytes()).collect::<Vec<u8>>());
        let de_factura = tanda
            .documentos
            .into_iter()
            .map(|p| RipsDeFactura {
                archivo: format!("RIPS AF {}", p.numero_factura),
                usuarios: p.usuarios.len(),
                servicios: p.usuarios.iter().map(|u| u.servicios.len()).sum(),
                valor_servicios: p.usuarios.iter().flat_map(|u| &u.servicios).map(|s| s.valor).sum(),
                hash: format!("{entrega}:{}", p.numero_factura),
                numero_factura: p.numero_factura,
                obligado: p.nit_prestador,
                formato: "planos",
            })
            .collect();
        escribir(c, self.cx, self.actor, de_factura, errores)
    }
}

/// What Trazo keeps of one invoice's RIPS, whatever its format.
struct RipsDeFactura {
    /// Where errors point to.
    archivo: String,
    numero_factura: String,
    /// Who reports it: must be the prestador.
    obligado: String,
    usuarios: usize,
    servicios: usize,
    valor_servicios: Decimal,
    formato: &'static str,
    /// The same RIPS imported again is known by it.
    hash: String,
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
    let mut filas = Vec::new();
    for r in de_factura {
        if Nit::parse(&r.obligado)
            .map(|n| n.as_str() != prestador.nit)
            .unwrap_or(true)
        {
            errores.push(error(
                &r.archivo,
                Ubicacion::Json("numDocumentoIdObligado".into()),
                Some("numDocumentoIdObligado"),
                format!(
                    "el RIPS es del obligado {}, no del prestador ({})",
                    r.obligado, prestador.nit
                ),
            ));
            continue;
        }
        let Some(factura_id) = numeros.buscar(&r.numero_factura).cloned() else {
            errores.push(error(
                &r.archivo,
                Ubicacion::Json("numFactura".into()),
                Some("numFactura"),
                format!("la factura {} no está en Trazo; impórtela primero", r.numero_factura),
            ));
            continue;
        };
        filas.push(db::importaciones::Rips {
            id: db::new_id(),
            prestador_id: actor.prestador_id.clone(),
            factura_id,
            formato: r.formato.into(),
            usuarios: r.usuarios as i32,
            servicios: r.servicios as i32,
            valor_servicios: to_centavos(r.valor_servicios).unwrap_or(0),
            hash: r.hash,
            creado_en: db::now(),
        });
    }
    if !errores.is_empty() {
        return Ok(Resumen::default());
    }
    let hashes: Vec<String> = filas.iter().map(|f| f.hash.clone()).collect();
    let ya: HashSet<(String, String)> = db::importaciones::rips_existentes(c, &actor.prestador_id, &hashes)?
        .into_iter()
        .collect();
    let (nuevas, repetidas): (Vec<_>, Vec<_>) = filas
        .into_iter()
        .partition(|f| !ya.contains(&(f.factura_id.clone(), f.hash.clone())));
    let ids: Vec<String> = nuevas.iter().map(|f| f.factura_id.clone()).collect();
    let saldos: HashMap<String, (i64, i64)> = db::facturas::por_ids(c, &actor.prestador_id, &ids)?
        .into_iter()
        .map(|f| (f.id, (f.saldo, f.en_discusion)))
        .collect();
    let eventos: Vec<_> = nuevas
        .iter()
        .map(|f| {
            ciclo::nuevo_evento(
                actor,
                &f.factura_id,
                "rips_registrado",
                cx.hoy,
                json!({"formato": f.formato, "usuarios": f.usuarios, "servicios": f.servicios, "valor_servicios": from_centavos(f.valor_servicios)}),
                saldos.get(&f.factura_id).copied().unwrap_or_default(),
            )
        })
        .collect();
    db::importaciones::insertar_rips(c, &nuevas)?;
    db::eventos::insertar(c, &eventos)?;
    Ok(Resumen {
        creados: nuevas.len(),
        duplicados: repetidas.len(),
    })
}
