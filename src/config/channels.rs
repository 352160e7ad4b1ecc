//! Telegram, Zalo, Messenger and unit-notice settings. To add a setting: a field and one
//! line in its struct's `read`.
use std::collections::BTreeMap;

use super::resolve::{Resolver, Setting, api_url, at_least, flag, http_url, plain, secret, text};
use super::secret::Secret;
use crate::domain::routing::UnitCode;
use crate::i18n::Lang;

/// Telegram requires a webhook secret token of 1-256 of these characters;
/// Tipline asks for at least 16 so it cannot be guessed.
const WEBHOOK_SECRET_LEN: std::ops::RangeInclusive<usize> = 16..=256;

const WEBHOOK_URL: Setting = plain(
    "TELEGRAM_WEBHOOK_URL",
    "Public URL that reaches <bind>/telegram/webhook; switches Telegram to webhook mode",
);
const WEBHOOK_SECRET: Setting = secret(
    "TELEGRAM_WEBHOOK_SECRET",
    "Webhook secret token (16-256 of A-Z a-z 0-9 _ -), required with TELEGRAM_WEBHOOK_URL; same on every replica",
);

#[derive(Debug, Clone)]
pub struct TelegramConfig {
    /// Enables Telegram; long polling unless a webhook is configured.
    pub bot_token: Option<Secret>,
    /// A local Bot API server or a test fake instead of api.telegram.org.
    pub api_url: Option<reqwest::Url>,
    pub webhook: Option<TelegramWebhook>,
    /// Messages per second, all chats; 0 turns pacing off (fake or local Bot API only).
    pub rate_global: u32,
    /// Messages per second to one chat, at least 1.
    pub rate_per_chat: u32,
}

#[derive(Debug, Clone)]
pub struct TelegramWebhook {
    pub url: reqwest::Url,
    pub secret: Secret,
}

impl TelegramConfig {
    pub fn read(r: &mut Resolver) -> TelegramConfig {
        let bot_token = r.optional(
            secret(
                "TELEGRAM_BOT_TOKEN",
                "Telegram bot token from @BotFather; enables Telegram",
            ),
            |v| Ok(Secret::new(v)),
        );
        let api_url = r.optional(
            api_url("TELOXIDE_API_URL", "Telegram Bot API base URL, e.g. a local Bot API server (default https://api.telegram.org)"),
            |v| http_url(v).and_then(|u| u.parse().map_err(|_| "must be a URL".into())),
        );
        let webhook_url = r.optional(WEBHOOK_URL, |v| {
            http_url(v)?;
            v.parse::<reqwest::Url>()
                .map_err(|_| "must be a URL".to_string())
        });
        let webhook_secret = r.optional(WEBHOOK_SECRET, |v| {
            let charset = v
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
            if WEBHOOK_SECRET_LEN.contains(&v.len()) && charset {
                Ok(Secret::new(v))
            } else {
                Err("must be 16-256 characters of A-Z a-z 0-9 _ -".into())
            }
        });
        let webhook = match (webhook_url, webhook_secret) {
            (Some(url), Some(secret)) => Some(TelegramWebhook { url, secret }),
            (Some(_), None) if !r.has_problem(WEBHOOK_SECRET.name) => {
                r.reject(
                    WEBHOOK_SECRET,
                    "required with TELEGRAM_WEBHOOK_URL (16-256 characters A-Z a-z 0-9 _ -)",
                );
                None
            }
            _ => None,
        };
        let rate_global = r.or(
            plain("TELEGRAM_RATE_GLOBAL", "Outgoing Telegram messages per second, all chats (Telegram's limit; 0 = unpaced, only for a fake or local Bot API)"),
            30,
            at_least(0),
        );
        let rate_per_chat = r.or(
            plain(
                "TELEGRAM_RATE_PER_CHAT",
                "Outgoing Telegram messages per second to one chat (Telegram's limit)",
            ),
            1,
            at_least(1),
        );
        TelegramConfig {
            bot_token,
            api_url,
            webhook,
            rate_global,
            rate_per_chat,
        }
    }
}

