//! DRF's `JSONParser` errors for actix-web's own `web::Json<T>` extractor: [`configure`]
//! (and so [`app`]) registers a `JsonConfig` whose refusals are DRF's instead of actix's
//! `text/plain` ones, with no per-route wiring.
//!
//! | actix-web's `JsonPayloadError` | answer |
//! |---|---|
//! | not `application/json` (or `+json`) | 415 `{"detail":"Unsupported media type \"text/plain\" in request."}` |
//! | over `DATA_UPLOAD_MAX_MEMORY_SIZE` (`Settings::max_body_size`) | 413 `{"detail":"Request body is too large."}` |
//! | not JSON, or JSON that is not the handler's type | 400 `{"detail":"JSON parse error - <reason>"}` |
//! | the body could not be read | 400 `{"detail":"Malformed request."}` |
//!
//! The reason is serde_json's (`expected value at line 1 column 1`), not Python's
//! (`Expecting value: line 1 column 1 (char 0)`), which the library's own views reproduce: an
//! actix extractor's error does not keep the body the text would be computed from. Register
//! another `JsonConfig` after `configure` to choose differently.
//!
//! [`configure`]: crate::configure
//! [`app`]: crate::app

use actix_web::error::JsonPayloadError;
use actix_web::{HttpRequest, web};
use auth_core::{ApiError, ErrorKind};

use crate::error::ApiErrorResponse;

/// The `JsonConfig` [`configure`](crate::configure) registers: bodies up to `limit` bytes,
/// refusals in DRF's shape (see the module documentation).
pub(crate) fn json_config(limit: usize) -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(limit)
        .error_handler(|error, request| drf_error(&error, request).into())
}

/// The DRF refusal of one `web::Json` failure.
fn drf_error(error: &JsonPayloadError, request: &HttpRequest) -> ApiErrorResponse {
    let refusal = match error {
        JsonPayloadError::ContentType => {
            let content_type = request
                .headers()
                .get(actix_web::http::header::CONTENT_TYPE)
                .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
                .unwrap_or_default();
            ApiError::unsupported_media_type(&content_type)
        }
        JsonPayloadError::Overflow { .. } | JsonPayloadError::OverflowKnownLength { .. } => {
            ApiError::new(ErrorKind::PayloadTooLarge)
        }
        JsonPayloadError::Deserialize(reason) => {
            ApiError::new(ErrorKind::ParseError).with_detail(format!("JSON parse error - {reason}"))
        }
        _ => ApiError::new(ErrorKind::ParseError),
    };
    ApiErrorResponse::from(refusal)
}
