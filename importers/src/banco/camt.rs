//! ISO 20022 camt.053 (Bank To Customer Statement), versions 001.02 to 001.13: the statement
//! as XML, read through the same safe XML tree as DIAN documents (no DOCTYPE, no entity
//! expansion, bounded nesting).
//!
//! What is read of each `Stmt/Ntry` (element names of the published schema):
//! - `CdtDbtInd`: `CRDT` is a credit (kept), `DBIT` a debit (counted, left out);
//! - `Sts` (`BOOK`, or `<Sts><Cd>BOOK</Cd></Sts>` since 001.08): entries not booked (`PDNG`,
//!   `INFO`) are left out, since the money is not in the account yet;
//! - `Amt` with `Ccy="COP"`, exact, at most two decimals;
//! - `BookgDt/Dt` (or `DtTm`) and `ValDt/Dt`;
//! - `AcctSvcrRef`, else `NtryRef`, else the first `TxDtls/Refs/EndToEndId`: the reference;
//! - `NtryDtls/TxDtls/RmtInf/Ustrd` (all of them) and `AddtlNtryInf`: the description;
//! - `NtryDtls/TxDtls/RltdPties/Dbtr` (`Nm`, `Id/OrgId/Othr/Id`; from 001.08 inside `Pty`):
//!   the payer's name and NIT.

use std::str::FromStr;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{Extracto, Movimiento};
use crate::dian::xml::{self, Arbol};
use crate::error::{ImportError, Ubicacion};

/// Nesting a camt.053 needs: the deepest path read is about 12 levels.
const MAX_PROFUNDIDAD: usize = 32;

/// Whether the bytes are a camt.053 statement (its namespace in the first kilobytes).
pub fn es_camt053(bytes: &[u8]) -> bool {
    let inicio = &bytes[..bytes.len().min(4096)];
    let b = inicio.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(inicio);
    b.iter().find(|c| !c.is_ascii_whitespace()) == Some(&b'<')
        && (contiene(inicio, b"camt.053") || contiene(inicio, b"BkToCstmrStmt"))
}

fn contiene(pajar: &[u8], aguja: &[u8]) -> bool {
    pajar.windows(aguja.len()).any(|w| w == aguja)
}

/// Children of `i` with this local name (every camt element is in the one camt namespace).
fn hijos<'a>(a: &'a Arbol, i: usize, local: &'a str) -> impl Iterator<Item = usize> + 'a {
    a.nodos[i]
        .hijos
        .iter()
        .copied()
        .filter(move |&h| a.nodos[h].local == local)
}

fn hijo(a: &Arbol, i: usize, local: &str) -> Option<usize> {
    hijos(a, i, local).next()
}

fn camino(a: &Arbol, i: usize, pasos: &[&str]) -> Option<usize> {
    pasos.iter().try_fold(i, |x, p| hijo(a, x, p))
}

fn texto_en(a: &Arbol, i: usize, pasos: &[&str]) -> Option<String> {
    camino(a, i, pasos)
        .map(|j| a.texto(j).to_string())
        .filter(|t| !t.is_empty())
}

