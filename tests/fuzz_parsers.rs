//! Property tests for the parsers that face raw user input: receipts, ward
//! search, unit codes and command-free text cleaning. Bounded in CI by
//! PROPTEST_CASES; run longer with e.g. PROPTEST_CASES=100000.
use proptest::prelude::*;
use tipline::domain::ADMIN_UNITS_CSV;
use tipline::domain::area::{AreaHit, Areas};
use tipline::domain::receipt::Receipt;
use tipline::domain::routing::UnitCode;
use tipline::domain::text::{clean_user_text, fold};

fn areas() -> &'static Areas {
    static A: std::sync::OnceLock<Areas> = std::sync::OnceLock::new();
    A.get_or_init(|| Areas::builtin().unwrap())
}

fn cases() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256);
    ProptestConfig {
        cases,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(cases())]

    #[test]
    fn receipt_parsing_never_panics_and_accepted_codes_round_trip(s in "\\PC{0,64}") {
        if let Some(r) = Receipt::parse(&s) {
            let shown = r.display();
            prop_assert_eq!(Receipt::parse(&shown), Some(r.clone()));
            prop_assert_eq!(Receipt::parse(&shown.to_lowercase().replace('-', " ")), Some(r));
        }
    }

    #[test]
    fn receipts_from_the_alphabet_always_parse(code in "[0-9A-HJKMNP-TV-Z]{20}") {
        let r = Receipt::parse(&code).expect("valid code");
        prop_assert_eq!(r.display().replace('-', ""), code);
    }

    #[test]
    fn ward_search_never_panics_and_respects_the_limit(q in "\\PC{0,80}", limit in 0usize..12) {
        let hits = areas().search(&q, limit);
        prop_assert!(hits.len() <= limit);
        for h in hits {
            match h {
                AreaHit::Ward(w) => prop_assert!(areas().ward(w).is_some()),
                AreaHit::Province(p) => prop_assert!(areas().province(p).is_some()),
                AreaHit::Former(f) => prop_assert!(areas().former(f).is_some()),
            }
        }
    }

    #[test]
    fn every_ward_is_found_by_its_own_name_without_diacritics(i in 0usize..3321) {
        let a = areas();
        let code = a_ward_code(i);
        let name = a.ward(code).unwrap().name.clone();
        let hits = a.search(&fold(&name), 50);
        prop_assert!(hits.contains(&AreaHit::Ward(code)), "{} not found", name);
    }

    #[test]
    fn unit_code_parsing_never_panics(s in "\\PC{0,24}") {
        if let Some(u) = UnitCode::parse(&s) {
            prop_assert_eq!(UnitCode::parse(u.as_str()), Some(u.clone()));
        }
    }

    #[test]
    fn cleaned_text_has_no_controls_or_invisible_marks(s in "\\PC{0,200}|[\\x00-\\x1f\\u{200b}-\\u{200f}\\u{202a}-\\u{202e}a-z ]{0,50}") {
        let c = clean_user_text(&s);
        let bad = c.chars().any(|ch| {
            (ch.is_control() && ch != '\n' && ch != '\t') || ('\u{200B}'..='\u{200F}').contains(&ch) || ('\u{202A}'..='\u{202E}').contains(&ch)
        });
        prop_assert!(!bad, "control or invisible character left");
    }
}

fn a_ward_code(i: usize) -> tipline::domain::area::WardCode {
    static CODES: std::sync::OnceLock<Vec<tipline::domain::area::WardCode>> =
        std::sync::OnceLock::new();
    let codes = CODES.get_or_init(|| {
        let mut rdr = csv::Reader::from_reader(ADMIN_UNITS_CSV.as_bytes());
        rdr.records()
            .map(|r| tipline::domain::area::WardCode(r.unwrap()[4].parse().unwrap()))
            .collect()
    });
    codes[i % codes.len()]
}
