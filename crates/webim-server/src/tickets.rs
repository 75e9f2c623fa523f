//! Download tickets: what lets one reader fetch one size of one picture or file until a
//! time, with no other credential. A page shows a picture with a plain `<img src>`, which
//! carries no userSig and no header, so the address itself is the permission: it names
//! the reader, the blob and the size, and is signed (HMAC-SHA256 under the userSig key)
//! with an expiry. The server mints one for each reader as it answers them, only for the
//! two people in the conversation; any process of a cluster verifies it without the
//! database.
//!
//! A ticket is `{expires}.{signature}`, beside the reader in the address's query.
//!
//! Pure: the time is an argument.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::Mac;
use webim_proto::AccountId;
use webim_service::blob::BlobId;
pub use webim_service::blob::Variant;

use crate::usersig::SigKey;

/// The longest ticket read (ours are about 55 characters).
const MAX_TICKET_CHARS: usize = 128;

/// Why a ticket does not open.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TicketError {
    /// Not a ticket.
    #[error("the download ticket cannot be read")]
    Malformed,
    /// Signed for another reader, blob or size, or not by this server.
    #[error("the download ticket is not this server's for this download")]
    Forged,
    /// Past its time.
    #[error("the download ticket expired at {0}")]
    Expired(u64),
}

/// What a ticket opens: one variant of one blob, for one reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Grant<'a> {
    /// Who may fetch it.
    pub reader: &'a AccountId,
    /// Which blob.
    pub blob: &'a BlobId,
    /// Which variant of it.
    pub variant: Variant,
}

fn signed_text(key: &SigKey, grant: &Grant<'_>, expires: u64) -> String {
    let Grant {
        reader,
        blob,
        variant,
    } = grant;
    format!(
        "webim.blob\n{}\n{reader}\n{blob}\n{}\n{expires}\n",
        key.sdk_app_id(),
        variant.name()
    )
}

/// A ticket for `grant` until `expires` (Unix seconds).
pub fn mint(key: &SigKey, grant: &Grant<'_>, expires: u64) -> String {
    let mac = key
        .mac(&signed_text(key, grant, expires))
        .finalize()
        .into_bytes();
    format!("{expires}.{}", URL_SAFE_NO_PAD.encode(mac))
}

/// Checks `ticket`, presented for `grant`, at `now`.
pub fn verify(key: &SigKey, ticket: &str, grant: &Grant<'_>, now: u64) -> Result<(), TicketError> {
    if ticket.len() > MAX_TICKET_CHARS {
        return Err(TicketError::Malformed);
    }
    let (expires, mac) = ticket.split_once('.').ok_or(TicketError::Malformed)?;
    let expires: u64 = expires.parse().map_err(|_| TicketError::Malformed)?;
    let given = URL_SAFE_NO_PAD
        .decode(mac)
        .map_err(|_| TicketError::Malformed)?;
    // Constant time: how much of a forged signature matched is not measurable.
    key.mac(&signed_text(key, grant, expires))
        .verify_slice(&given)
        .map_err(|_| TicketError::Forged)?;
    if now > expires {
        return Err(TicketError::Expired(expires));
    }
    Ok(())
}

fn reader_text(key: &SigKey, reader: &AccountId, expires: u64) -> String {
    format!("webim.authkey\n{}\n{reader}\n{expires}\n", key.sdk_app_id())
}

/// A reader's key for the file addresses webim.js 1.7 builds itself (`openim/authkey`):
/// `{expires}.{signature}.{reader}`, opening any file of the reader's until `expires`
/// (the service still checks that the reader is one of the file's two people).
pub fn mint_reader(key: &SigKey, reader: &AccountId, expires: u64) -> String {
    let mac = key
        .mac(&reader_text(key, reader, expires))
        .finalize()
        .into_bytes();
    format!("{expires}.{}.{reader}", URL_SAFE_NO_PAD.encode(mac))
}

