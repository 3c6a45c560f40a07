//! The parse cache must never change a report: a cache that is missing, corrupt, truncated,
//! swapped between files, from another build or written by several runs at once is ignored
//! and rebuilt.

mod common;

use std::path::{Path, PathBuf};

use common::{TODAY, crosscheck_command, edit_file, example_copy, replace, stdout};

fn check(data: &Path, extra: &[&str]) -> String {
    check_as("json", data, extra)
}

/// The Markdown report: it reads the parse cache only (JSON and human checks also keep the
/// state of their re-check, tested below).
fn check_markdown(data: &Path, extra: &[&str]) -> String {
    check_as("markdown", data, extra)
}

fn check_as(format: &str, data: &Path, extra: &[&str]) -> String {
    let output = crosscheck_command()
        .args(["check", "--today", TODAY, "--format", format])
        .args(extra)
        .arg(data)
        .output()
        .unwrap();
    assert!(
        output.status.code().unwrap() < 2,
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout(&output)
}

fn entries(data: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for build in std::fs::read_dir(data.join(".crosscheck-cache")).unwrap() {
        for entry in std::fs::read_dir(build.unwrap().path()).unwrap() {
            out.push(entry.unwrap().path());
        }
    }
    out.sort();
    out
}

/// Damages an entry, given its own bytes and another entry's.
type Damage = fn(&[u8], &[u8]) -> Vec<u8>;

#[test]
fn a_damaged_cache_never_changes_the_report() {
    let (_dir, data) = example_copy();
    let baseline = check_markdown(&data, &["--no-cache"]);
    assert!(
        !data.join(".crosscheck-cache").exists(),
        "--no-cache writes nothing"
    );
    assert_eq!(check_markdown(&data, &[]), baseline, "cold cache");
    let files = entries(&data);
    assert!(files.len() > 5, "one entry per data file");
    assert_eq!(check_markdown(&data, &[]), baseline, "warm cache");

    let damages: [(&str, Damage); 6] = [
        ("truncated", |own, _| own[..own.len() / 2].to_vec()),
        ("empty", |_, _| Vec::new()),
        ("a flipped byte in the payload", |own, _| {
            let mut v = own.to_vec();
            let last = v.len() - 1;
            v[last] ^= 0x55;
            v
        }),
        ("another build's header", |own, _| {
            let mut v = own.to_vec();
            v[14] ^= 1;
            v
        }),
        ("another file's entry", |_, other| other.to_vec()),
        ("garbage", |_, _| b"not a cache entry at all".repeat(100)),
    ];
    for (what, damage) in damages {
        let originals: Vec<Vec<u8>> = files.iter().map(|f| std::fs::read(f).unwrap()).collect();
        for (i, file) in files.iter().enumerate() {
            let other = &originals[(i + 1) % originals.len()];
            std::fs::write(file, damage(&originals[i], other)).unwrap();
        }
        assert_eq!(
            check_markdown(&data, &[]),
            baseline,
            "cache damaged: {what}"
        );
        // The damaged entries were rebuilt.
        let rebuilt: Vec<Vec<u8>> = files.iter().map(|f| std::fs::read(f).unwrap()).collect();
        assert_eq!(rebuilt, originals, "entries rewritten after: {what}");
    }
}

#[test]
fn runs_writing_the_cache_at_once_agree() {
    let (_dir, data) = example_copy();
    let baseline = check(&data, &["--no-cache"]);
    let children: Vec<_> = (0..4)
        .map(|_| {
            crosscheck_command()
                .args(["check", "--today", TODAY, "--format", "json"])
                .arg(&data)
                .stdout(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let output = child.wait_with_output().unwrap();
        assert_eq!(stdout(&output), baseline);
    }
    assert_eq!(check(&data, &[]), baseline);
    let leftovers: Vec<_> = entries(&data)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

#[test]
fn an_edited_file_is_parsed_again() {
    let (_dir, data) = example_copy();
    let before = check(&data, &[]);
    edit_file(
        &data.join("weekly-blitz-2021-02-11.toml"),
        "\"between 2,500 and 6,000\"",
        "\"between 2,500 and 5,000\"",
    );
    let after = check(&data, &[]);
    assert_ne!(after, before, "the edit shows");
    assert!(after.contains("between 2,500 and 5,000"));
    assert_eq!(after, check(&data, &["--no-cache"]));
}

/// The files a JSON check adds to the parse cache's: the state of its re-check (an entry), the
/// segment holding the findings' texts, and the store file holding the resolved records.
struct RecheckFiles {
    state: PathBuf,
    segment: PathBuf,
    store: PathBuf,
}

fn recheck_files(data: &Path) -> RecheckFiles {
    let _ = std::fs::remove_dir_all(data.join(".crosscheck-cache"));
    check_markdown(data, &[]);
    let parse_entries = entries(data);
    check(data, &[]);
    let added: Vec<PathBuf> = entries(data)
        .into_iter()
        .filter(|p| !parse_entries.contains(p))
        .collect();
    let with = |extension: &str| -> Vec<PathBuf> {
        added
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == extension))
            .cloned()
            .collect()
    };
    let (state, segments, stores) = (with("state"), with("segment"), with("store"));
    assert_eq!(added.len(), 3, "a state, a segment and a store: {added:?}");
    assert_eq!((state.len(), segments.len(), stores.len()), (1, 1, 1));
    RecheckFiles {
        state: state[0].clone(),
        segment: segments[0].clone(),
        store: stores[0].clone(),
    }
}

fn truncate(path: &Path, keep: fn(usize) -> usize) {
    let bytes = std::fs::read(path).unwrap();
    std::fs::write(path, &bytes[..keep(bytes.len())]).unwrap();
}

fn flip_a_byte(path: &Path, at: fn(usize) -> usize, bit: u8) {
    let mut bytes = std::fs::read(path).unwrap();
    let i = at(bytes.len());
    bytes[i] ^= bit;
    std::fs::write(path, bytes).unwrap();
}

/// Damages a re-check's state.
type DamageState = fn(&RecheckFiles);

#[test]
fn a_damaged_recheck_state_never_changes_the_report() {
    let (_dir, data) = example_copy();
    let file = data.join("weekly-blitz-2021-02-11.toml");
    let original = std::fs::read_to_string(&file).unwrap();
    let edited = replace(
        &original,
        "\"between 2,500 and 6,000\"",
        "\"between 2,500 and 5,000\"",
    );
    let damages: [(&str, DamageState); 11] = [
        ("the segment truncated", |f| truncate(&f.segment, |n| n / 2)),
        ("a byte of the segment flipped", |f| {
            flip_a_byte(&f.segment, |n| n / 2, 0x20)
        }),
        ("the segment removed", |f| {
            std::fs::remove_file(&f.segment).unwrap()
        }),
        ("the segment emptied", |f| {
            std::fs::write(&f.segment, b"").unwrap()
        }),
        ("the state truncated", |f| truncate(&f.state, |n| n - 7)),
        ("a byte of the state flipped", |f| {
            flip_a_byte(&f.state, |n| n - 1, 1)
        }),
        ("the state replaced by garbage", |f| {
            std::fs::write(&f.state, b"no state at all".repeat(50)).unwrap();
        }),
        ("the store truncated", |f| truncate(&f.store, |n| n - 1)),
        ("a byte of the store flipped", |f| {
            flip_a_byte(&f.store, |n| n / 2, 1)
        }),
        ("the first byte of the store flipped", |f| {
            flip_a_byte(&f.store, |_| 0, 1)
        }),
        ("the store removed", |f| {
            std::fs::remove_file(&f.store).unwrap()
        }),
    ];
    for text in [&original, &edited] {
        for (what, damage) in damages {
            std::fs::write(&file, &original).unwrap();
            damage(&recheck_files(&data));
            std::fs::write(&file, text).unwrap();
            let expected = check(&data, &["--no-cache"]);
            let edit = if text == &original { "none" } else { "one" };
            assert_eq!(check(&data, &[]), expected, "{what}, edits: {edit}");
            // Rebuilt: the next run is right too.
            assert_eq!(check(&data, &[]), expected, "{what}, edits: {edit}, again");
        }
    }
}

#[test]
fn one_recheck_state_a_data_set_whatever_the_options() {
    let (_dir, data) = example_copy();
    // Segments and store files.
    let segments = |data: &Path| {
        entries(data)
            .into_iter()
            .filter(|p| {
                p.extension()
                    .is_some_and(|e| e == "segment" || e == "store")
            })
            .count()
    };
    let on = |today: &str| {
        let output = crosscheck_command()
            .args(["check", "--today", today, "--format", "json"])
            .arg(&data)
            .output()
            .unwrap();
        assert!(output.status.code().unwrap() < 2);
        stdout(&output)
    };
    let first = on("2026-01-01");
    assert_eq!(segments(&data), 2);
    // `--today` defaults to the date: a run on another day replaces the state rather than
    // adding a report to the cache every day.
    on("2026-01-02");
    assert_eq!(segments(&data), 2, "the other day's report was removed");
    assert_eq!(on("2026-01-01"), first);
    assert_eq!(segments(&data), 2);
}

/// Edit after edit, each a partial re-check: the segment and store files the re-checks add do
/// not pile up (`recheck::store`'s unit tests compact a store of many families), and every
/// report is still what a check from scratch prints.
#[test]
fn many_rechecks_keep_the_cache_bounded_and_the_report_right() {
    let (_dir, data) = example_copy();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&data)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .filter(|p| std::fs::read_to_string(p).unwrap().contains("[[claim]]"))
        .collect();
    files.sort();
    assert!(files.len() >= 5);
    let count = |extension: &str| {
        entries(&data)
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == extension))
            .count()
    };
    check(&data, &[]);
    let mut partial = 0;
    for i in 0..20 {
        // A comment appended: the file's claims are checked again, and nothing else changes.
        let file = &files[(i * 7) % files.len()];
        let text = std::fs::read_to_string(file).unwrap();
        std::fs::write(file, format!("{text}\n# edit {i}\n")).unwrap();
        let output = crosscheck_command()
            .args(["check", "--today", TODAY, "--format", "json", "--timings"])
            .arg(&data)
            .output()
            .unwrap();
        let how = String::from_utf8_lossy(&output.stderr);
        partial += usize::from(how.contains("recheck: partial"));
        assert_eq!(stdout(&output), check(&data, &["--no-cache"]), "edit {i}");
        assert!(count("store") <= 8 && count("segment") <= 8, "edit {i}");
    }
    assert!(
        partial == 20,
        "only {partial} of 20 runs were partial re-checks"
    );
}

