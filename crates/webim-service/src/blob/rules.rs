//! Pictures and files on their way in, as rules with no IO: what a blob is, judged by its
//! first bytes and never by its name, and whether an upload's next slice may be taken.
//! Both shells keep the bytes their own way (a file beside the database, IndexedDB); what
//! they may accept is decided here, once.
//!
//! An upload comes in slices, in order, each at the offset the last one ended at, and is
//! done when the bytes it declared have all come. A picture is PNG, JPEG, GIF or WebP by
//! its signature; anything else sent as a picture (an SVG or an HTML page named `.png`
//! among them) is refused, and as a file it is a file, never shown by the browser.

use thiserror::Error;

/// The bytes that decide what a blob is (the longest signature is WebP's, 12 bytes).
pub const SIGNATURE_BYTES: usize = 12;

/// What an upload says it is (webim.js 1.7's `File_Type`: 1 a picture, 2 a file).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Wanted {
    /// A picture, to be shown in the conversation.
    Picture,
    /// A file, to be downloaded.
    File,
}

/// A picture's format, by its signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PictureFormat {
    /// PNG.
    Png,
    /// JPEG.
    Jpeg,
    /// GIF (87a or 89a).
    Gif,
    /// WebP (a RIFF container of kind `WEBP`).
    WebP,
}

impl PictureFormat {
    /// The media type it is served as.
    pub fn mime(self) -> &'static str {
        match self {
            Self::Png => "image/png",
            Self::Jpeg => "image/jpeg",
            Self::Gif => "image/gif",
            Self::WebP => "image/webp",
        }
    }
}

/// What a blob is, by its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A picture in one of the four formats.
    Picture(PictureFormat),
    /// Anything else: kept and offered as a download, never shown.
    File,
}

/// What a blob is, from its first bytes (fewer than [`SIGNATURE_BYTES`] is fine: a blob
/// that short is no picture).
pub fn sniff(head: &[u8]) -> Kind {
    let format = if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(PictureFormat::Png)
    } else if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(PictureFormat::Jpeg)
    } else if head.starts_with(b"GIF87a") || head.starts_with(b"GIF89a") {
        Some(PictureFormat::Gif)
    } else if head.len() >= 12 && head.starts_with(b"RIFF") && &head[8..12] == b"WEBP" {
        Some(PictureFormat::WebP)
    } else {
        None
    };
    format.map_or(Kind::File, Kind::Picture)
}

/// The longest side of the large thumbnail (webim.js 1.7's "large" picture).
pub const LARGE_SIDE: u32 = 720;
/// The longest side of the small thumbnail (1.7's "small" picture).
pub const SMALL_SIDE: u32 = 198;

/// How large a picture may be, by what its header says, checked before it is decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PictureBounds {
    /// The longest side, in pixels.
    pub max_side: u32,
    /// Width times height.
    pub max_pixels: u64,
}

impl Default for PictureBounds {
    /// 12,000 pixels a side and 40 megapixels (a phone's photo is about 12).
    fn default() -> Self {
        Self {
            max_side: 12_000,
            max_pixels: 40_000_000,
        }
    }
}

impl PictureBounds {
    /// Refuses a picture of `width` by `height` that is beyond the bounds.
    pub fn check(&self, (width, height): (u32, u32)) -> Result<(), BlobError> {
        let pixels = u64::from(width) * u64::from(height);
        if width > self.max_side || height > self.max_side || pixels > self.max_pixels {
            return Err(BlobError::PictureTooLarge { width, height });
        }
        Ok(())
    }
}

/// The size of a thumbnail that fits in `side` pixels: the picture's own when it fits,
/// else scaled down keeping its shape (at least one pixel a side).
pub fn thumbnail_size((width, height): (u32, u32), side: u32) -> (u32, u32) {
    if width <= side && height <= side {
        return (width, height);
    }
    let longest = f64::from(width.max(height));
    let scale = |n: u32| ((f64::from(n) * f64::from(side) / longest).round() as u32).max(1);
    (scale(width), scale(height))
}

