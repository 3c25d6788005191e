// A public handler may name a private permission of its module, and a generic handler may name
// its own type parameter in a list.
mod views {
    use actix_web::{App, HttpResponse, web};
    use auth_actix::permissions::{Decision, Permission, PermissionContext};
    use auth_actix::{IsAuthenticated, permission_classes, throttle_classes, throttle_scope};
    use auth_actix::ScopedRateThrottle;

    #[derive(Debug, Default)]
    struct IsOwner;

    impl Permission for IsOwner {
        async fn has_permission(&self, cx: &PermissionContext<'_>) -> Decision {
            Ok(cx.user.is_authenticated())
        }
    }

    #[permission_classes(IsAuthenticated & IsOwner)]
    #[throttle_classes(ScopedRateThrottle)]
    #[throttle_scope("owners")]
    pub async fn mine() -> HttpResponse {
        HttpResponse::Ok().finish()
    }

    #[permission_classes(P)]
    pub async fn generic<P: Permission + Default + Send + Sync + 'static>() -> HttpResponse {
        HttpResponse::Ok().finish()
    }

    pub fn app() {
        let _ = App::new()
            .route("/mine", web::get().to(mine))
            .route("/generic", web::get().to(auth_actix::policy::declared(generic::<IsOwner>)));
    }
}

fn main() {
    views::app();
}
