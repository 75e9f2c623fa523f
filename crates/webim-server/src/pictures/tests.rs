#![allow(clippy::unwrap_used)] // a failed step is the test failing

use image::codecs::gif::GifEncoder;
use image::codecs::webp::WebPEncoder;
use image::{ImageBuffer, Rgb, Rgba};

use super::*;
use webim_service::blob::clean::strip_gif;
use webim_service::blob::samples::{SECRET, contains, with_exif};

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A PNG chunk with its length and CRC.
fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut out = (data.len() as u32).to_be_bytes().to_vec();
    let body: Vec<u8> = kind.iter().chain(data).copied().collect();
    out.extend_from_slice(&body);
    out.extend_from_slice(&crc32(&body).to_be_bytes());
    out
}

fn opaque(width: u32, height: u32) -> DynamicImage {
    DynamicImage::ImageRgb8(ImageBuffer::from_fn(width, height, |x, y| {
        Rgb([(x % 256) as u8, (y % 256) as u8, 128])
    }))
}

fn encoded(picture: &DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut bytes = Vec::new();
    picture.write_to(Cursor::new(&mut bytes), format).unwrap();
    bytes
}

fn jpeg_with_exif(picture: &DynamicImage, orientation: u16) -> Vec<u8> {
    with_exif(&encoded(picture, ImageFormat::Jpeg), orientation)
}

#[test]
fn test_a_jpeg_loses_its_exif_and_is_turned_upright() {
    let photo = jpeg_with_exif(&opaque(40, 20), 6);
    assert!(contains(&photo, SECRET));
    let kept = examine(&photo, PictureFormat::Jpeg, &PictureLimits::default()).unwrap();
    assert!(!contains(&kept.original.bytes, SECRET));
    assert!(!contains(&kept.original.bytes, b"Exif"));
    assert_eq!(
        (kept.original.width, kept.original.height),
        (20, 40),
        "orientation 6 is a quarter turn"
    );
    let again = image::load_from_memory(&kept.original.bytes).unwrap();
    assert_eq!((again.width(), again.height()), (20, 40));
}

#[test]
fn test_a_png_loses_its_text_chunks() {
    let plain = encoded(&opaque(30, 10), ImageFormat::Png);
    let iend = plain.len() - 12;
    let mut tagged = plain[..iend].to_vec();
    tagged.extend_from_slice(&png_chunk(
        b"tEXt",
        &[b"Location\0".as_slice(), SECRET].concat(),
    ));
    tagged.extend_from_slice(&plain[iend..]);
    let kept = examine(&tagged, PictureFormat::Png, &PictureLimits::default()).unwrap();
    assert!(!contains(&kept.original.bytes, SECRET));
    assert_eq!(kept.original.format, PictureFormat::Png);
}

#[test]
fn test_a_gif_keeps_its_pixels_and_loses_comments_and_application_data() {
    let mut gif = Vec::new();
    {
        let mut encoder = GifEncoder::new(&mut gif);
        let frame = image::Frame::new(ImageBuffer::from_pixel(8, 6, Rgba([255, 0, 0, 255])));
        encoder.encode_frames(vec![frame.clone(), frame]).unwrap();
    }
    let trailer = gif.len() - 1;
    let mut tagged = gif[..trailer].to_vec();
    tagged.extend_from_slice(&[0x21, 0xFE, SECRET.len() as u8]);
    tagged.extend_from_slice(SECRET);
    tagged.extend_from_slice(&[0, 0x21, 0xFF, 11]);
    tagged.extend_from_slice(b"XMP DataXMP");
    tagged.extend_from_slice(&[SECRET.len() as u8]);
    tagged.extend_from_slice(SECRET);
    tagged.extend_from_slice(&[0, 0x3B]);
    let kept = examine(&tagged, PictureFormat::Gif, &PictureLimits::default()).unwrap();
    assert!(!contains(&kept.original.bytes, SECRET));
    assert!(!contains(&kept.original.bytes, b"XMP DataXMP"));
    let decoder = image::codecs::gif::GifDecoder::new(Cursor::new(&kept.original.bytes)).unwrap();
    let frames = image::AnimationDecoder::into_frames(decoder)
        .collect_frames()
        .unwrap();
    assert_eq!(frames.len(), 2, "the animation stays");
    assert_eq!(kept.small.format, PictureFormat::Jpeg);
    assert_eq!(
        strip_gif(&tagged[..tagged.len() - 10]),
        None,
        "a cut GIF is unreadable"
    );
}

