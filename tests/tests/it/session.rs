//! Session authentication with CSRF (spec §1.6, §7.3–§7.7) against Django's own formats: the
//! Appendix B session row authenticates, every §7.7 CSRF row, login/logout cookies, fixation,
//! password-change invalidation, fallback secrets, and bad cookies.

use actix_web::dev::ServiceResponse;
use actix_web::http::header;
use actix_web::{HttpResponse, test, web};
use auth_actix::django::{csrf, session_data};
use auth_actix::store::{session as session_rows, user};
use auth_actix::views::session_endpoints;
use auth_actix::{AllowAny, BasicAuthentication, IsAuthenticated, SessionAuthentication};
use base64::Engine;
use hmac::{KeyInit, Mac};
use sha2::Digest;
use test_support::*;

/// Appendix B.1: the password column whose session auth hash is in the login vector.
const B1_PASSWORD: &str =
    "pbkdf2_sha256$1500000$seasaltseasaltseasalt1$TEMLqAa9eWQjdqgNSOH6EoaemZ2c984hqIsRe4jxPxM=";
/// Appendix B.1: Django's session_data of a login of user 1 with that hash, at t=1700000000.
const B1_LOGIN_SESSION: &str = ".eJxVjDsOwjAQBe_iGlmx119Kes5g7fqDA8iW4qRC3B0ipYD2zcx7sYDbWsM28hLmxM5MsNPvRhgfue0g3bHdOo-9rctMfFf4QQe_9pSfl8P9O6g46rf2NlpSziIoQBd1NEo4Ild0EdKBsVMkm4UpHlDbMlHO2gNQkk5KbwR7fwDVYDdX:1r31eq:3HFHuHa4zR3_c0Lwi0H0SzxD-82cChtTEVBfiu4wZ50";
const KEY: &str = "k1k2k3k4k5k6k7k8k9k0kakbkckdkekf";
const SECRET: &str = "abcdefghijklmnopqrstuvwxyzABCDEF";

async fn echo_body(body: web::Bytes) -> HttpResponse {
    HttpResponse::Ok().body(body)
}

fn app_config(config: &mut web::ServiceConfig) {
    config
        .service(route::<(SessionAuthentication,), IsAuthenticated>(
            "/session/",
        ))
        .service(route::<(SessionAuthentication,), AllowAny>(
            "/session-open/",
        ))
        .service(route::<
            (SessionAuthentication, BasicAuthentication),
            IsAuthenticated,
        >("/default/"))
        .service(web::resource("/session-echo/").route(web::post().to(
            |guard: auth_actix::PolicyGuard<(SessionAuthentication,), IsAuthenticated>,
             body: web::Bytes| async move {
                let _ = guard;
                echo_body(body).await
            },
        )))
        .service(web::scope("/auth").configure(session_endpoints));
}

/// The suite's app: the library on `db` with these routes.
async fn suite_app(settings: &AuthSettings, db: &DatabaseConnection) -> impl TestApp + use<> {
    session_app(settings, db, |routes| {
        routes.configure(app_config);
    })
    .await
}

fn now_secs() -> u64 {
    u64::try_from(chrono::Utc::now().timestamp()).unwrap()
}

fn csrf_failed(reason: &str) -> String {
    detail(&format!("CSRF Failed: {reason}"))
}

/// A row holding the Appendix B login session, with john's password set to the B.1 hash.
async fn django_session(db: &DatabaseConnection) -> String {
    let john = user::AUTH_USER
        .find_by_username(db, "john")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(john.id, 1);
    user::AUTH_USER
        .save_password(db, john.id, B1_PASSWORD.to_owned())
        .await
        .unwrap();
    let expire = chrono::Utc::now() + chrono::TimeDelta::days(1);
    session_rows::insert(db, KEY.to_owned(), B1_LOGIN_SESSION.to_owned(), expire)
        .await
        .unwrap();
    KEY.to_owned()
}

fn with_session(request: test::TestRequest, key: &str) -> test::TestRequest {
    request.cookie(actix_web::cookie::Cookie::new("sessionid", key.to_owned()))
}

fn with_csrf_cookie(request: test::TestRequest, value: &str) -> test::TestRequest {
    request.cookie(actix_web::cookie::Cookie::new(
        "csrftoken",
        value.to_owned(),
    ))
}

fn set_cookies<B>(response: &ServiceResponse<B>) -> Vec<String> {
    response
        .headers()
        .get_all(header::SET_COOKIE)
        .map(|value| value.to_str().unwrap().to_owned())
        .collect()
}

fn cookie_value(set_cookie: &[String], name: &str) -> Option<String> {
    set_cookie.iter().find_map(|line| {
        let first = line.split(';').next()?;
        let (key, value) = first.split_once('=')?;
        (key == name).then(|| value.to_owned())
    })
}

