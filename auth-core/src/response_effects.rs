//! What authentication asks the response to carry (Django's session middleware work after the
//! view): a new or deleted session cookie, a new CSRF cookie, `Vary: Cookie`.
//!
//! Schemes record effects while they run; the web framework applies them to whatever response
//! the request ends with — the handler's, or the refusal's.

use std::cell::{Cell, RefCell};
use std::fmt;

/// A change to the session cookie.
#[derive(Clone, PartialEq, Eq)]
pub enum SessionCookie {
    /// Set the cookie to this key (a new session, or a key cycled after a fallback-secret match).
    Set(String),
    /// Delete the cookie (the session was flushed).
    Delete,
}

impl fmt::Debug for SessionCookie {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Set(_) => f.write_str("Set(<redacted>)"),
            Self::Delete => f.write_str("Delete"),
        }
    }
}

/// Effects recorded during one request.
#[derive(Default)]
pub struct ResponseEffects {
    session_cookie: RefCell<Option<SessionCookie>>,
    csrf_secret: RefCell<Option<String>>,
    session_accessed: Cell<bool>,
    challenge_params: Cell<Option<&'static str>>,
}

impl fmt::Debug for ResponseEffects {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseEffects")
            .field("session_cookie", &self.session_cookie.borrow())
            .field(
                "csrf_cookie",
                &self.csrf_secret.borrow().as_ref().map(|_| "<redacted>"),
            )
            .field("session_accessed", &self.session_accessed.get())
            .field("challenge_params", &self.challenge_params.get())
            .finish()
    }
}

impl ResponseEffects {
    /// Records a session cookie change (the last one wins).
    pub fn set_session_cookie(&self, change: SessionCookie) {
        *self.session_cookie.borrow_mut() = Some(change);
    }

    /// Records that the session was read, so the response varies on `Cookie`.
    pub fn mark_session_accessed(&self) {
        self.session_accessed.set(true);
    }

    /// Records a new CSRF secret to send as the CSRF cookie.
    pub fn set_csrf_secret(&self, secret: String) {
        *self.csrf_secret.borrow_mut() = Some(secret);
    }

    /// Takes the session cookie change.
    pub fn take_session_cookie(&self) -> Option<SessionCookie> {
        self.session_cookie.borrow_mut().take()
    }

    /// Whether the session was flushed and its cookie is to be deleted (a later save must not
    /// bring it back: Django's flushed session is empty, and an empty one is not saved).
    pub fn session_cookie_deleted(&self) -> bool {
        *self.session_cookie.borrow() == Some(SessionCookie::Delete)
    }

    /// Records what a scheme's challenge adds for this request (DOT's `request.oauth2_error`:
    /// why a presented token was refused), or clears it; the last scheme to run decides.
    pub fn set_challenge_params(&self, params: Option<&'static str>) {
        self.challenge_params.set(params);
    }

    /// What [`set_challenge_params`](Self::set_challenge_params) recorded.
    pub fn challenge_params(&self) -> Option<&'static str> {
        self.challenge_params.get()
    }

    /// Takes the CSRF secret to send.
    pub fn take_csrf_secret(&self) -> Option<String> {
        self.csrf_secret.borrow_mut().take()
    }

    /// Whether the session was read.
    pub fn session_accessed(&self) -> bool {
        self.session_accessed.get()
    }
}
