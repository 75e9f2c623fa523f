//! Profile values (`profile/portrait_get`, `profile/portrait_set`, sdk-facts §1.2–1.3).
//! Here because the SDK, the service and the app's profile panel all read the same values.

use serde::{Deserialize, Serialize};

/// `Tag_Profile_IM_Gender`. Three values (contract §3), `Gender_Type_Unknown` included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Gender {
    /// `Gender_Type_Unknown`: not said.
    #[serde(rename = "Gender_Type_Unknown")]
    Unknown,
    /// `Gender_Type_Female`.
    #[serde(rename = "Gender_Type_Female")]
    Female,
    /// `Gender_Type_Male`.
    #[serde(rename = "Gender_Type_Male")]
    Male,
}

/// `Tag_Profile_IM_AllowType`: who may add me as a friend. A missing value means
/// [`AllowType::NeedConfirm`] (contract §3), hence the `Default`.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub enum AllowType {
    /// `AllowType_Type_NeedConfirm`: a request waits for my answer.
    #[default]
    #[serde(rename = "AllowType_Type_NeedConfirm")]
    NeedConfirm,
    /// `AllowType_Type_AllowAny`: anyone becomes my friend at once.
    #[serde(rename = "AllowType_Type_AllowAny")]
    AllowAny,
    /// `AllowType_Type_DenyAny`: nobody may add me.
    #[serde(rename = "AllowType_Type_DenyAny")]
    DenyAny,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_gender_and_allow_type_use_the_wire_names() {
        assert_eq!(
            serde_json::to_string(&Gender::Unknown).unwrap(),
            "\"Gender_Type_Unknown\""
        );
        assert_eq!(
            serde_json::from_str::<AllowType>("\"AllowType_Type_DenyAny\"").unwrap(),
            AllowType::DenyAny
        );
        assert!(serde_json::from_str::<Gender>("\"Gender_Type_Other\"").is_err());
    }

    #[test]
    fn test_missing_allow_type_means_need_confirm() {
        assert_eq!(AllowType::default(), AllowType::NeedConfirm);
    }
}
