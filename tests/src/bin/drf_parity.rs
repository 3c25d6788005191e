//! The parity server: the routes that the Django REST framework project of the parity suite
//! serves too, so the same requests can be sent to both and the answers compared byte for byte.
//!
//! ```text
//! DATABASE_URL=sqlite://parity.db?mode=rwc SECRET_KEY=… cargo run --release --bin drf_parity
//! ```
//!
//! Environment: `DATABASE_URL` (SQLite file or PostgreSQL URL holding Django's tables; missing
//! tables are added), `SECRET_KEY`, `BIND` (default `127.0.0.1:8001`), `PBKDF2_ITERATIONS`
//! (default 1500000), `CSRF_TRUSTED_ORIGINS` (comma-separated, wildcards allowed),
//! `SECURE_PROXY_SSL_HEADER` (a header name whose value `https` marks the request secure),
//! `REDIS_URL` (optional; in-memory throttles without it), `AUTH_USER_TABLE` and
//! `AUTH_USERNAME_FIELD` (optional: a custom user model's table and username field; default
//! `auth_user` and `username`), `AUTH_USER_MODEL` (its `app_label.ModelName`) and
//! `AUTH_USER_PK_FIELD` (its primary key's class: `UUIDField` for a UUID key).
//!
//! Besides the contract's routes it serves `/api-auth/login/`, `/api-auth/logout/` and
//! `/api-auth/csrf/` (session login; the interop suite uses the session it gives in Django), and
//! `/handler-login/`, `/handler-logout/`, `/session-value/` (`auth.login`, `auth.logout` and
//! `auth.session()` from handlers, checked against Django by the interop suite).
//!
//! Every route accepts GET, POST, PUT, PATCH and DELETE and, when its policy admits the
//! request, answers `{"user":"<username or AnonymousUser>","auth":"<auth as text or None>"}`.

use std::borrow::Cow;
use std::sync::Arc;

use actix_web::{HttpResponse, HttpServer, web};
use auth_actix::authentication::authenticate;
use auth_actix::permissions::{
    Decision, DrfPermsMap, ObjectPermissionBackend, Permission, PermissionContext, PermsMap,
};
use auth_actix::settings::{JwtCookieSettings, RestAuthSettings, SimpleJwtSettings};
use auth_actix::store::user::{UserIdKind, UserModel};
use auth_actix::throttling::RedisStore;
use auth_actix::views::{
    cookie_token_refresh_resource, dj_rest_auth_registration_endpoints, djoser_endpoints,
    djoser_jwt_endpoints, knox_endpoints, oauth2_provider_endpoints, obtain_auth_token_resource,
    rest_auth_login_resource, rest_auth_logout_resource, rest_auth_password_change_resource,
    rest_auth_password_reset_confirm_resource, rest_auth_password_reset_resource,
    rest_auth_user_resource, session_endpoints, simplejwt_endpoints,
};
use auth_actix::{
    AllowAny, AnonRateThrottle, ApiErrorResponse, Auth, AuthRuntime, AuthSettings,
    BasicAuthentication, BearerAuthentication, CSVRenderer, DefaultResponseHeaders, DjangoModel,
    DjangoModelPermissions, DjangoModelPermissionsOrAnonReadOnly, DjangoObjectPermissions,
    IsAdminUser, IsAuthenticated, IsAuthenticatedOrReadOnly, JSONRenderer, JwtAuthentication,
    JwtCookieAuthentication, JwtStatelessUserAuthentication, KnoxTokenAuthentication,
    PolicyDefaults, RemoteUserAuthentication, ScopedRateThrottle, SessionAuthentication,
    SessionMiddleware, StaticHTMLRenderer, TokenAuthentication, UserRateThrottle, api_view,
    authentication_classes, permission_classes, renderer_classes, throttle_classes, throttle_scope,
};
use auth_actix::{
    IsAuthenticatedOrTokenHasScope, OAuth2Authentication, OAuth2ProtectedResourceAuthentication,
    TokenHasReadWriteScope, TokenHasResourceScope, TokenHasScope, TokenMatchesOASRequirements,
    required_alternate_scopes, required_scopes,
};
use auth_core::django::email_settings::{EmailBackendName, EmailSettings};

/// The reference's custom permission: staff only, with DRF's `message`.
#[derive(Debug, Default)]
struct StaffWithMessage;

impl Permission for StaffWithMessage {
    async fn has_permission(&self, cx: &PermissionContext<'_>) -> Decision {
        Ok(cx.user.is_staff())
    }

