//! Who may see and touch which tips: the one place the dashboard's
//! authorization is decided. A [`Scope`] comes from the signed-in account
//! (role and unit); every tip query adds [`scope_condition`] to its SQL, and
//! every statistic or report counts an [`Area`] that [`Scope::area`] allowed.
use super::dashboard::{Arg, Args};
use super::officers::Role;
use crate::domain::area::{Areas, ProvinceCode};
use crate::domain::routing::{UnitArea, UnitCode};

/// The tips an account may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Admins: every unit, and they may act on every tip.
    All,
    /// The ministry level: every unit, read-only.
    National,
    /// A province supervisor (sits in the province's PC04 unit): every tip of
    /// the province read-only, and acts like a lead on its own unit's tips.
    Province { unit: String, province: i64 },
    /// Officers and leads: their unit's tips, plus tips their unit was informed of (read-only).
    Unit(String),
}

/// How an account may use a tip it can see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Full,
    /// Informed of it, or overseeing it: look, never touch.
    ReadOnly,
}

/// What a statistic or a report counts: tips by where they are handled
/// (`Unit`) or where they happened (`Province`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Area {
    All,
    Province(i64),
    Unit(String),
}

impl Area {
    /// The SQL condition on a `tips` table (optionally aliased `t.`).
    pub(crate) fn condition(&self, alias: &str, args: &mut Args) -> String {
        match self {
            Area::All => "1 = 1".into(),
            Area::Province(p) => format!("{alias}province_code = {}", args.push(Arg::I(*p))),
            Area::Unit(u) => format!("{alias}unit = {}", args.push(Arg::S(u.clone()))),
        }
    }

    /// Stable text for audit details, file names and JSON.
    pub fn code(&self) -> String {
        match self {
            Area::All => "all".into(),
            Area::Province(p) => format!("province-{p}"),
            Area::Unit(u) => u.clone(),
        }
    }

    /// The province this area lies in, when it lies in one.
    pub fn province(&self, areas: &Areas) -> Option<i64> {
        match self {
            Area::All => None,
            Area::Province(p) => Some(*p),
            Area::Unit(u) => unit_province(u, Some(areas)),
        }
    }
}

/// The province of a unit code: PC04-<p> directly, CA-<ward> through the ward list.
fn unit_province(unit: &str, areas: Option<&Areas>) -> Option<i64> {
    match UnitCode::parse(unit)?.area()? {
        UnitArea::Province(p) => Some(p.0 as i64),
        UnitArea::Ward(w) => areas?.ward(w).map(|w| w.province.0 as i64),
    }
}

impl Scope {
    /// The scope of an account. A supervisor whose unit is not a provincial
    /// unit (which account creation refuses) gets only its unit.
    pub fn of(role: Role, unit: &str) -> Scope {
        match role {
            Role::Admin => Scope::All,
            Role::National => Scope::National,
            Role::Supervisor => match unit_province(unit, None) {
                Some(province) if unit.starts_with("PC04-") => Scope::Province {
                    unit: unit.to_string(),
                    province,
                },
                _ => Scope::Unit(unit.to_string()),
            },
            Role::Officer | Role::Lead => Scope::Unit(unit.to_string()),
        }
    }

    /// The unit whose tips this scope acts on; None for all-or-nothing scopes.
    pub fn own_unit(&self) -> Option<&str> {
        match self {
            Scope::All | Scope::National => None,
            Scope::Province { unit, .. } | Scope::Unit(unit) => Some(unit),
        }
    }

    /// True when the scope reaches beyond one unit (audited as oversight).
    pub fn is_oversight(&self) -> bool {
        matches!(self, Scope::National | Scope::Province { .. })
    }

    pub(crate) fn access_to(&self, tip_unit: &str) -> Access {
        match self {
            Scope::All => Access::Full,
            Scope::National => Access::ReadOnly,
            Scope::Province { unit, .. } | Scope::Unit(unit) if unit == tip_unit => Access::Full,
            Scope::Province { .. } | Scope::Unit(_) => Access::ReadOnly,
        }
    }

