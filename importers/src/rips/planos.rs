//! Flat-file RIPS, Resolución 3374 de 2000 (anexo técnico: "estructura de los archivos").
//!
//! A delivery is a set of comma-separated text files, no header, one record per line, named by
//! a two-letter prefix and a six-digit remission number (AF000123.txt, US000123.txt…). Field
//! layouts, by position (1-based, as the annex numbers them; only the fields Trazo keeps or
//! checks are named in the code):
//!
//! - AF transacciones (17): código prestador, razón social, tipo id prestador, número id
//!   prestador, número factura, fecha expedición, fecha inicio, fecha final, código entidad
//!   administradora, nombre entidad, número contrato, plan de beneficios, número póliza, valor
//!   copago, valor comisión, valor descuentos, valor neto a pagar.
//! - US usuarios (14): tipo id, número id, código entidad, tipo usuario, primer apellido,
//!   segundo apellido, primer nombre, segundo nombre, edad, unidad de medida de la edad, sexo,
//!   departamento, municipio, zona.
//! - AD descripción agrupada (6): número factura, código prestador, código concepto, cantidad,
//!   valor unitario, valor total.
//! - AC consultas (17): número factura, código prestador, tipo id, número id, fecha consulta,
//!   número autorización, código consulta, finalidad, causa externa, diagnóstico principal,
//!   relacionados 1–3, tipo diagnóstico principal, valor consulta, valor cuota moderadora, valor
//!   neto.
//! - AP procedimientos (15): número factura, código prestador, tipo id, número id, fecha
//!   procedimiento, número autorización, código procedimiento, ámbito, finalidad, personal que
//!   atiende, diagnóstico principal, diagnóstico relacionado, complicación, forma del acto
//!   quirúrgico, valor procedimiento.
//! - AU urgencias con observación (17): número factura, código prestador, tipo id, número id,
//!   fecha ingreso, hora ingreso, número autorización, causa externa, diagnóstico de salida,
//!   relacionados 1–3, destino, estado a la salida, causa básica de muerte, fecha salida, hora
//!   salida.
//! - AH hospitalización (19): número factura, código prestador, tipo id, número id, vía de
//!   ingreso, fecha ingreso, hora ingreso, número autorización, causa externa, diagnóstico de
//!   ingreso, diagnóstico de egreso, relacionados 1–3, complicación, estado a la salida, causa
//!   básica de muerte, fecha egreso, hora egreso.
//! - AN recién nacidos (14): número factura, código prestador, tipo id de la madre, número id de
//!   la madre, fecha nacimiento, hora nacimiento, edad gestacional, control prenatal, sexo,
//!   peso, diagnóstico, causa básica de muerte, fecha muerte, hora muerte.
//! - AM medicamentos (14): número factura, código prestador, tipo id, número id, número
//!   autorización, código medicamento, tipo medicamento, nombre genérico, forma farmacéutica,
//!   concentración, unidad de medida, número de unidades, valor unitario, valor total.
//! - AT otros servicios (11): número factura, código prestador, tipo id, número id, número
//!   autorización, tipo de servicio, código servicio, nombre servicio, cantidad, valor unitario,
//!   valor total.
//! - CT control (4): código prestador, fecha de remisión, código del archivo (AC000123), total
//!   de registros.
//!
//! The counts and order above are our reading of the annex, checked against independent public
//! implementations of it; the annex's own text could not be consulted. Dates are DD/MM/AAAA and
//! hours HH:MM. Also our best reading, not confirmed against the annex's text: values use a point as the decimal separator and no thousands separator; a recién
//! nacido is identified by the mother's document, which is in US like any user; AU and AH have
//! no value column (their cost is billed in AP, AM and AT), so their services are worth zero
//! here as in the JSON; AD repeats in aggregate what AC…AT detail, so it is checked but not
//! turned into services (that would count them twice).

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use rust_decimal::Decimal;

use super::{decodificar, parse_valor, RipsPlano, ServicioRips, TipoServicio, UsuarioRips};
use crate::error::{ImportError, Ubicacion};