    fn message(&self) -> Option<Cow<'static, str>> {
        Some(Cow::Borrowed("Custom: You cannot access this resource"))
    }
}

/// The reference views implement GET, POST, PUT, PATCH and DELETE (DRF adds HEAD and OPTIONS);
/// any other method is refused with 405 after the policy ran, as DRF dispatches.
const ALLOWED: &str = "GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS";

fn whoami(auth: &Auth) -> HttpResponse {
    let method = auth.request().method().as_str();
    if !ALLOWED.split(", ").any(|allowed| allowed == method) {
        let mut response = actix_web::ResponseError::error_response(
            &auth.error(auth_actix::ApiError::method_not_allowed(method)),
        );
        response.headers_mut().insert(
            actix_web::http::header::ALLOW,
            actix_web::http::header::HeaderValue::from_static(ALLOWED),
        );
        return response;
    }
    HttpResponse::Ok().json(serde_json::json!({
        "user": auth.user().to_string(),
        "auth": auth.auth().to_drf_string(),
    }))
}

#[authentication_classes(BasicAuthentication)]
#[permission_classes(IsAuthenticated)]
async fn basic(auth: Auth) -> HttpResponse {
    whoami(&auth)
}

/// The reference's `Rendered` views: `{user, auth}` in the accepted renderer's format (a CSV
/// table, JSON), or `<p>user</p>` for HTML, as `rest_framework_csv`'s and DRF's renderers write
/// them.
fn rendered_whoami(auth: &Auth) -> HttpResponse {
    let renderer = auth.accepted_renderer();
    let user = auth.user().to_string();
    let body = match renderer.format {
        "html" => format!("<p>{user}</p>"),
        "csv" => format!("auth,user\r\n{},{user}\r\n", auth.auth().to_drf_string()),
        _ => return whoami(auth),
    };
    let method = auth.request().method().as_str();
    if !ALLOWED.split(", ").any(|allowed| allowed == method) {
        // The 405, rendered by the accepted renderer.
        return whoami(auth);
    }
    HttpResponse::Ok()
        .content_type(renderer.content_type().as_ref())
        .body(body)
}

/// Django's `auth.Group`: the model of the reference's model-permission views.
struct AuthGroup;

impl DjangoModel for AuthGroup {
    const APP_LABEL: &'static str = "auth";
    const MODEL_NAME: &'static str = "group";

    fn object_pk(object: &dyn std::any::Any) -> Option<String> {
        object
            .downcast_ref::<GroupObject>()
            .map(|group| group.0.to_string())
    }
}

/// A group by its primary key: the object of `/object-perms/<pk>/` (an unsaved `Group(pk=pk)`
/// in the reference).
struct GroupObject(i64);

#[authentication_classes(BasicAuthentication)]
#[permission_classes(DjangoModelPermissions<AuthGroup>)]
async fn model_perms(auth: Auth) -> HttpResponse {
    whoami(&auth)
}

#[authentication_classes(BasicAuthentication)]
#[permission_classes(DjangoModelPermissionsOrAnonReadOnly<AuthGroup>)]
async fn model_perms_anon(auth: Auth) -> HttpResponse {
    whoami(&auth)
}

/// DRF's `DjangoObjectPermissions`, on an object (an unsaved group in the reference).
#[authentication_classes(BasicAuthentication)]
#[permission_classes(DjangoObjectPermissions<AuthGroup>)]
async fn object_perms(auth: Auth) -> Result<HttpResponse, ApiErrorResponse> {
    auth.check_object_permissions(&()).await?;
    Ok(whoami(&auth))
}

/// `DjangoObjectPermissions` on group `pk` (what django-guardian's backend reads).
#[authentication_classes(BasicAuthentication)]
#[permission_classes(DjangoObjectPermissions<AuthGroup>)]
async fn object_perms_by_pk(
    auth: Auth,
    pk: web::Path<i64>,
) -> Result<HttpResponse, ApiErrorResponse> {
    auth.check_object_permissions(&GroupObject(*pk)).await?;
    Ok(whoami(&auth))
}

#[authentication_classes(BasicAuthentication)]
#[permission_classes(DjangoObjectPermissions<AuthGroup, ViewPermsMap>)]
async fn object_perms_view_by_pk(
    auth: Auth,
    pk: web::Path<i64>,
) -> Result<HttpResponse, ApiErrorResponse> {
    auth.check_object_permissions(&GroupObject(*pk)).await?;
    Ok(whoami(&auth))
}

/// DRF's documented `perms_map` for django-guardian: reading needs the view permission.
struct ViewPermsMap;

