//! The units of the comparisons: which group and which event stratum every document belongs
//! to, and the list of group comparisons (every pair, and each group against the rest).

use std::collections::BTreeSet;

use super::config::GroupBy;
use super::CompareError;
use crate::features::matrix::DocInfo;

/// The event name of the pooled rows.
pub const POOLED: &str = "pooled";
/// The name of the other side in one-vs-rest comparisons.
pub const REST: &str = "rest";
/// The stratum of documents without an event.
pub const NO_EVENT: &str = "(no event)";

/// The second side of a comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// One group (index into [`Design::groups`]).
    Group(usize),
    /// Every group but the first side's.
    Rest,
}

/// One comparison: group `a` against `b`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Comparison {
    /// Index into [`Design::groups`].
    pub a: usize,
    /// The other side.
    pub b: Side,
}

/// Groups and event strata of the documents.
#[derive(Debug, Clone)]
pub struct Design {
    /// Group names, sorted.
    pub groups: Vec<String>,
    /// Each document's group (index into `groups`); `None` for a document without one (it
    /// takes part in no group comparison).
    pub group_of: Vec<Option<usize>>,
    /// Event stratum names, sorted.
    pub events: Vec<String>,
    /// Each document's stratum (index into `events`).
    pub event_of: Vec<usize>,
    /// Every pair `a < b` (by name) in order, then, with more than two groups, each group
    /// against the rest in order of name.
    pub comparisons: Vec<Comparison>,
}

impl Design {
    /// Group the documents by `group_by` and by the event names `event_names` (one per
    /// document, already filled in: metadata, automatic, or [`NO_EVENT`]).
    pub fn new(
        docs: &[DocInfo],
        event_names: &[String],
        group_by: GroupBy,
    ) -> Result<Design, CompareError> {
        let label = |d: &DocInfo| match group_by {
            GroupBy::Group => d.group.clone(),
            GroupBy::Outlet => d.outlet.clone(),
        };
        let groups: Vec<String> = docs
            .iter()
            .filter_map(label)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let group_of = docs
            .iter()
            .map(|d| label(d).and_then(|g| groups.binary_search(&g).ok()))
            .collect();
        let events: Vec<String> = event_names
            .iter()
            .cloned()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        if let Some(i) = event_names.iter().position(|e| e == POOLED) {
            return Err(CompareError::ReservedName {
                doc_id: docs.get(i).map(|d| d.doc_id.clone()).unwrap_or_default(),
                what: "event",
                name: POOLED,
                rows: "pooled",
            });
        }
        let event_of = event_names
            .iter()
            .map(|e| events.binary_search(e).unwrap_or(0))
            .collect();
        let mut comparisons = Vec::new();
        for a in 0..groups.len() {
            for b in a + 1..groups.len() {
                comparisons.push(Comparison {
                    a,
                    b: Side::Group(b),
                });
            }
        }
        if groups.len() > 2 {
            if let Some(i) = docs.iter().position(|d| label(d).as_deref() == Some(REST)) {
                return Err(CompareError::ReservedName {
                    doc_id: docs[i].doc_id.clone(),
                    what: match group_by {
                        GroupBy::Group => "group",
                        GroupBy::Outlet => "outlet",
                    },
                    name: REST,
                    rows: "one-vs-rest",
                });
            }
            comparisons.extend((0..groups.len()).map(|a| Comparison { a, b: Side::Rest }));
        }
        Ok(Design {
            groups,
            group_of,
            events,
            event_of,
            comparisons,
        })
    }

    /// Whether document `i` is on side `a` (0), side `b` (1) or neither of comparison `c`.
    pub fn side_of(&self, c: Comparison, i: usize) -> Option<usize> {
        let g = self.group_of[i]?;
        if g == c.a {
            Some(0)
        } else {
            match c.b {
                Side::Group(b) if b == g => Some(1),
                Side::Group(_) => None,
                Side::Rest => Some(1),
            }
        }
    }

    /// The names of the two sides of a comparison, as written in the tables.
    pub fn names(&self, c: Comparison) -> (&str, &str) {
        let b = match c.b {
            Side::Group(b) => self.groups[b].as_str(),
            Side::Rest => REST,
        };
        (self.groups[c.a].as_str(), b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: &str, group: Option<&str>, outlet: &str) -> DocInfo {
        DocInfo {
            doc_id: id.to_string(),
            outlet: Some(outlet.to_string()),
            group: group.map(str::to_string),
            event: None,
            date: None,
            language: "ru".to_string(),
            n_tokens: 10,
        }
    }

    #[test]
    fn pairs_then_one_vs_rest_with_three_groups() {
        let docs = vec![
            doc("1", Some("независимые"), "Медуза"),
            doc("2", Some("state"), "RT"),
            doc("3", Some("foreign"), "BBC"),
            doc("4", None, "ТАСС"),
        ];
        let events = vec!["e1".to_string(); 4];
        let d = Design::new(&docs, &events, GroupBy::Group).unwrap();
        assert_eq!(d.groups, ["foreign", "state", "независимые"]);
        assert_eq!(d.group_of, [Some(2), Some(1), Some(0), None]);
        let names: Vec<_> = d.comparisons.iter().map(|&c| d.names(c)).collect();
        assert_eq!(
            names,
            [
                ("foreign", "state"),
                ("foreign", "независимые"),
                ("state", "независимые"),
                ("foreign", "rest"),
                ("state", "rest"),
                ("независимые", "rest"),
            ]
        );
        let rest_of_state = d.comparisons[4];
        assert_eq!(d.side_of(rest_of_state, 1), Some(0));
        assert_eq!(d.side_of(rest_of_state, 0), Some(1));
        assert_eq!(d.side_of(rest_of_state, 3), None);
        assert_eq!(d.side_of(d.comparisons[0], 0), None);
    }

    #[test]
    fn two_groups_have_no_rest_and_outlets_can_be_groups() {
        let docs = vec![doc("1", Some("a"), "Медуза"), doc("2", Some("b"), "RT")];
        let events = vec!["x".to_string(), "y".to_string()];
        let d = Design::new(&docs, &events, GroupBy::Group).unwrap();
        assert_eq!(d.comparisons.len(), 1);
        assert_eq!(d.event_of, [0, 1]);
        let d = Design::new(&docs, &events, GroupBy::Outlet).unwrap();
        assert_eq!(d.groups, ["RT", "Медуза"]);
    }

    #[test]
    fn reserved_names_are_errors() {
        let docs = vec![doc("d1", Some("a"), "x"), doc("d2", Some("b"), "y")];
        let events = vec!["pooled".to_string(), "e".to_string()];
        let e = Design::new(&docs, &events, GroupBy::Group).unwrap_err();
        assert_eq!(
            e.to_string(),
            "document \"d1\": event \"pooled\" is reserved for the pooled rows of the \
             comparison tables; rename it (e.g. with [corpus.map.event])"
        );
        let docs = vec![
            doc("d1", Some("a"), "x"),
            doc("d2", Some("b"), "y"),
            doc("d3", Some("rest"), "z"),
        ];
        let events = vec!["e".to_string(); 3];
        let e = Design::new(&docs, &events, GroupBy::Group).unwrap_err();
        assert!(e.to_string().starts_with("document \"d3\": group \"rest\""));
    }
}
