//! Leaving the phone clean (issue 13). A report or /status conversation is
//! kept for erasing while it lasts; once the reporter has saved the receipt,
//! one button deletes it from the chat, theirs and the bot's messages. The
//! engine only decides; the channel does the deleting after the step is
//! saved ([`Effect::EraseConversation`]). Where the platform cannot delete
//! (Zalo, the console), the bot says how to delete the chat by hand.
//!
//! The optional reply notice is offered next to it ([`notice_choice`]).
use super::menu;
use super::state::{Session, Step};
use super::types::{Choice, Ctx, Effect, Outcome, Reply};
use crate::domain::channel::Channel;
use crate::domain::receipt::Receipt;
use crate::domain::time::day_number;

/// Telegram deletes messages for 48 hours: a conversation begun two days
/// ago (in whole days) may have messages it can no longer delete.
const ERASABLE_DAYS: i64 = 2;

/// Starts keeping this conversation for erasing, where the channel can
/// delete messages. A conversation already kept keeps its first day.
pub fn begin(session: &mut Session, ctx: &Ctx<'_>, now_ms: i64) {
    if !ctx.channel.can_delete_messages() {
        return;
    }
    let today = day_number(now_ms);
    match session.erasable_since_day {
        Some(day) if today - day < ERASABLE_DAYS => {}
        _ => session.erasable_since_day = Some(today),
    }
}

/// The "erase this chat" option, offered after the receipt and after /status.
pub fn offer(session: &Session, ctx: &Ctx<'_>) -> Choice {
    Choice::new("erase:ask", ctx.i18n.tr(session.lang, "erase-offer"))
}

/// The "tell me when officers reply" option. It carries the receipt, which
/// the same message shows, so the session never has to hold it.
pub fn notice_offer(session: &Session, ctx: &Ctx<'_>, receipt: &Receipt) -> Choice {
    Choice::new(
        format!("notice:{}", receipt.display().replace('-', "")),
        ctx.i18n.tr(session.lang, "notice-offer"),
    )
}

/// Whether a pressed option belongs here (it may come from any screen).
pub fn handles(id: &str) -> bool {
    id.starts_with("erase:") || id.starts_with("notice:")
}

pub fn on_choice(
    session: &mut Session,
    id: &str,
    now_ms: i64,
    ctx: &mut Ctx<'_>,
    out: &mut Outcome,
) {
    match id {
        "erase:ask" => ask(session, ctx, out),
        "erase:now" => erase(session, now_ms, ctx, out),
        "erase:keep" => {
            session.erasable_since_day = None;
            out.effects.push(Effect::ForgetConversation);
            out.replies
                .push(Reply::text(ctx.i18n.tr(session.lang, "erase-kept")));
            menu::show(session, ctx, out);
        }
        _ => match id.strip_prefix("notice:") {
            Some(code) => notice_choice(session, code, ctx, out),
            None => menu::not_understood(session, ctx, out),
        },
    }
}

/// How to delete the chat by hand on this channel.
fn by_hand_key(channel: Channel) -> &'static str {
    match channel {
        Channel::Telegram => "erase-by-hand-telegram",
        Channel::Zalo => "erase-by-hand-zalo",
        Channel::Messenger => "erase-by-hand-messenger",
        Channel::Web => "erase-by-hand-web",
        Channel::Console => "erase-by-hand-console",
    }
}

/// Asks to confirm that the receipt is saved; elsewhere, explains by hand.
fn ask(session: &mut Session, ctx: &mut Ctx<'_>, out: &mut Outcome) {
    let l = session.lang;
    if !ctx.channel.can_delete_messages() {
        out.replies
            .push(Reply::text(ctx.i18n.tr(l, by_hand_key(ctx.channel))));
        return menu::show(session, ctx, out);
    }
    let options = vec![
        Choice::new("erase:now", ctx.i18n.tr(l, "erase-yes")),
        Choice::new("erase:keep", ctx.i18n.tr(l, "erase-no")),
    ];
    out.replies.push(Reply::with_options(
        ctx.i18n.tr(l, "erase-confirm"),
        options,
    ));
}

/// Erases if there is something left that may still be deleted; otherwise
/// says so plainly (pressed twice, after 48 hours, or never kept).
fn erase(session: &mut Session, now_ms: i64, ctx: &mut Ctx<'_>, out: &mut Outcome) {
    let l = session.lang;
    let since = session.erasable_since_day.take();
    let by_hand = ctx.i18n.tr(l, by_hand_key(ctx.channel));
    match since {
        Some(day)
            if ctx.channel.can_delete_messages() && day_number(now_ms) - day < ERASABLE_DAYS =>
        {
            // The channel deletes, then tells how it went; nothing to say
            // yet, and nothing left to press that would erase again.
            out.effects.push(Effect::EraseConversation);
            session.step = Step::Menu;
            session.options.clear();
        }
        Some(_) => {
            out.effects.push(Effect::ForgetConversation);
            let text = format!("{}\n\n{by_hand}", ctx.i18n.tr(l, "erase-too-late"));
            out.replies.push(Reply::text(text));
            menu::show(session, ctx, out);
        }
        None => {
            let text = format!("{}\n\n{by_hand}", ctx.i18n.tr(l, "erase-nothing"));
            out.replies.push(Reply::text(text));
            menu::show(session, ctx, out);
        }
    }
}

/// The reporter opts in to reply notices for the tip this receipt opens.
fn notice_choice(session: &mut Session, code: &str, ctx: &mut Ctx<'_>, out: &mut Outcome) {
    let l = session.lang;
    match Receipt::parse(code) {
        Some(receipt) => {
            out.effects.push(Effect::ReplyNoticeOptIn {
                receipt_hash: receipt.hash(),
                lang: l,
            });
            out.replies.push(Reply::text(ctx.i18n.tr(l, "notice-on")));
        }
        None => out
            .replies
            .push(Reply::text(ctx.i18n.tr(l, "menu-not-understood"))),
    }
    menu::show(session, ctx, out);
}

/// /forget: this chat's reply-notice links, kept messages and subscription go.
pub fn forget(session: &mut Session, ctx: &mut Ctx<'_>, out: &mut Outcome) {
    session.erasable_since_day = None;
    out.effects.push(Effect::Forget);
    out.replies
        .push(Reply::text(ctx.i18n.tr(session.lang, "forget-done")));
    menu::show(session, ctx, out);
}
