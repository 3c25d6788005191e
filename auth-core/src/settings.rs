//! Project-wide settings as plain data: the Django settings and DRF's `REST_FRAMEWORK` values
//! that the schemes, permissions and throttles read.
//!
//! [`Settings`] holds values only: no live service (those are in
//! [`Services`](crate::environment::Services)) and no policy (the project's default schemes,
//! permissions and throttles are a [`PolicyDefaults`](crate::policy::PolicyDefaults), the type
//! scopes use too). Its fields are public; [`Settings::default`] has the reference's defaults,
//! and [`Settings::validate`] checks what Django or DRF would refuse at start-up.
//!
//! ```
//! use auth_core::settings::Settings;
//!
//! let mut settings = Settings::default();
//! settings.secret_key = "the Django project's SECRET_KEY".into();
//! settings.basic_realm = "internal".into();
//! settings.throttle_rates.insert("user".into(), Some("1000/day".into()));
//! settings.validate()?;
//! assert_eq!(settings.session_cookie.name, "sessionid");
//! # Ok::<(), auth_core::settings::SettingsError>(())
//! ```

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use subtle::ConstantTimeEq;

use crate::compat::python::text::is_bytes_whitespace;
use crate::django::hashers::{HasherError, PasswordHashers};
use crate::django::http::cookie::CookieSettings;
use crate::django::session_data::MODEL_BACKEND;
#[cfg(feature = "knox")]
use crate::knox::{KnoxSettings, MAXIMUM_TOKEN_PREFIX_LENGTH};
#[cfg(feature = "oauth2")]
use crate::oauth2::OAuth2Settings;
#[cfg(feature = "simplejwt")]
use crate::simplejwt::SimpleJwtSettings;
use crate::store::user::UserModel;
use crate::user::AuthInfo;

/// Django's `SECRET_KEY` (or one of its fallbacks). Never printed; compared in constant time.
#[derive(Clone, Default)]
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

    /// Whether the key is empty (Django refuses to start without one).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<&str> for SecretKey {
    fn from(key: &str) -> Self {
        Self::new(key)
    }
}

