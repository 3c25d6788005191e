//! DOT's strings (`oauth2_provider/oauth2_validators.py`,
//! `contrib/rest_framework/authentication.py` and `permissions.py`), defined once.

/// `OAuth2Authentication.www_authenticate_realm`.
pub const REALM: &str = "api";
/// The `error` of every refusal the resource server reports (RFC 6750 §3.1).
pub const INVALID_TOKEN: &str = "invalid_token";
/// No access token has the presented checksum (or its application is not usable).
pub const TOKEN_INVALID: &str = "The access token is invalid.";
/// `timezone.now() >= expires`.
pub const TOKEN_EXPIRED: &str = "The access token has expired.";
/// RFC 8707: the token is restricted to resources the request's URI is not under.
pub const TOKEN_NOT_FOR_RESOURCE: &str = "The access token is not valid for this resource.";
/// The member DOT adds to a scope permission's 403 body under `ERROR_RESPONSE_WITH_SCOPES`.
pub const REQUIRED_SCOPES: &str = "required_scopes";
/// The warning DOT logs (logger `oauth2_provider`) when `TokenHasScope` (and the permissions built
/// on it) sees a `request.auth` that is not an OAuth 2 token, then refuses (#1169).
pub const TOKEN_HAS_SCOPE_NEEDS_OAUTH2: &str = "TokenHasScope requires the \
     `oauth2_provider.contrib.rest_framework.OAuth2Authentication` authentication class to be used.";
/// The same warning of `TokenMatchesOASRequirements`.
pub const TOKEN_MATCHES_OAS_NEEDS_OAUTH2: &str = "TokenMatchesOASRequirements requires the \
     `oauth2_provider.contrib.rest_framework.OAuth2Authentication` authentication class to be used.";
/// `TokenMatchesOASRequirements`' warning for a method without alternatives (the method follows).
pub const NO_SCOPE_ALTERNATES: &str = "no scope alternates defined for method";
