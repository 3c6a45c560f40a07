//! Dates and periods (SPEC section 3), read into inclusive [`DayRange`]s, and the two small
//! setting forms that go with them: time windows (`90 days`) and percentages (`10%`).
//!
//! The grammar, one function per production below:
//!
//! ```text
//! value     = ws period ws
//! period    = between_period | from_period | span
//! span      = element ( separator element )?
//! element   = iso | quarter | half | part_of | month_first | day_first
//! ```
//!
//! The first element of a period may leave out what its end supplies: `July–October 2020`
//! takes the year from `October 2020`, `1–15 July 2022` takes month and year.

use nom::branch::alt;
use nom::combinator::{cut, opt};
use nom::sequence::{delimited, preceded};
use nom::{Err, Parser};

use super::day::{MIN_YEAR, days_in_month};
use super::number::{numeral, word_amount};
use super::words::{
    PErr, PResult, ascii_digits, commit, continues_word, dash, english_month, error, failure,
    finish, keyword, label, label_with, lookup, month_name, spanned, symbol, ws0, ws1,
};
use super::{Day, DayRange, ValueError};

/// What a date may start with.
const DATE_START: &str = "a date such as \"2020-07-31\", \"July 2020\", \"Q3 2020\" or \"2020\"";

/// A number as written in a date, with where it stands, so that an impossible day or month
/// can be pointed at.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Pos<'a> {
    value: u32,
    at: &'a str,
    len: usize,
}

/// Which part of a year or month an element names.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Part {
    Whole,
    /// Months of its year: a quarter, a half, `early 2024`.
    Months(u32, u32),
    /// Days of its month: `early July 2020` (1–10), `mid-July` (11–20), `late July` (21–end).
    Days(u32, u32),
}

/// One date as written, before a missing year or month is taken from the end of its period.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Elem<'a> {
    /// Where it starts, and the rest of the input after it.
    start: &'a str,
    end: &'a str,
    year: Option<i32>,
    month: Option<u32>,
    day: Option<Pos<'a>>,
    part: Part,
    /// Written as a year alone (`2020`): in prose such a number may be a count instead.
    bare_year: bool,
}

impl<'a> Elem<'a> {
    fn new(start: &'a str, end: &'a str) -> Elem<'a> {
        Elem {
            start,
            end,
            year: None,
            month: None,
            day: None,
            part: Part::Whole,
            bare_year: false,
        }
    }
}

/// Reads a whole date or period string, such as a claim's `as_of`.
pub fn parse_period(input: &str) -> Result<DayRange, ValueError> {
    finish(input, whole_period(input))
}

/// `value = ws period ws`.
fn whole_period(input: &str) -> PResult<'_, DayRange> {
    let (i, _) = ws0(input)?;
    let (i, (range, _)) = label(DATE_START, |i| period(true, i)).parse(i)?;
    let (i, _) = ws0(i)?;
    if !i.is_empty() {
        return failure(PErr::at(i, "the end of the date"));
    }
    Ok((i, range))
}

/// A date or period at the start of `input`; also says whether it was written with bare years
/// only (`2020`, `2019–2020`), which prose scanning treats with suspicion.
pub(crate) fn period(strict: bool, input: &str) -> PResult<'_, (DayRange, bool)> {
    alt((between_period, from_period, |i| span(strict, i))).parse(input)
}

/// `between July and October 2020`.
fn between_period(input: &str) -> PResult<'_, (DayRange, bool)> {
    let (i, _) = keyword("between")(input)?;
    let (i, first) = cut(label("a date after \"between\"", preceded(ws1, element))).parse(i)?;
    let connector = delimited(ws1, alt((keyword("and"), keyword("to"))), ws0);
    let (i, word) = cut(label("\"and\" after the first date", connector)).parse(i)?;
    let (i, second) = cut(label_with(|| date_after(word), element)).parse(i)?;
    Ok((i, join(first, Some(second))?))
}

