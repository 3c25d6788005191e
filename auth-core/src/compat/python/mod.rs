//! CPython 3.13's behaviour where Django and Django REST framework expose it to clients: text
//! methods, `binascii`, `repr`, `urllib.parse.urlsplit`, `uuid` and the `json` module.
//!
//! A Rust library function that is close but not equal (`str::trim`, a base64 crate, a WHATWG
//! URL parser, `serde_json`'s messages) would answer some request differently from the
//! reference; these are hand-written for that byte parity, and each says where it differs.

pub mod binascii;
pub mod codecs;
pub mod json;
pub mod number;
pub mod parse;
pub mod repr;
pub mod text;
pub mod urlsplit;
pub mod uuid;
