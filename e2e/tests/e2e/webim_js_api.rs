//! webim.js called from JavaScript as a page would: before a login every call answers -4;
//! then the seed's calls, each checked for its callbacks' shapes (docs/protocol.md,
//! docs/sdk.md): login, the profile and relationship calls, Msg built with addText/addFace,
//! sendMsg, MsgStore, history, Tool and the emoticon tables, 1.7's pictures and files
//! (uploadPicByBase64, uploadFile, Images, File, applyDownload), and offline.

use std::time::Duration;

use serde_json::{Value, json};
use webim_e2e::app::wait_for;
use webim_e2e::{Backend, in_browser};

/// Runs in the demo page; answers `{name: result}` for every step.
const SCRIPT: &str = r#"
const done = arguments[arguments.length - 1];
const call = (fn, ...args) => new Promise((res) => fn(...args, (v) => res({ ok: v }), (e) => res({ err: e })));
const shape = (o) => o && { ActionStatus: o.ActionStatus, ErrorCode: o.ErrorCode, info: typeof o.ErrorInfo };
(async () => {
  const r = {};
  await webim.ready;
  r.before = shape((await call(webim.syncMsgs)).err);
  r.sendBefore = shape((await call(webim.getAllFriend, {})).err);
  let sess = new webim.Session(webim.SESSION_TYPE.C2C, "peakerdong", "peakerdong", "", 0);
  // 1.x's constructors never threw: a message built before a login is sent by whoever is
  // logged in then, and sendMsg says -4 while no one is.
  let early;
  try { early = new webim.Msg(sess, true); r.msgBefore = "built"; } catch (e) { r.msgBefore = String(e.message || e); }
  if (early) early.addText(new webim.Msg.Elem.Text("built before the login"));
  r.sendEarly = early && shape((await call(webim.sendMsg, early)).err);
  const login = { sdkAppID: 1104620500, appIDAt3rd: 1104620500, accountType: 107, identifier: "qiyueluhuo2017", userSig: "webim" };
  let notified = [];
  r.init = shape((await call(webim.init, login, { onMsgNotify: (n) => notified.push(n) }, null)).ok);
  const friends = (await call(webim.getAllFriend, {})).ok;
  r.friends = { status: shape(friends), accounts: (friends.InfoItem || []).map((i) => i.Info_Account) };
  r.sentEarly = early && shape((await call(webim.sendMsg, early)).ok);
  const received = new webim.Msg(sess, false, 5, 6, 1448000000, "peakerdong");
  r.receivedMsg = [received.getIsSend(), received.getSeq(), received.getRandom(), received.getTime(), received.getFromAccount()];
  received.addText(new webim.Msg.Elem.Text("not mine"));
  r.sendReceived = shape((await call(webim.sendMsg, received)).err);
  const nick = (await call(webim.getProfilePortrait, { To_Account: ["peakerdong"], TagList: ["Tag_Profile_IM_Nick"] })).ok;
  r.nick = { status: shape(nick), item: nick.UserProfileItem[0].ProfileItem[0] };
  r.setNick = shape((await call(webim.setProfilePortrait, { ProfileItem: [{ Tag: "Tag_Profile_IM_Nick", Value: "七月二〇一七" }] })).ok);
  const mine = (await call(webim.getProfilePortrait, { To_Account: ["qiyueluhuo2017"], TagList: ["Tag_Profile_IM_Nick"] })).ok;
  r.myNick = mine.UserProfileItem[0].ProfileItem[0].Value;
  r.block = (await call(webim.addBlackList, { To_Account: ["qiyueluhuo2019"] })).ok.ResultItem;
  r.blacklist = (await call(webim.getBlackList, { StartIndex: 0, MaxLimited: 10, LastSequence: 0 })).ok.BlackListItem.map((i) => i.To_Account);
  r.unblock = shape((await call(webim.deleteBlackList, { To_Account: ["qiyueluhuo2019"] })).ok);
  r.pendency = shape((await call(webim.getPending, { PendencyType: "Pendency_Type_ComeIn" })).ok);
  const bad = (await call(webim.addBlackList, { To_Account: ["nobody-here-2017"] })).err;
  r.batch = { status: shape(bad), items: bad && bad.ResultItem && bad.ResultItem.length };
  r.badOptions = shape((await call(webim.addBlackList, { To_Account: "not a list" })).err);
  sess = new webim.Session(webim.SESSION_TYPE.C2C, "peakerdong", "peakerdong", "", 0);
  const msg = new webim.Msg(sess, true);
  msg.addText(new webim.Msg.Elem.Text("<i>hi</i> "));
  msg.addFace(new webim.Msg.Elem.Face(webim.EmotionPicDataIndex["[微笑]"], "[微笑]"));
  r.elems = msg.getElems().map((e) => [e.getType(), e.getType() === "TIMTextElem" ? e.getContent().getText() : e.getContent().getData()]);
  r.html = msg.toHtml();
  r.send = shape((await call(webim.sendMsg, msg)).ok);
  const held = webim.MsgStore.sessMap()["C2Cpeakerdong"];
  r.store = { count: webim.MsgStore.sessCount(), msgs: held.msgCount(), type: held.type(), id: held.id(),
              fromMe: held.msg(held.msgCount() - 1).getFromAccount(), isSend: held.msg(held.msgCount() - 1).getIsSend(),
              byTypeId: webim.MsgStore.sessByTypeId("C2C", "peakerdong").id() };
  const page = (await call(webim.getC2CHistoryMsgs, { Peer_Account: "peakerdong", MaxCnt: 5 })).ok;
  r.history = { status: shape(page), count: page.MsgCount, last: page.MsgList[page.MsgList.length - 1].toHtml() };
  r.sync = Array.isArray((await call(webim.syncMsgs)).ok);
  r.tool = { bytes: webim.Tool.getStrBytes("你好a"), zero: webim.Tool.formatTimeStamp(0),
             faces: Object.keys(webim.EmotionPicDataIndex).length, smile: webim.EmotionPicDataIndex["[微笑]"],
             xss: webim.Tool.xssFilter("<a>") };
  const elem = new webim.Msg.Elem("TIMTextElem", new webim.Msg.Elem.Text("by addElem"));
  const msg2 = new webim.Msg(sess, true);
  msg2.addElem(elem);
  r.addElem = [msg2.getElems()[0].getType(), msg2.toHtml(), msg2.getSeq() > msg.getSeq(), typeof msg2.getRandom(), msg2.getTime() > 0];
  try { new webim.Msg.Elem("TIMImageElem", {}); r.badElem = "built"; } catch (e) { r.badElem = "refused"; }
  webim.setAutoRead(held, true, true);
  await new Promise((res) => setTimeout(res, 200));
  r.autoRead = [held.isAutoRead(), held.unread(), held.time() > 0, held.curMaxMsgSeq() >= 0, held.name(), held.icon()];
  r.sessions = webim.MsgStore.sessions().map((x) => x.id());
  // 1.7's pictures and files: a PNG drawn here, uploaded as base64 and sent as 1.7's demo
  // builds it; a file uploaded from a File with progress, sent, and its address asked for.
  const canvas = document.createElement("canvas"); canvas.width = 300; canvas.height = 200;
  canvas.getContext("2d").fillRect(0, 0, 300, 200);
  const b64 = canvas.toDataURL("image/png").split(",")[1];
  const up = (await call(webim.uploadPicByBase64, { toAccount: "peakerdong", businessType: 2, File_Type: 1, fileMd5: "", base64Str: b64 })).ok;
  r.upload = { status: shape(up), uuid: typeof up.File_UUID, sizes: up.URL_INFO.map((u) => [u.PIC_TYPE, u.PIC_Width]) };
  const images = new webim.Msg.Elem.Images(up.File_UUID);
  for (const u of up.URL_INFO) images.addImage(new webim.Msg.Elem.Images.Image({ 1: 1, 2: 3, 4: 2 }[u.PIC_TYPE], u.PIC_Size, u.PIC_Width, u.PIC_Height, u.DownUrl));
  const pic = new webim.Msg(sess, true); pic.addImage(images);
  r.sendPicture = shape((await call(webim.sendMsg, pic)).ok);
  r.picture = [pic.getElems()[0].getType(), pic.getElems()[0].getContent().getImage(3).getWidth(), pic.toHtml().startsWith("<img src=")];
  const progress = [];
  const pdf = new File([new Uint8Array([37, 80, 68, 70, 45, 49])], "a.pdf", { type: "application/pdf" });
  const fup = (await call(webim.uploadFile, { file: pdf, To_Account: "peakerdong", fileType: 2, onProgressCallBack: (l, t) => progress.push([l, t]) })).ok;
  r.uploadFile = { status: shape(fup), progress };
  const fm = new webim.Msg(sess, true);
  fm.addFile(new webim.Msg.Elem.File(fup.File_UUID, "a.pdf", 6, "qiyueluhuo2017", "peakerdong", 0));
  r.sendFile = shape((await call(webim.sendMsg, fm)).ok);
  const dl = (await call(webim.applyDownload, { request_info: [{ uuid: fup.File_UUID, busi_id: 2, type: 1 }] })).ok;
  r.download = [dl.error_code, dl.response_info.url.startsWith("webim-local:")];
  r.notPicture = shape((await call(webim.uploadPicByBase64, { toAccount: "peakerdong", base64Str: btoa("<svg/>") })).err);
  const added = await call(webim.applyAddFriend, { AddFriendItem: [{ To_Account: "qiyueluhuo2018", AddSource: "AddSource_Type_Web", AddWording: "hi" }] });
  const add = added.ok || added.err;
  r.add = { status: shape(add), item: add.ResultItem && add.ResultItem[0].To_Account };
  const sent = (await call(webim.getPendency, { PendencyType: "Pendency_Type_SendOut" })).ok;
  r.sentOut = sent.PendencyItem.map((i) => i.To_Account);
  r.delPendency = shape((await call(webim.deletePending, { PendencyType: "Pendency_Type_SendOut", To_Account: ["qiyueluhuo2018"] })).ok);
  const answered = await call(webim.responseFriend, { ResponseFriendItem: [{ To_Account: "qiyueluhuo2019", ResponseAction: "Response_Action_Agree" }] });
  r.respond = shape(answered.ok || answered.err);
  r.delFriend = shape((await call(webim.deleteFriend, { To_Account: ["peakerdong"], DeleteType: "Delete_Type_Both" })).ok);
  r.friendsAfter = ((await call(webim.getAllFriend, {})).ok.InfoItem || []).map((i) => i.Info_Account);
  r.delSess = [webim.MsgStore.delSessByTypeId("C2C", "peakerdong"), "C2Cpeakerdong" in webim.MsgStore.sessMap()];
  webim.MsgStore.resetCookieAndSyncFlag();
  const again = (await call(webim.syncMsgs)).ok;
  r.resync = again.map((n) => n.msg.getFromAccount());
  r.offline = shape((await call(webim.offline)).ok);
  r.after = shape((await call(webim.sendMsg, msg)).err);
  try { r.msgAfter = new webim.Msg(sess, true).getFromAccount() === undefined ? "built" : "named"; } catch (e) { r.msgAfter = String(e.message || e); }
  r.relogin = shape((await call(webim.login, login, {}, null)).ok);
  r.logout = shape((await call(webim.logout)).ok);
  return r;
})().then(done, (e) => done({ thrown: String(e && (e.stack || e.message) || e) }));
"#;