/// `from July to October 2020`, `from 2020-07 until 2020-10`.
fn from_period(input: &str) -> PResult<'_, (DayRange, bool)> {
    let (i, _) = keyword("from")(input)?;
    let (i, first) = cut(label("a date after \"from\"", preceded(ws1, element))).parse(i)?;
    let (i, word) = cut(label("\"to\" after the first date", separator)).parse(i)?;
    let (i, second) = cut(label_with(|| date_after(word), element)).parse(i)?;
    Ok((i, join(first, Some(second))?))
}

/// A date, or two joined by a separator: `2020-07/2020-10`, `July–October 2020`.
fn span(strict: bool, input: &str) -> PResult<'_, (DayRange, bool)> {
    let (i, first) = element(input)?;
    let (i, second) = match separator(i) {
        Ok((after, word)) => match commit(
            strict,
            label_with(|| date_after(word), element).parse(after),
        ) {
            Ok((rest, second)) => (rest, Some(second)),
            Err(Err::Error(_)) => (i, None),
            Err(e) => return Err(e),
        },
        Err(_) => (i, None),
    };
    Ok((i, join(first, second)?))
}

/// The length of a day and month written without a year at the start of `input` (`5 May`,
/// `May 5`): in prose, a date all the same, whose numbers are no counts.
pub(crate) fn day_without_year(input: &str) -> Option<usize> {
    let (rest, e) = element(input).ok()?;
    (e.day.is_some() && e.month.is_some()).then(|| input.len() - rest.len())
}

/// What the second date of a period is expected after.
fn date_after(separator: &str) -> String {
    match separator {
        "" => "a date after the dash".into(),
        "/" => "a date after \"/\"".into(),
        word => format!("a date after \"{}\"", word.to_lowercase()),
    }
}

/// Between the two dates of a period: a dash, a slash, or `to`, `until`, `through`, `till`.
/// Returns the word, `/`, or "" for a dash.
fn separator(input: &str) -> PResult<'_, &str> {
    let word = alt((
        keyword("to"),
        keyword("until"),
        keyword("through"),
        keyword("till"),
    ));
    alt((
        delimited(ws0, dash, ws0).map(|_| ""),
        delimited(ws0, symbol('/'), ws0).map(|_| "/"),
        delimited(ws1, word, ws0),
    ))
    .parse(input)
}

/// The day range of a period from `start` to `end` (or of `start` alone), after `start` takes
/// what it leaves out from `end`. An end before the start is an error at the end.
fn join<'a>(start: Elem<'a>, end: Option<Elem<'a>>) -> Result<(DayRange, bool), Err<PErr<'a>>> {
    let Some(end) = end else {
        return Ok((resolve(&start)?, start.bare_year));
    };
    let start = Elem {
        year: start.year.or(end.year),
        month: start.month.or(end.month.filter(|_| start.day.is_some())),
        ..start
    };
    // `July 1–15, 2020`: a day alone at the end is in the start's month.
    let end = Elem {
        month: end.month.or(start.month.filter(|_| end.day.is_some())),
        ..end
    };
    // The end first: when it lacks its year, so does the start, and the end is where to add it.
    let last = resolve(&end)?;
    let first = resolve(&start)?;
    match DayRange::new(first.first, last.last) {
        Some(range) => Ok((range, start.bare_year && end.bare_year)),
        None => Err(Err::Failure(
            PErr::at(end.start, "a date on or after the start of the period")
                .with_len(end.start.len() - end.end.len())
                .with_note("the period ends before it starts"),
        )),
    }
}

