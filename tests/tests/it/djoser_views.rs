//! djoser's account views with the emails they send read from the test outbox: the password
//! reset link redeemed once, activation and its stale second use, resend, password change,
//! token login and logout, and the answers that must not tell known from unknown emails.

use std::sync::Arc;
use std::time::Duration;

use actix_web::test::TestRequest;
use actix_web::web;
use auth_actix::views::djoser_endpoints;
use auth_core::django::mail::EmailMessage;
use auth_core::djoser::{DjoserSettings, LinkTemplate};
use auth_core::services::locmem_email_backend::LocmemEmailBackend;
use auth_core::store::{token, user};
use serde_json::json;
use test_support::*;

use crate::outbox::{post, sent};

const RESET_URL: &str = "password/reset/confirm/{uid}/{token}";
const ACTIVATION_URL: &str = "activate/{uid}/{token}";

fn djoser(configure: impl FnOnce(&mut DjoserSettings)) -> DjoserSettings {
    let mut settings = DjoserSettings {
        password_reset_confirm_url: Some(LinkTemplate::parse(RESET_URL).unwrap()),
        activation_url: Some(LinkTemplate::parse(ACTIVATION_URL).unwrap()),
        ..DjoserSettings::default()
    };
    configure(&mut settings);
    settings
}

async fn setup(
    configure: impl FnOnce(&mut DjoserSettings),
) -> (AuthSettings, DatabaseConnection, LocmemEmailBackend) {
    let outbox = LocmemEmailBackend::default();
    // djoser's usual deployment: token authentication first, sessions second.
    let settings = settings_builder()
        .default_authentication::<(
            auth_actix::TokenAuthentication,
            auth_actix::SessionAuthentication,
        )>()
        .djoser(djoser(configure))
        .email_backend(Arc::new(outbox.clone()))
        .build()
        .unwrap();
    let db = database(&settings).await;
    for (name, active) in [("carol", true), ("dave", false)] {
        user::AUTH_USER
            .insert(
                &db,
                user::NewUser {
                    username: name.to_owned(),
                    password: settings
                        .settings()
                        .password_hashers
                        .make_password("password"),
                    email: format!("{name}@example.com"),
                    is_staff: false,
                    is_superuser: false,
                    is_active: active,
                },
            )
            .await
            .unwrap();
    }
    (settings, db, outbox)
}

async fn djoser_app(settings: &AuthSettings, db: &DatabaseConnection) -> impl TestApp + use<> {
    session_app(settings, db, |routes| {
        routes.service(web::scope("/auth").configure(djoser_endpoints));
    })
    .await
}

/// The `uid` and `token` of the link in `message`'s text (`…/<uid>/<token>` after `prefix`).
fn link(message: &EmailMessage, prefix: &str) -> (String, String) {
    let start = message.body.find(prefix).expect("the link") + prefix.len();
    let rest = &message.body[start..];
    let end = rest.find('\n').unwrap_or(rest.len());
    let (uid, token) = rest[..end].split_once('/').expect("uid/token");
    (uid.to_owned(), token.to_owned())
}

