//! Django's `django.core.signing` (and the pieces of `django.utils.crypto` it needs), byte for
//! byte: `salted_hmac` with SHA-256, base62 timestamps, `Signer`/`TimestampSigner` with the `:`
//! separator and `SECRET_KEY_FALLBACKS`, and `dumps`/`loads` with Django's `JSONSerializer` and
//! optional zlib compression.
//!
//! Values signed here verify in Django and vice versa, as long as both sides use the same
//! `SECRET_KEY` (and fallbacks) and salt.
//!
//! Known, deliberate differences from Django, none of which affects values either side writes:
//! - `loads` parses JSON with `serde_json`, which rejects what Python's `json` also accepts
//!   (`NaN`/`Infinity`, lone `\ud800`-style surrogates, nesting deeper than 128), reads integers
//!   beyond 64 bits as floats, and without serde_json's `float_roundtrip` feature may round a
//!   float's last bit differently.
//! - Python's lenient base64 decoder silently skips characters outside the alphabet; here they
//!   are an error. Only a forged (and so unverifiable) value could contain them.
//! - Timestamps are unsigned 64-bit: Django's negative base62 timestamps (which only a clock
//!   before 1970 could produce) are refused.
//! - A presented signature with non-ASCII characters makes Python's `compare_digest` raise
//!   `TypeError` rather than `BadSignature`; here it is [`BadSignature::Mismatch`], so a
//!   session store would log it as corrupted where Django silently drops it.
//! - Ages are whole seconds: Django compares `time.time()` (a float) with `max_age`, so a value
//!   exactly `max_age` seconds old plus a fraction expires there but not here.

use std::fmt;

use base64::Engine as _;
use base64::alphabet::URL_SAFE;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use flate2::Compression;
use hmac::{Hmac, KeyInit as _, Mac as _};
use rand::RngExt as _;
use serde_json::Value;

use crate::compat::python::json::dumps::dumps_compact;
use sha2::{Digest as _, Sha256};

/// The separator between a value, its timestamp and its signature.
pub const SEPARATOR: char = ':';

/// Digits of Django's base62 encoding, most significant first.
pub const BASE62_ALPHABET: &str = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// `Signer`'s default salt (`"%s.%s" % (module, class name)`).
pub const SIGNER_SALT: &str = "django.core.signing.Signer";

/// `TimestampSigner`'s default salt.
pub const TIMESTAMP_SIGNER_SALT: &str = "django.core.signing.TimestampSigner";

/// The default salt of `django.core.signing.dumps` and `loads`.
pub const DUMPS_SALT: &str = "django.core.signing";

/// The largest decompressed payload [`loads`] accepts. Django has no limit; a compressed value
/// is signed, so only a holder of the secret key could make a zip bomb, but a cap keeps a
/// leaked key from becoming a memory exhaustion bug too.
pub const MAX_DECOMPRESSED_LEN: usize = 1 << 20;

/// Python's `zlib.compress` default level.
const ZLIB_LEVEL: u32 = 6;

/// Python's `base64.urlsafe_b64decode` after Django re-pads: padding is optional and stray low
/// bits in the last character are ignored, as binascii does.
const PYTHON_URLSAFE_B64: GeneralPurpose = GeneralPurpose::new(
    &URL_SAFE,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// A signature that is missing, does not verify with any key, or has expired
/// (`django.core.signing.BadSignature` and its subclass `SignatureExpired`).
///
/// The messages are Django's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BadSignature {
    /// The signed value has no `:`.
    #[error("No \":\" found in value")]
    NoSeparator,
    /// The presented signature matches neither the key nor any fallback key. It carries the
    /// presented signature (as Django's message does); that is the client's, never one of ours.
    #[error("Signature \"{0}\" does not match")]
    Mismatch(String),
    /// `SignatureExpired`: the timestamp is more than `max_age` seconds old.
    #[error("Signature age {age} > {max_age} seconds")]
    Expired {
        /// Seconds since the value was signed.
        age: u64,
        /// The largest age accepted.
        max_age: u64,
    },
}

