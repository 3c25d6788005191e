//! dj-rest-auth 7.2.0's JWT cookie mode (`dj_rest_auth/jwt_auth.py`): simplejwt's access and
//! refresh tokens carried in cookies, with the names, attributes and CSRF rules of its
//! `REST_AUTH` settings.
//!
//! * [`jwt_cookies`]: the `JWT_AUTH_*` settings and the `Set-Cookie` values
//!   `set_jwt_access_cookie`, `set_jwt_refresh_cookie` and `unset_jwt_cookies` write.
//! * [`app_settings`]: `USE_JWT` and `SESSION_LOGIN`, which its login and logout views follow.
//!
//! The scheme is `authentication::JwtCookieAuthentication`; the views are
//! `auth_actix::views::dj_rest_auth_endpoints` (login, logout, token refresh and verify) and
//! `cookie_token_refresh_resource`.

pub mod app_settings;
pub mod jwt_cookies;

pub use app_settings::RestAuthSettings;
pub use jwt_cookies::{JwtCookieSettings, JwtCookieSettingsError};
