//! DIAN XML: invoices, notas crédito and notas débito in UBL 2.1, bare or inside an
//! AttachedDocument, and RADIAN events (`ApplicationResponse` 030–034, see [`super::radian`]).
//!
//! Runs of thousands of files are streamed ([`Lectura::PorTandas`]): each batch's invoices
//! are checked and inserted as it comes, and the run keeps only what later batches are
//! checked against (what each invoice number said) and the notes and events, which wait for
//! every invoice of the run to exist.
//!
//! The amounts, as DIAN's Anexo técnico 1.9 (Res. 000165 de 2023) defines them and the parser
//! checks them (`trazo_importers::dian`):
//! - the invoice's `valor_total` is what it is worth before anything paid in advance:
//!   `TaxInclusiveAmount − AllowanceTotalAmount + ChargeTotalAmount + PayableRoundingAmount`,
//!   i.e. `PayableAmount + PrepaidAmount`. Taxes (IVA on a taxed supply) are part of it: the
//!   payer owes them to the prestador.
//! - `PrepaidAmount` is everything paid before the invoice. In a health invoice it carries the
//!   patient's copagos, cuotas moderadoras, cuotas de recuperación and pagos compartidos (the
//!   sector's extension names each one, Res. 2275 de 2023); those lower what the payer was
//!   billed, as for any invoice. What is left of it is an anticipo the payer itself paid: it is
//!   recorded as a movement `anticipo` of the invoice with its event, so the saldo after the
//!   import is exactly `PayableAmount`.
//! - A document in another currency is carried in pesos at the rate it declares
//!   (`cac:PaymentExchangeRate/cbc:CalculationRate`), each amount rounded to the centavo.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::json;
use trazo_importers::dian::{self, Documento, DocumentoDian, EventoDian, TipoDocumento};
use trazo_importers::Ubicacion;

use super::motor::{en_paralelo, Falla, Formato, Lectura, Leido, Nuevo, Parseo, Tanda};
use super::{error, radian, Actor, AppError, Contexto, ErrorImportacion, Resumen};
use crate::app::ciclo;
use crate::app::facturas::FacturaLista;
use crate::db::{self, AnyConnection};
use crate::domain::factura::{self as dominio, FacturaEntrada, ItemValido};
use crate::domain::money::{from_centavos, pesos_colombianos, to_centavos_no_negativo};
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
    /// numero → what the file of this run said of the invoice.
    vistos: HashMap<String, Firma>,
    /// CUFEs of the invoices of this run.
    cufes_vistos: HashSet<String>,
    /// Notas crédito and débito, with their file's name.
    notas: Vec<(String, DocumentoDian)>,
    /// RADIAN events, with their file's name.
    eventos: Vec<(String, EventoDian)>,
}

/// What invoices are checked against: the prestador's NIT, its payers and contracts.
struct Registro {
    prestador_nit: String,
    /// NIT → payer id.
    pagadores: HashMap<String, String>,
    /// payer id → NIT, to name the payer of an invoice already in Trazo.
    nits: HashMap<String, String>,
    /// (payer id, contract number) → contract id.
    contratos: HashMap<(String, String), String>,
}

impl Registro {
    fn cargar(c: &mut AnyConnection, actor: &Actor) -> Result<Registro, Falla> {
        let prestador =
            db::prestadores::por_id(c, &actor.prestador_id)?.ok_or_else(|| AppError::not_found("el prestador"))?;
        let pagadores: HashMap<String, String> =
            db::pagadores::listar(c, &actor.prestador_id, &Default::default(), 0, i64::MAX)?
                .0
                .into_iter()
                .map(|p| (p.nit, p.id))
                .collect();
        let nits = pagadores.iter().map(|(n, id)| (id.clone(), n.clone())).collect();
        let contratos = db::contratos::listar(c, &actor.prestador_id, None, 0, i64::MAX)?
            .0
            .into_iter()
            .map(|x| ((x.pagador_id, x.numero), x.id))
            .collect();
        Ok(Registro {
            prestador_nit: prestador.nit,
            pagadores,
            nits,
            contratos,
        })
    }
}

/// What an invoice says that makes it the same invoice: compared with the one already in
/// Trazo (or earlier in the run) with its number, field by field.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Firma {
    cufe: Option<String>,
    fecha: NaiveDate,
    valor_total: i64,
    copagos: i64,
    cuotas: i64,
    /// The payer's NIT.
    pagador: String,
}

