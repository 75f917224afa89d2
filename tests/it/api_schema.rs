//! Holding the API to its OpenAPI document: a validator for the JSON Schema subset the
//! document uses, and a client that checks every answer it gets against the document.
//!
//! The validator knows `type` (one or a list), `properties`, `required`,
//! `additionalProperties` (false or a schema), `items`, `enum`, `oneOf`, `$ref` (to
//! `#/components/schemas/...`), `minimum`, `maximum` and `format: date-time | uri`;
//! `description` and `contentMediaType` are annotations. Any other keyword in the document
//! fails a test, so the document cannot say something this validator silently ignores.

use crate::harness::TestApp;
use reqwest::{Method, StatusCode};
use serde_json::Value;

const KEYWORDS: &[&str] = &[
    "type",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "enum",
    "oneOf",
    "$ref",
    "minimum",
    "maximum",
    "format",
    "description",
    "contentMediaType",
];

/// The keywords used in a schema (and the schemas inside it) that the validator does not know.
pub fn unknown_keywords(schema: &Value, at: &str, out: &mut Vec<String>) {
    let Some(object) = schema.as_object() else {
        out.push(format!("{at}: a schema that is not an object"));
        return;
    };
    for (key, value) in object {
        if !KEYWORDS.contains(&key.as_str()) {
            out.push(format!("{at}: {key}"));
        }
        match key.as_str() {
            "properties" => {
                for (name, inner) in value.as_object().into_iter().flatten() {
                    unknown_keywords(inner, &format!("{at}.{name}"), out);
                }
            }
            "items" => unknown_keywords(value, &format!("{at}[]"), out),
            "additionalProperties" if value.is_object() => {
                unknown_keywords(value, &format!("{at}{{*}}"), out)
            }
            "oneOf" => {
                for (i, inner) in value.as_array().into_iter().flatten().enumerate() {
                    unknown_keywords(inner, &format!("{at}|{i}"), out);
                }
            }
            _ => {}
        }
    }
}

/// Every way `value` breaks `schema` (empty when it fits), each as `path: problem`.
pub fn validate(doc: &Value, schema: &Value, value: &Value, at: &str) -> Vec<String> {
    let mut problems = Vec::new();
    check(doc, schema, value, at, &mut problems);
    problems
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn check(doc: &Value, schema: &Value, value: &Value, at: &str, out: &mut Vec<String>) {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let name = reference
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("{at}: a $ref outside the components: {reference}"));
        let target = &doc["components"]["schemas"][name];
        assert!(!target.is_null(), "{at}: $ref to a missing schema {name}");
        check(doc, target, value, at, out);
        return;
    }
    if let Some(options) = schema.get("oneOf").and_then(Value::as_array) {
        let fitting = options
            .iter()
            .filter(|option| validate(doc, option, value, at).is_empty())
            .count();
        if fitting != 1 {
            out.push(format!(
                "{at}: fits {fitting} of the oneOf schemas, not one"
            ));
        }
    }
    if let Some(wanted) = schema.get("type") {
        let names: Vec<&str> = match wanted {
            Value::String(one) => vec![one.as_str()],
            Value::Array(many) => many.iter().filter_map(Value::as_str).collect(),
            _ => panic!("{at}: a type that is neither a name nor a list"),
        };
        let actual = type_name(value);
        let fits = names
            .iter()
            .any(|n| *n == actual || (*n == "number" && actual == "integer"));
        if !fits {
            out.push(format!("{at}: is {actual}, not {names:?}"));
            return;
        }
    }
    if let Some(allowed) = schema.get("enum").and_then(Value::as_array)
        && !allowed.contains(value)
    {
        out.push(format!("{at}: {value} is not one of {allowed:?}"));
    }
    if let (Some(format), Some(text)) =
        (schema.get("format").and_then(Value::as_str), value.as_str())
    {
        let fits = match format {
            "date-time" => text.parse::<jiff::Timestamp>().is_ok(),
            "uri" => text.starts_with("http://") || text.starts_with("https://"),
            other => panic!("{at}: a format the validator does not know: {other}"),
        };
        if !fits {
            out.push(format!("{at}: '{text}' is not a {format}"));
        }
    }
    if let Some(number) = value.as_f64() {
        if let Some(min) = schema.get("minimum").and_then(Value::as_f64)
            && number < min
        {
            out.push(format!("{at}: {number} is below {min}"));
        }
        if let Some(max) = schema.get("maximum").and_then(Value::as_f64)
            && number > max
        {
            out.push(format!("{at}: {number} is above {max}"));
        }
    }
    if let Value::Object(object) = value {
        let properties = schema.get("properties").and_then(Value::as_object);
        for name in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if !object.contains_key(name) {
                out.push(format!("{at}: lacks the required {name}"));
            }
        }
        for (name, inner) in object {
            let path = format!("{at}.{name}");
            match properties.and_then(|p| p.get(name)) {
                Some(property) => check(doc, property, inner, &path, out),
                None => match schema.get("additionalProperties") {
                    Some(Value::Bool(false)) => {
                        out.push(format!("{path}: a property the schema does not have"))
                    }
                    Some(extra @ Value::Object(_)) => check(doc, extra, inner, &path, out),
                    _ => {}
                },
            }
        }
    }
    if let (Value::Array(items), Some(item_schema)) = (value, schema.get("items")) {
        for (i, item) in items.iter().enumerate() {
            check(doc, item_schema, item, &format!("{at}[{i}]"), out);
        }
    }
}

