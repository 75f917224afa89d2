//! The section tree, held whole in memory: a newspaper has tens of sections, not thousands,
//! and every page needs the tree (menu, breadcrumb, URLs), so one load serves all lookups.

use crate::model::{Section, SectionId};
use std::collections::HashMap;

#[derive(Debug, Clone, Default)]
pub struct SectionTree {
    sections: Vec<Section>,
    index: HashMap<SectionId, usize>,
    children: HashMap<Option<SectionId>, Vec<SectionId>>,
}

impl SectionTree {
    /// Build the tree; sections whose parent is missing are treated as top-level so a
    /// damaged row cannot hide a section from the site.
    pub fn new(mut sections: Vec<Section>) -> SectionTree {
        sections.sort_by(|a, b| (a.position, &a.name).cmp(&(b.position, &b.name)));
        let index: HashMap<SectionId, usize> = sections
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id, i))
            .collect();
        let mut children: HashMap<Option<SectionId>, Vec<SectionId>> = HashMap::new();
        for s in &sections {
            let parent = s.parent_id.filter(|p| index.contains_key(p));
            children.entry(parent).or_default().push(s.id);
        }
        SectionTree {
            sections,
            index,
            children,
        }
    }

    pub fn get(&self, id: SectionId) -> Option<&Section> {
        self.index.get(&id).map(|&i| &self.sections[i])
    }

    pub fn all(&self) -> &[Section] {
        &self.sections
    }

    pub fn top_level(&self) -> Vec<&Section> {
        self.children_of(None)
    }

    pub fn children_of(&self, parent: Option<SectionId>) -> Vec<&Section> {
        self.children
            .get(&parent)
            .map(|ids| ids.iter().filter_map(|id| self.get(*id)).collect())
            .unwrap_or_default()
    }

    /// The section and its ancestors, root first: the breadcrumb.
    pub fn lineage(&self, id: SectionId) -> Vec<&Section> {
        let mut out = Vec::new();
        let mut next = Some(id);
        while let Some(id) = next {
            let Some(section) = self.get(id) else { break };
            if out.iter().any(|s: &&Section| s.id == section.id) {
                break; // a cycle in damaged data must not loop forever
            }
            out.push(section);
            next = section.parent_id;
        }
        out.reverse();
        out
    }

    /// The ids of the section and every section below it.
    pub fn subtree(&self, id: SectionId) -> Vec<SectionId> {
        let mut out = vec![id];
        let mut i = 0;
        while i < out.len() {
            for child in self.children.get(&Some(out[i])).into_iter().flatten() {
                if !out.contains(child) {
                    out.push(*child);
                }
            }
            i += 1;
        }
        out
    }

    /// `national/north-korea`.
    pub fn path(&self, id: SectionId) -> String {
        let slugs: Vec<&str> = self.lineage(id).iter().map(|s| s.slug.as_str()).collect();
        slugs.join("/")
    }

    /// Find a section by its URL path segments.
    pub fn find_by_slugs(&self, slugs: &[&str]) -> Option<&Section> {
        let mut parent = None;
        let mut found = None;
        for slug in slugs {
            let section = self
                .children_of(parent)
                .into_iter()
                .find(|s| s.slug == *slug)?;
            parent = Some(section.id);
            found = Some(section);
        }
        found
    }

    /// Find a section by the names a breadcrumb shows, compared without regard to case.
    pub fn find_by_names(&self, names: &[String]) -> Option<&Section> {
        let mut parent = None;
        let mut found = None;
        for name in names {
            let section = self
                .children_of(parent)
                .into_iter()
                .find(|s| s.name.eq_ignore_ascii_case(name.trim()))?;
            parent = Some(section.id);
            found = Some(section);
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(id: i64, parent: Option<i64>, name: &str, position: i64) -> Section {
        Section {
            id: SectionId(id),
            parent_id: parent.map(SectionId),
            name: name.into(),
            slug: crate::slug::slugify(name),
            description: None,
            position,
        }
    }

    fn tree() -> SectionTree {
        SectionTree::new(vec![
            section(3, Some(1), "North Korea", 0),
            section(1, None, "National", 0),
            section(2, None, "Business", 1),
            section(4, Some(3), "Border Villages", 0),
            section(5, Some(1), "Politics", 1),
        ])
    }

    #[test]
    fn lineage_paths_and_lookup() {
        let t = tree();
        let names: Vec<&str> = t
            .lineage(SectionId(4))
            .iter()
            .map(|s| s.name.as_str())
            .collect();
        assert_eq!(names, ["National", "North Korea", "Border Villages"]);
        assert_eq!(t.path(SectionId(4)), "national/north-korea/border-villages");
        assert_eq!(
            t.find_by_slugs(&["national", "north-korea"]).map(|s| s.id),
            Some(SectionId(3))
        );
        assert!(t.find_by_slugs(&["north-korea"]).is_none());
        assert_eq!(
            t.find_by_names(&["national".into(), "North Korea".into()])
                .map(|s| s.id),
            Some(SectionId(3))
        );
    }

    #[test]
    fn menus_follow_position_and_subtrees_are_whole() {
        let t = tree();
        let top: Vec<&str> = t.top_level().iter().map(|s| s.name.as_str()).collect();
        assert_eq!(top, ["National", "Business"]);
        let mut sub = t.subtree(SectionId(1));
        sub.sort();
        assert_eq!(
            sub,
            [SectionId(1), SectionId(3), SectionId(4), SectionId(5)]
        );
    }

    #[test]
    fn a_cycle_does_not_hang() {
        let t = SectionTree::new(vec![
            section(1, Some(2), "A", 0),
            section(2, Some(1), "B", 0),
        ]);
        assert!(t.lineage(SectionId(1)).len() <= 2);
    }
}
