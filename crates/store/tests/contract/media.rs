//! The media library's records: an upload with its uploader and variants, all or nothing.

use broadsheet_domain::{MediaInput, MediaVariant, Role};
use broadsheet_store::NewUser;
use broadsheet_store::testing::TestDb;

contract!(
    uploads_read_back_with_variants_newest_first,
    a_failed_upload_records_nothing,
);

fn photo(file: &str) -> MediaInput {
    MediaInput {
        file: file.into(),
        mime: "image/jpeg".into(),
        width: 2400,
        height: 1600,
        caption: "Boats at dawn.".into(),
        credit: None,
        alt: "Boats at a pier".into(),
    }
}

fn variant(width: u32, format: &str) -> MediaVariant {
    MediaVariant {
        width,
        height: width * 2 / 3,
        format: format.into(),
        file: format!("v{width}.{format}"),
    }
}

async fn uploads_read_back_with_variants_newest_first(db: TestDb) {
    let store = &db.store;
    let reporter = store
        .create_user(&NewUser {
            email: Some("reporter@example.kr".into()),
            display_name: "Reporter".into(),
            password_hash: None,
            role: Role::Reporter,
        })
        .await
        .unwrap();
    let imported = store.add_media(&photo("imported.jpg")).await.unwrap();
    let variants = [
        variant(640, "jpeg"),
        variant(640, "webp"),
        variant(1280, "jpeg"),
        variant(1280, "webp"),
    ];
    let mut writer = store.writer().await.unwrap();
    let uploaded = writer
        .add_upload(&photo("uploaded.jpg"), Some(reporter.id), &variants)
        .await
        .unwrap();
    writer.commit().await.unwrap();

    let library = store.library(10).await.unwrap();
    let files: Vec<&str> = library.iter().map(|i| i.media.file.as_str()).collect();
    assert_eq!(files, ["uploaded.jpg", "imported.jpg"]);
    assert_eq!(library[0].uploaded_by, Some(reporter.id));
    assert_eq!(library[0].variants, variants);
    assert_eq!(library[1].uploaded_by, None);
    assert!(library[1].variants.is_empty());

    let found = store
        .media_variants(&[uploaded.id, imported.id])
        .await
        .unwrap();
    assert_eq!(found.len(), 1, "an image without variants is absent");
    assert_eq!(found[&uploaded.id], variants);
}

async fn a_failed_upload_records_nothing(db: TestDb) {
    let store = &db.store;
    // The same width and format twice breaks the variants' key after the image row is in.
    let mut writer = store.writer().await.unwrap();
    let result = writer
        .add_upload(
            &photo("uploaded.jpg"),
            None,
            &[variant(640, "jpeg"), variant(640, "jpeg")],
        )
        .await;
    assert!(result.is_err());
    drop(writer);
    assert!(store.library(10).await.unwrap().is_empty());
}