impl Firma {
    /// "valor total $ 1.000.000,00 (el archivo dice $ 1.200.000,00)" for each field that differs.
    fn diferencias(&self, archivo: &Firma) -> Vec<String> {
        let mut v = Vec::new();
        let mut dif = |campo: &str, ya: String, dice: String| {
            if ya != dice {
                v.push(format!("{campo} {ya} (el archivo dice {dice})"));
            }
        };
        dif(
            "valor total",
            pesos_colombianos(self.valor_total),
            pesos_colombianos(archivo.valor_total),
        );
        dif(
            "CUFE",
            self.cufe.clone().unwrap_or_else(|| "(ninguno)".into()),
            archivo.cufe.clone().unwrap_or_else(|| "(ninguno)".into()),
        );
        dif("fecha de expedición", self.fecha.to_string(), archivo.fecha.to_string());
        dif("pagador NIT", self.pagador.clone(), archivo.pagador.clone());
        dif(
            "copagos",
            pesos_colombianos(self.copagos),
            pesos_colombianos(archivo.copagos),
        );
        dif(
            "cuotas moderadoras",
            pesos_colombianos(self.cuotas),
            pesos_colombianos(archivo.cuotas),
        );
        v
    }
}

impl<'a> Dian<'a> {
    pub fn nuevo(cx: &'a Contexto<'a>, actor: &'a Actor) -> Self {
        Dian {
            cx,
            actor,
            registro: None,
            vistos: HashMap::new(),
            cufes_vistos: HashSet::new(),
            notas: Vec::new(),
            eventos: Vec::new(),
        }
    }
}

fn xp(p: impl Into<String>) -> Ubicacion {
    Ubicacion::XPath(p.into())
}

/// An amount of the document in pesos: as written when it is in COP (more than two decimals is
/// an error, never rounded away), or at the document's own rate, rounded to the centavo.
fn centavos(d: &DocumentoDian, valor: Decimal) -> Result<i64, String> {
    let pesos = match d.tasa_cambio {
        None => valor,
        Some(tasa) => valor
            .checked_mul(tasa)
            .ok_or_else(|| format!("el valor {valor} {} en pesos es demasiado grande", d.moneda))?
            .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero),
    };
    to_centavos_no_negativo(pesos).map_err(|e| e.to_string())
}

/// A unit price in pesos, to the centavo: DIAN allows more decimals in a price, and the line's
/// total (checked to the centavo) is what counts.
fn precio(d: &DocumentoDian, valor: Decimal) -> Result<i64, String> {
    let redondeado = valor.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    centavos(d, redondeado)
}

/// How messages name the document: "la factura FE1", "la nota crédito NC3", "la nota débito ND1".
fn documento(d: &DocumentoDian) -> String {
    format!("{} {}", d.nombre(), d.numero.trim())
}

/// What became of an invoice of a batch.
enum Factura {
    Nueva(FacturaLista, i64),
    Duplicada,
    Rechazada,
}

impl Formato for Dian<'_> {
    type Documento = Leido<Documento>;

    const LECTURA: Lectura = Lectura::PorTandas(TANDA);

    fn parsear(&self, archivos: &[Nuevo]) -> Parseo<Self::Documento> {
        en_paralelo(archivos, |a| dian::parse_documento(&a.bytes, &a.nombre))
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

    /// Notes and events, once every invoice of the run exists.
    fn terminar(&mut self, c: &mut AnyConnection, errores: &mut Vec<ErrorImportacion>) -> Result<Resumen, Falla> {
        let mut resumen = self.notas(c, errores)?;
        let eventos = std::mem::take(&mut self.eventos);
        resumen += radian::registrar(self.cx, self.actor, c, eventos, &self.cufes_vistos, errores)?;
        Ok(resumen)
    }
}

