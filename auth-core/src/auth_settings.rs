//! The composition root: [`AuthSettings::builder`] turns DRF's `REST_FRAMEWORK` and the Django
//! settings, written in one module of the application, into the plain
//! [`Settings`], the live [`Services`] and the project's [`PolicyDefaults`]. Nothing in this
//! crate imports it; the web framework's glue takes an [`AuthSettings`] and a database.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use sea_orm::{DatabaseConnection, DbErr};

use crate::authentication::AuthenticationClasses;
use crate::checks;
use crate::clock::Clock;
use crate::django::hashers::{Algorithm, PasswordHashers};
use crate::django::http::cookie::CookieSettings;
use crate::environment::{Environment, Services, default_hashing_threads};
#[cfg(feature = "knox")]
use crate::knox::KnoxSettings;
use crate::permissions::{IsAuthenticated, PermissionClasses};
use crate::policy::PolicyDefaults;
use crate::services::credential_cache::CredentialCache;
use crate::services::hashing_pool::HashingPool;
use crate::services::introspection_transport::IntrospectionTransport;
use crate::services::throttle_store::ThrottleStore;
use crate::settings::{SecretKey, Settings, SettingsError, UnauthenticatedUser};
use crate::store;
use crate::store::user::UserModel;
use crate::throttling::ThrottleClasses;
use crate::user::AuthInfo;

/// Default of [`AuthSettingsBuilder::auth_cache_capacity`].
const DEFAULT_AUTH_CACHE_CAPACITY: usize = 10_000;

/// The project's configuration, built once: the settings, the services made from them, and the
/// default policy of views that declare none. Cheap to clone (clones share the services).
///
/// ```
/// use auth_core::AuthSettings;
/// use auth_core::authentication::{SessionAuthentication, TokenAuthentication};
/// use auth_core::permissions::IsAuthenticated;
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
/// assert_eq!(settings.settings().token_keyword, "Token");
/// assert_eq!(settings.settings().session_cookie.name, "sessionid");
/// # Ok::<(), auth_core::settings::SettingsError>(())
/// ```
#[derive(Clone)]
pub struct AuthSettings {
    settings: Arc<Settings>,
    services: Services,
    defaults: PolicyDefaults,
}

impl AuthSettings {
    /// Starts a builder with the reference's defaults (DRF's and Django's settings).
    pub fn builder() -> AuthSettingsBuilder {
        AuthSettingsBuilder::default()
    }

    /// Bundles settings made elsewhere (checked with [`Settings::validate`]) with services and
    /// the project's default policy. Under [`Settings::deny_by_default`], defaults that set no
    /// permission list get `IsAuthenticated` (Django's `LoginRequiredMiddleware` requires a
    /// login; DRF's own default, `AllowAny`, would make deny-by-default admit everyone).
    pub fn new(
        settings: Settings,
        services: Services,
        defaults: PolicyDefaults,
    ) -> Result<Self, SettingsError> {
        settings.validate()?;
        #[cfg(feature = "simplejwt")]
        let settings = {
            let mut settings = settings;
            // simplejwt's default SIGNING_KEY is SECRET_KEY: made once here, not per request. A
            // key PyJWT refuses as an HMAC secret leaves it unset, and `JWTAuthentication`
            // reports the key when it is used.
            if settings.simple_jwt.is_none() {
                settings.simple_jwt = crate::simplejwt::SimpleJwtSettings::new(
                    settings.secret_key.expose().as_bytes().to_vec(),
                )
                .ok()
                .map(Arc::new);
            }
            settings
        };
        let defaults = if settings.deny_by_default && !defaults.configures_permissions() {
            defaults.permission::<IsAuthenticated>()
        } else {
            defaults
        };
        checks::log_startup(&settings, &defaults);
        Ok(Self {
            settings: Arc::new(settings),
            services,
            defaults,
        })
    }

    /// Django's system checks on these settings: those of any server, and with `deploy` those
    /// of a deployment (`manage.py check --deploy`; `auth-admin check --deploy`).
    pub fn check(&self, deploy: bool) -> Vec<checks::CheckMessage> {
        checks::check(&self.settings, &self.defaults, deploy)
    }

    /// The settings.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The services: clock, throttle store, credential cache, hashing threads.
    pub fn services(&self) -> &Services {
        &self.services
    }

    /// The default policy of views that declare none (`DEFAULT_*_CLASSES`).
    pub fn defaults(&self) -> &PolicyDefaults {
        &self.defaults
    }

