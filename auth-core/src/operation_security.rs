//! What a view's policy asks of a client, per method: the alternative credentials of its schemes,
//! and whether an anonymous request passes its permissions. This is what an API description
//! states per operation (OpenAPI's `security`, where an empty requirement `{}` means "no
//! credentials needed"); auth-actix's `openapi` feature writes it into the document.

use std::future::Future;
use std::pin::pin;
use std::sync::LazyLock;
use std::task::{Context, Poll, Waker};

use sea_orm::DatabaseConnection;

use crate::authentication::{Authenticators, SecurityRequirement};
use crate::environment::{Environment, Services};
use crate::permissions::{PermissionClasses, PermissionContext, ScopeAlternatives};
use crate::policy::{AuthenticationPolicy, PolicyDefaults, Resolve};
use crate::request::MethodOnly;
use crate::settings::{Settings, UnauthenticatedUser};
use crate::user::RequestUser;

/// The security of one operation (a view and a method).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationSecurity {
    /// The ways in, in the view's scheme order: each is one scheme's credentials, all sent
    /// together. Schemes that describe no credential are left out.
    pub requirements: Vec<SecurityRequirement>,
    /// Whether a request without credentials passes the view's permissions with this method
    /// (`AllowAny`, `ReadOnly` or `IsAuthenticatedOrReadOnly` on `GET`, …).
    pub allows_anonymous: bool,
    /// The OAuth 2 scopes the view's permissions require of a token with this method (DOT's
    /// scope permissions), for the requirements of an OAuth 2 scheme.
    pub oauth2_scopes: ScopeAlternatives,
}

/// Describes the policy of scheme list `S` and permission list `P` (as a view declares them, or
/// the `Default…` markers resolved against the `scope`'s and the `project`'s defaults) for
/// `method`.
///
/// Whether anonymous requests pass is decided by running the permissions once for an anonymous
/// request with that method and no headers, without a database. A permission that would wait on
/// I/O or fails counts as refusing: the operation is then described as needing credentials,
/// which is never more permissive than the truth.
pub fn describe<S, P>(
    scope: Option<&PolicyDefaults>,
    project: &PolicyDefaults,
    settings: &Settings,
    method: &str,
) -> OperationSecurity
where
    S: AuthenticationPolicy,
    P: PermissionClasses + Resolve,
{
    let authenticators = S::authenticators(scope, project);
    let permissions = P::resolve(scope, project);
    OperationSecurity {
        requirements: authenticators.security_requirements(settings, method),
        allows_anonymous: admits_anonymous(&permissions, settings, method),
        oauth2_scopes: permissions.oauth2_scopes(settings, method),
    }
}

fn admits_anonymous<P: PermissionClasses>(
    permissions: &P,
    settings: &Settings,
    method: &str,
) -> bool {
    let user = match settings.unauthenticated_user {
        UnauthenticatedUser::Anonymous => RequestUser::Anonymous,
        UnauthenticatedUser::None => RequestUser::None,
    };
    // No database: a permission that asks one fails, and so counts as refusing. The services
    // are made once per process: a permission checked here never reaches them with any effect
    // (an anonymous, method-only request), and a throttle store is not free to make.
    static SERVICES: LazyLock<Services> = LazyLock::new(Services::default);
    let env = Environment::new(
        settings.clone(),
        DatabaseConnection::default(),
        SERVICES.clone(),
    );
    let request = MethodOnly(method);
    let backend = crate::model_backend::ModelBackend::default();
    let cx = PermissionContext {
        request: &request,
        user: &user,
        auth: &settings.unauthenticated_auth,
        env: &env,
        backend: &backend,
    };
    let mut check = pin!(permissions.check(&cx));
    let mut context = Context::from_waker(Waker::noop());
    matches!(check.as_mut().poll(&mut context), Poll::Ready(Ok(None)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::authentication::{BasicAuthentication, SessionAuthentication};
    use crate::permissions::Decision;
    use crate::permissions::{AllowAny, IsAuthenticated, IsAuthenticatedOrReadOnly, Permission};

    fn settings() -> Settings {
        Settings {
            secret_key: "operation-security-tests".into(),
            ..Settings::default()
        }
    }

    fn describe<S, P>(settings: &Settings, method: &str) -> OperationSecurity
    where
        S: AuthenticationPolicy,
        P: PermissionClasses + Resolve,
    {
        super::describe::<S, P>(None, &PolicyDefaults::new(), settings, method)
    }

    /// Grants, but only after waiting on something (as a permission that reads a database).
    #[derive(Default)]
    struct AfterAWait;

    impl Permission for AfterAWait {
        async fn has_permission(&self, _cx: &PermissionContext<'_>) -> Decision {
            tokio::task::yield_now().await;
            Ok(true)
        }
    }

    /// Grants only when the database answers.
    #[derive(Default)]
    struct AsksTheDatabase;

    impl Permission for AsksTheDatabase {
        async fn has_permission(&self, cx: &PermissionContext<'_>) -> Decision {
            use sea_orm::ConnectionTrait;
            cx.db()
                .execute_unprepared("SELECT 1")
                .await
                .map(|_| true)
                .map_err(crate::error::ApiError::store_failure)
        }
    }

    #[test]
    fn anonymous_access_follows_the_permissions_and_the_method() {
        let settings = settings();
        let read_only = |method| {
            describe::<BasicAuthentication, IsAuthenticatedOrReadOnly>(&settings, method)
                .allows_anonymous
        };
        assert!(read_only("GET"));
        assert!(read_only("HEAD"));
        assert!(!read_only("POST"));
        assert!(describe::<(), AllowAny>(&settings, "DELETE").allows_anonymous);
        assert!(!describe::<(), IsAuthenticated>(&settings, "GET").allows_anonymous);
    }

    #[test]
    fn a_permission_that_waits_or_fails_counts_as_refusing() {
        let settings = settings();
        assert!(!describe::<(), AfterAWait>(&settings, "GET").allows_anonymous);
        assert!(!describe::<(), AsksTheDatabase>(&settings, "GET").allows_anonymous);
    }

    #[test]
    fn a_session_needs_the_csrf_cookie_and_header_only_on_unsafe_methods() {
        let settings = settings();
        let names = |method| {
            describe::<SessionAuthentication, IsAuthenticated>(&settings, method)
                .requirements
                .concat()
                .into_iter()
                .map(|scheme| scheme.name.into_owned())
                .collect::<Vec<_>>()
        };
        assert_eq!(names("GET"), ["SessionAuthentication"]);
        assert_eq!(names("TRACE"), ["SessionAuthentication"]);
        assert_eq!(
            names("PATCH"),
            [
                "SessionAuthentication",
                "SessionAuthentication.csrf-cookie",
                "SessionAuthentication.csrf-header"
            ]
        );
    }
}