impl PermsMap for ViewPermsMap {
    fn perms_map(method: &str) -> Option<&'static [&'static str]> {
        match method {
            "GET" | "HEAD" => Some(&["%(app_label)s.view_%(model_name)s"]),
            other => DrfPermsMap::perms_map(other),
        }
    }
}

#[authentication_classes(BasicAuthentication)]
#[permission_classes(DjangoObjectPermissions<AuthGroup, ViewPermsMap>)]
async fn object_perms_view(auth: Auth) -> Result<HttpResponse, ApiErrorResponse> {
    auth.check_object_permissions(&()).await?;
    Ok(whoami(&auth))
}

/// `request.user.has_perm(p)` for each `perm` of the query string, in its order (a repeated
/// one keeps its first place, as a Python dict's key).
#[api_view(GET)]
#[authentication_classes(BasicAuthentication)]
#[permission_classes(AllowAny)]
async fn has_perm(auth: Auth) -> Result<HttpResponse, ApiErrorResponse> {
    let mut answers = serde_json::Map::new();
    for (name, value) in form_urlencoded::parse(auth.request().query_string().as_bytes()) {
        if name == "perm" && !answers.contains_key(value.as_ref()) {
            let held = auth.has_perm(&value).await?;
            answers.insert(value.into_owned(), held.into());
        }
    }
    Ok(HttpResponse::Ok().json(answers))
}

/// Who is asking, by Basic.
///
/// Answers GET and POST.
#[api_view(GET, POST)]
#[authentication_classes(BasicAuthentication)]
#[permission_classes(IsAuthenticated)]
async fn api_view_basic(auth: Auth) -> HttpResponse {
    whoami(&auth)
}

#[api_view(GET, DELETE)]
#[authentication_classes(BasicAuthentication)]
#[permission_classes(AllowAny)]
async fn api_view_open(auth: Auth) -> HttpResponse {
    whoami(&auth)
}

/// Café table — in CSV or JSON.
#[api_view(GET)]
#[authentication_classes(BasicAuthentication)]
#[permission_classes(IsAuthenticated)]
#[renderer_classes(CSVRenderer, JSONRenderer)]
async fn api_view_csv(auth: Auth) -> HttpResponse {
    let renderer = auth.accepted_renderer();
    let (user, credential) = (auth.user().to_string(), auth.auth().to_drf_string());
    if renderer.format == "csv" {
        return HttpResponse::Ok()
            .content_type(renderer.content_type().as_ref())
            .body(format!("auth,user\r\n{credential},{user}\r\n"));
    }
    HttpResponse::Ok().json(serde_json::json!([{ "user": user, "auth": credential }]))
}

#[authentication_classes(BasicAuthentication)]
#[permission_classes(IsAuthenticated)]
#[renderer_classes(CSVRenderer)]
async fn renderers_csv(auth: Auth) -> HttpResponse {
    rendered_whoami(&auth)
}

#[authentication_classes(BasicAuthentication)]
#[permission_classes(IsAuthenticated)]
#[renderer_classes(CSVRenderer, JSONRenderer)]
async fn renderers_csv_json(auth: Auth) -> HttpResponse {
    rendered_whoami(&auth)
}

#[authentication_classes(BasicAuthentication)]
#[permission_classes(IsAuthenticated)]
#[renderer_classes(StaticHTMLRenderer)]
async fn renderers_html(auth: Auth) -> HttpResponse {
    rendered_whoami(&auth)
}

#[authentication_classes(BasicAuthentication)]
#[permission_classes(IsAuthenticated)]
#[renderer_classes(JSONRenderer)]
async fn renderers_json(auth: Auth) -> HttpResponse {
    rendered_whoami(&auth)
}

#[authentication_classes(BasicAuthentication)]
#[permission_classes(IsAuthenticated)]
#[renderer_classes(JSONRenderer, StaticHTMLRenderer)]
async fn renderers_json_html(auth: Auth) -> HttpResponse {
    rendered_whoami(&auth)
}

#[authentication_classes(TokenAuthentication)]
#[permission_classes(IsAuthenticated)]
async fn token(auth: Auth) -> HttpResponse {
    whoami(&auth)
}

#[authentication_classes(BearerAuthentication)]
#[permission_classes(IsAuthenticated)]
async fn bearer(auth: Auth) -> HttpResponse {
    whoami(&auth)
}

#[authentication_classes(SessionAuthentication)]
#[permission_classes(IsAuthenticated)]
async fn session(auth: Auth) -> HttpResponse {
    whoami(&auth)
}

/// The project defaults: `[Session, Basic]` and `IsAuthenticated` (see `settings()`).
async fn default(auth: Auth) -> HttpResponse {
    whoami(&auth)
}

