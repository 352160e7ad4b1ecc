//! `/status`: a reporter finds their tip by receipt, reads officers' replies and answers.
use fluent_bundle::FluentValue;

use super::engine::InboundCtx;
use super::menu;
use super::state::{RECEIPT_ATTEMPTS_PER_HOUR, Session, Step};
use super::types::{Choice, Ctx, Effect, Input, Outcome, Reply, TipStatusView};
use crate::domain::receipt::Receipt;
use crate::domain::text::{char_len, clean_user_text};
use crate::domain::tip::MESSAGE_MAX_CHARS;

pub fn start(
    session: &mut Session,
    arg: &str,
    ic: &InboundCtx,
    ctx: &mut Ctx<'_>,
    out: &mut Outcome,
) {
    // A fresh /status drops any message still waiting for its receipt.
    session.step = Step::StatusAwaitReceipt;
    super::erase::begin(session, ctx, ic.now_ms);
    if arg.is_empty() {
        out.replies.push(Reply::with_options(
            ctx.i18n.tr(session.lang, "status-ask-receipt"),
            back_to_menu(session, ctx),
        ));
    } else {
        try_receipt(session, arg, ic, ctx, out);
    }
}

/// Looks a receipt up, unless too many wrong ones were sent this hour. The
/// step stays where it is: waiting for a receipt, or for the receipt that
/// sends a written message.
fn try_receipt(
    session: &mut Session,
    text: &str,
    ic: &InboundCtx,
    ctx: &mut Ctx<'_>,
    out: &mut Outcome,
) {
    if session.recent_receipt_failures(ic.now_ms) >= RECEIPT_ATTEMPTS_PER_HOUR {
        let minutes = session.minutes_until_receipts_allowed(ic.now_ms);
        let text = ctx.i18n.tr_args(
            session.lang,
            "status-throttled",
            &[("minutes", FluentValue::from(minutes))],
        );
        out.replies.push(Reply::text(text));
        return menu::show(session, ctx, out);
    }
    match Receipt::parse(text) {
        Some(r) => out.effects.push(Effect::LookupReceipt {
            receipt_hash: r.hash(),
        }),
        None => out.replies.push(Reply::with_options(
            ctx.i18n.tr(session.lang, "status-bad-format"),
            back_to_menu(session, ctx),
        )),
    }
}

fn back_to_menu(session: &Session, ctx: &Ctx<'_>) -> Vec<Choice> {
    vec![Choice::new(
        "status:menu",
        ctx.i18n.tr(session.lang, "back-to-menu"),
    )]
}

pub fn on_input(
    session: &mut Session,
    input: Input,
    ic: &InboundCtx,
    ctx: &mut Ctx<'_>,
    out: &mut Outcome,
) {
    match (session.step.clone(), input) {
        (_, Input::Choice(id)) if id == "status:menu" => menu::show(session, ctx, out),
        (_, Input::LookupResult(found)) => on_lookup(session, found, ic, ctx, out),
        (Step::StatusAwaitReceipt | Step::StatusMessageAwaitReceipt { .. }, Input::Text(text)) => {
            try_receipt(session, &text, ic, ctx, out)
        }
        (Step::StatusView, Input::Choice(id)) if id == "status:reply" => {
            session.step = Step::StatusAwaitMessage;
            let text = ctx.i18n.tr_args(
                session.lang,
                "status-ask-message",
                &[("max", FluentValue::from(MESSAGE_MAX_CHARS))],
            );
            out.replies
                .push(Reply::with_options(text, back_to_menu(session, ctx)));
        }
        (Step::StatusAwaitMessage, Input::Text(text)) => on_message(session, &text, ctx, out),
        (step, _) => {
            out.replies.push(Reply::text(
                ctx.i18n.tr(session.lang, "menu-not-understood"),
            ));
            match step {
                Step::StatusView | Step::StatusAwaitMessage => menu::show(session, ctx, out),
                Step::StatusMessageAwaitReceipt { .. } => {
                    ask_receipt_for_message(session, ctx, out)
                }
                _ => start(session, "", ic, ctx, out),
            }
        }
    }
}

/// A message for the officers: checked, then held until the receipt says
/// which tip it belongs to.
fn on_message(session: &mut Session, text: &str, ctx: &mut Ctx<'_>, out: &mut Outcome) {
    let body = clean_user_text(text);
    let len = char_len(&body);
    if len == 0 || len > MESSAGE_MAX_CHARS {
        let args = [
            ("max", FluentValue::from(MESSAGE_MAX_CHARS)),
            ("len", FluentValue::from(len)),
        ];
        out.replies.push(Reply::text(ctx.i18n.tr_args(
            session.lang,
            "status-message-length",
            &args,
        )));
        return;
    }
    session.step = Step::StatusMessageAwaitReceipt { body };
    ask_receipt_for_message(session, ctx, out);
}

fn ask_receipt_for_message(session: &Session, ctx: &Ctx<'_>, out: &mut Outcome) {
    out.replies.push(Reply::with_options(
        ctx.i18n.tr(session.lang, "status-message-ask-receipt"),
        back_to_menu(session, ctx),
    ));
}

fn on_lookup(
    session: &mut Session,
    found: Option<TipStatusView>,
    ic: &InboundCtx,
    ctx: &mut Ctx<'_>,
    out: &mut Outcome,
) {
    let Some(view) = found else {
        session.record_receipt_failure(ic.now_ms);
        let left =
            RECEIPT_ATTEMPTS_PER_HOUR.saturating_sub(session.recent_receipt_failures(ic.now_ms));
        let text = ctx.i18n.tr_args(
            session.lang,
            "status-not-found",
            &[("left", FluentValue::from(left))],
        );
        out.replies
            .push(Reply::with_options(text, back_to_menu(session, ctx)));
        return;
    };
    if let Step::StatusMessageAwaitReceipt { body } = &session.step {
        out.effects.push(Effect::AddFollowUp {
            tip_id: view.tip_id,
            body: body.clone(),
        });
        let text = ctx.i18n.tr_args(
            session.lang,
            "status-message-sent",
            &[("reference", FluentValue::from(view.reference))],
        );
        let erase = super::erase::offer(session, ctx);
        out.replies.push(Reply::with_options(text, vec![erase]));
        return menu::show(session, ctx, out);
    }
    let l = session.lang;
    let status = ctx.i18n.tr(l, &format!("status-{}", view.status));
    let status = match view.resolution {
        Some(r) => format!("{status} ({})", ctx.i18n.tr(l, &format!("resolution-{r}"))),
        None => status,
    };
    let mut text = ctx.i18n.tr_args(
        l,
        "status-found",
        &[
            ("reference", FluentValue::from(view.reference)),
            ("status", FluentValue::from(status)),
        ],
    );
    if view.messages.is_empty() {
        text.push_str("\n\n");
        text.push_str(&ctx.i18n.tr(l, "status-no-messages"));
    }
    for m in &view.messages {
        let who = ctx.i18n.tr(
            l,
            if m.from_officer {
                "status-from-officer"
            } else {
                "status-from-you"
            },
        );
        text.push_str(&format!("\n\n{who}: {}", m.body));
    }
    session.step = Step::StatusView;
    let options = vec![
        Choice::new("status:reply", ctx.i18n.tr(l, "status-reply")),
        super::erase::offer(session, ctx),
        Choice::new("status:menu", ctx.i18n.tr(l, "back-to-menu")),
    ];
    out.replies.push(Reply::with_options(text, options));
}
