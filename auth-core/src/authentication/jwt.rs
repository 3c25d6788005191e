//! djangorestframework-simplejwt's `JWTAuthentication` (`rest_framework_simplejwt/authentication.py`
//! in 5.5.1): `Authorization: Bearer <token>`, the token tried as each class of
//! `AUTH_TOKEN_CLASSES`, then its user read from the database.

use std::sync::Arc;

use serde_json::{Map, Value, json};
use subtle::ConstantTimeEq as _;

use super::scheme::{AuthContext, Authenticated, Authentication, Outcome};
use super::security_scheme::{self, SecurityRequirement};
use crate::error::ApiError;
use crate::jwt_revocation;
use crate::settings::Settings;
use crate::simplejwt::messages;
use crate::simplejwt::token::md5_hash_password;
use crate::simplejwt::{SimpleJwtSettings, TokenKind, ValidatedToken};
use crate::store::sqlite_reader;
use crate::user::AuthInfo;

/// simplejwt's `JWTAuthentication`: CSRF-exempt, `request.auth` is the validated token
/// ([`AuthInfo::Jwt`]). Challenge: `Bearer realm="api"` (the first of `AUTH_HEADER_TYPES`).
///
/// Divergence, secure by default: a `user_id` claim that is not a number (simplejwt's lookup
/// raises `ValueError`, a server error) is "User not found".
#[derive(Debug, Default, Clone, Copy)]
pub struct JwtAuthentication;

pub(super) fn simple_jwt(settings: &Settings) -> Result<Arc<SimpleJwtSettings>, ApiError> {
    settings.simple_jwt_or_default()
}

/// simplejwt's `AuthenticationFailed(detail, code)` and `InvalidToken`: DRF's 401 with the dict
/// body `{"detail":…,"code":…}` and any further members.
pub(super) fn refused(
    detail: &'static str,
    code: &'static str,
    members: Vec<(String, Value)>,
) -> Outcome {
    Outcome::Failed(
        ApiError::authentication_failed(detail)
            .with_code(code)
            .with_dict_detail(members),
    )
}

/// Python's `bytes.split()`: runs of ASCII whitespace separate, none are kept.
fn split_whitespace(header: &[u8]) -> impl Iterator<Item = &[u8]> {
    header
        .split(|byte| matches!(byte, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c))
        .filter(|part| !part.is_empty())
}

/// A token a class accepted: the class, the claims, the text presented.
pub(super) struct Accepted {
    pub(super) kind: TokenKind,
    pub(super) payload: Map<String, Value>,
    pub(super) text: String,
}

/// `get_validated_token(get_raw_token(get_header(request)))`: the first class of
/// `AUTH_TOKEN_CLASSES` that accepts the header's token, with its claims; `None` when the
/// header is absent or names another scheme; the refusal otherwise. A token its user's
/// revocation floor refuses ([`jwt_revocation`]) fails its class with "Token is blacklisted".
pub(super) async fn validated_token(
    cx: &AuthContext<'_>,
    settings: &SimpleJwtSettings,
) -> Result<Option<Accepted>, Outcome> {
    match raw_token(cx, settings) {
        RawToken::Absent | RawToken::OtherScheme => Ok(None),
        RawToken::Malformed(refusal) => Err(refusal),
        RawToken::Found(text) => validate(cx, settings, text).await.map(Some),
    }
}

/// What `get_header` and `get_raw_token` find.
pub(super) enum RawToken {
    /// No `AUTH_HEADER_NAME` header.
    Absent,
    /// A header of another scheme, or an empty one.
    OtherScheme,
    /// One of `AUTH_HEADER_TYPES` without exactly one token.
    Malformed(Outcome),
    /// The token's text.
    Found(String),
}

/// `get_raw_token(get_header(request))`.
pub(super) fn raw_token(cx: &AuthContext<'_>, settings: &SimpleJwtSettings) -> RawToken {
    let Some(header) = cx.request.header(&settings.auth_header_name) else {
        return RawToken::Absent;
    };
    let mut parts = split_whitespace(&header);
    // The type is compared as exact bytes: `bearer` is another scheme.
    let Some(first) = parts.next() else {
        return RawToken::OtherScheme;
    };
    if !settings
        .auth_header_types
        .iter()
        .any(|kind| kind.as_bytes() == first)
    {
        return RawToken::OtherScheme;
    }
    let (Some(raw), None) = (parts.next(), parts.next()) else {
        return RawToken::Malformed(refused(
            messages::TWO_SPACE_DELIMITED_VALUES,
            messages::CODE_BAD_AUTHORIZATION_HEADER,
            Vec::new(),
        ));
    };
    // Bytes outside base64url fail every class's decoding, as they do in PyJWT; a token is
    // ASCII, so the strict check is the fast one.
    match std::str::from_utf8(raw) {
        Ok(text) => RawToken::Found(text.to_owned()),
        Err(_) => RawToken::Found(String::from_utf8_lossy(raw).into_owned()),
    }
}

