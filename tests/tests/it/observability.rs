//! The `auth_pipeline` span: scheme, user and outcome are recorded; credentials never are.

use auth_actix::{BasicAuthentication, IsAuthenticated, TokenAuthentication};
use test_support::*;

#[actix_web::test]
async fn the_pipeline_span_records_outcomes_and_no_secret() {
    let captured = CapturedLogs::default();
    let _guard = captured.set_default(tracing::Level::DEBUG);

    let settings = settings();
    let db = database(&settings).await;
    let app = app(&settings, &db, |routes| {
        routes
            .service(route::<(TokenAuthentication,), IsAuthenticated>("/token/"))
            .service(route::<(BasicAuthentication,), IsAuthenticated>("/basic/"));
    })
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

    let log = captured.text();
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
