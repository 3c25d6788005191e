//! The settings a file or the environment may set, by Django's and DRF's names, and what each
//! sets on the builder. A key not listed here is refused (`deny_unknown_fields`), which is how
//! a typo is caught.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use serde::Deserialize;
use serde::de::{self, Deserializer};

use super::origins::{Origins, SettingsFileError};
use crate::auth_settings::AuthSettingsBuilder;
use crate::django::hashers::Algorithm;
use crate::django::http::cookie::{CookieSettings, SameSite};
use crate::django::http::meta::header_name_to_http;
use crate::django::password_validation::PasswordValidator;
use crate::policy::{ImportStrings, PolicyDefaults};
use crate::settings::UnauthenticatedUser;
use crate::store::user::{AUTH_USER, InvalidUserModel, UserIdKind, UserModel};
use crate::throttling::Rate;

/// Text that is never shown: a wrong type is refused without echoing the value.
#[derive(Clone, Default, PartialEq, Eq)]
struct Secret(String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Text;
        impl de::Visitor<'_> for Text {
            type Value = Secret;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("text")
            }
            fn visit_str<E: de::Error>(self, value: &str) -> Result<Secret, E> {
                Ok(Secret(value.to_owned()))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Secret, E> {
                Err(E::custom("expected text (the value is not shown)"))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Secret, E> {
                Err(E::custom("expected text (the value is not shown)"))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Secret, E> {
                Err(E::custom("expected text (the value is not shown)"))
            }
        }
        deserializer.deserialize_str(Text)
    }
}

/// A value, or `false` for Python's `None`.
#[derive(Debug, Clone, PartialEq)]
enum OrNone<T> {
    Value(T),
    None,
}

impl<T> OrNone<T> {
    fn into_option(self) -> Option<T> {
        match self {
            Self::Value(value) => Some(value),
            Self::None => None,
        }
    }
}

impl<'de, T: de::DeserializeOwned> Deserialize<'de> for OrNone<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match toml::Value::deserialize(deserializer)? {
            toml::Value::Boolean(false) => Ok(Self::None),
            value => T::deserialize(value).map(Self::Value).map_err(|error| {
                de::Error::custom(format!("{} (or false for None)", error.message()))
            }),
        }
    }
}

/// Seconds as a number, for a `Duration`.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Seconds(Duration);

impl<'de> Deserialize<'de> for Seconds {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let seconds = f64::deserialize(deserializer)?;
        Duration::try_from_secs_f64(seconds)
            .map(Self)
            .map_err(|_| de::Error::custom("expected a number of seconds, zero or more"))
    }
}

