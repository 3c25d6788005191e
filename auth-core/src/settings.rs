//! Project-wide settings: DRF's `REST_FRAMEWORK` and the Django settings the schemes read.
//!
//! Built in code, in one module of the application (see the README), with environment
//! overrides for the two values that differ per deployment: the secret key and the database URL.

use std::borrow::Cow;
use std::fmt;

use subtle::ConstantTimeEq;

use crate::authentication::{
    AuthInfo, AuthenticationClasses, BasicAuthentication, SessionAuthentication,
    SharedAuthenticationClasses,
};
use crate::credential_cache::CredentialCache;
use crate::django::hashers::{Algorithm, HasherError, PasswordHashers};
use crate::hashing_pool::HashingPool;
use crate::permissions::{AllowAny, PermissionClasses, SharedPermissionClasses};
use crate::store::user::UserModel;

/// Default of [`AuthSettingsBuilder::auth_cache_capacity`].
const DEFAULT_AUTH_CACHE_CAPACITY: usize = 10_000;

/// Default of [`AuthSettingsBuilder::hashing_threads`]: half the CPUs, at least one.
fn default_hashing_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |cpus| (cpus.get() / 2).max(1))
}
use crate::throttling::{
    DEFAULT_LOGIN_RATE, LOGIN_SCOPE, MemoryStore, SharedThrottleClasses, ThrottleClasses,
    ThrottleStore,
};

/// Django's `SECRET_KEY` (or one of its fallbacks). Never printed.
#[derive(Clone)]
pub struct SecretKey(String);

impl SecretKey {
    /// Wraps a key.
    pub fn new(key: impl Into<String>) -> Self {
        Self(key.into())
    }

    /// The key's bytes, for HMAC keys.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl PartialEq for SecretKey {
    fn eq(&self, other: &Self) -> bool {
        self.0.as_bytes().ct_eq(other.0.as_bytes()).into()
    }
}

impl Eq for SecretKey {}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey(<redacted>)")
    }
}

/// `UNAUTHENTICATED_USER`: what `request.user` is when no scheme authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UnauthenticatedUser {
    /// Django's `AnonymousUser` (the default).
    #[default]
    Anonymous,
    /// `None`: no user object at all.
    None,
}

/// `SameSite` of a cookie.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SameSite {
    /// `SameSite=Lax` (Django's default).
    Lax,
    /// `SameSite=Strict`.
    Strict,
    /// `SameSite=None` (requires `Secure` in browsers).
    None,
}

impl SameSite {
    /// The attribute's value.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Lax => "Lax",
            Self::Strict => "Strict",
            Self::None => "None",
        }
    }
}

/// How a cookie is written: Django's `*_COOKIE_*` settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CookieSettings {
    /// `*_COOKIE_NAME`.
    pub name: String,
    /// `*_COOKIE_AGE` in seconds.
    pub age: i64,
    /// `*_COOKIE_DOMAIN`.
    pub domain: Option<String>,
    /// `*_COOKIE_PATH`.
    pub path: String,
    /// `*_COOKIE_SECURE`.
    pub secure: bool,
    /// `*_COOKIE_HTTPONLY`.
    pub http_only: bool,
    /// `*_COOKIE_SAMESITE` (`None` in Rust terms = attribute not written).
    pub same_site: Option<SameSite>,
}

impl CookieSettings {
    /// When a cookie set at `now` expires: `now + age`, saturating at chrono's range, so an
    /// absurd age from a configuration file gives a far date instead of a panic.
    pub fn expires_after(
        &self,
        now: chrono::DateTime<chrono::Utc>,
    ) -> chrono::DateTime<chrono::Utc> {
        let age = chrono::TimeDelta::try_seconds(self.age).unwrap_or(if self.age < 0 {
            chrono::TimeDelta::MIN
        } else {
            chrono::TimeDelta::MAX
        });
        now.checked_add_signed(age).unwrap_or(if self.age < 0 {
            chrono::DateTime::<chrono::Utc>::MIN_UTC
        } else {
            chrono::DateTime::<chrono::Utc>::MAX_UTC
        })
    }

    /// Django's session cookie: `sessionid`, two weeks, `/`, HttpOnly, `SameSite=Lax`.
    pub fn django_session() -> Self {
        Self {
            name: "sessionid".to_owned(),
            age: 1_209_600,
            domain: None,
            path: "/".to_owned(),
            secure: false,
            http_only: true,
            same_site: Some(SameSite::Lax),
        }
    }

