//! The end-to-end suite, one binary: each module starts real Trazo servers and talks HTTP to
//! them, on SQLite or, with `TEST_DATABASE_URL`, on PostgreSQL. Shared helpers are in the
//! `trazo_tests` library; snapshots of large answers are in `snapshots/`.

mod acceso;
mod actas;
mod asientos;
mod bancos;
mod cartera_rapida;
mod ciclo;
mod cobro;
mod correcciones;
mod dian;
mod facturas;
mod foundation;
mod hojas;
mod importaciones;
mod limites;
mod listas;
mod paquetes;
mod persistence;
mod portal;
mod remesas;
mod reportes;
mod soportes;
mod terceros;
mod unicode;
mod web;
