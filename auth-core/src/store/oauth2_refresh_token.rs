//! Django OAuth Toolkit's `oauth2_provider_refreshtoken` (`oauth2_provider.models.RefreshToken`)
//! as the token and revocation endpoints read and revoke it.
//!
//! A refresh token is live while `revoked` is `NULL`. It points at the access token issued with
//! it (`access_token_id`, set to `NULL` when that access token goes); the access token a
//! rotation issued from it points back through `source_refresh_token_id`. Every refresh token
//! descended from one grant shares a `token_family` (a UUID), which reuse protection revokes
//! at once.

use std::fmt;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, JoinType, Order, Query};
use sea_orm::{ConnectionTrait, DbBackend, DbErr, FromQueryResult};

use super::oauth2_access_token::{Resource, checksum_of, json_as_text};
use super::user_id::UserId;
use crate::compat::python::uuid;

/// DOT's table.
pub const TABLE: &str = "oauth2_provider_refreshtoken";
const ACCESS: &str = super::oauth2_access_token::TABLE;

/// A refresh-token row, with what the refresh grant needs of its access token. The token
/// string is not kept: the row was found by its checksum.
#[derive(Clone, PartialEq, Eq)]
pub struct RefreshToken {
    /// The primary key.
    pub id: i64,
    /// The resource owner (refresh tokens always have one).
    pub user_id: UserId,
    /// The client it was issued to.
    pub application_id: i64,
    /// The access token issued with it, while that one exists.
    pub access_token_id: Option<i64>,
    /// That access token's expiry and scope.
    pub access_token: Option<(DateTime<Utc>, String)>,
    /// When it was revoked; `None` while it is live.
    pub revoked: Option<DateTime<Utc>>,
    /// The family it belongs to (`None` for rows written before DOT had families).
    pub token_family: Option<u128>,
    /// The RFC 8707 resources it is restricted to.
    pub resource: Resource,
}

impl fmt::Debug for RefreshToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RefreshToken")
            .field("id", &self.id)
            .field("user_id", &self.user_id)
            .field("application_id", &self.application_id)
            .field("access_token_id", &self.access_token_id)
            .field("revoked", &self.revoked)
            .finish_non_exhaustive()
    }
}

impl fmt::Display for RefreshToken {
    /// DOT's `RefreshToken.__str__`, which never shows the token.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RefreshToken #{}", self.id)
    }
}

#[derive(FromQueryResult)]
struct Row {
    id: i64,
    user_id: UserId,
    application_id: i64,
    access_token_id: Option<i64>,
    revoked: Option<DateTime<Utc>>,
    token_family: Option<String>,
    resource: Option<String>,
    access_expires: Option<DateTime<Utc>>,
    access_scope: Option<String>,
}

fn col(table: &str, column: &str) -> Expr {
    Expr::col((Alias::new(table), Alias::new(column)))
}

/// A UUID column read as text (`uuid` on PostgreSQL, `char(32)` elsewhere).
fn uuid_as_text(backend: DbBackend, column: Expr) -> Expr {
    match backend {
        DbBackend::Postgres => column.cast_as(Alias::new("text")),
        _ => column,
    }
}

/// A UUID as the column stores it.
pub(super) fn uuid_value(backend: DbBackend, bits: u128) -> Expr {
    match backend {
        DbBackend::Postgres => Expr::val(uuid::to_str(bits)).cast_as(Alias::new("uuid")),
        _ => Expr::val(uuid::hex(bits)),
    }
}

