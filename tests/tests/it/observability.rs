//! The `auth_pipeline` span: scheme, user and outcome are recorded; credentials never are.

use std::io::Write;
use std::sync::{Arc, Mutex};

use actix_web::{App, test};
use auth_actix::{BasicAuthentication, IsAuthenticated, TokenAuthentication};
use test_support::*;

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[actix_web::test]
async fn the_pipeline_span_records_outcomes_and_no_secret() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let settings = settings();
    let db = database(&settings).await;
    let app = test::init_service(
        App::new()
            .configure(auth_actix::configure(settings.clone(), db.clone()))
            .service(route::<(TokenAuthentication,), IsAuthenticated>("/token/"))
            .service(route::<(BasicAuthentication,), IsAuthenticated>("/basic/")),
    )
    .await;
    assert_eq!(
        send(&app, with_auth(get("/token/"), "Token abcd1234"))
            .await
            .status,
        200
    );
    assert_eq!(
        send(
            &app,
            with_auth(get("/basic/"), basic(b"john:hunter2-secret"))
        )
        .await
        .status,
        401
    );
    assert_eq!(send(&app, get("/token/")).await.status, 401);

    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(log.contains("scheme=\"TokenAuthentication\""), "{log}");
    assert!(log.contains("user_id=1"), "{log}");
    assert!(log.contains("outcome=\"allowed\""), "{log}");
    assert!(log.contains("outcome=\"authentication_failed\""), "{log}");
    assert!(
        log.contains("reason=\"Invalid username/password.\""),
        "{log}"
    );
    assert!(log.contains("outcome=\"not_authenticated\""), "{log}");
    for secret in [
        "abcd1234",
        "hunter2-secret",
        "am9objpodW50ZXIyLXNlY3JldA",
        "pbkdf2_sha256$",
        SECRET_KEY,
    ] {
        assert!(!log.contains(secret), "{secret} leaked into:\n{log}");
    }
}