/// The document's path template that a concrete path is an instance of: an exact match
/// first, else one whose `{param}` segments stand for the differing ones.
pub fn template_of<'d>(doc: &'d Value, path: &str) -> Option<&'d str> {
    let paths = doc["paths"].as_object()?;
    if let Some((exact, _)) = paths.get_key_value(path) {
        return Some(exact.as_str());
    }
    let wanted: Vec<&str> = path.split('/').collect();
    paths.keys().map(String::as_str).find(|template| {
        let parts: Vec<&str> = template.split('/').collect();
        parts.len() == wanted.len()
            && parts
                .iter()
                .zip(&wanted)
                .all(|(p, w)| *p == *w || (p.starts_with('{') && p.ends_with('}') && !w.is_empty()))
    })
}

/// A request carrying `body` as JSON.
pub fn json_body(request: reqwest::RequestBuilder, body: &Value) -> reqwest::RequestBuilder {
    request
        .header("content-type", "application/json")
        .body(body.to_string())
}

/// What an API call answered.
pub struct Answer {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub json: Value,
}

impl Answer {
    /// The error code of an error answer.
    pub fn code(&self) -> &str {
        self.json["error"]["code"].as_str().unwrap_or("")
    }

    pub fn field(&self) -> &str {
        self.json["error"]["field"].as_str().unwrap_or("")
    }
}

/// A client for the API that checks every answer against the document: its status must be
/// one the operation documents, and its JSON must fit that response's schema.
pub struct Api {
    pub base: String,
    pub token: Option<String>,
    pub doc: Value,
    client: reqwest::Client,
}

impl Api {
    pub async fn new(t: &TestApp, token: Option<&str>) -> Api {
        let client = t.app_client();
        let response = t.get("/api/v1/openapi.json").await;
        assert_eq!(response.status(), StatusCode::OK);
        let doc: Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
        Api {
            base: t.base.clone(),
            token: token.map(str::to_string),
            doc,
            client,
        }
    }

    /// The same document and address with another token (or none).
    pub fn with_token(&self, token: Option<&str>) -> Api {
        Api {
            base: self.base.clone(),
            token: token.map(str::to_string),
            doc: self.doc.clone(),
            client: self.client.clone(),
        }
    }

