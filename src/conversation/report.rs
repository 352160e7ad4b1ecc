//! The anonymous tip flow: category, location, when, description, attachments, review, submit.
use fluent_bundle::FluentValue;

use super::engine::InboundCtx;
use super::menu;
use super::state::{Draft, ReportStep, Session, Step};
use super::types::{Choice, Ctx, Effect, Input, NewTip, Outcome, Reply};
use crate::domain::area::{AreaHit, ProvinceCode, WardCode, short_province};
use crate::domain::receipt::Receipt;
use crate::domain::text::{char_len, clean_user_text};
use crate::domain::tip::{
    Category, DESCRIPTION_MAX_CHARS, DESCRIPTION_MIN_CHARS, GeoPoint, MAX_ATTACHMENTS, WhenSeen,
};

const SEARCH_LIMIT: usize = 8;

pub fn start_or_resume(
    session: &mut Session,
    ic: &InboundCtx,
    ctx: &mut Ctx<'_>,
    out: &mut Outcome,
) {
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
fn resume_step(d: &Draft, ic: &InboundCtx) -> ReportStep {
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
    let key = if session.draft.take().is_some() {
        "report-cancelled"
    } else {
        "nothing-to-cancel"
    };
    out.replies
        .push(Reply::text(ctx.i18n.tr(session.lang, key)));
    menu::show(session, ctx, out);
}

fn t(ctx: &Ctx<'_>, session: &Session, key: &str) -> String {
    ctx.i18n.tr(session.lang, key)
}

/// Asks the question of `step` and moves the session there.
fn prompt(
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
        ReportStep::Attachments => {
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
        ReportStep::Review => {
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
        ReportStep::EditPick => {
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
    };
    out.replies.push(reply);
}

fn dont_know(ctx: &Ctx<'_>, session: &Session) -> Choice {
    Choice::new("loc:unknown", t(ctx, session, "report-dont-know-ward"))
}

/// After answering: back to review when editing, else the next question.
fn advance(
    session: &mut Session,
    next: ReportStep,
    ic: &InboundCtx,
    ctx: &mut Ctx<'_>,
    out: &mut Outcome,
) {
    let editing = session.draft.as_ref().is_some_and(|d| d.editing);
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

fn reprompt(
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
fn choice_arg<'a>(input: &'a Input, prefix: &str) -> Option<&'a str> {
    match input {
        Input::Choice(id) => id.strip_prefix(prefix),
        _ => None,
    }
}

fn draft(session: &mut Session) -> &mut Draft {
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

fn on_location(
    session: &mut Session,
    step: ReportStep,
    lat: f64,
    lon: f64,
    ic: &InboundCtx,
    ctx: &mut Ctx<'_>,
    out: &mut Outcome,
) {
    match GeoPoint::parse(lat, lon) {
        Some(p) => {
            draft(session).location = Some(p);
            out.replies
                .push(Reply::text(t(ctx, session, "report-location-noted")));
        }
        None => out
            .replies
            .push(Reply::text(t(ctx, session, "report-location-invalid"))),
    }
    prompt(session, step, ic, ctx, out)
}

fn on_location_text(
    session: &mut Session,
    input: Input,
    ic: &InboundCtx,
    ctx: &mut Ctx<'_>,
    out: &mut Outcome,
) {
    match input {
        Input::Choice(id) if id == "loc:unknown" => {
            prompt(session, ReportStep::Province, ic, ctx, out)
        }
        Input::Choice(id) if id == "loc:again" => {
            prompt(session, ReportStep::Location, ic, ctx, out)
        }
        Input::Choice(id) if id.starts_with("ward:") => {
            let ward = id[5..]
                .parse()
                .ok()
                .map(WardCode)
                .and_then(|w| ctx.areas.ward(w));
            let Some(ward) = ward else {
                return reprompt(session, ReportStep::Location, ic, ctx, out);
            };
            let (code, province) = (ward.code, ward.province);
            let d = draft(session);
            d.ward = Some(code);
            d.province = Some(province);
            advance(session, ReportStep::When, ic, ctx, out)
        }
        Input::Choice(id) if id.starts_with("prov:") => {
            on_province(session, Input::Choice(id), ic, ctx, out)
        }
        Input::Text(text) => search(session, &text, ctx, out),
        _ => reprompt(session, ReportStep::Location, ic, ctx, out),
    }
}

fn search(session: &mut Session, query: &str, ctx: &mut Ctx<'_>, out: &mut Outcome) {
    let hits = ctx.areas.search(query, SEARCH_LIMIT);
    if hits.is_empty() {
        let text = ctx.i18n.tr_args(
            session.lang,
            "report-location-none",
            &[("query", FluentValue::from(shorten(query)))],
        );
        out.replies
            .push(Reply::with_options(text, vec![dont_know(ctx, session)]));
        session.step = Step::Report {
            step: ReportStep::Location,
        };
        return;
    }
    let mut options: Vec<Choice> = hits
        .iter()
        .filter_map(|h| match h {
            AreaHit::Ward(w) => Some(Choice::new(
                format!("ward:{}", w.0),
                ctx.areas.ward_label(*w)?,
            )),
            AreaHit::Province(p) => {
                let name = short_province(&ctx.areas.province(*p)?.name).to_string();
                let label = ctx.i18n.tr_args(
                    session.lang,
                    "report-whole-province",
                    &[("province", FluentValue::from(name))],
                );
                Some(Choice::new(format!("prov:{}", p.0), label))
            }
        })
        .collect();
    options.push(Choice::new(
        "loc:again",
        t(ctx, session, "report-search-again"),
    ));
    options.push(dont_know(ctx, session));
    out.replies.push(Reply::with_options(
        t(ctx, session, "report-location-pick"),
        options,
    ));
    session.step = Step::Report {
        step: ReportStep::LocationPick,
    };
}

/// Echoing user text back: keep it short so a 100 KB paste is not bounced back whole.
fn shorten(s: &str) -> String {
    let s = clean_user_text(s);
    if char_len(&s) > 60 {
        format!("{}…", crate::domain::text::truncate_chars(&s, 60))
    } else {
        s
    }
}

fn on_province(
    session: &mut Session,
    input: Input,
    ic: &InboundCtx,
    ctx: &mut Ctx<'_>,
    out: &mut Outcome,
) {
    let province = match &input {
        Input::Choice(id) => id
            .strip_prefix("prov:")
            .and_then(|p| p.parse().ok())
            .map(ProvinceCode),
        Input::Text(text) => ctx.areas.search(text, 1).into_iter().find_map(|h| match h {
            AreaHit::Province(p) => Some(p),
            AreaHit::Ward(_) => None,
        }),
        _ => None,
    };
    match province.filter(|p| ctx.areas.province(*p).is_some()) {
        Some(p) => {
            let d = draft(session);
            d.province = Some(p);
            d.ward = None;
            advance(session, ReportStep::When, ic, ctx, out)
        }
        None => reprompt(session, ReportStep::Province, ic, ctx, out),
    }
}

fn on_when(
    session: &mut Session,
    input: Input,
    ic: &InboundCtx,
    ctx: &mut Ctx<'_>,
    out: &mut Outcome,
) {
    let when = choice_arg(&input, "when:").and_then(WhenSeen::parse);
    let Some(when) = when else {
        return reprompt(session, ReportStep::When, ic, ctx, out);
    };
    draft(session).when_seen = Some(when);
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

fn on_review(
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

fn on_edit_pick(
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

fn location_label(session: &Session, ctx: &Ctx<'_>) -> String {
    let Some(d) = &session.draft else {
        return String::new();
    };
    match (d.ward, d.province) {
        (Some(w), _) => ctx.areas.ward_label(w).unwrap_or_default(),
        (None, Some(p)) => {
            let name = ctx
                .areas
                .province(p)
                .map(|p| short_province(&p.name).to_string())
                .unwrap_or_default();
            ctx.i18n.tr_args(
                session.lang,
                "report-whole-province",
                &[("province", FluentValue::from(name))],
            )
        }
        _ => String::new(),
    }
}

fn summary(session: &Session, ctx: &Ctx<'_>) -> String {
    let d = session.draft.clone().unwrap_or_default();
    let l = session.lang;
    let cat = d
        .category
        .map(|c| ctx.i18n.tr(l, &format!("category-{c}")))
        .unwrap_or_default();
    let when = d
        .when_seen
        .map(|w| ctx.i18n.tr(l, &format!("when-{w}")))
        .unwrap_or_default();
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
fn submit(session: &mut Session, ic: &InboundCtx, ctx: &mut Ctx<'_>, out: &mut Outcome) {
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
        description,
        location: d.location,
        attachments: d.attachments.clone(),
        lang: session.lang,
        channel: ctx.channel.to_string(),
        created_at: ic.now_ms,
    };
    out.effects.push(Effect::SubmitTip(Box::new(tip)));
    session.draft = None;
    let text = ctx.i18n.tr_args(
        session.lang,
        "report-submitted",
        &[
            ("reference", FluentValue::from(reference)),
            ("receipt", FluentValue::from(receipt.display())),
        ],
    );
    out.replies.push(Reply::text(text));
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
