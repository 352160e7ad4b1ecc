//! The outcome of an actioned tip on its detail page: shown to everyone who
//! may see the tip, recorded and corrected only by a lead of the tip's unit.
//! The reporter's status view never reads it.
use std::sync::Arc;

use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;
use maud::{Markup, html};

use super::auth::Viewer;
use super::cookies::redirect_with_flash;
use super::layout::Ctx;
use super::{WebError, WebResult, tip};
use crate::app::AppState;
use crate::bot::now_ms;
use crate::domain::outcome::{
    Contribution, MAX_DETAINED, MAX_SEIZURES, Outcome, OutcomeError, QuantityUnit, Seizure,
    Substance,
};
use crate::domain::tip::{Resolution, Status};
use crate::storage::dashboard::{Access, TipRecord};
use crate::storage::tip_actions::{ActionError, TipAction};

/// Seizure lines offered by the form (the model accepts up to MAX_SEIZURES).
const FORM_LINES: usize = 3;

/// One line of text for the timeline, the tip page and the report.
pub fn summary(ctx: &Ctx<'_>, o: &Outcome) -> String {
    let mut parts = vec![ctx.t(&format!("contribution-{}", o.contribution))];
    if o.case_opened {
        parts.push(ctx.t("outcome-case-opened"));
    }
    if o.detained > 0 {
        parts.push(ctx.ta("outcome-detained-n", &[("count", o.detained.into())]));
    }
    for s in &o.substances {
        parts.push(format!(
            "{} {} {}",
            number(s.quantity),
            ctx.t(&format!("qty-unit-{}", s.unit)),
            ctx.t(&format!("substance-{}", s.kind))
        ));
    }
    if o.venue_closed {
        parts.push(ctx.t("outcome-venue-closed"));
    }
    parts.join(" · ")
}