    /// The database URL (may contain a password; never log it).
    pub fn database_url(&self) -> &str {
        &self.settings.database_url
    }

    /// The environment of the schemes: these settings and services with `db`.
    pub fn environment(&self, db: DatabaseConnection) -> Environment {
        Environment::new(Arc::clone(&self.settings), db, self.services.clone())
    }

    /// Connects to the database URL and creates any missing table for the configured user model
    /// ([`store::connect_and_migrate_with`]), and allauth's `account_emailaddress` in
    /// dj-rest-auth's allauth mode ([`store::migrations::migrate_allauth`]); existing tables
    /// are never altered.
    pub async fn connect_and_migrate(&self) -> Result<DatabaseConnection, DbErr> {
        let db =
            store::connect_and_migrate_with(self.database_url(), &self.settings.user_model).await?;
        #[cfg(all(feature = "accounts", feature = "simplejwt"))]
        if self.settings.rest_auth.allauth {
            store::migrations::migrate_allauth(&db, &self.settings.user_model).await?;
        }
        Ok(db)
    }
}

impl fmt::Debug for AuthSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthSettings")
            .field("settings", &self.settings)
            .field("services", &self.services)
            .field("defaults", &self.defaults)
            .finish()
    }
}

/// Where the database password comes from (never the URL itself). `Debug` names the variable
/// or the file, never the password.
#[derive(Debug, Clone)]
enum DatabasePassword {
    Env(String),
    File(std::path::PathBuf),
}

/// Builds [`AuthSettings`]; every method has the reference's default.
///
/// `Debug` shows the settings but not the database URL (it may hold a password); the secret
/// keys redact themselves.
#[derive(Clone)]
pub struct AuthSettingsBuilder {
    settings: Settings,
    secret_key_env: Option<String>,
    database_url_env: Option<String>,
    database_password: Option<DatabasePassword>,
    hashers: Vec<Algorithm>,
    pbkdf2_iterations: u32,
    defaults: PolicyDefaults,
    clock: Option<Arc<dyn Clock>>,
    throttle_store: Option<Arc<dyn ThrottleStore>>,
    introspection_transport: Option<Arc<dyn IntrospectionTransport>>,
    #[cfg(feature = "accounts")]
    email_backend: Option<Arc<dyn crate::services::email_backend::EmailBackend>>,
    auth_cache_ttl: Option<Duration>,
    auth_cache_capacity: usize,
    #[cfg(feature = "redis")]
    auth_cache_invalidation: Option<crate::services::cache_invalidation::RedisCacheInvalidation>,
    hashing_threads: usize,
}

impl Default for AuthSettingsBuilder {
    fn default() -> Self {
        let settings = Settings::default();
        Self {
            hashers: settings.password_hashers.algorithms().to_vec(),
            pbkdf2_iterations: settings.password_hashers.pbkdf2_iterations(),
            settings,
            secret_key_env: None,
            database_url_env: None,
            database_password: None,
            defaults: PolicyDefaults::new(),
            clock: None,
            throttle_store: None,
            introspection_transport: None,
            #[cfg(feature = "accounts")]
            email_backend: None,
            auth_cache_ttl: None,
            auth_cache_capacity: DEFAULT_AUTH_CACHE_CAPACITY,
            #[cfg(feature = "redis")]
            auth_cache_invalidation: None,
            hashing_threads: default_hashing_threads(),
        }
    }
}

impl fmt::Debug for AuthSettingsBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthSettingsBuilder")
            .field("settings", &self.settings)
            .field("secret_key_env", &self.secret_key_env)
            .field("database_url_env", &self.database_url_env)
            .field("database_password", &self.database_password)
            .field("hashers", &self.hashers)
            .field("pbkdf2_iterations", &self.pbkdf2_iterations)
            .field("defaults", &self.defaults)
            .field("auth_cache_ttl", &self.auth_cache_ttl)
            .field("auth_cache_capacity", &self.auth_cache_capacity)
            .field("hashing_threads", &self.hashing_threads)
            .finish_non_exhaustive()
    }
}

impl AuthSettingsBuilder {
    /// `SECRET_KEY`, given in code (tests, or a value read from a secret store).
    pub fn secret_key(mut self, key: impl Into<String>) -> Self {
        self.settings.secret_key = SecretKey::new(key);
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
        self.settings.secret_key_fallbacks = keys.into_iter().map(SecretKey::new).collect();
        self
    }

