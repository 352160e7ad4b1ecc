//! Vietnam's administrative units after the July 2025 reorganisation
//! (34 provinces, 3,321 wards and communes) and diacritic-blind search over them.
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::text::fold;

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
}

#[derive(Debug, thiserror::Error)]
pub enum AreaError {
    #[error("admin units file line {line}: {message}")]
    Parse { line: usize, message: String },
    #[error("admin units file: {0}")]
    Csv(#[from] csv::Error),
}

/// A hit from [`Areas::search`]: a ward, or a whole province when the name given was a province.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AreaHit {
    Ward(WardCode),
    Province(ProvinceCode),
}

#[derive(Debug, Default)]
pub struct Areas {
    provinces: BTreeMap<ProvinceCode, Province>,
    wards: BTreeMap<WardCode, Ward>,
}

#[derive(Deserialize)]
struct Row {
    province_code: u32,
    province_name: String,
    ward_code: u32,
    ward_name: String,
}

const WARD_PREFIXES: [&str; 3] = ["phuong ", "xa ", "dac khu "];
const PROVINCE_PREFIXES: [&str; 2] = ["thanh pho ", "tinh "];

fn strip_prefix<'a>(s: &'a str, prefixes: &[&str]) -> &'a str {
    prefixes.iter().find_map(|p| s.strip_prefix(p)).unwrap_or(s)
}

impl Areas {
    pub fn from_csv(reader: impl std::io::Read) -> Result<Self, AreaError> {
        let mut areas = Areas::default();
        let mut rdr = csv::Reader::from_reader(reader);
        for (i, row) in rdr.deserialize::<Row>().enumerate() {
            let row = row?;
            if row.ward_name.trim().is_empty() {
                return Err(AreaError::Parse {
                    line: i + 2,
                    message: "empty ward name".into(),
                });
            }
            let pcode = ProvinceCode(row.province_code);
            areas.provinces.entry(pcode).or_insert_with(|| Province {
                code: pcode,
                folded: strip_prefix(&fold(&row.province_name), &PROVINCE_PREFIXES).to_string(),
                name: row.province_name.clone(),
            });
            let folded_core = strip_prefix(&fold(&row.ward_name), &WARD_PREFIXES).to_string();
            areas.wards.insert(
                WardCode(row.ward_code),
                Ward {
                    code: WardCode(row.ward_code),
                    name: row.ward_name,
                    province: pcode,
                    folded_core,
                },
            );
        }
        Ok(areas)
    }

    pub fn province(&self, code: ProvinceCode) -> Option<&Province> {
        self.provinces.get(&code)
    }

    pub fn ward(&self, code: WardCode) -> Option<&Ward> {
        self.wards.get(&code)
    }

    pub fn provinces(&self) -> impl Iterator<Item = &Province> {
        self.provinces.values()
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

    /// Finds wards (and provinces) by name, ignoring diacritics, case and the
    /// "phường/xã/tỉnh" prefixes. Best matches first, at most `limit`.
    pub fn search(&self, query: &str, limit: usize) -> Vec<AreaHit> {
        let q = fold(query);
        let q = strip_prefix(strip_prefix(&q, &WARD_PREFIXES), &PROVINCE_PREFIXES).trim();
        if q.is_empty() {
            return Vec::new();
        }
        let tokens: Vec<&str> = q.split(' ').collect();
        let mut scored: Vec<(u8, AreaHit, &str)> = Vec::new();
        for p in self.provinces.values() {
            if let Some(s) = score(&p.folded, q, &tokens) {
                scored.push((s, AreaHit::Province(p.code), &p.name));
            }
        }
        for w in self.wards.values() {
            if let Some(s) = score(&w.folded_core, q, &tokens) {
                scored.push((s, AreaHit::Ward(w.code), &w.name));
            }
        }
        // Ties keep a stable, human order: wards before whole provinces, then by name.
        scored.sort_by(|a, b| {
            a.0.cmp(&b.0)
                .then_with(|| {
                    matches!(a.1, AreaHit::Province(_)).cmp(&matches!(b.1, AreaHit::Province(_)))
                })
                .then_with(|| a.2.cmp(b.2))
        });
        scored
            .into_iter()
            .take(limit)
            .map(|(_, hit, _)| hit)
            .collect()
    }
}

/// Lower is better: exact name, then name starting with the query, then all words present.
fn score(name: &str, q: &str, tokens: &[&str]) -> Option<u8> {
    if name == q {
        Some(0)
    } else if name.starts_with(q) && name[q.len()..].starts_with(' ') {
        Some(1)
    } else if tokens.iter().all(|t| name.split(' ').any(|w| w == *t)) {
        Some(2)
    } else if tokens
        .iter()
        .all(|t| name.split(' ').any(|w| w.starts_with(t)))
    {
        Some(3)
    } else {
        None
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
mod tests {
    use super::*;

    fn areas() -> Areas {
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
