//! From a shared location to the ward whose centre is nearest. A centroid is
//! not a boundary, so the answer is only ever a suggestion the reporter confirms.
use std::collections::BTreeMap;

use serde::Deserialize;

use super::{AreaError, Areas, Ward, WardCode};

/// Farther than this from every ward centre is taken as outside Vietnam
/// (the largest communes are a few tens of kilometres across).
pub const MAX_DISTANCE_KM: f64 = 30.0;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NearWard {
    pub ward: WardCode,
    pub distance_km: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NearestError {
    #[error("not a coordinate")]
    Invalid,
    /// 0,0: what a phone sends when it has no fix.
    #[error("0,0 is no real location")]
    NoFix,
    #[error("too far from every ward of Vietnam")]
    OutsideVietnam,
}

#[derive(Deserialize)]
struct Row {
    ward_code: u32,
    lat: f64,
    lon: f64,
}

const FILE: &str = "vn-ward-centroids-2025.csv";

pub(super) fn load(
    reader: impl std::io::Read,
    wards: &mut BTreeMap<WardCode, Ward>,
) -> Result<(), AreaError> {
    let mut rdr = csv::Reader::from_reader(reader);
    for (i, row) in rdr.deserialize::<Row>().enumerate() {
        let row: Row = row.map_err(|source| AreaError::Csv { file: FILE, source })?;
        let err = |message: String| AreaError::Parse {
            file: FILE,
            line: i + 2,
            message,
        };
        if !(-90.0..=90.0).contains(&row.lat) || !(-180.0..=180.0).contains(&row.lon) {
            return Err(err("coordinate out of range".into()));
        }
        let Some(w) = wards.get_mut(&WardCode(row.ward_code)) else {
            return Err(err(format!("unknown ward code {}", row.ward_code)));
        };
        w.centroid = Some((row.lat, row.lon));
    }
    Ok(())
}

/// Great-circle distance in kilometres.
fn haversine_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (lat1, lon1) = (a.0.to_radians(), a.1.to_radians());
    let (lat2, lon2) = (b.0.to_radians(), b.1.to_radians());
    let h = ((lat2 - lat1) / 2.0).sin().powi(2)
        + lat1.cos() * lat2.cos() * ((lon2 - lon1) / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().asin()
}

impl Areas {
    /// The ward whose centre is nearest to (lat, lon); ties go to the lower code.
    pub fn nearest_ward(&self, lat: f64, lon: f64) -> Result<NearWard, NearestError> {
        if !lat.is_finite() || !lon.is_finite() || lat.abs() > 90.0 || lon.abs() > 180.0 {
            return Err(NearestError::Invalid);
        }
        if lat == 0.0 && lon == 0.0 {
            return Err(NearestError::NoFix);
        }
        let best = self
            .wards
            .values()
            .filter_map(|w| Some((haversine_km((lat, lon), w.centroid?), w.code)))
            .min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        match best {
            Some((d, ward)) if d <= MAX_DISTANCE_KM => Ok(NearWard {
                ward,
                distance_km: d,
            }),
            _ => Err(NearestError::OutsideVietnam),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn areas() -> Areas {
        let centroids =
            "ward_code,lat,lon,area_km2\n26068,10.95,106.82,10\n4,21.0386,105.838,2.97\n";
        super::super::tests::areas()
            .with_centroids(centroids.as_bytes())
            .unwrap()
    }

    #[test]
    fn a_point_near_a_centre_suggests_that_ward() {
        let near = areas().nearest_ward(10.951, 106.821).unwrap();
        assert_eq!(near.ward, WardCode(26068));
        assert!(near.distance_km < 1.0);
    }

    #[test]
    fn no_fix_and_far_away_points_are_told_apart() {
        let a = areas();
        assert_eq!(a.nearest_ward(0.0, 0.0), Err(NearestError::NoFix));
        assert_eq!(
            a.nearest_ward(48.85, 2.35),
            Err(NearestError::OutsideVietnam)
        );
        assert_eq!(a.nearest_ward(f64::NAN, 1.0), Err(NearestError::Invalid));
    }

    #[test]
    fn a_centroid_for_an_unknown_ward_fails_with_its_line() {
        let bad = "ward_code,lat,lon,area_km2\n26068,10.9,106.8,1\n77777,1,1,1\n";
        let err = super::super::tests::areas()
            .with_centroids(bad.as_bytes())
            .unwrap_err();
        assert!(err.to_string().contains("line 3"), "{err}");
    }
}
