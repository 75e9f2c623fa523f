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
//!   picture (the service's sizing, so the browser makes the same): JPEG, or PNG when a
//!   pixel is see-through; the first frame of a GIF.
//!
//! CPU-bound and synchronous: the server runs it on a blocking thread, a few at a time.

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use webim_service::blob::clean::{Keeping, keeping};
use webim_service::blob::{PictureBounds, PictureFormat, thumbnail_size};

pub use webim_service::blob::{Examined, LARGE_SIDE, Rendition, SMALL_SIDE};

/// How large a picture may be, and what decoding it may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PictureLimits {
    /// The sizes a picture may have (the service's, shared with the browser).
    pub bounds: PictureBounds,
    /// What the decoder may allocate, in bytes.
    pub max_alloc: u64,
}

impl Default for PictureLimits {
    /// The service's bounds, decoded in at most 256 MiB.
    fn default() -> Self {
        Self {
            bounds: PictureBounds::default(),
            max_alloc: 256 << 20,
        }
    }
}

/// Why a picture is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PictureError {
    /// Larger than the bounds, by its own header.
    #[error("the picture is {width}×{height}, more than this server takes")]
    TooLarge {
        /// Its width.
        width: u32,
        /// Its height.
        height: u32,
    },
    /// Not a picture its format can read.
    #[error("the picture cannot be read: {0}")]
    Unreadable(String),
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
    // The header alone, before a pixel is decoded (the same reading as in the browser).
    let size = webim_service::blob::dimensions(bytes, format)
        .ok_or_else(|| unreadable("its header gives no size"))?;
    if limits.bounds.check(size).is_err() {
        return Err(PictureError::TooLarge {
            width: size.0,
            height: size.1,
        });
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), image_format(format));
    let mut bounds = Limits::default();
    bounds.max_image_width = Some(limits.bounds.max_side);
    bounds.max_image_height = Some(limits.bounds.max_side);
    bounds.max_alloc = Some(limits.max_alloc);
    reader.limits(bounds);
    let mut decoder = reader.into_decoder().map_err(unreadable)?;
    let orientation = decoder.orientation().map_err(unreadable)?;
    let mut picture = DynamicImage::from_decoder(decoder).map_err(unreadable)?;
    picture.apply_orientation(orientation);
    let original = match keeping(format) {
        Keeping::Redraw => encode(&picture, format)?,
        Keeping::Strip(strip) => Rendition {
            bytes: strip(bytes).ok_or_else(|| unreadable("a block runs past the end"))?,
            format,
            width: picture.width(),
            height: picture.height(),
        },
    };
    let thumbnail = |side: u32| {
        let (width, height) = thumbnail_size((picture.width(), picture.height()), side);
        let small = if (width, height) == (picture.width(), picture.height()) {
            picture.clone()
        } else {
            picture.thumbnail_exact(width, height)
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

#[cfg(test)]
mod tests;
