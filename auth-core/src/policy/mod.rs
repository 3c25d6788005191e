//! A view's policy (its schemes, permissions and throttles), the defaults it falls back on, and
//! the pipeline that runs it before the handler.

pub mod declared;
pub mod defaults;
pub mod import_strings;
pub mod pipeline;

pub use declared::{
    AuthenticationPolicy, DefaultAuthentication, DefaultPermissions, DefaultThrottles, Resolve,
};
pub use defaults::PolicyDefaults;
pub use import_strings::{ImportError, ImportStrings};
pub use pipeline::{AuthState, Policy, resolve};
