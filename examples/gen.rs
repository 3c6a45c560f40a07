//! Generates a realistic claim data set, deterministic from a seed, for benchmarks and scale
//! tests:
//!
//! ```text
//! cargo run --release --example gen -- OUT N [--seed S]
//! ```
//!
//! writes about `N` claims into the folder `OUT` (which must not exist, or be empty), in the
//! recommended layout: `entities.toml`, `properties.toml`, and one file per source under a
//! folder per year (`OUT/2019/reuters-20190314-1234.toml`; sources without a date under
//! `OUT/undated/`). The shape follows analysts' data: many series (subject, property, scope)
//! with a few claims each, sources of very different sizes (a few claims to a few hundred),
//! secondary sources relaying primary ones (`cites`, `according_to`), entities with aliases and
//! `part_of`, every value form of the value language, quotes, locators and notes; about 270 bytes
//! per claim.
//!
//! The data are consistent by construction — every claim of a series contains the series' true
//! value at its time, figures move slowly, parts stay below their whole, nothing is dated after
//! a subject's end or its source — except for a known number of planted problems, printed at the
//! end (one line per kind): conflicting pairs (1% of the claims), drift, misquotes, parts
//! exceeding their whole, claims after a death, anachronisms, quotes that do not match,
//! unattributed relays, citation cycles and look-alike entity names. Some `divergent` and
//! `single-origin` findings (info) occur naturally: overlapping estimates and relayed figures.
//!
//! The same `N` and seed give byte-identical files. The PRNG is splitmix64, written here so the
//! output never changes with a dependency's version.

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crosscheck::value::english_month;

// ------------------------------------------------------------------------------------------
// Randomness

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// 0..n (n > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// lo..=hi.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % (hi - lo + 1) as u64) as i64
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    fn log_uniform(&mut self, lo: f64, hi: f64) -> f64 {
        (lo.ln() + (hi.ln() - lo.ln()) * self.unit()).exp()
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// An index into `weights`, with probability proportional to the weight.
    fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u32 = weights.iter().sum();
        let mut x = (self.next() % u64::from(total)) as u32;
        for (i, &w) in weights.iter().enumerate() {
            if x < w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }
}

// ------------------------------------------------------------------------------------------
// Calendar

const FIRST_YEAR: i32 = 2005;
const LAST_YEAR: i32 = 2025;
/// Series take their times up to here, so that a later source can always report them.
const LAST_SLOT_YEAR: i32 = 2023;

/// A day; days stop at 28 so that every month has them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Ymd(i32, u32, u32);

impl Ymd {
    fn toml(self) -> String {
        format!("{:04}-{:02}-{:02}", self.0, self.1, self.2)
    }
}

fn random_day(rng: &mut Rng, year: i32) -> Ymd {
    Ymd(year, rng.range(1, 12) as u32, rng.range(1, 28) as u32)
}

/// A date or period containing the day, written in one of the value language's forms, as a TOML
/// literal, and as prose (for quotes).
fn date_containing(rng: &mut Rng, d: Ymd) -> (String, String) {
    let Ymd(y, m, day) = d;
    let month = english_month(m);
    let text = match rng.below(16) {
        0 => format!("{y}"),
        1 => format!("{y}-{m:02}"),
        2 => format!("{y}-{m:02}-{day:02}"),
        3 => {
            let t = d.toml();
            return (t.clone(), t);
        }
        4 => format!("{month} {y}"),
        5 => format!("{day} {month} {y}"),
        6 => format!("{month} {day}, {y}"),
        7 => format!("Q{} {y}", (m - 1) / 3 + 1),
        8 => format!("H{} {y}", (m - 1) / 6 + 1),
        9 => match m {
            1..=4 => format!("early {y}"),
            5..=8 => format!("mid-{y}"),
            _ => format!("late {y}"),
        },
        10..=13 => {
            let (a, b) = (m.saturating_sub(1).max(1), (m + 1).min(12));
            month_period(rng, y, a, b)
        }
        _ => format!("{day} {month} {y}"),
    };
    (quoted(&text), text)
}

/// The months `a..=b` of year `y` as a period, in one of its wordings.
fn month_period(rng: &mut Rng, y: i32, a: u32, b: u32) -> String {
    let (ma, mb) = (english_month(a), english_month(b));
    if a == b {
        return if rng.chance(0.5) {
            format!("{ma} {y}")
        } else {
            format!("{y}-{a:02}")
        };
    }
    match (a, b, rng.below(8)) {
        (1, 12, 0..=3) => format!("{y}"),
        (1, 3, 0..=3) | (4, 6, 0..=3) | (7, 9, 0..=3) | (10, 12, 0..=3) => {
            format!("Q{} {y}", (a - 1) / 3 + 1)
        }
        (1, 6, 0..=3) => format!("H1 {y}"),
        (7, 12, 0..=3) => format!("H2 {y}"),
        (1, 4, 0..=3) => format!("early {y}"),
        (5, 8, 0..=3) => format!("mid-{y}"),
        (9, 12, 0..=3) => format!("late {y}"),
        (_, _, 0 | 4) => format!("{y}-{a:02}/{y}-{b:02}"),
        (_, _, 1 | 5) => format!("{ma}–{mb} {y}"),
        (_, _, 2 | 6) => format!("{y}-{a:02} to {y}-{b:02}"),
        _ => format!("between {ma} and {mb} {y}"),
    }
}

/// A period inside year `y` (the whole year, or a part of it), as a TOML literal.
fn as_of_within(rng: &mut Rng, y: i32, whole: bool) -> String {
    if whole {
        return quoted(&month_period(rng, y, 1, 12));
    }
    let day = random_day(rng, y);
    date_containing(rng, day).0
}

// ------------------------------------------------------------------------------------------
// Numbers and quantities

fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn grouped(v: u64, sep: char) -> String {
    let digits = v.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

fn comma(v: u64) -> String {
    grouped(v, ',')
}

/// A number in one of its written forms: `5,500`, `5500`, `5 500`, `5.5k`, `2.5 million`.
fn number(rng: &mut Rng, v: u64) -> String {
    if v >= 1_000_000 && v.is_multiple_of(100_000) && rng.chance(0.6) {
        let m = v as f64 / 1e6;
        return format!("{} million", trim_float(m));
    }
    if (1_000..1_000_000).contains(&v) && v.is_multiple_of(100) && rng.chance(0.25) {
        return format!("{}k", trim_float(v as f64 / 1e3));
    }
    match rng.below(10) {
        0..=5 => comma(v),
        6..=8 => v.to_string(),
        _ => grouped(v, ' '),
    }
}

fn trim_float(x: f64) -> String {
    let s = format!("{x:.1}");
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
}

/// Rounds to two significant digits: how reports write estimates.
fn round2(v: f64) -> u64 {
    if v < 100.0 {
        return v.round() as u64;
    }
    let mag = 10f64.powi(v.log10().floor() as i32 - 1);
    ((v / mag).round() * mag) as u64
}

/// How a quantity may be written for a series.
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    /// Multi-period series: bounded intervals that hold [0.97v, 1.03v] and reach no further
    /// than about 0.85v–1.16v, so consecutive periods (the union of their claims) overlap and
    /// their midpoints move less than 25%. No open-ended bounds: a period's midpoint is then
    /// its finite end.
    Tight,
    /// One period: any form whose interval holds v.
    Any,
}

const VAGUE: &[(&str, u64, u64)] = &[
    ("a few", 2, 5),
    ("a handful", 2, 5),
    ("several", 3, 9),
    ("tens", 20, 99),
    ("dozens", 24, 99),
    ("in the dozens", 24, 99),
    ("hundreds", 200, 999),
    ("a few hundred", 200, 500),
    ("thousands", 2_000, 9_999),
    ("a few thousand", 2_000, 5_000),
    ("tens of thousands", 20_000, 99_999),
    ("hundreds of thousands", 200_000, 999_999),
    ("millions", 2_000_000, 9_999_999),
];

const NUMBER_WORDS: [&str; 21] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
];

