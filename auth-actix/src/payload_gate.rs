//! Holds the request body back from later extractors until the policy has passed.
//!
//! actix-web polls all of a handler's extractors together, so a body extractor (`web::Json`)
//! after the guard could read a malformed body and answer 400 while authentication is still
//! waiting for the database. DRF checks authentication and permissions first (spec §0.1): a
//! refused request gets 401/403 whatever its body. The guard therefore swaps the payload for a
//! gated one that stays pending until the policy passes, and is dropped unread when it refuses.

use std::cell::Cell;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use actix_web::dev::Payload;
use actix_web::error::PayloadError;
use actix_web::web::Bytes;
use futures_core::Stream;

#[derive(Default)]
struct GateState {
    open: Cell<bool>,
    waiting: Cell<Option<Waker>>,
}

/// The key that opens the gate once the policy has passed.
pub(crate) struct Gate(Rc<GateState>);

impl Gate {
    /// Replaces `payload` with a gated one; `None` when there is no body to hold back.
    pub(crate) fn install(payload: &mut Payload) -> Option<Self> {
        if matches!(payload, Payload::None) {
            return None;
        }
        let state = Rc::new(GateState::default());
        let inner = std::mem::replace(payload, Payload::None);
        let gated = GatedPayload {
            state: Rc::clone(&state),
            inner,
        };
        *payload = Payload::from(Box::pin(gated) as Pin<Box<dyn Stream<Item = _>>>);
        Some(Self(state))
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
    inner: Payload,
}

impl Stream for GatedPayload {
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if !this.state.open.get() {
            this.state.waiting.set(Some(cx.waker().clone()));
            return Poll::Pending;
        }
        Pin::new(&mut this.inner).poll_next(cx)
    }
}
