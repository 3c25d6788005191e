//! The user's primary key as Django has it: an integer (`AutoField`, `BigAutoField`) or a UUID
//! (`UUIDField(primary_key=True, default=uuid.uuid4)`), and the same value in every column that
//! references the user (DRF's and knox's tokens, simplejwt's outstanding tokens, the groups and
//! permissions tables) and in the session's `_auth_user_id`.
//!
//! Django stores a UUID as PostgreSQL's `uuid` type and, on SQLite and MySQL, as `char(32)`: the
//! 32 hex digits without hyphens (`UUIDField.get_db_prep_value` gives `value.hex` where the
//! backend has no native type; MariaDB 10.7+ under Django 5+ has one, and it takes the hex form
//! in comparisons too). Its text form everywhere else — `str(pk)` in the session, in
//! simplejwt's `user_id` claim, in DRF's JSON — is the hyphenated lowercase one.
//!
//! A column is read without knowing the model: an integer comes back as an integer (on
//! PostgreSQL every key is read as `text`, see [`readable`]), and the text of an integer key
//! never has 32 characters, so the text alone says which kind of key it is.

use std::fmt;

use sea_orm::sea_query::{
    Alias, ArrayType, ColumnType, Expr, ExprTrait, Nullable, ValueType, ValueTypeErr,
};
use sea_orm::{ColIdx, DbBackend, QueryResult, TryGetError, TryGetable};

use crate::compat::python::number::{self, python_int};
use crate::compat::python::uuid;

/// A user's primary key. `Display` is Django's `str(pk)`: `42`, or
/// `0f6b5c1e-8d1a-4c43-9a9e-3b5e2c7d9f10`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum UserId {
    /// `AutoField` (`integer`) or `BigAutoField` (`bigint`).
    Int(i64),
    /// `UUIDField`, as its 128 bits.
    Uuid(u128),
}

/// Which kind of primary key the user model has (Django's field class of `pk`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum UserIdKind {
    /// `AutoField` or `BigAutoField`: the database numbers new users.
    #[default]
    Integer,
    /// `UUIDField(default=uuid.uuid4)`: new users get a random version-4 UUID.
    Uuid,
}

impl UserIdKind {
    /// The Django field class names this kind stands for, as the settings file spells them
    /// (`AUTH_USER_PK_FIELD`): `AutoField`, `BigAutoField`, `SmallAutoField`, `UUIDField`.
    pub fn from_field_class(name: &str) -> Option<Self> {
        match name {
            "AutoField" | "BigAutoField" | "SmallAutoField" => Some(Self::Integer),
            "UUIDField" => Some(Self::Uuid),
            _ => None,
        }
    }

    /// Django's `pk.to_python(value)` for a string, as `django.contrib.auth.get_user` applies it
    /// to the session's `_auth_user_id` and simplejwt's lookup to its `user_id` claim; `None`
    /// where Django raises (`ValidationError`), which finds no user here.
    ///
    /// `IntegerField`: Python's `int(text)` — surrounding whitespace, a sign and `_` between
    /// digits are accepted (ASCII digits only here: Django never writes others). `UUIDField`:
    /// `uuid.UUID(hex=text)` — `urn:` and `uuid:` removed, then surrounding braces, then every
    /// hyphen, leaving 32 hex digits (see [`uuid::from_hex`] for the forms Python's `int()`
    /// would also take).
    pub fn to_python(self, text: &str) -> Option<UserId> {
        match self {
            Self::Integer => number::int(text).map(UserId::Int),
            Self::Uuid => uuid::from_hex(text).map(UserId::Uuid),
        }
    }

