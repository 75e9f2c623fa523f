//! The first-run data: the five test accounts of `webim_proto::test_accounts` written into
//! an empty store, and again by a reset.

use webim_proto::sns::ADD_SOURCE_UNKNOWN;
use webim_proto::test_accounts::TEST_ACCOUNTS;
use webim_proto::{AccountId, Timestamp};

use crate::db::{AccountRec, Db, FriendRec};
use crate::store::{StoreError, Tx};

/// Writes the first-run data (into an empty store) and marks it as in.
pub async fn seed<T: Tx>(db: &Db<'_, T>, now: Timestamp) -> Result<(), StoreError> {
    for account in TEST_ACCOUNTS {
        let id = account.account_id();
        let rec = AccountRec {
            nick: account.nick.to_owned(),
            gender: account.gender,
            allow_type: account.allow_type,
            image: String::new(),
            disabled: false,
            sigs_valid_from: Timestamp(0),
        };
        db.put_account(&id, &rec).await?;
        for friend in account.friends {
            let friend = AccountId::new(*friend).map_err(|e| StoreError::new(e.to_string()))?;
            let rec = FriendRec {
                remark: String::new(),
                add_source: ADD_SOURCE_UNKNOWN.to_owned(),
                add_wording: String::new(),
                add_time: now,
            };
            db.put_friend(&id, &friend, &rec).await?;
        }
    }
    db.mark_seeded().await
}