/// The days an element names, once it has its year (and month, when it names a day).
fn resolve<'a>(e: &Elem<'a>) -> Result<DayRange, Err<PErr<'a>>> {
    let Some(year) = e.year else {
        let expected = match (e.month, e.part) {
            (Some(_), _) => "a year after the month, such as \"July 2020\"",
            (None, Part::Months(..)) => "a year, such as \"Q3 2020\"",
            _ => "a month name after the day, such as \"31 July 2022\"",
        };
        return Err(Err::Failure(PErr::at(e.end, expected)));
    };
    let day = |m: u32, d: u32| {
        Day::from_ymd(year, m, d)
            .ok_or_else(|| Err::Failure(PErr::at(e.start, "a date that exists")))
    };
    let range = |a: Day, b: Day| DayRange { first: a, last: b };
    match (e.month, e.day, e.part) {
        (None, Some(_), _) => Err(Err::Failure(PErr::at(
            e.end,
            "a month name after the day, such as \"31 July 2022\"",
        ))),
        (Some(m), Some(d), _) => {
            check_day(year, m, d)?;
            Ok(DayRange::single(day(m, d.value)?))
        }
        (Some(m), None, Part::Days(a, b)) => {
            Ok(range(day(m, a)?, day(m, b.min(days_in_month(year, m)))?))
        }
        (Some(m), None, _) => Ok(range(day(m, 1)?, day(m, days_in_month(year, m))?)),
        (None, None, Part::Months(a, b)) => Ok(range(day(a, 1)?, day(b, days_in_month(year, b))?)),
        (None, None, _) => Ok(range(day(1, 1)?, day(12, 31)?)),
    }
}

/// An error at a day that its month does not have: `February 2021 has 28 days`.
fn check_day<'a>(year: i32, month: u32, day: Pos<'a>) -> Result<(), Err<PErr<'a>>> {
    let days = days_in_month(year, month);
    if (1..=days).contains(&day.value) {
        return Ok(());
    }
    let note = format!("{} {year} has {days} days", english_month(month));
    Err(Err::Failure(
        PErr::at(day.at, format!("a day from 1 to {days}"))
            .with_len(day.len)
            .with_note(note),
    ))
}

/// One date as written.
fn element(input: &str) -> PResult<'_, Elem<'_>> {
    alt((iso, quarter, half, part_of, month_first, day_first)).parse(input)
}

/// `2020`, `2020-07`, `2020-07-31`, and TOML's `2020-07-31T12:00:00Z` (the time is ignored).
/// `2020-2021` is two years, not a month.
fn iso(input: &str) -> PResult<'_, Elem<'_>> {
    let (i, y) = year(input)?;
    let mut e = Elem::new(input, i);
    e.year = Some(y);
    e.bare_year = true;
    let Some((after, month)) = iso_field(i, "a two-digit month such as \"07\"")? else {
        return Ok((i, e));
    };
    if !(1..=12).contains(&month.value) {
        return failure(PErr::at(month.at, "a month from 01 to 12").with_len(2));
    }
    (e.month, e.bare_year, e.end) = (Some(month.value), false, after);
    let Some((after, day)) = iso_field(after, "a two-digit day such as \"31\"")? else {
        return Ok((e.end, e));
    };
    check_day(y, month.value, day)?;
    let after = time_of_day(after);
    (e.day, e.end) = (Some(day), after);
    Ok((after, e))
}

/// `-07` after an ISO year or month: a dash and two digits. Nothing after the dash, or four
/// digits (`2020-2021`, a range of years), is not a field; one or three digits are an error.
fn iso_field<'a>(
    input: &'a str,
    expected: &'static str,
) -> Result<Option<(&'a str, Pos<'a>)>, Err<PErr<'a>>> {
    let Some(after_dash) = input.strip_prefix('-') else {
        return Ok(None);
    };
    let digits = ascii_digits(after_dash);
    match digits.len() {
        2 => {
            let value = digits_value(digits);
            let pos = Pos {
                value,
                at: after_dash,
                len: 2,
            };
            Ok(Some((&after_dash[2..], pos)))
        }
        0 | 4.. => Ok(None),
        n => Err(Err::Failure(PErr::at(after_dash, expected).with_len(n))),
    }
}

/// The value of a short run of ASCII digits (never more than four here).
fn digits_value(digits: &str) -> u32 {
    digits.bytes().fold(0, |n, b| {
        n.saturating_mul(10).saturating_add(u32::from(b - b'0'))
    })
}

