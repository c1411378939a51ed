//! Keeping secrets out of `Debug` output.
//!
//! Synchronization secrets (`synchronizationSecretKeyStringValuePair.value`) and
//! credentials end up in structs that users log with `{:?}`. Generated `Debug` impls
//! wrap such fields: `.field("value", &Redacted(&self.value))`, which shows the shape
//! (absent, null, how many items) and never the content.

use crate::runtime::binary::Binary;
use crate::runtime::nullable::Nullable;
use std::fmt;

/// What is printed in place of a secret.
pub const REDACTED: &str = "<redacted>";

/// Wraps a reference so that its `Debug` output hides the secret content; see
/// [`RedactedDebug`] for what each shape prints.
pub struct Redacted<'a, T: ?Sized>(pub &'a T);

impl<T: RedactedDebug + ?Sized> fmt::Debug for Redacted<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt_redacted(f)
    }
}

/// `Debug` without the content: implemented for the shapes secret fields take.
/// Implement it for another type by writing [`REDACTED`] (or its shape) to `f`.
pub trait RedactedDebug {
    /// Writes a debug form that reveals the shape but no secret content.
    fn fmt_redacted(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result;
}

/// Leaf values: the content is the secret.
macro_rules! redact_leaf {
    ($($ty:ty),* $(,)?) => {$(
        impl RedactedDebug for $ty {
            /// `<redacted>`.
            fn fmt_redacted(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(REDACTED)
            }
        }
    )*};
}

redact_leaf!(str, String, serde_json::Value, Binary);

impl<T: RedactedDebug + ?Sized> RedactedDebug for &T {
    fn fmt_redacted(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).fmt_redacted(f)
    }
}

impl<T: RedactedDebug + ?Sized> RedactedDebug for Box<T> {
    fn fmt_redacted(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).fmt_redacted(f)
    }
}

impl<T: RedactedDebug> RedactedDebug for Option<T> {
    /// `None` or `Some(<inner redacted>)`: whether a secret is set is not secret.
    fn fmt_redacted(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            None => f.write_str("None"),
            Some(value) => f.debug_tuple("Some").field(&Redacted(value)).finish(),
        }
    }
}

impl<T: RedactedDebug> RedactedDebug for Nullable<T> {
    /// `Absent`, `Null` or `Value(<inner redacted>)`.
    fn fmt_redacted(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Nullable::Absent => f.write_str("Absent"),
            Nullable::Null => f.write_str("Null"),
            Nullable::Value(value) => f.debug_tuple("Value").field(&Redacted(value)).finish(),
        }
    }
}

impl<T> RedactedDebug for [T] {
    /// `[<redacted>; N]`: the number of items, none of their content.
    fn fmt_redacted(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{REDACTED}; {}]", self.len())
    }
}

impl<T> RedactedDebug for Vec<T> {
    /// `[<redacted>; N]`.
    fn fmt_redacted(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.as_slice().fmt_redacted(f)
    }
}

impl RedactedDebug for serde_json::Map<String, serde_json::Value> {
    /// `{<redacted>; N}`: unknown properties of a secret-bearing object may be
    /// secrets too, names included.
    fn fmt_redacted(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{{{REDACTED}; {}}}", self.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CANARY: &str = "hunter2-canary";

    fn debug<T: RedactedDebug + ?Sized>(value: &T) -> String {
        let out = format!("{:?}", Redacted(value));
        assert!(!out.contains(CANARY), "{out}");
        assert!(!out.contains("hunter2"), "{out}");
        let pretty = format!("{:#?}", Redacted(value));
        assert!(!pretty.contains("hunter2"), "{pretty}");
        out
    }

    #[test]
    fn shapes_show_and_content_does_not() {
        let secret = CANARY.to_string();
        assert_eq!(debug(CANARY), REDACTED);
        assert_eq!(debug(&secret), "<redacted>");
        assert_eq!(debug(&Some(secret.clone())), "Some(<redacted>)");
        assert_eq!(debug(&None::<String>), "None");
        assert_eq!(debug(&Nullable::Value(secret.clone())), "Value(<redacted>)");
        assert_eq!(debug(&Nullable::<String>::Null), "Null");
        assert_eq!(debug(&Nullable::<String>::Absent), "Absent");
        assert_eq!(
            debug(&vec![secret.clone(), secret.clone()]),
            "[<redacted>; 2]"
        );
        assert_eq!(debug(&[secret.clone()][..]), "[<redacted>; 1]");
        assert_eq!(debug(&Some(vec![secret.clone()])), "Some([<redacted>; 1])");
        assert_eq!(debug(&Box::new(secret.clone())), "<redacted>");
        assert_eq!(debug(&serde_json::json!({ "k": CANARY })), "<redacted>");
        let mut map = serde_json::Map::new();
        map.insert(CANARY.into(), CANARY.into());
        assert_eq!(debug(&map), "{<redacted>; 1}");
        debug(&Binary::from_bytes(CANARY.as_bytes()));
    }

    #[test]
    fn generated_style_debug_hides_the_secret() {
        struct SecretPair {
            key: String,
            value: Nullable<String>,
        }
        impl fmt::Debug for SecretPair {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct("SecretPair")
                    .field("key", &self.key)
                    .field("value", &Redacted(&self.value))
                    .finish()
            }
        }
        let pair = SecretPair {
            key: "SecretToken".into(),
            value: Nullable::Value(CANARY.into()),
        };
        let out = format!("{pair:?}");
        assert_eq!(
            out,
            r#"SecretPair { key: "SecretToken", value: Value(<redacted>) }"#
        );
        assert!(!format!("{pair:#?}").contains(CANARY));
    }
}
