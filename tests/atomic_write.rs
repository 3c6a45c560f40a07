//! Never losing a user's file: every file crosscheck writes (`accepted.toml`, `--output`
//! reports) goes through `fsutil::atomic_write`. These tests kill the writer in the middle of
//! writing, make each step of the write fail, and plant symbolic links where the temporary
//! file goes — and find the old file intact every time, or the new one whole.
//!
//! The writers that get killed are this test binary run again as a child process
//! (`child_writer`, which does nothing unless `ATOMIC_WRITE_CHILD` is set) and the real
//! `crosscheck accept`.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{TODAY, crosscheck_command};
use crosscheck::fsutil::atomic_write;

/// `accepted.toml` with `n` acceptances tagged `tag`: a few hundred kilobytes, so that a write
/// takes long enough to be interrupted.
fn version(tag: &str, n: usize) -> String {
    let mut text = String::from("# Reviewed findings.\n\n");
    for i in 0..n {
        text.push_str(&format!(
            "[[accepted]]\nfinding = \"{tag}{i:012x}\"\nreason = \"checked against the original report, page {i}\"\nby = \"analyst\"\n\n"
        ));
    }
    text
}

/// A small xorshift generator: the delays need only vary, not be good random numbers.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

fn seed() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(1, |d| d.subsec_nanos() as u64);
    nanos | 1
}

/// This test binary again, running only `child_writer`, with `env` set.
fn child(env: &[(&str, &str)]) -> Command {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .args([
            "--exact",
            "child_writer",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("ATOMIC_WRITE_CHILD", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    for (k, v) in env {
        command.env(k, v);
    }
    command
}

/// The child: rewrites `TARGET` with versions A and B in turn, forever (until killed), or
/// once with `ONCE` set (the exit status tells whether the write failed).
#[test]
#[ignore = "run by the other tests as a child process"]
fn child_writer() {
    if std::env::var_os("ATOMIC_WRITE_CHILD").is_none() {
        return;
    }
    let target = PathBuf::from(std::env::var_os("TARGET").unwrap());
    let a = version("a", 3000);
    if std::env::var_os("ONCE").is_some() {
        if let Err(e) = atomic_write(&target, a.as_bytes()) {
            eprintln!("write failed: {e}");
            std::process::exit(3);
        }
        return;
    }
    let b = version("b", 4000);
    loop {
        atomic_write(&target, a.as_bytes()).unwrap();
        atomic_write(&target, b.as_bytes()).unwrap();
    }
}

/// Files in `dir` other than `keep`.
fn others(dir: &Path, keep: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != keep)
        .collect();
    names.sort();
    names
}

#[test]
fn killing_the_writer_at_any_moment_leaves_a_whole_file() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("accepted.toml");
    let old = version("o", 10);
    std::fs::write(&target, &old).unwrap();
    let (a, b) = (version("a", 3000), version("b", 4000));
    let mut rng = Rng(seed());
    let mut seen = [0usize; 3];
    for round in 0..25 {
        let mut writer = child(&[("TARGET", target.to_str().unwrap())])
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(1 + rng.below(120)));
        writer.kill().unwrap(); // SIGKILL: no destructor, no clean-up runs
        writer.wait().unwrap();
        let now = std::fs::read_to_string(&target).unwrap();
        let which = [&old, &a, &b].iter().position(|v| **v == now);
        let Some(which) = which else {
            panic!(
                "round {round}: the file is none of the versions ({} bytes)",
                now.len()
            );
        };
        seen[which] += 1;
        // Whatever it holds parses as TOML.
        toml::from_str::<toml::Table>(&now).unwrap();
    }
    eprintln!("old, A, B seen after a kill: {seen:?}");
    // Temporary files a killed writer leaves behind are hidden and not `*.toml`: the data set
    // still loads as before.
    for name in others(dir.path(), "accepted.toml") {
        assert!(
            name.starts_with(".accepted.toml.") && name.ends_with(".tmp"),
            "{name}"
        );
    }
}

