use crate::app::AppState;
use crate::services::reader;
use crate::web::cache::SurrogateKeys;
use crate::web::error::WebError;
use crate::web::templates::{HomeSection, HomeTemplate};
use crate::web::views::{CardView, Chrome, Link};
use crate::web::{feeds, metadata};
use axum::extract::State;
use axum::response::Response;
use broadsheet_domain::urls::section_path;

pub async fn show(State(app): State<AppState>) -> Result<Response, WebError> {
    let tree = app.sections();
    let site = app.site();
    let page = reader::home(&app.store, &tree).await?;
    let tree = app
        .sections_with(page.lead.iter().map(|c| c.section_id))
        .await?;
    let chrome = Chrome::new(&site, &tree, &site.name, None)
        .with_canonical(&site, "/")
        .with_description(site.tagline.clone())
        .with_alternates(feeds::site_alternates(&site))
        .with_meta(metadata::website(
            &site,
            &site.name,
            "/",
            site.tagline.as_deref(),
        ));
    let keys = SurrogateKeys::new(["home".to_string()]).with_cards(
        page.lead
            .iter()
            .chain(page.sections.iter().flat_map(|(_, cards)| cards)),
    );
    let response = crate::web::render(&HomeTemplate {
        chrome,
        lead: page.lead.as_ref().map(|c| CardView::new(&site, &tree, c)),
        sections: page
            .sections
            .iter()
            .map(|(section, cards)| HomeSection {
                link: Link {
                    href: section_path(&tree.path(section.id)),
                    label: section.name.clone(),
                },
                cards: CardView::list(&site, &tree, cards),
            })
            .collect(),
    })?;
    Ok(keys.on(response))
}
