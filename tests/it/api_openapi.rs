//! The OpenAPI document held to the implementation: its operations are exactly the route
//! table's, with the scopes the table enforces, served by the router; its schemas use only
//! what the validator checks; and unknown routes and methods still answer JSON errors.

use crate::api::{admin, client};
use crate::api_schema::unknown_keywords;
use crate::both_backends;
use crate::harness::TestApp;
use broadsheet_store::{ApiScope, Backend};
use reqwest::{Method, StatusCode};
use serde_json::Value;

both_backends!(
    the_document_and_the_route_table_agree,
    unknown_routes_and_methods_answer_json,
);

async fn the_document_and_the_route_table_agree(backend: Backend) {
    let t = TestApp::new(backend).await;
    let boss = admin(&t, "boss@example.kr").await;
    let (api, _) = client(&t, &boss, ApiScope::Write).await;
    let doc = &api.doc;
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(doc["servers"][0]["url"], t.app.config.base_url.as_str());

    let table = broadsheet::web::api::routes::registry(&t.app);
    let mut routed: Vec<(String, String, Vec<String>)> = table
        .listed()
        .iter()
        .map(|r| {
            let scopes = match r.access {
                broadsheet::web::api::routes::Access::Public => vec![],
                broadsheet::web::api::routes::Access::Token(scope) => {
                    vec![scope.as_str().to_string()]
                }
            };
            (r.method.as_str().to_lowercase(), r.path.to_string(), scopes)
        })
        .collect();
    let mut documented = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let security = operation["security"]
                .as_array()
                .unwrap_or_else(|| panic!("{method} {path} names no security"));
            let scopes: Vec<String> = security
                .iter()
                .flat_map(|s| s["token"].as_array().cloned().unwrap_or_default())
                .map(|s| s.as_str().unwrap().to_string())
                .collect();
            documented.push((method.clone(), path.clone(), scopes));
        }
    }
    routed.sort();
    documented.sort();
    let missing: Vec<_> = routed.iter().filter(|r| !documented.contains(r)).collect();
    let extra: Vec<_> = documented.iter().filter(|d| !routed.contains(d)).collect();
    assert!(
        missing.is_empty(),
        "routes the document lacks (or with other scopes): {missing:?}"
    );
    assert!(
        extra.is_empty(),
        "documented operations no route serves: {extra:?}"
    );

    // Each documented operation is served by the router (not the catch-all for unknown routes).
    for (method, path, _) in &documented {
        let concrete = path.replace("{id}", "1").replace("{word}", "harbour");
        let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
        let response = api.request(method.clone(), &concrete).send().await.unwrap();
        let status = response.status();
        let body: Value = serde_json::from_str(&response.text().await.unwrap()).unwrap_or_default();
        assert_ne!(status, StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
        assert_ne!(body["error"]["code"], "unknown_route", "{method} {path}");
    }

    // Every schema keyword is one the validator checks, and every response has a schema.
    let mut unknown = Vec::new();
    for (name, schema) in doc["components"]["schemas"].as_object().unwrap() {
        unknown_keywords(schema, name, &mut unknown);
    }
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            for (status, response) in operation["responses"].as_object().unwrap() {
                let content = response["content"]
                    .as_object()
                    .unwrap_or_else(|| panic!("{method} {path} {status} has no content"));
                for (kind, media) in content {
                    unknown_keywords(
                        &media["schema"],
                        &format!("{method} {path} {status} {kind}"),
                        &mut unknown,
                    );
                }
            }
        }
    }
    assert!(
        unknown.is_empty(),
        "keywords the validator does not check: {unknown:?}"
    );

    // The public routes answer as documented too.
    let public = api.with_token(None);
    assert_eq!(
        public.get("/api/v1/search?q=harbour").await.status,
        StatusCode::OK
    );
    assert_eq!(public.get("/api/v1/dictionary/").await.code(), "empty_word");
    assert_eq!(
        public.get("/api/v1/comments/counts?ids=1,2").await.status,
        StatusCode::OK
    );
}

async fn unknown_routes_and_methods_answer_json(backend: Backend) {
    let t = TestApp::new(backend).await;
    let boss = admin(&t, "boss@example.kr").await;
    let (api, _) = client(&t, &boss, ApiScope::Write).await;
    let error = api.doc["components"]["schemas"]["Error"].clone();
    for (method, path, status, code) in [
        (
            Method::GET,
            "/api/v1/nothing/here",
            StatusCode::NOT_FOUND,
            "unknown_route",
        ),
        (
            Method::DELETE,
            "/api/v1/stories/1",
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
        ),
        (
            Method::PATCH,
            "/api/v1/stories",
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
        ),
    ] {
        let response = api.request(method.clone(), path).send().await.unwrap();
        assert_eq!(response.status(), status, "{method} {path}");
        let allow = response.headers().get("allow").cloned();
        let body: Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
        assert_eq!(body["error"]["code"], code);
        assert!(crate::api_schema::validate(&api.doc, &error, &body, "$").is_empty());
        if status == StatusCode::METHOD_NOT_ALLOWED {
            assert!(allow.is_some(), "{method} {path}: Allow");
        }
    }
}
