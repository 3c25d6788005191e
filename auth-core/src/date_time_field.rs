//! DRF's rendering of a UTC datetime (`DateTimeField.to_representation` with the default
//! `DATETIME_FORMAT`, and `JSONEncoder` for a datetime in a response): ISO 8601 with `Z` for
//! UTC, the microseconds only when there are some (`datetime.isoformat()`).

use chrono::{DateTime, Utc};

/// `2026-12-06T03:37:06.497937Z`, or `2026-12-06T03:37:06Z` on a whole second.
pub fn date_time_field(instant: DateTime<Utc>) -> String {
    if instant.timestamp_subsec_micros() == 0 {
        instant.format("%Y-%m-%dT%H:%M:%SZ").to_string()
    } else {
        instant.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
    }
}
