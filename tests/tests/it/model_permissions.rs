//! Django's permission model on `request.user` (`has_perm` and its siblings, `ModelBackend`'s
//! rules, read from Django's tables) and DRF's `DjangoModelPermissions` /
//! `DjangoModelPermissionsOrAnonReadOnly`. The same matrix against DRF itself is the parity
//! suite's `model-permissions` group. (Handler names are unique in the test binary.)

use actix_web::{HttpResponse, test, web};
use auth_actix::permissions::{DrfPermsMap, ModelBackend, PermsMap, RequestUser};
use auth_actix::{
    Auth, BasicAuthentication, DjangoModel, DjangoModelPermissions,
    DjangoModelPermissionsOrAnonReadOnly, DjangoObjectPermissions, IsAdminUser, api_view,
    authentication_classes, permission_classes,
};
use std::sync::Arc;
use test_support::permission_tables::{create_permission_tables, grant, join_group, permission};
use test_support::*;

/// `blog.Article`.
struct Article;

impl DjangoModel for Article {
    const APP_LABEL: &'static str = "blog";
    const MODEL_NAME: &'static str = "article";
}

#[api_view(GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, TRACE)]
#[authentication_classes(BasicAuthentication)]
#[permission_classes(DjangoModelPermissions<Article>)]
async fn model_permissions_articles(auth: Auth) -> HttpResponse {
    HttpResponse::Ok().json(auth.user().to_string())
}

#[api_view(GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, TRACE)]
#[authentication_classes(BasicAuthentication)]
#[permission_classes(DjangoModelPermissionsOrAnonReadOnly<Article>)]
async fn model_permissions_articles_anon(auth: Auth) -> HttpResponse {
    HttpResponse::Ok().json(auth.user().to_string())
}

#[api_view(GET, POST, DELETE)]
#[authentication_classes(BasicAuthentication)]
#[permission_classes(DjangoModelPermissions<Article> | IsAdminUser)]
async fn model_permissions_or_staff(
    auth: Auth,
) -> Result<HttpResponse, auth_actix::ApiErrorResponse> {
    // The view's permissions read the sets once; the handler's questions reuse them.
    let perms = auth.get_all_permissions().await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({
        "perms": perms.iter().collect::<Vec<_>>(),
        "blog": auth.has_module_perms("blog").await?,
        "shop": auth.has_module_perms("shop").await?,
        "add": auth.has_perm("blog.add_article").await?,
        "both": auth.has_perms(&["blog.add_article", "blog.delete_article"]).await?,
        "none": auth.has_perms(&[]).await?,
    })))
}

/// Reading needs `view_`, as DRF documents for django-guardian.
struct ViewToRead;

impl PermsMap for ViewToRead {
    fn perms_map(method: &str) -> Option<&'static [&'static str]> {
        match method {
            "GET" | "HEAD" => Some(&["%(app_label)s.view_%(model_name)s"]),
            other => DrfPermsMap::perms_map(other),
        }
    }
}

#[api_view(GET, PUT)]
#[authentication_classes(BasicAuthentication)]
#[permission_classes(DjangoObjectPermissions<Article>)]
async fn model_permissions_object(
    auth: Auth,
) -> Result<HttpResponse, auth_actix::ApiErrorResponse> {
    auth.check_object_permissions(&Article).await?;
    Ok(HttpResponse::Ok().finish())
}

#[api_view(GET, PUT)]
#[authentication_classes(BasicAuthentication)]
#[permission_classes(DjangoObjectPermissions<Article, ViewToRead>)]
async fn model_permissions_object_view(
    auth: Auth,
) -> Result<HttpResponse, auth_actix::ApiErrorResponse> {
    auth.check_object_permissions(&Article).await?;
    Ok(HttpResponse::Ok().finish())
}

fn routes(config: &mut web::ServiceConfig) {
    config
        .route("/perms/articles/", web::to(model_permissions_articles))
        .route(
            "/perms/articles-anon/",
            web::to(model_permissions_articles_anon),
        )
        .route("/perms/or-staff/", web::to(model_permissions_or_staff))
        .route("/perms/object/", web::to(model_permissions_object))
        .route(
            "/perms/object-view/",
            web::to(model_permissions_object_view),
        );
}

