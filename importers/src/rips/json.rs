//! RIPS as JSON, Resolución 2275 de 2023 ("Lineamientos técnicos para el registro y envío de
//! los datos del RIPS"). One file is one invoice (or one note):
//!
//! ```text
//! { numDocumentoIdObligado, numFactura, tipoNota, numNota,
//!   usuarios: [ { tipoDocumentoIdentificacion, numDocumentoIdentificacion, tipoUsuario,
//!                 fechaNacimiento, codSexo, …, consecutivo,
//!                 servicios: { consultas: [...], procedimientos: [...], urgencias: [...],
//!                              hospitalizacion: [...], recienNacidos: [...],
//!                              medicamentos: [...], otrosServicios: [...] } } ] }
//! ```
//!
//! Variants found in real files are read too: the MUV wrappers `{"rips": {...}, "xmlFevFile":
//! "..."}` and `{"transaccion": {...}}` (the RIPS inside is read, the XML is not), and the
//! misspelt key `numDocumentoldObligado` (a lower-case L for the I). An empty `usuarios` is an
//! error: a RIPS details at least one user's services.
//!
//! The file is read with serde_json into a `Value` and then walked, so that every problem of
//! the file is reported at once with its JSON path (a typed derive would stop at the first).
//! Fields Trazo does not use (codSexo, codServicio, finalidadTecnologiaSalud…) are not checked:
//! that is the Ministry validator's job; here we check what we keep.
//!
//! Money (`vrServicio`) comes as a JSON number; it is read as `serde_json::Number`, turned into
//! its text and parsed into `Decimal` (see `parse_valor`), never through our own f64. Caveat:
//! without serde_json's `arbitrary_precision` feature a number with a fraction is held by
//! serde_json as f64 and its text is the shortest one that round-trips, which is the written
//! text for up to 15 significant digits (every peso amount under 10^13 with cents); with that
//! feature on, the written text arrives untouched and this code needs no change.

use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;
use serde_json::{Map, Value};

use super::{decodificar, parse_valor, RipsFactura, ServicioRips, TipoServicio, UsuarioRips};
use crate::error::{ImportError, Ubicacion};

/// What we read from each group of `servicios`, per the Res. 2275/2023 technical annex. The
/// field names, and which groups carry `vrServicio`, were checked against several independent
/// public implementations of the annex, not against the annex's own text.
struct Grupo {
    clave: &'static str,
    tipo: TipoServicio,
    /// The code of the service, when the group has one.
    codigo: Option<&'static str>,
    /// The date of the service: start of care, dispensing, supply, or birth.
    fecha: &'static str,
    /// Groups whose records carry `vrServicio`. Urgencias, hospitalización and recién nacidos do
    /// not: their cost is billed in procedimientos, medicamentos and otrosServicios.
    con_valor: bool,
    diagnostico: bool,
    autorizacion: bool,
}

const GRUPOS: [Grupo; 7] = [
    Grupo {
        clave: "consultas",
        tipo: TipoServicio::Consulta,
        codigo: Some("codConsulta"),
        fecha: "fechaInicioAtencion",
        con_valor: true,
        diagnostico: true,
        autorizacion: true,
    },
    Grupo {
        clave: "procedimientos",
        tipo: TipoServicio::Procedimiento,
        codigo: Some("codProcedimiento"),
        fecha: "fechaInicioAtencion",
        con_valor: true,
        diagnostico: true,
        autorizacion: true,
    },
    Grupo {
        clave: "urgencias",
        tipo: TipoServicio::Urgencia,
        codigo: None,
        fecha: "fechaInicioAtencion",
        con_valor: false,
        diagnostico: true,
        autorizacion: false,
    },
    Grupo {
        clave: "hospitalizacion",
        tipo: TipoServicio::Hospitalizacion,
        codigo: None,
        fecha: "fechaInicioAtencion",
        con_valor: false,
        diagnostico: true,
        autorizacion: true,
    },
    Grupo {
        clave: "recienNacidos",
        tipo: TipoServicio::RecienNacido,
        codigo: None,
        fecha: "fechaNacimiento",
        con_valor: false,
        diagnostico: true,
        autorizacion: false,
    },
    Grupo {
        clave: "medicamentos",
        tipo: TipoServicio::Medicamento,
        codigo: Some("codTecnologiaSalud"),
        fecha: "fechaDispensAdmon",
        con_valor: true,
        diagnostico: true,
        autorizacion: true,
    },
    Grupo {
        clave: "otrosServicios",
        tipo: TipoServicio::OtroServicio,
        codigo: Some("codTecnologiaSalud"),
        fecha: "fechaSuministroTecnologia",
        con_valor: true,
        diagnostico: false,
        autorizacion: true,
    },
];

