//! The value language (SPEC section 3), form by form: every wording with its exact meaning,
//! every error with the exact place it points at.
//!
//! Intervals are written in the usual notation, independent of the crate's own parser:
//! `[2500, 6000]`, `(100, inf)`, `(-inf, 2000]`; a lone number is an exact value.

use crosscheck::value::{
    Bound, Day, DayRange, Interval, ValueSettings, find_periods, find_quantities, parse_percentage,
    parse_period, parse_quantity, parse_window,
};

/// Input, then its interval. The approximation tolerance is the default 10%.
const QUANTITIES: &[(&str, &str)] = &[
    // exact
    ("400", "400"),
    ("5,500", "5500"),
    ("5500", "5500"),
    ("5 500", "5500"),
    ("5\u{2009}500", "5500"),
    ("5\u{202f}500", "5500"),
    ("1,000,000", "1000000"),
    ("1.5k", "1500"),
    ("1.5K", "1500"),
    ("2 million", "2000000"),
    ("2.5 billion", "2500000000"),
    ("3 thousand", "3000"),
    ("2m", "2000000"),
    ("2bn", "2000000000"),
    ("85%", "85"),
    ("85 percent", "85"),
    ("85 per cent", "85"),
    ("-5", "-5"),
    ("0", "0"),
    ("0.5", "0.5"),
    ("  400  ", "400"),
    ("6,000 fighters", "6000"),
    ("100 militants", "100"),
    // number words
    ("one", "1"),
    ("twelve", "12"),
    ("twenty", "20"),
    ("twenty-five", "25"),
    ("a dozen", "12"),
    ("a hundred", "100"),
    ("a thousand", "1000"),
    ("two hundred", "200"),
    ("A hundred fighters", "100"),
    // ranges
    ("2,500–6,000", "[2500, 6000]"),
    ("2,500-6,000", "[2500, 6000]"),
    ("2,500—6,000", "[2500, 6000]"),
    ("2,500 — 6,000", "[2500, 6000]"),
    ("2,500 – 6,000", "[2500, 6000]"),
    ("2,500 to 6,000", "[2500, 6000]"),
    ("between 2,500 and 6,000", "[2500, 6000]"),
    ("Between 2,500 AND 6,000", "[2500, 6000]"),
    ("from 2,500 to 6,000", "[2500, 6000]"),
    ("from 4,000 to 6,000", "[4000, 6000]"),
    ("between 6,000 to 6,500", "[6000, 6500]"),
    ("between 2,000 and 6,000 fighters", "[2000, 6000]"),
    ("ranges between 2,500 and 6,000", "[2500, 6000]"),
    ("between 1,000 and 2,200", "[1000, 2200]"),
    ("2-3 million", "[2000000, 3000000]"),
    ("two to three thousand", "[2000, 3000]"),
    ("500 to 2 million", "[500, 2000000]"),
    ("1.5k–2k", "[1500, 2000]"),
    ("10–20%", "[10, 20]"),
    ("-5 to 5", "[-5, 5]"),
    ("400 to 400", "400"),
    // bounds
    ("up to 2,000", "(-inf, 2000]"),
    ("at most 50", "(-inf, 50]"),
    ("no more than 50", "(-inf, 50]"),
    ("not more than 50", "(-inf, 50]"),
    ("<= 50", "(-inf, 50]"),
    ("≤50", "(-inf, 50]"),
    ("100 or fewer", "(-inf, 100]"),
    ("fewer than 50", "(-inf, 50)"),
    ("less than 50", "(-inf, 50)"),
    ("under 50", "(-inf, 50)"),
    ("below 50", "(-inf, 50)"),
    ("< 50", "(-inf, 50)"),
    ("more than 100 cross-border attacks", "(100, inf)"),
    ("over 80,000", "(80000, inf)"),
    ("above 100", "(100, inf)"),
    ("> 100", "(100, inf)"),
    ("in excess of 100", "(100, inf)"),
    ("at least 100", "[100, inf)"),
    ("no fewer than 100", "[100, inf)"),
    ("no less than 100", "[100, inf)"),
    (">= 100", "[100, inf)"),
    ("≥100", "[100, inf)"),
    ("100+", "[100, inf)"),
    ("100+ fighters", "[100, inf)"),
    ("100 or more", "[100, inf)"),
    ("upwards of 100", "[100, inf)"),
    ("more than a dozen", "(12, inf)"),
    // approximate: widened by 10%
    ("around 400", "[360, 440]"),
    ("about 800,000", "[720000, 880000]"),
    ("approximately 400", "[360, 440]"),
    ("approx. 400", "[360, 440]"),
    ("roughly 400", "[360, 440]"),
    ("some 400", "[360, 440]"),
    ("an estimated 400", "[360, 440]"),
    ("estimated 400", "[360, 440]"),
    ("circa 400", "[360, 440]"),
    ("c. 400", "[360, 440]"),
    ("ca. 400", "[360, 440]"),
    ("~400", "[360, 440]"),
    ("≈ 400", "[360, 440]"),
    ("400 or so", "[360, 440]"),
    ("around 400 al-Qaeda fighters", "[360, 440]"),
    ("approximately 4,000 to 6,000", "[3600, 6600]"),
    ("an estimated 4,000 to 6,000 fighters", "[3600, 6600]"),
    ("about between 10 and 20", "[9, 22]"),
    ("nearly 400", "[360, 400]"),
    ("almost 400", "[360, 400]"),
    ("just over 100", "(100, 110]"),
    ("just under 100", "[90, 100)"),
    // with spread
    ("400 ± 50", "[350, 450]"),
    ("400±50", "[350, 450]"),
    ("400 +/- 50", "[350, 450]"),
    ("400 ± 10%", "[360, 440]"),
    ("85% ± 5%", "[80, 90]"),
    // vague words
    ("a few", "[2, 5]"),
    ("A handful", "[2, 5]"),
    ("several", "[3, 9]"),
    ("dozens", "[24, 99]"),
    ("hundreds", "[200, 999]"),
    ("thousands", "[2000, 9999]"),
    ("tens of thousands", "[20000, 99999]"),
    ("number in the dozens", "[24, 99]"),
    ("in the dozens", "[24, 99]"),
    ("dozens of fighters", "[24, 99]"),
    ("a few hundred", "[200, 500]"),
    ("several thousand fighters", "[3000, 9000]"),
    // interval notation, as mixed intervals print
    ("[1, 2)", "[1, 2)"),
    ("(1,000, 2,000]", "(1000, 2000]"),
    ("any number", "(-inf, inf)"),
];

