//! Django's permission tables in a test database, as Django's `migrate` creates them on SQLite
//! (the statements read from a database Django 6.1 migrated), and rows in them.

use auth_actix::store::sea_orm::{ConnectionTrait, DatabaseConnection, Statement, Value};
use auth_actix::store::user::UserId;

/// `contenttypes` and `auth` (permissions, groups, and `auth_user`'s two many-to-many tables).
const DDL: &[&str] = &[
    r#"CREATE TABLE "django_content_type" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "app_label" varchar(100) NOT NULL, "model" varchar(100) NOT NULL)"#,
    r#"CREATE UNIQUE INDEX "django_content_type_app_label_model_76bd3d3b_uniq" ON "django_content_type" ("app_label", "model")"#,
    r#"CREATE TABLE "auth_permission" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "content_type_id" integer NOT NULL REFERENCES "django_content_type" ("id") DEFERRABLE INITIALLY DEFERRED, "codename" varchar(100) NOT NULL, "name" varchar(255) NOT NULL)"#,
    r#"CREATE UNIQUE INDEX "auth_permission_content_type_id_codename_01ab375a_uniq" ON "auth_permission" ("content_type_id", "codename")"#,
    r#"CREATE TABLE "auth_group" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "name" varchar(150) NOT NULL UNIQUE)"#,
    r#"CREATE TABLE "auth_group_permissions" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "group_id" integer NOT NULL REFERENCES "auth_group" ("id") DEFERRABLE INITIALLY DEFERRED, "permission_id" integer NOT NULL REFERENCES "auth_permission" ("id") DEFERRABLE INITIALLY DEFERRED)"#,
    r#"CREATE TABLE "auth_user_groups" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "user_id" integer NOT NULL REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED, "group_id" integer NOT NULL REFERENCES "auth_group" ("id") DEFERRABLE INITIALLY DEFERRED)"#,
    r#"CREATE TABLE "auth_user_user_permissions" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "user_id" integer NOT NULL REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED, "permission_id" integer NOT NULL REFERENCES "auth_permission" ("id") DEFERRABLE INITIALLY DEFERRED)"#,
];

async fn run(db: &DatabaseConnection, sql: &str, values: Vec<Value>) {
    let backend = db.get_database_backend();
    db.execute_raw(Statement::from_sql_and_values(backend, sql, values))
        .await
        .unwrap_or_else(|error| panic!("{sql}: {error}"));
}

/// Creates Django's permission tables.
pub async fn create_permission_tables(db: &DatabaseConnection) {
    for statement in DDL {
        run(db, statement, Vec::new()).await;
    }
}

/// The id of permission `app_label.codename`, made (with its content type) when missing.
pub async fn permission(db: &DatabaseConnection, name: &str) -> i32 {
    let (app_label, codename) = name.split_once('.').expect("app_label.codename");
    let model = codename.rsplit('_').next().unwrap_or(codename);
    run(
        db,
        "INSERT OR IGNORE INTO django_content_type (app_label, model) VALUES (?, ?)",
        vec![app_label.into(), model.into()],
    )
    .await;
    run(
        db,
        "INSERT OR IGNORE INTO auth_permission (content_type_id, codename, name) \
         SELECT id, ?, ? FROM django_content_type WHERE app_label = ? AND model = ?",
        vec![
            codename.into(),
            format!("Can {codename}").into(),
            app_label.into(),
            model.into(),
        ],
    )
    .await;
    let backend = db.get_database_backend();
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            "SELECT p.id AS id FROM auth_permission p JOIN django_content_type ct \
             ON ct.id = p.content_type_id WHERE ct.app_label = ? AND p.codename = ?",
            vec![app_label.into(), codename.into()],
        ))
        .await
        .unwrap()
        .expect("the permission row");
    row.try_get("", "id").unwrap()
}

/// Gives user `user_id` the permission `name` directly.
pub async fn grant(db: &DatabaseConnection, user_id: UserId, name: &str) {
    let permission = permission(db, name).await;
    run(
        db,
        "INSERT INTO auth_user_user_permissions (user_id, permission_id) VALUES (?, ?)",
        vec![user_id.into(), permission.into()],
    )
    .await;
}

/// Puts user `user_id` in group `group` (made when missing), which has the permissions `names`.
pub async fn join_group(db: &DatabaseConnection, user_id: UserId, group: &str, names: &[&str]) {
    run(
        db,
        "INSERT OR IGNORE INTO auth_group (name) VALUES (?)",
        vec![group.into()],
    )
    .await;
    for name in names {
        let permission = permission(db, name).await;
        run(
            db,
            "INSERT INTO auth_group_permissions (group_id, permission_id) \
             SELECT id, ? FROM auth_group WHERE name = ?",
            vec![permission.into(), group.into()],
        )
        .await;
    }
    run(
        db,
        "INSERT INTO auth_user_groups (user_id, group_id) SELECT ?, id FROM auth_group WHERE name = ?",
        vec![user_id.into(), group.into()],
    )
    .await;
}