const LISTA_GRUPOS: &str =
    "consultas, procedimientos, urgencias, hospitalizacion, recienNacidos, medicamentos u otrosServicios";

/// Reads one invoice's RIPS JSON. `archivo` is the file name used in the errors.
pub fn parse_json(bytes: &[u8], archivo: &str) -> Result<RipsFactura, Vec<ImportError>> {
    let texto = decodificar(bytes);
    let raiz: Value = match serde_json::from_str(&texto) {
        Ok(v) => v,
        Err(e) if e.is_eof() => {
            let mensaje = "el archivo JSON está incompleto: termina antes de cerrar sus llaves y corchetes";
            return Err(vec![ImportError::new(archivo, Ubicacion::Archivo, None, mensaje)]);
        }
        Err(e) => {
            let mensaje = format!(
                "el archivo no es un JSON válido (columna {}): {}",
                e.column(),
                causa_sintaxis(&e)
            );
            return Err(vec![ImportError::new(
                archivo,
                Ubicacion::Linea(e.line().max(1)),
                None,
                mensaje,
            )]);
        }
    };
    let mut c = Lector {
        archivo,
        errores: Vec::new(),
    };
    let Some(obj) = raiz.as_object() else {
        let mensaje = format!(
            "se espera un objeto JSON con numFactura y usuarios; llegó {}",
            describir(&raiz)
        );
        return Err(vec![ImportError::new(archivo, Ubicacion::Archivo, None, mensaje)]);
    };
    let (obj, base) = desenvolver(obj);
    // `numDocumentoldObligado` (a lower-case L for the I) is written by tools in use: read as
    // the field it means.
    let obligado = if !obj.contains_key("numDocumentoIdObligado") && obj.contains_key(OBLIGADO_MAL_ESCRITO) {
        OBLIGADO_MAL_ESCRITO
    } else {
        "numDocumentoIdObligado"
    };
    let num_documento_id_obligado = c.texto(obj, base, obligado, true);
    let num_factura = c.texto(obj, base, "numFactura", true);
    let tipo_nota = c.texto(obj, base, "tipoNota", false);
    let num_nota = c.texto(obj, base, "numNota", false);
    // A note's RIPS names the note by both fields; one without the other names nothing.
    match (&tipo_nota, &num_nota) {
        (Some(_), None) => c.error(
            ruta(base, "numNota"),
            "falta el número de la nota: el RIPS de una nota (tipoNota) debe traer numNota",
        ),
        (None, Some(_)) => c.error(
            ruta(base, "tipoNota"),
            "falta el tipo de la nota: el RIPS de una nota (numNota) debe traer tipoNota (NC, ND...)",
        ),
        _ => {}
    }
    let mut usuarios = Vec::new();
    let base_usuarios = ruta(base, "usuarios");
    match obj.get("usuarios") {
        None => c.error(base_usuarios, "falta el campo"),
        Some(Value::Array(lista)) if lista.is_empty() => c.error(
            base_usuarios,
            "la lista de usuarios está vacía: se espera al menos un usuario con sus servicios",
        ),
        Some(Value::Array(lista)) => {
            for (i, u) in lista.iter().enumerate() {
                if let Some(u) = c.usuario(u, &format!("{base_usuarios}[{i}]")) {
                    usuarios.push(u);
                }
            }
        }
        Some(otro) => c.error(
            base_usuarios,
            format!("se espera una lista de usuarios; llegó {}", describir(otro)),
        ),
    }
    if !c.errores.is_empty() {
        return Err(c.errores);
    }
    Ok(RipsFactura {
        num_documento_id_obligado: num_documento_id_obligado.unwrap_or_default(),
        num_factura: num_factura.unwrap_or_default(),
        tipo_nota,
        num_nota,
        usuarios,
    })
}

/// The misspelling of `numDocumentoIdObligado` found in real files.
const OBLIGADO_MAL_ESCRITO: &str = "numDocumentoldObligado";

/// The RIPS inside the wrappers the Ministry's validator (MUV) and tools around it use:
/// `{"rips": {...}, "xmlFevFile": "..."}` (the invoice's XML travels beside it and is not read
/// here) and `{"transaccion": {...}}`. A document with `numFactura` of its own is the RIPS
/// itself. Returns the RIPS object and its path, for the errors.
fn desenvolver(obj: &Map<String, Value>) -> (&Map<String, Value>, &'static str) {
    if obj.contains_key("numFactura") {
        return (obj, "");
    }
    for envoltura in ["rips", "transaccion"] {
        if let Some(Value::Object(dentro)) = obj.get(envoltura) {
            return (dentro, envoltura);
        }
    }
    (obj, "")
}

