// webim.js: the `webim` global of WebIM SDK 1.x (declarations).
declare namespace webim {
  interface LoginInfo { sdkAppID: number | string; appIDAt3rd?: number | string; accountType?: number; identifier: string; userSig: string; }
  interface Listeners { onConnNotify?: ((info: Status) => void) | null; onMsgNotify?: ((notifyInfo: { msg: Msg }[]) => void) | null; }
  interface InitOptions { server?: string; }
  interface Status { ActionStatus: "OK" | "FAIL"; ErrorCode: number; ErrorInfo: string; }
  type CbOk<T = Status> = ((value: T) => void) | null | undefined;
  type CbErr = ((err: Status) => void) | null | undefined;
  const ready: Promise<typeof webim>;
  function init(loginInfo: LoginInfo, listeners?: Listeners | null, options?: InitOptions | null, cbOk?: CbOk, cbErr?: CbErr): void;
  function login(loginInfo: LoginInfo, listeners?: Listeners | null, options?: InitOptions | null, cbOk?: CbOk, cbErr?: CbErr): void;
  function offline(cbOk?: CbOk, cbErr?: CbErr): void;
  function logout(cbOk?: CbOk, cbErr?: CbErr): void;
  function syncMsgs(cbOk?: CbOk<{ msg: Msg }[]>, cbErr?: CbErr): void;
  function sendMsg(msg: Msg, cbOk?: CbOk, cbErr?: CbErr): void;
  function setAutoRead(sess: Session | null, isOn: boolean, isResetAll: boolean): void;
  function getC2CHistoryMsgs(options: { Peer_Account: string; MaxCnt?: number }, cbOk?: CbOk<Status & { Complete: 0 | 1; MsgCount: number; MsgList: Msg[] }>, cbErr?: CbErr): void;
  /** The protocol's request object, field for field (docs/protocol.md); `From_Account` may be left out. */
  type Options = Record<string, unknown>;
  /** The protocol's response object, with the status fields. */
  type Resp = Status & Record<string, unknown>;
  /** A batch where an account failed: ErrorCode 99999 and every account's line. */
  interface BatchErr extends Status { ResultItem?: { To_Account: string; ResultCode: number; ResultInfo: string }[] }
  function getProfilePortrait(options: Options, cbOk?: CbOk<Resp>, cbErr?: CbErr): void;
  function setProfilePortrait(options: Options, cbOk?: CbOk<Resp>, cbErr?: CbErr): void;
  function applyAddFriend(options: Options, cbOk?: CbOk<Resp>, cbErr?: ((err: BatchErr) => void) | null): void;
  function getPendency(options: Options, cbOk?: CbOk<Resp>, cbErr?: CbErr): void;
  function getPending(options: Options, cbOk?: CbOk<Resp>, cbErr?: CbErr): void;
  function responseFriend(options: Options, cbOk?: CbOk<Resp>, cbErr?: ((err: BatchErr) => void) | null): void;
  function deletePendency(options: Options, cbOk?: CbOk<Resp>, cbErr?: ((err: BatchErr) => void) | null): void;
  function deletePending(options: Options, cbOk?: CbOk<Resp>, cbErr?: ((err: BatchErr) => void) | null): void;
  function getAllFriend(options: Options, cbOk?: CbOk<Resp>, cbErr?: CbErr): void;
  function deleteFriend(options: Options, cbOk?: CbOk<Resp>, cbErr?: ((err: BatchErr) => void) | null): void;
  function addBlackList(options: Options, cbOk?: CbOk<Resp>, cbErr?: ((err: BatchErr) => void) | null): void;
  function getBlackList(options: Options, cbOk?: CbOk<Resp>, cbErr?: CbErr): void;
  function deleteBlackList(options: Options, cbOk?: CbOk<Resp>, cbErr?: ((err: BatchErr) => void) | null): void;
  /** 1.7's upload options: the recipient, and the file (uploadPic) or its base64 (uploadPicByBase64). */
  interface UploadOptions { To_Account?: string; toAccount?: string; file?: Blob; base64Str?: string; fileType?: 1 | 2; File_Type?: 1 | 2; onProgressCallBack?: (loaded: number, total: number) => void; [other: string]: unknown; }
  /** 1.7's answer to a finished upload. */
  interface Uploaded extends Status { File_UUID: string; File_Size: number; URL_INFO: { PIC_TYPE: 1 | 2 | 4; PIC_Size: number; PIC_Width: number; PIC_Height: number; DownUrl: string }[] | string; }
  function uploadPic(options: UploadOptions, cbOk?: CbOk<Uploaded>, cbErr?: CbErr): void;
  function uploadFile(options: UploadOptions, cbOk?: CbOk<Uploaded>, cbErr?: CbErr): void;
  function uploadPicByBase64(options: UploadOptions, cbOk?: CbOk<Uploaded>, cbErr?: CbErr): void;
  function uploadFileByBase64(options: UploadOptions, cbOk?: CbOk<Uploaded>, cbErr?: CbErr): void;
  function applyDownload(options: { request_info: { uuid: string; busi_id?: number; type?: number; [other: string]: unknown }[] } & Options, cbOk?: CbOk<Status & { error_code: number; response_info: { url: string } }>, cbErr?: CbErr): void;
  class Session {
    constructor(type: "C2C", id: string, name?: string, icon?: string, time?: number, seq?: number);
    type(): "C2C"; id(): string; name(): string; icon(): string; unread(): number; time(): number;
    curMaxMsgSeq(): number; msgCount(): number; msg(i: number): Msg | undefined; isAutoRead(): boolean;
  }
  class Msg {
    constructor(sess: Session, isSend?: boolean, seq?: number, random?: number, time?: number, fromAccount?: string);
    addText(text: Msg.Elem.Text): void; addFace(face: Msg.Elem.Face): void; addElem(elem: Msg.Elem): void; getElems(): Msg.Elem[];
    addImage(images: Msg.Elem.Images): void; addFile(file: Msg.Elem.File): void;
    getSession(): Session; getIsSend(): boolean; getSeq(): number; getRandom(): number; getTime(): number;
    getFromAccount(): string | undefined; toHtml(): string;
  }
  namespace Msg {
    type ElemType = "TIMTextElem" | "TIMFaceElem" | "TIMImageElem" | "TIMFileElem";
    class Elem { constructor(type: ElemType, content: Elem.Text | Elem.Face | Elem.Images | Elem.File); getType(): ElemType; getContent(): Elem.Text | Elem.Face | Elem.Images | Elem.File; toHtml(): string; }
    namespace Elem {
      class Text { constructor(text: string); getText(): string; toHtml(): string; }
      class Face { constructor(index: number, data: string); getIndex(): number; getData(): string; toHtml(): string; }
      class Images { constructor(imageId: string); addImage(image: Images.Image): void; getImageId(): string; getImage(type: 1 | 2 | 3): Images.Image | undefined; toHtml(): string; }
      namespace Images {
        class Image { constructor(type: 1 | 2 | 3, size: number, width: number, height: number, url: string); getType(): number; getSize(): number; getWidth(): number; getHeight(): number; getUrl(): string; }
      }
      class File { constructor(uuid: string, name: string, size: number, senderId?: string, receiverId?: string, downFlag?: number); getUUID(): string; getName(): string; getSize(): number; getDownUrl(): string; toHtml(): string; }
    }
  }
  namespace MsgStore {
    function sessMap(): Record<string, Session>; function sessCount(): number;
    function sessByTypeId(type: "C2C", id: string): Session | undefined;
    function delSessByTypeId(type: "C2C", id: string): boolean; function resetCookieAndSyncFlag(): void;
    function sessions(): Session[];
  }
  namespace Tool {
    function getStrBytes(str: string): number; function formatTimeStamp(time: number, format?: string): string;
    function xssFilter(text: string): string; function trimStr(str: string): string;
  }
  const EmotionPicDataIndex: Record<string, number>;
  const EmotionPicData: Record<string, string>;
  const SESSION_TYPE: { readonly C2C: "C2C"; readonly GROUP: "GROUP" };
  const MSG_ELEMENT_TYPE: { readonly TEXT: "TIMTextElem"; readonly FACE: "TIMFaceElem"; readonly IMAGE: "TIMImageElem"; readonly FILE: "TIMFileElem"; readonly CUSTOM: "TIMCustomElem" };
}
export = webim;
export as namespace webim;
