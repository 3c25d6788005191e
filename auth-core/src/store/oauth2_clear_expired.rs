//! Django OAuth Toolkit's `clear_expired()` (`oauth2_provider/models.py`, 3.4.1; its
//! `cleartokens` command) on DOT's tables: revoked and orphaned refresh tokens, idle refresh
//! tokens when they age out, expired access tokens no refresh token holds, expired ID tokens no
//! access token holds, expired grants.
//!
//! DOT deletes through the ORM, which first sets to `NULL` the foreign keys declared
//! `on_delete=SET_NULL` that point at the rows going (`AccessToken.source_refresh_token`); the
//! statements here do the same, since the database's own constraints do not. DOT deletes in
//! batches with a pause between them (`CLEAR_EXPIRED_TOKENS_BATCH_*`); here each kind is one
//! statement.

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::sea_query::{Alias, Cond, Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{ConnectionTrait, DbErr};

const ACCESS: &str = "oauth2_provider_accesstoken";
const REFRESH: &str = "oauth2_provider_refreshtoken";
const ID_TOKEN: &str = "oauth2_provider_idtoken";
const GRANT: &str = "oauth2_provider_grant";

/// DOT's tables `clear_expired` works on.
pub const TABLES: [&str; 4] = [ACCESS, REFRESH, ID_TOKEN, GRANT];

/// The `OAUTH2_PROVIDER` settings `clear_expired` reads, DOT's defaults by `Default`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClearExpiredSettings {
    /// `REFRESH_TOKEN_EXPIRE_SECONDS` (default none: refresh tokens never age out).
    pub refresh_token_expire: Option<Duration>,
    /// `REFRESH_TOKEN_GRACE_PERIOD_SECONDS` (default 0): revoked refresh tokens are kept this
    /// long.
    pub refresh_token_grace_period: Duration,
    /// `REFRESH_TOKEN_REUSE_PROTECTION` (default false): revoked refresh tokens are kept until
    /// they age out, so that a reused one can still revoke its family.
    pub refresh_token_reuse_protection: bool,
}

/// How many rows of each kind went.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cleared {
    /// Revoked refresh tokens (past the grace period).
    pub revoked_refresh_tokens: u64,
    /// Live refresh tokens whose access token is gone.
    pub orphaned_refresh_tokens: u64,
    /// Live refresh tokens whose access token expired `REFRESH_TOKEN_EXPIRE_SECONDS` ago.
    pub expired_refresh_tokens: u64,
    /// Expired access tokens without a refresh token.
    pub access_tokens: u64,
    /// Expired ID tokens without an access token.
    pub id_tokens: u64,
    /// Expired grants (authorization codes).
    pub grants: u64,
}

fn col(table: &str, column: &str) -> Expr {
    Expr::col((Alias::new(table), Alias::new(column)))
}

fn ids_of(table: &str, column: &str, condition: Cond) -> SelectStatement {
    Query::select()
        .column((Alias::new(table), Alias::new(column)))
        .from(Alias::new(table))
        .cond_where(condition)
        .to_owned()
}

/// `DELETE FROM table WHERE condition`: how many rows went.
async fn delete<C: ConnectionTrait>(db: &C, table: &str, condition: Cond) -> Result<u64, DbErr> {
    let statement = Query::delete()
        .from_table(Alias::new(table))
        .cond_where(condition)
        .to_owned();
    Ok(db.execute(&statement).await?.rows_affected())
}

/// Deletes the refresh tokens matching `condition`, first clearing the access tokens'
/// `source_refresh_token_id` that point at them (DOT's `SET_NULL`).
async fn delete_refresh_tokens<C: ConnectionTrait>(db: &C, condition: Cond) -> Result<u64, DbErr> {
    let detach = Query::update()
        .table(Alias::new(ACCESS))
        .value(
            Alias::new("source_refresh_token_id"),
            Expr::value(Option::<i64>::None),
        )
        .and_where(col(ACCESS, "source_refresh_token_id").in_subquery(ids_of(
            REFRESH,
            "id",
            condition.clone(),
        )))
        .to_owned();
    db.execute(&detach).await?;
    delete(db, REFRESH, condition).await
}

/// `clear_expired()` at `now` under `settings`.
pub async fn clear_expired<C: ConnectionTrait>(
    db: &C,
    settings: &ClearExpiredSettings,
    now: DateTime<Utc>,
) -> Result<Cleared, DbErr> {
    let at = |instant: DateTime<Utc>| Expr::value(super::datetime::value(db, instant));
    let mut cleared = Cleared::default();
    // An age beyond the calendar is refused, as DOT refuses a setting it cannot use
    // (`ImproperlyConfigured`), rather than wrapping.
    let before = |age: Duration| {
        TimeDelta::from_std(age)
            .ok()
            .and_then(|age| now.checked_sub_signed(age))
            .ok_or_else(|| DbErr::Custom(format!("cannot go back {age:?} from {now}")))
    };
    let refresh_expire_at = settings.refresh_token_expire.map(before).transpose()?;
    let refresh_revoked_at = if settings.refresh_token_reuse_protection {
        refresh_expire_at
    } else {
        Some(before(settings.refresh_token_grace_period)?)
    };
    if let Some(revoked_at) = refresh_revoked_at {
        cleared.revoked_refresh_tokens = delete_refresh_tokens(
            db,
            Cond::all().add(col(REFRESH, "revoked").lte(at(revoked_at))),
        )
        .await?;
    }
    cleared.orphaned_refresh_tokens = delete_refresh_tokens(
        db,
        Cond::all()
            .add(col(REFRESH, "revoked").is_null())
            .add(col(REFRESH, "access_token_id").is_null()),
    )
    .await?;
    if let Some(expire_at) = refresh_expire_at {
        // `access_token__expires__lte`: an inner join, so orphans (handled above) never match.
        // Read through a derived table: MySQL refuses a subquery on the table an `UPDATE`
        // changes (error 1093), and the access tokens' `SET NULL` is such an update.
        let idle = Query::select()
            .column(Alias::new("id"))
            .from_subquery(
                ids_of(
                    ACCESS,
                    "id",
                    Cond::all().add(col(ACCESS, "expires").lte(at(expire_at))),
                ),
                Alias::new("idle"),
            )
            .to_owned();
        cleared.expired_refresh_tokens = delete_refresh_tokens(
            db,
            Cond::all()
                .add(col(REFRESH, "revoked").is_null())
                .add(col(REFRESH, "access_token_id").in_subquery(idle)),
        )
        .await?;
    }
    // `refresh_token__isnull=True`: no refresh token row holds the access token.
    let held = ids_of(
        REFRESH,
        "access_token_id",
        Cond::all().add(col(REFRESH, "access_token_id").is_not_null()),
    );
    cleared.access_tokens = delete(
        db,
        ACCESS,
        Cond::all()
            .add(col(ACCESS, "expires").lt(at(now)))
            .add(col(ACCESS, "id").not_in_subquery(held)),
    )
    .await?;
    let used = ids_of(
        ACCESS,
        "id_token_id",
        Cond::all().add(col(ACCESS, "id_token_id").is_not_null()),
    );
    cleared.id_tokens = delete(
        db,
        ID_TOKEN,
        Cond::all()
            .add(col(ID_TOKEN, "expires").lt(at(now)))
            .add(col(ID_TOKEN, "id").not_in_subquery(used)),
    )
    .await?;
    cleared.grants = delete(
        db,
        GRANT,
        Cond::all().add(col(GRANT, "expires").lt(at(now))),
    )
    .await?;
    Ok(cleared)
}
