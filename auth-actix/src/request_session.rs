//! Django's `request.session` for a handler ([`Auth::session`](crate::Auth::session)): the
//! request's session in Django's database engine and signed format, loaded on first use, saved
//! by [`SessionMiddleware`](crate::SessionMiddleware) after the handler when it was modified —
//! so Django reads what a handler writes here, and a handler reads what Django wrote.
//!
//! As Django's `SessionMiddleware`: a modified session that is not empty is saved (a new key and
//! `sessionid` cookie when it had none) unless the response is a server error; a session
//! emptied by a logout loses its cookie. Values are JSON, Django's `JSONSerializer`.
//!
//! Divergence, secure by default: the keys `login()` writes (`_auth_user_id`,
//! `_auth_user_backend`, `_auth_user_hash`) cannot be set or removed through it (Django lets any
//! code forge a login that way); [`Auth::login`](crate::Auth::login) and
//! [`Auth::logout`](crate::Auth::logout) change them.

use std::cell::{Cell, RefCell};
use std::fmt;
use std::rc::Rc;

use actix_web::{HttpMessage, HttpRequest};
use auth_core::django::session_data::{
    BACKEND_SESSION_KEY, HASH_SESSION_KEY, MODEL_BACKEND, SESSION_KEY,
};
use auth_core::request::RequestView;
use auth_core::response_effects::{ResponseEffects, SessionCookie};
use auth_core::session_store::{Session, SessionStore};
use auth_core::user::User;
use auth_core::{ApiError, ErrorKind};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::Auth;
use crate::error::ApiErrorResponse;
use crate::request_view::HttpRequestView;
use crate::runtime::runtime_of;

/// Why a session value could not be written or read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SessionError {
    /// One of the keys Django's `login()` owns.
    #[error("the session key {0:?} belongs to login(); use auth.login() / auth.logout()")]
    ReservedKey(String),
    /// The value is not representable in JSON, or the stored one is not of the asked type.
    #[error("session value {key:?}: {source}")]
    Json {
        /// The key.
        key: String,
        /// serde_json's reason.
        source: serde_json::Error,
    },
}

/// The request's session, shared by every handle of one request.
pub(crate) struct SessionSlot {
    pub(crate) session: RefCell<Session>,
    pub(crate) modified: Cell<bool>,
}

/// A handle on the request's Django session (`request.session`). Cheap to clone; every clone
/// sees the same data.
#[derive(Clone)]
pub struct RequestSession(pub(crate) Rc<SessionSlot>);

impl fmt::Debug for RequestSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Keys only: values may be personal data.
        f.debug_struct("RequestSession")
            .field("keys", &self.keys())
            .field("modified", &self.0.modified.get())
            .finish()
    }
}

fn check_writable(key: &str) -> Result<(), SessionError> {
    if [SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY].contains(&key) {
        Err(SessionError::ReservedKey(key.to_owned()))
    } else {
        Ok(())
    }
}

impl RequestSession {
    pub(crate) fn new(session: Session) -> Self {
        Self(Rc::new(SessionSlot {
            session: RefCell::new(session),
            modified: Cell::new(false),
        }))
    }

    /// `request.session.get(key)` as `T`: `Ok(None)` when absent, an error when the stored
    /// JSON is not a `T`.
    pub fn get<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, SessionError> {
        let session = self.0.session.borrow();
        session
            .data()
            .get(key)
            .map(|value| {
                serde_json::from_value(value.clone()).map_err(|source| SessionError::Json {
                    key: key.to_owned(),
                    source,
                })
            })
            .transpose()
    }

    /// `request.session[key] = value`.
    pub fn insert<T: Serialize>(&self, key: &str, value: T) -> Result<(), SessionError> {
        check_writable(key)?;
        let value = serde_json::to_value(value).map_err(|source| SessionError::Json {
            key: key.to_owned(),
            source,
        })?;
        self.0
            .session
            .borrow_mut()
            .data_mut()
            .insert(key.to_owned(), value);
        self.0.modified.set(true);
        Ok(())
    }

    /// `request.session.pop(key, None)`: the value removed, as JSON.
    pub fn remove(&self, key: &str) -> Result<Option<Value>, SessionError> {
        check_writable(key)?;
        let removed = self.0.session.borrow_mut().data_mut().shift_remove(key);
        if removed.is_some() {
            self.0.modified.set(true);
        }
        Ok(removed)
    }

