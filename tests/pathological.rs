//! Pathological data sets, generated in a temporary folder: huge files, huge strings, huge alias
//! lists, long citation and `part_of` chains, `part_of` cycles, TOML nested 10,000 deep. Each
//! must finish in time proportional to its size, or be refused with a clear error — never a
//! panic, never a stack overflow, never a hang.
//!
//! Each case runs the `crosscheck` binary (as CI does: the loader on rayon's worker threads,
//! whose stacks are smaller than the main thread's) with a deadline; a run past its deadline is
//! killed and fails the test. Where a case is about growth, it also runs at a quarter of the
//! size and checks the time grew no faster than about linearly (a quadratic step would take
//! 16 times as long; the bound is 8 times, plus slack for a busy machine).
//!
//! The 100 MB file takes two minutes in a debug build (20 s in release, and 5 s for the quarter),
//! so it is `#[ignore]`d: run `cargo test --release --test pathological -- --ignored`.

mod common;

use std::fmt::Write as _;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::{TODAY, crosscheck_command};

/// What a run of `crosscheck check` did.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
    took: Duration,
}

/// `.ci/run` runs the test suite twice (the README's `cargo test`, then insta's snapshot check);
/// these tests take minutes and hold no snapshots, so the second run sets this to skip them.
fn skipped() -> bool {
    std::env::var_os("CROSSCHECK_SKIP_PATHOLOGICAL").is_some()
}

/// Runs `crosscheck check <dir> --format json` and kills it at `deadline`.
fn check(dir: &Path, deadline: Duration) -> Run {
    check_with(dir, &[], deadline)
}

fn check_with(dir: &Path, extra: &[&str], deadline: Duration) -> Run {
    let out = tempfile::tempdir().unwrap();
    let stdout_path = out.path().join("stdout");
    let stderr_path = out.path().join("stderr");
    let start = Instant::now();
    let mut child = crosscheck_command()
        .args(["check", "--no-cache", "--color", "never", "--today", TODAY])
        .args(["--format", "json", "--fail-on", "never"])
        .args(extra)
        .arg(dir)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&stdout_path).unwrap())
        .stderr(std::fs::File::create(&stderr_path).unwrap())
        .spawn()
        .unwrap();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "crosscheck check {} ran longer than {deadline:?}",
                dir.display()
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let took = start.elapsed();
    let run = Run {
        code: status.code().unwrap_or(-1),
        stdout: std::fs::read_to_string(&stdout_path).unwrap(),
        stderr: std::fs::read_to_string(&stderr_path).unwrap(),
        took,
    };
    eprintln!("{}: exit {} in {:?}", dir.display(), run.code, run.took);
    assert!(
        status.code().is_some(),
        "crosscheck was killed by a signal (a stack overflow aborts): {status:?}\n{}",
        tail(&run.stderr)
    );
    assert!(!run.stderr.contains("panicked"), "{}", tail(&run.stderr));
    assert!(!run.stderr.contains("overflow"), "{}", tail(&run.stderr));
    run
}

fn tail(text: &str) -> &str {
    let start = text.len().saturating_sub(4000);
    let start = (start..text.len())
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(text.len());
    &text[start..]
}

/// The run loaded and checked the data set (exit 0: `--fail-on never`).
fn assert_checked(run: &Run) {
    assert_eq!(run.code, 0, "{}", tail(&run.stderr));
    assert!(run.stdout.starts_with('{'), "a JSON report");
}

/// The run refused the data set with located errors, and the first says `what`.
fn assert_refused(run: &Run, what: &str) {
    assert_eq!(run.code, 2, "{}", tail(&run.stderr));
    assert!(run.stdout.is_empty());
    assert!(
        run.stderr.contains(what),
        "expected {what:?} in:\n{}",
        tail(&run.stderr)
    );
    assert!(
        run.stderr.contains("could not load the data set"),
        "{}",
        tail(&run.stderr)
    );
}

/// `big` did about `factor` times the work of `small`: it must not take much more than
/// `factor` times as long (a quadratic step would take `factor²` times as long).
fn assert_linear(small: &Run, big: &Run, factor: u32) {
    let bound = small.took * (factor * 2) + Duration::from_secs(3);
    assert!(
        big.took <= bound,
        "{factor}× the data took {:?} against {:?}: growth faster than linear",
        big.took,
        small.took
    );
}

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

const PROPERTIES: &str = r#"
[[property]]
id = "fighters"
type = "quantity"
additive = true

[[property]]
id = "attacks"
type = "quantity"
measure = "count"

[[property]]
id = "founded"
type = "date"