/// A quantity containing the true value `v`, as a TOML literal and as prose for a quote (no
/// trailing noun). `pct` writes percentages.
fn quantity(
    rng: &mut Rng,
    v: u64,
    mode: Mode,
    pct: bool,
    unit: &str,
) -> (String, String, &'static str) {
    let v = v.max(2);
    let num = |rng: &mut Rng, x: u64| {
        if pct {
            if rng.chance(0.7) {
                format!("{x}%")
            } else {
                format!("{x} percent")
            }
        } else {
            number(rng, x)
        }
    };
    let plain = |rng: &mut Rng, x: u64| {
        if pct {
            format!("{x}%")
        } else if rng.chance(0.75) {
            comma(x)
        } else {
            x.to_string()
        }
    };
    let vf = v as f64;
    let any = mode == Mode::Any;
    // Forms and their weights: exact, approximate, range, spread, lower, upper, nearly, vague,
    // number word.
    let vague: Vec<&(&str, u64, u64)> = VAGUE
        .iter()
        .filter(|(_, lo, hi)| (*lo..=*hi).contains(&v))
        .collect();
    let weights = [
        if any { 34 } else { 0 },
        26,
        22,
        8,
        if any { 10 } else { 0 },
        if any { 10 } else { 0 },
        if vf >= 100.0 && !pct { 4 } else { 0 },
        if any && !vague.is_empty() && !pct {
            10
        } else {
            0
        },
        if any && !pct && (v <= 20 || v == 100 || v == 1000) {
            6
        } else {
            0
        },
    ];
    let (text, form) = match rng.weighted(&weights) {
        0 => {
            if !pct && rng.chance(0.3) {
                let t = comma(v);
                return (v.to_string(), t, "exact");
            }
            (num(rng, v), "exact")
        }
        1 => {
            let word = *rng.pick(&[
                "around ",
                "about ",
                "approximately ",
                "roughly ",
                "some ",
                "an estimated ",
                "circa ",
                "c. ",
                "~",
            ]);
            (format!("{word}{}", num(rng, round2(vf))), "approximate")
        }
        2 => {
            let r1 = rng.uniform(0.04, 0.08);
            let r2 = rng.uniform(0.04, 0.08);
            let mut lo = (vf * (1.0 - r1)).floor() as u64;
            let mut hi = (vf * (1.0 + r2)).ceil() as u64;
            if lo >= 1_000 && rng.chance(0.6) {
                let mag = 10u64.pow((lo as f64).log10().floor() as u32 - 1);
                lo = lo / mag * mag;
                hi = hi.div_ceil(mag) * mag;
            }
            if hi <= lo {
                hi = lo + 1;
            }
            let (a, b) = (plain(rng, lo), plain(rng, hi));
            let text = match rng.below(6) {
                0 => format!("{a}–{b}"),
                1 => format!("{a}-{b}"),
                2 => format!("{a} — {b}"),
                3 => format!("{a} to {b}"),
                4 => format!("between {a} and {b}"),
                _ => format!("from {a} to {b}"),
            };
            (text, "range")
        }
        3 => {
            if !pct && rng.chance(0.25) {
                (format!("{} ± 10%", comma(v)), "spread")
            } else {
                let s = ((vf * rng.uniform(0.05, 0.12)).ceil() as u64).max(1);
                let sign = if rng.chance(0.7) { "±" } else { "+/-" };
                (
                    format!("{} {sign} {}", plain(rng, v), plain(rng, s)),
                    "spread",
                )
            }
        }
        4 => {
            let n = (vf * rng.uniform(0.92, 0.96)).floor() as u64;
            let text = match rng.below(9) {
                0 => format!("more than {}", num(rng, n)),
                1 => format!("over {}", num(rng, n)),
                2 => format!("above {}", num(rng, n)),
                3 => format!("> {}", plain(rng, n)),
                4 => format!("at least {}", num(rng, n)),
                5 => format!("no fewer than {}", num(rng, n)),
                6 => format!(">= {}", plain(rng, n)),
                7 if !pct => format!("{}+", plain(rng, n)),
                _ => format!("{} or more", plain(rng, n)),
            };
            (text, "lower bound")
        }
        5 => {
            let n = (vf * rng.uniform(1.04, 1.08)).ceil() as u64;
            let text = match rng.below(9) {
                0 => format!("up to {}", num(rng, n)),
                1 => format!("at most {}", num(rng, n)),
                2 => format!("no more than {}", num(rng, n)),
                3 => format!("<= {}", plain(rng, n)),
                4 => format!("fewer than {}", num(rng, n)),
                5 => format!("less than {}", num(rng, n)),
                6 => format!("under {}", num(rng, n)),
                7 => format!("below {}", num(rng, n)),
                _ => format!("< {}", plain(rng, n)),
            };
            (text, "upper bound")
        }
        6 => {
            let x = (vf * 1.05).ceil() as u64;
            let word = if rng.chance(0.5) { "nearly" } else { "almost" };
            (format!("{word} {}", num(rng, x)), "approximate")
        }
        7 => (rng.pick(&vague).0.to_string(), "vague"),
        _ => {
            let text = match v {
                12 if rng.chance(0.5) => "a dozen".to_string(),
                100 => "a hundred".to_string(),
                1000 => "a thousand".to_string(),
                _ => NUMBER_WORDS[v as usize].to_string(),
            };
            (text, "number word")
        }
    };
    let literal = if !pct && !unit.is_empty() && form != "vague" && rng.chance(0.12) {
        quoted(&format!("{text} {unit}"))
    } else {
        quoted(&text)
    };
    (literal, text, form)
}

// ------------------------------------------------------------------------------------------
// Entities

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Group,
    Faction,
    Person,
    Country,
    Province,
}

struct Entity {
    id: String,
    name: String,
    aliases: Vec<String>,
    kind: Kind,
    part_of: Option<usize>,
    not_same_as: Vec<usize>,
    /// Death or dissolution.
    end: Option<Ymd>,
    /// Typical size, for groups and factions: fighters.
    size: f64,
    factions: u8,
}

const CONSONANTS: &[u8] = b"bdfgjklmnprstvz";
const VOWELS: &[u8] = b"aeiou";
const GROUP_WORDS: &[&str] = &[
    "Front",
    "Brigade",
    "Movement",
    "Network",
    "Council",
    "Battalion",
    "Union",
];
const FACTION_WORDS: &[&str] = &["Wing", "Faction", "Unit", "Detachment"];

/// A word whose consonants spell `digits` (one consonant per syllable): names with different
/// digits never share a skeleton, so `alias-suspect` sees no accidental look-alikes.
fn word(rng: &mut Rng, digits: &[usize]) -> String {
    let mut out = String::new();
    for (i, &d) in digits.iter().enumerate() {
        let c = CONSONANTS[d] as char;
        out.push(if i == 0 { c.to_ascii_uppercase() } else { c });
        out.push(*rng.pick(VOWELS) as char);
    }
    out
}

/// The same name with one vowel changed to a transliteration variant (a↔e, u↔o, i↔e).
fn vowel_variant(name: &str, which: usize) -> Option<String> {
    let positions: Vec<usize> = name
        .char_indices()
        .filter(|(_, c)| "aeiou".contains(*c))
        .map(|(i, _)| i)
        .collect();
    let &at = positions.get(which % positions.len().max(1))?;
    let c = name.as_bytes()[at] as char;
    let to = match c {
        'a' => 'e',
        'e' => 'i',
        'i' => 'e',
        'o' => 'u',
        _ => 'o',
    };
    let mut out = name.to_string();
    out.replace_range(at..at + 1, &to.to_string());
    Some(out)
}

fn slug(name: &str) -> String {
    name.to_ascii_lowercase().replace(' ', "-")
}

struct Entities {
    all: Vec<Entity>,
    used_names: HashSet<String>,
    next_digits: usize,
    digits: usize,
}

impl Entities {
    fn fresh_digits(&mut self) -> Vec<usize> {
        let mut n = self.next_digits;
        self.next_digits += 1;
        let mut out = vec![0; self.digits];
        for d in out.iter_mut().rev() {
            *d = n % CONSONANTS.len();
            n /= CONSONANTS.len();
        }
        out
    }

    fn claim_name(&mut self, name: &str) -> bool {
        let (folded, id) = (name.to_lowercase(), slug(name));
        if self.used_names.contains(&folded) || self.used_names.contains(&id) {
            return false;
        }
        self.used_names.insert(folded);
        self.used_names.insert(id);
        true
    }

    fn add(&mut self, rng: &mut Rng, kind: Kind, part_of: Option<usize>) -> usize {
        loop {
            let digits = self.fresh_digits();
            let name = match kind {
                Kind::Group => format!("{} {}", word(rng, &digits), rng.pick(GROUP_WORDS)),
                Kind::Faction => format!("{} {}", word(rng, &digits), rng.pick(FACTION_WORDS)),
                Kind::Person => {
                    let half = digits.len() / 2;
                    format!(
                        "{} {}",
                        word(rng, &digits[..half]),
                        word(rng, &digits[half..])
                    )
                }
                Kind::Country | Kind::Province => word(rng, &digits),
            };
            if let Some(idx) = self.add_named(rng, kind, part_of, name) {
                return idx;
            }
        }
    }

    fn add_named(
        &mut self,
        rng: &mut Rng,
        kind: Kind,
        part_of: Option<usize>,
        name: String,
    ) -> Option<usize> {
        if !self.claim_name(&name) {
            return None;
        }
        let mut aliases = Vec::new();
        let n_aliases = match kind {
            Kind::Group | Kind::Person => rng.below(3),
            _ => rng.below(2),
        };
        for k in 0..n_aliases {
            if let Some(alias) = vowel_variant(&name, name.len() - k)
                && self.claim_name(&alias)
            {
                aliases.push(alias);
            }
        }
        // An acronym of the name's consonants (unique to the entity), unless two of them are
        // the same letter in a row: doubled letters count as one in `alias-suspect`.
        let consonants: Vec<char> = name
            .chars()
            .filter(|c| c.is_ascii_alphabetic() && !"aeiouAEIOU".contains(*c))
            .collect();
        if kind == Kind::Group
            && rng.chance(0.5)
            && consonants
                .windows(2)
                .all(|w| !w[0].eq_ignore_ascii_case(&w[1]))
        {
            let acronym: String = consonants
                .iter()
                .take(self.digits)
                .map(|c| c.to_ascii_uppercase())
                .collect();
            if self.claim_name(&acronym) {
                aliases.push(acronym);
            }
        }
        let size = match kind {
            Kind::Group => rng.log_uniform(300.0, 20_000.0),
            Kind::Faction => part_of.map_or(100.0, |p| self.all[p].size * rng.uniform(0.05, 0.15)),
            _ => 0.0,
        };
        let id = slug(&name);
        self.all.push(Entity {
            id,
            name,
            aliases,
            kind,
            part_of,
            not_same_as: Vec::new(),
            end: None,
            size,
            factions: 0,
        });
        Some(self.all.len() - 1)
    }
}

