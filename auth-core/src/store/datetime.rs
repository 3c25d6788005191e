//! Datetimes as Django stores them.
//!
//! On SQLite, Django writes `str(naive UTC datetime)` — `2026-11-29 01:08:20.123456`, without
//! the fraction when it is zero — and compares these as text. sqlx would write RFC 3339
//! (`2026-11-29T01:08:20.123456789+00:00`), and a `T` compares above a space: a session Django
//! wrote to expire later today would look expired to a query with an RFC 3339 bound. So every
//! datetime this library writes or compares on SQLite goes through [`value`]. PostgreSQL and
//! MySQL have real datetime types and get the typed value.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbBackend, Value};

/// The current instant at Django's precision (microseconds), so a row read back equals the
/// value that was written.
pub fn now() -> DateTime<Utc> {
    truncate(Utc::now())
}

/// `instant` at microsecond precision.
pub fn truncate(instant: DateTime<Utc>) -> DateTime<Utc> {
    use chrono::SubsecRound;
    instant.trunc_subsecs(6)
}

/// Django's SQLite text for an instant.
pub fn django_text(instant: DateTime<Utc>) -> String {
    use chrono::{Datelike, Timelike};

    // Written field by field: chrono's `format` re-parses its pattern on every call, and this
    // runs on every session request.
    let mut text = format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        instant.year(),
        instant.month(),
        instant.day(),
        instant.hour(),
        instant.minute(),
        instant.second()
    );
    let micros = instant.timestamp_subsec_micros();
    if micros != 0 {
        text.push_str(&format!(".{micros:06}"));
    }
    text
}

/// The value to bind for `instant` on `db`'s backend.
pub fn value<C: ConnectionTrait>(db: &C, instant: DateTime<Utc>) -> Value {
    match db.get_database_backend() {
        DbBackend::Sqlite => Value::from(django_text(instant)),
        _ => Value::from(instant),
    }
}

/// Like [`value`], for a nullable column.
pub fn optional_value<C: ConnectionTrait>(db: &C, instant: Option<DateTime<Utc>>) -> Value {
    match (instant, db.get_database_backend()) {
        (Some(instant), _) => value(db, instant),
        (None, DbBackend::Sqlite) => Value::String(None),
        (None, _) => Value::ChronoDateTimeUtc(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn text_is_pythons_str_of_a_naive_datetime() {
        let whole = Utc
            .with_ymd_and_hms(2026, 11, 29, 1, 8, 20)
            .single()
            .unwrap_or_default();
        assert_eq!(django_text(whole), "2026-11-29 01:08:20");
        let fraction = whole + chrono::TimeDelta::microseconds(123_000);
        assert_eq!(django_text(fraction), "2026-11-29 01:08:20.123000");
        let nanos = whole + chrono::TimeDelta::nanoseconds(123_456_789);
        assert_eq!(django_text(nanos), "2026-11-29 01:08:20.123456");
    }
}
