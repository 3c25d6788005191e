//! The lenient base64 decoder of Basic authentication (Python's non-strict `a2b_base64`).
//!
//! The input is decoded as is, and also used as the bytes of a canonical encoding, which must
//! decode back to them.
#![no_main]

use auth_core::compat::python::binascii::a2b_base64;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use libfuzzer_sys::fuzz_target;

fn is_alphabet(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'+' || byte == b'/'
}

fuzz_target!(|data: &[u8]| {
    let decoded = a2b_base64(data);
    assert_eq!(decoded, a2b_base64(data), "decoding is deterministic");

    // Bytes outside the alphabet and `=` are skipped: removing them changes nothing.
    let significant: Vec<u8> = data
        .iter()
        .copied()
        .filter(|&byte| is_alphabet(byte) || byte == b'=')
        .collect();
    assert_eq!(decoded, a2b_base64(&significant));

    let sextets = data.iter().filter(|&&byte| is_alphabet(byte)).count();
    if let Ok(bytes) = &decoded {
        // Never more than 6 bits of output per alphabet character.
        assert!(bytes.len() * 8 <= sextets * 6);
        // Without any `=`, only whole quads decode.
        if !data.contains(&b'=') {
            assert_eq!(sextets % 4, 0);
            assert_eq!(bytes.len(), sextets / 4 * 3);
        }
    }

    // Whatever a strict decoder accepts, the lenient one decodes identically.
    if let Ok(strict) = STANDARD.decode(data) {
        assert_eq!(decoded.as_deref(), Ok(strict.as_slice()));
    }

    // Canonical encodings round-trip, padded, and with junk bytes around them.
    let canonical = STANDARD.encode(data);
    assert_eq!(a2b_base64(canonical.as_bytes()).as_deref(), Ok(data));
    let noisy = format!("!{}\u{ff}", canonical.replace('A', "A-"));
    assert_eq!(a2b_base64(noisy.as_bytes()).as_deref(), Ok(data));
});
