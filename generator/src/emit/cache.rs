//! Formatted files kept between runs in the workspace's `target/`, keyed by the
//! tokens they were formatted from, so that a run formats only the files whose
//! tokens changed (parsing and pretty-printing is most of a generation's work).
//!
//! Formatting is a pure function of the tokens, the header and the generator
//! program, so a key is the SHA-256 of the tokens and the header, and the cache
//! holds only for the generator that wrote it. Each entry also carries the
//! SHA-256 of its text, checked on load: a damaged cache is dropped, never used.
//! A missing, unreadable or foreign cache only costs a full formatting.

use crate::lock::sha256_hex;
use crate::stamp::GeneratorId;
use crate::write::{Filesystem, replace_file};
use proc_macro2::TokenStream;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::Path;
use std::sync::Mutex;

/// Where the cache lives, under the workspace root (beside the stamp).
pub const CACHE_FILE: &str = "target/msgraph-sync-generator.format-cache";

/// The first line of a cache file: a new layout never reads an old one.
const FORMAT_LINE: &str = "msgraph-sync-generator format cache 1";

/// What a file's formatted text depends on besides the generator.
type Key = [u8; 32];

/// Formatted files by the tokens they came from; shared by the formatting threads.
#[derive(Debug)]
pub struct FormatCache {
    /// `None`: caching is off (no generator identity).
    generator: Option<GeneratorId>,
    /// What the last run left (verified).
    known: HashMap<Key, String>,
    /// What this run formatted or reused, by key: what the next run needs.
    used: Mutex<BTreeMap<Key, String>>,
}

impl FormatCache {
    /// No cache: every file is formatted (tests, one-off front ends).
    pub fn disabled() -> FormatCache {
        FormatCache {
            generator: None,
            known: HashMap::new(),
            used: Mutex::new(BTreeMap::new()),
        }
    }

    /// The cache under `root` if `generator` wrote it and every entry checks out;
    /// an empty one (that still records this run) otherwise.
    pub fn load(fs: &dyn Filesystem, root: &Path, generator: GeneratorId) -> FormatCache {
        let known = fs
            .read(&root.join(CACHE_FILE))
            .ok()
            .flatten()
            .and_then(|bytes| parse(&bytes, &generator))
            .unwrap_or_default();
        FormatCache {
            generator: Some(generator),
            known,
            used: Mutex::new(BTreeMap::new()),
        }
    }

    /// Nothing was loaded: no file can be reused from it.
    pub fn is_empty(&self) -> bool {
        self.known.is_empty()
    }

    /// The formatted text of `tokens`: the cached one when the same tokens and
    /// header were formatted before, otherwise `format` is called.
    pub fn format(
        &self,
        header: &str,
        tokens: TokenStream,
        format: impl FnOnce(TokenStream) -> Result<String, String>,
    ) -> Result<String, String> {
        if self.generator.is_none() {
            return format(tokens);
        }
        let key = key(header, &tokens);
        let text = match self.known.get(&key) {
            Some(text) => text.clone(),
            None => format(tokens)?,
        };
        self.used
            .lock()
            .map_err(|_| "the format cache was poisoned by a panic".to_string())?
            .insert(key, text.clone());
        Ok(text)
    }

    /// The generator the cache holds for (`None` when caching is off).
    pub fn generator(&self) -> Option<&GeneratorId> {
        self.generator.as_ref()
    }

    /// How many files were reused from the last run.
    #[cfg(test)]
    fn hits(&self) -> usize {
        self.used
            .lock()
            .map(|used| {
                used.keys()
                    .filter(|key| self.known.contains_key(*key))
                    .count()
            })
            .unwrap_or(0)
    }

