//! Django's CSRF check as `SessionAuthentication` runs it: token and cookie formats, masking,
//! the constant-time match, and `check` over arbitrary requests (`Origin`, `Referer`, `Host`,
//! cookie, form and header tokens) and settings (trusted origins, allowed hosts, cookie
//! domain, header name).
#![no_main]

use arbitrary::Arbitrary;
use auth_core::django::csrf::{
    self, CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, CSRF_TOKEN_LENGTH, CsrfConfig, CsrfRequest,
    DEFAULT_HEADER_NAME, Reason,
};
use auth_core::django::http::host::{is_same_domain, split_domain_port, validate_host};
use auth_core::django::http::meta::{header_name_to_http, parse_header_name};
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
struct Input<'a> {
    method: Method<'a>,
    origin: Option<&'a str>,
    referer: Option<&'a str>,
    host: Option<&'a str>,
    is_secure: bool,
    server_port: Option<u16>,
    cookie: Option<&'a str>,
    form_token: Option<&'a str>,
    header_token: Option<&'a str>,
    trusted_origins: Vec<&'a str>,
    allowed_hosts: Vec<&'a str>,
    cookie_domain: Option<&'a str>,
    header_name: Option<&'a str>,
    /// Seeds of a well-formed secret and mask, and one character to change in the token.
    secret_seed: [u8; CSRF_SECRET_LENGTH],
    mask_seed: [u8; CSRF_SECRET_LENGTH],
    flip_at: u8,
    flip_by: u8,
    legacy_cookie: bool,
}

#[derive(Debug, Arbitrary)]
enum Method<'a> {
    Post,
    Put,
    Delete,
    Get,
    Other(&'a str),
}

impl<'a> Method<'a> {
    fn as_str(&self) -> &'a str {
        match self {
            Self::Post => "POST",
            Self::Put => "put",
            Self::Delete => "DELETE",
            Self::Get => "GET",
            Self::Other(method) => method,
        }
    }
}

fuzz_target!(|input: Input<'_>| {
    check_arbitrary_request(&input);
    check_masking(&input);
    check_hosts(&input);
});

fn alphanumeric(seed: &[u8; CSRF_SECRET_LENGTH]) -> String {
    let chars = CSRF_ALLOWED_CHARS.as_bytes();
    seed.iter()
        .map(|&byte| char::from(chars[usize::from(byte) % chars.len()]))
        .collect()
}

fn config(input: &Input<'_>) -> CsrfConfig {
    CsrfConfig {
        trusted_origins: input
            .trusted_origins
            .iter()
            .map(|s| (*s).to_owned())
            .collect(),
        allowed_hosts: input
            .allowed_hosts
            .iter()
            .map(|s| (*s).to_owned())
            .collect(),
        cookie_domain: input.cookie_domain.map(str::to_owned),
        header_name: input.header_name.unwrap_or(DEFAULT_HEADER_NAME).to_owned(),
    }
}

fn check_arbitrary_request(input: &Input<'_>) {
    let request = CsrfRequest {
        method: input.method.as_str(),
        origin: input.origin,
        referer: input.referer,
        host: input.host,
        is_secure: input.is_secure,
        server_port: input.server_port,
        cookie: input.cookie,
        form_token: input.form_token,
        header_token: input.header_token,
    };
    let config = config(input);
    let result = csrf::check(&request, &config);
    assert_eq!(result, csrf::check(&request, &config), "deterministic");
    let method = request.method.to_uppercase();
    let safe = matches!(method.as_str(), "GET" | "HEAD" | "OPTIONS" | "TRACE");
    if safe {
        assert_eq!(result, Ok(()));
        return;
    }
    match &result {
        Ok(()) => {
            // Accepted: the cookie holds a secret and the token used unmasks to it.
            let secret = request.cookie.map(csrf::secret_from_cookie);
            let Some(Ok(secret)) = secret else {
                panic!("accepted without a well-formed cookie");
            };
            let form = request
                .form_token
                .filter(|t| method == "POST" && !t.is_empty());
            let token = form.or(request.header_token).unwrap_or_default();
            assert!(csrf::does_token_match(token, &secret));
        }
        Err(Reason::BadOrigin(origin)) => assert_eq!(request.origin, Some(origin.as_str())),
        Err(Reason::NoCookie) => assert!(request.cookie.is_none()),
        Err(Reason::BadCookie(error)) => {
            assert_eq!(
                request.cookie.map(csrf::secret_from_cookie),
                Some(Err(*error))
            );
        }
        Err(_) => {}
    }
    if let Err(reason) = &result {
        let message = reason.to_string();
        // The message never repeats a well-formed cookie or token (the `Origin` and `Referer`
        // it may quote are the client's own headers; a custom header name is the settings').
        let quotes_headers = matches!(reason, Reason::BadOrigin(_) | Reason::BadReferer(_));
        if !quotes_headers && input.header_name.is_none() {
            for secret in [request.cookie, request.form_token, request.header_token]
                .into_iter()
                .flatten()
                .filter(|secret| csrf::check_token_format(secret).is_ok())
            {
                assert!(!message.contains(secret), "{message:?} leaks a secret");
            }
        }
    }
}