/// Input, the byte offset the error points at, and words its `expected` must contain.
const BAD_QUANTITIES: &[(&str, usize, &str)] = &[
    ("", 0, "a range such as"),
    ("   ", 3, "a range such as"),
    ("lots", 0, "a range such as"),
    ("-", 0, "a number"),
    ("6,000–2,500", 8, "at least 6,000"),
    ("6,000-2,500", 6, "at least 6,000"),
    ("between 10 and 5", 15, "at least 10"),
    ("between", 7, "a number after \"between\""),
    ("between fighters", 8, "a number after \"between\""),
    ("between 2,500", 13, "\"and\" or \"to\""),
    ("between 2,500 or 6,000", 14, "\"and\" or \"to\""),
    ("between 2,500 and", 17, "a number after \"and\""),
    ("from 2,500", 10, "\"to\""),
    ("up to", 5, "a number after \"up to\""),
    ("more than fighters", 10, "a number after \"more than\""),
    ("around", 6, "a number after \"around\""),
    ("~", 1, "a number after \"~\""),
    ("some fighters", 5, "a number after \"some\""),
    ("400 to", 6, "a number after \"to\""),
    ("400 -", 5, "a number after the dash"),
    ("400 fighters 500", 13, "the end of the value"),
    ("2,500 - 6,000 - 7,000", 14, "the end of the value"),
    ("400 (est.)", 4, "the end of the value"),
    ("400x", 3, "the end of the value"),
    ("1e400", 1, "the end of the value"),
    ("55,00", 2, "the end of the value"),
    ("1,000.5.5", 7, "the end of the value"),
    ("400 ± -50", 7, "a spread of 0 or more"),
    ("400 ±", 6, "a number after \"±\""),
    ("100 or 200", 7, "\"more\""),
    ("in the 400", 7, "a vague amount"),
    ("(2, 1)", 4, "an upper end"),
    ("[1 2]", 3, "\",\""),
    ("[1, 2", 5, "\"]\""),
];

