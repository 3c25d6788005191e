//! Holds the request body back from later extractors until the policy has passed, and lets the
//! policy read a form body first when the CSRF check needs it.
//!
//! actix-web polls all of a handler's extractors together, so a body extractor (`web::Json`)
//! after the guard could read a malformed body and answer 400 while authentication is still
//! waiting for the database. DRF checks authentication and permissions first (`APIView.initial`
//! runs before the handler parses anything): a refused request gets 401/403 whatever its body.
//! The guard therefore swaps the payload for a gated one that stays pending until the policy
//! passes, and is dropped unread when it refuses. Session authentication reads
//! `csrfmiddlewaretoken` from a `POST` form body (Django's `CsrfViewMiddleware._check_token`);
//! the bytes it reads are replayed to the handler's extractors, which still receive the full
//! body.

use std::cell::{Cell, RefCell};
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use actix_web::dev::Payload;
use actix_web::error::PayloadError;
use actix_web::web::{Bytes, BytesMut};
use futures_core::Stream;

struct GateState {
    open: Cell<bool>,
    waiting: Cell<Option<Waker>>,
    inner: RefCell<Payload>,
    /// Bytes read ahead by the policy, replayed first.
    replay: RefCell<Option<Bytes>>,
}

/// The key that opens the gate once the policy has passed.
pub(crate) struct Gate(Rc<GateState>);

/// What reading ahead found.
pub(crate) enum ReadAhead {
    /// The whole body, within the limit.
    Complete(Bytes),
    /// Larger than the limit: not examined (it is still replayed in full to the handler).
    TooLarge,
    /// The client's stream failed.
    Failed,
}

impl Gate {
    /// Replaces `payload` with a gated one; `None` when there is no body to hold back.
    pub(crate) fn install(payload: &mut Payload) -> Option<Self> {
        if matches!(payload, Payload::None) {
            return None;
        }
        let state = Rc::new(GateState {
            open: Cell::new(false),
            waiting: Cell::new(None),
            inner: RefCell::new(std::mem::replace(payload, Payload::None)),
            replay: RefCell::new(None),
        });
        let gated = GatedPayload {
            state: Rc::clone(&state),
        };
        *payload = Payload::from(Box::pin(gated) as Pin<Box<dyn Stream<Item = _>>>);
        Some(Self(state))
    }

    /// Reads the body ahead of the handler, up to `limit` bytes; what was read is replayed.
    pub(crate) async fn read_ahead(&self, limit: usize) -> ReadAhead {
        let mut buffer = BytesMut::new();
        let outcome = loop {
            let next =
                std::future::poll_fn(|cx| Pin::new(&mut *self.0.inner.borrow_mut()).poll_next(cx))
                    .await;
            match next {
                None => break ReadAhead::Complete(Bytes::new()),
                Some(Ok(chunk)) => {
                    buffer.extend_from_slice(&chunk);
                    if buffer.len() > limit {
                        break ReadAhead::TooLarge;
                    }
                }
                Some(Err(_)) => break ReadAhead::Failed,
            }
        };
        let bytes = buffer.freeze();
        *self.0.replay.borrow_mut() = (!bytes.is_empty()).then(|| bytes.clone());
        match outcome {
            ReadAhead::Complete(_) => ReadAhead::Complete(bytes),
            other => other,
        }
    }

    /// Lets later extractors read the body.
    pub(crate) fn open(self) {
        self.0.open.set(true);
        if let Some(waker) = self.0.waiting.take() {
            waker.wake();
        }
    }
}

struct GatedPayload {
    state: Rc<GateState>,
}

impl Stream for GatedPayload {
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let state = &self.get_mut().state;
        if !state.open.get() {
            state.waiting.set(Some(cx.waker().clone()));
            return Poll::Pending;
        }
        if let Some(bytes) = state.replay.borrow_mut().take() {
            return Poll::Ready(Some(Ok(bytes)));
        }
        Pin::new(&mut *state.inner.borrow_mut()).poll_next(cx)
    }
}
