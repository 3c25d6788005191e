//! DRF's `DefaultContentNegotiation.select_renderer`: which of a view's renderers answers, from
//! `?format=` and the `Accept` header, decided **before** authentication as DRF's
//! `APIView.initial` does. A request no renderer can answer gets 406 (`?format=` naming no
//! renderer: 404), rendered by the view's first renderer.

pub mod media_type;

use std::borrow::Cow;

use self::media_type::MediaType;
use crate::compat::python::text::{latin1, python_strip};
use crate::error::{ApiError, ErrorKind};
use crate::renderers::RendererInfo;

/// DRF's `max_accept_header_length`: a longer header is cut after its last `,` within it.
const MAX_ACCEPT_HEADER_LENGTH: usize = 8192;
/// DRF's `max_accept_tokens`: entries past this many are ignored.
const MAX_ACCEPT_TOKENS: usize = 64;
/// DRF's `max_media_type_length`: a longer entry is ignored.
const MAX_MEDIA_TYPE_LENGTH: usize = 256;
/// Django's default `DATA_UPLOAD_MAX_NUMBER_FIELDS`: a query string with more fields makes
/// `QueryDict` raise `TooManyFieldsSent` when DRF's negotiation reads `query_params`.
const DATA_UPLOAD_MAX_NUMBER_FIELDS: usize = 1000;

/// The renderer negotiation chose and the media type it accepted (DRF's
/// `request.accepted_renderer` and `request.accepted_media_type`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    /// The chosen renderer.
    pub renderer: &'static RendererInfo,
    /// The accepted media type: the `Accept` entry as written, or the renderer's media type
    /// with the entry's parameters when the entry was less specific (`*/*`).
    pub media_type: Cow<'static, str>,
    /// The accepted media type's `indent` as DRF's `JSONRenderer.get_indent` reads it (`None`:
    /// compact).
    pub json_indent: Option<usize>,
}

/// A refused negotiation: the error, and the renderer that renders it (the view's first, as
/// DRF's forced negotiation in `finalize_response`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    /// 406 `NotAcceptable`, or 404 `NotFound` for a `?format=` no renderer has.
    pub error: ApiError,
    /// The renderer of the error response.
    pub renderer: &'static RendererInfo,
}

