//! DRF's `get_authorization_header(request).split()`, shared by Basic, DRF tokens, knox and
//! declared keyword schemes: the header's raw bytes split on Python's `bytes` whitespace.

use crate::compat::python::text::is_bytes_whitespace;

/// The header split into at most three fields: enough to tell "no credentials" (one field),
/// "credentials" (two) and "contains spaces" (three or more) apart without collecting the rest.
///
/// `Debug` shows the scheme but not the credentials.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Fields<'a> {
    /// The scheme keyword (`Basic`, `Token`, …), as sent.
    pub scheme: &'a [u8],
    /// The credentials field, if present.
    pub credentials: Option<&'a [u8]>,
    /// Whether a third field exists.
    pub has_extra: bool,
}

impl std::fmt::Debug for Fields<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fields")
            .field("scheme", &String::from_utf8_lossy(self.scheme))
            .field("credentials", &self.credentials.map(|_| "<redacted>"))
            .field("has_extra", &self.has_extra)
            .finish()
    }
}

impl<'a> Fields<'a> {
    /// Splits the header value; `None` when it has no fields at all (missing or blank header).
    pub fn parse(header: &'a [u8]) -> Option<Self> {
        let mut fields = header
            .split(|&byte| is_bytes_whitespace(byte))
            .filter(|field| !field.is_empty());
        let scheme = fields.next()?;
        let credentials = fields.next();
        let has_extra = fields.next().is_some();
        Some(Self {
            scheme,
            credentials,
            has_extra,
        })
    }

    /// Whether the scheme equals `keyword` under ASCII case folding (only `A`–`Z` fold).
    pub fn scheme_is(&self, keyword: &str) -> bool {
        self.scheme.eq_ignore_ascii_case(keyword.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_on_all_six_ascii_whitespace_bytes_including_vertical_tab() {
        let fields = Fields::parse(b" \x0b Basic\x0c\tabc \r\n").unwrap_or_else(|| unreachable!());
        assert_eq!(fields.scheme, b"Basic");
        assert_eq!(fields.credentials, Some(&b"abc"[..]));
        assert!(!fields.has_extra);
    }

    #[test]
    fn other_control_and_latin1_spaces_are_not_separators() {
        for separator in [0x1C_u8, 0x1F, 0x85, 0xA0] {
            let header = [b"Basic".as_slice(), &[separator], b"abc"].concat();
            let fields = Fields::parse(&header).unwrap_or_else(|| unreachable!());
            assert_eq!(fields.credentials, None, "byte {separator:#x}");
        }
    }

    #[test]
    fn empty_or_blank_header_has_no_fields() {
        assert_eq!(Fields::parse(b""), None);
        assert_eq!(Fields::parse(b" \t "), None);
    }

    #[test]
    fn three_fields_are_reported_as_extra() {
        let fields = Fields::parse(b"Basic foo bar").unwrap_or_else(|| unreachable!());
        assert!(fields.has_extra);
    }

    #[test]
    fn scheme_comparison_folds_only_ascii_letters() {
        let fields = Fields::parse(b"bAsIc x").unwrap_or_else(|| unreachable!());
        assert!(fields.scheme_is("Basic"));
        let fields = Fields::parse("Basİc x".as_bytes()).unwrap_or_else(|| unreachable!());
        assert!(!fields.scheme_is("Basic"));
    }
}