    /// Whether the session has `key`.
    pub fn contains_key(&self, key: &str) -> bool {
        self.0.session.borrow().data().contains_key(key)
    }

    /// The keys, in insertion order.
    pub fn keys(&self) -> Vec<String> {
        self.0.session.borrow().data().keys().cloned().collect()
    }

    /// Whether a change waits to be saved after the handler.
    pub fn is_modified(&self) -> bool {
        self.0.modified.get()
    }
}

/// Set in the request's extensions by [`SessionMiddleware`](crate::SessionMiddleware): what
/// writes a handler's session changes and cookies. Without it they would be lost, so the
/// session methods refuse (a 500, logged) rather than pretend.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SessionMiddlewareInstalled;

/// The request's cookie changes, shared with the policy and written by the session middleware.
pub(crate) fn effects_of(request: &HttpRequest) -> Rc<ResponseEffects> {
    let existing = request.extensions().get::<Rc<ResponseEffects>>().cloned();
    existing.unwrap_or_else(|| {
        let effects = Rc::new(ResponseEffects::default());
        request.extensions_mut().insert(Rc::clone(&effects));
        effects
    })
}

/// Whether [`SessionMiddleware`](crate::SessionMiddleware) wraps this request.
pub(crate) fn has_middleware(request: &HttpRequest) -> bool {
    request
        .extensions()
        .get::<SessionMiddlewareInstalled>()
        .is_some()
}

fn require_middleware(request: &HttpRequest, what: &str) -> Result<(), ApiErrorResponse> {
    if has_middleware(request) {
        return Ok(());
    }
    tracing::error!(
        "auth.{what}() needs auth_actix::SessionMiddleware around the app to write the session \
         and its cookie: .wrap(auth_actix::SessionMiddleware)"
    );
    Err(ApiErrorResponse::from(ApiError::new(
        ErrorKind::ServerError,
    )))
}

/// The request's session slot, loaded from the session cookie on first use.
async fn slot(request: &HttpRequest) -> Result<RequestSession, ApiErrorResponse> {
    let existing = request.extensions().get::<RequestSession>().cloned();
    if let Some(session) = existing {
        return Ok(session);
    }
    let runtime = runtime_of(request)?;
    let settings = runtime.settings();
    let view = HttpRequestView::new(request, settings);
    let session = match view.cookie(&settings.session_cookie.name) {
        Some(key) => SessionStore::new(runtime.env())
            .load(&key)
            .await
            .map_err(ApiError::store_failure)?,
        None => Session::default(),
    };
    effects_of(request).mark_session_accessed();
    let session = RequestSession::new(session);
    request.extensions_mut().insert(session.clone());
    Ok(session)
}

impl Auth {
    /// Django's `request.session`: the request's session, for reading and writing values that
    /// Django reads too. Needs [`SessionMiddleware`](crate::SessionMiddleware), which saves it
    /// after the handler.
    ///
    /// ```no_run
    /// use actix_web::{HttpResponse, post};
    /// use auth_actix::{Auth, IsAuthenticated, SessionAuthentication, authentication_classes,
    ///                  permission_classes};
    ///
    /// #[post("/cart/")]
    /// #[authentication_classes(SessionAuthentication)]
    /// #[permission_classes(IsAuthenticated)]
    /// async fn add_to_cart(auth: Auth) -> Result<HttpResponse, Box<dyn std::error::Error>> {
    ///     let session = auth.session().await?;
    ///     let mut cart: Vec<u32> = session.get("cart")?.unwrap_or_default();
    ///     cart.push(42);
    ///     session.insert("cart", &cart)?;
    ///     Ok(HttpResponse::Ok().json(cart))
    /// }
    /// ```
    pub async fn session(&self) -> Result<RequestSession, ApiErrorResponse> {
        require_middleware(self.request(), "session")?;
        slot(self.request()).await
    }

