//! Official code tables of devoluciones, glosas and respuestas.
//!
//! Two manuals coexist, because invoices issued under the old rules are still being answered
//! under them:
//! - Resolución 3047 de 2008, Anexo Técnico No. 6, "Manual Único de Glosas, Devoluciones y
//!   Respuestas" as modified by Resolución 416 de 2009: three digits, the first one is the
//!   general concept (1 facturación … 6 pertinencia, 8 devoluciones, 9 respuestas) and the next
//!   two the specific concept. Every code is imputed as it is.
//! - Resolución 2284 de 2023 (Ministerio de Salud y Protección Social), Anexo Técnico No. 3,
//!   "Manual Único de Devoluciones, Glosas y Respuestas", which replaced it: two letters for the
//!   general concept (FA, TA, SO, AU, CO, CL, SA, DE, RE), two digits for the specific concept
//!   (a heading such as `FA01`, nivel `especifico`) and two more for the concepto de aplicación
//!   (`FA0101`, nivel `aplicacion`), which is the code actually imputed (Anexo 3, numeral 1.1).
//!
//! Art. 4 of Res. 2284/2023 makes the list closed: "Las causas de devoluciones y glosas … son
//! taxativas, por lo que no se podrán crear, eliminar o modificar". So a code is accepted only if
//! it is in the table, for the use it is put to (`validar_glosa`, `validar_devolucion`,
//! `validar_respuesta`, `validar_aviso`) and in a manual that applies to the invoice
//! (`manuales_para`).
//!
//! The tables live in `config/catalogos/codigos.csv` and `equivalencias.csv` (FUENTES.md beside
//! them says where every family comes from and how it was checked) and are embedded at build
//! time, so the service can never run with a table other than the one reviewed in the
//! repository. The module is pure: it only parses text.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

use chrono::NaiveDate;

/// The shipped tables; `Catalogo::oficial` parses them once.
const CODIGOS_CSV: &str = include_str!("../../../config/catalogos/codigos.csv");
const EQUIVALENCIAS_CSV: &str = include_str!("../../../config/catalogos/equivalencias.csv");

const CODIGOS_ENCABEZADO: [&str; 9] = [
    "codigo",
    "manual",
    "tipo",
    "nivel",
    "concepto",
    "descripcion",
    "efecto_respuesta",
    "responde_a",
    "emisor",
];
const EQUIVALENCIAS_ENCABEZADO: [&str; 2] = ["codigo_res3047", "codigo_res2284"];

/// The day Res. 2284/2023's manual applies from: services "prestados y facturados" from
/// 1 October 2024. Res. 2284/2023 art. 12 set 1 April 2024; Resolución 627 de 2024 moved the
/// start to 1 October 2024 (as the shared DOMAIN.md cites it). Invoices issued before keep
/// Res. 3047/2008 as modified (art. 12: "para el reconocimiento y pago de los servicios … prestados
/// y facturados con anterioridad a esa fecha, se aplicará lo dispuesto en la Resolución 3047 de
/// 2008"). Trazo reads "facturados" as the invoice's fecha de expedición.
pub const VIGENCIA_RES2284: NaiveDate = match NaiveDate::from_ymd_opt(2024, 10, 1) {
    Some(fecha) => fecha,
    None => panic!("VIGENCIA_RES2284 no es una fecha"),
};

/// The Res. 2284 heading whose codes answer an extemporaneous devolución (RE9501) or glosa
/// (RE9502): "Glosa o devolución extemporánea".
const TITULO_EXTEMPORANEA: &str = "RE95";

/// The resolution whose manual defines a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Manual {
    /// Resolución 3047 de 2008, Anexo Técnico No. 6 (modified by Resolución 416 de 2009).
    Res3047,
    /// Resolución 2284 de 2023, Anexo Técnico No. 3.
    Res2284,
}

impl Manual {
    pub const ALL: [Manual; 2] = [Manual::Res3047, Manual::Res2284];

    pub fn as_str(self) -> &'static str {
        match self {
            Manual::Res3047 => "res3047",
            Manual::Res2284 => "res2284",
        }
    }

    /// The resolution's name, for messages.
    pub fn nombre(self) -> &'static str {
        match self {
            Manual::Res3047 => "Resolución 3047 de 2008",
            Manual::Res2284 => "Resolución 2284 de 2023",
        }
    }

    /// The manual an equivalence points to.
    pub fn otro(self) -> Manual {
        match self {
            Manual::Res3047 => Manual::Res2284,
            Manual::Res2284 => Manual::Res3047,
        }
    }
}

impl fmt::Display for Manual {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Manual {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "res3047" => Ok(Manual::Res3047),
            "res2284" => Ok(Manual::Res2284),
            _ => Err(format!("se espera res3047 o res2284; llegó '{s}'")),
        }
    }
}

/// What a code is used for: the payer objects to part of the value (glosa), returns the whole
/// invoice (devolución), or a response to either of them (respuesta; in Res. 2284 this family
/// also holds the payer's notices RE2201/RE2202, see `Emisor`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TipoCodigo {
    Glosa,
    Devolucion,
    Respuesta,
}

impl TipoCodigo {
    pub const ALL: [TipoCodigo; 3] = [TipoCodigo::Glosa, TipoCodigo::Devolucion, TipoCodigo::Respuesta];

    pub fn as_str(self) -> &'static str {
        match self {
            TipoCodigo::Glosa => "glosa",
            TipoCodigo::Devolucion => "devolucion",
            TipoCodigo::Respuesta => "respuesta",
        }
    }

    /// The word for messages.
    fn nombre(self) -> &'static str {
        match self {
            TipoCodigo::Glosa => "glosa",
            TipoCodigo::Devolucion => "devolución",
            TipoCodigo::Respuesta => "respuesta",
        }
    }
}

impl fmt::Display for TipoCodigo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for TipoCodigo {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "glosa" => Ok(TipoCodigo::Glosa),
            "devolucion" => Ok(TipoCodigo::Devolucion),
            "respuesta" => Ok(TipoCodigo::Respuesta),
            _ => Err(format!("se espera glosa, devolucion o respuesta; llegó '{s}'")),
        }
    }
}

/// The level of a code in its manual. Res. 2284/2023 (Anexo 3, numeral 1.1) has headings of
/// four characters (concepto específico, `FA01`) that group the six-character codes actually
/// imputed (concepto de aplicación, `FA0101`). Every Res. 3047 code is imputed as it is, so all
/// of them are `aplicacion`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Nivel {
    Especifico,
    Aplicacion,
}

impl Nivel {
    pub const ALL: [Nivel; 2] = [Nivel::Especifico, Nivel::Aplicacion];

    pub fn as_str(self) -> &'static str {
        match self {
            Nivel::Especifico => "especifico",
            Nivel::Aplicacion => "aplicacion",
        }
    }
}

impl fmt::Display for Nivel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Nivel {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "especifico" => Ok(Nivel::Especifico),
            "aplicacion" => Ok(Nivel::Aplicacion),
            _ => Err(format!("se espera especifico o aplicacion; llegó '{s}'")),
        }
    }
}

/// Which object a response code answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RespondeA {
    Glosa,
    Devolucion,
}

impl RespondeA {
    pub const ALL: [RespondeA; 2] = [RespondeA::Glosa, RespondeA::Devolucion];

    /// "glosa", "devolución".
    fn nombre(self) -> &'static str {
        match self {
            RespondeA::Glosa => "glosa",
            RespondeA::Devolucion => "devolución",
        }
    }

    /// "una glosa", "una devolución".
    fn con_articulo(self) -> &'static str {
        match self {
            RespondeA::Glosa => "una glosa",
            RespondeA::Devolucion => "una devolución",
        }
    }
}

/// The `responde_a` column of a response code: what it may answer. Res. 3047's 996–999 and the
/// Res. 2284 headings titled "Glosa o devolución …" answer both; Res. 2284's application codes
/// answer one (`…01` a devolución, `…02`, RE9801 and RE9901 a glosa).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ObjetoRespuesta {
    Glosa,
    Devolucion,
    Ambas,
}

impl ObjetoRespuesta {
    pub const ALL: [ObjetoRespuesta; 3] = [
        ObjetoRespuesta::Glosa,
        ObjetoRespuesta::Devolucion,
        ObjetoRespuesta::Ambas,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ObjetoRespuesta::Glosa => "glosa",
            ObjetoRespuesta::Devolucion => "devolucion",
            ObjetoRespuesta::Ambas => "ambas",
        }
    }

    /// Whether a code with this `responde_a` may answer `a`.
    pub fn admite(self, a: RespondeA) -> bool {
        matches!(
            (self, a),
            (ObjetoRespuesta::Ambas, _)
                | (ObjetoRespuesta::Glosa, RespondeA::Glosa)
                | (ObjetoRespuesta::Devolucion, RespondeA::Devolucion)
        )
    }

    /// "una glosa", "una devolución", "una glosa o una devolución".
    fn con_articulo(self) -> &'static str {
        match self {
            ObjetoRespuesta::Glosa => "una glosa",
            ObjetoRespuesta::Devolucion => "una devolución",
            ObjetoRespuesta::Ambas => "una glosa o una devolución",
        }
    }
}

impl fmt::Display for ObjetoRespuesta {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ObjetoRespuesta {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "glosa" => Ok(ObjetoRespuesta::Glosa),
            "devolucion" => Ok(ObjetoRespuesta::Devolucion),
            "ambas" => Ok(ObjetoRespuesta::Ambas),
            _ => Err(format!("se espera glosa, devolucion o ambas; llegó '{s}'")),
        }
    }
}

/// Who sends a response code. All are the prestador's answers except Res. 2284's RE22 family:
/// RE2201 / RE2202 are the payer's notices that the prestador answered a devolución / glosa
/// late, so it stands tacitly accepted (Anexo 3, numeral 1.4: "La entidad responsable de pago
/// informa al prestador …").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Emisor {
    Prestador,
    Pagador,
}

impl Emisor {
    pub const ALL: [Emisor; 2] = [Emisor::Prestador, Emisor::Pagador];

    pub fn as_str(self) -> &'static str {
        match self {
            Emisor::Prestador => "prestador",
            Emisor::Pagador => "pagador",
        }
    }
}

impl fmt::Display for Emisor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Emisor {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "prestador" => Ok(Emisor::Prestador),
            "pagador" => Ok(Emisor::Pagador),
            _ => Err(format!("se espera prestador o pagador; llegó '{s}'")),
        }
    }
}

/// What a respuesta code means for the value under dispute; it is what lets Trazo compute how
/// much of a glosa the prestador gives up without reading the description.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EfectoRespuesta {
    /// The prestador accepts the whole glosa or devolución (997; RE9701, RE9702).
    AceptaTotal,
    /// The prestador accepts part of it (998; RE9801).
    AceptaParcial,
    /// The prestador sustains that it does not apply: unjustified, extemporaneous, or subsanada
    /// in full (996, 999; RE9501, RE9502, RE9601, RE9602, RE9901).
    NoAcepta,
}

impl EfectoRespuesta {
    pub const ALL: [EfectoRespuesta; 3] = [
        EfectoRespuesta::AceptaTotal,
        EfectoRespuesta::AceptaParcial,
        EfectoRespuesta::NoAcepta,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EfectoRespuesta::AceptaTotal => "acepta_total",
            EfectoRespuesta::AceptaParcial => "acepta_parcial",
            EfectoRespuesta::NoAcepta => "no_acepta",
        }
    }
}

impl fmt::Display for EfectoRespuesta {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for EfectoRespuesta {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "acepta_total" => Ok(EfectoRespuesta::AceptaTotal),
            "acepta_parcial" => Ok(EfectoRespuesta::AceptaParcial),
            "no_acepta" => Ok(EfectoRespuesta::NoAcepta),
            _ => Err(format!(
                "se espera acepta_total, acepta_parcial o no_acepta; llegó '{s}'"
            )),
        }
    }
}

/// One code of a manual, as written in `codigos.csv`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Codigo {
    pub codigo: String,
    pub manual: Manual,
    pub tipo: TipoCodigo,
    /// `especifico` for a Res. 2284 heading (never imputed), `aplicacion` otherwise.
    pub nivel: Nivel,
    /// The general concept in snake_case Spanish (`facturacion`, `calidad`, …).
    pub concepto: String,
    /// The official text of the code.
    pub descripcion: String,
    /// Only for the prestador's response codes of nivel `aplicacion`.
    pub efecto_respuesta: Option<EfectoRespuesta>,
    /// Only for `tipo = respuesta`: what the code answers.
    pub responde_a: Option<ObjetoRespuesta>,
    /// Only for `tipo = respuesta`: who sends it.
    pub emisor: Option<Emisor>,
}

/// The codes of both manuals, indexed by code, and the equivalences between them.
#[derive(Debug, Clone)]
pub struct Catalogo {
    codigos: Vec<Codigo>,
    /// Normalised code (see `clave`) → position in `codigos`.
    indice: HashMap<String, usize>,
    /// Normalised code → position of its equivalent in the other manual; both directions.
    equivalencias: HashMap<String, usize>,
}

/// Concept-level correspondence between the two manuals: the first digit of a Res. 3047 code
/// and the letters of the Res. 2284 general concept with the same name (Anexo 6 of Res. 3047
/// and Anexo 3 of Res. 2284 name them alike; Res. 3047's "pertinencia" is one of the subjects of
/// Res. 2284's "calidad"). This is Trazo's reading of the two annexes, not an official table:
/// Res. 2284/2023 states no mapping between the manuals (see FUENTES.md). SA (seguimiento de
/// acuerdos) has no counterpart in Res. 3047.
pub const CONCEPTOS_EQUIVALENTES: [(&str, &str); 8] = [
    ("1", "FA"),
    ("2", "TA"),
    ("3", "SO"),
    ("4", "AU"),
    ("5", "CO"),
    ("6", "CL"),
    ("8", "DE"),
    ("9", "RE"),
];

