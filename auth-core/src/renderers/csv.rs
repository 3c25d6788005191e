//! djangorestframework-csv's `CSVRenderer`.

use super::renderer::{Renderer, RendererInfo};
use crate::error::ApiError;

/// `rest_framework_csv.renderers.CSVRenderer` (djangorestframework-csv 3.0.2): `text/csv;
/// charset=utf-8`, format `csv`. An error's data is flattened (nested keys joined by `.`, list
/// items by index), its columns sorted, and written as a header row and one data row by
/// Python's `csv.writer` (excel dialect: `,`, `"` doubled, quotes only where needed, `\r\n`):
/// `detail\r\nAuthentication credentials were not provided.\r\n`.
#[derive(Debug, Clone, Copy, Default)]
pub struct CSVRenderer;

impl Renderer for CSVRenderer {
    const INFO: RendererInfo = RendererInfo {
        name: "CSVRenderer",
        media_type: "text/csv",
        format: "csv",
        charset: Some("utf-8"),
        render_error,
    };
}

fn render_error(error: &ApiError) -> Vec<u8> {
    // The JSON body is the error's data exactly as DRF's exception handler builds it.
    let data: serde_json::Value =
        serde_json::from_str(&error.body_json()).unwrap_or(serde_json::Value::Null);
    let mut cells: Vec<(String, Option<String>)> = Vec::new();
    flatten(&data, String::new(), &mut cells);
    // `sorted(header_fields)`: Python compares strings by code point, as Rust's byte order of
    // UTF-8 does. A key flattened twice keeps its last value (`dict.update`).
    let mut columns: Vec<(String, Option<String>)> = Vec::new();
    for (key, value) in cells {
        match columns.iter_mut().find(|(known, _)| *known == key) {
            Some(entry) => entry.1 = value,
            None => columns.push((key, value)),
        }
    }
    columns.sort_by(|a, b| a.0.cmp(&b.0));
    let mut out = String::new();
    write_row(&mut out, columns.iter().map(|(key, _)| Some(key.as_str())));
    write_row(&mut out, columns.iter().map(|(_, value)| value.as_deref()));
    out.into_bytes()
}

/// `flatten_item` with `nest_flat_item`'s `level_sep` `.`: a scalar under the key `''`.
fn flatten(value: &serde_json::Value, prefix: String, out: &mut Vec<(String, Option<String>)>) {
    let nest = |key: &str| {
        if prefix.is_empty() {
            key.to_owned()
        } else {
            format!("{prefix}.{key}")
        }
    };
    match value {
        serde_json::Value::Object(map) => {
            for (key, item) in map {
                flatten(item, nest(key), out);
            }
        }
        serde_json::Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                flatten(item, nest(&index.to_string()), out);
            }
        }
        scalar => out.push((prefix, python_str(scalar))),
    }
}

/// The text `csv.writer` writes for a scalar: `str()` of it, nothing for `None`.
fn python_str(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::Null => None,
        serde_json::Value::Bool(true) => Some("True".to_owned()),
        serde_json::Value::Bool(false) => Some("False".to_owned()),
        serde_json::Value::String(text) => Some(text.clone()),
        other => Some(other.to_string()),
    }
}

/// One row as Python's `csv.writer(…).writerow` writes it (QUOTE_MINIMAL); a row of a single
/// empty field is `""`.
fn write_row<'a>(out: &mut String, fields: impl ExactSizeIterator<Item = Option<&'a str>>) {
    let single = fields.len() == 1;
    for (index, field) in fields.enumerate() {
        if index > 0 {
            out.push(',');
        }
        let field = field.unwrap_or("");
        if (single && field.is_empty()) || field.contains([',', '"', '\r', '\n']) {
            out.push('"');
            out.push_str(&field.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(field);
        }
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csv(error: &ApiError) -> String {
        String::from_utf8(render_error(error)).unwrap()
    }

    #[test]
    fn a_detail_is_a_header_and_a_row() {
        assert_eq!(
            csv(&ApiError::not_authenticated()),
            "detail\r\nAuthentication credentials were not provided.\r\n"
        );
    }

    #[test]
    fn quotes_commas_and_nesting_as_the_package_writes_them() {
        let error = ApiError::authentication_failed("a, \"b\"")
            .with_code("c")
            .with_dict_detail(vec![(
                "messages".to_owned(),
                serde_json::json!([{"message": "x", "ok": true, "none": null}]),
            )]);
        assert_eq!(
            csv(&error),
            "code,detail,messages.0.message,messages.0.none,messages.0.ok\r\n\
             c,\"a, \"\"b\"\"\",x,,True\r\n"
        );
    }
}
