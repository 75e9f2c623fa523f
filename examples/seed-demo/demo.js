// The seed's demo, as a person following the guide would write it: only the documented
// webim.js API (init, onMsgNotify over MsgStore.sessMap, syncMsgs, sendMsg of a Msg built
// with addText/addFace, setAutoRead, offline).
"use strict";
var ACCOUNTS = ["qiyueluhuo2016", "qiyueluhuo2017", "qiyueluhuo2018", "qiyueluhuo2019", "peakerdong"];
// Which backend: by default the IM service inside this browser; `?server=https://…` a
// webim-server (its demo mode signs the test accounts; it must allow this page's origin).
var server = new URLSearchParams(location.search).get("server");
var loginInfo = null;
var selToID = null;
var selSess = null;
var curMsgCount = 0;
var $ = function (id) { return document.getElementById(id); };

function showError(err) {
  $("error").textContent = err ? err.ErrorInfo : "";
}

function addMsg(msg) {
  var li = document.createElement("li");
  li.className = msg.getIsSend() ? "mine" : "theirs";
  li.innerHTML = msg.toHtml(); // toHtml escapes text: no XSS
  li.title = webim.Tool.formatTimeStamp(msg.getTime());
  $("msgflow").appendChild(li);
  $("msgflow").scrollTop = $("msgflow").scrollHeight;
}

function renderSessions() {
  var list = $("sessions");
  list.textContent = "";
  var sessMap = webim.MsgStore.sessMap();
  for (var i in sessMap) {
    var sess = sessMap[i];
    var li = document.createElement("li");
    var b = document.createElement("button");
    b.type = "button";
    b.dataset.peer = sess.id();
    b.textContent = sess.name();
    if (sess.id() !== selToID && sess.unread() > 0) {
      var badge = document.createElement("span");
      badge.className = "unread";
      badge.textContent = sess.unread();
      b.appendChild(badge);
    }
    b.onclick = (function (id) { return function () { selectPeer(id); }; })(sess.id());
    li.appendChild(b);
    list.appendChild(li);
  }
}

function showNewMsgs() {
  var sessMap = webim.MsgStore.sessMap();
  for (var i in sessMap) {
    var sess = sessMap[i];
    if (selToID == sess.id()) {
      selSess = sess;
      var msgCount = sess.msgCount();
      if (msgCount > curMsgCount) {
        for (var j = curMsgCount; j < msgCount; j++) {
          addMsg(sess.msg(j));
          curMsgCount++;
        }
        webim.setAutoRead(selSess, true, true);
      }
    }
  }
  renderSessions();
}

function onMsgNotify(newMsgs) {
  showNewMsgs();
}

function selectPeer(id) {
  if (selSess) webim.setAutoRead(selSess, false, false);
  selToID = id;
  selSess = webim.MsgStore.sessByTypeId(webim.SESSION_TYPE.C2C, id) || null;
  curMsgCount = 0;
  $("msgflow").textContent = "";
  $("sel_to").textContent = id;
  showNewMsgs();
}

function onSendMsg(event) {
  event.preventDefault();
  if (!selToID) { alert("您还没有好友, 暂不能聊天"); return; }
  var msgtosend = $("send_msg_text").value;
  if (msgtosend.length < 1) { alert("发送的消息不能为空!"); return; }
  if (webim.Tool.getStrBytes(msgtosend) > 12000) { alert("发送的消息过长!"); return; }
  if (!selSess) {
    selSess = new webim.Session(webim.SESSION_TYPE.C2C, selToID, selToID, "", Math.round(new Date().getTime() / 1000));
  }
  var msg = new webim.Msg(selSess, true);
  var expr = /\[[^[\]]{1,3}\]/mg;
  var emotions = msgtosend.match(expr);
  if (!emotions || emotions.length < 1) {
    msg.addText(new webim.Msg.Elem.Text(msgtosend));
  } else {
    for (var i = 0; i < emotions.length; i++) {
      var tmsg = msgtosend.substring(0, msgtosend.indexOf(emotions[i]));
      if (tmsg) msg.addText(new webim.Msg.Elem.Text(tmsg));
      if (webim.EmotionPicData[emotions[i]]) {
        msg.addFace(new webim.Msg.Elem.Face(webim.EmotionPicDataIndex[emotions[i]], emotions[i]));
      } else {
        msg.addText(new webim.Msg.Elem.Text(emotions[i]));
      }
      msgtosend = msgtosend.substring(msgtosend.indexOf(emotions[i]) + emotions[i].length);
    }
    if (msgtosend) msg.addText(new webim.Msg.Elem.Text(msgtosend));
  }
  webim.sendMsg(msg, function () {
    showError(null);
    $("send_msg_text").value = "";
    showNewMsgs();
  }, showError);
}

// The userSig: the page's own server signs it (here a webim-server in demo mode); the
// in-browser service checks none.
function getUserSig(identifier, cbOk, cbErr) {
  if (!server) return cbOk({ UserSig: "webim", SdkAppID: 1104620500 });
  fetch(server + "/demo/login", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ Identifier: identifier }),
  })
    .then(function (r) { return r.json(); })
    .then(function (j) { return j.UserSig ? cbOk(j) : cbErr({ ErrorInfo: j.ErrorInfo || "login refused" }); })
    .catch(function (e) { cbErr({ ErrorInfo: "cannot reach " + server + ": " + e.message }); });
}

function initDemoApp(identifier) {
  getUserSig(identifier, function (signed) {
    loginInfo = { sdkAppID: signed.SdkAppID, appIDAt3rd: signed.SdkAppID, accountType: 107, identifier: identifier, userSig: signed.UserSig };
    startSdk();
  }, showError);
}

function startSdk() {
  var listeners = { onConnNotify: null, onMsgNotify: onMsgNotify };
  webim.init(loginInfo, listeners, server ? { server: server } : null, function () {
    $("login").hidden = true;
    $("webim_demo").hidden = false;
    $("t_my_name").textContent = loginInfo.identifier;
    webim.syncMsgs(showNewMsgs, showError);
  }, showError);
}

function quit() {
  webim.offline(function () {
    loginInfo = null; selToID = null; selSess = null; curMsgCount = 0;
    $("webim_demo").hidden = true;
    $("login").hidden = false;
  }, showError);
}

ACCOUNTS.forEach(function (id) {
  var li = document.createElement("li");
  var b = document.createElement("button");
  b.type = "button";
  b.dataset.account = id;
  b.textContent = id;
  b.onclick = function () { initDemoApp(id); };
  li.appendChild(b);
  $("accounts").appendChild(li);
  var option = document.createElement("option");
  option.value = id;
  $("peers").appendChild(option);
});
$("peer").onchange = function () { if (this.value) selectPeer(this.value); };
$("send_form").onsubmit = onSendMsg;
$("logout").onclick = quit;
