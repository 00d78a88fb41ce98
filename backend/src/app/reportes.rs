//! Work lists (alertas), computed in SQL.

use chrono::{Duration, NaiveDate};
use rust_decimal::Decimal;
use serde::Serialize;
use utoipa::ToSchema;

use super::{Actor, AppError};
use crate::db::{self, Db};
use crate::domain::calendario::{add_dias_habiles, dias_habiles_entre};
use crate::domain::devolucion::EstadoDevolucion;
use crate::domain::factura::EstadoFactura;
use crate::domain::money::from_centavos;
use crate::domain::terminos::Terminos;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TipoAlerta {
    /// A glosa whose answer is due within the window (the prestador must act).
    GlosaPorResponder,
    /// A glosa whose answer is overdue: accepted by silence (Ley 1438/2011 art. 57).
    GlosaVencida,
    /// An extemporánea glosa still unanswered: silence does not accept it; answer RE9502.
    GlosaExtemporanea,
    /// An issued invoice near or past its radicación term.
    RadicacionPorVencer,
    /// The payer did not decide on an answer within its term: the glosa stays in discussion.
    DecisionVencida,
    /// A ratified glosa the prestador may still cure (subsanación, 7 días hábiles).
    SubsanacionPorVencer,
    /// A devolución whose answer is due within the window (Res. 2284/2023 art. 6.2).
    DevolucionPorResponder,
    /// A devolución after the payer's term, unanswered: answer RE9501 (art. 6.1).
    DevolucionExtemporanea,
    /// A devolución that stands (accepted by RE9701 or silence, or reiterated): radicate the
    /// corrected invoice again by `vence` (`[reradicacion]`), or issue the nota crédito.
    NotaCreditoPendiente,
    /// The payer neither accepted the answer nor reiterated in time: the devolución was
    /// unjustified and the invoice is back in its process (art. 6.3).
    DevolucionInjustificada,
    /// The first share (50%) was not paid within its term (Ley 1122/2007 art. 13 lit. d).
    PagoAnticipoVencido,
    /// The payer did not pay within its term.
    PagoVencido,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Alerta {
    pub tipo: TipoAlerta,
    pub factura_id: String,
    pub numero: String,
    pub pagador_id: String,
    /// The payer's name.
    pub pagador: String,
    pub glosa_id: Option<String>,
    /// The glosa's code and its description in the manual, for glosa alerts.
    pub codigo: Option<String>,
    pub descripcion_codigo: Option<String>,
    pub devolucion_id: Option<String>,
    pub vence: NaiveDate,
    pub vencida: bool,
    /// Días hábiles left (negative when overdue).
    pub dias_habiles_restantes: i64,
    /// Calendar days since a payment term ended (pago_vencido, pago_anticipo_vencido): días de mora.
    pub dias_mora: Option<i64>,
    /// The value at stake.
    #[schema(value_type = String)]
    pub valor: Decimal,
    /// What to do, in words a clerk acts on.
    pub accion: String,
}

#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct Alertas {
    pub hoy: NaiveDate,
    /// Alerts cover deadlines up to this date (today + `dias` días hábiles).
    pub hasta: NaiveDate,
    /// This page of the alerts that match, by due date.
    pub items: Vec<Alerta>,
    /// How many match, on every page.
    pub total: usize,
}

/// What a list of alerts asks for: `?dias=&tipo=&pagador_id=&vencidas=&page=&per_page=`.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct ConsultaAlertas {
    /// Window in días hábiles from today (default 5, at most 60).
    pub dias: Option<u32>,
    /// Only alerts of this kind.
    // Read as text and parsed in `consultar`, so a wrong value is refused naming `tipo`.
    #[param(value_type = Option<TipoAlerta>)]
    pub tipo: Option<String>,
    pub pagador_id: Option<String>,
    /// `true`: only the deadlines already missed; `false`: only those still running.
    pub vencidas: Option<bool>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
    /// `xlsx` for a workbook of every alert that matches.
    pub formato: Option<String>,
}

