//! `profile/…`: the user profile (docs/protocol.md, "Profile"), and the tags and values that the
//! profile and the friend list share (`Tag_Profile_IM_Nick`, `Tag_SNS_IM_Remark`, …).

pub mod portrait_get;
pub mod portrait_set;

use serde::{Deserialize, Serialize};

use crate::Timestamp;

/// Longest nick, in UTF-8 bytes (docs/protocol.md).
pub const MAX_NICK_BYTES: usize = 64;
/// Longest avatar URL, in UTF-8 bytes.
pub const MAX_IMAGE_BYTES: usize = 500;

/// `Tag_Profile_IM_Gender`. Three values (docs/protocol.md), `Gender_Type_Unknown` included.
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
/// [`AllowType::NeedConfirm`] (docs/protocol.md), hence the `Default`.
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

impl Gender {
    /// The value as on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unknown => "Gender_Type_Unknown",
            Self::Female => "Gender_Type_Female",
            Self::Male => "Gender_Type_Male",
        }
    }
}

impl AllowType {
    /// The value as on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NeedConfirm => "AllowType_Type_NeedConfirm",
            Self::AllowAny => "AllowType_Type_AllowAny",
            Self::DenyAny => "AllowType_Type_DenyAny",
        }
    }
}

/// A tag name, as in `TagList`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Tag {
    /// `Tag_Profile_IM_Nick`.
    #[serde(rename = "Tag_Profile_IM_Nick")]
    Nick,
    /// `Tag_Profile_IM_Gender`.
    #[serde(rename = "Tag_Profile_IM_Gender")]
    Gender,
    /// `Tag_Profile_IM_AllowType`.
    #[serde(rename = "Tag_Profile_IM_AllowType")]
    AllowType,
    /// `Tag_Profile_IM_Image`: avatar URL.
    #[serde(rename = "Tag_Profile_IM_Image")]
    Image,
    /// `Tag_SNS_IM_Remark`: my remark on a friend.
    #[serde(rename = "Tag_SNS_IM_Remark")]
    Remark,
    /// `Tag_SNS_IM_AddSource`: where the friendship came from.
    #[serde(rename = "Tag_SNS_IM_AddSource")]
    AddSource,
    /// `Tag_SNS_IM_AddWording`: the request's wording.
    #[serde(rename = "Tag_SNS_IM_AddWording")]
    AddWording,
    /// `Tag_SNS_IM_AddTime`: when we became friends.
    #[serde(rename = "Tag_SNS_IM_AddTime")]
    AddTime,
}

impl Tag {
    /// True for the `Tag_Profile_IM_*` tags (a profile field, not a friendship field).
    pub fn is_profile(self) -> bool {
        matches!(
            self,
            Self::Nick | Self::Gender | Self::AllowType | Self::Image
        )
    }
}

/// One `{Tag, Value}` item of `ProfileItem` or `SnsProfileItem`, its value typed by its tag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "Tag", content = "Value")]
pub enum TagValue {
    /// `Tag_Profile_IM_Nick`.
    #[serde(rename = "Tag_Profile_IM_Nick")]
    Nick(String),
    /// `Tag_Profile_IM_Gender`.
    #[serde(rename = "Tag_Profile_IM_Gender")]
    Gender(Gender),
    /// `Tag_Profile_IM_AllowType`.
    #[serde(rename = "Tag_Profile_IM_AllowType")]
    AllowType(AllowType),
    /// `Tag_Profile_IM_Image`.
    #[serde(rename = "Tag_Profile_IM_Image")]
    Image(String),
    /// `Tag_SNS_IM_Remark`.
    #[serde(rename = "Tag_SNS_IM_Remark")]
    Remark(String),
    /// `Tag_SNS_IM_AddSource`.
    #[serde(rename = "Tag_SNS_IM_AddSource")]
    AddSource(String),
    /// `Tag_SNS_IM_AddWording`.
    #[serde(rename = "Tag_SNS_IM_AddWording")]
    AddWording(String),
    /// `Tag_SNS_IM_AddTime`.
    #[serde(rename = "Tag_SNS_IM_AddTime")]
    AddTime(Timestamp),
}

impl TagValue {
    /// The tag this value is for.
    pub fn tag(&self) -> Tag {
        match self {
            Self::Nick(_) => Tag::Nick,
            Self::Gender(_) => Tag::Gender,
            Self::AllowType(_) => Tag::AllowType,
            Self::Image(_) => Tag::Image,
            Self::Remark(_) => Tag::Remark,
            Self::AddSource(_) => Tag::AddSource,
            Self::AddWording(_) => Tag::AddWording,
            Self::AddTime(_) => Tag::AddTime,
        }
    }
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
    fn test_tag_values_are_tag_and_value_pairs() {
        let nick = TagValue::Nick("七月流火2016".to_owned());
        let json = serde_json::to_string(&nick).unwrap();
        assert_eq!(
            json,
            r#"{"Tag":"Tag_Profile_IM_Nick","Value":"七月流火2016"}"#
        );
        let gender: TagValue =
            serde_json::from_str(r#"{"Tag":"Tag_Profile_IM_Gender","Value":"Gender_Type_Male"}"#)
                .unwrap();
        assert_eq!(gender, TagValue::Gender(Gender::Male));
        assert_eq!(gender.tag(), Tag::Gender);
        let bad = r#"{"Tag":"Tag_Profile_IM_Gender","Value":"x"}"#;
        assert!(serde_json::from_str::<TagValue>(bad).is_err());
    }

    #[test]
    fn test_missing_allow_type_means_need_confirm() {
        assert_eq!(AllowType::default(), AllowType::NeedConfirm);
    }
}