/// Zalo Official Account settings; Zalo is on when app id and OA secret key are set.
#[derive(Debug, Clone)]
pub struct ZaloConfig {
    pub app_id: Option<String>,
    pub oa_secret_key: Option<Secret>,
    pub app_secret: Option<Secret>,
    pub access_token: Option<Secret>,
    pub refresh_token: Option<Secret>,
    pub api_base: String,
    pub oauth_base: String,
    /// Events addressed to another OA linked to the same app are ignored.
    pub oa_id: Option<String>,
    /// Seconds all sends pause after Zalo's -32 call limit.
    pub backoff_secs: u64,
    /// Campaigns may use the paid 48 h-7 d window, not only the free 48 h.
    pub broadcast_paid_window: bool,
    /// Domain verification: the zalo-platform-site-verification meta tag's content, on `/`.
    pub site_verification: Option<String>,
    /// Domain verification: a file (plain name, content) served at `/<name>`.
    pub verification_file: Option<(String, String)>,
}

/// A plain file name (no path, no leading dot), so it can never shadow or escape a route.
fn plain_file_name(v: &str) -> Result<String, String> {
    let ok = !v.is_empty()
        && v.len() <= 200
        && !v.starts_with('.')
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if ok {
        Ok(v.to_string())
    } else {
        Err("must be a plain file name such as zalo_verifierXXXX.html".into())
    }
}

impl ZaloConfig {
    pub fn read(r: &mut Resolver) -> ZaloConfig {
        let secret_value = |v: &str| Ok(Secret::new(v));
        ZaloConfig {
            app_id: r.optional(
                plain(
                    "ZALO_APP_ID",
                    "Zalo app id; with ZALO_OA_SECRET_KEY enables Zalo OA at <bind>/zalo/webhook",
                ),
                text,
            ),
            oa_secret_key: r.optional(
                secret(
                    "ZALO_OA_SECRET_KEY",
                    "Zalo OA secret key, verifies webhook signatures",
                ),
                secret_value,
            ),
            app_secret: r.optional(
                secret(
                    "ZALO_APP_SECRET",
                    "Zalo app secret key, used to refresh the OA access token",
                ),
                secret_value,
            ),
            access_token: r.optional(
                secret(
                    "ZALO_ACCESS_TOKEN",
                    "Initial OA access token (optional when a refresh token is given)",
                ),
                secret_value,
            ),
            refresh_token: r.optional(
                secret(
                    "ZALO_REFRESH_TOKEN",
                    "Initial OA refresh token; rotated pairs are then kept in the database",
                ),
                secret_value,
            ),
            api_base: r.or(
                api_url("ZALO_API_BASE_URL", "Zalo OA API base URL"),
                "https://openapi.zalo.me".into(),
                http_url,
            ),
            oauth_base: r.or(
                api_url("ZALO_OAUTH_BASE_URL", "Zalo OAuth base URL"),
                "https://oauth.zaloapp.com".into(),
                http_url,
            ),
            oa_id: r.optional(
                plain(
                    "ZALO_OA_ID",
                    "The Official Account's id; events addressed to another OA linked to the same app are ignored (optional)",
                ),
                text,
            ),
            backoff_secs: r.or(
                plain(
                    "ZALO_BACKOFF_SECS",
                    "Seconds all Zalo sends pause after Zalo's -32 call limit",
                ),
                60,
                at_least(1),
            ),
            broadcast_paid_window: r.or(
                plain(
                    "ZALO_BROADCAST_PAID_WINDOW",
                    "true: campaigns also reach Zalo subscribers 48 h to 7 days after their last interaction, billed per message by Zalo (false: the free 48 h only)",
                ),
                false,
                flag,
            ),
            site_verification: r.optional(
                plain(
                    "ZALO_SITE_VERIFICATION",
                    "Zalo domain verification: the content of the zalo-platform-site-verification meta tag, served on /",
                ),
                text,
            ),
            verification_file: Self::verification_file(r),
        }
    }