/// `get_validated_token(raw_token)`: the first class of `AUTH_TOKEN_CLASSES` that accepts it.
/// A refresh or sliding token is checked against simplejwt's blacklist first when the app is
/// installed (its `BlacklistMixin.verify`), and every token against its user's revocation floor.
pub(super) async fn validate(
    cx: &AuthContext<'_>,
    settings: &SimpleJwtSettings,
    text: String,
) -> Result<Accepted, Outcome> {
    let now = cx.services().clock().now();
    let mut failures = Vec::new();
    for &kind in &settings.auth_token_classes {
        let refused = |message: &str| {
            json!({
                "token_class": kind.class_name(),
                "token_type": kind.token_type(),
                "message": message,
            })
        };
        match jwt_revocation::read_token(cx.env, settings, kind, &text, now).await {
            Ok(Ok(token)) => {
                return Ok(Accepted {
                    kind,
                    payload: token.into_payload(),
                    text,
                });
            }
            Ok(Err(error)) => failures.push(refused(error.message())),
            Err(error) => return Err(Outcome::Failed(error)),
        }
    }
    Err(refused(
        messages::NOT_VALID_FOR_ANY_TOKEN_TYPE,
        messages::CODE_TOKEN_NOT_VALID,
        vec![("messages".to_owned(), Value::Array(failures))],
    ))
}

/// The challenge of simplejwt's schemes: `<first AUTH_HEADER_TYPES> realm="api"`.
pub(super) fn challenge(cx: &AuthContext<'_>) -> Option<String> {
    simple_jwt(cx.settings()).ok()?.authenticate_header()
}

/// `InvalidToken("Token contained no recognizable user identification")`.
pub(super) fn no_user_identification() -> Outcome {
    refused(
        messages::NO_USER_IDENTIFICATION,
        messages::CODE_TOKEN_NOT_VALID,
        Vec::new(),
    )
}

/// `request.auth`: the validated token, whose `str()` (simplejwt's `Token.__str__`, the claims
/// encoded again, which for a token with padding or another header order is not the text
/// presented) is made only if asked for.
pub(super) fn validated(
    settings: &Arc<SimpleJwtSettings>,
    kind: TokenKind,
    payload: Map<String, Value>,
    presented: &str,
) -> AuthInfo {
    AuthInfo::Jwt(Arc::new(ValidatedToken::presented(
        kind,
        payload,
        presented.to_owned(),
        Arc::clone(settings),
    )))
}

/// `get_user(validated_token)` of `JWTAuthentication`: the user the token names, read from the
/// database, checked as simplejwt checks it.
pub(super) async fn database_user(
    cx: &AuthContext<'_>,
    settings: &Arc<SimpleJwtSettings>,
    kind: TokenKind,
    payload: Map<String, Value>,
    text: &str,
) -> Outcome {
    let Some(claim) = payload.get(&settings.user_id_claim) else {
        return no_user_identification();
    };
    // `User.objects.get(id=value)`: Django reads the value with the key's `to_python`.
    let users = &cx.settings().user_model;
    let id = users.id_kind().from_json(claim);
    let user = match id {
        None => Ok(None),
        Some(id) => match sqlite_reader::user_by_id(cx.db(), users, id) {
            Some(found) => Ok(found),
            None => users.find_by_id(cx.db(), id).await,
        },
    };
    let user = match user {
        Err(error) => return Outcome::Failed(ApiError::store_failure(error)),
        Ok(None) => {
            return refused(
                messages::USER_NOT_FOUND,
                messages::CODE_USER_NOT_FOUND,
                Vec::new(),
            );
        }
        Ok(Some(user)) => user,
    };
    if settings.check_user_is_active && !user.is_active {
        return refused(
            messages::USER_IS_INACTIVE,
            messages::CODE_USER_INACTIVE,
            Vec::new(),
        );
    }
    if settings.check_revoke_token {
        let expected = md5_hash_password(&user.password);
        let matches = payload
            .get(&settings.revoke_token_claim)
            .and_then(Value::as_str)
            .is_some_and(|found| bool::from(found.as_bytes().ct_eq(expected.as_bytes())));
        if !matches {
            return refused(
                messages::PASSWORD_CHANGED,
                messages::CODE_PASSWORD_CHANGED,
                Vec::new(),
            );
        }
    }
    Outcome::Authenticated(Authenticated {
        user: user.into(),
        auth: validated(settings, kind, payload, text),
    })
}

impl Authentication for JwtAuthentication {
    const NAME: &'static str = "JWTAuthentication";

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
        database_user(cx, &settings, kind, payload, &text).await
    }
}
