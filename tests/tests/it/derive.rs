//! `#[derive(Authentication)]`: credentials from headers, cookies, the query string and an
//! `Authorization` keyword; absent → not attempted; unparsable → failed, naming the credential;
//! the challenge decides 401/403 like any scheme; a configured token keyword is DRF's scheme.

use actix_web::{HttpResponse, web};
use auth_actix::authentication::{AuthContext, AuthInfo, Authenticated, Verify};
use auth_actix::{
    ApiError, Auth, Authentication, IsAuthenticated, authentication_classes, permission_classes,
};
use test_support::*;

/// DRF's documented `ExampleAuthentication` (also `examples/src/bin/x_username.rs`).
#[derive(Authentication)]
struct ExampleAuthentication {
    #[credential(header = "X-Username")]
    username: String,
}

impl Verify for ExampleAuthentication {
    async fn verify(self, cx: &AuthContext<'_>) -> Result<Authenticated, ApiError> {
        match cx
            .settings()
            .user_model
            .find_by_username(cx.db(), &self.username)
            .await
        {
            Ok(Some(user)) => Ok(Authenticated {
                user: user.into(),
                auth: AuthInfo::None,
            }),
            Ok(None) => Err(ApiError::authentication_failed("No such user")),
            Err(error) => Err(ApiError::store_failure(error)),
        }
    }
}

/// A key with a challenge, an optional numeric tenant from the query and a cookie.
#[derive(Authentication)]
#[authentication(challenge = "ApiKey")]
struct ApiKey {
    #[credential(header = "X-Api-Key")]
    key: String,
    #[credential(query = "tenant")]
    tenant: Option<u32>,
    #[credential(cookie = "region")]
    region: Option<String>,
}

impl Verify for ApiKey {
    async fn verify(self, cx: &AuthContext<'_>) -> Result<Authenticated, ApiError> {
        if self.key != "secret-key" {
            return Err(ApiError::authentication_failed("Invalid API key."));
        }
        let user = cx
            .settings()
            .user_model
            .find_by_username(cx.db(), "john")
            .await
            .map_err(ApiError::store_failure)?;
        let value = format!("{:?}/{:?}", self.tenant, self.region);
        Ok(Authenticated {
            user: user.unwrap().into(),
            auth: AuthInfo::Value(value.into()),
        })
    }
}

/// `Authorization: Key <number>`.
#[derive(Authentication)]
#[authentication(challenge = "Key", name = "NumericKey")]
struct NumericKey {
    #[credential(bearer = "Key")]
    number: u64,
}

impl Verify for NumericKey {
    async fn verify(self, cx: &AuthContext<'_>) -> Result<Authenticated, ApiError> {
        let user = cx
            .settings()
            .user_model
            .find_by_username(cx.db(), "admin")
            .await
            .map_err(ApiError::store_failure)?;
        Ok(Authenticated {
            user: user.unwrap().into(),
            auth: AuthInfo::Value(self.number.to_string().into()),
        })
    }
}

/// DRF's "subclass TokenAuthentication and set keyword".
#[derive(Authentication)]
#[authentication(token, keyword = "Bearer")]
struct BearerToken;

fn reply(auth: &Auth) -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({
        "user": auth.user().to_string(),
        "auth": auth.auth().to_drf_string(),
        "scheme": auth.scheme(),
    }))
}

#[authentication_classes(ExampleAuthentication)]
#[permission_classes(IsAuthenticated)]
async fn example(auth: Auth) -> HttpResponse {
    reply(&auth)
}

#[authentication_classes(ApiKey)]
#[permission_classes(IsAuthenticated)]
async fn api_key(auth: Auth) -> HttpResponse {
    reply(&auth)
}

#[authentication_classes(NumericKey)]
#[permission_classes(IsAuthenticated)]
async fn numeric(auth: Auth) -> HttpResponse {
    reply(&auth)
}

#[authentication_classes(BearerToken)]
#[permission_classes(IsAuthenticated)]
async fn bearer(auth: Auth) -> HttpResponse {
    reply(&auth)
}

/// The suite's app: the library on `db` with these routes.
async fn suite_app(settings: &AuthSettings, db: &DatabaseConnection) -> impl TestApp + use<> {
    app(settings, db, |routes| {
        routes
            .route("/example/", web::get().to(example))
            .route("/api-key/", web::get().to(api_key))
            .route("/numeric/", web::get().to(numeric))
            .route("/bearer/", web::get().to(bearer));
    })
    .await
}

