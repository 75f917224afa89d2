//! The newsroom: the staff's side of the site (reporters, editors and admins). Pages here
//! are personal (`no-store`) and every handler checks the role before doing anything.

pub mod media;
pub mod stories;
pub mod tokens;

use crate::auth::session::SignedIn;
use crate::web::error::WebError;

/// Refuses anyone below reporter. Anonymous visitors never get here: `SignedIn` has already
/// sent them to sign in.
pub fn require_staff(signed_in: &SignedIn) -> Result<(), WebError> {
    if signed_in.user.role.is_staff() {
        Ok(())
    } else {
        Err(WebError::Forbidden(
            "The newsroom is for the paper's staff. Ask an editor if you need access.".into(),
        ))
    }
}
