//! The live services the pipeline uses besides the database: the threads that hash passwords,
//! the optional credential cache, the stores of throttle histories, the client of a remote
//! token introspection endpoint, and (feature `accounts`) the email backends. They are bundled, with the settings and the database, in an
//! [`Environment`](crate::environment::Environment).

#[cfg(feature = "redis")]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub mod cache_invalidation;
#[cfg(feature = "accounts")]
#[cfg_attr(docsrs, doc(cfg(feature = "accounts")))]
pub mod console_email_backend;
pub mod credential_cache;
#[cfg(feature = "accounts")]
#[cfg_attr(docsrs, doc(cfg(feature = "accounts")))]
pub mod dummy_email_backend;
#[cfg(feature = "accounts")]
#[cfg_attr(docsrs, doc(cfg(feature = "accounts")))]
pub mod email_backend;
#[cfg(feature = "accounts")]
#[cfg_attr(docsrs, doc(cfg(feature = "accounts")))]
pub mod file_email_backend;
pub mod hashing_pool;
#[cfg(feature = "oauth2-introspection")]
#[cfg_attr(docsrs, doc(cfg(feature = "oauth2-introspection")))]
pub mod http_introspection;
pub mod introspection_transport;
#[cfg(feature = "accounts")]
#[cfg_attr(docsrs, doc(cfg(feature = "accounts")))]
pub mod locmem_email_backend;
pub mod memory_store;
#[cfg(feature = "redis")]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub mod redis_store;
#[cfg(feature = "accounts")]
#[cfg_attr(docsrs, doc(cfg(feature = "accounts")))]
pub mod smtp_email_backend;
pub mod throttle_store;