    /// Keeps what this run used for the next one. Writes nothing when the cache
    /// is off, this run formatted nothing (the files were reused whole), the
    /// cache already holds exactly what it used, or the workspace has no
    /// `target/` folder (returns `Ok(false)` then).
    pub fn save(&self, fs: &dyn Filesystem, root: &Path) -> std::io::Result<bool> {
        let Some(generator) = &self.generator else {
            return Ok(false);
        };
        let path = root.join(CACHE_FILE);
        if !path.parent().is_some_and(|dir| fs.is_dir(dir)) {
            return Ok(false);
        }
        let used = self
            .used
            .lock()
            .map_err(|_| std::io::Error::other("the format cache was poisoned by a panic"))?;
        let unchanged =
            used.len() == self.known.len() && used.keys().all(|key| self.known.contains_key(key));
        if used.is_empty() || unchanged {
            return Ok(false);
        }
        let mut text = format!("{FORMAT_LINE}\n{}\n", generator.as_str());
        for (key, contents) in used.iter() {
            let _ = writeln!(
                text,
                "entry {} {} {}",
                hex(key),
                sha256_hex(contents.as_bytes()),
                contents.len()
            );
            text.push_str(contents);
            text.push('\n');
        }
        replace_file(fs, &path, text.as_bytes())?;
        Ok(true)
    }
}

/// SHA-256 of the header and the tokens' text, streamed (no copy of the text).
fn key(header: &str, tokens: &TokenStream) -> Key {
    struct Hashing(Sha256);
    impl std::fmt::Write for Hashing {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            self.0.update(s.as_bytes());
            Ok(())
        }
    }
    let mut hashing = Hashing(Sha256::new());
    hashing.0.update(header.as_bytes());
    hashing.0.update([0]);
    let _ = write!(hashing, "{tokens}");
    hashing.0.finalize().into()
}

fn hex(key: &Key) -> String {
    key.iter().fold(String::with_capacity(64), |mut out, byte| {
        let _ = write!(out, "{byte:02x}");
        out
    })
}

/// The entries of a cache file written by `generator`; `None` for anything else
/// (another generator, another layout, a damaged entry).
fn parse(bytes: &[u8], generator: &GeneratorId) -> Option<HashMap<Key, String>> {
    let text = std::str::from_utf8(bytes).ok()?;
    let rest = text.strip_prefix(FORMAT_LINE)?.strip_prefix('\n')?;
    let (id, mut rest) = rest.split_once('\n')?;
    if id != generator.as_str() {
        return None;
    }
    let mut entries = HashMap::new();
    while !rest.is_empty() {
        let (line, after) = rest.split_once('\n')?;
        let mut fields = line.strip_prefix("entry ")?.split(' ');
        let key = parse_key(fields.next()?)?;
        let sha = fields.next()?;
        let len: usize = fields.next()?.parse().ok()?;
        let contents = after.get(..len)?;
        if sha256_hex(contents.as_bytes()) != sha {
            return None;
        }
        rest = after[len..].strip_prefix('\n')?;
        entries.insert(key, contents.to_string());
    }
    Some(entries)
}

