//! DRF's `SimpleMetadata` (`DEFAULT_METADATA_CLASS`): what a view answers to `OPTIONS`.

use crate::error::json_string;

/// The media types of DRF's default `DEFAULT_PARSER_CLASSES` (`JSONParser`, `FormParser`,
/// `MultiPartParser`): the bodies this library's views read.
pub const DEFAULT_PARSER_MEDIA_TYPES: [&str; 3] = [
    "application/json",
    "application/x-www-form-urlencoded",
    "multipart/form-data",
];

/// `SimpleMetadata.determine_metadata` for a view without a serializer, as DRF's `JSONRenderer`
/// writes it (compact, keys in DRF's order, non-ASCII as is): `{"name":…,"description":…,
/// "renders":[…],"parses":[…]}`.
pub fn simple_metadata(name: &str, description: &str, renders: &[&str]) -> String {
    let list = |items: &[&str]| {
        let items: Vec<String> = items.iter().map(|item| json_string(item)).collect();
        format!("[{}]", items.join(","))
    };
    format!(
        "{{\"name\":{},\"description\":{},\"renders\":{},\"parses\":{}}}",
        json_string(name),
        json_string(description),
        list(renders),
        list(&DEFAULT_PARSER_MEDIA_TYPES),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_drfs_body() {
        // DRF 3.18's answer to OPTIONS on an `@api_view(["GET", "POST"])` function
        // `list_articles_v2` documented "Lists the articles.\n\n    Second paragraph, indented.".
        assert_eq!(
            simple_metadata(
                "List Articles V2",
                "Lists the articles.\n\nSecond paragraph, indented.",
                &["application/json", "text/html"]
            ),
            r#"{"name":"List Articles V2","description":"Lists the articles.\n\nSecond paragraph, indented.","renders":["application/json","text/html"],"parses":["application/json","application/x-www-form-urlencoded","multipart/form-data"]}"#
        );
        // DRF's renderer escapes the two line separators too.
        assert!(simple_metadata("a\u{2028}b", "", &[]).starts_with(r#"{"name":"a\u2028b","#));
        assert_eq!(
            simple_metadata("Caf\u{e9}", "\u{1}", &[]),
            "{\"name\":\"Caf\u{e9}\",\"description\":\"\\u0001\",\"renders\":[],\"parses\":[\"application/json\",\"application/x-www-form-urlencoded\",\"multipart/form-data\"]}"
        );
    }
}
