//! Colombian calendar of días hábiles, used to count legal deadlines (radicación, glosas,
//! respuestas, pagos) that the norms express as "N días hábiles siguientes a" a date.
//!
//! A día hábil is a day that is neither Saturday, Sunday nor a Colombian public holiday.
//! The holidays come from:
//! - Código Sustantivo del Trabajo (Decreto 2663 de 1950) art. 177, for the days that are
//!   always observed on their own date;
//! - Ley 51 de 1983 ("Ley Emiliani") art. 1, which rewrote that article and moves most
//!   religious and civic holidays to the following Monday. It applies from 1984, hence
//!   [`ANIO_MIN`];
//! - the Gregorian computus (Meeus/Jones/Butcher algorithm) for the feasts tied to Easter.
//!
//! Everything is pure computation: no holiday table to maintain by hand, no I/O.

use std::sync::OnceLock;

use chrono::{Datelike, Days, NaiveDate, Weekday};

/// First year computed under Ley 51 de 1983, which took effect for 1984. Earlier years had
/// no Monday moves, so the rules below would be wrong for them.
pub const ANIO_MIN: i32 = 1984;
/// Last year kept in the precomputed table; far beyond any deadline the service will see.
pub const ANIO_MAX: i32 = 2100;

/// How a holiday's observed date is derived from the year.
#[derive(Debug, Clone, Copy)]
enum Regla {
    /// Observed on its own date, whatever the weekday.
    Fija { mes: u32, dia: u32 },
    /// Moved to the next Monday unless it already is one (Ley 51/1983 art. 1).
    Lunes { mes: u32, dia: u32 },
    /// Observed on Easter Sunday plus `dias` (negative: before Easter).
    Pascua { dias: i64 },
    /// Easter Sunday plus `dias`, then moved to the next Monday (Ley 51/1983 art. 1).
    PascuaLunes { dias: i64 },
}

/// A holiday the law names: the rule that places it in a year, and the first year it exists.
#[derive(Debug, Clone, Copy)]
struct Festivo {
    // Read by the tests, which name the rule that failed.
    #[cfg_attr(not(test), allow(dead_code))]
    nombre: &'static str,
    regla: Regla,
    desde: i32,
}

const fn festivo(nombre: &'static str, regla: Regla) -> Festivo {
    Festivo {
        nombre,
        regla,
        desde: ANIO_MIN,
    }
}

/// Every holiday the law names, with the rule that places it in a given year.
const REGLAS: [Festivo; 19] = [
    // Decreto 2663/1950 (CST) art. 177, as amended by Ley 51/1983 art. 1: these stay on their date.
    festivo("Año Nuevo", Regla::Fija { mes: 1, dia: 1 }),
    festivo("Día del Trabajo", Regla::Fija { mes: 5, dia: 1 }),
    festivo("Independencia", Regla::Fija { mes: 7, dia: 20 }),
    festivo("Batalla de Boyacá", Regla::Fija { mes: 8, dia: 7 }),
    festivo("Inmaculada Concepción", Regla::Fija { mes: 12, dia: 8 }),
    festivo("Navidad", Regla::Fija { mes: 12, dia: 25 }),
    // Ley 51/1983 art. 1: "cuando no caigan en día lunes se trasladarán al lunes siguiente".
    festivo("Reyes Magos", Regla::Lunes { mes: 1, dia: 6 }),
    festivo("San José", Regla::Lunes { mes: 3, dia: 19 }),
    festivo("San Pedro y San Pablo", Regla::Lunes { mes: 6, dia: 29 }),
    festivo("Asunción de la Virgen", Regla::Lunes { mes: 8, dia: 15 }),
    festivo("Día de la Raza", Regla::Lunes { mes: 10, dia: 12 }),
    festivo("Todos los Santos", Regla::Lunes { mes: 11, dia: 1 }),
    festivo("Independencia de Cartagena", Regla::Lunes { mes: 11, dia: 11 }),
    // Ley 2578 de 2026 (1 June 2026) art. 6: Día de Nuestra Señora del Rosario de
    // Chiquinquirá, 9 July, moved to the following Monday like the ones above (Ley 51/1983),
    // from 2026 (13 July 2026).
    Festivo {
        nombre: "Nuestra Señora del Rosario de Chiquinquirá",
        regla: Regla::Lunes { mes: 7, dia: 9 },
        desde: 2026,
    },
    // Ley 51/1983 art. 1: Jueves and Viernes Santo are not moved.
    festivo("Jueves Santo", Regla::Pascua { dias: -3 }),
    festivo("Viernes Santo", Regla::Pascua { dias: -2 }),
    // Ley 51/1983 art. 1: the movable feasts fall on a Thursday (E+39, E+60) or a Friday
    // (E+68), so moving them always lands on E+43, E+64 and E+71.
    festivo("Ascensión del Señor", Regla::PascuaLunes { dias: 39 }),
    festivo("Corpus Christi", Regla::PascuaLunes { dias: 60 }),
    festivo("Sagrado Corazón", Regla::PascuaLunes { dias: 68 }),
];

