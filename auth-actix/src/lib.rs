//! Django REST framework's authentication, permissions and throttling for actix-web.
//!
//! A handler declares its policy with attributes (or the guard parameter they expand to); the
//! runtime lives in `auth-core` and is re-exported here, so an application depends on this
//! crate alone. Users and tokens are read from Django's own tables through sea-orm, so a service
//! built with it serves the users and tokens of an existing Django deployment, with the same
//! status codes, `WWW-Authenticate` headers and bodies as DRF.
//!
//! The crate root holds what a handler author writes; the rest is one module per role:
//! [`authentication`] (what a custom scheme implements), [`permissions`], [`throttling`],
//! [`settings`], [`store`] (Django's tables and users), [`views`] (DRF's and knox's
//! endpoints), [`policy`] (the machinery behind [`PolicyGuard`]), [`django`] (Django's formats),
//! [`test`](mod@test) and, with the `openapi` feature, `openapi`.
//!
//! ```no_run
//! use actix_web::{get, web, HttpServer, Responder};
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
//!     let db = settings.connect_and_migrate().await.expect("database");
//!     HttpServer::new(move || auth_actix::app(settings.clone(), db.clone()).service(me))
//!         .bind(("127.0.0.1", 8000))?
//!         .run()
//!         .await
//! }
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod api_view;
mod default_response_headers;
#[cfg(feature = "accounts")]
mod deferred_mail;
#[cfg(feature = "accounts")]
mod djoser_views;
mod error;
mod guard;
mod handler_policy;
mod json_parser;
#[cfg(feature = "simplejwt")]
mod jwks_view;
#[cfg(feature = "simplejwt")]
mod jwt_cookie_views;
#[cfg(feature = "knox")]
mod knox_views;
mod login_required;
#[cfg(feature = "accounts")]
mod model_user_fields;
#[cfg(feature = "oauth2")]
mod oauth2_views;
mod obtain_auth_token;
#[cfg(feature = "openapi")]
#[cfg_attr(docsrs, doc(cfg(feature = "openapi")))]
pub mod openapi;
mod operation_policy;
mod payload_gate;
mod post_data;
#[cfg(feature = "accounts")]
mod request_fields;
mod request_session;
mod request_view;
mod response_cookies;
#[cfg(all(feature = "accounts", feature = "simplejwt"))]
mod rest_auth_account_views;
#[cfg(all(feature = "accounts", feature = "simplejwt"))]
mod rest_auth_password_reset_views;
#[cfg(all(feature = "accounts", feature = "simplejwt"))]
mod rest_auth_registration_views;
#[cfg(feature = "simplejwt")]
mod rest_auth_views;
mod route_policy;
mod routed_handler;
mod runtime;
mod scope_policy;
mod session_middleware;
mod session_views;
#[cfg(feature = "simplejwt")]
mod simplejwt_views;
pub mod test;

