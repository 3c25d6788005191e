//! Django OAuth Toolkit's `oauth2_provider_accesstoken` (`oauth2_provider.models.AccessToken`)
//! as the resource server reads it: one row by the SHA-256 checksum of the presented token,
//! with its user (none for a client-credentials token), in one query — DOT's
//! `AccessToken.objects.select_related("application", "user").filter(token_checksum=…).first()`.

use std::fmt;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, JoinType, OnConflict, Query};
use sea_orm::{ConnectionTrait, DbBackend, DbErr, FromQueryResult};
use sha2::{Digest as _, Sha256};

use super::user::{User, UserModel};
use super::user_id::UserId;
use crate::compat::python::text::python_split;

/// DOT's table.
pub const TABLE: &str = "oauth2_provider_accesstoken";

/// An access token row (DRF's `request.auth` under `OAuth2Authentication`). The token string
/// itself is not kept: the row was found by its checksum.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken {
    /// The primary key.
    pub id: i64,
    /// The resource owner; `None` for a client-credentials token.
    pub user_id: Option<UserId>,
    /// The client application; `None` when the row has none.
    pub application_id: Option<i64>,
    /// When it stops working.
    pub expires: DateTime<Utc>,
    /// The granted scopes, space-separated.
    pub scope: String,
    /// RFC 8707 resource indicators the token is restricted to.
    pub resource: Resource,
}

/// The `resource` column (a JSON list of URIs; an empty list is unrestricted).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Resource {
    /// The URIs of the list (its members that are strings).
    pub uris: Vec<String>,
    /// Whether the token is restricted: the value is truthy in Python. A truthy value that is
    /// not a list (DOT never writes one) restricts the token to nothing here, where DOT would
    /// iterate it or fail with a server error.
    pub restricted: bool,
    /// Whether the restriction is not a list of strings (a truthy value that is not a list, a
    /// member that is not a string, text that is not JSON): a token issued from it may not
    /// inherit it, as DOT's validation of inherited resources refuses it.
    pub unreadable: bool,
}

impl Resource {
    /// Reads the column's JSON text as DOT's `ResourceJSONField` does; text that is not JSON
    /// restricts the token to nothing (fails closed).
    pub fn from_json(text: Option<&str>) -> Self {
        let Some(text) = text else {
            return Self::default();
        };
        match serde_json::from_str::<serde_json::Value>(text) {
            Ok(serde_json::Value::Array(items)) => {
                let count = items.len();
                let uris: Vec<String> = items
                    .into_iter()
                    .filter_map(|item| match item {
                        serde_json::Value::String(uri) => Some(uri),
                        _ => None,
                    })
                    .collect();
                Self {
                    restricted: count > 0,
                    unreadable: uris.len() != count,
                    uris,
                }
            }
            Ok(value) => Self {
                uris: Vec::new(),
                restricted: is_truthy(&value),
                unreadable: is_truthy(&value),
            },
            Err(_) => Self {
                uris: Vec::new(),
                restricted: true,
                unreadable: true,
            },
        }
    }
}

/// Python's truth value of a JSON value.
fn is_truthy(value: &serde_json::Value) -> bool {
    use serde_json::Value;
    match value {
        Value::Null => false,
        Value::Bool(flag) => *flag,
        Value::Number(number) => number.as_f64().is_some_and(|number| number != 0.0),
        Value::String(text) => !text.is_empty(),
        Value::Array(items) => !items.is_empty(),
        Value::Object(members) => !members.is_empty(),
    }
}

impl AccessToken {
    /// `is_expired()`: `timezone.now() >= expires`.
    pub fn is_expired(&self, now: DateTime<Utc>) -> bool {
        now >= self.expires
    }

    /// The granted scopes: `scope.split()`.
    pub fn scopes(&self) -> impl Iterator<Item = &str> {
        python_split(&self.scope)
    }

