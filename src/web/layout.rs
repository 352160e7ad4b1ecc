//! The page shell (header, navigation, flash message) and the login page.
//! maud escapes every interpolated value; nothing here uses PreEscaped.
use axum::http::header::SET_COOKIE;
use axum::response::{IntoResponse, Response};
use fluent_bundle::FluentValue;
use maud::{DOCTYPE, Markup, html};

use super::auth::Viewer;
use super::cookies;
use crate::i18n::{I18n, Lang};

/// Translation context for one page.
pub struct Ctx<'a> {
    pub i18n: &'a I18n,
    pub lang: Lang,
    pub viewer: Option<&'a Viewer>,
}

impl<'a> Ctx<'a> {
    pub fn anonymous(i18n: &'a I18n, lang: Lang) -> Self {
        Ctx {
            i18n,
            lang,
            viewer: None,
        }
    }

    pub fn new(i18n: &'a I18n, viewer: &'a Viewer) -> Self {
        Ctx {
            i18n,
            lang: viewer.lang(),
            viewer: Some(viewer),
        }
    }

    pub fn t(&self, key: &str) -> String {
        self.i18n.tr(self.lang, key)
    }

    pub fn ta(&self, key: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        self.i18n.tr_args(self.lang, key, args)
    }

    /// The hidden CSRF field every form of a signed-in page carries.
    pub fn csrf(&self) -> Markup {
        let token = self.viewer.map(|v| v.csrf.as_str()).unwrap_or("");
        html! { input type="hidden" name="csrf" value=(token); }
    }
}

fn head(title: &str) -> Markup {
    html! {
        head {
            meta charset="utf-8";
            meta name="viewport" content="width=device-width, initial-scale=1";
            title { (title) " · Tipline" }
            link rel="stylesheet" href="/static/app.css";
            script src="/static/app.js" defer {}
        }
    }
}

/// A signed-in page. Shows (and clears) the flash message left by the last action.
pub fn shell(
    ctx: &Ctx<'_>,
    title: &str,
    active: &str,
    new_count: Option<i64>,
    body: Markup,
) -> Response {
    let viewer = ctx.viewer;
    let flash = viewer
        .and_then(|v| v.flash.clone())
        .filter(|k| ctx.i18n.has(ctx.lang, k));
    let nav = |href: &str, key: &str, name: &str| {
        html! { a href=(href) class=@if active == name { "active" } { (ctx.t(key)) } }
    };
    let markup = html! {
        (DOCTYPE)
        html lang=(ctx.lang.code()) {
            (head(title))
            body {
                header.top {
                    a.brand href="/queue" { "Tipline" }
                    nav {
                        (nav("/queue", "nav-queue", "queue"))
                        @if let Some(n) = new_count.filter(|n| *n > 0) {
                            span.badge.new title=(ctx.t("queue-new-count-title")) { (n) }
                        }
                        (nav("/stats", "nav-stats", "stats"))
                        (nav("/reports", "nav-reports", "reports"))
                        @if viewer.is_some_and(|v| v.can_audit()) { (nav("/audit", "nav-audit", "audit")) }
                        (nav("/classes", "nav-classes", "classes"))
                        @if viewer.is_some_and(|v| v.is_admin()) { (nav("/campaigns", "nav-campaigns", "campaigns")) }
                        @if viewer.is_some_and(|v| v.is_admin()) { (nav("/admin", "nav-admin", "admin")) }
                        (nav("/account", "nav-account", "account"))
                    }
                    @if let Some(v) = viewer {
                        span.who { (v.officer.username) " · " (v.officer.unit) }
                        form.inline method="post" action="/account/lang" {
                            (ctx.csrf())
                            input type="hidden" name="lang" value=(if ctx.lang == Lang::Vi { "en" } else { "vi" });
                            button.link type="submit" { (if ctx.lang == Lang::Vi { "English" } else { "Tiếng Việt" }) }
                        }
                        form.inline method="post" action="/logout" {
                            (ctx.csrf())
                            button.link type="submit" { (ctx.t("nav-logout")) }
                        }
                    }
                }
                main {
                    @if let Some(key) = &flash {
                        // One look for all feedback: refusals red, successes green.
                        @if key.contains("-error") {
                            p.error role="alert" { (ctx.t(key)) }
                        } @else {
                            p.flash role="status" { (ctx.t(key)) }
                        }
                    }
                    (body)
                }
            }
        }
    };
    let mut res = markup.into_response();
    if flash.is_some() || viewer.is_some_and(|v| v.flash.is_some()) {
        let secure = viewer.is_some_and(|v| v.settings.secure_cookies);
        if let Ok(v) = cookies::clear(cookies::FLASH, secure).parse() {
            res.headers_mut().append(SET_COOKIE, v);
        }
    }
    res
}

/// A page for people without an account (a teacher's class results): no
/// navigation, in the language the link asked for.
pub fn public_page(ctx: &Ctx<'_>, title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(ctx.lang.code()) {
            (head(title))
            body { main.narrow { (body) } }
        }
    }
}

/// A minimal bilingual page for errors, where no session may exist.
pub fn bare_page(title: &str, vi: &str, en: &str) -> Markup {
    html! {
        (DOCTYPE)
        html lang="vi" {
            (head(title))
            body {
                main.narrow {
                    h1 { (title) }
                    p { (vi) }
                    p lang="en" { (en) }
                    p { a href="/queue" { "Tipline" } }
                }
            }
        }
    }
}

pub fn login_view(ctx: &Ctx<'_>, csrf: &str, error: Option<&str>, next: &str) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(ctx.lang.code()) {
            (head(&ctx.t("login-title")))
            body {
                main.narrow {
                    h1 { (ctx.t("login-title")) }
                    p.muted { (ctx.t("login-intro")) }
                    @if let Some(key) = error {
                        p.error role="alert" { (ctx.t(key)) }
                    }
                    form.stack method="post" action="/login" {
                        input type="hidden" name="csrf" value=(csrf);
                        input type="hidden" name="next" value=(next);
                        label { (ctx.t("login-username")) input name="username" autocomplete="username" required autofocus; }
                        label { (ctx.t("login-password")) input name="password" type="password" autocomplete="current-password" required; }
                        label { (ctx.t("login-totp")) input name="totp" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6"; }
                        button type="submit" { (ctx.t("login-submit")) }
                    }
                    p.muted {
                        a href="/login?lang=vi" { "Tiếng Việt" } " · " a href="/login?lang=en" { "English" }
                    }
                }
            }
        }
    }
}