/// The top level: Django's settings by name, the packages' dicts, and this library's settings.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "SCREAMING_SNAKE_CASE")]
pub(super) struct DjangoSettings {
    secret_key: Option<Secret>,
    secret_key_fallbacks: Option<Vec<Secret>>,
    allowed_hosts: Option<Vec<String>>,
    password_hashers: Option<Vec<String>>,
    auth_password_validators: Option<Vec<PasswordValidatorEntry>>,
    authentication_backends: Option<Vec<String>>,
    session_cookie_name: Option<String>,
    session_cookie_age: Option<i64>,
    session_cookie_domain: Option<OrNone<String>>,
    session_cookie_path: Option<String>,
    session_cookie_secure: Option<bool>,
    session_cookie_httponly: Option<bool>,
    session_cookie_samesite: Option<OrNone<String>>,
    session_save_every_request: Option<bool>,
    session_expire_at_browser_close: Option<bool>,
    csrf_cookie_name: Option<String>,
    csrf_cookie_age: Option<i64>,
    csrf_cookie_domain: Option<OrNone<String>>,
    csrf_cookie_path: Option<String>,
    csrf_cookie_secure: Option<bool>,
    csrf_cookie_httponly: Option<bool>,
    csrf_cookie_samesite: Option<OrNone<String>>,
    csrf_header_name: Option<String>,
    csrf_use_sessions: Option<bool>,
    csrf_trusted_origins: Option<Vec<String>>,
    secure_proxy_ssl_header: Option<OrNone<(String, String)>>,
    data_upload_max_memory_size: Option<usize>,
    time_zone: Option<String>,
    password_reset_timeout: Option<Seconds>,
    email_backend: Option<String>,
    email_host: Option<String>,
    email_port: Option<u16>,
    email_host_user: Option<String>,
    email_host_password: Option<Secret>,
    email_use_tls: Option<bool>,
    email_use_ssl: Option<bool>,
    email_ssl_certfile: Option<OrNone<PathBuf>>,
    email_ssl_keyfile: Option<OrNone<PathBuf>>,
    email_timeout: Option<OrNone<Seconds>>,
    email_file_path: Option<PathBuf>,
    default_from_email: Option<String>,
    // This library's: the database, the remote-user header, and what Django keeps elsewhere
    // (a class attribute, a middleware, a cache).
    database_url: Option<Secret>,
    database_password_file: Option<PathBuf>,
    auth_user_table: Option<String>,
    auth_username_field: Option<String>,
    auth_user_model: Option<String>,
    auth_user_pk_field: Option<String>,
    pbkdf2_iterations: Option<u32>,
    remote_user_header: Option<OrNone<String>>,
    remote_user_create_unknown_user: Option<bool>,
    token_keyword: Option<String>,
    basic_realm: Option<String>,
    create_token_on_user_creation: Option<bool>,
    auth_cache_ttl: Option<OrNone<Seconds>>,
    auth_cache_capacity: Option<usize>,
    throttle_fail_open: Option<bool>,
    throttle_store_timeout: Option<Seconds>,
    authentication_timeout: Option<Seconds>,
    hashing_threads: Option<usize>,
    deny_by_default: Option<bool>,
    login_url: Option<String>,
    email_ssl_cafile: Option<OrNone<PathBuf>>,
    // The packages' dicts.
    rest_framework: Option<RestFramework>,
    simple_jwt: Option<toml::Table>,
    rest_knox: Option<RestKnox>,
    rest_auth: Option<toml::Table>,
    oauth2_provider: Option<toml::Table>,
}

/// One `AUTH_PASSWORD_VALIDATORS` entry: `{ NAME = "…", OPTIONS = { … } }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "SCREAMING_SNAKE_CASE")]
struct PasswordValidatorEntry {
    name: String,
    #[serde(default)]
    options: serde_json::Map<String, serde_json::Value>,
}

/// DRF's `REST_FRAMEWORK`, the keys this library reads.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "SCREAMING_SNAKE_CASE")]
struct RestFramework {
    default_authentication_classes: Option<Vec<String>>,
    default_permission_classes: Option<Vec<String>>,
    default_throttle_classes: Option<Vec<String>>,
    default_renderer_classes: Option<Vec<String>>,
    default_throttle_rates: Option<BTreeMap<String, OrNone<String>>>,
    num_proxies: Option<OrNone<u32>>,
    unauthenticated_user: Option<OrNone<String>>,
}

/// django-rest-knox's `REST_KNOX`, the keys this library reads.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "SCREAMING_SNAKE_CASE")]
#[cfg_attr(not(feature = "knox"), allow(dead_code))]
struct RestKnox {
    token_ttl: Option<OrNone<i64>>,
    auto_refresh: Option<bool>,
    auto_refresh_max_ttl: Option<OrNone<i64>>,
    min_refresh_interval: Option<i64>,
    token_limit_per_user: Option<OrNone<u64>>,
    token_prefix: Option<String>,
    auth_header_prefix: Option<String>,
    auth_token_character_length: Option<usize>,
}

/// Django's `AnonymousUser` path, the only class `UNAUTHENTICATED_USER` may name.
const ANONYMOUS_USER: &str = "django.contrib.auth.models.AnonymousUser";

/// Django's cookie `SameSite` values.
fn same_site(value: OrNone<String>) -> Result<Option<SameSite>, String> {
    match value {
        OrNone::None => Ok(None),
        OrNone::Value(text) => match text.as_str() {
            "Lax" => Ok(Some(SameSite::Lax)),
            "Strict" => Ok(Some(SameSite::Strict)),
            "None" => Ok(Some(SameSite::None)),
            _ => Err("expected \"Lax\", \"Strict\", \"None\" or false".to_owned()),
        },
    }
}

