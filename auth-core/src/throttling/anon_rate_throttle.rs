use super::ident::get_ident;
use super::simple_rate::rate_allow;
use super::throttle::{Throttle, ThrottleContext, ThrottleDecision};
use crate::error::ApiError;

/// DRF's `AnonRateThrottle`: scope `anon`; authenticated users are never throttled, anonymous
/// ones by client identity (`throttle_anon_<ident>`).
#[derive(Debug, Default, Clone, Copy)]
pub struct AnonRateThrottle;

impl Throttle for AnonRateThrottle {
    async fn allow_request(&self, cx: &ThrottleContext<'_>) -> Result<ThrottleDecision, ApiError> {
        let key = (!cx.user.is_authenticated()).then(|| {
            format!(
                "throttle_anon_{}",
                get_ident(cx.request, cx.settings().num_proxies)
            )
        });
        rate_allow(cx, "anon", key).await
    }
}
