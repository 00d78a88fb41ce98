//! Reading XML safely: bytes → text (UTF-8, or the encoding the XML declaration names) → a small
//! tree whose elements are identified by namespace URI and local name, never by prefix.
//!
//! Tokenizing is quick-xml's [`NsReader`]; this module only decides what is acceptable:
//! no `<!DOCTYPE` (so no entity declarations and nothing to expand), only the five predefined
//! entities and character references, a maximum nesting depth, one root element.

use std::borrow::Cow;

use quick_xml::errors::{Error as XmlError, IllFormedError, SyntaxError};
use quick_xml::escape::EscapeError;
use quick_xml::events::attributes::AttrError;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::reader::{NsReader, Reader};
use quick_xml::XmlVersion;

use crate::error::{ImportError, Ubicacion};

// Namespaces of UBL 2.1 as used by DIAN (Anexo técnico de factura electrónica de venta v1.9,
// and the OASIS UBL 2.1 schemas it adopts: http://docs.oasis-open.org/ubl/os-UBL-2.1/).
pub(crate) const NS_INVOICE: &str = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2";
pub(crate) const NS_CREDIT_NOTE: &str = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2";
pub(crate) const NS_DEBIT_NOTE: &str = "urn:oasis:names:specification:ubl:schema:xsd:DebitNote-2";
pub(crate) const NS_ATTACHED: &str = "urn:oasis:names:specification:ubl:schema:xsd:AttachedDocument-2";
/// RADIAN events (Res. DIAN 000085 de 2022) travel as UBL 2.1 `ApplicationResponse`.
pub(crate) const NS_APPLICATION_RESPONSE: &str = "urn:oasis:names:specification:ubl:schema:xsd:ApplicationResponse-2";
pub(crate) const NS_CAC: &str = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2";
pub(crate) const NS_CBC: &str = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2";
pub(crate) const NS_EXT: &str = "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2";
/// DIAN's own extension namespace (`sts:DianExtensions`).
pub(crate) const NS_STS: &str = "dian:gov:co:facturaelectronica:Structures-2-1";

/// The namespace of an element, resolved from its URI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Ns {
    Ninguno,
    Invoice,
    CreditNote,
    DebitNote,
    Attached,
    ApplicationResponse,
    Cac,
    Cbc,
    Ext,
    Sts,
    Otro(Box<str>),
}

impl Ns {
    fn desde_uri(uri: &str) -> Ns {
        match uri {
            NS_INVOICE => Ns::Invoice,
            NS_CREDIT_NOTE => Ns::CreditNote,
            NS_DEBIT_NOTE => Ns::DebitNote,
            NS_ATTACHED => Ns::Attached,
            NS_APPLICATION_RESPONSE => Ns::ApplicationResponse,
            NS_CAC => Ns::Cac,
            NS_CBC => Ns::Cbc,
            NS_EXT => Ns::Ext,
            NS_STS => Ns::Sts,
            "" => Ns::Ninguno,
            otro => Ns::Otro(otro.into()),
        }
    }

    pub(crate) fn uri(&self) -> &str {
        match self {
            Ns::Ninguno => "",
            Ns::Invoice => NS_INVOICE,
            Ns::CreditNote => NS_CREDIT_NOTE,
            Ns::DebitNote => NS_DEBIT_NOTE,
            Ns::Attached => NS_ATTACHED,
            Ns::ApplicationResponse => NS_APPLICATION_RESPONSE,
            Ns::Cac => NS_CAC,
            Ns::Cbc => NS_CBC,
            Ns::Ext => NS_EXT,
            Ns::Sts => NS_STS,
            Ns::Otro(u) => u,
        }
    }

    /// The prefix DIAN's documentation uses for this namespace, whatever the file uses.
    fn prefijo(&self) -> Option<&'static str> {
        match self {
            Ns::Cac => Some("cac"),
            Ns::Cbc => Some("cbc"),
            Ns::Ext => Some("ext"),
            Ns::Sts => Some("sts"),
            _ => None,
        }
    }
}

