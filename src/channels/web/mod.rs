//! The web chat: `/chat` (a full page), `/widget.js` (a launcher any site
//! can embed with one script tag; the chat opens in an iframe of `/chat`)
//! and the small JSON API behind them (`api`). No platform stands between
//! the reporter and this server, so the channel keeps even less than the
//! others: the browser holds a random token in `sessionStorage`, the session
//! is keyed by a keyed hash of it, replies wait in memory only until the page
//! has them, and no cookie, address or user agent is kept or logged.
use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post};
use tokio::sync::oneshot;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::app::AppState;
use crate::bot::{self, Speaker};
use crate::channels::attachment;
use crate::channels::ordering::InOrder;
use crate::channels::outgoing::compose;
use crate::conversation::{Inbound, Input, Reply};
use crate::domain::channel::Channel;
use crate::domain::receipt::Receipt;
use crate::i18n::Lang;

mod api;
pub mod errors;
mod issuing;
pub mod outbox;
mod page;
pub mod token;

pub use api::MAX_TEXT_CHARS;

pub const CHANNEL: Channel = Channel::Web;

/// Characters per reply bubble; longer replies are split at paragraph ends.
const MAX_BUBBLE_CHARS: usize = 4000;

pub struct WebChat {
    app: Arc<AppState>,
    tokens: token::Tokens,
    outboxes: outbox::Outboxes,
    issuing: issuing::Issuing,
    in_order: InOrder<String>,
    tracker: TaskTracker,
    cancel: CancellationToken,
}

impl WebChat {
    /// On unless TIPLINE_WEB_CHAT=false.
    pub fn from_config(
        app: &Arc<AppState>,
        tracker: TaskTracker,
        cancel: CancellationToken,
    ) -> Option<Arc<WebChat>> {
        app.config.web_chat.enabled.then(|| {
            Arc::new(WebChat {
                app: app.clone(),
                tokens: token::Tokens::new(&app.secret),
                outboxes: outbox::Outboxes::default(),
                issuing: issuing::Issuing::default(),
                in_order: InOrder::default(),
                tracker,
                cancel,
            })
        })
    }

    pub fn routes(self: &Arc<Self>) -> Router {
        let api = Router::new()
            .route("/chat/api/session", post(api::session))
            .route("/chat/api/messages", post(api::send))
            .route("/chat/api/photos", post(api::photo))
            .route("/chat/api/replies", get(api::replies))
            .layer(axum::middleware::from_fn(page::api_headers));
        Router::new()
            .merge(page::routes())
            .merge(api)
            .with_state(self.clone())
    }

    /// Runs one message through the engine on a tracked task, after every
    /// earlier message of the conversation (a closed connection must not
    /// cancel a half-done step), and queues the replies for the page.
    /// Returns once the replies are queued.
    async fn step(
        self: &Arc<Self>,
        token: token::Token,
        seq: u64,
        pending: api::Pending,
        lang: Lang,
    ) {
        let w = self.clone();
        let (done, finished) = oneshot::channel::<()>();
        self.tracker.spawn(async move {
            let id = token.id;
            w.in_order
                .run(id.clone(), async {
                    let speaker = Speaker {
                        channel: CHANNEL,
                        user_id: &id,
                    };
                    let now = bot::now_ms();
                    let input = match pending {
                        api::Pending::Ready(input) => input,
                        api::Pending::Photo(bytes) => {
                            photo_input(&w.app, speaker, bytes, now).await
                        }
                    };
                    let inbound = Inbound {
                        input,
                        now_ms: now,
                        lang_hint: Some(lang),
                        accepts_attachments: true,
                    };
                    // Keyed, so the stored claim says nothing about the token.
                    let delivery = w
                        .app
                        .secret
                        .session_key("web-message", &format!("{id}:{seq}"));
                    let replies =
                        bot::handle_delivery(&w.app, speaker, inbound, Some(delivery.as_str()))
                            .await;
                    w.outboxes.push(&id, bubbles(&replies));
                })
                .await;
            let _ = done.send(());
        });
        let _ = finished.await;
    }
}

/// A photo is fetched only at the attachment step, like on every channel.
async fn photo_input(app: &Arc<AppState>, speaker: Speaker<'_>, bytes: Vec<u8>, now: i64) -> Input {
    if !attachment::expected(app, speaker).await {
        return attachment::unsupported(); // the engine answers "not now"
    }
    attachment::accept(app, speaker, bytes, now).await
}

/// The replies as chat bubbles, each with its buttons and any receipt in it.
fn bubbles(replies: &[Reply]) -> Vec<(String, Vec<outbox::Option_>, Option<String>)> {
    compose(replies, MAX_BUBBLE_CHARS)
        .into_iter()
        .map(|m| {
            let options = m
                .options
                .into_iter()
                .map(|c| outbox::Option_ {
                    id: c.id,
                    label: c.label,
                })
                .collect();
            let receipt = receipt_in(&m.text);
            (m.text, options, receipt)
        })
        .collect()
}

/// The receipt code a reply shows (XXXX-XXXX-XXXX-XXXX-XXXX), if any.
fn receipt_in(text: &str) -> Option<String> {
    text.split(|c: char| c.is_whitespace() || matches!(c, '*' | '`' | '(' | ')' | ',' | '.'))
        .filter(|w| w.len() == 24 && w.matches('-').count() == 4)
        .find_map(Receipt::parse)
        .map(|r| r.display())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_receipt_in_a_reply_is_found_for_the_copy_button() {
        let r =
            receipt_in("Đã gửi tin báo.\n🔑 Mã biên nhận: 7KQ2-M9XD-4HTV-PB3R-Z8WN\nHãy giữ mã.");
        assert_eq!(r.as_deref(), Some("7KQ2-M9XD-4HTV-PB3R-Z8WN"));
        assert_eq!(receipt_in("Không có mã nào ở đây."), None);
    }
}
