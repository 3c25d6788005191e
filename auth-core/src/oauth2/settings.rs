//! DOT's `OAUTH2_PROVIDER` settings the resource server reads, with DOT's defaults except where
//! this library is safer by default (each such field says so).

/// The `OAUTH2_PROVIDER` keys of the resource server.
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
        }
    }
}