/// serde_json's syntax message, in Spanish for the common cases, without its own " at line L
/// column C" tail (we say where ourselves).
fn causa_sintaxis(e: &serde_json::Error) -> String {
    let m = e.to_string();
    let causa = match m.rfind(" at line ") {
        Some(i) => &m[..i],
        None => &m[..],
    };
    let traduccion = match causa {
        "expected `:`" => "falta ':' entre el nombre de un campo y su valor",
        "expected `,` or `}`" => "se espera ',' o '}' (¿falta una coma o sobra algo?)",
        "expected `,` or `]`" => "se espera ',' o ']' (¿falta una coma o sobra algo?)",
        "expected value" => "se espera un valor",
        "expected ident" => "se espera true, false o null",
        "trailing comma" => "sobra una coma antes del cierre",
        "key must be a string" => "el nombre de un campo debe ir entre comillas",
        "trailing characters" => "hay texto después del final del JSON",
        "invalid number" | "number out of range" => "hay un número inválido",
        "invalid escape" | "invalid unicode code point" => "hay una secuencia de escape inválida en un texto",
        "control character (\\u0000-\\u001F) found while parsing a string" => {
            "un texto tiene un carácter de control (¿un salto de línea dentro de las comillas?)"
        }
        "recursion limit exceeded" => "el JSON anida demasiados niveles",
        otra => return format!("error de sintaxis ({otra})"),
    };
    traduccion.to_string()
}

/// How a value that is not what we expected looks, for the message.
fn describir(v: &Value) -> String {
    match v {
        Value::Null => "null".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => format!("'{s}'"),
        Value::Array(_) => "una lista".to_string(),
        Value::Object(_) => "un objeto".to_string(),
    }
}

fn ruta(base: &str, campo: &str) -> String {
    if base.is_empty() {
        campo.to_string()
    } else {
        format!("{base}.{campo}")
    }
}

/// Walks the document, collecting errors. Errors carry the full JSON path, which ends with the
/// field's name, so `campo` stays empty (the path already names the field and the message reads
/// "rips.json, usuarios[0].servicios.consultas[2].vrServicio: falta el campo").
struct Lector<'a> {
    archivo: &'a str,
    errores: Vec<ImportError>,
}

