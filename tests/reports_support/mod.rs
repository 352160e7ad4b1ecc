//! A seeded month for the report tests: tips submitted through the chat
//! engine at chosen times, officer actions, awareness counters, a campaign
//! with deliveries. Every number the tests expect is counted here by hand.
#![allow(dead_code)]
use std::sync::Arc;

use tipline::app::AppState;
use tipline::bot::{self, Speaker};
use tipline::conversation::{Effect, Inbound, Input};
use tipline::domain::area::ProvinceCode;
use tipline::domain::campaign::{CampaignDraft, Schedule, Target};
use tipline::domain::channel::Channel;
use tipline::domain::outcome::{Contribution, Outcome, QuantityUnit, Seizure, Substance};
use tipline::domain::tip::{Resolution, Status};
use tipline::i18n::Lang;
use tipline::privacy::keyed::SessionKey;
use tipline::storage::dashboard::Scope;
use tipline::storage::officers::Officer;
use tipline::storage::step_commit::StepWrite;
use tipline::storage::subscriptions::Address;
use tipline::storage::tip_actions::TipAction;

pub const HOUR: i64 = 3_600_000;

/// Vietnam local time on a day of 2026 ("06-02"), at an hour.
pub fn at(month_day: &str, hour: i64) -> i64 {
    tipline::web::text::parse_date(&format!("2026-{month_day}")).unwrap() + hour * HOUR
}

