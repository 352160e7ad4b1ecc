//! Unit notifications: a short notice in the unit's Telegram group when a
//! tip is routed to it (or it is kept informed, or a tip is transferred to
//! it). Reference, category, place, priority and a dashboard link only:
//! never the description, never anything about the reporter.
//!
//! Notices come from the outbox written with the tip (storage::channels),
//! so a crash between commit and send delays a notice but never loses it.
//! Transfers made on the dashboard arrive through its `transfer_notices`
//! table and are adopted into the same outbox.
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use fluent_bundle::FluentValue;
use teloxide::RequestError;
use teloxide::prelude::*;
use tokio_util::sync::CancellationToken;

use crate::app::AppState;
use crate::bot;
use crate::channels::telegram::TgBot;
use crate::domain::area::{ProvinceCode, WardCode};
use crate::domain::routing::UnitCode;
use crate::i18n::Lang;
use crate::storage::channels::{NoticeKind, PendingNotice};

const POLL_EVERY: Duration = Duration::from_secs(1);
const CLAIM_MS: i64 = 60_000;
const BATCH: i64 = 20;
/// After this many failed attempts a notice is given up (and logged).
const MAX_ATTEMPTS: i64 = 8;
const PURGE_EVERY: Duration = Duration::from_secs(3600);
const KEEP_DONE_MS: i64 = 30 * 24 * 3600 * 1000;

pub struct Notifier {
    app: Arc<AppState>,
    bot: Option<TgBot>,
    groups: UnitGroups,
    lang: Lang,
    holder: String,
}

/// Which Telegram group each unit uses: the group an admin set on the
/// dashboard (`units.telegram_chat_id`), else TIPLINE_UNIT_GROUPS
/// ("CA-26068=-100123,PC04-75=-100456") from the config.
#[derive(Debug, Default, Clone)]
pub struct UnitGroups(HashMap<String, i64>);

impl UnitGroups {
    pub fn new(groups: &std::collections::BTreeMap<String, i64>) -> UnitGroups {
        UnitGroups(groups.iter().map(|(k, v)| (k.clone(), *v)).collect())
    }

    pub async fn lookup(&self, app: &AppState, unit: &str) -> Option<i64> {
        let from_dashboard = match app.store.unit_settings(unit).await {
            Ok(Some(u)) => u.telegram_chat_id.and_then(|c| c.trim().parse().ok()),
            Ok(None) => None,
            Err(e) => {
                tracing::warn!(error = %e, "could not read unit settings; using the configured groups");
                None
            }
        };
        from_dashboard.or_else(|| self.0.get(unit).copied())
    }
}

impl UnitGroups {
    /// Every group a unit set on the dashboard or in TIPLINE_UNIT_GROUPS, once each.
    pub async fn all(&self, app: &AppState) -> Vec<i64> {
        let mut chats: Vec<i64> = self.0.values().copied().collect();
        match app.store.list_unit_settings().await {
            Ok(units) => chats.extend(
                units
                    .iter()
                    .filter_map(|u| u.telegram_chat_id.as_deref()?.trim().parse::<i64>().ok()),
            ),
            Err(e) => tracing::warn!(error = %e, "could not read unit settings"),
        }
        chats.sort_unstable();
        chats.dedup();
        chats
    }
}

impl Notifier {
    pub fn from_config(app: &Arc<AppState>, bot: Option<TgBot>) -> anyhow::Result<Notifier> {
        let groups = UnitGroups::new(&app.config.notices.unit_groups);
        let lang = app.config.notices.lang;
        Ok(Notifier {
            app: app.clone(),
            bot,
            groups,
            lang,
            holder: hex::encode(rand::random::<[u8; 8]>()),
        })
    }

    pub async fn run(self, cancel: CancellationToken) {
        let mut last_purge = tokio::time::Instant::now();
        loop {
            // A batch in flight is finished before shutdown is honoured.
            while self.run_once().await > 0 && !cancel.is_cancelled() {}
            if last_purge.elapsed() > PURGE_EVERY {
                last_purge = tokio::time::Instant::now();
                if let Err(e) = self
                    .app
                    .store
                    .purge_channel_rows(bot::now_ms(), KEEP_DONE_MS)
                    .await
                {
                    tracing::warn!(error = %e, "purging old channel rows failed");
                }
            }
            tokio::select! {
                _ = cancel.cancelled() => return,
                _ = tokio::time::sleep(POLL_EVERY) => {}
            }
        }
    }