/// Users: `adder` (add directly), `editor` (change and delete through a group, add
/// directly), `inactive_editor` (the same rows, inactive), `boss` (superuser, no rows),
/// `nobody` (no rows), `staff` (staff, no rows).
async fn fixture() -> (AuthSettings, DatabaseConnection) {
    let settings = settings();
    let db = database(&settings).await;
    create_permission_tables(&db).await;
    let adder = add_user(&db, &settings, "adder", "password", true, false).await;
    grant(&db, adder.id, "blog.add_article").await;
    let editor = add_user(&db, &settings, "editor", "password", true, false).await;
    grant(&db, editor.id, "blog.add_article").await;
    join_group(
        &db,
        editor.id,
        "editors",
        &["blog.change_article", "blog.delete_article"],
    )
    .await;
    let inactive = add_user(&db, &settings, "inactive_editor", "password", false, false).await;
    grant(&db, inactive.id, "blog.add_article").await;
    join_group(&db, inactive.id, "editors", &[]).await;
    let boss = add_user(&db, &settings, "boss", "password", true, false).await;
    auth_actix::store::sea_orm::ConnectionTrait::execute_unprepared(
        &db,
        &format!(
            "UPDATE auth_user SET is_superuser = 1 WHERE id = {}",
            boss.id
        ),
    )
    .await
    .unwrap();
    add_user(&db, &settings, "nobody", "password", true, false).await;
    add_user(&db, &settings, "staff", "password", true, true).await;
    // A permission nobody holds, and one of another app.
    permission(&db, "blog.view_article").await;
    permission(&db, "shop.add_order").await;
    (settings, db)
}

fn as_user(method: &str, path: &str, user: Option<&str>) -> test::TestRequest {
    let request = test::TestRequest::default()
        .method(actix_web::http::Method::from_bytes(method.as_bytes()).unwrap())
        .uri(path);
    match user {
        Some(user) => with_auth(request, basic(format!("{user}:password").as_bytes())),
        None => request,
    }
}

