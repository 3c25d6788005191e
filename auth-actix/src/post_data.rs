//! DRF's `request.POST` as session authentication's CSRF check reads it (spec §1.6): the body
//! parsed by the view's parsers (JSON, form, multipart), read before the handler and replayed to
//! it.

use std::borrow::Cow;

use actix_web::HttpRequest;
use actix_web::http::header;
use actix_web::web::Bytes;
use auth_core::ApiError;

/// The body's form fields, or the parser error DRF would raise when reading them.
#[derive(Debug)]
pub(crate) enum PostData {
    /// Form or multipart fields (text fields only; files are not needed here).
    Fields(Vec<(String, String)>),
    /// A body that parsed but has no form fields (JSON, or empty).
    NoFields,
    /// DRF's parse error: 400 `JSON parse error - …`, or 415 for a type no parser takes.
    Invalid(ApiError),
}

impl PostData {
    /// The first value of field `name`.
    pub(crate) fn field(&self, name: &str) -> Result<Option<Cow<'_, str>>, ApiError> {
        match self {
            Self::Fields(fields) => Ok(fields
                .iter()
                .find(|(key, _)| key == name)
                .map(|(_, value)| Cow::Borrowed(value.as_str()))),
            Self::NoFields => Ok(None),
            Self::Invalid(error) => Err(error.clone()),
        }
    }
}

/// Parses `body` as DRF's default parsers would for `request`'s content type.
pub(crate) async fn parse(request: &HttpRequest, body: Bytes) -> PostData {
    // An empty body is never parsed (DRF's `_load_data_and_files` with no stream).
    if body.is_empty() {
        return PostData::NoFields;
    }
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
        .unwrap_or_default();
    let media_type = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    match media_type.as_str() {
        "application/json" => match serde_json::from_slice::<serde::de::IgnoredAny>(&body) {
            Ok(_) => PostData::NoFields,
            // The reference quotes its parser's message; ours is serde_json's.
            Err(error) => PostData::Invalid(
                ApiError::new(auth_core::ErrorKind::ParseError)
                    .with_detail(format!("JSON parse error - {error}")),
            ),
        },
        "application/x-www-form-urlencoded" => PostData::Fields(
            form_urlencoded::parse(&body)
                .map(|(key, value)| (key.into_owned(), value.into_owned()))
                .collect(),
        ),
        "multipart/form-data" => multipart_fields(&content_type, body).await,
        _ => PostData::Invalid(ApiError::unsupported_media_type(&content_type)),
    }
}

async fn multipart_fields(content_type: &str, body: Bytes) -> PostData {
    let Ok(boundary) = multer::parse_boundary(content_type) else {
        return PostData::Invalid(
            ApiError::new(auth_core::ErrorKind::ParseError)
                .with_detail("Multipart form parse error - Invalid boundary in multipart: None"),
        );
    };
    let stream = futures_util_stream_once(body);
    let mut multipart = multer::Multipart::new(stream, boundary);
    let mut fields = Vec::new();
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => {
                let name = field.name().map(str::to_owned);
                let is_file = field.file_name().is_some();
                match field.text().await {
                    Ok(text) if !is_file => {
                        if let Some(name) = name {
                            fields.push((name, text));
                        }
                    }
                    Ok(_) => {}
                    Err(error) => return multipart_error(&error),
                }
            }
            Ok(None) => return PostData::Fields(fields),
            Err(error) => return multipart_error(&error),
        }
    }
}

fn multipart_error(error: &multer::Error) -> PostData {
    PostData::Invalid(
        ApiError::new(auth_core::ErrorKind::ParseError)
            .with_detail(format!("Multipart form parse error - {error}")),
    )
}

/// A one-chunk stream of the body, for multer.
fn futures_util_stream_once(
    body: Bytes,
) -> impl futures_core::Stream<Item = Result<Bytes, std::convert::Infallible>> {
    struct Once(Option<Bytes>);
    impl futures_core::Stream for Once {
        type Item = Result<Bytes, std::convert::Infallible>;
        fn poll_next(
            self: std::pin::Pin<&mut Self>,
            _cx: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<Self::Item>> {
            std::task::Poll::Ready(self.get_mut().0.take().map(Ok))
        }
    }
    Once(Some(body))
}