#[actix_web::test]
async fn djangos_own_session_row_authenticates() {
    let settings = settings();
    let db = database(&settings).await;
    let key = django_session(&db).await;
    let app = suite_app(&settings, &db).await;
    let reply = send(&app, with_session(get("/session/"), &key)).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body, json_body("john", "None"));
}

/// Several `Cookie` fields: over HTTP/1 they are one value joined by `,` (gunicorn), so a
/// `sessionid` in a second line is no cookie of its own, as in Django; over HTTP/2 a client may
/// split its cookie string into fields (RFC 9113 §8.2.3), rejoined with `; ` as the proxy in
/// front of Django would.
#[actix_web::test]
async fn several_cookie_fields_are_joined_as_the_protocol_says() {
    let settings = settings();
    let db = database(&settings).await;
    let key = django_session(&db).await;
    let app = suite_app(&settings, &db).await;
    let split = |version| {
        get("/session/")
            .version(version)
            .append_header((header::COOKIE, "a=1"))
            .append_header((header::COOKIE, format!("sessionid={key}")))
    };
    let http1 = send(&app, split(actix_web::http::Version::HTTP_11)).await;
    assert_eq!(http1.status, 403, "{}", http1.body);
    let http2 = send(&app, split(actix_web::http::Version::HTTP_2)).await;
    assert_eq!((http2.status, http2.body), (200, json_body("john", "None")));
}

#[actix_web::test]
async fn no_session_is_not_attempted_and_session_first_makes_it_403() {
    let settings = settings();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let reply = send(&app, get("/session/")).await;
    assert_eq!(
        (reply.status, reply.www_authenticate.as_deref()),
        (403, None)
    );
    assert_eq!(reply.body, Reply::NOT_PROVIDED);
    // DRF's default [Session, Basic]: every authentication error is a 403.
    let reply = send(&app, with_auth(get("/default/"), basic(b"john:wrong"))).await;
    assert_eq!(
        (reply.status, reply.www_authenticate.as_deref()),
        (403, None)
    );
    assert_eq!(reply.body, detail("Invalid username/password."));
    // An anonymous POST is not CSRF-checked.
    let reply = send(&app, test::TestRequest::post().uri("/session/")).await;
    assert_eq!(
        (reply.status, reply.body.as_str()),
        (403, Reply::NOT_PROVIDED)
    );
    let request = test::TestRequest::post()
        .uri("/session-open/")
        .insert_header(("Content-Type", "application/x-www-form-urlencoded"))
        .set_payload("a=b");
    assert_eq!(send(&app, request).await.status, 200);
}

