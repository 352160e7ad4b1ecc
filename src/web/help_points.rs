//! Admin → Help points: the local counselling and rehab points the bot's
//! `/sos` shows for a province, with who verified each and when. Every add,
//! edit and removal is audited, and the bot sees it at once (other replicas
//! within a minute, see `workers::help_points`).
use std::sync::Arc;

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use serde::Deserialize;

use super::auth::Viewer;
use super::cookies::redirect_with_flash;
use super::layout::{Ctx, shell};
use super::{WebError, WebResult};
use crate::app::AppState;
use crate::bot::now_ms;
use crate::domain::area::short_province;
use crate::domain::help::{LocalKind, LocalPoint, local_point_problem};
use crate::storage::help_points::StoredHelpPoint;

/// Longest value of any field: an address or opening hours, never an essay.
const FIELD_MAX_CHARS: usize = 300;

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct PointForm {
    province_code: String,
    kind: String,
    name_vi: String,
    name_en: String,
    address: String,
    phone: String,
    hours_vi: String,
    hours_en: String,
    source: String,
    verified_on: String,
}

impl PointForm {
    fn of(p: &LocalPoint) -> Self {
        PointForm {
            province_code: p.province_code.to_string(),
            kind: p.kind.as_str().into(),
            name_vi: p.name_vi.clone(),
            name_en: p.name_en.clone(),
            address: p.address.clone(),
            phone: p.phone.clone(),
            hours_vi: p.hours_vi.clone(),
            hours_en: p.hours_en.clone(),
            source: p.source.clone(),
            verified_on: p.verified_on.clone(),
        }
    }

    /// The point the form describes, or the Fluent key of what is wrong.
    fn point(&self, state: &AppState) -> Result<LocalPoint, &'static str> {
        let clean = |s: &str| crate::domain::text::clean_user_text(s).trim().to_string();
        let fields = [
            &self.name_vi,
            &self.name_en,
            &self.address,
            &self.phone,
            &self.hours_vi,
            &self.hours_en,
            &self.source,
        ];
        if fields.iter().any(|f| f.chars().count() > FIELD_MAX_CHARS) {
            return Err("help-points-error-long");
        }
        let province = self
            .province_code
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|c| {
                state
                    .areas
                    .province(crate::domain::area::ProvinceCode(*c))
                    .is_some()
            })
            .ok_or("help-points-error-province")?;
        let kind = LocalKind::parse(self.kind.trim()).ok_or("help-points-error-kind")?;
        let point = LocalPoint {
            province_code: province,
            kind,
            name_vi: clean(&self.name_vi),
            name_en: clean(&self.name_en),
            address: clean(&self.address),
            phone: clean(&self.phone),
            hours_vi: clean(&self.hours_vi),
            hours_en: clean(&self.hours_en),
            source: clean(&self.source),
            verified_on: clean(&self.verified_on),
        };
        match local_point_problem(&point) {
            Some(_) => Err("help-points-error-missing"),
            None => Ok(point),
        }
    }
}

/// `GET /admin/help`
pub async fn page(State(state): State<Arc<AppState>>, viewer: Viewer) -> WebResult<Response> {
    render(&state, &viewer, None, None).await
}

/// `POST /admin/help`: adds a point.
pub async fn add(
    State(state): State<Arc<AppState>>,
    viewer: Viewer,
    Form(f): Form<PointForm>,
) -> WebResult<Response> {
    save(&state, &viewer, None, f).await
}

/// `POST /admin/help/{id}`: edits a point.
pub async fn edit(
    State(state): State<Arc<AppState>>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(f): Form<PointForm>,
) -> WebResult<Response> {
    save(&state, &viewer, Some(id), f).await
}

