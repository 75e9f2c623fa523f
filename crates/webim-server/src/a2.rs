//! webim.js 1.7's session credential (docs/protocol.md, "Logging in as 1.7 does"): after
//! `/v4/openim/login` with a userSig, every call presents a `tinyid` and an `A2Key`.
//!
//! The TinyId is a number derived from the account under the signing key, so it is the
//! same at every login and on every process. The A2Key names the account, the TinyId, when
//! the userSig it was made from was issued, a session id and its expiry, signed with HMAC-SHA256 under the userSig key: any process
//! of a cluster verifies it without asking the database, as strictly as a userSig. It
//! expires with the userSig it was made from (and within `--sig-expire`); a logout ends its
//! session in the service's records, which the service checks with the caller's account.
//!
//! Pure: the time and the randomness are arguments.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::Mac;
use webim_proto::{AccountId, Timestamp};
use webim_service::SessionTicket;

use crate::usersig::{SigError, SigKey};

/// The longest A2Key read (ours are about 120 characters).
const MAX_A2_CHARS: usize = 512;
/// TinyIds stay below 2^48, well inside what JavaScript's numbers hold exactly.
const TINY_ID_SPACE: u64 = (1 << 48) - 1;

/// What a valid A2Key says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct A2Claims {
    /// The account.
    pub account: AccountId,
    /// Its session.
    pub session: SessionTicket,
    /// When the userSig it was made from was issued: ending the account's credentials
    /// ends this session too.
    pub issued: Timestamp,
}

/// The account's TinyId under `key`: never 0 (1.7 takes 0 for "no TinyId").
pub fn tiny_id(key: &SigKey, account: &AccountId) -> u64 {
    let mac = key
        .mac(&format!("webim.tinyid\n{}\n{account}\n", key.sdk_app_id()))
        .finalize()
        .into_bytes();
    let mut first = [0u8; 8];
    first.copy_from_slice(&mac[..8]);
    u64::from_le_bytes(first) % TINY_ID_SPACE + 1
}

/// What is signed: the account, its TinyId, the times and the session.
struct Signed<'a> {
    account: &'a str,
    issued: u64,
    expires: u64,
    session: &'a str,
}

fn signed_text(key: &SigKey, tiny: u64, signed: &Signed<'_>) -> String {
    let Signed {
        account,
        issued,
        expires,
        session,
    } = signed;
    format!(
        "webim.a2\n{}\n{account}\n{tiny}\n{issued}\n{expires}\n{session}\n",
        key.sdk_app_id()
    )
}

/// An A2Key for `account`'s new session `session` (random bytes), made from a userSig
/// issued at `issued`, valid until `expires`.
pub fn mint(
    key: &SigKey,
    account: &AccountId,
    session: [u8; 16],
    issued: Timestamp,
    expires: Timestamp,
) -> String {
    let session: String = session.iter().map(|b| format!("{b:02x}")).collect();
    let tiny = tiny_id(key, account);
    let signed = Signed {
        account: account.as_str(),
        issued: issued.0,
        expires: expires.0,
        session: &session,
    };
    let mac = key
        .mac(&signed_text(key, tiny, &signed))
        .finalize()
        .into_bytes();
    format!(
        "{}.{}.{}.{session}.{}",
        URL_SAFE_NO_PAD.encode(account.as_str()),
        issued.0,
        expires.0,
        URL_SAFE_NO_PAD.encode(mac)
    )
}