    /// The area a statistic or report may count, given what was asked for
    /// (a unit, a province, or neither for the scope's own default). None
    /// when the scope may not see it: the caller answers 404.
    pub fn area(
        &self,
        unit: Option<&UnitCode>,
        province: Option<ProvinceCode>,
        areas: &Areas,
    ) -> Option<Area> {
        let province = province.map(|p| p.0 as i64);
        match (self, unit, province) {
            (_, Some(_), Some(_)) => None,
            (Scope::All | Scope::National, Some(u), None) => Some(Area::Unit(u.to_string())),
            (Scope::All | Scope::National, None, Some(p)) => Some(Area::Province(p)),
            (Scope::All | Scope::National, None, None) => Some(Area::All),
            (Scope::Province { province: mine, .. }, Some(u), None) => {
                (unit_province(u.as_str(), Some(areas)) == Some(*mine))
                    .then(|| Area::Unit(u.to_string()))
            }
            (Scope::Province { province: mine, .. }, None, p) => {
                (p.is_none_or(|p| p == *mine)).then_some(Area::Province(*mine))
            }
            (Scope::Unit(mine), u, None) => {
                (u.is_none_or(|u| u.as_str() == mine)).then(|| Area::Unit(mine.clone()))
            }
            (Scope::Unit(_), None, Some(_)) => None,
        }
    }
}

/// The SQL condition for what `scope` may see of table alias `t`.
pub(crate) fn scope_condition(scope: &Scope, args: &mut Args) -> String {
    match scope {
        Scope::All | Scope::National => "1 = 1".into(),
        Scope::Unit(u) => {
            let p = args.push(Arg::S(u.clone()));
            format!("(t.unit = {p} OR t.informed_unit = {p})")
        }
        Scope::Province { unit, province } => {
            let u = args.push(Arg::S(unit.clone()));
            let p = args.push(Arg::I(*province));
            format!("(t.province_code = {p} OR t.unit = {u} OR t.informed_unit = {u})")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_supervisor_of_pc04_75_oversees_dong_nai_and_acts_on_its_own_unit() {
        let s = Scope::of(Role::Supervisor, "PC04-75");
        assert_eq!(
            s,
            Scope::Province {
                unit: "PC04-75".into(),
                province: 75
            }
        );
        assert_eq!(s.access_to("PC04-75"), Access::Full);
        assert_eq!(s.access_to("CA-26068"), Access::ReadOnly);
        assert_eq!(
            Scope::of(Role::Supervisor, "CA-26068"),
            Scope::Unit("CA-26068".into())
        );
        assert_eq!(Scope::National.access_to("PC04-75"), Access::ReadOnly);
    }

    #[test]
    fn report_areas_stay_inside_the_scope() {
        let areas = Areas::from_csv(crate::domain::ADMIN_UNITS_CSV.as_bytes()).unwrap();
        let sup = Scope::of(Role::Supervisor, "PC04-75");
        let ward = UnitCode::parse("CA-26068").unwrap();
        let da_nang_ward = UnitCode::parse("CA-20195").unwrap();
        assert_eq!(sup.area(None, None, &areas), Some(Area::Province(75)));
        assert_eq!(
            sup.area(Some(&ward), None, &areas),
            Some(Area::Unit("CA-26068".into()))
        );
        assert_eq!(sup.area(Some(&da_nang_ward), None, &areas), None);
        assert_eq!(sup.area(None, Some(ProvinceCode(48)), &areas), None);
        let officer = Scope::Unit("CA-26068".into());
        assert_eq!(officer.area(None, Some(ProvinceCode(75)), &areas), None);
        assert_eq!(officer.area(Some(&da_nang_ward), None, &areas), None);
        assert_eq!(
            Scope::National.area(None, Some(ProvinceCode(48)), &areas),
            Some(Area::Province(48))
        );
    }
}
