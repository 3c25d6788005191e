//! Django REST framework's authentication, permission and throttling model, framework-agnostic.
//!
//! This crate holds the runtime: schemes ([`authentication`]), permissions ([`permissions`]),
//! the pipeline and its 401/403 rule ([`policy`]), DRF's errors ([`error`]), settings, Django's
//! password hashers ([`django::hashers`]) and storage in Django's own tables ([`store`]). It
//! contains no web-framework types: `auth-actix` binds it to actix-web through
//! [`request::RequestView`].
//!
//! Behaviour follows Django REST framework 3.18 and Django 6.1 byte for byte (status codes,
//! `WWW-Authenticate`, bodies, data formats).
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod auth_token_serializer;
pub mod authentication;
pub mod backends;
pub mod credential_cache;
pub mod django;
pub mod error;
pub mod hashing_pool;
pub mod json_parser;
pub mod messages;
pub mod negotiation;
pub mod operation_security;
pub mod permissions;
pub mod policy;
pub mod python_whitespace;
pub mod request;
pub mod response_effects;
pub mod session;
pub mod settings;
pub mod store;
pub mod throttling;
pub mod user;

pub use authentication::{
    AuthContext, AuthInfo, Authenticated, Authentication, BasicAuthentication, Bearer,
    KnoxTokenAuthentication, RemoteUserAuthentication, SessionAuthentication, TokenAuthentication,
};
pub use error::{ApiError, ErrorKind};
pub use permissions::{
    AllowAny, And, IsAdminUser, IsAuthenticated, IsAuthenticatedOrReadOnly, Not, Or, Permission,
    ReadOnly,
};
pub use policy::{
    AuthState, DefaultAuthentication, DefaultPermissions, DefaultThrottles, Policy, PolicyDefaults,
};
pub use request::RequestView;
pub use settings::{AuthSettings, AuthSettingsBuilder};
pub use throttling::{AnonRateThrottle, ScopedRateThrottle, UserRateThrottle};
pub use user::{RequestUser, User};