/// The bounds on what one account may upload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The largest picture, in bytes.
    pub max_picture: u64,
    /// The largest file, in bytes.
    pub max_file: u64,
    /// The largest slice one request may carry, in bytes (decoded).
    pub max_slice: u64,
    /// How many bytes of blobs one account may keep in all.
    pub per_account: u64,
}

impl Default for Limits {
    /// 10 MB a picture, 50 MB a file, 2 MB a slice (webim.js 1.7 sends 1,080 KB), 1 GB an
    /// account.
    fn default() -> Self {
        Self {
            max_picture: 10 * 1_000_000,
            max_file: 50 * 1_000_000,
            max_slice: 2 * 1_000_000,
            per_account: 1_000 * 1_000_000,
        }
    }
}

impl Limits {
    /// The longest the largest slice is as it travels, in base64.
    pub fn max_slice_base64(&self) -> u64 {
        self.max_slice.div_ceil(3).saturating_mul(4)
    }
}

/// Why an upload, or one of its slices, is refused. Nothing of a refused upload is kept.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum BlobError {
    /// It declares no bytes.
    #[error("the upload is empty")]
    Empty,
    /// It declares more than its kind may be.
    #[error("the upload is {size} bytes; the most is {max}")]
    TooLarge {
        /// What it declared.
        size: u64,
        /// The bound.
        max: u64,
    },
    /// The account would keep more than it may.
    #[error("the account keeps {used} bytes of uploads; {size} more would pass {max}")]
    OverQuota {
        /// What the account keeps now.
        used: u64,
        /// What this upload declared.
        size: u64,
        /// The bound.
        max: u64,
    },
    /// A slice is not where the upload stands.
    #[error("the slice starts at {got}; the upload stands at {expected}")]
    OutOfOrder {
        /// Where the next slice must start.
        expected: u64,
        /// Where this one started.
        got: u64,
    },
    /// A slice is larger than one request may carry.
    #[error("the slice is {size} bytes; the most is {max}")]
    SliceTooLarge {
        /// Its size.
        size: u64,
        /// The bound.
        max: u64,
    },
    /// A slice runs past the size the upload declared.
    #[error("the slice ends at {end}, past the {declared} bytes declared")]
    PastTheEnd {
        /// Where it ends.
        end: u64,
        /// What the upload declared.
        declared: u64,
    },
    /// The upload was ended before all its bytes came.
    #[error("the upload ended at {received} of {declared} bytes")]
    Truncated {
        /// What came.
        received: u64,
        /// What it declared.
        declared: u64,
    },
    /// A picture larger than [`PictureBounds`] allows, by its header.
    #[error("the picture is {width}×{height}; that is more than this server takes")]
    PictureTooLarge {
        /// Its width.
        width: u32,
        /// Its height.
        height: u32,
    },
    /// Sent as a picture, it is not PNG, JPEG, GIF or WebP.
    #[error("the picture is not PNG, JPEG, GIF or WebP (send it as a file)")]
    NotAPicture,
    /// The shell could not examine the picture now (every worker busy): the upload is
    /// given up, and may be sent again.
    #[error("the server is busy with other pictures; send it again")]
    Busy,
}

/// Where an upload stands after a slice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Where the next slice starts (webim.js 1.7's `Next_Offset`).
    pub next_offset: u64,
    /// True once every declared byte has come (`IsFinish`).
    pub finished: bool,
}

/// One upload under way: what it declared and what has come.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Upload {
    wanted: Wanted,
    declared: u64,
    received: u64,
    head: Vec<u8>,
}

impl Upload {
    /// Starts an upload of `declared` bytes for an account that keeps `used` bytes now.
    pub fn start(
        wanted: Wanted,
        declared: u64,
        used: u64,
        limits: &Limits,
    ) -> Result<Self, BlobError> {
        if declared == 0 {
            return Err(BlobError::Empty);
        }
        let max = match wanted {
            Wanted::Picture => limits.max_picture,
            Wanted::File => limits.max_file,
        };
        if declared > max {
            return Err(BlobError::TooLarge {
                size: declared,
                max,
            });
        }
        if used.saturating_add(declared) > limits.per_account {
            return Err(BlobError::OverQuota {
                used,
                size: declared,
                max: limits.per_account,
            });
        }
        Ok(Self {
            wanted,
            declared,
            received: 0,
            head: Vec::new(),
        })
    }