impl Catalogo {
    /// The tables shipped in `config/catalogos`, parsed on first use.
    ///
    /// Panics only if the embedded CSV is broken, which the unit tests rule out before a build
    /// can be released.
    pub fn oficial() -> &'static Catalogo {
        static OFICIAL: OnceLock<Catalogo> = OnceLock::new();
        OFICIAL.get_or_init(|| {
            Catalogo::parse(CODIGOS_CSV, EQUIVALENCIAS_CSV)
                .unwrap_or_else(|e| panic!("el catálogo de códigos embebido está roto: {e}"))
        })
    }

    /// Parses and validates both tables. Every error names the file, the line and, where one
    /// field is at fault, the column, so whoever edits the CSV can find the mistake.
    pub fn parse(codigos_csv: &str, equivalencias_csv: &str) -> Result<Catalogo, String> {
        let mut codigos: Vec<Codigo> = Vec::new();
        let mut indice: HashMap<String, usize> = HashMap::new();
        let mut lineas: Vec<usize> = Vec::new();

        for (linea, campos) in filas("codigos.csv", codigos_csv, &CODIGOS_ENCABEZADO)? {
            let codigo = leer_codigo(linea, &campos)?;
            let clave = clave(&codigo.codigo);
            if let Some(&previo) = indice.get(&clave) {
                return Err(format!(
                    "codigos.csv línea {linea}, columna codigo: el código {} ya está en la línea {}",
                    codigo.codigo, lineas[previo]
                ));
            }
            indice.insert(clave, codigos.len());
            lineas.push(linea);
            codigos.push(codigo);
        }
        jerarquia(&codigos, &indice, &lineas)?;

        let mut equivalencias: HashMap<String, usize> = HashMap::new();
        let mut linea_de_equivalencia: HashMap<String, usize> = HashMap::new();
        for (linea, campos) in filas("equivalencias.csv", equivalencias_csv, &EQUIVALENCIAS_ENCABEZADO)? {
            let mut posiciones = [0usize; 2];
            for (columna, manual) in [Manual::Res3047, Manual::Res2284].into_iter().enumerate() {
                let nombre = EQUIVALENCIAS_ENCABEZADO[columna];
                let error = |mensaje: String| format!("equivalencias.csv línea {linea}, columna {nombre}: {mensaje}");
                let texto = campos[columna].trim();
                if texto.is_empty() {
                    return Err(error("está vacío".to_string()));
                }
                let clave = clave(texto);
                let Some(&posicion) = indice.get(&clave) else {
                    return Err(error(format!("el código {texto} no está en codigos.csv")));
                };
                let codigo = &codigos[posicion];
                if codigo.manual != manual {
                    return Err(error(format!(
                        "el código {texto} es de {}, no de {manual}",
                        codigo.manual
                    )));
                }
                if codigo.nivel != Nivel::Aplicacion {
                    return Err(error(format!(
                        "el código {texto} es un título (nivel especifico); las equivalencias van entre códigos que se imputan"
                    )));
                }
                // `equivalente` answers with one code, so a code may have only one equivalent.
                if let Some(previa) = linea_de_equivalencia.get(&clave) {
                    return Err(error(format!(
                        "el código {texto} ya tiene equivalente en la línea {previa}"
                    )));
                }
                linea_de_equivalencia.insert(clave, linea);
                posiciones[columna] = posicion;
            }
            let [res3047, res2284] = posiciones;
            if codigos[res3047].tipo != codigos[res2284].tipo {
                return Err(format!(
                    "equivalencias.csv línea {linea}: {} es de tipo {} y {} de tipo {}; una equivalencia une códigos del mismo tipo",
                    codigos[res3047].codigo, codigos[res3047].tipo, codigos[res2284].codigo, codigos[res2284].tipo
                ));
            }
            equivalencias.insert(clave(&codigos[res3047].codigo), res2284);
            equivalencias.insert(clave(&codigos[res2284].codigo), res3047);
        }

        Ok(Catalogo {
            codigos,
            indice,
            equivalencias,
        })
    }

    /// The code, whatever its case and surrounding spaces (payers write `re9602`, ` 996 `).
    pub fn buscar(&self, codigo: &str) -> Option<&Codigo> {
        self.indice.get(&clave(codigo)).map(|&i| &self.codigos[i])
    }

    /// The codes of a tipo and/or manual, in the order of `codigos.csv`.
    pub fn listar(&self, tipo: Option<TipoCodigo>, manual: Option<Manual>) -> Vec<&Codigo> {
        self.codigos
            .iter()
            .filter(|c| tipo.is_none_or(|t| c.tipo == t) && manual.is_none_or(|m| c.manual == m))
            .collect()
    }

    /// The code of the other manual that `equivalencias.csv` maps this one to, if any.
    pub fn equivalente(&self, codigo: &str) -> Option<&Codigo> {
        self.equivalencias.get(&clave(codigo)).map(|&i| &self.codigos[i])
    }

    /// The general concept of the other manual that corresponds to this code's concept: for a
    /// Res. 3047 code the two letters of Res. 2284 (`"101"` → `"FA"`), for a Res. 2284 code the
    /// first digit of Res. 3047 (`"CL0101"` → `"6"`). `None` for a code not in the table and
    /// for SA, which Res. 3047 does not have. A correspondence by concept name (see
    /// `CONCEPTOS_EQUIVALENTES`), not an official mapping of codes.
    pub fn concepto_equivalente(&self, codigo: &str) -> Option<&'static str> {
        let c = self.buscar(codigo)?;
        CONCEPTOS_EQUIVALENTES
            .iter()
            .find_map(|&(digito, letras)| match c.manual {
                Manual::Res3047 => c.codigo.starts_with(digito).then_some(letras),
                Manual::Res2284 => c.codigo.starts_with(letras).then_some(digito),
            })
    }

    /// The manuals whose codes can be imputed to an invoice issued on `fecha_expedicion`:
    /// only Res. 2284 from `VIGENCIA_RES2284`; both before it (Res. 2284/2023 art. 12 keeps
    /// Res. 3047 for what was invoiced before, and the new manual could be adopted early).
    pub fn manuales_para(fecha_expedicion: NaiveDate) -> &'static [Manual] {
        const SOLO_RES2284: [Manual; 1] = [Manual::Res2284];
        if fecha_expedicion >= VIGENCIA_RES2284 {
            &SOLO_RES2284
        } else {
            &Manual::ALL
        }
    }

    /// A glosa code the payer imputes: in the table, tipo glosa, nivel aplicacion (a heading is
    /// refused naming the application codes under it), of a manual in force for the invoice.
    pub fn validar_glosa(&self, codigo: &str, fecha_expedicion: NaiveDate) -> Result<CodigoUsado, String> {
        self.imputable(codigo, TipoCodigo::Glosa, None, Some(fecha_expedicion))
            .map(CodigoUsado::de)
    }

    /// A glosa code of either manual, when the invoice (and so the manual in force for it) is
    /// not known: a sheet's row naming an invoice Trazo lacks is still told that its code is
    /// not in any manual, in the same run.
    pub fn validar_glosa_sin_factura(&self, codigo: &str) -> Result<CodigoUsado, String> {
        self.imputable(codigo, TipoCodigo::Glosa, None, None)
            .map(CodigoUsado::de)
    }

    /// A devolución code the payer imputes (DE…, or 8xx for invoices issued before
    /// `VIGENCIA_RES2284`), with the same rules as `validar_glosa`.
    pub fn validar_devolucion(&self, codigo: &str, fecha_expedicion: NaiveDate) -> Result<CodigoUsado, String> {
        self.imputable(codigo, TipoCodigo::Devolucion, None, Some(fecha_expedicion))
            .map(CodigoUsado::de)
    }

    /// The prestador's answer to a glosa or a devolución: tipo respuesta, emisor prestador,
    /// nivel aplicacion, `responde_a` matching `a` (or `ambas`), manual in force for the
    /// invoice. RE9501 / RE9502 (heading RE95, "Glosa o devolución extemporánea") only answer
    /// what was late: `extemporanea` says whether the devolución or glosa answered was
    /// formulated out of term. RE2201 / RE2202 are refused: they are the payer's notices
    /// (`validar_aviso`), not answers.
    pub fn validar_respuesta(
        &self,
        codigo: &str,
        a: RespondeA,
        extemporanea: bool,
        fecha_expedicion: NaiveDate,
    ) -> Result<CodigoUsado, String> {
        let c = self.imputable(codigo, TipoCodigo::Respuesta, Some(a), Some(fecha_expedicion))?;
        if let Some(objeto) = c.responde_a {
            if !objeto.admite(a) {
                return Err(format!(
                    "{} responde a {}, no a {}; {}",
                    c.codigo,
                    objeto.con_articulo(),
                    a.con_articulo(),
                    self.ejemplo(TipoCodigo::Respuesta, Some(a), Some(fecha_expedicion))
                ));
            }
        }
        if c.codigo.starts_with(TITULO_EXTEMPORANEA) && !extemporanea {
            return Err(format!(
                "{} solo responde a {} extemporánea; esta {} se recibió en término",
                c.codigo,
                a.con_articulo(),
                a.nombre()
            ));
        }
        Ok(CodigoUsado::de(c))
    }

    /// The glosa codes a user may pick for an invoice issued on `fecha_expedicion`: those
    /// [`Catalogo::validar_glosa`] accepts, in the order of the manual.
    pub fn glosas_para(&self, fecha_expedicion: NaiveDate) -> Vec<&Codigo> {
        self.listar(Some(TipoCodigo::Glosa), None)
            .into_iter()
            .filter(|c| self.validar_glosa(&c.codigo, fecha_expedicion).is_ok())
            .collect()
    }

    /// The devolución codes a user may pick for an invoice issued on `fecha_expedicion`: those
    /// [`Catalogo::validar_devolucion`] accepts, in the order of the manual.
    pub fn devoluciones_para(&self, fecha_expedicion: NaiveDate) -> Vec<&Codigo> {
        self.listar(Some(TipoCodigo::Devolucion), None)
            .into_iter()
            .filter(|c| self.validar_devolucion(&c.codigo, fecha_expedicion).is_ok())
            .collect()
    }

    /// The answers a prestador may give to `a` (extemporánea or not) of such an invoice: those
    /// [`Catalogo::validar_respuesta`] accepts.
    pub fn respuestas_para(&self, a: RespondeA, extemporanea: bool, fecha_expedicion: NaiveDate) -> Vec<&Codigo> {
        self.listar(Some(TipoCodigo::Respuesta), None)
            .into_iter()
            .filter(|c| {
                self.validar_respuesta(&c.codigo, a, extemporanea, fecha_expedicion)
                    .is_ok()
            })
            .collect()
    }

    /// A payer's notice: RE2201 (tacit acceptance of a devolución after a late answer) for
    /// `RespondeA::Devolucion`, RE2202 (of a glosa) for `RespondeA::Glosa`; anything else is
    /// refused. Notices exist only in Res. 2284/2023.
    pub fn validar_aviso(&self, codigo: &str, a: RespondeA) -> Result<CodigoUsado, String> {
        let escrito = mostrar(codigo);
        let avisos = self.avisos();
        if escrito.is_empty() {
            return Err(format!("falta el código del aviso del pagador; se espera {avisos}"));
        }
        let Some(c) = self.buscar(codigo) else {
            return Err(format!(
                "'{escrito}' no está en el Manual Único de la {} (art. 4: la lista es taxativa); \
                 los avisos del pagador son {avisos}",
                Manual::Res2284.nombre()
            ));
        };
        if c.tipo != TipoCodigo::Respuesta || c.emisor != Some(Emisor::Pagador) {
            let que = match (c.tipo, c.emisor) {
                (TipoCodigo::Respuesta, _) => "una respuesta del prestador".to_string(),
                (tipo, _) => format!("un código de {}", tipo.nombre()),
            };
            return Err(format!(
                "'{escrito}' es {que}, no un aviso del pagador; los avisos del pagador son {avisos}"
            ));
        }
        if c.nivel == Nivel::Especifico {
            return Err(self.es_titulo(c, Some(a)));
        }
        if let Some(objeto) = c.responde_a {
            if !objeto.admite(a) {
                let otro = self
                    .codigos
                    .iter()
                    .find(|o| es_aviso(o) && o.responde_a.is_some_and(|r| r.admite(a)))
                    .map(|o| format!("; para {} el aviso es {}", a.con_articulo(), o.codigo))
                    .unwrap_or_default();
                return Err(format!(
                    "{} avisa la aceptación tácita de {}, no de {}{otro}",
                    c.codigo,
                    objeto.con_articulo(),
                    a.con_articulo()
                ));
            }
        }
        Ok(CodigoUsado::de(c))
    }

    /// The checks every imputed code passes: in the table, of `tipo`, not a payer's notice when
    /// a response is expected, not a heading, and (when the invoice date is known) of a manual
    /// in force for it. `a` narrows the codes suggested in place of a heading.
    fn imputable(
        &self,
        codigo: &str,
        tipo: TipoCodigo,
        a: Option<RespondeA>,
        fecha: Option<NaiveDate>,
    ) -> Result<&Codigo, String> {
        let escrito = mostrar(codigo);
        if escrito.is_empty() {
            return Err(format!(
                "falta el código de {}; {}",
                tipo.nombre(),
                self.ejemplo(tipo, a, fecha)
            ));
        }
        let Some(c) = self.buscar(codigo) else {
            let manuales = match fecha {
                Some(f) if f >= VIGENCIA_RES2284 => format!("el Manual Único de la {}", Manual::Res2284.nombre()),
                _ => format!(
                    "el Manual Único de la {} ni en el de la {}",
                    Manual::Res2284.nombre(),
                    Manual::Res3047.nombre()
                ),
            };
            return Err(format!(
                "'{escrito}' no está en {manuales} (art. 4: la lista es taxativa); vea GET /api/v1/catalogos/codigos"
            ));
        };
        if c.tipo != tipo {
            let que = if c.emisor == Some(Emisor::Pagador) {
                "un aviso del pagador, no un código".to_string()
            } else {
                format!("un código de {}, no", c.tipo.nombre())
            };
            return Err(format!(
                "'{escrito}' es {que} de {}; {}",
                tipo.nombre(),
                self.ejemplo(tipo, a, fecha)
            ));
        }
        if tipo == TipoCodigo::Respuesta && c.emisor == Some(Emisor::Pagador) {
            let objeto = c.responde_a.unwrap_or(ObjetoRespuesta::Ambas);
            return Err(format!(
                "{} es el aviso del pagador de que la respuesta a {} llegó fuera de término \
                 (aceptación tácita); regístrelo como aviso del pagador, no como respuesta del prestador",
                c.codigo,
                objeto.con_articulo()
            ));
        }
        if c.nivel == Nivel::Especifico {
            return Err(self.es_titulo(c, a));
        }
        if let Some(f) = fecha {
            if !Catalogo::manuales_para(f).contains(&c.manual) {
                return Err(format!(
                    "'{escrito}' es del manual de la {}, que solo aplica a facturas expedidas antes del \
                     {VIGENCIA_RES2284}; esta factura es del {f}",
                    c.manual.nombre()
                ));
            }
        }
        Ok(c)
    }

    /// The message for a heading: it is not imputed; these are the codes under it (those that
    /// can answer `a`, when some can).
    fn es_titulo(&self, titulo: &Codigo, a: Option<RespondeA>) -> String {
        let hijos: Vec<&Codigo> = self.hijos(titulo).collect();
        let aptos: Vec<&str> = hijos
            .iter()
            .filter(|h| match (a, h.responde_a) {
                (Some(a), Some(r)) => r.admite(a),
                _ => true,
            })
            .map(|h| h.codigo.as_str())
            .collect();
        let lista = if aptos.is_empty() {
            hijos.iter().map(|h| h.codigo.as_str()).collect::<Vec<_>>()
        } else {
            aptos
        };
        format!(
            "{} es un título («{}»), no un código que se impute; impute uno de {} ({}, Anexo Técnico No. 3)",
            titulo.codigo,
            titulo.descripcion,
            lista.join(", "),
            titulo.manual.nombre()
        )
    }

    /// The application codes under a heading, in the order of the table.
    fn hijos<'a>(&'a self, titulo: &'a Codigo) -> impl Iterator<Item = &'a Codigo> + 'a {
        self.codigos.iter().filter(move |c| {
            c.manual == titulo.manual && c.nivel == Nivel::Aplicacion && c.codigo.starts_with(titulo.codigo.as_str())
        })
    }

    /// "RE2201 (devolución) o RE2202 (glosa)", from the table.
    fn avisos(&self) -> String {
        let avisos: Vec<String> = self
            .codigos
            .iter()
            .filter(|c| es_aviso(c))
            .map(|c| {
                let objeto = match c.responde_a {
                    Some(ObjetoRespuesta::Devolucion) => "aceptación tácita de una devolución",
                    Some(ObjetoRespuesta::Glosa) => "aceptación tácita de una glosa",
                    _ => "aceptación tácita",
                };
                format!("{} ({objeto})", c.codigo)
            })
            .collect();
        avisos.join(" o ")
    }

    /// What is expected, for the end of a message.
    fn ejemplo(&self, tipo: TipoCodigo, a: Option<RespondeA>, fecha: Option<NaiveDate>) -> String {
        let anterior = fecha.is_none_or(|f| f < VIGENCIA_RES2284);
        let (nuevo, viejo) = match (tipo, a) {
            (TipoCodigo::Glosa, _) => (
                "un código de aplicación FA, TA, SO, AU, CO, CL o SA (p. ej. FA0101)".to_string(),
                "p. ej. 101",
            ),
            (TipoCodigo::Devolucion, _) => ("un código de aplicación DE (p. ej. DE1601)".to_string(), "p. ej. 816"),
            (TipoCodigo::Respuesta, Some(a)) => {
                let codigos: Vec<&str> = self
                    .codigos
                    .iter()
                    .filter(|c| {
                        c.manual == Manual::Res2284
                            && c.tipo == TipoCodigo::Respuesta
                            && c.nivel == Nivel::Aplicacion
                            && c.emisor == Some(Emisor::Prestador)
                            && c.responde_a.is_some_and(|r| r.admite(a))
                    })
                    .map(|c| c.codigo.as_str())
                    .collect();
                (
                    format!("una respuesta a {} ({})", a.nombre(), lista_con_o(&codigos)),
                    "996 a 999",
                )
            }
            (TipoCodigo::Respuesta, None) => ("un código de respuesta RE (p. ej. RE9602)".to_string(), "996 a 999"),
        };
        if anterior {
            format!(
                "se espera {nuevo} o, para facturas expedidas antes del {VIGENCIA_RES2284}, uno de la {} \
                 ({viejo}); vea GET /api/v1/catalogos/codigos",
                Manual::Res3047.nombre()
            )
        } else {
            format!("se espera {nuevo}; vea GET /api/v1/catalogos/codigos")
        }
    }
}

