//! Django's permission tables in a test database, as Django's `migrate` creates them on SQLite
//! (the statements read from a database Django 6.1 migrated) and on MySQL/MariaDB, and rows in
//! them.

use auth_actix::store::sea_orm::{
    ConnectionTrait, DatabaseConnection, DbBackend, Statement, Value,
};
use auth_actix::store::user::UserId;

/// `contenttypes` and `auth` (permissions, groups, and `auth_user`'s two many-to-many tables).
const SQLITE: &[&str] = &[
    r#"CREATE TABLE "django_content_type" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "app_label" varchar(100) NOT NULL, "model" varchar(100) NOT NULL)"#,
    r#"CREATE UNIQUE INDEX "django_content_type_app_label_model_76bd3d3b_uniq" ON "django_content_type" ("app_label", "model")"#,
    r#"CREATE TABLE "auth_permission" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "content_type_id" integer NOT NULL REFERENCES "django_content_type" ("id") DEFERRABLE INITIALLY DEFERRED, "codename" varchar(100) NOT NULL, "name" varchar(255) NOT NULL)"#,
    r#"CREATE UNIQUE INDEX "auth_permission_content_type_id_codename_01ab375a_uniq" ON "auth_permission" ("content_type_id", "codename")"#,
    r#"CREATE TABLE "auth_group" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "name" varchar(150) NOT NULL UNIQUE)"#,
    r#"CREATE TABLE "auth_group_permissions" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "group_id" integer NOT NULL REFERENCES "auth_group" ("id") DEFERRABLE INITIALLY DEFERRED, "permission_id" integer NOT NULL REFERENCES "auth_permission" ("id") DEFERRABLE INITIALLY DEFERRED)"#,
    r#"CREATE TABLE "auth_user_groups" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "user_id" integer NOT NULL REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED, "group_id" integer NOT NULL REFERENCES "auth_group" ("id") DEFERRABLE INITIALLY DEFERRED)"#,
    r#"CREATE TABLE "auth_user_user_permissions" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "user_id" integer NOT NULL REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED, "permission_id" integer NOT NULL REFERENCES "auth_permission" ("id") DEFERRABLE INITIALLY DEFERRED)"#,
];

