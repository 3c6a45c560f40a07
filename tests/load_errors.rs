//! The corpus of broken data sets (`tests/fixtures/invalid/<case>/`): each must make
//! `crosscheck check` exit 2 with every problem named by file, line and column, and nothing
//! on standard output. What it prints is a snapshot: the error messages are the product too.

mod common;

use common::{crosscheck, root, snapshot, stderr};

#[test]
fn every_broken_data_set_is_refused_with_located_errors() {
    insta::glob!("fixtures/invalid/*", |case| {
        let relative = case.strip_prefix(root()).unwrap();
        let output = crosscheck(
            root(),
            &["check", "--color", "never", relative.to_str().unwrap()],
        );
        let stderr = stderr(&output);
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
        snapshot!("invalid", stderr);
    });
}
