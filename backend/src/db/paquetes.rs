//! Radicación packages (Res. 2284/2023 Anexo 2) and what the soportes checklist reads of an
//! invoice's RIPS.

use diesel::prelude::*;

use super::schema::{paquete_facturas, paquetes_radicacion, rips};
use super::AnyConnection;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = paquetes_radicacion)]
pub struct Paquete {
    pub id: String,
    pub prestador_id: String,
    pub pagador_id: String,
    pub nombre: String,
    pub hash: String,
    pub tamano: i64,
    pub manifiesto: String,
    pub faltantes: String,
    pub motivo_excepcion: String,
    pub estado: String,
    pub numero_radicado: Option<String>,
    pub acuse_en: Option<chrono::NaiveDateTime>,
    pub acuse_referencia: String,
    pub actor_id: String,
    pub creado_en: chrono::NaiveDateTime,
    pub radicado_por: Option<String>,
    pub radicado_en: Option<chrono::NaiveDateTime>,
}

/// An invoice's own RIPS (not a note's) as the checklist reads it: the latest imported.
#[derive(Debug, Clone, Queryable)]
pub struct RipsDeFactura {
    pub factura_id: String,
    pub cuv: Option<String>,
    pub valor_servicios: i64,
    pub tipos_servicio: String,
    pub creado_en: chrono::NaiveDateTime,
}

pub fn rips_de_facturas(c: &mut AnyConnection, prestador_id: &str, ids: &[String]) -> QueryResult<Vec<RipsDeFactura>> {
    let mut filas: Vec<RipsDeFactura> = Vec::new();
    for chunk in ids.chunks(4000) {
        filas.extend(
            rips::table
                .filter(
                    rips::prestador_id
                        .eq(prestador_id)
                        .and(rips::factura_id.eq_any(chunk))
                        .and(rips::tipo_nota.is_null()),
                )
                .select((
                    rips::factura_id,
                    rips::cuv,
                    rips::valor_servicios,
                    rips::tipos_servicio,
                    rips::creado_en,
                ))
                .load::<RipsDeFactura>(c)?,
        );
    }
    // The latest of each invoice: a RIPS imported again with other content replaces it.
    filas.sort_by(|a, b| (&a.factura_id, b.creado_en).cmp(&(&b.factura_id, a.creado_en)));
    filas.dedup_by(|b, a| a.factura_id == b.factura_id);
    Ok(filas)
}

/// Records the CUV on the invoice's own RIPS rows; how many there were (0: no RIPS).
pub fn registrar_cuv(c: &mut AnyConnection, prestador_id: &str, factura_id: &str, cuv: &str) -> QueryResult<usize> {
    diesel::update(
        rips::table.filter(
            rips::prestador_id
                .eq(prestador_id)
                .and(rips::factura_id.eq(factura_id))
                .and(rips::tipo_nota.is_null()),
        ),
    )
    .set((rips::cuv.eq(cuv), rips::cuv_registrado_en.eq(super::now())))
    .execute(c)
}

#[derive(Insertable)]
#[diesel(table_name = paquete_facturas)]
struct PaqueteFactura {
    paquete_id: String,
    factura_id: String,
    prestador_id: String,
}

pub fn insertar(c: &mut AnyConnection, p: &Paquete, facturas: &[String]) -> QueryResult<()> {
    diesel::insert_into(paquetes_radicacion::table).values(p).execute(c)?;
    let filas: Vec<PaqueteFactura> = facturas
        .iter()
        .map(|f| PaqueteFactura {
            paquete_id: p.id.clone(),
            factura_id: f.clone(),
            prestador_id: p.prestador_id.clone(),
        })
        .collect();
    super::insertar_en_lotes!(c, paquete_facturas::table, &filas);
    Ok(())
}

pub fn por_id(c: &mut AnyConnection, prestador_id: &str, id: &str) -> QueryResult<Option<Paquete>> {
    paquetes_radicacion::table
        .filter(
            paquetes_radicacion::prestador_id
                .eq(prestador_id)
                .and(paquetes_radicacion::id.eq(id)),
        )
        .select(Paquete::as_select())
        .first(c)
        .optional()
}

pub fn facturas_de(c: &mut AnyConnection, prestador_id: &str, id: &str) -> QueryResult<Vec<String>> {
    paquete_facturas::table
        .filter(
            paquete_facturas::prestador_id
                .eq(prestador_id)
                .and(paquete_facturas::paquete_id.eq(id)),
        )
        .select(paquete_facturas::factura_id)
        .order(paquete_facturas::factura_id)
        .load(c)
}

/// The newest first, of one payer or of all.
pub fn listar(c: &mut AnyConnection, prestador_id: &str, pagador_id: Option<&str>) -> QueryResult<Vec<Paquete>> {
    let mut q = paquetes_radicacion::table
        .filter(paquetes_radicacion::prestador_id.eq(prestador_id))
        .select(Paquete::as_select())
        .order(paquetes_radicacion::creado_en.desc())
        .limit(200)
        .into_boxed();
    if let Some(p) = pagador_id {
        q = q.filter(paquetes_radicacion::pagador_id.eq(p));
    }
    q.load(c)
}

/// Marks a package radicated with the payer's acknowledgement, once: 0 when it already was.
pub fn radicar(
    c: &mut AnyConnection,
    prestador_id: &str,
    id: &str,
    numero_radicado: &str,
    acuse_en: chrono::NaiveDateTime,
    acuse_referencia: &str,
    actor_id: &str,
) -> QueryResult<usize> {
    diesel::update(
        paquetes_radicacion::table.filter(
            paquetes_radicacion::prestador_id
                .eq(prestador_id)
                .and(paquetes_radicacion::id.eq(id))
                .and(paquetes_radicacion::estado.eq("generado")),
        ),
    )
    .set((
        paquetes_radicacion::estado.eq("radicado"),
        paquetes_radicacion::numero_radicado.eq(numero_radicado),
        paquetes_radicacion::acuse_en.eq(acuse_en),
        paquetes_radicacion::acuse_referencia.eq(acuse_referencia),
        paquetes_radicacion::radicado_por.eq(actor_id),
        paquetes_radicacion::radicado_en.eq(super::now()),
    ))
    .execute(c)
}
