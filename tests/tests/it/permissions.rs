//! Permission composition (spec §2.3): the truth table, DRF's short-circuit order at view and
//! object level, the OR object-permission rule, and NOT at object level.

use std::any::Any;
use std::cell::RefCell;
use std::sync::Arc;

use auth_actix::authentication::{AuthInfo, RequestUser, User};
use auth_actix::permissions::{And, Decision, Not, Or, Permission, PermissionContext};
use auth_actix::settings::Environment;
use auth_actix::store::sea_orm::prelude::DateTimeUtc;
use auth_actix::store::{self};
use auth_actix::test::MethodOnly;
use auth_actix::{AllowAny, AuthSettings, IsAdminUser, IsAuthenticated};

fn john(is_staff: bool) -> RequestUser {
    RequestUser::User(Arc::new(User {
        id: 1.into(),
        password: String::new(),
        last_login: None,
        is_superuser: false,
        username: "john".into(),
        first_name: String::new(),
        last_name: String::new(),
        email: String::new(),
        is_staff,
        is_active: true,
        date_joined: chrono_now(),
    }))
}

fn chrono_now() -> DateTimeUtc {
    DateTimeUtc::default()
}

struct Fixture {
    env: Environment,
}

async fn fixture() -> Fixture {
    let settings = AuthSettings::builder().secret_key("x").build().unwrap();
    let db = store::connect("sqlite::memory:").await.unwrap();
    Fixture {
        env: settings.environment(db),
    }
}

async fn view<P: Permission>(fixture: &Fixture, user: &RequestUser) -> bool {
    let request = MethodOnly("GET");
    let cx = PermissionContext {
        request: &request,
        user,
        auth: &AuthInfo::None,
        env: &fixture.env,
        backend: &Default::default(),
    };
    P::default().has_permission(&cx).await.unwrap()
}

async fn object<P: Permission>(fixture: &Fixture, user: &RequestUser) -> bool {
    let request = MethodOnly("GET");
    let cx = PermissionContext {
        request: &request,
        user,
        auth: &AuthInfo::None,
        env: &fixture.env,
        backend: &Default::default(),
    };
    P::default().has_object_permission(&cx, &()).await.unwrap()
}

#[actix_web::test]
async fn composition_truth_table() {
    let f = fixture().await;
    let anonymous = RequestUser::Anonymous;
    let john = john(false);
    assert!(!view::<And<IsAuthenticated, AllowAny>>(&f, &anonymous).await);
    assert!(view::<And<IsAuthenticated, AllowAny>>(&f, &john).await);
    assert!(view::<Or<IsAuthenticated, AllowAny>>(&f, &anonymous).await);
    assert!(view::<Or<IsAuthenticated, AllowAny>>(&f, &john).await);
    assert!(view::<Not<IsAuthenticated>>(&f, &anonymous).await);
    assert!(!view::<Not<AllowAny>>(&f, &john).await);
    type Four = And<And<And<IsAuthenticated, IsAuthenticated>, IsAuthenticated>, IsAuthenticated>;
    assert!(view::<Four>(&f, &john).await);
    type Mixed = And<
        And<And<IsAuthenticated, Not<IsAdminUser>>, IsAuthenticated>,
        Not<And<IsAdminUser, IsAdminUser>>,
    >;
    assert!(view::<Mixed>(&f, &john).await);
    type Precedence =
        Or<And<IsAuthenticated, IsAuthenticated>, And<IsAuthenticated, IsAuthenticated>>;
    assert!(view::<Precedence>(&f, &john).await);
}

#[actix_web::test]
async fn is_admin_user_checks_the_staff_flag() {
    let f = fixture().await;
    assert!(!view::<IsAdminUser>(&f, &john(false)).await);
    assert!(view::<IsAdminUser>(&f, &john(true)).await);
    assert!(!view::<IsAdminUser>(&f, &RequestUser::Anonymous).await);
}

#[actix_web::test]
async fn not_at_object_level_negates_the_object_check() {
    let f = fixture().await;
    // IsAuthenticated's object check is true (BasePermission), so ~IsAuthenticated's is false.
    assert!(!object::<Not<IsAuthenticated>>(&f, &RequestUser::Anonymous).await);
}

thread_local! {
    static CALLS: RefCell<Vec<&'static str>> = const { RefCell::new(Vec::new()) };
}

fn record(call: &'static str) {
    CALLS.with(|calls| calls.borrow_mut().push(call));
}

fn take_calls() -> Vec<&'static str> {
    CALLS.with(|calls| std::mem::take(&mut *calls.borrow_mut()))
}