    /// The database URL (default
    /// [`DEFAULT_DATABASE_URL`](crate::settings::DEFAULT_DATABASE_URL)).
    pub fn database_url(mut self, url: impl Into<String>) -> Self {
        self.settings.database_url = url.into();
        self
    }

    /// Reads the database URL from the environment variable `var` at build time; a non-empty
    /// value there overrides [`database_url`](Self::database_url).
    pub fn database_url_from_env(mut self, var: impl Into<String>) -> Self {
        self.database_url_env = Some(var.into());
        self
    }

    /// Reads the database password from the environment variable `var` at build time and puts
    /// it into the URL's user information, so that the URL (a command line, a config file) needs
    /// none. Ignored when the variable is unset or empty.
    pub fn database_password_from_env(mut self, var: impl Into<String>) -> Self {
        self.database_password = Some(DatabasePassword::Env(var.into()));
        self
    }

    /// Reads the database password from the file `path` at build time (a container secret,
    /// `/run/secrets/db_password`), as [`database_password_from_env`](Self::database_password_from_env)
    /// does from a variable. A file that cannot be read fails the build.
    pub fn database_password_file(mut self, path: impl Into<std::path::PathBuf>) -> Self {
        self.database_password = Some(DatabasePassword::File(path.into()));
        self
    }

    /// The project's defaults as one value (a settings file's `DEFAULT_*_CLASSES`), replacing
    /// what the `default_*` calls before it set.
    pub fn defaults(mut self, defaults: PolicyDefaults) -> Self {
        self.defaults = defaults;
        self
    }

    /// The settings so far (a settings file's, before the calls that follow).
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The settings so far, for the settings file's readers (the fields without a method).
    #[cfg(feature = "settings-file")]
    pub(crate) fn settings_mut(&mut self) -> &mut Settings {
        &mut self.settings
    }

    /// `DEFAULT_AUTHENTICATION_CLASSES`: a scheme or a tuple of schemes, in order.
    pub fn default_authentication<L: AuthenticationClasses>(mut self) -> Self {
        self.defaults = self.defaults.authentication::<L>();
        self
    }

    /// `DEFAULT_PERMISSION_CLASSES`: a permission (expression) or a tuple of them.
    pub fn default_permission<P>(mut self) -> Self
    where
        P: PermissionClasses + Default + Send + Sync + 'static,
    {
        self.defaults = self.defaults.permission::<P>();
        self
    }

    /// `DEFAULT_THROTTLE_CLASSES`.
    pub fn default_throttle<L>(mut self) -> Self
    where
        L: ThrottleClasses + Default + Send + Sync + 'static,
    {
        self.defaults = self.defaults.throttle::<L>();
        self
    }

    /// `TokenAuthentication.keyword` for
    /// [`TokenAuthentication`](crate::authentication::TokenAuthentication) without an explicit
    /// keyword type (default `Token`).
    pub fn token_keyword(mut self, keyword: impl Into<Cow<'static, str>>) -> Self {
        self.settings.token_keyword = keyword.into();
        self
    }

    /// The Basic realm in `WWW-Authenticate: Basic realm="…"` (default `api`).
    pub fn basic_realm(mut self, realm: impl Into<Cow<'static, str>>) -> Self {
        self.settings.basic_realm = realm.into();
        self
    }

    /// `UNAUTHENTICATED_USER`.
    pub fn unauthenticated_user(mut self, user: UnauthenticatedUser) -> Self {
        self.settings.unauthenticated_user = user;
        self
    }

    /// `UNAUTHENTICATED_TOKEN`.
    pub fn unauthenticated_auth(mut self, auth: AuthInfo) -> Self {
        self.settings.unauthenticated_auth = auth;
        self
    }

