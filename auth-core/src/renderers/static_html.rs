//! DRF's `StaticHTMLRenderer`.

use super::renderer::{Renderer, RendererInfo};
use crate::compat::python::text::title;
use crate::error::ApiError;

/// DRF's `rest_framework.renderers.StaticHTMLRenderer`: `text/html; charset=utf-8`, format
/// `html`. The handler's HTML is sent as it is; an error is DRF's exception page for a project
/// without `<status>.html` or `api_exception.html` templates: `403 Forbidden`.
#[derive(Debug, Clone, Copy, Default)]
pub struct StaticHTMLRenderer;

impl Renderer for StaticHTMLRenderer {
    const INFO: RendererInfo = RendererInfo {
        name: "StaticHTMLRenderer",
        media_type: "text/html",
        format: "html",
        charset: Some("utf-8"),
        render_error: exception_page,
    };
}

/// `TemplateHTMLRenderer.get_exception_template`'s fallback: `'%d %s' % (status_code,
/// status_text.title())`, the status text being Python 3.13's `http.client.responses`.
fn exception_page(error: &ApiError) -> Vec<u8> {
    let status = error.status();
    format!("{status} {}", title(status_text(status))).into_bytes()
}

/// Python 3.13's `http.HTTPStatus` phrases for the statuses an error here can have.
fn status_text(status: u16) -> &'static str {
    match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        413 => "Content Too Large",
        415 => "Unsupported Media Type",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_are_drfs_fallback_exception_page() {
        let page = |error: ApiError| String::from_utf8(exception_page(&error)).unwrap();
        assert_eq!(page(ApiError::not_authenticated()), "403 Forbidden");
        assert_eq!(
            page(ApiError::not_authenticated().with_challenge(Some("Basic".into()))),
            "401 Unauthorized"
        );
        assert_eq!(page(ApiError::not_acceptable()), "406 Not Acceptable");
        assert_eq!(
            page(ApiError::throttled(Some(3.0), None)),
            "429 Too Many Requests"
        );
    }
}
