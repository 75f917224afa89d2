//! What readers are shown: a story with the lists around it, section and tag listings, the
//! home page. Each function gathers everything one page needs, running independent queries
//! side by side so a cold page costs the slowest query, not the sum.

use crate::app::App;
use broadsheet_domain::{
    LinkRefKind, MediaId, MediaVariant, Section, SectionTree, Story, StoryCard, StoryId,
    StoryStatus,
};
use broadsheet_search::{IndexDoc, Similar};
use broadsheet_store::{ListQuery, ListScope, Result, Store};
use std::collections::HashMap;

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
    /// Editors' corrections, oldest first, shown at the story's foot.
    pub corrections: Vec<broadsheet_domain::Correction>,
    /// Resized copies of the lead and gallery photos uploaded through the media library.
    pub variants: HashMap<MediaId, Vec<MediaVariant>>,
}

pub enum StoryLookup {
    Published(Box<StoryPage>),
    /// Unpublished: readers are told it is gone (410), not that it never existed.
    Gone(Box<Story>),
    Missing,
}

pub async fn story(app: &App, id: StoryId) -> Result<StoryLookup> {
    let store = &app.store;
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
    let photos: Vec<MediaId> = story
        .lead_media
        .iter()
        .chain(&story.gallery)
        .map(|m| m.id)
        .collect();
    let (more_in, related, pick, variants, corrections) = tokio::try_join!(
        store.list(&more_in),
        related(app, &story),
        store.cards(&picks),
        store.media_variants(&photos),
        store.corrections(story.id),
    )?;
    let inline_related = pick.into_iter().next().or_else(|| related.first().cloned());
    Ok(StoryLookup::Published(Box::new(StoryPage {
        story,
        inline_related,
        more_in,
        related,
        corrections,
        variants,
    })))
}

/// Related stories: first the headlines an imported page linked to (once they exist here),
/// then the best of the candidates that share words (BM25 more-like-this over headline and
/// body) or tags with the story, scored together with same section and closeness in time.
/// Near-duplicates, such as the same wire story imported twice, are left out: a candidate
/// whose text matches the story almost as well as the story matches itself.
async fn related(app: &App, story: &Story) -> Result<Vec<StoryCard>> {
    let store = &app.store;
    let index = std::sync::Arc::clone(&app.search);
    // The index keeps no text: the story's own words are the query.
    let (id, language, headline, body) = (
        story.id.0,
        story.language.clone(),
        story.headline.clone(),
        story.body.clone(),
    );
    let similar = tokio::task::spawn_blocking(move || {
        let text = IndexDoc {
            id,
            language,
            headline,
            deck: String::new(),
            body: crate::render::plain_text(&body),
            section_id: 0,
            tag_ids: Vec::new(),
            source_ids: Vec::new(),
            published_at: 0,
        };
        index.similar(&text, CANDIDATES)
    });
    let (refs, by_tags) = tokio::try_join!(
        store.link_refs(story.id),
        store.related_by_tags(story, CANDIDATES as i64),
    )?;
    let similar = match similar.await {
        Ok(Ok(similar)) => similar,
        Ok(Err(e)) => {
            tracing::warn!("related stories without text similarity: {e}");
            Similar {
                self_score: None,
                hits: Vec::new(),
            }
        }
        Err(e) => {
            tracing::warn!("related stories without text similarity: {e}");
            Similar {
                self_score: None,
                hits: Vec::new(),
            }
        }
    };
    let wanted: Vec<String> = refs
        .into_iter()
        .filter(|r| r.kind == LinkRefKind::Related)
        .map(|r| r.headline)
        .collect();
    let mut linked = store.cards_by_headlines(&wanted).await?;
    let key = |headline: &str| broadsheet_domain::slug::headline_key(headline);
    linked.sort_by_key(|card| wanted.iter().position(|h| key(h) == key(&card.headline)));

    // Text scores on a 0..1 scale relative to the story's match with itself.
    let scale = similar
        .self_score
        .or(similar.hits.first().map(|h| h.1))
        .filter(|s| *s > 0.0)
        .unwrap_or(1.0);
    let text_score: HashMap<i64, f32> = similar
        .hits
        .iter()
        .map(|(id, score)| (*id, score / scale))
        .collect();
    let duplicates: Vec<i64> = text_score
        .iter()
        .filter(|(_, s)| **s >= NEAR_DUPLICATE)
        .map(|(id, _)| *id)
        .collect();
    let tag_rank: HashMap<i64, usize> = by_tags
        .iter()
        .enumerate()
        .map(|(rank, c)| (c.id.0, rank))
        .collect();
    let mut pool: Vec<StoryCard> = by_tags;
    let missing: Vec<StoryId> = similar
        .hits
        .iter()
        .map(|(id, _)| StoryId(*id))
        .filter(|id| !tag_rank.contains_key(&id.0))
        .collect();
    pool.extend(store.cards(&missing).await?);
    let own_key = key(&story.headline);
    let published = story.published_at.unwrap_or(story.created_at);
    let mut scored: Vec<(f32, StoryCard)> = pool
        .into_iter()
        .filter(|c| {
            c.id != story.id && !duplicates.contains(&c.id.0) && key(&c.headline) != own_key
        })
        .map(|card| {
            let text = text_score.get(&card.id.0).copied().unwrap_or(0.0);
            let tags = tag_rank
                .get(&card.id.0)
                .map(|rank| 1.0 - *rank as f32 / CANDIDATES as f32)
                .unwrap_or(0.0);
            let section = if card.section_id == story.section_id {
                0.15
            } else {
                0.0
            };
            let days =
                (card.published_at.as_second() - published.as_second()).abs() as f32 / 86_400.0;
            let recency = 0.15 * (-days / 30.0).exp();
            (0.55 * text + 0.35 * tags + section + recency, card)
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));

    // One copy of each story: two candidates with the same headline are the same story.
    let mut out: Vec<StoryCard> = Vec::with_capacity(RAIL_SIZE);
    for card in linked.into_iter().chain(scored.into_iter().map(|(_, c)| c)) {
        let fresh = !out
            .iter()
            .any(|c| c.id == card.id || key(&c.headline) == key(&card.headline));
        if card.id != story.id && fresh {
            out.push(card);
        }
        if out.len() == RAIL_SIZE {
            break;
        }
    }
    Ok(out)
}

/// Candidates considered from each of text and tags.
const CANDIDATES: usize = 20;
/// A text match this close to the story's match with itself is the same story again.
const NEAR_DUPLICATE: f32 = 0.8;

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
