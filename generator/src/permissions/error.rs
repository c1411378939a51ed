//! The one error type of this module: it names the source and what is wrong.

use std::fmt;

/// Why a permissions document could not be read, and from where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PermissionsError {
    /// The file name or URL the bytes came from, as the caller named it.
    pub source: String,
    pub kind: PermissionsErrorKind,
}

/// What is wrong with a permissions document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PermissionsErrorKind {
    /// Not valid JSON, or JSON of the wrong shape (1-based line and column).
    Json {
        line: usize,
        column: usize,
        message: String,
    },
    /// Valid JSON that breaks a rule of the format (for example a duplicate entry).
    Invalid(String),
}

impl PermissionsError {
    /// Wraps a serde_json error, keeping its line and column apart from its text.
    pub(crate) fn json(source: &str, error: &serde_json::Error) -> Self {
        let (line, column) = (error.line(), error.column());
        let text = error.to_string();
        let suffix = format!(" at line {line} column {column}");
        let message = text.strip_suffix(&suffix).unwrap_or(&text).to_owned();
        PermissionsError {
            source: source.to_owned(),
            kind: PermissionsErrorKind::Json {
                line,
                column,
                message,
            },
        }
    }

    /// An error about valid JSON whose content breaks a rule.
    pub(crate) fn invalid(source: &str, message: impl Into<String>) -> Self {
        PermissionsError {
            source: source.to_owned(),
            kind: PermissionsErrorKind::Invalid(message.into()),
        }
    }
}

impl fmt::Display for PermissionsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            PermissionsErrorKind::Json {
                line,
                column,
                message,
            } => write!(
                f,
                "{}:{line}:{column}: invalid permissions JSON: {message}",
                self.source
            ),
            PermissionsErrorKind::Invalid(message) => {
                write!(f, "{}: invalid permissions: {message}", self.source)
            }
        }
    }
}

impl std::error::Error for PermissionsError {}
