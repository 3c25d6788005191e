//! Python's `json.dumps(obj, indent=N, separators=(",", ": "))` layout, applied to compact JSON:
//! what DRF's `JSONRenderer` writes when the accepted media type carries `indent=N`.
//!
//! Written as a pass over the compact text rather than a re-serialisation, so that the values
//! (their escapes, number forms and member order) stay byte for byte what the compact renderer
//! wrote; only the layout changes, as in Python, where `indent` changes nothing else.

/// `compact` (JSON without insignificant whitespace, as this library's renderers write it) laid
/// out with `indent` spaces per level: a newline and the indentation before each member or item
/// and before a closing bracket, `": "` after a key, empty `{}` and `[]` kept as they are.
/// Text that is not compact JSON is returned as it is.
pub fn indent(compact: &str, indent: usize) -> String {
    let bytes = compact.as_bytes();
    let mut out = String::with_capacity(compact.len() * 2);
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut start = 0;
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        out.extend(std::iter::repeat_n(' ', depth * indent));
    };
    for (at, &byte) in bytes.iter().enumerate() {
        if in_string {
            match (escaped, byte) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'{' | b'[' => {
                let close = if byte == b'{' { b'}' } else { b']' };
                out.push_str(&compact[start..=at]);
                start = at + 1;
                if bytes.get(at + 1) != Some(&close) {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            b'}' | b']' => {
                let opened = at > 0 && matches!(bytes[at - 1], b'{' | b'[');
                out.push_str(&compact[start..at]);
                start = at;
                if !opened {
                    depth = depth.saturating_sub(1);
                    newline(&mut out, depth);
                }
            }
            b',' => {
                out.push_str(&compact[start..=at]);
                start = at + 1;
                newline(&mut out, depth);
            }
            b':' => {
                out.push_str(&compact[start..=at]);
                out.push(' ');
                start = at + 1;
            }
            _ => {}
        }
    }
    out.push_str(&compact[start..]);
    out
}

#[cfg(test)]
mod tests {
    use super::indent;

    #[test]
    fn lays_out_as_python_json_dumps_with_indent() {
        // json.dumps({"detail": "a, b: {c}", "x": [], "y": {}, "z": [1, {"k": "\"]"}]},
        //            indent=4, separators=(",", ": "), ensure_ascii=False)
        let compact = r#"{"detail":"a, b: {c}","x":[],"y":{},"z":[1,{"k":"\"]"}]}"#;
        let expected = "{\n    \"detail\": \"a, b: {c}\",\n    \"x\": [],\n    \"y\": {},\n    \"z\": [\n        1,\n        {\n            \"k\": \"\\\"]\"\n        }\n    ]\n}";
        assert_eq!(indent(compact, 4), expected);
        assert_eq!(indent(r#"{"a":"é"}"#, 1), "{\n \"a\": \"é\"\n}");
        assert_eq!(indent("[]", 2), "[]");
        assert_eq!(indent("\"x\"", 2), "\"x\"");
    }
}
