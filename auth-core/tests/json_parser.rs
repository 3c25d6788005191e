//! `auth_core::compat::python::json::loads` against Django REST framework's real `JSONParser`:
//! every vector of `json_parser_vectors.json` (made by `json_parser_vectors.py` with Python 3.13
//! and DRF 3.18.3) must give DRF's exact message, or DRF's value as the module documentation
//! maps it.
//!
//! `JSON_PARSER_VECTORS=<path>` replays another file of the same shape instead (for example
//! `json_parser_vectors.py --fuzz 20000 --out <path>`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use auth_core::compat::python::json::loads::{self as json_parser, JsonParseError, MAX_DEPTH};
use serde_json::Value;

fn vectors() -> Vec<Value> {
    let text = match std::env::var_os("JSON_PARSER_VECTORS") {
        Some(path) => std::fs::read_to_string(path).expect("JSON_PARSER_VECTORS is readable"),
        None => include_str!("json_parser_vectors.json").to_owned(),
    };
    let file: Value = serde_json::from_str(&text).expect("the vectors file is JSON");
    file["vectors"].as_array().expect("a vectors list").clone()
}

fn body(vector: &Value) -> Vec<u8> {
    if let Some(hex) = vector["body_hex"].as_str() {
        return hex::decode(hex).unwrap();
    }
    let mut body = Vec::new();
    for part in vector["body_repeat"]
        .as_array()
        .expect("body_hex or body_repeat")
    {
        let bytes = hex::decode(part[0].as_str().unwrap()).unwrap();
        for _ in 0..part[1].as_u64().unwrap() {
            body.extend_from_slice(&bytes);
        }
    }
    body
}

/// Python's float as the parser maps it: an infinity becomes ±`f64::MAX`.
fn mapped_float(text: &str) -> f64 {
    let value: f64 = match text {
        "inf" => f64::INFINITY,
        "-inf" => f64::NEG_INFINITY,
        _ => text.parse().unwrap(),
    };
    if value.is_infinite() {
        f64::MAX.copysign(value)
    } else {
        value
    }
}

/// A tagged Python string; lone surrogates map to U+FFFD.
fn mapped_string(tagged: &Value) -> String {
    match tagged[0].as_str().unwrap() {
        "str" => tagged[1].as_str().unwrap().to_owned(),
        "str_utf16" => {
            let units = tagged[1].as_array().unwrap();
            let units = units.iter().map(|unit| unit.as_u64().unwrap() as u16);
            char::decode_utf16(units)
                .map(|unit| unit.unwrap_or(char::REPLACEMENT_CHARACTER))
                .collect()
        }
        other => panic!("not a string tag: {other}"),
    }
}

/// Checks `actual` against Python's value, tagged by the generator.
fn assert_value(actual: &Value, tagged: &Value, name: &str) {
    let payload = &tagged[1];
    match tagged[0].as_str().unwrap() {
        "null" => assert!(actual.is_null(), "{name}: {actual} is not null"),
        "bool" => assert_eq!(actual.as_bool(), payload.as_bool(), "{name}"),
        "int" => {
            let digits = payload.as_str().unwrap();
            let number = actual
                .as_number()
                .unwrap_or_else(|| panic!("{name}: {actual}"));
            if let Ok(small) = digits.parse::<i64>() {
                assert_eq!(number.as_i64(), Some(small), "{name}");
            } else if let Ok(large) = digits.parse::<u64>() {
                assert_eq!(number.as_u64(), Some(large), "{name}");
            } else {
                // Beyond i64/u64: the nearest f64.
                assert!(number.is_f64(), "{name}: {number}");
                assert_eq!(number.as_f64(), Some(mapped_float(digits)), "{name}");
            }
        }
        "float" => {
            let number = actual
                .as_number()
                .unwrap_or_else(|| panic!("{name}: {actual}"));
            assert!(number.is_f64(), "{name}: {number} is not a float");
            let expected = mapped_float(payload.as_str().unwrap());
            assert_eq!(
                number.as_f64().map(f64::to_bits),
                Some(expected.to_bits()),
                "{name}: {number} != {expected}"
            );
        }
        "str" | "str_utf16" => {
            assert_eq!(
                actual.as_str(),
                Some(mapped_string(tagged).as_str()),
                "{name}"
            )
        }
        "list" => {
            let items = actual
                .as_array()
                .unwrap_or_else(|| panic!("{name}: {actual}"));
            let expected = payload.as_array().unwrap();
            assert_eq!(items.len(), expected.len(), "{name}: {actual}");
            for (item, tagged) in items.iter().zip(expected) {
                assert_value(item, tagged, name);
            }
        }
        "dict" => {
            let members = actual
                .as_object()
                .unwrap_or_else(|| panic!("{name}: {actual}"));
            let expected = payload.as_array().unwrap();
            assert_eq!(members.len(), expected.len(), "{name}: {actual}");
            // Python's dict order, duplicates resolved.
            for ((key, value), pair) in members.iter().zip(expected) {
                assert_eq!(key, &mapped_string(&pair[0]), "{name}");
                assert_value(value, &pair[1], name);
            }
        }
        other => panic!("{name}: unknown tag {other}"),
    }
}