// ------------------------------------------------------------------------------------------
// Properties

#[derive(Clone, Copy, PartialEq)]
enum Ty {
    Level { lo: f64, hi: f64, pct: bool },
    Count { lo: f64, hi: f64 },
    Date,
    Entity(Kind),
    Set(Kind),
    Text,
}

struct Prop {
    id: &'static str,
    ty: Ty,
    subject: &'static [Kind],
    unit: &'static str,
    extra: &'static str,
    weight: u32,
    description: &'static str,
}

const GROUPS: &[Kind] = &[Kind::Group, Kind::Faction];
const GROUP: &[Kind] = &[Kind::Group];
const PERSON: &[Kind] = &[Kind::Person];
const PLACES: &[Kind] = &[Kind::Province, Kind::Country];

const PROPS: &[Prop] = &[
    Prop {
        id: "fighters",
        ty: Ty::Level {
            lo: 0.0,
            hi: 0.0,
            pct: false,
        },
        subject: GROUPS,
        unit: "fighters",
        extra: "measure = \"level\"\nadditive = true\n",
        weight: 16,
        description: "Armed strength at a time. A faction never has more than its group.",
    },
    Prop {
        id: "members",
        ty: Ty::Level {
            lo: 100.0,
            hi: 60_000.0,
            pct: false,
        },
        subject: GROUP,
        unit: "members",
        extra: "measure = \"level\"\n",
        weight: 6,
        description: "Members, fighters or not.",
    },
    Prop {
        id: "training_camps",
        ty: Ty::Level {
            lo: 2.0,
            hi: 40.0,
            pct: false,
        },
        subject: GROUP,
        unit: "camps",
        extra: "measure = \"level\"\n",
        weight: 5,
        description: "Training camps in operation at a time.",
    },
    Prop {
        id: "share_foreign",
        ty: Ty::Level {
            lo: 5.0,
            hi: 80.0,
            pct: true,
        },
        subject: GROUP,
        unit: "percent",
        extra: "measure = \"level\"\n",
        weight: 3,
        description: "Share of foreign fighters among the group's fighters.",
    },
    Prop {
        id: "funding_usd",
        ty: Ty::Level {
            lo: 200_000.0,
            hi: 50_000_000.0,
            pct: false,
        },
        subject: GROUP,
        unit: "USD",
        extra: "measure = \"level\"\n",
        weight: 4,
        description: "Yearly funding.",
    },
    Prop {
        id: "attacks",
        ty: Ty::Count {
            lo: 10.0,
            hi: 2_000.0,
        },
        subject: GROUPS,
        unit: "attacks",
        extra: "measure = \"count\"\n",
        weight: 9,
        description: "Attacks carried out in the claim's period.",
    },
    Prop {
        id: "casualties",
        ty: Ty::Count {
            lo: 10.0,
            hi: 5_000.0,
        },
        subject: GROUP,
        unit: "people",
        extra: "measure = \"count\"\n",
        weight: 5,
        description: "People killed or wounded by the group in the claim's period.",
    },
    Prop {
        id: "displaced",
        ty: Ty::Level {
            lo: 1_000.0,
            hi: 2_000_000.0,
            pct: false,
        },
        subject: PLACES,
        unit: "people",
        extra: "measure = \"level\"\n",
        weight: 4,
        description: "Internally displaced people in the place at a time.",
    },
    Prop {
        id: "arrests",
        ty: Ty::Count {
            lo: 5.0,
            hi: 3_000.0,
        },
        subject: PLACES,
        unit: "people",
        extra: "measure = \"count\"\n",
        weight: 4,
        description: "Arrests in the place in the claim's period.",
    },
    Prop {
        id: "bounty_usd",
        ty: Ty::Level {
            lo: 1_000_000.0,
            hi: 25_000_000.0,
            pct: false,
        },
        subject: PERSON,
        unit: "USD",
        extra: "measure = \"level\"\n",
        weight: 2,
        description: "Reward offered for information on the person.",
    },
    Prop {
        id: "leader",
        ty: Ty::Entity(Kind::Person),
        subject: GROUPS,
        unit: "",
        extra: "",
        weight: 5,
        description: "Who leads the group at the time.",
    },
    Prop {
        id: "deputy",
        ty: Ty::Entity(Kind::Person),
        subject: GROUP,
        unit: "",
        extra: "",
        weight: 2,
        description: "The group's deputy leader at the time.",
    },
    Prop {
        id: "headquarters",
        ty: Ty::Entity(Kind::Province),
        subject: GROUP,
        unit: "",
        extra: "",
        weight: 3,
        description: "Where the group's leadership sits.",
    },
    Prop {
        id: "nationality",
        ty: Ty::Entity(Kind::Country),
        subject: PERSON,
        unit: "",
        extra: "",
        weight: 3,
        description: "The person's citizenship.",
    },
    Prop {
        id: "operates_in",
        ty: Ty::Set(Kind::Province),
        subject: GROUPS,
        unit: "",
        extra: "",
        weight: 6,
        description: "Provinces where the group is active.",
    },
    Prop {
        id: "allies",
        ty: Ty::Set(Kind::Group),
        subject: GROUP,
        unit: "",
        extra: "",
        weight: 3,
        description: "Groups the group is allied with.",
    },
    Prop {
        id: "member_of",
        ty: Ty::Set(Kind::Group),
        subject: PERSON,
        unit: "",
        extra: "",
        weight: 4,
        description: "Groups the person belongs to.",
    },
    Prop {
        id: "founded",
        ty: Ty::Date,
        subject: GROUP,
        unit: "",
        extra: "",
        weight: 3,
        description: "When the group was founded.",
    },
    Prop {
        id: "dissolved",
        ty: Ty::Date,
        subject: GROUP,
        unit: "",
        extra: "terminal = true\n",
        weight: 0,
        description: "When the group ceased to exist.",
    },
    Prop {
        id: "death_date",
        ty: Ty::Date,
        subject: PERSON,
        unit: "",
        extra: "terminal = true\n",
        weight: 0,
        description: "When the person died.",
    },
    Prop {
        id: "position",
        ty: Ty::Text,
        subject: PERSON,
        unit: "",
        extra: "single = false\n",
        weight: 4,
        description: "Offices the person holds, as the source words them.",
    },
    Prop {
        id: "birth_place",
        ty: Ty::Text,
        subject: PERSON,
        unit: "",
        extra: "",
        weight: 2,
        description: "Where the person was born, as the source words it.",
    },
];

fn prop(id: &str) -> usize {
    PROPS
        .iter()
        .position(|p| p.id == id)
        .expect("known property")
}

const SCOPES: &[(&str, f64)] = &[
    ("including relatives and sympathizers", 2.5),
    ("in the eastern provinces", 0.4),
    ("foreign fighters", 0.2),
    ("core members", 0.5),
];

const POSITIONS: &[&str] = &[
    "military commander",
    "spokesman",
    "head of finance",
    "shadow governor",
    "chief of recruitment",
    "head of the media office",
    "senior adviser",
    "intelligence chief",
    "judge",
    "deputy commander",
];

// ------------------------------------------------------------------------------------------
// Sources

const PUBLISHERS: &[(&str, bool)] = &[
    ("UN Monitoring Team", true),
    ("ACLED", true),
    ("Crisis Group", true),
    ("UNAMA", true),
    ("SIGAR", true),
    ("Survey Office", true),
    ("Reuters", false),
    ("Associated Press", false),
    ("Long War Journal", false),
    ("BBC Monitoring", false),
    ("Al Jazeera", false),
    ("The Diplomat", false),
    ("Dawn", false),
    ("Khaama Press", false),
    ("Tolo News", false),
    ("Jane's", false),
    ("RAND", false),
    ("Weekly Digest", false),
    ("Ministry of Interior", false),
];

struct Source {
    id: String,
    title: String,
    publisher: &'static str,
    date: Option<Ymd>,
    /// `published` as written (a TOML literal).
    published: String,
    primary: bool,
    cites: Vec<usize>,
    citers: Vec<usize>,
    party: Option<usize>,
    weight: u32,
    grade: Option<String>,
    url: bool,
    author: Option<String>,
    claims: String,
    n_claims: u32,
}

impl Source {
    fn year(&self) -> Option<i32> {
        self.date.map(|d| d.0)
    }
    /// Holds the generator's original claims (sources that cite others only relay).
    fn original(&self) -> bool {
        self.primary || self.cites.is_empty()
    }
}

/// A claim to write.
#[derive(Default, Clone)]
struct Claim {
    subject: String,
    property: &'static str,
    value: String,
    as_of: Option<String>,
    scope: Option<String>,
    according_to: Option<usize>,
    status: Option<&'static str>,
    quote: Option<String>,
}