    /// `allow_scopes(scopes)`: every required scope is granted (none required allows).
    pub fn allow_scopes<'a>(&self, required: impl IntoIterator<Item = &'a str>) -> bool {
        let granted: Vec<&str> = self.scopes().collect();
        required.into_iter().all(|scope| granted.contains(&scope))
    }

    /// `is_valid(scopes)`: not expired and allowing the scopes.
    pub fn is_valid<'a>(
        &self,
        now: DateTime<Utc>,
        required: impl IntoIterator<Item = &'a str>,
    ) -> bool {
        !self.is_expired(now) && self.allow_scopes(required)
    }
}

impl fmt::Display for AccessToken {
    /// DOT's `AccessToken.__str__`, which never shows the token.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AccessToken #{}", self.id)
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessToken")
            .field("id", &self.id)
            .field("user_id", &self.user_id)
            .field("application_id", &self.application_id)
            .field("expires", &self.expires)
            .field("scope", &self.scope)
            .finish_non_exhaustive()
    }
}

/// `hashlib.sha256(token.encode("utf-8")).hexdigest()`: the `token_checksum` DOT stores.
pub fn checksum(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The row as selected: the token's columns, read as `t_…`.
#[derive(FromQueryResult)]
struct Row {
    id: i64,
    user_id: Option<UserId>,
    application_id: Option<i64>,
    expires: DateTime<Utc>,
    scope: String,
    resource: Option<String>,
}

/// The token whose checksum is `checksum`, with its user when it has one. A token whose user
/// key names no row (a database without foreign keys) is no token.
pub async fn by_checksum<C: ConnectionTrait>(
    db: &C,
    users: &UserModel,
    checksum: &str,
) -> Result<Option<(AccessToken, Option<User>)>, DbErr> {
    let backend = db.get_database_backend();
    let column = |name: &str| Expr::col((Alias::new("t"), Alias::new(name)));
    let mut select = Query::select();
    select.from_as(Alias::new(TABLE), Alias::new("t"));
    select.expr_as(column("id"), Alias::new("t_id"));
    select.expr_as(
        super::user_id::readable(backend, column("user_id")),
        Alias::new("t_user_id"),
    );
    select.expr_as(column("application_id"), Alias::new("t_application_id"));
    select.expr_as(column("expires"), Alias::new("t_expires"));
    select.expr_as(column("scope"), Alias::new("t_scope"));
    select.expr_as(
        json_as_text(backend, column("resource")),
        Alias::new("t_resource"),
    );
    users.join_users_as(JoinType::LeftJoin, backend, &mut select, "t", "user_id");
    select.and_where(column("token_checksum").eq(checksum));
    select.limit(1);
    let Some(row) = super::storable::or_no_match(db.query_one(&select).await)? else {
        return Ok(None);
    };
    let token = Row::from_query_result(&row, "t_")?;
    let user = match token.user_id {
        None => None,
        Some(_) => match row.try_get::<Option<UserId>>("u_", "id")? {
            None => return Ok(None),
            Some(_) => Some(User::from_query_result(&row, "u_")?),
        },
    };
    Ok(Some((
        AccessToken {
            id: token.id,
            user_id: token.user_id,
            application_id: token.application_id,
            expires: token.expires,
            scope: token.scope,
            resource: Resource::from_json(token.resource.as_deref()),
        },
        user,
    )))
}

/// A JSON column read as text: `jsonb` on PostgreSQL, `json` (a `longtext` on MariaDB) on
/// MySQL.
pub(super) fn json_as_text(backend: DbBackend, column: Expr) -> Expr {
    match backend {
        DbBackend::Postgres => column.cast_as(Alias::new("text")),
        DbBackend::MySql => column.cast_as(Alias::new("char")),
        _ => column,
    }
}

/// The `resource` column's value for a list of URIs: Django's `JSONField` writes
/// `json.dumps(value)` (ensure_ascii, `", "` between items); `jsonb` on PostgreSQL.
pub fn resource_value(backend: DbBackend, uris: &[String]) -> Expr {
    let items = uris
        .iter()
        .map(|uri| serde_json::Value::String(uri.clone()))
        .collect();
    let text = crate::compat::python::json::dumps::dumps(&serde_json::Value::Array(items));
    match backend {
        DbBackend::Postgres => Expr::val(text).cast_as(Alias::new("jsonb")),
        _ => Expr::val(text),
    }
}

/// An access token to write.
pub struct NewAccessToken<'a> {
    /// The token string (stored unless `hashed_only`).
    pub token: &'a str,
    /// Store only the checksum (`COMPLIANT_BCP_RFC9700_TOKEN_STORAGE`).
    pub hashed_only: bool,
    /// The resource owner; `None` for the client-credentials grant.
    pub user_id: Option<UserId>,
    /// The client; none for a token a remote authorization server issued (introspected).
    pub application_id: Option<i64>,
    /// When it stops working.
    pub expires: DateTime<Utc>,
    /// The granted scopes, space-separated.
    pub scope: &'a str,
    /// The refresh token whose rotation issued it.
    pub source_refresh_token_id: Option<i64>,
    /// The RFC 8707 resources.
    pub resource: &'a [String],
}

