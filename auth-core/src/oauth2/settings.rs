//! DOT's `OAUTH2_PROVIDER` settings the resource server and the provider endpoints read, with
//! DOT's defaults except where this library is safer by default (each such field says so).

use std::path::PathBuf;
use std::time::Duration;

use super::protected_resource::ProtectedResourceMetadata;
use super::resource_server::{IntrospectionCredentials, RemoteIntrospection};

/// The `OAUTH2_PROVIDER` keys of the resource server and of the provider endpoints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuth2Settings {
    /// `READ_SCOPE` (default `read`): what `TokenHasReadWriteScope` and `TokenHasResourceScope`
    /// require of a safe method.
    pub read_scope: String,
    /// `WRITE_SCOPE` (default `write`): what they require of any other method.
    pub write_scope: String,
    /// `ERROR_RESPONSE_WITH_SCOPES` (default false): a scope permission's 403 body names the
    /// scopes it required (`{"detail":…,"required_scopes":[…]}`).
    pub error_response_with_scopes: bool,
    /// `COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT`. **True by default here** (DOT 3.4.1: false,
    /// "scheduled to flip in 4.0"): a request with an `access_token` field in its query string is
    /// not authenticated by `OAuth2Authentication` (RFC 9700 §4.3.2: a token in a URI leaks into
    /// logs and `Referer`). False accepts it, as DOT 3.4.1 does. A token in a form body is read
    /// either way when no `Authorization` header is sent, as DOT reads it.
    pub compliant_bcp_rfc9700_access_token_transport: bool,
    /// Whether a token of an inactive user authenticates. **False by default here**: DOT never
    /// looks at `is_active`, so deactivating a user leaves their tokens working until they
    /// expire; here such a token is refused as invalid. True is DOT's behaviour.
    pub authenticate_inactive_users: bool,
    /// `SCOPES`: each scope's description (default DOT's `read` and `write`), for the OpenAPI
    /// document's OAuth 2 flows; a scope a view requires that is not here is described by its
    /// name.
    pub scopes: Vec<(String, String)>,
    /// Where the provider's token and authorization endpoints are, for the OpenAPI document
    /// (default DOT's conventional `/o/token/` and `/o/authorize/`; not DOT settings: DOT's
    /// URLs are wherever its `urls.py` is included).
    pub token_url: String,
    /// See [`token_url`](Self::token_url).
    pub authorization_url: String,
    /// `ACCESS_TOKEN_EXPIRE_SECONDS` (default 36000): an issued access token's lifetime, and
    /// the `expires_in` the token endpoint answers.
    pub access_token_expire_seconds: i64,
    /// `REFRESH_TOKEN_EXPIRE_SECONDS` (default none): a refresh token is refused this long after
    /// its access token expired (and `cleartokens` removes it).
    pub refresh_token_expire: Option<Duration>,
    /// `AUTHORIZATION_CODE_EXPIRE_SECONDS` (default 60): an authorization code's lifetime.
    pub authorization_code_expire_seconds: i64,
    /// `ROTATE_REFRESH_TOKEN` (default true): a refresh gives a new refresh token and revokes
    /// the old one; false keeps the refresh token and renews its access token in place.
    pub rotate_refresh_token: bool,
    /// `REFRESH_TOKEN_GRACE_PERIOD_SECONDS` (default 0): for this long after a rotation, the old
    /// refresh token answers again with the pair its rotation issued (a client that lost the
    /// response can retry).
    pub refresh_token_grace_period: Duration,
    /// `REFRESH_TOKEN_REUSE_PROTECTION` (default false): a revoked refresh token presented
    /// again revokes its whole family (every refresh token descended from the same grant, and
    /// their access tokens).
    pub refresh_token_reuse_protection: bool,
    /// `DEFAULT_SCOPES` (default `["__all__"]`, every scope of [`scopes`](Self::scopes)): what a
    /// token request that names no scope is granted.
    pub default_scopes: Vec<String>,
    /// `COMPLIANT_BCP_RFC9700_TOKEN_STORAGE` (default false, as DOT): issued tokens are stored
    /// as their SHA-256 checksum only, the `token` column left empty. Rows stored either way
    /// are read either way.
    pub compliant_bcp_rfc9700_token_storage: bool,
    /// `COMPLIANT_BCP_RFC9700_PASSWORD_GRANT` (default false, as DOT): the resource-owner
    /// password grant is refused, even to applications registered for it.
    pub compliant_bcp_rfc9700_password_grant: bool,
    /// `PKCE_REQUIRED` (default true): the authorization-code grant needs a PKCE challenge.
    pub pkce_required: bool,
    /// Whether the password grant checks the user's credentials before whether the client may
    /// use the grant, as DOT does. **False by default here**: DOT's order lets any confidential
    /// client test passwords (`invalid_grant` for a wrong one, `unauthorized_client` for a right
    /// one); here a client not registered for the password grant is refused before any
    /// password is looked at.
    pub check_user_before_grant_type: bool,
    /// `ALLOWED_REDIRECT_URI_SCHEMES` (default `http`, `https`): the schemes the authorization
    /// step redirects to (another is Django's `DisallowedRedirect`, a 400).
    pub allowed_redirect_uri_schemes: Vec<String>,
    /// `REQUEST_APPROVAL_PROMPT` (default `force`): `auto` skips the consent page when the user
    /// already has a live token of the application covering the scopes asked (a request's
    /// `approval_prompt` overrides it).
    pub request_approval_prompt: String,
    /// Django's `LOGIN_URL` (default `/accounts/login/`): where the authorization step sends an
    /// anonymous user, with `next`.
    pub login_url: String,
    /// Whether a client may authenticate with an empty secret, as DOT allows. **False by
    /// default here**: a confidential client whose stored secret is the hash of `""` does not
    /// authenticate with an empty one, and a public client may not use the client-credentials
    /// grant (RFC 6749 §4.4: confidential clients only).
    pub accept_empty_client_secrets: bool,
    /// `RESOURCE_SERVER_INTROSPECTION_URL` with its credentials and caching time (default
    /// none): a token missing here, or expired here, is asked about at this RFC 7662 endpoint
    /// of another authorization server, and stored when active.
    pub remote_introspection: Option<RemoteIntrospection>,
    /// RFC 9728: the `OAUTH2_PROTECTED_RESOURCE_*` settings of the metadata document, and
    /// where it is (`PROTECTED_RESOURCE_METADATA_URL`, this library's own).
    pub protected_resource: ProtectedResourceMetadata,
}

