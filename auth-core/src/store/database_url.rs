//! A database password kept out of the URL: read from the environment or a file (a container
//! secret) and put into the URL only in memory, so that it never has to be written on a command
//! line, where every local user can read it (`ps`, `/proc/<pid>/cmdline`).

/// `url` with `password` as the password of its user (`scheme://user@host/…` becomes
/// `scheme://user:<password, percent-encoded>@host/…`). `None` when the URL names no user to
/// give it to, or already carries a password.
pub fn with_password(url: &str, password: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let (user, host) = authority.rsplit_once('@')?;
    if user.is_empty() || user.contains(':') {
        return None;
    }
    let encoded: String = form_urlencoded::byte_serialize(password.as_bytes())
        // `byte_serialize` writes a space as `+`, which a URL's user information reads as `+`.
        .map(|piece| if piece == "+" { "%20" } else { piece })
        .collect();
    Some(format!("{scheme}://{user}:{encoded}@{host}{tail}"))
}

/// The password in file `path`, without the line ending an editor or `echo` adds.
pub fn read_password_file(path: &std::path::Path) -> std::io::Result<String> {
    let text = std::fs::read_to_string(path)?;
    Ok(text.trim_end_matches(['\r', '\n']).to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_goes_to_the_user_percent_encoded() {
        assert_eq!(
            with_password("postgres://app@db:5432/main?sslmode=require", "p@ss w/rd+:").as_deref(),
            Some("postgres://app:p%40ss%20w%2Frd%2B%3A@db:5432/main?sslmode=require")
        );
        assert_eq!(with_password("postgres://db/main", "x"), None, "no user");
        assert_eq!(
            with_password("postgres://app:old@db/main", "x"),
            None,
            "a password is already there"
        );
        assert_eq!(with_password("sqlite://auth.db?mode=rwc", "x"), None);
    }
}