    /// `PASSWORD_HASHERS` (each a [`django::hashers::Algorithm`](Algorithm)): the first is used
    /// for new hashes, all are accepted when checking.
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
        self.settings.remote_user_header = Some(header.into());
        self
    }

    /// A custom user model (Django's `AUTH_USER_MODEL`): its table and username field, for a
    /// Django project whose users are not in `auth_user`. The default is `auth_user` by
    /// `username`. See [`UserModel`] for the columns the table must have.
    pub fn user_model(mut self, model: UserModel) -> Self {
        self.settings.user_model = model;
        self
    }

    /// Whether remote-user authentication creates unknown users (default true).
    pub fn remote_user_create_unknown(mut self, create: bool) -> Self {
        self.settings.remote_user_create_unknown = create;
        self
    }

    /// `SECURE_PROXY_SSL_HEADER`, e.g. `("X-Forwarded-Proto", "https")`.
    pub fn secure_proxy_ssl_header(
        mut self,
        header: impl Into<String>,
        value: impl Into<String>,
    ) -> Self {
        self.settings.secure_proxy_ssl_header = Some((header.into(), value.into()));
        self
    }

    /// `SESSION_COOKIE_*`: name, age, domain, path, Secure, HttpOnly, SameSite.
    pub fn session_cookie(mut self, cookie: CookieSettings) -> Self {
        self.settings.session_cookie = cookie;
        self
    }

    /// `SESSION_SAVE_EVERY_REQUEST`: every request with a session cookie saves the session.
    pub fn session_save_every_request(mut self, save: bool) -> Self {
        self.settings.session_save_every_request = save;
        self
    }

    /// `SESSION_EXPIRE_AT_BROWSER_CLOSE`: the session cookie without `expires`/`Max-Age`.
    pub fn session_expire_at_browser_close(mut self, at_close: bool) -> Self {
        self.settings.session_expire_at_browser_close = at_close;
        self
    }

    /// `CSRF_COOKIE_*`: name, age, domain, path, Secure, HttpOnly, SameSite.
    pub fn csrf_cookie(mut self, cookie: CookieSettings) -> Self {
        self.settings.csrf_cookie = cookie;
        self
    }

    /// `CSRF_HEADER_NAME` in Django's form, e.g. `HTTP_X_XSRF_TOKEN` for `X-XSRF-TOKEN`.
    pub fn csrf_header_name(mut self, name: impl Into<String>) -> Self {
        self.settings.csrf_header_name = name.into();
        self
    }

    /// `AUTH_PASSWORD_VALIDATORS`: the validators a new password must pass, in order (an empty
    /// list turns validation off). Default: the four of `django-admin startproject`.
    pub fn password_validators(
        mut self,
        validators: Vec<crate::django::password_validation::PasswordValidator>,
    ) -> Self {
        self.settings.password_validators = validators;
        self
    }

    /// Adds a permission backend, asked after `ModelBackend` (Django's
    /// `AUTHENTICATION_BACKENDS`): `.permission_backend(ObjectPermissionBackend)` for
    /// django-guardian's object permissions.
    pub fn permission_backend(
        mut self,
        backend: impl crate::permission_backend::PermissionBackend,
    ) -> Self {
        self.settings.permission_backends.push(Arc::new(backend));
        self
    }

    /// `CSRF_USE_SESSIONS`: keep the CSRF secret in the session (`_csrftoken`) rather than in
    /// the `csrftoken` cookie. Clients then read the token from the CSRF view's body (or a page)
    /// instead of the cookie.
    pub fn csrf_use_sessions(mut self, in_session: bool) -> Self {
        self.settings.csrf_use_sessions = in_session;
        self
    }

    /// `CSRF_TRUSTED_ORIGINS`, with Django's wildcard form `https://*.example.com`.
    pub fn csrf_trusted_origins<I, S>(mut self, origins: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.settings.csrf_trusted_origins = origins.into_iter().map(Into::into).collect();
        self
    }

    /// `ALLOWED_HOSTS`, used by the CSRF Origin and Referer checks (default `["*"]`; see
    /// [`Settings::allowed_hosts`]).
    pub fn allowed_hosts<I, S>(mut self, hosts: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.settings.allowed_hosts = hosts.into_iter().map(Into::into).collect();
        self
    }

    /// `AUTHENTICATION_BACKENDS`: the backends whose sessions are accepted (default: Django's
    /// model backend). Add
    /// [`REMOTE_USER_BACKEND`](crate::django::session_data::REMOTE_USER_BACKEND) to accept
    /// sessions that Django logged in through remote-user authentication.
    pub fn authentication_backends<I, S>(mut self, backends: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.settings.authentication_backends = backends.into_iter().map(Into::into).collect();
        self
    }

    /// The largest body the library's endpoints read (bytes); larger ones get 413.
    pub fn max_body_size(mut self, bytes: usize) -> Self {
        self.settings.max_body_size = bytes;
        self
    }

    /// Creates a DRF token for every user created through this library (`create_user`,
    /// remote-user auto-creation), as the reference's documented `post_save` receiver does.
    pub fn create_token_on_user_creation(mut self, create: bool) -> Self {
        self.settings.create_token_on_user_creation = create;
        self
    }

    /// `REST_KNOX`.
    #[cfg(feature = "knox")]
    #[cfg_attr(docsrs, doc(cfg(feature = "knox")))]
    pub fn knox(mut self, knox: KnoxSettings) -> Self {
        self.settings.knox = knox;
        self
    }

    /// Django OAuth Toolkit's `OAUTH2_PROVIDER` (the resource server's keys).
    #[cfg(feature = "oauth2")]
    #[cfg_attr(docsrs, doc(cfg(feature = "oauth2")))]
    pub fn oauth2(mut self, oauth2: crate::oauth2::OAuth2Settings) -> Self {
        self.settings.oauth2 = oauth2;
        self
    }

    /// The client of the remote introspection endpoint (DOT's
    /// `RESOURCE_SERVER_INTROSPECTION_URL`), in place of the one [`build`](Self::build) starts
    /// with the `oauth2-introspection` feature (without the feature, a URL in the settings needs
    /// one given here).
    pub fn oauth2_introspection_transport(
        mut self,
        transport: Arc<dyn IntrospectionTransport>,
    ) -> Self {
        self.introspection_transport = Some(transport);
        self
    }

    /// `SIMPLE_JWT`.
    #[cfg(feature = "simplejwt")]
    #[cfg_attr(docsrs, doc(cfg(feature = "simplejwt")))]
    pub fn simple_jwt(mut self, simple_jwt: crate::simplejwt::SimpleJwtSettings) -> Self {
        self.settings.simple_jwt = Some(Arc::new(simple_jwt));
        self
    }

    /// dj-rest-auth's `JWT_AUTH_*` settings: simplejwt's tokens in cookies.
    #[cfg(feature = "simplejwt")]
    #[cfg_attr(docsrs, doc(cfg(feature = "simplejwt")))]
    pub fn jwt_cookies(mut self, cookies: crate::dj_rest_auth::JwtCookieSettings) -> Self {
        self.settings.jwt_cookies = cookies;
        self
    }

    /// dj-rest-auth's `REST_AUTH` mode settings (`USE_JWT`, `SESSION_LOGIN`).
    #[cfg(feature = "simplejwt")]
    #[cfg_attr(docsrs, doc(cfg(feature = "simplejwt")))]
    pub fn rest_auth(mut self, rest_auth: crate::dj_rest_auth::RestAuthSettings) -> Self {
        self.settings.rest_auth = rest_auth;
        self
    }

    /// The clock of expiring tokens (tests use a manual one).
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = Some(clock);
        self
    }

    /// `DEFAULT_THROTTLE_RATES[scope] = rate` (`"100/day"`; only the period's first letter counts).
    pub fn throttle_rate(mut self, scope: impl Into<String>, rate: impl Into<String>) -> Self {
        self.settings
            .throttle_rates
            .insert(scope.into(), Some(rate.into()));
        self
    }

    /// `DEFAULT_THROTTLE_RATES[scope] = None`: the scope is never throttled.
    pub fn throttle_rate_none(mut self, scope: impl Into<String>) -> Self {
        self.settings.throttle_rates.insert(scope.into(), None);
        self
    }

    /// `NUM_PROXIES`: how many trusted proxies append to `X-Forwarded-For`.
    pub fn num_proxies(mut self, proxies: u32) -> Self {
        self.settings.num_proxies = Some(proxies);
        self
    }

    /// Where throttle histories live:
    /// [`MemoryStore`](crate::services::memory_store::MemoryStore) (the default, one process)
    /// or `RedisStore` (feature `redis`: any number of instances).
    pub fn throttle_store(mut self, store: Arc<dyn ThrottleStore>) -> Self {
        self.throttle_store = Some(store);
        self
    }

    /// Admit requests while the throttle store is unreachable (default: refuse with 503).
    pub fn throttle_fail_open(mut self, fail_open: bool) -> Self {
        self.settings.throttle_fail_open = fail_open;
        self
    }

    /// How long a throttle store call may take (default 1 s) before it counts as an outage.
    pub fn throttle_store_timeout(mut self, timeout: Duration) -> Self {
        self.settings.throttle_store_timeout = timeout;
        self
    }

    /// Turns on the token / session → user cache with entries living `ttl` (off by default):
    /// a change made elsewhere (another instance, Django) is seen here only after `ttl`. See
    /// [`CredentialCache`] for what is cached and what forgets it at once.
    pub fn auth_cache_ttl(mut self, ttl: Duration) -> Self {
        self.auth_cache_ttl = Some(ttl);
        self
    }

    /// Turns the credential cache off again (the default).
    pub fn auth_cache_off(mut self) -> Self {
        self.auth_cache_ttl = None;
        self
    }

    /// Keeps this instance's credential cache in step with the other instances' through Redis
    /// publish/subscribe (feature `redis`): what any of them forgets (logout, password change,
    /// deactivation, token revocation, the admin commands) is forgotten by all within
    /// milliseconds, and within the TTL while Redis cannot be reached. Without
    /// [`auth_cache_ttl`](Self::auth_cache_ttl) there is no cache and this does nothing.
    #[cfg(feature = "redis")]
    #[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
    pub fn auth_cache_invalidation(
        mut self,
        invalidation: crate::services::cache_invalidation::RedisCacheInvalidation,
    ) -> Self {
        self.auth_cache_invalidation = Some(invalidation);
        self
    }

    /// How many credentials the cache keeps, and how many refused tokens (default 10 000
    /// each; about 1 KiB per credential at most).
    pub fn auth_cache_capacity(mut self, entries: usize) -> Self {
        self.auth_cache_capacity = entries;
        self
    }

    /// `TIME_ZONE` (default `"UTC"`): the clock of password-reset and activation tokens (checked
    /// at [`build`](Self::build) with the `accounts` feature).
    pub fn time_zone(mut self, zone: impl Into<String>) -> Self {
        self.settings.time_zone = zone.into();
        self
    }

    /// `PASSWORD_RESET_TIMEOUT` in seconds (default 259200): how long a password-reset or
    /// activation token is valid.
    pub fn password_reset_timeout(mut self, seconds: i64) -> Self {
        self.settings.password_reset_timeout = seconds;
        self
    }

    /// Django's email settings (`EMAIL_BACKEND` and the rest): [`build`](Self::build) starts
    /// the backend they name, unless one is given to [`email_backend`](Self::email_backend).
    #[cfg(feature = "accounts")]
    #[cfg_attr(docsrs, doc(cfg(feature = "accounts")))]
    pub fn email(mut self, email: crate::django::email_settings::EmailSettings) -> Self {
        self.settings.email = email;
        self
    }

    /// The email templates (djoser's by default).
    #[cfg(feature = "accounts")]
    #[cfg_attr(docsrs, doc(cfg(feature = "accounts")))]
    pub fn mail_templates(mut self, templates: crate::templated_mail::MailTemplates) -> Self {
        self.settings.mail_templates = Arc::new(templates);
        self
    }

    /// djoser's `DJOSER` settings.
    #[cfg(feature = "accounts")]
    #[cfg_attr(docsrs, doc(cfg(feature = "accounts")))]
    pub fn djoser(mut self, djoser: crate::djoser::DjoserSettings) -> Self {
        self.settings.djoser = djoser;
        self
    }

    /// The email backend, in place of the one `EMAIL_BACKEND` names (an HTTP mail API, or a
    /// [`LocmemEmailBackend`](crate::services::locmem_email_backend::LocmemEmailBackend) whose
    /// outbox a test reads).
    #[cfg(feature = "accounts")]
    #[cfg_attr(docsrs, doc(cfg(feature = "accounts")))]
    pub fn email_backend(
        mut self,
        backend: Arc<dyn crate::services::email_backend::EmailBackend>,
    ) -> Self {
        self.email_backend = Some(backend);
        self
    }

    /// The longest a request's authentication, permission and throttle checks may take before
    /// it is answered 503 (default 10 s): a database or Redis that stops answering, or a
    /// hashing queue that does not move, cannot hold requests longer. Keep it above a
    /// password hash's time plus a few queries.
    pub fn authentication_timeout(mut self, timeout: Duration) -> Self {
        self.settings.authentication_timeout = timeout;
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

    /// Deny by default (default on; see [`Settings::deny_by_default`]). Off restores DRF's
    /// behaviour exactly: a handler without a declaration runs no policy, and the default
    /// permission is `AllowAny`.
    pub fn deny_by_default(mut self, deny: bool) -> Self {
        self.settings.deny_by_default = deny;
        self
    }

    /// Checks and builds the settings, reading the environment overrides, and starts the
    /// services they describe.
    pub fn build(self) -> Result<AuthSettings, SettingsError> {
        let from_env = |var: &Option<String>| {
            var.as_deref()
                .and_then(|name| std::env::var(name).ok())
                .filter(|value| !value.is_empty())
        };
        let mut settings = self.settings;
        if let Some(key) = from_env(&self.secret_key_env) {
            settings.secret_key = SecretKey::new(key);
        }
        if settings.secret_key.is_empty() {
            return Err(SettingsError::MissingSecretKey(
                self.secret_key_env
                    .unwrap_or_else(|| "SECRET_KEY".to_owned()),
            ));
        }
        if let Some(url) = from_env(&self.database_url_env) {
            settings.database_url = url;
        }
        let password = match &self.database_password {
            Some(DatabasePassword::Env(var)) => from_env(&Some(var.clone())),
            Some(DatabasePassword::File(path)) => Some(
                store::database_url::read_password_file(path)
                    .map_err(|error| SettingsError::DatabasePassword(error.to_string()))?,
            ),
            None => None,
        };
        if let Some(password) = password.filter(|password| !password.is_empty()) {
            settings.database_url = store::database_url::with_password(
                &settings.database_url,
                &password,
            )
            .ok_or_else(|| {
                SettingsError::DatabasePassword(
                    "the database URL names no user to give the password to, or has one".to_owned(),
                )
            })?;
        }
        settings.password_hashers = PasswordHashers::new(self.hashers, self.pbkdf2_iterations)?;
        if let Some(warning) = slow_hashing_warning(&settings.password_hashers) {
            tracing::warn!("{warning}");
        }
        let cache = self
            .auth_cache_ttl
            .map(|ttl| Arc::new(CredentialCache::new(ttl, self.auth_cache_capacity)));
        #[cfg(feature = "redis")]
        if let (Some(cache), Some(invalidation)) = (&cache, &self.auth_cache_invalidation) {
            invalidation.attach(cache);
        }
        let mut services = Services::default()
            .with_hashing_pool(Arc::new(HashingPool::new(self.hashing_threads)))
            .with_credential_cache(cache);
        if let Some(clock) = self.clock {
            services = services.with_clock(clock);
        }
        if let Some(store) = self.throttle_store {
            services = services.with_throttle_store(store);
        }
        services = services.with_introspection_transport(introspection_transport(
            &settings,
            self.introspection_transport,
        )?);
        #[cfg(feature = "accounts")]
        {
            let backend = match self.email_backend {
                Some(backend) => backend,
                None => email_backend(&settings.email).map_err(SettingsError::Email)?,
            };
            services = services.with_email_backend(backend);
        }
        AuthSettings::new(settings, services, self.defaults)
    }
}

