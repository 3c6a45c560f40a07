//! `crosscheck accept`, end to end, on small data sets written into temporary folders: the
//! record written, the check it changes, the file's comments and layout kept, every refusal
//! leaving the file as it was, and a write that fails half-way leaving no trace.

mod common;

use std::path::Path;
use std::process::Command;

use common::{TODAY, code, crosscheck, stderr, stdout};
use serde_json::Value;

const ENTITIES: &str = r#"[[entity]]
id = "ttp"
name = "TTP"

[[entity]]
id = "isil-k"
name = "ISIL-K"
"#;

const PROPERTIES: &str = r#"[[property]]
id = "fighters"
type = "quantity"
unit = "fighters"
"#;

const UN_REPORT: &str = r#"[[source]]
id = "un-report"
title = "Monitoring team report"
published = 2024-06-01
kind = "primary"

[[claim]]
id = "un-ttp-fighters"
subject = "ttp"
property = "fighters"
value = "2,500–6,000"
"#;

/// The monitor's TTP figure contradicts the UN report's.
const MONITOR: &str = r#"[[source]]
id = "monitor"
title = "An independent monitor's assessment"
published = 2024-06-20
kind = "primary"

[[claim]]
id = "monitor-ttp-fighters"
subject = "ttp"
property = "fighters"
value = "8,000"
"#;

/// A second contradiction, about ISIL-K.
const ISIL_K: &str = r#"[[claim]]
id = "un-isil-k-fighters"
source = "un-report"
subject = "isil-k"
property = "fighters"
value = "between 1,000 and 2,200"

[[claim]]
id = "monitor-isil-k-fighters"
source = "monitor"
subject = "isil-k"
property = "fighters"
value = "4,000"
"#;

/// A data set with one contradiction (and, with `second`, another one).
fn data_set(second: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    write("entities.toml", ENTITIES);
    write("properties.toml", PROPERTIES);
    write("un-report.toml", UN_REPORT);
    write("monitor.toml", MONITOR);
    if second {
        write("isil-k.toml", ISIL_K);
    }
    dir
}

