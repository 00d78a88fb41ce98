//! The soportes checklist of invoices before radicación (Res. 2284/2023 Anexo 1): which
//! soportes their services require, which are attached, whether their RIPS is registered with
//! its CUV and adds up to the invoice — and the rule that a lote is radicated only when
//! complete, or with a reason that is recorded.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use utoipa::ToSchema;

use super::{ciclo, Actor, AppError};
use crate::db::{self, AnyConnection, Db};
use crate::domain::anexo1::{self, Anexo1, Checklist, Faltante};
use crate::domain::rol::Rol;
use crate::domain::soporte::TipoSoporte;
use crate::domain::Violation;

/// Who registers a RIPS's CUV: who imports RIPS.
pub const REGISTRAN_CUV: &[Rol] = &[Rol::Facturacion];

/// A soporte asked for, with its name.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PedidoVista {
    /// One abbreviation of Anexo 2, or the alternatives of which one will do.
    pub tipos: Vec<String>,
    /// The Anexo 1 numeral that asks for it.
    pub numeral: String,
    pub presente: bool,
    /// Why it is asked when it depends on another service ("el RIPS incluye medicamento").
    pub condicion: Option<String>,
    /// "HAU (Hoja de atención de urgencia) o EPI (Epicrisis)".
    pub nombre: String,
}

/// The checklist of one invoice, as the API and the screens show it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ChequeoFactura {
    pub factura_id: String,
    pub numero: String,
    pub pagador_id: String,
    pub modalidad: String,
    /// The Anexo 1 groups that apply to it.
    pub grupos: Vec<String>,
    pub requeridos: Vec<PedidoVista>,
    pub si_aplica: Vec<PedidoVista>,
    pub faltantes: Vec<Faltante>,
    /// Each missing thing in words, with what to do.
    pub mensajes: Vec<String>,
    pub cuv: Option<String>,
    pub completo: bool,
}

/// The Anexo 2 name of an abbreviation of `config/soportes-anexo1.toml` (a unit test checks
/// that each one is a type Trazo knows).
fn nombre_de(tipo: &str) -> String {
    tipo.parse::<TipoSoporte>()
        .map(|t| t.nombre().to_string())
        .unwrap_or_default()
}

/// "Epicrisis (EPI)"; a name that already says its abbreviation ("RIPS (JSON)") goes alone.
fn nombres(tipos: &[String]) -> String {
    tipos
        .iter()
        .map(|t| {
            let n = nombre_de(t);
            if n.contains(t.as_str()) {
                n
            } else {
                format!("{n} ({t})")
            }
        })
        .collect::<Vec<_>>()
        .join(" o ")
}

fn vista(p: &anexo1::Pedido) -> PedidoVista {
    PedidoVista {
        nombre: nombres(&p.tipos),
        tipos: p.tipos.clone(),
        numeral: p.numeral.clone(),
        presente: p.presente,
        condicion: p.condicion.clone(),
    }
}

/// The checklists of these invoices of the caller's prestador, in the order given; an id that
/// is not one of its invoices is left out (callers that need it say so).
pub fn de_facturas_en(
    c: &mut AnyConnection,
    prestador_id: &str,
    ids: &[String],
) -> Result<Vec<ChequeoFactura>, AppError> {
    let facturas = db::facturas::por_ids(c, prestador_id, ids)?;
    let contratos: Vec<String> = facturas.iter().filter_map(|f| f.contrato_id.clone()).collect();
    let modalidades: HashMap<String, String> = db::contratos::modalidades(c, prestador_id, &contratos)?
        .into_iter()
        .collect();
    let rips: HashMap<String, db::paquetes::RipsDeFactura> = db::paquetes::rips_de_facturas(c, prestador_id, ids)?
        .into_iter()
        .map(|r| (r.factura_id.clone(), r))
        .collect();
    let mut presentes: HashMap<String, Vec<String>> = HashMap::new();
    for s in db::soportes::activos_de_facturas(c, prestador_id, ids)? {
        if let Some(f) = s.factura_id {
            presentes.entry(f).or_default().push(s.tipo);
        }
    }
    let por_id: HashMap<&str, &db::facturas::Factura> = facturas.iter().map(|f| (f.id.as_str(), f)).collect();
    let anexo = Anexo1::oficial();
    Ok(ids
        .iter()
        .filter_map(|id| por_id.get(id.as_str()))
        .map(|f| {
            let r = match rips.get(&f.id) {
                None => anexo1::Rips::SinRegistrar,
                Some(r) => anexo1::Rips::Registrado {
                    cuv: r.cuv.clone(),
                    total_rips: r.valor_servicios,
                    total_factura: f.valor_total,
                    servicios: r
                        .tipos_servicio
                        .split(',')
                        .filter(|s| !s.is_empty())
                        .map(str::to_string)
                        .collect(),
                },
            };
            let modalidad = f
                .contrato_id
                .as_ref()
                .and_then(|c| modalidades.get(c))
                .map(String::as_str);
            let vacio = Vec::new();
            let c: Checklist = anexo.evaluar(&anexo1::Factura {
                modalidad,
                rips: &r,
                presentes: presentes.get(&f.id).unwrap_or(&vacio),
            });
            ChequeoFactura {
                factura_id: f.id.clone(),
                numero: f.numero.clone(),
                pagador_id: f.pagador_id.clone(),
                modalidad: modalidad.unwrap_or("evento").to_string(),
                grupos: c.grupos,
                requeridos: c.requeridos.iter().map(vista).collect(),
                si_aplica: c.si_aplica.iter().map(vista).collect(),
                mensajes: c.faltantes.iter().map(|x| x.mensaje(nombre_de)).collect(),
                faltantes: c.faltantes,
                cuv: rips.get(&f.id).and_then(|r| r.cuv.clone()),
                completo: c.completo,
            }
        })
        .collect())
}

