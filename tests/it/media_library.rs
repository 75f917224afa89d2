//! The newsroom media library through the app: uploads by staff, what is stored and served,
//! how a story shows an uploaded photo, and refusals that leave nothing behind.

use crate::both_backends;
use crate::harness::{Browser, Page, TestApp, text};
use broadsheet_domain::Role;
use broadsheet_store::Backend;
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use scraper::Html;

both_backends!(
    a_reporter_uploads_a_photo_that_a_story_shows_in_sizes,
    refused_files_and_words_store_nothing,
    oversized_uploads_are_refused_with_413,
    only_staff_with_a_token_may_upload,
);

const LIBRARY: &str = "/newsroom/media";

/// Words planted in the photo's EXIF, looked for in every stored file.
const SECRET: &str = "Source-Home-Address";

async fn a_reporter_uploads_a_photo_that_a_story_shows_in_sizes(backend: Backend) {
    let t = TestApp::new(backend).await;
    let reporter = t.staff("reporter@example.com", Role::Reporter).await;
    let photo = fixtures::jpeg_with_exif_gps(2400, 1600);
    assert!(fixtures::contains(&photo, b"GPS") && fixtures::contains(&photo, SECRET.as_bytes()));

    let response = upload(
        &reporter,
        photo,
        "photo.jpg",
        &words(
            "Fishing boats at dawn in Sokcho harbour",
            "Kim Min-ji",
            "Boats moored at a pier under a pale sky",
        ),
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = response.headers()["location"].to_str().unwrap().to_string();
    assert!(
        location.starts_with("/newsroom/media?uploaded="),
        "{location}"
    );

    // The library lists it, with its words and size.
    let library = reporter.page(&location, StatusCode::OK).await;
    assert_eq!(library.texts(".form-notice").len(), 1);
    assert_eq!(
        library.texts(".media-item .media-caption"),
        ["Fishing boats at dawn in Sokcho harbour"]
    );
    assert_eq!(library.texts(".media-item .media-credit"), ["[Kim Min-ji]"]);
    assert_eq!(
        library.texts(".media-item .media-alt"),
        ["Alt text: Boats moored at a pier under a pale sky"]
    );
    assert!(library.texts(".media-item .media-size")[0].starts_with("2400×1600 pixels"));
    assert_eq!(
        library.attr(".media-item img", "alt"),
        "Boats moored at a pier under a pale sky"
    );

    // What was recorded: the cleaned original and three widths in WebP and JPEG.
    let items = t.app.store.library(10).await.unwrap();
    assert_eq!(items.len(), 1);
    let item = &items[0];
    assert_eq!((item.media.width, item.media.height), (2400, 1600));
    assert_eq!(item.media.mime, "image/jpeg");
    let shapes: Vec<(u32, u32, &str)> = item
        .variants
        .iter()
        .map(|v| (v.width, v.height, v.format.as_str()))
        .collect();
    assert_eq!(
        shapes,
        [
            (640, 427, "jpeg"),
            (640, 427, "webp"),
            (1280, 853, "jpeg"),
            (1280, 853, "webp"),
            (1920, 1280, "jpeg"),
            (1920, 1280, "webp"),
        ]
    );

    // Every file on disk is one of them, and none carries the EXIF, its GPS or its words.
    let mut recorded: Vec<String> = item.variants.iter().map(|v| v.file.clone()).collect();
    recorded.push(item.media.file.clone());
    recorded.sort();
    assert_eq!(media_files(&t), recorded);
    for name in &recorded {
        let bytes = std::fs::read(t.app.media.dir().join(name)).unwrap();
        for needle in [&b"Exif\0\0"[..], b"GPS", SECRET.as_bytes()] {
            assert!(
                !fixtures::contains(&bytes, needle),
                "{name} carries {:?}",
                String::from_utf8_lossy(needle)
            );
        }
    }

    // Served with their type and a year-long cache.
    for (file, mime, magic) in [
        (&item.media.file, "image/jpeg", &b"\xFF\xD8"[..]),
        (&item.variants[0].file, "image/jpeg", b"\xFF\xD8"),
        (&item.variants[1].file, "image/webp", b"RIFF"),
    ] {
        let response = t.get(&format!("/media/{file}")).await;
        assert_eq!(response.status(), StatusCode::OK, "{file}");
        assert_eq!(response.headers()["content-type"], mime, "{file}");
        assert_eq!(
            response.headers()["cache-control"],
            "public, max-age=31536000, immutable"
        );
        assert!(response.bytes().await.unwrap().starts_with(magic), "{file}");
    }

    // A story with the photo as its lead shows a <picture> with both srcsets.
    let section = t
        .app
        .store
        .ensure_section_path(&["National".to_string()], None)
        .await
        .unwrap();
    let mut input = crate::reader_input(section, "Boats return to Sokcho", &[]);
    input.lead_media = Some(item.media.id);
    let id = t.app.store.save_story(None, &input).await.unwrap().id;
    t.settle().await;
    let path = format!("/national/2026/11/01/boats-return-to-sokcho/{id}");
    let page = t.page(&path, StatusCode::OK).await;
    let srcset = |format: &str| -> String {
        item.variants
            .iter()
            .filter(|v| v.format == format)
            .map(|v| format!("/media/{} {}w", v.file, v.width))
            .collect::<Vec<_>>()
            .join(", ")
    };
    assert_eq!(
        page.child_tags(".lead-photo picture"),
        ["source", "img"],
        "WebP first, then the JPEG fallback"
    );
    assert_eq!(
        page.attr(".lead-photo picture source", "type"),
        "image/webp"
    );
    assert_eq!(
        page.attr(".lead-photo picture source", "srcset"),
        srcset("webp")
    );
    assert!(srcset("webp").contains(" 640w, ") && srcset("webp").ends_with(" 1920w"));
    let img = ".lead-photo picture img";
    assert_eq!(page.attr(img, "srcset"), srcset("jpeg"));
    assert_eq!(
        page.attr(img, "sizes"),
        page.attr(".lead-photo picture source", "sizes")
    );
    assert_eq!(page.attr(img, "width"), "2400");
    assert_eq!(page.attr(img, "height"), "1600");
    assert_eq!(
        page.attr(img, "alt"),
        "Boats moored at a pier under a pale sky"
    );
    assert_eq!(
        text(page.one(".lead-photo figcaption")),
        "Fishing boats at dawn in Sokcho harbour [Kim Min-ji]"
    );

    // In a gallery beside a photo without variants (as imported ones are), only the
    // uploaded one becomes a <picture>.
    let imported = t
        .app
        .store
        .add_media(&broadsheet_domain::MediaInput {
            file: "imported.jpg".into(),
            mime: "image/jpeg".into(),
            width: 1200,
            height: 800,
            caption: "An imported photo".into(),
            credit: None,
            alt: "A harbour wall".into(),
        })
        .await
        .unwrap();
    let mut input = crate::reader_input(section, "Sokcho in pictures", &[]);
    input.kind = broadsheet_domain::StoryKind::Gallery;
    input.gallery = vec![item.media.id, imported.id];
    let id = t.app.store.save_story(None, &input).await.unwrap().id;
    t.settle().await;
    let page = t
        .page(
            &format!("/national/2026/11/01/sokcho-in-pictures/{id}"),
            StatusCode::OK,
        )
        .await;
    let photos = page.all(".gallery-photo");
    assert_eq!(photos.len(), 2);
    assert_eq!(page.all(".gallery-photo picture").len(), 1);
    assert_eq!(
        page.attr(".gallery-photo picture source", "srcset"),
        srcset("webp")
    );
    assert_eq!(
        page.attr(".gallery-photo > img", "src"),
        "/media/imported.jpg"
    );
}

async fn refused_files_and_words_store_nothing(backend: Backend) {
    let t = TestApp::new(backend).await;
    let reporter = t.staff("reporter@example.com", Role::Reporter).await;
    let good = fixtures::jpeg_with_exif_gps(800, 600);
    let pdf = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n".to_vec();
    // PNG magic bytes, then nothing a decoder can read.
    let disguised = [&b"\x89PNG\r\n\x1a\n"[..], &[0x5A; 4096]].concat();
    let cases = [
        (
            pdf,
            words("A caption", "", "Alt text"),
            "not a JPEG, PNG or WebP image (it looks like a PDF document)",
        ),
        (
            disguised,
            words("A caption", "", "Alt text"),
            "claims to be a PNG image but cannot be read",
        ),
        (good.clone(), words("A caption", "Credit", "  "), "alt text"),
        (good, words("", "Credit", "Alt text"), "caption"),
    ];
    for (bytes, typed, why) in cases {
        let response = upload(&reporter, bytes, "photo.jpg", &typed).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{why}");
        let page = page_of(response).await;
        let error = page.texts(".form-error").join(" ");
        assert!(
            error.to_lowercase().contains(&why.to_lowercase()),
            "{error:?} should say {why:?}"
        );
        // What was typed is kept for the next try.
        assert_eq!(text(page.one("textarea[name=caption]")), typed.caption);
        assert_eq!(page.attr("input[name=credit]", "value"), typed.credit);
        assert_eq!(page.attr("input[name=alt]", "value"), typed.alt);
        assert_nothing_stored(&t).await;
    }
}

async fn oversized_uploads_are_refused_with_413(backend: Backend) {
    let t = TestApp::with_config(backend, |c| c.media_max_bytes = 1024 * 1024).await;
    let reporter = t.staff("reporter@example.com", Role::Reporter).await;
    // Over the image limit but inside the request limit: refused with its exact size.
    let a_little_over = [&b"\xFF\xD8\xFF\xE0"[..], &vec![0; 1_300_000]].concat();
    let response = upload(&reporter, a_little_over, "big.jpg", &words("C", "", "A")).await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let page = page_of(response).await;
    assert_eq!(
        page.texts(".form-error"),
        [
            "The file is 1.3 MB, over the 1 MB limit: export it at a smaller size or higher \
          compression and upload it again."
        ]
    );
    assert_eq!(page.attr("input[name=alt]", "value"), "A");
    assert_nothing_stored(&t).await;

    // Over the request limit: refused as soon as the limit is crossed.
    let far_over = vec![0xFF; 3 * 1024 * 1024];
    let response = upload(&reporter, far_over, "huge.jpg", &words("C", "", "A")).await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let body = response.text().await.unwrap();
    assert!(body.contains("larger than the 1 MB limit"), "{body}");
    assert_nothing_stored(&t).await;
}

async fn only_staff_with_a_token_may_upload(backend: Backend) {
    let t = TestApp::new(backend).await;
    let photo = fixtures::jpeg_with_exif_gps(800, 600);
    let typed = words("A caption", "", "Alt text");

    // Anonymous visitors are sent to sign in.
    let location = t.redirect(LIBRARY, StatusCode::SEE_OTHER).await;
    assert!(location.starts_with("/account/signin"), "{location}");

    // Readers are refused, page and upload alike, even with their own valid token.
    let reader = t.reader("reader@example.com", "Reader").await;
    reader.page(LIBRARY, StatusCode::FORBIDDEN).await;
    let token = reader
        .page("/account", StatusCode::OK)
        .await
        .all("input[name=csrf]")[0]
        .value()
        .attr("value")
        .unwrap()
        .to_string();
    let response = post(
        &reader,
        &format!("{LIBRARY}?csrf={token}"),
        photo.clone(),
        &typed,
    )
    .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_nothing_stored(&t).await;

    // Staff without the token are refused by the CSRF guard.
    let editor = t.staff("editor@example.com", Role::Editor).await;
    editor.page(LIBRARY, StatusCode::OK).await;
    let response = post(&editor, LIBRARY, photo.clone(), &typed).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let response = post(&editor, &format!("{LIBRARY}?csrf=forged"), photo, &typed).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_nothing_stored(&t).await;
}

pub(crate) struct Words {
    caption: String,
    credit: String,
    alt: String,
}

pub(crate) fn words(caption: &str, credit: &str, alt: &str) -> Words {
    Words {
        caption: caption.into(),
        credit: credit.into(),
        alt: alt.into(),
    }
}

/// Upload as the library's form does: to its action, token in the query string.
pub(crate) async fn upload(
    browser: &Browser,
    bytes: Vec<u8>,
    name: &str,
    typed: &Words,
) -> reqwest::Response {
    let library = browser.page(LIBRARY, StatusCode::OK).await;
    let form = "form[enctype='multipart/form-data']";
    let action = library.attr(form, "action");
    assert!(action.starts_with("/newsroom/media?csrf="), "{action}");
    let file = Part::bytes(bytes)
        .file_name(name.to_string())
        .mime_str("image/jpeg")
        .unwrap();
    send(browser, &action, file, typed).await
}

/// POST the multipart form to `path` as given (no token added).
async fn post(browser: &Browser, path: &str, bytes: Vec<u8>, typed: &Words) -> reqwest::Response {
    let file = Part::bytes(bytes)
        .file_name("photo.jpg")
        .mime_str("image/jpeg")
        .unwrap();
    send(browser, path, file, typed).await
}

async fn send(browser: &Browser, path: &str, file: Part, typed: &Words) -> reqwest::Response {
    let form = Form::new()
        .part("file", file)
        .text("caption", typed.caption.clone())
        .text("credit", typed.credit.clone())
        .text("alt", typed.alt.clone());
    browser
        .client
        .post(format!("{}{path}", browser.base()))
        // A refusal before the body is read (no token, not staff, too large) ends the
        // connection once answered; a pooled connection would fail the next request, so
        // uploads never share one (browsers retry such a request on a new connection).
        .header("connection", "close")
        .multipart(form)
        .send()
        .await
        .unwrap()
}

async fn page_of(response: reqwest::Response) -> Page {
    Page(Html::parse_document(&response.text().await.unwrap()))
}

/// The files in the media folder (none when it was never made).
fn media_files(t: &TestApp) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(t.app.media.dir())
        .map(|entries| {
            entries
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

async fn assert_nothing_stored(t: &TestApp) {
    assert!(
        t.app.store.library(10).await.unwrap().is_empty(),
        "a media row"
    );
    assert_eq!(
        media_files(t),
        Vec::<String>::new(),
        "a file in the media folder"
    );
}

/// Photo-like test images carrying hand-made EXIF, from the image core's own fixtures.
pub(crate) mod fixtures {
    use image::codecs::jpeg::JpegEncoder;
    use image::{ImageEncoder, Rgb, RgbImage};

    use super::SECRET;

    /// A JPEG of a photo-like picture with an EXIF segment holding a description and a GPS
    /// position, right after SOI as cameras write it.
    pub fn jpeg_with_exif_gps(width: u32, height: u32) -> Vec<u8> {
        let mut jpeg = Vec::new();
        let picture = photo(width, height);
        JpegEncoder::new_with_quality(&mut jpeg, 90)
            .write_image(
                picture.as_raw(),
                width,
                height,
                image::ExtendedColorType::Rgb8,
            )
            .unwrap();
        let exif = [b"Exif\0\0".to_vec(), exif_tiff()].concat();
        let mut out = jpeg[..2].to_vec();
        out.extend_from_slice(&[0xFF, 0xE1]);
        out.extend_from_slice(&(exif.len() as u16 + 2).to_be_bytes());
        out.extend(exif);
        out.extend_from_slice(&jpeg[2..]);
        out
    }

    /// A sky gradient over textured ground with grain, so encoders see what a photo has.
    fn photo(width: u32, height: u32) -> RgbImage {
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        let mut noise = move || {
            // xorshift64: grain that is the same every run.
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % 17) as i32 - 8
        };
        let (w, h) = (width as f32, height as f32);
        RgbImage::from_fn(width, height, |x, y| {
            let (fx, fy) = (x as f32 / w, y as f32 / h);
            let rgb = if fy < 0.45 {
                [90.0 + 100.0 * fy, 140.0 + 120.0 * fy, 230.0 - 40.0 * fx]
            } else {
                let texture = if (x / 7 + y / 5) % 2 == 0 {
                    15.0
                } else {
                    -15.0
                };
                [
                    80.0 + 60.0 * fx + texture,
                    110.0 + texture,
                    50.0 + 30.0 * fy,
                ]
            };
            Rgb(rgb.map(|c: f32| (c as i32 + noise()).clamp(0, 255) as u8))
        })
    }

    /// Little-endian TIFF as EXIF carries it: IFD0 with a description and a pointer to a GPS
    /// IFD with latitude and longitude.
    fn exif_tiff() -> Vec<u8> {
        const ASCII: u16 = 2;
        const LONG: u16 = 4;
        const RATIONAL: u16 = 5;
        const UNDEFINED: u16 = 7;
        let rationals = |values: &[(u32, u32)]| -> Vec<u8> {
            values
                .iter()
                .flat_map(|(n, d)| [n.to_le_bytes(), d.to_le_bytes()].concat())
                .collect()
        };
        let description = format!("{SECRET}\0").into_bytes();
        let ifd0 = |gps_offset: u32| {
            vec![
                (0x010E, ASCII, description.len() as u32, description.clone()),
                (0x8825, LONG, 1, gps_offset.to_le_bytes().to_vec()),
            ]
        };
        // IFD0 follows the 8-byte header; the GPS IFD follows IFD0, whose length does not
        // depend on the pointer's value.
        let ifd0_len = ifd_bytes(&ifd0(0), 8).len() as u32;
        let mut tiff = b"II*\0\x08\0\0\0".to_vec();
        tiff.extend(ifd_bytes(&ifd0(8 + ifd0_len), 8));
        let gps = vec![
            (0x0000, 1, 4, vec![2, 3, 0, 0]),
            (0x0001, ASCII, 2, b"N\0".to_vec()),
            (
                0x0002,
                RATIONAL,
                3,
                rationals(&[(37, 1), (33, 1), (5928, 100)]),
            ),
            (0x0003, ASCII, 2, b"E\0".to_vec()),
            (
                0x0004,
                RATIONAL,
                3,
                rationals(&[(126, 1), (58, 1), (4272, 100)]),
            ),
            (0x001B, UNDEFINED, 11, b"ASCII\0\0\0GPS".to_vec()),
        ];
        tiff.extend(ifd_bytes(&gps, 8 + ifd0_len));
        tiff
    }

    /// One IFD placed at `offset`: the entry table, then values too long for an entry.
    fn ifd_bytes(entries: &[(u16, u16, u32, Vec<u8>)], offset: u32) -> Vec<u8> {
        let table_len = 2 + 12 * entries.len() as u32 + 4;
        let mut table = (entries.len() as u16).to_le_bytes().to_vec();
        let mut data = Vec::new();
        for (tag, kind, count, value) in entries {
            table.extend_from_slice(&tag.to_le_bytes());
            table.extend_from_slice(&kind.to_le_bytes());
            table.extend_from_slice(&count.to_le_bytes());
            if value.len() <= 4 {
                let mut inline = value.clone();
                inline.resize(4, 0);
                table.extend_from_slice(&inline);
            } else {
                let at = offset + table_len + data.len() as u32;
                table.extend_from_slice(&at.to_le_bytes());
                data.extend_from_slice(value);
                if data.len() % 2 == 1 {
                    data.push(0); // values start on word boundaries
                }
            }
        }
        table.extend_from_slice(&0u32.to_le_bytes()); // no next IFD
        table.extend(data);
        table
    }

    pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }
}