/// Django's `*_COOKIE_*` settings over `cookie`.
#[allow(clippy::too_many_arguments)]
fn cookie(
    cookie: &mut CookieSettings,
    prefix: &str,
    origins: &Origins,
    name: Option<String>,
    age: Option<i64>,
    domain: Option<OrNone<String>>,
    path: Option<String>,
    secure: Option<bool>,
    http_only: Option<bool>,
    samesite: Option<OrNone<String>>,
) -> Result<(), SettingsFileError> {
    if let Some(name) = name {
        cookie.name = name;
    }
    if let Some(age) = age {
        cookie.age = age;
    }
    if let Some(domain) = domain {
        cookie.domain = domain.into_option();
    }
    if let Some(path) = path {
        cookie.path = path;
    }
    if let Some(secure) = secure {
        cookie.secure = secure;
    }
    if let Some(http_only) = http_only {
        cookie.http_only = http_only;
    }
    if let Some(samesite) = samesite {
        cookie.same_site = same_site(samesite)
            .map_err(|message| origins.error(&format!("{prefix}_COOKIE_SAMESITE"), message))?;
    }
    Ok(())
}

impl DjangoSettings {
    /// The settings over `builder`.
    pub(super) fn apply(
        self,
        mut builder: AuthSettingsBuilder,
        names: &ImportStrings,
        origins: &Origins,
    ) -> Result<AuthSettingsBuilder, SettingsFileError> {
        if let Some(Secret(key)) = self.secret_key {
            builder = builder.secret_key(key);
        }
        if let Some(keys) = self.secret_key_fallbacks {
            builder = builder.secret_key_fallbacks(keys.into_iter().map(|Secret(key)| key));
        }
        if let Some(Secret(url)) = self.database_url {
            builder = builder.database_url(url);
        }
        if let Some(path) = self.database_password_file {
            builder = builder.database_password_file(path);
        }
        if self.auth_user_table.is_some()
            || self.auth_username_field.is_some()
            || self.auth_user_model.is_some()
            || self.auth_user_pk_field.is_some()
        {
            // Without AUTH_USER_TABLE, the table Django makes for AUTH_USER_MODEL by default.
            let table = match (self.auth_user_table, &self.auth_user_model) {
                (Some(table), _) => table,
                (None, Some(model)) => UserModel::default_table(model).ok_or_else(|| {
                    origins.error(
                        "AUTH_USER_MODEL",
                        format!("{model:?} is not \"app_label.ModelName\""),
                    )
                })?,
                (None, None) => AUTH_USER.table().to_owned(),
            };
            let field = self
                .auth_username_field
                .unwrap_or_else(|| AUTH_USER.username_field().to_owned());
            let mut model = UserModel::new(table, field).map_err(|error| {
                let key = match error {
                    InvalidUserModel::Table(_) => "AUTH_USER_TABLE",
                    _ => "AUTH_USERNAME_FIELD",
                };
                origins.error(key, error.to_string())
            })?;
            if let Some(auth_user_model) = &self.auth_user_model {
                model = model
                    .with_auth_user_model(auth_user_model)
                    .map_err(|error| origins.error("AUTH_USER_MODEL", error.to_string()))?;
            }
            if let Some(field) = &self.auth_user_pk_field {
                let kind = UserIdKind::from_field_class(field).ok_or_else(|| {
                    origins.error(
                        "AUTH_USER_PK_FIELD",
                        format!(
                            "{field:?}: expected the primary key's field class, \"AutoField\", \
                             \"BigAutoField\", \"SmallAutoField\" or \"UUIDField\""
                        ),
                    )
                })?;
                model = model.with_id_kind(kind);
            }
            builder = builder.user_model(model);
        }
        if let Some(hosts) = self.allowed_hosts {
            builder = builder.allowed_hosts(hosts);
        }
        if let Some(hashers) = self.password_hashers {
            let algorithms = hashers
                .iter()
                .map(|path| Algorithm::from_hasher_path(path))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|message| origins.error("PASSWORD_HASHERS", message))?;
            builder = builder.password_hashers(algorithms);
        }
        if let Some(entries) = self.auth_password_validators {
            let validators = entries
                .iter()
                .map(|entry| PasswordValidator::from_config(&entry.name, &entry.options))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|error| origins.error("AUTH_PASSWORD_VALIDATORS", error.to_string()))?;
            builder = builder.password_validators(validators);
        }
        if let Some(iterations) = self.pbkdf2_iterations {
            builder = builder.pbkdf2_iterations(iterations);
        }
        if let Some(backends) = self.authentication_backends {
            builder = builder.authentication_backends(backends);
        }
        let settings = builder.settings_mut();
        cookie(
            &mut settings.session_cookie,
            "SESSION",
            origins,
            self.session_cookie_name,
            self.session_cookie_age,
            self.session_cookie_domain,
            self.session_cookie_path,
            self.session_cookie_secure,
            self.session_cookie_httponly,
            self.session_cookie_samesite,
        )?;
        cookie(
            &mut settings.csrf_cookie,
            "CSRF",
            origins,
            self.csrf_cookie_name,
            self.csrf_cookie_age,
            self.csrf_cookie_domain,
            self.csrf_cookie_path,
            self.csrf_cookie_secure,
            self.csrf_cookie_httponly,
            self.csrf_cookie_samesite,
        )?;
        if let Some(save) = self.session_save_every_request {
            settings.session_save_every_request = save;
        }
        if let Some(at_close) = self.session_expire_at_browser_close {
            settings.session_expire_at_browser_close = at_close;
        }
        if let Some(name) = self.csrf_header_name {
            settings.csrf_header_name = name;
        }
        if let Some(in_session) = self.csrf_use_sessions {
            settings.csrf_use_sessions = in_session;
        }
        if let Some(origins_list) = self.csrf_trusted_origins {
            settings.csrf_trusted_origins = origins_list;
        }
        if let Some(header) = self.secure_proxy_ssl_header {
            // Django names the header as `request.META` does (`HTTP_X_FORWARDED_PROTO`); the
            // setting here holds the header's own name.
            settings.secure_proxy_ssl_header = match header.into_option() {
                None => None,
                Some((meta, value)) => {
                    let name = header_name_to_http(&meta).ok_or_else(|| {
                        origins.error(
                            "SECURE_PROXY_SSL_HEADER",
                            format!(
                                "{meta:?} is not a request header as Django names them \
                                 (HTTP_X_FORWARDED_PROTO for X-Forwarded-Proto)"
                            ),
                        )
                    })?;
                    Some((name, value))
                }
            };
        }
        if let Some(size) = self.data_upload_max_memory_size {
            settings.max_body_size = size;
        }
        if let Some(header) = self.remote_user_header {
            // Django's `RemoteUserMiddleware.header` form (`HTTP_X_REMOTE_USER`) or the header's
            // own name (`X-Remote-User`).
            settings.remote_user_header = header
                .into_option()
                .map(|name| header_name_to_http(&name).unwrap_or(name));
        }
        if let Some(create) = self.remote_user_create_unknown_user {
            settings.remote_user_create_unknown = create;
        }
        if let Some(keyword) = self.token_keyword {
            settings.token_keyword = keyword.into();
        }
        if let Some(realm) = self.basic_realm {
            settings.basic_realm = realm.into();
        }
        if let Some(create) = self.create_token_on_user_creation {
            settings.create_token_on_user_creation = create;
        }
        if let Some(fail_open) = self.throttle_fail_open {
            settings.throttle_fail_open = fail_open;
        }
        if let Some(Seconds(timeout)) = self.throttle_store_timeout {
            settings.throttle_store_timeout = timeout;
        }
        if let Some(Seconds(timeout)) = self.authentication_timeout {
            settings.authentication_timeout = timeout;
        }
        if let Some(zone) = self.time_zone {
            settings.time_zone = zone;
        }
        if let Some(Seconds(timeout)) = self.password_reset_timeout {
            settings.password_reset_timeout = i64::try_from(timeout.as_secs())
                .map_err(|_| origins.error("PASSWORD_RESET_TIMEOUT", "too large".to_owned()))?;
        }
        #[cfg(feature = "accounts")]
        {
            let email = &mut settings.email;
            if let Some(path) = self.email_backend {
                email.backend =
                    crate::django::email_settings::EmailBackendName::from_import_path(&path)
                        .ok_or_else(|| {
                            origins.error(
                                "EMAIL_BACKEND",
                                format!(
                                    "{path:?} is none of Django's backends (smtp, console, \
                                     filebased, locmem, dummy): give another to \
                                     AuthSettingsBuilder::email_backend"
                                ),
                            )
                        })?;
            }
            if let Some(host) = self.email_host {
                email.host = host;
            }
            if let Some(port) = self.email_port {
                email.port = port;
            }
            if let Some(user) = self.email_host_user {
                email.host_user = user;
            }
            if let Some(Secret(password)) = self.email_host_password {
                email.host_password = password;
            }
            if let Some(tls) = self.email_use_tls {
                email.use_tls = tls;
            }
            if let Some(ssl) = self.email_use_ssl {
                email.use_ssl = ssl;
            }
            if let Some(path) = self.email_ssl_certfile {
                email.ssl_certfile = path.into_option();
            }
            if let Some(path) = self.email_ssl_keyfile {
                email.ssl_keyfile = path.into_option();
            }
            if let Some(path) = self.email_ssl_cafile {
                email.ssl_cafile = path.into_option();
            }
            if let Some(timeout) = self.email_timeout {
                email.timeout = timeout.into_option().map(|Seconds(timeout)| timeout);
            }
            if let Some(path) = self.email_file_path {
                email.file_path = Some(path);
            }
            if let Some(from) = self.default_from_email {
                email.default_from_email = from;
            }
        }
        #[cfg(not(feature = "accounts"))]
        if self.email_backend.is_some()
            || self.email_host.is_some()
            || self.email_port.is_some()
            || self.email_host_user.is_some()
            || self.email_host_password.is_some()
            || self.email_use_tls.is_some()
            || self.email_use_ssl.is_some()
            || self.email_ssl_certfile.is_some()
            || self.email_ssl_keyfile.is_some()
            || self.email_ssl_cafile.is_some()
            || self.email_timeout.is_some()
            || self.email_file_path.is_some()
            || self.default_from_email.is_some()
        {
            return Err(origins.error(
                "EMAIL_BACKEND",
                "the email settings need the `accounts` feature".to_owned(),
            ));
        }
        if let Some(deny) = self.deny_by_default {
            settings.deny_by_default = deny;
        }
        if let Some(ttl) = self.auth_cache_ttl {
            builder = match ttl.into_option() {
                Some(Seconds(ttl)) => builder.auth_cache_ttl(ttl),
                None => builder.auth_cache_off(),
            };
        }
        if let Some(capacity) = self.auth_cache_capacity {
            builder = builder.auth_cache_capacity(capacity);
        }
        if let Some(threads) = self.hashing_threads {
            builder = builder.hashing_threads(threads);
        }
        if let Some(rest_framework) = self.rest_framework {
            builder = rest_framework.apply(builder, names, origins)?;
        }
        if let Some(knox) = self.rest_knox {
            builder = knox.apply(builder, origins)?;
        }
        if let Some(simple_jwt) = self.simple_jwt {
            builder = simple_jwt_settings(builder, simple_jwt, origins)?;
        }
        if let Some(rest_auth) = self.rest_auth {
            builder = rest_auth_settings(builder, rest_auth, origins)?;
        }
        if let Some(oauth2) = self.oauth2_provider {
            builder = oauth2_provider_settings(builder, oauth2, origins)?;
        }
        if let Some(login_url) = self.login_url {
            builder = login_url_setting(builder, login_url, origins)?;
        }
        Ok(builder)
    }
}

