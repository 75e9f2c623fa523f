//! Pictures and files on their way: each a row of its conversation until it is uploaded
//! (then it is a message like any other, sent by the SDK), with how much has gone and, if
//! it failed, why. The bytes themselves stay with the effects, which may send them again.

use std::rc::Rc;

use webim_proto::{AccountId, ErrorCode};

/// One picture or file being uploaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadRow {
    /// Its number in this tab.
    pub id: u32,
    /// To whom.
    pub peer: AccountId,
    /// The file's name.
    pub name: String,
    /// Its bytes.
    pub size: u64,
    /// Where this tab shows it (an object URL of the file), for a picture.
    pub preview: Option<String>,
    /// Bytes uploaded so far.
    pub sent: u64,
    /// Why it failed, if it did (it waits for a retry or a cancel).
    pub failed: Option<ErrorCode>,
}

/// What happens to uploads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UploadAction {
    /// One began (or began again).
    Started(UploadRow),
    /// So many bytes of `id` are up.
    Progress(u32, u64),
    /// `id` failed with this code.
    Failed(u32, ErrorCode),
    /// `id` was sent or cancelled: its row goes.
    Ended(u32),
}

/// The uploads after `action`.
pub fn reduce(rows: &Rc<Vec<UploadRow>>, action: UploadAction) -> Rc<Vec<UploadRow>> {
    let mut next = (**rows).clone();
    match action {
        UploadAction::Started(row) => {
            next.retain(|r| r.id != row.id);
            next.push(row);
        }
        UploadAction::Progress(id, sent) => {
            if let Some(row) = next.iter_mut().find(|r| r.id == id) {
                row.sent = sent;
            }
        }
        UploadAction::Failed(id, code) => {
            if let Some(row) = next.iter_mut().find(|r| r.id == id) {
                row.failed = Some(code);
            }
        }
        UploadAction::Ended(id) => next.retain(|r| r.id != id),
    }
    Rc::new(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: u32) -> UploadRow {
        UploadRow {
            id,
            peer: AccountId::new("peakerdong").unwrap_or_else(|_| unreachable!()),
            name: "a.png".to_owned(),
            size: 100,
            preview: None,
            sent: 0,
            failed: None,
        }
    }

    #[test]
    fn test_an_upload_goes_from_started_to_failed_to_retried_to_ended() {
        let rows = Rc::new(Vec::new());
        let rows = reduce(&rows, UploadAction::Started(row(1)));
        let rows = reduce(&rows, UploadAction::Started(row(2)));
        let rows = reduce(&rows, UploadAction::Progress(1, 60));
        assert_eq!(rows[0].sent, 60);
        let rows = reduce(&rows, UploadAction::Failed(1, ErrorCode::NotAPicture));
        assert_eq!(rows[0].failed, Some(ErrorCode::NotAPicture));
        let rows = reduce(&rows, UploadAction::Started(row(1)));
        assert_eq!(
            rows.iter().map(|r| (r.id, r.failed)).collect::<Vec<_>>(),
            [(2, None), (1, None)],
            "a retry starts over, after the others"
        );
        let rows = reduce(&rows, UploadAction::Ended(2));
        assert_eq!(rows.len(), 1);
    }
}
