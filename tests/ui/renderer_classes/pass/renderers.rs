// Renderer lists of one and several renderers, a custom renderer, and the handler reading the
// accepted renderer.
use actix_web::{App, HttpResponse, get};
use auth_actix::renderers::{Renderer, RendererInfo};
use auth_actix::{
    ApiError, Auth, CSVRenderer, IsAuthenticated, JSONRenderer, StaticHTMLRenderer,
    permission_classes, renderer_classes,
};

struct PlainTextRenderer;

impl Renderer for PlainTextRenderer {
    const INFO: RendererInfo = RendererInfo {
        name: "PlainTextRenderer",
        media_type: "text/plain",
        format: "txt",
        charset: Some("utf-8"),
        render_error: |error: &ApiError| error.detail().as_bytes().to_vec(),
    };
}

#[get("/page/")]
#[renderer_classes(StaticHTMLRenderer)]
async fn page(auth: Auth) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(auth.accepted_renderer().content_type().as_ref())
        .body("<p>hi</p>")
}

#[get("/report/")]
#[permission_classes(IsAuthenticated)]
#[renderer_classes(CSVRenderer, JSONRenderer, PlainTextRenderer)]
async fn report(auth: Auth) -> Result<HttpResponse, auth_actix::ApiErrorResponse> {
    if auth.accepted_renderer().format == "txt" {
        return Err(auth.error(ApiError::permission_denied("No text.")));
    }
    Ok(HttpResponse::Ok().finish())
}

fn main() {
    let _ = App::new().service(page).service(report);
}
