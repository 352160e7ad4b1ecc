//! Form posts that change a tip. Each handler loads the tip through the scope
//! first (404 / 403 before any input is even looked at), then builds a
//! [`TipAction`] and hands it to storage, which writes the tip, its ledgered
//! event and the audit row in one transaction.
use std::sync::Arc;

use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;

use super::auth::Viewer;
use super::cookies::redirect_with_flash;
use super::tip_forms::FormEcho;
use super::unit_lookup::resolve_unit;
use super::{WebError, WebResult, tip};
use crate::app::AppState;
use crate::bot::now_ms;
use crate::domain::text::{char_len, clean_user_text};
use crate::domain::tip::{MESSAGE_MAX_CHARS, Priority, Resolution, Status};
use crate::storage::dashboard::{Access, TipRecord};
use crate::storage::tip_actions::{ActionError, TipAction};

const NOTE_MAX_CHARS: usize = 5000;
const REASON_MAX_CHARS: usize = 1000;
const MAX_LABELS: usize = 10;
const LABEL_MAX_CHARS: usize = 32;

/// Refusal of the officer's input: a message key shown in a red banner.
type Invalid = &'static str;

/// Where a successful action lands, and with which message.
struct Done<'a> {
    flash: &'a str,
    /// None: back to the tip's own page.
    to: Option<&'a str>,
}

async fn act(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    ok_flash: &str,
    echo: FormEcho,
    build: impl FnOnce(&TipRecord) -> Result<TipAction, Invalid>,
) -> WebResult<Response> {
    let done = Done {
        flash: ok_flash,
        to: None,
    };
    act_to(state, viewer, id, done, echo, build).await
}

/// Applies the action; a refusal re-renders the tip's page with a red
/// banner and everything typed still in its fields.
async fn act_to(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    done: Done<'_>,
    echo: FormEcho,
    build: impl FnOnce(&TipRecord) -> Result<TipAction, Invalid>,
) -> WebResult<Response> {
    let tip = tip::load(state, viewer, id).await?;
    if tip.access != Access::Full {
        return Err(WebError::Forbidden);
    }
    let refuse = |tip, key: String| async move {
        let fb = tip::Feedback { error: key, echo };
        tip::render(state, viewer, tip, Some(fb)).await
    };
    let action = match build(&tip) {
        Ok(a) => a,
        Err(key) => return refuse(tip, key.to_string()).await,
    };
    match state
        .store
        .apply_tip_action(&viewer.scope, &viewer.officer, id, &action, now_ms())
        .await
    {
        Ok(()) => {
            let back = format!("/tips/{id}");
            let to = done.to.unwrap_or(&back);
            Ok(redirect_with_flash(
                to,
                done.flash,
                viewer.settings.secure_cookies,
            ))
        }
        Err(ActionError::Invalid(key)) => refuse(tip, format!("flash-{key}")).await,
        Err(e) => Err(e.into()),
    }
}

/// Every field is optional so that a malformed post still meets the scope
/// check first, and gets the same 404 as a well-formed one.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ActionForm {
    officer: String,
    status: String,
    resolution: String,
    duplicate_of: String,
    priority: String,
    labels: String,
    body: String,
    unit: String,
    reason: String,
}

fn text_field(raw: &str, max: usize) -> Result<String, Invalid> {
    let t = clean_user_text(raw);
    match char_len(&t) {
        0 => Err("flash-error-empty"),
        n if n > max => Err("flash-error-too-long"),
        _ => Ok(t),
    }
}

