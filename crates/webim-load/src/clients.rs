//! The simulated clients: long polls held in a loop (optionally timing deliveries), and
//! senders. Requests are the seed's URLs, signed with the server's key.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::sync::Mutex;
use webim_usersig::SigKey;

/// The server under test: one process, or several sharing a database (each request goes
/// to the next in turn, as a round-robin load balancer would send it).
#[derive(Debug, Clone)]
pub struct Server {
    /// The processes' base URLs.
    pub bases: Vec<String>,
    /// Its SDKAppID.
    pub sdk_app_id: u64,
    /// Its userSig key.
    pub key: String,
    /// The processes' ids (for memory and CPU), empty if unknown.
    pub pids: Vec<u64>,
}

impl Server {
    /// The processes' resident memory, in kB (0 if it cannot be read).
    pub fn rss_kb(&self) -> u64 {
        self.pids
            .iter()
            .filter_map(|pid| {
                let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
                status
                    .lines()
                    .find(|l| l.starts_with("VmRSS:"))
                    .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
            })
            .sum()
    }

    /// CPU time the processes have used so far, in milliseconds.
    pub fn cpu_ms(&self) -> f64 {
        self.pids
            .iter()
            .map(|pid| cpu_ms_of(&format!("/proc/{pid}/stat")))
            .sum()
    }

    /// A gauge or counter from `/metrics`, summed over the processes.
    pub async fn metric(&self, name: &str) -> u64 {
        let mut sum = 0;
        for base in &self.bases {
            let Ok(response) = reqwest::get(format!("{base}/metrics")).await else {
                continue;
            };
            let text = response.text().await.unwrap_or_default();
            sum += text
                .lines()
                .find_map(|l| l.strip_prefix(name)?.trim().parse::<u64>().ok())
                .unwrap_or(0);
        }
        sum
    }
}

/// User plus system CPU time of the process whose `stat` file is at `path`, in ms.
pub fn cpu_ms_of(path: &str) -> f64 {
    let ticks = std::fs::read_to_string(path).ok().and_then(|s| {
        // Fields after the command name (which is in parentheses and may hold spaces).
        let rest = s.rsplit_once(')')?.1;
        let fields: Vec<&str> = rest.split_whitespace().collect();
        let user: f64 = fields.get(11)?.parse().ok()?;
        let system: f64 = fields.get(12)?.parse().ok()?;
        Some(user + system)
    });
    // Linux counts in clock ticks of 1/100 s.
    ticks.map_or(f64::NAN, |t| t * 10.0)
}

/// Where delivery latencies go: per receiver, when each send to it left; and the times.
pub type Timing = (
    Arc<Mutex<BTreeMap<String, Vec<Instant>>>>,
    Arc<Mutex<Vec<f64>>>,
);

/// The clients, sharing one connection pool.
#[derive(Debug, Clone)]
pub struct Load {
    /// The server.
    pub server: Server,
    client: reqwest::Client,
    key: SigKey,
    turn: Arc<AtomicUsize>,
}

impl Load {
    /// Clients of `server`.
    pub fn new(server: Server) -> Self {
        let client = reqwest::Client::builder()
            .pool_max_idle_per_host(usize::MAX)
            .build()
            .unwrap_or_default();
        let key = SigKey::new(server.sdk_app_id, server.key.clone());
        Self {
            server,
            client,
            key,
            turn: Arc::default(),
        }
    }

    fn url(&self, who: &str, command: &str) -> String {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let bases = &self.server.bases;
        let base = &bases[self.turn.fetch_add(1, Ordering::Relaxed) % bases.len().max(1)];
        format!(
            "{base}/v4/openim/{command}?usersig={}&identifier={who}&sdkappid={}&contenttype=json\
             &dialect=rust",
            self.key.mint(who, now, 86_400),
            self.server.sdk_app_id
        )
    }

    async fn post(&self, url: &str, body: &Value) -> Option<Value> {
        let response = self
            .client
            .post(url)
            .body(body.to_string())
            .send()
            .await
            .ok()?;
        serde_json::from_str(&response.text().await.ok()?).ok()
    }

    /// Keeps a long poll held for `who`, forever; with `timing`, times each delivery.
    pub fn hold_poll(&self, who: String, timing: Option<Timing>) {
        let this = self.clone();
        tokio::spawn(async move {
            let url = this.url(&who, "longpolling");
            let mut seen = 0u64;
            loop {
                let body = json!({"Timeout": 60, "Cookie": {"NotifySeq": seen, "NoticeSeq": 0}});
                let Some(answer) = this.post(&url, &body).await else {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                };
                let answered = Instant::now();
                let now_seq = answer["Cookie"]["NotifySeq"].as_u64().unwrap_or(seen);
                if let Some((sent_at, latencies)) = &timing
                    && now_seq > seen
                {
                    let sent = sent_at.lock().await;
                    let mut times = latencies.lock().await;
                    for seq in seen + 1..=now_seq {
                        let left = sent
                            .get(&who)
                            .and_then(|v| v.get(usize::try_from(seq - 1).unwrap_or(usize::MAX)));
                        if let Some(left) = left {
                            times.push(answered.duration_since(*left).as_secs_f64() * 1000.0);
                        }
                    }
                }
                seen = seen.max(now_seq);
            }
        });
    }

    /// Waits until the server says `count` long polls are held (or `limit` passes);
    /// returns how many are.
    pub async fn wait_held(&self, count: u64, limit: Duration) -> u64 {
        let until = Instant::now() + limit;
        loop {
            let held = self.server.metric("webim_longpolls_held").await;
            if held >= count || Instant::now() > until {
                return held;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    fn message(from: &str, to: &str, seq: u64, random: u32) -> Value {
        json!({"From_Account": from, "To_Account": to, "MsgSeq": seq, "MsgRandom": random,
            "MsgTimeStamp": 0,
            "MsgBody": [{"MsgType": "TIMTextElem", "MsgContent": {"Text": format!("load {seq}")}}]})
    }

    /// Sends from `from` to `to` one after another until `deadline`: (acknowledged, failed).
    pub async fn send_until(&self, from: &str, to: &str, deadline: Instant) -> (u64, u64) {
        let url = self.url(from, "sendmsg");
        let (mut ok, mut failed, mut seq) = (0, 0, 0);
        while Instant::now() < deadline {
            seq += 1;
            match self.post(&url, &Self::message(from, to, seq, 1)).await {
                Some(answer) if answer["ActionStatus"] == "OK" => ok += 1,
                _ => failed += 1,
            }
        }
        (ok, failed)
    }

    /// One send, the `k`-th of the latency run.
    pub async fn send_one(&self, from: &str, to: &str, k: u64) -> bool {
        let url = self.url(from, "sendmsg");
        let body = Self::message(from, to, 1_000_000 + k, 2);
        self.post(&url, &body)
            .await
            .is_some_and(|a| a["ActionStatus"] == "OK")
    }
}
