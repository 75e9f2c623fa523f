//! userSigs in Tencent's TLSSigAPIv2 format, so a backend that mints them with Tencent's
//! published `tls-sig-api-v2` package (same key, same SDKAppID) logs its users in here.
//!
//! A sig is JSON `{"TLS.ver":"2.0","TLS.identifier":…,"TLS.sdkappid":…,"TLS.expire":…,
//! "TLS.time":…,"TLS.sig":…}`, zlib-compressed, in base64 with `+ / =` written `* - _`.
//! `TLS.sig` is the base64 HMAC-SHA256, under the app's key, of the lines
//! `TLS.identifier:…`, `TLS.sdkappid:…`, `TLS.time:…`, `TLS.expire:…` (and
//! `TLS.userbuf:…` when the sig carries one), each ending in a newline.
//!
//! Pure: the time is an argument. A crate of its own so that whatever mints sigs (the
//! server's logins, the benchmark's load client) shares the format without linking the
//! server.

use std::io::{Read, Write};

use base64::Engine;
use base64::engine::DecodePaddingMode;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use flate2::Compression;
use flate2::read::ZlibDecoder;
use flate2::write::ZlibEncoder;
use hmac::{Hmac, KeyInit, Mac};
use serde_json::Value;
use sha2::Sha256;
use webim_proto::ErrorCode;

/// The longest sig text accepted (real ones are about 200 characters).
const MAX_SIG_CHARS: usize = 4096;
/// The most a sig may inflate to: a compressed bomb stops here.
const MAX_SIG_JSON_BYTES: u64 = 4096;

/// Standard base64 that does not insist on padding (Tencent's minting libraries differ).
const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// The app's signing key and SDKAppID.
#[derive(Clone)]
pub struct SigKey {
    sdk_app_id: u64,
    key: String,
}

impl std::fmt::Debug for SigKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The key itself never reaches a log.
        f.debug_struct("SigKey")
            .field("sdk_app_id", &self.sdk_app_id)
            .finish_non_exhaustive()
    }
}

/// What a valid sig says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigClaims {
    /// `TLS.identifier`.
    pub identifier: String,
    /// `TLS.time`: when it was minted (Unix seconds).
    pub time: u64,
    /// `TLS.expire`: seconds it stays valid after `time`.
    pub expire: u64,
}

/// Why a sig is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SigError {
    /// The request carries none.
    #[error("the request has no userSig")]
    Missing,
    /// Not a TLSSigAPIv2 sig.
    #[error("the userSig cannot be read: {0}")]
    Malformed(String),
    /// Minted for another SDKAppID.
    #[error("the userSig was made for SDKAppID {sig}, not {request}")]
    OtherApp {
        /// The sig's.
        sig: u64,
        /// The request's.
        request: u64,
    },
    /// Minted for another identifier.
    #[error("the userSig was made for {sig:?}, not {request:?}")]
    OtherIdentity {
        /// The sig's.
        sig: String,
        /// The request's.
        request: String,
    },
    /// The signature does not verify under this server's key.
    #[error("the userSig's signature does not verify (was it made with another key?)")]
    Forged,
    /// Past its time.
    #[error("the userSig expired at {at} (Unix time); ask for a new one")]
    Expired {
        /// When it expired.
        at: u64,
    },
}

impl SigError {
    /// The code Tencent IM answers with for this case.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Missing => ErrorCode::SigMissing,
            Self::Malformed(_) => ErrorCode::SigMalformed,
            Self::OtherApp { .. } => ErrorCode::SigOtherApp,
            Self::OtherIdentity { .. } => ErrorCode::SigOtherIdentity,
            Self::Forged => ErrorCode::SigForged,
            Self::Expired { .. } => ErrorCode::SigExpired,
        }
    }
}

/// How far ahead of this server's clock a sig's mint time may be (clocks differ a little).
pub const CLOCK_SKEW_SECS: u64 = 300;

/// Whether a verified sig's times are ones this server accepts at `now`: minted no later
/// than [`CLOCK_SKEW_SECS`] ahead, valid for at most `max_expire` seconds
/// (`--sig-max-expire`). A sig minted years ahead, or for a century, is someone's key
/// misused, not a login.
pub fn check_lifetime(claims: &SigClaims, now: u64, max_expire: u64) -> Result<(), SigError> {
    if claims.time > now.saturating_add(CLOCK_SKEW_SECS) {
        return Err(SigError::Malformed(format!(
            "it was minted {} s ahead of this server's clock",
            claims.time - now
        )));
    }
    if claims.expire > max_expire {
        return Err(SigError::Malformed(format!(
            "it is valid for {} s; this server accepts at most {max_expire} s \
             (--sig-max-expire)",
            claims.expire
        )));
    }
    Ok(())
}

