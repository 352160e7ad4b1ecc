//! Subscribing and unsubscribing through the chat engine, what is stored,
//! and how campaigns pick their audience. SQLite, and PostgreSQL when configured.
mod common;

use common::broadcast::campaign_now;
use common::chat::Chatter;
use tipline::bot::now_ms;
use tipline::domain::area::ProvinceCode;
use tipline::domain::campaign::{CampaignDraft, Schedule, Target};
use tipline::domain::channel::Channel;
use tipline::i18n::Lang;
use tipline::storage::campaigns::{CampaignActionError, CampaignState};
use tipline::storage::subscriptions::Address;

fn on(chatter: Chatter, channel: Channel) -> Chatter {
    Chatter { channel, ..chatter }
}

#[tokio::test]
async fn subscribe_and_unsubscribe_store_and_delete_the_chat_id() {
    for db in common::all_dbs().await {
        let app = db.app().await;
        let user = on(Chatter::new(&app, "987654321"), Channel::Telegram);
        let out = user.say("/subscribe").await;
        assert!(
            out.contains("national awareness messages"),
            "[{}] {out}",
            db.label
        );
        assert!(
            app.store
                .is_subscribed(Channel::Telegram, "987654321")
                .await
                .unwrap()
        );

        // A province by name, without diacritics; a ward's name finds its province.
        let out = user.say("/subscribe da nang").await;
        assert!(out.contains("Đà Nẵng"), "[{}] {out}", db.label);
        let by_ward = on(Chatter::new(&app, "55501"), Channel::Zalo);
        let out = by_ward.say("/subscribe bien hoa").await;
        assert!(out.contains("Đồng Nai"), "[{}] {out}", db.label);
        let out = user.say("/subscribe Atlantis").await;
        assert!(
            out.contains("could not find a province"),
            "[{}] {out}",
            db.label
        );

        let out = user.say("/unsubscribe").await;
        assert!(out.contains("deleted"), "[{}] {out}", db.label);
        assert!(
            !app.store
                .is_subscribed(Channel::Telegram, "987654321")
                .await
                .unwrap()
        );

        // The console cannot receive broadcasts, so it does not pretend to.
        let console = Chatter::new(&app, "console-user");
        let out = console.say("/subscribe").await;
        assert!(
            out.contains("only be delivered on Telegram and Zalo"),
            "[{}] {out}",
            db.label
        );
        assert!(
            !app.store
                .is_subscribed(Channel::Console, "console-user")
                .await
                .unwrap()
        );

        // /privacy says what is kept for subscribers and how to delete it.
        let out = user.say("/privacy").await;
        assert!(
            out.contains("/subscribe")
                && out.contains("/unsubscribe or blocking the bot deletes it"),
            "[{}] {out}",
            db.label
        );
    }
}

#[tokio::test]
async fn the_menu_offers_campaign_news_and_vietnamese_aliases_work() {
    for db in common::all_dbs().await {
        let app = db.app().await;
        let mut user = on(Chatter::new(&app, "4242"), Channel::Telegram);
        user.lang = Some(Lang::Vi);
        let out = user.say("/menu").await;
        assert!(out.contains("📣 Tin tuyên truyền"), "[{}] {out}", db.label);
        let out = user.say("📣 Tin tuyên truyền").await;
        assert!(out.contains("Đăng ký nhận tin"), "[{}] {out}", db.label);
        user.say("✅ Đăng ký nhận tin").await;
        assert!(
            app.store
                .is_subscribed(Channel::Telegram, "4242")
                .await
                .unwrap()
        );
        user.say("/huydangky").await;
        assert!(
            !app.store
                .is_subscribed(Channel::Telegram, "4242")
                .await
                .unwrap()
        );
        user.say("/dangky").await;
        assert!(
            app.store
                .is_subscribed(Channel::Telegram, "4242")
                .await
                .unwrap()
        );
    }
}

