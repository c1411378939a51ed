//! Errors with a source location: every failure names the file, line, column and
//! element, so a user can go straight to the offending spot.

use std::fmt;

/// A 1-based line and column in a source file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    pub line: u32,
    pub column: u32,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// What went wrong, without where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorKind {
    /// The bytes are not well-formed XML (or end early).
    MalformedXml(String),
    /// A required attribute is missing.
    MissingAttribute { attribute: String },
    /// An attribute's value does not parse as what the CSDL spec requires.
    InvalidAttribute {
        attribute: String,
        value: String,
        expected: String,
    },
    /// An element appears where CSDL does not allow it, or its text is invalid.
    InvalidElement(String),
    /// The document is not an EDMX/CSDL document at all.
    NotCsdl(String),
    /// A type, base type, binding or term reference names nothing in the document.
    UnresolvedReference { reference: String, what: String },
    /// Two items in one namespace share a name where CSDL requires uniqueness.
    DuplicateName { name: String, first: Location },
    /// A semantic rule of the model is broken (for example a base-type cycle).
    Invalid(String),
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorKind::MalformedXml(message) => write!(f, "malformed XML: {message}"),
            ErrorKind::MissingAttribute { attribute } => {
                write!(f, "missing required attribute `{attribute}`")
            }
            ErrorKind::InvalidAttribute {
                attribute,
                value,
                expected,
            } => write!(
                f,
                "attribute `{attribute}` has value {value:?}, expected {expected}"
            ),
            ErrorKind::InvalidElement(message) => f.write_str(message),
            ErrorKind::NotCsdl(message) => write!(f, "not a CSDL document: {message}"),
            ErrorKind::UnresolvedReference { reference, what } => {
                write!(f, "{what} `{reference}` does not resolve to anything")
            }
            ErrorKind::DuplicateName { name, first } => {
                write!(f, "duplicate name `{name}` (first defined at {first})")
            }
            ErrorKind::Invalid(message) => f.write_str(message),
        }
    }
}

/// An error located in a source file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceError {
    pub file: String,
    pub location: Location,
    /// The element the error is about, e.g. `Property` or `EntityType "job"`.
    pub element: String,
    pub kind: ErrorKind,
}

impl fmt::Display for SourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: in <{}>: {}",
            self.file, self.location, self.element, self.kind
        )
    }
}

impl std::error::Error for SourceError {}