/// The file kinds of Res. 3374/2000, from the first two letters of the file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tipo {
    Af,
    Us,
    Ad,
    Ac,
    Ap,
    Au,
    Ah,
    An,
    Am,
    At,
    Ct,
}

const AF: &[&str] = &[
    "código prestador",
    "razón social",
    "tipo identificación prestador",
    "número identificación prestador",
    "número factura",
    "fecha expedición",
    "fecha inicio",
    "fecha final",
    "código entidad administradora",
    "nombre entidad administradora",
    "número contrato",
    "plan de beneficios",
    "número póliza",
    "valor copago",
    "valor comisión",
    "valor descuentos",
    "valor neto a pagar",
];
const US: &[&str] = &[
    "tipo identificación usuario",
    "número identificación usuario",
    "código entidad administradora",
    "tipo usuario",
    "primer apellido",
    "segundo apellido",
    "primer nombre",
    "segundo nombre",
    "edad",
    "unidad de medida de la edad",
    "sexo",
    "código departamento",
    "código municipio",
    "zona de residencia",
];
const AD: &[&str] = &[
    "número factura",
    "código prestador",
    "código concepto",
    "cantidad",
    "valor unitario",
    "valor total",
];
const AC: &[&str] = &[
    "número factura",
    "código prestador",
    "tipo identificación usuario",
    "número identificación usuario",
    "fecha consulta",
    "número autorización",
    "código consulta",
    "finalidad consulta",
    "causa externa",
    "diagnóstico principal",
    "diagnóstico relacionado 1",
    "diagnóstico relacionado 2",
    "diagnóstico relacionado 3",
    "tipo diagnóstico principal",
    "valor consulta",
    "valor cuota moderadora",
    "valor neto a pagar",
];
const AP: &[&str] = &[
    "número factura",
    "código prestador",
    "tipo identificación usuario",
    "número identificación usuario",
    "fecha procedimiento",
    "número autorización",
    "código procedimiento",
    "ámbito de realización",
    "finalidad procedimiento",
    "personal que atiende",
    "diagnóstico principal",
    "diagnóstico relacionado",
    "complicación",
    "forma de realización del acto quirúrgico",
    "valor procedimiento",
];
const AU: &[&str] = &[
    "número factura",
    "código prestador",
    "tipo identificación usuario",
    "número identificación usuario",
    "fecha ingreso",
    "hora ingreso",
    "número autorización",
    "causa externa",
    "diagnóstico de salida",
    "diagnóstico relacionado 1",
    "diagnóstico relacionado 2",
    "diagnóstico relacionado 3",
    "destino a la salida",
    "estado a la salida",
    "causa básica de muerte",
    "fecha salida",
    "hora salida",
];
const AH: &[&str] = &[
    "número factura",
    "código prestador",
    "tipo identificación usuario",
    "número identificación usuario",
    "vía de ingreso",
    "fecha ingreso",
    "hora ingreso",
    "número autorización",
    "causa externa",
    "diagnóstico principal de ingreso",
    "diagnóstico principal de egreso",
    "diagnóstico relacionado 1",
    "diagnóstico relacionado 2",
    "diagnóstico relacionado 3",
    "diagnóstico de la complicación",
    "estado a la salida",
    "causa básica de muerte",
    "fecha egreso",
    "hora egreso",
];
const AN: &[&str] = &[
    "número factura",
    "código prestador",
    "tipo identificación de la madre",
    "número identificación de la madre",
    "fecha nacimiento",
    "hora nacimiento",
    "edad gestacional",
    "control prenatal",
    "sexo",
    "peso",
    "diagnóstico del recién nacido",
    "causa básica de muerte",
    "fecha muerte",
    "hora muerte",
];
const AM: &[&str] = &[
    "número factura",
    "código prestador",
    "tipo identificación usuario",
    "número identificación usuario",
    "número autorización",
    "código medicamento",
    "tipo medicamento",
    "nombre genérico",
    "forma farmacéutica",
    "concentración",
    "unidad de medida",
    "número de unidades",
    "valor unitario",
    "valor total",
];
const AT: &[&str] = &[
    "número factura",
    "código prestador",
    "tipo identificación usuario",
    "número identificación usuario",
    "número autorización",
    "tipo de servicio",
    "código servicio",
    "nombre servicio",
    "cantidad",
    "valor unitario",
    "valor total",
];
const CT: &[&str] = &[
    "código prestador",
    "fecha remisión",
    "código archivo",
    "total de registros",
];

