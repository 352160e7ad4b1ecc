//! Creating an officer account, for the admin page and `tipline officer add`
//! alike: the same checks in the same order, one hash, one insert.
use super::password;
use crate::domain::area::Areas;
use crate::domain::officer::valid_username;
use crate::domain::routing::UnitCode;
use crate::storage::officers::{NewOfficer, Role};
use crate::storage::{StorageError, Store};

/// Why an account was not created; each caller words it for its reader.
#[derive(Debug, thiserror::Error)]
pub enum CreateOfficerError {
    #[error("not a known unit code")]
    UnknownUnit,
    #[error("usernames have 3-32 characters: a-z, 0-9, dot, dash or underscore")]
    BadUsername,
    #[error(
        "the password must have at least {} characters",
        password::MIN_PASSWORD_CHARS
    )]
    WeakPassword,
    #[error("a supervisor account belongs to a provincial drug police unit (PC04-<province code>)")]
    RoleUnit,
    #[error("the username is already taken")]
    UsernameTaken,
    #[error("hashing the password: {0}")]
    Hash(String),
    #[error(transparent)]
    Storage(StorageError),
}

/// A unit and username that passed the checks, lowercased and normalised.
#[derive(Debug, Clone)]
pub struct AccountName {
    pub unit: UnitCode,
    pub username: String,
}

/// Checks the unit code against the areas list and the username rule.
/// Done before a password is asked for, so a typo costs no typing.
pub fn check_name(
    unit: &str,
    username: &str,
    areas: &Areas,
) -> Result<AccountName, CreateOfficerError> {
    let unit = UnitCode::parse_known(unit, areas).ok_or(CreateOfficerError::UnknownUnit)?;
    let username = username.trim().to_lowercase();
    if !valid_username(&username) {
        return Err(CreateOfficerError::BadUsername);
    }
    Ok(AccountName { unit, username })
}

/// Checks the password, hashes it and stores the account. Returns its id.
pub async fn create(
    store: &Store,
    name: &AccountName,
    role: Role,
    password: &str,
    now_ms: i64,
) -> Result<i64, CreateOfficerError> {
    if !role.fits_unit(name.unit.as_str()) {
        return Err(CreateOfficerError::RoleUnit);
    }
    if password::weakness(password).is_some() {
        return Err(CreateOfficerError::WeakPassword);
    }
    let hash = password::hash(password).map_err(|e| CreateOfficerError::Hash(e.to_string()))?;
    let new = NewOfficer {
        unit: name.unit.as_str(),
        username: &name.username,
        role,
        password_hash: &hash,
    };
    match store.create_officer(new, now_ms).await {
        Ok(id) => Ok(id),
        Err(StorageError::Conflict) => Err(CreateOfficerError::UsernameTaken),
        Err(e) => Err(CreateOfficerError::Storage(e)),
    }
}
