//! Checks of `deploy/`: the compose file and the Kubernetes manifests are read back as
//! YAML and held to what the server really offers (its environment variables, its health
//! paths, three replicas on PostgreSQL and NATS); `docker compose config` checks the
//! compose file too where Docker's compose plugin is installed. Test-only: `cargo xtask
//! test` runs it with the native tests.

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};
    use std::process::Command;

    use serde::Deserialize;
    use serde_yaml::Value;

    fn root() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
    }

    fn read(path: &str) -> String {
        std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("read {path}: {e}"))
    }

    /// The environment variables the server reads (clap's `env = "…"`).
    fn server_env() -> Vec<String> {
        read("crates/webim-server/src/config.rs")
            .split("env = \"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next().map(str::to_owned))
            .collect()
    }

    fn str_of<'a>(v: &'a Value, path: &[&str]) -> &'a str {
        path.iter()
            .fold(v, |v, key| &v[*key])
            .as_str()
            .unwrap_or_default()
    }

    #[test]
    fn test_the_compose_file_runs_three_servers_on_postgres_and_nats() {
        let compose: Value = serde_yaml::from_str(&read("deploy/compose.yaml")).unwrap();
        let services = &compose["services"];
        for name in ["postgres", "nats", "webim", "lb"] {
            assert!(services[name].is_mapping(), "a {name} service");
        }
        let webim = &services["webim"];
        assert_eq!(webim["deploy"]["replicas"].as_u64(), Some(3));
        let env = webim["environment"].as_mapping().unwrap();
        let known = server_env();
        for (name, value) in env {
            let name = name.as_str().unwrap();
            assert!(
                known.iter().any(|k| k == name),
                "{name} is a server setting"
            );
            let value = value.as_str().unwrap_or_default();
            match name {
                "WEBIM_DATABASE_URL" => assert!(value.starts_with("postgres://")),
                "WEBIM_NATS_URL" => assert!(value.starts_with("nats://")),
                _ => {}
            }
        }
        assert!(
            env.contains_key("WEBIM_SECRET_KEY"),
            "one key for every replica"
        );
        let setting = |name: &str| {
            env.iter()
                .find(|(k, _)| k.as_str() == Some(name))
                .and_then(|(_, v)| v.as_str())
                .unwrap_or_default()
                .to_owned()
        };
        assert_eq!(
            setting("WEBIM_NO_DEMO"),
            "1",
            "no demo mode on a public server"
        );
        assert!(
            !setting("WEBIM_METRICS_LISTEN").is_empty(),
            "/metrics apart"
        );
        let published = format!("{:?}", services["webim"]["ports"]);
        assert!(
            !published.contains("9090"),
            "the metrics port is not published"
        );
        let dockerfile = str_of(webim, &["build", "dockerfile"]);
        assert!(root().join(dockerfile).is_file(), "{dockerfile}");
        let mounts = services["lb"]["volumes"].as_sequence().unwrap();
        let conf = mounts[0].as_str().unwrap().split(':').next().unwrap();
        assert!(root().join("deploy").join(conf).is_file(), "{conf}");

        let has_compose = Command::new("docker")
            .args(["compose", "version"])
            .output()
            .is_ok_and(|o| o.status.success());
        if has_compose {
            let out = Command::new("docker")
                .args(["compose", "-f", "deploy/compose.yaml", "config", "-q"])
                .env("POSTGRES_PASSWORD", "x")
                .env("WEBIM_SECRET_KEY", "y")
                .current_dir(root())
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }

    #[test]
    fn test_the_kubernetes_example_has_three_replicas_probed_where_the_server_answers() {
        let text = read("deploy/kubernetes.yaml");
        let docs: Vec<Value> = serde_yaml::Deserializer::from_str(&text)
            .map(|d| Value::deserialize(d).unwrap())
            .collect();
        let find = |kind: &str, name: &str| {
            docs.iter()
                .find(|d| str_of(d, &["kind"]) == kind && str_of(d, &["metadata", "name"]) == name)
                .unwrap_or_else(|| panic!("a {kind} {name}"))
        };
        let webim = find("Deployment", "webim");
        assert_eq!(webim["spec"]["replicas"].as_u64(), Some(3));
        let container = &webim["spec"]["template"]["spec"]["containers"][0];
        assert_eq!(
            str_of(container, &["readinessProbe", "httpGet", "path"]),
            "/readyz"
        );
        assert_eq!(
            str_of(container, &["livenessProbe", "httpGet", "path"]),
            "/healthz"
        );
        let ops = read("crates/webim-server/src/routes/ops.rs");
        for path in ["/readyz", "/healthz"] {
            assert!(
                ops.contains(&format!(".route(\"{path}\"")),
                "the server answers {path}"
            );
        }
        let value_of = |name: &str| {
            container["env"]
                .as_sequence()
                .unwrap()
                .iter()
                .find(|v| str_of(v, &["name"]) == name)
                .map(|v| str_of(v, &["value"]).to_owned())
                .unwrap_or_default()
        };
        assert_eq!(
            value_of("WEBIM_NO_DEMO"),
            "1",
            "no demo mode on a public server"
        );
        let metrics = value_of("WEBIM_METRICS_LISTEN");
        let metrics_port = metrics.rsplit(':').next().unwrap_or_default();
        assert!(!metrics_port.is_empty(), "/metrics apart");
        let exposed = format!("{:?}", find("Service", "webim")["spec"]["ports"]);
        assert!(
            !exposed.contains(metrics_port) && !exposed.contains("metrics"),
            "the public Service does not expose /metrics: {exposed}"
        );
        let dockerfile = read("deploy/Dockerfile");
        assert!(
            dockerfile.contains("WEBIM_NO_DEMO=1"),
            "the image has no demo mode"
        );
        let known = server_env();
        for var in container["env"].as_sequence().unwrap() {
            let name = str_of(var, &["name"]);
            if name.starts_with("WEBIM_") {
                assert!(
                    known.iter().any(|k| k == name),
                    "{name} is a server setting"
                );
            }
        }
        assert_eq!(
            str_of(find("Service", "webim"), &["spec", "type"]),
            "LoadBalancer"
        );
        find("StatefulSet", "postgres");
        find("Service", "postgres");
        find("Deployment", "nats");
        find("Service", "nats");
    }
}