[[property]]
id = "areas"
type = "text"
"#;

/// A data set of `n` sources with `per_source` claims each, about a few subjects, in `files`
/// files: realistic records, many series, every claim parsed through the value language.
fn claims_data_set(dir: &Path, n: usize, per_source: usize, files: usize) {
    write(dir, "properties.toml", PROPERTIES);
    let mut entities = String::new();
    for e in 0..50 {
        writeln!(entities, "[[entity]]\nid = \"group-{e}\"\nname = \"Group number {e}\"\nkind = \"group\"\naliases = [\"G{e}\", \"The {e}th group\"]\n").unwrap();
    }
    write(dir, "entities.toml", &entities);
    let mut texts = vec![String::new(); files];
    for s in 0..n {
        let text = &mut texts[s % files];
        let year = 2000 + s % 25;
        let month = 1 + s % 12;
        writeln!(
            text,
            "[[source]]\nid = \"report-{s}\"\ntitle = \"Report number {s} on the situation\"\npublished = {year}-{month:02}-15\nkind = \"{}\"\n",
            if s % 3 == 0 { "primary" } else { "secondary" }
        )
        .unwrap();
        for c in 0..per_source {
            let subject = (s * 7 + c) % 50;
            let low = 1000 + (s % 40) * 10;
            let value = match c % 4 {
                0 => format!("{low}"),
                1 => format!("about {low} fighters"),
                2 => format!("between {low} and {}", low + 500),
                _ => format!("{low}–{}", low + 200),
            };
            writeln!(
                text,
                "[[claim]]\nsource = \"report-{s}\"\nsubject = \"G{subject}\"\nproperty = \"fighters\"\nvalue = \"{value}\"\nquote = \"it has {value} in the east\"\nlocator = \"p. {c}\"\n"
            )
            .unwrap();
        }
    }
    for (i, text) in texts.iter().enumerate() {
        write(dir, &format!("sources/part-{i:04}.toml"), text);
    }
}

#[test]
#[ignore = "two minutes in a debug build: run with --release -- --ignored (20 s)"]
fn a_100_megabyte_file_loads_in_linear_time() {
    let small = tempfile::tempdir().unwrap();
    let big = tempfile::tempdir().unwrap();
    // About 170 bytes per claim: 600,000 claims make 100 MB.
    claims_data_set(small.path(), 15_000, 10, 1);
    claims_data_set(big.path(), 60_000, 10, 1);
    let size = std::fs::metadata(big.path().join("sources/part-0000.toml"))
        .unwrap()
        .len();
    assert!(size >= 100_000_000, "the file is {size} bytes");
    let small_run = check(small.path(), Duration::from_secs(300));
    let big_run = check(big.path(), Duration::from_secs(600));
    assert_checked(&small_run);
    assert_checked(&big_run);
    assert_linear(&small_run, &big_run, 4);
}

#[test]
fn a_larger_file_loads_in_linear_time() {
    if skipped() {
        return;
    }
    // The 100 MB case's shape at 2 MB and 8 MB, so every test run watches the growth.
    let small = tempfile::tempdir().unwrap();
    let big = tempfile::tempdir().unwrap();
    claims_data_set(small.path(), 600, 10, 1);
    claims_data_set(big.path(), 2_400, 10, 1);
    let small_run = check(small.path(), Duration::from_secs(60));
    let big_run = check(big.path(), Duration::from_secs(120));
    assert_checked(&small_run);
    assert_checked(&big_run);
    assert_linear(&small_run, &big_run, 4);
}

const MEGABYTE: usize = 1 << 20;

#[test]
fn megabyte_strings_load_in_linear_time() {
    if skipped() {
        return;
    }
    // A megabyte in every free-text field, in a name, an alias, a quote and its text copy,
    // and a value with a megabyte of trailing noun.
    let dir = tempfile::tempdir().unwrap();
    let big = "word ".repeat(MEGABYTE / 5);
    write(
        dir.path(),
        "properties.toml",
        &format!("{PROPERTIES}description = \"{big}\"\n"),
    );
    write(
        dir.path(),
        "entities.toml",
        &format!(
            "[[entity]]\nid = \"g\"\nname = \"G {big}\"\naliases = [\"the {big}\", \"G\"]\nnote = \"{big}\"\n\n\
             [[entity]]\nid = \"h\"\nname = \"H {big}\"\n"
        ),
    );
    write(
        dir.path(),
        "texts/a.txt",
        &format!("{big} it has 5,000 fighters {big}"),
    );
    let mut claims = String::new();
    for (s, text) in [("a", "text = \"texts/a.txt\"\n"), ("b", "")] {
        writeln!(
            claims,
            "[[source]]\nid = \"{s}\"\ntitle = \"{big}\"\nnote = \"{big}\"\nurl = \"https://example.org/{big}\"\npublished = 2024-01-01\n{text}"
        )
        .unwrap();
        writeln!(
            claims,
            "[[claim]]\nsource = \"{s}\"\nsubject = \"G\"\nproperty = \"fighters\"\nvalue = \"5,000 {big}\"\nquote = \"{big}{s}\"\nscope = \"{big}\"\nlocator = \"{big}\"\nnote = \"{big}\"\n\n\
             [[claim]]\nsource = \"{s}\"\nsubject = \"G\"\nproperty = \"areas\"\nvalue = \"{big}{s}\"\n"
        )
        .unwrap();
    }
    write(dir.path(), "sources.toml", &claims);
    let run = check(dir.path(), Duration::from_secs(60));
    assert_checked(&run);
}

