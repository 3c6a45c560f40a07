//! Properties of the value language that must hold for every input, not just the table's:
//! every interval reads back from any wording of it (and from its own `Display`), every date
//! range reads back from its `Display`, and no string whatever makes a parser panic.

use crosscheck::value::{
    Bound, Day, DayRange, Interval, ValueError, ValueSettings, english_month, find_periods,
    find_quantities, format_number, parse_percentage, parse_period, parse_quantity, parse_window,
};
use proptest::prelude::*;

/// An interval of one of the kinds the language writes in words.
#[derive(Debug, Clone, Copy)]
enum Shape {
    Exact(i64),
    Range(i64, i64),
    AtMost(i64),
    Below(i64),
    Above(i64),
    AtLeast(i64),
}

impl Shape {
    fn interval(self) -> Interval {
        use Bound::{Closed, Open, Unbounded};
        let f = |n: i64| n as f64;
        let (low, high) = match self {
            Shape::Exact(n) => (Closed(f(n)), Closed(f(n))),
            Shape::Range(a, b) => (Closed(f(a)), Closed(f(b))),
            Shape::AtMost(n) => (Unbounded, Closed(f(n))),
            Shape::Below(n) => (Unbounded, Open(f(n))),
            Shape::Above(n) => (Open(f(n)), Unbounded),
            Shape::AtLeast(n) => (Closed(f(n)), Unbounded),
        };
        Interval { low, high }
    }

    /// The wordings of this kind of interval; `{a}` and `{b}` stand for its numbers.
    fn wordings(self) -> &'static [&'static str] {
        match self {
            Shape::Exact(_) => &[
                "{a}",
                "{a} fighters",
                "  {a}  ",
                "{a}%",
                "{a} percent",
                "[{a}, {a}]",
                "{a} to {a}",
                "between {a} and {a}",
            ],
            Shape::Range(..) => &[
                "{a}–{b}",
                "{a}-{b}",
                "{a}—{b}",
                "{a} — {b}",
                "{a} – {b}",
                "{a} - {b}",
                "{a} to {b}",
                "between {a} and {b}",
                "Between {a} to {b}",
                "from {a} to {b}",
                "from {a}–{b}",
                "ranges between {a} and {b}",
                "[{a}, {b}]",
                "{a}–{b} fighters",
                "{a}%–{b}%",
                "{a}–{b}%",
            ],
            Shape::AtMost(_) => &[
                "up to {a}",
                "at most {a}",
                "no more than {a}",
                "not more than {a}",
                "<= {a}",
                "≤{a}",
                "{a} or fewer",
                "{a} or less",
                "(-∞, {a}]",
                "Up To {a} fighters",
            ],
            Shape::Below(_) => &[
                "fewer than {a}",
                "less than {a}",
                "under {a}",
                "below {a}",
                "< {a}",
                "<{a}",
                "(-∞, {a})",
            ],
            Shape::Above(_) => &[
                "more than {a}",
                "over {a}",
                "above {a}",
                "in excess of {a}",
                "> {a}",
                "({a}, ∞)",
                "MORE THAN {a} attacks",
            ],
            Shape::AtLeast(_) => &[
                "at least {a}",
                "no fewer than {a}",
                "no less than {a}",
                "not fewer than {a}",
                ">= {a}",
                "≥ {a}",
                "{a}+",
                "{a} or more",
                "upwards of {a}",
                "[{a}, ∞)",
            ],
        }
    }

    fn numbers(self) -> (i64, i64) {
        match self {
            Shape::Range(a, b) => (a, b),
            Shape::Exact(n)
            | Shape::AtMost(n)
            | Shape::Below(n)
            | Shape::Above(n)
            | Shape::AtLeast(n) => (n, n),
        }
    }
}

/// A number in one of the ways it may be written: `-2,500`, `-2500`, `-2 500` (with a normal,
/// no-break, thin or narrow no-break space).
fn number_text(n: i64, style: usize) -> String {
    const SPACES: [char; 4] = [' ', '\u{a0}', '\u{2009}', '\u{202f}'];
    match style % 6 {
        0 => format_number(n as f64),
        1 => n.to_string(),
        s => {
            let digits = n.unsigned_abs().to_string();
            let mut out = String::from(if n < 0 { "-" } else { "" });
            for (i, c) in digits.chars().enumerate() {
                if i > 0 && (digits.len() - i).is_multiple_of(3) {
                    out.push(SPACES[s - 2]);
                }
                out.push(c);
            }
            out
        }
    }
}

