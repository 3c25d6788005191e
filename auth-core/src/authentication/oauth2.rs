//! Django OAuth Toolkit's `OAuth2Authentication` (`oauth2_provider/contrib/rest_framework/
//! authentication.py`, DOT 3.4.1, through oauthlib 4.0.1's `BearerToken`): an access token
//! from `Authorization: Bearer …` (or an `access_token` parameter), looked up by its SHA-256
//! checksum in `oauth2_provider_accesstoken`.
//!
//! DOT's quirks, reproduced: a refused token is not an authentication failure — the scheme
//! returns `None`, so the body is DRF's "Authentication credentials were not provided." and the
//! reason is only in the challenge (`error="invalid_token",error_description="…"`); a
//! client-credentials token authenticates with `request.user` = `None`; the request's form body
//! is parsed on every request (DOT reads `request.POST`), so a malformed body is DRF's 400 or
//! 415 from authentication; a query string with an invalid percent escape is Django's 400 page
//! (oauthlib's `ValueError`, which DOT raises as `SuspiciousOperation`).
//!
//! Divergences, secure by default (see [`OAuth2Settings`](crate::oauth2::OAuth2Settings)): an
//! `access_token` in the query string refuses the request (DOT 3.4.1 reads it unless
//! `COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT`), and a token of an inactive user is invalid
//! (DOT does not look).

use std::borrow::Cow;
use std::sync::Arc;

use super::oauth2_authentication_server::{self, Found};
use super::scheme::{AuthContext, Authenticated, Authentication, Outcome};
use super::security_scheme::{CredentialLocation, SecurityRequirement, SecurityScheme};
use crate::compat::python::text::{latin1, python_split};
use crate::django::http::uri::absolute_uri_without_query;
use crate::error::{ApiError, ErrorKind};
use crate::oauth2::BearerError;
use crate::oauth2::bearer_error::challenge;
use crate::oauth2::resource_validator::validate_resource_as_url_prefix;
use crate::oauth2::urldecode::has_invalid_hex_escape;
use crate::services::credential_cache::OAuth2Lookup;
use crate::settings::Settings;
use crate::store::oauth2_access_token::{self, AccessToken};
use crate::store::sqlite_reader;
use crate::user::{AuthInfo, RequestUser, User};

/// DOT's `OAuth2Authentication`: CSRF-exempt, `request.auth` is the access token
/// ([`AuthInfo::OAuth2`]), `request.user` its user or none. Challenge: `Bearer realm="api"`,
/// with the refusal's error attributes when a token was presented and refused.
#[derive(Debug, Default, Clone, Copy)]
pub struct OAuth2Authentication;

/// The query field and form field oauthlib reads a token from.
const ACCESS_TOKEN: &str = "access_token";

/// The value of the last `name` field of a query string, decoded as `parse_qsl` decodes it.
fn query_field<'q>(query: &'q str, name: &str) -> Option<Cow<'q, str>> {
    form_urlencoded::parse(query.as_bytes())
        .filter(|(field, _)| field == name)
        .last()
        .map(|(_, value)| value)
}

/// oauthlib's `get_token_from_header`: with an `Authorization` header, its token when it is
/// exactly `Bearer <token>` (split on Python's whitespace in the Latin-1 text, `bearer` in any
/// case), else none; without one, the `access_token` parameter (`param`).
fn presented_token(
    header: Option<Cow<'_, [u8]>>,
    param: impl FnOnce() -> Option<String>,
) -> Option<String> {
    let Some(header) = header else {
        return param();
    };
    let text = latin1(&header);
    let mut parts = python_split(&text);
    match (parts.next(), parts.next(), parts.next()) {
        (Some(kind), Some(token), None) if kind.eq_ignore_ascii_case("bearer") => {
            Some(token.to_owned())
        }
        _ => None,
    }
}

/// The row of `token` with its user: from the credential cache when it is on (DOT queries on
/// every request), else from the database, remembered (found or not) for the cache's TTL. The
/// row's expiry is checked on each use, so a cached token still expires on time; a token
/// revoked or deleted elsewhere is seen within the TTL (the cache's documented trade-off).
///
/// With remote introspection configured, a token missing here, expired, or without `scopes`
/// is asked about at the authorization server (DOT's `validate_bearer_token`); a miss is then
/// remembered as refused only once the authorization server has called it inactive.
async fn lookup(
    cx: &AuthContext<'_>,
    token: &str,
    scopes: &[&str],
) -> Result<Option<Found>, ApiError> {
    let remote = cx.settings().oauth2.remote_introspection.as_ref();
    let local = match local_lookup(cx, token, remote.is_none()).await? {
        Local::Found(found) => Some(found),
        Local::Refused => return Ok(None),
        Local::Missing => None,
    };
    let Some(remote) = remote else {
        return Ok(local);
    };
    let now = cx.services().clock().now();
    if let Some((access_token, _)) = &local
        && access_token.is_valid(now, scopes.iter().copied())
    {
        return Ok(local);
    }
    let remember_refusal = local
        .as_ref()
        .is_none_or(|(access_token, _)| access_token.is_expired(now));
    oauth2_authentication_server::introspect(cx, remote, token, remember_refusal).await
}

