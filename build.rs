//! Gives the crate a fingerprint of its own source, so the parse cache (`src/load/cache.rs`)
//! never trusts entries written by a build whose parser may differ, yet stays valid across
//! rebuilds of the same source (CI machines share it).

use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=Cargo.lock");
    let mut files = Vec::new();
    collect(Path::new("src"), &mut files);
    files.push(PathBuf::from("Cargo.lock"));
    files.sort();
    // FNV-1a over paths and contents: no dependency needed for a change detector.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for file in files {
        let contents = std::fs::read(&file).unwrap_or_default();
        for byte in file.to_string_lossy().bytes().chain([0]).chain(contents) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    println!("cargo:rustc-env=CROSSCHECK_SOURCE_HASH={hash:016x}");
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}
