//! A payer's sheet of glosas (xlsx, xls, ods, csv), read with a mapping profile.
//!
//! Each row is checked against its invoice as the law and the glosa use case check one typed
//! by hand (limits, terms in días hábiles, duplicates), one invoice after the other on every
//! core, and written in invoice order.

use std::collections::HashMap;

use trazo_importers::sheets::{self, FilaIncompleta, Lectura, Perfil};
use trazo_importers::Ubicacion;

use super::motor::{en_paralelo_parcial, ordenar, Falla, Fases, Formato, Leido, Nuevo, Parseo, Tanda};
use super::{en, error, Actor, AppError, Contexto, ErrorImportacion, GlosaAceptadaTacitamente, Resumen};
use crate::app::ciclo;
use crate::app::numeros::Numeros;
use crate::db::{self, AnyConnection};
use crate::domain::catalogo::Catalogo;

pub(super) struct Glosas<'a> {
    pub cx: &'a Contexto<'a>,
    pub actor: &'a Actor,
    pub perfil: &'a Perfil,
}

impl Formato for Glosas<'_> {
    type Documento = Leido<Lectura<sheets::FilaGlosa>>;

    // A bad cell on one row and an unknown invoice on another come in the same answer.
    const REVISA_TRAS_ERRORES_DE_LECTURA: bool = true;

    fn parsear(&self, archivos: &[Nuevo]) -> Parseo<Self::Documento> {
        en_paralelo_parcial(archivos, |a| {
            let mut l = sheets::glosas(&a.bytes, &a.nombre, self.perfil);
            let errores = std::mem::take(&mut l.errores);
            (l, errores)
        })
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
        let catalogo = Catalogo::oficial();
        let nombre = |archivo: usize| tanda.archivos[archivo].archivo.nombre.as_str();
        // A row whose invoice Trazo lacks: said, and its code checked against both manuals.
        let sin_factura = |errores: &mut Vec<ErrorImportacion>,
                           archivo: usize,
                           fila: usize,
                           numero: Option<&str>,
                           codigo: Option<&str>| {
            if let Some(numero) = numero {
                errores.push(error(
                    nombre(archivo),
                    Ubicacion::Fila(fila),
                    Some("numero_factura"),
                    super::factura_desconocida(numero),
                ));
            }
            if let Some(Err(m)) = codigo.map(|c| catalogo.validar_glosa_sin_factura(c)) {
                errores.push(error(nombre(archivo), Ubicacion::Fila(fila), Some("codigo"), m));
            }
        };
        fases.marcar("numeros");
        // The rows of each invoice in the sheet's order: an invoice's glosas are checked one
        // after the other (each sees the ones before it), different invoices on different cores.
        let mut por_factura: HashMap<String, Vec<(usize, sheets::FilaGlosa)>> = HashMap::new();
        // Rows with a bad cell, by invoice id: their code is still checked against its manual.
        let mut incompletas: Vec<(usize, String, FilaIncompleta)> = Vec::new();
        for Leido { archivo, contenido } in tanda.documentos {
            for fila in contenido.filas {
                match numeros.buscar(&fila.numero_factura) {
                    Some(id) => por_factura.entry(id.clone()).or_default().push((archivo, fila)),
                    None => sin_factura(
                        errores,
                        archivo,
                        fila.fila,
                        Some(&fila.numero_factura),
                        Some(&fila.codigo),
                    ),
                }
            }
            for fila in contenido.incompletas {
                match fila.numero_factura.as_deref().map(|n| numeros.buscar(n)) {
                    Some(Some(id)) => incompletas.push((archivo, id.clone(), fila)),
                    _ => sin_factura(
                        errores,
                        archivo,
                        fila.fila,
                        fila.numero_factura.as_deref(),
                        fila.codigo.as_deref(),
                    ),
                }
            }
        }
        let mut ids: Vec<String> = por_factura.keys().cloned().collect();
        ids.extend(incompletas.iter().map(|(_, id, _)| id.clone()));
        ids.sort_unstable();
        ids.dedup();
        let mut expedientes: HashMap<String, ciclo::Expediente> =
            ciclo::cargar_varias(c, cx.terminos, &actor.prestador_id, &ids)?
                .into_iter()
                .map(|e| (e.fila.id.clone(), e))
                .collect();
        for (archivo, id, fila) in &incompletas {
            let (Some(e), Some(codigo)) = (expedientes.get(id), fila.codigo.as_deref()) else {
                continue;
            };
            if let Err(m) = catalogo.validar_glosa(codigo, e.dominio.fecha_expedicion) {
                errores.push(error(nombre(*archivo), Ubicacion::Fila(fila.fila), Some("codigo"), m));
            }
        }
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
        let mut aceptadas = Vec::new();
        for p in partes {
            nuevas.extend(p.nuevas);
            eventos.extend(p.eventos);
            duplicados += p.duplicados;
            rechazadas.extend(p.errores);
            aceptadas.extend(p.aceptadas);
        }
        for (archivo, fila, e) in rechazadas {
            errores.extend(en(nombre(archivo), Ubicacion::Fila(fila), e));
        }
        // Errors in the order of the files and their rows, as a user reads them (problems of
        // reading first within a row, then those of its invoice).
        ordenar(errores, tanda.archivos);
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
        aceptadas.sort_by_key(|(archivo, fila, _)| (*archivo, *fila));
        let resumen = Resumen {
            creados: nuevas.len(),
            duplicados,
            aceptadas_tacitamente: aceptadas
                .into_iter()
                .map(|(archivo, row, a)| GlosaAceptadaTacitamente {
                    archivo: nombre(archivo).to_string(),
                    row,
                    ..a
                })
                .collect(),
            ..Resumen::default()
        };
        fases.marcar("resumen");
        // Hundreds of thousands of small allocations (the rows, their events, the invoices
        // loaded): freed on another core while the run commits.
        let lastre = (nuevas, eventos, expedientes);
        std::thread::spawn(move || drop(lastre));
        fases.marcar("soltar");
        Ok(resumen)
    }
}

