// The seed's snippets, typed against webim.d.ts: `tsc --strict` must accept them (the
// declarations describe the API as pages use it). Checked by the end-to-end tests.
const loginInfo: webim.LoginInfo = {
  sdkAppID: 1104620500,
  appIDAt3rd: 1104620500,
  identifier: "qiyueluhuo2016",
  accountType: 107,
  userSig: "fjsjfaf84rojfa9ufefdf33",
};
let selToID = "peakerdong";
let selSess: webim.Session | null = null;
let curMsgCount = 0;

function addMsg(msg: webim.Msg): void {
  const li = document.createElement("li");
  li.innerHTML = msg.toHtml();
  li.title = webim.Tool.formatTimeStamp(msg.getTime());
  document.body.appendChild(li);
}

function onMsgNotify(newMsg: { msg: webim.Msg }[]): void {
  const sessMap = webim.MsgStore.sessMap();
  for (const i in sessMap) {
    const sess = sessMap[i];
    if (selToID == sess.id()) {
      selSess = sess;
      const msgCount = sess.msgCount();
      for (let j = curMsgCount; j < msgCount; j++) {
        const msg = sess.msg(j);
        if (msg) addMsg(msg);
        curMsgCount++;
      }
      webim.setAutoRead(selSess, true, true);
    } else {
      console.log(sess.id(), sess.unread(), newMsg.length);
    }
  }
}

webim.init(loginInfo, { onConnNotify: null, onMsgNotify: onMsgNotify }, null);
webim.syncMsgs((notifyInfo) => console.log(notifyInfo.length, webim.MsgStore.sessCount()));

function onSendMsg(text: string): void {
  if (webim.Tool.getStrBytes(text) > 12000) return;
  if (!selSess) {
    selSess = new webim.Session(webim.SESSION_TYPE.C2C, selToID, selToID, "", Math.round(Date.now() / 1000));
  }
  const msg = new webim.Msg(selSess, true);
  const face = "[微笑]";
  msg.addText(new webim.Msg.Elem.Text(text));
  if (webim.EmotionPicData[face]) {
    msg.addFace(new webim.Msg.Elem.Face(webim.EmotionPicDataIndex[face], face));
  }
  msg.addElem(new webim.Msg.Elem(webim.MSG_ELEMENT_TYPE.TEXT, new webim.Msg.Elem.Text("!")));
  webim.sendMsg(msg, (resp) => console.log(resp.ActionStatus), (err) => alert(err.ErrorInfo));
}

webim.getAllFriend({ StartIndex: 0, GetCount: 100 }, (resp) => console.log(resp.ErrorCode), (err) => console.log(err.ErrorCode));
webim.addBlackList({ To_Account: ["qiyueluhuo2019"] }, null, (err) => console.log(err.ResultItem?.length));
webim.getC2CHistoryMsgs({ Peer_Account: selToID, MaxCnt: 15 }, (resp) => resp.MsgList.forEach(addMsg));
webim.init(loginInfo, {}, { server: "https://chat.example.com" });
webim.ready.then((w) => w.offline());
onSendMsg("你好");

// webim.js 1.7's picture, as its demo sends one.
webim.uploadPicByBase64({ toAccount: selToID, businessType: 2, File_Type: 1, fileMd5: "", totalSize: 3, base64Str: "AAEC" }, (images) => {
  const obj = new webim.Msg.Elem.Images(images.File_UUID);
  if (Array.isArray(images.URL_INFO)) {
    for (const img of images.URL_INFO) {
      const type = img.PIC_TYPE === 1 ? 1 : img.PIC_TYPE === 2 ? 3 : 2;
      obj.addImage(new webim.Msg.Elem.Images.Image(type, img.PIC_Size, img.PIC_Width, img.PIC_Height, img.DownUrl));
    }
  }
  const msg = new webim.Msg(selSess ?? new webim.Session("C2C", selToID), true);
  msg.addImage(obj);
  msg.addFile(new webim.Msg.Elem.File("uuid", "a.pdf", 3, loginInfo.identifier, selToID, 0));
  webim.sendMsg(msg);
});
webim.applyDownload({ request_info: [{ uuid: "uuid", busi_id: 2, type: 1 }] }, (resp) => console.log(resp.response_info.url));
