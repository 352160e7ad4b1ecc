//! The dispatcher: global commands first, then option resolution, then the current flow.
use super::state::{Session, Step};
use super::types::{Ctx, Inbound, Input, Outcome, Reply};
use super::{classroom, erase, followup, helpdesk, intent, learn, menu, quiz, report, subscribe};
use crate::domain::text::{clean_user_text, fold};

/// Longest input the engine will even look at; anything longer is answered
/// with "too long" by the flow without being copied around.
pub const MAX_INPUT_BYTES: usize = 64 * 1024;

/// Advances one session by one input. Pure: all I/O happens in the caller,
/// which saves `session` and applies `Outcome::effects` in one transaction
/// before sending `Outcome::replies`.
pub fn step(session: &mut Session, inbound: Inbound, ctx: &mut Ctx<'_>) -> Outcome {
    let mut out = Outcome::default();
    let now = inbound.now_ms;
    if session.step == Step::New
        && let Some(lang) = inbound.lang_hint
    {
        session.lang = lang;
    }

    let input = match inbound.input {
        Input::Text(t) if t.len() > MAX_INPUT_BYTES => {
            Input::Text(t[..t.floor_char_boundary(MAX_INPUT_BYTES)].to_string())
        }
        other => other,
    };

    if let Input::Text(text) = &input {
        let text = clean_user_text(text);
        if let Some((cmd, arg)) = parse_command(&text) {
            command(
                session,
                &cmd,
                arg,
                &inbound_ctx(now, inbound.accepts_attachments),
                ctx,
                &mut out,
            );
            return out;
        }
    }

    // "huỷ", "thôi", "cancel": the whole message a cancel word stops what is going on.
    if let Input::Text(text) = &input
        && session.step != Step::New
        && intent::is_cancel(ctx, text)
    {
        report::cancel(session, ctx, &mut out);
        remember_options(session, &out.replies);
        return out;
    }

    // A typed number or label selects an offered option, like a button press.
    let input = match input {
        Input::Text(text) => match resolve_option(session, &text) {
            Some(id) => Input::Choice(id),
            None => Input::Text(text),
        },
        other => other,
    };

    let ic = inbound_ctx(now, inbound.accepts_attachments);
    // Erasing the chat and the reply notice are offered on several screens.
    if let Input::Choice(id) = &input
        && erase::handles(id)
    {
        erase::on_choice(session, id, now, ctx, &mut out);
        remember_options(session, &out.replies);
        return out;
    }
    match session.step.clone() {
        Step::New => menu::first_message(session, &input, &ic, ctx, &mut out),
        Step::ChooseLanguage => menu::on_language(session, &input, ctx, &mut out),
        Step::Menu => menu::on_menu(session, &input, &ic, ctx, &mut out),
        Step::Report { step } => report::on_input(session, step, input, &ic, ctx, &mut out),
        Step::StatusAwaitReceipt
        | Step::StatusView
        | Step::StatusAwaitMessage
        | Step::StatusMessageAwaitReceipt { .. } => {
            followup::on_input(session, input, &ic, ctx, &mut out)
        }
        Step::Topics | Step::TopicArticles { .. } | Step::Reading { .. } | Step::SearchResults => {
            learn::on_input(session, input, &ic, ctx, &mut out)
        }
        Step::QuizIntro { .. } | Step::QuizClassCode | Step::Quiz(_) | Step::QuizDone { .. } => {
            quiz::on_input(session, input, ctx, &mut out)
        }
        Step::HelpProvince => helpdesk::on_input(session, input, ctx, &mut out),
        Step::ClassLabel | Step::ClassPending => {
            classroom::on_input(session, input, &ic, ctx, &mut out)
        }
        Step::ReportOffer { text } => intent::on_offer(session, text, input, &ic, ctx, &mut out),
    }
    remember_options(session, &out.replies);
    out
}

