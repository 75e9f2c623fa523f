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

    /// The language for a first visit: the first of the browser's preferred languages
    /// (`navigator.languages`, BCP 47 tags) that the app speaks, else Chinese.
    pub fn preferred<'a>(tags: impl IntoIterator<Item = &'a str>) -> Self {
        tags.into_iter()
            .find_map(|tag| {
                let primary = tag.split(['-', '_']).next().unwrap_or_default();
                match primary.to_ascii_lowercase().as_str() {
                    "zh" => Some(Self::Zh),
                    "en" => Some(Self::En),
                    _ => None,
                }
            })
            .unwrap_or_default()
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
    /// A picture, in a preview and in the session list.
    Picture => "[图片]", "[Picture]";
    /// A picture, as a screen reader says it (with its name when it has one).
    PictureAlt => "图片", "Picture";
    /// A file, in a preview.
    File => "[文件]", "[File]";
    /// A file's download link.
    Download => "下载", "Download";
    /// A picture whose bytes are gone.
    PictureGone => "图片已不存在", "This picture is no longer available";
    /// Close a dialog.
    Close => "关闭", "Close";
    /// The previous picture.
    Previous => "上一张", "Previous";
    /// The next picture.
    Next => "下一张", "Next";
    /// The composer's paper clip.
    Attach => "发送图片或文件", "Send a picture or file";
    /// The preview of a picked picture or file.
    AttachPreview => "待发送的附件", "Attachment to send";
    /// A picture or file on its way up.
    Uploading => "正在上传", "Uploading";
    /// The composer's placeholder.
    ComposerHint => "输入消息", "Message";
    /// The composer's keys, as its tooltip (the placeholder stays short: at 360 px the
    /// longer one wrapped beside the buttons).
    ComposerKeys => "Enter 发送，Shift+Enter 换行", "Enter to send, Shift+Enter for a new line";
    /// The composer's label.
    Message => "消息", "Message";
    /// The send button.
    Send => "发送", "Send";
    /// Empty message refused.
    EmptyMessage => "发送的消息不能为空", "The message is empty";
    /// Too long message refused.
    TooLong => "消息长度超出限制（最多 12000 字节）", "The message is too long (at most 12000 bytes)";
    /// A send refused because the client is not logged in yet.
    NotReady => "还没有登录完成，消息未发送（文字已保留）", "Not logged in yet: the message was not sent and is kept here";
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
    /// Reset the demo data.
    ResetDemo => "重置演示数据", "Reset demo data";
    /// Login failed.
    LoginFailed => "登录失败", "Could not log in";
    /// The login form's lead line.
    LoginLead => "输入账号和密码登录", "Log in with your account and password";
    /// The login form's account field.
    Account => "账号", "Account";
    /// The login form's password field.
    Password => "密码", "Password";
    /// The login form's button.
    LogIn => "登录", "Log in";
    /// The login form with an empty field.
    LoginIncomplete => "请输入账号和密码", "Enter your account and password";
    /// Profile: nick.
    Nick => "昵称", "Nick";
    /// Profile: gender.
    Gender => "性别", "Gender";
    /// Gender values.
    GenderUnknown => "未知", "Not said";
    /// Gender values.
    GenderFemale => "女", "Female";
    /// Gender values.
    GenderMale => "男", "Male";
    /// Profile: who may add me.
    AllowType => "加好友设置", "Who may add me";
    /// AllowType values.
    NeedConfirm => "需要确认", "Ask me first";
    /// AllowType values.
    AllowAny => "允许任何人", "Anyone";
    /// AllowType values.
    DenyAny => "拒绝任何人", "Nobody";
    /// Save.
    Save => "保存", "Save";
    /// Saved.
    Saved => "个人资料已保存", "Profile saved";
    /// Nick empty.
    NickEmpty => "请输入昵称", "Enter a nick";
    /// Nick all spaces.
    NickSpaces => "昵称不能全是空格，请重新输入", "A nick cannot be only spaces";
    /// Nick too long.
    NickTooLong => "昵称太长（最多 64 字节）", "The nick is too long (at most 64 bytes)";
    /// Add friend: the search field.
    FindAccount => "按账号查找用户", "Find someone by account id";
    /// Search button.
    Search => "查找", "Search";
    /// Empty search.
    EnterAccount => "请输入用户账号", "Enter an account id";
    /// Add friend button.
    AddFriend => "加为好友", "Add friend";
    /// Send the request.
    SendRequest => "发送好友申请", "Send friend request";
    /// The wording field.
    Wording => "附言", "Message";
    /// The default wording.
    DefaultWording => "你好，我想和你成为朋友~~", "Hello, I'd like to be your friend!";
    /// Wording too long.
    WordingTooLong => "附言太长（最多 120 字节）", "The message is too long (at most 120 bytes)";
    /// Already a friend (search result).
    IsFriend => "已是好友", "Already your friend";
    /// The person is me.
    ThisIsYou => "这是你自己", "This is you";
    /// Incoming requests.
    Incoming => "收到的申请", "Received";
    /// Outgoing requests.
    Outgoing => "发出的申请", "Sent";
    /// No requests.
    NoRequests => "没有好友申请", "No friend requests";
    /// Accept and add (the default).
    AgreeAndAdd => "同意并添加", "Accept and add";
    /// Accept only.
    Agree => "仅同意", "Accept only";
    /// Reject.
    Reject => "拒绝", "Reject";
    /// Delete a request.
    DeleteRequest => "删除申请", "Delete request";
    /// Delete a friend.
    DeleteFriend => "删除好友", "Delete friend";
    /// Both ways.
    DeleteBoth => "双向删除（对方列表中也删除我）", "Both ways (remove me from their list too)";
    /// One way.
    DeleteSingle => "单向删除（只从我的列表删除）", "Only from my list";
    /// Move to blacklist.
    ToBlacklist => "拉黑", "Block";
    /// Confirm delete friend.
    ConfirmDeleteFriend => "确定删除该好友吗？", "Delete this friend?";
    /// Confirm blacklist.
    ConfirmBlacklist => "确定将该好友拉黑吗？拉黑后双方的好友关系将解除。", "Block this person? Your friendship ends both ways.";
    /// Confirm removal from blacklist.
    ConfirmUnblock => "确定将该联系人从黑名单删除吗？好友关系不会恢复。", "Remove from the blacklist? The friendship does not come back.";
    /// Confirm request deletion.
    ConfirmDeleteRequest => "确定删除这条记录吗？", "Delete this request?";
    /// Confirm.
    Confirm => "确定", "Confirm";
    /// Cancel.
    Cancel => "取消", "Cancel";
    /// Empty blacklist.
    NoBlacklist => "黑名单是空的", "Your blacklist is empty";
    /// Remove from blacklist.
    Unblock => "移出黑名单", "Unblock";
    /// Add to blacklist by id.
    BlockAccount => "按账号拉黑", "Block an account";
    /// Time added to the blacklist.
    AddedAt => "加入时间", "Added";
    /// A request was handled.
    Done => "已完成", "Done";
    /// AllowAny: friends at once.
    NowFriends => "已添加为好友", "You are friends now";
    /// Profile: the notifications section.
    Notifications => "通知", "Notifications";
    /// The desktop notifications switch.
    DesktopNotifications => "新消息桌面通知", "Desktop notifications for new messages";
    /// Notifications refused by the browser.
    NotifyDenied => "浏览器已禁止本站的通知，请在浏览器的网站设置中允许。", "The browser blocks notifications from this site; allow them in its site settings.";
    /// Notifications impossible.
    NotifyUnsupported => "这个浏览器不能显示通知。", "This browser cannot show notifications.";
    /// What the switch does.
    NotifyHint => "标签页在后台或会话未打开时提醒你。", "Tells you when the tab is in the background or the conversation is not open.";
    /// Mute a conversation.
    Mute => "消息免打扰", "Mute notifications";
    /// A muted conversation (the mark in the list).
    Muted => "已免打扰", "Muted";
}