fn check_masking(input: &Input<'_>) {
    let secret = alphanumeric(&input.secret_seed);
    let mask = alphanumeric(&input.mask_seed);
    let Some(token) = csrf::mask_secret(&secret, &mask) else {
        panic!("a 32-character alphanumeric secret and mask always mask");
    };
    assert_eq!(token.len(), CSRF_TOKEN_LENGTH);
    assert!(token.starts_with(&mask));
    assert_eq!(
        csrf::unmask_cipher_token(&token).as_deref(),
        Some(secret.as_str())
    );
    assert_eq!(
        csrf::secret_from_cookie(&token).as_deref(),
        Ok(secret.as_str())
    );
    assert!(csrf::does_token_match(&token, &secret));
    assert!(csrf::does_token_match(&secret, &secret));

    // Changing any one character of the token (mask or cipher) changes the secret it hides.
    let chars = CSRF_ALLOWED_CHARS.as_bytes();
    let position = usize::from(input.flip_at) % CSRF_TOKEN_LENGTH;
    let mut tampered = token.clone().into_bytes();
    let index = chars
        .iter()
        .position(|&c| c == tampered[position])
        .unwrap_or(0);
    let shift = 1 + usize::from(input.flip_by) % (chars.len() - 1);
    tampered[position] = chars[(index + shift) % chars.len()];
    let tampered = String::from_utf8(tampered).unwrap_or_default();
    assert!(!csrf::does_token_match(&tampered, &secret));

    // Through the whole check: a same-origin POST with the header token passes, the tampered
    // token fails as incorrect.
    let cookie = if input.legacy_cookie { &token } else { &secret };
    let request = |header_token| CsrfRequest {
        method: "POST",
        cookie: Some(cookie),
        header_token: Some(header_token),
        ..CsrfRequest::default()
    };
    let config = CsrfConfig::default();
    assert_eq!(csrf::check(&request(&token), &config), Ok(()));
    assert!(matches!(
        csrf::check(&request(&tampered), &config),
        Err(Reason::IncorrectToken { .. })
    ));
}

fn check_hosts(input: &Input<'_>) {
    for host in [input.host, input.origin, input.cookie_domain]
        .into_iter()
        .flatten()
    {
        let (domain, port) = split_domain_port(host);
        assert!(port.bytes().all(|b| b.is_ascii_digit()));
        // Django keeps the port of a lone `.` (`".:888"` → `("", "888")`): the trailing dot
        // goes after the match. Any other refused host gives two empty strings.
        if domain.is_empty() && !port.is_empty() {
            assert_eq!(host.to_lowercase(), format!(".:{port}"));
        }
        assert_eq!(domain, domain.to_lowercase());
        assert_eq!(validate_host(host, &["*".to_owned()]), !domain.is_empty());
        assert!(!validate_host(host, &[]));
        for pattern in &input.allowed_hosts {
            let _ = is_same_domain(&domain, pattern);
        }
    }
    if let Some(name) = input.header_name {
        if let Some(header) = header_name_to_http(name) {
            assert!(!header.contains('_'));
        }
        let _ = parse_header_name(name);
    }
}
