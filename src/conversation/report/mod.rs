//! The anonymous tip flow: category, location, when, description, attachments, review, submit.
//! Location search lives in `location`, the review screen and submission in `review`.
mod location;
mod review;

use fluent_bundle::FluentValue;

use super::engine::InboundCtx;
use super::menu;
use super::state::{Draft, ReportStep, Session, Step};
use super::types::{Choice, Ctx, Effect, Input, Outcome, Reply};
use crate::domain::area::short_province;
use crate::domain::text::{char_len, clean_user_text};
use crate::domain::tip::{
    Category, DESCRIPTION_MAX_CHARS, DESCRIPTION_MIN_CHARS, MAX_ATTACHMENTS, WhenSeen,
};
use location::{on_location, on_location_text, on_province};

/// A time in words is a phrase, not a story: longer text is cut here.
const WHEN_SAID_MAX_CHARS: usize = 200;
use review::{on_edit_pick, on_review, summary};

pub fn start_or_resume(
    session: &mut Session,
    ic: &InboundCtx,
    ctx: &mut Ctx<'_>,
    out: &mut Outcome,
) {
    super::erase::begin(session, ctx, ic.now_ms);
    match (&session.draft, &session.step) {
        (Some(d), current) => {
            let step = match current {
                Step::Report { step } => *step,
                _ => resume_step(d, ic),
            };
            out.replies
                .push(Reply::text(ctx.i18n.tr(session.lang, "report-resumed")));
            prompt(session, step, ic, ctx, out)
        }
        (None, _) => {
            session.draft = Some(Draft::default());
            out.replies
                .push(Reply::text(ctx.i18n.tr(session.lang, "report-intro")));
            prompt(session, ReportStep::Category, ic, ctx, out)
        }
    }
}

/// The first unanswered question of a draft.
pub(super) fn resume_step(d: &Draft, ic: &InboundCtx) -> ReportStep {
    if d.category.is_none() {
        ReportStep::Category
    } else if d.province.is_none() {
        ReportStep::Location
    } else if d.when_seen.is_none() {
        ReportStep::When
    } else if d.description.is_none() {
        ReportStep::Description
    } else if ic.accepts_attachments && d.attachments.is_empty() {
        ReportStep::Attachments
    } else {
        ReportStep::Review
    }
}

pub fn cancel(session: &mut Session, ctx: &mut Ctx<'_>, out: &mut Outcome) {
    let key = if discard_draft(session, out) {
        "report-cancelled"
    } else {
        "nothing-to-cancel"
    };
    out.replies
        .push(Reply::text(ctx.i18n.tr(session.lang, key)));
    menu::show(session, ctx, out);
}

/// Drops the draft, and asks the runtime to delete its photos now rather
/// than at the next purge. Returns whether there was a draft.
pub(super) fn discard_draft(session: &mut Session, out: &mut Outcome) -> bool {
    let Some(draft) = session.draft.take() else {
        return false;
    };
    if !draft.attachments.is_empty() {
        out.effects.push(Effect::DiscardAttachments {
            ids: draft.attachments.into_iter().map(|a| a.id).collect(),
        });
    }
    true
}

pub(super) fn t(ctx: &Ctx<'_>, session: &Session, key: &str) -> String {
    ctx.i18n.tr(session.lang, key)
}