    /// What the upload declared.
    pub fn declared(&self) -> u64 {
        self.declared
    }

    /// What it says it is.
    pub fn wanted(&self) -> Wanted {
        self.wanted
    }

    /// How many bytes have come.
    pub fn received(&self) -> u64 {
        self.received
    }

    /// Takes the slice `bytes` at `offset`. A picture's first slice must already be one:
    /// nothing that is not is stored even in part.
    pub fn slice(
        &mut self,
        offset: u64,
        bytes: &[u8],
        limits: &Limits,
    ) -> Result<Progress, BlobError> {
        let size = bytes.len() as u64;
        if offset != self.received {
            return Err(BlobError::OutOfOrder {
                expected: self.received,
                got: offset,
            });
        }
        if size > limits.max_slice {
            return Err(BlobError::SliceTooLarge {
                size,
                max: limits.max_slice,
            });
        }
        let end = offset.saturating_add(size);
        if end > self.declared {
            return Err(BlobError::PastTheEnd {
                end,
                declared: self.declared,
            });
        }
        let missing = SIGNATURE_BYTES.saturating_sub(self.head.len());
        let mut head = self.head.clone();
        head.extend(bytes.iter().take(missing));
        let enough = head.len() >= SIGNATURE_BYTES || end == self.declared;
        if self.wanted == Wanted::Picture && enough && sniff(&head) == Kind::File {
            return Err(BlobError::NotAPicture);
        }
        self.head = head;
        self.received = end;
        Ok(Progress {
            next_offset: end,
            finished: end == self.declared,
        })
    }