#[actix_web::test]
async fn django_model_permissions_answer_as_drf() {
    let (settings, db) = fixture().await;
    let app = app(&settings, &db, routes).await;
    let denied = detail("You do not have permission to perform this action.");
    // (user, method, status) on DjangoModelPermissions<Article>.
    let table: &[(Option<&str>, &str, u16)] = &[
        (None, "GET", 401),
        (None, "POST", 401),
        (Some("nobody"), "GET", 200),
        (Some("nobody"), "HEAD", 200),
        (Some("nobody"), "OPTIONS", 200),
        (Some("nobody"), "POST", 403),
        (Some("adder"), "POST", 200),
        (Some("adder"), "PUT", 403),
        (Some("editor"), "POST", 200),
        (Some("editor"), "PUT", 200),
        (Some("editor"), "PATCH", 200),
        (Some("editor"), "DELETE", 200),
        (Some("boss"), "DELETE", 200),
        (Some("staff"), "POST", 403),
        // DRF's map has no TRACE: MethodNotAllowed from the permission, after authentication.
        (Some("editor"), "TRACE", 405),
        (None, "TRACE", 401),
    ];
    for &(user, method, status) in table {
        let reply = send(&app, as_user(method, "/perms/articles/", user)).await;
        assert_eq!(reply.status, status, "{user:?} {method}: {}", reply.body);
        if status == 403 {
            assert_eq!(reply.body, denied);
        }
    }
    let reply = send(&app, as_user("TRACE", "/perms/articles/", Some("editor"))).await;
    assert_eq!(reply.body, r#"{"detail":"Method \"TRACE\" not allowed."}"#);
    // An inactive user cannot authenticate by Basic: DRF's 401 before any permission.
    let reply = send(
        &app,
        as_user("POST", "/perms/articles/", Some("inactive_editor")),
    )
    .await;
    assert_eq!(reply.status, 401);

    // OrAnonReadOnly: anonymous reads pass, anonymous writes are NotAuthenticated.
    for (user, method, status) in [
        (None, "GET", 200),
        (None, "HEAD", 200),
        (None, "OPTIONS", 200),
        (None, "POST", 401),
        (None, "TRACE", 405),
        (Some("nobody"), "DELETE", 403),
        (Some("editor"), "DELETE", 200),
    ] {
        let reply = send(&app, as_user(method, "/perms/articles-anon/", user)).await;
        assert_eq!(reply.status, status, "{user:?} {method}: {}", reply.body);
    }
}

#[actix_web::test]
async fn has_perm_follows_model_backends_rules() {
    let (settings, db) = fixture().await;
    let app = app(&settings, &db, routes).await;
    let json = |reply: Reply| serde_json::from_str::<serde_json::Value>(&reply.body).unwrap();
    let editor = json(send(&app, as_user("GET", "/perms/or-staff/", Some("editor"))).await);
    assert_eq!(
        editor,
        serde_json::json!({
            "perms": ["blog.add_article", "blog.change_article", "blog.delete_article"],
            "blog": true, "shop": false, "add": true, "both": true, "none": true,
        })
    );
    // A superuser has every permission there is, and any other too.
    let boss = json(send(&app, as_user("GET", "/perms/or-staff/", Some("boss"))).await);
    assert_eq!(boss["perms"].as_array().unwrap().len(), 5);
    assert_eq!(
        (&boss["shop"], &boss["both"]),
        (&serde_json::json!(true), &serde_json::json!(true))
    );
    // Staff passes by `| IsAdminUser` and holds nothing.
    let staff = json(send(&app, as_user("GET", "/perms/or-staff/", Some("staff"))).await);
    assert_eq!(
        staff,
        serde_json::json!({"perms": [], "blog": false, "shop": false, "add": false, "both": false, "none": true})
    );

    // The rules on users the views cannot authenticate: an inactive user has nothing, even with
    // rows; the anonymous user has nothing, yet `has_perms([])`; simplejwt's TokenUser nothing.
    let env = settings.environment(db.clone());
    let inactive = auth_actix::store::user::AUTH_USER
        .find_by_username(&db, "inactive_editor")
        .await
        .unwrap()
        .unwrap();
    let inactive = RequestUser::User(Arc::new(inactive));
    // One backend asked about two users keeps each one's permissions apart.
    let shared = ModelBackend::default();
    let find = |name: &'static str| {
        let db = db.clone();
        async move {
            let row = auth_actix::store::user::AUTH_USER
                .find_by_username(&db, name)
                .await
                .unwrap()
                .unwrap();
            RequestUser::User(Arc::new(row))
        }
    };
    let (editor, nobody) = (find("editor").await, find("nobody").await);
    assert_eq!(
        shared
            .get_all_permissions(&env, &editor)
            .await
            .unwrap()
            .len(),
        3
    );
    assert!(
        shared
            .get_all_permissions(&env, &nobody)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        !shared
            .has_perm(&env, &nobody, "blog.add_article")
            .await
            .unwrap()
    );
    assert!(
        shared
            .has_perm(&env, &editor, "blog.add_article")
            .await
            .unwrap()
    );

    let backend = ModelBackend::default();
    assert!(
        backend
            .get_all_permissions(&env, &inactive)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        !backend
            .has_perm(&env, &inactive, "blog.add_article")
            .await
            .unwrap()
    );
    assert!(
        !backend
            .has_module_perms(&env, &inactive, "blog")
            .await
            .unwrap()
    );
    let anonymous = RequestUser::Anonymous;
    assert!(
        !backend
            .has_perm(&env, &anonymous, "blog.add_article")
            .await
            .unwrap()
    );
    assert!(backend.has_perms(&env, &anonymous, &[]).await.unwrap());
    let token_user = RequestUser::Token(Arc::new(auth_actix::authentication::TokenUser {
        id: "1".to_owned(),
        username: String::new(),
        is_staff: false,
        is_superuser: true,
    }));
    assert!(
        !backend
            .has_perm(&env, &token_user, "blog.add_article")
            .await
            .unwrap()
    );
    assert!(!backend.has_perms(&env, &token_user, &[]).await.unwrap());
}

#[actix_web::test]
async fn django_object_permissions_hide_what_one_cannot_read() {
    let (settings, db) = fixture().await;
    let viewer = add_user(&db, &settings, "viewer", "password", true, false).await;
    grant(&db, viewer.id, "blog.view_article").await;
    grant(&db, viewer.id, "blog.change_article").await;
    let app = app(&settings, &db, routes).await;
    // Model level first; then on the object only a superuser holds anything (ModelBackend).
    for (path, user, method, status) in [
        ("/perms/object/", "editor", "GET", 200),
        ("/perms/object/", "editor", "PUT", 403),
        ("/perms/object/", "nobody", "PUT", 403),
        ("/perms/object/", "boss", "PUT", 200),
        ("/perms/object-view/", "editor", "GET", 403),
        ("/perms/object-view/", "viewer", "GET", 404),
        ("/perms/object-view/", "viewer", "PUT", 404),
        ("/perms/object-view/", "boss", "GET", 200),
    ] {
        let reply = send(&app, as_user(method, path, Some(user))).await;
        assert_eq!(
            reply.status, status,
            "{path} {user} {method}: {}",
            reply.body
        );
        if status == 404 {
            assert_eq!(reply.body, detail("Not found."));
        }
    }
}

