//! simplejwt's blacklist app (`rest_framework_simplejwt.token_blacklist`): the tables
//! `token_blacklist_outstandingtoken` (every refresh or sliding token issued, whole) and
//! `token_blacklist_blacklistedtoken` (the refused ones), written as simplejwt 5.5.1 writes them,
//! so either side's rows are the other's.
//!
//! What simplejwt stores: the full signed token in `token`, its `jti`, `created_at` (the token's
//! `current_time`, microseconds), `expires_at` (its `exp`, whole seconds) and the user's id
//! (`NULL` when the user no longer exists). Django deletes in Python, not with `ON DELETE`: a
//! deleted user's rows keep their token with `user_id` set to `NULL`, and deleting an outstanding
//! token deletes its blacklist row first; [`flush_expired`] and [`forget_user`] do the same.

use chrono::{DateTime, TimeZone as _, Utc};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, OnConflict, Query};
use sea_orm::{ConnectionTrait, DbErr, TransactionSession as _, TransactionTrait};

use super::datetime;
use super::user_id::UserId;

/// `OutstandingToken`'s table.
pub const OUTSTANDING_TABLE: &str = "token_blacklist_outstandingtoken";
/// `BlacklistedToken`'s table.
pub const BLACKLISTED_TABLE: &str = "token_blacklist_blacklistedtoken";

fn outstanding() -> Alias {
    Alias::new(OUTSTANDING_TABLE)
}

fn blacklisted() -> Alias {
    Alias::new(BLACKLISTED_TABLE)
}

fn column(name: &str) -> Alias {
    Alias::new(name)
}

/// One token as simplejwt records it (`OutstandingToken`'s fields but the id).
#[derive(Clone, PartialEq, Eq)]
pub struct OutstandingToken {
    /// The token's `jti` (unique).
    pub jti: String,
    /// Its owner, `None` when the token names no existing user.
    pub user_id: Option<UserId>,
    /// The whole signed token (a credential: never shown by `Debug`).
    pub token: String,
    /// The token's `current_time` (stored at microsecond precision).
    pub created_at: DateTime<Utc>,
    /// The token's `exp`.
    pub expires_at: DateTime<Utc>,
}

impl std::fmt::Debug for OutstandingToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OutstandingToken")
            .field("jti", &self.jti)
            .field("user_id", &self.user_id)
            .field("token", &"<redacted>")
            .field("created_at", &self.created_at)
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// `datetime_from_epoch(exp)`: an `exp` in seconds as an instant; a value past chrono's range
/// (a token valid for millennia) is the latest instant Django can store.
pub fn datetime_from_epoch(seconds: i64) -> DateTime<Utc> {
    let instant = Utc
        .timestamp_opt(seconds, 0)
        .single()
        .unwrap_or(DateTime::<Utc>::MAX_UTC);
    Ord::min(instant, max_django_datetime())
}

/// 9999-12-31 23:59:59 UTC, the last second of Python's `datetime`.
fn max_django_datetime() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(9999, 12, 31, 23, 59, 59)
        .single()
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// The row id of the outstanding token with this `jti`.
async fn outstanding_id<C: ConnectionTrait>(db: &C, jti: &str) -> Result<Option<i64>, DbErr> {
    let select = Query::select()
        .column(column("id"))
        .from(outstanding())
        .and_where(Expr::col(column("jti")).eq(jti))
        .to_owned();
    match db.query_one(&select).await? {
        Some(row) => Ok(Some(row.try_get_by_index::<i64>(0)?)),
        None => Ok(None),
    }
}

/// `OutstandingToken.objects.create(…)`: what `RefreshToken.for_user` and
/// `SlidingToken.for_user` write at every issue.
pub async fn create<C: ConnectionTrait>(db: &C, token: &OutstandingToken) -> Result<(), DbErr> {
    db.execute(&insert_outstanding(db, token)?).await?;
    Ok(())
}

fn insert_outstanding<C: ConnectionTrait>(
    db: &C,
    token: &OutstandingToken,
) -> Result<sea_orm::sea_query::InsertStatement, DbErr> {
    Ok(Query::insert()
        .into_table(outstanding())
        .columns([
            column("token"),
            column("created_at"),
            column("expires_at"),
            column("user_id"),
            column("jti"),
        ])
        .values([
            token.token.clone().into(),
            Expr::value(datetime::value(db, datetime::truncate(token.created_at))),
            Expr::value(datetime::value(db, token.expires_at)),
            token.user_id.map_or_else(
                || Expr::cust("NULL"),
                |id| id.sql_value(db.get_database_backend()),
            ),
            token.jti.clone().into(),
        ])
        .map_err(|error| DbErr::Custom(error.to_string()))?
        .to_owned())
}

