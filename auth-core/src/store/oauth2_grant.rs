//! Django OAuth Toolkit's `oauth2_provider_grant` (`oauth2_provider.models.Grant`): the
//! authorization codes the consent step issues and the token endpoint redeems once.

use std::fmt;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{ConnectionTrait, DbErr, FromQueryResult};

use super::oauth2_access_token::{Resource, json_as_text};
use super::user_id::UserId;

/// DOT's table.
pub const TABLE: &str = "oauth2_provider_grant";

/// An authorization code's row (the code itself is not kept: the row was found by it).
#[derive(Clone, PartialEq, Eq)]
pub struct Grant {
    /// The primary key.
    pub id: i64,
    /// The user who consented.
    pub user_id: UserId,
    /// When the code stops working.
    pub expires: DateTime<Utc>,
    /// The redirect URI the authorization request used (the token request must repeat it).
    pub redirect_uri: String,
    /// The scopes consented to, space-separated.
    pub scope: String,
    /// The PKCE challenge (`""`: none).
    pub code_challenge: String,
    /// `plain` or `S256` (`""`: none).
    pub code_challenge_method: String,
    /// The RFC 8707 resources asked for at authorization.
    pub resource: Resource,
}

impl fmt::Debug for Grant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Grant")
            .field("id", &self.id)
            .field("user_id", &self.user_id)
            .field("expires", &self.expires)
            .field("scope", &self.scope)
            .finish_non_exhaustive()
    }
}

impl Grant {
    /// `is_expired()`: `now >= expires`.
    pub fn is_expired(&self, now: DateTime<Utc>) -> bool {
        now >= self.expires
    }
}

#[derive(FromQueryResult)]
struct Row {
    id: i64,
    user_id: UserId,
    expires: DateTime<Utc>,
    redirect_uri: String,
    scope: String,
    code_challenge: String,
    code_challenge_method: String,
    resource: Option<String>,
}

/// `Grant.objects.get(code=code, application=application)`.
pub async fn by_code<C: ConnectionTrait>(
    db: &C,
    code: &str,
    application_id: i64,
) -> Result<Option<Grant>, DbErr> {
    if !super::storable::can_be_stored(code) {
        return Ok(None);
    }
    let backend = db.get_database_backend();
    let col = |name: &str| Expr::col(Alias::new(name));
    let mut select = Query::select();
    select
        .from(Alias::new(TABLE))
        .columns(
            [
                "id",
                "expires",
                "redirect_uri",
                "scope",
                "code_challenge",
                "code_challenge_method",
            ]
            .map(Alias::new),
        )
        .expr_as(
            super::user_id::readable(backend, col("user_id")),
            Alias::new("user_id"),
        )
        .expr_as(
            json_as_text(backend, col("resource")),
            Alias::new("resource"),
        )
        .and_where(col("code").eq(code))
        .and_where(col("application_id").eq(application_id))
        .limit(1);
    let Some(row) = super::storable::or_no_match(db.query_one(&select).await)? else {
        return Ok(None);
    };
    let row = Row::from_query_result(&row, "")?;
    Ok(Some(Grant {
        id: row.id,
        user_id: row.user_id,
        expires: row.expires,
        redirect_uri: row.redirect_uri,
        scope: row.scope,
        code_challenge: row.code_challenge,
        code_challenge_method: row.code_challenge_method,
        resource: Resource::from_json(row.resource.as_deref()),
    }))
}

/// Deletes grant `id`: whether this call deleted it (a code is redeemed by exactly one
/// request).
pub async fn consume<C: ConnectionTrait>(db: &C, id: i64) -> Result<bool, DbErr> {
    let delete = Query::delete()
        .from_table(Alias::new(TABLE))
        .and_where(Expr::col(Alias::new("id")).eq(id))
        .to_owned();
    Ok(db.execute(&delete).await?.rows_affected() == 1)
}

/// An authorization code to write, as DOT's `_create_authorization_code` writes it.
pub struct NewGrant<'a> {
    /// The code (30 characters).
    pub code: &'a str,
    /// The client.
    pub application_id: i64,
    /// The user who consented.
    pub user_id: UserId,
    /// When it stops working (`AUTHORIZATION_CODE_EXPIRE_SECONDS` from now).
    pub expires: DateTime<Utc>,
    /// The redirect URI of the authorization.
    pub redirect_uri: &'a str,
    /// The scopes consented to, space-separated.
    pub scope: &'a str,
    /// The PKCE challenge (`""`: none).
    pub code_challenge: &'a str,
    /// `plain` or `S256` (`""`: none).
    pub code_challenge_method: &'a str,
    /// The RFC 8707 resources asked for.
    pub resource: &'a [String],
    /// The OpenID Connect `nonce` (`""`: none).
    pub nonce: &'a str,
    /// The `claims` column: `json.dumps` of the request's claims (`"{}"`: none).
    pub claims: &'a str,
}

impl fmt::Debug for NewGrant<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewGrant")
            .field("application_id", &self.application_id)
            .field("user_id", &self.user_id)
            .field("scope", &self.scope)
            .finish_non_exhaustive()
    }
}

/// Inserts an authorization code as DOT's `_create_authorization_code` writes it.
pub async fn insert<C: ConnectionTrait>(
    db: &C,
    new: &NewGrant<'_>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    let at = || Expr::value(super::datetime::value(db, now));
    let insert = Query::insert()
        .into_table(Alias::new(TABLE))
        .columns(
            [
                "code",
                "expires",
                "redirect_uri",
                "scope",
                "application_id",
                "user_id",
                "created",
                "updated",
                "code_challenge",
                "code_challenge_method",
                "nonce",
                "claims",
                "resource",
            ]
            .map(Alias::new),
        )
        .values([
            new.code.into(),
            Expr::value(super::datetime::value(db, new.expires)),
            new.redirect_uri.into(),
            new.scope.into(),
            new.application_id.into(),
            new.user_id.sql_value(backend),
            at(),
            at(),
            new.code_challenge.into(),
            new.code_challenge_method.into(),
            new.nonce.into(),
            new.claims.into(),
            super::oauth2_access_token::resource_value(backend, new.resource),
        ])
        .map_err(|error| DbErr::Custom(error.to_string()))?
        .to_owned();
    db.execute(&insert).await?;
    Ok(())
}