// What a handler author writes.
#[cfg(feature = "knox")]
#[cfg_attr(docsrs, doc(cfg(feature = "knox")))]
pub use auth_core::authentication::KnoxTokenAuthentication;
pub use auth_core::authentication::{
    BasicAuthentication, BearerAuthentication, RemoteUserAuthentication, SessionAuthentication,
    TokenAuthentication,
};
#[cfg(feature = "simplejwt")]
#[cfg_attr(docsrs, doc(cfg(feature = "simplejwt")))]
pub use auth_core::authentication::{
    JwtAuthentication, JwtCookieAuthentication, JwtStatelessUserAuthentication,
};
#[cfg(feature = "oauth2")]
#[cfg_attr(docsrs, doc(cfg(feature = "oauth2")))]
pub use auth_core::authentication::{OAuth2Authentication, OAuth2ProtectedResourceAuthentication};
pub use auth_core::permissions::{
    AllowAny, DjangoModel, DjangoModelPermissions, DjangoModelPermissionsOrAnonReadOnly,
    DjangoObjectPermissions, IsAdminUser, IsAuthenticated, IsAuthenticatedOrReadOnly, ReadOnly,
};
#[cfg(feature = "oauth2")]
#[cfg_attr(docsrs, doc(cfg(feature = "oauth2")))]
pub use auth_core::permissions::{
    IsAuthenticatedOrTokenHasScope, TokenHasReadWriteScope, TokenHasResourceScope, TokenHasScope,
    TokenMatchesOASRequirements,
};
pub use auth_core::policy::PolicyDefaults;
pub use auth_core::renderers::{CSVRenderer, JSONRenderer, StaticHTMLRenderer};
#[cfg(feature = "oauth2")]
#[cfg_attr(docsrs, doc(cfg(feature = "oauth2")))]
pub use auth_core::throttling::OAuth2ClientRateThrottle;
pub use auth_core::throttling::{AnonRateThrottle, ScopedRateThrottle, UserRateThrottle};
pub use auth_core::{ApiError, AuthSettings};
#[cfg(feature = "oauth2")]
#[cfg_attr(docsrs, doc(cfg(feature = "oauth2")))]
pub use auth_core::{required_alternate_scopes, required_scopes};
pub use auth_macros::{
    Authentication, UserColumns, api_view, authentication_classes, login_not_required,
    permission_classes, renderer_classes, throttle_classes, throttle_scope,
};
pub use default_response_headers::DefaultResponseHeaders;
pub use error::ApiErrorResponse;
pub use guard::{Auth, PolicyGuard};
pub use login_required::LoginRequiredMiddleware;
pub use request_session::{RequestSession, SessionError};
pub use runtime::{AuthRuntime, app, configure};
pub use scope_policy::ScopePolicy;
pub use session_middleware::SessionMiddleware;

/// What a custom authentication scheme implements and uses: DRF's `BaseAuthentication` as
/// [`Authentication`] (or its derive with [`Verify`](authentication::Verify)), what a scheme
/// sees and returns, the user and credential types, and `django.contrib.auth`'s account
/// functions (`authenticate`, `create_user`, `make_password`), which schemes and views call.
pub mod authentication {
    pub use auth_core::accounts::{
        CreateUserError, UserFields, authenticate, authenticate_remote_user, create_user,
        make_password, normalize_email,
    };
    #[cfg(feature = "knox")]
    #[cfg_attr(docsrs, doc(cfg(feature = "knox")))]
    pub use auth_core::authentication::KnoxTokenAuthentication;
    pub use auth_core::authentication::credential::{Found, Source};
    pub use auth_core::authentication::forced::ForcedAuthentication;
    pub use auth_core::authentication::{
        AuthContext, Authenticated, Authentication, AuthenticationClasses, BasicAuthentication,
        Bearer, BearerAuthentication, ChainOutcome, CredentialLocation, Outcome,
        RemoteUserAuthentication, SecurityRequirement, SecurityScheme, SessionAuthentication,
        SettingsKeyword, TokenAuthentication, TokenKeyword, Verify,
    };
    #[cfg(feature = "simplejwt")]
    #[cfg_attr(docsrs, doc(cfg(feature = "simplejwt")))]
    pub use auth_core::authentication::{
        JwtAuthentication, JwtCookieAuthentication, JwtStatelessUserAuthentication,
    };
    #[cfg(feature = "oauth2")]
    #[cfg_attr(docsrs, doc(cfg(feature = "oauth2")))]
    pub use auth_core::authentication::{
        OAuth2Authentication, OAuth2ProtectedResourceAuthentication,
    };
    pub use auth_core::request::RequestView;
    pub use auth_core::response_effects::{ResponseEffects, SessionCookie};
    pub use auth_core::token_keyword;
    #[cfg(feature = "knox")]
    #[cfg_attr(docsrs, doc(cfg(feature = "knox")))]
    pub use auth_core::user::KnoxAuth;
    pub use auth_core::user::{AuthInfo, RequestUser, TokenUser, User};
    pub use auth_core::{ApiError, ErrorKind};
    pub use auth_macros::Authentication;

    pub use crate::request_view::{HttpRequestView, TrustedRemoteUser};
}

/// DRF's renderers as a view declares them (`#[renderer_classes(…)]`): the [`Renderer`]
/// trait a custom renderer implements, the built-ins, and what negotiation chose.
pub mod renderers {
    pub use auth_core::negotiation::Accepted;
    pub use auth_core::renderers::{
        CSVRenderer, DefaultRenderers, JSONRenderer, Renderer, RendererClasses, RendererInfo,
        StaticHTMLRenderer,
    };
}