#[authentication_classes(BasicAuthentication, SessionAuthentication)]
#[permission_classes(IsAuthenticated)]
async fn basic_session(auth: Auth) -> HttpResponse {
    whoami(&auth)
}

#[authentication_classes(TokenAuthentication, BasicAuthentication)]
#[permission_classes(IsAuthenticated)]
async fn token_basic(auth: Auth) -> HttpResponse {
    whoami(&auth)
}

#[authentication_classes(SessionAuthentication, TokenAuthentication)]
#[permission_classes(IsAuthenticated)]
async fn session_token(auth: Auth) -> HttpResponse {
    whoami(&auth)
}

#[authentication_classes(RemoteUserAuthentication)]
#[permission_classes(IsAuthenticated)]
async fn remote_user(auth: Auth) -> HttpResponse {
    whoami(&auth)
}

#[authentication_classes(BasicAuthentication)]
#[permission_classes(IsAdminUser)]
async fn admin(auth: Auth) -> HttpResponse {
    whoami(&auth)
}

#[authentication_classes(BasicAuthentication)]
#[permission_classes(IsAuthenticatedOrReadOnly)]
async fn read_only(auth: Auth) -> HttpResponse {
    whoami(&auth)
}

#[authentication_classes(BasicAuthentication)]
#[permission_classes(IsAdminUser | IsAuthenticatedOrReadOnly)]
async fn admin_or_read_only(auth: Auth) -> HttpResponse {
    whoami(&auth)
}

#[authentication_classes(BasicAuthentication)]
#[permission_classes(!IsAuthenticated)]
async fn not_authenticated(auth: Auth) -> HttpResponse {
    whoami(&auth)
}

#[authentication_classes(BasicAuthentication)]
#[permission_classes(StaffWithMessage)]
async fn custom_message(auth: Auth) -> HttpResponse {
    whoami(&auth)
}

#[authentication_classes()]
#[permission_classes(IsAuthenticated)]
async fn no_auth(auth: Auth) -> HttpResponse {
    whoami(&auth)
}

#[authentication_classes(BasicAuthentication)]
#[permission_classes(AllowAny)]
async fn allow_any(auth: Auth) -> HttpResponse {
    whoami(&auth)
}

#[authentication_classes()]
#[permission_classes(AllowAny)]
#[throttle_classes(AnonRateThrottle)]
async fn anon_throttle(auth: Auth) -> HttpResponse {
    whoami(&auth)
}

#[authentication_classes(BasicAuthentication)]
#[permission_classes(AllowAny)]
#[throttle_classes(UserRateThrottle)]
async fn user_throttle(auth: Auth) -> HttpResponse {
    whoami(&auth)
}

#[authentication_classes()]
#[permission_classes(AllowAny)]
#[throttle_classes(ScopedRateThrottle)]
#[throttle_scope("burst")]
async fn scoped_throttle(auth: Auth) -> HttpResponse {
    whoami(&auth)
}

#[authentication_classes(KnoxTokenAuthentication)]
#[permission_classes(IsAuthenticated)]
async fn knox(auth: Auth) -> HttpResponse {
    whoami(&auth)
}

#[authentication_classes(JwtAuthentication)]
#[permission_classes(IsAuthenticated)]
async fn jwt(auth: Auth) -> HttpResponse {
    whoami(&auth)
}

#[authentication_classes(JwtStatelessUserAuthentication)]
#[permission_classes(IsAuthenticated)]
async fn jwt_stateless(auth: Auth) -> HttpResponse {
    whoami(&auth)
}

#[authentication_classes(JwtCookieAuthentication)]
#[permission_classes(IsAuthenticated)]
async fn jwt_cookie(auth: Auth) -> HttpResponse {
    whoami(&auth)
}

#[authentication_classes(JwtAuthentication, SessionAuthentication)]
#[permission_classes(IsAuthenticated)]
async fn jwt_or_session(auth: Auth) -> HttpResponse {
    whoami(&auth)
}

// Django OAuth Toolkit's views of the reference project (parity_site/views.py, `OAuth2*`).
required_scopes!(ReadWrite = ["read", "write"]);
required_scopes!(Admin = ["admin"]);
required_scopes!(Orders = ["orders"]);
required_scopes!(Read = ["read"]);
required_alternate_scopes!(OasScopes {
    GET: [["read"]],
    POST: [["create", "write"], ["admin"]],
    PUT: [["write"]],
});