    /// Django's CSRF cookie: `csrftoken`, 52 weeks, `/`, readable by scripts, `SameSite=Lax`.
    pub fn django_csrf() -> Self {
        Self {
            name: "csrftoken".to_owned(),
            age: 31_449_600,
            domain: None,
            path: "/".to_owned(),
            secure: false,
            http_only: false,
            same_site: Some(SameSite::Lax),
        }
    }
}

/// The time source of expiring tokens; replaceable so tests control it.
pub trait Clock: Send + Sync + fmt::Debug {
    /// The current instant.
    fn now(&self) -> chrono::DateTime<chrono::Utc>;
}

/// The system clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> chrono::DateTime<chrono::Utc> {
        chrono::Utc::now()
    }
}

/// django-rest-knox's `REST_KNOX` settings (spec §6.5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnoxSettings {
    /// `TOKEN_TTL` (default 10 hours); `None` issues tokens that never expire.
    pub token_ttl: Option<chrono::TimeDelta>,
    /// `AUTO_REFRESH` (default false): each use pushes the expiry to now + TTL.
    pub auto_refresh: bool,
    /// `AUTO_REFRESH_MAX_TTL` (default none): refreshes never go past `created` + this.
    pub auto_refresh_max_ttl: Option<chrono::TimeDelta>,
    /// `MIN_REFRESH_INTERVAL` in seconds (default 60): smaller pushes are not written.
    pub min_refresh_interval: i64,
    /// `TOKEN_LIMIT_PER_USER` (default none).
    pub token_limit_per_user: Option<u64>,
    /// `TOKEN_PREFIX` (default empty; at most 10 characters).
    pub token_prefix: String,
    /// `AUTH_HEADER_PREFIX` (default `Token`).
    pub auth_header_prefix: String,
    /// `AUTH_TOKEN_CHARACTER_LENGTH` (default 64 hex characters).
    pub token_character_length: usize,
}

impl Default for KnoxSettings {
    fn default() -> Self {
        Self {
            token_ttl: Some(chrono::TimeDelta::hours(10)),
            auto_refresh: false,
            auto_refresh_max_ttl: None,
            min_refresh_interval: 60,
            token_limit_per_user: None,
            token_prefix: String::new(),
            auth_header_prefix: "Token".to_owned(),
            token_character_length: 64,
        }
    }
}

/// knox's `MAXIMUM_TOKEN_PREFIX_LENGTH`.
pub const KNOX_MAXIMUM_TOKEN_PREFIX_LENGTH: usize = 10;

/// Django's model backend, as stored in a session's `_auth_user_backend`.
pub const MODEL_BACKEND: &str = "django.contrib.auth.backends.ModelBackend";
/// Django's remote-user backend path.
pub const REMOTE_USER_BACKEND: &str = "django.contrib.auth.backends.RemoteUserBackend";

/// The default SQLite database: a file next to the process, created when missing.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://auth.db?mode=rwc";

/// A configuration mistake found while building the settings.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SettingsError {
    /// No secret key was given and the named environment variable is unset or empty.
    #[error("no secret key: set {0} or call secret_key()")]
    MissingSecretKey(String),
    /// The hasher list is invalid.
    #[error("invalid password hasher settings: {0}")]
    Hashers(#[from] HasherError),
    /// The token keyword is empty or contains whitespace.
    #[error("the token keyword must be a non-empty word without whitespace")]
    InvalidTokenKeyword,
    /// knox's configuration error for a prefix over 10 characters.
    #[error("Illegal TOKEN_PREFIX length")]
    IllegalTokenPrefixLength,
}

/// Everything the pipeline and the schemes read. Cheap to clone (share it in an `Arc`/`Data`).
#[derive(Clone)]
pub struct AuthSettings {
    secret_key: SecretKey,
    secret_key_fallbacks: Vec<SecretKey>,
    database_url: String,
    default_authentication: SharedAuthenticationClasses,
    default_permissions: SharedPermissionClasses,
    token_keyword: Cow<'static, str>,
    basic_realm: Cow<'static, str>,
    unauthenticated_user: UnauthenticatedUser,
    unauthenticated_auth: AuthInfo,
    hashers: PasswordHashers,
    remote_user_header: Option<String>,
    remote_user_create_unknown: bool,
    secure_proxy_ssl_header: Option<(String, String)>,
    user_model: UserModel,
    session_cookie: CookieSettings,
    csrf_cookie: CookieSettings,
    csrf_header_name: String,
    csrf_trusted_origins: Vec<String>,
    allowed_hosts: Vec<String>,
    authentication_backends: Vec<String>,
    max_body_size: usize,
    create_token_on_user_creation: bool,
    knox: KnoxSettings,
    clock: std::sync::Arc<dyn Clock>,
    throttle_rates: std::collections::BTreeMap<String, Option<String>>,
    num_proxies: Option<u32>,
    default_throttles: SharedThrottleClasses,
    throttle_store: std::sync::Arc<dyn ThrottleStore>,
    throttle_fail_open: bool,
    throttle_store_timeout: std::time::Duration,
    auth_cache: Option<std::sync::Arc<CredentialCache>>,
    authentication_timeout: std::time::Duration,
    hashing_pool: std::sync::Arc<HashingPool>,
}

