//! The login throttle's rules: login attempts are counted per key (an account, an address)
//! over a sliding window, and past the limit a key waits until its oldest attempt leaves
//! the window. The attempts themselves live in the database (`login_attempts`), so a
//! restart forgets nothing and every process of a cluster counts the same tries; this
//! module only decides. Pure: the time is an argument.

use std::net::IpAddr;
use std::time::Duration;

/// Login attempts allowed per account within [`WINDOW`].
pub const PER_ACCOUNT: usize = 5;
/// Login attempts allowed per address (an IPv4 address, an IPv6 /64) within [`WINDOW`].
pub const PER_ADDRESS: usize = 20;
/// The window over which attempts are counted.
pub const WINDOW: Duration = Duration::from_secs(5 * 60);
/// Longest key stored: an account identifier is at most 32 bytes, and whatever a client
/// sends as one is cut to this (two made-up names that share their first 64 bytes share a
/// count, which only makes guessing harder).
pub const MAX_KEY_BYTES: usize = 72;

/// A counted key and its limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    /// `account:NAME` or `address:IP`.
    pub name: String,
    /// Attempts allowed within the window.
    pub limit: usize,
}

impl Key {
    /// The key of an identifier as the client sent it.
    pub fn account(identifier: &str) -> Self {
        let mut name = format!("account:{identifier}");
        let mut cut = MAX_KEY_BYTES.min(name.len());
        while !name.is_char_boundary(cut) {
            cut -= 1;
        }
        name.truncate(cut);
        Self {
            name,
            limit: PER_ACCOUNT,
        }
    }

    /// The key of a client address. An IPv6 client is counted by its /64, the block one
    /// subscriber gets: a fresh address per guess is free to them, a fresh /64 is not.
    pub fn address(address: IpAddr) -> Self {
        let grouped = match address.to_canonical() {
            IpAddr::V4(v4) => v4.to_string(),
            IpAddr::V6(v6) => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        };
        Self {
            name: format!("address:{grouped}"),
            limit: PER_ADDRESS,
        }
    }
}

/// Whether one more attempt of a key may run at `now` (Unix milliseconds), given the
/// times of its attempts still inside the window (any order): `Err(wait)` says how long
/// until the oldest one leaves it.
pub fn verdict(attempts: &[u64], limit: usize, now: u64) -> Result<(), Duration> {
    let window = window_ms();
    let inside: Vec<u64> = attempts
        .iter()
        .copied()
        .filter(|at| now.saturating_sub(*at) < window)
        .collect();
    if inside.len() < limit {
        return Ok(());
    }
    let oldest = inside.iter().copied().min().unwrap_or(now);
    let leaves = oldest.saturating_add(window);
    Err(Duration::from_millis(leaves.saturating_sub(now).max(1)))
}

/// The window in milliseconds.
pub fn window_ms() -> u64 {
    u64::try_from(WINDOW.as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_past_the_limit_a_key_waits_for_its_oldest_attempt_to_leave_the_window() {
        let start = 1_000_000;
        let attempts = [start, start + 1_000, start + 2_000];
        assert_eq!(verdict(&attempts[..2], 3, start + 10_000), Ok(()));
        assert_eq!(
            verdict(&attempts, 3, start + 10_000),
            Err(WINDOW - Duration::from_secs(10))
        );
        assert_eq!(verdict(&attempts, 3, start + window_ms()), Ok(()));
    }

    #[test]
    fn test_ipv6_clients_are_counted_by_their_64_and_ipv4_by_address() {
        let a = Key::address("2001:db8:1:2::1".parse().unwrap());
        let b = Key::address("2001:db8:1:2:ffff::9".parse().unwrap());
        let c = Key::address("2001:db8:1:3::1".parse().unwrap());
        assert_eq!(a, b, "one /64");
        assert_ne!(a, c);
        assert_eq!(a.name, "address:2001:db8:1:2::/64");
        let mapped = Key::address("::ffff:192.0.2.7".parse().unwrap());
        assert_eq!(mapped.name, "address:192.0.2.7");
        assert_ne!(
            Key::address("192.0.2.7".parse().unwrap()),
            Key::address("192.0.2.8".parse().unwrap())
        );
    }

    #[test]
    fn test_an_account_key_is_bounded_whatever_the_identifier() {
        let long = "é".repeat(1000);
        let key = Key::account(&long);
        assert!(key.name.len() <= MAX_KEY_BYTES);
        assert!(key.name.starts_with("account:é"));
    }
}
