//! `auth_core::django::password_reset_token` against Django 6.1's `PasswordResetTokenGenerator`:
//! every vector of `password_reset_token_vectors.json` (made by
//! `password_reset_token_vectors.py` with Django 6.1.3, each `TIME_ZONE` in its own process)
//! must give Django's clock reading and token, and the token must check.

#![cfg(feature = "accounts")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use auth_core::django::password_reset_token::{
    DEFAULT_TIMEOUT_SECONDS, PasswordResetTokenGenerator, UserState,
};
use chrono::{DateTime, TimeDelta, Utc};
use serde_json::Value;

fn vectors() -> Vec<Value> {
    let file: Value = serde_json::from_str(include_str!("password_reset_token_vectors.json"))
        .expect("the vectors file is JSON");
    file["vectors"].as_array().expect("a vectors list").clone()
}

fn instant(seconds: f64) -> DateTime<Utc> {
    let whole = seconds.floor();
    DateTime::from_timestamp(
        whole as i64,
        ((seconds - whole) * 1e6).round() as u32 * 1_000,
    )
    .unwrap()
}

fn generator(secret: &str, fallbacks: &[&str], zone: &str) -> PasswordResetTokenGenerator {
    PasswordResetTokenGenerator::new(
        secret,
        fallbacks.iter().map(|key| (*key).to_owned()).collect(),
        DEFAULT_TIMEOUT_SECONDS,
        zone,
    )
    .unwrap()
}

#[test]
fn every_vector_is_djangos_token_on_its_zones_clock() {
    let vectors = vectors();
    assert!(vectors.len() >= 100);
    for vector in vectors {
        let zone = vector["time_zone"].as_str().unwrap();
        let now = instant(vector["instant"].as_f64().unwrap());
        let raw = &vector["user"];
        let user = UserState {
            pk: raw["pk"].as_str().unwrap(),
            password: raw["password"].as_str().unwrap(),
            last_login: raw["last_login"].as_f64().map(instant),
            email: raw["email"].as_str().unwrap(),
        };
        let generator = generator(vector["secret"].as_str().unwrap(), &[], zone);
        assert_eq!(
            generator.num_seconds(now),
            vector["num_seconds"].as_i64().unwrap(),
            "{vector}"
        );
        let token = generator.make_token(&user, now).unwrap();
        assert_eq!(token, vector["token"].as_str().unwrap(), "{vector}");
        assert!(generator.check_token(&user, &token, now));
    }
}

fn alice() -> UserState<'static> {
    UserState {
        pk: "1",
        password: "pbkdf2_sha256$1500000$salt$hash=",
        last_login: None,
        email: "alice@example.com",
    }
}

#[test]
fn a_token_expires_after_the_timeout_and_with_the_users_state() {
    let generator = generator("current", &[], "Europe/Paris");
    let made = instant(1_796_527_631.0);
    let token = generator.make_token(&alice(), made).unwrap();
    let timeout = TimeDelta::seconds(DEFAULT_TIMEOUT_SECONDS);
    assert!(generator.check_token(&alice(), &token, made + timeout));
    assert!(!generator.check_token(&alice(), &token, made + timeout + TimeDelta::seconds(1)));
    // A new password, a login, another email: the token is spent.
    for changed in [
        UserState {
            password: "other",
            ..alice()
        },
        UserState {
            last_login: Some(made),
            ..alice()
        },
        UserState {
            email: "new@example.com",
            ..alice()
        },
    ] {
        assert!(!generator.check_token(&changed, &token, made));
    }
}

#[test]
fn fallback_keys_check_but_do_not_sign() {
    let made = instant(1_796_527_631.0);
    let old = generator("old", &[], "UTC")
        .make_token(&alice(), made)
        .unwrap();
    let rotated = generator("new", &["old"], "UTC");
    assert!(rotated.check_token(&alice(), &old, made));
    assert_ne!(rotated.make_token(&alice(), made).unwrap(), old);
    assert!(!generator("new", &[], "UTC").check_token(&alice(), &old, made));
}

#[test]
fn malformed_tokens_are_invalid_and_never_panic() {
    let generator = generator("current", &[], "UTC");
    let made = instant(1_796_527_631.0);
    let token = generator.make_token(&alice(), made).unwrap();
    let (ts, hash) = token.split_once('-').unwrap();
    for bad in [
        String::new(),
        "-".to_owned(),
        hash.to_owned(),
        format!("{ts}-{hash}-x"),
        format!("{ts}{hash}"),
        format!("-1-{hash}"),
        format!("zzzzzzzzzzzzzz-{hash}"),
        format!("{ts}-{}", &hash[1..]),
        format!("{}-{hash}", ts.to_uppercase()),
    ] {
        assert!(!generator.check_token(&alice(), &bad, made), "{bad:?}");
    }
    // Django reads the timestamp as `int(…, 36)`: surrounding spaces read, then the HMAC of the
    // rebuilt token decides (so they still fail, as in Django).
    assert!(!generator.check_token(&alice(), &format!(" {ts}-{hash}"), made));
}

#[test]
fn debug_shows_no_key() {
    let shown = format!(
        "{:?}",
        generator("secret-of-the-project", &["old-secret"], "UTC")
    );
    assert!(
        !shown.contains("secret-of") && !shown.contains("old-secret"),
        "{shown}"
    );
}

#[test]
fn an_unknown_time_zone_is_refused() {
    let refused = PasswordResetTokenGenerator::new(
        "k",
        Vec::new(),
        DEFAULT_TIMEOUT_SECONDS,
        "Mars/Olympus_Mons",
    );
    assert!(refused.is_err());
}

#[test]
fn the_settings_make_djangos_default_token_generator() {
    use auth_core::auth_settings::AuthSettings;
    let settings = AuthSettings::builder()
        .secret_key("vector-secret-key-of-a-django-project")
        .time_zone("Europe/Paris")
        .password_reset_timeout(60)
        .build()
        .unwrap();
    let generator = settings
        .settings()
        .password_reset_token_generator()
        .unwrap();
    // The same token as Django's for that secret, zone, instant and user.
    let vector = vectors()
        .into_iter()
        .find(|vector| {
            vector["time_zone"] == "Europe/Paris"
                && vector["instant"] == 1_796_527_631
                && vector["user"]["pk"] == "42"
        })
        .unwrap();
    let user = UserState {
        pk: "42",
        password: "!unusable",
        last_login: None,
        email: "",
    };
    let made = instant(1_796_527_631.0);
    let token = generator.make_token(&user, made).unwrap();
    assert_eq!(token, vector["token"].as_str().unwrap());
    // PASSWORD_RESET_TIMEOUT from the settings.
    assert!(generator.check_token(&user, &token, made + TimeDelta::seconds(60)));
    assert!(!generator.check_token(&user, &token, made + TimeDelta::seconds(61)));
    let refused = AuthSettings::builder()
        .secret_key("k")
        .time_zone("Europe/Atlantis")
        .build();
    assert_eq!(
        refused.err().map(|error| error.to_string()).as_deref(),
        Some("Incorrect timezone setting: Europe/Atlantis")
    );
}
