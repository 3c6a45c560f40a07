//! A re-check after an edit, with the cache, must print what a check from scratch prints: the
//! same standard output, byte for byte, and the same exit status. This is the safety net of the
//! incremental re-check (which reuses the findings of the parts of the data set an edit cannot
//! have touched, and falls back to a full check when unsure): whatever it reuses, the report
//! must not show it.
//!
//! The data set is generated here (deterministic, no dependency): four families of entities
//! (a whole, its two wings, their battalions and cells: three levels of `part_of`), six entities
//! alone, eight files of claims spread over the families, and planted problems of most rules.
//! Each named edit starts from a fresh copy: a run fills the cache, the edit is made, a run with
//! the cache is compared with a run with `--no-cache`; then a second edit to another file (a
//! chain of cached runs), then both are undone.

mod common;

use std::fmt::Write as _;
use std::ops::Range;
use std::path::Path;
use std::time::Instant;

use common::{TODAY, code, copy_dir, crosscheck_command, example_copy, replace, stdout};

// ------------------------------------------------------------------------------------------
// Running crosscheck

/// What one run printed.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Run {
    status: i32,
    /// Everything printed: for [`check`], both reports.
    stdout: String,
    /// The JSON report alone.
    json: String,
    stderr: String,
}

/// `check` on the data set `data` in the two formats the re-check writes, JSON then human (in
/// color), one report after the other; run from inside it (`.`), so that the paths in the
/// reports are the same for every copy of a data set; with the cache unless `cache` is false.
fn check(data: &Path, cache: bool) -> Run {
    let json = check_as(data, cache, &["--format", "json"]);
    let human = check_as(data, cache, &["--format", "human", "--color", "always"]);
    Run {
        status: json.status,
        stdout: format!(
            "{}\n--- human, exit status {} ---\n{}",
            json.stdout, human.status, human.stdout
        ),
        json: json.stdout,
        stderr: format!("{}{}", json.stderr, human.stderr),
    }
}

