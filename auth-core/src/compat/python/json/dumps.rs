//! Python's `json.dumps` with `ensure_ascii` (its default), compact as Django's signing
//! serializer calls it, or with its default separators (`", "` and `": "`) as oauthlib and
//! Django's `JSONField` call it.

use serde_json::{Map, Value};

use crate::compat::python::repr::repr_float;

/// Python's `json.dumps(obj, separators=(",", ":"))`: what Django's `JSONSerializer.dumps`
/// writes before encoding it as Latin-1.
///
/// Compact, keys in the map's order (serde_json's `preserve_order`), and ASCII only:
/// Python's `ensure_ascii` escapes everything outside `' '..='~'` (its `ESCAPE_ASCII` regex is
/// `([\\"]|[^\ -~])`), so besides `"` and `\` the control characters *and* U+007F become
/// escapes: `\b \f \n \r \t` by name, the rest as lowercase `\u00xx`, non-ASCII as `\uxxxx`
/// and characters beyond the BMP as a surrogate pair. Floats are written as Python's `repr`
/// (`1e+16`, `1e-05`, `1.0`).
pub fn dumps_compact(value: &Value) -> String {
    let mut out = String::new();
    write_json(&mut out, value, COMPACT);
    out
}

/// [`dumps_compact`] of an object given by reference (no `Value` to wrap it in, so no copy).
pub fn dumps_compact_object(map: &Map<String, Value>) -> String {
    let mut out = String::with_capacity(256);
    write_json_object(&mut out, map, COMPACT);
    out
}

/// Python's `json.dumps(obj)` with its default separators, `", "` between items and `": "`
/// after a key: oauthlib's token and error bodies, DOT's introspection body (Django's
/// `JsonResponse`) and the text Django's `JSONField` stores on SQLite. Escaping as
/// [`dumps_compact`].
pub fn dumps(value: &Value) -> String {
    let mut out = String::new();
    write_json(&mut out, value, SPACED);
    out
}

/// Item and key separators.
#[derive(Clone, Copy)]
struct Separators(&'static str, &'static str);

const COMPACT: Separators = Separators(",", ":");
const SPACED: Separators = Separators(", ", ": ");

fn write_json(out: &mut String, value: &Value, separators: Separators) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(number) => match number.as_f64() {
            Some(float) if number.is_f64() => out.push_str(&repr_float(float)),
            _ => out.push_str(&number.to_string()),
        },
        Value::String(text) => write_json_string(out, text),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(separators.0);
                }
                write_json(out, item, separators);
            }
            out.push(']');
        }
        Value::Object(map) => write_json_object(out, map, separators),
    }
}

fn write_json_object(out: &mut String, map: &Map<String, Value>, separators: Separators) {
    out.push('{');
    for (i, (key, item)) in map.iter().enumerate() {
        if i > 0 {
            out.push_str(separators.0);
        }
        write_json_string(out, key);
        out.push_str(separators.1);
        write_json(out, item, separators);
    }
    out.push('}');
}

fn write_json_string(out: &mut String, text: &str) {
    out.push('"');
    for ch in text.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            ' '..='~' => out.push(ch),
            _ => {
                let mut units = [0_u16; 2];
                for unit in ch.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_matches_python_escaping() {
        let value = json!({
            "a": "\u{7f}é😀\u{1}\u{8}\"\\/\n\r\t\u{c}\u{1f} ~",
            "n": [1, -2, 1.5, 1e16, 1e-5, 0.0001, 1e15, 0.1, -0.0, 123.456, 5e-324],
            "o": {"z": null, "y": true, "x": false},
            "\u{2028}": "",
        });
        assert_eq!(
            dumps_compact(&value),
            concat!(
                r#"{"a":"\u007f\u00e9\ud83d\ude00\u0001\b\"\\/\n\r\t\f\u001f ~","#,
                r#""n":[1,-2,1.5,1e+16,1e-05,0.0001,1000000000000000.0,0.1,-0.0,123.456,5e-324],"#,
                r#""o":{"z":null,"y":true,"x":false},"\u2028":""}"#
            )
        );
        // Keys keep insertion order, not sorted order.
        let mut map = Map::new();
        map.insert("b".into(), json!(1));
        map.insert("a".into(), json!(2));
        assert_eq!(dumps_compact(&Value::Object(map)), r#"{"b":1,"a":2}"#);
    }

    #[test]
    fn default_separators_are_spaced_at_every_level() {
        // json.dumps({"a": [1, "é"], "b": {"c": None}, "d": []})
        let value = json!({"a": [1, "é"], "b": {"c": null}, "d": []});
        assert_eq!(
            dumps(&value),
            r#"{"a": [1, "\u00e9"], "b": {"c": null}, "d": []}"#
        );
    }
}
