//! What every scheme, permission and throttle runs in: the settings, the database and the live
//! services, bundled in one cheap-to-clone value that the contexts hold.

use std::fmt;
use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::clock::{Clock, SystemClock};
use crate::services::credential_cache::CredentialCache;
use crate::services::hashing_pool::HashingPool;
use crate::services::introspection_transport::IntrospectionTransport;
use crate::services::memory_store::MemoryStore;
use crate::services::throttle_store::ThrottleStore;
use crate::settings::Settings;

/// The live services: the clock, where throttle histories live, the optional credential
/// cache, the password hashing threads and the optional introspection client. Clones share
/// them.
#[derive(Clone)]
pub struct Services {
    clock: Arc<dyn Clock>,
    throttle_store: Arc<dyn ThrottleStore>,
    credential_cache: Option<Arc<CredentialCache>>,
    hashing_pool: Arc<HashingPool>,
    introspection_transport: Option<Arc<dyn IntrospectionTransport>>,
    #[cfg(feature = "accounts")]
    email_backend: Arc<dyn crate::services::email_backend::EmailBackend>,
}

impl Default for Services {
    /// The system clock, histories in this process's memory, no cache, and half the CPUs (at
    /// least one) for hashing.
    fn default() -> Self {
        Self {
            clock: Arc::new(SystemClock),
            throttle_store: Arc::new(MemoryStore::default()),
            credential_cache: None,
            hashing_pool: Arc::new(HashingPool::new(default_hashing_threads())),
            introspection_transport: None,
            // Nothing is sent until the settings name a backend (`AuthSettings` always does).
            #[cfg(feature = "accounts")]
            email_backend: Arc::new(crate::services::dummy_email_backend::DummyEmailBackend),
        }
    }
}

/// Half the CPUs, at least one: how many password hashes run at once by default.
pub fn default_hashing_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |cpus| (cpus.get() / 2).max(1))
}

impl Services {
    /// The clock of expiring tokens and throttles.
    pub fn clock(&self) -> &dyn Clock {
        self.clock.as_ref()
    }

    /// Where throttle histories live.
    pub fn throttle_store(&self) -> &dyn ThrottleStore {
        self.throttle_store.as_ref()
    }

    /// The token / session → user cache, when one is configured.
    pub fn credential_cache(&self) -> Option<&CredentialCache> {
        self.credential_cache.as_deref()
    }

    /// The threads that hash passwords.
    pub fn hashing_pool(&self) -> &HashingPool {
        &self.hashing_pool
    }

    /// How a token is introspected at a remote authorization server, when one is configured
    /// (DOT's `RESOURCE_SERVER_INTROSPECTION_URL`).
    pub fn introspection_transport(&self) -> Option<&dyn IntrospectionTransport> {
        self.introspection_transport.as_deref()
    }

    /// What sends email (`EMAIL_BACKEND`).
    #[cfg(feature = "accounts")]
    #[cfg_attr(docsrs, doc(cfg(feature = "accounts")))]
    pub fn email_backend(&self) -> &dyn crate::services::email_backend::EmailBackend {
        self.email_backend.as_ref()
    }

    /// Replaces the email backend.
    #[cfg(feature = "accounts")]
    #[cfg_attr(docsrs, doc(cfg(feature = "accounts")))]
    #[must_use]
    pub fn with_email_backend(
        mut self,
        backend: Arc<dyn crate::services::email_backend::EmailBackend>,
    ) -> Self {
        self.email_backend = backend;
        self
    }

    /// Replaces the clock (tests use a manual one).
    #[must_use]
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Replaces the throttle store.
    #[must_use]
    pub fn with_throttle_store(mut self, store: Arc<dyn ThrottleStore>) -> Self {
        self.throttle_store = store;
        self
    }

    /// Sets (or removes) the credential cache.
    #[must_use]
    pub fn with_credential_cache(mut self, cache: Option<Arc<CredentialCache>>) -> Self {
        self.credential_cache = cache;
        self
    }

    /// Replaces the hashing pool.
    #[must_use]
    pub fn with_hashing_pool(mut self, pool: Arc<HashingPool>) -> Self {
        self.hashing_pool = pool;
        self
    }

    /// Sets (or removes) the introspection client.
    #[must_use]
    pub fn with_introspection_transport(
        mut self,
        transport: Option<Arc<dyn IntrospectionTransport>>,
    ) -> Self {
        self.introspection_transport = transport;
        self
    }
}

impl fmt::Debug for Services {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("Services");
        debug
            .field("clock", &self.clock)
            .field("throttle_store", &self.throttle_store)
            .field("credential_cache", &self.credential_cache)
            .field("hashing_pool", &self.hashing_pool)
            .field("introspection_transport", &self.introspection_transport);
        #[cfg(feature = "accounts")]
        debug.field("email_backend", &self.email_backend);
        debug.finish()
    }
}

/// The settings, the database holding Django's tables, and the services: what the contexts of
/// schemes, permissions and throttles hold. Clones share everything.
#[derive(Clone)]
pub struct Environment {
    settings: Arc<Settings>,
    db: DatabaseConnection,
    services: Services,
}

impl Environment {
    /// Bundles the three.
    pub fn new(
        settings: impl Into<Arc<Settings>>,
        db: DatabaseConnection,
        services: Services,
    ) -> Self {
        Self {
            settings: settings.into(),
            db,
            services,
        }
    }

    /// The settings.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The database holding Django's tables.
    pub fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    /// The live services.
    pub fn services(&self) -> &Services {
        &self.services
    }
}

impl fmt::Debug for Environment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Environment")
            .field("settings", &self.settings)
            .field("services", &self.services)
            .finish_non_exhaustive()
    }
}