/// A quantity without a trailing ".0".
pub fn number(q: f64) -> String {
    let s = format!("{q:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn actioned(tip: &TipRecord) -> bool {
    tip.status == Status::Closed && tip.resolution == Some(Resolution::Actioned)
}

/// The outcome section: the recorded outcome, and the form for a lead.
pub fn section(ctx: &Ctx<'_>, tip: &TipRecord, viewer: &Viewer) -> Markup {
    let can_edit = actioned(tip) && tip.access == Access::Full && viewer.officer.role.leads();
    html! {
        @if tip.outcome.is_some() || can_edit {
            h2 { (ctx.t("outcome-title")) }
            @match &tip.outcome {
                Some(o) => p.outcome { (summary(ctx, o)) },
                None => p.outcome.muted { (ctx.t("outcome-none")) },
            }
            @if can_edit { (form(ctx, tip, viewer)) }
        }
    }
}

fn form(ctx: &Ctx<'_>, tip: &TipRecord, viewer: &Viewer) -> Markup {
    let o = tip.outcome.as_ref();
    let contribution = o.map_or(Contribution::Direct, |o| o.contribution);
    html! {
        form.outcome method="post" action={ "/tips/" (tip.id) "/outcome" } {
            input type="hidden" name="csrf" value=(viewer.csrf);
            fieldset {
                legend { (ctx.t("outcome-contribution")) }
                @for c in Contribution::ALL {
                    label { input type="radio" name="contribution" value=(c.as_str()) checked[*c == contribution]; " " (ctx.t(&format!("contribution-{c}"))) }
                }
            }
            label { input type="checkbox" name="case_opened" value="1" checked[o.is_some_and(|o| o.case_opened)]; " " (ctx.t("outcome-case-opened")) }
            label { (ctx.t("outcome-detained")) " " input type="number" name="detained" min="0" max=(MAX_DETAINED) value=(o.map_or(0, |o| o.detained)); }
            label { input type="checkbox" name="venue_closed" value="1" checked[o.is_some_and(|o| o.venue_closed)]; " " (ctx.t("outcome-venue-closed")) }
            fieldset {
                legend { (ctx.t("outcome-substances")) }
                @for i in 0..FORM_LINES {
                    @let line = o.and_then(|o| o.substances.get(i));
                    div.seizure {
                        select name={ "kind" (i) } aria-label=(ctx.t("outcome-substance-kind")) {
                            option value="" { "–" }
                            @for k in Substance::ALL { option value=(k.as_str()) selected[line.is_some_and(|l| l.kind == *k)] { (ctx.t(&format!("substance-{k}"))) } }
                        }
                        input type="text" inputmode="decimal" name={ "qty" (i) } size="8" aria-label=(ctx.t("outcome-quantity")) value=(line.map(|l| number(l.quantity)).unwrap_or_default());
                        select name={ "unit" (i) } aria-label=(ctx.t("outcome-quantity-unit")) {
                            @for u in QuantityUnit::ALL { option value=(u.as_str()) selected[line.is_some_and(|l| l.unit == *u)] { (ctx.t(&format!("qty-unit-{u}"))) } }
                        }
                    }
                }
            }
            button type="submit" { (ctx.t("outcome-save")) }
        }
    }
}

/// Reads the posted form; a refusal is a Fluent key for the flash.
fn parse(fields: &[(String, String)]) -> Result<Outcome, &'static str> {
    let get = |k: &str| {
        fields
            .iter()
            .find(|(n, _)| n == k)
            .map_or("", |(_, v)| v.trim())
    };
    let contribution = Contribution::parse(get("contribution")).ok_or("flash-error-invalid")?;
    let detained = match get("detained") {
        "" => 0,
        d => d.parse().map_err(|_| "flash-outcome-error-detained")?,
    };
    let mut substances = Vec::new();
    for i in 0..MAX_SEIZURES {
        let kind = get(&format!("kind{i}"));
        if kind.is_empty() {
            continue;
        }
        let kind = Substance::parse(kind).ok_or("flash-error-invalid")?;
        let unit = QuantityUnit::parse(get(&format!("unit{i}"))).ok_or("flash-error-invalid")?;
        // Officers type "12,5" as often as "12.5".
        let quantity = get(&format!("qty{i}"))
            .replace(',', ".")
            .parse()
            .map_err(|_| "flash-outcome-error-quantity")?;
        substances.push(Seizure {
            kind,
            quantity,
            unit,
        });
    }
    let outcome = Outcome {
        contribution,
        case_opened: get("case_opened") == "1",
        detained,
        substances,
        venue_closed: get("venue_closed") == "1",
    };
    outcome.validate().map_err(|e| match e {
        OutcomeError::Detained => "flash-outcome-error-detained",
        OutcomeError::Quantity => "flash-outcome-error-quantity",
        OutcomeError::TooManySeizures => "flash-outcome-error-seizures",
    })?;
    Ok(outcome)
}

/// POST /tips/{id}/outcome: scope first (404), then role and access (403).
pub async fn save(
    State(state): State<Arc<AppState>>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    let tip = tip::load(&state, &viewer, id).await?;
    if tip.access != Access::Full || !viewer.officer.role.leads() {
        return Err(WebError::Forbidden);
    }
    let back = format!("/tips/{id}");
    let secure = viewer.settings.secure_cookies;
    let outcome = match parse(&fields) {
        Ok(o) => o,
        Err(key) => return Ok(redirect_with_flash(&back, key, secure)),
    };
    let action = TipAction::SetOutcome(outcome);
    match state
        .store
        .apply_tip_action(&viewer.scope, &viewer.officer, id, &action, now_ms())
        .await
    {
        Ok(()) => Ok(redirect_with_flash(&back, "flash-outcome-saved", secure)),
        Err(ActionError::Invalid(key)) => {
            Ok(redirect_with_flash(&back, &format!("flash-{key}"), secure))
        }
        Err(e) => Err(e.into()),
    }
}
