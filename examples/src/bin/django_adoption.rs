//! Serving an existing Django project's users, DRF tokens, knox tokens and sessions: point the
//! library at Django's database and give it Django's `SECRET_KEY`.
//!
//! ```text
//! DATABASE_URL='sqlite:///path/to/django/db.sqlite3' SECRET_KEY='<the Django SECRET_KEY>' \
//!     cargo run -p examples --bin django_adoption
//! ```
//!
//! `DATABASE_URL` may also be `postgres://user:password@host/db`. A project with a custom
//! `AUTH_USER_MODEL` sets `AUTH_USER_TABLE` (its `db_table`, e.g. `accounts_member`) and
//! `AUTH_USERNAME_FIELD` (its `USERNAME_FIELD`, e.g. `email`).
//!
//! The program refuses a database without the user table (it is not a Django database, or the
//! variables are wrong), then creates only the library's tables that are missing
//! (`authtoken_token`, `django_session`, `knox_authtoken`, when the Django project does not use
//! those apps); it never alters an existing table. It prints what it found and serves
//! `GET /whoami/` on port 8004 with Session, Token, knox and Basic authentication, and Django's
//! login and logout at `/auth/login/` and `/auth/logout/`: a browser logged in to the Django site
//! (its `sessionid` cookie) is logged in here, and a session made here is logged in there.
//!
//! To try it without a Django project of your own, use the parity suite's:
//!
//! ```text
//! bash parity/setup.sh
//! export DATABASE_URL='sqlite:///tmp/django-adoption.sqlite3' SECRET_KEY='django-insecure-adoption-demo'
//! parity/.venv/bin/python parity/django_project/manage.py migrate
//! DJANGO_SUPERUSER_PASSWORD=admin-password parity/.venv/bin/python parity/django_project/manage.py \
//!     createsuperuser --noinput --username admin --email admin@example.com
//! parity/.venv/bin/python parity/django_project/manage.py drf_create_token admin
//! cargo run -p examples --bin django_adoption
//! ```

use actix_web::{HttpServer, Responder, get, web};
use auth_actix::store::migrations::table_exists;
use auth_actix::store::sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use auth_actix::store::user::UserModel;
use auth_actix::views::session_endpoints;
use auth_actix::{
    Auth, AuthSettings, BasicAuthentication, IsAuthenticated, KnoxTokenAuthentication,
    SessionAuthentication, SessionMiddleware, TokenAuthentication, authentication_classes,
    permission_classes, store,
};

/// The port the server listens on (127.0.0.1) unless `PORT` names another.
const DEFAULT_PORT: u16 = 8004;

#[get("/whoami/")]
#[authentication_classes(
    SessionAuthentication,
    TokenAuthentication,
    KnoxTokenAuthentication,
    BasicAuthentication
)]
#[permission_classes(IsAuthenticated)]
async fn whoami(auth: Auth) -> impl Responder {
    let user = auth.user().as_user();
    web::Json(serde_json::json!({
        "user": auth.user().to_string(),
        "id": user.map(|user| user.id),
        "is_staff": user.is_some_and(|user| user.is_staff),
        "scheme": auth.scheme(),
    }))
}

/// `SELECT COUNT(*)` of a table known to exist.
async fn count(db: &DatabaseConnection, table: &str) -> Result<i64, Box<dyn std::error::Error>> {
    let backend = db.get_database_backend();
    let quoted = match backend {
        DbBackend::MySql => format!("`{table}`"),
        _ => format!("\"{table}\""),
    };
    let row = db
        .query_one_raw(Statement::from_string(
            backend,
            format!("SELECT COUNT(*) AS n FROM {quoted}"),
        ))
        .await?
        .ok_or("COUNT(*) returned no row")?;
    Ok(row.try_get("", "n")?)
}

#[actix_web::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let port = std::env::var("PORT")
        .ok()
        .and_then(|port| port.parse().ok());
    let bind = ("127.0.0.1", port.unwrap_or(DEFAULT_PORT));
    let database_url = std::env::var("DATABASE_URL")
        .map_err(|_| "set DATABASE_URL to the Django project's database (see the file's docs)")?;
    if std::env::var_os("SECRET_KEY").is_none() {
        return Err(
            "set SECRET_KEY to the Django project's SECRET_KEY: sessions are signed with it".into(),
        );
    }
    let users = match (
        std::env::var("AUTH_USER_TABLE"),
        std::env::var("AUTH_USERNAME_FIELD"),
    ) {
        (Ok(table), Ok(field)) => UserModel::new(table, field)?,
        (Ok(table), Err(_)) => UserModel::new(table, "username")?,
        _ => store::user::AUTH_USER.clone(),
    };
    let settings = AuthSettings::builder()
        .secret_key_from_env("SECRET_KEY")
        .database_url(database_url)
        .user_model(users.clone())
        .build()?;

    let db = store::connect(settings.database_url()).await?;
    let backend = db.get_database_backend();
    if !table_exists(&db, backend, users.table()).await? {
        return Err(format!(
            "no `{}` table: this is not the Django project's database (or set AUTH_USER_TABLE)",
            users.table()
        )
        .into());
    }
    let mut missing = Vec::new();
    for table in ["authtoken_token", "django_session", "knox_authtoken"] {
        if !table_exists(&db, backend, table).await? {
            missing.push(table);
        }
    }
    store::migrations::migrate_with(&db, &users).await?;
    if missing.is_empty() {
        println!("Every table was already there; nothing was created.");
    } else {
        println!("Created the missing tables: {}", missing.join(", "));
    }
    println!(
        "Found {} users in `{}`, {} DRF tokens, {} knox tokens, {} sessions.",
        count(&db, users.table()).await?,
        users.table(),
        count(&db, "authtoken_token").await?,
        count(&db, "knox_authtoken").await?,
        count(&db, "django_session").await?,
    );

    let base = format!("http://{}:{}", bind.0, bind.1);
    println!("\nListening on {base}");
    println!("curl -i -u <username>:<password> {base}/whoami/");
    println!("curl -i -H 'Authorization: Token <a DRF token from Django>' {base}/whoami/");
    println!("curl -i -b 'sessionid=<the Django site session cookie>' {base}/whoami/");
    HttpServer::new(move || {
        auth_actix::app(settings.clone(), db.clone())
            .wrap(SessionMiddleware)
            .service(web::scope("/auth").configure(session_endpoints))
            .service(whoami)
    })
    .bind(bind)?
    .run()
    .await?;
    Ok(())
}