impl Dian<'_> {
    fn tanda(
        &mut self,
        c: &mut AnyConnection,
        registro: &Registro,
        tanda: Tanda<'_, Leido<Documento>>,
        errores: &mut Vec<ErrorImportacion>,
    ) -> Result<Resumen, Falla> {
        let (cx, actor) = (self.cx, self.actor);
        let mut resumen = Resumen::default();
        let Tanda { archivos, documentos } = tanda;
        let numeros: Vec<String> = documentos
            .iter()
            .filter_map(|d| match &d.contenido {
                Documento::Comercial(x) if x.tipo == TipoDocumento::Factura => Some(x.numero.trim().to_uppercase()),
                _ => None,
            })
            .collect();
        let existentes: HashMap<String, Firma> = db::facturas::por_numeros(c, &actor.prestador_id, &numeros)?
            .into_iter()
            .map(|f| {
                let firma = Firma {
                    cufe: f.cufe,
                    fecha: f.fecha_expedicion,
                    valor_total: f.valor_total,
                    copagos: f.copagos,
                    cuotas: f.cuotas_moderadoras,
                    pagador: registro.nits.get(&f.pagador_id).cloned().unwrap_or(f.pagador_id),
                };
                (f.numero, firma)
            })
            .collect();
        let mut lote = Vec::new();
        let mut anticipos = Vec::new();
        for Leido { archivo, contenido } in documentos {
            let archivo = archivos[archivo].archivo.nombre.clone();
            let d = match contenido {
                Documento::Evento(e) => {
                    self.eventos.push((archivo, e));
                    continue;
                }
                Documento::Comercial(d) => d,
            };
            match Nit::parse(&d.nit_emisor) {
                Ok(n) if n.as_str() == registro.prestador_nit => {}
                _ => {
                    errores.push(error(
                        &archivo,
                        xp(format!("/{}/cac:AccountingSupplierParty//cbc:CompanyID", d.tipo.raiz())),
                        Some("CompanyID"),
                        format!(
                            "{} es del NIT {}, no del prestador ({})",
                            documento(&d),
                            d.nit_emisor,
                            registro.prestador_nit
                        ),
                    ));
                    continue;
                }
            }
            if d.tipo != TipoDocumento::Factura {
                self.notas.push((archivo, d));
                continue;
            }
            match self.factura(registro, &archivo, d, &existentes, errores) {
                Factura::Nueva(f, anticipo) => {
                    if anticipo > 0 {
                        anticipos.push((f.factura.numero.clone(), anticipo));
                    }
                    lote.push(f);
                }
                Factura::Duplicada => resumen.duplicados += 1,
                Factura::Rechazada => {}
            }
        }
        if errores.is_empty() {
            let creadas = crate::app::facturas::insertar(c, actor, cx.terminos, lote)?;
            resumen.creados += creadas.len();
            let ids: HashMap<&str, &str> = creadas.iter().map(|f| (f.numero.as_str(), f.id.as_str())).collect();
            for (numero, valor) in anticipos {
                if let Some(id) = ids.get(numero.as_str()) {
                    self.anticipo(c, id, &numero, valor)?;
                }
            }
        }
        Ok(resumen)
    }

    /// Checks one invoice: new, the same as one already in Trazo or in the run, or refused.
    fn factura(
        &mut self,
        registro: &Registro,
        archivo: &str,
        d: DocumentoDian,
        existentes: &HashMap<String, Firma>,
        errores: &mut Vec<ErrorImportacion>,
    ) -> Factura {
        let numero = d.numero.trim().to_uppercase();
        let cufe = d.cufe.to_lowercase();
        let s = &d.salud;
        let cero = Decimal::ZERO;
        // The patient's payments the sector's extension names (Res. 2275 de 2023): they are part
        // of PrepaidAmount; what PrepaidAmount has beyond them the payer paid in advance.
        let del_usuario =
            s.copago.unwrap_or(cero) + s.cuota_recuperacion.unwrap_or(cero) + s.pagos_compartidos.unwrap_or(cero);
        let cuotas = s.cuota_moderadora.unwrap_or(cero);
        let anticipo = d.anticipos - del_usuario - cuotas;
        let totales = format!("/Invoice/cac:{}", d.tipo.totales());
        if anticipo < cero {
            errores.push(error(
                archivo,
                xp(format!("{totales}/cbc:PrepaidAmount")),
                Some("PrepaidAmount"),
                format!(
                    "cbc:PrepaidAmount ({}) es menor que los copagos, cuotas moderadoras y demás pagos del usuario que \
                     trae la extensión del sector salud ({}): lo que pagó el usuario se descuenta del valor a pagar \
                     dentro de cbc:PrepaidAmount",
                    d.anticipos,
                    del_usuario + cuotas
                ),
            ));
            return Factura::Rechazada;
        }
        let montos = (
            centavos(&d, d.valor_total()),
            centavos(&d, del_usuario),
            centavos(&d, cuotas),
            centavos(&d, anticipo),
        );
        let (valor_total, copagos, cuotas, anticipo) = match montos {
            (Ok(v), Ok(c), Ok(q), Ok(a)) => (v, c, q, a),
            (v, c, q, a) => {
                for m in [v, c, q, a].into_iter().filter_map(Result::err) {
                    errores.push(error(
                        archivo,
                        xp(format!("{totales}/cbc:PayableAmount")),
                        Some("PayableAmount"),
                        m,
                    ));
                }
                return Factura::Rechazada;
            }
        };
        let nit_pagador = Nit::parse(&d.nit_adquirente)
            .map(|n| n.as_str().to_string())
            .unwrap_or_else(|_| d.nit_adquirente.clone());
        let firma = Firma {
            cufe: Some(cufe.clone()),
            fecha: d.fecha_emision,
            valor_total,
            copagos,
            cuotas,
            pagador: nit_pagador.clone(),
        };
        // The same number is the same invoice: identical, it changes nothing; different, the
        // file is wrong or the number was reused, and the user must see what differs.
        let anterior = existentes
            .get(&numero)
            .map(|f| (f, "ya existe"))
            .or_else(|| self.vistos.get(&numero).map(|f| (f, "viene antes en esta carga")));
        if let Some((ya, donde)) = anterior {
            let diferencias = ya.diferencias(&firma);
            if diferencias.is_empty() {
                return Factura::Duplicada;
            }
            errores.push(error(
                archivo,
                xp("/Invoice/cbc:ID"),
                Some("ID"),
                format!("la factura {numero} {donde} con {}", diferencias.join(", y con ")),
            ));
            return Factura::Rechazada;
        }
        self.vistos.insert(numero.clone(), firma);
        self.cufes_vistos.insert(cufe.clone());
        let Some(pagador_id) = registro.pagadores.get(&nit_pagador).cloned() else {
            errores.push(error(
                archivo,
                xp("/Invoice/cac:AccountingCustomerParty//cbc:CompanyID"),
                Some("CompanyID"),
                format!(
                    "el pagador NIT {} no está registrado; créelo en Pagadores e importe de nuevo",
                    d.nit_adquirente
                ),
            ));
            return Factura::Rechazada;
        };
        // Every line is kept with its own value (net of its discounts) and taxes.
        let mut items = Vec::with_capacity(d.lineas.len());
        let mut ok = true;
        for (k, l) in d.lineas.iter().enumerate() {
            let ruta = |campo: &str| xp(format!("/Invoice/cac:InvoiceLine[{}]/{campo}", k + 1));
            let (unitario, total, impuestos) = (
                precio(&d, l.valor_unitario),
                centavos(&d, l.valor_total),
                centavos(&d, l.impuestos),
            );
            for (r, campo) in [
                (&unitario, "cac:Price/cbc:PriceAmount"),
                (&total, "cbc:LineExtensionAmount"),
                (&impuestos, "cac:TaxTotal/cbc:TaxAmount"),
            ] {
                if let Err(m) = r {
                    errores.push(error(archivo, ruta(campo), Some(campo), m.clone()));
                    ok = false;
                }
            }
            if let (Ok(valor_unitario), Ok(valor_total), Ok(impuestos)) = (unitario, total, impuestos) {
                items.push(ItemValido {
                    codigo: l.codigo.trim().to_string(),
                    descripcion: l.descripcion.trim().to_string(),
                    cantidad: l.cantidad.normalize(),
                    valor_unitario,
                    valor_total,
                    impuestos,
                });
            }
        }
        if !ok {
            return Factura::Rechazada;
        }
        let entrada = FacturaEntrada {
            numero: numero.clone(),
            fecha_expedicion: d.fecha_emision,
            valor_total: from_centavos(valor_total),
            copagos: from_centavos(copagos),
            cuotas_moderadoras: from_centavos(cuotas),
            cufe: Some(cufe),
            // The lines are checked by the parser against the document's totals (with their
            // discounts and taxes, which the form's check of quantity × price does not know).
            items: Vec::new(),
        };
        // What was converted, as the file wrote it, so the pesos can be traced back.
        let origen = d.tasa_cambio.map(|tasa| {
            json!({
                "moneda": d.moneda,
                "tasa_cambio": tasa.to_string(),
                "valor_total": d.valor_total().to_string(),
                "anticipos": d.anticipos.to_string(),
                "valor_a_pagar": d.valor_a_pagar.to_string(),
                "fuente": "cac:PaymentExchangeRate/cbc:CalculationRate",
            })
        });
        match dominio::validar(entrada, self.cx.hoy) {
            Ok(mut factura) => {
                factura.items = items;
                let contrato_id = s.numero_contrato.as_ref().and_then(|n| {
                    registro
                        .contratos
                        .get(&(pagador_id.clone(), n.trim().to_string()))
                        .cloned()
                });
                Factura::Nueva(
                    FacturaLista {
                        factura,
                        pagador_id,
                        contrato_id,
                        origen,
                    },
                    anticipo,
                )
            }
            Err(v) => {
                errores.extend(v.into_iter().map(|x| {
                    let ruta = match x.path.as_str() {
                        "fecha_expedicion" => "/Invoice/cbc:IssueDate".to_string(),
                        "numero" => "/Invoice/cbc:ID".to_string(),
                        _ => format!("{totales}/cbc:PayableAmount"),
                    };
                    error(archivo, xp(ruta), Some(&x.path), x.message)
                }));
                Factura::Rechazada
            }
        }
    }

    /// The advance the payer paid before the invoice: a movement and its event, so the saldo
    /// is what the invoice says is payable.
    fn anticipo(&self, c: &mut AnyConnection, factura_id: &str, numero: &str, valor: i64) -> Result<(), Falla> {
        let (cx, actor) = (self.cx, self.actor);
        let e = ciclo::cargar(c, cx.terminos, &actor.prestador_id, factura_id)?;
        let fecha = e.fila.fecha_expedicion;
        db::movimientos::insertar(
            c,
            &[db::movimientos::Movimiento::new(
                &actor.prestador_id,
                factura_id,
                db::movimientos::ANTICIPO,
                -valor,
                fecha,
            )
            .de(db::movimientos::origen::FACTURA, factura_id, numero)],
        )?;
        let e = ciclo::cargar(c, cx.terminos, &actor.prestador_id, factura_id)?;
        let saldos = ciclo::guardar(c, &e, &cx.terminos.reglas, None)?;
        ciclo::evento(
            c,
            actor,
            factura_id,
            "anticipo",
            fecha,
            json!({
                "numero": numero,
                "valor": from_centavos(valor),
                "fuente": "cbc:PrepaidAmount de la factura electrónica (Res. DIAN 000165 de 2023, anexo técnico 1.9)",
            }),
            saldos,
        )?;
        Ok(())
    }

    /// Notas crédito and débito, each applied to the invoice it references, in the order they
    /// were issued (a débito before a crédito of the same day).
    fn notas(&mut self, c: &mut AnyConnection, errores: &mut Vec<ErrorImportacion>) -> Result<Resumen, Falla> {
        let (cx, actor) = (self.cx, self.actor);
        let mut resumen = Resumen::default();
        let mut notas = std::mem::take(&mut self.notas);
        notas.sort_by_key(|(_, d)| (d.fecha_emision, d.tipo != TipoDocumento::NotaDebito));
        for (archivo, d) in notas {
            let raiz = d.tipo.raiz();
            let ref_ruta = format!("/{raiz}/cac:BillingReference/cac:InvoiceDocumentReference");
            let nombre = documento(&d);
            if d.factura_referenciada.is_none() && d.cufe_referenciado.is_none() {
                errores.push(error(
                    &archivo,
                    xp(format!("/{raiz}/cac:BillingReference")),
                    Some("BillingReference"),
                    format!(
                        "{nombre} no se refiere a ninguna factura (no trae cac:BillingReference/\
                         cac:InvoiceDocumentReference): Trazo aplica cada nota a la factura que corrige y esta no \
                         dice cuál es"
                    ),
                ));
                continue;
            }
            let por_numero = match &d.factura_referenciada {
                Some(n) => db::facturas::por_numeros(c, &actor.prestador_id, &[n.trim().to_uppercase()])?.pop(),
                None => None,
            };
            let factura = match (por_numero, &d.cufe_referenciado) {
                (Some(f), _) => Some(f),
                (None, Some(cufe)) => {
                    db::facturas::por_cufes(c, &actor.prestador_id, std::slice::from_ref(cufe))?.pop()
                }
                (None, None) => None,
            };
            let referencia = d
                .factura_referenciada
                .clone()
                .or_else(|| d.cufe_referenciado.as_ref().map(|c| format!("con CUFE {c}")))
                .unwrap_or_default();
            let Some(factura) = factura else {
                let de_esta_carga = d
                    .factura_referenciada
                    .as_ref()
                    .is_some_and(|n| self.vistos.contains_key(&n.trim().to_uppercase()))
                    || d.cufe_referenciado
                        .as_ref()
                        .is_some_and(|c| self.cufes_vistos.contains(c));
                // Its invoice came in this run but was not written because of other errors: those
                // errors are the ones to fix.
                if !de_esta_carga || errores.is_empty() {
                    errores.push(error(
                        &archivo,
                        xp(format!("{ref_ruta}/cbc:ID")),
                        Some("ID"),
                        format!("{nombre} se refiere a la factura {referencia}, que no está en Trazo; impórtela primero o en la misma carga"),
                    ));
                }
                continue;
            };
            if let (Some(dice), Some(tiene)) = (&d.cufe_referenciado, &factura.cufe) {
                if dice != tiene {
                    errores.push(error(
                        &archivo,
                        xp(format!("{ref_ruta}/cbc:UUID")),
                        Some("UUID"),
                        format!(
                            "{nombre} se refiere a la factura {} con CUFE {dice}, pero en Trazo esa factura tiene el CUFE {tiene}",
                            factura.numero
                        ),
                    ));
                    continue;
                }
            }
            let numero = d.numero.trim().to_uppercase();
            let cude = d.cufe.to_lowercase();
            let valor = match centavos(&d, d.valor_a_pagar) {
                Ok(v) => v,
                Err(m) => {
                    errores.push(error(
                        &archivo,
                        xp(format!("/{raiz}/cac:{}/cbc:PayableAmount", d.tipo.totales())),
                        Some("PayableAmount"),
                        m,
                    ));
                    continue;
                }
            };
            if let Some(ya) = db::notas::por_numero(c, &actor.prestador_id, &numero)? {
                let tipo = if d.tipo == TipoDocumento::NotaDebito {
                    db::notas::DEBITO
                } else {
                    db::notas::CREDITO
                };
                let mut dif = Vec::new();
                if ya.tipo != tipo {
                    dif.push(format!(
                        "otro tipo (nota {})",
                        if ya.tipo == db::notas::DEBITO {
                            "débito"
                        } else {
                            "crédito"
                        }
                    ));
                }
                if ya.cude.as_deref() != Some(cude.as_str()) {
                    dif.push(format!(
                        "CUDE {} (el archivo dice {cude})",
                        ya.cude.clone().unwrap_or_else(|| "(ninguno)".into())
                    ));
                }
                if ya.factura_id != factura.id {
                    dif.push(format!("otra factura (el archivo dice {})", factura.numero));
                }
                if ya.valor != valor {
                    dif.push(format!(
                        "valor {} (el archivo dice {})",
                        pesos_colombianos(ya.valor),
                        pesos_colombianos(valor)
                    ));
                }
                if dif.is_empty() {
                    resumen.duplicados += 1;
                } else {
                    errores.push(error(
                        &archivo,
                        xp(format!("/{raiz}/cbc:ID")),
                        Some("ID"),
                        format!("{nombre} ya existe con {}", dif.join(", y con ")),
                    ));
                }
                continue;
            }
            let predeterminado = match d.tipo {
                TipoDocumento::NotaDebito => "Nota débito importada (DIAN)",
                _ => "Nota crédito importada (DIAN)",
            };
            let nota = crate::app::notas::NuevaNota {
                numero: numero.clone(),
                cude: Some(cude),
                valor: from_centavos(valor),
                fecha: d.fecha_emision,
                motivo: d.motivo.clone().unwrap_or_else(|| predeterminado.into()),
                anulacion: false,
            };
            let r = match d.tipo {
                TipoDocumento::NotaDebito => {
                    crate::app::notas::nota_debito_en(c, cx.terminos, cx.hoy, actor, &factura.id, &nota)
                }
                _ => crate::app::notas::nota_credito_en(c, cx.terminos, cx.hoy, actor, &factura.id, &nota),
            };
            match r {
                Ok(()) => resumen.creados += 1,
                Err(AppError::Invalid(v)) => errores.extend(v.into_iter().map(|x| {
                    let ruta = match x.path.as_str() {
                        "fecha" => format!("/{raiz}/cbc:IssueDate"),
                        "numero" => format!("/{raiz}/cbc:ID"),
                        _ => format!("/{raiz}/cac:{}/cbc:PayableAmount", d.tipo.totales()),
                    };
                    error(&archivo, xp(ruta), Some(&x.path), format!("{nombre}: {}", x.message))
                })),
                Err(e @ (AppError::Conflict(_) | AppError::NotFound(_))) => errores.push(error(
                    &archivo,
                    xp(format!("{ref_ruta}/cbc:ID")),
                    Some("ID"),
                    format!("{nombre} no se puede aplicar a la factura {}: {e}", factura.numero),
                )),
                Err(e) => return Err(e.into()),
            }
        }
        Ok(resumen)
    }
}