impl fmt::Debug for NewAccessToken<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewAccessToken")
            .field("user_id", &self.user_id)
            .field("application_id", &self.application_id)
            .field("expires", &self.expires)
            .field("scope", &self.scope)
            .finish_non_exhaustive()
    }
}

/// The `user_id` value: an untyped `NULL` for none, which any key type (an integer or, on
/// PostgreSQL, a `uuid`) accepts.
fn user_value(backend: DbBackend, user_id: Option<UserId>) -> Expr {
    user_id.map_or_else(|| Expr::cust("NULL"), |id| id.sql_value(backend))
}

/// Inserts an access token as DOT's `_create_access_token` writes it; its id.
pub async fn insert<C: ConnectionTrait>(
    db: &C,
    new: &NewAccessToken<'_>,
    now: DateTime<Utc>,
) -> Result<i64, DbErr> {
    insert_returning_id(db, insert_statement(db, new, now)?).await
}

/// The `INSERT` of a new row (`created` = `updated` = `now`).
fn insert_statement<C: ConnectionTrait>(
    db: &C,
    new: &NewAccessToken<'_>,
    now: DateTime<Utc>,
) -> Result<sea_orm::sea_query::InsertStatement, DbErr> {
    let backend = db.get_database_backend();
    let at = || Expr::value(super::datetime::value(db, now));
    let stored = if new.hashed_only { "" } else { new.token };
    let mut insert = Query::insert();
    insert
        .into_table(Alias::new(TABLE))
        .columns(
            [
                "token",
                "token_checksum",
                "expires",
                "scope",
                "application_id",
                "user_id",
                "created",
                "updated",
                "source_refresh_token_id",
                "id_token_id",
                "resource",
            ]
            .map(Alias::new),
        )
        .values([
            stored.into(),
            checksum(new.token).into(),
            Expr::value(super::datetime::value(db, new.expires)),
            new.scope.into(),
            Expr::value(new.application_id),
            user_value(backend, new.user_id),
            at(),
            at(),
            Expr::value(new.source_refresh_token_id),
            Expr::value(Option::<i64>::None),
            resource_value(backend, new.resource),
        ])
        .map_err(|error| DbErr::Custom(error.to_string()))?;
    Ok(insert)
}