#[test]
fn megabyte_values_that_do_not_parse_are_refused_briefly() {
    if skipped() {
        return;
    }
    // Every value form the language knows, repeated to a megabyte: refused (or read) in
    // linear time, and the error does not repeat the megabyte.
    let forms = [
        "1".repeat(MEGABYTE),
        format!("1{}", ",000".repeat(MEGABYTE / 4)),
        "100 ".repeat(MEGABYTE / 4),
        "about ".repeat(MEGABYTE / 6),
        "between 1 and ".repeat(MEGABYTE / 14),
        "1-".repeat(MEGABYTE / 2),
        "~".repeat(MEGABYTE),
        "1 million ".repeat(MEGABYTE / 10),
        format!("0.{}1", "0".repeat(MEGABYTE)),
        format!("5{}", "%".repeat(MEGABYTE)),
        "thousands of ".repeat(MEGABYTE / 13),
    ];
    let dates = [
        "2020 ".repeat(MEGABYTE / 5),
        "early ".repeat(MEGABYTE / 6),
        "2020/".repeat(MEGABYTE / 5),
    ];
    let dir = tempfile::tempdir().unwrap();
    let mut text = format!(
        "{PROPERTIES}\n[[entity]]\nid = \"g\"\nname = \"G\"\n\n[[source]]\nid = \"s\"\ntitle = \"S\"\npublished = 2024-01-01\n"
    );
    for value in &forms {
        writeln!(
            text,
            "[[claim]]\nsource = \"s\"\nsubject = \"g\"\nproperty = \"fighters\"\nvalue = \"{value}\"\n"
        )
        .unwrap();
    }
    for value in &dates {
        writeln!(text, "[[claim]]\nsource = \"s\"\nsubject = \"g\"\nproperty = \"founded\"\nvalue = \"{value}\"\nas_of = \"{value}\"\n").unwrap();
    }
    // A megabyte id, reference and `text` path. (The claims name their source: the file now
    // holds two, and a record with an invalid id is kept, so none is the file's only source.)
    let long = "x".repeat(MEGABYTE);
    writeln!(
        text,
        "[[source]]\nid = \"{long}!\"\ntitle = \"t\"\ntext = \"{long}\"\n"
    )
    .unwrap();
    writeln!(
        text,
        "[[claim]]\nsubject = \"{long}\"\nproperty = \"{long}\"\nvalue = \"1\"\n"
    )
    .unwrap();
    write(dir.path(), "data.toml", &text);
    let size = text.len();
    let run = check(dir.path(), Duration::from_secs(60));
    assert_refused(&run, "cannot read the value");
    assert!(
        run.stderr.len() < 64 * 1024,
        "{} bytes of errors for {size} bytes of data: long values are not shortened",
        run.stderr.len()
    );
}

#[test]
fn an_entity_with_100_000_aliases() {
    if skipped() {
        return;
    }
    let run_with = |n: usize| {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "properties.toml", PROPERTIES);
        let mut entities = String::from("[[entity]]\nid = \"big\"\nname = \"Big\"\naliases = [\n");
        for i in 0..n {
            writeln!(entities, "  \"Alias number {i}\",").unwrap();
        }
        // A second entity whose aliases are spelling variants of the first's: every alias
        // meets its twin in `alias-suspect`.
        entities.push_str("]\n\n[[entity]]\nid = \"twin\"\nname = \"Twin\"\naliases = [\n");
        for i in 0..n {
            writeln!(entities, "  \"Alias nomber {i}\",").unwrap();
        }
        entities.push_str("]\n");
        write(dir.path(), "entities.toml", &entities);
        let mut claims =
            String::from("[[source]]\nid = \"s\"\ntitle = \"S\"\npublished = 2024-01-01\n\n");
        for i in (0..n).step_by(100) {
            writeln!(claims, "[[claim]]\nsubject = \"alias NUMBER {i}\"\nproperty = \"fighters\"\nvalue = \"{}\"\n", 1000 + i).unwrap();
        }
        write(dir.path(), "s.toml", &claims);
        check(dir.path(), Duration::from_secs(120))
    };
    let small = run_with(25_000);
    let big = run_with(100_000);
    assert_checked(&small);
    assert_checked(&big);
    assert!(big.stdout.contains("alias-suspect"));
    assert_linear(&small, &big, 4);
}