/// "A, B o C".
fn lista_con_o(elementos: &[&str]) -> String {
    match elementos {
        [] => String::new(),
        [uno] => uno.to_string(),
        [resto @ .., ultimo] => format!("{} o {ultimo}", resto.join(", ")),
    }
}

/// Whether a code is a payer's notice that can be imputed (RE2201, RE2202).
fn es_aviso(c: &Codigo) -> bool {
    c.tipo == TipoCodigo::Respuesta && c.emisor == Some(Emisor::Pagador) && c.nivel == Nivel::Aplicacion
}

/// A code a user sent, checked for the use it is put to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodigoUsado {
    /// The code as the table writes it (`re9602` becomes `RE9602`).
    pub codigo: String,
    pub manual: Manual,
    /// The code's description; always present now that every accepted code is in the table.
    pub descripcion: Option<String>,
    pub efecto_respuesta: Option<EfectoRespuesta>,
}

impl CodigoUsado {
    fn de(c: &Codigo) -> CodigoUsado {
        CodigoUsado {
            codigo: c.codigo.clone(),
            manual: c.manual,
            descripcion: Some(c.descripcion.clone()),
            efecto_respuesta: c.efecto_respuesta,
        }
    }
}

/// The form codes are compared in: no surrounding spaces, uppercase. Works on any text (the
/// index is a map of strings; nothing is sliced).
fn clave(codigo: &str) -> String {
    codigo.trim().to_uppercase()
}

/// The code as the user typed it, for messages: trimmed, control characters replaced, and cut
/// (on a character boundary) if it is long.
fn mostrar(codigo: &str) -> String {
    const MAXIMO: usize = 24;
    let texto = codigo.trim();
    let mut visible: String = texto
        .chars()
        .take(MAXIMO)
        .map(|c| if c.is_control() { char::REPLACEMENT_CHARACTER } else { c })
        .collect();
    if texto.chars().count() > MAXIMO {
        visible.push('…');
    }
    visible
}

/// Reads one row of `codigos.csv` and checks it against the structure its manual defines.
fn leer_codigo(linea: usize, campos: &[String]) -> Result<Codigo, String> {
    let error = |columna: &str, mensaje: String| format!("codigos.csv línea {linea}, columna {columna}: {mensaje}");
    let campo = |i: usize| campos[i].trim();

    let codigo = campo(0);
    if codigo.is_empty() {
        return Err(error("codigo", "está vacío".to_string()));
    }
    let manual: Manual = campo(1).parse().map_err(|e| error("manual", e))?;
    let tipo: TipoCodigo = campo(2).parse().map_err(|e| error("tipo", e))?;
    let nivel: Nivel = campo(3).parse().map_err(|e| error("nivel", e))?;
    let concepto = campo(4);
    let descripcion = campo(5);
    let opcional = |i: usize| Some(campo(i)).filter(|t| !t.is_empty());
    let efecto_respuesta = opcional(6)
        .map(|t| t.parse::<EfectoRespuesta>().map_err(|e| error("efecto_respuesta", e)))
        .transpose()?;
    let responde_a = opcional(7)
        .map(|t| t.parse::<ObjetoRespuesta>().map_err(|e| error("responde_a", e)))
        .transpose()?;
    let emisor = opcional(8)
        .map(|t| t.parse::<Emisor>().map_err(|e| error("emisor", e)))
        .transpose()?;

    let forma = estructura(manual, codigo).map_err(|e| error("codigo", e))?;
    if tipo != forma.tipo {
        return Err(error(
            "tipo",
            format!(
                "el código {codigo} es de tipo {} en {manual}; llegó '{tipo}'",
                forma.tipo
            ),
        ));
    }
    if nivel != forma.nivel {
        return Err(error(
            "nivel",
            format!(
                "el código {codigo} es de nivel {} en {manual} ({}); llegó '{nivel}'",
                forma.nivel, forma.por_que
            ),
        ));
    }
    if concepto != forma.concepto {
        return Err(error(
            "concepto",
            format!(
                "el código {codigo} es del concepto {} en {manual}; llegó '{concepto}'",
                forma.concepto
            ),
        ));
    }
    if descripcion.is_empty() {
        return Err(error("descripcion", "está vacía".to_string()));
    }

    if tipo == TipoCodigo::Respuesta {
        if responde_a.is_none() {
            return Err(error(
                "responde_a",
                "un código de respuesta dice qué responde: glosa, devolucion o ambas".to_string(),
            ));
        }
        if emisor.is_none() {
            return Err(error(
                "emisor",
                "un código de respuesta dice quién lo envía: prestador o pagador".to_string(),
            ));
        }
    } else {
        for (columna, lleno) in [("responde_a", responde_a.is_some()), ("emisor", emisor.is_some())] {
            if lleno {
                return Err(error(
                    columna,
                    format!("solo los códigos de respuesta llevan {columna}; este es de tipo {tipo}"),
                ));
            }
        }
    }

    // The efecto is what Trazo computes money with, so it is required exactly where a code is
    // the prestador's imputed answer, and refused elsewhere: headings are never imputed, and the
    // payer's notices (RE2201, RE2202) are recorded as notices, not answers.
    let lleva_efecto = tipo == TipoCodigo::Respuesta && nivel == Nivel::Aplicacion && emisor == Some(Emisor::Prestador);
    match (lleva_efecto, efecto_respuesta) {
        (true, None) => {
            return Err(error(
                "efecto_respuesta",
                "un código de respuesta necesita su efecto: acepta_total, acepta_parcial o no_acepta".to_string(),
            ))
        }
        (false, Some(_)) => {
            let por_que = if tipo != TipoCodigo::Respuesta {
                format!("solo los códigos de respuesta llevan efecto; este es de tipo {tipo}")
            } else if nivel == Nivel::Especifico {
                format!("el título {codigo} no se imputa y no lleva efecto; lo llevan sus códigos de aplicación")
            } else {
                format!("{codigo} es un aviso del pagador, no una respuesta del prestador, y no lleva efecto")
            };
            return Err(error("efecto_respuesta", por_que));
        }
        _ => {}
    }

    Ok(Codigo {
        codigo: codigo.to_string(),
        manual,
        tipo,
        nivel,
        concepto: concepto.to_string(),
        descripcion: descripcion.to_string(),
        efecto_respuesta,
        responde_a,
        emisor,
    })
}

/// Checks across rows of Res. 2284/2023 (Anexo 3, numeral 1.1: the application codes hang from
/// a specific concept): every application code has its heading in the table, with the same
/// emisor and a `responde_a` that covers its own; every heading has application codes, since a
/// heading alone could never be imputed.
fn jerarquia(codigos: &[Codigo], indice: &HashMap<String, usize>, lineas: &[usize]) -> Result<(), String> {
    for (i, c) in codigos.iter().enumerate() {
        if c.manual != Manual::Res2284 {
            continue;
        }
        let linea = lineas[i];
        match c.nivel {
            Nivel::Aplicacion => {
                let titulo: String = c.codigo.chars().take(4).collect();
                let Some(&t) = indice.get(&titulo) else {
                    return Err(format!(
                        "codigos.csv línea {linea}, columna codigo: el código {} no tiene su título {titulo} en codigos.csv",
                        c.codigo
                    ));
                };
                let padre = &codigos[t];
                if c.emisor != padre.emisor {
                    return Err(format!(
                        "codigos.csv línea {linea}, columna emisor: {} lo envía {}, pero su título {titulo} (línea {}) lo envía {}",
                        c.codigo,
                        c.emisor.map_or("nadie", Emisor::as_str),
                        lineas[t],
                        padre.emisor.map_or("nadie", Emisor::as_str)
                    ));
                }
                let cubre = match (padre.responde_a, c.responde_a) {
                    (Some(ObjetoRespuesta::Ambas), _) | (None, None) => true,
                    (Some(p), Some(h)) => p == h,
                    _ => false,
                };
                if !cubre {
                    return Err(format!(
                        "codigos.csv línea {linea}, columna responde_a: {} responde a {}, pero su título {titulo} (línea {}) solo a {}",
                        c.codigo,
                        c.responde_a.map_or("nada", ObjetoRespuesta::as_str),
                        lineas[t],
                        padre.responde_a.map_or("nada", ObjetoRespuesta::as_str)
                    ));
                }
            }
            Nivel::Especifico => {
                let tiene_hijos = codigos.iter().any(|h| {
                    h.manual == Manual::Res2284
                        && h.nivel == Nivel::Aplicacion
                        && h.codigo.starts_with(c.codigo.as_str())
                });
                if !tiene_hijos {
                    return Err(format!(
                        "codigos.csv línea {linea}, columna codigo: el título {} no tiene códigos de aplicación en codigos.csv",
                        c.codigo
                    ));
                }
            }
        }
    }
    Ok(())
}

/// What the code itself says, as each manual defines it; the `tipo`, `nivel` and `concepto`
/// columns must agree with it.
struct Forma {
    concepto: &'static str,
    tipo: TipoCodigo,
    nivel: Nivel,
    /// Why that nivel, for the error message.
    por_que: &'static str,
}

