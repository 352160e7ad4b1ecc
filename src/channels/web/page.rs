//! The chat page shell (server-rendered, no inline script or style), its
//! script and stylesheet, and `widget.js`. Every response is `no-store`
//! (nothing of the chat stays in the browser's cache), sends no referrer,
//! and carries a CSP that allows only this origin.
use std::sync::Arc;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use maud::{DOCTYPE, Markup, html};

use super::WebChat;
use super::api::lang_of;
use crate::i18n::Lang;

const CHAT_JS: &str = include_str!("static/chat.js");
const CHAT_CSS: &str = include_str!("static/chat.css");
const WIDGET_JS: &str = include_str!("static/widget.js");

/// The API answers JSON only: nothing in it may run, load or be framed.
const API_CSP: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

pub(super) fn routes() -> Router<Arc<WebChat>> {
    Router::new()
        .route("/chat", get(chat))
        .route(
            "/chat/chat.js",
            get(|| asset("text/javascript; charset=utf-8", CHAT_JS)),
        )
        .route(
            "/chat/chat.css",
            get(|| asset("text/css; charset=utf-8", CHAT_CSS)),
        )
        .route("/widget.js", get(widget))
}

fn private_headers(h: &mut HeaderMap) {
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
}

pub(super) async fn api_headers(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    private_headers(h);
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(API_CSP),
    );
    h.insert(
        "cross-origin-resource-policy",
        HeaderValue::from_static("same-origin"),
    );
    res
}

async fn asset(content_type: &'static str, body: &'static str) -> Response {
    let mut res = ([(header::CONTENT_TYPE, content_type)], body).into_response();
    let h = res.headers_mut();
    private_headers(h);
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(API_CSP),
    );
    h.insert(
        "cross-origin-resource-policy",
        HeaderValue::from_static("same-origin"),
    );
    res
}

/// Loaded by other sites' pages with a script tag: it must be fetchable
/// cross-origin (CORP), and it holds no conversation.
async fn widget(State(w): State<Arc<WebChat>>) -> Response {
    let leave = serde_json::to_string(&w.app.config.web_chat.leave_url).expect("a string");
    let body = WIDGET_JS.replace("\"__LEAVE_URL__\"", &leave);
    let mut res = (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        body,
    )
        .into_response();
    let h = res.headers_mut();
    private_headers(h);
    h.insert(
        "cross-origin-resource-policy",
        HeaderValue::from_static("cross-origin"),
    );
    res
}

/// `GET /chat[?embed=1][&lang=en]`. Embedded, it may be framed by the
/// configured sites; on its own, by no one.
async fn chat(
    State(w): State<Arc<WebChat>>,
    headers: HeaderMap,
    query: axum::extract::RawQuery,
) -> Response {
    let mut embed = false;
    let mut lang = lang_of(&headers);
    for (k, v) in form_urlencoded::parse(query.0.as_deref().unwrap_or("").as_bytes()) {
        match k.as_ref() {
            "embed" => embed = v == "1",
            "lang" => lang = Lang::parse(&v).unwrap_or(lang),
            _ => {}
        }
    }
    let cfg = &w.app.config.web_chat;
    let ancestors = if embed {
        cfg.frame_ancestors.as_str()
    } else {
        "'none'"
    };
    let csp = format!(
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; \
         form-action 'none'; frame-ancestors {ancestors}; base-uri 'none'"
    );
    let page = shell(&w, lang, embed);
    let mut res = page.into_response();
    let h = res.headers_mut();
    private_headers(h);
    if let Ok(v) = HeaderValue::from_str(&csp) {
        h.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    if !embed {
        h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
    res
}

fn shell(w: &WebChat, lang: Lang, embed: bool) -> Markup {
    let t = |k: &str| w.app.i18n.tr(lang, k);
    let leave_url = &w.app.config.web_chat.leave_url;
    html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="referrer" content="no-referrer";
                title { (t("web-title")) }
                link rel="stylesheet" href="/chat/chat.css";
                script src="/chat/chat.js" defer {}
            }
            body class=[embed.then_some("embed")] {
                main #chat data-lang=(lang.code()) data-embed=(if embed { "1" } else { "0" })
                    data-leave-url=(leave_url)
                    data-t-copy=(t("web-copy")) data-t-copied=(t("web-copied"))
                    data-t-copy-failed=(t("web-copy-failed")) data-t-copy-hint=(t("web-copy-hint"))
                    data-t-you=(t("web-you")) data-t-bot=(t("web-bot"))
                    data-t-offline=(t("web-offline")) data-t-sending-photo=(t("web-sending-photo"))
                    data-t-photo-sent=(t("web-photo-sent"))
                    data-t-photo-too-large=(t("web-error-photo-too-large")) {
                    header {
                        h1 { (t("web-title")) }
                        button type="button" #leave data-tipline="leave" title=(t("web-leave-hint")) { (t("web-leave")) }
                    }
                    div.scroll {
                        p.intro { (t("web-intro")) }
                        ol #log aria-live="polite" aria-label=(t("web-log-label")) {}
                    }
                    p #status role="status" {}
                    form #compose {
                        label.sr for="input" { (t("web-input-label")) }
                        textarea #input data-tipline="input" rows="2" maxlength="4000"
                            placeholder=(t("web-input-placeholder")) {}
                        label.photo {
                            (t("web-photo"))
                            input type="file" accept="image/jpeg,image/png" data-tipline="file";
                        }
                        button type="submit" data-tipline="send" { (t("web-send")) }
                    }
                    noscript { p { (t("web-noscript")) } }
                }
            }
        }
    }
}