/// `depth` nested arrays, the innermost empty; checked without recursion.
fn assert_nested_lists(mut actual: &Value, depth: u64, name: &str) {
    for level in 1..depth {
        match actual.as_array().map(Vec::as_slice) {
            Some([inner]) => actual = inner,
            _ => panic!("{name}: not a single-item list at level {level}"),
        }
    }
    assert_eq!(actual, &Value::Array(Vec::new()), "{name}");
}

fn check(vector: &Value) {
    let name = vector["name"].as_str().unwrap();
    let result = json_parser::parse(&body(vector));
    if let Some(message) = vector["error"].as_str() {
        match &result {
            Err(error) => assert_eq!(error.to_string(), message, "{name}"),
            Ok(value) => panic!("{name}: parsed {value}, DRF says {message:?}"),
        }
        if vector.get("python_exception").is_some() {
            assert!(matches!(result, Err(JsonParseError::TooDeep(_))), "{name}");
        }
        return;
    }
    let value = result.unwrap_or_else(|error| panic!("{name}: {error}"));
    if let Some(depth) = vector["nested_lists"].as_u64() {
        assert_nested_lists(&value, depth, name);
    } else {
        assert_value(&value, &vector["value"], name);
    }
}

#[test]
fn every_vector_matches_drf() {
    let vectors = vectors();
    assert!(vectors.len() >= 80, "{} vectors", vectors.len());
    for vector in &vectors {
        check(vector);
    }
}

#[test]
fn spec_example_is_byte_for_byte() {
    let error = json_parser::parse(b"{bad").unwrap_err();
    assert_eq!(
        format!("JSON parse error - {error}"),
        "JSON parse error - Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"
    );
}

#[test]
fn depth_limit_is_cpython_direct_call_limit() {
    let deep = |depth: usize| [vec![b'['; depth], vec![b']'; depth]].concat();
    assert!(json_parser::parse(&deep(MAX_DEPTH)).is_ok());
    assert_eq!(
        json_parser::parse(&deep(MAX_DEPTH + 1)),
        Err(JsonParseError::TooDeep(json_parser::Container::Array))
    );
}

/// actix-web's workers run on 2 MiB stacks; serde_json drops a `Value` recursively.
#[test]
fn deepest_value_drops_on_a_worker_sized_stack() {
    let body = [vec![b'['; MAX_DEPTH], vec![b']'; MAX_DEPTH]].concat();
    std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || drop(json_parser::parse(&body)))
        .unwrap()
        .join()
        .expect("no stack overflow");
}

/// xorshift64*: deterministic, so a failure reproduces.
struct Bytes(u64);

impl Bytes {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound as u64) as usize
    }
}

/// Pieces of JSON and of broken UTF-8, glued at random.
#[rustfmt::skip]
const PIECES: &[&[u8]] = &[
    b"{", b"}", b"[", b"]", b",", b":", b"\"", b"\\", b"u", b"d800", b"dc00", b"0", b"1", b"-",
    b".", b"e", b"+", b" ", b"\n", b"null", b"true", b"NaN", b"-Infinity", b"\"a\"", b"\\u",
    b"\xc3\xa9", b"\xf0\x9f\x98\x80", b"\x01", b"\xff", b"\xe2", b"\x82", b"\xed", b"\xa0",
    b"\xf0", b"\xef\xbb\xbf", b"99999999999999999999999", b"1e400",
];

fn same(left: &Value, right: &Value) -> bool {
    match (left, right) {
        (Value::Number(left), Value::Number(right)) => left.as_f64() == right.as_f64(),
        (Value::Array(left), Value::Array(right)) => {
            left.len() == right.len() && left.iter().zip(right).all(|(l, r)| same(l, r))
        }
        (Value::Object(left), Value::Object(right)) => {
            left.len() == right.len()
                && left
                    .iter()
                    .zip(right)
                    .all(|((lk, lv), (rk, rv))| lk == rk && same(lv, rv))
        }
        _ => left == right,
    }
}

#[test]
fn arbitrary_bytes_never_panic_and_valid_json_agrees_with_serde_json() {
    let mut random = Bytes(0x9E37_79B9_7F4A_7C15);
    for round in 0..30_000 {
        let mut body = Vec::new();
        for _ in 0..random.below(24) {
            if round % 3 == 0 {
                body.push(random.next() as u8);
            } else {
                body.extend_from_slice(PIECES[random.below(PIECES.len())]);
            }
        }
        let ours = json_parser::parse(&body);
        if let Err(error) = &ours {
            assert!(!error.to_string().is_empty());
        }
        // What serde_json accepts is plain JSON, which Python reads the same way (serde_json
        // reads `-0` as a float, Python as the int 0: numbers compare by value).
        if let Ok(theirs) = serde_json::from_slice::<Value>(&body) {
            let ours = ours.unwrap_or_else(|error| panic!("{body:?}: {error}"));
            assert!(same(&ours, &theirs), "{body:?}: {ours} != {theirs}");
        }
    }
}