    /// Django's `pk.to_python(value)` for a JSON value, as simplejwt's
    /// `User.objects.get(id=token[USER_ID_CLAIM])` reads its claim: for an integer key Python's
    /// `int()` of it; for a UUID key a string as [`to_python`](Self::to_python) reads it or a
    /// non-negative integer below 2⁶⁴ as `uuid.UUID(int=…)` (Python takes up to 2¹²⁸; simplejwt
    /// writes `str(user.id)`, never an integer). `None`
    /// where Django raises: no user here, never simplejwt's server error.
    pub fn from_json(self, value: &serde_json::Value) -> Option<UserId> {
        match (self, value) {
            (Self::Integer, value) => python_int(value)
                .and_then(|id| <i64 as TryFrom<i128>>::try_from(id).ok())
                .map(UserId::Int),
            (Self::Uuid, serde_json::Value::String(text)) => self.to_python(text),
            (Self::Uuid, serde_json::Value::Number(number)) => {
                number.as_u64().map(|bits| UserId::Uuid(u128::from(bits)))
            }
            (Self::Uuid, serde_json::Value::Bool(flag)) => Some(UserId::Uuid(u128::from(*flag))),
            (Self::Uuid, _) => None,
        }
    }

    /// A new key for a row this library inserts: `None` for integers (the database numbers
    /// them), a random version-4 UUID as Django's `default=uuid.uuid4` gives.
    pub fn new_value(self) -> Option<UserId> {
        match self {
            Self::Integer => None,
            Self::Uuid => Some(UserId::Uuid(uuid::uuid4())),
        }
    }
}

impl UserId {
    /// The key as a column holds it, read back as text: an integer's digits, a UUID's 32 hex
    /// digits (SQLite, MySQL) or its hyphenated form (PostgreSQL's `uuid::text`, MariaDB's
    /// `uuid`). `None` for anything else.
    pub fn from_column_text(text: &str) -> Option<Self> {
        match text.len() {
            32 => uuid::from_hex32(text).map(Self::Uuid),
            36 => uuid::from_hex(text).map(Self::Uuid),
            _ => text.parse().ok().map(Self::Int),
        }
    }

    /// The integer key, if it is one.
    pub const fn as_int(self) -> Option<i64> {
        match self {
            Self::Int(id) => Some(id),
            Self::Uuid(_) => None,
        }
    }

    /// The kind of key this is.
    pub const fn kind(self) -> UserIdKind {
        match self {
            Self::Int(_) => UserIdKind::Integer,
            Self::Uuid(_) => UserIdKind::Uuid,
        }
    }

    /// The value of a comparison with, or an insert into, a key column on `backend`: the
    /// integer; for a UUID the hex digits (`char(32)` on SQLite and MySQL) or, on PostgreSQL,
    /// the text cast to `uuid`.
    pub fn sql_value(self, backend: DbBackend) -> Expr {
        match self {
            Self::Int(id) => Expr::val(id),
            Self::Uuid(_) if backend == DbBackend::Postgres => {
                Expr::val(self.to_string()).cast_as(Alias::new("uuid"))
            }
            Self::Uuid(bits) => Expr::val(uuid::hex(bits)),
        }
    }

    /// The key as DRF's JSON renders a primary key field: a number, or the hyphenated string
    /// (`UUIDField`'s default `hex_verbose` format).
    pub fn to_json(self) -> serde_json::Value {
        match self {
            Self::Int(id) => serde_json::Value::from(id),
            Self::Uuid(_) => serde_json::Value::String(self.to_string()),
        }
    }
}

/// [`UserId::from_column_text`]: digits, 32 hex digits or the hyphenated form.
impl std::str::FromStr for UserId {
    type Err = InvalidUserId;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::from_column_text(text).ok_or(InvalidUserId)
    }
}

/// Text that is not a user key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not a user key: expected an integer or a UUID")]
pub struct InvalidUserId;

impl From<i64> for UserId {
    fn from(id: i64) -> Self {
        Self::Int(id)
    }
}

impl From<i32> for UserId {
    fn from(id: i32) -> Self {
        Self::Int(i64::from(id))
    }
}

impl PartialEq<i64> for UserId {
    fn eq(&self, other: &i64) -> bool {
        *self == Self::Int(*other)
    }
}