/// `ON CONFLICT DO NOTHING` (SQLite, PostgreSQL), `ON DUPLICATE KEY UPDATE id = id` (MySQL): an
/// insert that leaves an existing row alone instead of failing, as `get_or_create` must when
/// two requests race. (MySQL's driver counts found rows, so there an existing blacklist row
/// also reads as written: [`blacklist`]'s answer is exact on SQLite and PostgreSQL only.)
fn or_nothing() -> OnConflict {
    OnConflict::new().do_nothing_on([column("id")]).to_owned()
}

/// `OutstandingToken.objects.get_or_create(jti=…, defaults=…)`: the id of the row with the
/// token's `jti`, written first when missing (`outstand()`, and the first half of
/// `blacklist()`). A concurrent writer of the same `jti` is not an error: its row is the one
/// returned. Each statement commits on its own, so the read after the insert sees the other
/// writer's row on every backend.
pub async fn outstand<C: ConnectionTrait>(db: &C, token: &OutstandingToken) -> Result<i64, DbErr> {
    if let Some(id) = outstanding_id(db, &token.jti).await? {
        return Ok(id);
    }
    let mut insert = insert_outstanding(db, token)?;
    insert.on_conflict(or_nothing());
    db.execute(&insert).await?;
    outstanding_id(db, &token.jti)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(OUTSTANDING_TABLE.to_owned()))
}

/// `token.blacklist()`: the token's outstanding row (written when missing) and its blacklist
/// row (`blacklisted_at` = `now`), each created only if absent. Returns whether this call wrote
/// the blacklist row: `false` when the token was blacklisted already (by a concurrent request
/// too), which the rotation uses to refuse a refresh token presented twice at once.
pub async fn blacklist<C: ConnectionTrait>(
    db: &C,
    token: &OutstandingToken,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let id = outstand(db, token).await?;
    let insert = Query::insert()
        .into_table(blacklisted())
        .columns([column("blacklisted_at"), column("token_id")])
        .values([
            Expr::value(datetime::value(db, datetime::truncate(now))),
            id.into(),
        ])
        .map_err(|error| DbErr::Custom(error.to_string()))?
        .on_conflict(or_nothing())
        .to_owned();
    Ok(db.execute(&insert).await?.rows_affected() == 1)
}

/// `BlacklistedToken.objects.filter(token__jti=jti).exists()`.
pub async fn is_blacklisted<C: ConnectionTrait>(db: &C, jti: &str) -> Result<bool, DbErr> {
    let select = Query::select()
        .expr(Expr::val(1))
        .from_as(blacklisted(), Alias::new("b"))
        .inner_join(
            outstanding(),
            Expr::col((Alias::new("b"), column("token_id"))).equals((outstanding(), column("id"))),
        )
        .and_where(Expr::col((outstanding(), column("jti"))).eq(jti))
        .limit(1)
        .to_owned();
    Ok(db.query_one(&select).await?.is_some())
}

/// `manage.py flushexpiredtokens`: deletes the outstanding tokens with `expires_at <= now` and
/// their blacklist rows (Django's cascade, done here as Django does it: children first).
/// Returns how many outstanding tokens went.
pub async fn flush_expired<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let transaction = db.begin().await?;
    let expired = Query::select()
        .column(column("id"))
        .from(outstanding())
        .and_where(Expr::col(column("expires_at")).lte(datetime::value(db, now)))
        .to_owned();
    let children = Query::delete()
        .from_table(blacklisted())
        .and_where(Expr::col(column("token_id")).in_subquery(expired))
        .to_owned();
    transaction.execute(&children).await?;
    let parents = Query::delete()
        .from_table(outstanding())
        .and_where(Expr::col(column("expires_at")).lte(datetime::value(db, now)))
        .to_owned();
    let deleted = transaction.execute(&parents).await?.rows_affected();
    transaction.commit().await?;
    Ok(deleted)
}

/// What deleting a user does to these rows in Django (`on_delete=SET_NULL`): the user's tokens
/// stay, owned by nobody.
pub async fn forget_user<C: ConnectionTrait>(db: &C, user_id: UserId) -> Result<(), DbErr> {
    let update = Query::update()
        .table(outstanding())
        .value(column("user_id"), Expr::cust("NULL"))
        .and_where(Expr::col(column("user_id")).eq(user_id.sql_value(db.get_database_backend())))
        .to_owned();
    db.execute(&update).await?;
    Ok(())
}