fn json_report(dir: &Path) -> Value {
    let out = crosscheck(dir, &["check", "--format", "json", "--today", TODAY]);
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The fingerprints of the findings of `rule`, in report order.
fn fingerprints(dir: &Path, rule: &str) -> Vec<String> {
    json_report(dir)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == rule)
        .map(|f| f["fingerprint"].as_str().unwrap().to_string())
        .collect()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

/// The files in a folder, sorted: to see that no temporary file is left behind. (Folders, such
/// as the parse cache's, are left out.)
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(Result::unwrap)
        .filter(|e| e.file_type().unwrap().is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn an_accepted_finding_passes_and_a_resolved_one_leaves_a_stale_acceptance() {
    let dir = data_set(false);
    let d = dir.path();
    assert_eq!(code(&crosscheck(d, &["check", "--today", TODAY])), 1);
    let [fp] = &fingerprints(d, "conflict")[..] else {
        panic!("one conflict expected")
    };

    let reason = "the monitor counts fighters and their families";
    let out = crosscheck(
        d,
        &[
            "accept", fp, "--reason", reason, "--by", "Ana", "--today", TODAY,
        ],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        format!("accepted {fp}: recorded in ./accepted.toml\n")
    );
    assert_eq!(
        read(&d.join("accepted.toml")),
        format!(
            "{}\n[[accepted]]\nfinding = \"{fp}\"\nreason = \"{reason}\"\nby = \"Ana\"\ndate = {TODAY}\n",
            crosscheck::accept::HEADER
        )
    );
    assert_eq!(
        listing(d),
        [
            "accepted.toml",
            "entities.toml",
            "monitor.toml",
            "properties.toml",
            "un-report.toml"
        ]
    );

    // Accepted: the check passes, and every report still shows the finding, with the reason.
    let human = crosscheck(d, &["check", "--today", TODAY]);
    assert_eq!(code(&human), 0, "{}", stdout(&human));
    let human = stdout(&human);
    assert!(human.contains("error[conflict]: TTP fighters"), "{human}");
    assert!(
        human.contains(&format!("= note: accepted: {reason} (Ana, {TODAY})")),
        "{human}"
    );
    assert!(
        human.ends_with("0 errors, 0 warnings, 0 info (1 accepted) in 2 claims from 2 sources\n"),
        "{human}"
    );
    let json = json_report(d);
    assert_eq!(json["summary"]["accepted"], 1);
    assert_eq!(json["summary"]["error"], 0);
    let finding = &json["findings"][0];
    assert_eq!(finding["fingerprint"], fp.as_str());
    assert_eq!(finding["accepted"]["reason"], reason);
    assert_eq!(finding["accepted"]["by"], "Ana");
    assert_eq!(finding["accepted"]["date"], TODAY);
    for format in ["markdown", "sarif"] {
        let out = crosscheck(d, &["check", "--format", format, "--today", TODAY]);
        assert_eq!(code(&out), 0);
        assert!(stdout(&out).contains(reason), "{format}: {}", stdout(&out));
    }

    // The contradiction is resolved: the acceptance is reported as stale (info), with its reason.
    std::fs::write(
        d.join("monitor.toml"),
        MONITOR.replace("8,000", "2,500–6,000"),
    )
    .unwrap();
    let out = crosscheck(d, &["check", "--today", TODAY]);
    assert_eq!(code(&out), 0, "an info finding does not fail the check");
    let human = stdout(&out);
    assert!(
        human.starts_with(&format!(
            "info[stale-acceptance]: acceptance of finding {fp} is stale: no such finding occurs any more\n \
             --> accepted.toml:6:11\n"
        )),
        "{human}"
    );
    assert!(
        human.contains(&format!("= note: it was accepted because: {reason}")),
        "{human}"
    );
    let json = json_report(d);
    let findings = json["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{json:#}");
    assert_eq!(findings[0]["rule"], "stale-acceptance");
    assert_eq!(findings[0]["severity"], "info");
    assert_eq!(json["summary"]["info"], 1);
    assert_eq!(
        code(&crosscheck(
            d,
            &["check", "--fail-on", "info", "--today", TODAY]
        )),
        1
    );
}

#[test]
fn an_existing_file_keeps_its_comments_and_layout_byte_for_byte() {
    let dir = data_set(true);
    let d = dir.path();
    let [first, second] = &fingerprints(d, "conflict")[..] else {
        panic!("two conflicts expected")
    };
    // Hand-written: comments, aligned values, a literal string, CRLF-free but odd spacing, a
    // commented-out record at the end and no final newline.
    let existing = format!(
        "# Reviewed at the March meeting.\n\n[[accepted]]\nfinding = \"{first}\"   # ISIL-K or TTP\nreason  = 'the \
         two reports count different things'\ndate    = 2026-03-01\n\n# [[accepted]]\n# finding = \"0000\"\n# reason = \
         \"withdrawn\""
    );
    std::fs::write(d.join("accepted.toml"), &existing).unwrap();
    let out = crosscheck(
        d,
        &[
            "accept",
            second,
            "--reason",
            "an \"estimate\" against a count",
            "--today",
            TODAY,
        ],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(
        read(&d.join("accepted.toml")),
        format!(
            "{existing}\n\n[[accepted]]\nfinding = \"{second}\"\nreason = 'an \"estimate\" against a count'\ndate = {TODAY}\n"
        )
    );
    let json = json_report(d);
    assert_eq!(json["summary"]["accepted"], 2, "{json:#}");
    assert_eq!(code(&crosscheck(d, &["check", "--today", TODAY])), 0);
}

#[test]
fn refusals_explain_themselves_and_leave_the_file_alone() {
    let dir = data_set(true);
    let d = dir.path();
    let [first, second] = &fingerprints(d, "conflict")[..] else {
        panic!("two conflicts expected")
    };
    let existing = format!(
        "# Accepted so far.\n[[accepted]]\nfinding = \"{first}\"\nreason = \"checked\"\n\n[[accepted]]\nfinding = \
         \"0123456789abcdef\"\nreason = \"an old figure, since corrected\"\n"
    );
    let path = d.join("accepted.toml");
    std::fs::write(&path, &existing).unwrap();
    let [stale] = &fingerprints(d, "stale-acceptance")[..] else {
        panic!("one stale acceptance expected")
    };

    let typo = format!("{}x", &second[..second.len() - 1]);
    let cases: Vec<(&str, Vec<&str>)> = vec![
        (
            "a mistyped fingerprint",
            vec!["accept", &typo, "--reason", "r"],
        ),
        (
            "an unknown fingerprint",
            vec!["accept", "ffffffff", "--reason", "r"],
        ),
        ("an empty reason", vec!["accept", second, "--reason", "  "]),
        (
            "a finding accepted already",
            vec!["accept", first, "--reason", "again"],
        ),
        ("a stale acceptance", vec!["accept", stale, "--reason", "r"]),
        ("no reason at all", vec!["accept", second]),
    ];
    let mut transcript = String::new();
    for (what, mut args) in cases {
        args.extend(["--today", TODAY]);
        let out = crosscheck(d, &args);
        assert_eq!(code(&out), 2, "{what}: {}", stderr(&out));
        assert_eq!(stdout(&out), "", "{what}");
        assert_eq!(read(&path), existing, "{what}: the file is unchanged");
        let shown = stderr(&out)
            .replace(first.as_str(), "<FIRST>")
            .replace(second.as_str(), "<SECOND>")
            .replace(&typo, "<TYPO>")
            .replace(stale.as_str(), "<STALE>");
        transcript.push_str(&format!("## {what}\n{shown}\n"));
    }
    assert_eq!(
        listing(d),
        [
            "accepted.toml",
            "entities.toml",
            "isil-k.toml",
            "monitor.toml",
            "properties.toml",
            "un-report.toml"
        ]
    );

    // Not TOML: the data set does not load, and nothing is written.
    let broken = format!("{existing}[[accepted]\n");
    std::fs::write(&path, &broken).unwrap();
    let out = crosscheck(d, &["accept", second, "--reason", "r", "--today", TODAY]);
    assert_eq!(code(&out), 2);
    assert_eq!(read(&path), broken);
    transcript.push_str(&format!("## accepted.toml is not TOML\n{}\n", stderr(&out)));

    insta::with_settings!({snapshot_path => "../snapshots", prepend_module_to_snapshot => false, omit_expression => true}, {
        insta::assert_snapshot!("accept-refusals", transcript);
    });
}

#[test]
fn an_acceptances_file_outside_the_loaded_files_is_still_read_first() {
    // Only the claim files are named: accepted.toml (at the root, `.`) is not loaded, but
    // `accept` still refuses to add to it when it is broken or already holds the finding.
    let dir = data_set(false);
    let d = dir.path();
    let [fp] = &fingerprints(d, "conflict")[..] else {
        panic!("one conflict expected")
    };
    let files = [
        "entities.toml",
        "properties.toml",
        "un-report.toml",
        "monitor.toml",
    ];
    let path = d.join("accepted.toml");
    let accept = |reason: &str| {
        let mut args = vec!["accept", fp.as_str(), "--reason", reason, "--today", TODAY];
        args.extend(files);
        crosscheck(d, &args)
    };

    std::fs::write(&path, "not toml at all\n").unwrap();
    let out = accept("r");
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).starts_with("error: ./accepted.toml is not valid TOML"),
        "{}",
        stderr(&out)
    );
    assert_eq!(read(&path), "not toml at all\n");

    std::fs::write(
        &path,
        format!("[[accepted]]\nfinding = \"{fp}\"\nreason = \"old\"\n"),
    )
    .unwrap();
    let out = accept("r");
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("is already accepted, at ./accepted.toml"),
        "{}",
        stderr(&out)
    );

    std::fs::remove_file(&path).unwrap();
    assert_eq!(code(&accept("r")), 0);
    assert!(read(&path).contains(&format!("finding = \"{fp}\"")));
}

