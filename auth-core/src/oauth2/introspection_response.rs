//! What DOT 3.4.1's `_get_token_from_authentication_server` reads from an RFC 7662 introspection
//! answer, and what it would store: a `200` whose JSON body has `"active": true`, then
//! `username` (the user to get or create), `exp` (capped at now +
//! `RESOURCE_SERVER_TOKEN_CACHING_SECONDS`), `scope` and `aud` (the RFC 8707 resources).
//!
//! Where DOT fails with a server error on a value it cannot use (an `exp` that is not a number
//! or is out of Python's date range, a `username` or `scope` that is null, a body that is a
//! list holding `"active"`), the token is **not active** here: the request is answered as for
//! any refused token. Where DOT stores a value that is not text as its `str()` (a `username` of
//! `5`, a `scope` list), the token is not active either: an authorization server answering so
//! is misconfigured, and a user named `['a']` is not what it meant.

use chrono::{DateTime, Datelike as _, Duration, Utc};
use serde_json::Value;

use crate::compat::python::json::loads;

/// An active token, as it is to be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntrospectedToken {
    /// `username`: the user to get or create by its username field; `None` (no user) when the
    /// answer has none, as for a client-credentials token.
    pub username: Option<String>,
    /// `scope` (default empty).
    pub scope: String,
    /// When the stored row stops working: `exp`, at most now + the caching time.
    pub expires: DateTime<Utc>,
    /// `aud` as a list (a single string is a list of one).
    pub resource: Vec<String>,
}

/// Why an answer gives no token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotActive {
    /// The status was not 200.
    Status(u16),
    /// The body is not JSON.
    NotJson,
    /// `active` is not `true`.
    Inactive,
    /// The body is JSON but not an object (DOT answers 500 for most such bodies, and refuses
    /// the token for the others).
    NotObject,
    /// A claim DOT would fail on, or would store as the text of a non-text value (its name).
    Unusable(&'static str),
}

/// Reads an introspection answer: `status`, `body`, the time of the request and
/// `RESOURCE_SERVER_TOKEN_CACHING_SECONDS`.
pub fn read(
    status: u16,
    body: &[u8],
    now: DateTime<Utc>,
    caching_seconds: i64,
) -> Result<IntrospectedToken, NotActive> {
    if status != 200 {
        return Err(NotActive::Status(status));
    }
    // `response.json()` on a body `requests` decodes as UTF-8 with replacement characters.
    let text = String::from_utf8_lossy(body);
    let content = loads::parse(text.as_bytes()).map_err(|_| NotActive::NotJson)?;
    let Value::Object(content) = content else {
        return Err(NotActive::NotObject);
    };
    if content.get("active") != Some(&Value::Bool(true)) {
        return Err(NotActive::Inactive);
    }
    let username = match content.get("username") {
        None => None,
        Some(Value::String(username)) => Some(username.clone()),
        Some(_) => return Err(NotActive::Unusable("username")),
    };
    // Settings bound the caching time; one given in code beyond chrono's range caps nothing.
    let max_caching_time = Duration::try_seconds(caching_seconds)
        .and_then(|caching| now.checked_add_signed(caching))
        .unwrap_or(DateTime::<Utc>::MAX_UTC);
    let expires = match content.get("exp") {
        None => max_caching_time,
        Some(exp) => from_timestamp(exp)
            .ok_or(NotActive::Unusable("exp"))?
            .min(max_caching_time),
    };
    let scope = match content.get("scope") {
        None => String::new(),
        Some(Value::String(scope)) => scope.clone(),
        Some(_) => return Err(NotActive::Unusable("scope")),
    };
    // DOT refuses (fails closed on) an `aud` that is neither a string nor a list of strings.
    let resource = match content.get("aud") {
        None => Vec::new(),
        Some(Value::String(aud)) => vec![aud.clone()],
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| item.as_str().map(str::to_owned))
            .collect::<Option<_>>()
            .ok_or(NotActive::Unusable("aud"))?,
        Some(_) => return Err(NotActive::Unusable("aud")),
    };
    Ok(IntrospectedToken {
        username,
        scope,
        expires,
        resource,
    })
}

/// `datetime.fromtimestamp(exp, tz=timezone.utc)`: an integer (or `true`/`false`, Python's 1
/// and 0) or a float rounded half to even to the microsecond, within years 1 to 9999; `None`
/// where Python raises.
fn from_timestamp(exp: &Value) -> Option<DateTime<Utc>> {
    let (seconds, micros) = match exp {
        Value::Bool(flag) => (i64::from(*flag), 0),
        Value::Number(number) => match number.as_i64() {
            Some(seconds) => (seconds, 0),
            None if number.is_u64() => return None,
            None => split_float(number.as_f64()?)?,
        },
        _ => return None,
    };
    let at = DateTime::from_timestamp(seconds, micros * 1_000)?;
    (1..=9999).contains(&at.year()).then_some(at)
}

