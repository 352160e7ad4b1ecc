//! Ward search on the real unit lists: new names, old names, nicknames, typos,
//! and shared locations. The property test walks the old-name mapping itself.
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use proptest::prelude::*;
use tipline::domain::area::{AreaHit, Areas, NearestError, WardCode};

fn areas() -> &'static Areas {
    static AREAS: OnceLock<Areas> = OnceLock::new();
    AREAS.get_or_init(|| Areas::builtin().expect("unit lists load"))
}

fn labels(hits: &[AreaHit]) -> Vec<String> {
    hits.iter()
        .flat_map(|h| areas().hit_wards(*h))
        .filter_map(|w| areas().ward_label(w))
        .collect()
}

/// One old ward of the mapping: its names and the new wards it went to.
struct OldWard {
    ward: String,
    district: String,
    province: String,
    new_wards: BTreeSet<u32>,
}

fn old_wards() -> &'static Vec<OldWard> {
    static OLD: OnceLock<Vec<OldWard>> = OnceLock::new();
    OLD.get_or_init(|| {
        let mut by_code: BTreeMap<String, OldWard> = BTreeMap::new();
        let mut rdr = csv::Reader::from_reader(tipline::domain::area::FORMER_UNITS_CSV.as_bytes());
        for row in rdr.records() {
            let row = row.expect("csv row");
            let entry = by_code
                .entry(row[4].to_string())
                .or_insert_with(|| OldWard {
                    ward: row[5].to_string(),
                    district: row[3].to_string(),
                    province: row[1].to_string(),
                    new_wards: BTreeSet::new(),
                });
            entry.new_wards.insert(row[6].parse().expect("ward code"));
        }
        by_code.into_values().collect()
    })
}

fn new_wards_of_district(district: &str, province: &str) -> BTreeSet<String> {
    let mut rdr = csv::Reader::from_reader(tipline::domain::area::FORMER_UNITS_CSV.as_bytes());
    rdr.records()
        .map(|r| r.expect("csv row"))
        .filter(|r| &r[3] == district && &r[1] == province)
        .filter_map(|r| areas().ward_label(WardCode(r[6].parse().expect("code"))))
        .collect()
}

#[test]
fn quan_1_in_every_spelling_offers_exactly_the_wards_it_became() {
    let expected = new_wards_of_district("Quận 1", "Thành phố Hồ Chí Minh");
    assert_eq!(expected.len(), 4, "{expected:?}");
    for q in ["quan 1", "Quận 1", "q1", "Q.1", "quận 1 cũ", "District 1"] {
        let got: BTreeSet<String> = labels(&areas().search(q, 6)).into_iter().collect();
        assert_eq!(got, expected, "query {q:?}");
    }
}

#[test]
fn thu_duc_offers_every_new_ward_of_the_former_city() {
    let expected = new_wards_of_district("Thành phố Thủ Đức", "Thành phố Hồ Chí Minh");
    assert!(expected.len() >= 10, "{expected:?}");
    let got: BTreeSet<String> = labels(&areas().search("Thu Duc", 6)).into_iter().collect();
    assert!(
        got.is_superset(&expected),
        "missing {:?}",
        expected.difference(&got)
    );
}

#[test]
fn hoc_mon_offers_the_communes_of_the_former_district() {
    let expected = new_wards_of_district("Huyện Hóc Môn", "Thành phố Hồ Chí Minh");
    let got: BTreeSet<String> = labels(&areas().search("hoc mon", 6)).into_iter().collect();
    assert!(
        got.is_superset(&expected),
        "missing {:?}",
        expected.difference(&got)
    );
}

#[test]
fn typos_and_glued_words_still_find_bien_hoa_first() {
    for q in [
        "bienhoa",
        "bien hao",
        "bine hoa",
        "bien hoa, dong nai",
        "phuong bien hoa city",
        "tp Biên Hòa",
    ] {
        let got = labels(&areas().search(q, 6));
        assert_eq!(
            got.first().map(String::as_str),
            Some("Phường Biên Hòa, Đồng Nai"),
            "query {q:?}: {got:?}"
        );
    }
}

#[test]
fn province_nicknames_find_the_province() {
    let hcm = tipline::domain::area::ProvinceCode(79);
    for q in ["tphcm", "tp hcm", "sg", "TP.HCM", "Ho Chi Minh city"] {
        assert!(
            areas().search(q, 6).contains(&AreaHit::Province(hcm)),
            "query {q:?}"
        );
    }
    let hn = tipline::domain::area::ProvinceCode(1);
    assert_eq!(areas().search("hn", 6)[0], AreaHit::Province(hn));
}

#[test]
fn an_old_ward_within_its_old_district_finds_its_new_ward() {
    let got = labels(&areas().search("phường 9 quận 3", 6));
    assert_eq!(got, vec!["Phường Nhiêu Lộc, Hồ Chí Minh".to_string()]);
    // Phường 7 of Quận 3 was merged away before 2025: offer what Quận 3 became.
    let got: BTreeSet<String> = labels(&areas().search("phường 7 quận 3", 6))
        .into_iter()
        .collect();
    assert_eq!(
        got,
        new_wards_of_district("Quận 3", "Thành phố Hồ Chí Minh")
    );
    let got = labels(&areas().search("hiep binh chanh", 6));
    assert!(
        got.iter().any(|l| l.starts_with("Phường Hiệp Bình,")),
        "{got:?}"
    );
}

#[test]
fn a_location_near_bien_hoa_suggests_phuong_bien_hoa() {
    let near = areas().nearest_ward(10.9351, 106.8012).expect("in Vietnam");
    assert_eq!(
        areas().ward_label(near.ward).as_deref(),
        Some("Phường Biên Hòa, Đồng Nai")
    );
    assert_eq!(areas().nearest_ward(0.0, 0.0), Err(NearestError::NoFix));
    assert_eq!(
        areas().nearest_ward(13.7563, 100.5018),
        Err(NearestError::OutsideVietnam),
        "Bangkok"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Every old ward, asked for as people name it ("Phường 7, Quận 3, TP HCM"),
    /// finds all the new wards it went to among the offered places.
    #[test]
    fn every_old_ward_finds_its_new_wards(i in 0usize..100_000) {
        let all = old_wards();
        let old = &all[i % all.len()];
        let query = format!("{}, {}, {}", old.ward, old.district, old.province);
        let offered: BTreeSet<u32> = areas()
            .search(&query, 6)
            .into_iter()
            .flat_map(|h| areas().hit_wards(h))
            .map(|w| w.0)
            .collect();
        prop_assert!(
            offered.is_superset(&old.new_wards),
            "{query}: offered {offered:?}, expected {:?}", old.new_wards
        );
    }
}