/// A year written with four digits, `0001` to `9999`.
fn year(input: &str) -> PResult<'_, i32> {
    let digits = ascii_digits(input);
    if digits.len() != 4 || continues_word(&input[4..]) {
        return error(input, "");
    }
    let y = digits_value(digits) as i32;
    if y < MIN_YEAR {
        return failure(PErr::at(input, "a year from 0001 to 9999").with_len(4));
    }
    Ok((&input[4..], y))
}

/// A time of day after an ISO date, as TOML writes it: `T12:00`, ` 12:00:00.5+02:00`, `…Z`.
/// Returns the rest after it, or `input` when there is none.
fn time_of_day(input: &str) -> &str {
    let bytes = input.as_bytes();
    let digit = |k: usize| bytes.get(k).is_some_and(u8::is_ascii_digit);
    let two = |k: usize| digit(k) && digit(k + 1);
    let at = |k: usize, c: u8| bytes.get(k) == Some(&c);
    if !(matches!(bytes.first(), Some(b'T' | b't' | b' ')) && two(1) && at(3, b':') && two(4)) {
        return input;
    }
    let mut k = 6;
    if at(k, b':') && two(k + 1) {
        k += 3;
        if at(k, b'.') && digit(k + 1) {
            k += 1;
            while digit(k) {
                k += 1;
            }
        }
    }
    if at(k, b'Z') || at(k, b'z') {
        k += 1;
    } else if (at(k, b'+') || at(k, b'-')) && two(k + 1) && at(k + 3, b':') && two(k + 4) {
        k += 6;
    }
    &input[k..]
}

/// `Q3 2020`, `first quarter of 2020`; the year may come from the period's end (`Q3–Q4 2020`).
fn quarter(input: &str) -> PResult<'_, Elem<'_>> {
    const WORDS: &[(&str, u32)] = &[
        ("first quarter of", 1),
        ("second quarter of", 2),
        ("third quarter of", 3),
        ("fourth quarter of", 4),
    ];
    let (i, q) = match lookup(input, WORDS) {
        Ok((i, (_, q))) => (i, q),
        Err(_) => numbered(input, 'q', 4, "a quarter from Q1 to Q4")?,
    };
    year_part(input, i, Part::Months(3 * q - 2, 3 * q))
}

/// `H1 2024`, `second half of 2024`.
fn half(input: &str) -> PResult<'_, Elem<'_>> {
    const WORDS: &[(&str, u32)] = &[("first half of", 1), ("second half of", 2)];
    let (i, h) = match lookup(input, WORDS) {
        Ok((i, (_, h))) => (i, h),
        Err(_) => numbered(input, 'h', 2, "H1 or H2")?,
    };
    year_part(input, i, Part::Months(6 * h - 5, 6 * h))
}

/// A letter and one digit from 1 to `max`: `Q3`, `H1`. Other digits are an error; more digits
/// or letters after it make it some other word (`H5N1`).
fn numbered<'a>(
    input: &'a str,
    letter: char,
    max: u32,
    expected: &'static str,
) -> PResult<'a, u32> {
    let mut chars = input.chars();
    if !chars
        .next()
        .is_some_and(|c| c.eq_ignore_ascii_case(&letter))
    {
        return error(input, "");
    }
    let after = chars.as_str();
    let digits = ascii_digits(after);
    if digits.len() != 1 || continues_word(&after[1..]) {
        return error(input, "");
    }
    let n = digits_value(digits);
    if !(1..=max).contains(&n) {
        return failure(PErr::at(input, expected).with_len(2));
    }
    Ok((&after[1..], n))
}

/// The optional year after a part of a year, after a space or a hyphen (`Q3-2020`).
fn year_part<'a>(start: &'a str, input: &'a str, part: Part) -> PResult<'a, Elem<'a>> {
    let joint = alt((ws1, |i| symbol('-')(i).map(|(rest, _)| (rest, ""))));
    let (i, y) = opt(preceded(joint, year)).parse(input)?;
    let mut e = Elem::new(start, i);
    (e.year, e.part) = (y, part);
    Ok((i, e))
}

