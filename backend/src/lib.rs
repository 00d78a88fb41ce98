//! Trazo: follows every medical invoice of a Colombian healthcare provider from radicación,
//! through devoluciones, glosas and payments, to a zero balance.
//!
//! Layers (see ARCHITECTURE.md): `api` and `cli` call `app`, which uses `domain` (the law,
//! pure) and `db` (persistence).

pub mod api;
pub mod app;
pub mod cli;
pub mod config;
pub mod db;
pub mod domain;
pub mod startup;
pub mod telemetry;
pub mod web;