    fn verification_file(r: &mut Resolver) -> Option<(String, String)> {
        let name = r.optional(
            plain(
                "ZALO_VERIFICATION_FILE",
                "Zalo domain verification: the file name served at /<name> (with ZALO_VERIFICATION_FILE_CONTENT)",
            ),
            plain_file_name,
        );
        let content = r.optional(
            plain(
                "ZALO_VERIFICATION_FILE_CONTENT",
                "Zalo domain verification: the content of that file",
            ),
            text,
        );
        Some((name?, content?))
    }

    /// Both values that turn the Zalo channel on.
    pub fn enabled(&self) -> Option<(&str, &Secret)> {
        Some((self.app_id.as_deref()?, self.oa_secret_key.as_ref()?))
    }
}

/// Facebook Messenger (a Page's inbox); on when all three secrets are set.
#[derive(Debug, Clone)]
pub struct MessengerConfig {
    pub page_access_token: Option<Secret>,
    /// Signs webhook deliveries (X-Hub-Signature-256).
    pub app_secret: Option<Secret>,
    /// Echoed in Meta's webhook verification (hub.verify_token).
    pub verify_token: Option<Secret>,
    /// The Graph API base with its version, e.g. https://graph.facebook.com/v25.0.
    pub api_base: String,
    /// Seconds all sends pause after a Graph rate limit (codes 4, 613).
    pub backoff_secs: u64,
}

const MESSENGER_SECRETS: [Setting; 3] = [
    secret(
        "MESSENGER_PAGE_ACCESS_TOKEN",
        "Facebook Page access token (pages_messaging); with the app secret and verify token enables Messenger at <bind>/messenger/webhook",
    ),
    secret(
        "MESSENGER_APP_SECRET",
        "Meta app secret; verifies the X-Hub-Signature-256 of webhook deliveries",
    ),
    secret(
        "MESSENGER_VERIFY_TOKEN",
        "Any long random string, also typed into the app's webhook settings (hub.verify_token)",
    ),
];

impl MessengerConfig {
    /// The Graph API version Tipline was written and tested against.
    pub const DEFAULT_API_BASE: &'static str = "https://graph.facebook.com/v25.0";

    pub fn read(r: &mut Resolver) -> MessengerConfig {
        let [token, app_secret, verify] =
            MESSENGER_SECRETS.map(|s| r.optional(s, |v| Ok(Secret::new(v))));
        // Half a configuration would either refuse every delivery or answer
        // none: name what is missing instead of starting without Messenger.
        let set = [&token, &app_secret, &verify].map(Option::is_some);
        if set.contains(&true) && set.contains(&false) {
            for (s, is_set) in MESSENGER_SECRETS.iter().zip(set) {
                if !is_set && !r.has_problem(s.name) {
                    r.reject(*s, "required with the other MESSENGER_* secrets (page access token, app secret, verify token)");
                }
            }
        }
        MessengerConfig {
            page_access_token: token,
            app_secret,
            verify_token: verify,
            api_base: r.or(
                api_url(
                    "MESSENGER_API_BASE_URL",
                    "Graph API base URL with its version (Messenger Send and Profile APIs)",
                ),
                Self::DEFAULT_API_BASE.into(),
                http_url,
            ),
            backoff_secs: r.or(
                plain(
                    "MESSENGER_BACKOFF_SECS",
                    "Seconds all Messenger sends pause after a Graph API rate limit (codes 4, 613)",
                ),
                60,
                at_least(1),
            ),
        }
    }

    /// Token, app secret and verify token, when Messenger is on.
    pub fn enabled(&self) -> Option<(&Secret, &Secret, &Secret)> {
        Some((
            self.page_access_token.as_ref()?,
            self.app_secret.as_ref()?,
            self.verify_token.as_ref()?,
        ))
    }
}

