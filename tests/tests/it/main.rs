//! The ordinary suites, one module per topic, in one test binary.
//!
//! Separate binaries exist only where a suite must run alone: its own harness (`parity`,
//! `postgres`, `redis_throttling` report a missing server as ignored), a global allocator
//! (`memory_ceiling`), a process-wide recorder or subscriber (`metrics`, `secret_leak`),
//! crate-level lint levels (`macro_lints`), or the CPU to itself (`timing`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod abuse_limits;
mod api_view;
mod basic;
mod concurrency;
mod credential_cache;
mod custom_user;
mod default_response_headers;
mod deny_by_default;
mod derive;
mod djoser_views;
mod knox;
mod macros;
mod model_permissions;
mod oauth2;
mod oauth2_introspection;
mod oauth2_provider;
mod observability;
mod obtain_token;
mod openapi;
mod outbox;
mod permissions;
mod pipeline;
mod remote_user;
mod renderers;
mod request_session;
mod rest_auth_password_reset;
mod rest_auth_registration;
mod rest_auth_views;
mod security_review;
mod session;
mod simplejwt;
mod simplejwt_views;
mod sqlite_file;
mod store;
mod test_helpers;
mod throttling;
mod token;
mod ui;
mod uuid_user;
