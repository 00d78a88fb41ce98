//! A bank's CSV or Excel export read with its profile, through the same machinery as the payers'
//! sheets (format by content, CSV encodings and delimiters, header row among the first 30).

use calamine::Reader as _;

use super::perfil::{
    PerfilBanco, CAMPOS, C_CREDITO, C_DEBITO, C_DESCRIPCION, C_FECHA, C_FECHA_VALOR, C_NIT, C_NOMBRE, C_REFERENCIA,
    C_VALOR,
};
use super::{valor, Extracto, Movimiento};
use crate::error::{ImportError, Ubicacion};
use crate::sheets::normalizar;
use crate::sheets::tabla::{self, Buscado, Formato, Hoja, Parcial, FILAS_BUSQUEDA_ENCABEZADO};
use crate::sheets::valores::{self, Celda};

/// Reads the credits of a bank's export (csv, xlsx, xls, ods) with its profile: every credit, or
/// every problem found (each naming the row, the field, the cell and its column's title).
pub fn hoja(bytes: &[u8], archivo: &str, perfil: &PerfilBanco) -> Result<Extracto, Vec<ImportError>> {
    // The amount column the profile uses is required to find the header row.
    let con_signo = perfil.columnas.contains_key("valor");
    let campos: Vec<(&'static str, bool)> = CAMPOS
        .iter()
        .map(|(c, r)| {
            (
                *c,
                *r || (*c == "valor" && con_signo) || (*c == "credito" && !con_signo),
            )
        })
        .collect();
    let buscado = Buscado {
        campos: &campos,
        alias: campos
            .iter()
            .map(|(c, _)| {
                perfil
                    .columnas
                    .get(*c)
                    .map(|v| v.iter().map(|a| normalizar(a)).collect())
                    .unwrap_or_default()
            })
            .collect(),
    };
    let formato = tabla::detectar(bytes, archivo).map_err(|e| vec![e])?;
    let mut mejor: Parcial = None;
    let resultado = match formato {
        Formato::Csv => {
            let texto = tabla::decodificar(bytes);
            let d = tabla::delimitador(&texto, &buscado);
            let h = tabla::leer_csv(&texto, d, usize::MAX);
            leer_hoja(&h, &buscado, perfil, archivo, &mut mejor)
        }
        Formato::Xlsx => {
            let mut libro = tabla::abrir_xlsx(bytes, archivo).map_err(|e| vec![e])?;
            let combinadas = tabla::xlsx_con_combinadas(bytes);
            let mut r = None;
            for nombre in libro.sheet_names() {
                let h = tabla::hoja_xlsx(&mut libro, &nombre, archivo, combinadas).map_err(|e| vec![e])?;
                r = leer_hoja(&h, &buscado, perfil, archivo, &mut mejor);
                if r.is_some() {
                    break;
                }
            }
            r
        }
        Formato::Xls | Formato::Xlsb | Formato::Ods => {
            let mut libro = tabla::abrir_otro(bytes, archivo, formato).map_err(|e| vec![e])?;
            let mut r = None;
            for nombre in libro.sheet_names() {
                let h = tabla::hoja_densa(&mut libro, &nombre, archivo, formato).map_err(|e| vec![e])?;
                r = leer_hoja(&h, &buscado, perfil, archivo, &mut mejor);
                if r.is_some() {
                    break;
                }
            }
            r
        }
    };
    match resultado {
        Some((extracto, errores)) if errores.is_empty() => Ok(extracto),
        Some((_, errores)) => Err(errores),
        None => Err(vec![sin_encabezado(archivo, perfil, &campos, mejor)]),
    }
}

fn sin_encabezado(archivo: &str, perfil: &PerfilBanco, campos: &[(&str, bool)], mejor: Parcial) -> ImportError {
    let esperadas: Vec<String> = campos
        .iter()
        .filter(|(_, r)| *r)
        .map(|(c, _)| {
            let nombres: Vec<String> = perfil
                .columnas
                .get(*c)
                .map(|v| v.iter().map(|a| format!("«{a}»")).collect())
                .unwrap_or_default();
            format!("{c} ({})", nombres.join(" o "))
        })
        .collect();
    let mut m = format!(
        "no se encontró la fila de encabezados del extracto en las primeras {FILAS_BUSQUEDA_ENCABEZADO} filas: \
         según el perfil «{}» ({}) se esperan las columnas {}",
        perfil.nombre,
        perfil.banco,
        esperadas.join(", ")
    );
    if let Some((fila, faltan)) = mejor {
        m.push_str(&format!(
            "; la fila {fila} tiene algunas, pero le faltan: {}",
            faltan.join(", ")
        ));
    }
    ImportError::new(archivo, Ubicacion::Archivo, None, m)
}

/// The credits and problems of a sheet with the header, or `None` to try the next sheet.
fn leer_hoja<H: Hoja>(
    h: &H,
    buscado: &Buscado<'_>,
    perfil: &PerfilBanco,
    archivo: &str,
    mejor: &mut Parcial,
) -> Option<(Extracto, Vec<ImportError>)> {
    let enc = tabla::buscar_encabezado(h, buscado, mejor)?;
    let columnas: Vec<Option<(usize, String, String)>> = enc
        .columnas
        .iter()
        .map(|c| c.as_ref().map(|(col, titulo)| (*col, h.letra(*col), titulo.clone())))
        .collect();
    let mut errores = Vec::new();
    let mut extracto = Extracto {
        cuenta: None,
        movimientos: Vec::new(),
        debitos: 0,
    };
    for f in enc.fila + 1..h.filas() {
        let numero = h.numero_fila(f);
        let celda = |k: usize| columnas[k].as_ref().map_or(Celda::Vacia, |(col, ..)| h.celda(f, *col));
        let mut error = |k: usize, problema: String| {
            let m = match &columnas[k] {
                Some((_, letra, titulo)) => format!("{problema} (celda {letra}{numero}, columna «{titulo}»)"),
                None => problema,
            };
            errores.push(ImportError::new(archivo, Ubicacion::Fila(numero), Some(CAMPOS[k].0), m));
        };
        let montos = [C_VALOR, C_CREDITO, C_DEBITO];
        if celda(C_FECHA).es_vacia() {
            // Rows without a date close the movements ("Total", "Saldo final") or are blank.
            let etiqueta = h.celdas(f).filter_map(|(_, c)| c.texto()).any(|t| {
                let n = normalizar(t);
                n.starts_with("total") || n.starts_with("saldo")
            });
            if etiqueta {
                break;
            }
            if montos.iter().all(|&k| celda(k).es_vacia()) {
                continue;
            }
            error(C_FECHA, "falta la fecha del movimiento".into());
            continue;
        }
        // A repetition of the header row (exports that page their rows).
        if celda(C_FECHA)
            .texto()
            .is_some_and(|t| tabla::es_alias(t, &buscado.alias[C_FECHA]))
        {
            continue;
        }
        let fecha = valores::fecha(celda(C_FECHA)).map_err(|p| error(C_FECHA, p)).ok();
        let fecha_valor = if celda(C_FECHA_VALOR).es_vacia() {
            Some(None)
        } else {
            valores::fecha(celda(C_FECHA_VALOR))
                .map(Some)
                .map_err(|p| error(C_FECHA_VALOR, p))
                .ok()
        };
        let leer = |k: usize, error: &mut dyn FnMut(usize, String)| -> Option<Option<rust_decimal::Decimal>> {
            let r = match celda(k) {
                Celda::Vacia => return Some(None),
                Celda::Numero(x) => valores::valor_de_numero(x),
                Celda::Texto(s) => valor::de_texto(s, perfil.formato_valor),
                otra => Err(format!(
                    "«{}» no es un valor en pesos ({})",
                    otra.mostrar(),
                    perfil.formato_valor.ejemplo()
                )),
            };
            r.map(Some).map_err(|p| error(k, p)).ok()
        };
        // Signed: negative is a debit. Two columns: credit or debit, not both.
        let credito = if perfil.columnas.contains_key("valor") {
            match leer(C_VALOR, &mut error) {
                Some(Some(v)) if v.is_sign_positive() && !v.is_zero() => Some(Some(v)),
                Some(Some(v)) if v.is_zero() => Some(None),
                Some(Some(_)) => {
                    extracto.debitos += 1;
                    Some(None)
                }
                Some(None) => {
                    error(C_VALOR, "falta el valor del movimiento".into());
                    None
                }
                None => None,
            }
        } else {
            let c = leer(C_CREDITO, &mut error);
            let d = leer(C_DEBITO, &mut error);
            match (c, d) {
                (Some(c), Some(d)) => {
                    let c = c.filter(|v| !v.is_zero());
                    let d = d.filter(|v| !v.is_zero());
                    match (c, d) {
                        (Some(c), _) if c.is_sign_negative() => {
                            error(C_CREDITO, format!("el crédito «{c}» es negativo"));
                            None
                        }
                        (Some(_), Some(_)) => {
                            error(
                                C_CREDITO,
                                "la fila tiene crédito y débito: se espera uno de los dos".into(),
                            );
                            None
                        }
                        (Some(c), None) => Some(Some(c)),
                        (None, Some(_)) => {
                            extracto.debitos += 1;
                            Some(None)
                        }
                        (None, None) => Some(None),
                    }
                }
                _ => None,
            }
        };
        let mut referencia = String::new();
        if let Err(p) = valores::identificador(celda(C_REFERENCIA), &mut referencia) {
            error(C_REFERENCIA, p);
        }
        let texto = |k: usize| valores::texto_libre(celda(k));
        if let (Some(fecha), Some(fecha_valor), Some(Some(v))) = (fecha, fecha_valor, credito) {
            extracto.movimientos.push(Movimiento {
                posicion: format!("fila {numero}"),
                fecha,
                fecha_valor,
                valor: v,
                referencia,
                descripcion: texto(C_DESCRIPCION),
                nit_tercero: texto(C_NIT),
                nombre_tercero: texto(C_NOMBRE),
            });
        }
    }
    Some((extracto, errores))
}