/// django-guardian's tables as its `migrate` creates them on SQLite (3.5.2, indexes left out).
const GUARDIAN_TABLES: [&str; 2] = [
    r#"CREATE TABLE "guardian_userobjectpermission" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "object_pk" varchar(255) NOT NULL, "content_type_id" integer NOT NULL REFERENCES "django_content_type" ("id") DEFERRABLE INITIALLY DEFERRED, "permission_id" integer NOT NULL REFERENCES "auth_permission" ("id") DEFERRABLE INITIALLY DEFERRED, "user_id" integer NOT NULL REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED)"#,
    r#"CREATE TABLE "guardian_groupobjectpermission" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "object_pk" varchar(255) NOT NULL, "content_type_id" integer NOT NULL REFERENCES "django_content_type" ("id") DEFERRABLE INITIALLY DEFERRED, "group_id" integer NOT NULL REFERENCES "auth_group" ("id") DEFERRABLE INITIALLY DEFERRED, "permission_id" integer NOT NULL REFERENCES "auth_permission" ("id") DEFERRABLE INITIALLY DEFERRED)"#,
];

/// `blog.Article` objects by primary key, for an object-permission backend.
struct Post(i64);

impl DjangoModel for Post {
    const APP_LABEL: &'static str = "blog";
    const MODEL_NAME: &'static str = "article";

    fn object_pk(object: &dyn std::any::Any) -> Option<String> {
        object.downcast_ref::<Post>().map(|post| post.0.to_string())
    }
}

#[api_view(GET, PUT, DELETE)]
#[authentication_classes(BasicAuthentication)]
#[permission_classes(DjangoObjectPermissions<Post, ViewToRead>)]
async fn guardian_post(
    auth: Auth,
    pk: web::Path<i64>,
) -> Result<HttpResponse, auth_actix::ApiErrorResponse> {
    auth.check_object_permissions(&Post(*pk)).await?;
    Ok(HttpResponse::Ok().json(auth.user().to_string()))
}

/// A project's own backend (Django's `AUTHENTICATION_BACKENDS` idea): every active user may
/// read articles, at model level.
#[derive(Debug)]
struct EveryoneReads;

impl auth_actix::permissions::PermissionBackend for EveryoneReads {
    fn get_all_permissions<'a>(
        &'a self,
        _cx: auth_actix::permissions::BackendContext<'a>,
        user: &'a auth_actix::store::user::User,
        object: Option<&'a auth_actix::permissions::ObjectRef>,
    ) -> auth_actix::permissions::BackendFuture<'a, std::collections::BTreeSet<String>> {
        let granted = (user.is_active && object.is_none())
            .then(|| "blog.view_article".to_owned())
            .into_iter()
            .collect();
        Box::pin(async move { Ok(granted) })
    }
}

