//! Requests per OAuth 2 client application (feature `oauth2`).

use super::cache_key::user_or_client_key;
use super::simple_rate::rate_allow;
use super::throttle::{Throttle, ThrottleContext, ThrottleDecision};
use crate::error::ApiError;

/// Requests per OAuth 2 client: scope `oauth2_client`, one history per DOT application for the
/// requests an access token of that application authenticated
/// (`throttle_oauth2_client_application:<id>`), whichever user the token is for; other requests
/// are keyed as [`UserRateThrottle`](super::UserRateThrottle) keys them (by user, else by client
/// identity). DOT 3.4.1 has no such throttle (a DRF throttle keys by user or address only, so a
/// partner's integration serving many users has no limit of its own).
#[derive(Debug, Default, Clone, Copy)]
pub struct OAuth2ClientRateThrottle;

/// The throttle's scope in `DEFAULT_THROTTLE_RATES`.
pub const SCOPE: &str = "oauth2_client";

impl Throttle for OAuth2ClientRateThrottle {
    async fn allow_request(&self, cx: &ThrottleContext<'_>) -> Result<ThrottleDecision, ApiError> {
        let key = match cx.auth.oauth2().and_then(|token| token.application_id) {
            Some(application) => format!("throttle_{SCOPE}_application:{application}"),
            None => user_or_client_key(SCOPE, cx),
        };
        rate_allow(cx, SCOPE, Some(key)).await
    }
}