/// `cbc:PayableAmount`-style name with the conventional prefix (document namespaces and
/// unknown namespaces print the bare local name).
pub(crate) fn nombre(ns: &Ns, local: &str) -> String {
    match ns.prefijo() {
        Some(p) => format!("{p}:{local}"),
        None => local.to_string(),
    }
}

#[derive(Debug)]
pub(crate) struct Nodo {
    pub ns: Ns,
    pub local: String,
    /// The name exactly as written in the file (for messages such as "se esperaba </a:Foo>").
    pub qname: String,
    /// Attributes by local name (UBL attributes such as `schemeID` are unqualified).
    pub attrs: Vec<(String, String)>,
    /// Text and CDATA directly inside the element, entities already resolved.
    pub texto: String,
    pub padre: Option<usize>,
    pub hijos: Vec<usize>,
    /// One past the index of the last descendant: descendants are `i + 1..fin` (nodes are
    /// stored in document order).
    pub fin: usize,
}

/// A parsed document: nodes in document order, the root at index 0.
#[derive(Debug)]
pub(crate) struct Arbol {
    pub nodos: Vec<Nodo>,
    /// Path prepended to every XPath (the wrapper's path for a document embedded in an
    /// AttachedDocument; empty otherwise).
    pub base: String,
}

impl Arbol {
    pub(crate) fn es(&self, i: usize, ns: &Ns, local: &str) -> bool {
        let n = &self.nodos[i];
        n.ns == *ns && n.local == local
    }

    pub(crate) fn hijos<'a>(&'a self, i: usize, ns: &'a Ns, local: &'a str) -> impl Iterator<Item = usize> + 'a {
        self.nodos[i]
            .hijos
            .iter()
            .copied()
            .filter(move |&h| self.es(h, ns, local))
    }

    pub(crate) fn hijo(&self, i: usize, ns: &Ns, local: &str) -> Option<usize> {
        self.hijos(i, ns, local).next()
    }

    /// Follows a chain of child elements.
    pub(crate) fn camino(&self, i: usize, pasos: &[(Ns, &str)]) -> Option<usize> {
        pasos
            .iter()
            .try_fold(i, |actual, (ns, local)| self.hijo(actual, ns, local))
    }

    pub(crate) fn descendientes(&self, i: usize) -> std::ops::Range<usize> {
        i + 1..self.nodos[i].fin
    }

    /// Text of the element without surrounding whitespace.
    pub(crate) fn texto(&self, i: usize) -> &str {
        self.nodos[i].texto.trim()
    }

    pub(crate) fn atributo(&self, i: usize, local: &str) -> Option<&str> {
        self.nodos[i]
            .attrs
            .iter()
            .find(|(k, _)| k == local)
            .map(|(_, v)| v.as_str())
    }

    /// XPath of an element with conventional prefixes, e.g.
    /// `/Invoice/cac:InvoiceLine[2]/cbc:LineExtensionAmount`. A sibling index is shown when
    /// the element has siblings of the same name.
    pub(crate) fn ruta(&self, i: usize) -> String {
        ruta(&self.nodos, &self.base, i)
    }

    /// XPath of a child that is not there (for "falta ..." errors).
    pub(crate) fn ruta_hijo(&self, i: usize, ns: &Ns, local: &str) -> String {
        format!("{}/{}", self.ruta(i), nombre(ns, local))
    }
}

fn error(archivo: &str, ubicacion: Ubicacion, campo: Option<&str>, mensaje: impl Into<String>) -> ImportError {
    ImportError::new(archivo, ubicacion, campo, mensaje)
}

/// The part of a bad value shown in a message: enough to recognise it, never a whole file.
pub(crate) fn muestra(valor: &str) -> String {
    const MAX: usize = 60;
    if valor.chars().count() > MAX {
        let corto: String = valor.chars().take(MAX).collect();
        format!("{corto}…")
    } else {
        valor.to_string()
    }
}