// ------------------------------------------------------------------------------------------
// The generator

struct Gen {
    rng: Rng,
    ents: Entities,
    sources: Vec<Source>,
    /// Original-capable dated sources per year, and their weights.
    by_year: BTreeMap<i32, (Vec<usize>, Vec<u32>)>,
    undated: Vec<usize>,
    citing: Vec<usize>,
    party_sources: Vec<usize>,
    by_kind: BTreeMap<u8, Vec<usize>>,
    series: HashSet<(usize, usize, String)>,
    claims: usize,
    planted: BTreeMap<&'static str, usize>,
    forms: BTreeMap<&'static str, usize>,
}

fn kind_key(k: Kind) -> u8 {
    k as u8
}

impl Gen {
    fn new(n: usize, seed: u64) -> Gen {
        let mut rng = Rng(seed ^ 0x005E_EDC4_055C_4EC4);
        let groups = (n / 30).max(8);
        let factions = groups / 2;
        let persons = (n / 25).max(12);
        let countries = 12 + n / 50_000;
        let provinces = (n / 100).max(10);
        let total = groups + factions + persons + countries + provinces + 16;
        let mut digits = 4;
        while CONSONANTS.len().pow(digits as u32) < total * 2 {
            digits += 1;
        }
        let mut ents = Entities {
            all: Vec::new(),
            used_names: HashSet::new(),
            next_digits: 0,
            digits,
        };
        for _ in 0..countries {
            ents.add(&mut rng, Kind::Country, None);
        }
        for _ in 0..provinces {
            let country = rng.below(countries);
            ents.add(&mut rng, Kind::Province, Some(country));
        }
        let first_group = ents.all.len();
        for _ in 0..groups {
            ents.add(&mut rng, Kind::Group, None);
        }
        for _ in 0..factions {
            let mut parent = first_group + rng.below(groups);
            while ents.all[parent].factions >= 3 {
                parent = first_group + rng.below(groups);
            }
            ents.all[parent].factions += 1;
            ents.add(&mut rng, Kind::Faction, Some(parent));
        }
        for _ in 0..persons {
            let p = ents.add(&mut rng, Kind::Person, None);
            if rng.chance(0.25) {
                let y = rng.range(2010, 2024) as i32;
                ents.all[p].end = Some(random_day(&mut rng, y));
            }
        }
        for g in first_group..first_group + groups {
            if rng.chance(0.08) {
                let y = rng.range(2012, 2024) as i32;
                ents.all[g].end = Some(random_day(&mut rng, y));
            }
        }
        let mut by_kind: BTreeMap<u8, Vec<usize>> = BTreeMap::new();
        for (i, e) in ents.all.iter().enumerate() {
            by_kind.entry(kind_key(e.kind)).or_default().push(i);
        }

        // Sources, in date order; undated ones last.
        let n_sources = (n / 55).max(30);
        let mut dated: Vec<(Ymd, usize)> = (0..n_sources)
            .map(|i| {
                let y = rng.range(i64::from(FIRST_YEAR), i64::from(LAST_YEAR)) as i32;
                (random_day(&mut rng, y), i)
            })
            .collect();
        dated.sort();
        let mut sources: Vec<Source> = Vec::with_capacity(n_sources);
        for (k, (date, _)) in dated.into_iter().enumerate() {
            let source = make_source(&mut rng, k, date, None);
            sources.push(source);
        }
        // Citations: secondary sources relying on earlier primary ones.
        let primaries: Vec<usize> = (0..sources.len())
            .filter(|&i| sources[i].primary && sources[i].date.is_some())
            .collect();
        let mut citing = Vec::new();
        let mut party_sources = Vec::new();
        let groups_list = by_kind[&kind_key(Kind::Group)].clone();
        for i in 0..sources.len() {
            if sources[i].primary || sources[i].date.is_none() {
                continue;
            }
            if rng.chance(0.04) {
                sources[i].party = Some(*rng.pick(&groups_list));
                sources[i].title = "Statement by the group's spokesman".into();
                party_sources.push(i);
                continue;
            }
            if !rng.chance(0.5) {
                continue;
            }
            let earlier = &primaries[..primaries.partition_point(|&p| p < i)];
            if earlier.is_empty() {
                continue;
            }
            for _ in 0..1 + rng.below(3) {
                // Mostly recent reports.
                let back = (rng.below(earlier.len().min(40))).min(earlier.len() - 1);
                let p = earlier[earlier.len() - 1 - back];
                if !sources[i].cites.contains(&p) {
                    sources[i].cites.push(p);
                    sources[p].citers.push(i);
                }
            }
            citing.push(i);
        }
        // Every year has a source that can hold original claims, however small the data set.
        for y in FIRST_YEAR..=LAST_YEAR {
            if !sources.iter().any(|s| s.year() == Some(y) && s.original()) {
                let k = sources.len();
                let day = random_day(&mut rng, y);
                let source = make_source(&mut rng, k, day, Some(true));
                sources.push(source);
            }
        }
        let mut by_year: BTreeMap<i32, (Vec<usize>, Vec<u32>)> = BTreeMap::new();
        let mut undated = Vec::new();
        for (i, s) in sources.iter().enumerate() {
            match s.year() {
                _ if !s.original() => {}
                Some(y) => {
                    let e = by_year.entry(y).or_default();
                    e.0.push(i);
                    e.1.push(s.weight);
                }
                None => undated.push(i),
            }
        }
        Gen {
            rng,
            ents,
            sources,
            by_year,
            undated,
            citing,
            party_sources,
            by_kind,
            series: HashSet::new(),
            claims: 0,
            planted: BTreeMap::new(),
            forms: BTreeMap::new(),
        }
    }

    /// An original-capable source published in one of the years `lo..=hi`.
    fn source_in(&mut self, lo: i32, hi: i32) -> usize {
        let lo = lo.clamp(FIRST_YEAR, LAST_YEAR);
        let hi = hi.clamp(lo, LAST_YEAR);
        for _ in 0..50 {
            let y = self.rng.range(i64::from(lo), i64::from(hi)) as i32;
            if let Some((list, weights)) = self.by_year.get(&y)
                && !list.is_empty()
            {
                let i = self.rng.weighted(weights);
                return list[i];
            }
        }
        // Few sources (tiny data sets): any original source after `lo`.
        let (&y, _) = self
            .by_year
            .range(lo..)
            .next()
            .or_else(|| self.by_year.iter().next_back())
            .expect("sources");
        let (list, weights) = &self.by_year[&y];
        list[self.rng.weighted(weights)]
    }

    fn subject_text(&mut self, e: usize) -> String {
        let ent = &self.ents.all[e];
        match self.rng.below(10) {
            0..=4 => ent.id.clone(),
            5..=7 => ent.name.clone(),
            _ if ent.aliases.is_empty() => ent.name.to_lowercase(),
            _ => self.rng.pick(&ent.aliases).clone(),
        }
    }

    /// The way a claim names an entity value.
    fn entity_text(&mut self, e: usize) -> String {
        let ent = &self.ents.all[e];
        match self.rng.below(4) {
            0 if !ent.aliases.is_empty() => self.rng.pick(&ent.aliases).clone(),
            1 => ent.name.clone(),
            _ => ent.id.clone(),
        }
    }

    fn random_of(&mut self, kinds: &[Kind]) -> usize {
        let k = *self.rng.pick(kinds);
        let list = &self.by_kind[&kind_key(k)];
        list[self.rng.below(list.len())]
    }

    /// A fresh series (subject, property, scope) for property `p`, or `None` after a few
    /// tries.
    fn fresh_series(&mut self, p: usize, scoped: bool) -> Option<(usize, Option<&'static str>)> {
        for _ in 0..20 {
            let s = self.random_of(PROPS[p].subject);
            let scope = (scoped && matches!(PROPS[p].id, "fighters" | "members"))
                .then(|| self.rng.pick(SCOPES).0);
            if self.series.insert((s, p, scope.unwrap_or("").to_string())) {
                return Some((s, scope));
            }
        }
        None
    }

    /// Writes a claim into a source file, with the optional fields a person would add.
    fn emit(&mut self, src: usize, c: &Claim) {
        let rng = &mut self.rng;
        let s = &mut self.sources[src];
        s.n_claims += 1;
        self.claims += 1;
        let out = &mut s.claims;
        out.push_str("\n[[claim]]\n");
        if rng.chance(0.85) {
            let _ = writeln!(out, "id = \"{}-c{}\"", s.id, s.n_claims);
        }
        if rng.chance(0.1) {
            let _ = writeln!(out, "source = \"{}\"", s.id);
        }
        let _ = writeln!(out, "subject = {}", quoted(&c.subject));
        let _ = writeln!(out, "property = \"{}\"", c.property);
        let _ = writeln!(out, "value = {}", c.value);
        if let Some(t) = &c.as_of {
            let _ = writeln!(out, "as_of = {t}");
        }
        if let Some(scope) = &c.scope {
            let written = if rng.chance(0.2) {
                scope.to_uppercase()
            } else {
                scope.clone()
            };
            let _ = writeln!(out, "scope = {}", quoted(&written));
        }
        if let Some(a) = c.according_to {
            let line = format!("according_to = \"{}\"\n", self.sources[a].id);
            self.sources[src].claims.push_str(&line);
        }
        let out = &mut self.sources[src].claims;
        if let Some(st) = c.status {
            let _ = writeln!(out, "status = \"{st}\"");
        }
        if let Some(q) = &c.quote {
            let _ = writeln!(out, "quote = {}", quoted(q));
        }
        if rng.chance(0.55) {
            let _ = writeln!(
                out,
                "locator = \"{} {}\"",
                rng.pick(&["para.", "p.", "section"]),
                1 + rng.below(120)
            );
        }
        if rng.chance(0.5) {
            let note = rng.pick(&[
                "Figure given in the executive summary; the annex gives the same figure without a source.",
                "The source rounds its figures and does not say how it counted.",
                "Attributed by the source to member states' intelligence services, without naming them.",
                "Reported in a footnote of the section on the group's finances and recruitment.",
                "The source hedges: officials could not confirm it independently at the time of writing.",
                "Read from a chart in the source; the exact figure is not printed in the text.",
            ]);
            let _ = writeln!(out, "note = {}", quoted(note));
        }
    }

