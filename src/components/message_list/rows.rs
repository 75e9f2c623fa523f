//! How a window of messages is laid out as rows: a day separator where the local day
//! changes, and a sender's name only where a new group starts (another sender, a new day or
//! five minutes of quiet). Pure, so the layout rules are tested natively.

use webim_sdk::Msg;

/// Seconds between two messages of one sender that still make one group.
const GROUP_SECS: u64 = 300;

/// The label of a day separator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Day {
    Today,
    Yesterday,
    /// Days since the epoch in the reader's time zone, for older days.
    Earlier(i64),
}

/// One row of the list.
#[derive(Debug, PartialEq)]
pub enum Row<'a> {
    Day(Day),
    /// A message; `grouped` when it continues the previous one's group (no name shown).
    Msg {
        msg: &'a Msg,
        grouped: bool,
    },
}

/// The day of `time` (seconds) in a zone `offset` minutes east of UTC, as days since the epoch.
fn day_of(time: u64, offset: i32) -> i64 {
    (i64::try_from(time).unwrap_or(i64::MAX) + i64::from(offset) * 60).div_euclid(86_400)
}

/// The rows for `msgs` (oldest first), read at `now` in a zone `offset` minutes east of UTC.
pub fn rows(msgs: &[Msg], now: u64, offset: i32) -> Vec<Row<'_>> {
    let today = day_of(now, offset);
    let mut out = Vec::with_capacity(msgs.len() + 4);
    let mut previous: Option<(&Msg, i64)> = None;
    for msg in msgs {
        let day = day_of(msg.time().0, offset);
        let new_day = previous.is_none_or(|(_, d)| d != day);
        if new_day {
            out.push(Row::Day(match today - day {
                0 => Day::Today,
                1 => Day::Yesterday,
                _ => Day::Earlier(day),
            }));
        }
        let grouped = !new_day
            && previous.is_some_and(|(p, _)| {
                p.from_account() == msg.from_account()
                    && msg.time().0.saturating_sub(p.time().0) < GROUP_SECS
            });
        out.push(Row::Msg { msg, grouped });
        previous = Some((msg, day));
    }
    out
}

#[cfg(test)]
mod tests {
    use webim_sdk::SessionKey;
    use webim_sdk::proto::{AccountId, MsgRandom, MsgSeq, Timestamp};

    use super::*;

    const PEER: &str = "peakerdong";
    const ME: &str = "qiyueluhuo2016";
    /// 2026-11-27 12:00 UTC.
    const NOW: u64 = 1_795_780_800;

    fn account(id: &str) -> AccountId {
        AccountId::new(id).expect("a valid test account")
    }

    fn msg(from: &str, time: u64) -> Msg {
        Msg::new(
            SessionKey::c2c(account(PEER)),
            from == ME,
            MsgSeq(time),
            MsgRandom(1),
            Timestamp(time),
            account(from),
        )
    }

    fn shape(rows: &[Row<'_>]) -> Vec<String> {
        rows.iter()
            .map(|r| match r {
                Row::Day(d) => format!("{d:?}"),
                Row::Msg { msg, grouped } => {
                    format!("{}{}", msg.from_account(), if *grouped { "+" } else { "" })
                }
            })
            .collect()
    }

    #[test]
    fn test_one_senders_messages_group_until_five_minutes_of_quiet_or_another_sender() {
        let msgs = [
            msg(PEER, NOW - 600),
            msg(PEER, NOW - 590),
            msg(PEER, NOW - 200),
            msg(ME, NOW - 100),
            msg(PEER, NOW - 90),
        ];
        assert_eq!(
            shape(&rows(&msgs, NOW, 0)),
            ["Today", PEER, "peakerdong+", PEER, ME, PEER]
        );
    }

    #[test]
    fn test_a_separator_opens_each_local_day_and_breaks_a_group() {
        let day = 86_400;
        let msgs = [
            msg(PEER, NOW - 3 * day),
            msg(PEER, NOW - day),
            msg(PEER, NOW - 1),
            msg(PEER, NOW),
        ];
        let got = shape(&rows(&msgs, NOW, 0));
        assert_eq!(got[0], format!("Earlier({})", (NOW - 3 * day) / day));
        assert_eq!(
            got[1..],
            [
                "peakerdong",
                "Yesterday",
                PEER,
                "Today",
                PEER,
                "peakerdong+"
            ]
        );
    }

    #[test]
    fn test_days_follow_the_readers_time_zone() {
        // 23:59:30 and 00:00:30 UTC+8 are one minute apart and on two days there.
        let midnight_utc8 = (NOW / 86_400 + 1) * 86_400 - 8 * 3600;
        let msgs = [msg(PEER, midnight_utc8 - 30), msg(PEER, midnight_utc8 + 30)];
        let rows_utc8 = rows(&msgs, midnight_utc8 + 60, 480);
        assert_eq!(shape(&rows_utc8), ["Yesterday", PEER, "Today", PEER]);
        let rows_utc = rows(&msgs, midnight_utc8 + 60, 0);
        assert_eq!(shape(&rows_utc), ["Today", PEER, "peakerdong+"]);
    }
}