/// `early 2024` (January–April), `mid-2023` (May–August), `late 2020` (September–December);
/// of a month, `early July 2020` (1–10), `mid-July` (11–20), `late July` (21 to its end).
fn part_of(input: &str) -> PResult<'_, Elem<'_>> {
    type Parts = ((u32, u32), (u32, u32));
    const WORDS: &[(&str, Parts)] = &[
        ("early", ((1, 4), (1, 10))),
        ("mid", ((5, 8), (11, 20))),
        ("late", ((9, 12), (21, 31))),
    ];
    let (i, (word, (months, days))) = lookup(input, WORDS)?;
    let expected = || format!("a month or a year after \"{word}\"");
    let joint = alt((symbol('-').map(|_| ""), ws1));
    let (i, _) = cut(label_with(expected, joint)).parse(i)?;
    let (i, month) = opt(month_name).parse(i)?;
    let mut e = Elem::new(input, i);
    let i = match month {
        Some(m) => {
            let (i, y) = opt(comma_year).parse(i)?;
            (e.year, e.month, e.part) = (y, Some(m), Part::Days(days.0, days.1));
            i
        }
        None => {
            let (i, y) = cut(label_with(expected, year)).parse(i)?;
            (e.year, e.part) = (Some(y), Part::Months(months.0, months.1));
            i
        }
    };
    e.end = i;
    Ok((i, e))
}

/// A year after a month or day, optionally after a comma: ` 2020`, `, 2022`.
fn comma_year(input: &str) -> PResult<'_, i32> {
    let (i, _) = opt(symbol(',')).parse(input)?;
    preceded(ws1, year).parse(i)
}

/// `July`, `July 2020`, `July 31`, `July 31, 2022`.
fn month_first(input: &str) -> PResult<'_, Elem<'_>> {
    let (i, m) = month_name(input)?;
    let (i, day) = opt(preceded(ws1, day_number)).parse(i)?;
    let (i, y) = opt(comma_year).parse(i)?;
    let mut e = Elem::new(input, i);
    (e.month, e.day, e.year) = (Some(m), day, y);
    Ok((i, e))
}

/// `31 July 2022`, `31 July` or `31` (the last two taking the rest from the period's end:
/// `31 July–2 August 2022`, `1–15 July 2022`, `July 1–15, 2020`).
fn day_first(input: &str) -> PResult<'_, Elem<'_>> {
    let (i, day) = day_number(input)?;
    let (i, month) = opt(preceded(ws1, month_name)).parse(i)?;
    if month.is_none() {
        expect_no_word(i)?;
    }
    let (i, y) = match month {
        Some(_) => opt(comma_year).parse(i)?,
        // `15, 2020` in `July 1–15, 2020`
        None => opt(preceded(symbol(','), comma_year)).parse(i)?,
    };
    let mut e = Elem::new(input, i);
    (e.day, e.month, e.year) = (Some(day), month, y);
    Ok((i, e))
}

/// After a day with no month: a word there should have been a month name (`12 Jully 2020`),
/// unless it joins a period (`1 to 15 July`).
fn expect_no_word(input: &str) -> Result<(), Err<PErr<'_>>> {
    const JOINERS: &[(&str, ())] = &[
        ("and", ()),
        ("to", ()),
        ("until", ()),
        ("through", ()),
        ("till", ()),
    ];
    let Ok((word, _)) = ws1(input) else {
        return Ok(());
    };
    if !word.starts_with(char::is_alphabetic) || lookup(word, JOINERS).is_ok() {
        return Ok(());
    }
    Err(Err::Failure(PErr::at(
        word,
        "a month name, such as \"31 July 2022\"",
    )))
}

