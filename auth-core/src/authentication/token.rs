//! DRF's `TokenAuthentication`, with the keyword as a type parameter so that a `Bearer` variant
//! (or any other keyword) is one line.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

use super::authorization_header::Fields;
use super::scheme::{AuthContext, Authenticated, Authentication, Outcome};
use super::security_scheme::{self, SecurityRequirement};
use crate::error::ApiError;
use crate::messages;
use crate::services::credential_cache::TokenLookup;
use crate::settings::Settings;
use crate::store::{sqlite_reader, token};
use crate::user::{AuthInfo, User};

/// The keyword of a token scheme (`Authorization: <keyword> <key>`).
///
/// Declare one with [`token_keyword!`](crate::token_keyword):
/// `auth_actix::authentication::token_keyword!(pub ApiKey = "ApiKey");` then use
/// `TokenAuthentication<ApiKey>`.
pub trait TokenKeyword: 'static {
    /// The keyword; compared with the header's scheme case-insensitively.
    fn keyword(settings: &Settings) -> &str;
}

/// The keyword from the settings (`TokenAuthentication.keyword`, default `Token`).
#[derive(Debug, Default, Clone, Copy)]
pub struct SettingsKeyword;

impl TokenKeyword for SettingsKeyword {
    fn keyword(settings: &Settings) -> &str {
        &settings.token_keyword
    }
}

/// Declares a [`TokenKeyword`] type: `token_keyword!(pub Bearer = "Bearer");`
#[macro_export]
macro_rules! token_keyword {
    ($(#[$meta:meta])* $vis:vis $name:ident = $keyword:literal) => {
        $(#[$meta])*
        #[derive(Debug, Default, Clone, Copy)]
        $vis struct $name;

        impl $crate::authentication::token::TokenKeyword for $name {
            fn keyword(_settings: &$crate::settings::Settings) -> &str {
                $keyword
            }
        }
    };
}

token_keyword!(
    /// The `Bearer` keyword: `TokenAuthentication<Bearer>` reads `Authorization: Bearer <key>`.
    pub Bearer = "Bearer"
);

/// DRF token authentication against `authtoken_token`: one SQL query (token joined with its
/// user), CSRF-exempt; `request.auth` is the token row. Challenge: the keyword.
pub struct TokenAuthentication<K: TokenKeyword = SettingsKeyword>(PhantomData<fn() -> K>);

/// Token authentication with the `Bearer` keyword.
pub type BearerAuthentication = TokenAuthentication<Bearer>;

impl<K: TokenKeyword> Default for TokenAuthentication<K> {
    fn default() -> Self {
        Self(PhantomData)
    }
}

impl<K: TokenKeyword> fmt::Debug for TokenAuthentication<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TokenAuthentication")
    }
}

fn failed(message: &'static str) -> Outcome {
    Outcome::Failed(ApiError::authentication_failed(message))
}

impl<K: TokenKeyword> Authentication for TokenAuthentication<K> {
    const NAME: &'static str = "TokenAuthentication";

    fn security_requirement(settings: &Settings, _method: &str) -> SecurityRequirement {
        vec![security_scheme::drf_token(
            settings,
            Self::NAME,
            K::keyword(settings),
        )]
    }

    async fn authenticate(cx: &AuthContext<'_>) -> Outcome {
        let header = cx.request.header("authorization").unwrap_or_default();
        let Some(fields) = Fields::parse(&header) else {
            return Outcome::NotAttempted;
        };
        if !fields.scheme_is(K::keyword(cx.settings())) {
            return Outcome::NotAttempted;
        }
        let Some(key) = fields.credentials else {
            return failed(messages::TOKEN_NO_CREDENTIALS);
        };
        if fields.has_extra {
            return failed(messages::TOKEN_CONTAINS_SPACES);
        }
        let Ok(key) = std::str::from_utf8(key) else {
            return failed(messages::TOKEN_INVALID_CHARACTERS);
        };
        // PostgreSQL rejects NUL in text parameters with an error, which would surface as a
        // 503; such a key matches no row anywhere, so answer as for any unknown key.
        if key.contains('\0') {
            return failed(messages::INVALID_TOKEN);
        }
        let cache = cx.services().credential_cache();
        let now = cx.services().clock().now();
        if let Some(cache) = cache {
            match cache.token(key, now) {
                TokenLookup::Known(token, user) => return authenticated(token, &user),
                TokenLookup::Unknown => return failed(messages::INVALID_TOKEN),
                TokenLookup::Miss => {}
            }
        }
        let users = &cx.settings().user_model;
        let found = match sqlite_reader::token_with_user(cx.db(), users, key) {
            Some(found) => Ok(found),
            None => token::find_with_user(cx.db(), users, key).await,
        };
        match found {
            Err(error) => Outcome::Failed(ApiError::store_failure(error)),
            Ok(None) => {
                if let Some(cache) = cache {
                    cache.remember_unknown_token(key, now);
                }
                failed(messages::INVALID_TOKEN)
            }
            Ok(Some((token, user))) => {
                let token = Arc::new(token);
                let user = Arc::new(user);
                if let Some(cache) = cache {
                    cache.remember_token(key, Arc::clone(&token), Arc::clone(&user), now);
                }
                authenticated(token, &user)
            }
        }
    }

    fn challenge(cx: &AuthContext<'_>) -> Option<String> {
        Some(K::keyword(cx.settings()).to_owned())
    }
}

/// DRF's `authenticate_credentials` result for a found token: its user, unless inactive.
fn authenticated(token: Arc<token::Model>, user: &User) -> Outcome {
    if !user.is_active {
        return failed(messages::USER_INACTIVE);
    }
    Outcome::Authenticated(Authenticated {
        user: user.clone().into(),
        auth: AuthInfo::Token(token),
    })
}
