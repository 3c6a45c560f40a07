//! Every input that once crashed, hung or blew up a fuzz target (fuzz/README.md), replayed
//! through the very harness the fuzzer runs (`fuzz/harness.rs`): `tests/fixtures/fuzz/<target>/*`
//! for the targets `value`, `load` and `check`. A new finding is fixed, then its input (as
//! libFuzzer saved it, minimized with `cargo fuzz tmin`) goes into that folder.

mod common;
#[path = "../fuzz/harness.rs"]
mod harness;

fn replay(target: &str, run: fn(&[u8])) {
    let dir = common::root().join("tests/fixtures/fuzz").join(target);
    // A target without findings has no folder (git keeps no empty folders).
    let mut inputs: Vec<_> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    inputs.sort();
    for input in inputs {
        let bytes = std::fs::read(&input).unwrap();
        let started = std::time::Instant::now();
        if let Err(panic) = std::panic::catch_unwind(|| run(&bytes)) {
            panic!("{} fails again: {panic:?}", input.display());
        }
        // The fuzzers ran with a 10 s timeout, in an optimized build; a debug build is slower.
        assert!(
            started.elapsed() < std::time::Duration::from_secs(60),
            "{} took {:?}",
            input.display(),
            started.elapsed()
        );
    }
}

#[test]
fn value_language_inputs() {
    replay("value", harness::value);
}

#[test]
fn loader_inputs() {
    replay("load", harness::load);
}

#[test]
fn whole_check_inputs() {
    replay("check", harness::check);
}