impl RestFramework {
    fn apply(
        self,
        mut builder: AuthSettingsBuilder,
        names: &ImportStrings,
        origins: &Origins,
    ) -> Result<AuthSettingsBuilder, SettingsFileError> {
        let key = |name: &str| format!("REST_FRAMEWORK.{name}");
        let mut defaults = PolicyDefaults::new();
        let mut policy = false;
        if let Some(classes) = self.default_authentication_classes {
            let setting = "DEFAULT_AUTHENTICATION_CLASSES";
            let list = names
                .authentication_classes(setting, &classes)
                .map_err(|error| origins.error(&key(setting), error.to_string()))?;
            defaults = defaults.shared_authentication(list);
            policy = true;
        }
        if let Some(classes) = self.default_permission_classes {
            let setting = "DEFAULT_PERMISSION_CLASSES";
            let list = names
                .permission_classes(setting, &classes)
                .map_err(|error| origins.error(&key(setting), error.to_string()))?;
            defaults = defaults.shared_permissions(list);
            policy = true;
        }
        if let Some(classes) = self.default_throttle_classes {
            let setting = "DEFAULT_THROTTLE_CLASSES";
            let list = names
                .throttle_classes(setting, &classes)
                .map_err(|error| origins.error(&key(setting), error.to_string()))?;
            defaults = defaults.shared_throttles(list);
            policy = true;
        }
        if let Some(classes) = self.default_renderer_classes {
            let setting = "DEFAULT_RENDERER_CLASSES";
            let list = names
                .renderer_classes(setting, &classes)
                .map_err(|error| origins.error(&key(setting), error.to_string()))?
                .ok_or_else(|| {
                    origins.error(
                        &key(setting),
                        "names no renderer this library serves (the browsable API is not \
                         served): add \"rest_framework.renderers.JSONRenderer\""
                            .to_owned(),
                    )
                })?;
            if list.has_unserved() {
                tracing::warn!(
                    setting = %key(setting),
                    "BrowsableAPIRenderer is listed but not served: a request accepting only \
                     text/html gets 406 where DRF shows its HTML page"
                );
            }
            defaults = defaults.shared_renderers(list);
            policy = true;
        }
        if policy {
            builder = builder.defaults(defaults);
        }
        if let Some(rates) = self.default_throttle_rates {
            for (scope, rate) in rates {
                builder = match rate.into_option() {
                    Some(rate) => {
                        Rate::parse(&rate).map_err(|error| {
                            origins
                                .error(&key("DEFAULT_THROTTLE_RATES"), format!("{scope}: {error}"))
                        })?;
                        builder.throttle_rate(scope, rate)
                    }
                    None => builder.throttle_rate_none(scope),
                };
            }
        }
        if let Some(proxies) = self.num_proxies {
            builder.settings_mut().num_proxies = proxies.into_option();
        }
        if let Some(user) = self.unauthenticated_user {
            let user = match user {
                OrNone::None => UnauthenticatedUser::None,
                OrNone::Value(path) if path == ANONYMOUS_USER => UnauthenticatedUser::Anonymous,
                OrNone::Value(_) => {
                    return Err(origins.error(
                        &key("UNAUTHENTICATED_USER"),
                        format!("expected \"{ANONYMOUS_USER}\" or false"),
                    ));
                }
            };
            builder = builder.unauthenticated_user(user);
        }
        Ok(builder)
    }
}

