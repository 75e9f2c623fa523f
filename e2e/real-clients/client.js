// A page written for Tencent's WebIM SDK 1.2 or 1.7 (`?sdk=1.2|1.7&me=…&sig=…&app=…`):
// every call of the seed's developer guide, each exposed to the end-to-end test as
// `T.<name>(…, done)` (WebDriver's asynchronous scripts pass `done` last), and what the
// SDK's listeners heard kept in `T` for the test to read.
(function () {
  var query = new URLSearchParams(location.search);
  var sdk = query.get("sdk");
  var me = query.get("me");
  var app = Number(query.get("app"));
  var T = (window.T = {
    sdk: sdk,
    received: [],
    friendNotices: [],
    profileNotices: [],
    readNotices: [],
  });
  var loginInfo = {
    sdkAppID: app,
    appIDAt3rd: app,
    accountType: 792,
    identifier: me,
    userSig: query.get("sig"),
  };

  function keep(list) {
    return function (notice) {
      list.push(notice);
    };
  }

  function describe(msg) {
    var elems = [];
    for (var i = 0; i < msg.elems.length; i++) {
      var content = msg.elems[i].content;
      elems.push(content.text !== undefined ? content.text : "face:" + content.data);
    }
    return { from: msg.fromAccount, peer: msg.sess.id(), isSend: msg.isSend, elems: elems };
  }

  var listeners = {
    onConnNotify: function () {},
    // 1.2 hands over `[{msg}]`, 1.7 `[msg]`.
    onMsgNotify: function (list) {
      for (var i = 0; i < list.length; i++) T.received.push(describe(list[i].msg || list[i]));
    },
    onFriendSystemNotifys: {
      1: keep(T.friendNotices),
      2: keep(T.friendNotices),
      3: keep(T.friendNotices),
      4: keep(T.friendNotices),
      5: keep(T.friendNotices),
      6: keep(T.friendNotices),
    },
    onProfileSystemNotifys: { 1: keep(T.profileNotices) },
    onC2cEventNotifys: { 92: keep(T.readNotices) },
    onKickedEventCall: function () {
      T.kicked = true;
    },
  };

  function callbacks(done) {
    return [
      function (answer) {
        done({ ok: answer === undefined ? null : answer });
      },
      function (error) {
        done({ err: error === undefined ? null : error });
      },
    ];
  }

  // init (1.2) or login (1.7).
  T.login = function (done) {
    var cb = callbacks(done);
    if (sdk === "1.7") {
      webim.login(loginInfo, listeners, { isLogOn: false }, cb[0], cb[1]);
    } else {
      webim.init(loginInfo, listeners, {});
      cb[0]("init");
    }
  };

  // The profile and relationship calls, each with its options object.
  T.call = function (name, options, done) {
    var cb = callbacks(done);
    webim[name](options, cb[0], cb[1]);
  };

  function session(peer) {
    return (
      webim.MsgStore.sessByTypeId("C2C", peer) ||
      new webim.Session("C2C", peer, peer, "", Math.round(Date.now() / 1000))
    );
  }

  // sendMsg: a text, then a face from the SDK's own table, by its name.
  T.send = function (peer, text, face, done) {
    var cb = callbacks(done);
    var msg = new webim.Msg(session(peer), true);
    msg.addText(new webim.Msg.Elem.Text(text));
    if (face) {
      var index = (webim.EmotionPicDataIndex || webim.EmotionDataIndexs)[face];
      msg.addFace(new webim.Msg.Elem.Face(index, face));
    }
    webim.sendMsg(msg, cb[0], cb[1]);
  };

  T.syncMsgs = function (done) {
    var cb = callbacks(done);
    webim.syncMsgs(cb[0], cb[1]);
  };

  // setAutoRead on a conversation: its unread count afterwards.
  T.read = function (peer) {
    var sess = webim.MsgStore.sessByTypeId("C2C", peer);
    if (!sess) return -1;
    webim.setAutoRead(sess, true, true);
    return sess.unread();
  };

  T.unread = function (peer) {
    var sess = webim.MsgStore.sessByTypeId("C2C", peer);
    return sess ? sess.unread() : -1;
  };

  // offline (1.2) or logout (1.7).
  T.offline = function (done) {
    var cb = callbacks(done);
    (webim.logout || webim.offline)(cb[0], cb[1]);
  };
})();
