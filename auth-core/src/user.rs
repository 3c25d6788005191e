//! DRF's `request.user` and `request.auth`: who the request is, and the credential object that
//! proved it.

use std::fmt;
use std::sync::Arc;

#[cfg(feature = "simplejwt")]
use crate::simplejwt::ValidatedToken;
#[cfg(feature = "knox")]
use crate::store::knox_token;
use crate::store::token;
pub use crate::store::user::User;

/// What `request.user` is: an authenticated row, DRF's `AnonymousUser`, or nothing when
/// `UNAUTHENTICATED_USER` is set to none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestUser {
    /// A user a scheme authenticated.
    User(Arc<User>),
    /// Django's `AnonymousUser`: no id, username `""`, not staff, not active; all compare equal.
    Anonymous,
    /// `UNAUTHENTICATED_USER = None`: the request has no user object at all.
    None,
}

impl RequestUser {
    /// Whether a user is present and authenticated (what `IsAuthenticated` checks).
    pub fn is_authenticated(&self) -> bool {
        matches!(self, Self::User(_))
    }

    /// Whether a user is present and staff (what `IsAdminUser` checks).
    pub fn is_staff(&self) -> bool {
        matches!(self, Self::User(user) if user.is_staff)
    }

    /// Whether the user is active; the anonymous user is not.
    pub fn is_active(&self) -> bool {
        matches!(self, Self::User(user) if user.is_active)
    }

    /// The authenticated row, if any.
    pub fn as_user(&self) -> Option<&User> {
        match self {
            Self::User(user) => Some(user),
            Self::Anonymous | Self::None => None,
        }
    }

    /// The primary key, if any.
    pub fn id(&self) -> Option<i32> {
        self.as_user().map(|user| user.id)
    }

    /// The username; `""` for the anonymous user, as Django's.
    pub fn username(&self) -> &str {
        self.as_user().map_or("", |user| user.username.as_str())
    }
}

/// Django's `str(request.user)`: the username, `AnonymousUser`, or `None`.
impl fmt::Display for RequestUser {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::User(user) => f.write_str(&user.username),
            Self::Anonymous => f.write_str("AnonymousUser"),
            Self::None => f.write_str("None"),
        }
    }
}

/// What `request.auth` is after authentication: the credential object the successful scheme
/// returned (DRF's `request.auth`; `None` for schemes without one and for anonymous requests).
#[derive(Clone, Default)]
#[non_exhaustive]
pub enum AuthInfo {
    /// Nothing: Basic, Session and RemoteUser authenticate without a credential object, and an
    /// anonymous request has none (DRF's `UNAUTHENTICATED_TOKEN = None`).
    #[default]
    None,
    /// The DRF token row that authenticated the request.
    Token(Arc<token::Model>),
    /// The knox token that authenticated the request.
    #[cfg(feature = "knox")]
    #[cfg_attr(docsrs, doc(cfg(feature = "knox")))]
    Knox(Arc<KnoxAuth>),
    /// The simplejwt token that authenticated the request.
    #[cfg(feature = "simplejwt")]
    #[cfg_attr(docsrs, doc(cfg(feature = "simplejwt")))]
    Jwt(Arc<ValidatedToken>),
    /// A value chosen by a custom scheme.
    Value(Arc<str>),
}

impl AuthInfo {
    /// What the reference prints for `str(request.auth)`: `None`, a DRF token's key, or a custom
    /// value. This **reveals the token key**: use it where the reference would show the key (a
    /// parity check, a response the token owner asked for), never in a log line.
    pub fn to_drf_string(&self) -> String {
        match self {
            Self::None => "None".to_owned(),
            Self::Token(token) => token.key.clone(),
            // knox's `AuthToken.__str__`: `'%s : %s' % (self.digest, self.user)`.
            #[cfg(feature = "knox")]
            Self::Knox(knox) => format!("{} : {}", knox.row.digest, knox.username),
            // simplejwt's `Token.__str__`: the claims encoded again.
            #[cfg(feature = "simplejwt")]
            Self::Jwt(token) => token.text.clone(),
            Self::Value(value) => value.to_string(),
        }
    }

    /// The DRF token, when a token scheme authenticated the request.
    pub fn token(&self) -> Option<&token::Model> {
        match self {
            Self::Token(token) => Some(token),
            _ => None,
        }
    }

    /// The knox token, when knox authenticated the request.
    #[cfg(feature = "knox")]
    #[cfg_attr(docsrs, doc(cfg(feature = "knox")))]
    pub fn knox_token(&self) -> Option<&knox_token::Model> {
        match self {
            Self::Knox(knox) => Some(&knox.row),
            _ => None,
        }
    }

    /// The simplejwt token, when `JWTAuthentication` authenticated the request.
    #[cfg(feature = "simplejwt")]
    #[cfg_attr(docsrs, doc(cfg(feature = "simplejwt")))]
    pub fn jwt(&self) -> Option<&ValidatedToken> {
        match self {
            Self::Jwt(token) => Some(token),
            _ => None,
        }
    }

    /// Whether there is no credential object.
    pub fn is_none(&self) -> bool {
        matches!(self, Self::None)
    }
}

impl fmt::Debug for AuthInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::None => f.write_str("None"),
            // The token's own Debug redacts its key.
            Self::Token(token) => f.debug_tuple("Token").field(token).finish(),
            #[cfg(feature = "knox")]
            Self::Knox(knox) => f.debug_tuple("Knox").field(&knox.row).finish(),
            #[cfg(feature = "simplejwt")]
            Self::Jwt(token) => f.debug_tuple("Jwt").field(token).finish(),
            Self::Value(_) => f.write_str("Value(<redacted>)"),
        }
    }
}

/// `request.auth` of a knox-authenticated request: the row and its user's name (knox's
/// `str(token)` is `"<digest> : <username>"`).
#[cfg(feature = "knox")]
#[cfg_attr(docsrs, doc(cfg(feature = "knox")))]
#[derive(Clone)]
pub struct KnoxAuth {
    /// The token row.
    pub row: knox_token::Model,
    /// The owner's username.
    pub username: String,
}

#[cfg(feature = "knox")]
impl fmt::Debug for KnoxAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KnoxAuth")
            .field("row", &self.row)
            .finish_non_exhaustive()
    }
}
