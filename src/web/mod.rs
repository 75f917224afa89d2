//! The web delivery layer: the reader site (and, with later work, accounts, comments, the
//! newsroom, the API and feeds). Every route is listed in `router.rs`; handlers are thin:
//! extract, call a service, render a template.

pub mod account;
pub mod api;
pub mod assets;
pub mod cache;
pub mod client;
pub mod comments;
pub mod error;
pub mod feeds;
pub mod forms;
pub mod media;
pub mod metadata;
pub mod newsroom;
pub mod reader;
pub mod robots;
pub mod router;
pub mod search;
pub mod sitemaps;
pub mod templates;
pub mod views;

use crate::app::AppState;
use askama::Template;
use axum::response::{Html, IntoResponse, Response};
use tokio::net::TcpListener;

/// Serve until the process is asked to stop (Ctrl-C or SIGTERM), then finish the requests
/// under way.
pub async fn serve(app: AppState, listener: TcpListener) -> std::io::Result<()> {
    let router = router::build(app);
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}

/// A permanent redirect as 301, which every client and crawler treats as "moved for good"
/// (axum's `Redirect::permanent` answers 308, which old crawlers do not all follow).
pub fn moved_permanently(location: &str) -> Response {
    match axum::http::HeaderValue::from_str(location) {
        Ok(value) => (
            axum::http::StatusCode::MOVED_PERMANENTLY,
            [(axum::http::header::LOCATION, value)],
        )
            .into_response(),
        Err(_) => {
            error::WebError::Internal(format!("redirect to an invalid location {location:?}"))
                .into_response()
        }
    }
}

/// Render a template into a response; a template error is a bug, shown as a plain 500.
pub fn render(template: &impl Template) -> Result<Response, error::WebError> {
    template
        .render()
        .map(|html| Html(html).into_response())
        .map_err(|e| error::WebError::Internal(format!("template: {e}")))
}
