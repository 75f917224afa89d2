//! Integration tests: the real application on a real store, driven over real HTTP, with pages
//! read through an HTML parser. One binary, one harness (`TestApp`), each test on a database
//! of its own.

mod accounts;
mod api;
mod api_lists;
mod api_media;
mod api_openapi;
mod api_schema;
mod api_tokens;
mod browser;
mod cache;
mod cli;
mod comments;
mod corrections;
mod dictionary;
mod feeds;
mod harness;
mod import;
mod ingest;
mod media_library;
mod metadata;
mod newsroom;
mod newsroom_editor;
mod newsroom_form;
mod newsroom_workflow;
mod oauth;
mod oauth_flow;
mod oauth_provider;
mod reader;
mod scheduler;
mod search;
mod sitemaps;
mod validity;

/// A minimal published story for tests that need one more.
pub fn reader_input(
    section: broadsheet_domain::SectionId,
    headline: &str,
    tags: &[&str],
) -> broadsheet_domain::StoryInput {
    broadsheet_domain::StoryInput {
        external_id: None,
        kind: broadsheet_domain::StoryKind::Article,
        status: broadsheet_domain::StoryStatus::Published,
        headline: headline.into(),
        deck: None,
        body: "One.\n\nTwo.\n\nThree.".into(),
        section_id: section,
        language: "en".into(),
        tags: tags.iter().map(|t| t.to_string()).collect(),
        sources: vec![],
        lead_media: None,
        gallery: vec![],
        related_story_id: None,
        related_after: None,
        published_at: Some("2026-11-01T00:00:00Z".parse().unwrap()),
        updated_at: None,
        link_refs: vec![],
    }
}
