//! Finding wards and units by name, for the queue's ward filter and the
//! transfer form. Officers type "Biên Hòa" or pick "Công an phường Biên Hòa
//! (CA-26068)" from a `<datalist>`; a bare code still works.
use maud::{Markup, html};

use crate::app::AppState;
use crate::domain::area::{AreaHit, Areas, ProvinceCode, WardCode};
use crate::domain::routing::{UnitArea, UnitCode};
use crate::storage::dashboard::Scope;
use crate::storage::search::normalize;

/// Why a typed ward or unit was not accepted: a message key.
pub type NotFound = &'static str;

/// The ward names of the viewer's province, for the filter's suggestions.
pub fn ward_names(areas: &Areas, scope: &Scope) -> Vec<String> {
    let province = match scope {
        Scope::Unit(u) | Scope::Province { unit: u, .. } => {
            UnitCode::parse(u).and_then(|u| match u.area()? {
                UnitArea::Province(p) => Some(p),
                UnitArea::Ward(w) => areas.ward(w).map(|w| w.province),
            })
        }
        Scope::All | Scope::National => None,
    };
    match province {
        Some(p) => areas.wards_of(p).map(|w| w.name.clone()).collect(),
        None => Vec::new(),
    }
}

/// The ward a filter names: a code, or a name (without diacritics is fine).
/// `Ok(None)`: no filter; `Err`: nothing or too much matched.
pub fn resolve_ward(areas: &Areas, typed: Option<&str>) -> Result<Option<i64>, NotFound> {
    let Some(typed) = typed else {
        return Ok(None);
    };
    if let Ok(code) = typed.parse::<u32>() {
        return areas
            .ward(WardCode(code))
            .map(|_| Some(i64::from(code)))
            .ok_or("queue-ward-unknown");
    }
    let wanted = normalize(typed);
    let wards: Vec<WardCode> = areas
        .search(typed, 8)
        .into_iter()
        .filter_map(|h| match h {
            AreaHit::Ward(w) => Some(w),
            _ => None,
        })
        .collect();
    let exact: Vec<WardCode> = wards
        .iter()
        .copied()
        .filter(|w| {
            areas.ward(*w).is_some_and(|ward| {
                let n = normalize(&ward.name);
                n == wanted || n.split_once(' ').is_some_and(|(_, core)| core == wanted)
            })
        })
        .collect();
    // Two wards of the same name (in different provinces) need the list or a code.
    match (exact.as_slice(), wards.as_slice()) {
        ([w], _) | ([], [w]) => Ok(Some(i64::from(w.0))),
        _ => Err("queue-ward-unknown"),
    }
}

/// The unit a transfer names: a code ("CA-26068"), a picked suggestion
/// ("Công an phường Biên Hòa (CA-26068)"), or a ward or province name.
pub fn resolve_unit(areas: &Areas, typed: &str) -> Result<UnitCode, NotFound> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Err("action-error-unit");
    }
    if let Some(u) = UnitCode::parse_known(typed, areas) {
        return Ok(u);
    }
    if let Some(code) = typed
        .strip_suffix(')')
        .and_then(|s| s.rsplit_once('('))
        .map(|(_, c)| c)
    {
        return UnitCode::parse_known(code, areas).ok_or("action-error-unit");
    }
    let folded = normalize(typed);
    if let Some(rest) = folded.strip_prefix("pc04 ") {
        let p = areas
            .search(rest, 3)
            .into_iter()
            .find_map(|h| areas.hit_province(h));
        return p
            .map(UnitCode::province_drug_police)
            .ok_or("action-error-unit");
    }
    let name = folded.strip_prefix("cong an ").unwrap_or(&folded);
    match resolve_ward(areas, Some(name)) {
        Ok(Some(w)) => Ok(UnitCode::ward(WardCode(w as u32))),
        _ => Err("action-error-unit"),
    }
}

/// Suggestions for the transfer form: every ward unit of the tip's province
/// and every provincial drug unit, as "name (code)".
pub fn unit_options(state: &AppState, province: ProvinceCode) -> Vec<String> {
    let label = |u: UnitCode| format!("{} ({})", state.router.unit_name(&u, &state.areas), u);
    let wards = state
        .areas
        .wards_of(province)
        .map(|w| label(UnitCode::ward(w.code)));
    let provinces = state
        .areas
        .provinces()
        .map(|p| label(UnitCode::province_drug_police(p.code)));
    wards.chain(provinces).collect()
}

/// A `<datalist>` of suggestions.
pub fn datalist(id: &str, options: &[String]) -> Markup {
    html! {
        datalist id=(id) {
            @for o in options { option value=(o) {} }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn areas() -> Areas {
        Areas::builtin().unwrap()
    }

    #[test]
    fn wards_are_found_by_name_or_code() {
        let a = areas();
        assert_eq!(resolve_ward(&a, Some("Biên Hòa")), Ok(Some(26068)));
        assert_eq!(resolve_ward(&a, Some("bien hoa")), Ok(Some(26068)));
        assert_eq!(resolve_ward(&a, Some("26068")), Ok(Some(26068)));
        assert_eq!(resolve_ward(&a, None), Ok(None));
        assert!(resolve_ward(&a, Some("99999")).is_err());
        assert!(resolve_ward(&a, Some("zzqx không có")).is_err());
    }

    #[test]
    fn units_are_found_by_code_suggestion_or_name() {
        let a = areas();
        let ca = UnitCode::parse("CA-26068").unwrap();
        assert_eq!(resolve_unit(&a, "CA-26068"), Ok(ca.clone()));
        assert_eq!(
            resolve_unit(&a, "Công an phường Biên Hòa (CA-26068)"),
            Ok(ca.clone())
        );
        assert_eq!(resolve_unit(&a, "Biên Hòa"), Ok(ca));
        assert!(resolve_unit(&a, "CA-99999").is_err());
        assert!(resolve_unit(&a, "").is_err());
        assert!(resolve_unit(&a, "Đơn vị không tồn tại (CA-1)").is_err());
    }
}
