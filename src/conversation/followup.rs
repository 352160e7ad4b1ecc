//! `/status`: a reporter finds their tip by receipt, reads officers' replies and answers.
use fluent_bundle::FluentValue;

use super::engine::InboundCtx;
use super::menu;
use super::state::{HOUR_MS, RECEIPT_ATTEMPTS_PER_HOUR, Session, Step};
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
    if arg.is_empty() {
        session.step = Step::StatusAwaitReceipt;
        let options = vec![Choice::new(
            "status:menu",
            ctx.i18n.tr(session.lang, "back-to-menu"),
        )];
        out.replies.push(Reply::with_options(
            ctx.i18n.tr(session.lang, "status-ask-receipt"),
            options,
        ));
    } else {
        try_receipt(session, arg, ic, ctx, out);
    }
}

fn try_receipt(
    session: &mut Session,
    text: &str,
    ic: &InboundCtx,
    ctx: &mut Ctx<'_>,
    out: &mut Outcome,
) {
    session.step = Step::StatusAwaitReceipt;
    if session.recent_receipt_failures(ic.now_ms) >= RECEIPT_ATTEMPTS_PER_HOUR {
        let oldest = session
            .receipt_failures
            .iter()
            .min()
            .copied()
            .unwrap_or(ic.now_ms);
        let minutes = ((oldest + HOUR_MS - ic.now_ms) / 60_000).max(1);
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
        None => {
            let options = vec![Choice::new(
                "status:menu",
                ctx.i18n.tr(session.lang, "back-to-menu"),
            )];
            out.replies.push(Reply::with_options(
                ctx.i18n.tr(session.lang, "status-bad-format"),
                options,
            ));
        }
    }
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
        (Step::StatusAwaitReceipt, Input::Text(text)) => try_receipt(session, &text, ic, ctx, out),
        (Step::StatusView { tip_id, reference }, Input::Choice(id)) if id == "status:reply" => {
            session.step = Step::StatusAwaitMessage { tip_id, reference };
            let text = ctx.i18n.tr_args(
                session.lang,
                "status-ask-message",
                &[("max", FluentValue::from(MESSAGE_MAX_CHARS))],
            );
            out.replies.push(Reply::with_options(
                text,
                vec![Choice::new(
                    "status:menu",
                    ctx.i18n.tr(session.lang, "back-to-menu"),
                )],
            ));
        }
        (Step::StatusAwaitMessage { tip_id, reference }, Input::Text(text)) => {
            let body = clean_user_text(&text);
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
                session.step = Step::StatusAwaitMessage { tip_id, reference };
                return;
            }
            out.effects.push(Effect::AddFollowUp { tip_id, body });
            let text = ctx.i18n.tr_args(
                session.lang,
                "status-message-sent",
                &[("reference", FluentValue::from(reference))],
            );
            out.replies.push(Reply::text(text));
            menu::show(session, ctx, out);
        }
        (step, _) => {
            out.replies.push(Reply::text(
                ctx.i18n.tr(session.lang, "menu-not-understood"),
            ));
            match step {
                Step::StatusView { .. } | Step::StatusAwaitMessage { .. } => {
                    menu::show(session, ctx, out)
                }
                _ => start(session, "", ic, ctx, out),
            }
        }
    }
}

fn on_lookup(
    session: &mut Session,
    found: Option<TipStatusView>,
    ic: &InboundCtx,
    ctx: &mut Ctx<'_>,
    out: &mut Outcome,
) {
    let Some(view) = found else {
        session.receipt_failures.push(ic.now_ms);
        let left =
            RECEIPT_ATTEMPTS_PER_HOUR.saturating_sub(session.recent_receipt_failures(ic.now_ms));
        let text = ctx.i18n.tr_args(
            session.lang,
            "status-not-found",
            &[("left", FluentValue::from(left))],
        );
        out.replies.push(Reply::with_options(
            text,
            vec![Choice::new(
                "status:menu",
                ctx.i18n.tr(session.lang, "back-to-menu"),
            )],
        ));
        session.step = Step::StatusAwaitReceipt;
        return;
    };
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
            ("reference", FluentValue::from(view.reference.clone())),
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
    session.step = Step::StatusView {
        tip_id: view.tip_id,
        reference: view.reference,
    };
    let options = vec![
        Choice::new("status:reply", ctx.i18n.tr(l, "status-reply")),
        Choice::new("status:menu", ctx.i18n.tr(l, "back-to-menu")),
    ];
    out.replies.push(Reply::with_options(text, options));
}
