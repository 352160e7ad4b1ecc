//! Campaign subscriptions: `/subscribe [province]` and `/unsubscribe`.
//! The engine never sees the chat id; it only asks for a subscription
//! ([`Effect::Subscribe`]) and the runtime stores it with the speaker's
//! delivery address, in the one table that keeps one (see migration 0005).
use fluent_bundle::FluentValue;

use super::menu;
use super::state::Session;
use super::types::{Choice, Ctx, Input, Outcome, Reply};
use crate::domain::area::{ProvinceCode, short_province};
use crate::domain::effect::Effect;
use crate::domain::text::fold;

/// The "📣 Campaign news" menu entry: what it is, and the two choices.
pub fn show(session: &mut Session, ctx: &mut Ctx<'_>, out: &mut Outcome) {
    let l = session.lang;
    let t = |k: &str| ctx.i18n.tr(l, k);
    out.replies.push(Reply::with_options(
        t("subscribe-intro"),
        vec![
            Choice::new("menu:subscribe", t("subscribe-button")),
            Choice::new("menu:unsubscribe", t("unsubscribe-button")),
            Choice::new("menu:back", t("back-to-menu")),
        ],
    ));
}

/// `/subscribe`, `/subscribe Đà Nẵng`, `/subscribe 48` or the menu button.
pub fn subscribe(session: &mut Session, arg: &str, ctx: &mut Ctx<'_>, out: &mut Outcome) {
    let l = session.lang;
    if !ctx.channel.can_broadcast() {
        out.replies
            .push(Reply::text(ctx.i18n.tr(l, "subscribe-unavailable")));
        return menu::show(session, ctx, out);
    }
    let arg = arg.trim();
    let province = if arg.is_empty() {
        None
    } else {
        match find_province(arg, ctx) {
            Some(p) => Some(p),
            None => {
                let query = crate::domain::text::truncate_chars(arg, 60).to_string();
                out.replies.push(Reply::text(ctx.i18n.tr_args(
                    l,
                    "subscribe-province-unknown",
                    &[("query", FluentValue::from(query))],
                )));
                return menu::show(session, ctx, out);
            }
        }
    };
    out.effects.push(Effect::Subscribe { province, lang: l });
    let text = match province.and_then(|p| ctx.areas.province(p)) {
        Some(p) => ctx.i18n.tr_args(
            l,
            "subscribe-done-province",
            &[(
                "province",
                FluentValue::from(short_province(&p.name).to_string()),
            )],
        ),
        None => ctx.i18n.tr(l, "subscribe-done-national"),
    };
    out.replies.push(Reply::text(text));
    menu::show(session, ctx, out);
}

/// `/unsubscribe`: the runtime deletes the row (and with it the chat id).
/// The engine does not know whether a row exists, so the answer holds either way.
pub fn unsubscribe(session: &mut Session, ctx: &mut Ctx<'_>, out: &mut Outcome) {
    out.effects.push(Effect::Unsubscribe);
    out.replies
        .push(Reply::text(ctx.i18n.tr(session.lang, "unsubscribe-done")));
    menu::show(session, ctx, out);
}

/// A menu button under "📣 Campaign news".
pub fn on_choice(session: &mut Session, input: &Input, ctx: &mut Ctx<'_>, out: &mut Outcome) {
    match input {
        Input::Choice(id) if id == "menu:subscribe" => subscribe(session, "", ctx, out),
        Input::Choice(id) if id == "menu:unsubscribe" => unsubscribe(session, ctx, out),
        _ => menu::show(session, ctx, out),
    }
}

/// A province code ("48"), a province name ("da nang"), or a ward whose
/// province is meant ("bien hoa" -> Đồng Nai). Diacritics and case are ignored.
fn find_province(arg: &str, ctx: &Ctx<'_>) -> Option<ProvinceCode> {
    if let Ok(code) = arg.parse::<u32>() {
        return ctx.areas.province(ProvinceCode(code)).map(|p| p.code);
    }
    // An exact province name wins over a ward of the same name ("Hà Nội").
    let folded = fold(arg);
    if let Some(p) = ctx
        .areas
        .provinces()
        .find(|p| fold(&p.name) == folded || fold(short_province(&p.name)) == folded)
    {
        return Some(p.code);
    }
    ctx.areas
        .search(arg, 1)
        .first()
        .and_then(|h| ctx.areas.hit_province(*h))
}
