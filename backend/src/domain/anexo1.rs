//! The soportes de cobro an invoice must carry before it is radicated (Res. 2284/2023 Anexo
//! Técnico No. 1, "Listado de soportes de cobro según modalidad de pago"), kept as data in
//! `config/soportes-anexo1.toml`, and the checklist of one invoice against them.
//!
//! The lists are the most a payer may ask (art. 3), so a soporte outside them never blocks a
//! radicación; one they require and the invoice lacks is the first cause of devolución
//! (causal SO of Anexo 3), which is what the checklist exists to prevent.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::money::pesos_colombianos;

/// The file as Trazo ships it; see its header for the meaning of each key.
const OFICIAL: &str = include_str!("../../../config/soportes-anexo1.toml");

static ANEXO1: LazyLock<Anexo1> =
    LazyLock::new(|| Anexo1::leer(OFICIAL).expect("config/soportes-anexo1.toml is checked by its unit test"));

/// Every modality and kind of service the file may name: a typo there would silently never
/// apply its group.
const MODALIDADES: &[&str] = &["evento", "capita", "pgp", "paquete", "grd", "otra"];
const SERVICIOS: &[&str] = &[
    "consulta",
    "procedimiento",
    "urgencia",
    "hospitalizacion",
    "recien_nacido",
    "medicamento",
    "otro_servicio",
];
/// Kinds of service of a stay: their epicrisis or hoja de urgencias carries what an
/// ambulatory group would ask apart (Anexo 1 num. 2.7.4, 2.8.5).
const ESTANCIA: &[&str] = &["urgencia", "hospitalizacion", "recien_nacido"];

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Grupo {
    numeral: String,
    nombre: String,
    modalidades: Vec<String>,
    servicios: Vec<String>,
    #[serde(default)]
    ambulatorio: bool,
    obligatorios: Vec<String>,
    si_hay: BTreeMap<String, String>,
    si_aplica: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Anexo1 {
    grupo: Vec<Grupo>,
}

/// What Trazo knows of an invoice's RIPS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rips {
    /// No RIPS of the invoice (its own, not a note's) has been imported.
    SinRegistrar,
    Registrado {
        cuv: Option<String>,
        /// Sum of its services and the invoice's value, in centavos.
        total_rips: i64,
        total_factura: i64,
        /// The kinds of service it bills; empty when it was imported before Trazo kept them.
        servicios: Vec<String>,
    },
}

/// One invoice as the checklist reads it.
#[derive(Debug, Clone)]
pub struct Factura<'a> {
    /// Its contract's modality; `None` (no contract) is read as evento, the modality of
    /// every service billed on its own.
    pub modalidad: Option<&'a str>,
    pub rips: &'a Rips,
    /// The types (Anexo 2 abbreviations) of the soportes attached to it and not removed.
    pub presentes: &'a [String],
}

/// A soporte the checklist asks for: `tipos` holds one abbreviation, or the alternatives of
/// "HAU|EPI" (either one will do).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pedido {
    pub tipos: Vec<String>,
    /// The Anexo 1 numeral that asks for it.
    pub numeral: String,
    pub presente: bool,
    /// Why it is asked when it depends on another service ("el RIPS incluye medicamento").
    pub condicion: Option<String>,
}

/// What keeps an invoice from being radicated complete.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[serde(tag = "tipo", rename_all = "snake_case")]
pub enum Faltante {
    Soporte {
        tipos: Vec<String>,
        numeral: String,
    },
    RipsSinRegistrar,
    RipsSinCuv,
    RipsTotalDistinto {
        total_rips: i64,
        total_factura: i64,
    },
    /// The RIPS was imported before Trazo kept its kinds of service.
    ServiciosDesconocidos,
}