/// `POST /admin/help/{id}/delete`: removes a point that can no longer be confirmed.
pub async fn delete(
    State(state): State<Arc<AppState>>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> WebResult<Response> {
    require_admin(&viewer)?;
    let existing = find(&state, id).await?;
    state.store.delete_help_point(id).await?;
    let detail = format!("#{id} {}", existing.point.name_vi);
    after_change(&state, &viewer, "help-delete", &detail).await?;
    Ok(redirect_with_flash(
        "/admin/help",
        "flash-saved",
        viewer.settings.secure_cookies,
    ))
}

async fn save(
    state: &AppState,
    viewer: &Viewer,
    id: Option<i64>,
    f: PointForm,
) -> WebResult<Response> {
    require_admin(viewer)?;
    if let Some(id) = id {
        find(state, id).await?;
    }
    let point = match f.point(state) {
        Ok(p) => p,
        // Nothing typed is lost: the form comes back filled in, with the reason.
        Err(key) => return render(state, viewer, Some((id, f)), Some(key)).await,
    };
    let (action, id) = match id {
        Some(id) => {
            state.store.update_help_point(id, &point).await?;
            ("help-edit", id)
        }
        None => ("help-add", state.store.add_help_point(&point).await?),
    };
    let detail = format!("#{id} {} ({})", point.name_vi, point.verified_on);
    after_change(state, viewer, action, &detail).await?;
    Ok(redirect_with_flash(
        "/admin/help",
        "flash-saved",
        viewer.settings.secure_cookies,
    ))
}

async fn find(state: &AppState, id: i64) -> WebResult<StoredHelpPoint> {
    let points = state.store.help_points().await?;
    points
        .into_iter()
        .find(|p| p.id == id)
        .ok_or(WebError::NotFound)
}

/// Audits the change and shows it to the bot on this replica at once.
async fn after_change(
    state: &AppState,
    viewer: &Viewer,
    action: &str,
    detail: &str,
) -> WebResult<()> {
    let unit = viewer.officer.unit.clone();
    state
        .store
        .audit(&viewer.audit(&unit, None, action, detail), now_ms())
        .await?;
    crate::workers::help_points::refresh(&state.store, &state.content).await?;
    Ok(())
}

fn require_admin(viewer: &Viewer) -> WebResult<()> {
    if viewer.is_admin() {
        Ok(())
    } else {
        Err(WebError::Forbidden)
    }
}

async fn render(
    state: &AppState,
    viewer: &Viewer,
    failed: Option<(Option<i64>, PointForm)>,
    error: Option<&str>,
) -> WebResult<Response> {
    require_admin(viewer)?;
    let points = state.store.help_points().await?;
    let ctx = Ctx::new(&state.i18n, viewer);
    let title = ctx.t("help-points-title");
    let form_for = |id: Option<i64>, stored: PointForm| match &failed {
        Some((fid, f)) if *fid == id => f.clone(),
        _ => stored,
    };
    let body = html! {
        h1 { (title) }
        p.muted { (ctx.t("help-points-intro")) }
        @if let Some(key) = error { p.flash.error role="alert" data-tipline="help-error" { (ctx.t(key)) } }
        @for p in &points {
            details.card open[failed.as_ref().is_some_and(|(id, _)| *id == Some(p.id))] {
                summary { (p.point.name_vi) " · " (province_name(state, p.point.province_code)) " · " (p.point.verified_on) }
                (point_form(&ctx, state, &format!("/admin/help/{}", p.id), &form_for(Some(p.id), PointForm::of(&p.point))))
                form.inline method="post" action={ "/admin/help/" (p.id) "/delete" } {
                    (ctx.csrf())
                    button.danger type="submit" { (ctx.t("help-points-delete")) }
                }
            }
        }
        section {
            h2 { (ctx.t("help-points-add")) }
            (point_form(&ctx, state, "/admin/help", &form_for(None, PointForm::default())))
        }
    };
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, shell(&ctx, &title, "admin", None, body)).into_response())
}

fn province_name(state: &AppState, code: u32) -> String {
    state
        .areas
        .province(crate::domain::area::ProvinceCode(code))
        .map(|p| short_province(&p.name).to_string())
        .unwrap_or_else(|| code.to_string())
}

fn point_form(ctx: &Ctx<'_>, state: &AppState, action: &str, f: &PointForm) -> Markup {
    let mut provinces: Vec<_> = state.areas.provinces().collect();
    provinces.sort_by_key(|p| p.code.0);
    let text = |name: &str, key: &str, value: &str| {
        html! {
            label { (ctx.t(key)) input name=(name) value=(value) maxlength="300"; }
        }
    };
    html! {
        form.stack method="post" action=(action) {
            (ctx.csrf())
            label { (ctx.t("help-points-province"))
                select name="province_code" required {
                    option value="" { "—" }
                    @for p in &provinces {
                        option value=(p.code.0) selected[f.province_code == p.code.0.to_string()] { (p.name) }
                    }
                }
            }
            label { (ctx.t("help-points-kind"))
                select name="kind" {
                    option value="counselling" selected[f.kind != "rehab"] { (ctx.t("help-points-kind-counselling")) }
                    option value="rehab" selected[f.kind == "rehab"] { (ctx.t("help-points-kind-rehab")) }
                }
            }
            (text("name_vi", "help-points-name-vi", &f.name_vi))
            (text("name_en", "help-points-name-en", &f.name_en))
            (text("address", "help-points-address", &f.address))
            (text("phone", "help-points-phone", &f.phone))
            (text("hours_vi", "help-points-hours-vi", &f.hours_vi))
            (text("hours_en", "help-points-hours-en", &f.hours_en))
            (text("source", "help-points-source", &f.source))
            label { (ctx.t("help-points-verified")) input type="date" name="verified_on" value=(f.verified_on) required; }
            button type="submit" { (ctx.t("help-points-save")) }
        }
    }
}