/// What this server knows of a token.
enum Local {
    /// Its row.
    Found(Found),
    /// Refused recently (the credential cache remembers it).
    Refused,
    /// Not in the database.
    Missing,
}

/// The token's row from the credential cache or the database; a miss is remembered as
/// refused when `remember_misses`.
async fn local_lookup(
    cx: &AuthContext<'_>,
    token: &str,
    remember_misses: bool,
) -> Result<Local, ApiError> {
    let checksum = oauth2_access_token::checksum(token);
    let cache = cx.services().credential_cache();
    let now = cx.services().clock().now();
    if let Some(cache) = cache {
        match cache.oauth2_token(&checksum, now) {
            OAuth2Lookup::Known(token, user) => return Ok(Local::Found((token, user))),
            OAuth2Lookup::Unknown => return Ok(Local::Refused),
            OAuth2Lookup::Miss => {}
        }
    }
    let users = &cx.settings().user_model;
    let found = match sqlite_reader::access_token_with_user(cx.db(), users, &checksum) {
        Some(found) => found,
        None => oauth2_access_token::by_checksum(cx.db(), users, &checksum)
            .await
            .map_err(ApiError::store_failure)?,
    };
    let Some((token, user)) = found else {
        if let Some(cache) = cache
            && remember_misses
        {
            cache.remember_unknown_oauth2_token(&checksum, now);
        }
        return Ok(Local::Missing);
    };
    let (token, user) = (Arc::new(token), user.map(Arc::new));
    if let Some(cache) = cache {
        cache.remember_oauth2_token(&checksum, Arc::clone(&token), user.clone(), now);
    }
    Ok(Local::Found((token, user)))
}

/// Why a presented token does not authenticate, or its user.
fn check(
    cx: &AuthContext<'_>,
    token: &AccessToken,
    user: Option<&User>,
) -> Result<(), BearerError> {
    if token.is_expired(cx.services().clock().now()) {
        return Err(BearerError::Expired);
    }
    // RFC 8707: only a restricted token is checked against the request's URI.
    if token.resource.restricted {
        let uri = cx.request.host().map(|host| {
            absolute_uri_without_query(cx.request.is_secure(), host, cx.request.path())
        });
        let allowed = uri.is_some_and(|uri| {
            validate_resource_as_url_prefix(&uri, token.resource.uris.iter().map(String::as_str))
        });
        if !allowed {
            return Err(BearerError::NotForResource);
        }
    }
    if let Some(user) = user
        && !user.is_active
        && !cx.settings().oauth2.authenticate_inactive_users
    {
        return Err(BearerError::Invalid);
    }
    Ok(())
}

impl OAuth2Authentication {
    /// DOT's `OAuthLibCore.verify_request(request, scopes)` outside DRF, as DOT's own protected
    /// views (the introspection endpoint) call it: whether the request carries a valid access
    /// token with every scope of `scopes`. `form_token` is Django's `request.POST`'s
    /// `access_token`. The same rules as [`authenticate`](Authentication::authenticate) (the
    /// query-string transport switch, the resource check, inactive users); a query string
    /// oauthlib cannot decode (a 500 in DOT) carries no valid token.
    pub async fn verify_request(
        cx: &AuthContext<'_>,
        form_token: Option<&str>,
        scopes: &[&str],
    ) -> Result<bool, ApiError> {
        let query = cx.request.query_string();
        let query_token = query_field(query, ACCESS_TOKEN);
        if cx
            .settings()
            .oauth2
            .compliant_bcp_rfc9700_access_token_transport
            && query_token.is_some()
        {
            return Ok(false);
        }
        if has_invalid_hex_escape(query) {
            return Ok(false);
        }
        let token = presented_token(cx.request.header("authorization"), || {
            form_token
                .map(str::to_owned)
                .or_else(|| query_token.map(Cow::into_owned))
        });
        let Some(token) = token.filter(|token| !token.is_empty()) else {
            return Ok(false);
        };
        let Some((access_token, user)) = lookup(cx, &token, scopes).await? else {
            return Ok(false);
        };
        Ok(check(cx, &access_token, user.as_deref()).is_ok()
            && access_token.allow_scopes(scopes.iter().copied()))
    }
}

