//! What readers are shown: a story with the lists around it, section and tag listings, the
//! home page. Each function gathers everything one page needs, running independent queries
//! side by side so a cold page costs the slowest query, not the sum.

use broadsheet_domain::{
    LinkRefKind, Section, SectionTree, Story, StoryCard, StoryId, StoryStatus,
};
use broadsheet_store::{ListQuery, ListScope, Result, Store};

/// How many stories the "More in" and "Related Stories" lists show.
pub const RAIL_SIZE: usize = 5;
/// Stories per page on section, tag and source pages.
pub const PAGE_SIZE: usize = 20;
/// Stories per section on the home page.
pub const HOME_SECTION_SIZE: usize = 4;

pub struct StoryPage {
    pub story: Story,
    /// The inline "Related Article" box: the editor's pick, else the top related story.
    pub inline_related: Option<StoryCard>,
    pub more_in: Vec<StoryCard>,
    pub related: Vec<StoryCard>,
}

pub enum StoryLookup {
    Published(Box<StoryPage>),
    /// Unpublished: readers are told it is gone (410), not that it never existed.
    Gone(Box<Story>),
    Missing,
}

pub async fn story(store: &Store, id: StoryId) -> Result<StoryLookup> {
    let Some(story) = store.story(id).await? else {
        return Ok(StoryLookup::Missing);
    };
    match story.status {
        StoryStatus::Published => {}
        StoryStatus::Unpublished => return Ok(StoryLookup::Gone(Box::new(story))),
        StoryStatus::Draft | StoryStatus::Scheduled => return Ok(StoryLookup::Missing),
    }
    let more_in = ListQuery {
        scope: ListScope::Section(story.section_id),
        exclude: Some(story.id),
        limit: RAIL_SIZE as i64,
        offset: 0,
    };
    let picks: Vec<StoryId> = story.related_story_id.into_iter().collect();
    let (more_in, related, pick) = tokio::try_join!(
        store.list(&more_in),
        related(store, &story),
        store.cards(&picks),
    )?;
    let inline_related = pick.into_iter().next().or_else(|| related.first().cloned());
    Ok(StoryLookup::Published(Box::new(StoryPage {
        story,
        inline_related,
        more_in,
        related,
    })))
}

/// Related stories: the headlines an imported page linked to (once they exist here), then
/// stories sharing tags. The discovery work adds text similarity.
async fn related(store: &Store, story: &Story) -> Result<Vec<StoryCard>> {
    let (refs, by_tags) = tokio::try_join!(
        store.link_refs(story.id),
        store.related_by_tags(story, (RAIL_SIZE * 2) as i64),
    )?;
    let wanted: Vec<String> = refs
        .into_iter()
        .filter(|r| r.kind == LinkRefKind::Related)
        .map(|r| r.headline)
        .collect();
    let mut linked = store.cards_by_headlines(&wanted).await?;
    // Keep the original page's order.
    let position = |card: &StoryCard| {
        let key = broadsheet_domain::slug::headline_key(&card.headline);
        wanted
            .iter()
            .position(|h| broadsheet_domain::slug::headline_key(h) == key)
    };
    linked.sort_by_key(position);
    let mut out: Vec<StoryCard> = Vec::with_capacity(RAIL_SIZE);
    for card in linked.into_iter().chain(by_tags) {
        if card.id != story.id && !out.iter().any(|c| c.id == card.id) {
            out.push(card);
        }
        if out.len() == RAIL_SIZE {
            break;
        }
    }
    Ok(out)
}

/// One page of a listing.
pub struct Listing {
    pub cards: Vec<StoryCard>,
    /// 1-based.
    pub page: usize,
    pub has_next: bool,
}

pub async fn listing(store: &Store, scope: ListScope, page: usize) -> Result<Listing> {
    let page = page.max(1);
    let query = ListQuery {
        scope,
        exclude: None,
        // One more than shown tells whether there is a next page without counting them all.
        limit: (PAGE_SIZE + 1) as i64,
        offset: ((page - 1) * PAGE_SIZE) as i64,
    };
    let mut cards = store.list(&query).await?;
    let has_next = cards.len() > PAGE_SIZE;
    cards.truncate(PAGE_SIZE);
    Ok(Listing {
        cards,
        page,
        has_next,
    })
}

pub struct HomePage {
    pub lead: Option<StoryCard>,
    pub sections: Vec<(Section, Vec<StoryCard>)>,
}

/// The lead story (the newest with a photo, else the newest), then the newest stories of each
/// top-level section.
pub async fn home(store: &Store, tree: &SectionTree) -> Result<HomePage> {
    let latest = store
        .list(&ListQuery {
            scope: ListScope::All,
            exclude: None,
            limit: 10,
            offset: 0,
        })
        .await?;
    let lead = latest
        .iter()
        .find(|c| c.lead_media.is_some())
        .or(latest.first())
        .cloned();
    let exclude = lead.as_ref().map(|c| c.id);
    let tops: Vec<Section> = tree.top_level().into_iter().cloned().collect();
    let queries: Vec<ListQuery> = tops
        .iter()
        .map(|section| ListQuery {
            scope: ListScope::Section(section.id),
            exclude,
            limit: HOME_SECTION_SIZE as i64,
            offset: 0,
        })
        .collect();
    let lists = futures_util::future::try_join_all(queries.iter().map(|q| store.list(q))).await?;
    let sections = tops
        .into_iter()
        .zip(lists)
        .filter(|(_, cards)| !cards.is_empty())
        .collect();
    Ok(HomePage { lead, sections })
}