/// Input, then its first and last day.
const PERIODS: &[(&str, &str, &str)] = &[
    ("2020", "2020-01-01", "2020-12-31"),
    ("2020-07", "2020-07-01", "2020-07-31"),
    ("2020-02", "2020-02-01", "2020-02-29"),
    ("2020-07-31", "2020-07-31", "2020-07-31"),
    ("1979-05-27T07:32:00Z", "1979-05-27", "1979-05-27"),
    ("1979-05-27T07:32:00-08:00", "1979-05-27", "1979-05-27"),
    ("  2020  ", "2020-01-01", "2020-12-31"),
    ("July 2020", "2020-07-01", "2020-07-31"),
    ("Jul 2020", "2020-07-01", "2020-07-31"),
    ("Sept. 2021", "2021-09-01", "2021-09-30"),
    ("july 2020", "2020-07-01", "2020-07-31"),
    ("31 July 2022", "2022-07-31", "2022-07-31"),
    ("July 31, 2022", "2022-07-31", "2022-07-31"),
    ("1st July 2022", "2022-07-01", "2022-07-01"),
    ("Q3 2020", "2020-07-01", "2020-09-30"),
    ("Q1 2021", "2021-01-01", "2021-03-31"),
    ("H1 2024", "2024-01-01", "2024-06-30"),
    ("H2 2024", "2024-07-01", "2024-12-31"),
    ("early 2024", "2024-01-01", "2024-04-30"),
    ("mid-2023", "2023-05-01", "2023-08-31"),
    ("mid 2023", "2023-05-01", "2023-08-31"),
    ("late 2020", "2020-09-01", "2020-12-31"),
    ("early July 2020", "2020-07-01", "2020-07-10"),
    ("late February 2020", "2020-02-21", "2020-02-29"),
    ("2020-07/2020-10", "2020-07-01", "2020-10-31"),
    ("July–October 2020", "2020-07-01", "2020-10-31"),
    ("July-October 2020", "2020-07-01", "2020-10-31"),
    ("July 2020–October 2021", "2020-07-01", "2021-10-31"),
    ("2020-07 to 2020-10", "2020-07-01", "2020-10-31"),
    ("between July and October 2020", "2020-07-01", "2020-10-31"),
    ("from July to October 2020", "2020-07-01", "2020-10-31"),
    ("from 2020-07 until 2020-10", "2020-07-01", "2020-10-31"),
    (
        "July 2020 through September 2020",
        "2020-07-01",
        "2020-09-30",
    ),
    ("between 2019 and 2021", "2019-01-01", "2021-12-31"),
    ("2019–2020", "2019-01-01", "2020-12-31"),
    ("1–15 July 2022", "2022-07-01", "2022-07-15"),
    ("31 July–2 August 2022", "2022-07-31", "2022-08-02"),
    ("Q3–Q4 2020", "2020-07-01", "2020-12-31"),
    ("2020-07-03/2020-10", "2020-07-03", "2020-10-31"),
];