impl fmt::Debug for AuthSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthSettings")
            .field("secret_key", &self.secret_key)
            .field("secret_key_fallbacks", &self.secret_key_fallbacks.len())
            .field("database_url", &"<redacted>")
            .field("token_keyword", &self.token_keyword)
            .field("basic_realm", &self.basic_realm)
            .field("unauthenticated_user", &self.unauthenticated_user)
            .field("hashers", &self.hashers)
            .field("remote_user_header", &self.remote_user_header)
            .field("user_model", &self.user_model)
            .field("auth_cache", &self.auth_cache)
            .field("hashing_pool", &self.hashing_pool)
            .field(
                "remote_user_create_unknown",
                &self.remote_user_create_unknown,
            )
            .field("secure_proxy_ssl_header", &self.secure_proxy_ssl_header)
            .field("session_cookie", &self.session_cookie)
            .field("csrf_cookie", &self.csrf_cookie)
            .field("csrf_header_name", &self.csrf_header_name)
            .field("csrf_trusted_origins", &self.csrf_trusted_origins)
            .field("allowed_hosts", &self.allowed_hosts)
            .field("authentication_backends", &self.authentication_backends)
            .field("max_body_size", &self.max_body_size)
            .field(
                "create_token_on_user_creation",
                &self.create_token_on_user_creation,
            )
            .finish_non_exhaustive()
    }
}

impl AuthSettings {
    /// Starts a builder with the reference's defaults (DRF's and Django's settings).
    ///
    /// ```
    /// use auth_core::authentication::{SessionAuthentication, TokenAuthentication};
    /// use auth_core::permissions::IsAuthenticated;
    /// use auth_core::settings::AuthSettings;
    ///
    /// let settings = AuthSettings::builder()
    ///     .secret_key("the Django project's SECRET_KEY")
    ///     .database_url("sqlite::memory:")
    ///     // DEFAULT_AUTHENTICATION_CLASSES and DEFAULT_PERMISSION_CLASSES
    ///     .default_authentication::<(SessionAuthentication, TokenAuthentication)>()
    ///     .default_permission::<IsAuthenticated>()
    ///     // DEFAULT_THROTTLE_RATES
    ///     .throttle_rate("user", "1000/day")
    ///     .build()?;
    /// assert_eq!(settings.token_keyword(), "Token");
    /// assert_eq!(settings.session_cookie().name, "sessionid");
    /// # Ok::<(), auth_core::settings::SettingsError>(())
    /// ```
    pub fn builder() -> AuthSettingsBuilder {
        AuthSettingsBuilder::default()
    }

    /// `SECRET_KEY`.
    pub fn secret_key(&self) -> &SecretKey {
        &self.secret_key
    }

    /// `SECRET_KEY_FALLBACKS`: accepted when verifying, never used to sign.
    pub fn secret_key_fallbacks(&self) -> &[SecretKey] {
        &self.secret_key_fallbacks
    }

    /// The database URL (may contain a password; never log it).
    pub fn database_url(&self) -> &str {
        &self.database_url
    }

    /// `DEFAULT_AUTHENTICATION_CLASSES`.
    pub fn default_authentication(&self) -> &SharedAuthenticationClasses {
        &self.default_authentication
    }

    /// `DEFAULT_PERMISSION_CLASSES`.
    pub fn default_permissions(&self) -> &SharedPermissionClasses {
        &self.default_permissions
    }

    /// `TokenAuthentication.keyword` (default `Token`).
    pub fn token_keyword(&self) -> &str {
        &self.token_keyword
    }

    /// `BasicAuthentication.www_authenticate_realm` (default `api`).
    pub fn basic_realm(&self) -> &str {
        &self.basic_realm
    }

    /// `UNAUTHENTICATED_USER`.
    pub fn unauthenticated_user(&self) -> UnauthenticatedUser {
        self.unauthenticated_user
    }

    /// `UNAUTHENTICATED_TOKEN`.
    pub fn unauthenticated_auth(&self) -> &AuthInfo {
        &self.unauthenticated_auth
    }

    /// `PASSWORD_HASHERS` and the PBKDF2 iteration count.
    pub fn hashers(&self) -> &PasswordHashers {
        &self.hashers
    }

