//! DRF's content negotiation for a view whose only renderer is JSON: a request that cannot take
//! `application/json` gets 406 **before** authentication runs, as DRF's `APIView.initial`
//! negotiates first.

/// Whether the `Accept` header (absent = `*/*`) admits `application/json`, by DRF's matching
/// rules: each comma-separated entry is compared on main type and subtype, lower-cased, with `*`
/// as a wildcard; parameters (including `q`) are ignored because the JSON renderer declares none.
/// An empty header matches nothing, as in the reference.
pub fn accepts_json(accept: Option<&[u8]>) -> bool {
    let Some(accept) = accept else {
        return true;
    };
    accept.split(|&byte| byte == b',').any(|entry| {
        let full_type = entry.split(|&byte| byte == b';').next().unwrap_or_default();
        let full_type = full_type.trim_ascii();
        let (main, sub) = match full_type.iter().position(|&byte| byte == b'/') {
            Some(slash) => (&full_type[..slash], &full_type[slash + 1..]),
            None => (full_type, &b""[..]),
        };
        let matches = |part: &[u8], want: &[u8]| part == b"*" || part.eq_ignore_ascii_case(want);
        matches(sub, b"json") && matches(main, b"application")
    })
}

#[cfg(test)]
mod tests {
    use super::accepts_json;

    #[test]
    fn absent_header_or_wildcards_accept_json() {
        assert!(accepts_json(None));
        assert!(accepts_json(Some(b"*/*")));
        assert!(accepts_json(Some(b"application/*")));
        assert!(accepts_json(Some(b"text/html, application/json;q=0.9")));
        assert!(accepts_json(Some(b"Application/JSON; indent=4")));
    }

    #[test]
    fn other_types_and_empty_header_are_not_acceptable() {
        assert!(!accepts_json(Some(b"text/xml")));
        assert!(!accepts_json(Some(b"text/html")));
        assert!(!accepts_json(Some(b"")));
        assert!(!accepts_json(Some(b"application")));
    }
}
