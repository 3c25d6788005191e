//! Decoding Django's `django_session.session_data` (spec §7.3, §7.4) with the vectors of the
//! spec's Appendix B.1: the small uncompressed session `{"x":"y"}` and the compressed session of
//! a login, both signed at t=1700000000 with `SECRET_KEY = 'not very secret in tests'`.
//!
//! - `decode/*`: `session_data::decode`, signed value to data dict (verify, base64, zlib, JSON).
//! - `decode/login_fallback_key`: the login signed with a key now in `SECRET_KEY_FALLBACKS`,
//!   so the signature is computed twice, as after a key rotation.
//! - `decode/bad_signature`: a tampered signature, refused after one HMAC.
//! - `unsign/login`: the signature check alone (`TimestampSigner.unsign`), so that
//!   `decode/login` minus it is the cost of base64, zlib and JSON.
//! - `auth_hash/login`: the next step of session authentication on the decoded dict, checking
//!   its `_auth_user_hash` against the user's password column (spec §7.5).
//!
//! Run with `cargo bench -p auth-core --bench session_decode`.

// Set-up failures and wrong results must stop the run rather than be measured.
#![allow(clippy::expect_used)]

use std::hint::black_box;
use std::time::Duration;

use auth_core::django::session_data::{
    self, BACKEND_SESSION_KEY, Corrupted, HASH_SESSION_KEY, HashMatch, MODEL_BACKEND, SESSION_KEY,
    SESSION_STORE_SALT,
};
use auth_core::django::signing::Signer;
use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::json;

const SECRET: &str = "not very secret in tests";

/// Appendix B.1: `{"x":"y"}`, uncompressed.
const PLAIN: &str = "eyJ4IjoieSJ9:1r31eq:pUnTKbHA7ptvM9o6KE9sx4crkYiPRna17PdUy20aHK0";

/// Appendix B.1: the session of a login (171 bytes of JSON, 132 compressed).
const LOGIN: &str = ".eJxVjDsOwjAQBe_iGlmx119Kes5g7fqDA8iW4qRC3B0ipYD2zcx7sYDbWsM28hLmxM5MsNPvRhgfue0g3bHdOo-9rctMfFf4QQe_9pSfl8P9O6g46rf2NlpSziIoQBd1NEo4Ild0EdKBsVMkm4UpHlDbMlHO2gNQkk5KbwR7fwDVYDdX:1r31eq:3HFHuHa4zR3_c0Lwi0H0SzxD-82cChtTEVBfiu4wZ50";

/// Appendix B.1: the password column whose session auth hash the login stores.
const PASSWORD_COLUMN: &str =
    "pbkdf2_sha256$1500000$seasaltseasaltseasalt1$TEMLqAa9eWQjdqgNSOH6EoaemZ2c984hqIsRe4jxPxM=";

const LOGIN_HASH: &str = "97c7b487a343a8c5c6418bb8f5f1283670cb7e16f93a57f0bee5933bd2822961";

fn session_decode(c: &mut Criterion) {
    let mut group = c.benchmark_group("session");
    // Microsecond operations: short runs are enough, and keep the file near ten seconds.
    group
        .sample_size(20)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_millis(800));

    let plain = session_data::decode(PLAIN, SECRET, &[]).expect("the plain vector decodes");
    assert_eq!(serde_json::Value::Object(plain), json!({"x": "y"}));
    group.bench_function("decode/plain", |b| {
        b.iter(|| session_data::decode(black_box(PLAIN), black_box(SECRET), &[]))
    });

    let login = session_data::decode(LOGIN, SECRET, &[]).expect("the login vector decodes");
    assert_eq!(
        serde_json::Value::Object(login.clone()),
        json!({
            SESSION_KEY: "1",
            BACKEND_SESSION_KEY: MODEL_BACKEND,
            HASH_SESSION_KEY: LOGIN_HASH,
        })
    );
    group.bench_function("decode/login", |b| {
        b.iter(|| session_data::decode(black_box(LOGIN), black_box(SECRET), &[]))
    });

    let rotated = ["a key that signed nothing", SECRET];
    let (current, fallbacks) = (rotated[0], &rotated[1..]);
    let decoded = session_data::decode(LOGIN, current, fallbacks).expect("the fallback verifies");
    assert_eq!(decoded, login);
    group.bench_function("decode/login_fallback_key", |b| {
        b.iter(|| session_data::decode(black_box(LOGIN), black_box(current), fallbacks))
    });

    // The last signature character changed: still base64, no longer the signature.
    let tampered = format!("{}A", &LOGIN[..LOGIN.len() - 1]);
    assert!(matches!(
        session_data::decode(&tampered, SECRET, &[]),
        Err(Corrupted::BadSignature)
    ));
    group.bench_function("decode/bad_signature", |b| {
        b.iter(|| session_data::decode(black_box(&tampered), black_box(SECRET), &[]))
    });

    let signer = Signer::new(SECRET, &[], SESSION_STORE_SALT);
    let (_, signed_at) = signer
        .unsign_with_timestamp(LOGIN, None, 0)
        .expect("the login vector's signature verifies");
    assert_eq!(signed_at, 1_700_000_000);
    group.bench_function("unsign/login", |b| {
        b.iter(|| black_box(signer).unsign_with_timestamp(black_box(LOGIN), None, 0))
    });

    let stored = login
        .get(HASH_SESSION_KEY)
        .and_then(serde_json::Value::as_str)
        .expect("the login stores its auth hash");
    assert_eq!(
        session_data::verify_session_auth_hash(stored, PASSWORD_COLUMN, SECRET, &[]),
        HashMatch::Current
    );
    group.bench_function("auth_hash/login", |b| {
        b.iter(|| {
            session_data::verify_session_auth_hash(
                black_box(stored),
                black_box(PASSWORD_COLUMN),
                black_box(SECRET),
                &[],
            )
        })
    });

    group.finish();
}

criterion_group!(benches, session_decode);
criterion_main!(benches);
