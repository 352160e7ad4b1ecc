//! Photos and documents: fetched with getFile only at the attachment step,
//! size-checked before and during the download, then stripped and stored.
use std::pin::Pin;
use std::task::{Context, Poll};

use teloxide::net::Download;
use teloxide::prelude::*;
use teloxide::types::{Document, FileId, PhotoSize};

use super::{Telegram, send};
use crate::bot::Speaker;
use crate::channels::attachment;
use crate::conversation::Input;
use crate::privacy::metadata::MAX_ATTACHMENT_BYTES;

pub(super) async fn photo_input(
    tg: &Telegram,
    speaker: Speaker<'_>,
    sizes: &[PhotoSize],
    now: i64,
) -> Input {
    if !attachment::expected(&tg.app, speaker).await {
        return attachment::unsupported(); // the engine answers "not now"
    }
    // Telegram offers several sizes: take the largest we may store.
    let best = sizes
        .iter()
        .filter(|p| p.file.size as usize <= MAX_ATTACHMENT_BYTES)
        .max_by_key(|p| p.width as u64 * p.height as u64);
    match best {
        Some(p) => fetch(tg, speaker, &p.file.id, now).await,
        None => attachment::too_large(),
    }
}

pub(super) async fn document_input(
    tg: &Telegram,
    speaker: Speaker<'_>,
    doc: &Document,
    now: i64,
) -> Input {
    if !attachment::expected(&tg.app, speaker).await {
        return attachment::unsupported();
    }
    if doc.file.size as usize > MAX_ATTACHMENT_BYTES {
        return attachment::too_large();
    }
    // Only images can be cleaned; a PDF or video is refused without downloading it.
    if doc.mime_type.as_ref().is_some_and(|m| m.type_() != "image") {
        return attachment::unsupported();
    }
    fetch(tg, speaker, &doc.file.id, now).await
}

async fn fetch(tg: &Telegram, speaker: Speaker<'_>, id: &FileId, now: i64) -> Input {
    let file = match tg.bot.get_file(id.clone()).await {
        Ok(f) => f,
        Err(e) => {
            tracing::warn!(error = %send::describe(&e), "getFile failed");
            return attachment::rejected("error-try-again");
        }
    };
    if file.meta.size as usize > MAX_ATTACHMENT_BYTES {
        return attachment::too_large();
    }
    let mut sink = Capped {
        buf: Vec::new(),
        overflowed: false,
    };
    if let Err(e) = tg.bot.download_file(&file.path, &mut sink).await {
        if sink.overflowed {
            return attachment::too_large();
        }
        tracing::warn!(error = %e, "file download failed");
        return attachment::rejected("error-try-again");
    }
    attachment::accept(&tg.app, speaker, sink.buf, now).await
}

/// A buffer that refuses to grow past the attachment limit, so a file whose
/// announced size was wrong cannot fill memory.
struct Capped {
    buf: Vec<u8>,
    overflowed: bool,
}

impl tokio::io::AsyncWrite for Capped {
    fn poll_write(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        if self.buf.len() + data.len() > MAX_ATTACHMENT_BYTES {
            self.overflowed = true;
            return Poll::Ready(Err(std::io::Error::other("attachment too large")));
        }
        self.buf.extend_from_slice(data);
        Poll::Ready(Ok(data.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}
