//! The UI's words in Chinese (the default) and English. One enum of phrases, so a missing
//! translation is a compile error, not a blank on screen.

/// A UI language.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Lang {
    /// 中文 (the default, as WebIM's users were).
    #[default]
    Zh,
    /// English.
    En,
}

impl Lang {
    /// The code kept in storage and set on `<html lang>`.
    pub fn code(self) -> &'static str {
        match self {
            Self::Zh => "zh-CN",
            Self::En => "en",
        }
    }

    /// The language with this code, if known.
    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "zh-CN" | "zh" => Some(Self::Zh),
            "en" => Some(Self::En),
            _ => None,
        }
    }

    /// The other language (the toggle switches to it).
    pub fn other(self) -> Self {
        match self {
            Self::Zh => Self::En,
            Self::En => Self::Zh,
        }
    }
}

macro_rules! phrases {
    ($( $(#[$doc:meta])* $key:ident => $zh:literal, $en:literal; )*) => {
        /// Every fixed phrase of the UI.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Phrase { $( $(#[$doc])* $key, )* }

        /// The phrase in `lang`.
        pub fn tr(lang: Lang, phrase: Phrase) -> &'static str {
            match (phrase, lang) {
                $( (Phrase::$key, Lang::Zh) => $zh, (Phrase::$key, Lang::En) => $en, )*
            }
        }
    };
}

phrases! {
    /// The login picker's lead line.
    PickAccount => "选择一个测试账号登录", "Choose a test account to log in";
    /// While logging in.
    LoggingIn => "正在登录…", "Logging in…";
    /// The conversations list.
    Sessions => "会话", "Chats";
    /// The friends list.
    Friends => "好友", "Friends";
    /// Friend requests.
    Requests => "好友申请", "Requests";
    /// The blacklist.
    Blacklist => "黑名单", "Blacklist";
    /// My profile.
    Profile => "个人资料", "Profile";
    /// Log out.
    Logout => "退出", "Log out";
    /// The theme toggle's label.
    ToggleTheme => "切换深色/浅色", "Switch dark/light";
    /// The language toggle's label (names the language it switches to).
    OtherLanguage => "English", "中文";
    /// Main navigation's label.
    Navigation => "导航", "Navigation";
    /// No conversations yet.
    NoSessions => "还没有会话。从好友列表开始聊天吧。", "No conversations yet. Start one from your friends.";
    /// No friends.
    NoFriends => "您目前还没有好友", "You have no friends yet";
    /// A draft's mark in the session list.
    Draft => "[草稿]", "[Draft]";
    /// Nothing open on the right.
    PickConversation => "选择一个会话开始聊天", "Pick a conversation to start chatting";
    /// Back to the list (narrow screens).
    Back => "返回", "Back";
    /// The start of a conversation.
    HistoryStart => "没有更早的消息了", "This is the beginning of the conversation";
    /// Loading older messages.
    LoadingHistory => "正在加载更早的消息…", "Loading older messages…";
    /// Date separator for today.
    Today => "今天", "Today";
    /// Date separator for yesterday.
    Yesterday => "昨天", "Yesterday";
    /// A message being sent.
    Sending => "发送中", "Sending";
    /// A message that failed.
    NotSent => "发送失败", "Not sent";
    /// Retry a failed message.
    Retry => "重发", "Retry";
    /// The composer's placeholder.
    ComposerHint => "输入消息，Enter 发送，Shift+Enter 换行", "Message — Enter to send, Shift+Enter for a new line";
    /// The composer's label.
    Message => "消息", "Message";
    /// The send button.
    Send => "发送", "Send";
    /// Empty message refused.
    EmptyMessage => "发送的消息不能为空", "The message is empty";
    /// Too long message refused.
    TooLong => "消息长度超出限制（最多 12000 字节）", "The message is too long (at most 12000 bytes)";
    /// The emoticon button.
    Emoticons => "表情", "Emoticons";
    /// The connection banner.
    Offline => "连接已断开，正在重新连接…", "Connection lost. Reconnecting…";
    /// The message list's label.
    MessagesOf => "与以下用户的消息：", "Messages with ";
    /// The unread badge's label prefix.
    UnreadLabel => "未读消息", "unread messages";
    /// Jump to the newest messages.
    NewMessages => "条新消息", "new messages";
    /// Not yet built in this version of the app.
    ComingNext => "此面板将在下一步提供", "This panel comes in the next step";
    /// Reset the demo data.
    ResetDemo => "重置演示数据", "Reset demo data";
    /// Login failed.
    LoginFailed => "登录失败", "Could not log in";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_every_phrase_exists_in_both_languages() {
        for lang in [Lang::Zh, Lang::En] {
            assert!(!tr(lang, Phrase::Offline).is_empty());
        }
        assert_eq!(tr(Lang::En, Phrase::Send), "Send");
        assert_eq!(Lang::from_code("en"), Some(Lang::En));
        assert_eq!(Lang::Zh.other(), Lang::En);
    }
}