/// Why [`loads`] (or [`Signer::unsign_with_timestamp`]) refused a value.
#[derive(Debug, thiserror::Error)]
pub enum SigningError {
    /// The signature did not verify or has expired: Django's `BadSignature`.
    #[error(transparent)]
    BadSignature(#[from] BadSignature),
    /// The signed part does not end in a valid base62 timestamp (a `ValueError` in Django).
    #[error("invalid timestamp in signed value")]
    Timestamp,
    /// The payload is not valid URL-safe base64.
    #[error("invalid base64 payload")]
    Base64,
    /// The payload is not a complete, valid zlib stream.
    #[error("invalid zlib payload")]
    Decompress,
    /// The payload decompresses to more than [`MAX_DECOMPRESSED_LEN`] bytes.
    #[error("decompressed payload exceeds {MAX_DECOMPRESSED_LEN} bytes")]
    TooLarge,
    /// The payload is not JSON.
    #[error("invalid JSON payload: {0}")]
    Json(#[source] serde_json::Error),
}

impl SigningError {
    /// Whether Django would have raised `BadSignature` (which callers such as the session
    /// store log as suspicious) rather than some other decoding error.
    pub const fn is_bad_signature(&self) -> bool {
        matches!(self, Self::BadSignature(_))
    }
}

/// Django's `salted_hmac(key_salt, value, secret, algorithm="sha256").digest()`: HMAC-SHA256
/// of `value` keyed with `SHA256(key_salt + secret)`.
pub fn salted_hmac(key_salt: &str, value: &[u8], secret: &str) -> [u8; 32] {
    let derived: [u8; 32] = Sha256::new()
        .chain_update(key_salt.as_bytes())
        .chain_update(secret.as_bytes())
        .finalize()
        .into();
    // HMAC zero-pads keys shorter than the block, so this is exactly HMAC keyed with the
    // 32-byte digest, built without the fallible `new_from_slice`.
    let mut key = [0_u8; 64];
    for (slot, byte) in key.iter_mut().zip(derived) {
        *slot = byte;
    }
    let mut mac = Hmac::<Sha256>::new(&key.into());
    mac.update(value);
    mac.finalize().into_bytes().into()
}

/// Django's `get_random_string(length, allowed_chars)`: `length` characters drawn uniformly
/// from `allowed_chars` by a cryptographically secure generator (rand's thread-local ChaCha,
/// seeded from the OS). An empty alphabet gives an empty string.
pub fn get_random_string(length: usize, allowed_chars: &[u8]) -> String {
    if allowed_chars.is_empty() {
        return String::new();
    }
    let mut rng = rand::rng();
    (0..length)
        .filter_map(|_| allowed_chars.get(rng.random_range(0..allowed_chars.len())))
        .map(|&byte| char::from(byte))
        .collect()
}

/// Django's `b62_encode` for a non-negative integer: most significant digit first, `0` → `"0"`.
pub fn b62_encode(mut value: u64) -> String {
    let digits = BASE62_ALPHABET.as_bytes();
    let mut out: Vec<u8> = Vec::new();
    loop {
        let digit = usize::try_from(value % 62).ok().and_then(|i| digits.get(i));
        out.extend(digit.copied());
        value /= 62;
        if value == 0 {
            break;
        }
    }
    out.reverse();
    out.into_iter().map(char::from).collect()
}

/// Django's `b62_decode`, restricted to what fits a `u64`.
///
/// Like Django, `"-"` and `"-0"` decode to 0 and an empty string fails; other negative numbers
/// and values above `u64::MAX` are `None`.
pub fn b62_decode(encoded: &str) -> Option<u64> {
    let (negative, digits) = match encoded.strip_prefix('-') {
        Some(rest) => (true, rest),
        None if encoded.is_empty() => return None,
        None => (false, encoded),
    };
    let mut value: u64 = 0;
    for ch in digits.chars() {
        let digit = BASE62_ALPHABET.find(ch)?;
        value = value
            .checked_mul(62)?
            .checked_add(u64::try_from(digit).ok()?)?;
    }
    (!negative || value == 0).then_some(value)
}

/// Django's `b64_encode`: URL-safe base64 without padding.
pub fn b64_encode(data: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(data)
}

/// Django's `b64_decode`: re-pad, then decode URL-safe base64 as Python's lenient
/// `urlsafe_b64decode` does (which also takes the standard alphabet's `+` and `/`).
pub fn b64_decode(encoded: &str) -> Option<Vec<u8>> {
    // Mapped byte by byte (any byte outside the alphabet fails the decode either way): mapping
    // `char`s into a new `String` cost 5,000 instructions of a session request (callgrind).
    let mut padded = Vec::with_capacity(encoded.len() + 3);
    padded.extend(encoded.bytes().map(|byte| match byte {
        b'+' => b'-',
        b'/' => b'_',
        other => other,
    }));
    let pad = (4 - padded.len() % 4) % 4;
    padded.extend(std::iter::repeat_n(b'=', pad));
    PYTHON_URLSAFE_B64.decode(padded).ok()
}

/// Django's `JSONSerializer.loads`: decode the bytes as Latin-1 (so every byte is one
/// character, as in Django), then parse JSON.
pub fn json_loads(data: &[u8]) -> Result<Value, serde_json::Error> {
    if data.is_ascii() {
        // ASCII is the same text in Latin-1 and UTF-8: parsed in place.
        return serde_json::from_slice(data);
    }
    let text: String = data.iter().map(|&byte| char::from(byte)).collect();
    serde_json::from_str(&text)
}

/// Python's `zlib.compress(data)` (level 6). `None` only if the encoder fails, which writing to
/// memory does not; callers then keep the data uncompressed, as compression is optional.
fn zlib_compress(data: &[u8]) -> Option<Vec<u8>> {
    use std::io::Write as _;
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), Compression::new(ZLIB_LEVEL));
    encoder.write_all(data).ok()?;
    encoder.finish().ok()
}

