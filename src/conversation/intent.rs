//! Reading free text before searching with it: a report typed straight in,
//! a cancel word, a greeting, a time in words. Simple rules over phrase lists
//! kept in the locale files (`phrases.ftl`), so they are data, not code.
//! Both languages' lists apply in every session: people mix languages.
use super::engine::InboundCtx;
use super::state::{Draft, Session, Step};
use super::types::{Choice, Ctx, Input, Outcome, Reply};
use super::{learn, menu, report};
use crate::domain::text::{char_len, clean_user_text, fold};
use crate::domain::tip::{DESCRIPTION_MAX_CHARS, DESCRIPTION_MIN_CHARS, WhenSeen};
use crate::i18n::Lang;

/// Folded phrases of one list, in every language.
fn phrases(ctx: &Ctx<'_>, key: &str) -> Vec<String> {
    Lang::ALL
        .iter()
        .flat_map(|l| ctx.i18n.phrases(*l, key))
        .map(|p| fold(p))
        .filter(|p| !p.is_empty())
        .collect()
}

/// Whether `phrase` occurs in `text` as whole words (both folded).
fn contains_words(text: &str, phrase: &str) -> bool {
    format!(" {text} ").contains(&format!(" {phrase} "))
}

/// "có người bán ma túy ở hẻm 5…", "I want to report…".
pub fn is_report(ctx: &Ctx<'_>, text: &str) -> bool {
    let text = fold(text);
    phrases(ctx, "phrases-report")
        .iter()
        .any(|p| contains_words(&text, p))
}

/// The whole message is a cancel word ("huỷ", "thôi", "cancel").
pub fn is_cancel(ctx: &Ctx<'_>, text: &str) -> bool {
    let text = fold(text);
    !text.is_empty() && phrases(ctx, "phrases-cancel").contains(&text)
}

/// The whole message is a greeting ("xin chào", "hi").
pub fn is_greeting(ctx: &Ctx<'_>, text: &str) -> bool {
    let text = fold(text);
    !text.is_empty() && phrases(ctx, "phrases-greeting").contains(&text)
}

/// The closest "when" option for a time in words: the longest matching phrase
/// wins ("tối qua khoảng 10 giờ" -> this week); a clock time alone
/// ("khoảng 10 giờ", "10pm") means today. None when nothing is recognised.
pub fn when_from_words(ctx: &Ctx<'_>, text: &str) -> Option<WhenSeen> {
    let text = fold(text);
    let mut best: Option<(usize, WhenSeen)> = None;
    for when in [WhenSeen::Now, WhenSeen::ThisWeek, WhenSeen::Earlier] {
        for p in phrases(ctx, &format!("phrases-when-{when}")) {
            if contains_words(&text, &p) && best.is_none_or(|(len, _)| p.len() > len) {
                best = Some((p.len(), when));
            }
        }
    }
    best.map(|(_, w)| w)
        .or_else(|| has_clock_time(&text).then_some(WhenSeen::Now))
}

/// "10 gio", "10h", "22h30", "10 pm", "9am".
fn has_clock_time(folded: &str) -> bool {
    let words: Vec<&str> = folded.split(' ').collect();
    words.iter().enumerate().any(|(i, w)| {
        let digits = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        let unit = &w[digits.len()..];
        let hour = digits
            .split('h')
            .next()
            .and_then(|h| h.parse::<u32>().ok())
            .is_some_and(|h| h <= 24);
        let next = words.get(i + 1).copied().unwrap_or("");
        let glued = matches!(unit, "h" | "g" | "am" | "pm" | "gio") || w.contains('h');
        hour && !digits.is_empty() && (glued || matches!(next, "gio" | "h" | "am" | "pm"))
    })
}

/// "Bạn muốn gửi tin báo ẩn danh về việc này?" keeping the text for the draft.
pub fn offer_report(session: &mut Session, text: &str, ctx: &mut Ctx<'_>, out: &mut Outcome) {
    let l = session.lang;
    session.step = Step::ReportOffer {
        text: clean_user_text(text),
    };
    let options = vec![
        Choice::new("offer:report", ctx.i18n.tr(l, "intent-report-yes")),
        Choice::new("offer:search", ctx.i18n.tr(l, "intent-report-no")),
        Choice::new("offer:menu", ctx.i18n.tr(l, "back-to-menu")),
    ];
    out.replies.push(Reply::with_options(
        ctx.i18n.tr(l, "intent-report-offer"),
        options,
    ));
}

pub fn on_offer(
    session: &mut Session,
    text: String,
    input: Input,
    ic: &InboundCtx,
    ctx: &mut Ctx<'_>,
    out: &mut Outcome,
) {
    match input {
        Input::Choice(id) if id == "offer:report" => start_with_text(session, text, ic, ctx, out),
        Input::Choice(id) if id == "offer:search" => learn::search(session, &text, ctx, out),
        Input::Choice(_) => menu::show(session, ctx, out),
        // Anything else is a new message: read it afresh, from the menu.
        other => {
            session.step = Step::Menu;
            menu::on_menu(session, &other, ic, ctx, out)
        }
    }
}

/// Starts (or resumes) a report with the typed text as its description when
/// it is a description's length; a bare "tôi muốn báo tin" is not one.
fn start_with_text(
    session: &mut Session,
    text: String,
    ic: &InboundCtx,
    ctx: &mut Ctx<'_>,
    out: &mut Outcome,
) {
    let fits = (DESCRIPTION_MIN_CHARS..=DESCRIPTION_MAX_CHARS).contains(&char_len(&text));
    let draft = session.draft.get_or_insert_with(Draft::default);
    if fits && draft.description.is_none() {
        draft.description = Some(text);
        out.replies
            .push(Reply::text(ctx.i18n.tr(session.lang, "intent-report-kept")));
    }
    session.step = Step::Menu;
    report::start_or_resume(session, ic, ctx, out);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_match_whole_words_only() {
        assert!(contains_words(
            "co nguoi ban ma tuy o hem 5",
            "co nguoi ban"
        ));
        assert!(!contains_words("co nguoi banh mi", "co nguoi ban"));
    }

    #[test]
    fn clock_times_are_recognised_in_both_languages() {
        for t in ["khoang 10 gio", "luc 22h30", "around 10 pm", "9am", "10h"] {
            assert!(has_clock_time(t), "{t}");
        }
        for t in ["phuong 10", "quan 1", "10a1", "khoang 99 gio"] {
            assert!(!has_clock_time(t), "{t}");
        }
    }
}