impl RestKnox {
    #[cfg(feature = "knox")]
    fn apply(
        self,
        builder: AuthSettingsBuilder,
        _origins: &Origins,
    ) -> Result<AuthSettingsBuilder, SettingsFileError> {
        let mut knox = crate::knox::KnoxSettings::default();
        if let Some(ttl) = self.token_ttl {
            knox.token_ttl = ttl.into_option().map(chrono::TimeDelta::seconds);
        }
        if let Some(refresh) = self.auto_refresh {
            knox.auto_refresh = refresh;
        }
        if let Some(ttl) = self.auto_refresh_max_ttl {
            knox.auto_refresh_max_ttl = ttl.into_option().map(chrono::TimeDelta::seconds);
        }
        if let Some(interval) = self.min_refresh_interval {
            knox.min_refresh_interval = interval;
        }
        if let Some(limit) = self.token_limit_per_user {
            knox.token_limit_per_user = limit.into_option();
        }
        if let Some(prefix) = self.token_prefix {
            knox.token_prefix = prefix;
        }
        if let Some(prefix) = self.auth_header_prefix {
            knox.auth_header_prefix = prefix;
        }
        if let Some(length) = self.auth_token_character_length {
            knox.token_character_length = length;
        }
        Ok(builder.knox(knox))
    }

