//! Payments a payer announces from its window, waiting for the prestador's cartera team.

use diesel::prelude::*;

use super::schema::anuncios_pago;
use super::AnyConnection;

/// Waiting for the cartera team.
pub const ANUNCIADO: &str = "anunciado";
/// Confirmed: it became the payment `pago_id`.
pub const CONFIRMADO: &str = "confirmado";
/// Refused by the cartera team, with its reason.
pub const RECHAZADO: &str = "rechazado";

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = anuncios_pago)]
pub struct Anuncio {
    pub id: String,
    pub prestador_id: String,
    pub pagador_id: String,
    pub usuario_id: String,
    pub fecha: chrono::NaiveDate,
    pub valor: i64,
    pub referencia: String,
    pub medio: String,
    /// JSON: the applications as announced (`[{"factura_id", "valor"}]`).
    pub detalle: String,
    pub estado: String,
    pub pago_id: Option<String>,
    pub motivo: String,
    pub decidido_por: Option<String>,
    pub decidido_en: Option<chrono::NaiveDateTime>,
    pub creado_en: chrono::NaiveDateTime,
}

pub fn insertar(c: &mut AnyConnection, a: &Anuncio) -> QueryResult<()> {
    diesel::insert_into(anuncios_pago::table)
        .values(a)
        .execute(c)
        .map(|_| ())
}

pub fn por_id(c: &mut AnyConnection, prestador_id: &str, id: &str) -> QueryResult<Option<Anuncio>> {
    anuncios_pago::table
        .filter(
            anuncios_pago::prestador_id
                .eq(prestador_id)
                .and(anuncios_pago::id.eq(id)),
        )
        .select(Anuncio::as_select())
        .first(c)
        .optional()
}

/// The announcements of the prestador (of one payer, in one state, when given), the latest
/// first; at most `limite`.
pub fn listar(
    c: &mut AnyConnection,
    prestador_id: &str,
    pagador_id: Option<&str>,
    estado: Option<&str>,
    limite: i64,
) -> QueryResult<Vec<Anuncio>> {
    let mut q = anuncios_pago::table
        .filter(anuncios_pago::prestador_id.eq(prestador_id))
        .into_boxed();
    if let Some(p) = pagador_id {
        q = q.filter(anuncios_pago::pagador_id.eq(p));
    }
    if let Some(e) = estado {
        q = q.filter(anuncios_pago::estado.eq(e));
    }
    q.order((anuncios_pago::creado_en.desc(), anuncios_pago::id.desc()))
        .limit(limite)
        .select(Anuncio::as_select())
        .load(c)
}

/// Records the decision on an announcement still waiting; 0 when someone decided it first.
pub fn decidir(
    c: &mut AnyConnection,
    prestador_id: &str,
    id: &str,
    estado: &str,
    pago_id: Option<&str>,
    motivo: &str,
    por: &str,
) -> QueryResult<usize> {
    diesel::update(
        anuncios_pago::table.filter(
            anuncios_pago::prestador_id
                .eq(prestador_id)
                .and(anuncios_pago::id.eq(id))
                .and(anuncios_pago::estado.eq(ANUNCIADO)),
        ),
    )
    .set((
        anuncios_pago::estado.eq(estado),
        anuncios_pago::pago_id.eq(pago_id),
        anuncios_pago::motivo.eq(motivo),
        anuncios_pago::decidido_por.eq(por),
        anuncios_pago::decidido_en.eq(super::now()),
    ))
    .execute(c)
}
