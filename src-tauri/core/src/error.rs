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

    /// No database in the data folder, for a command that only reads or changes what exists.
    #[error("no Recert data at {}", dir.display())]
    NoData { dir: PathBuf },

    /// The database file fails SQLite's checks (or is not one): nothing reads from it or writes
    /// to it until the user restores a backup.
    #[error("the database {} is damaged ({problem}); Recert will not read or change it. {}", path.display(), restore_hint(backup.as_deref(), backups_dir))]
    Damaged { path: PathBuf, problem: String, backup: Option<PathBuf>, backups_dir: PathBuf },

    /// A 0-byte database beside backups or proofs: the data went missing; starting a new
    /// database over it would hide that.
    #[error("the database {} is empty, but this folder held Recert data (backups/, proofs/); Recert will not start a new one over it. {}", path.display(), restore_hint(backup.as_deref(), backups_dir))]
    EmptyDatabase { path: PathBuf, backup: Option<PathBuf>, backups_dir: PathBuf },

    /// A change asked of a data folder this user may only read.
    #[error("the data folder {} is read-only: nothing was changed", dir.display())]
    ReadOnlyFolder { dir: PathBuf },

    #[error("database error: {0}")]
    Database(#[from] rusqlite::Error),

    #[error("{context}: {source}")]
    Io { context: String, source: std::io::Error },

    #[error("the data could not be read: {0}")]
    Corrupt(String),
}

/// How to get the data back: the newest backup that passed SQLite's checks, or where none was.
fn restore_hint(backup: Option<&std::path::Path>, backups_dir: &std::path::Path) -> String {
    match backup {
        Some(backup) => {
            format!("Newest good backup: {} (close Recert, then copy it over the database)", backup.display())
        }
        None => format!("There is no good backup in {}/.", backups_dir.display()),
    }
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
            Self::NoData { .. } => "no_data",
            Self::Damaged { .. } => "damaged",
            Self::EmptyDatabase { .. } => "empty_database",
            Self::ReadOnlyFolder { .. } => "read_only",
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
