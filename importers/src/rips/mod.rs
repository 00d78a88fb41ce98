//! RIPS — Registro Individual de Prestación de Servicios de Salud: the detail of the services
//! behind an invoice, in its two shapes:
//!
//! - [`parse_json`]: one invoice's RIPS as JSON, per Resolución 2275 de 2023 ("Lineamientos
//!   técnicos para el registro y envío de los datos del RIPS"): the transaction
//!   (`numDocumentoIdObligado`, `numFactura`, `tipoNota`, `numNota`), its `usuarios[]`, and each
//!   user's `servicios` grouped in `consultas`, `procedimientos`, `urgencias`, `hospitalizacion`,
//!   `recienNacidos`, `medicamentos` and `otrosServicios`.
//! - [`parse_planos`]: a delivery of comma-separated flat files per Resolución 3374 de 2000
//!   (AF transacciones, US usuarios, AD descripción agrupada, AC consultas, AP procedimientos,
//!   AU urgencias, AH hospitalización, AN recién nacidos, AM medicamentos, AT otros servicios,
//!   CT control), one or many invoices per delivery.
//!
//! Both give the same [`UsuarioRips`] / [`ServicioRips`] so the rest of Trazo reads a service
//! the same way whatever the format. Money is [`Decimal`] and never passes through our own f64
//! arithmetic; every problem is an [`ImportError`] naming file, place, field and what was
//! expected, and all the problems of an input are returned together.

use chrono::NaiveDateTime;
use rust_decimal::Decimal;

mod json;
mod planos;
#[cfg(test)]
mod tests;

pub use json::parse_json;
pub use planos::parse_planos;

/// The kind of service, one per group of Res. 2275/2023 (and one per flat file AC…AT of
/// Res. 3374/2000).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TipoServicio {
    /// `consultas` / AC.
    Consulta,
    /// `procedimientos` / AP.
    Procedimiento,
    /// `urgencias` / AU (urgencias con observación).
    Urgencia,
    /// `hospitalizacion` / AH.
    Hospitalizacion,
    /// `recienNacidos` / AN.
    RecienNacido,
    /// `medicamentos` / AM.
    Medicamento,
    /// `otrosServicios` / AT.
    OtroServicio,
}

impl TipoServicio {
    /// The name Trazo stores and its soportes checklist reads (`config/soportes-anexo1.toml`).
    pub fn clave(self) -> &'static str {
        match self {
            TipoServicio::Consulta => "consulta",
            TipoServicio::Procedimiento => "procedimiento",
            TipoServicio::Urgencia => "urgencia",
            TipoServicio::Hospitalizacion => "hospitalizacion",
            TipoServicio::RecienNacido => "recien_nacido",
            TipoServicio::Medicamento => "medicamento",
            TipoServicio::OtroServicio => "otro_servicio",
        }
    }
}

/// The kinds of service billed to these users, each once, in the order of [`TipoServicio`],
/// comma separated: what decides the soportes an invoice must carry (Res. 2284/2023 Anexo 1).
pub fn tipos_de(usuarios: &[UsuarioRips]) -> String {
    let mut tipos: Vec<TipoServicio> = usuarios
        .iter()
        .flat_map(|u| u.servicios.iter().map(|s| s.tipo))
        .collect();
    tipos.sort_by_key(|t| *t as u8);
    tipos.dedup();
    tipos.iter().map(|t| t.clave()).collect::<Vec<_>>().join(",")
}

/// One service as Trazo needs it.
///
/// `codigo` is the CUPS code (consultas, procedimientos), the CUM/IUM or own code
/// (medicamentos) or the technology code (otros servicios); urgencias, hospitalización and recién
/// nacidos have none. `valor` is the service's value (`vrServicio`, or the flat file's value
/// column); urgencias, hospitalización and recién nacidos carry no value of their own in either
/// resolution — what they cost is billed as procedures, drugs and other services — so theirs
/// is zero unless the file gives one.
#[derive(Debug, Clone, PartialEq)]
pub struct ServicioRips {
    pub tipo: TipoServicio,
    pub codigo: Option<String>,
    pub fecha: Option<NaiveDateTime>,
    pub cod_diagnostico: Option<String>,
    pub num_autorizacion: Option<String>,
    pub valor: Decimal,
}

