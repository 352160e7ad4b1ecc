//! Which police unit gets a tip. Units derive from the ward list:
//! `CA-<ward>` is the ward/commune police, `PC04-<province>` the provincial drug police.
use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::area::{Areas, ProvinceCode, WardCode};
use super::tip::Category;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct UnitCode(String);

impl UnitCode {
    pub fn ward(code: WardCode) -> Self {
        UnitCode(format!("CA-{code}"))
    }

    pub fn province_drug_police(code: ProvinceCode) -> Self {
        UnitCode(format!("PC04-{code}"))
    }

    /// Accepts `CA-26068`, `PC04-75`, `pc04-1`: normalises padding and case.
    /// Any other shape is refused, so a typo never creates a phantom queue.
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim().to_ascii_uppercase();
        let (prefix, digits) = s.split_once('-')?;
        let n: u32 = digits.parse().ok()?;
        match prefix {
            "CA" if n > 0 && n < 100_000 => Some(Self::ward(WardCode(n))),
            "PC04" if n > 0 && n < 100 => Some(Self::province_drug_police(ProvinceCode(n))),
            _ => None,
        }
    }

    /// A unit code that names an admin area that really exists.
    pub fn parse_known(s: &str, areas: &Areas) -> Option<Self> {
        let unit = Self::parse(s)?;
        let exists = match unit.area()? {
            UnitArea::Ward(w) => areas.ward(w).is_some(),
            UnitArea::Province(p) => areas.province(p).is_some(),
        };
        exists.then_some(unit)
    }

    pub fn area(&self) -> Option<UnitArea> {
        let (prefix, digits) = self.0.split_once('-')?;
        let n = digits.parse().ok()?;
        match prefix {
            "CA" => Some(UnitArea::Ward(WardCode(n))),
            "PC04" => Some(UnitArea::Province(ProvinceCode(n))),
            _ => None,
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for UnitCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitArea {
    Ward(WardCode),
    Province(ProvinceCode),
}

/// Where a tip goes and why; the reason is shown to officers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoutingDecision {
    pub unit: UnitCode,
    pub informed: Option<UnitCode>,
    pub reason: String,
}

/// Operator overrides, from an optional TOML file:
///
/// ```toml
/// [[rule]]
/// category = "dealing"        # optional: any category when absent
/// province = 75               # optional
/// ward = 26068                # optional
/// unit = "PC04-75"
/// inform_ward = true          # optional
///
/// [units]
/// "CA-26068" = "Công an phường Biên Hòa"
/// ```
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoutingConfig {
    #[serde(default, rename = "rule")]
    pub rules: Vec<RoutingRule>,
    #[serde(default)]
    pub units: HashMap<String, String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoutingRule {
    pub category: Option<Category>,
    pub province: Option<u32>,
    pub ward: Option<u32>,
    pub unit: String,
    #[serde(default)]
    pub inform_ward: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Router {
    rules: Vec<(RoutingRule, UnitCode)>,
    names: HashMap<UnitCode, String>,
}

#[derive(Debug, thiserror::Error)]
pub enum RoutingError {
    #[error(
        "routing rule {index}: unit {unit:?} is not a known unit code (CA-<ward> or PC04-<province>)"
    )]
    UnknownUnit { index: usize, unit: String },
    #[error("routing rule {index}: ward {ward} is not in the admin units list")]
    UnknownWard { index: usize, ward: u32 },
    #[error("routing rule {index}: province {province} is not in the admin units list")]
    UnknownProvince { index: usize, province: u32 },
    #[error("unit names: {0:?} is not a known unit code")]
    UnknownNamedUnit(String),
}

impl Router {
    /// Checks every rule against the admin units so mistakes fail at startup, not at 2 a.m.
    pub fn new(config: RoutingConfig, areas: &Areas) -> Result<Self, RoutingError> {
        let mut rules = Vec::new();
        for (index, rule) in config.rules.into_iter().enumerate() {
            let unit = UnitCode::parse_known(&rule.unit, areas).ok_or_else(|| {
                RoutingError::UnknownUnit {
                    index,
                    unit: rule.unit.clone(),
                }
            })?;
            if let Some(ward) = rule.ward.filter(|w| areas.ward(WardCode(*w)).is_none()) {
                return Err(RoutingError::UnknownWard { index, ward });
            }
            if let Some(province) = rule
                .province
                .filter(|p| areas.province(ProvinceCode(*p)).is_none())
            {
                return Err(RoutingError::UnknownProvince { index, province });
            }
            rules.push((rule, unit));
        }
        let mut names = HashMap::new();
        for (code, name) in config.units {
            let unit =
                UnitCode::parse_known(&code, areas).ok_or(RoutingError::UnknownNamedUnit(code))?;
            names.insert(unit, name);
        }
        Ok(Router { rules, names })
    }

    pub fn route(
        &self,
        category: Category,
        province: ProvinceCode,
        ward: Option<WardCode>,
    ) -> RoutingDecision {
        for (i, (rule, unit)) in self.rules.iter().enumerate() {
            let matches = rule.category.is_none_or(|c| c == category)
                && rule.province.is_none_or(|p| p == province.0)
                && rule.ward.is_none_or(|w| Some(WardCode(w)) == ward);
            if matches {
                let informed = ward
                    .filter(|_| rule.inform_ward)
                    .map(UnitCode::ward)
                    .filter(|w| w != unit);
                return RoutingDecision {
                    unit: unit.clone(),
                    informed,
                    reason: format!("routing file rule #{} ({category})", i + 1),
                };
            }
        }
        default_route(category, province, ward)
    }

    /// A display name for the unit: the configured one, else a generated Vietnamese one.
    pub fn unit_name(&self, unit: &UnitCode, areas: &Areas) -> String {
        if let Some(n) = self.names.get(unit) {
            return n.clone();
        }
        match unit.area() {
            Some(UnitArea::Ward(w)) => match areas.ward(w) {
                Some(ward) => format!("Công an {}", ward.name.to_lowercase_first()),
                None => unit.to_string(),
            },
            Some(UnitArea::Province(p)) => match areas.province(p) {
                Some(prov) => format!("PC04 – Phòng CSĐT tội phạm về ma túy, {}", prov.name),
                None => unit.to_string(),
            },
            None => unit.to_string(),
        }
    }
}

trait LowercaseFirst {
    fn to_lowercase_first(&self) -> String;
}

impl LowercaseFirst for String {
    fn to_lowercase_first(&self) -> String {
        let mut c = self.chars();
        match c.next() {
            Some(f) => f.to_lowercase().chain(c).collect(),
            None => String::new(),
        }
    }
}

/// The defaults from the national plan: street-level matters go to the ward police,
/// supply-chain crimes to the provincial drug police with the ward kept informed.
pub fn default_route(
    category: Category,
    province: ProvinceCode,
    ward: Option<WardCode>,
) -> RoutingDecision {
    let province_unit = UnitCode::province_drug_police(province);
    let Some(ward) = ward else {
        return RoutingDecision {
            unit: province_unit,
            informed: None,
            reason: "ward unknown: provincial drug police triage".into(),
        };
    };
    match category {
        Category::Trafficking | Category::Production | Category::Cultivation => RoutingDecision {
            unit: province_unit,
            informed: Some(UnitCode::ward(ward)),
            reason: format!("{category}: provincial drug police, ward police informed"),
        },
        _ => RoutingDecision {
            unit: UnitCode::ward(ward),
            informed: None,
            reason: format!("{category}: ward police"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn areas() -> Areas {
        let csv = "province_code,province_name,province_type,province_codename,ward_code,ward_name,ward_type,ward_codename\n\
            75,Đồng Nai,tỉnh,dong_nai,26068,Phường Biên Hòa,phường,phuong_bien_hoa\n";
        Areas::from_csv(csv.as_bytes()).unwrap()
    }

    #[test]
    fn dealing_goes_to_the_ward_police() {
        let d = default_route(Category::Dealing, ProvinceCode(75), Some(WardCode(26068)));
        assert_eq!(d.unit.as_str(), "CA-26068");
        assert_eq!(d.informed, None);
    }

    #[test]
    fn a_lab_goes_to_provincial_drug_police_and_the_ward_is_informed() {
        let d = default_route(
            Category::Production,
            ProvinceCode(75),
            Some(WardCode(26068)),
        );
        assert_eq!(d.unit.as_str(), "PC04-75");
        assert_eq!(d.informed.unwrap().as_str(), "CA-26068");
    }

    #[test]
    fn tip_from_unknown_ward_goes_to_province_drug_unit() {
        let d = default_route(Category::Dealing, ProvinceCode(75), None);
        assert_eq!(d.unit.as_str(), "PC04-75");
    }

    #[test]
    fn routing_file_rules_override_defaults() {
        let cfg: RoutingConfig = toml::from_str(
            "[[rule]]\ncategory = \"dealing\"\nprovince = 75\nunit = \"PC04-75\"\ninform_ward = true\n[units]\n\"PC04-75\" = \"PC04 Đồng Nai\"\n",
        )
        .unwrap();
        let r = Router::new(cfg, &areas()).unwrap();
        let d = r.route(Category::Dealing, ProvinceCode(75), Some(WardCode(26068)));
        assert_eq!(d.unit.as_str(), "PC04-75");
        assert_eq!(d.informed.unwrap().as_str(), "CA-26068");
        assert_eq!(
            r.unit_name(&UnitCode::parse("pc04-75").unwrap(), &areas()),
            "PC04 Đồng Nai"
        );
        assert_eq!(
            r.unit_name(&UnitCode::parse("CA-26068").unwrap(), &areas()),
            "Công an phường Biên Hòa"
        );
    }

    #[test]
    fn rules_naming_unknown_units_fail_at_startup() {
        let cfg: RoutingConfig = toml::from_str("[[rule]]\nunit = \"CA-99999\"\n").unwrap();
        assert!(matches!(
            Router::new(cfg, &areas()),
            Err(RoutingError::UnknownUnit { .. })
        ));
    }

    #[test]
    fn unit_codes_parse_case_and_padding_insensitively() {
        assert_eq!(UnitCode::parse("pc04-075").unwrap().as_str(), "PC04-75");
        assert_eq!(UnitCode::parse("ca-4").unwrap().as_str(), "CA-00004");
        assert!(UnitCode::parse("XX-1").is_none());
        assert!(UnitCode::parse("CA-").is_none());
    }
}
