//! DOT's scope permissions on the token of `OAuth2Authentication` (`oauth2_provider/contrib/
//! rest_framework/permissions.py`, 3.4.1): `TokenHasScope`, `TokenHasReadWriteScope` and
//! `TokenHasResourceScope`, which differ only in the scopes they require (`get_scopes`).
//!
//! A request whose `request.auth` is not an OAuth 2 token is refused, not an error (DOT #1169),
//! so these compose with `&`, `|` and `!`. Under `ERROR_RESPONSE_WITH_SCOPES` a refusal of a
//! live token lacking scopes answers `{"detail":…,"required_scopes":[…]}`.

use std::borrow::Cow;
use std::marker::PhantomData;

use super::permission::{Decision, Permission, PermissionContext};
use super::required_scopes::{NoRequiredScopes, RequiredScopes};
use super::scope_alternatives::ScopeAlternatives;
use crate::oauth2::messages;
use crate::settings::Settings;

/// The read or the write scope for `method` (`request.method.upper() in SAFE_METHODS`).
fn read_or_write<'a>(settings: &'a Settings, method: &str) -> &'a str {
    let oauth2 = &settings.oauth2;
    if matches!(
        method.to_ascii_uppercase().as_str(),
        "GET" | "HEAD" | "OPTIONS"
    ) {
        &oauth2.read_scope
    } else {
        &oauth2.write_scope
    }
}

/// `TokenHasScope.has_permission` for the scopes `required`.
pub(super) fn token_has(cx: &PermissionContext<'_>, required: &[Cow<'_, str>]) -> bool {
    match cx.auth.oauth2() {
        Some(token) => token.is_valid(
            cx.env.services().clock().now(),
            required.iter().map(AsRef::as_ref),
        ),
        // `if not token: return False` quietly; another scheme's credential with DOT's warning.
        None => {
            if !cx.auth.is_none() {
                tracing::warn!(target: "oauth2_provider", "{}", messages::TOKEN_HAS_SCOPE_NEEDS_OAUTH2);
            }
            false
        }
    }
}

/// The `required_scopes` member of the 403 body, when DOT adds it: the setting is on, scopes
/// were required, and the token is live but lacks one of them.
fn required_scopes_member(
    cx: &PermissionContext<'_>,
    required: &[Cow<'_, str>],
) -> Vec<(String, serde_json::Value)> {
    let Some(token) = cx.auth.oauth2() else {
        return Vec::new();
    };
    let include = cx.settings().oauth2.error_response_with_scopes
        && !required.is_empty()
        && !token.is_expired(cx.env.services().clock().now())
        && !token.allow_scopes(required.iter().map(AsRef::as_ref));
    if !include {
        return Vec::new();
    }
    let scopes = required
        .iter()
        .map(|scope| serde_json::Value::from(scope.as_ref()))
        .collect();
    vec![(
        messages::REQUIRED_SCOPES.to_owned(),
        serde_json::Value::Array(scopes),
    )]
}

macro_rules! scope_permission {
    ($(#[$doc:meta])* $name:ident<$param:ident $(= $default:ty)?>, |$settings:ident, $method:ident| $scopes:expr) => {
        $(#[$doc])*
        pub struct $name<$param $(= $default)?>(PhantomData<fn() -> $param>);

        impl<$param> Default for $name<$param> {
            fn default() -> Self {
                Self(PhantomData)
            }
        }

        impl<$param> std::fmt::Debug for $name<$param> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}<{}>", stringify!($name), std::any::type_name::<$param>())
            }
        }

        impl<$param: RequiredScopes> $name<$param> {
            /// DOT's `get_scopes(request, view)` for a request with `method`.
            pub fn scopes<'a>($settings: &'a Settings, $method: &str) -> Vec<Cow<'a, str>> {
                $scopes
            }
        }

        impl<$param: RequiredScopes> Permission for $name<$param> {
            async fn has_permission(&self, cx: &PermissionContext<'_>) -> Decision {
                Ok(token_has(cx, &Self::scopes(cx.settings(), cx.request.method())))
            }

            fn message_members(&self, cx: &PermissionContext<'_>) -> Vec<(String, serde_json::Value)> {
                required_scopes_member(cx, &Self::scopes(cx.settings(), cx.request.method()))
            }

            fn oauth2_scopes(&self, settings: &Settings, method: &str) -> ScopeAlternatives {
                ScopeAlternatives::all_of(Self::scopes(settings, method).iter().map(AsRef::as_ref))
            }
        }
    };
}

scope_permission!(
    /// DOT's `TokenHasScope`: the OAuth 2 token is live and grants every scope of `S`
    /// (`required_scopes`, declared with [`required_scopes!`](crate::required_scopes)).
    TokenHasScope<S>,
    |settings, method| {
        let _ = (settings, method);
        S::SCOPES.iter().map(|scope| Cow::Borrowed(*scope)).collect()
    }
);

scope_permission!(
    /// DOT's `TokenHasReadWriteScope`: the scopes of `S` (none by default) and `READ_SCOPE` for
    /// a safe method, `WRITE_SCOPE` for any other.
    TokenHasReadWriteScope<S = NoRequiredScopes>,
    |settings, method| {
        let mut scopes: Vec<Cow<'_, str>> =
            S::SCOPES.iter().map(|scope| Cow::Borrowed(*scope)).collect();
        scopes.push(Cow::Borrowed(read_or_write(settings, method)));
        scopes
    }
);

scope_permission!(
    /// DOT's `TokenHasResourceScope`: each scope of `S` as `<scope>:<READ_SCOPE>` for a safe
    /// method, `<scope>:<WRITE_SCOPE>` for any other.
    TokenHasResourceScope<S>,
    |settings, method| {
        let kind = read_or_write(settings, method);
        S::SCOPES
            .iter()
            .map(|scope| Cow::Owned(format!("{scope}:{kind}")))
            .collect()
    }
);