/// The alerts a user asked for: of one kind or payer, a page at a time; `todas` gives every
/// match (a workbook).
pub fn consultar(
    db: &Db,
    t: &Terminos,
    actor: &Actor,
    hoy: NaiveDate,
    q: ConsultaAlertas,
    todas: bool,
) -> Result<Alertas, AppError> {
    // Checked before the work: a wrong kind or page is refused at once.
    filtrar(Alertas::default(), &q, todas)?;
    let a = alertas(db, t, actor, q.dias.unwrap_or(5), hoy)?;
    filtrar(a, &q, todas)
}

/// The alerts of `a` that `q` asks for (its kind, payer, missed or not), a page at a time;
/// `todas` gives every match. For a page that shows several views of one computation.
pub fn filtrar(mut a: Alertas, q: &ConsultaAlertas, todas: bool) -> Result<Alertas, AppError> {
    let pagina = super::Pagina::new(q.page, q.per_page)?;
    let tipo = q
        .tipo
        .as_deref()
        .map(|x| {
            serde_json::from_value::<TipoAlerta>(serde_json::Value::String(x.to_string())).map_err(|e| {
                let permitidos = e.to_string();
                let permitidos = permitidos
                    .split("expected one of ")
                    .nth(1)
                    .unwrap_or("")
                    .replace('`', "");
                AppError::invalid(
                    "tipo",
                    format!("'{x}' no es un tipo de alerta; se espera uno de: {permitidos}"),
                )
            })
        })
        .transpose()?;
    a.items.retain(|x| {
        tipo.is_none_or(|t| x.tipo == t)
            && q.pagador_id.as_ref().is_none_or(|p| &x.pagador_id == p)
            && q.vencidas.is_none_or(|v| x.vencida == v)
    });
    a.total = a.items.len();
    if !todas {
        a.items = a
            .items
            .into_iter()
            .skip(pagina.offset() as usize)
            .take(pagina.per_page as usize)
            .collect();
    }
    Ok(a)
}

/// The alerts as a workbook, one row per alert, by due date.
pub fn xlsx(a: &Alertas) -> Result<Vec<u8>, AppError> {
    use super::hoja::{self, Celda, Hoja};
    let filas = a
        .items
        .iter()
        .map(|x| {
            vec![
                Celda::Fecha(x.vence),
                Celda::Entero(x.dias_habiles_restantes),
                serde_json::to_value(x.tipo)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default()
                    .into(),
                x.numero.as_str().into(),
                x.pagador.as_str().into(),
                x.codigo.clone().unwrap_or_default().into(),
                x.descripcion_codigo.clone().unwrap_or_default().into(),
                Celda::Dinero(x.valor),
                x.accion.as_str().into(),
            ]
        })
        .collect();
    hoja::libro(&[Hoja {
        nombre: "Alertas".into(),
        encabezado: vec![
            ("Alertas".into(), a.total.to_string()),
            ("Al".into(), a.hoy.to_string()),
            ("Hasta".into(), a.hasta.to_string()),
        ],
        columnas: vec![
            ("Vence", 12.0),
            ("Días hábiles", 10.0),
            ("Tipo", 22.0),
            ("Factura", 16.0),
            ("Pagador", 30.0),
            ("Código", 10.0),
            ("Descripción", 40.0),
            ("Valor", 16.0),
            ("Qué hacer", 60.0),
        ],
        filas,
    }])
}

/// Overdue glosas older than this are money already lost; the list shows the recent ones.
const DIAS_GLOSAS_VENCIDAS: i64 = 30;