/// Who reads checklists: the staff who see invoices.
pub const LECTORES: &[Rol] = &[Rol::Facturacion, Rol::Cartera, Rol::Finanzas, Rol::Auditor, Rol::Admin];

pub fn de_factura(db: &Db, actor: &Actor, factura_id: &str) -> Result<ChequeoFactura, AppError> {
    actor.exigir(LECTORES, "ver los soportes de una factura")?;
    db.read(|c| {
        de_facturas_en(c, &actor.prestador_id, &[factura_id.to_string()])?
            .pop()
            .ok_or_else(|| AppError::not_found("la factura"))
    })
}

/// The reason to radicate invoices whose checklist is incomplete.
pub fn motivo_excepcion(texto: Option<&str>) -> Result<Option<String>, AppError> {
    match texto.map(str::trim) {
        None | Some("") => Ok(None),
        Some(m) if m.chars().count() < 10 || m.chars().count() > 500 => Err(AppError::invalid(
            "excepcion",
            "se espera el motivo de radicar sin los soportes completos, entre 10 y 500 caracteres",
        )),
        Some(m) => Ok(Some(m.to_string())),
    }
}

/// Checks, in the radicación's transaction, that every invoice's checklist is complete, or
/// that the caller gave a reason. Refused: a violation per incomplete invoice, named by the
/// request's field `campo(i)` and the invoice number, listing what is missing. Accepted with
/// a reason: what each invoice lacked, to record in its radicación event.
pub fn exigir_completas(
    c: &mut AnyConnection,
    prestador_id: &str,
    ids: &[String],
    excepcion: Option<&str>,
    campo: impl Fn(usize) -> String,
) -> Result<HashMap<String, Value>, AppError> {
    let chequeos = de_facturas_en(c, prestador_id, ids)?;
    let incompletos: Vec<(usize, &ChequeoFactura)> = chequeos
        .iter()
        .filter(|ch| !ch.completo)
        .map(|ch| (ids.iter().position(|i| *i == ch.factura_id).unwrap_or(0), ch))
        .collect();
    match excepcion {
        None if !incompletos.is_empty() => Err(AppError::Invalid(
            incompletos
                .iter()
                .map(|(i, ch)| {
                    Violation::new(
                        campo(*i),
                        format!(
                            "la factura {} no tiene sus soportes completos: {}. Adjúntelos, o radique con un motivo de excepción",
                            ch.numero,
                            ch.mensajes.join("; ")
                        ),
                    )
                })
                .collect(),
        )),
        None => Ok(HashMap::new()),
        Some(m) => Ok(incompletos
            .iter()
            .map(|(_, ch)| {
                (
                    ch.factura_id.clone(),
                    json!({"motivo": m, "faltantes": ch.mensajes}),
                )
            })
            .collect()),
    }
}

/// The CUV of an invoice's RIPS: typed, or the answer of the Ministry's validator (its JSON,
/// with `CodigoUnicoValidacion`), as it comes.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegistroCuv {
    /// The código único de validación.
    #[schema(example = "3f2a9c0b7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a")]
    pub cuv: String,
}