/// AllowAny that records its calls; object check true.
#[derive(Debug, Default)]
struct CountedAllowAny;

impl Permission for CountedAllowAny {
    async fn has_permission(&self, _cx: &PermissionContext<'_>) -> Decision {
        record("AllowAny.view");
        Ok(true)
    }
    async fn has_object_permission(&self, _cx: &PermissionContext<'_>, _o: &dyn Any) -> Decision {
        record("AllowAny.object");
        Ok(true)
    }
}

/// IsAuthenticated that records its calls; object check false (the spec's mock).
#[derive(Debug, Default)]
struct CountedIsAuthenticated;

impl Permission for CountedIsAuthenticated {
    async fn has_permission(&self, cx: &PermissionContext<'_>) -> Decision {
        record("IsAuthenticated.view");
        Ok(cx.user.is_authenticated())
    }
    async fn has_object_permission(&self, _cx: &PermissionContext<'_>, _o: &dyn Any) -> Decision {
        record("IsAuthenticated.object");
        Ok(false)
    }
}

type A = CountedAllowAny;
type I = CountedIsAuthenticated;

#[actix_web::test]
async fn view_level_short_circuits_like_the_reference() {
    let f = fixture().await;
    let anonymous = RequestUser::Anonymous;
    take_calls();
    assert!(view::<Or<A, I>>(&f, &anonymous).await);
    assert_eq!(take_calls(), ["AllowAny.view"]);
    assert!(view::<Or<I, A>>(&f, &anonymous).await);
    assert_eq!(take_calls(), ["IsAuthenticated.view", "AllowAny.view"]);
    assert!(!view::<And<A, I>>(&f, &anonymous).await);
    assert_eq!(take_calls(), ["AllowAny.view", "IsAuthenticated.view"]);
    assert!(!view::<And<I, A>>(&f, &anonymous).await);
    assert_eq!(take_calls(), ["IsAuthenticated.view"]);
}

#[actix_web::test]
async fn or_grants_object_access_only_through_an_operand_that_grants_view_access() {
    let f = fixture().await;
    let anonymous = RequestUser::Anonymous;
    take_calls();
    assert!(object::<Or<A, I>>(&f, &anonymous).await);
    assert_eq!(take_calls(), ["AllowAny.view", "AllowAny.object"]);
    assert!(object::<Or<I, A>>(&f, &anonymous).await);
    assert_eq!(
        take_calls(),
        ["IsAuthenticated.view", "AllowAny.view", "AllowAny.object"],
        "IsAuthenticated's object check is never evaluated for an anonymous request"
    );
}

#[actix_web::test]
async fn and_at_object_level_short_circuits() {
    let f = fixture().await;
    let john = john(false);
    take_calls();
    assert!(!object::<And<I, A>>(&f, &john).await);
    assert_eq!(take_calls(), ["IsAuthenticated.object"]);
    assert!(!object::<And<A, I>>(&f, &john).await);
    assert_eq!(take_calls(), ["AllowAny.object", "IsAuthenticated.object"]);
}

/// The spec's `IsAuthenticatedUserOwner`: IsAuthenticated at view level, object check true.
#[derive(Debug, Default)]
struct IsAuthenticatedUserOwner;

impl Permission for IsAuthenticatedUserOwner {
    async fn has_permission(&self, cx: &PermissionContext<'_>) -> Decision {
        Ok(cx.user.is_authenticated())
    }
    async fn has_object_permission(&self, _cx: &PermissionContext<'_>, _o: &dyn Any) -> Decision {
        Ok(true)
    }
}

#[actix_web::test]
async fn owner_or_admin_refuses_anonymous_at_object_level() {
    let f = fixture().await;
    assert!(
        !object::<Or<IsAuthenticatedUserOwner, IsAdminUser>>(&f, &RequestUser::Anonymous).await
    );
    assert!(object::<Or<IsAuthenticatedUserOwner, IsAdminUser>>(&f, &john(false)).await);
}

#[actix_web::test]
async fn composites_with_the_same_operands_are_equal() {
    assert_eq!(
        And(IsAuthenticated, AllowAny),
        And(IsAuthenticated, AllowAny)
    );
    let mut list = vec![
        format!("{:?}", And(IsAuthenticated, AllowAny)),
        format!("{:?}", And(IsAuthenticated, AllowAny)),
        format!("{:?}", AllowAny),
    ];
    list.dedup();
    assert_eq!(list, ["(IsAuthenticated & AllowAny)", "AllowAny"]);
    assert_ne!(
        format!("{:?}", And(IsAuthenticated, AllowAny)),
        format!("{:?}", Or(IsAuthenticated, AllowAny))
    );
}
