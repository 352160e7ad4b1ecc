//! Group commit: concurrent steps share transactions, yet each keeps its own
//! outcome. Compare-and-swap, delivery claims and a failing step behave as if
//! every step had its own transaction.
mod common;

use futures::future::join_all;
use tipline::conversation::Effect;
use tipline::domain::channel::Channel;
use tipline::i18n::Lang;
use tipline::privacy::keyed::SessionKey;
use tipline::storage::StorageError;
use tipline::storage::step_commit::{StepSaved, StepWrite};

fn write(session: &str, version: i64, delivery: Option<&str>, effects: Vec<Effect>) -> StepWrite {
    StepWrite {
        key: SessionKey(session.to_string()),
        channel: Channel::Console,
        user_id: session.into(),
        expected_version: version,
        state: format!("{{\"at\":\"{session}\"}}"),
        effects,
        now_ms: 1_700_000_000_000,
        delivery: delivery.map(str::to_string),
    }
}

fn article_view() -> Effect {
    Effect::CountArticleView {
        article: "synthetic-drugs".into(),
        lang: Lang::Vi,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_steps_keep_their_own_outcomes() {
    for db in common::all_dbs().await {
        let app = db.app().await;
        let store = &app.store;

        // 200 citizens at once: every step is saved, exactly once.
        let steps = (0..200).map(|i| {
            store.apply_step(write(
                &format!("s{i}"),
                0,
                Some(&format!("m{i}")),
                vec![article_view()],
            ))
        });
        let results = join_all(steps).await;
        assert!(
            results.iter().all(|r| matches!(r, Ok(StepSaved::Saved))),
            "{}: {results:?}",
            db.label
        );
        assert_eq!(store.sessions_fingerprint().await.unwrap(), (200, 200));

        // Two racing messages of one session, computed from the same version:
        // exactly one wins; the other must reload and retry.
        let race = join_all(
            (0..2).map(|i| store.apply_step(write("s0", 1, Some(&format!("race{i}")), vec![]))),
        )
        .await;
        let won = race
            .iter()
            .filter(|r| matches!(r, Ok(StepSaved::Saved)))
            .count();
        let lost = race
            .iter()
            .filter(|r| matches!(r, Err(StorageError::Conflict)))
            .count();
        assert_eq!((won, lost), (1, 1), "{}: {race:?}", db.label);
        // The loser's claim was given back: its retry goes through.
        let loser = race
            .iter()
            .position(|r| r.is_err())
            .expect("one lost the race");
        let retry = store
            .apply_step(write("s0", 2, Some(&format!("race{loser}")), vec![]))
            .await;
        assert!(
            matches!(retry, Ok(StepSaved::Saved)),
            "{}: {retry:?}",
            db.label
        );

        // A redelivered message (same platform id) changes nothing, even
        // when both copies arrive together.
        let copies = join_all(
            (0..2).map(|i| store.apply_step(write(&format!("copy{i}"), 0, Some("m-dup"), vec![]))),
        )
        .await;
        let saved = copies
            .iter()
            .filter(|r| matches!(r, Ok(StepSaved::Saved)))
            .count();
        let dup = copies
            .iter()
            .filter(|r| matches!(r, Ok(StepSaved::Duplicate)))
            .count();
        assert_eq!((saved, dup), (1, 1), "{}: {copies:?}", db.label);
        let again = store.apply_step(write("s1", 1, Some("m1"), vec![])).await;
        assert!(
            matches!(again, Ok(StepSaved::Duplicate)),
            "{}: {again:?}",
            db.label
        );

        // A step whose effect fails (a follow-up on a tip that does not
        // exist) fails alone; the steps committed beside it are kept.
        let before = store.sessions_fingerprint().await.unwrap();
        let mut mixed: Vec<StepWrite> = (0..20)
            .map(|i| write(&format!("ok{i}"), 0, Some(&format!("ok{i}")), vec![]))
            .collect();
        mixed.insert(
            10,
            write(
                "bad",
                0,
                Some("bad"),
                vec![Effect::AddFollowUp {
                    tip_id: 999_999,
                    body: "follow-up".into(),
                }],
            ),
        );
        let results = join_all(mixed.into_iter().map(|w| store.apply_step(w))).await;
        let ok = results
            .iter()
            .filter(|r| matches!(r, Ok(StepSaved::Saved)))
            .count();
        assert_eq!(ok, 20, "{}: {results:?}", db.label);
        assert!(
            matches!(results[10], Err(StorageError::Db(_))),
            "{}: {:?}",
            db.label,
            results[10]
        );
        let after = store.sessions_fingerprint().await.unwrap();
        assert_eq!(
            after.0,
            before.0 + 20,
            "{}: the failed step's session was not saved",
            db.label
        );
        // Its message was not claimed either: a retry after a fix can still take it.
        let retry = store.apply_step(write("bad", 0, Some("bad"), vec![])).await;
        assert!(
            matches!(retry, Ok(StepSaved::Saved)),
            "{}: {retry:?}",
            db.label
        );
    }
}
