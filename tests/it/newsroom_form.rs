//! Filling in the story editor as a browser does: every control of the form sent with its
//! current value (hidden fields carry the chosen photos and related story from one press
//! to the next), as `multipart/form-data` to the form's action, with the pressed button's
//! value and, when given, a photo file.

use crate::harness::{Browser, Page, TestApp, sel};
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use scraper::Html;

/// The editor form's action and its controls' values, in document order.
pub(crate) fn form_values(page: &Page) -> (String, Vec<(String, String)>) {
    let form = page.one("form.story-editor");
    let action = form.value().attr("action").unwrap().to_string();
    let mut values = Vec::new();
    for control in form.select(&sel("input, textarea, select")) {
        let element = control.value();
        let Some(name) = element.attr("name") else {
            continue;
        };
        let value = match element.name() {
            "textarea" => control.text().collect::<String>(),
            "select" => {
                let options: Vec<_> = control.select(&sel("option")).collect();
                options
                    .iter()
                    .find(|o| o.value().attr("selected").is_some())
                    .or(options.first())
                    .and_then(|o| o.value().attr("value"))
                    .unwrap_or("")
                    .to_string()
            }
            _ => match element.attr("type").unwrap_or("text") {
                "submit" | "button" | "file" | "reset" | "image" => continue,
                "checkbox" | "radio" if element.attr("checked").is_none() => continue,
                _ => element.attr("value").unwrap_or("").to_string(),
            },
        };
        values.push((name.to_string(), value));
    }
    (action, values)
}

/// Press the button with value `button` on the editor form of `page`, after typing
/// `changes` (a name given replaces every value of that name; given twice, it sends both).
pub(crate) async fn press_on(
    browser: &Browser,
    page: &Page,
    button: &str,
    changes: &[(&str, &str)],
    file: Option<Vec<u8>>,
) -> reqwest::Response {
    let (action, mut values) = form_values(page);
    values.retain(|(name, _)| !changes.iter().any(|(changed, _)| changed == name));
    values.extend(changes.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    values.push(("action".into(), button.into()));
    let mut form = Form::new();
    for (name, value) in values {
        form = form.text(name, value);
    }
    if let Some(bytes) = file {
        form = form.part(
            "lead_file",
            Part::bytes(bytes)
                .file_name("photo.jpg")
                .mime_str("image/jpeg")
                .unwrap(),
        );
    }
    browser
        .client
        .post(format!("{}{action}", browser.base()))
        // As for the media library: a refusal before the body is read ends the connection.
        .header("connection", "close")
        .multipart(form)
        .send()
        .await
        .unwrap()
}

/// Open the editor at `path` and press `button` there.
pub(crate) async fn press(
    browser: &Browser,
    path: &str,
    button: &str,
    changes: &[(&str, &str)],
) -> reqwest::Response {
    let page = browser.page(path, StatusCode::OK).await;
    press_on(browser, &page, button, changes, None).await
}

/// The page a response shows, asserting its status.
pub(crate) async fn shown(response: reqwest::Response, status: StatusCode) -> Page {
    assert_eq!(response.status(), status);
    Page(Html::parse_document(&response.text().await.unwrap()))
}

/// The story a saving press redirected to.
pub(crate) fn story_of(response: &reqwest::Response) -> broadsheet_domain::StoryId {
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = response.headers()["location"].to_str().unwrap();
    let id = location
        .trim_start_matches("/newsroom/stories/")
        .split('?')
        .next()
        .unwrap();
    broadsheet_domain::StoryId(id.parse().unwrap())
}

/// The National section, made if need be, once this node's section tree has it.
pub(crate) async fn national(t: &TestApp) -> broadsheet_domain::SectionId {
    let id = t
        .app
        .store
        .ensure_section_path(&["National".to_string()], None)
        .await
        .unwrap();
    t.settle().await;
    id
}

/// A published story's page as readers get it (by its id, through the redirect to its
/// canonical address), once this node has caught up with the writes.
pub(crate) async fn article(t: &TestApp, id: broadsheet_domain::StoryId) -> Page {
    t.settle().await;
    let location = t
        .redirect(
            &format!("/national/2000/01/01/x/{id}"),
            StatusCode::MOVED_PERMANENTLY,
        )
        .await;
    t.page(&location, StatusCode::OK).await
}
