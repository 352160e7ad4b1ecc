//! Property tests: random inputs from random states never panic, and a tip is
//! only ever produced by a confirmed "send" on the review screen.
use proptest::prelude::*;
use tipline::content::{Catalog, HelpSource};
use tipline::conversation::{Ctx, Effect, Inbound, Input, ReportStep, Session, Step, step};
use tipline::domain::ADMIN_UNITS_CSV;
use tipline::domain::area::Areas;
use tipline::domain::channel::Channel;
use tipline::domain::routing::Router;
use tipline::i18n::{I18n, Lang};

struct World {
    i18n: I18n,
    areas: Areas,
    router: Router,
    content: Catalog,
}

fn world() -> &'static World {
    static W: std::sync::OnceLock<World> = std::sync::OnceLock::new();
    W.get_or_init(|| World {
        i18n: I18n::load(std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/locales"
        )))
        .expect("locales"),
        areas: Areas::from_csv(ADMIN_UNITS_CSV.as_bytes()).unwrap(),
        router: Router::default(),
        content: Catalog::load(
            std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/locales")),
            &HelpSource::Builtin,
        )
        .expect("content"),
    })
}

fn input() -> impl Strategy<Value = Input> {
    prop_oneof![
        4 => prop::sample::select(vec![
            "/start", "/menu", "/report", "/tip", "/status", "/cancel", "/lang", "/privacy", "/help", "/quiz",
            "1", "2", "3", "4", "5", "7", "9", "bien hoa", "ha noi", "Send report", "Edit", "Cancel",
            "A man sells drugs from a motorbike at the market gate every night.",
            "/status 0000-0000-0000-0000-0000", "/quiz", "/quiz 10A1", "/sos", "/learn", "tem giay", "more", "", "English", "Tiếng Việt",
        ]).prop_map(|s| Input::Text(s.to_string())),
        2 => any::<String>().prop_map(Input::Text),
        2 => prop::sample::select(vec![
            "review:send", "review:edit", "cat:dealing", "cat:person_in_danger", "ward:26068", "prov:75",
            "loc:unknown", "when:now", "att:done", "edit:restart", "status:reply", "ans:0", "ans:9", "quiz:start", "quiz:again", "learn:more", "art:meth", "art:nope", "topic:law", "help:prov:75", "help:prov:999", "menu:report", "nonsense",
        ]).prop_map(|s| Input::Choice(s.to_string())),
        1 => (any::<f64>(), any::<f64>()).prop_map(|(lat, lon)| Input::Location { lat, lon }),
        1 => Just(Input::LookupResult(None)),
    ]
}

fn start_step() -> impl Strategy<Value = Step> {
    prop_oneof![
        Just(Step::New),
        Just(Step::Menu),
        Just(Step::ChooseLanguage),
        Just(Step::StatusAwaitReceipt),
        Just(Step::StatusAwaitMessage),
        Just(Step::StatusMessageAwaitReceipt {
            body: "more".into()
        }),
        prop::sample::select(vec![
            ReportStep::Category,
            ReportStep::Location,
            ReportStep::LocationPick,
            ReportStep::Province,
            ReportStep::When,
            ReportStep::Description,
            ReportStep::Attachments,
            ReportStep::Review,
            ReportStep::EditPick,
        ])
        .prop_map(|step| Step::Report { step }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(256), ..ProptestConfig::default() })]

    #[test]
    fn random_input_never_panics_and_never_submits_without_confirmation(
        start in start_step(),
        with_draft in any::<bool>(),
        inputs in prop::collection::vec(input(), 1..25),
        seed in any::<u64>(),
    ) {
        let w = world();
        let mut session = Session::new(Lang::En);
        session.step = start;
        if with_draft {
            session.draft = Some(Default::default());
        }
        // Seeded by proptest, so a failing case replays exactly (receipts are random).
        let mut rng = <rand::rngs::StdRng as rand::SeedableRng>::seed_from_u64(seed);
        for (i, input) in inputs.into_iter().enumerate() {
            let before = session.step.clone();
            let confirmed = matches!(&input, Input::Choice(id) if id == "review:send")
                || matches!(&input, Input::Text(t) if t == "1" || t == "Send report");
            let mut ctx = Ctx { i18n: &w.i18n, areas: &w.areas, router: &w.router, content: &w.content, rng: &mut rng, channel: Channel::Console };
            let out = step(&mut session, Inbound { input, now_ms: 1_800_000_000_000 + i as i64, lang_hint: None, accepts_attachments: i % 2 == 0 }, &mut ctx);
            let asked_lookup = out.effects.iter().any(|e| matches!(e, Effect::LookupReceipt { .. }));
            prop_assert!(!out.replies.is_empty() || asked_lookup, "no reply and no lookup");
            for e in &out.effects {
                if let Effect::SubmitTip(tip) = e {
                    prop_assert_eq!(&before, &Step::Report { step: ReportStep::Review });
                    prop_assert!(confirmed);
                    prop_assert!(tip.description.chars().count() >= 20);
                }
            }
            // The state always survives a save/load round trip.
            let json = serde_json::to_string(&session).unwrap();
            prop_assert_eq!(serde_json::from_str::<Session>(&json).unwrap(), session.clone());
        }
    }
}