impl Faltante {
    /// In the words of a billing clerk, with what to do about it.
    pub fn mensaje(&self, nombre: impl Fn(&str) -> String) -> String {
        match self {
            Faltante::Soporte { tipos, numeral } => format!(
                "falta {} (Res. 2284/2023 Anexo 1 num. {numeral})",
                tipos
                    .iter()
                    .map(|t| {
                        let n = nombre(t);
                        if n.contains(t.as_str()) {
                            n
                        } else {
                            format!("{n} ({t})")
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(" o ")
            ),
            Faltante::RipsSinRegistrar => "el RIPS de la factura no está registrado en Trazo: impórtelo".into(),
            Faltante::RipsSinCuv => {
                "el RIPS no tiene CUV: registre el código único de validación que dio el Ministerio (Res. 1557/2023)"
                    .into()
            }
            Faltante::RipsTotalDistinto {
                total_rips,
                total_factura,
            } => format!(
                "el RIPS suma {} y la factura vale {}",
                pesos_colombianos(*total_rips),
                pesos_colombianos(*total_factura)
            ),
            Faltante::ServiciosDesconocidos => {
                "el RIPS se importó antes de que Trazo guardara sus tipos de servicio: impórtelo de nuevo para saber qué soportes exige".into()
            }
        }
    }
}

/// The checklist of one invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checklist {
    /// The Anexo 1 groups that apply ("2.7 Atención de urgencias").
    pub grupos: Vec<String>,
    pub requeridos: Vec<Pedido>,
    /// Listed "si aplica": shown, never blocking.
    pub si_aplica: Vec<Pedido>,
    pub faltantes: Vec<Faltante>,
    pub completo: bool,
}

impl Anexo1 {
    /// The lists in force, as shipped in `config/soportes-anexo1.toml`.
    pub fn oficial() -> &'static Anexo1 {
        &ANEXO1
    }

    /// Reads and checks a file of groups: an unknown modality, kind of service or an empty
    /// soporte is an error, not a group that never applies.
    pub fn leer(texto: &str) -> Result<Anexo1, String> {
        let a: Anexo1 = toml::from_str(texto).map_err(|e| e.to_string())?;
        for g in &a.grupo {
            let donde = format!("grupo {}", g.numeral);
            if let Some(m) = g.modalidades.iter().find(|m| !MODALIDADES.contains(&m.as_str())) {
                return Err(format!("{donde}: modalidad desconocida {m:?}"));
            }
            let servicios = g.servicios.iter().chain(g.si_hay.values());
            if let Some(s) = servicios.into_iter().find(|s| !SERVICIOS.contains(&s.as_str())) {
                return Err(format!("{donde}: tipo de servicio desconocido {s:?}"));
            }
            let soportes = g.obligatorios.iter().chain(g.si_hay.keys()).chain(&g.si_aplica);
            if soportes
                .flat_map(|s| s.split('|'))
                .any(|t| t.is_empty() || !t.chars().all(|c| c.is_ascii_uppercase()))
            {
                return Err(format!("{donde}: se esperan abreviaturas del Anexo 2 (HEV, EPI...)"));
            }
        }
        Ok(a)
    }

    /// Every abbreviation the groups name, each once: each must be a soporte type Trazo knows.
    pub fn abreviaturas(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self
            .grupo
            .iter()
            .flat_map(|g| g.obligatorios.iter().chain(g.si_hay.keys()).chain(&g.si_aplica))
            .flat_map(|s| s.split('|'))
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    pub fn evaluar(&self, f: &Factura<'_>) -> Checklist {
        let modalidad = f.modalidad.unwrap_or("evento");
        let servicios: &[String] = match f.rips {
            Rips::Registrado { servicios, .. } => servicios,
            Rips::SinRegistrar => &[],
        };
        let hay = |s: &str| servicios.iter().any(|x| x == s);
        let estancia = ESTANCIA.iter().any(|s| hay(s));
        let aplican: Vec<&Grupo> = self
            .grupo
            .iter()
            .filter(|g| g.modalidades.iter().any(|m| m == modalidad))
            .filter(|g| g.servicios.is_empty() || g.servicios.iter().any(|s| hay(s)))
            .filter(|g| !(g.ambulatorio && estancia))
            .collect();
        let presente = |alternativas: &str| alternativas.split('|').any(|t| f.presentes.iter().any(|p| p == t));
        let mut requeridos: Vec<Pedido> = Vec::new();
        let mut si_aplica: Vec<Pedido> = Vec::new();
        let pedir = |lista: &mut Vec<Pedido>, tipos: &str, numeral: &str, condicion: Option<String>| {
            let tipos: Vec<String> = tipos.split('|').map(str::to_string).collect();
            if !lista.iter().any(|p| p.tipos == tipos) {
                lista.push(Pedido {
                    presente: presente(&tipos.join("|")),
                    tipos,
                    numeral: numeral.to_string(),
                    condicion,
                });
            }
        };
        // The invoice and its RIPS go with every invoice, whatever groups apply (Anexo 2 num.
        // 2.1, 2.2), even one whose RIPS Trazo does not know yet.
        for base in ["FEV", "RIPS"] {
            pedir(&mut requeridos, base, "1.1 / 1.10", None);
        }
        for g in &aplican {
            for o in &g.obligatorios {
                pedir(&mut requeridos, o, &g.numeral, None);
            }
            for (soporte, servicio) in &g.si_hay {
                if hay(servicio) {
                    let condicion = format!("el RIPS incluye {}", servicio.replace('_', " "));
                    pedir(&mut requeridos, soporte, &g.numeral, Some(condicion));
                }
            }
        }
        for g in &aplican {
            for s in g.si_aplica.iter().chain(g.si_hay.keys()) {
                if !requeridos.iter().any(|p| p.tipos.join("|") == *s) {
                    pedir(&mut si_aplica, s, &g.numeral, None);
                }
            }
        }
        let mut faltantes: Vec<Faltante> = requeridos
            .iter()
            .filter(|p| !p.presente)
            .map(|p| Faltante::Soporte {
                tipos: p.tipos.clone(),
                numeral: p.numeral.clone(),
            })
            .collect();
        match f.rips {
            Rips::SinRegistrar => faltantes.push(Faltante::RipsSinRegistrar),
            Rips::Registrado {
                cuv,
                total_rips,
                total_factura,
                servicios,
            } => {
                if cuv.as_deref().is_none_or(|c| c.trim().is_empty()) {
                    faltantes.push(Faltante::RipsSinCuv);
                }
                if total_rips != total_factura {
                    faltantes.push(Faltante::RipsTotalDistinto {
                        total_rips: *total_rips,
                        total_factura: *total_factura,
                    });
                }
                if servicios.is_empty() {
                    faltantes.push(Faltante::ServiciosDesconocidos);
                }
            }
        }
        Checklist {
            grupos: aplican.iter().map(|g| format!("{} {}", g.numeral, g.nombre)).collect(),
            completo: faltantes.is_empty(),
            requeridos,
            si_aplica,
            faltantes,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rips(servicios: &[&str]) -> Rips {
        Rips::Registrado {
            cuv: Some("a1b2c3".into()),
            total_rips: 15_000_000,
            total_factura: 15_000_000,
            servicios: servicios.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn con(tipos: &[&str]) -> Vec<String> {
        tipos.iter().map(|s| s.to_string()).collect()
    }

    fn pedidos(c: &Checklist) -> Vec<String> {
        c.requeridos.iter().map(|p| p.tipos.join("|")).collect()
    }

    #[test]
    fn the_shipped_file_reads_and_names_only_known_abbreviations() {
        let a = Anexo1::oficial();
        assert_eq!(a.grupo.len(), 7);
        assert!(a.abreviaturas().contains(&"HAU") && a.abreviaturas().contains(&"EPI"));
    }

    #[test]
    fn an_outpatient_consultation_needs_the_invoice_the_summary_and_the_rips() {
        // Anexo 1 num. 2.1: factura, orden si no requiere autorización, registro de la atención, RIPS.
        let r = rips(&["consulta"]);
        let presentes = con(&["FEV", "RIPS"]);
        let c = Anexo1::oficial().evaluar(&Factura {
            modalidad: Some("evento"),
            rips: &r,
            presentes: &presentes,
        });
        assert_eq!(pedidos(&c), ["FEV", "RIPS", "HEV"]);
        assert_eq!(
            c.si_aplica.iter().map(|p| p.tipos.join("|")).collect::<Vec<_>>(),
            ["OPF"]
        );
        assert!(!c.completo);
        assert_eq!(
            c.faltantes,
            [Faltante::Soporte {
                tipos: vec!["HEV".into()],
                numeral: "2.1".into()
            }]
        );
        let presentes = con(&["FEV", "RIPS", "HEV"]);
        let c = Anexo1::oficial().evaluar(&Factura {
            modalidad: Some("evento"),
            rips: &r,
            presentes: &presentes,
        });
        assert!(c.completo, "{c:?}");
    }

    #[test]
    fn an_emergency_takes_either_the_emergency_sheet_or_the_epicrisis() {
        let r = rips(&["urgencia", "procedimiento"]);
        for hoja in ["HAU", "EPI"] {
            let presentes = con(&["FEV", "RIPS", hoja]);
            let c = Anexo1::oficial().evaluar(&Factura {
                modalidad: None,
                rips: &r,
                presentes: &presentes,
            });
            assert!(c.completo, "{hoja}: {c:?}");
            // The diagnostic results are read in the emergency sheet (2.7.4): no PDX apart.
            assert!(!pedidos(&c).contains(&"PDX".to_string()));
        }
    }

    #[test]
    fn drugs_given_in_a_stay_require_their_administration_sheet() {
        let sin = rips(&["hospitalizacion", "procedimiento"]);
        let con_drogas = rips(&["hospitalizacion", "procedimiento", "medicamento"]);
        let presentes = con(&["FEV", "RIPS", "EPI"]);
        let a = Anexo1::oficial();
        let c = a.evaluar(&Factura {
            modalidad: Some("evento"),
            rips: &sin,
            presentes: &presentes,
        });
        assert!(c.completo, "{c:?}");
        let c = a.evaluar(&Factura {
            modalidad: Some("evento"),
            rips: &con_drogas,
            presentes: &presentes,
        });
        assert_eq!(
            c.faltantes,
            [Faltante::Soporte {
                tipos: vec!["HAM".into()],
                numeral: "2.8".into()
            }]
        );
        assert_eq!(
            c.requeridos.last().unwrap().condicion.as_deref(),
            Some("el RIPS incluye medicamento")
        );
        // An ambulatory drug group (2.5, comprobante de recibido) does not apply inside a stay.
        assert!(!pedidos(&c).contains(&"CRC".to_string()));
    }

    #[test]
    fn a_capitated_invoice_needs_only_the_invoice_and_the_rips() {
        // Anexo 1 num. 1: everything else is "si aplica" for prospective modalities.
        let r = rips(&["urgencia", "medicamento"]);
        let presentes = con(&["FEV", "RIPS"]);
        let c = Anexo1::oficial().evaluar(&Factura {
            modalidad: Some("capita"),
            rips: &r,
            presentes: &presentes,
        });
        assert!(c.completo, "{c:?}");
        assert!(c.si_aplica.iter().any(|p| p.tipos == ["HAU"]));
    }

    #[test]
    fn the_rips_must_be_registered_with_its_cuv_and_add_up_to_the_invoice() {
        let presentes = con(&["FEV", "RIPS"]);
        let a = Anexo1::oficial();
        let c = a.evaluar(&Factura {
            modalidad: Some("pgp"),
            rips: &Rips::SinRegistrar,
            presentes: &presentes,
        });
        assert_eq!(c.faltantes, [Faltante::RipsSinRegistrar]);
        let r = Rips::Registrado {
            cuv: None,
            total_rips: 14_999_999,
            total_factura: 15_000_000,
            servicios: vec![],
        };
        let c = a.evaluar(&Factura {
            modalidad: Some("pgp"),
            rips: &r,
            presentes: &presentes,
        });
        assert_eq!(
            c.faltantes,
            [
                Faltante::RipsSinCuv,
                Faltante::RipsTotalDistinto {
                    total_rips: 14_999_999,
                    total_factura: 15_000_000
                },
                Faltante::ServiciosDesconocidos
            ]
        );
        let nombre = |t: &str| t.to_lowercase();
        assert_eq!(
            c.faltantes[1].mensaje(nombre),
            "el RIPS suma $ 149.999,99 y la factura vale $ 150.000,00"
        );
    }

    #[test]
    fn a_file_with_an_unknown_modality_or_service_is_refused_naming_the_group() {
        let malo = r#"[[grupo]]
numeral = "9"
nombre = "x"
modalidades = ["evento"]
servicios = ["cirugia"]
obligatorios = ["FEV"]
si_hay = {}
si_aplica = []
"#;
        assert_eq!(
            Anexo1::leer(malo).unwrap_err(),
            "grupo 9: tipo de servicio desconocido \"cirugia\""
        );
        assert!(
            Anexo1::leer(&malo.replace("cirugia", "consulta").replace("\"FEV\"", "\"fev\""))
                .unwrap_err()
                .contains("abreviaturas")
        );
    }
}
