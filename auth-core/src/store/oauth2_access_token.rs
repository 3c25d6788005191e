//! Django OAuth Toolkit's `oauth2_provider_accesstoken` (`oauth2_provider.models.AccessToken`)
//! as the resource server reads it: one row by the SHA-256 checksum of the presented token,
//! with its user (none for a client-credentials token), in one query — DOT's
//! `AccessToken.objects.select_related("application", "user").filter(token_checksum=…).first()`.

use std::fmt;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, JoinType, Query};
use sea_orm::{ConnectionTrait, DbBackend, DbErr, FromQueryResult};
use sha2::{Digest as _, Sha256};

use super::user::{User, UserModel};
use super::user_id::UserId;
use crate::compat::python::text::python_split;

/// DOT's table.
const TABLE: &str = "oauth2_provider_accesstoken";

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
}

impl Resource {
    /// Reads the column's JSON text as DOT's `ResourceJSONField` does; text that is not JSON
    /// restricts the token to nothing (fails closed).
    pub fn from_json(text: Option<&str>) -> Self {
        let Some(text) = text else {
            return Self::default();
        };
        match serde_json::from_str::<serde_json::Value>(text) {
            Ok(serde_json::Value::Array(items)) => Self {
                restricted: !items.is_empty(),
                uris: items
                    .into_iter()
                    .filter_map(|item| match item {
                        serde_json::Value::String(uri) => Some(uri),
                        _ => None,
                    })
                    .collect(),
            },
            Ok(value) => Self {
                uris: Vec::new(),
                restricted: is_truthy(&value),
            },
            Err(_) => Self {
                uris: Vec::new(),
                restricted: true,
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
    // `jsonb` on PostgreSQL, `json` (a `longtext` on MariaDB) on MySQL: read as text.
    let resource = match backend {
        DbBackend::Postgres => column("resource").cast_as(Alias::new("text")),
        DbBackend::MySql => column("resource").cast_as(Alias::new("char")),
        _ => column("resource"),
    };
    select.expr_as(resource, Alias::new("t_resource"));
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
