//! Each built-in rule on its own fixture data set (`tests/fixtures/rules/<rule>/`), with only
//! that rule enabled: its human and JSON reports are snapshots, it must find something, and it
//! must never involve a record whose id starts with `ok-` (the cases that must stay silent).

use std::path::Path;

use crosscheck::diag::RenderOptions;
use crosscheck::engine::{CheckOptions, Report, check};
use crosscheck::model::Dataset;
use crosscheck::report::{human, json};
use crosscheck::value::Day;

fn run_rule(dir: &Path) -> (Dataset, Report) {
    let rule = dir.file_name().unwrap().to_string_lossy().into_owned();
    let data = crosscheck::load::load(&[dir.to_path_buf()]).unwrap_or_else(|failure| {
        let text =
            crosscheck::diag::render_all(&failure.errors, &failure.files, RenderOptions::default());
        panic!("fixture {} does not load:\n{text}", dir.display())
    });
    let options = CheckOptions {
        today: Day::from_ymd(2026, 1, 1).unwrap(),
        select: vec![rule],
    };
    let report = check(&data, &options).expect("rule configuration is valid");
    (data, report)
}

/// Ids of every record a finding involves.
fn involved_ids(data: &Dataset, report: &Report) -> Vec<String> {
    let mut ids = Vec::new();
    for f in &report.findings {
        ids.extend(f.claims.iter().map(|c| data.claim(c.idx).id.clone()));
        ids.extend(f.entities.iter().map(|e| data.entity(e.idx).id.clone()));
        ids.extend(f.sources.iter().map(|s| data.source(s.idx).id.clone()));
    }
    ids
}

#[test]
fn every_rule_on_its_fixtures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules");
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(!dirs.is_empty());
    let cwd = Path::new(env!("CARGO_MANIFEST_DIR"));
    for dir in dirs {
        let rule = dir.file_name().unwrap().to_string_lossy().into_owned();
        // Paths in reports are relative to the crate, as a user would type them.
        let relative = dir.strip_prefix(cwd).unwrap().to_path_buf();
        std::env::set_current_dir(cwd).unwrap();
        let (data, report) = run_rule(&relative);
        assert!(
            !report.findings.is_empty(),
            "rule {rule} found nothing in its fixtures"
        );
        let silent: Vec<String> = involved_ids(&data, &report)
            .into_iter()
            .filter(|id| id.starts_with("ok-") || id.contains("/ok-"))
            .collect();
        assert!(
            silent.is_empty(),
            "rule {rule} fired on records meant to stay silent: {silent:?}"
        );
        insta::with_settings!({snapshot_path => "../snapshots", prepend_module_to_snapshot => false, omit_expression => true}, {
            insta::assert_snapshot!(format!("rule-{rule}-human"), human::render_report(&data, &report, RenderOptions::default()));
            insta::assert_snapshot!(format!("rule-{rule}-json"), json::render_report(&data, &report));
        });
    }
}
