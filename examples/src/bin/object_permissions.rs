//! Object-level permissions on a row loaded by the handler: DRF tutorial's `IsOwnerOrReadOnly`.
//!
//! The reference (DRF's tutorial, part 4):
//!
//! ```python
//! class IsOwnerOrReadOnly(permissions.BasePermission):
//!     def has_object_permission(self, request, view, obj):
//!         if request.method in permissions.SAFE_METHODS:
//!             return True
//!         return obj.owner == request.user
//! ```
//!
//! The view-level checks run before the handler; the handler loads the note and calls
//! `auth.check_object_permissions(&note)` (DRF's `get_object()` does the same call), whose
//! refusal is the response.
//!
//! ```text
//! cargo run -p examples --bin object_permissions
//! curl -i http://127.0.0.1:8002/notes/1/                                  # anyone may read
//! curl -i -u bob:bob-password -X PUT -d 'text=mine now' http://127.0.0.1:8002/notes/1/
//!                                      # 403 {"detail":"You do not have permission to perform this action."}
//! curl -i -u alice:alice-password -X PUT -d 'text=edited' http://127.0.0.1:8002/notes/1/   # 200
//! ```

use std::any::Any;

use actix_web::{HttpResponse, HttpServer, Responder, get, put, web};
use auth_actix::authentication::{CreateUserError, UserFields, create_user};
use auth_actix::permissions::{Decision, Permission, PermissionContext};
use auth_actix::store::sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use auth_actix::store::user::UserId;
use auth_actix::{
    Auth, AuthSettings, BasicAuthentication, IsAuthenticatedOrReadOnly, authentication_classes,
    permission_classes, store,
};

/// The port the server listens on (127.0.0.1) unless `PORT` names another.
const DEFAULT_PORT: u16 = 8002;

/// A row of the example's `notes` table.
#[derive(Debug)]
struct Note {
    id: i32,
    owner_id: UserId,
    text: String,
}

/// Anyone may read a note; only its owner may change it.
#[derive(Debug, Default)]
struct IsOwnerOrReadOnly;

impl Permission for IsOwnerOrReadOnly {
    async fn has_permission(&self, _cx: &PermissionContext<'_>) -> Decision {
        Ok(true)
    }

    async fn has_object_permission(
        &self,
        cx: &PermissionContext<'_>,
        object: &dyn Any,
    ) -> Decision {
        if cx.request.is_safe_method() {
            return Ok(true);
        }
        let owner = object.downcast_ref::<Note>().map(|note| note.owner_id);
        Ok(owner.is_some() && owner == cx.user.as_user().map(|user| user.id))
    }
}

async fn load_note(db: &DatabaseConnection, id: i32) -> Result<Option<Note>, actix_web::Error> {
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            "SELECT id, owner_id, text FROM notes WHERE id = ?",
            [id.into()],
        ))
        .await
        .map_err(actix_web::error::ErrorServiceUnavailable)?;
    let Some(row) = row else { return Ok(None) };
    let field = |name| row.try_get::<i32>("", name);
    Ok(Some(Note {
        id: field("id").map_err(actix_web::error::ErrorInternalServerError)?,
        owner_id: row
            .try_get::<UserId>("", "owner_id")
            .map_err(actix_web::error::ErrorInternalServerError)?,
        text: row
            .try_get("", "text")
            .map_err(actix_web::error::ErrorInternalServerError)?,
    }))
}

fn note_json(note: &Note) -> serde_json::Value {
    serde_json::json!({ "id": note.id, "owner": note.owner_id, "text": note.text })
}

#[get("/notes/{id}/")]
#[authentication_classes(BasicAuthentication)]
#[permission_classes(IsAuthenticatedOrReadOnly, IsOwnerOrReadOnly)]
async fn read_note(
    auth: Auth,
    id: web::Path<i32>,
    db: web::Data<DatabaseConnection>,
) -> actix_web::Result<HttpResponse> {
    let Some(note) = load_note(&db, id.into_inner()).await? else {
        return Ok(HttpResponse::NotFound().json(serde_json::json!({ "detail": "Not found." })));
    };
    auth.check_object_permissions(&note).await?;
    Ok(HttpResponse::Ok().json(note_json(&note)))
}

