//! djangorestframework-simplejwt's views: `TokenObtainPairView`, `TokenRefreshView`,
//! `TokenVerifyView`, `TokenBlacklistView`, `TokenObtainSlidingView` and
//! `TokenRefreshSlidingView`.
//!
//! `web::scope("/api").configure(auth_actix::views::simplejwt_endpoints)` mounts them at
//! simplejwt's conventional paths: `POST token/`, `token/refresh/`, `token/verify/`,
//! `token/blacklist/`, `token/sliding/` and `token/sliding/refresh/`;
//! [`TokenView::resource`] mounts one anywhere.
//!
//! As simplejwt's `TokenViewBase`: POST only (any other method: DRF's 405 with
//! `Allow: POST, OPTIONS`), no authentication and no permissions, JSON, form or multipart bodies,
//! and every authentication failure a 401 with `WWW-Authenticate: Bearer realm="api"` (the first
//! of `AUTH_HEADER_TYPES`). Unlike simplejwt, the two views that take a password are throttled
//! out of the box (scope `login`, as DRF's obtain-token view here).

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use auth_core::simplejwt_serializers as serializers;
use auth_core::throttling::{LoginScope, ScopedRateThrottle};

use crate::default_response_headers::DefaultResponseHeaders;
use crate::error::ApiErrorResponse;
use crate::guard::{PolicyGuard, method_not_allowed};
use crate::post_data;
use crate::routed_handler::{DeclaredName, declared};
use crate::runtime::runtime_of;

/// One of simplejwt's six views.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenView {
    /// `TokenObtainPairView`: `username` + `password` → `{"refresh":…,"access":…}`.
    TokenObtainPair,
    /// `TokenRefreshView`: `refresh` → `{"access":…}` (plus `refresh` when rotating).
    TokenRefresh,
    /// `TokenVerifyView`: `token` → `{}`.
    TokenVerify,
    /// `TokenBlacklistView`: `refresh` → `{}`, the token blacklisted.
    TokenBlacklist,
    /// `TokenObtainSlidingView`: `username` + `password` → `{"token":…}`.
    TokenObtainSliding,
    /// `TokenRefreshSlidingView`: `token` → `{"token":…}`.
    TokenRefreshSliding,
}

const OBTAIN_PAIR: &str = "auth_actix::simplejwt::token_obtain_pair";
const REFRESH: &str = "auth_actix::simplejwt::token_refresh";
const VERIFY: &str = "auth_actix::simplejwt::token_verify";
const BLACKLIST: &str = "auth_actix::simplejwt::token_blacklist";
const OBTAIN_SLIDING: &str = "auth_actix::simplejwt::token_obtain_sliding";
const REFRESH_SLIDING: &str = "auth_actix::simplejwt::token_refresh_sliding";
inventory::submit!(DeclaredName(OBTAIN_PAIR));
inventory::submit!(DeclaredName(REFRESH));
inventory::submit!(DeclaredName(VERIFY));
inventory::submit!(DeclaredName(BLACKLIST));
inventory::submit!(DeclaredName(OBTAIN_SLIDING));
inventory::submit!(DeclaredName(REFRESH_SLIDING));

impl TokenView {
    /// The view's name (which also tells deny-by-default, before routing, that it declares
    /// its policy).
    fn name(self) -> &'static str {
        match self {
            Self::TokenObtainPair => OBTAIN_PAIR,
            Self::TokenRefresh => REFRESH,
            Self::TokenVerify => VERIFY,
            Self::TokenBlacklist => BLACKLIST,
            Self::TokenObtainSliding => OBTAIN_SLIDING,
            Self::TokenRefreshSliding => REFRESH_SLIDING,
        }
    }

    /// The serializer's fields, `(name, trim_whitespace)`. simplejwt's `PasswordField` is a
    /// `CharField`, which trims: unlike DRF's obtain-token serializer, a password's surrounding
    /// whitespace is dropped before it is checked.
    fn fields(self) -> &'static [(&'static str, bool)] {
        match self {
            Self::TokenObtainPair | Self::TokenObtainSliding => {
                &[("username", true), ("password", true)]
            }
            Self::TokenRefresh | Self::TokenBlacklist => &[("refresh", true)],
            Self::TokenVerify | Self::TokenRefreshSliding => &[("token", true)],
        }
    }

    /// `path` answering `POST` with this view and every other method with DRF's 405.
    pub fn resource(self, path: &str) -> actix_web::Resource {
        let resource = web::resource(path)
            .name(self.name())
            // `TokenViewBase` is a `GenericAPIView` with `post` and DRF's default renderers.
            .app_data(DefaultResponseHeaders::methods(&["POST"]))
            .default_service(web::to(method_not_allowed::<(), ()>()));
        match self {
            Self::TokenObtainPair => resource.route(web::post().to(declared(obtain_pair))),
            Self::TokenObtainSliding => resource.route(web::post().to(declared(obtain_sliding))),
            Self::TokenRefresh => resource.route(web::post().to(declared(refresh))),
            Self::TokenVerify => resource.route(web::post().to(declared(verify))),
            Self::TokenBlacklist => resource.route(web::post().to(declared(blacklist))),
            Self::TokenRefreshSliding => resource.route(web::post().to(declared(refresh_sliding))),
        }
    }
}