/// A day of the month: one or two digits, optionally `st`, `nd`, `rd` or `th`.
fn day_number(input: &str) -> PResult<'_, Pos<'_>> {
    const ORDINALS: &[(&str, ())] = &[("st", ()), ("nd", ()), ("rd", ()), ("th", ())];
    let digits = ascii_digits(input);
    if !(1..=2).contains(&digits.len()) {
        return error(input, "");
    }
    let after = &input[digits.len()..];
    let after = lookup(after, ORDINALS).map_or(after, |(rest, _)| rest);
    if continues_word(after) {
        return error(input, "");
    }
    let pos = Pos {
        value: digits_value(digits),
        at: input,
        len: digits.len(),
    };
    Ok((after, pos))
}

/// Reads a time window such as a rule's `window`: `90 days`, `3 weeks`, `6 months`, `1 year`,
/// in days. A month counts as 30 days and a year as 365: a window is a tolerance, not a date.
pub fn parse_window(input: &str) -> Result<u32, ValueError> {
    finish(input, whole_window(input))
}

const WINDOW: &str = "a number of days, weeks, months or years, such as \"90 days\"";

/// `value = ws count ws unit ws`.
fn whole_window(input: &str) -> PResult<'_, u32> {
    const UNITS: &[(&str, u64)] = &[
        ("days", 1),
        ("day", 1),
        ("weeks", 7),
        ("week", 7),
        ("months", 30),
        ("month", 30),
        ("years", 365),
        ("year", 365),
    ];
    let (i, _) = ws0(input)?;
    let (i, (count, at, len)) = label(WINDOW, spanned(window_count)).parse(i)?;
    let unit = preceded(ws1, |i| lookup(i, UNITS));
    let (i, (_, days)) = cut(label("a unit: days, weeks, months or years", unit)).parse(i)?;
    let (i, _) = ws0(i)?;
    if !i.is_empty() {
        return failure(PErr::at(i, "the end of the window"));
    }
    match count.checked_mul(days).and_then(|d| u32::try_from(d).ok()) {
        Some(d) => Ok((i, d)),
        None => failure(PErr::at(at, "a shorter window").with_len(len)),
    }
}

/// How many units: a whole number, a number word, or `a`/`an` (`a month`).
fn window_count(input: &str) -> PResult<'_, u64> {
    if let Ok((i, n)) = word_amount(input) {
        return whole(input, i, n.value);
    }
    if let Ok((i, _)) = alt((keyword("a"), keyword("an"))).parse(input) {
        return Ok((i, 1));
    }
    let (i, n) = numeral(input)?;
    if n.percent {
        return failure(PErr::at(input, WINDOW).with_len(input.len() - i.len()));
    }
    whole(input, i, n.value)
}

/// A count that must be a whole number of units, 0 or more.
fn whole<'a>(start: &'a str, rest: &'a str, v: f64) -> PResult<'a, u64> {
    if v >= 0.0 && v.fract() == 0.0 && v <= u32::MAX as f64 {
        return Ok((rest, v as u64));
    }
    let expected = "a whole number of days, weeks, months or years";
    failure(PErr::at(start, expected).with_len(start.len() - rest.len()))
}

/// Reads a percentage setting such as `approximation = "10%"`: `10%`, `0.5%`, `10 percent`,
/// as a fraction (0.10, 0.005). A bare number is refused: `0.1` could mean 0.1% or 10%.
pub fn parse_percentage(input: &str) -> Result<f64, ValueError> {
    finish(input, whole_percentage(input))
}

