//! A payer's sheet of glosas (xlsx, xls, ods, csv), read with a mapping profile.
//!
//! Each row is checked against its invoice as the law and the glosa use case check one typed
//! by hand (limits, terms in días hábiles, duplicates), one invoice after the other on every
//! core, and written in invoice order.

use std::collections::HashMap;

use trazo_importers::sheets::{self, Perfil};
use trazo_importers::Ubicacion;

use super::motor::{en_paralelo, Falla, Fases, Formato, Leido, Nuevo, Parseo, Tanda};
use super::{en, error, Actor, AppError, Contexto, ErrorImportacion, Resumen};
use crate::app::ciclo;
use crate::app::numeros::Numeros;
use crate::db::{self, AnyConnection};

pub(super) struct Glosas<'a> {
    pub cx: &'a Contexto<'a>,
    pub actor: &'a Actor,
    pub perfil: &'a Perfil,
}

impl Formato for Glosas<'_> {
    type Documento = Leido<Vec<sheets::FilaGlosa>>;

    fn parsear(&self, archivos: &[Nuevo]) -> Parseo<Self::Documento> {
        en_paralelo(archivos, |a| sheets::leer_glosas(&a.bytes, &a.nombre, self.perfil))
    }

    fn escribir(
        &mut self,
        c: &mut AnyConnection,
        tanda: Tanda<'_, Self::Documento>,
        errores: &mut Vec<ErrorImportacion>,
    ) -> Result<Resumen, Falla> {
        let (cx, actor) = (self.cx, self.actor);
        let mut fases = Fases::empezar();
        let numeros = Numeros::de(db::facturas::numeros(c, &actor.prestador_id)?);
        fases.marcar("numeros");
        // The rows of each invoice in the sheet's order: an invoice's glosas are checked one
        // after the other (each sees the ones before it), different invoices on different cores.
        let mut por_factura: HashMap<String, Vec<(usize, sheets::FilaGlosa)>> = HashMap::new();
        for Leido { archivo, contenido } in tanda.documentos {
            for fila in contenido {
                match numeros.buscar(&fila.numero_factura) {
                    Some(id) => por_factura.entry(id.clone()).or_default().push((archivo, fila)),
                    None => errores.push(error(
                        &tanda.archivos[archivo].archivo.nombre,
                        Ubicacion::Fila(fila.fila),
                        Some("numero_factura"),
                        format!("la factura {} no está en Trazo", fila.numero_factura),
                    )),
                }
            }
        }
        let ids: Vec<String> = por_factura.keys().cloned().collect();
        let mut expedientes: HashMap<String, ciclo::Expediente> =
            ciclo::cargar_varias(c, cx.terminos, &actor.prestador_id, &ids)?
                .into_iter()
                .map(|e| (e.fila.id.clone(), e))
                .collect();
        fases.marcar("facturas");
        let mut trabajo: Vec<_> = expedientes
            .iter_mut()
            .filter_map(|(id, e)| por_factura.remove(id).map(|filas| (e, filas)))
            .collect();
        // In invoice id order, so that the glosas and events are inserted next to each other in
        // the (prestador_id, factura_id) indexes rather than scattered over them (20% slower).
        trabajo.sort_unstable_by(|x, y| x.0.fila.id.cmp(&y.0.fila.id));
        let hilos = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
        let por_hilo = trabajo.len().div_ceil(hilos).max(1);
        let partes: Vec<Reglas> = std::thread::scope(|s| {
            let hs: Vec<_> = trabajo
                .chunks_mut(por_hilo)
                .map(|t| s.spawn(move || Reglas::de(t, cx, actor)))
                .collect();
            hs.into_iter()
                .map(|h| {
                    h.join()
                        .map_err(|_| AppError::Internal(anyhow::anyhow!("the glosa rules thread panicked")))
                })
                .collect::<Result<_, _>>()
        })?;
        let mut nuevas = Vec::new();
        let mut eventos = Vec::new();
        let mut duplicados = 0;
        let mut rechazadas = Vec::new();
        for p in partes {
            nuevas.extend(p.nuevas);
            eventos.extend(p.eventos);
            duplicados += p.duplicados;
            rechazadas.extend(p.errores);
        }
        // Errors in the order of the files and their rows, as a user reads them.
        rechazadas.sort_by_key(|(archivo, fila, _)| (*archivo, *fila));
        for (archivo, fila, e) in rechazadas {
            errores.extend(en(&tanda.archivos[archivo].archivo.nombre, Ubicacion::Fila(fila), e));
        }
        if !errores.is_empty() {
            return Ok(Resumen::default());
        }
        fases.marcar("reglas");
        db::glosas::insertar(c, &nuevas)?;
        fases.marcar("glosas");
        db::eventos::insertar(c, &eventos)?;
        fases.marcar("eventos");
        // In id order, like the inserts: the updated rows sit next to each other in the table.
        let mut tocadas: Vec<&str> = nuevas.iter().map(|g| g.factura_id.as_str()).collect();
        tocadas.sort_unstable();
        tocadas.dedup();
        let tocadas: Vec<&ciclo::Expediente> = tocadas.into_iter().map(|id| &expedientes[id]).collect();
        ciclo::guardar_saldos(c, &tocadas, &cx.terminos.reglas)?;
        fases.marcar("saldos");
        Ok(Resumen {
            creados: nuevas.len(),
            duplicados,
            ..Resumen::default()
        })
    }
}

