//! `cargo run`: regenerate the crate from `metadata/`; `--check` for the drift
//! check; `update` to take in a newer Graph `$metadata`; `inspect` to look inside.
#![forbid(unsafe_code)]

use clap::{Parser, Subcommand};
use msgraph_sync_generator::error::InputError;
use msgraph_sync_generator::pipeline::{self, Error};
use msgraph_sync_generator::write::{self, RealFs};
use msgraph_sync_generator::{emit, fixups, inspect, permissions, stamp};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// Generates the msgraph-sync crate from the Graph CSDL slice in `metadata/`.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Cli {
    /// The workspace root (default: the nearest folder, from the current one
    /// upwards, that holds metadata/profile.toml).
    #[arg(long, global = true)]
    root: Option<PathBuf>,
    /// Write nothing; exit 1 with a unified diff if a file would change (with
    /// `update`: the metadata and the crate it would write).
    #[arg(long, global = true)]
    check: bool,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Read a full CSDL (a path, or an https URL such as
    /// https://graph.microsoft.com/v1.0/$metadata), write the slice, its
    /// permissions and the lock into metadata/, regenerate the crate, and report
    /// what changed in the API.
    Update {
        /// The full CSDL: a file path or an http(s) URL.
        #[arg(long)]
        from: String,
        /// Graph's permissions reference (permissions.json): a path or URL.
        /// Without it, the permissions in metadata/ are kept.
        #[arg(long)]
        permissions: Option<String>,
        /// Also write the API change report as Markdown to this file (`-` for
        /// standard output), e.g. for a pull request or a changelog.
        #[arg(long, value_name = "FILE")]
        report: Option<PathBuf>,
        /// Exit 1 and write nothing when the API change is breaking (removed
        /// types, properties, members or endpoints; changed types).
        #[arg(long)]
        fail_on_breaking: bool,
        /// Extra descriptions: a CSDL annotations document or Graph's operations
        /// table (.tsv), a path or URL; repeatable, earlier ones win. Without it the
        /// descriptions of the committed slice are kept.
        #[arg(long = "descriptions")]
        descriptions: Vec<String>,
    },
    /// Show counts, the closure with why each type is in it, the paths with
    /// methods and permissions, and what the reader did not model.
    Inspect {
        /// One type to show in detail (qualified or local name).
        r#type: Option<String>,
        /// Inspect a full CSDL instead of metadata/.
        #[arg(long)]
        from: Option<String>,
        /// Permissions reference to use with --from.
        #[arg(long)]
        permissions: Option<String>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = match &cli.root {
        Some(root) => root.clone(),
        None => match find_root() {
            Ok(root) => root,
            Err(message) => {
                eprintln!("error: {message}");
                return ExitCode::from(2);
            }
        },
    };
    match run(&cli, &root) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(2)
        }
    }
}

/// The workspace, found like cargo finds its manifest: the current folder or the
/// nearest parent that holds `metadata/profile.toml`.
fn find_root() -> Result<PathBuf, InputError> {
    let cwd = std::env::current_dir().map_err(InputError::CurrentDir)?;
    cwd.ancestors()
        .find(|dir| dir.join(pipeline::PROFILE_FILE).is_file())
        .map(PathBuf::from)
        .ok_or_else(|| InputError::NoWorkspace {
            marker: pipeline::PROFILE_FILE,
            start: cwd.clone(),
        })
}

