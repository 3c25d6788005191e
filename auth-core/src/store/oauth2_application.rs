//! Django OAuth Toolkit's `oauth2_provider_application` (`oauth2_provider.models.Application`):
//! the registered clients, as the token, revocation and introspection endpoints read them, and
//! as `auth-admin`'s `createapplication`, `listapplications` and `deleteapplication` write, list
//! and delete them (DOT's generators, its `save()`'s row, Django's cascade).

use std::fmt;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{ConnectionTrait, DbBackend, DbErr, FromQueryResult};

use super::user_id::UserId;
use crate::django::signing::get_random_string;

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

    /// Every value, in the order of DOT's `GRANT_TYPES` (its choices).
    pub const ALL: [&str; 6] = [
        AUTHORIZATION_CODE,
        DEVICE_CODE,
        IMPLICIT,
        PASSWORD,
        CLIENT_CREDENTIALS,
        OPENID_HYBRID,
    ];
}

/// `Application.algorithm` values (DOT's `ALGORITHM_TYPES`).
pub mod algorithm {
    /// `""`: no OpenID Connect support.
    pub const NONE: &str = "";
    /// `RS256`: ID tokens signed with `OIDC_RSA_PRIVATE_KEY`.
    pub const RS256: &str = "RS256";
    /// `HS256`: ID tokens signed with the client secret, which must then be stored unhashed.
    pub const HS256: &str = "HS256";
}

/// `Application.registration_source` values.
pub mod registration_source {
    /// `manual`: created by hand (the admin, `createapplication`); DOT's default.
    pub const MANUAL: &str = "manual";
    /// `dcr`: Dynamic Client Registration (RFC 7591).
    pub const DCR: &str = "dcr";
    /// `cimd`: a Client ID Metadata Document.
    pub const CIMD: &str = "cimd";
}

/// oauthlib's `UNICODE_ASCII_CHARACTER_SET`, which DOT's generators draw from.
const GENERATOR_CHARACTERS: &[u8] =
    b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/// The length of a generated client id (DOT's `ClientIdGenerator`).
pub const CLIENT_ID_LENGTH: usize = 40;

/// The length of a generated client secret (DOT's `CLIENT_SECRET_GENERATOR_LENGTH` default).
pub const CLIENT_SECRET_LENGTH: usize = 128;

/// DOT's `generate_client_id()` (`ClientIdGenerator`): 40 characters of `[a-zA-Z0-9]`, from the
/// operating system's generator (as oauthlib's `SystemRandom`).
pub fn generate_client_id() -> String {
    get_random_string(CLIENT_ID_LENGTH, GENERATOR_CHARACTERS)
}

/// DOT's `generate_client_secret()` (`ClientSecretGenerator`): 128 characters of
/// `[a-zA-Z0-9]`, from the operating system's generator.
pub fn generate_client_secret() -> String {
    get_random_string(CLIENT_SECRET_LENGTH, GENERATOR_CHARACTERS)
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

/// The columns the library reads, the owner's key as [`UserId`] reads it on every backend.
fn select(backend: DbBackend) -> sea_orm::sea_query::SelectStatement {
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
            "skip_authorization",
            "algorithm",
            "allowed_origins",
        ]
        .map(Alias::new),
    );
    select.expr_as(
        super::user_id::readable(backend, Expr::col(Alias::new("user_id"))),
        Alias::new("user_id"),
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
    let mut select = select(db.get_database_backend());
    select
        .and_where(Expr::col(Alias::new("client_id")).eq(client_id))
        .limit(1);
    let row = super::storable::or_no_match(db.query_one(&select).await)?;
    row.map(|row| Row::from_query_result(&row, "").map(Application::from))
        .transpose()
}

/// The application with this primary key.
pub async fn by_id<C: ConnectionTrait>(db: &C, id: i64) -> Result<Option<Application>, DbErr> {
    let mut select = select(db.get_database_backend());
    select
        .and_where(Expr::col(Alias::new("id")).eq(id))
        .limit(1);
    let row = db.query_one(&select).await?;
    row.map(|row| Row::from_query_result(&row, "").map(Application::from))
        .transpose()
}