/// A patient and the services billed for them.
#[derive(Debug, Clone, PartialEq)]
pub struct UsuarioRips {
    pub tipo_documento: String,
    pub numero_documento: String,
    /// `consecutivo` of the JSON user; flat files have none.
    pub consecutivo: Option<u32>,
    pub servicios: Vec<ServicioRips>,
}

/// One invoice's RIPS (JSON, Res. 2275/2023).
#[derive(Debug, Clone, PartialEq)]
pub struct RipsFactura {
    /// NIT (or document) of the one obliged to report: the prestador.
    pub num_documento_id_obligado: String,
    pub num_factura: String,
    /// For the RIPS of a note: its type (NC, ND, NA, RS…) and number.
    pub tipo_nota: Option<String>,
    pub num_nota: Option<String>,
    pub usuarios: Vec<UsuarioRips>,
}

impl RipsFactura {
    /// Sum of the value of every service of every user.
    pub fn valor_servicios(&self) -> Decimal {
        sumar(self.usuarios.iter().flat_map(|u| u.servicios.iter()).map(|s| s.valor))
    }

    /// Number of services of every kind, of every user.
    pub fn cantidad_servicios(&self) -> usize {
        self.usuarios.iter().map(|u| u.servicios.len()).sum()
    }

    /// What was read, written always the same way: two files that say the same (one with a
    /// BOM, CRLF line ends, other spacing or key order, fields Trazo does not read, `15000`
    /// for `15000.00`) give the same text, so sameness is judged by content, not bytes.
    pub fn contenido(&self) -> String {
        serde_json::json!({
            "numDocumentoIdObligado": self.num_documento_id_obligado,
            "numFactura": self.num_factura,
            "tipoNota": self.tipo_nota,
            "numNota": self.num_nota,
            "usuarios": contenido_usuarios(&self.usuarios),
        })
        .to_string()
    }
}

/// Users and services as [`RipsFactura::contenido`] and [`RipsPlano::contenido`] write them.
fn contenido_usuarios(usuarios: &[UsuarioRips]) -> serde_json::Value {
    let servicio = |s: &ServicioRips| {
        serde_json::json!([
            format!("{:?}", s.tipo),
            s.codigo,
            s.fecha.map(|f| f.format("%Y-%m-%d %H:%M:%S").to_string()),
            s.cod_diagnostico,
            s.num_autorizacion,
            s.valor.normalize().to_string(),
        ])
    };
    usuarios
        .iter()
        .map(|u| {
            serde_json::json!([
                u.tipo_documento,
                u.numero_documento,
                u.consecutivo,
                u.servicios.iter().map(servicio).collect::<Vec<_>>(),
            ])
        })
        .collect()
}

/// One invoice from flat RIPS (Res. 3374/2000): its AF line plus its users and services.
#[derive(Debug, Clone, PartialEq)]
pub struct RipsPlano {
    pub numero_factura: String,
    /// Where the invoice is: its AF file and line, for what is said of it later.
    pub archivo: String,
    pub linea: usize,
    /// Código de habilitación of the prestador (AF field 1).
    pub codigo_prestador: String,
    /// Número de identificación of the prestador (AF field 4, a NIT when field 3 is NI).
    pub nit_prestador: String,
    pub fecha_expedicion: chrono::NaiveDate,
    /// Código de la entidad administradora (AF field 9): the payer.
    pub codigo_entidad: String,
    pub numero_contrato: Option<String>,
    /// Valor total del pago compartido (copago) (AF field 14).
    pub copago: Decimal,
    /// Valor neto a pagar por la entidad contratante (AF field 17).
    pub valor_neto: Decimal,
    pub usuarios: Vec<UsuarioRips>,
}

impl RipsPlano {
    /// Sum of the value of every service of every user.
    pub fn valor_servicios(&self) -> Decimal {
        sumar(self.usuarios.iter().flat_map(|u| u.servicios.iter()).map(|s| s.valor))
    }

