//! The `Origin` and `Referer` checks of `CsrfViewMiddleware` (`_origin_verified`,
//! `_check_referer`), over Django's host validation and Python's `urlsplit`.

use super::reason::Reason;
use super::request::{CsrfConfig, CsrfRequest};
use crate::compat::python::urlsplit::urlsplit;
use crate::django::http::host::{is_same_domain, validate_host};

/// `_origin_verified`.
pub(super) fn origin_verified(
    origin: &str,
    request: &CsrfRequest<'_>,
    config: &CsrfConfig,
) -> bool {
    if let Some(host) = allowed_host(request, config) {
        let scheme = if request.is_secure { "https" } else { "http" };
        if origin == format!("{scheme}://{host}") {
            return true;
        }
    }
    if config
        .trusted_origins
        .iter()
        .any(|trusted| !trusted.contains('*') && trusted == origin)
    {
        return true;
    }
    let Some(parsed) = urlsplit(origin) else {
        return false;
    };
    config
        .trusted_origins
        .iter()
        .filter(|trusted| trusted.contains('*'))
        .filter_map(|trusted| urlsplit(trusted))
        .filter(|trusted| trusted.scheme == parsed.scheme)
        .any(|trusted| is_same_domain(&parsed.netloc, trusted.netloc.trim_start_matches('*')))
}

/// `_check_referer`.
pub(super) fn check_referer(request: &CsrfRequest<'_>, config: &CsrfConfig) -> Result<(), Reason> {
    let referer = request.referer.ok_or(Reason::NoReferer)?;
    let parsed = urlsplit(referer).ok_or(Reason::MalformedReferer)?;
    if parsed.scheme.is_empty() || parsed.netloc.is_empty() {
        return Err(Reason::MalformedReferer);
    }
    if parsed.scheme != "https" {
        return Err(Reason::InsecureReferer);
    }
    let trusted = config
        .trusted_origins
        .iter()
        .filter_map(|origin| urlsplit(origin))
        .any(|origin| is_same_domain(&parsed.netloc, origin.netloc.trim_start_matches('*')));
    if trusted {
        return Ok(());
    }
    let good_referer = match &config.cookie_domain {
        Some(domain) => match request.server_port {
            Some(port) if port != 443 && port != 80 => format!("{domain}:{port}"),
            _ => domain.clone(),
        },
        None => match allowed_host(request, config) {
            Some(host) => host.to_owned(),
            None => return Err(Reason::BadReferer(parsed.geturl())),
        },
    };
    if is_same_domain(&parsed.netloc, &good_referer) {
        Ok(())
    } else {
        Err(Reason::BadReferer(parsed.geturl()))
    }
}

/// `request.get_host()` when it does not raise `DisallowedHost`.
pub(super) fn allowed_host<'a>(request: &CsrfRequest<'a>, config: &CsrfConfig) -> Option<&'a str> {
    request
        .host
        .filter(|host| validate_host(host, &config.allowed_hosts))
}
