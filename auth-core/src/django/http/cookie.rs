//! `Set-Cookie` values exactly as Django writes them (`HttpResponse.set_cookie`,
//! `delete_cookie`, rendered by Python's `http.cookies.Morsel`): attributes in Python's sorted
//! order — `Domain`, `expires`, `HttpOnly`, `Max-Age`, `Path`, `SameSite`, `Secure` — and the
//! `*_COOKIE_*` settings that shape them.

use chrono::{DateTime, Utc};

/// `SameSite` of a cookie.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SameSite {
    /// `SameSite=Lax` (Django's default).
    Lax,
    /// `SameSite=Strict`.
    Strict,
    /// `SameSite=None` (requires `Secure` in browsers).
    None,
}

impl SameSite {
    /// The attribute's value.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Lax => "Lax",
            Self::Strict => "Strict",
            Self::None => "None",
        }
    }
}

/// How a cookie is written: Django's `*_COOKIE_*` settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CookieSettings {
    /// `*_COOKIE_NAME`.
    pub name: String,
    /// `*_COOKIE_AGE` in seconds.
    pub age: i64,
    /// `*_COOKIE_DOMAIN`.
    pub domain: Option<String>,
    /// `*_COOKIE_PATH`.
    pub path: String,
    /// `*_COOKIE_SECURE`.
    pub secure: bool,
    /// `*_COOKIE_HTTPONLY`.
    pub http_only: bool,
    /// `*_COOKIE_SAMESITE` (`None` in Rust terms = attribute not written).
    pub same_site: Option<SameSite>,
}

impl CookieSettings {
    /// When a cookie set at `now` expires: `now + age`, saturating at chrono's range, so an
    /// absurd age from a configuration file gives a far date instead of a panic.
    pub fn expires_after(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        let age = chrono::TimeDelta::try_seconds(self.age).unwrap_or(if self.age < 0 {
            chrono::TimeDelta::MIN
        } else {
            chrono::TimeDelta::MAX
        });
        now.checked_add_signed(age).unwrap_or(if self.age < 0 {
            DateTime::<Utc>::MIN_UTC
        } else {
            DateTime::<Utc>::MAX_UTC
        })
    }

    /// Django's session cookie: `sessionid`, two weeks, `/`, HttpOnly, `SameSite=Lax`.
    pub fn django_session() -> Self {
        Self {
            name: "sessionid".to_owned(),
            age: 1_209_600,
            domain: None,
            path: "/".to_owned(),
            secure: false,
            http_only: true,
            same_site: Some(SameSite::Lax),
        }
    }

    /// Django's CSRF cookie: `csrftoken`, 52 weeks, `/`, readable by scripts, `SameSite=Lax`.
    pub fn django_csrf() -> Self {
        Self {
            name: "csrftoken".to_owned(),
            age: 31_449_600,
            domain: None,
            path: "/".to_owned(),
            secure: false,
            http_only: false,
            same_site: Some(SameSite::Lax),
        }
    }
}

