//! DOT's provider under real concurrency, for the suites with a database server: several
//! instances with pools of their own on one database, eight requests at once refreshing one
//! refresh token, then eight redeeming one authorization code. The rotation's claim
//! (`UPDATE … WHERE revoked IS NULL`, its transaction's first statement) and the code's deletion
//! before any write must let exactly one request issue a pair. (DOT's `select_for_update` path
//! answers the pair to every request that validated early, and its code path can issue two.)

use actix_web::dev::{Service, ServiceResponse};
use actix_web::test::{self, TestRequest};
use actix_web::{App, web};
use auth_actix::AuthSettings;
use auth_actix::store::oauth2_application::{self, ClientType, NewApplication};
use auth_actix::store::oauth2_grant::{self, NewGrant};
use auth_actix::store::sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use auth_actix::store::user;

use crate::{basic, send, with_auth};

async fn count(db: &DatabaseConnection, sql: &str) -> i64 {
    db.query_one_raw(Statement::from_string(
        db.get_database_backend(),
        sql.to_owned(),
    ))
    .await
    .unwrap()
    .unwrap()
    .try_get_by_index::<i64>(0)
    .unwrap()
}

/// One `POST /o/token/` with Basic client credentials: its status and body.
async fn token_request<S, B>(app: &S, client: &str, fields: &[(&str, &str)]) -> (u16, String)
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: actix_web::body::MessageBody,
{
    let reply = send(
        app,
        with_auth(
            TestRequest::post().uri("/o/token/").set_form(fields),
            basic(client.as_bytes()),
        ),
    )
    .await;
    (reply.status, reply.body)
}

/// The race (see the module docs) on `first` (migrated, with the reference's users) and the
/// other connections of `pools`, one instance each.
pub async fn concurrent_refreshes_and_redemptions_issue_one_pair(
    settings: &AuthSettings,
    first: &DatabaseConnection,
    pools: Vec<DatabaseConnection>,
) {
    let now = chrono::Utc::now();
    let secret = settings.settings().password_hashers.make_password("secret");
    let mut application_ids = Vec::new();
    for (client_id, grant, redirect_uris) in [
        ("race-pw", oauth2_application::grant_type::PASSWORD, ""),
        (
            "race-ac",
            oauth2_application::grant_type::AUTHORIZATION_CODE,
            "https://client.example.com/cb",
        ),
    ] {
        let new = NewApplication {
            client_id,
            user_id: None,
            redirect_uris,
            post_logout_redirect_uris: "",
            client_type: ClientType::Confidential,
            authorization_grant_type: grant,
            client_secret: &secret,
            hash_client_secret: true,
            name: client_id,
            skip_authorization: false,
            algorithm: "",
            allowed_origins: "",
            registration_source: "",
        };
        application_ids.push(oauth2_application::insert(first, &new, now).await.unwrap());
    }
    let mut apps = Vec::new();
    for db in pools {
        apps.push(
            test::init_service(
                App::new()
                    .configure(auth_actix::configure(settings.clone(), db))
                    .service(
                        web::scope("/o").configure(auth_actix::views::oauth2_provider_endpoints),
                    ),
            )
            .await,
        );
    }
    let instances = apps.len();
    let (status, body) = token_request(
        &apps[0],
        "race-pw:secret",
        &[
            ("grant_type", "password"),
            ("username", "john"),
            ("password", "password"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let pair: serde_json::Value = serde_json::from_str(&body).unwrap();
    let refresh = pair["refresh_token"].as_str().unwrap().to_owned();
    let fields = [
        ("grant_type", "refresh_token"),
        ("refresh_token", refresh.as_str()),
    ];
    let answers = futures_util::future::join_all(
        (0..8).map(|i| token_request(&apps[i % instances], "race-pw:secret", &fields)),
    )
    .await;
    let mut issued = std::collections::BTreeSet::new();
    for (status, body) in &answers {
        match status {
            200 => {
                let answer: serde_json::Value = serde_json::from_str(body).unwrap();
                issued.insert(answer["refresh_token"].as_str().unwrap().to_owned());
            }
            400 => assert_eq!(body, r#"{"error": "invalid_grant"}"#),
            other => panic!("{other}: {body}"),
        }
    }
    assert_eq!(issued.len(), 1, "one new pair between them: {answers:?}");
    assert_eq!(
        count(first, "SELECT COUNT(*) FROM oauth2_provider_refreshtoken").await,
        2
    );
    assert_eq!(
        count(
            first,
            "SELECT COUNT(*) FROM oauth2_provider_refreshtoken WHERE revoked IS NULL"
        )
        .await,
        1
    );
    // One authorization code (a `plain` PKCE challenge), eight redemptions at once.
    let john = user::AUTH_USER
        .find_by_username(first, "john")
        .await
        .unwrap()
        .unwrap();
    let grant = NewGrant {
        code: "RacedCode",
        application_id: application_ids[1],
        user_id: john.id,
        expires: now + chrono::TimeDelta::minutes(5),
        redirect_uri: "https://client.example.com/cb",
        scope: "read",
        code_challenge: "verifier",
        code_challenge_method: "plain",
        resource: &[],
        nonce: "",
        claims: "{}",
    };
    oauth2_grant::insert(first, &grant, now).await.unwrap();
    let redeem = [
        ("grant_type", "authorization_code"),
        ("code", "RacedCode"),
        ("redirect_uri", "https://client.example.com/cb"),
        ("code_verifier", "verifier"),
    ];
    let answers = futures_util::future::join_all(
        (0..8).map(|i| token_request(&apps[i % instances], "race-ac:secret", &redeem)),
    )
    .await;
    let granted = answers.iter().filter(|(status, _)| *status == 200).count();
    assert_eq!(granted, 1, "one redemption: {answers:?}");
    for (status, body) in &answers {
        assert!(*status == 200 || *status == 400, "{status}: {body}");
    }
    assert_eq!(
        count(
            first,
            &format!(
                "SELECT COUNT(*) FROM oauth2_provider_accesstoken WHERE application_id = {}",
                application_ids[1]
            )
        )
        .await,
        1
    );
    assert_eq!(
        count(first, "SELECT COUNT(*) FROM oauth2_provider_grant").await,
        0
    );
}
