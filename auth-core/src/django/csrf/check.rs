//! `CsrfViewMiddleware.process_view`: the Origin or Referer check, then the token check.

use super::origin::{check_referer, origin_verified};
use super::reason::{Reason, TokenSource, header_label};
use super::request::{CsrfConfig, CsrfRequest, is_safe_method};
use super::token::{check_token_format, does_token_match, secret_from_cookie};

/// `CsrfViewMiddleware.process_view` for a view that is not `csrf_exempt`, as DRF's
/// `SessionAuthentication.enforce_csrf` runs it.
pub fn check(request: &CsrfRequest<'_>, config: &CsrfConfig) -> Result<(), Reason> {
    if is_safe_method(request.method) {
        return Ok(());
    }
    if let Some(origin) = request.origin {
        if !origin_verified(origin, request, config) {
            return Err(Reason::BadOrigin(origin.to_owned()));
        }
    } else if request.is_secure {
        check_referer(request, config)?;
    }
    check_token(&request.method.to_uppercase(), request, config)
}

/// `_check_token`, with the method already upper-cased.
fn check_token(method: &str, request: &CsrfRequest<'_>, config: &CsrfConfig) -> Result<(), Reason> {
    let secret = match request.cookie {
        Some(cookie) => secret_from_cookie(cookie).map_err(Reason::BadCookie)?,
        None => return Err(Reason::NoCookie),
    };
    let form_token = if method == "POST" {
        request.form_token.unwrap_or_default()
    } else {
        ""
    };
    // A non-empty form token wins even when wrong; an empty one falls back to the header.
    let (token, token_source) = if form_token.is_empty() {
        let token = request.header_token.ok_or(Reason::TokenMissing)?;
        (
            token,
            TokenSource::Header(header_label(&config.header_name)),
        )
    } else {
        (form_token, TokenSource::Post)
    };
    if let Err(error) = check_token_format(token) {
        return Err(Reason::BadToken {
            token_source,
            error,
        });
    }
    if does_token_match(token, &secret) {
        Ok(())
    } else {
        Err(Reason::IncorrectToken { token_source })
    }
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
mod tests {
    use super::*;
    use crate::django::csrf::token::*;

    const SECRET: &str = "abcdefghijklmnopqrstuvwxyzABCDEF";
    const MASKED: &str = "0123456789ABCDEFGHIJKLMNOPQRSTUV02468acegiKMOQSUWY02468acegikmoq";

    fn config() -> CsrfConfig {
        CsrfConfig {
            allowed_hosts: vec!["testserver".into()],
            ..CsrfConfig::default()
        }
    }

    fn post<'a>() -> CsrfRequest<'a> {
        CsrfRequest {
            method: "POST",
            host: Some("testserver"),
            server_port: Some(80),
            cookie: Some(SECRET),
            ..CsrfRequest::default()
        }
    }

    fn secure_post<'a>() -> CsrfRequest<'a> {
        CsrfRequest {
            is_secure: true,
            server_port: Some(443),
            header_token: Some(SECRET),
            ..post()
        }
    }

    fn reason(request: &CsrfRequest<'_>) -> String {
        check(request, &config()).unwrap_err().to_string()
    }

    #[test]
    fn reason_table() {
        assert_eq!(
            reason(&CsrfRequest {
                cookie: None,
                ..post()
            }),
            "CSRF cookie not set."
        );
        assert_eq!(reason(&post()), "CSRF token missing.");
        fn header(token: &str) -> CsrfRequest<'_> {
            CsrfRequest {
                header_token: Some(token),
                ..post()
            }
        }
        assert_eq!(
            reason(&header("abc")),
            "CSRF token from the 'X-Csrftoken' HTTP header has incorrect length."
        );
        assert_eq!(
            reason(&header("")),
            "CSRF token from the 'X-Csrftoken' HTTP header has incorrect length."
        );
        assert_eq!(
            reason(&header(&"!".repeat(32))),
            "CSRF token from the 'X-Csrftoken' HTTP header has invalid characters."
        );
        for wrong in ["a".repeat(32), "a".repeat(64)] {
            assert_eq!(
                reason(&header(&wrong)),
                "CSRF token from the 'X-Csrftoken' HTTP header incorrect."
            );
        }
        fn form(token: &str) -> CsrfRequest<'_> {
            CsrfRequest {
                form_token: Some(token),
                ..post()
            }
        }
        assert_eq!(
            reason(&form(&"b".repeat(64))),
            "CSRF token from POST incorrect."
        );
        assert_eq!(
            reason(&form(&"b".repeat(10))),
            "CSRF token from POST has incorrect length."
        );
        assert_eq!(
            reason(&form(&"!".repeat(64))),
            "CSRF token from POST has invalid characters."
        );
        // A wrong, non-empty form token wins over a correct header.
        assert_eq!(
            reason(&CsrfRequest {
                form_token: Some(&"b".repeat(64)),
                header_token: Some(SECRET),
                ..post()
            }),
            "CSRF token from POST incorrect."
        );
        fn cookie(cookie: &str) -> CsrfRequest<'_> {
            CsrfRequest {
                cookie: Some(cookie),
                header_token: Some(SECRET),
                ..post()
            }
        }
        assert_eq!(
            reason(&cookie("short")),
            "CSRF cookie has incorrect length."
        );
        assert_eq!(reason(&cookie("")), "CSRF cookie has incorrect length.");
        assert_eq!(
            reason(&cookie(&"!".repeat(32))),
            "CSRF cookie has invalid characters."
        );
        fn origin(origin: &str) -> CsrfRequest<'_> {
            CsrfRequest {
                origin: Some(origin),
                header_token: Some(SECRET),
                ..post()
            }
        }
        assert_eq!(
            reason(&origin("http://evil.com")),
            "Origin checking failed - http://evil.com does not match any trusted origins."
        );
        assert_eq!(
            reason(&origin("null")),
            "Origin checking failed - null does not match any trusted origins."
        );
        assert_eq!(
            reason(&CsrfRequest {
                origin: Some("http://testserver"),
                ..secure_post()
            }),
            "Origin checking failed - http://testserver does not match any trusted origins."
        );
        assert_eq!(
            reason(&secure_post()),
            "Referer checking failed - no Referer."
        );
        fn referer(referer: &str) -> CsrfRequest<'_> {
            CsrfRequest {
                referer: Some(referer),
                ..secure_post()
            }
        }
        assert_eq!(
            reason(&referer("http://testserver/")),
            "Referer checking failed - Referer is insecure while host is secure."
        );
        for malformed in [
            "https://",
            "not a url",
            "",
            "https://[::1/",
            "//testserver/",
        ] {
            assert_eq!(
                reason(&referer(malformed)),
                "Referer checking failed - Referer is malformed.",
                "{malformed}"
            );
        }
        assert_eq!(
            reason(&referer("https://evil.com/path?q=1")),
            "Referer checking failed - https://evil.com/path?q=1 does not match any trusted origins."
        );
    }

    #[test]
    fn accepted_requests() {
        let cfg = config();
        let ok = |request: CsrfRequest<'_>| check(&request, &cfg);
        let token = mask_cipher_secret(SECRET).unwrap();
        assert_eq!(
            ok(CsrfRequest {
                header_token: Some(SECRET),
                ..post()
            }),
            Ok(())
        );
        assert_eq!(
            ok(CsrfRequest {
                header_token: Some(&token),
                ..post()
            }),
            Ok(())
        );
        assert_eq!(
            ok(CsrfRequest {
                form_token: Some(&token),
                ..post()
            }),
            Ok(())
        );
        // An empty form field falls back to the header.
        assert_eq!(
            ok(CsrfRequest {
                form_token: Some(""),
                header_token: Some(&token),
                ..post()
            }),
            Ok(())
        );
        // The form field only counts for POST.
        assert_eq!(
            check(
                &CsrfRequest {
                    method: "PUT",
                    form_token: Some(&token),
                    ..post()
                },
                &cfg
            )
            .unwrap_err(),
            Reason::TokenMissing
        );
        assert_eq!(
            ok(CsrfRequest {
                origin: Some("http://testserver"),
                header_token: Some(SECRET),
                ..post()
            }),
            Ok(())
        );
        assert_eq!(
            ok(CsrfRequest {
                referer: Some("https://testserver/page"),
                ..secure_post()
            }),
            Ok(())
        );
        assert_eq!(
            ok(CsrfRequest {
                origin: Some("https://testserver"),
                ..secure_post()
            }),
            Ok(())
        );
        // Legacy (Django < 4.0) cookie holding a masked token, and that same token presented.
        assert_eq!(
            ok(CsrfRequest {
                cookie: Some(&token),
                form_token: Some(&token),
                ..post()
            }),
            Ok(())
        );
        for method in ["GET", "HEAD", "OPTIONS", "TRACE", "get"] {
            assert_eq!(
                ok(CsrfRequest {
                    method,
                    ..CsrfRequest::default()
                }),
                Ok(())
            );
        }
        // Plain HTTP without Origin skips the Referer check.
        assert_eq!(
            ok(CsrfRequest {
                referer: Some("https://evil.com/"),
                header_token: Some(SECRET),
                ..post()
            }),
            Ok(())
        );
    }

    #[test]
    fn trusted_origins() {
        let cfg = CsrfConfig {
            trusted_origins: vec![
                "https://app.example.com".into(),
                "https://*.example.org".into(),
                "http://*.EXAMPLE.net:8000".into(),
            ],
            ..config()
        };
        let with_origin = |origin| CsrfRequest {
            origin: Some(origin),
            ..secure_post()
        };
        for origin in [
            "https://app.example.com",
            "https://example.org",
            "https://a.b.example.org",
            "http://x.example.net:8000",
            // Only the pattern is lower-cased, but a suffix match ignores the host's case.
            "https://X.example.org",
        ] {
            assert_eq!(check(&with_origin(origin), &cfg), Ok(()), "{origin}");
        }
        for origin in [
            "https://App.example.com",
            "https://app.example.com/",
            "http://a.example.org",
            "https://example.org:444",
            "https://badexample.org",
            "http://x.example.net",
        ] {
            assert_eq!(
                check(&with_origin(origin), &cfg),
                Err(Reason::BadOrigin(origin.into())),
                "{origin}"
            );
        }
        let with_referer = |referer| CsrfRequest {
            referer: Some(referer),
            ..secure_post()
        };
        for referer in [
            "https://app.example.com/x",
            "https://sub.example.org/",
            "https://example.org",
            // Referer matching ignores the trusted entry's scheme (only the netloc counts).
            "https://x.example.net:8000/",
        ] {
            assert_eq!(check(&with_referer(referer), &cfg), Ok(()), "{referer}");
        }
        assert_eq!(
            check(&with_referer("https://evil.example.com/"), &cfg)
                .unwrap_err()
                .to_string(),
            "Referer checking failed - https://evil.example.com/ does not match any trusted origins."
        );
    }

    #[test]
    fn referer_details() {
        let with = |referer| CsrfRequest {
            referer: Some(referer),
            ..secure_post()
        };
        // Compared as urlsplit's raw netloc: case, port and userinfo all count.
        for referer in [
            "https://TestServer/",
            "https://testserver:443/",
            "https://u@testserver/",
        ] {
            assert!(matches!(
                check(&with(referer), &config()),
                Err(Reason::BadReferer(_))
            ));
        }
        // The message shows geturl(): scheme lower-cased, empty ? and # dropped, tabs removed.
        assert_eq!(
            check(&with(" HTTPS://Evil.com:8443/a?#"), &config())
                .unwrap_err()
                .to_string(),
            "Referer checking failed - https://Evil.com:8443/a does not match any trusted origins."
        );
        assert_eq!(
            check(&with("https://ev\til.com/x#frag"), &config()).unwrap_err(),
            Reason::BadReferer("https://evil.com/x#frag".into())
        );
        // A host outside ALLOWED_HOSTS has no good referer.
        let disallowed = CsrfRequest {
            host: Some("other.com"),
            referer: Some("https://other.com/"),
            ..secure_post()
        };
        assert!(matches!(
            check(&disallowed, &config()),
            Err(Reason::BadReferer(_))
        ));
        // The cookie domain replaces the host, with the port unless it is 80 or 443.
        let cfg = CsrfConfig {
            cookie_domain: Some(".example.com".into()),
            ..config()
        };
        let sub = |port| CsrfRequest {
            referer: Some("https://www.example.com/"),
            server_port: port,
            ..secure_post()
        };
        assert_eq!(check(&sub(Some(443)), &cfg), Ok(()));
        assert_eq!(check(&sub(None), &cfg), Ok(()));
        assert!(check(&sub(Some(8443)), &cfg).is_err());
        let sub_port = CsrfRequest {
            referer: Some("https://www.example.com:8443/"),
            server_port: Some(8443),
            ..secure_post()
        };
        assert_eq!(check(&sub_port, &cfg), Ok(()));
        // With a cookie domain, the request's own host is no longer enough.
        let own = CsrfRequest {
            referer: Some("https://testserver/"),
            ..secure_post()
        };
        assert!(check(&own, &cfg).is_err());
    }

    #[test]
    fn origin_needs_allowed_host() {
        let request = CsrfRequest {
            host: Some("evil.com"),
            origin: Some("http://evil.com"),
            header_token: Some(SECRET),
            ..post()
        };
        assert_eq!(
            check(&request, &config()),
            Err(Reason::BadOrigin("http://evil.com".into()))
        );
        let star = CsrfConfig {
            allowed_hosts: vec!["*".into()],
            ..config()
        };
        assert_eq!(check(&request, &star), Ok(()));
        // The host is compared as sent, port included.
        let port = CsrfRequest {
            host: Some("testserver:8000"),
            origin: Some("http://testserver:8000"),
            ..request
        };
        assert_eq!(check(&port, &config()), Ok(()));
        let no_port = CsrfRequest {
            origin: Some("http://testserver"),
            ..port
        };
        assert!(check(&no_port, &config()).is_err());
        let empty = CsrfRequest {
            origin: Some(""),
            ..port
        };
        assert_eq!(
            check(&empty, &config()).unwrap_err().to_string(),
            "Origin checking failed -  does not match any trusted origins."
        );
    }

    #[test]
    fn debug_redacts_secrets() {
        let request = CsrfRequest {
            form_token: Some(MASKED),
            header_token: Some("headersecret"),
            ..post()
        };
        let debug = format!("{request:?}");
        assert!(!debug.contains(SECRET));
        assert!(!debug.contains(MASKED));
        assert!(!debug.contains("headersecret"));
        assert!(debug.contains("<redacted>"));
    }

    #[test]
    fn header_labels_and_a_custom_header_name() {
        assert_eq!(header_label("HTTP_X_CSRFTOKEN"), "'X-Csrftoken'");
        assert_eq!(header_label("WEIRD"), "None");
        assert_eq!(header_label("HTTP_IT'S"), "\"It'S\"");
        let cfg = CsrfConfig {
            header_name: "HTTP_X_XSRF_TOKEN".into(),
            ..config()
        };
        let request = CsrfRequest {
            header_token: Some("abc"),
            ..post()
        };
        assert_eq!(
            check(&request, &cfg).unwrap_err().to_string(),
            "CSRF token from the 'X-Xsrf-Token' HTTP header has incorrect length."
        );
    }
}
