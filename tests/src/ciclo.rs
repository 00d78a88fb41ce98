//! The steps of an invoice's life, each taken by the role that takes it in a hospital, and
//! the reads tests make of the result. Helpers that build one test's scenario stay in that
//! test's module.

use serde_json::{json, Value};

use crate::{Equipo, Resp, TestApp};

/// The `id` of an object the API returned.
#[track_caller]
pub fn id(v: &Value) -> String {
    v["id"].as_str().unwrap_or_else(|| panic!("no id in {v}")).to_string()
}

/// The events of a trazabilidad, oldest first.
#[track_caller]
pub fn eventos(trazabilidad: &Value) -> &[Value] {
    trazabilidad["eventos"]
        .as_array()
        .unwrap_or_else(|| panic!("no eventos in {trazabilidad}"))
}

/// The type of each event of a trazabilidad, oldest first.
#[track_caller]
pub fn tipos(trazabilidad: &Value) -> Vec<&str> {
    eventos(trazabilidad)
        .iter()
        .map(|x| x["tipo"].as_str().expect("tipo"))
        .collect()
}

/// A glosa as the payer formulates it; the same day received unless [`Glosa::recibida`] says
/// otherwise, on the whole invoice unless [`Glosa::item`] names a line.
#[derive(Debug, Clone, Copy)]
pub struct Glosa<'a> {
    pub codigo: &'a str,
    pub valor: &'a str,
    pub formulada: &'a str,
    pub recibida: &'a str,
    pub item: Option<i32>,
    pub observacion: Option<&'a str>,
}

impl<'a> Glosa<'a> {
    pub fn new(codigo: &'a str, valor: &'a str, fecha: &'a str) -> Glosa<'a> {
        Glosa {
            codigo,
            valor,
            formulada: fecha,
            recibida: fecha,
            item: None,
            observacion: None,
        }
    }

    pub fn recibida(self, fecha: &'a str) -> Glosa<'a> {
        Glosa {
            recibida: fecha,
            ..self
        }
    }

    pub fn item(self, linea: i32) -> Glosa<'a> {
        Glosa {
            item: Some(linea),
            ..self
        }
    }

    pub fn observacion(self, texto: &'a str) -> Glosa<'a> {
        Glosa {
            observacion: Some(texto),
            ..self
        }
    }

    /// The body of `POST /api/v1/facturas/{id}/glosas`.
    pub fn json(&self) -> Value {
        let mut body = json!({
            "codigo": self.codigo, "valor": self.valor,
            "fecha_formulacion": self.formulada, "fecha_recepcion": self.recibida,
        });
        if let Some(item) = self.item {
            body["item"] = json!(item);
        }
        if let Some(texto) = self.observacion {
            body["observacion"] = json!(texto);
        }
        body
    }
}

impl TestApp {
    /// Billing staff radicate `factura` with the payer; fails the test unless it is 201.
    #[track_caller]
    pub fn radicar(&self, e: &Equipo, factura: &str, numero_radicado: &str, fecha: &str) -> Value {
        self.post(
            &format!("/api/v1/facturas/{factura}/radicaciones"),
            &e.facturacion,
            &json!({"numero_radicado": numero_radicado, "fecha_radicacion": fecha}),
        )
        .expect(201)
        .json()
    }

    /// Cartera records the payer's glosa on `factura`; the answer whatever its status.
    #[track_caller]
    pub fn glosar(&self, e: &Equipo, factura: &str, glosa: &Glosa) -> Resp {
        self.post(&format!("/api/v1/facturas/{factura}/glosas"), &e.cartera, &glosa.json())
    }

    /// `token`'s user records the payer's devolución of `factura`; the answer whatever its
    /// status.
    #[track_caller]
    pub fn devolver(&self, token: &str, factura: &str, codigo: &str, fecha: &str) -> Resp {
        self.post(
            &format!("/api/v1/facturas/{factura}/devoluciones"),
            token,
            &json!({"codigo": codigo, "fecha": fecha, "observacion": "sin soportes"}),
        )
    }

    /// Finanzas records a transfer of `valor` from the team's payer, applied whole to
    /// `factura`; fails the test unless it is 201.
    #[track_caller]
    pub fn pagar(&self, e: &Equipo, factura: &str, fecha: &str, valor: &str) -> Value {
        self.post(
            "/api/v1/pagos",
            &e.finanzas,
            &json!({"pagador_id": e.pagador_id, "fecha": fecha, "valor": valor, "referencia": format!("T-{fecha}"),
                    "medio": "transferencia", "aplicaciones": [{"factura_id": factura, "valor": valor}]}),
        )
        .expect(201)
        .json()
    }

    /// Uploads a file (or a zip) to `POST /importaciones?{query}` and waits for the run to end.
    #[track_caller]
    pub fn importar(&self, token: &str, query: &str, ct: &str, body: &[u8]) -> Value {
        let r = self
            .request(
                "POST",
                &format!("/api/v1/importaciones?{query}"),
                Some(token),
                Some(ct),
                Some(body),
            )
            .expect(202)
            .json();
        let t0 = std::time::Instant::now();
        loop {
            let v = self
                .get(&format!("/api/v1/importaciones/{}", id(&r)), token)
                .expect(200)
                .json();
            // Waiting its turn or working.
            if v["estado"] != "en_curso" && v["estado"] != "en_cola" {
                return v;
            }
            assert!(
                t0.elapsed() < std::time::Duration::from_secs(60),
                "the import did not finish: {v}"
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }

    /// The invoice as `GET /api/v1/facturas/{id}` shows it.
    #[track_caller]
    pub fn ver_factura(&self, token: &str, factura: &str) -> Value {
        self.get(&format!("/api/v1/facturas/{factura}"), token)
            .expect(200)
            .json()
    }

    /// The invoice numbered `numero`, found through the list's search.
    #[track_caller]
    pub fn factura_por_numero(&self, token: &str, numero: &str) -> Value {
        let l = self
            .get(&format!("/api/v1/facturas?q={numero}"), token)
            .expect(200)
            .json();
        let encontrada = l["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|f| f["numero"] == numero)
            .unwrap_or_else(|| panic!("no invoice {numero} in {l}"));
        self.ver_factura(token, &id(encontrada))
    }

    /// The trazabilidad of `factura` as JSON.
    #[track_caller]
    pub fn trazabilidad(&self, token: &str, factura: &str) -> Value {
        self.get(&format!("/api/v1/facturas/{factura}/trazabilidad"), token)
            .expect(200)
            .json()
    }

    /// The alerts of the next 5 días hábiles (and the overdue ones).
    #[track_caller]
    pub fn alertas(&self, token: &str) -> Vec<Value> {
        self.get("/api/v1/alertas?dias=5", token).expect(200).json()["items"]
            .as_array()
            .expect("items")
            .clone()
    }
}