/// Asks the question of `step` and moves the session there.
pub(super) fn prompt(
    session: &mut Session,
    step: ReportStep,
    ic: &InboundCtx,
    ctx: &mut Ctx<'_>,
    out: &mut Outcome,
) {
    session.step = Step::Report { step };
    let reply = match step {
        ReportStep::Category => {
            let options = Category::ALL
                .iter()
                .map(|c| {
                    Choice::new(
                        format!("cat:{c}"),
                        t(ctx, session, &format!("category-{c}")),
                    )
                })
                .collect();
            Reply::with_options(t(ctx, session, "report-ask-category"), options)
        }
        ReportStep::Location => Reply::with_options(
            t(ctx, session, "report-ask-location"),
            vec![dont_know(ctx, session)],
        ),
        // The pick list came with the search results; asked again, start a fresh search.
        ReportStep::LocationPick => return prompt(session, ReportStep::Location, ic, ctx, out),
        ReportStep::Province => {
            let options = ctx
                .areas
                .provinces()
                .map(|p| Choice::new(format!("prov:{}", p.code.0), short_province(&p.name)))
                .collect();
            Reply::with_options(t(ctx, session, "report-ask-province"), options)
        }
        ReportStep::When => {
            let options = WhenSeen::ALL
                .iter()
                .map(|w| Choice::new(format!("when:{w}"), t(ctx, session, &format!("when-{w}"))))
                .collect();
            Reply::with_options(t(ctx, session, "report-ask-when"), options)
        }
        ReportStep::Description => Reply::text(ctx.i18n.tr_args(
            session.lang,
            "report-ask-description",
            &[
                ("min", FluentValue::from(DESCRIPTION_MIN_CHARS)),
                ("max", FluentValue::from(DESCRIPTION_MAX_CHARS)),
            ],
        )),
        ReportStep::Attachments if !ic.accepts_attachments => {
            return prompt(session, ReportStep::Review, ic, ctx, out);
        }
        ReportStep::Attachments => attachments_prompt(session, ctx),
        ReportStep::Review => review_prompt(session, ctx),
        ReportStep::EditPick => edit_pick_prompt(session, ic, ctx),
    };
    out.replies.push(reply);
}

/// "Add a photo" (or "another"), with the count so far and the maximum.
fn attachments_prompt(session: &Session, ctx: &Ctx<'_>) -> Reply {
    let n = session.draft.as_ref().map_or(0, |d| d.attachments.len());
    let key = if n == 0 {
        "report-ask-attachments"
    } else {
        "report-more-attachments"
    };
    let text = ctx.i18n.tr_args(
        session.lang,
        key,
        &[
            ("count", FluentValue::from(n)),
            ("max", FluentValue::from(MAX_ATTACHMENTS)),
        ],
    );
    let label = if n == 0 {
        "report-skip-attachments"
    } else {
        "report-done-attachments"
    };
    Reply::with_options(text, vec![Choice::new("att:done", t(ctx, session, label))])
}

/// The summary with send, edit and cancel; editing ends here.
fn review_prompt(session: &mut Session, ctx: &Ctx<'_>) -> Reply {
    if let Some(d) = session.draft.as_mut() {
        d.editing = false;
    }
    let summary = summary(session, ctx);
    let options = vec![
        Choice::new("review:send", t(ctx, session, "review-send")),
        Choice::new("review:edit", t(ctx, session, "review-edit")),
        Choice::new("review:cancel", t(ctx, session, "review-cancel")),
    ];
    Reply::with_options(summary, options)
}

/// Which part to change; photos only where the channel can take them.
fn edit_pick_prompt(session: &Session, ic: &InboundCtx, ctx: &Ctx<'_>) -> Reply {
    let mut options = vec![
        Choice::new("edit:location", t(ctx, session, "edit-location")),
        Choice::new("edit:when", t(ctx, session, "edit-when")),
        Choice::new("edit:description", t(ctx, session, "edit-description")),
    ];
    if ic.accepts_attachments {
        options.push(Choice::new(
            "edit:attachments",
            t(ctx, session, "edit-attachments"),
        ));
    }
    options.push(Choice::new("edit:restart", t(ctx, session, "edit-restart")));
    options.push(Choice::new("edit:back", t(ctx, session, "edit-back")));
    Reply::with_options(t(ctx, session, "report-ask-edit"), options)
}

pub(super) fn dont_know(ctx: &Ctx<'_>, session: &Session) -> Choice {
    Choice::new("loc:unknown", t(ctx, session, "report-dont-know-ward"))
}

