//! Throttling (DRF's `throttle_classes`): the [`Throttle`] trait, DRF's rate throttles, and the
//! lists a view declares.
//!
//! Throttles run after permissions, on the authenticated user; every throttle of a view is
//! evaluated (no short-circuit) and the longest wait is reported in one 429 with `Retry-After`.
//! Where histories live is a service:
//! [`ThrottleStore`](crate::services::throttle_store::ThrottleStore).

mod anon_rate_throttle;
pub mod cache_key;
pub mod classes;
pub mod ident;
#[cfg(feature = "oauth2")]
#[cfg_attr(docsrs, doc(cfg(feature = "oauth2")))]
pub mod oauth2_client_rate_throttle;
pub mod rate;
pub mod scope;
mod scoped_rate_throttle;
pub mod simple_rate;
pub mod throttle;
mod user_rate_throttle;

pub use anon_rate_throttle::AnonRateThrottle;
pub use classes::{DynThrottleClasses, SharedThrottle, SharedThrottleClasses, ThrottleClasses};
#[cfg(feature = "oauth2")]
pub use oauth2_client_rate_throttle::OAuth2ClientRateThrottle;
pub use rate::Rate;
pub use scope::{LoginScope, NoThrottleScope, ThrottleScope};
pub use scoped_rate_throttle::ScopedRateThrottle;
pub use simple_rate::rate_allow;
pub use throttle::{Throttle, ThrottleContext, ThrottleDecision};
pub use user_rate_throttle::UserRateThrottle;
