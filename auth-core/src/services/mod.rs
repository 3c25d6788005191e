//! The live services the pipeline uses besides the database: the threads that hash passwords,
//! the optional credential cache, and the stores of throttle histories. They are bundled, with
//! the settings and the database, in an [`Environment`](crate::environment::Environment).

#[cfg(feature = "redis")]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub mod cache_invalidation;
pub mod credential_cache;
pub mod hashing_pool;
pub mod memory_store;
#[cfg(feature = "redis")]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub mod redis_store;
pub mod throttle_store;