/// The backend `EMAIL_BACKEND` names, configured by the other `EMAIL_*` settings, after
/// Django's refusals ([`EmailSettings::validate`](crate::django::email_settings::EmailSettings::validate)).
#[cfg(feature = "accounts")]
fn email_backend(
    settings: &crate::django::email_settings::EmailSettings,
) -> Result<Arc<dyn crate::services::email_backend::EmailBackend>, String> {
    use crate::django::email_settings::EmailBackendName;
    use crate::services::{
        console_email_backend::ConsoleEmailBackend, dummy_email_backend::DummyEmailBackend,
        file_email_backend::FileEmailBackend, locmem_email_backend::LocmemEmailBackend,
        smtp_email_backend::SmtpEmailBackend,
    };
    settings.validate()?;
    Ok(match settings.backend {
        EmailBackendName::Smtp => Arc::new(SmtpEmailBackend::new(settings)?),
        EmailBackendName::Console => Arc::new(ConsoleEmailBackend),
        EmailBackendName::FileBased => Arc::new(FileEmailBackend::new(
            settings
                .file_path
                .clone()
                .ok_or("Path for saving emails is invalid: None")?,
        )?),
        EmailBackendName::Locmem => Arc::new(LocmemEmailBackend::default()),
        EmailBackendName::Dummy => Arc::new(DummyEmailBackend),
    })
}

