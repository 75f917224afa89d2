//! `GET /api/v1/openapi.json`: the API described in OpenAPI 3.1, written by hand in
//! `openapi.json` beside this file and compiled into the program.
//!
//! The tests hold it to the implementation: its paths and methods must be exactly the route
//! table's (`routes.rs`), each operation's `security` must name the scope the table enforces,
//! and real answers, successes and errors, must fit its response schemas.

use crate::app::AppState;
use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::sync::LazyLock;

pub const PATH: &str = "/api/v1/openapi.json";

const TEXT: &str = include_str!("openapi.json");

static DOCUMENT: LazyLock<Value> =
    LazyLock::new(|| serde_json::from_str(TEXT).expect("openapi.json is valid JSON"));

/// The document, naming this site as its server.
pub async fn document(State(app): State<AppState>) -> Response {
    let mut doc = DOCUMENT.clone();
    doc["servers"] = json!([{ "url": app.config.base_url }]);
    Json(doc).into_response()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_document_is_json_and_openapi_3_1() {
        let doc: serde_json::Value = serde_json::from_str(super::TEXT).unwrap();
        assert_eq!(doc["openapi"], "3.1.0");
        assert!(doc["paths"].as_object().is_some_and(|p| !p.is_empty()));
    }
}