#[authentication_classes(OAuth2Authentication)]
#[permission_classes(IsAuthenticated)]
async fn oauth2_protected(auth: Auth) -> HttpResponse {
    whoami(&auth)
}

/// DOT's RFC 9728 variant: the challenge names the metadata document (`/o/` route).
#[authentication_classes(OAuth2ProtectedResourceAuthentication)]
#[permission_classes(IsAuthenticated)]
async fn oauth2_protected_resource(auth: Auth) -> HttpResponse {
    whoami(&auth)
}

#[authentication_classes(OAuth2Authentication)]
#[permission_classes(AllowAny)]
async fn oauth2_open(auth: Auth) -> HttpResponse {
    whoami(&auth)
}

#[authentication_classes(OAuth2Authentication)]
#[permission_classes(TokenHasScope<ReadWrite>)]
async fn oauth2_scope(auth: Auth) -> HttpResponse {
    whoami(&auth)
}

#[authentication_classes(OAuth2Authentication)]
#[permission_classes(TokenHasReadWriteScope)]
async fn oauth2_rw(auth: Auth) -> HttpResponse {
    whoami(&auth)
}

#[authentication_classes(OAuth2Authentication)]
#[permission_classes(TokenHasReadWriteScope<Admin>)]
async fn oauth2_rw_admin(auth: Auth) -> HttpResponse {
    whoami(&auth)
}

#[authentication_classes(OAuth2Authentication)]
#[permission_classes(TokenHasResourceScope<Orders>)]
async fn oauth2_resource(auth: Auth) -> HttpResponse {
    whoami(&auth)
}

#[authentication_classes(OAuth2Authentication, SessionAuthentication)]
#[permission_classes(IsAuthenticatedOrTokenHasScope<Read>)]
async fn oauth2_or_session(auth: Auth) -> HttpResponse {
    whoami(&auth)
}

#[authentication_classes(OAuth2Authentication)]
#[permission_classes(TokenMatchesOASRequirements<OasScopes>)]
async fn oauth2_oas(auth: Auth) -> HttpResponse {
    whoami(&auth)
}

#[authentication_classes(OAuth2Authentication, TokenAuthentication)]
#[permission_classes(TokenHasScope<Admin> | IsAdminUser)]
async fn oauth2_composed(auth: Auth) -> HttpResponse {
    whoami(&auth)
}

#[authentication_classes(OAuth2Authentication, SessionAuthentication)]
#[permission_classes(IsAuthenticated & TokenHasScope<Read>)]
async fn oauth2_and(auth: Auth) -> HttpResponse {
    whoami(&auth)
}

/// The reference project's `OAUTH2_PROVIDER` before the environment's (parity_site/settings.py).
const PARITY_OAUTH2_PROVIDER: &str = r#"{"SCOPES": {"read": "Read scope", "write": "Write scope", "introspection": "Introspect tokens", "orders:read": "Read orders", "orders:write": "Write orders", "create": "Create resources", "admin": "Administer resources"}, "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": true}"#;

/// `OAUTH2_PROVIDER`: the reference project's, with the environment's JSON object of DOT's
/// setting names over it (the reference project reads the same variable).
fn oauth2_settings(
    overrides: Option<&str>,
) -> Result<auth_actix::settings::OAuth2Settings, Box<dyn std::error::Error>> {
    let mut value: serde_json::Value = serde_json::from_str(PARITY_OAUTH2_PROVIDER)?;
    if let Some(overrides) = overrides {
        let overrides: serde_json::Value = serde_json::from_str(overrides)?;
        let (Some(base), Some(overrides)) = (value.as_object_mut(), overrides.as_object()) else {
            return Err("OAUTH2_PROVIDER: a JSON object is expected".into());
        };
        for (name, setting) in overrides {
            base.insert(name.clone(), setting.clone());
        }
    }
    Ok(auth_actix::settings::OAuth2Settings::from_oauth2_provider(
        &value,
    )?)
}

/// The interop suite's handler login (`auth.login`): `{"username":…,"password":…}` checked with
/// Django's `authenticate`, then the user logged in to a Django session; 400 otherwise.
#[authentication_classes(SessionAuthentication)]
#[permission_classes(AllowAny)]
async fn handler_login(
    auth: Auth,
    runtime: web::Data<AuthRuntime>,
    body: web::Json<serde_json::Value>,
) -> Result<HttpResponse, ApiErrorResponse> {
    let field = |name: &str| {
        body.get(name)
            .and_then(serde_json::Value::as_str)
            .unwrap_or("")
    };
    let found = authenticate(runtime.env(), field("username"), field("password"))
        .await
        .map_err(ApiErrorResponse::from)?;
    let Some(user) = found else {
        return Ok(HttpResponse::BadRequest().finish());
    };
    let user = auth.login(&user).await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "id": user.id })))
}

