//! simplejwt's `JWTStatelessUserAuthentication` (alias `JWTTokenUserAuthentication`): the token
//! is checked as `JWTAuthentication` checks it, and the user is a [`TokenUser`] made from its
//! claims — no database read, so a service that shares the signing key but not the user table
//! can authenticate simplejwt's tokens.

use std::sync::Arc;

use super::jwt::{
    Accepted, challenge, no_user_identification, simple_jwt, validated, validated_token,
};
use super::scheme::{AuthContext, Authenticated, Authentication, Outcome};
use super::security_scheme::{self, SecurityRequirement};
use crate::jwt::claims::{python_str, truthy};
use crate::settings::Settings;
use crate::user::{RequestUser, TokenUser};

/// simplejwt's `JWTStatelessUserAuthentication`: CSRF-exempt, `request.user` is a
/// [`TokenUser`] (`RequestUser::Token`), `request.auth` the validated token. Nothing about the
/// user is checked beyond the token: not that it exists, nor that it is active, nor
/// `CHECK_REVOKE_TOKEN` — as in simplejwt. Challenge: `Bearer realm="api"`.
#[derive(Debug, Default, Clone, Copy)]
pub struct JwtStatelessUserAuthentication;

impl Authentication for JwtStatelessUserAuthentication {
    const NAME: &'static str = "JWTStatelessUserAuthentication";

    fn security_requirement(settings: &Settings, _method: &str) -> SecurityRequirement {
        let jwt = simple_jwt(settings).ok();
        vec![security_scheme::simplejwt(jwt.as_deref(), Self::NAME, "")]
    }

    fn challenge(cx: &AuthContext<'_>) -> Option<String> {
        challenge(cx)
    }

    async fn authenticate(cx: &AuthContext<'_>) -> Outcome {
        let settings = match simple_jwt(cx.settings()) {
            Ok(settings) => settings,
            Err(error) => return Outcome::Failed(error),
        };
        let Accepted {
            kind,
            payload,
            text,
        } = match validated_token(cx, &settings).await {
            Ok(Some(validated)) => validated,
            Ok(None) => return Outcome::NotAttempted,
            Err(refusal) => return refusal,
        };
        let Some(id) = payload.get(&settings.user_id_claim) else {
            return no_user_identification();
        };
        let user = TokenUser {
            id: python_str(id),
            username: payload.get("username").map(python_str).unwrap_or_default(),
            is_staff: payload.get("is_staff").is_some_and(truthy),
            is_superuser: payload.get("is_superuser").is_some_and(truthy),
        };
        Outcome::Authenticated(Authenticated {
            user: RequestUser::Token(Arc::new(user)),
            auth: validated(&settings, kind, payload, &text),
        })
    }
}
