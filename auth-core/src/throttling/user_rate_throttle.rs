use super::cache_key::user_or_client_key;
use super::simple_rate::rate_allow;
use super::throttle::{Throttle, ThrottleContext, ThrottleDecision};
use crate::error::ApiError;

/// DRF's `UserRateThrottle`: scope `user`; keyed by the user's primary key when authenticated
/// (`throttle_user_1`), by client identity otherwise (`throttle_user_ident:127.0.0.1`: see
/// [`user_or_client_key`]).
#[derive(Debug, Default, Clone, Copy)]
pub struct UserRateThrottle;

impl Throttle for UserRateThrottle {
    async fn allow_request(&self, cx: &ThrottleContext<'_>) -> Result<ThrottleDecision, ApiError> {
        rate_allow(cx, "user", Some(user_or_client_key("user", cx))).await
    }
}
