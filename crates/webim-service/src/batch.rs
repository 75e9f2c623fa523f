//! Commands that name many accounts at once (the `sns` batches, read reports), carried out
//! a few accounts per transaction: the protocol lets one request name up to 1,000, and in
//! one transaction those would hold the database's single writer for about 150 ms (SQLite,
//! measured with a 1,000-account `black_list_add`; a 100-conversation read report took
//! 10–17 ms) while every other user's send waited. Each account's line of the answer is
//! its own, so the parts' answers joined are the answer; a part that fails ends the
//! request, and what the parts before it did stays done (sent again, those accounts answer
//! "already", and a read report moves nothing twice).

use webim_proto::openim::msgreaded;
use webim_proto::sns::{
    MAX_BATCH, black_list_add, black_list_delete, friend_add, friend_delete, friend_response,
    pendency_delete,
};
use webim_proto::{BatchResponse, ErrorCode};

use crate::relationship::MAX_ADD;

/// Accounts per transaction: a part holds the writer for a few milliseconds at most.
pub const BATCH_PART: usize = 16;

/// A request naming many accounts, which can be cut into parts.
pub trait Batched: Sized {
    /// How many accounts it names.
    fn items(&self) -> usize;
    /// At most how many one request may name, and the code that says it named more.
    fn bound() -> (usize, ErrorCode);
    /// The request cut into parts of at most `size` accounts, in order (one part, maybe
    /// empty, when it names none: the command's own check answers that).
    fn split(self, size: usize) -> Vec<Self>;
}

/// `items` cut into runs of at most `size`, and at least one run.
fn runs<T>(items: Vec<T>, size: usize) -> Vec<Vec<T>> {
    let mut out = Vec::new();
    let mut items = items.into_iter().peekable();
    while items.peek().is_some() {
        out.push(items.by_ref().take(size.max(1)).collect());
    }
    if out.is_empty() {
        out.push(Vec::new());
    }
    out
}

macro_rules! batched {
    ($req:ty, $field:ident, $max:expr, $code:expr) => {
        impl Batched for $req {
            fn items(&self) -> usize {
                self.$field.len()
            }

            fn bound() -> (usize, ErrorCode) {
                ($max, $code)
            }

            fn split(mut self, size: usize) -> Vec<Self> {
                let items = std::mem::take(&mut self.$field);
                runs(items, size)
                    .into_iter()
                    .map(|part| Self {
                        $field: part,
                        ..self.clone()
                    })
                    .collect()
            }
        }
    };
}

batched!(
    friend_add::Request,
    add_friend_item,
    MAX_ADD,
    ErrorCode::BadAddCount
);
batched!(
    friend_response::Request,
    response_friend_item,
    MAX_ADD,
    ErrorCode::BadResponseCount
);
batched!(
    friend_delete::Request,
    to_account,
    MAX_BATCH,
    ErrorCode::BadDeleteCount
);
batched!(
    pendency_delete::Request,
    to_account,
    MAX_BATCH,
    ErrorCode::SnsBadRequest
);
batched!(
    black_list_add::Request,
    to_account,
    MAX_BATCH,
    ErrorCode::BadBlacklistAddCount
);
batched!(
    black_list_delete::Request,
    to_account,
    MAX_BATCH,
    ErrorCode::BadBlacklistDeleteCount
);

impl Batched for msgreaded::Request {
    fn items(&self) -> usize {
        self.c2c_msg_readed.items.len()
    }

    fn bound() -> (usize, ErrorCode) {
        (msgreaded::MAX_ITEMS, ErrorCode::InvalidPacket)
    }

    fn split(mut self, size: usize) -> Vec<Self> {
        let items = std::mem::take(&mut self.c2c_msg_readed.items);
        runs(items, size)
            .into_iter()
            .map(|part| {
                let mut one = self.clone();
                one.c2c_msg_readed.items = part;
                one
            })
            .collect()
    }
}

/// An answer that parts' answers join into.
pub trait Joined: Sized {
    /// `next` after what came `before` (if anything did), in order.
    fn join(before: Option<Self>, next: Self) -> Self;
}

impl Joined for BatchResponse {
    fn join(before: Option<Self>, next: Self) -> Self {
        let Some(mut all) = before else {
            return next;
        };
        all.result_item.extend(next.result_item);
        all.fail_account.extend(next.fail_account);
        all.invalid_account.extend(next.invalid_account);
        all
    }
}

impl Joined for msgreaded::Response {
    fn join(_: Option<Self>, next: Self) -> Self {
        next
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_runs_keep_order_and_cover_everything() {
        let parts = runs((0..40).collect(), 16);
        assert_eq!(parts.iter().map(Vec::len).collect::<Vec<_>>(), [16, 16, 8]);
        assert_eq!(parts.concat(), (0..40).collect::<Vec<_>>());
        assert_eq!(runs(Vec::<u8>::new(), 16), vec![Vec::<u8>::new()]);
    }
}
