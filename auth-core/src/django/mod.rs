//! Django's formats and algorithms, byte for byte: password hashers, signing, session data, the
//! CSRF check and the `django.http` pieces it needs, `escape`, and (feature `accounts`) the
//! password-reset token with the uids of its links and the email message.

pub mod base36;
pub mod crypto;
pub mod csrf;
#[cfg(feature = "accounts")]
#[cfg_attr(docsrs, doc(cfg(feature = "accounts")))]
pub mod email_settings;
pub mod email_validator;
pub mod hashers;
pub mod html;
pub mod http;
#[cfg(feature = "accounts")]
#[cfg_attr(docsrs, doc(cfg(feature = "accounts")))]
pub mod mail;
#[cfg(feature = "accounts")]
#[cfg_attr(docsrs, doc(cfg(feature = "accounts")))]
pub mod password_reset_token;
pub mod password_validation;
pub mod session_data;
pub mod signing;
#[cfg(feature = "accounts")]
#[cfg_attr(docsrs, doc(cfg(feature = "accounts")))]
pub mod unicode_ci_compare;
pub mod urlsafe_base64;
pub mod username_validator;
