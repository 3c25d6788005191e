//! Django REST framework's authentication, permissions and throttling for actix-web.
//!
//! A handler declares its policy with a guard parameter (the attribute macros expand to the
//! same guard); the runtime lives in `auth-core` and is re-exported here, so an application
//! depends on this crate alone. Users and tokens are read from Django's own tables through
//! sea-orm, so a service built with it serves the users and tokens of an existing Django
//! deployment, with the same status codes, `WWW-Authenticate` headers and bodies as DRF.
//!
//! ```no_run
//! use actix_web::{get, web, App, HttpServer, Responder};
//! use auth_actix::{Auth, AuthSettings, BasicAuthentication, IsAuthenticated, PolicyGuard, TokenAuthentication};
//!
//! #[get("/me")]
//! async fn me(
//!     _: PolicyGuard<(TokenAuthentication, BasicAuthentication), IsAuthenticated>,
//!     auth: Auth,
//! ) -> impl Responder {
//!     web::Json(serde_json::json!({ "user": auth.user().to_string() }))
//! }
//!
//! #[actix_web::main]
//! async fn main() -> std::io::Result<()> {
//!     let settings = AuthSettings::builder().secret_key_from_env("SECRET_KEY").build().expect("settings");
//!     let db = auth_actix::store::connect_and_migrate(settings.database_url()).await.expect("database");
//!     HttpServer::new(move || App::new().configure(auth_actix::configure(settings.clone(), db.clone())).service(me))
//!         .bind(("127.0.0.1", 8000))?
//!         .run()
//!         .await
//! }
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

#[cfg(feature = "admin")]
pub mod admin;
mod error;
mod guard;
mod knox_views;
mod obtain_auth_token;
#[cfg(feature = "utoipa")]
pub mod openapi;
mod operation_policy;
mod payload_gate;
mod post_data;
mod request_view;
mod response_cookies;
mod runtime;
mod session_middleware;
mod session_views;
pub mod test;

pub use auth_core::authentication::AuthenticationClasses;
pub use auth_core::authentication::token::BearerAuthentication;
pub use auth_core::declare_throttle_scope;
pub use auth_core::permissions::PermissionClasses;
pub use auth_core::policy::{AuthenticationPolicy, Resolve};
pub use auth_core::token_keyword;
pub use auth_core::{
    AllowAny, And, AnonRateThrottle, AuthInfo, AuthSettings, AuthSettingsBuilder, AuthState,
    Authenticated, Authentication, BasicAuthentication, Bearer, DefaultAuthentication,
    DefaultPermissions, DefaultThrottles, IsAdminUser, IsAuthenticated, IsAuthenticatedOrReadOnly,
    KnoxTokenAuthentication, Not, Or, Permission, PolicyDefaults, ReadOnly,
    RemoteUserAuthentication, RequestUser, RequestView, ScopedRateThrottle, SessionAuthentication,
    TokenAuthentication, User, UserRateThrottle,
};
pub use auth_core::{
    authentication, backends, credential_cache, django, error as core_error, json_parser, messages,
    negotiation, operation_security, permissions, policy, request, response_effects, settings,
    store, throttling, user,
};
pub use error::ApiError;
pub use guard::{Auth, PolicyGuard, method_not_allowed};
pub use knox_views::{TOKEN_LIMIT_EXCEEDED, knox_endpoints};
pub use obtain_auth_token::{AuthTokenResponse, obtain_auth_token, obtain_auth_token_resource};
pub use request_view::{HttpRequestView, TrustedRemoteUser};
pub use runtime::{AuthRuntime, configure};
pub use session_middleware::{SessionMiddleware, SessionMiddlewareService};
pub use session_views::session_endpoints;

pub use auth_macros::{
    Authentication, authentication_classes, permission_classes, throttle_classes, throttle_scope,
};

/// What the macros' expansions name; not part of the public API.
#[doc(hidden)]
pub mod __private {
    pub use auth_core::authentication::credential::{Found, Source};
    pub use auth_core::authentication::{
        AuthContext, Authentication, Outcome, SecurityRequirement, SecurityScheme,
        TokenAuthentication, TokenKeyword, Verify,
    };
    pub use auth_core::permissions::{And, Not, Or, Permission};
    pub use auth_core::policy::{DefaultAuthentication, DefaultPermissions, DefaultThrottles};
    pub use auth_core::settings::AuthSettings;
    pub use auth_core::throttling::{NoThrottleScope, Throttle, ThrottleScope};
    pub use core::option::Option::{self, None, Some};
    pub use core::result::Result::{Err, Ok};
    pub use std::string::String;
    pub use std::vec;

    #[cfg(feature = "utoipa")]
    pub use inventory;

    pub use crate::__register_handler_policy as register_handler_policy;
    pub use crate::guard::PolicyGuard;

    /// Calls the user's `Verify`; one generic call, so a missing impl is one error on the struct.
    pub async fn verify_credentials<T: Verify>(
        credentials: T,
        cx: &AuthContext<'_>,
    ) -> Result<auth_core::authentication::Authenticated, auth_core::ApiError> {
        credentials.verify(cx).await
    }

    /// Compile-time check that `T` is a scheme; spanned on the user's token by the macros.
    #[inline(always)]
    pub const fn assert_authentication<T: Authentication>() {}

    /// Compile-time check that `T` is a throttle; spanned on the user's token by the macros.
    #[inline(always)]
    pub const fn assert_throttle<T: Throttle>() {}

    /// Compile-time check that `T` is a permission; spanned on the user's token by the macros.
    #[inline(always)]
    pub const fn assert_permission<T: Permission>() {}
}