/// `validate_refresh_token`'s lookup: of the rows with this checksum (several may share one:
/// uniqueness is `(token_checksum, revoked)`), the live one, else the most recently revoked;
/// with its access token's expiry and scope.
pub async fn by_checksum<C: ConnectionTrait>(
    db: &C,
    checksum: &str,
) -> Result<Option<RefreshToken>, DbErr> {
    let backend = db.get_database_backend();
    let mut select = Query::select();
    select
        .from(Alias::new(TABLE))
        .expr_as(col(TABLE, "id"), Alias::new("id"))
        .expr_as(
            super::user_id::readable(backend, col(TABLE, "user_id")),
            Alias::new("user_id"),
        )
        .expr_as(col(TABLE, "application_id"), Alias::new("application_id"))
        .expr_as(col(TABLE, "access_token_id"), Alias::new("access_token_id"))
        .expr_as(col(TABLE, "revoked"), Alias::new("revoked"))
        .expr_as(
            uuid_as_text(backend, col(TABLE, "token_family")),
            Alias::new("token_family"),
        )
        .expr_as(
            json_as_text(backend, col(TABLE, "resource")),
            Alias::new("resource"),
        )
        .expr_as(col(ACCESS, "expires"), Alias::new("access_expires"))
        .expr_as(col(ACCESS, "scope"), Alias::new("access_scope"))
        .join(
            JoinType::LeftJoin,
            Alias::new(ACCESS),
            col(ACCESS, "id").equals((Alias::new(TABLE), Alias::new("access_token_id"))),
        )
        .and_where(col(TABLE, "token_checksum").eq(checksum))
        // `order_by(F("revoked").desc(nulls_first=True))`: written out, since MySQL has no
        // `NULLS FIRST`.
        .order_by_expr(col(TABLE, "revoked").is_null(), Order::Desc)
        .order_by((Alias::new(TABLE), Alias::new("revoked")), Order::Desc)
        .limit(1);
    let Some(row) = db.query_one(&select).await? else {
        return Ok(None);
    };
    let row = Row::from_query_result(&row, "")?;
    Ok(Some(RefreshToken {
        id: row.id,
        user_id: row.user_id,
        application_id: row.application_id,
        access_token_id: row.access_token_id,
        access_token: row.access_expires.zip(row.access_scope),
        revoked: row.revoked,
        token_family: row.token_family.as_deref().and_then(uuid::from_hex),
        resource: Resource::from_json(row.resource.as_deref()),
    }))
}

/// `AccessToken.objects.filter(source_refresh_token=rt).exists()`: whether a rotation of this
/// refresh token issued an access token that still exists (the token was superseded, not
/// revoked).
pub async fn is_superseded<C: ConnectionTrait>(db: &C, id: i64) -> Result<bool, DbErr> {
    let select = Query::select()
        .column(Alias::new("id"))
        .from(Alias::new(ACCESS))
        .and_where(Expr::col(Alias::new("source_refresh_token_id")).eq(id))
        .limit(1)
        .to_owned();
    Ok(db.query_one(&select).await?.is_some())
}

/// `RefreshToken.revoke()` as one statement: marks the token revoked **if it is live** and
/// detaches its access token. Whether this call revoked it: `false` when it was already
/// revoked (by a concurrent rotation or revocation), which makes the caller the loser of any
/// race on it. The caller then deletes the access token it read (DOT's `revoke()` deletes it
/// in the same transaction).
pub async fn claim<C: ConnectionTrait>(db: &C, id: i64, now: DateTime<Utc>) -> Result<bool, DbErr> {
    let at = Expr::value(super::datetime::value(db, now));
    let update = Query::update()
        .table(Alias::new(TABLE))
        .value(Alias::new("revoked"), at.clone())
        .value(Alias::new("updated"), at)
        .value(
            Alias::new("access_token_id"),
            Expr::value(Option::<i64>::None),
        )
        .and_where(Expr::col(Alias::new("id")).eq(id))
        .and_where(Expr::col(Alias::new("revoked")).is_null())
        .to_owned();
    Ok(db.execute(&update).await?.rows_affected() == 1)
}