/// The rules that place a holiday in `anio`: those the law had created by then.
fn reglas_de(anio: i32) -> impl Iterator<Item = &'static Festivo> {
    REGLAS.iter().filter(move |f| anio >= f.desde)
}

/// Easter Sunday of `anio` in the Gregorian calendar (anonymous Gregorian algorithm, as given
/// by Meeus, Jones and Butcher). Valid for any Gregorian year; Euclidean division keeps it
/// correct for the proleptic negative years chrono can represent.
///
/// # Panics
/// If `anio` is outside the range of years chrono's `NaiveDate` can represent.
pub fn pascua(anio: i32) -> NaiveDate {
    let a = anio.rem_euclid(19);
    let b = anio.div_euclid(100);
    let c = anio.rem_euclid(100);
    let d = b.div_euclid(4);
    let e = b.rem_euclid(4);
    let f = (b + 8).div_euclid(25);
    let g = (b - f + 1).div_euclid(3);
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l) / 451;
    let n = h + l - 7 * m + 114;
    // `n / 31` is 3 or 4 (March or April) and `n % 31 + 1` is 1..=31, so both fit in u32.
    fecha(anio, (n / 31) as u32, (n % 31 + 1) as u32)
}

/// The holidays observed in `anio`, sorted and without repeats.
///
/// Repeats happen: two moved holidays can share a Monday (30 June 2025 is both Sagrado
/// Corazón and San Pedro y San Pablo), and a day off is a day off, it does not count twice.
/// Years before [`ANIO_MIN`] are computed with the same (Ley 51/1983) rules, which is not
/// what was observed then.
pub fn festivos(anio: i32) -> Vec<NaiveDate> {
    let pascua = pascua(anio);
    let mut dias: Vec<NaiveDate> = reglas_de(anio).map(|f| observado(anio, pascua, f.regla)).collect();
    dias.sort_unstable();
    dias.dedup();
    dias
}

/// Whether `d` is a Colombian public holiday.
///
/// Deadlines are counted one day at a time, so this is on the hot path: years
/// [`ANIO_MIN`]..=[`ANIO_MAX`] are looked up by binary search in a table built once
/// (about 2,100 dates, so at most 12 comparisons); other years are computed on demand.
pub fn es_festivo(d: NaiveDate) -> bool {
    if (ANIO_MIN..=ANIO_MAX).contains(&d.year()) {
        tabla().binary_search(&d).is_ok()
    } else {
        festivos(d.year()).binary_search(&d).is_ok()
    }
}

/// Whether `d` counts toward a term in días hábiles: not a weekend day and not a holiday.
pub fn es_dia_habil(d: NaiveDate) -> bool {
    !es_fin_de_semana(d) && !es_festivo(d)
}

