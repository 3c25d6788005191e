//! The live services the pipeline uses besides the database: the threads that hash passwords,
//! the optional credential cache, the stores of throttle histories, and the client of a remote
//! token introspection endpoint. They are bundled, with the settings and the database, in an
//! [`Environment`](crate::environment::Environment).

#[cfg(feature = "redis")]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub mod cache_invalidation;
pub mod credential_cache;
pub mod hashing_pool;
#[cfg(feature = "oauth2-introspection")]
#[cfg_attr(docsrs, doc(cfg(feature = "oauth2-introspection")))]
pub mod http_introspection;
pub mod introspection_transport;
pub mod memory_store;
#[cfg(feature = "redis")]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub mod redis_store;
pub mod throttle_store;
