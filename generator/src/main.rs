//! `cargo run`: regenerate the crate from `metadata/`; `--check` for the drift
//! check; `update` to take in a newer Graph `$metadata`; `inspect` to look inside.
#![forbid(unsafe_code)]

use clap::{Parser, Subcommand};
use msgraph_sync_generator::pipeline::{self, Error};
use msgraph_sync_generator::write::{self, RealFs};
use msgraph_sync_generator::{emit, inspect, permissions};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// Generates the msgraph-sync crate from the Graph CSDL slice in `metadata/`.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Cli {
    /// The workspace root (default: the workspace this generator was built in).
    #[arg(long, global = true)]
    root: Option<PathBuf>,
    /// Write nothing; exit 1 with a unified diff if a generated file is changed,
    /// missing or stray.
    #[arg(long)]
    check: bool,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Read a full CSDL (a path, or an https URL such as
    /// https://graph.microsoft.com/v1.0/$metadata), write the slice, its
    /// permissions and the lock into metadata/, then regenerate the crate.
    Update {
        /// The full CSDL: a file path or an http(s) URL.
        #[arg(long)]
        from: String,
        /// Graph's permissions reference (permissions.json): a path or URL.
        #[arg(long)]
        permissions: Option<String>,
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
    let root = cli.root.clone().unwrap_or_else(default_root);
    match run(&cli, &root) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(2)
        }
    }
}

fn default_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}

fn run(cli: &Cli, root: &std::path::Path) -> Result<ExitCode, Error> {
    match &cli.command {
        None if cli.check => check(root),
        None => generate(root),
        Some(Command::Update {
            from,
            permissions,
            descriptions,
        }) => {
            let started = Instant::now();
            let report =
                pipeline::update(&RealFs, root, from, permissions.as_deref(), descriptions)?;
            let described = &report.descriptions;
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
            println!(
                "update: {} types, {} bound operations, {} paths; slice {} bytes from {} bytes; {} permission entries; metadata: {} written, {} unchanged ({} ms)",
                report.types,
                report.operations,
                report.paths,
                report.slice_bytes,
                report.source_bytes,
                report.permission_entries,
                report.metadata.written.len(),
                report.metadata.unchanged,
                started.elapsed().as_millis()
            );
            generate(root)
        }
        Some(Command::Inspect {
            r#type,
            from,
            permissions: permissions_from,
        }) => {
            let text = match from {
                None => {
                    let loaded = pipeline::load(root)?;
                    inspect::report(
                        &loaded.analysis,
                        &loaded.profile,
                        &loaded.permissions,
                        r#type.as_deref(),
                    )
                }
                Some(source) => {
                    let profile = pipeline::load_profile(root)?;
                    let bytes =
                        msgraph_sync_generator::fetch::fetch(source).map_err(Error::Input)?;
                    let slice = match permissions_from {
                        Some(p) => {
                            let pbytes =
                                msgraph_sync_generator::fetch::fetch(p).map_err(Error::Input)?;
                            let index = permissions::parse(p, &pbytes)?;
                            permissions::PermissionsSlice::new(p, index.entries())
                        }
                        None => permissions::PermissionsSlice::new("none", Vec::new()),
                    };
                    let permitted = |template: &str| pipeline::permitted_methods(&slice, template);
                    let analysis = pipeline::analyze(source, &bytes, &profile, &permitted)?;
                    inspect::report(&analysis, &profile, &slice, r#type.as_deref())
                }
            }
            .map_err(Error::Input)?;
            print!("{text}");
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn generate(root: &std::path::Path) -> Result<ExitCode, Error> {
    let started = Instant::now();
    let loaded = pipeline::load(root)?;
    let files = pipeline::generate(&loaded)?;
    let applied = write::apply(&RealFs, root, &files, emit::OWNED_DIRS)?;
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
    let loaded = pipeline::load(root)?;
    let files = pipeline::generate(&loaded)?;
    let differences = write::compare(&RealFs, root, &files, emit::OWNED_DIRS)?;
    if differences.is_empty() {
        println!("check: all {} generated files are up to date", files.len());
        return Ok(ExitCode::SUCCESS);
    }
    for d in &differences {
        eprintln!("{} {}", d.kind, d.path);
    }
    for d in &differences {
        print!("{}", d.diff);
    }
    eprintln!(
        "check: {} generated file(s) differ from what the generator writes; run `cargo run` and commit",
        differences.len()
    );
    Ok(ExitCode::from(1))
}
