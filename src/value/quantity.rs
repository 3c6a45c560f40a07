//! Quantities (SPEC section 3): `400`, `2,500–6,000`, `up to 2,000`, `around 400`,
//! `400 ± 50`, `dozens`, each read into an [`Interval`].
//!
//! The grammar, one function per production below:
//!
//! ```text
//! value      = ws leading_verb? quantity trailing_noun ws
//! quantity   = vague | in_the | any_number | bracketed | bounded | approximate
//!            | between | from_to | amount
//! amount     = point ( spread_tail | range_tail | plus_tail | or_tail )?
//! ```
//!
//! `strict` parsing (a whole value) commits after a connector such as `to` or `±`, so that
//! `400 to` is an error at its end; scanning prose ([`super::scan`]) does not, so that
//! `400 to the north` still finds `400`.

use nom::branch::alt;
use nom::combinator::cut;
use nom::sequence::{delimited, preceded};
use nom::{Err, Parser};

use super::lexicon::ValueSettings;
use super::number::{Num, magnitudes, point};
use super::words::{
    PErr, PResult, commit, dash, error, failure, finish, keyword, label, label_with, lookup,
    spanned, symbol, ws0, ws1,
};
use super::{Bound, Interval, ValueError, format_number};

/// How to read: with which settings, and whether the whole input must be a value.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ctx<'s> {
    pub settings: &'s ValueSettings,
    pub strict: bool,
}

/// What a quantity may start with, for a value that starts with anything else.
pub(crate) const START: &str =
    "a number, a range such as \"2,500–6,000\", or a bound such as \"up to 2,000\"";

const END: &str = "the end of the value (only a noun such as \"fighters\" may follow it)";

/// Reads a whole quantity string, such as a claim's `value`, into an interval.
pub fn parse_quantity(input: &str, settings: &ValueSettings) -> Result<Interval, ValueError> {
    let ctx = Ctx {
        settings,
        strict: true,
    };
    finish(input, whole_value(ctx, input))
}

/// `value = ws leading_verb? quantity trailing_noun ws`.
fn whole_value<'a>(ctx: Ctx<'_>, input: &'a str) -> PResult<'a, Interval> {
    let (i, _) = ws0(input)?;
    let (i, ()) = leading_verb(i)?;
    let (i, value) = label(START, |i: &'a str| quantity(ctx, i)).parse(i)?;
    let (i, ()) = trailing_noun(i)?;
    Ok((i, value))
}

/// A quantity expression at the start of `input`, without anything after it.
pub(crate) fn quantity<'a>(ctx: Ctx<'_>, input: &'a str) -> PResult<'a, Interval> {
    let (rest, value) = alt((
        |i: &'a str| vague(ctx, i),
        |i: &'a str| in_the(ctx, i),
        any_number,
        bracketed,
        |i: &'a str| bounded(ctx, i),
        |i: &'a str| approximate(ctx, i),
        between,
        from_to,
        |i: &'a str| amount(ctx, i),
    ))
    .parse(input)?;
    let finite = |b: Bound| b.value().is_none_or(f64::is_finite);
    if !(finite(value.low) && finite(value.high)) {
        let len = input.len() - rest.len();
        return failure(PErr::at(input, "a number of reasonable size").with_len(len));
    }
    Ok((rest, value))
}

/// Verbs that quotes put before a quantity (`ranges between 2,500 and 6,000`, `number in the
/// dozens`), accepted and ignored so that the quote's own words can be pasted as the value.
fn leading_verb(input: &str) -> PResult<'_, ()> {
    const VERBS: &[(&str, ())] = &[
        ("ranges", ()),
        ("ranging", ()),
        ("range", ()),
        ("numbering", ()),
        ("numbered", ()),
        ("numbers", ()),
        ("number", ()),
        ("totalling", ()),
        ("totaling", ()),
        ("totalled", ()),
        ("totaled", ()),
    ];
    let verb = |i| {
        let (i, _) = lookup(i, VERBS)?;
        ws1(i)
    };
    match verb(input) {
        Ok((rest, _)) => Ok((rest, ())),
        Err(_) => Ok((input, ())),
    }
}