/// Input, the byte offset the error points at, and words its `expected` must contain.
const BAD_PERIODS: &[(&str, usize, &str)] = &[
    ("", 0, "a date such as"),
    ("Jully 2020", 0, "a date such as"),
    ("2021-02-30", 8, "a day from 1 to 28"),
    ("2021-13", 5, "a month from 01 to 12"),
    ("2021-00-10", 5, "a month from 01 to 12"),
    ("2021-1", 5, "two-digit month"),
    ("2020-07-1", 8, "two-digit day"),
    ("31 June 2020", 0, "a day from 1 to 30"),
    ("2020-10/2020-07", 8, "on or after the start"),
    ("October–July 2020", 10, "on or after the start"),
    ("July", 4, "a year"),
    ("mid-July", 8, "a year"),
    ("July–October", 14, "a year"),
    ("Q3", 2, "a year"),
    ("Q5 2020", 0, "a quarter"),
    ("0000", 0, "a year from 0001"),
    ("12 Jully 2020", 3, "a month name"),
    ("31", 2, "a month name"),
    ("early", 5, "a month or a year after \"early\""),
    ("2020 fighters", 5, "the end of the date"),
    ("between July", 12, "\"and\""),
    ("between July and", 16, "a date after \"and\""),
    ("2020/", 5, "a date after \"/\""),
    ("July 2020 to", 12, "a date after \"to\""),
];

/// Parses the test notation: `400`, `[1, 2)`, `(-inf, 5]`.
fn interval(notation: &str) -> Interval {
    let number = |s: &str| -> Option<f64> {
        let s = s.trim();
        (!s.ends_with("inf")).then(|| s.parse().expect(s))
    };
    let Some(inner) = notation.strip_prefix(['[', '(']) else {
        return Interval::exact(number(notation).expect(notation));
    };
    let (low, high) = inner[..inner.len() - 1].split_once(',').expect(notation);
    let end = |v: Option<f64>, open: bool| match v {
        None => Bound::Unbounded,
        Some(v) if open => Bound::Open(v),
        Some(v) => Bound::Closed(v),
    };
    Interval {
        low: end(number(low), notation.starts_with('(')),
        high: end(number(high), notation.ends_with(')')),
    }
}

/// Whether two intervals are the same up to floating-point rounding of widened ends.
fn same(a: Interval, b: Interval) -> bool {
    let close = |x: f64, y: f64| (x - y).abs() <= 1e-9 * x.abs().max(1.0);
    let bound = |x: Bound, y: Bound| match (x, y) {
        (Bound::Unbounded, Bound::Unbounded) => true,
        (Bound::Closed(x), Bound::Closed(y)) | (Bound::Open(x), Bound::Open(y)) => close(x, y),
        _ => false,
    };
    bound(a.low, b.low) && bound(a.high, b.high)
}

fn day(iso: &str) -> Day {
    let part = |k: usize| {
        iso.split('-')
            .nth(k)
            .and_then(|p| p.parse().ok())
            .expect(iso)
    };
    Day::from_ymd(part(0) as i32, part(1), part(2)).expect(iso)
}

#[test]
fn every_quantity_form_reads_to_its_exact_interval() {
    let settings = ValueSettings::default();
    let mut wrong = Vec::new();
    for &(input, expected) in QUANTITIES {
        match parse_quantity(input, &settings) {
            Ok(got) if same(got, interval(expected)) => {}
            Ok(got) => wrong.push(format!("{input:?}: got {got:?}, expected {expected}")),
            Err(e) => wrong.push(format!("{input:?}: error {e} at {}", e.offset)),
        }
    }
    assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
}

#[test]
fn every_bad_quantity_points_at_where_it_goes_wrong() {
    let settings = ValueSettings::default();
    let mut wrong = Vec::new();
    for &(input, offset, words) in BAD_QUANTITIES {
        match parse_quantity(input, &settings) {
            Err(e) if e.offset == offset && e.expected.contains(words) => {}
            Err(e) => wrong.push(format!(
                "{input:?}: at {} expected {:?}",
                e.offset, e.expected
            )),
            Ok(v) => wrong.push(format!("{input:?}: parsed as {v:?}")),
        }
    }
    assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
}

#[test]
fn every_date_form_reads_to_its_days() {
    let mut wrong = Vec::new();
    for &(input, first, last) in PERIODS {
        let expected = DayRange::new(day(first), day(last)).expect(input);
        match parse_period(input) {
            Ok(got) if got == expected => {}
            Ok(got) => wrong.push(format!("{input:?}: got {got}, expected {expected}")),
            Err(e) => wrong.push(format!("{input:?}: error {e} at {}", e.offset)),
        }
    }
    assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
}

