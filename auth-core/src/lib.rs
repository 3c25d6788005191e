//! Django REST framework's authentication, permission and throttling model, framework-agnostic.
//!
//! This crate holds the runtime; `auth-actix` binds it to actix-web through
//! [`request::RequestView`] and is what applications depend on. Behaviour follows Django REST
//! framework 3.18 and Django 6.1 byte for byte (status codes, `WWW-Authenticate`, bodies, data
//! formats).
//!
//! # Layers
//!
//! Modules are layered and import only from their own layer or lower ones (the crate's layering
//! test enforces it):
//!
//! | layer | modules |
//! |---|---|
//! | 5. composition root | [`auth_settings`] (the builder), `settings_file` (the builder from a TOML file and the environment) |
//! | 4. DRF's view | [`policy`] (the pipeline), [`negotiation`], `auth_token_serializer`, `login_serializer`, `operation_security` |
//! | 3. DRF's three concerns | [`authentication`], [`permissions`], [`throttling`] |
//! | 2. environment | [`settings`], [`services`], [`environment`], [`user`], [`accounts`], `session_store`, `login` |
//! | 1. storage | [`store`] (Django's tables) |
//! | 0. leaves | [`error`], [`messages`], [`renderers`], [`request`], [`response_effects`], [`clock`], `compat`, [`django`], `knox`, [`jwt`], [`simplejwt`], [`oauth2`] (features) |
//!
//! The documented modules are what an application or another framework's glue implements
//! against. `compat`, `session_store`, `login`, `auth_token_serializer` and
//! `operation_security` are the pieces `auth-actix` assembles its views from: public for it and
//! for the test suites, hidden from the documentation, and not a stable API.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

// Layer 0: leaves.
pub mod char_field;
pub mod clock;
#[doc(hidden)]
pub mod compat;
pub mod date_time_field;
#[cfg(feature = "simplejwt")]
#[cfg_attr(docsrs, doc(cfg(feature = "simplejwt")))]
pub mod dj_rest_auth;
pub mod django;
#[cfg(feature = "accounts")]
#[cfg_attr(docsrs, doc(cfg(feature = "accounts")))]
pub mod djoser;
pub mod error;
#[cfg(feature = "jwt")]
#[cfg_attr(docsrs, doc(cfg(feature = "jwt")))]
pub mod jwt;
#[cfg(feature = "knox")]
#[cfg_attr(docsrs, doc(cfg(feature = "knox")))]
pub mod knox;
pub mod link_template;
pub mod messages;
#[cfg(feature = "oauth2")]
#[cfg_attr(docsrs, doc(cfg(feature = "oauth2")))]
pub mod oauth2;
#[cfg(feature = "oauth2")]
#[cfg_attr(docsrs, doc(cfg(feature = "oauth2")))]
pub mod oauth2_provider;
pub mod renderers;
pub mod request;
pub mod response_effects;
#[cfg(feature = "simplejwt")]
#[cfg_attr(docsrs, doc(cfg(feature = "simplejwt")))]
pub mod simplejwt;
#[cfg(feature = "accounts")]
#[cfg_attr(docsrs, doc(cfg(feature = "accounts")))]
pub mod templated_mail;

// Layer 1: storage.
pub mod store;

// Layer 2: the environment.
pub mod accounts;
#[cfg(feature = "accounts")]
#[cfg_attr(docsrs, doc(cfg(feature = "accounts")))]
pub mod allauth;
pub mod csrf_secret;
pub mod environment;
#[cfg(feature = "simplejwt")]
#[cfg_attr(docsrs, doc(cfg(feature = "simplejwt")))]
pub mod jwt_revocation;
#[doc(hidden)]
pub mod login;
pub mod model_backend;
pub mod object_permission_backend;
pub mod permission_backend;
pub mod services;
#[doc(hidden)]
pub mod session_store;
pub mod settings;
pub mod user;

// Layer 3: DRF's three concerns.
pub mod authentication;
pub mod permissions;
pub mod throttling;

// Layer 4: DRF's view.
#[doc(hidden)]
pub mod auth_token_serializer;
pub mod checks;
#[cfg(feature = "simplejwt")]
#[doc(hidden)]
pub mod login_serializer;
pub mod metadata;
pub mod negotiation;
#[doc(hidden)]
pub mod operation_security;
pub mod policy;
#[cfg(feature = "simplejwt")]
#[cfg_attr(docsrs, doc(cfg(feature = "simplejwt")))]
pub mod simplejwt_serializers;

// Layer 5: the composition root.
pub mod auth_settings;
#[cfg(feature = "settings-file")]
#[cfg_attr(docsrs, doc(cfg(feature = "settings-file")))]
pub mod settings_file;

pub use auth_settings::{AuthSettings, AuthSettingsBuilder};
pub use error::{ApiError, ErrorKind};
