//! Stage 1: bytes -> [`Csdl`]. A streaming quick-xml reader (no DOM) that keeps
//! every element the Graph files use and counts what it does not model.

pub mod ast;
mod qualify;
mod reader;
pub mod xml_text;

pub use ast::*;
pub use qualify::{Namespaces, join};
pub use reader::read;
