//! Registering the settings and the database in an actix-web `App` with one call.

use actix_web::web;
use auth_core::settings::AuthSettings;
use auth_core::store::DatabaseConnection;

/// What the guards read from the app: the settings and the database pool.
#[derive(Debug, Clone)]
pub struct AuthRuntime {
    settings: AuthSettings,
    db: DatabaseConnection,
}

impl AuthRuntime {
    /// Bundles the settings and the database.
    pub fn new(settings: AuthSettings, db: DatabaseConnection) -> Self {
        Self { settings, db }
    }

    /// The project-wide settings.
    pub fn settings(&self) -> &AuthSettings {
        &self.settings
    }

    /// The database holding Django's tables.
    pub fn db(&self) -> &DatabaseConnection {
        &self.db
    }
}

/// Registers the settings and the database for every guard of the app:
/// `App::new().configure(auth_actix::configure(settings, db))`.
///
/// Build the settings and connect once, outside `HttpServer::new`'s factory, so every worker
/// shares one pool.
pub fn configure(
    settings: AuthSettings,
    db: DatabaseConnection,
) -> impl Fn(&mut web::ServiceConfig) + Clone {
    let runtime = web::Data::new(AuthRuntime::new(settings, db));
    move |config: &mut web::ServiceConfig| {
        config.app_data(runtime.clone());
    }
}