/// Registers the six views at simplejwt's conventional paths (see the module docs).
///
/// ```
/// use actix_web::{test, web};
/// use auth_actix::AuthSettings;
/// use auth_actix::views::simplejwt_endpoints;
///
/// # actix_web::rt::System::new().block_on(async {
/// let settings = AuthSettings::builder().secret_key("example-secret-key-of-32-bytes-at-least").database_url("sqlite::memory:").build()?;
/// let db = settings.connect_and_migrate().await?;
/// let app = test::init_service(
///     auth_actix::app(settings, db).service(web::scope("/api").configure(simplejwt_endpoints)),
/// )
/// .await;
/// let response = test::call_service(
///     &app,
///     test::TestRequest::post()
///         .uri("/api/token/verify/")
///         .set_json(serde_json::json!({"token": "not a token"}))
///         .to_request(),
/// )
/// .await;
/// assert_eq!(response.status(), 401);
/// let challenge = response.headers().get("www-authenticate").map(|value| value.as_bytes());
/// assert_eq!(challenge, Some(&br#"Bearer realm="api""#[..]));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// # }).unwrap();
/// ```
pub fn simplejwt_endpoints(config: &mut web::ServiceConfig) {
    config
        .service(TokenView::TokenObtainPair.resource("/token/"))
        .service(TokenView::TokenRefresh.resource("/token/refresh/"))
        .service(TokenView::TokenVerify.resource("/token/verify/"))
        .service(TokenView::TokenBlacklist.resource("/token/blacklist/"))
        .service(TokenView::TokenObtainSliding.resource("/token/sliding/"))
        .service(TokenView::TokenRefreshSliding.resource("/token/sliding/refresh/"));
}

/// Registers djoser's `urls/jwt.py`: the obtain-pair, refresh and verify views at
/// `jwt/create`, `jwt/refresh` and `jwt/verify` (mount it where djoser's other views are, as
/// `web::scope("/auth").configure(djoser_jwt_endpoints)`). djoser's patterns are
/// `^jwt/create/?` with no `$`: Django matches any path that starts so (`jwt/create`,
/// `jwt/create/`, `jwt/created/x`), and so do these. As in djoser, there is no blacklist view.
pub fn djoser_jwt_endpoints(config: &mut web::ServiceConfig) {
    config
        .service(TokenView::TokenObtainPair.resource("/jwt/create{tail:.*}"))
        .service(TokenView::TokenRefresh.resource("/jwt/refresh{tail:.*}"))
        .service(TokenView::TokenVerify.resource("/jwt/verify{tail:.*}"));
}

/// `TokenViewBase.post`: the body's fields through the view's serializer; `200` with what it
/// answers, or its error (authentication failures with the view's challenge).
async fn post(
    view: TokenView,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiErrorResponse> {
    let runtime = runtime_of(&request)?;
    let env = runtime.env();
    let jwt = env.settings().simple_jwt_or_default()?;
    let answer = async {
        let settings = runtime.settings();
        let (body, post) = post_data::read(&request, payload, settings).await?;
        let fields = post_data::char_fields(&body, &post, view.fields())?;
        let field = |index: usize| fields.get(index).map_or("", String::as_str);
        match view {
            TokenView::TokenObtainPair => {
                serializers::obtain_pair(env, &jwt, field(0), field(1)).await
            }
            TokenView::TokenObtainSliding => {
                serializers::obtain_sliding(env, &jwt, field(0), field(1)).await
            }
            TokenView::TokenRefresh => serializers::refresh(env, &jwt, field(0)).await,
            TokenView::TokenVerify => serializers::verify(env, &jwt, field(0)).await,
            TokenView::TokenBlacklist => serializers::blacklist(env, &jwt, field(0)).await,
            TokenView::TokenRefreshSliding => {
                serializers::refresh_sliding(env, &jwt, field(0)).await
            }
        }
    }
    .await;
    match answer {
        Ok(body) => Ok(HttpResponse::Ok()
            .insert_header((
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ))
            .body(serde_json::Value::Object(body).to_string())),
        Err(error) => Err(serializers::view_error(&jwt, error).into()),
    }
}

/// The password views: throttled before anything is read (scope `login`).
type PasswordGuard = PolicyGuard<(), (), (ScopedRateThrottle,), LoginScope>;

async fn obtain_pair(
    _guard: PasswordGuard,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiErrorResponse> {
    post(TokenView::TokenObtainPair, request, payload).await
}

async fn obtain_sliding(
    _guard: PasswordGuard,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiErrorResponse> {
    post(TokenView::TokenObtainSliding, request, payload).await
}

async fn refresh(
    _guard: PolicyGuard<(), ()>,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiErrorResponse> {
    post(TokenView::TokenRefresh, request, payload).await
}

async fn verify(
    _guard: PolicyGuard<(), ()>,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiErrorResponse> {
    post(TokenView::TokenVerify, request, payload).await
}

async fn blacklist(
    _guard: PolicyGuard<(), ()>,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiErrorResponse> {
    post(TokenView::TokenBlacklist, request, payload).await
}

async fn refresh_sliding(
    _guard: PolicyGuard<(), ()>,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiErrorResponse> {
    post(TokenView::TokenRefreshSliding, request, payload).await
}