#[test]
fn every_bad_date_points_at_where_it_goes_wrong() {
    let mut wrong = Vec::new();
    for &(input, offset, words) in BAD_PERIODS {
        match parse_period(input) {
            Err(e) if e.offset == offset && e.expected.contains(words) => {}
            Err(e) => wrong.push(format!(
                "{input:?}: at {} expected {:?}",
                e.offset, e.expected
            )),
            Ok(v) => wrong.push(format!("{input:?}: parsed as {v}")),
        }
    }
    assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
}

#[test]
fn errors_underline_the_offending_text_and_explain_impossible_days() {
    let e = parse_period("2021-02-30").unwrap_err();
    assert_eq!(
        (e.len, e.note.as_deref()),
        (2, Some("February 2021 has 28 days"))
    );
    let e = parse_period("29 February 2021").unwrap_err();
    assert_eq!((e.offset, e.len), (0, 2));
    let e = parse_quantity("6,000–2,500", &ValueSettings::default()).unwrap_err();
    assert_eq!(e.len, 5);
    assert!(e.note.unwrap().contains("backwards"));
    let e = parse_quantity("", &ValueSettings::default()).unwrap_err();
    assert_eq!((e.offset, e.len), (0, 0));
}

#[test]
fn the_approximation_and_lexicon_are_settings() {
    let mut settings = ValueSettings {
        approximation: 0.5,
        ..ValueSettings::default()
    };
    settings
        .lexicon
        .insert("scores", parse_quantity("40-99", &settings).unwrap());
    let read = |s| parse_quantity(s, &settings).unwrap();
    assert!(same(read("around 400"), interval("[200, 600]")));
    assert!(same(read("Scores of fighters"), interval("[40, 99]")));
    assert!(same(read("in the scores"), interval("[40, 99]")));
    settings.approximation = 0.0;
    assert!(same(
        parse_quantity("around 400", &settings).unwrap(),
        interval("400")
    ));
}

#[test]
fn windows_and_percentages() {
    assert_eq!(parse_window("90 days"), Ok(90));
    assert_eq!(parse_window("2 weeks"), Ok(14));
    assert_eq!(parse_window("3 months"), Ok(90));
    assert_eq!(parse_window("1 year"), Ok(365));
    assert_eq!(parse_window("90").unwrap_err().offset, 2);
    assert_eq!(parse_percentage("10%"), Ok(0.10));
    assert_eq!(parse_percentage("0.5%"), Ok(0.005));
    assert_eq!(parse_percentage("10 percent"), Ok(0.10));
    assert!(parse_percentage("10").unwrap_err().expected.contains('%'));
}

/// Text, then each quantity found in it: the words matched and the interval.
const QUANTITIES_IN_PROSE: &[(&str, &[(&str, &str)])] = &[
    (
        "The group ranges between 2,500 and 6,000 fighters, according to the 27th report of 31 July 2022.",
        &[("between 2,500 and 6,000", "[2500, 6000]")],
    ),
    (
        "In 2020, around 400 al-Qaeda fighters were in ISIL-K areas, up from dozens in mid-2019.",
        &[("around 400", "[360, 440]"), ("dozens", "[24, 99]")],
    ),
    (
        "It carried out more than 100 cross-border attacks between July and October 2020.",
        &[("more than 100", "(100, inf)")],
    ),
    (
        "An estimated 4,000 to 6,000 fighters, from 2020-07 to 2020-10.",
        &[("An estimated 4,000 to 6,000", "[3600, 6600]")],
    ),
    (
        "Member States estimate a number in the dozens.",
        &[("in the dozens", "[24, 99]")],
    ),
    (
        "Between 6,000 to 6,500 fighters remain; A1 and COVID-19 aside.",
        &[("Between 6,000 to 6,500", "[6000, 6500]")],
    ),
    (
        "2020-07, July 2020 and 2019–2020 are dates, but 1500 is a count.",
        &[("1500", "1500")],
    ),
    (
        "A 2,000-strong force of some 400 men met at 10:30 on 5 May.",
        &[("2,000", "2000"), ("some 400", "[360, 440]")],
    ),
    (
        "One of the leaders said several hundred had left, up to 2,000.",
        &[
            ("several hundred", "[300, 900]"),
            ("up to 2,000", "(-inf, 2000]"),
        ],
    ),
    (
        "about 800,000 people; over 80,000 more; 400 to the north",
        &[
            ("about 800,000", "[720000, 880000]"),
            ("over 80,000", "(80000, inf)"),
            ("400", "400"),
        ],
    ),
    ("The 27th report (S/2022/547) names A1 and T-72s.", &[]),
    ("6,000-2,500", &[]),
];