/// DRF's permissions: the [`Permission`](permissions::Permission) trait a custom permission
/// implements, what it sees, the built-ins and `&`/`|`/`!` composition.
pub mod permissions {
    pub use auth_core::model_backend::{ModelBackend, Permissions};
    pub use auth_core::object_permission_backend::ObjectPermissionBackend;
    pub use auth_core::permission_backend::{
        BackendContext, BackendFuture, ObjectRef, PermissionBackend,
    };
    pub use auth_core::permissions::{
        AllowAny, And, Decision, Denial, DjangoModel, DjangoModelPermissions,
        DjangoModelPermissionsOrAnonReadOnly, DjangoObjectPermissions, DrfPermsMap, IsAdminUser,
        IsAuthenticated, IsAuthenticatedOrReadOnly, ListDecision, Not, ObjectPermissions, Or,
        Permission, PermissionClasses, PermissionContext, PermsMap, ReadOnly,
    };
    #[cfg(feature = "oauth2")]
    #[cfg_attr(docsrs, doc(cfg(feature = "oauth2")))]
    pub use auth_core::permissions::{
        IsAuthenticatedOrTokenHasScope, NoRequiredScopes, RequiredAlternateScopes, RequiredScopes,
        TokenHasReadWriteScope, TokenHasResourceScope, TokenHasScope, TokenMatchesOASRequirements,
    };
    #[cfg(feature = "oauth2")]
    #[cfg_attr(docsrs, doc(cfg(feature = "oauth2")))]
    pub use auth_core::store::oauth2_access_token::AccessToken;
    pub use auth_core::user::{AuthInfo, RequestUser};
}

/// DRF's throttles: the [`Throttle`](throttling::Throttle) trait, the rate throttles, scopes,
/// and where histories live.
pub mod throttling {
    pub use auth_core::declare_throttle_scope;
    pub use auth_core::services::memory_store::MemoryStore;
    #[cfg(feature = "redis")]
    #[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
    pub use auth_core::services::redis_store::RedisStore;
    pub use auth_core::services::throttle_store::{Hit, HitFuture, StoreError, ThrottleStore};
    #[cfg(feature = "oauth2")]
    #[cfg_attr(docsrs, doc(cfg(feature = "oauth2")))]
    pub use auth_core::throttling::OAuth2ClientRateThrottle;
    pub use auth_core::throttling::ident::get_ident;
    pub use auth_core::throttling::{
        AnonRateThrottle, LoginScope, NoThrottleScope, Rate, ScopedRateThrottle, Throttle,
        ThrottleClasses, ThrottleContext, ThrottleDecision, ThrottleScope, UserRateThrottle,
        rate_allow,
    };
}

/// The project's configuration: the builder, the settings it makes (Django's and DRF's), and
/// the services and defaults bundled with them.
pub mod settings {
    pub use auth_core::auth_settings::{AuthSettings, AuthSettingsBuilder};
    pub use auth_core::clock::{Clock, SystemClock};
    #[cfg(feature = "simplejwt")]
    #[cfg_attr(docsrs, doc(cfg(feature = "simplejwt")))]
    pub use auth_core::dj_rest_auth::{JwtCookieSettings, RestAuthSettings};
    pub use auth_core::django::http::cookie::{CookieSettings, SameSite};
    pub use auth_core::django::session_data::{MODEL_BACKEND, REMOTE_USER_BACKEND};
    pub use auth_core::environment::{Environment, Services};
    #[cfg(feature = "knox")]
    #[cfg_attr(docsrs, doc(cfg(feature = "knox")))]
    pub use auth_core::knox::KnoxSettings;
    #[cfg(feature = "oauth2")]
    #[cfg_attr(docsrs, doc(cfg(feature = "oauth2")))]
    pub use auth_core::oauth2::OAuth2Settings;
    #[cfg(feature = "redis")]
    #[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
    pub use auth_core::services::cache_invalidation::{
        CHANNEL as CACHE_INVALIDATION_CHANNEL, RedisCacheInvalidation,
    };
    pub use auth_core::services::credential_cache::{CredentialCache, Invalidation};
    pub use auth_core::services::hashing_pool::HashingPool;
    pub use auth_core::settings::{
        DEFAULT_ALLOWED_HOSTS, DEFAULT_DATABASE_URL, DEFAULT_LOGIN_RATE, LOGIN_SCOPE, SecretKey,
        Settings, SettingsError, UnauthenticatedUser,
    };
    #[cfg(feature = "settings-file")]
    #[cfg_attr(docsrs, doc(cfg(feature = "settings-file")))]
    pub use auth_core::settings_file::{ENV_PREFIX, SettingsFile, SettingsFileError};
    #[cfg(feature = "simplejwt")]
    #[cfg_attr(docsrs, doc(cfg(feature = "simplejwt")))]
    pub use auth_core::simplejwt::settings::{Audience, SimpleJwtSettings, SimpleJwtSettingsError};
    pub use auth_core::store::user::UserModel;
}

