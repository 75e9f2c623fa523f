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
/// in `forwarded` (X-Forwarded-For) that is not a trusted proxy.
pub fn client_address(peer: IpAddr, forwarded: Option<&str>, trusted: &[Network]) -> IpAddr {
    let is_trusted = |a: IpAddr| trusted.iter().any(|n| n.contains(a));
    if !is_trusted(peer) {
        return peer;
    }
    let Some(forwarded) = forwarded else {
        return peer;
    };
    let mut client = peer;
    for entry in forwarded.rsplit(',') {
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
        let via_proxy = client_address(ip("10.0.0.5"), Some("1.2.3.4, 10.0.0.9"), &trusted);
        assert_eq!(via_proxy, ip("1.2.3.4"));
        let spoofed = client_address(ip("5.6.7.8"), Some("1.2.3.4"), &trusted);
        assert_eq!(
            spoofed,
            ip("5.6.7.8"),
            "an untrusted peer is its own address"
        );
        let claimed = client_address(ip("10.0.0.5"), Some("9.9.9.9, 1.2.3.4"), &trusted);
        assert_eq!(claimed, ip("1.2.3.4"), "what the client claimed is ignored");
        let garbage = client_address(ip("10.0.0.5"), Some("1.2.3.4, junk"), &trusted);
        assert_eq!(garbage, ip("10.0.0.5"));
        assert_eq!(
            client_address(ip("10.0.0.5"), None, &trusted),
            ip("10.0.0.5")
        );
    }
}
