//! Soportes and the files behind them. A file's content is kept once per prestador in
//! `archivos`, keyed by its SHA-256; a soporte is one attachment of a content to a record.
//! Removing a soporte keeps its row (who, when, why) and its content: the events cite it.

use super::hash;
use diesel::prelude::*;

use super::schema::{archivos, soportes};
use super::AnyConnection;

/// One soporte, as stored. `objeto` is `factura`, `glosa`, `devolucion`, `acuerdo` or `acta`
/// (`domain::soporte::ObjetoSoporte`); `tipo` the abbreviation of Res. 2284/2023 Anexo 2
/// (`domain::soporte::TipoSoporte`); `factura_id` the invoice whose trazabilidad records it,
/// none for an acuerdo or acta (several invoices).
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = soportes)]
pub struct Soporte {
    pub id: String,
    pub prestador_id: String,
    pub objeto: String,
    pub objeto_id: String,
    pub factura_id: Option<String>,
    pub tipo: String,
    /// The person of a multi-user invoice (`CC123`), empty otherwise.
    pub documento_usuario: String,
    /// The file's name as the user gave it.
    pub nombre: String,
    pub media_type: String,
    /// SHA-256 of the content, lowercase hex: the key of its row in `archivos`.
    pub hash: String,
    pub tamano: i64,
    pub actor_id: String,
    pub creado_en: chrono::NaiveDateTime,
    pub retirado_por: Option<String>,
    pub retirado_en: Option<chrono::NaiveDateTime>,
    pub motivo_retiro: String,
}

#[derive(Insertable)]
#[diesel(table_name = archivos)]
struct Archivo<'a> {
    prestador_id: &'a str,
    hash: &'a str,
    tamano: i64,
    contenido: &'a [u8],
    creado_en: chrono::NaiveDateTime,
}

/// Whether the prestador already keeps this content.
pub fn existe_archivo(c: &mut AnyConnection, prestador_id: &str, hash: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        archivos::table.filter(archivos::prestador_id.eq(prestador_id).and(archivos::hash.eq(hash))),
    ))
    .get_result(c)
}

/// Keeps `bytes` for the prestador, once: a content already kept is not written again (on both
/// backends, also when another transaction writes it at the same moment). Gives its hash and
/// size.
pub fn guardar_archivo(c: &mut AnyConnection, prestador_id: &str, bytes: &[u8]) -> QueryResult<(String, i64)> {
    let h = hash(bytes);
    let tamano = guardar_archivo_con_hash(c, prestador_id, &h, bytes)?;
    Ok((h, tamano))
}

/// [`guardar_archivo`] of content whose [`hash`] the caller already computed (outside its
/// transaction); gives its size.
pub fn guardar_archivo_con_hash(c: &mut AnyConnection, prestador_id: &str, h: &str, bytes: &[u8]) -> QueryResult<i64> {
    let tamano = i64::try_from(bytes.len()).unwrap_or(i64::MAX);
    let fila = Archivo {
        prestador_id,
        hash: h,
        tamano,
        contenido: bytes,
        creado_en: super::now(),
    };
    super::por_backend!(&mut *c, |conn| diesel::insert_into(archivos::table)
        .values(&fila)
        .on_conflict_do_nothing()
        .execute(conn))?;
    Ok(tamano)
}

/// The content kept under `hash` for the prestador.
pub fn contenido(c: &mut AnyConnection, prestador_id: &str, hash: &str) -> QueryResult<Option<Vec<u8>>> {
    archivos::table
        .filter(archivos::prestador_id.eq(prestador_id).and(archivos::hash.eq(hash)))
        .select(archivos::contenido)
        .first(c)
        .optional()
}

/// The bytes the prestador's files take, each content counted once.
pub fn bytes_guardados(c: &mut AnyConnection, prestador_id: &str) -> QueryResult<i64> {
    let total: Option<i64> = archivos::table
        .filter(archivos::prestador_id.eq(prestador_id))
        .select(super::suma("tamano"))
        .first(c)?;
    Ok(total.unwrap_or(0))
}

pub fn insertar(c: &mut AnyConnection, s: &Soporte) -> QueryResult<()> {
    diesel::insert_into(soportes::table).values(s).execute(c)?;
    Ok(())
}

pub fn por_id(c: &mut AnyConnection, prestador_id: &str, id: &str) -> QueryResult<Option<Soporte>> {
    soportes::table
        .filter(soportes::prestador_id.eq(prestador_id).and(soportes::id.eq(id)))
        .select(Soporte::as_select())
        .first(c)
        .optional()
}

/// The soporte in force of this content on this record, if any.
pub fn vigente_de(
    c: &mut AnyConnection,
    prestador_id: &str,
    objeto: &str,
    objeto_id: &str,
    hash: &str,
) -> QueryResult<Option<Soporte>> {
    soportes::table
        .filter(
            soportes::prestador_id
                .eq(prestador_id)
                .and(soportes::objeto.eq(objeto))
                .and(soportes::objeto_id.eq(objeto_id))
                .and(soportes::hash.eq(hash))
                .and(soportes::retirado_en.is_null()),
        )
        .select(Soporte::as_select())
        .first(c)
        .optional()
}

/// The soportes of one record in the order they were attached; those removed too with `todos`.
pub fn de_objeto(
    c: &mut AnyConnection,
    prestador_id: &str,
    objeto: &str,
    objeto_id: &str,
    todos: bool,
) -> QueryResult<Vec<Soporte>> {
    let mut q = soportes::table
        .filter(
            soportes::prestador_id
                .eq(prestador_id)
                .and(soportes::objeto.eq(objeto))
                .and(soportes::objeto_id.eq(objeto_id)),
        )
        .into_boxed();
    if !todos {
        q = q.filter(soportes::retirado_en.is_null());
    }
    q.order((soportes::creado_en.asc(), soportes::id.asc()))
        .select(Soporte::as_select())
        .load(c)
}

/// The soportes in force attached to these invoices themselves (objeto `factura`), by invoice
/// and then in the order they were attached: what a radicación package carries.
pub fn activos_de_facturas(
    c: &mut AnyConnection,
    prestador_id: &str,
    factura_ids: &[String],
) -> QueryResult<Vec<Soporte>> {
    let mut out = Vec::new();
    for lote in factura_ids.chunks(super::LOTE) {
        out.extend(
            soportes::table
                .filter(
                    soportes::prestador_id
                        .eq(prestador_id)
                        .and(soportes::objeto.eq("factura"))
                        .and(soportes::objeto_id.eq_any(lote))
                        .and(soportes::retirado_en.is_null()),
                )
                .select(Soporte::as_select())
                .load(c)?,
        );
    }
    out.sort_by(|a, b| (&a.objeto_id, a.creado_en, &a.id).cmp(&(&b.objeto_id, b.creado_en, &b.id)));
    Ok(out)
}

/// Marks the soporte removed, if it is still in force: how many rows changed (0: someone
/// removed it first).
pub fn retirar(
    c: &mut AnyConnection,
    prestador_id: &str,
    id: &str,
    actor_id: &str,
    motivo: &str,
) -> QueryResult<usize> {
    diesel::update(
        soportes::table.filter(
            soportes::prestador_id
                .eq(prestador_id)
                .and(soportes::id.eq(id))
                .and(soportes::retirado_en.is_null()),
        ),
    )
    .set((
        soportes::retirado_por.eq(Some(actor_id)),
        soportes::retirado_en.eq(Some(super::now())),
        soportes::motivo_retiro.eq(motivo),
    ))
    .execute(c)
}
