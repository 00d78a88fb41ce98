//! DIAN XML: invoices and notas crédito in UBL 2.1, bare or inside an AttachedDocument.
//!
//! Runs of thousands of files are streamed ([`Lectura::PorTandas`]): each batch's invoices
//! are checked and inserted as it comes, and the run keeps only what later batches are
//! checked against (numbers and CUFEs seen) and the notas crédito, which wait for every
//! invoice of the run to exist.

use std::collections::HashMap;

use trazo_importers::{dian, Ubicacion};

use super::motor::{en_paralelo, Falla, Formato, Lectura, Leido, Nuevo, Parseo, Tanda};
use super::{en, error, Actor, AppError, Contexto, ErrorImportacion, Resumen};
use crate::app::facturas::FacturaLista;
use crate::app::numeros::Numeros;
use crate::db::{self, AnyConnection};
use crate::domain::factura::{self as dominio, FacturaEntrada, ItemEntrada};
use crate::domain::nit::Nit;

/// Files per batch: enough to keep all cores busy, few enough that memory does not grow with
/// the run.
const TANDA: usize = 1000;

/// A DIAN run: what it has seen so far.
pub(super) struct Dian<'a> {
    cx: &'a Contexto<'a>,
    actor: &'a Actor,
    /// Loaded with the first batch, inside the run's transaction.
    registro: Option<Registro>,
    /// numero → CUFE of the invoices of this run.
    vistos: HashMap<String, String>,
    /// Notas crédito, with their file's name.
    notas: Vec<(String, dian::DocumentoDian)>,
}

/// What invoices are checked against: the prestador's NIT, its payers and contracts.
struct Registro {
    prestador_nit: String,
    /// NIT → payer id.
    pagadores: HashMap<String, String>,
    /// (payer id, contract number) → contract id.
    contratos: HashMap<(String, String), String>,
}

impl Registro {
    fn cargar(c: &mut AnyConnection, actor: &Actor) -> Result<Registro, Falla> {
        let prestador =
            db::prestadores::por_id(c, &actor.prestador_id)?.ok_or_else(|| AppError::not_found("el prestador"))?;
        let pagadores = db::pagadores::listar(c, &actor.prestador_id, &Default::default(), 0, i64::MAX)?
            .0
            .into_iter()
            .map(|p| (p.nit, p.id))
            .collect();
        let contratos = db::contratos::listar(c, &actor.prestador_id, None, 0, i64::MAX)?
            .0
            .into_iter()
            .map(|x| ((x.pagador_id, x.numero), x.id))
            .collect();
        Ok(Registro {
            prestador_nit: prestador.nit,
            pagadores,
            contratos,
        })
    }
}

impl<'a> Dian<'a> {
    pub fn nuevo(cx: &'a Contexto<'a>, actor: &'a Actor) -> Self {
        Dian {
            cx,
            actor,
            registro: None,
            vistos: HashMap::new(),
            notas: Vec::new(),
        }
    }
}

fn xp(p: &str) -> Ubicacion {
    Ubicacion::XPath(p.to_string())
}

impl Formato for Dian<'_> {
    type Documento = Leido<dian::DocumentoDian>;

    const LECTURA: Lectura = Lectura::PorTandas(TANDA);

    fn parsear(&self, archivos: &[Nuevo]) -> Parseo<Self::Documento> {
        en_paralelo(archivos, |a| dian::parse(&a.bytes, &a.nombre))
    }

    /// Checks a batch's documents; inserts its invoices while the run has no error.
    fn escribir(
        &mut self,
        c: &mut AnyConnection,
        tanda: Tanda<'_, Self::Documento>,
        errores: &mut Vec<ErrorImportacion>,
    ) -> Result<Resumen, Falla> {
        let registro = match self.registro.take() {
            Some(r) => r,
            None => Registro::cargar(c, self.actor)?,
        };
        let r = self.tanda(c, &registro, tanda, errores);
        self.registro = Some(registro);
        r
    }

    /// Notas crédito, once every invoice of the run exists.
    fn terminar(&mut self, c: &mut AnyConnection, errores: &mut Vec<ErrorImportacion>) -> Result<Resumen, Falla> {
        let (cx, actor) = (self.cx, self.actor);
        let mut resumen = Resumen::default();
        let numeros = Numeros::de(db::facturas::numeros(c, &actor.prestador_id)?);
        for (archivo, d) in std::mem::take(&mut self.notas) {
            let ubicacion = xp("/CreditNote/cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID");
            let Some(factura_id) = d
                .factura_referenciada
                .as_deref()
                .and_then(|n| numeros.buscar(n))
                .cloned()
            else {
                errores.push(error(
                    &archivo,
                    ubicacion,
                    Some("ID"),
                    format!(
                        "la nota {} se refiere a la factura {}, que no está en Trazo",
                        d.numero,
                        d.factura_referenciada.clone().unwrap_or_default()
                    ),
                ));
                continue;
            };
            if db::notas::existe_numero(c, &actor.prestador_id, &d.numero.trim().to_uppercase())? {
                resumen.duplicados += 1;
                continue;
            }
            let nota = crate::app::notas::NuevaNota {
                numero: d.numero.clone(),
                cude: Some(d.cufe.to_lowercase()),
                valor: d.valor_a_pagar,
                fecha: d.fecha_emision,
                motivo: "Nota crédito importada (DIAN)".into(),
                anulacion: false,
            };
            match crate::app::notas::nota_credito_en(c, cx.terminos, cx.hoy, actor, &factura_id, &nota) {
                Ok(()) => resumen.creados += 1,
                Err(e) => errores.extend(en(&archivo, ubicacion, e)),
            }
        }
        Ok(resumen)
    }
}

