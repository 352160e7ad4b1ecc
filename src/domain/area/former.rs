//! The old (pre-July-2025) map: 63 provinces, their districts, towns and
//! cities, and every old ward and commune, each tied to the new ward or wards
//! that took it over. Citizens will keep using these names for years.
use std::collections::BTreeMap;

use serde::Deserialize;

use super::{
    AreaError, PROVINCE_PREFIXES, Province, ProvinceCode, WARD_PREFIXES, Ward, WardCode, split_kind,
};
use crate::domain::text::fold;

/// Index of an old unit in [`super::Areas::formers`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FormerId(pub usize);

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FormerLevel {
    /// An old ward, commune or township (phường, xã, thị trấn).
    Ward,
    /// An old district, town or provincial city (quận, huyện, thị xã, thành phố).
    District,
    /// An old province; provinces merged whole, so it is one new province.
    Province,
}

#[derive(Debug, Clone)]
pub struct FormerUnit {
    pub level: FormerLevel,
    /// As it was written: "Quận 1", "Phường 7", "Thành phố Thủ Đức".
    pub name: String,
    /// The old district of an old ward ("Quận 3"); empty for districts and provinces.
    pub district: String,
    /// The old province ("Tỉnh Bình Dương").
    pub old_province: String,
    /// The new province it lies in now.
    pub province: ProvinceCode,
    /// The new wards that took it over: the one holding most of it first.
    pub wards: Vec<WardCode>,
    pub(super) folded_kind: &'static str,
    pub(super) folded_core: String,
    pub(super) district_kind: &'static str,
    pub(super) district_core: String,
    pub(super) old_province_core: String,
}

#[derive(Deserialize)]
struct Row {
    old_province_code: String,
    old_province_name: String,
    old_district_code: String,
    old_district_name: String,
    old_ward_code: String,
    old_ward_name: String,
    new_ward_code: u32,
    new_province_code: u32,
    share: String,
}

const FILE: &str = "vn-admin-units-before-2025.csv";
pub(crate) const DISTRICT_PREFIXES: [&str; 4] = ["quan ", "huyen ", "thi xa ", "thanh pho "];

/// Collects one old unit's new wards with a weight, to order them.
#[derive(Default)]
struct Builder {
    unit: Option<FormerUnit>,
    weights: BTreeMap<WardCode, i64>,
}

pub(super) fn load(
    reader: impl std::io::Read,
    wards: &BTreeMap<WardCode, Ward>,
    provinces: &BTreeMap<ProvinceCode, Province>,
) -> Result<Vec<FormerUnit>, AreaError> {
    let mut rdr = csv::Reader::from_reader(reader);
    let mut old_wards: BTreeMap<String, Builder> = BTreeMap::new();
    let mut districts: BTreeMap<String, Builder> = BTreeMap::new();
    let mut old_provinces: BTreeMap<String, Builder> = BTreeMap::new();
    for (i, row) in rdr.deserialize::<Row>().enumerate() {
        let line = i + 2;
        let row: Row = row.map_err(|source| AreaError::Csv { file: FILE, source })?;
        let err = |message: String| AreaError::Parse {
            file: FILE,
            line,
            message,
        };
        let new_ward = WardCode(row.new_ward_code);
        let Some(ward) = wards.get(&new_ward) else {
            return Err(err(format!("unknown new ward code {}", row.new_ward_code)));
        };
        if ward.province.0 != row.new_province_code || !provinces.contains_key(&ward.province) {
            return Err(err(format!(
                "new ward {} is not in province {}",
                row.new_ward_code, row.new_province_code
            )));
        }
        if row.old_ward_name.trim().is_empty() || row.old_district_name.trim().is_empty() {
            return Err(err("empty old ward or district name".into()));
        }
        // The new ward holding most of an old ward comes first; a sliver last.
        let weight = match row.share.as_str() {
            "whole" | "part-default" => 2,
            "part" => 1,
            other => return Err(err(format!("unknown share {other:?}"))),
        };
        let base = unit_of(&row, ward.province);
        add(
            &mut old_wards,
            row.old_ward_code.clone(),
            new_ward,
            weight,
            || ward_unit(&row, base.clone()),
        );
        add(
            &mut districts,
            format!("{}/{}", row.old_province_code, row.old_district_code),
            new_ward,
            weight,
            || district_unit(&row, base.clone()),
        );
        add(
            &mut old_provinces,
            row.old_province_code.clone(),
            new_ward,
            0,
            || FormerUnit {
                level: FormerLevel::Province,
                name: row.old_province_name.clone(),
                ..base.clone()
            },
        );
    }
    let mut out = Vec::new();
    for (_, b) in old_wards.into_iter().chain(districts).chain(old_provinces) {
        out.extend(b.finish(wards));
    }
    Ok(out)
}

fn unit_of(row: &Row, province: ProvinceCode) -> FormerUnit {
    let folded_province = fold(&row.old_province_name);
    FormerUnit {
        level: FormerLevel::Ward,
        name: String::new(),
        district: String::new(),
        old_province: row.old_province_name.clone(),
        province,
        wards: Vec::new(),
        folded_kind: "",
        folded_core: String::new(),
        district_kind: "",
        district_core: String::new(),
        old_province_core: split_kind(&folded_province, &PROVINCE_PREFIXES)
            .1
            .to_string(),
    }
}

fn ward_unit(row: &Row, base: FormerUnit) -> FormerUnit {
    let folded = fold(&row.old_ward_name);
    let (kind, core) = split_kind(&folded, &WARD_PREFIXES);
    let district = fold(&row.old_district_name);
    let (district_kind, district_core) = split_kind(&district, &DISTRICT_PREFIXES);
    FormerUnit {
        level: FormerLevel::Ward,
        name: row.old_ward_name.clone(),
        district: row.old_district_name.clone(),
        folded_kind: kind,
        folded_core: core.to_string(),
        district_kind,
        district_core: district_core.to_string(),
        ..base
    }
}

fn district_unit(row: &Row, base: FormerUnit) -> FormerUnit {
    let folded = fold(&row.old_district_name);
    let (kind, core) = split_kind(&folded, &DISTRICT_PREFIXES);
    FormerUnit {
        level: FormerLevel::District,
        name: row.old_district_name.clone(),
        folded_kind: kind,
        folded_core: core.to_string(),
        ..base
    }
}

fn add(
    map: &mut BTreeMap<String, Builder>,
    key: String,
    ward: WardCode,
    weight: i64,
    make: impl FnOnce() -> FormerUnit,
) {
    let b = map.entry(key).or_default();
    if b.unit.is_none() {
        b.unit = Some(make());
    }
    *b.weights.entry(ward).or_default() += weight;
}

impl Builder {
    fn finish(self, all: &BTreeMap<WardCode, Ward>) -> Option<FormerUnit> {
        let mut unit = self.unit?;
        if unit.level == FormerLevel::Province {
            return Some(unit);
        }
        let mut wards: Vec<(WardCode, i64)> = self.weights.into_iter().collect();
        // The namesake first (TP Biên Hòa: Phường Biên Hòa), then the heaviest,
        // then by code: stable and explainable.
        let namesake = |w: &WardCode| {
            all.get(w)
                .is_some_and(|w| w.folded_core == unit.folded_core)
        };
        wards.sort_by(|a, b| {
            namesake(&b.0)
                .cmp(&namesake(&a.0))
                .then(b.1.cmp(&a.1))
                .then(a.0.cmp(&b.0))
        });
        unit.wards = wards.into_iter().map(|(w, _)| w).collect();
        Some(unit)
    }
}