fn parse_key(text: &str) -> Option<Key> {
    if text.len() != 64 {
        return None;
    }
    let mut key = [0u8; 32];
    for (byte, pair) in key.iter_mut().zip(text.as_bytes().chunks(2)) {
        *byte = u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok()?;
    }
    Some(key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::write::RealFs;
    use quote::quote;

    /// `struct NAME;`
    fn item(name: &str) -> TokenStream {
        let name = quote::format_ident!("{name}");
        quote! { struct #name; }
    }

    fn formatted(tokens: TokenStream) -> Result<String, String> {
        Ok(format!("formatted {tokens}"))
    }

    fn workspace() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("target")).unwrap();
        dir
    }

    #[test]
    fn a_second_run_reuses_what_the_first_formatted() {
        let dir = workspace();
        let generator = GeneratorId::named("g 1");
        let first = FormatCache::load(&RealFs, dir.path(), generator.clone());
        let text = first.format("// h", item("A"), formatted).unwrap();
        assert_eq!(first.hits(), 0);
        assert!(first.save(&RealFs, dir.path()).unwrap());

        let second = FormatCache::load(&RealFs, dir.path(), generator);
        let reused = second
            .format("// h", item("A"), |_| Err("must not format".into()))
            .unwrap();
        assert_eq!(reused, text);
        assert_eq!(second.hits(), 1);
        // The same entries: nothing to write.
        assert!(!second.save(&RealFs, dir.path()).unwrap());
    }

    #[test]
    fn other_tokens_another_header_or_another_generator_are_formatted_again() {
        let dir = workspace();
        let first = FormatCache::load(&RealFs, dir.path(), GeneratorId::named("g 1"));
        first.format("// h", item("A"), formatted).unwrap();
        first.save(&RealFs, dir.path()).unwrap();

        let same = FormatCache::load(&RealFs, dir.path(), GeneratorId::named("g 1"));
        let b = same.format("// h", item("B"), formatted).unwrap();
        assert_eq!(b, "formatted struct B ;");
        same.format("// other", item("A"), formatted).unwrap();
        assert_eq!(same.hits(), 0);

        let rebuilt = FormatCache::load(&RealFs, dir.path(), GeneratorId::named("g 2"));
        rebuilt.format("// h", item("A"), formatted).unwrap();
        assert_eq!(rebuilt.hits(), 0);
    }

    #[test]
    fn a_damaged_cache_is_not_used() {
        let dir = workspace();
        let generator = GeneratorId::named("g");
        let first = FormatCache::load(&RealFs, dir.path(), generator.clone());
        first.format("// h", item("A"), formatted).unwrap();
        first.save(&RealFs, dir.path()).unwrap();
        let path = dir.path().join(CACHE_FILE);
        let damaged = std::fs::read_to_string(&path)
            .unwrap()
            .replace("struct A", "struct Z");
        std::fs::write(&path, damaged).unwrap();

        let second = FormatCache::load(&RealFs, dir.path(), generator);
        let text = second.format("// h", item("A"), formatted).unwrap();
        assert_eq!(text, "formatted struct A ;");
        assert_eq!(second.hits(), 0);
    }

    #[test]
    fn only_what_the_run_used_is_kept_and_nothing_without_target() {
        let dir = workspace();
        let generator = GeneratorId::named("g");
        let first = FormatCache::load(&RealFs, dir.path(), generator.clone());
        first.format("// h", item("A"), formatted).unwrap();
        first.format("// h", item("B"), formatted).unwrap();
        first.save(&RealFs, dir.path()).unwrap();

        let second = FormatCache::load(&RealFs, dir.path(), generator.clone());
        second.format("// h", item("B"), formatted).unwrap();
        assert!(second.save(&RealFs, dir.path()).unwrap());
        let third = FormatCache::load(&RealFs, dir.path(), generator.clone());
        assert_eq!(third.known.len(), 1);

        let bare = tempfile::tempdir().unwrap();
        let cache = FormatCache::load(&RealFs, bare.path(), generator);
        cache.format("// h", item("A"), formatted).unwrap();
        assert!(!cache.save(&RealFs, bare.path()).unwrap());
        assert!(!bare.path().join("target").exists());
    }

    #[test]
    fn a_run_that_formatted_nothing_keeps_the_cache() {
        let dir = workspace();
        let generator = GeneratorId::named("g");
        let first = FormatCache::load(&RealFs, dir.path(), generator.clone());
        first.format("// h", item("A"), formatted).unwrap();
        first.save(&RealFs, dir.path()).unwrap();

        let idle = FormatCache::load(&RealFs, dir.path(), generator.clone());
        assert!(!idle.save(&RealFs, dir.path()).unwrap());
        let next = FormatCache::load(&RealFs, dir.path(), generator);
        assert_eq!(next.known.len(), 1);
    }

    #[test]
    fn disabled_always_formats_and_never_writes() {
        let dir = workspace();
        let cache = FormatCache::disabled();
        cache.format("// h", item("A"), formatted).unwrap();
        assert!(!cache.save(&RealFs, dir.path()).unwrap());
        assert!(!dir.path().join(CACHE_FILE).exists());
    }
}