// ---------------------------------------------------------------------------------------------
// Bytes → text
// ---------------------------------------------------------------------------------------------

/// The encoding named in the XML declaration, if the input starts with one. The declaration
/// is ASCII in every encoding we accept, so it is read with quick-xml from the first bytes.
fn codificacion_declarada(bytes: &[u8]) -> Option<String> {
    if !bytes.starts_with(b"<?xml") {
        return None;
    }
    let ventana = &bytes[..bytes.len().min(1024)];
    let fin = ventana.windows(2).position(|w| w == b"?>")? + 2;
    let decl = std::str::from_utf8(&ventana[..fin]).ok()?;
    match Reader::from_str(decl).read_event() {
        Ok(Event::Decl(d)) => match d.encoding() {
            Some(Ok(e)) => Some(e.trim().to_string()),
            _ => None,
        },
        _ => None,
    }
}

/// Decodes the file: UTF-8 with or without BOM, UTF-16 with BOM, or the encoding of the XML
/// declaration. ISO-8859-1 is decoded as windows-1252, as the WHATWG Encoding Standard
/// (which encoding_rs implements) prescribes for that label.
pub(crate) fn decodificar<'a>(bytes: &'a [u8], archivo: &str) -> Result<Cow<'a, str>, ImportError> {
    if let Some((enc, largo_bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let resto = &bytes[largo_bom..];
        return if enc == encoding_rs::UTF_8 {
            utf8(resto, archivo, "UTF-8 (con BOM)")
        } else {
            match enc.decode_without_bom_handling_and_without_replacement(resto) {
                Some(t) => Ok(Cow::Owned(t.into_owned())),
                None => Err(error(
                    archivo,
                    Ubicacion::Archivo,
                    None,
                    format!(
                        "el archivo empieza con la marca de {} pero su contenido no es válido en esa codificación",
                        enc.name()
                    ),
                )),
            }
        };
    }
    let Some(etiqueta) = codificacion_declarada(bytes) else {
        return utf8(bytes, archivo, "UTF-8");
    };
    let Some(enc) = encoding_rs::Encoding::for_label(etiqueta.as_bytes()) else {
        return Err(error(
            archivo,
            Ubicacion::Archivo,
            None,
            format!(
                "la declaración XML pide la codificación '{}', que no se reconoce; se espera UTF-8 o ISO-8859-1",
                muestra(&etiqueta)
            ),
        ));
    };
    if enc == encoding_rs::UTF_8 {
        return utf8(bytes, archivo, "UTF-8");
    }
    // encoding_rs maps the labels "iso-8859-1" and "latin1" to windows-1252: every byte is a
    // character, so decoding cannot fail.
    match enc.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(t) => Ok(Cow::Owned(t.into_owned())),
        None => Err(error(
            archivo,
            Ubicacion::Archivo,
            None,
            format!(
                "el archivo dice estar en {} pero tiene bytes que no son válidos en esa codificación",
                enc.name()
            ),
        )),
    }
}

fn utf8<'a>(bytes: &'a [u8], archivo: &str, como: &str) -> Result<Cow<'a, str>, ImportError> {
    match std::str::from_utf8(bytes) {
        Ok(t) => Ok(Cow::Borrowed(t)),
        Err(e) => {
            let pos = e.valid_up_to();
            Err(error(
                archivo,
                Ubicacion::Linea(linea(bytes, pos)),
                None,
                format!(
                    "el archivo se lee como {como} pero el byte {} no es UTF-8 válido; si fue guardado en \
                     ISO-8859-1 (ANSI), la declaración debe decir <?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>",
                    pos + 1
                ),
            ))
        }
    }
}

fn linea(bytes: &[u8], pos: usize) -> usize {
    let hasta = pos.min(bytes.len());
    bytes[..hasta].iter().filter(|&&b| b == b'\n').count() + 1
}

