//! The parse floor for `bench/scale.sh`: what reading a data set costs before crosscheck does
//! anything of its own.
//!
//! ```text
//! cargo run --release --example floor -- DIR [--values]
//! ```
//!
//! Reads every `*.toml` file under DIR (hidden folders and `target/` skipped, as the loader
//! does) and deserializes it with the `toml` crate into plain serde structs, in parallel with
//! rayon over files: no spans, no resolution, no checks. With `--values`, it then reads every
//! claim's `value` and `as_of` string with crosscheck's value language, on one thread, and
//! reports that time separately. The loader reads values file by file in parallel, so this
//! one-thread time overstates what value parsing adds to a check's wall time.
//!
//! Prints `key=value` lines: `files`, `claims`, `bytes`, `floor_seconds`, and with `--values`
//! `values`, `value_seconds`.

use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;
use serde::Deserialize;

#[derive(Debug, Deserialize, Default)]
#[allow(dead_code)]
struct File {
    #[serde(default)]
    source: Vec<Source>,
    #[serde(default)]
    claim: Vec<Claim>,
    #[serde(default)]
    entity: Vec<Entity>,
    #[serde(default)]
    property: Vec<Property>,
    #[serde(default)]
    rule: Vec<toml::Table>,
    #[serde(default)]
    accepted: Vec<toml::Table>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Source {
    id: String,
    title: String,
    publisher: Option<String>,
    author: Option<String>,
    url: Option<String>,
    language: Option<String>,
    note: Option<String>,
    published: Option<toml::Value>,
    kind: Option<String>,
    party: Option<String>,
    grade: Option<String>,
    cites: Option<toml::Value>,
    text: Option<String>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Claim {
    id: Option<String>,
    source: Option<String>,
    subject: String,
    property: String,
    value: toml::Value,
    as_of: Option<toml::Value>,
    scope: Option<String>,
    according_to: Option<String>,
    status: Option<String>,
    quote: Option<String>,
    locator: Option<String>,
    note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Entity {
    id: String,
    name: String,
    kind: Option<String>,
    #[serde(default)]
    aliases: Vec<String>,
    part_of: Option<String>,
    #[serde(default)]
    not_same_as: Vec<String>,
    note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Property {
    id: String,
    #[serde(rename = "type")]
    ty: String,
    unit: Option<String>,
    measure: Option<String>,
    additive: Option<bool>,
    terminal: Option<bool>,
    single: Option<bool>,
    description: Option<String>,
}

fn data_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0
                || !(e.file_name().to_string_lossy().starts_with('.')
                    || (e.file_type().is_dir() && e.file_name() == "target"))
        })
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "toml"))
        .filter(|e| !(e.depth() == 1 && e.file_name() == "crosscheck.toml"))
        .map(|e| e.into_path())
        .collect();
    files.sort();
    files
}

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let values = args.iter().any(|a| a == "--values");
    let Some(dir) = args.iter().find(|a| !a.starts_with("--")) else {
        eprintln!("usage: cargo run --release --example floor -- DIR [--values]");
        return std::process::ExitCode::from(2);
    };
    let start = Instant::now();
    let files = data_files(Path::new(dir));
    let parsed: Vec<(usize, File)> = files
        .par_iter()
        .map(|path| {
            let text =
                std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let file: File =
                toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            (text.len(), file)
        })
        .collect();
    let floor = start.elapsed().as_secs_f64();
    let claims: usize = parsed.iter().map(|(_, f)| f.claim.len()).sum();
    let bytes: usize = parsed.iter().map(|(n, _)| n).sum();
    println!("files={}", files.len());
    println!("claims={claims}");
    println!("bytes={bytes}");
    println!("floor_seconds={floor:.4}");
    if values {
        // Read by the property's type, as the loader does: quantities and dates.
        let types: std::collections::HashMap<&str, &str> = parsed
            .iter()
            .flat_map(|(_, f)| &f.property)
            .map(|p| (p.id.as_str(), p.ty.as_str()))
            .collect();
        let mut quantities: Vec<&str> = Vec::new();
        let mut periods: Vec<&str> = Vec::new();
        for c in parsed.iter().flat_map(|(_, f)| &f.claim) {
            match (types.get(c.property.as_str()), c.value.as_str()) {
                (Some(&"quantity"), Some(text)) => quantities.push(text),
                (Some(&"date"), Some(text)) => periods.push(text),
                _ => {}
            }
            if let Some(text) = c.as_of.as_ref().and_then(toml::Value::as_str) {
                periods.push(text);
            }
        }
        let settings = crosscheck::value::ValueSettings::default();
        let start = Instant::now();
        let mut read = 0usize;
        for text in &quantities {
            read += usize::from(crosscheck::value::parse_quantity(text, &settings).is_ok());
        }
        for text in &periods {
            read += usize::from(crosscheck::value::parse_period(text).is_ok());
        }
        let seconds = start.elapsed().as_secs_f64();
        println!("values={}", quantities.len() + periods.len());
        println!("values_read={read}");
        println!("value_seconds={seconds:.4}");
    }
    std::process::ExitCode::SUCCESS
}
