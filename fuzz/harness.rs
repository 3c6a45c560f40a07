//! What the fuzz targets do with an input, shared with `tests/fuzz_regressions.rs` so a saved
//! crashing input replays exactly as the fuzzer ran it.
//!
//! An input for the `load` and `check` targets is a small data set:
//! - without a NUL byte, the whole input is one data file, `data.toml`, bytes as they are
//!   (not necessarily UTF-8);
//! - with NUL bytes, each NUL-separated chunk is one file (at most [`MAX_FILES`]). A chunk that
//!   starts with `@name\n` is written under that name (letters, digits, `._-/` kept, `..` and
//!   empty steps dropped, so it stays in the folder; `crosscheck.toml` is the settings file,
//!   `doc.txt` can be a source's `text` copy); otherwise it is `f<i>.toml`.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use crosscheck::cli::{Format, render};
use crosscheck::diag::{RenderOptions, render_all};
use crosscheck::engine::{self, CheckOptions};
use crosscheck::load::{self, LoadOptions};
use crosscheck::model::{Dataset, EntityIdx};
use crosscheck::recheck::ReportFormat;
use crosscheck::value::{
    Day, ValueSettings, find_periods, find_quantities, parse_percentage, parse_period,
    parse_quantity, parse_window,
};

/// At most this many files per input.
pub const MAX_FILES: usize = 8;

/// The value language on any string: no panic, and what comes back is well formed.
pub fn value(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    static SETTINGS: std::sync::OnceLock<ValueSettings> = std::sync::OnceLock::new();
    let settings = SETTINGS.get_or_init(ValueSettings::default);
    match parse_quantity(text, settings) {
        Ok(v) => check_interval(&v, text),
        Err(e) => check_error(&e, text),
    }
    match parse_period(text) {
        Ok(r) => assert!(r.first <= r.last, "{text:?} gave a backwards period {r:?}"),
        Err(e) => check_error(&e, text),
    }
    if let Err(e) = parse_window(text) {
        check_error(&e, text);
    }
    match parse_percentage(text) {
        Ok(p) => assert!(!p.is_nan(), "{text:?} gave NaN"),
        Err(e) => check_error(&e, text),
    }
    let mut last_end = 0;
    for (range, v) in find_quantities(text, settings) {
        assert!(
            range.start >= last_end && range.start <= range.end,
            "{text:?}: {range:?}"
        );
        assert!(
            text.get(range.clone()).is_some(),
            "{text:?}: {range:?} is not a slice"
        );
        check_interval(&v, text);
        last_end = range.end;
    }
    let mut last_end = 0;
    for (range, r) in find_periods(text) {
        assert!(
            range.start >= last_end && range.start <= range.end,
            "{text:?}: {range:?}"
        );
        assert!(
            text.get(range.clone()).is_some(),
            "{text:?}: {range:?} is not a slice"
        );
        assert!(r.first <= r.last, "{text:?} gave a backwards period {r:?}");
        last_end = range.end;
    }
}

fn check_interval(v: &crosscheck::value::Interval, text: &str) {
    for end in [v.low.value(), v.high.value()].into_iter().flatten() {
        assert!(!end.is_nan(), "{text:?} gave NaN: {v:?}");
    }
    if let (Some(low), Some(high)) = (v.low.value(), v.high.value()) {
        assert!(low <= high, "{text:?} gave a backwards interval {v:?}");
    }
}

fn check_error(e: &crosscheck::value::ValueError, text: &str) {
    let end = e.offset.checked_add(e.len).expect("offset + len overflows");
    assert!(
        text.get(e.offset..end).is_some(),
        "{text:?}: error span {}..{end} is not a slice",
        e.offset
    );
    assert!(
        !e.expected.is_empty(),
        "{text:?}: an error that expects nothing"
    );
}

/// The files an input stands for.
pub fn files_of(data: &[u8]) -> Vec<(PathBuf, &[u8])> {
    if !data.contains(&0) {
        return vec![(PathBuf::from("data.toml"), data)];
    }
    data.split(|&b| b == 0)
        .take(MAX_FILES)
        .enumerate()
        .map(|(i, chunk)| {
            let named = chunk.strip_prefix(b"@").and_then(|rest| {
                rest.iter()
                    .position(|&b| b == b'\n')
                    .map(|n| (&rest[..n], &rest[n + 1..]))
            });
            match named.and_then(|(name, body)| Some((safe_name(name)?, body))) {
                Some((name, body)) => (name, body),
                None => (PathBuf::from(format!("f{i}.toml")), chunk),
            }
        })
        .collect()
}

fn safe_name(name: &[u8]) -> Option<PathBuf> {
    let name: String = name
        .iter()
        .map(|&b| b as char)
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '/'))
        .collect();
    let parts: Vec<&str> = name
        .split('/')
        .filter(|p| !p.is_empty() && *p != "." && *p != "..")
        .take(3)
        .map(|p| &p[..p.len().min(40)])
        .collect();
    (!parts.is_empty()).then(|| parts.iter().collect())
}

/// Writes the input's files into a fresh folder. Files that cannot be written (a name that is
/// also a folder) are left out.
pub fn write_files(data: &[u8]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    for (name, body) in files_of(data) {
        let path = dir.path().join(name);
        if let Some(parent) = path.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        let _ = std::fs::write(&path, body);
    }
    dir
}

