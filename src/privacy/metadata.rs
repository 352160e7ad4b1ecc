//! Attachment hygiene: photos are decoded and re-encoded from pixels only, so
//! EXIF (GPS, device, owner), XMP, IPTC and PNG text chunks cannot survive.
//! Formats we cannot re-encode are refused rather than stored with metadata.
use sha2::{Digest, Sha256};

/// Largest upload we accept (Telegram's bot download limit is 20 MB).
pub const MAX_ATTACHMENT_BYTES: usize = 10 * 1024 * 1024;
/// Largest image dimension kept: bigger images are scaled down (saves storage, drops sensor detail).
const MAX_DIMENSION: u32 = 4096;
/// Largest side we agree to decode. A few hundred KB of PNG can announce
/// 11,000 × 11,000 pixels; the header is refused before any pixel is allocated.
pub const MAX_DECODE_SIDE: u32 = 8000;
/// Most memory one decode may allocate (a 6,500² RGB photo fits, a bomb does not).
pub const MAX_DECODE_ALLOC: u64 = 128 * 1024 * 1024;

#[derive(Debug, Clone)]
pub struct CleanAttachment {
    pub bytes: Vec<u8>,
    pub content_type: &'static str,
    pub sha256: String,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum StripError {
    #[error("file is larger than {max} bytes")]
    TooLarge { max: usize },
    #[error("unsupported file type (only JPEG and PNG photos are accepted)")]
    Unsupported,
    #[error("the image could not be read")]
    Corrupt,
    #[error("the image has more pixels than we decode")]
    TooManyPixels,
}

/// Returns the file with all metadata removed, and the SHA-256 of the stored bytes.
pub fn strip(bytes: &[u8]) -> Result<CleanAttachment, StripError> {
    if bytes.len() > MAX_ATTACHMENT_BYTES {
        return Err(StripError::TooLarge {
            max: MAX_ATTACHMENT_BYTES,
        });
    }
    let format = image::guess_format(bytes).map_err(|_| StripError::Unsupported)?;
    let (out_format, content_type) = match format {
        image::ImageFormat::Jpeg => (image::ImageFormat::Jpeg, "image/jpeg"),
        image::ImageFormat::Png => (image::ImageFormat::Png, "image/png"),
        _ => return Err(StripError::Unsupported),
    };
    let mut img = decode_with_limits(bytes, format)?;
    if img.width() > MAX_DIMENSION || img.height() > MAX_DIMENSION {
        // `thumbnail` samples instead of filtering: a fraction of the working memory.
        img = img.thumbnail(MAX_DIMENSION, MAX_DIMENSION);
    }
    if out_format == image::ImageFormat::Jpeg {
        img = image::DynamicImage::ImageRgb8(img.to_rgb8());
    }
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, out_format)
        .map_err(|_| StripError::Corrupt)?;
    let bytes = out.into_inner();
    let sha256 = hex::encode(Sha256::digest(&bytes));
    Ok(CleanAttachment {
        bytes,
        content_type,
        sha256,
    })
}

/// Decodes under explicit dimension and allocation limits, so a
/// decompression bomb is refused instead of exhausting memory.
fn decode_with_limits(
    bytes: &[u8],
    format: image::ImageFormat,
) -> Result<image::DynamicImage, StripError> {
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_DECODE_SIDE);
    limits.max_image_height = Some(MAX_DECODE_SIDE);
    limits.max_alloc = Some(MAX_DECODE_ALLOC);
    let mut reader = image::ImageReader::with_format(std::io::Cursor::new(bytes), format);
    reader.limits(limits);
    reader.decode().map_err(|e| match e {
        image::ImageError::Limits(_) => StripError::TooManyPixels,
        _ => StripError::Corrupt,
    })
}

/// True when the bytes carry an EXIF block (JPEG APP1 "Exif" or PNG eXIf chunk).
/// Used by tests and by the dashboard's self-check.
pub fn has_exif(bytes: &[u8]) -> bool {
    bytes.windows(6).any(|w| w == b"Exif\0\0") || bytes.windows(4).any(|w| w == b"eXIf")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tiny JPEG with an APP1 EXIF segment spliced in after SOI.
    pub fn jpeg_with_exif() -> Vec<u8> {
        let img = image::RgbImage::from_pixel(8, 8, image::Rgb([200, 10, 10]));
        let mut jpeg = std::io::Cursor::new(Vec::new());
        image::DynamicImage::ImageRgb8(img)
            .write_to(&mut jpeg, image::ImageFormat::Jpeg)
            .unwrap();
        let jpeg = jpeg.into_inner();
        let payload = b"Exif\0\0MM\0*GPSLatitude 10.95 GPSLongitude 106.82";
        let mut out = jpeg[..2].to_vec();
        out.extend([0xFF, 0xE1]);
        out.extend(((payload.len() + 2) as u16).to_be_bytes());
        out.extend(payload);
        out.extend(&jpeg[2..]);
        out
    }

    #[test]
    fn exif_gps_is_gone_after_stripping() {
        let dirty = jpeg_with_exif();
        assert!(has_exif(&dirty));
        let clean = strip(&dirty).unwrap();
        assert!(!has_exif(&clean.bytes));
        assert!(!clean.bytes.windows(3).any(|w| w == b"GPS"));
        assert_eq!(clean.content_type, "image/jpeg");
        assert_eq!(clean.sha256.len(), 64);
    }

    /// A PNG header announcing `side`² grey pixels, with a tiny (truncated) body:
    /// the limits must refuse it from the header alone.
    fn png_announcing(side: u32) -> Vec<u8> {
        let mut out = Vec::new();
        let mut enc = png::Encoder::new(&mut out, side, side);
        enc.set_color(png::ColorType::Grayscale);
        let mut w = enc.write_header().unwrap();
        w.write_chunk(png::chunk::IEND, &[]).unwrap();
        drop(w);
        out
    }

    #[test]
    fn images_over_the_decode_limits_are_refused_before_decoding() {
        assert_eq!(
            strip(&png_announcing(11_000)).unwrap_err(),
            StripError::TooManyPixels
        );
    }

    #[test]
    fn non_images_are_refused_clearly() {
        assert_eq!(
            strip(b"%PDF-1.4 hello").unwrap_err(),
            StripError::Unsupported
        );
        assert_eq!(
            strip(&[0xFF, 0xD8, 0xFF, 0x00]).unwrap_err(),
            StripError::Corrupt
        );
    }
}