    /// The header a trusted front-end server sets to the authenticated user name (the port's
    /// `REMOTE_USER`); `None` (the default) disables remote-user authentication.
    pub fn remote_user_header(&self) -> Option<&str> {
        self.remote_user_header.as_deref()
    }

    /// Where the users are (Django's `AUTH_USER_MODEL` table and `USERNAME_FIELD`).
    pub fn user_model(&self) -> &UserModel {
        &self.user_model
    }

    /// `RemoteUserBackend.create_unknown_user` (default true).
    pub fn remote_user_create_unknown(&self) -> bool {
        self.remote_user_create_unknown
    }

    /// `SECURE_PROXY_SSL_HEADER`: `(header name, value)` that marks a request as HTTPS.
    pub fn secure_proxy_ssl_header(&self) -> Option<(&str, &str)> {
        self.secure_proxy_ssl_header
            .as_ref()
            .map(|(name, value)| (name.as_str(), value.as_str()))
    }

    /// `SESSION_COOKIE_*`.
    pub fn session_cookie(&self) -> &CookieSettings {
        &self.session_cookie
    }

    /// `CSRF_COOKIE_*`.
    pub fn csrf_cookie(&self) -> &CookieSettings {
        &self.csrf_cookie
    }

    /// `CSRF_HEADER_NAME` in Django's `META` form (`HTTP_X_CSRFTOKEN`).
    pub fn csrf_header_name(&self) -> &str {
        &self.csrf_header_name
    }

    /// `CSRF_TRUSTED_ORIGINS` (`https://example.com`, `https://*.example.com`).
    pub fn csrf_trusted_origins(&self) -> &[String] {
        &self.csrf_trusted_origins
    }

    /// `ALLOWED_HOSTS` (default `["*"]`; see [`AuthSettingsBuilder::allowed_hosts`]).
    pub fn allowed_hosts(&self) -> &[String] {
        &self.allowed_hosts
    }

    /// `AUTHENTICATION_BACKENDS`: the backend paths a session's `_auth_user_backend` may name.
    pub fn authentication_backends(&self) -> &[String] {
        &self.authentication_backends
    }

    /// The largest request body the library's endpoints read (default 2.5 MiB, Django's
    /// `DATA_UPLOAD_MAX_MEMORY_SIZE`); larger bodies get 413.
    pub fn max_body_size(&self) -> usize {
        self.max_body_size
    }

    /// Whether every user created through this library gets a DRF token at once (the seed's
    /// `post_save` signal recipe).
    pub fn create_token_on_user_creation(&self) -> bool {
        self.create_token_on_user_creation
    }

    /// `REST_KNOX`.
    pub fn knox(&self) -> &KnoxSettings {
        &self.knox
    }

    /// The token / session → user cache, when [`AuthSettingsBuilder::auth_cache_ttl`] turned it
    /// on.
    pub fn auth_cache(&self) -> Option<&CredentialCache> {
        self.auth_cache.as_deref()
    }

    /// The longest a request's authentication, permission and throttle checks may take.
    pub fn authentication_timeout(&self) -> std::time::Duration {
        self.authentication_timeout
    }

    /// The threads that hash passwords (see [`AuthSettingsBuilder::hashing_threads`]).
    pub fn hashing_pool(&self) -> &HashingPool {
        &self.hashing_pool
    }

    /// The clock of expiring tokens and throttles.
    pub fn clock(&self) -> &dyn Clock {
        self.clock.as_ref()
    }

    /// `DEFAULT_THROTTLE_RATES[scope]`: `None` when the scope has no entry (a configuration
    /// error), `Some(None)` when it is mapped to none (never throttled).
    pub fn throttle_rate(&self, scope: &str) -> Option<Option<&str>> {
        self.throttle_rates.get(scope).map(Option::as_deref)
    }

    /// `NUM_PROXIES`.
    pub fn num_proxies(&self) -> Option<u32> {
        self.num_proxies
    }

    /// `DEFAULT_THROTTLE_CLASSES`.
    pub fn default_throttles(&self) -> &SharedThrottleClasses {
        &self.default_throttles
    }

    /// Where throttle histories live.
    pub fn throttle_store(&self) -> &dyn ThrottleStore {
        self.throttle_store.as_ref()
    }

    /// Whether a throttle store outage admits requests (default false: 503).
    pub fn throttle_fail_open(&self) -> bool {
        self.throttle_fail_open
    }

    /// How long a throttle store call may take before it counts as an outage.
    pub fn throttle_store_timeout(&self) -> std::time::Duration {
        self.throttle_store_timeout
    }
}