fn run(cli: &Cli, root: &std::path::Path) -> Result<ExitCode, Error> {
    match &cli.command {
        None if cli.check => check(root),
        None => generate(root),
        Some(Command::Update {
            from,
            permissions,
            report,
            fail_on_breaking,
            descriptions,
        }) => {
            let options = pipeline::UpdateOptions {
                permissions: permissions.clone(),
                fail_on_breaking: *fail_on_breaking,
                descriptions: descriptions.clone(),
            };
            update(root, from, &options, report.as_deref(), cli.check)
        }
        Some(Command::Inspect {
            r#type,
            from,
            permissions: permissions_from,
        }) => {
            let text = match from {
                None => {
                    let loaded = pipeline::load(root)?;
                    inspect::report(&loaded.analysis, &loaded.permissions, r#type.as_deref())
                }
                Some(source) => {
                    let profile = pipeline::load_profile(root)?;
                    let bytes = msgraph_sync_generator::fetch::fetch(source)?;
                    let slice = match permissions_from {
                        Some(p) => {
                            let pbytes = msgraph_sync_generator::fetch::fetch(p)?;
                            let index = permissions::parse(p, &pbytes)?;
                            permissions::PermissionsSlice::new(p, index.entries())
                        }
                        None => permissions::PermissionsSlice::new("none", Vec::new()),
                    };
                    let analysis = pipeline::analyze(source, &bytes, &profile, &slice.grants())?;
                    inspect::report(&analysis, &slice, r#type.as_deref())
                }
            }?;
            print!("{text}");
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn update(
    root: &std::path::Path,
    from: &str,
    options: &pipeline::UpdateOptions,
    report: Option<&std::path::Path>,
    check_only: bool,
) -> Result<ExitCode, Error> {
    let started = Instant::now();
    let cache = format_cache(root);
    let plan = pipeline::plan_update_cached(&RealFs, root, from, options, &cache)?;
    println!(
        "update: {} types, {} bound operations, {} paths; slice {} bytes from {} bytes; {} permission entries",
        plan.types,
        plan.operations,
        plan.paths,
        plan.slice_bytes,
        plan.source_bytes,
        plan.permission_entries,
    );
    let described = &plan.descriptions;
    println!(
        "update: descriptions: {} annotations added, {} already present, {} rows unmatched, {} targets unresolved",
        described.added,
        described.kept_existing,
        described.unmatched_rows.len(),
        described.unresolved_targets.len()
    );
    for row in &described.unmatched_rows {
        println!("  no path for {row}");
    }
    for absence in &plan.absences {
        eprintln!("warning: {absence}");
    }
    for fixup in &plan.fixups {
        match fixup.outcome {
            fixups::Outcome::NotNeeded(_) => println!("note: {fixup}"),
            _ => println!("{fixup}"),
        }
    }
    if let Some(why) = &plan.no_previous {
        println!("API changes: nothing to compare with (metadata/ did not load: {why})");
    } else {
        print!("API changes against metadata/: {}", plan.changes.to_text());
    }
    if let Some(path) = report {
        let title = format!("Microsoft Graph API changes from {}", plan.lock.csdl.source);
        let markdown = plan.changes.to_markdown(&title);
        if path == std::path::Path::new("-") {
            print!("{markdown}");
        } else {
            std::fs::write(path, markdown).map_err(|error| InputError::WriteReport {
                path: path.to_path_buf(),
                error,
            })?;
        }
    }
    if options.fail_on_breaking && plan.changes.breaking() > 0 {
        eprintln!(
            "update: refused: {} breaking API change(s) and --fail-on-breaking; nothing written",
            plan.changes.breaking()
        );
        return Ok(ExitCode::from(1));
    }
    if check_only {
        let differences = write::compare(&RealFs, root, &plan.files, emit::OWNED_DIRS)?;
        return Ok(report_differences(
            &differences,
            plan.files.len(),
            "update --check",
        ));
    }
    let applied = pipeline::write_plan(&RealFs, root, &plan)?;
    // metadata/ and the crate now agree: the stamp records it for the next run
    // (when the outputs were reused, the stamp already says so).
    if !plan.outputs_reused
        && let Some(key) = stamp_key(root)
    {
        let _ = stamp::record(&RealFs, root, &key, plan.generated());
    }
    save_format_cache(root, &cache);
    let reuse = if plan.outputs_reused {
        "; the crate as the last run left it: same generator, same metadata"
    } else {
        ""
    };
    println!(
        "update: {} files: {} written, {} removed, {} unchanged ({} ms{reuse})",
        plan.files.len(),
        applied.written.len(),
        applied.removed.len(),
        applied.unchanged,
        started.elapsed().as_millis()
    );
    // The process ends here: freeing what the plan was worked out from would
    // take about 10 ms and give nothing back.
    std::mem::forget(plan.workings);
    Ok(ExitCode::SUCCESS)
}

fn generate(root: &std::path::Path) -> Result<ExitCode, Error> {
    let started = Instant::now();
    let key = stamp_key(root);
    if let Some(files) = fresh(root, key.as_ref()) {
        println!(
            "generated {files} files: 0 written, 0 removed, {files} unchanged ({} ms; generator, \
             metadata/ and generated files as the last run left them)",
            started.elapsed().as_millis()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let cache = format_cache(root);
    let files = pipeline::load_and_generate(root, &cache)?;
    let applied = write::apply(&RealFs, root, &files, emit::OWNED_DIRS)?;
    record_stamp(root, key.as_ref(), &files);
    save_format_cache(root, &cache);
    println!(
        "generated {} files: {} written, {} removed, {} unchanged ({} ms)",
        files.len(),
        applied.written.len(),
        applied.removed.len(),
        applied.unchanged,
        started.elapsed().as_millis()
    );
    Ok(ExitCode::SUCCESS)
}

fn check(root: &std::path::Path) -> Result<ExitCode, Error> {
    let key = stamp_key(root);
    if let Some(files) = fresh(root, key.as_ref()) {
        println!("check: all {files} generated files are up to date (as the last run left them)");
        return Ok(ExitCode::SUCCESS);
    }
    // `--check` never saves the cache: when it holds nothing to reuse, keying
    // every file (hashing its tokens) would be wasted.
    let cache = format_cache(root);
    let cache = if cache.is_empty() {
        emit::FormatCache::disabled()
    } else {
        cache
    };
    let files = pipeline::load_and_generate(root, &cache)?;
    let differences = write::compare(&RealFs, root, &files, emit::OWNED_DIRS)?;
    if differences.is_empty() {
        record_stamp(root, key.as_ref(), &files);
    }
    Ok(report_differences(&differences, files.len(), "check"))
}

/// The stamp key of this generator on the inputs now in metadata/ (`None` when
/// the executable cannot be identified: then every run generates).
fn stamp_key(root: &std::path::Path) -> Option<stamp::Key> {
    let generator = stamp::GeneratorId::of_current_exe()?;
    stamp::Key::current(&RealFs, root, &generator).ok()
}

/// The formatted files the last run of this generator left in `target/` (none
/// when the executable cannot be identified).
fn format_cache(root: &std::path::Path) -> emit::FormatCache {
    match stamp::GeneratorId::of_current_exe() {
        Some(generator) => emit::FormatCache::load(&RealFs, root, generator),
        None => emit::FormatCache::disabled(),
    }
}

/// Keeps this run's formatted files for the next one; `--check` never calls it.
/// A cache that cannot be written only costs the next run its formatting.
fn save_format_cache(root: &std::path::Path, cache: &emit::FormatCache) {
    let _ = cache.save(&RealFs, root);
}

/// The number of generated files when the stamp vouches for the tree as it is.
fn fresh(root: &std::path::Path, key: Option<&stamp::Key>) -> Option<usize> {
    stamp::fresh_outputs(&RealFs, root, key?, emit::OWNED_DIRS)
}

/// Records the stamp for `files`, now on disk, if the inputs did not change while
/// they were generated (the key is taken again and must be the one taken before).
/// A stamp that cannot be written only costs the next run a full generation.
fn record_stamp(root: &std::path::Path, key: Option<&stamp::Key>, files: &[emit::GeneratedFile]) {
    let Some(key) = key else { return };
    if stamp_key(root).as_ref() == Some(key) {
        let _ = stamp::record(&RealFs, root, key, files);
    }
}

/// Prints the differences (kinds to stderr, diffs to stdout); exit 1 when any.
fn report_differences(differences: &[write::Difference], files: usize, what: &str) -> ExitCode {
    if differences.is_empty() {
        println!("{what}: all {files} generated files are up to date");
        return ExitCode::SUCCESS;
    }
    for d in differences {
        eprintln!("{} {}", d.kind, d.path);
    }
    for d in differences {
        print!("{}", d.diff);
    }
    eprintln!(
        "{what}: {} generated file(s) differ from what the generator writes; run `cargo run` (or the update) and commit",
        differences.len()
    );
    ExitCode::from(1)
}
