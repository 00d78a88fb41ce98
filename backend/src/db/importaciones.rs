//! Import runs, the files they landed (by content hash), and RIPS summaries.

use diesel::prelude::*;

use super::schema::{archivos_importados, importaciones, rips};
use super::AnyConnection;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = importaciones, treat_none_as_default_value = false)]
pub struct Importacion {
    pub id: String,
    pub prestador_id: String,
    pub tipo: crate::domain::importacion::TipoImportacion,
    pub perfil: Option<String>,
    pub archivo: String,
    pub simulada: bool,
    pub estado: crate::domain::importacion::EstadoImportacion,
    pub total: i32,
    pub procesados: i32,
    pub creados: i32,
    pub duplicados: i32,
    /// JSON list of errors.
    pub errores: String,
    pub actor_id: String,
    pub creado_en: chrono::NaiveDateTime,
    pub terminado_en: Option<chrono::NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = archivos_importados)]
pub struct ArchivoImportado {
    pub id: String,
    pub prestador_id: String,
    pub importacion_id: String,
    pub tipo: String,
    pub nombre: String,
    pub hash: String,
    pub creado_en: chrono::NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = rips)]
pub struct Rips {
    pub id: String,
    pub prestador_id: String,
    pub factura_id: String,
    pub formato: String,
    pub usuarios: i32,
    pub servicios: i32,
    pub valor_servicios: i64,
    pub hash: String,
    pub creado_en: chrono::NaiveDateTime,
    /// For a note's RIPS: the note's type (NC, ND...) and number.
    pub tipo_nota: Option<String>,
    pub num_nota: Option<String>,
}

pub fn insertar(c: &mut AnyConnection, i: &Importacion) -> QueryResult<()> {
    diesel::insert_into(importaciones::table)
        .values(i)
        .execute(c)
        .map(|_| ())
}

pub fn por_id(c: &mut AnyConnection, prestador_id: &str, id: &str) -> QueryResult<Option<Importacion>> {
    importaciones::table
        .filter(
            importaciones::prestador_id
                .eq(prestador_id)
                .and(importaciones::id.eq(id)),
        )
        .select(Importacion::as_select())
        .first(c)
        .optional()
}

pub fn progreso(c: &mut AnyConnection, id: &str, estado: &str, procesados: i32, total: i32) -> QueryResult<usize> {
    diesel::update(importaciones::table.filter(importaciones::id.eq(id)))
        .set((
            importaciones::estado.eq(estado),
            importaciones::procesados.eq(procesados),
            importaciones::total.eq(total),
        ))
        .execute(c)
}

pub fn terminar(
    c: &mut AnyConnection,
    id: &str,
    estado: &str,
    creados: i32,
    duplicados: i32,
    errores: &str,
) -> QueryResult<usize> {
    diesel::update(importaciones::table.filter(importaciones::id.eq(id)))
        .set((
            importaciones::estado.eq(estado),
            importaciones::creados.eq(creados),
            importaciones::duplicados.eq(duplicados),
            importaciones::errores.eq(errores),
            importaciones::terminado_en.eq(Some(super::now())),
        ))
        .execute(c)
}

/// Which of these content hashes of `tipo` the tenant has already imported.
pub fn hashes_importados(
    c: &mut AnyConnection,
    prestador_id: &str,
    tipo: &str,
    hashes: &[String],
) -> QueryResult<Vec<String>> {
    let mut out = Vec::new();
    for chunk in hashes.chunks(super::LOTE) {
        out.extend(
            archivos_importados::table
                .filter(
                    archivos_importados::prestador_id
                        .eq(prestador_id)
                        .and(archivos_importados::tipo.eq(tipo))
                        .and(archivos_importados::hash.eq_any(chunk)),
                )
                .select(archivos_importados::hash)
                .load::<String>(c)?,
        );
    }
    Ok(out)
}

/// Every hash of `tipo` recorded by the run that recorded `hash`: the files of the delivery
/// it came in.
pub fn hashes_de_la_misma_importacion(
    c: &mut AnyConnection,
    prestador_id: &str,
    tipo: &str,
    hash: &str,
) -> QueryResult<Vec<String>> {
    let de_este = archivos_importados::table
        .filter(
            archivos_importados::prestador_id
                .eq(prestador_id)
                .and(archivos_importados::tipo.eq(tipo))
                .and(archivos_importados::hash.eq(hash)),
        )
        .select(archivos_importados::importacion_id)
        .first::<String>(c)
        .optional()?;
    let Some(importacion_id) = de_este else {
        return Ok(vec![]);
    };
    archivos_importados::table
        .filter(
            archivos_importados::prestador_id
                .eq(prestador_id)
                .and(archivos_importados::tipo.eq(tipo))
                .and(archivos_importados::importacion_id.eq(importacion_id)),
        )
        .select(archivos_importados::hash)
        .load::<String>(c)
}

pub fn insertar_archivos(c: &mut AnyConnection, a: &[ArchivoImportado]) -> QueryResult<()> {
    super::insertar_en_lotes!(c, archivos_importados::table, a);
    Ok(())
}

pub fn insertar_rips(c: &mut AnyConnection, r: &[Rips]) -> QueryResult<()> {
    super::insertar_en_lotes!(c, rips::table, r);
    Ok(())
}

pub fn rips_existentes(
    c: &mut AnyConnection,
    prestador_id: &str,
    hashes: &[String],
) -> QueryResult<Vec<(String, String)>> {
    rips::table
        .filter(rips::prestador_id.eq(prestador_id).and(rips::hash.eq_any(hashes)))
        .select((rips::factura_id, rips::hash))
        .load(c)
}
