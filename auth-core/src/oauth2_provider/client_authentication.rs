//! How the token, revocation and introspection endpoints authenticate the client: DOT's
//! `OAuth2Validator` (`client_authentication_required`, `authenticate_client`,
//! `authenticate_client_id`, `_authenticate_basic_auth`, `_authenticate_request_body`,
//! `_check_secret`) under oauthlib's `validate_client_authentication`.
//!
//! * **Basic** first: the header's text split at the first space must be exactly `Basic` and a
//!   non-empty rest; the rest base64-decoded as Python's lenient `b64decode` decodes, then as
//!   UTF-8, split at the first `:`, each half `unquote_plus`-ed (RFC 6749 §2.3.1).
//! * Then **the body's** `client_id` and `client_secret`.
//! * A stored secret that is a Django password hash is checked with `check_password`; any other
//!   stored value is compared with the given secret in constant time.
//! * Authentication is required when a Basic header or both body fields are given, and for
//!   confidential clients; a public client names itself with `client_id` alone.
//!
//! **Safer than DOT:**
//! * A Basic value with a character outside ASCII makes Python's `b64decode` raise a
//!   `ValueError` DOT does not catch (a 500); here the Basic credentials are simply not valid,
//!   and the body's are tried as DOT tries them after any other Basic failure.
//! * A confidential client never authenticates with an empty secret. DOT accepts one when the
//!   stored secret is the hash of `""` (an application saved with an empty secret), which makes
//!   such a confidential client a public one. `OAuth2Settings::accept_empty_client_secrets`
//!   restores DOT's check.
//!
//! An unknown client id is answered without hashing, as DOT answers it: client ids are public
//! identifiers, and hashing for one would let anyone spend the hashing threads.

use crate::compat::python::binascii::a2b_base64;
use crate::compat::python::text::latin1;
use crate::environment::Environment;
use crate::error::ApiError;
use crate::store::oauth2_application::{self, Application, ClientType};

use crate::oauth2::OAuth2Error;

/// What the client sent to identify itself.
#[derive(Clone, Copy)]
pub struct ClientCredentials<'a> {
    /// The `Authorization` header's bytes (repeated headers joined as the server joins them).
    pub authorization: Option<&'a [u8]>,
    /// The body's `client_id`.
    pub client_id: Option<&'a str>,
    /// The body's `client_secret`.
    pub client_secret: Option<&'a str>,
}

impl std::fmt::Debug for ClientCredentials<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("client_id", &self.client_id)
            .finish_non_exhaustive()
    }
}

/// `_extract_basic_auth`: the text after `Basic ` when the header is `Basic` and a space and
/// something (DOT splits on the first space and compares the scheme case-sensitively).
fn basic_auth_string(authorization: Option<&[u8]>) -> Option<String> {
    let text = latin1(authorization?);
    let (scheme, rest) = text.split_once(' ')?;
    (scheme == "Basic" && !rest.is_empty()).then(|| rest.to_owned())
}

/// Python's `urllib.parse.unquote_plus` (UTF-8, invalid sequences replaced).
fn unquote_plus(text: &str) -> String {
    let plus_as_space = text.replace('+', " ");
    percent_encoding::percent_decode_str(&plus_as_space)
        .decode_utf8_lossy()
        .into_owned()
}

/// `client_id` and `client_secret` of a Basic value, or `None` where DOT's
/// `_authenticate_basic_auth` gives up (bad base64, not UTF-8, no `:`).
fn decode_basic(auth_string: &str) -> Option<(String, String)> {
    // A character outside ASCII: Python raises ValueError before decoding (see module docs).
    if !auth_string.is_ascii() {
        return None;
    }
    let decoded = a2b_base64(auth_string.as_bytes()).ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (client_id, client_secret) = text.split_once(':')?;
    Some((unquote_plus(client_id), unquote_plus(client_secret)))
}

/// The request's client as the validator loads it (`_load_application`).
async fn load(env: &Environment, client_id: &str) -> Result<Option<Application>, ApiError> {
    oauth2_application::by_client_id(env.db(), client_id)
        .await
        .map_err(ApiError::store_failure)
}

/// `_check_secret(provided, application.client_secret)`, refusing an empty secret for a
/// confidential client unless `accept_empty_client_secrets` (see the module docs).
async fn check_secret(
    env: &Environment,
    provided: &str,
    application: &Application,
) -> Result<bool, ApiError> {
    if provided.is_empty()
        && application.client_type == ClientType::Confidential
        && !env.settings().oauth2.accept_empty_client_secrets
    {
        return Ok(false);
    }
    let stored = application.client_secret.as_str();
    if env.settings().password_hashers.identifies(stored) {
        crate::accounts::check_password(env, provided, stored).await
    } else {
        Ok(crate::django::crypto::constant_time_compare(
            provided, stored,
        ))
    }
}