    /// What the finished upload is; refused while bytes are missing.
    pub fn finish(&self) -> Result<Kind, BlobError> {
        if self.received < self.declared {
            return Err(BlobError::Truncated {
                received: self.received,
                declared: self.declared,
            });
        }
        let kind = sniff(&self.head);
        match (self.wanted, kind) {
            (Wanted::Picture, Kind::File) => Err(BlobError::NotAPicture),
            (Wanted::File, _) => Ok(Kind::File),
            (Wanted::Picture, picture) => Ok(picture),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    const JPEG: &[u8] = &[
        0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F', b'I', b'F', 0, 1,
    ];
    const GIF: &[u8] = b"GIF89a\x01\0\x01\0\x80\0";
    const WEBP: &[u8] = b"RIFF\x24\0\0\0WEBPVP8 ";
    const SVG: &[u8] = b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>";
    const HTML: &[u8] = b"<!DOCTYPE html><script>alert(1)</script>";

    fn limits() -> Limits {
        Limits {
            max_picture: 100,
            max_file: 200,
            max_slice: 40,
            per_account: 250,
        }
    }

    fn upload(wanted: Wanted, bytes: &[u8], slice: usize) -> Result<Kind, BlobError> {
        let limits = limits();
        let mut up = Upload::start(wanted, bytes.len() as u64, 0, &limits)?;
        let mut offset = 0;
        for chunk in bytes.chunks(slice) {
            let progress = up.slice(offset, chunk, &limits)?;
            offset = progress.next_offset;
        }
        up.finish()
    }

    #[test]
    fn test_pictures_are_known_by_their_signature_alone() {
        assert_eq!(sniff(PNG), Kind::Picture(PictureFormat::Png));
        assert_eq!(sniff(JPEG), Kind::Picture(PictureFormat::Jpeg));
        assert_eq!(sniff(GIF), Kind::Picture(PictureFormat::Gif));
        assert_eq!(sniff(WEBP), Kind::Picture(PictureFormat::WebP));
        assert_eq!(sniff(b"RIFF\x24\0\0\0WAVEfmt "), Kind::File);
        for not_a_picture in [SVG, HTML, b"%PDF-1.7".as_slice(), b"", b"\x89PN"] {
            assert_eq!(sniff(not_a_picture), Kind::File);
        }
        assert_eq!(PictureFormat::WebP.mime(), "image/webp");
    }

    #[test]
    fn test_an_svg_or_html_sent_as_a_picture_is_refused_at_its_first_slice() {
        let limits = limits();
        for disguised in [SVG, HTML] {
            let mut up =
                Upload::start(Wanted::Picture, disguised.len() as u64, 0, &limits).unwrap();
            assert_eq!(
                up.slice(0, &disguised[..20], &limits),
                Err(BlobError::NotAPicture)
            );
            assert_eq!(upload(Wanted::File, disguised, 7), Ok(Kind::File));
        }
        let mut png_then_more = PNG.to_vec();
        png_then_more.extend_from_slice(&[7; 30]);
        assert_eq!(
            upload(Wanted::Picture, &png_then_more, 3),
            Ok(Kind::Picture(PictureFormat::Png)),
            "a signature split over slices is read whole"
        );
        assert_eq!(upload(Wanted::File, &png_then_more, 5), Ok(Kind::File));
    }

    #[test]
    fn test_slices_come_in_order_within_what_was_declared() {
        let limits = limits();
        let mut up = Upload::start(Wanted::File, 50, 0, &limits).unwrap();
        assert_eq!(
            up.slice(10, &[1; 10], &limits),
            Err(BlobError::OutOfOrder {
                expected: 0,
                got: 10
            })
        );
        assert_eq!(
            up.slice(0, &[1; 41], &limits),
            Err(BlobError::SliceTooLarge { size: 41, max: 40 })
        );
        let first = up.slice(0, &[1; 30], &limits).unwrap();
        assert_eq!(
            first,
            Progress {
                next_offset: 30,
                finished: false
            }
        );
        assert_eq!(
            up.slice(30, &[1; 21], &limits),
            Err(BlobError::PastTheEnd {
                end: 51,
                declared: 50
            })
        );
        assert_eq!(
            up.finish(),
            Err(BlobError::Truncated {
                received: 30,
                declared: 50
            })
        );
        let last = up.slice(30, &[1; 20], &limits).unwrap();
        assert!(last.finished);
        assert_eq!(up.finish(), Ok(Kind::File));
    }

    #[test]
    fn test_pictures_are_bounded_and_thumbnails_keep_their_shape() {
        let bounds = PictureBounds::default();
        assert_eq!(bounds.check((4_000, 3_000)), Ok(()));
        assert!(bounds.check((12_001, 10)).is_err());
        assert!(
            bounds.check((11_000, 11_000)).is_err(),
            "the side fits, the pixels do not"
        );
        assert_eq!(thumbnail_size((2_000, 1_000), LARGE_SIDE), (720, 360));
        assert_eq!(thumbnail_size((2_000, 1_000), SMALL_SIDE), (198, 99));
        assert_eq!(thumbnail_size((1_000, 3_000), SMALL_SIDE), (66, 198));
        assert_eq!(
            thumbnail_size((100, 50), LARGE_SIDE),
            (100, 50),
            "never larger"
        );
        assert_eq!(
            thumbnail_size((10_000, 2), SMALL_SIDE),
            (198, 1),
            "at least a pixel"
        );
    }

    #[test]
    fn test_sizes_and_the_account_quota_are_checked_before_any_byte() {
        let limits = limits();
        assert_eq!(
            Upload::start(Wanted::Picture, 0, 0, &limits),
            Err(BlobError::Empty)
        );
        assert_eq!(
            Upload::start(Wanted::Picture, 101, 0, &limits),
            Err(BlobError::TooLarge {
                size: 101,
                max: 100
            })
        );
        assert!(Upload::start(Wanted::File, 101, 0, &limits).is_ok());
        assert_eq!(
            Upload::start(Wanted::File, 100, 200, &limits),
            Err(BlobError::OverQuota {
                used: 200,
                size: 100,
                max: 250
            })
        );
        assert_eq!(Limits::default().max_slice, 2_000_000);
    }
}
