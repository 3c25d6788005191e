//! Django's `CommonPasswordValidator`, with the list Django ships
//! (`django/contrib/auth/common-passwords.txt.gz`, embedded as is: 20,000 common passwords by
//! Royce Williams, lower-cased and de-duplicated by Django; BSD-licensed with Django).

use std::collections::HashSet;
use std::io::Read;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use super::password_error::PasswordError;
use crate::compat::python::text::python_strip;

/// Django's own list, gzipped.
const DJANGO_LIST: &[u8] = include_bytes!("common-passwords.txt.gz");

/// A set of common passwords, compared after `lower().strip()`.
pub type PasswordList = Arc<HashSet<String>>;

/// Django's list, decompressed once per process on first use.
pub fn django_list() -> PasswordList {
    static LIST: OnceLock<PasswordList> = OnceLock::new();
    Arc::clone(LIST.get_or_init(|| {
        // The embedded file is Django's, checked by the tests: it always decompresses.
        Arc::new(parse(&gunzip(DJANGO_LIST).unwrap_or_default()))
    }))
}

/// `password_list_path`: a gzipped file, or else a plain one (Django tries `gzip.open` first),
/// one password per line, each stripped.
pub fn load(path: &Path) -> std::io::Result<PasswordList> {
    let bytes = std::fs::read(path)?;
    let text = if bytes.starts_with(&GZIP_MAGIC) {
        gunzip(&bytes)?
    } else {
        String::from_utf8(bytes)
            .map_err(|error| std::io::Error::new(std::io::ErrorKind::InvalidData, error))?
    };
    Ok(Arc::new(parse(&text)))
}

/// The first bytes of a gzip file (Python's `gzip.open` refuses a file without them, and Django
/// then reads the file as plain text).
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Every member of a gzip file, as Python's `gzip` reads them, as UTF-8.
fn gunzip(bytes: &[u8]) -> std::io::Result<String> {
    let mut text = String::new();
    flate2::read::MultiGzDecoder::new(bytes).read_to_string(&mut text)?;
    Ok(text)
}

/// `{x.strip() for x in f}` (the empty string included when a line is blank, as in Django).
fn parse(text: &str) -> HashSet<String> {
    text.lines()
        .map(|line| python_strip(line).to_owned())
        .collect()
}

/// Refuses a password whose `lower().strip()` is in `list`.
pub(super) fn validate(password: &str, list: &HashSet<String>) -> Result<(), PasswordError> {
    let lowered = password.to_lowercase();
    if list.contains(python_strip(&lowered)) {
        return Err(PasswordError {
            message: "This password is too common.".to_owned(),
            code: "password_too_common",
        });
    }
    Ok(())
}

/// `get_help_text`.
pub(super) const HELP_TEXT: &str = "Your password can\u{2019}t be a commonly used password.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn djangos_list_is_embedded_whole() {
        let list = django_list();
        // Django 6.1's file: 19,640 lines (the list after Django's de-duplication).
        assert_eq!(list.len(), 19_640);
        for common in ["123456", "password", "qwerty"] {
            assert!(list.contains(common));
        }
    }
}