/// The last day of a term of `n` días hábiles "siguientes a" `desde`: the `n`-th día hábil
/// strictly after `desde`. The term starts the next día hábil, so `desde` itself never
/// counts, even when it is a día hábil, and a term from a Saturday or a holiday ends on the
/// same day as one from the día hábil before it. `n = 0` returns `desde` unchanged.
///
/// # Panics
/// If the result would be beyond the last date chrono's `NaiveDate` can represent.
pub fn add_dias_habiles(desde: NaiveDate, n: u32) -> NaiveDate {
    let mut d = desde;
    let mut faltan = n;
    while faltan > 0 {
        d = d
            .succ_opt()
            .expect("a term in días hábiles ran past the last date chrono can represent");
        if es_dia_habil(d) {
            faltan -= 1;
        }
    }
    d
}

/// How many días hábiles `d` satisfy `desde < d <= hasta`: how much of a term has elapsed
/// at `hasta`, with the same convention as [`add_dias_habiles`], so that
/// `dias_habiles_entre(d, add_dias_habiles(d, n)) == n`. When `hasta` is before `desde`
/// the result is the negative of `dias_habiles_entre(hasta, desde)`; 0 when they are equal.
///
/// Counted arithmetically (weekdays minus holidays that fall on a weekday) rather than day
/// by day, so that a far-away date typed by a user costs a few thousand steps, not millions.
pub fn dias_habiles_entre(desde: NaiveDate, hasta: NaiveDate) -> i64 {
    if hasta < desde {
        return -dias_habiles_entre(hasta, desde);
    }
    dias_entre_semana(desde, hasta) - festivos_entre_semana(desde, hasta)
}

/// Table of every holiday of [`ANIO_MIN`]..=[`ANIO_MAX`], sorted: the years are visited in
/// order and each year's list is sorted, so the concatenation is sorted too.
fn tabla() -> &'static [NaiveDate] {
    static TABLA: OnceLock<Vec<NaiveDate>> = OnceLock::new();
    TABLA.get_or_init(|| (ANIO_MIN..=ANIO_MAX).flat_map(festivos).collect())
}

/// The date on which a holiday is observed in `anio`, whose Easter Sunday is `pascua`.
fn observado(anio: i32, pascua: NaiveDate, regla: Regla) -> NaiveDate {
    match regla {
        Regla::Fija { mes, dia } => fecha(anio, mes, dia),
        Regla::Lunes { mes, dia } => lunes_siguiente(fecha(anio, mes, dia)),
        Regla::Pascua { dias } => desplazar(pascua, dias),
        Regla::PascuaLunes { dias } => lunes_siguiente(desplazar(pascua, dias)),
    }
}

/// `d` itself when it is a Monday, otherwise the next Monday (Ley 51/1983 art. 1: a holiday
/// that falls on a Sunday moves to the Monday after it, too).
fn lunes_siguiente(d: NaiveDate) -> NaiveDate {
    let dias = (7 - d.weekday().num_days_from_monday()) % 7;
    d + Days::new(u64::from(dias))
}

/// `d` moved by `dias` days, either way. Only used for offsets from Easter, which stay
/// within the same year.
fn desplazar(d: NaiveDate, dias: i64) -> NaiveDate {
    if dias >= 0 {
        d + Days::new(dias.unsigned_abs())
    } else {
        d - Days::new(dias.unsigned_abs())
    }
}

fn fecha(anio: i32, mes: u32, dia: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(anio, mes, dia).expect("holiday date outside the range chrono can represent")
}