/// Every row of the §7.7 table for a logged-in session user (host `testserver`).
#[actix_web::test]
async fn csrf_reference_table() {
    let settings = settings_builder()
        .csrf_trusted_origins(["https://trusted.example", "https://*.wild.example"])
        .secure_proxy_ssl_header("X-Forwarded-Proto", "https")
        .build()
        .unwrap();
    let db = database(&settings).await;
    let key = django_session(&db).await;
    let app = suite_app(&settings, &db).await;
    let masked = csrf::mask_cipher_secret(SECRET).unwrap();
    let post = || {
        with_session(test::TestRequest::post().uri("/session/"), &key)
            .insert_header(("Host", "testserver"))
    };
    let https = || post().insert_header(("X-Forwarded-Proto", "https"));
    let form = |request: test::TestRequest, body: String| {
        request
            .insert_header(("Content-Type", "application/x-www-form-urlencoded"))
            .set_payload(body)
    };

    let rows: Vec<(&str, test::TestRequest, Result<(), String>)> = vec![
        ("no cookie", post(), Err("CSRF cookie not set.".into())),
        ("no cookie, PUT", with_session(test::TestRequest::put().uri("/session/"), &key), Err("CSRF cookie not set.".into())),
        ("no cookie, DELETE", with_session(test::TestRequest::delete().uri("/session/"), &key), Err("CSRF cookie not set.".into())),
        ("no token, form", form(with_csrf_cookie(post(), SECRET), "a=b".into()), Err("CSRF token missing.".into())),
        ("no token, JSON", with_csrf_cookie(post(), SECRET).insert_header(("Content-Type", "application/json")).set_payload(format!(r#"{{"csrfmiddlewaretoken":"{SECRET}"}}"#)), Err("CSRF token missing.".into())),
        ("header abc", with_csrf_cookie(post(), SECRET).insert_header(("X-CSRFToken", "abc")), Err("CSRF token from the 'X-Csrftoken' HTTP header has incorrect length.".into())),
        ("header !x32", with_csrf_cookie(post(), SECRET).insert_header(("X-CSRFToken", "!".repeat(32))), Err("CSRF token from the 'X-Csrftoken' HTTP header has invalid characters.".into())),
        ("header ax32", with_csrf_cookie(post(), SECRET).insert_header(("X-CSRFToken", "a".repeat(32))), Err("CSRF token from the 'X-Csrftoken' HTTP header incorrect.".into())),
        ("header ax64", with_csrf_cookie(post(), SECRET).insert_header(("X-CSRFToken", "a".repeat(64))), Err("CSRF token from the 'X-Csrftoken' HTTP header incorrect.".into())),
        ("form bx64", form(with_csrf_cookie(post(), SECRET), format!("csrfmiddlewaretoken={}", "b".repeat(64))), Err("CSRF token from POST incorrect.".into())),
        ("form bx10", form(with_csrf_cookie(post(), SECRET), format!("csrfmiddlewaretoken={}", "b".repeat(10))), Err("CSRF token from POST has incorrect length.".into())),
        ("form wins over a valid header", form(with_csrf_cookie(post(), SECRET).insert_header(("X-CSRFToken", SECRET)), format!("csrfmiddlewaretoken={}", "b".repeat(64))), Err("CSRF token from POST incorrect.".into())),
        ("cookie short", with_csrf_cookie(post(), "short").insert_header(("X-CSRFToken", SECRET)), Err("CSRF cookie has incorrect length.".into())),
        ("cookie !x32", with_csrf_cookie(post(), &"!".repeat(32)).insert_header(("X-CSRFToken", SECRET)), Err("CSRF cookie has invalid characters.".into())),
        ("evil origin", with_csrf_cookie(post(), SECRET).insert_header(("X-CSRFToken", SECRET)).insert_header(("Origin", "http://evil.com")), Err("Origin checking failed - http://evil.com does not match any trusted origins.".into())),
        ("null origin", with_csrf_cookie(post(), SECRET).insert_header(("X-CSRFToken", SECRET)).insert_header(("Origin", "null")), Err("Origin checking failed - null does not match any trusted origins.".into())),
        ("https, http origin", with_csrf_cookie(https(), SECRET).insert_header(("X-CSRFToken", SECRET)).insert_header(("Origin", "http://testserver")), Err("Origin checking failed - http://testserver does not match any trusted origins.".into())),
        ("https, no referer", with_csrf_cookie(https(), SECRET).insert_header(("X-CSRFToken", SECRET)), Err("Referer checking failed - no Referer.".into())),
        ("https, insecure referer", with_csrf_cookie(https(), SECRET).insert_header(("X-CSRFToken", SECRET)).insert_header(("Referer", "http://testserver/")), Err("Referer checking failed - Referer is insecure while host is secure.".into())),
        ("https, referer https://", with_csrf_cookie(https(), SECRET).insert_header(("X-CSRFToken", SECRET)).insert_header(("Referer", "https://")), Err("Referer checking failed - Referer is malformed.".into())),
        ("https, referer not a url", with_csrf_cookie(https(), SECRET).insert_header(("X-CSRFToken", SECRET)).insert_header(("Referer", "not a url")), Err("Referer checking failed - Referer is malformed.".into())),
        ("https, evil referer", with_csrf_cookie(https(), SECRET).insert_header(("X-CSRFToken", SECRET)).insert_header(("Referer", "https://evil.com/path?q=1")), Err("Referer checking failed - https://evil.com/path?q=1 does not match any trusted origins.".into())),
        ("header = secret", with_csrf_cookie(post(), SECRET).insert_header(("X-CSRFToken", SECRET)), Ok(())),
        ("header masked", with_csrf_cookie(post(), SECRET).insert_header(("X-CSRFToken", masked.clone())), Ok(())),
        ("form masked", form(with_csrf_cookie(post(), SECRET), format!("csrfmiddlewaretoken={masked}")), Ok(())),
        ("same origin", with_csrf_cookie(post(), SECRET).insert_header(("X-CSRFToken", SECRET)).insert_header(("Origin", "http://testserver")), Ok(())),
        ("https referer", with_csrf_cookie(https(), SECRET).insert_header(("X-CSRFToken", SECRET)).insert_header(("Referer", "https://testserver/page")), Ok(())),
        ("https origin", with_csrf_cookie(https(), SECRET).insert_header(("X-CSRFToken", SECRET)).insert_header(("Origin", "https://testserver")), Ok(())),
        ("trusted origin", with_csrf_cookie(https(), SECRET).insert_header(("X-CSRFToken", SECRET)).insert_header(("Origin", "https://trusted.example")), Ok(())),
        ("wildcard origin", with_csrf_cookie(https(), SECRET).insert_header(("X-CSRFToken", SECRET)).insert_header(("Origin", "https://api.wild.example")), Ok(())),
        ("legacy masked cookie + multipart", with_csrf_cookie(post(), &masked).insert_header(("Content-Type", "multipart/form-data; boundary=XyZ")).set_payload(format!("--XyZ\r\nContent-Disposition: form-data; name=\"csrfmiddlewaretoken\"\r\n\r\n{masked}\r\n--XyZ--\r\n")), Ok(())),
        ("GET", with_session(get("/session/"), &key), Ok(())),
        ("HEAD", with_session(test::TestRequest::default().method(actix_web::http::Method::HEAD).uri("/session/"), &key), Ok(())),
        ("OPTIONS", with_session(test::TestRequest::default().method(actix_web::http::Method::OPTIONS).uri("/session/"), &key), Ok(())),
    ];
    for (name, request, expected) in rows {
        let reply = send(&app, request).await;
        match expected {
            Ok(()) => assert_eq!(reply.status, 200, "{name}: {}", reply.body),
            Err(reason) => {
                assert_eq!(reply.status, 403, "{name}");
                assert_eq!(reply.body, csrf_failed(&reason), "{name}");
            }
        }
    }
}

#[actix_web::test]
async fn a_session_post_parses_its_body_during_authentication() {
    let settings = settings();
    let db = database(&settings).await;
    let key = django_session(&db).await;
    let app = suite_app(&settings, &db).await;
    let request = |method: test::TestRequest, content_type: &str, body: &str| {
        with_csrf_cookie(with_session(method.uri("/session/"), &key), SECRET)
            .insert_header(("X-CSRFToken", SECRET))
            .insert_header(("Content-Type", content_type.to_owned()))
            .set_payload(body.to_owned())
    };
    let reply = send(
        &app,
        request(test::TestRequest::post(), "application/json", "{bad"),
    )
    .await;
    assert_eq!(reply.status, 400);
    assert!(
        reply.body.starts_with(r#"{"detail":"JSON parse error - "#),
        "{}",
        reply.body
    );
    let reply = send(
        &app,
        request(test::TestRequest::post(), "text/plain", "hello"),
    )
    .await;
    assert_eq!(reply.status, 415);
    assert_eq!(
        reply.body,
        detail(r#"Unsupported media type "text/plain" in request."#)
    );
    let reply = send(
        &app,
        request(test::TestRequest::put(), "application/json", "{bad"),
    )
    .await;
    assert_eq!(reply.status, 200);
}

#[actix_web::test]
async fn the_handler_still_receives_the_full_form_body() {
    let settings = settings();
    let db = database(&settings).await;
    let key = django_session(&db).await;
    let app = suite_app(&settings, &db).await;
    let body = format!("a=1&csrfmiddlewaretoken={SECRET}&z={}", "x".repeat(10_000));
    let request = with_csrf_cookie(
        with_session(test::TestRequest::post().uri("/session-echo/"), &key),
        SECRET,
    )
    .insert_header(("Content-Type", "application/x-www-form-urlencoded"))
    .set_payload(body.clone());
    let reply = send(&app, request).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body, body);
}

/// The login endpoint's session, decoded independently with the algorithm of spec §7.4.
fn decode_like_django(session_data: &str, secret: &str) -> serde_json::Value {
    let (value, signature) = session_data.rsplit_once(':').unwrap();
    let key = sha2::Sha256::digest(format!(
        "django.contrib.sessions.SessionStoresigner{secret}"
    ));
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(&key).unwrap();
    mac.update(value.as_bytes());
    let expected =
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
    assert_eq!(signature, expected, "signature");
    let (payload, _timestamp) = value.rsplit_once(':').unwrap();
    let (compressed, payload) = match payload.strip_prefix('.') {
        Some(rest) => (true, rest),
        None => (false, payload),
    };
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .unwrap();
    let json = if compressed {
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::ZlibDecoder::new(&bytes[..]), &mut out)
            .unwrap();
        out
    } else {
        bytes
    };
    serde_json::from_slice(&json).unwrap()
}

#[actix_web::test]
async fn login_sets_djangos_cookies_and_writes_a_django_session() {
    let settings = settings();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let request = with_csrf_cookie(test::TestRequest::post().uri("/auth/login/"), SECRET)
        .insert_header(("X-CSRFToken", SECRET))
        .set_json(serde_json::json!({"username": "john", "password": "password"}))
        .to_request();
    let response = test::call_service(&app, request).await;
    assert_eq!(response.status().as_u16(), 200);
    let cookies = set_cookies(&response);
    let key = cookie_value(&cookies, "sessionid").unwrap();
    let csrf_secret = cookie_value(&cookies, "csrftoken").unwrap();
    assert_eq!(key.len(), 32);
    assert!(
        key.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    );
    assert_eq!(csrf_secret.len(), 32);
    assert_ne!(csrf_secret, SECRET, "login rotates the CSRF secret");
    let session_line = cookies
        .iter()
        .find(|line| line.starts_with("sessionid="))
        .unwrap();
    assert!(
        session_line.ends_with("; HttpOnly; Max-Age=1209600; Path=/; SameSite=Lax"),
        "{session_line}"
    );
    let csrf_line = cookies
        .iter()
        .find(|line| line.starts_with("csrftoken="))
        .unwrap();
    assert!(
        csrf_line.ends_with("; Max-Age=31449600; Path=/; SameSite=Lax"),
        "{csrf_line}"
    );
    assert_eq!(response.headers().get(header::VARY).unwrap(), "Cookie");
    let body = test::read_body(response).await;
    assert_eq!(body, r#"{"id":1,"username":"john","email":""}"#);

    let row = session_rows::load(&db, &key, chrono::Utc::now())
        .await
        .unwrap()
        .unwrap();
    let john = user::AUTH_USER
        .find_by_username(&db, "john")
        .await
        .unwrap()
        .unwrap();
    let decoded = decode_like_django(&row.session_data, SECRET_KEY);
    assert_eq!(
        decoded.to_string(),
        serde_json::json!({
            "_auth_user_id": "1",
            "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
            "_auth_user_hash": session_data::session_auth_hash(&john.password, SECRET_KEY),
        })
        .to_string()
    );
    assert!(john.last_login.is_some());
    let expected_expiry = chrono::Utc::now() + chrono::TimeDelta::seconds(1_209_600);
    assert!((row.expire_date - expected_expiry).num_seconds().abs() < 60);

    // The new session authenticates, and the rotated cookie value passes CSRF as a header.
    let reply = send(&app, with_session(get("/session/"), &key)).await;
    assert_eq!(reply.body, json_body("john", "None"));
    let post = with_csrf_cookie(
        with_session(test::TestRequest::post().uri("/session/"), &key),
        &csrf_secret,
    )
    .insert_header(("X-CSRFToken", csrf_secret.clone()));
    assert_eq!(send(&app, post).await.status, 200);
}

#[actix_web::test]
async fn login_refuses_bad_input_missing_csrf_and_bad_credentials() {
    let settings = settings();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let login = |body: serde_json::Value| {
        with_csrf_cookie(test::TestRequest::post().uri("/auth/login/"), SECRET)
            .insert_header(("X-CSRFToken", SECRET))
            .set_json(body)
    };
    let reply = send(
        &app,
        test::TestRequest::post()
            .uri("/auth/login/")
            .set_json(serde_json::json!({"username": "john", "password": "password"})),
    )
    .await;
    assert_eq!(
        (reply.status, reply.body),
        (403, csrf_failed("CSRF cookie not set."))
    );
    let reply = send(
        &app,
        login(serde_json::json!({"username": "john", "password": "wrong"})),
    )
    .await;
    assert_eq!(reply.status, 400);
    assert_eq!(
        reply.body,
        r#"{"non_field_errors":["Unable to log in with provided credentials."]}"#
    );
    let reply = send(&app, login(serde_json::json!({"username": "john"}))).await;
    assert_eq!(reply.body, r#"{"password":["This field is required."]}"#);
    let reply = send(
        &app,
        login(serde_json::json!({"username": "inactive", "password": "password"})),
    )
    .await;
    assert_eq!(reply.status, 400);
    let reply = send(&app, get("/auth/login/")).await;
    assert_eq!(
        (reply.status, reply.body),
        (405, detail(r#"Method "GET" not allowed."#))
    );
    // A form login works too; Basic credentials play no part.
    let form = with_csrf_cookie(test::TestRequest::post().uri("/auth/login/"), SECRET)
        .insert_header(("Content-Type", "application/x-www-form-urlencoded"))
        .insert_header(("Authorization", basic(b"admin:password")))
        .set_payload(format!(
            "username=john&password=password&csrfmiddlewaretoken={SECRET}"
        ));
    let reply = send(&app, form).await;
    assert_eq!(reply.status, 200);
    assert!(reply.body.contains(r#""username":"john""#));
}

#[actix_web::test]
async fn login_cycles_an_anonymous_session_key() {
    let settings = settings();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let expire = chrono::Utc::now() + chrono::TimeDelta::days(1);
    let anonymous = session_data::encode(
        &serde_json::Map::from_iter([("cart".to_owned(), serde_json::json!(3))]),
        SECRET_KEY,
        now_secs(),
    );
    session_rows::insert(&db, KEY.to_owned(), anonymous, expire)
        .await
        .unwrap();
    let request = with_csrf_cookie(
        with_session(test::TestRequest::post().uri("/auth/login/"), KEY),
        SECRET,
    )
    .insert_header(("X-CSRFToken", SECRET))
    .set_json(serde_json::json!({"username": "john", "password": "password"}))
    .to_request();
    let response = test::call_service(&app, request).await;
    let key = cookie_value(&set_cookies(&response), "sessionid").unwrap();
    assert_ne!(key, KEY);
    assert!(
        session_rows::load(&db, KEY, chrono::Utc::now())
            .await
            .unwrap()
            .is_none()
    );
    let row = session_rows::load(&db, &key, chrono::Utc::now())
        .await
        .unwrap()
        .unwrap();
    let decoded = decode_like_django(&row.session_data, SECRET_KEY);
    assert_eq!(decoded["cart"], 3, "anonymous data is kept");
    assert_eq!(decoded["_auth_user_id"], "1");
}

#[actix_web::test]
async fn a_password_change_logs_other_sessions_out_and_clears_the_cookie() {
    let settings = settings();
    let db = database(&settings).await;
    let key = django_session(&db).await;
    let app = suite_app(&settings, &db).await;
    assert_eq!(
        send(&app, with_session(get("/session/"), &key))
            .await
            .status,
        200
    );
    let john = user::AUTH_USER
        .find_by_username(&db, "john")
        .await
        .unwrap()
        .unwrap();
    user::AUTH_USER
        .save_password(
            &db,
            john.id,
            settings
                .settings()
                .password_hashers
                .make_password("new password"),
        )
        .await
        .unwrap();

    let response =
        test::call_service(&app, with_session(get("/session/"), &key).to_request()).await;
    assert_eq!(response.status().as_u16(), 403);
    assert_eq!(
        set_cookies(&response),
        [r#"sessionid=""; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/; SameSite=Lax"#]
    );
    assert_eq!(test::read_body(response).await, Reply::NOT_PROVIDED);
    assert!(
        session_rows::load(&db, &key, chrono::Utc::now())
            .await
            .unwrap()
            .is_none(),
        "the row is flushed"
    );
}

#[actix_web::test]
async fn an_inactive_users_session_is_anonymous() {
    let settings = settings();
    let db = database(&settings).await;
    let key = django_session(&db).await;
    use auth_actix::store::sea_orm::ConnectionTrait;
    db.execute_unprepared("UPDATE auth_user SET is_active = 0 WHERE id = 1")
        .await
        .unwrap();
    let app = suite_app(&settings, &db).await;
    for request in [get("/session/"), test::TestRequest::post().uri("/session/")] {
        let reply = send(&app, with_session(request, &key)).await;
        assert_eq!(
            (reply.status, reply.body.as_str()),
            (403, Reply::NOT_PROVIDED)
        );
    }
}

#[actix_web::test]
async fn a_session_under_a_fallback_secret_is_rekeyed() {
    let old = "the previous secret key";
    let settings = settings_builder()
        .secret_key_fallbacks([old])
        .build()
        .unwrap();
    let db = database(&settings).await;
    let john = user::AUTH_USER
        .find_by_username(&db, "john")
        .await
        .unwrap()
        .unwrap();
    let data = serde_json::Map::from_iter([
        ("_auth_user_id".to_owned(), serde_json::json!("1")),
        (
            "_auth_user_backend".to_owned(),
            serde_json::json!("django.contrib.auth.backends.ModelBackend"),
        ),
        (
            "_auth_user_hash".to_owned(),
            serde_json::json!(session_data::session_auth_hash(&john.password, old)),
        ),
    ]);
    let expire = chrono::Utc::now() + chrono::TimeDelta::days(1);
    session_rows::insert(
        &db,
        KEY.to_owned(),
        session_data::encode(&data, old, now_secs()),
        expire,
    )
    .await
    .unwrap();
    let app = suite_app(&settings, &db).await;
    let response = test::call_service(&app, with_session(get("/session/"), KEY).to_request()).await;
    assert_eq!(response.status().as_u16(), 200);
    let key = cookie_value(&set_cookies(&response), "sessionid").unwrap();
    assert_ne!(key, KEY);
    assert!(
        session_rows::load(&db, KEY, chrono::Utc::now())
            .await
            .unwrap()
            .is_none()
    );
    let row = session_rows::load(&db, &key, chrono::Utc::now())
        .await
        .unwrap()
        .unwrap();
    let decoded = decode_like_django(&row.session_data, SECRET_KEY);
    assert_eq!(
        decoded["_auth_user_hash"],
        session_data::session_auth_hash(&john.password, SECRET_KEY)
    );
}

#[actix_web::test]
async fn bad_session_cookies_and_rows_are_anonymous() {
    let settings = settings();
    let db = database(&settings).await;
    let key = django_session(&db).await;
    let expire = chrono::Utc::now() + chrono::TimeDelta::days(1);
    let past = chrono::Utc::now() - chrono::TimeDelta::seconds(1);
    let tampered = B1_LOGIN_SESSION.replacen("eJx", "eJy", 1);
    let truncated = &B1_LOGIN_SESSION[..40];
    for (row_key, data, expiry) in [
        ("tamperedtamperedtampered", tampered.as_str(), expire),
        ("truncatedtruncatedtruncated", truncated, expire),
        ("expiredexpiredexpired", B1_LOGIN_SESSION, past),
        (
            "notsignednotsignednotsigned",
            "{\"_auth_user_id\":\"1\"}",
            expire,
        ),
    ] {
        session_rows::insert(&db, row_key.to_owned(), data.to_owned(), expiry)
            .await
            .unwrap();
    }
    let app = suite_app(&settings, &db).await;
    for cookie in [
        "tamperedtamperedtampered",
        "truncatedtruncatedtruncated",
        "expiredexpiredexpired",
        "notsignednotsignednotsigned",
        "short",
        "",
        "unknownunknownunknown",
        "\u{e9}\u{ff}\"; x",
        &key[..31],
    ] {
        let value =
            header::HeaderValue::from_bytes(format!("sessionid={cookie}").as_bytes()).unwrap();
        let request = get("/session-open/").insert_header((header::COOKIE, value));
        let reply = send(&app, request).await;
        assert_eq!(reply.status, 200, "{cookie:?}");
        assert_eq!(reply.body, json_body("AnonymousUser", "None"), "{cookie:?}");
    }
}

#[actix_web::test]
async fn logout_flushes_the_session_and_deletes_the_cookie() {
    let settings = settings();
    let db = database(&settings).await;
    let key = django_session(&db).await;
    let app = suite_app(&settings, &db).await;
    let request = with_csrf_cookie(
        with_session(test::TestRequest::post().uri("/auth/logout/"), &key),
        SECRET,
    )
    .insert_header(("X-CSRFToken", SECRET))
    .to_request();
    let response = test::call_service(&app, request).await;
    assert_eq!(response.status().as_u16(), 204);
    assert_eq!(
        set_cookies(&response),
        [r#"sessionid=""; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/; SameSite=Lax"#]
    );
    assert!(
        session_rows::load(&db, &key, chrono::Utc::now())
            .await
            .unwrap()
            .is_none()
    );
    let reply = send(&app, with_session(get("/session/"), &key)).await;
    assert_eq!(reply.status, 403);
    // Logout is CSRF-protected.
    let reply = send(
        &app,
        with_session(test::TestRequest::post().uri("/auth/logout/"), &key),
    )
    .await;
    assert_eq!(
        (reply.status, reply.body),
        (403, csrf_failed("CSRF cookie not set."))
    );
}

#[actix_web::test]
async fn csrf_endpoint_sets_the_cookie_and_returns_a_masked_token() {
    let settings = settings();
    let db = database(&settings).await;
    let key = django_session(&db).await;
    let app = suite_app(&settings, &db).await;
    let response = test::call_service(&app, get("/auth/csrf/").to_request()).await;
    assert_eq!(response.status().as_u16(), 200);
    let secret = cookie_value(&set_cookies(&response), "csrftoken").unwrap();
    assert_eq!(secret.len(), 32);
    let body: serde_json::Value = serde_json::from_slice(&test::read_body(response).await).unwrap();
    let token = body["csrf_token"].as_str().unwrap().to_owned();
    assert_eq!(token.len(), 64);
    assert_ne!(&token[32..], secret, "the token is masked");
    let post = with_csrf_cookie(
        with_session(test::TestRequest::post().uri("/session/"), &key),
        &secret,
    )
    .insert_header(("X-CSRFToken", token));
    assert_eq!(send(&app, post).await.status, 200);
    // An existing valid cookie keeps its secret.
    let response = test::call_service(
        &app,
        with_csrf_cookie(get("/auth/csrf/"), SECRET).to_request(),
    )
    .await;
    assert_eq!(
        cookie_value(&set_cookies(&response), "csrftoken").unwrap(),
        SECRET
    );
}

#[actix_web::test]
async fn expired_sessions_are_cleared() {
    let settings = settings();
    let db = database(&settings).await;
    let now = chrono::Utc::now();
    session_rows::insert(
        &db,
        "expiredexpiredexpired".into(),
        "x".into(),
        now - chrono::TimeDelta::days(1),
    )
    .await
    .unwrap();
    session_rows::insert(
        &db,
        KEY.into(),
        "x".into(),
        now + chrono::TimeDelta::days(1),
    )
    .await
    .unwrap();
    assert_eq!(session_rows::clear_expired(&db, now).await.unwrap(), 1);
    assert!(session_rows::exists(&db, KEY).await.unwrap());
    assert!(
        !session_rows::exists(&db, "expiredexpiredexpired")
            .await
            .unwrap()
    );
}

/// `CSRF_USE_SESSIONS`: the CSRF view stores the secret in a new anonymous session (no
/// `csrftoken` cookie), login keeps it there, rotated, and the check reads it from the session —
/// a `csrftoken` cookie with its own matching token is not accepted.
#[actix_web::test]
async fn csrf_use_sessions_keeps_the_secret_in_the_session() {
    let settings = settings_builder().csrf_use_sessions(true).build().unwrap();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;

    let response = test::call_service(&app, get("/auth/csrf/").to_request()).await;
    assert_eq!(response.status().as_u16(), 200);
    let cookies = set_cookies(&response);
    assert_eq!(cookie_value(&cookies, "csrftoken"), None, "{cookies:?}");
    let anonymous = cookie_value(&cookies, "sessionid").unwrap();
    let body: serde_json::Value = serde_json::from_slice(&test::read_body(response).await).unwrap();
    let token = body["csrf_token"].as_str().unwrap().to_owned();
    let stored = |key: String| {
        let db = db.clone();
        async move {
            let row = session_rows::load(&db, &key, chrono::Utc::now())
                .await
                .unwrap()
                .unwrap();
            decode_like_django(&row.session_data, SECRET_KEY)
        }
    };
    let anonymous_data = stored(anonymous.clone()).await;
    let secret = anonymous_data[csrf::CSRF_SESSION_KEY]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(secret.len(), 32);
    assert_eq!(csrf::unmask_cipher_token(&token).unwrap(), secret);

    // Asked again with the session: the same secret, and the unchanged session is not re-sent.
    let response = test::call_service(
        &app,
        with_session(get("/auth/csrf/"), &anonymous).to_request(),
    )
    .await;
    assert!(set_cookies(&response).is_empty());
    let body: serde_json::Value = serde_json::from_slice(&test::read_body(response).await).unwrap();
    let again = body["csrf_token"].as_str().unwrap();
    assert_eq!(csrf::unmask_cipher_token(again).unwrap(), secret);

    // A cookie secret is not where the check looks: refused without the session's.
    let forged = with_csrf_cookie(
        with_session(test::TestRequest::post().uri("/auth/login/"), &anonymous),
        SECRET,
    )
    .insert_header(("X-CSRFToken", SECRET))
    .set_json(serde_json::json!({"username": "john", "password": "password"}));
    let reply = send(&app, forged).await;
    assert_eq!(
        (reply.status, reply.body),
        (
            403,
            csrf_failed("CSRF token from the 'X-Csrftoken' HTTP header incorrect.")
        )
    );
    // No session, no secret: Django's "cookie not set".
    let no_session = with_csrf_cookie(test::TestRequest::post().uri("/auth/login/"), SECRET)
        .insert_header(("X-CSRFToken", SECRET))
        .set_json(serde_json::json!({"username": "john", "password": "password"}));
    let reply = send(&app, no_session).await;
    assert_eq!(
        (reply.status, reply.body),
        (403, csrf_failed("CSRF cookie not set."))
    );

    let login = with_session(test::TestRequest::post().uri("/auth/login/"), &anonymous)
        .insert_header(("X-CSRFToken", token.clone()))
        .set_json(serde_json::json!({"username": "john", "password": "password"}))
        .to_request();
    let response = test::call_service(&app, login).await;
    assert_eq!(response.status().as_u16(), 200);
    let cookies = set_cookies(&response);
    assert_eq!(cookie_value(&cookies, "csrftoken"), None, "{cookies:?}");
    let key = cookie_value(&cookies, "sessionid").unwrap();
    assert_ne!(key, anonymous, "login cycles the key");
    let data = stored(key.clone()).await;
    let keys: Vec<&String> = data.as_object().unwrap().keys().collect();
    // The anonymous session's data is kept in its place, the secret rotated.
    assert_eq!(
        keys,
        [
            "_csrftoken",
            "_auth_user_id",
            "_auth_user_backend",
            "_auth_user_hash"
        ]
    );
    let rotated = data[csrf::CSRF_SESSION_KEY].as_str().unwrap().to_owned();
    assert_ne!(rotated, secret);

    // The pre-login token no longer passes; one of the rotated secret does.
    let post = |token: String| {
        with_session(test::TestRequest::post().uri("/session/"), &key)
            .insert_header(("X-CSRFToken", token))
    };
    assert_eq!(send(&app, post(token)).await.status, 403);
    assert_eq!(
        send(&app, post(csrf::mask_cipher_secret(&rotated).unwrap()))
            .await
            .status,
        200
    );
}
