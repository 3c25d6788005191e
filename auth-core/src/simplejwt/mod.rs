//! djangorestframework-simplejwt 5.5.1's tokens: `AccessToken`, `RefreshToken`,
//! `SlidingToken` and `UntypedToken`, issued and verified as simplejwt does, byte for byte,
//! on the same `SIMPLE_JWT` settings and signing key — a token either side issues is accepted
//! by the other.
//!
//! * [`settings`]: `SIMPLE_JWT`, by its Django names, with simplejwt's defaults.
//! * [`backend`]: `TokenBackend`: PyJWT's encode and decode with the settings' key, audience,
//!   issuer and leeway, and simplejwt's reduction of PyJWT's errors.
//! * [`token`]: the token classes: their claims in simplejwt's order, `for_user`, `verify`,
//!   `access_token`.
//!
//! Where simplejwt crashes (a server error) this module answers as a refused token instead;
//! each such place says so.

pub mod backend;
pub mod messages;
pub mod settings;
pub mod token;
pub mod token_kind;

pub use backend::{BackendError, TokenBackend};
pub use settings::SimpleJwtSettings;
pub use token::{Token, TokenError, ValidatedToken};
pub use token_kind::TokenKind;
