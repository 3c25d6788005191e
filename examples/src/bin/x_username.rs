//! DRF's documented custom authentication example, declared with `#[derive(Authentication)]`:
//! the `X-Username` header names the user; an unknown name fails with `No such user`.
//!
//! **WARNING: INSECURE BY DESIGN.** Any client that can reach this server becomes any user by
//! sending `X-Username: <name>`: the header is trusted as DRF's example trusts it. It is a
//! teaching example of a custom scheme, not an authentication method. Run it on the loopback
//! interface only (it binds 127.0.0.1), and never copy the scheme into a service: a real scheme
//! verifies a secret (see `ApiKey` in `auth_actix::Authentication`'s documentation, which
//! compares it in constant time).
//!
//! The reference (DRF's docs):
//!
//! ```python
//! class ExampleAuthentication(authentication.BaseAuthentication):
//!     def authenticate(self, request):
//!         username = request.META.get('HTTP_X_USERNAME')
//!         if not username:
//!             return None
//!         try:
//!             user = User.objects.get(username=username)
//!         except User.DoesNotExist:
//!             raise exceptions.AuthenticationFailed('No such user')
//!         return (user, None)
//! ```
//!
//! ```text
//! cargo run -p examples --bin x_username
//! curl -i -H 'X-Username: demo' http://127.0.0.1:8001/whoami/
//! ```

use actix_web::{HttpServer, Responder, get, web};
use auth_actix::authentication::{
    ApiError, AuthContext, AuthInfo, Authenticated, CreateUserError, UserFields, Verify,
    create_user,
};
use auth_actix::{
    Auth, AuthSettings, Authentication, IsAuthenticated, authentication_classes, permission_classes,
};

/// The port the server listens on (127.0.0.1) unless `PORT` names another.
const DEFAULT_PORT: u16 = 8001;

/// The header's value is the username; absent or empty → not attempted.
#[derive(Authentication)]
struct ExampleAuthentication {
    #[credential(header = "X-Username")]
    username: String,
}

impl Verify for ExampleAuthentication {
    async fn verify(self, cx: &AuthContext<'_>) -> Result<Authenticated, ApiError> {
        let users = &cx.settings().user_model;
        match users.find_by_username(cx.db(), &self.username).await {
            Ok(Some(user)) => Ok(Authenticated {
                user: user.into(),
                auth: AuthInfo::None,
            }),
            Ok(None) => Err(ApiError::authentication_failed("No such user")),
            Err(error) => Err(ApiError::store_failure(error)),
        }
    }
}

#[get("/whoami/")]
#[authentication_classes(ExampleAuthentication)]
#[permission_classes(IsAuthenticated)]
async fn whoami(auth: Auth) -> impl Responder {
    web::Json(serde_json::json!({ "user": auth.user().to_string() }))
}

#[actix_web::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let settings = AuthSettings::builder()
        .secret_key("django-insecure-example-only-not-a-secret")
        .secret_key_from_env("SECRET_KEY")
        .database_url("sqlite://quickstart.db?mode=rwc")
        .database_url_from_env("DATABASE_URL")
        .build()?;
    let db = settings.connect_and_migrate().await?;
    match create_user(
        &settings.environment(db.clone()),
        "demo",
        UserFields::default(),
    )
    .await
    {
        Ok(_) | Err(CreateUserError::UsernameTaken) => {}
        Err(error) => return Err(error.into()),
    }
    let port = std::env::var("PORT")
        .ok()
        .and_then(|port| port.parse().ok());
    let port = port.unwrap_or(DEFAULT_PORT);
    println!(
        "WARNING: this example trusts the client's X-Username header: any client can act as any \
         user. It is DRF's teaching example, bound to 127.0.0.1; never deploy it.\n"
    );
    println!("curl -i -H 'X-Username: demo' http://127.0.0.1:{port}/whoami/");
    println!(
        "curl -i -H 'X-Username: nobody' http://127.0.0.1:{port}/whoami/   # 403 No such user"
    );
    HttpServer::new(move || auth_actix::app(settings.clone(), db.clone()).service(whoami))
        .bind(("127.0.0.1", port))?
        .run()
        .await?;
    Ok(())
}
