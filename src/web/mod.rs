//! The officer dashboard: server-rendered pages (maud) on the shared axum
//! server. Authorization is decided once, by the [`auth::Viewer`] extractor and
//! the scoped storage queries; handlers never see a tip outside the scope.
use std::sync::Arc;

use axum::Router;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use crate::app::AppState;
use crate::storage::StorageError;
use crate::storage::tip_actions::ActionError;

pub mod account;
pub mod actions;
pub mod admin;
pub mod assets;
pub mod audit;
pub mod auth;
pub mod bulk;
pub mod campaign_compose;
pub mod campaigns;
pub mod charts;
pub mod classes;
pub mod compose_input;
pub mod cookies;
pub mod help_points;
pub mod labels;
pub mod layout;
pub mod login_guard;
pub mod officer_create;
pub mod outcome;
pub mod password;
pub mod queue;
pub mod queue_query;
pub mod queue_view;
pub mod report;
pub mod security;
pub mod site_verify;
pub mod stats;
pub mod stats_chart;
pub mod stats_table;
pub mod text;
pub mod tip;
pub mod tip_forms;
pub mod tip_view;
pub mod trace;
pub mod unit_lookup;

/// Dashboard settings, from the validated configuration.
#[derive(Debug, Clone)]
pub struct WebSettings {
    /// Minutes without a request after which a session ends.
    pub idle_minutes: i64,
    /// Hours a tip may wait for a first response before it is flagged.
    pub sla_hours: i64,
    /// Retention of closed tips when no admin has set one.
    pub default_retention_days: i64,
    /// Cookies get `Secure` when the public URL is https.
    pub secure_cookies: bool,
    /// Take the client address from X-Forwarded-For (behind a reverse proxy).
    pub trust_proxy: bool,
    /// Hours after sign-in when a session ends even while in use.
    pub session_max_hours: i64,
    /// Login backoff: each attempt past the allowance waits this much longer.
    pub login_backoff_seconds: i64,
}

impl WebSettings {
    pub fn from_state(state: &AppState) -> Self {
        let web = &state.config.web;
        WebSettings {
            idle_minutes: web.idle_minutes,
            session_max_hours: web.session_max_hours,
            login_backoff_seconds: web.login_backoff_seconds,
            sla_hours: web.sla_hours,
            default_retention_days: web.default_retention_days,
            secure_cookies: state.config.public_url.starts_with("https://"),
            trust_proxy: web.trust_proxy,
        }
    }
}

/// The dashboard's routes, with its security layers.
pub fn routes(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/", get(site_verify::home))
        .route("/login", get(auth::login_page).post(auth::login))
        .route("/logout", post(auth::logout))
        .route("/queue", get(queue::page))
        .route("/queue/bulk", post(bulk::apply))
        .route("/tips/{id}/activity", get(tip::activity))
        .route("/tips/{id}", get(tip::page))
        .route("/tips/{id}/attachments/{attachment}", get(tip::attachment))
        .route("/tips/{id}/claim", post(actions::claim))
        .route("/tips/{id}/assign", post(actions::assign))
        .route("/tips/{id}/status", post(actions::status))
        .route("/tips/{id}/priority", post(actions::priority))
        .route("/tips/{id}/labels", post(actions::labels))
        .route("/tips/{id}/note", post(actions::note))
        .route("/tips/{id}/transfer", post(actions::transfer))
        .route("/tips/{id}/reply", post(actions::reply))
        .route("/tips/{id}/outcome", post(outcome::save))
        .route("/stats", get(stats::page))
        .route("/reports", get(report::page))
        .route("/reports/view", get(report::view))
        .route("/reports/export", get(report::export))
        .route("/static/report.css", get(report::css))
        .route("/static/report.js", get(report::js))
        .route("/stats/export.csv", get(stats::csv))
        .route("/stats/chart/{name}", get(stats_chart::chart))
        .route("/audit", get(audit::audit_page))
        .route("/classes", get(classes::page).post(classes::create))
        .route("/lop/{token}", get(classes::results))
        .route("/admin", get(admin::page))
        .route("/admin/officers", post(admin::create_officer))
        .route("/admin/officers/{id}/disable", post(admin::disable_officer))
        .route("/admin/officers/{id}/enable", post(admin::enable_officer))
        .route("/admin/officers/{id}/reset", post(admin::reset_password))
        .route("/admin/units", post(admin::save_unit))
        .route("/admin/settings", post(admin::save_settings))
        .route("/admin/help", get(help_points::page).post(help_points::add))
        .route("/admin/help/{id}", post(help_points::edit))
        .route("/admin/help/{id}/delete", post(help_points::delete))
        .route("/account", get(account::page))
        .route("/account/lang", post(account::set_lang))
        .route("/account/password", post(account::change_password))
        .route("/account/totp/start", post(account::totp_start))
        .route("/account/totp/confirm", post(account::totp_confirm))
        .route("/account/totp/disable", post(account::totp_disable))
        .route("/static/app.css", get(assets::css))
        .route("/static/app.js", get(assets::js))
        .merge(campaigns::routes())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            security::csrf_guard,
        ))
        .layer(axum::middleware::from_fn(security::headers))
        .with_state(state)
}

/// What a dashboard handler can fail with. The cause is logged; the officer
/// sees a plain page that reveals nothing about other units.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    #[error("bad request")]
    BadRequest,
    #[error("storage: {0}")]
    Storage(#[from] StorageError),
}

impl From<ActionError> for WebError {
    fn from(e: ActionError) -> Self {
        match e {
            ActionError::NotFound => WebError::NotFound,
            ActionError::ReadOnly => WebError::Forbidden,
            ActionError::Invalid(_) => WebError::BadRequest,
            ActionError::Storage(s) => WebError::Storage(s),
        }
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let (code, vi, en) = match &self {
            WebError::NotFound => (StatusCode::NOT_FOUND, "Không tìm thấy.", "Not found."),
            WebError::Forbidden => (
                StatusCode::FORBIDDEN,
                "Bạn không có quyền thực hiện việc này.",
                "You may not do this.",
            ),
            WebError::BadRequest => (
                StatusCode::BAD_REQUEST,
                "Yêu cầu không hợp lệ.",
                "Invalid request.",
            ),
            WebError::Storage(e) => {
                tracing::error!(error = %e, "dashboard storage error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Hệ thống đang bận, vui lòng thử lại.",
                    "The system is busy; please try again.",
                )
            }
        };
        (
            code,
            layout::bare_page(&format!("{} {}", code.as_u16(), en), vi, en),
        )
            .into_response()
    }
}

pub type WebResult<T> = Result<T, WebError>;