#[actix_web::test]
async fn drf_example_scheme_rows() {
    let settings = settings();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let reply = send(&app, get("/example/").insert_header(("X-Username", "john"))).await;
    assert_eq!(reply.status, 200);
    assert!(reply.body.contains(r#""user":"john""#), "{}", reply.body);
    assert!(
        reply.body.contains(r#""scheme":"ExampleAuthentication""#),
        "{}",
        reply.body
    );
    // Unknown user: failed, and without a challenge that is a 403.
    let reply = send(
        &app,
        get("/example/").insert_header(("X-Username", "nobody")),
    )
    .await;
    assert_eq!(
        (reply.status, reply.www_authenticate.as_deref()),
        (403, None)
    );
    assert_eq!(reply.body, detail("No such user"));
    // Absent or empty header: not attempted → anonymous → not provided.
    for request in [
        get("/example/"),
        get("/example/").insert_header(("X-Username", "")),
    ] {
        let reply = send(&app, request).await;
        assert_eq!(reply.status, 403);
        assert_eq!(reply.body, Reply::NOT_PROVIDED);
    }
}

#[actix_web::test]
async fn challenge_makes_errors_401_and_optional_credentials_parse() {
    let settings = settings();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let reply = send(&app, get("/api-key/")).await;
    assert_eq!(reply.status, 401);
    assert_eq!(reply.www_authenticate.as_deref(), Some("ApiKey"));
    assert_eq!(reply.body, Reply::NOT_PROVIDED);

    let reply = send(&app, get("/api-key/").insert_header(("X-Api-Key", "wrong"))).await;
    assert_eq!(
        (reply.status, reply.body.as_str()),
        (401, detail("Invalid API key.").as_str())
    );

    let request = get("/api-key/?tenant=7&other=1")
        .insert_header(("X-Api-Key", "secret-key"))
        .insert_header(("Cookie", "region=eu"));
    let reply = send(&app, request).await;
    assert_eq!(reply.status, 200);
    assert!(
        reply.body.contains(r#""auth":"Some(7)/Some(\"eu\")""#),
        "{}",
        reply.body
    );

    let reply = send(
        &app,
        get("/api-key/").insert_header(("X-Api-Key", "secret-key")),
    )
    .await;
    assert!(
        reply.body.contains(r#""auth":"None/None""#),
        "{}",
        reply.body
    );
}

#[actix_web::test]
async fn unparsable_credential_fails_naming_it() {
    let settings = settings();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let request = get("/api-key/?tenant=seven").insert_header(("X-Api-Key", "secret-key"));
    let reply = send(&app, request).await;
    assert_eq!(reply.status, 401);
    assert_eq!(reply.body, detail("Invalid tenant query parameter."));
    // A present optional credential makes the scheme attempt even without the required one.
    let reply = send(&app, get("/api-key/?tenant=1")).await;
    assert_eq!(reply.status, 401);
    assert_eq!(reply.body, detail("Missing X-Api-Key header."));
}

#[actix_web::test]
async fn authorization_keyword_source_follows_drf_header_rules() {
    let settings = settings();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let reply = send(&app, with_auth(get("/numeric/"), "key 42")).await;
    assert_eq!(reply.status, 200);
    assert!(reply.body.contains(r#""auth":"42""#), "{}", reply.body);
    assert!(
        reply.body.contains(r#""scheme":"NumericKey""#),
        "{}",
        reply.body
    );
    let reply = send(&app, with_auth(get("/numeric/"), "Key forty-two")).await;
    assert_eq!(
        (reply.status, reply.body),
        (401, detail("Invalid Key header."))
    );
    let reply = send(&app, with_auth(get("/numeric/"), "Key")).await;
    assert_eq!(
        reply.body,
        detail("Invalid Key header. No credentials provided.")
    );
    let reply = send(&app, with_auth(get("/numeric/"), "Key 1 2")).await;
    assert_eq!(
        reply.body,
        detail("Invalid Key header. Credentials string should not contain spaces.")
    );
    let reply = send(&app, with_auth(get("/numeric/"), "Token 42")).await;
    assert_eq!(
        (reply.status, reply.body),
        (401, Reply::NOT_PROVIDED.to_owned())
    );
}

#[actix_web::test]
async fn configured_token_keyword_is_drfs_token_scheme() {
    let settings = settings();
    let db = database(&settings).await;
    let app = suite_app(&settings, &db).await;
    let reply = send(&app, with_auth(get("/bearer/"), "Bearer abcd1234")).await;
    assert_eq!(reply.status, 200);
    assert!(
        reply.body.contains(r#""auth":"abcd1234""#),
        "{}",
        reply.body
    );
    let reply = send(&app, get("/bearer/")).await;
    assert_eq!(reply.www_authenticate.as_deref(), Some("Bearer"));
    let reply = send(&app, with_auth(get("/bearer/"), "Bearer nope")).await;
    assert_eq!(reply.body, detail("Invalid token."));
}