/// Builds [`AuthSettings`]; every method has the reference's default.
///
/// `Debug` shows the settings but not the database URL (it may hold a password); the secret
/// keys redact themselves.
#[derive(Clone)]
pub struct AuthSettingsBuilder {
    secret_key: Option<SecretKey>,
    secret_key_env: Option<String>,
    secret_key_fallbacks: Vec<SecretKey>,
    database_url: String,
    database_url_env: Option<String>,
    default_authentication: SharedAuthenticationClasses,
    default_permissions: SharedPermissionClasses,
    token_keyword: Cow<'static, str>,
    basic_realm: Cow<'static, str>,
    unauthenticated_user: UnauthenticatedUser,
    unauthenticated_auth: AuthInfo,
    hashers: Vec<Algorithm>,
    pbkdf2_iterations: u32,
    remote_user_header: Option<String>,
    remote_user_create_unknown: bool,
    secure_proxy_ssl_header: Option<(String, String)>,
    user_model: UserModel,
    session_cookie: CookieSettings,
    csrf_cookie: CookieSettings,
    csrf_header_name: String,
    csrf_trusted_origins: Vec<String>,
    allowed_hosts: Vec<String>,
    authentication_backends: Vec<String>,
    max_body_size: usize,
    create_token_on_user_creation: bool,
    knox: KnoxSettings,
    clock: std::sync::Arc<dyn Clock>,
    throttle_rates: std::collections::BTreeMap<String, Option<String>>,
    num_proxies: Option<u32>,
    default_throttles: SharedThrottleClasses,
    throttle_store: std::sync::Arc<dyn ThrottleStore>,
    throttle_fail_open: bool,
    throttle_store_timeout: std::time::Duration,
    auth_cache_ttl: Option<std::time::Duration>,
    authentication_timeout: std::time::Duration,
    auth_cache_capacity: usize,
    hashing_threads: usize,
}

impl fmt::Debug for AuthSettingsBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthSettingsBuilder")
            .field("secret_key", &self.secret_key)
            .field("secret_key_env", &self.secret_key_env)
            .field("secret_key_fallbacks", &self.secret_key_fallbacks.len())
            .field("database_url", &"<redacted>")
            .field("database_url_env", &self.database_url_env)
            .field("token_keyword", &self.token_keyword)
            .field("basic_realm", &self.basic_realm)
            .field("hashers", &self.hashers)
            .field("pbkdf2_iterations", &self.pbkdf2_iterations)
            .field("remote_user_header", &self.remote_user_header)
            .field("user_model", &self.user_model)
            .field("auth_cache_ttl", &self.auth_cache_ttl)
            .field("hashing_threads", &self.hashing_threads)
            .finish_non_exhaustive()
    }
}

impl Default for AuthSettingsBuilder {
    fn default() -> Self {
        let hashers = PasswordHashers::django_default();
        Self {
            secret_key: None,
            secret_key_env: None,
            secret_key_fallbacks: Vec::new(),
            database_url: DEFAULT_DATABASE_URL.to_owned(),
            database_url_env: None,
            // DRF's DEFAULT_AUTHENTICATION_CLASSES.
            default_authentication: SharedAuthenticationClasses::of::<(
                SessionAuthentication,
                BasicAuthentication,
            )>(),
            default_permissions: SharedPermissionClasses::of::<AllowAny>(),
            token_keyword: Cow::Borrowed("Token"),
            basic_realm: Cow::Borrowed("api"),
            unauthenticated_user: UnauthenticatedUser::Anonymous,
            unauthenticated_auth: AuthInfo::None,
            hashers: hashers.algorithms().to_vec(),
            pbkdf2_iterations: hashers.pbkdf2_iterations(),
            remote_user_header: None,
            remote_user_create_unknown: true,
            secure_proxy_ssl_header: None,
            user_model: UserModel::default(),
            session_cookie: CookieSettings::django_session(),
            csrf_cookie: CookieSettings::django_csrf(),
            csrf_header_name: "HTTP_X_CSRFTOKEN".to_owned(),
            csrf_trusted_origins: Vec::new(),
            allowed_hosts: vec!["*".to_owned()],
            authentication_backends: vec![MODEL_BACKEND.to_owned()],
            max_body_size: 2_621_440,
            create_token_on_user_creation: false,
            knox: KnoxSettings::default(),
            clock: std::sync::Arc::new(SystemClock),
            // DRF's defaults (`user` and `anon` mapped to none) plus the login endpoints' scope.
            throttle_rates: [
                ("anon".to_owned(), None),
                ("user".to_owned(), None),
                (LOGIN_SCOPE.to_owned(), Some(DEFAULT_LOGIN_RATE.to_owned())),
            ]
            .into_iter()
            .collect(),
            num_proxies: None,
            default_throttles: SharedThrottleClasses::of::<()>(),
            throttle_store: std::sync::Arc::new(MemoryStore::default()),
            throttle_fail_open: false,
            throttle_store_timeout: std::time::Duration::from_secs(1),
            auth_cache_ttl: None,
            authentication_timeout: std::time::Duration::from_secs(10),
            auth_cache_capacity: DEFAULT_AUTH_CACHE_CAPACITY,
            hashing_threads: default_hashing_threads(),
        }
    }
}

