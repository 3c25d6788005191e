use super::cache_key::user_or_client_key;
use super::simple_rate::rate_allow;
use super::throttle::{Throttle, ThrottleContext, ThrottleDecision};
use crate::error::ApiError;

/// DRF's `ScopedRateThrottle`: the view's `throttle_scope` names the rate; all views sharing a
/// scope share one bucket per client (`throttle_<scope>_<user pk>`, or
/// `throttle_<scope>_ident:<client identity>`: see [`user_or_client_key`]). A view without a
/// scope is not throttled.
#[derive(Debug, Default, Clone, Copy)]
pub struct ScopedRateThrottle;

impl Throttle for ScopedRateThrottle {
    async fn allow_request(&self, cx: &ThrottleContext<'_>) -> Result<ThrottleDecision, ApiError> {
        let Some(scope) = cx.scope.filter(|scope| !scope.is_empty()) else {
            return Ok(ThrottleDecision::ALLOW);
        };
        rate_allow(cx, scope, Some(user_or_client_key(scope, cx))).await
    }
}