    #[cfg(not(feature = "knox"))]
    fn apply(
        self,
        _builder: AuthSettingsBuilder,
        origins: &Origins,
    ) -> Result<AuthSettingsBuilder, SettingsFileError> {
        Err(origins.error("REST_KNOX", "this build has no `knox` feature"))
    }
}

/// TOML as the JSON the packages' settings readers take.
#[cfg(any(feature = "simplejwt", feature = "oauth2"))]
fn json(table: toml::Table) -> serde_json::Value {
    // Serialising TOML's values to JSON cannot fail (no non-string keys); a date-time, which no
    // setting takes, becomes its text and is refused by the reader.
    serde_json::to_value(table).unwrap_or(serde_json::Value::Null)
}

/// DOT's `OAUTH2_PROVIDER`, read by
/// [`OAuth2Settings::from_oauth2_provider`](crate::oauth2::OAuth2Settings::from_oauth2_provider)
/// (`SCOPES` keeps the file's order: it is the order `__all__` grants the scopes in).
#[cfg(feature = "oauth2")]
fn oauth2_provider_settings(
    builder: AuthSettingsBuilder,
    table: toml::Table,
    origins: &Origins,
) -> Result<AuthSettingsBuilder, SettingsFileError> {
    crate::oauth2::OAuth2Settings::from_oauth2_provider(&json(table))
        .map(|settings| builder.oauth2(settings))
        .map_err(|error| origins.error("OAUTH2_PROVIDER", error.to_string()))
}