#[actix_web::test]
async fn the_reset_link_sets_the_password_once() {
    let (settings, db, outbox) = setup(|_| {}).await;
    let app = djoser_app(&settings, &db).await;
    let reply = send(
        &app,
        post(
            "/auth/users/reset_password/",
            json!({"email": "carol@example.com"}),
        ),
    )
    .await;
    assert_eq!((reply.status, reply.body.as_str()), (204, ""));
    let messages = sent(&outbox, 1).await;
    let message = &messages[0];
    assert_eq!(message.to, ["carol@example.com"]);
    assert_eq!(message.from_email, "webmaster@localhost");
    // The request's host is the site's domain and name (no django.contrib.sites).
    assert_eq!(message.subject, "Password reset on testserver");
    assert!(
        message
            .body
            .contains("Your username, in case you've forgotten: carol")
    );
    assert!(
        message
            .html
            .as_deref()
            .unwrap_or_default()
            .contains("<b>carol</b>")
    );
    let (uid, token) = link(message, "http://testserver/password/reset/confirm/");
    let carol = user::AUTH_USER
        .find_by_username(&db, "carol")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        uid,
        auth_core::django::urlsafe_base64::urlsafe_base64_encode(carol.id.to_string().as_bytes())
    );

    let confirm = |token: &str, password: &str| {
        post(
            "/auth/users/reset_password_confirm/",
            json!({"uid": uid, "token": token, "new_password": password}),
        )
    };
    // Django's validators run before the link is looked at.
    let weak = send(&app, confirm(&token, "123")).await;
    assert_eq!(weak.status, 400);
    assert_eq!(
        weak.body,
        r#"{"new_password":["This password is too short. It must contain at least 8 characters.","This password is too common.","This password is entirely numeric."]}"#
    );
    let wrong = send(&app, confirm("dj4uam-0000", "a-new-long-passphrase")).await;
    assert_eq!(
        (wrong.status, wrong.body.as_str()),
        (400, r#"{"token":["Invalid token for given user."]}"#)
    );
    let done = send(&app, confirm(&token, "a-new-long-passphrase")).await;
    assert_eq!(done.status, 204, "{}", done.body);
    let carol_now = user::AUTH_USER
        .find_by_username(&db, "carol")
        .await
        .unwrap()
        .unwrap();
    assert!(
        carol_now.last_login.is_some(),
        "last_login moves so the link dies"
    );
    assert!(
        settings
            .settings()
            .password_hashers
            .verify_password(Some("a-new-long-passphrase"), Some(&carol_now.password))
            .correct
    );
    let replay = send(&app, confirm(&token, "another-long-passphrase")).await;
    assert_eq!(
        (replay.status, replay.body.as_str()),
        (400, r#"{"token":["Invalid token for given user."]}"#)
    );
}

#[actix_web::test]
async fn known_and_unknown_emails_get_the_same_answer() {
    let (settings, db, outbox) = setup(|_| {}).await;
    let app = djoser_app(&settings, &db).await;
    for email in [
        "nobody@example.com",
        "dave@example.com",
        "CAROL@example.com",
    ] {
        // Unknown, inactive, and a case that differs: no email, the same 204.
        let reply = send(
            &app,
            post("/auth/users/reset_password/", json!({"email": email})),
        )
        .await;
        assert_eq!((reply.status, reply.body.as_str()), (204, ""), "{email}");
    }
    actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    assert!(outbox.outbox().is_empty());
    let invalid = send(
        &app,
        post(
            "/auth/users/reset_password/",
            json!({"email": "not-an-email"}),
        ),
    )
    .await;
    assert_eq!(
        (invalid.status, invalid.body.as_str()),
        (400, r#"{"email":["Enter a valid email address."]}"#)
    );
    let missing = send(&app, post("/auth/users/reset_password/", json!({}))).await;
    assert_eq!(missing.body, r#"{"email":["This field is required."]}"#);
    // djoser's default permission runs before the 405: anonymous is refused first.
    let get = send(&app, TestRequest::get().uri("/auth/users/reset_password/")).await;
    assert_eq!(get.status, 401);
    let get = send(
        &app,
        with_auth(
            TestRequest::get().uri("/auth/users/reset_password/"),
            "Token abcd1234",
        ),
    )
    .await;
    assert_eq!(get.status, 405);
    assert_eq!(get.allow.as_deref(), Some("POST, OPTIONS"));

    // PASSWORD_RESET_SHOW_EMAIL_NOT_FOUND: djoser's bare list.
    let (settings, db, _) = setup(|djoser| djoser.password_reset_show_email_not_found = true).await;
    let app = djoser_app(&settings, &db).await;
    let shown = send(
        &app,
        post(
            "/auth/users/reset_password/",
            json!({"email": "nobody@example.com"}),
        ),
    )
    .await;
    assert_eq!(
        (shown.status, shown.body.as_str()),
        (400, r#"["User with given email does not exist."]"#)
    );
}

#[actix_web::test]
async fn bad_uids_are_refused_as_djoser_refuses_them() {
    let (settings, db, _) = setup(|_| {}).await;
    let app = djoser_app(&settings, &db).await;
    for uid in ["", "!!!", "OTk5OQ", "YWJj", json!(5).to_string().as_str()] {
        let reply = send(
            &app,
            post(
                "/auth/users/activation/",
                json!({"uid": uid, "token": "dj4uam-c673821a7c7c2ff67856faf17000885e"}),
            ),
        )
        .await;
        let want = if uid.is_empty() {
            r#"{"uid":["This field may not be blank."]}"#
        } else {
            r#"{"uid":["Invalid user id or user doesn't exist."]}"#
        };
        assert_eq!((reply.status, reply.body.as_str()), (400, want), "{uid:?}");
    }
    let number = send(
        &app,
        post("/auth/users/activation/", json!({"uid": 1, "token": 5})),
    )
    .await;
    assert_eq!(
        number.body,
        r#"{"uid":["Invalid user id or user doesn't exist."]}"#
    );
    let none = send(&app, post("/auth/users/activation/", json!({}))).await;
    assert_eq!(
        none.body,
        r#"{"uid":["This field is required."],"token":["This field is required."]}"#
    );
}

#[actix_web::test]
async fn activation_by_the_resent_link_then_stale() {
    let (settings, db, outbox) = setup(|djoser| {
        djoser.send_activation_email = true;
        djoser.send_confirmation_email = true;
    })
    .await;
    let app = djoser_app(&settings, &db).await;
    // An active user gets no activation email.
    let active = send(
        &app,
        post(
            "/auth/users/resend_activation/",
            json!({"email": "carol@example.com"}),
        ),
    )
    .await;
    assert_eq!(active.status, 204);
    let reply = send(
        &app,
        post(
            "/auth/users/resend_activation/",
            json!({"email": "dave@example.com"}),
        ),
    )
    .await;
    assert_eq!(reply.status, 204);
    let messages = sent(&outbox, 1).await;
    assert_eq!(messages[0].subject, "Account activation on testserver");
    let (uid, token) = link(&messages[0], "http://testserver/activate/");
    let activate = || {
        post(
            "/auth/users/activation/",
            json!({"uid": uid, "token": token}),
        )
    };
    let done = send(&app, activate()).await;
    assert_eq!(done.status, 204, "{}", done.body);
    let confirmation = sent(&outbox, 1).await;
    assert_eq!(
        confirmation[0].subject,
        "testserver - Your account has been successfully created and activated!"
    );
    assert!(
        user::AUTH_USER
            .find_by_username(&db, "dave")
            .await
            .unwrap()
            .unwrap()
            .is_active
    );
    let stale = send(&app, activate()).await;
    assert_eq!(
        (stale.status, stale.body.as_str()),
        (403, r#"{"detail":"Stale token for given user."}"#)
    );

    // SEND_ACTIVATION_EMAIL off: 400 with no body, after the email is validated.
    let (settings, db, _) = setup(|_| {}).await;
    let app = djoser_app(&settings, &db).await;
    let off = send(
        &app,
        post(
            "/auth/users/resend_activation/",
            json!({"email": "dave@example.com"}),
        ),
    )
    .await;
    assert_eq!((off.status, off.body.as_str()), (400, ""));
    let invalid = send(
        &app,
        post("/auth/users/resend_activation/", json!({"email": "x"})),
    )
    .await;
    assert_eq!(
        invalid.body,
        r#"{"email":["Enter a valid email address."]}"#
    );
}

#[actix_web::test]
async fn token_login_set_password_and_logout() {
    let (settings, db, _) = setup(|djoser| djoser.logout_on_password_change = true).await;
    let app = djoser_app(&settings, &db).await;
    let bad = send(
        &app,
        post(
            "/auth/token/login/",
            json!({"username": "carol", "password": "nope"}),
        ),
    )
    .await;
    assert_eq!(
        (bad.status, bad.body.as_str()),
        (
            400,
            r#"{"non_field_errors":["Unable to log in with provided credentials."]}"#
        )
    );
    let blank = send(
        &app,
        post(
            "/auth/token/login",
            json!({"username": "", "password": "x"}),
        ),
    )
    .await;
    assert_eq!(
        blank.body,
        r#"{"username":["This field may not be blank."]}"#
    );
    let login = send(
        &app,
        post(
            "/auth/token/login/",
            json!({"username": "carol", "password": "password"}),
        ),
    )
    .await;
    assert_eq!(login.status, 200);
    let key = serde_json::from_str::<serde_json::Value>(&login.body).unwrap()["auth_token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(key.len(), 40);
    let again = send(
        &app,
        post(
            "/auth/token/login/",
            json!({"username": "carol", "password": "password"}),
        ),
    )
    .await;
    assert_eq!(again.body, login.body, "the same token, made on first use");
    let carol = user::AUTH_USER
        .find_by_username(&db, "carol")
        .await
        .unwrap()
        .unwrap();
    assert!(carol.last_login.is_some());

    let auth = format!("Token {key}");
    let anonymous = send(&app, post("/auth/users/set_password/", json!({}))).await;
    assert_eq!(anonymous.status, 401);
    let wrong = send(
        &app,
        with_auth(
            post(
                "/auth/users/set_password/",
                json!({"new_password": "short", "current_password": "nope"}),
            ),
            &auth,
        ),
    )
    .await;
    assert_eq!(
        (wrong.status, wrong.body.as_str()),
        (400, r#"{"current_password":["Invalid password."]}"#)
    );
    let similar = send(
        &app,
        with_auth(
            post(
                "/auth/users/set_password/",
                json!({"new_password": "carol@example.com", "current_password": "password"}),
            ),
            &auth,
        ),
    )
    .await;
    assert_eq!(
        similar.body,
        r#"{"new_password":["The password is too similar to the email address."]}"#
    );
    let changed = send(
        &app,
        with_auth(
            post(
                "/auth/users/set_password/",
                json!({"new_password": "a-new-long-passphrase", "current_password": "password"}),
            ),
            &auth,
        ),
    )
    .await;
    assert_eq!(changed.status, 204, "{}", changed.body);
    // LOGOUT_ON_PASSWORD_CHANGE deleted the token.
    assert!(token::find_for_user(&db, carol.id).await.unwrap().is_none());
    let relog = send(
        &app,
        post(
            "/auth/token/login/",
            json!({"username": "carol", "password": "a-new-long-passphrase"}),
        ),
    )
    .await;
    let key = serde_json::from_str::<serde_json::Value>(&relog.body).unwrap()["auth_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let logout = send(
        &app,
        with_auth(
            post("/auth/token/logout/", json!({})),
            format!("Token {key}"),
        ),
    )
    .await;
    assert_eq!(logout.status, 204);
    assert!(token::find_for_user(&db, carol.id).await.unwrap().is_none());
    let gone = send(
        &app,
        with_auth(
            post("/auth/token/logout", json!({})),
            format!("Token {key}"),
        ),
    )
    .await;
    assert_eq!(gone.status, 401);
}

#[actix_web::test]
async fn registration_with_the_activation_email_then_me() {
    let (settings, db, outbox) = setup(|djoser| djoser.send_activation_email = true).await;
    let app = djoser_app(&settings, &db).await;
    let body = json!({"username": "erin", "password": "a-new-long-passphrase", "email": "erin@Example.COM"});
    let created = send(&app, post("/auth/users/", body.clone())).await;
    assert_eq!(created.status, 201, "{}", created.body);
    let erin = user::AUTH_USER
        .find_by_username(&db, "erin")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        created.body,
        format!(
            r#"{{"email":"erin@example.com","username":"erin","id":{}}}"#,
            erin.id
        )
    );
    assert!(!erin.is_active, "inactive until the link is followed");
    let again = send(&app, post("/auth/users/", body)).await;
    assert_eq!(
        (again.status, again.body.as_str()),
        (
            400,
            r#"{"username":["A user with that username already exists."]}"#
        )
    );
    let messages = sent(&outbox, 1).await;
    let (uid, token) = link(&messages[0], "http://testserver/activate/");
    let login = json!({"username": "erin", "password": "a-new-long-passphrase"});
    let refused = send(&app, post("/auth/token/login/", login.clone())).await;
    assert_eq!(refused.status, 400, "an inactive user cannot log in");
    let activated = send(
        &app,
        post(
            "/auth/users/activation/",
            json!({"uid": uid, "token": token}),
        ),
    )
    .await;
    assert_eq!(activated.status, 204);
    let logged_in = send(&app, post("/auth/token/login/", login)).await;
    assert_eq!(logged_in.status, 200);
    let key = serde_json::from_str::<serde_json::Value>(&logged_in.body).unwrap()["auth_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let me = send(
        &app,
        with_auth(
            TestRequest::get().uri("/auth/users/me/"),
            format!("Token {key}"),
        ),
    )
    .await;
    assert_eq!(
        me.body,
        format!(
            r#"{{"email":"erin@example.com","id":{},"username":"erin"}}"#,
            erin.id
        )
    );
}

#[actix_web::test]
async fn me_is_updated_and_deleted_and_others_are_hidden() {
    use actix_web::http::Method;

    let (settings, db, _) = setup(|_| {}).await;
    let app = djoser_app(&settings, &db).await;
    let carol_row = user::AUTH_USER
        .find_by_username(&db, "carol")
        .await
        .unwrap()
        .unwrap();
    let carol = format!(
        "Token {}",
        token::get_or_create(&db, carol_row.id).await.unwrap().key
    );
    let request = |method: Method, path: &str, body: serde_json::Value| {
        with_auth(post(path, body).method(method), &carol)
    };
    let patched = send(
        &app,
        request(
            Method::PATCH,
            "/auth/users/me/",
            json!({"email": "c@example.org", "username": "x"}),
        ),
    )
    .await;
    let id = user::AUTH_USER
        .find_by_username(&db, "carol")
        .await
        .unwrap()
        .unwrap()
        .id;
    assert_eq!(
        patched.body,
        format!(r#"{{"email":"c@example.org","id":{id},"username":"carol"}}"#)
    );
    let invalid = send(
        &app,
        request(Method::PUT, "/auth/users/me/", json!({"email": "x"})),
    )
    .await;
    assert_eq!(
        invalid.body,
        r#"{"email":["Enter a valid email address."]}"#
    );
    let listed = send(
        &app,
        with_auth(TestRequest::get().uri("/auth/users/"), &carol),
    )
    .await;
    assert_eq!(
        listed.body,
        format!(r#"[{{"email":"c@example.org","id":{id},"username":"carol"}}]"#)
    );
    // john is another user: hidden (404), and not deletable (403).
    let hidden = send(&app, request(Method::GET, "/auth/users/1/", json!({}))).await;
    assert_eq!(
        (hidden.status, hidden.body.as_str()),
        (404, r#"{"detail":"Not found."}"#)
    );
    let refused = send(
        &app,
        request(
            Method::DELETE,
            "/auth/users/1/",
            json!({"current_password": "password"}),
        ),
    )
    .await;
    assert_eq!(refused.status, 403);
    let nobody = send(&app, request(Method::GET, "/auth/users/4242/", json!({}))).await;
    assert_eq!(
        nobody.body,
        r#"{"detail":"No User matches the given query."}"#
    );
    let wrong = send(
        &app,
        request(
            Method::DELETE,
            "/auth/users/me/",
            json!({"current_password": "nope"}),
        ),
    )
    .await;
    assert_eq!(wrong.body, r#"{"current_password":["Invalid password."]}"#);
    let deleted = send(
        &app,
        request(
            Method::DELETE,
            "/auth/users/me/",
            json!({"current_password": "password"}),
        ),
    )
    .await;
    assert_eq!(deleted.status, 204);
    assert!(
        user::AUTH_USER
            .find_by_username(&db, "carol")
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        user::AUTH_USER
            .find_by_username(&db, "john")
            .await
            .unwrap()
            .is_some()
    );
}

const USERNAME_RESET_URL: &str = "username/reset/confirm/{uid}/{token}";

#[actix_web::test]
async fn the_username_is_set_then_reset_by_the_emailed_link() {
    let (settings, db, outbox) = setup(|djoser| {
        djoser.username_reset_confirm_url = Some(LinkTemplate::parse(USERNAME_RESET_URL).unwrap());
        djoser.username_changed_email_confirmation = true;
        djoser.set_username_retype = true;
    })
    .await;
    let app = djoser_app(&settings, &db).await;
    let carol = user::AUTH_USER
        .find_by_username(&db, "carol")
        .await
        .unwrap()
        .unwrap();
    let key = token::create(&db, carol.id).await.unwrap().key;
    let auth = format!("Token {key}");
    let set = |body: serde_json::Value| with_auth(post("/auth/users/set_username/", body), &auth);

    // `current_password` first, then the new name's validators, then the retype.
    let bad = send(
        &app,
        set(json!({"new_username": "dave", "current_password": "nope"})),
    )
    .await;
    assert_eq!(
        (bad.status, bad.body.as_str()),
        (
            400,
            r#"{"current_password":["Invalid password."],"new_username":["A user with that username already exists."],"re_new_username":["This field is required."]}"#
        )
    );
    let differs = send(
        &app,
        set(json!({"new_username": "caroline", "re_new_username": "carla", "current_password": "password"})),
    )
    .await;
    assert_eq!(
        differs.body,
        r#"{"non_field_errors":["The two username fields didn't match."]}"#
    );
    let renamed = send(
        &app,
        set(json!({"new_username": " caroline ", "re_new_username": "caroline", "current_password": "password"})),
    )
    .await;
    assert_eq!(renamed.status, 204, "{}", renamed.body);
    let changed = sent(&outbox, 1).await;
    assert_eq!(changed[0].to, ["carol@example.com"]);
    assert!(
        changed[0].body.contains("Your username has been changed!"),
        "{}",
        changed[0].body
    );
    assert!(
        user::AUTH_USER
            .find_by_username(&db, "carol")
            .await
            .unwrap()
            .is_none()
    );
    let caroline = user::AUTH_USER
        .find_by_username(&db, "caroline")
        .await
        .unwrap()
        .expect("renamed, the name trimmed");
    assert_eq!(caroline.id, carol.id);

    // The reset link, by email, once.
    let reset = send(
        &app,
        post(
            "/auth/users/reset_username/",
            json!({"email": "carol@example.com"}),
        ),
    )
    .await;
    assert_eq!(reset.status, 204);
    let emails = sent(&outbox, 1).await;
    assert!(
        emails[0]
            .body
            .contains("Your username, in case you've forgotten: caroline")
    );
    let (uid, token) = link(&emails[0], "http://testserver/username/reset/confirm/");
    let confirm = |name: &str| {
        post(
            "/auth/users/reset_username_confirm/",
            json!({"uid": uid, "token": token, "new_username": name}),
        )
    };
    // `uid` and `token` are no fields there: the name's errors come alone.
    let no_name = send(
        &app,
        post("/auth/users/reset_username_confirm/", json!({"uid": "x"})),
    )
    .await;
    assert_eq!(
        no_name.body,
        r#"{"new_username":["This field is required."]}"#
    );
    let no_uid = send(
        &app,
        post(
            "/auth/users/reset_username_confirm/",
            json!({"new_username": "cara"}),
        ),
    )
    .await;
    assert_eq!(
        no_uid.body,
        r#"{"uid":["Invalid user id or user doesn't exist."]}"#
    );
    let done = send(&app, confirm("cara")).await;
    assert_eq!(done.status, 204, "{}", done.body);
    let cara = user::AUTH_USER
        .find_by_username(&db, "cara")
        .await
        .unwrap()
        .expect("renamed by the link");
    assert!(
        cara.last_login.is_some(),
        "last_login moves, so the link dies"
    );
    assert_eq!(sent(&outbox, 1).await[0].to, ["carol@example.com"]);
    let again = send(&app, confirm("carina")).await;
    assert_eq!(
        (again.status, again.body.as_str()),
        (400, r#"{"token":["Invalid token for given user."]}"#)
    );
}

#[actix_web::test]
async fn either_show_email_not_found_flag_refuses_unknown_emails_everywhere() {
    // djoser's `get_user` reads `PASSWORD_RESET_SHOW_EMAIL_NOT_FOUND or
    // USERNAME_RESET_SHOW_EMAIL_NOT_FOUND` for both resets.
    let (settings, db, outbox) = setup(|djoser| {
        djoser.username_reset_show_email_not_found = true;
    })
    .await;
    let app = djoser_app(&settings, &db).await;
    for path in ["/auth/users/reset_password/", "/auth/users/reset_username/"] {
        let reply = send(&app, post(path, json!({"email": "nobody@example.com"}))).await;
        assert_eq!(
            (reply.status, reply.body.as_str()),
            (400, r#"["User with given email does not exist."]"#),
            "{path}"
        );
    }
    // Without USERNAME_RESET_CONFIRM_URL the known email is answered alike, and nothing is sent.
    let known = send(
        &app,
        post(
            "/auth/users/reset_username/",
            json!({"email": "carol@example.com"}),
        ),
    )
    .await;
    assert_eq!(known.status, 204);
    actix_web::rt::time::sleep(Duration::from_millis(200)).await;
    assert!(outbox.take().is_empty());
}

/// A reset link under a `TIME_ZONE` with daylight saving time: Django counts the token's age on
/// the naive local clock, so a link made at 00:30 EDT the night the clocks fall back lives an
/// hour longer in real time. The token and the boundary are Django 6.1.3's, for the same user
/// row (pk 5, after the suite's four users) and `SECRET_KEY` (`PasswordResetTokenGenerator`
/// with `_now` at these instants, as
/// `django.setup()` with `TIME_ZONE = "America/New_York"` gives it): made at
/// 2026-11-01T04:30:00Z, valid at `PASSWORD_RESET_TIMEOUT + 3600` seconds later, not a second
/// after.
#[actix_web::test]
async fn a_reset_link_expires_on_the_time_zones_clock_as_djangos() {
    use chrono::TimeZone;

    const DJANGO_TOKEN: &str = "dhc9e0-efb3bac7dfd1907cacc6ecd2fa5940d3";
    let made = chrono::Utc
        .with_ymd_and_hms(2026, 11, 1, 4, 30, 0)
        .single()
        .unwrap();
    let clock = ManualClock::new();
    let at = |after: i64| {
        clock.set(
            (made - chrono::Utc.with_ymd_and_hms(2030, 1, 1, 0, 0, 0).unwrap()).num_seconds()
                + after,
        );
    };
    let outbox = LocmemEmailBackend::default();
    let settings = settings_builder()
        .time_zone("America/New_York")
        .clock(clock.clone())
        .djoser(djoser(|_| {}))
        .email_backend(Arc::new(outbox.clone()))
        .build()
        .unwrap();
    let db = database(&settings).await;
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
        "the pk Django's token was made for"
    );
    let app = djoser_app(&settings, &db).await;

    // The link emailed here at that instant carries Django's token, byte for byte.
    at(0);
    let reset = send(
        &app,
        post(
            "/auth/users/reset_password/",
            json!({"email": "carol@example.com"}),
        ),
    )
    .await;
    assert_eq!(reset.status, 204);
    let emails = sent(&outbox, 1).await;
    assert_eq!(
        link(&emails[0], "http://testserver/password/reset/confirm/"),
        ("NQ".to_owned(), DJANGO_TOKEN.to_owned())
    );

    let confirm = || {
        post(
            "/auth/users/reset_password_confirm/",
            json!({"uid": "NQ", "token": DJANGO_TOKEN, "new_password": "a-new-long-passphrase"}),
        )
    };
    at(259_200 + 3_601);
    let late = send(&app, confirm()).await;
    assert_eq!(
        (late.status, late.body.as_str()),
        (400, r#"{"token":["Invalid token for given user."]}"#)
    );
    at(259_200 + 3_600);
    let in_time = send(&app, confirm()).await;
    assert_eq!(in_time.status, 204, "{}", in_time.body);
}