/// A phrase of the lexicon: `several`, `dozens`, `tens of thousands`. A small vague count may
/// take a magnitude: `a few hundred` is 200–500, `several thousand` 3,000–9,000,
/// `a few hundred thousand` 200,000–500,000.
fn vague<'a>(ctx: Ctx<'_>, input: &'a str) -> PResult<'a, Interval> {
    let (i, value) = ctx.settings.lexicon.phrase_at(input)?;
    let small = value.high.value().is_some_and(|h| h <= 20.0);
    match magnitudes(i)? {
        (rest, Some(m)) if small => Ok((rest, scaled(value, m))),
        _ => Ok((i, value)),
    }
}

fn scaled(value: Interval, factor: f64) -> Interval {
    let scale = |b: Bound| match b {
        Bound::Unbounded => Bound::Unbounded,
        Bound::Closed(v) => Bound::Closed(v * factor),
        Bound::Open(v) => Bound::Open(v * factor),
    };
    Interval {
        low: scale(value.low),
        high: scale(value.high),
    }
}

/// `in the dozens`, `in the thousands`: a lexicon phrase after `in the`.
fn in_the<'a>(ctx: Ctx<'_>, input: &'a str) -> PResult<'a, Interval> {
    let (i, _) = keyword("in the")(input)?;
    let phrase = |i: &'a str| ctx.settings.lexicon.phrase_at(i);
    cut(label(
        "a vague amount such as \"dozens\" after \"in the\"",
        preceded(ws1, phrase),
    ))
    .parse(i)
}

/// `any number`: no bound at all. Rarely a claim, but it is how an unbounded interval prints.
fn any_number(input: &str) -> PResult<'_, Interval> {
    let (i, _) = keyword("any number")(input)?;
    let unbounded = Interval {
        low: Bound::Unbounded,
        high: Bound::Unbounded,
    };
    Ok((i, unbounded))
}

/// Interval notation `[1, 2)`, `(1, 2]`, `(1, 2)`, `[1, 2]`, ends possibly `∞`: the form an
/// interval with mixed ends prints in, so every interval can be written back.
fn bracketed(input: &str) -> PResult<'_, Interval> {
    let (i, open) = alt((symbol('['), symbol('('))).parse(input)?;
    let (i, (low, _, _)) = cut(label(
        "a number or \"-∞\" after the bracket",
        preceded(ws0, spanned(interval_end)),
    ))
    .parse(i)?;
    let (i, _) = cut(label(
        "\",\" between the ends of the interval",
        preceded(ws0, symbol(',')),
    ))
    .parse(i)?;
    let (i, (high, high_at, high_len)) = cut(label(
        "a number or \"∞\" after the comma",
        preceded(ws0, spanned(interval_end)),
    ))
    .parse(i)?;
    let (i, close) = cut(label(
        "\"]\" or \")\" to close the interval",
        preceded(ws0, alt((symbol(']'), symbol(')')))),
    ))
    .parse(i)?;
    let end = |v: Option<f64>, open: bool| match v {
        None => Bound::Unbounded,
        Some(v) if open => Bound::Open(v),
        Some(v) => Bound::Closed(v),
    };
    let value = Interval {
        low: end(low, open == '('),
        high: end(high, close == ')'),
    };
    match (low, high) {
        (Some(l), Some(h)) if l > h || (l == h && !value.is_exact()) => {
            failure(PErr::at(high_at, "an upper end above the lower end").with_len(high_len))
        }
        _ => Ok((i, value)),
    }
}

/// A number, or `∞` (`-∞`, `+∞`, `inf`) for an unbounded end.
fn interval_end(input: &str) -> PResult<'_, Option<f64>> {
    const INFINITY: &[(&str, ())] = &[
        ("-∞", ()),
        ("−∞", ()),
        ("+∞", ()),
        ("∞", ()),
        ("-inf", ()),
        ("+inf", ()),
        ("inf", ()),
    ];
    if let Ok((rest, _)) = lookup(input, INFINITY) {
        return Ok((rest, None));
    }
    let (rest, n) = point(input)?;
    Ok((rest, Some(n.value)))
}

