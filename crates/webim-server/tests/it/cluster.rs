//! Several `webim-server` processes on one PostgreSQL and one NATS, every client request
//! sent to a randomly chosen process: messages arrive exactly once and in each sender's
//! order through cursors that never skip; relationship changes made on one process wake
//! long polls on another within a second; a process killed, the bus restarted and the
//! database restarted lose nothing acknowledged and deliver nothing twice.

mod faults;
mod nodes;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use webim_proto::Command;

use crate::harness::text_msg;
use nodes::{Cluster, Dice, Services, metric_sum, poll_body};

const USERS: usize = 20;
/// Each user sends to four others in turn, so each receives from four senders.
const FAN: usize = 4;

fn user(i: usize) -> String {
    format!("u{i:02}")
}

fn receiver_of(sender: usize, k: u64) -> usize {
    (sender + 1 + (k % FAN as u64) as usize) % USERS
}

/// What one receiver got, in arrival order.
type Arrived = Vec<(String, u64)>;

/// Pulls everything after `cookie` from random processes; the cursor must move by
/// exactly the messages pulled. False if a process failed (try again later).
async fn pull(c: &Cluster, dice: &mut Dice, me: &str, cookie: &mut u64, got: &mut Arrived) -> bool {
    loop {
        let body = json!({"Cookie": cookie.to_string()});
        let timeout = Duration::from_secs(15);
        let Some(page) = c.try_call(dice, me, Command::GetMsg, &body, timeout).await else {
            return false;
        };
        let msgs = page["MsgList"].as_array().cloned().unwrap_or_default();
        let next: u64 = page["Cookie"].as_str().unwrap().parse().unwrap();
        assert_eq!(
            next,
            *cookie + msgs.len() as u64,
            "{me}'s cursor moves by exactly what was pulled (no gap, no skip)"
        );
        *cookie = next;
        for msg in msgs {
            // The inbox also holds what `me` sent (for its other clients): not counted.
            let from = msg["From_Account"].as_str().unwrap().to_owned();
            if from != me {
                got.push((from, msg["MsgSeq"].as_u64().unwrap()));
            }
        }
        if page["SyncFlag"] != 1 {
            return true;
        }
    }
}

/// A receiver: long polls and pulls on random processes until `expected` messages came.
async fn receive(c: Arc<Cluster>, me: usize, expected: usize, limit: Duration) -> Arrived {
    let (me, mut dice) = (user(me), Dice::new(1000 + me as u64));
    let (mut cookie, mut poll_seq, mut got) = (0u64, 0u64, Vec::new());
    let deadline = Instant::now() + limit;
    while got.len() < expected {
        assert!(
            Instant::now() < deadline,
            "{me} got {} of {expected} within {limit:?}",
            got.len()
        );
        let body = poll_body(poll_seq, 0, 5);
        let timeout = Duration::from_secs(15);
        match c
            .try_call(&mut dice, &me, Command::LongPolling, &body, timeout)
            .await
        {
            Some(answer) => poll_seq = answer["Cookie"]["NotifySeq"].as_u64().unwrap(),
            None => tokio::time::sleep(Duration::from_millis(50)).await,
        }
        pull(&c, &mut dice, &me, &mut cookie, &mut got).await;
    }
    // Nothing more comes: no message twice.
    tokio::time::sleep(Duration::from_millis(200)).await;
    while !pull(&c, &mut dice, &me, &mut cookie, &mut got).await {}
    got
}

