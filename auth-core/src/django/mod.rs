//! Django's formats and algorithms, byte for byte: password hashers, signing, session data, the
//! CSRF check and the `django.http` pieces it needs, and the password-reset token with the uids
//! of its links.

pub mod base36;
pub mod crypto;
pub mod csrf;
pub mod email_validator;
pub mod hashers;
pub mod http;
#[cfg(feature = "accounts")]
#[cfg_attr(docsrs, doc(cfg(feature = "accounts")))]
pub mod password_reset_token;
pub mod password_validation;
pub mod session_data;
pub mod signing;
pub mod urlsafe_base64;