/// The interop suite's handler logout (`auth.logout`).
#[authentication_classes(SessionAuthentication)]
#[permission_classes(AllowAny)]
async fn handler_logout(auth: Auth) -> Result<HttpResponse, ApiErrorResponse> {
    auth.logout().await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The interop suite's session value (`auth.session()`): GET answers `request.session["parity"]`,
/// POST sets it from the JSON body's `value` — as the reference project's `session-value/`.
#[authentication_classes(SessionAuthentication)]
#[permission_classes(AllowAny)]
async fn session_value(
    auth: Auth,
    body: Option<web::Json<serde_json::Value>>,
) -> Result<HttpResponse, ApiErrorResponse> {
    let stored = auth.session().await?;
    let unreadable = |error: auth_actix::SessionError| {
        ApiErrorResponse::from(
            auth_actix::ApiError::new(auth_actix::authentication::ErrorKind::ParseError)
                .with_detail(error.to_string()),
        )
    };
    if let Some(body) = body {
        let value = body.get("value").cloned().unwrap_or_default();
        stored.insert("parity", value).map_err(unreadable)?;
    }
    let value: Option<serde_json::Value> = stored.get("parity").map_err(unreadable)?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "value": value })))
}

/// The reference project's `REST_AUTH` when the environment gives none
/// (`parity_site/settings.py`).
const PARITY_REST_AUTH: &str = r#"{"USE_JWT": true, "JWT_AUTH_COOKIE": "jwt-access", "JWT_AUTH_REFRESH_COOKIE": "jwt-refresh", "JWT_AUTH_REFRESH_COOKIE_PATH": "/dj-rest-auth/"}"#;

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|value| !value.is_empty())
}

