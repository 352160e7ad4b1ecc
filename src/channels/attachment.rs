//! Photos and files from any channel: only taken when the reporter is at the
//! attachment step, size-limited, stripped of metadata, then stored.
use std::sync::Arc;

use crate::app::AppState;
use crate::bot::Speaker;
use crate::conversation::{Input, ReportStep, Session, Step};
use crate::domain::tip::{AttachmentRef, MAX_ATTACHMENTS, MAX_DRAFT_ATTACHMENT_BYTES};
use crate::privacy::metadata::{self, CleanAttachment, StripError};
use crate::storage::draft_attachments::{DraftLimits, DraftUpload};
use crate::storage::tips::NewAttachment;

/// Whether the user's session is waiting for a photo. Checked before anything
/// is downloaded, so a photo sent at another step is never fetched or stored.
/// Parallel uploads are admitted against the draft's limits when stored
/// (`accept`); one that lands after the step moved on is refused by the engine
/// and removed by the orphan purge.
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

/// A photo a platform offers by URL (Zalo, Messenger): fetched only at the
/// attachment step, refused early when the announced size is over the
/// limit, streamed with the cap, then stripped and stored like any other.
pub async fn from_url(
    app: &Arc<AppState>,
    http: &reqwest::Client,
    speaker: Speaker<'_>,
    url: &str,
    announced_size: Option<u64>,
    now_ms: i64,
) -> Input {
    if !expected(app, speaker).await {
        return unsupported(); // the engine answers "not now"
    }
    if announced_size.is_some_and(|s| s as usize > metadata::MAX_ATTACHMENT_BYTES) {
        return too_large();
    }
    match download(http, url).await {
        Ok(bytes) => accept(app, speaker, bytes, now_ms).await,
        Err(Download::TooLarge) => too_large(),
        Err(Download::Failed(why)) => {
            tracing::warn!(channel = %speaker.channel, reason = %why, "attachment download failed");
            rejected("error-try-again")
        }
    }
}

pub enum Download {
    TooLarge,
    Failed(String),
}

/// Streams a file into memory, stopping as soon as it passes the size
/// limit. The client should not follow redirects (see the adapters).
pub async fn download(http: &reqwest::Client, url: &str) -> Result<Vec<u8>, Download> {
    let max = metadata::MAX_ATTACHMENT_BYTES;
    let parsed = reqwest::Url::parse(url).map_err(|_| Download::Failed("not a URL".into()))?;
    if !matches!(parsed.scheme(), "https" | "http") {
        return Err(Download::Failed("not an http(s) URL".into()));
    }
    let failed = |e: reqwest::Error| Download::Failed(e.without_url().to_string());
    let mut resp = http.get(parsed).send().await.map_err(failed)?;
    if !resp.status().is_success() {
        return Err(Download::Failed(format!("HTTP {}", resp.status())));
    }
    if resp.content_length().is_some_and(|n| n as usize > max) {
        return Err(Download::TooLarge);
    }
    let mut buf = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(failed)? {
        if buf.len() + chunk.len() > max {
            return Err(Download::TooLarge);
        }
        buf.extend_from_slice(&chunk);
    }
    Ok(buf)
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

/// Strips and stores downloaded bytes; the engine links them to the tip on
/// submit. Decoding runs on a blocking thread behind the image gate; storing
/// is admitted against the draft's limits in the same transaction.
pub async fn accept(
    app: &Arc<AppState>,
    speaker: Speaker<'_>,
    bytes: Vec<u8>,
    now_ms: i64,
) -> Input {
    let clean = match strip_off_runtime(app, bytes).await {
        Ok(c) => c,
        Err(reason) => return rejected(reason),
    };
    let draft_key = app
        .secret
        .session_key(speaker.channel.as_str(), speaker.user_id);
    let id = hex::encode(rand::random::<[u8; 16]>());
    let limits = DraftLimits {
        max_files: MAX_ATTACHMENTS as i64,
        max_bytes: MAX_DRAFT_ATTACHMENT_BYTES as i64,
    };
    let new = NewAttachment {
        id: &id,
        sha256: &clean.sha256,
        content_type: clean.content_type,
        bytes: &clean.bytes,
    };
    match app
        .store
        .store_draft_attachment(draft_key.as_str(), new, limits, now_ms)
        .await
    {
        Ok(DraftUpload::Stored { id }) => Input::Attachment(AttachmentRef {
            id,
            sha256: clean.sha256,
            content_type: clean.content_type.to_string(),
            size: clean.bytes.len() as u64,
        }),
        Ok(DraftUpload::TooManyFiles) => rejected("report-attachments-full"),
        Ok(DraftUpload::TooManyBytes) => rejected("attachment-draft-full"),
        Err(e) => {
            tracing::error!(error = %e, "could not store an attachment");
            rejected("error-try-again")
        }
    }
}

/// Runs the metadata strip on a blocking thread, at most as many at once as
/// the image gate allows; returns the refusal's Fluent key on failure.
async fn strip_off_runtime(
    app: &Arc<AppState>,
    bytes: Vec<u8>,
) -> Result<CleanAttachment, &'static str> {
    let Ok(_permit) = app.gates.images.acquire().await else {
        return Err("error-try-again"); // the gate is closed only at shutdown
    };
    match tokio::task::spawn_blocking(move || metadata::strip(&bytes)).await {
        Ok(Ok(clean)) => Ok(clean),
        Ok(Err(e)) => Err(strip_reason(&e)),
        Err(e) => {
            tracing::error!(error = %e, "attachment strip task failed");
            Err("error-try-again")
        }
    }
}

/// The Fluent key that explains a refusal to the user.
pub fn strip_reason(e: &StripError) -> &'static str {
    match e {
        StripError::TooLarge { .. } => "attachment-too-large",
        StripError::Unsupported => "attachment-unsupported",
        StripError::Corrupt => "attachment-corrupt",
        StripError::TooManyPixels => "attachment-too-many-pixels",
    }
}
