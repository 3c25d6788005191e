//! dj-rest-auth's `password/reset/` and `password/reset/confirm/` in allauth mode, with the
//! emails read from the test outbox: allauth's token byte for byte (a vector made by
//! django-allauth 65.21.1 on Django 6.1.3 for the same row, addresses and instant), the email as
//! allauth renders it, the `account_emailaddress` row the token makes, the confirmation's
//! errors and a link spent once; without allauth, Django's `PasswordResetForm` (its email, its
//! token, byte for byte).

use std::sync::Arc;
use std::time::Duration;

use actix_web::web;
use auth_actix::settings::RestAuthSettings;
use auth_actix::store::sea_orm::ConnectionTrait;
use auth_actix::views::{INVALID_VALUE, PASSWORD_RESET_DONE, dj_rest_auth_endpoints};
use auth_core::services::locmem_email_backend::LocmemEmailBackend;
use auth_core::store::{migrations, user};
use chrono::TimeZone;
use serde_json::json;
use test_support::*;

use crate::outbox::{address_rows, post, sent};

/// allauth's `EmailAwarePasswordResetTokenGenerator` for user 5 (`carol`, password
/// `pbkdf2_sha256$1$fixedsalt$fixedhash`, never logged in, email `carol@example.com`, a second
/// address `c.alt@example.com`) at 2026-12-06 12:00:00 UTC with this suite's `SECRET_KEY`:
/// `_make_token_with_timestamp(user, 818251200, secret)` on django-allauth 65.21.1.
const ALLAUTH_TOKEN: &str = "dj5yo0-7ae01f81a9f633aaad8c4dc9b6ba622a";

struct Setup {
    settings: AuthSettings,
    db: DatabaseConnection,
    outbox: LocmemEmailBackend,
}

async fn setup(allauth: bool) -> Setup {
    let made = chrono::Utc
        .with_ymd_and_hms(2026, 12, 6, 12, 0, 0)
        .single()
        .unwrap();
    let clock = ManualClock::new();
    clock.set((made - chrono::Utc.with_ymd_and_hms(2030, 1, 1, 0, 0, 0).unwrap()).num_seconds());
    let outbox = LocmemEmailBackend::default();
    let settings = settings_builder()
        .clock(clock)
        .rest_auth(RestAuthSettings {
            allauth,
            ..RestAuthSettings::default()
        })
        .email_backend(Arc::new(outbox.clone()))
        .build()
        .unwrap();
    let db = database(&settings).await;
    migrations::migrate_allauth(&db, &user::AUTH_USER)
        .await
        .unwrap();
    let carol = user::AUTH_USER
        .insert(
            &db,
            user::NewUser {
                username: "carol".to_owned(),
                password: "pbkdf2_sha256$1$fixedsalt$fixedhash".to_owned(),
                email: "carol@example.com".to_owned(),
                is_staff: false,
                is_superuser: false,
                is_active: true,
            },
        )
        .await
        .unwrap();
    assert_eq!(
        carol.id.to_string(),
        "5",
        "the pk allauth's token was made for"
    );
    db.execute_unprepared(
        "INSERT INTO account_emailaddress (verified, \"primary\", user_id, email) \
         VALUES (1, 0, 5, 'c.alt@example.com')",
    )
    .await
    .unwrap();
    Setup {
        settings,
        db,
        outbox,
    }
}

async fn app(setup: &Setup) -> impl TestApp + use<> {
    session_app(&setup.settings, &setup.db, |routes| {
        routes.service(web::scope("/dj-rest-auth").configure(dj_rest_auth_endpoints));
    })
    .await
}