/// Django's `http_date`: `Wed, 21 Oct 2015 07:28:00 GMT`.
pub fn http_date(instant: DateTime<Utc>) -> String {
    instant.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

/// A `Set-Cookie` value in the attribute order of Python's `SimpleCookie`; `expiry` is `(expires,
/// Max-Age)`, none for a cookie that lasts as long as the browser session.
fn render(
    settings: &CookieSettings,
    value: &str,
    expiry: Option<(&str, i64)>,
    http_only: bool,
) -> String {
    let mut header = format!("{}={}", settings.name, value);
    if let Some(domain) = &settings.domain {
        header.push_str("; Domain=");
        header.push_str(domain);
    }
    if let Some((expires, _)) = expiry {
        header.push_str("; expires=");
        header.push_str(expires);
    }
    if http_only {
        header.push_str("; HttpOnly");
    }
    if let Some((_, max_age)) = expiry {
        header.push_str("; Max-Age=");
        header.push_str(&max_age.to_string());
    }
    header.push_str("; Path=");
    header.push_str(&settings.path);
    if let Some(same_site) = settings.same_site {
        header.push_str("; SameSite=");
        header.push_str(same_site.as_str());
    }
    if settings.secure {
        header.push_str("; Secure");
    }
    header
}

/// `set_cookie(name, value, max_age=age, …)`: `expires` is now + age. `value` must be a plain
/// token (session keys and CSRF secrets are alphanumeric, so no quoting is needed).
pub fn set_cookie(settings: &CookieSettings, value: &str, now: DateTime<Utc>) -> String {
    let expires = settings.expires_after(now);
    render(
        settings,
        value,
        Some((&http_date(expires), settings.age)),
        settings.http_only,
    )
}

/// `set_cookie(name, value, max_age=None, expires=None, …)`: a browser-session cookie, as
/// Django's `SessionMiddleware` sends the session's under `SESSION_EXPIRE_AT_BROWSER_CLOSE`.
pub fn set_browser_session_cookie(settings: &CookieSettings, value: &str) -> String {
    render(settings, value, None, settings.http_only)
}

/// `delete_cookie(name, path, domain, samesite)`: an empty quoted value, the epoch, `Max-Age=0`
/// and no `HttpOnly`. `Secure` is Django 6.1's rule, not the cookie's setting: only for a
/// `__Secure-` or `__Host-` name or `SameSite=None` (the browsers' conditions for honouring the
/// deletion), so a `SESSION_COOKIE_SECURE` session's deletion has no `Secure`, as Django's.
pub fn delete_cookie(settings: &CookieSettings) -> String {
    let secure = settings.name.starts_with("__Secure-")
        || settings.name.starts_with("__Host-")
        || settings.same_site == Some(SameSite::None);
    let deletion = CookieSettings {
        secure,
        ..settings.clone()
    };
    render(
        &deletion,
        "\"\"",
        Some(("Thu, 01 Jan 1970 00:00:00 GMT", 0)),
        false,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_deletion_is_secure_by_djangos_rule_not_by_the_setting() {
        let secure = CookieSettings {
            secure: true,
            ..CookieSettings::django_session()
        };
        assert_eq!(
            delete_cookie(&secure),
            "sessionid=\"\"; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/; SameSite=Lax"
        );
        let host = CookieSettings {
            name: "__Host-sessionid".to_owned(),
            ..CookieSettings::django_session()
        };
        assert!(delete_cookie(&host).ends_with("; Secure"));
        let none = CookieSettings {
            same_site: Some(SameSite::None),
            ..CookieSettings::django_session()
        };
        assert!(delete_cookie(&none).ends_with("SameSite=None; Secure"));
    }

    #[test]
    fn an_absurd_age_from_the_settings_gives_a_far_date_not_a_panic() {
        let now = Utc::now();
        for age in [i64::MAX, 9_000_000_000_000, i64::MIN, -9_000_000_000_000] {
            let settings = CookieSettings {
                age,
                ..CookieSettings::django_session()
            };
            let header = set_cookie(&settings, "abc", now);
            assert!(header.starts_with("sessionid=abc; expires="), "{header}");
        }
    }

    #[test]
    fn session_cookie_matches_djangos_header() {
        let now = Utc
            .with_ymd_and_hms(2023, 11, 14, 22, 13, 20)
            .single()
            .unwrap_or_default();
        let header = set_cookie(&CookieSettings::django_session(), "abc", now);
        assert_eq!(
            header,
            "sessionid=abc; expires=Tue, 28 Nov 2023 22:13:20 GMT; HttpOnly; Max-Age=1209600; Path=/; SameSite=Lax"
        );
    }

    #[test]
    fn csrf_cookie_has_no_http_only() {
        let now = Utc
            .with_ymd_and_hms(2023, 11, 14, 22, 13, 20)
            .single()
            .unwrap_or_default();
        let header = set_cookie(&CookieSettings::django_csrf(), "s", now);
        assert_eq!(
            header,
            "csrftoken=s; expires=Tue, 12 Nov 2024 22:13:20 GMT; Max-Age=31449600; Path=/; SameSite=Lax"
        );
    }

    #[test]
    fn a_browser_session_cookie_has_no_expiry() {
        let mut settings = CookieSettings::django_session();
        assert_eq!(
            set_browser_session_cookie(&settings, "abc"),
            "sessionid=abc; HttpOnly; Path=/; SameSite=Lax"
        );
        settings.domain = Some(".example.com".into());
        settings.secure = true;
        assert_eq!(
            set_browser_session_cookie(&settings, "abc"),
            "sessionid=abc; Domain=.example.com; HttpOnly; Path=/; SameSite=Lax; Secure"
        );
    }

    #[test]
    fn deletion_matches_djangos_header() {
        assert_eq!(
            delete_cookie(&CookieSettings::django_session()),
            r#"sessionid=""; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/; SameSite=Lax"#
        );
    }

    #[test]
    fn domain_and_secure_are_placed_in_pythons_order() {
        let mut settings = CookieSettings::django_session();
        settings.domain = Some(".example.com".into());
        // `SameSite=None` makes Django's deletion secure.
        settings.same_site = Some(SameSite::None);
        let header = delete_cookie(&settings);
        assert_eq!(
            header,
            r#"sessionid=""; Domain=.example.com; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/; SameSite=None; Secure"#
        );
    }
}
