//! Times as readers see them.
//!
//! The store keeps instants in UTC; a page shows them in the site's time zone, in the house
//! style of the page anatomy (`27 Dec. 2024, 11:22`: AP month abbreviations, 24-hour clock),
//! and puts the exact instant with its offset in `<time datetime>` for machines.

use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use std::fmt;

/// The site's time zone, checked once when settings are loaded.
#[derive(Clone, Debug)]
pub struct SiteZone {
    name: String,
    tz: TimeZone,
}

/// A time zone name that the bundled database does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown time zone '{0}': use an IANA name such as Asia/Seoul or Europe/London")]
pub struct UnknownZone(pub String);

impl SiteZone {
    pub fn new(name: &str) -> Result<SiteZone, UnknownZone> {
        let tz = TimeZone::get(name).map_err(|_| UnknownZone(name.to_string()))?;
        Ok(SiteZone {
            name: name.to_string(),
            tz,
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn tz(&self) -> &TimeZone {
        &self.tz
    }

    /// Read a wall-clock time printed on a page of this site as an instant. In a gap or fold
    /// (daylight-saving changes) the earlier reading wins, as a newsroom clock would show it.
    pub fn instant(&self, wall: DateTime) -> Timestamp {
        self.tz
            .to_ambiguous_timestamp(wall)
            .compatible()
            .or_else(|_| TimeZone::UTC.to_timestamp(wall))
            .unwrap_or(Timestamp::UNIX_EPOCH)
    }

    /// The wall-clock reading of an instant in this zone.
    pub fn wall(&self, at: Timestamp) -> DateTime {
        at.to_zoned_datetime(self.tz.clone()).datetime()
    }

    /// `27 Dec. 2024, 11:22`.
    pub fn display(&self, at: Timestamp) -> HouseTime {
        HouseTime(self.wall(at))
    }

    /// `2024-12-27T11:22:00+09:00`, for `<time datetime>`, feeds and JSON-LD.
    pub fn iso(&self, at: Timestamp) -> String {
        let zoned = at.to_zoned_datetime(self.tz.clone());
        zoned.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
    }
}

/// A wall-clock time in the house style.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HouseTime(pub DateTime);

/// AP style month names: abbreviated with a point, except the short ones.
pub const MONTHS: [&str; 12] = [
    "Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.",
    "Dec.",
];

impl fmt::Display for HouseTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.0;
        write!(
            f,
            "{} {} {}, {:02}:{:02}",
            d.day(),
            MONTHS[(d.month() - 1) as usize],
            d.year(),
            d.hour(),
            d.minute()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seoul_house_style_and_iso() {
        let seoul = SiteZone::new("Asia/Seoul").unwrap();
        let wall: DateTime = "2024-12-27T11:22".parse().unwrap();
        let at = seoul.instant(wall);
        assert_eq!(at.to_string(), "2024-12-27T02:22:00Z");
        assert_eq!(seoul.display(at).to_string(), "27 Dec. 2024, 11:22");
        assert_eq!(seoul.iso(at), "2024-12-27T11:22:00+09:00");
    }

    #[test]
    fn short_months_have_no_point() {
        let utc = SiteZone::new("UTC").unwrap();
        let at: Timestamp = "2025-06-03T07:05:00Z".parse().unwrap();
        assert_eq!(utc.display(at).to_string(), "3 June 2025, 07:05");
        assert_eq!(utc.iso(at), "2025-06-03T07:05:00+00:00");
    }

    #[test]
    fn unknown_zone_is_named() {
        let err = SiteZone::new("Mars/Olympus").unwrap_err();
        assert!(err.to_string().contains("Mars/Olympus"));
    }
}