    /// Sends the notices due now; returns how many were handled.
    #[tracing::instrument(name = "unit_notifier", skip_all)]
    pub async fn run_once(&self) -> usize {
        let now = bot::now_ms();
        // Without Telegram nobody can deliver them: leave the dashboard's
        // transfer notices pending where they are.
        if self.bot.is_some()
            && let Err(e) = self.app.store.adopt_transfer_notices(now, BATCH).await
        {
            tracing::warn!(error = %e, "could not read the dashboard's transfer notices");
        }
        let claimed = match self
            .app
            .store
            .claim_unit_notices(&self.holder, now, now + CLAIM_MS, BATCH)
            .await
        {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!(error = %e, "could not read the notification outbox");
                return 0;
            }
        };
        for n in &claimed {
            self.deliver(n).await;
        }
        claimed.len()
    }

    async fn deliver(&self, n: &PendingNotice) {
        let now = bot::now_ms();
        let store = &self.app.store;
        let (Some(bot), Some(chat)) = (&self.bot, self.groups.lookup(&self.app, &n.unit).await)
        else {
            let _ = store.finish_unit_notice(n.id, "no_group", now).await;
            return;
        };
        let text = match self.render(n).await {
            Some(t) => t,
            None => {
                let _ = store.finish_unit_notice(n.id, "failed", now).await;
                return;
            }
        };
        // Throttle paces group messages and waits out 429s by itself.
        let result = match bot.send_message(ChatId(chat), text).await {
            Ok(_) => store.finish_unit_notice(n.id, "sent", now).await,
            Err(
                e @ (RequestError::Network(_) | RequestError::Io(_) | RequestError::RetryAfter(_)),
            ) if n.attempts + 1 < MAX_ATTEMPTS => {
                let backoff = 30_000 * (1i64 << n.attempts.min(10));
                tracing::warn!(unit = %n.unit, error = %crate::channels::telegram::describe(&e), "unit notice not sent; will retry");
                store.retry_unit_notice(n.id, now + backoff).await
            }
            Err(e) => {
                tracing::error!(unit = %n.unit, error = %crate::channels::telegram::describe(&e), "unit notice failed; check the unit's group in TIPLINE_UNIT_GROUPS");
                store.finish_unit_notice(n.id, "failed", now).await
            }
        };
        if let Err(e) = result {
            tracing::error!(error = %e, "could not record a unit notice's outcome");
        }
    }

    /// The notice text: deliberately built from a handful of fields only.
    async fn render(&self, n: &PendingNotice) -> Option<String> {
        let facts = self.app.store.notice_facts(n.tip_id).await.ok()??;
        let (i18n, areas, lang) = (&self.app.i18n, &self.app.areas, self.lang);
        let place = match facts.ward_code {
            Some(w) => areas.ward_label(WardCode(w as u32)),
            None => areas
                .province(ProvinceCode(facts.province_code as u32))
                .map(|p| p.name.clone()),
        }
        .unwrap_or_else(|| "–".into());
        let unit = UnitCode::parse(&n.unit)
            .map(|u| self.app.router.unit_name(&u, areas))
            .unwrap_or_else(|| n.unit.clone());
        let kind = NoticeKind::parse(&n.kind).unwrap_or(NoticeKind::Routed);
        // The dashboard's tip page (login required) is addressed by the numeric id.
        let link = format!("{}/tips/{}", self.app.config.public_url, n.tip_id);
        let args = [
            ("reference", FluentValue::from(facts.reference.clone())),
            ("unit", FluentValue::from(unit)),
            (
                "category",
                FluentValue::from(i18n.tr(lang, &format!("category-{}", facts.category))),
            ),
            ("place", FluentValue::from(place)),
            (
                "priority",
                FluentValue::from(i18n.tr(lang, &format!("notice-priority-{}", facts.priority))),
            ),
            ("link", FluentValue::from(link)),
        ];
        Some(i18n.tr_args(lang, &format!("notice-{}", kind.as_str()), &args))
    }
}
