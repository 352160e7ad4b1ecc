//! The campaign composer speaks the officer's language: "Toàn quốc" or
//! province names ("Hà Nội, Đồng Nai"), dates as dd/mm/yyyy, and an empty
//! time for "send now". These turn what was typed into the forms that
//! `CampaignFile::validate` (shared with the CLI) reads.
use crate::domain::area::{AreaHit, Areas};
use crate::domain::campaign::CampaignError;
use crate::storage::search::normalize;

/// "" / "ngay" / "now" -> "now"; "26/06/2027 08:00" -> "2027-06-26 08:00"
/// (08:00 when no time is given); anything else is passed on as typed.
pub fn schedule(typed: &str) -> Result<String, CampaignError> {
    let t = typed.trim();
    let folded = normalize(t);
    if matches!(
        folded.as_str(),
        "" | "now" | "ngay" | "gui ngay" | "ngay bay gio"
    ) {
        return Ok("now".into());
    }
    let (date, time) = t.split_once(' ').unwrap_or((t, "08:00"));
    let parts: Vec<&str> = date.split('/').collect();
    let [d, m, y] = parts.as_slice() else {
        return Ok(t.to_string());
    };
    let num = |s: &str| s.trim().parse::<u32>().ok();
    match (num(d), num(m), num(y)) {
        (Some(d), Some(m), Some(y)) if y >= 2000 => {
            Ok(format!("{y:04}-{m:02}-{d:02} {}", time.trim()))
        }
        _ => Err(CampaignError::BadSchedule(typed.to_string())),
    }
}

/// "" / "Toàn quốc" / "all" -> "all"; "Hà Nội, 79" -> "01, 79".
pub fn target(areas: &Areas, typed: &str) -> Result<String, CampaignError> {
    let folded = normalize(typed);
    if matches!(
        folded.as_str(),
        "" | "all" | "toan quoc" | "tat ca" | "ca nuoc"
    ) {
        return Ok("all".into());
    }
    let mut codes = Vec::new();
    for item in typed.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        if item.bytes().all(|b| b.is_ascii_digit()) {
            codes.push(item.to_string());
            continue;
        }
        let province = areas.search(item, 5).into_iter().find_map(|h| match h {
            AreaHit::Province(p) => Some(p),
            _ => None,
        });
        match province {
            Some(p) => codes.push(format!("{:02}", p.0)),
            None => return Err(CampaignError::UnknownProvince(item.to_string())),
        }
    }
    Ok(codes.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_dates_and_now_are_understood() {
        assert_eq!(schedule("").unwrap(), "now");
        assert_eq!(schedule("Gửi ngay").unwrap(), "now");
        assert_eq!(schedule("26/06/2027 08:30").unwrap(), "2027-06-26 08:30");
        assert_eq!(schedule("1/6/2027").unwrap(), "2027-06-01 08:00");
        assert_eq!(schedule("2027-06-26 08:00").unwrap(), "2027-06-26 08:00");
        assert!(schedule("26/06/27").is_err());
    }

    #[test]
    fn provinces_are_named_in_vietnamese() {
        let a = Areas::builtin().unwrap();
        assert_eq!(target(&a, "Toàn quốc").unwrap(), "all");
        assert_eq!(target(&a, "").unwrap(), "all");
        assert_eq!(target(&a, "Đồng Nai, 01").unwrap(), "75, 01");
        assert!(target(&a, "zzqxw").is_err());
    }
}