/// Checks `a2` presented with `tiny_id` at `now`.
pub fn verify(key: &SigKey, a2: &str, tiny: &str, now: u64) -> Result<A2Claims, SigError> {
    if a2.is_empty() {
        return Err(SigError::Missing);
    }
    let malformed = |what: &str| SigError::Malformed(format!("A2Key: {what}"));
    if a2.len() > MAX_A2_CHARS {
        return Err(malformed("too long"));
    }
    let mut parts = a2.split('.');
    let (Some(account), Some(issued), Some(expires), Some(session), Some(mac), None) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return Err(malformed("not five parts"));
    };
    let account = URL_SAFE_NO_PAD
        .decode(account)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|text| AccountId::new(text).ok())
        .ok_or_else(|| malformed("no account"))?;
    let expires: u64 = expires.parse().map_err(|_| malformed("no expiry"))?;
    let issued: u64 = issued.parse().map_err(|_| malformed("no issue time"))?;
    if session.len() != 32 || !session.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(malformed("no session"));
    }
    let given = URL_SAFE_NO_PAD.decode(mac).map_err(|_| SigError::Forged)?;
    let own = tiny_id(key, &account);
    let signed = Signed {
        account: account.as_str(),
        issued,
        expires,
        session,
    };
    let text = signed_text(key, own, &signed);
    // Constant time: how much of a forged signature matched is not measurable.
    key.mac(&text)
        .verify_slice(&given)
        .map_err(|_| SigError::Forged)?;
    if tiny != own.to_string() {
        return Err(SigError::OtherIdentity {
            sig: own.to_string(),
            request: tiny.to_owned(),
        });
    }
    if now > expires {
        return Err(SigError::Expired { at: expires });
    }
    Ok(A2Claims {
        account,
        session: SessionTicket {
            id: session.to_owned(),
            expires: Timestamp(expires),
        },
        issued: Timestamp(issued),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> SigKey {
        SigKey::new(1_400_000_000, "k")
    }

    fn alice() -> AccountId {
        AccountId::new("alice").unwrap()
    }

    #[test]
    fn test_a_tiny_id_is_stable_per_account_and_key() {
        let id = tiny_id(&key(), &alice());
        assert_eq!(id, tiny_id(&key(), &alice()));
        assert!((1..=TINY_ID_SPACE).contains(&id));
        assert_ne!(id, tiny_id(&key(), &AccountId::new("bob").unwrap()));
        assert_ne!(id, tiny_id(&SigKey::new(1_400_000_000, "other"), &alice()));
    }

    #[test]
    fn test_an_a2_key_opens_its_session_until_it_expires() {
        let a2 = mint(&key(), &alice(), [7; 16], Timestamp(900), Timestamp(1000));
        assert!(
            a2.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
        );
        let tiny = tiny_id(&key(), &alice()).to_string();
        let claims = verify(&key(), &a2, &tiny, 1000).unwrap();
        assert_eq!(claims.account, alice());
        assert_eq!(claims.session.id, "07".repeat(16));
        assert_eq!(claims.session.expires, Timestamp(1000));
        assert_eq!(claims.issued, Timestamp(900));
        assert_eq!(
            verify(&key(), &a2, &tiny, 1001),
            Err(SigError::Expired { at: 1000 })
        );
    }

    #[test]
    fn test_a_changed_or_foreign_a2_key_is_refused() {
        let a2 = mint(&key(), &alice(), [7; 16], Timestamp(900), Timestamp(1000));
        let tiny = tiny_id(&key(), &alice()).to_string();
        let other_key = SigKey::new(1_400_000_000, "other");
        assert_eq!(verify(&other_key, &a2, &tiny, 0), Err(SigError::Forged));
        let longer = a2.replacen(".1000.", ".9999.", 1);
        assert_eq!(verify(&key(), &longer, &tiny, 0), Err(SigError::Forged));
        let later = a2.replacen(".900.", ".999.", 1);
        assert_eq!(verify(&key(), &later, &tiny, 0), Err(SigError::Forged));
        let bob = URL_SAFE_NO_PAD.encode("bob");
        let renamed = format!("{bob}{}", &a2[a2.find('.').unwrap()..]);
        assert_eq!(verify(&key(), &renamed, &tiny, 0), Err(SigError::Forged));
        assert!(matches!(
            verify(&key(), &a2, "1", 0),
            Err(SigError::OtherIdentity { .. })
        ));
        assert_eq!(verify(&key(), "", &tiny, 0), Err(SigError::Missing));
        for junk in ["a.b", "x.1.2.3.4.5", &"a".repeat(600), "YQ.1.1.zz.x"] {
            assert!(matches!(
                verify(&key(), junk, &tiny, 0),
                Err(SigError::Malformed(_))
            ));
        }
    }
}