/// The introspection client: the one given, else (with remote introspection configured) the
/// `oauth2-introspection` feature's; without the feature a configured URL with no client is
/// refused, so a resource server never starts unable to check the tokens it is sent.
#[cfg_attr(
    not(feature = "oauth2"),
    allow(unused_variables, clippy::unnecessary_wraps)
)]
fn introspection_transport(
    settings: &Settings,
    given: Option<Arc<dyn IntrospectionTransport>>,
) -> Result<Option<Arc<dyn IntrospectionTransport>>, SettingsError> {
    #[cfg(feature = "oauth2")]
    if let Some(remote) = &settings.oauth2.remote_introspection
        && remote.timeout >= settings.authentication_timeout
    {
        // Past the authentication timeout the request is a 503 while the introspection goes
        // on: the token would never be refused as DOT refuses it.
        return Err(SettingsError::Introspection(format!(
            "RESOURCE_SERVER_INTROSPECTION_TIMEOUT_SECONDS ({:?}) must be below the \
             authentication timeout ({:?})",
            remote.timeout, settings.authentication_timeout
        )));
    }
    if given.is_some() {
        return Ok(given);
    }
    #[cfg(feature = "oauth2")]
    if let Some(remote) = &settings.oauth2.remote_introspection {
        #[cfg(feature = "oauth2-introspection")]
        {
            let client = crate::services::http_introspection::HttpIntrospection::new(remote)
                .map_err(|error| SettingsError::Introspection(error.0))?;
            return Ok(Some(Arc::new(client)));
        }
        #[cfg(not(feature = "oauth2-introspection"))]
        {
            return Err(SettingsError::Introspection(format!(
                "RESOURCE_SERVER_INTROSPECTION_URL ({}) needs the `oauth2-introspection` \
                 feature or a client given to `oauth2_introspection_transport`",
                remote.url
            )));
        }
    }
    Ok(None)
}

