//! Broadsheet: a news publishing platform in one program.
//!
//! The layers, arrows pointing down only (see `DESIGN.md` in the shared notes):
//! - delivery: [`web`] (the HTTP surface) and [`cli`] (the subcommands);
//! - application: [`services`], [`import`], [`ingest`], [`demo`], [`corpus`], [`feed`];
//! - adapters: the `broadsheet-store` crate;
//! - domain: the `broadsheet-domain` crate.

pub mod app;
pub mod auth;
pub mod cache;
pub mod cli;
pub mod config;
pub mod corpus;
pub mod demo;
pub mod dictionary;
pub mod feed;
pub mod import;
pub mod ingest;
pub mod render;
pub mod scheduler;
pub mod services;
pub mod web;

pub use app::{App, AppState};
pub use config::Config;
