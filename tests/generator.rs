//! The data set generator (examples/gen.rs) makes data crosscheck loads, byte for byte the same
//! from the same seed, with every planted problem found.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{TODAY, crosscheck_command};

#[path = "../examples/gen.rs"]
#[allow(dead_code)]
mod generator;

/// Every file under `dir`, by relative path, with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    out
}

#[test]
fn same_seed_same_bytes_and_the_data_set_loads() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b, c) = (
        tmp.path().join("a"),
        tmp.path().join("b"),
        tmp.path().join("c"),
    );
    let planted = generator::run(&a, 2_000, 42).unwrap();
    generator::run(&b, 2_000, 42).unwrap();
    generator::run(&c, 2_000, 43).unwrap();
    let (sa, sb, sc) = (snapshot(&a), snapshot(&b), snapshot(&c));
    assert!(
        sa.len() > 20,
        "one file per source plus entities and properties: {}",
        sa.len()
    );
    assert!(sa.contains_key("entities.toml") && sa.contains_key("properties.toml"));
    assert!(sa == sb, "two runs with the same seed differ");
    assert!(sa != sc, "another seed gives the same data");

    let bytes: usize = sa.values().map(Vec::len).sum();
    let claims: usize = sa
        .values()
        .map(|f| String::from_utf8_lossy(f).matches("\n[[claim]]\n").count())
        .sum();
    assert!(
        (1_900..=2_100).contains(&claims),
        "about 2,000 claims: {claims}"
    );
    let per_claim = bytes / claims;
    assert!(
        (200..=330).contains(&per_claim),
        "about 270 bytes per claim: {per_claim}"
    );

    let out = crosscheck_command()
        .args(["check", "--today", TODAY, "--format", "json", "--no-cache"])
        .arg(&a)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(1),
        "planted errors, and no load error: {stderr}"
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut found: BTreeMap<String, usize> = BTreeMap::new();
    for f in report["findings"].as_array().unwrap() {
        *found
            .entry(f["rule"].as_str().unwrap().to_string())
            .or_default() += 1;
    }
    // Each kind of planted problem is found (other findings may come with it: a misquote's
    // relay also diverges from its origin).
    for (what, n) in &planted {
        let rule = what.split(' ').next().unwrap();
        if rule == "look-alike" || *n == 0 {
            continue;
        }
        assert!(
            found.get(rule).copied().unwrap_or(0) >= 1,
            "planted {n} {what}, found none: {found:?}"
        );
    }
}

#[test]
fn the_markdown_report_of_a_large_data_set_fits_a_github_comment() {
    let tmp = tempfile::tempdir().unwrap();
    generator::run(tmp.path(), 2_000, 42).unwrap();
    let out = crosscheck_command()
        .args([
            "check",
            "--today",
            TODAY,
            "--format",
            "markdown",
            "--no-cache",
        ])
        .arg(tmp.path())
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let json = crosscheck_command()
        .args(["check", "--today", TODAY, "--format", "json", "--no-cache"])
        .arg(tmp.path())
        .output()
        .unwrap();
    let findings = String::from_utf8_lossy(&json.stdout)
        .matches("\"fingerprint\"")
        .count();
    let shown = text.matches("\n### ").count();
    assert!(
        text.chars().count() <= 65_536,
        "{} characters",
        text.chars().count()
    );
    assert!(
        shown > 0 && shown < findings,
        "{shown} of {findings} findings shown"
    );
    assert!(
        text.ends_with(&format!(
            "_{} more sections not shown: a GitHub comment holds at most 65,536 characters. \
             `--format json` or `--format sarif` reports everything._\n",
            findings - shown
        )),
        "{}",
        &text[text.len() - 300..]
    );
    assert!(text.starts_with("## crosscheck report\n"));
}
