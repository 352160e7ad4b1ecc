//! Class codes for teachers: `/lop 10A1` gives a code no other school has
//! ("10A1-7KQ") and a secret link to the class's quiz results, valid for the
//! school year. Nothing about the teacher or the students is asked or kept.
use fluent_bundle::FluentValue;

use super::engine::InboundCtx;
use super::menu;
use super::state::{Session, Step};
use super::types::{Choice, Ctx, Input, Outcome, Reply};
use crate::domain::effect::Effect;
use crate::domain::quiz::{parse_class_label, school_year_end_ms};
use crate::domain::time::vn_day;

/// `/lop [LABEL]`: straight to the code when a label was given, else ask for it.
pub fn start(
    session: &mut Session,
    arg: &str,
    ic: &InboundCtx,
    ctx: &mut Ctx<'_>,
    out: &mut Outcome,
) {
    if arg.trim().is_empty() {
        return ask_label(session, "class-ask-label", ctx, out);
    }
    on_label(session, arg, ic, ctx, out);
}

pub fn on_input(
    session: &mut Session,
    input: Input,
    ic: &InboundCtx,
    ctx: &mut Ctx<'_>,
    out: &mut Outcome,
) {
    match (&session.step, input) {
        (_, Input::Choice(id)) if id == "class:menu" => menu::show(session, ctx, out),
        (
            Step::ClassPending,
            Input::ClassCreated {
                code,
                link,
                valid_until_ms,
            },
        ) => issued(session, &code, &link, vn_day(valid_until_ms), ctx, out),
        (Step::ClassLabel, Input::Text(text)) => on_label(session, &text, ic, ctx, out),
        _ => ask_label(session, "class-ask-label", ctx, out),
    }
}

fn ask_label(session: &mut Session, key: &str, ctx: &mut Ctx<'_>, out: &mut Outcome) {
    session.step = Step::ClassLabel;
    let back = Choice::new("class:menu", ctx.i18n.tr(session.lang, "back-to-menu"));
    out.replies.push(Reply::with_options(
        ctx.i18n.tr(session.lang, key),
        vec![back],
    ));
}

fn on_label(
    session: &mut Session,
    text: &str,
    ic: &InboundCtx,
    ctx: &mut Ctx<'_>,
    out: &mut Outcome,
) {
    let Some(label) = parse_class_label(text) else {
        return ask_label(session, "class-bad-label", ctx, out);
    };
    let mut secret = [0u8; 16];
    ctx.rng.fill_bytes(&mut secret);
    session.step = Step::ClassPending;
    out.effects.push(Effect::CreateClass {
        label,
        token: hex::encode(secret),
        valid_until_ms: school_year_end_ms(ic.now_ms),
    });
}

fn issued(
    session: &mut Session,
    code: &str,
    link: &str,
    until: String,
    ctx: &mut Ctx<'_>,
    out: &mut Outcome,
) {
    let text = ctx.i18n.tr_args(
        session.lang,
        "class-issued",
        &[
            ("code", FluentValue::from(code.to_string())),
            ("link", FluentValue::from(link.to_string())),
            ("until", FluentValue::from(until)),
        ],
    );
    out.replies.push(Reply::text(text));
    menu::show(session, ctx, out);
}