/// Reads the credits of a camt.053 statement: every booked credit, or every problem found (each
/// naming the element and what was expected).
pub fn camt053(bytes: &[u8], archivo: &str) -> Result<Extracto, Vec<ImportError>> {
    let texto = xml::decodificar(bytes, archivo).map_err(|e| vec![e])?;
    let a = xml::construir(&texto, archivo, MAX_PROFUNDIDAD, "").map_err(|e| vec![e])?;
    let error =
        |i: usize, campo: &str, m: String| ImportError::new(archivo, Ubicacion::XPath(a.ruta(i)), Some(campo), m);
    let raiz = 0;
    let uri = a.nodos[raiz].ns.uri().to_string();
    let Some(stmt_padre) = (a.nodos[raiz].local == "Document")
        .then(|| hijo(&a, raiz, "BkToCstmrStmt"))
        .flatten()
    else {
        return Err(vec![ImportError::new(
            archivo,
            Ubicacion::XPath(a.ruta(raiz)),
            None,
            format!(
                "se espera un extracto ISO 20022 camt.053: <Document> con <BkToCstmrStmt>; el archivo tiene <{}>{}",
                a.nodos[raiz].local,
                if uri.is_empty() {
                    String::new()
                } else {
                    format!(" ({uri})")
                }
            ),
        )]);
    };
    if !uri.is_empty() && !uri.contains("camt.053") {
        return Err(vec![ImportError::new(
            archivo,
            Ubicacion::XPath(a.ruta(raiz)),
            None,
            format!("el espacio de nombres es {uri}; se espera urn:iso:std:iso:20022:tech:xsd:camt.053.001.xx"),
        )]);
    }
    let mut errores = Vec::new();
    let mut extracto = Extracto {
        cuenta: None,
        movimientos: Vec::new(),
        debitos: 0,
    };
    let stmts: Vec<usize> = hijos(&a, stmt_padre, "Stmt").collect();
    if stmts.is_empty() {
        errores.push(error(
            stmt_padre,
            "Stmt",
            "el extracto no tiene ningún <Stmt> (estado de cuenta)".into(),
        ));
    }
    for stmt in stmts {
        if extracto.cuenta.is_none() {
            extracto.cuenta = texto_en(&a, stmt, &["Acct", "Id", "IBAN"])
                .or_else(|| texto_en(&a, stmt, &["Acct", "Id", "Othr", "Id"]));
        }
        for (n, ntry) in hijos(&a, stmt, "Ntry").enumerate() {
            let antes = errores.len();
            let ind = texto_en(&a, ntry, &["CdtDbtInd"]);
            let credito = match ind.as_deref() {
                Some("CRDT") => true,
                Some("DBIT") => false,
                otro => {
                    errores.push(error(
                        ntry,
                        "CdtDbtInd",
                        format!(
                            "se espera <CdtDbtInd> CRDT (crédito) o DBIT (débito); tiene {}",
                            otro.map_or("nada".to_string(), |o| format!("«{o}»"))
                        ),
                    ));
                    continue;
                }
            };
            let estado = texto_en(&a, ntry, &["Sts", "Cd"]).or_else(|| texto_en(&a, ntry, &["Sts"]));
            if estado.as_deref().is_some_and(|s| s != "BOOK") {
                continue;
            }
            if !credito {
                extracto.debitos += 1;
                continue;
            }
            let valor = match hijo(&a, ntry, "Amt") {
                None => {
                    errores.push(error(ntry, "Amt", "falta <Amt>, el valor del movimiento".into()));
                    None
                }
                Some(amt) => {
                    let moneda = a.atributo(amt, "Ccy").unwrap_or("");
                    if moneda != "COP" {
                        errores.push(error(
                            amt,
                            "Ccy",
                            format!("el valor está en «{moneda}»; se esperan pesos colombianos (Ccy=\"COP\")"),
                        ));
                        None
                    } else {
                        valor(a.texto(amt)).map_err(|m| errores.push(error(amt, "Amt", m))).ok()
                    }
                }
            };
            let fecha = fecha_de(&a, ntry, "BookgDt").map_err(|m| errores.push(error(ntry, "BookgDt", m)));
            let fecha_valor = match hijo(&a, ntry, "ValDt") {
                None => Ok(None),
                Some(_) => fecha_de(&a, ntry, "ValDt")
                    .map(Some)
                    .map_err(|m| errores.push(error(ntry, "ValDt", m))),
            };
            let tx: Vec<usize> = hijo(&a, ntry, "NtryDtls")
                .map(|d| hijos(&a, d, "TxDtls").collect())
                .unwrap_or_default();
            let referencia = texto_en(&a, ntry, &["AcctSvcrRef"])
                .or_else(|| texto_en(&a, ntry, &["NtryRef"]))
                .or_else(|| tx.iter().find_map(|&t| texto_en(&a, t, &["Refs", "EndToEndId"])))
                .filter(|r| r != "NOTPROVIDED")
                .unwrap_or_default()
                .to_uppercase();
            let mut partes: Vec<String> = Vec::new();
            for &t in &tx {
                if let Some(r) = hijo(&a, t, "RmtInf") {
                    partes.extend(hijos(&a, r, "Ustrd").map(|u| a.texto(u).to_string()));
                }
            }
            partes.extend(texto_en(&a, ntry, &["AddtlNtryInf"]));
            partes.retain(|p| !p.is_empty());
            // The debtor: `RltdPties/Dbtr/Id` up to 001.07, `RltdPties/Dbtr/Pty/Id` since 001.08.
            let deudor = tx.iter().find_map(|&t| {
                let d = camino(&a, t, &["RltdPties", "Dbtr"])?;
                Some(hijo(&a, d, "Pty").unwrap_or(d))
            });
            let nit = deudor
                .and_then(|d| {
                    texto_en(&a, d, &["Id", "OrgId", "Othr", "Id"])
                        .or_else(|| texto_en(&a, d, &["Id", "PrvtId", "Othr", "Id"]))
                })
                .unwrap_or_default();
            let nombre = deudor.and_then(|d| texto_en(&a, d, &["Nm"])).unwrap_or_default();
            if errores.len() > antes {
                continue;
            }
            if let (Some(valor), Ok(fecha), Ok(fecha_valor)) = (valor, fecha, fecha_valor) {
                extracto.movimientos.push(Movimiento {
                    posicion: format!("Ntry[{}]", n + 1),
                    fecha,
                    fecha_valor,
                    valor,
                    referencia,
                    descripcion: partes.join(" | "),
                    nit_tercero: nit,
                    nombre_tercero: nombre,
                });
            }
        }
    }
    if errores.is_empty() {
        Ok(extracto)
    } else {
        Err(errores)
    }
}

/// An `xs:decimal` amount of a camt.053 (`1234567.89`): positive, at most two decimals.
fn valor(t: &str) -> Result<Decimal, String> {
    let ok = !t.is_empty() && t.chars().all(|c| c.is_ascii_digit() || c == '.') && t.matches('.').count() <= 1;
    let v = Decimal::from_str(t)
        .ok()
        .filter(|_| ok)
        .ok_or_else(|| format!("«{t}» no es un valor: se espera un número con punto decimal, como 1234567.89"))?;
    let v = v.normalize();
    if v.scale() > 2 {
        return Err(format!(
            "«{t}» tiene fracciones de centavo: se esperan pesos con dos decimales como máximo"
        ));
    }
    if v.is_zero() {
        return Err("el valor es cero: se espera un valor mayor que cero".into());
    }
    Ok(v)
}

/// The date of `BookgDt` or `ValDt`: `Dt` (`2026-03-05`) or `DtTm` (`2026-03-05T10:20:00-05:00`,
/// its civil date as written).
fn fecha_de(a: &Arbol, ntry: usize, elemento: &str) -> Result<NaiveDate, String> {
    let Some(e) = hijo(a, ntry, elemento) else {
        return Err(format!("falta <{elemento}>, la fecha del movimiento"));
    };
    let t = texto_en(a, e, &["Dt"])
        .or_else(|| texto_en(a, e, &["DtTm"]))
        .ok_or_else(|| format!("<{elemento}> no tiene <Dt> ni <DtTm>"))?;
    NaiveDate::parse_from_str(t.get(..10).unwrap_or(&t), "%Y-%m-%d")
        .map_err(|_| format!("«{t}» en <{elemento}> no es una fecha AAAA-MM-DD"))
}
