//! The parse cache must never change a report: a cache that is missing, corrupt, truncated,
//! swapped between files, from another build or written by several runs at once is ignored
//! and rebuilt.

mod common;

use std::path::{Path, PathBuf};

use common::{TODAY, crosscheck_command, example_copy, stdout};

fn check(data: &Path, extra: &[&str]) -> String {
    let output = crosscheck_command()
        .args(["check", "--today", TODAY, "--format", "json"])
        .args(extra)
        .arg(data)
        .output()
        .unwrap();
    assert!(
        output.status.code().unwrap() < 2,
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout(&output)
}

fn entries(data: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for build in std::fs::read_dir(data.join(".crosscheck-cache")).unwrap() {
        for entry in std::fs::read_dir(build.unwrap().path()).unwrap() {
            out.push(entry.unwrap().path());
        }
    }
    out.sort();
    out
}

/// Damages an entry, given its own bytes and another entry's.
type Damage = fn(&[u8], &[u8]) -> Vec<u8>;

#[test]
fn a_damaged_cache_never_changes_the_report() {
    let (_dir, data) = example_copy();
    let baseline = check(&data, &["--no-cache"]);
    assert!(
        !data.join(".crosscheck-cache").exists(),
        "--no-cache writes nothing"
    );
    assert_eq!(check(&data, &[]), baseline, "cold cache");
    let files = entries(&data);
    assert!(files.len() > 5, "one entry per data file");
    assert_eq!(check(&data, &[]), baseline, "warm cache");

    let damages: [(&str, Damage); 6] = [
        ("truncated", |own, _| own[..own.len() / 2].to_vec()),
        ("empty", |_, _| Vec::new()),
        ("a flipped byte in the payload", |own, _| {
            let mut v = own.to_vec();
            let last = v.len() - 1;
            v[last] ^= 0x55;
            v
        }),
        ("another build's header", |own, _| {
            let mut v = own.to_vec();
            v[14] ^= 1;
            v
        }),
        ("another file's entry", |_, other| other.to_vec()),
        ("garbage", |_, _| b"not a cache entry at all".repeat(100)),
    ];
    for (what, damage) in damages {
        let originals: Vec<Vec<u8>> = files.iter().map(|f| std::fs::read(f).unwrap()).collect();
        for (i, file) in files.iter().enumerate() {
            let other = &originals[(i + 1) % originals.len()];
            std::fs::write(file, damage(&originals[i], other)).unwrap();
        }
        assert_eq!(check(&data, &[]), baseline, "cache damaged: {what}");
        // The damaged entries were rebuilt.
        let rebuilt: Vec<Vec<u8>> = files.iter().map(|f| std::fs::read(f).unwrap()).collect();
        assert_eq!(rebuilt, originals, "entries rewritten after: {what}");
    }
}

#[test]
fn runs_writing_the_cache_at_once_agree() {
    let (_dir, data) = example_copy();
    let baseline = check(&data, &["--no-cache"]);
    let children: Vec<_> = (0..4)
        .map(|_| {
            crosscheck_command()
                .args(["check", "--today", TODAY, "--format", "json"])
                .arg(&data)
                .stdout(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let output = child.wait_with_output().unwrap();
        assert_eq!(stdout(&output), baseline);
    }
    assert_eq!(check(&data, &[]), baseline);
    let leftovers: Vec<_> = entries(&data)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

#[test]
fn an_edited_file_is_parsed_again() {
    let (_dir, data) = example_copy();
    let before = check(&data, &[]);
    let file = data.join("weekly-blitz-2021-02-11.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    let edited = text.replacen(
        "\"between 2,500 and 6,000\"",
        "\"between 2,500 and 5,000\"",
        1,
    );
    assert_ne!(edited, text);
    std::fs::write(&file, edited).unwrap();
    let after = check(&data, &[]);
    assert_ne!(after, before, "the edit shows");
    assert!(after.contains("between 2,500 and 5,000"));
    assert_eq!(after, check(&data, &["--no-cache"]));
}
