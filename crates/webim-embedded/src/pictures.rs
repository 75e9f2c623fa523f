//! Pictures in the browser, the in-browser twin of the server's picture step: no image
//! crate in the download, the browser's own decoder instead.
//!
//! - **Bounds first**, by the service's reading of the header (`blob::dimensions`) and its
//!   bounds: nothing is decoded for a picture that claims too many pixels.
//! - **Nothing of the camera leaves.** `createImageBitmap` decodes and turns the picture
//!   upright by its orientation tag; PNG and JPEG are drawn on an `OffscreenCanvas` and
//!   written again, which keeps no EXIF, text or XMP. GIF (a canvas would lose its
//!   animation) and WebP keep their pixels, cleaned by the service's `blob::clean`.
//! - **Thumbnails** of the service's sizes, drawn on a canvas: JPEG, or PNG when a pixel
//!   is see-through.
//!
//! Runs in the worker or a page: whichever global scope has `createImageBitmap`.

use js_sys::{Array, Promise, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Blob, BlobPropertyBag, ImageBitmap, ImageEncodeOptions, OffscreenCanvas,
    OffscreenCanvasRenderingContext2d,
};
use webim_service::blob::clean::{Keeping, keeping};
pub use webim_service::blob::{Examined, Rendition};
use webim_service::blob::{
    LARGE_SIDE, PictureBounds, PictureFormat, SMALL_SIDE, dimensions, thumbnail_size,
};

/// Why a picture is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PictureError {
    /// Larger than the bounds, by its own header.
    TooLarge {
        /// Its width.
        width: u32,
        /// Its height.
        height: u32,
    },
    /// Not a picture the browser can read, or the browser failed to write one.
    Unreadable(String),
}

fn unreadable(what: &str, e: &JsValue) -> PictureError {
    let detail = e
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .unwrap_or_else(|| format!("{e:?}"));
    PictureError::Unreadable(format!("{what}: {detail}"))
}

/// Reads, checks, cleans and shrinks the picture `bytes`, which are `format` by their
/// signature.
pub async fn examine(
    bytes: &[u8],
    format: PictureFormat,
    bounds: &PictureBounds,
) -> Result<Examined, PictureError> {
    let size = dimensions(bytes, format)
        .ok_or_else(|| PictureError::Unreadable("its header gives no size".to_owned()))?;
    if bounds.check(size).is_err() {
        return Err(PictureError::TooLarge {
            width: size.0,
            height: size.1,
        });
    }
    let bitmap = decode(bytes, format).await?;
    let upright = (bitmap.width(), bitmap.height());
    let original = match keeping(format) {
        Keeping::Redraw => draw(&bitmap, upright, Some(format)).await?,
        Keeping::Strip(strip) => Rendition {
            bytes: strip(bytes)
                .ok_or_else(|| PictureError::Unreadable("a block runs past the end".to_owned()))?,
            format,
            width: upright.0,
            height: upright.1,
        },
    };
    let large = draw(&bitmap, thumbnail_size(upright, LARGE_SIDE), None).await?;
    let small = draw(&bitmap, thumbnail_size(upright, SMALL_SIDE), None).await?;
    bitmap.close();
    Ok(Examined {
        original,
        large,
        small,
    })
}

/// The browser's decoding of `bytes`, upright.
async fn decode(bytes: &[u8], format: PictureFormat) -> Result<ImageBitmap, PictureError> {
    let parts = Array::of1(&Uint8Array::from(bytes));
    let options = BlobPropertyBag::new();
    options.set_type(format.mime());
    let blob = Blob::new_with_u8_array_sequence_and_options(&parts, &options)
        .map_err(|e| unreadable("blob", &e))?;
    let global = js_sys::global();
    let create = js_sys::Reflect::get(&global, &"createImageBitmap".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .ok_or_else(|| PictureError::Unreadable("no createImageBitmap here".to_owned()))?;
    let promise: Promise = create
        .call1(&global, &blob)
        .map_err(|e| unreadable("decode", &e))?
        .unchecked_into();
    JsFuture::from(promise)
        .await
        .map(JsCast::unchecked_into)
        .map_err(|e| unreadable("decode", &e))
}

/// `bitmap` drawn at `size` and written as `format`, or, for a thumbnail (`None`), as
/// JPEG or, when a pixel is see-through, PNG.
async fn draw(
    bitmap: &ImageBitmap,
    (width, height): (u32, u32),
    format: Option<PictureFormat>,
) -> Result<Rendition, PictureError> {
    let canvas = OffscreenCanvas::new(width, height).map_err(|e| unreadable("canvas", &e))?;
    let context: OffscreenCanvasRenderingContext2d = canvas
        .get_context("2d")
        .map_err(|e| unreadable("canvas", &e))?
        .ok_or_else(|| PictureError::Unreadable("no 2d canvas".to_owned()))?
        .unchecked_into();
    context
        .draw_image_with_image_bitmap_and_dw_and_dh(
            bitmap,
            0.0,
            0.0,
            f64::from(width),
            f64::from(height),
        )
        .map_err(|e| unreadable("draw", &e))?;
    let format = match format {
        Some(format) => format,
        None if see_through(&context, width, height)? => PictureFormat::Png,
        None => PictureFormat::Jpeg,
    };
    let options = ImageEncodeOptions::new();
    options.set_type(format.mime());
    if format == PictureFormat::Jpeg {
        options.set_quality(0.85);
    }
    let promise = canvas
        .convert_to_blob_with_options(&options)
        .map_err(|e| unreadable("encode", &e))?;
    let blob: Blob = JsFuture::from(promise)
        .await
        .map_err(|e| unreadable("encode", &e))?
        .unchecked_into();
    let buffer = JsFuture::from(blob.array_buffer())
        .await
        .map_err(|e| unreadable("encode", &e))?;
    Ok(Rendition {
        bytes: Uint8Array::new(&buffer).to_vec(),
        format,
        width,
        height,
    })
}

/// True if a pixel of the drawn canvas is not fully opaque.
fn see_through(
    context: &OffscreenCanvasRenderingContext2d,
    width: u32,
    height: u32,
) -> Result<bool, PictureError> {
    let pixels = context
        .get_image_data(0.0, 0.0, f64::from(width), f64::from(height))
        .map_err(|e| unreadable("pixels", &e))?
        .data();
    Ok(pixels.chunks_exact(4).any(|p| p[3] < u8::MAX))
}
