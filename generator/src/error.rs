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

/// An input the generator cannot use (a file, the profile against the document, a
/// fetch, a command-line argument): what is wrong and where. The messages are the
/// CLI's.
#[derive(Debug)]
pub enum InputError {
    /// A file cannot be read.
    Read {
        source: String,
        error: std::io::Error,
    },
    /// A text input is not UTF-8.
    NotUtf8 { source: String },
    /// A TOML file (profile, lock) does not parse as what it must hold; the
    /// error carries line and column.
    Toml {
        source: String,
        error: Box<toml::de::Error>,
    },
    /// A path or URL cannot be fetched.
    Fetch(crate::fetch::FetchError),
    /// A permissions reference or slice is malformed.
    Permissions(crate::permissions::PermissionsError),
    /// A row of an operations table (descriptions) is malformed.
    Table {
        source: String,
        /// 1-based.
        line: usize,
        problem: TableProblem,
    },
    /// The document has none of the profile's roots.
    NoProfileRoots {
        roots: Vec<String>,
        document: String,
    },
    /// A closure root is not a type of the document.
    UnknownRoot { root: String, document: String },
    /// A profile entry set is not in the document's entity container.
    UnknownEntrySet { set: String, document: String },
    /// `inspect <type>` names no type of the document.
    UnknownType { name: String, document: String },
    /// `update --report <file>` cannot be written.
    WriteReport {
        path: std::path::PathBuf,
        error: std::io::Error,
    },
    /// The current folder cannot be read (to find the workspace).
    CurrentDir(std::io::Error),
    /// No folder from `start` upwards holds `marker`.
    NoWorkspace {
        marker: &'static str,
        start: std::path::PathBuf,
    },
}

/// What is wrong with a row of an operations table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TableProblem {
    /// The first line is not the header (shown with `\t` for tabs).
    Header { expected: String },
    /// A row without the 5 cells.
    Cells { found: usize },
    /// The method cell is not an HTTP method.
    Method { method: String },
    /// The path cell does not start with `/`.
    Path { path: String },
}

impl fmt::Display for TableProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TableProblem::Header { expected } => write!(f, "expected the header `{expected}`"),
            TableProblem::Cells { found } => {
                write!(f, "expected 5 tab-separated cells, found {found}")
            }
            TableProblem::Method { method } => write!(f, "`{method}` is not an HTTP method"),
            TableProblem::Path { path } => {
                write!(f, "the path `{path}` does not start with `/`")
            }
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputError::Read { source, error } => write!(f, "cannot read {source}: {error}"),
            InputError::NotUtf8 { source } => write!(f, "{source} is not UTF-8"),
            InputError::Toml { source, error } => write!(f, "{source}: {error}"),
            InputError::Fetch(error) => error.fmt(f),
            InputError::Permissions(error) => error.fmt(f),
            InputError::Table {
                source,
                line,
                problem,
            } => write!(f, "{source}:{line}: {problem}"),
            InputError::NoProfileRoots { roots, document } => write!(
                f,
                "none of the profile roots ({}) is a type in {document}: nothing to generate",
                roots.join(", ")
            ),
            InputError::UnknownRoot { root, document } => {
                write!(f, "profile root `{root}` is not a type in {document}")
            }
            InputError::UnknownEntrySet { set, document } => {
                write!(f, "profile entry set `{set}` is not in {document}")
            }
            InputError::UnknownType { name, document } => {
                write!(f, "no type named `{name}` in {document}")
            }
            InputError::WriteReport { path, error } => {
                write!(f, "cannot write the report {}: {error}", path.display())
            }
            InputError::CurrentDir(error) => write!(f, "cannot read the current folder: {error}"),
            InputError::NoWorkspace { marker, start } => write!(
                f,
                "no msgraph-sync workspace found: looked for {marker} in {} and every folder above it; \
                 run inside the workspace (the folder with generator/, generated/ and metadata/) \
                 or pass --root <folder>",
                start.display()
            ),
        }
    }
}

impl std::error::Error for InputError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            InputError::Read { error, .. }
            | InputError::WriteReport { error, .. }
            | InputError::CurrentDir(error) => Some(error),
            InputError::Toml { error, .. } => Some(error.as_ref()),
            InputError::Fetch(error) => Some(error),
            InputError::Permissions(error) => Some(error),
            _ => None,
        }
    }
}

impl From<crate::fetch::FetchError> for InputError {
    fn from(error: crate::fetch::FetchError) -> Self {
        InputError::Fetch(error)
    }
}

impl From<crate::permissions::PermissionsError> for InputError {
    fn from(error: crate::permissions::PermissionsError) -> Self {
        InputError::Permissions(error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::Error;

    #[test]
    fn input_errors_say_what_and_where() {
        let toml = crate::profile::Profile::parse("metadata/profile.toml", "crate_name = 1")
            .expect_err("not a profile");
        assert!(
            matches!(&toml, InputError::Toml { source, error }
                if source == "metadata/profile.toml" && error.span().is_some()),
            "{toml:?}"
        );
        assert!(
            toml.to_string()
                .starts_with("metadata/profile.toml: TOML parse error at line 1"),
            "{toml}"
        );
        let lock = crate::lock::Lock::parse("metadata/lock.toml", "x").expect_err("not a lock");
        assert!(matches!(lock, InputError::Toml { .. }), "{lock:?}");

        let model = crate::model::Model {
            source: "doc.xml".into(),
            ..Default::default()
        };
        let roots = vec!["n.a".to_string(), "n.b".to_string()];
        let none = crate::model::Closure::compute_available(&model, &roots).expect_err("no roots");
        assert_eq!(
            none.to_string(),
            "none of the profile roots (n.a, n.b) is a type in doc.xml: nothing to generate"
        );
        let unknown = crate::model::Closure::compute(&model, &roots).expect_err("unknown root");
        assert!(
            matches!(&unknown, InputError::UnknownRoot { root, document }
                if root == "n.a" && document == "doc.xml"),
            "{unknown:?}"
        );
        let closure = crate::model::Closure::default();
        let sets = ["jobs".to_string()];
        let set = crate::model::build_paths(&model, &closure, &sets).expect_err("no such set");
        assert_eq!(
            set.to_string(),
            "profile entry set `jobs` is not in doc.xml"
        );
    }

    #[test]
    fn table_rows_are_located_by_line() {
        let table = "method\tpath\tsummary\tdescription\texternalDocs_url\n\
                     GET\t/a\ts\td\tl\n\
                     FETCH\t/a\ts\td\tl\n";
        let err = crate::descriptions::load("ops.tsv", table.as_bytes()).expect_err("FETCH");
        let Error::Input(InputError::Table {
            source,
            line,
            problem,
        }) = &err
        else {
            panic!("{err:?}")
        };
        assert_eq!((source.as_str(), *line), ("ops.tsv", 3));
        assert_eq!(
            problem,
            &TableProblem::Method {
                method: "FETCH".into()
            }
        );
        assert_eq!(err.to_string(), "ops.tsv:3: `FETCH` is not an HTTP method");
        let header = crate::descriptions::load("ops.tsv", b"verb\tpath\n").expect_err("header");
        assert_eq!(
            header.to_string(),
            "ops.tsv:1: expected the header `method\\tpath\\tsummary\\tdescription\\texternalDocs_url`"
        );
    }
}