    /// Writes an original claim and, sometimes, relays of it by sources citing its source.
    fn emit_with_relays(&mut self, src: usize, c: &Claim) {
        let mut c = c.clone();
        if self.rng.chance(0.04) {
            c.status = Some("unconfirmed");
        }
        self.emit(src, &c);
        let citers = self.sources[src].citers.clone();
        if citers.is_empty() || !self.rng.chance(0.45) {
            return;
        }
        let mut relay = c.clone();
        relay.according_to = Some(src);
        relay.status = None;
        for _ in 0..1 + usize::from(self.rng.chance(0.3)) {
            let to = *self.rng.pick(&citers);
            self.emit(to, &relay);
        }
    }

    fn quote_for(&mut self, subject: &str, unit: &str, text: &str) -> Option<String> {
        if !self.rng.chance(0.7) {
            return None;
        }
        Some(match self.rng.below(4) {
            0 => format!(
                "Member States assess that {subject} has {text} {unit} at its disposal, the report said."
            ),
            1 => format!(
                "Estimates shared with the authors put the number of {unit} of {subject} at {text}."
            ),
            2 => format!(
                "Officials counted {text} {unit} in their latest assessment of the group's strength."
            ),
            _ => format!(
                "The figure for {subject} now stands at {text} {unit}, according to the document."
            ),
        })
    }

    fn quantity(&mut self, v: u64, mode: Mode, pct: bool, unit: &str) -> (String, String) {
        let (lit, text, form) = quantity(&mut self.rng, v, mode, pct, unit);
        *self.forms.entry(form).or_insert(0) += 1;
        (lit, text)
    }

    /// Years for a series of `slots` periods, two years apart or more, before the subject's
    /// end.
    fn slot_years(&mut self, subject: usize, slots: usize) -> Vec<i32> {
        let last = self.ents.all[subject]
            .end
            .map_or(LAST_SLOT_YEAR, |d| (d.0 - 1).min(LAST_SLOT_YEAR));
        let span = last - FIRST_YEAR;
        let slots = slots.min((span / 2 + 1).max(1) as usize);
        let slack = span - 2 * (slots as i32 - 1);
        let mut y = FIRST_YEAR + self.rng.range(0, i64::from(slack.max(0))) as i32;
        let mut out = Vec::new();
        for _ in 0..slots {
            out.push(y);
            let room = last - y - 2 * (slots - out.len()) as i32;
            y += 2 + if room > 0 {
                self.rng.range(0, i64::from(room.min(2))) as i32
            } else {
                0
            };
        }
        out
    }

    fn claims_per_slot(&mut self) -> usize {
        let mut k = 1;
        while k < 6 && self.rng.chance(0.5) {
            k += 1;
        }
        k
    }

    /// One source and `as_of` for a claim of year `y`: either no `as_of` and a source of that
    /// year, or a written `as_of` inside the year and a later source.
    fn placed(&mut self, y: i32, whole: bool, written: bool) -> (usize, Option<String>) {
        if written || whole {
            let as_of = as_of_within(&mut self.rng, y, whole);
            (self.source_in(y + 1, y + 2), Some(as_of))
        } else {
            (self.source_in(y, y), None)
        }
    }

    fn level_series(&mut self, p: usize) {
        let Ty::Level { lo, hi, pct } = PROPS[p].ty else {
            unreachable!()
        };
        let scoped = self.rng.chance(0.12);
        let Some((subject, scope)) = self.fresh_series(p, scoped) else {
            return;
        };
        let unit = PROPS[p].unit;
        let factor = scope.map_or(1.0, |s| {
            SCOPES.iter().find(|x| x.0 == s).map_or(1.0, |x| x.1)
        });
        let e = &self.ents.all[subject];
        let base = if PROPS[p].id == "fighters" {
            e.size * factor * self.rng.uniform(0.85, 1.15)
        } else {
            self.rng.log_uniform(lo, hi) * factor
        };
        let multi = self.rng.chance(0.45);
        let slots = if multi { 2 + self.rng.below(3) } else { 1 };
        let years = self.slot_years(subject, slots);
        let mode = if years.len() > 1 {
            Mode::Tight
        } else {
            Mode::Any
        };
        let mut v = if mode == Mode::Any && self.rng.chance(0.5) {
            round2(base) as f64
        } else {
            base.round()
        };
        let undated_ok = mode == Mode::Tight && !self.undated.is_empty() && self.rng.chance(0.05);
        let mut lowest = f64::MAX;
        for (slot, &y) in years.iter().enumerate() {
            if slot > 0 {
                v = (v * self.rng.uniform(0.965, 1.035)).round();
            }
            lowest = lowest.min(v);
            let k = self.claims_per_slot();
            for j in 0..k {
                let whole = mode == Mode::Any && j == 0;
                let written = self.rng.chance(0.35);
                let (src, as_of) = self.placed(y, whole, written);
                let (value, text) = self.quantity(v as u64, mode, pct, unit);
                let subj = self.subject_text(subject);
                let quote = self.quote_for(&subj, unit, &text);
                let c = Claim {
                    subject: subj,
                    property: PROPS[p].id,
                    value,
                    as_of,
                    scope: scope.map(str::to_string),
                    quote,
                    ..Claim::default()
                };
                self.emit_with_relays(src, &c);
            }
        }
        if undated_ok {
            // An undated source's vaguer figure, compatible with every period.
            let src = *self.rng.pick(&self.undated.clone());
            let c = Claim {
                subject: self.subject_text(subject),
                property: PROPS[p].id,
                value: quoted(&format!(
                    "at least {}",
                    comma((lowest * 0.5).floor().max(1.0) as u64)
                )),
                scope: scope.map(str::to_string),
                ..Claim::default()
            };
            self.emit(src, &c);
        }
    }

    fn count_series(&mut self, p: usize) {
        let Ty::Count { lo, hi } = PROPS[p].ty else {
            unreachable!()
        };
        let Some((subject, _)) = self.fresh_series(p, false) else {
            return;
        };
        let unit = PROPS[p].unit;
        let total = self.rng.log_uniform(lo, hi);
        let slots = 1 + self.rng.below(2);
        let years = self.slot_years(subject, slots);
        for y in years {
            let months: Vec<f64> = (0..12)
                .map(|_| total / 12.0 * self.rng.uniform(0.5, 1.5))
                .collect();
            let mut used: Vec<(u32, u32)> = Vec::new();
            for _ in 0..self.claims_per_slot() {
                let (a, b) = if !used.is_empty() && self.rng.chance(0.4) {
                    *self.rng.pick(&used)
                } else {
                    let periods: [(u32, u32); 8] = [
                        (1, 12),
                        (1, 3),
                        (4, 6),
                        (7, 9),
                        (10, 12),
                        (1, 6),
                        (7, 12),
                        (9, 12),
                    ];
                    if self.rng.chance(0.75) {
                        *self.rng.pick(&periods)
                    } else {
                        let a = self.rng.range(1, 11) as u32;
                        (a, (a + self.rng.range(0, 3) as u32).min(12))
                    }
                };
                used.push((a, b));
                let truth: f64 = months[a as usize - 1..b as usize].iter().sum();
                let (value, text) = self.quantity(truth.round() as u64, Mode::Any, false, unit);
                let as_of = quoted(&month_period(&mut self.rng, y, a, b));
                let src = self.source_in(y + 1, y + 2);
                let subj = self.subject_text(subject);
                let quote = self.quote_for(&subj, unit, &text);
                let c = Claim {
                    subject: subj,
                    property: PROPS[p].id,
                    value,
                    as_of: Some(as_of),
                    quote,
                    ..Claim::default()
                };
                self.emit_with_relays(src, &c);
            }
        }
    }