/// Which side a bound word limits, and how.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Side {
    /// `up to 2,000`: (−∞, 2,000]
    AtMost,
    /// `fewer than 2,000`: (−∞, 2,000)
    Below,
    /// `more than 100`: (100, ∞)
    Above,
    /// `at least 100`: [100, ∞)
    AtLeast,
    /// `just over 100`: (100, 100 + approximation]
    JustOver,
    /// `just under 100`: [100 − approximation, 100)
    JustUnder,
    /// `nearly 100`, `almost 100`: [100 − approximation, 100]
    Nearly,
}

/// Bound words; symbols that are prefixes of others come after them.
const BOUNDS: &[(&str, Side)] = &[
    ("no more than", Side::AtMost),
    ("not more than", Side::AtMost),
    ("at most", Side::AtMost),
    ("up to", Side::AtMost),
    ("<=", Side::AtMost),
    ("≤", Side::AtMost),
    ("fewer than", Side::Below),
    ("less than", Side::Below),
    ("under", Side::Below),
    ("below", Side::Below),
    ("<", Side::Below),
    ("more than", Side::Above),
    ("over", Side::Above),
    ("above", Side::Above),
    ("in excess of", Side::Above),
    (">=", Side::AtLeast),
    ("≥", Side::AtLeast),
    (">", Side::Above),
    ("no fewer than", Side::AtLeast),
    ("not fewer than", Side::AtLeast),
    ("no less than", Side::AtLeast),
    ("not less than", Side::AtLeast),
    ("at least", Side::AtLeast),
    ("upwards of", Side::AtLeast),
    ("just over", Side::JustOver),
    ("just above", Side::JustOver),
    ("just under", Side::JustUnder),
    ("just below", Side::JustUnder),
    ("nearly", Side::Nearly),
    ("almost", Side::Nearly),
];

/// A bound word then a number: `up to 2,000`, `more than 100`, `≥ 5`, `nearly 400`.
fn bounded<'a>(ctx: Ctx<'_>, input: &'a str) -> PResult<'a, Interval> {
    let (i, (word, side)) = lookup(input, BOUNDS)?;
    let expected = || format!("a number after \"{word}\"");
    let (i, n) = cut(label_with(expected, preceded(ws0, point))).parse(i)?;
    Ok((i, bound(side, n.value, ctx.settings.approximation)))
}

/// The interval a bound word makes of `v`, where `t` is the approximation tolerance.
fn bound(side: Side, v: f64, t: f64) -> Interval {
    use Bound::{Closed, Open, Unbounded};
    let (below, above) = (v - v.abs() * t, v + v.abs() * t);
    let (low, high) = match side {
        Side::AtMost => (Unbounded, Closed(v)),
        Side::Below => (Unbounded, Open(v)),
        Side::Above => (Open(v), Unbounded),
        Side::AtLeast => (Closed(v), Unbounded),
        // With no tolerance, "just over" can only mean "over".
        Side::JustOver if above == v => (Open(v), Unbounded),
        Side::JustOver => (Open(v), Closed(above)),
        Side::JustUnder if below == v => (Unbounded, Open(v)),
        Side::JustUnder => (Closed(below), Open(v)),
        Side::Nearly => (Closed(below), Closed(v)),
    };
    Interval { low, high }
}

/// Words that make the number after them approximate.
const APPROXIMATE: &[(&str, ())] = &[
    ("approximately", ()),
    ("approx.", ()),
    ("approx", ()),
    ("around", ()),
    ("about", ()),
    ("roughly", ()),
    ("some", ()),
    ("an estimated", ()),
    ("estimated at", ()),
    ("estimated", ()),
    ("est.", ()),
    ("circa", ()),
    ("ca.", ()),
    ("c.", ()),
    ("more or less", ()),
    ("close to", ()),
    ("~", ()),
    ("≈", ()),
];