impl From<String> for SecretKey {
    fn from(key: String) -> Self {
        Self(key)
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

/// The default SQLite database: a file next to the process, created when missing.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://auth.db?mode=rwc";

/// The throttle scope of the library's login endpoints (obtain-token, session login, knox
/// login), whose default rate is [`DEFAULT_LOGIN_RATE`].
pub const LOGIN_SCOPE: &str = "login";

/// The default rate of [`LOGIN_SCOPE`]: brute-force protection out of the box. Change it with
/// `throttle_rate("login", "…")`, or map the scope to none to turn it off.
pub const DEFAULT_LOGIN_RATE: &str = "10/min";

/// Django's `DATA_UPLOAD_MAX_MEMORY_SIZE`: the default of [`Settings::max_body_size`].
pub const DEFAULT_MAX_BODY_SIZE: usize = 2_621_440;

/// A configuration mistake, found by [`Settings::validate`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SettingsError {
    /// No secret key was given (and the named environment variable is unset or empty).
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
    /// The database password could not be read or put into the URL (the cause, never the
    /// password).
    #[error("database password: {0}")]
    DatabasePassword(String),
    /// `TIME_ZONE` names no zone of the IANA database (Django: `Incorrect timezone setting`).
    #[error("Incorrect timezone setting: {0}")]
    TimeZone(String),
    /// Remote token introspection cannot start: no client, or its certificate file cannot be
    /// read (the cause, never a credential).
    #[error("remote token introspection: {0}")]
    Introspection(String),
    /// The email backend cannot start (Django's refusals, or a TLS file that cannot be read).
    #[error("email: {0}")]
    Email(String),
}

/// The default `ALLOWED_HOSTS`: what Django allows with `DEBUG = True` and an empty setting
/// (`.localhost` and its subdomains, `127.0.0.1`, `[::1]`), enough for a server on the
/// loopback interface and nothing a rebinding DNS name can reach.
pub const DEFAULT_ALLOWED_HOSTS: &[&str] = &[".localhost", "127.0.0.1", "[::1]"];

/// What the schemes, permissions and throttles read: plain values, each named after the Django
/// or DRF setting it reproduces. See the module documentation.
#[derive(Clone)]
#[non_exhaustive]
pub struct Settings {
    /// `SECRET_KEY`: signs sessions; never printed.
    pub secret_key: SecretKey,
    /// `SECRET_KEY_FALLBACKS`: accepted when verifying, never used to sign.
    pub secret_key_fallbacks: Vec<SecretKey>,
    /// The database URL (may contain a password; never logged). Default
    /// [`DEFAULT_DATABASE_URL`].
    pub database_url: String,
    /// `TokenAuthentication.keyword` (default `Token`).
    pub token_keyword: Cow<'static, str>,
    /// `BasicAuthentication.www_authenticate_realm` (default `api`).
    pub basic_realm: Cow<'static, str>,
    /// `UNAUTHENTICATED_USER`.
    pub unauthenticated_user: UnauthenticatedUser,
    /// `UNAUTHENTICATED_TOKEN`.
    pub unauthenticated_auth: AuthInfo,
    /// `PASSWORD_HASHERS` and the PBKDF2 iteration count: the first hasher makes new hashes,
    /// all of them verify.
    pub password_hashers: PasswordHashers,
    /// The header a trusted front-end server sets to the user name it authenticated (and strips
    /// from clients' requests); `None` (the default) turns remote-user authentication off.
    pub remote_user_header: Option<String>,
    /// `RemoteUserBackend.create_unknown_user` (default true).
    pub remote_user_create_unknown: bool,
    /// `SECURE_PROXY_SSL_HEADER`, e.g. `("X-Forwarded-Proto", "https")`.
    pub secure_proxy_ssl_header: Option<(String, String)>,
    /// `AUTH_USER_MODEL`: the user table and its username field (default `auth_user` by
    /// `username`).
    pub user_model: UserModel,
    /// `SESSION_COOKIE_*`.
    pub session_cookie: CookieSettings,
    /// `SESSION_SAVE_EVERY_REQUEST` (false): a request with a session cookie saves the session
    /// (its expiry pushed back) and sends the cookie again, touched or not.
    pub session_save_every_request: bool,
    /// `SESSION_EXPIRE_AT_BROWSER_CLOSE` (false): the session cookie is sent without `expires`
    /// and `Max-Age`, so the browser drops it when it closes (the row still expires after
    /// `SESSION_COOKIE_AGE`).
    pub session_expire_at_browser_close: bool,
    /// `CSRF_COOKIE_*`.
    pub csrf_cookie: CookieSettings,
    /// `CSRF_HEADER_NAME` in Django's form, e.g. `HTTP_X_XSRF_TOKEN` for `X-XSRF-TOKEN`.
    pub csrf_header_name: String,
    /// `AUTH_PASSWORD_VALIDATORS`: what a new password must pass (`auth-admin createsuperuser`
    /// and `changepassword`, and any code setting a password through
    /// [`validate_password`](crate::django::password_validation::validate_password)). Default:
    /// the four `django-admin startproject` writes (Django's own default is none).
    pub password_validators: Vec<crate::django::password_validation::PasswordValidator>,
    /// `CSRF_USE_SESSIONS` (false): the CSRF secret is kept in the session (its `_csrftoken`
    /// key) instead of the `csrftoken` cookie, which is then never sent.
    pub csrf_use_sessions: bool,
    /// `CSRF_TRUSTED_ORIGINS` (`https://example.com`, `https://*.example.com`).
    pub csrf_trusted_origins: Vec<String>,
    /// `ALLOWED_HOSTS`: the hosts a guarded request may name (a disallowed one gets Django's 400
    /// page, which stops DNS rebinding), also used by the CSRF Origin and Referer checks. The
    /// default is [`DEFAULT_ALLOWED_HOSTS`], the loopback names Django allows in development; a
    /// deployment lists its own (`auth-admin check --deploy` says so).
    pub allowed_hosts: Vec<String>,
    /// `AUTHENTICATION_BACKENDS`: the backends whose sessions are accepted (default: Django's
    /// model backend). Add
    /// [`REMOTE_USER_BACKEND`](crate::django::session_data::REMOTE_USER_BACKEND) to accept
    /// sessions that Django logged in through remote-user authentication.
    pub authentication_backends: Vec<String>,
    /// The permission backends asked after `ModelBackend` (Django's further
    /// `AUTHENTICATION_BACKENDS`, for example django-guardian's
    /// [`ObjectPermissionBackend`](crate::object_permission_backend::ObjectPermissionBackend));
    /// none by default.
    pub permission_backends: Vec<Arc<dyn crate::permission_backend::PermissionBackend>>,
    /// The largest request body the library's endpoints read (default 2.5 MiB, Django's
    /// `DATA_UPLOAD_MAX_MEMORY_SIZE`); larger bodies get 413.
    pub max_body_size: usize,
    /// Whether every user created through this library gets a DRF token at once (the
    /// `post_save` receiver DRF's documentation shows).
    pub create_token_on_user_creation: bool,
    /// `REST_KNOX`.
    #[cfg(feature = "knox")]
    #[cfg_attr(docsrs, doc(cfg(feature = "knox")))]
    pub knox: KnoxSettings,
    /// Django OAuth Toolkit's `OAUTH2_PROVIDER`, the resource server's keys.
    #[cfg(feature = "oauth2")]
    #[cfg_attr(docsrs, doc(cfg(feature = "oauth2")))]
    pub oauth2: OAuth2Settings,
    /// `SIMPLE_JWT`. `AuthSettings` sets simplejwt's defaults signing with `SECRET_KEY` when it
    /// is `None`, as simplejwt does.
    #[cfg(feature = "simplejwt")]
    #[cfg_attr(docsrs, doc(cfg(feature = "simplejwt")))]
    pub simple_jwt: Option<Arc<SimpleJwtSettings>>,
    /// dj-rest-auth's `REST_AUTH` `JWT_AUTH_*` settings: simplejwt's tokens in cookies (none by
    /// default).
    #[cfg(feature = "simplejwt")]
    #[cfg_attr(docsrs, doc(cfg(feature = "simplejwt")))]
    pub jwt_cookies: crate::dj_rest_auth::JwtCookieSettings,
    /// dj-rest-auth's `REST_AUTH` `USE_JWT` and `SESSION_LOGIN`: what its login and logout views
    /// do (token mode with a session login by default, as dj-rest-auth).
    #[cfg(feature = "simplejwt")]
    #[cfg_attr(docsrs, doc(cfg(feature = "simplejwt")))]
    pub rest_auth: crate::dj_rest_auth::RestAuthSettings,
    /// `DEFAULT_THROTTLE_RATES`: scope → rate (`"100/day"`), or `None` for a scope that is never
    /// throttled. A scope without an entry is a configuration error when a throttle uses it.
    pub throttle_rates: BTreeMap<String, Option<String>>,
    /// `NUM_PROXIES`: how many trusted proxies append to `X-Forwarded-For`.
    pub num_proxies: Option<u32>,
    /// Admit requests while the throttle store is unreachable (default: refuse with 503).
    pub throttle_fail_open: bool,
    /// How long a throttle store call may take (default 1 s) before it counts as an outage.
    pub throttle_store_timeout: Duration,
    /// The longest a request's authentication, permission and throttle checks may take before
    /// it is answered 503 (default 10 s).
    pub authentication_timeout: Duration,
    /// `TIME_ZONE` (default `"UTC"`, what `startproject` writes; Django's own global default is
    /// `"America/Chicago"`): the zone of the naive local clock password-reset and activation
    /// tokens count their timestamp in. Checked against the IANA database with the `accounts`
    /// feature.
    pub time_zone: String,
    /// `PASSWORD_RESET_TIMEOUT` in seconds (default 259200, three days): how long a
    /// password-reset or activation token is valid.
    pub password_reset_timeout: i64,
    /// Django's email settings (`EMAIL_BACKEND`, `EMAIL_HOST`, … `DEFAULT_FROM_EMAIL`): how the
    /// account endpoints send their links.
    #[cfg(feature = "accounts")]
    #[cfg_attr(docsrs, doc(cfg(feature = "accounts")))]
    pub email: crate::django::email_settings::EmailSettings,
    /// The email templates (djoser's and allauth's by default; an application replaces them).
    #[cfg(feature = "accounts")]
    #[cfg_attr(docsrs, doc(cfg(feature = "accounts")))]
    pub mail_templates: Arc<crate::templated_mail::MailTemplates>,
    /// djoser's `DJOSER` settings.
    #[cfg(feature = "accounts")]
    #[cfg_attr(docsrs, doc(cfg(feature = "accounts")))]
    pub djoser: crate::djoser::DjoserSettings,
    /// Deny by default (on by default): every route of the app runs the project's default
    /// policy unless its handler declares its own or is `#[login_not_required]`, and the
    /// default permission, when none is configured, is `IsAuthenticated` rather than DRF's
    /// `AllowAny`. It is Django's `LoginRequiredMiddleware` guarantee in DRF's terms, enforced by
    /// auth-actix's `LoginRequiredMiddleware`; off, a handler without a declaration runs no
    /// policy and DRF's defaults apply unchanged.
    pub deny_by_default: bool,
}

impl Default for Settings {
    /// Django's and DRF's defaults, with no secret key (set one: [`validate`](Self::validate)
    /// refuses an empty key, as Django refuses to start).
    fn default() -> Self {
        Self {
            secret_key: SecretKey::default(),
            secret_key_fallbacks: Vec::new(),
            database_url: DEFAULT_DATABASE_URL.to_owned(),
            token_keyword: Cow::Borrowed("Token"),
            basic_realm: Cow::Borrowed("api"),
            unauthenticated_user: UnauthenticatedUser::Anonymous,
            unauthenticated_auth: AuthInfo::None,
            password_hashers: PasswordHashers::django_default(),
            remote_user_header: None,
            remote_user_create_unknown: true,
            secure_proxy_ssl_header: None,
            user_model: UserModel::default(),
            session_cookie: CookieSettings::django_session(),
            session_save_every_request: false,
            session_expire_at_browser_close: false,
            csrf_cookie: CookieSettings::django_csrf(),
            csrf_header_name: crate::django::csrf::DEFAULT_HEADER_NAME.to_owned(),
            csrf_use_sessions: false,
            password_validators:
                crate::django::password_validation::PasswordValidator::startproject_defaults(),
            csrf_trusted_origins: Vec::new(),
            allowed_hosts: DEFAULT_ALLOWED_HOSTS
                .iter()
                .map(|host| (*host).to_owned())
                .collect(),
            authentication_backends: vec![MODEL_BACKEND.to_owned()],
            permission_backends: Vec::new(),
            max_body_size: DEFAULT_MAX_BODY_SIZE,
            create_token_on_user_creation: false,
            #[cfg(feature = "knox")]
            knox: KnoxSettings::default(),
            #[cfg(feature = "oauth2")]
            oauth2: OAuth2Settings::default(),
            #[cfg(feature = "simplejwt")]
            simple_jwt: None,
            #[cfg(feature = "simplejwt")]
            jwt_cookies: crate::dj_rest_auth::JwtCookieSettings::default(),
            #[cfg(feature = "simplejwt")]
            rest_auth: crate::dj_rest_auth::RestAuthSettings::default(),
            // DRF's defaults (`user` and `anon` mapped to none) plus the login endpoints' scope.
            throttle_rates: [
                ("anon".to_owned(), None),
                ("user".to_owned(), None),
                (LOGIN_SCOPE.to_owned(), Some(DEFAULT_LOGIN_RATE.to_owned())),
            ]
            .into_iter()
            .collect(),
            num_proxies: None,
            throttle_fail_open: false,
            throttle_store_timeout: Duration::from_secs(1),
            authentication_timeout: Duration::from_secs(10),
            time_zone: "UTC".to_owned(),
            password_reset_timeout: 259_200,
            #[cfg(feature = "accounts")]
            email: crate::django::email_settings::EmailSettings::default(),
            #[cfg(feature = "accounts")]
            mail_templates: Arc::new(crate::templated_mail::MailTemplates::default()),
            #[cfg(feature = "accounts")]
            djoser: crate::djoser::DjoserSettings::default(),
            deny_by_default: true,
        }
    }
}

impl Settings {
    /// The project's `SIMPLE_JWT` (`AuthSettings` fills in simplejwt's defaults at start-up), or,
    /// for settings put together without it, the defaults signing with `SECRET_KEY`; a
    /// `SECRET_KEY` PyJWT refuses as an HMAC key is a server error (logged).
    #[cfg(feature = "simplejwt")]
    #[cfg_attr(docsrs, doc(cfg(feature = "simplejwt")))]
    pub fn simple_jwt_or_default(&self) -> Result<Arc<SimpleJwtSettings>, crate::error::ApiError> {
        match &self.simple_jwt {
            Some(configured) => Ok(Arc::clone(configured)),
            None => SimpleJwtSettings::new(self.secret_key.expose().as_bytes().to_vec())
                .map(Arc::new)
                .map_err(|error| {
                    tracing::error!(%error, "SECRET_KEY cannot sign simplejwt tokens: set SIMPLE_JWT");
                    crate::error::ApiError::new(crate::error::ErrorKind::ServerError)
                }),
        }
    }