#[actix_web::test]
async fn plugged_in_backends_grant_model_and_object_permissions_as_djangos_backends_do() {
    use auth_actix::permissions::ObjectPermissionBackend;
    use auth_actix::store::sea_orm::ConnectionTrait;

    let settings = settings_builder()
        .permission_backend(EveryoneReads)
        .permission_backend(ObjectPermissionBackend)
        .build()
        .unwrap();
    let db = database(&settings).await;
    create_permission_tables(&db).await;
    for sql in GUARDIAN_TABLES {
        db.execute_unprepared(sql).await.unwrap();
    }
    let editor = add_user(&db, &settings, "g_editor", "password", true, false).await;
    let grouped = add_user(&db, &settings, "g_grouped", "password", true, false).await;
    let idle = add_user(&db, &settings, "g_idle", "password", false, false).await;
    add_user(&db, &settings, "g_boss", "password", true, false).await;
    db.execute_unprepared("UPDATE auth_user SET is_superuser = 1 WHERE username = 'g_boss'")
        .await
        .unwrap();
    for user in [editor.id, grouped.id, idle.id] {
        for name in ["blog.change_article", "blog.delete_article"] {
            grant(&db, user, name).await;
        }
    }
    let view = permission(&db, "blog.view_article").await;
    let change = permission(&db, "blog.change_article").await;
    let delete = permission(&db, "blog.delete_article").await;
    join_group(&db, grouped.id, "reviewers", &[]).await;
    // guardian's rows: editor may change and read post 1 and delete post 2; the reviewers
    // group may read post 2; the inactive user has rows that must not count.
    let rows = [
        ("user", editor.id.to_string(), change, "1"),
        ("user", editor.id.to_string(), view, "1"),
        ("user", editor.id.to_string(), delete, "2"),
        ("user", idle.id.to_string(), view, "1"),
    ];
    for (_, user, permission, pk) in rows {
        db.execute_unprepared(&format!(
            "INSERT INTO guardian_userobjectpermission (object_pk, content_type_id, permission_id, user_id) \
             SELECT '{pk}', content_type_id, id, {user} FROM auth_permission WHERE id = {permission}"
        ))
        .await
        .unwrap();
    }
    db.execute_unprepared(&format!(
        "INSERT INTO guardian_groupobjectpermission (object_pk, content_type_id, permission_id, group_id) \
         SELECT '2', content_type_id, {view}, g.id FROM auth_permission, auth_group g \
         WHERE auth_permission.id = {view} AND g.name = 'reviewers'"
    ))
    .await
    .unwrap();

    let app = app(&settings, &db, |config| {
        config.route("/guardian/posts/{pk}/", web::to(guardian_post));
    })
    .await;
    let status = |user: &'static str, method: &'static str, pk: u32| {
        let request = test::TestRequest::default()
            .method(method.parse().unwrap())
            .uri(&format!("/guardian/posts/{pk}/"));
        with_auth(request, basic(format!("{user}:password").as_bytes()))
    };
    let mut answers = Vec::new();
    for (user, method, pk) in [
        ("g_editor", "GET", 1),
        ("g_editor", "PUT", 1),
        ("g_editor", "DELETE", 1),
        ("g_editor", "GET", 2),
        ("g_editor", "DELETE", 3),
        ("g_grouped", "GET", 2),
        ("g_grouped", "PUT", 2),
        ("g_grouped", "GET", 1),
        ("g_boss", "DELETE", 9),
    ] {
        answers.push(send(&app, status(user, method, pk)).await.status);
    }
    // Read by the object row (200), change it (200), delete without the row but readable
    // (403), unreadable (404); the group's row; a superuser holds every object permission.
    assert_eq!(answers, [200, 200, 403, 404, 404, 200, 403, 404, 200]);

    // Model level: the project's backend adds `view_article` for active users only.
    let env = settings.environment(db.clone());
    let backend = ModelBackend::default();
    let user = |row| RequestUser::User(Arc::new(row));
    let editor_row = user(editor.clone());
    assert!(
        backend
            .has_perm(&env, &editor_row, "blog.view_article")
            .await
            .unwrap()
    );
    assert_eq!(
        backend
            .get_all_permissions(&env, &editor_row)
            .await
            .unwrap()
            .iter()
            .cloned()
            .collect::<Vec<_>>(),
        [
            "blog.change_article",
            "blog.delete_article",
            "blog.view_article"
        ]
    );
    assert!(
        !ModelBackend::default()
            .has_perm(&env, &user(idle.clone()), "blog.view_article")
            .await
            .unwrap()
    );
    // Object level: guardian's rules; another app's name on a blog object is not held.
    let post = auth_actix::permissions::ObjectRef {
        app_label: "blog",
        model: "article",
        pk: "1".to_owned(),
    };
    let on = |perms: &'static [&'static str], who: RequestUser| {
        let (env, post) = (env.clone(), post.clone());
        async move {
            ModelBackend::default()
                .has_perms_on_object(&env, &who, perms, Some(&post))
                .await
                .unwrap()
        }
    };
    assert!(on(&["blog.change_article", "view_article"], editor_row.clone()).await);
    assert!(!on(&["shop.change_article"], editor_row.clone()).await);
    assert!(!on(&["blog.view_article"], user(idle)).await, "inactive");
    assert!(!on(&["blog.view_article"], RequestUser::Anonymous).await);
}
