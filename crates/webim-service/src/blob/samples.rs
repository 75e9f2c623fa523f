//! Test pictures both shells' picture tests share: a JPEG given an EXIF block that says
//! how to turn it and carries a secret, which a cleaned picture must not keep.

/// What the EXIF block carries, which no cleaned picture may contain.
pub const SECRET: &[u8] = b"GPS 48.8566N 2.3522E";

/// `jpeg` with an EXIF block right after its start: one Orientation entry, then [`SECRET`].
pub fn with_exif(jpeg: &[u8], orientation: u16) -> Vec<u8> {
    // A big-endian TIFF with one IFD entry (tag 0x0112, SHORT, one value).
    let mut tiff = b"MM\0\x2A\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01".to_vec();
    tiff.extend_from_slice(&orientation.to_be_bytes());
    tiff.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
    tiff.extend_from_slice(SECRET);
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend_from_slice(&tiff);
    let mut out = jpeg.get(..2).unwrap_or_default().to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(
        &u16::try_from(app1.len() + 2)
            .unwrap_or(u16::MAX)
            .to_be_bytes(),
    );
    out.extend_from_slice(&app1);
    out.extend_from_slice(jpeg.get(2..).unwrap_or_default());
    out
}

/// True if `haystack` holds `needle` anywhere.
pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}