impl OAuth2Settings {
    /// The scopes a request naming none is granted: `DEFAULT_SCOPES`, where `__all__` stands
    /// for every scope of `SCOPES` (DOT's `SettingsScopes.get_default_scopes`).
    pub fn default_scope_names(&self) -> Vec<String> {
        if self.default_scopes.iter().any(|scope| scope == "__all__") {
            return self.scope_names();
        }
        self.default_scopes.clone()
    }

    /// `SCOPES`' names, in their order (DOT's `get_available_scopes`).
    pub fn scope_names(&self) -> Vec<String> {
        self.scopes.iter().map(|(name, _)| name.clone()).collect()
    }
}

impl Default for OAuth2Settings {
    fn default() -> Self {
        Self {
            read_scope: "read".to_owned(),
            write_scope: "write".to_owned(),
            error_response_with_scopes: false,
            compliant_bcp_rfc9700_access_token_transport: true,
            authenticate_inactive_users: false,
            scopes: vec![
                ("read".to_owned(), "Reading scope".to_owned()),
                ("write".to_owned(), "Writing scope".to_owned()),
            ],
            token_url: "/o/token/".to_owned(),
            authorization_url: "/o/authorize/".to_owned(),
            access_token_expire_seconds: 36_000,
            refresh_token_expire: None,
            authorization_code_expire_seconds: 60,
            rotate_refresh_token: true,
            refresh_token_grace_period: Duration::ZERO,
            refresh_token_reuse_protection: false,
            default_scopes: vec!["__all__".to_owned()],
            compliant_bcp_rfc9700_token_storage: false,
            compliant_bcp_rfc9700_password_grant: false,
            pkce_required: true,
            allowed_redirect_uri_schemes: vec!["http".to_owned(), "https".to_owned()],
            request_approval_prompt: "force".to_owned(),
            login_url: "/accounts/login/".to_owned(),
            check_user_before_grant_type: false,
            accept_empty_client_secrets: false,
            remote_introspection: None,
            protected_resource: ProtectedResourceMetadata::default(),
        }
    }
}

