//! JSON Web Tokens as PyJWT 2.15 writes and checks them: the library that
//! djangorestframework-simplejwt signs with, so that a token either side issues is accepted by
//! the other, byte for byte.
//!
//! * [`jws`]: the compact serialisation. The header's keys sorted, the payload's in insertion
//!   order, both as Python's `json.dumps(…, separators=(",", ":"))` writes them
//!   (`ensure_ascii`), base64url without padding; decoding takes PyJWT's checks in PyJWT's
//!   order, with its exception messages ([`JwtError`]).
//! * [`claims`]: PyJWT's `_validate_claims` (`iat`, `nbf`, `exp`, `iss`, `aud`, `sub`, `jti`).
//! * [`algorithm`]: the algorithms by name; HS256/384/512 on the workspace's RustCrypto `hmac`,
//!   hand-written rather than taken from a JOSE crate because those write the header in another
//!   key order, so their tokens are not PyJWT's bytes.
//! * [`key`]: signing and verifying keys; the RSA, EC and EdDSA ones (feature
//!   `jwt-asymmetric`) sign and verify PyJWT's bytes through `jsonwebtoken`'s RustCrypto backend.

pub mod algorithm;
pub mod claims;
pub mod error;
pub mod jws;
pub mod key;

pub use algorithm::{Algorithm, HmacKey};
pub use claims::ClaimRules;
pub use error::JwtError;
#[cfg(feature = "jwt-asymmetric")]
pub use key::{PrivateKey, PublicKey};
pub use key::{SigningKey, VerifyingKey};
