//! Web chat settings (`/chat` and `widget.js`).
use super::resolve::{Resolver, flag, http_url, plain};

#[derive(Debug, Clone)]
pub struct WebChatConfig {
    /// Serves `/chat`, `/widget.js` and the chat API.
    pub enabled: bool,
    /// Where "Leave quickly" sends the tab: a neutral page, replacing the
    /// chat in the tab's history.
    pub leave_url: String,
    /// Who may frame `/chat?embed=1` (the CSP `frame-ancestors` sources):
    /// the agencies' sites, or `*` for any page that adds the script.
    pub frame_ancestors: String,
}

impl WebChatConfig {
    pub fn read(r: &mut Resolver) -> WebChatConfig {
        let enabled = r.or(
            plain(
                "TIPLINE_WEB_CHAT",
                "Serve the anonymous web chat (/chat) and the embeddable widget (/widget.js)",
            ),
            true,
            flag,
        );
        let leave_url = r.or(
            plain(
                "TIPLINE_WEB_CHAT_LEAVE_URL",
                "The neutral page \"Leave quickly\" replaces the chat with",
            ),
            "https://www.google.com".to_string(),
            http_url,
        );
        let frame_ancestors = r.or(
            plain(
                "TIPLINE_WEB_CHAT_FRAME_ANCESTORS",
                "Sites allowed to embed the chat: space-separated origins (https://congan.example.vn) or * for any",
            ),
            "*".to_string(),
            frame_sources,
        );
        WebChatConfig {
            enabled,
            leave_url,
            frame_ancestors,
        }
    }
}

/// `*` or a space-separated list of http(s) origins: nothing that could end
/// the CSP directive or add another one.
fn frame_sources(v: &str) -> Result<String, String> {
    let sources: Vec<&str> = v.split_whitespace().collect();
    let ok = |s: &&str| {
        *s == "*"
            || (http_url(s).is_ok_and(|u| u == *s)
                && !s.contains([';', ',', '\'', '"'])
                && s.matches('/').count() == 2)
    };
    if !sources.is_empty() && sources.iter().all(ok) {
        Ok(sources.join(" "))
    } else {
        Err("must be * or space-separated origins such as https://congan.example.vn".into())
    }
}

#[cfg(test)]
mod tests {
    use super::frame_sources;

    #[test]
    fn frame_ancestors_take_origins_or_a_star_and_nothing_that_breaks_the_csp() {
        assert_eq!(frame_sources("*").unwrap(), "*");
        assert_eq!(
            frame_sources("https://a.vn  http://b.vn:8080").unwrap(),
            "https://a.vn http://b.vn:8080"
        );
        for bad in [
            "",
            "https://a.vn; script-src *",
            "a.vn",
            "https://a.vn/page",
            "'self'",
        ] {
            assert!(frame_sources(bad).is_err(), "{bad}");
        }
    }
}
