//! The action forms beside a tip: assignment, status, reply, note, priority,
//! labels, transfer. Closing and transferring ask for confirmation (app.js).
use maud::{Markup, html};

use super::auth::Viewer;
use super::labels::Label;
use super::layout::Ctx;
use super::unit_lookup::datalist;
use crate::domain::tip::{MESSAGE_MAX_CHARS, Priority, Resolution, Status};
use crate::storage::dashboard::TipRecord;
use crate::storage::officers::Officer;

/// What the officer had typed into a refused form, shown again.
#[derive(Debug, Default, Clone)]
pub struct FormEcho {
    pub reply: String,
    pub note: String,
    pub duplicate_of: String,
    pub unit: String,
    pub reason: String,
}

pub fn actions_panel(
    ctx: &Ctx<'_>,
    tip: &TipRecord,
    officers: &[Officer],
    viewer: &Viewer,
    echo: &FormEcho,
    units: &[String],
) -> Markup {
    let base = format!("/tips/{}", tip.id);
    html! {
        aside.actions id="actions" {
            (assignment_section(ctx, tip, officers, viewer, &base))
            (status_section(ctx, tip, &base, echo))
            (text_sections(ctx, &base, echo))
            (priority_labels_section(ctx, tip, &base))
            (transfer_section(ctx, &base, echo, units))
        }
    }
}

/// Claim it, or (leads and admins) assign it to an officer of the unit.
fn assignment_section(
    ctx: &Ctx<'_>,
    tip: &TipRecord,
    officers: &[Officer],
    viewer: &Viewer,
    base: &str,
) -> Markup {
    let can_assign = viewer.officer.role.leads();
    html! {
        section {
            h3 { (ctx.t("action-assignment")) }
            @if tip.assignee_id != Some(viewer.officer.id) {
                form.inline method="post" action={ (base) "/claim" } {
                    (ctx.csrf())
                    button id="claim" type="submit" { (ctx.t("action-claim")) }
                }
            }
            @if can_assign {
                form.row method="post" action={ (base) "/assign" } {
                    (ctx.csrf())
                    select name="officer" aria-label=(ctx.t("action-assign-to")) {
                        option value="" { (ctx.t("action-nobody")) }
                        @for o in officers.iter().filter(|o| !o.disabled) {
                            option value=(o.id) selected[tip.assignee_id == Some(o.id)] { (o.username) }
                        }
                    }
                    button type="submit" { (ctx.t("action-assign")) }
                }
            }
        }
    }
}

/// Open, back to new, or close with a resolution (and a duplicate's reference).
fn status_section(ctx: &Ctx<'_>, tip: &TipRecord, base: &str, echo: &FormEcho) -> Markup {
    html! {
        section {
            h3 { (ctx.t("action-status")) }
            div.row {
                @if tip.status != Status::Open {
                    form.inline method="post" action={ (base) "/status" } {
                        (ctx.csrf())
                        input type="hidden" name="status" value="open";
                        button id="open" type="submit" { (ctx.t(if tip.status == Status::Closed { "action-reopen" } else { "action-open" })) }
                    }
                }
                @if tip.status == Status::Open {
                    form.inline method="post" action={ (base) "/status" } {
                        (ctx.csrf())
                        input type="hidden" name="status" value="new";
                        button.secondary type="submit" { (ctx.t("action-mark-new")) }
                    }
                }
            }
            @if tip.status != Status::Closed {
                form.stack id="close-form" method="post" action={ (base) "/status" } data-confirm=(ctx.t("action-close-confirm")) {
                    (ctx.csrf())
                    input type="hidden" name="status" value="closed";
                    label { (ctx.t("action-resolution"))
                        select id="resolution" name="resolution" required {
                            @for r in Resolution::ALL { option value=(r.as_str()) { (ctx.t(r.label_key())) } }
                        }
                    }
                    label { (ctx.t("action-duplicate-of")) input name="duplicate_of" placeholder="TL-…" size="14" value=(echo.duplicate_of); }
                    button id="close" type="submit" { (ctx.t("action-close")) }
                }
            }
        }
    }
}

/// A reply the reporter reads, and an internal note they never see.
fn text_sections(ctx: &Ctx<'_>, base: &str, echo: &FormEcho) -> Markup {
    html! {
        section {
            h3 { (ctx.t("action-reply")) }
            p.muted { (ctx.t("action-reply-help")) }
            form.stack method="post" action={ (base) "/reply" } {
                (ctx.csrf())
                textarea id="reply" name="body" rows="3" maxlength=(MESSAGE_MAX_CHARS) required { (echo.reply) }
                button id="send-reply" type="submit" { (ctx.t("action-reply-send")) }
            }
        }
        section {
            h3 { (ctx.t("action-note")) }
            p.muted { (ctx.t("action-note-help")) }
            form.stack method="post" action={ (base) "/note" } {
                (ctx.csrf())
                textarea id="note" name="body" rows="2" maxlength="5000" required { (echo.note) }
                button.secondary type="submit" { (ctx.t("action-note-save")) }
            }
        }
    }
}

fn priority_labels_section(ctx: &Ctx<'_>, tip: &TipRecord, base: &str) -> Markup {
    html! {
        section {
            h3 { (ctx.t("action-priority-labels")) }
            form.row method="post" action={ (base) "/priority" } {
                (ctx.csrf())
                select name="priority" aria-label=(ctx.t("action-priority")) {
                    @for p in Priority::ALL { option value=(p.as_str()) selected[tip.priority == *p] { (ctx.t(p.label_key())) } }
                }
                button.secondary type="submit" { (ctx.t("action-save")) }
            }
            form.row method="post" action={ (base) "/labels" } {
                (ctx.csrf())
                input name="labels" value=(tip.labels.join(", ")) placeholder=(ctx.t("action-labels-placeholder")) aria-label=(ctx.t("action-labels"));
                button.secondary type="submit" { (ctx.t("action-save")) }
            }
        }
    }
}

fn transfer_section(ctx: &Ctx<'_>, base: &str, echo: &FormEcho, units: &[String]) -> Markup {
    html! {
        section {
            h3 { (ctx.t("action-transfer")) }
            form.stack method="post" action={ (base) "/transfer" } data-confirm=(ctx.t("action-transfer-confirm")) {
                (ctx.csrf())
                label { (ctx.t("action-transfer-unit")) input #transfer-unit name="unit" list="unit-names" placeholder=(ctx.t("action-transfer-unit-placeholder")) required value=(echo.unit); }
                (datalist("unit-names", units))
                p.muted { (ctx.t("action-transfer-unit-help")) }
                label { (ctx.t("action-transfer-reason")) textarea #transfer-reason name="reason" rows="2" maxlength="1000" required { (echo.reason) } }
                button.secondary #transfer type="submit" { (ctx.t("action-transfer-submit")) }
            }
        }
    }
}
