//! The value language alone: values per second for each form (SPEC section 3).
//!
//! `cargo bench --bench values`

use crosscheck::value::{ValueSettings, find_quantities, parse_period, parse_quantity};
use divan::counter::ItemsCount;
use divan::{Bencher, black_box};

fn main() {
    divan::main();
}

const EXACT: &[&str] = &[
    "400",
    "5,500",
    "5500",
    "5 500",
    "1.5k",
    "2 million",
    "85%",
    "85 percent",
    "6,000 fighters",
];
const RANGE: &[&str] = &[
    "2,500–6,000",
    "2,500-6,000",
    "2,500 — 6,000",
    "2,500 to 6,000",
    "between 2,500 and 6,000",
    "from 2,500 to 6,000",
    "2-3 million",
];
const BOUND: &[&str] = &[
    "up to 2,000",
    "at most 2,000",
    "no more than 2,000",
    "fewer than 2,000",
    "under 2,000",
    "< 2,000",
    "more than 100",
    "at least 100",
    "no fewer than 100",
    ">= 100",
    "100+",
    "100 or more",
];
const APPROXIMATE: &[&str] = &[
    "around 400",
    "about 400",
    "approximately 400",
    "roughly 400",
    "some 400",
    "an estimated 400",
    "circa 400",
    "c. 400",
    "~400",
    "nearly 400",
    "400 ± 50",
    "400 +/- 50",
    "400 ± 10%",
];
const VAGUE: &[&str] = &[
    "a few",
    "a handful",
    "several",
    "dozens",
    "hundreds",
    "thousands",
    "tens of thousands",
    "a few hundred",
    "in the dozens",
    "twelve",
    "a dozen",
    "a hundred",
];
const DATE: &[&str] = &[
    "2020",
    "2020-07",
    "2020-07-31",
    "July 2020",
    "31 July 2022",
    "July 31, 2022",
    "Q3 2020",
    "H1 2024",
    "early 2024",
    "mid-2023",
    "late 2020",
];
const PERIOD: &[&str] = &[
    "2020-07/2020-10",
    "July–October 2020",
    "2020-07 to 2020-10",
    "between July and October 2020",
];

fn quantities(bencher: Bencher, inputs: &'static [&'static str]) {
    let settings = ValueSettings::default();
    bencher.counter(ItemsCount::new(inputs.len())).bench(|| {
        for text in inputs {
            let _ = black_box(parse_quantity(black_box(text), &settings));
        }
    });
}

fn periods(bencher: Bencher, inputs: &'static [&'static str]) {
    bencher.counter(ItemsCount::new(inputs.len())).bench(|| {
        for text in inputs {
            let _ = black_box(parse_period(black_box(text)));
        }
    });
}

#[divan::bench]
fn exact(b: Bencher) {
    quantities(b, EXACT);
}

#[divan::bench]
fn range(b: Bencher) {
    quantities(b, RANGE);
}

#[divan::bench]
fn bound(b: Bencher) {
    quantities(b, BOUND);
}

#[divan::bench]
fn approximate(b: Bencher) {
    quantities(b, APPROXIMATE);
}

#[divan::bench]
fn vague(b: Bencher) {
    quantities(b, VAGUE);
}

#[divan::bench]
fn date(b: Bencher) {
    periods(b, DATE);
}

#[divan::bench]
fn period(b: Bencher) {
    periods(b, PERIOD);
}

/// Scanning prose for quantities, as `quote-mismatch` does with every quote: counted in
/// quotes per second.
#[divan::bench]
fn scan_quote(b: Bencher) {
    let settings = ValueSettings::default();
    let quotes = [
        "Member States assess that Bakadi Front has around 4,000 fighters at its disposal, the report said.",
        "Estimates shared with the authors put the number of fighters of Bakadi Front at between 2,500 and 6,000.",
        "Officials counted 12 camps in their latest assessment of the group's strength.",
    ];
    b.counter(ItemsCount::new(quotes.len())).bench(|| {
        for q in &quotes {
            black_box(find_quantities(black_box(q), &settings));
        }
    });
}
