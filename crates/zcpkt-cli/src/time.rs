//! UTC ISO-8601 timestamps with microseconds, both ways, without a date
//! crate: the format is fixed and only UTC is ever needed.
//!
//! Years outside 0000-9999 use ISO 8601's expanded form, a sign and at
//! least four digits (`+10000-01-01T00:00:00Z`, `-0001-12-31T...`), as
//! RFC 3339's basic four-digit year cannot hold them; hostile or bogus
//! capture timestamps reach them easily.

use std::fmt;

const MICROS_PER_SEC: u64 = 1_000_000;
const SECS_PER_DAY: u64 = 86_400;

/// Displays microseconds since the Unix epoch as `2024-01-01T00:00:00.000001Z`.
#[derive(Clone, Copy, Debug)]
pub struct Iso(pub u64);

impl fmt::Display for Iso {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secs = self.0 / MICROS_PER_SEC;
        let micros = self.0 % MICROS_PER_SEC;
        // u64::MAX µs is about 2.1e8 days: far inside i64.
        let (year, month, day) = civil_from_days((secs / SECS_PER_DAY) as i64);
        let sod = secs % SECS_PER_DAY;
        let (hour, min, sec) = (sod / 3600, sod / 60 % 60, sod % 60);
        let year = Year(year);
        write!(f, "{year}-{month:02}-{day:02}T{hour:02}:{min:02}:{sec:02}.{micros:06}Z")
    }
}

/// Displays a time given as seconds since the Unix epoch (negative before
/// it) and nanoseconds as `2024-01-01T00:00:00.000000001Z`.
#[derive(Clone, Copy, Debug)]
pub struct IsoNanos {
    pub secs: i64,
    pub nanos: u32,
}

impl fmt::Display for IsoNanos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let days = self.secs.div_euclid(SECS_PER_DAY as i64);
        let sod = self.secs.rem_euclid(SECS_PER_DAY as i64);
        let (year, month, day) = civil_from_days(days);
        let (hour, min, sec) = (sod / 3600, sod / 60 % 60, sod % 60);
        let (year, nanos) = (Year(year), self.nanos);
        write!(f, "{year}-{month:02}-{day:02}T{hour:02}:{min:02}:{sec:02}.{nanos:09}Z")
    }
}

/// A year as ISO 8601 writes it: four digits from 0000 to 9999, else
/// the expanded form with its sign and at least four digits.
struct Year(i64);

impl fmt::Display for Year {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            y @ 0..=9999 => write!(f, "{y:04}"),
            y @ 10_000.. => write!(f, "+{y}"),
            y => write!(f, "-{:04}", y.unsigned_abs()),
        }
    }
}

