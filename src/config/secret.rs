//! Values that must never reach a log line or a `Debug` print.

/// A secret setting (token, key, password). Its `Debug` and `Display` never
/// show the value; [`Secret::expose`] is the one, greppable, way to read it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl std::fmt::Display for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

/// Query parameters whose values are credentials (libpq and common drivers).
const SECRET_QUERY_KEYS: &[&str] = &["password", "passwd", "pwd", "sslpassword", "secret"];

/// Hides the password of a URL (`user:pass@host`, even when the password
/// itself contains `@`) and credential query parameters before it is printed.
pub fn redact_url(url: &str) -> String {
    let Some(scheme_end) = url.find("://").map(|i| i + 3) else {
        return url.to_string();
    };
    let (before_query, query) = match url[scheme_end..].find('?') {
        Some(q) => url.split_at(scheme_end + q),
        None => (url, ""),
    };
    // The host never contains '@', so the credentials end at the last one.
    let mut out = match before_query[scheme_end..].rfind('@') {
        Some(at) => {
            let creds = &before_query[scheme_end..scheme_end + at];
            let user = creds.split_once(':').map_or(creds, |(user, _)| user);
            let hidden = if creds.contains(':') { ":***" } else { "" };
            format!(
                "{}{user}{hidden}{}",
                &url[..scheme_end],
                &before_query[scheme_end + at..]
            )
        }
        None => before_query.to_string(),
    };
    if let Some(params) = query.strip_prefix('?') {
        let redacted: Vec<String> = params
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((key, _))
                    if SECRET_QUERY_KEYS.contains(&key.to_ascii_lowercase().as_str()) =>
                {
                    format!("{key}=***")
                }
                _ => pair.to_string(),
            })
            .collect();
        out.push('?');
        out.push_str(&redacted.join("&"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hides_a_plain_password() {
        assert_eq!(
            redact_url("postgres://tipline:hunter2@db:5432/tipline"),
            "postgres://tipline:***@db:5432/tipline"
        );
    }

    #[test]
    fn hides_a_password_that_contains_at_signs() {
        let shown = redact_url("postgres://tipline:p@ss@w0rd@db.example/tipline");
        assert_eq!(shown, "postgres://tipline:***@db.example/tipline");
        assert!(!shown.contains("w0rd"));
    }

    #[test]
    fn hides_password_query_parameters() {
        let shown = redact_url("postgres://db/tipline?user=t&password=s3cret&sslmode=require");
        assert_eq!(
            shown,
            "postgres://db/tipline?user=t&password=***&sslmode=require"
        );
    }

    #[test]
    fn keeps_urls_without_credentials() {
        assert_eq!(
            redact_url("sqlite://data/tipline.db"),
            "sqlite://data/tipline.db"
        );
        assert_eq!(
            redact_url("postgres://postgres@127.0.0.1:5432/postgres"),
            "postgres://postgres@127.0.0.1:5432/postgres"
        );
        assert_eq!(redact_url("not a url"), "not a url");
    }

    #[test]
    fn debug_and_display_never_show_a_secret() {
        let s = Secret::new("123456:ABC-real-token");
        assert_eq!(format!("{s:?} {s}"), "Secret(***) ***");
        assert_eq!(s.expose(), "123456:ABC-real-token");
    }
}
