//! Django OAuth Toolkit's `oauth2_provider_application` (`oauth2_provider.models.Application`):
//! the registered clients, as the token, revocation and introspection endpoints read them.

use std::fmt;

use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{ConnectionTrait, DbErr, FromQueryResult};

use super::user_id::UserId;

/// DOT's table.
pub const TABLE: &str = "oauth2_provider_application";

/// `Application.client_type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientType {
    /// `confidential`: holds a secret and must authenticate.
    Confidential,
    /// `public`: cannot keep a secret (a browser or mobile app).
    Public,
}

impl ClientType {
    /// The stored value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Confidential => "confidential",
            Self::Public => "public",
        }
    }

    /// The stored value read back; anything but `public` is confidential here (fails closed:
    /// DOT compares with `"confidential"` for one check and `"public"` for another).
    pub fn from_stored(value: &str) -> Self {
        if value == "public" {
            Self::Public
        } else {
            Self::Confidential
        }
    }
}

/// `Application.authorization_grant_type` values.
pub mod grant_type {
    /// `authorization-code`.
    pub const AUTHORIZATION_CODE: &str = "authorization-code";
    /// `implicit`.
    pub const IMPLICIT: &str = "implicit";
    /// `password`.
    pub const PASSWORD: &str = "password";
    /// `client-credentials`.
    pub const CLIENT_CREDENTIALS: &str = "client-credentials";
    /// `openid-hybrid`.
    pub const OPENID_HYBRID: &str = "openid-hybrid";
    /// The device-authorization grant.
    pub const DEVICE_CODE: &str = "urn:ietf:params:oauth:grant-type:device_code";
}

/// One application row: what the endpoints need of it. `Debug` never shows the secret.
#[derive(Clone, PartialEq, Eq)]
pub struct Application {
    /// The primary key.
    pub id: i64,
    /// The public identifier clients send.
    pub client_id: String,
    /// The secret as stored: a Django password hash (DOT's default, `hash_client_secret`) or
    /// the secret itself.
    pub client_secret: String,
    /// Confidential or public.
    pub client_type: ClientType,
    /// The one grant type the application may use (a [`grant_type`] value).
    pub authorization_grant_type: String,
    /// Space- or newline-separated redirect URIs.
    pub redirect_uris: String,
    /// Its name.
    pub name: String,
    /// Its owner, when it has one.
    pub user_id: Option<UserId>,
    /// Whether the consent page is skipped for it.
    pub skip_authorization: bool,
    /// `""`, `RS256` or `HS256` (OpenID Connect ID tokens).
    pub algorithm: String,
    /// Space-separated origins a browser client may call the token endpoint from (CORS).
    pub allowed_origins: String,
}

impl Application {
    /// `allows_grant_type(*grant_types)`: its grant type is one of these.
    pub fn allows_grant_type(&self, grant_types: &[&str]) -> bool {
        grant_types.contains(&self.authorization_grant_type.as_str())
    }

    /// `origin_allowed(origin)` (DOT's `is_origin_allowed` with `ALLOWED_SCHEMES = ["https"]`):
    /// the origin is `https` and one of `allowed_origins` has its scheme and network location.
    pub fn origin_allowed(&self, origin: &str) -> bool {
        use crate::compat::python::urlsplit::urlsplit;
        let Some(origin) = urlsplit(origin) else {
            return false;
        };
        origin.scheme == "https"
            && crate::compat::python::text::python_split(&self.allowed_origins).any(|allowed| {
                urlsplit(allowed).is_some_and(|allowed| {
                    allowed.scheme == origin.scheme && allowed.netloc == origin.netloc
                })
            })
    }
}

impl fmt::Debug for Application {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Application")
            .field("id", &self.id)
            .field("client_id", &self.client_id)
            .field("client_type", &self.client_type)
            .field("authorization_grant_type", &self.authorization_grant_type)
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

#[derive(FromQueryResult)]
struct Row {
    id: i64,
    client_id: String,
    client_secret: String,
    client_type: String,
    authorization_grant_type: String,
    redirect_uris: String,
    name: String,
    user_id: Option<UserId>,
    skip_authorization: bool,
    algorithm: String,
    allowed_origins: String,
}

impl From<Row> for Application {
    fn from(row: Row) -> Self {
        Self {
            id: row.id,
            client_id: row.client_id,
            client_secret: row.client_secret,
            client_type: ClientType::from_stored(&row.client_type),
            authorization_grant_type: row.authorization_grant_type,
            redirect_uris: row.redirect_uris,
            name: row.name,
            user_id: row.user_id,
            skip_authorization: row.skip_authorization,
            algorithm: row.algorithm,
            allowed_origins: row.allowed_origins,
        }
    }
}

fn select() -> sea_orm::sea_query::SelectStatement {
    let mut select = Query::select();
    select.from(Alias::new(TABLE)).columns(
        [
            "id",
            "client_id",
            "client_secret",
            "client_type",
            "authorization_grant_type",
            "redirect_uris",
            "name",
            "user_id",
            "skip_authorization",
            "algorithm",
            "allowed_origins",
        ]
        .map(Alias::new),
    );
    select
}

/// `Application.objects.get(client_id=…)`: the application with this client id. A client id
/// the database cannot represent (a NUL byte on PostgreSQL) names none, as DOT answers since
/// its GH #1006.
pub async fn by_client_id<C: ConnectionTrait>(
    db: &C,
    client_id: &str,
) -> Result<Option<Application>, DbErr> {
    if !super::storable::can_be_stored(client_id) {
        return Ok(None);
    }
    let mut select = select();
    select
        .and_where(Expr::col(Alias::new("client_id")).eq(client_id))
        .limit(1);
    let row = super::storable::or_no_match(db.query_one(&select).await)?;
    row.map(|row| Row::from_query_result(&row, "").map(Application::from))
        .transpose()
}

/// The application with this primary key.
pub async fn by_id<C: ConnectionTrait>(db: &C, id: i64) -> Result<Option<Application>, DbErr> {
    let mut select = select();
    select
        .and_where(Expr::col(Alias::new("id")).eq(id))
        .limit(1);
    let row = db.query_one(&select).await?;
    row.map(|row| Row::from_query_result(&row, "").map(Application::from))
        .transpose()
}