impl TipoAlerta {
    pub const ALL: &'static [TipoAlerta] = &[
        TipoAlerta::GlosaPorResponder,
        TipoAlerta::GlosaVencida,
        TipoAlerta::GlosaExtemporanea,
        TipoAlerta::RadicacionPorVencer,
        TipoAlerta::DecisionVencida,
        TipoAlerta::SubsanacionPorVencer,
        TipoAlerta::DevolucionPorResponder,
        TipoAlerta::DevolucionExtemporanea,
        TipoAlerta::NotaCreditoPendiente,
        TipoAlerta::DevolucionInjustificada,
        TipoAlerta::PagoAnticipoVencido,
        TipoAlerta::PagoVencido,
    ];

    /// Its text in the API (`glosa_por_responder`).
    pub fn as_str(self) -> &'static str {
        match self {
            TipoAlerta::GlosaPorResponder => "glosa_por_responder",
            TipoAlerta::GlosaVencida => "glosa_vencida",
            TipoAlerta::GlosaExtemporanea => "glosa_extemporanea",
            TipoAlerta::RadicacionPorVencer => "radicacion_por_vencer",
            TipoAlerta::DecisionVencida => "decision_vencida",
            TipoAlerta::SubsanacionPorVencer => "subsanacion_por_vencer",
            TipoAlerta::DevolucionPorResponder => "devolucion_por_responder",
            TipoAlerta::DevolucionExtemporanea => "devolucion_extemporanea",
            TipoAlerta::NotaCreditoPendiente => "nota_credito_pendiente",
            TipoAlerta::DevolucionInjustificada => "devolucion_injustificada",
            TipoAlerta::PagoAnticipoVencido => "pago_anticipo_vencido",
            TipoAlerta::PagoVencido => "pago_vencido",
        }
    }

    fn accion(self) -> &'static str {
        match self {
            TipoAlerta::GlosaPorResponder => "responder la glosa antes de que venza el término",
            TipoAlerta::GlosaVencida => "la glosa quedó aceptada tácitamente; el valor se pierde (RE2202)",
            TipoAlerta::GlosaExtemporanea => "responder RE9502: la glosa es extemporánea y no procede",
            TipoAlerta::RadicacionPorVencer => "radicar la factura con sus soportes",
            TipoAlerta::DecisionVencida => {
                "decisión del pagador vencida: la glosa sigue en discusión; pedir la decisión o conciliar"
            }
            TipoAlerta::SubsanacionPorVencer => "subsanar la glosa ratificada, si es subsanable",
            TipoAlerta::DevolucionPorResponder => {
                "responder la devolución (RE9601 si es injustificada, RE9701 si se acepta)"
            }
            TipoAlerta::DevolucionExtemporanea => "responder RE9501: la devolución es extemporánea y no procede",
            TipoAlerta::NotaCreditoPendiente => {
                "devolución en firme: radicar de nuevo la factura corregida antes de que venza el término, o expedir la nota crédito"
            }
            TipoAlerta::DevolucionInjustificada => {
                "el pagador no reiteró a tiempo: la devolución fue injustificada y la factura sigue en su trámite"
            }
            TipoAlerta::PagoAnticipoVencido => "cobrar el 50% que debía pagarse dentro de los 5 días de la radicación",
            TipoAlerta::PagoVencido => "cobrar la factura vencida",
        }
    }

    /// Kinds that are about a glosa or a devolución: the work list's first section.
    pub fn de_glosa_o_devolucion(self) -> bool {
        !matches!(
            self,
            TipoAlerta::RadicacionPorVencer | TipoAlerta::PagoAnticipoVencido | TipoAlerta::PagoVencido
        )
    }
}

struct Fuente {
    tipo: TipoAlerta,
    factura_id: String,
    numero: String,
    pagador_id: String,
    glosa_id: Option<String>,
    codigo: Option<String>,
    devolucion_id: Option<String>,
    vence: NaiveDate,
    valor: i64,
}

