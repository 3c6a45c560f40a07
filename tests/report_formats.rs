//! Every report format (human, JSON, Markdown, SARIF, GitHub), as snapshots: on the example data set, and on a small
//! data set (`tests/fixtures/report-formats/`) with an accepted finding, a stale acceptance and
//! text that every format must escape. Paths are relative, as a user would type them.

mod common;

use std::path::Path;
use std::process::Output;

use common::{EXAMPLE, TODAY, crosscheck_command, load_and_check, root, snapshot, stdout};
use crosscheck::diag::RenderOptions;
use crosscheck::engine::pack::builtin_doc;
use crosscheck::engine::{Report, STALE_ACCEPTANCE};
use crosscheck::model::Dataset;
use crosscheck::report::{github, human, json, markdown, sarif};
use serde_json::Value;

const FIXTURE: &str = "tests/fixtures/report-formats";

/// The SARIF log with each rule's long documentation (full description and help, from
/// `rules/<id>.toml`) replaced by a marker: those texts are checked against the rule pack in
/// [`sarif_rules_carry_the_pack_documentation`], and the snapshot stays about the report.
fn sarif_without_rule_docs(text: &str) -> String {
    let mut out = String::new();
    let mut in_rules = false;
    let mut rule = String::new();
    let mut in_doc = false;
    for line in text.lines() {
        let trimmed = line.trim_start();
        let indent = &line[..line.len() - trimmed.len()];
        if trimmed.starts_with("\"rules\": [") {
            in_rules = true;
        } else if trimmed.starts_with("\"columnKind\"") {
            in_rules = false;
        }
        if in_rules {
            if let Some(id) = trimmed.strip_prefix("\"id\": ") {
                rule = id.trim_end_matches(',').trim_matches('"').to_string();
            }
            if trimmed.starts_with("\"fullDescription\": {") || trimmed.starts_with("\"help\": {") {
                in_doc = true;
            } else if trimmed.starts_with('}') {
                in_doc = false;
            } else if in_doc && let Some((key, rest)) = trimmed.split_once(": ") {
                let comma = if rest.ends_with(',') { "," } else { "" };
                out.push_str(&format!(
                    "{indent}{key}: \"<documentation of {rule}>\"{comma}\n"
                ));
                continue;
            }
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

fn snapshots(name: &str, data: &Dataset, report: &Report) {
    snapshot!(
        format!("format-{name}-human"),
        human::render_report(data, report, RenderOptions::default())
    );
    snapshot!(
        format!("format-{name}-json"),
        json::render_report(data, report)
    );
    snapshot!(
        format!("format-{name}-markdown"),
        markdown::render_report(data, report)
    );
    snapshot!(
        format!("format-{name}-sarif"),
        sarif_without_rule_docs(&sarif::render_report(data, report))
    );
    snapshot!(
        format!("format-{name}-github"),
        github::render_report(data, report)
    );
}

#[test]
fn example_data_set_in_every_format() {
    let (data, report) = load_and_check(EXAMPLE);
    assert!(!report.findings.is_empty());
    snapshots("example", &data, &report);
}

#[test]
fn accepted_stale_and_escaping_in_every_format() {
    let (data, report) = load_and_check(FIXTURE);
    assert!(
        report.findings.iter().any(|f| f.accepted.is_some()),
        "the fixture accepts a finding"
    );
    assert!(
        report.findings.iter().any(|f| f.rule == STALE_ACCEPTANCE),
        "the fixture has a stale acceptance"
    );
    snapshots("fixture", &data, &report);
}

#[test]
fn reports_are_deterministic() {
    for path in [EXAMPLE, FIXTURE] {
        let (data1, report1) = load_and_check(path);
        let (data2, report2) = load_and_check(path);
        assert_eq!(
            markdown::render_report(&data1, &report1),
            markdown::render_report(&data2, &report2)
        );
        assert_eq!(
            sarif::render_report(&data1, &report1),
            sarif::render_report(&data2, &report2)
        );
        assert_eq!(
            github::render_report(&data1, &report1),
            github::render_report(&data2, &report2)
        );
    }
}

#[test]
fn sarif_rules_carry_the_pack_documentation() {
    for path in [EXAMPLE, FIXTURE] {
        let (data, report) = load_and_check(path);
        let log: Value = serde_json::from_str(&sarif::render_report(&data, &report)).unwrap();
        assert_eq!(log["version"], "2.1.0");
        let run = &log["runs"][0];
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
        for rule in &report.rules {
            assert!(
                ids.contains(&rule.id.as_str()),
                "{path}: rule {} that ran is not listed",
                rule.id
            );
        }
        for rule in rules {
            let id = rule["id"].as_str().unwrap();
            let level = rule["defaultConfiguration"]["level"].as_str().unwrap();
            assert!(
                ["error", "warning", "note"].contains(&level),
                "{id}: level {level}"
            );
            let kind = rule["properties"]["kind"].as_str().unwrap();
            let Some(doc) = builtin_doc(kind) else {
                assert_eq!(
                    id, STALE_ACCEPTANCE,
                    "only stale-acceptance has no rule file"
                );
                assert!(
                    rule["help"]["markdown"]
                        .as_str()
                        .unwrap()
                        .contains("[[accepted]]")
                );
                continue;
            };
            assert!(
                rule["shortDescription"]["text"]
                    .as_str()
                    .unwrap()
                    .starts_with(&doc.summary)
            );
            assert!(
                rule["fullDescription"]["text"]
                    .as_str()
                    .unwrap()
                    .contains(doc.docs.what_it_flags.trim())
            );
            let d = &doc.docs;
            for section in [
                &d.what_it_flags,
                &d.why_it_matters,
                &d.example_that_fires,
                &d.example_that_does_not,
                &d.how_to_silence,
            ] {
                for field in ["text", "markdown"] {
                    let help = rule["help"][field].as_str().unwrap();
                    assert!(
                        help.contains(section.trim()),
                        "{id}: help.{field} lacks a section"
                    );
                }
            }
        }
        for (result, finding) in run["results"]
            .as_array()
            .unwrap()
            .iter()
            .zip(&report.findings)
        {
            let index = result["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(rules[index]["id"], result["ruleId"]);
            assert_eq!(
                result["partialFingerprints"]["crosscheck/v1"],
                finding.fingerprint.as_str()
            );
            let uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap();
            assert!(uri.starts_with(path), "{uri} is not relative");
            match &finding.accepted {
                Some(a) => {
                    let s = &result["suppressions"][0];
                    assert_eq!(
                        (&s["kind"], &s["status"]),
                        (&"external".into(), &"accepted".into())
                    );
                    assert_eq!(s["justification"], a.reason.as_str());
                }
                None => assert!(result.get("suppressions").is_none()),
            }
        }
        assert_eq!(
            run["results"].as_array().unwrap().len(),
            report.findings.len()
        );
    }
}

#[test]
fn github_commands_are_one_line_each_and_skip_accepted_findings() {
    let (data, report) = load_and_check(FIXTURE);
    let text = github::render_report(&data, &report);
    let lines: Vec<&str> = text.lines().collect();
    let unaccepted = report
        .findings
        .iter()
        .filter(|f| f.accepted.is_none())
        .count();
    assert_eq!(
        lines.len(),
        unaccepted + 1,
        "one command per unaccepted finding, then the summary"
    );
    for (line, finding) in lines
        .iter()
        .zip(report.findings.iter().filter(|f| f.accepted.is_none()))
    {
        let level = match finding.severity.as_str() {
            "info" => "notice",
            other => other,
        };
        assert!(line.starts_with(&format!("::{level} file=")), "{line}");
        if finding.rule != STALE_ACCEPTANCE {
            assert!(
                line.contains(&format!("crosscheck accept {}", finding.fingerprint)),
                "{line}"
            );
        }
    }
    for f in report.findings.iter().filter(|f| f.accepted.is_some()) {
        assert!(
            !text.contains(&f.fingerprint),
            "accepted finding {} is annotated",
            f.fingerprint
        );
    }
}

/// Unescaped `|` in a line: the cells of a table row.
fn cell_separators(line: &str) -> usize {
    let bytes = line.as_bytes();
    (0..bytes.len())
        .filter(|&i| bytes[i] == b'|' && (i == 0 || bytes[i - 1] != b'\\'))
        .count()
}

#[test]
fn markdown_table_rows_have_as_many_cells_as_their_header() {
    for path in [EXAMPLE, FIXTURE] {
        let (data, report) = load_and_check(path);
        let text = markdown::render_report(&data, &report);
        let mut header = None;
        for line in text.lines() {
            if !line.starts_with('|') {
                header = None;
                continue;
            }
            let n = cell_separators(line);
            match header {
                None => header = Some(n),
                Some(h) => assert_eq!(
                    n, h,
                    "{path}: a row with a different number of cells: {line}"
                ),
            }
        }
    }
}

/// `crosscheck check` of the fixture in `format`, with `GITHUB_STEP_SUMMARY` set to `summary`.
fn check_fixture_with_summary(format: &str, summary: &Path) -> Output {
    crosscheck_command()
        .current_dir(root())
        .args(["check", FIXTURE, "--today", TODAY, "--format", format])
        .env("GITHUB_STEP_SUMMARY", summary)
        .output()
        .unwrap()
}

#[test]
fn github_format_appends_markdown_to_the_step_summary() {
    let dir = tempfile::tempdir().unwrap();
    let summary = dir.path().join("summary.md");
    std::fs::write(&summary, "earlier step\n").unwrap();
    let output = check_fixture_with_summary("github", &summary);
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let (data, report) = load_and_check(FIXTURE);
    assert_eq!(stdout(&output), github::render_report(&data, &report));
    let written = std::fs::read_to_string(&summary).unwrap();
    assert_eq!(
        written,
        format!("earlier step\n{}", markdown::render_report(&data, &report))
    );

    // Other formats leave it alone; a missing file is created.
    let missing = dir.path().join("new.md");
    let status = check_fixture_with_summary("json", &missing);
    assert_eq!(status.status.code(), Some(1));
    assert!(!missing.exists());
    let status = check_fixture_with_summary("github", &missing);
    assert_eq!(status.status.code(), Some(1));
    assert!(
        std::fs::read_to_string(&missing)
            .unwrap()
            .starts_with("## crosscheck report")
    );
}

#[test]
fn paths_are_relative_to_where_the_check_runs() {
    let (data, report) = load_and_check(EXAMPLE);
    let root = root().display().to_string();
    for text in [
        markdown::render_report(&data, &report),
        sarif::render_report(&data, &report),
        github::render_report(&data, &report),
    ] {
        assert!(!text.contains(&root), "an absolute path in a report");
    }
}

#[test]
fn timings_go_to_standard_error_and_leave_the_report_alone() {
    let args = [
        "check",
        EXAMPLE,
        "--today",
        TODAY,
        "--format",
        "json",
        "--no-cache",
    ];
    let plain = common::crosscheck(root(), &args);
    let timed = common::crosscheck(root(), &[&args[..], &["--timings"]].concat());
    assert_eq!(plain.stdout, timed.stdout, "the report does not change");
    assert!(!common::stderr(&plain).contains("timing:"));
    let lines: Vec<String> = common::stderr(&timed)
        .lines()
        .filter(|l| l.starts_with("timing:"))
        .map(|l| l.rsplit("  ").next().unwrap_or("").to_string())
        .collect();
    for step in [
        "load: read and parse",
        "load: resolve",
        "engine: all rules",
        "rule: drift",
        "rule: quote-mismatch",
        "report: write",
    ] {
        assert!(lines.iter().any(|l| l == step), "no {step:?} in {lines:?}");
    }
}

#[test]
fn timings_of_a_cached_json_check_say_what_it_reused() {
    let (_dir, data) = common::example_copy();
    let data = data.to_str().unwrap();
    let args = [
        "check",
        data,
        "--today",
        TODAY,
        "--format",
        "json",
        "--timings",
    ];
    let first = common::crosscheck(root(), &args);
    assert!(common::stderr(&first).contains("recheck: full check (no previous report"));
    let second = common::crosscheck(root(), &args);
    assert_eq!(first.stdout, second.stdout);
    assert!(
        common::stderr(&second).contains("recheck: nothing changed"),
        "{}",
        common::stderr(&second)
    );
}

/// A report that cannot be written (a full disk) fails the run, rather than leaving a cut
/// report and a passing status; a closed pipe (`| head`) does not.
#[cfg(target_os = "linux")]
#[test]
fn a_report_that_cannot_be_written_fails_the_run() {
    let full = std::fs::File::create("/dev/full").unwrap();
    let out = common::crosscheck_command()
        .args([
            "check",
            EXAMPLE,
            "--today",
            TODAY,
            "--format",
            "json",
            "--no-cache",
        ])
        .current_dir(root())
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(common::code(&out), 2);
    assert!(
        common::stderr(&out).contains("cannot write the report to standard output"),
        "{}",
        common::stderr(&out)
    );
}