    /// Refuses what Django or DRF would refuse at start-up: an empty `SECRET_KEY`, a token
    /// keyword that cannot be one `Authorization` field, a knox prefix over 10 characters.
    pub fn validate(&self) -> Result<(), SettingsError> {
        if self.secret_key.is_empty() {
            return Err(SettingsError::MissingSecretKey("SECRET_KEY".to_owned()));
        }
        if self.token_keyword.is_empty() || self.token_keyword.bytes().any(is_bytes_whitespace) {
            return Err(SettingsError::InvalidTokenKeyword);
        }
        #[cfg(feature = "knox")]
        if self.knox.token_prefix.chars().count() > MAXIMUM_TOKEN_PREFIX_LENGTH {
            return Err(SettingsError::IllegalTokenPrefixLength);
        }
        #[cfg(feature = "accounts")]
        self.password_reset_token_generator()
            .map_err(|error| SettingsError::TimeZone(error.0))?;
        Ok(())
    }

    /// Django's `default_token_generator` under these settings: `SECRET_KEY` with its
    /// fallbacks, `PASSWORD_RESET_TIMEOUT`, the clock of `TIME_ZONE`.
    #[cfg(feature = "accounts")]
    #[cfg_attr(docsrs, doc(cfg(feature = "accounts")))]
    pub fn password_reset_token_generator(
        &self,
    ) -> Result<
        crate::django::password_reset_token::PasswordResetTokenGenerator,
        crate::django::password_reset_token::UnknownTimeZone,
    > {
        crate::django::password_reset_token::PasswordResetTokenGenerator::new(
            self.secret_key.expose(),
            self.secret_key_fallback_texts()
                .into_iter()
                .map(str::to_owned)
                .collect(),
            self.password_reset_timeout,
            &self.time_zone,
        )
    }

