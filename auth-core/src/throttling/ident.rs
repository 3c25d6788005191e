//! DRF's `BaseThrottle.get_ident`: the client identity of anonymous throttling.

use std::borrow::Cow;

use crate::compat::python::text::{is_python_whitespace, latin1};
use crate::request::RequestView;

/// The identity: with `NUM_PROXIES` unset, the whole `X-Forwarded-For` value with all
/// whitespace removed (not its first address); with `NUM_PROXIES` = n > 0, the n-th entry from
/// the right (capped at the first); otherwise the peer address, or `None` when there is none.
pub fn get_ident(request: &dyn RequestView, num_proxies: Option<u32>) -> String {
    let remote_addr = || {
        request
            .peer_addr()
            .map_or_else(|| "None".to_owned(), |address| address.to_string())
    };
    // Django's META values are the header bytes as Latin-1.
    let header = request.header("x-forwarded-for");
    let xff: Option<Cow<'_, str>> = header.as_deref().map(latin1);
    match (num_proxies, xff) {
        (Some(0), _) | (Some(_), None) => remote_addr(),
        (Some(proxies), Some(xff)) => {
            let entries: Vec<&str> = xff.split(',').collect();
            let count = entries.len();
            let from_right = usize::try_from(proxies).unwrap_or(usize::MAX).min(count);
            entries
                .get(count - from_right)
                .map_or_else(String::new, |entry| entry.trim().to_owned())
        }
        (None, Some(xff)) if !xff.is_empty() => {
            xff.chars().filter(|c| !is_python_whitespace(*c)).collect()
        }
        (None, _) => remote_addr(),
    }
}
