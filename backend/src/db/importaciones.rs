//! Import runs, the files they landed (by content hash), and RIPS summaries.

use diesel::prelude::*;

use super::schema::{archivos_importados, importacion_subidas, importaciones, rips};
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
    /// JSON list of the glosas created already accepted by silence.
    pub aceptadas_tacitamente: String,
    /// The process that runs it (`servidores`), to tell a run at work from an orphan.
    pub servidor_id: Option<String>,
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
    /// The kinds of service it bills, comma separated (`TipoServicio::clave`).
    pub tipos_servicio: String,
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

/// A run by its id alone: for the server that runs again a run another left.
pub fn buscar(c: &mut AnyConnection, id: &str) -> QueryResult<Option<Importacion>> {
    importaciones::table
        .filter(importaciones::id.eq(id))
        .select(Importacion::as_select())
        .first(c)
        .optional()
}

/// Keeps run `id`'s upload until the run ends ([`terminar`] removes it).
pub fn guardar_subida(c: &mut AnyConnection, id: &str, nombre: &str, contenido: &[u8]) -> QueryResult<()> {
    diesel::insert_into(importacion_subidas::table)
        .values((
            importacion_subidas::importacion_id.eq(id),
            importacion_subidas::nombre.eq(nombre),
            importacion_subidas::contenido.eq(contenido),
        ))
        .execute(c)
        .map(|_| ())
}

/// Run `id`'s upload (name and bytes), while the run has not ended.
pub fn subida(c: &mut AnyConnection, id: &str) -> QueryResult<Option<(String, Vec<u8>)>> {
    importacion_subidas::table
        .filter(importacion_subidas::importacion_id.eq(id))
        .select((importacion_subidas::nombre, importacion_subidas::contenido))
        .first(c)
        .optional()
}

/// Which of these runs kept their upload.
pub fn con_subida(c: &mut AnyConnection, ids: &[String]) -> QueryResult<Vec<String>> {
    importacion_subidas::table
        .filter(importacion_subidas::importacion_id.eq_any(ids))
        .select(importacion_subidas::importacion_id)
        .load(c)
}

/// How far a run working has gone, for any server to report.
pub fn avance(c: &mut AnyConnection, id: &str, procesados: i32, total: i32) -> QueryResult<usize> {
    diesel::update(importaciones::table.filter(importaciones::id.eq(id)))
        .set((importaciones::procesados.eq(procesados), importaciones::total.eq(total)))
        .execute(c)
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
    aceptadas_tacitamente: &str,
) -> QueryResult<usize> {
    diesel::update(importaciones::table.filter(importaciones::id.eq(id)))
        .set((
            importaciones::estado.eq(estado),
            importaciones::creados.eq(creados),
            importaciones::duplicados.eq(duplicados),
            importaciones::errores.eq(errores),
            importaciones::aceptadas_tacitamente.eq(aceptadas_tacitamente),
            importaciones::terminado_en.eq(Some(super::now())),
        ))
        .execute(c)?;
    // A run that ended is never run again: its upload is not kept.
    diesel::delete(importacion_subidas::table.filter(importacion_subidas::importacion_id.eq(id))).execute(c)
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

/// What a history of import runs asks for; `desde`/`hasta` bound the day a run started.
#[derive(Debug, Clone, Default)]
pub struct Filtro {
    pub tipo: Option<crate::domain::importacion::TipoImportacion>,
    pub estado: Option<crate::domain::importacion::EstadoImportacion>,
    pub actor_id: Option<String>,
    pub desde: Option<chrono::NaiveDate>,
    pub hasta: Option<chrono::NaiveDate>,
}

fn filtrada<'a>(prestador_id: &'a str, f: &'a Filtro) -> importaciones::BoxedQuery<'a, super::DbBackend> {
    let mut q = importaciones::table
        .filter(importaciones::prestador_id.eq(prestador_id))
        .into_boxed();
    if let Some(t) = f.tipo {
        q = q.filter(importaciones::tipo.eq(t));
    }
    if let Some(e) = f.estado {
        q = q.filter(importaciones::estado.eq(e));
    }
    if let Some(a) = &f.actor_id {
        q = q.filter(importaciones::actor_id.eq(a));
    }
    // Days are Bogotá's; `creado_en` is UTC.
    let inicio_en_utc = super::inicio_del_dia_en_utc;
    if let Some(d) = f.desde {
        q = q.filter(importaciones::creado_en.ge(inicio_en_utc(d)));
    }
    if let Some(h) = f.hasta.and_then(|h| h.succ_opt()) {
        q = q.filter(importaciones::creado_en.lt(inicio_en_utc(h)));
    }
    q
}

/// The runs that match, newest first, a page of them, with the e-mail of who started each,
/// and how many match.
pub fn listar(
    c: &mut AnyConnection,
    prestador_id: &str,
    f: &Filtro,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<(Importacion, String)>, i64)> {
    let total = filtrada(prestador_id, f).count().get_result(c)?;
    let filas: Vec<Importacion> = filtrada(prestador_id, f)
        .order((importaciones::creado_en.desc(), importaciones::id.desc()))
        .offset(offset)
        .limit(limit)
        .select(Importacion::as_select())
        .load(c)?;
    let ids: Vec<&str> = filas.iter().map(|i| i.actor_id.as_str()).collect();
    let correos = super::usuarios::correos(c, prestador_id, &ids)?;
    let filas = filas
        .into_iter()
        .map(|i| {
            let quien = correos.get(&i.actor_id).cloned().unwrap_or_default();
            (i, quien)
        })
        .collect();
    Ok((filas, total))
}
