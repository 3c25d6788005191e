//! DRF's `authtoken_token` table (`rest_framework.authtoken.models.Token`) and the queries on it.

use std::fmt;

use sea_orm::entity::prelude::*;
use sea_orm::sea_query::{Alias, ExprTrait, Query};
use sea_orm::{IdenStatic, QuerySelect};

use super::key_prefix;
use super::user::{User, UserModel};
use super::user_id::UserId;

/// A row of `authtoken_token`: one token per user, the key is the primary key.
///
/// `Debug` never shows the key. DRF's `str(token)` is the key; here that is the explicit
/// [`Model::key`] field, never an accidental `Display`.
#[derive(Clone, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "authtoken_token")]
pub struct Model {
    /// 40 lowercase hex characters; the secret the client presents.
    #[sea_orm(primary_key, auto_increment = false)]
    pub key: String,
    /// When the row was inserted.
    pub created: DateTimeUtc,
    /// The owner (one-to-one, `UNIQUE`).
    #[sea_orm(unique)]
    pub user_id: UserId,
}

/// No static relations: the owner lives in the configured user table (see
/// [`UserModel`]), joined explicitly.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl fmt::Debug for Model {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Token")
            .field("key", &"<redacted>")
            .field("user_id", &self.user_id)
            .field("created", &self.created)
            .finish()
    }
}

/// A new key: 40 lowercase hex characters encoding 20 bytes from a CSPRNG, as DRF's
/// `Token.generate_key` (`secrets.token_hex(20)`).
pub fn generate_key() -> String {
    let mut bytes = [0u8; 20];
    // ThreadRng is a ChaCha CSPRNG seeded (and periodically reseeded) from the OS source.
    rand::fill(&mut bytes);
    hex::encode(bytes)
}

/// The token with this key and its user, in one query (DRF's `TokenAuthentication` uses
/// `select_related('user')`: token authentication costs exactly one SQL query). The database
/// finds the rows by the key's first characters; the whole key is compared in constant time
/// (see [`key_prefix`](super::key_prefix)).
pub async fn find_with_user<C: ConnectionTrait>(
    db: &C,
    users: &UserModel,
    key: &str,
) -> Result<Option<(Model, User)>, DbErr> {
    let Some(prefix) = key_prefix::prefix(key) else {
        return Ok(None);
    };
    let backend = db.get_database_backend();
    let mut select = users.select_with_owner(backend, Entity, "t", Column::UserId);
    select
        .and_where(key_prefix::starts_with(
            backend,
            Expr::col((Alias::new("t"), Column::Key)),
            prefix,
        ))
        .order_by((Alias::new("t"), Column::Key), sea_orm::Order::Asc)
        .limit(key_prefix::MAX_CANDIDATES);
    let rows = super::storable::or_no_match(db.query_all(&select).await)?
        .iter()
        .map(|row| UserModel::owned_row::<Model>(row, "t"))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(key_prefix::pick(rows, |(token, _)| token.key.as_str(), key))
}

/// The user's token, if any.
pub async fn find_for_user<C: ConnectionTrait>(
    db: &C,
    user_id: UserId,
) -> Result<Option<Model>, DbErr> {
    select_rows(db)
        .filter(Expr::col(Column::UserId).eq(user_id.sql_value(db.get_database_backend())))
        .one(db)
        .await
}

/// `SELECT` of whole rows, `user_id` read as a [`UserId`] on every backend.
pub fn select_rows<C: ConnectionTrait>(db: &C) -> Select<Entity> {
    Entity::find()
        .select_only()
        .columns([Column::Key, Column::Created])
        .expr_as(
            super::user_id::readable(db.get_database_backend(), Expr::col(Column::UserId)),
            Column::UserId.as_str(),
        )
}

/// Inserts a new token with a fresh key. Always a plain INSERT: a key collision is an integrity
/// error, never an overwrite (DRF's `Token.save` forces an INSERT for a new token).
pub async fn create<C: ConnectionTrait>(db: &C, user_id: UserId) -> Result<Model, DbErr> {
    create_with_key(db, user_id, &generate_key()).await
}

/// Inserts a token with a chosen key (fixtures, imports).
pub async fn create_with_key<C: ConnectionTrait>(
    db: &C,
    user_id: UserId,
    key: &str,
) -> Result<Model, DbErr> {
    let created = super::datetime::now();
    let statement = Query::insert()
        .into_table(Entity)
        .columns([Column::Key, Column::Created, Column::UserId])
        .values([
            key.into(),
            Expr::value(super::datetime::value(db, created)),
            user_id.sql_value(db.get_database_backend()),
        ])
        .map_err(|error| DbErr::Custom(error.to_string()))?
        .to_owned();
    db.execute(&statement).await?;
    Ok(Model {
        key: key.to_owned(),
        created,
        user_id,
    })
}

/// DRF's `Token.objects.get_or_create(user=user)`: the existing token, or a new one. Never
/// rotates a key. When a concurrent request created the token first, its row is returned.
pub async fn get_or_create<C: ConnectionTrait>(db: &C, user_id: UserId) -> Result<Model, DbErr> {
    if let Some(token) = find_for_user(db, user_id).await? {
        return Ok(token);
    }
    match create(db, user_id).await {
        Ok(token) => Ok(token),
        Err(insert_error) => find_for_user(db, user_id).await?.ok_or(insert_error),
    }
}

/// Deletes the user's token (revocation is immediate: the next request gets `Invalid token.`).
pub async fn delete_for_user<C: ConnectionTrait>(db: &C, user_id: UserId) -> Result<u64, DbErr> {
    Ok(Entity::delete_many()
        .filter(Expr::col(Column::UserId).eq(user_id.sql_value(db.get_database_backend())))
        .exec(db)
        .await?
        .rows_affected)
}

/// The loop DRF's documentation gives for existing users,
/// `for user in User.objects.all(): Token.objects.get_or_create(user=user)`:
/// creates a token for every user that lacks one; returns how many were created.
pub async fn create_missing<C: ConnectionTrait>(db: &C, users: &UserModel) -> Result<u64, DbErr> {
    let mut created = 0;
    for user_id in users.ids(db).await? {
        if find_for_user(db, user_id).await?.is_none() {
            get_or_create(db, user_id).await?;
            created += 1;
        }
    }
    Ok(created)
}