/// After answering: back to review when editing, else the next question.
pub(super) fn advance(
    session: &mut Session,
    next: ReportStep,
    ic: &InboundCtx,
    ctx: &mut Ctx<'_>,
    out: &mut Outcome,
) {
    let editing = session.draft.as_ref().is_some_and(|d| d.editing);
    // A description typed before the report started (an accepted offer) is not asked again.
    let next = match &session.draft {
        Some(d) if next == ReportStep::Description && d.description.is_some() => resume_step(d, ic),
        _ => next,
    };
    prompt(
        session,
        if editing { ReportStep::Review } else { next },
        ic,
        ctx,
        out,
    )
}

pub fn on_input(
    session: &mut Session,
    step: ReportStep,
    input: Input,
    ic: &InboundCtx,
    ctx: &mut Ctx<'_>,
    out: &mut Outcome,
) {
    if session.draft.is_none() {
        // A stale step without a draft (e.g. after a purge): start cleanly.
        return start_or_resume(session, ic, ctx, out);
    }
    // A shared location is welcome at any step of the report.
    if let Input::Location { lat, lon } = input {
        return on_location(session, step, lat, lon, ic, ctx, out);
    }
    let is_file = matches!(
        input,
        Input::Attachment(_) | Input::RejectedAttachment { .. }
    );
    if is_file && step != ReportStep::Attachments {
        out.replies
            .push(Reply::text(t(ctx, session, "report-attachment-not-now")));
        return prompt(session, step, ic, ctx, out);
    }
    match step {
        ReportStep::Category => on_category(session, input, ic, ctx, out),
        ReportStep::Location | ReportStep::LocationPick => {
            on_location_text(session, input, ic, ctx, out)
        }
        ReportStep::Province => on_province(session, input, ic, ctx, out),
        ReportStep::When => on_when(session, input, ic, ctx, out),
        ReportStep::Description => on_description(session, input, ic, ctx, out),
        ReportStep::Attachments => on_attachment(session, input, ic, ctx, out),
        ReportStep::Review => on_review(session, input, ic, ctx, out),
        ReportStep::EditPick => on_edit_pick(session, input, ic, ctx, out),
    }
}

pub(super) fn reprompt(
    session: &mut Session,
    step: ReportStep,
    ic: &InboundCtx,
    ctx: &mut Ctx<'_>,
    out: &mut Outcome,
) {
    out.replies
        .push(Reply::text(t(ctx, session, "report-not-understood")));
    prompt(session, step, ic, ctx, out)
}

/// The part of a pressed option's id after `prefix` ("cat:dealing" -> "dealing").
pub(super) fn choice_arg<'a>(input: &'a Input, prefix: &str) -> Option<&'a str> {
    match input {
        Input::Choice(id) => id.strip_prefix(prefix),
        _ => None,
    }
}

pub(super) fn draft(session: &mut Session) -> &mut Draft {
    session.draft.get_or_insert_with(Draft::default)
}

fn on_category(
    session: &mut Session,
    input: Input,
    ic: &InboundCtx,
    ctx: &mut Ctx<'_>,
    out: &mut Outcome,
) {
    let cat = choice_arg(&input, "cat:").and_then(Category::parse);
    let Some(cat) = cat else {
        return reprompt(session, ReportStep::Category, ic, ctx, out);
    };
    draft(session).category = Some(cat);
    if cat == Category::PersonInDanger {
        out.replies
            .push(Reply::text(t(ctx, session, "danger-call-now")));
    }
    advance(session, ReportStep::Location, ic, ctx, out)
}

fn on_when(
    session: &mut Session,
    input: Input,
    ic: &InboundCtx,
    ctx: &mut Ctx<'_>,
    out: &mut Outcome,
) {
    if let Input::Text(text) = &input {
        return when_in_words(session, text, ic, ctx, out);
    }
    let when = choice_arg(&input, "when:").and_then(WhenSeen::parse);
    let Some(when) = when else {
        return reprompt(session, ReportStep::When, ic, ctx, out);
    };
    let d = draft(session);
    d.when_seen = Some(when);
    d.when_said = None;
    advance(session, ReportStep::Description, ic, ctx, out)
}

