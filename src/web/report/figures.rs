//! A report flattened to (section, key, sub, value) rows: the CSV is these
//! rows, and every number in the HTML carries its row's key in `data-k`, so
//! the formats cannot drift apart.
use super::super::outcome::number;
use super::model::{Report, Uplift};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figure {
    pub section: &'static str,
    pub key: String,
    pub sub: String,
    pub value: String,
}

impl Figure {
    /// The `data-k` attribute of the HTML cell showing this figure.
    pub fn data_key(&self) -> String {
        data_key(self.section, &self.key, &self.sub)
    }
}

pub fn data_key(section: &str, key: &str, sub: &str) -> String {
    format!("{section}|{key}|{sub}")
}

struct Rows(Vec<Figure>);

impl Rows {
    fn add(&mut self, section: &'static str, key: &str, sub: &str, value: impl ToString) {
        self.0.push(Figure {
            section,
            key: key.to_string(),
            sub: sub.to_string(),
            value: value.to_string(),
        });
    }
}

fn opt(v: Option<f64>) -> String {
    v.map(number).unwrap_or_default()
}

impl Report {
    pub fn figures(&self) -> Vec<Figure> {
        let mut r = Rows(Vec::new());
        let t = &self.tips;
        r.add("tips", "total", "", t.total);
        for (k, v) in &t.by_category {
            r.add("tips_by_category", k, "", v);
        }
        for (k, v) in &t.by_channel {
            r.add("tips_by_channel", k, "", v);
        }
        for w in &t.by_ward {
            let code = w.ward_code.map(|c| c.to_string()).unwrap_or_default();
            r.add("tips_by_ward", &code, "total", w.total);
            for (k, v) in &w.by_category {
                r.add("tips_by_ward", &code, k, v);
            }
        }
        for s in &t.by_status {
            r.add(
                "tips_by_status",
                &s.status,
                s.resolution.as_deref().unwrap_or(""),
                s.n,
            );
        }
        r.add(
            "median_hours",
            "first_response",
            "",
            opt(t.median_first_response_hours),
        );
        r.add("median_hours", "close", "", opt(t.median_close_hours));
        self.outcome_figures(&mut r);
        self.awareness_figures(&mut r);
        for w in &self.weekly {
            r.add("weekly", &w.from, "total", w.total);
            for (k, v) in &w.by_category {
                r.add("weekly", &w.from, k, v);
            }
        }
        if let Some(ly) = &self.last_year {
            r.add("last_year", "total", "", ly.total);
            for (k, v) in &ly.by_category {
                r.add("last_year", k, "", v);
            }
        }
        for u in &self.campaigns {
            uplift_figures(&mut r, u);
        }
        r.0
    }

    fn outcome_figures(&self, r: &mut Rows) {
        let o = &self.outcomes;
        for (k, v) in [
            ("actioned", o.actioned),
            ("with_outcome", o.with_outcome),
            ("direct", o.direct),
            ("corroboration", o.corroboration),
            ("cases_opened", o.cases_opened),
            ("detained", o.detained),
            ("venues_closed", o.venues_closed),
        ] {
            r.add("outcomes", k, "", v);
        }
        for s in &o.seized {
            r.add("seized", &s.substance, &s.unit, number(s.quantity));
        }
    }

    fn awareness_figures(&self, r: &mut Rows) {
        let a = &self.awareness;
        for (k, v) in &a.article_views_by_topic {
            r.add("article_views", k, "", v);
        }
        for q in &a.quiz_by_class {
            r.add("quiz", &q.class, "completions", q.completions);
            r.add(
                "quiz",
                &q.class,
                "mean_score_percent",
                opt(q.mean_score_percent),
            );
        }
        for (channel, states) in &a.deliveries {
            for (state, n) in states {
                r.add("deliveries", channel, state, n);
            }
        }
        for (k, v) in &a.subscriptions {
            r.add("subscriptions", k, "", v);
        }
    }
}

/// Uplift rows are keyed "<campaign id>:<side>", sub = category.
fn uplift_figures(r: &mut Rows, u: &Uplift) {
    let id = u.campaign_id;
    let sides = [
        ("targeted_before", Some(&u.targeted_before)),
        ("targeted_after", Some(&u.targeted_after)),
        ("matched_before", u.matched_before.as_ref()),
        ("matched_after", u.matched_after.as_ref()),
    ];
    for (side, counts) in sides {
        let Some(counts) = counts else { continue };
        let key = format!("{id}:{side}");
        r.add("uplift", &key, "total", counts.values().sum::<i64>());
        for (k, v) in counts {
            r.add("uplift", &key, k, v);
        }
    }
}

/// The CSV: a header, then one row per figure. A BOM lets Excel read UTF-8.
pub fn csv(report: &Report) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["section", "key", "sub", "value"])?;
    for f in report.figures() {
        w.write_record([f.section, &f.key, &f.sub, &f.value])?;
    }
    let mut out = "\u{feff}".as_bytes().to_vec();
    out.extend(
        w.into_inner()
            .map_err(|e| csv::Error::from(e.into_error()))?,
    );
    Ok(out)
}