/// A refused `OAUTH2_PROVIDER` (the reason).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("OAUTH2_PROVIDER: {0}")]
pub struct OAuth2SettingsError(String);

impl OAuth2Settings {
    /// DOT's `OAUTH2_PROVIDER` dictionary as a JSON object of its setting names, over DOT's
    /// defaults (and this library's safer ones), with this library's own keys
    /// `AUTHENTICATE_INACTIVE_USERS`, `CHECK_USER_BEFORE_GRANT_TYPE` and
    /// `ACCEPT_EMPTY_CLIENT_SECRETS`, and the remote introspection client's
    /// `RESOURCE_SERVER_INTROSPECTION_TIMEOUT_SECONDS` and
    /// `RESOURCE_SERVER_INTROSPECTION_CA_CERTIFICATES` (see [`RemoteIntrospection`]).
    ///
    /// Refused, each with its reason: names this library does not read (a typo would otherwise
    /// be a silently ignored security setting), values of the wrong type, and a
    /// `DEFAULT_SCOPES` naming a scope `SCOPES` lacks (DOT's `ImproperlyConfigured`).
    pub fn from_oauth2_provider(value: &serde_json::Value) -> Result<Self, OAuth2SettingsError> {
        use serde_json::Value;

        let fail = |message: String| OAuth2SettingsError(message);
        let object = value
            .as_object()
            .ok_or_else(|| fail("must be a JSON object of setting names".to_owned()))?;
        let mut settings = Self::default();
        let mut introspection_url = None;
        let mut introspection_token = None;
        let mut introspection_credentials = None;
        let mut caching_seconds = RemoteIntrospection::DEFAULT_CACHING_SECONDS;
        let mut timeout = RemoteIntrospection::DEFAULT_TIMEOUT;
        let mut ca_certificates = None;
        let boolean = |name: &str, value: &Value| {
            value
                .as_bool()
                .ok_or_else(|| fail(format!("{name} must be true or false")))
        };
        let text = |name: &str, value: &Value| {
            value
                .as_str()
                .map(str::to_owned)
                .ok_or_else(|| fail(format!("{name} must be a string")))
        };
        // A lifetime beyond a thousand years cannot be added to a date: refused here rather than
        // on every request that would issue a token.
        let seconds = |name: &str, value: &Value| {
            value
                .as_i64()
                .filter(|seconds| seconds.unsigned_abs() <= 1_000 * 366 * 86_400)
                .ok_or_else(|| {
                    fail(format!(
                        "{name} must be a whole number of seconds, at most a thousand years"
                    ))
                })
        };
        let optional_text = |name: &str, value: &Value| match value {
            Value::Null => Ok(None),
            Value::String(text) if text.is_empty() => Ok(None),
            Value::String(text) => Ok(Some(text.clone())),
            _ => Err(fail(format!("{name} must be a string or null"))),
        };
        let texts = |name: &str, value: &Value| {
            value
                .as_array()
                .ok_or_else(|| fail(format!("{name} must be a list of strings")))?
                .iter()
                .map(|item| text(name, item))
                .collect::<Result<Vec<_>, _>>()
        };
        let duration = |name: &str, value: &Value| {
            u64::try_from(seconds(name, value)?)
                .map(Duration::from_secs)
                .map_err(|_| fail(format!("{name} must not be negative")))
        };
        for (name, value) in object {
            match name.as_str() {
                "READ_SCOPE" => settings.read_scope = text(name, value)?,
                "WRITE_SCOPE" => settings.write_scope = text(name, value)?,
                "ERROR_RESPONSE_WITH_SCOPES" => {
                    settings.error_response_with_scopes = boolean(name, value)?;
                }
                "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT" => {
                    settings.compliant_bcp_rfc9700_access_token_transport = boolean(name, value)?;
                }
                "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE" => {
                    settings.compliant_bcp_rfc9700_token_storage = boolean(name, value)?;
                }
                "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT" => {
                    settings.compliant_bcp_rfc9700_password_grant = boolean(name, value)?;
                }
                "AUTHENTICATE_INACTIVE_USERS" => {
                    settings.authenticate_inactive_users = boolean(name, value)?;
                }
                "CHECK_USER_BEFORE_GRANT_TYPE" => {
                    settings.check_user_before_grant_type = boolean(name, value)?;
                }
                "ACCEPT_EMPTY_CLIENT_SECRETS" => {
                    settings.accept_empty_client_secrets = boolean(name, value)?;
                }
                "SCOPES" => {
                    let scopes = value.as_object().ok_or_else(|| {
                        fail("SCOPES must map scope names to descriptions".into())
                    })?;
                    settings.scopes = scopes
                        .iter()
                        .map(|(scope, description)| Ok((scope.clone(), text(scope, description)?)))
                        .collect::<Result<_, OAuth2SettingsError>>()?;
                }
                "DEFAULT_SCOPES" => {
                    settings.default_scopes = value
                        .as_array()
                        .ok_or_else(|| fail("DEFAULT_SCOPES must be a list of scopes".into()))?
                        .iter()
                        .map(|scope| text("DEFAULT_SCOPES", scope))
                        .collect::<Result<_, _>>()?;
                }
                "ACCESS_TOKEN_EXPIRE_SECONDS" => {
                    settings.access_token_expire_seconds = seconds(name, value)?;
                }
                "AUTHORIZATION_CODE_EXPIRE_SECONDS" => {
                    settings.authorization_code_expire_seconds = seconds(name, value)?;
                }
                // `None` (and 0, which DOT treats as none) disable the idle expiry.
                "REFRESH_TOKEN_EXPIRE_SECONDS" => {
                    settings.refresh_token_expire = match value {
                        Value::Null => None,
                        other => Some(duration(name, other)?).filter(|age| !age.is_zero()),
                    };
                }
                "REFRESH_TOKEN_GRACE_PERIOD_SECONDS" => {
                    settings.refresh_token_grace_period = duration(name, value)?;
                }
                "REFRESH_TOKEN_REUSE_PROTECTION" => {
                    settings.refresh_token_reuse_protection = boolean(name, value)?;
                }
                "ROTATE_REFRESH_TOKEN" => settings.rotate_refresh_token = boolean(name, value)?,
                "PKCE_REQUIRED" => settings.pkce_required = boolean(name, value)?,
                "REQUEST_APPROVAL_PROMPT" => {
                    settings.request_approval_prompt = text(name, value)?;
                }
                "ALLOWED_REDIRECT_URI_SCHEMES" => {
                    settings.allowed_redirect_uri_schemes = value
                        .as_array()
                        .ok_or_else(|| fail(format!("{name} must be a list of schemes")))?
                        .iter()
                        .map(|scheme| text(name, scheme))
                        .collect::<Result<_, _>>()?;
                }
                // `None` and `""` are DOT's "not set" (it tests their truth).
                "RESOURCE_SERVER_INTROSPECTION_URL" => {
                    introspection_url = optional_text(name, value)?;
                }
                "RESOURCE_SERVER_AUTH_TOKEN" => {
                    introspection_token = optional_text(name, value)?;
                }
                "RESOURCE_SERVER_INTROSPECTION_CREDENTIALS" => {
                    introspection_credentials = match value {
                        Value::Null => None,
                        Value::Array(pair) if pair.is_empty() => None,
                        Value::Array(pair) => match pair.as_slice() {
                            [Value::String(id), Value::String(secret)] => {
                                Some((id.clone(), secret.clone()))
                            }
                            _ => {
                                return Err(fail(format!(
                                    "{name} must be a pair of strings (client_id, client_secret)"
                                )));
                            }
                        },
                        _ => {
                            return Err(fail(format!(
                                "{name} must be a pair of strings (client_id, client_secret)"
                            )));
                        }
                    };
                }
                "RESOURCE_SERVER_TOKEN_CACHING_SECONDS" => {
                    caching_seconds = seconds(name, value)?;
                }
                "RESOURCE_SERVER_INTROSPECTION_TIMEOUT_SECONDS" => {
                    timeout = value
                        .as_f64()
                        .filter(|seconds| *seconds > 0.0 && *seconds <= 60.0)
                        .map(Duration::from_secs_f64)
                        .ok_or_else(|| {
                            fail(format!(
                                "{name} must be a number of seconds, above 0, at most 60"
                            ))
                        })?;
                }
                "PROTECTED_RESOURCE_METADATA_URL" => {
                    let url = optional_text(name, value)?;
                    if url.as_deref().is_some_and(|url| {
                        !url.starts_with('/')
                            && !url.starts_with("https://")
                            && !url.starts_with("http://")
                    }) {
                        return Err(fail(format!(
                            "{name} must be a path (`/…`) or an absolute http(s) URL"
                        )));
                    }
                    settings.protected_resource.url = url;
                }
                "OAUTH2_PROTECTED_RESOURCE_IDENTIFIER" => {
                    settings.protected_resource.identifier = text(name, value)?;
                }
                "OAUTH2_PROTECTED_RESOURCE_AUTHORIZATION_SERVERS" => {
                    settings.protected_resource.authorization_servers = texts(name, value)?;
                }
                "OAUTH2_PROTECTED_RESOURCE_BEARER_METHODS_SUPPORTED" => {
                    settings.protected_resource.bearer_methods_supported = texts(name, value)?;
                }
                "OAUTH2_PROTECTED_RESOURCE_NAME" => {
                    settings.protected_resource.name = text(name, value)?;
                }
                "OAUTH2_PROTECTED_RESOURCE_DOCUMENTATION" => {
                    settings.protected_resource.documentation = text(name, value)?;
                }
                "OAUTH2_PROTECTED_RESOURCE_POLICY_URI" => {
                    settings.protected_resource.policy_uri = text(name, value)?;
                }
                "OAUTH2_PROTECTED_RESOURCE_TOS_URI" => {
                    settings.protected_resource.tos_uri = text(name, value)?;
                }
                "RESOURCE_SERVER_INTROSPECTION_CA_CERTIFICATES" => {
                    ca_certificates = optional_text(name, value)?.map(PathBuf::from);
                }
                // Deprecated in DOT 3.4.1; `exp` is a POSIX timestamp, so UTC is the only
                // reading that is right.
                "AUTHENTICATION_SERVER_EXP_TIME_ZONE" => {
                    if value.as_str() != Some("UTC") {
                        return Err(fail(format!(
                            "{name}: only \"UTC\" is supported (DOT deprecates the setting: \
                             `exp` is seconds since the epoch, in UTC by definition)"
                        )));
                    }
                }
                other => {
                    return Err(fail(format!("{other} is not a setting this library reads")));
                }
            }
        }
        let credentials = match (introspection_token, introspection_credentials) {
            (Some(token), _) => Some(IntrospectionCredentials::Token(token)),
            (None, Some((client_id, client_secret))) => Some(IntrospectionCredentials::Client {
                client_id,
                client_secret,
            }),
            (None, None) => None,
        };
        if let Some(url) = &introspection_url {
            check_introspection_url(url).map_err(fail)?;
        }
        if let Some(IntrospectionCredentials::Token(secret))
        | Some(IntrospectionCredentials::Client {
            client_secret: secret,
            ..
        }) = &credentials
            && secret.chars().any(|c| c.is_ascii_control() && c != '\t')
        {
            return Err(fail(
                "RESOURCE_SERVER_AUTH_TOKEN and the client secret of \
                 RESOURCE_SERVER_INTROSPECTION_CREDENTIALS cannot hold control characters \
                 (they go in an HTTP header)"
                    .to_owned(),
            ));
        }
        settings.remote_introspection = match (introspection_url, credentials) {
            (Some(url), Some(credentials)) => Some(RemoteIntrospection {
                url,
                credentials,
                caching_seconds,
                timeout,
                ca_certificates,
            }),
            (None, None) => None,
            // DOT ignores one without the other; a half-configured resource server is refused
            // here rather than left refusing every token it does not hold.
            (Some(_), None) => {
                return Err(fail(
                    "RESOURCE_SERVER_INTROSPECTION_URL needs RESOURCE_SERVER_AUTH_TOKEN or \
                     RESOURCE_SERVER_INTROSPECTION_CREDENTIALS"
                        .to_owned(),
                ));
            }
            (None, Some(_)) => {
                return Err(fail(
                    "RESOURCE_SERVER_AUTH_TOKEN and RESOURCE_SERVER_INTROSPECTION_CREDENTIALS \
                     need RESOURCE_SERVER_INTROSPECTION_URL"
                        .to_owned(),
                ));
            }
        };
        let available = settings.scope_names();
        if let Some(missing) = settings
            .default_scopes
            .iter()
            .find(|scope| *scope != "__all__" && !available.contains(scope))
        {
            return Err(fail(format!(
                "Defined DEFAULT_SCOPES not present in SCOPES ({missing})"
            )));
        }
        Ok(settings)
    }
}