impl AuthSettingsBuilder {
    /// `SECRET_KEY`, given in code (tests, or a value read from a secret store).
    pub fn secret_key(mut self, key: impl Into<String>) -> Self {
        self.secret_key = Some(SecretKey::new(key));
        self
    }

    /// Reads `SECRET_KEY` from the environment variable `var` at [`build`](Self::build) time;
    /// a non-empty value there overrides [`secret_key`](Self::secret_key).
    pub fn secret_key_from_env(mut self, var: impl Into<String>) -> Self {
        self.secret_key_env = Some(var.into());
        self
    }

    /// `SECRET_KEY_FALLBACKS`: older keys still accepted when verifying signatures.
    pub fn secret_key_fallbacks<I, K>(mut self, keys: I) -> Self
    where
        I: IntoIterator<Item = K>,
        K: Into<String>,
    {
        self.secret_key_fallbacks = keys.into_iter().map(SecretKey::new).collect();
        self
    }

    /// The database URL (default [`DEFAULT_DATABASE_URL`]).
    pub fn database_url(mut self, url: impl Into<String>) -> Self {
        self.database_url = url.into();
        self
    }

    /// Reads the database URL from the environment variable `var` at build time; a non-empty
    /// value there overrides [`database_url`](Self::database_url).
    pub fn database_url_from_env(mut self, var: impl Into<String>) -> Self {
        self.database_url_env = Some(var.into());
        self
    }

    /// `DEFAULT_AUTHENTICATION_CLASSES`: a scheme or a tuple of schemes, in order.
    pub fn default_authentication<L: AuthenticationClasses>(mut self) -> Self {
        self.default_authentication = SharedAuthenticationClasses::of::<L>();
        self
    }

    /// `DEFAULT_PERMISSION_CLASSES`: a permission (expression) or a tuple of them.
    pub fn default_permission<P>(mut self) -> Self
    where
        P: PermissionClasses + Default + Send + Sync + 'static,
    {
        self.default_permissions = SharedPermissionClasses::of::<P>();
        self
    }

    /// `TokenAuthentication.keyword` for [`TokenAuthentication`](crate::authentication::TokenAuthentication)
    /// without an explicit keyword type (default `Token`).
    pub fn token_keyword(mut self, keyword: impl Into<Cow<'static, str>>) -> Self {
        self.token_keyword = keyword.into();
        self
    }

    /// The Basic realm in `WWW-Authenticate: Basic realm="…"` (default `api`).
    pub fn basic_realm(mut self, realm: impl Into<Cow<'static, str>>) -> Self {
        self.basic_realm = realm.into();
        self
    }

    /// `UNAUTHENTICATED_USER`.
    pub fn unauthenticated_user(mut self, user: UnauthenticatedUser) -> Self {
        self.unauthenticated_user = user;
        self
    }

    /// `UNAUTHENTICATED_TOKEN`.
    pub fn unauthenticated_auth(mut self, auth: AuthInfo) -> Self {
        self.unauthenticated_auth = auth;
        self
    }

    /// `PASSWORD_HASHERS`: the first is used for new hashes, all are accepted when checking.
    pub fn password_hashers(mut self, algorithms: impl IntoIterator<Item = Algorithm>) -> Self {
        self.hashers = algorithms.into_iter().collect();
        self
    }

    /// The PBKDF2 iteration count (Django 6.1: 1,500,000). Lower it only for tests.
    pub fn pbkdf2_iterations(mut self, iterations: u32) -> Self {
        self.pbkdf2_iterations = iterations;
        self
    }

    /// Enables remote-user authentication from this header, which the trusted front-end server
    /// must set (and strip from clients' requests).
    pub fn remote_user_header(mut self, header: impl Into<String>) -> Self {
        self.remote_user_header = Some(header.into());
        self
    }

    /// A custom user model (Django's `AUTH_USER_MODEL`): its table and username field, for a
    /// Django project whose users are not in `auth_user`. The default is `auth_user` by
    /// `username`. See [`UserModel`] for the columns the table must have.
    pub fn user_model(mut self, model: UserModel) -> Self {
        self.user_model = model;
        self
    }

    /// Whether remote-user authentication creates unknown users (default true).
    pub fn remote_user_create_unknown(mut self, create: bool) -> Self {
        self.remote_user_create_unknown = create;
        self
    }