#[tokio::test]
async fn every_call_answers_from_javascript_with_the_seeds_shapes() {
    let report = std::sync::Arc::new(std::sync::Mutex::new(Value::Null));
    let out = std::sync::Arc::clone(&report);
    in_browser(Backend::Static, |driver, site| async move {
        driver
            .goto(format!("{}/sdk/demo/index.html", site.url()))
            .await?;
        wait_for(&driver, "button[data-account]", Duration::from_secs(20)).await?;
        driver.set_script_timeout(Duration::from_secs(60)).await?;
        let r = driver.execute_async(SCRIPT, vec![]).await?.json().clone();
        *out.lock().expect("the report") = r;
        Ok(())
    })
    .await;
    let r = report.lock().expect("the report").clone();
    assert!(r.get("thrown").is_none(), "the script threw: {r}");
    let not_logged_in =
        serde_json::json!({"ActionStatus": "FAIL", "ErrorCode": -4, "info": "string"});
    let ok = serde_json::json!({"ActionStatus": "OK", "ErrorCode": 0, "info": "string"});
    assert_eq!(r["before"], not_logged_in, "syncMsgs before a login");
    assert_eq!(
        r["sendBefore"], not_logged_in,
        "getAllFriend before a login"
    );
    assert_eq!(
        r["msgBefore"], "built",
        "new Msg before a login never throws"
    );
    assert_eq!(
        r["sendEarly"]["ErrorCode"], -4,
        "sendMsg before a login: {}",
        r["sendEarly"]
    );
    assert_eq!(r["sentEarly"], ok, "the early message, sent once logged in");
    assert_eq!(
        r["receivedMsg"],
        json!([false, 5, 6, 1_448_000_000, "peakerdong"]),
        "new Msg with every 1.x argument"
    );
    assert_eq!(
        r["sendReceived"]["ErrorCode"], 20001,
        "a received message is not sent"
    );
    assert_eq!(r["msgAfter"], "built", "new Msg after offline never throws");
    assert_eq!(r["init"], ok);
    assert_eq!(r["friends"]["status"], ok);
    assert!(
        r["friends"]["accounts"]
            .as_array()
            .is_some_and(|a| !a.is_empty()),
        "friends: {}",
        r["friends"]
    );
    assert_eq!(r["nick"]["status"], ok);
    assert_eq!(r["nick"]["item"]["Tag"], "Tag_Profile_IM_Nick");
    assert_eq!(r["setNick"], ok);
    assert_eq!(r["myNick"], "七月二〇一七");
    assert_eq!(
        r["block"][0]["To_Account"], "qiyueluhuo2019",
        "addBlackList: {}",
        r["block"]
    );
    assert_eq!(r["blacklist"], serde_json::json!(["qiyueluhuo2019"]));
    assert_eq!(r["unblock"], ok);
    assert_eq!(r["pendency"], ok);
    assert_eq!(
        r["batch"]["status"]["ErrorCode"], 99999,
        "a failed account: {}",
        r["batch"]
    );
    assert_eq!(r["batch"]["items"], 1);
    assert_eq!(
        r["badOptions"]["ActionStatus"], "FAIL",
        "bad options: {}",
        r["badOptions"]
    );
    assert_eq!(
        r["elems"],
        serde_json::json!([["TIMTextElem", "<i>hi</i> "], ["TIMFaceElem", "[微笑]"]])
    );
    assert_eq!(
        r["html"],
        "&lt;i&gt;hi&lt;/i&gt; <img src=\"/emoticons/1.svg\" alt=\"[微笑]\">"
    );
    assert_eq!(r["send"], ok);
    assert_eq!(r["store"]["type"], "C2C");
    assert_eq!(r["store"]["id"], "peakerdong");
    assert_eq!(r["store"]["byTypeId"], "peakerdong");
    assert_eq!(r["store"]["fromMe"], "qiyueluhuo2017");
    assert_eq!(r["store"]["isSend"], true);
    assert!(r["store"]["count"].as_u64() >= Some(1) && r["store"]["msgs"].as_u64() >= Some(1));
    assert_eq!(r["history"]["status"], ok);
    assert!(r["history"]["count"].as_u64() >= Some(1));
    assert!(
        r["history"]["last"]
            .as_str()
            .unwrap_or("")
            .contains("&lt;i&gt;hi"),
        "history: {}",
        r["history"]
    );
    assert_eq!(r["sync"], true);
    assert_eq!(
        r["tool"],
        serde_json::json!({"bytes": 7, "zero": "0", "faces": 67, "smile": 1, "xss": "&lt;a&gt;"})
    );
    assert_eq!(
        r["addElem"],
        serde_json::json!(["TIMTextElem", "by addElem", true, "number", true])
    );
    assert_eq!(r["badElem"], "refused");
    assert_eq!(
        r["autoRead"],
        serde_json::json!([true, 0, true, true, "peakerdong", ""])
    );
    assert_eq!(r["sessions"], serde_json::json!(["peakerdong"]));
    assert_eq!(
        r["upload"]["status"], ok,
        "uploadPicByBase64: {}",
        r["upload"]
    );
    assert_eq!(r["upload"]["uuid"], "string");
    assert_eq!(
        r["upload"]["sizes"],
        serde_json::json!([[1, 300], [4, 300], [2, 198]]),
        "1.7's PIC_TYPEs: the original, the large, the small"
    );
    assert_eq!(r["sendPicture"], ok);
    assert_eq!(r["picture"], serde_json::json!(["TIMImageElem", 198, true]));
    assert_eq!(
        r["uploadFile"]["status"], ok,
        "uploadFile: {}",
        r["uploadFile"]
    );
    assert_eq!(r["uploadFile"]["progress"], serde_json::json!([[6, 6]]));
    assert_eq!(r["sendFile"], ok);
    assert_eq!(r["download"], serde_json::json!([0, true]));
    assert_eq!(
        r["notPicture"]["ErrorCode"], 91003,
        "an SVG sent as a picture: {}",
        r["notPicture"]
    );
    assert_eq!(r["add"]["status"], ok);
    assert_eq!(r["add"]["item"], "qiyueluhuo2018");
    assert_eq!(r["sentOut"], serde_json::json!(["qiyueluhuo2018"]));
    assert_eq!(r["delPendency"], ok);
    assert_eq!(
        r["respond"]["ActionStatus"], "FAIL",
        "no request from 2019 to answer: {}",
        r["respond"]
    );
    assert_eq!(r["respond"]["ErrorCode"], 99999);
    assert_eq!(r["delFriend"], ok);
    assert!(
        !r["friendsAfter"]
            .as_array()
            .is_some_and(|a| a.iter().any(|x| x == "peakerdong")),
        "deleted: {}",
        r["friendsAfter"]
    );
    // sessCount stays as it was until the next sync, as in 1.x (docs/sdk.md).
    assert_eq!(r["delSess"], serde_json::json!([true, false]));
    assert_eq!(
        r["resync"],
        serde_json::json!(["qiyueluhuo2017"]),
        "pulled again from an empty cookie"
    );
    assert_eq!(r["relogin"], ok);
    assert_eq!(r["logout"], ok);
    assert_eq!(r["offline"], ok);
    assert_eq!(r["after"], not_logged_in, "sendMsg after offline");
}