/// `around 400`, `an estimated 4,000 to 6,000`: the number or range, widened by the
/// approximation tolerance.
fn approximate<'a>(ctx: Ctx<'_>, input: &'a str) -> PResult<'a, Interval> {
    let (i, (word, ())) = lookup(input, APPROXIMATE)?;
    let body = alt((between, from_to, |i: &'a str| amount(ctx, i)));
    let expected = || format!("a number after \"{word}\"");
    let (i, value) = cut(label_with(expected, preceded(ws0, body))).parse(i)?;
    Ok((i, value.widened(ctx.settings.approximation)))
}

/// `between 2,500 and 6,000`; also `between 6,000 to 6,500` and `between 2,500–6,000`, as
/// written in reports.
fn between(input: &str) -> PResult<'_, Interval> {
    let (i, _) = keyword("between")(input)?;
    let (i, low) = cut(label("a number after \"between\"", preceded(ws1, point))).parse(i)?;
    let connector = alt((
        delimited(ws1, alt((keyword("and"), keyword("to"))), ws0),
        |i| range_connector(i).map(|(rest, _)| (rest, "")),
    ));
    let (i, word) = cut(label(
        "\"and\" or \"to\" after the first number of a range",
        connector,
    ))
    .parse(i)?;
    let (i, high) = cut(label_with(|| after(word), spanned(point))).parse(i)?;
    Ok((i, range(low, high)?))
}

/// `from 2,500 to 6,000`, `from 2,500–6,000`.
fn from_to(input: &str) -> PResult<'_, Interval> {
    let (i, _) = keyword("from")(input)?;
    let (i, low) = cut(label("a number after \"from\"", preceded(ws1, point))).parse(i)?;
    let (i, word) = cut(label(
        "\"to\" after the first number of a range",
        range_connector,
    ))
    .parse(i)?;
    let (i, high) = cut(label_with(|| after(word), spanned(point))).parse(i)?;
    Ok((i, range(low, high)?))
}

/// What a range's second number is expected after.
fn after(connector: &str) -> String {
    if connector.is_empty() {
        "a number after the dash".into()
    } else {
        format!("a number after \"{}\"", connector.to_lowercase())
    }
}

/// ` to ` or a dash with or without spaces; returns the word, or "" for a dash.
fn range_connector(input: &str) -> PResult<'_, &str> {
    alt((
        delimited(ws1, keyword("to"), ws0),
        delimited(ws0, dash, ws0).map(|_| ""),
    ))
    .parse(input)
}

/// The interval from `low` to `high`, an error at `high` when it is written backwards.
/// A magnitude written only after the second number applies to both when the first is no
/// larger than the second's own digits: `2-3 million` is 2–3 million, `500 to 2 million` is
/// 500–2,000,000.
///
/// A percentage then a plain number (`25% to 1.5k`) is no range: in prose that is a rise from
/// one figure to another.
fn range<'a>(low: Num, (high, at, len): (Num, &'a str, usize)) -> Result<Interval, Err<PErr<'a>>> {
    if low.percent && !high.percent {
        let expected = "a percentage, like the first number of the range";
        return Err(Err::Error(PErr::at(at, expected).with_len(len)));
    }
    let low_value = match (low.magnitude, high.magnitude) {
        (None, Some(m)) if low.mantissa <= high.mantissa => low.mantissa * m,
        _ => low.value,
    };
    if low_value > high.value {
        let expected = format!("a number of at least {}", format_number(low_value));
        let note = "a range is written from low to high, and this one is backwards";
        return Err(Err::Failure(
            PErr::at(at, expected).with_len(len).with_note(note),
        ));
    }
    Ok(Interval::closed(low_value, high.value))
}

/// A number and what may follow it: a spread, a second number, `+`, `or more`.
fn amount<'a>(ctx: Ctx<'_>, input: &'a str) -> PResult<'a, Interval> {
    let (i, n) = point(input)?;
    alt((
        |i| spread_tail(ctx, n, i),
        |i| range_tail(ctx, n, i),
        |i| plus_tail(n, i),
        |i| or_tail(ctx, n, i),
        |i| Ok((i, Interval::exact(n.value))),
    ))
    .parse(i)
}

/// `± 50`, `+/- 50`: a spread around `center`. A spread in percent around a number that is not
/// a percentage is relative: `400 ± 10%` is 360–440.
fn spread_tail<'a>(ctx: Ctx<'_>, center: Num, input: &'a str) -> PResult<'a, Interval> {
    const SIGNS: &[(&str, ())] = &[("±", ()), ("+/-", ()), ("+-", ())];
    let (i, _) = ws0(input)?;
    let (i, _) = lookup(i, SIGNS)?;
    let spread = label("a number after \"±\"", preceded(ws0, spanned(point))).parse(i);
    let (i, (s, at, len)) = commit(ctx.strict, spread)?;
    let spread = if s.percent && !center.percent {
        center.value.abs() * s.value / 100.0
    } else {
        s.value
    };
    if spread < 0.0 {
        return failure(PErr::at(at, "a spread of 0 or more").with_len(len));
    }
    Ok((
        i,
        Interval::closed(center.value - spread, center.value + spread),
    ))
}

