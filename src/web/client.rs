//! The address a request came from, for throttles.

use crate::app::AppState;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};

/// The client's IP address as text ("unknown" when the server was started without
/// connection info).
///
/// The peer of the connection is the client, unless it is one of the configured
/// `trusted_proxies`: then the client is the right-most address in `X-Forwarded-For` that is
/// not itself a trusted proxy. Only a trusted proxy's word is taken, because anyone can send
/// that header; without the setting, readers behind a reverse proxy all share its address
/// and the per-address limits act per proxy, which errs on the side of safety.
pub struct ClientAddr(pub String);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        app: &AppState,
    ) -> Result<ClientAddr, Infallible> {
        let Some(peer) = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|info| info.0.ip())
        else {
            return Ok(ClientAddr("unknown".into()));
        };
        let trusted = &app.config.trusted_proxies;
        if !trusted.contains(&peer) {
            return Ok(ClientAddr(peer.to_string()));
        }
        let forwarded = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|a| a.trim().parse::<IpAddr>().ok())
            .collect::<Vec<_>>();
        let client = forwarded
            .into_iter()
            .rev()
            .find(|ip| !trusted.contains(ip))
            .unwrap_or(peer);
        Ok(ClientAddr(client.to_string()))
    }
}