/// CPython's `_PyTime_DoubleToDenominator` with `ROUND_HALF_EVEN`: whole seconds and
/// microseconds (`0..1_000_000`) of a float timestamp.
fn split_float(timestamp: f64) -> Option<(i64, u32)> {
    if !timestamp.is_finite() {
        return None;
    }
    let mut whole = timestamp.trunc();
    let mut micros = ((timestamp - whole) * 1e6).round_ties_even();
    if micros >= 1e6 {
        micros -= 1e6;
        whole += 1.0;
    } else if micros < 0.0 {
        micros += 1e6;
        whole -= 1.0;
    }
    // Beyond ±2^62 seconds no date is in range anyway; the cast is exact below it.
    if whole.abs() > 4.6e18 {
        return None;
    }
    Some((whole as i64, micros as u32))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        DateTime::from_timestamp(1_700_000_000, 123_456_000).unwrap_or_default()
    }

    fn answer(body: &str) -> Result<IntrospectedToken, NotActive> {
        read(200, body.as_bytes(), now(), 36_000)
    }

    #[test]
    fn an_active_answer_is_read_as_dot_reads_it() {
        let token = answer(
            r#"{"active": true, "scope": "read write", "exp": 1700000100, "username": "alice",
                "client_id": "x", "aud": "https://api.example.com/"}"#,
        );
        assert_eq!(
            token,
            Ok(IntrospectedToken {
                username: Some("alice".into()),
                scope: "read write".into(),
                expires: DateTime::from_timestamp(1_700_000_100, 0).unwrap_or_default(),
                resource: vec!["https://api.example.com/".into()],
            })
        );
        let bare = answer(r#"{"active": true}"#);
        assert_eq!(
            bare,
            Ok(IntrospectedToken {
                username: None,
                scope: String::new(),
                expires: now() + Duration::seconds(36_000),
                resource: Vec::new(),
            })
        );
    }

    #[test]
    fn exp_is_capped_by_the_caching_time() {
        let token = read(200, br#"{"active": true, "exp": 99999999999}"#, now(), 60);
        assert_eq!(token.map(|t| t.expires), Ok(now() + Duration::seconds(60)));
    }

    #[test]
    fn exp_is_read_as_pythons_fromtimestamp() {
        let exp = |text: &str| answer(&format!(r#"{{"active": true, "exp": {text}}}"#));
        let at = |s: i64, us: u32| DateTime::from_timestamp(s, us * 1_000).unwrap_or_default();
        assert_eq!(exp("true").map(|t| t.expires), Ok(at(1, 0)));
        assert_eq!(exp("1.5").map(|t| t.expires), Ok(at(1, 500_000)));
        // 0.0000005 s is half a microsecond: to even (0); 0.0000015 s: to even (2).
        assert_eq!(exp("0.0000005").map(|t| t.expires), Ok(at(0, 0)));
        assert_eq!(exp("0.0000015").map(|t| t.expires), Ok(at(0, 2)));
        assert_eq!(exp("-1.25").map(|t| t.expires), Ok(at(-2, 750_000)));
        assert_eq!(
            exp("-62135596800").map(|t| t.expires),
            Ok(at(-62_135_596_800, 0))
        );
        for bad in [
            "\"1700000000\"",
            "null",
            "[]",
            "-62135596801",
            "253402300800",
            "1e300",
            "18446744073709551615",
        ] {
            assert_eq!(exp(bad), Err(NotActive::Unusable("exp")), "{bad}");
        }
    }

    #[test]
    fn only_true_is_active() {
        for body in [
            r#"{"active": false}"#,
            r#"{"active": 1}"#,
            r#"{"active": "true"}"#,
            r#"{}"#,
            r#"{"active": true, "active": false}"#,
        ] {
            assert_eq!(answer(body), Err(NotActive::Inactive), "{body}");
        }
        for body in [r#"["active"]"#, r#""active""#, "null", "5"] {
            assert_eq!(answer(body), Err(NotActive::NotObject), "{body}");
        }
        // A caching time beyond chrono's range caps nothing (and does not panic).
        assert!(
            read(
                200,
                br#"{"active": true, "exp": 4102444800}"#,
                now(),
                i64::MAX
            )
            .is_ok()
        );
        assert!(answer(r#"{"active": false, "active": true}"#).is_ok());
        assert_eq!(answer("<html>"), Err(NotActive::NotJson));
        assert_eq!(
            answer("\u{feff}{\"active\": true}"),
            Err(NotActive::NotJson)
        );
        assert_eq!(
            read(401, br#"{"active": true}"#, now(), 1),
            Err(NotActive::Status(401))
        );
    }

    #[test]
    fn claims_dot_cannot_store_as_text_make_the_token_not_active() {
        for (body, claim) in [
            (r#"{"active": true, "username": null}"#, "username"),
            (r#"{"active": true, "username": 5}"#, "username"),
            (r#"{"active": true, "scope": null}"#, "scope"),
            (r#"{"active": true, "scope": ["read"]}"#, "scope"),
            (r#"{"active": true, "aud": 5}"#, "aud"),
            (r#"{"active": true, "aud": ["a", 5]}"#, "aud"),
            (r#"{"active": true, "aud": null}"#, "aud"),
            // DOT's test_introspection_rejects_malformed_aud.
            (
                r#"{"active": true, "aud": {"uri": "https://api.example.com/v1"}}"#,
                "aud",
            ),
        ] {
            assert_eq!(answer(body), Err(NotActive::Unusable(claim)), "{body}");
        }
        let listed = answer(r#"{"active": true, "aud": ["a", "b"], "username": ""}"#);
        assert_eq!(
            listed.map(|t| (t.resource, t.username)),
            Ok((vec!["a".into(), "b".into()], Some(String::new())))
        );
    }

    #[test]
    fn invalid_utf8_is_replaced_as_requests_decodes_it() {
        let token = read(
            200,
            b"{\"active\": true, \"username\": \"a\xffb\"}",
            now(),
            1,
        );
        assert_eq!(token.map(|t| t.username), Ok(Some("a\u{fffd}b".to_owned())));
    }
}