/// The longest one password hash may take before start-up warns: beyond it a login is slow to
/// the user and the logins of a busy server queue behind each other (503 once the pool is full).
const SLOW_HASH: Duration = Duration::from_secs(1);

/// The start-up warning for password hashing slower than [`SLOW_HASH`], naming the fixes.
fn slow_hashing_warning(hashers: &PasswordHashers) -> Option<String> {
    let estimate = hashers.estimated_hash_time()?;
    (estimate > SLOW_HASH).then(|| {
        format!(
            "one password hash takes about {:.1} s at {} PBKDF2 iterations, so every login and \
             Basic request waits that long: in a debug build, optimise the hashing crates \
             ([profile.dev.package] sha2, hmac and pbkdf2 with opt-level = 3, see the README's \
             \"Use it in your own crate\"), or lower pbkdf2_iterations for development",
            estimate.as_secs_f64(),
            hashers.pbkdf2_iterations()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_key_is_required_and_the_variable_is_named() {
        let missing = AuthSettings::builder()
            .secret_key_from_env("AUTH_SETTINGS_TEST_UNSET_VARIABLE")
            .build();
        assert_eq!(
            missing.err(),
            Some(SettingsError::MissingSecretKey(
                "AUTH_SETTINGS_TEST_UNSET_VARIABLE".to_owned()
            ))
        );
    }

    #[test]
    fn the_builder_fills_the_settings_and_the_services() {
        let built = AuthSettings::builder()
            .secret_key("k")
            .basic_realm("internal")
            .throttle_rate("uploads", "10/min")
            .pbkdf2_iterations(1000)
            .auth_cache_ttl(Duration::from_secs(5))
            .hashing_threads(3)
            .build()
            .unwrap_or_else(|error| unreachable!("{error}"));
        let settings = built.settings();
        assert_eq!(settings.basic_realm, "internal");
        assert_eq!(settings.throttle_rate("uploads"), Some(Some("10/min")));
        assert_eq!(settings.password_hashers.pbkdf2_iterations(), 1000);
        assert!(built.services().credential_cache().is_some());
        assert_eq!(built.services().hashing_pool().threads(), 3);
    }

    #[test]
    fn slow_password_hashing_is_warned_about_with_the_fix() {
        let fast = PasswordHashers::new(vec![Algorithm::Pbkdf2Sha256], 1000)
            .unwrap_or_else(|error| unreachable!("{error}"));
        assert_eq!(slow_hashing_warning(&fast), None);
        // Billions of iterations take over a second on any machine.
        let slow = PasswordHashers::new(vec![Algorithm::Pbkdf2Sha256], 2_000_000_000)
            .unwrap_or_else(|error| unreachable!("{error}"));
        let warning = slow_hashing_warning(&slow).unwrap_or_default();
        assert!(warning.contains("[profile.dev.package]"), "{warning}");
        assert!(
            warning.contains("2000000000 PBKDF2 iterations"),
            "{warning}"
        );
        // Another preferred hasher is not estimated.
        let md5 = PasswordHashers::new(vec![Algorithm::Md5], 1000)
            .unwrap_or_else(|error| unreachable!("{error}"));
        assert_eq!(md5.estimated_hash_time(), None);
    }

    #[test]
    fn an_invalid_keyword_is_refused_at_build_time() {
        let built = AuthSettings::builder()
            .secret_key("k")
            .token_keyword("Api Key")
            .build();
        assert_eq!(built.err(), Some(SettingsError::InvalidTokenKeyword));
    }
}