/// `AccessToken.delete()`: the row removed, after Django's `SET_NULL` on the refresh tokens
/// that point at it. The checksum of the row deleted (for the credential cache to forget),
/// `None` when there was none.
pub async fn delete_access_token<C: ConnectionTrait>(
    db: &C,
    id: i64,
) -> Result<Option<String>, DbErr> {
    // Django's `SET_NULL` on the refresh tokens' pointer: a write first (see `revoke_family`).
    let detach = Query::update()
        .table(Alias::new(TABLE))
        .value(
            Alias::new("access_token_id"),
            Expr::value(Option::<i64>::None),
        )
        .and_where(Expr::col(Alias::new("access_token_id")).eq(id))
        .to_owned();
    db.execute(&detach).await?;
    let Some(old) = checksum_of(db, id).await? else {
        return Ok(None);
    };
    let delete = Query::delete()
        .from_table(Alias::new(ACCESS))
        .and_where(Expr::col(Alias::new("id")).eq(id))
        .to_owned();
    let deleted = db.execute(&delete).await?.rows_affected() == 1;
    Ok(deleted.then_some(old))
}

/// A refresh token's id and the access token it holds.
pub type Held = (i64, Option<i64>);

fn held_rows(rows: &[sea_orm::QueryResult]) -> Result<Vec<Held>, DbErr> {
    rows.iter()
        .map(|row| {
            Ok((
                row.try_get_by_index::<i64>(0)?,
                row.try_get_by_index::<Option<i64>>(1)?,
            ))
        })
        .collect()
}

/// The refresh tokens with this checksum issued to this client (the revocation endpoint's
/// lookup; several rows may share a checksum).
pub async fn for_client<C: ConnectionTrait>(
    db: &C,
    checksum: &str,
    application_id: i64,
) -> Result<Vec<Held>, DbErr> {
    let select = Query::select()
        .columns([Alias::new("id"), Alias::new("access_token_id")])
        .from(Alias::new(TABLE))
        .and_where(Expr::col(Alias::new("token_checksum")).eq(checksum))
        .and_where(Expr::col(Alias::new("application_id")).eq(application_id))
        .order_by(Alias::new("id"), Order::Asc)
        .to_owned();
    held_rows(&db.query_all(&select).await?)
}

/// The refresh token holding access token `access_token_id`, if any.
pub async fn holder<C: ConnectionTrait>(
    db: &C,
    access_token_id: i64,
) -> Result<Option<Held>, DbErr> {
    let select = Query::select()
        .columns([Alias::new("id"), Alias::new("access_token_id")])
        .from(Alias::new(TABLE))
        .and_where(Expr::col(Alias::new("access_token_id")).eq(access_token_id))
        .limit(1)
        .to_owned();
    Ok(held_rows(&db.query_all(&select).await?)?.into_iter().next())
}

/// `RefreshToken.revoke()` of the row `(id, access_token_id)`: marked revoked and its access
/// token deleted when it is live; nothing otherwise. The deleted access token's checksum.
pub async fn revoke_held<C: ConnectionTrait>(
    db: &C,
    (id, access_token_id): Held,
    now: DateTime<Utc>,
) -> Result<Option<String>, DbErr> {
    if !claim(db, id, now).await? {
        return Ok(None);
    }
    match access_token_id {
        Some(access_token_id) => delete_access_token(db, access_token_id).await,
        None => Ok(None),
    }
}

