//! How the web application writes money, dates and deadlines: the way a Colombian billing clerk
//! reads them (`$ 1.234.567,89`, `dd/mm/aaaa`, "faltan 3 días hábiles").

use chrono::NaiveDate;
use rust_decimal::Decimal;

/// Pesos with thousands separated by points and two decimals after a comma:
/// `$ 1.234.567,89`, `-$ 120.000,00`.
pub fn pesos(v: Decimal) -> String {
    let r = v.round_dp(2);
    let negativo = r.is_sign_negative() && !r.is_zero();
    let texto = format!("{:.2}", r.abs());
    let (entero, decimales) = texto.split_once('.').unwrap_or((&texto, "00"));
    let mut miles = String::with_capacity(entero.len() + entero.len() / 3);
    for (i, d) in entero.chars().enumerate() {
        if i > 0 && (entero.len() - i) % 3 == 0 {
            miles.push('.');
        }
        miles.push(d);
    }
    format!("{}$ {miles},{decimales}", if negativo { "-" } else { "" })
}

/// An amount as a clerk types it: `1.234.567,89`, `$ 120.000`, `150000`, `150000.50` (a point
/// followed by exactly two digits at the end is read as decimals only when there is no comma
/// and no other point). None when it is not an amount.
pub fn leer_pesos(texto: &str) -> Option<Decimal> {
    let t: String = texto.chars().filter(|c| !c.is_whitespace() && *c != '$').collect();
    if t.is_empty() {
        return None;
    }
    let normal = if t.contains(',') {
        t.replace('.', "").replace(',', ".")
    } else if t.matches('.').count() == 1 && t.rsplit('.').next().is_some_and(|d| d.len() == 2) {
        t
    } else {
        t.replace('.', "")
    };
    if !normal.chars().all(|c| c.is_ascii_digit() || c == '.' || c == '-') {
        return None;
    }
    normal.parse().ok()
}