/// Tip notices to units' Telegram groups.
#[derive(Debug, Clone)]
pub struct NoticeConfig {
    /// Unit code -> Telegram group chat id, unless an admin set one on the dashboard.
    pub unit_groups: BTreeMap<String, i64>,
    pub lang: Lang,
}

impl NoticeConfig {
    pub fn read(r: &mut Resolver) -> NoticeConfig {
        NoticeConfig {
            unit_groups: r.or_shown(
                plain("TIPLINE_UNIT_GROUPS", "Units' Telegram groups for tip notices, e.g. CA-26068=-1001234567890,PC04-75=-1009876543210"),
                BTreeMap::new(),
                "(none)",
                parse_unit_groups,
            ),
            lang: r.or_shown(
                plain("TIPLINE_UNIT_NOTICE_LANG", "Language of unit notices: vi or en"),
                Lang::Vi,
                "vi",
                |v| Lang::parse(v).ok_or_else(|| "must be vi or en".to_string()),
            ),
        }
    }
}

/// "CA-26068=-100123,PC04-75=-100456" (commas, semicolons or lines).
pub fn parse_unit_groups(spec: &str) -> Result<BTreeMap<String, i64>, String> {
    let mut map = BTreeMap::new();
    for item in spec
        .split([',', ';', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let Some((unit, chat)) = item.split_once('=') else {
            return Err(format!("{item:?} is not UNIT=CHAT_ID"));
        };
        let Some(code) = UnitCode::parse(unit.trim()) else {
            return Err(format!(
                "{unit:?} is not a unit code (CA-<ward> or PC04-<province>)"
            ));
        };
        let chat: i64 = chat
            .trim()
            .parse()
            .map_err(|_| format!("chat id for {code} must be a number like -1001234567890"))?;
        map.insert(code.as_str().to_string(), chat);
    }
    Ok(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messenger_needs_all_three_secrets_and_shows_none_of_them() {
        use crate::config::{CliOverrides, Config};
        let load = |pairs: &[(&str, &str)]| {
            let env = pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            Config::from_layers(&CliOverrides::default(), env, BTreeMap::new(), None)
        };
        let Err(e) = load(&[("MESSENGER_PAGE_ACCESS_TOKEN", "EAAsecretvalue")]) else {
            panic!("a lone page token must stop startup");
        };
        let e = e.to_string();
        assert!(e.contains("MESSENGER_APP_SECRET") && e.contains("MESSENGER_VERIFY_TOKEN"));
        assert!(!e.contains("EAAsecretvalue"), "{e}");
        let all = [
            ("MESSENGER_PAGE_ACCESS_TOKEN", "EAAsecretvalue"),
            ("MESSENGER_APP_SECRET", "appsecretvalue"),
            ("MESSENGER_VERIFY_TOKEN", "verifysecretvalue"),
        ];
        let c = load(&all).unwrap();
        assert!(c.messenger.enabled().is_some());
        assert_eq!(c.messenger.api_base, MessengerConfig::DEFAULT_API_BASE);
        for (name, value) in all {
            let e = c.effective().iter().find(|e| e.name == name).unwrap();
            assert_ne!(e.shown.as_deref(), Some(value), "{name} shown in clear");
        }
        assert!(load(&[]).unwrap().messenger.enabled().is_none());
    }

    #[test]
    fn unit_groups_parse_and_reject_bad_items() {
        let g = parse_unit_groups("ca-26068=-100123, PC04-75 = -100456").unwrap();
        assert_eq!(g.get("CA-26068"), Some(&-100123));
        assert_eq!(g.get("PC04-75"), Some(&-100456));
        assert!(parse_unit_groups("XX-1=-1").is_err());
        assert!(parse_unit_groups("CA-26068=abc").is_err());
        assert!(parse_unit_groups("CA-26068").is_err());
        assert!(parse_unit_groups("").unwrap().is_empty());
    }
}