fn check_as(data: &Path, cache: bool, format: &[&str]) -> Run {
    let mut command = crosscheck_command();
    command
        .args(["check", ".", "--today", TODAY])
        .args(format)
        .current_dir(data)
        .env("NO_COLOR", "1");
    if cache {
        // Says on standard error what the run reused ("recheck: partial: …").
        command.arg("--timings");
    } else {
        command.arg("--no-cache");
    }
    let out = command.output().expect("crosscheck runs");
    let err = String::from_utf8_lossy(&out.stderr);
    if err.contains("recheck: partial") {
        PARTIAL_RUNS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }
    Run {
        status: code(&out),
        stdout: stdout(&out),
        json: String::new(),
        stderr: err
            .lines()
            .filter(|l| !l.starts_with("timing:"))
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

/// How many cached runs recomputed only part of the report: the tests check that the partial
/// re-check is exercised, not only the full check it falls back to.
static PARTIAL_RUNS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// `None` when the two runs, named by their labels, printed the same thing and exited alike;
/// else what differs, with a diff of their standard outputs (cut short).
fn difference(
    what: &str,
    (a_label, a): (&str, &Run),
    (b_label, b): (&str, &Run),
) -> Option<String> {
    if a.status == b.status && a.stdout == b.stdout {
        return None;
    }
    let mut m = format!(
        "{what}: the run {a_label} differs from the run {b_label}\n  \
         exit status: {} {a_label}, {} {b_label}\n",
        a.status, b.status
    );
    if a.stdout != b.stdout {
        let diff = similar::TextDiff::from_lines(&b.stdout, &a.stdout)
            .unified_diff()
            .context_radius(3)
            .header(b_label, a_label)
            .to_string();
        let lines: Vec<&str> = diff.lines().collect();
        for line in lines.iter().take(80) {
            writeln!(m, "  {line}").unwrap();
        }
        if lines.len() > 80 {
            writeln!(m, "  … {} more lines of diff", lines.len() - 80).unwrap();
        }
    }
    for (label, run) in [(a_label, a), (b_label, b)] {
        if !run.stderr.is_empty() {
            let short: String = run.stderr.chars().take(1_500).collect();
            writeln!(m, "  stderr ({label}):\n{short}").unwrap();
        }
    }
    Some(m)
}

/// Runs `check` with the cache, then with `--no-cache` (which cannot touch the cache), and
/// records any difference under `what`. Returns the run with `--no-cache`.
fn compare(data: &Path, what: &str, failures: &mut Vec<String>) -> Run {
    let cached = check(data, true);
    let full = check(data, false);
    if let Some(d) = difference(
        what,
        ("with the cache", &cached),
        ("with --no-cache", &full),
    ) {
        failures.push(d);
    }
    full
}

// ------------------------------------------------------------------------------------------
// The generated data set

/// A tiny linear congruential generator (Knuth's MMIX constants): the data set never changes
/// with a dependency's version.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

/// A family: a whole, its parts, their parts, with the "true" figures every ordinary claim
/// agrees with.
struct Family {
    id: &'static str,
    name: &'static str,
    alias: &'static str,
    fighters: u64,
    attacks: u64,
    headquarters: &'static str,
    /// How claims name its leader (an entity id, name or alias).
    leader: &'static str,
}

const FAMILIES: [Family; 4] = [
    Family {
        id: "northern-front",
        name: "Northern Front",
        alias: "NF",
        fighters: 1_200,
        attacks: 60,
        headquarters: "the northern hills",
        leader: "abu-ahmed",
    },
    Family {
        id: "river-alliance",
        name: "River Alliance",
        alias: "RA",
        fighters: 3_000,
        attacks: 120,
        headquarters: "the river delta",
        leader: "commander-sami",
    },
    Family {
        id: "hill-movement",
        name: "Hill Movement",
        alias: "HM",
        fighters: 800,
        attacks: 30,
        headquarters: "the high plateau",
        leader: "Commander Sami",
    },
    Family {
        id: "coastal-brigades",
        name: "Coastal Brigades",
        alias: "CB",
        fighters: 5_000,
        attacks: 40,
        headquarters: "the harbour district",
        leader: "Abu Ahmad al-Tayyib",
    },
];

/// A member of every family: id suffix, name suffix, alias suffix, the member it is part of,
/// its share (percent) of the whole's figures. Direct parts add up to less than their whole.
struct Member {
    suffix: &'static str,
    name: &'static str,
    alias: &'static str,
    part_of: Option<usize>,
    share: u64,
}

const MEMBERS: [Member; 6] = [
    Member {
        suffix: "",
        name: "",
        alias: "",
        part_of: None,
        share: 100,
    },
    Member {
        suffix: "-east",
        name: " East Wing",
        alias: " East",
        part_of: Some(0),
        share: 40,
    },
    Member {
        suffix: "-west",
        name: " West Wing",
        alias: " West",
        part_of: Some(0),
        share: 30,
    },
    Member {
        suffix: "-east-1",
        name: " First Battalion",
        alias: " 1st Bn",
        part_of: Some(1),
        share: 15,
    },
    Member {
        suffix: "-east-2",
        name: " Second Battalion",
        alias: " 2nd Bn",
        part_of: Some(1),
        share: 10,
    },
    Member {
        suffix: "-west-1",
        name: " Western Cell",
        alias: " West Cell",
        part_of: Some(2),
        share: 10,
    },
];

/// The entities alone (no part_of, no parts): persons, groups, a place. Two of them are
/// spelling variants (alias-suspect).
const LONERS: &str = r#"
# ------------------------------ alone --------------------------------------------------------

[[entity]]
id = "abu-ahmed"
name = "Abu Ahmed al-Tayyib"
kind = "person"
aliases = ["Abu Ahmed"]

[[entity]]
id = "abu-ahmad"
name = "Abu Ahmad al-Tayyib"
kind = "person"

[[entity]]
id = "commander-sami"
name = "Sami Haddad"
kind = "person"
aliases = ["Commander Sami"]

[[entity]]
id = "lone-cell"
name = "Lone Cell"
kind = "group"
aliases = ["LC"]

[[entity]]
id = "desert-group"
name = "Desert Group"
kind = "group"
aliases = ["Sons of the Desert"]

[[entity]]
id = "port-city"
name = "Port City"
kind = "place"
"#;

fn entities_toml() -> String {
    let mut out = String::from(
        "# Entities: four families (a whole, two wings, their battalions and cells) and six alone.\n",
    );
    for family in &FAMILIES {
        writeln!(
            out,
            "\n# ------------------------------ {} ------------------------------",
            family.name
        )
        .unwrap();
        for member in &MEMBERS {
            writeln!(out, "\n[[entity]]").unwrap();
            writeln!(out, "id = \"{}{}\"", family.id, member.suffix).unwrap();
            writeln!(out, "name = \"{}{}\"", family.name, member.name).unwrap();
            writeln!(out, "kind = \"group\"").unwrap();
            writeln!(out, "aliases = [\"{}{}\"]", family.alias, member.alias).unwrap();
            if let Some(p) = member.part_of {
                writeln!(out, "part_of = \"{}{}\"", family.id, MEMBERS[p].suffix).unwrap();
            }
        }
    }
    out.push_str(LONERS);
    out
}

const PROPERTIES: &str = r#"# What claims say: an additive level, a count, two terminal dates, a text and an entity.

[[property]]
id = "fighters"
type = "quantity"
measure = "level"
unit = "fighters"
additive = true
description = "Armed strength at a time. Additive: a wing never has more fighters than its group."

[[property]]
id = "attacks"
type = "quantity"
measure = "count"
unit = "attacks"
description = "Attacks carried out in the claim's period."

[[property]]
id = "dissolution_date"
type = "date"
terminal = true

[[property]]
id = "death_date"
type = "date"
terminal = true

[[property]]
id = "headquarters"
type = "text"

[[property]]
id = "leader"
type = "entity"
"#;

const SETTINGS: &str = r#"[check]
approximation = "10%"
"#;

const RULES: &str = r#"# The data set's own rule settings.

[[rule]]
id = "drift"
threshold = "30%"

[[rule]]
id = "stale"
severity = "info"
max_age = "3 years"
where = { subject = ["lone-cell", "desert-group"] }
"#;

/// One file of claims: its head (source records and planted claims, written out) and the
/// ordinary claims generated after it.
struct SourceFile {
    file: &'static str,
    head: &'static str,
    /// The source of the generated claims, and whether they name it (`source = …`: the file
    /// has more than one source).
    source: &'static str,
    names_source: bool,
    year: u64,
    /// Generated claims: how many, their id prefix, the sources they may be according to
    /// (with their year), and a family they leave out.
    claims: usize,
    prefix: &'static str,
    relays: &'static [(&'static str, u64)],
    skip_family: Option<usize>,
}

/// Report Alpha's plain-text copy, which `quote-not-found` searches.
const REPORT_ALPHA_TEXT: &str = "texts/report-alpha.txt";
const REPORT_ALPHA_COPY: &str = "Monitoring Report Alpha\n\n4. The Northern Front has 1,200 \
fighters in the north, according to the team's estimates.\n";

const REPORT_ALPHA: &str = r#"# Monitoring report Alpha: a primary source.

[[source]]
id = "report-alpha"
title = "Monitoring Report Alpha"
publisher = "Monitoring Team"
published = 2022-06-30
kind = "primary"
grade = "A2"
text = "texts/report-alpha.txt"

[[claim]]
id = "ra-nf-2022"
subject = "northern-front"
property = "fighters"
value = "1,200"
as_of = "2022"
quote = "The Northern Front has 1,200 fighters"
locator = "para. 4"

[[claim]]
subject = "Northern Front"
property = "fighters"
value = "between 1,100 and 1,300"
as_of = "2022-01"
note = "no id: numbered with this source's claims in wire-service.toml"

[[claim]]
id = "ra-nfe"
subject = "NF East"
property = "fighters"
value = "480"
as_of = "2022"

[[claim]]
id = "ra-ra"
subject = "river-alliance"
property = "fighters"
value = "about 3,000"
as_of = "2022"

[[claim]]
id = "ra-rw-2022"
subject = "river-alliance-west"
property = "fighters"
value = "between 800 and 1,000"
as_of = "2022"

