//! simplejwt 5.5.1's serializers (`rest_framework_simplejwt/serializers.py`), the work behind its
//! six views: obtain a pair or a sliding token, refresh either, verify, blacklist. Each takes the
//! validated fields and answers the view's body, or the error the view raises, as simplejwt
//! does; the web layer only reads the body and writes the answer.
//!
//! Where simplejwt crashes (a server error) these answer as a refused token instead; each such
//! place says so, and `docs/simplejwt.md` lists them.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use crate::accounts;
use crate::char_field::non_field_error;
use crate::environment::Environment;
use crate::error::ApiError;
use crate::jwt::claims::{python_int, truthy};
use crate::jwt_revocation;
use crate::simplejwt::messages;
use crate::simplejwt::{SimpleJwtSettings, Token, TokenError, TokenKind};
use crate::store::token_blacklist::{self, OutstandingToken};
use crate::user::User;

/// `TokenObtainSerializer`'s refusal: wrong credentials, or a user the authentication rule
/// refuses.
pub const NO_ACTIVE_ACCOUNT: &str = "No active account found with the given credentials";
/// `TokenRefreshSerializer`'s refusal: the token's user is inactive (and here, also: gone).
pub const NO_ACTIVE_ACCOUNT_FOR_TOKEN: &str = "No active account found for the given token.";
/// The code of both.
pub const CODE_NO_ACTIVE_ACCOUNT: &str = "no_active_account";

/// A view's answer: its members, in simplejwt's order.
pub type Body = Map<String, Value>;

/// `TokenViewBase.get_authenticate_header`: an authentication failure of the views carries
/// `WWW-Authenticate: <first AUTH_HEADER_TYPES> realm="api"` (and is a 401, not DRF's 403 for a
/// view without a challenge); other errors are returned as they are.
pub fn view_error(settings: &SimpleJwtSettings, error: ApiError) -> ApiError {
    if error.kind().is_authentication_error() {
        error.with_challenge(settings.authenticate_header())
    } else {
        error
    }
}

/// The view's `except TokenError as e: raise InvalidToken(e.args[0])`: 401
/// `{"detail":<message>,"code":"token_not_valid"}`.
fn invalid_token(error: &TokenError) -> ApiError {
    ApiError::authentication_failed(error.message().to_owned())
        .with_code(messages::CODE_TOKEN_NOT_VALID)
        .with_dict_detail(Vec::new())
}

/// `str(token)`; a key that cannot sign (a service given only a public key) is the server
/// error simplejwt's `InvalidKeyError` is, logged.
fn signed(token: &Token<'_>) -> Result<String, ApiError> {
    token.encode().map_err(|error| {
        tracing::error!(%error, "simplejwt: SIGNING_KEY cannot sign tokens");
        ApiError::new(crate::error::ErrorKind::ServerError)
    })
}

fn store_failure(error: sea_orm::DbErr) -> ApiError {
    ApiError::store_failure(error)
}

/// The token's `jti` as the blacklist stores it. simplejwt reads `payload[JTI_CLAIM]` and
/// crashes (`KeyError`, a server error) on a token without one; here it is "Token has no id",
/// what `verify()` would have said.
fn jti(token: &Token<'_>, settings: &SimpleJwtSettings) -> Result<String, TokenError> {
    jwt_revocation::jti_of(settings, token.payload())
        .ok_or_else(|| TokenError::new(messages::TOKEN_HAS_NO_ID))
}

/// `User.objects.get(id=payload[USER_ID_CLAIM])` where simplejwt catches `DoesNotExist`: the
/// user, or `None`. A claim `int()` cannot read (simplejwt: `ValueError`, a server error) is no
/// user here.
async fn claimed_user(
    env: &Environment,
    settings: &SimpleJwtSettings,
    token: &Token<'_>,
) -> Result<Option<User>, ApiError> {
    let users = &env.settings().user_model;
    let Some(id) = token
        .get(&settings.user_id_claim)
        .and_then(|claim| users.id_kind().from_json(claim))
    else {
        return Ok(None);
    };
    users.find_by_id(env.db(), id).await.map_err(store_failure)
}

/// The outstanding-token row of `token` as `outstand()`/`blacklist()` write it.
async fn outstanding_row(
    env: &Environment,
    settings: &SimpleJwtSettings,
    token: &Token<'_>,
) -> Result<OutstandingToken, ApiError> {
    let jti = jti(token, settings).map_err(|error| invalid_token(&error))?;
    let exp = token
        .get("exp")
        .and_then(python_int)
        .and_then(|exp| i64::try_from(exp).ok())
        .ok_or_else(|| invalid_token(&TokenError::new(messages::TOKEN_IS_INVALID)))?;
    let user_id = claimed_user(env, settings, token)
        .await?
        .map(|user| user.id);
    Ok(OutstandingToken {
        jti,
        user_id,
        token: signed(token)?,
        created_at: token.current_time(),
        expires_at: token_blacklist::datetime_from_epoch(exp),
    })
}