// ---------------------------------------------------------------------------------------------
// Text → tree
// ---------------------------------------------------------------------------------------------

pub(crate) const MENSAJE_DOCTYPE: &str = "el XML no puede declarar DOCTYPE ni entidades";

fn segmento(nodos: &[Nodo], i: usize) -> String {
    let n = &nodos[i];
    let nombre = nombre(&n.ns, &n.local);
    if let Some(p) = n.padre {
        let mismos: Vec<usize> = nodos[p]
            .hijos
            .iter()
            .copied()
            .filter(|&h| nodos[h].ns == n.ns && nodos[h].local == n.local)
            .collect();
        if mismos.len() > 1 {
            let pos = mismos.iter().position(|&h| h == i).unwrap_or(0) + 1;
            return format!("{nombre}[{pos}]");
        }
    }
    nombre
}

fn ruta(nodos: &[Nodo], base: &str, i: usize) -> String {
    let mut segmentos = Vec::new();
    let mut actual = Some(i);
    while let Some(j) = actual {
        segmentos.push(segmento(nodos, j));
        actual = nodos[j].padre;
    }
    segmentos.reverse();
    format!("{base}/{}", segmentos.join("/"))
}

/// Builds the tree of `texto`, refusing DOCTYPE, undeclared entities, unbound prefixes, more
/// than one root and nesting deeper than `max_profundidad`. `base` is prepended to XPaths.
pub(crate) fn construir(texto: &str, archivo: &str, max_profundidad: usize, base: &str) -> Result<Arbol, ImportError> {
    let mut c = Constructor {
        archivo,
        texto,
        base,
        nodos: Vec::new(),
        pila: Vec::new(),
    };
    let mut r = NsReader::from_str(texto);
    let mut raiz_cerrada = false;
    loop {
        let (ns, evento) = match r.read_resolved_event() {
            Ok((res, ev)) => {
                let ns = match res {
                    ResolveResult::Bound(n) => Ok(Ns::desde_uri(n.0)),
                    ResolveResult::Unbound => Ok(Ns::Ninguno),
                    ResolveResult::Unknown(p) => Err(p),
                };
                (ns, ev)
            }
            Err(e) => return Err(c.error_xml(&e, r.error_position())),
        };
        let pos = r.buffer_position();
        match evento {
            Event::Start(e) | Event::Empty(e) if raiz_cerrada => {
                return Err(c.error(
                    pos,
                    format!(
                        "después de cerrar el elemento raíz aparece otro elemento <{}>; un XML tiene un solo elemento raíz",
                        muestra(e.name().into_inner())
                    ),
                ));
            }
            Event::Start(e) => {
                let i = c.abrir(&e, ns, max_profundidad, pos)?;
                c.pila.push(i);
            }
            Event::Empty(e) => {
                let i = c.abrir(&e, ns, max_profundidad, pos)?;
                c.nodos[i].fin = i + 1;
                raiz_cerrada = c.pila.is_empty();
            }
            Event::End(e) => {
                let Some(i) = c.pila.pop() else {
                    return Err(c.error(
                        pos,
                        format!(
                            "llegó </{}> sin su etiqueta de apertura",
                            muestra(e.name().into_inner())
                        ),
                    ));
                };
                c.nodos[i].fin = c.nodos.len();
                raiz_cerrada = c.pila.is_empty();
            }
            Event::Text(t) => c.texto(&t.xml10_content(), pos)?,
            Event::CData(t) => c.texto(&t.xml10_content(), pos)?,
            Event::GeneralRef(g) => {
                let resuelto = if g.is_char_ref() {
                    match g.resolve_char_ref() {
                        Ok(Some(ch)) => ch,
                        _ => {
                            return Err(c.error(
                                pos,
                                format!("la referencia de carácter '&{};' no es válida", muestra(&g)),
                            ))
                        }
                    }
                } else {
                    match &*g {
                        "lt" => '<',
                        "gt" => '>',
                        "amp" => '&',
                        "apos" => '\'',
                        "quot" => '"',
                        otra => return Err(c.error(pos, mensaje_entidad(otra))),
                    }
                };
                c.texto(resuelto.encode_utf8(&mut [0; 4]), pos)?;
            }
            Event::DocType(_) => return Err(c.error_sin_linea(MENSAJE_DOCTYPE.to_string())),
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
            Event::Eof => {
                if let Some(&abierto) = c.pila.last() {
                    let qname = muestra(&c.nodos[abierto].qname);
                    return Err(c.error_sin_linea(format!(
                        "el archivo se corta antes de terminar: se esperaba </{qname}> para cerrar <{qname}> \
                         (¿el archivo llegó incompleto?)"
                    )));
                }
                if c.nodos.is_empty() {
                    return Err(c.error_sin_linea(
                        "el archivo no contiene ningún elemento XML; se espera una factura electrónica \
                         (Invoice, CreditNote, DebitNote o AttachedDocument)"
                            .to_string(),
                    ));
                }
                break;
            }
        }
    }
    Ok(Arbol {
        nodos: c.nodos,
        base: base.to_string(),
    })
}