/// Howard Hinnant's civil-from-days: proleptic Gregorian date of a day count
/// since 1970-01-01.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// The inverse of [`civil_from_days`].
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year - era * 400;
    let mp = i64::from((month + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn days_in_month(year: i64, month: u32) -> u32 {
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Parses a time given on the command line: microseconds since the epoch
/// (`1704067200000000`) or UTC ISO-8601 (`2024-01-01`,
/// `2024-01-01T00:00:00Z`, `2024-01-01T00:00:00.25Z`).
pub fn parse_time(text: &str) -> Result<u64, String> {
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse().map_err(|_| format!("time '{text}' is out of range"));
    }
    parse_iso(text).ok_or_else(|| {
        format!(
            "invalid time '{text}': expected microseconds since the epoch or UTC ISO-8601 \
             like 2024-01-01T00:00:00Z or 2024-01-01T00:00:00.000001Z"
        )
    })
}

fn parse_iso(text: &str) -> Option<u64> {
    let (date, time) = match text.split_once(['T', 't', ' ']) {
        Some((date, time)) => (date, Some(time.strip_suffix(['Z', 'z'])?)),
        None => (text, None),
    };
    let days = parse_date(date)?;
    let (secs_of_day, micros) = match time {
        Some(time) => parse_clock(time)?,
        None => (0, 0),
    };
    let secs = u64::try_from(days).ok()?.checked_mul(SECS_PER_DAY)? + secs_of_day;
    secs.checked_mul(MICROS_PER_SEC)?.checked_add(micros)
}

fn parse_date(date: &str) -> Option<i64> {
    let mut parts = date.splitn(3, '-');
    let year = parse_year(parts.next()?)?;
    let month = fixed_digits(parts.next()?, 2)? as u32;
    let day = fixed_digits(parts.next()?, 2)? as u32;
    let valid = (1..=12).contains(&month) && (1..=days_in_month(year, month)).contains(&day);
    valid.then(|| days_from_civil(year, month, day))
}

/// Four digits, or the expanded form that [`Year`] writes past 9999: `+`
/// and four or more digits (a negative year is before the epoch, which no
/// time here can be).
fn parse_year(text: &str) -> Option<i64> {
    // Twelve digits are far past any u64 of microseconds (year 586524) and
    // keep days_from_civil's arithmetic well inside an i64.
    let digits = match text.strip_prefix('+') {
        Some(digits) if (4..=12).contains(&digits.len()) => digits,
        Some(_) => return None,
        None if text.len() == 4 => text,
        None => return None,
    };
    i64::try_from(fixed_digits(digits, digits.len())?).ok()
}

/// `HH:MM:SS[.ffffff]` into seconds of the day and microseconds.
fn parse_clock(time: &str) -> Option<(u64, u64)> {
    let (clock, fraction) = match time.split_once('.') {
        Some((clock, fraction)) => (clock, Some(fraction)),
        None => (time, None),
    };
    let mut parts = clock.splitn(3, ':');
    let hour = fixed_digits(parts.next()?, 2)?;
    let min = fixed_digits(parts.next()?, 2)?;
    let sec = fixed_digits(parts.next()?, 2)?;
    if hour > 23 || min > 59 || sec > 59 {
        return None;
    }
    let micros = match fraction {
        Some(f) if (1..=6).contains(&f.len()) => {
            fixed_digits(f, f.len())? * 10u64.pow(6 - f.len() as u32)
        }
        Some(_) => return None,
        None => 0,
    };
    Some((hour * 3600 + min * 60 + sec, micros))
}

fn fixed_digits(text: &str, len: usize) -> Option<u64> {
    let ok = text.len() == len && text.bytes().all(|b| b.is_ascii_digit());
    ok.then(|| text.parse().ok()).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_epoch_and_known_dates() {
        assert_eq!(Iso(0).to_string(), "1970-01-01T00:00:00.000000Z");
        assert_eq!(Iso(1_704_067_200_000_001).to_string(), "2024-01-01T00:00:00.000001Z");
        assert_eq!(Iso(951_782_400_000_000).to_string(), "2000-02-29T00:00:00.000000Z");
        assert_eq!(Iso(253_402_300_799_999_999).to_string(), "9999-12-31T23:59:59.999999Z");
        assert_eq!(Iso(253_402_300_800_000_000).to_string(), "+10000-01-01T00:00:00.000000Z");
        assert_eq!(Iso(u64::MAX).to_string(), "+586524-01-19T08:01:49.551615Z");
    }

    #[test]
    fn formats_nanosecond_times_before_and_after_the_epoch() {
        let iso = |secs, nanos| IsoNanos { secs, nanos }.to_string();
        assert_eq!(iso(1_700_000_000, 60_000), "2023-11-14T22:13:20.000060000Z");
        assert_eq!(iso(-1, 999_999_995), "1969-12-31T23:59:59.999999995Z");
        assert!(iso(i64::MIN, 0).ends_with(".000000000Z"));
        // ISO 8601's expanded years: a sign and at least four digits.
        assert_eq!(iso(253_402_300_800, 5), "+10000-01-01T00:00:00.000000005Z");
        assert_eq!(iso(i64::MAX, 0), "+292277026596-12-04T15:30:07.000000000Z");
        assert_eq!(iso(-62_167_219_200, 0), "0000-01-01T00:00:00.000000000Z");
        assert_eq!(iso(-62_167_219_201, 0), "-0001-12-31T23:59:59.000000000Z");
        let year_minus_10000 = days_from_civil(-10_000, 1, 1) * 86_400;
        assert_eq!(iso(year_minus_10000, 0), "-10000-01-01T00:00:00.000000000Z");
    }

    #[test]
    fn parses_what_it_formats() {
        let far = [253_402_300_800_000_000, u64::MAX];
        let near = [0, 1, 951_782_400_000_000, 1_704_067_200_123_456, 4_102_444_799_999_999];
        for us in near.into_iter().chain(far) {
            assert_eq!(parse_time(&Iso(us).to_string()), Ok(us));
        }
    }

    #[test]
    fn parses_inputs_of_every_shape() {
        assert_eq!(parse_time("1704067200000000"), Ok(1_704_067_200_000_000));
        assert_eq!(parse_time("2024-01-01"), Ok(1_704_067_200_000_000));
        assert_eq!(parse_time("2024-01-01T00:00:00Z"), Ok(1_704_067_200_000_000));
        assert_eq!(parse_time("2024-01-01T00:00:01.5Z"), Ok(1_704_067_201_500_000));
    }

    #[test]
    fn rejects_malformed_times() {
        for bad in [
            "",
            "2024-13-01",
            "2023-02-29",
            "2024-01-01T24:00:00Z",
            "2024-01-01T00:00:00",
            "2024-01-01T00:00:00.1234567Z",
            "1969-12-31T23:59:59Z",
            "-5",
            "99999999999999999999",
            "10000-01-01",
            "+999-01-01",
            "+1000000000000-01-01",
            "-0001-01-01",
        ] {
            assert!(parse_time(bad).is_err(), "{bad:?} accepted");
        }
    }
}
