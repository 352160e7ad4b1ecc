//! Teachers' class codes (migration 0018). A code is the teacher's label plus
//! a short suffix no other class has; its results link is a secret token of
//! which only the hash is stored. Quiz results stay in the anonymous
//! per-class counters (`counters.rs`), keyed by the code students type.
use std::collections::HashSet;

use rand::Rng;
use sqlx::Row;

use super::{Result, StorageError, Store};
use crate::domain::quiz::{CLASS_SUFFIX_ALPHABET, CLASS_SUFFIX_LEN};

/// Suffixes tried before giving up: with 27,000 suffixes per label, running
/// out means a label used by thousands of classes, not bad luck.
const ATTEMPTS: usize = 64;

#[derive(Debug, Clone, PartialEq)]
pub struct QuizClass {
    pub code: String,
    pub label: String,
    pub valid_until_ms: i64,
}

impl Store {
    /// Issues a code for `label` ("10A1" -> "10A1-7KQ") that no other class
    /// holds, keyed to the results token's hash.
    pub async fn create_class(
        &self,
        label: &str,
        token_hash: &str,
        valid_until_ms: i64,
    ) -> Result<String> {
        let _g = self.write_guard().await;
        for _ in 0..ATTEMPTS {
            let code = format!("{label}-{}", random_suffix());
            let inserted = sqlx::query(
                "INSERT INTO quiz_classes (code, label, token_hash, valid_until) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (code) DO NOTHING",
            )
            .bind(&code)
            .bind(label)
            .bind(token_hash)
            .bind(valid_until_ms)
            .execute(&self.pool)
            .await?
            .rows_affected();
            if inserted == 1 {
                return Ok(code);
            }
        }
        Err(StorageError::Corrupt(format!(
            "no free class code left for the label {label}"
        )))
    }

    /// The class a results token opens, while it is still valid.
    pub async fn class_by_token(&self, token_hash: &str, now_ms: i64) -> Result<Option<QuizClass>> {
        let row = sqlx::query(
            "SELECT code, label, valid_until FROM quiz_classes WHERE token_hash = $1 AND valid_until >= $2",
        )
        .bind(token_hash)
        .bind(now_ms)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| QuizClass {
            code: r.get("code"),
            label: r.get("label"),
            valid_until_ms: r.get("valid_until"),
        }))
    }

    /// Every code the bot issued; any other class code is shared between schools.
    pub async fn issued_class_codes(&self) -> Result<HashSet<String>> {
        let rows = sqlx::query("SELECT code FROM quiz_classes")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.iter().map(|r| r.get("code")).collect())
    }
}

fn random_suffix() -> String {
    let mut rng = rand::rng();
    (0..CLASS_SUFFIX_LEN)
        .map(|_| {
            char::from(CLASS_SUFFIX_ALPHABET[rng.random_range(0..CLASS_SUFFIX_ALPHABET.len())])
        })
        .collect()
}
