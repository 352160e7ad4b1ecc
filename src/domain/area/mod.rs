//! Vietnam's administrative units after the July 2025 reorganisation
//! (34 provinces, 3,321 wards and communes), the old 63-province names that
//! citizens keep using (`former`), and search over both (`search`), plus the
//! nearest ward to a shared location (`nearest`).
//!
//! Everything is indexed once when the lists are loaded; a search only reads.
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::text::fold;

mod former;
mod nearest;
mod query;
mod search;

pub use former::{FormerId, FormerLevel, FormerUnit};
pub use nearest::{NearWard, NearestError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ProvinceCode(pub u32);

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct WardCode(pub u32);

impl std::fmt::Display for ProvinceCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:02}", self.0)
    }
}

impl std::fmt::Display for WardCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:05}", self.0)
    }
}

#[derive(Debug, Clone)]
pub struct Province {
    pub code: ProvinceCode,
    pub name: String,
    folded: String,
}

#[derive(Debug, Clone)]
pub struct Ward {
    pub code: WardCode,
    pub name: String,
    pub province: ProvinceCode,
    /// Folded name without its "phường"/"xã" prefix, for matching.
    folded_core: String,
    /// The folded prefix that was stripped ("phuong", "xa", "dac khu").
    folded_kind: String,
    /// Approximate centre, when the centroid list is loaded.
    centroid: Option<(f64, f64)>,
}

#[derive(Debug, thiserror::Error)]
pub enum AreaError {
    #[error("{file} line {line}: {message}")]
    Parse {
        file: &'static str,
        line: usize,
        message: String,
    },
    #[error("{file}: {source}")]
    Csv {
        file: &'static str,
        source: csv::Error,
    },
}

/// A hit from [`Areas::search`]: a ward, a whole province, or an old (pre-2025)
/// unit that is now split over one or more new wards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AreaHit {
    Ward(WardCode),
    Province(ProvinceCode),
    Former(FormerId),
}

#[derive(Debug, Default)]
pub struct Areas {
    provinces: BTreeMap<ProvinceCode, Province>,
    wards: BTreeMap<WardCode, Ward>,
    formers: Vec<FormerUnit>,
    index: search::NameIndex,
}

#[derive(Deserialize)]
struct Row {
    province_code: u32,
    province_name: String,
    ward_code: u32,
    ward_name: String,
}

pub(crate) const WARD_PREFIXES: [&str; 4] = ["phuong ", "xa ", "dac khu ", "thi tran "];
pub(crate) const PROVINCE_PREFIXES: [&str; 2] = ["thanh pho ", "tinh "];

/// Splits a folded name into (kind, core): "phuong bien hoa" -> ("phuong", "bien hoa").
pub(crate) fn split_kind<'a>(s: &'a str, prefixes: &[&'static str]) -> (&'static str, &'a str) {
    prefixes
        .iter()
        .find_map(|p| s.strip_prefix(p).map(|core| (p.trim_end(), core)))
        .unwrap_or(("", s))
}

const UNITS_FILE: &str = "vn-admin-units-2025.csv";

/// Old (pre-2025) ward and district names mapped to the new wards, and ward
/// centroids: both derived from `vietnamadminunits` (MIT, see data/README.md).
pub const FORMER_UNITS_CSV: &str = include_str!("../../../data/vn-admin-units-before-2025.csv");
pub const WARD_CENTROIDS_CSV: &str = include_str!("../../../data/vn-ward-centroids-2025.csv");

impl Areas {
    /// The new units only; add old names with [`Areas::with_former`] and
    /// locations with [`Areas::with_centroids`].
    pub fn from_csv(reader: impl std::io::Read) -> Result<Self, AreaError> {
        let mut areas = Areas::default();
        let mut rdr = csv::Reader::from_reader(reader);
        for (i, row) in rdr.deserialize::<Row>().enumerate() {
            let row = row.map_err(|source| AreaError::Csv {
                file: UNITS_FILE,
                source,
            })?;
            if row.ward_name.trim().is_empty() {
                return Err(AreaError::Parse {
                    file: UNITS_FILE,
                    line: i + 2,
                    message: "empty ward name".into(),
                });
            }
            let pcode = ProvinceCode(row.province_code);
            areas.provinces.entry(pcode).or_insert_with(|| Province {
                code: pcode,
                folded: split_kind(&fold(&row.province_name), &PROVINCE_PREFIXES)
                    .1
                    .to_string(),
                name: row.province_name.clone(),
            });
            let folded = fold(&row.ward_name);
            let (kind, core) = split_kind(&folded, &WARD_PREFIXES);
            areas.wards.insert(
                WardCode(row.ward_code),
                Ward {
                    code: WardCode(row.ward_code),
                    name: row.ward_name,
                    province: pcode,
                    folded_core: core.to_string(),
                    folded_kind: kind.to_string(),
                    centroid: None,
                },
            );
        }
        areas.reindex();
        Ok(areas)
    }

    /// The compiled-in lists (new units, old names, centroids), indexed once.
    pub fn builtin() -> Result<Self, AreaError> {
        Areas::from_csv(super::ADMIN_UNITS_CSV.as_bytes())?
            .with_former(FORMER_UNITS_CSV.as_bytes())?
            .with_centroids(WARD_CENTROIDS_CSV.as_bytes())
    }

