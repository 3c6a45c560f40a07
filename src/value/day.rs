//! Calendar days as plain integers, so that periods compare and subtract cheaply.

use std::fmt;

/// A proleptic Gregorian calendar day, counted from 1970-01-01 (day 0).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct Day(pub i32);

/// The years the value language accepts; outside them a "date" is almost surely a typo.
pub const MIN_YEAR: i32 = 1;
pub const MAX_YEAR: i32 = 9999;

impl Day {
    /// The day for a year, month (1–12) and day of month, or `None` when no such day exists
    /// (`2021-02-30`, month 13, a year outside 1–9999).
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Day> {
        if !(MIN_YEAR..=MAX_YEAR).contains(&year) || !(1..=12).contains(&month) {
            return None;
        }
        if day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Day(days_from_civil(year, month, day)))
    }

    /// The year, month and day of month of this day.
    pub fn ymd(self) -> (i32, u32, u32) {
        civil_from_days(self.0)
    }

    pub fn year(self) -> i32 {
        self.ymd().0
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

pub fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Days in a month (1–12) of a year.
pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

// The two conversions below are the well-known era-based algorithms for the proleptic
// Gregorian calendar: a 400-year era has exactly 146,097 days.
fn days_from_civil(year: i32, month: u32, day: u32) -> i32 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let m = month as i32;
    let day_of_year = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day as i32 - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

fn civil_from_days(days: i32) -> (i32, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = year_of_era + era * 400 + i32::from(month <= 2);
    (year, month, day)
}

/// A closed range of days, `first..=last`: the period a date or period string denotes.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct DayRange {
    pub first: Day,
    pub last: Day,
}

impl DayRange {
    /// A range, or `None` when `last` comes before `first`.
    pub fn new(first: Day, last: Day) -> Option<DayRange> {
        (first <= last).then_some(DayRange { first, last })
    }

    pub fn single(day: Day) -> DayRange {
        DayRange {
            first: day,
            last: day,
        }
    }

    pub fn overlaps(&self, other: &DayRange) -> bool {
        self.first <= other.last && other.first <= self.last
    }

    /// Whether `other` lies within this range (both ends included).
    pub fn contains(&self, other: &DayRange) -> bool {
        self.first <= other.first && other.last <= self.last
    }

    /// Days between the two ranges: 0 when they overlap, else the length of the gap.
    pub fn gap_days(&self, other: &DayRange) -> i32 {
        if self.overlaps(other) {
            0
        } else if self.last < other.first {
            other.first.0 - self.last.0
        } else {
            self.first.0 - other.last.0
        }
    }

    /// The middle day, for ordering a series in time.
    pub fn midpoint(&self) -> Day {
        Day(self.first.0 + (self.last.0 - self.first.0) / 2)
    }
}

impl fmt::Display for DayRange {
    /// Prints the shortest exact form: `2020`, `2020-07`, `2020-07-31`, or `first/last`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (fy, fm, fd) = self.first.ymd();
        let (ly, lm, ld) = self.last.ymd();
        if self.first == self.last {
            write!(f, "{}", self.first)
        } else if fy == ly && (fm, fd, lm, ld) == (1, 1, 12, 31) {
            write!(f, "{fy:04}")
        } else if fy == ly && fm == lm && fd == 1 && ld == days_in_month(ly, lm) {
            write!(f, "{fy:04}-{fm:02}")
        } else {
            let short = |y: i32, m: u32, d: u32, last: bool| {
                let whole_month = if last {
                    d == days_in_month(y, m)
                } else {
                    d == 1
                };
                if whole_month {
                    format!("{y:04}-{m:02}")
                } else {
                    format!("{y:04}-{m:02}-{d:02}")
                }
            };
            write!(
                f,
                "{}/{}",
                short(fy, fm, fd, false),
                short(ly, lm, ld, true)
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_is_day_zero() {
        assert_eq!(Day::from_ymd(1970, 1, 1), Some(Day(0)));
        assert_eq!(Day(0).ymd(), (1970, 1, 1));
    }

    #[test]
    fn round_trips_across_centuries() {
        for days in (-719_000..2_900_000).step_by(997) {
            let (y, m, d) = Day(days).ymd();
            assert_eq!(Day::from_ymd(y, m, d), Some(Day(days)), "{y}-{m}-{d}");
        }
    }

    #[test]
    fn rejects_impossible_days() {
        assert_eq!(Day::from_ymd(2021, 2, 29), None);
        assert!(Day::from_ymd(2020, 2, 29).is_some());
        assert_eq!(Day::from_ymd(2021, 2, 30), None);
        assert_eq!(Day::from_ymd(1900, 2, 29), None);
        assert!(Day::from_ymd(2000, 2, 29).is_some());
        assert_eq!(Day::from_ymd(2021, 13, 1), None);
        assert_eq!(Day::from_ymd(2021, 4, 31), None);
        assert_eq!(Day::from_ymd(0, 1, 1), None);
    }

    #[test]
    fn ranges_print_their_shortest_form() {
        let d = |y, m, d| Day::from_ymd(y, m, d).unwrap();
        let r = |a, b| DayRange::new(a, b).unwrap();
        assert_eq!(r(d(2020, 1, 1), d(2020, 12, 31)).to_string(), "2020");
        assert_eq!(r(d(2020, 2, 1), d(2020, 2, 29)).to_string(), "2020-02");
        assert_eq!(r(d(2022, 7, 31), d(2022, 7, 31)).to_string(), "2022-07-31");
        assert_eq!(
            r(d(2020, 7, 1), d(2020, 10, 31)).to_string(),
            "2020-07/2020-10"
        );
        assert_eq!(
            r(d(2020, 7, 3), d(2020, 10, 31)).to_string(),
            "2020-07-03/2020-10"
        );
    }

    #[test]
    fn gaps_between_ranges() {
        let d = |y, m, dd| Day::from_ymd(y, m, dd).unwrap();
        let a = DayRange::new(d(2020, 1, 1), d(2020, 1, 31)).unwrap();
        let b = DayRange::new(d(2020, 3, 1), d(2020, 3, 31)).unwrap();
        assert_eq!(a.gap_days(&b), 30);
        assert_eq!(b.gap_days(&a), 30);
        assert_eq!(a.gap_days(&a), 0);
        assert!(!a.overlaps(&b));
    }
}