/// Django's tables (users, DRF tokens, sessions, and knox tokens with the `knox` feature)
/// through sea-orm, and their migrations.
pub mod store {
    pub use auth_core::store::*;
}

/// DRF's and knox's endpoints, ready to mount.
pub mod views {
    #[cfg(feature = "accounts")]
    #[cfg_attr(docsrs, doc(cfg(feature = "accounts")))]
    pub use crate::djoser_views::djoser_endpoints;
    pub use crate::guard::{MethodNotAllowed, method_not_allowed};
    #[cfg(feature = "simplejwt")]
    #[cfg_attr(docsrs, doc(cfg(feature = "simplejwt")))]
    pub use crate::jwks_view::jwks_resource;
    #[cfg(feature = "simplejwt")]
    #[cfg_attr(docsrs, doc(cfg(feature = "simplejwt")))]
    pub use crate::jwt_cookie_views::{NO_VALID_REFRESH_TOKEN, cookie_token_refresh_resource};
    #[cfg(feature = "knox")]
    #[cfg_attr(docsrs, doc(cfg(feature = "knox")))]
    pub use crate::knox_views::{TOKEN_LIMIT_EXCEEDED, knox_endpoints};
    #[cfg(feature = "oauth2")]
    #[cfg_attr(docsrs, doc(cfg(feature = "oauth2")))]
    pub use crate::oauth2_views::oauth2_provider_endpoints;
    pub use crate::obtain_auth_token::{
        AuthTokenResponse, obtain_auth_token, obtain_auth_token_resource,
    };
    #[cfg(all(feature = "accounts", feature = "simplejwt"))]
    #[cfg_attr(docsrs, doc(cfg(all(feature = "accounts", feature = "simplejwt"))))]
    pub use crate::rest_auth_account_views::{
        NEW_PASSWORD_SAVED, OLD_PASSWORD_INCORRECT, PASSWORD_MISMATCH,
        rest_auth_password_change_resource, rest_auth_user_resource,
    };
    #[cfg(all(feature = "accounts", feature = "simplejwt"))]
    #[cfg_attr(docsrs, doc(cfg(all(feature = "accounts", feature = "simplejwt"))))]
    pub use crate::rest_auth_password_reset_views::{
        INVALID_VALUE, PASSWORD_RESET_DONE, PASSWORD_RESET_SENT,
        rest_auth_password_reset_confirm_resource, rest_auth_password_reset_resource,
    };
    #[cfg(all(feature = "accounts", feature = "simplejwt"))]
    #[cfg_attr(docsrs, doc(cfg(all(feature = "accounts", feature = "simplejwt"))))]
    pub use crate::rest_auth_registration_views::{
        EMAIL_ALREADY_REGISTERED, OK, dj_rest_auth_registration_endpoints,
        rest_auth_register_resource, rest_auth_resend_email_resource,
        rest_auth_verify_email_resource,
    };
    #[cfg(feature = "simplejwt")]
    #[cfg_attr(docsrs, doc(cfg(feature = "simplejwt")))]
    pub use crate::rest_auth_views::{
        DjRestAuthScope, REFRESH_NOT_IN_COOKIE, REFRESH_NOT_IN_DATA, SHOULD_BE_LOGGED_IN,
        SUCCESSFULLY_LOGGED_OUT, TOKEN_NOT_DELETED, dj_rest_auth_endpoints,
        rest_auth_login_resource, rest_auth_logout_resource,
    };
    pub use crate::session_views::session_endpoints;
    #[cfg(feature = "simplejwt")]
    #[cfg_attr(docsrs, doc(cfg(feature = "simplejwt")))]
    pub use crate::simplejwt_views::{TokenView, djoser_jwt_endpoints, simplejwt_endpoints};
}

