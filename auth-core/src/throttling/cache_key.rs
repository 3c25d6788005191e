//! DRF's `get_cache_key` for the throttles that key by user or client (`UserRateThrottle`,
//! `ScopedRateThrottle`), with the two kinds of identity kept apart.

use super::ident::get_ident;
use super::throttle::ThrottleContext;

/// `throttle_<scope>_<user pk>` for a user; `throttle_<scope>_ident:<client identity>` for an
/// anonymous request.
///
/// DRF writes both as `throttle_<scope>_<pk or ident>`, so an anonymous client that sends
/// `X-Forwarded-For: 3` (its identity when `NUM_PROXIES` is unset) shares user 3's bucket and can
/// lock that user out. A user's primary key never starts with `ident:`, so the two never meet.
pub fn user_or_client_key(scope: &str, cx: &ThrottleContext<'_>) -> String {
    match cx.user.pk_text() {
        Some(id) => format!("throttle_{scope}_{id}"),
        None => format!(
            "throttle_{scope}_ident:{}",
            get_ident(cx.request, cx.settings().num_proxies)
        ),
    }
}
