//! Throttle rates: `"100/day"` parsed as the reference does (DRF's `SimpleRateThrottle.parse_rate`).

/// A parsed rate: `num_requests` per `duration` seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    /// Requests allowed per window.
    pub num_requests: u64,
    /// The window in seconds.
    pub duration: u64,
}

/// A rate that does not parse (a configuration error: 500 when the throttle runs).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid throttle rate {0:?}: expected <number>/<s|m|h|d…>")]
pub struct InvalidRate(pub String);

impl Rate {
    /// DRF's `parse_rate`: split at `/`; a decimal count; only the period's **first letter**
    /// counts (`s`, `m`, `h`, `d`), so `3/sec` and `3/second` are `3/s`; no multipliers (`3/10s`
    /// is invalid).
    pub fn parse(rate: &str) -> Result<Self, InvalidRate> {
        let invalid = || InvalidRate(rate.to_owned());
        let (count, period) = rate.split_once('/').ok_or_else(invalid)?;
        let num_requests: u64 = count.parse().map_err(|_| invalid())?;
        let duration = match period.chars().next() {
            Some('s') => 1,
            Some('m') => 60,
            Some('h') => 3600,
            Some('d') => 86_400,
            _ => return Err(invalid()),
        };
        Ok(Self {
            num_requests,
            duration,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_first_letter_of_the_period_counts() {
        for rate in ["3/s", "3/sec", "3/second", "3/sabbatical"] {
            assert_eq!(
                Rate::parse(rate),
                Ok(Rate {
                    num_requests: 3,
                    duration: 1
                }),
                "{rate}"
            );
        }
        assert_eq!(Rate::parse("100/day").map(|r| r.duration), Ok(86_400));
        assert_eq!(Rate::parse("1/hour").map(|r| r.duration), Ok(3600));
        assert_eq!(Rate::parse("10/min").map(|r| r.duration), Ok(60));
    }

    #[test]
    fn multipliers_and_junk_are_invalid() {
        for rate in ["3/10s", "3", "x/s", "/s", "3/", "-1/s", " 3/s"] {
            assert!(Rate::parse(rate).is_err(), "{rate}");
        }
    }
}