/// The machinery behind [`PolicyGuard`]: how a declared policy resolves against the defaults,
/// and what the pipeline decided.
pub mod policy {
    pub use auth_core::policy::{
        AuthState, AuthenticationPolicy, DefaultAuthentication, DefaultPermissions,
        DefaultThrottles, ImportError, ImportStrings, Policy, Resolve,
    };

    pub use crate::api_view::{ApiView, NotDispatched};
    pub use crate::handler_policy::{DeclaredGuard, HandlerPolicy};
    pub use crate::route_policy::RoutePolicyService;
    pub use crate::routed_handler::{Declared, GuardedArguments, declared};
}

/// Django's formats, byte for byte: password hashers, signing, session data, CSRF tokens,
/// cookies; and `constant_time_compare` for a secret a custom scheme checks.
pub mod django {
    pub use auth_core::django::*;
}

/// What the macros' expansions name; not part of the public API.
#[doc(hidden)]
pub mod __private {
    pub use auth_core::authentication::credential::{Found, Source};
    pub use auth_core::authentication::{
        AuthContext, Authenticated, Authentication, Outcome, SecurityRequirement, SecurityScheme,
        TokenAuthentication, TokenKeyword, Verify,
    };
    pub use auth_core::permissions::{And, Not, Or, Permission};
    pub use auth_core::policy::{DefaultAuthentication, DefaultPermissions, DefaultThrottles};
    pub use auth_core::renderers::{DefaultRenderers, Renderer};
    pub use auth_core::settings::Settings;
    pub use auth_core::store::sea_orm::{DbErr, QueryResult};
    pub use auth_core::store::user_columns::UserColumns;
    pub use auth_core::throttling::{NoThrottleScope, Throttle, ThrottleScope};
    pub use core::option::Option::{self, None, Some};
    pub use core::result::Result::{Err, Ok};
    pub use std::string::String;
    pub use std::vec;

    pub use inventory;

    pub use crate::routed_handler::{Claim, DeclaredName, report as report_routed};
    pub use actix_web::body::BoxBody;
    pub use actix_web::{Handler, HttpRequest, HttpResponse};

    /// The future a generated handler returns.
    pub type HandlerFuture = std::pin::Pin<Box<dyn Future<Output = HttpResponse>>>;

    /// What actix-web does with a handler's value: its response to `request`.
    pub fn respond<R: actix_web::Responder>(responder: R, request: &HttpRequest) -> HttpResponse {
        responder.respond_to(request).map_into_boxed_body()
    }

    pub use crate::__register_handler_policy as register_handler_policy;
    pub use crate::__register_login_not_required as register_login_not_required;
    pub use crate::api_view::ApiView;
    pub use crate::guard::PolicyGuard;
    pub use crate::handler_policy::{DeclaredGuard, HandlerPolicy};
    pub use actix_web::Resource;
    pub use actix_web::dev::{AppService, HttpServiceFactory};

    /// Calls the user's `Verify`; one generic call, so a missing impl is one error on the struct.
    pub async fn verify_credentials<T: Verify>(
        credentials: T,
        cx: &AuthContext<'_>,
    ) -> Result<Authenticated, auth_core::ApiError> {
        credentials.verify(cx).await
    }

    /// Compile-time check that `T` is a scheme; spanned on the user's token by the macros (for
    /// a handler that stays a function).
    #[inline(always)]
    pub const fn assert_authentication<T: Authentication>() {}

    /// Compile-time check that `T` is a throttle; spanned on the user's token by the macros.
    #[inline(always)]
    pub const fn assert_throttle<T: Throttle>() {}

    /// Compile-time check that `T` is a permission; spanned on the user's token by the macros.
    #[inline(always)]
    pub const fn assert_permission<T: Permission>() {}

    /// Compile-time check that `T` is a renderer; spanned on the user's token by the macros.
    #[inline(always)]
    pub const fn assert_renderer<T: Renderer>() {}
}