/// Every user sends `each` messages (each resent until answered OK) while every user
/// receives; `during` runs beside them with the count of acknowledged sends. Checks that
/// each receiver got each of its messages exactly once, in each sender's order.
/// Returns how many requests failed and were sent again.
async fn traffic<F: Future<Output = ()>>(
    c: Arc<Cluster>,
    each: u64,
    during: impl FnOnce(Arc<AtomicU64>) -> F,
) -> u64 {
    let acked = Arc::new(AtomicU64::new(0));
    let retried = Arc::new(AtomicU64::new(0));
    let mut senders = tokio::task::JoinSet::new();
    for s in 0..USERS {
        let (c, acked, retried) = (Arc::clone(&c), Arc::clone(&acked), Arc::clone(&retried));
        senders.spawn(async move {
            let mut dice = Dice::new(s as u64 + 1);
            for k in 0..each {
                let (from, to) = (user(s), user(receiver_of(s, k)));
                let body = text_msg(&from, &to, k + 1, 7, &format!("{from} #{}", k + 1));
                let limit = Duration::from_secs(120);
                let (_, tries) = c
                    .call(&mut dice, &from, Command::SendMsg, &body, limit)
                    .await;
                acked.fetch_add(1, Ordering::SeqCst);
                retried.fetch_add(u64::from(tries - 1), Ordering::SeqCst);
            }
        });
    }
    let mut receivers = tokio::task::JoinSet::new();
    for r in 0..USERS {
        let limit = Duration::from_secs(300);
        receivers.spawn(receive(Arc::clone(&c), r, each as usize, limit).map_with(r));
    }
    during(Arc::clone(&acked)).await;
    while let Some(done) = senders.join_next().await {
        done.unwrap();
    }
    while let Some(done) = receivers.join_next().await {
        let (r, got) = done.unwrap();
        let mut last: BTreeMap<String, u64> = BTreeMap::new();
        for (from, seq) in &got {
            let before = last.insert(from.clone(), *seq).unwrap_or(0);
            assert!(
                *seq > before,
                "{} gets {from}'s messages in order, none twice: #{seq} after #{before}",
                user(r)
            );
        }
        assert_eq!(got.len() as u64, each, "{} got every message", user(r));
        assert_eq!(last.len(), FAN, "{} heard from {FAN} senders", user(r));
    }
    retried.load(Ordering::SeqCst)
}

/// Tags a future's output with `tag`.
trait MapWith: Future + Sized {
    fn map_with<T>(self, tag: T) -> impl Future<Output = (T, Self::Output)> {
        async move { (tag, self.await) }
    }
}

impl<F: Future> MapWith for F {}

/// Two accounts outside the traffic, for timing one delivery.
const PROBES: [&str; 2] = ["probe_a", "probe_b"];

async fn cluster_of(n: usize, own: bool) -> Arc<Cluster> {
    let services = tokio::task::spawn_blocking(move || Services::start(own))
        .await
        .unwrap();
    let mut accounts: Vec<String> = (0..USERS).map(user).collect();
    accounts.extend(PROBES.map(str::to_owned));
    Arc::new(Cluster::start(services, n, &accounts).await)
}

async fn three_nodes(own: bool) -> Arc<Cluster> {
    cluster_of(3, own).await
}