/// `n` sources, each citing the next (and the last citing the first when `cycle`), each with
/// one claim about the same series, each relayed `according_to` the next source.
fn citation_chain(dir: &Path, n: usize, cycle: bool) {
    write(dir, "properties.toml", PROPERTIES);
    write(
        dir,
        "entities.toml",
        "[[entity]]\nid = \"g\"\nname = \"G\"\n",
    );
    let mut text = String::new();
    for i in 0..n {
        let next = if i + 1 < n {
            Some(i + 1)
        } else {
            cycle.then_some(0)
        };
        let cites = next.map_or(String::new(), |j| format!("cites = [\"s{j}\"]\n"));
        let relayed = next.map_or(String::new(), |j| format!("according_to = \"s{j}\"\n"));
        writeln!(
            text,
            "[[source]]\nid = \"s{i}\"\ntitle = \"Source {i}\"\npublished = 2024-01-01\n{cites}\n\
             [[claim]]\nsource = \"s{i}\"\nsubject = \"g\"\nproperty = \"fighters\"\nvalue = \"{}\"\n{relayed}",
            1000 + i % 7
        )
        .unwrap();
    }
    write(dir, "sources.toml", &text);
}

#[test]
fn a_chain_of_100_000_sources_citing_each_other() {
    if skipped() {
        return;
    }
    let small = tempfile::tempdir().unwrap();
    let big = tempfile::tempdir().unwrap();
    citation_chain(small.path(), 25_000, false);
    citation_chain(big.path(), 100_000, false);
    let small = check(small.path(), Duration::from_secs(120));
    let big = check(big.path(), Duration::from_secs(240));
    assert_checked(&small);
    assert_checked(&big);
    assert_linear(&small, &big, 4);
}

#[test]
fn a_circle_of_100_000_sources_citing_each_other() {
    if skipped() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    citation_chain(dir.path(), 100_000, true);
    let run = check(dir.path(), Duration::from_secs(240));
    assert_checked(&run);
    assert!(run.stdout.contains("circular-citation"));
}

#[test]
fn the_audit_of_a_chain_of_100_000_sources() {
    if skipped() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    citation_chain(dir.path(), 100_000, true);
    let output = crosscheck_command()
        .args(["audit", "--format", "json", "--color", "never"])
        .arg(dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.code().is_some_and(|c| c <= 1),
        "{}",
        tail(&stderr)
    );
    assert!(!stderr.contains("panicked"), "{}", tail(&stderr));
}

/// `n` entities, each `part_of` the next (the last of the first when `cycle`), with an
/// additive quantity claimed for each: each whole's figure above its part's, except for the
/// innermost part, whose figure is above every whole's.
fn part_of_chain(dir: &Path, n: usize, cycle: bool) {
    write(dir, "properties.toml", PROPERTIES);
    let mut entities = String::new();
    for i in 0..n {
        let next = if i + 1 < n {
            Some(i + 1)
        } else {
            cycle.then_some(0)
        };
        let part_of = next.map_or(String::new(), |j| format!("part_of = \"e{j}\"\n"));
        writeln!(
            entities,
            "[[entity]]\nid = \"e{i}\"\nname = \"Entity {i}\"\n{part_of}"
        )
        .unwrap();
    }
    write(dir, "entities.toml", &entities);
    let mut claims =
        String::from("[[source]]\nid = \"s\"\ntitle = \"S\"\npublished = 2024-01-01\n\n");
    for i in 0..n {
        let value = if i == 0 { 10 * n } else { 1000 + i };
        writeln!(
            claims,
            "[[claim]]\nsubject = \"e{i}\"\nproperty = \"fighters\"\nvalue = \"{value}\"\n"
        )
        .unwrap();
    }
    write(dir, "s.toml", &claims);
}