/// Python's `zlib.decompress(data)`: one complete zlib stream (trailing bytes after it are
/// ignored, as Python does; a truncated stream or a wrong Adler-32 is an error), its output capped
/// at `limit` bytes.
///
/// Inflated with miniz_oxide's core decoder writing straight into the output (its non-wrapping
/// mode), not flate2's streaming `Decompress`: the streaming decoder has to clear its 32 KiB
/// window on every reset, which was 33,000 of a session request's 208,000 instructions
/// (callgrind) for a payload of about 130 bytes. flate2 does not expose this mode.
fn zlib_decompress(data: &[u8], limit: usize) -> Result<Vec<u8>, SigningError> {
    use miniz_oxide::inflate::TINFLStatus;
    use miniz_oxide::inflate::core::{DecompressorOxide, decompress, inflate_flags};
    thread_local! {
        // The decoder's state is 11 KiB of tables: each thread keeps one and re-initialises it
        // (`init` sets the start state; the tables are rebuilt from each block's header).
        static DECODER: std::cell::RefCell<Option<Box<DecompressorOxide>>> =
            const { std::cell::RefCell::new(None) };
    }
    const FLAGS: u32 = inflate_flags::TINFL_FLAG_PARSE_ZLIB_HEADER
        | inflate_flags::TINFL_FLAG_COMPUTE_ADLER32
        | inflate_flags::TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF;
    let mut decoder = DECODER
        .with(|cell| cell.try_borrow_mut().ok().and_then(|mut kept| kept.take()))
        .unwrap_or_default();
    decoder.init();
    // Sized for the payload first (sessions inflate a few hundred bytes), then doubled; never
    // past the limit.
    let mut out = vec![
        0;
        data.len()
            .saturating_mul(4)
            .clamp(256, 64 * 1024)
            .min(limit)
    ];
    let mut input = data;
    let mut written = 0;
    let result = loop {
        let (status, consumed, produced) =
            decompress(&mut decoder, input, &mut out, written, FLAGS);
        written += produced;
        match status {
            TINFLStatus::Done => {
                out.truncate(written);
                break Ok(out);
            }
            TINFLStatus::HasMoreOutput => {
                if out.len() >= limit {
                    break Err(SigningError::TooLarge);
                }
                input = input.get(consumed..).unwrap_or_default();
                let grown = out.len().saturating_mul(2).max(out.len() + 1).min(limit);
                out.resize(grown, 0);
            }
            // Truncated input (`FailedCannotMakeProgress`), a bad header, block or checksum.
            _ => break Err(SigningError::Decompress),
        }
    };
    DECODER.with(|cell| {
        if let Ok(mut kept) = cell.try_borrow_mut() {
            *kept = Some(decoder);
        }
    });
    result
}

