//! Fakes of the platforms Tipline talks to, and chat drivers for tests.
#![allow(dead_code)]
pub mod fake_messenger;
pub mod fake_messenger_events;
pub mod fake_telegram;
pub mod fake_zalo;
pub mod fake_zalo_events;
pub mod messenger_chat;
pub mod server_process;
pub mod telegram_chat;
pub mod telegram_limits;
pub mod tipline_app;
pub mod web_chat;
pub mod zalo_chat;

/// A small JPEG with an EXIF APP1 segment carrying GPS text, as a phone would send.
pub fn jpeg_with_exif_gps() -> Vec<u8> {
    let img = image::RgbImage::from_pixel(16, 16, image::Rgb([200, 10, 10]));
    let mut jpeg = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut jpeg, image::ImageFormat::Jpeg)
        .unwrap();
    let jpeg = jpeg.into_inner();
    let payload = b"Exif\0\0MM\0*GPSLatitude 10.95 GPSLongitude 106.82 Make PhoneCo Owner Nguyen";
    let mut out = jpeg[..2].to_vec();
    out.extend([0xFF, 0xE1]);
    out.extend(((payload.len() + 2) as u16).to_be_bytes());
    out.extend(payload);
    out.extend(&jpeg[2..]);
    out
}
