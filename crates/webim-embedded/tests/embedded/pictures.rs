//! The browser's picture step, in Chromium: bounds from the header, EXIF gone, pictures
//! turned upright, thumbnails of the service's sizes.
#![allow(clippy::unwrap_used)] // a failed step is the test failing

use js_sys::Uint8Array;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::{ImageEncodeOptions, OffscreenCanvas, OffscreenCanvasRenderingContext2d};
use webim_embedded::pictures::{PictureError, examine};
use webim_service::blob::samples::{SECRET, contains, with_exif};
use webim_service::blob::{PictureBounds, PictureFormat};

/// A `width`×`height` picture filled with `colour`, written as `mime` by the browser.
async fn painted(width: u32, height: u32, colour: &str, mime: &str) -> Vec<u8> {
    let canvas = OffscreenCanvas::new(width, height).unwrap();
    let context: OffscreenCanvasRenderingContext2d =
        canvas.get_context("2d").unwrap().unwrap().unchecked_into();
    context.set_fill_style_str(colour);
    context.fill_rect(0.0, 0.0, f64::from(width), f64::from(height));
    let options = ImageEncodeOptions::new();
    options.set_type(mime);
    let blob: web_sys::Blob =
        JsFuture::from(canvas.convert_to_blob_with_options(&options).unwrap())
            .await
            .unwrap()
            .unchecked_into();
    let buffer = JsFuture::from(blob.array_buffer()).await.unwrap();
    Uint8Array::new(&buffer).to_vec()
}

#[wasm_bindgen_test]
async fn a_picture_gets_two_thumbnails_of_the_services_sizes() {
    let png = painted(2000, 1000, "#3a6", "image/png").await;
    let kept = examine(&png, PictureFormat::Png, &PictureBounds::default())
        .await
        .unwrap();
    assert_eq!((kept.original.width, kept.original.height), (2000, 1000));
    assert_eq!((kept.large.width, kept.large.height), (720, 360));
    assert_eq!((kept.small.width, kept.small.height), (198, 99));
    assert_eq!(kept.small.format, PictureFormat::Jpeg);
    assert!(kept.small.bytes.starts_with(&[0xFF, 0xD8]), "a JPEG");
    let glass = painted(300, 300, "rgba(0, 0, 0, 0.2)", "image/png").await;
    let kept = examine(&glass, PictureFormat::Png, &PictureBounds::default())
        .await
        .unwrap();
    assert_eq!(kept.small.format, PictureFormat::Png, "transparency stays");
}

#[wasm_bindgen_test]
async fn a_photo_loses_its_exif_and_is_turned_upright() {
    let photo = with_exif(&painted(40, 20, "#c33", "image/jpeg").await, 6);
    let kept = examine(&photo, PictureFormat::Jpeg, &PictureBounds::default())
        .await
        .unwrap();
    assert!(!contains(&kept.original.bytes, SECRET));
    assert!(!contains(&kept.original.bytes, b"Exif"));
    assert_eq!((kept.original.width, kept.original.height), (20, 40));
}

#[wasm_bindgen_test]
async fn a_picture_claiming_a_huge_size_is_refused_before_decoding() {
    let mut bomb = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    bomb.extend_from_slice(&100_000u32.to_be_bytes());
    bomb.extend_from_slice(&100_000u32.to_be_bytes());
    bomb.extend_from_slice(&[8, 2, 0, 0, 0, 0, 0, 0, 0]);
    let refused = examine(&bomb, PictureFormat::Png, &PictureBounds::default()).await;
    assert_eq!(
        refused,
        Err(PictureError::TooLarge {
            width: 100_000,
            height: 100_000
        })
    );
    let mut broken = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    broken.extend_from_slice(&[0, 0, 0, 4, 0, 0, 0, 4, 8, 2, 0, 0, 0, 1, 2, 3, 4]);
    let refused = examine(&broken, PictureFormat::Png, &PictureBounds::default()).await;
    assert!(
        matches!(refused, Err(PictureError::Unreadable(_))),
        "{refused:?}"
    );
}
