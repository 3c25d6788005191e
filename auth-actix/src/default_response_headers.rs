//! DRF's `APIView.default_response_headers`: `Allow` (the view's methods) and `Vary: Accept`
//! (when the view has more than one renderer: DRF's defaults, JSON and the browsable API), on
//! every response of an API view, errors included (`finalize_response`).
//!
//! Here an API view is a handler that declares its policy (the policy attributes, `declared`, a
//! [`ScopePolicy`](crate::ScopePolicy) around it): the policy middleware
//! ([`LoginRequiredMiddleware`](crate::LoginRequiredMiddleware), which [`app`](crate::app)
//! installs) adds the headers to its responses. `Vary: Accept` needs nothing else; `Allow`
//! needs the view's methods, which actix-web does not expose: give them as the resource's (or
//! the app's) data.
//!
//! ```
//! use actix_web::web;
//! use auth_actix::DefaultResponseHeaders;
//!
//! // A view implementing GET and POST: `Allow: GET, POST, HEAD, OPTIONS`, `Vary: Accept`.
//! let resource = web::resource("/items/").app_data(DefaultResponseHeaders::methods(&["GET", "POST"]));
//! # let _ = resource;
//! // A project whose DEFAULT_RENDERER_CLASSES is JSON only: no `Vary: Accept` anywhere.
//! let app_wide = DefaultResponseHeaders::default().json_only();
//! # let _ = app_wide;
//! ```

use actix_web::http::header::{self, HeaderMap, HeaderValue};

/// The headers DRF adds to every response of an API view (see the module documentation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefaultResponseHeaders {
    allow: Option<HeaderValue>,
    vary_accept: bool,
}

impl Default for DefaultResponseHeaders {
    /// DRF's default renderers (`Vary: Accept`) and methods unknown (no `Allow`).
    fn default() -> Self {
        Self {
            allow: None,
            vary_accept: true,
        }
    }
}

/// Django's `View.http_method_names`, in its order (the order of DRF's `Allow`).
const HTTP_METHOD_NAMES: [&str; 8] = [
    "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE",
];

impl DefaultResponseHeaders {
    /// A view that implements `methods` (case-insensitive): `Allow` lists them in Django's
    /// order, with `HEAD` when it has `GET` (Django's `View.setup`) and `OPTIONS` always (every
    /// `APIView` answers it). Names that are not HTTP methods Django knows are left out.
    pub fn methods(methods: &[&str]) -> Self {
        let has = |name: &str| methods.iter().any(|m| m.eq_ignore_ascii_case(name));
        let allowed: Vec<&str> = HTTP_METHOD_NAMES
            .into_iter()
            .filter(|&name| has(name) || (name == "HEAD" && has("GET")) || name == "OPTIONS")
            .collect();
        Self {
            // Only Django's method names: always a valid header value.
            allow: HeaderValue::from_str(&allowed.join(", ")).ok(),
            vary_accept: true,
        }
    }

    /// A view implementing every method an `APIView` handles by default:
    /// `Allow: GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS`.
    pub fn all_methods() -> Self {
        Self::methods(&["GET", "POST", "PUT", "PATCH", "DELETE"])
    }

    /// One renderer only (DRF's `renderer_classes = [JSONRenderer]`, as `obtain_auth_token`):
    /// no `Vary: Accept`.
    pub fn json_only(mut self) -> Self {
        self.vary_accept = false;
        self
    }

    /// The view's `Allow`, as its `#[api_view]` gives it.
    pub(crate) fn allow(mut self, allow: HeaderValue) -> Self {
        self.allow = Some(allow);
        self
    }

    /// Whether the view has more than one renderer (`Vary: Accept`).
    pub(crate) fn vary_accept(mut self, vary: bool) -> Self {
        self.vary_accept = vary;
        self
    }

    /// Adds the headers to an API view's response: `Allow` unless the view set its own, and
    /// `Accept` to `Vary` (Django's `patch_vary_headers`).
    pub(crate) fn apply(&self, headers: &mut HeaderMap) {
        if let Some(allow) = &self.allow
            && !headers.contains_key(header::ALLOW)
        {
            headers.insert(header::ALLOW, allow.clone());
        }
        if self.vary_accept {
            patch_vary_headers(headers, "Accept");
        }
    }
}

/// Django's `patch_vary_headers(response, (item,))`: `item` appended to `Vary` unless it is
/// there already (case-insensitively) or `Vary` is `*`.
pub(crate) fn patch_vary_headers(headers: &mut HeaderMap, item: &'static str) {
    // Every API view's response passes here: the common case, no `Vary` yet, allocates nothing.
    if !headers.contains_key(header::VARY) {
        headers.insert(header::VARY, HeaderValue::from_static(item));
        return;
    }
    let existing: Vec<String> = headers
        .get_all(header::VARY)
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(|item| item.trim().to_owned())
        .filter(|item| !item.is_empty())
        .collect();
    if existing
        .iter()
        .any(|known| known == "*" || known.eq_ignore_ascii_case(item))
    {
        return;
    }
    let mut all = existing;
    all.push(item.to_owned());
    if let Ok(value) = HeaderValue::from_str(&all.join(", ")) {
        headers.insert(header::VARY, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allow(headers: DefaultResponseHeaders) -> String {
        headers
            .allow
            .and_then(|value| value.to_str().ok().map(str::to_owned))
            .unwrap_or_default()
    }

    #[test]
    fn allow_is_drfs() {
        assert_eq!(
            allow(DefaultResponseHeaders::methods(&["get"])),
            "GET, HEAD, OPTIONS"
        );
        assert_eq!(
            allow(DefaultResponseHeaders::methods(&["POST"])),
            "POST, OPTIONS"
        );
        assert_eq!(
            allow(DefaultResponseHeaders::methods(&["delete", "GET", "bogus"])),
            "GET, DELETE, HEAD, OPTIONS"
        );
        assert_eq!(
            allow(DefaultResponseHeaders::all_methods()),
            "GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS"
        );
        assert_eq!(allow(DefaultResponseHeaders::default()), "");
    }

    #[test]
    fn vary_is_patched_once_and_in_order() {
        let mut headers = HeaderMap::new();
        DefaultResponseHeaders::default().apply(&mut headers);
        patch_vary_headers(&mut headers, "Cookie");
        DefaultResponseHeaders::default().apply(&mut headers);
        assert_eq!(
            headers.get(header::VARY).map(HeaderValue::as_bytes),
            Some(&b"Accept, Cookie"[..])
        );
        let mut headers = HeaderMap::new();
        headers.insert(header::VARY, HeaderValue::from_static("*"));
        patch_vary_headers(&mut headers, "Accept");
        assert_eq!(
            headers.get(header::VARY).map(HeaderValue::as_bytes),
            Some(&b"*"[..])
        );
        let mut headers = HeaderMap::new();
        DefaultResponseHeaders::methods(&["GET"])
            .json_only()
            .apply(&mut headers);
        assert!(headers.get(header::VARY).is_none());
        assert_eq!(
            headers.get(header::ALLOW).map(HeaderValue::as_bytes),
            Some(&b"GET, HEAD, OPTIONS"[..])
        );
    }
}
