//! The JWS compact serialisation as PyJWT 2.15 writes and reads it (`jwt/api_jws.py`,
//! `jwt/api_jwt.py`).

use std::borrow::Cow;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value};

use super::algorithm::Algorithm;
use super::claims::{self, ClaimRules};
use super::error::{self, JwtError};
use super::key::{SigningKey, VerifyingKey};
use crate::compat::python::json::dumps::dumps_compact;
use crate::compat::python::json::loads;

/// A token whose signature and claims passed.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    /// The protected header.
    pub header: Map<String, Value>,
    /// The claims, in the token's order.
    pub payload: Map<String, Value>,
}

/// `jwt.encode(payload, key, algorithm)`: the header `{"alg":…,"typ":"JWT"}` (with `kid` when
/// the key has one; PyJWT sorts the header's keys), the payload in its own order, both as
/// Python's `json.dumps(…, separators=(",", ":"))` writes them, base64url without padding,
/// then the signature of `header.payload`. A key that cannot sign with `algorithm` is PyJWT's
/// `InvalidKeyError`.
pub fn encode(
    payload: &Map<String, Value>,
    key: &SigningKey,
    algorithm: Algorithm,
) -> Result<String, JwtError> {
    let mut token = header_segment(key, algorithm).into_owned();
    token.push('.');
    token.push_str(&payload_segment(payload));
    let signature = key.sign(algorithm, token.as_bytes())?;
    token.push('.');
    token.push_str(&URL_SAFE_NO_PAD.encode(signature));
    Ok(token)
}

/// The first segment [`encode`] writes: `{"alg":…,"typ":"JWT"}`, with `kid` when the key has
/// one, base64url.
pub fn header_segment(key: &SigningKey, algorithm: Algorithm) -> Cow<'static, str> {
    if key.kid().is_none() {
        return Cow::Borrowed(algorithm.header_segment());
    }
    let mut header = Map::new();
    header.insert("alg".to_owned(), Value::from(algorithm.name()));
    if let Some(kid) = key.kid() {
        header.insert("kid".to_owned(), Value::from(kid));
    }
    header.insert("typ".to_owned(), Value::from("JWT"));
    Cow::Owned(URL_SAFE_NO_PAD.encode(dumps_compact(&Value::Object(header))))
}

/// The second segment [`encode`] writes: the claims as Python's `json.dumps` writes them,
/// base64url.
pub fn payload_segment(payload: &Map<String, Value>) -> String {
    URL_SAFE_NO_PAD.encode(crate::compat::python::json::dumps::dumps_compact_object(
        payload,
    ))
}

/// `jwt.decode(token, key, algorithms=…, audience=…, issuer=…, leeway=…)` at `now` (Unix
/// seconds): PyJWT's checks in PyJWT's order, each failure its exception and message.
///
/// Divergences, none of which a token PyJWT or simplejwt issued can reach: JSON is read as
/// UTF-8 only (Python's `json.loads` also detects UTF-16 and UTF-32), and `NaN`/`Infinity`
/// literals are refused (Python reads them); a token with `"b64": false` is refused as PyJWT
/// refuses it when no detached payload is given, which simplejwt never gives.
///
/// `keys` are tried in order (the first that verifies wins); a token whose header names a `kid`
/// is checked only against the keys with that `kid` when any key has one (`PyJWKClient`'s
/// selection), and against them all otherwise.
pub fn decode(
    token: &str,
    keys: &[VerifyingKey],
    algorithms: &[Algorithm],
    rules: &ClaimRules,
    now: f64,
) -> Result<Decoded, JwtError> {
    decode_with(token, Some((keys, algorithms, now)), rules)
}

/// [`decode`] with `options={"verify_signature": False, "verify_aud": …}`, as simplejwt's
/// `Token(token, verify=False)` calls it: the token's structure and headers are checked, the
/// algorithm, signature and time claims are not; `aud` still is when an audience is set
/// (simplejwt passes `verify_aud` explicitly, which `verify_signature=False` does not turn off).
pub fn decode_unverified(token: &str, rules: &ClaimRules) -> Result<Decoded, JwtError> {
    decode_with(token, None, rules)
}