async fn settings() -> Result<AuthSettings, Box<dyn std::error::Error>> {
    let iterations = match env("PBKDF2_ITERATIONS") {
        Some(value) => value.parse()?,
        None => 1_500_000,
    };
    let mut builder = AuthSettings::builder()
        .secret_key_from_env("SECRET_KEY")
        .database_url("sqlite://parity.db?mode=rwc")
        .database_url_from_env("DATABASE_URL")
        .pbkdf2_iterations(iterations)
        // The reference project's `ALLOWED_HOSTS = ["*"]` (parity_site/settings.py).
        .allowed_hosts(["*"])
        .default_permission::<IsAuthenticated>()
        .remote_user_header("X-Remote-User")
        .throttle_rate("anon", "3/min")
        .throttle_rate("user", "3/min")
        .throttle_rate("burst", "2/min")
        // The reference's obtain-token view is not throttled.
        .throttle_rate_none("login");
    if let Some(origins) = env("CSRF_TRUSTED_ORIGINS") {
        builder = builder
            .csrf_trusted_origins(origins.split(',').map(str::trim).filter(|o| !o.is_empty()));
    }
    // The interop suite's CSRF_USE_SESSIONS pass (parity_site/settings_csrf_sessions.py).
    if env("CSRF_USE_SESSIONS").is_some_and(|value| value == "true") {
        builder = builder.csrf_use_sessions(true);
    }
    if let Some(header) = env("SECURE_PROXY_SSL_HEADER") {
        builder = builder.secure_proxy_ssl_header(header, "https");
    }
    if let Some(table) = env("AUTH_USER_TABLE") {
        let field = env("AUTH_USERNAME_FIELD").unwrap_or_else(|| "username".to_owned());
        let mut model = UserModel::new(table, field)?;
        if let Some(name) = env("AUTH_USER_MODEL") {
            model = model.with_auth_user_model(&name)?;
        }
        if let Some(class) = env("AUTH_USER_PK_FIELD") {
            let kind = UserIdKind::from_field_class(&class).ok_or("unknown AUTH_USER_PK_FIELD")?;
            model = model.with_id_kind(kind);
        }
        builder = builder.user_model(model);
    }
    // `PERMISSION_BACKENDS=guardian`: django-guardian's object permissions after ModelBackend,
    // as the reference's `settings_guardian` lists them.
    if env("PERMISSION_BACKENDS").is_some_and(|value| value == "guardian") {
        builder = builder.permission_backend(ObjectPermissionBackend);
    }
    // `SIMPLE_JWT`: a JSON object of simplejwt's setting names, read by the reference project
    // too (parity_site/settings.py); unset, simplejwt's defaults signing with SECRET_KEY.
    if let Some(simple_jwt) = env("SIMPLE_JWT") {
        let secret = env("SECRET_KEY").ok_or("SIMPLE_JWT needs SECRET_KEY")?;
        let value: serde_json::Value = serde_json::from_str(&simple_jwt)?;
        builder = builder.simple_jwt(SimpleJwtSettings::from_simple_jwt(
            &value,
            secret.as_bytes(),
        )?);
    }
    // dj-rest-auth's `REST_AUTH` (its JWT_AUTH_* members), read by the reference project too;
    // unset, the parity suite's cookie names with dj-rest-auth's defaults otherwise.
    let mut rest_auth: serde_json::Value =
        serde_json::from_str(&env("REST_AUTH").unwrap_or_else(|| PARITY_REST_AUTH.to_owned()))?;
    // PARITY_ALLAUTH: the reference project installs django-allauth, which dj-rest-auth follows.
    if env("PARITY_ALLAUTH").is_some()
        && let Some(object) = rest_auth.as_object_mut()
    {
        object.insert("ALLAUTH".to_owned(), serde_json::Value::Bool(true));
    }
    builder = builder
        .jwt_cookies(JwtCookieSettings::from_rest_auth(&rest_auth)?)
        .rest_auth(RestAuthSettings::from_rest_auth(&rest_auth)?);
    builder = builder.oauth2(oauth2_settings(env("OAUTH2_PROVIDER").as_deref())?);
    // djoser: the reference project's `DJOSER` (djoser's defaults, its three link templates,
    // and the environment's `DJOSER` names over them); emails one file per send under
    // PARITY_MAIL_DIR, as Django's file backend.
    let mut djoser = serde_json::json!({
        "ACTIVATION_URL": "activate/{uid}/{token}",
        "PASSWORD_RESET_CONFIRM_URL": "password/reset/confirm/{uid}/{token}",
        "USERNAME_RESET_CONFIRM_URL": "username/reset/confirm/{uid}/{token}",
    });
    if let (Some(more), Some(object)) = (env("DJOSER"), djoser.as_object_mut()) {
        let more: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&more)?;
        object.extend(more);
    }
    builder = builder.djoser(auth_core::djoser::DjoserSettings::from_djoser(&djoser)?);
    builder = builder.email(match env("PARITY_MAIL_DIR") {
        Some(directory) => EmailSettings {
            backend: EmailBackendName::FileBased,
            file_path: Some(directory.into()),
            ..EmailSettings::default()
        },
        None => EmailSettings {
            backend: EmailBackendName::Locmem,
            ..EmailSettings::default()
        },
    });
    if let Some(url) = env("REDIS_URL") {
        builder = builder.throttle_store(Arc::new(RedisStore::connect(&url).await?));
    }
    Ok(builder.build()?)
}

