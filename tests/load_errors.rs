//! The corpus of broken data sets (`tests/fixtures/invalid/<case>/`): each must make
//! `crosscheck check` exit 2 with every problem named by file, line and column, and nothing
//! on standard output. What it prints is a snapshot: the error messages are the product too.

use std::path::Path;
use std::process::Command;

#[test]
fn every_broken_data_set_is_refused_with_located_errors() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    insta::glob!("fixtures/invalid/*", |case| {
        let relative = case.strip_prefix(crate_dir).unwrap();
        let output = Command::new(env!("CARGO_BIN_EXE_crosscheck"))
            .args(["check", "--color", "never"])
            .arg(relative)
            .current_dir(crate_dir)
            .output()
            .unwrap();
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert_eq!(
            output.status.code(),
            Some(2),
            "{}:\n{stderr}",
            relative.display()
        );
        assert!(
            output.stdout.is_empty(),
            "no report is printed for a data set that does not load"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
        insta::with_settings!({snapshot_path => "../snapshots", prepend_module_to_snapshot => false, omit_expression => true}, {
            insta::assert_snapshot!("invalid", stderr);
        });
    });
}
