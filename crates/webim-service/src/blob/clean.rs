//! Pictures cleaned without decoding them: the blocks of a GIF and the chunks of a WebP
//! that are not picture (comments, application data, EXIF, XMP) dropped, the pixels kept
//! byte for byte. Pure, so both shells clean the same way: the server, and the browser's
//! worker, whose canvas would lose a GIF's animation.

use super::PictureFormat;

/// How a picture of some format is kept clean.
#[derive(Debug, Clone, Copy)]
pub enum Keeping {
    /// Decoded and written again from its pixels, which keeps no metadata (PNG, JPEG).
    Redraw,
    /// Kept as sent, through this cleaner (GIF, whose animation a redraw would lose, and
    /// WebP, which the shells cannot write lossily); `None` from it means cut short.
    Strip(fn(&[u8]) -> Option<Vec<u8>>),
}

/// How a `format` picture is kept: one decision for both shells.
pub fn keeping(format: PictureFormat) -> Keeping {
    match format {
        PictureFormat::Png | PictureFormat::Jpeg => Keeping::Redraw,
        PictureFormat::Gif => Keeping::Strip(strip_gif),
        PictureFormat::WebP => Keeping::Strip(strip_webp),
    }
}

/// A GIF with its comments, plain text and application data dropped (the loop count, in
/// the `NETSCAPE2.0` application block, stays); `None` if a block runs past the end.
pub fn strip_gif(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(bytes.len());
    // Header and logical screen descriptor; a global colour table follows if flagged.
    let flags = *bytes.get(10)?;
    let mut at = 13 + colour_table(flags);
    out.extend_from_slice(bytes.get(..at)?);
    loop {
        match *bytes.get(at)? {
            0x3B => {
                out.push(0x3B);
                return Some(out);
            }
            0x2C => {
                // An image: descriptor, local colour table, LZW code size, data blocks.
                let flags = *bytes.get(at + 9)?;
                let data = at + 10 + colour_table(flags) + 1;
                let end = sub_blocks_end(bytes, data)?;
                out.extend_from_slice(bytes.get(at..end)?);
                at = end;
            }
            0x21 => {
                let label = *bytes.get(at + 1)?;
                let end = sub_blocks_end(bytes, at + 2)?;
                let keep = match label {
                    0xF9 => true,
                    0xFF => bytes.get(at + 3..at + 14) == Some(b"NETSCAPE2.0"),
                    _ => false,
                };
                if keep {
                    out.extend_from_slice(bytes.get(at..end)?);
                }
                at = end;
            }
            _ => return None,
        }
    }
}

/// The bytes of the colour table a GIF descriptor's `flags` announce.
fn colour_table(flags: u8) -> usize {
    if flags & 0x80 == 0 {
        0
    } else {
        3 << ((flags & 0x07) + 1)
    }
}

/// Where a run of GIF sub-blocks starting at `at` ends (after its zero-length block).
fn sub_blocks_end(bytes: &[u8], mut at: usize) -> Option<usize> {
    loop {
        let len = usize::from(*bytes.get(at)?);
        at += 1 + len;
        if len == 0 {
            return (at <= bytes.len()).then_some(at);
        }
    }
}

/// A WebP with its `EXIF` and `XMP ` chunks dropped (and the extended header's flags for
/// them cleared); `None` if the file or a chunk runs past the end.
pub fn strip_webp(bytes: &[u8]) -> Option<Vec<u8>> {
    let declared = u32::from_le_bytes(bytes.get(4..8)?.try_into().ok()?) as usize;
    // Whatever follows the RIFF container is not the picture: it goes too.
    let bytes = bytes.get(..declared.checked_add(8)?)?;
    let mut chunks = Vec::with_capacity(bytes.len());
    let mut at = 12;
    while at < bytes.len() {
        let fourcc = bytes.get(at..at + 4)?;
        let size = u32::from_le_bytes(bytes.get(at + 4..at + 8)?.try_into().ok()?) as usize;
        // Checked: a hostile size must not wrap around on a 32-bit target (the browser's).
        let end = at
            .checked_add(8)?
            .checked_add(size)?
            .checked_add(size & 1)?;
        let chunk = bytes.get(at..end.min(bytes.len()))?;
        if end > bytes.len() && end - bytes.len() > 1 {
            return None;
        }
        match fourcc {
            b"EXIF" | b"XMP " => {}
            b"VP8X" => {
                let mut header = chunk.to_vec();
                // Bit 3: EXIF present; bit 2: XMP present.
                *header.get_mut(8)? &= !0b0000_1100;
                chunks.extend_from_slice(&header);
            }
            _ => chunks.extend_from_slice(chunk),
        }
        at = end;
    }
    let mut out = Vec::with_capacity(chunks.len() + 12);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&u32::try_from(chunks.len() + 4).ok()?.to_le_bytes());
    out.extend_from_slice(b"WEBP");
    out.extend_from_slice(&chunks);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 1×1 GIF: header, screen descriptor with a 2-colour table, one image, trailer.
    fn gif(extra: &[u8]) -> Vec<u8> {
        let mut out = b"GIF89a\x01\0\x01\0\x80\0\0".to_vec();
        out.extend_from_slice(&[0, 0, 0, 255, 255, 255]);
        out.extend_from_slice(extra);
        out.extend_from_slice(&[0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x4C, 0x01, 0]);
        out.push(0x3B);
        out
    }

    #[test]
    fn test_a_gif_loses_comments_and_foreign_application_blocks_only() {
        let comment = [0x21, 0xFE, 3, b'G', b'P', b'S', 0];
        let mut netscape = vec![0x21, 0xFF, 11];
        netscape.extend_from_slice(b"NETSCAPE2.0");
        netscape.extend_from_slice(&[3, 1, 0, 0, 0]);
        let mut xmp = vec![0x21, 0xFF, 11];
        xmp.extend_from_slice(b"XMP DataXMP");
        xmp.extend_from_slice(&[2, b'h', b'i', 0]);
        let control = [0x21, 0xF9, 4, 0, 10, 0, 0, 0];
        let tagged = gif(&[&comment[..], &netscape, &xmp, &control].concat());
        let kept = gif(&[&netscape[..], &control].concat());
        assert_eq!(strip_gif(&tagged), Some(kept));
        assert_eq!(strip_gif(&tagged[..20]), None, "cut short");
    }

    #[test]
    fn test_a_webp_loses_exif_and_xmp_and_their_flags() {
        let chunk = |fourcc: &[u8; 4], data: &[u8]| {
            let mut out = fourcc.to_vec();
            out.extend_from_slice(&(data.len() as u32).to_le_bytes());
            out.extend_from_slice(data);
            if data.len() % 2 == 1 {
                out.push(0);
            }
            out
        };
        let riff = |chunks: &[Vec<u8>]| {
            let body: Vec<u8> = chunks.concat();
            let mut out = b"RIFF".to_vec();
            out.extend_from_slice(&((body.len() + 4) as u32).to_le_bytes());
            out.extend_from_slice(b"WEBP");
            out.extend_from_slice(&body);
            out
        };
        let vp8x = |flags: u8| chunk(b"VP8X", &[flags, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        let image = chunk(b"VP8L", &[0x2F, 0, 0, 0, 0]);
        let tagged = riff(&[
            vp8x(0b0000_1100),
            image.clone(),
            chunk(b"EXIF", b"GPS"),
            chunk(b"XMP ", b"<x/>"),
        ]);
        assert_eq!(strip_webp(&tagged), Some(riff(&[vp8x(0), image])));
        assert_eq!(strip_webp(&tagged[..30]), None, "cut short");
    }
}