impl SigKey {
    /// A key for `sdk_app_id`.
    pub fn new(sdk_app_id: u64, key: impl Into<String>) -> Self {
        Self {
            sdk_app_id,
            key: key.into(),
        }
    }

    /// The SDKAppID.
    pub fn sdk_app_id(&self) -> u64 {
        self.sdk_app_id
    }

    /// The lines TLSSigAPIv2 signs.
    fn signed_text(
        &self,
        identifier: &str,
        time: u64,
        expire: u64,
        userbuf: Option<&str>,
    ) -> String {
        let mut text = format!(
            "TLS.identifier:{identifier}\nTLS.sdkappid:{}\nTLS.time:{time}\nTLS.expire:{expire}\n",
            self.sdk_app_id
        );
        if let Some(userbuf) = userbuf {
            text.push_str(&format!("TLS.userbuf:{userbuf}\n"));
        }
        text
    }

    /// The HMAC-SHA256 state over `text` under the app's key (for the server's other
    /// credentials signed with the same key, such as 1.7's A2Key).
    pub fn mac(&self, text: &str) -> Hmac<Sha256> {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(self.key.as_bytes())
            .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"));
        mac.update(text.as_bytes());
        mac
    }

    fn hmac(&self, identifier: &str, time: u64, expire: u64, userbuf: Option<&str>) -> Vec<u8> {
        let text = self.signed_text(identifier, time, expire, userbuf);
        self.mac(&text).finalize().into_bytes().to_vec()
    }

    /// Mints a sig for `identifier` at `now`, valid `expire` seconds.
    pub fn mint(&self, identifier: &str, now: u64, expire: u64) -> String {
        let sig = STANDARD.encode(self.hmac(identifier, now, expire, None));
        let json = serde_json::json!({
            "TLS.ver": "2.0",
            "TLS.identifier": identifier,
            "TLS.sdkappid": self.sdk_app_id,
            "TLS.expire": expire,
            "TLS.time": now,
            "TLS.sig": sig,
        });
        let mut zlib = ZlibEncoder::new(Vec::new(), Compression::default());
        // Writing to a Vec cannot fail.
        let _ = zlib.write_all(json.to_string().as_bytes());
        let compressed = zlib.finish().unwrap_or_default();
        escape(&STANDARD.encode(compressed))
    }

    /// Checks `sig` for a request by `identifier` of app `sdk_app_id` at `now`.
    pub fn verify(
        &self,
        sig: &str,
        identifier: &str,
        sdk_app_id: u64,
        now: u64,
    ) -> Result<SigClaims, SigError> {
        if sig.is_empty() {
            return Err(SigError::Missing);
        }
        let fields = decode(sig)?;
        let text = |name: &str| -> Result<String, SigError> {
            match fields.get(name) {
                Some(Value::String(s)) => Ok(s.clone()),
                _ => Err(SigError::Malformed(format!("no {name}"))),
            }
        };
        let number = |name: &str| -> Result<u64, SigError> {
            match fields.get(name) {
                Some(Value::Number(n)) => n.as_u64(),
                Some(Value::String(s)) => s.parse().ok(),
                _ => None,
            }
            .ok_or_else(|| SigError::Malformed(format!("no {name}")))
        };
        if text("TLS.ver")? != "2.0" {
            return Err(SigError::Malformed("TLS.ver is not 2.0".to_owned()));
        }
        let claimed_app = number("TLS.sdkappid")?;
        if claimed_app != sdk_app_id || sdk_app_id != self.sdk_app_id {
            return Err(SigError::OtherApp {
                sig: claimed_app,
                request: sdk_app_id,
            });
        }
        let claims = SigClaims {
            identifier: text("TLS.identifier")?,
            time: number("TLS.time")?,
            expire: number("TLS.expire")?,
        };
        if claims.identifier != identifier {
            return Err(SigError::OtherIdentity {
                sig: claims.identifier,
                request: identifier.to_owned(),
            });
        }
        let userbuf = match fields.get("TLS.userbuf") {
            Some(Value::String(s)) => Some(s.as_str()),
            _ => None,
        };
        let given = LENIENT
            .decode(text("TLS.sig")?)
            .map_err(|_| SigError::Forged)?;
        let text = self.signed_text(&claims.identifier, claims.time, claims.expire, userbuf);
        // Constant time: how much of a forged signature matched is not measurable.
        self.mac(&text)
            .verify_slice(&given)
            .map_err(|_| SigError::Forged)?;
        let at = claims.time.saturating_add(claims.expire);
        if now > at {
            return Err(SigError::Expired { at });
        }
        Ok(claims)
    }
}

fn escape(base64: &str) -> String {
    base64.replace('+', "*").replace('/', "-").replace('=', "_")
}