    fn date_series(&mut self, p: usize, subject: Option<usize>) {
        let (subject, day) = match subject {
            Some(s) => (s, self.ents.all[s].end.expect("an end")),
            None => {
                let Some((s, _)) = self.fresh_series(p, false) else {
                    return;
                };
                let last = self.ents.all[s].end.map_or(2015, |d| (d.0 - 2).min(2015));
                {
                    let y = self.rng.range(1985, i64::from(last)) as i32;
                    (s, random_day(&mut self.rng, y))
                }
            }
        };
        for _ in 0..self.claims_per_slot() {
            let (value, text) = date_containing(&mut self.rng, day);
            let src = self.source_in((day.0 + 1).max(FIRST_YEAR), day.0 + 4);
            let subj = self.subject_text(subject);
            let quote = self.rng.chance(0.3).then(|| match PROPS[p].id {
                "death_date" => format!("{subj} was killed in {text}."),
                "dissolved" => format!("{subj} was dismantled in {text}."),
                _ => format!("{subj} was founded in {text}."),
            });
            let c = Claim {
                subject: subj,
                property: PROPS[p].id,
                value,
                quote,
                ..Claim::default()
            };
            self.emit_with_relays(src, &c);
        }
    }

    fn entity_series(&mut self, p: usize) {
        let Ty::Entity(target_kind) = PROPS[p].ty else {
            unreachable!()
        };
        let Some((subject, _)) = self.fresh_series(p, false) else {
            return;
        };
        let n = if target_kind == Kind::Country {
            1
        } else {
            1 + self.rng.below(3)
        };
        let years = self.slot_years(subject, n);
        let mut target = self.random_of(&[target_kind]);
        for y in years {
            if self.rng.chance(0.5) {
                target = self.random_of(&[target_kind]);
            }
            for j in 0..self.claims_per_slot() {
                let (whole, written) = (j == 0 && self.rng.chance(0.5), self.rng.chance(0.3));
                let (src, as_of) = self.placed(y, whole, written);
                let subj = self.subject_text(subject);
                let name = self.entity_text(target);
                let quote = self
                    .rng
                    .chance(0.15)
                    .then(|| format!("{subj} is linked to {name}."));
                let c = Claim {
                    subject: subj,
                    property: PROPS[p].id,
                    value: quoted(&name),
                    as_of,
                    quote,
                    ..Claim::default()
                };
                self.emit_with_relays(src, &c);
            }
        }
    }

    fn set_series(&mut self, p: usize) {
        let Ty::Set(kind) = PROPS[p].ty else {
            unreachable!()
        };
        let Some((subject, _)) = self.fresh_series(p, false) else {
            return;
        };
        let slots = 1 + self.rng.below(2);
        let years = self.slot_years(subject, slots);
        for y in years {
            for _ in 0..self.claims_per_slot() {
                let written = self.rng.chance(0.3);
                let (src, as_of) = self.placed(y, false, written);
                let value = if self.rng.chance(0.05) {
                    if self.rng.chance(0.5) {
                        "\"none\"".to_string()
                    } else {
                        "[]".to_string()
                    }
                } else if self.rng.chance(0.15) {
                    let t = self.random_of(&[kind]);
                    quoted(&self.entity_text(t))
                } else {
                    let items: Vec<String> = (0..1 + self.rng.below(4))
                        .map(|_| {
                            let t = self.random_of(&[kind]);
                            quoted(&self.entity_text(t))
                        })
                        .collect();
                    format!("[{}]", items.join(", "))
                };
                let c = Claim {
                    subject: self.subject_text(subject),
                    property: PROPS[p].id,
                    value,
                    as_of,
                    ..Claim::default()
                };
                self.emit_with_relays(src, &c);
            }
        }
    }

    fn text_series(&mut self, p: usize) {
        let Some((subject, _)) = self.fresh_series(p, false) else {
            return;
        };
        let single = PROPS[p].id == "birth_place";
        let slots = 1 + self.rng.below(2);
        let years = self.slot_years(subject, slots);
        let place = self.random_of(&[Kind::Province]);
        let fixed = format!(
            "{} district, {}",
            self.ents.all[place].name,
            self.ents.all[self.ents.all[place].part_of.unwrap_or(place)].name
        );
        for y in years {
            for _ in 0..self.claims_per_slot() {
                let written = self.rng.chance(0.3);
                let (src, as_of) = self.placed(y, false, written);
                let text = if single {
                    if self.rng.chance(0.2) {
                        fixed.to_lowercase()
                    } else {
                        fixed.clone()
                    }
                } else {
                    self.rng.pick(POSITIONS).to_string()
                };
                let c = Claim {
                    subject: self.subject_text(subject),
                    property: PROPS[p].id,
                    value: quoted(&text),
                    as_of,
                    ..Claim::default()
                };
                self.emit_with_relays(src, &c);
            }
        }
    }

    // --------------------------------------------------------------------------------------
    // Planted problems: each on series of its own, so that it causes exactly its finding.

    fn plant(&mut self, what: &'static str) {
        *self.planted.entry(what).or_insert(0) += 1;
    }

    fn plain_claim(
        &mut self,
        subject: usize,
        p: usize,
        value: String,
        as_of: Option<String>,
        scope: Option<&str>,
    ) -> Claim {
        Claim {
            subject: self.subject_text(subject),
            property: PROPS[p].id,
            value,
            as_of,
            scope: scope.map(str::to_string),
            ..Claim::default()
        }
    }

    fn plant_conflict(&mut self) {
        let y = self
            .rng
            .range(i64::from(FIRST_YEAR), i64::from(LAST_SLOT_YEAR - 1)) as i32;
        match self.rng.below(4) {
            0 | 1 => {
                const KINDS: [&str; 3] = ["members", "training_camps", "funding_usd"];
                let id = KINDS[self.rng.below(KINDS.len())];
                let p = prop(id);
                let Some((s, _)) = self.fresh_series(p, false) else {
                    return;
                };
                if self.ents.all[s].end.is_some_and(|d| d.0 <= y + 1) {
                    return;
                }
                let Ty::Level { lo, hi, .. } = PROPS[p].ty else {
                    return;
                };
                let v = round2(self.rng.log_uniform(lo, hi)).max(4);
                let w = round2(v as f64 * self.rng.uniform(1.5, 2.5));
                for x in [v, w] {
                    let c = self.plain_claim(
                        s,
                        p,
                        quoted(&comma(x)),
                        Some(quoted(&y.to_string())),
                        None,
                    );
                    let src = self.source_in(y + 1, y + 2);
                    self.emit(src, &c);
                }
                self.plant("conflict (quantity)");
            }
            2 => {
                let p = prop("leader");
                let Some((s, _)) = self.fresh_series(p, false) else {
                    return;
                };
                if self.ents.all[s].end.is_some_and(|d| d.0 <= y + 1) {
                    return;
                }
                let a = self.random_of(&[Kind::Person]);
                let mut b = self.random_of(&[Kind::Person]);
                while b == a {
                    b = self.random_of(&[Kind::Person]);
                }
                for t in [a, b] {
                    let name = self.entity_text(t);
                    let c =
                        self.plain_claim(s, p, quoted(&name), Some(quoted(&y.to_string())), None);
                    let src = self.source_in(y + 1, y + 2);
                    self.emit(src, &c);
                }
                self.plant("conflict (entity)");
            }
            _ => {
                let p = prop("founded");
                let Some((s, _)) = self.fresh_series(p, false) else {
                    return;
                };
                if self.ents.all[s].end.is_some_and(|d| d.0 <= 2012) {
                    return;
                }
                let fy = self.rng.range(1990, 2005) as i32;
                for year in [fy, fy + 3] {
                    let c = self.plain_claim(s, p, quoted(&year.to_string()), None, None);
                    let src = self.source_in(2010, 2012);
                    self.emit(src, &c);
                }
                self.plant("conflict (date)");
            }
        }
    }

    fn plant_denial(&mut self) {
        if self.party_sources.is_empty() {
            return;
        }
        let src = *self.rng.pick(&self.party_sources.clone());
        let Some(group) = self.sources[src].party else {
            return;
        };
        let Some(y) = self.sources[src].year() else {
            return;
        };
        let y = y - 1;
        let p = prop("training_camps");
        if y < FIRST_YEAR
            || !self.series.insert((group, p, String::new()))
            || self.ents.all[group].end.is_some_and(|d| d.0 <= y)
        {
            return;
        }
        let v = self.rng.range(2, 12) as u64;
        let report = self.plain_claim(
            group,
            p,
            quoted(&v.to_string()),
            Some(quoted(&y.to_string())),
            None,
        );
        let from = self.source_in(y + 1, y + 1);
        self.emit(from, &report);
        let mut denial = self.plain_claim(
            group,
            p,
            quoted("at least 1"),
            Some(quoted(&y.to_string())),
            None,
        );
        denial.status = Some("denied");
        self.emit(src, &denial);
        self.plant("conflict (denial)");
    }

    fn plant_drift(&mut self) {
        let p = prop("members");
        let Some((s, _)) = self.fresh_series(p, false) else {
            return;
        };
        let years = self.slot_years(s, 2);
        if years.len() < 2 {
            return;
        }
        let v = round2(self.rng.log_uniform(500.0, 20_000.0));
        for (y, x) in years.iter().zip([v, round2(v as f64 * 1.8)]) {
            let value = quoted(&format!("around {}", comma(x)));
            let c = self.plain_claim(s, p, value, Some(quoted(&y.to_string())), None);
            let src = self.source_in(y + 1, y + 2);
            self.emit(src, &c);
        }
        self.plant("drift");
    }