#[actix_web::test]
async fn the_reset_email_is_allauths_with_allauths_token() {
    let setup = setup(true).await;
    let app = app(&setup).await;
    // allauth's address row, in another case and with spaces: found, and written to lower-cased.
    let reply = send(
        &app,
        post(
            "/dj-rest-auth/password/reset/",
            json!({"email": " C.Alt@Example.com "}),
        ),
    )
    .await;
    assert_eq!(
        (reply.status, reply.body.as_str()),
        (200, r#"{"detail":"Password reset e-mail has been sent."}"#)
    );
    let messages = sent(&setup.outbox, 1).await;
    let message = &messages[0];
    assert_eq!(message.to, ["c.alt@example.com"]);
    assert_eq!(message.from_email, "webmaster@localhost");
    assert_eq!(message.subject, "[testserver] Password Reset Email");
    assert_eq!(message.html, None);
    assert_eq!(
        message.body,
        format!(
            "Hello from testserver!\n\nYou're receiving this email because you or someone else \
             has requested a password reset for your user account.\nIt can be safely ignored if \
             you did not request a password reset. Click the link below to reset your \
             password.\n\nhttp://testserver/password-reset/confirm/5-{ALLAUTH_TOKEN}/\n\nIn \
             case you forgot, your username is carol.\n\nThank you for using \
             testserver!\ntestserver"
        )
    );
    // Making the token gave the model's email its row, unverified, as allauth does.
    assert_eq!(
        address_rows(&setup.db).await,
        [
            ("c.alt@example.com".to_owned(), true, false),
            ("carol@example.com".to_owned(), false, false),
        ]
    );
}

#[actix_web::test]
async fn unknown_and_inactive_addresses_get_the_same_answer_and_no_email() {
    let setup = setup(true).await;
    let app = app(&setup).await;
    let known = send(
        &app,
        post(
            "/dj-rest-auth/password/reset/",
            json!({"email": "carol@example.com"}),
        ),
    )
    .await;
    sent(&setup.outbox, 1).await;
    for email in ["nobody@example.com", "inactive@example.com"] {
        let reply = send(
            &app,
            post("/dj-rest-auth/password/reset", json!({ "email": email })),
        )
        .await;
        assert_eq!(
            (reply.status, &reply.body),
            (known.status, &known.body),
            "{email}"
        );
    }
    actix_web::rt::time::sleep(Duration::from_millis(200)).await;
    assert!(setup.outbox.outbox().is_empty());
}

#[actix_web::test]
async fn the_link_sets_the_password_once() {
    let setup = setup(true).await;
    let app = app(&setup).await;
    let confirm = |fields: serde_json::Value| {
        let mut body = json!({
            "new_password1": "a-new-long-passphrase",
            "new_password2": "a-new-long-passphrase",
            "uid": "5",
            "token": ALLAUTH_TOKEN,
        });
        if let (Some(body), Some(fields)) = (body.as_object_mut(), fields.as_object()) {
            body.extend(fields.clone());
        }
        post("/dj-rest-auth/password/reset/confirm/", body)
    };
    let invalid = |field: &str| format!(r#"{{"{field}":["{INVALID_VALUE}"]}}"#);
    for (fields, status, body) in [
        (json!({"uid": "zz"}), 400, invalid("uid")),
        (json!({"uid": "!"}), 400, invalid("uid")),
        (json!({"token": "dj5yo0-0"}), 400, invalid("token")),
        (json!({"token": "nodash"}), 400, invalid("token")),
        (
            json!({"new_password2": "another-long-passphrase"}),
            400,
            r#"{"new_password2":["The two password fields didn’t match."]}"#.to_owned(),
        ),
        (
            json!({"new_password1": "", "token": null}),
            400,
            r#"{"new_password1":["This field may not be blank."],"token":["This field may not be null."]}"#
                .to_owned(),
        ),
        (
            json!({}),
            200,
            format!(r#"{{"detail":"{PASSWORD_RESET_DONE}"}}"#),
        ),
        // The password changed: the same link is spent.
        (json!({}), 400, invalid("token")),
    ] {
        let reply = send(&app, confirm(fields.clone())).await;
        assert_eq!((reply.status, reply.body), (status, body), "{fields}");
    }
    let carol = user::AUTH_USER
        .find_by_username(&setup.db, "carol")
        .await
        .unwrap()
        .unwrap();
    assert!(
        setup
            .settings
            .settings()
            .password_hashers
            .verify_password(Some("a-new-long-passphrase"), Some(&carol.password))
            .correct
    );
    assert_eq!(carol.last_login, None, "SetPasswordForm leaves last_login");
}

/// Django's `default_token_generator` for the same user and instant (no addresses in its state):
/// `_make_token_with_timestamp(user, 818251200, secret)` on Django 6.1.3.
const DJANGO_TOKEN: &str = "dj5yo0-0d54f761a5e26ac78b4567f25876343e";

#[actix_web::test]
async fn without_allauth_the_email_and_token_are_djangos_password_reset_forms() {
    let setup = setup(false).await;
    let app = app(&setup).await;
    // `email__iexact`: found in any case; sent to the user's own address.
    let reply = send(
        &app,
        post(
            "/dj-rest-auth/password/reset/",
            json!({"email": "CAROL@example.com"}),
        ),
    )
    .await;
    assert_eq!(
        (reply.status, reply.body.as_str()),
        (200, r#"{"detail":"Password reset e-mail has been sent."}"#)
    );
    let messages = sent(&setup.outbox, 1).await;
    let message = &messages[0];
    assert_eq!(message.to, ["carol@example.com"]);
    assert_eq!(message.subject, "Password reset on testserver");
    assert_eq!(
        message.body,
        format!(
            "\nYou're receiving this email because you requested a password reset for your user \
             account at testserver.\n\nPlease go to the following page and choose a new \
             password:\n\nhttp://testserver/reset/NQ/{DJANGO_TOKEN}/\n\nIn case you’ve \
             forgotten, you are: carol\n\nThanks for using our site!\n\nThe testserver team\n\n\n"
        )
    );
    // allauth's addresses are no part of Django's flow: nothing was written there.
    assert_eq!(
        address_rows(&setup.db).await,
        [("c.alt@example.com".to_owned(), true, false)]
    );
    // allauth's address is not the user's email for Django's form.
    send(
        &app,
        post(
            "/dj-rest-auth/password/reset/",
            json!({"email": "c.alt@example.com"}),
        ),
    )
    .await;
    // A longer address than the form's field takes: DRF nests the form's error.
    let long = format!("{}@example.com", "a".repeat(250));
    let reply = send(
        &app,
        post("/dj-rest-auth/password/reset/", json!({ "email": long })),
    )
    .await;
    assert_eq!(
        (reply.status, reply.body.as_str()),
        (
            400,
            r#"{"email":{"email":["Ensure this value has at most 254 characters (it has 262)."]}}"#
        )
    );
    // The link: the urlsafe-base64 uid and Django's token, spent by the new password.
    let confirm = || {
        post(
            "/dj-rest-auth/password/reset/confirm",
            json!({"uid": "NQ", "token": DJANGO_TOKEN,
                   "new_password1": "a-new-long-passphrase", "new_password2": "a-new-long-passphrase"}),
        )
    };
    let base36 = send(
        &app,
        post(
            "/dj-rest-auth/password/reset/confirm/",
            json!({"uid": "5", "token": DJANGO_TOKEN,
                   "new_password1": "a-new-long-passphrase", "new_password2": "a-new-long-passphrase"}),
        ),
    )
    .await;
    assert_eq!(
        (base36.status, base36.body.as_str()),
        (400, r#"{"uid":["Invalid value"]}"#)
    );
    assert_eq!(send(&app, confirm()).await.status, 200);
    let again = send(&app, confirm()).await;
    assert_eq!(
        (again.status, again.body.as_str()),
        (400, r#"{"token":["Invalid value"]}"#)
    );
    actix_web::rt::time::sleep(Duration::from_millis(200)).await;
    assert!(
        setup.outbox.outbox().is_empty(),
        "no email for c.alt@example.com"
    );
}