[[claim]]
id = "ra-hw1-dissolved"
subject = "hill-movement-west-1"
property = "dissolution_date"
value = "2021-11"

[[claim]]
id = "ra-abu-ahmed-death"
subject = "Abu Ahmed"
property = "death_date"
value = "2022-03-10"

[[claim]]
id = "ra-desert-2019"
subject = "desert-group"
property = "fighters"
value = "150"
as_of = "2019-02"

[[claim]]
id = "ra-lone-hq"
subject = "lone-cell"
property = "headquarters"
value = "Port City"
as_of = "2021"
"#;

const REPORT_BETA: &str = r#"# Monitoring report Beta: a primary source, a year later.

[[source]]
id = "report-beta"
title = "Monitoring Report Beta"
publisher = "Monitoring Team"
published = 2023-07-15
kind = "primary"
grade = "B2"

[[claim]]
id = "rb-nf-conflict"
subject = "northern-front"
property = "fighters"
value = "between 4,000 and 5,000"
as_of = "2023"
quote = "between 4,000 and 5,000 fighters"

[[claim]]
id = "rb-cb"
subject = "coastal-brigades"
property = "fighters"
value = "5,000"
as_of = "2023"

[[claim]]
id = "rb-ra-attacks-2022"
subject = "river-alliance"
property = "attacks"
value = "120"
as_of = "2022"

[[claim]]
id = "rb-cb-attacks-2023"
subject = "coastal-brigades"
property = "attacks"
value = "about 40"
as_of = "2023"

[[claim]]
id = "rb-hw1-after"
subject = "hill-movement-west-1"
property = "fighters"
value = "around 80"
as_of = "2023"

[[claim]]
id = "rb-leader-ra"
subject = "river-alliance"
property = "leader"
value = "abu-ahmad"
as_of = "2023"

[[claim]]
id = "rb-cb-hq"
subject = "coastal-brigades"
property = "headquarters"
value = "the harbour district"
as_of = "2023"
"#;

const SURVEY_GAMMA: &str = r#"# A field survey: primary, with hedged figures. No claim about the Hill Movement.

[[source]]
id = "survey-gamma"
title = "Field Survey Gamma"
published = 2024-02-01
kind = "primary"
grade = "C3"

[[claim]]
id = "sg-quote"
subject = "Lone Cell"
property = "fighters"
value = "300"
as_of = "2023"
quote = "about 250 fighters"

[[claim]]
id = "sg-unconfirmed"
subject = "northern-front"
property = "fighters"
value = "5,500"
as_of = "2023"
status = "unconfirmed"
"#;

const DAILY_NEWS: &str = r#"# A newspaper relaying report Alpha, not always faithfully.

[[source]]
id = "daily-news"
title = "Daily News: the monitoring report, summarised"
publisher = "Daily News"
published = 2022-08-01
kind = "secondary"
cites = "report-alpha"

[[claim]]
id = "dn-rw-low"
subject = "River Alliance West Wing"
property = "fighters"
value = "fewer than 100"
according_to = "report-alpha"
as_of = "2022"

[[claim]]
id = "dn-nfe-misquote"
subject = "northern-front-east"
property = "fighters"
value = "around 900"
according_to = "report-alpha"

[[claim]]
id = "dn-ra-relay"
subject = "RA"
property = "fighters"
value = "3,000"
according_to = "report-alpha"
quote = "some 3,000 fighters, the report says"

[[claim]]
subject = "lone-cell"
property = "headquarters"
value = "Port City"
"#;

const WEEKLY_DIGEST: &str = r#"# A weekly digest of both monitoring reports.

[[source]]
id = "weekly-digest"
title = "Weekly Digest"
published = 2023-09-01
kind = "secondary"
cites = ["report-alpha", "report-beta"]

[[claim]]
id = "wd-cb-e1-exceeds"
subject = "coastal-brigades-east-1"
property = "fighters"
value = "at least 6,000"
as_of = "2023"
according_to = "report-beta"

[[claim]]
id = "wd-ra-relay"
subject = "river-alliance"
property = "fighters"
value = "around 3,000"
according_to = "report-alpha"

[[claim]]
id = "wd-hm-drift"
subject = "hill-movement"
property = "fighters"
value = "around 300"
as_of = "2020"

[[claim]]
id = "wd-desert-2021"
subject = "Sons of the Desert"
property = "fighters"
value = "around 400"
as_of = "2021-08"

[[claim]]
subject = "coastal-brigades"
property = "fighters"
value = "between 4,500 and 5,500"
according_to = "report-beta"
"#;

const BLOG_ONE: &str = r#"# A blog that cites another blog, which cites it back.

[[source]]
id = "blog-one"
title = "Blog One"
published = 2024-03-01
kind = "secondary"
cites = "blog-two"

[[claim]]
id = "bo-anachronism"
subject = "desert-group"
property = "fighters"
value = "around 400"
as_of = "2024-06"
according_to = "blog-two"

[[claim]]
id = "bo-abu-after"
subject = "abu-ahmed"
property = "headquarters"
value = "Port City"
as_of = "2023"
according_to = "blog-two"
"#;

const BLOG_TWO: &str = r#"# The other blog. No claim about the Coastal Brigades.

[[source]]
id = "blog-two"
title = "Blog Two"
published = 2024-01-10
kind = "secondary"
cites = ["blog-one", "report-beta"]
"#;

const WIRE_SERVICE: &str = r#"# Two sources in one file, and a claim of report Alpha recorded here: every claim names its
# source.

[[source]]
id = "wire-service"
title = "Wire Service dispatches"
published = 2023-11-20
kind = "secondary"

[[source]]
id = "ministry-statement"
title = "Statement of the Ministry"
published = 2023-11-02
kind = "primary"
party = "coastal-brigades"

[[claim]]
id = "ms-denial"
source = "ministry-statement"
subject = "coastal-brigades"
property = "attacks"
value = "at least 1"
as_of = "2023"
status = "denied"

[[claim]]
id = "ws-ra-attacks-q3"
source = "wire-service"
subject = "river-alliance"
property = "attacks"
value = "150"
as_of = "Q3 2022"

