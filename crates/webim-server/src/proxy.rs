//! Who is really asking, behind a load balancer. The login throttle counts failures per
//! client address; behind a proxy every request comes from the proxy, so one person's
//! failures would lock everyone out. For peers in `--trusted-proxy` networks the address
//! is taken from `X-Forwarded-For` instead: its rightmost entry that is not itself a
//! trusted proxy (entries further left are whatever the client claimed). Pure.

use std::net::IpAddr;
use std::str::FromStr;

/// A network: an address and how many leading bits must match (`10.0.0.0/8`, `::1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Network {
    address: IpAddr,
    prefix: u8,
}

impl FromStr for Network {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let (address, prefix) = match text.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (text, None),
        };
        let address: IpAddr = address
            .trim()
            .parse()
            .map_err(|e| format!("{text:?}: {e}"))?;
        let max = if address.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(p) => p
                .trim()
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(|| format!("{text:?}: the prefix must be 0 to {max}"))?,
            None => max,
        };
        Ok(Self { address, prefix })
    }
}

fn bits(address: IpAddr) -> (u128, u32) {
    match address {
        IpAddr::V4(a) => (u128::from(u32::from(a)), 32),
        IpAddr::V6(a) => (u128::from(a), 128),
    }
}

impl Network {
    /// True if `address` is in this network.
    pub fn contains(&self, address: IpAddr) -> bool {
        let (mine, width) = bits(self.address);
        let (theirs, their_width) = bits(address.to_canonical());
        if width != their_width {
            return false;
        }
        let shift = width - u32::from(self.prefix);
        shift >= width || (mine >> shift) == (theirs >> shift)
    }
}

/// The client's address: `peer`, or, if `peer` is a trusted proxy, the rightmost address
/// in `forwarded` (every `X-Forwarded-For` line, in the order received: a client may send
/// its own line before the proxy's, and a list split over lines is one list) that is not
/// a trusted proxy.
pub fn client_address(peer: IpAddr, forwarded: &[&str], trusted: &[Network]) -> IpAddr {
    let is_trusted = |a: IpAddr| trusted.iter().any(|n| n.contains(a));
    if !is_trusted(peer) {
        return peer;
    }
    let mut client = peer;
    let entries = forwarded.iter().rev().flat_map(|line| line.rsplit(','));
    for entry in entries {
        match entry.trim().parse::<IpAddr>() {
            Ok(address) => {
                client = address;
                if !is_trusted(address) {
                    break;
                }
            }
            // A malformed entry ends the trust: the last good address stands.
            Err(_) => break,
        }
    }
    client
}

/// The client's address for a request from `peer` with `headers` (every
/// `X-Forwarded-For` line read; a line that is not text ends the trust like a bad entry).
pub fn client_of(peer: IpAddr, headers: &axum::http::HeaderMap, trusted: &[Network]) -> IpAddr {
    let mut lines = Vec::new();
    for value in headers.get_all("x-forwarded-for") {
        match value.to_str() {
            Ok(line) => lines.push(line),
            Err(_) => lines.clear(),
        }
    }
    client_address(peer, &lines, trusted)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn test_networks_match_their_prefix() {
        let net: Network = "10.0.0.0/8".parse().unwrap();
        assert!(net.contains(ip("10.1.2.3")));
        assert!(!net.contains(ip("11.0.0.1")));
        assert!(!net.contains(ip("::1")));
        assert!(
            "0.0.0.0/0"
                .parse::<Network>()
                .unwrap()
                .contains(ip("8.8.8.8"))
        );
        assert!("::1".parse::<Network>().unwrap().contains(ip("::1")));
        assert!("10.0.0.0/33".parse::<Network>().is_err());
        assert!("nonsense".parse::<Network>().is_err());
    }

    #[test]
    fn test_only_a_trusted_proxy_may_name_the_client() {
        let trusted = ["10.0.0.0/8".parse().unwrap()];
        let via_proxy = client_address(ip("10.0.0.5"), &["1.2.3.4, 10.0.0.9"], &trusted);
        assert_eq!(via_proxy, ip("1.2.3.4"));
        let spoofed = client_address(ip("5.6.7.8"), &["1.2.3.4"], &trusted);
        assert_eq!(
            spoofed,
            ip("5.6.7.8"),
            "an untrusted peer is its own address"
        );
        let claimed = client_address(ip("10.0.0.5"), &["9.9.9.9, 1.2.3.4"], &trusted);
        assert_eq!(claimed, ip("1.2.3.4"), "what the client claimed is ignored");
        let garbage = client_address(ip("10.0.0.5"), &["1.2.3.4, junk"], &trusted);
        assert_eq!(garbage, ip("10.0.0.5"));
        assert_eq!(
            client_address(ip("10.0.0.5"), &[], &trusted),
            ip("10.0.0.5")
        );
    }

    #[test]
    fn test_a_line_the_client_sent_before_the_proxys_is_not_believed() {
        let trusted = ["10.0.0.0/8".parse().unwrap()];
        // The client wrote `X-Forwarded-For: 6.6.6.6`; the proxy added its own line.
        let lines = ["6.6.6.6", "1.2.3.4"];
        assert_eq!(
            client_address(ip("10.0.0.5"), &lines, &trusted),
            ip("1.2.3.4")
        );
        let split = ["1.2.3.4", "10.0.0.9"];
        assert_eq!(
            client_address(ip("10.0.0.5"), &split, &trusted),
            ip("1.2.3.4"),
            "one list over two lines"
        );
    }
}
