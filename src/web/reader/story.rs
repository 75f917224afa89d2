//! The article page (and gallery stories, which share it).

use crate::app::AppState;
use crate::render;
use crate::services::reader::{self, StoryLookup};
use crate::web::cache::{SurrogateKeys, story_key};
use crate::web::error::WebError;
use crate::web::feeds;
use crate::web::metadata::{self, ArticleFacts};
use crate::web::templates::ArticleTemplate;
use crate::web::views::{
    ARTICLE_PHOTO_SIZES, CardView, Chrome, FigureView, TimeView, breadcrumb, share_links,
    source_link, story_href, tag_link,
};
use axum::http::{HeaderValue, Uri, header};
use axum::response::Response;
use broadsheet_domain::StoryId;
use percent_encoding::{AsciiSet, CONTROLS, percent_decode_str, utf8_percent_encode};

/// Where the inline "Related Article" box goes when the editor did not say: after the second
/// paragraph, as on the page the product is modelled on.
const DEFAULT_RELATED_AFTER: usize = 2;

/// Characters to escape when a path goes into a `Location` header (non-ASCII always is).
const PATH_ESCAPES: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'%');

pub async fn show(
    app: &AppState,
    id: i64,
    path: &str,
    print_view: bool,
    uri: &Uri,
) -> Result<Response, WebError> {
    let page = match reader::story(app, StoryId(id)).await? {
        StoryLookup::Published(page) => page,
        StoryLookup::Gone(_) => return Err(WebError::Gone),
        StoryLookup::Missing => return Err(WebError::NotFound),
    };
    let story = &page.story;
    let site = app.site();
    let sections = [story.section_id].into_iter().chain(
        page.more_in
            .iter()
            .chain(&page.related)
            .map(|c| c.section_id),
    );
    let tree = app.sections_with(sections).await?;
    let published = story
        .published_at
        .ok_or_else(|| WebError::Internal(format!("story {id} is published without a time")))?;
    let canonical = story_href(
        &site,
        &tree,
        story.section_id,
        published,
        &story.slug,
        story.id.0,
    );

    // Old links (a changed headline or section) lead to the story's current address.
    let asked = percent_decode_str(path).decode_utf8_lossy();
    if format!("/{}", asked.trim_start_matches('/')) != canonical {
        let mut location = utf8_percent_encode(&canonical, PATH_ESCAPES).to_string();
        if let Some(query) = uri.query() {
            location.push('?');
            location.push_str(query);
        }
        return Ok(crate::web::moved_permanently(&location));
    }

    let split = render::markdown_split(
        &story.body,
        story
            .related_after
            .map(|n| n as usize)
            .unwrap_or(DEFAULT_RELATED_AFTER),
    );
    let inline_related = if split.split {
        page.inline_related.as_ref()
    } else {
        None
    };
    let absolute = site.absolute(&canonical);
    let (share_x, share_facebook) = share_links(&absolute, &story.headline);
    let description = metadata::summary(story);
    let machine = metadata::article(
        &site,
        &ArticleFacts {
            story,
            tree: &tree,
            canonical: &absolute,
            description: &description,
            published,
        },
    );
    let section_name = tree
        .get(story.section_id)
        .map(|s| s.name.clone())
        .unwrap_or_default();
    let mut chrome = Chrome::new(&site, &tree, &story.headline, Some(story.section_id))
        .with_canonical(&site, &canonical)
        .with_description(Some(description))
        .with_alternates(feeds::section_alternates(
            &site,
            &section_name,
            &tree.path(story.section_id),
        ))
        .with_meta(machine.meta);
    chrome.print_view = print_view;
    let figure = |media: &broadsheet_domain::Media| {
        let variants = page.variants.get(&media.id).map(Vec::as_slice);
        FigureView::with_variants(media, variants.unwrap_or_default(), ARTICLE_PHOTO_SIZES)
    };
    let template = ArticleTemplate {
        chrome,
        comments_href: crate::web::comments::base(story.id),
        corrections: page
            .corrections
            .iter()
            .map(|c| (TimeView::new(&site, c.at), c.text.clone()))
            .collect(),
        breadcrumb: breadcrumb(&tree, story.section_id),
        lang: story.language.clone(),
        headline: story.headline.clone(),
        deck: story.deck.clone(),
        published: TimeView::new(&site, published),
        updated: story
            .updated_at
            .filter(|u| *u > published)
            .map(|u| TimeView::new(&site, u)),
        // A gallery's lead photo is its first picture, already shown in the set.
        lead: if story.gallery.is_empty() {
            story.lead_media.as_ref().map(&figure)
        } else {
            None
        },
        body_before: split.before,
        inline_related: inline_related.map(|c| CardView::new(&site, &tree, c)),
        body_after: split.after,
        gallery: story.gallery.iter().map(&figure).collect(),
        sources: story.sources.iter().map(source_link).collect(),
        tags: story.tags.iter().map(tag_link).collect(),
        section_name,
        more_in: CardView::list(&site, &tree, &page.more_in),
        related: CardView::list(&site, &tree, &page.related),
        share_x,
        share_facebook,
        print_href: format!("{canonical}?view=print"),
        canonical_path: canonical.clone(),
        json_ld: machine.json_ld,
    };
    // The story, its section's newest (More in), and every story the page links to.
    let keys = SurrogateKeys::new([story_key(story.id), format!("section:{}", story.section_id)])
        .with_cards(
            page.more_in
                .iter()
                .chain(&page.related)
                .chain(page.inline_related.iter()),
        );
    let mut response = keys.on(crate::web::render(&template)?);
    if print_view {
        // The print view is the same story; search engines should index the canonical page.
        response.headers_mut().insert(
            header::HeaderName::from_static("x-robots-tag"),
            HeaderValue::from_static("noindex"),
        );
    }
    Ok(response)
}
