//! Welcome, language, main menu, privacy and help.
use super::engine::InboundCtx;
use super::state::{Session, Step};
use super::types::{Choice, Ctx, Effect, Input, Outcome, Reply};
use super::{followup, helpdesk, intent, learn, quiz, report, subscribe};
use crate::i18n::Lang;

pub fn welcome(session: &mut Session, ctx: &mut Ctx<'_>, out: &mut Outcome) {
    out.replies
        .push(Reply::text(ctx.i18n.tr(session.lang, "welcome")));
    show(session, ctx, out);
}

/// A brand-new user's first message is answered as what it is (a search, a
/// report, a place) after a short welcome; only a greeting gets the plain menu.
pub fn first_message(
    session: &mut Session,
    input: &Input,
    ic: &InboundCtx,
    ctx: &mut Ctx<'_>,
    out: &mut Outcome,
) {
    match input {
        Input::Text(text) if !text.trim().is_empty() && !intent::is_greeting(ctx, text) => {
            out.replies
                .push(Reply::text(ctx.i18n.tr(session.lang, "welcome-short")));
            session.step = Step::Menu;
            on_menu(session, input, ic, ctx, out)
        }
        _ => welcome(session, ctx, out),
    }
}

pub fn ask_language(session: &mut Session, ctx: &mut Ctx<'_>, out: &mut Outcome) {
    session.step = Step::ChooseLanguage;
    let options = vec![
        Choice::new("lang:vi", "Tiếng Việt"),
        Choice::new("lang:en", "English"),
    ];
    out.replies.push(Reply::with_options(
        ctx.i18n.tr(session.lang, "choose-language"),
        options,
    ));
}

pub fn on_language(session: &mut Session, input: &Input, ctx: &mut Ctx<'_>, out: &mut Outcome) {
    let lang = match input {
        Input::Choice(id) => id.strip_prefix("lang:").and_then(Lang::parse),
        Input::Text(t) => Lang::parse(t),
        _ => None,
    };
    match lang {
        Some(lang) => {
            session.lang = lang;
            // A subscriber's campaign messages follow their chosen language.
            out.effects.push(Effect::SubscriptionLang { lang });
            out.replies
                .push(Reply::text(ctx.i18n.tr(lang, "language-set")));
            welcome(session, ctx, out);
        }
        None => ask_language(session, ctx, out),
    }
}

pub fn show(session: &mut Session, ctx: &mut Ctx<'_>, out: &mut Outcome) {
    session.step = Step::Menu;
    let l = session.lang;
    let t = |k: &str| ctx.i18n.tr(l, k);
    let mut options = Vec::new();
    if session.draft.is_some() {
        options.push(Choice::new("menu:report", t("menu-continue-report")));
    } else {
        options.push(Choice::new("menu:report", t("menu-report")));
    }
    options.push(Choice::new("menu:status", t("menu-status")));
    options.push(Choice::new("menu:learn", t("menu-learn")));
    options.push(Choice::new("menu:quiz", t("menu-quiz")));
    options.push(Choice::new("menu:helpdesk", t("menu-helpdesk")));
    // A channel that cannot receive campaigns (console, web chat) is not offered them.
    if ctx.channel.can_broadcast() {
        options.push(Choice::new("menu:campaigns", t("menu-campaigns")));
    }
    options.push(Choice::new("menu:privacy", t("menu-privacy")));
    options.push(Choice::new("menu:lang", t("menu-language")));
    out.replies
        .push(Reply::with_options(t("menu-prompt"), options));
}

pub fn on_menu(
    session: &mut Session,
    input: &Input,
    ic: &InboundCtx,
    ctx: &mut Ctx<'_>,
    out: &mut Outcome,
) {
    match input {
        Input::Choice(id) => match id.as_str() {
            "menu:report" => report::start_or_resume(session, ic, ctx, out),
            "menu:status" => followup::start(session, "", ic, ctx, out),
            "menu:privacy" => privacy(session, ctx, out),
            "menu:help" => help(session, ctx, out),
            "menu:learn" => learn::topics(session, ctx, out),
            "menu:quiz" => quiz::start(session, "", ctx, out),
            "menu:helpdesk" => helpdesk::show(session, ctx, out),
            "menu:lang" => ask_language(session, ctx, out),
            "menu:campaigns" => subscribe::show(session, ctx, out),
            "menu:subscribe" | "menu:unsubscribe" | "menu:back" => {
                subscribe::on_choice(session, input, ctx, out)
            }
            _ => not_understood(session, ctx, out),
        },
        Input::Location { .. } | Input::Attachment(_) | Input::RejectedAttachment { .. } => {
            out.replies.push(Reply::text(
                ctx.i18n.tr(session.lang, "menu-attachment-outside-report"),
            ));
            show(session, ctx, out);
        }
        // A report typed straight in is offered as one; other words typed at
        // the menu are a search for articles ("tem giay", "vape").
        Input::Text(text) if intent::is_report(ctx, text) => {
            intent::offer_report(session, text, ctx, out)
        }
        Input::Text(text) if !text.trim().is_empty() => learn::search(session, text, ctx, out),
        _ => not_understood(session, ctx, out),
    }
}

pub fn not_understood(session: &mut Session, ctx: &mut Ctx<'_>, out: &mut Outcome) {
    out.replies.push(Reply::text(
        ctx.i18n.tr(session.lang, "menu-not-understood"),
    ));
    show(session, ctx, out);
}

pub fn privacy(session: &mut Session, ctx: &mut Ctx<'_>, out: &mut Outcome) {
    out.replies
        .push(Reply::text(ctx.i18n.tr(session.lang, "privacy-text")));
    show(session, ctx, out);
}

pub fn help(session: &mut Session, ctx: &mut Ctx<'_>, out: &mut Outcome) {
    out.replies
        .push(Reply::text(ctx.i18n.tr(session.lang, "help-text")));
    show(session, ctx, out);
}