/// Whether an application has this client id (DOT's `validate_unique` of `client_id`: an
/// exact comparison on SQLite and PostgreSQL, the column's collation's on MySQL, as Django's
/// `filter(client_id=…).exists()`).
pub async fn client_id_exists<C: ConnectionTrait>(db: &C, client_id: &str) -> Result<bool, DbErr> {
    Ok(by_client_id(db, client_id).await?.is_some())
}

/// Every application, by primary key.
pub async fn list<C: ConnectionTrait>(db: &C) -> Result<Vec<Application>, DbErr> {
    let mut select = select(db.get_database_backend());
    select.order_by(Alias::new("id"), sea_orm::Order::Asc);
    db.query_all(&select)
        .await?
        .iter()
        .map(|row| Row::from_query_result(row, "").map(Application::from))
        .collect()
}

/// An application to write, as DOT's `Application(...).save()` writes it.
pub struct NewApplication<'a> {
    /// The public identifier.
    pub client_id: &'a str,
    /// The owner, when it has one.
    pub user_id: Option<UserId>,
    /// Space-separated redirect URIs, as given.
    pub redirect_uris: &'a str,
    /// Space-separated URIs of RP-initiated logout, as given.
    pub post_logout_redirect_uris: &'a str,
    /// Confidential or public.
    pub client_type: ClientType,
    /// A [`grant_type`] value.
    pub authorization_grant_type: &'a str,
    /// The secret as it is to be stored: already hashed when `hash_client_secret` (DOT's
    /// `ClientSecretField.pre_save` hashes it unless it is a hash already).
    pub client_secret: &'a str,
    /// Whether the secret is stored hashed.
    pub hash_client_secret: bool,
    /// Its name (may be empty).
    pub name: &'a str,
    /// Whether the consent page is skipped.
    pub skip_authorization: bool,
    /// An [`algorithm`] value.
    pub algorithm: &'a str,
    /// Space-separated CORS origins.
    pub allowed_origins: &'a str,
    /// A [`registration_source`] value.
    pub registration_source: &'a str,
}

impl fmt::Debug for NewApplication<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewApplication")
            .field("client_id", &self.client_id)
            .field("client_type", &self.client_type)
            .field("authorization_grant_type", &self.authorization_grant_type)
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

/// The owner's key, or a `NULL` without a type: PostgreSQL refuses a bound `bigint` `NULL` in a
/// `uuid` column (a user model with a `UUIDField` key).
fn user_value(backend: DbBackend, user_id: Option<UserId>) -> Expr {
    user_id.map_or_else(Expr::null, |id| id.sql_value(backend))
}

/// Inserts an application with `created` and `updated` at `now` and no `cimd_expires_at`; its
/// id.
pub async fn insert<C: ConnectionTrait>(
    db: &C,
    new: &NewApplication<'_>,
    now: DateTime<Utc>,
) -> Result<i64, DbErr> {
    let backend = db.get_database_backend();
    let at = || Expr::value(super::datetime::value(db, now));
    let mut insert = Query::insert();
    insert
        .into_table(Alias::new(TABLE))
        .columns(
            [
                "client_id",
                "user_id",
                "redirect_uris",
                "post_logout_redirect_uris",
                "client_type",
                "authorization_grant_type",
                "client_secret",
                "hash_client_secret",
                "name",
                "skip_authorization",
                "created",
                "updated",
                "algorithm",
                "allowed_origins",
                "registration_source",
                "cimd_expires_at",
            ]
            .map(Alias::new),
        )
        .values([
            new.client_id.into(),
            user_value(backend, new.user_id),
            new.redirect_uris.into(),
            new.post_logout_redirect_uris.into(),
            new.client_type.as_str().into(),
            new.authorization_grant_type.into(),
            new.client_secret.into(),
            new.hash_client_secret.into(),
            new.name.into(),
            new.skip_authorization.into(),
            at(),
            at(),
            new.algorithm.into(),
            new.allowed_origins.into(),
            new.registration_source.into(),
            Expr::value(super::datetime::optional_value(db, None)),
        ])
        .map_err(|error| DbErr::Custom(error.to_string()))?;
    super::oauth2_access_token::insert_returning_id(db, insert).await
}