/// The same on MySQL/MariaDB: Django 6.1's `sqlmigrate` of `contenttypes` 0001–0002 and `auth`
/// 0001–0012, each table created with its final columns (the migrations' `MODIFY`s of lengths and
/// `contenttypes` 0002's dropped `name` folded in), then the constraints under Django's names.
/// `tests/mysql.rs` checks the result against a database Django's own `migrate` made.
const MYSQL: &[&str] = &[
    "CREATE TABLE `django_content_type` (`id` integer AUTO_INCREMENT NOT NULL PRIMARY KEY, `app_label` varchar(100) NOT NULL, `model` varchar(100) NOT NULL)",
    "ALTER TABLE `django_content_type` ADD CONSTRAINT `django_content_type_app_label_model_76bd3d3b_uniq` UNIQUE (`app_label`, `model`)",
    "CREATE TABLE `auth_permission` (`id` integer AUTO_INCREMENT NOT NULL PRIMARY KEY, `name` varchar(255) NOT NULL, `content_type_id` integer NOT NULL, `codename` varchar(100) NOT NULL)",
    "CREATE TABLE `auth_group` (`id` integer AUTO_INCREMENT NOT NULL PRIMARY KEY, `name` varchar(150) NOT NULL UNIQUE)",
    "CREATE TABLE `auth_group_permissions` (`id` integer AUTO_INCREMENT NOT NULL PRIMARY KEY, `group_id` integer NOT NULL, `permission_id` integer NOT NULL)",
    "CREATE TABLE `auth_user_groups` (`id` integer AUTO_INCREMENT NOT NULL PRIMARY KEY, `user_id` integer NOT NULL, `group_id` integer NOT NULL)",
    "CREATE TABLE `auth_user_user_permissions` (`id` integer AUTO_INCREMENT NOT NULL PRIMARY KEY, `user_id` integer NOT NULL, `permission_id` integer NOT NULL)",
    "ALTER TABLE `auth_permission` ADD CONSTRAINT `auth_permission_content_type_id_codename_01ab375a_uniq` UNIQUE (`content_type_id`, `codename`)",
    "ALTER TABLE `auth_permission` ADD CONSTRAINT `auth_permission_content_type_id_2f476e4b_fk_django_co` FOREIGN KEY (`content_type_id`) REFERENCES `django_content_type` (`id`)",
    "ALTER TABLE `auth_group_permissions` ADD CONSTRAINT `auth_group_permissions_group_id_permission_id_0cd325b0_uniq` UNIQUE (`group_id`, `permission_id`)",
    "ALTER TABLE `auth_group_permissions` ADD CONSTRAINT `auth_group_permissions_group_id_b120cbf9_fk_auth_group_id` FOREIGN KEY (`group_id`) REFERENCES `auth_group` (`id`)",
    "ALTER TABLE `auth_group_permissions` ADD CONSTRAINT `auth_group_permissio_permission_id_84c5c92e_fk_auth_perm` FOREIGN KEY (`permission_id`) REFERENCES `auth_permission` (`id`)",
    "ALTER TABLE `auth_user_groups` ADD CONSTRAINT `auth_user_groups_user_id_group_id_94350c0c_uniq` UNIQUE (`user_id`, `group_id`)",
    "ALTER TABLE `auth_user_groups` ADD CONSTRAINT `auth_user_groups_user_id_6a12ed8b_fk_auth_user_id` FOREIGN KEY (`user_id`) REFERENCES `auth_user` (`id`)",
    "ALTER TABLE `auth_user_groups` ADD CONSTRAINT `auth_user_groups_group_id_97559544_fk_auth_group_id` FOREIGN KEY (`group_id`) REFERENCES `auth_group` (`id`)",
    "ALTER TABLE `auth_user_user_permissions` ADD CONSTRAINT `auth_user_user_permissions_user_id_permission_id_14a6b632_uniq` UNIQUE (`user_id`, `permission_id`)",
    "ALTER TABLE `auth_user_user_permissions` ADD CONSTRAINT `auth_user_user_permissions_user_id_a95ead1b_fk_auth_user_id` FOREIGN KEY (`user_id`) REFERENCES `auth_user` (`id`)",
    "ALTER TABLE `auth_user_user_permissions` ADD CONSTRAINT `auth_user_user_permi_permission_id_1fbb5f2c_fk_auth_perm` FOREIGN KEY (`permission_id`) REFERENCES `auth_permission` (`id`)",
];

/// The permission tables, in creation order, as [`create_permission_tables`] makes them.
pub const TABLES: [&str; 6] = [
    "django_content_type",
    "auth_permission",
    "auth_group",
    "auth_group_permissions",
    "auth_user_groups",
    "auth_user_user_permissions",
];

async fn run(db: &DatabaseConnection, sql: &str, values: Vec<Value>) {
    let backend = db.get_database_backend();
    db.execute_raw(Statement::from_sql_and_values(backend, sql, values))
        .await
        .unwrap_or_else(|error| panic!("{sql}: {error}"));
}

/// Creates Django's permission tables (SQLite or MySQL/MariaDB).
pub async fn create_permission_tables(db: &DatabaseConnection) {
    let statements = match db.get_database_backend() {
        DbBackend::MySql => MYSQL,
        _ => SQLITE,
    };
    for statement in statements {
        run(db, statement, Vec::new()).await;
    }
}

/// `INSERT` that skips a row its unique constraint already holds.
fn insert_or_ignore(db: &DatabaseConnection) -> &'static str {
    match db.get_database_backend() {
        DbBackend::MySql => "INSERT IGNORE",
        _ => "INSERT OR IGNORE",
    }
}

/// The id of permission `app_label.codename`, made (with its content type) when missing.
pub async fn permission(db: &DatabaseConnection, name: &str) -> i32 {
    let (app_label, codename) = name.split_once('.').expect("app_label.codename");
    let model = codename.rsplit('_').next().unwrap_or(codename);
    let insert = insert_or_ignore(db);
    run(
        db,
        &format!("{insert} INTO django_content_type (app_label, model) VALUES (?, ?)"),
        vec![app_label.into(), model.into()],
    )
    .await;
    run(
        db,
        &format!(
            "{insert} INTO auth_permission (content_type_id, codename, name) \
             SELECT id, ?, ? FROM django_content_type WHERE app_label = ? AND model = ?"
        ),
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
        &format!("{} INTO auth_group (name) VALUES (?)", insert_or_ignore(db)),
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
