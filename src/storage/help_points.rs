//! Local help points admins keep in the dashboard (migration 0018), beside
//! the operator's help-directory file. The bot reads them through the live
//! catalog (`content::LiveCatalog::set_managed_points`).
use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Result, StorageError, Store};
use crate::domain::help::{LocalKind, LocalPoint};

/// A stored point and its row id, for the dashboard's edit forms.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredHelpPoint {
    pub id: i64,
    pub point: LocalPoint,
}

const COLUMNS: &str = "id, province_code, kind, name_vi, name_en, address, phone, hours_vi, hours_en, source, verified_on";

impl Store {
    /// Every stored point, by province then name.
    pub async fn help_points(&self) -> Result<Vec<StoredHelpPoint>> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM help_points ORDER BY province_code, name_vi, id"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(from_row).collect()
    }

    /// Adds a point; returns its id.
    pub async fn add_help_point(&self, p: &LocalPoint) -> Result<i64> {
        let _g = self.write_guard().await;
        let query = sqlx::query(
            "INSERT INTO help_points (province_code, kind, name_vi, name_en, address, phone, hours_vi, hours_en, source, verified_on) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        );
        let row = bind_point(query, p).fetch_one(&self.pool).await?;
        Ok(row.get("id"))
    }

    /// Replaces a point's fields; false when there is no such point.
    pub async fn update_help_point(&self, id: i64, p: &LocalPoint) -> Result<bool> {
        let _g = self.write_guard().await;
        let query = sqlx::query(
            "UPDATE help_points SET province_code = $1, kind = $2, name_vi = $3, name_en = $4, address = $5, \
             phone = $6, hours_vi = $7, hours_en = $8, source = $9, verified_on = $10 WHERE id = $11",
        );
        let done = bind_point(query, p).bind(id).execute(&self.pool).await?;
        Ok(done.rows_affected() == 1)
    }

    /// Removes a point that can no longer be confirmed; false when absent.
    pub async fn delete_help_point(&self, id: i64) -> Result<bool> {
        let _g = self.write_guard().await;
        let done = sqlx::query("DELETE FROM help_points WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }
}

/// The ten fields of a point, in column order ($1..$10 of both statements).
fn bind_point<'q>(
    q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    p: &'q LocalPoint,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    q.bind(i64::from(p.province_code))
        .bind(p.kind.as_str())
        .bind(&p.name_vi)
        .bind(&p.name_en)
        .bind(&p.address)
        .bind(&p.phone)
        .bind(&p.hours_vi)
        .bind(&p.hours_en)
        .bind(&p.source)
        .bind(&p.verified_on)
}

fn from_row(r: &AnyRow) -> Result<StoredHelpPoint> {
    let kind: String = r.get("kind");
    let province: i64 = r.get("province_code");
    let point = LocalPoint {
        province_code: u32::try_from(province)
            .map_err(|_| StorageError::Corrupt(format!("help point province {province}")))?,
        kind: LocalKind::parse(&kind)
            .ok_or_else(|| StorageError::Corrupt(format!("help point kind {kind:?}")))?,
        name_vi: r.get("name_vi"),
        name_en: r.get("name_en"),
        address: r.get("address"),
        phone: r.get("phone"),
        hours_vi: r.get("hours_vi"),
        hours_en: r.get("hours_en"),
        source: r.get("source"),
        verified_on: r.get("verified_on"),
    };
    Ok(StoredHelpPoint {
        id: r.get("id"),
        point,
    })
}