/// What the rules made of some invoices' glosa rows: glosas and events to write, rows already
/// in Trazo, and refused rows as (file, row, why).
#[derive(Default)]
struct Reglas {
    nuevas: Vec<db::glosas::Glosa>,
    eventos: Vec<db::eventos::Evento>,
    duplicados: usize,
    errores: Vec<(usize, usize, AppError)>,
}

impl Reglas {
    fn de(
        trabajo: &mut [(&mut ciclo::Expediente, Vec<(usize, sheets::FilaGlosa)>)],
        cx: &Contexto,
        actor: &Actor,
    ) -> Self {
        let mut r = Reglas::default();
        for (expediente, filas) in trabajo {
            for (archivo, fila) in std::mem::take(filas) {
                r.fila(expediente, cx, actor, archivo, fila);
            }
        }
        r
    }

    /// Checks row `f` of file `archivo` against its invoice `e` and, when it holds, adds the
    /// glosa to `e` so that the invoice's next rows see it.
    fn fila(&mut self, e: &mut ciclo::Expediente, cx: &Contexto, actor: &Actor, archivo: usize, f: sheets::FilaGlosa) {
        use crate::app::glosas::{entrada, preparar, NuevaGlosa};
        let n = NuevaGlosa {
            codigo: f.codigo,
            valor: f.valor,
            fecha_formulacion: f.fecha_formulacion,
            fecha_recepcion: f.fecha_recepcion,
            item: f.item,
            observacion: f.observacion,
            hecho_nuevo: false,
            reemplaza: None,
        };
        let (cod, valor) = match entrada(&n, e.dominio.fecha_expedicion)
            .and_then(|x| crate::app::no_futura("fecha_recepcion", n.fecha_recepcion, cx.hoy).map(|_| x))
        {
            Ok(x) => x,
            Err(err) => return self.errores.push((archivo, f.fila, err)),
        };
        // The same glosa already in Trazo (a sheet imported again, or typed by hand).
        if e.glosas.iter().any(|g| {
            g.codigo == cod.codigo
                && g.valor == valor
                && g.fecha_formulacion == n.fecha_formulacion
                && g.item_linea == n.item
        }) {
            self.duplicados += 1;
            return;
        }
        match preparar(e, cx.terminos, actor, &cod, &n, valor) {
            Ok((g, ev)) => {
                self.nuevas.push(g);
                self.eventos.push(ev);
            }
            Err(err) => self.errores.push((archivo, f.fila, err)),
        }
    }
}
