//! Fixtures shared by the workspace's suites: the reference's users and tokens (DRF's own test
//! fixtures) in a real SQLite database, an app of the library on it driven through
//! [`TestClient`], and a compact view of responses.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::header;
use actix_web::test::TestRequest;
use actix_web::{HttpResponse, web};
pub use auth_actix::AuthSettings;
use auth_actix::policy::{AuthenticationPolicy, Resolve, declared};
use auth_actix::settings::AuthSettingsBuilder;
pub use auth_actix::store::sea_orm::DatabaseConnection;
use auth_actix::store::{self, token, user};
use auth_actix::test::TestClient;
use auth_actix::{PolicyGuard, SessionMiddleware};

pub mod external;
pub mod live_server;
mod logs;
pub mod oauth2_race;
pub mod permission_tables;
pub mod tcp_proxy;

pub use logs::CapturedLogs;

pub const SECRET_KEY: &str = "not very secret in tests";

/// A clock the test moves by hand (expiring tokens, throttle windows).
#[derive(Debug)]
pub struct ManualClock(std::sync::Mutex<chrono::DateTime<chrono::Utc>>);

impl ManualClock {
    /// Starts at 2030-01-01T00:00:00Z.
    pub fn new() -> std::sync::Arc<Self> {
        std::sync::Arc::new(Self(std::sync::Mutex::new(Self::origin())))
    }

    fn origin() -> chrono::DateTime<chrono::Utc> {
        use chrono::TimeZone;
        chrono::Utc
            .with_ymd_and_hms(2030, 1, 1, 0, 0, 0)
            .single()
            .unwrap()
    }

    /// Moves forward.
    pub fn advance(&self, by: chrono::TimeDelta) {
        *self.0.lock().unwrap() += by;
    }

    /// Sets the time to `seconds` after the origin.
    pub fn set(&self, seconds: i64) {
        *self.0.lock().unwrap() = Self::origin() + chrono::TimeDelta::seconds(seconds);
    }
}

impl auth_actix::settings::Clock for ManualClock {
    fn now(&self) -> chrono::DateTime<chrono::Utc> {
        *self.0.lock().unwrap()
    }
}

/// Low enough for a fast suite; the reference vectors of the hashers run at the real 1,500,000.
pub const TEST_ITERATIONS: u32 = 1000;

/// The suites' settings: DRF's behaviour exactly (`deny_by_default(false)`: a handler without a
/// declaration runs no policy, the default permission is `AllowAny`), which the conformance
/// suites compare against. Deny-by-default has its own suite (`it::deny_by_default`).
pub fn settings_builder() -> AuthSettingsBuilder {
    AuthSettings::builder()
        .secret_key(SECRET_KEY)
        .pbkdf2_iterations(TEST_ITERATIONS)
        .database_url("sqlite::memory:")
        .deny_by_default(false)
        // The default loopback names plus Django's test host, as Django's test runner adds it.
        .allowed_hosts([".localhost", "127.0.0.1", "[::1]", "testserver"])
}

pub fn settings() -> AuthSettings {
    settings_builder().build().unwrap()
}

/// The request → response service of an app, as `actix_web::test::init_service` makes it.
pub trait TestApp:
    Service<actix_http::Request, Response = ServiceResponse<Self::Body>, Error = actix_web::Error>
{
    /// The response body.
    type Body: MessageBody;
}

impl<S, B> TestApp for S
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    type Body = B;
}

/// The library on `db` with `settings` (`auth_actix::app`) and the routes `routes` registers,
/// ready for test requests.
pub async fn app<R: FnOnce(&mut web::ServiceConfig)>(
    settings: &AuthSettings,
    db: &DatabaseConnection,
    routes: R,
) -> impl TestApp + use<R> {
    actix_web::test::init_service(auth_actix::app(settings.clone(), db.clone()).configure(routes))
        .await
}

/// [`app`] behind the [`SessionMiddleware`], which writes the session and CSRF cookies that
/// session authentication and the login views decide on.
pub async fn session_app<R: FnOnce(&mut web::ServiceConfig)>(
    settings: &AuthSettings,
    db: &DatabaseConnection,
    routes: R,
) -> impl TestApp + use<R> {
    actix_web::test::init_service(
        auth_actix::app(settings.clone(), db.clone())
            .wrap(SessionMiddleware)
            .configure(routes),
    )
    .await
}

/// DRF's `APIClient` on [`session_app`]: it keeps credentials and the cookies the server sets.
pub async fn client<R: FnOnce(&mut web::ServiceConfig)>(
    settings: &AuthSettings,
    db: &DatabaseConnection,
    routes: R,
) -> TestClient<impl TestApp + use<R>> {
    TestClient::new(session_app(settings, db, routes).await)
}

/// A fresh in-memory database with the reference's fixtures: `john`/`password` (token
/// `abcd1234`), `inactive`/`password` (token `inactivetoken`), `admin`/`password` (staff),
/// `walterwhité`/`pässwörd`.
pub async fn database(settings: &AuthSettings) -> DatabaseConnection {
    let db = store::connect_and_migrate("sqlite::memory:").await.unwrap();
    populate(&db, settings).await;
    db
}

/// The reference's fixtures in an already migrated database.
pub async fn populate(db: &DatabaseConnection, settings: &AuthSettings) {
    let db = db.clone();
    let john = add_user(&db, settings, "john", "password", true, false).await;
    let inactive = add_user(&db, settings, "inactive", "password", false, false).await;
    add_user(&db, settings, "admin", "password", true, true).await;
    add_user(&db, settings, "walterwhité", "pässwörd", true, false).await;
    token::create_with_key(&db, john.id, "abcd1234")
        .await
        .unwrap();
    token::create_with_key(&db, inactive.id, "inactivetoken")
        .await
        .unwrap();
}

