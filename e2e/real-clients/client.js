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
      if (content.ImageInfoArray) {
        // A picture: the address of its small size (1.7's IMAGE_TYPE 3).
        var small = content.ImageInfoArray.filter(function (image) {
          return image.type === 3;
        })[0];
        elems.push("image:" + (small ? small.url : ""));
        continue;
      }
      if (content.uuid !== undefined && content.name !== undefined) {
        // A file: the address 1.7 built for it from openim/authkey's answer.
        elems.push("file:" + content.downUrl);
        continue;
      }
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

  // 1.7's uploadPicByBase64 with a picture drawn here (`width` × `height`, PNG), then a
  // message carrying it as Tencent's 1.7 demo builds one from the upload's answer.
  T.sendPicture = function (peer, width, height, done) {
    var cb = callbacks(done);
    var canvas = document.createElement("canvas");
    canvas.width = width;
    canvas.height = height;
    var ctx = canvas.getContext("2d");
    ctx.fillStyle = "#2a7";
    ctx.fillRect(0, 0, width, height);
    ctx.fillStyle = "#fc3";
    ctx.fillRect(width / 4, height / 4, width / 2, height / 2);
    var base64 = canvas.toDataURL("image/png").split(",")[1];
    var options = {
      toAccount: peer,
      businessType: 2,
      File_Type: 1,
      fileMd5: "",
      totalSize: atob(base64).length,
      base64Str: base64,
    };
    webim.uploadPicByBase64(
      options,
      function (images) {
        var msg = new webim.Msg(session(peer), true, -1, -1, -1, me, 0, me);
        var picture = new webim.Msg.Elem.Images(images.File_UUID);
        var types = { 1: 1, 2: 3, 4: 2 };
        for (var i = 0; i < images.URL_INFO.length; i++) {
          var size = images.URL_INFO[i];
          picture.addImage(
            new webim.Msg.Elem.Images.Image(
              types[size.PIC_TYPE],
              size.PIC_Size,
              size.PIC_Width,
              size.PIC_Height,
              size.DownUrl
            )
          );
        }
        msg.addImage(picture);
        webim.sendMsg(msg, cb[0], cb[1]);
      },
      cb[1]
    );
  };

  // Whether the picture at `url` loads here: its width, or 0.
  T.pictureWidth = function (url, done) {
    var image = new Image();
    image.onload = function () {
      done(image.naturalWidth);
    };
    image.onerror = function () {
      done(0);
    };
    image.src = url;
  };

  // The bytes at `url`, fetched from this page: their count, or why not.
  T.fetchLength = function (url, done) {
    fetch(url)
      .then(function (r) {
        return r.ok ? r.arrayBuffer() : Promise.reject(new Error("HTTP " + r.status));
      })
      .then(function (b) {
        done(b.byteLength);
      })
      .catch(function (e) {
        done(String(e));
      });
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