/// `RefreshToken.revoke_family(family)`: every live token of the family revoked, and every
/// access token a member of the family holds deleted. The deleted access tokens' checksums.
pub async fn revoke_family<C: ConnectionTrait>(
    db: &C,
    family: u128,
    now: DateTime<Utc>,
) -> Result<Vec<String>, DbErr> {
    let backend = db.get_database_backend();
    let at = Expr::value(super::datetime::value(db, now));
    let in_family = || Expr::col(Alias::new("token_family")).eq(uuid_value(backend, family));
    // The revocation first (a write as the transaction's first statement, so SQLite takes its
    // lock at once rather than failing to upgrade a read); the family's access tokens are read
    // after it, so that a member a concurrent rotation added is caught too (DOT re-reads the
    // family for the same reason).
    let revoke = Query::update()
        .table(Alias::new(TABLE))
        .value(Alias::new("revoked"), at.clone())
        .value(Alias::new("updated"), at)
        .and_where(in_family())
        .and_where(Expr::col(Alias::new("revoked")).is_null())
        .to_owned();
    db.execute(&revoke).await?;
    let held = Query::select()
        .column(Alias::new("access_token_id"))
        .from(Alias::new(TABLE))
        .and_where(in_family())
        .and_where(Expr::col(Alias::new("access_token_id")).is_not_null())
        .to_owned();
    let ids: Vec<i64> = db
        .query_all(&held)
        .await?
        .iter()
        .map(|row| row.try_get_by_index::<i64>(0))
        .collect::<Result<_, _>>()?;
    let mut deleted = Vec::with_capacity(ids.len());
    for id in ids {
        deleted.extend(delete_access_token(db, id).await?);
    }
    Ok(deleted)
}

/// A refresh token to write.
pub struct NewRefreshToken<'a> {
    /// The token string (stored unless `hashed_only`).
    pub token: &'a str,
    /// Store only the checksum (`COMPLIANT_BCP_RFC9700_TOKEN_STORAGE`).
    pub hashed_only: bool,
    /// The access token issued with it.
    pub access_token_id: i64,
    /// The client.
    pub application_id: i64,
    /// The resource owner.
    pub user_id: UserId,
    /// Its family: the rotated token's (none for a token from before DOT had families), or a
    /// new one.
    pub token_family: Option<u128>,
    /// The RFC 8707 resources.
    pub resource: &'a [String],
}

impl fmt::Debug for NewRefreshToken<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewRefreshToken")
            .field("access_token_id", &self.access_token_id)
            .field("application_id", &self.application_id)
            .field("user_id", &self.user_id)
            .finish_non_exhaustive()
    }
}

/// Inserts a refresh token row as DOT's `_create_refresh_token` writes it.
pub async fn insert<C: ConnectionTrait>(
    db: &C,
    new: &NewRefreshToken<'_>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    let at = || Expr::value(super::datetime::value(db, now));
    let stored = if new.hashed_only { "" } else { new.token };
    let insert = Query::insert()
        .into_table(Alias::new(TABLE))
        .columns(
            [
                "token",
                "token_checksum",
                "access_token_id",
                "application_id",
                "user_id",
                "created",
                "updated",
                "revoked",
                "token_family",
                "resource",
            ]
            .map(Alias::new),
        )
        .values([
            stored.into(),
            super::oauth2_access_token::checksum(new.token).into(),
            new.access_token_id.into(),
            new.application_id.into(),
            new.user_id.sql_value(backend),
            at(),
            at(),
            // Untyped `NULL`s: PostgreSQL refuses a `text` one in a timestamp or `uuid` column.
            Expr::cust("NULL"),
            new.token_family
                .map_or_else(|| Expr::cust("NULL"), |family| uuid_value(backend, family)),
            super::oauth2_access_token::resource_value(backend, new.resource),
        ])
        .map_err(|error| DbErr::Custom(error.to_string()))?
        .to_owned();
    db.execute(&insert).await?;
    Ok(())
}

/// `RefreshToken.objects.filter(access_token=…).first()`: the stored token string (empty
/// under hashed storage) of the refresh token holding this access token, if any.
pub async fn holding<C: ConnectionTrait>(
    db: &C,
    access_token_id: i64,
) -> Result<Option<String>, DbErr> {
    let select = Query::select()
        .column(Alias::new("token"))
        .from(Alias::new(TABLE))
        .and_where(Expr::col(Alias::new("access_token_id")).eq(access_token_id))
        .limit(1)
        .to_owned();
    match db.query_one(&select).await? {
        Some(row) => Ok(Some(row.try_get_by_index::<String>(0)?)),
        None => Ok(None),
    }
}
