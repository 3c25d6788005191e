//! DRF's `RemoteUserAuthentication`.

use super::scheme::{AuthContext, Authenticated, Authentication, Outcome};
use super::security_scheme::{CredentialLocation, SecurityRequirement, SecurityScheme};
use crate::accounts;
use crate::settings::Settings;
use crate::user::AuthInfo;

/// Trusts the user name a front-end server authenticated (Django's `REMOTE_USER`).
///
/// The name comes only from [`RequestView::remote_user`](crate::request::RequestView::remote_user):
/// a value the server sets, or the header that the settings name explicitly
/// ([`remote_user_header`](crate::settings::Settings::remote_user_header)); with
/// neither, the scheme never attempts. Unknown users are created unless the settings say
/// otherwise; inactive users stay anonymous. It never fails and has no challenge (errors on a
/// view where it is first are 403).
#[derive(Debug, Default, Clone, Copy)]
pub struct RemoteUserAuthentication;

impl Authentication for RemoteUserAuthentication {
    const NAME: &'static str = "RemoteUserAuthentication";

    async fn authenticate(cx: &AuthContext<'_>) -> Outcome {
        let Some(remote_user) = cx.request.remote_user() else {
            return Outcome::NotAttempted;
        };
        match accounts::authenticate_remote_user(cx.env, &remote_user).await {
            Ok(Some(user)) => Outcome::Authenticated(Authenticated {
                user: user.into(),
                auth: AuthInfo::None,
            }),
            Ok(None) => Outcome::NotAttempted,
            // A store failure is not "no user": it must never let the request through as
            // anonymous, so the request fails closed.
            Err(error) => Outcome::Failed(error),
        }
    }

    /// The configured header, if any (a server variable is invisible to clients).
    fn security_requirement(settings: &Settings, _method: &str) -> SecurityRequirement {
        settings
            .remote_user_header
            .as_deref()
            .map(|header| SecurityScheme {
                name: Self::NAME.into(),
                location: CredentialLocation::Header(header.to_owned()),
                description: "The user name, set by the trusted front-end server that authenticated the request; clients never send it themselves.".into(),
            })
            .into_iter()
            .collect()
    }
}
