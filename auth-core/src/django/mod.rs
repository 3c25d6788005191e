//! Django's compatibility formats: password hashers (and, with sessions, signing and CSRF).

pub mod hashers;