#[test]
fn test_a_webp_loses_its_exif_chunk() {
    let mut webp = Vec::new();
    let pixels = opaque(12, 9).to_rgba8();
    WebPEncoder::new_lossless(&mut webp)
        .encode(&pixels, 12, 9, image::ExtendedColorType::Rgba8)
        .unwrap();
    let mut chunk = b"EXIF".to_vec();
    chunk.extend_from_slice(&(SECRET.len() as u32).to_le_bytes());
    chunk.extend_from_slice(SECRET);
    let mut tagged = webp.clone();
    tagged.extend_from_slice(&chunk);
    let riff = (tagged.len() - 8) as u32;
    tagged[4..8].copy_from_slice(&riff.to_le_bytes());
    let kept = examine(&tagged, PictureFormat::WebP, &PictureLimits::default()).unwrap();
    assert!(!contains(&kept.original.bytes, SECRET));
    assert_eq!(kept.original.bytes, webp, "nothing but the chunk goes");
    assert_eq!(
        kept.small.format,
        PictureFormat::Jpeg,
        "no pixel is see-through"
    );
}

#[test]
fn test_a_picture_claiming_huge_sizes_is_refused_from_its_header() {
    let bomb = |width: u32, height: u32| {
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        let mut ihdr = width.to_be_bytes().to_vec();
        ihdr.extend_from_slice(&height.to_be_bytes());
        ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
        png.extend_from_slice(&png_chunk(b"IHDR", &ihdr));
        png.extend_from_slice(&png_chunk(b"IDAT", &[0x78, 0x9C, 0x03, 0, 0, 0, 0, 1]));
        png.extend_from_slice(&png_chunk(b"IEND", &[]));
        examine(&png, PictureFormat::Png, &PictureLimits::default())
    };
    assert!(matches!(
        bomb(100_000, 100_000),
        Err(PictureError::TooLarge { width: 100_000, .. })
    ));
    assert!(
        matches!(bomb(11_000, 11_000), Err(PictureError::TooLarge { .. })),
        "within the side, beyond the pixels"
    );
    assert!(
        matches!(bomb(4, 4), Err(PictureError::Unreadable(_))),
        "no pixel data"
    );
    let garbage = b"\x89PNG\r\n\x1a\nthis is not a picture at all";
    assert!(matches!(
        examine(garbage, PictureFormat::Png, &PictureLimits::default()),
        Err(PictureError::Unreadable(_))
    ));
}

#[test]
fn test_thumbnails_fit_their_sides_and_never_grow() {
    let big = encoded(&opaque(2000, 1000), ImageFormat::Png);
    let kept = examine(&big, PictureFormat::Png, &PictureLimits::default()).unwrap();
    assert_eq!((kept.large.width, kept.large.height), (720, 360));
    assert_eq!((kept.small.width, kept.small.height), (198, 99));
    assert_eq!(kept.small.format, PictureFormat::Jpeg);
    let small = encoded(&opaque(100, 50), ImageFormat::Png);
    let kept = examine(&small, PictureFormat::Png, &PictureLimits::default()).unwrap();
    assert_eq!((kept.large.width, kept.small.width), (100, 100));
    let glass = DynamicImage::ImageRgba8(ImageBuffer::from_pixel(300, 300, Rgba([9, 9, 9, 40])));
    let kept = examine(
        &encoded(&glass, ImageFormat::Png),
        PictureFormat::Png,
        &PictureLimits::default(),
    )
    .unwrap();
    assert_eq!(kept.small.format, PictureFormat::Png, "transparency stays");
}

#[test]
fn test_the_header_reading_agrees_with_the_decoder_on_every_format() {
    let picture = opaque(37, 23);
    let mut webp = Vec::new();
    WebPEncoder::new_lossless(&mut webp)
        .encode(&picture.to_rgba8(), 37, 23, image::ExtendedColorType::Rgba8)
        .unwrap();
    let samples = [
        (encoded(&picture, ImageFormat::Png), PictureFormat::Png),
        (jpeg_with_exif(&picture, 1), PictureFormat::Jpeg),
        (encoded(&picture, ImageFormat::Gif), PictureFormat::Gif),
        (webp, PictureFormat::WebP),
    ];
    for (bytes, format) in samples {
        assert_eq!(
            webim_service::blob::dimensions(&bytes, format),
            Some((37, 23)),
            "{format:?}"
        );
    }
}