impl Tipo {
    fn de_nombre(nombre: &str) -> Option<Tipo> {
        let prefijo: String = base(nombre).chars().take(2).collect::<String>().to_ascii_uppercase();
        Some(match prefijo.as_str() {
            "AF" => Tipo::Af,
            "US" => Tipo::Us,
            "AD" => Tipo::Ad,
            "AC" => Tipo::Ac,
            "AP" => Tipo::Ap,
            "AU" => Tipo::Au,
            "AH" => Tipo::Ah,
            "AN" => Tipo::An,
            "AM" => Tipo::Am,
            "AT" => Tipo::At,
            "CT" => Tipo::Ct,
            _ => return None,
        })
    }

    /// The names of the fields, in order; their number is the number of fields of a line.
    fn campos(self) -> &'static [&'static str] {
        match self {
            Tipo::Af => AF,
            Tipo::Us => US,
            Tipo::Ad => AD,
            Tipo::Ac => AC,
            Tipo::Ap => AP,
            Tipo::Au => AU,
            Tipo::Ah => AH,
            Tipo::An => AN,
            Tipo::Am => AM,
            Tipo::At => AT,
            Tipo::Ct => CT,
        }
    }
}

/// Where each service file keeps what a [`ServicioRips`] needs (0-based field positions).
struct Servicio {
    tipo: TipoServicio,
    codigo: Option<usize>,
    fecha: Option<usize>,
    hora: Option<usize>,
    diagnostico: Option<usize>,
    autorizacion: Option<usize>,
    valor: Option<usize>,
}

fn servicio_de(tipo: Tipo) -> Option<Servicio> {
    let s = |tipo, codigo, fecha, hora, diagnostico, autorizacion, valor| {
        Some(Servicio {
            tipo,
            codigo,
            fecha,
            hora,
            diagnostico,
            autorizacion,
            valor,
        })
    };
    match tipo {
        Tipo::Ac => s(
            TipoServicio::Consulta,
            Some(6),
            Some(4),
            None,
            Some(9),
            Some(5),
            Some(14),
        ),
        Tipo::Ap => s(
            TipoServicio::Procedimiento,
            Some(6),
            Some(4),
            None,
            Some(10),
            Some(5),
            Some(14),
        ),
        Tipo::Au => s(TipoServicio::Urgencia, None, Some(4), Some(5), Some(8), Some(6), None),
        // The diagnosis kept is the one at admission, as `codDiagnosticoPrincipal` in the JSON.
        Tipo::Ah => s(
            TipoServicio::Hospitalizacion,
            None,
            Some(5),
            Some(6),
            Some(9),
            Some(7),
            None,
        ),
        Tipo::An => s(TipoServicio::RecienNacido, None, Some(4), Some(5), Some(10), None, None),
        Tipo::Am => s(TipoServicio::Medicamento, Some(5), None, None, None, Some(4), Some(13)),
        Tipo::At => s(TipoServicio::OtroServicio, Some(6), None, None, None, Some(4), Some(10)),
        Tipo::Af | Tipo::Us | Tipo::Ad | Tipo::Ct => None,
    }
}

/// Order in which service files are read: as the annex lists them.
const ORDEN_SERVICIOS: [Tipo; 7] = [Tipo::Ac, Tipo::Ap, Tipo::Au, Tipo::Ah, Tipo::An, Tipo::Am, Tipo::At];

/// Name used for problems of the delivery as a whole (a missing file).
const ENTREGA: &str = "entrega RIPS";

/// The file's name without the folders a zip may put before it.
fn base(nombre: &str) -> &str {
    nombre.rsplit(['/', '\\']).next().unwrap_or(nombre)
}

