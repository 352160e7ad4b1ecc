//! Authorization: an officer of CA-26068 gets 404 for another unit's tip on
//! every tip route, and the attempt leaves the audit log and the ledger as
//! they were. Informed units read but cannot act; admins see everything.
mod common;
mod dashboard_support;
mod support;

use dashboard_support::*;
use tipline::privacy::ledger::VerifyOutcome;
use tipline::storage::officers::Role;

/// A request to try: method, path after `/tips/{id}`, form fields.
type Route = (&'static str, String, Vec<(&'static str, String)>);

/// Every tip route.
fn tip_routes(attachment: &str) -> Vec<Route> {
    vec![
        ("GET", String::new(), vec![]),
        ("GET", format!("/attachments/{attachment}"), vec![]),
        ("GET", format!("/attachments/{attachment}?inline=1"), vec![]),
        ("POST", "/claim".into(), vec![]),
        ("POST", "/assign".into(), vec![("officer", String::new())]),
        (
            "POST",
            "/status".into(),
            vec![("status", "closed".into()), ("resolution", "spam".into())],
        ),
        ("POST", "/priority".into(), vec![("priority", "low".into())]),
        ("POST", "/labels".into(), vec![("labels", "x".into())]),
        ("POST", "/note".into(), vec![("body", "x".into())]),
        (
            "POST",
            "/transfer".into(),
            vec![("unit", "CA-26068".into()), ("reason", "mine now".into())],
        ),
        ("POST", "/reply".into(), vec![("body", "x".into())]),
        // Malformed input must meet the same wall.
        (
            "POST",
            "/status".into(),
            vec![("status", "nonsense".into())],
        ),
    ]
}

#[tokio::test]
async fn an_officer_of_ca_26068_gets_404_for_another_units_tip_on_every_route_and_leaves_no_trace()
{
    for db in common::all_dbs().await {
        let run = start(&db).await;
        let s = &run.state;
        add_officer(s, "CA-26068", "lan", Role::Officer).await;
        add_officer(s, "CA-26068", "tuan", Role::Lead).await;
        // Dealing in Long Khánh goes to CA-26080, which CA-26068 is not told about.
        let (foreign, attachment, _) =
            submit_tip_with_photo(s, "reporter-x", "dealing", 26080).await;
        let own = submit_tip(
            s,
            "reporter-y",
            "dealing",
            26068,
            "Người bán ma túy ở bãi xe cạnh chợ Biên Hòa.",
        )
        .await;
        for who in ["lan", "tuan"] {
            let o = login(&run, who).await;
            let before = (
                s.store.audit_count().await.unwrap(),
                s.store.ledger_len().await.unwrap(),
            );
            for (method, suffix, fields) in tip_routes(&attachment) {
                for id in [foreign.id.to_string(), "999999".to_string()] {
                    let path = format!("/tips/{id}{suffix}");
                    let (code, body) = if method == "GET" {
                        o.get_text(&path).await
                    } else {
                        let f: Vec<(&str, &str)> =
                            fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
                        o.post(&path, &f).await
                    };
                    assert_eq!(code, 404, "{}: {who} {method} {path}", db.label);
                    assert!(
                        !body.contains(&foreign.reference) && !body.contains("Long Khánh"),
                        "{}: {path} leaks the tip",
                        db.label
                    );
                }
            }
            // The attachment of a foreign tip is not reachable through one's own tip either.
            let (code, _) = o
                .get_text(&format!("/tips/{}/attachments/{attachment}", own.id))
                .await;
            assert_eq!(code, 404);
            let after = (
                s.store.audit_count().await.unwrap(),
                s.store.ledger_len().await.unwrap(),
            );
            assert_eq!(
                before, after,
                "{}: refused requests must not touch audit or ledger",
                db.label
            );
            let (_, queue) = o.get_text("/queue?status=any").await;
            assert!(queue.contains(&own.reference) && !queue.contains(&foreign.reference));
            let (_, audit) = o.get_text("/audit").await;
            assert!(!audit.contains(&foreign.reference));
        }
        let t = s
            .store
            .scoped_tip(&tipline::storage::dashboard::Scope::All, foreign.id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (t.status.as_str(), t.unit.as_str(), t.priority.as_str()),
            ("new", "CA-26080", "normal")
        );
        assert!(s.store.tip_timeline(foreign.id).await.unwrap().is_empty());
        run.stop().await;
    }
}

#[tokio::test]
async fn an_informed_ward_unit_reads_a_trafficking_tip_but_cannot_act_on_it() {
    for db in common::all_dbs().await {
        let run = start(&db).await;
        add_officer(&run.state, "CA-26068", "lan", Role::Officer).await;
        add_officer(&run.state, "PC04-75", "hung", Role::Officer).await;
        let tip = submit_tip(
            &run.state,
            "reporter-1",
            "trafficking",
            26068,
            "Xe tải biển số lạ chở hàng cấm vào kho sau chợ lúc nửa đêm.",
        )
        .await;
        let ward = login(&run, "lan").await;
        let (code, html) = ward.get_text(&format!("/tips/{}", tip.id)).await;
        assert_eq!(code, 200);
        assert!(
            html.contains("chỉ xem") && !html.contains("action=\"/tips/"),
            "read-only: no action forms"
        );
        // Audit rows are ledgered too; the tip's own timeline shows its changes.
        let events = |run: &Running| {
            let store = run.state.store.clone();
            async move { store.tip_timeline(tip.id).await.unwrap().len() }
        };
        let before = events(&run).await;
        let (code, _) = ward
            .post(&format!("/tips/{}/note", tip.id), &[("body", "x")])
            .await;
        assert_eq!(code, 403);
        assert_eq!(events(&run).await, before);
        let province = login(&run, "hung").await;
        let (code, _) = province
            .post(&format!("/tips/{}/status", tip.id), &[("status", "open")])
            .await;
        assert_eq!(code, 200);
        assert_eq!(events(&run).await, before + 1);
        run.stop().await;
    }
}

#[tokio::test]
async fn an_admin_sees_every_units_tips_and_photos_are_served_as_images() {
    for db in common::all_dbs().await {
        let run = start(&db).await;
        add_officer(&run.state, "CA-26068", "admin", Role::Admin).await;
        let (tip, attachment, bytes) =
            submit_tip_with_photo(&run.state, "reporter-x", "disguised_sale", 26080).await;
        let a = login(&run, "admin").await;
        let (code, html) = a.get_text(&format!("/tips/{}", tip.id)).await;
        assert_eq!(code, 200);
        assert!(html.contains(&format!(
            "/tips/{}/attachments/{attachment}?inline=1",
            tip.id
        )));
        let r = a
            .get(&format!("/tips/{}/attachments/{attachment}", tip.id))
            .await;
        assert_eq!(r.headers()["content-type"], "image/jpeg");
        assert!(
            r.headers()["content-disposition"]
                .to_str()
                .unwrap()
                .starts_with("attachment;")
        );
        assert_eq!(r.headers()["x-content-type-options"], "nosniff");
        assert_eq!(r.bytes().await.unwrap().as_ref(), bytes.as_slice());
        let r = a
            .get(&format!(
                "/tips/{}/attachments/{attachment}?inline=1",
                tip.id
            ))
            .await;
        assert!(
            r.headers()["content-disposition"]
                .to_str()
                .unwrap()
                .starts_with("inline;")
        );
        assert!(matches!(
            run.state.store.verify_ledger().await.unwrap(),
            VerifyOutcome::Intact { .. }
        ));
        run.stop().await;
    }
}
