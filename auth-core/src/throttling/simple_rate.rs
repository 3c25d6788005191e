//! DRF's `SimpleRateThrottle`: a rate per scope from the settings, and a sliding window of
//! request times per cache key in the throttle store.

use super::rate::Rate;
use super::throttle::{ThrottleContext, ThrottleDecision};
use crate::error::{ApiError, ErrorKind};

/// DRF's `SimpleRateThrottle.allow_request` for `scope` and a cache key (`None` → never
/// throttled): look the rate up (a scope without an entry is a configuration error, a scope
/// mapped to none is never throttled), then apply the sliding window in the store.
pub async fn rate_allow(
    cx: &ThrottleContext<'_>,
    scope: &str,
    key: Option<String>,
) -> Result<ThrottleDecision, ApiError> {
    let rate = match cx.settings().throttle_rate(scope) {
        None => {
            tracing::error!(scope, "No default throttle rate set for '{scope}' scope");
            return Err(ApiError::new(ErrorKind::ServerError));
        }
        Some(None) => return Ok(ThrottleDecision::ALLOW),
        Some(Some(rate)) => rate,
    };
    let rate = Rate::parse(rate).map_err(|error| {
        tracing::error!(scope, %error, "invalid throttle rate");
        ApiError::new(ErrorKind::ServerError)
    })?;
    let Some(key) = key else {
        return Ok(ThrottleDecision::ALLOW);
    };
    let services = cx.env.services();
    let now = services.clock().now();
    let now = now.timestamp() as f64 + f64::from(now.timestamp_subsec_micros()) / 1e6;
    let store = services.throttle_store();
    let hit = match tokio::time::timeout(
        cx.settings().throttle_store_timeout,
        store.hit(&key, rate.num_requests, rate.duration, now),
    )
    .await
    {
        Ok(Ok(hit)) => hit,
        Ok(Err(error)) => return store_outage(cx, &error.to_string()),
        Err(_) => return store_outage(cx, "timed out"),
    };
    if hit.allowed {
        return Ok(ThrottleDecision::ALLOW);
    }
    Ok(ThrottleDecision {
        allowed: false,
        wait: hit.wait(rate.num_requests, rate.duration as f64, now),
    })
}

fn store_outage(cx: &ThrottleContext<'_>, cause: &str) -> Result<ThrottleDecision, ApiError> {
    if cx.settings().throttle_fail_open {
        tracing::warn!(cause, "throttle store unavailable; failing open");
        return Ok(ThrottleDecision::ALLOW);
    }
    Err(ApiError::store_failure(format_args!(
        "throttle store: {cause}"
    )))
}
