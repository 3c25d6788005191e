//! `_unicode_ci_compare` (`django/contrib/auth/forms.py`, and allauth's copy in its userkit):
//! two email addresses compared as Unicode TR 36 recommends, after NFKC normalization and full
//! case folding (Python's `unicodedata.normalize("NFKC", s).casefold()`).

use unicode_normalization::UnicodeNormalization;

/// Whether `first` and `second` are equal after NFKC and full case folding.
pub fn unicode_ci_compare(first: &str, second: &str) -> bool {
    let fold = |text: &str| caseless::default_case_fold_str(&text.nfkc().collect::<String>());
    fold(first) == fold(second)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_compare_as_pythons_casefold_after_nfkc() {
        assert!(unicode_ci_compare("Alice@Example.com", "alice@example.com"));
        // `casefold()` folds ß to ss, which `lower()` does not.
        assert!(unicode_ci_compare(
            "strasse@example.com",
            "STRAßE@example.com"
        ));
        // NFKC: the ligature ﬁ is fi.
        assert!(unicode_ci_compare("\u{fb01}@example.com", "fi@example.com"));
        assert!(!unicode_ci_compare(
            "alice@example.com",
            "alicia@example.com"
        ));
    }
}
