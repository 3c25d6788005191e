//! Ordered throttle lists: a view's `throttle_classes` as a type, or chosen at run time; every
//! throttle is evaluated and one 429 reports the longest wait.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use super::throttle::{Throttle, ThrottleContext, ThrottleDecision};
use crate::error::ApiError;

/// An ordered list of throttles.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a throttle or a list of throttles",
    label = "not a throttle list",
    note = "throttle lists take throttles such as `AnonRateThrottle`, `UserRateThrottle` or `ScopedRateThrottle`"
)]
pub trait ThrottleClasses {
    /// Evaluates every throttle; `Err` is the 429 (or a configuration or store error).
    fn check<'a>(
        &'a self,
        cx: &'a ThrottleContext<'a>,
    ) -> impl Future<Output = Result<(), ApiError>> + 'a;
}

/// Folds the verdicts: refused when any refused, with the longest non-none wait (DRF's
/// `check_throttles`).
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

    /// A list of throttles chosen one by one at run time (a settings file's
    /// `DEFAULT_THROTTLE_CLASSES`): every one is evaluated, and one 429 reports the longest
    /// wait, as for a declared tuple.
    pub fn list(throttles: impl IntoIterator<Item = SharedThrottle>) -> Self {
        Self(Arc::new(ThrottleList(throttles.into_iter().collect())))
    }
}

/// Object-safe form of [`Throttle`].
trait DynThrottle: Send + Sync + 'static {
    fn allow_request_boxed<'a>(
        &'a self,
        cx: &'a ThrottleContext<'a>,
    ) -> Pin<Box<dyn Future<Output = Result<ThrottleDecision, ApiError>> + 'a>>;
}

impl<T: Throttle + Send + Sync> DynThrottle for T {
    fn allow_request_boxed<'a>(
        &'a self,
        cx: &'a ThrottleContext<'a>,
    ) -> Pin<Box<dyn Future<Output = Result<ThrottleDecision, ApiError>> + 'a>> {
        Box::pin(self.allow_request(cx))
    }
}

/// One throttle chosen at run time, for [`SharedThrottleClasses::list`].
#[derive(Clone)]
pub struct SharedThrottle(Arc<dyn DynThrottle>);

impl SharedThrottle {
    /// The throttle `T`, built with `Default`.
    pub fn of<T: Throttle + Send + Sync>() -> Self {
        Self(Arc::new(T::default()))
    }
}

impl fmt::Debug for SharedThrottle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SharedThrottle")
    }
}

/// Throttles evaluated in order, every one of them (DRF's `check_throttles`).
struct ThrottleList(Vec<SharedThrottle>);

impl ThrottleClasses for ThrottleList {
    async fn check<'a>(&'a self, cx: &'a ThrottleContext<'a>) -> Result<(), ApiError> {
        let mut verdicts = Verdicts::default();
        for throttle in &self.0 {
            verdicts.add(throttle.0.allow_request_boxed(cx).await?);
        }
        verdicts.finish()
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