/// `dd/mm/aaaa`.
pub fn fecha(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// A moment as a clerk in Colombia reads it: `dd/mm/aaaa hh:mm`, Bogotá time (UTC−5, no
/// daylight saving).
pub fn fecha_hora(t: chrono::DateTime<chrono::Utc>) -> String {
    (t - chrono::Duration::hours(5)).format("%d/%m/%Y %H:%M").to_string()
}

/// A size in bytes as people say it: `20 GB`, `256 MB`, `1,5 MB`, `800 KB`.
pub fn tamano(bytes: usize) -> String {
    const MB: usize = 1024 * 1024;
    const GB: usize = 1024 * MB;
    if bytes >= GB {
        let decimas = bytes / (GB / 10);
        if decimas.is_multiple_of(10) {
            format!("{} GB", decimas / 10)
        } else {
            format!("{},{} GB", decimas / 10, decimas % 10)
        }
    } else if bytes >= MB {
        let decimas = (bytes * 10 + MB / 2) / MB;
        if decimas.is_multiple_of(10) {
            format!("{} MB", decimas / 10)
        } else {
            format!("{},{} MB", decimas / 10, decimas % 10)
        }
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}

/// An optional amount, or a dash.
pub fn pesos_o_guion(v: Option<Decimal>) -> String {
    v.map_or_else(|| "—".to_string(), pesos)
}

/// An amount as a clerk types it back in a field: `1.234.567,89` (no sign, no `$`).
pub fn en_campo(v: Decimal) -> String {
    pesos(v.abs()).trim_start_matches('$').trim().to_string()
}

/// An optional date, or a dash.
pub fn fecha_o_guion(d: Option<NaiveDate>) -> String {
    d.map_or_else(|| "—".to_string(), fecha)
}

/// A deadline in días hábiles, in words: "vence hoy", "faltan 3 días hábiles", "vencida hace 1
/// día hábil".
pub fn dias_habiles(restantes: i64) -> String {
    let plural = |n: i64| if n == 1 { "día hábil" } else { "días hábiles" };
    match restantes {
        0 => "vence hoy".into(),
        1 => "falta 1 día hábil".into(),
        n if n > 0 => format!("faltan {n} {}", plural(n)),
        n => format!("vencida hace {} {}", -n, plural(-n)),
    }
}

/// A snake_case code of the domain (`radicada`, `glosa_por_responder`) in the words of the
/// law and of the people who use Trazo, accents included; an unknown code, as its words.
pub fn palabras(codigo: &str) -> String {
    let propio = match codigo {
        "radicacion" => "Radicación",
        "radicada" => "Radicada",
        "reradicacion" => "Nueva radicación",
        "respuesta" => "Respuesta a la glosa",
        "respuesta_devolucion" => "Respuesta a la devolución",
        "reiteracion_devolucion" => "Reiteración de la devolución",
        "decision" => "Decisión del pagador",
        "subsanacion" => "Subsanación",
        "pago" => "Pago",
        "pago_levantado" => "Pago de lo levantado",
        "pago_anticipo" => "Pago del 50 % anticipado",
        "en_conciliacion" => "En conciliación",
        "conciliada" => "Conciliada",
        "pagada_parcial" => "Pagada en parte",
        "nota_credito" => "Nota crédito",
        "nota_debito" => "Nota débito",
        "nota_credito_pendiente" => "Nota crédito pendiente",
        "glosa_extemporanea" => "Glosa extemporánea",
        "devolucion" => "Devolución",
        "devolucion_extemporanea" => "Devolución extemporánea",
        "devolucion_por_responder" => "Devolución por responder",
        "devolucion_injustificada" => "Devolución injustificada",
        "devolucion_respondida" => "Devolución respondida",
        "devolucion_decidida" => "Devolución decidida",
        "devolucion_anulada" => "Devolución anulada",
        "respuesta_devolucion_anulada" => "Respuesta a la devolución anulada",
        "decision_devolucion_anulada" => "Decisión sobre la devolución anulada",
        "respuesta_glosa_anulada" => "Respuesta a la glosa anulada",
        "decision_glosa_anulada" => "Decisión del pagador anulada",
        "conciliacion_iniciada" => "Conciliación iniciada",
        "aplicacion_anulada" => "Aplicación de pago anulada",
        "radicacion_anulada" => "Radicación anulada",
        "devolucion_aceptada_tacitamente" => "Devolución aceptada tácitamente",
        "glosa_en_tramite" => "Glosa en trámite",
        "decision_vencida" => "Decisión vencida",
        "subsanacion_por_vencer" => "Subsanación por vencer",
        "radicacion_por_vencer" => "Radicación por vencer",
        "pago_anticipo_vencido" => "Anticipo del 50 % vencido",
        "eps_contributivo" => "EPS del régimen contributivo",
        "eps_subsidiado" => "EPS del régimen subsidiado",
        "administrativa" => "Administrativa",
        "prejuridica" => "Prejurídica",
        "juridica" => "Jurídica",
        _ => "",
    };
    if !propio.is_empty() {
        return propio.to_string();
    }
    palabras_sueltas(codigo)
}

fn palabras_sueltas(codigo: &str) -> String {
    let mut s = codigo.replace('_', " ");
    if let Some(c) = s.get(0..1) {
        let m = c.to_uppercase();
        s.replace_range(0..1, &m);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn money_is_written_the_colombian_way() {
        let d = |s| Decimal::from_str(s).unwrap();
        assert_eq!(pesos(d("1234567.89")), "$ 1.234.567,89");
        assert_eq!(pesos(d("120000")), "$ 120.000,00");
        assert_eq!(pesos(d("999.5")), "$ 999,50");
        assert_eq!(pesos(d("0")), "$ 0,00");
        assert_eq!(pesos(d("-150000.10")), "-$ 150.000,10");
        assert_eq!(pesos(d("1000000000000")), "$ 1.000.000.000.000,00");
        // Rounded to centavos, half away from zero is not assumed: banker's rounding of
        // rust_decimal is what the ledger uses.
        assert_eq!(pesos(d("0.005")), "$ 0,00");
    }

    #[test]
    fn amounts_are_read_as_typed() {
        let d = |s| Decimal::from_str(s).unwrap();
        assert_eq!(leer_pesos("1.234.567,89"), Some(d("1234567.89")));
        assert_eq!(leer_pesos("$ 120.000"), Some(d("120000")));
        assert_eq!(leer_pesos("150000"), Some(d("150000")));
        assert_eq!(leer_pesos("150000.50"), Some(d("150000.50")));
        assert_eq!(leer_pesos("120.000"), Some(d("120000")));
        assert_eq!(leer_pesos(" 0,5 "), Some(d("0.5")));
        assert_eq!(leer_pesos(""), None);
        assert_eq!(leer_pesos("1e5"), None);
        assert_eq!(leer_pesos("doce mil"), None);
    }

    #[test]
    fn dates_and_terms_are_written_out() {
        assert_eq!(fecha(NaiveDate::from_ymd_opt(2026, 7, 22).unwrap()), "22/07/2026");
        assert_eq!(fecha_o_guion(None), "—");
        assert_eq!(dias_habiles(3), "faltan 3 días hábiles");
        assert_eq!(dias_habiles(1), "falta 1 día hábil");
        assert_eq!(dias_habiles(0), "vence hoy");
        assert_eq!(dias_habiles(-1), "vencida hace 1 día hábil");
        assert_eq!(dias_habiles(-12), "vencida hace 12 días hábiles");
        let t = chrono::NaiveDate::from_ymd_opt(2026, 7, 1)
            .unwrap()
            .and_hms_opt(3, 7, 0)
            .unwrap()
            .and_utc();
        assert_eq!(fecha_hora(t), "30/06/2026 22:07");
        assert_eq!(tamano(268_435_456), "256 MB");
        assert_eq!(tamano(20 * 1024 * 1024 * 1024), "20 GB");
        assert_eq!(tamano(1024 * 1024 * 1024 + 600 * 1024 * 1024), "1,5 GB");
        assert_eq!(tamano(1_572_864), "1,5 MB");
        assert_eq!(tamano(800 * 1024), "800 KB");
        assert_eq!(tamano(1), "1 KB");
        assert_eq!(palabras("glosa_por_responder"), "Glosa por responder");
        assert_eq!(palabras("radicacion"), "Radicación");
        assert_eq!(palabras("nota_credito_pendiente"), "Nota crédito pendiente");
    }
}