    /// `DEFAULT_THROTTLE_RATES[scope]`: `None` when the scope has no entry (a configuration
    /// error), `Some(None)` when it is mapped to none (never throttled).
    pub fn throttle_rate(&self, scope: &str) -> Option<Option<&str>> {
        self.throttle_rates.get(scope).map(Option::as_deref)
    }

    /// The secret key's fallbacks as text, for the signing functions.
    pub(crate) fn secret_key_fallback_texts(&self) -> Vec<&str> {
        self.secret_key_fallbacks
            .iter()
            .map(SecretKey::expose)
            .collect()
    }
}

impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("Settings");
        debug
            .field("secret_key", &self.secret_key)
            .field("secret_key_fallbacks", &self.secret_key_fallbacks.len())
            .field("database_url", &"<redacted>")
            .field("token_keyword", &self.token_keyword)
            .field("basic_realm", &self.basic_realm)
            .field("unauthenticated_user", &self.unauthenticated_user)
            .field("password_hashers", &self.password_hashers)
            .field("remote_user_header", &self.remote_user_header)
            .field(
                "remote_user_create_unknown",
                &self.remote_user_create_unknown,
            )
            .field("secure_proxy_ssl_header", &self.secure_proxy_ssl_header)
            .field("user_model", &self.user_model)
            .field("session_cookie", &self.session_cookie)
            .field(
                "session_save_every_request",
                &self.session_save_every_request,
            )
            .field(
                "session_expire_at_browser_close",
                &self.session_expire_at_browser_close,
            )
            .field("csrf_cookie", &self.csrf_cookie)
            .field("csrf_header_name", &self.csrf_header_name)
            .field("csrf_use_sessions", &self.csrf_use_sessions)
            .field("password_validators", &self.password_validators)
            .field("csrf_trusted_origins", &self.csrf_trusted_origins)
            .field("allowed_hosts", &self.allowed_hosts)
            .field("authentication_backends", &self.authentication_backends)
            .field("permission_backends", &self.permission_backends)
            .field("max_body_size", &self.max_body_size)
            .field(
                "create_token_on_user_creation",
                &self.create_token_on_user_creation,
            )
            .field("time_zone", &self.time_zone)
            .field("password_reset_timeout", &self.password_reset_timeout);
        #[cfg(feature = "accounts")]
        debug
            .field("email", &self.email)
            .field("mail_templates", &self.mail_templates)
            .field("djoser", &self.djoser);
        #[cfg(feature = "knox")]
        debug.field("knox", &self.knox);
        #[cfg(feature = "oauth2")]
        debug.field("oauth2", &self.oauth2);
        #[cfg(feature = "simplejwt")]
        debug.field("simple_jwt", &self.simple_jwt);
        #[cfg(feature = "simplejwt")]
        debug.field("jwt_cookies", &self.jwt_cookies);
        #[cfg(feature = "simplejwt")]
        debug.field("rest_auth", &self.rest_auth);
        debug
            .field("throttle_rates", &self.throttle_rates)
            .field("num_proxies", &self.num_proxies)
            .field("throttle_fail_open", &self.throttle_fail_open)
            .field("throttle_store_timeout", &self.throttle_store_timeout)
            .field("authentication_timeout", &self.authentication_timeout)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_key() -> Settings {
        Settings {
            secret_key: "k".into(),
            ..Settings::default()
        }
    }