impl Authentication for OAuth2Authentication {
    const NAME: &'static str = "OAuth2Authentication";

    fn security_requirement(settings: &Settings, _method: &str) -> SecurityRequirement {
        vec![SecurityScheme {
            name: Self::NAME.into(),
            location: CredentialLocation::OAuth2 {
                token_url: settings.oauth2.token_url.clone(),
                authorization_url: settings.oauth2.authorization_url.clone(),
            },
            description: "A Django OAuth Toolkit access token, sent as \
                          `Authorization: Bearer <token>`."
                .into(),
        }]
    }

    fn challenge(cx: &AuthContext<'_>) -> Option<String> {
        Some(challenge(cx.effects.challenge_params()))
    }

    async fn authenticate(cx: &AuthContext<'_>) -> Outcome {
        let settings = &cx.settings().oauth2;
        cx.effects.set_challenge_params(None);
        // DOT's `extract_body` reads `request.POST` on every request: DRF parses the body then,
        // and its parse errors leave authentication as they are.
        cx.request.read_form().await;
        let form_token = match cx.request.post_field(ACCESS_TOKEN) {
            Ok(value) => value,
            Err(error) => return Outcome::Failed(error),
        };
        let query = cx.request.query_string();
        let query_token = query_field(query, ACCESS_TOKEN);
        if settings.compliant_bcp_rfc9700_access_token_transport && query_token.is_some() {
            return Outcome::NotAttempted;
        }
        if has_invalid_hex_escape(query) {
            return Outcome::Failed(ApiError::new(ErrorKind::SuspiciousOperation));
        }
        let token = presented_token(cx.request.header("authorization"), || {
            form_token.or(query_token).map(Cow::into_owned)
        });
        // `validate_bearer_token`: no token (or an empty one) is no attempt and no error.
        let Some(token) = token.filter(|token| !token.is_empty()) else {
            return Outcome::NotAttempted;
        };
        let (access_token, user) = match lookup(cx, &token, &[]).await {
            Err(error) => return Outcome::Failed(error),
            Ok(None) => {
                cx.effects
                    .set_challenge_params(Some(BearerError::Invalid.attributes()));
                return Outcome::NotAttempted;
            }
            Ok(Some(found)) => found,
        };
        if let Err(error) = check(cx, &access_token, user.as_deref()) {
            cx.effects.set_challenge_params(Some(error.attributes()));
            return Outcome::NotAttempted;
        }
        Outcome::Authenticated(Authenticated {
            user: user.map_or(RequestUser::None, RequestUser::User),
            auth: AuthInfo::OAuth2(access_token),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from_header(header: &[u8]) -> Option<String> {
        presented_token(Some(Cow::Borrowed(header)), || Some("param".to_owned()))
    }

    #[test]
    fn the_header_is_split_as_python_splits_its_latin1_text() {
        assert_eq!(from_header(b"Bearer abc").as_deref(), Some("abc"));
        assert_eq!(from_header(b"bEaReR  abc \t").as_deref(), Some("abc"));
        assert_eq!(from_header(b"Bearer\xa0abc").as_deref(), Some("abc"));
        assert_eq!(from_header(b"Bearer\x1cabc").as_deref(), Some("abc"));
        assert_eq!(from_header(b"Bearer\x85abc").as_deref(), Some("abc"));
        assert_eq!(from_header(b"Bearer abc\xe9").as_deref(), Some("abc\u{e9}"));
        assert_eq!(from_header(b"Bearer"), None);
        assert_eq!(from_header(b"Bearer a b"), None);
        assert_eq!(from_header(b"Token abc"), None);
        assert_eq!(
            from_header(b""),
            None,
            "an empty header is a header: no parameter"
        );
    }

    #[test]
    fn without_a_header_the_parameter_is_read() {
        assert_eq!(
            presented_token(None, || Some("param".to_owned())).as_deref(),
            Some("param")
        );
    }

    #[test]
    fn invalid_hex_escapes_are_oauthlibs() {
        for query in ["%zz", "a=%g0", "a=%0g", "%%41", "x=%", "x=%a"] {
            let expected = !matches!(query, "x=%" | "x=%a");
            assert_eq!(has_invalid_hex_escape(query), expected, "{query}");
        }
        assert!(!has_invalid_hex_escape("a=%41%2f&b=c"));
    }
}
