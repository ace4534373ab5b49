//! The one error type of the core. Every variant maps to a stable machine code (`code()`), which
//! the desktop shell sends across IPC as `{code, message}` and the CLI prints as one line.

use std::path::PathBuf;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Input that breaks a rule; `field` names what the user typed so a form can show the error
    /// beside it.
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },

    /// An id, preset or file that does not exist.
    #[error("{what} not found: {id}")]
    NotFound { what: &'static str, id: String },

    /// An action that needs an explicit confirmation (e.g. removing a credential with history).
    #[error("{0}")]
    NeedsConfirmation(String),

    /// The database was written by a newer Recert; it is left untouched.
    #[error(
        "the database at {path} was written by a newer version of Recert (schema {found}, this \
         version understands up to {supported}); it was left untouched — update Recert to open it"
    )]
    NewerDatabase { path: PathBuf, found: i64, supported: i64 },

    #[error("database error: {0}")]
    Database(#[from] rusqlite::Error),

    #[error("{context}: {source}")]
    Io { context: String, source: std::io::Error },

    #[error("the data could not be read: {0}")]
    Corrupt(String),
}

impl Error {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Invalid { field: field.into(), message: message.into() }
    }

    pub fn not_found(what: &'static str, id: impl ToString) -> Self {
        Self::NotFound { what, id: id.to_string() }
    }

    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Self::Io { context: context.into(), source }
    }

    /// A stable code for programs (IPC, tests); the message is for people.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Invalid { .. } => "invalid",
            Self::NotFound { .. } => "not_found",
            Self::NeedsConfirmation(_) => "needs_confirmation",
            Self::NewerDatabase { .. } => "newer_database",
            Self::Database(_) => "database",
            Self::Io { .. } => "io",
            Self::Corrupt(_) => "corrupt",
        }
    }

    /// The input field the error is about, when there is one.
    pub fn field(&self) -> Option<&str> {
        match self {
            Self::Invalid { field, .. } => Some(field),
            _ => None,
        }
    }
}
