//! Django's formats and algorithms, byte for byte: password hashers, signing, session data, the
//! CSRF check and the `django.http` pieces it needs.

pub mod crypto;
pub mod csrf;
pub mod email_validator;
pub mod hashers;
pub mod http;
pub mod password_validation;
pub mod session_data;
pub mod signing;
