//! Bulk actions from the queue (claim, assign, label, close as a duplicate
//! of a primary tip), and the tip page's "merge these duplicates" button,
//! which posts here too. One confirmation for the lot, but each tip gets its
//! own transaction, ledger entry and audit row, exactly as if it had been
//! done on its own page.
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;

use super::actions::parse_labels;
use super::auth::Viewer;
use super::cookies::redirect_with_flash;
use super::{WebResult, tip};
use crate::app::AppState;
use crate::bot::now_ms;
use crate::domain::tip::{Resolution, Status};
use crate::storage::dashboard::{Access, TipRecord};
use crate::storage::tip_actions::{ActionError, TipAction};

/// More than this many tips at once is refused: a bulk action should be read.
const MAX_BULK: usize = 200;

/// The posted form: `id` repeats, which the usual form extractor cannot read.
#[derive(Debug, Default)]
struct BulkForm {
    ids: Vec<i64>,
    action: String,
    officer: String,
    label: String,
    primary: String,
    back: String,
}

impl BulkForm {
    fn parse(body: &[u8]) -> Self {
        let mut f = BulkForm::default();
        for (k, v) in form_urlencoded::parse(body) {
            match &*k {
                "id" => f.ids.extend(v.trim().parse::<i64>().ok()),
                "action" => f.action = v.into_owned(),
                "officer" => f.officer = v.into_owned(),
                "label" => f.label = v.into_owned(),
                "primary" => f.primary = v.trim().to_ascii_uppercase(),
                "back" => f.back = v.into_owned(),
                _ => {}
            }
        }
        f.ids.sort_unstable();
        f.ids.dedup();
        f
    }

    /// Where to go afterwards: the queue with the same filters, or a tip page.
    fn back(&self) -> String {
        let b = self.back.trim();
        if let Some(id) = b.strip_prefix("/tips/").and_then(|i| i.parse::<i64>().ok()) {
            return format!("/tips/{id}");
        }
        let safe = b
            .bytes()
            .all(|c| c.is_ascii_graphic() && c != b'#' && c != b'\\');
        if safe && !b.starts_with('/') {
            format!("/queue?{b}")
        } else {
            "/queue".into()
        }
    }
}

/// The action one tip gets, or the message key saying why the lot is refused.
fn build(f: &BulkForm, viewer: &Viewer, tip: &TipRecord) -> Result<TipAction, &'static str> {
    match f.action.as_str() {
        "claim" => Ok(TipAction::Claim),
        "assign" => {
            if !viewer.officer.role.leads() {
                return Err("flash-error-lead-only");
            }
            match f.officer.trim() {
                "" => Ok(TipAction::Assign { officer_id: None }),
                s => s
                    .parse()
                    .map(|o| TipAction::Assign {
                        officer_id: Some(o),
                    })
                    .map_err(|_| "flash-action-error-assignee"),
            }
        }
        "label" => {
            let mut labels = tip.labels.clone();
            for l in parse_labels(&f.label)? {
                if !labels.contains(&l) {
                    labels.push(l);
                }
            }
            if f.label.trim().is_empty() {
                return Err("flash-error-empty");
            }
            parse_labels(&labels.join(",")).map(TipAction::SetLabels)
        }
        "duplicate" => {
            if f.primary.is_empty() {
                return Err("flash-error-bulk-primary");
            }
            Ok(TipAction::SetStatus {
                status: Status::Closed,
                resolution: Some(Resolution::Duplicate),
                duplicate_of: Some(f.primary.clone()),
            })
        }
        _ => Err("flash-error-invalid"),
    }
}

pub async fn apply(
    State(state): State<Arc<AppState>>,
    viewer: Viewer,
    body: Bytes,
) -> WebResult<Response> {
    let f = BulkForm::parse(&body);
    let back = f.back();
    let secure = viewer.settings.secure_cookies;
    if f.ids.is_empty() {
        return Ok(redirect_with_flash(&back, "flash-error-bulk-none", secure));
    }
    if f.ids.len() > MAX_BULK {
        return Ok(redirect_with_flash(&back, "flash-error-too-long", secure));
    }
    let mut done = 0usize;
    let mut refused: Option<&'static str> = None;
    for id in &f.ids {
        let Ok(tip) = tip::load(&state, &viewer, *id).await else {
            refused.get_or_insert("flash-error-bulk-partial");
            continue;
        };
        // The primary itself stays open.
        if f.action == "duplicate" && tip.reference == f.primary {
            continue;
        }
        if tip.access != Access::Full {
            refused.get_or_insert("flash-error-bulk-partial");
            continue;
        }
        let action = match build(&f, &viewer, &tip) {
            Ok(a) => a,
            Err(key) => return Ok(redirect_with_flash(&back, key, secure)),
        };
        match state
            .store
            .apply_tip_action(&viewer.scope, &viewer.officer, tip.id, &action, now_ms())
            .await
        {
            Ok(()) => done += 1,
            Err(ActionError::Invalid(key)) => {
                let key = format!("flash-{key}");
                let key = if done == 0 {
                    key
                } else {
                    "flash-error-bulk-partial".into()
                };
                return Ok(redirect_with_flash(&back, &key, secure));
            }
            Err(ActionError::NotFound | ActionError::ReadOnly) => {
                refused.get_or_insert("flash-error-bulk-partial");
            }
            Err(e) => return Err(e.into()),
        }
    }
    let key = refused.unwrap_or("flash-bulk-done");
    Ok(redirect_with_flash(&back, key, secure))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_ids_are_read_once_and_garbage_is_dropped() {
        let f = BulkForm::parse(
            b"id=3&id=1&id=3&id=x&action=duplicate&primary=tl-abc&back=status%3Dnew",
        );
        assert_eq!(f.ids, vec![1, 3]);
        assert_eq!(f.primary, "TL-ABC");
        assert_eq!(f.back(), "/queue?status=new");
    }

    #[test]
    fn the_way_back_never_leaves_the_dashboard() {
        let back = |b: &str| {
            BulkForm {
                back: b.into(),
                ..BulkForm::default()
            }
            .back()
        };
        assert_eq!(back("//evil.example"), "/queue");
        assert_eq!(back("/tips/12"), "/tips/12");
        assert_eq!(back("/tips/12/../../x"), "/queue");
        assert_eq!(back("a#b"), "/queue");
    }
}
