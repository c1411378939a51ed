//! The command line: `update --from <url>` against a local HTTP server, errors that
//! name file:line:column with a non-zero exit and no partial output, `inspect`.
//!
//! The URL tests fetch with the build's client: the in-process one with the `fetch`
//! feature (as `cargo test --workspace` builds it), otherwise the system's `curl`
//! (`cargo test -p msgraph-sync-generator`; `.ci/run` runs both and installs curl).

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};

mod support;
use support::{copy_dir, repo, run, run_in};

/// A workspace root in a temp dir with the committed profile and permissions.
fn temp_root() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(dir.path().join("metadata")).expect("mkdir");
    for file in ["profile.toml", "permissions.json"] {
        std::fs::copy(
            repo().join("metadata").join(file),
            dir.path().join("metadata").join(file),
        )
        .expect("copy");
    }
    dir
}

/// Serves `body` (or 404 for other paths) on 127.0.0.1 for `requests` requests.
fn serve(path: &'static str, body: Vec<u8>, requests: usize) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = listener.local_addr().expect("addr");
    std::thread::spawn(move || {
        for stream in listener.incoming().take(requests) {
            let Ok(mut stream) = stream else { continue };
            let mut line = String::new();
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let _ = reader.read_line(&mut line);
            loop {
                let mut header = String::new();
                if reader.read_line(&mut header).unwrap_or(0) <= 2 {
                    break;
                }
            }
            let found = line.split_whitespace().nth(1) == Some(path);
            let (status, body) = if found {
                ("200 OK", body.as_slice())
            } else {
                ("404 Not Found", &b"nope"[..])
            };
            let head = format!(
                "HTTP/1.1 {status}\r\nContent-Type: application/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(body);
        }
    });
    format!("http://{address}")
}

fn snapshot_tree(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read_dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push((path.clone(), std::fs::read(&path).expect("read")));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn update_from_a_url_writes_the_slice_lock_and_crate() {
    let csdl = std::fs::read(repo().join("metadata/synchronization.csdl.xml")).expect("slice");
    let base = serve("/v1.0/$metadata", csdl.clone(), 1);
    let url = format!("{base}/v1.0/$metadata");
    let root = temp_root();
    let out = run(&[
        "update",
        "--from",
        &url,
        "--root",
        root.path().to_str().expect("utf8"),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("67 types, 11 bound operations, 56 paths"),
        "{stdout}"
    );
    let lock = std::fs::read_to_string(root.path().join("metadata/lock.toml")).expect("lock");
    assert!(lock.contains(&format!("source = \"{url}\"")), "{lock}");
    assert!(
        lock.contains(&msgraph_sync_generator::lock::sha256_hex(&csdl)),
        "{lock}"
    );
    // The slice of a slice is the same slice; the crate is generated beside it.
    let written = std::fs::read_to_string(root.path().join("metadata/synchronization.csdl.xml"))
        .expect("slice");
    assert!(written.contains("<EntityType Name=\"synchronizationJob\""));
    assert!(
        root.path()
            .join("generated/src/models/synchronization_job.rs")
            .is_file()
    );
    assert!(
        root.path()
            .join("generated/src/api/service_principals.rs")
            .is_file()
    );
}

#[test]
fn a_failed_fetch_is_an_error_and_writes_nothing() {
    let base = serve("/elsewhere", Vec::new(), 1);
    let root = temp_root();
    let before = snapshot_tree(root.path());
    let out = run(&[
        "update",
        "--from",
        &format!("{base}/v1.0/$metadata"),
        "--root",
        root.path().to_str().expect("utf8"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("404"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(snapshot_tree(root.path()), before);
}

/// Without the `fetch` feature and without curl, a URL is an error that names the
/// ways to get the file, and nothing is written.
#[cfg(not(feature = "fetch"))]
#[test]
fn without_an_http_client_a_url_says_how_to_fetch_it() {
    let base = serve("/v1.0/$metadata", b"<never read/>".to_vec(), 1);
    let url = format!("{base}/v1.0/$metadata");
    let root = temp_root();
    let before = snapshot_tree(root.path());
    let no_curl = tempfile::tempdir().expect("tempdir");
    let out = support::binary()
        .args(["update", "--from", &url, "--root"])
        .arg(root.path())
        .env("PATH", no_curl.path())
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    for hint in [
        "`curl` is not on PATH",
        "install curl",
        &format!("cargo run --features fetch -- update --from '{url}'"),
        "download the file and pass its path",
    ] {
        assert!(stderr.contains(hint), "missing {hint:?} in {stderr}");
    }
    assert_eq!(snapshot_tree(root.path()), before);
}

#[test]
fn malformed_and_dangling_inputs_name_the_spot_and_write_nothing() {
    let fixtures = support::csdl_fixture("malformed");
    for (file, spot) in [
        ("truncated.xml", "truncated.xml:13:1"),
        ("bad_attribute.xml", "bad_attribute.xml:12:56"),
        ("dangling_type.xml", "dangling_type.xml:12:9"),
    ] {
        let root = temp_root();
        let before = snapshot_tree(root.path());
        let path = fixtures.join(file);
        let out = run(&[
            "update",
            "--from",
            path.to_str().expect("utf8"),
            "--root",
            root.path().to_str().expect("utf8"),
        ]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{file}: {stderr}");
        assert!(stderr.contains(spot), "{file}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert_eq!(
            snapshot_tree(root.path()),
            before,
            "{file} changed the tree"
        );
    }
}

#[test]
fn inspect_shows_counts_chains_paths_and_permissions() {
    let root = repo();
    let out = run(&["inspect", "--root", root.to_str().expect("utf8")]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(
            "67 types (39 complex, 19 enum, 9 entity, 0 type definitions) and 11 bound operations"
        ),
        "{text}"
    );
    assert!(text.contains("microsoft.graph.synchronizationJobRestartScope (flags enum type): microsoft.graph.synchronization via"), "{text}");
    assert!(
        text.contains("PUT    /servicePrincipals/{servicePrincipal-id}/synchronization/secrets"),
        "{text}"
    );
    assert!(text.contains("Application: Application.ReadWrite.OwnedBy (least privileged), Synchronization.ReadWrite.All"), "{text}");
    assert!(text.contains("Not modelled by the reader"), "{text}");

    let out = run(&[
        "inspect",
        "synchronizationJobRestartScope",
        "--root",
        root.to_str().expect("utf8"),
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Full = 15") && text.contains("ForceDeletes = 32"),
        "{text}"
    );
    let out = run(&[
        "inspect",
        "noSuchType",
        "--root",
        root.to_str().expect("utf8"),
    ]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn check_passes_on_the_committed_tree() {
    let out = run(&["--check", "--root", repo().to_str().expect("utf8")]);
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A workspace copy holding `metadata/` as committed (no crate yet).
fn metadata_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&repo().join("metadata"), &dir.path().join("metadata"), &[]);
    dir
}

/// The committed slice without bulk upload: an API change that breaks users.
fn slice_without_bulk_upload(dir: &Path) -> PathBuf {
    let slice =
        std::fs::read_to_string(repo().join("metadata/synchronization.csdl.xml")).expect("slice");
    let trimmed: String = slice
        .lines()
        .filter(|line| !line.contains("bulkUpload"))
        .map(|line| format!("{line}\n"))
        .collect();
    assert_ne!(trimmed, slice);
    let path = dir.join("no-bulk-upload.xml");
    std::fs::write(&path, trimmed).expect("write");
    path
}

#[test]
fn the_generator_finds_its_workspace_from_a_subfolder_and_says_where_it_looked_outside() {
    let workspace = metadata_copy();
    let sub = workspace.path().join("generated/examples");
    std::fs::create_dir_all(&sub).expect("mkdir");
    let out = run_in(&sub, &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        workspace
            .path()
            .join("generated/src/models/synchronization_job.rs")
            .is_file()
    );
    let out = run_in(&sub, &["--check"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let elsewhere = tempfile::tempdir().expect("tempdir");
    let out = run_in(elsewhere.path(), &["--check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("looked for metadata/profile.toml in"),
        "{stderr}"
    );
    assert!(stderr.contains("--root"), "{stderr}");
}

#[test]
fn check_update_writes_nothing_and_reports_what_would_change() {
    let workspace = metadata_copy();
    let source = slice_without_bulk_upload(workspace.path());
    let before = snapshot_tree(workspace.path());
    let out = run_in(
        workspace.path(),
        &[
            "--check",
            "update",
            "--from",
            source.to_str().expect("utf8"),
        ],
    );
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    assert!(
        stderr.contains("changed metadata/synchronization.csdl.xml"),
        "{stderr}"
    );
    assert!(
        stderr.contains("missing generated/src/models/synchronization_job.rs"),
        "{stderr}"
    );
    assert!(
        stdout.contains("! breaking microsoft.graph.bulkUpload: entity type removed"),
        "{stdout}"
    );
    assert_eq!(snapshot_tree(workspace.path()), before);
}

#[test]
fn fail_on_breaking_refuses_and_the_report_is_markdown() {
    let workspace = metadata_copy();
    let source = slice_without_bulk_upload(workspace.path());
    let report = workspace.path().join("changes.md");
    let before = snapshot_tree(workspace.path());
    let out = run_in(
        workspace.path(),
        &[
            "update",
            "--from",
            source.to_str().expect("utf8"),
            "--fail-on-breaking",
            "--report",
            report.to_str().expect("utf8"),
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("breaking API change(s) and --fail-on-breaking; nothing written"));
    let markdown = std::fs::read_to_string(&report).expect("report");
    std::fs::remove_file(&report).expect("rm");
    assert_eq!(snapshot_tree(workspace.path()), before, "nothing written");
    assert!(
        markdown.starts_with("## Microsoft Graph API changes from no-bulk-upload.xml\n"),
        "{markdown}"
    );
    assert!(
        markdown.contains("| **breaking** | `POST /servicePrincipals/{servicePrincipal-id}/synchronization/jobs/{synchronizationJob-id}/bulkUpload` | endpoint removed |"),
        "{markdown}"
    );

    // Without the option the same update goes through, and an update from the
    // slice it wrote reports no change.
    let out = run_in(
        workspace.path(),
        &["update", "--from", source.to_str().expect("utf8")],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lock = std::fs::read_to_string(workspace.path().join("metadata/lock.toml")).expect("lock");
    assert!(
        lock.contains("source = \"no-bulk-upload.xml\""),
        "portable source: {lock}"
    );
    let out = run_in(
        workspace.path(),
        &["update", "--from", "metadata/synchronization.csdl.xml"],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("API changes against metadata/: no API change"),
        "{stdout}"
    );
}

#[test]
fn a_file_with_none_of_the_roots_is_refused_and_one_without_a_container_gives_the_models() {
    let workspace = metadata_copy();
    let before = snapshot_tree(workspace.path());
    let fixture = support::csdl_fixture("flags_enum.xml");
    let out = run_in(
        workspace.path(),
        &["update", "--from", fixture.to_str().expect("utf8")],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("none of the profile roots"), "{stderr}");
    assert_eq!(snapshot_tree(workspace.path()), before);

    // The committed slice without its entity container: models, no builders.
    let slice =
        std::fs::read_to_string(repo().join("metadata/synchronization.csdl.xml")).expect("slice");
    let start = slice.find("<EntityContainer").expect("container");
    let end = slice.find("</EntityContainer>").expect("end") + "</EntityContainer>".len();
    let without = format!("{}{}", &slice[..start], &slice[end..]);
    let source = workspace.path().join("no-container.xml");
    std::fs::write(&source, without).expect("write");
    let out = run_in(
        workspace.path(),
        &["update", "--from", source.to_str().expect("utf8")],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("has no entity container: the models are generated"),
        "{stderr}"
    );
    assert!(
        workspace
            .path()
            .join("generated/src/models/synchronization_job.rs")
            .is_file()
    );
    assert!(
        !workspace
            .path()
            .join("generated/src/api/service_principals.rs")
            .exists()
    );
}