/// `RefreshToken(text)` / `SlidingToken(text)` / `UntypedToken(text)`, with the blacklist and
/// this library's floors ([`jwt_revocation::read_token`]); a refused token is the view's 401.
async fn read<'a>(
    env: &Environment,
    settings: &'a SimpleJwtSettings,
    kind: TokenKind,
    text: &str,
    now: DateTime<Utc>,
) -> Result<Token<'a>, ApiError> {
    jwt_revocation::read_token(env, settings, kind, text, now)
        .await?
        .map_err(|error| invalid_token(&error))
}

/// `TokenObtainSerializer.validate`: Django's `authenticate`, then the authentication rule;
/// either refusing is 401 "No active account found with the given credentials".
async fn obtain_user(
    env: &Environment,
    settings: &SimpleJwtSettings,
    username: &str,
    password: &str,
) -> Result<User, ApiError> {
    let checked = tokio::time::timeout(
        env.settings().authentication_timeout,
        accounts::authenticate(env, username, password),
    )
    .await
    .map_err(|_| ApiError::store_failure("credential check timed out"))??;
    match checked {
        Some(user) if user.is_active || !settings.check_user_is_active => Ok(user),
        _ => {
            Err(ApiError::authentication_failed(NO_ACTIVE_ACCOUNT)
                .with_code(CODE_NO_ACTIVE_ACCOUNT))
        }
    }
}

/// `for_user` of a blacklistable class: the token, and its outstanding row when the blacklist
/// app is installed.
async fn issue_for_user<'a>(
    env: &Environment,
    settings: &'a SimpleJwtSettings,
    kind: TokenKind,
    user: &User,
    now: DateTime<Utc>,
) -> Result<Token<'a>, ApiError> {
    let token = Token::for_user(kind, settings, user.id, &user.password, now);
    if settings.token_blacklist {
        let row = OutstandingToken {
            jti: jti(&token, settings).map_err(|error| invalid_token(&error))?,
            user_id: Some(user.id),
            token: signed(&token)?,
            created_at: now,
            expires_at: token_blacklist::datetime_from_epoch(
                token.get("exp").and_then(Value::as_i64).unwrap_or_default(),
            ),
        };
        token_blacklist::create(env.db(), &row)
            .await
            .map_err(store_failure)?;
    }
    Ok(token)
}

/// `update_last_login` when `UPDATE_LAST_LOGIN` is on.
async fn after_login(
    env: &Environment,
    settings: &SimpleJwtSettings,
    user: User,
) -> Result<(), ApiError> {
    if settings.update_last_login {
        env.settings()
            .user_model
            .touch_last_login(env.db(), user)
            .await
            .map_err(store_failure)?;
    }
    Ok(())
}

/// `TokenObtainPairSerializer`: `{"refresh":…,"access":…}`.
pub async fn obtain_pair(
    env: &Environment,
    settings: &SimpleJwtSettings,
    username: &str,
    password: &str,
) -> Result<Body, ApiError> {
    let user = obtain_user(env, settings, username, password).await?;
    let body = pair_for_user(env, settings, &user).await?;
    after_login(env, settings, user).await?;
    Ok(body)
}

/// The body of the obtain view for a user the service has already authenticated (a login from
/// a handler, a social login): `{"refresh":…,"access":…}`, the refresh token recorded as
/// `RefreshToken.for_user` records it. `last_login` is the caller's to update.
pub async fn pair_for_user(
    env: &Environment,
    settings: &SimpleJwtSettings,
    user: &User,
) -> Result<Body, ApiError> {
    let now = env.services().clock().now();
    let refresh = issue_for_user(env, settings, TokenKind::Refresh, user, now).await?;
    let mut body = Body::new();
    body.insert("refresh".to_owned(), Value::from(signed(&refresh)?));
    body.insert(
        "access".to_owned(),
        Value::from(signed(&refresh.access_token())?),
    );
    Ok(body)
}

/// `TokenObtainSlidingSerializer`: `{"token":…}`.
pub async fn obtain_sliding(
    env: &Environment,
    settings: &SimpleJwtSettings,
    username: &str,
    password: &str,
) -> Result<Body, ApiError> {
    let user = obtain_user(env, settings, username, password).await?;
    let now = env.services().clock().now();
    let token = issue_for_user(env, settings, TokenKind::Sliding, &user, now).await?;
    let mut body = Body::new();
    body.insert("token".to_owned(), Value::from(signed(&token)?));
    after_login(env, settings, user).await?;
    Ok(body)
}