#[test]
fn killing_crosscheck_accept_leaves_accepted_toml_whole() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(
        root.join("data.toml"),
        r#"[[property]]
id = "fighters"
type = "quantity"

[[entity]]
id = "ttp"
name = "TTP"

[[source]]
id = "un"
title = "UN"
published = 2024-06-01
kind = "primary"

[[claim]]
source = "un"
subject = "ttp"
property = "fighters"
value = "2,500"

[[source]]
id = "monitor"
title = "Monitor"
published = 2024-06-20
kind = "primary"

[[claim]]
source = "monitor"
subject = "ttp"
property = "fighters"
value = "8,000"
"#,
    )
    .unwrap();
    let json = crosscheck_command()
        .args(["check", "--no-cache", "--format", "json", "--today", TODAY])
        .arg(root)
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let fingerprint = report["findings"][0]["fingerprint"]
        .as_str()
        .expect("a finding")
        .to_string();
    // A large accepted.toml of stale acceptances, so the rewrite takes a while.
    let old = version("0", 4_000);
    let accepted = root.join("accepted.toml");
    std::fs::write(&accepted, &old).unwrap();
    // One run to the end: how long an accept takes here.
    let start = Instant::now();
    let status = crosscheck_command()
        .args([
            "accept",
            &fingerprint,
            "--reason",
            "checked",
            "--today",
            TODAY,
        ])
        .arg(root)
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let took = start.elapsed().as_millis() as u64;
    let mut rng = Rng(seed());
    let (mut untouched, mut accepted_whole) = (0, 0);
    for _ in 0..8 {
        std::fs::write(&accepted, &old).unwrap();
        let mut run = crosscheck_command()
            .args([
                "accept",
                &fingerprint,
                "--reason",
                "checked",
                "--today",
                TODAY,
            ])
            .arg(root)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(
            took * 3 / 5 + rng.below(took / 2 + 20),
        ));
        let _ = run.kill();
        run.wait().unwrap();
        let now = std::fs::read_to_string(&accepted).unwrap();
        if now == old {
            untouched += 1;
        } else {
            assert_eq!(
                now.matches("[[accepted]]").count(),
                4_001,
                "the old acceptances and the new one"
            );
            assert!(
                now.contains(&fingerprint),
                "the new acceptance is there whole"
            );
            toml::from_str::<toml::Table>(&now).unwrap();
            accepted_whole += 1;
        }
    }
    eprintln!(
        "accept takes {took} ms; killed before the rename: {untouched}; after: {accepted_whole}"
    );
}

/// Runs the child once under `ulimit -f` (files of at most 64 KiB), with SIGXFSZ either
/// killing it in the middle of `write` or ignored, so that `write` fails with EFBIG.
fn write_past_the_file_size_limit(
    ignore_signal: bool,
) -> (std::process::ExitStatus, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("accepted.toml");
    std::fs::write(&target, "old = true\n").unwrap();
    let script = format!(
        "{} ulimit -f 64 && exec \"$0\" \"$@\"",
        if ignore_signal { "trap '' XFSZ;" } else { "" }
    );
    let exe = std::env::current_exe().unwrap();
    let status = Command::new("sh")
        .arg("-c")
        .arg(script)
        .arg(exe)
        .args([
            "--exact",
            "child_writer",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("ATOMIC_WRITE_CHILD", "1")
        .env("ONCE", "1")
        .env("TARGET", &target)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        "old = true\n",
        "the old file is intact"
    );
    (status, dir)
}

#[test]
fn a_writer_killed_by_the_file_size_limit_leaves_the_old_file() {
    use std::os::unix::process::ExitStatusExt;
    let (status, _dir) = write_past_the_file_size_limit(false);
    assert_eq!(
        status.signal(),
        Some(25),
        "killed by SIGXFSZ mid-write: {status:?}"
    );
}

#[test]
fn a_write_that_fails_leaves_the_old_file_and_no_temporary() {
    let (status, dir) = write_past_the_file_size_limit(true);
    assert_eq!(
        status.code(),
        Some(3),
        "atomic_write reported the failure: {status:?}"
    );
    assert_eq!(
        others(dir.path(), "accepted.toml"),
        Vec::<String>::new(),
        "the temporary file is removed"
    );
}

#[test]
fn a_failed_rename_leaves_the_target_and_no_temporary() {
    // The target is a folder that is not empty: the rename, the last step, fails.
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("accepted.toml");
    std::fs::create_dir(&target).unwrap();
    std::fs::write(target.join("keep"), "kept").unwrap();
    assert!(atomic_write(&target, b"new").is_err());
    assert_eq!(
        std::fs::read_to_string(target.join("keep")).unwrap(),
        "kept"
    );
    assert_eq!(others(dir.path(), "accepted.toml"), Vec::<String>::new());
}

#[test]
fn a_missing_folder_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    assert!(atomic_write(&dir.path().join("missing/accepted.toml"), b"new").is_err());
}