/// `authenticate_client`: Basic, then the body; the authenticated application (DOT's
/// introspection view accepts any client that authenticates so).
pub async fn authenticate_client(
    env: &Environment,
    credentials: ClientCredentials<'_>,
) -> Result<Option<Application>, ApiError> {
    if let Some((client_id, client_secret)) =
        basic_auth_string(credentials.authorization).and_then(|auth| decode_basic(&auth))
        && let Some(application) = load(env, &client_id).await?
        && check_secret(env, &client_secret, &application).await?
    {
        return Ok(Some(application));
    }
    let Some(client_id) = credentials.client_id else {
        return Ok(None);
    };
    let secret = credentials.client_secret.unwrap_or("");
    let Some(application) = load(env, client_id).await? else {
        return Ok(None);
    };
    Ok(check_secret(env, secret, &application)
        .await?
        .then_some(application))
}

/// The client a request authenticated as, or the error to answer (`Ok(Err(_))`); `Err(_)` is
/// a failure of the store.
pub type ClientOutcome = Result<Result<Application, OAuth2Error>, ApiError>;

/// DOT's `client_authentication_required`: a Basic header, or both body fields, or a
/// confidential client (or an unknown one, oauthlib's default).
async fn authentication_required(
    env: &Environment,
    credentials: ClientCredentials<'_>,
) -> Result<bool, ApiError> {
    if basic_auth_string(credentials.authorization).is_some()
        || (credentials.client_id.is_some_and(|id| !id.is_empty())
            && credentials
                .client_secret
                .is_some_and(|secret| !secret.is_empty()))
    {
        return Ok(true);
    }
    Ok(match credentials.client_id {
        Some(client_id) => load(env, client_id)
            .await?
            .is_none_or(|application| application.client_type == ClientType::Confidential),
        None => true,
    })
}

/// `authenticate_client_id`: a public client naming itself.
async fn authenticate_client_id(
    env: &Environment,
    credentials: ClientCredentials<'_>,
) -> Result<Option<Application>, ApiError> {
    Ok(match credentials.client_id {
        Some(client_id) => load(env, client_id)
            .await?
            .filter(|application| application.client_type != ClientType::Confidential),
        None => None,
    })
}

/// oauthlib's `_raise_on_invalid_client` (the revocation and introspection endpoints): the
/// client authenticated when authentication is required, else named by a public client;
/// `invalid_client` otherwise.
pub async fn raise_on_invalid_client(
    env: &Environment,
    credentials: ClientCredentials<'_>,
) -> ClientOutcome {
    let application = if authentication_required(env, credentials).await? {
        authenticate_client(env, credentials).await?
    } else {
        authenticate_client_id(env, credentials).await?
    };
    Ok(application.ok_or_else(OAuth2Error::invalid_client))
}

/// oauthlib's `validate_client_authentication` (the grants): as
/// [`raise_on_invalid_client`], and an authenticated client's `client_id` in the body must be
/// its own.
pub async fn validate_client_authentication(
    env: &Environment,
    credentials: ClientCredentials<'_>,
) -> ClientOutcome {
    if authentication_required(env, credentials).await? {
        return validate_client_confidential(env, credentials).await;
    }
    Ok(authenticate_client_id(env, credentials)
        .await?
        .ok_or_else(OAuth2Error::invalid_client))
}

/// oauthlib's `validate_client_confidential`: the client must authenticate (Basic, then the
/// body), and a `client_id` in the body must be its own.
pub async fn validate_client_confidential(
    env: &Environment,
    credentials: ClientCredentials<'_>,
) -> ClientOutcome {
    let Some(application) = authenticate_client(env, credentials).await? else {
        return Ok(Err(OAuth2Error::invalid_client()));
    };
    match credentials.client_id {
        Some(client_id) if !client_id.is_empty() && client_id != application.client_id => Ok(Err(
            OAuth2Error::server_error("Discrepency found between client identifier")
                .without_request(),
        )),
        _ => Ok(Ok(application)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_values_are_read_as_dot_reads_them() {
        assert_eq!(
            basic_auth_string(Some(b"Basic YTpi")).as_deref(),
            Some("YTpi")
        );
        assert_eq!(basic_auth_string(Some(b"basic YTpi")), None);
        assert_eq!(basic_auth_string(Some(b"Basic ")), None);
        assert_eq!(basic_auth_string(Some(b"Basic")), None);
        // `split(" ", 1)`: a second space stays in the value, and b64decode skips it.
        assert_eq!(
            decode_basic(" YTpi"),
            Some(("a".to_owned(), "b".to_owned()))
        );
        // unquote_plus on each half, after splitting at the first colon.
        let encoded = "YSUzQWIrYzpkJTNBZTpm"; // "a%3Ab+c:d%3Ae:f"
        assert_eq!(
            decode_basic(encoded),
            Some(("a:b c".to_owned(), "d:e:f".to_owned()))
        );
        assert_eq!(decode_basic("YWI="), None); // "ab": no colon
        assert_eq!(decode_basic("YTpi\u{e9}"), None); // not ASCII
        assert_eq!(decode_basic("YQ"), None); // bad padding
        assert_eq!(decode_basic("/w=="), None); // not UTF-8
        assert_eq!(unquote_plus("%C3%A9%zz%C3"), "é%zz\u{fffd}");
    }
}
