//! A private PostgreSQL 15 cluster under a data directory: initdb on first use,
//! a unix socket in the data directory and a loopback port, reused on the
//! next start, stopped on shutdown; a failed start is stopped, not left half-up.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use anyhow::{bail, Context, Result};

/// A running cluster, and whether this process started it.
#[derive(Debug)]
pub struct Cluster {
    dir: PathBuf,
    bin: PathBuf,
    port: u16,
    started_here: bool,
}

const DATABASE: &str = "soilreg";

impl Cluster {
    /// Starts the cluster in `dir` (initialising it if needed), or attaches to it if running.
    pub fn ensure(dir: &Path, bin: &Path, port: u16) -> Result<Self> {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        let dir = dir.canonicalize()?;
        let as_root = is_root();
        if as_root {
            run(Command::new("chown").arg("postgres:postgres").arg(&dir))?;
        }
        let mut cluster = Cluster {
            dir,
            bin: bin.to_owned(),
            port,
            started_here: false,
        };
        if !cluster.dir.join("PG_VERSION").exists() {
            tracing::info!(dir = %cluster.dir.display(), "initialising the embedded PostgreSQL cluster");
            cluster.pg(
                "initdb",
                &[
                    "-D",
                    path_str(&cluster.dir)?,
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "-E",
                    "UTF8",
                    "--locale=C.UTF-8",
                ],
            )?;
        }
        if cluster
            .pg("pg_ctl", &["-D", path_str(&cluster.dir)?, "status"])
            .is_ok()
        {
            tracing::info!(port, "reusing the running embedded PostgreSQL cluster");
        } else {
            cluster.start()?;
        }
        Ok(cluster)
    }

    fn start(&mut self) -> Result<()> {
        let dir = path_str(&self.dir)?.to_owned();
        let log = self.dir.join("server.log");
        let opts = format!("-p {} -k {} -c listen_addresses=127.0.0.1", self.port, dir);
        let started = self.pg(
            "pg_ctl",
            &[
                "-D",
                &dir,
                "-l",
                path_str(&log)?,
                "-w",
                "-t",
                "60",
                "-o",
                &opts,
                "start",
            ],
        );
        if let Err(e) = started {
            // Never leave a half-started server behind.
            let _ = self.pg("pg_ctl", &["-D", &dir, "-m", "immediate", "stop"]);
            let tail = std::fs::read_to_string(&log).unwrap_or_default();
            let tail: Vec<&str> = tail.lines().rev().take(10).collect();
            bail!(
                "PostgreSQL did not start: {e}\n{}",
                tail.into_iter().rev().collect::<Vec<_>>().join("\n")
            );
        }
        self.started_here = true;
        Ok(())
    }

    /// Stops a cluster by its data directory, if it is running; never starts one.
    pub fn stop_dir(dir: &Path, bin: &Path) -> Result<()> {
        if !dir.join("postmaster.pid").exists() {
            return Ok(());
        }
        let c = Cluster {
            dir: dir.canonicalize()?,
            bin: bin.to_owned(),
            port: 0,
            started_here: false,
        };
        c.pg(
            "pg_ctl",
            &[
                "-D",
                path_str(&c.dir)?,
                "-m",
                "fast",
                "-w",
                "-t",
                "300",
                "stop",
            ],
        )?;
        Ok(())
    }

    /// The URL of the soilreg database, over the loopback port.
    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{DATABASE}", self.port)
    }

    /// The URL of the maintenance database, to create others.
    pub fn admin_url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// Stops the server if this process started it (or `always`).
    pub fn stop(&mut self, always: bool) -> Result<()> {
        if self.started_here || always {
            self.pg(
                "pg_ctl",
                &[
                    "-D",
                    path_str(&self.dir)?,
                    "-m",
                    "fast",
                    "-w",
                    "-t",
                    "300",
                    "stop",
                ],
            )?;
            self.started_here = false;
        }
        Ok(())
    }

    /// Detaches: the server keeps running after this process exits.
    pub fn detach(mut self) {
        self.started_here = false;
    }

    fn pg(&self, program: &str, args: &[&str]) -> Result<Output> {
        let exe = self.bin.join(program);
        let mut cmd = if is_root() {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(exe);
            c
        } else {
            Command::new(exe)
        };
        cmd.args(args);
        run(&mut cmd)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        if self.started_here {
            if let Err(e) = self.stop(false) {
                tracing::warn!(error = %e, "stopping the embedded PostgreSQL cluster failed");
            }
        }
    }
}

/// Creates the soilreg database on the cluster if it is missing.
pub async fn create_database(admin_url: &str) -> Result<()> {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(admin_url).await?;
    let exists: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
            .bind(DATABASE)
            .fetch_one(&mut conn)
            .await?;
    if !exists {
        sqlx::query(&format!("CREATE DATABASE {DATABASE}"))
            .execute(&mut conn)
            .await?;
    }
    Ok(())
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"))
}

fn path_str(p: &Path) -> Result<&str> {
    p.to_str().context("the data directory path is not UTF-8")
}

fn run(cmd: &mut Command) -> Result<Output> {
    let out = cmd.output().with_context(|| format!("running {cmd:?}"))?;
    if !out.status.success() {
        bail!(
            "{:?} failed ({}): {}",
            cmd.get_program(),
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(out)
}
