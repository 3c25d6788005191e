//! `auth.login(&user)`, `auth.logout()` and `auth.session()` from ordinary handlers: the rows and
//! cookies they leave, read back as Django's session engine reads them. Django itself reading
//! them is the interop suite's (`parity/run_interop.py`, scenario 12).

use actix_web::dev::ServiceResponse;
use actix_web::test::{TestRequest, call_service};
use actix_web::{HttpResponse, web};
use auth_actix::authentication::authenticate;
use auth_actix::{AllowAny, ApiErrorResponse, AuthRuntime, PolicyGuard, SessionAuthentication};
use serde_json::json;
use test_support::*;

type Open = PolicyGuard<(SessionAuthentication,), AllowAny>;

async fn log_in(
    guard: Open,
    runtime: web::Data<AuthRuntime>,
    body: web::Json<serde_json::Value>,
) -> Result<HttpResponse, actix_web::Error> {
    let username = body["username"].as_str().unwrap_or_default();
    let password = body["password"].as_str().unwrap_or_default();
    let found = authenticate(runtime.env(), username, password)
        .await
        .map_err(ApiErrorResponse::from)?;
    let Some(user) = found else {
        return Ok(HttpResponse::BadRequest().finish());
    };
    let user = guard.auth().login(&user).await?;
    Ok(HttpResponse::Ok().json(json!({"id": user.id, "last_login": user.last_login.is_some()})))
}

async fn log_out(guard: Open) -> Result<HttpResponse, actix_web::Error> {
    guard.auth().logout().await?;
    Ok(HttpResponse::NoContent().finish())
}

async fn write(
    guard: Open,
    body: web::Json<serde_json::Value>,
) -> Result<HttpResponse, actix_web::Error> {
    let session = guard.auth().session().await?;
    let mut seen: Vec<String> = session
        .get("seen")
        .map_err(actix_web::error::ErrorBadRequest)?
        .unwrap_or_default();
    seen.push(body["item"].as_str().unwrap_or_default().to_owned());
    session
        .insert("seen", &seen)
        .map_err(actix_web::error::ErrorBadRequest)?;
    let refused = session.insert("_auth_user_id", "1").is_err();
    Ok(HttpResponse::Ok().json(
        json!({"seen": seen, "forgery_refused": refused, "user": guard.auth().user().to_string()}),
    ))
}

async fn read(guard: Open) -> Result<HttpResponse, actix_web::Error> {
    let session = guard.auth().session().await?;
    let seen: Option<Vec<String>> = session
        .get("seen")
        .map_err(actix_web::error::ErrorBadRequest)?;
    Ok(HttpResponse::Ok().json(json!({"seen": seen, "user": guard.auth().user().to_string()})))
}

async fn plain(guard: Open) -> HttpResponse {
    HttpResponse::Ok().body(guard.auth().user().to_string())
}

fn routes(config: &mut web::ServiceConfig) {
    config
        .route(
            "/plain/",
            web::get().to(auth_actix::policy::declared(plain)),
        )
        .route(
            "/log-in/",
            web::post().to(auth_actix::policy::declared(log_in)),
        )
        .route(
            "/log-out/",
            web::post().to(auth_actix::policy::declared(log_out)),
        )
        .route(
            "/session/write/",
            web::post().to(auth_actix::policy::declared(write)),
        )
        .route(
            "/session/read/",
            web::get().to(auth_actix::policy::declared(read)),
        );
}

/// `GET path` with the session cookie `key`.
fn with_session(path: &str, key: &str) -> actix_http::Request {
    TestRequest::get()
        .uri(path)
        .insert_header(("Cookie", format!("sessionid={key}")))
        .to_request()
}

fn cookie<B>(response: &ServiceResponse<B>, name: &str) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
        .find(|line| line.starts_with(&format!("{name}=")))
        .map(|line| {
            line[name.len() + 1..]
                .split(';')
                .next()
                .unwrap_or_default()
                .to_owned()
        })
}

async fn json_of<B: actix_web::body::MessageBody>(
    response: ServiceResponse<B>,
) -> serde_json::Value {
    serde_json::from_slice(&actix_web::test::read_body(response).await).unwrap()
}

