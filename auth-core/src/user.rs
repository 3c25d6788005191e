//! DRF's `request.user` and `request.auth`: who the request is, and the credential object that
//! proved it.

use std::fmt;
use std::sync::Arc;

#[cfg(feature = "simplejwt")]
use crate::simplejwt::ValidatedToken;
#[cfg(feature = "knox")]
use crate::store::knox_token;
#[cfg(feature = "oauth2")]
use crate::store::oauth2_access_token::AccessToken;
use crate::store::token;
pub use crate::store::user::User;
use crate::store::user_id::UserId;

/// What `request.user` is: an authenticated row, DRF's `AnonymousUser`, or nothing when
/// `UNAUTHENTICATED_USER` is set to none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestUser {
    /// A user a scheme authenticated.
    User(Arc<User>),
    /// simplejwt's `TokenUser`: a user known only from a verified token's claims
    /// (`JWTStatelessUserAuthentication`), never read from the database.
    Token(Arc<TokenUser>),
    /// Django's `AnonymousUser`: no id, username `""`, not staff, not active; all compare equal.
    Anonymous,
    /// `UNAUTHENTICATED_USER = None`: the request has no user object at all.
    None,
}

impl RequestUser {
    /// Whether a user is present and authenticated (what `IsAuthenticated` checks).
    pub fn is_authenticated(&self) -> bool {
        matches!(self, Self::User(_) | Self::Token(_))
    }

    /// Whether a user is present and staff (what `IsAdminUser` checks).
    pub fn is_staff(&self) -> bool {
        match self {
            Self::User(user) => user.is_staff,
            Self::Token(user) => user.is_staff,
            Self::Anonymous | Self::None => false,
        }
    }

    /// Whether the user is active; the anonymous user is not.
    pub fn is_active(&self) -> bool {
        match self {
            Self::User(user) => user.is_active,
            // "User is always active since Simple JWT will never issue a token for an inactive
            // user" (simplejwt's `TokenUser.is_active`).
            Self::Token(_) => true,
            Self::Anonymous | Self::None => false,
        }
    }

    /// The authenticated row, if any.
    pub fn as_user(&self) -> Option<&User> {
        match self {
            Self::User(user) => Some(user),
            Self::Token(_) | Self::Anonymous | Self::None => None,
        }
    }

    /// The primary key of a database user, if any.
    pub fn id(&self) -> Option<UserId> {
        self.as_user().map(|user| user.id)
    }

    /// `str(request.user.pk)`: a database user's primary key, or a token user's id claim (what
    /// DRF's user throttles key by).
    pub fn pk_text(&self) -> Option<String> {
        match self {
            Self::User(user) => Some(user.id.to_string()),
            Self::Token(user) => Some(user.id.clone()),
            Self::Anonymous | Self::None => None,
        }
    }

    /// The token user, if the request has one.
    pub fn as_token_user(&self) -> Option<&TokenUser> {
        match self {
            Self::Token(user) => Some(user),
            Self::User(_) | Self::Anonymous | Self::None => None,
        }
    }

    /// The username; `""` for the anonymous user, as Django's.
    pub fn username(&self) -> &str {
        match self {
            Self::User(user) => &user.username,
            Self::Token(user) => &user.username,
            Self::Anonymous | Self::None => "",
        }
    }
}

impl From<User> for RequestUser {
    fn from(user: User) -> Self {
        Self::User(Arc::new(user))
    }
}

/// simplejwt's `TokenUser` (`models.py`): who a verified token says the user is, without a
/// database row. Its attributes come from the token's claims as simplejwt reads them: `id` is
/// the `USER_ID_CLAIM` (`str()` of it here), `username` the `username` claim (`""` when absent),
/// `is_staff` and `is_superuser` the truth of the claims of those names (false when absent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenUser {
    /// `str(token[USER_ID_CLAIM])`.
    pub id: String,
    /// `token.get("username", "")`.
    pub username: String,
    /// `token.get("is_staff", False)`, as a truth value.
    pub is_staff: bool,
    /// `token.get("is_superuser", False)`, as a truth value.
    pub is_superuser: bool,
}

/// Django's `str(request.user)`: the username, `AnonymousUser`, or `None`.
impl fmt::Display for RequestUser {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::User(user) => f.write_str(&user.username),
            Self::Token(user) => write!(f, "TokenUser {}", user.id),
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
    /// The Django OAuth Toolkit access token that authenticated the request.
    #[cfg(feature = "oauth2")]
    #[cfg_attr(docsrs, doc(cfg(feature = "oauth2")))]
    OAuth2(Arc<AccessToken>),
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
            Self::Jwt(token) => token.text().to_owned(),
            // DOT's `AccessToken.__str__`: `AccessToken #<pk>`, never the token.
            #[cfg(feature = "oauth2")]
            Self::OAuth2(token) => token.to_string(),
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

    /// The OAuth 2 access token, when `OAuth2Authentication` authenticated the request.
    #[cfg(feature = "oauth2")]
    #[cfg_attr(docsrs, doc(cfg(feature = "oauth2")))]
    pub fn oauth2(&self) -> Option<&AccessToken> {
        match self {
            Self::OAuth2(token) => Some(token),
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
            #[cfg(feature = "oauth2")]
            Self::OAuth2(token) => f.debug_tuple("OAuth2").field(token).finish(),
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