/// DRF's `select_renderer` over `renderers` (never empty) for a request whose `Accept` header
/// values are `accept` (all of them, in order: a WSGI server joins repeated headers with `,`;
/// none means `*/*`) and whose query string is `query`.
pub fn select_renderer<'h>(
    accept: impl Iterator<Item = &'h [u8]>,
    query: &str,
    renderers: &'static [RendererInfo],
) -> Result<Accepted, Refused> {
    let first = renderers.first().unwrap_or(&FALLBACK);
    let refuse = |error: ApiError| Refused {
        error,
        renderer: first,
    };
    // Python's `parse_qsl(max_num_fields=…)`: one field more than there are `&`, for a query
    // string that is not empty.
    if !query.is_empty() && 1 + query.matches('&').count() > DATA_UPLOAD_MAX_NUMBER_FIELDS {
        return Err(refuse(ApiError::new(ErrorKind::TooManyFieldsSent)));
    }
    let format = format_override(query);
    let format = format.as_deref().filter(|format| !format.is_empty());
    let allowed = |renderer: &RendererInfo| format.is_none_or(|format| renderer.format == format);
    if !renderers.iter().any(allowed) {
        // `filter_renderers` raises `Http404`: the exception handler's `NotFound()`.
        return Err(refuse(ApiError::new(ErrorKind::NotFound)));
    }
    let header = joined_header(accept);
    let header = match &header {
        Some(bytes) => latin1(bytes),
        None => Cow::Borrowed("*/*"),
    };
    // DRF tries the most specific entries first (`order_parsed_by_precedence`), within one level
    // the renderers in order, then the level's entries. One pass over the header keeps the best
    // (precedence, renderer) match, without collecting the entries. Within a level DRF iterates
    // a `set`, whose order changes only which of two equally specific entries matching the same
    // renderer is reported as accepted, never the renderer: here it is the first in the header.
    let mut best: Option<(u8, usize, MediaType<'_>)> = None;
    for text in accept_list(&header) {
        let entry = MediaType::parse(text);
        let precedence = entry.precedence();
        let matched = renderers
            .iter()
            .enumerate()
            .filter(|(_, renderer)| allowed(renderer))
            .find(|(_, renderer)| MediaType::parse(renderer.media_type).matches(&entry))
            .map(|(index, _)| index);
        let Some(index) = matched else { continue };
        let better = best.as_ref().is_none_or(|(known, known_index, _)| {
            precedence > *known || (precedence == *known && index < *known_index)
        });
        if better {
            best = Some((precedence, index, entry));
        }
    }
    let Some((precedence, index, entry)) = best else {
        return Err(refuse(ApiError::not_acceptable()));
    };
    let renderer = &renderers[index];
    let json_indent = entry.param("indent").and_then(json_indent);
    let media_type = if MediaType::parse(renderer.media_type).precedence() > precedence {
        // The client asked for less (`*/*`): the renderer's type with the entry's parameters.
        if entry.params.is_empty() {
            Cow::Borrowed(renderer.media_type)
        } else {
            let mut full = renderer.media_type.to_owned();
            for (key, value) in &entry.params {
                full.push(';');
                full.push_str(key);
                full.push('=');
                full.push_str(value);
            }
            Cow::Owned(full)
        }
    } else if entry.orig == renderer.media_type {
        Cow::Borrowed(renderer.media_type)
    } else {
        Cow::Owned(entry.orig.to_owned())
    };
    Ok(Accepted {
        renderer,
        media_type,
        json_indent,
    })
}

/// DRF's `zero_as_none(max(min(int(params['indent']), 8), 0))`: Python's `int()` of the value
/// (surrounding whitespace, a sign, single `_` between ASCII digits; any size), limited to 0..=8,
/// 0 meaning none. A value `int()` refuses is no indent (DRF catches the `ValueError`).
fn json_indent(value: &str) -> Option<usize> {
    let text = python_strip(value);
    let (negative, digits) = match text.strip_prefix('-') {
        Some(digits) => (true, digits),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let well_formed = !digits.is_empty()
        && !digits.starts_with('_')
        && !digits.ends_with('_')
        && !digits.contains("__")
        && digits
            .bytes()
            .all(|byte| byte.is_ascii_digit() || byte == b'_');
    if !well_formed || negative {
        return None;
    }
    let value = digits
        .bytes()
        .filter(u8::is_ascii_digit)
        .try_fold(0usize, |value, digit| {
            value
                .checked_mul(10)?
                .checked_add(usize::from(digit - b'0'))
        })
        .unwrap_or(usize::MAX);
    Some(value.min(8)).filter(|&indent| indent > 0)
}

/// Only reached for an empty list, which the policy macros refuse to compile.
static FALLBACK: RendererInfo =
    <crate::renderers::JSONRenderer as crate::renderers::Renderer>::INFO;

/// Several `Accept` headers as one, joined with `,` as a WSGI server joins them; `None` when
/// there is none. Borrowed in the common case of one header.
fn joined_header<'h>(mut values: impl Iterator<Item = &'h [u8]>) -> Option<Cow<'h, [u8]>> {
    let first = values.next()?;
    let Some(second) = values.next() else {
        return Some(Cow::Borrowed(first));
    };
    let mut joined = first.to_vec();
    for value in std::iter::once(second).chain(values) {
        joined.push(b',');
        joined.extend_from_slice(value);
    }
    Some(Cow::Owned(joined))
}