    #[test]
    fn defaults_are_djangos_and_drfs() {
        let settings = Settings::default();
        assert_eq!(settings.token_keyword, "Token");
        assert_eq!(settings.basic_realm, "api");
        assert_eq!(settings.session_cookie.name, "sessionid");
        assert_eq!(settings.csrf_cookie.name, "csrftoken");
        assert_eq!(settings.csrf_header_name, "HTTP_X_CSRFTOKEN");
        // Django's development list, not its `[]` (nothing allowed) nor our former `["*"]`.
        assert_eq!(settings.allowed_hosts, [".localhost", "127.0.0.1", "[::1]"]);
        assert!(settings.deny_by_default);
        assert_eq!(settings.authentication_backends, [MODEL_BACKEND]);
        assert_eq!(settings.max_body_size, 2_621_440);
        assert_eq!(settings.throttle_rate("user"), Some(None));
        assert_eq!(settings.throttle_rate("anon"), Some(None));
        assert_eq!(settings.throttle_rate("login"), Some(Some("10/min")));
        assert_eq!(settings.throttle_rate("uploads"), None);
        assert_eq!(
            settings.unauthenticated_user,
            UnauthenticatedUser::Anonymous
        );
        assert!(settings.unauthenticated_auth.is_none());
    }

    #[test]
    fn an_empty_secret_key_is_refused() {
        assert!(matches!(
            Settings::default().validate(),
            Err(SettingsError::MissingSecretKey(_))
        ));
        assert_eq!(with_key().validate(), Ok(()));
    }