/// A message as one line in `lang`: its texts, emoticons by name, and a picture or a file
/// as a word in brackets (session previews, notifications, the screen reader's line).
pub fn msg_text(lang: Lang, msg: &webim_sdk::Msg) -> String {
    use webim_sdk::Elem;
    msg.elems()
        .iter()
        .map(|elem| match elem {
            Elem::Image(_) => tr(lang, Phrase::Picture),
            Elem::File(_) => tr(lang, Phrase::File),
            other => other.as_text(),
        })
        .collect()
}

/// The words for a gender, as the profile and a found person show it.
pub fn gender_phrase(gender: webim_proto::Gender) -> Phrase {
    use webim_proto::Gender;
    match gender {
        Gender::Male => Phrase::GenderMale,
        Gender::Female => Phrase::GenderFemale,
        Gender::Unknown => Phrase::GenderUnknown,
    }
}

/// The words for who may add someone, as the profile and a found person show it.
pub fn allow_phrase(allow: webim_proto::AllowType) -> Phrase {
    use webim_proto::AllowType;
    match allow {
        AllowType::NeedConfirm => Phrase::NeedConfirm,
        AllowType::AllowAny => Phrase::AllowAny,
        AllowType::DenyAny => Phrase::DenyAny,
    }
}

/// A result or error code as a sentence in `lang` (never a bare number).
pub fn code_sentence(lang: Lang, code: webim_proto::ErrorCode) -> String {
    use webim_proto::ErrorCode as C;
    let (zh, en) = match code {
        C::Ok => ("已完成", "Done"),
        C::PendencyCreated => (
            "好友申请已发送，等待对方确认",
            "Friend request sent; waiting for their answer",
        ),
        C::TargetDeniesAll => (
            "对方拒绝任何人加好友，无法加对方为好友",
            "This person accepts no friend requests",
        ),
        C::TargetInMyBlacklist => (
            "对方在你的黑名单中，请先将其移出黑名单",
            "This person is in your blacklist; unblock them first",
        ),
        C::InTargetsBlacklist => (
            "对方已将你拉黑，无法加为好友",
            "This person has blacklisted you",
        ),
        C::AlreadyFriends | C::AlreadyFriendsOnResponse => {
            ("你们已经是好友了", "You are already friends")
        }
        C::NoSuchTarget | C::NoSuchUser | C::InvalidAccount => {
            ("账号不存在", "There is no such account")
        }
        C::AddFieldTooLong | C::ResponseFieldTooLong => {
            ("附言或备注太长", "The message or remark is too long")
        }
        C::BadAddSource => ("添加来源无效", "The add source is not valid"),
        C::NoSuchPendency | C::NotPending => (
            "这条好友申请已不存在",
            "This friend request no longer exists",
        ),
        C::NotFriend => ("对方不是你的好友", "This person is not your friend"),
        C::AlreadyInBlacklist => ("对方已在你的黑名单中", "Already in your blacklist"),
        C::NotInBlacklist => ("对方不在你的黑名单中", "Not in your blacklist"),
        C::BlockedByRecipient => (
            "你们之间有黑名单，消息无法送达",
            "A blacklist stands between you; the message was not delivered",
        ),
        C::MsgTooLong => (
            "消息太长（最多 12000 字节）",
            "The message is too long (at most 12000 bytes)",
        ),
        C::IllegalProfileFieldLength => {
            ("资料内容为空或太长", "A profile field is empty or too long")
        }
        C::NotLoggedIn => ("请先登录", "Please log in first"),
        C::LoginFailed => ("账号或密码错误", "The account or the password is wrong"),
        C::LoginThrottled => (
            "登录失败次数太多，请几分钟后再试",
            "Too many failed logins; try again in a few minutes",
        ),
        C::SigExpired => (
            "登录已过期，请重新登录",
            "Your login has expired; log in again",
        ),
        C::AccountDisabled => ("该账号已被停用", "This account is disabled"),
        C::SigMissing
        | C::SigMalformed
        | C::SigForged
        | C::SigOtherIdentity
        | C::SigOtherApp
        | C::NoSuchSdkAppId
        | C::NoSuchAccount
        | C::SignatureInvalid => (
            "登录凭证无效，请重新登录",
            "Your login is no longer valid; log in again",
        ),
        C::NetworkError => ("网络异常，请稍后重试", "Network problem; try again"),
        C::UploadTooLarge => ("文件太大，无法发送", "This file is too large to send"),
        C::UploadOverQuota => (
            "可保存的图片和文件已达上限",
            "You keep as many pictures and files as you may",
        ),
        C::NotAPicture => (
            "无法识别这张图片（支持 PNG、JPEG、GIF、WebP），可作为文件发送",
            "This picture cannot be read (PNG, JPEG, GIF or WebP); send it as a file",
        ),
        C::UploadOutOfOrder | C::NoSuchAttachment => {
            ("上传中断，请重试", "The upload was interrupted; try again")
        }
        C::ServiceError => ("服务暂时不可用，请重试", "The service is busy; try again"),
        C::SnsBadRequest | C::ProfileBadRequest | C::InvalidPacket => {
            ("请求无效", "The request is not valid")
        }
        other => {
            return match lang {
                Lang::Zh => format!("操作失败（错误码 {}）", other.code()),
                Lang::En => format!("That did not work (error {})", other.code()),
            };
        }
    };
    match lang {
        Lang::Zh => zh.to_owned(),
        Lang::En => en.to_owned(),
    }
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
        assert_eq!(Lang::preferred(["en-US", "zh-CN"]), Lang::En);
        assert_eq!(Lang::preferred(["de-DE", "zh-TW"]), Lang::Zh);
        assert_eq!(Lang::preferred(["fr", "EN-gb"]), Lang::En);
        assert_eq!(
            Lang::preferred(["fr"]),
            Lang::Zh,
            "none spoken: the default"
        );
    }

    #[test]
    fn test_every_code_of_contract_4_reads_as_a_sentence() {
        use webim_proto::ErrorCode;
        for code in [
            30516, 30539, 30520, 30515, 30525, 30614, 31704, 31307, 31503, 20007, 0, 12345,
        ] {
            let sentence = code_sentence(Lang::Zh, ErrorCode::from(code));
            assert!(sentence.chars().count() >= 3, "{code}: {sentence}");
            assert_ne!(sentence, code.to_string());
        }
        assert_eq!(
            code_sentence(Lang::En, ErrorCode::from(30516)),
            "This person accepts no friend requests"
        );
        assert!(code_sentence(Lang::En, ErrorCode::from(12345)).contains("12345"));
    }
}