/// `TokenRefreshSerializer`: `{"access":…}`, and with `ROTATE_REFRESH_TOKENS` a new refresh
/// token (`{"access":…,"refresh":…}`), the old one blacklisted first with
/// `BLACKLIST_AFTER_ROTATION`.
///
/// The token's user, when it names one, must pass the authentication rule. Divergence, secure
/// by default: a user that no longer exists (simplejwt 5.5.1: `DoesNotExist`, a server error) or
/// a claim that is not an id (`ValueError`, the same) is refused like an inactive one, 401 "No
/// active account found for the given token." — the answer simplejwt's next release gives.
pub async fn refresh(
    env: &Environment,
    settings: &SimpleJwtSettings,
    text: &str,
) -> Result<Body, ApiError> {
    let now = env.services().clock().now();
    let mut refresh = read(env, settings, TokenKind::Refresh, text, now).await?;
    // `if user_id and (user := get(...))`: a missing or falsy claim skips the check.
    let claim_is_set = refresh.get(&settings.user_id_claim).is_some_and(truthy);
    if claim_is_set {
        let refused = match claimed_user(env, settings, &refresh).await? {
            Some(user) => settings.check_user_is_active && !user.is_active,
            None => true,
        };
        if refused {
            return Err(ApiError::authentication_failed(NO_ACTIVE_ACCOUNT_FOR_TOKEN)
                .with_code(CODE_NO_ACTIVE_ACCOUNT));
        }
    }
    let mut body = Body::new();
    body.insert(
        "access".to_owned(),
        Value::from(signed(&refresh.access_token())?),
    );
    if settings.rotate_refresh_tokens {
        if settings.blacklist_after_rotation && settings.token_blacklist {
            let row = outstanding_row(env, settings, &refresh).await?;
            // Two refreshes racing with one token: the one that did not blacklist it is refused,
            // as it would be a moment later (simplejwt lets both through).
            if !jwt_revocation::blacklist(env, &row, now).await? {
                return Err(invalid_token(&TokenError::new(
                    messages::TOKEN_IS_BLACKLISTED,
                )));
            }
        }
        refresh.set_jti();
        refresh.set_exp("exp", None, None);
        refresh.set_iat(None);
        if settings.token_blacklist {
            let row = outstanding_row(env, settings, &refresh).await?;
            token_blacklist::outstand(env.db(), &row)
                .await
                .map_err(store_failure)?;
        }
        body.insert("refresh".to_owned(), Value::from(signed(&refresh)?));
    }
    Ok(body)
}

/// `TokenRefreshSlidingSerializer`: the sliding token with its `refresh_exp` still ahead gets a
/// new `exp` and `iat` (same `jti`): `{"token":…}`.
pub async fn refresh_sliding(
    env: &Environment,
    settings: &SimpleJwtSettings,
    text: &str,
) -> Result<Body, ApiError> {
    let now = env.services().clock().now();
    let mut token = read(env, settings, TokenKind::Sliding, text, now).await?;
    token
        .check_exp(&settings.sliding_token_refresh_exp_claim)
        .map_err(|error| invalid_token(&error))?;
    token.set_exp("exp", None, None);
    token.set_iat(None);
    let mut body = Body::new();
    body.insert("token".to_owned(), Value::from(signed(&token)?));
    Ok(body)
}

/// `TokenVerifySerializer`: any valid token is `{}`; with `BLACKLIST_AFTER_ROTATION` (and the
/// app) a blacklisted `jti` is `400 {"non_field_errors":["Token is blacklisted"]}`.
pub async fn verify(
    env: &Environment,
    settings: &SimpleJwtSettings,
    text: &str,
) -> Result<Body, ApiError> {
    let now = env.services().clock().now();
    let token = read(env, settings, TokenKind::Untyped, text, now).await?;
    if settings.blacklist_after_rotation
        && settings.token_blacklist
        && let Some(jti) = jwt_revocation::jti_of(settings, token.payload())
        && jwt_revocation::is_blacklisted(env, &jti).await?
    {
        return Err(non_field_error(messages::TOKEN_IS_BLACKLISTED));
    }
    Ok(Body::new())
}

/// `TokenBlacklistSerializer`: a valid refresh token is blacklisted: `{}`. Without the blacklist
/// app simplejwt answers `{}` and blacklists nothing; so does this.
pub async fn blacklist(
    env: &Environment,
    settings: &SimpleJwtSettings,
    text: &str,
) -> Result<Body, ApiError> {
    blacklist_refresh(env, settings, text)
        .await?
        .map_err(|error| invalid_token(&error))?;
    Ok(Body::new())
}

/// `RefreshToken(text).blacklist()`: the token read and verified as a refresh token (its
/// `TokenError` returned as such, for the views that word it their own way), then blacklisted
/// when the blacklist app is installed.
pub async fn blacklist_refresh(
    env: &Environment,
    settings: &SimpleJwtSettings,
    text: &str,
) -> Result<Result<(), TokenError>, ApiError> {
    let now = env.services().clock().now();
    let refresh =
        match jwt_revocation::read_token(env, settings, TokenKind::Refresh, text, now).await? {
            Ok(refresh) => refresh,
            Err(error) => return Ok(Err(error)),
        };
    if settings.token_blacklist {
        let row = outstanding_row(env, settings, &refresh).await?;
        // Blacklisting twice at once succeeds for both, as in simplejwt (`get_or_create`).
        jwt_revocation::blacklist(env, &row, now).await?;
    }
    Ok(Ok(()))
}