fn mensaje_entidad(nombre: &str) -> String {
    format!(
        "la referencia '&{};' no es una de las entidades predefinidas de XML (&amp; &lt; &gt; &quot; &apos;); \
         este lector no expande entidades",
        muestra(nombre)
    )
}

struct Constructor<'a> {
    archivo: &'a str,
    texto: &'a str,
    base: &'a str,
    nodos: Vec<Nodo>,
    pila: Vec<usize>,
}

impl Constructor<'_> {
    /// Where a problem found while reading is: the innermost open element, or the wrapper
    /// element for an embedded document, or the file.
    fn ubicacion(&self) -> (Ubicacion, Option<String>) {
        match self.pila.last() {
            Some(&i) => (
                Ubicacion::XPath(ruta(&self.nodos, self.base, i)),
                Some(nombre(&self.nodos[i].ns, &self.nodos[i].local)),
            ),
            None if !self.base.is_empty() => (Ubicacion::XPath(self.base.to_string()), None),
            None => (Ubicacion::Archivo, None),
        }
    }

    fn error_sin_linea(&self, mensaje: String) -> ImportError {
        let (ubicacion, campo) = self.ubicacion();
        error(self.archivo, ubicacion, campo.as_deref(), mensaje)
    }

    fn error(&self, pos: u64, mensaje: String) -> ImportError {
        let pos = usize::try_from(pos).unwrap_or(usize::MAX);
        let n = linea(self.texto.as_bytes(), pos);
        self.error_sin_linea(format!("{mensaje} (línea {n})"))
    }

    fn error_xml(&self, e: &XmlError, pos: u64) -> ImportError {
        let detalle = match e {
            XmlError::Syntax(s) => match s {
                SyntaxError::UnclosedDoctype => return self.error_sin_linea(MENSAJE_DOCTYPE.to_string()),
                SyntaxError::InvalidBangMarkup => {
                    "hay un marcado '<!' que no es un comentario <!-- --> ni un bloque <![CDATA[ ]]>".to_string()
                }
                SyntaxError::UnclosedPI | SyntaxError::UnclosedXmlDecl => {
                    "una instrucción '<?' no se cierra: se esperaba '?>'".to_string()
                }
                SyntaxError::UnclosedComment => "un comentario no se cierra: se esperaba '-->'".to_string(),
                SyntaxError::UnclosedCData => "un bloque CDATA no se cierra: se esperaba ']]>'".to_string(),
                SyntaxError::UnclosedTag => "una etiqueta no se cierra: se esperaba '>'".to_string(),
                SyntaxError::UnclosedSingleQuotedAttributeValue => {
                    "el valor de un atributo no se cierra: se esperaba la comilla ' de cierre".to_string()
                }
                SyntaxError::UnclosedDoubleQuotedAttributeValue => {
                    "el valor de un atributo no se cierra: se esperaba la comilla \" de cierre".to_string()
                }
            },
            XmlError::IllFormed(i) => match i {
                IllFormedError::MissingDoctypeName => return self.error_sin_linea(MENSAJE_DOCTYPE.to_string()),
                IllFormedError::MissingEndTag(n) => format!("se esperaba </{}>", muestra(n)),
                IllFormedError::UnmatchedEndTag(n) => {
                    format!("llegó </{}> sin su etiqueta de apertura", muestra(n))
                }
                IllFormedError::MismatchedEndTag { expected, found } => {
                    format!("se esperaba </{}> y llegó </{}>", muestra(expected), muestra(found))
                }
                IllFormedError::UnclosedReference => {
                    "un '&' no termina en ';' (para escribir el carácter & use &amp;)".to_string()
                }
                otro => format!("el XML no está bien formado ({otro})"),
            },
            XmlError::InvalidAttr(a) => match a {
                AttrError::Duplicated(..) => "un elemento repite el mismo atributo".to_string(),
                _ => "un atributo está mal escrito; se espera nombre=\"valor\"".to_string(),
            },
            XmlError::Escape(EscapeError::UnrecognizedEntity(_, nombre)) => {
                return self.error(pos, mensaje_entidad(nombre));
            }
            XmlError::Escape(_) => "una referencia '&...;' no es válida".to_string(),
            otro => format!("el XML no está bien formado ({otro})"),
        };
        self.error(pos, format!("el XML está incompleto o dañado: {detalle}"))
    }

    fn abrir(
        &mut self,
        e: &BytesStart<'_>,
        ns: Result<Ns, String>,
        max_profundidad: usize,
        pos: u64,
    ) -> Result<usize, ImportError> {
        let qname = e.name().into_inner();
        let ns = ns.map_err(|p| {
            self.error(
                pos,
                format!(
                    "el prefijo '{}' de <{}> no está declarado (falta xmlns:{}=\"...\")",
                    muestra(&p),
                    muestra(qname),
                    muestra(&p)
                ),
            )
        })?;
        if self.pila.len() >= max_profundidad {
            return Err(self.error(
                pos,
                format!(
                    "el XML anida más de {max_profundidad} niveles de elementos; no parece una factura electrónica"
                ),
            ));
        }
        let mut attrs = Vec::new();
        for a in e.attributes() {
            let a = a.map_err(|err| self.error_xml(&XmlError::InvalidAttr(err), pos))?;
            if a.key.as_namespace_binding().is_some() {
                continue;
            }
            let valor = a
                .normalized_value(XmlVersion::Implicit1_0)
                .map_err(|err| self.error_xml(&err, pos))?;
            attrs.push((a.key.local_name().into_inner().to_string(), valor.into_owned()));
        }
        let i = self.nodos.len();
        let padre = self.pila.last().copied();
        self.nodos.push(Nodo {
            ns,
            local: e.local_name().into_inner().to_string(),
            qname: qname.to_string(),
            attrs,
            texto: String::new(),
            padre,
            hijos: Vec::new(),
            fin: i + 1,
        });
        if let Some(p) = padre {
            self.nodos[p].hijos.push(i);
        }
        Ok(i)
    }

    fn texto(&mut self, t: &str, pos: u64) -> Result<(), ImportError> {
        match self.pila.last() {
            Some(&i) => {
                self.nodos[i].texto.push_str(t);
                Ok(())
            }
            None if t.trim().is_empty() => Ok(()),
            None if self.nodos.is_empty() => Err(self.error(
                pos,
                format!(
                    "el archivo no parece XML: antes del primer elemento hay texto '{}'; se espera una factura \
                     electrónica (Invoice, CreditNote, DebitNote o AttachedDocument)",
                    muestra(t.trim())
                ),
            )),
            None => Err(self.error(
                pos,
                format!("después de cerrar el elemento raíz hay texto '{}'", muestra(t.trim())),
            )),
        }
    }
}