pub fn alertas(db: &Db, t: &Terminos, actor: &Actor, dias: u32, hoy: NaiveDate) -> Result<Alertas, AppError> {
    if dias > 60 {
        return Err(AppError::invalid("dias", "se esperan hasta 60 días hábiles"));
    }
    let hasta = add_dias_habiles(hoy, dias);
    let pid = &actor.prestador_id;
    let reciente = hoy - Duration::days(DIAS_GLOSAS_VENCIDAS);
    let radicadas_hasta = t.pago_anticipo.ultimo_inicio_vencido(hoy);
    let (por_responder, vencidas, extemporaneas, decisiones, ratificadas, devoluciones, radicaciones, anticipos, pagos) =
        db.read(|c| {
            Ok::<_, AppError>((
                db::reportes::glosas_por_vencer(c, pid, "formulada", false, Some(hoy), hasta)?,
                db::reportes::glosas_por_vencer(c, pid, "formulada", false, Some(reciente), hoy - Duration::days(1))?,
                db::reportes::glosas_extemporaneas(c, pid)?,
                db::reportes::glosas_por_vencer(c, pid, "respondida", true, None, hoy - Duration::days(1))?,
                db::reportes::glosas_ratificadas(c, pid, reciente)?,
                db::radicaciones::abiertas(c, pid)?,
                db::reportes::radicacion_por_vencer(c, pid, hasta)?,
                db::reportes::anticipos_pendientes(c, pid, radicadas_hasta, hoy)?,
                db::reportes::pagos_vencidos(c, pid, hoy)?,
            ))
        })?;
    let mut fuentes: Vec<Fuente> = Vec::new();
    let glosa = |tipo, g: db::reportes::GlosaAlerta, vence| Fuente {
        tipo,
        factura_id: g.factura_id,
        numero: g.numero,
        pagador_id: g.pagador_id,
        glosa_id: Some(g.glosa_id),
        codigo: Some(g.codigo),
        devolucion_id: None,
        vence,
        valor: g.valor,
    };
    // Silence does not accept an extemporánea glosa: it has its own kind, whatever its term.
    let (ext_reglas, acepta_ext) = (&t.reglas, t.reglas.aceptacion_tacita_glosa_extemporanea);
    for (tipo, lista) in [
        (TipoAlerta::GlosaPorResponder, por_responder),
        (TipoAlerta::GlosaVencida, vencidas),
    ] {
        for g in lista.into_iter().filter(|g| acepta_ext || !g.extemporanea) {
            if let Some(v) = g.vence {
                fuentes.push(glosa(tipo, g, v));
            }
        }
    }
    if ext_reglas.aceptacion_tacita && !acepta_ext {
        for g in extemporaneas {
            if let Some(v) = g.vence {
                fuentes.push(glosa(TipoAlerta::GlosaExtemporanea, g, v));
            }
        }
    }
    for g in decisiones {
        if let Some(v) = g.vence {
            fuentes.push(glosa(TipoAlerta::DecisionVencida, g, v));
        }
    }
    for g in ratificadas {
        if let Some(decidida) = g.vence {
            let v = t.subsanacion.vence(decidida);
            if v >= hoy && v <= hasta {
                fuentes.push(glosa(TipoAlerta::SubsanacionPorVencer, g, v));
            }
        }
    }
    for (fila, numero, pagador_id, estado) in devoluciones {
        let d = super::ciclo::devolucion_dominio(&fila, t)?;
        // A timely devolución matters while it holds the invoice as recorded: once the
        // invoice was radicated again (or closed) there is nothing left to do on it.
        if !fila.extemporanea && estado != EstadoFactura::Devuelta.as_str() {
            continue;
        }
        let (tipo, vence) = match d.estado(hoy, &t.reglas) {
            EstadoDevolucion::Extemporanea if fila.respuesta_codigo.is_none() => {
                (TipoAlerta::DevolucionExtemporanea, fila.fecha)
            }
            EstadoDevolucion::Comunicada => match d.fecha_limite_respuesta {
                Some(l) if l <= hasta => (TipoAlerta::DevolucionPorResponder, l),
                _ => continue,
            },
            EstadoDevolucion::Aceptada | EstadoDevolucion::Reiterada => match d.fecha_limite_reradicacion(hoy, t) {
                Some(l) => (TipoAlerta::NotaCreditoPendiente, l),
                None => continue,
            },
            EstadoDevolucion::Injustificada => match d.fecha_limite_reiteracion {
                Some(l) if l >= reciente && d.injustificada_por_silencio(hoy, &t.reglas) => {
                    (TipoAlerta::DevolucionInjustificada, l)
                }
                _ => continue,
            },
            _ => continue,
        };
        fuentes.push(Fuente {
            tipo,
            factura_id: fila.factura_id,
            numero,
            pagador_id,
            glosa_id: None,
            codigo: None,
            devolucion_id: Some(fila.id),
            vence,
            valor: 0,
        });
    }
    let factura = |tipo, (id, numero, pagador_id, vence, saldo): db::reportes::FacturaAlerta| {
        vence.map(|v| Fuente {
            tipo,
            factura_id: id,
            numero,
            pagador_id,
            glosa_id: None,
            codigo: None,
            devolucion_id: None,
            vence: v,
            valor: saldo,
        })
    };
    fuentes.extend(
        radicaciones
            .into_iter()
            .filter_map(|f| factura(TipoAlerta::RadicacionPorVencer, f)),
    );
    for a in anticipos {
        // Ley 1122/2007 art. 13 lit. d: the first share, less what was paid, up to the saldo.
        let falta = (t.valor_anticipo(a.a_cargo) - a.pagado).min(a.saldo);
        if falta > 0 {
            fuentes.push(Fuente {
                tipo: TipoAlerta::PagoAnticipoVencido,
                factura_id: a.id,
                numero: a.numero,
                pagador_id: a.pagador_id,
                glosa_id: None,
                codigo: None,
                devolucion_id: None,
                vence: t.pago_anticipo.vence(a.fecha_radicacion),
                valor: falta,
            });
        }
    }
    fuentes.extend(pagos.into_iter().filter_map(|f| factura(TipoAlerta::PagoVencido, f)));
    let nombres = db.read(|c| Ok::<_, AppError>(db::pagadores::nombres(c, &actor.prestador_id)?))?;
    let mut items: Vec<Alerta> = fuentes
        .into_iter()
        .map(|f| Alerta {
            pagador: nombres.get(&f.pagador_id).cloned().unwrap_or_default(),
            descripcion_codigo: f
                .codigo
                .as_deref()
                .and_then(|c| crate::domain::catalogo::Catalogo::oficial().buscar(c))
                .map(|c| c.descripcion.clone()),
            codigo: f.codigo,
            vencida: hoy > f.vence,
            dias_habiles_restantes: dias_habiles_entre(hoy, f.vence),
            dias_mora: matches!(f.tipo, TipoAlerta::PagoVencido | TipoAlerta::PagoAnticipoVencido)
                .then(|| (hoy - f.vence).num_days()),
            valor: from_centavos(f.valor),
            accion: f.tipo.accion().to_string(),
            tipo: f.tipo,
            factura_id: f.factura_id,
            numero: f.numero,
            pagador_id: f.pagador_id,
            glosa_id: f.glosa_id,
            devolucion_id: f.devolucion_id,
            vence: f.vence,
        })
        .collect();
    items.sort_by(|a, b| a.vence.cmp(&b.vence).then(a.numero.cmp(&b.numero)));
    Ok(Alertas {
        hoy,
        hasta,
        total: items.len(),
        items,
    })
}

#[cfg(test)]
mod tests {
    use super::TipoAlerta;

    #[test]
    fn every_alert_kind_is_listed_with_its_api_text() {
        for t in TipoAlerta::ALL {
            assert_eq!(serde_json::to_value(t).unwrap(), t.as_str());
        }
        assert_eq!(TipoAlerta::ALL.len(), 12);
    }
}
