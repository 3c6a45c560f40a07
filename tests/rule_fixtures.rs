//! Each built-in rule on its own fixture data set (`tests/fixtures/rules/<rule>/`), with only
//! that rule enabled: its human and JSON reports are snapshots, it must find something, and it
//! must never involve a record whose id starts with `ok-` (the cases that must stay silent).

mod common;

use common::{load_relative, root, run_check, snapshot};
use crosscheck::diag::RenderOptions;
use crosscheck::engine::Report;
use crosscheck::model::Dataset;
use crosscheck::report::{human, json};

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
    let mut dirs: Vec<_> = std::fs::read_dir(root().join("tests/fixtures/rules"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(!dirs.is_empty());
    for dir in dirs {
        let rule = dir.file_name().unwrap().to_string_lossy().into_owned();
        // Paths in reports are relative to the crate, as a user would type them.
        let relative = dir.strip_prefix(root()).unwrap();
        let data = load_relative(relative.to_str().unwrap());
        let report = run_check(&data, &[&rule]);
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
        snapshot!(
            format!("rule-{rule}-human"),
            human::render_report(&data, &report, RenderOptions::default())
        );
        snapshot!(
            format!("rule-{rule}-json"),
            json::render_report(&data, &report)
        );
    }
}