/// `value = ws numeral "%" ws`.
fn whole_percentage(input: &str) -> PResult<'_, f64> {
    let (i, _) = ws0(input)?;
    let expected = "a percentage such as \"10%\"";
    let (i, (n, at, len)) = label(expected, spanned(numeral)).parse(i)?;
    if !n.percent {
        return failure(PErr::at(i, "\"%\" or \"percent\" after the number"));
    }
    if n.value < 0.0 {
        return failure(PErr::at(at, "a percentage of 0% or more").with_len(len));
    }
    let (i, _) = ws0(i)?;
    if !i.is_empty() {
        return failure(PErr::at(i, "the end of the percentage"));
    }
    Ok((i, n.value / 100.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> Day {
        Day::from_ymd(y, m, dd).unwrap()
    }

    fn p(input: &str) -> (Day, Day) {
        let r = parse_period(input).unwrap_or_else(|e| panic!("{input:?}: {e} at {}", e.offset));
        (r.first, r.last)
    }

    fn err(input: &str) -> (usize, String) {
        let e = parse_period(input).unwrap_err();
        (e.offset, e.expected)
    }

    #[test]
    fn iso_dates_and_toml_times() {
        assert_eq!(p("2020"), (d(2020, 1, 1), d(2020, 12, 31)));
        assert_eq!(p("2020-02"), (d(2020, 2, 1), d(2020, 2, 29)));
        assert_eq!(p("2020-07-31"), (d(2020, 7, 31), d(2020, 7, 31)));
        assert_eq!(p("1979-05-27T07:32:00Z"), (d(1979, 5, 27), d(1979, 5, 27)));
        assert_eq!(p("1979-05-27 07:32:00.999-07:00").0, d(1979, 5, 27));
        assert_eq!(time_of_day("T07:32x"), "x");
        assert_eq!(time_of_day("T7:32"), "T7:32");
    }

    #[test]
    fn impossible_dates_point_at_the_field() {
        let e = parse_period("2021-02-30").unwrap_err();
        assert_eq!((e.offset, e.len), (8, 2));
        assert_eq!(e.note.as_deref(), Some("February 2021 has 28 days"));
        assert_eq!(err("2021-13").0, 5);
        assert_eq!(err("2021-1").0, 5);
        assert_eq!(err("0000").0, 0);
    }

    #[test]
    fn years_stand_alone() {
        assert_eq!(year("2020-07"), Ok(("-07", 2020)));
        assert!(year("20201").is_err());
        assert!(year("2020s").is_err());
    }

    #[test]
    fn quarters_and_halves() {
        assert_eq!(p("Q3 2020"), (d(2020, 7, 1), d(2020, 9, 30)));
        assert_eq!(p("H1 2024"), (d(2024, 1, 1), d(2024, 6, 30)));
        assert_eq!(p("second half of 2024"), (d(2024, 7, 1), d(2024, 12, 31)));
        assert_eq!(p("Q3–Q4 2020"), (d(2020, 7, 1), d(2020, 12, 31)));
        assert_eq!(err("Q5 2020").0, 0);
        assert!(err("Q3").1.contains("year"));
        assert!(numbered("H5N1", 'h', 2, "").is_err());
    }

    #[test]
    fn parts_of_years_and_months() {
        assert_eq!(p("early 2024"), (d(2024, 1, 1), d(2024, 4, 30)));
        assert_eq!(p("mid-2023"), (d(2023, 5, 1), d(2023, 8, 31)));
        assert_eq!(p("mid 2023"), (d(2023, 5, 1), d(2023, 8, 31)));
        assert_eq!(p("late 2020"), (d(2020, 9, 1), d(2020, 12, 31)));
        assert_eq!(p("early July 2020"), (d(2020, 7, 1), d(2020, 7, 10)));
        assert_eq!(p("mid-July 2020"), (d(2020, 7, 11), d(2020, 7, 20)));
        assert_eq!(p("late February 2021"), (d(2021, 2, 21), d(2021, 2, 28)));
        assert_eq!(err("early fighters").0, 6);
    }

    #[test]
    fn month_first_and_day_first() {
        assert_eq!(p("July 2020"), (d(2020, 7, 1), d(2020, 7, 31)));
        assert_eq!(p("Jul. 2020").0, d(2020, 7, 1));
        assert_eq!(p("July 31, 2022"), (d(2022, 7, 31), d(2022, 7, 31)));
        assert_eq!(p("31 July 2022"), (d(2022, 7, 31), d(2022, 7, 31)));
        assert_eq!(p("1st July 2022").0, d(2022, 7, 1));
        assert_eq!(err("31 June 2020").0, 0);
        assert_eq!(err("12 Jully 2020").0, 3);
        assert_eq!(err("July").0, 4);
        assert_eq!(err("31").0, 2);
    }

    #[test]
    fn periods() {
        let jul_oct = (d(2020, 7, 1), d(2020, 10, 31));
        assert_eq!(p("2020-07/2020-10"), jul_oct);
        assert_eq!(p("July–October 2020"), jul_oct);
        assert_eq!(p("2020-07 to 2020-10"), jul_oct);
        assert_eq!(p("between July and October 2020"), jul_oct);
        assert_eq!(p("from July to October 2020"), jul_oct);
        assert_eq!(p("July 2020–October 2021").1, d(2021, 10, 31));
        assert_eq!(p("1–15 July 2022"), (d(2022, 7, 1), d(2022, 7, 15)));
        assert_eq!(p("31 July–2 August 2022"), (d(2022, 7, 31), d(2022, 8, 2)));
        assert_eq!(p("2019-2020"), (d(2019, 1, 1), d(2020, 12, 31)));
        assert_eq!(p("2020-07-03/2020-10"), (d(2020, 7, 3), d(2020, 10, 31)));
        assert_eq!(p("July 1–15, 2020"), (d(2020, 7, 1), d(2020, 7, 15)));
        assert_eq!(p("Q3-2020"), (d(2020, 7, 1), d(2020, 9, 30)));
        assert_eq!(p("Q3-Q4 2020"), (d(2020, 7, 1), d(2020, 12, 31)));
    }

    #[test]
    fn backwards_periods_point_at_their_end() {
        let e = parse_period("2020-10/2020-07").unwrap_err();
        assert_eq!((e.offset, e.len), (8, 7));
        assert_eq!(err("October–July 2020").0, "October–".len());
        assert_eq!(err("29 February–March 2021").0, 0);
        assert_eq!(err("July–October").0, "July–October".len());
    }

    #[test]
    fn scanning_reads_bare_years() {
        assert_eq!(
            period(false, "2020 fighters").map(|r| (r.0, r.1.1)),
            Ok((" fighters", true))
        );
        assert_eq!(period(false, "July 2020").map(|r| r.1.1), Ok(false));
        assert_eq!(
            period(false, "July 2020 to the end").map(|r| r.0),
            Ok(" to the end")
        );
    }

    #[test]
    fn windows() {
        assert_eq!(parse_window("90 days"), Ok(90));
        assert_eq!(parse_window("1 day"), Ok(1));
        assert_eq!(parse_window("3 weeks"), Ok(21));
        assert_eq!(parse_window("6 months"), Ok(180));
        assert_eq!(parse_window("2 years"), Ok(730));
        assert_eq!(parse_window("a month"), Ok(30));
        assert_eq!(parse_window("two weeks"), Ok(14));
        assert_eq!(parse_window("1,000 days"), Ok(1000));
        assert_eq!(parse_window("90").unwrap_err().offset, 2);
        assert_eq!(parse_window("1.5 years").unwrap_err().offset, 0);
        assert_eq!(parse_window("-5 days").unwrap_err().offset, 0);
        assert_eq!(parse_window("99999999999 years").unwrap_err().offset, 0);
        assert_eq!(parse_window("90 days ago").unwrap_err().offset, 8);
    }

    #[test]
    fn percentages() {
        assert_eq!(parse_percentage("10%"), Ok(0.10));
        assert_eq!(parse_percentage("0.5%"), Ok(0.005));
        assert_eq!(parse_percentage(" 10 percent "), Ok(0.10));
        assert_eq!(parse_percentage("0.1").unwrap_err().offset, 3);
        assert_eq!(parse_percentage("-5%").unwrap_err().offset, 0);
        assert_eq!(parse_percentage("ten").unwrap_err().offset, 0);
    }
}
