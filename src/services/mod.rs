//! The application layer: what the site and the newsroom do, in terms of the domain and the
//! store. Handlers and commands call these; these never see HTTP.

pub mod accounts;
pub mod api;
pub mod comments;
pub mod images;
pub mod media;
pub mod newsroom;
pub mod reader;
pub mod search;
pub mod signin;
pub mod site;
pub mod uploads;
