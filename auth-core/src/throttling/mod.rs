//! Throttling (spec §3): the [`Throttle`] trait, DRF's rate throttles, and their stores.
//!
//! Throttles run after permissions, on the authenticated user; every throttle of a view is
//! evaluated (no short-circuit) and the longest wait is reported in one 429 with `Retry-After`.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use crate::authentication::AuthInfo;
use crate::backends::store_failure;
use crate::error::{ApiError, ErrorKind};
use crate::request::RequestView;
use crate::settings::AuthSettings;
use crate::user::RequestUser;

pub mod ident;
pub mod memory_store;
pub mod rate;
pub mod redis_store;
pub mod store;

mod anon_rate_throttle;
mod scoped_rate_throttle;
mod user_rate_throttle;

pub use anon_rate_throttle::AnonRateThrottle;
pub use memory_store::MemoryStore;
pub use rate::Rate;
pub use redis_store::RedisStore;
pub use scoped_rate_throttle::ScopedRateThrottle;
pub use store::{Hit, StoreError, ThrottleStore};
pub use user_rate_throttle::UserRateThrottle;

/// What a throttle sees: the request after authentication, and the view's `throttle_scope`.
#[derive(Clone, Copy)]
pub struct ThrottleContext<'a> {
    /// The request.
    pub request: &'a dyn RequestView,
    /// `request.user`.
    pub user: &'a RequestUser,
    /// `request.auth`.
    pub auth: &'a AuthInfo,
    /// Project-wide settings (rates, store, proxies).
    pub settings: &'a AuthSettings,
    /// The view's `throttle_scope`, if any.
    pub scope: Option<&'a str>,
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

/// An ordered list of throttles.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a list of throttles",
    note = "use a throttle type or a tuple of them, e.g. `(AnonRateThrottle, UserRateThrottle)`"
)]
pub trait ThrottleClasses {
    /// Evaluates every throttle; `Err` is the 429 (or a configuration or store error).
    fn check<'a>(
        &'a self,
        cx: &'a ThrottleContext<'a>,
    ) -> impl Future<Output = Result<(), ApiError>> + 'a;
}

/// Folds the verdicts: refused when any refused, with the longest non-none wait (spec §3.1).
#[derive(Debug, Default)]
struct Verdicts {
    refused: bool,
    wait: Option<f64>,
}

impl Verdicts {
    fn add(&mut self, decision: ThrottleDecision) {
        if !decision.allowed {
            self.refused = true;
            if let Some(wait) = decision.wait {
                self.wait = Some(self.wait.map_or(wait, |current| current.max(wait)));
            }
        }
    }

    fn finish(self) -> Result<(), ApiError> {
        if self.refused {
            Err(ApiError::throttled(self.wait, None))
        } else {
            Ok(())
        }
    }
}

impl<T: Throttle> ThrottleClasses for T {
    async fn check<'a>(&'a self, cx: &'a ThrottleContext<'a>) -> Result<(), ApiError> {
        let mut verdicts = Verdicts::default();
        verdicts.add(self.allow_request(cx).await?);
        verdicts.finish()
    }
}

impl ThrottleClasses for () {
    async fn check<'a>(&'a self, _cx: &'a ThrottleContext<'a>) -> Result<(), ApiError> {
        Ok(())
    }
}

macro_rules! throttle_tuple {
    ($($name:ident),+) => {
        impl<$($name: Throttle),+> ThrottleClasses for ($($name,)+) {
            #[allow(non_snake_case)]
            async fn check<'a>(&'a self, cx: &'a ThrottleContext<'a>) -> Result<(), ApiError> {
                let ($($name,)+) = self;
                let mut verdicts = Verdicts::default();
                $( verdicts.add($name.allow_request(cx).await?); )+
                verdicts.finish()
            }
        }
    };
}

throttle_tuple!(A);
throttle_tuple!(A, B);
throttle_tuple!(A, B, C);
throttle_tuple!(A, B, C, D);
throttle_tuple!(A, B, C, D, E);
throttle_tuple!(A, B, C, D, E, F);

