//! Pictures on the server: read within bounds, cleaned of what they say about where and
//! how they were taken, and made into the two thumbnails a conversation shows.
//!
//! - **Bounds first.** A picture's size is read from its header before anything is
//!   decoded; one larger than [`PictureLimits`] allows is refused there, so a small file
//!   that claims to be a huge picture (a decompression bomb) costs nothing. The decoder
//!   itself runs under a memory limit too.
//! - **Nothing of the camera leaves.** PNG and JPEG are decoded, turned upright by their
//!   orientation tag and written again, which keeps no EXIF, text or XMP. GIF (which
//!   would lose its animation) and WebP (whose encoder here is lossless only) keep their
//!   pixels as sent, with every block or chunk that is not picture dropped: comments and
//!   application data in GIF (the loop count stays), EXIF and XMP in WebP.
//! - **Thumbnails** fit in [`LARGE_SIDE`] and [`SMALL_SIDE`] pixels, never larger than the
//!   picture: JPEG, or PNG when a pixel is see-through; the first frame of a GIF.
//!
//! CPU-bound and synchronous: the server runs it on a blocking thread, a few at a time.

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use webim_service::blob::PictureFormat;

/// The longest side of the large thumbnail (webim.js 1.7's "large" picture).
pub const LARGE_SIDE: u32 = 720;
/// The longest side of the small thumbnail (1.7's "small" picture).
pub const SMALL_SIDE: u32 = 198;

/// How large a picture may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PictureLimits {
    /// The longest side, in pixels.
    pub max_side: u32,
    /// Width times height.
    pub max_pixels: u64,
    /// What the decoder may allocate, in bytes.
    pub max_alloc: u64,
}

impl Default for PictureLimits {
    /// 12,000 pixels a side and 40 megapixels (a phone's photo is about 12), decoded in at
    /// most 256 MiB.
    fn default() -> Self {
        Self {
            max_side: 12_000,
            max_pixels: 40_000_000,
            max_alloc: 256 << 20,
        }
    }
}

/// Why a picture is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PictureError {
    /// Larger than the limits, by its own header.
    #[error("the picture is {width}×{height}; the most is {max_side} a side, {max_pixels} in all")]
    TooLarge {
        /// Its width.
        width: u32,
        /// Its height.
        height: u32,
        /// The longest side allowed.
        max_side: u32,
        /// The most pixels allowed.
        max_pixels: u64,
    },
    /// Not a picture its format can read.
    #[error("the picture cannot be read: {0}")]
    Unreadable(String),
}

/// One size of a picture, ready to keep.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendition {
    /// The encoded bytes.
    pub bytes: Vec<u8>,
    /// How they are encoded.
    pub format: PictureFormat,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

/// A picture as kept: the original, cleaned, and its two thumbnails.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Examined {
    /// The picture itself, cleaned.
    pub original: Rendition,
    /// The large thumbnail.
    pub large: Rendition,
    /// The small thumbnail.
    pub small: Rendition,
}

fn unreadable(e: impl std::fmt::Display) -> PictureError {
    PictureError::Unreadable(e.to_string())
}

fn image_format(format: PictureFormat) -> ImageFormat {
    match format {
        PictureFormat::Png => ImageFormat::Png,
        PictureFormat::Jpeg => ImageFormat::Jpeg,
        PictureFormat::Gif => ImageFormat::Gif,
        PictureFormat::WebP => ImageFormat::WebP,
    }
}

/// Reads, checks, cleans and shrinks the picture `bytes`, which are `format` by their
/// signature.
pub fn examine(
    bytes: &[u8],
    format: PictureFormat,
    limits: &PictureLimits,
) -> Result<Examined, PictureError> {
    let reader = || {
        let mut reader = ImageReader::with_format(Cursor::new(bytes), image_format(format));
        let mut bounds = Limits::default();
        bounds.max_image_width = Some(limits.max_side);
        bounds.max_image_height = Some(limits.max_side);
        bounds.max_alloc = Some(limits.max_alloc);
        reader.limits(bounds);
        reader
    };
    let too_large = |(width, height): (u32, u32)| PictureError::TooLarge {
        width,
        height,
        max_side: limits.max_side,
        max_pixels: limits.max_pixels,
    };
    // The header alone, before a pixel is decoded.
    let mut header = ImageReader::with_format(Cursor::new(bytes), image_format(format));
    header.no_limits();
    let size = header.into_dimensions().map_err(unreadable)?;
    let pixels = u64::from(size.0) * u64::from(size.1);
    if size.0 > limits.max_side || size.1 > limits.max_side || pixels > limits.max_pixels {
        return Err(too_large(size));
    }
    let mut decoder = reader().into_decoder().map_err(unreadable)?;
    let orientation = decoder.orientation().map_err(unreadable)?;
    let mut picture = DynamicImage::from_decoder(decoder).map_err(unreadable)?;
    picture.apply_orientation(orientation);
    let original = match format {
        PictureFormat::Png | PictureFormat::Jpeg => encode(&picture, format)?,
        PictureFormat::Gif => Rendition {
            bytes: strip_gif(bytes).ok_or_else(|| unreadable("a GIF block runs short"))?,
            format,
            width: picture.width(),
            height: picture.height(),
        },
        PictureFormat::WebP => Rendition {
            bytes: strip_webp(bytes).ok_or_else(|| unreadable("a WebP chunk runs short"))?,
            format,
            width: picture.width(),
            height: picture.height(),
        },
    };
    let thumbnail = |side: u32| {
        let fits = picture.width() <= side && picture.height() <= side;
        let small = if fits {
            picture.clone()
        } else {
            picture.thumbnail(side, side)
        };
        let transparent =
            small.color().has_alpha() && small.to_rgba8().pixels().any(|p| p.0[3] < u8::MAX);
        let format = if transparent {
            PictureFormat::Png
        } else {
            PictureFormat::Jpeg
        };
        encode(&small, format)
    };
    Ok(Examined {
        large: thumbnail(LARGE_SIDE)?,
        small: thumbnail(SMALL_SIDE)?,
        original,
    })
}

/// `picture` written as PNG or JPEG (JPEG at quality 85, without transparency).
fn encode(picture: &DynamicImage, format: PictureFormat) -> Result<Rendition, PictureError> {
    let mut bytes = Vec::new();
    match format {
        PictureFormat::Jpeg => {
            let rgb = DynamicImage::ImageRgb8(picture.to_rgb8());
            rgb.write_with_encoder(JpegEncoder::new_with_quality(&mut bytes, 85))
                .map_err(unreadable)?;
        }
        _ => picture
            .write_to(Cursor::new(&mut bytes), ImageFormat::Png)
            .map_err(unreadable)?,
    }
    let format = match format {
        PictureFormat::Jpeg => PictureFormat::Jpeg,
        _ => PictureFormat::Png,
    };
    Ok(Rendition {
        bytes,
        format,
        width: picture.width(),
        height: picture.height(),
    })
}

/// A GIF with its comments, plain text and application data dropped (the loop count, in
/// the `NETSCAPE2.0` application block, stays); `None` if a block runs past the end.
fn strip_gif(bytes: &[u8]) -> Option<Vec<u8>> {
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
/// them cleared); `None` if a chunk runs past the end.
fn strip_webp(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut chunks = Vec::with_capacity(bytes.len());
    let mut at = 12;
    while at < bytes.len() {
        let fourcc = bytes.get(at..at + 4)?;
        let size = u32::from_le_bytes(bytes.get(at + 4..at + 8)?.try_into().ok()?) as usize;
        let end = at + 8 + size + (size & 1);
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
mod tests;