/// The file's name without folders and extension, upper-cased: "AC000123", as CT names it.
fn codigo_archivo(nombre: &str) -> String {
    let b = base(nombre);
    b.split('.').next().unwrap_or(b).trim().to_ascii_uppercase()
}

fn registros(n: usize) -> String {
    if n == 1 {
        "1 registro".to_string()
    } else {
        format!("{n} registros")
    }
}

/// A line with the right number of fields, trimmed.
struct Linea {
    n: usize,
    campos: Vec<String>,
}

/// A file read into lines.
struct Plano<'a> {
    nombre: &'a str,
    tipo: Tipo,
    lineas: Vec<Linea>,
    /// Records in the file (non-empty lines, well formed or not), as CT counts them.
    registros: usize,
}

/// Reads one RIPS delivery. The file kind comes from the name prefix (AF000123.txt → AF),
/// case-insensitive; CT, when present, is checked against every file's record count.
pub fn parse_planos(archivos: &[(String, Vec<u8>)]) -> Result<Vec<RipsPlano>, Vec<ImportError>> {
    let mut c = Lector { errores: Vec::new() };
    if archivos.is_empty() {
        c.errores.push(ImportError::new(
            ENTREGA,
            Ubicacion::Archivo,
            None,
            "la entrega no trae archivos",
        ));
        return Err(c.errores);
    }
    let mut planos = Vec::new();
    for (nombre, bytes) in archivos {
        match Tipo::de_nombre(nombre) {
            Some(tipo) => planos.push(c.leer(nombre, tipo, bytes)),
            None => c.errores.push(ImportError::new(
                nombre,
                Ubicacion::Archivo,
                None,
                "tipo de archivo desconocido; el nombre debe empezar por AF, US, AD, AC, AP, AU, AH, AN, AM, AT o CT",
            )),
        }
    }
    c.control(&planos);

    // AF: the invoices.
    let mut facturas: Vec<RipsPlano> = Vec::new();
    let mut por_numero: HashMap<String, (usize, usize)> = HashMap::new();
    // Where each invoice is (AF file, line), for the errors about the invoice as a whole.
    let mut origen: Vec<(&str, usize)> = Vec::new();
    let afs: Vec<&Plano> = planos.iter().filter(|p| p.tipo == Tipo::Af).collect();
    if afs.is_empty() {
        c.errores.push(ImportError::new(
            ENTREGA,
            Ubicacion::Archivo,
            None,
            "falta el archivo de transacciones (AF)",
        ));
    }
    for p in &afs {
        if p.registros == 0 {
            c.errores.push(ImportError::new(
                p.nombre,
                Ubicacion::Archivo,
                None,
                "el archivo no trae facturas",
            ));
        }
        for l in &p.lineas {
            let Some(numero) = c.texto(p, l, 4, true) else { continue };
            if let Some((_, antes)) = por_numero.get(&numero) {
                let mensaje = format!("la factura '{numero}' está repetida (ya aparece en la línea {antes})");
                c.error(p, l, 4, mensaje);
                continue;
            }
            por_numero.insert(numero.clone(), (facturas.len(), l.n));
            let factura = c.factura(p, l, numero);
            facturas.push(factura);
            origen.push((p.nombre, l.n));
        }
    }

    // US: the users, by document type and number.
    let uss: Vec<&Plano> = planos.iter().filter(|p| p.tipo == Tipo::Us).collect();
    for p in uss.iter().filter(|p| p.registros == 0) {
        c.errores.push(ImportError::new(
            p.nombre,
            Ubicacion::Archivo,
            None,
            "el archivo de usuarios está vacío: se espera una línea por usuario atendido",
        ));
    }
    let mut usuarios: HashMap<(String, String), usize> = HashMap::new();
    for p in &uss {
        for l in &p.lineas {
            let (Some(tipo), Some(numero)) = (c.texto(p, l, 0, true), c.texto(p, l, 1, true)) else {
                continue;
            };
            let clave = (tipo, numero);
            if let Some(antes) = usuarios.get(&clave) {
                let mensaje = format!(
                    "el usuario {} {} está repetido (ya aparece en la línea {antes})",
                    clave.0, clave.1
                );
                c.error(p, l, 1, mensaje);
            } else {
                usuarios.insert(clave, l.n);
            }
        }
    }
    let hay_servicios = planos.iter().any(|p| servicio_de(p.tipo).is_some() && p.registros > 0);
    if uss.is_empty() && hay_servicios {
        c.errores.push(ImportError::new(
            ENTREGA,
            Ubicacion::Archivo,
            None,
            "falta el archivo de usuarios (US)",
        ));
    }

    // AD: checked against AF, not turned into services.
    for p in planos.iter().filter(|p| p.tipo == Tipo::Ad) {
        for l in &p.lineas {
            c.factura_existente(p, l, &por_numero);
            for i in 3..6 {
                c.valor(p, l, i, true);
            }
        }
    }

    // AC…AT: each service to its invoice and, within it, to its user.
    let mut indice_usuarios: Vec<HashMap<(String, String), usize>> = vec![HashMap::new(); facturas.len()];
    // Invoices some line of AC…AT names, well formed or not.
    let mut nombradas = vec![false; facturas.len()];
    for tipo in ORDEN_SERVICIOS {
        let Some(esquema) = servicio_de(tipo) else { continue };
        for p in planos.iter().filter(|p| p.tipo == tipo) {
            for l in &p.lineas {
                let factura = c.factura_existente(p, l, &por_numero);
                if let Some(f) = factura {
                    nombradas[f] = true;
                }
                let tipo_doc = c.texto(p, l, 2, true);
                let numero_doc = c.texto(p, l, 3, true);
                let servicio = c.servicio(p, l, &esquema);
                let (Some(tipo_doc), Some(numero_doc)) = (tipo_doc, numero_doc) else {
                    continue;
                };
                let clave = (tipo_doc, numero_doc);
                if !uss.is_empty() && !usuarios.contains_key(&clave) {
                    let mensaje = format!(
                        "el usuario {} {} no está en el archivo de usuarios (US)",
                        clave.0, clave.1
                    );
                    c.error(p, l, 3, mensaje);
                    continue;
                }
                let (Some(f), Some(servicio)) = (factura, servicio) else {
                    continue;
                };
                let lista = &mut facturas[f].usuarios;
                let i = *indice_usuarios[f].entry(clave.clone()).or_insert_with(|| {
                    lista.push(UsuarioRips {
                        tipo_documento: clave.0.clone(),
                        numero_documento: clave.1.clone(),
                        consecutivo: None,
                        servicios: Vec::new(),
                    });
                    lista.len() - 1
                });
                lista[i].servicios.push(servicio);
            }
        }
    }

    // An invoice without a single service has no RIPS: the delivery came incomplete.
    for (f, (archivo, linea)) in origen.iter().enumerate() {
        if !nombradas[f] {
            let mensaje = format!(
                "la factura '{}' no trae servicios: se espera al menos una línea suya en AC, AP, AU, AH, AN, AM o AT",
                facturas[f].numero_factura
            );
            c.errores.push(ImportError::new(
                archivo,
                Ubicacion::Linea(*linea),
                Some(AF[4]),
                mensaje,
            ));
        }
    }

    if c.errores.is_empty() {
        Ok(facturas)
    } else {
        Err(c.errores)
    }
}

