//! Every route under `/api/v1/`, in one table that both builds the router and can be listed.
//!
//! Each route is registered once, with its method, its path (in the `{param}` form that
//! axum and OpenAPI share) and who may call it: anyone, a read token or a write token. The
//! same list answers [`Registry::listed`], which the tests compare with the OpenAPI document
//! (`openapi.json`), both ways, so a route cannot exist undocumented nor a documented one be
//! missing, and each operation's `security` must name the scope the table enforces.
//!
//! Outside the table, the API answers JSON too: a path under `/api/v1/` that names nothing
//! gets 404 `unknown_route`, a method a path does not take 405 `method_not_allowed` (with `Allow`).

use super::{ApiError, auth, catalog, dictionary, media, openapi, stories};
use crate::app::AppState;
use crate::web::{comments, search};
use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::handler::Handler;
use axum::http::{Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, MethodRouter, any, on};
use broadsheet_store::ApiScope;

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone: the site's own script uses these.
    Public,
    /// A token of at least this scope.
    Token(ApiScope),
}

/// One registered route.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiRoute {
    pub method: Method,
    pub path: &'static str,
    pub access: Access,
}

/// The table being built: the router and the list, always added to together.
pub struct Registry {
    app: AppState,
    router: Router<AppState>,
    listed: Vec<ApiRoute>,
}

const READ: Access = Access::Token(ApiScope::Read);
const WRITE: Access = Access::Token(ApiScope::Write);

/// The API's routes.
pub fn registry(app: &AppState) -> Registry {
    let upload_limit = crate::web::newsroom::media::body_limit(app.config.media_max_bytes);
    Registry::new(app)
        .add(
            Method::GET,
            openapi::PATH,
            Access::Public,
            openapi::document,
        )
        .add(Method::GET, "/api/v1/search", Access::Public, search::api)
        .add(
            Method::GET,
            "/api/v1/dictionary/{word}",
            Access::Public,
            dictionary::lookup,
        )
        .add(
            Method::GET,
            "/api/v1/dictionary/",
            Access::Public,
            dictionary::empty,
        )
        .add(
            Method::GET,
            "/api/v1/comments/counts",
            Access::Public,
            comments::pages::counts,
        )
        .add(Method::GET, "/api/v1/stories", READ, stories::list)
        .add(Method::POST, "/api/v1/stories", WRITE, stories::create)
        .add(Method::GET, "/api/v1/stories/{id}", READ, stories::show)
        .add(Method::PUT, "/api/v1/stories/{id}", WRITE, stories::replace)
        .add(
            Method::GET,
            "/api/v1/stories/{id}/ninjs",
            READ,
            stories::ninjs,
        )
        .add(
            Method::POST,
            "/api/v1/stories/{id}/publish",
            WRITE,
            stories::publish,
        )
        .add(
            Method::POST,
            "/api/v1/stories/{id}/unpublish",
            WRITE,
            stories::unpublish,
        )
        .add(Method::GET, "/api/v1/sections", READ, catalog::sections)
        .add(Method::GET, "/api/v1/tags", READ, catalog::tags)
        .add(Method::GET, "/api/v1/media", READ, media::list)
        .add_with(
            Method::POST,
            "/api/v1/media",
            WRITE,
            media::upload,
            |route| route.layer(DefaultBodyLimit::max(upload_limit)),
        )
        .add(Method::GET, "/api/v1/media/{id}", READ, media::show)
}

impl Registry {
    fn new(app: &AppState) -> Registry {
        Registry {
            app: app.clone(),
            router: Router::new(),
            listed: Vec::new(),
        }
    }

    fn add<H, T>(self, method: Method, path: &'static str, access: Access, handler: H) -> Registry
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.add_with(method, path, access, handler, |route| route)
    }

    /// As `add`, with layers of the route's own (a body limit).
    fn add_with<H, T>(
        mut self,
        method: Method,
        path: &'static str,
        access: Access,
        handler: H,
        adjust: impl FnOnce(MethodRouter<AppState>) -> MethodRouter<AppState>,
    ) -> Registry
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        let filter = MethodFilter::try_from(method.clone()).expect("an HTTP method axum routes");
        let mut route = adjust(on(filter, handler));
        if let Access::Token(scope) = access {
            route = route.route_layer(middleware::from_fn_with_state(
                (self.app.clone(), scope),
                auth::require,
            ));
        }
        // Routes on one path with different methods merge into one method router.
        self.router = self.router.route(path, route);
        self.listed.push(ApiRoute {
            method,
            path,
            access,
        });
        self
    }

    /// Every route, in the order registered.
    pub fn listed(&self) -> &[ApiRoute] {
        &self.listed
    }

    /// The router, with JSON answers for paths and methods the table lacks.
    pub fn into_router(self) -> Router<AppState> {
        self.router
            .route("/api/v1/{*rest}", any(no_such_route))
            .layer(middleware::from_fn(json_method_not_allowed))
    }
}

async fn no_such_route() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "unknown_route",
        "There is no such API route; /api/v1/openapi.json lists every one.",
    )
}

/// axum answers a method a path does not take with an empty 405; say it in JSON.
async fn json_method_not_allowed(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let response = next.run(request).await;
    if response.status() != StatusCode::METHOD_NOT_ALLOWED {
        return response;
    }
    let allow = response.headers().get(axum::http::header::ALLOW).cloned();
    let mut answer = ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        format!(
            "This route does not take {method}; it takes {}.",
            allow
                .as_ref()
                .and_then(|v| v.to_str().ok())
                .unwrap_or("other methods")
        ),
    )
    .into_response();
    if let Some(allow) = allow {
        answer
            .headers_mut()
            .insert(axum::http::header::ALLOW, allow);
    }
    answer
}