/// Reads a CUV out of what a clerk pasted or uploaded: the bare code, or the validator's JSON
/// answer. A rejected validation (`ResultState` false) has no CUV to register.
pub fn leer_cuv(texto: &str) -> Result<String, AppError> {
    let t = texto.trim().trim_start_matches('\u{feff}');
    let cuv = if t.starts_with('{') {
        let v: Value = serde_json::from_str(t)
            .map_err(|e| AppError::invalid("cuv", format!("la respuesta del validador no es JSON válido: {e}")))?;
        if v.get("ResultState").and_then(Value::as_bool) == Some(false) {
            return Err(AppError::invalid(
                "cuv",
                "el validador del Ministerio rechazó este RIPS (ResultState false): corrija el RIPS y valídelo de nuevo",
            ));
        }
        v.get("CodigoUnicoValidacion")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .trim()
            .to_string()
    } else {
        t.to_string()
    };
    if !(20..=128).contains(&cuv.len()) || !cuv.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(AppError::invalid(
            "cuv",
            "se espera el código único de validación del RIPS (letras y números, de 20 a 128), o la respuesta JSON del validador con CodigoUnicoValidacion",
        ));
    }
    Ok(cuv.to_ascii_lowercase())
}

/// Registers the CUV of the invoice's RIPS, with its event.
pub fn registrar_cuv(
    db: &Db,
    hoy: NaiveDate,
    actor: &Actor,
    factura_id: &str,
    r: RegistroCuv,
) -> Result<ChequeoFactura, AppError> {
    actor.exigir(REGISTRAN_CUV, "registrar el CUV de un RIPS")?;
    let cuv = leer_cuv(&r.cuv)?;
    db.write(|c| {
        let f = db::facturas::por_ids(c, &actor.prestador_id, &[factura_id.to_string()])?
            .pop()
            .ok_or_else(|| AppError::not_found("la factura"))?;
        if db::paquetes::registrar_cuv(c, &actor.prestador_id, factura_id, &cuv)? == 0 {
            return Err(AppError::invalid(
                "cuv",
                format!(
                    "la factura {} no tiene RIPS en Trazo: importe su RIPS antes de registrar el CUV",
                    f.numero
                ),
            ));
        }
        ciclo::evento(
            c,
            actor,
            factura_id,
            "cuv_registrado",
            hoy,
            json!({"cuv": cuv}),
            (f.saldo, f.en_discusion),
        )?;
        de_facturas_en(c, &actor.prestador_id, &[factura_id.to_string()])?
            .pop()
            .ok_or_else(|| AppError::not_found("la factura"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cuv_is_read_bare_or_out_of_the_validators_answer() {
        let cuv = "3F2A9C0B7D6E5F4A3B2C1D0E9F8A7B6C";
        assert_eq!(leer_cuv(&format!(" {cuv}\n")).unwrap(), cuv.to_lowercase());
        let respuesta = format!(
            r#"{{"ResultState": true, "ProcesoId": 981, "NumFactura": "FE-1", "CodigoUnicoValidacion": "{cuv}", "ResultadosValidacion": []}}"#
        );
        assert_eq!(leer_cuv(&respuesta).unwrap(), cuv.to_lowercase());
        let rechazada =
            r#"{"ResultState": false, "CodigoUnicoValidacion": "", "ResultadosValidacion": [{"Clase": "RECHAZADO"}]}"#;
        assert!(format!("{:?}", leer_cuv(rechazada).unwrap_err()).contains("rechazó"));
        assert!(leer_cuv("abc").is_err());
        assert!(leer_cuv("3f2a9c0b-7d6e-5f4a-3b2c-1d0e9f8a7b6c").is_err());
    }

    #[test]
    fn every_soporte_the_checklist_asks_for_is_a_type_that_can_be_attached() {
        for t in Anexo1::oficial().abreviaturas() {
            assert!(
                !nombre_de(t).is_empty(),
                "{t} of config/soportes-anexo1.toml is not a soporte type"
            );
        }
    }

    #[test]
    fn an_exception_needs_a_real_reason() {
        assert_eq!(motivo_excepcion(Some("  ")).unwrap(), None);
        assert!(motivo_excepcion(Some("ya")).is_err());
        assert_eq!(
            motivo_excepcion(Some("El pagador recibe la epicrisis por su plataforma"))
                .unwrap()
                .as_deref(),
            Some("El pagador recibe la epicrisis por su plataforma")
        );
    }
}