/// Reads the structure of a code of `manual`. It works on characters, so any text is safe.
fn estructura(manual: Manual, codigo: &str) -> Result<Forma, String> {
    let chars: Vec<char> = codigo.chars().collect();
    match manual {
        // Anexo Técnico No. 6 (Res. 3047/2008, mod. Res. 416/2009): "la codificación está
        // integrada por tres dígitos"; the first is the general concept. 7 is not used.
        Manual::Res3047 => {
            if chars.len() != 3 || !chars.iter().all(char::is_ascii_digit) {
                return Err(format!(
                    "se esperan tres dígitos (Anexo Técnico No. 6 de la Resolución 3047 de 2008); llegó '{codigo}'"
                ));
            }
            let (concepto, tipo) = match chars[0] {
                '1' => ("facturacion", TipoCodigo::Glosa),
                '2' => ("tarifas", TipoCodigo::Glosa),
                '3' => ("soportes", TipoCodigo::Glosa),
                '4' => ("autorizaciones", TipoCodigo::Glosa),
                '5' => ("cobertura", TipoCodigo::Glosa),
                '6' => ("pertinencia", TipoCodigo::Glosa),
                '8' => ("devolucion", TipoCodigo::Devolucion),
                '9' => ("respuesta", TipoCodigo::Respuesta),
                _ => {
                    return Err(format!(
                        "el primer dígito de '{codigo}' no es un concepto general del Anexo Técnico No. 6 \
                         (1 a 6, 8 o 9)"
                    ))
                }
            };
            Ok(Forma {
                concepto,
                tipo,
                nivel: Nivel::Aplicacion,
                por_que: "en la Resolución 3047 de 2008 se imputan los tres dígitos",
            })
        }
        // Resolución 2284 de 2023, Anexo Técnico No. 3, numeral 1.1: two letters for the general
        // concept, two digits for the specific concept (a heading, FA01) and two more for the
        // concepto de aplicación (FA0101), the code imputed.
        Manual::Res2284 => {
            let letras_ok = chars.len() >= 2 && chars[..2].iter().all(char::is_ascii_uppercase);
            let digitos_ok = chars.get(2..).is_some_and(|d| d.iter().all(char::is_ascii_digit));
            let (nivel, por_que) = match chars.len() {
                4 => (Nivel::Especifico, "dos letras y dos dígitos: un concepto específico"),
                6 => (
                    Nivel::Aplicacion,
                    "dos letras y cuatro dígitos: un concepto de aplicación",
                ),
                _ => (Nivel::Aplicacion, ""),
            };
            if !letras_ok || !digitos_ok || por_que.is_empty() {
                return Err(format!(
                    "se esperan dos letras mayúsculas y dos dígitos (concepto específico, p. ej. FA01) o cuatro \
                     (concepto de aplicación, p. ej. FA0101) (Resolución 2284 de 2023); llegó '{codigo}'"
                ));
            }
            let prefijo: String = chars[..2].iter().collect();
            let (concepto, tipo) = match prefijo.as_str() {
                "FA" => ("facturacion", TipoCodigo::Glosa),
                "TA" => ("tarifas", TipoCodigo::Glosa),
                "SO" => ("soportes", TipoCodigo::Glosa),
                "AU" => ("autorizaciones", TipoCodigo::Glosa),
                "CO" => ("cobertura", TipoCodigo::Glosa),
                "CL" => ("calidad", TipoCodigo::Glosa),
                "SA" => ("seguimiento_acuerdos", TipoCodigo::Glosa),
                "DE" => ("devolucion", TipoCodigo::Devolucion),
                "RE" => ("respuesta", TipoCodigo::Respuesta),
                otro => {
                    return Err(format!(
                        "'{otro}' no es un concepto de la Resolución 2284 de 2023 (FA, TA, SO, AU, CO, CL, SA, DE, RE)"
                    ))
                }
            };
            Ok(Forma {
                concepto,
                tipo,
                nivel,
                por_que,
            })
        }
    }
}

/// The data rows of a CSV file with their 1-based line numbers, after checking the header and
/// that every row has as many fields as the header. Blank lines are skipped but still counted,
/// so the numbers match what an editor shows; a byte order mark and CRLF endings are accepted
/// because spreadsheets export them.
fn filas(archivo: &str, texto: &str, encabezado: &[&str]) -> Result<Vec<(usize, Vec<String>)>, String> {
    let texto = texto.strip_prefix('\u{feff}').unwrap_or(texto);
    let mut lineas = texto
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.strip_suffix('\r').unwrap_or(l)));

    let esperado = encabezado.join(",");
    let Some((_, primera)) = lineas.next() else {
        return Err(format!("{archivo} está vacío; se espera el encabezado {esperado}"));
    };
    let campos = dividir_linea(primera).map_err(|(_, e)| format!("{archivo} línea 1: {e}"))?;
    if campos.len() != encabezado.len() || campos.iter().zip(encabezado).any(|(c, e)| c.trim() != *e) {
        return Err(format!(
            "{archivo} línea 1: se espera el encabezado {esperado}; llegó '{primera}'"
        ));
    }

    let mut filas = Vec::new();
    for (numero, linea) in lineas {
        if linea.trim().is_empty() {
            continue;
        }
        let campos = dividir_linea(linea).map_err(|(columna, e)| {
            let nombre = encabezado.get(columna).copied().unwrap_or("sobrante");
            format!("{archivo} línea {numero}, columna {nombre}: {e}")
        })?;
        if campos.len() != encabezado.len() {
            return Err(format!(
                "{archivo} línea {numero}: se esperan {} columnas ({esperado}); hay {}",
                encabezado.len(),
                campos.len()
            ));
        }
        filas.push((numero, campos));
    }
    Ok(filas)
}