[[claim]]
id = "ws-cb-hq"
source = "wire-service"
subject = "CB"
property = "headquarters"
value = "Port City"
as_of = "2023"

[[claim]]
source = "report-alpha"
subject = "northern-front"
property = "fighters"
value = "1,150"
as_of = "2022"
locator = "annex"
note = "a claim of report Alpha kept with the dispatches: its default id is numbered after report-alpha.toml's"

[[claim]]
id = "ws-dn-leader-hq"
source = "daily-news"
subject = "abu-ahmed"
property = "headquarters"
value = "the northern hills"
as_of = "2022"
note = "a claim of the Daily News kept here, unattributed, on a family daily-news.toml never names: an edit there rechecks it through its source"
"#;

const FILES: [SourceFile; 8] = [
    SourceFile {
        file: "report-alpha.toml",
        head: REPORT_ALPHA,
        source: "report-alpha",
        names_source: false,
        year: 2022,
        claims: 26,
        prefix: "ra",
        relays: &[],
        skip_family: None,
    },
    SourceFile {
        file: "report-beta.toml",
        head: REPORT_BETA,
        source: "report-beta",
        names_source: false,
        year: 2023,
        claims: 26,
        prefix: "rb",
        relays: &[],
        skip_family: None,
    },
    SourceFile {
        file: "survey-gamma.toml",
        head: SURVEY_GAMMA,
        source: "survey-gamma",
        names_source: false,
        year: 2023,
        claims: 14,
        prefix: "sg",
        relays: &[],
        skip_family: Some(2),
    },
    SourceFile {
        file: "daily-news.toml",
        head: DAILY_NEWS,
        source: "daily-news",
        names_source: false,
        year: 2022,
        claims: 20,
        prefix: "dn",
        relays: &[("report-alpha", 2022)],
        skip_family: None,
    },
    SourceFile {
        file: "weekly-digest.toml",
        head: WEEKLY_DIGEST,
        source: "weekly-digest",
        names_source: false,
        year: 2023,
        claims: 22,
        prefix: "wd",
        relays: &[("report-alpha", 2022), ("report-beta", 2023)],
        skip_family: None,
    },
    SourceFile {
        file: "blog-one.toml",
        head: BLOG_ONE,
        source: "blog-one",
        names_source: false,
        year: 2023,
        claims: 12,
        prefix: "bo",
        relays: &[("blog-two", 2023)],
        skip_family: None,
    },
    SourceFile {
        file: "blog-two.toml",
        head: BLOG_TWO,
        source: "blog-two",
        names_source: false,
        year: 2023,
        claims: 12,
        prefix: "bt",
        relays: &[("report-beta", 2023)],
        skip_family: Some(3),
    },
    SourceFile {
        file: "wire-service.toml",
        head: WIRE_SERVICE,
        source: "wire-service",
        names_source: true,
        year: 2023,
        claims: 16,
        prefix: "ws",
        relays: &[],
        skip_family: None,
    },
];

