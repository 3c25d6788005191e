//! Authentication schemes (DRF's `authentication_classes`): the [`Authentication`] trait, the
//! built-in schemes, and the ordered lists a view declares.
//!
//! Each scheme is a file named after DRF's class: [`basic`], [`token`], [`session`],
//! [`remote_user`], `knox` (feature `knox`), `jwt` and `jwt_stateless_user` (simplejwt's `JWTAuthentication` and
//! `JWTStatelessUserAuthentication`), `jwt_cookie` (dj-rest-auth's `JWTCookieAuthentication`;
//! feature `simplejwt` for the three); [`credential`] reads the credentials of a scheme
//! declared with `#[derive(Authentication)]`, and [`security_scheme`] describes them to API
//! clients.

pub mod authenticators;
pub mod authorization_header;
pub mod basic;
pub mod credential;
pub mod forced;
#[cfg(feature = "simplejwt")]
#[cfg_attr(docsrs, doc(cfg(feature = "simplejwt")))]
pub mod jwt;
#[cfg(feature = "simplejwt")]
#[cfg_attr(docsrs, doc(cfg(feature = "simplejwt")))]
pub mod jwt_cookie;
#[cfg(feature = "simplejwt")]
#[cfg_attr(docsrs, doc(cfg(feature = "simplejwt")))]
pub mod jwt_stateless_user;
#[cfg(feature = "knox")]
#[cfg_attr(docsrs, doc(cfg(feature = "knox")))]
pub mod knox;
#[cfg(feature = "oauth2")]
#[cfg_attr(docsrs, doc(cfg(feature = "oauth2")))]
pub mod oauth2;
#[cfg(feature = "oauth2")]
mod oauth2_authentication_server;
#[cfg(feature = "oauth2")]
#[cfg_attr(docsrs, doc(cfg(feature = "oauth2")))]
pub mod oauth2_protected_resource;
pub mod remote_user;
pub mod scheme;
pub mod security_scheme;
pub mod session;
pub mod token;

pub use authenticators::{
    AuthenticationClasses, Authenticators, ChainOutcome, Declared, DynAuthenticators,
    SharedAuthenticationClasses,
};
pub use basic::BasicAuthentication;
#[cfg(feature = "simplejwt")]
pub use jwt::JwtAuthentication;
#[cfg(feature = "simplejwt")]
pub use jwt_cookie::JwtCookieAuthentication;
#[cfg(feature = "simplejwt")]
pub use jwt_stateless_user::JwtStatelessUserAuthentication;
#[cfg(feature = "knox")]
pub use knox::KnoxTokenAuthentication;
#[cfg(feature = "oauth2")]
pub use oauth2::OAuth2Authentication;
#[cfg(feature = "oauth2")]
pub use oauth2_protected_resource::OAuth2ProtectedResourceAuthentication;
pub use remote_user::RemoteUserAuthentication;
pub use scheme::{AuthContext, Authenticated, Authentication, Outcome, Verify};
pub use security_scheme::{CredentialLocation, SecurityRequirement, SecurityScheme};
pub use session::SessionAuthentication;
pub use token::{Bearer, BearerAuthentication, SettingsKeyword, TokenAuthentication, TokenKeyword};