pub async fn claim(
    State(state): State<Arc<AppState>>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> WebResult<Response> {
    act(
        &state,
        &viewer,
        id,
        "flash-claimed",
        FormEcho::default(),
        |_| Ok(TipAction::Claim),
    )
    .await
}

pub async fn assign(
    State(state): State<Arc<AppState>>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(f): Form<ActionForm>,
) -> WebResult<Response> {
    let is_lead = viewer.officer.role.leads();
    act(
        &state,
        &viewer,
        id,
        "flash-assigned",
        FormEcho::default(),
        |_| {
            if !is_lead {
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
        },
    )
    .await
}

pub async fn status(
    State(state): State<Arc<AppState>>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(f): Form<ActionForm>,
) -> WebResult<Response> {
    let flash = if f.status == "closed" {
        "flash-closed"
    } else {
        "flash-status-changed"
    };
    let echo = FormEcho {
        duplicate_of: f.duplicate_of.clone(),
        ..FormEcho::default()
    };
    act(&state, &viewer, id, flash, echo, |_| {
        let status = Status::parse(f.status.trim()).ok_or("flash-error-invalid")?;
        let resolution = match status {
            Status::Closed => Some(
                Resolution::parse(f.resolution.trim()).ok_or("flash-action-error-resolution")?,
            ),
            _ => None,
        };
        let duplicate_of = Some(f.duplicate_of.trim().to_string()).filter(|d| !d.is_empty());
        Ok(TipAction::SetStatus {
            status,
            resolution,
            duplicate_of,
        })
    })
    .await
}

pub async fn priority(
    State(state): State<Arc<AppState>>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(f): Form<ActionForm>,
) -> WebResult<Response> {
    act(
        &state,
        &viewer,
        id,
        "flash-priority-changed",
        FormEcho::default(),
        |_| {
            Priority::parse(f.priority.trim())
                .map(TipAction::SetPriority)
                .ok_or("flash-error-invalid")
        },
    )
    .await
}

/// "Nhà nghỉ, đêm , ,Xe máy" -> ["nhà nghỉ", "đêm", "xe máy"]: trimmed, lower-case, unique.
pub fn parse_labels(raw: &str) -> Result<Vec<String>, Invalid> {
    let mut out: Vec<String> = Vec::new();
    for part in raw.split(',') {
        let l = clean_user_text(part).to_lowercase();
        if l.is_empty() || out.contains(&l) {
            continue;
        }
        if char_len(&l) > LABEL_MAX_CHARS
            || !l
                .chars()
                .all(|c| c.is_alphanumeric() || c == ' ' || c == '-' || c == '_')
        {
            return Err("flash-error-label");
        }
        out.push(l);
    }
    if out.len() > MAX_LABELS {
        return Err("flash-error-label");
    }
    Ok(out)
}

pub async fn labels(
    State(state): State<Arc<AppState>>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(f): Form<ActionForm>,
) -> WebResult<Response> {
    act(
        &state,
        &viewer,
        id,
        "flash-labels-saved",
        FormEcho::default(),
        |_| parse_labels(&f.labels).map(TipAction::SetLabels),
    )
    .await
}

pub async fn note(
    State(state): State<Arc<AppState>>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(f): Form<ActionForm>,
) -> WebResult<Response> {
    let echo = FormEcho {
        note: f.body.clone(),
        ..FormEcho::default()
    };
    act(&state, &viewer, id, "flash-note-saved", echo, |_| {
        text_field(&f.body, NOTE_MAX_CHARS).map(TipAction::Note)
    })
    .await
}

pub async fn reply(
    State(state): State<Arc<AppState>>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(f): Form<ActionForm>,
) -> WebResult<Response> {
    let echo = FormEcho {
        reply: f.body.clone(),
        ..FormEcho::default()
    };
    act(&state, &viewer, id, "flash-reply-sent", echo, |_| {
        text_field(&f.body, MESSAGE_MAX_CHARS).map(TipAction::Reply)
    })
    .await
}

pub async fn transfer(
    State(state): State<Arc<AppState>>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(f): Form<ActionForm>,
) -> WebResult<Response> {
    let areas = &state.areas;
    let echo = FormEcho {
        unit: f.unit.clone(),
        reason: f.reason.clone(),
        ..FormEcho::default()
    };
    // The tip leaves the unit's queue: land there, with the message.
    let done = Done {
        flash: "flash-transferred",
        to: Some("/queue"),
    };
    act_to(&state, &viewer, id, done, echo, |_| {
        let unit = resolve_unit(areas, &f.unit).map_err(|_| "flash-error-unit")?;
        let reason = text_field(&f.reason, REASON_MAX_CHARS)?;
        Ok(TipAction::Transfer {
            unit: unit.as_str().to_string(),
            reason,
        })
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_trimmed_lowercased_and_deduplicated() {
        assert_eq!(
            parse_labels("Nhà nghỉ, đêm , ,nhà nghỉ").unwrap(),
            vec!["nhà nghỉ".to_string(), "đêm".to_string()]
        );
        assert_eq!(parse_labels("").unwrap(), Vec::<String>::new());
        assert!(parse_labels("<script>").is_err());
        assert!(parse_labels(&"x".repeat(40)).is_err());
    }
}
