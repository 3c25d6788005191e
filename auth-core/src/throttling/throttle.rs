//! DRF's `BaseThrottle` as the [`Throttle`] trait, and what a throttle sees.

use std::fmt;
use std::future::Future;

use crate::environment::Environment;
use crate::error::ApiError;
use crate::request::RequestView;
use crate::settings::Settings;
use crate::user::{AuthInfo, RequestUser};

/// What a throttle sees: the request after authentication, and the view's `throttle_scope`.
#[derive(Clone, Copy)]
pub struct ThrottleContext<'a> {
    /// The request.
    pub request: &'a dyn RequestView,
    /// `request.user`.
    pub user: &'a RequestUser,
    /// `request.auth`.
    pub auth: &'a AuthInfo,
    /// The settings (rates, proxies), the database and the services (the store, the clock).
    pub env: &'a Environment,
    /// The view's `throttle_scope`, if any.
    pub scope: Option<&'a str>,
}

impl<'a> ThrottleContext<'a> {
    /// The project's settings.
    pub fn settings(&self) -> &'a Settings {
        self.env.settings()
    }
}

impl fmt::Debug for ThrottleContext<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ThrottleContext")
            .field("user", &self.user)
            .field("scope", &self.scope)
            .finish_non_exhaustive()
    }
}

/// One throttle's verdict: admitted, or refused with an optional wait in seconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ThrottleDecision {
    /// Whether the request may proceed.
    pub allowed: bool,
    /// DRF's `wait()` after a refusal.
    pub wait: Option<f64>,
}

impl ThrottleDecision {
    /// Admitted.
    pub const ALLOW: Self = Self {
        allowed: true,
        wait: None,
    };
}

/// A throttle (DRF's `BaseThrottle`), instantiated per request with `Default`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a throttle",
    label = "not a `Throttle`",
    note = "throttle lists take throttles such as `AnonRateThrottle`, `UserRateThrottle` or `ScopedRateThrottle`"
)]
pub trait Throttle: Default + 'static {
    /// DRF's `allow_request` (with `wait` folded into the verdict). An `Err` is the response as
    /// it is: a configuration error (500) or a store outage (503).
    fn allow_request(
        &self,
        cx: &ThrottleContext<'_>,
    ) -> impl Future<Output = Result<ThrottleDecision, ApiError>>;
}
