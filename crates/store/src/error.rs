//! The store's one error type. Messages are safe to show; causes are kept for the log.

/// What went wrong in storage.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// No row with that id (or not visible): callers turn this into a 404.
    #[error("not found")]
    NotFound,
    /// A unique value is taken (a username, a program name, a member code).
    #[error("{0} is already taken")]
    Taken(&'static str),
    /// A business rule refused the change; the message says which.
    #[error("{0}")]
    Refused(String),
    /// One input is not acceptable. `field` names it the way forms and the API do
    /// ("left_on", "code"); the message says why, in words, without the field's name.
    #[error("{message}")]
    Invalid {
        field: &'static str,
        message: String,
    },
    /// The record is locked against this change (attendance after the group note is
    /// signed); the message says why.
    #[error("{0}")]
    Locked(String),
    /// A stored value failed to parse back into a domain value.
    #[error("stored data is not valid: {0}")]
    Corrupt(String),
    /// The URL names no database Circlework can use.
    #[error("unsupported database URL (use sqlite://PATH or postgres://...): {0}")]
    UnsupportedUrl(String),
    #[error("database error: {0}")]
    Database(#[source] sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The record exists already and the first is kept (a second questionnaire response
    /// from a member for the same instrument and session): the web answers 409. `item` is
    /// the position (from 1) in an all-or-nothing batch.
    #[error("{what} was already recorded")]
    Duplicate {
        what: &'static str,
        item: Option<usize>,
    },
}

impl From<sqlx::Error> for StoreError {
    fn from(err: sqlx::Error) -> Self {
        match err {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            other => StoreError::Database(other),
        }
    }
}

impl StoreError {
    pub(crate) fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        StoreError::Invalid {
            field,
            message: message.into(),
        }
    }
}

impl From<domain::ParseError> for StoreError {
    fn from(err: domain::ParseError) -> Self {
        StoreError::Corrupt(err.to_string())
    }
}

/// Maps a unique-constraint violation to `Taken(what)`, and anything else through `From`.
pub(crate) fn taken_or(what: &'static str) -> impl FnOnce(sqlx::Error) -> StoreError {
    move |err| match &err {
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Taken(what),
        _ => StoreError::from(err),
    }
}