/// A time typed in words is kept as said and mapped to the closest option;
/// what is not understood is kept too, with a gentle note: never rejected.
fn when_in_words(
    session: &mut Session,
    text: &str,
    ic: &InboundCtx,
    ctx: &mut Ctx<'_>,
    out: &mut Outcome,
) {
    let said = clean_user_text(text);
    let said = crate::domain::text::truncate_chars(&said, WHEN_SAID_MAX_CHARS).to_string();
    if said.is_empty() {
        return reprompt(session, ReportStep::When, ic, ctx, out);
    }
    let understood = super::intent::when_from_words(ctx, &said);
    let when = understood.unwrap_or(WhenSeen::Unknown);
    let key = if understood.is_some() {
        "report-when-understood"
    } else {
        "report-when-kept"
    };
    let option = t(ctx, session, &format!("when-{when}"));
    out.replies.push(Reply::text(ctx.i18n.tr_args(
        session.lang,
        key,
        &[
            ("said", FluentValue::from(said.clone())),
            ("option", FluentValue::from(option)),
        ],
    )));
    let d = draft(session);
    d.when_seen = Some(when);
    d.when_said = Some(said);
    advance(session, ReportStep::Description, ic, ctx, out)
}

fn on_description(
    session: &mut Session,
    input: Input,
    ic: &InboundCtx,
    ctx: &mut Ctx<'_>,
    out: &mut Outcome,
) {
    let Input::Text(text) = input else {
        return reprompt(session, ReportStep::Description, ic, ctx, out);
    };
    let text = clean_user_text(&text);
    let len = char_len(&text);
    let args = [
        ("min", FluentValue::from(DESCRIPTION_MIN_CHARS)),
        ("max", FluentValue::from(DESCRIPTION_MAX_CHARS)),
        ("len", FluentValue::from(len)),
    ];
    if len < DESCRIPTION_MIN_CHARS {
        out.replies.push(Reply::text(ctx.i18n.tr_args(
            session.lang,
            "report-description-too-short",
            &args,
        )));
        session.step = Step::Report {
            step: ReportStep::Description,
        };
        return;
    }
    if len > DESCRIPTION_MAX_CHARS {
        out.replies.push(Reply::text(ctx.i18n.tr_args(
            session.lang,
            "report-description-too-long",
            &args,
        )));
        session.step = Step::Report {
            step: ReportStep::Description,
        };
        return;
    }
    draft(session).description = Some(text);
    advance(session, ReportStep::Attachments, ic, ctx, out)
}

fn on_attachment(
    session: &mut Session,
    input: Input,
    ic: &InboundCtx,
    ctx: &mut Ctx<'_>,
    out: &mut Outcome,
) {
    match input {
        Input::Choice(id) if id == "att:done" => prompt(session, ReportStep::Review, ic, ctx, out),
        Input::Attachment(a) => {
            let d = draft(session);
            if d.attachments.len() >= MAX_ATTACHMENTS {
                out.replies
                    .push(Reply::text(t(ctx, session, "report-attachments-full")));
                return prompt(session, ReportStep::Review, ic, ctx, out);
            }
            if !d.attachments.iter().any(|x| x.sha256 == a.sha256) {
                d.attachments.push(a);
            }
            out.replies
                .push(Reply::text(t(ctx, session, "report-attachment-received")));
            prompt(session, ReportStep::Attachments, ic, ctx, out)
        }
        Input::RejectedAttachment { reason } => {
            out.replies.push(Reply::text(t(ctx, session, reason)));
            prompt(session, ReportStep::Attachments, ic, ctx, out)
        }
        _ => reprompt(session, ReportStep::Attachments, ic, ctx, out),
    }
}