/// `to 6,000`, `–6,000`: the second end of a range.
fn range_tail<'a>(ctx: Ctx<'_>, low: Num, input: &'a str) -> PResult<'a, Interval> {
    let (i, word) = range_connector(input)?;
    let (i, high) = commit(
        ctx.strict,
        label_with(|| after(word), spanned(point)).parse(i),
    )?;
    Ok((i, range(low, high)?))
}

/// `100+`: at least 100. A `+` before a digit or `/` belongs to something else.
fn plus_tail(n: Num, input: &str) -> PResult<'_, Interval> {
    let (i, _) = symbol('+')(input)?;
    if i.starts_with(|c: char| c.is_ascii_digit() || c == '/' || c == '-') {
        return error(input, "");
    }
    Ok((i, bound(Side::AtLeast, n.value, 0.0)))
}

/// What `or` after a number means.
#[derive(Debug, Clone, Copy)]
enum OrWord {
    More,
    Fewer,
    So,
}

/// `100 or more`, `100 or fewer`, `100 or less`, `400 or so`.
fn or_tail<'a>(ctx: Ctx<'_>, n: Num, input: &'a str) -> PResult<'a, Interval> {
    const WORDS: &[(&str, OrWord)] = &[
        ("more", OrWord::More),
        ("fewer", OrWord::Fewer),
        ("less", OrWord::Fewer),
        ("so", OrWord::So),
    ];
    let (i, _) = delimited(ws1, keyword("or"), ws0).parse(input)?;
    let expected = "\"more\", \"fewer\", \"less\" or \"so\" after \"or\"";
    let (i, (_, word)) = commit(ctx.strict, label(expected, |i| lookup(i, WORDS)).parse(i))?;
    let value = match word {
        OrWord::More => bound(Side::AtLeast, n.value, 0.0),
        OrWord::Fewer => bound(Side::AtMost, n.value, 0.0),
        OrWord::So => Interval::exact(n.value).widened(ctx.settings.approximation),
    };
    Ok((i, value))
}

/// Words after the quantity, ignored: `6,000 fighters`, `around 400 al-Qaeda fighters`. Each
/// word starts with a letter, so a stray number or symbol is an error, not a silent noun.
fn trailing_noun(input: &str) -> PResult<'_, ()> {
    let (mut i, space) = ws0(input)?;
    if i.is_empty() {
        return Ok((i, ()));
    }
    if space.is_empty() || lookup(i, NOT_A_NOUN).is_ok() {
        return failure(PErr::at(i, END));
    }
    loop {
        let after_word = noun_word(i)?;
        let (rest, space) = ws0(after_word)?;
        if rest.is_empty() {
            return Ok((rest, ()));
        }
        if space.is_empty() {
            return failure(PErr::at(after_word, END));
        }
        i = rest;
    }
}

/// Words that cannot start the trailing noun, because they would change the number's meaning
/// had the writer meant them to (`dozens to hundreds`, `2 m`, `100 and 200`).
const NOT_A_NOUN: &[(&str, ())] = &[
    ("to", ()),
    ("and", ()),
    ("or", ()),
    ("than", ()),
    ("through", ()),
    ("until", ()),
    ("till", ()),
    ("plus", ()),
    ("minus", ()),
    ("k", ()),
    ("m", ()),
    ("mn", ()),
    ("b", ()),
    ("bn", ()),
    ("dozen", ()),
    ("dozens", ()),
    ("hundred", ()),
    ("hundreds", ()),
    ("thousand", ()),
    ("thousands", ()),
    ("million", ()),
    ("millions", ()),
    ("billion", ()),
    ("billions", ()),
    ("trillion", ()),
];