/// The data set's own cache keeps only what serves: entries of file contents that are gone,
/// temporary files left by killed runs and other builds' folders are removed; a folder named
/// with `--cache-dir`, which other data sets may share, is left alone.
#[test]
fn the_cache_does_not_keep_what_no_longer_serves() {
    let (_dir, data) = example_copy();
    let file = data.join("weekly-blitz-2021-02-11.toml");
    let original = std::fs::read_to_string(&file).unwrap();
    check_markdown(&data, &[]);
    let first = entries(&data);
    let build = first[0].parent().unwrap().to_path_buf();
    let other_build = build.with_file_name("0.0.1+0123456789abcdef");
    std::fs::create_dir_all(&other_build).unwrap();
    std::fs::write(other_build.join("old.bin"), b"old").unwrap();
    let old_tmp = build.join(".leftover.tmp");
    let fresh_tmp = build.join(".running.tmp");
    for tmp in [&old_tmp, &fresh_tmp] {
        std::fs::write(tmp, b"partial").unwrap();
    }
    let two_hours_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(7200);
    std::fs::File::options()
        .write(true)
        .open(&old_tmp)
        .unwrap()
        .set_modified(two_hours_ago)
        .unwrap();

    let shared = tempfile::tempdir().unwrap();
    let shared_arg = shared.path().to_str().unwrap();
    check_markdown(&data, &["--cache-dir", shared_arg]);
    std::fs::write(&file, replace(&original, "6,000", "5,000")).unwrap();
    check_markdown(&data, &["--cache-dir", shared_arg]);
    check_markdown(&data, &[]);
    let now = entries(&data);
    assert_eq!(now.len(), first.len() + 1, "one new entry: {now:?}");
    assert!(!old_tmp.exists() && fresh_tmp.exists());
    assert!(!other_build.exists());
    std::fs::write(&file, &original).unwrap();
    check_markdown(&data, &[]);
    let removed: Vec<_> = now.iter().filter(|p| !p.exists()).collect();
    assert_eq!(
        removed.len(),
        1,
        "the edited content's entry goes: {removed:?}"
    );
    assert_eq!(
        entries(&data).len(),
        first.len() + 1,
        "the fresh .tmp stays"
    );

    // The shared folder keeps the entries of both contents.
    check_markdown(&data, &["--cache-dir", shared_arg]);
    let shared_entries = std::fs::read_dir(shared.path())
        .unwrap()
        .flat_map(|b| std::fs::read_dir(b.unwrap().path()).unwrap())
        .count();
    assert_eq!(shared_entries, first.len() + 1);
}