#[actix_web::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let settings = settings().await?;
    let db = settings.connect_and_migrate().await?;
    let bind = env("BIND").unwrap_or_else(|| "127.0.0.1:8001".to_owned());
    println!("drf_parity listening on http://{bind}");
    HttpServer::new(move || {
        auth_actix::app(settings.clone(), db.clone())
            .wrap(SessionMiddleware)
            // The reference project's views implement every method (`Allow` on each answer);
            // the library's views name their own.
            .app_data(DefaultResponseHeaders::all_methods())
            .route("/basic/", web::route().to(basic))
            .route("/renderers/csv/", web::route().to(renderers_csv))
            .route("/renderers/csv-json/", web::route().to(renderers_csv_json))
            .route("/renderers/html/", web::route().to(renderers_html))
            .route(
                "/renderers/json-html/",
                web::route().to(renderers_json_html),
            )
            .route("/renderers/json/", web::route().to(renderers_json))
            .route("/api-view/basic/", web::to(api_view_basic))
            .route("/api-view/open/", web::to(api_view_open))
            .route("/api-view/csv/", web::to(api_view_csv))
            .route("/model-perms/", web::route().to(model_perms))
            .route("/model-perms-anon/", web::route().to(model_perms_anon))
            .route("/has-perm/", web::to(has_perm))
            .route("/object-perms/", web::route().to(object_perms))
            .route("/object-perms-view/", web::route().to(object_perms_view))
            .route("/object-perms/{pk}/", web::route().to(object_perms_by_pk))
            .route(
                "/object-perms-view/{pk}/",
                web::route().to(object_perms_view_by_pk),
            )
            .route("/token/", web::route().to(token))
            .route("/bearer/", web::route().to(bearer))
            .route("/session/", web::route().to(session))
            .route("/default/", web::route().to(default))
            .route("/basic-session/", web::route().to(basic_session))
            .route("/token-basic/", web::route().to(token_basic))
            .route("/session-token/", web::route().to(session_token))
            .route("/remote-user/", web::route().to(remote_user))
            .route("/admin/", web::route().to(admin))
            .route("/read-only/", web::route().to(read_only))
            .route("/admin-or-read-only/", web::route().to(admin_or_read_only))
            .route("/not-authenticated/", web::route().to(not_authenticated))
            .route("/custom-message/", web::route().to(custom_message))
            .route("/no-auth/", web::route().to(no_auth))
            .route("/allow-any/", web::route().to(allow_any))
            .route("/anon-throttle/", web::route().to(anon_throttle))
            .route("/user-throttle/", web::route().to(user_throttle))
            .route("/scoped-throttle/", web::route().to(scoped_throttle))
            .route("/oauth2/", web::route().to(oauth2_protected))
            .route("/oauth2-open/", web::route().to(oauth2_open))
            .route(
                "/oauth2-protected-resource/",
                web::route().to(oauth2_protected_resource),
            )
            .route("/oauth2-scope/", web::route().to(oauth2_scope))
            .route("/oauth2-rw/", web::route().to(oauth2_rw))
            .route("/oauth2-rw-admin/", web::route().to(oauth2_rw_admin))
            .route("/oauth2-resource/", web::route().to(oauth2_resource))
            .route("/oauth2-or-session/", web::route().to(oauth2_or_session))
            .route("/oauth2-oas/", web::route().to(oauth2_oas))
            .route("/oauth2-composed/", web::route().to(oauth2_composed))
            .route("/oauth2-and/", web::route().to(oauth2_and))
            // DOT's provider endpoints (`o/` in the reference project's urls.py).
            .service(web::scope("/o").configure(oauth2_provider_endpoints))
            .route("/jwt/", web::route().to(jwt))
            .route("/jwt-stateless/", web::route().to(jwt_stateless))
            .route("/jwt-or-session/", web::route().to(jwt_or_session))
            .route("/handler-login/", web::post().to(handler_login))
            .route("/handler-logout/", web::post().to(handler_logout))
            .route("/session-value/", web::get().to(session_value))
            .route("/session-value/", web::post().to(session_value))
            .route("/jwt-cookie/", web::route().to(jwt_cookie))
            .service(cookie_token_refresh_resource(
                "/dj-rest-auth/token/refresh/",
            ))
            .service(rest_auth_login_resource("/dj-rest-auth/login/"))
            .service(rest_auth_logout_resource("/dj-rest-auth/logout/"))
            // `re_path(r"^dj-rest-auth/user/?$")`, as dj-rest-auth's urls.py.
            .service(rest_auth_user_resource("/dj-rest-auth/user/"))
            .service(rest_auth_user_resource("/dj-rest-auth/user"))
            .service(rest_auth_password_change_resource(
                "/dj-rest-auth/password/change/",
            ))
            .service(rest_auth_password_change_resource(
                "/dj-rest-auth/password/change",
            ))
            .service(rest_auth_password_reset_resource(
                "/dj-rest-auth/password/reset/",
            ))
            .service(rest_auth_password_reset_resource(
                "/dj-rest-auth/password/reset",
            ))
            .service(rest_auth_password_reset_confirm_resource(
                "/dj-rest-auth/password/reset/confirm/",
            ))
            .service(rest_auth_password_reset_confirm_resource(
                "/dj-rest-auth/password/reset/confirm",
            ))
            // dj-rest-auth's registration (with `PARITY_ALLAUTH` only, as in the reference).
            .service(
                web::scope("/dj-rest-auth/registration")
                    .configure(dj_rest_auth_registration_endpoints),
            )
            .service(web::scope("/api").configure(simplejwt_endpoints))
            .service(obtain_auth_token_resource("/api-token-auth/"))
            // djoser's router views and token login/logout (`auth/` in the reference's urls.py).
            .service(
                web::scope("/auth")
                    .configure(djoser_endpoints)
                    .configure(djoser_jwt_endpoints),
            )
            // Session login, logout and CSRF cookie (the interop suite logs in here and uses the
            // session in Django).
            .service(web::scope("/api-auth").configure(session_endpoints))
            .service(
                web::scope("/knox")
                    // The knox login view of the reference project authenticates with Basic.
                    .app_data(PolicyDefaults::new().authentication::<(BasicAuthentication,)>())
                    .route("/", web::route().to(knox))
                    .configure(knox_endpoints),
            )
    })
    .bind(bind)?
    .run()
    .await?;
    Ok(())
}
