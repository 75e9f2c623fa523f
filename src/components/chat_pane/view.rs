//! Which slice of a conversation the chat pane renders and how scrolling moves it. Pure, so
//! the windowing rules (never more than [`MAX_WINDOW`] messages in the DOM) are tested natively.

use webim_sdk::{Msg, MsgKey};

use crate::components::ScrollEdge;

/// Messages rendered when a conversation opens.
pub const FIRST_WINDOW: usize = 60;
/// The most messages ever in the DOM at once.
pub const MAX_WINDOW: usize = 200;
/// How far the window moves at a time.
const STEP: usize = 50;

/// The slice on screen: `size` messages ending `from_end` before the newest; `stick` while
/// the reader follows the newest message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct View {
    pub from_end: usize,
    pub size: usize,
    pub stick: bool,
}

impl View {
    /// The newest messages, followed as they arrive: how a conversation opens.
    pub const NEWEST: View = View {
        from_end: 0,
        size: FIRST_WINDOW,
        stick: true,
    };

    /// Where the reader reaching `edge` takes the window, given `above` messages held above it
    /// and whether the conversation's history is `complete`. The flag asks for older history
    /// from the service (the top is reached and nothing more is held).
    pub fn at_edge(self, edge: ScrollEdge, above: usize, complete: bool) -> (View, bool) {
        let v = self;
        let next = match edge {
            ScrollEdge::Top if above > 0 && v.size < MAX_WINDOW => View {
                size: (v.size + STEP).min(MAX_WINDOW),
                stick: false,
                ..v
            },
            ScrollEdge::Top if above > 0 => View {
                from_end: v.from_end + STEP.min(above),
                stick: false,
                ..v
            },
            ScrollEdge::Top => return (v, !complete),
            ScrollEdge::Bottom if v.from_end > 0 => View {
                from_end: v.from_end.saturating_sub(STEP),
                stick: false,
                ..v
            },
            ScrollEdge::Bottom => View { stick: true, ..v },
            ScrollEdge::Away => View { stick: false, ..v },
        };
        (next, false)
    }

    /// Whether the list keeps the newest message in sight.
    pub fn follows_newest(self) -> bool {
        self.stick && self.from_end == 0
    }
}

/// How many messages arrived unseen: the newest message changed while the reader was not
/// following it. `before` is the newest message and total count at the last render.
pub fn arrived_unseen<K: PartialEq>(
    before: Option<&(K, usize)>,
    newest: Option<&K>,
    total: usize,
    view: View,
) -> usize {
    match (before, newest) {
        (Some((old, old_total)), Some(new)) if old != new && !view.stick && total > *old_total => {
            total - old_total
        }
        _ => 0,
    }
}

/// The messages from the other party that arrived after `before` (the newest message at the
/// last render) at the end of `msgs`: what a screen reader is told. Nothing when `before`
/// is not among them (another conversation was open, or the reader jumped).
pub fn arrivals<'a>(before: Option<&MsgKey>, msgs: &'a [Msg]) -> Vec<&'a Msg> {
    let Some(at) = before.and_then(|b| msgs.iter().rposition(|m| &m.key() == b)) else {
        return Vec::new();
    };
    msgs[at + 1..].iter().filter(|m| !m.is_send()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scroll_up(mut view: View, above: &mut usize, times: usize) -> View {
        for _ in 0..times {
            let (next, _) = view.at_edge(ScrollEdge::Top, *above, true);
            *above -= (next.size - view.size) + (next.from_end - view.from_end);
            view = next;
        }
        view
    }

    #[test]
    fn test_scrolling_back_grows_the_window_to_its_bound_then_slides_it() {
        let mut above = 10_000 - FIRST_WINDOW;
        let view = scroll_up(View::NEWEST, &mut above, 100);
        assert_eq!(view.size, MAX_WINDOW);
        assert!(!view.stick);
        assert_eq!(view.from_end + view.size + above, 10_000);
    }

    #[test]
    fn test_scrolling_down_slides_back_and_sticks_only_at_the_newest() {
        let mut above = 1_000;
        let mut view = scroll_up(View::NEWEST, &mut above, 8);
        assert!(view.from_end > 0);
        while view.from_end > 0 {
            view = view.at_edge(ScrollEdge::Bottom, 0, true).0;
            assert!(!view.follows_newest());
        }
        view = view.at_edge(ScrollEdge::Bottom, 0, true).0;
        assert!(view.follows_newest());
        assert!(view.size <= MAX_WINDOW);
    }

    #[test]
    fn test_the_top_of_what_is_held_asks_for_older_history_unless_complete() {
        assert_eq!(
            View::NEWEST.at_edge(ScrollEdge::Top, 0, false),
            (View::NEWEST, true)
        );
        assert_eq!(
            View::NEWEST.at_edge(ScrollEdge::Top, 0, true),
            (View::NEWEST, false)
        );
    }

    #[test]
    fn test_new_messages_count_as_unseen_only_while_the_reader_is_away() {
        let away = View {
            stick: false,
            ..View::NEWEST
        };
        assert_eq!(arrived_unseen(Some(&("a", 10)), Some(&"c"), 12, away), 2);
        assert_eq!(
            arrived_unseen(Some(&("a", 10)), Some(&"c"), 12, View::NEWEST),
            0
        );
        assert_eq!(arrived_unseen(Some(&("a", 10)), Some(&"a"), 10, away), 0);
        // Older history loading above changes the total, not the newest message.
        assert_eq!(arrived_unseen(Some(&("a", 10)), Some(&"a"), 60, away), 0);
        assert_eq!(arrived_unseen::<&str>(None, Some(&"a"), 1, away), 0);
    }

    #[test]
    fn test_only_what_arrived_after_the_last_render_from_the_peer_is_announced() {
        use webim_proto::{AccountId, MsgRandom, MsgSeq, Timestamp};
        use webim_sdk::SessionKey;
        let peer = AccountId::new("ann").expect("an id");
        let msg = |seq: u32, mine: bool| {
            Msg::new(
                SessionKey::c2c(peer.clone()),
                mine,
                MsgSeq(u64::from(seq)),
                MsgRandom(seq),
                Timestamp(1),
                peer.clone(),
            )
        };
        let msgs = [msg(1, false), msg(2, false), msg(3, true), msg(4, false)];
        let seqs = |found: Vec<&Msg>| found.iter().map(|m| m.seq().0).collect::<Vec<_>>();
        assert_eq!(
            seqs(arrivals(Some(&msgs[1].key()), &msgs)),
            [4],
            "not my own"
        );
        assert_eq!(
            seqs(arrivals(Some(&msgs[3].key()), &msgs)),
            Vec::<u64>::new()
        );
        assert!(
            arrivals(None, &msgs).is_empty(),
            "a conversation just opened: no history read"
        );
        let elsewhere = msg(9, false).key();
        assert!(arrivals(Some(&elsewhere), &msgs).is_empty());
    }
}