fn es_fin_de_semana(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Number of Monday..Friday days `d` with `desde < d <= hasta`, for `desde <= hasta`.
fn dias_entre_semana(desde: NaiveDate, hasta: NaiveDate) -> i64 {
    let dias = (hasta - desde).num_days();
    // Every run of 7 consecutive days has exactly 5 weekdays; only the remainder (fewer
    // than 7 days, at the end) needs to be looked at one by one.
    let semanas = dias / 7;
    let mut cuenta = semanas * 5;
    let mut d = hasta;
    for _ in 0..dias % 7 {
        if !es_fin_de_semana(d) {
            cuenta += 1;
        }
        d = d.pred_opt().expect("a date after `desde` has a predecessor");
    }
    cuenta
}

/// Number of holidays `d` with `desde < d <= hasta` that fall Monday..Friday. Holidays on a
/// weekend (e.g. 20 July on a Sunday) were never días hábiles, so they are not subtracted
/// from [`dias_entre_semana`].
fn festivos_entre_semana(desde: NaiveDate, hasta: NaiveDate) -> i64 {
    let tabla = tabla();
    let inicio = tabla.partition_point(|f| *f <= desde);
    let fin = tabla.partition_point(|f| *f <= hasta);
    let en_tabla = tabla[inicio..fin].iter().filter(|f| !es_fin_de_semana(**f)).count();
    // Years outside the table are computed one by one; only their days inside the span
    // count.
    let fuera_de_tabla: usize = (desde.year()..=hasta.year())
        .filter(|anio| !(ANIO_MIN..=ANIO_MAX).contains(anio))
        .map(|anio| {
            festivos(anio)
                .into_iter()
                .filter(|f| desde < *f && *f <= hasta && !es_fin_de_semana(*f))
                .count()
        })
        .sum();
    (en_tabla + fuera_de_tabla) as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(anio: i32, mes: u32, dia: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(anio, mes, dia).unwrap()
    }

    fn lista(anio: i32, dias: &[(u32, u32)]) -> Vec<NaiveDate> {
        dias.iter().map(|&(m, d)| ymd(anio, m, d)).collect()
    }

    /// Day-by-day count, the obvious definition, to check the arithmetic one against.
    fn dias_habiles_entre_ingenuo(desde: NaiveDate, hasta: NaiveDate) -> i64 {
        if hasta < desde {
            return -dias_habiles_entre_ingenuo(hasta, desde);
        }
        desde
            .iter_days()
            .skip(1)
            .take_while(|d| *d <= hasta)
            .filter(|d| es_dia_habil(*d))
            .count() as i64
    }

    // Official lists as published for each year.

    #[test]
    fn festivos_2024_oficiales() {
        let esperado = lista(
            2024,
            &[
                (1, 1),
                (1, 8),
                (3, 25),
                (3, 28),
                (3, 29),
                (5, 1),
                (5, 13),
                (6, 3),
                (6, 10),
                (7, 1),
                (7, 20),
                (8, 7),
                (8, 19),
                (10, 14),
                (11, 4),
                (11, 11),
                (12, 8),
                (12, 25),
            ],
        );
        assert_eq!(festivos(2024), esperado);
    }

    #[test]
    fn festivos_2025_oficiales() {
        let esperado = lista(
            2025,
            &[
                (1, 1),
                (1, 6),
                (3, 24),
                (4, 17),
                (4, 18),
                (5, 1),
                (6, 2),
                (6, 23),
                (6, 30),
                (7, 20),
                (8, 7),
                (8, 18),
                (10, 13),
                (11, 3),
                (11, 17),
                (12, 8),
                (12, 25),
            ],
        );
        assert_eq!(festivos(2025), esperado);
    }

    #[test]
    fn festivos_2026_oficiales() {
        let esperado = lista(
            2026,
            &[
                (1, 1),
                (1, 12),
                (3, 23),
                (4, 2),
                (4, 3),
                (5, 1),
                (5, 18),
                (6, 8),
                (6, 15),
                (6, 29),
                (7, 13), // Chiquinquirá (Ley 2578/2026 art. 6): 9 July, a Thursday, moved
                (7, 20),
                (8, 7),
                (8, 17),
                (10, 12),
                (11, 2),
                (11, 16),
                (12, 8),
                (12, 25),
            ],
        );
        assert_eq!(festivos(2026), esperado);
        assert_eq!(festivos(2026).len(), 19);
    }

    #[test]
    fn festivos_2027_contados_a_mano() {
        // Easter 28 March 2027. Reyes Wed 6 Jan → 11 Jan; San José Fri 19 Mar → 22 Mar; Holy
        // Thursday/Friday 25–26 Mar; Ascensión E+43 = 10 May; Corpus E+64 = 31 May; Sagrado
        // Corazón E+71 = 7 Jun; San Pedro Tue 29 Jun → 5 Jul; Chiquinquirá Fri 9 Jul → 12 Jul;
        // Asunción Sun 15 Aug → 16 Aug; Raza Tue 12 Oct → 18 Oct; Todos los Santos is a Monday
        // (1 Nov); Cartagena Thu 11 Nov → 15 Nov. 1 May, 7 Aug and 25 Dec fall on Saturdays.
        let esperado = lista(
            2027,
            &[
                (1, 1),
                (1, 11),
                (3, 22),
                (3, 25),
                (3, 26),
                (5, 1),
                (5, 10),
                (5, 31),
                (6, 7),
                (7, 5),
                (7, 12),
                (7, 20),
                (8, 7),
                (8, 16),
                (10, 18),
                (11, 1),
                (11, 15),
                (12, 8),
                (12, 25),
            ],
        );
        assert_eq!(festivos(2027), esperado);
    }

    #[test]
    fn chiquinquira_desde_2026_en_el_lunes_siguiente() {
        // DOMAIN.md's dates for Ley 2578/2026 art. 6.
        for d in [
            ymd(2026, 7, 13),
            ymd(2027, 7, 12),
            ymd(2028, 7, 10),
            ymd(2029, 7, 9),
            ymd(2030, 7, 15),
        ] {
            assert!(es_festivo(d), "{d}");
        }
        // Not a holiday before the law: 9 July 2025 was a Wednesday, 14 July 2025 a Monday.
        assert!(es_dia_habil(ymd(2025, 7, 9)) && es_dia_habil(ymd(2025, 7, 14)));
        // Issue 11's example: a glosa term of 20 días hábiles from radicación on Wednesday
        // 1 July 2026 skips 13 and 20 July: 2,3 | 6-10 | 14-17 | 21-24 | 27-31 → Friday 31 July.
        assert_eq!(add_dias_habiles(ymd(2026, 7, 1), 20), ymd(2026, 7, 31));
    }

    /// The holidays of a year computed from the law's words with none of the code under test:
    /// a day-by-day walk to the next Monday, and Gauss's Easter.
    fn festivos_segun_la_ley(anio: i32) -> Vec<NaiveDate> {
        let siguiente_lunes = |mut d: NaiveDate| {
            while d.weekday() != Weekday::Mon {
                d = d.succ_opt().unwrap();
            }
            d
        };
        let e = pascua_gauss(anio);
        let mut v: Vec<NaiveDate> = [(1, 1), (5, 1), (7, 20), (8, 7), (12, 8), (12, 25)]
            .iter()
            .map(|&(m, d)| ymd(anio, m, d))
            .collect();
        let mut trasladables = vec![(1, 6), (3, 19), (6, 29), (8, 15), (10, 12), (11, 1), (11, 11)];
        if anio >= 2026 {
            trasladables.push((7, 9));
        }
        v.extend(trasladables.iter().map(|&(m, d)| siguiente_lunes(ymd(anio, m, d))));
        v.push(e - Days::new(3));
        v.push(e - Days::new(2));
        for k in [39, 60, 68] {
            v.push(siguiente_lunes(e + Days::new(k)));
        }
        v.sort();
        v.dedup();
        v
    }

    #[test]
    fn cada_anio_de_1984_a_2100_coincide_con_la_ley_calculada_aparte() {
        for anio in ANIO_MIN..=ANIO_MAX {
            assert_eq!(festivos(anio), festivos_segun_la_ley(anio), "{anio}");
        }
    }

    #[test]
    fn pascua_fechas_conocidas() {
        for (anio, mes, dia) in [
            (1984, 4, 22),
            (2000, 4, 23),
            (2008, 3, 23),
            (2011, 4, 24),
            (2024, 3, 31),
            (2025, 4, 20),
            (2026, 4, 5),
            (2038, 4, 25),
            (2100, 3, 28),
        ] {
            assert_eq!(pascua(anio), ymd(anio, mes, dia), "Pascua {anio}");
        }
    }

    /// Gauss's Easter algorithm with its two exceptions: an independent derivation to check
    /// the Meeus/Jones/Butcher one against, year by year.
    fn pascua_gauss(anio: i32) -> NaiveDate {
        let a = anio % 19;
        let b = anio % 4;
        let c = anio % 7;
        let k = anio / 100;
        let p = (13 + 8 * k) / 25;
        let q = k / 4;
        let m = (15 - p + k - q) % 30;
        let n = (4 + k - q) % 7;
        let d = (19 * a + m) % 30;
        let e = (2 * b + 4 * c + 6 * d + n) % 7;
        if d == 29 && e == 6 {
            return ymd(anio, 4, 19);
        }
        if d == 28 && e == 6 && (11 * m + 11) % 30 < 19 {
            return ymd(anio, 4, 18);
        }
        ymd(anio, 3, 22) + Days::new((d + e) as u64)
    }

    #[test]
    fn pascua_es_domingo_entre_22_marzo_y_25_abril_y_coincide_con_gauss() {
        for anio in ANIO_MIN..=ANIO_MAX {
            let p = pascua(anio);
            assert_eq!(p.weekday(), Weekday::Sun, "Pascua {anio}");
            assert!(ymd(anio, 3, 22) <= p && p <= ymd(anio, 4, 25), "Pascua {anio}: {p}");
            assert_eq!(p, pascua_gauss(anio), "Pascua {anio}");
        }
    }

    #[test]
    fn cada_anio_tiene_sus_festivos_en_lunes_salvo_los_fijos_y_semana_santa() {
        for anio in ANIO_MIN..=ANIO_MAX {
            let dias = festivos(anio);
            // 18 rules before Ley 2578/2026, 19 from 2026; one fewer when two share a Monday.
            let reglas = reglas_de(anio).count();
            assert_eq!(reglas, if anio >= 2026 { 19 } else { 18 }, "{anio}");
            assert!(
                (reglas - 1..=reglas).contains(&dias.len()),
                "{anio}: {} festivos",
                dias.len()
            );
            assert!(dias.windows(2).all(|w| w[0] < w[1]), "{anio}: not sorted and distinct");
            assert!(
                dias.iter().all(|d| d.year() == anio),
                "{anio}: a holiday in another year"
            );
            let e = pascua(anio);
            let no_lunes: Vec<NaiveDate> = [(1, 1), (5, 1), (7, 20), (8, 7), (12, 8), (12, 25)]
                .iter()
                .map(|&(m, d)| ymd(anio, m, d))
                .chain([e - Days::new(3), e - Days::new(2)])
                .collect();
            for d in &dias {
                assert!(
                    d.weekday() == Weekday::Mon || no_lunes.contains(d),
                    "{anio}: {d} is not a Monday"
                );
            }
            // Only a shared Monday can make a year have 17: check that is what happened.
            let sin_deduplicar: Vec<NaiveDate> = reglas_de(anio).map(|f| observado(anio, e, f.regla)).collect();
            assert_eq!(sin_deduplicar.len() - dias.len(), usize::from(dias.len() == reglas - 1));
        }
    }

    #[test]
    fn los_trasladados_caen_en_lunes_sin_adelantarse() {
        for anio in ANIO_MIN..=ANIO_MAX {
            let e = pascua(anio);
            for &Festivo { nombre, regla, .. } in reglas_de(anio) {
                let nominal = match regla {
                    Regla::Lunes { mes, dia } => ymd(anio, mes, dia),
                    Regla::PascuaLunes { dias } => e + Days::new(dias as u64),
                    Regla::Fija { .. } | Regla::Pascua { .. } => continue,
                };
                let obs = observado(anio, e, regla);
                assert_eq!(obs.weekday(), Weekday::Mon, "{nombre} {anio}");
                assert!(
                    nominal <= obs && (obs - nominal).num_days() < 7,
                    "{nombre} {anio}: {nominal} -> {obs}"
                );
                assert!(festivos(anio).contains(&obs), "{nombre} {anio}");
            }
            // The Easter-tied ones always end up on these offsets.
            let dias = festivos(anio);
            for k in [43, 64, 71] {
                assert!(dias.contains(&(e + Days::new(k))), "{anio}: E+{k} missing");
            }
        }
    }

    #[test]
    fn es_festivo_coincide_con_festivos_en_todo_el_rango_y_fuera_de_el() {
        for anio in (ANIO_MIN - 3..=ANIO_MAX + 3).chain([1, 9999]) {
            let dias = festivos(anio);
            for d in ymd(anio, 1, 1).iter_days().take_while(|d| d.year() == anio) {
                assert_eq!(es_festivo(d), dias.contains(&d), "{d}");
            }
        }
        assert!(es_festivo(ymd(2101, 12, 25)));
        assert!(!es_festivo(ymd(2101, 12, 24)));
    }

    #[test]
    fn es_dia_habil_basico() {
        assert!(es_dia_habil(ymd(2025, 4, 11))); // Friday
        assert!(!es_dia_habil(ymd(2025, 4, 12))); // Saturday
        assert!(!es_dia_habil(ymd(2025, 4, 13))); // Sunday
        assert!(!es_dia_habil(ymd(2025, 4, 17))); // Jueves Santo
        assert!(!es_dia_habil(ymd(2025, 6, 30))); // Sagrado Corazón + San Pedro
        assert!(es_dia_habil(ymd(2026, 1, 6))); // Reyes moved to Monday 12 January 2026
        assert!(!es_dia_habil(ymd(2026, 1, 12)));
    }

    #[test]
    fn glosa_del_viernes_11_abril_2025_vence_el_7_mayo() {
        // Jueves Santo (17 Apr), Viernes Santo (18 Apr) and 1 May are skipped.
        assert_eq!(add_dias_habiles(ymd(2025, 4, 11), 15), ymd(2025, 5, 7));
        assert_eq!(dias_habiles_entre(ymd(2025, 4, 11), ymd(2025, 5, 7)), 15);
    }

    #[test]
    fn plazo_que_cruza_semana_santa_2026() {
        // From Friday 27 Mar 2026: Mon 30 Mar (1), Tue 31 (2), Wed 1 Apr (3), Thu 2 and
        // Fri 3 Apr are Jueves and Viernes Santo, weekend, Mon 6 Apr (4), Tue 7 Apr (5).
        let desde = ymd(2026, 3, 27);
        assert_eq!(add_dias_habiles(desde, 3), ymd(2026, 4, 1));
        assert_eq!(add_dias_habiles(desde, 4), ymd(2026, 4, 6));
        assert_eq!(add_dias_habiles(desde, 5), ymd(2026, 4, 7));
    }

    #[test]
    fn plazo_que_cruza_fin_de_anio() {
        // From Wednesday 24 Dec 2025: Thu 25 Dec is Navidad; Fri 26 (1); Sat 27 and Sun 28
        // weekend; Mon 29 (2), Tue 30 (3), Wed 31 (4); Thu 1 Jan 2026 is Año Nuevo; Fri 2 Jan
        // (5). The 3-4 Jan weekend only matters for longer terms.
        let desde = ymd(2025, 12, 24);
        assert_eq!(add_dias_habiles(desde, 5), ymd(2026, 1, 2));
        // Continuing: Mon 5 Jan (6), Tue 6 Jan (7) is a día hábil because Reyes moved to
        // Mon 12 Jan in 2026, Wed 7 (8), Thu 8 (9), Fri 9 (10); Mon 12 Jan is skipped and
        // Tue 13 Jan is (11).
        assert_eq!(add_dias_habiles(desde, 7), ymd(2026, 1, 6));
        assert_eq!(add_dias_habiles(desde, 10), ymd(2026, 1, 9));
        assert_eq!(add_dias_habiles(desde, 11), ymd(2026, 1, 13));
    }

    #[test]
    fn plazo_que_empieza_en_sabado_o_festivo() {
        // Saturday 12 Apr 2025: the term starts Monday 14, as from Friday 11.
        assert_eq!(add_dias_habiles(ymd(2025, 4, 12), 1), ymd(2025, 4, 14));
        assert_eq!(add_dias_habiles(ymd(2025, 4, 12), 15), ymd(2025, 5, 7));
        // Jueves Santo 17 Apr 2025: Viernes Santo and the weekend follow, first day Mon 21.
        assert_eq!(add_dias_habiles(ymd(2025, 4, 17), 1), ymd(2025, 4, 21));
        // Navidad 2025 (Thursday): first day is Friday 26 Dec.
        assert_eq!(add_dias_habiles(ymd(2025, 12, 25), 1), ymd(2025, 12, 26));
    }

    #[test]
    fn doble_festivo_30_junio_2025() {
        let dias = festivos(2025);
        assert_eq!(dias.iter().filter(|d| **d == ymd(2025, 6, 30)).count(), 1);
        assert_eq!(dias.len(), 17);
        // From Friday 27 Jun: Mon 30 Jun is not hábil, so day 1 is Tuesday 1 Jul.
        assert_eq!(add_dias_habiles(ymd(2025, 6, 27), 1), ymd(2025, 7, 1));
        // From Friday 20 Jun: Mon 23 (Corpus) skipped, Tue 24..Fri 27 are 1..4, Mon 30
        // skipped, Tue 1 Jul (5), Wed 2 Jul (6).
        assert_eq!(add_dias_habiles(ymd(2025, 6, 20), 6), ymd(2025, 7, 2));
    }

    #[test]
    fn cero_dias_devuelve_la_misma_fecha() {
        for d in [ymd(2025, 4, 11), ymd(2025, 4, 12), ymd(2025, 12, 25)] {
            assert_eq!(add_dias_habiles(d, 0), d);
        }
    }

    #[test]
    fn dias_habiles_entre_cero_y_negativo() {
        let viernes = ymd(2025, 4, 11);
        assert_eq!(dias_habiles_entre(viernes, viernes), 0);
        assert_eq!(dias_habiles_entre(ymd(2025, 5, 7), viernes), -15);
        // Friday to Sunday: only weekend days after the start.
        assert_eq!(dias_habiles_entre(viernes, ymd(2025, 4, 13)), 0);
        assert_eq!(dias_habiles_entre(viernes, ymd(2025, 4, 14)), 1);
        assert_eq!(dias_habiles_entre(ymd(2025, 4, 14), viernes), -1);
        // Wednesday 16 Apr to Sunday 20 Apr 2025: Jueves and Viernes Santo, then weekend.
        assert_eq!(dias_habiles_entre(ymd(2025, 4, 16), ymd(2025, 4, 20)), 0);
    }

    #[test]
    fn dias_habiles_entre_deshace_add_dias_habiles() {
        let fin = ymd(2026, 12, 31);
        for d in ymd(2024, 1, 1).iter_days().take_while(|d| *d <= fin) {
            for n in 0..=30 {
                let hasta = add_dias_habiles(d, n);
                assert_eq!(dias_habiles_entre(d, hasta), i64::from(n), "{d} + {n} = {hasta}");
                assert_eq!(dias_habiles_entre(hasta, d), -i64::from(n), "{hasta} - {n} = {d}");
            }
        }
    }

    #[test]
    fn dias_habiles_entre_coincide_con_contar_dia_a_dia() {
        // Spans that cross the edges of the precomputed table and go well outside it.
        let pares = [
            (ymd(1980, 2, 29), ymd(1986, 7, 3)),
            (ymd(2098, 11, 30), ymd(2104, 1, 6)),
            (ymd(1983, 12, 31), ymd(1984, 1, 2)),
            (ymd(2100, 12, 24), ymd(2101, 1, 1)),
            (ymd(2024, 1, 1), ymd(2026, 12, 31)),
            (ymd(1900, 1, 1), ymd(1900, 1, 1)),
        ];
        for (a, b) in pares {
            assert_eq!(dias_habiles_entre(a, b), dias_habiles_entre_ingenuo(a, b), "{a}..{b}");
            assert_eq!(dias_habiles_entre(b, a), dias_habiles_entre_ingenuo(b, a), "{b}..{a}");
        }
        // Every short span in one year, every start day of the week and length.
        let inicio = ymd(2025, 1, 1);
        for a in inicio.iter_days().take(365) {
            for largo in 0..15 {
                let b = a + Days::new(largo);
                assert_eq!(dias_habiles_entre(a, b), dias_habiles_entre_ingenuo(a, b), "{a}..{b}");
            }
        }
    }
}