impl Lector<'_> {
    fn error(&mut self, ruta: String, mensaje: impl Into<String>) {
        self.errores
            .push(ImportError::new(self.archivo, Ubicacion::Json(ruta), None, mensaje));
    }

    /// A text field. Identifiers written as JSON numbers are taken as their text.
    fn texto(&mut self, obj: &Map<String, Value>, base: &str, campo: &str, obligatorio: bool) -> Option<String> {
        match obj.get(campo) {
            None => {
                if obligatorio {
                    self.error(ruta(base, campo), "falta el campo");
                }
                None
            }
            Some(Value::Null) => {
                if obligatorio {
                    self.error(ruta(base, campo), "el campo está vacío (null)");
                }
                None
            }
            Some(Value::String(s)) if s.trim().is_empty() => {
                if obligatorio {
                    self.error(ruta(base, campo), "el campo está vacío");
                }
                None
            }
            Some(Value::String(s)) => Some(s.trim().to_string()),
            Some(Value::Number(n)) => Some(n.to_string()),
            Some(otro) => {
                self.error(
                    ruta(base, campo),
                    format!("se espera un texto; llegó {}", describir(otro)),
                );
                None
            }
        }
    }

    /// An amount: a JSON number or a numeric string.
    fn valor(&mut self, obj: &Map<String, Value>, base: &str, campo: &str, obligatorio: bool) -> Option<Decimal> {
        let texto = match obj.get(campo) {
            None => {
                if obligatorio {
                    self.error(ruta(base, campo), "falta el campo");
                }
                return None;
            }
            Some(Value::Null) => {
                if obligatorio {
                    self.error(
                        ruta(base, campo),
                        "el campo está vacío (null); se espera un valor numérico",
                    );
                }
                return None;
            }
            Some(Value::String(s)) if s.trim().is_empty() => {
                if obligatorio {
                    self.error(ruta(base, campo), "el campo está vacío; se espera un valor numérico");
                }
                return None;
            }
            Some(Value::Number(n)) => n.to_string(),
            Some(Value::String(s)) => s.clone(),
            Some(otro) => {
                self.error(
                    ruta(base, campo),
                    format!("se espera un valor numérico; llegó {}", describir(otro)),
                );
                return None;
            }
        };
        match parse_valor(&texto) {
            Ok(v) => Some(v),
            Err(mensaje) => {
                self.error(ruta(base, campo), mensaje);
                None
            }
        }
    }

    /// A date and time "AAAA-MM-DD HH:MM" (Res. 2275/2023); a bare date "AAAA-MM-DD" is taken at
    /// 00:00, and seconds or a "T" separator are tolerated.
    fn fecha(&mut self, obj: &Map<String, Value>, base: &str, campo: &str) -> Option<NaiveDateTime> {
        let s = self.texto(obj, base, campo, true)?;
        match fecha_hora(&s) {
            Some(f) => Some(f),
            None => {
                self.error(
                    ruta(base, campo),
                    format!("se espera una fecha y hora AAAA-MM-DD HH:MM; llegó '{s}'"),
                );
                None
            }
        }
    }

    /// `consecutivo`: a whole number from 1 up.
    fn consecutivo(&mut self, obj: &Map<String, Value>, base: &str) -> Option<u32> {
        let v = obj.get("consecutivo")?;
        let n = match v {
            Value::Null => return None,
            Value::Number(n) => n.as_u64().and_then(|n| u32::try_from(n).ok()),
            Value::String(s) => s.trim().parse::<u32>().ok(),
            _ => None,
        };
        match n {
            Some(n) if n > 0 => Some(n),
            _ => {
                self.error(
                    ruta(base, "consecutivo"),
                    format!("se espera un número entero desde 1; llegó {}", describir(v)),
                );
                None
            }
        }
    }

    fn usuario(&mut self, v: &Value, base: &str) -> Option<UsuarioRips> {
        let Some(obj) = v.as_object() else {
            self.error(
                base.to_string(),
                format!("se espera un objeto usuario; llegó {}", describir(v)),
            );
            return None;
        };
        let tipo_documento = self.texto(obj, base, "tipoDocumentoIdentificacion", true);
        let numero_documento = self.texto(obj, base, "numDocumentoIdentificacion", true);
        let consecutivo = self.consecutivo(obj, base);
        let mut servicios = Vec::new();
        let base_servicios = ruta(base, "servicios");
        match obj.get("servicios") {
            None => self.error(base_servicios, "falta el campo"),
            Some(Value::Object(grupos)) => {
                for clave in grupos.keys() {
                    if !GRUPOS.iter().any(|g| g.clave == clave) {
                        self.error(
                            ruta(&base_servicios, clave),
                            format!("grupo de servicios desconocido; se espera {LISTA_GRUPOS}"),
                        );
                    }
                }
                for grupo in &GRUPOS {
                    match grupos.get(grupo.clave) {
                        None | Some(Value::Null) => {}
                        Some(Value::Array(lista)) => {
                            for (i, s) in lista.iter().enumerate() {
                                let base_s = format!("{base_servicios}.{}[{i}]", grupo.clave);
                                if let Some(s) = self.servicio(grupo, s, &base_s) {
                                    servicios.push(s);
                                }
                            }
                        }
                        Some(otro) => self.error(
                            ruta(&base_servicios, grupo.clave),
                            format!("se espera una lista; llegó {}", describir(otro)),
                        ),
                    }
                }
            }
            Some(otro) => self.error(
                base_servicios,
                format!("se espera un objeto con los servicios; llegó {}", describir(otro)),
            ),
        }
        Some(UsuarioRips {
            tipo_documento: tipo_documento.unwrap_or_default(),
            numero_documento: numero_documento.unwrap_or_default(),
            consecutivo,
            servicios,
        })
    }

    fn servicio(&mut self, grupo: &Grupo, v: &Value, base: &str) -> Option<ServicioRips> {
        let Some(obj) = v.as_object() else {
            self.error(base.to_string(), format!("se espera un objeto; llegó {}", describir(v)));
            return None;
        };
        let codigo = grupo.codigo.and_then(|campo| self.texto(obj, base, campo, true));
        let fecha = self.fecha(obj, base, grupo.fecha);
        let cod_diagnostico = if grupo.diagnostico {
            self.texto(obj, base, "codDiagnosticoPrincipal", false)
        } else {
            None
        };
        let num_autorizacion = if grupo.autorizacion {
            self.texto(obj, base, "numAutorizacion", false)
        } else {
            None
        };
        // Where the annex has no vrServicio, one that comes anyway is read (and checked) but
        // not required.
        let valor = self
            .valor(obj, base, "vrServicio", grupo.con_valor)
            .unwrap_or(Decimal::ZERO);
        Some(ServicioRips {
            tipo: grupo.tipo,
            codigo,
            fecha,
            cod_diagnostico,
            num_autorizacion,
            valor,
        })
    }
}

fn fecha_hora(s: &str) -> Option<NaiveDateTime> {
    const FORMATOS: [&str; 4] = [
        "%Y-%m-%d %H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%dT%H:%M:%S",
    ];
    let s = s.trim();
    FORMATOS
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
        .or_else(|| {
            NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
        })
}