    pub fn request(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        let mut request = self.client.request(method, format!("{}{path}", self.base));
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        request
    }

    pub async fn get(&self, path: &str) -> Answer {
        self.send(Method::GET, path, self.request(Method::GET, path))
            .await
    }

    pub async fn post(&self, path: &str, body: &Value) -> Answer {
        self.send(
            Method::POST,
            path,
            json_body(self.request(Method::POST, path), body),
        )
        .await
    }

    pub async fn put(&self, path: &str, body: &Value) -> Answer {
        self.send(
            Method::PUT,
            path,
            json_body(self.request(Method::PUT, path), body),
        )
        .await
    }

    /// Send a request built by hand and check its answer against the document.
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        request: reqwest::RequestBuilder,
    ) -> Answer {
        let response = request.send().await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap();
        let json: Value = serde_json::from_str(&text).unwrap_or_else(|e| {
            panic!("{method} {path} answered {status} with no JSON ({e}): {text}")
        });
        let bare = path.split('?').next().unwrap_or(path);
        let template = template_of(&self.doc, bare)
            .unwrap_or_else(|| panic!("{method} {path}: the document has no such path"));
        let operation = &self.doc["paths"][template][method.as_str().to_lowercase()];
        assert!(
            operation.is_object(),
            "{method} {template}: the document has no such operation"
        );
        let documented = &operation["responses"][status.as_str()];
        assert!(
            documented.is_object(),
            "{method} {template} answered {status}, which the document does not list: {json}"
        );
        let schema = &documented["content"]["application/json"]["schema"];
        assert!(
            schema.is_object(),
            "{method} {template} {status}: the document gives no JSON schema"
        );
        let problems = validate(&self.doc, schema, &json, "$");
        assert!(
            problems.is_empty(),
            "{method} {path} {status} does not fit the document:\n{}\n{json:#}",
            problems.join("\n")
        );
        Answer {
            status,
            headers,
            json,
        }
    }
}

#[test]
fn the_validator_finds_what_does_not_fit() {
    let doc = serde_json::json!({
        "components": {"schemas": {
            "Thing": {
                "type": "object",
                "required": ["id", "when"],
                "additionalProperties": false,
                "properties": {
                    "id": {"type": "integer", "minimum": 1},
                    "when": {"type": "string", "format": "date-time"},
                    "tags": {"type": "array", "items": {"type": "string", "enum": ["a", "b"]}},
                    "maybe": {"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/Thing"}]}
                }
            }
        }}
    });
    let schema = serde_json::json!({"$ref": "#/components/schemas/Thing"});
    let good =
        serde_json::json!({"id": 1, "when": "2026-12-01T00:00:00Z", "tags": ["a"], "maybe": null});
    assert_eq!(validate(&doc, &schema, &good, "$"), Vec::<String>::new());
    let bad = serde_json::json!({
        "id": 0, "when": "yesterday", "tags": ["c", 3], "extra": true,
        "maybe": {"id": "x", "when": "2026-12-01T00:00:00Z"}
    });
    let problems = validate(&doc, &schema, &bad, "$");
    for expected in [
        "$.id: 0 is below 1",
        "$.when: 'yesterday' is not a date-time",
        "$.tags[0]: \"c\" is not one of",
        "$.tags[1]: is integer, not [\"string\"]",
        "$.extra: a property the schema does not have",
        "$.maybe: fits 0 of the oneOf schemas, not one",
    ] {
        assert!(
            problems.iter().any(|p| p.starts_with(expected)),
            "{expected} not in {problems:#?}"
        );
    }
    assert_eq!(
        validate(&doc, &schema, &serde_json::json!({"id": 2}), "$"),
        ["$: lacks the required when"]
    );
    let mut unknown = Vec::new();
    unknown_keywords(
        &serde_json::json!({"type": "string", "pattern": "x"}),
        "$",
        &mut unknown,
    );
    assert_eq!(unknown, ["$: pattern"]);
}
