//! The import runs of this process take turns: at most `simultaneas` work at once, the rest
//! wait in the order they came (`en_cola`), and at most `max_en_cola` wait. A run parses on up
//! to eight threads and holds its files while it works, so without turns eight uploads at once
//! are eight times the memory and the CPU of one; with them, what the server can hold for
//! imports is `simultaneas` runs at their limits plus the uploads waiting.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex};

use crate::app::AppError;

type Trabajo = Box<dyn FnOnce() + Send>;

/// The turns of import runs: a fixed set of workers taking runs from one line, first come
/// first served.
pub struct Cola {
    enviar: Mutex<Sender<Trabajo>>,
    esperando: Arc<AtomicUsize>,
    max_en_cola: usize,
}

impl Cola {
    /// Starts `simultaneas` workers (at least one).
    pub fn nueva(simultaneas: usize, max_en_cola: usize) -> Arc<Cola> {
        let (enviar, recibir) = channel::<Trabajo>();
        let recibir = Arc::new(Mutex::new(recibir));
        let esperando = Arc::new(AtomicUsize::new(0));
        for i in 0..simultaneas.max(1) {
            let (recibir, esperando) = (recibir.clone(), esperando.clone());
            let lanzado = std::thread::Builder::new()
                .name(format!("importacion-{i}"))
                .spawn(move || trabajar(&recibir, &esperando));
            if let Err(e) = lanzado {
                tracing::error!(error = %e, "could not start an import worker");
            }
        }
        Arc::new(Cola {
            enviar: Mutex::new(enviar),
            esperando,
            max_en_cola,
        })
    }

    /// Takes a place in the line, or says the line is full (503: try again later). The place is
    /// given back if the run is not sent.
    pub fn reservar(self: &Arc<Self>) -> Result<Lugar, AppError> {
        let antes = self.esperando.fetch_add(1, Ordering::SeqCst);
        if antes >= self.max_en_cola {
            self.esperando.fetch_sub(1, Ordering::SeqCst);
            return Err(AppError::Ocupado(format!(
                "{antes} importaciones esperan turno (importaciones.max_en_cola = {})",
                self.max_en_cola
            )));
        }
        Ok(Lugar {
            cola: self.clone(),
            usado: false,
        })
    }

    /// Takes a place even when the line is full: for a run already accepted once, taken from
    /// a server that stopped, which must not be refused now.
    pub fn reservar_siempre(self: &Arc<Self>) -> Lugar {
        self.esperando.fetch_add(1, Ordering::SeqCst);
        Lugar {
            cola: self.clone(),
            usado: false,
        }
    }

    /// Runs waiting their turn now.
    pub fn esperando(&self) -> usize {
        self.esperando.load(Ordering::SeqCst)
    }
}

/// A place in the line, taken before the run is recorded.
pub struct Lugar {
    cola: Arc<Cola>,
    usado: bool,
}

impl Lugar {
    /// Puts the run in line; it starts when a worker is free and those before it have started.
    pub fn enviar(mut self, trabajo: impl FnOnce() + Send + 'static) {
        self.usado = true;
        let enviado = self
            .cola
            .enviar
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .send(Box::new(trabajo));
        if let Err(e) = enviado {
            // No worker is left (they never stop): run it here rather than lose it.
            self.cola.esperando.fetch_sub(1, Ordering::SeqCst);
            (e.0)();
        }
    }
}

impl Drop for Lugar {
    fn drop(&mut self) {
        if !self.usado {
            self.cola.esperando.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

fn trabajar(recibir: &Mutex<Receiver<Trabajo>>, esperando: &AtomicUsize) {
    loop {
        let siguiente = recibir.lock().unwrap_or_else(|p| p.into_inner()).recv();
        let Ok(trabajo) = siguiente else { return };
        esperando.fetch_sub(1, Ordering::SeqCst);
        // A run that panics is recorded as failed by its own code or stays as it was; the
        // worker must survive it for the runs behind.
        if std::panic::catch_unwind(std::panic::AssertUnwindSafe(trabajo)).is_err() {
            tracing::error!("an import run panicked");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc::sync_channel;
    use std::time::Duration;

    #[test]
    fn at_most_n_runs_work_and_the_rest_start_in_order() {
        let cola = Cola::nueva(2, 10);
        let (avisar, avisos) = channel::<usize>();
        let mut sueltas = Vec::new();
        for i in 0..5 {
            let (soltar, esperar) = sync_channel::<()>(0);
            sueltas.push(soltar);
            let avisar = avisar.clone();
            cola.reservar().unwrap().enviar(move || {
                avisar.send(i).unwrap();
                esperar.recv().ok();
            });
        }
        let espera = Duration::from_secs(5);
        let mut empezadas = vec![
            avisos.recv_timeout(espera).unwrap(),
            avisos.recv_timeout(espera).unwrap(),
        ];
        empezadas.sort();
        assert_eq!(empezadas, [0, 1]);
        // Two work; three wait, and none starts until one ends.
        assert!(avisos.recv_timeout(Duration::from_millis(200)).is_err());
        assert_eq!(cola.esperando(), 3);
        sueltas[0].send(()).unwrap();
        assert_eq!(avisos.recv_timeout(espera).unwrap(), 2);
        sueltas[1].send(()).unwrap();
        assert_eq!(avisos.recv_timeout(espera).unwrap(), 3);
        sueltas[2].send(()).unwrap();
        assert_eq!(avisos.recv_timeout(espera).unwrap(), 4);
        assert_eq!(cola.esperando(), 0);
        for s in &sueltas[3..] {
            s.send(()).unwrap();
        }
    }

    #[test]
    fn a_full_line_is_refused_and_an_unused_place_is_given_back() {
        let cola = Cola::nueva(1, 2);
        let (soltar, esperar) = sync_channel::<()>(0);
        let (avisar, empezo) = channel::<()>();
        cola.reservar().unwrap().enviar(move || {
            avisar.send(()).unwrap();
            esperar.recv().ok();
        });
        empezo.recv_timeout(Duration::from_secs(5)).unwrap();
        cola.reservar().unwrap().enviar(|| {});
        let lugar = cola.reservar().unwrap();
        match cola.reservar() {
            Err(AppError::Ocupado(m)) => assert!(m.contains("importaciones.max_en_cola = 2"), "{m}"),
            _ => panic!("la cola llena debía rechazar"),
        }
        drop(lugar);
        assert!(cola.reservar().is_ok());
        soltar.send(()).unwrap();
    }
}