struct Lector {
    errores: Vec<ImportError>,
}

impl Lector {
    fn error(&mut self, p: &Plano, l: &Linea, i: usize, mensaje: impl Into<String>) {
        let campo = p.tipo.campos().get(i).copied();
        self.errores
            .push(ImportError::new(p.nombre, Ubicacion::Linea(l.n), campo, mensaje));
    }

    /// Decodes (UTF-8, else Windows-1252; BOM dropped) and splits with the csv crate: no header,
    /// no quoting (a `"` in a name is just a character), empty lines skipped.
    fn leer<'a>(&mut self, nombre: &'a str, tipo: Tipo, bytes: &[u8]) -> Plano<'a> {
        let texto = decodificar(bytes);
        let esperados = tipo.campos().len();
        let mut lector = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .quoting(false)
            .from_reader(texto.as_bytes());
        let mut plano = Plano {
            nombre,
            tipo,
            lineas: Vec::new(),
            registros: 0,
        };
        for registro in lector.records() {
            let registro = match registro {
                Ok(r) => r,
                Err(e) => {
                    let n = e.position().map_or(0, |p| p.line() as usize);
                    let ubicacion = if n > 0 { Ubicacion::Linea(n) } else { Ubicacion::Archivo };
                    self.errores.push(ImportError::new(
                        nombre,
                        ubicacion,
                        None,
                        format!("no se pudo leer: {e}"),
                    ));
                    break;
                }
            };
            if registro.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            plano.registros += 1;
            let n = registro.position().map_or(0, |p| p.line() as usize);
            if registro.len() != esperados {
                let mensaje = format!(
                    "se esperan {esperados} campos separados por coma; llegaron {}",
                    registro.len()
                );
                self.errores
                    .push(ImportError::new(nombre, Ubicacion::Linea(n), None, mensaje));
                continue;
            }
            plano.lineas.push(Linea {
                n,
                campos: registro.iter().map(|c| c.trim().to_string()).collect(),
            });
        }
        plano
    }

    /// CT, Res. 3374/2000 archivo de control: one line per file of the delivery with its record
    /// count. Every file named must have come with that many records, and every file that came
    /// must be named.
    fn control(&mut self, planos: &[Plano]) {
        let cts: Vec<&Plano> = planos.iter().filter(|p| p.tipo == Tipo::Ct).collect();
        if cts.is_empty() {
            return;
        }
        let mut nombrados = Vec::new();
        for p in &cts {
            for l in &p.lineas {
                self.texto(p, l, 0, true);
                self.fecha(p, l, 1, true);
                let Some(codigo) = self.texto(p, l, 2, true) else {
                    continue;
                };
                let codigo = codigo_archivo(&codigo);
                nombrados.push(codigo.clone());
                let Some(total) = self.texto(p, l, 3, true) else {
                    continue;
                };
                let Ok(total) = total.parse::<usize>() else {
                    self.error(
                        p,
                        l,
                        3,
                        format!("se espera un número entero de registros; llegó '{total}'"),
                    );
                    continue;
                };
                match planos
                    .iter()
                    .find(|q| q.tipo != Tipo::Ct && codigo_archivo(q.nombre) == codigo)
                {
                    None => self.error(p, l, 2, format!("el archivo {codigo} no llegó en la entrega")),
                    Some(q) if q.registros != total => {
                        let mensaje = format!(
                            "el archivo {codigo} trae {}; el control dice {total}",
                            registros(q.registros)
                        );
                        self.error(p, l, 3, mensaje);
                    }
                    Some(_) => {}
                }
            }
        }
        for q in planos.iter().filter(|q| q.tipo != Tipo::Ct) {
            if !nombrados.contains(&codigo_archivo(q.nombre)) {
                let mensaje = format!("el archivo no figura en el archivo de control ({})", cts[0].nombre);
                self.errores
                    .push(ImportError::new(q.nombre, Ubicacion::Archivo, None, mensaje));
            }
        }
    }

    fn factura(&mut self, p: &Plano, l: &Linea, numero_factura: String) -> RipsPlano {
        let codigo_prestador = self.texto(p, l, 0, true);
        let nit_prestador = self.texto(p, l, 3, true);
        let fecha_expedicion = self.fecha(p, l, 5, true);
        self.fecha(p, l, 6, true);
        self.fecha(p, l, 7, true);
        let codigo_entidad = self.texto(p, l, 8, true);
        let numero_contrato = self.texto(p, l, 10, false);
        // Copago, comisión and descuentos: an empty field is read as zero (best reading: the
        // annex asks for 0, but empty is common); the net value to pay is required.
        let copago = self.valor(p, l, 13, false);
        self.valor(p, l, 14, false);
        self.valor(p, l, 15, false);
        let valor_neto = self.valor(p, l, 16, true);
        RipsPlano {
            numero_factura,
            archivo: p.nombre.to_string(),
            linea: l.n,
            codigo_prestador: codigo_prestador.unwrap_or_default(),
            nit_prestador: nit_prestador.unwrap_or_default(),
            fecha_expedicion: fecha_expedicion.unwrap_or_default(),
            codigo_entidad: codigo_entidad.unwrap_or_default(),
            numero_contrato,
            copago: copago.unwrap_or_default(),
            valor_neto: valor_neto.unwrap_or_default(),
            usuarios: Vec::new(),
        }
    }

    /// The invoice a line of AD…AT belongs to (field 1), which must be in AF.
    fn factura_existente(
        &mut self,
        p: &Plano,
        l: &Linea,
        por_numero: &HashMap<String, (usize, usize)>,
    ) -> Option<usize> {
        let numero = self.texto(p, l, 0, true)?;
        match por_numero.get(&numero) {
            Some((i, _)) => Some(*i),
            None => {
                self.error(
                    p,
                    l,
                    0,
                    format!("la factura '{numero}' no está en el archivo de transacciones (AF)"),
                );
                None
            }
        }
    }

    fn servicio(&mut self, p: &Plano, l: &Linea, e: &Servicio) -> Option<ServicioRips> {
        let codigo = e.codigo.and_then(|i| self.texto(p, l, i, true));
        let fecha = e.fecha.and_then(|i| self.fecha(p, l, i, true));
        let hora = e.hora.and_then(|i| self.hora(p, l, i));
        let cod_diagnostico = e.diagnostico.and_then(|i| self.texto(p, l, i, false));
        let num_autorizacion = e.autorizacion.and_then(|i| self.texto(p, l, i, false));
        let valor = match e.valor {
            Some(i) => self.valor(p, l, i, true)?,
            None => Decimal::ZERO,
        };
        if (e.codigo.is_some() && codigo.is_none()) || (e.fecha.is_some() && fecha.is_none()) {
            return None;
        }
        let fecha = fecha.map(|f| NaiveDateTime::new(f, hora.unwrap_or(NaiveTime::MIN)));
        Some(ServicioRips {
            tipo: e.tipo,
            codigo,
            fecha,
            cod_diagnostico,
            num_autorizacion,
            valor,
        })
    }

    fn texto(&mut self, p: &Plano, l: &Linea, i: usize, obligatorio: bool) -> Option<String> {
        let s = l.campos.get(i).map(String::as_str).unwrap_or("");
        if s.is_empty() {
            if obligatorio {
                self.error(p, l, i, "falta el valor");
            }
            return None;
        }
        Some(s.to_string())
    }

    /// DD/MM/AAAA (Res. 3374/2000); AAAA-MM-DD is tolerated.
    fn fecha(&mut self, p: &Plano, l: &Linea, i: usize, obligatorio: bool) -> Option<NaiveDate> {
        let s = self.texto(p, l, i, obligatorio)?;
        let f = NaiveDate::parse_from_str(&s, "%d/%m/%Y").or_else(|_| NaiveDate::parse_from_str(&s, "%Y-%m-%d"));
        match f {
            Ok(f) => Some(f),
            Err(_) => {
                self.error(p, l, i, format!("se espera una fecha DD/MM/AAAA; llegó '{s}'"));
                None
            }
        }
    }

    /// HH:MM; an empty hour is midnight.
    fn hora(&mut self, p: &Plano, l: &Linea, i: usize) -> Option<NaiveTime> {
        let s = self.texto(p, l, i, false)?;
        match NaiveTime::parse_from_str(&s, "%H:%M") {
            Ok(h) => Some(h),
            Err(_) => {
                self.error(p, l, i, format!("se espera una hora HH:MM; llegó '{s}'"));
                None
            }
        }
    }

    /// An amount; when not required an empty field is zero.
    fn valor(&mut self, p: &Plano, l: &Linea, i: usize, obligatorio: bool) -> Option<Decimal> {
        let Some(s) = self.texto(p, l, i, obligatorio) else {
            return if obligatorio { None } else { Some(Decimal::ZERO) };
        };
        match parse_valor(&s) {
            Ok(v) => Some(v),
            Err(mensaje) => {
                self.error(p, l, i, mensaje);
                None
            }
        }
    }
}
