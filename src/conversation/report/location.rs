//! Where it happened: ward search (diacritics optional), province fallback, shared locations.
use fluent_bundle::FluentValue;

use super::super::engine::InboundCtx;
use super::super::state::{ReportStep, Session, Step};
use super::super::types::{Choice, Ctx, Input, Outcome, Reply};
use super::{advance, dont_know, draft, prompt, reprompt, t};
use crate::domain::area::{
    AreaHit, FormerId, NearestError, ProvinceCode, WardCode, short_province,
};
use crate::domain::text::{char_len, clean_user_text, fold};
use crate::domain::tip::GeoPoint;

/// Places (new wards, old units, provinces) looked at per search.
const SEARCH_LIMIT: usize = 6;
/// Ward buttons per answer: the largest old district (Thủ Đức) became 12 wards.
const MAX_WARD_OPTIONS: usize = 16;
/// No place name is longer; longer text is answered as such, not searched.
const MAX_PLACE_CHARS: usize = 120;

pub(super) fn on_location(
    session: &mut Session,
    step: ReportStep,
    lat: f64,
    lon: f64,
    ic: &InboundCtx,
    ctx: &mut Ctx<'_>,
    out: &mut Outcome,
) {
    let asking_where = matches!(step, ReportStep::Location | ReportStep::LocationPick);
    match ctx.areas.nearest_ward(lat, lon) {
        Ok(near) => {
            draft(session).location = GeoPoint::parse(lat, lon);
            if asking_where {
                return suggest_nearest(session, near.ward, ctx, out);
            }
            out.replies
                .push(Reply::text(t(ctx, session, "report-location-noted")));
        }
        Err(e) => {
            let key = match e {
                NearestError::NoFix => "report-location-no-fix",
                NearestError::OutsideVietnam => "report-location-outside",
                NearestError::Invalid => "report-location-invalid",
            };
            out.replies.push(Reply::text(t(ctx, session, key)));
        }
    }
    prompt(session, step, ic, ctx, out)
}

/// A centroid is not a boundary: the nearest ward is only offered, and the
/// reporter confirms it or searches by name.
fn suggest_nearest(session: &mut Session, ward: WardCode, ctx: &mut Ctx<'_>, out: &mut Outcome) {
    let Some(label) = ctx.areas.ward_label(ward) else {
        return;
    };
    let text = ctx.i18n.tr_args(
        session.lang,
        "report-location-near",
        &[("ward", FluentValue::from(label.clone()))],
    );
    let options = vec![
        Choice::new(
            format!("ward:{}", ward.0),
            ctx.i18n.tr_args(
                session.lang,
                "report-location-near-yes",
                &[("ward", FluentValue::from(label))],
            ),
        ),
        Choice::new("loc:again", t(ctx, session, "report-location-near-no")),
        dont_know(ctx, session),
    ];
    out.replies.push(Reply::with_options(text, options));
    session.step = Step::Report {
        step: ReportStep::LocationPick,
    };
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
    if let Some(key) = unusable_place_text(query) {
        out.replies.push(Reply::with_options(
            t(ctx, session, key),
            vec![dont_know(ctx, session)],
        ));
        session.step = Step::Report {
            step: ReportStep::Location,
        };
        return;
    }
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
    let mut text = t(ctx, session, "report-location-pick");
    for id in hits.iter().filter_map(|h| match h {
        AreaHit::Former(id) => Some(*id),
        _ => None,
    }) {
        text.push_str("\n\n");
        text.push_str(&former_note(session, ctx, id));
    }
    out.replies
        .push(Reply::with_options(text, pick_options(session, ctx, &hits)));
    session.step = Step::Report {
        step: ReportStep::LocationPick,
    };
}

/// Text that can never be a place name gets its own answer instead of "not found".
fn unusable_place_text(query: &str) -> Option<&'static str> {
    if char_len(query) > MAX_PLACE_CHARS {
        Some("report-location-too-long")
    } else if fold(query).is_empty() {
        Some("report-location-no-letters")
    } else {
        None
    }
}

/// "Quận 1 (TP Hồ Chí Minh) cũ nay gồm: Phường Sài Gòn, Phường Tân Định, …"
fn former_note(session: &Session, ctx: &Ctx<'_>, id: FormerId) -> String {
    let Some(f) = ctx.areas.former(id) else {
        return String::new();
    };
    let old = if f.district.is_empty() {
        format!("{}, {}", f.name, short_province(&f.old_province))
    } else {
        format!(
            "{}, {}, {}",
            f.name,
            f.district,
            short_province(&f.old_province)
        )
    };
    let wards: Vec<String> = f
        .wards
        .iter()
        .filter_map(|w| ctx.areas.ward(*w).map(|w| w.name.clone()))
        .collect();
    ctx.i18n.tr_args(
        session.lang,
        "report-location-former",
        &[
            ("old", FluentValue::from(old)),
            ("count", FluentValue::from(wards.len())),
            ("wards", FluentValue::from(wards.join(", "))),
        ],
    )
}

/// Every new ward the hits stand for (each with its province), then the
/// province unit for a reporter who does not know which ward, then search
/// again and "I don't know".
fn pick_options(session: &Session, ctx: &Ctx<'_>, hits: &[AreaHit]) -> Vec<Choice> {
    let mut options: Vec<Choice> = Vec::new();
    let mut provinces: Vec<ProvinceCode> = Vec::new();
    for hit in hits {
        for w in ctx.areas.hit_wards(*hit) {
            let id = format!("ward:{}", w.0);
            if options.len() < MAX_WARD_OPTIONS
                && !options.iter().any(|c| c.id == id)
                && let Some(label) = ctx.areas.ward_label(w)
            {
                options.push(Choice::new(id, label));
            }
        }
        if let Some(p) = ctx.areas.hit_province(*hit)
            && !provinces.contains(&p)
        {
            provinces.push(p);
        }
    }
    for p in provinces {
        let Some(province) = ctx.areas.province(p) else {
            continue;
        };
        let label = ctx.i18n.tr_args(
            session.lang,
            "report-whole-province",
            &[(
                "province",
                FluentValue::from(short_province(&province.name)),
            )],
        );
        options.push(Choice::new(format!("prov:{}", p.0), label));
    }
    options.push(Choice::new(
        "loc:again",
        t(ctx, session, "report-search-again"),
    ));
    options.push(dont_know(ctx, session));
    options
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
            AreaHit::Ward(_) | AreaHit::Former(_) => None,
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
