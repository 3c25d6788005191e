//! Django's `django_session` table (`django.contrib.sessions.backends.db`) and the queries on it.

use std::fmt;

use sea_orm::entity::prelude::*;
use sea_orm::{QueryOrder, QuerySelect};

use super::key_prefix;

/// A row of `django_session`. `Debug` shows neither the key nor the data.
#[derive(Clone, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "django_session")]
pub struct Model {
    /// 32 characters of `a-z0-9` (up to 40 in the column); the cookie's value. Secret.
    #[sea_orm(primary_key, auto_increment = false)]
    pub session_key: String,
    /// The signed, possibly compressed session data (`django.core.signing`).
    pub session_data: String,
    /// The row is ignored from this instant on.
    pub expire_date: DateTimeUtc,
}

/// `django_session` has no relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl fmt::Debug for Model {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("session_key", &"<redacted>")
            .field("expire_date", &self.expire_date)
            .finish_non_exhaustive()
    }
}

/// The live session with this key: Django's `SessionStore.load` selects the row with the key
/// **and** `expire_date > now`. The database finds the rows by the key's first characters; the
/// whole key is compared in constant time (see [`key_prefix`](super::key_prefix)).
pub async fn load<C: ConnectionTrait>(
    db: &C,
    key: &str,
    now: DateTimeUtc,
) -> Result<Option<Model>, DbErr> {
    let Some(prefix) = key_prefix::prefix(key) else {
        return Ok(None);
    };
    let rows = Entity::find()
        .filter(key_prefix::starts_with(
            db.get_database_backend(),
            Expr::col(Column::SessionKey),
            prefix,
        ))
        .filter(Column::ExpireDate.gt(super::datetime::value(db, now)))
        .order_by_asc(Column::SessionKey)
        .limit(key_prefix::MAX_CANDIDATES)
        .all(db)
        .await;
    let rows = super::storable::or_no_match(rows)?;
    Ok(key_prefix::pick(rows, |row| row.session_key.as_str(), key))
}

/// Whether a row with this key exists (expired or not), for key generation.
pub async fn exists<C: ConnectionTrait>(db: &C, key: &str) -> Result<bool, DbErr> {
    let row = Entity::find_by_id(key.to_owned()).one(db).await;
    Ok(super::storable::or_no_match(row)?.is_some())
}

/// Inserts a new row; fails (never overwrites) when the key exists, as Django's `create`.
pub async fn insert<C: ConnectionTrait>(
    db: &C,
    key: String,
    data: String,
    expire_date: DateTimeUtc,
) -> Result<(), DbErr> {
    let statement = sea_orm::sea_query::Query::insert()
        .into_table(Entity)
        .columns([Column::SessionKey, Column::SessionData, Column::ExpireDate])
        .values([
            key.into(),
            data.into(),
            Expr::value(super::datetime::value(db, expire_date)),
        ])
        .map_err(|error| DbErr::Custom(error.to_string()))?
        .to_owned();
    db.execute(&statement).await?;
    Ok(())
}

/// Rewrites the data and expiry of an existing row.
pub async fn update<C: ConnectionTrait>(
    db: &C,
    key: &str,
    data: String,
    expire_date: DateTimeUtc,
) -> Result<u64, DbErr> {
    Ok(Entity::update_many()
        .col_expr(Column::SessionData, Expr::value(data))
        .col_expr(
            Column::ExpireDate,
            Expr::value(super::datetime::value(db, expire_date)),
        )
        .filter(Column::SessionKey.eq(key))
        .exec(db)
        .await?
        .rows_affected)
}

/// Deletes the row (Django's `flush` and `delete`).
pub async fn delete<C: ConnectionTrait>(db: &C, key: &str) -> Result<(), DbErr> {
    Entity::delete_by_id(key.to_owned()).exec(db).await?;
    Ok(())
}

/// Django's `clearsessions`: deletes every expired row; returns how many.
pub async fn clear_expired<C: ConnectionTrait>(db: &C, now: DateTimeUtc) -> Result<u64, DbErr> {
    Ok(Entity::delete_many()
        .filter(Column::ExpireDate.lt(super::datetime::value(db, now)))
        .exec(db)
        .await?
        .rows_affected)
}