/// The decode, with the algorithm, the signature and the time claims checked against `verify`
/// (the key, the accepted algorithms, now) when it is given.
fn decode_with(
    token: &str,
    verify: Option<(&[VerifyingKey], &[Algorithm], f64)>,
    rules: &ClaimRules,
) -> Result<Decoded, JwtError> {
    let bytes = token.as_bytes();
    // `jwt.rsplit(b".", 1)` then `signing_input.split(b".", 1)`: extra dots stay in the payload
    // segment (and fail its base64 check).
    let (signing_input, crypto_segment) = split_last(bytes, b'.')
        .ok_or_else(|| JwtError::Decode(error::NOT_ENOUGH_SEGMENTS.to_owned()))?;
    let (header_segment, payload_segment) = split_first(signing_input, b'.')
        .ok_or_else(|| JwtError::Decode(error::NOT_ENOUGH_SEGMENTS.to_owned()))?;
    // The header PyJWT writes for an accepted algorithm and a key without `kid` is read
    // without decoding it: those bytes can only mean `{"alg":…,"typ":"JWT"}`.
    let known = verify.and_then(|(_, algorithms, _)| {
        algorithms
            .iter()
            .find(|algorithm| algorithm.header_segment().as_bytes() == header_segment)
    });
    let header = match known {
        Some(algorithm) => {
            let mut header = Map::new();
            header.insert("alg".to_owned(), Value::from(algorithm.name()));
            header.insert("typ".to_owned(), Value::from("JWT"));
            header
        }
        None => match json_object(&segment(header_segment, "header")?) {
            Ok(header) => header,
            Err(message) => {
                return Err(JwtError::Decode(format!(
                    "Invalid header string: {message}"
                )));
            }
        },
    };
    let detached = header.get("b64") == Some(&Value::Bool(false));
    let payload = if detached {
        if !payload_segment.is_empty() {
            return Err(JwtError::Decode(
                "Payload segment must be empty when 'b64' is false.".to_owned(),
            ));
        }
        Vec::new()
    } else {
        segment(payload_segment, "payload")?
    };
    let signature = segment(crypto_segment, "crypto")?;
    validate_headers(&header)?;
    if detached {
        let declared = matches!(header.get("crit"), Some(Value::Array(crit)) if crit.iter().any(|ext| ext == "b64"));
        if !declared {
            return Err(JwtError::InvalidHeader(
                "The 'b64' header parameter requires 'b64' to be listed in 'crit'.".to_owned(),
            ));
        }
        return Err(JwtError::Decode(
            "It is required that you pass in a value for the \"detached_payload\" argument to \
             decode a message having the b64 header set to false."
                .to_owned(),
        ));
    }
    let Some((keys, algorithms, now)) = verify else {
        let payload = payload_object(&payload)?;
        claims::validate_audience(&payload, rules)?;
        return Ok(Decoded { header, payload });
    };
    let algorithm = match header.get("alg") {
        None => return Err(JwtError::InvalidAlgorithm(error::ALGORITHM_NOT_SPECIFIED)),
        Some(Value::String(name)) => algorithms
            .iter()
            .copied()
            .find(|allowed| allowed.name() == name)
            .ok_or(JwtError::InvalidAlgorithm(error::ALG_NOT_ALLOWED))?,
        Some(_) => return Err(JwtError::InvalidAlgorithm(error::ALG_NOT_ALLOWED)),
    };
    let kid = header.get("kid").and_then(Value::as_str);
    let by_kid = kid.is_some() && keys.iter().any(|key| key.kid().is_some());
    let verified = keys
        .iter()
        .filter(|key| !by_kid || key.kid() == kid)
        .any(|key| key.verify(algorithm, signing_input, &signature));
    if !verified {
        return Err(JwtError::InvalidSignature);
    }
    let payload = payload_object(&payload)?;
    claims::validate(&payload, now, rules)?;
    Ok(Decoded { header, payload })
}