/// DRF's `get_accept_list`: cut past `max_accept_header_length` at a `,`, split at `,`, each
/// entry stripped, empty and over-long entries dropped, at most `max_accept_tokens`.
fn accept_list(header: &str) -> impl Iterator<Item = &str> {
    // A byte count bounds the character count: the characters are counted only past it.
    let header = if header.len() > MAX_ACCEPT_HEADER_LENGTH
        && header.chars().count() > MAX_ACCEPT_HEADER_LENGTH
    {
        // Python counts characters; a latin-1 header has one byte per character only when it
        // is ASCII, so the cut is found by characters.
        let limit = header
            .char_indices()
            .nth(MAX_ACCEPT_HEADER_LENGTH)
            .map_or(header.len(), |(at, _)| at);
        match header[..limit].rfind(',') {
            Some(cut) => &header[..=cut],
            None => "",
        }
    } else {
        header
    };
    header
        .split(',')
        .map(python_strip)
        .filter(|entry| {
            !entry.is_empty()
                && (entry.len() <= MAX_MEDIA_TYPE_LENGTH
                    || entry.chars().count() <= MAX_MEDIA_TYPE_LENGTH)
        })
        .take(MAX_ACCEPT_TOKENS)
}

/// `request.query_params.get("format")` (DRF's `URL_FORMAT_OVERRIDE`): the last `format` field
/// of the query string, decoded as Django's `QueryDict` decodes it.
fn format_override(query: &str) -> Option<Cow<'_, str>> {
    // Most query strings name no format: skip decoding them (a percent-encoded name needs `%`).
    if !query.contains("format") && !query.contains('%') {
        return None;
    }
    form_urlencoded::parse(query.as_bytes())
        .filter(|(name, _)| name == "format")
        .last()
        .map(|(_, value)| value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::renderers::{
        CSVRenderer, DefaultRenderers, JSONRenderer, Renderer, RendererClasses, StaticHTMLRenderer,
    };

    fn accepts_json<'h>(accept: impl Iterator<Item = &'h [u8]>) -> bool {
        select_renderer(accept, "", DefaultRenderers::RENDERERS).is_ok()
    }

    const BROWSER: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,\
                           image/avif,image/webp,*/*;q=0.8";

    fn pick(accept: &[&str], query: &str, list: &'static [RendererInfo]) -> Result<String, u16> {
        select_renderer(accept.iter().map(|value| value.as_bytes()), query, list)
            .map(|accepted| format!("{} {}", accepted.renderer.name, accepted.media_type))
            .map_err(|refused| refused.error.status())
    }

    const JSON: &[RendererInfo] = DefaultRenderers::RENDERERS;
    const CSV_JSON: &[RendererInfo] = <(CSVRenderer, JSONRenderer) as RendererClasses>::RENDERERS;
    const JSON_HTML: &[RendererInfo] =
        <(JSONRenderer, StaticHTMLRenderer) as RendererClasses>::RENDERERS;

    #[test]
    fn json_only_views_accept_what_drf_accepts() {
        assert!(accepts_json(std::iter::empty()));
        for accept in [
            "*/*",
            "application/*",
            "text/html, application/json;q=0.9",
            "Application/JSON; indent=4",
        ] {
            assert!(accepts_json(std::iter::once(accept.as_bytes())), "{accept}");
        }
        // A header is latin-1: the byte 0xA0 is a no-break space, which Python's strip removes;
        // the UTF-8 form of that character is two characters, the first not a space.
        assert!(accepts_json(std::iter::once(
            &b"\xa0application/json\x85"[..]
        )));
        assert!(!accepts_json(std::iter::once(
            "\u{a0}application/json".as_bytes()
        )));
        for accept in ["text/xml", "text/html", "", "application", " , ,"] {
            assert!(
                !accepts_json(std::iter::once(accept.as_bytes())),
                "{accept}"
            );
        }
        // Two headers are one list.
        assert!(accepts_json(
            [&b"text/xml"[..], &b"application/json"[..]].into_iter()
        ));
    }

    #[test]
    fn the_most_specific_entry_wins_then_the_renderer_order() {
        assert_eq!(
            pick(&[BROWSER], "", CSV_JSON).unwrap(),
            "CSVRenderer text/csv;q=0.8"
        );
        assert_eq!(
            pick(&[BROWSER], "", JSON).unwrap(),
            "JSONRenderer application/json;q=0.8"
        );
        assert_eq!(
            pick(&[BROWSER], "", JSON_HTML).unwrap(),
            "StaticHTMLRenderer text/html"
        );
        assert_eq!(
            pick(&["text/csv;q=0.1, application/json"], "", CSV_JSON).unwrap(),
            "CSVRenderer text/csv;q=0.1",
            "q is not a preference in DRF, only a parameter"
        );
        assert_eq!(
            pick(&["application/json; indent=2, text/csv"], "", CSV_JSON).unwrap(),
            "JSONRenderer application/json; indent=2",
            "an entry with parameters is more specific"
        );
        assert_eq!(
            pick(&["text/*"], "", CSV_JSON).unwrap(),
            "CSVRenderer text/csv"
        );
        assert_eq!(pick(&["text/html"], "", JSON), Err(406));
        assert_eq!(pick(&[], "", CSV_JSON).unwrap(), "CSVRenderer text/csv");
    }

    #[test]
    fn format_filters_the_renderers_and_an_unknown_one_is_404() {
        assert_eq!(
            pick(&["*/*"], "format=json", CSV_JSON).unwrap(),
            "JSONRenderer application/json"
        );
        assert_eq!(
            pick(&[], "a=1&%66ormat=csv", CSV_JSON).unwrap(),
            "CSVRenderer text/csv"
        );
        assert_eq!(pick(&[], "format=xml", CSV_JSON), Err(404));
        assert_eq!(
            pick(&[], "format=csv&format=api", CSV_JSON),
            Err(404),
            "the last one"
        );
        assert_eq!(
            pick(&[], "format=", CSV_JSON).unwrap(),
            "CSVRenderer text/csv"
        );
        assert_eq!(pick(&["text/csv"], "format=json", CSV_JSON), Err(406));
        let refused = select_renderer(std::iter::empty(), "format=xml", CSV_JSON).unwrap_err();
        assert_eq!(
            refused.renderer,
            &CSVRenderer::INFO,
            "the first renderer, unfiltered"
        );
    }

    #[test]
    fn indent_is_read_as_drfs_json_renderer_reads_it() {
        let indent = |accept: &str| {
            select_renderer(std::iter::once(accept.as_bytes()), "", JSON)
                .ok()
                .and_then(|accepted| accepted.json_indent)
        };
        assert_eq!(indent("application/json; indent=4"), Some(4));
        assert_eq!(
            indent("*/*;indent=2"),
            Some(2),
            "carried over from a wildcard"
        );
        assert_eq!(
            indent("application/json;indent=99999999999999999999999"),
            Some(8)
        );
        assert_eq!(indent("application/json;indent= +1_0 "), Some(8));
        assert_eq!(indent("application/json;indent=0"), None);
        assert_eq!(indent("application/json;indent=-3"), None);
        assert_eq!(indent("application/json;indent=x"), None);
        assert_eq!(indent("application/json;indent=1__0"), None);
        assert_eq!(indent("application/json"), None);
    }

    #[test]
    fn a_query_string_of_more_than_a_thousand_fields_is_djangos_400() {
        let fields = |count: usize| vec!["a=1"; count].join("&");
        assert!(pick(&[], &fields(1000), JSON).is_ok());
        assert_eq!(pick(&[], &fields(1001), JSON), Err(400));
        assert_eq!(
            pick(&[], &"&".repeat(1000), JSON),
            Err(400),
            "empty fields count"
        );
    }

    #[test]
    fn drf_limits_on_the_header() {
        let long = format!("text/csv;x={}", "a".repeat(300));
        assert_eq!(
            pick(&[&long], "", CSV_JSON),
            Err(406),
            "an over-long entry is dropped"
        );
        let many = format!("{}application/json", "text/xml,".repeat(64));
        assert_eq!(
            pick(&[&many], "", JSON),
            Err(406),
            "entries past 64 are dropped"
        );
        let cut = format!("text/xml,{},application/json", "x".repeat(9000));
        assert_eq!(
            pick(&[&cut], "", JSON),
            Err(406),
            "cut at a comma within 8192"
        );
    }
}
