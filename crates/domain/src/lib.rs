//! Broadsheet's domain: the content model of a newspaper and the rules that hold for it.
//!
//! Nothing in this crate does I/O, knows about SQL or HTTP, or is async. Every other layer
//! (store, services, web, command line) speaks these types, so a rule written here, such as
//! how a slug is made or which status change is allowed, holds everywhere.

pub mod account;
pub mod archive;
pub mod comment;
pub mod model;
pub mod sections;
pub mod slug;
pub mod status;
pub mod time;
pub mod urls;
pub mod wire;

pub use account::{Identity, Role, User};
pub use comment::{Comment, CommentStatus, CommentsMode};
pub use model::*;
pub use sections::SectionTree;
pub use status::StoryStatus;