#[test]
fn symbolic_links_planted_at_the_temporary_names_are_not_followed() {
    // A data set comes from pull requests: a link named like the temporary file must not make
    // the write land outside (where the link points).
    let outside = tempfile::tempdir().unwrap();
    let victim = outside.path().join("victim");
    std::fs::write(&victim, "precious").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("report.sarif");
    std::fs::write(&target, "old").unwrap();
    let pid = std::process::id();
    for attempt in 0..8 {
        std::os::unix::fs::symlink(
            &victim,
            dir.path()
                .join(format!(".report.sarif.{pid}.{attempt}.tmp")),
        )
        .unwrap();
    }
    atomic_write(&target, b"new").unwrap();
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
    assert!(
        !std::fs::symlink_metadata(&target)
            .unwrap()
            .file_type()
            .is_symlink()
    );

    // Every temporary name taken: the write fails, and neither file changes.
    for attempt in 8..64 {
        std::os::unix::fs::symlink(
            &victim,
            dir.path()
                .join(format!(".report.sarif.{pid}.{attempt}.tmp")),
        )
        .unwrap();
    }
    assert!(atomic_write(&target, b"newer").is_err());
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
}

#[test]
fn a_symbolic_link_at_the_target_is_replaced_not_written_through() {
    let outside = tempfile::tempdir().unwrap();
    let victim = outside.path().join("victim");
    std::fs::write(&victim, "precious").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("accepted.toml");
    std::os::unix::fs::symlink(&victim, &target).unwrap();
    atomic_write(&target, b"new").unwrap();
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
}

#[test]
fn the_replaced_files_permissions_are_kept() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("accepted.toml");
    std::fs::write(&target, "old").unwrap();
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o640)).unwrap();
    atomic_write(&target, b"new").unwrap();
    assert_eq!(
        std::fs::metadata(&target).unwrap().permissions().mode() & 0o777,
        0o640
    );
}

#[test]
fn the_kill_loop_finishes_quickly() {
    // Guard for the loops above: a child that cannot start would make them spin.
    let start = Instant::now();
    let status = child(&[("TARGET", "/nonexistent/folder/x"), ("ONCE", "1")])
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(3));
    assert!(start.elapsed() < Duration::from_secs(30));
}

#[test]
fn a_planted_link_to_a_device_is_replaced_not_written_through() {
    // `--output report.sarif` in a checkout where the pull request made `report.sarif` a link
    // to a device: the link is replaced by the report; the device is never opened.
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("report.sarif");
    std::os::unix::fs::symlink("/dev/null", &target).unwrap();
    atomic_write(&target, b"report").unwrap();
    assert!(
        !std::fs::symlink_metadata(&target)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "report");
    // Devices named as such are still written in place.
    atomic_write(Path::new("/dev/null"), b"discarded").unwrap();
    assert!(!std::fs::metadata("/dev/null").unwrap().is_file());
}