/// Text, then each date or period found in it.
const PERIODS_IN_PROSE: &[(&str, &[&str])] = &[
    (
        "The group ranges between 2,500 and 6,000 fighters, according to the 27th report of 31 July 2022.",
        &["31 July 2022"],
    ),
    (
        "In 2020, around 400 al-Qaeda fighters were in ISIL-K areas, up from dozens in mid-2019.",
        &["2020", "mid-2019"],
    ),
    (
        "It carried out more than 100 cross-border attacks between July and October 2020.",
        &["between July and October 2020"],
    ),
    (
        "An estimated 4,000 to 6,000 fighters, from 2020-07 to 2020-10.",
        &["from 2020-07 to 2020-10"],
    ),
    (
        "2020-07, July 2020 and 2019–2020 are dates, but 1500 is a count.",
        &["2020-07", "July 2020", "2019–2020"],
    ),
    (
        "Reports of Q3 2020, H1 2024 and late 2020; on July 31, 2022.",
        &["Q3 2020", "H1 2024", "late 2020", "July 31, 2022"],
    ),
    ("between 2,000 and 6,000 fighters, 12 of them", &[]),
];

#[test]
fn quantities_are_found_in_prose_but_not_years_names_or_ordinals() {
    let settings = ValueSettings::default();
    let mut wrong = Vec::new();
    for &(text, expected) in QUANTITIES_IN_PROSE {
        let got: Vec<(&str, Interval)> = find_quantities(text, &settings)
            .into_iter()
            .map(|(r, v)| (&text[r], v))
            .collect();
        let matches = got.len() == expected.len()
            && got
                .iter()
                .zip(expected)
                .all(|(g, e)| g.0 == e.0 && same(g.1, interval(e.1)));
        if !matches {
            wrong.push(format!("{text:?}: got {got:?}"));
        }
    }
    assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
}

#[test]
fn periods_are_found_in_prose() {
    let mut wrong = Vec::new();
    for &(text, expected) in PERIODS_IN_PROSE {
        let got: Vec<&str> = find_periods(text)
            .into_iter()
            .map(|(r, _)| &text[r])
            .collect();
        if got != expected {
            wrong.push(format!("{text:?}: got {got:?}"));
        }
    }
    assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
    let (_, jul_oct) = find_periods("between July and October 2020")[0].clone();
    assert_eq!(jul_oct, parse_period("2020-07/2020-10").unwrap());
}

#[test]
fn scanning_a_megabyte_is_linear() {
    let sentence = "In 2020, around 400 fighters (up to 2,000 by 31 July 2022) left ISIL-K. ";
    let text = sentence.repeat(1_000_000 / sentence.len());
    let found = find_quantities(&text, &ValueSettings::default());
    assert_eq!(found.len(), 2 * (1_000_000 / sentence.len()));
    assert_eq!(find_periods(&text).len(), found.len());
    let digits = "1".repeat(1_000_000);
    assert!(find_quantities(&digits, &ValueSettings::default()).is_empty());
    let grouped = "111 ".repeat(250_000);
    assert!(find_quantities(&grouped, &ValueSettings::default()).is_empty());
}