/// One word of a noun: a letter, then letters, digits, hyphens, apostrophes or points.
fn noun_word(input: &str) -> Result<&str, Err<PErr<'_>>> {
    if !input.starts_with(char::is_alphabetic) {
        return Err(Err::Failure(PErr::at(input, END)));
    }
    let end = input
        .char_indices()
        .find(|&(_, c)| !(c.is_alphanumeric() || matches!(c, '-' | '\'' | '’' | '.')))
        .map_or(input.len(), |(at, _)| at);
    Ok(&input[end..])
}

#[cfg(test)]
mod tests {
    use super::*;
    use Bound::{Closed, Open, Unbounded};

    fn q(input: &str) -> Interval {
        parse_quantity(input, &ValueSettings::default())
            .unwrap_or_else(|e| panic!("{input:?}: {e} at {}", e.offset))
    }

    fn err(input: &str) -> (usize, String) {
        let e = parse_quantity(input, &ValueSettings::default()).unwrap_err();
        (e.offset, e.expected)
    }

    fn iv(low: Bound, high: Bound) -> Interval {
        Interval { low, high }
    }

    #[test]
    fn whole_value_allows_space_and_a_noun() {
        assert_eq!(q("  400  "), Interval::exact(400.0));
        assert_eq!(q("6,000 fighters"), Interval::exact(6000.0));
        assert_eq!(err("400 fighters 500").0, 13);
        assert_eq!(err("400x").0, 3);
        assert_eq!(err("dozens to hundreds").0, 7);
        assert_eq!(err("2 m").0, 2);
        assert_eq!(err("400 and 500").0, 4);
        assert_eq!(err("").0, 0);
        assert!(err("lots").1.contains("a range such as"));
    }

    #[test]
    fn leading_verbs_are_ignored() {
        assert_eq!(
            q("ranges between 2,500 and 6,000"),
            Interval::closed(2500.0, 6000.0)
        );
        assert_eq!(q("number in the dozens"), Interval::closed(24.0, 99.0));
        assert_eq!(err("ranges").0, 0);
    }

    #[test]
    fn vague_words_and_multipliers() {
        assert_eq!(q("several"), Interval::closed(3.0, 9.0));
        assert_eq!(q("a few hundred"), Interval::closed(200.0, 500.0));
        assert_eq!(
            q("several thousand fighters"),
            Interval::closed(3000.0, 9000.0)
        );
        assert_eq!(q("dozens of fighters"), Interval::closed(24.0, 99.0));
        assert_eq!(
            q("hundreds of thousands"),
            Interval::closed(200_000.0, 999_999.0)
        );
        assert_eq!(
            scaled(Interval::closed(1.0, 2.0), 3.0),
            Interval::closed(3.0, 6.0)
        );
    }

    #[test]
    fn in_the_takes_a_vague_word() {
        assert_eq!(q("in the thousands"), Interval::closed(2000.0, 9999.0));
        assert_eq!(err("in the 400").0, 7);
    }

    #[test]
    fn any_number_is_unbounded() {
        assert_eq!(q("any number"), iv(Unbounded, Unbounded));
    }

    #[test]
    fn brackets_give_any_mix_of_ends() {
        assert_eq!(q("[1, 2)"), iv(Closed(1.0), Open(2.0)));
        assert_eq!(q("(1,000, 2,000]"), iv(Open(1000.0), Closed(2000.0)));
        assert_eq!(q("(-∞, 5]"), iv(Unbounded, Closed(5.0)));
        assert_eq!(err("(2, 1)").0, 4);
        assert_eq!(err("(1, 1]").0, 4);
        assert_eq!(err("[1 2]").0, 3);
    }

    #[test]
    fn bound_words() {
        assert_eq!(q("up to 2,000"), iv(Unbounded, Closed(2000.0)));
        assert_eq!(q("fewer than 5"), iv(Unbounded, Open(5.0)));
        assert_eq!(q("<=5"), iv(Unbounded, Closed(5.0)));
        assert_eq!(q("> 5"), iv(Open(5.0), Unbounded));
        assert_eq!(q("≥ 5"), iv(Closed(5.0), Unbounded));
        assert_eq!(q("nearly 400"), Interval::closed(360.0, 400.0));
        assert_eq!(q("just over 100"), iv(Open(100.0), Closed(110.0)));
        let (offset, expected) = err("up to");
        assert_eq!((offset, expected.as_str()), (5, "a number after \"up to\""));
    }

