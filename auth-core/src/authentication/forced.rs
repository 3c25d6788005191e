//! DRF's `force_authenticate` (test helpers): the request counts as authenticated as a given
//! user without credentials; permissions and throttles still run.

use std::future::Future;

use super::authenticators::{Authenticators, ChainOutcome};
use super::scheme::{AuthContext, Authenticated};
use super::security_scheme::SecurityRequirement;
use crate::settings::Settings;
use crate::user::{AuthInfo, User};

/// Replaces a view's schemes for one request (DRF's `ForcedAuthentication`).
#[derive(Debug, Clone)]
pub struct ForcedAuthentication {
    /// The user the request is authenticated as.
    pub user: User,
    /// `request.auth`.
    pub auth: AuthInfo,
}

impl Authenticators for ForcedAuthentication {
    fn is_empty(&self) -> bool {
        false
    }

    fn authenticate<'a>(
        &'a self,
        _cx: &'a AuthContext<'a>,
    ) -> impl Future<Output = ChainOutcome> + 'a {
        std::future::ready(ChainOutcome::Authenticated(
            "ForcedAuthentication",
            Authenticated {
                user: self.user.clone().into(),
                auth: self.auth.clone(),
            },
        ))
    }

    fn first_challenge(&self, _cx: &AuthContext<'_>) -> Option<String> {
        None
    }

    /// A test stand-in reads no credential.
    fn security_requirements(
        &self,
        _settings: &Settings,
        _method: &str,
    ) -> Vec<SecurityRequirement> {
        Vec::new()
    }
}
