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

    /// Several inputs of one form that break rules, each with its field, so a form can show
    /// every mistake at once beside its field (never fewer than two; one is `Invalid`).
    #[error("{}", .0.iter().map(|e| format!("{}: {}", e.field, e.message)).collect::<Vec<_>>().join("; "))]
    InvalidFields(Vec<FieldError>),

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

    /// Another process held the database's write lock for longer than a command waits.
    #[error("another Recert process kept the data locked for 30 seconds, so nothing was changed; try again when it has finished")]
    Busy,

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
            format!(
                "Newest good backup: {} (run recert restore with it and --yes, or close Recert and copy it over the \
                 database)",
                backup.display()
            )
        }
        None => format!("There is no good backup in {}/.", backups_dir.display()),
    }
}

/// One field's problem in a form.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
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
            Self::Invalid { .. } | Self::InvalidFields(_) => "invalid",
            Self::NotFound { .. } => "not_found",
            Self::NeedsConfirmation(_) => "needs_confirmation",
            Self::NewerDatabase { .. } => "newer_database",
            Self::NoData { .. } => "no_data",
            Self::Damaged { .. } => "damaged",
            Self::EmptyDatabase { .. } => "empty_database",
            Self::ReadOnlyFolder { .. } => "read_only",
            Self::Busy => "busy",
            Self::Database(_) => "database",
            Self::Io { .. } => "io",
            Self::Corrupt(_) => "corrupt",
        }
    }

    /// The input field the error is about (the first, when there are several), if any.
    pub fn field(&self) -> Option<&str> {
        match self {
            Self::Invalid { field, .. } => Some(field),
            Self::InvalidFields(errors) => errors.first().map(|e| e.field.as_str()),
            _ => None,
        }
    }

    /// Every field problem this error reports, in the form's order (empty when it is not about
    /// input).
    pub fn field_errors(&self) -> Vec<FieldError> {
        match self {
            Self::Invalid { field, message } => vec![FieldError { field: field.clone(), message: message.clone() }],
            Self::InvalidFields(errors) => errors.clone(),
            _ => Vec::new(),
        }
    }
}

/// Gathers the problems of a whole form instead of stopping at the first, so the user sees
/// every mistake at once. Errors that are not about input are kept as they are.
#[derive(Debug, Default)]
pub struct Problems {
    fields: Vec<FieldError>,
    other: Option<Error>,
}

impl Problems {
    /// The value, or `None` after recording why there is none.
    pub fn check<T>(&mut self, result: Result<T>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                self.add(error);
                None
            }
        }
    }

    pub fn add(&mut self, error: Error) {
        match error {
            Error::Invalid { field, message } => self.fields.push(FieldError { field, message }),
            Error::InvalidFields(errors) => self.fields.extend(errors),
            other => {
                self.other.get_or_insert(other);
            }
        }
    }

    /// How many field problems were recorded.
    pub fn len(&self) -> usize {
        self.fields.len()
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.other.is_none()
    }

    /// `Ok` when nothing was recorded; otherwise the first error that is not about input, else
    /// every field problem (one as `Invalid`, several as `InvalidFields`).
    pub fn finish(mut self) -> Result<()> {
        if let Some(other) = self.other {
            return Err(other);
        }
        match self.fields.len() {
            0 => Ok(()),
            1 => {
                let FieldError { field, message } = self.fields.remove(0);
                Err(Error::Invalid { field, message })
            }
            _ => Err(Error::InvalidFields(self.fields)),
        }
    }
}
