//! Attachment hygiene: photos are decoded and re-encoded from pixels only, so
//! EXIF (GPS, device, owner), XMP, IPTC and PNG text chunks cannot survive.
//! Formats we cannot re-encode are refused rather than stored with metadata.
use sha2::{Digest, Sha256};

/// Largest upload we accept (Telegram's bot download limit is 20 MB).
pub const MAX_ATTACHMENT_BYTES: usize = 10 * 1024 * 1024;
/// Largest image dimension kept: bigger images are scaled down (saves storage, drops sensor detail).
const MAX_DIMENSION: u32 = 4096;

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
    let mut img =
        image::load_from_memory_with_format(bytes, format).map_err(|_| StripError::Corrupt)?;
    if img.width() > MAX_DIMENSION || img.height() > MAX_DIMENSION {
        img = img.resize(
            MAX_DIMENSION,
            MAX_DIMENSION,
            image::imageops::FilterType::Triangle,
        );
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
