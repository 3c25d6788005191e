//! Django's compatibility formats: password hashers, signing, session data, CSRF tokens and
//! cookie headers.

pub mod cookie_header;
pub mod crypto;
pub mod csrf;
pub mod hashers;
pub mod session_data;
pub mod signing;