/// Runs `insert` and answers the new row's integer `id`: `RETURNING` where the backend has it,
/// the driver's last insert id on MySQL.
pub(super) async fn insert_returning_id<C: ConnectionTrait>(
    db: &C,
    mut insert: sea_orm::sea_query::InsertStatement,
) -> Result<i64, DbErr> {
    if db.get_database_backend() == DbBackend::MySql {
        let done = db.execute(&insert).await?;
        return i64::try_from(done.last_insert_id())
            .map_err(|_| DbErr::Custom("inserted id out of range".to_owned()));
    }
    insert.returning(Query::returning().column(Alias::new("id")));
    let row = db
        .query_one(&insert)
        .await?
        .ok_or_else(|| DbErr::Custom("INSERT … RETURNING gave no row".to_owned()))?;
    row.try_get_by_index::<i64>(0)
}

/// The scopes of `user`'s access tokens for this client that expire after `now` (DOT's
/// `approval_prompt=auto` looks for one that allows the scopes asked).
pub async fn live_scopes_of<C: ConnectionTrait>(
    db: &C,
    user_id: UserId,
    application_id: i64,
    now: DateTime<Utc>,
) -> Result<Vec<String>, DbErr> {
    let backend = db.get_database_backend();
    let select = Query::select()
        .column(Alias::new("scope"))
        .from(Alias::new(TABLE))
        .and_where(Expr::col(Alias::new("user_id")).eq(user_id.sql_value(backend)))
        .and_where(Expr::col(Alias::new("application_id")).eq(application_id))
        .and_where(
            Expr::col(Alias::new("expires")).gt(Expr::value(super::datetime::value(db, now))),
        )
        .to_owned();
    db.query_all(&select)
        .await?
        .iter()
        .map(|row| row.try_get_by_index::<String>(0))
        .collect()
}

/// The id of the access token with this checksum issued to this client (the revocation
/// endpoint's lookup).
pub async fn id_for_client<C: ConnectionTrait>(
    db: &C,
    checksum: &str,
    application_id: i64,
) -> Result<Option<i64>, DbErr> {
    let select = Query::select()
        .column(Alias::new("id"))
        .from(Alias::new(TABLE))
        .and_where(Expr::col(Alias::new("token_checksum")).eq(checksum))
        .and_where(Expr::col(Alias::new("application_id")).eq(application_id))
        .limit(1)
        .to_owned();
    match db.query_one(&select).await? {
        Some(row) => Ok(Some(row.try_get_by_index::<i64>(0)?)),
        None => Ok(None),
    }
}

/// The checksum stored for access token `id`, if it exists.
pub(super) async fn checksum_of<C: ConnectionTrait>(
    db: &C,
    id: i64,
) -> Result<Option<String>, DbErr> {
    let select = Query::select()
        .column(Alias::new("token_checksum"))
        .from(Alias::new(TABLE))
        .and_where(Expr::col(Alias::new("id")).eq(id))
        .to_owned();
    match db.query_one(&select).await? {
        Some(row) => Ok(Some(row.try_get_by_index::<String>(0)?)),
        None => Ok(None),
    }
}

/// The non-rotating refresh (`ROTATE_REFRESH_TOKEN = False`): the access token `id` given a
/// new value, owner, scope, expiry, client and resources in place, as DOT's
/// `_save_bearer_token` saves it. The checksum of the value it had (for the credential cache
/// to forget), `None` when the row is gone.
pub async fn renew<C: ConnectionTrait>(
    db: &C,
    id: i64,
    new: &NewAccessToken<'_>,
    now: DateTime<Utc>,
) -> Result<Option<String>, DbErr> {
    let Some(old) = checksum_of(db, id).await? else {
        return Ok(None);
    };
    let backend = db.get_database_backend();
    let stored = if new.hashed_only { "" } else { new.token };
    let update = Query::update()
        .table(Alias::new(TABLE))
        .value(Alias::new("token"), stored)
        .value(Alias::new("token_checksum"), checksum(new.token))
        .value(Alias::new("user_id"), user_value(backend, new.user_id))
        .value(Alias::new("scope"), new.scope)
        .value(
            Alias::new("expires"),
            Expr::value(super::datetime::value(db, new.expires)),
        )
        .value(Alias::new("application_id"), new.application_id)
        .value(
            Alias::new("resource"),
            resource_value(backend, new.resource),
        )
        .value(
            Alias::new("updated"),
            Expr::value(super::datetime::value(db, now)),
        )
        .and_where(Expr::col(Alias::new("id")).eq(id))
        .to_owned();
    let renewed = db.execute(&update).await?.rows_affected() == 1;
    Ok(renewed.then_some(old))
}

