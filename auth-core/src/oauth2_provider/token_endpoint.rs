//! DOT's `TokenView` over oauthlib's `TokenEndpoint.create_token_response`: the grant named by
//! `grant_type` answers, every answer but one kind with oauthlib's JSON headers.
//!
//! What oauthlib answers and how:
//! * A grant's own errors and successes carry `Content-Type: application/json`,
//!   `Cache-Control: no-store` and `Pragma: no-cache` (and a 401's `WWW-Authenticate`).
//! * An error raised outside a grant's validation — a query string on the `POST`
//!   (`URL query parameters are not allowed`) or an RFC 8707 resource refused while saving —
//!   reaches DOT's `OAuthLibCore` bare: the JSON body with Django's default `text/html` type
//!   and no cache headers.
//! * An unknown or missing `grant_type` goes to the default grant, the authorization-code one,
//!   which answers `unsupported_grant_type`.
//!
//! **Not served here:** the device-authorization grant
//! (`urn:ietf:params:oauth:grant-type:device_code`) answers `unsupported_grant_type` (DOT
//! answers a code it does not know with a 404 `device_not_found`, and fails with a 500 without
//! one). oauthlib's `openid` alias of the authorization-code grant gets that grant's checks, and
//! `unsupported_grant_type` where DOT fails on it with an assertion (a 500) once the client has
//! authenticated. A query string oauthlib cannot decode is refused as any query string is (DOT
//! fails with a 500).

use crate::environment::Environment;
use crate::error::ApiError;

use super::bearer_token::TokenAnswer;
use super::grant_types;
use super::token_request::TokenRequest;
use crate::oauth2::OAuth2Error;

/// One answer of the token endpoint (and of the revocation endpoint's errors). `Debug` leaves
/// the body out (it holds the tokens issued).
#[derive(Clone, PartialEq, Eq)]
pub struct EndpointResponse {
    /// The HTTP status.
    pub status: u16,
    /// The body.
    pub body: String,
    /// Whether oauthlib's headers are sent: `Content-Type: application/json`,
    /// `Cache-Control: no-store`, `Pragma: no-cache`. Otherwise the type is Django's default
    /// `text/html; charset=utf-8`.
    pub json_headers: bool,
    /// `WWW-Authenticate`, for a 401.
    pub www_authenticate: Option<String>,
    /// `Access-Control-Allow-Origin`.
    pub allow_origin: Option<String>,
}

impl std::fmt::Debug for EndpointResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EndpointResponse")
            .field("status", &self.status)
            .field("json_headers", &self.json_headers)
            .field("www_authenticate", &self.www_authenticate)
            .field("allow_origin", &self.allow_origin)
            .finish_non_exhaustive()
    }
}

impl EndpointResponse {
    /// A grant's answer: with oauthlib's headers.
    pub(crate) fn from_grant(answer: Result<TokenAnswer, OAuth2Error>) -> Self {
        match answer {
            Ok(TokenAnswer::Issued(body, allow_origin)) => Self {
                status: 200,
                body,
                json_headers: true,
                www_authenticate: None,
                allow_origin,
            },
            Ok(TokenAnswer::Refused(error)) => Self::bare(&error),
            Err(error) => Self {
                status: error.status,
                body: error.json(),
                json_headers: true,
                www_authenticate: error.www_authenticate(),
                allow_origin: None,
            },
        }
    }

    /// An error caught by DOT's `OAuthLibCore` (outside the grant): only its own headers.
    pub(crate) fn bare(error: &OAuth2Error) -> Self {
        Self {
            status: error.status,
            body: error.json(),
            json_headers: false,
            www_authenticate: error.www_authenticate(),
            allow_origin: None,
        }
    }
}

/// `POST` to the token endpoint.
pub async fn create_token_response(
    env: &Environment,
    request: &TokenRequest<'_>,
) -> Result<EndpointResponse, ApiError> {
    let settings = &env.settings().oauth2;
    // `_raise_on_bad_post_request`. (A query oauthlib cannot decode makes DOT fail with a 500
    // before this check; it is refused the same way here.)
    if !request.query.is_empty() {
        return Ok(EndpointResponse::bare(
            &OAuth2Error::invalid_request("URL query parameters are not allowed")
                .with_state(request.state()),
        ));
    }
    let answer = match request.param("grant_type") {
        Some("password") => {
            grant_types::resource_owner_password_credentials::create_token_response(
                env, settings, request,
            )
            .await?
        }
        Some("client_credentials") => {
            grant_types::client_credentials::create_token_response(env, settings, request).await?
        }
        Some("refresh_token") => {
            grant_types::refresh_token::create_token_response(env, settings, request).await?
        }
        // oauthlib's `openid` alias runs the authorization-code grant's checks too.
        Some("authorization_code" | "openid") => {
            grant_types::authorization_code::create_token_response(env, settings, request).await?
        }
        // The default grant (authorization code) refuses every other value.
        _ => Err(OAuth2Error::unsupported_grant_type().with_state(request.state())),
    };
    Ok(EndpointResponse::from_grant(answer))
}