/// Django's `LOGIN_URL`: where DOT's authorization step sends anonymous users.
#[cfg(feature = "oauth2")]
fn login_url_setting(
    builder: AuthSettingsBuilder,
    login_url: String,
    _origins: &Origins,
) -> Result<AuthSettingsBuilder, SettingsFileError> {
    let mut oauth2 = builder.settings().oauth2.clone();
    oauth2.login_url = login_url;
    Ok(builder.oauth2(oauth2))
}

#[cfg(not(feature = "oauth2"))]
fn login_url_setting(
    _builder: AuthSettingsBuilder,
    _login_url: String,
    origins: &Origins,
) -> Result<AuthSettingsBuilder, SettingsFileError> {
    Err(origins.error(
        "LOGIN_URL",
        "this build has no `oauth2` feature (its only reader)",
    ))
}

#[cfg(not(feature = "oauth2"))]
fn oauth2_provider_settings(
    _builder: AuthSettingsBuilder,
    _table: toml::Table,
    origins: &Origins,
) -> Result<AuthSettingsBuilder, SettingsFileError> {
    Err(origins.error("OAUTH2_PROVIDER", "this build has no `oauth2` feature"))
}

#[cfg(feature = "simplejwt")]
fn simple_jwt_settings(
    builder: AuthSettingsBuilder,
    table: toml::Table,
    origins: &Origins,
) -> Result<AuthSettingsBuilder, SettingsFileError> {
    let secret = builder.settings().secret_key.expose().as_bytes().to_vec();
    crate::simplejwt::SimpleJwtSettings::from_simple_jwt(&json(table), &secret)
        .map(|settings| builder.simple_jwt(settings))
        .map_err(|error| origins.error("SIMPLE_JWT", error.to_string()))
}

#[cfg(not(feature = "simplejwt"))]
fn simple_jwt_settings(
    _builder: AuthSettingsBuilder,
    _table: toml::Table,
    origins: &Origins,
) -> Result<AuthSettingsBuilder, SettingsFileError> {
    Err(origins.error("SIMPLE_JWT", "this build has no `simplejwt` feature"))
}

#[cfg(feature = "simplejwt")]
fn rest_auth_settings(
    builder: AuthSettingsBuilder,
    table: toml::Table,
    origins: &Origins,
) -> Result<AuthSettingsBuilder, SettingsFileError> {
    let value = json(table);
    let refused = |error: crate::dj_rest_auth::JwtCookieSettingsError| {
        origins.error("REST_AUTH", error.to_string())
    };
    let cookies =
        crate::dj_rest_auth::JwtCookieSettings::from_rest_auth(&value).map_err(refused)?;
    let modes = crate::dj_rest_auth::RestAuthSettings::from_rest_auth(&value).map_err(refused)?;
    Ok(builder.jwt_cookies(cookies).rest_auth(modes))
}

#[cfg(not(feature = "simplejwt"))]
fn rest_auth_settings(
    _builder: AuthSettingsBuilder,
    _table: toml::Table,
    origins: &Origins,
) -> Result<AuthSettingsBuilder, SettingsFileError> {
    Err(origins.error("REST_AUTH", "this build has no `simplejwt` feature"))
}