/// `RESOURCE_SERVER_INTROSPECTION_URL`: an `http` or `https` URL with a host and no userinfo
/// (credentials belong in `RESOURCE_SERVER_AUTH_TOKEN` or `…_CREDENTIALS`, never in a URL that
/// logs and errors name).
fn check_introspection_url(url: &str) -> Result<(), String> {
    let parsed = crate::compat::python::urlsplit::urlsplit(url);
    let valid = parsed.is_some_and(|parts| {
        matches!(parts.scheme.to_ascii_lowercase().as_str(), "http" | "https")
            && !parts.netloc.is_empty()
            && !parts.netloc.contains('@')
    });
    if valid {
        Ok(())
    } else {
        Err(
            "RESOURCE_SERVER_INTROSPECTION_URL must be an http(s) URL with a host and no \
             user:password@ (the credentials have their own settings)"
                .to_owned(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dots_names_are_read_over_the_defaults() {
        let value = serde_json::json!({
            "SCOPES": {"write": "W", "read": "R", "introspection": "I"},
            "DEFAULT_SCOPES": ["read"],
            "ACCESS_TOKEN_EXPIRE_SECONDS": 60,
            "REFRESH_TOKEN_EXPIRE_SECONDS": null,
            "REFRESH_TOKEN_GRACE_PERIOD_SECONDS": 120,
            "ROTATE_REFRESH_TOKEN": false,
        });
        let settings = OAuth2Settings::from_oauth2_provider(&value).expect("valid");
        // SCOPES keeps its order: `__all__` expands in it.
        assert_eq!(settings.scope_names(), ["write", "read", "introspection"]);
        assert_eq!(settings.default_scope_names(), ["read"]);
        assert_eq!(settings.access_token_expire_seconds, 60);
        assert_eq!(
            settings.refresh_token_grace_period,
            Duration::from_secs(120)
        );
        assert!(!settings.rotate_refresh_token);
        assert_eq!(settings.refresh_token_expire, None);
        let all = OAuth2Settings::from_oauth2_provider(&serde_json::json!({})).expect("valid");
        assert_eq!(all.default_scope_names(), ["read", "write"]);
    }

    #[test]
    fn remote_introspection_is_on_with_a_url_and_credentials_the_token_first() {
        let both = serde_json::json!({
            "RESOURCE_SERVER_INTROSPECTION_URL": "https://as.example/o/introspect/",
            "RESOURCE_SERVER_AUTH_TOKEN": "tok",
            "RESOURCE_SERVER_INTROSPECTION_CREDENTIALS": ["id", "secret"],
            "RESOURCE_SERVER_TOKEN_CACHING_SECONDS": 60,
            "AUTHENTICATION_SERVER_EXP_TIME_ZONE": "UTC",
        });
        let remote = OAuth2Settings::from_oauth2_provider(&both)
            .expect("valid")
            .remote_introspection
            .expect("on");
        assert_eq!(
            remote.credentials,
            IntrospectionCredentials::Token("tok".into())
        );
        assert_eq!(remote.caching_seconds, 60);
        assert_eq!(remote.timeout, RemoteIntrospection::DEFAULT_TIMEOUT);
        // DOT tests truth: an empty token falls back to the client credentials; empty values
        // and null are "not set".
        let basic = serde_json::json!({
            "RESOURCE_SERVER_INTROSPECTION_URL": "https://as.example/",
            "RESOURCE_SERVER_AUTH_TOKEN": "",
            "RESOURCE_SERVER_INTROSPECTION_CREDENTIALS": ["id", "secret"],
        });
        let remote = OAuth2Settings::from_oauth2_provider(&basic)
            .expect("valid")
            .remote_introspection
            .expect("on");
        assert_eq!(remote.credentials.authorization(), "Basic aWQ6c2VjcmV0");
        let off = serde_json::json!({
            "RESOURCE_SERVER_INTROSPECTION_URL": null,
            "RESOURCE_SERVER_AUTH_TOKEN": "",
            "RESOURCE_SERVER_INTROSPECTION_CREDENTIALS": [],
        });
        assert_eq!(
            OAuth2Settings::from_oauth2_provider(&off)
                .expect("valid")
                .remote_introspection,
            None
        );
    }

    #[test]
    fn unknown_names_wrong_types_and_missing_default_scopes_are_refused() {
        for value in [
            serde_json::json!({"RESOURCE_SERVER_INTROSPECTION_URL": "https://u:p@as/o/introspect/",
                               "RESOURCE_SERVER_AUTH_TOKEN": "t"}),
            serde_json::json!({"RESOURCE_SERVER_INTROSPECTION_URL": "ftp://as/",
                               "RESOURCE_SERVER_AUTH_TOKEN": "t"}),
            serde_json::json!({"RESOURCE_SERVER_INTROSPECTION_URL": "https://as/",
                               "RESOURCE_SERVER_AUTH_TOKEN": "t\r\nX-Injected: 1"}),
            serde_json::json!({"RESOURCE_SERVER_INTROSPECTION_TIMEOUT_SECONDS": 61}),
            serde_json::json!({"PROTECTED_RESOURCE_METADATA_URL": "o/.well-known/x"}),
            serde_json::json!({"ACCESS_TOKEN_EXPIRE_SECOND": 5}),
            serde_json::json!({"ROTATE_REFRESH_TOKEN": "yes"}),
            serde_json::json!({"REFRESH_TOKEN_GRACE_PERIOD_SECONDS": -1}),
            serde_json::json!({"DEFAULT_SCOPES": ["admin"]}),
            serde_json::json!([]),
        ] {
            assert!(
                OAuth2Settings::from_oauth2_provider(&value).is_err(),
                "{value}"
            );
        }
    }
}