    #[test]
    fn the_token_keyword_must_be_one_header_field() {
        for keyword in ["", "Api Key", "Key\u{b}", "Tab\t"] {
            let mut settings = with_key();
            settings.token_keyword = keyword.to_owned().into();
            assert_eq!(
                settings.validate(),
                Err(SettingsError::InvalidTokenKeyword),
                "{keyword:?}"
            );
        }
    }

    #[cfg(feature = "knox")]
    #[test]
    fn a_knox_prefix_over_ten_characters_is_refused() {
        let mut settings = with_key();
        settings.knox.token_prefix = "0123456789".into();
        assert_eq!(settings.validate(), Ok(()));
        settings.knox.token_prefix = "0123456789a".into();
        assert_eq!(
            settings.validate(),
            Err(SettingsError::IllegalTokenPrefixLength)
        );
    }

    #[test]
    fn debug_redacts_the_secrets_and_the_database_url() {
        let mut settings = with_key();
        settings.secret_key = "s3cret-value".into();
        settings.secret_key_fallbacks = vec!["0ld-s3cret".into()];
        settings.database_url = "postgres://user:pa55word@db/app".into();
        let shown = format!("{settings:?}");
        for secret in ["s3cret-value", "0ld-s3cret", "pa55word"] {
            assert!(!shown.contains(secret), "{shown}");
        }
    }
}
