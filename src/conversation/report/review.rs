//! The review screen, editing a part, and submission with the receipt.
use fluent_bundle::FluentValue;

use super::super::engine::InboundCtx;
use super::super::state::{Draft, ReportStep, Session};
use super::super::types::{Ctx, Effect, Input, NewTip, Outcome, Reply};
use super::location::location_label;
use super::{cancel, discard_draft, draft, prompt, reprompt, resume_step};
use crate::conversation::menu;
use crate::domain::receipt::Receipt;
use crate::i18n::Lang;

pub(super) fn on_review(
    session: &mut Session,
    input: Input,
    ic: &InboundCtx,
    ctx: &mut Ctx<'_>,
    out: &mut Outcome,
) {
    match input {
        Input::Choice(id) if id == "review:send" => submit(session, ic, ctx, out),
        Input::Choice(id) if id == "review:edit" => {
            prompt(session, ReportStep::EditPick, ic, ctx, out)
        }
        Input::Choice(id) if id == "review:cancel" => cancel(session, ctx, out),
        _ => reprompt(session, ReportStep::Review, ic, ctx, out),
    }
}

pub(super) fn on_edit_pick(
    session: &mut Session,
    input: Input,
    ic: &InboundCtx,
    ctx: &mut Ctx<'_>,
    out: &mut Outcome,
) {
    let next = match &input {
        Input::Choice(id) => match id.as_str() {
            "edit:location" => Some(ReportStep::Location),
            "edit:when" => Some(ReportStep::When),
            "edit:description" => Some(ReportStep::Description),
            "edit:attachments" => Some(ReportStep::Attachments),
            "edit:back" => Some(ReportStep::Review),
            "edit:restart" => {
                discard_draft(session, out);
                session.draft = Some(Draft::default());
                Some(ReportStep::Category)
            }
            _ => None,
        },
        _ => None,
    };
    match next {
        Some(step) => {
            if step != ReportStep::Category && step != ReportStep::Review {
                draft(session).editing = true;
            }
            prompt(session, step, ic, ctx, out)
        }
        None => reprompt(session, ReportStep::EditPick, ic, ctx, out),
    }
}

/// The time as the reporter said it travels in the description's first line
/// (so the ledger covers it and officers read it where they read the tip).
fn with_when_said(ctx: &Ctx<'_>, d: &Draft, description: String) -> String {
    match &d.when_said {
        Some(said) => {
            let line = ctx.i18n.tr_args(
                Lang::Vi,
                "tip-when-said-line",
                &[("said", FluentValue::from(said.as_str()))],
            );
            format!("{line}\n{description}")
        }
        None => description,
    }
}

pub(super) fn summary(session: &Session, ctx: &Ctx<'_>) -> String {
    let d = session.draft.clone().unwrap_or_default();
    let l = session.lang;
    let cat = d
        .category
        .map(|c| ctx.i18n.tr(l, &format!("category-{c}")))
        .unwrap_or_default();
    let mut when = d
        .when_seen
        .map(|w| ctx.i18n.tr(l, &format!("when-{w}")))
        .unwrap_or_default();
    if let Some(said) = &d.when_said {
        when.push_str(&format!(" (“{said}”)"));
    }
    let gps = d
        .location
        .map(|p| format!("{:.5}, {:.5}", p.lat, p.lon))
        .unwrap_or_else(|| "–".into());
    ctx.i18n.tr_args(
        l,
        "review-summary",
        &[
            ("category", FluentValue::from(cat)),
            ("location", FluentValue::from(location_label(session, ctx))),
            ("gps", FluentValue::from(gps)),
            ("when", FluentValue::from(when)),
            (
                "description",
                FluentValue::from(d.description.unwrap_or_default()),
            ),
            ("attachments", FluentValue::from(d.attachments.len())),
        ],
    )
}

/// Builds the tip and asks the runtime to store it. The receipt is part of the
/// reply, which the runtime only delivers after the commit is durable.
pub(super) fn submit(session: &mut Session, ic: &InboundCtx, ctx: &mut Ctx<'_>, out: &mut Outcome) {
    let d = session.draft.clone().unwrap_or_default();
    let (Some(category), Some(province), Some(when_seen), Some(description)) =
        (d.category, d.province, d.when_seen, d.description.clone())
    else {
        // Incomplete (should not happen): ask the first missing question.
        let step = resume_step(&d, ic);
        return prompt(session, step, ic, ctx, out);
    };
    let receipt = Receipt::generate(ctx.rng);
    let reference = new_reference(ctx.rng);
    let routing = ctx.router.route(category, province, d.ward);
    let tip = NewTip {
        reference: reference.clone(),
        receipt_hash: receipt.hash(),
        category,
        province,
        ward: d.ward,
        routing,
        priority: category.default_priority(),
        when_seen,
        description: with_when_said(ctx, &d, description),
        location: d.location,
        attachments: d.attachments.clone(),
        lang: session.lang,
        channel: ctx.channel,
        created_at: ic.now_ms,
    };
    out.effects.push(Effect::SubmitTip(Box::new(tip)));
    session.draft = None;
    let mut text = ctx.i18n.tr_args(
        session.lang,
        "report-submitted",
        &[
            ("reference", FluentValue::from(reference)),
            ("receipt", FluentValue::from(receipt.display())),
        ],
    );
    let mut options = vec![crate::conversation::erase::offer(session, ctx)];
    // A reply notice needs a chat the bot can write to later.
    if ctx.channel.can_broadcast() {
        text.push_str("\n\n");
        text.push_str(&ctx.i18n.tr(session.lang, "notice-explain"));
        options.push(crate::conversation::erase::notice_offer(
            session, ctx, &receipt,
        ));
    }
    out.replies.push(Reply::with_options(text, options));
    menu::show(session, ctx, out);
}

/// "TL-7KQ2M9XD4R": 50 random bits, for officers and reporters to name a tip.
/// Not a secret: it cannot open anything without the receipt.
fn new_reference(rng: &mut dyn rand::CryptoRng) -> String {
    const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let mut s = String::from("TL-");
    for _ in 0..10 {
        s.push(ALPHABET[(rng.next_u32() & 31) as usize] as char);
    }
    s
}