fn split_last(bytes: &[u8], separator: u8) -> Option<(&[u8], &[u8])> {
    let at = bytes.iter().rposition(|&byte| byte == separator)?;
    Some((bytes.get(..at)?, bytes.get(at + 1..)?))
}

fn split_first(bytes: &[u8], separator: u8) -> Option<(&[u8], &[u8])> {
    let at = bytes.iter().position(|&byte| byte == separator)?;
    Some((bytes.get(..at)?, bytes.get(at + 1..)?))
}

/// PyJWT's `_decode_base64url_segment`: up to two `=` of correct padding, the URL-safe alphabet
/// only (no whitespace), and the canonical encoding (no stray bits in the last character).
fn segment(encoded: &[u8], name: &str) -> Result<Vec<u8>, JwtError> {
    let invalid = || JwtError::Decode(format!("Invalid {name} padding"));
    let stripped = encoded
        .strip_suffix(b"==")
        .or_else(|| encoded.strip_suffix(b"="))
        .unwrap_or(encoded);
    let padded = stripped.len() != encoded.len();
    if stripped.ends_with(b"=") || (padded && !encoded.len().is_multiple_of(4)) {
        return Err(invalid());
    }
    if stripped.len() % 4 == 1
        || !stripped
            .iter()
            .all(|byte| byte.is_ascii_alphanumeric() || *byte == b'-' || *byte == b'_')
    {
        return Err(invalid());
    }
    // The engine refuses non-zero trailing bits: the canonical-encoding check.
    URL_SAFE_NO_PAD.decode(stripped).map_err(|_| invalid())
}

/// `json.loads(data)` that must give a dict; the error is the text after PyJWT's prefix.
fn json_object(data: &[u8]) -> Result<Map<String, Value>, String> {
    // `json.loads` on bytes reads a UTF-8 BOM as `utf-8-sig` does.
    let data = data.strip_prefix(b"\xef\xbb\xbf").unwrap_or(data);
    match loads::parse(data) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err("must be a json object".to_owned()),
        Err(error) => Err(error.to_string()),
    }
}

/// The payload's JSON object (read after the signature is checked, as PyJWT does).
fn payload_object(data: &[u8]) -> Result<Map<String, Value>, JwtError> {
    json_object(data)
        .map_err(|message| JwtError::Decode(format!("Invalid payload string: {message}")))
}

