//! DOT's `TokenMatchesOASRequirements`: per method, alternative lists of scopes (OpenAPI's
//! alternative security requirements); the OAuth 2 token must be live and grant one list.

use std::marker::PhantomData;

use super::permission::{Decision, Permission, PermissionContext};
use super::required_scopes::RequiredAlternateScopes;
use super::scope_alternatives::ScopeAlternatives;
use crate::oauth2::messages;
use crate::settings::Settings;

/// DOT's `TokenMatchesOASRequirements` with `required_alternate_scopes` `A` (declared with
/// [`required_alternate_scopes!`](crate::required_alternate_scopes)). A method `A` does not list
/// is refused, as is a request whose `request.auth` is not an OAuth 2 token.
pub struct TokenMatchesOASRequirements<A>(PhantomData<fn() -> A>);

impl<A> Default for TokenMatchesOASRequirements<A> {
    fn default() -> Self {
        Self(PhantomData)
    }
}

impl<A> std::fmt::Debug for TokenMatchesOASRequirements<A> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "TokenMatchesOASRequirements<{}>",
            std::any::type_name::<A>()
        )
    }
}

impl<A: RequiredAlternateScopes> Permission for TokenMatchesOASRequirements<A> {
    async fn has_permission(&self, cx: &PermissionContext<'_>) -> Decision {
        let Some(token) = cx.auth.oauth2() else {
            if !cx.auth.is_none() {
                tracing::warn!(target: "oauth2_provider", "{}", messages::TOKEN_MATCHES_OAS_NEEDS_OAUTH2);
            }
            return Ok(false);
        };
        let method = cx.request.method().to_ascii_uppercase();
        let Some(alternatives) = A::alternatives(&method) else {
            tracing::warn!(target: "oauth2_provider", "{} {method}", messages::NO_SCOPE_ALTERNATES);
            return Ok(false);
        };
        let now = cx.env.services().clock().now();
        Ok(alternatives
            .iter()
            .any(|scopes| token.is_valid(now, scopes.iter().copied())))
    }

    fn oauth2_scopes(&self, _settings: &Settings, method: &str) -> ScopeAlternatives {
        match A::alternatives(&method.to_ascii_uppercase()) {
            Some(alternatives) => {
                ScopeAlternatives::any_of(alternatives.iter().map(|list| list.iter().copied()))
            }
            None => ScopeAlternatives::unsatisfiable(),
        }
    }
}
