//! A picture's size read from its header, before anything decodes it: so a small file that
//! claims a huge picture (a decompression bomb) is refused for what it claims, in the
//! server and in the browser's worker alike. Pure; `None` for a header that cannot be
//! read, which the shells refuse too.

use super::PictureFormat;

/// Width and height in pixels, as the header of `bytes` (a `format` picture) says.
pub fn dimensions(bytes: &[u8], format: PictureFormat) -> Option<(u32, u32)> {
    match format {
        PictureFormat::Png => png(bytes),
        PictureFormat::Gif => gif(bytes),
        PictureFormat::WebP => webp(bytes),
        PictureFormat::Jpeg => jpeg(bytes),
    }
}

fn be16(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from(u16::from_be_bytes(
        bytes.get(at..at + 2)?.try_into().ok()?,
    )))
}

fn le16(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from(u16::from_le_bytes(
        bytes.get(at..at + 2)?.try_into().ok()?,
    )))
}

fn le24(bytes: &[u8], at: usize) -> Option<u32> {
    let b = bytes.get(at..at + 3)?;
    Some(u32::from(b[0]) | u32::from(b[1]) << 8 | u32::from(b[2]) << 16)
}

/// The first chunk, `IHDR`, holds both sides.
fn png(bytes: &[u8]) -> Option<(u32, u32)> {
    if bytes.get(12..16)? != b"IHDR" {
        return None;
    }
    let width = u32::from_be_bytes(bytes.get(16..20)?.try_into().ok()?);
    let height = u32::from_be_bytes(bytes.get(20..24)?.try_into().ok()?);
    Some((width, height))
}

/// The logical screen: the canvas every frame is drawn on.
fn gif(bytes: &[u8]) -> Option<(u32, u32)> {
    Some((le16(bytes, 6)?, le16(bytes, 8)?))
}

/// The first chunk: the extended header's canvas, or a lossless or lossy frame's own size.
fn webp(bytes: &[u8]) -> Option<(u32, u32)> {
    match bytes.get(12..16)? {
        b"VP8X" => Some((le24(bytes, 24)? + 1, le24(bytes, 27)? + 1)),
        b"VP8L" => {
            if *bytes.get(20)? != 0x2F {
                return None;
            }
            let bits = u32::from_le_bytes(bytes.get(21..25)?.try_into().ok()?);
            Some(((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1))
        }
        b"VP8 " => {
            if bytes.get(23..26)? != [0x9D, 0x01, 0x2A] {
                return None;
            }
            Some((le16(bytes, 26)? & 0x3FFF, le16(bytes, 28)? & 0x3FFF))
        }
        _ => None,
    }
}

/// The first start-of-frame segment, found by walking the segments from the start (an
/// EXIF block may come first); `None` once the scan data begins without one.
fn jpeg(bytes: &[u8]) -> Option<(u32, u32)> {
    if bytes.get(..2)? != [0xFF, 0xD8] {
        return None;
    }
    let mut at = 2;
    loop {
        if *bytes.get(at)? != 0xFF {
            return None;
        }
        let marker = *bytes.get(at + 1)?;
        match marker {
            // Fill bytes before a marker.
            0xFF => at += 1,
            // Markers without a length.
            0x01 | 0xD0..=0xD7 => at += 2,
            // The scan begins, or the image ends, with no frame header before it.
            0xD9 | 0xDA => return None,
            _ => {
                let len = be16(bytes, at + 2)? as usize;
                let is_frame =
                    matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC);
                if is_frame {
                    return Some((be16(bytes, at + 7)?, be16(bytes, at + 5)?));
                }
                at = at.checked_add(2)?.checked_add(len)?;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_each_format_says_its_size_in_its_header() {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        png.extend_from_slice(&[0, 1, 0x86, 0xA0, 0, 0, 0, 3]);
        assert_eq!(dimensions(&png, PictureFormat::Png), Some((100_000, 3)));
        assert_eq!(
            dimensions(b"GIF89a\x20\x03\x58\x02\0", PictureFormat::Gif),
            Some((800, 600))
        );
        let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE1, 0, 6, b'E', b'x', b'i', b'f'];
        jpeg.extend_from_slice(&[0xFF, 0xC2, 0, 11, 8, 0x02, 0x58, 0x03, 0x20, 3]);
        assert_eq!(dimensions(&jpeg, PictureFormat::Jpeg), Some((800, 600)));
        let mut vp8x = b"RIFF\0\0\0\0WEBPVP8X\x0a\0\0\0\0\0\0\0".to_vec();
        vp8x.extend_from_slice(&[0x1F, 0x03, 0, 0x57, 0x02, 0]);
        assert_eq!(dimensions(&vp8x, PictureFormat::WebP), Some((800, 600)));
        let mut vp8l = b"RIFF\0\0\0\0WEBPVP8L\0\0\0\0\x2F".to_vec();
        let bits: u32 = 799 | (599 << 14);
        vp8l.extend_from_slice(&bits.to_le_bytes());
        assert_eq!(dimensions(&vp8l, PictureFormat::WebP), Some((800, 600)));
        let mut vp8 = b"RIFF\0\0\0\0WEBPVP8 \0\0\0\0\0\0\0\x9d\x01\x2a".to_vec();
        vp8.extend_from_slice(&[0x20, 0x03, 0x58, 0x02]);
        assert_eq!(dimensions(&vp8, PictureFormat::WebP), Some((800, 600)));
    }

    #[test]
    fn test_a_header_that_cannot_be_read_has_no_size() {
        assert_eq!(dimensions(b"\x89PNG", PictureFormat::Png), None);
        assert_eq!(dimensions(b"GIF89a", PictureFormat::Gif), None);
        let no_frame = [0xFF, 0xD8, 0xFF, 0xDA, 0, 2];
        assert_eq!(dimensions(&no_frame, PictureFormat::Jpeg), None);
        let huge_length = [0xFF, 0xD8, 0xFF, 0xE1, 0xFF, 0xFF];
        assert_eq!(dimensions(&huge_length, PictureFormat::Jpeg), None);
        assert_eq!(
            dimensions(b"RIFF\0\0\0\0WEBPVP8?", PictureFormat::WebP),
            None
        );
    }
}