    fn plant_misquote(&mut self) {
        let p = prop("members");
        let Some((s, _)) = self.fresh_series(p, false) else {
            return;
        };
        for _ in 0..20 {
            let origin = self.source_in(FIRST_YEAR, LAST_YEAR - 1);
            if self.sources[origin].citers.is_empty() {
                continue;
            }
            let Some(y) = self.sources[origin].year() else {
                continue;
            };
            if self.ents.all[s].end.is_some_and(|d| d.0 <= y) {
                return;
            }
            let v = round2(self.rng.log_uniform(500.0, 20_000.0));
            let c = self.plain_claim(s, p, quoted(&comma(v)), None, None);
            self.emit(origin, &c);
            let said = format!("between {} and {}", comma(v), comma(round2(v as f64 * 1.3)));
            let mut relay = self.plain_claim(s, p, quoted(&said), None, None);
            relay.according_to = Some(origin);
            let to = *self.rng.pick(&self.sources[origin].citers.clone());
            self.emit(to, &relay);
            self.plant("misquote");
            return;
        }
    }

    fn plant_part_exceeds_whole(&mut self) {
        if self.rng.chance(0.5) {
            // A faction with more fighters than its group, in the same scope and year.
            let factions = self.by_kind[&kind_key(Kind::Faction)].clone();
            let f = *self.rng.pick(&factions);
            let Some(g) = self.ents.all[f].part_of else {
                return;
            };
            let p = prop("fighters");
            let scope = *self.rng.pick(&[
                "in the northern districts",
                "in the border areas",
                "in urban cells",
            ]);
            if self.series.contains(&(g, p, scope.to_string()))
                || self.series.contains(&(f, p, scope.to_string()))
            {
                return;
            }
            let end = [g, f]
                .iter()
                .filter_map(|&e| self.ents.all[e].end)
                .map(|d| d.0)
                .min();
            let y = self.rng.range(
                i64::from(FIRST_YEAR),
                i64::from(end.map_or(LAST_SLOT_YEAR, |e| (e - 1).min(LAST_SLOT_YEAR))),
            ) as i32;
            self.series.insert((g, p, scope.to_string()));
            self.series.insert((f, p, scope.to_string()));
            let v = round2(self.rng.log_uniform(100.0, 2_000.0));
            for (e, x) in [(g, v), (f, round2(v as f64 * 1.5))] {
                let c = self.plain_claim(
                    e,
                    p,
                    quoted(&comma(x)),
                    Some(quoted(&y.to_string())),
                    Some(scope),
                );
                let src = self.source_in(y + 1, y + 2);
                self.emit(src, &c);
            }
        } else {
            // A count over a quarter above the count over its year.
            let p = prop("arrests");
            let Some((s, _)) = self.fresh_series(p, false) else {
                return;
            };
            let y = self
                .rng
                .range(i64::from(FIRST_YEAR), i64::from(LAST_SLOT_YEAR)) as i32;
            let v = round2(self.rng.log_uniform(50.0, 2_000.0));
            for (period, x) in [
                (format!("{y}"), v),
                (format!("Q2 {y}"), round2(v as f64 * 1.5)),
            ] {
                let c = self.plain_claim(s, p, quoted(&comma(x)), Some(quoted(&period)), None);
                let src = self.source_in(y + 1, y + 2);
                self.emit(src, &c);
            }
        }
        self.plant("part-exceeds-whole");
    }

    fn plant_after_terminal(&mut self) {
        let persons = self.by_kind[&kind_key(Kind::Person)].clone();
        for _ in 0..50 {
            let s = *self.rng.pick(&persons);
            let Some(end) = self.ents.all[s].end else {
                continue;
            };
            if end.0 + 1 > LAST_SLOT_YEAR + 1 {
                continue;
            }
            let y = end.0 + 1;
            let position = quoted(POSITIONS[self.rng.below(POSITIONS.len())]);
            let c = self.plain_claim(
                s,
                prop("position"),
                position,
                Some(quoted(&y.to_string())),
                None,
            );
            let src = self.source_in(y + 1, y + 2);
            self.emit(src, &c);
            self.plant("after-terminal");
            return;
        }
    }

    fn plant_anachronism(&mut self) {
        let p = prop("training_camps");
        let Some((s, _)) = self.fresh_series(p, false) else {
            return;
        };
        let y = self
            .rng
            .range(i64::from(FIRST_YEAR), i64::from(LAST_SLOT_YEAR - 2)) as i32;
        if self.ents.all[s].end.is_some_and(|d| d.0 <= y + 3) {
            return;
        }
        let v = quoted(&self.rng.range(2, 30).to_string());
        let c = self.plain_claim(s, p, v, Some(quoted(&(y + 2).to_string())), None);
        let src = self.source_in(y, y);
        self.emit(src, &c);
        self.plant("anachronism");
    }

    fn plant_quote_mismatch(&mut self) {
        let p = prop("training_camps");
        let Some((s, _)) = self.fresh_series(p, false) else {
            return;
        };
        let y = self
            .rng
            .range(i64::from(FIRST_YEAR), i64::from(LAST_SLOT_YEAR)) as i32;
        if self.ents.all[s].end.is_some_and(|d| d.0 <= y) {
            return;
        }
        let v = self.rng.range(3, 30) as u64;
        let mut c = self.plain_claim(s, p, quoted(&v.to_string()), None, None);
        c.quote = Some(format!(
            "Officials counted {} camps in their latest assessment.",
            v * 2 + 1
        ));
        let src = self.source_in(y, y);
        self.emit(src, &c);
        self.plant("quote-mismatch");
    }

    fn plant_unattributed(&mut self, used: &mut HashSet<usize>) {
        let p = prop("training_camps");
        for _ in 0..20 {
            let src = *self.rng.pick(&self.citing.clone());
            if used.contains(&src) {
                continue;
            }
            let Some(y) = self.sources[src].year() else {
                continue;
            };
            let Some((s, _)) = self.fresh_series(p, false) else {
                return;
            };
            if self.ents.all[s].end.is_some_and(|d| d.0 <= y) {
                return;
            }
            used.insert(src);
            let v = quoted(&self.rng.range(2, 30).to_string());
            let c = self.plain_claim(s, p, v, None, None);
            self.emit(src, &c);
            self.plant("unattributed (sources)");
            return;
        }
    }

    fn plant_cycle(&mut self, used: &mut HashSet<usize>) {
        for _ in 0..20 {
            let a = *self.rng.pick(&self.citing.clone());
            let b = *self.rng.pick(&self.citing.clone());
            if a == b || used.contains(&a) || used.contains(&b) {
                continue;
            }
            used.insert(a);
            used.insert(b);
            self.sources[a].cites.push(b);
            self.sources[b].cites.push(a);
            self.plant("circular-citation");
            return;
        }
    }

    fn plant_lookalike(&mut self, silenced: bool) {
        let persons = self.by_kind[&kind_key(Kind::Person)].clone();
        for _ in 0..20 {
            let a = *self.rng.pick(&persons);
            let Some(name) = vowel_variant(&self.ents.all[a].name, 0) else {
                continue;
            };
            let Some(b) = self.ents.add_named(&mut self.rng, Kind::Person, None, name) else {
                continue;
            };
            self.by_kind
                .get_mut(&kind_key(Kind::Person))
                .expect("persons")
                .push(b);
            if silenced {
                self.ents.all[b].not_same_as.push(a);
                self.plant("look-alike names silenced by not_same_as");
            } else {
                self.plant("alias-suspect");
            }
            return;
        }
    }

    fn generate(&mut self, n: usize) {
        // Dead people and dissolved groups first: their end dates.
        for e in 0..self.ents.all.len() {
            if self.ents.all[e].end.is_some() {
                let p = if self.ents.all[e].kind == Kind::Person {
                    prop("death_date")
                } else {
                    prop("dissolved")
                };
                self.series.insert((e, p, String::new()));
                self.date_series(p, Some(e));
            }
        }
        let budget = n.saturating_sub(n / 100 + n / 400 + 40);
        let weights: Vec<u32> = PROPS.iter().map(|p| p.weight).collect();
        let mut misses = 0;
        while self.claims < budget && misses < 10_000 {
            let before = self.claims;
            let p = self.rng.weighted(&weights);
            match PROPS[p].ty {
                Ty::Level { .. } => self.level_series(p),
                Ty::Count { .. } => self.count_series(p),
                Ty::Date => self.date_series(p, None),
                Ty::Entity(_) => self.entity_series(p),
                Ty::Set(_) => self.set_series(p),
                Ty::Text => self.text_series(p),
            }
            misses = if self.claims == before { misses + 1 } else { 0 };
        }
        // Planted problems: 1% of claims in conflicting pairs, the rest fewer.
        for _ in 0..(n / 200).max(4) {
            self.plant_conflict();
        }
        let some = (n / 1000).max(2);
        let few = (n / 2000).max(1);
        for _ in 0..some {
            self.plant_drift();
            self.plant_misquote();
        }
        let mut used_sources = HashSet::new();
        for _ in 0..few {
            self.plant_part_exceeds_whole();
            self.plant_after_terminal();
            self.plant_anachronism();
            self.plant_quote_mismatch();
            self.plant_denial();
        }
        for _ in 0..(n / 5000).max(1) {
            self.plant_unattributed(&mut used_sources);
            self.plant_lookalike(false);
            self.plant_lookalike(true);
        }
        for _ in 0..(n / 50_000).max(1) {
            self.plant_cycle(&mut used_sources);
        }
    }

