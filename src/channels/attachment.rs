//! Photos and files from any channel: only taken when the reporter is at the
//! attachment step, size-limited, stripped of metadata, then stored.
use std::sync::Arc;

use crate::app::AppState;
use crate::bot::Speaker;
use crate::conversation::{Input, ReportStep, Session, Step};
use crate::domain::tip::AttachmentRef;
use crate::privacy::metadata::{self, StripError};
use crate::storage::tips::NewAttachment;

/// Whether the user's session is waiting for a photo. Checked before anything
/// is downloaded, so a photo sent at another step is never fetched or stored.
/// A race with a concurrent step only leaves an unlinked attachment, which
/// the engine refuses and the orphan purge removes.
pub async fn expected(app: &Arc<AppState>, speaker: Speaker<'_>) -> bool {
    let key = app
        .secret
        .session_key(speaker.channel.as_str(), speaker.user_id);
    match app.store.load_session(&key).await {
        Ok(Some(s)) => serde_json::from_str::<Session>(&s.state).is_ok_and(|s| {
            s.step
                == Step::Report {
                    step: ReportStep::Attachments,
                }
        }),
        _ => false,
    }
}

/// The input for a file the channel could not or would not fetch.
pub fn rejected(reason: &'static str) -> Input {
    Input::RejectedAttachment { reason }
}

pub fn too_large() -> Input {
    rejected(strip_reason(&StripError::TooLarge {
        max: metadata::MAX_ATTACHMENT_BYTES,
    }))
}

pub fn unsupported() -> Input {
    rejected(strip_reason(&StripError::Unsupported))
}

/// Strips and stores downloaded bytes; the engine links them to the tip on submit.
pub async fn accept(app: &Arc<AppState>, bytes: &[u8], now_ms: i64) -> Input {
    let clean = match metadata::strip(bytes) {
        Ok(c) => c,
        Err(e) => return rejected(strip_reason(&e)),
    };
    let id = hex::encode(rand::random::<[u8; 16]>());
    let stored = app
        .store
        .store_attachment(
            NewAttachment {
                id: &id,
                sha256: &clean.sha256,
                content_type: clean.content_type,
                bytes: &clean.bytes,
            },
            now_ms,
        )
        .await;
    match stored {
        Ok(()) => Input::Attachment(AttachmentRef {
            id,
            sha256: clean.sha256,
            content_type: clean.content_type.to_string(),
            size: clean.bytes.len() as u64,
        }),
        Err(e) => {
            tracing::error!(error = %e, "could not store an attachment");
            rejected("error-try-again")
        }
    }
}

/// The Fluent key that explains a refusal to the user.
pub fn strip_reason(e: &StripError) -> &'static str {
    match e {
        StripError::TooLarge { .. } => "attachment-too-large",
        StripError::Unsupported => "attachment-unsupported",
        StripError::Corrupt => "attachment-corrupt",
    }
}
