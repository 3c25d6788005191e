//! django-rest-knox's `knox_authtoken` table (`knox.models.AuthToken`) and the queries on it.

use std::fmt;

use sea_orm::Condition;
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::{Alias, ExprTrait, Query};

use super::user::{User, UserModel};
use super::user_id::UserId;
use crate::knox::{KnoxSettings, digest, generate_token, token_key};

/// A row of `knox_authtoken`: only the SHA-512 digest of a token is stored.
#[derive(Clone, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "knox_authtoken")]
pub struct Model {
    /// Lowercase hex SHA-512 of the whole token string (128 characters); the primary key.
    #[sea_orm(primary_key, auto_increment = false)]
    pub digest: String,
    /// When the token was created.
    pub created: DateTimeUtc,
    /// The owner (many tokens per user).
    pub user_id: UserId,
    /// When the token stops working; `None` never expires.
    pub expiry: Option<DateTimeUtc>,
    /// The token's first 15 characters, for the lookup (indexed).
    pub token_key: String,
}

/// No static relations: the owner lives in the configured user table (see
/// [`UserModel`]), joined explicitly.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl fmt::Debug for Model {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KnoxToken")
            .field("token_key", &"<redacted>")
            .field("user_id", &self.user_id)
            .field("created", &self.created)
            .field("expiry", &self.expiry)
            .finish_non_exhaustive()
    }
}

/// A token as created: the row and the plaintext, which is shown once and never stored.
#[derive(Clone)]
pub struct CreatedToken {
    /// The stored row.
    pub row: Model,
    /// The token string for the client.
    pub token: String,
}

impl fmt::Debug for CreatedToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CreatedToken")
            .field("row", &self.row)
            .field("token", &"<redacted>")
            .finish()
    }
}

/// knox's `AuthToken.objects.create(user, expiry, prefix)`: a new token string, its digest and
/// lookup key stored, created at `now` (truncated to the database's microseconds), expiring
/// after the TTL (or never).
pub async fn create<C: ConnectionTrait>(
    db: &C,
    knox: &KnoxSettings,
    now: DateTimeUtc,
    user_id: UserId,
) -> Result<CreatedToken, DbErr> {
    let token = generate_token(&knox.token_prefix, knox.token_character_length);
    let now = super::datetime::truncate(now);
    let row = insert(
        db,
        Model {
            digest: digest(&token),
            created: now,
            user_id,
            expiry: knox.token_ttl.map(|ttl| now + ttl),
            token_key: token_key(&token).to_owned(),
        },
    )
    .await?;
    Ok(CreatedToken { row, token })
}

/// Candidate rows for a presented token: same `token_key`, with their users (one query).
pub async fn candidates<C: ConnectionTrait>(
    db: &C,
    users: &UserModel,
    token_key: &str,
) -> Result<Vec<(Model, User)>, DbErr> {
    if !super::storable::can_be_stored(token_key) {
        return Ok(Vec::new());
    }
    let mut select =
        users.select_with_owner(db.get_database_backend(), Entity, "k", Column::UserId);
    select.and_where(Expr::col((Alias::new("k"), Column::TokenKey)).eq(token_key));
    super::storable::or_no_match(db.query_all(&select).await)?
        .iter()
        .map(|row| UserModel::owned_row(row, "k"))
        .collect()
}

/// Inserts a token row.
pub async fn insert<C: ConnectionTrait>(db: &C, row: Model) -> Result<Model, DbErr> {
    let statement = Query::insert()
        .into_table(Entity)
        .columns([
            Column::Digest,
            Column::Created,
            Column::UserId,
            Column::Expiry,
            Column::TokenKey,
        ])
        .values([
            row.digest.clone().into(),
            Expr::value(super::datetime::value(db, row.created)),
            row.user_id.sql_value(db.get_database_backend()),
            Expr::value(super::datetime::optional_value(db, row.expiry)),
            row.token_key.clone().into(),
        ])
        .map_err(|error| DbErr::Custom(error.to_string()))?
        .to_owned();
    db.execute(&statement).await?;
    Ok(row)
}

/// Deletes one token by digest.
pub async fn delete<C: ConnectionTrait>(db: &C, digest: &str) -> Result<u64, DbErr> {
    Ok(Entity::delete_by_id(digest.to_owned())
        .exec(db)
        .await?
        .rows_affected)
}

/// Deletes every token of a user (knox's logout-all).
pub async fn delete_for_user<C: ConnectionTrait>(db: &C, user_id: UserId) -> Result<u64, DbErr> {
    Ok(Entity::delete_many()
        .filter(Expr::col(Column::UserId).eq(user_id.sql_value(db.get_database_backend())))
        .exec(db)
        .await?
        .rows_affected)
}

/// Deletes the user's expired tokens other than `keep` (knox's sibling clean-up).
pub async fn delete_expired_siblings<C: ConnectionTrait>(
    db: &C,
    user_id: UserId,
    keep: &str,
    now: DateTimeUtc,
) -> Result<u64, DbErr> {
    Ok(Entity::delete_many()
        .filter(Expr::col(Column::UserId).eq(user_id.sql_value(db.get_database_backend())))
        .filter(Column::Digest.ne(keep))
        .filter(Column::Expiry.lt(super::datetime::value(db, now)))
        .exec(db)
        .await?
        .rows_affected)
}

/// The user's live tokens (`expiry > now` or no expiry), for the per-user limit.
pub async fn count_live<C: ConnectionTrait>(
    db: &C,
    user_id: UserId,
    now: DateTimeUtc,
) -> Result<u64, DbErr> {
    Entity::find()
        .filter(Expr::col(Column::UserId).eq(user_id.sql_value(db.get_database_backend())))
        .filter(
            Condition::any()
                .add(Column::Expiry.gt(super::datetime::value(db, now)))
                .add(Column::Expiry.is_null()),
        )
        .count(db)
        .await
}

/// Writes a new expiry (auto-refresh).
pub async fn set_expiry<C: ConnectionTrait>(
    db: &C,
    digest: &str,
    expiry: DateTimeUtc,
) -> Result<(), DbErr> {
    Entity::update_many()
        .col_expr(
            Column::Expiry,
            Expr::value(super::datetime::value(db, expiry)),
        )
        .filter(Column::Digest.eq(digest))
        .exec(db)
        .await?;
    Ok(())
}