/// Splits one CSV line into its fields (RFC 4180 within a line): a field may be enclosed in
/// double quotes, and then it may hold commas and doubled quotes (`""` stands for `"`). Fields
/// spanning several lines are not supported; the tables do not need them. The error carries the
/// 0-based index of the field at fault.
fn dividir_linea(linea: &str) -> Result<Vec<String>, (usize, String)> {
    #[derive(PartialEq)]
    enum Estado {
        /// At the start of a field: it may open a quote.
        Inicio,
        SinComillas,
        EntreComillas,
        /// Right after the closing quote: only a comma or the end of the line may follow.
        TrasComillas,
    }

    let mut campos = Vec::new();
    let mut campo = String::new();
    let mut estado = Estado::Inicio;
    let mut chars = linea.chars().peekable();
    while let Some(c) = chars.next() {
        match estado {
            Estado::EntreComillas => {
                if c == '"' {
                    if chars.peek() == Some(&'"') {
                        chars.next();
                        campo.push('"');
                    } else {
                        estado = Estado::TrasComillas;
                    }
                } else {
                    campo.push(c);
                }
            }
            _ if c == ',' => {
                campos.push(std::mem::take(&mut campo));
                estado = Estado::Inicio;
            }
            Estado::Inicio if c == '"' => estado = Estado::EntreComillas,
            Estado::Inicio | Estado::SinComillas => {
                if c == '"' {
                    return Err((
                        campos.len(),
                        "comilla dentro de un campo sin comillas; encierre el campo entre comillas y duplique la comilla"
                            .to_string(),
                    ));
                }
                campo.push(c);
                estado = Estado::SinComillas;
            }
            Estado::TrasComillas => {
                return Err((
                    campos.len(),
                    "texto después de la comilla que cierra el campo".to_string(),
                ));
            }
        }
    }
    if estado == Estado::EntreComillas {
        return Err((campos.len(), "comilla sin cerrar".to_string()));
    }
    campos.push(campo);
    Ok(campos)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ENCABEZADO: &str = "codigo,manual,tipo,nivel,concepto,descripcion,efecto_respuesta,responde_a,emisor";
    const EQ_VACIO: &str = "codigo_res3047,codigo_res2284\n";

    // Rows for the CSVs the tests build.
    const R101: &str = "101,res3047,glosa,aplicacion,facturacion,Estancia,,,";
    const R850: &str = "850,res3047,devolucion,aplicacion,devolucion,Factura ya cancelada,,,";
    const R996: &str =
        "996,res3047,respuesta,aplicacion,respuesta,Glosa o devolución injustificada,no_acepta,ambas,prestador";
    const R997: &str = "997,res3047,respuesta,aplicacion,respuesta,No subsanada,acepta_total,ambas,prestador";
    const RE96: &str = "RE96,res2284,respuesta,especifico,respuesta,Glosa o devolución injustificada,,ambas,prestador";
    const RE9602: &str = "RE9602,res2284,respuesta,aplicacion,respuesta,Glosa injustificada,no_acepta,glosa,prestador";
    const RE97: &str =
        "RE97,res2284,respuesta,especifico,respuesta,Glosa o devolución totalmente aceptada,,ambas,prestador";
    const RE9702: &str = "RE9702,res2284,respuesta,aplicacion,respuesta,Glosa aceptada,acepta_total,glosa,prestador";

    /// A `codigos.csv` with the header and these rows; the first row is line 2.
    fn csv(filas: &[&str]) -> String {
        let mut texto = format!("{ENCABEZADO}\n");
        for f in filas {
            texto.push_str(f);
            texto.push('\n');
        }
        texto
    }

    fn error(codigos: &str, equivalencias: &str) -> String {
        Catalogo::parse(codigos, equivalencias).expect_err("se esperaba un error")
    }

    fn cuenta(manual: Manual, tipo: TipoCodigo, nivel: Option<Nivel>) -> usize {
        Catalogo::oficial()
            .listar(Some(tipo), Some(manual))
            .iter()
            .filter(|c| nivel.is_none_or(|n| c.nivel == n))
            .count()
    }

    #[test]
    fn el_catalogo_oficial_se_carga() {
        let catalogo = Catalogo::oficial();
        for manual in Manual::ALL {
            assert!(
                !catalogo.listar(Some(TipoCodigo::Respuesta), Some(manual)).is_empty(),
                "{manual} sin respuestas"
            );
        }
        assert!(!catalogo
            .listar(Some(TipoCodigo::Glosa), Some(Manual::Res3047))
            .is_empty());
        assert!(!catalogo
            .listar(Some(TipoCodigo::Devolucion), Some(Manual::Res3047))
            .is_empty());
        let respuestas_3047: Vec<&str> = catalogo
            .listar(Some(TipoCodigo::Respuesta), Some(Manual::Res3047))
            .iter()
            .map(|c| c.codigo.as_str())
            .collect();
        assert_eq!(respuestas_3047, ["996", "997", "998", "999"]);
        assert_eq!(catalogo.listar(None, None).len(), catalogo.codigos.len());
    }

    #[test]
    fn la_tabla_de_la_resolucion_2284_esta_completa() {
        use Nivel::{Aplicacion, Especifico};
        use TipoCodigo::{Devolucion, Glosa, Respuesta};
        let m = Manual::Res2284;
        assert_eq!(cuenta(m, Glosa, None), 283);
        assert_eq!(
            (cuenta(m, Glosa, Some(Especifico)), cuenta(m, Glosa, Some(Aplicacion))),
            (99, 184)
        );
        assert_eq!(cuenta(m, Devolucion, None), 10);
        assert_eq!(
            (
                cuenta(m, Devolucion, Some(Especifico)),
                cuenta(m, Devolucion, Some(Aplicacion))
            ),
            (4, 6)
        );
        assert_eq!(cuenta(m, Respuesta, None), 16);
        assert_eq!(
            (
                cuenta(m, Respuesta, Some(Especifico)),
                cuenta(m, Respuesta, Some(Aplicacion))
            ),
            (6, 10)
        );
        // The old manual is kept as it was, every code imputable.
        let v = Manual::Res3047;
        assert_eq!(
            (
                cuenta(v, Glosa, None),
                cuenta(v, Devolucion, None),
                cuenta(v, Respuesta, None)
            ),
            (89, 9, 4)
        );
        assert_eq!(
            cuenta(v, Glosa, Some(Aplicacion)) + cuenta(v, Devolucion, Some(Aplicacion)),
            98
        );

        let catalogo = Catalogo::oficial();
        /// codigo, responde_a, emisor, efecto_respuesta.
        type Fila<'a> = (&'a str, Option<&'a str>, Option<&'a str>, Option<&'a str>);
        let respuestas: Vec<Fila> = catalogo
            .listar(Some(Respuesta), Some(m))
            .iter()
            .map(|c| {
                (
                    c.codigo.as_str(),
                    c.responde_a.map(ObjetoRespuesta::as_str),
                    c.emisor.map(Emisor::as_str),
                    c.efecto_respuesta.map(EfectoRespuesta::as_str),
                )
            })
            .collect();
        let p = Some("prestador");
        assert_eq!(
            respuestas,
            [
                ("RE95", Some("ambas"), p, None),
                ("RE9501", Some("devolucion"), p, Some("no_acepta")),
                ("RE9502", Some("glosa"), p, Some("no_acepta")),
                ("RE96", Some("ambas"), p, None),
                ("RE9601", Some("devolucion"), p, Some("no_acepta")),
                ("RE9602", Some("glosa"), p, Some("no_acepta")),
                ("RE97", Some("ambas"), p, None),
                ("RE9701", Some("devolucion"), p, Some("acepta_total")),
                ("RE9702", Some("glosa"), p, Some("acepta_total")),
                ("RE98", Some("glosa"), p, None),
                ("RE9801", Some("glosa"), p, Some("acepta_parcial")),
                ("RE99", Some("glosa"), p, None),
                ("RE9901", Some("glosa"), p, Some("no_acepta")),
                ("RE22", Some("ambas"), Some("pagador"), None),
                ("RE2201", Some("devolucion"), Some("pagador"), None),
                ("RE2202", Some("glosa"), Some("pagador"), None),
            ]
        );
        // Every Res. 2284 code has the shape its nivel says, and the concept of its letters.
        for c in catalogo.listar(None, Some(m)) {
            let largo = if c.nivel == Especifico { 4 } else { 6 };
            assert_eq!(c.codigo.chars().count(), largo, "{}", c.codigo);
        }
        let prefijos: Vec<&str> = catalogo
            .listar(Some(Glosa), Some(m))
            .iter()
            .filter(|c| c.nivel == Especifico)
            .map(|c| &c.codigo[..2])
            .fold(Vec::new(), |mut v, p| {
                if v.last() != Some(&p) {
                    v.push(p);
                }
                v
            });
        assert_eq!(prefijos, ["FA", "TA", "SO", "AU", "CO", "CL", "SA"]);
    }

    /// Anexo Técnico No. 3 of Res. 2284/2023 as OCR text, normalised: page headers (date stamp,
    /// "RESOLUCIÓN NÚMERO … HOJA No.", "Continuación de la resolución…", table headers) dropped,
    /// code tokens dropped (the OCR puts a code in the middle of its description, and renders
    /// "SO" as "$0", "50" or "S0" and "DE" as "0E"), whitespace collapsed. FUENTES.md describes
    /// the same normalisation, used to check every shipped description.
    fn anexo3_normalizado() -> String {
        let ruta = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../shared/samples/codes/Resolución No 2284 de 2023.txt"
        );
        let texto = std::fs::read_to_string(ruta).unwrap_or_else(|e| panic!("no se pudo leer {ruta}: {e}"));
        let inicio = texto
            .find("ANEXO TÉCNICO No. 3")
            .expect("inicio del Anexo Técnico No. 3");
        let fin = texto
            .find("2. Registro de la información transaccional")
            .expect("fin de las tablas del Anexo Técnico No. 3");
        let mut palabras: Vec<&str> = Vec::new();
        for linea in texto[inicio..fin].lines().map(str::trim) {
            let compacta: String = linea.chars().filter(|c| !c.is_whitespace()).collect();
            let letras: String = linea.chars().filter(|c| c.is_alphabetic()).collect();
            let encabezado = ["28DIC202", "28DIU202", "28DIO202"]
                .iter()
                .any(|f| compacta.contains(f))
                || linea.starts_with("RESOLUCIÓN NÚMERO")
                || linea.starts_with("HOJA No.")
                || linea.starts_with("Continuación de la resolución")
                || linea.starts_with("salud, el Manual Único de Devoluciones, Glosas y Respuestas y se dictan")
                || letras == "GLOSAS"
                || letras == "DEVOLUCIONES"
                || letras.starts_with("RESPUESTASADEVOLUCIONES")
                || letras.trim_start_matches('I') == "CÓDIGODESCRIPCIÓN"
                || letras.trim_start_matches('I') == "CODIGODESCRIPCIÓN";
            if encabezado {
                continue;
            }
            for palabra in linea.split_whitespace() {
                // ".S00102": the code goes, the punctuation the OCR glued to it stays.
                let nucleo = palabra.trim_start_matches(|c: char| c.is_ascii_punctuation() && c != '$');
                if !parece_codigo(nucleo) {
                    palabras.push(palabra);
                } else if nucleo.len() < palabra.len() {
                    palabras.push(&palabra[..palabra.len() - nucleo.len()]);
                }
            }
        }
        palabras.join(" ")
    }

    /// A code token of the OCR text, as printed or as the OCR garbles it.
    fn parece_codigo(palabra: &str) -> bool {
        let c: Vec<char> = palabra.chars().collect();
        let cifras = |resto: &[char], max: usize| {
            (2..=max).contains(&resto.len()) && resto.iter().all(|d| d.is_ascii_digit() || *d == '•')
        };
        let mayuscula = |x: char| x.is_ascii_uppercase();
        let impreso = c.len() >= 4
            && ((mayuscula(c[0]) && (mayuscula(c[1]) || c[1] == '0')) || (c[0] == '0' && mayuscula(c[1])))
            && cifras(&c[2..], 5);
        let deformado =
            c.len() >= 4 && (matches!((c[0], c[1]), ('$' | '5' | 'S', '0' | 'O') | ('0', 'E'))) && cifras(&c[2..], 4);
        let concepto = ["FA", "TA", "SO", "AU", "CO", "CL", "SA", "DE", "RE"].contains(&palabra);
        impreso || deformado || concepto
    }

    /// The descriptions that differ from the OCR text only by an OCR error, with the text as
    /// the OCR reads it and as shipped (FUENTES.md lists why for each).
    const CORRECCIONES_OCR: [(&str, &str, &str); 38] = [
        ("DE1601", "pertenecla", "pertenecía"),
        ("DE5001", "aqgada", "pagada"),
        (
            "DE5601",
            "'de la factura conforme al articulo 5",
            "de la factura conforme al artículo 5",
        ),
        ("FA16", "el Momento de la prestación", "el momento de la prestación"),
        (
            "FA2702",
            "tecnologias en salud que se encuentran ya cobrados",
            "tecnologías en salud que se encuentran ya cobrados",
        ),
        (
            "FA28",
            "servicio o tecnología de salud ya pagada al prestador",
            "Servicio o tecnología de salud ya pagada al prestador",
        ),
        (
            "FA2805",
            "se factura un servicio o tecnología de salud ya pagada",
            "Se factura un servicio o tecnología de salud ya pagada",
        ),
        (
            "FA5103",
            "en caso de urgencias ó por proceso",
            "en caso de urgencias o por proceso",
        ),
        (
            "FA5205",
            "el número de personas incluidas en la modalidad de pago prospectiva es",
            "El número de personas incluidas en la modalidad de pago prospectiva es",
        ),
        (
            "FA5901",
            "transporte no asistential ambulatorio",
            "transporte no asistencial ambulatorio",
        ),
        ("SO0101", "observación de urgéncias", "observación de urgencias"),
        ("SO0102", "urgencias no . corresponden", "urgencias no corresponden"),
        (
            "SO0401",
            "diferente a los-quirúrgicos y clinicos",
            "diferente a los quirúrgicos y clínicos",
        ),
        (
            "SO0601",
            "procedimientos quirúrgicos ó intervencionistas",
            "procedimientos quirúrgicos o intervencionistas",
        ),
        ("SO0801", "la _práctica del apoyo", "la práctica del apoyo"),
        (
            "SO2102",
            "el número de la autorización incluido en el RIPS no corresponde al prestador",
            "El número de la autorización incluido en el RIPS no corresponde al prestador",
        ),
        (
            "SO2103",
            "servicio o tecnolog_prestada o facturada",
            "servicio o tecnología prestada o facturada",
        ),
        (
            "SO3404",
            "no corres onde a la sersona atendida",
            "no corresponde a la persona atendida",
        ),
        (
            "SO36",
            "la entidad que , iaga sus veces",
            "la entidad que haga sus veces",
        ),
        (
            "SO3601",
            "compañia de seguros SOAT, la ADRES o la entidad que haga sus veces, cuando aplica, con",
            "compañía de seguros SOAT, la ADRES o la entidad que haga sus veces, cuando aplica, con",
        ),
        (
            "SO38",
            "traslado asistencial de sacientes",
            "traslado asistencial de pacientes",
        ),
        (
            "AU0102",
            "no corres sonde al autorizado",
            "no corresponde al autorizado",
        ),
        (
            "AU0702",
            "en la factura de-venta en salud presenta diferencia con la autorizada",
            "en la factura de venta en salud presenta diferencia con la autorizada",
        ),
        ("AU0703", "El principio ,activo", "El principio activo"),
        ("AU2301", "factura de venia en salud", "factura de venta en salud"),
        (
            "AU43",
            "autorización de servicios , vencida",
            "autorización de servicios vencida",
        ),
        (
            "AU4303",
            "autorización de-servicios registrado en los soportes de cobro ha superado el limite",
            "autorización de servicios registrado en los soportes de cobro ha superado el límite",
        ),
        ("AU5702", "factura de venta . en salud", "factura de venta en salud"),
        (
            "CO0101",
            "El número de dias en observación",
            "El número de días en observación",
        ),
        ("CO4601", "la póliza dé Seguro", "la póliza de Seguro"),
        (
            "CO5701",
            "un servicio Y se están cobrando",
            "un servicio y se están cobrando",
        ),
        ("CL0703", "corresponden á un suministro", "corresponden a un suministro"),
        (
            "SA5402",
            "relacionados cori las intervenciones",
            "relacionados con las intervenciones",
        ),
        ("SA5403", "evidencia del Cbmplimiento", "evidencia del cumplimiento"),
        (
            "SA5501",
            "modalidad de pago prospectíva",
            "modalidad de pago prospectiva",
        ),
        (
            "RE9501",
            "en el articulo 6 de la presente",
            "en el artículo 6 de la presente",
        ),
        (
            "RE22",
            "devolución y_glosa extemporánea",
            "devolución y glosa extemporánea",
        ),
        ("SO57", "Apoyo tera .éutico", "Apoyo terapéutico"),
    ];

    #[test]
    fn cada_descripcion_de_la_resolucion_2284_esta_en_su_texto() {
        let ocr = anexo3_normalizado();
        let mut corregido = ocr.clone();
        for (codigo, mal, bien) in CORRECCIONES_OCR {
            assert_eq!(
                corregido.matches(mal).count(),
                1,
                "{codigo}: «{mal}» debe estar una vez en el texto"
            );
            corregido = corregido.replacen(mal, bien, 1);
        }
        let mut literales = 0;
        for c in Catalogo::oficial().listar(None, Some(Manual::Res2284)) {
            let d = c.descripcion.as_str();
            assert!(
                !d.ends_with('.') && !d.contains('…') && !d.contains("  "),
                "{}: «{d}»",
                c.codigo
            );
            match CORRECCIONES_OCR.iter().find(|(codigo, _, _)| *codigo == c.codigo) {
                None => {
                    assert!(
                        ocr.contains(d),
                        "{}: «{d}» no está en el texto de la resolución",
                        c.codigo
                    );
                    literales += 1;
                }
                Some((_, mal, bien)) => {
                    // The correction is what makes the text hold this description (SO57's
                    // "Apoyo terapéutico" is also printed under FA57, so count, do not just look).
                    assert!(
                        corregido.matches(d).count() > ocr.matches(d).count(),
                        "{}: la corrección no añade «{d}» al texto; sobra en CORRECCIONES_OCR",
                        c.codigo
                    );
                    assert!(
                        d.contains(bien),
                        "{}: la corrección «{bien}» no está en «{d}» (OCR: «{mal}»)",
                        c.codigo
                    );
                    assert!(
                        corregido.contains(d),
                        "{}: «{d}» no está en el texto corregido",
                        c.codigo
                    );
                }
            }
        }
        assert_eq!(literales, 271);

        // A spot check, whole texts as the annex prints them.
        let catalogo = Catalogo::oficial();
        let descripcion = |codigo: &str| catalogo.buscar(codigo).unwrap().descripcion.as_str();
        assert_eq!(descripcion("DE50"), "Factura ya pagada o en trámite");
        assert_eq!(
            descripcion("DE5001"),
            "La totalidad de la factura fue pagada por la entidad responsable de pago"
        );
        assert_eq!(descripcion("FA19"), "Error en descuento pactado");
        assert_eq!(descripcion("TA09"), "Atención agrupada");
        assert_eq!(
            descripcion("CL59"),
            "Transporte no asistencial ambulatorio de las personas"
        );
        assert_eq!(
            descripcion("RE9602"),
            "El prestador de servicios de salud o proveedor de tecnologías en salud aporta a la entidad \
             responsable de pago la evidencia que demuestra que la glosa es injustificada al 100%"
        );
        assert_eq!(
            descripcion("RE2202"),
            "La entidad responsable de pago informa al prestador de servicios de salud o proveedor de \
             tecnologías en salud que la respuesta a la glosa se presenta por fuera de los términos legales, \
             configurándose la aceptación tácita de la glosa"
        );
        for codigo in [
            "DE4401", "FA0101", "TA0901", "SO6101", "AU2103", "CO4601", "CL5301", "SA5603", "RE9502",
        ] {
            assert!(corregido.contains(descripcion(codigo)), "{codigo}");
        }
    }

    #[test]
    fn codigos_conocidos_con_su_manual_tipo_y_efecto() {
        let catalogo = Catalogo::oficial();
        let casos = [
            ("101", Manual::Res3047, TipoCodigo::Glosa, "facturacion", None),
            ("229", Manual::Res3047, TipoCodigo::Glosa, "tarifas", None),
            ("343", Manual::Res3047, TipoCodigo::Glosa, "soportes", None),
            ("444", Manual::Res3047, TipoCodigo::Glosa, "autorizaciones", None),
            ("546", Manual::Res3047, TipoCodigo::Glosa, "cobertura", None),
            ("653", Manual::Res3047, TipoCodigo::Glosa, "pertinencia", None),
            ("850", Manual::Res3047, TipoCodigo::Devolucion, "devolucion", None),
            (
                "996",
                Manual::Res3047,
                TipoCodigo::Respuesta,
                "respuesta",
                Some(EfectoRespuesta::NoAcepta),
            ),
            (
                "997",
                Manual::Res3047,
                TipoCodigo::Respuesta,
                "respuesta",
                Some(EfectoRespuesta::AceptaTotal),
            ),
            (
                "998",
                Manual::Res3047,
                TipoCodigo::Respuesta,
                "respuesta",
                Some(EfectoRespuesta::AceptaParcial),
            ),
            (
                "999",
                Manual::Res3047,
                TipoCodigo::Respuesta,
                "respuesta",
                Some(EfectoRespuesta::NoAcepta),
            ),
            ("FA0101", Manual::Res2284, TipoCodigo::Glosa, "facturacion", None),
            ("TA0901", Manual::Res2284, TipoCodigo::Glosa, "tarifas", None),
            ("SO3401", Manual::Res2284, TipoCodigo::Glosa, "soportes", None),
            ("AU2103", Manual::Res2284, TipoCodigo::Glosa, "autorizaciones", None),
            ("CO4601", Manual::Res2284, TipoCodigo::Glosa, "cobertura", None),
            ("CL5301", Manual::Res2284, TipoCodigo::Glosa, "calidad", None),
            (
                "SA5601",
                Manual::Res2284,
                TipoCodigo::Glosa,
                "seguimiento_acuerdos",
                None,
            ),
            ("DE5601", Manual::Res2284, TipoCodigo::Devolucion, "devolucion", None),
            (
                "RE9502",
                Manual::Res2284,
                TipoCodigo::Respuesta,
                "respuesta",
                Some(EfectoRespuesta::NoAcepta),
            ),
            (
                "RE9602",
                Manual::Res2284,
                TipoCodigo::Respuesta,
                "respuesta",
                Some(EfectoRespuesta::NoAcepta),
            ),
            (
                "RE9701",
                Manual::Res2284,
                TipoCodigo::Respuesta,
                "respuesta",
                Some(EfectoRespuesta::AceptaTotal),
            ),
            (
                "RE9702",
                Manual::Res2284,
                TipoCodigo::Respuesta,
                "respuesta",
                Some(EfectoRespuesta::AceptaTotal),
            ),
            (
                "RE9801",
                Manual::Res2284,
                TipoCodigo::Respuesta,
                "respuesta",
                Some(EfectoRespuesta::AceptaParcial),
            ),
            (
                "RE9901",
                Manual::Res2284,
                TipoCodigo::Respuesta,
                "respuesta",
                Some(EfectoRespuesta::NoAcepta),
            ),
            ("RE2201", Manual::Res2284, TipoCodigo::Respuesta, "respuesta", None),
        ];
        for (codigo, manual, tipo, concepto, efecto) in casos {
            let c = catalogo.buscar(codigo).unwrap_or_else(|| panic!("falta {codigo}"));
            assert_eq!(c.codigo, codigo);
            assert_eq!(
                (c.manual, c.tipo, c.concepto.as_str(), c.efecto_respuesta, c.nivel),
                (manual, tipo, concepto, efecto, Nivel::Aplicacion)
            );
            assert!(!c.descripcion.is_empty());
        }
        assert_eq!(catalogo.buscar("101").unwrap().descripcion, "Estancia");
        assert_eq!(
            catalogo.buscar("102").unwrap().descripcion,
            "Consultas, interconsultas y visitas médicas"
        );
        assert_eq!(catalogo.buscar("FA01").unwrap().nivel, Nivel::Especifico);
        assert!(catalogo.buscar("700").is_none());
        assert!(catalogo.buscar("").is_none());
    }

    #[test]
    fn el_efecto_va_en_las_respuestas_del_prestador_que_se_imputan() {
        for c in Catalogo::oficial().listar(None, None) {
            let imputable_del_prestador =
                c.tipo == TipoCodigo::Respuesta && c.nivel == Nivel::Aplicacion && c.emisor == Some(Emisor::Prestador);
            assert_eq!(
                c.efecto_respuesta.is_some(),
                imputable_del_prestador,
                "{} ({})",
                c.codigo,
                c.tipo
            );
            assert_eq!(c.responde_a.is_some(), c.tipo == TipoCodigo::Respuesta, "{}", c.codigo);
            assert_eq!(c.emisor.is_some(), c.tipo == TipoCodigo::Respuesta, "{}", c.codigo);
        }
    }

    #[test]
    fn las_equivalencias_oficiales_van_de_un_manual_al_otro() {
        let catalogo = Catalogo::oficial();
        for c in catalogo.listar(None, None) {
            if let Some(e) = catalogo.equivalente(&c.codigo) {
                assert_eq!(e.manual, c.manual.otro(), "{} → {}", c.codigo, e.codigo);
                assert_eq!(catalogo.equivalente(&e.codigo).unwrap().codigo, c.codigo);
                assert_eq!(
                    (e.tipo, e.efecto_respuesta),
                    (c.tipo, c.efecto_respuesta),
                    "{}",
                    c.codigo
                );
            }
        }
        // By meaning, not an official table (FUENTES.md): only the one-to-one pairs.
        let equivalente = |c: &str| catalogo.equivalente(c).map(|e| e.codigo.as_str());
        assert_eq!(equivalente("998"), Some("RE9801"));
        assert_eq!(equivalente("999"), Some("RE9901"));
        assert_eq!(equivalente("RE9801"), Some("998"));
        assert_eq!(equivalente("996"), None);
        assert_eq!(equivalente("997"), None);
        assert_eq!(equivalente("101"), None);
    }

    #[test]
    fn los_conceptos_se_corresponden_por_su_nombre() {
        let catalogo = Catalogo::oficial();
        let casos = [
            ("101", Some("FA")),
            ("229", Some("TA")),
            ("343", Some("SO")),
            ("444", Some("AU")),
            ("546", Some("CO")),
            ("653", Some("CL")),
            ("850", Some("DE")),
            (" 996 ", Some("RE")),
            ("fa0101", Some("1")),
            ("FA01", Some("1")),
            ("TA0901", Some("2")),
            ("SO3401", Some("3")),
            ("AU2103", Some("4")),
            ("CO4601", Some("5")),
            ("CL5301", Some("6")),
            ("DE1601", Some("8")),
            ("RE9602", Some("9")),
            ("SA5401", None),
            ("FA9999", None),
            ("AÑ123", None),
            ("", None),
        ];
        for (codigo, esperado) in casos {
            assert_eq!(catalogo.concepto_equivalente(codigo), esperado, "{codigo:?}");
        }
        // The concept names agree, except pertinencia (Res. 3047) inside calidad (Res. 2284).
        for c in catalogo.listar(None, Some(Manual::Res3047)) {
            let letras = catalogo.concepto_equivalente(&c.codigo).unwrap();
            let de_2284 = catalogo.listar(Some(c.tipo), Some(Manual::Res2284));
            let otro = de_2284.iter().find(|o| o.codigo.starts_with(letras)).unwrap();
            let esperado = if c.concepto == "pertinencia" {
                "calidad"
            } else {
                c.concepto.as_str()
            };
            assert_eq!(otro.concepto, esperado, "{}", c.codigo);
        }
    }

    #[test]
    fn buscar_ignora_mayusculas_y_espacios() {
        let catalogo = Catalogo::oficial();
        for texto in ["re9602", " RE9602 ", "Re9602\t"] {
            assert_eq!(
                catalogo.buscar(texto).map(|c| c.codigo.as_str()),
                Some("RE9602"),
                "{texto:?}"
            );
        }
        assert_eq!(catalogo.buscar("  996 ").map(|c| c.codigo.as_str()), Some("996"));
    }

    #[test]
    fn listar_filtra_por_tipo_y_manual_en_el_orden_del_archivo() {
        let catalogo = Catalogo::parse(&csv(&[R101, RE96, RE9602, R850, R996]), EQ_VACIO).unwrap();
        let codigos = |v: Vec<&Codigo>| v.iter().map(|c| c.codigo.clone()).collect::<Vec<_>>();
        assert_eq!(
            codigos(catalogo.listar(None, None)),
            ["101", "RE96", "RE9602", "850", "996"]
        );
        assert_eq!(
            codigos(catalogo.listar(Some(TipoCodigo::Respuesta), None)),
            ["RE96", "RE9602", "996"]
        );
        assert_eq!(
            codigos(catalogo.listar(None, Some(Manual::Res3047))),
            ["101", "850", "996"]
        );
        assert_eq!(
            codigos(catalogo.listar(Some(TipoCodigo::Respuesta), Some(Manual::Res2284))),
            ["RE96", "RE9602"]
        );
        assert!(catalogo
            .listar(Some(TipoCodigo::Glosa), Some(Manual::Res2284))
            .is_empty());
    }

    #[test]
    fn dividir_linea_respeta_comillas_comas_y_comillas_dobladas() {
        let ok = |l: &str| dividir_linea(l).unwrap();
        assert_eq!(ok("a,b,c"), ["a", "b", "c"]);
        assert_eq!(ok("a,,c,"), ["a", "", "c", ""]);
        assert_eq!(ok(""), [""]);
        assert_eq!(
            ok(r#"102,"Consultas, interconsultas y visitas médicas",x"#),
            ["102", "Consultas, interconsultas y visitas médicas", "x"]
        );
        assert_eq!(ok(r#""dice ""hola"", y se va",b"#), [r#"dice "hola", y se va"#, "b"]);
        assert_eq!(ok(r#""""#), [""]);
        assert_eq!(ok(r#""""""#), [r#"""#]);
        assert_eq!(ok(r#"a,"",c"#), ["a", "", "c"]);
        assert_eq!(ok(r#"a,"b,c""#), ["a", "b,c"]);
    }

    #[test]
    fn dividir_linea_rechaza_comillas_mal_puestas() {
        assert_eq!(dividir_linea(r#"a,"sin cerrar"#).unwrap_err().0, 1);
        assert!(dividir_linea(r#"a,"sin cerrar"#).unwrap_err().1.contains("sin cerrar"));
        assert_eq!(dividir_linea(r#"a,b,"c"d"#).unwrap_err().0, 2);
        assert_eq!(dividir_linea(r#"ab"c,d"#).unwrap_err().0, 0);
    }

    #[test]
    fn las_descripciones_entre_comillas_se_leen_enteras() {
        let catalogo = Catalogo::parse(
            &csv(&[r#"113,res3047,glosa,aplicacion,facturacion,"Facturar por separado (CTC, ATEP, ""tutelas"")",,,"#]),
            EQ_VACIO,
        )
        .unwrap();
        assert_eq!(
            catalogo.buscar("113").unwrap().descripcion,
            r#"Facturar por separado (CTC, ATEP, "tutelas")"#
        );
    }

    #[test]
    fn acepta_bom_crlf_y_lineas_en_blanco_sin_perder_la_cuenta() {
        let texto =
            format!("\u{feff}{ENCABEZADO}\r\n{R101}\r\n\r\n102,res3047,x,aplicacion,facturacion,Consultas,,,\r\n");
        assert!(error(&texto, EQ_VACIO).starts_with("codigos.csv línea 4, columna tipo:"));
        let texto = format!("\u{feff}{ENCABEZADO}\r\n{R101}\r\n\r\n");
        assert_eq!(
            Catalogo::parse(&texto, EQ_VACIO)
                .unwrap()
                .buscar("101")
                .unwrap()
                .descripcion,
            "Estancia"
        );
    }

    #[test]
    fn los_errores_nombran_linea_y_columna() {
        let casos: [(&[&str], &str); 31] = [
            (
                &[R101, "201,res3048,glosa,aplicacion,tarifas,Estancia,,,"],
                "codigos.csv línea 3, columna manual: se espera res3047 o res2284",
            ),
            (
                &["101,res3047,glosas,aplicacion,facturacion,Estancia,,,"],
                "codigos.csv línea 2, columna tipo: se espera glosa, devolucion o respuesta",
            ),
            (
                &["101,res3047,glosa,aplicación,facturacion,Estancia,,,"],
                "codigos.csv línea 2, columna nivel: se espera especifico o aplicacion",
            ),
            (
                &["996,res3047,respuesta,aplicacion,respuesta,Injustificada,rechaza,ambas,prestador"],
                "codigos.csv línea 2, columna efecto_respuesta: se espera acepta_total, acepta_parcial o no_acepta",
            ),
            (
                &["996,res3047,respuesta,aplicacion,respuesta,Injustificada,no_acepta,las dos,prestador"],
                "codigos.csv línea 2, columna responde_a: se espera glosa, devolucion o ambas",
            ),
            (
                &["996,res3047,respuesta,aplicacion,respuesta,Injustificada,no_acepta,ambas,IPS"],
                "codigos.csv línea 2, columna emisor: se espera prestador o pagador",
            ),
            (
                &["996,res3047,respuesta,aplicacion,respuesta,Injustificada,,ambas,prestador"],
                "codigos.csv línea 2, columna efecto_respuesta: un código de respuesta necesita su efecto",
            ),
            (
                &["996,res3047,respuesta,aplicacion,respuesta,Injustificada,no_acepta,,prestador"],
                "codigos.csv línea 2, columna responde_a: un código de respuesta dice qué responde",
            ),
            (
                &["996,res3047,respuesta,aplicacion,respuesta,Injustificada,no_acepta,ambas,"],
                "codigos.csv línea 2, columna emisor: un código de respuesta dice quién lo envía",
            ),
            (
                &["101,res3047,glosa,aplicacion,facturacion,Estancia,no_acepta,,"],
                "codigos.csv línea 2, columna efecto_respuesta: solo los códigos de respuesta llevan efecto",
            ),
            (
                &["850,res3047,devolucion,aplicacion,devolucion,Factura ya cancelada,acepta_total,,"],
                "codigos.csv línea 2, columna efecto_respuesta: solo los códigos de respuesta llevan efecto",
            ),
            (
                &["101,res3047,glosa,aplicacion,facturacion,Estancia,,glosa,"],
                "codigos.csv línea 2, columna responde_a: solo los códigos de respuesta llevan responde_a",
            ),
            (
                &["101,res3047,glosa,aplicacion,facturacion,Estancia,,,prestador"],
                "codigos.csv línea 2, columna emisor: solo los códigos de respuesta llevan emisor",
            ),
            (
                &["RE96,res2284,respuesta,especifico,respuesta,Injustificada,no_acepta,ambas,prestador"],
                "codigos.csv línea 2, columna efecto_respuesta: el título RE96 no se imputa y no lleva efecto",
            ),
            (
                &["RE2202,res2284,respuesta,aplicacion,respuesta,Aviso,acepta_total,glosa,pagador"],
                "codigos.csv línea 2, columna efecto_respuesta: RE2202 es un aviso del pagador",
            ),
            (
                &[R101, "101,res3047,glosa,aplicacion,facturacion,Otra,,,"],
                "codigos.csv línea 3, columna codigo: el código 101 ya está en la línea 2",
            ),
            (
                &["101,res3047,devolucion,aplicacion,facturacion,Estancia,,,"],
                "codigos.csv línea 2, columna tipo: el código 101 es de tipo glosa en res3047",
            ),
            (
                &["101,res3047,glosa,especifico,facturacion,Estancia,,,"],
                "codigos.csv línea 2, columna nivel: el código 101 es de nivel aplicacion en res3047",
            ),
            (
                &["FA01,res2284,glosa,aplicacion,facturacion,Estancia,,,"],
                "codigos.csv línea 2, columna nivel: el código FA01 es de nivel especifico en res2284",
            ),
            (
                &["FA0101,res2284,glosa,especifico,facturacion,Estancia,,,"],
                "codigos.csv línea 2, columna nivel: el código FA0101 es de nivel aplicacion en res2284",
            ),
            (
                &["201,res3047,glosa,aplicacion,facturacion,Estancia,,,"],
                "codigos.csv línea 2, columna concepto: el código 201 es del concepto tarifas en res3047",
            ),
            (
                &["CL0101,res2284,glosa,aplicacion,pertinencia,Estancia no pertinente,,,"],
                "codigos.csv línea 2, columna concepto: el código CL0101 es del concepto calidad en res2284",
            ),
            (
                &["1011,res3047,glosa,aplicacion,facturacion,Estancia,,,"],
                "codigos.csv línea 2, columna codigo: se esperan tres dígitos",
            ),
            (
                &["701,res3047,glosa,aplicacion,facturacion,Estancia,,,"],
                "codigos.csv línea 2, columna codigo: el primer dígito de '701'",
            ),
            (
                &["XX0101,res2284,glosa,aplicacion,facturacion,Algo,,,"],
                "codigos.csv línea 2, columna codigo: 'XX' no es un concepto",
            ),
            (
                &["FA010,res2284,glosa,aplicacion,facturacion,Algo,,,"],
                "codigos.csv línea 2, columna codigo: se esperan dos letras mayúsculas y dos dígitos",
            ),
            (
                &["AÑ0101,res2284,glosa,aplicacion,facturacion,Algo,,,"],
                "codigos.csv línea 2, columna codigo: se esperan dos letras mayúsculas",
            ),
            (
                &["1Ñ1,res3047,glosa,aplicacion,facturacion,Algo,,,"],
                "codigos.csv línea 2, columna codigo: se esperan tres dígitos",
            ),
            (
                &["101,res3047,glosa,aplicacion,facturacion,Estancia,"],
                "codigos.csv línea 2: se esperan 9 columnas",
            ),
            (
                &[r#"101,res3047,glosa,aplicacion,facturacion,"Estancia,,,"#],
                "codigos.csv línea 2, columna descripcion: comilla sin cerrar",
            ),
            (
                &["101,res3047,glosa,aplicacion,facturacion,  ,,,"],
                "codigos.csv línea 2, columna descripcion: está vacía",
            ),
        ];
        for (filas, esperado) in casos {
            let e = error(&csv(filas), EQ_VACIO);
            assert!(e.starts_with(esperado), "se esperaba «{esperado}…», llegó «{e}»");
        }
    }

    #[test]
    fn los_codigos_de_aplicacion_cuelgan_de_su_titulo() {
        let fa01 = "FA01,res2284,glosa,especifico,facturacion,Estancia u observación de urgencias,,,";
        let fa0101 = "FA0101,res2284,glosa,aplicacion,facturacion,El cargo por estancia,,,";
        assert!(Catalogo::parse(&csv(&[fa01, fa0101]), EQ_VACIO).is_ok());
        // The order of the rows does not matter.
        assert!(Catalogo::parse(&csv(&[fa0101, fa01]), EQ_VACIO).is_ok());
        let casos: [(&[&str], &str); 4] = [
            (
                &[fa0101],
                "codigos.csv línea 2, columna codigo: el código FA0101 no tiene su título FA01 en codigos.csv",
            ),
            (
                &[fa01],
                "codigos.csv línea 2, columna codigo: el título FA01 no tiene códigos de aplicación en codigos.csv",
            ),
            (
                &[RE96, "RE9602,res2284,respuesta,aplicacion,respuesta,Aviso,,glosa,pagador"],
                "codigos.csv línea 3, columna emisor: RE9602 lo envía pagador, pero su título RE96 (línea 2) lo envía prestador",
            ),
            (
                &[
                    "RE98,res2284,respuesta,especifico,respuesta,Glosa parcialmente aceptada,,glosa,prestador",
                    "RE9801,res2284,respuesta,aplicacion,respuesta,Parcial,acepta_parcial,devolucion,prestador",
                ],
                "codigos.csv línea 3, columna responde_a: RE9801 responde a devolucion, pero su título RE98 (línea 2) solo a glosa",
            ),
        ];
        for (filas, esperado) in casos {
            let e = error(&csv(filas), EQ_VACIO);
            assert_eq!(e, esperado);
        }
    }

    #[test]
    fn un_codigo_repetido_nombra_la_linea_anterior() {
        // The index is case-insensitive, but a lowercase code never gets that far: the
        // structure check rejects it first, so the duplicate is written the same way.
        let e = error(
            &csv(&[
                RE96,
                RE9602,
                "RE9602,res2284,respuesta,aplicacion,respuesta,Otra vez,no_acepta,glosa,prestador",
            ]),
            EQ_VACIO,
        );
        assert_eq!(
            e,
            "codigos.csv línea 4, columna codigo: el código RE9602 ya está en la línea 3"
        );
        assert!(error(
            &csv(&["re9602,res2284,respuesta,aplicacion,respuesta,x,no_acepta,glosa,prestador"]),
            EQ_VACIO
        )
        .starts_with("codigos.csv línea 2, columna codigo: se esperan dos letras mayúsculas"));
    }

    #[test]
    fn encabezado_y_archivo_vacio() {
        assert!(error("", EQ_VACIO).starts_with("codigos.csv está vacío"));
        assert!(error("codigo,manual,tipo\n", EQ_VACIO).starts_with("codigos.csv línea 1: se espera el encabezado"));
        // The header of the previous format (six columns) is refused, naming the new one.
        assert!(
            error("codigo,manual,tipo,concepto,descripcion,efecto_respuesta\n", EQ_VACIO)
                .starts_with(&format!("codigos.csv línea 1: se espera el encabezado {ENCABEZADO}"))
        );
        assert!(error(&csv(&[]), "res3047,res2284\n").starts_with("equivalencias.csv línea 1: se espera el encabezado"));
        assert!(Catalogo::parse(&csv(&[]), EQ_VACIO)
            .unwrap()
            .listar(None, None)
            .is_empty());
    }

    #[test]
    fn equivalencias_en_ambos_sentidos_y_sus_errores() {
        let codigos = csv(&[R101, R996, R997, RE96, RE9602, RE97, RE9702]);
        let catalogo = Catalogo::parse(&codigos, &format!("{EQ_VACIO}996,re9602\n")).unwrap();
        assert_eq!(catalogo.equivalente("996").unwrap().codigo, "RE9602");
        assert_eq!(catalogo.equivalente(" re9602 ").unwrap().codigo, "996");
        assert!(catalogo.equivalente("997").is_none());
        assert!(catalogo.equivalente("no-existe").is_none());

        let casos = [
            ("996,RE9999\n", "equivalencias.csv línea 2, columna codigo_res2284: el código RE9999 no está en codigos.csv"),
            ("RE9602,996\n", "equivalencias.csv línea 2, columna codigo_res3047: el código RE9602 es de res2284, no de res3047"),
            ("996,RE9602\n997,RE9602\n", "equivalencias.csv línea 3, columna codigo_res2284: el código RE9602 ya tiene equivalente en la línea 2"),
            (",RE9602\n", "equivalencias.csv línea 2, columna codigo_res3047: está vacío"),
            ("996\n", "equivalencias.csv línea 2: se esperan 2 columnas"),
            ("996,RE96\n", "equivalencias.csv línea 2, columna codigo_res2284: el código RE96 es un título"),
            ("101,RE9602\n", "equivalencias.csv línea 2: 101 es de tipo glosa y RE9602 de tipo respuesta"),
        ];
        for (filas, esperado) in casos {
            let e = error(&codigos, &format!("{EQ_VACIO}{filas}"));
            assert!(e.starts_with(esperado), "se esperaba «{esperado}…», llegó «{e}»");
        }
    }

    #[test]
    fn los_enums_van_y_vuelven_como_texto() {
        for m in Manual::ALL {
            assert_eq!(m.as_str().parse::<Manual>().unwrap(), m);
            assert_eq!(serde_json::to_string(&m).unwrap(), format!("\"{}\"", m.as_str()));
            assert_eq!(m.otro().otro(), m);
        }
        for t in TipoCodigo::ALL {
            assert_eq!(t.as_str().parse::<TipoCodigo>().unwrap(), t);
            assert_eq!(serde_json::to_string(&t).unwrap(), format!("\"{}\"", t.as_str()));
        }
        for e in EfectoRespuesta::ALL {
            assert_eq!(e.as_str().parse::<EfectoRespuesta>().unwrap(), e);
            assert_eq!(serde_json::to_string(&e).unwrap(), format!("\"{}\"", e.as_str()));
        }
        for n in Nivel::ALL {
            assert_eq!(n.as_str().parse::<Nivel>().unwrap(), n);
            assert_eq!(serde_json::to_string(&n).unwrap(), format!("\"{}\"", n.as_str()));
        }
        for o in ObjetoRespuesta::ALL {
            assert_eq!(o.as_str().parse::<ObjetoRespuesta>().unwrap(), o);
            assert_eq!(serde_json::to_string(&o).unwrap(), format!("\"{}\"", o.as_str()));
        }
        for e in Emisor::ALL {
            assert_eq!(e.as_str().parse::<Emisor>().unwrap(), e);
            assert_eq!(serde_json::to_string(&e).unwrap(), format!("\"{}\"", e.as_str()));
        }
        assert_eq!(serde_json::to_string(&RespondeA::Devolucion).unwrap(), "\"devolucion\"");
        // rename_all = "snake_case" must not split the digits off: "res3047", not "res_3047".
        assert_eq!(serde_json::to_string(&Manual::Res3047).unwrap(), "\"res3047\"");
        assert_eq!(serde_json::to_string(&Manual::Res2284).unwrap(), "\"res2284\"");
        assert_eq!(
            serde_json::to_string(&EfectoRespuesta::AceptaParcial).unwrap(),
            "\"acepta_parcial\""
        );
        assert!("Glosa".parse::<TipoCodigo>().is_err());
        // What each responde_a admits.
        use ObjetoRespuesta as O;
        use RespondeA as A;
        assert!(O::Ambas.admite(A::Glosa) && O::Ambas.admite(A::Devolucion));
        assert!(O::Glosa.admite(A::Glosa) && !O::Glosa.admite(A::Devolucion));
        assert!(O::Devolucion.admite(A::Devolucion) && !O::Devolucion.admite(A::Glosa));
    }

    #[test]
    fn un_codigo_se_serializa_con_los_textos_del_csv() {
        let json = serde_json::to_value(Catalogo::oficial().buscar("998").unwrap()).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "codigo": "998",
                "manual": "res3047",
                "tipo": "respuesta",
                "nivel": "aplicacion",
                "concepto": "respuesta",
                "descripcion": "Subsanada parcial (Glosa o devolución parcialmente aceptada)",
                "efecto_respuesta": "acepta_parcial",
                "responde_a": "ambas",
                "emisor": "prestador",
            })
        );
        let json = serde_json::to_value(Catalogo::oficial().buscar("101").unwrap()).unwrap();
        assert_eq!(json["efecto_respuesta"], serde_json::Value::Null);
        assert_eq!(json["responde_a"], serde_json::Value::Null);
        assert_eq!(json["emisor"], serde_json::Value::Null);
        assert_eq!(json["nivel"], "aplicacion");
        let json = serde_json::to_value(Catalogo::oficial().buscar("RE2201").unwrap()).unwrap();
        assert_eq!(
            (
                &json["nivel"],
                &json["responde_a"],
                &json["emisor"],
                &json["efecto_respuesta"]
            ),
            (
                &serde_json::json!("aplicacion"),
                &serde_json::json!("devolucion"),
                &serde_json::json!("pagador"),
                &serde_json::Value::Null
            )
        );
        let json = serde_json::to_value(Catalogo::oficial().buscar("FA01").unwrap()).unwrap();
        assert_eq!(
            (&json["nivel"], &json["concepto"]),
            (&serde_json::json!("especifico"), &serde_json::json!("facturacion"))
        );
    }
}

#[cfg(test)]
mod validar_tests {
    use super::*;

    const ANTES: &str = "2024-09-30";
    const DESPUES: &str = "2025-03-03";

    fn fecha(texto: &str) -> NaiveDate {
        texto.parse().unwrap()
    }

    fn cat() -> &'static Catalogo {
        Catalogo::oficial()
    }

    #[test]
    fn la_vigencia_decide_los_manuales() {
        assert_eq!(VIGENCIA_RES2284, fecha("2024-10-01"));
        assert_eq!(
            Catalogo::manuales_para(fecha("2024-09-30")),
            [Manual::Res3047, Manual::Res2284]
        );
        assert_eq!(
            Catalogo::manuales_para(fecha("2008-08-15")),
            [Manual::Res3047, Manual::Res2284]
        );
        assert_eq!(Catalogo::manuales_para(fecha("2024-10-01")), [Manual::Res2284]);
        assert_eq!(Catalogo::manuales_para(fecha("2025-03-03")), [Manual::Res2284]);
    }

    #[test]
    fn glosas_de_la_tabla_y_del_manual_vigente() {
        let g = cat().validar_glosa(" fa0101 ", fecha(DESPUES)).unwrap();
        assert_eq!(
            g,
            CodigoUsado {
                codigo: "FA0101".to_string(),
                manual: Manual::Res2284,
                descripcion: Some(cat().buscar("FA0101").unwrap().descripcion.clone()),
                efecto_respuesta: None,
            }
        );
        // Res. 2284 codes may be used before its vigencia too; Res. 3047 codes only before.
        assert!(cat().validar_glosa("FA0101", fecha(ANTES)).is_ok());
        let v = cat().validar_glosa("101", fecha(ANTES)).unwrap();
        assert_eq!((v.codigo.as_str(), v.manual), ("101", Manual::Res3047));
        assert_eq!(
            cat().validar_glosa("101", fecha(DESPUES)).unwrap_err(),
            "'101' es del manual de la Resolución 3047 de 2008, que solo aplica a facturas expedidas antes \
             del 2024-10-01; esta factura es del 2025-03-03"
        );
        assert!(cat().validar_glosa("653", fecha("2024-10-01")).is_err());
        assert!(cat().validar_glosa("653", fecha("2024-09-30")).is_ok());
        assert!(cat().validar_glosa("SA5603", fecha(DESPUES)).is_ok());
    }

    #[test]
    fn una_glosa_fuera_de_la_tabla_se_rechaza() {
        assert_eq!(
            cat().validar_glosa("FA9999", fecha(DESPUES)).unwrap_err(),
            "'FA9999' no está en el Manual Único de la Resolución 2284 de 2023 (art. 4: la lista es taxativa); \
             vea GET /api/v1/catalogos/codigos"
        );
        assert_eq!(
            cat().validar_glosa(" fa9999 ", fecha(ANTES)).unwrap_err(),
            "'fa9999' no está en el Manual Único de la Resolución 2284 de 2023 ni en el de la Resolución 3047 \
             de 2008 (art. 4: la lista es taxativa); vea GET /api/v1/catalogos/codigos"
        );
        // Shapes the old check let through are now refused: only the table counts.
        for codigo in [
            "FA0104", "SA0101", "TA9999", "700", "118", "FA0101x", "FA 0101", "F A0101",
        ] {
            let e = cat().validar_glosa(codigo, fecha(DESPUES)).unwrap_err();
            assert!(e.contains("no está en el Manual Único"), "{codigo}: {e}");
        }
    }

    #[test]
    fn un_titulo_no_se_imputa() {
        assert_eq!(
            cat().validar_glosa("FA01", fecha(DESPUES)).unwrap_err(),
            "FA01 es un título («Estancia u observación de urgencias»), no un código que se impute; impute uno \
             de FA0101, FA0102, FA0103, FA0105 (Resolución 2284 de 2023, Anexo Técnico No. 3)"
        );
        let e = cat().validar_devolucion("de16", fecha(DESPUES)).unwrap_err();
        assert!(
            e.starts_with("DE16 es un título") && e.contains("impute uno de DE1601 ("),
            "{e}"
        );
        let e = cat()
            .validar_respuesta("RE96", RespondeA::Glosa, false, fecha(DESPUES))
            .unwrap_err();
        assert!(
            e.starts_with("RE96 es un título") && e.contains("impute uno de RE9602 ("),
            "{e}"
        );
        let e = cat()
            .validar_respuesta("RE96", RespondeA::Devolucion, false, fecha(DESPUES))
            .unwrap_err();
        assert!(e.contains("impute uno de RE9601 ("), "{e}");
        let e = cat().validar_aviso("RE22", RespondeA::Glosa).unwrap_err();
        assert!(
            e.starts_with("RE22 es un título") && e.contains("impute uno de RE2202 ("),
            "{e}"
        );
        // Every heading of the table is refused, for its own use.
        for c in cat().listar(None, Some(Manual::Res2284)) {
            if c.nivel != Nivel::Especifico {
                continue;
            }
            let e = match (c.tipo, c.emisor) {
                (TipoCodigo::Glosa, _) => cat().validar_glosa(&c.codigo, fecha(DESPUES)),
                (TipoCodigo::Devolucion, _) => cat().validar_devolucion(&c.codigo, fecha(DESPUES)),
                (_, Some(Emisor::Pagador)) => cat().validar_aviso(&c.codigo, RespondeA::Glosa),
                _ => cat().validar_respuesta(&c.codigo, RespondeA::Glosa, true, fecha(DESPUES)),
            }
            .unwrap_err();
            assert!(e.starts_with(&format!("{} es un título", c.codigo)), "{e}");
        }
    }

    #[test]
    fn cada_codigo_para_su_uso() {
        let d = fecha(DESPUES);
        let e = cat().validar_glosa("DE1601", d).unwrap_err();
        assert!(
            e.starts_with("'DE1601' es un código de devolución, no de glosa; se espera un código de aplicación FA"),
            "{e}"
        );
        let e = cat().validar_glosa("RE9602", d).unwrap_err();
        assert!(e.starts_with("'RE9602' es un código de respuesta, no de glosa"), "{e}");
        let e = cat().validar_glosa("RE2202", d).unwrap_err();
        assert!(
            e.starts_with("'RE2202' es un aviso del pagador, no un código de glosa"),
            "{e}"
        );
        let e = cat().validar_devolucion("FA0101", d).unwrap_err();
        assert!(
            e.starts_with("'FA0101' es un código de glosa, no de devolución; se espera un código de aplicación DE"),
            "{e}"
        );
        let e = cat()
            .validar_respuesta("101", RespondeA::Glosa, false, fecha(ANTES))
            .unwrap_err();
        assert!(e.starts_with("'101' es un código de glosa, no de respuesta"), "{e}");
        assert!(e.contains("996 a 999"), "{e}");

        let dv = cat().validar_devolucion("DE5601", d).unwrap();
        assert_eq!((dv.codigo.as_str(), dv.manual), ("DE5601", Manual::Res2284));
        assert!(cat().validar_devolucion("816", fecha(ANTES)).is_ok());
        assert!(cat()
            .validar_devolucion("816", d)
            .unwrap_err()
            .starts_with("'816' es del manual de la Resolución 3047 de 2008"));
    }

    #[test]
    fn respuestas_segun_lo_que_responden() {
        let d = fecha(DESPUES);
        let r = cat().validar_respuesta("re9602", RespondeA::Glosa, false, d).unwrap();
        assert_eq!(
            (r.codigo.as_str(), r.efecto_respuesta),
            ("RE9602", Some(EfectoRespuesta::NoAcepta))
        );
        let r = cat().validar_respuesta("RE9801", RespondeA::Glosa, false, d).unwrap();
        assert_eq!(r.efecto_respuesta, Some(EfectoRespuesta::AceptaParcial));
        let r = cat()
            .validar_respuesta("RE9701", RespondeA::Devolucion, false, d)
            .unwrap();
        assert_eq!(r.efecto_respuesta, Some(EfectoRespuesta::AceptaTotal));

        let e = cat()
            .validar_respuesta("RE9601", RespondeA::Glosa, false, d)
            .unwrap_err();
        assert!(e.starts_with("RE9601 responde a una devolución, no a una glosa; se espera una respuesta a glosa (RE9502, RE9602, RE9702, RE9801 o RE9901)"), "{e}");
        let e = cat()
            .validar_respuesta("RE9602", RespondeA::Devolucion, false, d)
            .unwrap_err();
        assert!(e.starts_with("RE9602 responde a una glosa, no a una devolución; se espera una respuesta a devolución (RE9501, RE9601 o RE9701)"), "{e}");
        for codigo in ["RE9801", "RE9901", "RE9702"] {
            let e = cat()
                .validar_respuesta(codigo, RespondeA::Devolucion, false, d)
                .unwrap_err();
            assert!(
                e.starts_with(&format!("{codigo} responde a una glosa, no a una devolución")),
                "{e}"
            );
        }
        // 996–999 answer both, for invoices of the old manual.
        for codigo in ["996", "997", "998", "999"] {
            for a in RespondeA::ALL {
                assert!(
                    cat().validar_respuesta(codigo, a, false, fecha(ANTES)).is_ok(),
                    "{codigo} {a:?}"
                );
            }
            let e = cat().validar_respuesta(codigo, RespondeA::Glosa, false, d).unwrap_err();
            assert!(
                e.starts_with(&format!("'{codigo}' es del manual de la Resolución 3047 de 2008")),
                "{e}"
            );
        }
        assert!(cat()
            .validar_respuesta("RE1234", RespondeA::Glosa, false, d)
            .unwrap_err()
            .starts_with("'RE1234' no está en el Manual Único"));
    }

    #[test]
    fn re95_solo_contesta_lo_extemporaneo() {
        let d = fecha(DESPUES);
        assert_eq!(
            cat()
                .validar_respuesta("RE9502", RespondeA::Glosa, false, d)
                .unwrap_err(),
            "RE9502 solo responde a una glosa extemporánea; esta glosa se recibió en término"
        );
        assert_eq!(
            cat()
                .validar_respuesta("RE9501", RespondeA::Devolucion, false, d)
                .unwrap_err(),
            "RE9501 solo responde a una devolución extemporánea; esta devolución se recibió en término"
        );
        let r = cat().validar_respuesta("RE9502", RespondeA::Glosa, true, d).unwrap();
        assert_eq!(
            (r.codigo.as_str(), r.efecto_respuesta),
            ("RE9502", Some(EfectoRespuesta::NoAcepta))
        );
        assert!(cat()
            .validar_respuesta("RE9501", RespondeA::Devolucion, true, d)
            .is_ok());
        // Even when late, each answers only its own object.
        assert!(cat()
            .validar_respuesta("RE9501", RespondeA::Glosa, true, d)
            .unwrap_err()
            .starts_with("RE9501 responde a una devolución, no a una glosa"));
        assert!(cat()
            .validar_respuesta("RE9502", RespondeA::Devolucion, true, d)
            .unwrap_err()
            .starts_with("RE9502 responde a una glosa, no a una devolución"));
        // Other answers do not depend on lateness.
        assert!(cat().validar_respuesta("RE9602", RespondeA::Glosa, true, d).is_ok());
    }

    #[test]
    fn re2201_y_re2202_son_avisos_del_pagador() {
        let d = fecha(DESPUES);
        assert_eq!(
            cat()
                .validar_respuesta("RE2202", RespondeA::Glosa, false, d)
                .unwrap_err(),
            "RE2202 es el aviso del pagador de que la respuesta a una glosa llegó fuera de término (aceptación \
             tácita); regístrelo como aviso del pagador, no como respuesta del prestador"
        );
        let e = cat()
            .validar_respuesta("re2201", RespondeA::Devolucion, true, d)
            .unwrap_err();
        assert!(
            e.starts_with("RE2201 es el aviso del pagador de que la respuesta a una devolución llegó fuera de término"),
            "{e}"
        );

        let a = cat().validar_aviso(" re2201 ", RespondeA::Devolucion).unwrap();
        assert_eq!(
            (a.codigo.as_str(), a.manual, a.efecto_respuesta),
            ("RE2201", Manual::Res2284, None)
        );
        assert_eq!(
            cat().validar_aviso("RE2202", RespondeA::Glosa).unwrap().codigo,
            "RE2202"
        );
        assert_eq!(
            cat().validar_aviso("RE2201", RespondeA::Glosa).unwrap_err(),
            "RE2201 avisa la aceptación tácita de una devolución, no de una glosa; para una glosa el aviso es RE2202"
        );
        assert_eq!(
            cat().validar_aviso("RE2202", RespondeA::Devolucion).unwrap_err(),
            "RE2202 avisa la aceptación tácita de una glosa, no de una devolución; para una devolución el aviso es RE2201"
        );
        let avisos = "los avisos del pagador son RE2201 (aceptación tácita de una devolución) o RE2202 (aceptación tácita de una glosa)";
        assert_eq!(
            cat().validar_aviso("RE9602", RespondeA::Glosa).unwrap_err(),
            format!("'RE9602' es una respuesta del prestador, no un aviso del pagador; {avisos}")
        );
        assert_eq!(
            cat().validar_aviso("FA0101", RespondeA::Glosa).unwrap_err(),
            format!("'FA0101' es un código de glosa, no un aviso del pagador; {avisos}")
        );
        assert_eq!(
            cat().validar_aviso("RE2203", RespondeA::Glosa).unwrap_err(),
            format!("'RE2203' no está en el Manual Único de la Resolución 2284 de 2023 (art. 4: la lista es taxativa); {avisos}")
        );
        assert!(cat()
            .validar_aviso("996", RespondeA::Glosa)
            .unwrap_err()
            .contains("no un aviso del pagador"));
        assert_eq!(
            cat().validar_aviso("  ", RespondeA::Glosa).unwrap_err(),
            format!("falta el código del aviso del pagador; se espera RE2201 (aceptación tácita de una devolución) o RE2202 (aceptación tácita de una glosa)")
        );
    }

    #[test]
    fn ninguna_entrada_hace_caer_al_servicio() {
        let raros = [
            "",
            "   ",
            "\t\n",
            "ñ",
            "Ñ",
            "AÑ123",
            "AÑ1234",
            "ÑA0101",
            "FAÑ101",
            "😀",
            "FA😀01",
            "😀😀😀😀😀😀",
            "ß",
            "ǅ0101",
            "İ",
            "FA0101\u{0}",
            "\u{feff}FA0101",
            "RE",
            "R",
            "9",
            "99",
            "9999",
            "०१२",
            "FA٠١٠١",
            "ＦＡ０１０１",
            "fa01",
            "re95",
            "re22",
            "\u{200b}",
            "a\u{301}",
            &"X".repeat(10_000),
            &"ñ".repeat(3_000),
        ];
        let c = cat();
        for texto in raros {
            for f in [fecha(ANTES), fecha(DESPUES)] {
                let _ = c.validar_glosa(texto, f);
                let _ = c.validar_devolucion(texto, f);
                for a in RespondeA::ALL {
                    let _ = c.validar_respuesta(texto, a, true, f);
                    let _ = c.validar_respuesta(texto, a, false, f);
                }
            }
            for a in RespondeA::ALL {
                let _ = c.validar_aviso(texto, a);
            }
            let _ = c.buscar(texto);
            let _ = c.equivalente(texto);
            let _ = c.concepto_equivalente(texto);
            for m in Manual::ALL {
                let _ = estructura(m, texto);
            }
        }
        // What the clerk reads: the code as typed, cut if long, without control characters.
        let e = c.validar_glosa("AÑ123", fecha(DESPUES)).unwrap_err();
        assert!(e.starts_with("'AÑ123' no está en el Manual Único"), "{e}");
        let e = c.validar_glosa("ñ", fecha(DESPUES)).unwrap_err();
        assert!(e.starts_with("'ñ' no está en el Manual Único"), "{e}");
        let e = c.validar_devolucion("😀", fecha(DESPUES)).unwrap_err();
        assert!(e.starts_with("'😀' no está en el Manual Único"), "{e}");
        let e = c.validar_glosa(&"ñ".repeat(3_000), fecha(DESPUES)).unwrap_err();
        assert!(e.starts_with(&format!("'{}…' no está", "ñ".repeat(24))), "{e}");
        let e = c.validar_glosa("FA\u{0}01", fecha(DESPUES)).unwrap_err();
        assert!(e.starts_with("'FA\u{fffd}01' no está"), "{e}");
        for vacio in ["", "   ", "\t"] {
            let e = c.validar_glosa(vacio, fecha(DESPUES)).unwrap_err();
            assert_eq!(e, "falta el código de glosa; se espera un código de aplicación FA, TA, SO, AU, CO, CL o SA (p. ej. FA0101); vea GET /api/v1/catalogos/codigos");
            let e = c.validar_devolucion(vacio, fecha(ANTES)).unwrap_err();
            assert!(
                e.starts_with("falta el código de devolución; se espera un código de aplicación DE"),
                "{e}"
            );
            assert!(e.contains("(p. ej. 816)"), "{e}");
            let e = c
                .validar_respuesta(vacio, RespondeA::Glosa, false, fecha(DESPUES))
                .unwrap_err();
            assert!(
                e.starts_with("falta el código de respuesta; se espera una respuesta a glosa (RE9502"),
                "{e}"
            );
        }
        // A code with a multibyte character in a CSV row is an error naming the column, not a panic.
        for fila in [
            "AÑ123,res2284,glosa,aplicacion,facturacion,x,,,",
            "AÑ1,res3047,glosa,aplicacion,facturacion,x,,,",
            "😀,res3047,glosa,aplicacion,facturacion,x,,,",
            "Ñ,res2284,glosa,aplicacion,facturacion,x,,,",
        ] {
            let e = Catalogo::parse(
                &format!("{}\n{fila}\n", CODIGOS_ENCABEZADO.join(",")),
                "codigo_res3047,codigo_res2284\n",
            )
            .unwrap_err();
            assert!(e.starts_with("codigos.csv línea 2, columna codigo:"), "{e}");
        }
    }

    #[test]
    fn the_codes_offered_are_exactly_those_accepted() {
        let c = Catalogo::oficial();
        let nueva = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        let glosas = c.glosas_para(nueva);
        assert!(glosas.iter().any(|g| g.codigo == "FA0101"));
        assert!(glosas
            .iter()
            .all(|g| g.manual == Manual::Res2284 && g.nivel == Nivel::Aplicacion));
        let respuestas = c.respuestas_para(RespondeA::Glosa, false, nueva);
        assert!(respuestas.iter().any(|r| r.codigo == "RE9801"));
        // RE9502 answers only an extemporánea glosa; RE2202 is the payer's notice, never offered.
        assert!(!respuestas.iter().any(|r| r.codigo == "RE9502" || r.codigo == "RE2202"));
        assert!(c
            .respuestas_para(RespondeA::Glosa, true, nueva)
            .iter()
            .any(|r| r.codigo == "RE9502"));
    }

    #[test]
    fn the_devolucion_codes_offered_are_exactly_those_accepted() {
        let c = Catalogo::oficial();
        let nueva = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        let vieja = NaiveDate::from_ymd_opt(2024, 3, 1).unwrap();
        for fecha in [nueva, vieja] {
            let ofrecidos = c.devoluciones_para(fecha);
            assert!(!ofrecidos.is_empty());
            // Every code of the table is offered exactly when it is accepted.
            for x in c.listar(None, None) {
                assert_eq!(
                    ofrecidos.iter().any(|o| o.codigo == x.codigo),
                    c.validar_devolucion(&x.codigo, fecha).is_ok(),
                    "{} {fecha}",
                    x.codigo
                );
            }
        }
        let nuevos = c.devoluciones_para(nueva);
        assert!(nuevos.iter().any(|d| d.codigo == "DE1601"));
        assert!(nuevos
            .iter()
            .all(|d| d.manual == Manual::Res2284 && d.tipo == TipoCodigo::Devolucion && d.nivel == Nivel::Aplicacion));
        // Before the Res. 2284 was in force, the old manual's 8xx codes are accepted too.
        assert!(c.devoluciones_para(vieja).iter().any(|d| d.manual == Manual::Res3047));
        // Answers to a devolución: RE9501 only for an extemporánea one.
        let respuestas = c.respuestas_para(RespondeA::Devolucion, false, nueva);
        assert!(respuestas.iter().any(|r| r.codigo == "RE9601"));
        assert!(!respuestas.iter().any(|r| r.codigo == "RE9501" || r.codigo == "RE2201"));
    }
}
