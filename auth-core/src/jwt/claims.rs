//! PyJWT 2.15's `_validate_claims`: the registered claims, checked in its order (`iat`, `nbf`,
//! `exp`, `iss`, `aud`, `sub`, `jti`), with its messages.

use serde_json::{Map, Value};

use super::error::JwtError;

/// What a decode checks beyond the signature: simplejwt's `LEEWAY`, `AUDIENCE` and `ISSUER`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ClaimRules {
    /// Seconds of clock skew allowed on `iat`, `nbf` and `exp`.
    pub leeway: f64,
    /// The accepted audiences; `None` leaves `aud` unchecked (simplejwt passes
    /// `verify_aud = AUDIENCE is not None`).
    pub audience: Option<Vec<String>>,
    /// The issuer the token must name; `None` leaves `iss` unchecked.
    pub issuer: Option<String>,
}

pub use crate::compat::python::number::python_int;

/// Python's `str()` of a claim, for the values a claim naming a user or a token holds: text
/// as it is, integers in decimal, `True`/`False`, `None`, floats as Python writes them. A list
/// or an object is written as compact JSON (Python would write its `repr`).
pub fn python_str(value: &Value) -> String {
    match value {
        Value::Null => "None".to_owned(),
        Value::Bool(true) => "True".to_owned(),
        Value::Bool(false) => "False".to_owned(),
        Value::String(text) => text.clone(),
        Value::Number(number) if number.is_f64() => number.as_f64().map_or_else(
            || number.to_string(),
            crate::compat::python::repr::repr_float,
        ),
        Value::Number(number) => number.to_string(),
        Value::Array(_) | Value::Object(_) => value.to_string(),
    }
}

/// Python's truth value of a JSON value (`not payload["aud"]`, `if user_id`).
pub fn truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(flag) => *flag,
        Value::Number(number) => number.as_f64().is_some_and(|float| float != 0.0),
        Value::String(text) => !text.is_empty(),
        Value::Array(items) => !items.is_empty(),
        Value::Object(map) => !map.is_empty(),
    }
}

/// Checks `payload`'s registered claims at `now` (Unix seconds, with its fraction).
pub fn validate(
    payload: &Map<String, Value>,
    now: f64,
    rules: &ClaimRules,
) -> Result<(), JwtError> {
    let leeway = rules.leeway;
    // The int is compared with a float, as Python does (exact for any timestamp).
    let compare = |int: i128| int as f64;
    if let Some(iat) = payload.get("iat") {
        let iat = python_int(iat).ok_or(JwtError::InvalidIssuedAt)?;
        if compare(iat) > now + leeway {
            return Err(JwtError::ImmatureSignature("iat"));
        }
    }
    if let Some(nbf) = payload.get("nbf") {
        let nbf = python_int(nbf).ok_or_else(|| {
            JwtError::Decode("Not Before claim (nbf) must be an integer.".to_owned())
        })?;
        if compare(nbf) > now + leeway {
            return Err(JwtError::ImmatureSignature("nbf"));
        }
    }
    if let Some(exp) = payload.get("exp") {
        let exp = python_int(exp).ok_or_else(|| {
            JwtError::Decode("Expiration Time claim (exp) must be an integer.".to_owned())
        })?;
        if compare(exp) <= now - leeway {
            return Err(JwtError::ExpiredSignature);
        }
    }
    if let Some(issuer) = &rules.issuer {
        let iss = payload
            .get("iss")
            .ok_or(JwtError::MissingRequiredClaim("iss"))?;
        let Value::String(iss) = iss else {
            return Err(JwtError::InvalidIssuer(
                "Payload Issuer (iss) must be a string",
            ));
        };
        if iss != issuer {
            return Err(JwtError::InvalidIssuer("Invalid issuer"));
        }
    }
    validate_audience(payload, rules)?;
    if payload.get("sub").is_some_and(|sub| !sub.is_string()) {
        return Err(JwtError::InvalidSubject);
    }
    if payload.get("jti").is_some_and(|jti| !jti.is_string()) {
        return Err(JwtError::InvalidJti);
    }
    Ok(())
}

