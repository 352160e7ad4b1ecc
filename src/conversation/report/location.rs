//! Where it happened: ward search (diacritics optional), province fallback, shared locations.
use fluent_bundle::FluentValue;

use super::super::engine::InboundCtx;
use super::super::state::{ReportStep, Session, Step};
use super::super::types::{Choice, Ctx, Input, Outcome, Reply};
use super::{advance, dont_know, draft, prompt, reprompt, t};
use crate::domain::area::{AreaHit, ProvinceCode, WardCode, short_province};
use crate::domain::text::{char_len, clean_user_text};
use crate::domain::tip::GeoPoint;

const SEARCH_LIMIT: usize = 8;

pub(super) fn on_location(
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

pub(super) fn on_location_text(
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

pub(super) fn on_province(
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

pub(super) fn location_label(session: &Session, ctx: &Ctx<'_>) -> String {
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
