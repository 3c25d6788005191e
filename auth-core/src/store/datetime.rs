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

/// Django's SQLite text for an instant (`2026-11-29 01:08:20.123456`, the fraction only when
/// there is one; a year outside 0–9999 is written as `format!("{:04}")` would).
pub fn django_text(instant: DateTime<Utc>) -> String {
    use chrono::{Datelike, Timelike};

    // Written digit by digit: this runs on every session request, and `format!` cost 3,500
    // instructions of it (callgrind); chrono's `format` re-parses its pattern on every call.
    fn digits(text: &mut String, value: u32, width: usize) {
        let mut buffer = [b'0'; 10];
        let mut rest = value;
        let mut start = buffer.len();
        while rest > 0 || buffer.len() - start < width {
            start -= 1;
            buffer[start] = b'0' + (rest % 10) as u8;
            rest /= 10;
        }
        // ASCII digits only.
        text.extend(buffer[start..].iter().map(|&digit| char::from(digit)));
    }
    let year = instant.year();
    let mut text = String::with_capacity(26);
    if !(0..=9999).contains(&year) {
        // Out of Django's range (Python's `datetime` has years 1–9999): written as before.
        let mut text = format!(
            "{year:04}-{:02}-{:02} {:02}:{:02}:{:02}",
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
        return text;
    }
    digits(&mut text, year.unsigned_abs(), 4);
    text.push('-');
    digits(&mut text, instant.month(), 2);
    text.push('-');
    digits(&mut text, instant.day(), 2);
    text.push(' ');
    digits(&mut text, instant.hour(), 2);
    text.push(':');
    digits(&mut text, instant.minute(), 2);
    text.push(':');
    digits(&mut text, instant.second(), 2);
    let micros = instant.timestamp_subsec_micros();
    if micros != 0 {
        text.push('.');
        digits(&mut text, micros, 6);
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
        // The same text as `format!` field by field, over a spread of instants.
        let mut instant = Utc
            .with_ymd_and_hms(1, 1, 1, 0, 0, 0)
            .single()
            .unwrap_or_default();
        let step = chrono::TimeDelta::seconds(86_400 * 365 * 33 + 3_727)
            + chrono::TimeDelta::microseconds(70_001);
        for _ in 0..300 {
            let micros = instant.timestamp_subsec_micros();
            let mut expected = instant.format("%Y-%m-%d %H:%M:%S").to_string();
            if micros != 0 {
                expected.push_str(&format!(".{micros:06}"));
            }
            assert_eq!(django_text(instant), expected);
            instant = instant.checked_add_signed(step).unwrap_or(instant);
        }
        let small = Utc
            .with_ymd_and_hms(7, 2, 3, 4, 5, 6)
            .single()
            .unwrap_or_default()
            + chrono::TimeDelta::microseconds(9);
        assert_eq!(django_text(small), "0007-02-03 04:05:06.000009");
    }
}