/// The reader a key from [`mint_reader`] names, checked at `now`.
pub fn verify_reader(key: &SigKey, text: &str, now: u64) -> Result<AccountId, TicketError> {
    if text.len() > MAX_TICKET_CHARS + 64 {
        return Err(TicketError::Malformed);
    }
    let mut parts = text.splitn(3, '.');
    let (Some(expires), Some(mac), Some(reader)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(TicketError::Malformed);
    };
    let expires: u64 = expires.parse().map_err(|_| TicketError::Malformed)?;
    let reader = AccountId::new(reader).map_err(|_| TicketError::Malformed)?;
    let given = URL_SAFE_NO_PAD
        .decode(mac)
        .map_err(|_| TicketError::Malformed)?;
    key.mac(&reader_text(key, &reader, expires))
        .verify_slice(&given)
        .map_err(|_| TicketError::Forged)?;
    if now > expires {
        return Err(TicketError::Expired(expires));
    }
    Ok(reader)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(name: &str) -> AccountId {
        AccountId::new(name).unwrap()
    }

    #[test]
    fn test_a_ticket_opens_one_size_of_one_blob_for_one_reader_until_it_expires() {
        let key = SigKey::new(1400000000, "k");
        let (ann, bob) = (account("ann"), account("bob"));
        let (one, two) = (BlobId::from_random([1; 16]), BlobId::from_random([2; 16]));
        let grant = |reader, blob, variant| Grant {
            reader,
            blob,
            variant,
        };
        let ticket = mint(&key, &grant(&ann, &one, Variant::Small), 1_000);
        let check =
            |reader, blob, variant, now| verify(&key, &ticket, &grant(reader, blob, variant), now);
        assert_eq!(check(&ann, &one, Variant::Small, 1_000), Ok(()));
        assert_eq!(
            check(&bob, &one, Variant::Small, 10),
            Err(TicketError::Forged)
        );
        assert_eq!(
            check(&ann, &two, Variant::Small, 10),
            Err(TicketError::Forged)
        );
        assert_eq!(
            check(&ann, &one, Variant::Original, 10),
            Err(TicketError::Forged)
        );
        assert_eq!(
            check(&ann, &one, Variant::Small, 1_001),
            Err(TicketError::Expired(1_000))
        );
        let later = ticket.replacen("1000.", "9999.", 1);
        assert_eq!(
            verify(&key, &later, &grant(&ann, &one, Variant::Small), 10),
            Err(TicketError::Forged),
            "a longer life is a forgery"
        );
        let other_key = SigKey::new(1400000000, "another");
        assert_eq!(
            verify(&other_key, &ticket, &grant(&ann, &one, Variant::Small), 10),
            Err(TicketError::Forged)
        );
    }

    #[test]
    fn test_a_reader_key_names_its_reader_and_nothing_else_passes() {
        let key = SigKey::new(1400000000, "k");
        let ann = account("a.nn");
        let minted = mint_reader(&key, &ann, 1_000);
        assert_eq!(verify_reader(&key, &minted, 999), Ok(ann));
        let bent = minted.replace(".a.nn", ".bob");
        assert_eq!(verify_reader(&key, &bent, 1), Err(TicketError::Forged));
        assert_eq!(
            verify_reader(&key, &minted, 1_001),
            Err(TicketError::Expired(1_000))
        );
        for bad in ["", "1.2", "x.y.ann", "1.!!.ann", "1.AAAA.no/body"] {
            assert!(verify_reader(&key, bad, 0).is_err(), "{bad}");
        }
    }

    #[test]
    fn test_what_is_not_a_ticket_is_malformed() {
        let key = SigKey::new(1, "k");
        let (ann, blob) = (account("ann"), BlobId::from_random([3; 16]));
        let grant = Grant {
            reader: &ann,
            blob: &blob,
            variant: Variant::Large,
        };
        for bad in ["", "123", "x.abc", "12.!!", &"1".repeat(200)] {
            assert_eq!(
                verify(&key, bad, &grant, 0),
                Err(TicketError::Malformed),
                "{bad}"
            );
        }
        assert_eq!(Variant::parse("large"), Some(Variant::Large));
        assert_eq!(Variant::parse("huge"), None);
    }
}