impl Dian<'_> {
    fn tanda(
        &mut self,
        c: &mut AnyConnection,
        registro: &Registro,
        tanda: Tanda<'_, Leido<dian::DocumentoDian>>,
        errores: &mut Vec<ErrorImportacion>,
    ) -> Result<Resumen, Falla> {
        let (cx, actor) = (self.cx, self.actor);
        let mut resumen = Resumen::default();
        let Tanda { archivos, documentos } = tanda;
        let numeros: Vec<String> = documentos
            .iter()
            .map(|d| d.contenido.numero.trim().to_uppercase())
            .collect();
        let existentes: HashMap<String, Option<String>> = db::facturas::por_numeros(c, &actor.prestador_id, &numeros)?
            .into_iter()
            .map(|f| (f.numero, f.cufe))
            .collect();
        let mut lote = Vec::new();
        for Leido { archivo, contenido: d } in documentos {
            let archivo = archivos[archivo].archivo.nombre.clone();
            let numero = d.numero.trim().to_uppercase();
            match Nit::parse(&d.nit_emisor) {
                Ok(n) if n.as_str() == registro.prestador_nit => {}
                _ => {
                    errores.push(error(
                        &archivo,
                        xp("/Invoice/cac:AccountingSupplierParty//cbc:CompanyID"),
                        Some("CompanyID"),
                        format!(
                            "la factura es del NIT {}, no del prestador ({})",
                            d.nit_emisor, registro.prestador_nit
                        ),
                    ));
                    continue;
                }
            }
            match d.tipo {
                dian::TipoDocumento::NotaDebito => {
                    errores.push(error(
                        &archivo,
                        xp("/DebitNote"),
                        None,
                        "las notas débito aún no se registran en Trazo; retire este archivo",
                    ));
                    continue;
                }
                dian::TipoDocumento::NotaCredito => {
                    self.notas.push((archivo, d));
                    continue;
                }
                dian::TipoDocumento::Factura => {}
            }
            let cufe = d.cufe.to_lowercase();
            if let Some(otro) = existentes.get(&numero) {
                if otro.as_deref() == Some(cufe.as_str()) {
                    resumen.duplicados += 1;
                } else {
                    errores.push(error(
                        &archivo,
                        xp("/Invoice/cbc:UUID"),
                        Some("UUID"),
                        format!("ya existe la factura {numero} con otro CUFE"),
                    ));
                }
                continue;
            }
            if let Some(otro) = self.vistos.get(&numero) {
                if *otro == cufe {
                    resumen.duplicados += 1;
                } else {
                    errores.push(error(
                        &archivo,
                        xp("/Invoice/cbc:ID"),
                        Some("ID"),
                        format!("la factura {numero} viene dos veces con distinto CUFE"),
                    ));
                }
                continue;
            }
            self.vistos.insert(numero.clone(), cufe.clone());
            let Some(pagador_id) = Nit::parse(&d.nit_adquirente)
                .ok()
                .and_then(|n| registro.pagadores.get(n.as_str()).cloned())
            else {
                errores.push(error(
                    &archivo,
                    xp("/Invoice/cac:AccountingCustomerParty//cbc:CompanyID"),
                    Some("CompanyID"),
                    format!(
                        "el pagador NIT {} no está registrado; créelo en Pagadores e importe de nuevo",
                        d.nit_adquirente
                    ),
                ));
                continue;
            };
            let s = &d.salud;
            let cero = rust_decimal::Decimal::ZERO;
            let copagos =
                s.copago.unwrap_or(cero) + s.cuota_recuperacion.unwrap_or(cero) + s.pagos_compartidos.unwrap_or(cero);
            let cuotas = s.cuota_moderadora.unwrap_or(cero);
            let valor_total = d.valor_bruto + d.impuestos;
            // What the payer owes by the invoice must be what Trazo will say it owes.
            if valor_total - copagos - cuotas != d.valor_a_pagar {
                errores.push(error(
                    &archivo,
                    xp("/Invoice/cac:LegalMonetaryTotal/cbc:PayableAmount"),
                    Some("PayableAmount"),
                    format!(
                        "el valor a pagar ({}) no es el valor de la factura ({valor_total}) menos copagos y cuotas ({})",
                        d.valor_a_pagar,
                        copagos + cuotas
                    ),
                ));
                continue;
            }
            let items = if d.impuestos.is_zero() {
                d.lineas
                    .iter()
                    .map(|l| ItemEntrada {
                        codigo: l.codigo.clone(),
                        descripcion: l.descripcion.clone(),
                        cantidad: l.cantidad,
                        valor_unitario: l.valor_unitario,
                        valor_total: l.valor_total,
                    })
                    .collect()
            } else {
                Vec::new()
            };
            let entrada = FacturaEntrada {
                numero: numero.clone(),
                fecha_expedicion: d.fecha_emision,
                valor_total,
                copagos,
                cuotas_moderadoras: cuotas,
                cufe: Some(cufe),
                items,
            };
            match dominio::validar(entrada, cx.hoy) {
                Ok(factura) => {
                    let contrato_id = s.numero_contrato.as_ref().and_then(|n| {
                        registro
                            .contratos
                            .get(&(pagador_id.clone(), n.trim().to_string()))
                            .cloned()
                    });
                    lote.push(FacturaLista {
                        factura,
                        pagador_id,
                        contrato_id,
                    });
                }
                Err(v) => errores.extend(
                    v.into_iter()
                        .map(|x| error(&archivo, xp("/Invoice"), Some(&x.path), x.message)),
                ),
            }
        }
        if errores.is_empty() {
            resumen.creados += crate::app::facturas::insertar(c, actor, cx.terminos, lote)?.len();
        }
        Ok(resumen)
    }
}