#[actix_web::test]
async fn a_handler_logs_in_writes_the_session_and_logs_out() {
    let settings = settings();
    let db = database(&settings).await;
    let app = session_app(&settings, &db, routes).await;

    // An anonymous visitor's session: created by the first write, kept across the login.
    let response = call_service(
        &app,
        TestRequest::post()
            .uri("/session/write/")
            .set_json(json!({"item": "a"}))
            .to_request(),
    )
    .await;
    assert_eq!(response.status(), 200);
    let anonymous = cookie(&response, "sessionid").expect("a new session cookie");
    assert_eq!(
        json_of(response).await,
        json!({"seen": ["a"], "forgery_refused": true, "user": "AnonymousUser"})
    );

    let response = call_service(
        &app,
        TestRequest::post()
            .uri("/log-in/")
            .insert_header(("Cookie", format!("sessionid={anonymous}")))
            .set_json(json!({"username": "john", "password": "password"}))
            .to_request(),
    )
    .await;
    assert_eq!(response.status(), 200);
    let logged_in = cookie(&response, "sessionid").expect("the session cookie");
    assert_ne!(logged_in, anonymous, "login cycles the key (no fixation)");
    assert!(
        cookie(&response, "csrftoken").is_some(),
        "the CSRF secret is rotated"
    );
    assert_eq!(
        json_of(response).await,
        json!({"id": 1, "last_login": true})
    );

    // The session authenticates john and kept the anonymous data (Django's cycle_key).
    let response = call_service(&app, with_session("/session/read/", &logged_in)).await;
    assert_eq!(
        json_of(response).await,
        json!({"seen": ["a"], "user": "john"})
    );
    let old = call_service(&app, with_session("/session/read/", &anonymous)).await;
    assert_eq!(
        json_of(old).await,
        json!({"seen": null, "user": "AnonymousUser"})
    );

    // Logout (a session POST needs its CSRF token; a GET-less test client: Basic is not on the
    // route, so the CSRF check is the session's).
    let response = call_service(
        &app,
        TestRequest::post()
            .uri("/log-out/")
            .insert_header(("Cookie", format!("sessionid={logged_in}")))
            .to_request(),
    )
    .await;
    assert_eq!(
        response.status(),
        403,
        "a session's POST without its CSRF token"
    );
    let csrf = auth_core::django::csrf::generate_secret();
    let masked = auth_core::django::csrf::mask_cipher_secret(&csrf).unwrap();
    let response = call_service(
        &app,
        TestRequest::post()
            .uri("/log-out/")
            .insert_header(("Cookie", format!("sessionid={logged_in}; csrftoken={csrf}")))
            .insert_header(("X-CSRFToken", masked))
            .insert_header(("Referer", "http://localhost/"))
            .insert_header(("Host", "localhost"))
            .to_request(),
    )
    .await;
    assert_eq!(response.status(), 204);
    assert_eq!(cookie(&response, "sessionid").as_deref(), Some("\"\""));
    let response = call_service(&app, with_session("/session/read/", &logged_in)).await;
    assert_eq!(
        json_of(response).await,
        json!({"seen": null, "user": "AnonymousUser"})
    );
}

#[actix_web::test]
async fn without_the_session_middleware_the_session_methods_refuse() {
    let settings = settings();
    let db = database(&settings).await;
    let app = app(&settings, &db, routes).await;
    let response = call_service(
        &app,
        TestRequest::post()
            .uri("/session/write/")
            .set_json(json!({"item": "a"}))
            .to_request(),
    )
    .await;
    assert_eq!(response.status(), 500);
}

#[actix_web::test]
async fn expire_at_browser_close_and_save_every_request_follow_djangos_session_middleware() {
    let settings = settings_builder()
        .session_expire_at_browser_close(true)
        .session_save_every_request(true)
        .build()
        .unwrap();
    let db = database(&settings).await;
    let app = session_app(&settings, &db, routes).await;
    let response = call_service(
        &app,
        TestRequest::post()
            .uri("/session/write/")
            .set_json(json!({"item": "a"}))
            .to_request(),
    )
    .await;
    let line = response
        .headers()
        .get_all("set-cookie")
        .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
        .find(|line| line.starts_with("sessionid="))
        .expect("the session cookie");
    assert!(
        line.ends_with("; HttpOnly; Path=/; SameSite=Lax") && !line.contains("expires"),
        "a browser-session cookie: {line}"
    );
    let key = cookie(&response, "sessionid").unwrap();

    // A request that only reads the session still saves it and sends the cookie again.
    let expiry = |db: DatabaseConnection, key: String| async move {
        use auth_actix::store::sea_orm::{ConnectionTrait, Statement};
        let row = db
            .query_one_raw(Statement::from_sql_and_values(
                db.get_database_backend(),
                "SELECT expire_date FROM django_session WHERE session_key = ?",
                [key.into()],
            ))
            .await
            .unwrap()
            .unwrap();
        row.try_get::<String>("", "expire_date").unwrap()
    };
    let before = expiry(db.clone(), key.clone()).await;
    std::thread::sleep(std::time::Duration::from_millis(20));
    let response = call_service(&app, with_session("/session/read/", &key)).await;
    assert_eq!(
        cookie(&response, "sessionid").as_deref(),
        Some(key.as_str())
    );
    let after = expiry(db.clone(), key.clone()).await;
    assert!(after > before, "the expiry moved: {before} -> {after}");
    // Nor does a handler that never asks for the session.
    let response = call_service(&app, with_session("/plain/", &key)).await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        cookie(&response, "sessionid").as_deref(),
        Some(key.as_str())
    );
    // Without a cookie nothing is saved.
    let response = call_service(&app, TestRequest::get().uri("/session/read/").to_request()).await;
    assert_eq!(cookie(&response, "sessionid"), None);
}
