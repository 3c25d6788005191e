use actix_web::{web, App, HttpRequest, HttpResponse};
use auth_actix::{Auth, BasicAuthentication, IsAuthenticated, authentication_classes, permission_classes};

#[derive(serde::Deserialize)]
struct Query {
    page: Option<u32>,
}

#[authentication_classes(BasicAuthentication)]
#[permission_classes(IsAuthenticated)]
async fn handler(
    request: HttpRequest,
    auth: Auth,
    path: web::Path<(String, u32)>,
    query: web::Query<Query>,
    body: web::Json<serde_json::Value>,
) -> HttpResponse {
    let (name, id) = path.into_inner();
    HttpResponse::Ok().json(serde_json::json!({
        "method": request.method().as_str(),
        "user": auth.user().to_string(),
        "name": name,
        "id": id,
        "page": query.page,
        "body": body.into_inner(),
    }))
}

fn main() {
    let _ = App::new().route("/{name}/{id}", web::post().to(handler));
}