/// Per-step facts about the inbound message that flows need.
pub struct InboundCtx {
    pub now_ms: i64,
    pub accepts_attachments: bool,
}

fn inbound_ctx(now_ms: i64, accepts_attachments: bool) -> InboundCtx {
    InboundCtx {
        now_ms,
        accepts_attachments,
    }
}

fn command(
    session: &mut Session,
    cmd: &str,
    arg: &str,
    ic: &InboundCtx,
    ctx: &mut Ctx<'_>,
    out: &mut Outcome,
) {
    match cmd {
        "start" => menu::ask_language(session, ctx, out),
        "menu" => menu::show(session, ctx, out),
        "report" | "tip" => report::start_or_resume(session, ic, ctx, out),
        "status" => followup::start(session, arg, ic, ctx, out),
        "cancel" => report::cancel(session, ctx, out),
        "lang" | "language" => menu::ask_language(session, ctx, out),
        "privacy" => menu::privacy(session, ctx, out),
        "help" => menu::help(session, ctx, out),
        "learn" | "topics" => learn::topics(session, ctx, out),
        "quiz" => quiz::start(session, arg, ctx, out),
        "lop" | "class" => classroom::start(session, arg, ic, ctx, out),
        "hotline" | "sos" => helpdesk::show(session, ctx, out),
        "subscribe" | "dangky" => subscribe::subscribe(session, arg, ctx, out),
        "unsubscribe" | "huydangky" => subscribe::unsubscribe(session, ctx, out),
        "erase" | "xoa" => erase::on_choice(session, "erase:ask", ic.now_ms, ctx, out),
        "forget" | "quen" => erase::forget(session, ctx, out),
        _ => {
            out.replies
                .push(Reply::text(ctx.i18n.tr(session.lang, "unknown-command")));
            menu::show(session, ctx, out);
        }
    }
    remember_options(session, &out.replies);
}

/// "/status@TiplineBot 7KQ2..." -> ("status", "7KQ2...")
fn parse_command(text: &str) -> Option<(String, &str)> {
    let rest = text.strip_prefix('/')?;
    let (head, arg) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    let name = head.split('@').next().unwrap_or("").to_ascii_lowercase();
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return None;
    }
    Some((name, arg.trim()))
}

fn resolve_option(session: &Session, text: &str) -> Option<String> {
    let t = text.trim();
    if let Ok(n) = t
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<usize>()
    {
        return session.options.get(n.checked_sub(1)?).map(|c| c.id.clone());
    }
    let folded = fold(t);
    if folded.is_empty() {
        return None;
    }
    if let Some(c) = session.options.iter().find(|c| fold(&c.label) == folded) {
        return Some(c.id.clone());
    }
    // "more" for "▶️ More (2/3)", "phuong bien hoa" for "Phường Biên Hòa, Đồng Nai":
    // a unique option starting with the typed words also counts.
    if folded.len() < 3 {
        return None;
    }
    let prefix = format!("{folded} ");
    let mut hits = session.options.iter().filter(|c| {
        let label = fold(&c.label);
        label == folded || label.starts_with(&prefix)
    });
    match (hits.next(), hits.next()) {
        (Some(c), None) => Some(c.id.clone()),
        _ => None,
    }
}

fn remember_options(session: &mut Session, replies: &[Reply]) {
    if let Some(last) = replies.iter().rev().find(|r| !r.options.is_empty()) {
        session.options = last.options.clone();
    } else if !replies.is_empty() {
        session.options.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_parse_with_bot_suffix_and_argument() {
        assert_eq!(
            parse_command("/status@TiplineBot  7KQ2 M9XD"),
            Some(("status".into(), "7KQ2 M9XD"))
        );
        assert_eq!(parse_command("/START"), Some(("start".into(), "")));
        assert_eq!(parse_command("/"), None);
        assert_eq!(parse_command("/ hello"), None);
        assert_eq!(parse_command("hello"), None);
    }
}