#[derive(serde::Deserialize)]
struct NoteText {
    text: String,
}

#[put("/notes/{id}/")]
#[authentication_classes(BasicAuthentication)]
#[permission_classes(IsAuthenticatedOrReadOnly, IsOwnerOrReadOnly)]
async fn update_note(
    auth: Auth,
    id: web::Path<i32>,
    form: web::Form<NoteText>,
    db: web::Data<DatabaseConnection>,
) -> actix_web::Result<impl Responder> {
    let Some(mut note) = load_note(&db, id.into_inner()).await? else {
        return Ok(HttpResponse::NotFound().json(serde_json::json!({ "detail": "Not found." })));
    };
    // Refused here, before anything is written.
    auth.check_object_permissions(&note).await?;
    note.text = form.into_inner().text;
    db.execute_raw(Statement::from_sql_and_values(
        DbBackend::Sqlite,
        "UPDATE notes SET text = ? WHERE id = ?",
        [note.text.clone().into(), note.id.into()],
    ))
    .await
    .map_err(actix_web::error::ErrorServiceUnavailable)?;
    Ok(HttpResponse::Ok().json(note_json(&note)))
}

/// The user `username`, created with `password` when missing.
async fn user(
    db: &DatabaseConnection,
    settings: &AuthSettings,
    username: &str,
    password: &str,
) -> Result<auth_actix::authentication::User, Box<dyn std::error::Error>> {
    let fields = UserFields {
        password: Some(password),
        ..UserFields::default()
    };
    match create_user(&settings.environment(db.clone()), username, fields).await {
        Ok(user) => Ok(user),
        Err(CreateUserError::UsernameTaken) => settings
            .settings()
            .user_model
            .find_by_username(db, username)
            .await?
            .ok_or_else(|| format!("user {username} disappeared").into()),
        Err(error) => Err(error.into()),
    }
}

#[actix_web::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let port = std::env::var("PORT")
        .ok()
        .and_then(|port| port.parse().ok());
    let bind = ("127.0.0.1", port.unwrap_or(DEFAULT_PORT));
    let settings = AuthSettings::builder()
        // Demo value only: a real project sets SECRET_KEY (the Django project's own key).
        .secret_key("django-insecure-example-only-not-a-secret")
        .secret_key_from_env("SECRET_KEY")
        .database_url("sqlite://object_permissions.db?mode=rwc")
        .build()?;
    let db = store::connect_and_migrate(settings.database_url()).await?;
    db.execute_unprepared(
        "CREATE TABLE IF NOT EXISTS notes (
             id integer NOT NULL PRIMARY KEY AUTOINCREMENT,
             owner_id integer NOT NULL REFERENCES auth_user (id),
             text text NOT NULL
         )",
    )
    .await?;
    let alice = user(&db, &settings, "alice", "alice-password").await?;
    user(&db, &settings, "bob", "bob-password").await?;
    db.execute_raw(Statement::from_sql_and_values(
        DbBackend::Sqlite,
        "INSERT OR IGNORE INTO notes (id, owner_id, text) VALUES (1, ?, 'Alice''s note')",
        [alice.id.into()],
    ))
    .await?;

    let base = format!("http://{}:{}", bind.0, bind.1);
    println!("Listening on {base}: note 1 belongs to alice\n");
    println!("curl -i {base}/notes/1/");
    println!("curl -i -u bob:bob-password -X PUT -d 'text=mine now' {base}/notes/1/   # 403");
    println!("curl -i -u alice:alice-password -X PUT -d 'text=edited' {base}/notes/1/  # 200");
    let data = web::Data::new(db.clone());
    HttpServer::new(move || {
        auth_actix::app(settings.clone(), db.clone())
            .app_data(data.clone())
            .service(read_note)
            .service(update_note)
    })
    .bind(bind)?
    .run()
    .await?;
    Ok(())
}