    /// What was read of this invoice, written always the same way (see
    /// [`RipsFactura::contenido`]): the same invoice in a delivery re-sent with other files
    /// corrected, or with other line ends, gives the same text.
    pub fn contenido(&self) -> String {
        serde_json::json!({
            "numFactura": self.numero_factura,
            "codigoPrestador": self.codigo_prestador,
            "nitPrestador": self.nit_prestador,
            "fechaExpedicion": self.fecha_expedicion.to_string(),
            "codigoEntidad": self.codigo_entidad,
            "numeroContrato": self.numero_contrato,
            "copago": self.copago.normalize().to_string(),
            "valorNeto": self.valor_neto.normalize().to_string(),
            "usuarios": contenido_usuarios(&self.usuarios),
        })
        .to_string()
    }
}

/// Adds without ever panicking: values are bounded when parsed (see [`MAX_DIGITOS_ENTEROS`]),
/// and the sum saturates rather than overflow in any case.
fn sumar(valores: impl Iterator<Item = Decimal>) -> Decimal {
    valores.fold(Decimal::ZERO, |a, b| a.saturating_add(b))
}

/// Largest number of integer digits a value may have. Res. 3374/2000 gives value fields a
/// width of 15 characters; no peso amount of a service comes near 10^15. The bound keeps sums
/// far from `Decimal`'s limits.
const MAX_DIGITOS_ENTEROS: usize = 15;

/// Text of a file: UTF-8 when it is valid UTF-8 (a leading BOM is dropped), otherwise
/// Windows-1252 — the superset of Latin-1 that Windows tools write RIPS in.
fn decodificar(bytes: &[u8]) -> String {
    let sin_bom = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(sin_bom) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::WINDOWS_1252
            .decode_without_bom_handling(sin_bom)
            .0
            .into_owned(),
    }
}

/// Parses a non-negative amount written as plain decimal text (`15000`, `15000.50`) or, as
/// JSON numbers may come, in exponent form (`1.5e4`). The result is exact: the text is turned
/// into `Decimal` digit by digit, never through a float. `Err` is the message for the clerk.
fn parse_valor(texto: &str) -> Result<Decimal, String> {
    let t = texto.trim();
    let invalido = || format!("se espera un valor numérico; llegó '{t}'");
    let (negativo, sin_signo) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let (mantisa, exponente) = match sin_signo.find(['e', 'E']) {
        Some(i) => (&sin_signo[..i], Some(&sin_signo[i + 1..])),
        None => (sin_signo, None),
    };
    let (entera, fraccion) = match mantisa.split_once('.') {
        Some((e, f)) => (e, f),
        None => (mantisa, ""),
    };
    let solo_digitos = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if entera.is_empty() && fraccion.is_empty() || !solo_digitos(entera) || !solo_digitos(fraccion) {
        return Err(invalido());
    }
    let exponente: i64 = match exponente {
        None => 0,
        Some(e) => {
            let digitos = e.strip_prefix(['+', '-']).unwrap_or(e);
            if digitos.is_empty() || digitos.len() > 4 || !solo_digitos(digitos) {
                return Err(invalido());
            }
            e.parse().map_err(|_| invalido())?
        }
    };
    // All the digits, and where the decimal point falls among them once the exponent is applied.
    let digitos: String = format!("{entera}{fraccion}");
    let punto = entera.len() as i64 + exponente;
    let digitos = digitos.trim_start_matches('0');
    let punto = punto - (entera.len() + fraccion.len() - digitos.len()) as i64;
    let digitos = digitos.trim_end_matches('0');
    if digitos.is_empty() {
        return Ok(Decimal::ZERO);
    }
    if negativo {
        return Err(format!("se espera un valor positivo o cero; llegó '{t}'"));
    }
    if punto > MAX_DIGITOS_ENTEROS as i64 {
        return Err(format!(
            "el valor tiene más de {MAX_DIGITOS_ENTEROS} dígitos enteros; llegó '{t}'"
        ));
    }
    let normal = if punto <= 0 {
        format!("0.{}{digitos}", "0".repeat(punto.unsigned_abs() as usize))
    } else if punto as usize >= digitos.len() {
        format!("{digitos}{}", "0".repeat(punto as usize - digitos.len()))
    } else {
        let (e, f) = digitos.split_at(punto as usize);
        format!("{e}.{f}")
    };
    Decimal::from_str_exact(&normal).map_err(|_| format!("el valor tiene demasiados decimales; llegó '{t}'"))
}
