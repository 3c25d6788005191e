//! DRF's `JSONRenderer`.

use super::renderer::{Renderer, RendererInfo};
use crate::error::ApiError;

/// DRF's `rest_framework.renderers.JSONRenderer`: `application/json`, format `json`, no
/// charset in `Content-Type`; errors compact, UTF-8, U+2028/U+2029 escaped.
#[derive(Debug, Clone, Copy, Default)]
pub struct JSONRenderer;

impl Renderer for JSONRenderer {
    const INFO: RendererInfo = RendererInfo {
        name: "JSONRenderer",
        media_type: "application/json",
        format: "json",
        charset: None,
        render_error: |error: &ApiError| error.body_json().into_bytes(),
    };
}
