//! The SARIF report, validated by Microsoft's SARIF Multitool (`validate`: the SARIF 2.1.0 schema
//! and the SDK's own rules). The tool is an npm package:
//!
//! ```sh
//! npm install --prefix target/sarif-tool @microsoft/sarif-multitool@5.7.0
//! ```
//!
//! or name its binary in `SARIF_MULTITOOL`. Without it the tests fail in CI (`CI=true`) and are
//! skipped elsewhere, with a message.
//!
//! The tool exits 0 whatever it finds, so the tests read its own SARIF log (`--output`): any
//! result of level `error`, or a warning not listed in [`ALLOWED_WARNINGS`], fails.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{EXAMPLE, load_and_check, root};
use crosscheck::report::sarif;
use serde_json::Value;

/// Warnings accepted, by rule id and a piece of the message. `informationUri` is left out on
/// purpose: the project has no stable home page to point to yet.
const ALLOWED_WARNINGS: &[(&str, &str)] = &[("SARIF2005", "does not provide 'informationUri'")];

fn multitool() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("SARIF_MULTITOOL").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(path));
    }
    let local = root().join("target/sarif-tool/node_modules/.bin/sarif-multitool");
    local.is_file().then_some(local)
}

/// The multitool, or `None` when the test may be skipped (outside CI).
fn require_multitool() -> Option<PathBuf> {
    let tool = multitool();
    if tool.is_none() {
        let help = "the SARIF Multitool is not installed: run `npm install --prefix target/sarif-tool \
                    @microsoft/sarif-multitool@5.7.0`, or set SARIF_MULTITOOL to its binary";
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("{help}");
        }
        eprintln!("skipped: {help}");
    }
    tool
}

/// A finding of the validator: level, rule id, message.
type Problem = (String, String, String);

/// Runs `validate` on one file and returns what it found, with its console output.
fn validate(tool: &Path, file: &Path) -> (Vec<Problem>, String) {
    let out = file.with_extension("validation.sarif");
    let output = Command::new(tool)
        .arg("validate")
        .arg(file)
        .arg("--output")
        .arg(&out)
        .args(["--log", "ForceOverwrite"])
        // The tool is a .NET program; without ICU on the machine it needs this to start.
        .env("DOTNET_SYSTEM_GLOBALIZATION_INVARIANT", "1")
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", tool.display()));
    let console = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "the multitool failed:\n{console}");
    let log: Value = serde_json::from_str(
        &std::fs::read_to_string(&out)
            .unwrap_or_else(|e| panic!("no validation log ({e}):\n{console}")),
    )
    .expect("the validation log is JSON");
    let run = &log["runs"][0];
    assert_eq!(
        run["invocations"][0]["executionSuccessful"], true,
        "the validation did not complete:\n{console}"
    );
    let rules = run["tool"]["driver"]["rules"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    let problems = run["results"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .map(|r| {
            (
                // A result without a level is a warning (SARIF 3.27.10).
                r["level"].as_str().unwrap_or("warning").to_string(),
                r["ruleId"].as_str().unwrap_or("").to_string(),
                message(r, rules),
            )
        })
        .collect();
    (problems, console)
}

/// A result's message: its text, or its rule's message string with the arguments put in.
fn message(result: &Value, rules: &[Value]) -> String {
    let m = &result["message"];
    if let Some(text) = m["text"].as_str() {
        return text.to_string();
    }
    let rule = result["ruleIndex"]
        .as_u64()
        .and_then(|i| rules.get(i as usize));
    let id = m["id"].as_str().unwrap_or("");
    let mut text = rule
        .and_then(|r| r["messageStrings"][id]["text"].as_str())
        .unwrap_or(id)
        .to_string();
    for (i, arg) in m["arguments"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .enumerate()
    {
        text = text.replace(&format!("{{{i}}}"), arg.as_str().unwrap_or(""));
    }
    text
}

fn unexpected(problems: &[Problem]) -> Vec<&Problem> {
    problems
        .iter()
        .filter(|(level, rule, message)| match level.as_str() {
            "error" => true,
            "warning" => !ALLOWED_WARNINGS
                .iter()
                .any(|(id, text)| rule == id && message.contains(text)),
            // Notes and passes.
            _ => false,
        })
        .collect()
}

fn sarif_of(relative: &str) -> String {
    let (data, report) = load_and_check(relative);
    sarif::render_report(&data, &report)
}

fn assert_valid(relative: &str) {
    let Some(tool) = require_multitool() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.sarif");
    std::fs::write(&file, sarif_of(relative)).unwrap();
    let (problems, console) = validate(&tool, &file);
    let bad = unexpected(&problems);
    assert!(
        bad.is_empty(),
        "the SARIF report of {relative} is not valid: {bad:#?}\n{console}"
    );
    println!("{relative}: {console}");
}

#[test]
fn example_data_set_sarif_is_valid() {
    assert_valid(EXAMPLE);
}

#[test]
fn accepted_and_stale_findings_sarif_is_valid() {
    assert_valid("tests/fixtures/report-formats");
}

/// The harness must be able to fail: a log with a schema error and a bad URI is rejected.
#[test]
fn a_broken_sarif_log_is_rejected() {
    let Some(tool) = require_multitool() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("broken.sarif");
    let broken = sarif_of("tests/fixtures/report-formats")
        .replacen("\"startLine\": 11", "\"startLine\": 0", 1)
        .replacen("\"uri\": \"tests/", "\"uri\": \"tests /", 1);
    assert_ne!(broken, sarif_of("tests/fixtures/report-formats"));
    std::fs::write(&file, broken).unwrap();
    let (problems, console) = validate(&tool, &file);
    let rules: Vec<&str> = unexpected(&problems)
        .iter()
        .map(|(_, rule, _)| rule.as_str())
        .collect();
    assert!(
        rules.contains(&"JSON1008"),
        "startLine 0 not reported: {rules:?}\n{console}"
    );
    assert!(
        rules.contains(&"SARIF1002"),
        "an invalid URI not reported: {rules:?}\n{console}"
    );
}
