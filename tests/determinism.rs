//! Determinism under parallelism: files are parsed in parallel (rayon), yet the report must be
//! the same byte for byte whatever the number of threads, the order the files were created in
//! (and their modification times), the order they are named on the command line, and whether
//! the parse cache was cold or warm. Checked on the example data set and on a larger one made by
//! `examples/gen.rs`, in the human and JSON formats.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, SystemTime};

use common::{EXAMPLE, TODAY, crosscheck_command, root, stdout};

/// A small xorshift generator with a fixed seed: the shuffles vary between cases, not runs.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i + 1));
        }
    }
}

/// Every file under `dir`, relative, in sorted order; hidden folders (the cache) left out.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![PathBuf::new()];
    while let Some(rel) = todo.pop() {
        for entry in std::fs::read_dir(dir.join(&rel)).unwrap() {
            let entry = entry.unwrap();
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let path = rel.join(entry.file_name());
            if entry.file_type().unwrap().is_dir() {
                todo.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// Copies the data set into `to/data`, creating its files in a shuffled order with shuffled
/// modification times.
fn shuffled_copy(from: &Path, to: &Path, rng: &mut Rng) -> PathBuf {
    let data = to.join("data");
    let mut files = files_under(from);
    rng.shuffle(&mut files);
    for rel in &files {
        let target = data.join(rel);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(from.join(rel), &target).unwrap();
        let when = SystemTime::UNIX_EPOCH
            + Duration::from_secs(1_600_000_000 + rng.below(100_000_000) as u64);
        std::fs::File::options()
            .write(true)
            .open(&target)
            .unwrap()
            .set_modified(when)
            .unwrap();
    }
    data
}

/// `crosscheck check` in `cwd` on `args`, with `threads` rayon threads: the report in the
/// human and JSON formats.
fn reports(cwd: &Path, args: &[String], threads: &str, cache: bool) -> [String; 2] {
    ["human", "json"].map(|format| {
        let mut command = crosscheck_command();
        command
            .args([
                "check",
                "--color",
                "never",
                "--today",
                TODAY,
                "--fail-on",
                "never",
            ])
            .args(["--format", format])
            .args(args)
            .current_dir(cwd)
            .env("RAYON_NUM_THREADS", threads);
        if !cache {
            command.arg("--no-cache");
        }
        let output = command.output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{args:?} in {}:\n{stderr}",
            cwd.display()
        );
        stdout(&output)
    })
}

/// The data files of the copy as a command line names them, in a shuffled order (the settings
/// file is not a data file).
fn shuffled_file_args(data: &Path, rng: &mut Rng) -> Vec<String> {
    let mut files: Vec<String> = files_under(data)
        .into_iter()
        .filter(|p| {
            p.extension().is_some_and(|e| e == "toml") && *p != Path::new("crosscheck.toml")
        })
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    rng.shuffle(&mut files);
    files
}

fn assert_same(what: &str, expected: &[String; 2], got: &[String; 2]) {
    for (format, (e, g)) in ["human", "json"].iter().zip(expected.iter().zip(got)) {
        if e != g {
            let line = e
                .lines()
                .zip(g.lines())
                .position(|(a, b)| a != b)
                .unwrap_or(0);
            panic!(
                "{what}: the {format} report differs from line {}:\n  expected: {:?}\n  got:      {:?}",
                line + 1,
                e.lines().nth(line),
                g.lines().nth(line)
            );
        }
    }
}

fn check_determinism(source: &Path, seed: u64) {
    let mut rng = Rng(seed);
    let base_dir = tempfile::tempdir().unwrap();
    let base = shuffled_copy(source, base_dir.path(), &mut rng);
    let dot = vec![".".to_string()];
    let expected = reports(&base, &dot, "1", false);
    assert!(expected[1].contains("\"findings\""), "a JSON report");

    assert_same("8 threads", &expected, &reports(&base, &dot, "8", false));
    for round in 0..2 {
        let other_dir = tempfile::tempdir().unwrap();
        let other = shuffled_copy(source, other_dir.path(), &mut rng);
        let threads = if round == 0 { "8" } else { "3" };
        assert_same(
            &format!("files created in another order ({threads} threads)"),
            &expected,
            &reports(&other, &dot, threads, false),
        );
        let files = shuffled_file_args(&other, &mut rng);
        assert_same(
            &format!("files named in a shuffled order ({threads} threads)"),
            &expected,
            &reports(&other, &files, threads, false),
        );
    }
    // The parse cache, cold then warm.
    assert_same("cold cache", &expected, &reports(&base, &dot, "8", true));
    assert!(base.join(".crosscheck-cache").is_dir());
    assert_same("warm cache", &expected, &reports(&base, &dot, "8", true));
    assert_same(
        "warm cache, 1 thread",
        &expected,
        &reports(&base, &dot, "1", true),
    );
}

#[test]
fn the_example_data_set_reports_the_same_whatever_the_order_and_threads() {
    check_determinism(&root().join(EXAMPLE), 0x9E37_79B9_7F4A_7C15);
}

/// The `gen` example beside this test's binary (built by `cargo test`; built here when only
/// this test was asked for).
fn gen_binary() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let profile_dir = exe.parent().unwrap().parent().unwrap();
    let binary = profile_dir
        .join("examples")
        .join(format!("gen{}", std::env::consts::EXE_SUFFIX));
    if !binary.exists() {
        let status = Command::new(env!("CARGO"))
            .args(["build", "--quiet", "--example", "gen"])
            .current_dir(root())
            .status()
            .unwrap();
        assert!(status.success(), "cargo build --example gen");
    }
    binary
}

#[test]
fn a_generated_data_set_reports_the_same_whatever_the_order_and_threads() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("generated");
    let status = Command::new(gen_binary())
        .arg(&data)
        .args(["3000", "--seed", "7"])
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    check_determinism(&data, 0xD1B5_4A32_D192_ED03);
}