    /// `SECURE_PROXY_SSL_HEADER`, e.g. `("X-Forwarded-Proto", "https")`.
    pub fn secure_proxy_ssl_header(
        mut self,
        header: impl Into<String>,
        value: impl Into<String>,
    ) -> Self {
        self.secure_proxy_ssl_header = Some((header.into(), value.into()));
        self
    }

    /// `SESSION_COOKIE_*`: name, age, domain, path, Secure, HttpOnly, SameSite.
    pub fn session_cookie(mut self, cookie: CookieSettings) -> Self {
        self.session_cookie = cookie;
        self
    }

    /// `CSRF_COOKIE_*`: name, age, domain, path, Secure, HttpOnly, SameSite.
    pub fn csrf_cookie(mut self, cookie: CookieSettings) -> Self {
        self.csrf_cookie = cookie;
        self
    }

    /// `CSRF_HEADER_NAME` in Django's form, e.g. `HTTP_X_XSRF_TOKEN` for `X-XSRF-TOKEN`.
    pub fn csrf_header_name(mut self, name: impl Into<String>) -> Self {
        self.csrf_header_name = name.into();
        self
    }

    /// `CSRF_TRUSTED_ORIGINS`, with Django's wildcard form `https://*.example.com`.
    pub fn csrf_trusted_origins<I, S>(mut self, origins: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.csrf_trusted_origins = origins.into_iter().map(Into::into).collect();
        self
    }

    /// `ALLOWED_HOSTS`, used by the CSRF Origin and Referer checks. The default is `["*"]`:
    /// host validation is the job of the proxy in front of an API service, and the CSRF checks
    /// stay sound with it, since the Origin must still equal the request's own scheme and host.
    pub fn allowed_hosts<I, S>(mut self, hosts: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.allowed_hosts = hosts.into_iter().map(Into::into).collect();
        self
    }

    /// `AUTHENTICATION_BACKENDS`: the backends whose sessions are accepted (default: Django's
    /// model backend). Add [`REMOTE_USER_BACKEND`] to accept sessions that Django logged in
    /// through remote-user authentication.
    pub fn authentication_backends<I, S>(mut self, backends: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.authentication_backends = backends.into_iter().map(Into::into).collect();
        self
    }

    /// The largest body the library's endpoints read (bytes); larger ones get 413.
    pub fn max_body_size(mut self, bytes: usize) -> Self {
        self.max_body_size = bytes;
        self
    }

    /// Creates a DRF token for every user created through this library (`create_user`,
    /// remote-user auto-creation), as the reference's documented `post_save` receiver does.
    pub fn create_token_on_user_creation(mut self, create: bool) -> Self {
        self.create_token_on_user_creation = create;
        self
    }

    /// `REST_KNOX`.
    pub fn knox(mut self, knox: KnoxSettings) -> Self {
        self.knox = knox;
        self
    }

