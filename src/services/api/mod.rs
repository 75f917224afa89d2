//! The newsroom's JSON API, behind the HTTP layer: API tokens, the signed cursors its lists
//! page with, turning request bodies into story saves (through `services::newsroom`, so the
//! API and the editor share every rule, revision and audit entry), and stories as IPTC ninjs.

pub mod cursor;
pub mod ninjs;
pub mod stories;
pub mod tokens;