/// PyJWT's `_validate_headers`: `kid` must be text, `crit` a non-empty list of extensions it
/// supports (`b64` only) that the header carries.
fn validate_headers(header: &Map<String, Value>) -> Result<(), JwtError> {
    if header.get("kid").is_some_and(|kid| !kid.is_string()) {
        return Err(JwtError::InvalidHeader(
            "Key ID header parameter must be a string".to_owned(),
        ));
    }
    if let Some(crit) = header.get("crit") {
        let extensions = match crit {
            Value::Array(items) if !items.is_empty() => items,
            _ => {
                return Err(JwtError::InvalidHeader(
                    "Invalid 'crit' header: must be a non-empty list".to_owned(),
                ));
            }
        };
        for extension in extensions {
            let Value::String(extension) = extension else {
                return Err(JwtError::InvalidHeader(
                    "Invalid 'crit' header: values must be strings".to_owned(),
                ));
            };
            if extension != "b64" {
                return Err(JwtError::InvalidHeader(format!(
                    "Unsupported critical extension: {extension}"
                )));
            }
            if !header.contains_key(extension) {
                return Err(JwtError::InvalidHeader(format!(
                    "Critical extension '{extension}' is missing from headers"
                )));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jwt::algorithm::HmacKey;
    use serde_json::json;

    const KEY: &str = "not very secret in tests";
    /// Before the vectors' `exp` (1796527931), after their `iat`.
    const NOW: f64 = 1_796_527_700.0;

    fn secret() -> HmacKey {
        HmacKey::new(KEY).expect("a valid key")
    }

    fn key() -> SigningKey {
        SigningKey::Hmac(secret())
    }

    fn keys() -> Vec<VerifyingKey> {
        vec![VerifyingKey::Hmac(secret())]
    }

    fn object(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            _ => Map::new(),
        }
    }

    fn vector_payload() -> Map<String, Value> {
        object(json!({
            "token_type": "access",
            "exp": 1_796_527_931,
            "iat": 1_796_527_631,
            "jti": "7d50b58f2e734278aa342d6ef0b26956",
            "user_id": "1",
        }))
    }

    /// Made by PyJWT 2.15.1 (`jwt.encode(payload, KEY, algorithm=…)`).
    const HS256: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ0b2tlbl90eXBlIjoiYWNjZXNzIiwiZXhwIjoxNzk2NTI3OTMxLCJpYXQiOjE3OTY1Mjc2MzEsImp0aSI6IjdkNTBiNThmMmU3MzQyNzhhYTM0MmQ2ZWYwYjI2OTU2IiwidXNlcl9pZCI6IjEifQ.0FetVV1iLpt8fz5rzVQWSzdbzFhkOgfDO105Pd0b_8I";
    const HS384: &str = "eyJhbGciOiJIUzM4NCIsInR5cCI6IkpXVCJ9.eyJ0b2tlbl90eXBlIjoiYWNjZXNzIiwiZXhwIjoxNzk2NTI3OTMxLCJpYXQiOjE3OTY1Mjc2MzEsImp0aSI6IjdkNTBiNThmMmU3MzQyNzhhYTM0MmQ2ZWYwYjI2OTU2IiwidXNlcl9pZCI6IjEifQ.GDvqA-8q_1kG-KAty4KDzjYMbNkQhrP8jG7sj-5LSb2CVGh-6NVPe3zdIE086Ca0";
    const HS512: &str = "eyJhbGciOiJIUzUxMiIsInR5cCI6IkpXVCJ9.eyJ0b2tlbl90eXBlIjoiYWNjZXNzIiwiZXhwIjoxNzk2NTI3OTMxLCJpYXQiOjE3OTY1Mjc2MzEsImp0aSI6IjdkNTBiNThmMmU3MzQyNzhhYTM0MmQ2ZWYwYjI2OTU2IiwidXNlcl9pZCI6IjEifQ.T0PRWBrTcB6etHWMEA8k67jO97FGNoy1nryuMN5z03njzu2gY8c5BPXmVcGDqoyGOJM_fdcMi2rcgLy8GYLbGQ";

    #[test]
    fn encodes_pyjwts_bytes() {
        let payload = vector_payload();
        assert_eq!(
            encode(&payload, &key(), Algorithm::HS256).expect("HMAC signs"),
            HS256
        );
        assert_eq!(
            encode(&payload, &key(), Algorithm::HS384).expect("HMAC signs"),
            HS384
        );
        assert_eq!(
            encode(&payload, &key(), Algorithm::HS512).expect("HMAC signs"),
            HS512
        );
        let named = |name: &str| {
            let mut payload = vector_payload();
            payload.insert("name".to_owned(), Value::from(name));
            encode(&payload, &key(), Algorithm::HS256).expect("HMAC signs")
        };
        assert_eq!(
            named("Zoë"),
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ0b2tlbl90eXBlIjoiYWNjZXNzIiwiZXhwIjoxNzk2NTI3OTMxLCJpYXQiOjE3OTY1Mjc2MzEsImp0aSI6IjdkNTBiNThmMmU3MzQyNzhhYTM0MmQ2ZWYwYjI2OTU2IiwidXNlcl9pZCI6IjEiLCJuYW1lIjoiWm9cdTAwZWIifQ.jSBqMFzOMlvkYhTKM1CQMmBiKgGsJwSHg8SNa-m89f0"
        );
        assert_eq!(
            named("😀"),
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ0b2tlbl90eXBlIjoiYWNjZXNzIiwiZXhwIjoxNzk2NTI3OTMxLCJpYXQiOjE3OTY1Mjc2MzEsImp0aSI6IjdkNTBiNThmMmU3MzQyNzhhYTM0MmQ2ZWYwYjI2OTU2IiwidXNlcl9pZCI6IjEiLCJuYW1lIjoiXHVkODNkXHVkZTAwIn0.bgh547EXXIOpw1lA_plbfoMRjyLJsJt4Zw17AMTWJ1E"
        );
        assert_eq!(
            named("a\"b\\c\u{1}/<>&\u{2028}\t\n\u{7f}\u{a0}"),
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ0b2tlbl90eXBlIjoiYWNjZXNzIiwiZXhwIjoxNzk2NTI3OTMxLCJpYXQiOjE3OTY1Mjc2MzEsImp0aSI6IjdkNTBiNThmMmU3MzQyNzhhYTM0MmQ2ZWYwYjI2OTU2IiwidXNlcl9pZCI6IjEiLCJuYW1lIjoiYVwiYlxcY1x1MDAwMS88PiZcdTIwMjhcdFxuXHUwMDdmXHUwMGEwIn0.32tmlyFIl_h8Lcf4nigHOFSCrxDYDKMdKaHEvOIDaLM"
        );
        // Python's number formatting: floats by repr, integers beyond i64.
        let types = object(json!({
            "f": 1.5, "big": 9_223_372_036_854_775_808_u64, "t": true, "f2": false, "n": null,
            "nested": [1, {"a": []}, {}], "": "empty", "neg": -0.0, "e16": 1e16,
            "hundred": 100.0, "tenth": 0.1, "small": 1e-7,
        }));
        let token = encode(&types, &key(), Algorithm::HS256).expect("HMAC signs");
        let payload = token.split('.').nth(1).unwrap_or_default();
        assert_eq!(
            URL_SAFE_NO_PAD.decode(payload).unwrap_or_default(),
            br#"{"f":1.5,"big":9223372036854775808,"t":true,"f2":false,"n":null,"nested":[1,{"a":[]},{}],"":"empty","neg":-0.0,"e16":1e+16,"hundred":100.0,"tenth":0.1,"small":1e-07}"#
        );
    }

    #[test]
    fn decodes_what_pyjwt_accepts() {
        let rules = ClaimRules::default();
        let decoded = decode(HS256, &keys(), &[Algorithm::HS256], &rules, NOW).expect("valid");
        assert_eq!(decoded.payload, vector_payload());
        assert_eq!(
            decoded.header,
            object(json!({"alg": "HS256", "typ": "JWT"}))
        );
        // Correct `=` padding on a segment is accepted (and signed as written); wrong padding
        // is not.
        let payload = URL_SAFE_NO_PAD.encode(r#"{"a":1}"#);
        assert_eq!(payload.len() % 4, 2);
        let input = format!(
            "{}.{payload}==",
            URL_SAFE_NO_PAD.encode(r#"{"alg":"HS256"}"#)
        );
        let signature = URL_SAFE_NO_PAD.encode(
            Algorithm::HS256
                .sign_hmac(&secret(), input.as_bytes())
                .expect("HMAC"),
        );
        let padded = format!("{input}.{signature}");
        let decoded = decode(&padded, &keys(), &[Algorithm::HS256], &rules, NOW);
        assert_eq!(decoded.map(|d| d.payload), Ok(object(json!({"a": 1}))));
        let (header, rest) = HS256.split_once('.').unwrap_or_default();
        assert_eq!(
            error_of(&format!("{header}=.{rest}")),
            "Invalid header padding"
        );
        assert_eq!(
            error_of(&format!("{header}===.{rest}")),
            "Invalid header padding"
        );
    }

    fn error_of(token: &str) -> String {
        decode(
            token,
            &keys(),
            &[Algorithm::HS256],
            &ClaimRules::default(),
            NOW,
        )
        .err()
        .map(|error| error.to_string())
        .unwrap_or_default()
    }

    fn signed(header: &str, payload: &str) -> String {
        let input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header),
            URL_SAFE_NO_PAD.encode(payload)
        );
        let signature = Algorithm::HS256
            .sign_hmac(&secret(), input.as_bytes())
            .expect("HMAC");
        format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature))
    }

    #[test]
    fn refuses_as_pyjwt_does_in_its_order() {
        for short in ["", "abc", "a.b"] {
            assert_eq!(error_of(short), "Not enough segments");
        }
        assert_eq!(error_of(&format!("{HS256}.x")), "Invalid payload padding");
        assert_eq!(error_of("!!!.e30.e30"), "Invalid header padding");
        assert_eq!(error_of(&format!(" {HS256}")), "Invalid header padding");
        // A non-canonical last character (stray low bits).
        assert_eq!(error_of("eyJ.e30.e30"), "Invalid header padding");
        assert_eq!(
            error_of(&signed("hello", "{}")),
            "Invalid header string: Expecting value: line 1 column 1 (char 0)"
        );
        assert_eq!(
            error_of(&signed("[1]", "{}")),
            "Invalid header string: must be a json object"
        );
        assert_eq!(error_of(&signed("{}", "{}")), "Algorithm not specified");
        for alg in [r#""none""#, r#""HS384""#, r#""""#, "null", "5"] {
            assert_eq!(
                error_of(&signed(&format!(r#"{{"alg":{alg}}}"#), "{}")),
                "The specified alg value is not allowed"
            );
        }
        assert_eq!(
            error_of(&signed(r#"{"alg":"HS256","kid":1}"#, "{}")),
            "Key ID header parameter must be a string"
        );
        assert_eq!(
            error_of(&signed(r#"{"alg":"HS256","crit":["exp"],"exp":1}"#, "{}")),
            "Unsupported critical extension: exp"
        );
        assert_eq!(
            error_of(&signed(r#"{"alg":"HS256","crit":[]}"#, "{}")),
            "Invalid 'crit' header: must be a non-empty list"
        );
        let mut tampered = HS256.to_owned();
        tampered.pop();
        tampered.push('A');
        assert_eq!(error_of(&tampered), "Signature verification failed");
        let (unsigned, _) = HS256.rsplit_once('.').unwrap_or_default();
        assert_eq!(
            error_of(&format!("{unsigned}.")),
            "Signature verification failed"
        );
        let other = HmacKey::new("another key").expect("a valid key");
        let foreign = encode(
            &vector_payload(),
            &SigningKey::Hmac(other),
            Algorithm::HS256,
        )
        .expect("HMAC signs");
        assert_eq!(error_of(&foreign), "Signature verification failed");
        assert_eq!(
            error_of(&signed(r#"{"alg":"HS256"}"#, "hello")),
            "Invalid payload string: Expecting value: line 1 column 1 (char 0)"
        );
        assert_eq!(
            error_of(&signed(r#"{"alg":"HS256"}"#, "[1,2]")),
            "Invalid payload string: must be a json object"
        );
        // A BOM, trailing whitespace and a repeated key (the last wins) are accepted.
        let lenient = signed(r#"{"alg":"HS256"}"#, "\u{feff}{\"a\":1,\"a\":2} \n");
        let decoded = decode(
            &lenient,
            &keys(),
            &[Algorithm::HS256],
            &ClaimRules::default(),
            NOW,
        );
        assert_eq!(decoded.map(|d| d.payload), Ok(object(json!({"a": 2}))));
        // An unverified decode skips the signature but not the structure or the audience.
        assert!(decode_unverified(&foreign, &ClaimRules::default()).is_ok());
        let audience = ClaimRules {
            audience: Some(vec!["x".to_owned()]),
            ..ClaimRules::default()
        };
        assert_eq!(
            decode_unverified(&foreign, &audience).map_err(|e| e.to_string()),
            Err("Token is missing the \"aud\" claim".to_owned())
        );
        assert_eq!(
            decode_unverified("a.b", &ClaimRules::default()).map_err(|e| e.to_string()),
            Err("Not enough segments".to_owned())
        );
    }
}