fn number() -> impl Strategy<Value = i64> {
    prop_oneof![
        -100i64..100,
        0i64..100_000,
        -1_000_000_000i64..1_000_000_000,
    ]
}

fn shape() -> impl Strategy<Value = Shape> {
    prop_oneof![
        number().prop_map(Shape::Exact),
        (number(), number()).prop_map(|(a, b)| Shape::Range(a.min(b), a.max(b))),
        number().prop_map(Shape::AtMost),
        number().prop_map(Shape::Below),
        number().prop_map(Shape::Above),
        number().prop_map(Shape::AtLeast),
    ]
}

/// Any interval the `Display` of [`Interval`] may print: any mix of open, closed and unbounded
/// ends, never empty.
fn any_interval() -> impl Strategy<Value = Interval> {
    let end = |v: i64| {
        prop_oneof![
            Just(Bound::Unbounded),
            Just(Bound::Closed(v as f64)),
            Just(Bound::Open(v as f64)),
        ]
    };
    (number(), 0i64..1_000_000_000_000)
        .prop_flat_map(move |(a, width)| (end(a), end(a.saturating_add(width))))
        .prop_map(|(low, high)| Interval { low, high })
        .prop_filter("not empty", |i| match (i.low, i.high) {
            (Bound::Closed(l), Bound::Closed(h)) => l <= h,
            (l, h) => match (l.value(), h.value()) {
                (Some(l), Some(h)) => l < h,
                _ => true,
            },
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn every_wording_of_an_interval_reads_back(
        shape in shape(),
        wording in any::<prop::sample::Index>(),
        styles in (0usize..6, 0usize..6),
    ) {
        let template = wording.get(shape.wordings());
        let (a, b) = shape.numbers();
        let text = template
            .replace("{a}", &number_text(a, styles.0))
            .replace("{b}", &number_text(b, styles.1));
        let read = parse_quantity(&text, &ValueSettings::default());
        prop_assert_eq!(read, Ok(shape.interval()), "{:?}", text);
    }

    #[test]
    fn every_interval_reads_back_from_its_display(interval in any_interval()) {
        let text = interval.to_string();
        prop_assert_eq!(parse_quantity(&text, &ValueSettings::default()), Ok(interval), "{:?}", text);
    }
}

/// Checks what every parser promises for any input: an error lies inside the input at
/// character boundaries and says what was expected; found ranges are in order, do not
/// overlap, and read back by themselves to what was found.
fn check_everything(text: &str) {
    let settings = ValueSettings::default();
    let errors: [Option<ValueError>; 4] = [
        parse_quantity(text, &settings).err(),
        parse_period(text).err(),
        parse_window(text).err(),
        parse_percentage(text).err(),
    ];
    for e in errors.into_iter().flatten() {
        assert!(e.offset + e.len <= text.len(), "{text:?}: {e:?}");
        assert!(text.is_char_boundary(e.offset), "{text:?}: {e:?}");
        assert!(text.is_char_boundary(e.offset + e.len), "{text:?}: {e:?}");
        assert!(!e.expected.is_empty(), "{text:?}: {e:?}");
    }
    if let Ok(v) = parse_quantity(text, &settings) {
        let finite = |b: Bound| b.value().is_none_or(f64::is_finite);
        assert!(finite(v.low) && finite(v.high), "{text:?}: {v:?}");
    }
    let mut last_end = 0;
    for (range, value) in find_quantities(text, &settings) {
        assert!(
            range.start >= last_end && range.start < range.end,
            "{text:?}: {range:?}"
        );
        last_end = range.end;
        let again = parse_quantity(&text[range.clone()], &settings);
        assert_eq!(again, Ok(value), "{text:?}: {:?}", &text[range]);
    }
    let mut last_end = 0;
    for (range, value) in find_periods(text) {
        assert!(
            range.start >= last_end && range.start < range.end,
            "{text:?}: {range:?}"
        );
        last_end = range.end;
        assert_eq!(
            parse_period(&text[range.clone()]),
            Ok(value),
            "{text:?}: {range:?}"
        );
    }
}

const QUANTITY_LIKE: &str = "(ranges |between |from |up to |more than |around |an estimated |~|<=? ?|in the |number in the |some )?(-?[0-9]{1,7}([,. \u{2009}][0-9]{1,4}){0,3}(k|m|bn| million| thousand|%| percent)?|a few|several|dozens|a dozen|twenty-five|one|a hundred)( ?[-–—] ?| to | and | or | ± | \\+/- |\\+)?([0-9]{1,5}(,[0-9]{3})?|more|so|fighters)?( al-Qaeda| fighters|s|th|:[0-9]|\\.[0-9]?)?";

const DATE_LIKE: &str = "(between |from |early |mid-|late |Q[0-9] |H[0-9] )?([0-9]{1,2}(st|th)? )?(Jan|July|Sept\\.|February|May)?,? ?[0-9]{1,4}(-[0-9]{1,2}){0,2}(T[0-9]{2}:[0-9]{2}Z)?( ?[-–/] ?| to | and | until )?([0-9]{1,2} )?(October|Dec)? ?[0-9]{0,4}(-[0-9]{2})?";

/// Prose made of quantity-like, date-like and plain words.
fn prose() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        QUANTITY_LIKE,
        DATE_LIKE,
        "[A-Za-z][a-z]{0,7}",
        "[,.;:()\\-–/ ]",
        "[0-9]{1,5}",
    ];
    prop::collection::vec(piece, 0..10).prop_map(|pieces| pieces.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn any_string_parses_or_errors(text in any::<String>()) {
        check_everything(&text);
    }

    #[test]
    fn quantity_like_strings_parse_or_error(text in QUANTITY_LIKE) {
        check_everything(&text);
    }

    #[test]
    fn date_like_strings_parse_or_error(text in DATE_LIKE) {
        check_everything(&text);
    }

    #[test]
    fn prose_scans_without_panicking(text in prose()) {
        check_everything(&text);
    }
}

fn day() -> impl Strategy<Value = Day> {
    (1i32..=9999, 1u32..=12, 1u32..=31)
        .prop_filter_map("a real day", |(y, m, d)| Day::from_ymd(y, m, d))
}

/// The first day of a month, or its last.
fn month_edge(last: bool) -> impl Strategy<Value = Day> {
    (1i32..=9999, 1u32..=12).prop_filter_map("a real month", move |(y, m)| {
        let d = if last {
            crosscheck::value::Day::from_ymd(y, m, 28).map(|_| month_end(y, m))
        } else {
            Some(1)
        };
        Day::from_ymd(y, m, d?)
    })
}

fn month_end(y: i32, m: u32) -> u32 {
    (28..=31)
        .rev()
        .find(|&d| Day::from_ymd(y, m, d).is_some())
        .unwrap_or(28)
}

/// Day ranges of every shape `Display` prints: a day, a month, a year, spans between days or
/// month edges.
fn day_range() -> impl Strategy<Value = DayRange> {
    let ordered = |(a, b): (Day, Day)| DayRange {
        first: a.min(b),
        last: a.max(b),
    };
    prop_oneof![
        day().prop_map(DayRange::single),
        (day(), day()).prop_map(ordered),
        (month_edge(false), month_edge(true)).prop_map(ordered),
        (day(), month_edge(true)).prop_map(ordered),
        (1i32..=9999, 1u32..=12).prop_map(|(y, m)| DayRange {
            first: Day::from_ymd(y, m, 1).unwrap(),
            last: Day::from_ymd(y, m, month_end(y, m)).unwrap(),
        }),
        (1i32..=9999, 0i32..3).prop_map(|(y, n)| DayRange {
            first: Day::from_ymd(y, 1, 1).unwrap(),
            last: Day::from_ymd((y + n).min(9999), 12, 31).unwrap(),
        }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn every_day_range_reads_back_from_its_display(range in day_range()) {
        let text = range.to_string();
        prop_assert_eq!(parse_period(&text), Ok(range), "{:?}", text);
    }

    #[test]
    fn month_periods_read_the_same_in_every_wording(y in 1000i32..=9999, a in 1u32..=12, b in 1u32..=12) {
        let (a, b) = (a.min(b), a.max(b));
        let (ma, mb) = (english_month(a), english_month(b));
        let expected = parse_period(&format!("{y}-{a:02}/{y}-{b:02}")).unwrap();
        for text in [
            format!("{ma}–{mb} {y}"),
            format!("{ma} - {mb} {y}"),
            format!("between {ma} and {mb} {y}"),
            format!("from {ma} to {mb} {y}"),
            format!("{ma} {y} to {mb} {y}"),
            format!("{y}-{a:02} to {y}-{b:02}"),
            format!("{}–{} {y}", &ma[..3], &mb[..3]),
        ] {
            prop_assert_eq!(parse_period(&text), Ok(expected), "{:?}", text);
        }
    }
}