/// Object-safe form of [`ThrottleClasses`], for lists chosen at run time.
pub trait DynThrottleClasses: Send + Sync + 'static {
    /// See [`ThrottleClasses::check`].
    fn check_boxed<'a>(
        &'a self,
        cx: &'a ThrottleContext<'a>,
    ) -> Pin<Box<dyn Future<Output = Result<(), ApiError>> + 'a>>;
}

impl<L: ThrottleClasses + Send + Sync + 'static> DynThrottleClasses for L {
    fn check_boxed<'a>(
        &'a self,
        cx: &'a ThrottleContext<'a>,
    ) -> Pin<Box<dyn Future<Output = Result<(), ApiError>> + 'a>> {
        Box::pin(self.check(cx))
    }
}

/// A throttle list chosen at run time: the project's `DEFAULT_THROTTLE_CLASSES`.
#[derive(Clone)]
pub struct SharedThrottleClasses(Arc<dyn DynThrottleClasses>);

impl SharedThrottleClasses {
    /// Wraps the list `L`, built with `Default`.
    pub fn of<L: ThrottleClasses + Default + Send + Sync + 'static>() -> Self {
        Self(Arc::new(L::default()))
    }
}

impl fmt::Debug for SharedThrottleClasses {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SharedThrottleClasses")
    }
}

impl ThrottleClasses for SharedThrottleClasses {
    fn check<'a>(
        &'a self,
        cx: &'a ThrottleContext<'a>,
    ) -> impl Future<Output = Result<(), ApiError>> + 'a {
        self.0.check_boxed(cx)
    }
}

/// The view's throttle scope as a type (DRF's `throttle_scope` attribute).
pub trait ThrottleScope: 'static {
    /// The scope name, if any.
    const SCOPE: Option<&'static str>;
}

/// A view without `throttle_scope`.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoThrottleScope;

impl ThrottleScope for NoThrottleScope {
    const SCOPE: Option<&'static str> = None;
}

/// Declares a scope type: `auth_actix::declare_throttle_scope!(pub Uploads = "uploads");`.
#[macro_export]
macro_rules! declare_throttle_scope {
    ($(#[$meta:meta])* $vis:vis $name:ident = $scope:literal) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, Default)]
        $vis struct $name;

        impl $crate::throttling::ThrottleScope for $name {
            const SCOPE: ::core::option::Option<&'static str> = ::core::option::Option::Some($scope);
        }
    };
}

/// The scope of the library's login endpoints (obtain-token, session login, knox login), whose
/// default rate is in [`DEFAULT_LOGIN_RATE`].
pub const LOGIN_SCOPE: &str = "login";

/// The default rate of [`LOGIN_SCOPE`]: brute-force protection out of the box. Change it with
/// `throttle_rate("login", "…")`, or `throttle_rate_none("login")` to turn it off.
pub const DEFAULT_LOGIN_RATE: &str = "10/min";

declare_throttle_scope!(
    /// The scope of the library's login endpoints.
    pub LoginScope = "login"
);

/// DRF's `SimpleRateThrottle.allow_request` for `scope` and a cache key (`None` → never
/// throttled): look the rate up (a scope without an entry is a configuration error, a scope
/// mapped to none is never throttled), then apply the sliding window in the store.
pub async fn rate_allow(
    cx: &ThrottleContext<'_>,
    scope: &str,
    key: Option<String>,
) -> Result<ThrottleDecision, ApiError> {
    let rate = match cx.settings.throttle_rate(scope) {
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
    let now = cx.settings.clock().now();
    let now = now.timestamp() as f64 + f64::from(now.timestamp_subsec_micros()) / 1e6;
    let store = cx.settings.throttle_store();
    let hit = match tokio::time::timeout(
        cx.settings.throttle_store_timeout(),
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
    if cx.settings.throttle_fail_open() {
        tracing::warn!(cause, "throttle store unavailable; failing open");
        return Ok(ThrottleDecision::ALLOW);
    }
    Err(store_failure(format_args!("throttle store: {cause}")))
}