    #[test]
    fn bounds_without_tolerance() {
        assert_eq!(
            bound(Side::JustOver, 100.0, 0.0),
            iv(Open(100.0), Unbounded)
        );
        assert_eq!(
            bound(Side::JustUnder, 100.0, 0.0),
            iv(Unbounded, Open(100.0))
        );
        assert_eq!(bound(Side::Nearly, 100.0, 0.0), Interval::exact(100.0));
    }

    #[test]
    fn approximate_widens_numbers_and_ranges() {
        assert_eq!(q("around 400"), Interval::closed(360.0, 440.0));
        assert_eq!(q("~400"), Interval::closed(360.0, 440.0));
        assert_eq!(q("c. 400"), Interval::closed(360.0, 440.0));
        assert_eq!(
            q("approximately 4,000 to 6,000"),
            Interval::closed(3600.0, 6600.0)
        );
        assert_eq!(q("about between 10 and 20"), Interval::closed(9.0, 22.0));
        assert_eq!(err("some fighters").0, 5);
    }

    #[test]
    fn between_and_from() {
        assert_eq!(
            q("between 6,000 to 6,500"),
            Interval::closed(6000.0, 6500.0)
        );
        assert_eq!(q("from 2,500 to 6,000"), Interval::closed(2500.0, 6000.0));
        assert_eq!(err("between 2,500 or 6,000").0, 14);
        assert_eq!(err("between").0, 7);
        assert_eq!(err("from 5 and 6").0, 7);
    }

    #[test]
    fn ranges_share_a_trailing_magnitude() {
        assert_eq!(q("2-3 million"), Interval::closed(2e6, 3e6));
        assert_eq!(q("500 to 2 million"), Interval::closed(500.0, 2e6));
        assert_eq!(q("two to three thousand"), Interval::closed(2000.0, 3000.0));
    }

    #[test]
    fn vague_counts_take_a_chain_of_magnitudes() {
        assert_eq!(
            q("a few hundred thousand"),
            Interval::closed(200_000.0, 500_000.0)
        );
    }

    #[test]
    fn a_percentage_then_a_plain_number_is_no_range() {
        assert_eq!(q("10–20%"), Interval::closed(10.0, 20.0));
        assert_eq!(q("10%–20%"), Interval::closed(10.0, 20.0));
        assert_eq!(err("25% to 1,500").0, 4);
        assert_eq!(err("between 25% and 1,500").0, 16);
    }

    #[test]
    fn backwards_ranges_point_at_the_second_number() {
        let e = parse_quantity("6,000–2,500", &ValueSettings::default()).unwrap_err();
        assert_eq!((e.offset, e.len), ("6,000–".len(), 5));
        assert!(e.note.is_some());
    }

    #[test]
    fn amount_tails() {
        assert_eq!(q("400 ± 50"), Interval::closed(350.0, 450.0));
        assert_eq!(q("400 +/- 10%"), Interval::closed(360.0, 440.0));
        assert_eq!(q("85% ± 5%"), Interval::closed(80.0, 90.0));
        assert_eq!(q("100+"), iv(Closed(100.0), Unbounded));
        assert_eq!(q("100 or more"), iv(Closed(100.0), Unbounded));
        assert_eq!(q("100 or fewer"), iv(Unbounded, Closed(100.0)));
        assert_eq!(q("400 or so"), Interval::closed(360.0, 440.0));
        assert_eq!(err("100 or 200").0, 7);
        assert_eq!(err("400 ± -5").0, 7);
        assert_eq!(err("400 to").0, 6);
    }

    #[test]
    fn lenient_reading_stops_before_a_broken_tail() {
        let settings = ValueSettings::default();
        let ctx = Ctx {
            settings: &settings,
            strict: false,
        };
        let (rest, v) = quantity(ctx, "400 to the north").unwrap();
        assert_eq!((rest, v), (" to the north", Interval::exact(400.0)));
    }

    #[test]
    fn noun_words() {
        assert_eq!(noun_word("al-Qaeda fighters"), Ok(" fighters"));
        assert!(noun_word("5 fighters").is_err());
    }
}