#[tokio::test]
async fn campaigns_reach_their_provinces_in_each_subscribers_language() {
    for db in common::all_dbs().await {
        let app = db.app().await;
        let hanoi = Some(ProvinceCode(1));
        let hcm = Some(ProvinceCode(79));
        let subs = [
            (
                Address {
                    channel: Channel::Telegram,
                    id: "1",
                },
                Lang::Vi,
                hanoi,
            ),
            (
                Address {
                    channel: Channel::Telegram,
                    id: "2",
                },
                Lang::En,
                hcm,
            ),
            (
                Address {
                    channel: Channel::Zalo,
                    id: "3",
                },
                Lang::Vi,
                None,
            ),
        ];
        app.store.add_subscriptions(&subs).await.unwrap();
        let draft = CampaignDraft {
            title: "Hà Nội only".into(),
            text_vi: "vi".into(),
            text_en: "en".into(),
            target: Target::Provinces(vec![ProvinceCode(1)]),
            schedule: Schedule::Now,
        };
        let audience = app.store.audience(&draft.target).await.unwrap();
        assert_eq!(audience.values().sum::<i64>(), 1, "[{}]", db.label);
        let local = app
            .store
            .create_campaign(&draft, "test", now_ms())
            .await
            .unwrap();
        let national = campaign_now(&app, "everyone").await;
        // A campaign scheduled later does not start yet.
        let later = CampaignDraft {
            schedule: Schedule::At(now_ms() + 3_600_000),
            ..draft.clone()
        };
        let later = app
            .store
            .create_campaign(&later, "test", now_ms())
            .await
            .unwrap();
        let started = app.store.start_due_campaigns(now_ms()).await.unwrap();
        assert_eq!(started, vec![local, national], "[{}]", db.label);
        assert!(
            app.store
                .start_due_campaigns(now_ms())
                .await
                .unwrap()
                .is_empty(),
            "started twice"
        );
        assert_eq!(app.store.campaign_progress(local).await.unwrap().total, 1);
        assert_eq!(
            app.store.campaign_progress(national).await.unwrap().total,
            3
        );
        assert_eq!(
            app.store.campaign(later).await.unwrap().unwrap().state,
            CampaignState::Scheduled
        );

        // Telegram's queue: oldest campaign first, each subscriber's language.
        let queue = app
            .store
            .next_deliveries(Channel::Telegram, now_ms(), 10)
            .await
            .unwrap();
        let got: Vec<_> = queue
            .iter()
            .map(|c| (c.campaign_id, c.address.as_str(), c.lang))
            .collect();
        assert_eq!(
            got,
            vec![
                (local, "1", Lang::Vi),
                (national, "1", Lang::Vi),
                (national, "2", Lang::En)
            ]
        );

        // Unsubscribing skips pending deliveries; removal by the channel too.
        let user2 = on(Chatter::new(&app, "2"), Channel::Telegram);
        user2.say("/unsubscribe").await;
        assert!(
            app.store
                .remove_subscription(Channel::Zalo, "3", tipline::bot::now_ms())
                .await
                .unwrap()
        );
        assert!(
            !app.store
                .remove_subscription(Channel::Zalo, "3", tipline::bot::now_ms())
                .await
                .unwrap()
        );
        let p = app.store.campaign_progress(national).await.unwrap();
        assert_eq!(
            (p.pending, p.skipped, p.removed),
            (1, 1, 1),
            "[{}] {p:?}",
            db.label
        );

        // Changing language moves the subscription along.
        let user1 = on(Chatter::new(&app, "1"), Channel::Telegram);
        user1.say("/lang").await;
        user1.say("English").await;
        let queue = app
            .store
            .next_deliveries(Channel::Telegram, now_ms(), 10)
            .await
            .unwrap();
        assert!(
            queue.iter().all(|c| c.lang == Lang::En),
            "[{}] {queue:?}",
            db.label
        );

        // Pause, resume and cancel follow the state machine.
        app.store.pause_campaign(national, now_ms()).await.unwrap();
        assert!(
            app.store
                .next_deliveries(Channel::Telegram, now_ms(), 10)
                .await
                .unwrap()
                .iter()
                .all(|c| c.campaign_id != national)
        );
        app.store.resume_campaign(national, now_ms()).await.unwrap();
        assert_eq!(
            app.store.campaign(national).await.unwrap().unwrap().state,
            CampaignState::Running
        );
        app.store.cancel_campaign(national, now_ms()).await.unwrap();
        let p = app.store.campaign_progress(national).await.unwrap();
        assert_eq!(p.remaining(), 0, "[{}] {p:?}", db.label);
        assert!(matches!(
            app.store.pause_campaign(national, now_ms()).await,
            Err(CampaignActionError::WrongState { .. })
        ));
        assert!(matches!(
            app.store.cancel_campaign(9999, now_ms()).await,
            Err(CampaignActionError::NotFound(9999))
        ));
    }
}
