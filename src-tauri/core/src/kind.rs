//! What kind of credential a preset or a held credential is: a leaf module, so the catalog and
//! the credentials can both name it without depending on each other.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CredentialKind {
    /// A certification that collects continuing-education units.
    Credential,
    /// A CPR/AED (or First Aid) card that other credentials require.
    CprAed,
}

impl CredentialKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Credential => "credential",
            Self::CprAed => "cpr_aed",
        }
    }

    pub fn parse(text: &str) -> Result<Self> {
        match text {
            "credential" => Ok(Self::Credential),
            "cpr_aed" => Ok(Self::CprAed),
            other => Err(Error::Corrupt(format!("unknown credential kind {other:?}"))),
        }
    }
}