impl PartialEq<i32> for UserId {
    fn eq(&self, other: &i32) -> bool {
        *self == Self::Int(i64::from(*other))
    }
}

/// Django's `str(pk)`.
impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::Int(id) => write!(f, "{id}"),
            Self::Uuid(bits) => f.write_str(&uuid::to_str(bits)),
        }
    }
}

impl fmt::Debug for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl serde::Serialize for UserId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match *self {
            Self::Int(id) => serializer.serialize_i64(id),
            Self::Uuid(_) => serializer.collect_str(self),
        }
    }
}

/// `expr` (a key column) as a value [`UserId`] decodes on `backend`: PostgreSQL's driver reads
/// neither an `integer` as an `i64` nor a `uuid` as text without a cast, so there every key is
/// read as `text`; the other backends hand integers and `char(32)` text as they are.
pub(crate) fn readable(backend: DbBackend, expr: Expr) -> Expr {
    match backend {
        DbBackend::Postgres => expr.cast_as(Alias::new("text")),
        _ => expr,
    }
}

/// The value sea-orm's generic paths (an entity's `ActiveModel`) bind: the integer, or a UUID's
/// 32 hex digits (`char(32)`). PostgreSQL's `uuid` column takes no text parameter without a
/// cast, so this library's own queries bind [`UserId::sql_value`] instead.
impl From<UserId> for sea_orm::Value {
    fn from(id: UserId) -> Self {
        match id {
            UserId::Int(id) => Self::BigInt(Some(id)),
            UserId::Uuid(bits) => Self::String(Some(uuid::hex(bits))),
        }
    }
}

impl ValueType for UserId {
    fn try_from(value: sea_orm::Value) -> Result<Self, ValueTypeErr> {
        use sea_orm::Value;
        match value {
            Value::BigInt(Some(id)) => Ok(Self::Int(id)),
            Value::Int(Some(id)) => Ok(Self::from(id)),
            Value::String(Some(text)) => Self::from_column_text(&text).ok_or(ValueTypeErr),
            _ => Err(ValueTypeErr),
        }
    }

    fn type_name() -> String {
        "UserId".to_owned()
    }

    fn array_type() -> ArrayType {
        ArrayType::BigInt
    }

    fn column_type() -> ColumnType {
        ColumnType::BigInteger
    }
}

impl Nullable for UserId {
    fn null() -> sea_orm::Value {
        sea_orm::Value::BigInt(None)
    }
}

impl TryGetable for UserId {
    fn try_get_by<I: ColIdx>(res: &QueryResult, index: I) -> Result<Self, TryGetError> {
        let malformed = |text: &str| {
            TryGetError::DbErr(sea_orm::DbErr::Type(format!(
                "{index:?}: {text:?} is not a user key"
            )))
        };
        // PostgreSQL's keys are read as text (see `readable`): no integer attempt there.
        #[cfg(feature = "postgres")]
        if res.try_as_pg_row().is_some() {
            let text = String::try_get_by(res, index)?;
            return Self::from_column_text(&text).ok_or_else(|| malformed(&text));
        }
        // An integer column (SQLite, MySQL) first: the default user model's, on the hot path.
        match i64::try_get_by(res, index) {
            Ok(id) => Ok(Self::Int(id)),
            Err(TryGetError::Null(column)) => Err(TryGetError::Null(column)),
            Err(TryGetError::DbErr(_)) => {
                let text = String::try_get_by(res, index)?;
                Self::from_column_text(&text).ok_or_else(|| malformed(&text))
            }
        }
    }
}

#[cfg(feature = "sqlite")]
impl rusqlite::types::FromSql for UserId {
    fn column_result(value: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        use rusqlite::types::{FromSqlError, ValueRef};
        match value {
            ValueRef::Integer(id) => Ok(Self::Int(id)),
            ValueRef::Text(text) => std::str::from_utf8(text)
                .ok()
                .and_then(Self::from_column_text)
                .ok_or(FromSqlError::InvalidType),
            _ => Err(FromSqlError::InvalidType),
        }
    }
}