async fn say(
    state: &Arc<AppState>,
    channel: Channel,
    user: &str,
    input: Input,
    now_ms: i64,
) -> String {
    let inbound = Inbound {
        input,
        now_ms,
        lang_hint: None,
        accepts_attachments: false,
    };
    let replies = bot::handle(
        state,
        Speaker {
            channel,
            user_id: user,
        },
        inbound,
    )
    .await;
    replies
        .iter()
        .map(|r| r.text.clone())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Reports a tip at `now_ms`; returns its id.
pub async fn tip_at(
    state: &Arc<AppState>,
    channel: Channel,
    user: &str,
    category: &str,
    ward: u32,
    now_ms: i64,
) -> i64 {
    let t = |s: &str| Input::Text(s.to_string());
    let c = |s: String| Input::Choice(s);
    say(state, channel, user, t("/report"), now_ms).await;
    say(state, channel, user, c(format!("cat:{category}")), now_ms).await;
    say(state, channel, user, c(format!("ward:{ward}")), now_ms).await;
    say(state, channel, user, c("when:now".into()), now_ms).await;
    say(
        state,
        channel,
        user,
        t("Có người bán ma túy gần chợ, tối nào cũng thấy."),
        now_ms,
    )
    .await;
    let text = say(state, channel, user, c("review:send".into()), now_ms).await;
    let reference = text
        .split_whitespace()
        .find(|w| w.starts_with("TL-") && w.len() == 13)
        .unwrap_or_else(|| panic!("no reference in {text:?}"));
    state
        .store
        .scoped_tip_id_by_reference(&Scope::All, reference)
        .await
        .unwrap()
        .expect("tip stored")
}

async fn act(state: &AppState, who: &Officer, tip: i64, action: TipAction, now_ms: i64) {
    let scope = Scope::of(who.role, &who.unit);
    state
        .store
        .apply_tip_action(&scope, who, tip, &action, now_ms)
        .await
        .unwrap_or_else(|e| panic!("{action:?}: {e}"));
}

fn close(resolution: Resolution) -> TipAction {
    TipAction::SetStatus {
        status: Status::Closed,
        resolution: Some(resolution),
        duplicate_of: None,
    }
}

async fn counters(state: &AppState, effects: Vec<Effect>, now_ms: i64, n: usize) {
    let write = StepWrite {
        key: SessionKey(format!("reader-{n}")),
        channel: Channel::Console,
        user_id: format!("reader-{n}"),
        expected_version: 0,
        state: "{\"at\":\"menu\"}".into(),
        effects,
        now_ms,
        delivery: None,
    };
    state.store.apply_step(write).await.unwrap();
}

/// Ids of the tips the tests act on.
pub struct Seeded {
    pub actioned_ward: i64,
    pub actioned_pc04: i64,
    pub campaign_id: i64,
}

/// The month of June 2026 (and a little around it). `lead` leads CA-26068,
/// `pc04` leads PC04-75.
pub async fn seed(state: &Arc<AppState>, lead: &Officer, pc04: &Officer) -> Seeded {
    let mut n = 0;
    let mut tip = |channel, category: &'static str, ward: u32, now: i64| {
        n += 1;
        let user = format!("citizen-{n}");
        async move { tip_at(state, channel, &user, category, ward, now).await }
    };
    let con = Channel::Console;
    // Đồng Nai, ward 26068: dealing on the 2nd-6th and the 20th.
    let mut dealing = Vec::new();
    for d in ["06-02", "06-03", "06-04", "06-05", "06-06", "06-20"] {
        dealing.push(tip(con, "dealing", 26068, at(d, 10)).await);
    }
    tip(con, "use_venue", 26068, at("06-08", 10)).await;
    tip(con, "use_venue", 26068, at("06-21", 10)).await;
    let trafficking = tip(con, "trafficking", 26068, at("06-09", 10)).await;
    tip(Channel::Telegram, "dealing", 26080, at("06-10", 10)).await;
    // Đà Nẵng, Hà Nội; and the edges of the month; and last June.
    tip(con, "dealing", 20195, at("06-11", 10)).await;
    tip(con, "dealing", 20195, at("06-22", 10)).await;
    for d in ["06-12", "06-13", "06-14", "06-16"] {
        tip(con, "dealing", 4, at(d, 10)).await;
    }
    tip(con, "dealing", 26068, at("06-01", 0) - 60_000).await;
    tip(con, "dealing", 26068, at("07-01", 0)).await;
    tip(con, "dealing", 26068, at("06-15", 10) - 365 * 24 * HOUR).await;

    // Handling: first responses of 1 h, 3 h and 10 h; closes after 5 h, 3 h and 10 h.
    let d2 = dealing[0];
    act(
        state,
        lead,
        d2,
        TipAction::SetStatus {
            status: Status::Open,
            resolution: None,
            duplicate_of: None,
        },
        at("06-02", 11),
    )
    .await;
    act(
        state,
        lead,
        d2,
        close(Resolution::Actioned),
        at("06-02", 15),
    )
    .await;
    let first = Outcome {
        contribution: Contribution::Direct,
        case_opened: true,
        detained: 2,
        substances: vec![Seizure {
            kind: Substance::Methamphetamine,
            quantity: 12.5,
            unit: QuantityUnit::G,
        }],
        venue_closed: false,
    };
    act(
        state,
        lead,
        d2,
        TipAction::SetOutcome(first),
        at("06-02", 16),
    )
    .await;
    act(
        state,
        lead,
        dealing[1],
        close(Resolution::Spam),
        at("06-03", 13),
    )
    .await;
    act(
        state,
        pc04,
        trafficking,
        close(Resolution::Actioned),
        at("06-09", 20),
    )
    .await;
    let second = Outcome {
        contribution: Contribution::Corroboration,
        case_opened: false,
        detained: 1,
        substances: vec![Seizure {
            kind: Substance::Heroin,
            quantity: 0.5,
            unit: QuantityUnit::Kg,
        }],
        venue_closed: true,
    };
    act(
        state,
        pc04,
        trafficking,
        TipAction::SetOutcome(second),
        at("06-09", 21),
    )
    .await;

    // Awareness: two views of a substances article, one of a retired one,
    // one view the day before the month; quizzes 7/10 and 9/10 in class
    // 10A1, 5/10 without a class.
    let view = |article: &str| Effect::CountArticleView {
        article: article.into(),
        lang: Lang::Vi,
    };
    let quiz = |class: Option<&str>, score| Effect::QuizCompleted {
        lang: Lang::Vi,
        class: class.map(str::to_string),
        score,
        total: 10,
        answers: Vec::new(),
    };
    counters(state, vec![view("lsd-blotters")], at("06-05", 9), 1).await;
    counters(
        state,
        vec![view("lsd-blotters"), view("retired-article")],
        at("06-06", 9),
        2,
    )
    .await;
    counters(state, vec![view("lsd-blotters")], at("05-31", 9), 3).await;
    counters(state, vec![quiz(Some("10A1"), 7)], at("06-07", 9), 4).await;
    counters(
        state,
        vec![quiz(Some("10A1"), 9), quiz(None, 5)],
        at("06-08", 9),
        5,
    )
    .await;

    // A campaign to Đồng Nai on the 15th at 09:00: three subscribers there,
    // two in Đà Nẵng (not targeted, so no delivery).
    let subs: Vec<(Address<'_>, Lang, Option<ProvinceCode>)> =
        ["1001", "1002", "1003", "2001", "2002"]
            .iter()
            .map(|id| {
                let p = if id.starts_with('1') { 75 } else { 48 };
                (
                    Address {
                        channel: Channel::Telegram,
                        id,
                    },
                    Lang::Vi,
                    Some(ProvinceCode(p)),
                )
            })
            .collect();
    state.store.add_subscriptions(&subs).await.unwrap();
    let draft = CampaignDraft {
        title: "Tháng hành động phòng, chống ma túy".into(),
        text_vi: "Hãy báo tin về ma túy.".into(),
        text_en: "Report drug crime.".into(),
        target: Target::Provinces(vec![ProvinceCode(75)]),
        schedule: Schedule::At(at("06-15", 9)),
    };
    let campaign_id = state
        .store
        .create_campaign(&draft, "admin", at("06-14", 9))
        .await
        .unwrap();
    state
        .store
        .start_due_campaigns(at("06-15", 9))
        .await
        .unwrap();
    Seeded {
        actioned_ward: d2,
        actioned_pc04: trafficking,
        campaign_id,
    }
}