/// What the rules made of some invoices' glosa rows: glosas and events to write, rows already
/// in Trazo, refused rows as (file, row, why), and the new glosas already accepted by silence as
/// (file, row, which).
#[derive(Default)]
struct Reglas {
    nuevas: Vec<db::glosas::Glosa>,
    eventos: Vec<db::eventos::Evento>,
    duplicados: usize,
    errores: Vec<(usize, usize, AppError)>,
    aceptadas: Vec<(usize, usize, GlosaAceptadaTacitamente)>,
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
    /// glosa to `e` so that the invoice's next rows see it. A refused row gets every reason:
    /// its code, its dates and what the invoice's rules say of its values.
    fn fila(&mut self, e: &mut ciclo::Expediente, cx: &Contexto, actor: &Actor, archivo: usize, f: sheets::FilaGlosa) {
        use crate::app::glosas::{entrada, preparar, NuevaGlosa};
        let n = NuevaGlosa {
            codigo: f.codigo,
            valor: f.valor,
            fecha_formulacion: f.fecha_formulacion,
            fecha_recepcion: f.fecha_recepcion,
            item: f.item,
            observacion: f.observacion,
            hecho_nuevo: f.hecho_nuevo,
            reemplaza: None,
        };
        let dominio = |valor: i64| crate::domain::ciclo::NuevaGlosa {
            item_linea: n.item,
            valor,
            fecha_formulacion: n.fecha_formulacion,
            fecha_recepcion: n.fecha_recepcion,
            hecho_nuevo: n.hecho_nuevo,
        };
        let mut problemas = Vec::new();
        let revisada = entrada(&n, e.dominio.fecha_expedicion)
            .map_err(|x| problemas.push(x))
            .ok();
        if let Err(x) = crate::app::no_futura("fecha_recepcion", n.fecha_recepcion, cx.hoy) {
            problemas.push(x);
        }
        let Some((cod, valor)) = revisada.filter(|_| problemas.is_empty()) else {
            if let Ok(valor) = crate::domain::money::to_centavos_no_negativo(n.valor) {
                problemas.extend(
                    e.dominio
                        .problemas_de_glosa(&dominio(valor), cx.terminos)
                        .into_iter()
                        .map(AppError::from),
                );
            }
            self.errores.extend(problemas.into_iter().map(|p| (archivo, f.fila, p)));
            return;
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
                // Past its answer term on the day of the import: silence already accepted it.
                if e.dominio
                    .glosas
                    .last()
                    .is_some_and(|d| d.aceptada_tacitamente(cx.hoy, &cx.terminos.reglas))
                {
                    self.aceptadas.push((
                        archivo,
                        f.fila,
                        GlosaAceptadaTacitamente {
                            archivo: String::new(),
                            row: f.fila,
                            factura_id: e.fila.id.clone(),
                            numero_factura: e.fila.numero.clone(),
                            codigo: g.codigo.clone(),
                            valor: crate::domain::money::from_centavos(valor),
                            fecha_limite_respuesta: g.fecha_limite_respuesta,
                        },
                    ));
                }
                self.nuevas.push(g);
                self.eventos.push(ev);
            }
            // Every reason, of the invoice's state and of the values (`preparar` gives the
            // state's alone when there is one).
            Err(err) => {
                let todos = e.dominio.problemas_de_glosa(&dominio(valor), cx.terminos);
                if todos.is_empty() {
                    self.errores.push((archivo, f.fila, err));
                }
                self.errores
                    .extend(todos.into_iter().map(|r| (archivo, f.fila, AppError::from(r))));
            }
        }
    }
}