#[test]
fn a_part_of_chain_100_000_deep() {
    if skipped() {
        return;
    }
    let small = tempfile::tempdir().unwrap();
    let big = tempfile::tempdir().unwrap();
    part_of_chain(small.path(), 25_000, false);
    part_of_chain(big.path(), 100_000, false);
    let small = check(small.path(), Duration::from_secs(120));
    let big = check(big.path(), Duration::from_secs(240));
    assert_checked(&small);
    assert_checked(&big);
    assert!(big.stdout.contains("part-exceeds-whole"));
    assert_linear(&small, &big, 4);
}

#[test]
fn a_part_of_cycle_of_100_000_is_a_load_error() {
    if skipped() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    part_of_chain(dir.path(), 100_000, true);
    let run = check(dir.path(), Duration::from_secs(240));
    assert_refused(&run, "part_of");
    assert!(
        run.stderr.len() < 64 * 1024,
        "{} bytes of errors",
        run.stderr.len()
    );
}

#[test]
fn a_part_of_self_loop_is_a_load_error() {
    if skipped() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "e.toml",
        "[[entity]]\nid = \"a\"\nname = \"A\"\npart_of = \"a\"\n",
    );
    let run = check(dir.path(), Duration::from_secs(30));
    assert_refused(&run, "part_of");
}

#[test]
fn toml_nested_10_000_deep_is_refused() {
    if skipped() {
        return;
    }
    const DEPTH: usize = 10_000;
    let dotted = vec!["a"; DEPTH].join(".");
    let cases = [
        // Arrays and inline tables as a value.
        format!(
            "[[source]]\nid = \"s\"\ntitle = \"t\"\nnote = {}{}\n",
            "[".repeat(DEPTH),
            "]".repeat(DEPTH)
        ),
        format!(
            "[[source]]\nid = \"s\"\ntitle = \"t\"\nnote = {}1{}\n",
            "{a = ".repeat(DEPTH),
            "}".repeat(DEPTH)
        ),
        // Tables 10,000 deep through headers and dotted keys.
        format!("[{dotted}]\nx = 1\n"),
        format!("[[{dotted}]]\nx = 1\n"),
        format!("{dotted} = 1\n"),
        format!("[[source]]\nid = \"s\"\ntitle = \"t\"\n{dotted} = 1\n"),
        // Unclosed, the way a cut-off file ends.
        format!(
            "[[source]]\nid = \"s\"\ntitle = \"t\"\nnote = {}\n",
            "[".repeat(DEPTH)
        ),
    ];
    for (i, text) in cases.iter().enumerate() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "data.toml", text);
        let run = check(dir.path(), Duration::from_secs(60));
        assert_eq!(run.code, 2, "case {i}: {}", tail(&run.stderr));
        assert!(
            run.stderr.contains("data.toml:"),
            "case {i}: located: {}",
            tail(&run.stderr)
        );
    }
}

// ------------------------------------------------------------------------------------------
// A data set from a pull request must not make crosscheck read or write outside it (the
// fixtures tests/fixtures/invalid/{symlinked-data-*,settings-symlink,text-*} prove the rest).

/// A small data set that loads, in `dir`.
fn small_data_set(dir: &Path) {
    write(dir, "properties.toml", PROPERTIES);
    write(
        dir,
        "un.toml",
        "[[entity]]\nid = \"g\"\nname = \"G\"\n\n[[source]]\nid = \"un\"\ntitle = \"UN\"\npublished = 2024-01-01\n\n\
         [[claim]]\nsubject = \"g\"\nproperty = \"fighters\"\nvalue = \"400\"\n",
    );
}

#[test]
fn a_symlinked_cache_folder_is_neither_read_nor_written() {
    if skipped() {
        return;
    }
    let outside = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    small_data_set(dir.path());
    std::os::unix::fs::symlink(outside.path(), dir.path().join(".crosscheck-cache")).unwrap();
    for _ in 0..2 {
        let output = crosscheck_command()
            .args(["check", "--today", TODAY])
            .arg(dir.path())
            .output()
            .unwrap();
        assert_eq!(
            output.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    assert_eq!(
        std::fs::read_dir(outside.path()).unwrap().count(),
        0,
        "nothing written through the link"
    );
}

#[test]
fn a_symlink_named_on_the_command_line_is_refused() {
    if skipped() {
        return;
    }
    let outside = tempfile::tempdir().unwrap();
    small_data_set(outside.path());
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("un.toml"),
        dir.path().join("linked.toml"),
    )
    .unwrap();
    let run = check_with(dir.path(), &[], Duration::from_secs(30));
    assert_refused(&run, "no records found");
    let output = crosscheck_command()
        .args(["check", "--no-cache"])
        .arg(dir.path().join("linked.toml"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("is a symbolic link or special file"));
}
