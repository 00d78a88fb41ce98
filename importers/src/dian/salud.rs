//! The health sector's additional fields of the FEV.
//!
//! MinSalud defines them as `AdditionalInformation` Name/Value pairs that DIAN's UBL carries in
//! an extension (Res. 506 de 2021, then Res. 510 de 2022, Res. 2275 de 2023 and Res. 1884 de
//! 2024, which modifies 2275):
//!
//! ```text
//! ext:UBLExtensions/ext:UBLExtension/ext:ExtensionContent/CustomTagGeneral/Interoperabilidad
//!     /Group[@schemeName="Sector Salud"]/Collection[@schemeName="Usuario"]/AdditionalInformation
//!         /Name   (CODIGO_PRESTADOR, MODALIDAD_PAGO, COBERTURA_PLAN_BENEFICIOS, NUMERO_CONTRATO,
//!                  NUMERO_POLIZA, COPAGO, CUOTA_MODERADORA, CUOTA_RECUPERACION, PAGOS_COMPARTIDOS…)
//!         /Value  (coded values carry the code in @schemeID, e.g. schemeName="salud_modalidad_pago.gc")
//! ```
//!
//! Sources: the open-source DIAN templates of `rashArt/apifordian`
//! (`resources/templates/xml/_ubl_extensions_health.blade.php`, `_health_users.blade.php`,
//! whose history shows both the Res. 506 names — `MODALIDAD_CONTRATACION`, `CUOTA_RECUPERACION`
//! — and the later `MODALIDAD_PAGO`); other public implementations read the same path
//! (`/ext:UBLExtensions/ext:UBLExtension/ext:ExtensionContent/CustomTagGeneral/Interoperabilidad/Group/Collection/AdditionalInformation`).
//! The official MinSalud annex itself was not available to check.
//!
//! `CustomTagGeneral` and its children carry no prefix, so they take whatever default
//! namespace is in scope (the Invoice namespace in most files, none in others; one public
//! implementation uses the DIAN `sts` namespace). They are therefore matched by local name,
//! anywhere under the root's `ext:UBLExtensions`.

use rust_decimal::Decimal;

use super::valores::{mensaje_monto, monto};
use super::xml::{Arbol, Ns};
use super::CamposSalud;
use crate::error::{ImportError, Ubicacion};

/// The fields found under the root's `ext:UBLExtensions` of `arbol`; a value that cannot be read
/// adds its error to `errores` (those of the document it belongs to).
pub(crate) fn campos(a: &Arbol, archivo: &str, errores: &mut Vec<ImportError>) -> CamposSalud {
    let mut s = CamposSalud::default();
    let Some(ext) = a.hijo(0, &Ns::Ext, "UBLExtensions") else {
        return s;
    };
    let mut c = Valores { a, archivo, errores };
    let hijo_local = |i: usize, local: &str| a.nodos[i].hijos.iter().copied().find(|&h| a.nodos[h].local == local);
    for i in a.descendientes(ext) {
        if a.nodos[i].local != "AdditionalInformation" {
            continue;
        }
        let (Some(n), Some(v)) = (hijo_local(i, "Name"), hijo_local(i, "Value")) else {
            continue;
        };
        let nombre = a.texto(n).to_ascii_uppercase();
        let texto = a.texto(v);
        let codigo = a
            .atributo(v, "schemeID")
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .unwrap_or(texto);
        match nombre.as_str() {
            "CODIGO_PRESTADOR" => primero(&mut s.codigo_prestador, texto),
            // MODALIDAD_CONTRATACION is the Res. 506 de 2021 name of the same field.
            "MODALIDAD_PAGO" | "MODALIDAD_CONTRATACION" => primero(&mut s.modalidad_pago, codigo),
            "COBERTURA_PLAN_BENEFICIOS" => primero(&mut s.cobertura_plan_beneficios, codigo),
            "NUMERO_CONTRATO" => primero(&mut s.numero_contrato, texto),
            "NUMERO_POLIZA" => primero(&mut s.numero_poliza, texto),
            "COPAGO" => c.sumar(&mut s.copago, v, "COPAGO"),
            "CUOTA_MODERADORA" => c.sumar(&mut s.cuota_moderadora, v, "CUOTA_MODERADORA"),
            "CUOTA_RECUPERACION" => c.sumar(&mut s.cuota_recuperacion, v, "CUOTA_RECUPERACION"),
            "PAGOS_COMPARTIDOS" => c.sumar(&mut s.pagos_compartidos, v, "PAGOS_COMPARTIDOS"),
            _ => {}
        }
    }
    s
}

/// Text fields: the first non-empty value wins (a document may repeat the Collection per user).
fn primero(campo: &mut Option<String>, valor: &str) {
    if campo.is_none() && !valor.is_empty() {
        *campo = Some(valor.to_string());
    }
}

/// Where the amounts of the extension are read and their errors go.
struct Valores<'a> {
    a: &'a Arbol,
    archivo: &'a str,
    errores: &'a mut Vec<ImportError>,
}

impl Valores<'_> {
    /// Amounts: added over the Collections (one per user under Res. 506/510); empty values are
    /// absent, not zero.
    fn sumar(&mut self, campo: &mut Option<Decimal>, valor: usize, nombre: &str) {
        let texto = self.a.texto(valor);
        if texto.is_empty() {
            return;
        }
        let mensaje = match monto(texto) {
            Ok(d) => match campo.unwrap_or(Decimal::ZERO).checked_add(d) {
                Some(total) => {
                    *campo = Some(total);
                    return;
                }
                None => "la suma de los valores es demasiado grande".to_string(),
            },
            Err(e) => mensaje_monto(&e, texto),
        };
        self.errores.push(ImportError::new(
            self.archivo,
            Ubicacion::XPath(self.a.ruta(valor)),
            Some(nombre),
            mensaje,
        ));
    }
}