/// PyJWT's `_validate_aud` (not strict), when `rules` name an audience.
pub fn validate_audience(payload: &Map<String, Value>, rules: &ClaimRules) -> Result<(), JwtError> {
    if let Some(audience) = &rules.audience {
        let claim = payload
            .get("aud")
            .filter(|claim| truthy(claim))
            .ok_or(JwtError::MissingRequiredClaim("aud"))?;
        let claims: Vec<&str> = match claim {
            Value::String(one) => vec![one.as_str()],
            Value::Array(items) => items
                .iter()
                .map(Value::as_str)
                .collect::<Option<_>>()
                .ok_or(JwtError::InvalidAudience("Invalid claim format in token"))?,
            _ => return Err(JwtError::InvalidAudience("Invalid claim format in token")),
        };
        if !audience.iter().any(|aud| claims.contains(&aud.as_str())) {
            return Err(JwtError::InvalidAudience("Audience doesn't match"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const NOW: f64 = 1_796_527_700.25;

    fn check(payload: Value, rules: &ClaimRules) -> Result<(), String> {
        let Value::Object(map) = payload else {
            return Err("not an object".to_owned());
        };
        validate(&map, NOW, rules).map_err(|error| error.to_string())
    }

    #[test]
    fn time_claims_as_pyjwt_reads_them() {
        let rules = ClaimRules::default();
        assert_eq!(check(json!({"exp": 1_796_527_701}), &rules), Ok(()));
        // `exp <= now - leeway` is expired; floats truncate, true is 1, text is int("…").
        for expired in [json!(1_796_527_700), json!(1_796_527_700.9), json!(true)] {
            assert_eq!(
                check(json!({ "exp": expired }), &rules),
                Err("Signature has expired".to_owned())
            );
        }
        assert_eq!(check(json!({"exp": " 1796527999 "}), &rules), Ok(()));
        for bad in [
            json!("abc"),
            json!(null),
            json!([1]),
            json!({}),
            json!("1.5"),
        ] {
            assert_eq!(
                check(json!({ "exp": bad }), &rules),
                Err("Expiration Time claim (exp) must be an integer.".to_owned())
            );
        }
        assert_eq!(check(json!({"exp": 1e300}), &rules), Ok(()));
        assert_eq!(
            check(json!({"iat": 1_796_527_701}), &rules),
            Err("The token is not yet valid (iat)".to_owned())
        );
        assert_eq!(check(json!({"iat": 1_796_527_700.9}), &rules), Ok(()));
        assert_eq!(
            check(json!({"iat": "x"}), &rules),
            Err("Issued At claim (iat) must be an integer.".to_owned())
        );
        assert_eq!(
            check(json!({"nbf": "x"}), &rules),
            Err("Not Before claim (nbf) must be an integer.".to_owned())
        );
        // iat and nbf are checked before exp.
        assert_eq!(
            check(json!({"exp": 1, "nbf": 1_796_527_760}), &rules),
            Err("The token is not yet valid (nbf)".to_owned())
        );
        let lenient = ClaimRules {
            leeway: 10.0,
            ..ClaimRules::default()
        };
        assert_eq!(
            check(
                json!({"exp": 1_796_527_695, "iat": 1_796_527_705}),
                &lenient
            ),
            Ok(())
        );
        assert_eq!(
            check(json!({"exp": 1_796_527_690}), &lenient),
            Err("Signature has expired".to_owned())
        );
    }

    #[test]
    fn issuer_audience_subject_and_id() {
        let rules = ClaimRules {
            audience: Some(vec!["x".to_owned(), "z".to_owned()]),
            issuer: Some("x".to_owned()),
            ..ClaimRules::default()
        };
        assert_eq!(
            check(json!({}), &rules),
            Err("Token is missing the \"iss\" claim".to_owned())
        );
        assert_eq!(
            check(json!({"iss": "x"}), &rules),
            Err("Token is missing the \"aud\" claim".to_owned())
        );
        assert_eq!(
            check(json!({"iss": 5, "aud": "x"}), &rules),
            Err("Payload Issuer (iss) must be a string".to_owned())
        );
        assert_eq!(
            check(json!({"iss": "y", "aud": "x"}), &rules),
            Err("Invalid issuer".to_owned())
        );
        for ok in [json!("x"), json!(["y", "z"])] {
            assert_eq!(check(json!({"iss": "x", "aud": ok}), &rules), Ok(()));
        }
        for missing in [json!(""), json!([]), json!(null), json!(0)] {
            assert_eq!(
                check(json!({"iss": "x", "aud": missing}), &rules),
                Err("Token is missing the \"aud\" claim".to_owned())
            );
        }
        for malformed in [json!(5), json!(["x", 5]), json!({"a": 1})] {
            assert_eq!(
                check(json!({"iss": "x", "aud": malformed}), &rules),
                Err("Invalid claim format in token".to_owned())
            );
        }
        assert_eq!(
            check(json!({"iss": "x", "aud": ["y"]}), &rules),
            Err("Audience doesn't match".to_owned())
        );
        // Without an AUDIENCE setting any `aud` passes.
        let open = ClaimRules::default();
        assert_eq!(check(json!({"aud": 5, "iss": 7}), &open), Ok(()));
        assert_eq!(
            check(json!({"sub": 5}), &open),
            Err("Subject must be a string".to_owned())
        );
        assert_eq!(
            check(json!({"jti": 5}), &open),
            Err("JWT ID must be a string".to_owned())
        );
    }
}
