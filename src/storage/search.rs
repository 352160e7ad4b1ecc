//! Full-text search over the tips an officer may see: description, place and
//! the messages exchanged with the reporter.
//!
//! Descriptions and messages are encrypted at rest and only readable through
//! the storage read path (`record_from_row`, `event_from_row`), so the
//! database cannot index them: the search scans the viewer's scope (after the
//! cheap SQL filters), reads each tip the normal way and matches in Rust.
//! Text is compared without case or diacritics, so "nguyen ai quoc" finds
//! "Nguyễn Ái Quốc" and "le loi" finds "Lê Lợi". A scope of a few thousand
//! open tips scans in milliseconds; a unit with far more would want a blind
//! index instead.
use std::collections::HashMap;

use super::dashboard::{Arg, Args, Scope, event_from_row, scope_condition};
use super::queue::{QueueCursor, QueueFilter, QueuePage, QueueRow, rows_after};
use super::{Result, Store};
use crate::domain::tip::EventKind;

/// Lower-case ASCII words: "Hẻm 12, Lê Lợi" -> "hem 12 le loi".
pub fn normalize(s: &str) -> String {
    let ascii = deunicode::deunicode(s).to_lowercase();
    ascii
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A search query: every word must appear somewhere in the tip.
#[derive(Debug, Clone)]
pub struct Needle(Vec<String>);

impl Needle {
    pub fn parse(query: &str) -> Option<Self> {
        let words: Vec<String> = normalize(query)
            .split(' ')
            .filter(|w| !w.is_empty())
            .take(12)
            .map(str::to_string)
            .collect();
        (!words.is_empty()).then_some(Needle(words))
    }

    /// `haystack` must already be normalized. Words match as prefixes of the
    /// haystack's words, so "ng" finds "Nguyễn" but "uyen" does not.
    pub fn matches(&self, haystack: &str) -> bool {
        self.0.iter().all(|w| {
            haystack.starts_with(w.as_str())
                || haystack
                    .match_indices(w.as_str())
                    .any(|(i, _)| haystack[..i].ends_with(' '))
        })
    }
}

/// Extra text to search for a tip that storage does not hold (the ward and
/// province names, which come from the area list).
pub type PlaceText<'a> = &'a (dyn Fn(&super::dashboard::TipRecord) -> String + Send + Sync);

impl Store {
    /// A page of the tips in the view whose text contains every word of
    /// `filter.text`, in the view's order, and the number of matches.
    pub async fn search_page(
        &self,
        scope: &Scope,
        filter: &QueueFilter,
        after: Option<QueueCursor>,
        limit: i64,
        place: PlaceText<'_>,
    ) -> Result<QueuePage> {
        let Some(needle) = filter.text.as_deref().and_then(Needle::parse) else {
            return Ok(QueuePage {
                tips: Vec::new(),
                next: None,
                total: 0,
            });
        };
        let rows = self.queue_scan(scope, filter).await?;
        let messages = self.message_texts(scope).await?;
        let matched: Vec<(QueueRow, QueueCursor)> = rows
            .into_iter()
            .filter(|(r, _)| {
                let t = &r.tip;
                let mut text = format!("{} {} {}", t.reference, t.description, place(t));
                if let Some(m) = messages.get(&t.id) {
                    text.push(' ');
                    text.push_str(m);
                }
                needle.matches(&normalize(&text))
            })
            .collect();
        let total = matched.len() as i64;
        let mut page = rows_after(matched, filter.sort, after.as_ref());
        let next = (page.len() as i64 > limit).then(|| {
            page.truncate(limit as usize);
            page[limit as usize - 1].1.clone()
        });
        Ok(QueuePage {
            tips: page.into_iter().map(|(r, _)| r).collect(),
            next,
            total,
        })
    }

    /// The reporter's follow-ups and the officers' replies of every tip in
    /// `scope`, joined per tip (internal notes are searched too: they are
    /// the officers' own words about the tip).
    async fn message_texts(&self, scope: &Scope) -> Result<HashMap<i64, String>> {
        let mut args = Args::default();
        let cond = scope_condition(scope, &mut args);
        let kinds: Vec<String> = [EventKind::FollowUp, EventKind::Reply, EventKind::Note]
            .iter()
            .map(|k| args.push(Arg::S(k.as_str().to_string())))
            .collect();
        let sql = format!(
            "SELECT e.id, e.tip_id, e.kind, e.actor, e.value, e.body, e.created_at FROM tip_events e \
             JOIN tips t ON t.id = e.tip_id WHERE {cond} AND e.kind IN ({}) ORDER BY e.id",
            kinds.join(", ")
        );
        let rows = args.bind(sqlx::query(&sql)).fetch_all(&self.pool).await?;
        let mut out: HashMap<i64, String> = HashMap::new();
        for r in &rows {
            let tip_id: i64 = sqlx::Row::get(r, "tip_id");
            let e = event_from_row(&self.keys, r)?;
            let s = out.entry(tip_id).or_default();
            s.push(' ');
            s.push_str(&e.body);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_compared_without_case_or_diacritics() {
        assert_eq!(normalize("Hẻm 12, Lê Lợi — ĐƯỜNG"), "hem 12 le loi duong");
        let n = Needle::parse("nguyen ai quoc").unwrap();
        assert!(n.matches(&normalize("Nhà số 5 đường Nguyễn Ái Quốc, Biên Hòa")));
        assert!(!n.matches(&normalize("Nhà số 5 đường Nguyễn Trãi")));
    }

    #[test]
    fn words_match_at_the_start_of_words_only() {
        let h = normalize("Quán karaoke Hoàng Gia");
        assert!(Needle::parse("hoang").unwrap().matches(&h));
        assert!(Needle::parse("kara").unwrap().matches(&h));
        assert!(!Needle::parse("oang").unwrap().matches(&h));
    }

    #[test]
    fn an_empty_or_symbol_only_query_is_no_query() {
        assert!(Needle::parse("  ").is_none());
        assert!(Needle::parse("%_*").is_none());
    }
}