/// A write that fails half-way (after the temporary file is created) leaves `accepted.toml`
/// byte-identical, or absent if it was, and no temporary file.
#[test]
fn a_failed_write_leaves_the_file_as_it_was() {
    let dir = data_set(false);
    let d = dir.path();
    let [fp] = &fingerprints(d, "conflict")[..] else {
        panic!("one conflict expected")
    };
    let path = d.join("accepted.toml");
    let existing = "# Nothing accepted yet.\n";

    for with_file in [true, false] {
        if with_file {
            std::fs::write(&path, existing).unwrap();
        } else if path.exists() {
            std::fs::remove_file(&path).unwrap();
        }
        let before = listing(d);

        // 1. The file size limit is 0: creating the temporary file works, writing to it fails
        //    (EFBIG; the SIGXFSZ that would kill the process is ignored). This holds for root too.
        let out = Command::new("sh")
            .arg("-c")
            .arg(r#"trap '' XFSZ; ulimit -f 0 && exec "$0" "$@""#)
            .arg(env!("CARGO_BIN_EXE_crosscheck"))
            .args(["accept", fp, "--reason", "r", "--today", TODAY])
            .current_dir(d)
            .output()
            .unwrap();
        assert_eq!(code(&out), 2, "{}", stderr(&out));
        assert!(
            stderr(&out).starts_with("error: cannot write ./accepted.toml: "),
            "{}",
            stderr(&out)
        );
        assert!(
            stderr(&out).contains("nothing was written"),
            "{}",
            stderr(&out)
        );
        assert_eq!(
            listing(d),
            before,
            "no temporary file left, no file created"
        );
        if with_file {
            assert_eq!(read(&path), existing);
        }

        // 2. The folder is read-only: the temporary file cannot be created. Root writes there
        //    all the same, which the probe finds out; then case 1 alone stands for it.
        let permissions = |mode| {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(d, std::fs::Permissions::from_mode(mode)).unwrap();
        };
        permissions(0o555);
        let probe = d.join(".probe");
        let enforced = std::fs::write(&probe, "").is_err();
        let _ = std::fs::remove_file(&probe);
        if enforced {
            let out = crosscheck(d, &["accept", fp, "--reason", "r", "--today", TODAY]);
            permissions(0o755);
            assert_eq!(code(&out), 2, "{}", stderr(&out));
            assert!(
                stderr(&out).starts_with("error: cannot write ./accepted.toml: "),
                "{}",
                stderr(&out)
            );
            assert_eq!(listing(d), before);
            if with_file {
                assert_eq!(read(&path), existing);
            }
        } else {
            permissions(0o755);
            eprintln!(
                "read-only folders do not stop this user (root?): case 2 skipped, case 1 covers it"
            );
        }
    }

    // And with nothing in the way, the same command works.
    let out = crosscheck(d, &["accept", fp, "--reason", "r", "--today", TODAY]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(read(&path).starts_with(crosscheck::accept::HEADER));
}

#[test]
fn accept_needs_a_data_set_that_loads() {
    let dir = tempfile::tempdir().unwrap();
    let out = crosscheck(dir.path(), &["accept", "0123456789abcdef", "--reason", "r"]);
    assert_eq!(code(&out), 2);
    assert!(!dir.path().join("accepted.toml").exists());
}