fn decode(sig: &str) -> Result<serde_json::Map<String, Value>, SigError> {
    if sig.len() > MAX_SIG_CHARS {
        return Err(SigError::Malformed("too long".to_owned()));
    }
    let standard = sig.replace('*', "+").replace('-', "/").replace('_', "=");
    let compressed = LENIENT
        .decode(standard.trim_end_matches('='))
        .map_err(|e| SigError::Malformed(format!("not base64: {e}")))?;
    let mut json = Vec::new();
    ZlibDecoder::new(compressed.as_slice())
        .take(MAX_SIG_JSON_BYTES + 1)
        .read_to_end(&mut json)
        .map_err(|e| SigError::Malformed(format!("not zlib: {e}")))?;
    if json.len() as u64 > MAX_SIG_JSON_BYTES {
        return Err(SigError::Malformed("too large".to_owned()));
    }
    serde_json::from_slice(&json).map_err(|e| SigError::Malformed(format!("not JSON: {e}")))
}

#[cfg(test)]
mod lifetime_tests {
    use super::*;

    fn claims(time: u64, expire: u64) -> SigClaims {
        SigClaims {
            identifier: "a".to_owned(),
            time,
            expire,
        }
    }

    #[test]
    fn test_a_sig_from_the_future_or_for_too_long_is_refused() {
        let now = 1_000_000;
        assert!(check_lifetime(&claims(now, 86_400), now, 86_400).is_ok());
        assert!(
            check_lifetime(&claims(now + 60, 60), now, 86_400).is_ok(),
            "a little skew"
        );
        let ahead = check_lifetime(&claims(now + 10 * 365 * 86_400, 60), now, 86_400);
        assert!(matches!(ahead, Err(SigError::Malformed(m)) if m.contains("ahead")));
        let long = check_lifetime(&claims(now, 100 * 365 * 86_400), now, 86_400);
        assert!(matches!(long, Err(SigError::Malformed(m)) if m.contains("--sig-max-expire")));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";

    fn key() -> SigKey {
        SigKey::new(1_400_000_000, KEY)
    }

    #[test]
    fn test_a_minted_sig_verifies_for_its_identifier_until_it_expires() {
        let sig = key().mint("peakerdong", 1_000, 60);
        let claims = key()
            .verify(&sig, "peakerdong", 1_400_000_000, 1_060)
            .unwrap();
        assert_eq!(claims.identifier, "peakerdong");
        assert_eq!(
            key().verify(&sig, "peakerdong", 1_400_000_000, 1_061),
            Err(SigError::Expired { at: 1_060 })
        );
        assert!(!sig.contains(['+', '/', '=']), "URL-safe: {sig}");
    }

    #[test]
    fn test_each_refusal_has_its_code() {
        let sig = key().mint("peakerdong", 1_000, 60);
        let err =
            |sig: &str, who: &str, app: u64| key().verify(sig, who, app, 1_000).unwrap_err().code();
        assert_eq!(err("", "peakerdong", 1_400_000_000), ErrorCode::SigMissing);
        assert_eq!(
            err("%%%", "peakerdong", 1_400_000_000),
            ErrorCode::SigMalformed
        );
        assert_eq!(
            err("eJzLSM3JyQcABiwCFQ__", "x", 1_400_000_000),
            ErrorCode::SigMalformed
        );
        assert_eq!(
            err(&sig, "qiyueluhuo2016", 1_400_000_000),
            ErrorCode::SigOtherIdentity
        );
        assert_eq!(
            err(&sig, "peakerdong", 1_400_000_001),
            ErrorCode::SigOtherApp
        );
        let forged = SigKey::new(1_400_000_000, "another key").mint("peakerdong", 1_000, 60);
        assert_eq!(
            err(&forged, "peakerdong", 1_400_000_000),
            ErrorCode::SigForged
        );
    }

    #[test]
    fn test_a_sig_with_a_userbuf_verifies_over_the_userbuf_too() {
        // As Tencent's gen_sig_with_userbuf makes them: TLS.userbuf in the JSON and signed.
        let k = key();
        let mac = STANDARD.encode(k.hmac("u", 5, 10, Some("YWJj")));
        let json = serde_json::json!({"TLS.ver":"2.0","TLS.identifier":"u","TLS.sdkappid":1_400_000_000u64,
            "TLS.expire":10,"TLS.time":5,"TLS.userbuf":"YWJj","TLS.sig":mac});
        let mut z = ZlibEncoder::new(Vec::new(), Compression::default());
        z.write_all(json.to_string().as_bytes()).unwrap();
        let sig = escape(&STANDARD.encode(z.finish().unwrap()));
        assert!(k.verify(&sig, "u", 1_400_000_000, 6).is_ok());
    }
}