    /// Django's `login(request, user)`, from any handler: a session of another user (or of a
    /// changed password) is flushed, an anonymous one keeps its data under a new key (no
    /// fixation), the user's id, backend (`ModelBackend`) and hash are stored, the CSRF secret
    /// is rotated and `last_login` updated. Returns the user with its new `last_login`;
    /// `auth.user()` stays what authentication found (the next request sees the login). Needs
    /// [`SessionMiddleware`](crate::SessionMiddleware), which sends the cookies.
    pub async fn login(&self, user: &User) -> Result<User, ApiErrorResponse> {
        require_middleware(self.request(), "login")?;
        let runtime = runtime_of(self.request())?;
        let env = runtime.env();
        let current = slot(self.request()).await?;
        // Pending changes are saved first: Django's login works on the session in memory.
        let key = {
            let mut session = current.0.session.borrow().clone();
            if current.is_modified() && !session.is_empty() {
                SessionStore::new(env)
                    .save(&mut session)
                    .await
                    .map_err(ApiError::store_failure)?;
            }
            session.key().map(str::to_owned)
        };
        let (session, user) = auth_core::login::login(
            env,
            &effects_of(self.request()),
            key.as_deref(),
            user,
            MODEL_BACKEND,
        )
        .await
        .map_err(ApiError::store_failure)?;
        *current.0.session.borrow_mut() = session;
        current.0.modified.set(false);
        Ok(user)
    }

    /// Django's `update_session_auth_hash(request, user)`, after changing `user`'s password:
    /// the request's session (even an empty one) moves to a new key holding the new password's
    /// hash, so it stays logged in while the user's other sessions end. Needs
    /// [`SessionMiddleware`](crate::SessionMiddleware), which saves it and sends its cookie.
    pub async fn update_session_auth_hash(&self, user: &User) -> Result<(), ApiErrorResponse> {
        require_middleware(self.request(), "update_session_auth_hash")?;
        let runtime = runtime_of(self.request())?;
        let current = slot(self.request()).await?;
        let mut session = current.0.session.borrow().clone();
        auth_core::login::update_session_auth_hash(runtime.env(), &mut session, user)
            .await
            .map_err(ApiError::store_failure)?;
        *current.0.session.borrow_mut() = session;
        current.0.modified.set(true);
        Ok(())
    }

    /// Django's `logout(request)`, from any handler: the session flushed (its row deleted) and
    /// its cookie deleted. Needs [`SessionMiddleware`](crate::SessionMiddleware).
    pub async fn logout(&self) -> Result<(), ApiErrorResponse> {
        require_middleware(self.request(), "logout")?;
        let runtime = runtime_of(self.request())?;
        let current = slot(self.request()).await?;
        let key = current.0.session.borrow().key().map(str::to_owned);
        let cookie = HttpRequestView::new(self.request(), runtime.settings())
            .cookie(&runtime.settings().session_cookie.name)
            .map(|cookie| cookie.into_owned());
        auth_core::login::logout(
            runtime.env(),
            &effects_of(self.request()),
            key.as_deref().or(cookie.as_deref()),
        )
        .await
        .map_err(ApiError::store_failure)?;
        *current.0.session.borrow_mut() = Session::default();
        current.0.modified.set(false);
        Ok(())
    }
}

/// After the handler, as Django's `SessionMiddleware.process_response`: a modified session that
/// is not empty is saved (unless the response is a server error) and its cookie sent.
/// With `SESSION_SAVE_EVERY_REQUEST`, any request that came with a session cookie saves it too
/// (Django then counts the cookie's key, so a cookie of a vanished session gets a new, empty one).
pub(crate) async fn save_after_handler(
    request: &HttpRequest,
    status: actix_web::http::StatusCode,
) -> Result<(), auth_core::store::sea_orm::DbErr> {
    if status.is_server_error() {
        return Ok(());
    }
    // Quietly nothing without the runtime: the policy has already said what is misconfigured.
    let Some(runtime) = request
        .app_data::<actix_web::web::Data<crate::runtime::AuthRuntime>>()
        .cloned()
    else {
        return Ok(());
    };
    let settings = runtime.settings();
    let with_cookie = settings.session_save_every_request
        && !effects_of(request).session_cookie_deleted()
        && HttpRequestView::new(request, settings)
            .cookie(&settings.session_cookie.name)
            .is_some();
    let existing = request.extensions().get::<RequestSession>().cloned();
    let current = match existing {
        Some(current) => current,
        None if with_cookie => match slot(request).await {
            Ok(current) => current,
            Err(_) => return Ok(()),
        },
        None => return Ok(()),
    };
    if !current.is_modified() && !with_cookie {
        return Ok(());
    }
    let mut session = current.0.session.borrow().clone();
    if session.is_empty() && !with_cookie {
        return Ok(());
    }
    SessionStore::new(runtime.env()).save(&mut session).await?;
    if let Some(key) = session.key() {
        effects_of(request).set_session_cookie(SessionCookie::Set(key.to_owned()));
    }
    *current.0.session.borrow_mut() = session;
    current.0.modified.set(false);
    Ok(())
}