/// Django's `Signer` and `TimestampSigner` (SHA-256, `:` separator) over borrowed keys.
///
/// Django substitutes the class name for an empty salt; here the salt is used exactly as
/// given, so pass [`SIGNER_SALT`] or [`TIMESTAMP_SIGNER_SALT`] for Django's defaults.
#[derive(Clone, Copy)]
pub struct Signer<'a> {
    key: &'a str,
    fallback_keys: &'a [&'a str],
    salt: &'a str,
}

impl fmt::Debug for Signer<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signer")
            .field("key", &"<redacted>")
            .field("fallback_keys", &self.fallback_keys.len())
            .field("salt", &self.salt)
            .finish()
    }
}

impl<'a> Signer<'a> {
    /// A signer with `SECRET_KEY` as `key`, `SECRET_KEY_FALLBACKS` as `fallback_keys` (tried
    /// in order when verifying) and the given salt.
    pub const fn new(key: &'a str, fallback_keys: &'a [&'a str], salt: &'a str) -> Self {
        Self {
            key,
            fallback_keys,
            salt,
        }
    }

    /// Django's `Signer.signature(value)`: unpadded URL-safe base64 (43 characters) of
    /// `salted_hmac(salt + "signer", value, key)`.
    pub fn signature(&self, value: &str) -> String {
        self.signature_with(value, self.key)
    }

    fn signature_with(&self, value: &str, key: &str) -> String {
        let key_salt = format!("{}signer", self.salt);
        b64_encode(&salted_hmac(&key_salt, value.as_bytes(), key))
    }

    /// Django's `Signer.sign(value)`: `"value:signature"`.
    pub fn sign(&self, value: &str) -> String {
        format!("{value}{SEPARATOR}{}", self.signature(value))
    }

    /// Django's `Signer.unsign(signed_value)`: split at the last `:` and accept the value if
    /// the signature equals (in constant time) the one computed with the key or, failing
    /// that, with any fallback key.
    pub fn unsign(&self, signed: &str) -> Result<String, BadSignature> {
        let (value, signature) = signed
            .rsplit_once(SEPARATOR)
            .ok_or(BadSignature::NoSeparator)?;
        let verifies = |key: &str| {
            let expected = self.signature_with(value, key);
            super::crypto::constant_time_compare(signature, &expected)
        };
        if std::iter::once(self.key)
            .chain(self.fallback_keys.iter().copied())
            .any(verifies)
        {
            Ok(value.to_owned())
        } else {
            Err(BadSignature::Mismatch(signature.to_owned()))
        }
    }

    /// `TimestampSigner.sign(value)` at `now_secs` (Unix seconds): `"value:ts:signature"` with
    /// `ts` the base62 timestamp.
    pub fn sign_with_timestamp(&self, value: &str, now_secs: u64) -> String {
        self.sign(&format!("{value}{SEPARATOR}{}", b62_encode(now_secs)))
    }

    /// `TimestampSigner.unsign(value, max_age)` at `now_secs`: the value and the Unix time it
    /// was signed at. With `max_age`, a value signed more than `max_age` seconds before
    /// `now_secs` is [`BadSignature::Expired`]; sessions pass `None`.
    pub fn unsign_with_timestamp(
        &self,
        signed: &str,
        max_age: Option<u64>,
        now_secs: u64,
    ) -> Result<(String, u64), SigningError> {
        let unsigned = self.unsign(signed)?;
        let (value, timestamp) = unsigned
            .rsplit_once(SEPARATOR)
            .ok_or(SigningError::Timestamp)?;
        let timestamp = b62_decode(timestamp).ok_or(SigningError::Timestamp)?;
        if let Some(max_age) = max_age {
            // A timestamp in the future has a negative age in Django and never expires.
            let age = now_secs.saturating_sub(timestamp);
            if age > max_age {
                return Err(BadSignature::Expired { age, max_age }.into());
            }
        }
        Ok((value.to_owned(), timestamp))
    }

    /// `TimestampSigner.sign_object(obj, JSONSerializer, compress)` at `now_secs`.
    pub fn sign_object(&self, value: &Value, compress: bool, now_secs: u64) -> String {
        let data = dumps_compact(value).into_bytes();
        let compressed = if compress {
            // Django keeps the compressed form only if it saves at least two bytes.
            zlib_compress(&data).filter(|c| c.len() < data.len().saturating_sub(1))
        } else {
            None
        };
        let encoded = match compressed {
            Some(compressed) => format!(".{}", b64_encode(&compressed)),
            None => b64_encode(&data),
        };
        self.sign_with_timestamp(&encoded, now_secs)
    }

    /// `TimestampSigner.unsign_object(signed, JSONSerializer, max_age)` at `now_secs`.
    pub fn unsign_object(
        &self,
        signed: &str,
        max_age: Option<u64>,
        now_secs: u64,
    ) -> Result<Value, SigningError> {
        let (encoded, _) = self.unsign_with_timestamp(signed, max_age, now_secs)?;
        let (compressed, encoded) = match encoded.strip_prefix('.') {
            Some(rest) => (true, rest),
            None => (false, encoded.as_str()),
        };
        let mut data = b64_decode(encoded).ok_or(SigningError::Base64)?;
        if compressed {
            data = zlib_decompress(&data, MAX_DECOMPRESSED_LEN)?;
        }
        json_loads(&data).map_err(SigningError::Json)
    }
}

/// Django's `signing.dumps(value, key=secret, salt=salt, compress=compress)` at `now_secs`
/// (Unix seconds): `base64(json)[:ts]:signature`, the base64 prefixed with `.` when zlib
/// compression was asked for and saves space. An empty salt means Django's default for an
/// empty salt, [`TIMESTAMP_SIGNER_SALT`]; [`DUMPS_SALT`] is the default of the Python function.
///
/// Compressed output is valid zlib that Django decodes, but with flate2's default (miniz_oxide)
/// backend not always the bytes CPython's zlib produces, so a borderline payload may also end
/// up uncompressed where Django compresses it. flate2's `zlib` backend (C zlib) reproduces
/// CPython's bytes exactly.
pub fn dumps(value: &Value, secret: &str, salt: &str, compress: bool, now_secs: u64) -> String {
    Signer::new(secret, &[], effective_salt(salt)).sign_object(value, compress, now_secs)
}

/// Django's `signing.loads(signed, key=secret, fallback_keys=fallbacks, salt=salt,
/// max_age=max_age)` at `now_secs`: verify with the key, then the fallbacks, check the age,
/// decode base64, decompress (at most [`MAX_DECOMPRESSED_LEN`] bytes) and parse the JSON.
pub fn loads(
    signed: &str,
    secret: &str,
    fallbacks: &[&str],
    salt: &str,
    max_age: Option<u64>,
    now_secs: u64,
) -> Result<Value, SigningError> {
    Signer::new(secret, fallbacks, effective_salt(salt)).unsign_object(signed, max_age, now_secs)
}

/// `Signer.__init__`'s `salt or default`.
fn effective_salt(salt: &str) -> &str {
    if salt.is_empty() {
        TIMESTAMP_SIGNER_SALT
    } else {
        salt
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
    use serde_json::json;

    const SECRET: &str = "not very secret in tests";
    const T: u64 = 1_700_000_000;

    #[test]
    fn base62_vectors() {
        assert_eq!(b62_encode(T), "1r31eq");
        assert_eq!(b62_encode(0), "0");
        assert_eq!(b62_encode(61), "z");
        assert_eq!(b62_encode(62), "10");
        assert_eq!(b62_encode(u64::MAX), "LygHa16AHYF");
        assert_eq!(b62_decode("1r31eq"), Some(T));
        assert_eq!(b62_decode("0"), Some(0));
        assert_eq!(b62_decode("00z"), Some(61));
        assert_eq!(b62_decode("LygHa16AHYF"), Some(u64::MAX));
        assert_eq!(b62_decode("LygHa16AHYG"), None);
        assert_eq!(b62_decode("zzzzzzzzzzzzzzzzzzzzzzzz"), None);
        assert_eq!(b62_decode(""), None);
        assert_eq!(b62_decode("-"), Some(0));
        assert_eq!(b62_decode("-0"), Some(0));
        assert_eq!(b62_decode("-1"), None);
        assert_eq!(b62_decode("1r3!"), None);
        assert_eq!(b62_decode("é"), None);
        for n in [1, 7, 62, 3843, 3844, T, u64::MAX - 1] {
            assert_eq!(b62_decode(&b62_encode(n)), Some(n));
        }
    }

    #[test]
    fn dumps_vector() {
        let signed = dumps(&json!({"a": 1}), SECRET, DUMPS_SALT, false, T);
        assert_eq!(
            signed,
            "eyJhIjoxfQ:1r31eq:VPdIagGFvLW36CdQD1WdbhEdfknEp_Ejah1FolrkqmE"
        );
        let loaded = loads(&signed, SECRET, &[], DUMPS_SALT, None, T).unwrap();
        assert_eq!(loaded, json!({"a": 1}));
        // dumps({"a": 1}, salt=""): Signer falls back to the class default salt.
        let empty_salt = "eyJhIjoxfQ:1r31eq:9oubqEGfkALdp3Uyr2y5ltGGdZAMHQKY0okvLRSsyPI";
        assert_eq!(dumps(&json!({"a": 1}), SECRET, "", false, T), empty_salt);
        assert_eq!(
            dumps(&json!({"a": 1}), SECRET, TIMESTAMP_SIGNER_SALT, false, T),
            empty_salt
        );
        assert_eq!(
            loads(empty_salt, SECRET, &[], "", None, T).unwrap(),
            json!({"a": 1})
        );
    }

    #[test]
    fn signer_round_trip_and_errors() {
        let signer = Signer::new(SECRET, &[], SIGNER_SALT);
        let signed = signer.sign("hello");
        let (value, signature) = signed.rsplit_once(':').unwrap();
        assert_eq!(value, "hello");
        assert_eq!(signature.len(), 43);
        assert_eq!(signer.unsign(&signed).unwrap(), "hello");
        assert_eq!(
            signer.unsign("hello:a:b").unwrap_err().to_string(),
            "Signature \"b\" does not match"
        );
        assert_eq!(
            signer.unsign("hello").unwrap_err().to_string(),
            "No \":\" found in value"
        );
        // The value may itself contain the separator; the signature is after the last one.
        let nested = signer.sign("a:b:c");
        assert_eq!(signer.unsign(&nested).unwrap(), "a:b:c");
        // Another salt does not verify.
        let other = Signer::new(SECRET, &[], "other");
        assert!(matches!(
            other.unsign(&signed),
            Err(BadSignature::Mismatch(_))
        ));
    }

    #[test]
    fn fallback_keys_verify() {
        let old = Signer::new("old key", &[], SIGNER_SALT);
        let signed = old.sign("v");
        let fallbacks = ["unrelated", "old key"];
        let rotated = Signer::new("new key", &fallbacks, SIGNER_SALT);
        assert_eq!(rotated.unsign(&signed).unwrap(), "v");
        let without = Signer::new("new key", &[], SIGNER_SALT);
        assert!(without.unsign(&signed).is_err());
        assert_eq!(
            loads(
                &dumps(&json!([1]), "old key", DUMPS_SALT, false, T),
                "new key",
                &["old key"],
                DUMPS_SALT,
                None,
                T
            )
            .unwrap(),
            json!([1])
        );
    }

    #[test]
    fn debug_redacts_keys() {
        let fallbacks = ["fallback secret"];
        let signer = Signer::new("super secret", &fallbacks, SIGNER_SALT);
        let debug = format!("{signer:?}");
        assert!(!debug.contains("secret\""), "{debug}");
        assert!(!debug.contains("super"));
        assert!(!debug.contains("fallback secret"));
    }

    #[test]
    fn timestamps_and_max_age() {
        let signer = Signer::new(SECRET, &[], TIMESTAMP_SIGNER_SALT);
        let signed = signer.sign_with_timestamp("v", T);
        assert!(signed.starts_with("v:1r31eq:"));
        assert_eq!(
            signer.unsign_with_timestamp(&signed, None, T + 10).unwrap(),
            ("v".to_owned(), T)
        );
        assert!(
            signer
                .unsign_with_timestamp(&signed, Some(10), T + 10)
                .is_ok()
        );
        let err = signer
            .unsign_with_timestamp(&signed, Some(10), T + 11)
            .unwrap_err();
        assert!(err.is_bad_signature());
        assert_eq!(err.to_string(), "Signature age 11 > 10 seconds");
        // Signed in the future: never expired.
        assert!(
            signer
                .unsign_with_timestamp(&signed, Some(0), T - 5)
                .is_ok()
        );
        // A validly signed value without a timestamp is not a bad signature.
        let plain = signer.sign("no timestamp");
        assert!(matches!(
            signer.unsign_with_timestamp(&plain, None, T),
            Err(SigningError::Timestamp)
        ));
    }

    #[test]
    fn salted_hmac_matches_django() {
        // salted_hmac("salt", b"value", "secret", algorithm="sha256").hexdigest()
        assert_eq!(
            hex::encode(salted_hmac("salt", b"value", "secret")),
            "debaddcd9ecbaab181289870baf8af49b0af0a7050d620d1a63f1e69bd87ceb8"
        );
    }

    #[test]
    fn django_made_vectors() {
        // Signer().sign("hello") and TimestampSigner().sign("hello") with time.time() = T.
        let signer = Signer::new(SECRET, &[], SIGNER_SALT);
        assert_eq!(
            signer.sign("hello"),
            "hello:hgACdnnkTMnFGMmoCdlUloYCM7aggWhp80W32CgMTDw"
        );
        let timestamp_signer = Signer::new(SECRET, &[], TIMESTAMP_SIGNER_SALT);
        assert_eq!(
            timestamp_signer.sign_with_timestamp("hello", T),
            "hello:1r31eq:az43q6CatrtrX5rAzwEZpz0KLSq_ooyvvI07Ic8FxyM"
        );
        // dumps(["é", "😀", 1.5, 1e16, None, True, {"\x7f": "\u2028"}])
        let value = json!(["é", "😀", 1.5, 1e16, null, true, {"\u{7f}": "\u{2028}"}]);
        let signed = concat!(
            "WyJcdTAwZTkiLCJcdWQ4M2RcdWRlMDAiLDEuNSwxZSsxNixudWxsLHRydWUseyJcdTAwN2YiOiJcdTIwMjgifV0",
            ":1r31eq:zuassbyRcEJ-YToB0O77ldqHkalLvN2oSGYAYl_ClmM"
        );
        assert_eq!(dumps(&value, SECRET, DUMPS_SALT, false, T), signed);
        assert_eq!(
            loads(signed, SECRET, &[], DUMPS_SALT, None, T).unwrap(),
            value
        );
        // dumps({"k": "x" * 500}, compress=True): decodes; zlib bytes may differ.
        let compressed =
            ".eJyrVspWslKqGAUjDijVAgA_G-yG:1r31eq:0jsw8EipWXvvU6NwagAiWJPcW0iVOdQsVPiHzsFIIvc";
        let big = json!({"k": "x".repeat(500)});
        assert_eq!(
            loads(compressed, SECRET, &[], DUMPS_SALT, None, T).unwrap(),
            big
        );
    }

    #[test]
    fn latin1_payloads() {
        // Django's serializer encodes its ASCII output as Latin-1 and decodes bytes as Latin-1.
        let signer = Signer::new(SECRET, &[], DUMPS_SALT);
        let raw = b"\"caf\xe9\"";
        let signed = signer.sign_with_timestamp(&b64_encode(raw), T);
        assert_eq!(
            signer.unsign_object(&signed, None, T).unwrap(),
            json!("café")
        );
    }

    #[test]
    fn compression_round_trip_and_threshold() {
        let big = json!({"k": "x".repeat(500)});
        let signed = dumps(&big, SECRET, DUMPS_SALT, true, T);
        assert!(signed.starts_with('.'));
        assert_eq!(
            loads(&signed, SECRET, &[], DUMPS_SALT, None, T).unwrap(),
            big
        );
        let small = json!({"x": "y"});
        let signed = dumps(&small, SECRET, DUMPS_SALT, true, T);
        assert!(!signed.starts_with('.'));
    }

    #[test]
    fn decode_errors() {
        let signer = Signer::new(SECRET, &[], DUMPS_SALT);
        let load =
            |payload: &str| signer.unsign_object(&signer.sign_with_timestamp(payload, T), None, T);
        assert!(matches!(load("a"), Err(SigningError::Base64)));
        assert!(matches!(load("e!!"), Err(SigningError::Base64)));
        assert!(matches!(load(".eJw"), Err(SigningError::Decompress)));
        assert!(matches!(
            load(&b64_encode(b"{")),
            Err(SigningError::Json(_))
        ));
        // Truncated zlib stream.
        let compressed = zlib_compress(&[b'a'; 1000]).unwrap();
        let truncated = &compressed[..compressed.len() - 3];
        assert!(matches!(
            load(&format!(".{}", b64_encode(truncated))),
            Err(SigningError::Decompress)
        ));
        // A wrong Adler-32 is an error (Python: "incorrect data check"), and the thread's kept
        // decoder answers the next payload correctly after it.
        let mut bad_check = zlib_compress(b"[2]").unwrap();
        if let Some(last) = bad_check.last_mut() {
            *last ^= 1;
        }
        assert!(matches!(
            load(&format!(".{}", b64_encode(&bad_check))),
            Err(SigningError::Decompress)
        ));
        let long = format!("[{}]", "7,".repeat(4000) + "7");
        let compressed = zlib_compress(long.as_bytes()).unwrap();
        assert_eq!(
            load(&format!(".{}", b64_encode(&compressed))).unwrap(),
            serde_json::from_str::<Value>(&long).unwrap()
        );
        // Trailing bytes after the stream are ignored, as Python's zlib.decompress does.
        let mut trailing = zlib_compress(b"[1]").unwrap();
        trailing.extend_from_slice(b"junk");
        assert_eq!(
            load(&format!(".{}", b64_encode(&trailing))).unwrap(),
            json!([1])
        );
        // A zip bomb is refused.
        let bomb = zlib_compress(&vec![b' '; MAX_DECOMPRESSED_LEN + 1]).unwrap();
        assert!(matches!(
            load(&format!(".{}", b64_encode(&bomb))),
            Err(SigningError::TooLarge)
        ));
        let fits = {
            let mut json = vec![b' '; MAX_DECOMPRESSED_LEN - 2];
            json.extend_from_slice(b"[]");
            zlib_compress(&json).unwrap()
        };
        assert_eq!(load(&format!(".{}", b64_encode(&fits))).unwrap(), json!([]));
        // Padding present or absent, standard alphabet characters and stray bits.
        assert_eq!(b64_decode("eyJhIjoxfQ"), Some(br#"{"a":1}"#.to_vec()));
        assert_eq!(b64_decode("eyJhIjoxfQ="), Some(br#"{"a":1}"#.to_vec()));
        assert_eq!(b64_decode("eyJhIjoxfR"), Some(br#"{"a":1}"#.to_vec()));
        assert_eq!(b64_decode("-_+/"), b64_decode("-_-_"));
        assert_eq!(b64_decode("abcde"), None);
    }

    #[test]
    fn random_strings() {
        let s = get_random_string(32, b"ab");
        assert_eq!(s.len(), 32);
        assert!(s.chars().all(|c| c == 'a' || c == 'b'));
        assert_eq!(get_random_string(5, b""), "");
    }
}
