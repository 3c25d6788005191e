use super::ident::get_ident;
use super::simple_rate::rate_allow;
use super::throttle::{Throttle, ThrottleContext, ThrottleDecision};
use crate::error::ApiError;

/// DRF's `ScopedRateThrottle`: the view's `throttle_scope` names the rate; all views sharing a
/// scope share one bucket per client (`throttle_<scope>_<user pk or ident>`). A view without a
/// scope is not throttled.
#[derive(Debug, Default, Clone, Copy)]
pub struct ScopedRateThrottle;

impl Throttle for ScopedRateThrottle {
    async fn allow_request(&self, cx: &ThrottleContext<'_>) -> Result<ThrottleDecision, ApiError> {
        let Some(scope) = cx.scope.filter(|scope| !scope.is_empty()) else {
            return Ok(ThrottleDecision::ALLOW);
        };
        let ident = match cx.user.id() {
            Some(id) => id.to_string(),
            None => get_ident(cx.request, cx.settings().num_proxies),
        };
        rate_allow(cx, scope, Some(format!("throttle_{scope}_{ident}"))).await
    }
}
