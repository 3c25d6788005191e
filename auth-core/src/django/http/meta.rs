//! WSGI's `request.META` header keys, as Django's settings name headers (`CSRF_HEADER_NAME =
//! "HTTP_X_CSRFTOKEN"`), and `HttpHeaders.parse_header_name`.

use crate::compat::python::text::title;

/// The HTTP header (lower-case) that becomes `header_name` in Django's `request.META`:
/// `HTTP_X_CSRFTOKEN` → `x-csrftoken`, `HTTP_X_XSRF_TOKEN` → `x-xsrf-token`,
/// `CONTENT_TYPE` → `content-type`. `None` for a key no header produces.
pub fn header_name_to_http(header_name: &str) -> Option<String> {
    let name = match header_name.strip_prefix("HTTP_") {
        Some(name) => name,
        None if matches!(header_name, "CONTENT_TYPE" | "CONTENT_LENGTH") => header_name,
        None => return None,
    };
    Some(name.replace('_', "-").to_lowercase())
}

/// `HttpHeaders.parse_header_name`: the header's display name (`HTTP_X_CSRFTOKEN` →
/// `X-Csrftoken`, by Python's `str.title()`), `None` for a key no header produces.
pub fn parse_header_name(header_name: &str) -> Option<String> {
    let name = match header_name.strip_prefix("HTTP_") {
        Some(name) => name,
        None if matches!(header_name, "CONTENT_TYPE" | "CONTENT_LENGTH") => header_name,
        None => return None,
    };
    Some(title(&name.replace('_', "-")))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn header_names() {
        assert_eq!(
            header_name_to_http("HTTP_X_CSRFTOKEN").unwrap(),
            "x-csrftoken"
        );
        assert_eq!(
            header_name_to_http("HTTP_X_XSRF_TOKEN").unwrap(),
            "x-xsrf-token"
        );
        assert_eq!(header_name_to_http("CONTENT_TYPE").unwrap(), "content-type");
        assert_eq!(header_name_to_http("REMOTE_USER"), None);
        assert_eq!(
            parse_header_name("HTTP_X_CSRFTOKEN").unwrap(),
            "X-Csrftoken"
        );
        assert_eq!(
            parse_header_name("HTTP_X_XSRF_TOKEN").unwrap(),
            "X-Xsrf-Token"
        );
        assert_eq!(parse_header_name("HTTP_X_2FA1B").unwrap(), "X-2Fa1B");
    }
}