/// `n` with thousands separators.
fn commas(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A quantity claim's value around `t`, in one of the value language's forms; every form holds
/// `t`, so ordinary claims never contradict each other.
fn quantity(t: u64, form: usize) -> String {
    match form {
        0 => commas(t),
        1 => format!("around {}", commas(t)),
        2 => format!("between {} and {}", commas(t * 9 / 10), commas(t * 11 / 10)),
        3 => format!("at least {}", commas(t * 8 / 10)),
        4 => format!("up to {}", commas(t * 12 / 10)),
        _ => format!("{} fighters", commas(t)),
    }
}

/// The ordinary claims of one file: every one agrees with its family's figures.
fn generated_claims(spec: &SourceFile, rng: &mut Lcg) -> String {
    let mut out = String::new();
    for k in 0..spec.claims {
        let mut f = rng.below(FAMILIES.len());
        if Some(f) == spec.skip_family {
            f = (f + 1) % FAMILIES.len();
        }
        let family = &FAMILIES[f];
        let m = rng.below(MEMBERS.len());
        let member = &MEMBERS[m];
        let subject = match rng.below(3) {
            0 => format!("{}{}", family.id, member.suffix),
            1 => format!("{}{}", family.name, member.name),
            _ => format!("{}{}", family.alias, member.alias),
        };
        let relay = if !spec.relays.is_empty() && rng.below(3) != 0 {
            Some(spec.relays[rng.below(spec.relays.len())])
        } else {
            None
        };
        let mut year = spec.year - rng.below(3) as u64;
        if let Some((_, relay_year)) = relay {
            year = year.min(relay_year);
        }
        // No `as_of` (the source's date, or the relayed one's), a year, or a day in January.
        let as_of = match rng.below(4) {
            0 => None,
            1 | 2 => Some(format!("\"{year}\"")),
            _ => Some(format!("{year}-01-15")),
        };
        let kind = rng.below(10);
        let mut scope = None;
        let mut quote = None;
        let (property, value, as_of) = if kind < 6 || (kind == 9 && m != 0) {
            let mut t = family.fighters * member.share / 100;
            if rng.below(10) == 0 {
                scope = Some("including supporters");
                t *= 2;
            }
            let value = quantity(t, rng.below(6));
            if rng.below(3) == 0 {
                quote = Some(format!("the group has {value}"));
            }
            ("fighters", format!("\"{value}\""), as_of)
        } else if kind < 8 {
            // Counts compare over the very same days: a whole year each.
            let a = (family.attacks * member.share / 100).max(1);
            let value = match rng.below(3) {
                0 => commas(a),
                1 => format!("around {a}"),
                _ => format!("{a} attacks"),
            };
            (
                "attacks",
                format!("\"{value}\""),
                Some(format!("\"{year}\"")),
            )
        } else if kind == 8 {
            let hq = if m == 0 {
                family.headquarters.to_string()
            } else {
                format!("{}, {} quarter", family.headquarters, member.name.trim())
            };
            ("headquarters", format!("\"{hq}\""), as_of)
        } else {
            ("leader", format!("\"{}\"", family.leader), as_of)
        };

        out.push_str("\n[[claim]]\n");
        if rng.below(10) < 7 {
            writeln!(out, "id = \"{}-{k:02}\"", spec.prefix).unwrap();
        }
        if spec.names_source {
            writeln!(out, "source = \"{}\"", spec.source).unwrap();
        }
        writeln!(out, "subject = \"{subject}\"").unwrap();
        writeln!(out, "property = \"{property}\"").unwrap();
        writeln!(out, "value = {value}").unwrap();
        if let Some(a) = as_of {
            writeln!(out, "as_of = {a}").unwrap();
        }
        if let Some(s) = scope {
            writeln!(out, "scope = \"{s}\"").unwrap();
        }
        if let Some((r, _)) = relay {
            writeln!(out, "according_to = \"{r}\"").unwrap();
        }
        if k % 7 == 6 {
            writeln!(out, "status = \"unconfirmed\"").unwrap();
        }
        if let Some(q) = quote {
            writeln!(out, "quote = \"{q}\"").unwrap();
        }
        if rng.below(4) == 0 {
            writeln!(out, "locator = \"p. {}\"", k + 3).unwrap();
        }
    }
    out
}

/// Writes the data set, without `accepted.toml`, into `dir`.
fn write_data_set(dir: &Path) {
    std::fs::create_dir_all(dir.join("rules")).unwrap();
    std::fs::write(dir.join("entities.toml"), entities_toml()).unwrap();
    std::fs::write(dir.join("properties.toml"), PROPERTIES).unwrap();
    std::fs::write(dir.join("crosscheck.toml"), SETTINGS).unwrap();
    std::fs::write(dir.join("rules/local.toml"), RULES).unwrap();
    std::fs::create_dir_all(dir.join("texts")).unwrap();
    std::fs::write(dir.join(REPORT_ALPHA_TEXT), REPORT_ALPHA_COPY).unwrap();
    let mut rng = Lcg(2026);
    for spec in &FILES {
        let mut text = spec.head.to_string();
        text.push_str(
            "\n# ------------------------------ ordinary claims ------------------------------\n",
        );
        text.push_str(&generated_claims(spec, &mut rng));
        std::fs::write(dir.join(spec.file), text).unwrap();
    }
}

/// The fingerprint of the first finding of `rule` that involves the claim `claim`.
fn fingerprint(report: &serde_json::Value, rule: &str, claim: &str) -> String {
    let findings = report["findings"].as_array().unwrap();
    findings
        .iter()
        .find(|f| {
            f["rule"] == rule
                && f["claims"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|c| c["id"] == claim)
        })
        .unwrap_or_else(|| panic!("no {rule} finding involves {claim}"))["fingerprint"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Generates the data set into `dir` and accepts two of its findings in `accepted.toml`.
fn generate(dir: &Path) {
    write_data_set(dir);
    let first = check(dir, false);
    assert_eq!(
        first.status, 1,
        "the generated data set loads: {}",
        first.stderr
    );
    let report: serde_json::Value = serde_json::from_str(&first.json).unwrap();
    let conflict = fingerprint(&report, "conflict", "dn-rw-low");
    let drift = fingerprint(&report, "drift", "ra-desert-2019");
    let accepted = format!(
        "# Findings reviewed and explained.\n\n\
         [[accepted]]\nfinding = \"{conflict}\"\nreason = \"the paper misread the table\"\nby = \"tests\"\ndate = 2025-01-10\n\n\
         [[accepted]]\nfinding = \"{drift}\"\nreason = \"the group recruited after the 2020 split\"\nby = \"tests\"\ndate = 2025-01-11\n"
    );
    std::fs::write(dir.join("accepted.toml"), accepted).unwrap();
}

// ------------------------------------------------------------------------------------------
// Edits

/// An edit of one file: the file's text (`None`: no such file) to its new text (`None`:
/// delete it).
type Change = fn(Option<&str>) -> Option<String>;

struct Edit {
    name: &'static str,
    file: &'static str,
    change: Change,
    /// What the edit alone does to the report of the base data set.
    effect: Effect,
}

/// What an edit does to the report: checked, so that no edit silently tests nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Effect {
    /// The report changes; the data set still loads (exit status 0 or 1).
    Changes,
    /// The report stays byte for byte the same.
    Same,
    /// The data set still loads; the report may or may not change (it holds no titles,
    /// aliases or subjects as written, but may one day).
    Loads,
    /// The data set no longer loads: exit status 2.
    Breaks,
}

fn existing(text: Option<&str>) -> &str {
    text.expect("the edited file exists")
}

/// The `[[claim]]` with `id = "<id>"`: from its header to the next record's header (or the
/// end of the file).
fn claim_block(text: &str, id: &str) -> Range<usize> {
    let key = format!("\nid = \"{id}\"\n");
    let at = text
        .find(&key)
        .unwrap_or_else(|| panic!("no claim {id} in the file"));
    let start = text[..at].rfind("[[claim]]").expect("a claim header");
    let end = text[at + 1..]
        .find("\n[[")
        .map_or(text.len(), |e| at + 1 + e + 1);
    start..end
}

/// Sets `key = literal` in the claim `id`: replaces the key's line, or adds one after the id.
fn set_key(text: &str, id: &str, key: &str, literal: &str) -> String {
    let range = claim_block(text, id);
    let block = &text[range.clone()];
    let prefix = format!("{key} = ");
    let body = block.trim_end_matches('\n');
    let mut lines: Vec<String> = body.lines().map(str::to_string).collect();
    let line = format!("{key} = {literal}");
    if let Some(i) = lines.iter().position(|l| l.starts_with(&prefix)) {
        lines[i] = line;
    } else {
        let i = lines.iter().position(|l| l.starts_with("id = ")).unwrap();
        lines.insert(i + 1, line);
    }
    let trailing = block.len() - body.len();
    let new = lines.join("\n") + &"\n".repeat(trailing);
    format!("{}{}{}", &text[..range.start], new, &text[range.end..])
}

/// `text` without the claim `id`.
fn remove_claim(text: &str, id: &str) -> String {
    let range = claim_block(text, id);
    format!("{}{}", &text[..range.start], &text[range.end..])
}

const NEW_SOURCE: &str = r#"# A source added by an edit: it touches three families.

[[source]]
id = "late-report"
title = "A Late Report"
published = 2023-12-01
kind = "primary"

[[claim]]
id = "lr-nf"
subject = "NF West"
property = "fighters"
value = "between 2,000 and 2,500"
as_of = "2023"

[[claim]]
subject = "river-alliance-east-2"
property = "fighters"
value = "around 300"
as_of = "2023"

[[claim]]
subject = "Hill Movement"
property = "attacks"
value = "30"
as_of = "2023"

[[claim]]
subject = "lone-cell"
property = "fighters"
value = "300"
"#;

fn edits() -> Vec<Edit> {
    vec![
        Edit {
            name: "a source's text copy no longer holds a quote",
            file: REPORT_ALPHA_TEXT,
            change: |t| Some(replace(existing(t), "1,200", "1,300")),
            effect: Effect::Changes,
        },
        Edit {
            name: "a value now conflicts",
            file: "report-alpha.toml",
            change: |t| {
                Some(set_key(
                    existing(t),
                    "ra-ra",
                    "value",
                    "\"between 10,000 and 12,000\"",
                ))
            },
            effect: Effect::Changes,
        },
        Edit {
            name: "a conflict (accepted) disappears",
            file: "daily-news.toml",
            change: |t| {
                Some(set_key(
                    existing(t),
                    "dn-rw-low",
                    "value",
                    "\"between 850 and 950\"",
                ))
            },
            effect: Effect::Changes,
        },
        Edit {
            name: "a claim deleted",
            file: "weekly-digest.toml",
            change: |t| Some(remove_claim(existing(t), "wd-cb-e1-exceeds")),
            effect: Effect::Changes,
        },
        Edit {
            name: "a claim with an id added to a family the file had no claim on",
            file: "blog-two.toml",
            change: |t| {
                Some(format!(
                    "{}\n[[claim]]\nid = \"bt-new-cb\"\nsubject = \"coastal-brigades-west\"\n\
                     property = \"fighters\"\nvalue = \"between 8,000 and 9,000\"\n\
                     according_to = \"report-beta\"\n",
                    existing(t)
                ))
            },
            effect: Effect::Changes,
        },
        Edit {
            name: "a claim without an id added to a family the file had no claim on",
            file: "survey-gamma.toml",
            change: |t| {
                Some(replace(
                    existing(t),
                    "\n[[claim]]\nid = \"sg-quote\"",
                    "\n[[claim]]\nsubject = \"Hill Movement\"\nproperty = \"fighters\"\n\
                     value = \"9,000\"\nas_of = \"2023\"\n\n[[claim]]\nid = \"sg-quote\"",
                ))
            },
            effect: Effect::Changes,
        },
        Edit {
            name: "a claim moved to another family",
            file: "report-beta.toml",
            change: |t| {
                Some(set_key(
                    existing(t),
                    "rb-nf-conflict",
                    "subject",
                    "\"river-alliance-east\"",
                ))
            },
            effect: Effect::Changes,
        },
        Edit {
            name: "a subject written as an alias of the same entity",
            file: "report-alpha.toml",
            change: |t| Some(set_key(existing(t), "ra-nf-2022", "subject", "\"NF\"")),
            effect: Effect::Loads,
        },
        Edit {
            name: "as_of changed",
            file: "weekly-digest.toml",
            change: |t| Some(set_key(existing(t), "wd-hm-drift", "as_of", "\"2023\"")),
            effect: Effect::Changes,
        },
        Edit {
            name: "a claim made unconfirmed",
            file: "report-beta.toml",
            change: |t| {
                Some(set_key(
                    existing(t),
                    "rb-leader-ra",
                    "status",
                    "\"unconfirmed\"",
                ))
            },
            effect: Effect::Changes,
        },
        Edit {
            name: "a quote changed",
            file: "survey-gamma.toml",
            change: |t| {
                Some(set_key(
                    existing(t),
                    "sg-quote",
                    "quote",
                    "\"about 300 fighters\"",
                ))
            },
            effect: Effect::Changes,
        },
        Edit {
            name: "according_to changed",
            file: "weekly-digest.toml",
            change: |t| {
                Some(set_key(
                    existing(t),
                    "wd-ra-relay",
                    "according_to",
                    "\"report-beta\"",
                ))
            },
            effect: Effect::Changes,
        },
        Edit {
            name: "a comment appended",
            file: "blog-one.toml",
            change: |t| Some(format!("{}\n# Reviewed again in January.\n", existing(t))),
            effect: Effect::Same,
        },
        Edit {
            name: "claims reordered (lines move, default ids keep their order)",
            file: "daily-news.toml",
            change: |t| {
                let text = existing(t);
                let block = claim_block(text, "dn-nfe-misquote");
                let moved = &text[block.clone()];
                let rest = format!("{}{}", &text[..block.start], &text[block.end..]);
                Some(format!("{}\n{}", rest.trim_end_matches('\n'), moved))
            },
            effect: Effect::Changes,
        },
        Edit {
            name: "a claim without an id renumbers the default ids of another file",
            file: "report-alpha.toml",
            change: |t| {
                Some(replace(
                    existing(t),
                    "\n[[claim]]\nid = \"ra-nfe\"",
                    "\n[[claim]]\nsubject = \"NF\"\nproperty = \"fighters\"\n\
                     value = \"around 1,200\"\nas_of = \"2021\"\n\n[[claim]]\nid = \"ra-nfe\"",
                ))
            },
            effect: Effect::Changes,
        },
        Edit {
            name: "a duplicate claim id (another file's)",
            file: "blog-one.toml",
            change: |t| {
                Some(set_key(
                    existing(t),
                    "bo-anachronism",
                    "id",
                    "\"ra-nf-2022\"",
                ))
            },
            effect: Effect::Breaks,
        },
        Edit {
            name: "an unknown entity",
            file: "wire-service.toml",
            change: |t| {
                Some(set_key(
                    existing(t),
                    "ws-ra-attacks-q3",
                    "subject",
                    "\"Nobody Known\"",
                ))
            },
            effect: Effect::Breaks,
        },
        Edit {
            name: "entities: an alias added",
            file: "entities.toml",
            change: |t| {
                Some(replace(
                    existing(t),
                    "aliases = [\"LC\"]",
                    "aliases = [\"LC\", \"The Lone Ones\"]",
                ))
            },
            effect: Effect::Loads,
        },
        Edit {
            name: "entities: a cell moved to another family",
            file: "entities.toml",
            change: |t| {
                Some(replace(
                    existing(t),
                    "part_of = \"river-alliance-west\"",
                    "part_of = \"northern-front\"",
                ))
            },
            effect: Effect::Changes,
        },
        Edit {
            name: "a source's title changed",
            file: "report-beta.toml",
            change: |t| {
                Some(replace(
                    existing(t),
                    "title = \"Monitoring Report Beta\"",
                    "title = \"Monitoring Report Beta (revised)\"",
                ))
            },
            effect: Effect::Loads,
        },
        Edit {
            name: "a source's published date changed (relays' default as_of move)",
            file: "report-alpha.toml",
            change: |t| {
                Some(replace(
                    existing(t),
                    "published = 2022-06-30",
                    "published = 2021-09-30",
                ))
            },
            effect: Effect::Changes,
        },
        Edit {
            name: "accepted: an acceptance removed",
            file: "accepted.toml",
            change: |t| {
                let text = existing(t);
                let first = text.find("[[accepted]]").unwrap();
                let second = first + 1 + text[first + 1..].find("[[accepted]]").unwrap();
                Some(format!("{}{}", &text[..first], &text[second..]))
            },
            effect: Effect::Changes,
        },
        Edit {
            name: "accepted: an acceptance of no finding added",
            file: "accepted.toml",
            change: |t| {
                Some(format!(
                    "{}\n[[accepted]]\nfinding = \"0123456789abcdef\"\nreason = \"long gone\"\n",
                    existing(t)
                ))
            },
            effect: Effect::Changes,
        },
        Edit {
            name: "properties: fighters no longer additive",
            file: "properties.toml",
            change: |t| Some(replace(existing(t), "additive = true\n", "")),
            effect: Effect::Changes,
        },
        Edit {
            name: "settings: approximation widened",
            file: "crosscheck.toml",
            change: |t| Some(replace(existing(t), "\"10%\"", "\"25%\"")),
            effect: Effect::Changes,
        },
        Edit {
            name: "rules: drift threshold raised",
            file: "rules/local.toml",
            change: |t| Some(replace(existing(t), "\"30%\"", "\"200%\"")),
            effect: Effect::Changes,
        },
        Edit {
            name: "a file added",
            file: "late-report.toml",
            change: |t| {
                assert!(t.is_none(), "late-report.toml is new");
                Some(NEW_SOURCE.to_string())
            },
            effect: Effect::Changes,
        },
        Edit {
            name: "a file deleted",
            file: "survey-gamma.toml",
            change: |t| {
                existing(t);
                None
            },
            effect: Effect::Changes,
        },
        Edit {
            name: "a file another cites deleted",
            file: "blog-two.toml",
            change: |t| {
                existing(t);
                None
            },
            effect: Effect::Breaks,
        },
    ]
}

fn read(data: &Path, file: &str) -> Option<String> {
    std::fs::read_to_string(data.join(file)).ok()
}

fn write(data: &Path, file: &str, text: Option<&str>) {
    let path = data.join(file);
    match text {
        Some(t) => std::fs::write(path, t).unwrap(),
        None => {
            if path.exists() {
                std::fs::remove_file(path).unwrap();
            }
        }
    }
}

/// Applies `edit` to the copy in `data`; returns the file's text before.
fn apply(data: &Path, edit: &Edit) -> Option<String> {
    let before = read(data, edit.file);
    let after = (edit.change)(before.as_deref());
    assert_ne!(
        after, before,
        "{}: the edit changes {}",
        edit.name, edit.file
    );
    write(data, edit.file, after.as_deref());
    before
}

/// What is wrong with `run`, the report after `edit`, given the report before it; `None` when
/// the edit did what it is meant to.
fn unexpected(edit: &Edit, run: &Run, before: &Run) -> Option<String> {
    let loads = run.status < 2;
    let ok = match edit.effect {
        Effect::Changes => loads && run.stdout != before.stdout,
        Effect::Same => run.status == before.status && run.stdout == before.stdout,
        Effect::Loads => loads,
        Effect::Breaks => run.status == 2,
    };
    (!ok).then(|| {
        format!(
            "{}: expected {:?}, got exit status {} and {} report\n{}",
            edit.name,
            edit.effect,
            run.status,
            if run.stdout == before.stdout {
                "the same"
            } else {
                "another"
            },
            run.stderr
        )
    })
}

/// The edit made second after `edits[i]`: about half the list further on, to another file.
fn partner(edits: &[Edit], i: usize) -> usize {
    let n = edits.len();
    (n / 2..n + n / 2)
        .map(|k| (i + k) % n)
        .find(|&j| edits[j].file != edits[i].file)
        .unwrap()
}

/// A fresh copy of `base` for each edit, made a little over two seconds before use: crosscheck
/// trusts what `stat` says of a file only once it has stood unchanged that long (a file
/// written just before it was read might be written again within the same clock tick), and
/// the re-check must be tested reading only the files it needs, not all of them.
fn settled_copies(base: &Path, n: usize) -> Vec<tempfile::TempDir> {
    let copies: Vec<tempfile::TempDir> = (0..n)
        .map(|_| {
            let dir = tempfile::tempdir().unwrap();
            copy_dir(base, &dir.path().join("data"));
            dir
        })
        .collect();
    std::thread::sleep(std::time::Duration::from_millis(3100));
    copies
}

/// Runs edit `i` (then its partner, then undoes both) on `data`, a fresh copy of the data set
/// whose full report is `baseline`; returns what went wrong.
fn run_edit(data: &Path, baseline: &Run, edits: &[Edit], i: usize) -> Vec<String> {
    let mut failures = Vec::new();
    let edit = &edits[i];
    let second = &edits[partner(edits, i)];
    let data = data.to_path_buf();

    // 1. The cache filled.
    let cold = check(&data, true);
    let before = format!("{}: before the edit", edit.name);
    if let Some(d) = difference(
        &before,
        ("with the cache, cold", &cold),
        ("with --no-cache on the base", baseline),
    ) {
        failures.push(d);
    }
    assert!(
        data.join(".crosscheck-cache").is_dir(),
        "the run with the cache writes it"
    );

    // 2-3. One edit.
    let first_before = apply(&data, edit);
    let after_one = compare(&data, edit.name, &mut failures);
    if let Some(problem) = unexpected(edit, &after_one, baseline) {
        failures.push(problem);
    }

    // 4. A second edit, to another file: a cached run after a cached run.
    let second_before = apply(&data, second);
    compare(
        &data,
        &format!("{}, then {}", edit.name, second.name),
        &mut failures,
    );

    // 5. Both undone: the report is the base one again.
    write(&data, second.file, second_before.as_deref());
    write(&data, edit.file, first_before.as_deref());
    let undone = compare(
        &data,
        &format!("{} and {}, undone", edit.name, second.name),
        &mut failures,
    );
    if let Some(d) = difference(
        &format!(
            "{} and {}, undone, against the base",
            edit.name, second.name
        ),
        ("with --no-cache", &undone),
        ("with --no-cache on the base", baseline),
    ) {
        failures.push(d);
    }
    failures
}

// ------------------------------------------------------------------------------------------
// The tests

#[test]
fn a_recheck_after_any_edit_prints_what_a_full_check_prints() {
    let started = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("base");
    generate(&base);
    let baseline = check(&base, false);
    assert_eq!(baseline.status, 1, "{}", baseline.stderr);
    assert!(
        !base.join(".crosscheck-cache").exists(),
        "--no-cache writes nothing"
    );
    let report: serde_json::Value = serde_json::from_str(&baseline.json).unwrap();
    assert_eq!(
        report["summary"]["accepted"], 2,
        "both acceptances match a finding"
    );
    // The data set exercises what a re-check must get right: findings of every kind that
    // crosses files (series, part_of, relays, citations, sources' claims), over many claims.
    let rules: std::collections::BTreeSet<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    for rule in [
        "after-terminal",
        "alias-suspect",
        "anachronism",
        "circular-citation",
        "conflict",
        "divergent",
        "drift",
        "misquote",
        "part-exceeds-whole",
        "quote-mismatch",
        "single-origin",
        "stale",
        "unattributed",
    ] {
        assert!(rules.contains(rule), "no {rule} finding in the data set");
    }
    let claims: usize = std::fs::read_dir(&base)
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap_or_default())
        .map(|text| text.matches("\n[[claim]]\n").count())
        .sum();
    assert!(claims > 150, "{claims} claims");

    let edits = edits();
    let names: std::collections::HashSet<_> = edits.iter().map(|e| e.name).collect();
    assert_eq!(names.len(), edits.len(), "edit names are unique");
    let copies = settled_copies(&base, edits.len());
    let copies = &copies;
    // Two workers: each run of crosscheck uses every core already.
    let workers = 2;
    let failures: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|w| {
                let (baseline, edits) = (&baseline, &edits);
                scope.spawn(move || {
                    (w..edits.len())
                        .step_by(workers)
                        .flat_map(|i| run_edit(&copies[i].path().join("data"), baseline, edits, i))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    assert!(
        failures.is_empty(),
        "{} difference(s):\n\n{}",
        failures.len(),
        failures.join("\n")
    );
    let partial = PARTIAL_RUNS.load(std::sync::atomic::Ordering::Relaxed);
    assert!(
        partial >= edits.len(),
        "only {partial} cached runs were partial re-checks"
    );
    eprintln!(
        "{} edits checked in {:.1?}, {partial} partial re-checks",
        edits.len(),
        started.elapsed()
    );
}

/// A few of the same edits on the example data set, each on a fresh copy, with a second edit,
/// then undone.
#[test]
fn a_recheck_of_the_example_after_an_edit_prints_what_a_full_check_prints() {
    let (_dir, data) = example_copy();
    let baseline = check(&data, false);
    assert_eq!(baseline.status, 1, "{}", baseline.stderr);
    let edits = [
        Edit {
            name: "example: a value changed",
            file: "weekly-blitz-2021-02-11.toml",
            change: |t| {
                Some(replace(
                    existing(t),
                    "\"between 2,500 and 6,000\"",
                    "\"between 2,500 and 5,000\"",
                ))
            },
            effect: Effect::Changes,
        },
        Edit {
            name: "example: a comment appended",
            file: "un-mt-27.toml",
            change: |t| Some(format!("{}\n# checked\n", existing(t))),
            effect: Effect::Same,
        },
        Edit {
            name: "example: a claim deleted",
            file: "un-mt-27.toml",
            change: |t| Some(remove_claim(existing(t), "un27-zawahiri-death-oct-2020")),
            effect: Effect::Changes,
        },
        Edit {
            name: "example: an alias added",
            file: "entities.toml",
            change: |t| {
                Some(replace(
                    existing(t),
                    "aliases = [\"Al Qaeda\", ",
                    "aliases = [\"Al Qaeda\", \"the base\", ",
                ))
            },
            effect: Effect::Loads,
        },
        Edit {
            name: "example: a file added",
            file: "late-report.toml",
            change: |_| {
                Some(
                    "[[source]]\nid = \"late-report\"\ntitle = \"A late report\"\n\
                     published = 2024-10-01\nkind = \"primary\"\n\n[[claim]]\nsubject = \"TTP\"\n\
                     property = \"fighters\"\nvalue = \"around 9,000\"\n"
                        .to_string(),
                )
            },
            effect: Effect::Changes,
        },
        Edit {
            name: "example: a file deleted",
            file: "fox-news-digital-2023-09-29.toml",
            change: |t| {
                existing(t);
                None
            },
            effect: Effect::Changes,
        },
    ];
    let copies = settled_copies(&data, edits.len());
    let failures: Vec<String> = (0..edits.len())
        .flat_map(|i| run_edit(&copies[i].path().join("data"), &baseline, &edits, i))
        .collect();
    assert!(
        failures.is_empty(),
        "{} difference(s):\n\n{}",
        failures.len(),
        failures.join("\n")
    );
}