/// JSON and human checks keep a state each: alternating formats, each run after an edit is
/// still a partial re-check, and prints what a check from scratch prints.
#[test]
fn json_and_human_rechecks_keep_their_own_state() {
    let (_dir, data) = example_copy();
    let file = data.join("weekly-blitz-2021-02-11.toml");
    let original = std::fs::read_to_string(&file).unwrap();
    let run = |format: &str| {
        let output = crosscheck_command()
            .args(["check", "--today", TODAY, "--format", format, "--timings"])
            .args(["--color", "never"])
            .arg(&data)
            .output()
            .unwrap();
        let how = String::from_utf8_lossy(&output.stderr).into_owned();
        (stdout(&output), how.contains("recheck: partial"))
    };
    run("json");
    run("human");
    for (i, figure) in ["5,000", "5,500"].into_iter().enumerate() {
        std::fs::write(&file, replace(&original, "6,000", figure)).unwrap();
        for format in ["json", "human"] {
            let (report, partial) = run(format);
            assert!(partial, "edit {i}, {format}: not a partial re-check");
            let expected = check_as(format, &data, &["--no-cache", "--color", "never"]);
            assert_eq!(report, expected, "edit {i}, {format}");
        }
    }
}

/// A check naming files (a hook checking what changed names a few of many) or naming its cache
/// folder prunes nothing: the entries it does not use may serve other runs.
#[test]
fn a_check_of_named_files_prunes_nothing() {
    let (_dir, data) = example_copy();
    check_markdown(&data, &[]);
    let before = entries(&data);
    let mut names: Vec<String> = std::fs::read_dir(&data)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    names.sort();
    let file = data.join("weekly-blitz-2021-02-11.toml");
    let original = std::fs::read_to_string(&file).unwrap();
    for (i, figure) in ["5,000", "5,500"].into_iter().enumerate() {
        std::fs::write(&file, replace(&original, "6,000", figure)).unwrap();
        let mut command = crosscheck_command();
        command
            .current_dir(&data)
            .args(["check", "--today", TODAY, "--format", "markdown"]);
        if i == 0 {
            command.args(&names);
        } else {
            command.args([".", "--cache-dir", ".crosscheck-cache"]);
        }
        let output = command.output().unwrap();
        assert!(output.status.code().unwrap() < 2, "{output:?}");
        let now = entries(&data);
        assert!(
            before.iter().all(|e| now.contains(e)),
            "run {i}: the original content's entries stay"
        );
        assert_eq!(now.len(), before.len() + i + 1, "run {i}: one new entry");
    }
}

/// A source's text copy may be one of the data files. A re-check, which leaves most data files
/// unread, must not search an empty stand-in for the quotes: it prints what a check from
/// scratch prints.
#[test]
fn a_text_copy_that_is_a_data_file_is_searched_whole() {
    let (_dir, data) = example_copy();
    edit_file(
        &data.join("weekly-blitz-2021-02-11.toml"),
        "id = \"weekly-blitz-2021-02-11\"\n",
        "id = \"weekly-blitz-2021-02-11\"\ntext = \"un-mt-27.toml\"\n",
    );
    let expected = check(&data, &["--no-cache"]);
    assert!(expected.contains("quote-not-found"), "the copy is searched");
    assert_eq!(check(&data, &[]), expected, "cold");
    let other = data.join("un-mt-34.toml");
    let other_text = std::fs::read_to_string(&other).unwrap();
    std::fs::write(&other, format!("{other_text}\n# edited\n")).unwrap();
    assert_eq!(check(&data, &[]), check(&data, &["--no-cache"]), "edited");
}
