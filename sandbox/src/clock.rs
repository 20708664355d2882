//! Wall-clock text for response fields, from Unix seconds, without a
//! calendar crate. The gateway writes UTC (`2026-04-28T12:34:01.000000Z`);
//! the wallet writes Dhaka local time (`20/02/2025 03:45 PM`, UTC+6, no DST).

use std::time::{SystemTime, UNIX_EPOCH};

/// Bangladesh Standard Time, UTC+6 all year.
const DHAKA_OFFSET_SECS: i64 = 6 * 3600;

/// Seconds since the Unix epoch now (0 if the clock is before 1970).
pub fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX / 2))
}

/// A date and time of day in the proleptic Gregorian calendar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Civil {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
}

/// The calendar date and time of `secs` seconds after the epoch
/// (Howard Hinnant's `civil_from_days`).
pub fn civil(secs: i64) -> Civil {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    // Every value below is in range by construction (day 1..=31, hour 0..=23, …).
    let small = |n: i64| u32::try_from(n).unwrap_or(0);
    Civil {
        year,
        month: small(month),
        day: small(day),
        hour: small(rem / 3600),
        minute: small(rem % 3600 / 60),
        second: small(rem % 60),
    }
}

/// `2026-04-28T12:34:01.000000Z`, as the gateway (a Laravel server) writes times.
pub fn gateway_time(secs: i64) -> String {
    let c = civil(secs);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.000000Z",
        c.year, c.month, c.day, c.hour, c.minute, c.second
    )
}

/// `YYYYMMDD` in Dhaka, the date part of a gateway transaction id.
pub fn trx_date(secs: i64) -> String {
    let c = civil(secs + DHAKA_OFFSET_SECS);
    format!("{:04}{:02}{:02}", c.year, c.month, c.day)
}

/// `20/02/2025 03:45 PM` in Dhaka, as the wallet writes `created_at`.
pub fn wallet_time(secs: i64) -> String {
    let c = civil(secs + DHAKA_OFFSET_SECS);
    let (hour12, half) = match c.hour {
        0 => (12, "AM"),
        h @ 1..=11 => (h, "AM"),
        12 => (12, "PM"),
        h => (h - 12, "PM"),
    };
    format!(
        "{:02}/{:02}/{:04} {:02}:{:02} {}",
        c.day, c.month, c.year, hour12, c.minute, half
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        // (unix seconds, gateway UTC, wallet Dhaka, trx date)
        let rows = [
            (
                0,
                "1970-01-01T00:00:00.000000Z",
                "01/01/1970 06:00 AM",
                "19700101",
            ),
            (
                1_777_379_641,
                "2026-04-28T12:34:01.000000Z",
                "28/04/2026 06:34 PM",
                "20260428",
            ),
            (
                1_740_044_700,
                "2025-02-20T09:45:00.000000Z",
                "20/02/2025 03:45 PM",
                "20250220",
            ),
            (
                951_825_600,
                "2000-02-29T12:00:00.000000Z",
                "29/02/2000 06:00 PM",
                "20000229",
            ),
            (
                1_767_207_600,
                "2025-12-31T19:00:00.000000Z",
                "01/01/2026 01:00 AM",
                "20260101",
            ),
            (
                1_767_182_400,
                "2025-12-31T12:00:00.000000Z",
                "31/12/2025 06:00 PM",
                "20251231",
            ),
        ];
        for (secs, utc, dhaka, date) in rows {
            assert_eq!(gateway_time(secs), utc, "{secs}");
            assert_eq!(wallet_time(secs), dhaka, "{secs}");
            assert_eq!(trx_date(secs), date, "{secs}");
        }
    }

    #[test]
    fn midnight_and_noon_use_twelve() {
        // 18:00 UTC is midnight in Dhaka; 06:00 UTC is noon.
        assert_eq!(wallet_time(18 * 3600), "02/01/1970 12:00 AM");
        assert_eq!(wallet_time(6 * 3600), "01/01/1970 12:00 PM");
    }
}
