//! Dates as the district counts them: Beijing time (UTC+8, no daylight saving).

use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime, Time, UtcOffset};

/// China Standard Time.
pub const BEIJING: UtcOffset = match UtcOffset::from_hms(8, 0, 0) {
    Ok(o) => o,
    Err(_) => UtcOffset::UTC,
};

/// Today's date in Beijing.
pub fn today() -> Date {
    OffsetDateTime::now_utc().to_offset(BEIJING).date()
}

/// Parses `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Option<Date> {
    Date::parse(
        s.trim(),
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .ok()
}

/// An `as_of` value: a date means the end of that day in Beijing; an RFC 3339 timestamp is exact.
pub fn parse_as_of(s: &str) -> Option<OffsetDateTime> {
    if let Some(d) = parse_date(s) {
        let next = d.next_day()?;
        return Some(
            next.with_time(Time::MIDNIGHT).assume_offset(BEIJING) - time::Duration::microseconds(1),
        );
    }
    OffsetDateTime::parse(s.trim(), &Rfc3339).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_as_of_means_the_end_of_that_day_in_beijing() {
        let t = parse_as_of("2023-06-30").expect("date");
        assert_eq!(
            t.to_offset(BEIJING).date(),
            time::macros::date!(2023 - 06 - 30)
        );
        assert_eq!(t.to_offset(UtcOffset::UTC).hour(), 15);
        assert!(parse_as_of("2023-06-30T08:00:00Z").is_some());
        assert!(parse_as_of("2023-13-01").is_none());
        assert!(parse_as_of("yesterday").is_none());
    }
}
