use super::ident::get_ident;
use super::simple_rate::rate_allow;
use super::throttle::{Throttle, ThrottleContext, ThrottleDecision};
use crate::error::ApiError;

/// DRF's `UserRateThrottle`: scope `user`; keyed by the user's primary key when authenticated
/// (`throttle_user_1`), by client identity otherwise (`throttle_user_127.0.0.1`).
#[derive(Debug, Default, Clone, Copy)]
pub struct UserRateThrottle;

impl Throttle for UserRateThrottle {
    async fn allow_request(&self, cx: &ThrottleContext<'_>) -> Result<ThrottleDecision, ApiError> {
        let ident = match cx.user.id() {
            Some(id) => id.to_string(),
            None => get_ident(cx.request, cx.settings().num_proxies),
        };
        rate_allow(cx, "user", Some(format!("throttle_user_{ident}"))).await
    }
}
