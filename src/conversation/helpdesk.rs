//! "Get help": emergency and national numbers, then local counselling and
//! rehab points for the province the user picks.
use fluent_bundle::FluentValue;

use super::menu;
use super::state::{Session, Step};
use super::types::{Choice, Ctx, Input, Outcome, Reply};
use crate::content::help::LocalKind;
use crate::domain::area::{ProvinceCode, short_province};

pub fn show(session: &mut Session, ctx: &mut Ctx<'_>, out: &mut Outcome) {
    let l = session.lang;
    let mut text = ctx.i18n.tr(l, "helpdesk-intro");
    for n in &ctx.content.help.national {
        text.push_str(&format!(
            "\n\n☎️ {} – {}\n{}",
            n.number,
            n.name(l),
            n.note(l)
        ));
    }
    out.replies.push(Reply::text(text));
    session.step = Step::HelpProvince;
    let mut options: Vec<Choice> = ctx
        .areas
        .provinces()
        .map(|p| Choice::new(format!("help:prov:{}", p.code.0), short_province(&p.name)))
        .collect();
    options.push(Choice::new("help:menu", ctx.i18n.tr(l, "back-to-menu")));
    out.replies.push(Reply::with_options(
        ctx.i18n.tr(l, "helpdesk-pick-province"),
        options,
    ));
}

pub fn on_input(session: &mut Session, input: Input, ctx: &mut Ctx<'_>, out: &mut Outcome) {
    let province = match &input {
        Input::Choice(id) if id == "help:menu" => return menu::show(session, ctx, out),
        Input::Choice(id) => id
            .strip_prefix("help:prov:")
            .and_then(|p| p.parse().ok())
            .map(ProvinceCode),
        Input::Text(text) => ctx
            .areas
            .search(text, 3)
            .into_iter()
            .find_map(|h| ctx.areas.hit_province(h)),
        _ => None,
    };
    let Some(p) = province.and_then(|p| ctx.areas.province(p)) else {
        out.replies.push(Reply::text(
            ctx.i18n.tr(session.lang, "menu-not-understood"),
        ));
        return show(session, ctx, out);
    };
    let l = session.lang;
    let name = short_province(&p.name).to_string();
    let points: Vec<String> = ctx
        .content
        .help
        .local_for(p.code.0)
        .map(|lp| {
            let kind = ctx.i18n.tr(
                l,
                if lp.kind == LocalKind::Rehab {
                    "helpdesk-kind-rehab"
                } else {
                    "helpdesk-kind-counselling"
                },
            );
            let verified = ctx.i18n.tr_args(
                l,
                "helpdesk-verified",
                &[("date", FluentValue::from(shown_date(&lp.verified_on, l)))],
            );
            format!(
                "• {} ({kind})\n  {}\n  ☎️ {}\n  🕒 {}\n  ✅ {verified}",
                lp.name(l),
                lp.address,
                lp.phone,
                lp.hours(l)
            )
        })
        .collect();
    let text = if points.is_empty() {
        ctx.i18n
            .tr_args(l, "helpdesk-none", &[("province", FluentValue::from(name))])
    } else {
        let head = ctx.i18n.tr_args(
            l,
            "helpdesk-local",
            &[("province", FluentValue::from(name))],
        );
        format!("{head}\n\n{}", points.join("\n\n"))
    };
    // Every province falls back to the national layer, so the answer is never empty.
    let national = national_layer(ctx, l);
    out.replies
        .push(Reply::text(format!("{text}\n\n{national}")));
    menu::show(session, ctx, out);
}

/// The national layer every province falls back to: the local first stop
/// (commune health station, ward People's Committee), treatment information,
/// and the national numbers.
fn national_layer(ctx: &Ctx<'_>, l: crate::i18n::Lang) -> String {
    let mut text = ctx.i18n.tr(l, "helpdesk-first-stop");
    for n in &ctx.content.help.national {
        text.push_str(&format!("\n☎️ {} – {}", n.number, n.name(l)));
    }
    text
}

/// "2026-11-20" as people read it: 20/11/2026 in Vietnamese.
fn shown_date(iso: &str, l: crate::i18n::Lang) -> String {
    match chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d") {
        Ok(d) if l == crate::i18n::Lang::Vi => d.format("%d/%m/%Y").to_string(),
        _ => iso.to_string(),
    }
}
