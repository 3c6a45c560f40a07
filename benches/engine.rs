//! The engine on in-memory data: a generated data set (examples/gen.rs, 10,000 claims, seed 1)
//! loaded once, then `engine::check` timed alone; the load (read, parse, resolve; no cache)
//! timed on its own for comparison.
//!
//! `cargo bench --bench engine` (CLAIMS=100000 for a larger data set)

use std::path::PathBuf;
use std::sync::OnceLock;

use crosscheck::engine::{self, CheckOptions};
use crosscheck::model::Dataset;
use crosscheck::value::Day;
use divan::counter::ItemsCount;
use divan::{Bencher, black_box};

#[path = "../examples/gen.rs"]
#[allow(dead_code)]
mod generator;

fn main() {
    divan::main();
}

struct Data {
    _dir: tempfile::TempDir,
    path: PathBuf,
    dataset: Dataset,
}

fn data() -> &'static Data {
    static DATA: OnceLock<Data> = OnceLock::new();
    DATA.get_or_init(|| {
        let claims = std::env::var("CLAIMS")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(10_000);
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join("data");
        generator::run(&path, claims, 1).expect("the generator writes");
        let dataset =
            crosscheck::load::load(std::slice::from_ref(&path)).expect("generated data loads");
        Data {
            _dir: dir,
            path,
            dataset,
        }
    })
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn check(b: Bencher) {
    let data = data();
    let options = CheckOptions {
        today: Day::from_ymd(2026, 1, 1).expect("a day"),
        select: Vec::new(),
    };
    b.counter(ItemsCount::new(data.dataset.claims.len()))
        .bench(|| black_box(engine::check(&data.dataset, &options).expect("rules configure")));
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn load(b: Bencher) {
    let data = data();
    b.counter(ItemsCount::new(data.dataset.claims.len()))
        .bench(|| {
            black_box(crosscheck::load::load(std::slice::from_ref(&data.path)).expect("loads"))
        });
}