#[cfg(feature = "sqlite")]
impl rusqlite::types::ToSql for UserId {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, Value};
        Ok(ToSqlOutput::Owned(match *self {
            Self::Int(id) => Value::Integer(id),
            Self::Uuid(bits) => Value::Text(uuid::hex(bits)),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HYPHENATED: &str = "0f6b5c1e-8d1a-4c43-9a9e-3b5e2c7d9f10";

    #[test]
    fn text_forms_are_djangos() {
        let id = UserIdKind::Uuid.to_python(HYPHENATED).unwrap();
        assert_eq!(id.to_string(), HYPHENATED);
        assert_eq!(
            id.to_json(),
            serde_json::Value::String(HYPHENATED.to_owned())
        );
        assert_eq!(
            serde_json::to_string(&id).unwrap(),
            format!("\"{HYPHENATED}\"")
        );
        assert_eq!(UserId::Int(42).to_string(), "42");
        assert_eq!(serde_json::to_string(&UserId::Int(42)).unwrap(), "42");
        assert_eq!(
            UserIdKind::Uuid.to_python("{0F6B5C1E-8D1A-4C43-9A9E-3B5E2C7D9F10}"),
            Some(id)
        );
        for bad in [
            "",
            "42",
            "0f6b5c1e8d1a4c439a9e3b5e2c7d9f1",
            "g".repeat(32).as_str(),
        ] {
            assert_eq!(UserIdKind::Uuid.to_python(bad), None, "{bad}");
        }
    }

    #[test]
    fn integers_parse_as_pythons_int() {
        let int = |text| UserIdKind::Integer.to_python(text);
        assert_eq!(int("42"), Some(UserId::Int(42)));
        assert_eq!(int(" +4_2\n"), Some(UserId::Int(42)));
        assert_eq!(int("-7"), Some(UserId::Int(-7)));
        for bad in [
            "",
            "+",
            "4__2",
            "_42",
            "42_",
            "4 2",
            "9223372036854775808",
            HYPHENATED,
        ] {
            assert_eq!(int(bad), None, "{bad}");
        }
    }

    #[test]
    fn claims_are_read_as_djangos_lookup_reads_them() {
        use serde_json::json;
        let id = UserIdKind::Uuid.to_python(HYPHENATED).unwrap();
        assert_eq!(UserIdKind::Uuid.from_json(&json!(HYPHENATED)), Some(id));
        assert_eq!(UserIdKind::Uuid.from_json(&json!(7)), Some(UserId::Uuid(7)));
        assert_eq!(UserIdKind::Uuid.from_json(&json!(-7)), None);
        assert_eq!(UserIdKind::Uuid.from_json(&json!(null)), None);
        assert_eq!(
            UserIdKind::Integer.from_json(&json!("42")),
            Some(UserId::Int(42))
        );
        assert_eq!(
            UserIdKind::Integer.from_json(&json!(42.9)),
            Some(UserId::Int(42))
        );
        assert_eq!(UserIdKind::Integer.from_json(&json!(HYPHENATED)), None);
    }

    #[test]
    fn column_text_says_the_kind() {
        let id = UserIdKind::Uuid.to_python(HYPHENATED).unwrap();
        assert_eq!(UserId::from_column_text(HYPHENATED), Some(id));
        assert_eq!(
            UserId::from_column_text("0f6b5c1e8d1a4c439a9e3b5e2c7d9f10"),
            Some(id)
        );
        assert_eq!(UserId::from_column_text("17"), Some(UserId::Int(17)));
        assert_eq!(UserId::from_column_text("x"), None);
    }

    #[test]
    fn only_uuid_keys_are_made_here() {
        assert!(matches!(
            UserIdKind::Uuid.new_value(),
            Some(UserId::Uuid(_))
        ));
        assert_eq!(UserIdKind::Integer.new_value(), None);
    }
}
