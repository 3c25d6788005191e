//! A view's policy (its schemes, permissions and throttles), the defaults it falls back on, and
//! the pipeline that runs it before the handler.

pub mod defaults;
pub mod pipeline;
pub mod resolve;

pub use defaults::PolicyDefaults;
pub use pipeline::{AuthState, Policy, resolve};
pub use resolve::{
    AuthenticationPolicy, DefaultAuthentication, DefaultPermissions, DefaultThrottles, Resolve,
};
