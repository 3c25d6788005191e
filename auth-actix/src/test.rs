//! Test helpers, DRF's `APIClient` and `force_authenticate` for actix-web's test tools.
//!
//! ```
//! use actix_web::{test, web, HttpResponse};
//! use auth_actix::test::TestClient;
//! use auth_actix::{authentication_classes, permission_classes, Auth, TokenAuthentication, IsAuthenticated};
//!
//! #[authentication_classes(TokenAuthentication)]
//! #[permission_classes(IsAuthenticated)]
//! async fn me(auth: Auth) -> HttpResponse {
//!     HttpResponse::Ok().body(auth.user().to_string())
//! }
//!
//! # #[actix_web::main] async fn main() {
//! # let settings = auth_actix::AuthSettings::builder().secret_key("test").build().unwrap();
//! # let db = auth_actix::store::connect_and_migrate("sqlite::memory:").await.unwrap();
//! let app = test::init_service(
//!     auth_actix::app(settings, db).route("/me/", web::get().to(me)),
//! )
//! .await;
//! let mut client = TestClient::new(app);
//! client.credentials("Token abcd1234"); // sent with every request from now on
//! let response = client.get("/me/").await.unwrap();
//! assert_eq!(response.status().as_u16(), 401); // no such token in this empty database
//! # }
//! ```

use std::collections::BTreeMap;

use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::test::TestRequest;
use actix_web::{Error, HttpMessage};
use auth_core::authentication::forced::ForcedAuthentication;
use auth_core::user::{AuthInfo, User};

/// A request with only a method, for checking a permission on its own.
pub use auth_core::request::MethodOnly;

/// DRF's `force_authenticate(request, user, token)`: the request is authenticated as `user`
/// whatever its credentials; the view's permissions and throttles still run.
pub fn force_authenticate(request: &actix_http::Request, user: User, auth: AuthInfo) {
    request
        .extensions_mut()
        .insert(ForcedAuthentication { user, auth });
}

/// DRF's `APIClient` over an initialised test service: remembers credentials, a forced user,
/// and the cookies the server sets (so a session login carries over), and sends the CSRF header
/// with unsafe requests once it knows the CSRF cookie.
pub struct TestClient<S> {
    app: S,
    authorization: Option<String>,
    forced: Option<ForcedAuthentication>,
    cookies: BTreeMap<String, String>,
    csrf_cookie: String,
    csrf_header: String,
}

impl<S> std::fmt::Debug for TestClient<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestClient")
            .field(
                "authorization",
                &self.authorization.as_ref().map(|_| "<redacted>"),
            )
            .field(
                "forced",
                &self.forced.as_ref().map(|forced| &forced.user.username),
            )
            .field("cookies", &self.cookies.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl<S, B> TestClient<S>
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = Error>,
    B: MessageBody,
{
    /// A client of `app` (from `actix_web::test::init_service`), with Django's cookie and header
    /// names (`csrftoken`, `X-CSRFToken`).
    pub fn new(app: S) -> Self {
        Self {
            app,
            authorization: None,
            forced: None,
            cookies: BTreeMap::new(),
            csrf_cookie: "csrftoken".to_owned(),
            csrf_header: "X-CSRFToken".to_owned(),
        }
    }

    /// DRF's `client.credentials(HTTP_AUTHORIZATION=…)`: the `Authorization` value of every
    /// following request.
    pub fn credentials(&mut self, authorization: &str) -> &mut Self {
        self.authorization = Some(authorization.to_owned());
        self
    }

    /// DRF's `client.credentials()`: no `Authorization` header any more.
    pub fn clear_credentials(&mut self) -> &mut Self {
        self.authorization = None;
        self
    }

    /// DRF's `client.force_authenticate(user, token)`; `None` stops forcing.
    pub fn force_authenticate(&mut self, user: Option<User>, auth: AuthInfo) -> &mut Self {
        self.forced = user.map(|user| ForcedAuthentication { user, auth });
        self
    }

    /// The cookies the server has set so far.
    pub fn cookies(&self) -> &BTreeMap<String, String> {
        &self.cookies
    }

    /// The app, for a request sent without the client's credentials, cookies or CSRF header
    /// (a forged one, say).
    pub fn app(&self) -> &S {
        &self.app
    }

    /// Sends `request` with the client's credentials, cookies and CSRF header; remembers the
    /// cookies of the response.
    pub async fn send(&mut self, mut request: TestRequest) -> Result<ServiceResponse<B>, Error> {
        if let Some(authorization) = &self.authorization {
            request = request.insert_header((header::AUTHORIZATION, authorization.clone()));
        }
        if !self.cookies.is_empty() {
            let jar: Vec<String> = self
                .cookies
                .iter()
                .map(|(name, value)| format!("{name}={value}"))
                .collect();
            request = request.insert_header((header::COOKIE, jar.join("; ")));
        }
        let request = request.to_request();
        let unsafe_method = !matches!(
            *request.method(),
            Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
        );
        let mut request = request;
        if unsafe_method
            && let Some(secret) = self.cookies.get(&self.csrf_cookie)
            && let Ok(value) = HeaderValue::from_str(secret)
            && let Ok(name) = header::HeaderName::from_bytes(self.csrf_header.as_bytes())
        {
            request.headers_mut().insert(name, value);
        }
        if let Some(forced) = &self.forced {
            request.extensions_mut().insert(forced.clone());
        }
        let response = self.app.call(request).await?;
        self.remember_cookies(&response);
        Ok(response)
    }

    fn remember_cookies(&mut self, response: &ServiceResponse<B>) {
        for value in response.headers().get_all(header::SET_COOKIE) {
            let Ok(text) = value.to_str() else { continue };
            let Ok(cookie) = actix_web::cookie::Cookie::parse(text.to_owned()) else {
                continue;
            };
            let deleted =
                cookie.max_age().is_some_and(|age| age.is_zero()) || cookie.value() == "\"\"";
            if deleted {
                self.cookies.remove(cookie.name());
            } else {
                self.cookies
                    .insert(cookie.name().to_owned(), cookie.value().to_owned());
            }
        }
    }

    /// `GET path`.
    pub async fn get(&mut self, path: &str) -> Result<ServiceResponse<B>, Error> {
        self.send(TestRequest::get().uri(path)).await
    }

    /// `POST path` with a JSON body.
    pub async fn post_json(
        &mut self,
        path: &str,
        body: &serde_json::Value,
    ) -> Result<ServiceResponse<B>, Error> {
        self.send(TestRequest::post().uri(path).set_json(body))
            .await
    }

    /// Logs in through the real endpoints of [`session_endpoints`](crate::views::session_endpoints)
    /// mounted at `prefix` (`"/auth"`): fetches the CSRF cookie, posts the credentials, and keeps
    /// the session and rotated CSRF cookies for the following requests. Returns the login status.
    pub async fn login(
        &mut self,
        prefix: &str,
        username: &str,
        password: &str,
    ) -> Result<StatusCode, Error> {
        self.get(&format!("{prefix}/csrf/")).await?;
        let response = self
            .post_json(
                &format!("{prefix}/login/"),
                &serde_json::json!({ "username": username, "password": password }),
            )
            .await?;
        Ok(response.status())
    }
}
