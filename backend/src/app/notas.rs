//! Notas crédito (which lower or annul an invoice), notas débito (which raise it) and castigo
//! (write-off).

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;

use super::facturas::FacturaVista;
use super::{ciclo, Actor, AppError};
use crate::db::{self, notas::Nota, AnyConnection, Db};
use crate::domain::factura::EstadoFactura;
use crate::domain::money::{from_centavos, to_centavos_no_negativo};
use crate::domain::rol::Rol;
use crate::domain::terminos::Terminos;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NuevaNota {
    #[schema(example = "NC-301")]
    pub numero: String,
    pub cude: Option<String>,
    #[schema(value_type = crate::app::DecimalExacto)]
    #[serde(deserialize_with = "crate::app::exacto::requerido")]
    pub valor: Decimal,
    pub fecha: chrono::NaiveDate,
    #[serde(default)]
    pub motivo: String,
    /// The note annuls the invoice (it must cover all of it, before the payer acted on it).
    #[serde(default)]
    pub anulacion: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NuevoCastigo {
    pub fecha: chrono::NaiveDate,
    /// The act of the committee that authorised the write-off.
    pub acta: String,
    #[serde(default)]
    pub motivo: String,
}

/// Records a nota crédito in the caller's transaction.
pub fn nota_credito_en(
    c: &mut AnyConnection,
    t: &Terminos,
    hoy: NaiveDate,
    actor: &Actor,
    factura_id: &str,
    n: &NuevaNota,
) -> Result<(), AppError> {
    nota_en(c, t, hoy, actor, factura_id, n, db::notas::CREDITO)
}

/// Records a nota débito in the caller's transaction: it raises what the payer owes by its
/// value (Res. DIAN 000165 de 2023, anexo técnico 1.9, DebitNote referencing the invoice).
pub fn nota_debito_en(
    c: &mut AnyConnection,
    t: &Terminos,
    hoy: NaiveDate,
    actor: &Actor,
    factura_id: &str,
    n: &NuevaNota,
) -> Result<(), AppError> {
    nota_en(c, t, hoy, actor, factura_id, n, db::notas::DEBITO)
}

/// A nota of `tipo` (crédito lowers what is owed, débito raises it) with its movement and
/// event.
fn nota_en(
    c: &mut AnyConnection,
    t: &Terminos,
    hoy: NaiveDate,
    actor: &Actor,
    factura_id: &str,
    n: &NuevaNota,
    tipo: &str,
) -> Result<(), AppError> {
    let debito = tipo == db::notas::DEBITO;
    super::no_futura("fecha", n.fecha, hoy)?;
    let valor = to_centavos_no_negativo(n.valor).map_err(|e| AppError::invalid("valor", e.to_string()))?;
    let numero = n.numero.trim().to_uppercase();
    if numero.is_empty() {
        let que = if debito { "débito" } else { "crédito" };
        return Err(AppError::invalid("numero", format!("falta el número de la nota {que}")));
    }
    let mut e = ciclo::cargar(c, t, &actor.prestador_id, factura_id)?;
    let anulacion = n.anulacion && !debito;
    if debito {
        e.dominio.nota_debito(valor)?;
    } else {
        e.dominio.nota_credito(valor, anulacion, hoy, &t.reglas)?;
    }
    if db::notas::existe_numero(c, &actor.prestador_id, &numero)? {
        return Err(AppError::Conflict(format!("ya existe la nota {numero}")));
    }
    let nota_id = db::new_id();
    db::notas::insertar(
        c,
        &Nota {
            id: nota_id.clone(),
            prestador_id: actor.prestador_id.clone(),
            factura_id: factura_id.to_string(),
            numero: numero.clone(),
            cude: n.cude.clone(),
            valor,
            fecha: n.fecha,
            motivo: n.motivo.trim().to_string(),
            anulacion,
            creado_en: db::now(),
            tipo: tipo.into(),
        },
    )?;
    let (movimiento, efecto) = if debito {
        (db::movimientos::NOTA_DEBITO, valor)
    } else {
        (db::movimientos::NOTA_CREDITO, -valor)
    };
    let m = db::movimientos::Movimiento::new(&actor.prestador_id, factura_id, movimiento, efecto, n.fecha).de(
        db::movimientos::origen::NOTA,
        &nota_id,
        &numero,
    );
    db::movimientos::insertar(c, &[m])?;
    let evento = if debito {
        e.dominio.debitos += valor;
        "nota_debito"
    } else {
        e.dominio.notas += valor;
        e.dominio.anulada = anulacion;
        if anulacion {
            EstadoFactura::Anulada.as_str()
        } else {
            "nota_credito"
        }
    };
    let saldos = ciclo::guardar(c, &e, &t.reglas, None)?;
    ciclo::evento(
        c,
        actor,
        factura_id,
        evento,
        n.fecha,
        json!({"numero": numero, "cude": n.cude, "valor": from_centavos(valor), "motivo": n.motivo.trim()}),
        saldos,
    )
}

pub fn nota_credito(
    db: &Db,
    t: &Terminos,
    hoy: NaiveDate,
    actor: &Actor,
    factura_id: &str,
    n: NuevaNota,
) -> Result<FacturaVista, AppError> {
    actor.exigir(&[Rol::Facturacion], "registrar notas crédito")?;
    let e = db.write(|c| {
        nota_credito_en(c, t, hoy, actor, factura_id, &n)?;
        ciclo::cargar(c, t, &actor.prestador_id, factura_id)
    })?;
    super::facturas::vista_completa(e, t, hoy)
}

pub fn castigar(
    db: &Db,
    t: &Terminos,
    hoy: NaiveDate,
    actor: &Actor,
    factura_id: &str,
    n: NuevoCastigo,
) -> Result<FacturaVista, AppError> {
    actor.exigir(&[Rol::Finanzas, Rol::Admin], "castigar cartera")?;
    super::no_futura("fecha", n.fecha, hoy)?;
    if n.acta.trim().is_empty() {
        return Err(AppError::invalid("acta", "el castigo requiere el acta que lo autoriza"));
    }
    let e = db.write(|c| {
        let mut e = ciclo::cargar(c, t, &actor.prestador_id, factura_id)?;
        let valor = e.dominio.castigar(hoy, &t.reglas)?;
        let m = db::movimientos::Movimiento::new(
            &actor.prestador_id,
            factura_id,
            db::movimientos::CASTIGO,
            -valor,
            n.fecha,
        )
        .de(db::movimientos::origen::CASTIGO, factura_id, n.acta.trim());
        db::movimientos::insertar(c, &[m])?;
        e.dominio.castigado = valor;
        let saldos = ciclo::guardar(c, &e, &t.reglas, None)?;
        ciclo::evento(
            c,
            actor,
            factura_id,
            "castigada",
            n.fecha,
            json!({"valor": from_centavos(valor), "acta": n.acta.trim(), "motivo": n.motivo.trim()}),
            saldos,
        )?;
        ciclo::cargar(c, t, &actor.prestador_id, factura_id)
    })?;
    super::facturas::vista_completa(e, t, hoy)
}