    /// Adds the pre-2025 names (`vn-admin-units-before-2025.csv`).
    pub fn with_former(mut self, reader: impl std::io::Read) -> Result<Self, AreaError> {
        self.formers = former::load(reader, &self.wards, &self.provinces)?;
        self.reindex();
        Ok(self)
    }

    /// Adds ward centroids (`vn-ward-centroids-2025.csv`) for location lookups.
    pub fn with_centroids(mut self, reader: impl std::io::Read) -> Result<Self, AreaError> {
        nearest::load(reader, &mut self.wards)?;
        Ok(self)
    }

    fn reindex(&mut self) {
        self.index = search::NameIndex::build(&self.provinces, &self.wards, &self.formers);
    }

    pub fn province(&self, code: ProvinceCode) -> Option<&Province> {
        self.provinces.get(&code)
    }

    pub fn ward(&self, code: WardCode) -> Option<&Ward> {
        self.wards.get(&code)
    }

    pub fn former(&self, id: FormerId) -> Option<&FormerUnit> {
        self.formers.get(id.0)
    }

    pub fn formers(&self) -> &[FormerUnit] {
        &self.formers
    }

    pub fn provinces(&self) -> impl Iterator<Item = &Province> {
        self.provinces.values()
    }

    /// The wards of one province, in code order (for pickers).
    pub fn wards_of(&self, p: ProvinceCode) -> impl Iterator<Item = &Ward> {
        self.wards.values().filter(move |w| w.province == p)
    }

    pub fn ward_count(&self) -> usize {
        self.wards.len()
    }

    /// "Phường Biên Hòa, Đồng Nai": what a person recognises.
    pub fn ward_label(&self, code: WardCode) -> Option<String> {
        let w = self.ward(code)?;
        let p = self.province(w.province)?;
        Some(format!("{}, {}", w.name, short_province(&p.name)))
    }

    /// The new wards a hit stands for, best first (a province stands for none).
    pub fn hit_wards(&self, hit: AreaHit) -> Vec<WardCode> {
        match hit {
            AreaHit::Ward(w) => vec![w],
            AreaHit::Province(_) => Vec::new(),
            AreaHit::Former(id) => self.former(id).map_or(Vec::new(), |f| f.wards.clone()),
        }
    }

    /// The province a hit lies in.
    pub fn hit_province(&self, hit: AreaHit) -> Option<ProvinceCode> {
        match hit {
            AreaHit::Ward(w) => self.ward(w).map(|w| w.province),
            AreaHit::Province(p) => Some(p),
            AreaHit::Former(id) => self.former(id).map(|f| f.province),
        }
    }
}

/// "Thành phố Hà Nội" -> "Hà Nội", "Tỉnh Đồng Nai" -> "Đồng Nai" for compact labels.
pub fn short_province(name: &str) -> &str {
    ["Thành phố ", "Tỉnh "]
        .iter()
        .find_map(|p| name.strip_prefix(p))
        .unwrap_or(name)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn areas() -> Areas {
        let csv = "province_code,province_name,province_type,province_codename,ward_code,ward_name,ward_type,ward_codename\n\
            75,Đồng Nai,tỉnh,dong_nai,26068,Phường Biên Hòa,phường,phuong_bien_hoa\n\
            75,Đồng Nai,tỉnh,dong_nai,26041,Phường Trấn Biên,phường,phuong_tran_bien\n\
            1,Thành phố Hà Nội,thành phố trung ương,ha_noi,4,Phường Ba Đình,phường,phuong_ba_dinh\n\
            1,Thành phố Hà Nội,thành phố trung ương,ha_noi,9999,Xã Hòa Bình,xã,xa_hoa_binh\n";
        Areas::from_csv(csv.as_bytes()).unwrap()
    }

    #[test]
    fn bien_hoa_without_diacritics_finds_the_ward_first() {
        let a = areas();
        assert_eq!(a.search("bien hoa", 5)[0], AreaHit::Ward(WardCode(26068)));
        assert_eq!(
            a.search("PHƯỜNG BIÊN HÒA", 5)[0],
            AreaHit::Ward(WardCode(26068))
        );
        assert_eq!(
            a.ward_label(WardCode(26068)).unwrap(),
            "Phường Biên Hòa, Đồng Nai"
        );
    }

    #[test]
    fn province_names_are_found_too() {
        let a = areas();
        assert_eq!(a.search("ha noi", 5)[0], AreaHit::Province(ProvinceCode(1)));
        assert!(
            a.search("dong nai", 5)
                .contains(&AreaHit::Province(ProvinceCode(75)))
        );
    }

    #[test]
    fn nonsense_and_empty_queries_find_nothing() {
        let a = areas();
        assert!(a.search("", 5).is_empty());
        assert!(a.search("🙂🙂", 5).is_empty());
        assert!(a.search("zzzz", 5).is_empty());
    }

    #[test]
    fn codes_print_in_gso_zero_padded_form() {
        assert_eq!(ProvinceCode(1).to_string(), "01");
        assert_eq!(WardCode(4).to_string(), "00004");
    }
}