/// The loader on a data set: loads, and renders the errors as the command line would.
pub fn load(data: &[u8]) {
    let dir = write_files(data);
    let root = dir.path().to_path_buf();
    match load::load(std::slice::from_ref(&root)) {
        Ok(data) => touch(&data),
        Err(failure) => {
            let text = render_all(
                &failure.errors,
                &failure.files,
                RenderOptions { color: false },
            );
            assert!(!text.is_empty());
        }
    }
}

/// Every loaded record reachable, so the loader's output is used (and its spans render).
fn touch(data: &Dataset) {
    let _ = format!(
        "{:?}",
        data.claims.len() + data.sources.len() + data.entities.len()
    );
}

/// The whole check: load (through the parse cache, twice: the second run reads what the first
/// wrote), every rule, every report format, the audit and timelines. The two runs' reports
/// must be identical.
pub fn check(data: &[u8]) {
    let dir = write_files(data);
    let root = dir.path().to_path_buf();
    let cache = tempfile::tempdir().expect("temporary folder");
    let options = LoadOptions {
        use_cache: true,
        cache_dir: Some(cache.path().to_path_buf()),
    };
    let first = check_once(&root, &options);
    let second = check_once(&root, &options);
    assert_eq!(first, second, "the cached load reports differently");
    recheck_agrees(&root);
}

/// The re-check (`crosscheck::recheck`) prints what a plain check prints, in both formats it
/// writes: on a cold cache, on a warm one, and after an edit of the first data file.
fn recheck_agrees(root: &Path) {
    let cache = tempfile::tempdir().expect("temporary folder");
    let options = LoadOptions {
        use_cache: true,
        cache_dir: Some(cache.path().to_path_buf()),
    };
    let formats = [ReportFormat::Json, ReportFormat::Human { color: false }];
    for round in ["cold", "warm", "edited"] {
        if round == "edited" {
            let Some(first) = first_data_file(root) else {
                return;
            };
            let mut text = std::fs::read(&first).unwrap_or_default();
            text.extend_from_slice(b"\n# edited\n");
            let _ = std::fs::write(&first, text);
        }
        for format in formats {
            assert_eq!(
                recheck_report(root, &options, format),
                plain_report(root, format),
                "the re-check ({round}, {format:?}) reports differently"
            );
        }
    }
}

fn first_data_file(root: &Path) -> Option<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .filter(|p| !p.ends_with("crosscheck.toml"))
        .collect();
    files.sort();
    files.into_iter().next()
}

fn json_check_options() -> CheckOptions {
    CheckOptions {
        today: Day::from_ymd(2026, 1, 1).unwrap(),
        select: Vec::new(),
    }
}

/// The report of a check without the cache; `None` when the data set has errors.
fn plain_report(root: &Path, format: ReportFormat) -> Option<Vec<u8>> {
    let data = load::load(&[root.to_path_buf()]).ok()?;
    let report = engine::check(&data, &json_check_options()).ok()?;
    let mut out = Vec::new();
    match format {
        ReportFormat::Json => crosscheck::report::json::write_report(&data, &report, &mut out),
        ReportFormat::Human { color } => crosscheck::report::human::write_report(
            &data,
            &report,
            RenderOptions { color },
            &mut out,
        ),
    }
    .ok()?;
    Some(out)
}

/// The report of the re-check; `None` when the data set has errors.
fn recheck_report(root: &Path, options: &LoadOptions, format: ReportFormat) -> Option<Vec<u8>> {
    let mut prepared = crosscheck::recheck::prepare(
        &[root.to_path_buf()],
        options,
        &json_check_options(),
        format,
    )
    .ok()?;
    let mut out = Vec::new();
    prepared.write(&mut out).ok()?;
    Some(out)
}

fn check_once(root: &Path, options: &LoadOptions) -> String {
    let data = match load::load_with(&[root.to_path_buf()], options) {
        Ok(data) => data,
        Err(failure) => {
            return render_all(
                &failure.errors,
                &failure.files,
                RenderOptions { color: false },
            );
        }
    };
    let check = CheckOptions {
        today: Day::from_ymd(2026, 1, 1).unwrap(),
        select: Vec::new(),
    };
    let report = match engine::check(&data, &check) {
        Ok(report) => report,
        Err(errors) => return render_all(&errors, &data.files, RenderOptions { color: false }),
    };
    let mut out = String::new();
    for format in [
        Format::Human,
        Format::Json,
        Format::Markdown,
        Format::Sarif,
        Format::Github,
    ] {
        out.push_str(&render(&data, &report, format, false));
    }
    out.push_str(&render(&data, &report, Format::Human, true));
    let audit = engine::audit::audit(&data);
    out.push_str(&crosscheck::report::audit::render_human(&data, &audit));
    out.push_str(&crosscheck::report::audit::render_json(&data, &audit));
    out.push_str(&crosscheck::report::audit::render_markdown(&data, &audit));
    for subject in (0..data.entities.len().min(3)).map(|i| EntityIdx(i as u32)) {
        let series = crosscheck::report::timeline::series_of(&data, subject, None);
        out.push_str(&crosscheck::report::timeline::render_human(&data, &series));
        out.push_str(&crosscheck::report::timeline::render_json(
            &data, subject, &series,
        ));
    }
    // The temporary folder's name differs between runs of the fuzzer, never within one input.
    out
}