pub async fn add_user(
    db: &DatabaseConnection,
    settings: &AuthSettings,
    username: &str,
    password: &str,
    is_active: bool,
    is_staff: bool,
) -> user::User {
    user::AUTH_USER
        .insert(
            db,
            user::NewUser {
                username: username.to_owned(),
                password: settings.settings().password_hashers.make_password(password),
                email: String::new(),
                is_staff,
                is_superuser: false,
                is_active,
            },
        )
        .await
        .unwrap()
}

/// A key for `admin` that shares `john`'s key's first eight characters (`abcd1234`), which is
/// all the database sees of a key: the rest is compared in constant time.
pub const PREFIX_SHARING_KEY: &str = "abcd1234ffffffffffffffffffffffffffffffff";

/// Keys that share only a prefix with a stored key, or are a stored key's prefix: none is a
/// token.
pub const PREFIX_ONLY_KEYS: &[&str] = &[
    "abcd1234fffffffffffffffffffffffffffffffe",
    "abcd1234f",
    "abcd123",
    "abcd12345",
    "abcd%",
    "abcd123_",
];

/// Gives `admin` the token [`PREFIX_SHARING_KEY`].
pub async fn add_prefix_sharing_token(db: &DatabaseConnection) {
    let admin = user::AUTH_USER
        .find_by_username(db, "admin")
        .await
        .unwrap()
        .unwrap();
    token::create_with_key(db, admin.id, PREFIX_SHARING_KEY)
        .await
        .unwrap();
}

/// Against an app whose `/token/` is Token + IsAuthenticated on a database with
/// [`add_prefix_sharing_token`]: each of the two keys sharing a prefix finds its own user, and
/// every key of [`PREFIX_ONLY_KEYS`] is refused.
pub async fn assert_keys_sharing_a_prefix_find_their_own_rows<S, B>(app: &S)
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    for (key, user) in [("abcd1234", "john"), (PREFIX_SHARING_KEY, "admin")] {
        let reply = send(app, with_auth(get("/token/"), format!("Token {key}"))).await;
        assert_eq!(reply.body, json_body(user, key), "{key}");
    }
    for key in PREFIX_ONLY_KEYS {
        let reply = send(app, with_auth(get("/token/"), format!("Token {key}"))).await;
        assert_eq!(
            (reply.status, reply.body.as_str()),
            (401, r#"{"detail":"Invalid token."}"#),
            "{key}"
        );
    }
}

/// The reference's test view: `{"user": str(request.user), "auth": str(request.auth)}`.
pub async fn whoami<S, P>(guard: PolicyGuard<S, P>) -> HttpResponse
where
    S: AuthenticationPolicy,
    P: auth_actix::permissions::PermissionClasses + Resolve + 'static,
{
    let auth = guard.auth();
    HttpResponse::Ok().json(serde_json::json!({
        "user": auth.user().to_string(),
        "auth": auth.auth().to_drf_string(),
    }))
}

/// The parts of a response the reference conformance is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub status: u16,
    pub www_authenticate: Option<String>,
    pub content_type: Option<String>,
    pub allow: Option<String>,
    pub body: String,
}

impl Reply {
    /// The reference's "not provided" body.
    pub const NOT_PROVIDED: &'static str =
        r#"{"detail":"Authentication credentials were not provided."}"#;

    /// The parts of `response` the suites compare.
    pub async fn of<B: MessageBody>(response: ServiceResponse<B>) -> Self {
        let text = |name: header::HeaderName| {
            response
                .headers()
                .get(name)
                .map(|value| value.to_str().unwrap().to_owned())
        };
        let status = response.status().as_u16();
        let www_authenticate = text(header::WWW_AUTHENTICATE);
        let content_type = text(header::CONTENT_TYPE);
        let allow = text(header::ALLOW);
        let body = actix_web::test::read_body(response).await;
        Reply {
            status,
            www_authenticate,
            content_type,
            allow,
            body: String::from_utf8(body.to_vec()).unwrap(),
        }
    }
}

/// Sends `request` to `app` on its own (no cookies or credentials kept: see [`client`]).
pub async fn send<S, B>(app: &S, request: TestRequest) -> Reply
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    Reply::of(actix_web::test::call_service(app, request.to_request()).await).await
}

/// `Authorization: Basic base64(user:password)` from raw credential bytes.
pub fn basic(credentials: &[u8]) -> String {
    use base64::Engine;
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(credentials)
    )
}

pub fn get(path: &str) -> TestRequest {
    TestRequest::get().uri(path)
}

pub fn with_auth(request: TestRequest, value: impl AsRef<[u8]>) -> TestRequest {
    request.insert_header((
        header::AUTHORIZATION,
        header::HeaderValue::from_bytes(value.as_ref()).unwrap(),
    ))
}

pub fn json_body(user: &str, auth: &str) -> String {
    serde_json::json!({"user": user, "auth": auth}).to_string()
}

pub fn route<S, P>(path: &str) -> actix_web::Resource
where
    S: AuthenticationPolicy,
    P: auth_actix::permissions::PermissionClasses + Resolve + 'static,
{
    web::resource(path).route(web::route().to(declared(whoami::<S, P>)))
}

/// DRF's error body: `{"detail":"…"}`.
pub fn detail(text: &str) -> String {
    serde_json::json!({ "detail": text }).to_string()
}