/// How long after `act` (run on some process) `who`'s long poll on process `listener`
/// answers, and what it said.
async fn heard<F: Future<Output = ()>>(
    c: &Cluster,
    listener: usize,
    who: &str,
    act: F,
) -> (Duration, Value) {
    let (notify, notice) = c.settled_cookie(listener, who).await;
    let body = poll_body(notify, notice, 10);
    let poll = c.on(listener, who, Command::LongPolling, &body);
    let acting = async {
        // The poll is held by now.
        tokio::time::sleep(Duration::from_millis(300)).await;
        act.await;
        Instant::now()
    };
    let (answer, acted) = tokio::join!(poll, acting);
    (acted.elapsed(), answer)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_relationship_changes_on_one_process_wake_polls_on_another_within_a_second() {
    let _turn = nodes::TURN.lock().await;
    let c = three_nodes(false).await;
    let (u0, u1, u2, u3) = (user(0), user(1), user(2), user(3));
    let request =
        json!({"AddFriendItem": [{"To_Account": u1, "AddSource": "AddSource_Type_Unknow"}]});
    let (lag, answer) = heard(&c, 1, &u1, async {
        c.on(0, &u0, Command::FriendAdd, &request).await;
    })
    .await;
    assert!(
        lag < Duration::from_secs(1),
        "friend request heard after {lag:?}"
    );
    assert!(
        !answer["EventArray"].as_array().unwrap().is_empty(),
        "{answer}"
    );

    // u2 blacklists u3 on process 0; u2's other client, on process 2, hears of it.
    let (lag, answer) = heard(&c, 2, &u2, async {
        c.on(0, &u2, Command::BlackListAdd, &json!({"To_Account": [u3]}))
            .await;
    })
    .await;
    assert!(
        lag < Duration::from_secs(1),
        "blacklisting heard after {lag:?}"
    );
    assert!(
        !answer["EventArray"].as_array().unwrap().is_empty(),
        "{answer}"
    );

    // u0 reads u1's message on process 1; u0's other client, on process 2, hears of it.
    let sent = c
        .on(1, &u1, Command::SendMsg, &text_msg(&u1, &u0, 1, 1, "hello"))
        .await;
    let time = sent["MsgTime"].as_u64().unwrap_or_else(crate::harness::now);
    let read = json!({"C2CMsgReaded": {"Cookie": "", "C2CMsgReadedItem": [
        {"To_Account": u1, "LastedMsgTime": time}]}});
    let (lag, answer) = heard(&c, 2, &u0, async {
        c.on(1, &u0, Command::MsgReaded, &read).await;
    })
    .await;
    assert!(
        lag < Duration::from_secs(1),
        "read report heard after {lag:?}"
    );
    assert!(
        !answer["EventArray"].as_array().unwrap().is_empty(),
        "{answer}"
    );
    c.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_three_processes_deliver_ten_thousand_messages_once_in_order() {
    let _turn = nodes::TURN.lock().await;
    let c = three_nodes(false).await;
    let started = Instant::now();
    traffic(Arc::clone(&c), 500, |_| async {}).await;
    let metrics = c.metrics().await;
    println!(
        "10,000 messages through 3 processes in {:?}; {} transaction retries; {} hints received",
        started.elapsed(),
        metric_sum(&metrics, "webim_transaction_retries_total"),
        metric_sum(&metrics, "webim_wake_hints_received_total")
    );
    assert!(
        metric_sum(&metrics, "webim_wake_hints_received_total") > 0.0,
        "processes woke each other through NATS"
    );
}

/// POSTs `body` to process `i` at `path` with `query`; the answer.
async fn post_to(c: &Cluster, i: usize, path: &str, query: &str, body: Value) -> Value {
    let url = format!(
        "{}/v4/{path}?websdkappid=537048168&v=1.7.0&{query}&contenttype=json&sdkappid={}",
        c.nodes[i].base,
        crate::harness::APP_ID
    );
    let text = crate::harness::text_of(c.client.post(&url).body(body.to_string())).await;
    serde_json::from_str(&text).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_a_17_login_on_one_process_works_on_every_other_until_it_logs_out() {
    let _turn = nodes::TURN.lock().await;
    let c = three_nodes(false).await;
    let me = user(0);
    let sig = c.key.mint(&me, crate::harness::now(), 3600);
    let login = post_to(
        &c,
        0,
        "openim/login",
        &format!("identifier={me}&usersig={sig}"),
        json!({"State": "Online"}),
    )
    .await;
    let tiny = login["TinyId"].as_u64().unwrap();
    let a2 = login["A2Key"].as_str().unwrap();
    let query = format!("tinyid={tiny}&a2={a2}");
    for i in [1, 2] {
        let answer = post_to(&c, i, "openim/getmsg", &query, json!({"Cookie": ""})).await;
        assert_eq!(answer["ActionStatus"], "OK", "process {i}: {answer}");
        let again = post_to(
            &c,
            i,
            "openim/login",
            &format!("identifier={me}&usersig={sig}"),
            json!({"State": "Online"}),
        )
        .await;
        assert_eq!(again["TinyId"], tiny, "the same TinyId on process {i}");
    }
    let out = post_to(&c, 1, "openim/longpollinglogout", &query, json!({})).await;
    assert_eq!(out["ActionStatus"], "OK");
    for i in [0, 2] {
        let refused = post_to(&c, i, "openim/getmsg", &query, json!({"Cookie": ""})).await;
        assert_eq!(refused["ErrorCode"], 70001, "process {i}: {refused}");
    }
    c.stop();
}

/// A picture uploaded in slices to two processes, sent through a third and fetched from
/// any: its bytes and records are in the shared database, and every process reads the
/// tickets any other signed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_a_picture_uploaded_through_one_process_is_read_through_every_other() {
    use base64::Engine;
    let _turn = nodes::TURN.lock().await;
    let c = three_nodes(false).await;
    let (me, peer) = (user(0), user(1));
    let mut sessions = Vec::new();
    for who in [&me, &peer] {
        let sig = c.key.mint(who, crate::harness::now(), 3600);
        let login = post_to(
            &c,
            0,
            "openim/login",
            &format!("identifier={who}&usersig={sig}"),
            json!({"State": "Online"}),
        )
        .await;
        let (tiny, a2) = (
            login["TinyId"].as_u64().unwrap(),
            login["A2Key"].as_str().unwrap(),
        );
        sessions.push(format!("tinyid={tiny}&a2={a2}"));
    }
    let picture = crate::pictures::png_of(64, 48);
    let half = picture.len() / 2;
    let mut answer = Value::Null;
    for (i, (offset, part)) in [(0, &picture[..half]), (half, &picture[half..])]
        .into_iter()
        .enumerate()
    {
        let slice = json!({"To_Account": peer, "File_Type": 1, "PkgFlag": 1,
            "File_Size": picture.len(), "Slice_Offset": offset, "Slice_Size": part.len(),
            "Slice_Data": base64::engine::general_purpose::STANDARD.encode(part),
            "Seq": 1, "Timestamp": 1, "Random": 7});
        answer = post_to(&c, i, "openpic/pic_up", &sessions[0], slice).await;
    }
    assert_eq!(answer["IsFinish"], 1, "{answer}");
    let uuid = answer["File_UUID"].as_str().unwrap();
    let msg = json!({"From_Account": me, "To_Account": peer, "MsgSeq": 1, "MsgRandom": 1,
        "MsgTimeStamp": 0, "MsgBody": [{"MsgType": "TIMImageElem",
        "MsgContent": {"UUID": uuid, "ImageInfoArray": []}}]});
    let sent = post_to(&c, 2, "openim/sendmsg", &sessions[0], msg).await;
    assert_eq!(sent["ActionStatus"], "OK", "{sent}");
    let got = post_to(&c, 1, "openim/getmsg", &sessions[1], json!({"Cookie": ""})).await;
    let url = got["MsgList"][0]["MsgBody"][0]["MsgContent"]["ImageInfoArray"][2]["URL"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = &url[url.find("/webim/blob/").unwrap()..];
    for node in &c.nodes {
        let response = c
            .client
            .get(format!("{}{path}", node.base))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{}{path}", node.base);
        let bytes = response.bytes().await.unwrap();
        let small = image::load_from_memory(&bytes).unwrap();
        assert_eq!(
            (small.width(), small.height()),
            (64, 48),
            "from {}",
            node.base
        );
    }
    c.stop();
}

/// Password guesses for one account sent at once to all three processes: the throttle is
/// in the shared database, so three processes allow no more tries than one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_three_processes_check_no_more_guesses_than_one() {
    let _turn = nodes::TURN.lock().await;
    let c = three_nodes(false).await;
    let mut guesses = tokio::task::JoinSet::new();
    for i in 0..30 {
        let url = format!("{}/login", c.nodes[i % 3].base);
        let body = json!({"Identifier": user(0), "Password": format!("guess number {i}")});
        let request = c.client.post(url).body(body.to_string());
        guesses.spawn(async move { request.send().await.unwrap().status() });
    }
    let statuses = guesses.join_all().await;
    let checked = statuses
        .iter()
        .filter(|s| **s != reqwest::StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert!(
        checked <= webim_server::throttle::PER_ACCOUNT,
        "{checked} of 30 checked: {statuses:?}"
    );
    c.stop();
}