    /// The clock of expiring tokens (tests use a manual one).
    pub fn clock(mut self, clock: std::sync::Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// `DEFAULT_THROTTLE_RATES[scope] = rate` (`"100/day"`; only the period's first letter counts).
    pub fn throttle_rate(mut self, scope: impl Into<String>, rate: impl Into<String>) -> Self {
        self.throttle_rates.insert(scope.into(), Some(rate.into()));
        self
    }

    /// `DEFAULT_THROTTLE_RATES[scope] = None`: the scope is never throttled.
    pub fn throttle_rate_none(mut self, scope: impl Into<String>) -> Self {
        self.throttle_rates.insert(scope.into(), None);
        self
    }

    /// `NUM_PROXIES`: how many trusted proxies append to `X-Forwarded-For`.
    pub fn num_proxies(mut self, proxies: u32) -> Self {
        self.num_proxies = Some(proxies);
        self
    }

    /// `DEFAULT_THROTTLE_CLASSES`.
    pub fn default_throttle<L>(mut self) -> Self
    where
        L: ThrottleClasses + Default + Send + Sync + 'static,
    {
        self.default_throttles = SharedThrottleClasses::of::<L>();
        self
    }

    /// Where throttle histories live: [`MemoryStore`] (the default, one process) or
    /// [`RedisStore`](crate::throttling::RedisStore) (any number of instances).
    pub fn throttle_store(mut self, store: std::sync::Arc<dyn ThrottleStore>) -> Self {
        self.throttle_store = store;
        self
    }

    /// Admit requests while the throttle store is unreachable (default: refuse with 503).
    pub fn throttle_fail_open(mut self, fail_open: bool) -> Self {
        self.throttle_fail_open = fail_open;
        self
    }

    /// How long a throttle store call may take (default 1 s) before it counts as an outage.
    pub fn throttle_store_timeout(mut self, timeout: std::time::Duration) -> Self {
        self.throttle_store_timeout = timeout;
        self
    }

    /// Turns on the token / session → user cache with entries living `ttl` (off by default):
    /// a change made elsewhere (another instance, Django) is seen here only after `ttl`. See
    /// [`CredentialCache`] for what is cached and what forgets it at once.
    pub fn auth_cache_ttl(mut self, ttl: std::time::Duration) -> Self {
        self.auth_cache_ttl = Some(ttl);
        self
    }

    /// How many credentials the cache keeps, and how many refused tokens (default 10 000
    /// each; about 1 KiB per credential at most).
    pub fn auth_cache_capacity(mut self, entries: usize) -> Self {
        self.auth_cache_capacity = entries;
        self
    }

    /// The longest a request's authentication, permission and throttle checks may take before
    /// it is answered 503 (default 10 s): a database or Redis that stops answering, or a
    /// hashing queue that does not move, cannot hold requests longer. Keep it above a
    /// password hash's time plus a few queries.
    pub fn authentication_timeout(mut self, timeout: std::time::Duration) -> Self {
        self.authentication_timeout = timeout;
        self
    }

    /// How many threads hash passwords (default: half the CPUs, at least one).
    ///
    /// A hash takes hundreds of milliseconds of CPU by design (Django's 1 500 000 PBKDF2
    /// iterations). Hashes beyond this wait their turn, on threads of a low CPU priority
    /// ([`HashingPool`]), so a flood of Basic-auth or login requests leaves the CPU to token
    /// and session requests.
    pub fn hashing_threads(mut self, threads: usize) -> Self {
        self.hashing_threads = threads.max(1);
        self
    }

    /// Checks and builds the settings, reading the environment overrides.
    pub fn build(self) -> Result<AuthSettings, SettingsError> {
        let from_env = |var: &Option<String>| {
            var.as_deref()
                .and_then(|name| std::env::var(name).ok())
                .filter(|value| !value.is_empty())
        };
        let secret_key = match from_env(&self.secret_key_env) {
            Some(value) => SecretKey::new(value),
            None => self.secret_key.ok_or_else(|| {
                SettingsError::MissingSecretKey(
                    self.secret_key_env
                        .unwrap_or_else(|| "SECRET_KEY".to_owned()),
                )
            })?,
        };
        let database_url = from_env(&self.database_url_env).unwrap_or(self.database_url);
        if self.token_keyword.is_empty()
            || self
                .token_keyword
                .bytes()
                .any(crate::authentication::authorization_header::is_separator)
        {
            return Err(SettingsError::InvalidTokenKeyword);
        }
        if self.knox.token_prefix.chars().count() > KNOX_MAXIMUM_TOKEN_PREFIX_LENGTH {
            return Err(SettingsError::IllegalTokenPrefixLength);
        }
        Ok(AuthSettings {
            secret_key,
            secret_key_fallbacks: self.secret_key_fallbacks,
            database_url,
            default_authentication: self.default_authentication,
            default_permissions: self.default_permissions,
            token_keyword: self.token_keyword,
            basic_realm: self.basic_realm,
            unauthenticated_user: self.unauthenticated_user,
            unauthenticated_auth: self.unauthenticated_auth,
            hashers: PasswordHashers::new(self.hashers, self.pbkdf2_iterations)?,
            remote_user_header: self.remote_user_header,
            remote_user_create_unknown: self.remote_user_create_unknown,
            secure_proxy_ssl_header: self.secure_proxy_ssl_header,
            user_model: self.user_model,
            session_cookie: self.session_cookie,
            csrf_cookie: self.csrf_cookie,
            csrf_header_name: self.csrf_header_name,
            csrf_trusted_origins: self.csrf_trusted_origins,
            allowed_hosts: self.allowed_hosts,
            authentication_backends: self.authentication_backends,
            max_body_size: self.max_body_size,
            create_token_on_user_creation: self.create_token_on_user_creation,
            knox: self.knox,
            clock: self.clock,
            throttle_rates: self.throttle_rates,
            num_proxies: self.num_proxies,
            default_throttles: self.default_throttles,
            throttle_store: self.throttle_store,
            throttle_fail_open: self.throttle_fail_open,
            throttle_store_timeout: self.throttle_store_timeout,
            auth_cache: self.auth_cache_ttl.map(|ttl| {
                std::sync::Arc::new(CredentialCache::new(ttl, self.auth_cache_capacity))
            }),
            authentication_timeout: self.authentication_timeout,
            hashing_pool: std::sync::Arc::new(HashingPool::new(self.hashing_threads)),
        })
    }
}