/// DOT's `AccessToken.objects.update_or_create(token_checksum=…, defaults={token, user,
/// application: None, scope, expires, resource})` for a token a remote authorization server's
/// introspection found active (`token.application_id` and `source_refresh_token_id` none), in
/// one statement: the row of the token's checksum is written, or rewritten in place (keeping its
/// id and `created`, as Django's update does; `updated` = `now`). Two requests introspecting the
/// same token at once both succeed, where Django's `update_or_create` relies on catching the
/// unique violation.
pub async fn upsert_introspected<C: ConnectionTrait>(
    db: &C,
    token: &NewAccessToken<'_>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let mut insert = insert_statement(db, token, now)?;
    insert.on_conflict(
        OnConflict::column(Alias::new("token_checksum"))
            .update_columns(
                [
                    "token",
                    "expires",
                    "scope",
                    "application_id",
                    "user_id",
                    "updated",
                    "resource",
                ]
                .map(Alias::new),
            )
            .to_owned(),
    );
    db.execute(&insert).await?;
    Ok(())
}

/// The access token a rotation of refresh token `source_refresh_token_id` issued, if it still
/// exists: its id, its stored token string (empty under hashed storage) and its scope — what
/// a refresh inside the grace period answers again.
pub async fn issued_from<C: ConnectionTrait>(
    db: &C,
    source_refresh_token_id: i64,
) -> Result<Option<(i64, String, String)>, DbErr> {
    let select = Query::select()
        .columns([Alias::new("id"), Alias::new("token"), Alias::new("scope")])
        .from(Alias::new(TABLE))
        .and_where(Expr::col(Alias::new("source_refresh_token_id")).eq(source_refresh_token_id))
        .limit(1)
        .to_owned();
    match db.query_one(&select).await? {
        Some(row) => Ok(Some((
            row.try_get_by_index::<i64>(0)?,
            row.try_get_by_index::<String>(1)?,
            row.try_get_by_index::<String>(2)?,
        ))),
        None => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_checksum_is_sha256_hex_of_the_utf8_token() {
        // hashlib.sha256("abc".encode("utf-8")).hexdigest()
        assert_eq!(
            checksum("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn resource_is_restricted_only_by_a_truthy_value() {
        assert!(!Resource::from_json(Some("[]")).restricted);
        assert!(!Resource::from_json(None).restricted);
        assert!(!Resource::from_json(Some("null")).restricted);
        let list = Resource::from_json(Some(r#"["https://a.example/", 3]"#));
        assert!(list.restricted);
        assert_eq!(list.uris, ["https://a.example/"]);
        assert!(Resource::from_json(Some("\"x\"")).restricted);
        assert!(Resource::from_json(Some("not json")).restricted);
    }

    #[test]
    fn scopes_are_pythons_split_and_a_subset_test() {
        let token = AccessToken {
            id: 7,
            user_id: None,
            application_id: None,
            expires: DateTime::<Utc>::MIN_UTC,
            scope: "read\u{1c}write  orders:read".to_owned(),
            resource: Resource::default(),
        };
        assert_eq!(
            token.scopes().collect::<Vec<_>>(),
            ["read", "write", "orders:read"]
        );
        assert!(token.allow_scopes(["write", "read"]));
        assert!(token.allow_scopes([]));
        assert!(!token.allow_scopes(["admin"]));
        assert!(token.is_expired(Utc::now()));
        assert_eq!(token.to_string(), "AccessToken #7");
    }
}
