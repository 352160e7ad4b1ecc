//! Place search over new and old names, built once when the lists load.
//!
//! Ranking is deterministic and explainable, best first:
//! 0. a new ward or province named exactly so (or a province nickname: "tphcm");
//! 1. an old unit named exactly so ("Quận 1", "Thành phố Thủ Đức");
//! 2. a new name that starts with or contains all the words;
//! 3. an old name that does;
//! 4. a new name within a small edit distance ("bien hao"), then 5. an old one.
//!
//! Ties go to wards before old units before provinces, then by name.
//! A district or province typed after the name ("phường 7 quận 3",
//! "biên hòa, đồng nai") keeps only the places inside it when any are.
use std::collections::{BTreeMap, HashMap};

use super::former::{FormerId, FormerLevel, FormerUnit};
use super::query::{self, Query, Segment};
use super::{AreaHit, Areas, Province, ProvinceCode, Ward, WardCode};
use crate::domain::text::fold;

/// Sort key of a match: (outside the given context, tier, edit distance).
type Key = (bool, u8, usize);
/// Matches of one reading, best first.
type Ranked<'a> = Vec<(Key, &'a Entry)>;

/// Short names people use for provinces, as (nickname, folded province name).
const NICKNAMES: [(&str, &str); 9] = [
    ("tphcm", "ho chi minh"),
    ("hcm", "ho chi minh"),
    ("hcmc", "ho chi minh"),
    ("sg", "ho chi minh"),
    ("saigon", "ho chi minh"),
    ("hn", "ha noi"),
    ("hp", "hai phong"),
    ("brvt", "ho chi minh"),
    ("dnang", "da nang"),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Target {
    Ward(WardCode),
    Former(FormerId),
    Province(ProvinceCode),
}

#[derive(Debug)]
struct Entry {
    target: Target,
    /// Folded unit kind ("phuong", "quan"...); "tinh" for any province.
    kind: &'static str,
    core: String,
    compact: String,
    words: Vec<String>,
    old: bool,
    district_kind: &'static str,
    district_core: String,
    /// Folded names of the province it lies in, new and old.
    provinces: Vec<String>,
    sort_name: String,
}

#[derive(Debug, Default)]
pub(super) struct NameIndex {
    entries: Vec<Entry>,
    /// Entries by each word of their name, and by their name without spaces,
    /// so a search looks only at entries sharing a word with the query.
    by_word: HashMap<String, Vec<usize>>,
    by_compact: HashMap<String, Vec<usize>>,
    /// Every folded province name and nickname -> the folded current name.
    province_names: HashMap<String, String>,
}

fn compact(s: &str) -> String {
    s.chars().filter(|c| *c != ' ').collect()
}

impl NameIndex {
    pub(super) fn build(
        provinces: &BTreeMap<ProvinceCode, Province>,
        wards: &BTreeMap<WardCode, Ward>,
        formers: &[FormerUnit],
    ) -> NameIndex {
        let mut idx = NameIndex::default();
        let current = |p: ProvinceCode| {
            provinces
                .get(&p)
                .map_or(String::new(), |p| p.folded.clone())
        };
        for p in provinces.values() {
            idx.province_names
                .insert(p.folded.clone(), p.folded.clone());
            idx.push(
                Target::Province(p.code),
                "tinh",
                &p.folded,
                false,
                vec![p.folded.clone()],
                &p.name,
            );
        }
        for (nick, core) in NICKNAMES {
            if let Some(p) = provinces.values().find(|p| p.folded == core) {
                idx.province_names
                    .insert(nick.to_string(), p.folded.clone());
                idx.push(
                    Target::Province(p.code),
                    "tinh",
                    nick,
                    false,
                    vec![p.folded.clone()],
                    &p.name,
                );
            }
        }
        for w in wards.values() {
            let kind = static_kind(&w.folded_kind);
            idx.push(
                Target::Ward(w.code),
                kind,
                &w.folded_core,
                false,
                vec![current(w.province)],
                &w.name,
            );
        }
        for (i, f) in formers.iter().enumerate() {
            let provinces = vec![current(f.province), f.old_province_core.clone()];
            let (target, kind) = match f.level {
                FormerLevel::Province => {
                    idx.province_names
                        .insert(f.old_province_core.clone(), current(f.province));
                    (Target::Province(f.province), "tinh")
                }
                _ => (Target::Former(FormerId(i)), f.folded_kind),
            };
            let core = if f.level == FormerLevel::Province {
                &f.old_province_core
            } else {
                &f.folded_core
            };
            idx.push(target, kind, core, true, provinces, &f.name);
            if let Some(e) = idx.entries.last_mut() {
                e.district_kind = f.district_kind;
                e.district_core = f.district_core.clone();
            }
        }
        idx
    }

    fn push(
        &mut self,
        target: Target,
        kind: &'static str,
        core: &str,
        old: bool,
        provinces: Vec<String>,
        name: &str,
    ) {
        let id = self.entries.len();
        for w in core.split(' ') {
            let ids = self.by_word.entry(w.to_string()).or_default();
            if ids.last() != Some(&id) {
                ids.push(id);
            }
        }
        self.by_compact.entry(compact(core)).or_default().push(id);
        self.entries.push(Entry {
            target,
            kind,
            core: core.to_string(),
            compact: compact(core),
            words: core.split(' ').map(str::to_string).collect(),
            old,
            district_kind: "",
            district_core: String::new(),
            provinces,
            sort_name: fold(name),
        });
    }

    /// The readings of `text`, best-matching first by (inside context, tier),
    /// then the most specific; when nothing lies inside the district or
    /// province given, that district or province itself ("phường 7 quận 3"
    /// after phường 7 was merged away: what Quận 3 became).
    fn best_matches(&self, text: &str) -> Vec<(Key, &Entry)> {
        let readings = query::parse(text, |n| self.province_names.contains_key(n));
        let mut best: Option<(Key, usize, Ranked<'_>)> = None;
        for q in &readings {
            let hits = self.ranked(q, false);
            let Some(top) = hits.first().map(|h| h.0) else {
                continue;
            };
            let better = best.as_ref().is_none_or(|(k, n, _)| {
                (top.0, top.1) < (k.0, k.1)
                    || ((top.0, top.1) == (k.0, k.1) && q.context.len() > *n)
            });
            if better {
                best = Some((top, q.context.len(), hits));
            }
        }
        match (best, readings.first()) {
            (Some((top, _, hits)), Some(q)) if top.0 && !q.context.is_empty() => {
                let wider = Query {
                    primary: q.context[0].clone(),
                    context: q.context[1..].to_vec(),
                };
                let wide = self.ranked(&wider, false);
                if wide.first().is_some_and(|h| !h.0.0) {
                    wide
                } else {
                    hits
                }
            }
            (Some((_, _, hits)), _) => hits,
            (None, Some(q)) => self.ranked(q, true),
            (None, None) => Vec::new(),
        }
    }
}

fn static_kind(kind: &str) -> &'static str {
    super::WARD_PREFIXES
        .iter()
        .map(|p| p.trim_end())
        .find(|k| *k == kind)
        .unwrap_or("")
}

/// How well a name matches: lower is better, None is no match.
fn name_level(e: &Entry, q: &Segment, q_compact: &str) -> Option<u8> {
    if e.core == q.name || e.compact == q_compact {
        return Some(0);
    }
    if e.core.starts_with(&q.name) && e.core[q.name.len()..].starts_with(' ') {
        return Some(1);
    }
    let has_word = |t: &str| e.words.iter().any(|w| w == t);
    let mut tokens = q.name.split(' ');
    if tokens.clone().all(has_word) {
        return Some(2);
    }
    // A number must match whole: "1" is not "10".
    let prefix_ok = |t: &str| {
        !t.chars().all(|c| c.is_ascii_digit()) && e.words.iter().any(|w| w.starts_with(t))
    };
    if tokens.all(|t| has_word(t) || prefix_ok(t)) {
        return Some(3);
    }
    None
}

/// The edit distance allowed for a typo, by length of the typed name.
fn typo_budget(q_compact: &str) -> usize {
    match q_compact.len() {
        0..=4 => 0,
        5..=9 => 1,
        _ => 2,
    }
}

fn kind_ok(q: &Segment, e: &Entry) -> bool {
    match q.kind {
        None => true,
        Some(k) if e.kind == "tinh" => k == "tinh" || k == "thanh pho",
        Some(k) => k == e.kind,
    }
}

impl NameIndex {
    /// Entries named exactly so without spaces, or with a word that is (or,
    /// for words, starts with) the query's first word: every entry that
    /// `name_level` can match.
    fn candidates(&self, name: &str, q_compact: &str) -> Vec<usize> {
        let first = name.split(' ').next().unwrap_or("");
        let numeric = first.chars().all(|c| c.is_ascii_digit());
        let mut ids: Vec<usize> = self.by_compact.get(q_compact).cloned().unwrap_or_default();
        if numeric {
            ids.extend(self.by_word.get(first).into_iter().flatten());
        } else {
            for (word, list) in &self.by_word {
                if word.starts_with(first) {
                    ids.extend(list);
                }
            }
        }
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// Whether every context segment (district or province) contains the entry.
    fn in_context(&self, e: &Entry, context: &[Segment]) -> bool {
        context.iter().all(|c| {
            let province = self.province_names.get(&c.name);
            let in_province =
                province.is_some_and(|p| e.provinces.contains(p)) || e.provinces.contains(&c.name);
            let district_kind_ok = c.kind.is_none_or(|k| k == e.district_kind || k == "tinh");
            let in_district =
                !e.district_core.is_empty() && e.district_core == c.name && district_kind_ok;
            in_province || in_district
        })
    }

    /// Entries matching one reading, best first; typos only when `fuzzy`.
    fn ranked(&self, q: &Query, fuzzy: bool) -> Vec<(Key, &Entry)> {
        let q_compact = compact(&q.primary.name);
        let mut hits: Vec<(Key, &Entry)> = Vec::new();
        let candidates = self.candidates(&q.primary.name, &q_compact);
        let candidates = candidates.iter().filter_map(|i| self.entries.get(*i));
        for e in candidates.filter(|e| kind_ok(&q.primary, e)) {
            if let Some(level) = name_level(e, &q.primary, &q_compact) {
                let tier = if level == 0 { 0 } else { 2 } + u8::from(e.old);
                hits.push(((!self.in_context(e, &q.context), tier, 0), e));
            }
        }
        if hits.is_empty() && fuzzy {
            let budget = typo_budget(&q_compact);
            for e in self.entries.iter().filter(|e| kind_ok(&q.primary, e)) {
                if budget == 0 || e.compact.len().abs_diff(q_compact.len()) > budget {
                    continue;
                }
                let d = strsim::osa_distance(&e.compact, &q_compact);
                if d <= budget {
                    let miss = !self.in_context(e, &q.context);
                    hits.push(((miss, 4 + u8::from(e.old), d), e));
                }
            }
        }
        // Something inside the given district/province: drop what is outside.
        if hits.iter().any(|(k, _)| !k.0) {
            hits.retain(|(k, _)| !k.0);
        }
        hits.sort_by(|a, b| {
            a.0.cmp(&b.0)
                .then_with(|| a.1.target_rank().cmp(&b.1.target_rank()))
                .then_with(|| a.1.sort_name.cmp(&b.1.sort_name))
                .then_with(|| a.1.target.cmp(&b.1.target))
        });
        hits
    }
}

impl Entry {
    fn target_rank(&self) -> u8 {
        match self.target {
            Target::Ward(_) => 0,
            Target::Former(_) => 1,
            Target::Province(_) => 2,
        }
    }
}

impl Areas {
    /// Finds places by new or old name, ignoring diacritics, case, separators
    /// and unit words; see the module docs for the order. At most `limit` hits;
    /// an old unit whose new wards are all already listed is left out.
    pub fn search(&self, text: &str, limit: usize) -> Vec<AreaHit> {
        let mut out: Vec<AreaHit> = Vec::new();
        let mut covered: Vec<WardCode> = Vec::new();
        // A new ward named in full, kind included ("xã Đức Huệ"), comes first,
        // even where an old district of the same name is what the bare name
        // ("Đức Huệ") stands for.
        for w in self.wards_named_in_full(text).take(limit) {
            covered.push(w);
            out.push(AreaHit::Ward(w));
        }
        for (_, e) in self.index.best_matches(text) {
            if out.len() >= limit {
                break;
            }
            let hit = match e.target {
                Target::Ward(w) => AreaHit::Ward(w),
                Target::Former(id) => AreaHit::Former(id),
                Target::Province(p) => AreaHit::Province(p),
            };
            let wards = self.hit_wards(hit);
            let redundant =
                matches!(hit, AreaHit::Former(_)) && wards.iter().all(|w| covered.contains(w));
            if out.contains(&hit) || redundant {
                continue;
            }
            covered.extend(wards);
            out.push(hit);
        }
        out
    }

    fn wards_named_in_full(&self, text: &str) -> impl Iterator<Item = WardCode> + '_ {
        let folded = fold(text);
        let (kind, core) = super::split_kind(&folded, &super::WARD_PREFIXES);
        let (kind, core) = (kind.to_string(), core.to_string());
        self.wards
            .values()
            .filter(move |w| !kind.is_empty() && w.folded_kind == kind && w.folded_core == core)
            .map(|w| w.code)
    }
}