    // --------------------------------------------------------------------------------------
    // Output

    fn entities_toml(&self) -> String {
        let mut out = String::from(
            "# Entities of a generated data set (examples/gen.rs): countries, provinces, groups, their\n\
             # factions (part_of) and people. Aliases are other spellings.\n",
        );
        for e in &self.ents.all {
            out.push_str("\n[[entity]]\n");
            let _ = writeln!(out, "id = \"{}\"", e.id);
            let _ = writeln!(out, "name = {}", quoted(&e.name));
            let kind = match e.kind {
                Kind::Group | Kind::Faction => "group",
                Kind::Person => "person",
                Kind::Country | Kind::Province => "place",
            };
            let _ = writeln!(out, "kind = \"{kind}\"");
            if !e.aliases.is_empty() {
                let list: Vec<String> = e.aliases.iter().map(|a| quoted(a)).collect();
                let _ = writeln!(out, "aliases = [{}]", list.join(", "));
            }
            if let Some(p) = e.part_of {
                let _ = writeln!(out, "part_of = \"{}\"", self.ents.all[p].id);
            }
            if !e.not_same_as.is_empty() {
                let list: Vec<String> = e
                    .not_same_as
                    .iter()
                    .map(|&x| quoted(&self.ents.all[x].id))
                    .collect();
                let _ = writeln!(out, "not_same_as = [{}]", list.join(", "));
            }
        }
        out
    }

    fn properties_toml() -> String {
        let mut out = String::from("# Properties of a generated data set (examples/gen.rs).\n");
        for p in PROPS {
            out.push_str("\n[[property]]\n");
            let _ = writeln!(out, "id = \"{}\"", p.id);
            let ty = match p.ty {
                Ty::Level { .. } | Ty::Count { .. } => "quantity",
                Ty::Date => "date",
                Ty::Entity(_) => "entity",
                Ty::Set(_) => "set",
                Ty::Text => "text",
            };
            let _ = writeln!(out, "type = \"{ty}\"");
            if !p.unit.is_empty() {
                let _ = writeln!(out, "unit = \"{}\"", p.unit);
            }
            out.push_str(p.extra);
            let _ = writeln!(out, "description = {}", quoted(p.description));
        }
        out
    }

    fn source_toml(&self, s: &Source) -> String {
        let mut out = String::with_capacity(s.claims.len() + 400);
        let _ = writeln!(out, "# {} — generated by examples/gen.rs.\n", s.title);
        out.push_str("[[source]]\n");
        let _ = writeln!(out, "id = \"{}\"", s.id);
        let _ = writeln!(out, "title = {}", quoted(&s.title));
        let _ = writeln!(out, "publisher = {}", quoted(s.publisher));
        if s.date.is_some() {
            let _ = writeln!(out, "published = {}", s.published);
        }
        let _ = writeln!(
            out,
            "kind = \"{}\"",
            if s.primary { "primary" } else { "secondary" }
        );
        if let Some(g) = &s.grade {
            let _ = writeln!(out, "grade = \"{g}\"");
        }
        if let Some(a) = &s.author {
            let _ = writeln!(out, "author = \"{a}\"");
        }
        if s.url {
            let _ = writeln!(out, "url = \"https://example.org/{}\"", s.id);
        }
        if let Some(p) = s.party {
            let _ = writeln!(out, "party = \"{}\"", self.ents.all[p].id);
        }
        if !s.cites.is_empty() {
            let list: Vec<String> = s
                .cites
                .iter()
                .map(|&c| quoted(&self.sources[c].id))
                .collect();
            let _ = writeln!(out, "cites = [{}]", list.join(", "));
        }
        out.push_str(&s.claims);
        out
    }
}

/// A source published on `date`; `primary` forces its kind (else drawn with its publisher).
fn make_source(rng: &mut Rng, k: usize, date: Ymd, primary: Option<bool>) -> Source {
    let undated = primary.is_none() && rng.chance(0.02);
    let (publisher, drawn) = *rng.pick(PUBLISHERS);
    let primary = primary.unwrap_or(drawn && rng.chance(0.85));
    let pub_slug = slug(&publisher.replace('\'', ""));
    let id = format!("{pub_slug}-{:04}{:02}{:02}-{k}", date.0, date.1, date.2);
    let published = if rng.chance(0.1) {
        quoted(&format!("{} {}", english_month(date.1), date.0))
    } else {
        date.toml()
    };
    // A source's share of the claims: heavy-tailed, like real reports and articles.
    let u = rng.unit().max(1e-6);
    let weight = ((1.0 / u.powf(0.75)).min(60.0) * 10.0) as u32;
    let title = format!(
        "{} {}",
        rng.pick(&[
            "Report on",
            "Briefing:",
            "Update on",
            "Analysis of",
            "Statement on",
            "Monitoring of"
        ]),
        rng.pick(&[
            "armed groups",
            "the security situation",
            "militant financing",
            "cross-border attacks",
            "displacement",
            "leadership changes"
        ])
    );
    Source {
        id,
        title,
        publisher,
        date: (!undated).then_some(date),
        published,
        primary,
        cites: Vec::new(),
        citers: Vec::new(),
        party: None,
        weight,
        grade: rng.chance(0.5).then(|| {
            format!(
                "{}{}",
                (b'A' + rng.below(5) as u8) as char,
                1 + rng.below(5)
            )
        }),
        url: rng.chance(0.4),
        author: rng
            .chance(0.3)
            .then(|| format!("Analyst {}", 1 + rng.below(400))),
        claims: String::new(),
        n_claims: 0,
    }
}

fn usage() -> ExitCode {
    eprintln!("usage: cargo run --release --example gen -- OUT N [--seed S]");
    eprintln!("writes about N claims into the folder OUT (which must not exist, or be empty)");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut positional = Vec::new();
    let mut seed = 1u64;
    let mut i = 0;
    while i < args.len() {
        if args[i] == "--seed" {
            let Some(s) = args.get(i + 1).and_then(|s| s.parse().ok()) else {
                return usage();
            };
            seed = s;
            i += 2;
        } else if args[i] == "-h" || args[i] == "--help" {
            usage();
            return ExitCode::SUCCESS;
        } else {
            positional.push(args[i].clone());
            i += 1;
        }
    }
    let [out, n] = positional.as_slice() else {
        return usage();
    };
    let Ok(n) = n.replace('_', "").parse::<usize>() else {
        return usage();
    };
    let out = PathBuf::from(out);
    if let Ok(mut entries) = std::fs::read_dir(&out)
        && entries.next().is_some()
    {
        eprintln!(
            "error: {} exists and is not empty; give a new folder",
            out.display()
        );
        return ExitCode::from(2);
    }
    match run(&out, n, seed) {
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: cannot write {}: {e}", out.display());
            ExitCode::from(2)
        }
    }
}

/// Writes the data set and prints what it holds; returns the planted problems by kind.
pub fn run(out: &Path, n: usize, seed: u64) -> std::io::Result<BTreeMap<&'static str, usize>> {
    let mut g = Gen::new(n, seed);
    g.generate(n);
    std::fs::create_dir_all(out)?;
    let mut bytes = 0usize;
    let mut write = |path: PathBuf, text: &str| -> std::io::Result<()> {
        bytes += text.len();
        std::fs::write(path, text)
    };
    write(out.join("entities.toml"), &g.entities_toml())?;
    write(out.join("properties.toml"), &Gen::properties_toml())?;
    let mut files = 2;
    let mut largest = 0;
    for s in &g.sources {
        let dir = out.join(s.year().map_or("undated".to_string(), |y| y.to_string()));
        std::fs::create_dir_all(&dir)?;
        write(dir.join(format!("{}.toml", s.id)), &g.source_toml(s))?;
        files += 1;
        largest = largest.max(s.n_claims);
    }
    let mut report = String::new();
    let _ = writeln!(
        report,
        "wrote {} into {}",
        plural(g.claims, "claim"),
        out.display()
    );
    let _ = writeln!(
        report,
        "  {}, {}, {} properties, {} ({} bytes, {:.0} bytes per claim; largest source {})",
        plural(g.sources.len(), "source"),
        plural(g.ents.all.len(), "entity"),
        PROPS.len(),
        plural(files, "file"),
        bytes,
        bytes as f64 / g.claims.max(1) as f64,
        plural(largest as usize, "claim"),
    );
    let _ = writeln!(report, "  series: {}", g.series.len());
    let forms: Vec<String> = g.forms.iter().map(|(k, v)| format!("{k} {v}")).collect();
    let _ = writeln!(report, "  quantity forms: {}", forms.join(", "));
    let _ = writeln!(report, "planted:");
    for (what, count) in &g.planted {
        let _ = writeln!(report, "  {what}: {count}");
    }
    use std::io::Write as _;
    let _ = std::io::stdout().lock().write_all(report.as_bytes());
    Ok(g.planted)
}

fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else if let Some(stem) = what.strip_suffix('y') {
        format!("{n} {stem}ies")
    } else {
        format!("{n} {what}s")
    }
}
