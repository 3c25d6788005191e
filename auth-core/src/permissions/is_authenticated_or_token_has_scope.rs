//! DOT's `IsAuthenticatedOrTokenHasScope`: a user authenticated by any scheme but
//! `OAuth2Authentication`, or an OAuth 2 token granting the view's scopes.

use std::borrow::Cow;
use std::marker::PhantomData;

use super::permission::{Decision, Permission, PermissionContext};
use super::required_scopes::RequiredScopes;
use super::scope_alternatives::ScopeAlternatives;
use super::token_has_scope::token_has;
use crate::settings::Settings;

/// DOT's `IsAuthenticatedOrTokenHasScope` with `required_scopes` `S`. Its refusal carries no
/// `required_scopes` member (DOT's inner `TokenHasScope` keeps its message to itself).
pub struct IsAuthenticatedOrTokenHasScope<S>(PhantomData<fn() -> S>);

impl<S> Default for IsAuthenticatedOrTokenHasScope<S> {
    fn default() -> Self {
        Self(PhantomData)
    }
}

impl<S> std::fmt::Debug for IsAuthenticatedOrTokenHasScope<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "IsAuthenticatedOrTokenHasScope<{}>",
            std::any::type_name::<S>()
        )
    }
}

impl<S: RequiredScopes> Permission for IsAuthenticatedOrTokenHasScope<S> {
    async fn has_permission(&self, cx: &PermissionContext<'_>) -> Decision {
        // `isinstance(request.successful_authenticator, OAuth2Authentication)`: only that
        // scheme makes `request.auth` an OAuth 2 token.
        let by_oauth2 = cx.auth.oauth2().is_some();
        if cx.user.is_authenticated() && !by_oauth2 {
            return Ok(true);
        }
        let required: Vec<Cow<'_, str>> = S::SCOPES.iter().map(|s| Cow::Borrowed(*s)).collect();
        Ok(token_has(cx, &required))
    }

    /// A token needs the scopes; another scheme's user needs none, which an API description
    /// of the OAuth 2 scheme alone does not show: the token's requirement is described.
    fn oauth2_scopes(&self, _settings: &Settings, _method: &str) -> ScopeAlternatives {
        ScopeAlternatives::all_of(S::SCOPES.iter().copied())
    }
}
